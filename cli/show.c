/*
 * show.c - `ctmatch show NCT...`: trials as stored, with their criteria.
 */
#include "cli_common.h"

#include <ctype.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *str_list(const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i] ? v[i] : ""));
	return a;
}

static json_t *bound(double v)
{
	return isinf(v) || isnan(v) ? json_null() : json_real(v);
}

json_t *cli_constraint_json(const ctm_constraint *k, const ctm_lexicon *lx);

json_t *cli_constraint_json(const ctm_constraint *k, const ctm_lexicon *lx)
{
	static const struct {
		unsigned bit;
		const char *name;
	} flags[] = {
		{CTM_F_PROGRESSED, "progressed"},
		{CTM_F_REFRACTORY, "refractory"},
		{CTM_F_INTOLERANT, "or_intolerant"},
		{CTM_F_METASTATIC_SETTING, "metastatic_setting"},
		{CTM_F_ADJUVANT_SETTING, "adjuvant_setting"},
		{CTM_F_NEOADJUVANT_SETTING, "neoadjuvant_setting"},
		{CTM_F_LIMITED, "limited"},
		{CTM_F_ACTIVE, "active"},
		{CTM_F_STABLE, "treated_stable"},
		{CTM_F_LIVER_EXCEPTION, "liver_exception"},
		{CTM_F_ULN, "x_uln"},
		{CTM_F_CURRENT, "current"},
		{CTM_F_WITHIN, "within"},
		/* strict bounds: "min" and "max" are excluded; for a
		 * therapy within a time, fewer than within_days */
		{CTM_F_LO_OPEN, "min_exclusive"},
		{CTM_F_HI_OPEN, "max_exclusive"},
		{CTM_F_ALT_HI_OPEN, "max_with_liver_metastases_exclusive"},
	};
	json_t *o = json_object(), *fl = json_array();
	size_t i;

	json_object_set_new(o, "kind", json_string(ctm_kind_name(k->kind)));
	if (k->concept)
		json_object_set_new(o, "concept",
				    json_string(ctm_lexicon_name(lx, k->concept)));
	if (k->kind == CTM_K_BIOMARKER)
		json_object_set_new(o, "status",
				    json_string(ctm_bm_status_name(k->status)));
	if (k->kind == CTM_K_SEX)
		json_object_set_new(o, "sex",
				    json_string(ctm_gender_name(k->status)));
	if (k->variant)
		json_object_set_new(o, "variant",
				    json_string(ctm_lexicon_name(lx, k->variant)));
	switch (k->kind) {
	case CTM_K_STAGE: case CTM_K_PRIOR_LINES: case CTM_K_ECOG:
	case CTM_K_KARNOFSKY: case CTM_K_LAB: case CTM_K_AGE:
	case CTM_K_BIOMARKER:
		if (!isinf(k->lo) || !isinf(k->hi) || k->kind != CTM_K_BIOMARKER) {
			json_object_set_new(o, "min", bound(k->lo));
			json_object_set_new(o, "max", bound(k->hi));
		}
		break;
	default: break;
	}
	if (k->flags & CTM_F_LIVER_EXCEPTION)
		json_object_set_new(o, "max_with_liver_metastases",
				    bound(k->alt_hi));
	if (k->flags & CTM_F_WITHIN)
		json_object_set_new(o, "within_days",
				    json_integer(k->within_days));
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		const char *fname = flags[i].name;
		if (!(k->flags & flags[i].bit))
			continue;
		if (flags[i].bit == CTM_F_HI_OPEN && (k->flags & CTM_F_WITHIN))
			fname = "within_days_exclusive";
		json_array_append_new(fl, json_string(fname));
	}
	if (json_array_size(fl))
		json_object_set_new(o, "flags", fl);
	else
		json_decref(fl);
	return o;
}

