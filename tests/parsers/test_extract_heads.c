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

TestSuite(extract_heads, .init = setup, .fini = teardown);
