/*
 * test_match.c - `ctmatch match` run as a real process on the trials of
 * fixtures/batch/trials and the profiles of fixtures/batch/patients and
 * fixtures/patients/bad (see the README.md beside them). Expected lists,
 * verdicts and CSV bytes are worked out by hand from the criteria written
 * in the fixtures and from spec/cli.md, spec/matching.md and
 * spec/patient-profile.md.
 */
#include "clitest_mb.h"

#define T01 "NCT93000001" /* KRAS G12C + ECOG 0-1 + no anti-EGFR, Lyon */
#define T02 "NCT93000002" /* ECOG 0-1 + no anti-EGFR, Lyon, recruiting */
#define T03 "NCT93000003" /* the same, not yet recruiting */
#define T04 "NCT93000004" /* KRAS G12C + ECOG 0-1, Completed, Boston */
#define T05 "NCT93000005" /* KRAS wild-type + ECOG 0-1, Lyon */
#define T06 "NCT93000006" /* as T02, site in Houston, Texas */
#define T07 "NCT93000007" /* as T02, site in Chicago, Illinois */

/* A01.json as profile flags (fixtures/batch/patients/dir/A01.json). */
#define A01_FLAGS                                                              \
	"--id A01 --age 61 --sex male --diagnosis 'colon adenocarcinoma' "     \
	"--site liver --biomarker KRAS:mutated:G12C --prior FOLFOX@1 "         \
	"--ecog 1 --country 'United States' --state Illinois"

/* A01 meets every open trial but T05 (KRAS wild-type); best first. */
#define A01_OPEN T01 " " T07 " " T06 " " T02 " " T03

static const char *patient(const char *name)
{
	char rel[128];

	snprintf(rel, sizeof rel, "patients/dir/%s.json", name);
	return mb_fx(rel);
}

/* `match --format json` with ARGS; asserts exit 0 and returns the document. */
static json_t *match_json(ct_run *r, const char *db, const char *args)
{
	ct_run_cmd(r, NULL, "match --db '%s' " MB_TODAY " --format json %s", db,
		   args);
	cr_assert_eq(r->status, 0, "match %s: exit %d\n%s", args, r->status,
		     r->err);
	return ct_json(r->out);
}

static json_t *match_patient(ct_run *r, const char *db, const char *name,
			     const char *more)
{
	char args[1024];

	snprintf(args, sizeof args, "--patient '%s' %s", patient(name), more);
	return match_json(r, db, args);
}

static double score_of(json_t *results, const char *nct)
{
	json_t *x = mb_result(results, nct);

	cr_assert(x, "%s is not in the results: %s", nct, mb_ids(results));
	return json_number_value(json_object_get(x, "score"));
}

static long rank_of(json_t *results, const char *nct)
{
	json_t *x = mb_result(results, nct);

	cr_assert(x, "%s is not in the results: %s", nct, mb_ids(results));
	return (long)json_integer_value(json_object_get(x, "rank"));
}

Test(match, json_file_and_flags_give_the_same_results)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	json_t *file, *flags, *stdin_doc, *a;
	char *text;
	size_t i;

	file = match_patient(&r, db, "A01", "");
	flags = match_json(&r, db, A01_FLAGS);
	a = mb_results(file);
	cr_assert_str_eq(mb_ids(a), A01_OPEN);
	for (i = 0; i < json_array_size(a); i++) {
		ct_assert_jstr(json_array_get(a, i), "verdict", "eligible");
		cr_assert_eq(json_integer_value(json_object_get(
				     json_array_get(a, i), "rank")),
			     (json_int_t)i + 1);
	}
	ct_assert_jstr(file, "patient_id", "A01");
	ct_assert_jstr(flags, "patient_id", "A01");
	cr_assert_str_eq(mb_ids(mb_results(flags)), A01_OPEN);
	cr_assert(json_equal(mb_results(file), mb_results(flags)),
		  "the profile as flags gives other results than as a file");

	/* the same profile on standard input */
	text = mb_read(patient("A01"));
	ct_run_cmd(&r, text,
		   "match --db '%s' " MB_TODAY " --format json --patient -",
		   db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	stdin_doc = ct_json(r.out);
	cr_assert(json_equal(mb_results(file), mb_results(stdin_doc)));
	free(text);
	json_decref(stdin_doc);
	json_decref(file);
	json_decref(flags);
	ct_run_free(&r);
}

