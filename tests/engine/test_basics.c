/* test_basics.c - statuses, genders, ages, dates, NCT ids, errors, arenas. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include <ctm/engine.h>

Test(status, parses_legacy_v2_and_token_spellings)
{
	static const struct {
		const char *text;
		int want;
	} rows[] = {
		{"Recruiting", CTM_STATUS_RECRUITING},
		{"RECRUITING", CTM_STATUS_RECRUITING},
		{"Not yet recruiting", CTM_STATUS_NOT_YET_RECRUITING},
		{"NOT_YET_RECRUITING", CTM_STATUS_NOT_YET_RECRUITING},
		{"Active, not recruiting", CTM_STATUS_ACTIVE_NOT_RECRUITING},
		{"ACTIVE_NOT_RECRUITING", CTM_STATUS_ACTIVE_NOT_RECRUITING},
		{"Enrolling by invitation", CTM_STATUS_ENROLLING_BY_INVITATION},
		{"Completed", CTM_STATUS_COMPLETED},
		{"Terminated", CTM_STATUS_TERMINATED},
		{"Withdrawn", CTM_STATUS_WITHDRAWN},
		{"Suspended", CTM_STATUS_SUSPENDED},
		{"Unknown status", CTM_STATUS_UNKNOWN},
		{"UNKNOWN", CTM_STATUS_UNKNOWN},
		{"Available", CTM_STATUS_AVAILABLE},
		{"No longer available", CTM_STATUS_NO_LONGER_AVAILABLE},
		{"Temporarily not available",
		 CTM_STATUS_TEMPORARILY_NOT_AVAILABLE},
		{"Approved for marketing", CTM_STATUS_APPROVED_FOR_MARKETING},
		{"Withheld", CTM_STATUS_WITHHELD},
		{"active_not_recruiting", CTM_STATUS_ACTIVE_NOT_RECRUITING},
		{"Open", -1},
		{"", -1},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cr_expect_eq(ctm_status_parse(rows[i].text), rows[i].want,
			     "%s", rows[i].text);
	cr_expect_eq(ctm_status_parse(NULL), -1);
	cr_expect_str_eq(ctm_status_name(CTM_STATUS_ACTIVE_NOT_RECRUITING),
			 "Active, not recruiting");
	cr_expect_str_eq(ctm_status_token(CTM_STATUS_NOT_YET_RECRUITING),
			 "not_yet_recruiting");
	cr_expect(ctm_status_is_open(CTM_STATUS_RECRUITING));
	cr_expect(ctm_status_is_open(CTM_STATUS_NOT_YET_RECRUITING));
	cr_expect(!ctm_status_is_open(CTM_STATUS_ACTIVE_NOT_RECRUITING));
	cr_expect(!ctm_status_is_open(CTM_STATUS_COMPLETED));
}

Test(gender, parses_all_both_female_male)
{
	cr_expect_eq(ctm_gender_parse("All"), CTM_GENDER_ALL);
	cr_expect_eq(ctm_gender_parse("Both"), CTM_GENDER_ALL);
	cr_expect_eq(ctm_gender_parse("ALL"), CTM_GENDER_ALL);
	cr_expect_eq(ctm_gender_parse("Female"), CTM_GENDER_FEMALE);
	cr_expect_eq(ctm_gender_parse("MALE"), CTM_GENDER_MALE);
	cr_expect_eq(ctm_gender_parse("Other"), -1);
	cr_expect_str_eq(ctm_gender_name(CTM_GENDER_FEMALE), "Female");
}

Test(age, normalises_every_unit_to_years)
{
	static const struct {
		const char *text;
		double years;
	} rows[] = {
		{"18 Years", 18.0},     {"1 Year", 1.0},
		{"6 Months", 0.5},      {"1 Month", 1.0 / 12},
		{"2 Weeks", 2 / 52.1775}, {"1 Week", 1 / 52.1775},
		{"30 Days", 30 / 365.25}, {"1 Day", 1 / 365.25},
		{"12 Hours", 12 / (365.25 * 24)},
		{"1 Hour", 1 / (365.25 * 24)},
		{"90 Minutes", 90 / (365.25 * 24 * 60)},
		{"1 Minute", 1 / (365.25 * 24 * 60)},
		{"  65 years ", 65.0},
	};
	size_t i;
	double y;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cr_expect_eq(ctm_age_parse(rows[i].text, &y), 0, "%s",
			     rows[i].text);
		cr_expect(fabs(y - rows[i].years) < 1e-12, "%s: %g",
			  rows[i].text, y);
	}
	cr_expect_eq(ctm_age_parse("N/A", &y), 0);
	cr_expect_eq(y, CTM_AGE_UNBOUNDED);
	cr_expect_eq(ctm_age_parse("", &y), 0);
	cr_expect_eq(y, CTM_AGE_UNBOUNDED);
	cr_expect_eq(ctm_age_parse("eighteen Years", &y), CTM_EPARSE);
	cr_expect_eq(ctm_age_parse("18 Fortnights", &y), CTM_EPARSE);
	cr_expect_eq(ctm_age_parse("18 Years old", &y), CTM_EPARSE);
	cr_expect_eq(ctm_age_parse("-3 Years", &y), CTM_EPARSE);
}

Test(date, parses_every_ctgov_spelling)
{
	static const struct {
		const char *text;
		int32_t want;
	} rows[] = {
		{"February 3, 2023", 20230203},
		{"February 03, 2023", 20230203},
		{"March 2005", 20050301},
		{"2023-02-03", 20230203},
		{"2023-02", 20230201},
		{"ClinicalTrials.gov processed this data on February 03, 2023",
		 20230203},
		{"December 31, 1999", 19991231},
		{"February 29, 2024", 20240229},
	};
	size_t i;
	int32_t d;
	char buf[11];

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cr_expect_eq(ctm_date_parse(rows[i].text, &d), 0, "%s",
			     rows[i].text);
		cr_expect_eq(d, rows[i].want, "%s", rows[i].text);
	}
	cr_expect_eq(ctm_date_parse("February 29, 2023", &d), CTM_EPARSE);
	cr_expect_eq(ctm_date_parse("Smarch 3, 2023", &d), CTM_EPARSE);
	cr_expect_eq(ctm_date_parse("2023-13-01", &d), CTM_EPARSE);
	cr_expect_eq(ctm_date_parse("yesterday", &d), CTM_EPARSE);
	cr_expect_eq(ctm_date_parse("March 3, 2023 extra", &d), CTM_EPARSE);
	cr_expect_str_eq(ctm_date_format(20230203, buf), "2023-02-03");
	cr_expect_str_eq(ctm_date_format(0, buf), "");
}

Test(nct, parses_and_formats_ids)
{
	uint32_t n;
	char buf[12];

	cr_expect_eq(ctm_nct_parse("NCT01234567", &n), 0);
	cr_expect_eq(n, 1234567u);
	cr_expect_str_eq(ctm_nct_format(n, buf), "NCT01234567");
	cr_expect_eq(ctm_nct_parse("NCT1234567", &n), CTM_EINVALID);
	cr_expect_eq(ctm_nct_parse("NCT012345678", &n), CTM_EINVALID);
	cr_expect_eq(ctm_nct_parse("nct01234567", &n), CTM_EINVALID);
	cr_expect_eq(ctm_nct_parse("NCT0123456a", &n), CTM_EINVALID);
	cr_expect_eq(ctm_nct_parse(NULL, &n), CTM_EINVALID);
}

Test(error, formats_file_line_column_field_message)
{
	ctm_error e;
	char buf[256];

	ctm_error_clear(&e);
	cr_expect_eq(ctm_error_set(&e, CTM_EPARSE, "a.xml", 12, 3,
				   "bad value '%s'", "x"),
		     CTM_EPARSE);
	ctm_error_set_field(&e, "minimum_age");
	cr_expect_str_eq(ctm_error_format(&e, buf, sizeof buf),
			 "a.xml:12:3: minimum_age: bad value 'x'");
	ctm_error_set(&e, CTM_EIO, "b.xml", 0, 0, "cannot open");
	ctm_error_set_field(&e, NULL);
	cr_expect_str_eq(ctm_error_format(&e, buf, sizeof buf),
			 "b.xml: cannot open");
	ctm_error_set(&e, CTM_EINDEX, NULL, 0, 0, "%s", "");
	cr_expect_str_eq(ctm_error_format(&e, buf, sizeof buf),
			 "index error");
	cr_expect_eq(ctm_error_set(NULL, CTM_ENOMEM, NULL, 0, 0, "x"),
		     CTM_ENOMEM);
}

Test(arena, allocates_zeroed_aligned_memory_and_copies_strings)
{
	ctm_arena *a = ctm_arena_new();
	size_t i;
	char *s;

	cr_assert_not_null(a);
	for (i = 1; i < 5000; i += 37) {
		unsigned char *p = ctm_arena_alloc(a, i);
		size_t k;
		cr_assert_not_null(p);
		cr_expect_eq((uintptr_t)p % _Alignof(max_align_t), 0);
		for (k = 0; k < i; k++)
			cr_assert_eq(p[k], 0);
		memset(p, 0xAB, i);
	}
	s = ctm_arena_strndup(a, "colorectal", 5);
	cr_expect_str_eq(s, "color");
	cr_expect_null(ctm_arena_strdup(a, NULL));
	cr_expect_str_eq(ctm_arena_strdup(a, ""), "");
	cr_expect_gt(ctm_arena_used(a), 5000u);
	ctm_arena_free(a);
	ctm_arena_free(NULL);
}

Test(trial, new_trial_has_unbounded_ages_and_unknown_volunteers)
{
	ctm_trial *t = ctm_trial_new();

	cr_assert_not_null(t);
	cr_expect_eq(t->min_age_years, CTM_AGE_UNBOUNDED);
	cr_expect_eq(t->max_age_years, CTM_AGE_UNBOUNDED);
	cr_expect_eq(t->healthy_volunteers, -1);
	cr_expect_eq(t->status, CTM_STATUS_UNKNOWN);
	cr_expect_null(t->criteria_text);
	ctm_trial_free(t);
	ctm_trial_free(NULL);
}

Test(bm_status, parses_common_spellings)
{
	cr_expect_eq(ctm_bm_status_parse("wt"), CTM_BM_WILDTYPE);
	cr_expect_eq(ctm_bm_status_parse("wild-type"), CTM_BM_WILDTYPE);
	cr_expect_eq(ctm_bm_status_parse("Wildtype"), CTM_BM_WILDTYPE);
	cr_expect_eq(ctm_bm_status_parse("mutant"), CTM_BM_MUTATED);
	cr_expect_eq(ctm_bm_status_parse("not-amplified"),
		     CTM_BM_NOT_AMPLIFIED);
	cr_expect_eq(ctm_bm_status_parse("MSI-H"), CTM_BM_HIGH);
	cr_expect_eq(ctm_bm_status_parse("dMMR"), CTM_BM_DEFICIENT);
	cr_expect_eq(ctm_bm_status_parse("pmmr"), CTM_BM_PROFICIENT);
	cr_expect_eq(ctm_bm_status_parse("sideways"), -1);
	cr_expect_str_eq(ctm_bm_status_name(CTM_BM_WILDTYPE), "wild-type");
}
