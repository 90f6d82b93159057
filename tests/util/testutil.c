/* testutil.c - helpers shared by the Criterion tests. */
#define _GNU_SOURCE
#include "testutil.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char pathbuf[8][PATH_MAX];
static int pathnext;

static char *nextbuf(void)
{
	char *b = pathbuf[pathnext];
	pathnext = (pathnext + 1) % 8;
	return b;
}

const char *tu_fixture(const char *rel)
{
	const char *base = getenv("CTM_FIXTURES");
	char *b = nextbuf();
	snprintf(b, PATH_MAX, "%s/%s", base ? base : "fixtures", rel);
	return b;
}

const char *tu_shared(const char *rel)
{
	const char *base = getenv("CTM_SHARED");
	struct stat st;
	char *b = nextbuf();

	if (!base || stat(base, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	snprintf(b, PATH_MAX, "%s/%s", base, rel);
	if (stat(b, &st) != 0)
		return NULL;
	return b;
}

const char *tu_ctmatch(void)
{
	const char *b = getenv("CTMATCH_BIN");
	return b ? b : "ctmatch";
}

static char *made[256];
static size_t n_made;
static pid_t made_by;

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes the directories this process made (Criterion runs each test in
 * its own process, which exits when the test ends). */
static void rm_made(void)
{
	size_t i;

	if (getpid() != made_by)
		return;
	for (i = 0; i < n_made; i++) {
		nftw(made[i], rm_one, 16, FTW_DEPTH | FTW_PHYS);
		free(made[i]);
	}
	n_made = 0;
}

char *tu_tmpdir(void)
{
	char *b = nextbuf();
	const char *base = getenv("TMPDIR");
	snprintf(b, PATH_MAX, "%s/ctm-test-XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(b))
		return NULL;
	if (made_by != getpid()) {
		n_made = 0; /* a forked child: the parent's list is not ours */
		made_by = getpid();
		atexit(rm_made);
	}
	if (n_made < sizeof(made) / sizeof(made[0])) {
		made[n_made] = strdup(b);
		if (made[n_made])
			return made[n_made++]; /* stable until the process exits */
	}
	return b;
}

char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			char *nb = realloc(buf, cap = cap * 2 + 65536 + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int tu_write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f)
		return -1;
	rc = fwrite(data, 1, len, f) == len ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

int tu_run(const char *cmdline, const char *stdin_text, char **out, char **err)
{
	char *dir = tu_tmpdir();
	char in_p[PATH_MAX], out_p[PATH_MAX], err_p[PATH_MAX];
	char *cmd;
	int st;
	size_t need;

	if (!dir)
		return -1;
	snprintf(in_p, sizeof in_p, "%s/in", dir);
	snprintf(out_p, sizeof out_p, "%s/out", dir);
	snprintf(err_p, sizeof err_p, "%s/err", dir);
	if (tu_write_file(in_p, stdin_text ? stdin_text : "",
			  stdin_text ? strlen(stdin_text) : 0) != 0)
		return -1;
	need = strlen(cmdline) + 3 * PATH_MAX + 32;
	cmd = malloc(need);
	if (!cmd)
		return -1;
	snprintf(cmd, need, "(%s) <'%s' >'%s' 2>'%s'", cmdline, in_p, out_p,
		 err_p);
	st = system(cmd);
	free(cmd);
	if (out)
		*out = tu_read_file(out_p, NULL);
	if (err)
		*err = tu_read_file(err_p, NULL);
	unlink(in_p);
	unlink(out_p);
	unlink(err_p);
	rmdir(dir);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}
