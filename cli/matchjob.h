/* matchjob.h - one patient against the index: candidates, verdicts, ranking. */
#ifndef CTM_MATCHJOB_H
#define CTM_MATCHJOB_H

#include "cli_common.h"

typedef struct mj_result {
	ctm_trial *trial; /* owned, read whole */
	ctm_match match;  /* points into the job's arena and the trial */
} mj_result;

typedef struct mj_options {
	bool all_statuses;	 /* closed trials too */
	bool include_ineligible; /* keep ineligible results */
	bool explain;
	int32_t today;
	size_t limit; /* results kept, best first; 0 = all */
} mj_options;

typedef struct mj_job {
	ctm_arena *arena;
	mj_result *results; /* ranked */
	size_t n;
	size_t candidates; /* trials evaluated */
} mj_job;

/*
 * Decoded trials kept between patients, shared by a batch's workers (one
 * copy in memory and in the processor's caches, not one per thread).
 * Sized once for n_trials; past that, trials are read each time.
 */
typedef struct mj_trials mj_trials;
mj_trials *mj_trials_new(size_t n_trials);
void mj_trials_free(mj_trials *s); /* after every worker is done */

/*
 * A worker's cache: the shared trials (NULL: none) and its last few
 * candidate sets. Not shared between threads.
 */
typedef struct mj_cache mj_cache;
mj_cache *mj_cache_new(mj_trials *trials);
void mj_cache_free(mj_cache *c);

/*
 * Selects candidate trials through the postings (the patient's disease,
 * broader and narrower ones; open statuses unless all_statuses; the
 * patient's sex), evaluates each from a minimal record (no text) and ranks
 * them: not ineligible first, then open before closed, then score, then
 * nct_id. The kept results (o->limit) are then read whole and evaluated
 * again, so their reasons, to-check lists and explanations have the texts.
 */
int mj_run(ctm_index *idx, const ctm_matcher *m, const ctm_lexicon *lx,
	   const ctm_profile *p, const mj_options *o, mj_cache *cache,
	   mj_job *job, ctm_error *err);
/*
 * The same for n patients at once (1 <= n <= MJ_BLOCK), jobs[i] for
 * ps[i]: those that share a candidate set are evaluated trial by trial
 * together (each trial read into the processor's caches once for all),
 * which changes nothing of any patient's results. On an error every job
 * is freed.
 */
#define MJ_BLOCK 8
/* A hash of what selects a patient's candidates (diseases, sex,
 * --all-statuses): patients with the same one can go together. */
uint64_t mj_group_key(const ctm_matcher *m, const ctm_profile *p,
		      const mj_options *o);
int mj_run_many(ctm_index *idx, const ctm_matcher *m, const ctm_lexicon *lx,
		const ctm_profile *const *ps, size_t n, const mj_options *o,
		mj_cache *cache, mj_job *jobs, ctm_error *err);
void mj_free(mj_job *job);

/* Today's local date (after TZ) as YYYYMMDD. */
int32_t mj_today(void);

#endif
