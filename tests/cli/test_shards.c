/*
 * test_shards.c - a night split with `batch --shard K/N` reads as one run:
 * `export` (and `report`) merge the newest finished run of every shard of
 * the last night, and give exactly the bytes one unsharded run gives, both
 * when the shards ran on one index and when they ran on copies of it and
 * were brought back with `import-run` (README "Beyond one machine").
 *
 * The expected output is never written by hand here: it is the export of
 * the same roster run unsharded on another copy of the same index, and
 * each scenario first checks that every shard holds patients, so that a
 * merge that dropped or repeated a shard could not pass.
 */
#include "clitest_mb.h"

#define ROSTER_N 30

/* The patient ids (first CSV field) of each data row, one a line. */
static size_t patients_in(const char *csv)
{
	const char *p = strchr(csv, '\n');
	char last[64] = "";
	size_t n = 0;

	for (p = p ? p + 1 : csv; *p; p = strchr(p, '\n') + 1) {
		size_t l = strcspn(p, ",");
		if (l >= sizeof last || strncmp(p, last, l) || last[l]) {
			snprintf(last, sizeof last, "%.*s", (int)l, p);
			n++;
		}
		if (!strchr(p, '\n'))
			break;
	}
	return n;
}

/* `export --db db` (exit `want`), stdout malloc'd. */
static char *export_of(const char *db, int want)
{
	ct_run r = {0};
	char *out;

	ct_run_cmd(&r, NULL, "export --db '%s'", db);
	cr_assert_eq(r.status, want, "export: exit %d, want %d\n%s", r.status, want,
		     r.err);
	out = strdup(r.out);
	ct_run_free(&r);
	return out;
}

/* Shard k/3 of roster on db; asserts the shard is not empty. */
static void shard(const char *db, const char *roster, const char *tmp, int k)
{
	char opt[32], *out;
	ct_run r = {0};

	snprintf(opt, sizeof opt, "--shard %d/3", k);
	out = mb_batch(&r, db, roster, ct_path(tmp, "shard.csv"), opt, 0);
	cr_assert_gt(patients_in(out), 0, "shard %d/3 is empty", k);
	free(out);
	ct_run_free(&r);
}

static void unsharded(const char *db, const char *roster, const char *tmp)
{
	ct_run r = {0};

	free(mb_batch(&r, db, roster, ct_path(tmp, "all.csv"), "", 0));
	ct_run_free(&r);
}

Test(shards, three_shards_on_one_index_export_as_one_run)
{
	const char *db = mb_index("trials", NULL);
	const char *one = mb_copy_db(db);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "g.ndjson"));
	char *want, *got;
	int k;

	mb_gen_roster(roster, ROSTER_N);
	unsharded(one, roster, tmp);
	want = export_of(one, 0);
	/* (a patient no trial is open to has no row) */
	cr_assert_gt(patients_in(want), ROSTER_N / 2);
	for (k = 1; k <= 3; k++)
		shard(db, roster, tmp, k);
	got = export_of(db, 0);
	cr_assert_str_eq(got, want, "3 shards:\n%s\none run:\n%s", got, want);
	free(got);
	free(want);
}

/*
 * Two nights on copies: each night the coordinator copies the index to
 * three "machines", shard K runs on copy K, and import-run brings the three
 * runs back; between the nights trials change and a patient's profile
 * changes. Night 2's export, change marks included, is the export of the
 * same two nights run unsharded.
 */
