/*
 * test_formats.c - the same trial from legacy XML and from API v2 JSON goes
 * into the index as the same trial: same criteria, same match results, and
 * the last-update rule holds across the two formats.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clitest.h"
#include "testutil.h"

static int run(char **out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int run(char **out, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	char *err = NULL;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	rc = tu_run(cmd, NULL, out, &err);
	free(err);
	return rc;
}

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text ? text : "", 0, &e);
	cr_assert_not_null(j, "not JSON: %s", e.text);
	return j;
}

/* The result for one trial in a match document, or NULL. */
static json_t *result_for(json_t *doc, const char *nct)
{
	json_t *res = json_object_get(doc, "results");
	size_t i;

	for (i = 0; i < json_array_size(res); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(res, i), "nct_id")), nct))
			return json_array_get(res, i);
	return NULL;
}

Test(formats, xml_and_v2_json_twins_give_the_same_criteria_and_matches)
{
	static const char *const ids[] = {"NCT91000001", "NCT91000002"};
	static const char *const patients[] = {"P01.json", "P04.json", "P07.json", "P11.json", "P12.json"};
	char *dir = tu_tmpdir();
	size_t i, k;

	cr_assert_not_null(dir);
	for (i = 0; i < 2; i++) {
		char *sx = NULL, *sj = NULL;
		json_t *jx, *jj, *cx, *cj;

		cr_assert_eq(run(NULL, "%s ingest --db %s/x%zu %s/xml-twins/%s.xml", tu_ctmatch(), dir,
				 i, tu_fixture("json"), ids[i]), 0);
		cr_assert_eq(run(NULL, "%s ingest --db %s/j%zu %s/%s.json", tu_ctmatch(), dir, i,
				 tu_fixture("json"), ids[i]), 0);
		cr_assert_eq(run(&sx, "%s show --db %s/x%zu --format json %s", tu_ctmatch(), dir, i, ids[i]), 0);
		cr_assert_eq(run(&sj, "%s show --db %s/j%zu --format json %s", tu_ctmatch(), dir, i, ids[i]), 0);
		jx = load(sx);
		jj = load(sj);
		cx = json_object_get(json_array_get(jx, 0), "criteria");
		cj = json_object_get(json_array_get(jj, 0), "criteria");
		cr_expect_geq(json_array_size(cx), 3, "%s: criteria parsed", ids[i]);
		cr_expect(json_equal(cx, cj), "%s: criteria differ between XML and JSON", ids[i]);
		for (k = 0; k < sizeof(patients) / sizeof(patients[0]); k++) {
			char *mx = NULL, *mj = NULL, path[600];
			json_t *dx, *dj, *rx, *rj;

			snprintf(path, sizeof path, "%s", tu_fixture("patients"));
			cr_assert_eq(run(&mx, "%s match --db %s/x%zu --patient %s/%s --all-statuses "
					 "--include-ineligible --limit 0 --format json --today 2026-11-26",
					 tu_ctmatch(), dir, i, path, patients[k]), 0);
			cr_assert_eq(run(&mj, "%s match --db %s/j%zu --patient %s/%s --all-statuses "
					 "--include-ineligible --limit 0 --format json --today 2026-11-26",
					 tu_ctmatch(), dir, i, path, patients[k]), 0);
			dx = load(mx);
			dj = load(mj);
			rx = result_for(dx, ids[i]);
			rj = result_for(dj, ids[i]);
			cr_expect_eq(rx == NULL, rj == NULL, "%s %s: a candidate in one format only",
				     ids[i], patients[k]);
			if (rx && rj) {
				static const char *const keys[] = {"verdict", "score", "met", "unknown",
								   "reasons", "to_check", "site"};
				size_t q;
				for (q = 0; q < sizeof(keys) / sizeof(keys[0]); q++)
					cr_expect(json_equal(json_object_get(rx, keys[q]),
							     json_object_get(rj, keys[q])),
						  "%s %s: %s differs between XML and JSON", ids[i],
						  patients[k], keys[q]);
			}
			json_decref(dx);
			json_decref(dj);
			free(mx);
			free(mj);
		}
		json_decref(jx);
		json_decref(jj);
		free(sx);
		free(sj);
	}
}

