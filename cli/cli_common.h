/* cli_common.h - what the ctmatch commands share (private to cli/). */
#ifndef CTM_CLI_COMMON_H
#define CTM_CLI_COMMON_H

#include <ctm/cli.h>
#include <ctm/engine.h>
#include <ctm/index.h>
#include <ctm/parsers.h>

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

int cli_ingest(int argc, char **argv);
int cli_show(int argc, char **argv);
int cli_stats(int argc, char **argv);
int cli_match(int argc, char **argv);
int cli_batch(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_report_cmd(int argc, char **argv);
int cli_profile(int argc, char **argv);
int cli_reparse(int argc, char **argv);
int cli_import_run(int argc, char **argv);
int cli_copy(int argc, char **argv);

/*
 * Takes the index's batch lock (db/batch.lock, held until *fd_out is
 * closed), or prints who holds it and returns CTM_EXIT_IO: one batch (or
 * import-run) on an index at a time.
 */
int cli_batch_lock(const char *cmd, const char *db, int *fd_out);

/* --db, else $CTMATCH_DB, else ./ctmatch.lmdb */
const char *cli_db_path(const char *opt);

/* Prints "ctmatch CMD: <formatted error>" on stderr. */
void cli_report(const char *cmd, const ctm_error *err);

/*
 * Builds the lexicon (built-in data plus each --lexicon file). Prints the
 * error and returns NULL on failure.
 */
ctm_lexicon *cli_lexicon(const char *cmd, char **files, size_t n_files);

/* --lexicon FILE, repeatable: appends arg to files[*n]; false, with the
 * message, when there are CLI_MAX_LEXICONS already. */
#define CLI_MAX_LEXICONS 16
bool cli_lexicon_arg(const char *cmd, char **files, size_t *n,
		     char *arg);

/* Opens the index; prints the error and returns the exit status on failure. */
int cli_index_open(const char *cmd, const char *path, unsigned flags,
		   ctm_index **out);

/*
 * Before verdicts are computed: refuses an index holding trials whose
 * criteria were read by another version of the reader or lexicon
 * (ctm_index_stale_count() against ctm_criteria_current_version(lx)),
 * naming the command that brings it up to date, with the --lexicon files
 * this command was given. Returns 0, or CTM_EXIT_IO after the message.
 */
int cli_index_current(const char *cmd, ctm_index *idx, const char *path,
		      const ctm_lexicon *lx, char **lexfiles, size_t n_lex);

/* Resets getopt so a command can parse its own argv (tests call several). */
void cli_getopt_reset(void);

/* True when stderr is a terminal (progress is drawn only then). */
bool cli_progress_wanted(void);

/*
 * The profile reader's flags: CTM_PROFILE_SHOW_VALUES (messages about a
 * profile show the offending value) with --show-values or when stderr is
 * a terminal, so that logs of unattended runs carry no clinical values.
 */
unsigned cli_profile_flags(bool show_values);

/*
 * What reads patients' diagnoses as criteria are read
 * (ctm_profile_reader_set_criteria): the parser and one context, both
 * freed by cli_diagnoses_free(). Prints the error and returns -1.
 */
typedef struct cli_diagnoses {
	ctm_criteria_parser *parser;
	ctm_criteria_ctx *ctx;
} cli_diagnoses;
int cli_diagnoses_new(const char *cmd, const ctm_lexicon *lx,
		      cli_diagnoses *out);
void cli_diagnoses_free(cli_diagnoses *d);

/*
 * Creates (or truncates) path for writing, mode exactly 0600 whatever the
 * umask: what ctmatch writes names patients. NULL with errno on failure.
 */
FILE *cli_create_private(const char *path);

/*
 * Parses a whole-number option value in [min, max] into *out. Otherwise
 * prints "ctmatch CMD: OPT: expected a whole number >= MIN, got 'S'" (or
 * "from MIN to MAX" when max < LONG_MAX) and returns -1.
 */
int cli_number_arg(const char *cmd, const char *opt, const char *s, long min,
		   long max, long *out);

/*
 * Reports a bad option after getopt_long (called with optstring ":" and
 * returned c, '?' or ':'): "ctmatch CMD: unknown option '--patinet'; did you
 * mean '--patient'?", "... unknown option '--x'", or "... option '--limit'
 * needs a value". Returns true when it named a guess (no usage page needed).
 */
bool cli_bad_option(const char *cmd, int c, char **argv,
		    const struct option *opts);

#endif
