/* rank.c - the order of a patient's results (spec/matching.md). */
#include <ctm/engine.h>

int ctm_rank_cmp(const void *pa, const void *pb)
{
	const ctm_rank_key *a = pa, *b = pb;
	int ia = a->verdict == CTM_VERDICT_INELIGIBLE;
	int ib = b->verdict == CTM_VERDICT_INELIGIBLE;

	if (ia != ib)
		return ia - ib;
	ia = !ctm_status_is_open(a->status);
	ib = !ctm_status_is_open(b->status);
	if (ia != ib)
		return ia - ib;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->num < b->num ? -1 : a->num > b->num;
}
