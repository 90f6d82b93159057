/*
 * test_usage.c - errors that say what to do (issue 14): each message by
 * its exact text and exit status; -h on every command; one version; a
 * read-only copy of an index can be queried.
 */
#include "clitest.h"

#include <sys/stat.h>
#include <time.h>

static const char *const commands[] = {"ingest", "show",  "match",      "batch",
				       "export", "stats", "import-run", "reparse", "copy"};

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

Test(usage, mistyped_command_gets_did_you_mean)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "mtach --age 60");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch: unknown command 'mtach': did you "
				"mean 'match'?\n");
	ct_run_cmd(&r, NULL, "frobnicate");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch: unknown command 'frobnicate' (see "
				"ctmatch --help)\n");
	ct_run_free(&r);
}

Test(usage, stats_format_xml_says_why)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "stats --format xml");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch stats: --format must be table or "
				"json, not 'xml'\n");
	ct_run_free(&r);
}

Test(usage, no_index_says_run_ingest)
{
	const char *db = ct_keep(ct_path(ct_tmpdir(), "none.lmdb"));
	char want[PATH_MAX + 128];
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "stats --db '%s'", db);
	cr_assert_eq(r.status, 3);
	snprintf(want, sizeof want,
		 "ctmatch stats: no index at %s: run `ctmatch ingest` first\n",
		 db);
	cr_assert_str_eq(r.err, want);
	ct_run_free(&r);
}

/* An ingest killed before LMDB wrote its meta pages leaves an empty
 * data.mdb; reading it is "empty, run ingest", not EBADF. */
Test(usage, killed_before_the_first_write_reads_as_empty)
{
	const char *db = ct_keep(ct_path(ct_tmpdir(), "killed.lmdb"));
	const char *data = ct_keep(ct_path(db, "data.mdb"));
	char want[PATH_MAX + 128];
	ct_run r = {0};
	FILE *f;

	cr_assert_eq(mkdir(db, 0700), 0);
	f = fopen(data, "w");
	cr_assert_not_null(f);
	fclose(f);
	ct_run_cmd(&r, NULL, "stats --db '%s'", db);
	cr_assert_eq(r.status, 3);
	snprintf(want, sizeof want,
		 "ctmatch stats: %s is not a ctmatch index (it is empty): run "
		 "`ctmatch ingest` first\n",
		 db);
	cr_assert_str_eq(r.err, want);
	ct_run_free(&r);
}

Test(usage, ingest_of_a_missing_path_creates_nothing)
{
	const char *dir = ct_tmpdir();
	const char *db = ct_keep(ct_path(dir, "db"));
	const char *src = ct_keep(ct_path(dir, "no-such-dir"));
	char want[PATH_MAX + 128];
	struct stat st;
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_assert_eq(r.status, 3);
	snprintf(want, sizeof want,
		 "ctmatch ingest: %s: cannot open: No such file or directory\n",
		 src);
	cr_assert_str_eq(r.err, want);
	cr_assert_neq(stat(db, &st), 0, "an index was created");
	ct_run_free(&r);
}

Test(usage, nct_ids_in_any_case)
{
	const char *db = ingested_db();
	ct_run r = {0};
	json_t *a;

	ct_run_cmd(&r, NULL, "show --db '%s' --format json nct93000002 Nct93000005",
		   db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	a = ct_json(r.out);
	cr_assert_eq(json_array_size(a), 2);
	cr_assert_str_eq(ct_jstr(json_array_get(a, 0), "nct_id"), "NCT93000002");
	cr_assert_str_eq(ct_jstr(json_array_get(a, 1), "nct_id"), "NCT93000005");
	json_decref(a);
	ct_run_free(&r);
}

Test(usage, dash_h_on_every_command)
{
	ct_run r = {0};
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char want[64];
		ct_run_cmd(&r, NULL, "%s -h", commands[i]);
		cr_assert_eq(r.status, 0, "%s -h: %s", commands[i], r.err);
		snprintf(want, sizeof want, "usage: ctmatch %s", commands[i]);
		cr_assert_eq(strncmp(r.out, want, strlen(want)), 0,
			     "%s -h printed: %.80s", commands[i], r.out);
		cr_assert_str_eq(r.err, "");
	}
	ct_run_free(&r);
}

/* The version printed is CMake's PROJECT_VERSION, the one place it is. */
Test(usage, version_is_the_project_version)
{
	const char *src = getenv("CTM_SOURCE");
	char path[PATH_MAX], want[64], *cm, *v;
	ct_run r = {0};
	size_t n;

	cr_assert_not_null(src);
	snprintf(path, sizeof path, "%s/CMakeLists.txt", src);
	cm = tu_read_file(path, NULL);
	cr_assert_not_null(cm);
	v = strstr(cm, "project(ctmatch VERSION ");
	cr_assert_not_null(v);
	v += strlen("project(ctmatch VERSION ");
	n = strcspn(v, " )");
	snprintf(want, sizeof want, "ctmatch %.*s\n", (int)n, v);
	ct_run_cmd(&r, NULL, "--version");
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, want);
	free(cm);
	ct_run_free(&r);
}

