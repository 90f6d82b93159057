/*
 * batch.c - `ctmatch batch`: the nightly run over a whole roster, and
 * `ctmatch export`: the stored lists of the last run as CSV.
 *
 * The main thread reads profiles in roster order and queues them; worker
 * threads (each with its own read transactions and decoded-trial cache)
 * match them; the main thread takes results back in roster order, writes
 * the output and stores each patient's list in the index in batches, each
 * one write transaction. A patient whose list is stored for this run is
 * finished: a run killed at any point and started again with the same
 * arguments (same roster file, options, lexicon and date) resumes the same
 * run, takes finished patients' lists from the index instead of matching
 * them again, and rewrites the whole output, so it is byte for byte what an
 * uninterrupted run writes.
 *
 * Every output row carries `change` against the patient's previous list:
 * `new`, `same` (same verdict, counts, reasons and to-check list; rank and
 * score may move), `changed`, and `dropped` for a trial in the previous
 * list that is not in this one (it repeats the previous row, rank empty).
 *
 * Each patient is compared with the patient's own newest list in the
 * finished runs before this one, wherever it lies (an ad hoc run over
 * another roster changes nothing for the patients it did not hold); a
 * changed row gives the previous verdict and rank, a dropped row why.
 * A stored list is an out_record (output.h): the results and the dropped
 * rows with their changes, so export and report read them as found.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RING 128 /* patients queued: room to find MJ_BLOCK that share candidates */
#define STORE_EVERY 64	/* lists per write transaction, at most */
#define STORE_SECONDS 1.0 /* or this long after the last one */
#define MAX_THREADS 16


typedef enum sstate { S_FREE = 0, S_QUEUED, S_TAKEN, S_DONE } sstate;

typedef struct slot {
	sstate state;
	ctm_profile *p;
	uint64_t group;	 /* mj_group_key(): patients that share candidates */
	char *blob;	 /* this run's stored list (out_record_encode) */
	size_t blob_len;
	bool warned;	 /* the profile had warnings */
	out_list list;	 /* the rows to write, for XLSX */
	bool stored;	 /* already in the index (resumed) */
	char *out;	 /* rendered output rows */
	size_t out_len;
	out_counts c;
	ctm_error err;
	bool failed;
} slot;

typedef struct batch {
	ctm_index *idx;
	const ctm_lexicon *lx;
	const ctm_matcher *m;
	mj_options mo;
	size_t limit;
	bool ndjson, new_only, bom;
	out_filter filter;
	out_xlsx *xlsx; /* --format xlsx */
	uint64_t run;
	uint64_t *history; /* the finished runs before this one, newest first */
	size_t n_history;

	pthread_mutex_t mu;
	pthread_cond_t ready, done;
	slot ring[RING];
	size_t head, take, tail;
	bool stop;

	FILE *out;
	ctm_result_put pend[STORE_EVERY];
	char *pend_blob[STORE_EVERY];
	char *pend_id[STORE_EVERY];
	size_t n_pend;
	size_t patients, rejected, resumed, total, warned;
	long threads; /* workers started */
	out_counts c;
	int status;
	bool progress;
	double start, last_draw, last_store;
} batch;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void worse(batch *b, int s)
{
	if (s > b->status)
		b->status = s;
}

/* ---- rows against the patient's previous list ---- */

/* Keeps the rows to write: without the same ones (new_only), without the
 * dropped ones (!with_dropped). In place. */
static void select_rows(out_list *l, bool new_only, bool with_dropped)
{
	size_t i, k = 0;

	for (i = 0; i < l->n; i++) {
		const out_result *x = &l->results[i];
		if ((new_only && x->change && !strcmp(x->change, "same")) ||
		    (!with_dropped && !x->rank))
			continue;
		l->results[k++] = *x;
	}
	l->n = k;
}

/*
 * Renders one patient's rows (CSV, or one NDJSON document, none when
 * new_only leaves no row) into a memory stream.
 */
static int render(const out_list *l, bool ndjson, bool new_only, char **out,
		  size_t *out_len)
{
	FILE *f;

	*out = NULL;
	*out_len = 0;
	f = open_memstream(out, out_len);
	if (!f)
		return CTM_ENOMEM;
	if (!ndjson) {
		out_csv_rows(f, l);
	} else if (!new_only || l->n) {
		json_t *doc = out_json(l, false, true);
		char *s = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s) {
			fputs(s, f);
			fputc('\n', f);
			free(s);
		}
		json_decref(doc);
	}
	fclose(f);
	return 0;
}

/* ---- workers ---- */

typedef struct worker {
	batch *b;
	pthread_t thread;
	mj_cache *cache;
} worker;

/*
 * A patient finished in an earlier attempt of this run: its stored list,
 * which holds its changes as they were found then. 1 when found (cur
 * filled), 0 when not stored, -1 on an error (s->failed).
 */