/* The expression as nested JSON: {"and": [...]}, {"not": x}, leaf object. */
static json_t *expr_json(const ctm_criterion *c, const ctm_lexicon *lx,
			 size_t *pos)
{
	const ctm_expr *e;
	json_t *o, *a;
	uint32_t i;

	if (*pos >= c->n_expr)
		return json_null();
	e = &c->expr[(*pos)++];
	switch (e->op) {
	case CTM_EXPR_LEAF:
		if (e->arg >= c->n_constraints)
			return json_null();
		return cli_constraint_json(&c->constraints[e->arg], lx);
	case CTM_EXPR_NOT:
		o = json_object();
		json_object_set_new(o, "not", expr_json(c, lx, pos));
		return o;
	default:
		o = json_object();
		a = json_array();
		for (i = 0; i < e->arg; i++)
			json_array_append_new(a, expr_json(c, lx, pos));
		json_object_set_new(o, e->op == CTM_EXPR_AND ? "and" : "or", a);
		return o;
	}
}

/*
 * Why c is review: the trial's own reason when it has one (an exclusion
 * repeating an inclusion), else the reader's; a criterion that reads alone
 * but is stored review is one of alternatives (after "or", under "any of
 * the following"). "" when c is structured.
 */
static const char *review_why(const ctm_criterion *c,
			      const ctm_criteria_reading *r)
{
	if (c->structured)
		return "";
	if (c->review_reason && c->review_reason[0])
		return c->review_reason;
	if (r->reason[0])
		return r->reason;
	return "one of alternatives: it reads alone, but holds only with "
	       "the others";
}

/*
 * How today's reader reads c (ctm_criteria_explain): the tags with their
 * kind, the frames, the unread words, the reason it stays review.
 */
static json_t *reading_json(ctm_criteria_ctx *ctx, const ctm_criterion *c,
			    const ctm_lexicon *lx)
{
	ctm_criteria_reading r;
	ctm_error err;
	json_t *o = json_object(), *tags = json_array(), *fr = json_array();
	size_t i;

	ctm_error_clear(&err);
	if (ctm_criteria_explain(ctx, c, &r, &err)) {
		json_decref(tags);
		json_decref(fr);
		json_object_set_new(o, "error", json_string(err.message));
		return o;
	}
	for (i = 0; i < r.n_tags; i++) {
		json_t *g = json_object();
		ctm_concept k = r.tags[i].concept;
		json_object_set_new(g, "text", json_string(r.tags[i].text));
		json_object_set_new(g, "kind",
				    json_string(ctm_concept_type_name(
					    ctm_lexicon_type(lx, k))));
		json_object_set_new(g, "concept",
				    json_string(ctm_lexicon_name(lx, k)));
		json_array_append_new(tags, g);
	}
	for (i = 0; i < r.n_frames; i++)
		json_array_append_new(fr, json_string(r.frames[i]));
	json_object_set_new(o, "tags", tags);
	json_object_set_new(o, "frames", fr);
	json_object_set_new(o, "unread", json_string(r.unread));
	if (review_why(c, &r)[0])
		json_object_set_new(o, "review_reason",
				    json_string(review_why(c, &r)));
	return o;
}

/* The same as lines under the criterion in the table. */
static void reading_table(FILE *f, ctm_criteria_ctx *ctx,
			  const ctm_criterion *c, const ctm_lexicon *lx)
{
	ctm_criteria_reading r;
	ctm_error err;
	size_t i;

	ctm_error_clear(&err);
	if (ctm_criteria_explain(ctx, c, &r, &err)) {
		fprintf(f, "      (not read again: %s)\n", err.message);
		return;
	}
	fprintf(f, "      tags:   ");
	for (i = 0; i < r.n_tags; i++)
		fprintf(f, "%s%s (%s)", i ? "; " : "", r.tags[i].text,
			ctm_concept_type_name(
				ctm_lexicon_type(lx, r.tags[i].concept)));
	fprintf(f, "%s\n      frames: ", r.n_tags ? "" : "none");
	for (i = 0; i < r.n_frames; i++)
		fprintf(f, "%s%s", i ? ", " : "", r.frames[i]);
	fprintf(f, "%s\n      unread: %s\n", r.n_frames ? "" : "none",
		r.unread[0] ? r.unread : "none");
	if (review_why(c, &r)[0])
		fprintf(f, "      review: %s\n", review_why(c, &r));
}

