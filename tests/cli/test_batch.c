/*
 * test_batch.c - `ctmatch batch` run as a real process: every roster form,
 * bad rows, threads, new/same/changed/dropped over three nights, NDJSON
 * output, an interrupted and resumed run, the index lock, and shards.
 * Fixtures: fixtures/batch/ (README.md there says what each patient should
 * get from each trial, and why); expected rows are written out by hand.
 */
#include "clitest_mb.h"

/* ---- expected rows ---- */

/* The columns of a row that come from the trial (CSV bytes). */
typedef struct trial_cols {
	const char *key, *nct, *title, *phase, *status, *site, *updated;
} trial_cols;

#define LYON "\"Centre Fixture Rhone, Lyon, France\""

static const trial_cols trials[] = {
	{"T01", "NCT93000001",
	 "KRAS G12C Inhibitor FX-9301 in Previously Treated Colorectal Cancer",
	 "Phase 2", "Recruiting", LYON, "2025-03-05"},
	{"T02", "NCT93000002",
	 "\"Chemotherapy, With or Without Exercise, in Colorectal Cancer\"",
	 "Phase 3", "Recruiting", LYON, "2025-04-02"},
	/* the newer record of fixtures/batch/trials-update */
	{"T02b", "NCT93000002",
	 "\"Chemotherapy, With or Without Exercise, in Colorectal Cancer\"",
	 "Phase 3", "Recruiting", LYON, "2026-09-01"},
	{"T03", "NCT93000003",
	 "Exercise After Chemotherapy in Colorectal Cancer", "Phase 3",
	 "Not yet recruiting", LYON, "2025-04-02"},
	{"T05", "NCT93000005",
	 "Panitumumab for KRAS Wild-type Colorectal Cancer", "Phase 2",
	 "Recruiting", LYON, "2025-05-14"},
	{"T06", "NCT93000006",
	 "Nutrition Support During Chemotherapy for Colorectal Cancer", "N/A",
	 "Recruiting",
	 "\"Bayou Fixture Cancer Center, Houston, Texas, United States\"",
	 "2025-01-20"},
	{"T07", "NCT93000007",
	 "Walking Program During Chemotherapy for Colorectal Cancer", "N/A",
	 "Recruiting",
	 "\"Lakeside Fixture Oncology, Chicago, Illinois, United States\"",
	 "2025-02-11"},
};

/* One expected row: patient, rank (0: none), trial key, verdict, score,
 * met, unknown, to_check, reasons, change; for changed and dropped rows
 * the previous "verdict,rank" and for dropped rows the reason. */
typedef struct row {
	const char *patient;
	int rank;
	const char *trial, *verdict, *score;
	int met, unknown;
	const char *to_check, *reasons, *change, *prev, *why;
} row;

/* The criteria not read, per trial: T01's "Inability to swallow tablets". */
static int review_of(const char *trial)
{
	return !strcmp(trial, "T01");
}

/* The CSV of rows (header first), malloc'd. */
static char *csv_of(const row *rows, size_t n)
{
	size_t cap = 65536, len, i, k;
	char *s = malloc(cap);

	cr_assert(s);
	len = (size_t)snprintf(s, cap, "%s", MB_CSV_HEADER);
	for (i = 0; i < n; i++) {
		const row *w = &rows[i];
		const trial_cols *t = NULL;
		char rank[16] = "";

		for (k = 0; k < sizeof trials / sizeof trials[0]; k++)
			if (!strcmp(trials[k].key, w->trial))
				t = &trials[k];
		cr_assert(t, "no trial %s", w->trial);
		if (w->rank)
			snprintf(rank, sizeof rank, "%d", w->rank);
		len += (size_t)snprintf(
			s + len, cap - len,
			"%s,%s,%s,%s,%s,%s,%s,%s,%d,%d,%s,%s,%s,%s,%s,%d,"
			"https://clinicaltrials.gov/study/%s,,%s,%s\n",
			w->patient, rank, t->nct, w->verdict, w->score,
			t->title, t->phase, t->status, w->met, w->unknown,
			w->to_check, w->reasons, t->site, t->updated,
			w->change, review_of(w->trial), t->nct,
			w->prev ? w->prev : ",", w->why ? w->why : "");
		cr_assert(len < cap);
	}
	return s;
}

#define A03_CHECK  "KRAS wild-type; ECOG performance status 0-1"
#define MEASURABLE "Measurable disease per RECIST 1.1"

/*
 * Night 1 (fixtures/batch/README.md): A01..A05 against trials/ -- every
 * row new; A04 (ECOG 2) meets nothing.
 */
