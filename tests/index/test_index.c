/*
 * test_index.c - the LMDB index. Every test opens its own index inside the
 * test (Criterion forks: never an environment at file scope).
 */
#include <criterion/criterion.h>
#include <ctm/index.h>
#include <lmdb.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static ctm_trial *mk(const char *nct, ctm_status status, ctm_gender g,
		     int32_t last_update)
{
	ctm_trial *t = ctm_trial_new();

	t->nct_id = ctm_arena_strdup(t->arena, nct);
	t->brief_title = ctm_arena_strdup(t->arena, "A trial");
	t->status = status;
	t->gender = g;
	t->last_update = last_update;
	return t;
}

static const char *subpath(const char *dir, const char *name)
{
	static char buf[4][PATH_MAX];
	static int next;
	char *b = buf[next++ % 4];
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof tmp, "%s/%s", dir, name); /* dir may be a buf */
	memcpy(b, tmp, sizeof tmp);
	return b;
}

static ctm_index *open_new(const char **path_out)
{
	const char *path = subpath(tu_tmpdir(), "db");
	ctm_index *idx = NULL;
	ctm_error err;

	cr_assert_eq(ctm_index_open(&idx, path, CTM_INDEX_CREATE, &err), 0,
		     "%s", err.message);
	if (path_out)
		*path_out = path;
	return idx;
}

static void upsert1(ctm_index *idx, ctm_trial *t, ctm_upsert_result want)
{
	ctm_upsert_result res = (ctm_upsert_result)99;
	ctm_error err;

	cr_assert_eq(ctm_index_upsert(idx, &t, 1, NULL, &res, &err), 0, "%s",
		     err.message);
	cr_assert_eq(res, want, "%s: result %d, want %d", t->nct_id, res,
		     want);
}

static void upsert1_lx(ctm_index *idx, ctm_trial *t, const ctm_lexicon *lx)
{
	ctm_upsert_result res;
	ctm_error err;

	cr_assert_eq(ctm_index_upsert(idx, &t, 1, lx, &res, &err), 0, "%s",
		     err.message);
	cr_assert_eq(res, CTM_UPSERT_UPDATED, "%s: result %d", t->nct_id, res);
}

