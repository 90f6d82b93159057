/* common.c - helpers the ctmatch commands share. */
#include "cli_common.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cli_db_path(const char *opt)
{
	const char *env;

	if (opt && *opt)
		return opt;
	env = getenv("CTMATCH_DB");
	if (env && *env)
		return env;
	return "./ctmatch.lmdb";
}

void cli_report(const char *cmd, const ctm_error *err)
{
	char buf[CTM_ERROR_MSG_MAX + CTM_ERROR_FILE_MAX + 128];

	fprintf(stderr, "ctmatch %s: %s\n", cmd,
		ctm_error_format(err, buf, sizeof(buf)));
}

ctm_lexicon *cli_lexicon(const char *cmd, char **files, size_t n_files)
{
	ctm_lexicon *lx;
	ctm_error err;
	size_t i;

	ctm_error_clear(&err);
	if (ctm_lexicon_new(&lx, &err) != 0) {
		cli_report(cmd, &err);
		return NULL;
	}
	for (i = 0; i < n_files; i++) {
		if (ctm_lexicon_load_file(lx, files[i], &err) != 0) {
			cli_report(cmd, &err);
			ctm_lexicon_free(lx);
			return NULL;
		}
	}
	return lx;
}

int cli_index_open(const char *cmd, const char *path, unsigned flags,
		   ctm_index **out)
{
	ctm_error err;

	ctm_error_clear(&err);
	if (ctm_index_open(out, path, flags, &err) != 0) {
		if (err.code == CTM_ENOTFOUND) /* none there, or nothing in it */
			fprintf(stderr, "ctmatch %s: %s: run `ctmatch ingest` first\n",
				cmd, err.message);
		else
			cli_report(cmd, &err);
		return CTM_EXIT_IO;
	}
	return CTM_EXIT_OK;
}

/* n with a comma between thousands ("1,234"). */
static void thousands(char *buf, size_t size, size_t n)
{
	char digits[32];
	size_t len, i, o = 0;

	len = (size_t)snprintf(digits, sizeof digits, "%zu", n);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

int cli_index_current(const char *cmd, ctm_index *idx, const char *path,
		      const ctm_lexicon *lx, char **lexfiles, size_t n_lex)
{
	ctm_error err;
	size_t stale = 0, i;
	char n[32];

	ctm_error_clear(&err);
	if (ctm_index_stale_count(idx, ctm_criteria_current_version(lx),
				  &stale, NULL, &err) != 0) {
		cli_report(cmd, &err);
		return CTM_EXIT_IO;
	}
	if (!stale)
		return CTM_EXIT_OK;
	thousands(n, sizeof n, stale);
	fprintf(stderr,
		"ctmatch: the index %s holds criteria read by an older parser "
		"or lexicon for %s trial%s; run 'ctmatch reparse --db %s",
		path, n, stale == 1 ? "" : "s", path);
	for (i = 0; i < n_lex; i++)
		fprintf(stderr, " --lexicon %s", lexfiles[i]);
	fprintf(stderr, "'\n");
	return CTM_EXIT_IO;
}

int cli_number_arg(const char *cmd, const char *opt, const char *s, long min,
		   long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		if (max == LONG_MAX)
			fprintf(stderr, "ctmatch %s: %s: expected a whole number "
					">= %ld, got '%s'\n", cmd, opt, min, s);
		else
			fprintf(stderr, "ctmatch %s: %s: expected a whole number "
					"from %ld to %ld, got '%s'\n",
				cmd, opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

void cli_getopt_reset(void)
{
	optind = 0; /* glibc: 0 re-initialises getopt completely */
	opterr = 0; /* cli_bad_option says what was wrong */
}

bool cli_bad_option(const char *cmd, int c, char **argv,
		    const struct option *opts)
{
	const char *names[64], *arg, *guess;
	char word[64];
	size_t n = 0, len;

	if (c == '?' && optopt) { /* a short option: only -h is one (cli.c) */
		fprintf(stderr, "ctmatch %s: unknown option '-%c'\n", cmd,
			optopt);
		return false;
	}
	arg = optind > 0 ? argv[optind - 1] : "";
	len = strcspn(arg, "=");
	if (c == ':') {
		fprintf(stderr, "ctmatch %s: option '%.*s' needs a value\n",
			cmd, (int)len, arg);
		return false;
	}
	while (opts[n].name && n < sizeof(names) / sizeof(names[0])) {
		names[n] = opts[n].name;
		n++;
	}
	guess = NULL;
	if (!strncmp(arg, "--", 2) && len - 2 < sizeof(word)) {
		memcpy(word, arg + 2, len - 2);
		word[len - 2] = '\0';
		guess = ctm_nearest_word(word, names, n);
	}
	if (guess) {
		fprintf(stderr, "ctmatch %s: unknown option '%.*s'; did you "
				"mean '--%s'?\n", cmd, (int)len, arg, guess);
		return true;
	}
	fprintf(stderr, "ctmatch %s: unknown option '%.*s'\n", cmd, (int)len,
		arg);
	return false;
}

bool cli_progress_wanted(void)
{
	return isatty(STDERR_FILENO) == 1;
}

int cli_diagnoses_new(const char *cmd, const ctm_lexicon *lx,
		      cli_diagnoses *out)
{
	ctm_error err;

	ctm_error_clear(&err);
	out->parser = NULL;
	out->ctx = NULL;
	if (ctm_criteria_parser_new(&out->parser, lx, &err) != 0) {
		cli_report(cmd, &err);
		return -1;
	}
	if (ctm_criteria_ctx_new(&out->ctx, out->parser) != 0) {
		fprintf(stderr, "ctmatch %s: out of memory\n", cmd);
		cli_diagnoses_free(out);
		return -1;
	}
	return 0;
}

void cli_diagnoses_free(cli_diagnoses *d)
{
	ctm_criteria_ctx_free(d->ctx);
	ctm_criteria_parser_free(d->parser);
	d->ctx = NULL;
	d->parser = NULL;
}

unsigned cli_profile_flags(bool show_values)
{
	return show_values || isatty(STDERR_FILENO) == 1
		       ? CTM_PROFILE_SHOW_VALUES
		       : 0;
}

FILE *cli_create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	/* open's mode is cut by the umask and leaves an old file's mode: a
	 * regular file is made exactly 0600 (not a device or a pipe) */
	if (fstat(fd, &st) != 0 ||
	    (S_ISREG(st.st_mode) && fchmod(fd, 0600) != 0)) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

bool cli_lexicon_arg(const char *cmd, char **files, size_t *n, char *arg)
{
	if (*n == CLI_MAX_LEXICONS) {
		fprintf(stderr, "ctmatch %s: at most %d --lexicon files\n", cmd,
			CLI_MAX_LEXICONS);
		return true;
	}
	files[(*n)++] = arg;
	return false;
}
