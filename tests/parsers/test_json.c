/*
 * test_json.c - ClinicalTrials.gov JSON: the formats told apart by content
 * and every field of the fixtures (fixtures/json/NCT9100000[1-4].json).
 * Expected values are read off the fixture files, not off the reader.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/parsers.h>
#include "testutil.h"

#define MAX_TRIALS 4096

/* Everything a reader gave, in order. */
struct run {
	ctm_trial *t[MAX_TRIALS];
	int n;
	int n_err;
	ctm_error err[8]; /* the first errors */
	int rc[8];
	int after[8]; /* trials read before each error */
};

static void drain(ctm_json_reader *r, struct run *out)
{
	ctm_trial *t;
	ctm_error e;
	int rc, guard = 0;

	memset(out, 0, sizeof(*out));
	while ((rc = ctm_json_next(r, &t, &e)) != 0) {
		cr_assert_lt(++guard, 2 * MAX_TRIALS, "reader does not end");
		if (rc < 0) {
			cr_assert_null(t);
			if (out->n_err < 8) {
				out->err[out->n_err] = e;
				out->rc[out->n_err] = rc;
				out->after[out->n_err] = out->n;
			}
			out->n_err++;
			continue;
		}
		cr_assert_eq(rc, 1);
		cr_assert_not_null(t);
		cr_assert_lt(out->n, MAX_TRIALS);
		out->t[out->n++] = t;
	}
	cr_assert_null(t);
	/* the end stays the end */
	cr_assert_eq(ctm_json_next(r, &t, &e), 0);
}

static void read_mem(const char *buf, size_t len, struct run *out)
{
	ctm_json_reader *r;
	ctm_error e;

	cr_assert_eq(ctm_json_open_memory(&r, buf, len, "mem.json", &e), 0,
		     "%s", e.message);
	drain(r, out);
	ctm_json_close(r);
}

static void read_str(const char *s, struct run *out)
{
	read_mem(s, strlen(s), out);
}

static void read_path(const char *path, struct run *out)
{
	ctm_json_reader *r;
	ctm_error e;

	cr_assert_eq(ctm_json_open_file(&r, path, &e), 0, "%s", e.message);
	drain(r, out);
	ctm_json_close(r);
}

static void run_free(struct run *r)
{
	int i;

	for (i = 0; i < r->n; i++)
		ctm_trial_free(r->t[i]);
	r->n = 0;
}

static char *fixture(const char *name, size_t *len)
{
	char rel[64];
	char *s;

	snprintf(rel, sizeof(rel), "json/%s", name);
	s = tu_read_file(tu_fixture(rel), len);
	cr_assert_not_null(s, "cannot read fixture %s", rel);
	return s;
}

/* A fixture study re-serialised on one line (for NDJSON and arrays). */
static char *compact(const char *name)
{
	json_error_t je;
	json_t *v;
	char rel[64], *s;

	snprintf(rel, sizeof(rel), "json/%s", name);
	v = json_load_file(tu_fixture(rel), 0, &je);
	cr_assert_not_null(v, "%s: %s", rel, je.text);
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(v);
	cr_assert_not_null(s);
	return s;
}

static void expect_list(const char **got, size_t n, const char *const *want,
			size_t n_want, const char *what)
{
	size_t i;

	cr_assert_eq(n, n_want, "%s: %zu items, want %zu", what, n, n_want);
	if (!n_want) {
		cr_expect_null(got, "%s: empty list not NULL", what);
		return;
	}
	for (i = 0; i < n; i++)
		cr_expect_str_eq(got[i], want[i], "%s[%zu]", what, i);
}

