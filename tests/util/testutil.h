/* testutil.h - helpers shared by the Criterion tests. */
#ifndef CTM_TESTUTIL_H
#define CTM_TESTUTIL_H

#include <stddef.h>

/* $CTM_FIXTURES (the project's fixtures/ folder) joined with rel; static buffer. */
const char *tu_fixture(const char *rel);
/* $CTM_SHARED joined with rel, or NULL when ../shared is absent. */
const char *tu_shared(const char *rel);
/*
 * Declares `const char *var` = the shared path, or skips the current test
 * with a message saying what is not checked when ../shared is absent.
 */
#define TU_REQUIRE_SHARED(var, rel)                                            \
	const char *var = tu_shared(rel);                                      \
	if (!var) {                                                            \
		cr_skip_test("../shared/%s is absent: not checked", rel);      \
		return;                                                        \
	}
/* The ctmatch binary under test ($CTMATCH_BIN). */
const char *tu_ctmatch(void);
/* A fresh private temporary directory, removed when the test process exits;
 * the string stays valid until then. */
char *tu_tmpdir(void);
/* Reads a whole file (malloc'd, NUL-terminated); *len may be NULL. NULL on error. */
char *tu_read_file(const char *path, size_t *len);
/* Writes a file; returns 0 on success. */
int tu_write_file(const char *path, const char *data, size_t len);

/*
 * Runs a shell command line with optional stdin text, capturing stdout and
 * stderr (malloc'd, caller frees). Returns the exit status (or -1).
 */
int tu_run(const char *cmdline, const char *stdin_text, char **out, char **err);

#endif
