/* matchjob.c - one patient against the index: candidates, verdicts, ranking. */
#include "matchjob.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * The shared trials: an open-addressing table sized once (no rehash while
 * others read it). Readers take no lock: an insert, under the mutex,
 * decodes the trial into the shared arena, then publishes the pointer
 * and then the key with release stores; a reader that sees the key
 * (acquire) sees the trial whole. Cached trials are never changed or
 * freed while the batch runs.
 */
struct mj_trials {
	pthread_mutex_t mu;
	ctm_arena *arena;	/* guarded by mu; appended to only */
	_Atomic uint32_t *keys; /* nct number + 1; 0 = empty */
	_Atomic(ctm_trial *) *trials;
	size_t cap, n;		/* n guarded by mu */
};

mj_trials *mj_trials_new(size_t n_trials)
{
	mj_trials *s = calloc(1, sizeof(*s));
	size_t cap = 1024, i;

	if (!s)
		return NULL;
	while (cap < 2 * n_trials + 2)
		cap *= 2;
	s->keys = malloc(cap * sizeof(*s->keys));
	s->trials = malloc(cap * sizeof(*s->trials));
	s->arena = ctm_arena_new();
	if (!s->keys || !s->trials || !s->arena ||
	    pthread_mutex_init(&s->mu, NULL)) {
		free(s->keys);
		free(s->trials);
		ctm_arena_free(s->arena);
		free(s);
		return NULL;
	}
	for (i = 0; i < cap; i++) {
		atomic_init(&s->keys[i], 0);
		atomic_init(&s->trials[i], NULL);
	}
	s->cap = cap;
	return s;
}

void mj_trials_free(mj_trials *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->mu);
	ctm_arena_free(s->arena); /* every cached trial */
	free(s->keys);
	free(s->trials);
	free(s);
}

/* The slot of num, or of the empty slot where it would go. */
static size_t trials_slot(mj_trials *s, uint32_t num, uint32_t *key)
{
	size_t i = (num * 2654435761u) & (s->cap - 1);

	for (;;) {
		*key = atomic_load_explicit(&s->keys[i], memory_order_acquire);
		if (!*key || *key == num + 1)
			return i;
		i = (i + 1) & (s->cap - 1);
	}
}

/*
 * A trial from the shared cache, or read, kept there and returned; when
 * the table is full, read into the caller's scratch arena.
 */