static size_t count(ctm_index *idx)
{
	ctm_index_info info;

	cr_assert_eq(ctm_index_info_get(idx, &info, NULL), 0);
	return info.n_trials;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Asserts the posting of key holds exactly the trials want[0..n)
 * (ascending NCT numbers), in ascending trial key order. */
static void posting_is(ctm_index *idx, const char *key, const uint32_t *want,
		       size_t n)
{
	ctm_trial_key *ids = NULL;
	uint32_t *nums = malloc((n ? n : 1) * sizeof(*nums));
	size_t got = 99, i;
	ctm_error err;

	cr_assert_not_null(nums);
	cr_assert_eq(ctm_index_posting(idx, key, &ids, &got, &err), 0, "%s",
		     err.message);
	cr_assert_eq(got, n, "%s: %zu ids, want %zu", key, got, n);
	for (i = 0; i < n; i++) {
		cr_assert(i == 0 || ids[i - 1] < ids[i], "%s: not in key order",
			  key);
		nums[i] = ctm_trial_key_nct(ids[i]);
	}
	qsort(nums, n, sizeof(*nums), cmp_u32);
	for (i = 0; i < n; i++)
		cr_assert_eq(nums[i], want[i], "%s[%zu] = %u, want %u", key, i,
			     nums[i], want[i]);
	free(ids);
	free(nums);
}

static unsigned mode_of(const char *p)
{
	struct stat st;

	cr_assert_eq(stat(p, &st), 0, "stat %s", p);
	return st.st_mode & 07777;
}

static void check_modes(mode_t mask)
{
	const char *path = subpath(tu_tmpdir(), "db");
	ctm_index *idx = NULL;
	ctm_error err;

	umask(mask);
	cr_assert_eq(ctm_index_open(&idx, path, CTM_INDEX_CREATE, &err), 0,
		     "%s", err.message);
	cr_assert_eq(mode_of(path), 0700, "dir mode %o with umask %o",
		     mode_of(path), (unsigned)mask);
	cr_assert_eq(mode_of(subpath(path, "data.mdb")), 0600);
	cr_assert_eq(mode_of(subpath(path, "lock.mdb")), 0600);
	ctm_index_close(idx);
}

Test(index, create_is_owner_only_with_umask_0)
{
	check_modes(0);
}

Test(index, create_is_owner_only_with_umask_0277)
{
	check_modes(0277);
}

/* A compacted copy holds what the index holds, owner-only whatever the
 * umask; an existing path is refused and left alone; a failed copy leaves
 * nothing behind. */
Test(index, copy_compacted_owner_only_never_over_a_path)
{
	static const uint32_t only100[] = {100}, only200[] = {200};
	const char *src, *dest, *missing;
	ctm_index *idx = open_new(&src), *cp = NULL;
	ctm_trial *t[2];
	ctm_error err;
	char want[PATH_MAX + 64];

	umask(0);
	t[0] = mk("NCT00000100", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 20230101);
	t[1] = mk("NCT00000200", CTM_STATUS_COMPLETED, CTM_GENDER_FEMALE, 20230102);
	upsert1(idx, t[0], CTM_UPSERT_ADDED);
	upsert1(idx, t[1], CTM_UPSERT_ADDED);
	ctm_trial_free(t[0]);
	ctm_trial_free(t[1]);
	dest = strdup(subpath(tu_tmpdir(), "copy"));
	cr_assert_not_null(dest);
	cr_assert_eq(ctm_index_copy(idx, dest, &err), 0, "%s", err.message);
	cr_assert_eq(mode_of(dest), 0700);
	cr_assert_eq(mode_of(subpath(dest, "data.mdb")), 0600);

	/* onto itself, or any path that exists: refused, untouched */
	cr_assert_eq(ctm_index_copy(idx, dest, &err), CTM_EIO);
	snprintf(want, sizeof want, "%s exists; give a new path", dest);
	cr_assert_str_eq(err.message, want);
	cr_assert_str_eq(err.file, dest);
	cr_assert_eq(ctm_index_copy(idx, src, &err), CTM_EIO);
	/* a parent that does not exist: an error, nothing made */
	missing = subpath(subpath(tu_tmpdir(), "no"), "copy");
	cr_assert_eq(ctm_index_copy(idx, missing, &err), CTM_EIO);
	cr_assert_eq(access(missing, F_OK), -1);
	ctm_index_close(idx);

	cr_assert_eq(ctm_index_open(&cp, dest, CTM_INDEX_READONLY, &err), 0,
		     "%s", err.message);
	cr_assert_eq(count(cp), 2);
	cr_assert_eq(ctm_index_get(cp, "NCT00000200", &t[0], &err), 0, "%s",
		     err.message);
	cr_assert_eq(t[0]->status, CTM_STATUS_COMPLETED);
	cr_assert_eq(t[0]->gender, CTM_GENDER_FEMALE);
	cr_assert_eq(t[0]->last_update, 20230102);
	ctm_trial_free(t[0]);
	posting_is(cp, "sex:all", only100, 1);
	posting_is(cp, "sex:female", only200, 1);
	ctm_index_close(cp);
	free((void *)dest);
}

Test(index, upsert_by_last_update)
{
	ctm_index *idx = open_new(NULL);
	ctm_trial *t;
	ctm_error err;

	t = mk("NCT00000100", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 20230101);
	upsert1(idx, t, CTM_UPSERT_ADDED);
	ctm_trial_free(t);

	/* equal: unchanged */
	t = mk("NCT00000100", CTM_STATUS_COMPLETED, CTM_GENDER_ALL, 20230101);
	upsert1(idx, t, CTM_UPSERT_UNCHANGED);
	ctm_trial_free(t);
	/* older: unchanged */
	t = mk("NCT00000100", CTM_STATUS_COMPLETED, CTM_GENDER_ALL, 20221231);
	upsert1(idx, t, CTM_UPSERT_UNCHANGED);
	ctm_trial_free(t);

	cr_assert_eq(ctm_index_get(idx, "NCT00000100", &t, &err), 0, "%s",
		     err.message);
	cr_assert_eq(t->status, CTM_STATUS_RECRUITING);
	cr_assert_eq(t->last_update, 20230101);
	ctm_trial_free(t);

	/* newer: updated */
	t = mk("NCT00000100", CTM_STATUS_COMPLETED, CTM_GENDER_ALL, 20230102);
	upsert1(idx, t, CTM_UPSERT_UPDATED);
	ctm_trial_free(t);
	cr_assert_eq(ctm_index_get(idx, "NCT00000100", &t, &err), 0);
	cr_assert_eq(t->status, CTM_STATUS_COMPLETED);
	cr_assert_eq(t->last_update, 20230102);
	cr_assert_str_eq(t->brief_title, "A trial");
	ctm_trial_free(t);
	cr_assert_eq(count(idx), 1);
	ctm_index_close(idx);
}

Test(index, postings_follow_updates)
{
	static const uint32_t only100[] = {100};
	static const uint32_t both[] = {100, 200};
	static const uint32_t only200[] = {200};
	ctm_index *idx = open_new(NULL);
	ctm_trial *t[2];

	t[0] = mk("NCT00000200", CTM_STATUS_RECRUITING, CTM_GENDER_FEMALE,
		  20230101);
	t[1] = mk("NCT00000100", CTM_STATUS_RECRUITING, CTM_GENDER_ALL,
		  20230101);
	cr_assert_eq(ctm_index_upsert(idx, t, 2, NULL, NULL, NULL), 0);
	ctm_trial_free(t[0]);
	ctm_trial_free(t[1]);
	posting_is(idx, "status:recruiting", both, 2);
	posting_is(idx, "sex:female", only200, 1);
	posting_is(idx, "sex:all", only100, 1);
	posting_is(idx, "status:completed", NULL, 0);

	t[0] = mk("NCT00000200", CTM_STATUS_COMPLETED, CTM_GENDER_MALE,
		  20230201);
	upsert1(idx, t[0], CTM_UPSERT_UPDATED);
	ctm_trial_free(t[0]);
	posting_is(idx, "status:recruiting", only100, 1);
	posting_is(idx, "status:completed", only200, 1);
	posting_is(idx, "sex:female", NULL, 0);
	posting_is(idx, "sex:male", only200, 1);

	/* an unchanged upsert leaves the postings alone */
	t[0] = mk("NCT00000200", CTM_STATUS_RECRUITING, CTM_GENDER_FEMALE,
		  20230201);
	upsert1(idx, t[0], CTM_UPSERT_UNCHANGED);
	ctm_trial_free(t[0]);
	posting_is(idx, "status:recruiting", only100, 1);
	posting_is(idx, "sex:male", only200, 1);

	posting_is(idx, "no such key", NULL, 0);
	posting_is(idx, "", NULL, 0);
	ctm_index_close(idx);
}

Test(index, posting_many_ids_sorted)
{
	enum { N = 3000 };
	ctm_index *idx = open_new(NULL);
	ctm_trial **t = calloc(N, sizeof(*t));
	uint32_t *want = calloc(N, sizeof(*want));
	char id[12];
	size_t i;

	/* inserted in a scrambled order: 7919 is prime, so i*7919 % N
	 * visits every residue once */
	for (i = 0; i < N; i++) {
		uint32_t num = (uint32_t)((i * 7919) % N) * 1000 + 5;
		t[i] = mk(ctm_nct_format(num, id), CTM_STATUS_RECRUITING,
			  CTM_GENDER_ALL, 20230101);
	}
	for (i = 0; i < N; i++)
		want[i] = (uint32_t)i * 1000 + 5;
	cr_assert_eq(ctm_index_upsert(idx, t, N, NULL, NULL, NULL), 0);
	posting_is(idx, "status:recruiting", want, N);
	for (i = 0; i < N; i++)
		ctm_trial_free(t[i]);
	free(t);
	free(want);
	ctm_index_close(idx);
}

Test(index, get_absent_and_invalid)
{
	ctm_index *idx = open_new(NULL);
	ctm_trial *t = (ctm_trial *)1;
	ctm_error err;

	cr_assert_eq(ctm_index_get(idx, "NCT09999999", &t, &err),
		     CTM_ENOTFOUND);
	cr_assert_null(t);
	cr_assert_not_null(strstr(err.message, "NCT09999999"));
	cr_assert_eq(ctm_index_get(idx, "NCT123", &t, &err), CTM_EINVALID);
	cr_assert_null(t);
	ctm_index_close(idx);
}

static int collect(void *ctx, const ctm_trial *t)
{
	char *s = ctx;

	strcat(s, t->nct_id);
	strcat(s, " ");
	return 0;
}

static int stop_at_second(void *ctx, const ctm_trial *t)
{
	int *n = ctx;

	(void)t;
	return ++*n == 2 ? 42 : 0;
}

Test(index, foreach_in_id_order)
{
	ctm_index *idx = open_new(NULL);
	ctm_trial *t[3];
	char seen[128] = "";
	int n = 0;

	t[0] = mk("NCT00000300", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 1);
	t[1] = mk("NCT00000100", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 1);
	t[2] = mk("NCT10000000", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 1);
	cr_assert_eq(ctm_index_upsert(idx, t, 3, NULL, NULL, NULL), 0);
	cr_assert_eq(ctm_index_foreach(idx, collect, seen, NULL), 0);
	cr_assert_str_eq(seen, "NCT00000100 NCT00000300 NCT10000000 ");
	cr_assert_eq(ctm_index_foreach(idx, stop_at_second, &n, NULL), 42);
	cr_assert_eq(n, 2);
	ctm_trial_free(t[0]);
	ctm_trial_free(t[1]);
	ctm_trial_free(t[2]);
	ctm_index_close(idx);
}

Test(index, invalid_trial_aborts_whole_batch)
{
	ctm_index *idx = open_new(NULL);
	ctm_trial *t[3], *got = NULL;
	ctm_upsert_result res[3];
	ctm_error err;

	t[0] = mk("NCT00000001", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 1);
	upsert1(idx, t[0], CTM_UPSERT_ADDED);
	ctm_trial_free(t[0]);
	cr_assert_eq(count(idx), 1);

	t[0] = mk("NCT00000002", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 1);
	t[1] = mk("NCT0000003", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 1);
	t[2] = mk("NCT00000004", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 1);
	ctm_error_clear(&err);
	cr_assert_eq(ctm_index_upsert(idx, t, 3, NULL, res, &err),
		     CTM_EINVALID);
	cr_assert_not_null(strstr(err.message, "NCT0000003"), "%s",
			   err.message);
	cr_assert_eq(count(idx), 1);
	cr_assert_eq(ctm_index_get(idx, "NCT00000002", &got, NULL),
		     CTM_ENOTFOUND);
	posting_is(idx, "status:recruiting", (const uint32_t[]){1}, 1);

	/* a criterion the decoder would refuse is refused on the way in */
	t[1]->nct_id = "NCT00000003";
	t[1]->criteria = ctm_arena_alloc(t[1]->arena, sizeof(ctm_criterion));
	t[1]->n_criteria = 1;
	t[1]->criteria[0].text = "x";
	t[1]->criteria[0].expr =
		ctm_arena_alloc(t[1]->arena, sizeof(ctm_expr));
	t[1]->criteria[0].expr[0] = (ctm_expr){CTM_EXPR_LEAF, 5};
	t[1]->criteria[0].n_expr = 1;
	cr_assert_eq(ctm_index_upsert(idx, t, 3, NULL, res, &err),
		     CTM_EINVALID);
	cr_assert_not_null(strstr(err.message, "NCT00000003"), "%s",
			   err.message);
	cr_assert_eq(count(idx), 1);

	/* and once fixed, all three go in */
	t[1]->criteria[0].n_expr = 0;
	cr_assert_eq(ctm_index_upsert(idx, t, 3, NULL, res, &err), 0, "%s",
		     err.message);
	cr_assert_eq(res[0], CTM_UPSERT_ADDED);
	cr_assert_eq(res[1], CTM_UPSERT_ADDED);
	cr_assert_eq(res[2], CTM_UPSERT_ADDED);
	cr_assert_eq(count(idx), 4);
	ctm_trial_free(t[0]);
	ctm_trial_free(t[1]);
	ctm_trial_free(t[2]);
	ctm_index_close(idx);
}

Test(index, duplicate_ids_in_one_batch)
{
	static const uint32_t seven[] = {7};
	ctm_index *idx = open_new(NULL);
	ctm_trial *t[3], *got = NULL;
	ctm_upsert_result res[3];

	t[0] = mk("NCT00000007", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 10);
	t[1] = mk("NCT00000007", CTM_STATUS_SUSPENDED, CTM_GENDER_ALL, 20);
	t[2] = mk("NCT00000007", CTM_STATUS_WITHDRAWN, CTM_GENDER_ALL, 15);
	cr_assert_eq(ctm_index_upsert(idx, t, 3, NULL, res, NULL), 0);
	cr_assert_eq(res[0], CTM_UPSERT_ADDED);
	cr_assert_eq(res[1], CTM_UPSERT_UPDATED);
	cr_assert_eq(res[2], CTM_UPSERT_UNCHANGED);
	cr_assert_eq(ctm_index_get(idx, "NCT00000007", &got, NULL), 0);
	cr_assert_eq(got->status, CTM_STATUS_SUSPENDED);
	posting_is(idx, "status:suspended", seven, 1);
	posting_is(idx, "status:recruiting", NULL, 0);
	posting_is(idx, "status:withdrawn", NULL, 0);
	ctm_trial_free(got);
	ctm_trial_free(t[0]);
	ctm_trial_free(t[1]);
	ctm_trial_free(t[2]);
	ctm_index_close(idx);
}

/* Text of trial i: about 150 KiB, different for each trial. */
static char *big_text(size_t i)
{
	size_t n = 150 * 1024, j;
	char *s = malloc(n + 1);

	for (j = 0; j < n; j++)
		s[j] = (char)('a' + (j * 7 + i * 13) % 26);
	s[n] = '\0';
	return s;
}

Test(index, map_grows_when_full)
{
	enum { N = 40, BATCH = 8 };
	const char *path;
	ctm_index *idx;
	ctm_index_info info;
	ctm_trial *t[N];
	ctm_error err;
	char id[12];
	size_t i;

	setenv("CTM_INDEX_MAPSIZE", "1048576", 1);
	idx = open_new(&path);
	cr_assert_eq(ctm_index_info_get(idx, &info, NULL), 0);
	cr_assert_eq(info.map_size, 1048576);
	for (i = 0; i < N; i++) {
		t[i] = mk(ctm_nct_format((uint32_t)i + 1, id),
			  CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 20230101);
		t[i]->criteria_text = big_text(i);
	}
	/* 8 x 150 KiB: every batch alone is larger than the first map */
	for (i = 0; i < N; i += BATCH)
		cr_assert_eq(ctm_index_upsert(idx, t + i, BATCH, NULL, NULL,
					      &err),
			     0, "%s", err.message);
	cr_assert_eq(ctm_index_info_get(idx, &info, NULL), 0);
	cr_assert_eq(info.n_trials, N);
	cr_assert_geq(info.map_size, (uint64_t)N * 150 * 1024);
	cr_assert_leq(info.file_size, info.map_size);
	ctm_index_close(idx);

	/* Reopened with the same small initial size: the file's size wins. */
	cr_assert_eq(ctm_index_open(&idx, path, CTM_INDEX_READONLY, &err), 0,
		     "%s", err.message);
	for (i = 0; i < N; i++) {
		ctm_trial *got = NULL;
		cr_assert_eq(ctm_index_get(idx, t[i]->nct_id, &got, &err), 0,
			     "%s", err.message);
		cr_assert_str_eq(got->criteria_text, t[i]->criteria_text);
		ctm_trial_free(got);
	}
	ctm_index_close(idx);
	for (i = 0; i < N; i++) {
		free((char *)t[i]->criteria_text);
		ctm_trial_free(t[i]);
	}
	unsetenv("CTM_INDEX_MAPSIZE");
}

Test(index, bad_mapsize_variable)
{
	ctm_index *idx = NULL;
	ctm_error err;

	setenv("CTM_INDEX_MAPSIZE", "12abc", 1);
	cr_assert_eq(ctm_index_open(&idx, subpath(tu_tmpdir(), "db"),
				    CTM_INDEX_CREATE, &err),
		     CTM_EINVALID);
	cr_assert_null(idx);
	cr_assert_not_null(strstr(err.message, "CTM_INDEX_MAPSIZE"));
}

Test(index, default_map_is_16_gib)
{
	ctm_index *idx;
	ctm_index_info info;

	unsetenv("CTM_INDEX_MAPSIZE");
	idx = open_new(NULL);
	cr_assert_eq(ctm_index_info_get(idx, &info, NULL), 0);
	cr_assert_eq(info.map_size, SIZE_MAX > 0xffffffffu ? (uint64_t)1 << 34
							  : (uint64_t)256 << 20);
	cr_assert_eq(info.schema_version, CTM_INDEX_SCHEMA_VERSION);
	cr_assert_eq(info.n_trials, 0);
	cr_assert_eq(info.n_ingests, 0);
	cr_assert_eq(info.last_ingest.time, 0);
	cr_assert_gt(info.file_size, 0);
	ctm_index_close(idx);
}

/* Writes schema_version = v (uint32 little-endian) with plain LMDB. */
static void force_schema(const char *path, uint32_t v)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
			      (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	MDB_val k = {14, "schema_version"}, val = {4, b};

	cr_assert_eq(mdb_env_create(&env), 0);
	cr_assert_eq(mdb_env_set_maxdbs(env, 16), 0);
	cr_assert_eq(mdb_env_open(env, path, 0, 0600), 0);
	cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
	cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &dbi), 0);
	cr_assert_eq(mdb_put(txn, dbi, &k, &val, 0), 0);
	cr_assert_eq(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

Test(index, other_schema_version_refused)
{
	const char *path;
	ctm_index *idx = open_new(&path);
	ctm_error err;
	unsigned flags[2] = {0, CTM_INDEX_READONLY};
	int i;

	ctm_index_close(idx);
	force_schema(path, 1); /* the first release's indexes */
	for (i = 0; i < 2; i++) {
		idx = (ctm_index *)1;
		ctm_error_clear(&err);
		cr_assert_eq(ctm_index_open(&idx, path, flags[i], &err),
			     CTM_EVERSION);
		cr_assert_null(idx);
		cr_assert_not_null(strstr(err.message, "schema version 1,"),
				   "%s", err.message);
		cr_assert_not_null(strstr(err.message, "reads version 3"),
				   "%s", err.message);
		cr_assert_not_null(strstr(err.message, path), "%s",
				   err.message);
	}
	/* back to the current version: opens again */
	force_schema(path, CTM_INDEX_SCHEMA_VERSION);
	cr_assert_eq(ctm_index_open(&idx, path, 0, &err), 0, "%s",
		     err.message);
	ctm_index_close(idx);
}

Test(index, not_an_index)
{
	const char *dir = tu_tmpdir();
	const char *file = subpath(dir, "plain");
	const char *empty = subpath(dir, "empty");
	const char *absent = subpath(dir, "absent");
	ctm_index *idx = NULL;
	ctm_error err;

	cr_assert_eq(tu_write_file(file, "hello\n", 6), 0);
	cr_assert_eq(ctm_index_open(&idx, file, CTM_INDEX_CREATE, &err),
		     CTM_EINDEX);
	cr_assert_null(idx);
	cr_assert_not_null(strstr(err.message, file), "%s", err.message);
	cr_assert_eq(ctm_index_open(&idx, file, CTM_INDEX_READONLY, &err),
		     CTM_EINDEX);

	cr_assert_eq(mkdir(empty, 0700), 0);
	cr_assert_eq(ctm_index_open(&idx, empty, CTM_INDEX_READONLY, &err),
		     CTM_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, empty), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "data.mdb"), "%s",
			   err.message);
	/* reading found nothing and created nothing */
	cr_assert_neq(access(subpath(empty, "data.mdb"), F_OK), 0);
	cr_assert_eq(ctm_index_open(&idx, empty, 0, &err), CTM_ENOTFOUND);

	cr_assert_eq(ctm_index_open(&idx, absent, CTM_INDEX_READONLY, &err),
		     CTM_ENOTFOUND);
	cr_assert_not_null(strstr(err.message, absent), "%s", err.message);
	cr_assert_neq(access(absent, F_OK), 0);

	/* data.mdb that is not LMDB */
	cr_assert_eq(tu_write_file(subpath(empty, "data.mdb"),
				   "not lmdb at all, not lmdb at all", 32),
		     0);
	cr_assert_eq(ctm_index_open(&idx, empty, CTM_INDEX_READONLY, &err),
		     CTM_EINDEX);
	cr_assert_null(idx);
}