#define LIST(...)  ((const char *const[]){__VA_ARGS__})
#define NLIST(...) (sizeof(LIST(__VA_ARGS__)) / sizeof(const char *))
#define EXPECT_LIST(got, n, ...)                                               \
	expect_list(got, n, LIST(__VA_ARGS__), NLIST(__VA_ARGS__), #got)

static void expect_location(const ctm_location *l, const char *facility,
			    const char *city, const char *state,
			    const char *zip, const char *country,
			    const char *status)
{
#define FIELD(f)                                                               \
	if (f)                                                                 \
		cr_expect_str_eq(l->f ? l->f : "(null)", f, #f);               \
	else                                                                   \
		cr_expect_null(l->f, #f " not NULL: %s", l->f);
	FIELD(facility)
	FIELD(city)
	FIELD(state)
	FIELD(zip)
	FIELD(country)
	FIELD(status)
#undef FIELD
}

static const char crit1[] =
	"Inclusion Criteria:\n\n"
	"* Histologically confirmed adenocarcinoma of the colon or rectum, "
	"metastatic or unresectable\n"
	"* KRAS G12C mutation in tumour tissue or circulating tumour DNA\n"
	"* At least one prior fluoropyrimidine-based regimen for metastatic "
	"disease\n"
	"* ECOG performance status 0 or 1\n"
	"* Absolute neutrophil count \xE2\x89\xA5 1.5 x 10^9/L; platelets "
	"\xE2\x89\xA5 100 x 10^9/L\n\n"
	"Exclusion Criteria:\n\n"
	"* Prior treatment with any KRAS G12C inhibitor (for example "
	"\"sotorasib\" or adagrasib)\n"
	"* Active brain metastases\n"
	"* Pregnancy or breastfeeding";

Test(json, v2_study_every_field)
{
	struct run r;
	ctm_trial *t;
	size_t len;
	char *s = fixture("NCT91000001.json", &len);

	read_mem(s, len, &r);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.n_err, 0, "%s", r.err[0].message);
	t = r.t[0];
	cr_expect_str_eq(t->nct_id, "NCT91000001");
	cr_expect_str_eq(t->brief_title, "FXJ-12 Plus Cetuximab in KRAS G12C "
					 "Metastatic Colorectal Cancer");
	cr_expect_str_eq(t->official_title,
			 "A Phase 1/2 Study of FXJ-12, a KRAS G12C Inhibitor, "
			 "With Cetuximab in Previously Treated KRAS "
			 "G12C-Mutated Metastatic Colorectal Cancer");
	cr_expect_eq(t->status, CTM_STATUS_RECRUITING);
	cr_expect_str_eq(t->phase, "Phase 1/Phase 2");
	cr_expect_str_eq(t->study_type, "Interventional");
	cr_expect_str_eq(t->lead_sponsor, "Fixture Oncology Group");
	EXPECT_LIST(t->conditions, t->n_conditions,
		    "Metastatic Colorectal Cancer", "KRAS G12C Mutation");
	EXPECT_LIST(t->keywords, t->n_keywords, "KRAS G12C", "cetuximab",
		    "colorectal");
	EXPECT_LIST(t->condition_mesh, t->n_condition_mesh,
		    "Colorectal Neoplasms", "Neoplasm Metastasis");

	cr_assert_eq(t->n_interventions, 3);
	cr_expect_str_eq(t->interventions[0].type, "Drug");
	cr_expect_str_eq(t->interventions[0].name, "FXJ-12");
	EXPECT_LIST(t->interventions[0].other_names,
		    t->interventions[0].n_other_names, "FXJ12",
		    "KRAS G12C inhibitor FXJ-12");
	cr_expect_str_eq(t->interventions[1].type, "Biological");
	cr_expect_str_eq(t->interventions[1].name, "Cetuximab");
	cr_expect_eq(t->interventions[1].n_other_names, 0);
	cr_expect_null(t->interventions[1].other_names);
	cr_expect_str_eq(t->interventions[2].type, "Procedure");
	cr_expect_str_eq(t->interventions[2].name, "Tumour biopsy");

	cr_expect(t->has_eligibility);
	cr_expect_str_eq(t->criteria_text, crit1);
	cr_expect_eq(t->gender, CTM_GENDER_ALL);
	cr_expect_float_eq(t->min_age_years, 18.0, 1e-9);
	cr_expect_float_eq(t->max_age_years, 75.0, 1e-9);
	cr_expect_eq(t->healthy_volunteers, 0);

	cr_assert_eq(t->n_locations, 3);
	expect_location(&t->locations[0], "Riverside Cancer Institute",
			"Boston", "Massachusetts", "02115", "United States",
			"Recruiting");
	expect_location(&t->locations[1], "Lakeshore Oncology Centre",
			"Toronto", "Ontario", "M5G 2M9", "Canada",
			"Not yet recruiting");
	expect_location(&t->locations[2], "H\xC3\xB4pital Fixture Saint-Louis",
			"Paris", NULL, "75010", "France", NULL);

	cr_expect_eq(t->first_posted, 20230203);
	cr_expect_eq(t->last_update, 20241120); /* submitted, not posted */
	cr_expect_eq(t->download_date, 0);	/* v2 carries none */
	cr_expect_eq(t->n_criteria, 0);		/* not parsed here */
	run_free(&r);
	free(s);
}

Test(json, v2_registry_months_and_fallback_dates)
{
	struct run r;
	ctm_trial *t;

	read_path(tu_fixture("json/NCT91000002.json"), &r);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.n_err, 0, "%s", r.err[0].message);
	t = r.t[0];
	cr_expect_str_eq(t->nct_id, "NCT91000002");
	cr_expect_null(t->official_title);
	cr_expect_eq(t->status, CTM_STATUS_NOT_YET_RECRUITING);
	cr_expect_null(t->phase);
	cr_expect_str_eq(t->study_type, "Observational [Patient Registry]");
	cr_expect_str_eq(t->lead_sponsor, "Synthetic University Hospital");
	EXPECT_LIST(t->conditions, t->n_conditions, "Colorectal Cancer");
	cr_expect_eq(t->n_keywords, 0);
	cr_expect_null(t->keywords);
	EXPECT_LIST(t->condition_mesh, t->n_condition_mesh,
		    "Colorectal Neoplasms");
	cr_assert_eq(t->n_interventions, 1);
	cr_expect_str_eq(t->interventions[0].type, "Diagnostic Test");
	cr_expect_str_eq(t->interventions[0].name, "Serum CEA");
	cr_expect_str_eq(t->criteria_text,
			 "Inclusion Criteria:\n\n"
			 "* Women referred for surveillance after resection "
			 "of colorectal cancer\n"
			 "* Able to give consent\tor a guardian able to "
			 "consent\n\n"
			 "Exclusion Criteria:\n\n"
			 "* Known Lynch syndrome");
	cr_expect_eq(t->gender, CTM_GENDER_FEMALE);
	cr_expect_float_eq(t->min_age_years, 0.5, 1e-9);
	cr_expect_eq(t->max_age_years, CTM_AGE_UNBOUNDED);
	cr_expect_eq(t->healthy_volunteers, 1);
	cr_assert_eq(t->n_locations, 1);
	expect_location(&t->locations[0], NULL, "Lyon", NULL, NULL, "France",
			NULL);
	cr_expect_eq(t->first_posted, 20230201); /* "2023-02" */
	/* no lastUpdateSubmitDate: lastUpdatePostDateStruct.date */
	cr_expect_eq(t->last_update, 20240115);
	run_free(&r);
}

Test(json, v2_trims_text_keeps_criteria_and_maps_every_code)
{
	static const char *const types[] = {
		"Radiation",
		"Device",
		"Dietary Supplement",
		"Combination Product",
		"Genetic",
		"Behavioral",
		"Other",
	};
	static const char *const sites[] = {
		"Active, not recruiting",
		"Completed",
		"Enrolling by invitation",
		"Suspended",
		"Terminated",
		"Withdrawn",
	};
	struct run r;
	ctm_trial *t;
	size_t i;

	read_path(tu_fixture("json/NCT91000003.json"), &r);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.n_err, 0, "%s", r.err[0].message);
	t = r.t[0];
	cr_expect_str_eq(t->nct_id, "NCT91000003"); /* "  NCT91000003\n" */
	cr_expect_str_eq(t->brief_title,
			 "Radiation, Devices and Supplements: a Fixture "
			 "Covering Every Intervention Type");
	cr_expect_str_eq(t->official_title, ""); /* present, empty */
	cr_expect_eq(t->status, CTM_STATUS_ACTIVE_NOT_RECRUITING);
	cr_expect_str_eq(t->phase, "Phase 2/Phase 3");
	cr_expect_eq(t->n_keywords, 0); /* [] */
	cr_expect_null(t->keywords);
	cr_expect_eq(t->n_condition_mesh, 0); /* no derivedSection */
	cr_assert_eq(t->n_interventions, 7);
	for (i = 0; i < 7; i++)
		cr_expect_str_eq(t->interventions[i].type, types[i], "%zu", i);
	cr_assert_eq(t->n_locations, 6);
	for (i = 0; i < 6; i++)
		cr_expect_str_eq(t->locations[i].status, sites[i], "%zu", i);
	/* exactly as decoded: CRLF, escapes, tabs, UTF-8, not trimmed */
	cr_expect_str_eq(t->criteria_text,
			 "Inclusion Criteria:\r\n"
			 "  - Men aged 40 to 80 with \"high-risk\" disease \\ "
			 "stage II\xE2\x80\x93III\r\n"
			 "  - Caf\xC3\xA9 au lait\tspots allowed\r\n");
	cr_expect_eq(t->gender, CTM_GENDER_MALE);
	cr_expect_float_eq(t->min_age_years, 40.0, 1e-9);
	cr_expect_float_eq(t->max_age_years, 80.0, 1e-9);
	cr_expect_eq(t->first_posted, 20210630);
	cr_expect_eq(t->last_update, 20221201);
	run_free(&r);
}

