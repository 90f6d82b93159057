/*
 * test_versions.c - the index keeps, for each trial, the version of the
 * reading that gave its criteria (ctm_trial.lexicon_hash), and counts the
 * trials by version on every write, so that a match can refuse stale
 * criteria without reading the trials. Every test opens its own index
 * inside the test (Criterion forks).
 */
#include <criterion/criterion.h>
#include <ctm/index.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

static ctm_trial *mk(const char *nct, int32_t last_update, uint64_t version,
		     const char *title)
{
	ctm_trial *t = ctm_trial_new();

	t->nct_id = ctm_arena_strdup(t->arena, nct);
	t->brief_title = ctm_arena_strdup(t->arena, title);
	t->status = CTM_STATUS_RECRUITING;
	t->last_update = last_update;
	t->lexicon_hash = version;
	return t;
}

static ctm_index *open_new(void)
{
	char path[PATH_MAX];
	ctm_index *idx = NULL;
	ctm_error err;

	snprintf(path, sizeof path, "%s/db", tu_tmpdir());
	cr_assert_eq(ctm_index_open(&idx, path, CTM_INDEX_CREATE, &err), 0,
		     "%s", err.message);
	return idx;
}

/* Upserts t (then frees it); returns what happened. */
static ctm_upsert_result put(ctm_index *idx, ctm_trial *t)
{
	ctm_upsert_result res = (ctm_upsert_result)99;
	ctm_error err;

	cr_assert_eq(ctm_index_upsert(idx, &t, 1, NULL, &res, &err), 0, "%s",
		     err.message);
	ctm_trial_free(t);
	return res;
}

static void counts_are(ctm_index *idx, uint64_t current, size_t stale,
		       size_t total)
{
	size_t s = 99, n = 99;
	ctm_error err;

	cr_assert_eq(ctm_index_stale_count(idx, current, &s, &n, &err), 0, "%s",
		     err.message);
	cr_expect_eq(s, stale, "stale for %llx: %zu, want %zu",
		     (unsigned long long)current, s, stale);
	cr_expect_eq(n, total, "total: %zu, want %zu", n, total);
}

static const char *title_of(ctm_index *idx, const char *nct)
{
	static char buf[128];
	ctm_trial *t = NULL;

	cr_assert_eq(ctm_index_get(idx, nct, &t, NULL), 0);
	snprintf(buf, sizeof buf, "%s", t->brief_title);
	ctm_trial_free(t);
	return buf;
}

Test(versions, counted_on_every_write)
{
	ctm_index *idx = open_new();

	counts_are(idx, 7, 0, 0);
	cr_expect_eq(put(idx, mk("NCT00000001", 100, 7, "a")),
		     CTM_UPSERT_ADDED);
	cr_expect_eq(put(idx, mk("NCT00000002", 100, 7, "b")),
		     CTM_UPSERT_ADDED);
	cr_expect_eq(put(idx, mk("NCT00000003", 100, 8, "c")),
		     CTM_UPSERT_ADDED);
	counts_are(idx, 7, 1, 3);
	counts_are(idx, 8, 2, 3);
	/* the same date read by the same version: unchanged */
	cr_expect_eq(put(idx, mk("NCT00000001", 100, 7, "a2")),
		     CTM_UPSERT_UNCHANGED);
	cr_expect_str_eq(title_of(idx, "NCT00000001"), "a");
	/* the same date read by another version: replaced */
	cr_expect_eq(put(idx, mk("NCT00000003", 100, 7, "c2")),
		     CTM_UPSERT_UPDATED);
	cr_expect_str_eq(title_of(idx, "NCT00000003"), "c2");
	counts_are(idx, 7, 0, 3);
	/* an older record, even of another version: left alone */
	cr_expect_eq(put(idx, mk("NCT00000002", 99, 9, "b2")),
		     CTM_UPSERT_UNCHANGED);
	counts_are(idx, 7, 0, 3);
	/* a newer one of another version: replaced, and counted */
	cr_expect_eq(put(idx, mk("NCT00000002", 101, 9, "b3")),
		     CTM_UPSERT_UPDATED);
	counts_are(idx, 7, 1, 3);
	counts_are(idx, 9, 2, 3);
	ctm_index_close(idx);
}

