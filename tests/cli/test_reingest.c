/*
 * test_reingest.c - a nightly refresh that costs little (issue 15): a
 * re-ingest of unchanged records reads each only as far as its NCT id and
 * last-update date and skips it; the index is left byte for byte as it
 * was. A record with a newer date is read whole; one with a newer date but
 * otherwise broken is rejected exactly as a first ingest rejects it. XML
 * files, a wrapper of many records, a zip archive, API v2 JSON.
 */
#include "clitest.h"
#include "clitest_dump.h"

#define DATE_OLD                                                               \
	"<last_update_submitted>January 10, 2023</last_update_submitted>"
#define DATE_NEW    "<last_update_submitted>March 1, 2024</last_update_submitted>"
#define TITLE_1	    "A Study of Sotorasib-like KRAS G12C Inhibitor FX-1201"
#define TITLE_1_NEW "A Renamed Study of FX-1201"

/* The fixture trials copied into dir/trials; returns that folder. */
static const char *copy_fixtures(const char *dir)
{
	const char *to = ct_keep(ct_path(dir, "trials"));
	size_t n = 0, i;
	char **files = ct_xml_files(tu_fixture("trials"), &n);

	ct_mkdirs(to);
	for (i = 0; i < n; i++)
		ct_copy(files[i], ct_path(to, strrchr(files[i], '/') + 1));
	ct_free_list(files);
	return to;
}

/* The rejection lines of an ingest's stderr, in order. */
static char *rejections(const char *err)
{
	char *out = calloc(1, strlen(err) + 1), *copy = strdup(err), *l, *save;

	cr_assert(out && copy);
	for (l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		if (strstr(l, "rejected: ")) {
			strcat(out, l);
			strcat(out, "\n");
		}
	free(copy);
	return out;
}

Test(reingest, unchanged_files_are_skipped_and_change_nothing)
{
	const char *dir = ct_tmpdir(), *db = ct_keep(ct_path(dir, "db"));
	const char *json = tu_fixture("json");
	ct_run r = {0};
	char *before, *after;

	ct_run_cmd(&r, NULL,
		   "ingest --db '%s' '%s' '%s/NCT91000001.json' "
		   "'%s/NCT91000002.json' '%s/NCT91000003.json' "
		   "'%s/NCT91000004.json'",
		   db, tu_fixture("trials"), json, json, json, json);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_assert_counts(&r, 44, 0, 0, 0);
	before = ct_dump_index(db);
	ct_run_cmd(&r, NULL,
		   "ingest --db '%s' '%s' '%s/NCT91000001.json' "
		   "'%s/NCT91000002.json' '%s/NCT91000003.json' "
		   "'%s/NCT91000004.json'",
		   db, tu_fixture("trials"), json, json, json, json);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.err, "ingest: 44 records from 44 files: added 0, "
				"updated 0, unchanged 44, rejected 0 ("),
		  "%s", r.err);
	after = ct_dump_index(db);
	cr_expect_str_eq(after, before, "a re-ingest changed the index");
	free(before);
	free(after);
	ct_run_free(&r);
}

/*
 * A record of the same date is not read past its id and date: an edit that
 * keeps the date is not seen (the rule: not newer, left alone), not even a
 * broken age, which a whole read would reject.
 */
Test(reingest, same_date_is_not_read_past_id_and_date)
{
	const char *dir = ct_tmpdir(), *db = ct_keep(ct_path(dir, "db"));
	const char *src = copy_fixtures(dir);
	const char *f1 = ct_keep(ct_path(src, "NCT90000001.xml"));
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_copy_edit(tu_fixture("trials/NCT90000001.xml"), f1,
		     "<minimum_age>18 Years</minimum_age>",
		     "<minimum_age>eighteen Years</minimum_age>", TITLE_1,
		     TITLE_1_NEW, NULL);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_expect_eq(r.status, 0, "%s", r.err);
	ct_assert_counts(&r, 0, 0, 40, 0);
	ct_run_cmd(&r, NULL, "show --db '%s' NCT90000001", db);
	cr_expect(strstr(r.out, TITLE_1), "%s", r.out);
	ct_run_free(&r);
}

