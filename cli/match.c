/*
 * match.c - `ctmatch match`: the trials one patient could join, best first.
 */
#include "output.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_REPEAT 64

typedef struct flags {
	const char *id, *age, *sex, *diagnosis, *stage, *ecog, *karnofsky;
	const char *country, *state;
	const char *sites[MAX_REPEAT], *biomarkers[MAX_REPEAT], *priors[MAX_REPEAT];
	size_t n_sites, n_biomarkers, n_priors;
	bool any;
} flags;

static void help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch match [--db PATH] (--patient FILE | PROFILE FLAGS) [OPTIONS]\n"
		"\n"
		"Ranks the trials one patient could join, best first, with a verdict\n"
		"(eligible, possible, ineligible) and the reasons for it.\n"
		"\n"
		"  --patient FILE     a JSON profile (spec/patient-profile.md); - for stdin\n"
		"profile flags (instead of --patient; a flag not given is unknown, a\n"
		"repeated flag given at least once is the complete list):\n"
		"  --id ID            patient id (default: cli)\n"
		"  --age YEARS  --sex female|male  --diagnosis TEXT  --stage STAGE\n"
		"  --site SITE                   metastatic site, repeatable\n"
		"  --biomarker NAME:status[:variant]   repeatable (KRAS:mutated:G12C)\n"
		"  --prior NAME[@line]           prior therapy, repeatable (FOLFOX@1)\n"
		"  --ecog N  --karnofsky N  --country NAME  --state NAME\n"
		"options:\n"
		"  --limit N              at most N results (default 20; 0 = all)\n"
		"  --format FORMAT        table (default), csv, json or xlsx (an Excel\n"
		"                         workbook, to a redirected stdout)\n"
		"  --bom                  start the CSV with a UTF-8 byte-order mark\n"
		"  --phase P              only trials of phase P (2, \"Phase 2\", early1,\n"
		"                         n/a; repeatable: any of them)\n"
		"  --study-type T         only trials of study type T (interventional)\n"
		"  --site-country C       only trials whose best site is in country C\n"
		"  --include-ineligible   list ineligible trials too, with reasons\n"
		"  --all-statuses         closed trials too (default: recruiting and\n"
		"                         not yet recruiting)\n"
		"  --explain              every criterion's outcome and the fact used\n"
		"  --today YYYY-MM-DD     the match date (default: the local date)\n"
		"  --lexicon FILE         add the concepts of FILE to the lexicon\n"
		"  --show-values          messages about the profile show the offending\n"
		"                         values (default: only when stderr is a terminal)\n"
		"  --db PATH              the index (default: $CTMATCH_DB, else ./ctmatch.lmdb)\n"
		"\n"
		"Exit status: 0 done; 1 the profile was rejected; 2 usage error;\n"
		"3 the index could not be opened.\n");
}

static int add_repeat(const char **v, size_t *n, const char *s, const char *opt)
{
	if (*n == MAX_REPEAT) {
		fprintf(stderr, "ctmatch match: at most %d %s\n", MAX_REPEAT, opt);
		return -1;
	}
	v[(*n)++] = s;
	return 0;
}

