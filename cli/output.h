/*
 * output.h - the one result model every output is written from, and one
 * writer per format (table, CSV, JSON; HTML in report.c, XLSX in xlsx.c).
 *
 * `match` fills an out_list from its job (out_from_job); `batch` does the
 * same, stores it as a compact versioned record (out_record_encode), and
 * `export` and `report` read the record back (out_record_decode). So the
 * CSV row, the JSON document and the HTML page of a result are written
 * from the same fields, whichever command made them.
 */
#ifndef CTM_OUTPUT_H
#define CTM_OUTPUT_H

#include "matchjob.h"

#include <jansson.h>
#include <stdint.h>

typedef struct out_texts {
	const char **v;
	size_t n;
} out_texts;

/* One criterion as --explain shows it. */
typedef struct out_crit {
	const char *section; /* "inclusion", "exclusion", "unspecified" */
	const char *text;
	const char *outcome; /* "met", "not_met", ... (ctm_outcome_name) */
	const char *fact;    /* the patient's fact in words, or NULL */
	const char *cohort;  /* the cohorts it binds ("Cohort B"), or NULL */
	const char *lead;    /* cohort, unless the text names it first */
} out_crit;

typedef struct out_result {
	uint32_t rank; /* 1, 2, ...; 0 for a dropped row */
	const char *nct_id, *verdict, *title, *phase, *study_type, *status;
	const char *site;	 /* "facility, city, state, country" or "" */
	const char *last_update; /* YYYY-MM-DD or "" */
	double score, s_met, s_unknown, s_specificity, s_status, s_site;
	uint32_t met, unknown;
	out_texts to_check; /* the unknown criteria, one line each */
	out_texts missing;  /* the fact each of them waits for, same order */
	out_texts reasons;  /* the criteria not met, with the patient's fact */
	out_texts review;   /* the criteria not read */
	out_texts review_sections; /* "inclusion"/"exclusion" of each */
	out_crit *crits;    /* --explain only (never stored) */
	size_t n_crits;
	/* against the patient's previous list (batch, export, report) */
	const char *change;	  /* "new", "same", "changed", "dropped", NULL */
	const char *prev_verdict; /* changed and dropped rows */
	uint32_t prev_rank;	  /* 0: none */
	const char *drop_reason;  /* dropped rows */
} out_result;

typedef struct out_list {
	ctm_arena *arena; /* owns what the list points to that it made */
	const char *patient_id;
	out_texts warnings;
	out_result *results;
	size_t n;
	size_t candidates; /* trials evaluated (match only) */
	void *blob;	   /* a decoded record's bytes, owned */
} out_list;

/* The trial's page on ClinicalTrials.gov, into buf. Returns buf. */
const char *out_url(const char *nct_id, char *buf, size_t n);

/*
 * Fills l from a ranked job: the first `limit` results (0 = all), with
 * the profile's id and warnings. Strings point into the job, the trials
 * and the profile (which must outlive l) or into l->arena. CTM_ENOMEM.
 */
int out_from_job(out_list *l, const ctm_profile *p, const mj_job *job,
		 size_t limit, bool explain);
void out_list_free(out_list *l); /* frees what l owns; zeroes it */

/*
 * The stored form of a list (no --explain criteria): the results, then
 * the dropped rows (rank 0), each with its change against the patient's
 * previous list as the batch found it:
 * "CTMR", a version byte, then the fields, strings length-prefixed.
 * *out is malloc'd. Decoding copies the bytes; l points into the copy.
 * A record of another version or cut short is CTM_EPARSE.
 */
int out_record_encode(const out_list *l, char **out, size_t *len);
int out_record_decode(out_list *l, const void *data, size_t len,
		      ctm_error *err);

/* CSV (spec/cli.md): the header row, and one row a result. */
void out_csv_header(FILE *f);
void out_csv_rows(FILE *f, const out_list *l);

/*
 * The `match` JSON document of spec/cli.md; with_change adds "change"
 * (and the previous verdict, rank and drop reason where set). Caller
 * owns the result.
 */
json_t *out_json(const out_list *l, bool explain, bool with_change);

/*
 * The terminal table: width columns wide (titles wrap, never cut), the
 * review count per trial; with explain each criterion's outcome.
 */
void out_table(FILE *f, const out_list *l, bool explain, size_t width);

/* The width for tables: the terminal's, or 100 when stdout is not one. */
size_t out_table_width(void);

/* ---- what changed (changes.c) ---- */

typedef struct out_counts {
	size_t rows, new_, same, changed, dropped;
} out_counts;

void out_count_change(out_counts *c, const char *change);

/* What finding a drop reason needs; p NULL: no reasons looked up. */
typedef struct out_drop_ctx {
	ctm_index *idx;
	const ctm_matcher *m;
	const ctm_profile *p;
	const mj_options *mo;
	size_t n_now; /* results in the current list */
} out_drop_ctx;

