/* changes.c - what changed in a patient's list since the patient's own
 * previous one (batch, export, report). */
#include "output.h"

#include <stdlib.h>
#include <string.h>

static const out_result *find_nct(const out_list *l, const char *nct)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		if (l->results[i].rank && !strcmp(l->results[i].nct_id, nct))
			return &l->results[i];
	return NULL;
}

static bool same_texts(const out_texts *a, const out_texts *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

/* same: same verdict, counts, reasons and to-check list (rank and score
 * may move) */
static const char *change_of(const out_result *r, const out_result *old)
{
	if (!old)
		return "new";
	if (strcmp(r->verdict, old->verdict) || r->met != old->met ||
	    r->unknown != old->unknown || !same_texts(&r->reasons, &old->reasons) ||
	    !same_texts(&r->to_check, &old->to_check))
		return "changed";
	return "same";
}

void out_count_change(out_counts *c, const char *ch)
{
	c->rows++;
	if (!strcmp(ch, "new"))
		c->new_++;
	else if (!strcmp(ch, "same"))
		c->same++;
	else if (!strcmp(ch, "changed"))
		c->changed++;
	else
		c->dropped++;
}


/*
 * Why a trial of the previous list is not in this one: removed from the
 * index, closed, now ineligible (with the first criterion not met), or
 * below --limit. Allocated in a.
 */
static const char *drop_reason(const out_drop_ctx *d, const char *nct, ctm_arena *a)
{
	ctm_trial *t = NULL;
	ctm_match res;
	ctm_error err;
	const char *why = NULL;
	char buf[1024];
	size_t i;

	if (!d->p)
		return NULL;
	ctm_error_clear(&err);
	if (ctm_index_get(d->idx, nct, &t, &err) == CTM_ENOTFOUND)
		return "removed from the index";
	if (!t)
		return NULL;
	if (!d->mo->all_statuses && !ctm_status_is_open(t->status)) {
		snprintf(buf, sizeof buf, "closed (%s)", ctm_status_name(t->status));
		why = ctm_arena_strdup(a, buf);
	} else if (ctm_match_trial(d->m, d->p, t, d->mo->today, 0, a, &res) == 0 &&
		   res.verdict == CTM_VERDICT_INELIGIBLE) {
		snprintf(buf, sizeof buf, "now ineligible");
		for (i = 0; i < res.n_evals; i++) {
			if (res.evals[i].outcome == CTM_OUT_NOT_MET) {
				const ctm_crit_eval *e = &res.evals[i];
				snprintf(buf, sizeof buf, "now ineligible: %.300s%s%s%s",
					 e->text ? e->text : "",
					 e->fact ? " [patient: " : "",
					 e->fact ? e->fact : "", e->fact ? "]" : "");
				break;
			}
		}
		why = ctm_arena_strdup(a, buf);
	} else if (d->mo->limit && d->n_now >= d->mo->limit) {
		snprintf(buf, sizeof buf, "fallen below --limit %zu", d->mo->limit);
		why = ctm_arena_strdup(a, buf);
	} else {
		why = "no longer a candidate";
	}
	ctm_trial_free(t);
	return why;
}

/*
 * Marks cur's rows against prev (NULL: none) and appends prev's dropped
 * rows (with_dropped) to cur, each with its reason. cur grows in its own
 * arena.
 */
int out_mark_changes(out_list *cur, const out_list *prev, bool with_dropped,
		     const out_drop_ctx *d, out_counts *c)
{
	size_t i, nd = 0, n0 = cur->n;
	out_result *v;

	for (i = 0; i < cur->n; i++) {
		out_result *r = &cur->results[i];
		const out_result *old = find_nct(prev, r->nct_id);
		r->change = change_of(r, old);
		if (old && strcmp(r->change, "same")) {
			r->prev_verdict = old->verdict;
			r->prev_rank = old->rank;
		}
		out_count_change(c, r->change);
	}
	for (i = 0; with_dropped && prev && i < prev->n; i++)
		nd += prev->results[i].rank && !find_nct(cur, prev->results[i].nct_id);
	if (!nd)
		return 0;
	v = ctm_arena_alloc(cur->arena, (n0 + nd) * sizeof(*v));
	if (!v)
		return CTM_ENOMEM;
	memcpy(v, cur->results, n0 * sizeof(*v));
	for (i = 0; i < prev->n; i++) {
		const out_result *old = &prev->results[i];
		out_list now = *cur;
		out_result *r;
		now.n = n0;
		if (!old->rank || find_nct(&now, old->nct_id))
			continue;
		r = &v[cur->n++];
		*r = *old;
		r->rank = 0;
		r->change = "dropped";
		r->prev_verdict = old->verdict;
		r->prev_rank = old->rank;
		r->drop_reason = drop_reason(d, old->nct_id, cur->arena);
		out_count_change(c, "dropped");
	}
	cur->results = v;
	return 0;
}

/*
 * Renders one patient's rows (CSV, or one NDJSON document) from this
 * run's list and the previous one into a memory stream; new_only leaves
 * out the same rows.
 */
/*
 * The patient's own previous list: the newest stored one in the finished
 * runs before this one (b->history, newest first), wherever it lies. A
 * list in an older record version counts as none.
 */
int out_previous_list(ctm_index *idx, const uint64_t *runs, size_t n_runs,
			 const char *patient, out_list *out, bool *found,
			 ctm_error *err)
{
	size_t i;

	*found = false;
	for (i = 0; i < n_runs; i++) {
		void *data = NULL;
		size_t len = 0;
		ctm_error e2;
		int rc = ctm_index_result_get(idx, runs[i], patient, &data, &len, err);
		if (rc == CTM_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		rc = out_record_decode(out, data, len, &e2);
		free(data);
		if (rc == CTM_ENOMEM)
			return ctm_error_set(err, rc, NULL, 0, 0, "out of memory");
		*found = rc == 0;
		return 0;
	}
	return 0;
}

/*
 * The ids of the finished runs below `before` (0: all), newest first,
 * malloc'd. Prints the error and returns the exit status on failure.
 */
int out_run_history(const char *cmd, ctm_index *idx, uint64_t before,
		    uint64_t **out, size_t *n)
{
	size_t cap = 0;
	ctm_run r;
	ctm_error err;
	int rc;

	*out = NULL;
	*n = 0;
	ctm_error_clear(&err);
	while ((rc = ctm_index_run_previous(idx, before, &r, &err)) == 0) {
		if (*n == cap) {
			uint64_t *v;
			cap = cap ? cap * 2 : 64;
			v = realloc(*out, cap * sizeof(*v));
			if (!v) {
				fprintf(stderr, "ctmatch %s: out of memory\n", cmd);
				return CTM_EXIT_IO;
			}
			*out = v;
		}
		(*out)[(*n)++] = r.id;
		before = r.id;
		if (before <= 1)
			break;
	}
	if (rc && rc != CTM_ENOTFOUND) {
		cli_report(cmd, &err);
		return CTM_EXIT_IO;
	}
	return 0;
}

