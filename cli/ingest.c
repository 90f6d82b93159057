/*
 * ingest.c - `ctmatch ingest SOURCE...`: records in, index out.
 *
 * A SOURCE is a record file (its format told by content), a directory
 * searched recursively for *.xml, *.json, *.ndjson and *.zip, a .zip
 * archive read in place through libarchive, or "-" for standard input.
 *
 * The work is a pipeline. The main thread walks the sources in order and
 * queues "units" (a file to parse, or bytes read from an archive or stdin);
 * worker threads read units into trials, each unit by one worker in order;
 * the main thread takes finished units back in queue order, reports
 * rejections and upserts the trials in batches, each batch one write
 * transaction. The order of records, and so the result, does not depend on
 * the threads.
 *
 * Reading a record's criteria costs several times reading its XML, so a
 * worker reading a unit queues each record's criteria for any worker, and
 * reads on while fewer than one a worker are queued; otherwise it reads
 * the oldest queued itself. Each record keeps its slot in its unit,
 * and the main thread takes a unit's trials only as far as their criteria
 * are read, so a big file is read in order on one thread and its criteria
 * on all of them.
 *
 * A nightly re-ingest of a bulk download in which little changed: when the
 * index holds trials, the readers read each record only as far as its id
 * and last-update date and skip it when the stored copy is as new and was
 * read by this version of the parser and lexicon (ctm_xml_set_filter;
 * one short read of the index per record), so it is neither read whole
 * nor parsed. A kept XML record is read twice, so the filter is turned off
 * for the rest of the run once fewer than a quarter of the records seen
 * were skipped.
 */
#define _DEFAULT_SOURCE 1 /* d_type and DT_* of <dirent.h> */
#include "cli_common.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH 512
#define RING 64			    /* units queued or being parsed */
#define BULK 16			    /* units handed back per wake-up */
#define MAX_AHEAD (4 * BATCH) /* parsed trials waiting for the writer */
#define MAX_ENTRY_BYTES (64u << 20) /* one file inside an archive */
#define MAX_STDIN_BYTES (1u << 30)
#define MAX_DEPTH 32
#define MAX_THREADS 16
#define SLURP_MAX (64u << 20) /* a file read whole to parse */

typedef enum ustate { U_FREE = 0, U_QUEUED, U_TAKEN, U_DONE } ustate;

/* A record read from a unit, its criteria being read or read. */
typedef struct slot {
	ctm_trial *t; /* NULL when its criteria could not be read */
	bool done;    /* its criteria are read (or failed) */
} slot;

/* A rejection: by the reader, before record `at` of the unit; or of
 * record `at`'s criteria. */
typedef struct uerr {
	size_t at;
	ctm_error e;
} uerr;

typedef struct unit {
	ustate state;	     /* U_DONE: read, and every slot done */
	char *path;	     /* a file to open, or NULL */
	char *buf;	     /* bytes to parse (archive member, stdin) */
	size_t len;
	char *name;	     /* for error messages */
	bool file;	     /* a file of its own, not an archive member */
	bool read;	     /* the reader is through (guarded by mu) */
	/* records read, in order (guarded by mu): record i of the unit is
	 * slots[i - base]; those taken are dropped as room is needed */
	slot *slots;
	size_t base, n, cap;
	size_t ready;	     /* records before it are done */
	size_t taken;	     /* records the main thread has taken */
	uerr *errs;	     /* the reader's rejections, in order */
	size_t n_errs, cap_errs;
	uerr *cerrs;	     /* criteria failures, any order (mu) */
	size_t n_cerrs, cap_cerrs;
	size_t skipped;	     /* records skipped unread: unchanged */
	bool nomem;	     /* the reader ran out of memory */
	bool slot_nomem;     /* a criteria failure could not be kept (mu) */
} unit;

#define SLOT(u, i) (&(u)->slots[(i) - (u)->base])

/* A record whose criteria wait for an idle worker. */
typedef struct task {
	unit *u;
	size_t i;
} task;

typedef struct ingest {
	ctm_index *idx;
	const ctm_lexicon *lx;
	ctm_criteria_parser *cp;
	uint64_t version; /* ctm_criteria_current_version(lx) */
	bool filter;	  /* skip unchanged records unread (guarded by mu) */
	size_t seen, skipped; /* records seen and skipped while filtering */

	/* the ring, guarded by mu */
	pthread_mutex_t mu;
	pthread_cond_t ready; /* a unit or task was queued, or stop */
	pthread_cond_t done;  /* a unit was parsed */
	unit ring[RING];
	size_t head, take, tail; /* consume <= take <= queue positions */
	bool stop;
	unit *wait_for;	 /* the main thread sleeps until it is done, or NULL */
	size_t pending;	 /* read records the main thread has not taken */
	size_t blocked;	 /* workers waiting for their unit to be the head */
	size_t idle;	 /* workers waiting for work */
	size_t threads;	 /* workers; fewer tasks than that are queued */
	task tasks[MAX_THREADS];
	size_t task_head, n_tasks;

	/* the main thread's own state */
	ctm_trial *batch[BATCH];
	size_t n;
	uint32_t added, updated, unchanged, rejected;
	size_t records, files;
	int status; /* worst exit status so far */
	bool progress, index_failed;
	double start, last_draw;
} ingest;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void worse(ingest *in, int status)
{
	if (status > in->status)
		in->status = status;
}