Test(reingest, newer_record_is_read_whole)
{
	const char *dir = ct_tmpdir(), *db = ct_keep(ct_path(dir, "db"));
	const char *fresh = ct_keep(ct_path(dir, "fresh"));
	const char *src = copy_fixtures(dir);
	ct_run r = {0};
	char *a, *b;

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_copy_edit(tu_fixture("trials/NCT90000001.xml"),
		     ct_path(src, "NCT90000001.xml"), DATE_OLD, DATE_NEW,
		     TITLE_1, TITLE_1_NEW, NULL);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_expect_eq(r.status, 0, "%s", r.err);
	ct_assert_counts(&r, 0, 1, 39, 0);
	ct_run_cmd(&r, NULL, "show --db '%s' --format json NCT90000001", db);
	cr_expect(strstr(r.out, "\"brief_title\": \"" TITLE_1_NEW), "%s",
		  r.out);
	cr_expect(strstr(r.out, "\"last_update\": \"2024-03-01\""), "%s",
		  r.out);
	/* the same index as a first ingest of today's files */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", fresh, src);
	cr_assert_eq(r.status, 0, "%s", r.err);
	a = ct_dump_index(db);
	b = ct_dump_index(fresh);
	cr_expect_str_eq(a, b);
	free(a);
	free(b);
	ct_run_free(&r);
}

Test(reingest, newer_but_broken_record_is_rejected_as_before)
{
	const char *dir = ct_tmpdir(), *db = ct_keep(ct_path(dir, "db"));
	const char *fresh = ct_keep(ct_path(dir, "fresh"));
	const char *src = copy_fixtures(dir);
	const char *f2 = ct_keep(ct_path(src, "NCT90000002.xml"));
	ct_run r = {0};
	char *want, *got;

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_copy_edit(tu_fixture("trials/NCT90000002.xml"), f2,
		     "<last_update_submitted>", "<last_update_submitted>X",
		     "<minimum_age>18 Years</minimum_age>",
		     "<minimum_age>eighteen Years</minimum_age>", NULL);
	/* X...: a date that does not parse; then a good newer one */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", fresh, f2);
	cr_assert_eq(r.status, 1, "%s", r.err);
	want = rejections(r.err);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_expect_eq(r.status, 1, "%s", r.err);
	ct_assert_counts(&r, 0, 0, 39, 1);
	got = rejections(r.err);
	cr_expect_str_eq(got, want);
	free(want);
	free(got);

	ct_copy_edit(tu_fixture("trials/NCT90000002.xml"), f2,
		     "<last_update_submitted>",
		     "<last_update_submitted>"
		     "March 1, 2024</last_update_submitted><x>",
		     "</last_update_submitted>\n", "</x>\n",
		     "<minimum_age>18 Years</minimum_age>",
		     "<minimum_age>eighteen Years</minimum_age>", NULL);
	ct_run_sh(&r, "rm -rf '%s'", fresh);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", fresh, f2);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "minimum_age: not an age: \"eighteen Years\""),
		  "%s", r.err);
	want = rejections(r.err);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, src);
	cr_expect_eq(r.status, 1, "%s", r.err);
	ct_assert_counts(&r, 0, 0, 39, 1);
	got = rejections(r.err);
	cr_expect_str_eq(got, want);
	/* the stored copy stays */
	ct_run_cmd(&r, NULL, "show --db '%s' --format json NCT90000002", db);
	cr_expect(strstr(r.out, "\"min_age_years\": 18"), "%s", r.out);
	free(want);
	free(got);
	ct_run_free(&r);
}

/* Records 1..5 of the fixtures in one <clinical_studies> wrapper, each
 * edited by edit(k, text) first. */
static void write_wrapper(const char *path, char *(*edit)(unsigned, char *))
{
	size_t cap = 1 << 20, len = 0;
	char *out = malloc(cap);
	unsigned k;

	cr_assert(out);
	len += (size_t)snprintf(out, cap,
				"<?xml version=\"1.0\" "
				"encoding=\"UTF-8\"?>\n<clinical_studies>\n");
	for (k = 1; k <= 5; k++) {
		char name[64], *text, *body;
		snprintf(name, sizeof name, "trials/NCT9000000%u.xml", k);
		text = tu_read_file(tu_fixture(name), NULL);
		cr_assert(text);
		text = edit(k, text);
		body = strstr(text, "<clinical_study");
		cr_assert(body);
		cr_assert_lt(len + strlen(body) + 64, cap);
		memcpy(out + len, body, strlen(body));
		len += strlen(body);
		free(text);
	}
	len += (size_t)snprintf(out + len, cap - len, "</clinical_studies>\n");
	cr_assert_eq(tu_write_file(path, out, len), 0);
	free(out);
}