Test(json, v2_minimal_record_leaves_fields_absent)
{
	struct run r;
	ctm_trial *t;

	read_path(tu_fixture("json/NCT91000004.json"), &r);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(r.n_err, 0, "%s", r.err[0].message);
	t = r.t[0];
	cr_expect_str_eq(t->nct_id, "NCT91000004");
	cr_expect_eq(t->status, CTM_STATUS_AVAILABLE);
	cr_expect_null(t->phase);
	cr_expect_str_eq(t->study_type, "Expanded Access");
	cr_assert_eq(t->n_interventions, 1);
	EXPECT_LIST(t->interventions[0].other_names,
		    t->interventions[0].n_other_names, "FXJ12");
	cr_expect(!t->has_eligibility);
	cr_expect_null(t->criteria_text);
	cr_expect_eq(t->gender, CTM_GENDER_UNSPECIFIED);
	cr_expect_eq(t->min_age_years, CTM_AGE_UNBOUNDED);
	cr_expect_eq(t->max_age_years, CTM_AGE_UNBOUNDED);
	cr_expect_eq(t->healthy_volunteers, -1);
	cr_expect_eq(t->n_locations, 0);
	cr_expect_null(t->locations);
	cr_expect_eq(t->n_condition_mesh, 0);
	/* no post date: studyFirstSubmitDate; no update dates at all */
	cr_expect_eq(t->first_posted, 20220501);
	cr_expect_eq(t->last_update, 0);
	run_free(&r);
}

