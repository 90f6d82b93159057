/* matchjob.c - one patient against the index: candidates, verdicts, ranking. */
#include "matchjob.h"

#include <assert.h>
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
static int trials_get(mj_trials *s, ctm_index_reader *rd, ctm_trial_key tk,
		      ctm_arena *scratch, ctm_trial **out, bool *kept,
		      ctm_error *err)
{
	uint32_t num = ctm_trial_key_nct(tk), key;
	size_t i = trials_slot(s, num, &key);
	ctm_trial *t;
	int rc;

	*kept = true;
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
		*kept = false;
		return ctm_index_reader_get_key(rd, tk, CTM_DECODE_MINIMAL,
						scratch, out, err);
	}
	rc = ctm_index_reader_get_key(rd, tk, CTM_DECODE_MINIMAL, s->arena,
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

/*
 * A worker's candidate sets, newest first: patients of a roster share
 * diagnoses and sexes, so they share candidates. With the shared trials,
 * each set also keeps its trials' pointers as they are found (NULL: not
 * yet), so a candidate costs no hash probe after the first time.
 */
#define CAND_SETS 8

typedef struct cand_set {
	char *key; /* what selected them (cand_key()); NULL: unused */
	ctm_trial_key *v;
	ctm_trial **t;
	size_t n;
} cand_set;

struct mj_cache {
	mj_trials *trials; /* shared with the other workers, or NULL */
	cand_set sets[CAND_SETS];
};

mj_cache *mj_cache_new(mj_trials *trials)
{
	mj_cache *c = calloc(1, sizeof(mj_cache));

	if (c)
		c->trials = trials;
	return c;
}

static void cand_set_free(cand_set *s)
{
	free(s->key);
	free(s->v);
	free(s->t);
	memset(s, 0, sizeof(*s));
}

void mj_cache_free(mj_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < CAND_SETS; i++)
		cand_set_free(&c->sets[i]);
	free(c);
}

/* What selects a patient's candidates, as a string. */
static void cand_key(const ctm_matcher *m, const ctm_profile *p,
		     const mj_options *o, ctm_concept *dis, size_t *nd,
		     char *key, size_t cap)
{
	size_t kl = 0, i;

	*nd = ctm_match_diseases(m, p, dis, 64);
	key[0] = '\0';
	for (i = 0; i < *nd && kl < cap - 16; i++)
		kl += (size_t)snprintf(key + kl, cap - kl, "%u,", (unsigned)dis[i]);
	snprintf(key + kl, cap - kl, "|%d|%d", o->all_statuses, (int)p->sex);
}

uint64_t mj_group_key(const ctm_matcher *m, const ctm_profile *p,
		      const mj_options *o)
{
	ctm_concept dis[64];
	char key[1024];
	size_t nd;

	cand_key(m, p, o, dis, &nd, key, sizeof key);
	return ctm_fnv1a(key, strlen(key), CTM_FNV_SEED);
}

/*
 * The candidate set for key: from the cache (moved to the front), or
 * selected through the postings and kept there (the oldest set goes).
 * Without a cache, *out is a set of the caller's (free with
 * cand_set_free). 0 or an error.
 */
static int cand_get(ctm_index *idx, const ctm_lexicon *lx, mj_cache *cache,
		    const char *key, const ctm_concept *dis, size_t nd,
		    const ctm_profile *p, const mj_options *o, cand_set *own,
		    cand_set **out, ctm_error *err)
{
	cand_set s;
	size_t i;
	int rc;

	*out = NULL;
	memset(own, 0, sizeof(*own));
	for (i = 0; cache && i < CAND_SETS && cache->sets[i].key; i++) {
		if (strcmp(cache->sets[i].key, key))
			continue;
		s = cache->sets[i];
		memmove(&cache->sets[1], &cache->sets[0], i * sizeof(s));
		cache->sets[0] = s;
		*out = &cache->sets[0];
		return 0;
	}
	memset(&s, 0, sizeof(s));
	rc = ctm_index_candidates(idx, lx, dis, nd, o->all_statuses, p->sex,
				  &s.v, &s.n, err);
	if (rc)
		return rc;
	s.key = strdup(key);
	s.t = calloc(s.n ? s.n : 1, sizeof(*s.t));
	if (!s.key || !s.t) {
		cand_set_free(&s);
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
	}
	if (!cache) {
		*own = s;
		*out = own;
		return 0;
	}
	cand_set_free(&cache->sets[CAND_SETS - 1]);
	memmove(&cache->sets[1], &cache->sets[0],
		(CAND_SETS - 1) * sizeof(cache->sets[0]));
	cache->sets[0] = s;
	*out = &cache->sets[0];
	return 0;
}

/*
 * Phase 1 for one patient and one trial: verdict and score from the
 * minimal record, into lights (not kept when ineligible, unless asked).
 */
