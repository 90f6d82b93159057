/* test_rank.c - the order of a patient's results (spec/matching.md). */
#include <criterion/criterion.h>
#include <ctm/engine.h>
#include <stdlib.h>

/* Not ineligible first, open before closed, higher score, lower NCT. */
Test(rank, verdict_then_status_then_score_then_nct)
{
	ctm_rank_key k[] = {
		{5, CTM_VERDICT_INELIGIBLE, CTM_STATUS_RECRUITING, 9.0},
		{4, CTM_VERDICT_POSSIBLE, CTM_STATUS_COMPLETED, 8.0},
		{3, CTM_VERDICT_POSSIBLE, CTM_STATUS_NOT_YET_RECRUITING, 2.0},
		{2, CTM_VERDICT_ELIGIBLE, CTM_STATUS_RECRUITING, 2.0},
		{1, CTM_VERDICT_POSSIBLE, CTM_STATUS_RECRUITING, 2.5},
		{6, CTM_VERDICT_ELIGIBLE, CTM_STATUS_RECRUITING, 2.0},
	};
	static const uint32_t want[] = {1, 2, 3, 6, 4, 5};
	size_t i;

	qsort(k, 6, sizeof k[0], ctm_rank_cmp);
	for (i = 0; i < 6; i++)
		cr_expect_eq(k[i].num, want[i], "position %zu: %u, want %u", i,
			     k[i].num, want[i]);
}
