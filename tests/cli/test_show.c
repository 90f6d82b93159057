/*
 * test_show.c - `ctmatch show` run as a real process on an index built
 * from fixtures/trials/. Expected values are read off the fixture files;
 * criteria_text is compared with libxml2's own reading of the text block.
 */
#include "clitest.h"

#include <math.h>

/* show --format json of ids (space-separated); the array, checked. */
static json_t *show_json(const char *db, const char *ids, size_t want_n)
{
	ct_run r = {0};
	json_t *a;

	ct_run_cmd(&r, NULL, "show --db '%s' --format json %s", db, ids);
	cr_assert_eq(r.status, 0, "show %s: exit %d\n%s", ids, r.status, r.err);
	cr_assert_str_eq(r.err, "", "show %s: stderr:\n%s", ids, r.err);
	a = ct_json(r.out);
	cr_assert(json_is_array(a), "show --format json: not an array");
	cr_assert_eq(json_array_size(a), want_n, "%zu trials, want %zu",
		     json_array_size(a), want_n);
	ct_run_free(&r);
	return a;
}

static void assert_num(const json_t *o, const char *key, double want)
{
	json_t *v = json_object_get(o, key);

	cr_assert(v, "no key '%s'", key);
	cr_assert(json_is_number(v), "'%s' is not a number", key);
	cr_assert(fabs(json_number_value(v) - want) < 1e-9,
		  "%s: %.17g, want %.17g", key, json_number_value(v), want);
}

static void assert_null(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(v, "no key '%s'", key);
	cr_assert(json_is_null(v), "'%s' is not null", key);
}

static void assert_strs(const json_t *o, const char *key,
			const char *const *want, size_t n)
{
	json_t *a = json_object_get(o, key);
	size_t i;

	cr_assert(json_is_array(a), "'%s' is not an array", key);
	cr_assert_eq(json_array_size(a), n, "%s: %zu items, want %zu", key,
		     json_array_size(a), n);
	for (i = 0; i < n; i++) {
		json_t *s = json_array_get(a, i);
		cr_assert(json_is_string(s), "%s[%zu] is not a string", key, i);
		cr_assert_str_eq(json_string_value(s), want[i], "%s[%zu]", key,
				 i);
	}
}

/* A location compared field by field; NULL means JSON null. */
static void assert_location(const json_t *l, const char *const want[6])
{
	static const char *const keys[6] = {"facility", "city",	   "state",
					    "zip",	"country", "status"};
	size_t i;

	cr_assert(json_is_object(l));
	for (i = 0; i < 6; i++) {
		if (want[i])
			ct_assert_jstr(l, keys[i], want[i]);
		else
			assert_null(l, keys[i]);
	}
}

