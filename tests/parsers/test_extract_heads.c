/*
 * test_extract_heads.c - what a heading does to the criteria under it and
 * the layout words around a clause: the time window of an AIDS-era polarity
 * label ("Excluded within 72 hours prior to study entry:"), with near-misses
 * whose time the window does not hold, which must stay review.
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h; "(unread)" is a
 * part the parser did not read. The sentences are ours, in the registry's
 * style.
 */
#include "extract_rows.h"

/* ---- a heading's window over its therapies ---------------------------- */
static const row heading_windows[] = {
	/* hours in whole days */
	{E, "Prior Medication: Excluded within 72 hours prior to study entry",
	 "Ketoconazole.", "NOT prior ketoconazole [within 3 days]"},
	{E, "Prior Medication: Excluded within 48 hours of study entry",
	 "Systemic corticosteroids.", "NOT prior corticosteroid [within 2 days]"},
	/* "the past", "the last", a number in words, no number */
	{E, "Prior Medication: Excluded within the past 2 weeks",
	 "Interferon.", "NOT prior interferon [within 14 days]"},
	{E, "Prior Medication: Excluded within the past month",
	 "Investigational agents.",
	 "NOT prior investigational agent [within 30 days]"},
	{E, "Prior Medication: Excluded within one week prior to study entry",
	 "Warfarin.", "NOT prior warfarin [within 7 days]"},
	{E, "Prior Treatment: Excluded within the 21 days immediately "
	    "preceding study entry",
	 "Radiation therapy.", "NOT prior radiation [within 21 days]"},
	/* the AIDS-era "Concurrent Medication" label with a window: taken
	 * within the window, or now */
	{E, "Concurrent Medication: Excluded within 6 weeks of study entry",
	 "Immunomodulators.", "NOT prior immunomodulator [within 42 days]"},
	{E, "Concurrent Treatment: Excluded within 30 days of study entry",
	 "Radiation therapy.", "NOT prior radiation [within 30 days]"},
	/* near-misses: a window of part of a day, a window after the dose,
	 * a time the window does not hold, a window with no number, a
	 * window and "concurrent" elsewhere in a lead-in */
	{E, "Prior Medication: Excluded within 12 hours of study entry",
	 "Antacids.", "review"},
	{E, "Concurrent Medication: Excluded within 2 hours after each dose",
	 "Antacids.", "review"},
	{E, "Prior Medication: Excluded within 2 weeks of study entry or for "
	    "more than 4 weeks of therapy",
	 "Ganciclovir.", "review"},
	{E, "Prior Medication: Excluded for more than 1 week within the past "
	    "3 months",
	 "Systemic corticosteroids.", "review"},
	{E, "Prior Medication: Excluded within days of study entry",
	 "Ganciclovir.", "review"},
	{E, "Patients with current angina or a myocardial infarction within "
	    "6 months are excluded",
	 "Digoxin.", "review"},
	{E, "Concurrent Medication: Excluded within 4 weeks of study entry: "
	    "Excluded within 2 weeks of study entry",
	 "Ganciclovir.", "review"},
};

Test(extract_heads, heading_windows)
{
	check_rows(ROWS(heading_windows));
}

/* ---- past or present: any time ---------------------------------------- */
static const row past_or_present[] = {
	/* the present word does not narrow the condition to an active one */
	{E, NULL, "Past or current congestive heart failure",
	 "NOT condition heart failure"},
	{U, NULL, "No history of or active CNS metastases",
	 "NOT brain metastases"},
	{E, NULL, "History of or ongoing alcohol abuse",
	 "NOT condition substance abuse"},
	{E, NULL, "Prior or current treatment with interferon",
	 "NOT prior interferon"},
	/* near-misses: the present word alone keeps the condition active;
	 * a malignancy stays another one */
	{E, NULL, "Current congestive heart failure",
	 "NOT condition active heart failure"},
	{U, NULL, "No prior or current malignancy",
	 "NOT condition second malignancy"},
};

/* ---- words that never change the outcome ------------------------------ */
static const row editorial_notes[] = {
	/* PDQ's terminology note after a criterion */
	{U, NULL,
	 "No pleural effusion A new classification scheme for adult "
	 "non-Hodgkin's lymphoma has been adopted by PDQ.",
	 "NOT condition effusion"},
	{U, NULL,
	 "Measurable disease NOTE: A new classification scheme for adult "
	 "non-Hodgkin's lymphoma has been adopted by PDQ. The terminology of "
	 "\"indolent\" or \"aggressive\" lymphoma will replace the former "
	 "terminology of \"low\", \"intermediate\", or \"high\" grade "
	 "lymphoma. However, this protocol uses the former terminology.",
	 "measurable disease"},
	/* near-miss: a note of the trial's own stays review */
	{U, NULL,
	 "Measurable disease NOTE: a new staging system has been adopted "
	 "for this protocol.",
	 "review"},
};

