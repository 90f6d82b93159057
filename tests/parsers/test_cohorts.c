/*
 * test_cohorts.c - the cohort structure of a trial's criteria
 * (spec/matching.md, "Cohorts"; parsers/criteria_cohort.c), read as ingest
 * reads it: table rows of criteria texts written for the test, each with
 * the cohorts a reader sees and, per criterion in order, the cohorts it
 * binds and whether it reads. Near-misses whose structure is not clear
 * keep no cohorts and leave the labelled criteria for review.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <ctm/engine.h>
#include <ctm/parsers.h>

static ctm_lexicon *lx;
static ctm_criteria_parser *cp;

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_criteria_parser_new(&cp, lx, &e), 0, "%s", e.message);
}

static void teardown(void)
{
	ctm_criteria_parser_free(cp);
	ctm_lexicon_free(lx);
}

TestSuite(cohorts, .init = setup, .fini = teardown);

typedef struct row {
	const char *text;    /* the criteria text block */
	const char *cohorts; /* the trial's cohorts, "; "-separated */
	/* per criterion: the mask of the cohorts it binds (0: all), then
	 * "S" when it reads, "R" when review; " | "-separated */
	const char *crit;
} row;

/* The trial's cohorts and criteria as the row's strings. */
static void describe(const ctm_trial *t, char *co, size_t nco, char *cr,
		     size_t ncr)
{
	size_t i, l = 0;

	co[0] = cr[0] = '\0';
	for (i = 0; i < t->n_cohorts; i++)
		l += (size_t)snprintf(co + l, nco - l, "%s%s", i ? "; " : "",
				      t->cohorts[i]);
	l = 0;
	for (i = 0; i < t->n_criteria && l < ncr; i++)
		l += (size_t)snprintf(cr + l, ncr - l, "%s%u %s",
				      i ? " | " : "",
				      (unsigned)t->criteria[i].cohorts,
				      t->criteria[i].structured ? "S" : "R");
}

static void check(const row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ctm_trial *t = ctm_trial_new();
		ctm_criteria_ctx *ctx;
		ctm_error e;
		char co[512], cr[1024];

		cr_assert_not_null(t);
		t->criteria_text = rows[i].text;
		cr_assert_eq(ctm_criteria_ctx_new(&ctx, cp), 0);
		cr_assert_eq(ctm_criteria_parse(ctx, t, &e), 0, "%s", e.message);
		ctm_criteria_ctx_free(ctx);
		describe(t, co, sizeof co, cr, sizeof cr);
		cr_expect_str_eq(co, rows[i].cohorts, "%s\ncohorts: got '%s'",
				 rows[i].text, co);
		cr_expect_str_eq(cr, rows[i].crit, "%s\ncriteria: got '%s'",
				 rows[i].text, cr);
		ctm_trial_free(t);
	}
}

/* Labels at a criterion's start, at its end, and as headings. */
Test(cohorts, labels_bind_their_criteria)
{
	static const row rows[] = {
		/* inline labels, roman ids */
		{"Inclusion Criteria:\n\n"
		 "* ECOG performance status 0-1\n"
		 "* COHORT I: KRAS G12C mutation\n"
		 "* COHORT II: BRAF V600E mutation\n\n"
		 "Exclusion Criteria:\n\n"
		 "* Active brain metastases\n",
		 "Cohort 1; Cohort 2", "0 S | 1 S | 2 S | 0 S"},
		/* headings holding items; the exclusions bind all */
		{"Inclusion Criteria:\n\n"
		 "Cohort A:\n\n"
		 "* KRAS G12C mutation\n"
		 "* ECOG 0-1\n\n"
		 "Cohort B:\n\n"
		 "* BRAF V600E mutation\n\n"
		 "Exclusion Criteria:\n\n"
		 "* Prior anti-EGFR therapy\n",
		 "Cohort A; Cohort B", "1 S | 1 S | 2 S | 0 S"},
		/* parts with a description after the id */
		{"Inclusion Criteria:\n\n"
		 "Part 1 (dose escalation):\n\n"
		 "* ECOG 0-2\n\n"
		 "Part 2 - patients with RAS wild-type disease:\n\n"
		 "* ECOG 0-1\n"
		 "* Measurable disease per RECIST 1.1\n",
		 "Part 1; Part 2", "1 S | 2 S | 2 S"},
		/* a bracket at the end; cohorts in the order first named */
		{"Inclusion Criteria:\n\n"
		 "* Measurable disease per RECIST 1.1 (Cohort 2 only)\n"
		 "* ECOG 0-2 (for Cohort 1)\n"
		 "* Age 18 years or older\n",
		 "Cohort 2; Cohort 1", "1 S | 2 S | 0 S"},
		/* "Part B patients must ...", "For Cohort B, ..." */
		{"Inclusion Criteria:\n\n"
		 "* Part A patients must have ECOG 0-1\n"
		 "* Part B patients must have received prior oxaliplatin\n",
		 "Part A; Part B", "1 S | 2 S"},
		{"Inclusion Criteria:\n\n"
		 "* For Cohort A: no prior KRAS G12C inhibitor\n"
		 "* For Cohort B, prior treatment with sotorasib\n",
		 "Cohort A; Cohort B", "1 S | 2 S"},
		/* one label for two cohorts */
		{"Inclusion Criteria:\n\n"
		 "* Cohorts A and B: ECOG 0-1\n"
		 "* Cohort C: ECOG 0-2\n",
		 "Cohort A; Cohort B; Cohort C", "3 S | 4 S"},
		/* a heading saying only that the cohorts follow; arms with
		 * "#" */
		{"Inclusion Criteria:\n\n"
		 "* Histologically confirmed colorectal adenocarcinoma\n"
		 "* Arm-specific criteria:\n\n"
		 "  * Arm #1 (monotherapy): ECOG 0-1\n"
		 "  * Arm #2 (combination): ECOG 0-2\n",
		 "Arm 1; Arm 2", "0 S | 1 S | 2 S"},
		/* "the recommended phase II dose" is no cohort */
		{"Inclusion Criteria:\n\n"
		 "* COHORT I: No prior KRAS G12C inhibitor\n"
		 "* COHORT II: Progressed on a KRAS G12C inhibitor at the "
		 "recommended phase II dose\n",
		 "Cohort 1; Cohort 2", "1 S | 2 S"},
	};

	check(rows, sizeof rows / sizeof rows[0]);
}