/*
 * Scores follow the weights of engine/match.c (the spec only orders
 * them): +1 a criterion met (the age criterion included), -0.5 one
 * unknown, +3 a biomarker or therapy requirement met, +2 recruiting or +1
 * not yet recruiting, +1 a site in the patient's country or +2 in the
 * state. A01 meets age, ECOG and "no anti-EGFR" everywhere (3), and KRAS
 * G12C in T01 (+1, +3).
 */
Test(match, csv_header_and_rows_exact)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	const char *want = MB_CSV_HEADER
		"A01,1,NCT93000001,eligible,9.00,KRAS G12C Inhibitor FX-9301 "
		"in "
		"Previously Treated Colorectal Cancer,Phase 2,Recruiting,4,0,,,"
		"\"Centre Fixture Rhone, Lyon, France\",2025-03-05,,1,"
		"https://clinicaltrials.gov/study/NCT93000001,,,,\n"
		"A01,2,NCT93000007,eligible,7.00,Walking Program During "
		"Chemotherapy for Colorectal Cancer,N/A,Recruiting,3,0,,,"
		"\"Lakeside Fixture Oncology, Chicago, Illinois, United "
		"States\","
		"2025-02-11,,0,"
		"https://clinicaltrials.gov/study/NCT93000007,,,,\n"
		"A01,3,NCT93000006,eligible,6.00,Nutrition Support During "
		"Chemotherapy for Colorectal Cancer,N/A,Recruiting,3,0,,,"
		"\"Bayou Fixture Cancer Center, Houston, Texas, United "
		"States\","
		"2025-01-20,,0,"
		"https://clinicaltrials.gov/study/NCT93000006,,,,\n"
		"A01,4,NCT93000002,eligible,5.00,\"Chemotherapy, With or "
		"Without "
		"Exercise, in Colorectal Cancer\",Phase 3,Recruiting,3,0,,,"
		"\"Centre Fixture Rhone, Lyon, France\",2025-04-02,,0,"
		"https://clinicaltrials.gov/study/NCT93000002,,,,\n"
		"A01,5,NCT93000003,eligible,4.00,Exercise After Chemotherapy "
		"in "
		"Colorectal Cancer,Phase 3,Not yet recruiting,3,0,,,"
		"\"Centre Fixture Rhone, Lyon, France\",2025-04-02,,0,"
		"https://clinicaltrials.gov/study/NCT93000003,,,,\n";

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --format csv --patient '%s'",
		   db, patient("A01"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, want, "got:\n%s\nwant:\n%s", r.out, want);

	/* the same rows from the flags */
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --format csv " A01_FLAGS, db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, want);

	/* to_check and reasons, each "; "-joined: A03 knows neither KRAS nor
	 * ECOG */
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --format csv --patient '%s'",
		   db, patient("A03"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(
		r.out, MB_CSV_HEADER
		"A03,1,NCT93000005,possible,2.00,Panitumumab for KRAS "
		"Wild-type Colorectal Cancer,Phase 2,Recruiting,1,2,"
		"KRAS wild-type; ECOG performance status 0-1,,"
		"\"Centre Fixture Rhone, Lyon, France\",2025-05-14,,0,"
		"https://clinicaltrials.gov/study/NCT93000005,,,,\n");
	ct_run_free(&r);
}

static void assert_string_array(json_t *a, const char *what)
{
	size_t i;

	cr_assert(json_is_array(a), "%s is not an array", what);
	for (i = 0; i < json_array_size(a); i++)
		cr_assert(json_is_string(json_array_get(a, i)),
			  "%s[%zu] is not a string", what, i);
}