Test(shards, three_shards_on_copies_imported_export_as_one_run)
{
	const char *db = mb_index("trials", NULL);
	const char *one = mb_copy_db(db);
	const char *tmp = ct_tmpdir();
	const char *roster = mb_roster_copy(tmp);
	int night, k;

	for (night = 1; night <= 2; night++) {
		const char *copy[3];
		char *want, *got;
		ct_run r = {0};

		if (night == 2) {
			mb_next_night(db, roster);
			mb_next_night(one, NULL);
		}
		unsharded(one, roster, tmp);
		want = export_of(one, 0);
		for (k = 1; k <= 3; k++) {
			copy[k - 1] = mb_copy_db(db);
			shard(copy[k - 1], roster, tmp, k);
		}
		ct_run_cmd(&r, NULL, "import-run --db '%s' '%s' '%s' '%s'", db,
			   copy[0], copy[1], copy[2]);
		cr_assert_eq(r.status, 0, "import-run: exit %d\n%s", r.status, r.err);
		cr_assert_eq(ct_count_lines(r.err, "imported as run"), 3, "%s", r.err);
		got = export_of(db, 0);
		cr_assert_str_eq(got, want, "night %d, 3 shards:\n%s\none run:\n%s",
				 night, got, want);
		if (night == 2)
			cr_assert_gt(ct_count_lines(got, ",changed,"), 0,
				     "night 2 changed nothing: the test says little");
		free(got);

		/* importing again adds nothing */
		ct_run_cmd(&r, NULL, "import-run --db '%s' '%s'", db, copy[1]);
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert(strstr(r.err, "already in"), "%s", r.err);
		got = export_of(db, 0);
		cr_assert_str_eq(got, want);
		free(got);
		free(want);
		ct_run_free(&r);
	}
}

Test(shards, a_missing_shard_is_named_and_the_others_written)
{
	const char *db = mb_index("trials", NULL);
	const char *one = mb_copy_db(db);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "g.ndjson"));
	char *all, *got, *want;
	ct_run r = {0};
	size_t i;

	mb_gen_roster(roster, ROSTER_N);
	unsharded(one, roster, tmp);
	shard(db, roster, tmp, 1);
	shard(db, roster, tmp, 3);
	ct_run_cmd(&r, NULL, "export --db '%s'", db);
	cr_assert_eq(r.status, 1, "exit %d, want 1\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "shard 2/3"), "stderr does not name shard 2:\n%s",
		  r.err);
	cr_assert(!strstr(r.err, "shard 1/3") && !strstr(r.err, "shard 3/3"), "%s",
		  r.err);
	/* the rows are the unsharded run's without shard 2's patients */
	all = export_of(one, 0);
	got = strdup(r.out);
	want = strdup(all);
	{
		/* shard 2's patients: in the unsharded export, not in this one */
		const char *p = strchr(all, '\n') + 1;
		size_t len = strlen(MB_CSV_HEADER);
		memcpy(want, all, len);
		while (*p) {
			const char *e = strchr(p, '\n');
			size_t l = (size_t)(e - p) + 1, il = strcspn(p, ",");
			char needle[80];
			snprintf(needle, sizeof needle, "\n%.*s,", (int)il, p);
			if (strstr(got, needle)) {
				memcpy(want + len, p, l);
				len += l;
			}
			p += l;
		}
		want[len] = '\0';
	}
	cr_assert_str_eq(got, want);
	i = patients_in(got);
	cr_assert(i > 0 && i < ROSTER_N, "%zu patients", i);
	free(all);
	free(got);
	free(want);
	ct_run_free(&r);
}

/* A shard of another night (another --today) is not merged into this one. */
Test(shards, a_shard_of_another_night_is_not_merged)
{
	const char *db = mb_index("trials", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "g.ndjson"));
	ct_run r = {0};
	int k;

	mb_gen_roster(roster, ROSTER_N);
	for (k = 1; k <= 3; k++)
		shard(db, roster, tmp, k);
	/* the next day, only shard 1 ran */
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' --today 2026-11-27 --threads 1 --patients '%s' "
		   "--shard 1/3 --out '%s'",
		   db, roster, ct_path(tmp, "next.csv"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_cmd(&r, NULL, "export --db '%s'", db);
	cr_assert_eq(r.status, 1, "exit %d, want 1\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "shard 2/3") && strstr(r.err, "shard 3/3"), "%s",
		  r.err);
	ct_run_free(&r);
}