static void draw_progress(ingest *in, bool final)
{
	double t = now();

	if (!in->progress || (!final && t - in->last_draw < 0.2))
		return;
	in->last_draw = t;
	fprintf(stderr, "\r%zu records from %zu files, %.0f records/s   ",
		in->records, in->files,
		in->records / (t - in->start > 1e-9 ? t - in->start : 1e-9));
	if (final)
		fputc('\n', stderr);
}

/* ---- workers ---- */

/* A rejection by the unit's reader (only it adds them: no lock; u->n,
 * which other threads do not change, says where it falls). */
static void unit_error(unit *u, const ctm_error *err)
{
	if (u->n_errs == u->cap_errs) {
		size_t cap = u->cap_errs ? u->cap_errs * 2 : 4;
		uerr *e = realloc(u->errs, cap * sizeof(*e));
		if (!e) {
			u->nomem = true;
			return;
		}
		u->errs = e;
		u->cap_errs = cap;
	}
	u->errs[u->n_errs].at = u->n;
	u->errs[u->n_errs++].e = *err;
}

/* The unit is read and each of its records' criteria too: the main
 * thread may be waiting for it, or for a batch's worth of trials.
 * Under mu. */
static void unit_progress(ingest *in, unit *u)
{
	bool head = u == &in->ring[in->head % RING];

	if (u->read && u->ready == u->n)
		u->state = U_DONE;
	if (!in->wait_for)
		return;
	if (u->state == U_DONE
		    ? u == in->wait_for || head || in->pending >= BATCH
		    : head && u->ready - u->taken >= BATCH)
		pthread_cond_broadcast(&in->done);
}

/* Keeps a failure of record i's criteria, to be reported in its place.
 * Under mu. */
static void criteria_failed(unit *u, size_t i, const ctm_error *err)
{
	if (u->n_cerrs == u->cap_cerrs) {
		size_t cap = u->cap_cerrs ? u->cap_cerrs * 2 : 4;
		uerr *e = realloc(u->cerrs, cap * sizeof(*e));
		if (!e) {
			u->slot_nomem = true;
			return;
		}
		u->cerrs = e;
		u->cap_cerrs = cap;
	}
	u->cerrs[u->n_cerrs].at = i;
	u->cerrs[u->n_cerrs++].e = *err;
}

/*
 * Reads the criteria of record i of u, t (its slot is taken: no other
 * thread touches t), and marks the slot done.
 */
static void read_criteria(ingest *in, ctm_criteria_ctx *cctx, unit *u,
			  size_t i, ctm_trial *t)
{
	ctm_error err;
	bool failed;

	ctm_error_clear(&err);
	failed = ctm_criteria_parse(cctx, t, &err) != 0;
	if (failed) {
		ctm_error_set_field(&err, "criteria");
		snprintf(err.file, sizeof(err.file), "%s",
			 u->name ? u->name : u->path);
		ctm_trial_free(t);
		t = NULL;
	}
	pthread_mutex_lock(&in->mu);
	SLOT(u, i)->t = t;
	SLOT(u, i)->done = true;
	if (failed)
		criteria_failed(u, i, &err);
	while (u->ready < u->n && SLOT(u, u->ready)->done)
		u->ready++;
	unit_progress(in, u);
	pthread_mutex_unlock(&in->mu);
}

/* Takes the oldest queued task, and its trial. Under mu. */
static task pop_task(ingest *in, ctm_trial **t)
{
	task k = in->tasks[in->task_head];

	*t = SLOT(k.u, k.i)->t;
	in->task_head = (in->task_head + 1) % MAX_THREADS;
	in->n_tasks--;
	return k;
}

/*
 * Hands a record read over, its criteria still to read: queued for any
 * worker while fewer than one a worker are queued (so a worker that
 * finishes finds the next), else the oldest queued is read here. The main thread takes
 * the head unit's trials while it is still being read, a batch at a time,
 * so a file of a million records is never held whole. A unit holds at
 * most MAX_AHEAD records the main thread has not taken: its worker waits
 * for the main thread to take some (for a unit after the head, to reach
 * it), first waking it, as it may be waiting for exactly these trials.
 */