Test(show, table_mentions_every_field)
{
	const char *db = ct_fixture_db(), *line;
	ct_run r = {0};

	/* NCT90000016.xml */
	ct_run_cmd(&r, NULL, "show --db '%s' NCT90000016", db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert_str_eq(r.err, "");
	cr_assert(strstr(r.out, "NCT90000016"), "%s", r.out);
	cr_assert(strstr(r.out, "Cytoreductive Surgery With or Without HIPEC "
				"for Colorectal Peritoneal Metastases"),
		  "%s", r.out);
	cr_assert(ct_line_with(r.out, "Recruiting"), "%s", r.out);
	cr_assert(ct_line_with(r.out, "Phase 3"), "%s", r.out);
	cr_assert(
		ct_line_with(r.out, "Groupe Fixture des Tumeurs Péritonéales"),
		"%s", r.out);
	cr_assert(ct_line_with(r.out, "Peritoneal Carcinomatosis"), "%s",
		  r.out);
	cr_assert(ct_line_with(r.out, "Colorectal Cancer"), "%s", r.out);
	line = ct_line_with(r.out, "sex");
	cr_assert(line && strstr(line, "All"), "sex: %s\n%s", line, r.out);
	line = ct_line_with(r.out, "ages");
	cr_assert(line && strstr(line, "18") && strstr(line, "75"),
		  "ages: %s\n%s", line, r.out);
	line = ct_line_with(r.out, "last update");
	cr_assert(line && strstr(line, "2023-01-18"), "last update: %s\n%s",
		  line, r.out);
	line = ct_line_with(r.out, "locations");
	cr_assert(line && strchr(line, '3'), "locations: %s\n%s", line, r.out);

	/* NCT90000029.xml: Female, 45 Years to N/A, Unknown status, N/A */
	ct_run_cmd(&r, NULL, "show --db '%s' NCT90000029", db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert(ct_line_with(r.out, "Unknown status"), "%s", r.out);
	line = ct_line_with(r.out, "sex");
	cr_assert(line && strstr(line, "Female"), "sex: %s\n%s", line, r.out);
	line = ct_line_with(r.out, "ages");
	cr_assert(line && strstr(line, "45") && strstr(line, "N/A"),
		  "ages: %s\n%s", line, r.out);
	line = ct_line_with(r.out, "last update");
	cr_assert(line && strstr(line, "2019-03-20"), "last update: %s\n%s",
		  line, r.out);
	line = ct_line_with(r.out, "locations");
	cr_assert(line && strchr(line, '2'), "locations: %s\n%s", line, r.out);
	ct_run_free(&r);
}

Test(show, json_has_every_key_with_the_fixture_values)
{
	static const char *const conditions[] = {"Metastatic Colorectal Cancer",
						 "KRAS G12C Mutation"};
	/* the four <location>s of NCT90000001.xml, in order */
	static const char *const locs[4][6] = {
		{"Midtown Cancer Center", "New York", "New York", "10016",
		 "United States", "Recruiting"},
		{"Gulf Coast Oncology Institute", "Houston", "Texas", "77030",
		 "United States", "Recruiting"},
		{"Pacific Tumor Clinic", "Los Angeles", "California", "90033",
		 "United States", "Not yet recruiting"},
		{"Great Lakes Cancer Hospital", "Columbus", "Ohio", "43210",
		 "United States", "Recruiting"},
	};
	const char *db = ct_fixture_db();
	json_t *a = show_json(db, "NCT90000001", 1), *t, *l;
	char *text = ct_xml_criteria(ct_trial("NCT90000001.xml"));
	size_t i;

	t = json_array_get(a, 0);
	cr_assert(json_is_object(t));
	ct_assert_jstr(t, "nct_id", "NCT90000001");
	ct_assert_jstr(t, "brief_title",
		       "A Study of Sotorasib-like KRAS G12C Inhibitor FX-1201 "
		       "in Previously Treated Metastatic Colorectal Cancer");
	ct_assert_jstr(t, "overall_status", "Recruiting");
	ct_assert_jstr(t, "phase", "Phase 2");
	ct_assert_jstr(t, "study_type", "Interventional");
	assert_strs(t, "conditions", conditions, 2);
	ct_assert_jstr(t, "gender", "All");
	assert_num(t, "min_age_years", 18);
	assert_null(t, "max_age_years");
	ct_assert_jstr(t, "last_update", "2023-01-10");
	cr_assert(text);
	cr_assert(strchr(text, '\r'), "libxml2 kept no CR from &#xD;?");
	ct_assert_jstr(t, "criteria_text", text);
	cr_assert(json_is_array(json_object_get(t, "criteria")));
	l = json_object_get(t, "locations");
	cr_assert(json_is_array(l));
	cr_assert_eq(json_array_size(l), 4);
	for (i = 0; i < 4; i++)
		assert_location(json_array_get(l, i), locs[i]);
	free(text);
	json_decref(a);
}

Test(show, json_ages_gender_dates_and_sites)
{
	const char *db = ct_fixture_db();
	json_t *a = show_json(db,
			      "NCT90000024 NCT90000028 NCT90000016 NCT90000013 "
			      "NCT90000029 NCT90000030 NCT90000021",
			      7);
	json_t *t;
	static const char *const beijing[6] = {
		"Beijing Fixture Cancer Hospital",
		"Beijing",
		"Beijing",
		"100021",
		"China",
		NULL};
	static const char *const guangzhou[6] = {
		"Guangzhou Fixture Tumor Hospital",
		"Guangzhou",
		"Guangdong",
		"510060",
		"China",
		NULL};

	/* NCT90000024: 1 Month to N/A */
	t = json_array_get(a, 0);
	ct_assert_jstr(t, "nct_id", "NCT90000024");
	assert_num(t, "min_age_years", 1.0 / 12.0);
	assert_null(t, "max_age_years");
	/* NCT90000028: 12 Months to 21 Years, Phase 1/Phase 2 */
	t = json_array_get(a, 1);
	ct_assert_jstr(t, "nct_id", "NCT90000028");
	assert_num(t, "min_age_years", 1.0);
	assert_num(t, "max_age_years", 21.0);
	ct_assert_jstr(t, "phase", "Phase 1/Phase 2");
	/* NCT90000016: 18 Years to 75 Years */
	t = json_array_get(a, 2);
	assert_num(t, "min_age_years", 18.0);
	assert_num(t, "max_age_years", 75.0);
	/* NCT90000013: old element names, <gender>Both</gender>, 18-80 */
	t = json_array_get(a, 3);
	ct_assert_jstr(t, "nct_id", "NCT90000013");
	ct_assert_jstr(t, "gender", "All");
	assert_num(t, "max_age_years", 80.0);
	ct_assert_jstr(t, "last_update", "2011-06-23"); /* lastchanged_date */
	ct_assert_jstr(t, "overall_status", "Completed");
	/* NCT90000029: Female, 45, Unknown status, N/A, sites without status */
	t = json_array_get(a, 4);
	ct_assert_jstr(t, "gender", "Female");
	assert_num(t, "min_age_years", 45.0);
	assert_null(t, "max_age_years");
	ct_assert_jstr(t, "overall_status", "Unknown status");
	ct_assert_jstr(t, "phase", "N/A");
	ct_assert_jstr(t, "last_update", "2019-03-20");
	cr_assert_eq(json_array_size(json_object_get(t, "locations")), 2);
	assert_location(json_array_get(json_object_get(t, "locations"), 0),
			beijing);
	assert_location(json_array_get(json_object_get(t, "locations"), 1),
			guangzhou);
	/* NCT90000030: Male, 18-70 */
	t = json_array_get(a, 5);
	ct_assert_jstr(t, "gender", "Male");
	assert_num(t, "max_age_years", 70.0);
	/* NCT90000021: no locations */
	t = json_array_get(a, 6);
	cr_assert(json_is_array(json_object_get(t, "locations")));
	cr_assert_eq(json_array_size(json_object_get(t, "locations")), 0);
	json_decref(a);
}

Test(show, criteria_text_is_libxml2s_reading_byte_for_byte)
{
	const char *db = ct_fixture_db();
	char ids[2048] = "", **files;
	size_t n, i, len = 0;
	json_t *a;

	files = ct_xml_files(tu_fixture("trials"), &n);
	cr_assert_eq(n, 40);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(ids + len, sizeof ids - len,
					"NCT%08zu ", 90000001 + i);
	a = show_json(db, ids, n);
	for (i = 0; i < n; i++) {
		json_t *t = json_array_get(a, i), *v;
		char *want = ct_xml_criteria(files[i]);
		const char *got;

		cr_assert(strstr(files[i], ct_jstr(t, "nct_id")),
			  "%s is not from %s", ct_jstr(t, "nct_id"), files[i]);
		v = json_object_get(t, "criteria_text");
		cr_assert(v, "%s: no criteria_text", files[i]);
		cr_assert(want, "%s: no text block", files[i]);
		cr_assert(json_is_string(v), "%s: criteria_text not a string",
			  files[i]);
		got = json_string_value(v);
		cr_assert_eq(json_string_length(v), strlen(want),
			     "%s: %zu bytes, want %zu", files[i],
			     json_string_length(v), strlen(want));
		cr_assert(memcmp(got, want, strlen(want)) == 0,
			  "%s: criteria_text differs", files[i]);
		/* &#xD; kept as CR; a CRLF file normalised to LF */
		if (strstr(files[i], "NCT90000001.xml"))
			cr_assert(strstr(got, "Inclusion Criteria:\r\n"));
		if (strstr(files[i], "NCT90000040.xml"))
			cr_assert(!strchr(got, '\r'), "NCT90000040: CR kept");
		free(want);
	}
	ct_free_list(files);
	json_decref(a);
}

/* A record with no eligibility criteria, written for this test. */
static const char no_criteria_record[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<clinical_study>\n"
	"  <id_info><nct_id>NCT90000099</nct_id></id_info>\n"
	"  <brief_title>A Record Without Criteria</brief_title>\n"
	"  <overall_status>Recruiting</overall_status>\n"
	"  <phase>Phase 2</phase>\n"
	"  <study_type>Interventional</study_type>\n"
	"  <condition>Colorectal Cancer</condition>\n"
	"  <eligibility>\n"
	"    <gender>All</gender>\n"
	"    <minimum_age>18 Years</minimum_age>\n"
	"    <maximum_age>N/A</maximum_age>\n"
	"  </eligibility>\n"
	"  <last_update_submitted>January 10, 2023</last_update_submitted>\n"
	"</clinical_study>\n";

Test(show, no_text_block_is_null_and_no_criteria)
{
	const char *db = ct_new_db();
	ct_run r = {0};
	json_t *a, *t;

	ct_run_cmd(&r, no_criteria_record, "ingest --db '%s' -", db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	a = show_json(db, "NCT90000099", 1);
	t = json_array_get(a, 0);
	assert_null(t, "criteria_text");
	cr_assert(json_is_array(json_object_get(t, "criteria")));
	cr_assert_eq(json_array_size(json_object_get(t, "criteria")), 0);
	ct_assert_jstr(t, "brief_title", "A Record Without Criteria");
	json_decref(a);
	ct_run_free(&r);
}

/* Each criterion has a section, a text, a status and constraints. */
static void assert_criteria_shape(const json_t *t, const char *nct)
{
	json_t *c = json_object_get(t, "criteria");
	size_t i;

	cr_assert(json_is_array(c), "%s: criteria is not an array", nct);
	for (i = 0; i < json_array_size(c); i++) {
		json_t *x = json_array_get(c, i);
		const char *sec = ct_jstr(x, "section");
		const char *st = ct_jstr(x, "status");

		cr_assert(!strcmp(sec, "inclusion") ||
				  !strcmp(sec, "exclusion") ||
				  !strcmp(sec, "unspecified"),
			  "%s[%zu]: section '%s'", nct, i, sec);
		cr_assert(!strcmp(st, "structured") || !strcmp(st, "review"),
			  "%s[%zu]: status '%s'", nct, i, st);
		cr_assert(ct_jstr(x, "text")[0], "%s[%zu]: empty text", nct, i);
		cr_assert(json_is_array(json_object_get(x, "constraints")),
			  "%s[%zu]: constraints is not an array", nct, i);
	}
}

static size_t count_section(const json_t *t, const char *section)
{
	json_t *c = json_object_get(t, "criteria");
	size_t i, k = 0;

	for (i = 0; i < json_array_size(c); i++)
		k += !strcmp(ct_jstr(json_array_get(c, i), "section"), section);
	return k;
}

Test(show, criteria_are_listed_with_section_text_status_constraints)
{
	const char *db = ct_fixture_db();
	char ids[2048] = "", none[2048] = "";
	size_t i, len = 0;
	json_t *a, *t;

	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(ids + len, sizeof ids - len,
					"NCT%08zu ", 90000001 + i);
	a = show_json(db, ids, 40);
	for (i = 0, len = 0; i < 40; i++) {
		t = json_array_get(a, i);
		assert_criteria_shape(t, ct_jstr(t, "nct_id"));
		/* every fixture has a text block: it gives criteria */
		if (json_array_size(json_object_get(t, "criteria")) == 0)
			len += (size_t)snprintf(none + len, sizeof none - len,
						" %s", ct_jstr(t, "nct_id"));
	}
	cr_assert_eq(len, 0, "no criteria from the text block of:%s", none);
	/* NCT90000001: 7 inclusion bullets, then 8 exclusion bullets */
	t = json_array_get(a, 0);
	cr_assert_eq(count_section(t, "inclusion"), 7);
	cr_assert_eq(count_section(t, "exclusion"), 8);
	{
		json_t *c = json_object_get(t, "criteria");
		json_t *first = json_array_get(c, 0);
		json_t *last = json_array_get(c, json_array_size(c) - 1);

		ct_assert_jstr(first, "section", "inclusion");
		/* a wrapped bullet is one criterion, its line break a space */
		ct_assert_jstr(first, "text",
			       "Histologically or cytologically confirmed "
			       "adenocarcinoma of the colon or rectum with "
			       "metastatic or locally advanced unresectable "
			       "disease");
		ct_assert_jstr(last, "section", "exclusion");
		ct_assert_jstr(last, "text",
			       "Another malignancy within 3 years, except "
			       "adequately treated non-melanoma skin cancer or "
			       "carcinoma in situ of the cervix");
	}
	/* NCT90000017: bullets with no header: nothing is inclusion */
	t = json_array_get(a, 16);
	ct_assert_jstr(t, "nct_id", "NCT90000017");
	cr_assert_eq(count_section(t, "inclusion"), 0);
	json_decref(a);
}

Test(show, several_ids_in_argument_order)
{
	const char *db = ct_fixture_db();
	json_t *a = show_json(
		db, "NCT90000030 NCT90000002 NCT90000017 NCT90000002", 4);

	ct_assert_jstr(json_array_get(a, 0), "nct_id", "NCT90000030");
	ct_assert_jstr(json_array_get(a, 1), "nct_id", "NCT90000002");
	ct_assert_jstr(json_array_get(a, 2), "nct_id", "NCT90000017");
	ct_assert_jstr(json_array_get(a, 3), "nct_id", "NCT90000002");
	ct_assert_jstr(json_array_get(a, 2), "overall_status", "Terminated");
	json_decref(a);
}

/* Options may follow the ids, as with GNU tools. */
Test(show, options_after_the_ids)
{
	const char *db = ct_fixture_db();
	ct_run r = {0};
	json_t *a;

	ct_run_cmd(&r, NULL, "show NCT90000030 --db '%s' NCT90000002 --format json",
		   db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	a = json_loads(r.out, 0, NULL);
	cr_assert(json_is_array(a) && json_array_size(a) == 2, "%s", r.out);
	ct_assert_jstr(json_array_get(a, 0), "nct_id", "NCT90000030");
	ct_assert_jstr(json_array_get(a, 1), "nct_id", "NCT90000002");
	json_decref(a);
	ct_run_free(&r);
}

Test(show, unknown_id_is_exit_1_and_the_known_ones_still_print)
{
	const char *db = ct_fixture_db();
	ct_run r = {0};
	json_t *a;

	ct_run_cmd(&r, NULL,
		   "show --db '%s' --format json NCT90000003 NCT99999999 "
		   "NCT90000004",
		   db);
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	cr_assert(ct_line_with(r.err, "NCT99999999"), "stderr:\n%s", r.err);
	a = ct_json(r.out);
	cr_assert_eq(json_array_size(a), 2);
	ct_assert_jstr(json_array_get(a, 0), "nct_id", "NCT90000003");
	ct_assert_jstr(json_array_get(a, 1), "nct_id", "NCT90000004");
	json_decref(a);

	ct_run_cmd(&r, NULL, "show --db '%s' NCT99999998 NCT90000005", db);
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	cr_assert(ct_line_with(r.err, "NCT99999998"), "stderr:\n%s", r.err);
	cr_assert(strstr(r.out, "NCT90000005"), "%s", r.out);
	cr_assert_null(strstr(r.out, "NCT99999998"), "%s", r.out);
	ct_run_free(&r);
}

Test(show, malformed_id_is_reported_and_the_others_still_print)
{
	const char *db = ct_fixture_db();
	ct_run r = {0};

	/* not an index failure (3): a bad argument, named, and the rest shown
	 */
	ct_run_cmd(&r, NULL, "show --db '%s' NCT123 NCT90000006", db);
	cr_assert(r.status == 1 || r.status == 2, "exit %d\n%s", r.status,
		  r.err);
	cr_assert(ct_line_with(r.err, "NCT123"), "stderr:\n%s", r.err);
	if (r.status == 1)
		cr_assert(strstr(r.out, "NCT90000006"), "%s", r.out);
	ct_run_free(&r);
}

Test(show, missing_index_is_exit_3_with_a_clear_message)
{
	const char *db = ct_new_db();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "show --db '%s' NCT90000001", db);
	cr_assert_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
	cr_assert(ct_line_with(r.err, db), "the index is not named:\n%s",
		  r.err);
	cr_assert(ct_contains_ci(r.err, "index"), "%s", r.err);
	cr_assert_str_eq(r.out, "");
	/* show does not create it */
	{
		struct stat st;
		cr_assert_neq(stat(db, &st), 0, "show created %s", db);
	}
	ct_run_free(&r);
}

Test(show, usage_errors_and_help)
{
	const char *db = ct_fixture_db();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "show --db '%s' --format xml NCT90000001", db);
	cr_assert_eq(r.status, 2, "--format xml: exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "xml"), "%s", r.err);
	cr_assert_str_eq(r.out, "");

	ct_run_cmd(&r, NULL, "show --db '%s'", db);
	cr_assert_eq(r.status, 2, "no id: exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "usage:"), "%s", r.err);
	cr_assert_str_eq(r.out, "");

	ct_run_cmd(&r, NULL, "show --db '%s' --bogus NCT90000001", db);
	cr_assert_eq(r.status, 2, "--bogus: exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "usage:"), "%s", r.err);
	cr_assert_str_eq(r.out, "");

	ct_run_cmd(&r, NULL, "show --help");
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.out, "usage: ctmatch show"), "%s", r.out);
	cr_assert(strstr(r.out, "--format"), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	ct_run_free(&r);
}

Test(show, default_index_from_environment)
{
	const char *db = ct_fixture_db();
	ct_run r = {0};

	ct_run_sh(&r, "CTMATCH_DB='%s' '%s' show NCT90000007", db,
		  tu_ctmatch());
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.out, "NCT90000007"), "%s", r.out);
	ct_run_free(&r);
}

/*
 * Each criterion says how today's reader reads it (NCT90000001.xml): the
 * terms tagged with their kind, the frames that read it, the words left
 * unread, and why it stays review.
 */
Test(show, says_how_each_criterion_reads)
{
	static const char *const blocks[] = {
		/* structured: every word read */
		"    8 exclusion   structured Prior treatment with any KRAS "
		"G12C inhibitor (for example sotorasib, adagrasib or "
		"divarasib)\n"
		"      -> NOT prior KRAS G12C inhibitor\n"
		"      tags:   KRAS G12C inhibitor (class)\n"
		"      frames: therapy\n"
		"      unread: none\n"
		"    9 ",
		/* two sentences; "are excluded" is the grammar's */
		"      -> NOT active brain metastases\n"
		"      tags:   brain (site); brain (site)\n"
		"      frames: brain\n"
		"      unread: none\n",
		/* a frame read a part, the rest is unread */
		"      tags:   fluoropyrimidine (class); oxaliplatin (drug); "
		"irinotecan (drug)\n"
		"      frames: lines\n"
		"      unread: included fluoropyrimidine oxaliplatin "
		"irinotecan\n"
		"      review: combination inside a list\n"
		"    4 inclusion",
		/* no tag at all */
		"      tags:   none\n"
		"      frames: pregnancy\n"
		"      unread: childbearing potential unwilling use highly "
		"effective contraception\n"
		"      review: an unread item that may reach the list\n",
	};
	static const char *const want_json =
		"{\"tags\": [{\"text\": \"fluoropyrimidine\", \"kind\": "
		"\"class\", \"concept\": \"fluoropyrimidine\"}, {\"text\": "
		"\"oxaliplatin\", \"kind\": \"drug\", \"concept\": "
		"\"oxaliplatin\"}, {\"text\": \"irinotecan\", \"kind\": "
		"\"drug\", \"concept\": \"irinotecan\"}], \"frames\": "
		"[\"lines\"], \"unread\": \"included fluoropyrimidine "
		"oxaliplatin irinotecan\", \"review_reason\": \"combination "
		"inside a list\"}";
	const char *db = ct_fixture_db();
	ct_run r = {0};
	json_t *a, *crit, *want, *got;
	size_t i;

	ct_run_cmd(&r, NULL, "show --db '%s' NCT90000001", db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		cr_expect(strstr(r.out, blocks[i]),
			  "block %zu missing:\n%s\n--\n%s", i, blocks[i],
			  r.out);
	ct_run_free(&r);

	a = show_json(db, "NCT90000001", 1);
	crit = json_object_get(json_array_get(a, 0), "criteria");
	cr_assert_eq(json_array_size(crit), 15);
	got = json_object_get(json_array_get(crit, 2), "reading");
	want = json_loads(want_json, 0, NULL);
	cr_assert_not_null(want);
	cr_expect(json_equal(got, want), "reading of criterion 3: %s",
		  json_dumps(got, JSON_COMPACT));
	/* a structured criterion has no review reason */
	got = json_object_get(json_array_get(crit, 7), "reading");
	cr_expect_null(json_object_get(got, "review_reason"));
	ct_assert_jstr(got, "unread", "");
	json_decref(want);
	json_decref(a);
}
