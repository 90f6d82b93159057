/*
 * criteria_frames_therapy.c - frames of the criteria reader: prior therapy,
 * lines, washouts, treatment-naive, response, conditions.
 */
#include "criteria_internal.h"

/* ------------------------------------------------------------------ */
/* Handlers: prior therapy and lines                                   */
/* ------------------------------------------------------------------ */

static int is_systemic(const struct ctm_criteria_ctx *x, ctm_concept c)
{
	return c && (c == x->p->systemic || c == x->p->chemo);
}

int ctm_cx_h_lines0(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_PRIOR_LINES);

	(void)ms, (void)me;
	c.lo = c.hi = 0;
	c.flags = CTM_F_METASTATIC_SETTING;
	return ctm_cx_leaf(x, &c);
}

/* Disease-stage qualifier leaves: metastatic, advanced, unresectable. */

int ctm_cx_h_untreated(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_PRIOR_LINES), d;
	size_t s, e;
	int k[3], n = 0;

	(void)ms, (void)me;
	c.lo = c.hi = 0;
	c.flags = CTM_F_METASTATIC_SETTING;
	k[n++] = ctm_cx_leaf(x, &c);
	if (ctm_cx_grp(x, "d", &s, &e)) {
		tok t[8], dt;
		size_t nt, i = 0;
		size_t ss, se;
		dt.p = x->sk + s;
		dt.n = e - s;
		d = ctm_cx_mk(CTM_K_DISEASE);
		d.concept = ctm_cx_ph_concept(x, &dt, "D");
		k[n++] = ctm_cx_leaf(x, &d);
		if (!ctm_cx_grp(x, "set", &ss, &se))
			return ctm_cx_reject(x, "untreated without a setting");
		nt = ctm_cx_tokenize(x->sk + ss, se - ss, t, 8);
		k[n] = ctm_cx_stage_word(x, t, nt, &i);
		if (k[n] < 0 || i != nt)
			return ctm_cx_reject(x,
					     "untreated: setting not modelled");
		n++;
	}
	return ctm_cx_nary(x, X_AND, k, (size_t)n);
}

/*
 * Lines or therapy counted "for the treatment of advanced PDAC" are the
 * lines for that disease: a patient with another cancer has none. So a
 * bound that admits none (at most n) holds for the others, (NOT D) OR
 * lines, and one that needs some needs the disease too, D AND lines. The
 * disease is the span's one D placeholder; with none, e stands alone.
 */
static int bind_disease(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
			size_t me, int e, int admits_none)
{
	ctm_constraint d = ctm_cx_mk(CTM_K_DISEASE);
	tok n[3];
	size_t i, nn;
	int k[2];

	if (e < 0)
		return e;
	/* "for metastatic colorectal or gastric cancer": a list the span
	 * holds only the first of */
	nn = ctm_cx_tokenize(x->sk + me, x->sklen - me, n, 3);
	if (nn >= 2 && nt && ctm_cx_ph_index(x, &t[nt - 1], "D") >= 0 &&
	    (ctm_cx_teq(&n[0], "or") || ctm_cx_teq(&n[0], "and") ||
	     ctm_cx_teq(&n[0], ",") || ctm_cx_teq(&n[0], "and/or") ||
	     ctm_cx_teq(&n[0], "/")))
		return ctm_cx_reject(x, "lines for a list of diseases");
	for (i = 0; i < nt; i++) {
		if (ctm_cx_ph_index(x, &t[i], "D") < 0)
			continue;
		if (d.concept)
			return ctm_cx_reject(x, "lines for two diseases");
		d.concept = ctm_cx_ph_concept(x, &t[i], "D");
	}
	if (!d.concept)
		return e;
	k[0] = ctm_cx_leaf(x, &d);
	if (k[0] < 0)
		return k[0];
	k[1] = e;
	if (!admits_none)
		return ctm_cx_nary(x, X_AND, k, 2);
	k[0] = ctm_cx_not_(x, k[0]);
	return k[0] < 0 ? k[0] : ctm_cx_nary(x, X_OR, k, 2);
}

