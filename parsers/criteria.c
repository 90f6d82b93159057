/*
 * criteria.c - a trial's eligibility text into its criteria.
 *
 * ctm_criteria_segment() cuts the text block into single criteria with
 * their sections; ctm_criteria_extract() turns each into constraints or
 * leaves it for review.
 */
#include <ctm/parsers.h>

#include "criteria_extract.h"

#include <string.h>

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
	int rc;

	t->criteria = NULL;
	t->n_criteria = 0;
	t->lexicon_hash = 0;
	if (!t->criteria_text)
		return population(ctx, t, err);
	rc = ctm_criteria_segment(t->criteria_text, t->arena, &seg, &n, err);
	if (rc)
		return rc;
	if (!n)
		return population(ctx, t, err);
	out = ctm_arena_alloc(t->arena, n * sizeof(*out));
	if (!out)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	for (i = 0; i < n; i++) {
		out[i].section = seg[i].section;
		out[i].text = seg[i].text;
		out[i].heading = seg[i].heading;
		rc = ctm_criteria_extract(ctx, &out[i], t->arena, err);
		if (rc)
			return rc;
		if (i && ends_with_or(out[i - 1].text)) {
			/* the second of two alternatives */
			out[i].structured = false;
			out[i].expr = NULL;
			out[i].n_expr = 0;
			out[i].constraints = NULL;
			out[i].n_constraints = 0;
		}
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
	t->criteria = out;
	t->n_criteria = n;
	if (ctm_criteria_ctx_lexicon(ctx))
		t->lexicon_hash = ctm_criteria_version(ctx);
	return population(ctx, t, err);
}
