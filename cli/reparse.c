/*
 * reparse.c - `ctmatch reparse`: the stored criteria read again.
 *
 * Every trial's record keeps the eligibility text it was read from and the
 * version of that reading (the lexicon, the rules and the reader's code:
 * ctm_criteria_current_version()). reparse reads again, from the stored
 * text, the trials of another version (all of them with --all) and writes
 * them back, postings included, exactly as an ingest of the same record
 * today would.
 *
 * The work: the main thread copies a batch of stored records out of the
 * index (one short read transaction); worker threads decode them and read
 * their criteria; the main thread writes the batch (one write transaction,
 * ctm_index_replace) while the workers read the next. Workers never touch
 * the index, and the main thread holds no transaction open while another
 * begins, so the map may grow at any write (index.c's gate rules). A run
 * killed at any point has committed whole batches only: started again, it
 * finds what is still stale and goes on.
 */
#include "cli_common.h"

#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define BATCH	    512
#define MAX_THREADS 16

/* One batch: stored records in, trials read again out. */
typedef struct job {
	ctm_buf raw[BATCH];
	ctm_trial *trials[BATCH];
	ctm_error errs[BATCH];
	size_t n;
} job;

typedef struct reparse {
	ctm_criteria_parser *cp;

	pthread_mutex_t mu;
	pthread_cond_t work; /* a job was posted, or stop */
	pthread_cond_t done; /* a job was finished */
	job *cur;	     /* the job being read, or NULL */
	size_t next;	     /* its next record to take */
	size_t finished;     /* its records done */
	bool stop;
} reparse;

typedef struct worker {
	reparse *rp;
	pthread_t thread;
	ctm_criteria_ctx *cctx;
} worker;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decodes record i of j and reads its criteria again. */
static void read_again(ctm_criteria_ctx *cctx, job *j, size_t i)
{
	ctm_error *err = &j->errs[i];
	ctm_trial *t = NULL;

	ctm_error_clear(err);
	j->trials[i] = NULL;
	if (ctm_record_decode(j->raw[i].data, j->raw[i].len, &t, err) != 0)
		return;
	if (ctm_criteria_parse(cctx, t, err) != 0) {
		ctm_error_set_field(err, "criteria");
		snprintf(err->file, sizeof(err->file), "%s", t->nct_id);
		ctm_trial_free(t);
		return;
	}
	j->trials[i] = t;
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	reparse *rp = w->rp;

	pthread_mutex_lock(&rp->mu);
	for (;;) {
		job *j;
		size_t i;
		while (!rp->stop && (!rp->cur || rp->next == rp->cur->n))
			pthread_cond_wait(&rp->work, &rp->mu);
		if (!rp->cur || rp->next == rp->cur->n)
			break; /* stop, and nothing left */
		j = rp->cur;
		i = rp->next++;
		pthread_mutex_unlock(&rp->mu);
		read_again(w->cctx, j, i);
		pthread_mutex_lock(&rp->mu);
		if (++rp->finished == j->n)
			pthread_cond_broadcast(&rp->done);
	}
	pthread_mutex_unlock(&rp->mu);
	return NULL;
}

static void post(reparse *rp, job *j)
{
	pthread_mutex_lock(&rp->mu);
	rp->cur = j;
	rp->next = 0;
	rp->finished = 0;
	pthread_cond_broadcast(&rp->work);
	pthread_mutex_unlock(&rp->mu);
}