Test(match, json_has_every_spec_key_with_its_type)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	json_t *doc = match_patient(&r, db, "A03", "--include-ineligible");
	json_t *res = mb_results(doc), *x;
	size_t i;

	cr_assert(json_is_object(doc));
	ct_assert_jstr(doc, "patient_id", "A03");
	assert_string_array(json_object_get(doc, "warnings"), "warnings");
	cr_assert_eq(json_array_size(json_object_get(doc, "warnings")), 0);
	/* T05 possible; T01, T02, T03, T06, T07 fail on the prior cetuximab */
	cr_assert_eq(json_array_size(res), 6, "%s", mb_ids(res));
	for (i = 0; i < json_array_size(res); i++) {
		const char *v;
		json_t *site, *phase;

		x = json_array_get(res, i);
		cr_assert(json_is_integer(json_object_get(x, "rank")));
		cr_assert_eq(json_integer_value(json_object_get(x, "rank")),
			     (json_int_t)i + 1);
		cr_assert(strlen(ct_jstr(x, "nct_id")) == 11);
		v = ct_jstr(x, "verdict");
		cr_assert(!strcmp(v, "eligible") || !strcmp(v, "possible") ||
				  !strcmp(v, "ineligible"),
			  "verdict '%s'", v);
		cr_assert(json_is_number(json_object_get(x, "score")));
		ct_jstr(x, "title");
		phase = json_object_get(x, "phase");
		cr_assert(json_is_string(phase),
			  "phase: every fixture has one");
		ct_jstr(x, "overall_status");
		cr_assert(json_is_integer(json_object_get(x, "met")));
		cr_assert(json_is_integer(json_object_get(x, "unknown")));
		assert_string_array(json_object_get(x, "to_check"), "to_check");
		assert_string_array(json_object_get(x, "reasons"), "reasons");
		site = json_object_get(x, "site");
		cr_assert(json_is_string(site) || json_is_null(site),
			  "site: string or null");
		cr_assert_null(json_object_get(x, "criteria"),
			       "criteria without --explain");
		/* one reason per failing criterion, one fact per unknown */
		if (!strcmp(v, "ineligible")) {
			cr_assert_eq(
				json_array_size(json_object_get(x, "reasons")),
				1);
			cr_assert_str_eq(
				json_string_value(json_array_get(
					json_object_get(x, "reasons"), 0)),
				"Prior anti-EGFR therapy [patient: cetuximab]");
		}
		cr_assert_eq(json_integer_value(json_object_get(x, "unknown")),
			     (json_int_t)json_array_size(
				     json_object_get(x, "to_check")));
	}
	x = json_array_get(res, 0);
	ct_assert_jstr(x, "nct_id", T05);
	ct_assert_jstr(x, "verdict", "possible");
	cr_assert_float_eq(json_number_value(json_object_get(x, "score")), 2.0,
			   1e-9);
	ct_assert_jstr(x, "title",
		       "Panitumumab for KRAS Wild-type Colorectal Cancer");
	ct_assert_jstr(x, "phase", "Phase 2");
	ct_assert_jstr(x, "overall_status", "Recruiting");
	cr_assert_eq(json_integer_value(json_object_get(x, "met")), 1);
	cr_assert_eq(json_integer_value(json_object_get(x, "unknown")), 2);
	cr_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(x, "to_check"), 0)),
			 "KRAS wild-type");
	cr_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(x, "to_check"), 1)),
			 "ECOG performance status 0-1");
	cr_assert_eq(json_array_size(json_object_get(x, "reasons")), 0);
	ct_assert_jstr(x, "site", "Centre Fixture Rhone, Lyon, France");
	json_decref(doc);
	ct_run_free(&r);
}

typedef struct want_crit {
	const char *section, *text, *outcome, *fact_has;
} want_crit;