static const char *const all_ids[] = {"NCT91000001", "NCT91000002",
				      "NCT91000003", "NCT91000004"};

static void expect_ids(const struct run *r, const char *const *ids, int n)
{
	int i;

	cr_assert_eq(r->n, n, "%d trials, want %d", r->n, n);
	for (i = 0; i < n; i++)
		cr_expect_str_eq(r->t[i]->nct_id, ids[i], "trial %d", i);
}

/* The four fixture files joined with sep, between head and tail. */
static char *join4(const char *head, const char *sep, const char *tail,
		   bool one_line)
{
	static const char *const names[] = {
		"NCT91000001.json", "NCT91000002.json", "NCT91000003.json",
		"NCT91000004.json"};
	char *parts[4], *out;
	size_t n = strlen(head) + strlen(tail) + 1, i;

	for (i = 0; i < 4; i++) {
		parts[i] =
			one_line ? compact(names[i]) : fixture(names[i], NULL);
		n += strlen(parts[i]) + strlen(sep);
	}
	out = malloc(n);
	cr_assert_not_null(out);
	strcpy(out, head);
	for (i = 0; i < 4; i++) {
		if (i)
			strcat(out, sep);
		strcat(out, parts[i]);
		free(parts[i]);
	}
	strcat(out, tail);
	return out;
}

