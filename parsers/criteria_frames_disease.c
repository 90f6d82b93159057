/*
 * criteria_frames_disease.c - frames of the criteria reader: disease, stage,
 * resectability, metastatic disease.
 */
#include "criteria_internal.h"

/* ------------------------------------------------------------------ */
/* Handlers: disease, stage, resectability, metastatic                 */
/* ------------------------------------------------------------------ */

/* Roman or arabic stage number at t, or -1. */
static int stage_num(const tok *t)
{
	char buf[8];
	size_t n = t->n;

	if (n && n < sizeof(buf) && strchr("abc", t->p[n - 1]) && n > 1)
		n--;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, t->p, n);
	buf[n] = '\0';
	if (!strcmp(buf, "0"))
		return 0;
	if (!strcmp(buf, "i") || !strcmp(buf, "1"))
		return 1;
	if (!strcmp(buf, "ii") || !strcmp(buf, "2"))
		return 2;
	if (!strcmp(buf, "iii") || !strcmp(buf, "3"))
		return 3;
	if (!strcmp(buf, "iv") || !strcmp(buf, "4"))
		return 4;
	return -1;
}

/* Parses "stage X [or|-|to Y]" at t[*i]; a STAGE leaf. */
static int stage_leaf(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		      size_t *i)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_STAGE);
	int a, b, sub = 0, node;

	if (*i + 1 >= nt || !ctm_cx_teq(&t[*i], "stage"))
		return ctm_cx_reject(x, "stage");
	a = stage_num(&t[*i + 1]);
	if (a < 0)
		return ctm_cx_reject(x, "stage number");
	/* sub-stages below IV ("IIIB") are finer than the profile: the
	 * stage is read, the sub-stage is an unread part beside it */
	if (a < 4 && t[*i + 1].n > 1 &&
	    strchr("abc", t[*i + 1].p[t[*i + 1].n - 1]))
		sub = 1;
	*i += 2;
	b = a;
	if (*i + 1 < nt &&
	    (ctm_cx_teq(&t[*i], "or") || ctm_cx_teq(&t[*i], "and") ||
	     ctm_cx_teq(&t[*i], "-") || ctm_cx_teq(&t[*i], "to") ||
	     ctm_cx_teq(&t[*i], "/"))) {
		size_t j = *i + 1;
		if (j < nt && ctm_cx_teq(&t[j], "stage"))
			j++;
		if (j < nt && (b = stage_num(&t[j])) >= 0) {
			if (b < 4 && t[j].n > 1 &&
			    strchr("abc", t[j].p[t[j].n - 1]))
				sub = 1;
			*i = j + 1;
		} else {
			b = a;
		}
	}
	c.lo = a < b ? a : b;
	c.hi = a < b ? b : a;
	/* a list of stages after a sub-stage ("stage IIB, III, or IV") is
	 * left to whole-sentence review: its items would be read apart */
	if (sub && *i < nt && ctm_cx_teq(&t[*i], ","))
		return ctm_cx_reject(x, "sub-stage not modelled");
	node = ctm_cx_leaf(x, &c);
	if (sub && node >= 0) {
		ctm_constraint u = ctm_cx_unread_leaf(x);
		int k[2] = {node, ctm_cx_leaf(x, &u)};
		node = ctm_cx_nary(x, X_AND, k, 2);
	}
	return node;
}

/*
 * One stage qualifier at t[*i] (advancing *i): metastatic, advanced,
 * unresectable, resectable, stage ...; R_SKIP for a neutral word.
 */
