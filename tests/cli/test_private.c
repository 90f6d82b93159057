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