Test(index, read_only_reopen)
{
	static const uint32_t five[] = {5};
	const char *path;
	ctm_index *idx = open_new(&path);
	ctm_trial *t = mk("NCT00000005", CTM_STATUS_RECRUITING,
			  CTM_GENDER_MALE, 20230101);
	ctm_trial *got = NULL;
	ctm_error err;
	ctm_ingest_log log = {1700000000, 1, 0, 0, 0};

	upsert1(idx, t, CTM_UPSERT_ADDED);
	ctm_index_close(idx);

	cr_assert_eq(ctm_index_open(&idx, path, CTM_INDEX_READONLY, &err), 0,
		     "%s", err.message);
	cr_assert_eq(ctm_index_get(idx, "NCT00000005", &got, &err), 0);
	cr_assert_str_eq(got->nct_id, "NCT00000005");
	cr_assert_eq(got->gender, CTM_GENDER_MALE);
	ctm_trial_free(got);
	posting_is(idx, "sex:male", five, 1);
	cr_assert_eq(count(idx), 1);
	cr_assert_eq(ctm_index_upsert(idx, &t, 1, NULL, NULL, &err),
		     CTM_EINVALID);
	cr_assert_eq(ctm_index_log_ingest(idx, &log, &err), CTM_EINVALID);
	ctm_index_close(idx);
	ctm_trial_free(t);
}

