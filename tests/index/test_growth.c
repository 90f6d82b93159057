/*
 * test_growth.c - the map grows while other threads read (issue 14): LMDB
 * allows a resize only with no transaction open in the process, so every
 * growth must wait for the readers. Before the gate in index.c, these
 * readers died in mdb_get on unmapped memory (SIGSEGV or SIGBUS).
 */
#include <criterion/criterion.h>
#include <ctm/index.h>

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

enum { N_TRIALS = 64, N_PUTS = 48, PUT_BYTES = 256 * 1024 };

typedef struct shared {
	ctm_index *idx;
	atomic_bool stop;
	atomic_size_t reads, failures;
} shared;

static ctm_trial *mk(uint32_t num)
{
	ctm_trial *t = ctm_trial_new();
	char id[12];

	t->nct_id = ctm_arena_strdup(t->arena, ctm_nct_format(num, id));
	t->brief_title = ctm_arena_strdup(t->arena, id);
	t->status = CTM_STATUS_RECRUITING;
	t->gender = CTM_GENDER_ALL;
	t->last_update = 20250101;
	return t;
}

/* Reads every trial in one read transaction, again and again. */
static void *reader_main(void *arg)
{
	shared *sh = arg;

	while (!atomic_load(&sh->stop)) {
		ctm_index_reader *r = NULL;
		ctm_error err;
		uint32_t i;

		if (ctm_index_reader_begin(sh->idx, &r, &err)) {
			atomic_fetch_add(&sh->failures, 1);
			continue;
		}
		for (i = 1; i <= N_TRIALS; i++) {
			ctm_trial *t = NULL;
			char id[12];
			if (ctm_index_reader_get(r, i, &t, &err) ||
			    strcmp(t->brief_title, ctm_nct_format(i, id)) != 0)
				atomic_fetch_add(&sh->failures, 1);
			ctm_trial_free(t);
			atomic_fetch_add(&sh->reads, 1);
		}
		ctm_index_reader_end(r);
	}
	return NULL;
}

static void grow_under_readers(int n_threads)
{
	const char *path = tu_tmpdir();
	char db[PATH_MAX];
	pthread_t th[4];
	shared sh;
	ctm_trial *t[N_TRIALS];
	ctm_index_info info;
	ctm_error err;
	char *blob = malloc(PUT_BYTES);
	uint64_t first_map;
	int i;

	cr_assert(path && blob);
	snprintf(db, sizeof db, "%s/db", path);
	setenv("CTM_INDEX_MAPSIZE", "1048576", 1);
	memset(&sh, 0, sizeof sh);
	cr_assert_eq(ctm_index_open(&sh.idx, db, CTM_INDEX_CREATE, &err), 0,
		     "%s", err.message);
	for (i = 0; i < N_TRIALS; i++)
		t[i] = mk((uint32_t)i + 1);
	cr_assert_eq(ctm_index_upsert(sh.idx, t, N_TRIALS, NULL, NULL, &err),
		     0, "%s", err.message);
	cr_assert_eq(ctm_index_info_get(sh.idx, &info, &err), 0);
	first_map = info.map_size;
	cr_assert_eq(first_map, 1048576);

	for (i = 0; i < n_threads; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, reader_main, &sh), 0);
	/* 48 lists of 256 KiB, one a transaction: 12 MiB through a map of 1
	 * MiB, so it doubles 4 times while the readers read */
	for (i = 0; i < N_PUTS; i++) {
		char patient[16];
		ctm_result_put put;
		memset(blob, 'a' + i % 26, PUT_BYTES);
		snprintf(patient, sizeof patient, "P%03d", i);
		put.patient = patient;
		put.data = blob;
		put.len = PUT_BYTES;
		cr_assert_eq(ctm_index_results_put(sh.idx, 1, &put, 1, &err), 0,
			     "%s", err.message);
	}
	atomic_store(&sh.stop, true);
	for (i = 0; i < n_threads; i++)
		pthread_join(th[i], NULL);

	cr_assert_eq(atomic_load(&sh.failures), 0);
	cr_assert_gt(atomic_load(&sh.reads), 0);
	cr_assert_eq(ctm_index_info_get(sh.idx, &info, &err), 0);
	cr_assert_geq(info.map_size, (uint64_t)16 << 20,
		      "the map did not grow: %llu bytes",
		      (unsigned long long)info.map_size);
	for (i = 0; i < N_PUTS; i += 7) {
		char patient[16];
		void *data = NULL;
		size_t len = 0;
		snprintf(patient, sizeof patient, "P%03d", i);
		cr_assert_eq(ctm_index_result_get(sh.idx, 1, patient, &data,
						  &len, &err),
			     0, "%s", err.message);
		cr_assert_eq(len, PUT_BYTES);
		cr_assert_eq(((unsigned char *)data)[PUT_BYTES - 1],
			     'a' + i % 26);
		free(data);
	}
	ctm_index_close(sh.idx);
	for (i = 0; i < N_TRIALS; i++)
		ctm_trial_free(t[i]);
	free(blob);
	unsetenv("CTM_INDEX_MAPSIZE");
}

Test(growth, map_grows_under_2_reading_threads, .timeout = 60)
{
	grow_under_readers(2);
}

Test(growth, map_grows_under_4_reading_threads, .timeout = 60)
{
	grow_under_readers(4);
}

/* A thread that holds a read transaction cannot grow the map: an error
 * that says so, not a hang. */
Test(growth, grow_with_own_reader_open_is_an_error, .timeout = 60)
{
	const char *path = tu_tmpdir();
	char db[PATH_MAX];
	ctm_index *idx = NULL;
	ctm_index_reader *r = NULL;
	ctm_result_put put;
	ctm_error err;
	char *blob = calloc(1, 2u << 20);

	cr_assert(path && blob);
	snprintf(db, sizeof db, "%s/db", path);
	setenv("CTM_INDEX_MAPSIZE", "1048576", 1);
	cr_assert_eq(ctm_index_open(&idx, db, CTM_INDEX_CREATE, &err), 0,
		     "%s", err.message);
	cr_assert_eq(ctm_index_reader_begin(idx, &r, &err), 0);
	put.patient = "P1";
	put.data = blob;
	put.len = 2u << 20;
	cr_assert_eq(ctm_index_results_put(idx, 1, &put, 1, &err), CTM_EINDEX);
	cr_assert_str_eq(err.message, "cannot grow the map while this thread "
				      "holds a read transaction");
	ctm_index_reader_end(r);
	cr_assert_eq(ctm_index_results_put(idx, 1, &put, 1, &err), 0, "%s",
		     err.message);
	ctm_index_close(idx);
	free(blob);
	unsetenv("CTM_INDEX_MAPSIZE");
}