static int trials_get(mj_trials *s, ctm_index_reader *rd, uint32_t num,
		      ctm_arena *scratch, ctm_trial **out, ctm_error *err)
{
	uint32_t key;
	size_t i = trials_slot(s, num, &key);
	ctm_trial *t;
	int rc;

	if (key) {
		*out = atomic_load_explicit(&s->trials[i], memory_order_acquire);
		return 0;
	}
	pthread_mutex_lock(&s->mu);
	i = trials_slot(s, num, &key); /* another thread may have read it */
	if (key) {
		pthread_mutex_unlock(&s->mu);
		*out = atomic_load_explicit(&s->trials[i], memory_order_acquire);
		return 0;
	}
	if ((s->n + 1) * 2 > s->cap) {
		pthread_mutex_unlock(&s->mu);
		return ctm_index_reader_get_in(rd, num, CTM_DECODE_MINIMAL,
					       scratch, out, err);
	}
	rc = ctm_index_reader_get_in(rd, num, CTM_DECODE_MINIMAL, s->arena,
				     &t, err);
	if (rc == 0) {
		atomic_store_explicit(&s->trials[i], t, memory_order_release);
		atomic_store_explicit(&s->keys[i], num + 1,
				      memory_order_release);
		s->n++;
		*out = t;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

struct mj_cache {
	mj_trials *trials; /* shared with the other workers, or NULL */
	/* the last candidate set and what selected it: patients of a roster
	 * share diagnoses, so they share candidates */
	char *cand_key;
	uint32_t *cand;
	size_t n_cand;
};

mj_cache *mj_cache_new(mj_trials *trials)
{
	mj_cache *c = calloc(1, sizeof(mj_cache));

	if (c)
		c->trials = trials;
	return c;
}

void mj_cache_free(mj_cache *c)
{
	if (!c)
		return;
	free(c->cand_key);
	free(c->cand);
	free(c);
}

int mj_run(ctm_index *idx, const ctm_matcher *m, const ctm_lexicon *lx,
	   const ctm_profile *p, const mj_options *o, mj_cache *cache,
	   mj_job *job, ctm_error *err)
{
	ctm_concept dis[64];
	char ckey[1024];
	size_t nd, i, n_light = 0, keep;
	struct {
		uint32_t *v;
		size_t n;
	} cand = {NULL, 0};
	ctm_index_reader *rd = NULL;
	ctm_arena *scratch = NULL;
	ctm_rank_key *lights = NULL;
	unsigned flags;
	bool lazy;
	int rc = 0;

	memset(job, 0, sizeof(*job));
	job->arena = ctm_arena_new();
	scratch = ctm_arena_new();
	if (!job->arena || !scratch) {
		rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}

	nd = ctm_match_diseases(m, p, dis, 64);
	{
		/* what selects the candidates, as a string */
		size_t kl = 0;
		ckey[0] = '\0';
		for (i = 0; i < nd && kl < sizeof ckey - 16; i++)
			kl += (size_t)snprintf(ckey + kl, sizeof ckey - kl, "%u,", (unsigned)dis[i]);
		snprintf(ckey + kl, sizeof ckey - kl, "|%d|%d", o->all_statuses, (int)p->sex);
	}
	if (cache && cache->cand_key && !strcmp(cache->cand_key, ckey)) {
		cand.v = malloc((cache->n_cand ? cache->n_cand : 1) * sizeof(*cand.v));
		if (!cand.v) {
			rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
			goto done;
		}
		memcpy(cand.v, cache->cand, cache->n_cand * sizeof(*cand.v));
		cand.n = cache->n_cand;
		goto selected;
	}
	rc = ctm_index_candidates(idx, lx, dis, nd, o->all_statuses, p->sex,
				  &cand.v, &cand.n, err);
	if (rc)
		goto done;
	if (cache) {
		uint32_t *v = malloc((cand.n ? cand.n : 1) * sizeof(*v));
		char *k = strdup(ckey);
		if (v && k) {
			if (cand.n) /* no candidate: cand.v may be NULL */
				memcpy(v, cand.v, cand.n * sizeof(*v));
			free(cache->cand);
			free(cache->cand_key);
			cache->cand = v;
			cache->cand_key = k;
			cache->n_cand = cand.n;
		} else {
			free(v);
			free(k);
		}
	}
selected:
	lights = malloc((cand.n ? cand.n : 1) * sizeof(*lights));
	if (!lights) {
		rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if ((rc = ctm_index_reader_begin(idx, &rd, err)))
		goto done;
	/* phase 1: every candidate from a minimal record, verdict and score
	 * only, in one scratch arena reused from trial to trial; without a
	 * cache, criteria are read one at a time and no further than the
	 * first not met */
	flags = CTM_MATCH_VERDICT_ONLY |
		(o->include_ineligible ? 0 : CTM_MATCH_STOP_INELIGIBLE);
	lazy = !(cache && cache->trials) && !o->include_ineligible;
	for (i = 0; i < cand.n; i++) {
		ctm_trial *t;
		ctm_match res;
		ctm_lazy lz;
		size_t k;

		ctm_arena_reset(scratch);
		rc = cache && cache->trials
			     ? trials_get(cache->trials, rd, cand.v[i], scratch,
					  &t, err)
		     : lazy ? ctm_index_reader_get_lazy(rd, cand.v[i], scratch,
							&t, &lz, err)
			    : ctm_index_reader_get_in(rd, cand.v[i],
						      CTM_DECODE_MINIMAL,
						      scratch, &t, err);
		if (rc == CTM_ENOTFOUND) {
			rc = 0; /* a posting without its trial: skip */
			continue;
		}
		if (rc)
			goto done;
		job->candidates++;
		rc = ctm_match_begin(m, p, t, flags, scratch, &res);
		for (k = 0; rc == 0 && k < t->n_criteria &&
			    !ctm_match_stopped(&res, flags);
		     k++) {
			if (lazy && (rc = ctm_lazy_next(&lz, err)) != 0)
				goto done;
			ctm_match_criterion(m, p, &t->criteria[k], o->today,
					    flags, scratch, &res);
		}
		if (rc) {
			ctm_error_set(err, rc, NULL, 0, 0, "out of memory");
			goto done;
		}
		ctm_match_end(p, t, flags, &res);
		if (res.verdict == CTM_VERDICT_INELIGIBLE && !o->include_ineligible)
			continue;
		lights[n_light].num = cand.v[i];
		lights[n_light].verdict = res.verdict;
		lights[n_light].status = t->status;
		lights[n_light].score = res.score.total;
		n_light++;
	}
	qsort(lights, n_light, sizeof(*lights), ctm_rank_cmp);
	/* phase 2: the results kept, read whole and evaluated again with
	 * their texts, for reasons, to-check lists and explanations */
	keep = o->limit && o->limit < n_light ? o->limit : n_light;
	job->results = calloc(keep ? keep : 1, sizeof(*job->results));
	if (!job->results) {
		rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (i = 0; i < keep; i++) {
		mj_result *r = &job->results[job->n];
		ctm_trial *t;

		rc = ctm_index_reader_get_flags(rd, lights[i].num, CTM_DECODE_LITE, &t, err);
		if (rc)
			goto done;
		r->trial = t;
		job->n++;
		rc = ctm_match_trial(m, p, t, o->today,
				     o->explain ? CTM_MATCH_EXPLAIN : 0,
				     job->arena, &r->match);
		if (rc) {
			ctm_error_set(err, rc, NULL, 0, 0, "out of memory");
			goto done;
		}
	}
done:
	ctm_index_reader_end(rd);
	ctm_arena_free(scratch);
	free(lights);
	free(cand.v);
	if (rc)
		mj_free(job);
	return rc;
}

void mj_free(mj_job *job)
{
	size_t i;

	for (i = 0; i < job->n; i++)
		ctm_trial_free(job->results[i].trial);
	free(job->results);
	ctm_arena_free(job->arena);
	memset(job, 0, sizeof(*job));
}

int32_t mj_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	/* the date where the coordinator is (TZ), not UTC's: near midnight
	 * the two differ, and a birthday or a washout falls on a local day */
	localtime_r(&now, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}