static const row night1[] = {
	{"A01", 1, "T01", "eligible", "9.00", 4, 0, "", "", "new", NULL, NULL},
	{"A01", 2, "T07", "eligible", "7.00", 3, 0, "", "", "new", NULL, NULL},
	{"A01", 3, "T06", "eligible", "6.00", 3, 0, "", "", "new", NULL, NULL},
	{"A01", 4, "T02", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
	{"A01", 5, "T03", "eligible", "4.00", 3, 0, "", "", "new", NULL, NULL},
	{"A02", 1, "T02", "eligible", "6.00", 3, 0, "", "", "new", NULL, NULL},
	{"A02", 2, "T05", "eligible", "6.00", 3, 0, "", "", "new", NULL, NULL},
	{"A02", 3, "T03", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
	{"A02", 4, "T06", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
	{"A02", 5, "T07", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
	{"A03", 1, "T05", "possible", "2.00", 1, 2, A03_CHECK, "", "new", NULL, NULL},
	{"A05", 1, "T01", "eligible", "9.00", 4, 0, "", "", "new", NULL, NULL},
	{"A05", 2, "T02", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
	{"A05", 3, "T06", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
	{"A05", 4, "T07", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
	{"A05", 5, "T03", "eligible", "4.00", 3, 0, "", "", "new", NULL, NULL},
};

/*
 * Night 2, after mb_next_night(): T02 asks for ECOG 0 and measurable
 * disease (A01 fails it: dropped; A02 and A05 do not know measurable
 * disease: changed, possible), T06 is Completed (dropped everywhere), A04
 * now has ECOG 1 (new rows). Dropped rows repeat the previous row, rank
 * empty, after the current list, in the previous list's order.
 */
static const row night2[] = {
	{"A01", 1, "T01", "eligible", "9.00", 4, 0, "", "", "same", NULL, NULL},
	{"A01", 2, "T07", "eligible", "7.00", 3, 0, "", "", "same", NULL, NULL},
	{"A01", 3, "T03", "eligible", "4.00", 3, 0, "", "", "same", NULL, NULL},
	{"A01", 0, "T06", "eligible", "6.00", 3, 0, "", "", "dropped",
	 "eligible,3", "closed (Completed)"},
	{"A01", 0, "T02", "eligible", "5.00", 3, 0, "", "", "dropped",
	 "eligible,4",
	 "now ineligible: ECOG performance status 0 [patient: ECOG 1]"},
	{"A02", 1, "T05", "eligible", "6.00", 3, 0, "", "", "same", NULL, NULL},
	{"A02", 2, "T02b", "possible", "5.50", 3, 1, MEASURABLE, "", "changed",
	 "eligible,1", NULL},
	{"A02", 3, "T03", "eligible", "5.00", 3, 0, "", "", "same", NULL, NULL},
	{"A02", 4, "T07", "eligible", "5.00", 3, 0, "", "", "same", NULL, NULL},
	{"A02", 0, "T06", "eligible", "5.00", 3, 0, "", "", "dropped",
	 "eligible,4", "closed (Completed)"},
	{"A03", 1, "T05", "possible", "2.00", 1, 2, A03_CHECK, "", "same", NULL, NULL},
	{"A04", 1, "T01", "eligible", "9.00", 4, 0, "", "", "new", NULL, NULL},
	{"A04", 2, "T07", "eligible", "6.00", 3, 0, "", "", "new", NULL, NULL},
	{"A04", 3, "T03", "eligible", "4.00", 3, 0, "", "", "new", NULL, NULL},
	{"A05", 1, "T01", "eligible", "9.00", 4, 0, "", "", "same", NULL, NULL},
	{"A05", 2, "T07", "eligible", "5.00", 3, 0, "", "", "same", NULL, NULL},
	{"A05", 3, "T02b", "possible", "4.50", 3, 1, MEASURABLE, "", "changed",
	 "eligible,2", NULL},
	{"A05", 4, "T03", "eligible", "4.00", 3, 0, "", "", "same", NULL, NULL},
	{"A05", 0, "T06", "eligible", "5.00", 3, 0, "", "", "dropped",
	 "eligible,3", "closed (Completed)"},
};

/* Night 3, nothing changed: night 2's current lists, all same. */
static const row night3[] = {
	{"A01", 1, "T01", "eligible", "9.00", 4, 0, "", "", "same", NULL, NULL},
	{"A01", 2, "T07", "eligible", "7.00", 3, 0, "", "", "same", NULL, NULL},
	{"A01", 3, "T03", "eligible", "4.00", 3, 0, "", "", "same", NULL, NULL},
	{"A02", 1, "T05", "eligible", "6.00", 3, 0, "", "", "same", NULL, NULL},
	{"A02", 2, "T02b", "possible", "5.50", 3, 1, MEASURABLE, "", "same", NULL, NULL},
	{"A02", 3, "T03", "eligible", "5.00", 3, 0, "", "", "same", NULL, NULL},
	{"A02", 4, "T07", "eligible", "5.00", 3, 0, "", "", "same", NULL, NULL},
	{"A03", 1, "T05", "possible", "2.00", 1, 2, A03_CHECK, "", "same", NULL, NULL},
	{"A04", 1, "T01", "eligible", "9.00", 4, 0, "", "", "same", NULL, NULL},
	{"A04", 2, "T07", "eligible", "6.00", 3, 0, "", "", "same", NULL, NULL},
	{"A04", 3, "T03", "eligible", "4.00", 3, 0, "", "", "same", NULL, NULL},
	{"A05", 1, "T01", "eligible", "9.00", 4, 0, "", "", "same", NULL, NULL},
	{"A05", 2, "T07", "eligible", "5.00", 3, 0, "", "", "same", NULL, NULL},
	{"A05", 3, "T02b", "possible", "4.50", 3, 1, MEASURABLE, "", "same", NULL, NULL},
	{"A05", 4, "T03", "eligible", "4.00", 3, 0, "", "", "same", NULL, NULL},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void assert_text_eq(const char *got, const char *want, const char *what)
{
	cr_assert_str_eq(got, want, "%s:\n--- got:\n%s--- want:\n%s", what, got,
			 want);
}

/* The summary line's "(N from the stored run"; -1 without one. */
static long from_stored(const char *err)
{
	const char *p = strstr(err, "patients matched (");
	long n;

	if (!p ||
	    sscanf(p, "patients matched (%ld from the stored run", &n) != 1)
		return -1;
	return n;
}

/* ---- roster forms ---- */

Test(batch, every_roster_form_gives_the_same_rows)
{
	const char *base = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	char *want = csv_of(night1, N_OF(night1)), *got, *text;
	static const char *const forms[] = {
		"patients/roster.json",
		"patients/roster.ndjson",
		"patients/dir",
		"patients/roster.csv",
	};
	ct_run r = {0};
	size_t i;

	for (i = 0; i < N_OF(forms); i++) {
		const char *db = mb_copy_db(base);
		const char *out = ct_path(tmp, "out.csv");

		got = mb_batch(&r, db, mb_fx(forms[i]), out, "", 0);
		assert_text_eq(got, want, forms[i]);
		cr_assert(strstr(r.err, "5 patients matched"), "%s: %s",
			  forms[i], r.err);
		cr_assert_eq(mb_size(ct_path(tmp, "out.csv.tmp")), -1,
			     "%s: the .tmp file is left", forms[i]);
		free(got);
	}
	/* standard input, no --out: the CSV on stdout */
	text = mb_read(mb_fx("patients/roster.ndjson"));
	ct_run_cmd(&r, text,
		   "batch --db '%s' " MB_TODAY " --patients - --threads 1",
		   mb_copy_db(base));
	cr_assert_eq(r.status, 0, "stdin: exit %d\n%s", r.status, r.err);
	assert_text_eq(r.out, want, "stdin");
	free(text);
	free(want);
	ct_run_free(&r);
}

/*
 * fixtures/batch/patients/bad-rows.*: each bad row is reported with its
 * source, line, patient id (where there is one) and reason; the good ones
 * (A01 and A05) are matched; exit 1.
 */
static void assert_reported(const char *err, const char *where, const char *id,
			    const char *reason)
{
	const char *l = ct_line_with(err, where);

	cr_assert(l, "nothing on stderr names '%s':\n%s", where, err);
	if (id)
		cr_assert(strstr(l, id), "'%s' lacks the patient id %s", l, id);
	cr_assert(ct_contains_ci(l, reason), "'%s' lacks the reason '%s'", l,
		  reason);
}

Test(batch, bad_rows_are_reported_and_the_rest_matched)
{
	const char *base = mb_index("trials", NULL);
	const char *out = ct_path(ct_tmpdir(), "out.csv");
	static const row good[] = {
		{"A01", 1, "T01", "eligible", "9.00", 4, 0, "", "", "new", NULL, NULL},
		{"A01", 2, "T07", "eligible", "7.00", 3, 0, "", "", "new", NULL, NULL},
		{"A01", 3, "T06", "eligible", "6.00", 3, 0, "", "", "new", NULL, NULL},
		{"A01", 4, "T02", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
		{"A01", 5, "T03", "eligible", "4.00", 3, 0, "", "", "new", NULL, NULL},
		{"A05", 1, "T01", "eligible", "9.00", 4, 0, "", "", "new", NULL, NULL},
		{"A05", 2, "T02", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
		{"A05", 3, "T06", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
		{"A05", 4, "T07", "eligible", "5.00", 3, 0, "", "", "new", NULL, NULL},
		{"A05", 5, "T03", "eligible", "4.00", 3, 0, "", "", "new", NULL, NULL},
	};
	char *want = csv_of(good, N_OF(good)), *got;
	ct_run r = {0};

	/* NDJSON: line 2 is cut short, line 3 has ecog 9, line 4 repeats A01 */
	got = mb_batch(&r, mb_copy_db(base), mb_fx("patients/bad-rows.ndjson"),
		       out, "", 1);
	assert_text_eq(got, want, "bad-rows.ndjson");
	assert_reported(r.err, "bad-rows.ndjson:2", NULL, "JSON");
	assert_reported(r.err, "bad-rows.ndjson:3", "A03", "ecog");
	cr_assert(ct_line_with(r.err, "duplicate"),
		  "the duplicate A01 is not reported");
	cr_assert(strstr(r.err, "2 patients matched"), "%s", r.err);
	cr_assert(strstr(r.err, "3 rejected"), "%s", r.err);
	free(got);

	/* CSV: line 3 ecog 9, line 4 repeats A01, line 5 age "seventy" */
	got = mb_batch(&r, mb_copy_db(base), mb_fx("patients/bad-rows.csv"),
		       out, "", 1);
	assert_text_eq(got, want, "bad-rows.csv");
	assert_reported(r.err, "bad-rows.csv:3", "A02", "ecog");
	assert_reported(r.err, "bad-rows.csv:5", "A03", "age");
	cr_assert(ct_line_with(r.err, "duplicate"),
		  "the duplicate A01 is not reported");
	cr_assert(strstr(r.err, "3 rejected"), "%s", r.err);
	free(got);
	free(want);
	ct_run_free(&r);
}

/* A repeated id is a bad row like the others: source, line, id, reason. */
Test(batch, a_duplicate_id_is_reported_with_its_line)
{
	const char *base = mb_index("trials", NULL);
	const char *out = ct_path(ct_tmpdir(), "out.csv");
	ct_run r = {0};

	free(mb_batch(&r, mb_copy_db(base), mb_fx("patients/bad-rows.ndjson"),
		      out, "", 1));
	assert_reported(r.err, "bad-rows.ndjson:4", "A01", "duplicate");
	free(mb_batch(&r, mb_copy_db(base), mb_fx("patients/bad-rows.csv"), out,
		      "", 1));
	assert_reported(r.err, "bad-rows.csv:4", "A01", "duplicate");
	ct_run_free(&r);
}

Test(batch, usage_and_file_errors)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "batch --db '%s' " MB_TODAY, db);
	cr_assert_eq(r.status, 2, "no --patients: exit %d", r.status);
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' " MB_TODAY " --patients '%s' --threads 0",
		   db, mb_fx("patients/roster.ndjson"));
	cr_assert_eq(r.status, 2, "--threads 0: exit %d", r.status);
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' " MB_TODAY " --patients '%s' --format xml",
		   db, mb_fx("patients/roster.ndjson"));
	cr_assert_eq(r.status, 2, "--format xml: exit %d", r.status);
	ct_run_cmd(&r, NULL, "batch --db '%s' " MB_TODAY " --patients '%s'",
		   ct_path(tmp, "no-index"), mb_fx("patients/roster.ndjson"));
	cr_assert_eq(r.status, 3, "missing index: exit %d\n%s", r.status,
		     r.err);
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' " MB_TODAY " --patients '%s' --out '%s'",
		   db, mb_fx("patients/roster.ndjson"),
		   ct_path(tmp, "no/such/dir/out.csv"));
	cr_assert_eq(r.status, 3, "unwritable --out: exit %d\n%s", r.status,
		     r.err);
	/* spec/cli.md: 3 when "a file could not be opened" */
	ct_run_cmd(&r, NULL, "batch --db '%s' " MB_TODAY " --patients '%s'", db,
		   ct_path(tmp, "absent.ndjson"));
	cr_assert(strstr(r.err, "absent.ndjson"), "%s", r.err);
	cr_assert_eq(r.status, 3, "missing roster: exit %d\n%s", r.status,
		     r.err);
	ct_run_free(&r);
}

/* ---- threads ---- */

/* A big roster: bench's gen_patients next to ctmatch, else our own. */
static const char *big_roster(const char *dir, int n)
{
	const char *path = ct_keep(ct_path(dir, "big.ndjson"));
	char gen[PATH_MAX], *slash;
	ct_run r = {0};

	snprintf(gen, sizeof gen, "%s", tu_ctmatch());
	slash = strrchr(gen, '/');
	if (slash) {
		snprintf(slash, sizeof gen - (size_t)(slash - gen),
			 "/../bench/gen_patients");
		if (access(gen, X_OK) == 0) {
			ct_run_sh(&r, "'%s' %d '%s'", gen, n, path);
			cr_assert_eq(r.status, 0, "gen_patients: %s", r.err);
			ct_run_free(&r);
			return path;
		}
	}
	mb_gen_roster(path, n);
	return path;
}

/*
 * Workers render rows in parallel: the output must not depend on how many
 * there are. --include-ineligible and --all-statuses make every row carry
 * to-check and reason texts, and three 4-thread runs give a race three
 * chances to show.
 */
Test(batch, one_thread_and_four_write_the_same_bytes)
{
	const char *base = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = big_roster(tmp, 1000);
	char *one, *four;
	ct_run r = {0};
	int k;

	one = mb_batch(&r, mb_copy_db(base), roster, ct_path(tmp, "one.csv"),
		       "--threads 1 --include-ineligible --all-statuses", 0);
	cr_assert(strstr(r.err, "1000 patients matched"), "%s", r.err);
	cr_assert_gt(mb_nlines(one), 3000, "only %zu lines", mb_nlines(one));
	for (k = 0; k < 3; k++) {
		four = mb_batch(
			&r, mb_copy_db(base), roster, ct_path(tmp, "four.csv"),
			"--threads 4 --include-ineligible --all-statuses", 0);
		cr_assert(strstr(r.err, "1000 patients matched"), "%s", r.err);
		if (strcmp(one, four)) {
			const char *a = one, *b = four;
			size_t line = 1;
			for (; *a && *a == *b; a++, b++)
				line += *a == '\n';
			cr_assert_fail(
				"--threads 1 and --threads 4 differ (run %d), "
				"first at line %zu:\n%.300s\nvs\n%.300s",
				k + 1, line, a, b);
		}
		free(four);
	}
	free(one);
	ct_run_free(&r);
}

/* ---- three nights ---- */

Test(batch, new_same_changed_dropped_over_three_nights)
{
	const char *db = mb_index("trials", NULL), *db_new_only;
	const char *tmp = ct_tmpdir();
	const char *roster = mb_roster_copy(tmp);
	char *want, *got, *full;
	ct_run r = {0};

	/* night 1 */
	got = mb_batch(&r, db, roster, ct_path(tmp, "n1.csv"), "", 0);
	want = csv_of(night1, N_OF(night1));
	assert_text_eq(got, want, "night 1");
	cr_assert(strstr(r.err, "(new 16, same 0, changed 0, dropped 0)"), "%s",
		  r.err);
	free(got);
	free(want);
	db_new_only = mb_copy_db(db);

	/* night 2 */
	mb_next_night(db, roster);
	mb_next_night(db_new_only, NULL);
	got = mb_batch(&r, db, roster, ct_path(tmp, "n2.csv"), "", 0);
	want = csv_of(night2, N_OF(night2));
	assert_text_eq(got, want, "night 2");
	cr_assert(
		strstr(r.err, "19 rows (new 3, same 10, changed 2, dropped 4)"),
		"%s", r.err);
	free(got);
	/* --new-only: the same run without its same rows */
	full = want;
	want = mb_lines_without(full, ",same,");
	got = mb_batch(&r, db_new_only, roster, ct_path(tmp, "n2-new.csv"),
		       "--new-only", 0);
	assert_text_eq(got, want, "night 2, --new-only");
	free(got);
	free(want);
	free(full);

	/* night 3: nothing changed */
	got = mb_batch(&r, db, roster, ct_path(tmp, "n3.csv"), "", 0);
	want = csv_of(night3, N_OF(night3));
	assert_text_eq(got, want, "night 3");
	free(got);
	free(want);
	got = mb_batch(&r, db_new_only, roster, ct_path(tmp, "n3-new.csv"),
		       "--new-only", 0);
	assert_text_eq(got, MB_CSV_HEADER, "night 3, --new-only");
	free(got);
	ct_run_free(&r);
}

/*
 * Each patient is compared with the patient's own previous list: an ad
 * hoc batch over another roster (Z01, and A03 as on night 1) between
 * night 1 and night 2 changes nothing for the patients it did not hold,
 * so night 2 is exactly the night 2 above; the ad hoc run itself marks
 * A03 same against night 1 and Z01 new.
 */
Test(batch, an_ad_hoc_roster_between_nights_changes_nothing_for_others)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = mb_roster_copy(tmp);
	const char *adhoc = ct_keep(ct_path(tmp, "adhoc.ndjson"));
	char *want, *got, *a03;
	ct_run r = {0};

	got = mb_batch(&r, db, roster, ct_path(tmp, "n1.csv"), "", 0);
	free(got);
	got = mb_read(roster);
	a03 = strstr(got, "{\"id\": \"A03\"");
	cr_assert(a03, "%s", got);
	*strchr(a03, '\n') = '\0';
	ct_write(adhoc, "{\"id\": \"Z01\", \"age\": 50, \"sex\": \"female\", "
			"\"diagnosis\": \"colon adenocarcinoma\", \"ecog\": 0}\n");
	{
		FILE *f = fopen(adhoc, "a");
		cr_assert(f);
		fprintf(f, "%s\n", a03);
		fclose(f);
	}
	free(got);
	got = mb_batch(&r, db, adhoc, ct_path(tmp, "adhoc.csv"), "", 0);
	cr_assert_eq(ct_count_lines(got, "A03,1,NCT93000005,possible,2.00,"), 1,
		     "%s", got);
	cr_assert_eq(ct_count_lines(got, ",same,"), 1, "%s", got);
	cr_assert_eq(ct_count_lines(got, ",new,"), mb_nlines(got) - 2, "%s", got);
	free(got);

	mb_next_night(db, roster);
	got = mb_batch(&r, db, roster, ct_path(tmp, "n2.csv"), "", 0);
	want = csv_of(night2, N_OF(night2));
	assert_text_eq(got, want, "night 2 after an ad hoc run");
	free(got);
	free(want);
	ct_run_free(&r);
}

/*
 * A smaller --limit the next night: A01's trials ranked 3 to 5 on night 1
 * (T06, T02, T03) drop as "fallen below --limit 2"; its first two stay
 * same.
 */
Test(batch, a_trial_below_the_limit_drops_with_that_reason)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "a01.ndjson"));
	char *got;
	ct_run r = {0};

	ct_copy(mb_fx("patients/dir/A01.json"), roster);
	got = mb_batch(&r, db, roster, ct_path(tmp, "n1.csv"), "", 0);
	cr_assert_eq(mb_nlines(got), 6, "%s", got);
	free(got);
	got = mb_batch(&r, db, roster, ct_path(tmp, "n2.csv"), "--limit 2", 0);
	cr_assert_eq(ct_count_lines(got, ",same,"), 2, "%s", got);
	cr_assert_eq(ct_count_lines(got, "A01,,NCT93000006,"), 1, "%s", got);
	cr_assert_eq(ct_count_lines(got, ",dropped,0,https://clinicaltrials.gov/"
					 "study/NCT93000006,,eligible,3,fallen "
					 "below --limit 2\n"),
		     1, "%s", got);
	cr_assert_eq(ct_count_lines(got, ",eligible,4,fallen below --limit 2\n"), 1,
		     "%s", got);
	cr_assert_eq(ct_count_lines(got, ",eligible,5,fallen below --limit 2\n"), 1,
		     "%s", got);
	free(got);
	ct_run_free(&r);
}

/* ---- NDJSON ---- */

static void assert_changes(json_t *doc, const char *id, const char *changes)
{
	json_t *res = mb_results(doc);
	char got[512] = "";
	size_t i, len = 0;

	ct_assert_jstr(doc, "patient_id", id);
	cr_assert(json_is_array(json_object_get(doc, "warnings")),
		  "%s: warnings", id);
	for (i = 0; i < json_array_size(res); i++) {
		json_t *x = json_array_get(res, i),
		       *rank = json_object_get(x, "rank");
		const char *ch = ct_jstr(x, "change");

		len += (size_t)snprintf(got + len, sizeof got - len, "%s%s:%s",
					i ? " " : "", ct_jstr(x, "nct_id") + 9,
					ch);
		/* a dropped row has no rank; the others count from 1 */
		if (!strcmp(ch, "dropped"))
			cr_assert(json_is_null(rank),
				  "%s: a dropped row has a rank", id);
		else
			cr_assert_eq(json_integer_value(rank),
				     (json_int_t)i + 1, "%s: rank", id);
		cr_assert(json_is_number(json_object_get(x, "score")));
		ct_jstr(x, "verdict");
	}
	cr_assert_str_eq(got, changes, "%s: %s, want %s", id, got, changes);
}

Test(batch, ndjson_is_one_match_document_a_line)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = mb_roster_copy(tmp);
	static const char *const ids[] = {"A01", "A02", "A03", "A04", "A05"};
	static const char *const n1[] = {
		"01:new 07:new 06:new 02:new 03:new",
		"02:new 05:new 03:new 06:new 07:new",
		"05:new",
		"",
		"01:new 02:new 06:new 07:new 03:new",
	};
	static const char *const n2[] = {
		"01:same 07:same 03:same 06:dropped 02:dropped",
		"05:same 02:changed 03:same 07:same 06:dropped",
		"05:same",
		"01:new 07:new 03:new",
		"01:same 07:same 02:changed 03:same 06:dropped",
	};
	const char *const *want[] = {n1, n2};
	ct_run r = {0};
	int night;

	for (night = 0; night < 2; night++) {
		char *text =
			mb_batch(&r, db, roster, ct_path(tmp, "out.ndjson"),
				 "--format ndjson", 0);
		char *line = text, *nl;
		size_t i = 0;

		cr_assert_eq(mb_nlines(text), 5, "night %d: %zu lines",
			     night + 1, mb_nlines(text));
		for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1, i++) {
			json_t *doc;
			*nl = '\0';
			doc = ct_json(line);
			assert_changes(doc, ids[i], want[night][i]);
			json_decref(doc);
		}
		free(text);
		if (!night)
			mb_next_night(db, roster);
	}
	ct_run_free(&r);
}

