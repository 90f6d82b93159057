/* cli.c - ctmatch's command dispatcher. */
#include "cli_common.h"

#include <stdio.h>
#include <string.h>

/* The one version: CMake's PROJECT_VERSION (cli/CMakeLists.txt). */
#ifndef CTM_VERSION
#error "CTM_VERSION comes from CMake's PROJECT_VERSION"
#endif

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command;

static const command commands[] = {
	{"ingest", cli_ingest, "parse trial records and upsert them into the index"},
	{"reparse", cli_reparse, "read the stored criteria again with today's parser and lexicon"},
	{"show", cli_show, "show stored trials with their parsed criteria"},
	{"profile", cli_profile, "the profile ctmatch reads from a patient file"},
	{"match", cli_match, "rank the trials one patient could join"},
	{"batch", cli_batch, "the nightly run over a roster, with what changed"},
	{"export", cli_export, "the stored lists of the last batch run as CSV"},
	{"import-run", cli_import_run, "bring shard runs made on copies of the index into it"},
	{"report", cli_report_cmd, "the coordinator's HTML report of the last run or a patient"},
	{"copy", cli_copy, "write a compacted copy of the index (faster matches, shards)"},
	{"stats", cli_stats, "counts: trials by status and phase, criteria, index size"},
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ctmatch COMMAND [OPTIONS] [ARGS]\n\n"
		   "Clinical-trial eligibility matching.\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nEvery command takes --db PATH (default: $CTMATCH_DB, else "
		   "./ctmatch.lmdb) and --help.\n"
		   "Exit status: 0 all done; 1 some inputs rejected; 2 usage "
		   "error; 3 index or file error.\n");
}

int ctm_cli_main(int argc, char **argv)
{
	enum { n_commands = sizeof(commands) / sizeof(commands[0]) };
	static char help[] = "--help";
	const char *names[n_commands], *guess;
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CTM_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return CTM_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ctmatch %s\n", CTM_VERSION);
		return CTM_EXIT_OK;
	}
	for (i = 0; i < n_commands; i++)
		names[i] = commands[i].name;
	for (i = 0; i < n_commands; i++)
		if (!strcmp(argv[1], commands[i].name)) {
			/* -h is --help for every command (getopt_long of the
			 * commands knows only the long form) */
			if (argc > 2 && !strcmp(argv[2], "-h"))
				argv[2] = help;
			return commands[i].run(argc - 1, argv + 1);
		}
	guess = ctm_nearest_word(argv[1], names, n_commands);
	if (guess)
		fprintf(stderr, "ctmatch: unknown command '%s': did you mean '%s'?\n",
			argv[1], guess);
	else
		fprintf(stderr, "ctmatch: unknown command '%s' (see ctmatch --help)\n",
			argv[1]);
	return CTM_EXIT_USAGE;
}