static void wait_done(reparse *rp)
{
	pthread_mutex_lock(&rp->mu);
	while (rp->cur && rp->finished < rp->cur->n)
		pthread_cond_wait(&rp->done, &rp->mu);
	rp->cur = NULL;
	pthread_mutex_unlock(&rp->mu);
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch reparse [--db PATH] [--lexicon FILE] "
		"[--threads N] [--all]\n"
		"\n"
		"Reads the stored eligibility text of every trial whose "
		"criteria were read\n"
		"by another version of the parser or lexicon again, with this "
		"ctmatch and\n"
		"its lexicon, and writes the trials back (criteria, "
		"population, postings)\n"
		"as an ingest of the same records would today. match, batch "
		"and report\n"
		"refuse an index holding such trials until it is run. Safe to "
		"stop at any\n"
		"point: started again, it goes on with what is still to read.\n"
		"\n"
		"  --db PATH        the index (default: $CTMATCH_DB, else "
		"./ctmatch.lmdb)\n"
		"  --lexicon FILE   add the concepts of FILE to the built-in "
		"lexicon (give\n"
		"                   the files the trials were ingested with)\n"
		"  --threads N      parser threads (default: the number of "
		"cores)\n"
		"  --all            read every trial again, not only the stale "
		"ones\n"
		"  --help           this text\n"
		"\n"
		"Prints a summary on stderr: trials read again, failed, still "
		"stale,\n"
		"seconds, peak memory.\n"
		"Exit status: 0 done; 1 some trials could not be read again "
		"(each\n"
		"reported); 2 usage error; 3 the index could not be opened or "
		"written.\n");
}

/* Writes the trials read again; reports and counts those that failed. */
static int write_job(ctm_index *idx, const ctm_lexicon *lx, job *j,
		     size_t *written, size_t *failed)
{
	ctm_trial *ok[BATCH];
	ctm_error err;
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < j->n; i++) {
		if (j->trials[i]) {
			ok[n++] = j->trials[i];
		} else {
			cli_report("reparse: failed", &j->errs[i]);
			(*failed)++;
		}
	}
	ctm_error_clear(&err);
	if (n && ctm_index_replace(idx, ok, n, lx, &err) != 0) {
		cli_report("reparse", &err);
		rc = CTM_EXIT_IO;
	} else {
		*written += n;
	}
	for (i = 0; i < j->n; i++) {
		ctm_trial_free(j->trials[i]);
		j->trials[i] = NULL;
	}
	j->n = 0;
	return rc;
}