Test(index, info_and_ingest_log)
{
	const char *path;
	ctm_index *idx = open_new(&path);
	ctm_index_info info;
	ctm_trial *t[2];
	ctm_error err;
	ctm_ingest_log a = {1700000000, 2, 0, 0, 1};
	ctm_ingest_log b = {-5, 0, 1, 1, 0};
	ctm_ingest_log c = {(int64_t)1 << 40, 4000000000u, 3, 2, 1};

	t[0] = mk("NCT00000001", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 1);
	t[1] = mk("NCT00000002", CTM_STATUS_COMPLETED, CTM_GENDER_ALL, 1);
	cr_assert_eq(ctm_index_upsert(idx, t, 2, NULL, NULL, NULL), 0);
	cr_assert_eq(ctm_index_log_ingest(idx, &a, &err), 0, "%s",
		     err.message);
	cr_assert_eq(ctm_index_info_get(idx, &info, &err), 0);
	cr_assert_eq(info.n_trials, 2);
	cr_assert_eq(info.n_ingests, 1);
	cr_assert_eq(info.last_ingest.time, 1700000000);
	cr_assert_eq(info.last_ingest.added, 2);
	cr_assert_eq(info.last_ingest.rejected, 1);

	cr_assert_eq(ctm_index_log_ingest(idx, &b, &err), 0);
	ctm_index_close(idx);
	cr_assert_eq(ctm_index_open(&idx, path, 0, &err), 0);
	cr_assert_eq(ctm_index_info_get(idx, &info, &err), 0);
	cr_assert_eq(info.n_ingests, 2);
	cr_assert_eq(info.last_ingest.time, -5);
	cr_assert_eq(info.last_ingest.updated, 1);
	cr_assert_eq(info.last_ingest.unchanged, 1);

	cr_assert_eq(ctm_index_log_ingest(idx, &c, &err), 0);
	cr_assert_eq(ctm_index_info_get(idx, &info, &err), 0);
	cr_assert_eq(info.schema_version, 3);
	cr_assert_eq(info.n_trials, 2);
	cr_assert_eq(info.n_ingests, 3);
	cr_assert_eq(info.last_ingest.time, (int64_t)1 << 40);
	cr_assert_eq(info.last_ingest.added, 4000000000u);
	cr_assert_eq(info.last_ingest.updated, 3);
	cr_assert_eq(info.last_ingest.unchanged, 2);
	cr_assert_eq(info.last_ingest.rejected, 1);
	ctm_index_close(idx);
	ctm_trial_free(t[0]);
	ctm_trial_free(t[1]);
}