Test(json, search_response_array_and_ndjson)
{
	static const struct {
		const char *head, *sep, *tail;
		bool one_line;
	} docs[] = {
		/* an API v2 search page, minified and pretty */
		{"{\"totalCount\":4,\"studies\":[", ",",
		 "],\"nextPageToken\":"
		 "\"NF0g5JGBlPMuwQY\"}",
		 true},
		{"{\n  \"studies\": [\n", ",\n",
		 "\n  ],\n  \"nextPageToken\": "
		 "\"abc\"\n}\n",
		 false},
		/* a token before the studies, any other key after */
		{"{\"nextPageToken\":\"x\",\"studies\":[", ",",
		 "],\"extra\":{\"a\":[1,2,{\"b\":null}]}}", true},
		/* an array */
		{"[", ",", "]", true},
		{"[\n", ",\n", "\n]\n", false},
		/* NDJSON, LF and CRLF, blank lines, no final newline */
		{"", "\n", "\n", true},
		{"", "\r\n\r\n", "", true},
		/* concatenated pretty-printed objects */
		{"", "\n", "", false},
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char *doc = join4(docs[i].head, docs[i].sep, docs[i].tail,
				  docs[i].one_line);

		read_str(doc, &r);
		cr_expect_eq(r.n_err, 0, "doc %zu: %s", i, r.err[0].message);
		expect_ids(&r, all_ids, 4);
		cr_expect_str_eq(r.t[2]->phase, "Phase 2/Phase 3");
		run_free(&r);
		free(doc);
	}
}

Test(json, empty_search_page_and_array_are_no_studies)
{
	static const char *const docs[] = {
		"[]",
		" [ ] \n",
		"{\"studies\":[],\"totalCount\":0}",
		"{\"FullStudiesResponse\":{\"NStudiesReturned\":0}}",
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		read_str(docs[i], &r);
		cr_expect_eq(r.n, 0, "%s", docs[i]);
		cr_expect_eq(r.n_err, 0, "%s: %s", docs[i], r.err[0].message);
	}
}

Test(json, byte_order_mark_is_skipped)
{
	char *one = compact("NCT91000004.json");
	char *doc = malloc(strlen(one) + 4);
	struct run r;

	cr_assert_not_null(doc);
	strcpy(doc, "\xEF\xBB\xBF");
	strcat(doc, one);
	read_str(doc, &r);
	cr_expect_eq(r.n_err, 0, "%s", r.err[0].message);
	expect_ids(&r, all_ids + 3, 1);
	run_free(&r);
	free(doc);
	free(one);
}

/* A classic API record (written here in its layout and spellings). */
static const char classic_doc[] =
	"{\"FullStudiesResponse\":{\"APIVrs\":\"1.01.05\","
	"\"DataVrs\":\"2023:10:17 23:49:37.236\",\"NStudiesReturned\":2,"
	"\"FullStudies\":[{\"Rank\":1,\"Study\":{\"ProtocolSection\":{"
	"\"IdentificationModule\":{\"NCTId\":\"NCT91000011\","
	"\"BriefTitle\":\"Classic Fixture One\","
	"\"OfficialTitle\":\"The Classic Fixture One Study\"},"
	"\"StatusModule\":{\"OverallStatus\":\"Active, not recruiting\","
	"\"StudyFirstSubmitDate\":\"March 1, 2021\","
	"\"StudyFirstPostDateStruct\":{\"StudyFirstPostDate\":\"March 3, "
	"2021\",\"StudyFirstPostDateType\":\"Actual\"},"
	"\"LastUpdateSubmitDate\":\"June 4, 2022\"},"
	"\"SponsorCollaboratorsModule\":{\"LeadSponsor\":{"
	"\"LeadSponsorName\":\"Classic Sponsor\",\"LeadSponsorClass\":"
	"\"OTHER\"}},"
	"\"ConditionsModule\":{\"ConditionList\":{\"Condition\":[\"Rectal "
	"Cancer\"]},\"KeywordList\":{\"Keyword\":[\"rectum\",\"TNT\"]}},"
	"\"DesignModule\":{\"StudyType\":\"Interventional\",\"PhaseList\":{"
	"\"Phase\":[\"Phase 1\",\"Phase 2\"]}},"
	"\"ArmsInterventionsModule\":{\"InterventionList\":{\"Intervention\":"
	"[{\"InterventionType\":\"Drug\",\"InterventionName\":"
	"\"Capecitabine\",\"InterventionOtherNameList\":{"
	"\"InterventionOtherName\":[\"Xeloda\"]}},{\"InterventionType\":"
	"\"Radiation\",\"InterventionName\":\"Short-course RT\"}]}},"
	"\"EligibilityModule\":{\"EligibilityCriteria\":\"Inclusion "
	"Criteria:\\n\\nRectal adenocarcinoma\",\"HealthyVolunteers\":"
	"\"Accepts Healthy Volunteers\",\"Gender\":\"Female\","
	"\"MinimumAge\":\"18 Years\",\"MaximumAge\":\"N/A\"},"
	"\"ContactsLocationsModule\":{\"LocationList\":{\"Location\":[{"
	"\"LocationFacility\":\"Classic Hospital\",\"LocationStatus\":"
	"\"Recruiting\",\"LocationCity\":\"Leeds\",\"LocationZip\":"
	"\"LS9 7TF\",\"LocationCountry\":\"United Kingdom\"}]}}},"
	"\"DerivedSection\":{\"ConditionBrowseModule\":{\"ConditionMeshList\":"
	"{\"ConditionMesh\":[{\"ConditionMeshId\":\"D012004\","
	"\"ConditionMeshTerm\":\"Rectal Neoplasms\"}]}}}}},"
	"{\"Rank\":2,\"Study\":{\"ProtocolSection\":{\"IdentificationModule\":"
	"{\"NCTId\":\"NCT91000012\"},\"DesignModule\":{\"StudyType\":"
	"\"Observational\",\"PatientRegistry\":\"Yes\",\"PhaseList\":{"
	"\"Phase\":[\"Not Applicable\"]}}}}}]}}";

