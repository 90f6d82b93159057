/*
 * ctm/index.h - the LMDB index: trials, postings, metadata.
 *
 * One LMDB environment (a directory holding data.mdb and lock.mdb, created
 * owner-only) with named databases:
 *   trials  nct_id -> versioned compact record (ctm_record_encode)
 *   match   trial key -> the record's match part
 *   facets  nct_id -> the posting keys the trial is filed under
 *   post    posting key -> trial keys (sorted duplicates)
 *   meta    schema version, ingest history
 * A trial key (ctm_trial_key) is the trial's cluster in its high 32 bits
 * and its NCT number in the low 32: the cluster comes from the first
 * disease the trial is filed under, so the match parts of the trials one
 * disease draws lie together, and a lookup over thousands of candidates
 * reads them from a few hundred pages instead of one page each.
 * LMDB is private to this module: nothing of it appears here.
 */
#ifndef CTM_INDEX_H
#define CTM_INDEX_H

#include <ctm/engine.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bump when the record or database layout changes. */
#define CTM_INDEX_SCHEMA_VERSION 3

/* ------------------------------------------------------------------ */
/* Records                                                             */
/* ------------------------------------------------------------------ */

/* A growable byte buffer. */
typedef struct ctm_buf {
	unsigned char *data;
	size_t len, cap;
} ctm_buf;

void ctm_buf_free(ctm_buf *b); /* frees data; b itself is the caller's */

/*
 * Encodes every field of t, criteria included, into a compact versioned
 * record appended to b. Returns 0 or CTM_ENOMEM.
 */
int ctm_record_encode(const ctm_trial *t, ctm_buf *b);

/*
 * Decodes a record into a new trial (owned by the caller). A record of
 * another version is CTM_EVERSION; a truncated or corrupt one CTM_EPARSE.
 */
int ctm_record_decode(const void *data, size_t len, ctm_trial **out,
		      ctm_error *err);

/*
 * CTM_DECODE_LITE leaves out what a match does not use (criteria_text,
 * sponsor, keywords, MeSH terms, interventions: NULL or empty; the
 * criteria and their texts stay), for explaining a match; the record is
 * still checked whole.
 */
enum {
	CTM_DECODE_LITE = 1u << 0,
	/* only the record's match part: status, sex, ages, healthy
	 * volunteers, lexicon hash, each site's state, country and status,
	 * and each criterion's section and expression. No id, titles or
	 * texts (NULL); the text part is neither read nor checked. Enough
	 * to decide a verdict and a score, not to explain them. */
	CTM_DECODE_MINIMAL = 1u << 1,
};
/*
 * A minimal decode that stops before the criteria, for a lookup that reads
 * them one at a time and stops at the first not met:
 * ctm_record_decode_lazy() decodes what CTM_DECODE_MINIMAL does, but
 * leaves t->criteria unread (room for n_criteria, not zeroed: only
 * t->criteria[0 .. lz->next) are set); each ctm_lazy_next() decodes the
 * next into t->criteria[lz->next - 1]. The recruiting sites are not read
 * either (t->n_locations 0) until ctm_lazy_sites(): only a trial that is
 * not ineligible needs them. The cursor points into `data`, which must
 * outlive it; the arrays go to `arena`.
 */
typedef struct ctm_lazy {
	const unsigned char *p, *end; /* the criteria not yet read */
	const unsigned char *sites;   /* the sites not yet read, or NULL */
	ctm_arena *arena;
	ctm_trial *t;
	size_t next; /* criteria read */
	unsigned version; /* the record's format version */
} ctm_lazy;
int ctm_record_decode_lazy(const void *data, size_t len, ctm_arena *arena,
			   ctm_trial **out, ctm_lazy *lz, ctm_error *err);
int ctm_lazy_next(ctm_lazy *lz, ctm_error *err);
/* Reads the sites into t->locations (as a minimal decode has them); 0
 * when read already. */
int ctm_lazy_sites(ctm_lazy *lz, ctm_error *err);

int ctm_record_decode_flags(const void *data, size_t len, unsigned flags,
			    ctm_trial **out, ctm_error *err);