int ctm_cx_h_lines(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_PRIOR_LINES);
	tok t[64];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 64), i;
	double a, b;
	ctm_concept other = 0;
	int has_lineword = 0;

	for (i = 0; i < nt; i++) {
		ctm_concept k = ctm_cx_ph_concept(x, &t[i], "C");
		/* "progression on >= 1 line": the count holds the lines, not
		 * the progression; fine as a requirement (it admits more),
		 * not as an exclusion */
		if (x->section == CTM_SECTION_EXCLUSION &&
		    ctm_cx_tin(&t[i], (const char *const[]){
				       "progressed", "progression", "progressing",
				       "progressive", "failed", "failure",
				       "refractory", "intolerant", "intolerance",
				       "relapsed", "recurred", NULL}))
			return ctm_cx_reject(
				x, "progression on lines in an exclusion");
		if (k && !is_systemic(x, k))
			other = k;
		if (ctm_cx_ph_index(x, &t[i], "RXPDGVMSBLH") >= 0 && !k &&
		    ctm_cx_ph_index(x, &t[i], "D") < 0)
			return R_SKIP;
		if (ctm_cx_teq(&t[i], "line") || ctm_cx_teq(&t[i], "lines") ||
		    ctm_cx_teq(&t[i], "regimen") ||
		    ctm_cx_teq(&t[i], "regimens") ||
		    ctm_cx_teq(&t[i], "courses") || ctm_cx_teq(&t[i], "course"))
			has_lineword = 1;
		if (ctm_cx_teq(&t[i], "adjuvant") ||
		    ctm_cx_teq(&t[i], "neoadjuvant") ||
		    ctm_cx_teq(&t[i], "perioperative"))
			return ctm_cx_reject(x, "lines in an adjuvant setting");
		if (ctm_cx_teq(&t[i], "nthline"))
			return ctm_cx_reject(x, "a line position with a count");
	}
	c.lo = 0;
	if (ctm_cx_grp_num(x, "ln", &a)) {
		if (ctm_cx_grp_is(x, "lcmp", ">="))
			c.lo = a;
		else if (ctm_cx_grp_is(x, "lcmp", ">"))
			c.lo = a + 1;
		else if (ctm_cx_grp_is(x, "lcmp", "<="))
			c.hi = a;
		else
			c.hi = a - 1;
	} else if ((ctm_cx_grp_num(x, "la", &a) &&
		    ctm_cx_grp_num(x, "lb", &b)) ||
		   (ctm_cx_grp_num(x, "la2", &a) &&
		    ctm_cx_grp_num(x, "lb2", &b)) ||
		   (ctm_cx_grp_num(x, "la3", &a) &&
		    ctm_cx_grp_num(x, "lb3", &b))) {
		c.lo = a;
		c.hi = b;
	} else if (ctm_cx_grp_num(x, "lm", &a)) {
		if (ctm_cx_grp_is(x, "lmore", "fewer") ||
		    ctm_cx_grp_is(x, "lmore", "less"))
			c.hi = a;
		else
			c.lo = a;
	} else {
		return ctm_cx_reject(x, "lines without a count");
	}
	if (c.hi < c.lo || c.lo > 20)
		return ctm_cx_reject(x, "lines out of range");
	if (other) {
		/* ">= 1 prior anti-EGFR": a therapy, not a line count */
		if (c.lo == 1 && isinf(c.hi) && !has_lineword)
			return R_SKIP;
		return ctm_cx_reject(x, "lines of a specific class");
	}
	for (i = 0; i < nt; i++)
		if (ctm_cx_teq(&t[i], "metastatic") ||
		    ctm_cx_teq(&t[i], "advanced") ||
		    ctm_cx_teq(&t[i], "unresectable"))
			c.flags |= CTM_F_METASTATIC_SETTING;
	return bind_disease(x, t, nt, me, ctm_cx_leaf(x, &c), c.lo == 0);
}

/* Days in n units. */
int ctm_cx_unit_days(const char *u, size_t n, double v, uint32_t *days)
{
	double d;

	if (n >= 3 && !strncmp(u, "day", 3))
		d = v;
	else if ((n >= 4 && !strncmp(u, "week", 4)) ||
		 (n >= 3 && !strncmp(u, "wks", 3)) ||
		 (n >= 2 && !strncmp(u, "wk", 2)))
		d = v * 7;
	else if (n >= 5 && !strncmp(u, "month", 5))
		d = v * 30;
	else if (n >= 4 && !strncmp(u, "year", 4))
		d = v * 365;
	else
		return -1;
	if (d < 0 || d > 36500)
		return -1;
	*days = (uint32_t)d;
	return 0;
}

/*
 * THERAPY leaves of the list in [s,e), each with flags (and within_days),
 * joined by the list's connective.
 */