Test(shards, report_reads_the_merged_night)
{
	const char *db = mb_index("trials", NULL);
	const char *one = mb_copy_db(db);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "g.ndjson"));
	char *want, *got, *a, *b;
	ct_run r = {0};
	int k;

	mb_gen_roster(roster, ROSTER_N);
	unsharded(one, roster, tmp);
	for (k = 1; k <= 3; k++)
		shard(db, roster, tmp, k);
	ct_run_cmd(&r, NULL, "report --db '%s'", one);
	cr_assert_eq(r.status, 0, "%s", r.err);
	want = strdup(r.out);
	ct_run_cmd(&r, NULL, "report --db '%s'", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	got = strdup(r.out);
	cr_assert(strstr(got, "<p>Batch runs 1, 2, 3 (shards 1-3 of 3), finished "),
		  "no shards in the heading");
	cr_assert(strstr(want, "<p>Batch run 1, finished "));
	/* after the heading's paragraph, the pages are the same */
	a = strstr(want, "patients in this report.</p>");
	b = strstr(got, "patients in this report.</p>");
	cr_assert(a && b);
	cr_assert_str_eq(b, a);
	free(want);
	free(got);
	ct_run_free(&r);
}

/*
 * The job files of docs/ as a coordinator runs them (README "Beyond one
 * machine"): docs/slurm-batch.sh as tasks 1-3 of an array (the Slurm
 * variables set by hand), then docs/merge-night.sh. The night's CSV is the
 * export of one unsharded run.
 */
Test(shards, the_slurm_files_of_docs_give_one_run)
{
	const char *src = getenv("CTM_SOURCE");
	const char *home = ct_tmpdir();
	const char *one = ct_keep(ct_path(home, "one.lmdb"));
	char bindir[PATH_MAX], *want, *got, *e;
	ct_run r = {0};
	int k;

	cr_assert(src, "CTM_SOURCE is not set (tests/CMakeLists.txt sets it)");
	snprintf(bindir, sizeof bindir, "%s", tu_ctmatch());
	e = strrchr(bindir, '/');
	cr_assert(e);
	*e = '\0';
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", ct_path(home, "trials.lmdb"),
		   mb_fx("trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_copy(mb_fx("patients/roster.csv"), ct_path(home, "roster.csv"));
	mb_copy_dir(ct_path(home, "trials.lmdb"), one);
	free(mb_batch(&r, one, ct_path(home, "roster.csv"),
		      ct_path(home, "one.csv"), "--today 2026-12-07", 0));
	want = export_of(one, 0);
	for (k = 1; k <= 3; k++) {
		ct_run_sh(&r,
			  "PATH='%s':\"$PATH\" CTM_HOME='%s' TODAY=2026-12-07 "
			  "SLURM_ARRAY_TASK_ID=%d SLURM_ARRAY_TASK_COUNT=3 "
			  "SLURM_ARRAY_JOB_ID=7 TMPDIR='%s' sh '%s/docs/slurm-batch.sh'",
			  bindir, home, k, home, src);
		cr_assert_eq(r.status, 0, "task %d: exit %d\n%s", k, r.status, r.err);
	}
	ct_run_sh(&r, "PATH='%s':\"$PATH\" CTM_HOME='%s' TODAY=2026-12-07 sh "
		      "'%s/docs/merge-night.sh'",
		  bindir, home, src);
	cr_assert_eq(r.status, 0, "merge: exit %d\n%s", r.status, r.err);
	cr_assert_eq(ct_count_lines(r.err, "imported as run"), 3, "%s", r.err);
	got = mb_read(ct_path(home, "matches-2026-12-07.csv"));
	cr_assert_str_eq(got, want);
	cr_assert_gt(mb_nlines(got), 10);
	cr_assert(mb_size(ct_path(home, "morning-2026-12-07.html")) > 0);
	free(got);
	free(want);
	ct_run_free(&r);
}