/*
 * The same into a caller's arena (reused between records, say, with
 * ctm_arena_reset): *out lives there, and ctm_trial_free(*out) is a no-op.
 */
int ctm_record_decode_in(const void *data, size_t len, unsigned flags,
			 ctm_arena *arena, ctm_trial **out, ctm_error *err);

/* ------------------------------------------------------------------ */
/* The index                                                           */
/* ------------------------------------------------------------------ */

typedef struct ctm_index ctm_index;

enum {
	CTM_INDEX_READONLY = 1u << 0, /* open for reading only */
	CTM_INDEX_CREATE = 1u << 1,   /* create the directory if absent */
	/* one flush per commit instead of two (LMDB MDB_NOMETASYNC):
	 * commits stay atomic and consistent, but a system crash may undo
	 * the last one. For work that can be redone, such as a batch run */
	CTM_INDEX_FAST_COMMIT = 1u << 2,
	/* for ctmatch reparse: an index of schema 2 (match parts and
	 * postings under bare NCT numbers) is opened, its match parts and
	 * postings dropped, and it is marked to be read again whole (see
	 * ctm_index_rebuild_pending()) */
	CTM_INDEX_UPGRADE = 1u << 3,
};

/* The key of a trial's match part and postings (see the top). */
typedef uint64_t ctm_trial_key;

static inline uint32_t ctm_trial_key_nct(ctm_trial_key k)
{
	return (uint32_t)(k & 0xffffffffu);
}

/*
 * Opens (and with CTM_INDEX_CREATE creates, mode 0700/0600) the index at
 * path. An index of another schema version is CTM_EVERSION with a message
 * saying which version it is and what to do. One ctm_index per process;
 * never use it across fork().
 */
int ctm_index_open(ctm_index **out, const char *path, unsigned flags,
		   ctm_error *err);
void ctm_index_close(ctm_index *idx); /* NULL is a no-op */

typedef enum ctm_upsert_result {
	CTM_UPSERT_ADDED = 0,
	CTM_UPSERT_UPDATED,
	CTM_UPSERT_UNCHANGED, /* stored copy is newer, or as new and read
			       * by the same version */
} ctm_upsert_result;

/*
 * Upserts n trials by nct_id in one write transaction: a trial older than
 * the stored copy is left alone, and so is one of the same last_update
 * whose reading version (lexicon_hash) is the stored one's; a newer one,
 * or one of the same date read by another version, replaces the record
 * and its postings. Postings come from
 * ctm_trial_facets() with lx (which may be NULL: status and sex only).
 * The map grows when full and the batch is retried. On any error the
 * whole batch is aborted: nothing of it is written. results[i] (may be
 * NULL) tells what happened to trials[i]. Duplicate ids within one batch:
 * the later one wins under the same rule.
 */
int ctm_index_upsert(ctm_index *idx, ctm_trial *const *trials, size_t n,
		     const ctm_lexicon *lx, ctm_upsert_result *results,
		     ctm_error *err);

/*
 * Writes n trials in one write transaction (their criteria read again:
 * ctmatch reparse), records and postings exactly as ctm_index_upsert()
 * writes a new or newer trial, whatever version is stored; only a stored
 * copy newer than the trial (written since it was read) is left alone.
 * All or nothing.
 */
int ctm_index_replace(ctm_index *idx, ctm_trial *const *trials, size_t n,
		      const ctm_lexicon *lx, ctm_error *err);

/*
 * How many stored trials were read by a version other than `current`
 * (ctm_criteria_current_version()), and how many there are in all (total
 * may be NULL). Cheap: meta keeps the trials' count by version, updated
 * by every write (an index written before those counts is scanned).
 */
int ctm_index_stale_count(ctm_index *idx, uint64_t current, size_t *stale,
			  size_t *total, ctm_error *err);

/*
 * Whether the index is being rebuilt from an older schema (opened with
 * CTM_INDEX_UPGRADE): every trial counts as stale and is read again,
 * whatever its version, until ctm_index_rebuild_done() says the last one
 * was. Only an open with CTM_INDEX_UPGRADE sees such an index.
 */