/* Structures that are not clear: no cohorts, labelled criteria review. */
Test(cohorts, unclear_structures_change_nothing)
{
	static const row rows[] = {
		/* one cohort is no choice */
		{"Inclusion Criteria:\n\n"
		 "* ECOG 0-1\n"
		 "* Cohort A: KRAS G12C mutation\n",
		 "", "0 S | 0 R"},
		/* nested ids: IB holds IB1 */
		{"Inclusion Criteria:\n\n"
		 "* Cohort IB: ECOG 0-1\n"
		 "* Cohort IB1: ECOG 0-2\n",
		 "", "0 R | 0 R"},
		/* cohorts of different kinds */
		{"Inclusion Criteria:\n\n"
		 "* Part 1: ECOG 0-1\n"
		 "* Cohort B: BRAF V600E mutation\n",
		 "", "0 R | 0 R"},
		/* a cohort named that no label sets apart */
		{"Inclusion Criteria:\n\n"
		 "* Arm 1: KRAS G12C mutation\n"
		 "* Arm 2: BRAF V600E mutation\n"
		 "* Arm 3 only\n"
		 "* ECOG 0-1\n",
		 "", "0 R | 0 R | 0 R | 0 S"},
		/* a label among other words before the colon */
		{"Inclusion Criteria:\n\n"
		 "* Arm A: ECOG 0-1\n"
		 "* Arm B: ECOG 0-2\n"
		 "* CRC (2-3L) Arm C: prior oxaliplatin\n",
		 "", "0 R | 0 R | 0 R"},
		/* a heading and an item naming different cohorts: a cohort
		 * within a part */
		{"Inclusion Criteria:\n\n"
		 "Cohort A:\n\n"
		 "* Cohort B: ECOG 0-1\n"
		 "* ECOG 0-2\n",
		 "", "0 R | 0 R"},
		/* ids that do not run from the first: groups 1 and 2 are
		 * never named, and a label naming groups 3 and 4 would bind
		 * every cohort read */
		{"Inclusion Criteria:\n\n"
		 "* ECOG 0-1\n"
		 "* Prior oxaliplatin (Groups 3 and 4 only)\n"
		 "* Group 4: KRAS G12C mutation\n",
		 "", "0 S | 0 R | 0 R"},
		{"Inclusion Criteria:\n\n"
		 "* Part C: ECOG 0-1\n"
		 "* Part D: ECOG 0-2\n",
		 "", "0 R | 0 R"},
		/* lower-case letters are words, not ids ("a patient") */
		{"Inclusion Criteria:\n\n"
		 "* Arm a: ECOG 0-1\n"
		 "* Arm b: ECOG 0-2\n",
		 "", "0 R | 0 R"},
	};

	check(rows, sizeof rows / sizeof rows[0]);
}

/* A cohort label right after a polarity label is the group the
 * permission is for: its items keep the permission and stay review. */
Test(cohorts, a_permission_for_a_cohort_is_no_requirement)
{
	static const row rows[] = {
		{"Inclusion Criteria:\n\n"
		 "Concurrent Medication:\n"
		 "Allowed:\n"
		 "GROUP 2:\n"
		 "  -  Acyclovir.\n"
		 "  -  Fluconazole.\n\n"
		 "Exclusion Criteria:\n\n"
		 "GROUP 1 PATIENTS ONLY:\n"
		 "  -  Oral hairy leukoplakia.\n"
		 "GROUP 2 PATIENTS ONLY:\n"
		 "  -  Active brain metastases.\n",
		 "Group 2; Group 1", "1 R | 1 R | 2 S | 1 S"},
	};

	check(rows, sizeof rows / sizeof rows[0]);
}

/* Alternatives of several cohorts in one sentence bind no one cohort. */
Test(cohorts, alternatives_across_cohorts_bind_all)
{
	static const row rows[] = {
		{"Inclusion Criteria:\n\n"
		 "* Either KRAS G12C mutation (Cohort A) or BRAF V600E "
		 "mutation (Cohort B)\n"
		 "* Cohort A: ECOG 0-1\n"
		 "* Cohort B: ECOG 0-2\n",
		 "Cohort A; Cohort B", "0 R | 1 S | 2 S"},
	};

	check(rows, sizeof rows / sizeof rows[0]);
}