/* Parses an integer flag value strictly. */
static int int_flag(const char *opt, const char *s, json_int_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "ctmatch match: %s: '%s' is not a whole number\n", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The profile flags as a JSON profile, so one path normalises both. */
static char *flags_json(const flags *fl)
{
	json_t *o = json_object(), *a;
	json_int_t v;
	char *text = NULL;
	size_t i;

	json_object_set_new(o, "id", json_string(fl->id ? fl->id : "cli"));
	if (fl->age) {
		if (int_flag("--age", fl->age, &v))
			goto fail;
		json_object_set_new(o, "age", json_integer(v));
	}
	if (fl->sex)
		json_object_set_new(o, "sex", json_string(fl->sex));
	if (fl->diagnosis)
		json_object_set_new(o, "diagnosis", json_string(fl->diagnosis));
	if (fl->stage)
		json_object_set_new(o, "stage", json_string(fl->stage));
	if (fl->ecog) {
		if (int_flag("--ecog", fl->ecog, &v))
			goto fail;
		json_object_set_new(o, "ecog", json_integer(v));
	}
	if (fl->karnofsky) {
		if (int_flag("--karnofsky", fl->karnofsky, &v))
			goto fail;
		json_object_set_new(o, "karnofsky", json_integer(v));
	}
	if (fl->n_sites) {
		a = json_array();
		for (i = 0; i < fl->n_sites; i++)
			json_array_append_new(a, json_string(fl->sites[i]));
		json_object_set_new(o, "metastatic_sites", a);
	}
	if (fl->n_biomarkers) {
		a = json_array();
		for (i = 0; i < fl->n_biomarkers; i++) {
			char buf[256], *status, *variant;
			json_t *b = json_object();
			snprintf(buf, sizeof buf, "%s", fl->biomarkers[i]);
			status = strchr(buf, ':');
			if (!status) {
				fprintf(stderr, "ctmatch match: --biomarker '%s': "
						"expected NAME:status[:variant]\n", buf);
				json_decref(b);
				json_decref(a);
				goto fail;
			}
			*status++ = '\0';
			variant = strchr(status, ':');
			if (variant)
				*variant++ = '\0';
			json_object_set_new(b, "name", json_string(buf));
			json_object_set_new(b, "status", json_string(status));
			if (variant && *variant)
				json_object_set_new(b, "variant", json_string(variant));
			json_array_append_new(a, b);
		}
		json_object_set_new(o, "biomarkers", a);
	}
	if (fl->n_priors) {
		a = json_array();
		for (i = 0; i < fl->n_priors; i++) {
			char buf[256], *at;
			json_t *t = json_object();
			snprintf(buf, sizeof buf, "%s", fl->priors[i]);
			at = strrchr(buf, '@');
			if (at) {
				*at++ = '\0';
				if (int_flag("--prior NAME@line", at, &v)) {
					json_decref(t);
					json_decref(a);
					goto fail;
				}
				json_object_set_new(t, "line", json_integer(v));
			}
			json_object_set_new(t, "name", json_string(buf));
			json_array_append_new(a, t);
		}
		json_object_set_new(o, "prior_therapies", a);
	}
	if (fl->country || fl->state) {
		json_t *l = json_object();
		if (fl->country)
			json_object_set_new(l, "country", json_string(fl->country));
		if (fl->state)
			json_object_set_new(l, "state", json_string(fl->state));
		json_object_set_new(o, "location", l);
	}
	text = json_dumps(o, JSON_COMPACT);
fail:
	json_decref(o);
	return text;
}

/*
 * Reads exactly one profile from a file or stdin, or from text (the
 * profile flags as JSON, named "command line") when text is not NULL.
 */
static int read_one(const char *path, const char *text, const ctm_lexicon *lx,
		    int32_t today, unsigned pflags, ctm_profile **out)
{
	ctm_profile_reader *r;
	ctm_profile *extra = NULL;
	cli_diagnoses dx;
	ctm_error err;
	int rc;

	ctm_error_clear(&err);
	if (cli_diagnoses_new("match", lx, &dx))
		return CTM_EXIT_IO;
	if ((text ? ctm_profile_reader_open_memory(&r, text, strlen(text),
						   path, lx, today, &err)
		  : ctm_profile_reader_open(&r, path, lx, today, &err)) != 0) {
		cli_report("match", &err);
		cli_diagnoses_free(&dx);
		return err.code == CTM_EIO || err.code == CTM_ENOTFOUND
			       ? CTM_EXIT_IO : CTM_EXIT_REJECTED;
	}
	ctm_profile_reader_set_flags(r, pflags);
	ctm_profile_reader_set_criteria(r, dx.ctx);
	rc = ctm_profile_reader_next(r, out, &err);
	if (rc < 0) {
		cli_report("match", &err);
		ctm_profile_reader_close(r);
		cli_diagnoses_free(&dx);
		return CTM_EXIT_REJECTED;
	}
	if (rc == 0) {
		fprintf(stderr, "ctmatch match: %s: no patient profile\n", path);
		ctm_profile_reader_close(r);
		cli_diagnoses_free(&dx);
		return CTM_EXIT_REJECTED;
	}
	rc = ctm_profile_reader_next(r, &extra, &err);
	ctm_profile_reader_close(r);
	cli_diagnoses_free(&dx);
	if (rc != 0) {
		ctm_profile_free(extra);
		ctm_profile_free(*out);
		*out = NULL;
		fprintf(stderr, "ctmatch match: %s holds more than one profile; "
				"use ctmatch batch for a roster\n", path);
		return CTM_EXIT_USAGE;
	}
	return CTM_EXIT_OK;
}

int cli_match(int argc, char **argv)
{
	enum { O_DB = 256, O_PATIENT, O_ID, O_AGE, O_SEX, O_DIAG, O_STAGE, O_SITE,
	       O_BM, O_PRIOR, O_ECOG, O_KPS, O_COUNTRY, O_STATE, O_LIMIT, O_FORMAT,
	       O_INEL, O_ALL, O_EXPLAIN, O_TODAY, O_LEX, O_BOM, O_PHASE, O_STYPE,
	       O_SCOUNTRY, O_SHOWV, O_HELP };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB},
		{"patient", required_argument, NULL, O_PATIENT},
		{"id", required_argument, NULL, O_ID},
		{"age", required_argument, NULL, O_AGE},
		{"sex", required_argument, NULL, O_SEX},
		{"diagnosis", required_argument, NULL, O_DIAG},
		{"stage", required_argument, NULL, O_STAGE},
		{"site", required_argument, NULL, O_SITE},
		{"biomarker", required_argument, NULL, O_BM},
		{"prior", required_argument, NULL, O_PRIOR},
		{"ecog", required_argument, NULL, O_ECOG},
		{"karnofsky", required_argument, NULL, O_KPS},
		{"country", required_argument, NULL, O_COUNTRY},
		{"state", required_argument, NULL, O_STATE},
		{"limit", required_argument, NULL, O_LIMIT},
		{"format", required_argument, NULL, O_FORMAT},
		{"include-ineligible", no_argument, NULL, O_INEL},
		{"all-statuses", no_argument, NULL, O_ALL},
		{"explain", no_argument, NULL, O_EXPLAIN},
		{"today", required_argument, NULL, O_TODAY},
		{"lexicon", required_argument, NULL, O_LEX},
		{"bom", no_argument, NULL, O_BOM},
		{"phase", required_argument, NULL, O_PHASE},
		{"study-type", required_argument, NULL, O_STYPE},
		{"site-country", required_argument, NULL, O_SCOUNTRY},
		{"show-values", no_argument, NULL, O_SHOWV},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL, *patient = NULL, *format = "table";
	char *lexfiles[CLI_MAX_LEXICONS];
	size_t n_lex = 0, limit = 20;
	flags fl;
	mj_options mo;
	out_filter filter;
	bool bom = false, show_values = false;
	unsigned pflags;
	ctm_lexicon *lx = NULL;
	ctm_matcher *m = NULL;
	ctm_index *idx = NULL;
	ctm_profile *p = NULL;
	mj_job job;
	out_list ol;
	ctm_error err;
	ctm_index_info info;
	long n;
	int c, status = CTM_EXIT_OK;

	memset(&fl, 0, sizeof fl);
	memset(&mo, 0, sizeof mo);
	memset(&filter, 0, sizeof filter);
	memset(&job, 0, sizeof job);
	memset(&ol, 0, sizeof ol);
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case O_DB: db = optarg; break;
		case O_PATIENT: patient = optarg; break;
		case O_ID: fl.id = optarg; fl.any = true; break;
		case O_AGE: fl.age = optarg; fl.any = true; break;
		case O_SEX: fl.sex = optarg; fl.any = true; break;
		case O_DIAG: fl.diagnosis = optarg; fl.any = true; break;
		case O_STAGE: fl.stage = optarg; fl.any = true; break;
		case O_SITE:
			if (add_repeat(fl.sites, &fl.n_sites, optarg, "--site"))
				return CTM_EXIT_USAGE;
			fl.any = true;
			break;
		case O_BM:
			if (add_repeat(fl.biomarkers, &fl.n_biomarkers, optarg, "--biomarker"))
				return CTM_EXIT_USAGE;
			fl.any = true;
			break;
		case O_PRIOR:
			if (add_repeat(fl.priors, &fl.n_priors, optarg, "--prior"))
				return CTM_EXIT_USAGE;
			fl.any = true;
			break;
		case O_ECOG: fl.ecog = optarg; fl.any = true; break;
		case O_KPS: fl.karnofsky = optarg; fl.any = true; break;
		case O_COUNTRY: fl.country = optarg; fl.any = true; break;
		case O_STATE: fl.state = optarg; fl.any = true; break;
		case O_LIMIT:
			if (cli_number_arg("match", "--limit", optarg, 0,
					   LONG_MAX, &n))
				return CTM_EXIT_USAGE;
			limit = (size_t)n;
			break;
		case O_FORMAT: format = optarg; break;
		case O_INEL: mo.include_ineligible = true; break;
		case O_ALL: mo.all_statuses = true; break;
		case O_EXPLAIN: mo.explain = true; break;
		case O_TODAY:
			if (ctm_date_parse(optarg, &mo.today) != 0) {
				fprintf(stderr, "ctmatch match: --today: '%s' is not a date (YYYY-MM-DD)\n", optarg);
				return CTM_EXIT_USAGE;
			}
			break;
		case O_LEX:
			if (cli_lexicon_arg("match", lexfiles, &n_lex, optarg))
				return CTM_EXIT_USAGE;
			break;
		case O_BOM: bom = true; break;
		case O_SHOWV: show_values = true; break;
		case O_PHASE:
		case O_STYPE:
		case O_SCOUNTRY:
			if (out_filter_add(&filter, c == O_PHASE ? "--phase"
						    : c == O_STYPE ? "--study-type"
								   : "--site-country",
					   optarg))
				return CTM_EXIT_USAGE;
			break;
		case O_HELP: help(stdout); return CTM_EXIT_OK;
		default:
			if (!cli_bad_option("match", c, argv, opts))
				help(stderr);
			return CTM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ctmatch match: unexpected argument '%s'\n", argv[optind]);
		return CTM_EXIT_USAGE;
	}
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json") &&
	    strcmp(format, "xlsx")) {
		fprintf(stderr, "ctmatch match: --format must be table, csv, json or xlsx, not '%s'\n", format);
		return CTM_EXIT_USAGE;
	}
	if (mo.explain && (!strcmp(format, "csv") || !strcmp(format, "xlsx"))) {
		fprintf(stderr, "ctmatch match: --explain cannot be written as %s "
				"(one row a trial); use --format table or json\n",
			!strcmp(format, "csv") ? "CSV" : "XLSX");
		return CTM_EXIT_USAGE;
	}
	if (bom && strcmp(format, "csv")) {
		fprintf(stderr, "ctmatch match: --bom is for --format csv\n");
		return CTM_EXIT_USAGE;
	}
	if (!strcmp(format, "xlsx") && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ctmatch match: an XLSX workbook is binary: redirect "
				"stdout to a file\n");
		return CTM_EXIT_USAGE;
	}
	if (!patient == !fl.any) {
		fprintf(stderr, "ctmatch match: give either --patient FILE or profile flags\n");
		help(stderr);
		return CTM_EXIT_USAGE;
	}
	if (!mo.today)
		mo.today = mj_today();
	/* filters choose among all the results, then --limit cuts */
	mo.limit = out_filter_any(&filter) ? 0 : limit;
	lx = cli_lexicon("match", lexfiles, n_lex);
	if (!lx)
		return CTM_EXIT_USAGE;
	pflags = cli_profile_flags(show_values);
	ctm_error_clear(&err);
	if (patient) {
		status = read_one(patient, NULL, lx, mo.today, pflags, &p);
		if (status)
			goto done;
	} else {
		char *text = flags_json(&fl);
		if (!text) {
			status = CTM_EXIT_USAGE;
			goto done;
		}
		/* read as a file is (the diagnosis as a criterion is) */
		status = read_one("command line", text, lx, mo.today, pflags, &p);
		free(text);
		if (status) {
			status = CTM_EXIT_USAGE; /* a bad flag */
			goto done;
		}
	}
	if ((status = cli_index_open("match", cli_db_path(db), CTM_INDEX_READONLY, &idx)))
		goto done;
	if ((status = cli_index_current("match", idx, cli_db_path(db), lx, lexfiles, n_lex)))
		goto done;
	if (ctm_index_info_get(idx, &info, &err)) {
		cli_report("match", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	if (info.n_trials == 0) {
		/* cli.md names no status for it: 1, done but nothing to match */
		fprintf(stderr, "ctmatch match: warning: the index %s holds no "
				"trials: run `ctmatch ingest` first\n",
			cli_db_path(db));
		status = CTM_EXIT_REJECTED;
		goto done;
	}
	if (ctm_matcher_new(&m, lx, &err) ||
	    mj_run(idx, m, lx, p, &mo, NULL, &job, &err)) {
		cli_report("match", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	if (out_from_job(&ol, p, &job, mo.limit, mo.explain)) {
		fprintf(stderr, "ctmatch match: out of memory\n");
		status = CTM_EXIT_IO;
		goto done;
	}
	out_filter_apply(&ol, &filter, true);
	if (limit && ol.n > limit)
		ol.n = limit;
	if (!strcmp(format, "json")) {
		json_t *o = out_json(&ol, mo.explain, false);
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
	} else {
		size_t i;
		for (i = 0; i < p->n_warnings; i++)
			fprintf(stderr, "ctmatch match: warning: %s\n",
				pflags & CTM_PROFILE_SHOW_VALUES
					? p->warnings[i]
					: p->warnings_no_values[i]);
		if (!strcmp(format, "csv")) {
			if (bom)
				fputs(OUT_BOM, stdout);
			out_csv_header(stdout);
			out_csv_rows(stdout, &ol);
		} else if (!strcmp(format, "xlsx")) {
			out_xlsx *x;
			if (out_xlsx_open(&x, NULL)) {
				fprintf(stderr, "ctmatch match: cannot make the workbook\n");
				status = CTM_EXIT_IO;
				goto done;
			}
			out_xlsx_rows(x, &ol);
			if (out_xlsx_close(x)) {
				fprintf(stderr, "ctmatch match: cannot write the workbook\n");
				status = CTM_EXIT_IO;
			}
		} else {
			out_table(stdout, &ol, mo.explain, out_table_width());
		}
	}
	/* a key ignored or a name guessed is part of the profile not taken
	 * as written: done, with inputs rejected (cli.md exit 1), as batch */
	if (status == CTM_EXIT_OK && p->n_warnings)
		status = CTM_EXIT_REJECTED;
done:
	out_list_free(&ol);
	mj_free(&job);
	ctm_matcher_free(m);
	ctm_index_close(idx);
	ctm_profile_free(p);
	ctm_lexicon_free(lx);
	return status;
}