static json_t *trial_json(const ctm_trial *t, const ctm_lexicon *lx,
			  ctm_criteria_ctx *ctx)
{
	json_t *o = json_object(), *crit = json_array(), *locs = json_array();
	json_t *iv = json_array();
	char d[11];
	size_t i;

	json_object_set_new(o, "nct_id", json_string(t->nct_id));
	json_object_set_new(o, "brief_title", str_or_null(t->brief_title));
	json_object_set_new(o, "official_title", str_or_null(t->official_title));
	json_object_set_new(o, "overall_status",
			    json_string(ctm_status_name(t->status)));
	json_object_set_new(o, "phase", str_or_null(t->phase));
	json_object_set_new(o, "study_type", str_or_null(t->study_type));
	json_object_set_new(o, "lead_sponsor", str_or_null(t->lead_sponsor));
	json_object_set_new(o, "conditions",
			    str_list(t->conditions, t->n_conditions));
	json_object_set_new(o, "keywords", str_list(t->keywords, t->n_keywords));
	json_object_set_new(o, "condition_mesh",
			    str_list(t->condition_mesh, t->n_condition_mesh));
	for (i = 0; i < t->n_interventions; i++) {
		const ctm_intervention *v = &t->interventions[i];
		json_t *x = json_object();
		json_object_set_new(x, "type", str_or_null(v->type));
		json_object_set_new(x, "name", str_or_null(v->name));
		json_object_set_new(x, "other_names",
				    str_list(v->other_names, v->n_other_names));
		json_array_append_new(iv, x);
	}
	json_object_set_new(o, "interventions", iv);
	json_object_set_new(o, "gender",
			    t->gender ? json_string(ctm_gender_name(t->gender))
				      : json_null());
	json_object_set_new(o, "min_age_years",
			    t->min_age_years < 0 ? json_null()
						 : json_real(t->min_age_years));
	json_object_set_new(o, "max_age_years",
			    t->max_age_years < 0 ? json_null()
						 : json_real(t->max_age_years));
	json_object_set_new(o, "healthy_volunteers",
			    t->healthy_volunteers < 0
				    ? json_null()
				    : json_boolean(t->healthy_volunteers));
	json_object_set_new(o, "first_posted",
			    t->first_posted ? json_string(ctm_date_format(t->first_posted, d))
					    : json_null());
	json_object_set_new(o, "last_update",
			    t->last_update ? json_string(ctm_date_format(t->last_update, d))
					   : json_null());
	json_object_set_new(o, "download_date",
			    t->download_date ? json_string(ctm_date_format(t->download_date, d))
					     : json_null());
	json_object_set_new(o, "criteria_text", str_or_null(t->criteria_text));
	if (t->n_cohorts) {
		json_t *co = json_array();
		for (i = 0; i < t->n_cohorts; i++)
			json_array_append_new(co, json_string(t->cohorts[i]));
		json_object_set_new(o, "cohorts", co);
	}
	for (i = 0; i < t->n_criteria; i++) {
		const ctm_criterion *c = &t->criteria[i];
		json_t *x = json_object(), *ks = json_array();
		size_t k, pos = 0;

		json_object_set_new(x, "section",
				    json_string(ctm_section_name(c->section)));
		if (c->heading)
			json_object_set_new(x, "heading", json_string(c->heading));
		if (c->cohorts && t->n_cohorts) {
			json_t *co = json_array();
			for (k = 0; k < t->n_cohorts; k++)
				if (c->cohorts >> k & 1u)
					json_array_append_new(co, json_string(t->cohorts[k]));
			json_object_set_new(x, "cohorts", co);
		}
		json_object_set_new(x, "text", json_string(c->text ? c->text : ""));
		json_object_set_new(x, "status", json_string(c->structured ? "structured" : "review"));
		for (k = 0; k < c->n_constraints; k++)
			json_array_append_new(ks, cli_constraint_json(&c->constraints[k], lx));
		json_object_set_new(x, "constraints", ks);
		if (c->structured) {
			char desc[1024];
			json_object_set_new(x, "expr", expr_json(c, lx, &pos));
			ctm_criterion_format(c, lx, desc, sizeof desc);
			json_object_set_new(x, "summary", json_string(desc));
		}
		if (ctx)
			json_object_set_new(x, "reading",
					    reading_json(ctx, c, lx));
		json_array_append_new(crit, x);
	}
	json_object_set_new(o, "criteria", crit);
	for (i = 0; i < t->n_locations; i++) {
		const ctm_location *l = &t->locations[i];
		json_t *x = json_object();
		json_object_set_new(x, "facility", str_or_null(l->facility));
		json_object_set_new(x, "city", str_or_null(l->city));
		json_object_set_new(x, "state", str_or_null(l->state));
		json_object_set_new(x, "zip", str_or_null(l->zip));
		json_object_set_new(x, "country", str_or_null(l->country));
		json_object_set_new(x, "status", str_or_null(l->status));
		json_array_append_new(locs, x);
	}
	json_object_set_new(o, "locations", locs);
	return o;
}

