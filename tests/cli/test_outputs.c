/*
 * test_outputs.c - what was not read is visible in every output (#11,
 * spec/cli.md): the `review` count in the table and CSV, the `review`
 * texts and `url` in JSON, exact bytes; and `batch` carries each
 * patient's profile warnings into its output and exits 1 for them.
 * Fixtures: fixtures/batch/ (README.md there); T01 holds the one criterion
 * not read, "Inability to swallow tablets".
 */
#include "clitest_mb.h"

/*
 * A03 (70 M, no ECOG, no biomarkers, prior cetuximab; Texas): only T05,
 * possible; its two criteria unknown (-0.5 each), age met (+1),
 * recruiting (+2), no site in Texas. Six open candidates (T04 is
 * completed).
 */
Test(outputs, match_json_exact_bytes)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	const char *want =
		"{\n"
		"  \"patient_id\": \"A03\",\n"
		"  \"warnings\": [],\n"
		"  \"candidates_evaluated\": 6,\n"
		"  \"results\": [\n"
		"    {\n"
		"      \"rank\": 1,\n"
		"      \"nct_id\": \"NCT93000005\",\n"
		"      \"verdict\": \"possible\",\n"
		"      \"score\": 2.0,\n"
		"      \"score_parts\": {\n"
		"        \"met\": 1.0,\n"
		"        \"unknown\": -1.0,\n"
		"        \"specificity\": 0.0,\n"
		"        \"status\": 2.0,\n"
		"        \"site\": 0.0\n"
		"      },\n"
		"      \"title\": \"Panitumumab for KRAS Wild-type Colorectal Cancer\",\n"
		"      \"phase\": \"Phase 2\",\n"
		"      \"overall_status\": \"Recruiting\",\n"
		"      \"met\": 1,\n"
		"      \"unknown\": 2,\n"
		"      \"to_check\": [\n"
		"        \"KRAS wild-type\",\n"
		"        \"ECOG performance status 0-1\"\n"
		"      ],\n"
		"      \"reasons\": [],\n"
		"      \"site\": \"Centre Fixture Rhone, Lyon, France\",\n"
		"      \"last_update\": \"2025-05-14\",\n"
		"      \"review\": [],\n"
		"      \"url\": \"https://clinicaltrials.gov/study/NCT93000005\"\n"
		"    }\n"
		"  ]\n"
		"}\n";

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --format json --patient '%s'",
		   db, mb_fx("patients/dir/A03.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, want, "got:\n%s\nwant:\n%s", r.out, want);
	ct_run_free(&r);
}

/* A01's best trial is T01: its unread criterion is in `review`. */
Test(outputs, match_json_review_texts_exact)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	json_t *doc, *x;
	char *s;

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY
		   " --format json --limit 1 --patient '%s'",
		   db, mb_fx("patients/dir/A01.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	doc = ct_json(r.out);
	x = json_array_get(mb_results(doc), 0);
	cr_assert(x);
	s = json_dumps(json_object_get(x, "review"), JSON_COMPACT);
	cr_assert_str_eq(s, "[\"Inability to swallow tablets\"]");
	free(s);
	ct_assert_jstr(x, "url", "https://clinicaltrials.gov/study/NCT93000001");
	json_decref(doc);
	ct_run_free(&r);
}

/* The table has a rev column: 1 for T01, 0 for the others. */
Test(outputs, match_table_shows_the_review_count)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "match --db '%s' " MB_TODAY " --patient '%s'", db,
		   mb_fx("patients/dir/A01.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "  #  trial        verdict      score  rev  "
				"status                  title\n"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "  1  NCT93000001  eligible       9.0    1  "
				"Recruiting              KRAS G12C Inhibitor"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "  2  NCT93000007  eligible       7.0    0  "
				"Recruiting              Walking Program"),
		  "%s", r.out);
	ct_run_free(&r);
}

/* --explain has no place in CSV: refused, not ignored. */
Test(outputs, explain_with_csv_is_refused)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY
		   " --format csv --explain --patient '%s'",
		   db, mb_fx("patients/dir/A01.json"));
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	cr_assert(strstr(r.err, "--explain cannot be written as CSV"), "%s",
		  r.err);
	ct_run_free(&r);
}

/*
 * A roster with a misspelled column ("ecgo") and a misspelled regimen
 * ("FOLFOXX"). W01 (61 M, France) is matched with both warnings at the end
 * of each of its rows; W02 (55 F) has none. Each gets the six open trials
 * (T04 is completed), possible on what they do not know. The batch exits
 * 1; stderr counts the profiles with warnings and does not repeat them.
 */
