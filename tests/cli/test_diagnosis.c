/*
 * test_diagnosis.c - the commands read a diagnosis as a criterion is read
 * (issue 13, point 7): a wording is recognised whatever its order, and a
 * diagnosis that denies a disease is refused, named by file, line, column,
 * patient and key; in a batch that patient is skipped and the others go on.
 */
#include "clitest.h"

Test(diagnosis, profile_reads_a_wording_and_refuses_a_denial)
{
	ct_run r = {0};

	ct_run_cmd(&r,
		   "{\"id\":\"N1\",\"diagnosis\":\"Adenocarcinoma of the "
		   "Sigmoid Colon\"}",
		   "profile -");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect_str_eq(r.out, "{\n"
				"  \"profile\": {\n"
				"    \"id\": \"N1\",\n"
				"    \"diagnosis\": \"colon adenocarcinoma\"\n"
				"  },\n"
				"  \"warnings\": []\n"
				"}\n");
	ct_run_cmd(&r, "{\"id\":\"N2\",\"diagnosis\":\"no cancer\"}",
		   "profile -");
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_expect_str_eq(r.out, "");
	cr_expect_str_eq(r.err, "ctmatch profile: stdin:1:24: patient N2: "
				"diagnosis: denies a disease instead of "
				"naming the patient's\n");
	ct_run_free(&r);
}

Test(diagnosis, batch_skips_a_denial_and_matches_the_others)
{
	const char *db = ct_new_db();
	const char *roster = ct_keep(ct_path(ct_tmpdir(), "r.ndjson"));
	char want[1024];
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   tu_fixture("batch/trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_write(roster, "{\"id\":\"B1\",\"diagnosis\":\"no evidence of colon "
			 "cancer\"}\n"
			 "{\"id\":\"B2\",\"diagnosis\":\"ca colon\"}\n");
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' --patients '%s' --threads 1 --today "
		   "2026-01-15",
		   db, roster);
	cr_assert_eq(r.status, 1, "%s", r.err);
	snprintf(want, sizeof want,
		 "ctmatch batch: rejected: %s:1:24: patient B1: diagnosis: "
		 "denies a disease instead of naming the patient's\n",
		 roster);
	cr_expect(!strncmp(r.err, want, strlen(want)), "%s", r.err);
	cr_expect_eq(ct_count_lines(r.out, "B1,"), 0, "%s", r.out);
	cr_expect_gt(ct_count_lines(r.out, "B2,"), 0, "%s", r.out);
	ct_run_free(&r);
}