/* A copy whose lock file cannot be opened for writing (here a directory
 * in its place, which no one, root included, can open so) is read
 * without the lock. */
Test(usage, read_only_copy_can_be_queried)
{
	const char *db = ingested_db();
	const char *lock = ct_keep(ct_path(db, "lock.mdb"));
	ct_run r = {0};

	cr_assert_eq(unlink(lock), 0);
	cr_assert_eq(mkdir(lock, 0500), 0);
	ct_run_cmd(&r, NULL, "show --db '%s' --format json NCT93000001", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "\"nct_id\": \"NCT93000001\""));
	ct_run_cmd(&r, NULL, "stats --db '%s'", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(strncmp(r.out, "trials:               7\n", 24), 0, "%s",
		     r.out);
	ct_run_free(&r);
}

/*
 * Every long option in the code (each `{"name", ..._argument` of a
 * command's option table in cli/<file>.c, the table inside `int
 * cli_<command>(`) is in cli/ctmatch.1 and in `ctmatch <command> --help`
 * (--help itself only in the man page and the top-level help).
 */
Test(usage, every_option_is_in_the_man_page_and_in_help)
{
	static const char *const files[] = {"ingest", "show",  "match", "batch",
					    "stats",  "report", "reparse", "copy"};
	const char *src = getenv("CTM_SOURCE");
	char path[PATH_MAX], *man, *w;
	size_t f, checked = 0;
	ct_run r = {0};

	cr_assert_not_null(src);
	snprintf(path, sizeof path, "%s/cli/ctmatch.1", src);
	man = tu_read_file(path, NULL);
	cr_assert_not_null(man);
	/* the man page as text: \- is -, font escapes gone */
	for (w = man; *w;) {
		if (w[0] == '\\' && w[1] == '-')
			memmove(w, w + 1, strlen(w));
		else if (w[0] == '\\' && w[1] == 'f' && w[2])
			memmove(w, w + 3, strlen(w + 2));
		else
			w++;
	}
	for (f = 0; f < sizeof files / sizeof files[0]; f++) {
		char *code, *p;
		snprintf(path, sizeof path, "%s/cli/%s.c", src, files[f]);
		code = tu_read_file(path, NULL);
		if (!code)
			continue; /* a command without a file of its own */
		for (p = strstr(code, "\nint cli_"); p; p = strstr(p + 1, "\nint cli_")) {
			char cmd[32], *end = strstr(p + 1, "\nint cli_"), *q;
			size_t n = strcspn(p + 9, "(");
			if (n >= sizeof cmd || strncmp(p + 9 + n, "(int argc", 9))
				continue;
			snprintf(cmd, sizeof cmd, "%.*s", (int)n, p + 9);
			if (n > 4 && !strcmp(cmd + n - 4, "_cmd"))
				cmd[n - 4] = '\0'; /* cli_report_cmd */
			ct_run_cmd(&r, NULL, "%s --help", cmd);
			cr_assert_eq(r.status, 0, "%s --help", cmd);
			for (q = strstr(p, "{\""); q && (!end || q < end);
			     q = strstr(q + 1, "{\"")) {
				char opt[64];
				size_t k = strcspn(q + 2, "\"");
				if (k + 3 >= sizeof opt ||
				    !strstr(q, "_argument") ||
				    strchr(q + 2, '\n') < strstr(q, "_argument"))
					continue;
				snprintf(opt, sizeof opt, "--%.*s", (int)k, q + 2);
				cr_assert_not_null(strstr(man, opt),
						   "cli/ctmatch.1 lacks %s %s",
						   cmd, opt);
				if (strcmp(opt, "--help"))
					cr_assert_not_null(strstr(r.out, opt),
							   "%s --help lacks %s",
							   cmd, opt);
				checked++;
			}
		}
		free(code);
	}
	cr_assert_gt(checked, 40, "only %zu options found", checked);
	free(man);
	ct_run_free(&r);
}

Test(usage, bad_number_says_why)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "match --limit -1 --age 60");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch match: --limit: expected a whole "
				"number >= 0, got '-1'\n");
	ct_run_cmd(&r, NULL, "match --limit ten --age 60");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch match: --limit: expected a whole "
				"number >= 0, got 'ten'\n");
	ct_run_cmd(&r, NULL, "batch --patients x --limit -2");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch batch: --limit: expected a whole "
				"number >= 0, got '-2'\n");
	ct_run_cmd(&r, NULL, "batch --patients x --threads 0");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch batch: --threads: expected a whole "
				"number from 1 to 16, got '0'\n");
	ct_run_cmd(&r, NULL, "ingest --threads many x");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch ingest: --threads: expected a whole "
				"number from 1 to 16, got 'many'\n");
	ct_run_cmd(&r, NULL, "report --limit -1");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch report: --limit: expected a whole "
				"number >= 0, got '-1'\n");
	ct_run_free(&r);
}