static void assert_criteria(json_t *result, const want_crit *w, size_t n)
{
	json_t *cs = json_object_get(result, "criteria");
	size_t i;

	cr_assert(json_is_array(cs), "--explain: no criteria array");
	cr_assert_eq(json_array_size(cs), n, "%zu criteria, want %zu",
		     json_array_size(cs), n);
	for (i = 0; i < n; i++) {
		json_t *c = json_array_get(cs, i), *fact;
		const char *o = ct_jstr(c, "outcome");

		cr_assert(!strcmp(o, "met") || !strcmp(o, "not_met") ||
				  !strcmp(o, "unknown") ||
				  !strcmp(o, "not_applicable") ||
				  !strcmp(o, "review"),
			  "outcome '%s'", o);
		ct_assert_jstr(c, "section", w[i].section);
		if (w[i].text[0] == '~')
			cr_assert(strstr(ct_jstr(c, "text"), w[i].text + 1),
				  "criterion %zu: '%s'", i, ct_jstr(c, "text"));
		else
			ct_assert_jstr(c, "text", w[i].text);
		ct_assert_jstr(c, "outcome", w[i].outcome);
		fact = json_object_get(c, "fact");
		cr_assert(fact, "criterion %zu has no fact key", i);
		if (w[i].fact_has) {
			cr_assert(json_is_string(fact),
				  "criterion %zu: no fact", i);
			cr_assert(
				strstr(json_string_value(fact), w[i].fact_has),
				"criterion %zu: fact '%s' lacks '%s'", i,
				json_string_value(fact), w[i].fact_has);
		} else {
			cr_assert(json_is_null(fact) || json_is_string(fact));
		}
	}
}

Test(match, explain_lists_every_criterion_with_its_outcome)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	json_t *doc;
	/* T01 for A01: the age field, five criteria of the text */
	static const want_crit a01[] = {
		{"inclusion", "~18", "met", "61"},
		{"inclusion", "KRAS G12C mutation", "met", "G12C"},
		{"inclusion", "ECOG performance status 0-1", "met", "1"},
		{"exclusion", "Prior anti-EGFR therapy", "met", NULL},
		{"exclusion", "Pregnant or breastfeeding women",
		 "not_applicable", NULL},
		{"exclusion", "Inability to swallow tablets", "review", NULL},
	};
	/* the same trial for A03: no KRAS, no ECOG, a prior cetuximab */
	static const want_crit a03[] = {
		{"inclusion", "~18", "met", "70"},
		{"inclusion", "KRAS G12C mutation", "unknown", NULL},
		{"inclusion", "ECOG performance status 0-1", "unknown", NULL},
		{"exclusion", "Prior anti-EGFR therapy", "not_met",
		 "cetuximab"},
		{"exclusion", "Pregnant or breastfeeding women",
		 "not_applicable", NULL},
		{"exclusion", "Inability to swallow tablets", "review", NULL},
	};

	doc = match_patient(&r, db, "A01", "--explain --limit 1");
	cr_assert_str_eq(mb_ids(mb_results(doc)), T01);
	assert_criteria(json_array_get(mb_results(doc), 0), a01, 6);
	json_decref(doc);

	doc = match_patient(&r, db, "A03", "--explain --include-ineligible");
	assert_criteria(mb_result(mb_results(doc), T01), a03, 6);
	ct_assert_jstr(mb_result(mb_results(doc), T01), "verdict",
		       "ineligible");
	json_decref(doc);
	ct_run_free(&r);
}

Test(match, default_leaves_out_closed_and_ineligible_trials)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	json_t *doc, *res, *x;
	size_t i;

	doc = match_patient(&r, db, "A01", "");
	res = mb_results(doc);
	cr_assert_str_eq(mb_ids(res), A01_OPEN);
	cr_assert_null(mb_result(res, T04), "a Completed trial by default");
	cr_assert_null(mb_result(res, T05), "an ineligible trial by default");
	json_decref(doc);

	/* --all-statuses: the Completed trial too, and nothing else */
	doc = match_patient(&r, db, "A01", "--all-statuses");
	res = mb_results(doc);
	cr_assert_eq(json_array_size(res), 6, "%s", mb_ids(res));
	x = mb_result(res, T04);
	cr_assert(x, "--all-statuses: no %s in %s", T04, mb_ids(res));
	ct_assert_jstr(x, "overall_status", "Completed");
	ct_assert_jstr(x, "verdict", "eligible");
	cr_assert_null(mb_result(res, T05));
	json_decref(doc);

	/* --include-ineligible: T05 too, last, with its reason */
	doc = match_patient(&r, db, "A01", "--include-ineligible");
	res = mb_results(doc);
	cr_assert_str_eq(mb_ids(res), A01_OPEN " " T05);
	x = json_array_get(res, 5);
	ct_assert_jstr(x, "verdict", "ineligible");
	cr_assert_eq(json_array_size(json_object_get(x, "reasons")), 1);
	cr_assert(!strncmp(json_string_value(json_array_get(
				   json_object_get(x, "reasons"), 0)),
			   "KRAS wild-type", 14),
		  "reason: %s",
		  json_string_value(
			  json_array_get(json_object_get(x, "reasons"), 0)));
	for (i = 0; i < 5; i++)
		cr_assert_eq(json_array_size(json_object_get(
				     json_array_get(res, i), "reasons")),
			     0);
	json_decref(doc);

	/* --limit 1: the best one only */
	doc = match_patient(&r, db, "A01", "--limit 1");
	cr_assert_str_eq(mb_ids(mb_results(doc)), T01);
	json_decref(doc);
	ct_run_free(&r);
}