/*
 * True if a and b are two kinds of one class that none of the other items
 * (kids[0,n) but the last) belongs to: "cetuximab or panitumumab" after
 * "fluoropyrimidine, oxaliplatin, irinotecan and" are two anti-EGFR
 * antibodies, one choice among the list's items.
 */
static int one_choice(const struct ctm_criteria_ctx *x, ctm_concept a,
		      ctm_concept b, const int *kids, size_t n)
{
	size_t k, i, nc = ctm_lexicon_count(x->lx);

	if (a == b || ctm_lexicon_is_a(x->lx, a, b) ||
	    ctm_lexicon_is_a(x->lx, b, a))
		return 0;
	for (k = 1; k < nc; k++) {
		if (ctm_lexicon_type(x->lx, (ctm_concept)k) != CTM_CT_CLASS ||
		    !ctm_lexicon_is_a(x->lx, a, (ctm_concept)k) ||
		    !ctm_lexicon_is_a(x->lx, b, (ctm_concept)k))
			continue;
		for (i = 0; i + 1 < n; i++)
			if (ctm_lexicon_is_a(x->lx, x->nodes[kids[i]].c.concept,
					     (ctm_concept)k))
				break;
		if (i + 1 == n)
			return 1;
	}
	return 0;
}

/*
 * A therapy narrowed by what the profile does not record (a line, the
 * disease it treated, the part of the body it reached): the therapy and an
 * unread part. It holds only if the therapy does, and never more than the
 * words say, whichever way the criterion turns it.
 */
static int narrow(struct ctm_criteria_ctx *x, int node, int narrowed)
{
	ctm_constraint u;
	int k2[2];
	size_t qs, qe;

	if (node < 0 || !narrowed)
		return node;
	if (ctm_cx_grp(x, "rq", &qs, &qe) && qe > qs) {
		/* "for liver metastases", "for CNS involvement": the clause
		 * read before names what the therapy treated; it goes into
		 * the unread part (a narrowing, whatever it holds) */
		tok q = {x->sk + qs, qe - qs};
		if (ctm_cx_ph_index(x, &q, "Q") < 0)
			return ctm_cx_reject(x, "a clause after a therapy");
	}
	u = ctm_cx_unread_leaf(x);
	k2[0] = node;
	k2[1] = ctm_cx_leaf(x, &u);
	return ctm_cx_nary(x, X_AND, k2, 2);
}

/*
 * Copies into out the items of kids[0,k) that no other item of kids[0,n)
 * is a kind of ("chemotherapy with 5-FU": the class adds nothing to the
 * drug); returns how many. out may be kids (n <= 16).
 */
static size_t drop_broader(const struct ctm_criteria_ctx *x, const int *in,
			   size_t k, size_t n, int *out)
{
	int kids[16];
	size_t a, b, m = 0;

	memcpy(kids, in, n * sizeof(*kids));
	for (a = 0; a < k; a++) {
		ctm_concept ca = x->nodes[kids[a]].c.concept;
		for (b = 0; b < n; b++)
			if (b != a && x->nodes[kids[b]].c.concept != ca &&
			    ctm_lexicon_is_a(x->lx, x->nodes[kids[b]].c.concept,
					     ca))
				break;
		if (b == n)
			out[m++] = kids[a];
	}
	return m;
}

