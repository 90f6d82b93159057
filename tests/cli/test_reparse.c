/*
 * test_reparse.c - criteria that follow the lexicon and the parser (issue
 * 15): `ctmatch reparse` reads the stored text again after a lexicon
 * change, exactly as a fresh ingest would; match, batch and report refuse
 * an index whose criteria were read by another version, naming the
 * command; a reparse killed with SIGKILL and started again ends with the
 * index an uninterrupted one gives.
 *
 * The two test lexicons differ in one synonym: "nitrates" names the class
 * "nitrate salt" in the first and the class "nitrate" in the second (the
 * tagger reads a plural as its singular only when the plural is no term).
 * With the second, fixture NCT90000030's exclusion "Use of nitrates" reads
 * as NOT prior nitrate, so for a patient who took a nitrate that trial
 * (and no other) turns from possible to ineligible.
 *
 * "The same index" is compared on the databases themselves (LMDB read
 * directly): every key and value of trials, match, facets and post, and
 * meta's counts of trials by version.
 */
#define _GNU_SOURCE
#include "clitest.h"
#include "clitest_dump.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#define LEX_V1	 "class\tnitrate\t\t\nclass\tnitrate salt\tnitrates\t\n"
#define LEX_V2	 "class\tnitrate\tnitrates\t\nclass\tnitrate salt\t\t\n"
#define N_COPIES 700
#define KILLS	 4

/* The patient of these tests, as match flags. */
#define PATIENT                                                                \
	"--age 60 --sex male --diagnosis 'rectal cancer' --prior nitrate "     \
	"--include-ineligible --all-statuses --limit 100 --format csv "        \
	"--today 2026-01-01"

/* "nct_id,verdict" of each row of a match CSV, in order. */
static char *verdicts(const char *csv)
{
	char *out = calloc(1, strlen(csv) + 1), *copy = strdup(csv),
	     *save = NULL;
	char *line;
	bool header = true;

	cr_assert(out && copy);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[4], *p = line;
		int n;
		if (header) {
			header = false;
			continue;
		}
		for (n = 0; n < 4 && p; n++) {
			f[n] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = '\0';
		}
		cr_assert_eq(n, 4, "short row: %s", line);
		strcat(out, f[2]);
		strcat(out, ",");
		strcat(out, f[3]);
		strcat(out, "\n");
	}
	free(copy);
	return out;
}

static void write_lexicons(const char *dir, const char **v1, const char **v2)
{
	*v1 = ct_keep(ct_path(dir, "v1.tsv"));
	*v2 = ct_keep(ct_path(dir, "v2.tsv"));
	ct_write(*v1, LEX_V1);
	ct_write(*v2, LEX_V2);
}