static int stored_list(batch *b, slot *s, out_list *cur)
{
	void *data = NULL;
	size_t len = 0, i;
	ctm_error err;
	int rc;

	ctm_error_clear(&err);
	rc = ctm_index_result_get(b->idx, b->run, s->p->id, &data, &len, &err);
	if (rc == 0 && out_record_decode(cur, data, len, &err) == 0) {
		s->blob = data;
		s->blob_len = len;
		s->stored = true;
		for (i = 0; i < cur->n; i++)
			out_count_change(&s->c, cur->results[i].change
						   ? cur->results[i].change : "new");
		return 1;
	}
	free(data);
	if (rc == 0 || rc == CTM_ENOTFOUND)
		return 0;
	s->err = err;
	s->failed = true;
	return -1;
}

/*
 * This run's list from the patient's job: against the patient's previous
 * list, encoded for the index, and decoded back into cur (the list as
 * stored, so a resumed run writes the same bytes). Frees the job.
 * 0, or -1 on an error (s->failed).
 */
static int list_from_job(batch *b, slot *s, mj_job *job, out_list *cur)
{
	out_list prev;
	bool have_prev = false;
	out_drop_ctx d;
	ctm_error err;
	int rc;

	memset(&prev, 0, sizeof prev);
	ctm_error_clear(&err);
	if (out_previous_list(b->idx, b->history, b->n_history, s->p->id, &prev,
			      &have_prev, &err)) {
		mj_free(job);
		s->err = err;
		s->failed = true;
		return -1;
	}
	d.idx = b->idx;
	d.m = b->m;
	d.p = s->p;
	d.mo = &b->mo;
	d.n_now = job->n < b->limit || !b->limit ? job->n : b->limit;
	rc = out_from_job(cur, s->p, job, b->limit, false);
	if (rc == 0)
		rc = out_mark_changes(cur, have_prev ? &prev : NULL, true, &d, &s->c);
	if (rc == 0)
		rc = out_record_encode(cur, &s->blob, &s->blob_len);
	out_list_free(cur);
	out_list_free(&prev);
	if (rc == 0)
		rc = out_record_decode(cur, s->blob, s->blob_len, &err);
	mj_free(job);
	if (rc) {
		ctm_error_set(&s->err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
		s->failed = true;
		return -1;
	}
	return 0;
}

/* The rows to write from the patient's list (which it frees). */
static void emit(batch *b, slot *s, out_list *cur)
{
	s->warned = cur->warnings.n > 0;
	out_filter_apply(cur, &b->filter, false);
	select_rows(cur, b->new_only, true);
	if (b->xlsx) {
		s->list = *cur; /* written in roster order by the main thread */
		return;
	}
	if (render(cur, b->ndjson, b->new_only, &s->out, &s->out_len)) {
		ctm_error_set(&s->err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
		s->failed = true;
	}
	out_list_free(cur);
}

/*
 * Matches the patients of n slots (at most MJ_BLOCK) together: those that
 * share candidates go through them trial by trial (mj_run_many). On an
 * error, each is matched again alone, so the error is the patient's own,
 * as it would be one at a time.
 */
static void process(batch *b, mj_cache *cache, slot **ss, size_t n)
{
	const ctm_profile *ps[MJ_BLOCK];
	slot *run[MJ_BLOCK];
	mj_job jobs[MJ_BLOCK];
	out_list cur;
	ctm_error err;
	size_t i, nr = 0;

	for (i = 0; i < n; i++) {
		memset(&cur, 0, sizeof cur);
		switch (stored_list(b, ss[i], &cur)) {
		case 1: emit(b, ss[i], &cur); break;
		case 0:
			run[nr] = ss[i];
			ps[nr++] = ss[i]->p;
			break;
		default: break;
		}
	}
	if (!nr)
		return;
	ctm_error_clear(&err);
	if (mj_run_many(b->idx, b->m, b->lx, ps, nr, &b->mo, cache, jobs, &err)) {
		for (i = 0; i < nr; i++) {
			ctm_error_clear(&err);
			if (mj_run(b->idx, b->m, b->lx, ps[i], &b->mo, cache, &jobs[i], &err)) {
				run[i]->err = err;
				run[i]->failed = true;
			}
		}
	}
	for (i = 0; i < nr; i++) {
		if (run[i]->failed)
			continue;
		memset(&cur, 0, sizeof cur);
		if (list_from_job(b, run[i], &jobs[i], &cur) == 0)
			emit(b, run[i], &cur);
	}
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	batch *b = w->b;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		slot *ss[MJ_BLOCK];
		size_t n = 0, i;
		while (!b->stop && b->take == b->tail)
			pthread_cond_wait(&b->ready, &b->mu);
		if (b->take == b->tail)
			break;
		/* the first patient queued, and up to MJ_BLOCK - 1 more
		 * queued after it that share its candidates (the same group
		 * key), fewer when the queue is short so that every worker
		 * has some; the output stays in roster order (consume_head) */
		{
			size_t cap = (b->tail - b->take) / (size_t)b->threads, k;
			uint64_t key = b->ring[b->take % RING].group;
			if (cap < 1)
				cap = 1;
			if (cap > MJ_BLOCK)
				cap = MJ_BLOCK;
			for (k = b->take; k < b->tail && n < cap; k++) {
				slot *q = &b->ring[k % RING];
				if (q->state != S_QUEUED || (n && q->group != key))
					continue;
				q->state = S_TAKEN;
				ss[n++] = q;
			}
			while (b->take < b->tail && b->ring[b->take % RING].state != S_QUEUED)
				b->take++;
		}
		pthread_mutex_unlock(&b->mu);
		process(b, w->cache, ss, n);
		pthread_mutex_lock(&b->mu);
		for (i = 0; i < n; i++)
			ss[i]->state = S_DONE;
		pthread_cond_broadcast(&b->done);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

/* ---- the main thread ---- */

static void store_pending(batch *b)
{
	ctm_error err;
	size_t i;

	if (!b->n_pend)
		return;
	ctm_error_clear(&err);
	if (b->status < CTM_EXIT_IO &&
	    ctm_index_results_put(b->idx, b->run, b->pend, b->n_pend, &err)) {
		cli_report("batch", &err);
		worse(b, CTM_EXIT_IO);
	}
	for (i = 0; i < b->n_pend; i++) {
		free(b->pend_blob[i]);
		free(b->pend_id[i]);
	}
	b->n_pend = 0;
	b->last_store = now();
}

static void draw_progress(batch *b, bool final)
{
	double t = now(), el = t - b->start, rate;

	if (!b->progress || (!final && t - b->last_draw < 0.2))
		return;
	b->last_draw = t;
	rate = el > 1e-9 ? (double)b->patients / el : 0;
	if (b->total && rate > 0 && b->patients <= b->total)
		fprintf(stderr, "\r%zu/%zu patients, %.0f/s, %.0f s left   ",
			b->patients, b->total, rate,
			(double)(b->total - b->patients) / rate);
	else
		fprintf(stderr, "\r%zu patients, %.0f/s   ", b->patients, rate);
	if (final)
		fputc('\n', stderr);
}

static void consume_head(batch *b)
{
	slot *s = &b->ring[b->head % RING];

	pthread_mutex_lock(&b->mu);
	while (s->state != S_DONE)
		pthread_cond_wait(&b->done, &b->mu);
	pthread_mutex_unlock(&b->mu);
	if (s->failed) {
		char msg[CTM_ERROR_MSG_MAX + 200];
		fprintf(stderr, "ctmatch batch: patient %s: %s\n", s->p->id,
			ctm_error_format(&s->err, msg, sizeof msg));
		worse(b, s->err.code == CTM_ENOMEM || s->err.code == CTM_EINDEX
				 ? CTM_EXIT_IO : CTM_EXIT_REJECTED);
		free(s->blob);
	} else {
		if (b->xlsx)
			out_xlsx_rows(b->xlsx, &s->list);
		if (s->out_len && fwrite(s->out, 1, s->out_len, b->out) != s->out_len) {
			fprintf(stderr, "ctmatch batch: cannot write the output: %s\n",
				strerror(errno));
			worse(b, CTM_EXIT_IO);
		}
		b->c.rows += s->c.rows;
		b->c.new_ += s->c.new_;
		b->c.same += s->c.same;
		b->c.changed += s->c.changed;
		b->c.dropped += s->c.dropped;
		b->patients++;
		b->warned += s->warned;
		if (s->stored) {
			b->resumed++;
			free(s->blob);
		} else {
			b->pend_id[b->n_pend] = strdup(s->p->id);
			b->pend_blob[b->n_pend] = s->blob;
			b->pend[b->n_pend].patient = b->pend_id[b->n_pend];
			b->pend[b->n_pend].data = s->blob;
			b->pend[b->n_pend].len = s->blob_len;
			if (!b->pend_id[b->n_pend]) {
				free(s->blob);
				worse(b, CTM_EXIT_IO);
			} else if (++b->n_pend == STORE_EVERY ||
				   now() - b->last_store >= STORE_SECONDS) {
				store_pending(b);
			}
		}
	}
	free(s->out);
	out_list_free(&s->list);
	ctm_profile_free(s->p);
	memset(s, 0, sizeof(*s));
	draw_progress(b, false);
	pthread_mutex_lock(&b->mu);
	b->head++;
	pthread_mutex_unlock(&b->mu);
}

static void enqueue(batch *b, ctm_profile *p)
{
	slot *s;

	if (b->tail - b->head == RING)
		consume_head(b);
	s = &b->ring[b->tail % RING];
	s->p = p;
	s->group = mj_group_key(b->m, p, &b->mo);
	pthread_mutex_lock(&b->mu);
	s->state = S_QUEUED;
	b->tail++;
	pthread_cond_signal(&b->ready);
	pthread_mutex_unlock(&b->mu);
}

/* FNV-1a: the same id lands in the same shard on every machine. */
static uint64_t id_hash(const char *s)
{
	return ctm_fnv1a(s, strlen(s), CTM_FNV_SEED);
}

/* A set of patient ids seen (duplicates in a roster are rejected). */
typedef struct idset {
	char **v;
	size_t cap, n;
} idset;

static int idset_add(idset *s, const char *id) /* 1 added, 0 dup, <0 nomem */
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024, k;
		char **v = calloc(cap, sizeof(*v));
		if (!v)
			return -1;
		for (k = 0; k < s->cap; k++) {
			if (s->v[k]) {
				i = id_hash(s->v[k]) & (cap - 1);
				while (v[i])
					i = (i + 1) & (cap - 1);
				v[i] = s->v[k];
			}
		}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	i = id_hash(id) & (s->cap - 1);
	while (s->v[i]) {
		if (!strcmp(s->v[i], id))
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->v[i] = strdup(id);
	if (!s->v[i])
		return -1;
	s->n++;
	return 1;
}

static void idset_free(idset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->v[i]);
	free(s->v);
}

static size_t count_profiles(const char *path, const ctm_lexicon *lx, int32_t today)
{
	ctm_profile_reader *r;
	ctm_profile *p;
	ctm_error err;
	size_t n = 0;
	int rc;

	if (!strcmp(path, "-") || ctm_profile_reader_open(&r, path, lx, today, &err))
		return 0;
	while ((rc = ctm_profile_reader_next(r, &p, &err)) != 0) {
		if (rc > 0) {
			ctm_profile_free(p);
			n++;
		}
	}
	ctm_profile_reader_close(r);
	return n;
}

static void batch_help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch batch --patients SOURCE [--out FILE] [OPTIONS]\n"
		"\n"
		"The nightly run: matches every patient of a roster, stores each\n"
		"patient's result list in the index, and marks every row new, same or\n"
		"changed against the previous finished run, with a dropped row for a\n"
		"match that disappeared. A run killed and started again with the same\n"
		"arguments resumes: finished patients are not matched again, and the\n"
		"output is what an uninterrupted run writes.\n"
		"\n"
		"  --patients SOURCE  a JSON array, NDJSON, a directory of JSON profiles,\n"
		"                     or a CSV roster (told by content); - for stdin\n"
		"  --out FILE         the output (default or -: stdout), mode 0600;\n"
		"                     written to FILE.tmp and renamed when the run\n"
		"                     is complete\n"
		"  --format FORMAT    csv (default), ndjson (one match document a line)\n"
		"                     or xlsx (an Excel workbook; needs --out or a\n"
		"                     redirected stdout)\n"
		"  --bom              start the CSV with a UTF-8 byte-order mark (Excel\n"
		"                     on Windows)\n"
		"  --phase P, --study-type T, --country C   write only the trials that\n"
		"                     match (all are stored; as for ctmatch report);\n"
		"                     --site-country C is --country C\n"
		"  --new-only         only new, changed and dropped rows\n"
		"  --threads N        worker threads (default: the number of cores)\n"
		"  --shard K/N        only the patients whose id hashes to shard K of N\n"
		"  --limit N          at most N trials a patient, best first (default\n"
		"                     20, as for match; 0 = all)\n"
		"  --include-ineligible, --all-statuses, --today YYYY-MM-DD,\n"
		"  --lexicon FILE, --show-values   as for ctmatch match\n"
		"  --db PATH          the index (default: $CTMATCH_DB, else ./ctmatch.lmdb)\n"
		"\n"
		"Exit status: 0 all matched; 1 some profiles rejected (each reported with\n"
		"source, line, patient id and key; the rest are matched) or some had\n"
		"warnings (unknown columns or keys, guessed names: in the warnings\n"
		"column); 2 usage error;\n"
		"3 the index or a file could not be opened or written, or another batch\n"
		"is running on the same index.\n");
}

