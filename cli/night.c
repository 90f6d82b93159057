/*
 * night.c - the last night of an index: the newest finished batch run
 * and, when it is one shard of a `batch --shard K/N`, the newest finished
 * run of every other shard of the same night, read together as one run
 * (`export`, `report`).
 *
 * A run's identity (batch.c) is "V|K/N|roster|size|mtime|limit|flags|
 * lexicon|today". Two shard runs belong to the same night when their
 * identities are equal apart from K: the same N, the same roster file
 * (path, size and modification time), the same --limit, --all-statuses,
 * --include-ineligible, lexicon and --today. Each shard's newest finished
 * run of that night counts; the shards partition the roster by patient
 * id, so together they hold what one unsharded run holds, read in the
 * same order (patient-id byte order).
 */
#include "output.h"

#include <stdlib.h>
#include <string.h>

/*
 * Splits an identity into its shard K/N and the rest after it. An
 * unsharded run (or an identity of another shape) has *k = *n = 0.
 */
static void identity_shard(const char *id, long *k, long *n, const char **rest)
{
	const char *p = strchr(id, '|');
	char *end;

	*k = *n = 0;
	*rest = id;
	if (!p)
		return;
	*k = strtol(p + 1, &end, 10);
	if (*end != '/') {
		*k = 0;
		return;
	}
	*n = strtol(end + 1, &end, 10);
	if (*end != '|' || *n < 1 || *k < 1 || *k > *n) {
		*k = *n = 0;
		return;
	}
	*rest = end;
}

int out_run_shard(const ctm_run *run, long *k, long *n)
{
	const char *rest;

	identity_shard(run->identity, k, n, &rest);
	return *n > 0;
}

/* Same version prefix, same N and the same rest: the same night. */
static bool same_night(const char *a, const char *b)
{
	long ka, na, kb, nb;
	const char *ra, *rb;

	identity_shard(a, &ka, &na, &ra);
	identity_shard(b, &kb, &nb, &rb);
	return na && na == nb && strchr(a, '|') - a == strchr(b, '|') - b &&
	       !strncmp(a, b, (size_t)(strchr(a, '|') - a)) && !strcmp(ra, rb);
}

int out_night_open(const char *cmd, const char *db, ctm_index *idx,
		   out_night *night)
{
	ctm_run r;
	ctm_error err;
	long k, n;
	size_t have = 1;
	int rc;

	memset(night, 0, sizeof(*night));
	ctm_error_clear(&err);
	rc = ctm_index_run_previous(idx, 0, &night->last, &err);
	if (rc == CTM_ENOTFOUND) {
		fprintf(stderr, "ctmatch %s: %s holds no finished batch run\n", cmd, db);
		return CTM_EXIT_IO;
	}
	if (rc) {
		cli_report(cmd, &err);
		return CTM_EXIT_IO;
	}
	night->finished = night->last.finished;
	if (!out_run_shard(&night->last, &k, &n)) {
		night->runs = malloc(sizeof(*night->runs));
		if (!night->runs)
			goto nomem;
		night->runs[0] = night->last.id;
		night->n_runs = 1;
		return CTM_EXIT_OK;
	}
	night->shards = n;
	night->runs = calloc((size_t)n, sizeof(*night->runs));
	if (!night->runs)
		goto nomem;
	night->runs[k - 1] = night->last.id;
	night->n_runs = (size_t)n;
	/* older runs, newest first: the first of each other shard counts */
	r = night->last;
	while (have < (size_t)n && r.id > 1 &&
	       (rc = ctm_index_run_previous(idx, r.id, &r, &err)) == 0) {
		long rk, rn;
		if (!out_run_shard(&r, &rk, &rn) ||
		    !same_night(r.identity, night->last.identity) || night->runs[rk - 1])
			continue;
		night->runs[rk - 1] = r.id;
		if (r.finished > night->finished)
			night->finished = r.finished;
		have++;
	}
	if (rc && rc != CTM_ENOTFOUND) {
		cli_report(cmd, &err);
		out_night_free(night);
		return CTM_EXIT_IO;
	}
	for (k = 0; k < n; k++) {
		if (night->runs[k])
			continue;
		fprintf(stderr, "ctmatch %s: %s: shard %ld/%ld of the last night "
				"(that of run %llu) has no finished run in this "
				"index: its patients are missing (a shard run on a "
				"copy of the index is brought in with ctmatch "
				"import-run)\n", cmd, db, k + 1, n,
			(unsigned long long)night->last.id);
		night->n_missing++;
	}
	return CTM_EXIT_OK;
nomem:
	fprintf(stderr, "ctmatch %s: out of memory\n", cmd);
	return CTM_EXIT_IO;
}

void out_night_free(out_night *night)
{
	free(night->runs);
	night->runs = NULL;
	night->n_runs = 0;
}

