/*
 * test_copy.c - `ctmatch copy --to DEST` (issue 15): a compacted copy of
 * the index that matches as the index does, owner-only, never over an
 * existing path.
 */
#include "clitest.h"

#include <sys/stat.h>

/* P01-like: KRAS G12C mCRC after FOLFOX; NCT90000001 (a KRAS G12C trial
 * after >= 1 prior line, recruiting) is one of its results (fixtures/trials
 * README). */
#define FLAGS                                                                  \
	"--today 2026-11-26 --format csv --all-statuses --age 61 --sex male "  \
	"--diagnosis 'colon adenocarcinoma' --site liver "                     \
	"--biomarker KRAS:mutated:G12C --prior FOLFOX@1 --ecog 1"

static unsigned mode_of(const char *p)
{
	struct stat st;

	cr_assert_eq(stat(p, &st), 0, "stat %s: %s", p, strerror(errno));
	return st.st_mode & 07777;
}

Test(copy, copy_matches_byte_for_byte_and_is_owner_only)
{
	const char *a = ct_fixture_db();
	const char *b = ct_keep(ct_path(ct_tmpdir(), "b"));
	char *out_a;
	ct_run r = {0};
	char want[PATH_MAX * 2 + 64];

	/* a permissive umask: the modes must not depend on it */
	ct_run_sh(&r, "umask 000 && '%s' copy --db '%s' --to '%s'", tu_ctmatch(),
		  a, b);
	cr_assert_eq(r.status, 0, "copy: exit %d\n%s", r.status, r.err);
	cr_assert_str_empty(r.out);
	snprintf(want, sizeof want, "ctmatch copy: %s (", a);
	cr_assert(!strncmp(r.err, want, strlen(want)), "summary: %s", r.err);
	snprintf(want, sizeof want, " bytes) copied to %s (", b);
	cr_assert_not_null(strstr(r.err, want), "summary: %s", r.err);
	cr_assert_not_null(strstr(r.err, " bytes, compacted) in "), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1,
		     "one line: %s", r.err);
	cr_assert_eq(mode_of(b), 0700);
	cr_assert_eq(mode_of(ct_path(b, "data.mdb")), 0600);

	ct_run_cmd(&r, NULL, "match --db '%s' " FLAGS, a);
	cr_assert_eq(r.status, 0, "match A: exit %d\n%s", r.status, r.err);
	cr_assert_not_null(strstr(r.out, "NCT90000001"), "%s", r.out);
	out_a = strdup(r.out);
	cr_assert_not_null(out_a);
	ct_run_cmd(&r, NULL, "match --db '%s' " FLAGS, b);
	cr_assert_eq(r.status, 0, "match B: exit %d\n%s", r.status, r.err);
	cr_assert_str_eq(r.out, out_a);
	free(out_a);

	/* and a stored trial shows the same */
	ct_run_cmd(&r, NULL, "show --db '%s' NCT90000001", a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	out_a = strdup(r.out);
	cr_assert_not_null(out_a);
	ct_run_cmd(&r, NULL, "show --db '%s' NCT90000001", b);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, out_a);
	free(out_a);
	ct_run_free(&r);
}

/* Exit 3, not 2: the command line is well formed; what is wrong is the
 * state of the file system (as a missing index is 3). */
Test(copy, existing_dest_is_refused_and_left_alone)
{
	const char *a = ct_fixture_db();
	const char *dir = ct_tmpdir();
	const char *b = ct_keep(ct_path(dir, "taken"));
	const char *f = ct_keep(ct_path(dir, "file"));
	char want[PATH_MAX + 128], *text;
	ct_run r = {0};

	ct_mkdirs(b);
	cr_assert_eq(chmod(b, 0755), 0);
	ct_write(ct_path(b, "keep.txt"), "mine\n");
	ct_run_cmd(&r, NULL, "copy --db '%s' --to '%s'", a, b);
	cr_assert_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
	snprintf(want, sizeof want, "ctmatch copy: %s exists; give a new path\n", b);
	cr_assert_str_eq(r.err, want);
	cr_assert_str_empty(r.out);
	cr_assert_eq(mode_of(b), 0755);
	text = tu_read_file(ct_path(b, "keep.txt"), NULL);
	cr_assert_str_eq(text, "mine\n");
	free(text);
	cr_assert_eq(access(ct_path(b, "data.mdb"), F_OK), -1);

	/* a file: the same */
	ct_write(f, "x");
	ct_run_cmd(&r, NULL, "copy --db '%s' --to '%s'", a, f);
	cr_assert_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
	snprintf(want, sizeof want, "ctmatch copy: %s exists; give a new path\n", f);
	cr_assert_str_eq(r.err, want);
	text = tu_read_file(f, NULL);
	cr_assert_str_eq(text, "x");
	free(text);
	ct_run_free(&r);
}

Test(copy, to_is_required)
{
	const char *a = ct_fixture_db();
	ct_run r = {0};
	const char *want = "ctmatch copy: --to DEST is required (a new path for "
			   "the copy)\nusage: ctmatch copy ";

	ct_run_cmd(&r, NULL, "copy --db '%s'", a);
	cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
	cr_assert(!strncmp(r.err, want, strlen(want)), "%s", r.err);
	ct_run_cmd(&r, NULL, "copy --db '%s' --to", a);
	cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
	want = "ctmatch copy: option '--to' needs a value\nusage: ctmatch copy ";
	cr_assert(!strncmp(r.err, want, strlen(want)), "%s", r.err);
	ct_run_free(&r);
}
