/*
 * clitest_mb.h - what the end-to-end tests of `match`, `batch`, `export`
 * and the CSV output share (tests/cli/test_match.c, test_batch.c,
 * test_export.c, test_csv.c), on top of clitest.h: indexes built from
 * fixtures/batch/, copies of an index directory, background runs of the
 * binary, generated rosters, and reading CSV/NDJSON output line by line.
 *
 * The fixtures and the results expected from them are described in
 * fixtures/batch/README.md.
 */
#ifndef CTM_CLITEST_MB_H
#define CTM_CLITEST_MB_H

#include "clitest.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

/* Every command runs on a fixed date, so ages and results do not drift. */
#define MB_TODAY "--today 2026-11-26"

/* The CSV header of spec/cli.md, with its line feed. */
#define MB_CSV_HEADER                                                          \
	"patient_id,rank,nct_id,verdict,score,title,phase,overall_status,met," \
	"unknown,to_check,reasons,site,last_update,change,review,url,"          \
	"warnings,previous_verdict,previous_rank,drop_reason\n"

/* fixtures/batch/<rel>, kept for the whole test. */
CT_UNUSED static const char *mb_fx(const char *rel)
{
	char b[PATH_MAX];

	snprintf(b, sizeof b, "batch/%s", rel);
	return ct_keep(tu_fixture(b));
}

/*
 * A new index holding the records of the given fixtures/batch/ folders
 * (NULL-terminated list); asserts that ingest accepted all of them.
 */
CT_UNUSED static const char *mb_index(const char *first, ...)
{
	const char *db = ct_new_db();
	char args[8192];
	size_t len = 0;
	const char *d;
	va_list ap;
	ct_run r = {0};

	va_start(ap, first);
	for (d = first; d; d = va_arg(ap, const char *)) {
		int n = snprintf(args + len, sizeof args - len, " '%s'",
				 mb_fx(d));
		cr_assert(n > 0 && (size_t)n < sizeof args - len);
		len += (size_t)n;
	}
	va_end(ap);
	ct_run_cmd(&r, NULL, "ingest --db '%s'%s", db, args);
	cr_assert_eq(r.status, 0, "ingest failed (%d):\n%s", r.status, r.err);
	ct_run_free(&r);
	return db;
}

/* Copies the regular files of directory src into a new directory dst. */
CT_UNUSED static void mb_copy_dir(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	struct dirent *e;

	cr_assert(d, "cannot list %s", src);
	ct_mkdirs(dst);
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		char from[PATH_MAX], to[PATH_MAX];

		snprintf(from, sizeof from, "%s/%s", src, e->d_name);
		snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
		if (stat(from, &st) == 0 && S_ISREG(st.st_mode))
			ct_copy(from, to);
	}
	closedir(d);
}

/* A copy of the index db in a fresh temporary directory, kept. */
CT_UNUSED static const char *mb_copy_db(const char *db)
{
	const char *to = ct_new_db();

	mb_copy_dir(db, to);
	return to;
}

/* Reads a whole file into a NUL-terminated malloc'd buffer (asserts). */
CT_UNUSED static char *mb_read(const char *path)
{
	char *s = tu_read_file(path, NULL);

	cr_assert(s, "cannot read %s", path);
	ct_anchor[2] = s;
	return s;
}

CT_UNUSED static long long mb_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* ---- the binary in the background ---- */

/*
 * Starts "'<ctmatch>' ARGS" (printf-formatted, quoted by the caller) with
 * stdout and stderr into files; returns the pid of ctmatch itself (the
 * shell execs it).
 */
CT_UNUSED static pid_t mb_spawn(const char *out_path, const char *err_path,
				const char *fmt, ...)
{
	char args[8192], cmd[12288];
	va_list ap;
	pid_t pid;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	cr_assert(n > 0 && (size_t)n < sizeof args);
	n = snprintf(cmd, sizeof cmd, "exec '%s' %s </dev/null >'%s' 2>'%s'",
		     tu_ctmatch(), args, out_path, err_path);
	cr_assert(n > 0 && (size_t)n < sizeof cmd);
	fflush(NULL);
	pid = fork();
	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Waits for pid; its exit status, or 128 + signal. */
CT_UNUSED static int mb_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		cr_assert_eq(errno, EINTR, "waitpid: %s", strerror(errno));
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* True while pid has not exited (it is not reaped). */
CT_UNUSED static bool mb_alive(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof si);
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
		return false;
	return si.si_pid == 0;
}

CT_UNUSED static void mb_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* ---- generated rosters ---- */

/*
 * n profiles, ids G001 upward, as NDJSON: a deterministic mix of ECOG
 * (0-2 or absent), KRAS (G12C, wild-type or absent), prior therapy
 * (FOLFOX, cetuximab, none or absent), sex and location, so that every
 * fixture trial of fixtures/batch/trials is met by some and failed by
 * others.
 */