static void unit_trial(ingest *in, ctm_criteria_ctx *cctx, unit *u,
		       ctm_trial *t)
{
	ctm_trial *t2;
	size_t i;

	task k;

	pthread_mutex_lock(&in->mu);
	while (u->n - u->taken >= MAX_AHEAD) {
		if (in->n_tasks) { /* the records queued first */
			k = pop_task(in, &t2);
			pthread_mutex_unlock(&in->mu);
			read_criteria(in, cctx, k.u, k.i, t2);
			pthread_mutex_lock(&in->mu);
			continue;
		}
		if (in->wait_for)
			pthread_cond_broadcast(&in->done);
		in->blocked++;
		pthread_cond_wait(&in->ready, &in->mu);
		in->blocked--;
	}
	if (u->n - u->base == u->cap && u->taken > u->base) {
		/* drop the slots taken */
		memmove(u->slots, SLOT(u, u->taken),
			(u->n - u->taken) * sizeof(*u->slots));
		u->base = u->taken;
	}
	if (u->n - u->base == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 4;
		slot *v = realloc(u->slots, cap * sizeof(*v));
		if (!v) {
			pthread_mutex_unlock(&in->mu);
			ctm_trial_free(t);
			u->nomem = true;
			return;
		}
		u->slots = v;
		u->cap = cap;
	}
	i = u->n++;
	SLOT(u, i)->t = t;
	SLOT(u, i)->done = false;
	in->pending++;
	k.u = u;
	k.i = i;
	in->tasks[(in->task_head + in->n_tasks++) % MAX_THREADS] = k;
	if (in->n_tasks < in->threads) {
		if (in->idle || in->blocked)
			pthread_cond_broadcast(&in->ready);
		pthread_mutex_unlock(&in->mu);
		return;
	}
	k = pop_task(in, &t2);
	pthread_mutex_unlock(&in->mu);
	read_criteria(in, cctx, k.u, k.i, t2);
}

static void reject_format(unit *u, ctm_format f, const char *name)
{
	ctm_error err;

	ctm_error_clear(&err);
	if (f == CTM_FORMAT_ZIP && u->file)
		ctm_error_set(&err, CTM_EPARSE, name, 0, 0,
			      "a zip archive not named *.zip is not read "
			      "from a directory: name it .zip or give it "
			      "on the command line");
	else if (f == CTM_FORMAT_ZIP)
		ctm_error_set(&err, CTM_EPARSE, name, 0, 0,
			      "a zip archive inside an archive is not read");
	else
		ctm_error_set(&err, CTM_EPARSE, name, 1, 1,
			      "not a trial record: neither XML, JSON nor a "
			      "zip archive");
	unit_error(u, &err);
}

/* True when a unit holds nothing but white space. */
static bool blank_unit(const unit *u)
{
	unsigned char buf[4096];
	size_t n, i;
	bool blank = true;
	FILE *fp;

	if (!u->path) {
		for (i = 0; i < u->len && blank; i++)
			blank = u->buf[i] == ' ' || u->buf[i] == '\t' ||
				u->buf[i] == '\r' || u->buf[i] == '\n';
		return blank;
	}
	fp = fopen(u->path, "rb");
	if (!fp)
		return false;
	while (blank && (n = fread(buf, 1, sizeof(buf), fp)) > 0)
		for (i = 0; i < n && blank; i++)
			blank = buf[i] == ' ' || buf[i] == '\t' ||
				buf[i] == '\r' || buf[i] == '\n';
	fclose(fp);
	return blank;
}

/*
 * Reads a file unit of at most SLURP_MAX bytes whole into u->buf (one
 * open and one read instead of a probe and the parser's many reads);
 * the path stays for messages. Larger files stay streamed from disk.
 * Returns 1 if read, 0 if left to stream, -1 on error (err set).
 */