Test(json, classic_full_studies_response)
{
	struct run r;
	ctm_trial *t;

	read_str(classic_doc, &r);
	cr_assert_eq(r.n_err, 0, "%s", r.err[0].message);
	cr_assert_eq(r.n, 2);
	t = r.t[0];
	cr_expect_str_eq(t->nct_id, "NCT91000011");
	cr_expect_str_eq(t->brief_title, "Classic Fixture One");
	cr_expect_str_eq(t->official_title, "The Classic Fixture One Study");
	cr_expect_eq(t->status, CTM_STATUS_ACTIVE_NOT_RECRUITING);
	cr_expect_str_eq(t->phase, "Phase 1/Phase 2");
	cr_expect_str_eq(t->study_type, "Interventional");
	cr_expect_str_eq(t->lead_sponsor, "Classic Sponsor");
	EXPECT_LIST(t->conditions, t->n_conditions, "Rectal Cancer");
	EXPECT_LIST(t->keywords, t->n_keywords, "rectum", "TNT");
	EXPECT_LIST(t->condition_mesh, t->n_condition_mesh, "Rectal Neoplasms");
	cr_assert_eq(t->n_interventions, 2);
	cr_expect_str_eq(t->interventions[0].type, "Drug");
	cr_expect_str_eq(t->interventions[0].name, "Capecitabine");
	EXPECT_LIST(t->interventions[0].other_names,
		    t->interventions[0].n_other_names, "Xeloda");
	cr_expect_str_eq(t->interventions[1].type, "Radiation");
	cr_expect_str_eq(t->criteria_text,
			 "Inclusion Criteria:\n\nRectal adenocarcinoma");
	cr_expect_eq(t->healthy_volunteers, 1);
	cr_expect_eq(t->gender, CTM_GENDER_FEMALE);
	cr_expect_float_eq(t->min_age_years, 18.0, 1e-9);
	cr_expect_eq(t->max_age_years, CTM_AGE_UNBOUNDED);
	cr_assert_eq(t->n_locations, 1);
	expect_location(&t->locations[0], "Classic Hospital", "Leeds", NULL,
			"LS9 7TF", "United Kingdom", "Recruiting");
	cr_expect_eq(t->first_posted, 20210303);
	cr_expect_eq(t->last_update, 20220604);
	cr_expect_eq(t->download_date, 20231017); /* DataVrs */

	t = r.t[1];
	cr_expect_str_eq(t->nct_id, "NCT91000012");
	cr_expect_str_eq(t->study_type, "Observational [Patient Registry]");
	cr_expect_str_eq(t->phase, "N/A");
	cr_expect_eq(t->download_date, 20231017);
	run_free(&r);
}

