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
	{"show", cli_show, "show stored trials with their parsed criteria"},
	{"profile", cli_profile, "the profile ctmatch reads from a patient file"},
	{"match", cli_match, "rank the trials one patient could join"},
	{"batch", cli_batch, "the nightly run over a roster, with what changed"},
	{"export", cli_export, "the stored lists of the last batch run as CSV"},
	{"report", cli_report_cmd, "the coordinator's HTML report of the last run or a patient"},
	{"stats", cli_stats, "counts: trials by status and phase, criteria, index size"},
};

/* Levenshtein distance of a and b (short words), capped at 9. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[33], prev, t;

	if (la > 32 || lb > 32)
		return 9;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			t = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev
				 : 1 + (prev < row[j - 1]
						? (prev < row[j] ? prev : row[j])
						: (row[j - 1] < row[j] ? row[j - 1]
								       : row[j]));
			prev = t;
		}
	}
	return row[lb] > 9 ? 9 : row[lb];
}

const char *cli_did_you_mean(const char *word, const char *const *words,
			     size_t n)
{
	const char *best = NULL;
	size_t i, d, best_d = 3; /* at most 2 edits (mtach: 2) */

	for (i = 0; i < n; i++) {
		d = distance(word, words[i]);
		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
	}
	return best;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ctmatch COMMAND [OPTIONS] [ARGS]\n\n"
		   "Clinical-trial eligibility matching.\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
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
	guess = cli_did_you_mean(argv[1], names, n_commands);
	if (guess)
		fprintf(stderr, "ctmatch: unknown command '%s': did you mean '%s'?\n",
			argv[1], guess);
	else
		fprintf(stderr, "ctmatch: unknown command '%s' (see ctmatch --help)\n",
			argv[1]);
	return CTM_EXIT_USAGE;
}