/* The stored record round-trips every field through LMDB too. */
Test(index, stored_criteria_round_trip)
{
	ctm_index *idx = open_new(NULL);
	ctm_trial *t = mk("NCT04000001", CTM_STATUS_RECRUITING, CTM_GENDER_ALL,
			  20240101);
	ctm_trial *got = NULL;
	ctm_criterion *c;
	ctm_buf b1 = {0}, b2 = {0};

	c = ctm_arena_alloc(t->arena, sizeof(*c));
	c->section = CTM_SECTION_EXCLUSION;
	c->structured = true;
	c->text = "Prior anti-EGFR therapy";
	c->expr = ctm_arena_alloc(t->arena, 2 * sizeof(ctm_expr));
	c->expr[0] = (ctm_expr){CTM_EXPR_NOT, 1};
	c->expr[1] = (ctm_expr){CTM_EXPR_LEAF, 0};
	c->n_expr = 2;
	c->constraints = ctm_arena_alloc(t->arena, sizeof(ctm_constraint));
	c->constraints[0] = (ctm_constraint){.kind = CTM_K_THERAPY,
					     .concept = 12,
					     .lo = -INFINITY,
					     .hi = INFINITY,
					     .alt_hi = INFINITY};
	c->n_constraints = 1;
	t->criteria = c;
	t->n_criteria = 1;
	t->lexicon_hash = 99;
	upsert1(idx, t, CTM_UPSERT_ADDED);
	cr_assert_eq(ctm_index_get(idx, "NCT04000001", &got, NULL), 0);
	cr_assert_eq(ctm_record_encode(t, &b1), 0);
	cr_assert_eq(ctm_record_encode(got, &b2), 0);
	cr_assert_eq(b1.len, b2.len);
	cr_assert_eq(memcmp(b1.data, b2.data, b1.len), 0);
	cr_assert_str_eq(got->criteria[0].text, "Prior anti-EGFR therapy");
	cr_assert_eq(got->criteria[0].constraints[0].concept, 12);
	ctm_buf_free(&b1);
	ctm_buf_free(&b2);
	ctm_trial_free(got);
	ctm_trial_free(t);
	ctm_index_close(idx);
}