int cli_batch_lock(const char *cmd, const char *db, int *fd_out)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s/batch.lock", db);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "ctmatch %s: cannot open %s: %s\n", cmd, path, strerror(errno));
		return CTM_EXIT_IO;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		fprintf(stderr, "ctmatch %s: another ctmatch batch is running on "
				"the index %s; wait for it to finish or use another "
				"--db\n", cmd, db);
		close(fd);
		return CTM_EXIT_IO;
	}
	*fd_out = fd;
	return 0;
}

int cli_batch(int argc, char **argv)
{
	enum { O_DB = 256, O_PATIENTS, O_OUT, O_FORMAT, O_NEW, O_THREADS, O_SHARD,
	       O_LIMIT, O_INEL, O_ALL, O_TODAY, O_LEX, O_BOM, O_PHASE, O_STYPE,
	       O_COUNTRY, O_SHOWV, O_HELP };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB},
		{"patients", required_argument, NULL, O_PATIENTS},
		{"out", required_argument, NULL, O_OUT},
		{"format", required_argument, NULL, O_FORMAT},
		{"new-only", no_argument, NULL, O_NEW},
		{"threads", required_argument, NULL, O_THREADS},
		{"shard", required_argument, NULL, O_SHARD},
		{"limit", required_argument, NULL, O_LIMIT},
		{"include-ineligible", no_argument, NULL, O_INEL},
		{"all-statuses", no_argument, NULL, O_ALL},
		{"today", required_argument, NULL, O_TODAY},
		{"lexicon", required_argument, NULL, O_LEX},
		{"bom", no_argument, NULL, O_BOM},
		{"phase", required_argument, NULL, O_PHASE},
		{"study-type", required_argument, NULL, O_STYPE},
		{"country", required_argument, NULL, O_COUNTRY},
		{"site-country", required_argument, NULL, O_COUNTRY},
		{"show-values", no_argument, NULL, O_SHOWV},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL, *db, *patients = NULL, *outpath = NULL, *format = "csv";
	char *lexfiles[CLI_MAX_LEXICONS], *end, tmppath[4096] = "", identity[256];
	size_t n_lex = 0;
	long threads = sysconf(_SC_NPROCESSORS_ONLN), shard_k = 0, shard_n = 0, lim;
	batch *b = NULL;
	ctm_lexicon *lx = NULL;
	ctm_matcher *m = NULL;
	ctm_profile_reader *rd = NULL;
	cli_diagnoses dx = {NULL, NULL};
	worker workers[MAX_THREADS];
	mj_trials *shared = NULL;
	ctm_run run;
	idset seen = {0};
	ctm_error err;
	struct stat st, ost;
	bool resumed = false, direct = false, show_values = false;
	int c, i, started = 0, lockfd = -1, rc, status;

	b = calloc(1, sizeof(*b));
	if (!b)
		return CTM_EXIT_IO;
	b->limit = 20;
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case O_DB: db_opt = optarg; break;
		case O_PATIENTS: patients = optarg; break;
		case O_OUT: outpath = optarg; break;
		case O_FORMAT: format = optarg; break;
		case O_NEW: b->new_only = true; break;
		case O_THREADS:
			if (cli_number_arg("batch", "--threads", optarg, 1,
					   MAX_THREADS, &threads)) {
				free(b);
				return CTM_EXIT_USAGE;
			}
			break;
		case O_SHARD:
			shard_k = strtol(optarg, &end, 10);
			if (*end == '/')
				shard_n = strtol(end + 1, &end, 10);
			if (*end || shard_n < 1 || shard_k < 1 || shard_k > shard_n) {
				fprintf(stderr, "ctmatch batch: --shard takes K/N with 1 <= K <= N\n");
				free(b);
				return CTM_EXIT_USAGE;
			}
			break;
		case O_LIMIT:
			if (cli_number_arg("batch", "--limit", optarg, 0,
					   LONG_MAX, &lim)) {
				free(b);
				return CTM_EXIT_USAGE;
			}
			b->limit = (size_t)lim;
			break;
		case O_INEL: b->mo.include_ineligible = true; break;
		case O_ALL: b->mo.all_statuses = true; break;
		case O_TODAY:
			if (ctm_date_parse(optarg, &b->mo.today)) {
				fprintf(stderr, "ctmatch batch: --today: '%s' is not a date\n", optarg);
				free(b);
				return CTM_EXIT_USAGE;
			}
			break;
		case O_LEX:
			if (cli_lexicon_arg("batch", lexfiles, &n_lex, optarg)) {
				free(b);
				return CTM_EXIT_USAGE;
			}
			break;
		case O_BOM: b->bom = true; break;
		case O_SHOWV: show_values = true; break;
		case O_PHASE:
		case O_STYPE:
		case O_COUNTRY:
			if (out_filter_add(&b->filter, c == O_PHASE ? "--phase"
						       : c == O_STYPE ? "--study-type"
								      : "--country",
					   optarg)) {
				free(b);
				return CTM_EXIT_USAGE;
			}
			break;
		case O_HELP: batch_help(stdout); free(b); return CTM_EXIT_OK;
		default:
			if (!cli_bad_option("batch", c, argv, opts))
				batch_help(stderr);
			free(b);
			 return CTM_EXIT_USAGE;
		}
	}
	if (optind < argc || !patients ||
	    (strcmp(format, "csv") && strcmp(format, "ndjson") && strcmp(format, "xlsx")) ||
	    (b->bom && strcmp(format, "csv")) ||
	    (!strcmp(format, "xlsx") && !outpath && isatty(STDOUT_FILENO))) {
		fprintf(stderr, "ctmatch batch: %s\n",
			!patients ? "--patients SOURCE is required"
			: optind < argc ? "unexpected argument"
			: b->bom && !strcmp(format, "ndjson") ? "--bom is for --format csv"
			: b->bom && !strcmp(format, "xlsx") ? "--bom is for --format csv"
			: !strcmp(format, "xlsx") ? "an XLSX workbook is binary: give --out FILE"
						  : "--format must be csv, ndjson or xlsx");
		batch_help(stderr);
		free(b);
		return CTM_EXIT_USAGE;
	}
	b->ndjson = !strcmp(format, "ndjson");
	b->mo.limit = b->limit;
	if (!b->mo.today)
		b->mo.today = mj_today();
	db = cli_db_path(db_opt);
	status = CTM_EXIT_OK;
	lx = cli_lexicon("batch", lexfiles, n_lex);
	if (!lx) {
		free(b);
		return CTM_EXIT_USAGE;
	}
	b->lx = lx;
	if ((status = cli_index_open("batch", db, CTM_INDEX_FAST_COMMIT, &b->idx)))
		goto done;
	if ((status = cli_index_current("batch", b->idx, db, lx, lexfiles, n_lex)))
		goto done;
	if ((status = cli_batch_lock("batch", db, &lockfd)))
		goto done;
	ctm_error_clear(&err);
	if (ctm_profile_reader_open(&rd, patients, lx, b->mo.today, &err)) {
		cli_report("batch", &err);
		status = err.code == CTM_EIO || err.code == CTM_ENOTFOUND
				 ? CTM_EXIT_IO : CTM_EXIT_REJECTED;
		goto done;
	}
	ctm_profile_reader_set_flags(rd, cli_profile_flags(show_values));
	/* the reader runs on this thread only: one context */
	if (cli_diagnoses_new("batch", lx, &dx)) {
		status = CTM_EXIT_IO;
		goto done;
	}
	ctm_profile_reader_set_criteria(rd, dx.ctx);
	/* What makes a rerun the same run: everything that shapes the lists. */
	memset(&st, 0, sizeof st);
	if (strcmp(patients, "-"))
		stat(patients, &st);
	snprintf(identity, sizeof identity,
		 "3|%ld/%ld|%s|%lld|%lld|%zu|%d%d|%08x%08x|%d", shard_k, shard_n,
		 patients, (long long)st.st_size, (long long)st.st_mtime,
		 b->limit, b->mo.all_statuses, b->mo.include_ineligible,
		 (unsigned)(ctm_lexicon_hash(lx) >> 32), (unsigned)ctm_lexicon_hash(lx),
		 (int)b->mo.today);
	if (ctm_index_run_open(b->idx, identity, (int64_t)time(NULL), &run, &resumed, &err)) {
		cli_report("batch", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	b->run = run.id;
	/* the finished runs before this one, newest first: each patient is
	 * compared with the newest of them that holds the patient's list */
	if ((status = out_run_history("batch", b->idx, run.id, &b->history, &b->n_history)))
		goto done;
	if (ctm_matcher_new(&m, lx, &err)) {
		cli_report("batch", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	b->m = m;
	if (outpath && !strcmp(outpath, "-"))
		outpath = NULL; /* - is stdout */
	if (!strcmp(format, "xlsx")) {
		if (outpath && stat(outpath, &ost) == 0 && !S_ISREG(ost.st_mode)) {
			fprintf(stderr, "ctmatch batch: %s: an XLSX workbook goes to a "
					"regular file\n", outpath);
			status = CTM_EXIT_USAGE;
			goto done;
		}
		if (outpath)
			snprintf(tmppath, sizeof tmppath, "%s.tmp", outpath);
		if (out_xlsx_open(&b->xlsx, outpath ? tmppath : NULL)) {
			fprintf(stderr, "ctmatch batch: cannot write %s: %s\n",
				outpath ? tmppath : "a temporary workbook", strerror(errno));
			status = CTM_EXIT_IO;
			goto done;
		}
	} else if (outpath && stat(outpath, &ost) == 0 && !S_ISREG(ost.st_mode)) {
		/* a device or a pipe: written directly, never replaced */
		b->out = fopen(outpath, "w");
		if (!b->out) {
			fprintf(stderr, "ctmatch batch: cannot write %s: %s\n", outpath, strerror(errno));
			status = CTM_EXIT_IO;
			goto done;
		}
		outpath = NULL;
		direct = true;
	} else if (outpath) {
		snprintf(tmppath, sizeof tmppath, "%s.tmp", outpath);
		/* 0600 whatever the umask: the output holds patient data */
		b->out = cli_create_private(tmppath);
		if (!b->out) {
			fprintf(stderr, "ctmatch batch: cannot write %s: %s\n", tmppath, strerror(errno));
			status = CTM_EXIT_IO;
			goto done;
		}
	} else {
		b->out = stdout;
	}
	if (b->out && !b->ndjson) {
		if (b->bom)
			fputs(OUT_BOM, b->out);
		out_csv_header(b->out);
	}
	b->progress = cli_progress_wanted();
	if (b->progress)
		b->total = count_profiles(patients, lx, b->mo.today);
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->ready, NULL);
	pthread_cond_init(&b->done, NULL);
	{
		/* one cache of decoded trials for every worker: without it
		 * (no memory), each candidate is read again every time */
		ctm_index_info info;
		ctm_error ierr;
		if (ctm_index_info_get(b->idx, &info, &ierr) == 0)
			shared = mj_trials_new(info.n_trials);
	}
	for (i = 0; i < threads && i < MAX_THREADS; i++) {
		workers[i].b = b;
		workers[i].cache = mj_cache_new(shared);
		if (!workers[i].cache ||
		    pthread_create(&workers[i].thread, NULL, worker_main, &workers[i])) {
			mj_cache_free(workers[i].cache);
			break;
		}
		started++;
	}
	b->threads = started;
	b->start = b->last_store = now();
	for (;;) {
		ctm_profile *p;
		ctm_error_clear(&err);
		rc = ctm_profile_reader_next(rd, &p, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			cli_report("batch: rejected", &err);
			b->rejected++;
			worse(b, CTM_EXIT_REJECTED);
			if (rc == CTM_EIO || rc == CTM_ENOMEM)
				break;
			continue;
		}
		if (shard_n && id_hash(p->id) % (uint64_t)shard_n != (uint64_t)(shard_k - 1)) {
			ctm_profile_free(p);
			continue;
		}
		rc = idset_add(&seen, p->id);
		if (rc <= 0) {
			const char *src;
			int line;
			ctm_profile_reader_where(rd, &src, &line);
			fprintf(stderr, "ctmatch batch: rejected: %s:%d: id: patient %s: %s\n",
				src, line, p->id, rc < 0 ? "out of memory"
					: "duplicate patient id (the first one is matched)");
			b->rejected++;
			worse(b, rc < 0 ? CTM_EXIT_IO : CTM_EXIT_REJECTED);
			ctm_profile_free(p);
			continue;
		}
		if (!started) {
			ctm_profile_free(p);
			worse(b, CTM_EXIT_IO);
			break;
		}
		enqueue(b, p);
	}
	while (b->head < b->tail)
		consume_head(b);
	store_pending(b);
	pthread_mutex_lock(&b->mu);
	b->stop = true;
	pthread_cond_broadcast(&b->ready);
	pthread_mutex_unlock(&b->mu);
	for (i = 0; i < started; i++) {
		pthread_join(workers[i].thread, NULL);
		mj_cache_free(workers[i].cache);
	}
	mj_trials_free(shared);
	shared = NULL;
	draw_progress(b, true);
	if (b->xlsx) {
		if (out_xlsx_close(b->xlsx)) {
			fprintf(stderr, "ctmatch batch: cannot write the workbook %s\n",
				outpath ? tmppath : "");
			worse(b, CTM_EXIT_IO);
		}
		b->xlsx = NULL;
	} else if (b->out != stdout) {
		if (fclose(b->out) != 0) {
			fprintf(stderr, "ctmatch batch: cannot write %s: %s\n",
				direct ? "the output" : tmppath, strerror(errno));
			worse(b, CTM_EXIT_IO);
		}
		b->out = NULL;
	} else {
		fflush(stdout);
	}
	/* a run is finished only when every patient's list is stored */
	if (b->status < CTM_EXIT_IO) {
		if (ctm_index_run_finish(b->idx, b->run, (int64_t)time(NULL),
					 (uint32_t)b->patients, &err)) {
			cli_report("batch", &err);
			worse(b, CTM_EXIT_IO);
		} else if (outpath && rename(tmppath, outpath) != 0) {
			fprintf(stderr, "ctmatch batch: cannot rename %s to %s: %s\n",
				tmppath, outpath, strerror(errno));
			worse(b, CTM_EXIT_IO);
		}
	}
	fprintf(stderr,
		"batch: run %llu%s: %zu patients matched (%zu from the stored run, "
		"%zu rejected) in %.2f s: %zu rows (new %zu, same %zu, changed %zu, "
		"dropped %zu)\n",
		(unsigned long long)b->run, resumed ? " resumed" : "", b->patients,
		b->resumed, b->rejected, now() - b->start, b->c.rows, b->c.new_,
		b->c.same, b->c.changed, b->c.dropped);
	if (b->warned) {
		/* the warnings themselves are in the output, not on stderr */
		fprintf(stderr, "batch: %zu patient profile%s had warnings (unknown "
			"keys or columns, guessed names): see the warnings column\n",
			b->warned, b->warned == 1 ? "" : "s");
		worse(b, CTM_EXIT_REJECTED);
	}
	status = b->status;
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->ready);
	pthread_cond_destroy(&b->done);
done:
	free(b->history);
	if (b->xlsx) {
		out_xlsx_close(b->xlsx);
		if (tmppath[0])
			unlink(tmppath);
	}
	mj_trials_free(shared);
	if (b->out && b->out != stdout)
		fclose(b->out);
	idset_free(&seen);
	ctm_profile_reader_close(rd);
	cli_diagnoses_free(&dx);
	ctm_matcher_free(m);
	if (lockfd >= 0)
		close(lockfd);
	ctm_index_close(b->idx);
	ctm_lexicon_free(lx);
	free(b);
	return status;
}

/* ---- export ---- */

typedef struct export_ctx {
	out_filter filter;
	out_xlsx *xlsx; /* --format xlsx */
	int status;
} export_ctx;

static int export_one(void *ctx, const char *patient, const void *data, size_t len)
{
	export_ctx *x = ctx;
	out_list cur;
	char *out = NULL;
	size_t out_len = 0;
	ctm_error err;
	int rc;

	ctm_error_clear(&err);
	if (out_record_decode(&cur, data, len, &err)) {
		fprintf(stderr, "ctmatch export: patient %s: %s\n", patient, err.message);
		x->status = CTM_EXIT_REJECTED;
		return 0;
	}
	out_filter_apply(&cur, &x->filter, false);
	select_rows(&cur, false, false);
	if (x->xlsx) {
		out_xlsx_rows(x->xlsx, &cur);
		out_list_free(&cur);
		return 0;
	}
	rc = render(&cur, false, false, &out, &out_len);
	if (rc == 0 && out_len)
		fwrite(out, 1, out_len, stdout);
	free(out);
	out_list_free(&cur);
	return rc;
}

static void export_help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch export [--db PATH] [--patient ID]... [--format csv|xlsx]\n"
		"       [--bom] [--phase P] [--study-type T] [--country C]\n"
		"\n"
		"Writes the stored match lists of the last finished batch run as CSV\n"
		"(spec/cli.md columns), all patients or each --patient given, with\n"
		"`change` against each patient's previous list. When that run is a\n"
		"shard K/N, the newest finished run of every shard of the same night\n"
		"(same N, roster, options and --today) is written with it, in the\n"
		"order one unsharded run gives (patient id); shards run on copies of\n"
		"the index are brought in first with ctmatch import-run. --format xlsx writes an\n"
		"Excel workbook to stdout; --bom starts the CSV with a byte-order mark\n"
		"(Excel on Windows); --phase, --study-type and --country keep the\n"
		"trials that match (as for ctmatch report); --site-country C is\n"
		"--country C.\n"
		"\n"
		"Exit status: 0 done; 1 some --patient ids had no stored list, or a\n"
		"shard of the last night has no finished run (named on stderr; the\n"
		"others are written); 2 usage error; 3 the index could not be opened,\n"
		"or holds no finished run.\n");
}