Test(reparse, lexicon_change_rereads_exactly_the_affected_trials)
{
	const char *dir = ct_tmpdir(), *v1, *v2;
	const char *db = ct_keep(ct_path(dir, "a.db"));
	const char *fresh = ct_keep(ct_path(dir, "b.db"));
	ct_run r = {0};
	char *before, *after, *d1, *d2;

	write_lexicons(dir, &v1, &v2);
	ct_run_cmd(&r, NULL, "ingest --db '%s' --lexicon '%s' '%s'", db, v1,
		   tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v1);
	cr_assert_eq(r.status, 0, "%s", r.err);
	before = verdicts(r.out);

	ct_run_cmd(&r, NULL, "reparse --db '%s' --lexicon '%s' --threads 2", db,
		   v2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(!strncmp(r.err,
			   "reparse: 40 of 40 trials read again, 0 failed, 0 "
			   "still stale (",
			   strlen("reparse: 40 of 40 trials read again, 0 "
				  "failed, 0 still stale (")),
		  "%s", r.err);
	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	after = verdicts(r.out);

	/* the one trial whose text names nitrates, and nothing else */
	cr_assert(strstr(before, "NCT90000030,possible\n"), "%s", before);
	cr_assert(strstr(after, "NCT90000030,ineligible\n"), "%s", after);
	{
		char *p = strstr(before, "NCT90000030,possible\n");
		memmove(p, p + strlen("NCT90000030,possible\n"),
			strlen(p + strlen("NCT90000030,possible\n")) + 1);
		p = strstr(after, "NCT90000030,ineligible\n");
		memmove(p, p + strlen("NCT90000030,ineligible\n"),
			strlen(p + strlen("NCT90000030,ineligible\n")) + 1);
	}
	cr_expect_str_eq(after, before);
	cr_expect_eq(ct_count_lines(after, ",ineligible"),
		     ct_count_lines(before, ",ineligible"));

	/* what a fresh ingest with the new lexicon writes, byte for byte */
	ct_run_cmd(&r, NULL, "ingest --db '%s' --lexicon '%s' '%s'", fresh, v2,
		   tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	d1 = ct_dump_index(db);
	d2 = ct_dump_index(fresh);
	cr_expect_str_eq(d1, d2,
			 "the reparsed index differs from a fresh "
			 "ingest");

	/* nothing left to do; --all does it all again, the same */
	ct_run_cmd(&r, NULL, "reparse --db '%s' --lexicon '%s'", db, v2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(!strncmp(r.err,
			   "reparse: 0 of 40 trials read again, 0 "
			   "failed, 0 still stale (",
			   strlen("reparse: 0 of 40 trials read again, 0 "
				  "failed, 0 still stale (")),
		  "%s", r.err);
	ct_run_cmd(&r, NULL, "reparse --all --db '%s' --lexicon '%s'", db, v2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(!strncmp(r.err, "reparse: 40 of 40 trials read again",
			   strlen("reparse: 40 of 40 trials read again")),
		  "%s", r.err);
	free(d1);
	d1 = ct_dump_index(db);
	cr_expect_str_eq(d1, d2);
	free(d1);
	free(d2);
	free(before);
	free(after);
	ct_run_free(&r);
}

Test(reparse, stale_index_refused_naming_the_command)
{
	const char *dir = ct_tmpdir(), *v1, *v2;
	const char *db = ct_keep(ct_path(dir, "a.db"));
	const char *out = ct_keep(ct_path(dir, "out.csv"));
	char want[4096];
	ct_run r = {0};
	struct stat st;

	write_lexicons(dir, &v1, &v2);
	ct_run_cmd(&r, NULL, "ingest --db '%s' --lexicon '%s' '%s'", db, v1,
		   tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(want, sizeof want,
		 "ctmatch: the index %s holds criteria read by an older parser "
		 "or lexicon for 40 trials; run 'ctmatch reparse --db %s "
		 "--lexicon %s'\n",
		 db, db, v2);

	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v2);
	cr_expect_eq(r.status, 3);
	cr_expect_str_eq(r.err, want);
	cr_expect_str_eq(r.out, "");

	ct_run_cmd(&r, NULL,
		   "batch --db '%s' --lexicon '%s' --patients '%s' --out '%s'",
		   db, v2, tu_fixture("patients"), out);
	cr_expect_eq(r.status, 3);
	cr_expect_str_eq(r.err, want);
	cr_expect_neq(stat(out, &st), 0, "batch wrote %s", out);

	ct_run_cmd(&r, NULL, "report --db '%s' --lexicon '%s' --patient '%s'",
		   db, v2, tu_fixture("patients/P01.json"));
	cr_expect_eq(r.status, 3);
	cr_expect_str_eq(r.err, want);
	cr_expect_str_eq(r.out, "");

	/* the built-in lexicon alone is another version too */
	snprintf(want, sizeof want,
		 "ctmatch: the index %s holds criteria read by an older parser "
		 "or lexicon for 40 trials; run 'ctmatch reparse --db %s'\n",
		 db, db);
	ct_run_cmd(&r, NULL, "match --db '%s' --age 60", db);
	cr_expect_eq(r.status, 3);
	cr_expect_str_eq(r.err, want);

	/* with the lexicon it was read with, it serves */
	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v1);
	cr_expect_eq(r.status, 0, "%s", r.err);
	/* and once read again, with the new one */
	ct_run_cmd(&r, NULL, "reparse --db '%s' --lexicon '%s'", db, v2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v2);
	cr_expect_eq(r.status, 0, "%s", r.err);
	ct_run_free(&r);
}

/* The fixture trials again under new ids NCT95xxxxxx, n in all. */
static void copy_trials(const char *dir, unsigned n)
{
	size_t n_src = 0, i;
	char **src = ct_xml_files(tu_fixture("trials"), &n_src);
	char **text = calloc(n_src, sizeof(*text));
	unsigned k;

	cr_assert(n_src > 0 && text);
	ct_mkdirs(dir);
	for (i = 0; i < n_src; i++) {
		text[i] = tu_read_file(src[i], NULL);
		cr_assert_not_null(text[i]);
	}
	for (k = 0; k < n; k++) {
		const char *t = text[k % n_src];
		const char *at = strstr(t, "<nct_id>NCT");
		char id[16], name[32], *copy = strdup(t);
		cr_assert(at && copy);
		snprintf(id, sizeof id, "NCT95%06u", k);
		memcpy(copy + (at - t) + strlen("<nct_id>"), id, 11);
		snprintf(name, sizeof name, "%s.xml", id);
		cr_assert_eq(
			tu_write_file(ct_path(dir, name), copy, strlen(copy)),
			0);
		free(copy);
	}
	for (i = 0; i < n_src; i++)
		free(text[i]);
	free(text);
	ct_free_list(src);
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs ctmatch argv; kills it after `delay` s (< 0: never). Returns the
 * wait status. */
static int run_argv(char *const argv[], const char *dir, double delay)
{
	pid_t pid = fork();
	int st;

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int fo = open(ct_path(dir, "run.out"),
			      O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(ct_path(dir, "run.err"),
			      O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(127);
		execv(tu_ctmatch(), argv);
		_exit(127);
	}
	if (delay >= 0) {
		struct timespec ts;
		ts.tv_sec = (time_t)delay;
		ts.tv_nsec = (long)((delay - (double)ts.tv_sec) * 1e9);
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return st;
}

Test(reparse, killed_then_resumed_is_identical, .timeout = 600)
{
	const char *dir = ct_tmpdir(), *v1, *v2;
	const char *src = ct_keep(ct_path(dir, "trials"));
	const char *base = ct_keep(ct_path(dir, "base.db"));
	const char *ref = ct_keep(ct_path(dir, "ref.db"));
	const char *db = ct_keep(ct_path(dir, "k.db"));
	const char *seed_s = getenv("CTM_CRASH_SEED");
	unsigned seed = seed_s ? (unsigned)strtoul(seed_s, NULL, 10)
			       : (unsigned)time(NULL) ^ (unsigned)getpid();
	int landed = 0, round = 0, st;
	ct_run r = {0};
	char *want, *got;
	double t0, t;

	write_lexicons(dir, &v1, &v2);
	copy_trials(src, N_COPIES);
	ct_run_cmd(&r, NULL, "ingest --db '%s' --lexicon '%s' '%s'", base, v1,
		   src);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_sh(&r, "cp -r '%s' '%s'", base, ref);
	cr_assert_eq(r.status, 0);
	{
		char *argv[] = {"ctmatch",   "reparse",	 "--db", (char *)ref,
				"--lexicon", (char *)v2, NULL};
		t0 = mono();
		st = run_argv(argv, dir, -1);
		t = mono() - t0;
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	want = ct_dump_index(ref);
	while (landed < KILLS) {
		char *argv[] = {"ctmatch",   "reparse",	 "--db", (char *)db,
				"--lexicon", (char *)v2, NULL};
		cr_assert_lt(round, 3 * KILLS,
			     "only %d of %d kills landed mid-run (seed %u)",
			     landed, round, seed);
		round++;
		ct_run_sh(&r, "rm -rf '%s' && cp -r '%s' '%s'", db, base, db);
		cr_assert_eq(r.status, 0);
		st = run_argv(argv, dir,
			      t * (double)rand_r(&seed) /
				      ((double)RAND_MAX + 1));
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			landed++;
		st = run_argv(argv, dir, -1);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			  "resumed reparse failed (seed %u)", seed);
		got = ct_dump_index(db);
		cr_assert_str_eq(got, want, "resumed reparse differs (seed %u)",
				 seed);
		free(got);
	}
	free(want);
	ct_run_free(&r);
}

/* Takes meta's counts of trials by version away, as a ctmatch that kept
 * none wrote the index. */
static void drop_counts(const char *path)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi meta;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, dropped = 0;

	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 16), 0);
	cr_assert_eq(mdb_env_open(env, path, 0, 0600), 0);
	cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	cr_assert_eq(mdb_cursor_open(txn, meta, &cur), 0);
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		if ((k.mv_size >= 8 && !memcmp(k.mv_data, "version:", 8)) ||
		    (k.mv_size == 16 &&
		     !memcmp(k.mv_data, "versions_counted", 16))) {
			cr_assert_eq(mdb_cursor_del(cur, 0), 0);
			dropped++;
		}
	}
	mdb_cursor_close(cur);
	cr_assert_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
	cr_assert_eq(dropped, 2, "counts found: %d", dropped);
}

Test(reparse, index_written_before_the_counts_is_counted)
{
	const char *dir = ct_tmpdir(), *v1, *v2;
	const char *db = ct_keep(ct_path(dir, "a.db"));
	const char *ref = ct_keep(ct_path(dir, "b.db"));
	ct_run r = {0};
	char *a, *b;

	write_lexicons(dir, &v1, &v2);
	ct_run_cmd(&r, NULL, "ingest --db '%s' --lexicon '%s' '%s'", db, v1,
		   tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	drop_counts(db);
	/* read by a scan: current for v1, stale for v2 */
	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v1);
	cr_expect_eq(r.status, 0, "%s", r.err);
	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v2);
	cr_expect_eq(r.status, 3, "%s", r.err);
	cr_expect(strstr(r.err, "for 40 trials; run 'ctmatch reparse"), "%s",
		  r.err);
	/* the first write counts them again */
	ct_run_cmd(&r, NULL, "reparse --db '%s' --lexicon '%s'", db, v2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_cmd(&r, NULL, "ingest --db '%s' --lexicon '%s' '%s'", ref, v2,
		   tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	a = ct_dump_index(db);
	b = ct_dump_index(ref);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	ct_run_free(&r);
}

/*
 * Rewrites an index as schema 2 wrote it: match parts and postings under
 * bare NCT numbers (4-byte integers), schema_version 2.
 */
static void to_schema_2(const char *path)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi match, post, meta;
	MDB_cursor *cur;
	MDB_val k, v;
	struct kv {
		uint32_t num;
		char *key; /* post: the posting key; match: NULL */
		size_t klen;
		void *val;
		size_t vlen;
	} *all = NULL;
	size_t n = 0, cap = 0, i;
	unsigned char ver[4] = {2, 0, 0, 0};
	int rc, pass;

	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 16), 0);
	cr_assert_eq(mdb_env_open(env, path, 0, 0600), 0);
	cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	cr_assert_eq(mdb_dbi_open(txn, "match", MDB_INTEGERKEY, &match), 0);
	cr_assert_eq(mdb_dbi_open(txn, "post",
				  MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP,
				  &post), 0);
	cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	for (pass = 0; pass < 2; pass++) {
		cr_assert_eq(mdb_cursor_open(txn, pass ? post : match, &cur), 0);
		while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
			uint64_t key;
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				all = realloc(all, cap * sizeof(*all));
				cr_assert_not_null(all);
			}
			memcpy(&key, pass ? v.mv_data : k.mv_data, 8);
			all[n].num = (uint32_t)key;
			all[n].key = pass ? strndup(k.mv_data, k.mv_size) : NULL;
			all[n].klen = k.mv_size;
			all[n].vlen = pass ? 0 : v.mv_size;
			all[n].val = pass ? NULL : malloc(v.mv_size);
			if (!pass)
				memcpy(all[n].val, v.mv_data, v.mv_size);
			n++;
		}
		cr_assert_eq(rc, MDB_NOTFOUND);
		mdb_cursor_close(cur);
	}
	cr_assert_eq(mdb_drop(txn, match, 0), 0);
	cr_assert_eq(mdb_drop(txn, post, 0), 0);
	for (i = 0; i < n; i++) {
		MDB_val nv = {sizeof all[i].num, &all[i].num};
		if (all[i].key) {
			MDB_val pk = {all[i].klen, all[i].key};
			cr_assert_eq(mdb_put(txn, post, &pk, &nv, 0), 0);
			free(all[i].key);
		} else {
			MDB_val mv = {all[i].vlen, all[i].val};
			cr_assert_eq(mdb_put(txn, match, &nv, &mv, 0), 0);
			free(all[i].val);
		}
	}
	free(all);
	k.mv_data = "schema_version";
	k.mv_size = 14;
	v.mv_data = ver;
	v.mv_size = 4;
	cr_assert_eq(mdb_put(txn, meta, &k, &v, 0), 0);
	cr_assert_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