Test(formats, last_update_rule_holds_across_formats)
{
	char *dir = tu_tmpdir(), path[600], *err = NULL, *text;
	char cmd[2048];
	size_t len;
	char *p;

	cr_assert_not_null(dir);
	/* XML first: added */
	snprintf(cmd, sizeof cmd, "%s ingest --db %s/idx %s/xml-twins/NCT91000001.xml", tu_ctmatch(),
		 dir, tu_fixture("json"));
	cr_assert_eq(tu_run(cmd, NULL, NULL, &err), 0);
	cr_expect(strstr(err, "added 1, updated 0, unchanged 0") != NULL, "%s", err);
	free(err);
	/* the same trial as v2 JSON, same last-update date: left alone */
	snprintf(cmd, sizeof cmd, "%s ingest --db %s/idx %s/NCT91000001.json", tu_ctmatch(), dir,
		 tu_fixture("json"));
	cr_assert_eq(tu_run(cmd, NULL, NULL, &err), 0);
	cr_expect(strstr(err, "added 0, updated 0, unchanged 1") != NULL, "%s", err);
	free(err);
	/* a newer v2 copy: replaces it */
	text = tu_read_file(tu_fixture("json/NCT91000001.json"), &len);
	cr_assert_not_null(text);
	p = strstr(text, "\"lastUpdateSubmitDate\": \"2024-11-20\"");
	cr_assert_not_null(p);
	memcpy(p + strlen("\"lastUpdateSubmitDate\": \""), "2025-03-01", 10);
	snprintf(path, sizeof path, "%s/newer.json", dir);
	cr_assert_eq(tu_write_file(path, text, len), 0);
	free(text);
	snprintf(cmd, sizeof cmd, "%s ingest --db %s/idx %s", tu_ctmatch(), dir, path);
	cr_assert_eq(tu_run(cmd, NULL, NULL, &err), 0);
	cr_expect(strstr(err, "added 0, updated 1, unchanged 0") != NULL, "%s", err);
	free(err);
	/* and the older XML again: left alone */
	snprintf(cmd, sizeof cmd, "%s ingest --db %s/idx %s/xml-twins/NCT91000001.xml", tu_ctmatch(),
		 dir, tu_fixture("json"));
	cr_assert_eq(tu_run(cmd, NULL, NULL, &err), 0);
	cr_expect(strstr(err, "added 0, updated 0, unchanged 1") != NULL, "%s", err);
	free(err);
	snprintf(cmd, sizeof cmd, "%s show --db %s/idx --format json NCT91000001", tu_ctmatch(), dir);
	cr_assert_eq(tu_run(cmd, NULL, &text, NULL), 0);
	cr_expect(strstr(text, "\"last_update\": \"2025-03-01\"") != NULL, "%s", text);
	free(text);
}

/* A zip holding v2 JSON studies and a legacy XML record, read in place. */
Test(formats, zip_of_json_and_xml)
{
	char *dir = tu_tmpdir(), zip[600], cmd[1400], *err = NULL;
	char a[600], b[600], c[600], x[600];
	ct_zip_entry e[5];

	cr_assert_not_null(dir);
	snprintf(a, sizeof a, "%s", tu_fixture("json/NCT91000001.json"));
	snprintf(b, sizeof b, "%s", tu_fixture("json/NCT91000002.json"));
	snprintf(c, sizeof c, "%s", tu_fixture("json/NCT91000004.json"));
	snprintf(x, sizeof x, "%s", tu_fixture("trials/NCT90000001.xml"));
	e[0] = (ct_zip_entry){"studies/", NULL};
	e[1] = (ct_zip_entry){"studies/NCT91000001.json", a};
	e[2] = (ct_zip_entry){"studies/NCT91000002.json", b};
	e[3] = (ct_zip_entry){"NCT91000004.json", c};
	e[4] = (ct_zip_entry){"NCT90000001.xml", x};
	snprintf(zip, sizeof zip, "%s/bulk.zip", dir);
	ct_zip(zip, e, 5);
	snprintf(cmd, sizeof cmd, "%s ingest --db %s/idx %s", tu_ctmatch(), dir, zip);
	cr_assert_eq(tu_run(cmd, NULL, NULL, &err), 0, "%s", err);
	cr_expect(strstr(err, "4 records from 4 files: added 4, updated 0, unchanged 0, rejected 0") != NULL,
		  "%s", err);
	free(err);
}