int cli_reparse(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"lexicon", required_argument, NULL, 'l'},
		{"threads", required_argument, NULL, 't'},
		{"all", no_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	char *lexfiles[CLI_MAX_LEXICONS];
	size_t n_lex = 0, stale = 0, total = 0, written = 0, failed = 0, i;
	long threads = sysconf(_SC_NPROCESSORS_ONLN);
	bool all = false, end = false;
	ctm_lexicon *lx = NULL;
	ctm_index *idx = NULL;
	reparse rp;
	worker workers[MAX_THREADS];
	job *jobs = NULL, *ready = NULL;
	char after[CTM_NCT_ID_SIZE] = "";
	uint64_t current;
	ctm_error err;
	struct rusage ru;
	double start = now();
	int c, status = CTM_EXIT_OK, started = 0, k = 0;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l':
			if (cli_lexicon_arg("reparse", lexfiles, &n_lex, optarg))
				return CTM_EXIT_USAGE;
			break;
		case 't':
			if (cli_number_arg("reparse", "--threads", optarg, 1,
					   MAX_THREADS, &threads))
				return CTM_EXIT_USAGE;
			break;
		case 'a': all = true; break;
		case 'h': help(stdout); return CTM_EXIT_OK;
		default:
			if (!cli_bad_option("reparse", c, argv, opts))
				help(stderr);
			return CTM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ctmatch reparse: unexpected argument '%s'\n",
			argv[optind]);
		help(stderr);
		return CTM_EXIT_USAGE;
	}
	if (threads < 1)
		threads = 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	memset(&rp, 0, sizeof rp);
	lx = cli_lexicon("reparse", lexfiles, n_lex);
	if (!lx)
		return CTM_EXIT_USAGE;
	current = ctm_criteria_current_version(lx);
	ctm_error_clear(&err);
	if (ctm_criteria_parser_new(&rp.cp, lx, &err) != 0 ||
	    ctm_criteria_parser_compile(rp.cp, &err) != 0) {
		ctm_criteria_parser_free(rp.cp);
		cli_report("reparse", &err);
		ctm_lexicon_free(lx);
		return CTM_EXIT_IO;
	}
	/* an index of the schema before trial keys is brought up to date:
	 * its match parts and postings are dropped and written again */
	if ((status = cli_index_open("reparse", cli_db_path(db),
				     CTM_INDEX_UPGRADE, &idx)))
		goto done;
	if (ctm_index_rebuild_pending(idx))
		fprintf(stderr,
			"reparse: %s is of an older layout: every trial is "
			"filed again\n",
			cli_db_path(db));
	if (ctm_index_stale_count(idx, current, &stale, &total, &err) != 0) {
		cli_report("reparse", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	jobs = calloc(2, sizeof(*jobs));
	if (!jobs) {
		fprintf(stderr, "ctmatch reparse: out of memory\n");
		status = CTM_EXIT_IO;
		goto done;
	}
	pthread_mutex_init(&rp.mu, NULL);
	pthread_cond_init(&rp.work, NULL);
	pthread_cond_init(&rp.done, NULL);
	for (i = 0; i < (size_t)threads; i++) {
		workers[i].rp = &rp;
		workers[i].cctx = NULL;
		if (ctm_criteria_ctx_new(&workers[i].cctx, rp.cp) != 0 ||
		    pthread_create(&workers[i].thread, NULL, worker_main,
				   &workers[i]) != 0) {
			ctm_criteria_ctx_free(workers[i].cctx);
			break;
		}
		started++;
	}
	if (!started) {
		fprintf(stderr,
			"ctmatch reparse: cannot start a parser thread\n");
		status = CTM_EXIT_IO;
	}

	/* Two jobs in turn: the workers read one while the other is
	 * written. */
	while (started && !status && (all || stale) && !end) {
		job *j = &jobs[k];
		k ^= 1;
		if (ctm_index_stale_records(idx, current, all, after, BATCH,
					    j->raw, &j->n, &end, &err) != 0) {
			cli_report("reparse", &err);
			status = CTM_EXIT_IO;
			break;
		}
		if (ready) { /* the batch before: read by now? */
			wait_done(&rp);
		}
		if (j->n)
			post(&rp, j);
		if (ready)
			status = write_job(idx, lx, ready, &written, &failed);
		ready = j->n ? j : NULL;
	}
	if (ready) {
		wait_done(&rp);
		if (!status)
			status = write_job(idx, lx, ready, &written, &failed);
	}
	if (started) {
		pthread_mutex_lock(&rp.mu);
		rp.stop = true;
		rp.cur = NULL;
		pthread_cond_broadcast(&rp.work);
		pthread_mutex_unlock(&rp.mu);
	}
	for (i = 0; i < (size_t)started; i++) {
		pthread_join(workers[i].thread, NULL);
		ctm_criteria_ctx_free(workers[i].cctx);
	}
	if (started) {
		pthread_mutex_destroy(&rp.mu);
		pthread_cond_destroy(&rp.work);
		pthread_cond_destroy(&rp.done);
	}
	/* every trial written again (or reported): the layout is whole */
	if (!status && ctm_index_rebuild_pending(idx) &&
	    ctm_index_rebuild_done(idx, &err) != 0) {
		cli_report("reparse", &err);
		status = CTM_EXIT_IO;
	}
	if (!status &&
	    ctm_index_stale_count(idx, current, &stale, &total, &err) != 0) {
		cli_report("reparse", &err);
		status = CTM_EXIT_IO;
	}
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
		"reparse: %zu of %zu trials read again, %zu failed, %zu still "
		"stale (%.2f s, peak memory %.0f MiB)\n",
		written, total, failed, stale, now() - start,
		ru.ru_maxrss / 1024.0);
	if (!status && failed)
		status = CTM_EXIT_REJECTED;
done:
	if (jobs) {
		for (k = 0; k < 2; k++) {
			for (i = 0; i < jobs[k].n; i++)
				ctm_trial_free(jobs[k].trials[i]);
			for (i = 0; i < BATCH; i++)
				ctm_buf_free(&jobs[k].raw[i]);
		}
		free(jobs);
	}
	ctm_index_close(idx);
	ctm_criteria_parser_free(rp.cp);
	ctm_lexicon_free(lx);
	return status;
}