CT_UNUSED static void mb_gen_roster(const char *path, int n)
{
	static const char *kras[] = {
		"\"biomarkers\": [{\"name\": \"KRAS\", \"status\": "
		"\"mutated\", "
		"\"variant\": \"G12C\"}], ",
		"\"biomarkers\": [{\"name\": \"KRAS\", \"status\": "
		"\"wild-type\"}], ",
		"",
	};
	static const char *prior[] = {
		"\"prior_therapies\": [{\"name\": \"FOLFOX\", \"line\": 1}], ",
		"\"prior_therapies\": [{\"name\": \"cetuximab\", \"line\": "
		"1}], ",
		"\"prior_therapies\": [], ",
		"",
	};
	static const char *where[] = {
		"\"location\": {\"country\": \"United States\", \"state\": "
		"\"Illinois\"}",
		"\"location\": {\"country\": \"United States\", \"state\": "
		"\"Texas\"}",
		"\"location\": {\"country\": \"France\"}",
		"\"location\": {\"country\": \"Japan\"}",
		"\"location\": {}",
	};
	FILE *f = fopen(path, "w");
	int i;

	cr_assert(f, "cannot write %s", path);
	for (i = 1; i <= n; i++) {
		char ecog[32] = "";

		if (i % 4 != 3)
			snprintf(ecog, sizeof ecog, "\"ecog\": %d, ", i % 3);
		fprintf(f,
			"{\"id\": \"G%03d\", \"age\": %d, \"sex\": \"%s\", "
			"\"diagnosis\": \"colon adenocarcinoma\", %s%s%s%s}\n",
			i, 30 + (i * 7) % 50, i % 2 ? "male" : "female", ecog,
			kras[i % 3], prior[(i / 3) % 4], where[i % 5]);
	}
	cr_assert_eq(fclose(f), 0);
}

/* ---- the three-night scenario of fixtures/batch/README.md ---- */

/* A writable copy of fixtures/batch/patients/roster.ndjson in dir. */
CT_UNUSED static const char *mb_roster_copy(const char *dir)
{
	const char *to = ct_keep(ct_path(dir, "roster.ndjson"));

	ct_copy(mb_fx("patients/roster.ndjson"), to);
	return to;
}

/*
 * Between two nights: a newer NCT93000002 (ECOG 0 and measurable disease
 * now required) and NCT93000006 (now Completed) are ingested, and A04's
 * ECOG goes from 2 to 1 in the roster (unless roster is NULL).
 */
CT_UNUSED static void mb_next_night(const char *db, const char *roster)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   mb_fx("trials-update"));
	cr_assert_eq(r.status, 0, "ingest of the updates failed:\n%s", r.err);
	ct_assert_counts(&r, 0, 2, 0, 0);
	if (roster)
		ct_copy_edit(roster, roster, "\"ecog\": 2", "\"ecog\": 1",
			     NULL);
	ct_run_free(&r);
}

/*
 * Runs `batch` (CSV into out) with extra options; asserts the exit status
 * and returns the output file's contents (malloc'd). One worker thread
 * unless `more` says --threads: only the test about threads should depend
 * on how workers are scheduled.
 */
CT_UNUSED static char *mb_batch(ct_run *r, const char *db, const char *roster,
				const char *out, const char *more, int want)
{
	if (!more)
		more = "";
	ct_run_cmd(r, NULL,
		   "batch --db '%s' " MB_TODAY
		   " --patients '%s' --out '%s' %s%s",
		   db, roster, out,
		   strstr(more, "--threads") ? "" : "--threads 1 ", more);
	cr_assert_eq(r->status, want, "batch %s: exit %d, want %d\n%s", more,
		     r->status, want, r->err);
	return mb_read(out);
}

/* ---- reading output ---- */

/* Number of '\n'-terminated lines. */
CT_UNUSED static size_t mb_nlines(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/*
 * The lines of text that do not contain `drop` (all when NULL), kept in
 * order, as one malloc'd string.
 */
CT_UNUSED static char *mb_lines_without(const char *text, const char *drop)
{
	size_t n = strlen(text), k = 0;
	char *out = malloc(n + 1);
	const char *p = text;

	cr_assert(out);
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) + 1 : strlen(p);
		bool skip = false;

		if (drop) {
			const char *h = strstr(p, drop);
			skip = h && h < p + l;
		}
		if (!skip) {
			memcpy(out + k, p, l);
			k += l;
		}
		p += l;
	}
	out[k] = '\0';
	return out;
}

/* UTF-8 characters in s[0..n) (continuation bytes are not counted). */
CT_UNUSED static size_t mb_utf8_len(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* The `results` array of a match document (asserts it is there). */
CT_UNUSED static json_t *mb_results(json_t *doc)
{
	json_t *a = json_object_get(doc, "results");

	cr_assert(json_is_array(a), "no results array");
	return a;
}

/* The nct_ids of a results array joined by spaces (static buffer). */
CT_UNUSED static const char *mb_ids(json_t *results)
{
	static char buf[4096];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < json_array_size(results); i++) {
		const char *id = json_string_value(
			json_object_get(json_array_get(results, i), "nct_id"));
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
					i ? " " : "", id ? id : "?");
		if (len >= sizeof buf)
			break;
	}
	return buf;
}

/* The result for nct in a results array, or NULL. */
CT_UNUSED static json_t *mb_result(json_t *results, const char *nct)
{
	size_t i;

	for (i = 0; i < json_array_size(results); i++) {
		json_t *r = json_array_get(results, i);
		const char *id =
			json_string_value(json_object_get(r, "nct_id"));
		if (id && !strcmp(id, nct))
			return r;
	}
	return NULL;
}

#endif
