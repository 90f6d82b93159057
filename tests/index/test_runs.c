/* test_runs.c - index readers, batch runs and stored result lists. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/index.h>
#include "testutil.h"

static ctm_index *open_new(void)
{
	char *dir = tu_tmpdir();
	char path[512];
	ctm_index *idx;
	ctm_error e;

	cr_assert_not_null(dir);
	snprintf(path, sizeof path, "%s/idx", dir);
	cr_assert_eq(ctm_index_open(&idx, path, CTM_INDEX_CREATE, &e), 0, "%s", e.message);
	return idx;
}

static ctm_trial *trial(const char *id, int32_t updated)
{
	ctm_trial *t = ctm_trial_new();

	cr_assert_not_null(t);
	t->nct_id = ctm_arena_strdup(t->arena, id);
	t->brief_title = ctm_arena_strdup(t->arena, id);
	t->last_update = updated;
	t->status = CTM_STATUS_RECRUITING;
	return t;
}

Test(index_reader, reads_many_trials_in_one_transaction)
{
	ctm_index *idx = open_new();
	ctm_trial *ts[3] = {trial("NCT00000001", 20240101), trial("NCT00000002", 20240101),
			    trial("NCT12345678", 20240101)};
	ctm_index_reader *r;
	ctm_trial *got;
	ctm_error e;

	cr_assert_eq(ctm_index_upsert(idx, ts, 3, NULL, NULL, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_index_reader_begin(idx, &r, &e), 0);
	cr_assert_eq(ctm_index_reader_get(r, 12345678, &got, &e), 0);
	cr_expect_str_eq(got->nct_id, "NCT12345678");
	ctm_trial_free(got);
	cr_assert_eq(ctm_index_reader_get(r, 1, &got, &e), 0);
	cr_expect_str_eq(got->brief_title, "NCT00000001");
	ctm_trial_free(got);
	cr_expect_eq(ctm_index_reader_get(r, 3, &got, &e), CTM_ENOTFOUND);
	cr_expect_null(got);
	cr_expect(strstr(e.message, "NCT00000003") != NULL, "%s", e.message);
	ctm_index_reader_end(r);
	ctm_index_reader_end(NULL);
	for (int i = 0; i < 3; i++)
		ctm_trial_free(ts[i]);
	ctm_index_close(idx);
}

Test(index_runs, new_runs_count_up_and_unfinished_same_identity_resumes)
{
	ctm_index *idx = open_new();
	ctm_run run, prev;
	ctm_error e;
	bool resumed = true;

	cr_expect_eq(ctm_index_run_previous(idx, 0, &prev, &e), CTM_ENOTFOUND);
	cr_assert_eq(ctm_index_run_open(idx, "roster.csv|all", 1000, &run, &resumed, &e), 0);
	cr_expect_eq(run.id, 1);
	cr_expect(!resumed);
	cr_expect_eq(run.started, 1000);
	cr_expect_eq(run.finished, 0);
	/* killed, started again with the same arguments: resumed */
	cr_assert_eq(ctm_index_run_open(idx, "roster.csv|all", 2000, &run, &resumed, &e), 0);
	cr_expect_eq(run.id, 1);
	cr_expect(resumed);
	cr_expect_eq(run.started, 1000);
	cr_assert_eq(ctm_index_run_finish(idx, 1, 3000, 42, &e), 0);
	cr_assert_eq(ctm_index_run_previous(idx, 0, &prev, &e), 0);
	cr_expect_eq(prev.id, 1);
	cr_expect_eq(prev.finished, 3000);
	cr_expect_eq(prev.patients, 42);
	cr_expect_str_eq(prev.identity, "roster.csv|all");
	/* a finished run is not resumed: the next one is new */
	cr_assert_eq(ctm_index_run_open(idx, "roster.csv|all", 4000, &run, &resumed, &e), 0);
	cr_expect_eq(run.id, 2);
	cr_expect(!resumed);
	cr_expect_eq(ctm_index_run_previous(idx, 2, &prev, &e), 0);
	cr_expect_eq(prev.id, 1);
	/* an unfinished run with another identity is abandoned */
	cr_assert_eq(ctm_index_run_open(idx, "other.csv|all", 5000, &run, &resumed, &e), 0);
	cr_expect_eq(run.id, 3);
	cr_expect(!resumed);
	cr_expect_eq(ctm_index_run_previous(idx, 3, &prev, &e), 0);
	cr_expect_eq(prev.id, 1, "run 2 never finished");
	cr_expect_eq(ctm_index_run_previous(idx, 1, &prev, &e), CTM_ENOTFOUND);
	ctm_index_close(idx);
}

static int collect(void *ctx, const char *patient, const void *data, size_t len)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s=%.*s;", patient, (int)len, (const char *)data);
	return 0;
}

Test(index_results, stores_and_lists_result_lists_per_run)
{
	ctm_index *idx = open_new();
	ctm_result_put a[] = {{"P02", "two", 3}, {"P01", "one", 3}, {"P10", "", 0}};
	ctm_result_put b[] = {{"P01", "uno", 3}};
	char out[256] = "";
	void *data;
	size_t len;
	ctm_error e;

	cr_assert_eq(ctm_index_results_put(idx, 1, a, 3, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_index_results_put(idx, 2, b, 1, &e), 0);
	cr_assert_eq(ctm_index_result_get(idx, 1, "P01", &data, &len, &e), 0);
	cr_expect_eq(len, 3);
	cr_expect_eq(memcmp(data, "one", 3), 0);
	free(data);
	cr_assert_eq(ctm_index_result_get(idx, 2, "P01", &data, &len, &e), 0);
	cr_expect_eq(memcmp(data, "uno", 3), 0);
	free(data);
	cr_expect_eq(ctm_index_result_get(idx, 2, "P02", &data, &len, &e), CTM_ENOTFOUND);
	cr_assert_eq(ctm_index_results_foreach(idx, 1, collect, out, &e), 0);
	cr_expect_str_eq(out, "P01=one;P02=two;P10=;");
	out[0] = '\0';
	cr_assert_eq(ctm_index_results_foreach(idx, 3, collect, out, &e), 0);
	cr_expect_str_eq(out, "");
	{
		ctm_result_put bad[] = {{"", "x", 1}};
		cr_expect_eq(ctm_index_results_put(idx, 1, bad, 1, &e), CTM_EINVALID);
	}
	ctm_index_close(idx);
}