int cli_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"patient", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'f'},
		{"bom", no_argument, NULL, 'b'},
		{"phase", required_argument, NULL, 'P'},
		{"study-type", required_argument, NULL, 'T'},
		{"country", required_argument, NULL, 'C'},
		{"site-country", required_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL, **ids = NULL, *format = "csv";
	bool bom = false;
	size_t n_ids = 0, i;
	ctm_index *idx = NULL;
	out_night night = {0};
	ctm_error err;
	export_ctx x = {0};
	int c, rc, status = CTM_EXIT_OK;

	ids = calloc((size_t)argc + 1, sizeof(*ids));
	if (!ids)
		return CTM_EXIT_IO;
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'p': ids[n_ids++] = optarg; break;
		case 'f': format = optarg; break;
		case 'b': bom = true; break;
		case 'P':
		case 'T':
		case 'C':
			if (out_filter_add(&x.filter, c == 'P' ? "--phase" : c == 'T'
						    ? "--study-type" : "--country", optarg)) {
				free(ids);
				return CTM_EXIT_USAGE;
			}
			break;
		case 'h': export_help(stdout); free(ids); return CTM_EXIT_OK;
		default:
			if (!cli_bad_option("export", c, argv, opts))
				export_help(stderr);
			free(ids);
			 return CTM_EXIT_USAGE;
		}
	}
	if (optind < argc || (strcmp(format, "csv") && strcmp(format, "xlsx")) ||
	    (bom && strcmp(format, "csv"))) {
		if (optind >= argc)
			fprintf(stderr, "ctmatch export: %s\n",
				bom && !strcmp(format, "xlsx")
					? "--bom is for --format csv"
					: "--format must be csv or xlsx");
		export_help(stderr);
		free(ids);
		return CTM_EXIT_USAGE;
	}
	if (!strcmp(format, "xlsx") && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ctmatch export: an XLSX workbook is binary: redirect "
				"stdout to a file\n");
		free(ids);
		return CTM_EXIT_USAGE;
	}
	if ((status = cli_index_open("export", cli_db_path(db), CTM_INDEX_READONLY, &idx))) {
		free(ids);
		return status;
	}
	ctm_error_clear(&err);
	if ((status = out_night_open("export", cli_db_path(db), idx, &night)))
		goto done;
	if (night.n_missing)
		status = CTM_EXIT_REJECTED;
	if (!strcmp(format, "xlsx")) {
		if (out_xlsx_open(&x.xlsx, NULL)) {
			fprintf(stderr, "ctmatch export: cannot make the workbook: %s\n",
				strerror(errno));
			status = CTM_EXIT_IO;
			goto done;
		}
	} else {
		if (bom)
			fputs(OUT_BOM, stdout);
		out_csv_header(stdout);
	}
	if (!n_ids) {
		if (out_night_foreach(idx, &night, export_one, &x, &err)) {
			cli_report("export", &err);
			status = CTM_EXIT_IO;
		}
	}
	for (i = 0; i < n_ids; i++) {
		void *data;
		size_t len;
		rc = out_night_get(idx, &night, ids[i], &data, &len, NULL, &err);
		if (rc == CTM_ENOTFOUND) {
			char runs[256];
			out_night_describe(&night, runs, sizeof runs);
			fprintf(stderr, "ctmatch export: patient %s has no stored list in %s\n",
				ids[i], runs);
			if (status < CTM_EXIT_REJECTED)
				status = CTM_EXIT_REJECTED;
			continue;
		}
		if (rc) {
			cli_report("export", &err);
			status = CTM_EXIT_IO;
			break;
		}
		export_one(&x, ids[i], data, len);
		free(data);
	}
	if (x.xlsx && out_xlsx_close(x.xlsx)) {
		fprintf(stderr, "ctmatch export: cannot write the workbook\n");
		status = CTM_EXIT_IO;
	}
	x.xlsx = NULL;
done:
	if (x.status > status)
		status = x.status;
	out_night_free(&night);
	ctm_index_close(idx);
	free(ids);
	return status;
}