static void age_text(double y, char *buf, size_t n)
{
	if (y < 0)
		snprintf(buf, n, "N/A");
	else
		snprintf(buf, n, "%g years", y);
}

static void print_table(FILE *f, const ctm_trial *t, const ctm_lexicon *lx,
			ctm_criteria_ctx *ctx)
{
	char a[32], b[32], d[11];
	size_t i, structured = 0;

	age_text(t->min_age_years, a, sizeof a);
	age_text(t->max_age_years, b, sizeof b);
	fprintf(f, "%s  %s\n", t->nct_id, t->brief_title ? t->brief_title : "");
	fprintf(f, "  status:      %s\n", ctm_status_name(t->status));
	fprintf(f, "  phase:       %s\n", t->phase ? t->phase : "");
	fprintf(f, "  study type:  %s\n", t->study_type ? t->study_type : "");
	fprintf(f, "  sponsor:     %s\n", t->lead_sponsor ? t->lead_sponsor : "");
	fprintf(f, "  conditions:  ");
	for (i = 0; i < t->n_conditions; i++)
		fprintf(f, "%s%s", i ? "; " : "", t->conditions[i]);
	fprintf(f, "\n  sex:         %s\n  ages:        %s to %s\n",
		t->gender ? ctm_gender_name(t->gender) : "", a, b);
	fprintf(f, "  last update: %s\n", ctm_date_format(t->last_update, d));
	fprintf(f, "  locations:   %zu\n", t->n_locations);
	for (i = 0; i < t->n_criteria; i++)
		structured += t->criteria[i].structured;
	fprintf(f, "  criteria:    %zu (%zu structured, %zu review)\n",
		t->n_criteria, structured, t->n_criteria - structured);
	if (t->n_cohorts) {
		fprintf(f, "  cohorts:     ");
		for (i = 0; i < t->n_cohorts; i++)
			fprintf(f, "%s%s", i ? "; " : "", t->cohorts[i]);
		fputc('\n', f);
	}
	for (i = 0; i < t->n_criteria; i++) {
		const ctm_criterion *c = &t->criteria[i];
		char desc[1024];

		fprintf(f, "  %3zu %-11s %-10s %s\n", i + 1,
			ctm_section_name(c->section),
			c->structured ? "structured" : "review",
			c->text ? c->text : "");
		if (c->cohorts && t->n_cohorts) {
			size_t k, w = 0;
			fprintf(f, "      cohort: ");
			for (k = 0; k < t->n_cohorts; k++)
				if (c->cohorts >> k & 1u)
					fprintf(f, "%s%s", w++ ? ", " : "",
						t->cohorts[k]);
			fputc('\n', f);
		}
		if (c->structured) {
			ctm_criterion_format(c, lx, desc, sizeof desc);
			fprintf(f, "      -> %s\n", desc);
		}
		if (ctx)
			reading_table(f, ctx, c, lx);
	}
	fputc('\n', f);
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch show [--db PATH] [--format table|json] [--lexicon FILE] NCT...\n"
		"\n"
		"Shows trials as stored: their fields and every criterion with its\n"
		"section, text and parsed constraints (or review), and how today's\n"
		"reader reads it: the lexicon terms tagged (with their kind), the\n"
		"frames that read it, the words left unread, why it stays review.\n"
		"\n"
		"  --db PATH        the index (default: $CTMATCH_DB, else ./ctmatch.lmdb)\n"
		"  --format FORMAT  table (default) or json (one array of trials)\n"
		"  --lexicon FILE   add the concepts of FILE to the built-in lexicon\n"
		"  --help           this text\n"
		"\n"
		"Exit status: 0 all shown; 1 some ids not found; 2 usage error;\n"
		"3 the index could not be opened.\n");
}

