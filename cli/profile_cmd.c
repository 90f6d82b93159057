/*
 * profile_cmd.c - `ctmatch profile FILE`: the profile ctmatch reads from
 * one patient file (a JSON profile or a FHIR Bundle), printed as
 * spec/patient-profile.md JSON with the warnings, so that a coordinator
 * can check a conversion before trusting a match.
 */
#include "matchjob.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(FILE *f)
{
	fprintf(f, "usage: ctmatch profile [OPTIONS] FILE\n"
		   "\n"
		   "Prints the patient profile ctmatch reads from FILE (a JSON "
		   "profile or\n"
		   "a FHIR R4 Bundle; - for stdin) as {\"profile\": {..}, "
		   "\"warnings\": [..]},\n"
		   "the profile in the keys of spec/patient-profile.md: "
		   "recognised terms by\n"
		   "their canonical name, units converted, unknown facts left "
		   "out.\n"
		   "\n"
		   "  --today YYYY-MM-DD     the date a birth date gives an "
		   "age on\n"
		   "                         (default: today, UTC)\n"
		   "  --lexicon FILE         add the concepts of FILE to the "
		   "lexicon\n"
		   "  --show-values          errors and warnings show the "
		   "offending values\n"
		   "                         (default: only when stderr is a "
		   "terminal)\n"
		   "  --db PATH              accepted for symmetry; not used\n"
		   "\n"
		   "Exit status: 0 read without warnings; 1 read with "
		   "warnings, or the\n"
		   "profile was rejected; 2 usage error; 3 the file could not "
		   "be read.\n");
}

int cli_profile(int argc, char **argv)
{
	enum { O_DB = 256, O_TODAY, O_LEX, O_SHOWV, O_HELP };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB},
		{"today", required_argument, NULL, O_TODAY},
		{"lexicon", required_argument, NULL, O_LEX},
		{"show-values", no_argument, NULL, O_SHOWV},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	char *lexfiles[CLI_MAX_LEXICONS], *text = NULL;
	size_t n_lex = 0;
	int32_t today = 0;
	const char *path;
	ctm_lexicon *lx = NULL;
	ctm_profile_reader *r = NULL;
	ctm_profile *p = NULL, *extra = NULL;
	cli_diagnoses dx = {NULL, NULL};
	ctm_error err;
	int c, rc, status = CTM_EXIT_OK;
	bool show_values = false;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_DB: break;
		case O_TODAY:
			if (ctm_date_parse(optarg, &today) != 0) {
				fprintf(stderr,
					"ctmatch profile: --today: '%s' is not "
					"a date (YYYY-MM-DD)\n",
					optarg);
				return CTM_EXIT_USAGE;
			}
			break;
		case O_LEX:
			if (cli_lexicon_arg("profile", lexfiles, &n_lex, optarg))
				return CTM_EXIT_USAGE;
			break;
		case O_SHOWV: show_values = true; break;
		case 'h':
		case O_HELP: help(stdout); return CTM_EXIT_OK;
		default: help(stderr); return CTM_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr,
			argc == optind ? "ctmatch profile: give one patient "
					 "file (- for stdin)\n"
				       : "ctmatch profile: give one patient "
					 "file, not %d\n",
			argc - optind);
		help(stderr);
		return CTM_EXIT_USAGE;
	}
	path = argv[optind];
	if (!today)
		today = mj_today();
	lx = cli_lexicon("profile", lexfiles, n_lex);
	if (!lx)
		return CTM_EXIT_USAGE;
	ctm_error_clear(&err);
	if (ctm_profile_reader_open(&r, path, lx, today, &err) != 0) {
		cli_report("profile", &err);
		status = err.code == CTM_EIO || err.code == CTM_ENOTFOUND
				 ? CTM_EXIT_IO
				 : CTM_EXIT_REJECTED;
		goto done;
	}
	ctm_profile_reader_set_flags(r, cli_profile_flags(show_values));
	if (cli_diagnoses_new("profile", lx, &dx)) {
		status = CTM_EXIT_IO;
		goto done;
	}
	ctm_profile_reader_set_criteria(r, dx.ctx);
	rc = ctm_profile_reader_next(r, &p, &err);
	if (rc < 0) {
		cli_report("profile", &err);
		status = CTM_EXIT_REJECTED;
		goto done;
	}
	if (rc == 0) {
		fprintf(stderr, "ctmatch profile: %s: no patient profile\n",
			path);
		status = CTM_EXIT_REJECTED;
		goto done;
	}
	if (ctm_profile_reader_next(r, &extra, &err) != 0) {
		fprintf(stderr,
			"ctmatch profile: %s holds more than one profile; "
			"give one patient file\n",
			path);
		status = CTM_EXIT_USAGE;
		goto done;
	}
	if (ctm_profile_format_json(&text, p, lx, CTM_PROFILE_JSON_WARNINGS)) {
		fprintf(stderr, "ctmatch profile: out of memory\n");
		status = CTM_EXIT_IO;
		goto done;
	}
	fputs(text, stdout);
	fputc('\n', stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ctmatch profile: cannot write the output\n");
		status = CTM_EXIT_IO;
		goto done;
	}
	if (p->n_warnings)
		status = CTM_EXIT_REJECTED;
done:
	free(text);
	ctm_profile_free(extra);
	ctm_profile_free(p);
	ctm_profile_reader_close(r);
	cli_diagnoses_free(&dx);
	ctm_lexicon_free(lx);
	return status;
}