static int light_eval(const ctm_matcher *m, const ctm_profile *p,
		      const mj_options *o, const ctm_trial *t, uint32_t num,
		      ctm_arena *scratch, ctm_rank_key *lights, size_t *n_light)
{
	unsigned flags = CTM_MATCH_VERDICT_ONLY |
			 (o->include_ineligible ? 0 : CTM_MATCH_STOP_INELIGIBLE);
	ctm_match res;
	size_t k;
	int rc;

	rc = ctm_match_begin(m, p, t, flags, scratch, &res);
	for (k = 0; rc == 0 && k < t->n_criteria && !ctm_match_stopped(&res, flags); k++)
		ctm_match_criterion(m, p, &t->criteria[k], o->today, flags, scratch, &res);
	if (rc)
		return rc;
	/* stopped (only without include_ineligible): ineligible, dropped */
	if (ctm_match_stopped(&res, flags))
		return 0;
	ctm_match_end(p, t, flags, &res);
	if (res.verdict == CTM_VERDICT_INELIGIBLE && !o->include_ineligible)
		return 0;
	lights[*n_light].num = num;
	lights[*n_light].verdict = res.verdict;
	lights[*n_light].status = t->status;
	lights[*n_light].score = res.score.total;
	(*n_light)++;
	return 0;
}

/* Moves the largest of v[0..n) in ctm_rank_cmp order down into v[i]'s
 * place in the heap v[0..n) whose top is the last in rank order. */
static void sift_down(ctm_rank_key *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, big = i;
		ctm_rank_key t;
		if (l < n && ctm_rank_cmp(&v[l], &v[big]) > 0)
			big = l;
		if (r < n && ctm_rank_cmp(&v[r], &v[big]) > 0)
			big = r;
		if (big == i)
			return;
		t = v[i];
		v[i] = v[big];
		v[big] = t;
		i = big;
	}
}

/*
 * The first k of v[0..n) in rank order, sorted, in v[0..k): what a sort
 * of the whole array gives there (ctm_rank_cmp is a total order: the NCT
 * number breaks ties), in n log k instead of n log n.
 */
static void best_first(ctm_rank_key *v, size_t n, size_t k)
{
	size_t i;

	if (k < n && k) {
		/* a heap of the best k so far, the last of them on top */
		for (i = k / 2; i-- > 0;)
			sift_down(v, k, i);
		for (i = k; i < n; i++) {
			if (ctm_rank_cmp(&v[i], &v[0]) < 0) {
				v[0] = v[i];
				sift_down(v, k, 0);
			}
		}
		n = k;
	}
	qsort(v, n, sizeof(*v), ctm_rank_cmp);
}

/*
 * Phase 2: ranks the lights and reads the results kept whole, evaluated
 * again with their texts, for reasons, to-check lists and explanations.
 */
static int finish(ctm_index_reader *rd, const ctm_matcher *m,
		  const ctm_profile *p, const mj_options *o,
		  ctm_rank_key *lights, size_t n_light, mj_job *job,
		  ctm_error *err)
{
	size_t keep, i;
	int rc;

	keep = o->limit && o->limit < n_light ? o->limit : n_light;
	best_first(lights, n_light, keep);
	job->results = calloc(keep ? keep : 1, sizeof(*job->results));
	if (!job->results)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
	for (i = 0; i < keep; i++) {
		mj_result *r = &job->results[job->n];
		ctm_trial *t;

		rc = ctm_index_reader_get_flags(rd, lights[i].num, CTM_DECODE_LITE, &t, err);
		if (rc)
			return rc;
		r->trial = t;
		job->n++;
		rc = ctm_match_trial(m, p, t, o->today,
				     o->explain ? CTM_MATCH_EXPLAIN : 0,
				     job->arena, &r->match);
		if (rc)
			return ctm_error_set(err, rc, NULL, 0, 0, "out of memory");
	}
	return 0;
}

int mj_run(ctm_index *idx, const ctm_matcher *m, const ctm_lexicon *lx,
	   const ctm_profile *p, const mj_options *o, mj_cache *cache,
	   mj_job *job, ctm_error *err)
{
	return mj_run_many(idx, m, lx, &p, 1, o, cache, job, err);
}