Test(extract_heads, editorial_notes)
{
	check_rows(ROWS(editorial_notes));
}

Test(extract_heads, past_or_present)
{
	check_rows(ROWS(past_or_present));
}

/* Formats criterion i of t into buf. */
static const char *fmt(const ctm_trial *t, size_t i, char *buf, size_t size)
{
	cr_assert_lt(i, t->n_criteria);
	ctm_criterion_format(&t->criteria[i], lx, buf, size);
	return buf;
}

/* ---- a criterion cut across lines at its "OR" -------------------------- */
Test(extract_heads, alternatives_across_lines)
{
	ctm_trial *t = ctm_trial_new();
	ctm_error err = {0};
	char buf[1024];

	cr_assert(t);
	t->criteria_text =
		"PATIENT CHARACTERISTICS:\n"
		"Performance status:\n"
		"  -  Karnofsky 60-100% OR\n"
		"  -  ECOG 0-2\n"
		"Renal:\n"
		"  -  Creatinine no greater than 1.5 mg/dL OR\n"
		"  -  Creatinine clearance at least 60 mL/min\n"
		"Hepatic:\n"
		"  -  Bilirubin no greater than 1.5 mg/dL AND/OR\n"
		"  -  AST no greater than 2 times upper limit of normal OR\n"
		"  -  ALT no greater than 2 times upper limit of normal\n"
		"Other:\n"
		"  -  No active infection OR\n"
		"  -  Creatinine clearance at least 60 mL/min\n";
	cr_assert_eq(ctm_criteria_parse(ctx, t, &err), 0, "%s", err.message);
	cr_assert_eq(t->n_criteria, 9);
	cr_expect_str_eq(fmt(t, 0, buf, sizeof buf),
			 "Karnofsky >= 60 OR ECOG 0-2");
	/* the line after holds only with the one before: review */
	cr_expect_str_eq(fmt(t, 1, buf, sizeof buf), "review");
	cr_expect_str_eq(fmt(t, 2, buf, sizeof buf),
			 "creatinine <= 1.5 mg/dL OR creatinine clearance >= 60 "
			 "mL/min");
	cr_expect_str_eq(fmt(t, 3, buf, sizeof buf), "review");
	cr_expect_str_eq(fmt(t, 4, buf, sizeof buf),
			 "bilirubin <= 1.5 mg/dL OR AST <= 2 x ULN OR ALT <= 2 "
			 "x ULN");
	cr_expect_str_eq(fmt(t, 5, buf, sizeof buf), "review");
	cr_expect_str_eq(fmt(t, 6, buf, sizeof buf), "review");
	/* near-miss: a negation is no alternative an OR keeps */
	cr_expect_str_eq(fmt(t, 7, buf, sizeof buf), "review");
	cr_expect_str_eq(fmt(t, 8, buf, sizeof buf), "review");
	ctm_trial_free(t);

	/* near-misses: in an exclusion each line excludes on its own; a
	 * line under another heading is no part of it; the last line of a
	 * list ending with "OR" runs on */
	t = ctm_trial_new();
	cr_assert(t);
	t->criteria_text =
		"Exclusion Criteria:\n"
		"  -  Creatinine greater than 1.5 mg/dL OR\n"
		"  -  Creatinine clearance less than 60 mL/min\n"
		"Inclusion Criteria:\n"
		"Renal:\n"
		"  -  Creatinine no greater than 1.5 mg/dL OR\n"
		"Hepatic:\n"
		"  -  Bilirubin no greater than 1.5 mg/dL\n"
		"  -  ECOG 0-1 OR\n";
	cr_assert_eq(ctm_criteria_parse(ctx, t, &err), 0, "%s", err.message);
	cr_assert_eq(t->n_criteria, 5);
	cr_expect_str_eq(fmt(t, 0, buf, sizeof buf), "review");
	cr_expect_str_eq(fmt(t, 2, buf, sizeof buf), "review");
	/* (the line after a dangling "OR" stays review, heading or not) */
	cr_expect_str_eq(fmt(t, 3, buf, sizeof buf), "review");
	cr_expect_str_eq(fmt(t, 4, buf, sizeof buf), "review");
	ctm_trial_free(t);
}

TestSuite(extract_heads, .init = setup, .fini = teardown);