static int therapy_list(struct ctm_criteria_ctx *x, size_t s, size_t e,
			uint32_t flags, uint32_t days)
{
	tok t[64];
	size_t nt = ctm_cx_tokenize(x->sk + s, e - s, t, 64), i, n = 0;
	int kids[16];
	int kind = -2; /* -2 unset */
	int tight = 0, both = 0, and_then_or = 0, last_or = 0;
	size_t last_or_n = 0, either_n = 0, tight_n = 0;
	ctm_concept last = 0;

	for (i = 0; i < nt; i++) {
		ctm_concept c = ctm_cx_ph_concept(x, &t[i], "RCXP");
		if (c) {
			ctm_constraint k = ctm_cx_mk(CTM_K_THERAPY);
			/* "fluoropyrimidine chemotherapy", "oxaliplatin-based
			 * chemotherapy": a class naming what the item already
			 * is adds nothing */
			if (last &&
			    ctm_lexicon_type(x->lx, c) == CTM_CT_CLASS &&
			    i > 0 &&
			    (ctm_cx_ph_index(x, &t[i - 1], "RCXP") >= 0 ||
			     ctm_cx_teq(&t[i - 1], "based") ||
			     ctm_cx_teq(&t[i - 1], "containing"))) {
				if (!ctm_lexicon_is_a(x->lx, last, c))
					return ctm_cx_reject(x,
						      "item and class differ");
				continue;
			}
			if (n >= 16)
				return ctm_cx_reject(x,
						     "therapy list too long");
			k.concept = c;
			k.flags = flags;
			k.within_days = days;
			kids[n++] = ctm_cx_leaf(x, &k);
			last = c;
			continue;
		}
		if (ctm_cx_teq(&t[i], "or") || ctm_cx_teq(&t[i], "and/or") ||
		    ctm_cx_teq(&t[i], "/") || ctm_cx_teq(&t[i], "nor")) {
			/* "a fluoropyrimidine and oxaliplatin or
			 * irinotecan": the first and (any of) the rest */
			if (kind == X_LIST && n == 2 && !and_then_or &&
			    !ctm_cx_teq(&t[i - 1], ","))
				and_then_or = 1;
			else if (kind == X_LIST && !and_then_or && !last_or &&
				 n >= 3 && ctm_cx_teq(&t[i], "or") &&
				 !ctm_cx_teq(&t[i - 1], ","))
				last_or = 1, last_or_n = n; /* checked below */
			else if (kind == X_LIST && !and_then_or)
				return ctm_cx_reject(x,
						     "mixed and/or in a list");
			else
				kind = X_OR;
		} else if (ctm_cx_teq(&t[i], "and")) {
			if (kind == X_OR || and_then_or || last_or)
				return ctm_cx_reject(x,
						     "mixed and/or in a list");
			kind = X_LIST;
		} else if (ctm_cx_teq(&t[i], "plus") ||
			   ctm_cx_teq(&t[i], "+") ||
			   ctm_cx_teq(&t[i], "with") ||
			   ctm_cx_teq(&t[i], "in") ||
			   ctm_cx_teq(&t[i], "combined")) {
			tight++;
			tight_n = n;
		} else if (ctm_cx_teq(&t[i], "both")) {
			both = 1;
		} else if (ctm_cx_teq(&t[i], "either") && i > 0 && n &&
			   kind == -2 &&
			   (ctm_cx_teq(&t[i - 1], "plus") ||
			    ctm_cx_teq(&t[i - 1], "+") ||
			    ctm_cx_teq(&t[i - 1], "with"))) {
			either_n = n; /* "A plus either B, C or D" */
		} else if (ctm_cx_teq(&t[i], ",") ||
			   ctm_cx_teq(&t[i], "combination")) {
		} else if (!ctm_cx_word(x, CRULES_THERAPY_ITEM, &t[i])) {
			return ctm_cx_reject(
				x, "unexpected word in a therapy list");
		}
	}
	if (last_or) {
		/* "A, B, C and D or E": D or E is the last item when they are
		 * two kinds of one class the others are not */
		int alt;
		if (tight || both || n < 4 || n != last_or_n + 1 ||
		    !one_choice(x, x->nodes[kids[n - 2]].c.concept,
				x->nodes[kids[n - 1]].c.concept, kids, n - 1))
			return ctm_cx_reject(x, "mixed and/or in a list");
		alt = ctm_cx_nary(x, X_OR, kids + n - 2, 2);
		if (alt < 0)
			return alt;
		kids[n - 2] = alt;
		return ctm_cx_nary(x, X_LIST, kids, n - 1);
	}
	if (and_then_or) {
		int rest, k2[2];
		if (tight || both || n < 3)
			return ctm_cx_reject(x, "mixed and/or in a list");
		rest = ctm_cx_nary(x, X_OR, kids + 1, n - 1);
		k2[0] = kids[0];
		k2[1] = rest;
		return ctm_cx_nary(x, X_AND, k2, 2);
	}
	if (tight && either_n) {
		/* "chemotherapy with bevacizumab plus either FOLFOX, OPTIMOX
		 * or XELOX": each item before 'either' (less a class an
		 * item after it is a kind of) and one of those after it */
		int k2[17], alt;
		size_t m;
		if (kind != X_OR || n - either_n < 2 || both)
			return ctm_cx_reject(x, "'plus either' not a choice");
		m = drop_broader(x, kids, either_n, n, k2);
		alt = ctm_cx_nary(x, X_OR, kids + either_n, n - either_n);
		if (alt < 0)
			return alt;
		k2[m++] = alt;
		return ctm_cx_nary(x, X_AND, k2, m);
	}
	if (tight == 1 && tight_n == 1 && kind == X_OR && n >= 3 && !both &&
	    ctm_lexicon_type(x->lx, x->nodes[kids[0]].c.concept) ==
		    CTM_CT_CLASS) {
		/* "chemotherapy with oxaliplatin or irinotecan": a kind of
		 * the class with any of the items, each of which is one */
		size_t m;
		for (m = 1; m < n; m++)
			if (!ctm_lexicon_is_a(x->lx, x->nodes[kids[m]].c.concept,
					      x->nodes[kids[0]].c.concept))
				return ctm_cx_reject(
					x, "combination inside a list");
		return ctm_cx_nary(x, X_OR, kids + 1, n - 1);
	}
	if (tight) {
		/* "chemotherapy with 5-FU": the class adds nothing to the drug
		 */
		size_t m;
		if (kind != -2)
			return ctm_cx_reject(x, "combination inside a list");
		m = drop_broader(x, kids, n, n, kids);
		return ctm_cx_nary(x, X_AND, kids, m);
	}
	if (both) {
		/* "both oxaliplatin and irinotecan": together, even denied */
		if (kind != X_LIST)
			return ctm_cx_reject(x, "'both' without 'and'");
		return ctm_cx_nary(x, X_AND, kids, n);
	}
	return ctm_cx_nary(x, kind == X_OR ? X_OR : X_LIST, kids, n);
}