/* YYYY-MM-DD of t + off seconds, as UTC sees it. */
static void date_at(time_t t, long off, int *y, int *m, int *d)
{
	struct tm tm;

	t += off;
	cr_assert(gmtime_r(&t, &tm));
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

Test(usage, today_is_the_local_date)
{
	const char *db = ingested_db();
	const char *pf = ct_keep(ct_path(ct_tmpdir(), "p.json"));
	time_t now = time(NULL);
	struct tm utc;
	/* a zone a day away from UTC now: 13 h ahead after noon UTC, else
	 * 13 h behind (POSIX TZ "UTC-13" is 13 h ahead) */
	long off;
	int ly, lm, ld, uy, um, ud, age, by, bm, bd;
	char json[256];
	ct_run r = {0};

	cr_assert(gmtime_r(&now, &utc));
	off = utc.tm_hour >= 12 ? 13 * 3600L : -13 * 3600L;
	date_at(now, off, &ly, &lm, &ld);
	date_at(now, 0, &uy, &um, &ud);
	/* born 28 years before the later of the two dates: 28 on the local
	 * date when it is the later one, else 27; the UTC date says the other */
	if (off > 0) {
		by = ly, bm = lm, bd = ld, age = 28;
	} else {
		by = uy, bm = um, bd = ud, age = 27;
	}
	snprintf(json, sizeof json,
		 "{\"id\": \"tz\", \"birth_date\": \"%04d-%02d-%02d\", "
		 "\"age\": %d}\n", by - 28, bm, bd, age);
	ct_write(pf, json);
	ct_run_sh(&r, "TZ=%s '%s' match --db '%s' --patient '%s' --format json",
		  off > 0 ? "UTC-13" : "UTC+13", tu_ctmatch(), db, pf);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
	ct_run_free(&r);
}

Test(usage, mistyped_option_gets_did_you_mean)
{
	static const struct {
		const char *args, *err;
	} cases[] = {
		{"match --patinet x", "ctmatch match: unknown option "
				      "'--patinet'; did you mean '--patient'?\n"},
		{"batch --patinets x", "ctmatch batch: unknown option "
				       "'--patinets'; did you mean '--patients'?\n"},
		{"ingest --lexcon x y", "ctmatch ingest: unknown option "
					"'--lexcon'; did you mean '--lexicon'?\n"},
		{"show --fromat json NCT00000001",
		 "ctmatch show: unknown option '--fromat'; did you mean "
		 "'--format'?\n"},
		{"stats --fromat=json", "ctmatch stats: unknown option "
					"'--fromat'; did you mean '--format'?\n"},
		{"export --patinet P1", "ctmatch export: unknown option "
					"'--patinet'; did you mean '--patient'?\n"},
		{"report --limt 3", "ctmatch report: unknown option '--limt'; "
				    "did you mean '--limit'?\n"},
	};
	const char *want;
	ct_run r = {0};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ct_run_cmd(&r, NULL, "%s", cases[i].args);
		cr_assert_eq(r.status, 2, "%s: %d", cases[i].args, r.status);
		cr_assert_str_eq(r.err, cases[i].err, "%s", cases[i].args);
		cr_assert_str_eq(r.out, "");
	}
	/* no near name: the usage follows the message */
	ct_run_cmd(&r, NULL, "stats --bogus");
	cr_assert_eq(r.status, 2);
	want = "ctmatch stats: unknown option '--bogus'\nusage: ctmatch stats ";
	cr_assert(!strncmp(r.err, want, strlen(want)), "%s", r.err);
	ct_run_cmd(&r, NULL, "match --limit");
	cr_assert_eq(r.status, 2);
	want = "ctmatch match: option '--limit' needs a value\nusage: ctmatch "
	       "match ";
	cr_assert(!strncmp(r.err, want, strlen(want)), "%s", r.err);
	ct_run_free(&r);
}

Test(usage, match_on_an_empty_index_warns_and_exits_1)
{
	const char *dir = ct_tmpdir();
	const char *db = ct_keep(ct_path(dir, "empty.lmdb"));
	const char *src = ct_keep(ct_path(dir, "none"));
	char want[PATH_MAX + 128];
	ct_run r = {0};

	cr_assert_eq(mkdir(src, 0700), 0);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_run_cmd(&r, NULL, "match --db '%s' --age 60", db);
	cr_assert_eq(r.status, 1, "%s", r.err);
	snprintf(want, sizeof want,
		 "ctmatch match: warning: the index %s holds no trials: run "
		 "`ctmatch ingest` first\n", db);
	cr_assert_str_eq(r.err, want);
	cr_assert_str_eq(r.out, "");
	ct_run_free(&r);
}