int cli_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'},
		{"lexicon", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL, *format = "table";
	char *lexfiles[CLI_MAX_LEXICONS];
	size_t n_lex = 0;
	ctm_lexicon *lx;
	ctm_index *idx;
	cli_diagnoses rd;
	json_t *all = NULL;
	int c, i, status = CTM_EXIT_OK, rc;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'f': format = optarg; break;
		case 'l':
			if (cli_lexicon_arg("show", lexfiles, &n_lex, optarg))
				return CTM_EXIT_USAGE;
			break;
		case 'h': help(stdout); return CTM_EXIT_OK;
		default:
			if (!cli_bad_option("show", c, argv, opts))
				help(stderr);
			return CTM_EXIT_USAGE;
		}
	}
	if (strcmp(format, "table") && strcmp(format, "json")) {
		fprintf(stderr, "ctmatch show: --format must be table or json, not '%s'\n", format);
		return CTM_EXIT_USAGE;
	}
	if (optind >= argc) {
		fprintf(stderr, "ctmatch show: no NCT id given\n");
		help(stderr);
		return CTM_EXIT_USAGE;
	}
	lx = cli_lexicon("show", lexfiles, n_lex);
	if (!lx)
		return CTM_EXIT_USAGE;
	/* the reader, to say how each criterion reads today */
	if (cli_diagnoses_new("show", lx, &rd)) {
		ctm_lexicon_free(lx);
		return CTM_EXIT_IO;
	}
	if ((rc = cli_index_open("show", cli_db_path(db), CTM_INDEX_READONLY, &idx))) {
		cli_diagnoses_free(&rd);
		ctm_lexicon_free(lx);
		return rc;
	}
	if (!strcmp(format, "json"))
		all = json_array();
	for (i = optind; i < argc; i++) {
		ctm_trial *t;
		ctm_error err;
		char id[16];
		size_t k;

		/* nct06412198 is NCT06412198: ids are taken in any case */
		for (k = 0; argv[i][k] && k < sizeof id - 1; k++)
			id[k] = (char)toupper((unsigned char)argv[i][k]);
		id[k] = '\0';
		ctm_error_clear(&err);
		rc = ctm_index_get(idx, argv[i][k] ? argv[i] : id, &t, &err);
		if (rc == CTM_ENOTFOUND) {
			fprintf(stderr, "ctmatch show: %s: not in the index\n", argv[i]);
			status = CTM_EXIT_REJECTED;
			continue;
		}
		if (rc == CTM_EINVALID) { /* not an NCT id: say so, go on */
			cli_report("show", &err);
			status = CTM_EXIT_REJECTED;
			continue;
		}
		if (rc) {
			cli_report("show", &err);
			status = CTM_EXIT_IO;
			break;
		}
		if (all)
			json_array_append_new(all, trial_json(t, lx, rd.ctx));
		else
			print_table(stdout, t, lx, rd.ctx);
		ctm_trial_free(t);
	}
	if (all) {
		json_dumpf(all, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(all);
	}
	ctm_index_close(idx);
	cli_diagnoses_free(&rd);
	ctm_lexicon_free(lx);
	return status;
}