int ctm_cx_stage_word(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		      size_t *i)
{
	ctm_constraint c;

	if (ctm_cx_teq(&t[*i], "metastatic")) {
		(*i)++;
		c = ctm_cx_mk(CTM_K_METASTATIC);
		return ctm_cx_leaf(x, &c);
	}
	if (ctm_cx_teq(&t[*i], "unresectable") ||
	    ctm_cx_teq(&t[*i], "inoperable") ||
	    ctm_cx_teq(&t[*i], "nonresectable")) {
		(*i)++;
		c = ctm_cx_mk(CTM_K_RESECTABLE);
		return ctm_cx_not_(x, ctm_cx_leaf(x, &c));
	}
	if (crules_is_word(&x->p->rules, CRULES_NOT_RECORDED, t[*i].p,
			   t[*i].n)) {
		/* a recurrence is not a fact a profile holds: "metastatic,
		 * recurrent, or unresectable" is unknown unless another of
		 * the list decides it */
		(*i)++;
		c = ctm_cx_unread_leaf(x);
		return ctm_cx_leaf(x, &c);
	}
	if ((ctm_cx_teq(&t[*i], "locally") ||
	     ctm_cx_teq(&t[*i], "locoregionally")) &&
	    *i + 1 < nt &&
	    crules_is_word(&x->p->rules, CRULES_NOT_RECORDED, t[*i + 1].p,
			   t[*i + 1].n)) {
		/* "locally recurrent": a recurrence, which no profile
		 * records, as above */
		(*i) += 2;
		c = ctm_cx_unread_leaf(x);
		return ctm_cx_leaf(x, &c);
	}
	if (ctm_cx_teq(&t[*i], "resectable")) {
		(*i)++;
		c = ctm_cx_mk(CTM_K_RESECTABLE);
		return ctm_cx_leaf(x, &c);
	}
	if (ctm_cx_teq(&t[*i], "advanced")) {
		/* advanced = metastatic or not resectable */
		int k[2];
		ctm_constraint r = ctm_cx_mk(CTM_K_RESECTABLE);
		(*i)++;
		c = ctm_cx_mk(CTM_K_METASTATIC);
		k[0] = ctm_cx_leaf(x, &c);
		k[1] = ctm_cx_not_(x, ctm_cx_leaf(x, &r));
		return ctm_cx_nary(x, X_OR, k, 2);
	}
	if (ctm_cx_teq(&t[*i], "locally") && *i + 1 < nt &&
	    ctm_cx_teq(&t[*i + 1], "advanced")) {
		/* only meaningful next to "metastatic" (checked by caller) */
		(*i) += 2;
		c = ctm_cx_mk(CTM_K_RESECTABLE);
		return ctm_cx_not_(x, ctm_cx_leaf(x, &c));
	}
	if (ctm_cx_teq(&t[*i], "stage"))
		return stage_leaf(x, t, nt, i);
	if (ctm_cx_word(x, CRULES_STAGE_NEUTRAL, &t[*i])) {
		(*i)++;
		return R_SKIP;
	}
	return ctm_cx_reject(x, "disease qualifier not modelled");
}

