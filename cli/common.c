/* common.c - helpers the ctmatch commands share. */
#include "cli_common.h"

#include <getopt.h>
#include <stdlib.h>
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
		cli_report(cmd, &err);
		return CTM_EXIT_IO;
	}
	return CTM_EXIT_OK;
}

void cli_getopt_reset(void)
{
	optind = 0; /* glibc: 0 re-initialises getopt completely */
	opterr = 1;
}

bool cli_progress_wanted(void)
{
	return isatty(STDERR_FILENO) == 1;
}