int ctm_cx_h_since(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	size_t s, e, us, ue;
	double v;
	uint32_t days;
	int n;

	(void)ms, (void)me;
	if (ctm_cx_grp(x, "tl", &s, &e)) {
		if (!ctm_cx_grp_num(x, "sn", &v) ||
		    !ctm_cx_grp(x, "su", &us, &ue))
			return ctm_cx_reject(x, "washout without a time");
	} else if (ctm_cx_grp(x, "tl2", &s, &e)) {
		if (!ctm_cx_grp_num(x, "sn2", &v) ||
		    !ctm_cx_grp(x, "su2", &us, &ue))
			return ctm_cx_reject(x, "washout without a time");
	} else {
		return ctm_cx_reject(x, "washout without a therapy");
	}
	if (ctm_cx_unit_days(x->sk + us, ue - us, v, &days))
		return ctm_cx_reject(x, "washout unit");
	{
		size_t as, ae;
		uint32_t f = CTM_F_WITHIN;
		/* the washout bars the therapy within the time: ">= 4 weeks
		 * since" bars it 0..27 days ago (fewer than 28 days), "> 4
		 * weeks since" bars it 0..28 days ago */
		if (ctm_cx_grp_is(x, "scmp", ">=") ||
		    ctm_cx_grp_is(x, "scmp2", ">="))
			f |= CTM_F_HI_OPEN;
		if (ctm_cx_grp(x, "sadj", &as, &ae))
			f |= x->sk[as] == 'a' ? CTM_F_ADJUVANT_SETTING
					      : CTM_F_NEOADJUVANT_SETTING;
		n = therapy_list(x, s, e, f, days);
		n = narrow(x, n, ctm_cx_grp(x, "rs", &as, &ae) && ae > as);
	}
	x->since_clause = 1;
	return n < 0 ? n : ctm_cx_not_(x, n);
}

int ctm_cx_h_naive(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	size_t s, e;
	int n;

	(void)ms, (void)me;
	if (!ctm_cx_grp(x, "tl", &s, &e) && !ctm_cx_grp(x, "tl2", &s, &e))
		return ctm_cx_reject(x, "naive without a therapy");
	n = therapy_list(x, s, e, 0, 0);
	return n < 0 ? n : ctm_cx_not_(x, n);
}

/*
 * A response to a therapy ("stable disease or partial response after >= 12
 * weeks of induction therapy") needs the therapy: the therapy AND the
 * response, which is not read (always unknown). Denied ("no complete
 * response after ..."), the therapy would be wrongly waived: review.
 */