static int slurp(unit *u, ctm_error *err)
{
	struct stat st;
	size_t got = 0;
	ssize_t r;
	int fd = open(u->path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		ctm_error_set(err, CTM_EIO, u->path, 0, 0, "cannot open: %s",
			      strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > SLURP_MAX) {
		close(fd);
		return 0;
	}
	u->buf = malloc((size_t)st.st_size + 1);
	if (!u->buf) {
		close(fd);
		return 0;
	}
	while (got < (size_t)st.st_size &&
	       (r = read(fd, u->buf + got, (size_t)st.st_size - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ctm_error_set(err, CTM_EIO, u->path, 0, 0,
				      "cannot read: %s", strerror(errno));
			close(fd);
			free(u->buf);
			u->buf = NULL;
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	u->len = got; /* a file that shrank meanwhile: what was read */
	if (!u->name)
		u->name = u->path;
	else
		free(u->path);
	u->path = NULL;
	return 1;
}

/* The filter: true when the index holds this record as new, read by
 * this version. */
static bool stored_as_new(void *ctx, const char *nct_id, int32_t last_update)
{
	ingest *in = ctx;
	int32_t stored;
	uint64_t version;
	uint32_t num;
	ctm_error err;

	if (ctm_nct_parse(nct_id, &num) ||
	    ctm_index_stored(in->idx, num, &stored, &version, &err) != 0)
		return false; /* absent, or a failure the write will report */
	return stored >= last_update && version == in->version;
}

/* Parses one unit: XML or JSON by content, criteria included; with
 * `filter`, records the index holds as they are are skipped unread. */
static void parse_unit(ingest *in, ctm_criteria_ctx *cctx, unit *u,
		       bool filter)
{
	const char *name = u->name ? u->name : u->path;
	unsigned char head[64];
	ctm_format f;
	ctm_error err;
	int rc;

	ctm_error_clear(&err);
	if (u->path && slurp(u, &err) < 0) {
		unit_error(u, &err);
		return;
	}
	if (u->path) {
		FILE *fp = fopen(u->path, "rb");
		size_t n;
		if (!fp) {
			ctm_error_set(&err, CTM_EIO, u->path, 0, 0,
				      "cannot open: %s", strerror(errno));
			unit_error(u, &err);
			return;
		}
		n = fread(head, 1, sizeof(head), fp);
		fclose(fp);
		f = ctm_format_detect(head, n);
	} else {
		f = ctm_format_detect(u->buf, u->len);
	}
	if (f == CTM_FORMAT_XML || f == CTM_FORMAT_JSON) {
		bool xml = f == CTM_FORMAT_XML;
		ctm_xml_reader *xr = NULL;
		ctm_json_reader *jr = NULL;
		ctm_trial *t;

		if (xml)
			rc = u->path ? ctm_xml_open_file(&xr, u->path, &err)
				     : ctm_xml_open_memory(&xr, u->buf, u->len,
							   name, &err);
		else
			rc = u->path ? ctm_json_open_file(&jr, u->path, &err)
				     : ctm_json_open_memory(&jr, u->buf, u->len,
							    name, &err);
		if (rc) {
			unit_error(u, &err);
			return;
		}
		if (filter && xml)
			ctm_xml_set_filter(xr, stored_as_new, in);
		else if (filter)
			ctm_json_set_filter(jr, stored_as_new, in);
		for (;;) {
			ctm_error_clear(&err);
			rc = xml ? ctm_xml_next(xr, &t, &err)
				 : ctm_json_next(jr, &t, &err);
			if (rc == 0)
				break;
			if (rc == CTM_RECORD_SKIPPED) {
				u->skipped++;
				continue;
			}
			if (rc < 0) {
				if (rc == CTM_ENOMEM)
					u->nomem = true;
				unit_error(u, &err);
				continue;
			}
			unit_trial(in, cctx, u, t);
		}
		ctm_xml_close(xr);
		ctm_json_close(jr);
		return;
	}
	if (f == CTM_FORMAT_UNKNOWN && blank_unit(u)) {
		ctm_error_set(&err, CTM_EPARSE, name, 1, 1,
			      "empty document: no record");
		unit_error(u, &err);
		return;
	}
	reject_format(u, f, name);
}

typedef struct worker {
	ingest *in;
	pthread_t thread;
	ctm_criteria_ctx *cctx;
} worker;

static void *worker_main(void *arg)
{
	worker *w = arg;
	ingest *in = w->in;
	bool filter;

	pthread_mutex_lock(&in->mu);
	for (;;) {
		unit *u;
		/* no task and nothing queued: wait for more, or the end;
		 * queued, but a bound of parsed trials waits for the index
		 * writer: wait until it takes some (the head unit is being
		 * parsed by then, so the writer is never waiting on us) */
		in->idle++;
		while (!in->n_tasks && (in->take == in->tail
						? !in->stop
						: in->pending >= MAX_AHEAD))
			pthread_cond_wait(&in->ready, &in->mu);
		in->idle--;
		if (in->n_tasks) { /* a record's criteria, first */
			ctm_trial *t;
			task k = pop_task(in, &t);
			pthread_mutex_unlock(&in->mu);
			read_criteria(in, w->cctx, k.u, k.i, t);
			pthread_mutex_lock(&in->mu);
			continue;
		}
		if (in->take == in->tail)
			break; /* stop, and nothing left */
		u = &in->ring[in->take++ % RING];
		u->state = U_TAKEN;
		/* the filter pays while most records are skipped */
		if (in->filter && in->seen >= 256 && in->skipped * 4 < in->seen)
			in->filter = false;
		filter = in->filter;
		pthread_mutex_unlock(&in->mu);
		parse_unit(in, w->cctx, u, filter);
		/* the bytes are parsed: only the trials wait for the main
		 * thread (64 queued 6 MB files would hold 384 MB) */
		free(u->buf);
		u->buf = NULL;
		pthread_mutex_lock(&in->mu);
		u->read = true;
		if (filter) {
			in->seen += u->n + u->skipped + u->n_errs;
			in->skipped += u->skipped;
		}
		unit_progress(in, u);
	}
	pthread_mutex_unlock(&in->mu);
	return NULL;
}

/* ---- the main thread: batches and the index ---- */

static void flush(ingest *in)
{
	ctm_upsert_result res[BATCH];
	ctm_error err;
	size_t i;

	if (!in->n)
		return;
	ctm_error_clear(&err);
	if (!in->index_failed &&
	    ctm_index_upsert(in->idx, in->batch, in->n, in->lx, res, &err) == 0) {
		for (i = 0; i < in->n; i++) {
			if (res[i] == CTM_UPSERT_ADDED)
				in->added++;
			else if (res[i] == CTM_UPSERT_UPDATED)
				in->updated++;
			else
				in->unchanged++;
		}
	} else if (!in->index_failed) {
		cli_report("ingest", &err);
		worse(in, CTM_EXIT_IO);
		in->index_failed = true; /* the rest is parsed, not written */
	}
	for (i = 0; i < in->n; i++)
		ctm_trial_free(in->batch[i]);
	in->n = 0;
}

static void reject(ingest *in, const ctm_error *err)
{
	in->rejected++;
	cli_report("ingest: rejected", err);
	worse(in, CTM_EXIT_REJECTED);
}

static int by_record(const void *a, const void *b)
{
	size_t x = ((const uerr *)a)->at, y = ((const uerr *)b)->at;

	return (x > y) - (x < y);
}

/*
 * Reports the unit's rejections in the order of its records: the
 * reader's, each before the record it came before, and the criteria
 * failures, each in its record's place.
 */
static void report_unit(ingest *in, unit *u)
{
	size_t e = 0, c = 0;

	if (u->n_cerrs > 1)
		qsort(u->cerrs, u->n_cerrs, sizeof(*u->cerrs), by_record);
	while (e < u->n_errs || c < u->n_cerrs) {
		if (c == u->n_cerrs ||
		    (e < u->n_errs && u->errs[e].at <= u->cerrs[c].at))
			reject(in, &u->errs[e++].e);
		else
			reject(in, &u->cerrs[c++].e);
	}
}

/*
 * Takes the unit at the head back, in queue order: its trials a batch at
 * a time as they are parsed, then its rejections once it is done.
 */
static void consume_head(ingest *in)
{
	unit *u = &in->ring[in->head % RING];
	size_t last = in->tail - in->head - 1, k, got;
	/* With the head still being parsed, sleep until it is done and so
	 * is the unit BULK-1 after it (or the last queued), or a batch is
	 * ready: one wake-up hands back many small units, not one. */
	unit *w = &in->ring[(in->head + (last < BULK ? last : BULK - 1)) % RING];
	bool done;

	do {
		pthread_mutex_lock(&in->mu);
		if (u->state != U_DONE && u->ready - u->taken < BATCH) {
			while (u->ready - u->taken < BATCH &&
			       (u->state != U_DONE ||
				(w->state != U_DONE && in->pending < BATCH))) {
				in->wait_for = u->state != U_DONE ? u : w;
				pthread_cond_wait(&in->done, &in->mu);
			}
			in->wait_for = NULL;
		}
		/* the trials of done slots, up to a batch (a slot whose
		 * criteria failed holds none) */
		for (k = got = 0; u->taken + k < u->ready && in->n + got < BATCH;
		     k++)
			if (SLOT(u, u->taken + k)->t)
				in->batch[in->n + got++] =
					SLOT(u, u->taken + k)->t;
		u->taken += k;
		/* workers may wait for room: idle ones for pending to drop
		 * below the bound, a unit's reader for its unit's records
		 * to be taken */
		if ((in->pending >= MAX_AHEAD && in->pending - k < MAX_AHEAD) ||
		    (k && in->blocked))
			pthread_cond_broadcast(&in->ready);
		in->pending -= k;
		done = u->state == U_DONE && u->taken == u->n;
		pthread_mutex_unlock(&in->mu);
		in->n += got;
		in->records += got;
		if (in->n == BATCH)
			flush(in);
	} while (!done);

	in->unchanged += (uint32_t)u->skipped;
	in->records += u->skipped;
	report_unit(in, u);
	if (u->nomem || u->slot_nomem) {
		fprintf(stderr, "ctmatch ingest: %s: out of memory\n",
			u->name ? u->name : u->path);
		worse(in, CTM_EXIT_IO);
	}
	free(u->slots);
	free(u->errs);
	free(u->cerrs);
	free(u->path);
	free(u->buf);
	free(u->name);
	draw_progress(in, false);
	pthread_mutex_lock(&in->mu);
	memset(u, 0, sizeof(*u));
	in->head++;
	if (in->blocked) /* a worker waits for its unit to be taken from */
		pthread_cond_broadcast(&in->ready);
	pthread_mutex_unlock(&in->mu);
}

/* Queues a unit (taking ownership of path, buf, name). */
static void enqueue(ingest *in, char *path, char *buf, size_t len, char *name)
{
	unit *u;

	if (in->tail - in->head == RING)
		consume_head(in);
	u = &in->ring[in->tail % RING];
	u->path = path;
	u->buf = buf;
	u->len = len;
	u->name = name;
	u->file = path != NULL;
	in->files++;
	pthread_mutex_lock(&in->mu);
	u->state = U_QUEUED;
	in->tail++;
	pthread_cond_signal(&in->ready);
	pthread_mutex_unlock(&in->mu);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fprintf(stderr, "ctmatch ingest: out of memory\n");
		exit(CTM_EXIT_IO);
	}
	return p;
}

/* ---- sources ---- */

static void ingest_zip(ingest *in, const char *path, const char *buf,
		       size_t len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	ctm_error err;
	int r;

	if (!a) {
		fprintf(stderr, "ctmatch ingest: out of memory\n");
		worse(in, CTM_EXIT_IO);
		return;
	}
	archive_read_support_format_zip(a);
	r = buf ? archive_read_open_memory(a, buf, len)
		: archive_read_open_filename(a, path, 1 << 16);
	if (r != ARCHIVE_OK) {
		ctm_error_set(&err, CTM_EPARSE, path, 0, 0,
			      "cannot open archive: %s",
			      archive_error_string(a) ? archive_error_string(a)
						      : "unknown error");
		reject(in, &err);
		archive_read_free(a);
		return;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *ename = archive_entry_pathname(e);
		la_int64_t size = archive_entry_size(e);
		char label[CTM_ERROR_FILE_MAX];
		char *data;
		size_t got = 0;
		la_ssize_t k;

		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		snprintf(label, sizeof(label), "%s:%s", path,
			 ename ? ename : "?");
		if (size < 0 || (uint64_t)size > MAX_ENTRY_BYTES) {
			ctm_error_set(&err, CTM_ELIMIT, label, 0, 0,
				      "archive member larger than %u MiB",
				      MAX_ENTRY_BYTES >> 20);
			reject(in, &err);
			continue;
		}
		data = malloc((size_t)size + 1);
		if (!data) {
			fprintf(stderr, "ctmatch ingest: out of memory\n");
			worse(in, CTM_EXIT_IO);
			break;
		}
		while (got < (size_t)size &&
		       (k = archive_read_data(a, data + got,
					      (size_t)size - got)) > 0)
			got += (size_t)k;
		if (got != (size_t)size) {
			ctm_error_set(&err, CTM_EPARSE, label, 0, 0,
				      "cannot read archive member: %s",
				      archive_error_string(a)
					      ? archive_error_string(a)
					      : "truncated");
			reject(in, &err);
			free(data);
			continue;
		}
		data[got] = '\0';
		enqueue(in, NULL, data, got, xstrdup(label));
	}
	if (r != ARCHIVE_EOF && r != ARCHIVE_OK) {
		ctm_error_set(&err, CTM_EPARSE, path, 0, 0,
			      "cannot read archive: %s",
			      archive_error_string(a) ? archive_error_string(a)
						      : "unknown error");
		reject(in, &err);
	}
	archive_read_free(a);
}

static bool is_zip_file(const char *path)
{
	unsigned char head[4];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return false;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return ctm_format_detect(head, n) == CTM_FORMAT_ZIP;
}

static void ingest_file(ingest *in, const char *path)
{
	if (is_zip_file(path))
		ingest_zip(in, path, NULL, 0);
	else
		enqueue(in, xstrdup(path), NULL, 0, NULL);
}

static bool ends_with_ci(const char *name, const char *ext)
{
	size_t n = strlen(name), k = strlen(ext);

	return n > k && !strcasecmp(name + n - k, ext);
}

/*
 * A file found in a directory: a .zip is opened as an archive; any other
 * is queued as it is, its format told by content in the worker (one
 * open per file, not one here too).
 */
static void ingest_dir_file(ingest *in, const char *path, const char *name)
{
	if (ends_with_ci(name, ".zip"))
		ingest_zip(in, path, NULL, 0);
	else
		enqueue(in, xstrdup(path), NULL, 0, NULL);
}

static bool wanted_in_dir(const char *name)
{
	return ends_with_ci(name, ".xml") || ends_with_ci(name, ".zip") ||
	       ends_with_ci(name, ".json") || ends_with_ci(name, ".ndjson");
}

static void ingest_path(ingest *in, const char *path, int depth);

static void ingest_dir(ingest *in, const char *path, int depth)
{
	struct dirent **list = NULL;
	ctm_error err;
	int n, i;

	if (depth > MAX_DEPTH) {
		ctm_error_set(&err, CTM_ELIMIT, path, 0, 0,
			      "directories nested deeper than %d: skipped",
			      MAX_DEPTH);
		reject(in, &err);
		return;
	}
	n = scandir(path, &list, NULL, alphasort);
	if (n < 0) {
		ctm_error_set(&err, CTM_EIO, path, 0, 0,
			      "cannot read directory: %s", strerror(errno));
		cli_report("ingest", &err);
		worse(in, CTM_EXIT_IO);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		unsigned char type = list[i]->d_type;
		char child[4096];
		struct stat st;

		if (name[0] == '.' ||
		    (size_t)snprintf(child, sizeof(child), "%s/%s", path,
				     name) >= sizeof(child)) {
			free(list[i]);
			continue;
		}
		/* the entry's type from the directory itself when the file
		 * system gives it: no stat per file */
		if (type == DT_UNKNOWN || type == DT_LNK)
			type = stat(child, &st) != 0	 ? DT_UNKNOWN
			       : S_ISDIR(st.st_mode) ? DT_DIR
			       : S_ISREG(st.st_mode) ? DT_REG
						     : DT_UNKNOWN;
		if (type == DT_DIR)
			ingest_dir(in, child, depth + 1);
		else if (type == DT_REG && wanted_in_dir(name))
			ingest_dir_file(in, child, name);
		free(list[i]);
	}
	free(list);
}

static void ingest_stdin(ingest *in)
{
	size_t len = 0, cap = 0, k;
	char *buf = NULL;
	ctm_error err;

	for (;;) {
		if (cap - len < 65536) {
			char *nb;
			if (cap >= MAX_STDIN_BYTES) {
				free(buf);
				ctm_error_set(&err, CTM_ELIMIT, "stdin", 0, 0,
					      "standard input larger than "
					      "%u MiB",
					      MAX_STDIN_BYTES >> 20);
				reject(in, &err);
				return;
			}
			nb = realloc(buf, (cap = cap ? cap * 2 : 1 << 20) + 1);
			if (!nb) {
				free(buf);
				fprintf(stderr, "ctmatch ingest: out of memory\n");
				worse(in, CTM_EXIT_IO);
				return;
			}
			buf = nb;
		}
		k = fread(buf + len, 1, cap - len, stdin);
		len += k;
		if (k == 0)
			break;
	}
	buf[len] = '\0';
	if (ctm_format_detect(buf, len) == CTM_FORMAT_ZIP) {
		ingest_zip(in, "stdin", buf, len);
		free(buf);
	} else {
		enqueue(in, NULL, buf, len, xstrdup("stdin"));
	}
}

static void ingest_path(ingest *in, const char *path, int depth)
{
	struct stat st;
	ctm_error err;

	if (!strcmp(path, "-")) {
		ingest_stdin(in);
		return;
	}
	if (stat(path, &st) != 0) {
		ctm_error_set(&err, CTM_EIO, path, 0, 0, "cannot open: %s",
			      strerror(errno));
		cli_report("ingest", &err);
		worse(in, CTM_EXIT_IO);
		return;
	}
	if (S_ISDIR(st.st_mode))
		ingest_dir(in, path, depth);
	else
		ingest_file(in, path);
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch ingest [--db PATH] [--lexicon FILE] [--threads N] SOURCE...\n"
		"\n"
		"Parses ClinicalTrials.gov trial records and upserts them into the index.\n"
		"SOURCE is a record file (legacy XML or API v2 JSON: a study, a search\n"
		"response, an array or NDJSON; the format is told by content), a\n"
		"directory (searched recursively for *.xml, *.json, *.ndjson and *.zip),\n"
		"a .zip archive as ClinicalTrials.gov's bulk download ships it (read in\n"
		"place), or - for standard input. A record whose last-update date is not\n"
		"newer than the stored one, read by this version of the parser and\n"
		"lexicon, is left alone, read only as far as its id and date.\n"
		"\n"
		"  --db PATH        the index (default: $CTMATCH_DB, else ./ctmatch.lmdb)\n"
		"  --lexicon FILE   add the concepts of FILE to the built-in lexicon\n"
		"  --threads N      threads reading records and their criteria (default:\n"
		"                   the number of cores; the result does not depend on it)\n"
		"  --help           this text\n"
		"\n"
		"Prints a summary on stderr: added, updated, unchanged, rejected (each\n"
		"rejection with file, line and reason), seconds, peak memory.\n"
		"Exit status: 0 all ingested; 1 some records rejected; 2 usage error;\n"
		"3 the index or a source could not be opened or written.\n");
}

int cli_ingest(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"lexicon", required_argument, NULL, 'l'},
		{"threads", required_argument, NULL, 't'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	char *lexfiles[CLI_MAX_LEXICONS];
	size_t n_lex = 0;
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	ctm_lexicon *lx = NULL;
	ingest *in;
	worker workers[MAX_THREADS];
	ctm_ingest_log log;
	ctm_error err;
	struct rusage ru;
	int c, i, rc, started = 0, missing;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l':
			if (cli_lexicon_arg("ingest", lexfiles, &n_lex, optarg))
				return CTM_EXIT_USAGE;
			break;
		case 't':
			if (cli_number_arg("ingest", "--threads", optarg, 1,
					   MAX_THREADS, &threads))
				return CTM_EXIT_USAGE;
			break;
		case 'h': help(stdout); return CTM_EXIT_OK;
		default:
			if (!cli_bad_option("ingest", c, argv, opts))
				help(stderr);
			return CTM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ctmatch ingest: no SOURCE given\n");
		help(stderr);
		return CTM_EXIT_USAGE;
	}
	/* when no source is there, fail before an index is created (with
	 * some there, each missing one is reported below and the rest go
	 * in) */
	for (i = optind, missing = 0; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-") && stat(argv[i], &st) != 0)
			missing++;
	}
	if (missing == argc - optind) {
		for (i = optind; i < argc; i++) {
			struct stat st;
			if (stat(argv[i], &st) != 0)
				fprintf(stderr, "ctmatch ingest: %s: cannot open: %s\n",
					argv[i], strerror(errno));
		}
		return CTM_EXIT_IO;
	}
	if (threads < 1)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	in = calloc(1, sizeof(*in));
	if (!in) {
		fprintf(stderr, "ctmatch ingest: out of memory\n");
		return CTM_EXIT_IO;
	}
	lx = cli_lexicon("ingest", lexfiles, n_lex);
	if (!lx) {
		free(in);
		return CTM_EXIT_USAGE;
	}
	in->lx = lx;
	ctm_error_clear(&err);
	if (ctm_criteria_parser_new(&in->cp, lx, &err) != 0 ||
	    ctm_criteria_parser_compile(in->cp, &err) != 0) {
		ctm_criteria_parser_free(in->cp);
		cli_report("ingest", &err);
		ctm_lexicon_free(lx);
		free(in);
		return CTM_EXIT_IO;
	}
	if ((rc = cli_index_open("ingest", cli_db_path(db), CTM_INDEX_CREATE,
				 &in->idx)) != 0) {
		ctm_criteria_parser_free(in->cp);
		ctm_lexicon_free(lx);
		free(in);
		return rc;
	}
	in->version = ctm_criteria_current_version(lx);
	{ /* an index that holds trials: skip what it holds as it is */
		size_t stale = 0, total = 0;
		ctm_error_clear(&err);
		in->filter = ctm_index_stale_count(in->idx, in->version, &stale,
						   &total, &err) == 0 &&
			     total > 0;
	}
	pthread_mutex_init(&in->mu, NULL);
	pthread_cond_init(&in->ready, NULL);
	pthread_cond_init(&in->done, NULL);
	in->threads = (size_t)threads;
	for (i = 0; i < threads; i++) {
		workers[i].in = in;
		if (ctm_criteria_ctx_new(&workers[i].cctx, in->cp) != 0 ||
		    pthread_create(&workers[i].thread, NULL, worker_main,
				   &workers[i]) != 0) {
			ctm_criteria_ctx_free(workers[i].cctx);
			break;
		}
		started++;
	}
	if (!started) {
		fprintf(stderr, "ctmatch ingest: cannot start a parser thread\n");
		worse(in, CTM_EXIT_IO);
	}
	pthread_mutex_lock(&in->mu);
	in->threads = (size_t)started;
	pthread_mutex_unlock(&in->mu);
	in->progress = cli_progress_wanted();
	in->start = now();
	for (i = optind; i < argc && started; i++)
		ingest_path(in, argv[i], 0);
	while (in->head < in->tail)
		consume_head(in);
	flush(in);
	pthread_mutex_lock(&in->mu);
	in->stop = true;
	pthread_cond_broadcast(&in->ready);
	pthread_mutex_unlock(&in->mu);
	for (i = 0; i < started; i++) {
		pthread_join(workers[i].thread, NULL);
		ctm_criteria_ctx_free(workers[i].cctx);
	}
	draw_progress(in, true);
	memset(&log, 0, sizeof(log));
	log.time = (int64_t)time(NULL);
	log.added = in->added;
	log.updated = in->updated;
	log.unchanged = in->unchanged;
	log.rejected = in->rejected;
	ctm_error_clear(&err);
	if (!in->index_failed && ctm_index_log_ingest(in->idx, &log, &err) != 0) {
		cli_report("ingest", &err);
		worse(in, CTM_EXIT_IO);
	}
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
		"ingest: %zu records from %zu files: added %u, updated %u, "
		"unchanged %u, rejected %u (%.2f s, peak memory %.0f MiB)\n",
		in->records, in->files, in->added, in->updated, in->unchanged,
		in->rejected, now() - in->start, ru.ru_maxrss / 1024.0);
	rc = in->status;
	ctm_index_close(in->idx);
	ctm_criteria_parser_free(in->cp);
	ctm_lexicon_free(lx);
	pthread_mutex_destroy(&in->mu);
	pthread_cond_destroy(&in->ready);
	pthread_cond_destroy(&in->done);
	free(in);
	return rc;
}