Test(json, bare_classic_study_object)
{
	struct run r;

	read_str("{\"Study\":{\"ProtocolSection\":{\"IdentificationModule\":"
		 "{\"NCTId\":\"NCT91000013\"},\"StatusModule\":{"
		 "\"OverallStatus\":\"Unknown status\"}}}}",
		 &r);
	cr_assert_eq(r.n_err, 0, "%s", r.err[0].message);
	cr_assert_eq(r.n, 1);
	cr_expect_str_eq(r.t[0]->nct_id, "NCT91000013");
	cr_expect_eq(r.t[0]->status, CTM_STATUS_UNKNOWN);
	cr_expect_eq(r.t[0]->download_date, 0);
	run_free(&r);
}

/* {"protocolSection": {...}} with the given design module members. */
static void read_design(const char *design, struct run *r)
{
	char doc[512];

	snprintf(doc, sizeof(doc),
		 "{\"protocolSection\":{\"identificationModule\":{\"nctId\":"
		 "\"NCT91000020\"},\"designModule\":{%s}}}",
		 design);
	read_str(doc, r);
	cr_assert_eq(r->n_err, 0, "%s: %s", design, r->err[0].message);
	cr_assert_eq(r->n, 1);
}

Test(json, phase_and_study_type_codes)
{
	static const struct {
		const char *design, *phase, *type;
	} rows[] = {
		{"\"phases\":[\"EARLY_PHASE1\"]", "Early Phase 1", NULL},
		{"\"phases\":[\"NA\"]", "N/A", NULL},
		{"\"phases\":[\"PHASE4\"]", "Phase 4", NULL},
		{"\"phases\":[\"phase1\",\"PHASE2\"]", "Phase 1/Phase 2", NULL},
		/* unknown codes are kept as they are */
		{"\"phases\":[\"PHASE5\"]", "PHASE5", NULL},
		{"\"phases\":[]", NULL, NULL},
		{"\"phases\":null,\"studyType\":null", NULL, NULL},
		{"\"studyType\":\"EXPANDED_ACCESS\"", NULL, "Expanded Access"},
		{"\"studyType\":\"OBSERVATIONAL\",\"patientRegistry\":false",
		 NULL, "Observational"},
		{"\"studyType\":\"INTERVENTIONAL\",\"patientRegistry\":true",
		 NULL, "Interventional"},
		{"\"studyType\":\"NEW_KIND\"", NULL, "NEW_KIND"},
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		read_design(rows[i].design, &r);
		if (rows[i].phase)
			cr_expect_str_eq(r.t[0]->phase, rows[i].phase, "%s",
					 rows[i].design);
		else
			cr_expect_null(r.t[0]->phase, "%s", rows[i].design);
		if (rows[i].type)
			cr_expect_str_eq(r.t[0]->study_type, rows[i].type, "%s",
					 rows[i].design);
		else
			cr_expect_null(r.t[0]->study_type, "%s",
				       rows[i].design);
		run_free(&r);
	}
}

Test(json, null_counts_as_absent_and_unknown_codes_are_kept)
{
	struct run r;
	ctm_trial *t;

	read_str("{\"protocolSection\":{\"identificationModule\":{\"nctId\":"
		 "\"NCT91000021\",\"officialTitle\":null},\"statusModule\":{"
		 "\"overallStatus\":\"\",\"studyFirstPostDateStruct\":null,"
		 "\"lastUpdateSubmitDate\":\"\"},\"eligibilityModule\":{"
		 "\"sex\":\"\",\"minimumAge\":null,\"healthyVolunteers\":"
		 "null},\"armsInterventionsModule\":{\"interventions\":[{"
		 "\"type\":\"GENE_THERAPY\",\"name\":\"X\"},{}]},"
		 "\"contactsLocationsModule\":{\"locations\":[{\"status\":"
		 "\"PAUSED\"}]}}}",
		 &r);
	cr_assert_eq(r.n_err, 0, "%s", r.err[0].message);
	cr_assert_eq(r.n, 1);
	t = r.t[0];
	cr_expect_null(t->official_title);
	cr_expect_eq(t->status, CTM_STATUS_UNKNOWN);
	cr_expect_eq(t->first_posted, 0);
	cr_expect_eq(t->last_update, 0);
	cr_expect(t->has_eligibility);
	cr_expect_null(t->criteria_text);
	cr_expect_eq(t->gender, CTM_GENDER_UNSPECIFIED);
	cr_expect_eq(t->min_age_years, CTM_AGE_UNBOUNDED);
	cr_expect_eq(t->healthy_volunteers, -1);
	cr_assert_eq(t->n_interventions, 2);
	cr_expect_str_eq(t->interventions[0].type, "GENE_THERAPY");
	cr_expect_null(t->interventions[1].type);
	cr_expect_null(t->interventions[1].name);
	cr_assert_eq(t->n_locations, 1);
	expect_location(&t->locations[0], NULL, NULL, NULL, NULL, NULL,
			"PAUSED");
	run_free(&r);
}

