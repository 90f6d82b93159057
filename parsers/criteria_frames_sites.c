/*
 * criteria_frames_sites.c - frames of the criteria reader: brain metastases
 * and other sites of disease.
 */
#include "criteria_internal.h"

/* ------------------------------------------------------------------ */
/* Handlers: brain, sites                                              */
/* ------------------------------------------------------------------ */

int ctm_cx_h_brain(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	static const char *const exc[] = {"treated", "treated2", "unless",
					  "unless2", "anyt", NULL};
	tok t[64];
	size_t s, e, nt, i, end = me;
	uint32_t flags = 0, word_flags = 0;
	ctm_constraint c = ctm_cx_mk(CTM_K_BRAIN_METS);
	int n, site = -1, symptomatic = 0, has_and = 0, has_or = 0;

	/* an exception ("unless treated and stable", "Patients with treated
	 * brain metastases are eligible") leaves the active ones; "treated
	 * or untreated" leaves them all */
	for (i = 0; exc[i]; i++) {
		if (!ctm_cx_grp(x, exc[i], &s, &e) || e <= s)
			continue;
		if (strcmp(exc[i], "anyt"))
			flags = CTM_F_ACTIVE;
		if (s < end)
			end = s;
	}
	nt = ctm_cx_tokenize(x->sk + ms, end - ms, t, 64);
	for (i = 0; i < nt; i++) {
		if (ctm_cx_ph_index(x, &t[i], "B") >= 0)
			continue;
		if (ctm_cx_ph_index(x, &t[i], "S") >= 0) {
			if (ctm_cx_ph_concept(x, &t[i], "S") != x->p->lepto)
				return ctm_cx_reject(x,
						     "brain with another site");
			site = (int)i;
			continue;
		}
		if (ctm_cx_word(x, CRULES_BRAIN_ACTIVE, &t[i])) {
			word_flags |= CTM_F_ACTIVE;
			continue;
		}
		if (ctm_cx_teq(&t[i], "clinically") && i + 1 < nt &&
		    ctm_cx_teq(&t[i + 1], "active"))
			continue;
		/* "symptomatic or untreated": the untreated are active;
		 * "symptomatic" alone or "untreated and symptomatic" is a
		 * fact the profile does not hold */
		if (ctm_cx_teq(&t[i], "symptomatic")) {
			symptomatic = 1;
			continue;
		}
		if (ctm_cx_teq(&t[i], "and"))
			has_and = 1;
		if (ctm_cx_teq(&t[i], "or") || ctm_cx_teq(&t[i], "and/or") ||
		    ctm_cx_teq(&t[i], "/"))
			has_or = 1;
		if (ctm_cx_word(x, CRULES_BRAIN_NEUTRAL, &t[i]))
			continue;
		/* "treated, stable CNS metastases": the subject of a
		 * permission (brain_permission), read there or not at all */
		if (ctm_cx_teq(&t[i], "treated") || ctm_cx_teq(&t[i], "stable"))
			return R_SKIP;
		return ctm_cx_reject(x,
				     "brain metastases qualifier not modelled");
	}
	/* "symptomatic" is not a fact a profile holds */
	if (symptomatic)
		return ctm_cx_reject(x, "symptomatic brain metastases");
	(void)has_and, (void)has_or;
	flags |= word_flags;
	c.flags = flags;
	n = ctm_cx_leaf(x, &c);
	if (site >= 0) {
		ctm_constraint sc = ctm_cx_mk(CTM_K_SITE);
		int k[2];
		/* "active brain or leptomeningeal metastases": leptomeningeal
		 * disease is active by nature; an exception for treated
		 * ones is not */
		if (flags != word_flags)
			return ctm_cx_reject(
				x, "qualified brain and leptomeningeal");
		sc.concept = x->p->lepto;
		k[0] = n;
		k[1] = ctm_cx_leaf(x, &sc);
		return ctm_cx_nary(x, X_OR, k, 2);
	}
	return n;
}

/*
 * Extrahepatic disease: metastases anywhere but the liver, that is, a
 * metastatic patient whose metastases are not liver-only (a patient
 * without metastases has none). "Except resectable lung metastases":
 * any site but the liver and the lung, or lung metastases that are not
 * resectable (the site list of a profile is complete, "other" included).
 */
