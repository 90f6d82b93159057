/*
 * criteria_cohort.h - the cohorts, parts and arms a trial's criteria are
 * split into (parsers/ only; see criteria_cohort.c).
 */
#ifndef CTM_CRITERIA_COHORT_H
#define CTM_CRITERIA_COHORT_H

#include <ctm/parsers.h>

#include "criteria_rules.h"

/*
 * What ctm_criteria_cohorts() read. When the text has a clear cohort
 * structure, n >= 2 and, for each segment i, mask[i] is the cohorts it
 * binds (0: all), and text[i] and heading[i] are what to read it as: its
 * text and heading without the cohort label ("COHORT I: No prior
 * sotorasib" reads "No prior sotorasib"; heading[i] may be NULL). When
 * it has none, or one not clear, n is 0 and the arrays are NULL.
 */
typedef struct crit_cohorts {
	size_t n;
	const char *labels[CTM_MAX_COHORTS]; /* "Cohort A", "Part 2a" */
	uint32_t *mask;
	const char **text;
	const char **heading;
} crit_cohorts;

/*
 * Reads the cohort structure of n segments into *out, allocating in a,
 * with the words of r (layout.tsv). Returns 0 or CTM_ENOMEM.
 */
int ctm_criteria_cohorts(const crules *r, const ctm_segment *seg, size_t n,
			 ctm_arena *a, crit_cohorts *out);

/*
 * True if t[0,n) starts with a cohort label ("Part 2 - patients with RAS
 * wild-type disease:", "Cohort A (KRAS G12C):"): the segmenter takes such
 * a paragraph ending with ":" for a label, a sibling of the label before
 * it, however long.
 */
int ctm_criteria_cohort_start(const crules *r, const char *t, size_t n);

#endif
