/*
 * test_crash.c - the nightly run must always finish (issue 14): `kill -9`
 * at random points of ingest and of batch, then the same command again;
 * the index opens and the final output is byte for byte what an
 * uninterrupted run gives. And batch with 2 and 4 threads on an index
 * whose map starts at 1 MiB, so it grows many times, while an ingest into
 * the same index runs.
 *
 * Inputs are generated from the batch fixtures (no ../shared needed), sized
 * so that each run lasts a fraction of a second. Kill points are drawn
 * between 0 and the length of an uninterrupted run, measured first, so
 * they scale with the build (ASan is slower). The seed is printed on
 * failure. tests/stress/long.sh runs the same with 50 kills each.
 */
#define _GNU_SOURCE
#include "clitest.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#define N_TRIALS 700
#define N_PATIENTS 200
#define N_BATCH_TRIALS 35
#define N_MORE_TRIALS 100
#define KILLS 5
#define TODAY "2026-01-15"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The fixture trials again under new ids NCT9400xxxx (first..first+n). */
static void gen_trials(const char *dir, unsigned first, unsigned n)
{
	char *tmpl[7];
	unsigned i;

	ct_mkdirs(dir);
	for (i = 0; i < 7; i++) {
		char name[64];
		snprintf(name, sizeof name, "batch/trials/NCT9300000%u.xml",
			 i + 1);
		tmpl[i] = tu_read_file(tu_fixture(name), NULL);
		cr_assert_not_null(tmpl[i], "cannot read %s", name);
	}
	for (i = 0; i < n; i++) {
		const char *t = tmpl[i % 7];
		const char *at = strstr(t, "<nct_id>NCT9300000");
		char id[16], name[32], *text;
		size_t len = strlen(t);
		cr_assert_not_null(at);
		snprintf(id, sizeof id, "NCT94%06u", first + i);
		text = strdup(t);
		cr_assert_not_null(text);
		memcpy(text + (at - t) + strlen("<nct_id>"), id, 11);
		snprintf(name, sizeof name, "%s.xml", id);
		cr_assert_eq(tu_write_file(ct_path(dir, name), text, len), 0);
		free(text);
	}
	for (i = 0; i < 7; i++)
		free(tmpl[i]);
}

/* The five fixture profiles again as n patients (NDJSON), ids Q0000... */
static void gen_patients(const char *path, unsigned n)
{
	char *src = tu_read_file(tu_fixture("batch/patients/roster.ndjson"), NULL);
	char *lines[16], *save = NULL, *l;
	size_t n_lines = 0, cap = (size_t)n * 600 + 1, len = 0;
	char *out = malloc(cap);
	unsigned i;

	cr_assert(src && out);
	for (l = strtok_r(src, "\n", &save); l && n_lines < 16;
	     l = strtok_r(NULL, "\n", &save))
		lines[n_lines++] = l;
	cr_assert_gt(n_lines, 0);
	for (i = 0; i < n; i++) {
		const char *line = lines[i % n_lines];
		const char *id = strstr(line, "\"id\": \"");
		int w;
		cr_assert_not_null(id);
		id += strlen("\"id\": \"");
		/* {"id": "Q0000", then the rest after the original id */
		w = snprintf(out + len, cap - len, "{\"id\": \"Q%04u%s\n", i,
			     strchr(id, '"'));
		cr_assert(w > 0 && (size_t)w < cap - len);
		len += (size_t)w;
	}
	cr_assert_eq(tu_write_file(path, out, len), 0);
	free(out);
	free(src);
}

/* Starts ctmatch with argv[] (NULL-ended), stdout and stderr to files. */
static pid_t spawn(char *const argv[], const char *out, const char *err,
		   const char *mapsize)
{
	pid_t pid = fork();

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(127);
		if (mapsize)
			setenv("CTM_INDEX_MAPSIZE", mapsize, 1);
		execv(tu_ctmatch(), argv);
		_exit(127);
	}
	return pid;
}