/*
 * spec/matching.md: "Recruiting trials outrank closed ones". With
 * --all-statuses the Completed T04 (which A01 meets, KRAS G12C included)
 * comes after every open trial, whatever its score.
 */
Test(match, open_trials_outrank_closed_ones)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	json_t *doc = match_patient(&r, db, "A01", "--all-statuses");

	cr_assert_str_eq(mb_ids(mb_results(doc)), A01_OPEN " " T04,
			 "a Completed trial ranks among the open ones: %s",
			 mb_ids(mb_results(doc)));
	json_decref(doc);
	ct_run_free(&r);
}

Test(match, a_met_biomarker_requirement_outranks_a_generic_trial)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	static const char *const who[] = {"A01", "A05"};
	size_t i;

	/* T01 and T02: both Lyon, both recruiting; T01 asks for KRAS G12C */
	for (i = 0; i < 2; i++) {
		json_t *doc = match_patient(&r, db, who[i], "");
		json_t *res = mb_results(doc);

		cr_assert_eq(rank_of(res, T01), 1, "%s: %s", who[i],
			     mb_ids(res));
		cr_assert_gt(score_of(res, T01), score_of(res, T02));
		cr_assert_lt(rank_of(res, T01), rank_of(res, T02));
		json_decref(doc);
	}
	ct_run_free(&r);
}

Test(match, recruiting_outranks_not_yet_recruiting)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	static const char *const who[] = {"A01", "A02", "A05"};
	size_t i;

	/* T02 and T03 differ only in their status */
	for (i = 0; i < 3; i++) {
		json_t *doc = match_patient(&r, db, who[i], "");
		json_t *res = mb_results(doc);

		cr_assert_gt(score_of(res, T02), score_of(res, T03), "%s",
			     who[i]);
		cr_assert_lt(rank_of(res, T02), rank_of(res, T03), "%s",
			     who[i]);
		ct_assert_jstr(mb_result(res, T03), "overall_status",
			       "Not yet recruiting");
		json_decref(doc);
	}
	ct_run_free(&r);
}

Test(match, a_site_in_the_patients_state_or_country_scores)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	json_t *doc, *res;

	/* A01 lives in Illinois, United States; T02, T06, T07 differ only in
	 * their site: Lyon, Houston (Texas), Chicago (Illinois) */
	doc = match_patient(&r, db, "A01", "");
	res = mb_results(doc);
	cr_assert_gt(score_of(res, T07), score_of(res, T06));
	cr_assert_gt(score_of(res, T06), score_of(res, T02));
	cr_assert_lt(rank_of(res, T07), rank_of(res, T06));
	cr_assert_lt(rank_of(res, T06), rank_of(res, T02));
	ct_assert_jstr(
		mb_result(res, T07), "site",
		"Lakeside Fixture Oncology, Chicago, Illinois, United States");
	ct_assert_jstr(
		mb_result(res, T06), "site",
		"Bayou Fixture Cancer Center, Houston, Texas, United States");
	json_decref(doc);

	/* A05 lives in Korea: no site is near, the three tie */
	doc = match_patient(&r, db, "A05", "");
	res = mb_results(doc);
	cr_assert_float_eq(score_of(res, T02), score_of(res, T06), 1e-9);
	cr_assert_float_eq(score_of(res, T06), score_of(res, T07), 1e-9);
	/* a tie is broken by nct_id */
	cr_assert_lt(rank_of(res, T02), rank_of(res, T06));
	cr_assert_lt(rank_of(res, T06), rank_of(res, T07));
	json_decref(doc);
	ct_run_free(&r);
}

