/*
 * import.c - `ctmatch import-run`: brings the newest finished batch run of
 * each copy of an index (a shard run on another machine) into the index,
 * so that `export`, `report` and the next night's change marks see every
 * shard in one place.
 *
 * A run is copied whole, with its identity, start and finish times and
 * patient count; it gets the next run id of the index. Its lists are
 * copied as stored (the change marks as the shard found them). Importing
 * the same run twice does nothing the second time: a finished run with the
 * same identity, times, patient count and lists (byte for byte) is
 * already there. An import killed
 * half-way leaves an unfinished run that the next import of it resumes
 * (ctm_index_run_open), and only a finished run counts for export.
 *
 * Each copy is opened read-only after the index, one at a time; the copy
 * and the index are two LMDB environments of two directories, never one
 * opened twice. Lists are copied STORE_EVERY at a time: read from the copy
 * into memory, then written in one write transaction of the index.
 */
#include "output.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STORE_EVERY 64

typedef struct ids {
	char **v;
	size_t n, cap;
} ids;

static int add_id(void *ctx, const char *patient, const void *data, size_t len)
{
	ids *s = ctx;

	(void)data;
	(void)len;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		char **v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return CTM_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n] = strdup(patient);
	if (!s->v[s->n])
		return CTM_ENOMEM;
	s->n++;
	return 0;
}