/*
 * An index of schema 2 (before trial keys) is refused by match, naming
 * reparse; reparse files every trial again, and the index is then the
 * one a fresh ingest writes, byte for byte.
 */
Test(reparse, schema_2_index_brought_up_to_date)
{
	const char *dir = ct_tmpdir(), *v1, *v2;
	const char *db = ct_keep(ct_path(dir, "a.db"));
	const char *ref = ct_keep(ct_path(dir, "b.db"));
	char want[4096];
	ct_run r = {0};
	char *a, *b;

	write_lexicons(dir, &v1, &v2);
	ct_run_cmd(&r, NULL, "ingest --db '%s' --lexicon '%s' '%s'", db, v1,
		   tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	to_schema_2(db);
	snprintf(want, sizeof want,
		 "ctmatch match: %s: the index has schema version 2, this "
		 "ctmatch reads version 3; run 'ctmatch reparse --db %s' to "
		 "bring it up to date\n",
		 db, db);
	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v1);
	cr_expect_eq(r.status, 3);
	cr_expect_str_eq(r.err, want);
	cr_expect_str_eq(r.out, "");

	ct_run_cmd(&r, NULL, "reparse --db '%s' --lexicon '%s'", db, v1);
	cr_assert_eq(r.status, 0, "%s", r.err);
	snprintf(want, sizeof want,
		 "reparse: %s is of an older layout: every trial is filed "
		 "again\nreparse: 40 of 40 trials read again, 0 failed, 0 still "
		 "stale (",
		 db);
	cr_expect(!strncmp(r.err, want, strlen(want)), "%s", r.err);
	ct_run_cmd(&r, NULL, "ingest --db '%s' --lexicon '%s' '%s'", ref, v1,
		   tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	a = ct_dump_index(db);
	b = ct_dump_index(ref);
	cr_expect_str_eq(a, b, "the upgraded index differs from a fresh ingest");
	free(a);
	free(b);
	ct_run_cmd(&r, NULL, "match --db '%s' --lexicon '%s' " PATIENT, db, v1);
	cr_expect_eq(r.status, 0, "%s", r.err);
	ct_run_free(&r);
}