int ctm_cx_h_response(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[64];
	size_t s, e, nt = ctm_cx_tokenize(x->sk, ms, t, 64), i;
	ctm_constraint u = ctm_cx_unread_leaf(x);
	int k[2];

	(void)me;
	for (i = 0; i < nt; i++)
		if (ctm_cx_tin(&t[i],
			       (const char *const[]){"no", "not", "without",
						     "never", "lack", "lacking",
						     "absence", NULL}))
			return ctm_cx_reject(x, "a denied response");
	if (!ctm_cx_grp(x, "tl", &s, &e))
		return ctm_cx_reject(x, "response without a therapy");
	k[0] = therapy_list(x, s, e, 0, 0);
	if (k[0] < 0)
		return k[0];
	k[1] = ctm_cx_leaf(x, &u);
	return k[1] < 0 ? k[1] : ctm_cx_nary(x, X_AND, k, 2);
}

/* True if an item of a list ends right before sk[ms] (", " or " or "). */
static int prev_item(const struct ctm_criteria_ctx *x, size_t ms)
{
	size_t e = ms, b;

	while (e && x->sk[e - 1] == ' ')
		e--;
	for (b = e; b && x->sk[b - 1] != ' '; b--)
		;
	return (e - b == 1 && x->sk[b] == ',') ||
	       (e - b == 2 && !memcmp(x->sk + b, "or", 2)) ||
	       (e - b == 3 && !memcmp(x->sk + b, "and", 3));
}

/*
 * Conditions other than the cancer ("known HIV infection", "uncontrolled
 * hypertension or active infection"): one leaf each, ACTIVE when a word
 * before them says so, joined by the list's connective. No profile holds
 * one, so they are unknown and shown to be checked.
 */
int ctm_cx_h_condition(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[64], nx[2];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 64), i, n = 0,
	       last = 0;
	size_t nn = ctm_cx_tokenize(x->sk + me, x->sklen - me, nx, 2);
	uint32_t own[16], shared = 0, mine = 0;
	int kids[16], kind, any_own = 0, commas = 0;

	/* qualifiers before the first item are shared unless a later item
	 * has its own ("symptomatic heart failure, unstable angina or
	 * arrhythmia": only the first is symptomatic) */
	for (i = 0; i < nt; i++) {
		/* the items end where "known to increase ..." begins */
		if (n && i + 1 < nt && ctm_cx_teq(&t[i + 1], "to") &&
		    crules_is_word(&x->p->rules, CRULES_CONDITION_WHICH, t[i].p,
				   t[i].n)) {
			nt = i;
			break;
		}
		if (crules_is_word(&x->p->rules, CRULES_CONDITION_ACTIVE,
				   t[i].p, t[i].n)) {
			mine = CTM_F_ACTIVE;
			continue;
		}
		if (ctm_cx_ph_index(x, &t[i], "H") < 0)
			continue;
		if (n >= 16)
			return ctm_cx_reject(x, "condition list too long");
		if (n == 0)
			shared = mine;
		else if (mine)
			any_own = 1;
		own[n] = mine;
		mine = 0;
		kids[n++] = (int)i;
		last = i;
	}
	for (i = 0; i < last; i++)
		if (ctm_cx_teq(&t[i], ","))
			commas = 1;
	/* "active infection or brain metastases": the qualifier may reach
	 * the next item too */
	if (shared && !commas && !prev_item(x, ms) && nn == 2 &&
	    (ctm_cx_teq(&nx[0], "or") || ctm_cx_teq(&nx[0], "and") ||
	     ctm_cx_teq(&nx[0], ",") || ctm_cx_teq(&nx[0], "and/or") ||
	     ctm_cx_teq(&nx[0], "/")))
		return ctm_cx_reject(
			x, "a qualifier that may reach the next item");
	for (i = 0; i < n; i++) {
		ctm_constraint c = ctm_cx_mk(CTM_K_CONDITION);
		c.concept = ctm_cx_ph_concept(x, &t[kids[i]], "H");
		/* shared only by two items joined by a bare connective */
		c.flags = (any_own || commas || n > 2) ? own[i] : shared;
		kids[i] = ctm_cx_leaf(x, &c);
		if (kids[i] < 0)
			return kids[i];
	}
	kind = ctm_cx_list_kind(t, last + 1, 0, last + 1);
	if (kind < 0)
		return ctm_cx_reject(x, "mixed and/or in a condition list");
	{
		/* "HIV negative": none of them */
		size_t s, e, k;
		tok rest[MAX_TOKS];
		size_t nr = ctm_cx_tokenize(x->sk + me, x->sklen - me, rest,
					    MAX_TOKS);
		int r;
		if (ctm_cx_grp(x, "cno", &s, &e) && e > s &&
		    x->section == CTM_SECTION_EXCLUSION)
			return ctm_cx_reject(x, "'and no' in an exclusion");
		if ((ctm_cx_grp(x, "hneg", &s, &e) && e > s) ||
		    (ctm_cx_grp(x, "cno", &s, &e) && e > s))
			return ctm_cx_not_(x, ctm_cx_nary(x, kind, kids, n));
		/* "hepatitis B and C negative": a negation the list did not
		 * reach */
		for (k = 0; k < nr; k++)
			if (ctm_cx_teq(&rest[k], "negative") ||
			    ctm_cx_teq(&rest[k], "seronegative") ||
			    ctm_cx_teq(&rest[k], "negativity"))
				return ctm_cx_reject(
					x, "a condition before 'negative'");
		r = ctm_cx_nary(x, kind, kids, n);
		return r;
	}
}

