/*
 * ctm/cli.h - the ctmatch commands, callable from tests.
 */
#ifndef CTM_CLI_H
#define CTM_CLI_H

#ifdef __cplusplus
extern "C" {
#endif

/* Exit statuses (spec/cli.md). */
enum {
	CTM_EXIT_OK = 0,       /* all done */
	CTM_EXIT_REJECTED = 1, /* done, but some inputs were rejected */
	CTM_EXIT_USAGE = 2,    /* usage error */
	CTM_EXIT_IO = 3,       /* the index or a file could not be opened or written */
};

/* Runs `ctmatch argv[1] ...` and returns the exit status. */
int ctm_cli_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