/*
 * The table fits 100 columns: fixtures/batch/wide adds a trial with a
 * long French title (UTF-8), a status longer than its column ("Active,
 * not recruiting"), long criteria and a long site.
 */
Test(match, table_fits_100_columns)
{
	const char *db = mb_index("trials", "wide", NULL);
	ct_run r = {0};
	const char *p;
	int lineno = 0, bad = 0;
	char first_bad[512] = "";

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --patient '%s' --all-statuses "
		   "--include-ineligible --explain",
		   db, patient("A01"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "NCT93000080"),
		  "the wide trial is not listed:\n%s", r.out);
	cr_assert(strstr(r.out, T05), "the ineligible trial is not listed");
	for (p = r.out; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p),
		       cols = mb_utf8_len(p, n);

		lineno++;
		if (cols > 100) {
			if (!bad++)
				snprintf(first_bad, sizeof first_bad,
					 "line %d (%zu columns): %.*s", lineno,
					 cols, (int)n, p);
		}
		p += n + (e != NULL);
	}
	cr_assert_eq(bad, 0, "%d lines wider than 100 columns; first: %s", bad,
		     first_bad);
	ct_run_free(&r);
}

/* fixtures/patients/README.md, "bad/": file, line, column, id and key. */
Test(match, bad_profiles_are_rejected_with_their_place)
{
	const char *db = mb_index("trials", NULL);
	static const struct {
		const char *file, *where, *id, *key;
	} bad[] = {
		{"trailing-comma.json", "trailing-comma.json:9:1", NULL, NULL},
		{"wrong-type-age.json", "wrong-type-age.json:3:", "B02", "age"},
		{"impossible-ecog.json", "impossible-ecog.json:7:", "B03",
		 "ecog"},
		{"impossible-age.json", "impossible-age.json:3:", "B04", "age"},
		{"unknown-sex.json", "unknown-sex.json:4:", "B05", "sex"},
		{"missing-id.json", "missing-id.json", NULL, "id"},
	};
	ct_run r = {0};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char rel[128];
		const char *path;

		snprintf(rel, sizeof rel, "patients/bad/%s", bad[i].file);
		path = ct_keep(tu_fixture(rel));
		ct_run_cmd(&r, NULL,
			   "match --db '%s' " MB_TODAY " --patient '%s'", db,
			   path);
		cr_assert_eq(r.status, 1, "%s: exit %d, want 1\n%s",
			     bad[i].file, r.status, r.err);
		cr_assert(strstr(r.err, bad[i].where),
			  "%s: stderr does not name '%s':\n%s", bad[i].file,
			  bad[i].where, r.err);
		if (bad[i].id)
			cr_assert(strstr(r.err, bad[i].id),
				  "%s: no patient id %s:\n%s", bad[i].file,
				  bad[i].id, r.err);
		if (bad[i].key) {
			char k[64];
			snprintf(k, sizeof k, "%s:", bad[i].key);
			cr_assert(strstr(r.err, k), "%s: no key '%s':\n%s",
				  bad[i].file, bad[i].key, r.err);
		}
		cr_assert_str_eq(r.out, "",
				 "%s: a rejected profile printed results",
				 bad[i].file);
	}
	ct_run_free(&r);
}

/*
 * bad/unknown-therapy.json: "cetuximabb" is a warning naming cetuximab;
 * the profile is matched and anti-EGFR criteria come out unknown; the
 * exit status is 1 (a name not taken as written), as in batch.
 */
