/*
 * test_export.c - `ctmatch export` run as a real process after batch runs
 * on fixtures/batch/ (README.md there): it writes the stored lists of the
 * last finished run as the batch CSV, without the dropped rows (those are
 * not in the stored list), for all patients or the --patient ids given.
 */
#include "clitest_mb.h"

/* Two nights (fixtures/batch/README.md); returns night 2's batch CSV. */
static char *two_nights(const char *db, const char *tmp)
{
	const char *roster = mb_roster_copy(tmp);
	ct_run r = {0};
	char *csv;

	free(mb_batch(&r, db, roster, ct_path(tmp, "n1.csv"), "", 0));
	mb_next_night(db, roster);
	csv = mb_batch(&r, db, roster, ct_path(tmp, "n2.csv"), "", 0);
	ct_run_free(&r);
	/* the scenario is checked in test_batch.c; here it must have dropped
	 * rows, or the comparisons below would not say much */
	cr_assert_eq(ct_count_lines(csv, ",dropped"), 4);
	cr_assert_eq(ct_count_lines(csv, ",changed"), 2);
	cr_assert_eq(ct_count_lines(csv, ",new"), 3);
	return csv;
}

/* The rows of one patient in a CSV (lines starting "ID,"), malloc'd. */
static char *rows_of(const char *csv, const char *id)
{
	char *out = calloc(1, strlen(csv) + 1);
	const char *p = csv;
	size_t len = 0, il = strlen(id);

	cr_assert(out);
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) + 1 : strlen(p);
		if (!strncmp(p, id, il) && p[il] == ',') {
			memcpy(out + len, p, l);
			len += l;
		}
		p += l;
	}
	return out;
}

Test(export, writes_the_last_run_without_dropped_rows)
{
	const char *db = mb_index("trials", NULL);
	char *batch = two_nights(db, ct_tmpdir());
	char *want = mb_lines_without(batch, ",dropped,");
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "export --db '%s'", db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	/* the roster is in id order, as export is */
	cr_assert_str_eq(r.out, want, "export:\n%s\nwant:\n%s", r.out, want);
	free(want);
	free(batch);
	ct_run_free(&r);
}

Test(export, the_patients_asked_for_in_that_order)
{
	const char *db = mb_index("trials", NULL);
	char *batch = two_nights(db, ct_tmpdir());
	char *kept = mb_lines_without(batch, ",dropped,");
	char *a05 = rows_of(kept, "A05"), *a01 = rows_of(kept, "A01");
	char want[16384];
	ct_run r = {0};

	cr_assert(*a05 && *a01);
	snprintf(want, sizeof want, "%s%s%s", MB_CSV_HEADER, a05, a01);
	ct_run_cmd(&r, NULL, "export --db '%s' --patient A05 --patient A01",
		   db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert_str_eq(r.out, want, "export:\n%s\nwant:\n%s", r.out, want);

	/* A04 had no list on night 1: all its rows are new */
	free(a05);
	a05 = rows_of(kept, "A04");
	snprintf(want, sizeof want, "%s%s", MB_CSV_HEADER, a05);
	ct_run_cmd(&r, NULL, "export --db '%s' --patient A04", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, want);
	cr_assert_eq(ct_count_lines(r.out, ",new"), 3);
	free(a05);
	free(a01);
	free(kept);
	free(batch);
	ct_run_free(&r);
}

Test(export, an_unknown_patient_is_an_error)
{
	const char *db = mb_index("trials", NULL);
	char *batch = two_nights(db, ct_tmpdir());
	char *a01 = rows_of(batch, "A01"),
	     *kept = mb_lines_without(a01, ",dropped,");
	char want[8192];
	ct_run r = {0};

	snprintf(want, sizeof want, "%s%s", MB_CSV_HEADER, kept);
	ct_run_cmd(&r, NULL, "export --db '%s' --patient NOPE --patient A01",
		   db);
	cr_assert_eq(r.status, 1, "exit %d, want 1\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "NOPE"), "stderr does not name the id:\n%s",
		  r.err);
	/* the ones that exist are still written */
	cr_assert_str_eq(r.out, want);
	free(kept);
	free(a01);
	free(batch);
	ct_run_free(&r);
}

Test(export, an_index_without_a_finished_run)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "export --db '%s'", db);
	cr_assert_eq(r.status, 3, "no run: exit %d, want 3\n%s", r.status,
		     r.err);
	cr_assert(strstr(r.err, "no finished batch run"), "%s", r.err);
	ct_run_cmd(&r, NULL, "export --db '%s'",
		   ct_path(ct_tmpdir(), "no-index"));
	cr_assert_eq(r.status, 3, "missing index: exit %d\n%s", r.status,
		     r.err);
	ct_run_free(&r);
}