static void ids_free(ids *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Whether run `a` of idx holds exactly the lists of run `b` of src (the
 * patients of b are ps), byte for byte. */
static int same_lists(ctm_index *idx, uint64_t a, ctm_index *src, uint64_t b,
		      const ids *ps, bool *same, ctm_error *err)
{
	ids pa = {0};
	size_t i;
	int rc;

	*same = false;
	rc = ctm_index_results_foreach(idx, a, add_id, &pa, err);
	if (rc == CTM_ENOMEM)
		ctm_error_set(err, rc, NULL, 0, 0, "out of memory");
	if (rc || pa.n != ps->n)
		goto done;
	for (i = 0; i < ps->n; i++) {
		void *da, *db;
		size_t la, lb;
		bool eq;
		if (strcmp(pa.v[i], ps->v[i]))
			goto done;
		if ((rc = ctm_index_result_get(idx, a, pa.v[i], &da, &la, err)))
			goto done;
		if ((rc = ctm_index_result_get(src, b, ps->v[i], &db, &lb, err))) {
			free(da);
			goto done;
		}
		eq = la == lb && !memcmp(da, db, la);
		free(da);
		free(db);
		if (!eq)
			goto done;
	}
	*same = true;
done:
	ids_free(&pa);
	return rc;
}

/*
 * A finished run of idx that is `run` of src already imported (the same
 * identity, times, patient count and lists): its id, or 0.
 */
static int find_imported(ctm_index *idx, ctm_index *src, const ctm_run *run,
			 const ids *ps, uint64_t *found, ctm_error *err)
{
	ctm_run r;
	uint64_t before = 0;
	bool same;
	int rc;

	*found = 0;
	while ((rc = ctm_index_run_previous(idx, before, &r, err)) == 0) {
		if (r.started == run->started && r.finished == run->finished &&
		    r.patients == run->patients && !strcmp(r.identity, run->identity)) {
			if ((rc = same_lists(idx, r.id, src, run->id, ps, &same, err)))
				return rc;
			if (same) {
				*found = r.id;
				return 0;
			}
		}
		before = r.id;
		if (before <= 1)
			break;
	}
	if (rc == CTM_ENOTFOUND) {
		ctm_error_clear(err);
		rc = 0;
	}
	return rc;
}

/* Imports the newest finished run of the copy at `from`; the exit status. */
static int import_one(ctm_index *idx, const char *db, const char *from)
{
	ctm_index *src = NULL;
	ctm_run run, dst;
	ids ps = {0};
	ctm_result_put put[STORE_EVERY];
	void *data[STORE_EVERY];
	uint64_t already;
	size_t i, n = 0;
	bool resumed = false;
	ctm_error err;
	long k, nsh;
	int rc, status;

	if ((status = cli_index_open("import-run", from, CTM_INDEX_READONLY, &src)))
		return status;
	ctm_error_clear(&err);
	rc = ctm_index_run_previous(src, 0, &run, &err);
	if (rc == CTM_ENOTFOUND) {
		fprintf(stderr, "ctmatch import-run: %s holds no finished batch run\n", from);
		status = CTM_EXIT_REJECTED;
		goto done;
	}
	if (rc == 0) {
		rc = ctm_index_results_foreach(src, run.id, add_id, &ps, &err);
		if (rc == CTM_ENOMEM)
			ctm_error_set(&err, rc, NULL, 0, 0, "out of memory");
	}
	if (rc || (rc = find_imported(idx, src, &run, &ps, &already, &err))) {
		cli_report("import-run", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	out_run_shard(&run, &k, &nsh);
	if (already) {
		fprintf(stderr, "import-run: %s: run %llu%s is already in %s as run "
				"%llu\n", from, (unsigned long long)run.id,
			nsh ? " (a shard)" : "", db, (unsigned long long)already);
		goto done;
	}
	if (ctm_index_run_open(idx, run.identity, run.started, &dst, &resumed, &err)) {
		cli_report("import-run", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	for (i = 0; i <= ps.n && !status; i++) {
		if (i < ps.n) {
			rc = ctm_index_result_get(src, run.id, ps.v[i], &data[n],
						  &put[n].len, &err);
			if (rc) {
				cli_report("import-run", &err);
				status = CTM_EXIT_IO;
				break;
			}
			put[n].patient = ps.v[i];
			put[n].data = data[n];
			n++;
		}
		if (n && (n == STORE_EVERY || i == ps.n)) {
			if (ctm_index_results_put(idx, dst.id, put, n, &err)) {
				cli_report("import-run", &err);
				status = CTM_EXIT_IO;
			}
			while (n)
				free(data[--n]);
		}
	}
	while (n)
		free(data[--n]);
	if (status)
		goto done;
	/* finished only when every list is in: export counts finished runs */
	if (ctm_index_run_finish(idx, dst.id, run.finished, run.patients, &err)) {
		cli_report("import-run", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	if (nsh)
		fprintf(stderr, "import-run: %s: run %llu (shard %ld/%ld, %zu patients) "
				"imported as run %llu\n", from,
			(unsigned long long)run.id, k, nsh, ps.n,
			(unsigned long long)dst.id);
	else
		fprintf(stderr, "import-run: %s: run %llu (%zu patients) imported as "
				"run %llu\n", from, (unsigned long long)run.id, ps.n,
			(unsigned long long)dst.id);
done:
	ids_free(&ps);
	ctm_index_close(src);
	return status;
}

static void import_help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch import-run [--db PATH] COPY...\n"
		"\n"
		"Brings the newest finished batch run of each COPY (a copy of the\n"
		"index on which `ctmatch batch --shard K/N` ran, on another machine)\n"
		"into the index, with its stored lists as the shard found them. Then\n"
		"`ctmatch export` and `ctmatch report` read the shards of the night\n"
		"together, as one unsharded run, and the next night's copies of the\n"
		"index carry every shard's lists for the change marks. A run already\n"
		"imported is skipped. Takes the index's batch lock.\n"
		"\n"
		"  --db PATH  the index (default: $CTMATCH_DB, else ./ctmatch.lmdb)\n"
		"\n"
		"Exit status: 0 done; 1 a COPY holds no finished run (the others are\n"
		"imported); 2 usage error; 3 an index could not be opened or written,\n"
		"or a batch is running on the index.\n");
}

int cli_import_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL, *db;
	ctm_index *idx = NULL;
	int c, i, lockfd = -1, status = CTM_EXIT_OK;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_opt = optarg; break;
		case 'h': import_help(stdout); return CTM_EXIT_OK;
		default:
			if (!cli_bad_option("import-run", c, argv, opts))
				import_help(stderr);
			return CTM_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "ctmatch import-run: give the copies to import from\n");
		import_help(stderr);
		return CTM_EXIT_USAGE;
	}
	db = cli_db_path(db_opt);
	for (i = optind; i < argc; i++) {
		if (!strcmp(argv[i], db)) {
			fprintf(stderr, "ctmatch import-run: %s is the index itself\n", argv[i]);
			return CTM_EXIT_USAGE;
		}
	}
	if ((status = cli_index_open("import-run", db, CTM_INDEX_FAST_COMMIT, &idx)))
		return status;
	if ((status = cli_batch_lock("import-run", db, &lockfd)))
		goto done;
	for (i = optind; i < argc; i++) {
		int s = import_one(idx, db, argv[i]);
		if (s > status)
			status = s;
		if (s == CTM_EXIT_IO)
			break;
	}
done:
	if (lockfd >= 0)
		close(lockfd);
	ctm_index_close(idx);
	return status;
}
