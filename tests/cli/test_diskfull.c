/*
 * test_diskfull.c - a write the disk cannot take (issue 14): the error says
 * what happened and what the index needed, nothing of the write is kept,
 * and the index opens afterwards with the data it had.
 *
 * Both failures are real, not simulated:
 * - a full device: a 256 KiB tmpfs mounted in a private mount namespace
 *   (`unshare -rm`: a user namespace where that is allowed, so no
 *   privilege is needed and nothing is mounted outside the test). Where
 *   the container refuses it, the test skips and says so.
 * - the process's file size limit (RLIMIT_FSIZE through prlimit(1),
 *   SIGXFSZ ignored): the kernel cuts the write at the limit; no privilege
 *   needed anywhere.
 *
 * The small index (fixtures/batch/trials, 7 trials) takes 13 pages; the
 * second ingest (fixtures/trials, 40 more) needs some 80: it cannot fit.
 */
#include "clitest.h"

/* The value after "key " on its own line of out, or -1. */
static long long field_of(const char *out, const char *key)
{
	const char *p = out;
	size_t klen = strlen(key);

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* The first line of s (for messages). */
static const char *first_line(const char *s, char *buf, size_t size)
{
	snprintf(buf, size, "%.*s", (int)strcspn(s, "\n"), s);
	return buf;
}

Test(diskfull, a_full_device_is_named_and_the_index_keeps_its_data)
{
	const char *tmp = ct_tmpdir();
	const char *mnt = ct_keep(ct_path(tmp, "mnt"));
	const char *script = ct_keep(ct_path(tmp, "full.sh"));
	const char *errf = ct_keep(ct_path(tmp, "err"));
	const char *outf = ct_keep(ct_path(tmp, "again"));
	char db[PATH_MAX], want[PATH_MAX + 512], line[512];
	long long size, avail, bsize;
	ct_run r = {0};
	char *err, *again;

	cr_assert_eq(mkdir(mnt, 0700), 0, "%s", strerror(errno));
	snprintf(db, sizeof db, "%s/db", mnt);
	/* $1 the mount point, $2 ctmatch, $3 the small set, $4 the large
	 * one, $5 stderr of the failing ingest, $6 of the one after */
	ct_write(script,
		 "mount -t tmpfs -o size=256k tmpfs \"$1\" 2>&1 || "
		 "{ echo MOUNT-REFUSED; exit 0; }\n"
		 "\"$2\" ingest --db \"$1/db\" \"$3\" >/dev/null 2>&1 || "
		 "{ echo FIRST-INGEST-FAILED; exit 0; }\n"
		 "\"$2\" ingest --db \"$1/db\" \"$4\" >/dev/null 2>\"$5\"\n"
		 "echo \"status $?\"\n"
		 "echo \"size $(stat -c %s \"$1/db/data.mdb\")\"\n"
		 "echo \"avail $(stat -f -c %a \"$1\")\"\n"
		 "echo \"bsize $(stat -f -c %S \"$1\")\"\n"
		 "\"$2\" stats --db \"$1/db\" | head -n 1\n"
		 "\"$2\" ingest --db \"$1/db\" \"$3\" >/dev/null 2>\"$6\"\n"
		 "echo \"again $?\"\n");
	ct_run_sh(&r, "unshare -rm sh '%s' '%s' '%s' '%s' '%s' '%s' '%s'",
		  script, mnt, tu_ctmatch(), tu_fixture("batch/trials"),
		  tu_fixture("trials"), errf, outf);
	/* refused: the mount, or the namespace (no line of the script) */
	if (strstr(r.out, "MOUNT-REFUSED") ||
	    (field_of(r.out, "status") < 0 &&
	     !strstr(r.out, "FIRST-INGEST-FAILED"))) {
		char msg[1024];
		snprintf(msg, sizeof msg,
			 "cannot mount a small tmpfs in a private namespace "
			 "here (%s%s): the full-device test is not run",
			 first_line(r.out, line, sizeof line),
			 first_line(r.err, line + 256, 256));
		ct_run_free(&r);
		cr_skip_test("%s", msg);
	}
	cr_assert_null(strstr(r.out, "FIRST-INGEST-FAILED"), "%s", r.out);
	/* exit 3: the index could not be written */
	cr_assert_eq(field_of(r.out, "status"), 3, "%s", r.out);
	size = field_of(r.out, "size");
	avail = field_of(r.out, "avail");
	bsize = field_of(r.out, "bsize");
	cr_assert(size > 0 && avail >= 0 && bsize > 0, "%s", r.out);
	err = tu_read_file(errf, NULL);
	cr_assert_not_null(err);
	snprintf(
		want, sizeof want,
		"ctmatch ingest: %s: no space left on the device holding the "
		"index: its data file is %.1f MiB and needed to grow, %.1f MiB "
		"free; nothing of this write was kept\n",
		db, (double)size / 1048576.0,
		(double)avail * (double)bsize / 1048576.0);
	/* the message, then ingest's summary line */
	cr_expect_eq(strncmp(err, want, strlen(want)), 0,
		     "got:\n%s\nwanted:\n%s", err, want);
	free(err);
	/* the index opens with the trials it had, and they are unchanged */
	cr_expect(strstr(r.out, "trials:               7\n"), "%s", r.out);
	cr_expect_eq(field_of(r.out, "again"), 0, "%s", r.out);
	again = tu_read_file(outf, NULL);
	cr_assert_not_null(again);
	cr_expect(strstr(again, "added 0, updated 0, unchanged 7, rejected 0"),
		  "%s", again);
	free(again);
	ct_run_free(&r);
}

Test(diskfull, the_file_size_limit_is_named_and_the_index_keeps_its_data)
{
	const char *db = ct_new_db();
	ct_run r = {0};
	char want[PATH_MAX + 512];

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   tu_fixture("batch/trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* 204800 bytes (prlimit(1) counts bytes; a shell's ulimit -f counts
	 * blocks of a size that depends on the shell); an ignored SIGXFSZ
	 * stays ignored across exec, so the write is cut short instead */
	ct_run_sh(&r,
		  "trap '' XFSZ; prlimit --fsize=204800 '%s' ingest --db "
		  "'%s' '%s'",
		  tu_ctmatch(), db, tu_fixture("trials"));
	cr_assert_eq(r.status, 3, "%d: %s", r.status, r.err);
	snprintf(want, sizeof want,
		 "ctmatch ingest: %s: the index's data file reached the file "
		 "size limit of this process (ulimit -f: 0.2 MiB): it is 0.2 "
		 "MiB and needed to grow; nothing of this write was kept\n",
		 db);
	cr_expect_eq(strncmp(r.err, want, strlen(want)), 0,
		     "got:\n%s\nwanted:\n%s", r.err, want);
	ct_run_cmd(&r, NULL, "stats --db '%s'", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(!strncmp(r.out, "trials:               7\n", 24), "%s",
		  r.out);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   tu_fixture("batch/trials"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "added 0, updated 0, unchanged 7, rejected 0"),
		  "%s", r.err);
	ct_run_free(&r);
}
