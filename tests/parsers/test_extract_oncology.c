/*
 * test_extract_oncology.c - oncology concepts of issue #10 read as
 * constraints: washouts with a longer one for some drugs, the cooperative
 * groups' performance scales, "anticancer" before a kind of therapy, and
 * the near-misses of each that must stay review.
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h; "(unread)" is a
 * part not read (always unknown), "review" a sentence that must stay
 * unread. The sentences are ours, in the registry's style; the expected
 * values were written from what each sentence means.
 */
#include "extract_rows.h"

TestSuite(extract_oncology, .init = setup, .fini = teardown);

/* ---- a longer washout for some drugs, in parentheses ---------------- */
static const row washouts[] = {
	{U, NULL,
	 "At least 4 weeks since prior chemotherapy (6 weeks for "
	 "nitrosoureas or mitomycin C) and recovered",
	 "NOT prior chemotherapy [within 28 days] AND NOT (prior nitrosourea "
	 "[within 42 days] OR prior mitomycin [within 42 days]) AND NOT "
	 "condition unresolved toxicity"},
	{U, NULL,
	 "More than 3 weeks since prior chemotherapy (8 weeks since "
	 "carmustine)",
	 "NOT prior chemotherapy [within 21 days] AND NOT prior carmustine "
	 "[within 56 days]"},
	{I, NULL,
	 "At least 3 weeks since prior biologic therapy (6 weeks for "
	 "interleukin-2)",
	 "NOT prior biologic therapy [within 21 days] AND NOT prior "
	 "interleukin-2 [within 42 days]"},
	{U, NULL,
	 "At least 2 weeks since prior chemotherapy (2 months for "
	 "mitomycin)",
	 "NOT prior chemotherapy [within 14 days] AND NOT prior mitomycin "
	 "[within 60 days]"},
	/* a shorter washout for some relaxes the rule: not read */
	{U, NULL,
	 "At least 4 weeks since prior major surgery (2 weeks for minor "
	 "surgery)",
	 "review"},
	{U, NULL,
	 "At least 4 weeks since prior chemotherapy (1 week for weekly "
	 "fluorouracil)",
	 "review"},
	/* "less than" in an exclusion: the added "at least" would invert it */
	{E, NULL,
	 "Less than 4 weeks since prior chemotherapy (6 weeks for "
	 "nitrosoureas)",
	 "review"},
	/* a drug the lexicon does not know stays unread */
	{U, NULL,
	 "At least 4 weeks since prior radiotherapy (6 weeks for "
	 "strontium chloride Sr 89)",
	 "review"},
	/* hours in whole days */
	{U, NULL, "At least 24 hours since prior hydroxyurea",
	 "NOT prior hydroxyurea [within 1 days]"},
	{U, NULL, "At least 72 hours since prior antimicrobials",
	 "NOT prior anti-infective [within 3 days]"},
};

Test(extract_oncology, washouts)
{
	check_rows(ROWS(washouts));
}

/* ---- performance scales of the cooperative groups ------------------- */
static const row performance_scales[] = {
	{U, NULL, "Performance status: SWOG 0-2", "ECOG 0-2"},
	{U, "Performance status", "SWOG 0-1", "ECOG 0-1"},
	{U, "Performance status", "CALGB 0-2", "ECOG 0-2"},
	{I, NULL, "GOG performance status 0, 1, or 2", "ECOG 0-2"},
	{U, NULL, "SWOG 0-2 or Karnofsky 60-100%",
	 "ECOG 0-2 OR Karnofsky >= 60"},
	/* a group's protocol, not its scale */
	{E, NULL, "Prior enrollment on SWOG-9415", "review"},
	{U, NULL, "Enrolled on GOG protocol 218", "review"},
};

Test(extract_oncology, performance_scales)
{
	check_rows(ROWS(performance_scales));
}

/* ---- "anticancer" before a named kind of therapy -------------------- */
static const row anticancer[] = {
	{U, NULL, "No concurrent anticancer hormonal therapy",
	 "NOT current hormonal therapy"},
	{U, NULL, "No concurrent anticancer radiotherapy",
	 "NOT current radiation"},
	{U, NULL, "No concurrent anti-cancer endocrine therapy",
	 "NOT current hormonal therapy"},
	{U, NULL, "No other concurrent anticancer or investigational agents",
	 "NOT (current systemic therapy OR current investigational agent)"},
	/* in an exclusion, "no other concurrent" is a double negative */
	{E, NULL, "No concurrent anticancer hormonal therapy", "review"},
};

Test(extract_oncology, anticancer)
{
	check_rows(ROWS(anticancer));
}