bool ctm_index_rebuild_pending(const ctm_index *idx);
int ctm_index_rebuild_done(ctm_index *idx, ctm_error *err);

/* "NCT" and 8 digits, and the NUL. */
#define CTM_NCT_ID_SIZE 12

/*
 * Copies the stored records (ctm_record_encode() bytes) of up to max
 * trials after the id `after` ("" from the first), in id order, whose
 * version is not `current` (every one with all), into raw[0..*n): the
 * caller's buffers, reused from call to call. `after` becomes the last id
 * looked at; *end is true when no trial follows it. One short read
 * transaction: the map may grow between calls.
 */
int ctm_index_stale_records(ctm_index *idx, uint64_t current, bool all,
			    char after[CTM_NCT_ID_SIZE], size_t max,
			    ctm_buf *raw, size_t *n, bool *end,
			    ctm_error *err);

/*
 * The last_update and reading version of trial NCT<nct_num> as stored,
 * decoding nothing else; CTM_ENOTFOUND if absent (or unreadable). For an
 * ingest that skips what it already holds.
 */
int ctm_index_stored(ctm_index *idx, uint32_t nct_num, int32_t *last_update,
		     uint64_t *version, ctm_error *err);

/* Reads one trial; CTM_ENOTFOUND if absent. *out is the caller's. */
int ctm_index_get(ctm_index *idx, const char *nct_id, ctm_trial **out,
		  ctm_error *err);

/*
 * Calls fn for every trial in nct_id order inside one read transaction.
 * The trial passed is freed after fn returns. fn returning non-zero stops
 * the walk and that value is returned.
 */
typedef int (*ctm_trial_fn)(void *ctx, const ctm_trial *t);
int ctm_index_foreach(ctm_index *idx, ctm_trial_fn fn, void *ctx,
		      ctm_error *err);

/*
 * The trials filed under a posting key ("status:recruiting",
 * "disease:colorectal cancer", "sex:female"), as trial keys in ascending
 * order (ctm_trial_key_nct() gives the 8 digits of NCTnnnnnnnn). *ids is
 * malloc'd (caller frees). An absent key gives 0 ids.
 */
int ctm_index_posting(ctm_index *idx, const char *key, ctm_trial_key **ids,
		      size_t *n, ctm_error *err);

/* One line of ingest history, stored in meta. */
typedef struct ctm_ingest_log {
	int64_t time; /* seconds since the epoch */
	uint32_t added, updated, unchanged, rejected;
} ctm_ingest_log;

int ctm_index_log_ingest(ctm_index *idx, const ctm_ingest_log *log,
			 ctm_error *err);

typedef struct ctm_index_info {
	uint32_t schema_version;
	size_t n_trials;
	uint64_t map_size;	   /* bytes */
	uint64_t file_size;	   /* bytes of data.mdb */
	ctm_ingest_log last_ingest; /* time 0: never */
	size_t n_ingests;
} ctm_index_info;

int ctm_index_info_get(ctm_index *idx, ctm_index_info *info, ctm_error *err);

/*
 * Writes a compacted copy of the index to dest, a new directory (mode
 * 0700, data.mdb 0600; dest must not exist: CTM_EIO "DEST exists; give a
 * new path"). The copy is one read snapshot, so another process may write
 * the index meanwhile. Compacted: free pages left out and each database's
 * pages in key order, so the match parts of one cluster (see "trial key"
 * above) lie on neighbouring pages of the file and a lookup faults in few
 * of them. On failure nothing of dest is left.
 */
int ctm_index_copy(ctm_index *idx, const char *dest, ctm_error *err);

/* ------------------------------------------------------------------ */
/* Readers                                                             */
/* ------------------------------------------------------------------ */

/*
 * One read transaction for many gets (a match reads hundreds of trials).
 * A reader sees the index as it was when it began. One thread at a time.
 */
typedef struct ctm_index_reader ctm_index_reader;

int ctm_index_reader_begin(ctm_index *idx, ctm_index_reader **out,
			   ctm_error *err);
/* Reads trial NCT<nct_num>; CTM_ENOTFOUND if absent. *out is the caller's. */
int ctm_index_reader_get(ctm_index_reader *r, uint32_t nct_num,
			 ctm_trial **out, ctm_error *err);