static char *replace(char *text, const char *from, const char *to)
{
	char *at = strstr(text, from), *out;

	cr_assert(at, "no '%s'", from);
	out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
	cr_assert(out);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	free(text);
	return out;
}

static char *as_is(unsigned k, char *text)
{
	(void)k;
	return text;
}

/* record 3 newer and renamed; record 5 newer with a broken age */
static char *third_and_fifth(unsigned k, char *text)
{
	if (k == 3 || k == 5)
		text = replace(text, "<last_update_submitted>",
			       "<last_update_submitted>March 1, 2024"
			       "</last_update_submitted><x>");
	if (k == 3)
		text = replace(text, "Encorafenib and Cetuximab With",
			       "Renamed: Encorafenib and Cetuximab With");
	if (k == 5)
		text = replace(text, "<minimum_age>18 Years",
			       "<minimum_age>eighteen Years");
	if (k == 3 || k == 5)
		text = replace(text, "</last_update_submitted>\n", "</x>\n");
	return text;
}

/* record 4 not well-formed (a tag left open) */
static char *fourth_broken(unsigned k, char *text)
{
	if (k == 4)
		text = replace(text, "</brief_title>", "</brief_titel>");
	return text;
}

Test(reingest, wrapper_rereads_only_what_changed)
{
	const char *dir = ct_tmpdir(), *db = ct_keep(ct_path(dir, "db"));
	const char *fresh = ct_keep(ct_path(dir, "fresh"));
	const char *w = ct_keep(ct_path(dir, "all.xml"));
	ct_run r = {0};
	char *want, *got;

	write_wrapper(w, as_is);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, w);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_assert_counts(&r, 5, 0, 0, 0);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, w);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_assert_counts(&r, 0, 0, 5, 0);

	write_wrapper(w, third_and_fifth);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", fresh, w);
	cr_assert_eq(r.status, 1, "%s", r.err);
	ct_assert_counts(&r, 4, 0, 0, 1);
	want = rejections(r.err);
	cr_assert(strstr(want, "not an age: \"eighteen Years\""), "%s", want);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, w);
	cr_expect_eq(r.status, 1, "%s", r.err);
	ct_assert_counts(&r, 0, 1, 3, 1);
	got = rejections(r.err);
	cr_expect_str_eq(got, want);
	free(want);
	free(got);
	ct_run_cmd(&r, NULL, "show --db '%s' --format json NCT90000003", db);
	cr_expect(strstr(r.out, "\"brief_title\": \"Renamed: Encorafenib"),
		  "%s", r.out);

	/* a document that breaks in record 4: the same error as a first
	 * ingest, records 1-3 skipped before it (3 is stored newer) */
	write_wrapper(w, fourth_broken);
	ct_run_sh(&r, "rm -rf '%s'", fresh);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", fresh, w);
	cr_assert_eq(r.status, 1, "%s", r.err);
	ct_assert_counts(&r, 3, 0, 0, 1);
	want = rejections(r.err);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, w);
	cr_expect_eq(r.status, 1, "%s", r.err);
	ct_assert_counts(&r, 0, 0, 3, 1);
	got = rejections(r.err);
	cr_expect_str_eq(got, want);
	free(want);
	free(got);
	ct_run_free(&r);
}

Test(reingest, zip_archive_unchanged_is_skipped)
{
	const char *dir = ct_tmpdir(), *db = ct_keep(ct_path(dir, "db"));
	const char *zip = ct_keep(ct_path(dir, "all.zip"));
	size_t n = 0, i;
	char **files = ct_xml_files(tu_fixture("trials"), &n);
	ct_zip_entry *e = calloc(n, sizeof(*e));
	ct_run r = {0};
	char *before, *after;

	cr_assert(e);
	for (i = 0; i < n; i++) {
		e[i].name = strrchr(files[i], '/') + 1;
		e[i].src = files[i];
	}
	ct_zip(zip, e, n);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, zip);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_assert_counts(&r, 40, 0, 0, 0);
	before = ct_dump_index(db);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, zip);
	cr_assert_eq(r.status, 0, "%s", r.err);
	ct_assert_counts(&r, 0, 0, 40, 0);
	after = ct_dump_index(db);
	cr_expect_str_eq(after, before);
	free(before);
	free(after);
	free(e);
	ct_free_list(files);
	ct_run_free(&r);
}
