/*
 * criteria.c - a trial's eligibility text into its criteria.
 *
 * ctm_seg_segment() (ctm_criteria_segment() with the parser's rules) cuts
 * the text block into single criteria with their sections;
 * ctm_criteria_extract() turns each into constraints or leaves it for
 * review.
 */
#include <ctm/parsers.h>

#include "criteria_cohort.h"
#include "criteria_extract.h"
#include "criteria_rules.h"
#include "criteria_segment.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * True if a criterion ends with "or" ("Progressive disease on 5-FU OR"):
 * it and the next one are alternatives, and neither holds on its own.
 */
static int ends_with_or(const char *s)
{
	size_t n = strlen(s);

	while (n && strchr(" \t\r\n.,;:", s[n - 1]))
		n--;
	if (n >= 2 && (s[n - 1] == 'r' || s[n - 1] == 'R') &&
	    (s[n - 2] == 'o' || s[n - 2] == 'O') &&
	    (n == 2 || strchr(" \t/(", s[n - 3])))
		return 1;
	return 0;
}

/* s without its final "OR" ("... 1.5 mg/dL OR", "... M0) AND/OR"). */
static const char *without_or(const char *s, ctm_arena *a)
{
	size_t n = strlen(s);

	while (n && strchr(" \t\r\n.,;:", s[n - 1]))
		n--;
	n -= 2;
	if (n >= 4 && !strncasecmp(s + n - 4, "and/", 4))
		n -= 4;
	while (n && strchr(" \t(/,;", s[n - 1]))
		n--;
	return ctm_arena_strndup(a, s, n);
}

/* ---- record errors (spec/matching.md; issue #11) ---- */

/* The letters and digits of s, lower-cased, into buf; their count. */
static size_t fold(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; s && *s && n + 1 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z'))
			buf[n++] = (char)ch;
		else if (ch >= 'A' && ch <= 'Z')
			buf[n++] = (char)(ch - 'A' + 'a');
		else if (ch >= 0x80)
			buf[n++] = (char)ch;
	}
	buf[n] = '\0';
	return n;
}

/* Every patient `inc` admits is one `exc` bars: same fact, and the
 * inclusion's range within the exclusion's ("ECOG 0-1" against a copied
 * "ECOG 0-2"); exactly the same fact under a NOT. */
static int leaf_within(const ctm_constraint *inc, const ctm_constraint *exc,
		       int exact)
{
	if (inc->kind != exc->kind || inc->status != exc->status ||
	    inc->flags != exc->flags || inc->concept != exc->concept ||
	    inc->variant != exc->variant ||
	    inc->within_days != exc->within_days)
		return 0;
	if (exact)
		return inc->lo == exc->lo && inc->hi == exc->hi &&
		       inc->alt_hi == exc->alt_hi;
	return exc->lo <= inc->lo && inc->hi <= exc->hi &&
	       inc->alt_hi <= exc->alt_hi;
}

/* The subtrees of inc at *i and exc at *j are the same tree over facts
 * that leaf_within() relates. */
static int same_tree(const ctm_criterion *inc, size_t *i,
		     const ctm_criterion *exc, size_t *j, int exact, int depth)
{
	const ctm_expr *a, *b;
	uint32_t k;

	if (*i >= inc->n_expr || *j >= exc->n_expr || depth > 64)
		return 0;
	a = &inc->expr[(*i)++];
	b = &exc->expr[(*j)++];
	if (a->op != b->op || (a->op != CTM_EXPR_LEAF && a->arg != b->arg))
		return 0;
	if (a->op == CTM_EXPR_LEAF)
		return a->arg < inc->n_constraints &&
		       b->arg < exc->n_constraints &&
		       leaf_within(&inc->constraints[a->arg],
				   &exc->constraints[b->arg], exact);
	if (a->op == CTM_EXPR_NOT)
		exact = 1; /* ranges turn round under a NOT */
	for (k = 0; k < a->arg; k++)
		if (!same_tree(inc, i, exc, j, exact, depth + 1))
			return 0;
	return 1;
}

/* An exclusion reads NOT X (polarity folded in): it contradicts an
 * inclusion that requires X or less. */
static int contradicts(const ctm_criterion *inc, const ctm_criterion *exc)
{
	size_t i = 0, j = 1;

	if (!inc->structured || !exc->structured || !inc->n_expr ||
	    exc->n_expr < 2 || exc->expr[0].op != CTM_EXPR_NOT)
		return 0;
	return same_tree(inc, &i, exc, &j, 0, 0) && i == inc->n_expr &&
	       j == exc->n_expr;
}

