/*
 * candidates.c - the trials a patient may be matched against, from the
 * posting lists: a union over the patient's diseases, intersected with
 * the open statuses, less the trials for the other sex.
 */
#include <ctm/index.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct idset {
	ctm_trial_key *v;
	size_t n;
} idset;

/* The first index in v[lo..n) whose key is >= x (n if none): exponential
 * then binary search from lo, so a walk of few steps costs few. */
static size_t gallop(const ctm_trial_key *v, size_t lo, size_t n,
		     ctm_trial_key x)
{
	size_t step = 1, hi = lo;

	while (hi < n && v[hi] < x) {
		lo = hi + 1;
		hi += step;
		step *= 2;
	}
	if (hi > n)
		hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * a := a union b (both sorted, duplicates dropped). The shorter list is
 * walked and the longer one copied in runs between its keys: a disease's
 * list (a few thousand) into the union of the broader ones (tens of
 * thousands) costs the short one's length, not both.
 */
static int merge_into(idset *a, const ctm_trial_key *b, size_t nb)
{
	const ctm_trial_key *l = a->v, *s = b;
	size_t nl = a->n, ns = nb, i = 0, j, k = 0;
	ctm_trial_key *v;

	if (nl < ns) {
		l = b;
		nl = nb;
		s = a->v;
		ns = a->n;
	}
	v = malloc((nl + ns) * sizeof(*v) + 1);
	if (!v)
		return CTM_ENOMEM;
	if (nl / 8 < ns) {
		/* of a size: one pass over both */
		for (j = 0; i < nl && j < ns;) {
			ctm_trial_key x = l[i] < s[j] ? l[i] : s[j];
			i += l[i] == x;
			j += s[j] == x;
			v[k++] = x;
		}
		for (; j < ns; j++)
			v[k++] = s[j];
		ns = 0; /* the rest of l is copied below */
	}
	for (j = 0; j < ns; j++) {
		size_t at = gallop(l, i, nl, s[j]);
		memcpy(v + k, l + i, (at - i) * sizeof(*v));
		k += at - i;
		i = at;
		if (i < nl && l[i] == s[j])
			i++; /* in both: once */
		v[k++] = s[j];
	}
	memcpy(v + k, l + i, (nl - i) * sizeof(*v));
	k += nl - i;
	free(a->v);
	a->v = v;
	a->n = k;
	return 0;
}

/* Sorted union of several posting lists (each already sorted). */
static int union_of(ctm_index *idx, const char *const *keys, size_t nkeys,
		    idset *out, ctm_error *err)
{
	size_t i;
	int rc;

	out->v = NULL;
	out->n = 0;
	for (i = 0; i < nkeys; i++) {
		ctm_trial_key *ids;
		size_t k;

		rc = ctm_index_posting(idx, keys[i], &ids, &k, err);
		if (rc) {
			free(out->v);
			out->v = NULL;
			return rc;
		}
		if (k && !out->n) { /* the first list is the union so far */
			free(out->v);
			out->v = ids;
			out->n = k;
			continue;
		}
		rc = k ? merge_into(out, ids, k) : 0;
		free(ids);
		if (rc) {
			free(out->v);
			out->v = NULL;
			return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
		}
	}
	return 0;
}

/* a := a intersect b (both sorted): the shorter walked, the other
 * searched. */
static void intersect(idset *a, const idset *b)
{
	size_t i, j = 0, k = 0;

	if (a->n <= b->n) {
		for (i = 0; i < a->n && j < b->n; i++) {
			j = gallop(b->v, j, b->n, a->v[i]);
			if (j < b->n && b->v[j] == a->v[i])
				a->v[k++] = a->v[i];
		}
	} else {
		for (i = 0; i < b->n && j < a->n; i++) {
			j = gallop(a->v, j, a->n, b->v[i]);
			if (j < a->n && a->v[j] == b->v[i])
				a->v[k++] = b->v[i]; /* k <= j: not read again */
		}
	}
	a->n = k;
}

/* a := a minus b (both sorted): a walked, b searched. */
static void subtract(idset *a, const idset *b)
{
	size_t i, j = 0, k = 0;

	for (i = 0; i < a->n; i++) {
		j = gallop(b->v, j, b->n, a->v[i]);
		if (j == b->n || b->v[j] != a->v[i])
			a->v[k++] = a->v[i];
	}
	a->n = k;
}

int ctm_index_candidates(ctm_index *idx, const ctm_lexicon *lx,
			 const ctm_concept *diseases, size_t n_diseases,
			 bool all_statuses, ctm_gender sex,
			 ctm_trial_key **ids, size_t *n, ctm_error *err)
{
	idset cand = {0}, filt = {0};
	char **keys = NULL;
	size_t i;
	int rc = 0;

	*ids = NULL;
	*n = 0;
	if (n_diseases) {
		keys = calloc(n_diseases, sizeof(*keys));
		if (!keys)
			return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
		for (i = 0; i < n_diseases; i++) {
			const char *name = ctm_lexicon_name(lx, diseases[i]);
			size_t len = strlen(name ? name : "") + 9;
			keys[i] = malloc(len);
			if (!keys[i]) {
				rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
				goto done;
			}
			snprintf(keys[i], len, "disease:%s", name ? name : "");
		}
		/* a trial naming no disease anywhere (conditions, titles,
		 * keywords, eligibility text) is not a trial for this disease */
		rc = union_of(idx, (const char *const *)keys, n_diseases, &cand, err);
	} else {
		/* every trial: each is filed under exactly one sex key */
		static const char *const all[] = {"sex:all", "sex:female",
						  "sex:male"};
		rc = union_of(idx, all, 3, &cand, err);
	}
	if (rc)
		goto done;
	if (!all_statuses) {
		char open[CTM_STATUS_COUNT_][64];
		const char *sk[CTM_STATUS_COUNT_];
		size_t nk = 0;
		int st;
		for (st = 0; st < CTM_STATUS_COUNT_; st++) {
			if (!ctm_status_is_open((ctm_status)st))
				continue;
			snprintf(open[nk], sizeof open[nk], "status:%s",
				 ctm_status_token((ctm_status)st));
			sk[nk] = open[nk];
			nk++;
		}
		if ((rc = union_of(idx, sk, nk, &filt, err)))
			goto done;
		intersect(&cand, &filt);
		free(filt.v);
		filt.v = NULL;
	}
	if (sex == CTM_GENDER_FEMALE || sex == CTM_GENDER_MALE) {
		/* every trial has one sex key: leaving out the other sex's
		 * (a short list) keeps "all" and the patient's own */
		const char *sk[] = {sex == CTM_GENDER_FEMALE ? "sex:male" : "sex:female"};
		if ((rc = union_of(idx, sk, 1, &filt, err)))
			goto done;
		subtract(&cand, &filt);
		free(filt.v);
		filt.v = NULL;
	}
	*ids = cand.v;
	*n = cand.n;
	cand.v = NULL;
done:
	for (i = 0; keys && i < n_diseases; i++)
		free(keys[i]);
	free(keys);
	free(cand.v);
	free(filt.v);
	return rc;
}
