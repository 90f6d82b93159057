/*
 * test_json_corpus.c - the real JSON records in ../shared/corpus/ctgov-json:
 * every API v2 file gives one trial named as the file; the classic-API
 * files are read too (their DataVrs is the download date); the derived
 * export and its patient profile are refused, saying what they are.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/parsers.h>
#include "testutil.h"

/* Reads a whole file: 1 trial expected; it is returned. */
static ctm_trial *only_trial(const char *path)
{
	ctm_json_reader *r;
	ctm_trial *t = NULL, *extra = NULL;
	ctm_error e;
	char buf[1200];
	int rc;

	cr_assert_eq(ctm_json_open_file(&r, path, &e), 0, "%s", e.message);
	rc = ctm_json_next(r, &t, &e);
	cr_expect_eq(rc, 1, "%s", ctm_error_format(&e, buf, sizeof(buf)));
	rc = ctm_json_next(r, &extra, &e);
	cr_expect_eq(rc, 0, "%s: more than one study (%s)", path,
		     ctm_error_format(&e, buf, sizeof(buf)));
	ctm_trial_free(extra);
	ctm_json_close(r);
	return t;
}

/* The *.json names of a folder, sorted; returns how many. */
static size_t list_json(const char *dir, char names[][32], size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, i, j;

	cr_assert_not_null(d, "%s", dir);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".json") ||
		    len >= 32)
			continue;
		cr_assert_lt(n, max);
		strcpy(names[n++], de->d_name);
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char tmp[32];

			strcpy(tmp, names[j]);
			strcpy(names[j], names[j - 1]);
			strcpy(names[j - 1], tmp);
		}
	return n;
}

Test(json_corpus, every_v2_file_is_one_trial_named_as_the_file)
{
	TU_REQUIRE_SHARED(dir, "corpus/ctgov-json/v2");
	char names[64][32], path[4096], id[16];
	size_t n = list_json(dir, names, 64), i;

	cr_expect_eq(n, 21, "%zu files", n);
	for (i = 0; i < n; i++) {
		ctm_trial *t;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(id, sizeof(id), "%.11s", names[i]);
		t = only_trial(path);
		if (!t)
			continue;
		cr_expect_str_eq(t->nct_id, id);
		cr_expect(t->has_eligibility, "%s", id);
		cr_expect_not_null(t->criteria_text, "%s", id);
		cr_expect_gt(t->first_posted, 0, "%s", id);
		cr_expect_gt(t->last_update, 0, "%s", id);
		cr_expect_eq(t->download_date, 0, "%s", id);
		ctm_trial_free(t);
	}
}

/* Values read off NCT00973089.json by eye. */
Test(json_corpus, a_v2_record_field_by_field)
{
	TU_REQUIRE_SHARED(path, "corpus/ctgov-json/v2/NCT00973089.json");
	ctm_trial *t = only_trial(path);

	cr_assert_not_null(t);
	cr_expect_str_eq(t->brief_title, "Alternative Treatment of Deep "
					 "Carious Lesions Based on "
					 "Biological Evidences");
	cr_expect_eq(t->status, CTM_STATUS_WITHDRAWN);
	cr_expect_str_eq(t->lead_sponsor, "Hadassah Medical Organization");
	cr_expect_eq(t->first_posted, 20090909);
	cr_expect_eq(t->last_update, 20150818);
	cr_expect_eq(t->gender, CTM_GENDER_ALL);
	cr_expect_float_eq(t->min_age_years, 5.0, 1e-9);
	cr_expect_float_eq(t->max_age_years, 8.0, 1e-9);
	ctm_trial_free(t);
}

Test(json_corpus, classic_api_files_are_read)
{
	static const struct {
		const char *name, *id;
		int32_t download, first_posted;
	} rows[] = {
		{"NCT00023673.json", "NCT00023673", 20231017, 20030409},
		{"NCT02028676.json", "NCT02028676", 20231017, 20140107},
		{"NCT04780763.json", "NCT04780763", 20210302, 20210303},
	};
	TU_REQUIRE_SHARED(dir, "corpus/ctgov-json/classic-v1");
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_trial *t;

		snprintf(path, sizeof(path), "%s/%s", dir, rows[i].name);
		t = only_trial(path);
		if (!t)
			continue;
		cr_expect_str_eq(t->nct_id, rows[i].id);
		cr_expect_eq(t->download_date, rows[i].download, "%s",
			     rows[i].id);
		cr_expect_eq(t->first_posted, rows[i].first_posted, "%s",
			     rows[i].id);
		cr_expect_not_null(t->criteria_text, "%s", rows[i].id);
		ctm_trial_free(t);
	}
}

Test(json_corpus, derived_export_is_refused)
{
	static const struct {
		const char *file, *message;
	} rows[] = {
		{"04_colorectal_kras_g12c.trials.json",
		 "not a ClinicalTrials.gov record: a derived export "
		 "(\"nct_id\", \"eligibility.raw_text\"), not registry data; "
		 "download API v2 JSON from ClinicalTrials.gov"},
		{"04_colorectal_kras_g12c.patient_profile.json",
		 "not a ClinicalTrials.gov study: no \"protocolSection\" (API "
		 "v2), \"studies\" (search response) or "
		 "\"FullStudiesResponse\" (classic API)"},
	};
	TU_REQUIRE_SHARED(
		dir, "corpus/ctgov-json/derived/jwlieb-clinical-trial-agent");
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_json_reader *r;
		ctm_trial *t;
		ctm_error e;

		snprintf(path, sizeof(path), "%s/%s", dir, rows[i].file);
		cr_assert_eq(ctm_json_open_file(&r, path, &e), 0);
		cr_expect_eq(ctm_json_next(r, &t, &e), CTM_EPARSE, "%s",
			     rows[i].file);
		cr_expect_str_eq(e.message, rows[i].message);
		cr_expect_eq(e.line, 1);
		cr_expect_eq(ctm_json_next(r, &t, &e), 0, "%s", rows[i].file);
		ctm_json_close(r);
	}
}