static int same_heading(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/*
 * A criterion under the exclusion header that repeats or contradicts one
 * of the same trial's inclusion criteria (an inclusion list copied under
 * the wrong header) never excludes anyone: it is review, with the reason.
 */
static int record_errors(ctm_criterion *c, size_t n, ctm_arena *a,
			 ctm_error *err)
{
	char fi[512], fe[512], why[200];
	size_t i, j;

	for (i = 0; i < n; i++) {
		size_t le;
		if (c[i].section != CTM_SECTION_EXCLUSION)
			continue;
		le = fold(c[i].text, fe, sizeof fe);
		for (j = 0; j < n; j++) {
			const char *verb = NULL;
			/* under other headings ("Allowed with permission:",
			 * "Excluded without permission:") the same words are
			 * two rules, not a copy */
			if (c[j].section != CTM_SECTION_INCLUSION ||
			    !same_heading(c[i].heading, c[j].heading) ||
			    c[i].cohorts != c[j].cohorts)
				continue;
			if (le >= 8 && fold(c[j].text, fi, sizeof fi) == le &&
			    !strcmp(fi, fe))
				verb = "repeats";
			else if (contradicts(&c[j], &c[i]))
				verb = "contradicts";
			if (!verb)
				continue;
			snprintf(why, sizeof why,
				 "an exclusion that %s the inclusion criterion "
				 "\"%.80s%s\"",
				 verb, c[j].text, strlen(c[j].text) > 80 ? "..." : "");
			c[i].review_reason = ctm_arena_strdup(a, why);
			if (!c[i].review_reason)
				return ctm_error_set(err, CTM_ENOMEM, NULL, 0,
						     0, "out of memory");
			c[i].structured = false;
			c[i].expr = NULL;
			c[i].n_expr = 0;
			c[i].constraints = NULL;
			c[i].n_constraints = 0;
			break;
		}
	}
	return 0;
}

/* The trial's population, read once its criteria are (spec/matching.md). */
static int population(ctm_criteria_ctx *ctx, ctm_trial *t, ctm_error *err)
{
	if (ctm_trial_population(t, ctm_criteria_ctx_lexicon(ctx)))
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	return 0;
}

int ctm_criteria_parse(ctm_criteria_ctx *ctx, ctm_trial *t, ctm_error *err)
{
	ctm_segment *seg = NULL;
	size_t n = 0, i;
	ctm_criterion *out;
	crit_cohorts co;
	int rc;

	t->criteria = NULL;
	t->n_criteria = 0;
	t->cohorts = NULL;
	t->n_cohorts = 0;
	/* every trial read with a lexicon carries the version, criteria or
	 * not: its population and postings follow the lexicon too */
	t->lexicon_hash =
		ctm_criteria_ctx_lexicon(ctx) ? ctm_criteria_version(ctx) : 0;
	if (!t->criteria_text)
		return population(ctx, t, err);
	rc = ctm_seg_segment(ctm_criteria_ctx_rules(ctx), t->criteria_text,
			     t->arena, &seg, &n, err);
	if (rc)
		return rc;
	if (!n)
		return population(ctx, t, err);
	out = ctm_arena_alloc(t->arena, n * sizeof(*out));
	if (!out)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	/* parts, cohorts, arms: a criterion under a cohort's label is read
	 * without it and binds that cohort (spec/matching.md) */
	if (ctm_criteria_cohorts(ctm_criteria_ctx_rules(ctx), seg, n, t->arena,
				 &co))
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	if (co.n) {
		t->cohorts = ctm_arena_alloc(t->arena,
					     co.n * sizeof(*t->cohorts));
		if (!t->cohorts)
			return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
					     "out of memory");
		memcpy(t->cohorts, co.labels, co.n * sizeof(*t->cohorts));
		t->n_cohorts = co.n;
	}
	for (i = 0; i < n; i++) {
		out[i].section = seg[i].section;
		out[i].text = co.n ? co.text[i] : seg[i].text;
		out[i].heading = co.n ? co.heading[i] : seg[i].heading;
		out[i].cohorts = co.n ? co.mask[i] : 0;
		rc = ctm_criteria_extract(ctx, &out[i], t->arena, err);
		if (rc)
			return rc;
		/* kept as written */
		out[i].text = seg[i].text;
		out[i].heading = seg[i].heading;
		if (i && ends_with_or(out[i - 1].text)) {
			/* the second of two alternatives */
			out[i].structured = false;
			out[i].expr = NULL;
			out[i].n_expr = 0;
			out[i].constraints = NULL;
			out[i].n_constraints = 0;
		}
	}
	/* "Creatinine no greater than 1.5 mg/dL OR" then "Creatinine
	 * clearance at least 60 mL/min": one criterion cut across lines */
	for (i = 0; i + 1 < n; i++) {
		const char *texts[8];
		size_t j = i, k;
		if (!ends_with_or(out[i].text) ||
		    (i && ends_with_or(out[i - 1].text)))
			continue;
		while (j + 1 < n && j - i < 7 && ends_with_or(out[j].text))
			j++;
		if (ends_with_or(out[j].text))
			continue;
		for (k = i; k <= j; k++) {
			const char *h0 = co.n ? co.heading[i] : seg[i].heading;
			const char *hk = co.n ? co.heading[k] : seg[k].heading;
			const char *tx = co.n ? co.text[k] : seg[k].text;
			if (out[k].section != out[i].section ||
			    out[k].cohorts != out[i].cohorts ||
			    !h0 != !hk || (h0 && strcmp(h0, hk)))
				break;
			texts[k - i] = k < j ? without_or(tx, t->arena) : tx;
			if (!texts[k - i])
				return ctm_error_set(err, CTM_ENOMEM, NULL, 0,
						     0, "out of memory");
		}
		if (k <= j)
			continue;
		out[i].heading = co.n ? co.heading[i] : seg[i].heading;
		rc = ctm_criteria_or_lines(ctx, &out[i], texts, j - i + 1,
					   t->arena, err);
		out[i].heading = seg[i].heading;
		if (rc)
			return rc;
	}
	/* "..., meeting any of the following:" and its items */
	for (i = 1; i < n; i++) {
		const char *h = out[i].heading, *last;
		size_t j, ll;
		if (!h || out[i].section == CTM_SECTION_EXCLUSION ||
		    (out[i - 1].heading && !strcmp(out[i - 1].heading, h)) ||
		    !ctm_criteria_heading_alternatives(ctx, h))
			continue;
		/* the intro is the criterion before, whose text the heading
		 * (its last part) repeats */
		last = strrchr(h, ':');
		last = last ? last + 1 : h;
		while (*last == ' ')
			last++;
		ll = strlen(last);
		if (!ll || strncmp(out[i - 1].text, last, ll) ||
		    out[i - 1].section != out[i].section)
			continue;
		for (j = i; j < n && out[j].heading && !strcmp(out[j].heading, h);
		     j++)
			;
		rc = ctm_criteria_alternatives(ctx, &out[i - 1], out + i,
					       j - i, t->arena, err);
		if (rc)
			return rc;
	}
	/* "Must have 1 of the following:" as a criterion of its own, with no
	 * heading tying the items to it (the PDQ layout, whose items ran
	 * together on one line): the next criterion is not a conjunction of
	 * its run-on pieces but their alternatives. It stays review, and the
	 * intro becomes the OR of the pieces when all of them read. */
	for (i = 1; i < n; i++) {
		size_t tl = strlen(out[i - 1].text);
		if (!tl || out[i - 1].text[tl - 1] != ':' ||
		    out[i - 1].structured ||
		    out[i].section == CTM_SECTION_EXCLUSION ||
		    (out[i].heading && !strncmp(out[i].heading,
						out[i - 1].text, tl)) ||
		    !ctm_criteria_heading_alternatives(ctx, out[i - 1].text))
			continue;
		out[i].structured = false;
		out[i].expr = NULL;
		out[i].n_expr = 0;
		out[i].constraints = NULL;
		out[i].n_constraints = 0;
		rc = ctm_criteria_alternatives(ctx, &out[i - 1], out + i, 1,
					       t->arena, err);
		if (rc)
			return rc;
	}
	rc = record_errors(out, n, t->arena, err);
	if (rc)
		return rc;
	t->criteria = out;
	t->n_criteria = n;
	return population(ctx, t, err);
}

