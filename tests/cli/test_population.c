/*
 * test_population.c - trials for other cancers are not offered (issue
 * #11), end to end: fixtures/population/ ingested into a fresh index, then
 * `ctmatch match` for a colon cancer patient, without and with
 * --include-ineligible.
 */
#include "clitest.h"

#define PATIENT "--diagnosis 'colon adenocarcinoma' --age 60 --sex male --ecog 1 --today 2026-11-26"

/* The nct_id column (the third) of a match CSV, ' '-separated, in order. */
static void ids(const char *csv, char *out, size_t n)
{
	const char *line = strchr(csv, '\n');
	size_t len = 0;

	out[0] = '\0';
	while (line && line[1]) {
		const char *f = strchr(line + 1, ','), *e;
		cr_assert(f, "a row without columns");
		f = strchr(f + 1, ',');
		cr_assert(f, "a row without an nct_id");
		e = strchr(f + 1, ',');
		cr_assert(e);
		len += (size_t)snprintf(out + len, n - len, "%s%.*s", len ? " " : "",
					(int)(e - f - 1), f + 1);
		line = strchr(line + 1, '\n');
	}
}

Test(population, other_cancers_are_not_offered_pan_tumour_trials_are)
{
	const char *db = ct_new_db();
	char got[1024];
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture("population"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* offered: pan-tumour (05), baskets listing colorectal (06, and 09
	 * whose criteria admit 'other malignancies'), the patient's own (07
	 * by its criteria, 12), and those whose population was not read (08,
	 * 11, possible); not offered: pancreatic, lung, breast, blood and
	 * rectal cancer trials (01-04, 10) */
	ct_run_cmd(&r, NULL, "match --db '%s' " PATIENT " --limit 0 --format csv", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ids(r.out, got, sizeof got);
	cr_expect_str_eq(got, "NCT91100007 NCT91100009 NCT91100005 NCT91100006 "
			      "NCT91100012 NCT91100008 NCT91100011");
	/* the breast cancer trial, a candidate through its 'Neoplasm
	 * Metastasis' condition, is ineligible with its population named */
	ct_run_cmd(&r, NULL, "match --db '%s' " PATIENT " --limit 0 --format csv --include-ineligible", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(ct_line_with(r.out, "NCT91100003,ineligible,"), "%s", r.out);
	cr_expect(ct_line_with(r.out, "NCT91100003,ineligible,") &&
			  strstr(ct_line_with(r.out, "NCT91100003,ineligible,"),
				 ",for breast cancer [patient: colon adenocarcinoma],"),
		  "%s", r.out);
	ct_run_free(&r);
}