uint64_t out_night_first(const out_night *night)
{
	uint64_t first = 0;
	size_t i;

	for (i = 0; i < night->n_runs; i++)
		if (night->runs[i] && (!first || night->runs[i] < first))
			first = night->runs[i];
	return first;
}

/* ---- every list of the night, in patient-id order ---- */

typedef struct key {
	char *patient;
	uint64_t run;
} key;

typedef struct keys {
	key *v;
	size_t n, cap;
	uint64_t run; /* the run being listed */
} keys;

static int add_key(void *ctx, const char *patient, const void *data, size_t len)
{
	keys *ks = ctx;

	(void)data;
	(void)len;
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 1024;
		key *v = realloc(ks->v, cap * sizeof(*v));
		if (!v)
			return CTM_ENOMEM;
		ks->v = v;
		ks->cap = cap;
	}
	ks->v[ks->n].patient = strdup(patient);
	if (!ks->v[ks->n].patient)
		return CTM_ENOMEM;
	ks->v[ks->n++].run = ks->run;
	return 0;
}

/* Patient-id byte order (as the results database keeps a run), then the
 * newer run first. */
static int key_cmp(const void *a, const void *b)
{
	const key *x = a, *y = b;
	int c = strcmp(x->patient, y->patient);

	if (c)
		return c;
	return x->run < y->run ? 1 : x->run > y->run ? -1 : 0;
}

int out_night_foreach(ctm_index *idx, const out_night *night, ctm_result_fn fn,
		      void *ctx, ctm_error *err)
{
	keys ks = {0};
	size_t i;
	int rc = 0;

	if (night->n_runs == 1)
		return ctm_index_results_foreach(idx, night->runs[0], fn, ctx, err);
	for (i = 0; i < night->n_runs && !rc; i++) {
		if (!night->runs[i])
			continue;
		ks.run = night->runs[i];
		rc = ctm_index_results_foreach(idx, ks.run, add_key, &ks, err);
		if (rc == CTM_ENOMEM)
			ctm_error_set(err, rc, NULL, 0, 0, "out of memory");
	}
	if (!rc)
		qsort(ks.v, ks.n, sizeof(*ks.v), key_cmp);
	for (i = 0; i < ks.n && !rc; i++) {
		void *data;
		size_t len;
		/* a patient in two shards' runs (not from one roster): the
		 * newer run's list */
		if (i && !strcmp(ks.v[i].patient, ks.v[i - 1].patient))
			continue;
		rc = ctm_index_result_get(idx, ks.v[i].run, ks.v[i].patient,
					  &data, &len, err);
		if (rc)
			break;
		rc = fn(ctx, ks.v[i].patient, data, len);
		free(data);
	}
	for (i = 0; i < ks.n; i++)
		free(ks.v[i].patient);
	free(ks.v);
	return rc;
}

int out_night_get(ctm_index *idx, const out_night *night, const char *patient,
		  void **data, size_t *len, uint64_t *run, ctm_error *err)
{
	uint64_t best = 0;
	size_t i;
	int rc = CTM_ENOTFOUND;

	/* the newest run that holds the patient */
	for (i = 0; i < night->n_runs; i++) {
		void *d;
		size_t l;
		int r;
		if (!night->runs[i] || night->runs[i] < best)
			continue;
		r = ctm_index_result_get(idx, night->runs[i], patient, &d, &l, err);
		if (r == CTM_ENOTFOUND)
			continue;
		if (r)
			return r;
		if (rc == 0)
			free(*data);
		*data = d;
		*len = l;
		best = night->runs[i];
		rc = 0;
	}
	if (rc == 0) {
		ctm_error_clear(err);
		if (run)
			*run = best;
	} else {
		ctm_error_set(err, CTM_ENOTFOUND, NULL, 0, 0,
			      "no stored list for patient %s", patient);
	}
	return rc;
}

void out_night_describe(const out_night *night, char *buf, size_t cap)
{
	size_t i, len;
	int n;

	if (!night->shards) {
		snprintf(buf, cap, "run %llu", (unsigned long long)night->last.id);
		return;
	}
	n = snprintf(buf, cap, "runs");
	len = n > 0 ? (size_t)n : 0;
	for (i = 0; i < night->n_runs && len < cap; i++) {
		if (night->runs[i])
			n = snprintf(buf + len, cap - len, "%s %llu", i ? "," : "",
				     (unsigned long long)night->runs[i]);
		else
			n = snprintf(buf + len, cap - len, "%s -", i ? "," : "");
		len += n > 0 ? (size_t)n : 0;
	}
	if (len < cap)
		snprintf(buf + len, cap - len, " (shards 1-%ld of %ld)", night->shards,
			 night->shards);
}