uint64_t ctm_criteria_current_version(const ctm_lexicon *lx)
{
	uint64_t h = ctm_lexicon_hash(lx);

	/* as ctm_criteria_version() mixes them (a test holds the two equal) */
	return (h ^ crules_builtin_hash()) * 1099511628211ull + h;
}

/* ---- a diagnosis read as a criterion (issue #13) ---- */

typedef struct dx_walk {
	ctm_concept disease; /* the one positive disease leaf */
	int positive, denied, other;
} dx_walk;

/* Walks the subtree at c->expr[*i] (moving *i past it). */
static void dx_visit(const ctm_criterion *c, size_t *i, int neg, int alt,
		     dx_walk *w)
{
	const ctm_expr *e = &c->expr[(*i)++];
	uint32_t k;

	switch (e->op) {
	case CTM_EXPR_LEAF:
		if (c->constraints[e->arg].kind != CTM_K_DISEASE)
			return;
		if (neg)
			w->denied++;
		else if (alt)
			w->other++;
		else if (w->positive++ == 0)
			w->disease = c->constraints[e->arg].concept;
		return;
	case CTM_EXPR_NOT: dx_visit(c, i, !neg, alt, w); return;
	default:
		for (k = 0; k < e->arg && *i < c->n_expr; k++)
			dx_visit(c, i, neg, alt || e->op == CTM_EXPR_OR, w);
	}
}

int ctm_criteria_diagnosis(ctm_criteria_ctx *ctx, const char *text,
			   ctm_concept *out)
{
	ctm_arena *a = ctm_arena_new();
	ctm_criterion c;
	ctm_error err;
	dx_walk w = {0, 0, 0, 0};
	size_t i = 0;
	int rc;

	*out = 0;
	if (!a)
		return CTM_ENOMEM;
	memset(&c, 0, sizeof c);
	c.section = CTM_SECTION_INCLUSION;
	c.text = text;
	rc = ctm_criteria_extract(ctx, &c, a, &err);
	if (rc == 0 && c.structured && c.n_expr)
		dx_visit(&c, &i, 0, 0, &w);
	ctm_arena_free(a);
	if (rc)
		return rc;
	if (w.denied)
		return CTM_EINVALID;
	if (w.positive != 1 || w.other)
		return CTM_ENOTFOUND;
	*out = w.disease;
	return 0;
}