int ctm_cx_h_extrahepatic(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_SITE),
		       m = ctm_cx_mk(CTM_K_METASTATIC);
	size_t s, e;
	int k[2];

	(void)ms, (void)me;
	if (!x->p->liver)
		return ctm_cx_reject(x, "no liver concept");
	if (ctm_cx_grp(x, "exs", &s, &e)) {
		tok st = {x->sk + s, e - s};
		ctm_concept ex = ctm_cx_ph_concept(x, &st, "S"), i;
		size_t count = ctm_lexicon_count(x->lx), n = 0;
		int kids[32];

		if (!ex || ex == x->p->liver)
			return ctm_cx_reject(x,
					     "extrahepatic except an odd site");
		for (i = 1; i < count && n < 31; i++) {
			ctm_constraint sc = ctm_cx_mk(CTM_K_SITE);
			if (ctm_lexicon_type(x->lx, i) != CTM_CT_SITE ||
			    ctm_lexicon_is_a(x->lx, i, x->p->liver) ||
			    ctm_lexicon_is_a(x->lx, i, ex))
				continue;
			sc.concept = i;
			kids[n++] = ctm_cx_leaf(x, &sc);
		}
		c.concept = ex;
		kids[n] = ctm_cx_leaf(x, &c);
		if (ctm_cx_grp(x, "exr", &s, &e)) {
			ctm_constraint r = ctm_cx_mk(CTM_K_RESECTABLE);
			int a[2] = {kids[n],
				    ctm_cx_not_(x, ctm_cx_leaf(x, &r))};
			kids[n] = ctm_cx_nary(x, X_AND, a, 2);
		} else {
			/* "except lung metastases": lung metastases do not
			 * count */
			n--;
		}
		n++;
		if (i < count && n >= 31)
			return ctm_cx_reject(x, "too many sites");
		return ctm_cx_nary(x, X_OR, kids, n);
	}
	c.concept = x->p->liver;
	c.flags = CTM_F_LIMITED;
	k[0] = ctm_cx_leaf(x, &m);
	k[1] = ctm_cx_not_(x, ctm_cx_leaf(x, &c));
	return ctm_cx_nary(x, X_AND, k, 2);
}

int ctm_cx_h_site_limited(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[32];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 32), i;
	ctm_constraint c = ctm_cx_mk(CTM_K_SITE);

	for (i = 0; i < nt; i++)
		if (ctm_cx_ph_index(x, &t[i], "S") >= 0) {
			if (c.concept)
				return ctm_cx_reject(x, "two limited sites");
			c.concept = ctm_cx_ph_concept(x, &t[i], "S");
		}
	if (!c.concept)
		return ctm_cx_reject(x, "limited site without a site");
	c.flags = CTM_F_LIMITED;
	return ctm_cx_leaf(x, &c);
}

/* Connective type of a list: X_OR, X_LIST, or -1 when mixed. */
int ctm_cx_list_kind(const tok *t, size_t nt, size_t from, size_t to)
{
	size_t i;
	int has_or = 0, has_and = 0;

	for (i = from; i < to && i < nt; i++) {
		if (ctm_cx_teq(&t[i], "or") || ctm_cx_teq(&t[i], "and/or") ||
		    ctm_cx_teq(&t[i], "/") || ctm_cx_teq(&t[i], "nor"))
			has_or = 1;
		else if (ctm_cx_teq(&t[i], "and"))
			has_and = 1;
	}
	if (has_or && has_and)
		return -1;
	return has_or ? X_OR : X_LIST;
}

int ctm_cx_h_site(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[32];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 32), i, n = 0;
	int kids[16], kind;

	size_t ds, de;
	int sd = ctm_cx_grp(x, "sd", &ds, &de);

	for (i = 0; i < nt && n < 16; i++) {
		ctm_constraint c = ctm_cx_mk(CTM_K_SITE);
		if (ctm_cx_ph_index(x, &t[i], "S") < 0)
			continue;
		c.concept = ctm_cx_ph_concept(x, &t[i], "S");
		/* "leptomeningeal disease" is metastatic by definition, "liver
		 * disease" is not */
		if (sd &&
		    strcmp(ctm_lexicon_name(x->lx, c.concept),
			   "leptomeninges") &&
		    strcmp(ctm_lexicon_name(x->lx, c.concept), "peritoneum"))
			return R_SKIP;
		kids[n++] = ctm_cx_leaf(x, &c);
	}
	kind = ctm_cx_list_kind(t, nt, 0, nt);
	if (kind < 0)
		return ctm_cx_reject(x, "mixed and/or in a site list");
	for (i = 0; i < nt; i++)
		if (ctm_cx_tin(&t[i],
			       (const char *const[]){"dominant", "predominant",
						     "predominantly",
						     "dominantly", NULL})) {
			/* "predominant hepatic metastases": the site must
			 * be there; that it predominates is not read */
			ctm_constraint u = ctm_cx_unread_leaf(x);
			int k2[2];
			k2[0] = ctm_cx_nary(x, kind, kids, n);
			k2[1] = ctm_cx_leaf(x, &u);
			if (k2[0] < 0 || k2[1] < 0)
				return k2[0] < 0 ? k2[0] : k2[1];
			return ctm_cx_nary(x, X_AND, k2, 2);
		}
	return ctm_cx_nary(x, kind, kids, n);
}
