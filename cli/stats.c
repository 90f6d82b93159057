/*
 * stats.c - `ctmatch stats`: what the index holds.
 */
#include "cli_common.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PHASES 32

typedef struct counts {
	size_t trials;
	size_t by_status[CTM_STATUS_COUNT_];
	char phases[MAX_PHASES][48];
	size_t by_phase[MAX_PHASES];
	size_t n_phases;
	size_t criteria, structured, with_text;
	/* the same for trials filed under the colorectal disease posting */
	size_t crc_trials, crc_criteria, crc_structured;
	uint32_t *crc; /* sorted nct numbers */
	size_t n_crc;
} counts;

static int in_sorted(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] == x)
			return 1;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int count_trial(void *ctx, const ctm_trial *t)
{
	counts *c = ctx;
	const char *phase = t->phase ? t->phase : "(none)";
	size_t i, s = 0;
	uint32_t num;

	c->trials++;
	if ((unsigned)t->status < CTM_STATUS_COUNT_)
		c->by_status[t->status]++;
	for (i = 0; i < c->n_phases; i++)
		if (!strcmp(c->phases[i], phase))
			break;
	if (i == c->n_phases && c->n_phases < MAX_PHASES) {
		snprintf(c->phases[i], sizeof(c->phases[i]), "%s", phase);
		c->n_phases++;
	}
	if (i < c->n_phases)
		c->by_phase[i]++;
	for (i = 0; i < t->n_criteria; i++)
		s += t->criteria[i].structured;
	c->criteria += t->n_criteria;
	c->structured += s;
	c->with_text += t->criteria_text != NULL;
	if (ctm_nct_parse(t->nct_id, &num) == 0 &&
	    in_sorted(c->crc, c->n_crc, num)) {
		c->crc_trials++;
		c->crc_criteria += t->n_criteria;
		c->crc_structured += s;
	}
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * The trials filed under colorectal cancer or any narrower disease (colon,
 * rectal, colorectal adenocarcinoma ...), as the lexicon says.
 */
static int colorectal_ids(ctm_index *idx, counts *c, ctm_error *err)
{
	ctm_lexicon *lx;
	ctm_concept crc;
	size_t i, n, j, k;
	int rc = 0;

	if (ctm_lexicon_new(&lx, err))
		return CTM_EINVALID;
	crc = ctm_lexicon_concept(lx, CTM_CT_DISEASE, "colorectal cancer");
	n = ctm_lexicon_count(lx);
	for (i = 1; crc && i < n && rc == 0; i++) {
		ctm_trial_key *ids;
		uint32_t *all;
		size_t m, q;
		char key[128];
		if (ctm_lexicon_type(lx, (ctm_concept)i) != CTM_CT_DISEASE ||
		    !ctm_lexicon_is_a(lx, (ctm_concept)i, crc))
			continue;
		snprintf(key, sizeof key, "disease:%s", ctm_lexicon_name(lx, (ctm_concept)i));
		rc = ctm_index_posting(idx, key, &ids, &m, err);
		if (rc || !m) {
			free(rc ? NULL : ids);
			continue;
		}
		all = realloc(c->crc, (c->n_crc + m) * sizeof(*all));
		if (!all) {
			free(ids);
			rc = CTM_ENOMEM;
			break;
		}
		for (q = 0; q < m; q++)
			all[c->n_crc + q] = ctm_trial_key_nct(ids[q]);
		c->crc = all;
		c->n_crc += m;
		free(ids);
	}
	if (c->n_crc) {
		qsort(c->crc, c->n_crc, sizeof(*c->crc), cmp_u32);
		for (j = k = 0; j < c->n_crc; j++)
			if (!k || c->crc[k - 1] != c->crc[j])
				c->crc[k++] = c->crc[j];
		c->n_crc = k;
	}
	ctm_lexicon_free(lx);
	return rc;
}

static double share(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch stats [--db PATH] [--format table|json]\n"
		"\n"
		"Counts: trials by status and phase, criteria structured vs review (all\n"
		"trials and those filed under colorectal cancer), index size, last\n"
		"ingest.\n"
		"\n"
		"  --db PATH        the index (default: $CTMATCH_DB, else ./ctmatch.lmdb)\n"
		"  --format FORMAT  table (default) or json\n"
		"  --help           this text\n");
}