Test(match, an_unknown_therapy_is_a_warning)
{
	const char *db = mb_index("trials", NULL);
	const char *path =
		ct_keep(tu_fixture("patients/bad/unknown-therapy.json"));
	ct_run r = {0};
	json_t *doc, *w, *res, *x;

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --format json --patient '%s'",
		   db, path);
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	doc = ct_json(r.out);
	w = json_object_get(doc, "warnings");
	cr_assert_eq(json_array_size(w), 1, "warnings: %zu",
		     json_array_size(w));
	cr_assert(strstr(json_string_value(json_array_get(w, 0)),
			 "'cetuximabb'"));
	cr_assert(strstr(json_string_value(json_array_get(w, 0)),
			 "nearest: cetuximab"),
		  "%s", json_string_value(json_array_get(w, 0)));
	res = mb_results(doc);
	/* B07: KRAS and NRAS wild-type, ECOG 1: T05 eligible, T02 possible
	 * on the anti-EGFR exclusion it cannot settle */
	x = mb_result(res, T05);
	cr_assert(x, "%s", mb_ids(res));
	ct_assert_jstr(x, "verdict", "eligible");
	x = mb_result(res, T02);
	cr_assert(x, "%s", mb_ids(res));
	ct_assert_jstr(x, "verdict", "possible");
	cr_assert_eq(json_array_size(json_object_get(x, "to_check")), 1);
	cr_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(x, "to_check"), 0)),
			 "Prior anti-EGFR therapy");
	cr_assert_null(mb_result(res, T01), "B07 is KRAS wild-type");
	json_decref(doc);

	/* csv: the warning on stderr and in the warnings column of every
	 * row (spec/cli.md); on stderr (not a terminal here) without the
	 * name the profile gave (issue 14) */
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --format csv --patient '%s'",
		   db, path);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_str_eq(r.err, "ctmatch match: warning: prior_therapies[1]."
				"name: not a known therapy (nearest: "
				"cetuximab)\n");
	cr_assert_eq(ct_count_lines(r.out, "https://clinicaltrials.gov/study/"
					   "NCT9300000"),
		     ct_count_lines(r.out, "cetuximabb"),
		     "csv: the warning is not on every row:\n%s", r.out);
	cr_assert_geq(ct_count_lines(r.out, "cetuximabb"), 2, "%s", r.out);
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --show-values --patient '%s'",
		   db, path);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_str_eq(r.err, "ctmatch match: warning: prior_therapies[1]."
				"name: 'cetuximabb' is not a known therapy "
				"(nearest: cetuximab)\n");
	ct_run_free(&r);
}

Test(match, usage_errors_and_a_missing_index)
{
	const char *db = mb_index("trials", NULL);
	const char *none = ct_path(ct_tmpdir(), "no-such-index");
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "match --db '%s' " MB_TODAY " --ecog x", db);
	cr_assert_eq(r.status, 2, "--ecog x: exit %d", r.status);
	cr_assert(strstr(r.err, "--ecog"), "%s", r.err);
	ct_run_cmd(&r, NULL, "match --db '%s' " MB_TODAY " --sex other", db);
	cr_assert_eq(r.status, 2, "--sex other: exit %d", r.status);
	cr_assert(strstr(r.err, "sex"), "%s", r.err);
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --age 60 --biomarker KRAS",
		   db);
	cr_assert_eq(r.status, 2, "--biomarker KRAS: exit %d", r.status);
	ct_run_cmd(&r, NULL, "match --db '%s' " MB_TODAY, db);
	cr_assert_eq(r.status, 2, "no profile: exit %d", r.status);
	cr_assert(strstr(r.err, "--patient"), "%s", r.err);
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --patient '%s' --age 60", db,
		   patient("A01"));
	cr_assert_eq(r.status, 2, "--patient and flags: exit %d", r.status);
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --patient '%s' --format xml",
		   db, patient("A01"));
	cr_assert_eq(r.status, 2, "--format xml: exit %d", r.status);
	ct_run_cmd(&r, NULL, "match --db '%s' " MB_TODAY " --patient '%s'",
		   none, patient("A01"));
	cr_assert_eq(r.status, 3, "missing index: exit %d\n%s", r.status,
		     r.err);
	cr_assert(strstr(r.err, "no-such-index"), "%s", r.err);
	ct_run_cmd(&r, NULL, "match --db '%s' " MB_TODAY " --patient '%s'", db,
		   ct_path(ct_tmpdir(), "absent.json"));
	/* spec/cli.md: 3 when "a file could not be opened" */
	cr_assert_eq(r.status, 3, "missing profile file: exit %d", r.status);
	cr_assert(strstr(r.err, "absent.json"), "%s", r.err);
	ct_run_free(&r);
}
