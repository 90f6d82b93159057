/*
 * bench_match - per-patient lookup time inside one process.
 *
 *   bench_match DB PATIENTS [N [N_BASELINE]]
 *
 * DB is an index (e.g. 100,000 generated trials); PATIENTS a profile source
 * (e.g. gen_patients output). For the first N patients (default 200) it
 * times the real lookup (postings select the candidates, then each is
 * evaluated and ranked) and reports the median and 99th percentile. In the
 * same run it times the baseline the postings must beat: evaluating every
 * trial in the index, with the same per-trial work, for the first
 * N_BASELINE (default 10) of the same patients.
 * Times are this thread's CPU time, so other load on the machine does not
 * count.
 */
#include "matchjob.h"

#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: robust to a shared machine */
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Every trial's number, through the status postings (each trial has one). */
static ctm_trial_key *all_ids(ctm_index *idx, size_t *n)
{
	ctm_trial_key *all = NULL, *ids;
	size_t k, m;
	int st;
	ctm_error err;

	*n = 0;
	for (st = 0; st < CTM_STATUS_COUNT_; st++) {
		char key[64];
		snprintf(key, sizeof key, "status:%s", ctm_status_token(st));
		if (ctm_index_posting(idx, key, &ids, &m, &err) || !m)
			continue;
		all = realloc(all, (*n + m) * sizeof(*all));
		for (k = 0; k < m; k++)
			all[(*n)++] = ids[k];
		free(ids);
	}
	return all;
}

int main(int argc, char **argv)
{
	ctm_lexicon *lx;
	ctm_matcher *m;
	ctm_index *idx;
	ctm_profile_reader *r;
	ctm_profile *p, **ps;
	ctm_error err;
	mj_options o;
	size_t n = argc > 3 ? (size_t)atol(argv[3]) : 200, np = 0, i;
	size_t n_base = argc > 4 ? (size_t)atol(argv[4]) : 10;
	double *t, base = 0, cand = 0, results = 0;
	size_t base_n = 0;

	/* as the ctmatch executable does (cli/main.c) */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	if (argc < 3) {
		fprintf(stderr, "usage: %s DB PATIENTS [N]\n", argv[0]);
		return 2;
	}
	if (ctm_lexicon_new(&lx, &err) || ctm_matcher_new(&m, lx, &err) ||
	    ctm_index_open(&idx, argv[1], CTM_INDEX_READONLY, &err) ||
	    ctm_profile_reader_open(&r, argv[2], lx, 20261126, &err)) {
		fprintf(stderr, "%s\n", err.message);
		return 3;
	}
	ps = calloc(n, sizeof(*ps));
	t = calloc(n, sizeof(*t));
	while (np < n) {
		int rc = ctm_profile_reader_next(r, &p, &err);
		if (rc == 0)
			break;
		if (rc > 0)
			ps[np++] = p;
	}
	ctm_profile_reader_close(r);
	memset(&o, 0, sizeof o);
	o.today = 20261126;
	o.limit = 20; /* as ctmatch match */
	for (i = 0; i < np; i++) {
		mj_job job;
		double s = now();
		if (mj_run(idx, m, lx, ps[i], &o, NULL, &job, &err)) {
			fprintf(stderr, "%s\n", err.message);
			return 3;
		}
		t[i] = now() - s;
		cand += (double)job.candidates;
		results += (double)job.n;
		mj_free(&job);
	}
	/* the baseline: every trial, with the same per-trial work as a lookup
	 * (a minimal record, verdict and score only) */
	{
		size_t n_all, k;
		ctm_trial_key *ids = all_ids(idx, &n_all);
		for (i = 0; i < np && i < n_base; i++) {
			ctm_index_reader *rd;
			ctm_arena *a = ctm_arena_new();
			double s = now();
			ctm_index_reader_begin(idx, &rd, &err);
			for (k = 0; k < n_all; k++) {
				ctm_trial *tr;
				ctm_match res;
				if (ctm_index_reader_get_key(rd, ids[k], CTM_DECODE_MINIMAL, NULL, &tr, &err))
					continue;
				ctm_match_trial(m, ps[i], tr, 20261126, CTM_MATCH_VERDICT_ONLY, a, &res);
				ctm_trial_free(tr);
			}
			ctm_index_reader_end(rd);
			base += now() - s;
			base_n++;
			ctm_arena_free(a);
		}
		free(ids);
	}
	qsort(t, np, sizeof(*t), cmp_d);
	printf("patients: %zu, candidates evaluated per patient: %.0f, results per patient: %.1f\n",
	       np, np ? cand / (double)np : 0, np ? results / (double)np : 0);
	printf("lookup with postings: median %.2f ms, p99 %.2f ms, max %.2f ms\n",
	       t[np / 2] * 1e3, t[(size_t)ceil(np * 0.99) - 1] * 1e3, t[np - 1] * 1e3);
	printf("baseline, every trial evaluated: mean %.2f ms per patient (%zu patients)\n",
	       base_n ? base / (double)base_n * 1e3 : 0, base_n);
	printf("ratio baseline / median lookup: %.1f\n", base_n ? base / (double)base_n / t[np / 2] : 0);
	for (i = 0; i < np; i++)
		ctm_profile_free(ps[i]);
	free(ps);
	free(t);
	ctm_index_close(idx);
	ctm_matcher_free(m);
	ctm_lexicon_free(lx);
	return 0;
}