int mj_run_many(ctm_index *idx, const ctm_matcher *m, const ctm_lexicon *lx,
		const ctm_profile *const *ps, size_t n, const mj_options *o,
		mj_cache *cache, mj_job *jobs, ctm_error *err)
{
	ctm_concept dis[64];
	char ckey[1024];
	size_t nd, i, j, g;
	ctm_index_reader *rd = NULL;
	ctm_arena *scratch = NULL, *tarena = NULL;
	ctm_rank_key *lights[MJ_BLOCK] = {NULL};
	size_t n_light[MJ_BLOCK] = {0};
	char *keys[MJ_BLOCK] = {NULL};
	bool done[MJ_BLOCK] = {false};
	bool shared = cache && cache->trials;
	int rc = 0;

	assert(n >= 1 && n <= MJ_BLOCK);
	for (i = 0; i < n; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].arena = ctm_arena_new();
		if (!jobs[i].arena)
			goto nomem;
	}
	scratch = ctm_arena_new();
	tarena = ctm_arena_new();
	if (!scratch || !tarena)
		goto nomem;
	if ((rc = ctm_index_reader_begin(idx, &rd, err)))
		goto done;
	for (i = 0; i < n; i++) {
		cand_key(m, ps[i], o, dis, &nd, ckey, sizeof ckey);
		keys[i] = strdup(ckey);
		if (!keys[i])
			goto nomem;
	}
	/* the patients that share a candidate set go through it together,
	 * trial by trial, so each trial is brought into the processor's
	 * caches once for all of them (the order of evaluation changes
	 * nothing of a patient's results) */
	for (g = 0; g < n; g++) {
		cand_set own, *cs;
		size_t members[MJ_BLOCK], nm = 0;
		bool lazy;

		if (done[g])
			continue;
		for (j = g; j < n; j++)
			if (!done[j] && !strcmp(keys[j], keys[g])) {
				members[nm++] = j;
				done[j] = true;
			}
		cand_key(m, ps[g], o, dis, &nd, ckey, sizeof ckey);
		if ((rc = cand_get(idx, lx, cache, ckey, dis, nd, ps[g], o, &own, &cs, err)))
			goto done;
		for (j = 0; j < nm; j++) {
			lights[members[j]] = malloc((cs->n ? cs->n : 1) * sizeof(ctm_rank_key));
			if (!lights[members[j]]) {
				cand_set_free(&own);
				goto nomem;
			}
		}
		/* without the shared trials, one patient reads the criteria
		 * one at a time and no further than the first not met */
		lazy = !shared && !o->include_ineligible && nm == 1;
		for (i = 0; i < cs->n; i++) {
			ctm_trial *t = cs->t[i];
			ctm_lazy lz;
			bool kept = false;

			ctm_arena_reset(tarena);
			if (!t) {
				rc = shared ? trials_get(cache->trials, rd, cs->v[i], tarena, &t,
							 &kept, err)
				     : lazy ? ctm_index_reader_get_lazy(rd, cs->v[i], tarena, &t, &lz, err)
					    : ctm_index_reader_get_key(rd, cs->v[i], CTM_DECODE_MINIMAL,
								      tarena, &t, err);
				if (rc == CTM_ENOTFOUND) {
					rc = 0; /* a posting without its trial: skip */
					continue;
				}
				if (rc) {
					cand_set_free(&own);
					goto done;
				}
				/* a trial of the shared table stays while the
				 * batch runs; one read into tarena does not */
				if (kept)
					cs->t[i] = t;
			}
			if (lazy) {
				/* ctm_match_trial's loop, reading each criterion
				 * when it is reached */
				unsigned flags = CTM_MATCH_VERDICT_ONLY | CTM_MATCH_STOP_INELIGIBLE;
				ctm_match res;
				size_t k;
				bool stopped;
				jobs[g].candidates++;
				ctm_arena_reset(scratch);
				rc = ctm_match_begin(m, ps[g], t, flags, scratch, &res);
				if (rc) {
					cand_set_free(&own);
					goto nomem;
				}
				/* only a criterion not met can stop it */
				stopped = ctm_match_stopped(&res, flags);
				for (k = 0; !stopped && k < t->n_criteria; k++) {
					if ((rc = ctm_lazy_next(&lz, err)) != 0) {
						cand_set_free(&own);
						goto done;
					}
					if (ctm_match_criterion(m, ps[g], &t->criteria[k], o->today,
								flags, scratch, &res) == CTM_OUT_NOT_MET)
						stopped = ctm_match_stopped(&res, flags);
				}
				/* stopped: ineligible whatever the counts (and
				 * dropped); else the sites pick the site and
				 * score it */
				if (stopped)
					continue;
				if ((rc = ctm_lazy_sites(&lz, err)) != 0) {
					cand_set_free(&own);
					goto done;
				}
				ctm_match_end(ps[g], t, flags, &res);
				if (res.verdict == CTM_VERDICT_INELIGIBLE)
					continue;
				lights[g][n_light[g]].num = ctm_trial_key_nct(cs->v[i]);
				lights[g][n_light[g]].verdict = res.verdict;
				lights[g][n_light[g]].status = t->status;
				lights[g][n_light[g]].score = res.score.total;
				n_light[g]++;
				continue;
			}
			for (j = 0; j < nm; j++) {
				size_t q = members[j];
				jobs[q].candidates++;
				ctm_arena_reset(scratch);
				if (light_eval(m, ps[q], o, t, ctm_trial_key_nct(cs->v[i]),
					       scratch, lights[q],
					       &n_light[q])) {
					cand_set_free(&own);
					goto nomem;
				}
			}
		}
		cand_set_free(&own);
	}
	for (i = 0; i < n; i++)
		if ((rc = finish(rd, m, ps[i], o, lights[i], n_light[i], &jobs[i], err)))
			goto done;
	goto done;
nomem:
	rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
done:
	ctm_index_reader_end(rd);
	ctm_arena_free(scratch);
	ctm_arena_free(tarena);
	for (i = 0; i < n; i++) {
		free(lights[i]);
		free(keys[i]);
		if (rc)
			mj_free(&jobs[i]);
	}
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