int ctm_cx_h_disease(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[96];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 96), i = 0, nq = 0,
	       nd = 0, ne = 0, ng = 0;
	int quals[8], qsep[8], ds[16], ex[16], groups[8];
	int in_ex = 0, has_met = 0, has_local = 0, sep = 0, any_or = 0;
	int k[3], n = 0, node;

	while (i < nt) {
		int idx = ctm_cx_ph_index(x, &t[i], "D");
		if (idx >= 0) {
			ctm_constraint c = ctm_cx_mk(CTM_K_DISEASE);
			c.concept = x->hits[idx].concept;
			if (in_ex) {
				if (ne >= 16)
					return ctm_cx_reject(
						x, "long disease list");
				if (!ctm_lexicon_is_a(
					    x->lx, c.concept,
					    x->nodes[ds[0]].c.concept))
					return ctm_cx_reject(x,
							     "'other than' a "
							     "disease outside");
				ex[ne++] = ctm_cx_leaf(x, &c);
			} else {
				if (nd >= 16)
					return ctm_cx_reject(
						x, "long disease list");
				ds[nd++] = ctm_cx_leaf(x, &c);
			}
			i++;
			continue;
		}
		if (nd) {
			/* inside the disease list(s) */
			if (ctm_cx_teq(&t[i], "other") && i + 1 < nt &&
			    ctm_cx_teq(&t[i + 1], "than")) {
				if (nd != 1)
					return ctm_cx_reject(
						x, "'other than' after "
						   "a list");
				in_ex = 1;
				i += 2;
				continue;
			}
			if (ctm_cx_teq(&t[i], "except") ||
			    ctm_cx_teq(&t[i], "excluding") ||
			    ctm_cx_teq(&t[i], "apart")) {
				if (nd != 1)
					return ctm_cx_reject(x,
							     "'except' after a "
							     "list");
				in_ex = 1;
				i++;
				if (i < nt && (ctm_cx_teq(&t[i], "for") ||
					       ctm_cx_teq(&t[i], "from")))
					i++;
				continue;
			}
			i++; /* connectives and "other/any/another" */
			continue;
		}
		/* qualifiers and the connectives between them */
		if (ctm_cx_teq(&t[i], "or") || ctm_cx_teq(&t[i], "and/or") ||
		    ctm_cx_teq(&t[i], "/")) {
			sep = X_OR;
			i++;
			continue;
		}
		if (ctm_cx_teq(&t[i], "and")) {
			if (sep != X_OR)
				sep = X_AND;
			i++;
			continue;
		}
		if (ctm_cx_teq(&t[i], ",")) {
			if (!sep)
				sep = X_LIST;
			i++;
			continue;
		}
		if (ctm_cx_teq(&t[i], "metastatic"))
			has_met = 1;
		if (ctm_cx_teq(&t[i], "locally") && i + 1 < nt &&
		    ctm_cx_teq(&t[i + 1], "advanced"))
			has_local = 1;
		node = ctm_cx_stage_word(x, t, nt, &i);
		if (node == R_SKIP)
			continue;
		if (node < 0)
			return node;
		if (nq >= 8)
			return ctm_cx_reject(x, "too many qualifiers");
		qsep[nq] = nq ? sep : 0;
		quals[nq++] = node;
		any_or |= sep == X_OR;
		sep = 0;
	}
	if (!nd)
		return R_SKIP;
	if (has_local && !(has_met && any_or))
		return ctm_cx_reject(x, "'locally advanced' alone");
	/* "locally advanced and unresectable or metastatic": AND binds
	 * tighter than OR; commas take the list's connective */
	for (i = 0; i < nq; i++) {
		int s2 = qsep[i];
		if (i &&
		    (s2 == 0 || s2 == X_AND || (s2 == X_LIST && !any_or))) {
			groups[ng - 1] = ctm_cx_nary(
				x, X_AND, (int[]){groups[ng - 1], quals[i]}, 2);
			continue;
		}
		groups[ng++] = quals[i];
	}
	/* a list of diseases admits any of them */
	k[n++] = ctm_cx_nary(x, X_OR, ds, nd);
	if (ne)
		k[n++] = ctm_cx_not_(x, ctm_cx_nary(x, X_OR, ex, ne));
	if (ng)
		k[n++] = ctm_cx_nary(x, any_or ? X_OR : X_AND, groups, ng);
	return ctm_cx_nary(x, X_AND, k, (size_t)n);
}

int ctm_cx_h_resect(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_RESECTABLE);
	tok t[16];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 16), i, as, ae;
	int node = -1;

	for (i = 0; i < nt; i++)
		if (ctm_cx_teq(&t[i], "unresectable"))
			node = ctm_cx_not_(x, ctm_cx_leaf(x, &c));
	if (node == -1)
		node = ctm_cx_leaf(x, &c);
	if (node >= 0 && ctm_cx_grp(x, "adv", &as, &ae)) {
		/* "advanced disease not amenable to surgery": advanced
		 * (metastatic or not resectable), and not resectable */
		tok at = {x->sk + as, ae - as};
		size_t k = 0;
		ctm_constraint m = ctm_cx_mk(CTM_K_METASTATIC);
		int q = ctm_cx_teq(&at, "distant") ? ctm_cx_leaf(x, &m)
					    : ctm_cx_stage_word(x, &at, 1, &k),
		    k2[2];
		if (q < 0)
			return q;
		k2[0] = q;
		k2[1] = node;
		node = ctm_cx_nary(x, X_AND, k2, 2);
	}
	return node;
}

int ctm_cx_h_stage(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[16];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 16), i = 0, k;
	const char *after = x->sk + me;
	int n;

	/* a list going on after a sub-stage ("stage IIB , III , or IV"):
	 * its items would be read apart, so the sentence stays review */
	while (*after == ' ')
		after++;
	for (k = 1; *after == ',' && k < nt; k++)
		if (stage_num(&t[k]) >= 0 && stage_num(&t[k]) < 4 &&
		    t[k].n > 1 && strchr("abc", t[k].p[t[k].n - 1]))
			return ctm_cx_reject(x, "sub-stage not modelled");
	n = stage_leaf(x, t, nt, &i);

	if (n >= 0 && i != nt)
		return ctm_cx_reject(x, "stage");
	return n;
}

int ctm_cx_h_metastatic(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_METASTATIC);

	(void)ms, (void)me;
	return ctm_cx_leaf(x, &c);
}
