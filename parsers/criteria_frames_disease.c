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
 * Dukes' classes and the modified Astler-Coller classes of colorectal
 * cancer in stages (AJCC 8th edition, colon and rectum): A is T1 N0 (in
 * Dukes' first scheme T1-2 N0), B1 T2 N0, B2 T3 N0, B3 T4 N0, B T2-4 N0 (in
 * Dukes' scheme T3-4 N0), C1-C3 N+ by T, C N+, D distant metastases. Each
 * class is a set of parts of stages: a, b1 (stage I); b2, b3 (II); c1-c3
 * (III); d (IV). A class read in either scheme may name at most max and
 * at least min of them. A stage all of whose parts are named under every
 * scheme is read; a stage only part of which is named is read with an
 * unread part beside it (it narrows).
 */
enum { DK_A = 1, DK_B1 = 2, DK_B2 = 4, DK_B3 = 8, DK_C1 = 16, DK_C2 = 32,
       DK_C3 = 64, DK_D = 128 };

static const unsigned dukes_stage_parts[5] = {
	0, DK_A | DK_B1, DK_B2 | DK_B3, DK_C1 | DK_C2 | DK_C3, DK_D};

/* The parts one class ("b2", "c") names at least and at most; 0 if it is
 * no class. */
static int dukes_class(const char *p, size_t n, unsigned *min, unsigned *max)
{
	static const struct {
		const char *cls;
		unsigned min, max;
	} classes[] = {
		{"a", DK_A, DK_A | DK_B1},
		{"b", DK_B2 | DK_B3, DK_B1 | DK_B2 | DK_B3},
		{"b1", DK_B1, DK_B1},
		{"b2", DK_B2, DK_B2},
		{"b3", DK_B3, DK_B3},
		{"c", DK_C1 | DK_C2 | DK_C3, DK_C1 | DK_C2 | DK_C3},
		{"c1", DK_C1, DK_C1},
		{"c2", DK_C2, DK_C2},
		{"c3", DK_C3, DK_C3},
		{"d", DK_D, DK_D},
	};
	size_t k;

	for (k = 0; k < sizeof(classes) / sizeof(classes[0]); k++)
		if (strlen(classes[k].cls) == n &&
		    !memcmp(classes[k].cls, p, n)) {
			*min |= classes[k].min;
			*max |= classes[k].max;
			return 1;
		}
	return 0;
}

/* The classes of one token ("b2", "a/b1"); 0 if it holds no class. */
static int dukes_token(const tok *t, unsigned *min, unsigned *max)
{
	size_t a = 0, b;

	while (a < t->n) {
		for (b = a; b < t->n && t->p[b] != '/'; b++)
			;
		if (!dukes_class(t->p + a, b - a, min, max))
			return 0;
		a = b + 1;
	}
	return t->n > 0 && t->p[t->n - 1] != '/';
}

/* True at "dukes", "astler coller", "modified astler coller". */
static int dukes_lead(const tok *t, size_t nt, size_t i)
{
	if (ctm_cx_teq(&t[i], "dukes"))
		return 1;
	if (ctm_cx_teq(&t[i], "modified"))
		i++;
	return i + 1 < nt && ctm_cx_teq(&t[i], "astler") &&
	       ctm_cx_teq(&t[i + 1], "coller");
}

/* Parses a Dukes' or Astler-Coller class list at t[*i]; its stage leaves. */
static int dukes_leaf(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		      size_t *i)
{
	unsigned min = 0, max = 0;
	size_t j = *i;
	int runs[4], nr = 0, partial = 0, s, node;

	if (j + 2 < nt && (ctm_cx_teq(&t[j], "classification") ||
			   ctm_cx_teq(&t[j], "stage")) &&
	    ctm_cx_teq(&t[j + 1], "of"))
		j += 2;
	else if (j + 3 < nt && (ctm_cx_teq(&t[j], "pathologic") ||
				ctm_cx_teq(&t[j], "pathological")) &&
		 ctm_cx_teq(&t[j + 2], "of"))
		j += 3;
	if (j >= nt || !dukes_lead(t, nt, j))
		return ctm_cx_reject(x, "Dukes' class");
	j += ctm_cx_teq(&t[j], "dukes") ? 1
	     : ctm_cx_teq(&t[j], "modified") ? 3
					     : 2;
	if (j < nt && (ctm_cx_teq(&t[j], "stage") ||
		       ctm_cx_teq(&t[j], "classification") ||
		       ctm_cx_teq(&t[j], "class")))
		j++;
	if (j >= nt || !dukes_token(&t[j], &min, &max))
		return ctm_cx_reject(x, "Dukes' class");
	j++;
	for (;;) {
		size_t k = j;
		unsigned mn = 0, mx = 0;
		if (k < nt && ctm_cx_teq(&t[k], ","))
			k++;
		if (k < nt && (ctm_cx_teq(&t[k], "or") ||
			       ctm_cx_teq(&t[k], "and") ||
			       ctm_cx_teq(&t[k], "and/or") ||
			       ctm_cx_teq(&t[k], "/")))
			k++;
		if (k >= nt || k == j || !dukes_token(&t[k], &mn, &mx))
			break;
		min |= mn;
		max |= mx;
		j = k + 1;
	}
	/* the TNM it restates, in parentheses: the class decides */
	if (j < nt && ctm_cx_teq(&t[j], "(")) {
		size_t k = j + 1;
		while (k < nt && !ctm_cx_teq(&t[k], ")"))
			k++;
		if (k < nt)
			j = k + 1;
	}
	*i = j;
	/* the stages named, each whole or in part, in runs */
	for (s = 1; s <= 4; s++) {
		ctm_constraint c;
		if (!(max & dukes_stage_parts[s]))
			continue;
		if ((min & dukes_stage_parts[s]) != dukes_stage_parts[s])
			partial = 1;
		if (nr && x->nodes[runs[nr - 1]].c.hi == s - 1) {
			x->nodes[runs[nr - 1]].c.hi = s;
			continue;
		}
		c = ctm_cx_mk(CTM_K_STAGE);
		c.lo = c.hi = s;
		runs[nr++] = ctm_cx_leaf(x, &c);
		if (runs[nr - 1] < 0)
			return runs[nr - 1];
	}
	node = ctm_cx_nary(x, X_OR, runs, (size_t)nr);
	if (node >= 0 && partial) {
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
	if (dukes_lead(t, nt, *i) ||
	    (*i + 2 < nt && ctm_cx_teq(&t[*i + 1], "of") &&
	     dukes_lead(t, nt, *i + 2)) ||
	    (*i + 3 < nt && ctm_cx_teq(&t[*i + 2], "of") &&
	     dukes_lead(t, nt, *i + 3)))
		return dukes_leaf(x, t, nt, i);
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
	tok t[48];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 48), i = 0, k;
	const char *after = x->sk + me;
	int n;

	if (!ctm_cx_teq(&t[0], "stage") || (nt > 1 && ctm_cx_teq(&t[1], "of"))) {
		n = dukes_leaf(x, t, nt, &i);
		if (n >= 0 && i != nt)
			return ctm_cx_reject(x, "Dukes' class");
		return n;
	}

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