/* The same with ctm_record_decode_flags() flags (CTM_DECODE_LITE). */
int ctm_index_reader_get_flags(ctm_index_reader *r, uint32_t nct_num,
			       unsigned flags, ctm_trial **out,
			       ctm_error *err);
/* The same decoded into a caller's arena (see ctm_record_decode_in). */
int ctm_index_reader_get_in(ctm_index_reader *r, uint32_t nct_num,
			    unsigned flags, ctm_arena *arena, ctm_trial **out,
			    ctm_error *err);
/* The same for a trial key from the postings: with CTM_DECODE_MINIMAL,
 * one get in the match parts (the others look the key up first). */
int ctm_index_reader_get_key(ctm_index_reader *r, ctm_trial_key key,
			     unsigned flags, ctm_arena *arena, ctm_trial **out,
			     ctm_error *err);
/* A candidate's match part read lazily (ctm_record_decode_lazy()): the
 * cursor is valid until the reader ends. */
int ctm_index_reader_get_lazy(ctm_index_reader *r, ctm_trial_key key,
			      ctm_arena *arena, ctm_trial **out, ctm_lazy *lz,
			      ctm_error *err);
void ctm_index_reader_end(ctm_index_reader *r); /* NULL is a no-op */

/* ------------------------------------------------------------------ */
/* Batch runs and stored result lists                                  */
/* ------------------------------------------------------------------ */

typedef struct ctm_run {
	uint64_t id;	   /* 1, 2, ... in the order runs were opened */
	int64_t started;   /* seconds since the epoch */
	int64_t finished;  /* 0 while unfinished */
	uint32_t patients; /* set when finished */
	char identity[256]; /* what makes a rerun "the same run" */
} ctm_run;

/*
 * Opens a batch run: when the newest run is unfinished and has the same
 * identity, it is resumed (*resumed true); otherwise a new run is made.
 */
int ctm_index_run_open(ctm_index *idx, const char *identity, int64_t now,
		       ctm_run *run, bool *resumed, ctm_error *err);
int ctm_index_run_finish(ctm_index *idx, uint64_t run_id, int64_t now,
			 uint32_t patients, ctm_error *err);
/*
 * The newest finished run with an id below `before` (0: the newest
 * finished run of all); CTM_ENOTFOUND if none.
 */
int ctm_index_run_previous(ctm_index *idx, uint64_t before, ctm_run *out,
			   ctm_error *err);

/* One patient's stored result list (bytes the caller defines). */
typedef struct ctm_result_put {
	const char *patient;
	const void *data;
	size_t len;
} ctm_result_put;

/* Stores n result lists of a run in one write transaction. */
int ctm_index_results_put(ctm_index *idx, uint64_t run,
			  const ctm_result_put *items, size_t n,
			  ctm_error *err);
/* One stored list (malloc'd copy); CTM_ENOTFOUND if none. */
int ctm_index_result_get(ctm_index *idx, uint64_t run, const char *patient,
			 void **data, size_t *len, ctm_error *err);
/* Every stored list of a run, in patient-id byte order. */
typedef int (*ctm_result_fn)(void *ctx, const char *patient,
			     const void *data, size_t len);
int ctm_index_results_foreach(ctm_index *idx, uint64_t run, ctm_result_fn fn,
			      void *ctx, ctm_error *err);

/* ------------------------------------------------------------------ */
/* Candidate selection                                                 */
/* ------------------------------------------------------------------ */

/*
 * The trials a patient may be matched against, as ascending trial keys
 * (*ids malloc'd, caller frees): those filed under any of the disease
 * concepts (ctm_match_diseases(); n_diseases 0: every trial), open
 * (recruiting or not yet recruiting) unless all_statuses, and not for the
 * other sex when sex is female or male. The lexicon names the concepts.
 */
int ctm_index_candidates(ctm_index *idx, const ctm_lexicon *lx,
			 const ctm_concept *diseases, size_t n_diseases,
			 bool all_statuses, ctm_gender sex,
			 ctm_trial_key **ids, size_t *n, ctm_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CTM_INDEX_H */