/*
 * Marks cur's rows new, same (same verdict, counts, reasons and to-check
 * list) or changed (with the previous verdict and rank) against prev
 * (NULL: none), and, with_dropped, appends prev's rows that are gone,
 * each with why: removed from the index, closed, now ineligible (the
 * first criterion not met), fallen below --limit. Counts into c.
 */
int out_mark_changes(out_list *cur, const out_list *prev, bool with_dropped,
		     const out_drop_ctx *d, out_counts *c);

/*
 * The ids of the finished runs below `before` (0: all), newest first
 * (malloc'd). Prints the error and returns the exit status on failure.
 */
int out_run_history(const char *cmd, ctm_index *idx, uint64_t before,
		    uint64_t **out, size_t *n);

/*
 * The patient's own previous list: the newest stored one in runs (newest
 * first), wherever it lies. *found false when none (or in an older
 * record version).
 */
int out_previous_list(ctm_index *idx, const uint64_t *runs, size_t n_runs,
		      const char *patient, out_list *out, bool *found,
		      ctm_error *err);

/* ---- the last night: one run, or every shard of a sharded one (night.c) ---- */

typedef struct out_night {
	ctm_run last;	   /* the newest finished run */
	uint64_t *runs;	   /* unsharded: that run; sharded: shard K's run at
			    * [K - 1], 0 where the shard has none */
	size_t n_runs;
	long shards;	   /* N of --shard K/N; 0 unsharded */
	size_t n_missing;  /* shards without a finished run of the night */
	int64_t finished;  /* when the last of them finished */
} out_night;

/*
 * The runs of the last night: the newest finished run and, when it is a
 * shard K/N, the newest finished run of every other shard of the same N
 * whose identity is the same apart from K (same roster file, options,
 * lexicon and --today). A missing shard is reported on stderr (counted
 * in n_missing). Returns 0 or the exit status (no finished run: 3).
 */
int out_night_open(const char *cmd, const char *db, ctm_index *idx,
		   out_night *night);
void out_night_free(out_night *night);
/* K and N of a run made with --shard K/N; 0 (and 0/0) for another run. */
int out_run_shard(const ctm_run *run, long *k, long *n);
/* The smallest run id of the night. */
uint64_t out_night_first(const out_night *night);
/* Every stored list of the night, in patient-id byte order, as one
 * unsharded run gives them. */
int out_night_foreach(ctm_index *idx, const out_night *night, ctm_result_fn fn,
		      void *ctx, ctm_error *err);
/* One patient's list in the night (malloc'd), and the run that holds it
 * (run may be NULL); CTM_ENOTFOUND if none. */
int out_night_get(ctm_index *idx, const out_night *night, const char *patient,
		  void **data, size_t *len, uint64_t *run, ctm_error *err);
/* "run 7", or "runs 4, 5, 6 (shards 1-3 of 3)" with "-" for a missing one. */
void out_night_describe(const out_night *night, char *buf, size_t cap);

/* ---- filters (--phase, --study-type, --country) ---- */

#define OUT_MAX_PHASES 8

typedef struct out_filter {
	const char *phase[OUT_MAX_PHASES]; /* any of them */
	size_t n_phase;
	const char *study_type; /* equal, ignoring case */
	const char *country;	/* the best site's country, ignoring case */
} out_filter;

/*
 * Adds one filter option's value (opt: "--phase", "--study-type",
 * "--country"). A phase is "1".."4" (Phase N, also within "Phase 1/Phase
 * 2"), "early1", "n/a", or text found in the phase. Prints a usage error
 * and returns -1 on a bad value.
 */
int out_filter_add(out_filter *f, const char *opt, const char *value);
bool out_filter_any(const out_filter *f);
/* True when x passes every filter given. */
bool out_filter_pass(const out_filter *f, const out_result *x);
/* Keeps the results that pass; renumber: ranks 1.. again. */
void out_filter_apply(out_list *l, const out_filter *f, bool renumber);
void out_filter_free(out_filter *f); /* nothing owned today; for symmetry */

/* ---- XLSX (xlsx.c) ---- */

typedef struct out_xlsx out_xlsx;

/*
 * Starts a workbook at path (created 0600), or, path NULL, in a temporary
 * file that out_xlsx_close() copies to stdout. CTM_EIO, CTM_ENOMEM.
 */
int out_xlsx_open(out_xlsx **x, const char *path);
/* Adds l's rows (the CSV columns) to the sheet. */
void out_xlsx_rows(out_xlsx *x, const out_list *l);
/* Sets widths and the autofilter, writes the file; frees x. CTM_EIO. */
int out_xlsx_close(out_xlsx *x);

/* The UTF-8 byte-order mark some readers of CSV need (--bom). */
#define OUT_BOM "\xEF\xBB\xBF"

#endif