static int wait_status(pid_t pid)
{
	int st;

	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* Runs argv to the end; asserts exit status 0; returns the seconds taken. */
static double run_ok(char *const argv[], const char *dir, const char *mapsize)
{
	const char *err = ct_path(dir, "run.err");
	double t0 = mono();
	int st = wait_status(spawn(argv, ct_path(dir, "run.out"), err, mapsize));
	char *text;

	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return mono() - t0;
	text = tu_read_file(err, NULL);
	cr_assert_fail("%s %s: status %d, stderr: %s", argv[1], argv[2], st,
		       text ? text : "");
	return 0;
}

/* Starts argv, kills it with SIGKILL after `delay` seconds; true when the
 * kill landed (the process was still running). */
static bool run_killed(char *const argv[], const char *dir, double delay)
{
	struct timespec ts;
	pid_t pid = spawn(argv, ct_path(dir, "kill.out"), ct_path(dir, "kill.err"),
			  NULL);
	int st;

	ts.tv_sec = (time_t)delay;
	ts.tv_nsec = (long)((delay - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
	kill(pid, SIGKILL);
	st = wait_status(pid);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
}

static unsigned seed_of(void)
{
	const char *s = getenv("CTM_CRASH_SEED");

	return s ? (unsigned)strtoul(s, NULL, 10)
		 : (unsigned)time(NULL) ^ (unsigned)getpid();
}

static double draw(unsigned *seed, double max)
{
	return max * (double)rand_r(seed) / ((double)RAND_MAX + 1.0);
}

/* What a test compares: every trial stored, as match --format json shows
 * them for one patient (all statuses, ineligible too, no limit). */
static char *index_view(const char *db)
{
	ct_run r = {0};
	char *v;

	ct_run_cmd(&r, NULL,
		   "match --db '%s' --age 61 --sex male --diagnosis 'colon "
		   "adenocarcinoma' --ecog 1 --all-statuses "
		   "--include-ineligible --limit 0 --format json --today " TODAY,
		   db);
	cr_assert_eq(r.status, 0, "match: %s", r.err);
	v = r.out;
	r.out = NULL;
	ct_run_free(&r);
	return v;
}

static int kills(void)
{
	const char *s = getenv("CTM_CRASH_KILLS");

	return s ? atoi(s) : KILLS;
}

Test(crash, ingest_killed_then_resumed_is_identical, .timeout = 600)
{
	const char *dir = ct_tmpdir(), *src = ct_keep(ct_path(dir, "trials"));
	const char *ref = ct_keep(ct_path(dir, "ref.db"));
	char *ref_view;
	unsigned seed = seed_of(), round = 0;
	int landed = 0, want = kills();
	double t;

	gen_trials(src, 1, N_TRIALS);
	{
		char *argv[] = {"ctmatch", "ingest", "--db", (char *)ref,
				(char *)src, NULL};
		t = run_ok(argv, dir, NULL);
	}
	ref_view = index_view(ref);
	while (landed < want) {
		char name[32];
		const char *db;
		cr_assert_lt(round, (unsigned)want * 3,
			     "only %d of %u kills landed mid-run (seed %u)",
			     landed, round, seed);
		snprintf(name, sizeof name, "k%u.db", round++);
		db = ct_keep(ct_path(dir, name));
		{
			char *argv[] = {"ctmatch", "ingest", "--db", (char *)db,
					(char *)src, NULL};
			char *view;
			ct_run r = {0};
			if (run_killed(argv, dir, draw(&seed, t)))
				landed++;
			/* what the kill left opens (or was never made, or
			 * holds no commit yet) */
			ct_run_cmd(&r, NULL, "stats --db '%s'", db);
			cr_assert(r.status == 0 || strstr(r.err, "no index at") ||
					  strstr(r.err, "(it is empty)") ||
					  strstr(r.err, "(no data.mdb)"),
				  "after a kill (seed %u): %s", seed, r.err);
			ct_run_free(&r);
			run_ok(argv, dir, NULL);
			view = index_view(db);
			cr_assert_str_eq(view, ref_view,
					 "resumed ingest differs (seed %u)",
					 seed);
			free(view);
		}
	}
	free(ref_view);
}

Test(crash, batch_killed_then_resumed_is_identical, .timeout = 600)
{
	const char *dir = ct_tmpdir(), *src = ct_keep(ct_path(dir, "trials"));
	const char *pat = ct_keep(ct_path(dir, "p.ndjson"));
	const char *db = ct_keep(ct_path(dir, "db")),
		   *ref_db = ct_keep(ct_path(dir, "ref.db"));
	const char *ref_out = ct_keep(ct_path(dir, "ref.csv")),
		   *out = ct_keep(ct_path(dir, "out.csv"));
	unsigned seed = seed_of(), round = 0;
	int landed = 0, want = kills();
	char *a, *b;
	double t;

	gen_trials(src, 1, N_BATCH_TRIALS);
	gen_patients(pat, N_PATIENTS);
	{
		char *in1[] = {"ctmatch", "ingest", "--db", (char *)ref_db,
			       (char *)src, NULL};
		char *in2[] = {"ctmatch", "ingest", "--db", (char *)db,
			       (char *)src, NULL};
		run_ok(in1, dir, NULL);
		run_ok(in2, dir, NULL);
	}
	{
		char *argv[] = {"ctmatch", "batch", "--db", (char *)ref_db,
				"--patients", (char *)pat, "--out",
				(char *)ref_out, "--threads", "2", "--limit",
				"0", "--include-ineligible", "--all-statuses",
				"--today", TODAY, NULL};
		t = run_ok(argv, dir, NULL);
	}
	{
		char *argv[] = {"ctmatch", "batch", "--db", (char *)db,
				"--patients", (char *)pat, "--out", (char *)out,
				"--threads", "2", "--limit", "0",
				"--include-ineligible", "--all-statuses",
				"--today", TODAY, NULL};
		/* kill, start again, kill...: one run, resumed each time */
		while (landed < want) {
			ct_run r = {0};
			json_t *st;
			bool landed_now;
			cr_assert_lt(round++, (unsigned)want * 4,
				     "only %d kills landed mid-run (seed %u)",
				     landed, seed);
			landed_now = run_killed(argv, dir, draw(&seed, t));
			ct_run_cmd(&r, NULL, "stats --db '%s' --format json", db);
			cr_assert_eq(r.status, 0, "after a kill (seed %u): %s",
				     seed, r.err);
			st = ct_json(r.out);
			if (!json_is_null(json_object_get(st, "last_batch"))) {
				/* the kill came after the run was finished:
				 * the next one would be a second night. Start
				 * the series again on a fresh index. */
				char *in[] = {"ctmatch", "ingest", "--db",
					      (char *)db, (char *)src, NULL};
				ct_run rm = {0};
				ct_run_sh(&rm, "rm -rf '%s' '%s'", db, out);
				ct_run_free(&rm);
				run_ok(in, dir, NULL);
			} else if (landed_now) {
				landed++;
			}
			json_decref(st);
			ct_run_free(&r);
		}
		run_ok(argv, dir, NULL);
	}
	a = tu_read_file(ref_out, NULL);
	b = tu_read_file(out, NULL);
	cr_assert(a && b);
	cr_assert_gt(strlen(a), 1000);
	cr_assert_str_eq(b, a, "resumed batch output differs (seed %u)", seed);
	free(a);
	free(b);
}

/* Batch on a 1 MiB map with `threads` workers while an ingest grows the
 * same index: both finish (exit 0) and the index opens. */
static void batch_during_ingest(const char *threads)
{
	const char *dir = ct_tmpdir(), *src = ct_keep(ct_path(dir, "t1")),
		   *more = ct_keep(ct_path(dir, "t2"));
	const char *pat = ct_keep(ct_path(dir, "p.ndjson"));
	const char *db = ct_keep(ct_path(dir, "db"));
	const char *out = ct_keep(ct_path(dir, "out.csv"));
	ct_run r = {0};
	pid_t ing;
	int st;
	char *text;

	gen_trials(src, 1, N_BATCH_TRIALS);
	gen_trials(more, 100001, N_MORE_TRIALS);
	gen_patients(pat, N_PATIENTS);
	{
		char *argv[] = {"ctmatch", "ingest", "--db", (char *)db,
				(char *)src, NULL};
		run_ok(argv, dir, "1048576");
	}
	{
		char *ingest[] = {"ctmatch", "ingest", "--db", (char *)db,
				  (char *)more, NULL};
		char *batch[] = {"ctmatch", "batch", "--db", (char *)db,
				 "--patients", (char *)pat, "--out",
				 (char *)out, "--threads", (char *)threads,
				 "--limit", "0", "--include-ineligible",
				 "--all-statuses", "--today", TODAY, NULL};
		ing = spawn(ingest, ct_path(dir, "ingest.out"),
			    ct_path(dir, "ingest.err"), "1048576");
		run_ok(batch, dir, "1048576");
		st = wait_status(ing);
		text = tu_read_file(ct_path(dir, "ingest.err"), NULL);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			  "ingest: status %d: %s", st, text ? text : "");
		free(text);
	}
	ct_run_cmd(&r, NULL, "stats --db '%s' --format json", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_free(&r);
	text = tu_read_file(out, NULL);
	cr_assert_not_null(text);
	/* at least the trials there before the ingest, for every patient */
	cr_assert_geq(ct_count_lines(text, "Q0"), N_PATIENTS * N_BATCH_TRIALS);
	free(text);
}

Test(crash, batch_2_threads_grows_1_mib_map_during_ingest, .timeout = 600)
{
	batch_during_ingest("2");
}

Test(crash, batch_4_threads_grows_1_mib_map_during_ingest, .timeout = 600)
{
	batch_during_ingest("4");
}