/*
 * A lookup reads candidates through the reader with CTM_DECODE_MINIMAL
 * (the match part, kept in a database of its own) and the kept results
 * whole: both must follow an update.
 */
Test(index, reader_minimal_and_whole_follow_updates)
{
	ctm_index *idx = open_new(NULL);
	ctm_index_reader *rd = NULL;
	ctm_trial *t, *got = NULL;
	ctm_error err;

	t = mk("NCT00000300", CTM_STATUS_RECRUITING, CTM_GENDER_FEMALE, 20230101);
	upsert1(idx, t, CTM_UPSERT_ADDED);
	ctm_trial_free(t);
	t = mk("NCT00000300", CTM_STATUS_COMPLETED, CTM_GENDER_MALE, 20230301);
	upsert1(idx, t, CTM_UPSERT_UPDATED);
	ctm_trial_free(t);

	cr_assert_eq(ctm_index_reader_begin(idx, &rd, &err), 0, "%s",
		     err.message);
	cr_assert_eq(ctm_index_reader_get_flags(rd, 300, CTM_DECODE_MINIMAL,
						&got, &err),
		     0, "%s", err.message);
	cr_assert_eq(got->status, CTM_STATUS_COMPLETED);
	cr_assert_eq(got->gender, CTM_GENDER_MALE);
	cr_assert_null(got->nct_id);
	ctm_trial_free(got);
	cr_assert_eq(ctm_index_reader_get_flags(rd, 300, 0, &got, &err), 0,
		     "%s", err.message);
	cr_assert_eq(got->status, CTM_STATUS_COMPLETED);
	cr_assert_str_eq(got->nct_id, "NCT00000300");
	ctm_trial_free(got);
	cr_assert_eq(ctm_index_reader_get_flags(rd, 301, CTM_DECODE_MINIMAL,
						&got, &err),
		     CTM_ENOTFOUND);
	ctm_index_reader_end(rd);
	ctm_index_close(idx);
}