/* Many studies from a file bigger than the reader's window, and a study
 * bigger than it: the same trials as from memory. */
Test(json, file_and_memory_give_the_same_studies)
{
	char *dir = tu_tmpdir(), path[4096], *one, *doc, *crit;
	size_t len, i, n = 1000, big = 900 * 1024;
	struct run a, b;
	int k;

	cr_assert_not_null(dir);
	one = compact("NCT91000001.json");
	len = strlen(one);
	doc = malloc(n * (len + 1) + 1);
	cr_assert_not_null(doc);
	for (i = 0; i < n; i++) {
		memcpy(doc + i * (len + 1), one, len);
		/* NCT91000001 -> NCT9100xxxx: a different id per line */
		memcpy(strstr(doc + i * (len + 1), "NCT91000001") + 7,
		       (char[5]){(char)('0' + i / 1000 % 10),
				 (char)('0' + i / 100 % 10),
				 (char)('0' + i / 10 % 10),
				 (char)('0' + i % 10), 0},
		       4);
		doc[i * (len + 1) + len] = '\n';
	}
	doc[n * (len + 1)] = '\0';
	free(one);
	snprintf(path, sizeof(path), "%s/many.ndjson", dir);
	cr_assert_eq(tu_write_file(path, doc, strlen(doc)), 0);
	read_path(path, &a);
	read_str(doc, &b);
	cr_assert_eq(a.n_err, 0, "%s", a.err[0].message);
	cr_assert_eq(a.n, (int)n);
	cr_assert_eq(b.n, (int)n);
	for (k = 0; k < a.n; k++) {
		char want[16];

		snprintf(want, sizeof(want), "NCT9100%04d", k % 10000);
		cr_expect_str_eq(a.t[k]->nct_id, want);
		cr_expect_str_eq(b.t[k]->nct_id, want);
		cr_expect_str_eq(a.t[k]->criteria_text, crit1);
	}
	run_free(&a);
	run_free(&b);
	free(doc);

	/* one study of about 1 MB, in a search response */
	crit = malloc(big + 1);
	cr_assert_not_null(crit);
	for (i = 0; i < big; i++)
		crit[i] = i % 64 == 63 ? '\n' : (char)('a' + i % 26);
	crit[big] = '\0';
	{
		json_t *v = json_pack(
			"{s:[{s:{s:{s:s},s:{s:s}}},{s:{s:{s:s}}}],"
			"s:s}",
			"studies", "protocolSection", "identificationModule",
			"nctId", "NCT91000030", "eligibilityModule",
			"eligibilityCriteria", crit, "protocolSection",
			"identificationModule", "nctId", "NCT91000031",
			"nextPageToken", "t");

		cr_assert_not_null(v);
		doc = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(v);
		cr_assert_not_null(doc);
	}
	snprintf(path, sizeof(path), "%s/big.json", dir);
	cr_assert_eq(tu_write_file(path, doc, strlen(doc)), 0);
	read_path(path, &a);
	cr_assert_eq(a.n_err, 0, "%s", a.err[0].message);
	cr_assert_eq(a.n, 2);
	cr_expect_str_eq(a.t[0]->nct_id, "NCT91000030");
	cr_expect_str_eq(a.t[0]->criteria_text, crit);
	cr_expect_str_eq(a.t[1]->nct_id, "NCT91000031");
	run_free(&a);
	free(doc);
	free(crit);
}
