/*
 * test_private.c - patient data stays private (issue 14): every file
 * ctmatch writes is created 0600 whatever the umask; `--out -` is stdout.
 */
#include "clitest.h"

static const char *ingested_db(void)
{
	const char *db = ct_new_db();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   tu_fixture("batch/trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_free(&r);
	return db;
}

static unsigned mode_of(const char *path)
{
	struct stat st;

	cr_assert_eq(stat(path, &st), 0, "%s: %s", path, strerror(errno));
	return (unsigned)(st.st_mode & 07777);
}

Test(private, batch_out_is_0600_under_umask_000)
{
	const char *db = ingested_db();
	const char *out = ct_keep(ct_path(ct_tmpdir(), "out.csv"));
	ct_run r = {0};

	ct_run_sh(&r, "umask 000 && '%s' batch --db '%s' --patients '%s' "
		      "--out '%s' --threads 1 --today 2026-01-15",
		  tu_ctmatch(), db,
		  tu_fixture("batch/patients/roster.ndjson"), out);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(mode_of(out), 0600);
	ct_run_free(&r);
}

Test(private, batch_out_over_a_0644_file_becomes_0600)
{
	const char *db = ingested_db();
	const char *out = ct_keep(ct_path(ct_tmpdir(), "out.csv"));
	ct_run r = {0};

	ct_write(out, "old\n");
	cr_assert_eq(chmod(out, 0644), 0);
	ct_run_sh(&r, "umask 022 && '%s' batch --db '%s' --patients '%s' "
		      "--out '%s' --threads 1 --today 2026-01-15",
		  tu_ctmatch(), db,
		  tu_fixture("batch/patients/roster.ndjson"), out);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(mode_of(out), 0600);
	ct_run_free(&r);
}

Test(private, batch_out_dash_is_stdout)
{
	const char *db = ingested_db();
	const char *dir = ct_tmpdir();
	ct_run r = {0}, ref = {0};
	struct stat st;

	ct_run_cmd(&ref, NULL,
		   "batch --db '%s' --patients '%s' --threads 1 --today "
		   "2026-01-15",
		   db, tu_fixture("batch/patients/roster.ndjson"));
	cr_assert_eq(ref.status, 0, "%s", ref.err);
	/* a second run of the same roster: rows are `same`, not `new`; run
	 * it on a fresh index to compare byte for byte */
	db = ingested_db();
	ct_run_sh(&r, "cd '%s' && '%s' batch --db '%s' --patients '%s' "
		      "--out - --threads 1 --today 2026-01-15",
		  dir, tu_ctmatch(), db,
		  tu_fixture("batch/patients/roster.ndjson"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_gt(strlen(r.out), 100);
	cr_assert_str_eq(r.out, ref.out);
	cr_assert_neq(stat(ct_path(dir, "-"), &st), 0,
		      "a file named - was written");
	ct_run_free(&r);
	ct_run_free(&ref);
}

/*
 * Clinical values stay out of stderr unless asked for (issue 14): with
 * stderr not a terminal (a file here, as in a nightly run), messages name
 * the file, line, column, patient id and key, and no value; with
 * --show-values they show it. One roster with a bad value of each kind.
 */
static const char bad_roster[] =
	"{\"id\":\"P1\",\"ecog\":9}\n"
	"{\"id\":\"P2\",\"age\":28,\"birth_date\":\"1950-03-02\"}\n"
	"{\"id\":\"P3\",\"labs\":{\"anc\":1200}}\n"
	"{\"id\":\"P4\",\"diagnosis\":\"Xyzzy syndrome\"}\n"
	"{\"id\":\"P5\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
	"\"end_date\":\"2025-13-01\"}]}\n"
	"{\"id\":\"P6\",\"sex\":female}\n"
	"{\"id\":\"P7\",\"diagnosis\":\"colon adenocarcinoma\","
	"\"prior_therapies\":[{\"name\":\"FOLFOXX\"}]}\n";

/* The lines of err that start with prefix, in order. */
static char *lines_with(const char *err, const char *prefix)
{
	char *out = calloc(1, strlen(err) + 1);
	const char *p = err;

	cr_assert_not_null(out);
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (!strncmp(p, prefix, strlen(prefix)))
			strncat(out, p, n + (p[n] == '\n'));
		p += n + (p[n] == '\n');
	}
	return out;
}

Test(private, no_clinical_value_on_stderr_unless_asked)
{
	const char *db = ingested_db();
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "roster.ndjson"));
	const char *warned = ct_keep(ct_path(tmp, "warned.json"));
	const char *bad = ct_keep(ct_path(tmp, "bad.json"));
	static const char *const values[] = {
		"1200",	   "Xyzzy",  "1950-03-02", "2025-13-01", "female",
		"FOLFOXX", "spleen", "KRASS",	   "got"};
	char want[4096], *got;
	ct_run r = {0};
	size_t i;

	ct_write(roster, bad_roster);
	ct_write(warned, "{\"id\": \"M1\", \"diagnosis\": \"colon "
			 "adenocarcinoma\", \"metastatic_sites\": [\"liver\", "
			 "\"spleen\"], \"biomarkers\": [{\"name\": \"KRASS\", "
			 "\"status\": \"mutated\"}], \"prior_therapies\": "
			 "[{\"name\": \"FOLFOXX\"}]}\n");
	ct_write(bad, "{\"id\":\"M2\",\"ecog\":9}\n");

	/* batch: each bad profile rejected by file, line, column, patient
	 * and key; P7's warning is in the output, with its value */
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' --patients '%s' --threads 1 --today "
		   "2026-01-15",
		   db, roster);
	cr_assert_eq(r.status, 1, "%s", r.err);
	snprintf(want, sizeof want,
		 "ctmatch batch: rejected: %s:1:19: patient P1: ecog: "
		 "expected an integer from 0 to 5\n"
		 "ctmatch batch: rejected: %s:2:18: patient P2: age: does not "
		 "agree with birth_date\n"
		 "ctmatch batch: rejected: %s:3:26: patient P3: labs.anc: not "
		 "a plausible value (0..100 10*9/L): typed in another unit?\n"
		 "ctmatch batch: rejected: %s:4:24: patient P4: diagnosis: "
		 "names no known disease\n"
		 "ctmatch batch: rejected: %s:5:59: patient P5: "
		 "prior_therapies[0].end_date: expected a date YYYY-MM-DD\n"
		 "ctmatch batch: rejected: %s:6:23: invalid JSON: invalid "
		 "token\n",
		 roster, roster, roster, roster, roster, roster);
	got = lines_with(r.err, "ctmatch batch: rejected: ");
	cr_expect_str_eq(got, want);
	free(got);
	for (i = 0; i < sizeof values / sizeof values[0]; i++)
		cr_expect_null(strstr(r.err, values[i]), "'%s' on stderr:\n%s",
			       values[i], r.err);
	cr_expect_eq(ct_count_lines(r.out, "prior_therapies[0].name: "
					   "'FOLFOXX' is not a known therapy "
					   "(nearest: FOLFOX)"),
		     ct_count_lines(r.out, "P7,"), "%s", r.out);
	cr_expect_gt(ct_count_lines(r.out, "P7,"), 0, "%s", r.out);

	/* the same with --show-values (a new index: a new run) */
	db = ingested_db();
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' --patients '%s' --threads 1 --today "
		   "2026-01-15 --show-values",
		   db, roster);
	cr_assert_eq(r.status, 1, "%s", r.err);
	snprintf(want, sizeof want,
		 "ctmatch batch: rejected: %s:1:19: patient P1: ecog: "
		 "expected an integer from 0 to 5, got 9\n"
		 "ctmatch batch: rejected: %s:2:18: patient P2: age: 28 does "
		 "not agree with birth_date 1950-03-02 (75 years on "
		 "2026-01-15)\n"
		 "ctmatch batch: rejected: %s:3:26: patient P3: labs.anc: 1200 "
		 "is not a plausible value (0..100 10*9/L): typed in another "
		 "unit?\n"
		 "ctmatch batch: rejected: %s:4:24: patient P4: diagnosis: "
		 "'Xyzzy syndrome' names no known disease\n"
		 "ctmatch batch: rejected: %s:5:59: patient P5: "
		 "prior_therapies[0].end_date: expected a date YYYY-MM-DD, got "
		 "\"2025-13-01\"\n"
		 "ctmatch batch: rejected: %s:6:23: invalid JSON: invalid "
		 "token near 'female'\n",
		 roster, roster, roster, roster, roster, roster);
	got = lines_with(r.err, "ctmatch batch: rejected: ");
	cr_expect_str_eq(got, want);
	free(got);

	/* match: the warnings on stderr, then an error */
	ct_run_cmd(&r, NULL,
		   "match --db '%s' --today 2026-01-15 --patient '%s'", db,
		   warned);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_expect_str_eq(r.err,
			 "ctmatch match: warning: metastatic_sites[1]: not a "
			 "known site; counted as 'other'\n"
			 "ctmatch match: warning: biomarkers[0].name: not a "
			 "known gene or marker (nearest: KRAS)\n"
			 "ctmatch match: warning: prior_therapies[0].name: not "
			 "a known therapy (nearest: FOLFOX)\n");
	ct_run_cmd(&r, NULL,
		   "match --db '%s' --today 2026-01-15 --patient '%s' "
		   "--show-values",
		   db, warned);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_expect_str_eq(r.err,
			 "ctmatch match: warning: metastatic_sites[1]: "
			 "'spleen' is not a known site; counted as 'other'\n"
			 "ctmatch match: warning: biomarkers[0].name: 'KRASS' "
			 "is not a known gene or marker (nearest: KRAS)\n"
			 "ctmatch match: warning: prior_therapies[0].name: "
			 "'FOLFOXX' is not a known therapy (nearest: "
			 "FOLFOX)\n");
	ct_run_cmd(&r, NULL,
		   "match --db '%s' --today 2026-01-15 --patient '%s'", db,
		   bad);
	cr_assert_eq(r.status, 1, "%s", r.err);
	snprintf(want, sizeof want,
		 "ctmatch match: %s:1:19: patient M2: ecog: expected an "
		 "integer from 0 to 5\n",
		 bad);
	cr_expect_str_eq(r.err, want);
	ct_run_cmd(&r, NULL,
		   "match --db '%s' --today 2026-01-15 --show-values "
		   "--patient '%s'",
		   db, bad);
	snprintf(want, sizeof want,
		 "ctmatch match: %s:1:19: patient M2: ecog: expected an "
		 "integer from 0 to 5, got 9\n",
		 bad);
	cr_expect_str_eq(r.err, want);

	/* report --patient reads a profile too */
	ct_run_cmd(&r, NULL,
		   "report --db '%s' --today 2026-01-15 --patient '%s'", db,
		   bad);
	cr_assert_eq(r.status, 1, "%s", r.err);
	snprintf(want, sizeof want,
		 "ctmatch report: %s:1:19: patient M2: ecog: expected an "
		 "integer from 0 to 5\n",
		 bad);
	cr_expect_str_eq(r.err, want);
	ct_run_free(&r);
}
