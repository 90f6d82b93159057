/*
 * criteria_scope.c - scope in the criteria reader: headings, exceptions,
 * negation and permissions across the sentences of one criterion.
 */
#include "criteria_internal.h"

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

static int hmatch(struct ctm_criteria_ctx *x, int rx, const char *h, size_t hl)
{
	int rc = pcre2_match(ctm_cx_re(x->p, rx), (PCRE2_SPTR)h, hl, 0, 0, x->md,
			     x->mc);

	if (rc > 0)
		x->cur_rx = rx;
	return rc > 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/*
 * True if the heading offers alternatives ("one of the following"); not
 * for "including all of the following".
 */
int ctm_cx_heading_alternatives(struct ctm_criteria_ctx *x, const char *h,
				size_t hl)
{
	size_t start = 0;

	while (start <= hl) {
		PCRE2_SIZE *ov;
		int rc = pcre2_match(ctm_cx_re(x->p, RX_H_ALT), (PCRE2_SPTR)h, hl,
				     start, 0, x->md, x->mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc < 0)
			return 1;
		ov = pcre2_get_ovector_pointer(x->md);
		if (!(ov[1] - ov[0] == 9 && !strncasecmp(h + ov[0], "including", 9) &&
		      (!strncasecmp(h + ov[1], " all of ", 8) ||
		       !strncasecmp(h + ov[1], " both of ", 9))))
			return 1;
		start = ov[1];
	}
	return 0;
}

/*
 * A heading "Life expectancy:" names what its items measure only when an
 * item is a bare length ("At least 12 weeks", "> 3 months"); an item
 * under it may be another criterion ("ECOG 0-2", "Platelet count at least
 * 100,000/mm3") or say it itself. "Age:" and "Performance status:" items
 * are read with the label always (their frames want it).
 */
static int label_applies(struct ctm_criteria_ctx *x, const char *lab,
			 size_t n, const char *text)
{
	const crules *ru = &x->p->rules;

	if (crules_layout_find(ru, CRULES_L_LENGTH_LABEL, lab, n) < 0)
		return 1;
	x->h_label_text = 1;
	while (*text == ' ')
		text++;
	if (*text >= '0' && *text <= '9')
		return 1;
	return crules_layout_starts(ru, CRULES_L_LENGTH_LEAD, text);
}

/*
 * The window of a heading-within match: days into x->h_within, the
 * match's bounds into *ws, *we. "within the past month" is one month;
 * hours count only in whole days ("within 72 hours": 3 days). Returns
 * R_REJECT (with the reason set) for a window it cannot read.
 */
static int heading_window(struct ctm_criteria_ctx *x, const char *h,
			  size_t *ws, size_t *we)
{
	static const char *const words[] = {"one", "two", "three", "four",
					    "five", "six", "eight", "twelve"};
	static const double wv[] = {1, 2, 3, 4, 5, 6, 8, 12};
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
	size_t s, e, us, ue, i;
	double v = 1;
	char nb[16];

	*ws = ov[0];
	*we = ov[1];
	if (!ctm_cx_grp(x, "hu", &us, &ue))
		return ctm_cx_reject(x, "heading time");
	if (ctm_cx_grp(x, "hn", &s, &e)) {
		if (e - s >= sizeof(nb))
			return ctm_cx_reject(x, "heading time");
		memcpy(nb, h + s, e - s);
		nb[e - s] = '\0';
		if (nb[0] >= '0' && nb[0] <= '9') {
			v = strtod(nb, NULL);
		} else {
			for (i = 0; i < sizeof(words) / sizeof(*words); i++)
				if (!strcasecmp(nb, words[i]))
					break;
			if (i == sizeof(words) / sizeof(*words))
				return ctm_cx_reject(x, "heading time");
			v = wv[i];
		}
	} else if (!ctm_cx_grp(x, "hp", &s, &e)) {
		return ctm_cx_reject(x, "heading time"); /* "within the day" */
	}
	if (!strncasecmp(h + us, "hour", 4)) {
		if (v < 24 || (long)v % 24 || v != (double)(long)v)
			return ctm_cx_reject(x, "heading time unit");
		x->h_within = (uint32_t)(v / 24);
		return 0;
	}
	if (ctm_cx_unit_days(h + us, ue - us, v, &x->h_within))
		return ctm_cx_reject(x, "heading time unit");
	return 0;
}

/* Does h hold a time word outside [ws,we)? */
static int time_outside(struct ctm_criteria_ctx *x, const char *h, size_t hl,
			size_t ws, size_t we)
{
	pcre2_code *re = ctm_cx_re(x->p, RX_H_TIME);

	return pcre2_match(re, (PCRE2_SPTR)h, ws, 0, 0, x->md, x->mc) > 0 ||
	       pcre2_match(re, (PCRE2_SPTR)h, hl, we, 0, x->md, x->mc) > 0;
}

/*
 * "Concurrent Medication: Excluded within 4 weeks of study entry" (the
 * AIDS-era label and its polarity label): what was taken within the
 * window is excluded, and so what is taken now; the window says it all.
 * Only for the path of those two labels alone.
 */
static int concurrent_label_within(const char *h)
{
	static const char *const paths[] = {
		"concurrent medication: excluded within ",
		"concurrent treatment: excluded within "};
	size_t i, n;

	for (i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		n = strlen(paths[i]);
		if (!strncasecmp(h, paths[i], n) && !strstr(h + n, ": "))
			return 1;
	}
	return 0;
}

/*
 * What the enclosing heading does to a criterion: a cohort, donor or
 * permission heading, alternatives ("one of the following") or a negated
 * lead-in leave it for review; "Excluded within 30 days" and "Concurrent
 * medication" qualify its therapies; "Age:" and "Performance status:" are
 * part of its sentence (*text becomes "<label>: <text>").
 */
int ctm_cx_read_heading(struct ctm_criteria_ctx *x, const ctm_criterion *c,
			const char **text, size_t *len)
{
	const char *h = c->heading;
	size_t hl = strlen(h), s, e;
	int r;

	if (hl > 600)
		return ctm_cx_reject(x, "heading too long");
	if (hmatch(x, RX_COHORT, h, hl))
		return ctm_cx_reject(x, "criterion under a cohort heading");
	if (hmatch(x, RX_H_REVIEW, h, hl))
		return ctm_cx_reject(x,
			      "heading: other people, permission, exception");
	if (c->section != CTM_SECTION_EXCLUSION) {
		if (ctm_cx_heading_alternatives(x, h, hl))
			return ctm_cx_reject(x,
				      "heading: one of several alternatives");
		if (hmatch(x, RX_H_NEG, h, hl))
			return ctm_cx_reject(x, "heading: a negated lead-in");
	} else if (hmatch(x, RX_H_ALL, h, hl)) {
		return ctm_cx_reject(x, "heading: all of the following");
	}
	r = hmatch(x, RX_H_WITHIN, h, hl);
	if (r == 1) {
		size_t ws = 0, we = 0;
		if (heading_window(x, h, &ws, &we))
			return R_REJECT;
		/* a time the window does not hold ("Excluded within 2 weeks
		 * of study entry or for greater than 2 weeks of therapy",
		 * "for greater than 1 week within the last 3 months"): the
		 * window alone would read it wrongly */
		if (time_outside(x, h, hl, ws, we)) {
			x->h_within = 0;
			x->h_time = 1;
		}
	} else if (hmatch(x, RX_H_TIME, h, hl)) {
		x->h_time = 1;
	}
	if (hmatch(x, RX_H_CURRENT, h, hl) && !hmatch(x, RX_H_PRIOR, h, hl))
		x->h_current = 1;
	if (x->h_current && x->h_within && concurrent_label_within(h))
		x->h_current = 0;
	if (x->h_current && x->h_within)
		return ctm_cx_reject(x, "heading: concurrent and within");
	if (hmatch(x, RX_H_LABEL, h, hl) && ctm_cx_grp(x, "lab", &s, &e) &&
	    label_applies(x, h + s, e - s, c->text)) {
		int n = snprintf(x->text, sizeof(x->text), "%.*s: %s",
				 (int)(e - s), h + s, c->text);
		if (n < 0 || (size_t)n >= sizeof(x->text))
			return ctm_cx_reject(x, "criterion too long");
		*text = x->text;
		*len = (size_t)n;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Exceptions                                                          */
/* ------------------------------------------------------------------ */

/* Collects the leaf concepts under node id into cs (at most max). */
static size_t leaf_concepts(const struct ctm_criteria_ctx *x, int id,
			    ctm_concept *cs, size_t n, size_t max,
			    unsigned depth)
{
	const xnode *nd = &x->nodes[id];
	size_t i;

	if (depth > 32)
		return n;
	if (nd->op == X_LEAF) {
		if (n < max && nd->c.concept)
			cs[n++] = nd->c.concept;
		return n;
	}
	for (i = 0; i < nd->n; i++)
		n = leaf_concepts(x, x->kids[nd->first + i], cs, n, max,
				  depth + 1);
	return n;
}

/*
 * Narrows every leaf under id that one of the excepted concepts is-a (the
 * exception names a kind of it): the leaf becomes (leaf AND unread).
 * Returns how many leaves it narrowed, or a negative error.
 */
static int narrow_leaves(struct ctm_criteria_ctx *x, int id,
			 const ctm_concept *ex, size_t nex, unsigned depth)
{
	xnode *nd = &x->nodes[id];
	size_t i;
	int total = 0;

	if (depth > 32)
		return 0;
	if (nd->op != X_LEAF) {
		for (i = 0; i < nd->n; i++) {
			int r = narrow_leaves(x, x->kids[nd->first + i], ex, nex,
					      depth + 1);
			if (r < 0)
				return r;
			total += r;
		}
		return total;
	}
	for (i = 0; i < nex; i++) {
		if (nd->c.concept &&
		    ctm_lexicon_is_a(x->lx, ex[i], nd->c.concept)) {
			ctm_constraint u = ctm_cx_unread_leaf(x), keep = nd->c;
			int k2[2], a;
			k2[0] = ctm_cx_leaf(x, &keep);
			k2[1] = ctm_cx_leaf(x, &u);
			a = ctm_cx_nary(x, X_AND, k2, 2);
			if (a < 0)
				return a;
			x->nodes[id] = x->nodes[a]; /* the AND takes its place */
			return 1;
		}
	}
	return 0;
}

/*
 * "Prior oxaliplatin or fluoropyrimidine chemotherapy (other than
 * radiation-sensitizing fluoropyrimidine)", "Any prior anti-EGFR therapy
 * except cetuximab": an exception narrows what it follows and never
 * widens it (X except Y = X AND NOT Y). The exception is not read: it is
 * an unread part ANDed to the items it names a kind of (the
 * fluoropyrimidine, not the oxaliplatin), or to the whole clause before it
 * when it names none of them. Under the sentence's negation that leaves
 * "no oxaliplatin" deciding and "no fluoropyrimidine" unknown. The span is
 * the parenthesis the cue opens, or the rest of the sentence. Copies t
 * into o without the exception.
 */
static int read_exceptions(struct ctm_criteria_ctx *x, const tok *t,
			   size_t nt, tok *o, size_t *no)
{
	size_t i, n = 0;

	for (i = 0; i < nt;) {
		size_t cue = 0, end, b, j;
		int target = -1, paren;
		ctm_concept ex[16];
		size_t nex = 0;

		if (ctm_cx_teq(&t[i], "except") ||
		    ctm_cx_teq(&t[i], "excluding"))
			cue = 1;
		else if (ctm_cx_teq(&t[i], "other") && i + 1 < nt &&
			 ctm_cx_teq(&t[i + 1], "than"))
			cue = 2;
		else if (ctm_cx_teq(&t[i], "with") && i + 2 < nt &&
			 ctm_cx_teq(&t[i + 1], "the") &&
			 ctm_cx_teq(&t[i + 2], "exception"))
			cue = (i + 3 < nt && ctm_cx_teq(&t[i + 3], "of")) ? 4
									  : 3;
		/* "other than" right after a clause, or opening a parenthesis
		 * after one; "no other X than" is another construction */
		paren = n && ctm_cx_teq(&o[n - 1], "(");
		b = paren ? n - 1 : n;
		while (b && ctm_cx_teq(&o[b - 1], ","))
			b--;
		if (!cue || !b || ctm_cx_ph_index(x, &o[b - 1], "Q") < 0) {
			o[n++] = t[i++];
			continue;
		}
		target = x->clause[ctm_cx_ph_index(x, &o[b - 1], "Q")];
		if (ctm_cx_has_not(x, target, 0))
			return ctm_cx_reject(
				x, "an exception to a negated clause");
		for (end = i + cue; end < nt; end++) {
			int q;
			if (paren && ctm_cx_teq(&t[end], ")"))
				break;
			if (ctm_cx_teq(&t[end], "(") ||
			    ctm_cx_teq(&t[end], ")"))
				return ctm_cx_reject(
					x, "a parenthesis in an exception");
			q = ctm_cx_ph_index(x, &t[end], "Q");
			if (q >= 0)
				nex = leaf_concepts(x, x->clause[q], ex, nex, 16,
						    0);
		}
		if (paren && end == nt)
			return ctm_cx_reject(x, "an exception left open");
		{
			int r = narrow_leaves(x, target, ex, nex, 0);
			if (r < 0)
				return r;
			if (r == 0) {
				/* names none of the items: the whole clause */
				ctm_constraint u = ctm_cx_unread_leaf(x);
				int k2[2], a;
				xnode copy = x->nodes[target];
				if (x->nn >= MAX_NODES)
					return ctm_cx_reject(x,
							     "too many nodes");
				x->nodes[x->nn] = copy;
				k2[0] = (int)x->nn++;
				k2[1] = ctm_cx_leaf(x, &u);
				a = ctm_cx_nary(x, X_AND, k2, 2);
				if (a < 0)
					return a;
				x->nodes[target] = x->nodes[a];
			}
		}
		for (j = 0; j < x->nq; j++)
			if (x->clause[j] == target)
				x->qkinds[j] |= 1u << CTM_K_NONE;
		/* drop the exception, and the "(" or "," that opened it */
		n = paren ? n - 1 : n;
		i = paren ? end + 1 : nt;
	}
	*no = n;
	return 0;
}

static int sentence1(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		     const tok *t, size_t nt, int *out, int either)
{
	int expr, neg = 0, rc;
	uint32_t skinds;
	tok u[MAX_TOKS], e[MAX_TOKS], f[MAX_TOKS];
	size_t nu = 0, ne = 0, nf = 0;

	if (either) {
		if ((rc = ctm_cx_read_either(x, t, nt, f, &nf)))
			return rc;
		t = f;
		nt = nf;
	}
	if ((rc = read_exceptions(x, t, nt, e, &ne)))
		return rc;
	if ((rc = ctm_cx_read_unread(x, e, ne, u, &nu)))
		return rc;
	/* "cancer", "malignancy", "carcinoma" (the root concept) next to
	 * anything else is too often an adjective or an example of
	 * something narrower ("cancer chemotherapeutic agents", "primary
	 * malignancies or metastatic disease of the CNS") */
	if (x->p->cancer) {
		size_t k, nq = 0;
		int generic = 0, other = 0;
		for (k = 0; k < nu; k++) {
			int q = ctm_cx_ph_index(x, &u[k], "Q");
			const xnode *qn;
			if (q < 0)
				continue;
			nq++;
			qn = &x->nodes[x->clause[q]];
			if (qn->op == X_LEAF && qn->c.kind == CTM_K_DISEASE &&
			    qn->c.concept == x->p->cancer)
				generic++;
			/* "a HER2-overexpressing malignancy", "metastatic
			 * cancer": qualifiers of the cancer itself */
			else if (x->qkinds[q] &
				 ~((1u << CTM_K_BIOMARKER) |
				   (1u << CTM_K_METASTATIC) |
				   (1u << CTM_K_STAGE) |
				   (1u << CTM_K_RESECTABLE)))
				other = 1;
		}
		if (generic && (other || generic > 1))
			return ctm_cx_reject(x, "'cancer' with other clauses");
	}
	if ((rc = ctm_cx_assemble(x, u, nu, &expr, &neg, &skinds)))
		return rc;
	/* "No X, or ..." in an exclusion list: a double negative read
	 * literally; with a part unread, too uncertain */
	if (c->section == CTM_SECTION_EXCLUSION && neg == 1 &&
	    (skinds & (1u << CTM_K_NONE)))
		return ctm_cx_reject(
			x, "'no X' in an exclusion list, partly unread");
	if (c->section == CTM_SECTION_EXCLUSION && x->modal_first) {
		/* "Participants must not have untreated CNS metastases" in an
		 * exclusion list restates the exclusion; "must have X" there
		 * cannot be read either way */
		if (neg != 1)
			return ctm_cx_reject(
				x, "a requirement in the exclusion list");
		neg = 0;
	} else if (c->section == CTM_SECTION_EXCLUSION) {
		/* a washout or a "no other/concurrent" in an exclusion list is
		 * a requirement written in the wrong place, not a double
		 * negative: the literal reading would demand the therapy */
		if (!neg && x->since_clause)
			return ctm_cx_reject(x,
					     "washout written as an exclusion");
		if (neg && (x->h_current ||
			    hmatch(x, RX_EXCL_ODD, c->text, strlen(c->text))))
			return ctm_cx_reject(x,
					     "exclusion phrased as 'no other/"
					     "concurrent ...'");
		/* "No untreated brain metastases" in an exclusion list: read
		 * literally it would demand brain metastases; for facts that
		 * bar a patient the writer restates the exclusion. ("No
		 * measurable disease" stays a double negative.) */
		if (neg == 1) {
			uint32_t bad = (1u << CTM_K_BRAIN_METS) |
				       (1u << CTM_K_PREGNANT) |
				       (1u << CTM_K_BREASTFEEDING) |
				       (1u << CTM_K_LAB) | (1u << CTM_K_ECOG) |
				       (1u << CTM_K_KARNOFSKY) |
				       (1u << CTM_K_AGE) | (1u << CTM_K_SITE);
			if (skinds & bad)
				return ctm_cx_reject(
					x, "'no X' in an exclusion list, "
					   "X a barring fact");
		}
	}
	/* "X are excluded" says the polarity, it does not flip it */
	if (neg == 2 || (c->section == CTM_SECTION_EXCLUSION) != (neg == 1))
		expr = ctm_cx_not_(x, expr);
	*out = expr;
	return expr < 0 ? expr : 0;
}

/* A sentence; "Q and either ..." is read with the alternatives unread only
 * when the whole does not read. */
static int sentence(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		    const tok *t, size_t nt, int *out)
{
	size_t i;
	int rc = sentence1(x, c, t, nt, out, 0);

	if (rc != R_REJECT)
		return rc;
	for (i = 1; i + 1 < nt; i++)
		if (ctm_cx_teq(&t[i], "and") && ctm_cx_teq(&t[i + 1], "either"))
			return sentence1(x, c, t, nt, out, 1);
	return rc;
}

/*
 * An inline label that names the cancers a criterion is for: "PDAC, CRC,
 * Other tumor types: Confirmed KRAS mutation", "Colorectal cancer: prior
 * oxaliplatin". The criterion binds only patients with those cancers, so
 * it reads as (NOT label) OR criterion; a label that also says "other
 * tumour types" names everyone, and the criterion stands alone. Only a
 * label of diseases is read here: one naming a line, a part or an arm
 * ("CRC (2-3L):") may have sibling cohorts and stays review. On return
 * *body is the first token after the label (0 when there is none) and
 * *label the label's disease clause, or -1.
 */
int ctm_cx_disease_label(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
			 size_t *body, int *label)
{
	size_t colon, i;
	int dis = -1, other = 0;

	*body = 0;
	*label = -1;
	for (colon = 0; colon < nt && !ctm_cx_teq(&t[colon], ":"); colon++)
		;
	if (colon == 0 || colon + 1 >= nt)
		return 0;
	for (i = 0; i < colon; i++) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		if (q >= 0) {
			if (x->qkinds[q] & ~(1u << CTM_K_DISEASE))
				return 0;
			if (dis >= 0)
				return 0; /* one list of diseases */
			dis = x->clause[q];
			continue;
		}
		if (ctm_cx_teq(&t[i], ",") || ctm_cx_teq(&t[i], "and") ||
		    ctm_cx_teq(&t[i], "or") || ctm_cx_teq(&t[i], "/") ||
		    ctm_cx_teq(&t[i], "and/or"))
			continue;
		if (crules_is_word(&x->p->rules, CRULES_LABEL_OTHER, t[i].p,
				   t[i].n)) {
			other = 1;
			continue;
		}
		return 0;
	}
	if (dis < 0 || ctm_cx_has_not(x, dis, 0))
		return 0;
	*body = colon + 1;
	if (!other)
		*label = dis;
	return 0;
}

/*
 * A sentence that permits treated brain metastases: "Patients with
 * treated, stable CNS metastases for >= 4 weeks are allowed", "Known
 * history of CNS metastasis allowed if patients have had treatment". It
 * names brain metastases (read or not), says treated, permits, and
 * denies nothing.
 */
int ctm_cx_brain_permission(const struct ctm_criteria_ctx *x, const tok *t,
			    size_t nt)
{
	size_t i;
	int brain = 0, treated = 0, perm = 0, lepto = 0;

	for (i = 0; i < nt; i++) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		/* after "allowed if", the conditions of the permission:
		 * "... are neurologically stable and do not require
		 * steroids or anticonvulsants, provided a brain scan shows
		 * no active disease" narrow it and never widen it, so
		 * their therapies, scans and denials are no other topic */
		if (perm && treated &&
		    (ctm_cx_ph_index(x, &t[i], "RCXP") >= 0 ||
		     (q >= 0 && !(x->qkinds[q] & ~(1u << CTM_K_THERAPY))) ||
		     crules_is_word(&x->p->rules, CRULES_PERMIT_CONDITION,
				    t[i].p, t[i].n)))
			continue;
		/* "cerebral/meningeal disease": brain and leptomeningeal */
		if (ctm_cx_ph_index(x, &t[i], "B") >= 0 ||
		    (q >= 0 && (x->qkinds[q] & (1u << CTM_K_BRAIN_METS)) &&
		     !(x->qkinds[q] & ~((1u << CTM_K_BRAIN_METS) |
					(1u << CTM_K_SITE))))) {
			brain = 1;
			if (q >= 0 && (x->qkinds[q] & (1u << CTM_K_SITE)))
				lepto = 1;
		}
		else if (q >= 0 && x->qkinds[q] == (1u << CTM_K_METASTATIC))
			continue; /* "CNS metastasis", read apart */
		else if (q >= 0 ||
			 ctm_cx_ph_index(x, &t[i], "RCXPDGVMLSH") >= 0)
			return 0; /* about something else too */
		else if (ctm_cx_teq(&t[i], "treated") ||
			 ctm_cx_teq(&t[i], "treatment"))
			treated = 1;
		else if (ctm_cx_word(x, CRULES_PERMISSION, &t[i]) ||
			 ctm_cx_teq(&t[i], "may"))
			perm = 1;
		else if (ctm_cx_tin(&t[i], (const char *const[]){"no", "not",
							  "without", "never",
							  "untreated", "active",
							  "ineligible",
							  "excluded", NULL}))
			return 0;
	}
	return brain && treated && perm ? 1 + lepto : 0;
}

/*
 * Sentences read in part. A criterion of several sentences ("." or, when
 * the whole does not read, ";") holds when all of them hold, so a sentence
 * that does not read is an unread part, always unknown, ANDed with the
 * rest: what is read then decides alone when it fails (an inclusion) or
 * when it bars (an exclusion). That is sound only if the unread sentence
 * cannot widen or undo another: one that permits, excepts, makes a
 * condition or addresses a subgroup ("if ...", "may ...", "patients with
 * liver metastases ...") keeps the whole criterion review. The cue words
 * are rule data (partial.tsv).
 */
static int widening_sentence(const struct ctm_criteria_ctx *x, const tok *t,
			     size_t nt)
{
	size_t i;

	for (i = 0; i < nt; i++) {
		if (crules_is_word(&x->p->rules, CRULES_WIDENING, t[i].p,
				   t[i].n))
			return 1;
		/* "patients with ...", "those who ...": a subgroup */
		if (i + 1 < nt &&
		    crules_is_word(&x->p->rules, CRULES_SUBGROUP, t[i].p,
				   t[i].n) &&
		    crules_is_word(&x->p->rules, CRULES_SUBGROUP_LINK,
				   t[i + 1].p, t[i + 1].n))
			return 1;
	}
	return 0;
}

/*
 * Reads one sentence t[0,nt) into parts[*np]: its expression, or, when it
 * does not read and may not widen the others, an unread leaf. split: try
 * its ";"-separated pieces one by one before giving up on it.
 */
int ctm_cx_read_part(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		     const tok *t, size_t nt, int *parts, size_t *np,
		     size_t *nread, int split)
{
	size_t i, b, semis = 0;
	int rc;

	if (*np >= MAX_PARTS)
		return ctm_cx_reject(x, "too many sentences");
	rc = sentence(x, c, t, nt, &parts[*np]);
	if (rc == 0) {
		(*np)++;
		(*nread)++;
		return 0;
	}
	if (rc != R_REJECT)
		return rc;
	for (i = 0; i < nt; i++)
		semis += ctm_cx_teq(&t[i], ";");
	if (split && semis) {
		/* "Chronic use of: itraconazole; ketoconazole; ...": a lead-in
		 * ending in ':' that governs every piece (words.tsv
		 * leadin-governs); alone one would read "prior ketoconazole" */
		for (i = 0; i < nt && !ctm_cx_teq(&t[i], ";"); i++) {
			size_t k;
			if (!ctm_cx_teq(&t[i], ":"))
				continue;
			for (k = 0; k < i; k++)
				if (crules_is_word(&x->p->rules,
						   CRULES_LEADIN_GOVERNS,
						   t[k].p, t[k].n))
					return ctm_cx_reject(
						x, "a lead-in over ';' pieces");
		}
		/* "...; > grade 1 night sweats; or weight loss": pieces that
		 * are alternatives do not all hold (in an exclusion list
		 * each bars alone, so all their negations hold) */
		for (i = 0; c->section != CTM_SECTION_EXCLUSION && i + 1 < nt;
		     i++)
			if (ctm_cx_teq(&t[i], ";") &&
			    (ctm_cx_teq(&t[i + 1], "or") ||
			     ctm_cx_teq(&t[i + 1], "and/or")))
				return ctm_cx_reject(
					x, "alternatives between ';' pieces");
		for (i = 0, b = 0; i <= nt; i++) {
			if (i < nt && !ctm_cx_teq(&t[i], ";"))
				continue;
			if (i > b &&
			    (rc = ctm_cx_read_part(x, c, t + b, i - b, parts,
						   np, nread, 0)))
				return rc;
			b = i + 1;
		}
		return 0;
	}
	if (widening_sentence(x, t, nt))
		return ctm_cx_reject(
			x, "an unread sentence that may widen the rest");
	{
		ctm_constraint u = ctm_cx_unread_leaf(x);
		int node = ctm_cx_leaf(x, &u);
		if (node < 0)
			return node;
		parts[(*np)++] = node;
	}
	return 0;
}