/* ---- interruption, lock, shards ---- */

/*
 * kill -9 part-way, start again with the same arguments: the run resumes
 * (finished patients come from the index) and writes what an
 * uninterrupted run into a copy of the same index writes. One worker, so
 * that this checks resuming alone (threads have their own test).
 */
Test(batch, an_interrupted_run_resumes_to_the_same_bytes)
{
	const char *db = mb_index("trials", NULL), *fresh;
	const char *tmp = ct_tmpdir();
	const char *roster = big_roster(tmp, 2000);
	const char *out = ct_keep(ct_path(tmp, "out.csv"));
	const char *part = ct_keep(ct_path(tmp, "out.csv.tmp"));
	const char *ref = ct_keep(ct_path(tmp, "ref.csv"));
	char *got, *want;
	long stored;
	ct_run r = {0};
	pid_t pid;
	int waited = 0;

	fresh = mb_copy_db(db);
	pid = mb_spawn(ct_path(tmp, "bg.out"), ct_path(tmp, "bg.err"),
		       "batch --db '%s' " MB_TODAY
		       " --patients '%s' --out '%s' --threads 1",
		       db, roster, out);
	/* part-way: 64 KiB of rows written (a few hundred patients) */
	while (mb_size(part) < 65536 && mb_alive(pid) && waited < 60000) {
		mb_sleep_ms(2);
		waited += 2;
	}
	cr_assert(mb_alive(pid),
		  "the run ended before it could be interrupted");
	kill(pid, SIGKILL);
	cr_assert_eq(mb_wait(pid), 128 + SIGKILL);
	cr_assert_eq(mb_size(out), -1, "a killed run left its --out file");

	ct_run_cmd(&r, NULL,
		   "batch --db '%s' " MB_TODAY
		   " --patients '%s' --out '%s' --threads 1",
		   db, roster, out);
	cr_assert_eq(r.status, 0, "resumed run: exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "resumed"),
		  "the summary does not say resumed:\n%s", r.err);
	stored = from_stored(r.err);
	cr_assert(stored > 0 && stored < 2000,
		  "%ld patients from the stored run:\n%s", stored, r.err);
	cr_assert(strstr(r.err, "2000 patients matched"), "%s", r.err);
	cr_assert_eq(mb_size(part), -1, "the .tmp file is left");

	ct_run_cmd(&r, NULL,
		   "batch --db '%s' " MB_TODAY
		   " --patients '%s' --out '%s' --threads 1",
		   fresh, roster, ref);
	cr_assert_eq(r.status, 0, "reference run: exit %d\n%s", r.status,
		     r.err);
	cr_assert(!strstr(r.err, "resumed"), "%s", r.err);
	got = mb_read(out);
	want = mb_read(ref);
	cr_assert_gt(mb_nlines(want), 2000);
	cr_assert(
		!strcmp(got, want),
		"the resumed run's output differs from an uninterrupted run's");
	free(got);
	free(want);
	ct_run_free(&r);
}