Test(outputs, batch_carries_profile_warnings_and_exits_1)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "roster.csv"));
	const char *w01_tail =
		",prior_therapies[0].name: 'FOLFOXX' is not a known therapy "
		"(nearest: FOLFOX); ecgo: unknown key ignored; did you mean "
		"'ecog'?,,,\n";
	char *got;
	ct_run r = {0};

	ct_write(roster, "id,age,sex,diagnosis,ecgo,prior_therapies,country\n"
			 "W01,61,male,colon adenocarcinoma,1,FOLFOXX,France\n"
			 "W02,55,female,rectal adenocarcinoma,,,France\n");
	const char *db2 = mb_copy_db(db);

	got = mb_batch(&r, db, roster, ct_path(tmp, "out.csv"), "", 1);
	cr_assert_eq(mb_nlines(got), 13, "%s", got);
	cr_assert_eq(ct_count_lines(got, "W01,"), 6, "%s", got);
	cr_assert_eq(ct_count_lines(got, "W02,"), 6, "%s", got);
	cr_assert_eq(ct_count_lines(got, w01_tail), 6, "%s", got);
	cr_assert_eq(ct_count_lines(got, "FOLFOXX"), 6, "%s", got);
	cr_assert(strstr(r.err, "batch: 1 patient profile had warnings"), "%s",
		  r.err);
	cr_assert(!strstr(r.err, "FOLFOXX"), "a warning on stderr:\n%s", r.err);
	free(got);

	/* NDJSON carries them in the document's warnings */
	got = mb_batch(&r, db2, roster, ct_path(tmp, "out.ndjson"),
		       "--format ndjson", 1);
	cr_assert(strstr(got, "{\"patient_id\":\"W01\",\"warnings\":[\"prior_therapies[0]"
			      ".name: 'FOLFOXX' is not a known therapy (nearest: "
			      "FOLFOX)\",\"ecgo: unknown key ignored; did you mean "
			      "'ecog'?\"],"),
		  "%s", got);
	free(got);
	ct_run_free(&r);
}

/* The ids of the CSV rows, "rank:nct" space-separated (malloc'd). */
static char *ranked_ids(const char *csv)
{
	char *s = calloc(1, strlen(csv) + 1);
	const char *p = strchr(csv, '\n');
	size_t len = 0;

	cr_assert(s);
	while (p && p[1]) {
		const char *rank = strchr(p + 1, ',') + 1, *nct = strchr(rank, ',') + 1;
		len += (size_t)sprintf(s + len, "%s%.*s:%.*s", len ? " " : "",
				       (int)(nct - 1 - rank), rank, 11, nct);
		p = strchr(p + 1, '\n');
	}
	return s;
}

/*
 * Filters choose among all the results, then ranks count again from 1
 * (A01 on trials/: T01 Phase 2 in Lyon, T07 and T06 N/A in the US, T02
 * and T03 Phase 3 in Lyon; all Interventional).
 */
Test(outputs, match_filters_by_phase_study_type_and_site_country)
{
	static const struct {
		const char *opts, *want;
	} cases[] = {
		{"--phase 3", "1:NCT93000002 2:NCT93000003"},
		{"--phase 'Phase 2' --phase n/a",
		 "1:NCT93000001 2:NCT93000007 3:NCT93000006"},
		{"--site-country france",
		 "1:NCT93000001 2:NCT93000002 3:NCT93000003"},
		{"--study-type interventional --phase 3 --limit 1",
		 "1:NCT93000002"},
		{"--study-type observational", ""},
	};
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got;
		ct_run_cmd(&r, NULL,
			   "match --db '%s' " MB_TODAY " --format csv %s "
			   "--patient '%s'",
			   db, cases[i].opts, mb_fx("patients/dir/A01.json"));
		cr_assert_eq(r.status, 0, "%s: %s", cases[i].opts, r.err);
		got = ranked_ids(r.out);
		cr_expect_str_eq(got, cases[i].want, "%s", cases[i].opts);
		free(got);
	}
	ct_run_cmd(&r, NULL, "match --db '%s' --phase '' --patient '%s'", db,
		   mb_fx("patients/dir/A01.json"));
	cr_assert_eq(r.status, 2, "%s", r.err);
	ct_run_free(&r);
}

/* batch writes only the filtered rows (it stores them all). */
Test(outputs, batch_filters_its_output)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	char *got;
	ct_run r = {0};

	got = mb_batch(&r, db, mb_fx("patients/roster.json"),
		       ct_path(tmp, "out.csv"), "--phase 3", 0);
	cr_assert_eq(ct_count_lines(got, ",Phase 3,"), mb_nlines(got) - 1, "%s", got);
	cr_assert_eq(mb_nlines(got), 1 + 2 + 2 + 2, "%s", got);
	free(got);
	ct_run_cmd(&r, NULL, "export --db '%s'", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(mb_nlines(r.out), 1 + 16, "%s", r.out);
	ct_run_free(&r);
}

/*
 * --explain in the table: each criterion's section, the outcome in words
 * (an exclusion met is "not excluded"), the patient's fact, no internal
 * names (A01 on T01: fixtures/batch/README.md).
 */
Test(outputs, explain_table_reads_as_words)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	const char *want =
		"       inclusion   met             Age: 18 years or older [patient: age 61]\n"
		"       inclusion   met             KRAS G12C mutation [patient: KRAS mutated G12C]\n"
		"       inclusion   met             ECOG performance status 0-1 [patient: ECOG 1]\n"
		"       exclusion   not excluded    Prior anti-EGFR therapy [patient: no prior anti-EGFR]\n"
		"       exclusion   not applicable  Pregnant or breastfeeding women [patient: male]\n"
		"       exclusion   not read        Inability to swallow tablets\n";

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --explain --limit 1 --patient '%s'",
		   db, mb_fx("patients/dir/A01.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, want), "got:\n%s\nwant:\n%s", r.out, want);
	cr_assert(!strstr(r.out, "_"), "an identifier in:\n%s", r.out);
	ct_run_free(&r);
}