int cli_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL, *format = "table";
	ctm_index *idx;
	ctm_index_info info;
	ctm_error err;
	counts c;
	char when[64] = "never", batch_when[64] = "never";
	int64_t last_batch = 0;
	int ch, rc, i;

	cli_getopt_reset();
	while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'f': format = optarg; break;
		case 'h': help(stdout); return CTM_EXIT_OK;
		default:
			if (!cli_bad_option("stats", ch, argv, opts))
				help(stderr);
			return CTM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ctmatch stats: unexpected argument '%s'\n", argv[optind]);
		help(stderr);
		return CTM_EXIT_USAGE;
	}
	if (strcmp(format, "table") && strcmp(format, "json")) {
		fprintf(stderr, "ctmatch stats: --format must be table or json, not '%s'\n",
			format);
		return CTM_EXIT_USAGE;
	}
	if ((rc = cli_index_open("stats", cli_db_path(db), CTM_INDEX_READONLY, &idx)))
		return rc;
	memset(&c, 0, sizeof(c));
	ctm_error_clear(&err);
	rc = colorectal_ids(idx, &c, &err);
	if (rc == 0)
		rc = ctm_index_foreach(idx, count_trial, &c, &err);
	if (rc == 0)
		rc = ctm_index_info_get(idx, &info, &err);
	if (rc) {
		cli_report("stats", &err);
		free(c.crc);
		ctm_index_close(idx);
		return CTM_EXIT_IO;
	}
	{
		ctm_run run;
		ctm_error rerr;
		if (ctm_index_run_previous(idx, 0, &run, &rerr) == 0)
			last_batch = run.finished;
	}
	if (last_batch) {
		time_t t = (time_t)last_batch;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(batch_when, sizeof batch_when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if (info.last_ingest.time) {
		time_t t = (time_t)info.last_ingest.time;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if (!strcmp(format, "json")) {
		json_t *o = json_object(), *st = json_object(), *ph = json_object();
		for (i = 0; i < CTM_STATUS_COUNT_; i++)
			if (c.by_status[i])
				json_object_set_new(st, ctm_status_token(i), json_integer((json_int_t)c.by_status[i]));
		for (i = 0; i < (int)c.n_phases; i++)
			json_object_set_new(ph, c.phases[i], json_integer((json_int_t)c.by_phase[i]));
		json_object_set_new(o, "trials", json_integer((json_int_t)c.trials));
		json_object_set_new(o, "by_status", st);
		json_object_set_new(o, "by_phase", ph);
		json_object_set_new(o, "criteria", json_integer((json_int_t)c.criteria));
		json_object_set_new(o, "criteria_structured", json_integer((json_int_t)c.structured));
		json_object_set_new(o, "criteria_review", json_integer((json_int_t)(c.criteria - c.structured)));
		json_object_set_new(o, "structured_share", json_real(share(c.structured, c.criteria) / 100.0));
		json_object_set_new(o, "colorectal_trials", json_integer((json_int_t)c.crc_trials));
		json_object_set_new(o, "colorectal_criteria", json_integer((json_int_t)c.crc_criteria));
		json_object_set_new(o, "colorectal_structured_share",
				    json_real(share(c.crc_structured, c.crc_criteria) / 100.0));
		json_object_set_new(o, "index_bytes", json_integer((json_int_t)info.file_size));
		json_object_set_new(o, "map_bytes", json_integer((json_int_t)info.map_size));
		json_object_set_new(o, "schema_version", json_integer(info.schema_version));
		json_object_set_new(o, "ingests", json_integer((json_int_t)info.n_ingests));
		json_object_set_new(o, "last_ingest", info.last_ingest.time ? json_string(when) : json_null());
		json_object_set_new(o, "last_batch", last_batch ? json_string(batch_when) : json_null());
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
	} else {
		printf("trials:               %zu\n", c.trials);
		printf("by status:\n");
		for (i = 0; i < CTM_STATUS_COUNT_; i++)
			if (c.by_status[i])
				printf("  %-26s %zu\n", ctm_status_name(i), c.by_status[i]);
		printf("by phase:\n");
		for (i = 0; i < (int)c.n_phases; i++)
			printf("  %-26s %zu\n", c.phases[i], c.by_phase[i]);
		printf("criteria:             %zu (%zu structured, %zu review: %.1f%% structured)\n",
		       c.criteria, c.structured, c.criteria - c.structured,
		       share(c.structured, c.criteria));
		printf("colorectal trials:    %zu, criteria %zu (%.1f%% structured)\n",
		       c.crc_trials, c.crc_criteria, share(c.crc_structured, c.crc_criteria));
		printf("index size:           %.1f MiB (map %.1f MiB), schema %u\n",
		       info.file_size / 1048576.0, info.map_size / 1048576.0, info.schema_version);
		printf("last ingest:          %s", when);
		if (info.last_ingest.time)
			printf(" (added %u, updated %u, unchanged %u, rejected %u)",
			       info.last_ingest.added, info.last_ingest.updated,
			       info.last_ingest.unchanged, info.last_ingest.rejected);
		printf("\nlast batch:           %s\n", batch_when);
	}
	free(c.crc);
	ctm_index_close(idx);
	return CTM_EXIT_OK;
}