Test(versions, replace_rewrites_all_but_what_is_newer)
{
	ctm_index *idx = open_new();
	ctm_trial *t[2];
	ctm_error err;

	put(idx, mk("NCT00000001", 100, 7, "a"));
	put(idx, mk("NCT00000002", 100, 7, "b"));
	/* same date and version: a replace writes it all the same */
	t[0] = mk("NCT00000001", 100, 7, "a2");
	/* a record read before a newer one was stored: left alone */
	t[1] = mk("NCT00000002", 99, 8, "b2");
	cr_assert_eq(ctm_index_replace(idx, t, 2, NULL, &err), 0, "%s",
		     err.message);
	cr_expect_str_eq(title_of(idx, "NCT00000001"), "a2");
	cr_expect_str_eq(title_of(idx, "NCT00000002"), "b");
	counts_are(idx, 7, 0, 2);
	ctm_trial_free(t[0]);
	ctm_trial_free(t[1]);
	ctm_index_close(idx);
}

Test(versions, stale_records_in_id_order_a_batch_at_a_time)
{
	ctm_index *idx = open_new();
	ctm_buf raw[2];
	char after[CTM_NCT_ID_SIZE] = "";
	size_t n = 0, i;
	bool end = false;
	ctm_error err;
	ctm_trial *t;

	memset(raw, 0, sizeof raw);
	put(idx, mk("NCT00000004", 100, 8, "d"));
	put(idx, mk("NCT00000001", 100, 8, "a"));
	put(idx, mk("NCT00000002", 100, 7, "b"));
	put(idx, mk("NCT00000003", 100, 8, "c"));
	cr_assert_eq(ctm_index_stale_records(idx, 7, false, after, 2, raw, &n,
					     &end, &err),
		     0, "%s", err.message);
	cr_assert_eq(n, 2);
	cr_expect(!end);
	cr_expect_str_eq(after, "NCT00000003");
	cr_assert_eq(ctm_record_decode(raw[0].data, raw[0].len, &t, &err), 0);
	cr_expect_str_eq(t->nct_id, "NCT00000001");
	ctm_trial_free(t);
	cr_assert_eq(ctm_record_decode(raw[1].data, raw[1].len, &t, &err), 0);
	cr_expect_str_eq(t->nct_id, "NCT00000003");
	ctm_trial_free(t);
	cr_assert_eq(ctm_index_stale_records(idx, 7, false, after, 2, raw, &n,
					     &end, &err),
		     0);
	cr_assert_eq(n, 1);
	cr_expect(end);
	cr_assert_eq(ctm_record_decode(raw[0].data, raw[0].len, &t, &err), 0);
	cr_expect_str_eq(t->nct_id, "NCT00000004");
	ctm_trial_free(t);
	/* all: every trial */
	after[0] = '\0';
	cr_assert_eq(ctm_index_stale_records(idx, 7, true, after, 2, raw, &n,
					     &end, &err),
		     0);
	cr_expect_eq(n, 2);
	cr_expect_str_eq(after, "NCT00000002");
	for (i = 0; i < 2; i++)
		ctm_buf_free(&raw[i]);
	ctm_index_close(idx);
}

Test(versions, stored_date_and_version_without_decoding)
{
	ctm_index *idx = open_new();
	int32_t when = 0;
	uint64_t version = 0;
	ctm_error err;

	put(idx, mk("NCT00000042", 12345, 0xfedcba9876543210ull, "x"));
	cr_assert_eq(ctm_index_stored(idx, 42, &when, &version, &err), 0);
	cr_expect_eq(when, 12345);
	cr_expect_eq(version, 0xfedcba9876543210ull);
	cr_expect_eq(ctm_index_stored(idx, 43, &when, &version, &err),
		     CTM_ENOTFOUND);
	ctm_index_close(idx);
}