/* A recruiting trial for one condition (filed under its disease). */
static ctm_trial *mk_for(uint32_t num, const char *condition, int32_t date)
{
	char id[12];
	ctm_trial *t = mk(ctm_nct_format(num, id), CTM_STATUS_RECRUITING,
			  CTM_GENDER_ALL, date);

	t->conditions = ctm_arena_alloc(t->arena, sizeof(char *));
	t->conditions[0] = ctm_arena_strdup(t->arena, condition);
	t->n_conditions = 1;
	return t;
}

/*
 * The match parts and postings of one disease's trials lie together: a
 * trial's key is its first disease's cluster, then its NCT number, so
 * the trials of a posting come cluster by cluster. A trial whose disease
 * changes moves, and nothing is left under its old key.
 */
Test(index, match_parts_lie_with_their_disease)
{
	static const uint32_t nums[6] = {10, 20, 30, 40, 50, 60};
	ctm_index *idx = open_new(NULL);
	ctm_index_reader *rd = NULL;
	ctm_lexicon *lx = NULL;
	ctm_trial *t[6], *got = NULL;
	ctm_trial_key *keys = NULL, old = 0;
	ctm_concept crc;
	ctm_error err;
	size_t n = 0, i;

	cr_assert_eq(ctm_lexicon_new(&lx, &err), 0, "%s", err.message);
	for (i = 0; i < 6; i++)
		t[i] = mk_for(nums[i], i % 2 ? "Breast Cancer" : "Colorectal Cancer",
			      20230101);
	cr_assert_eq(ctm_index_upsert(idx, t, 6, lx, NULL, &err), 0, "%s",
		     err.message);
	for (i = 0; i < 6; i++)
		ctm_trial_free(t[i]);

	cr_assert_eq(ctm_index_posting(idx, "status:recruiting", &keys, &n, &err),
		     0, "%s", err.message);
	cr_assert_eq(n, 6);
	/* two clusters of three, one after the other, each in NCT order */
	for (i = 0; i < 6; i++) {
		uint32_t num = ctm_trial_key_nct(keys[i]);
		cr_assert_eq(keys[i] >> 32, keys[i / 3 * 3] >> 32,
			     "key %zu is not with its cluster", i);
		cr_assert_eq(num % 20 == 0, ctm_trial_key_nct(keys[i / 3 * 3]) % 20 == 0,
			     "NCT%u is in the other disease's cluster", num);
		cr_assert(i == 0 || keys[i - 1] < keys[i]);
		if (num == 30)
			old = keys[i];
	}
	cr_assert_neq(keys[0] >> 32, keys[3] >> 32);
	cr_assert_neq(keys[0] >> 32, 0);
	/* a closed colorectal trial: the same disease, out of the open ones */
	{
		ctm_trial_key *closed = NULL, crc_open;
		size_t m = 0;
		crc_open = ctm_trial_key_nct(keys[0]) % 20 ? keys[0] : keys[3];
		t[0] = mk_for(70, "Colorectal Cancer", 20230101);
		t[0]->status = CTM_STATUS_COMPLETED;
		cr_assert_eq(ctm_index_upsert(idx, t, 1, lx, NULL, &err), 0, "%s",
			     err.message);
		ctm_trial_free(t[0]);
		cr_assert_eq(ctm_index_posting(idx, "status:completed", &closed, &m,
					       &err), 0, "%s", err.message);
		cr_assert_eq(m, 1);
		cr_assert_eq(ctm_trial_key_nct(closed[0]), 70);
		cr_assert_eq(closed[0] >> 63, 0);
		cr_assert_eq(crc_open >> 63, 1);
		cr_assert_eq(closed[0] >> 32 & 0x7fffffffu, crc_open >> 32 & 0x7fffffffu);
		free(closed);
	}
	free(keys);

	/* NCT30 becomes a breast cancer trial */
	t[0] = mk_for(30, "Breast Cancer", 20230301);
	upsert1_lx(idx, t[0], lx);
	ctm_trial_free(t[0]);
	crc = ctm_lexicon_concept(lx, CTM_CT_DISEASE, "colorectal cancer");
	cr_assert_neq(crc, 0);
	cr_assert_eq(ctm_index_candidates(idx, lx, &crc, 1, false, CTM_GENDER_FEMALE,
					  &keys, &n, &err), 0, "%s", err.message);
	cr_assert_eq(n, 2);
	cr_assert_eq(ctm_trial_key_nct(keys[0]), 10);
	cr_assert_eq(ctm_trial_key_nct(keys[1]), 50);
	free(keys);
	cr_assert_eq(ctm_index_reader_begin(idx, &rd, &err), 0, "%s", err.message);
	cr_assert_eq(ctm_index_reader_get_key(rd, old, CTM_DECODE_MINIMAL, NULL,
					      &got, &err), CTM_ENOTFOUND);
	cr_assert_eq(ctm_index_reader_get_flags(rd, 30, CTM_DECODE_MINIMAL, &got,
						&err), 0, "%s", err.message);
	cr_assert_eq(got->last_update, 20230301);
	ctm_trial_free(got);
	ctm_index_reader_end(rd);
	ctm_lexicon_free(lx);
	ctm_index_close(idx);
}