Test(batch, a_second_batch_on_the_same_index_is_refused)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = big_roster(tmp, 2000);
	const char *out1 = ct_keep(ct_path(tmp, "one.csv"));
	const char *part1 = ct_keep(ct_path(tmp, "one.csv.tmp"));
	const char *out2 = ct_keep(ct_path(tmp, "two.csv"));
	ct_run r = {0};
	pid_t pid;
	int waited = 0;

	pid = mb_spawn(ct_path(tmp, "bg.out"), ct_path(tmp, "bg.err"),
		       "batch --db '%s' " MB_TODAY
		       " --patients '%s' --out '%s' --threads 1",
		       db, roster, out1);
	/* the lock is taken before the output is opened: hold it there */
	while (mb_size(part1) < 0 && mb_alive(pid) && waited < 60000) {
		mb_sleep_ms(1);
		waited++;
	}
	cr_assert(mb_alive(pid), "the first run ended too soon");
	kill(pid, SIGSTOP);

	ct_run_cmd(&r, NULL,
		   "batch --db '%s' " MB_TODAY " --patients '%s' --out '%s'",
		   db, mb_fx("patients/roster.ndjson"), out2);
	kill(pid, SIGCONT);
	cr_assert_eq(r.status, 3, "second batch: exit %d, want 3\n%s", r.status,
		     r.err);
	cr_assert(strstr(r.err, "another ctmatch batch is running"), "%s",
		  r.err);
	cr_assert_eq(mb_size(out2), -1);
	cr_assert_eq(mb_wait(pid), 0, "the first run failed");
	cr_assert_gt(mb_size(out1), 0);

	/* once the first is done, the index is free again */
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' " MB_TODAY " --patients '%s' --out '%s'",
		   db, mb_fx("patients/roster.ndjson"), out2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_free(&r);
}

