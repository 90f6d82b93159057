/*
 * criteria_extract.h - private hooks into the criteria extractor, for tests
 * and diagnostics (parsers/ and tests only).
 */
#ifndef CTM_CRITERIA_EXTRACT_H
#define CTM_CRITERIA_EXTRACT_H

#include <ctm/parsers.h>

/*
 * The sentence skeleton the last ctm_criteria_extract() on ctx worked on,
 * as it stood when extraction ended: lower-case text with lexicon terms
 * replaced by placeholders (D disease, G gene, M marker, V variant, R drug,
 * C class, X regimen, P procedure, S site, B brain, L lab) and understood
 * clauses by Qn. Also the reason a sentence stayed review ("" when
 * structured). Both point into ctx and live until the next extraction.
 */
const char *ctm_criteria_debug_skeleton(const ctm_criteria_ctx *ctx);
const char *ctm_criteria_debug_reason(const ctm_criteria_ctx *ctx);

/*
 * True if a heading offers alternatives ("meeting any of the following").
 */
int ctm_criteria_heading_alternatives(ctm_criteria_ctx *ctx, const char *h);

/*
 * Items offered as alternatives under an intro criterion ("HER2-positive
 * disease, meeting any of the following:"): when every item reads on its
 * own (without the heading), the intro becomes their OR, allocated in `a`;
 * otherwise nothing changes. The items themselves stay as they are
 * (review: none holds alone).
 */
/*
 * A criterion cut across lines at its "OR" ("Creatinine no greater than
 * 1.5 mg/dL OR" then "Creatinine clearance at least 60 mL/min"): texts[]
 * are the n lines without their "OR". When each reads with first's
 * section, heading and cohorts, and none is a negation, first becomes
 * their OR, allocated in `a`; otherwise nothing changes. Not for an
 * exclusion (its "A OR" / "B" each excludes on its own).
 */
int ctm_criteria_or_lines(ctm_criteria_ctx *ctx, ctm_criterion *first,
			  const char *const *texts, size_t n, ctm_arena *a,
			  ctm_error *err);

int ctm_criteria_alternatives(ctm_criteria_ctx *ctx, ctm_criterion *intro,
			      const ctm_criterion *items, size_t n,
			      ctm_arena *a, ctm_error *err);

/*
 * The version of what reads criteria: the lexicon's hash mixed with the
 * rule files' (engine/lexicon/rules/). A trial's criteria parsed under
 * another version may read differently today.
 */
uint64_t ctm_criteria_version(const ctm_criteria_ctx *ctx);

/* The lexicon the context's parser was built with. */
const ctm_lexicon *ctm_criteria_ctx_lexicon(const ctm_criteria_ctx *ctx);

/* The rule files the context's parser was built with (criteria_rules.h),
 * which the segmenter and the cohort reader read with too. */
struct crules;
const struct crules *ctm_criteria_ctx_rules(const ctm_criteria_ctx *ctx);

#endif