/*
 * An index of schema 2 (match parts and postings under bare NCT numbers)
 * is refused, naming ctmatch reparse; opened to be upgraded, its match
 * parts and postings are dropped and every trial is stale until all are
 * written again, and only then does it open as an ordinary index.
 */
Test(index, schema_2_index_is_rebuilt)
{
	static const uint32_t both[2] = {101, 102};
	const char *path;
	ctm_index *idx = open_new(&path);
	ctm_trial *t[2];
	ctm_trial_key *keys = NULL;
	ctm_error err;
	size_t n = 9, stale = 9, total = 9, i;

	t[0] = mk("NCT00000101", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 20230101);
	t[1] = mk("NCT00000102", CTM_STATUS_RECRUITING, CTM_GENDER_ALL, 20230101);
	cr_assert_eq(ctm_index_upsert(idx, t, 2, NULL, NULL, &err), 0, "%s",
		     err.message);
	ctm_index_close(idx);
	force_schema(path, 2);

	for (i = 0; i < 2; i++) {
		/* refused before the upgrade and while it is under way */
		idx = (ctm_index *)1;
		cr_assert_eq(ctm_index_open(&idx, path, 0, &err), CTM_EVERSION);
		cr_assert_null(idx);
		cr_assert_not_null(strstr(err.message, "ctmatch reparse --db"), "%s",
				   err.message);
		cr_assert_eq(ctm_index_open(&idx, path, CTM_INDEX_UPGRADE, &err), 0,
			     "%s", err.message);
		cr_assert(ctm_index_rebuild_pending(idx));
		cr_assert_eq(ctm_index_stale_count(idx, t[0]->lexicon_hash, &stale,
						   &total, &err), 0);
		cr_assert_eq(stale, 2);
		cr_assert_eq(total, 2);
		cr_assert_eq(ctm_index_posting(idx, "status:recruiting", &keys, &n,
					       &err), 0);
		cr_assert_eq(n, 0);
		free(keys);
		keys = NULL;
		ctm_index_close(idx);
	}
	cr_assert_eq(ctm_index_open(&idx, path, CTM_INDEX_UPGRADE, &err), 0, "%s",
		     err.message);
	cr_assert_eq(ctm_index_replace(idx, t, 2, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(ctm_index_rebuild_done(idx, &err), 0, "%s", err.message);
	cr_assert_not(ctm_index_rebuild_pending(idx));
	ctm_index_close(idx);
	cr_assert_eq(ctm_index_open(&idx, path, 0, &err), 0, "%s", err.message);
	cr_assert_eq(ctm_index_stale_count(idx, t[0]->lexicon_hash, &stale, &total,
					   &err), 0);
	cr_assert_eq(stale, 0);
	posting_is(idx, "status:recruiting", both, 2);
	ctm_index_close(idx);
	ctm_trial_free(t[0]);
	ctm_trial_free(t[1]);
}