/* The patient ids of NDJSON output, one a line, "\n"-joined (malloc'd). */
static char *ids_of(const char *ndjson)
{
	char *copy = strdup(ndjson), *line, *nl,
	     *ids = calloc(1, strlen(ndjson) + 1);
	size_t len = 0;

	cr_assert(copy && ids);
	for (line = copy; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		json_t *doc;
		*nl = '\0';
		doc = ct_json(line);
		len += (size_t)sprintf(ids + len, "%s\n",
				       ct_jstr(doc, "patient_id"));
		json_decref(doc);
	}
	free(copy);
	return ids;
}

Test(batch, two_shards_cover_every_patient_once)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "g.ndjson"));
	char *s1, *s2, *ids1, *ids2;
	int seen[49] = {0}, i, n1 = 0, n2 = 0;
	const char *p;
	ct_run r = {0};

	mb_gen_roster(roster, 48);
	s1 = mb_batch(&r, db, roster, ct_path(tmp, "s1.ndjson"),
		      "--shard 1/2 --format ndjson", 0);
	s2 = mb_batch(&r, db, roster, ct_path(tmp, "s2.ndjson"),
		      "--shard 2/2 --format ndjson", 0);
	ids1 = ids_of(s1);
	ids2 = ids_of(s2);
	for (p = ids1; *p; p = strchr(p, '\n') + 1, n1++)
		seen[atoi(p + 1)]++;
	for (p = ids2; *p; p = strchr(p, '\n') + 1, n2++)
		seen[atoi(p + 1)]++;
	cr_assert(n1 > 0 && n2 > 0, "a shard is empty: %d + %d", n1, n2);
	cr_assert_eq(n1 + n2, 48, "%d + %d patients", n1, n2);
	for (i = 1; i <= 48; i++)
		cr_assert_eq(seen[i], 1, "G%03d is in %d shards", i, seen[i]);
	free(ids1);
	free(ids2);
	free(s1);
	free(s2);
	ct_run_free(&r);
}

/*
 * Nightly shards on one index: the second night's shard 1 compares with
 * the first night's shard 1, so with nothing changed every row is same
 * (not new because the newest finished run was the other shard).
 */
Test(batch, shards_rerun_mark_unchanged_rows_same)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "g.ndjson"));
	char *out;
	ct_run r = {0};
	int night;

	mb_gen_roster(roster, 48);
	for (night = 1; night <= 2; night++) {
		const char *shard[] = {"--shard 1/2", "--shard 2/2"};
		int k;

		for (k = 0; k < 2; k++) {
			out = mb_batch(&r, db, roster, ct_path(tmp, "s.csv"),
				       shard[k], 0);
			cr_assert_gt(mb_nlines(out), 1);
			if (night == 2) {
				cr_assert(strstr(r.err, "new 0,"),
					  "night 2, %s: %s", shard[k], r.err);
				cr_assert_eq(
					ct_count_lines(out, ",same"),
					mb_nlines(out) - 1,
					"night 2, %s: rows that are not same",
					shard[k]);
			}
			free(out);
		}
	}
	ct_run_free(&r);
}