int ctm_cx_h_therapy(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[64];
	size_t s, e, nt, i;
	uint32_t flags = 0, days = 0;
	int receiving = 0, during = 0, nthline = 0, list, settings_or = 0;
	int narrowed = 0;
	size_t rs = 0, re = 0;

	(void)ms, (void)me;
	/* left context */
	if (ctm_cx_grp(x, "left", &s, &e)) {
		nt = ctm_cx_tokenize(x->sk + s, e - s, t, 64);
		for (i = 0; i < nt; i++) {
			/* "prior or concurrent X": X at any time, the
			 * ongoing included; not only the ongoing */
			if (ctm_cx_word(x, CRULES_CURRENT, &t[i]) && i >= 2 &&
			    (ctm_cx_teq(&t[i - 1], "or") ||
			     ctm_cx_teq(&t[i - 1], "and/or")) &&
			    (ctm_cx_teq(&t[i - 2], "prior") ||
			     ctm_cx_teq(&t[i - 2], "previous") ||
			     (i >= 3 && ctm_cx_teq(&t[i - 2], "of") &&
			      ctm_cx_teq(&t[i - 3], "history"))))
				continue;
			/* "neoadjuvant or concurrent": two times, either */
			if (ctm_cx_word(x, CRULES_CURRENT, &t[i]) && i >= 1 &&
			    (ctm_cx_teq(&t[i - 1], "or") ||
			     ctm_cx_teq(&t[i - 1], "and/or")))
				return ctm_cx_reject(x, "another time or now");
			if (ctm_cx_word(x, CRULES_PROGRESSION, &t[i]))
				flags |= CTM_F_PROGRESSED;
			else if (ctm_cx_word(x, CRULES_REFRACTORY, &t[i]))
				flags |= CTM_F_REFRACTORY;
			else if (ctm_cx_word(x, CRULES_INTOLERANCE, &t[i]))
				flags |= CTM_F_INTOLERANT;
			else if (ctm_cx_word(x, CRULES_CURRENT, &t[i]))
				flags |= CTM_F_CURRENT;
			else if (ctm_cx_teq(&t[i], "receiving"))
				receiving = 1;
			else if (ctm_cx_teq(&t[i], "during") ||
				 ctm_cx_teq(&t[i], "while"))
				during = 1;
			else if (ctm_cx_teq(&t[i], "nthline"))
				nthline = 1;
			else if (ctm_cx_teq(&t[i], "adjuvant"))
				flags |= CTM_F_ADJUVANT_SETTING;
			else if (ctm_cx_teq(&t[i], "neoadjuvant"))
				flags |= CTM_F_NEOADJUVANT_SETTING;
			else if (ctm_cx_teq(&t[i], "perioperative"))
				return ctm_cx_reject(x,
						     "perioperative setting");
			else if (ctm_cx_teq(&t[i], "unable") &&
				 !(i + 2 < nt && ctm_cx_teq(&t[i + 1], "to") &&
				   ctm_cx_teq(&t[i + 2], "tolerate")))
				return ctm_cx_reject(
					x, "'unable' not to tolerate");
		}
	}
	/* "for rectal cancer", "to the liver": a narrowing the profile
	 * cannot check (it records neither the disease a therapy treated nor
	 * where it reached); its words are not settings */
	if (ctm_cx_grp(x, "rs", &rs, &re) && re > rs)
		narrowed = 1;
	/* right context: settings, washouts, suffix flags */
	if (ctm_cx_grp(x, "right", &s, &e) && e > s) {
		size_t ws, we;
		nt = ctm_cx_tokenize(x->sk + s, e - s, t, 64);
		for (i = 0; i < nt; i++) {
			if (narrowed && t[i].p >= x->sk + rs &&
			    t[i].p < x->sk + re)
				continue;
			if (ctm_cx_teq(&t[i], "metastatic") ||
			    ctm_cx_teq(&t[i], "advanced") ||
			    ctm_cx_teq(&t[i], "unresectable") ||
			    (ctm_cx_teq(&t[i], "stage") && i + 1 < nt &&
			     ctm_cx_teq(&t[i + 1], "iv")))
				flags |= CTM_F_METASTATIC_SETTING;
			else if (ctm_cx_teq(&t[i], "adjuvant"))
				flags |= CTM_F_ADJUVANT_SETTING;
			else if (ctm_cx_teq(&t[i], "neoadjuvant"))
				flags |= CTM_F_NEOADJUVANT_SETTING;
			else if (ctm_cx_teq(&t[i], "perioperative"))
				return ctm_cx_reject(x,
						     "perioperative setting");
			else if (ctm_cx_word(x, CRULES_REFRACTORY, &t[i]))
				flags |= CTM_F_REFRACTORY;
			else if (ctm_cx_teq(&t[i], "failure") ||
				 ctm_cx_teq(&t[i], "failed"))
				flags |= CTM_F_PROGRESSED;
			else if (ctm_cx_teq(&t[i], "intolerant"))
				flags |= CTM_F_INTOLERANT;
			else if (ctm_cx_teq(&t[i], "or") ||
				 ctm_cx_teq(&t[i], "and/or"))
				settings_or = 1;
		}
		if (ctm_cx_grp(x, "wu", &ws, &we)) {
			double v;
			if (!ctm_cx_grp_num(x, "wn", &v) ||
			    ctm_cx_unit_days(x->sk + ws, we - ws, v, &days))
				return ctm_cx_reject(x, "washout unit");
			flags |= CTM_F_WITHIN;
			/* "< 4 weeks before": fewer than 28 days */
			if (ctm_cx_grp_is(x, "wcmp", "<"))
				flags |= CTM_F_HI_OPEN;
		}
	}
	if ((flags & CTM_F_INTOLERANT) &&
	    !(flags & (CTM_F_PROGRESSED | CTM_F_REFRACTORY)))
		return ctm_cx_reject(x, "intolerance alone is not modelled");
	{
		/* "in the metastatic or adjuvant setting": either */
		uint32_t set = flags & (CTM_F_ADJUVANT_SETTING |
					CTM_F_NEOADJUVANT_SETTING |
					CTM_F_METASTATIC_SETTING);
		if (set && (set & (set - 1))) {
			int k3[3], nk = 0;
			uint32_t bit;
			if (!settings_or || !ctm_cx_grp(x, "tl", &s, &e))
				return ctm_cx_reject(x, "two settings");
			for (bit = CTM_F_METASTATIC_SETTING;
			     bit <= CTM_F_NEOADJUVANT_SETTING; bit <<= 1) {
				if (!(set & bit))
					continue;
				k3[nk] = therapy_list(x, s, e,
						      (flags & ~set) | bit, days);
				if (k3[nk] < 0)
					return k3[nk];
				nk++;
			}
			if (nthline)
				return ctm_cx_reject(x,
						     "a line and two settings");
			return narrow(x, ctm_cx_nary(x, X_OR, k3, (size_t)nk),
				      narrowed);
		}
	}
	if (receiving && !(flags & CTM_F_WITHIN))
		flags |= CTM_F_CURRENT;
	/* "during chemotherapy" is now; "progression during or after X"
	 * is about X's outcome */
	if (during && !(flags & (CTM_F_PROGRESSED | CTM_F_REFRACTORY |
				 CTM_F_INTOLERANT | CTM_F_WITHIN)))
		flags |= CTM_F_CURRENT;
	if ((flags & CTM_F_CURRENT) &&
	    (flags & (CTM_F_PROGRESSED | CTM_F_REFRACTORY | CTM_F_WITHIN)))
		return ctm_cx_reject(x,
				     "current therapy with other qualifiers");
	if (!ctm_cx_grp(x, "tl", &s, &e))
		return ctm_cx_reject(x, "therapy without a list");
	list = therapy_list(x, s, e, flags, days);
	/* "first-line oxaliplatin": the line is not read, and it only
	 * narrows */
	return narrow(x, list, nthline || narrowed);
}
