/*
 * test_profile.c - one patient profile from JSON (spec/patient-profile.md):
 * every field, unknown vs empty, synonyms, warnings, and every kind of bad
 * profile with its exact error. Expected values are written from the spec
 * and the inputs below, not from the parser's output.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/parsers.h>

#define TODAY 20240615

static ctm_lexicon *lx;

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
}

static void teardown(void)
{
	ctm_lexicon_free(lx);
}

TestSuite(profile, .init = setup, .fini = teardown);

/* A concept that must exist in the built-in lexicon. */
static ctm_concept need(ctm_concept_type t, const char *name)
{
	ctm_concept c = ctm_lexicon_concept(lx, t, name);

	cr_assert_neq(c, 0, "the lexicon has no '%s'", name);
	return c;
}

static ctm_profile *parse_ok(const char *json)
{
	ctm_profile *p = NULL;
	ctm_error e;
	int rc =
		ctm_profile_parse_flags(json, strlen(json), "t.json", lx, TODAY,
					CTM_PROFILE_SHOW_VALUES, &p, &e);

	cr_assert_eq(rc, 0, "%s: %s", json, e.message);
	cr_assert_not_null(p);
	return p;
}

static int parse_err(const char *json, ctm_error *e)
{
	ctm_profile *p = (ctm_profile *)1;
	/* messages with the values (CTM_PROFILE_SHOW_VALUES); the same
	 * without them: values_are_left_out_unless_asked_for */
	int rc = ctm_profile_parse_flags(json, strlen(json), "t.json", lx,
					 TODAY, CTM_PROFILE_SHOW_VALUES, &p, e);

	cr_assert_neq(rc, 0, "accepted: %s", json);
	cr_assert_null(p);
	cr_assert_str_eq(e->file, "t.json");
	return rc;
}

/* {"id": "X", <body>} */
static ctm_profile *with(const char *body)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "{\"id\": \"X\", %s}", body);
	return parse_ok(buf);
}

static int with_err(const char *body, ctm_error *e)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "{\"id\": \"X\", %s}", body);
	return parse_err(buf, e);
}

/* The value of lab `name` in p, or NAN. */
static double lab(const ctm_profile *p, const char *name)
{
	return ctm_profile_lab(p, need(CTM_CT_LAB, name));
}

static void expect_unknown_labs(const ctm_profile *p)
{
	cr_expect_eq(p->n_labs, 0);
	cr_expect(isnan(lab(p, "anc")) && isnan(lab(p, "platelets")) &&
		  isnan(lab(p, "hemoglobin")));
	cr_expect(isnan(lab(p, "bilirubin")) && isnan(lab(p, "ast")) &&
		  isnan(lab(p, "alt")) &&
		  isnan(lab(p, "creatinine_clearance")));
}

/* The example of spec/patient-profile.md, word for word. */
static const char spec_example[] =
	"{\n"
	"  \"id\": \"P-0042\",\n"
	"  \"age\": 61, \"sex\": \"female\",\n"
	"  \"diagnosis\": \"colon adenocarcinoma\", \"stage\": \"IV\",\n"
	"  \"metastatic_sites\": [\"liver\", \"peritoneum\"], "
	"\"brain_metastases\": \"none\",\n"
	"  \"measurable_disease\": true, \"ecog\": 1,\n"
	"  \"biomarkers\": [\n"
	"    {\"name\": \"KRAS\", \"status\": \"wild-type\"}, {\"name\": "
	"\"NRAS\", \"status\": \"wild-type\"},\n"
	"    {\"name\": \"BRAF\", \"status\": \"mutated\", \"variant\": "
	"\"V600E\"},\n"
	"    {\"name\": \"MSI\", \"status\": \"stable\"}\n"
	"  ],\n"
	"  \"prior_therapies\": [\n"
	"    {\"name\": \"FOLFOX\", \"line\": 1, \"setting\": \"metastatic\", "
	"\"progressed\": true},\n"
	"    {\"name\": \"bevacizumab\", \"line\": 1, \"setting\": "
	"\"metastatic\"}\n"
	"  ],\n"
	"  \"location\": {\"country\": \"United States\", \"state\": \"New "
	"York\"}\n"
	"}\n";

Test(profile, spec_example_gives_every_field_exactly)
{
	ctm_profile *p = parse_ok(spec_example);
	const ctm_biomarker *b = p->biomarkers;
	const ctm_therapy *t = p->therapies;

	cr_expect_str_eq(p->id, "P-0042");
	cr_expect_eq(p->age, 61.0);
	cr_expect_eq(p->sex, CTM_GENDER_FEMALE);
	cr_expect_str_eq(p->diagnosis, "colon adenocarcinoma");
	cr_expect_eq(p->diagnosis_concept,
		     need(CTM_CT_DISEASE, "colon adenocarcinoma"));
	cr_expect_eq(p->stage, 4);
	cr_expect_str_eq(p->stage_text, "IV");
	cr_expect_eq(p->metastatic,
		     -1); /* not given; stage IV does not set it */
	cr_expect(p->has_sites);
	cr_assert_eq(p->n_sites, 2);
	cr_expect_eq(p->sites[0], need(CTM_CT_SITE, "liver"));
	cr_expect_eq(p->sites[1], need(CTM_CT_SITE, "peritoneum"));
	cr_expect_eq(p->brain, CTM_BRAIN_NONE);
	cr_expect_eq(p->resectable, -1);
	cr_expect_eq(p->measurable, 1);
	cr_expect_eq(p->ecog, 1);
	cr_expect_eq(p->karnofsky, -1);
	cr_expect_eq(p->pregnant, -1);

	cr_expect(p->has_biomarkers);
	cr_assert_eq(p->n_biomarkers, 4);
	cr_expect_str_eq(b[0].name, "KRAS");
	cr_expect_eq(b[0].gene, need(CTM_CT_GENE, "KRAS"));
	cr_expect_eq(b[0].status, CTM_BM_WILDTYPE);
	cr_expect_eq(b[0].variant, 0);
	cr_expect_null(b[0].variant_text);
	cr_expect(isnan(b[0].value));
	cr_expect_eq(b[1].gene, need(CTM_CT_GENE, "NRAS"));
	cr_expect_eq(b[1].status, CTM_BM_WILDTYPE);
	cr_expect_eq(b[2].gene, need(CTM_CT_GENE, "BRAF"));
	cr_expect_eq(b[2].status, CTM_BM_MUTATED);
	cr_expect_eq(b[2].variant, need(CTM_CT_VARIANT, "BRAF V600E"));
	cr_expect_str_eq(b[2].variant_text, "V600E");
	cr_expect_eq(b[3].gene, need(CTM_CT_MARKER, "MSI"));
	cr_expect_eq(b[3].status, CTM_BM_STABLE);

	cr_expect(p->has_therapies);
	cr_assert_eq(p->n_therapies, 2);
	cr_expect_str_eq(t[0].name, "FOLFOX");
	cr_expect_eq(t[0].concept, need(CTM_CT_REGIMEN, "FOLFOX"));
	cr_expect_eq(t[0].line, 1);
	cr_expect_eq(t[0].setting, CTM_SETTING_METASTATIC);
	cr_expect_eq(t[0].progressed, 1);
	cr_expect_eq(t[0].end_date, 0);
	cr_expect_str_eq(t[1].name, "bevacizumab");
	cr_expect_eq(t[1].concept, need(CTM_CT_DRUG, "bevacizumab"));
	cr_expect_eq(t[1].line, 1);
	cr_expect_eq(t[1].setting, CTM_SETTING_METASTATIC);
	cr_expect_eq(t[1].progressed, -1);

	expect_unknown_labs(p);
	cr_expect_str_eq(p->country, "United States");
	cr_expect_str_eq(p->state, "New York");
	cr_expect_null(p->city);
	cr_expect_null(p->zip);
	cr_expect_eq(p->n_warnings, 0, "first warning: %s",
		     p->n_warnings ? p->warnings[0] : "");
	ctm_profile_free(p);
}

Test(profile, absent_keys_are_unknown)
{
	ctm_profile *p = parse_ok("{\"id\": \"P1\"}");

	cr_expect_str_eq(p->id, "P1");
	cr_expect_eq(p->age, -1.0);
	cr_expect_eq(p->sex, CTM_GENDER_UNSPECIFIED);
	cr_expect_null(p->diagnosis);
	cr_expect_eq(p->diagnosis_concept, 0);
	cr_expect_eq(p->stage, -1);
	cr_expect_null(p->stage_text);
	cr_expect_eq(p->metastatic, -1);
	cr_expect(!p->has_sites);
	cr_expect_eq(p->brain, CTM_BRAIN_UNKNOWN);
	cr_expect_eq(p->resectable, -1);
	cr_expect_eq(p->measurable, -1);
	cr_expect_eq(p->ecog, -1);
	cr_expect_eq(p->karnofsky, -1);
	cr_expect(!p->has_biomarkers);
	cr_expect(!p->has_therapies);
	cr_expect_eq(p->pregnant, -1);
	expect_unknown_labs(p);
	cr_expect_null(p->country);
	cr_expect_eq(p->n_warnings, 0);
	ctm_profile_free(p);
}

Test(profile, present_empty_lists_are_complete)
{
	ctm_profile *p = with("\"metastatic_sites\": [], \"biomarkers\": [], "
			      "\"prior_therapies\": []");

	cr_expect(p->has_sites);
	cr_expect_eq(p->n_sites, 0);
	cr_expect(p->has_biomarkers);
	cr_expect_eq(p->n_biomarkers, 0);
	cr_expect(p->has_therapies);
	cr_expect_eq(p->n_therapies, 0);
	ctm_profile_free(p);
}

/* Decision: null (and a blank string) means the same as an absent key. */
Test(profile, null_and_blank_strings_are_unknown)
{
	ctm_profile *p = with(
		"\"age\": null, \"sex\": null, \"diagnosis\": \"  \", "
		"\"stage\": null, \"metastatic\": null, "
		"\"metastatic_sites\": null, \"brain_metastases\": \"\", "
		"\"resectable\": null, \"ecog\": null, \"karnofsky\": null, "
		"\"biomarkers\": null, \"prior_therapies\": null, "
		"\"labs\": {\"anc\": null}, \"pregnant\": null, "
		"\"location\": {\"city\": null, \"zip\": \"\"}");

	cr_expect_eq(p->age, -1.0);
	cr_expect_eq(p->sex, CTM_GENDER_UNSPECIFIED);
	cr_expect_null(p->diagnosis);
	cr_expect_eq(p->stage, -1);
	cr_expect_eq(p->metastatic, -1);
	cr_expect(!p->has_sites);
	cr_expect_eq(p->brain, CTM_BRAIN_UNKNOWN);
	cr_expect_eq(p->resectable, -1);
	cr_expect_eq(p->ecog, -1);
	cr_expect(!p->has_biomarkers);
	cr_expect(!p->has_therapies);
	cr_expect(isnan(lab(p, "anc")));
	cr_expect_eq(p->pregnant, -1);
	cr_expect_null(p->city);
	cr_expect_null(p->zip);
	cr_expect_eq(p->n_warnings, 0);
	ctm_profile_free(p);
}

Test(profile, every_scalar_field)
{
	ctm_profile *p =
		with("\"age\": 0, \"sex\": \"MALE\", \"resectable\": true, "
		     "\"measurable_disease\": false, \"pregnant\": false, "
		     "\"metastatic\": false, \"ecog\": 5, \"karnofsky\": 100, "
		     "\"brain_metastases\": \"Treated-Stable\", "
		     "\"labs\": {\"anc\": 1.5, \"platelets\": 100, "
		     "\"hemoglobin\": 9, "
		     "\"bilirubin_x_uln\": 1.2, \"ast_x_uln\": 2.5, "
		     "\"alt_x_uln\": 0, "
		     "\"creatinine_clearance\": 60.5}, "
		     "\"location\": {\"country\": \"Canada\", \"state\": "
		     "\"Ontario\", "
		     "\"city\": \" Toronto \", \"zip\": \"M5G 2M9\"}");

	cr_expect_eq(p->age, 0.0);
	cr_expect_eq(p->sex, CTM_GENDER_MALE);
	cr_expect_eq(p->resectable, 1);
	cr_expect_eq(p->measurable, 0);
	cr_expect_eq(p->pregnant, 0);
	cr_expect_eq(p->metastatic, 0);
	cr_expect_eq(p->stage, -1);
	cr_expect_eq(p->ecog, 5);
	cr_expect_eq(p->karnofsky, 100);
	cr_expect_eq(p->brain, CTM_BRAIN_TREATED_STABLE);
	cr_expect_eq(lab(p, "anc"), 1.5);
	cr_expect_eq(lab(p, "platelets"), 100.0);
	cr_expect_eq(lab(p, "hemoglobin"), 9.0);
	cr_expect_eq(lab(p, "bilirubin"), 1.2);
	cr_expect_eq(lab(p, "ast"), 2.5);
	cr_expect_eq(lab(p, "alt"), 0.0);
	cr_expect_eq(lab(p, "creatinine_clearance"), 60.5);
	cr_expect_str_eq(p->country, "Canada");
	cr_expect_str_eq(p->state, "Ontario");
	cr_expect_str_eq(p->city, "Toronto");
	cr_expect_str_eq(p->zip, "M5G 2M9");
	ctm_profile_free(p);
}

Test(profile, brain_metastases_values)
{
	static const struct {
		const char *in;
		ctm_brain_status out;
	} cases[] = {
		{"none", CTM_BRAIN_NONE},
		{"treated_stable", CTM_BRAIN_TREATED_STABLE},
		{"treated stable", CTM_BRAIN_TREATED_STABLE},
		{"active", CTM_BRAIN_ACTIVE},
		{"ACTIVE", CTM_BRAIN_ACTIVE},
	};
	size_t i;
	char body[128];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctm_profile *p;
		snprintf(body, sizeof(body), "\"brain_metastases\": \"%s\"",
			 cases[i].in);
		p = with(body);
		cr_expect_eq(p->brain, cases[i].out, "%s", cases[i].in);
		ctm_profile_free(p);
	}
}

Test(profile, birth_date_gives_whole_years_on_today)
{
	static const struct {
		const char *birth;
		int32_t today;
		double age;
	} cases[] = {
		{"1960-06-15", 20240615, 64}, /* birthday today */
		{"1960-06-16", 20240615, 63}, /* tomorrow */
		{"1960-01-01", 20240615, 64}, {"2000-02-29", 20240228, 23},
		{"2000-02-29", 20240229, 24}, {"2024-06-15", 20240615, 0},
	};
	size_t i;
	char buf[128];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctm_profile *p;
		ctm_error e;
		snprintf(buf, sizeof(buf),
			 "{\"id\": \"B\", \"birth_date\": \"%s\"}",
			 cases[i].birth);
		cr_assert_eq(ctm_profile_parse(buf, strlen(buf), "b.json", lx,
					       cases[i].today, &p, &e),
			     0, "%s", e.message);
		cr_expect_eq(p->age, cases[i].age, "%s on %d: %g",
			     cases[i].birth, cases[i].today, p->age);
		ctm_profile_free(p);
	}
}

Test(profile, age_and_birth_date_must_agree)
{
	ctm_profile *p = with("\"age\": 63, \"birth_date\": \"1960-06-16\"");
	ctm_error e;

	cr_expect_eq(p->age, 63.0);
	ctm_profile_free(p);
	cr_expect_eq(
		with_err("\"age\": 64, \"birth_date\": \"1960-06-16\"", &e),
		CTM_EINVALID);
	cr_expect_str_eq(e.field, "age");
	cr_expect_str_eq(e.message,
			 "patient X: age: 64 does not agree with birth_date "
			 "1960-06-16 (63 years on 2024-06-15)");
}

Test(profile, bad_birth_dates)
{
	static const char *bad[] = {"\"1960-6-15\"", "\"15/06/1960\"",
				    "\"2023-02-30\"", "\"1960-06-15T00:00\"",
				    "19600615"};
	size_t i;
	char body[128];
	ctm_error e;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "\"birth_date\": %s", bad[i]);
		cr_expect_eq(with_err(body, &e), CTM_EINVALID, "%s", bad[i]);
		cr_expect_str_eq(e.field, "birth_date");
		cr_expect(strstr(e.message, "expected a date YYYY-MM-DD, got"),
			  "%s", e.message);
	}
	cr_expect_eq(with_err("\"birth_date\": \"2024-06-16\"", &e),
		     CTM_EINVALID);
	cr_expect_str_eq(e.message, "patient X: birth_date: 2024-06-16 is "
				    "after the match date 2024-06-15");
}

Test(profile, stage_spellings)
{
	static const struct {
		const char *in;
		int stage;
	} cases[] = {
		{"0", 0},    {"I", 1},	   {"IIA", 2},	    {"II", 2},
		{"IIIB", 3}, {"iiic", 3},  {"IV", 4},	    {"IVA", 4},
		{"ivb", 4},  {"4", 4},	   {"stage IV", 4}, {"Stage IIIb", 3},
		{"1", 1},    {" III ", 3},
	};
	static const char *bad[] = {"V",   "IIID", "stage", "5",
				    "I V", "IV-A", "four"};
	size_t i;
	char body[128];
	ctm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctm_profile *p;
		snprintf(body, sizeof(body), "\"stage\": \"%s\"", cases[i].in);
		p = with(body);
		cr_expect_eq(p->stage, cases[i].stage, "%s", cases[i].in);
		ctm_profile_free(p);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "\"stage\": \"%s\"", bad[i]);
		cr_expect_eq(with_err(body, &e), CTM_EINVALID, "%s", bad[i]);
		cr_expect_str_eq(e.field, "stage");
	}
	cr_expect_eq(with_err("\"stage\": 4", &e), CTM_EINVALID);
	cr_expect_str_eq(e.message,
			 "patient X: stage: expected \"0\", \"I\", \"II\", "
			 "\"III\" or \"IV\" with an optional sub-stage "
			 "(\"IIIB\", \"IVA\"), got 4");
}

Test(profile, stage_text_is_kept_as_given)
{
	ctm_profile *p = with("\"stage\": \"Stage IIIb\"");

	cr_expect_str_eq(p->stage_text, "Stage IIIb");
	ctm_profile_free(p);
}

Test(profile, metastatic_true_implies_stage_iv_only_when_stage_absent)
{
	ctm_profile *p = with("\"metastatic\": true");

	cr_expect_eq(p->metastatic, 1);
	cr_expect_eq(p->stage, 4);
	cr_expect_null(p->stage_text);
	ctm_profile_free(p);

	p = with("\"metastatic\": true, \"stage\": \"II\"");
	cr_expect_eq(p->stage, 2); /* stage at diagnosis, relapsed since */
	ctm_profile_free(p);

	p = with("\"metastatic\": false");
	cr_expect_eq(p->stage, -1);
	ctm_profile_free(p);
}

Test(profile, sex_values)
{
	ctm_error e;
	ctm_profile *p = with("\"sex\": \"Female\"");

	cr_expect_eq(p->sex, CTM_GENDER_FEMALE);
	ctm_profile_free(p);
	cr_expect_eq(with_err("\"sex\": \"x\"", &e), CTM_EINVALID);
	cr_expect_str_eq(e.field, "sex");
	cr_expect_str_eq(e.message, "patient X: sex: expected \"female\" or "
				    "\"male\", got \"x\"");
	cr_expect_eq(with_err("\"sex\": \"all\"", &e), CTM_EINVALID);
	cr_expect_eq(with_err("\"sex\": \"f\"", &e), CTM_EINVALID);
	cr_expect_eq(with_err("\"sex\": 1", &e), CTM_EINVALID);
	cr_expect_str_eq(e.message, "patient X: sex: expected \"female\" or "
				    "\"male\", got 1");
}

Test(profile, diagnosis_most_specific_concept)
{
	static const struct {
		const char *text, *concept;
	} cases[] = {
		{"colon adenocarcinoma", "colon adenocarcinoma"},
		{"rectal cancer", "rectal cancer"},
		{"metastatic colorectal cancer", "colorectal cancer"},
		{"adenocarcinoma of the colon", "colon adenocarcinoma"},
		/* the second is-a the first: the second wins */
		{"colorectal cancer (colon adenocarcinoma)",
		 "colon adenocarcinoma"},
		/* unrelated: the first */
		{"colon cancer and gastric cancer", "colon cancer"},
	};
	size_t i;
	char body[256];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctm_profile *p;
		snprintf(body, sizeof(body), "\"diagnosis\": \"%s\"",
			 cases[i].text);
		p = with(body);
		cr_expect_str_eq(p->diagnosis, cases[i].text);
		cr_expect_eq(p->diagnosis_concept,
			     need(CTM_CT_DISEASE, cases[i].concept), "%s -> %s",
			     cases[i].text,
			     ctm_lexicon_name(lx, p->diagnosis_concept));
		cr_expect_eq(p->n_warnings, 0);
		ctm_profile_free(p);
	}
}

Test(profile, unknown_diagnosis_is_an_error)
{
	ctm_error e;

	/* never a patient of every disease: refused, naming key and text */
	cr_expect_eq(with_err("\"diagnosis\": \"xyzzy syndrome\"", &e),
		     CTM_EINVALID);
	cr_expect_str_eq(e.field, "diagnosis");
	cr_expect(strstr(e.message, "patient X: diagnosis: 'xyzzy syndrome' "
				    "names no known disease") == e.message,
		  "%s", e.message);
}

Test(profile, site_synonyms_of_the_spec)
{
	static const struct {
		const char *in, *site;
	} cases[] = {
		{"liver", "liver"},
		{"hepatic", "liver"},
		{"lung", "lung"},
		{"pulmonary", "lung"},
		{"peritoneum", "peritoneum"},
		{"peritoneal carcinomatosis", "peritoneum"},
		{"ovary", "ovary"},
		{"brain", "brain"},
		{"CNS", "brain"},
		{"bone", "bone"},
		{"lymph_node", "lymph node"},
		{"lymph node", "lymph node"},
		{"lymph nodes", "lymph node"},
		{"adrenal", "adrenal"},
		{"Liver metastases", "liver"},
	};
	size_t i;
	char body[256];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctm_profile *p;
		snprintf(body, sizeof(body), "\"metastatic_sites\": [\"%s\"]",
			 cases[i].in);
		p = with(body);
		cr_expect(p->has_sites);
		cr_assert_eq(p->n_sites, 1, "%s", cases[i].in);
		cr_expect_eq(p->sites[0], need(CTM_CT_SITE, cases[i].site),
			     "%s -> %s", cases[i].in,
			     ctm_lexicon_name(lx, p->sites[0]));
		cr_expect_eq(p->n_warnings, 0, "%s", cases[i].in);
		ctm_profile_free(p);
	}
}

Test(profile, sites_are_deduplicated_and_split)
{
	ctm_profile *p = with("\"metastatic_sites\": [\"liver\", \"hepatic\", "
			      "\"liver and lung\"]");

	cr_assert_eq(p->n_sites, 2);
	cr_expect_eq(p->sites[0], need(CTM_CT_SITE, "liver"));
	cr_expect_eq(p->sites[1], need(CTM_CT_SITE, "lung"));
	ctm_profile_free(p);
}

Test(profile, unknown_site_is_other_or_makes_the_list_unknown)
{
	ctm_profile *p = with("\"metastatic_sites\": [\"liver\", \"spleen\"]");
	ctm_concept other = ctm_lexicon_concept(lx, CTM_CT_SITE, "other");

	cr_assert_eq(p->n_warnings, 1);
	if (other) {
		cr_expect(p->has_sites);
		cr_assert_eq(p->n_sites, 2);
		cr_expect_eq(p->sites[1], other);
		cr_expect_str_eq(p->warnings[0],
				 "metastatic_sites[1]: 'spleen' is not a known "
				 "site; counted as 'other'");
	} else {
		cr_expect(!p->has_sites);
		cr_expect_str_eq(p->warnings[0],
				 "metastatic_sites[1]: 'spleen' is not a known "
				 "site; the site list is taken as incomplete");
	}
	ctm_profile_free(p);
}

Test(profile, biomarker_spellings_of_the_spec)
{
	static const struct {
		const char *name, *status; /* status NULL: not given */
		ctm_concept_type type;
		const char *gene;
		ctm_bm_status out;
	} cases[] = {
		{"KRAS", "wt", CTM_CT_GENE, "KRAS", CTM_BM_WILDTYPE},
		{"KRAS", "wildtype", CTM_CT_GENE, "KRAS", CTM_BM_WILDTYPE},
		{"KRAS", "Wild Type", CTM_CT_GENE, "KRAS", CTM_BM_WILDTYPE},
		{"NRAS", "mutant", CTM_CT_GENE, "NRAS", CTM_BM_MUTATED},
		{"NRAS", "mutated", CTM_CT_GENE, "NRAS", CTM_BM_MUTATED},
		{"ERBB2", "amplified", CTM_CT_GENE, "ERBB2", CTM_BM_AMPLIFIED},
		{"ERBB2", "not-amplified", CTM_CT_GENE, "ERBB2",
		 CTM_BM_NOT_AMPLIFIED},
		{"HER2", "amplified", CTM_CT_GENE, "ERBB2", CTM_BM_AMPLIFIED},
		{"HER2", "positive", CTM_CT_GENE, "ERBB2", CTM_BM_AMPLIFIED},
		{"HER2", "negative", CTM_CT_GENE, "ERBB2",
		 CTM_BM_NOT_AMPLIFIED},
		{"HER2+", NULL, CTM_CT_GENE, "ERBB2", CTM_BM_AMPLIFIED},
		{"HER2-", NULL, CTM_CT_GENE, "ERBB2", CTM_BM_NOT_AMPLIFIED},
		{"HER2+", "amplified", CTM_CT_GENE, "ERBB2", CTM_BM_AMPLIFIED},
		{"NTRK1", "fusion", CTM_CT_GENE, "NTRK1", CTM_BM_FUSION},
		{"MSI-H", NULL, CTM_CT_MARKER, "MSI", CTM_BM_HIGH},
		{"MSS", NULL, CTM_CT_MARKER, "MSI", CTM_BM_STABLE},
		{"dMMR", NULL, CTM_CT_MARKER, "MMR", CTM_BM_DEFICIENT},
		{"pMMR", NULL, CTM_CT_MARKER, "MMR", CTM_BM_PROFICIENT},
		{"MSI", "high", CTM_CT_MARKER, "MSI", CTM_BM_HIGH},
		{"MSI", "MSI-H", CTM_CT_MARKER, "MSI", CTM_BM_HIGH},
		{"MSI", "low", CTM_CT_MARKER, "MSI", CTM_BM_LOW},
		{"MSI", "stable", CTM_CT_MARKER, "MSI", CTM_BM_STABLE},
		{"MSI", "MSS", CTM_CT_MARKER, "MSI", CTM_BM_STABLE},
		{"MMR", "deficient", CTM_CT_MARKER, "MMR", CTM_BM_DEFICIENT},
		{"MMR", "dMMR", CTM_CT_MARKER, "MMR", CTM_BM_DEFICIENT},
		{"MMR", "proficient", CTM_CT_MARKER, "MMR", CTM_BM_PROFICIENT},
		{"MMR", "pMMR", CTM_CT_MARKER, "MMR", CTM_BM_PROFICIENT},
		{"TMB", "high", CTM_CT_MARKER, "TMB", CTM_BM_HIGH},
		{"TMB", "low", CTM_CT_MARKER, "TMB", CTM_BM_LOW},
		{"PD-L1", "positive", CTM_CT_MARKER, "PD-L1", CTM_BM_POSITIVE},
		{"PD-L1", "negative", CTM_CT_MARKER, "PD-L1", CTM_BM_NEGATIVE},
		{"PD-L1", "high", CTM_CT_MARKER, "PD-L1", CTM_BM_HIGH},
	};
	size_t i;
	char body[256];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctm_profile *p;
		if (cases[i].status)
			snprintf(body, sizeof(body),
				 "\"biomarkers\": [{\"name\": \"%s\", "
				 "\"status\": \"%s\"}]",
				 cases[i].name, cases[i].status);
		else
			snprintf(body, sizeof(body),
				 "\"biomarkers\": [{\"name\": \"%s\"}]",
				 cases[i].name);
		p = with(body);
		cr_assert_eq(p->n_biomarkers, 1);
		cr_expect_str_eq(p->biomarkers[0].name, cases[i].name);
		cr_expect_eq(p->biomarkers[0].gene,
			     need(cases[i].type, cases[i].gene), "%s %s",
			     cases[i].name,
			     cases[i].status ? cases[i].status : "");
		cr_expect_eq(p->biomarkers[0].status, cases[i].out, "%s %s: %s",
			     cases[i].name,
			     cases[i].status ? cases[i].status : "",
			     ctm_bm_status_name(p->biomarkers[0].status));
		cr_expect_eq(p->n_warnings, 0, "%s", cases[i].name);
		ctm_profile_free(p);
	}
}

Test(profile, variants)
{
	ctm_concept kras = need(CTM_CT_GENE, "KRAS");
	ctm_concept g12c = need(CTM_CT_VARIANT, "KRAS G12C");
	ctm_profile *p = with(
		"\"biomarkers\": ["
		"{\"name\": \"KRAS\", \"status\": \"mutated\", \"variant\": "
		"\"G12C\"},"
		"{\"name\": \"KRAS\", \"variant\": \"p.G12C\"},"
		"{\"name\": \"KRAS\", \"status\": \"mutated\", \"variant\": "
		"\"KRAS G12C\"},"
		"{\"name\": \"KRAS G12C\", \"status\": \"mutated\"},"
		"{\"name\": \"BRAF\", \"status\": \"mutated\", \"variant\": "
		"\"V600E\"}]");
	const ctm_biomarker *b = p->biomarkers;

	cr_assert_eq(p->n_biomarkers, 5);
	cr_expect_eq(b[0].gene, kras);
	cr_expect_eq(b[0].variant, g12c);
	cr_expect_str_eq(b[0].variant_text, "G12C");
	cr_expect_eq(b[1].variant, g12c);
	cr_expect_eq(b[1].status, CTM_BM_MUTATED); /* implied by the variant */
	cr_expect_eq(b[2].variant, g12c);
	cr_expect_eq(b[3].gene, kras);
	cr_expect_eq(b[3].variant, g12c);
	cr_expect_null(b[3].variant_text);
	cr_expect_eq(b[4].variant, need(CTM_CT_VARIANT, "BRAF V600E"));
	cr_expect_eq(p->n_warnings, 0);
	ctm_profile_free(p);
}

Test(profile, unknown_variant_is_kept_with_a_warning)
{
	ctm_profile *p = with("\"biomarkers\": [{\"name\": \"KRAS\", "
			      "\"status\": \"mutated\", \"variant\": "
			      "\"G99Z\"}]");

	cr_expect_eq(p->biomarkers[0].variant, 0);
	cr_expect_str_eq(p->biomarkers[0].variant_text, "G99Z");
	cr_expect_eq(p->biomarkers[0].status, CTM_BM_MUTATED);
	cr_assert_eq(p->n_warnings, 1);
	cr_expect_str_eq(p->warnings[0], "biomarkers[0].variant: 'G99Z' is "
					 "not a known KRAS variant");
	ctm_profile_free(p);
}

Test(profile, unknown_gene_is_kept_with_the_nearest_term)
{
	ctm_profile *p = with("\"biomarkers\": [{\"name\": \"KRAS\", "
			      "\"status\": \"wt\"}, {\"name\": \"NRAS\", "
			      "\"status\": \"wt\"}, {\"name\": \"KRASS\", "
			      "\"status\": \"mutated\"}, {\"name\": "
			      "\"QQQQQQQQ\", \"status\": \"mutated\"}]");

	cr_assert_eq(p->n_biomarkers, 4);
	cr_expect_str_eq(p->biomarkers[2].name, "KRASS");
	cr_expect_eq(p->biomarkers[2].gene, 0);
	cr_expect_eq(p->biomarkers[2].status, CTM_BM_MUTATED);
	cr_assert_eq(p->n_warnings, 2);
	cr_expect_str_eq(p->warnings[0],
			 "biomarkers[2].name: 'KRASS' is not a known gene or "
			 "marker (nearest: KRAS)");
	cr_expect_str_eq(p->warnings[1],
			 "biomarkers[3].name: 'QQQQQQQQ' is not a known gene "
			 "or marker");
	ctm_profile_free(p);
}

Test(profile, biomarker_values)
{
	ctm_profile *p = with("\"biomarkers\": [{\"name\": \"TMB\", "
			      "\"status\": \"high\", \"value\": 46}, "
			      "{\"name\": \"TMB\", \"value\": 12.5}]");

	cr_expect_eq(p->biomarkers[0].value, 46.0);
	cr_expect_eq(p->biomarkers[0].status, CTM_BM_HIGH);
	cr_expect_eq(p->biomarkers[1].value, 12.5);
	cr_expect_eq(p->biomarkers[1].status, CTM_BM_ANY);
	ctm_profile_free(p);
}

Test(profile, bad_biomarkers)
{
	static const struct {
		const char *body, *field, *message;
	} cases[] = {
		{"\"biomarkers\": [{\"name\": \"KRAS\", \"status\": \"wt\"}, "
		 "{\"name\": \"KRAS\", \"status\": \"weird\"}]",
		 "biomarkers[1].status",
		 "patient X: biomarkers[1].status: expected mutated, "
		 "wild-type, amplified, not-amplified, fusion or "
		 "overexpressed for KRAS, got \"weird\""},
		{"\"biomarkers\": [{\"name\": \"MSI\", \"status\": "
		 "\"mutated\"}]",
		 "biomarkers[0].status",
		 "patient X: biomarkers[0].status: expected high, low or "
		 "stable for MSI, got \"mutated\""},
		{"\"biomarkers\": [{\"name\": \"MMR\", \"status\": \"high\"}]",
		 "biomarkers[0].status",
		 "patient X: biomarkers[0].status: expected deficient or "
		 "proficient for MMR, got \"high\""},
		{"\"biomarkers\": [{\"name\": \"KRSA\", \"status\": "
		 "\"weird\"}]",
		 "biomarkers[0].status",
		 "patient X: biomarkers[0].status: not a known biomarker "
		 "status: \"weird\""},
		{"\"biomarkers\": [{\"name\": \"KRAS\"}]",
		 "biomarkers[0].status",
		 "patient X: biomarkers[0].status: missing: the status of KRAS "
		 "(mutated, wild-type, high, ...)"},
		{"\"biomarkers\": [{\"name\": \"MSS\", \"status\": \"high\"}]",
		 "biomarkers[0].status",
		 "patient X: biomarkers[0].status: \"high\" contradicts the "
		 "name 'MSS' (stable)"},
		{"\"biomarkers\": [{\"status\": \"wt\"}]", "biomarkers[0].name",
		 "patient X: biomarkers[0].name: missing: a gene or marker "
		 "name (KRAS, MSI, ...)"},
		{"\"biomarkers\": [{\"name\": 7, \"status\": \"wt\"}]",
		 "biomarkers[0].name",
		 "patient X: biomarkers[0].name: expected a gene or marker "
		 "name, got 7"},
		{"\"biomarkers\": [\"KRAS\"]", "biomarkers[0]",
		 "patient X: biomarkers[0]: expected an object {\"name\", "
		 "\"status\", \"variant\", \"value\"}, got \"KRAS\""},
		{"\"biomarkers\": {\"name\": \"KRAS\"}", "biomarkers",
		 "patient X: biomarkers: expected an array of objects, got an "
		 "object"},
		{"\"biomarkers\": [{\"name\": \"TMB\", \"status\": \"high\", "
		 "\"value\": \"46\"}]",
		 "biomarkers[0].value",
		 "patient X: biomarkers[0].value: expected a number, got "
		 "\"46\""},
		{"\"biomarkers\": [{\"name\": \"BRAF\", \"status\": "
		 "\"wild-type\", \"variant\": \"V600E\"}]",
		 "biomarkers[0].variant",
		 "patient X: biomarkers[0].variant: a variant (\"V600E\") "
		 "contradicts the status wild-type"},
	};
	size_t i;
	ctm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_eq(with_err(cases[i].body, &e), CTM_EINVALID, "%s",
			     cases[i].body);
		cr_expect_str_eq(e.field, cases[i].field);
		cr_expect_str_eq(e.message, cases[i].message);
	}
}

Test(profile, therapies_resolve_to_their_concepts)
{
	ctm_profile *p = with(
		"\"prior_therapies\": ["
		"{\"name\": \"FOLFOX\", \"line\": 1, \"setting\": "
		"\"metastatic\", \"progressed\": true, \"end_date\": "
		"\"2022-03-14\"},"
		"{\"name\": \"mFOLFOX6\", \"setting\": \"Adjuvant\", "
		"\"progressed\": false},"
		"{\"name\": \"bevacizumab\", \"setting\": \"neoadjuvant\"},"
		"{\"name\": \"anti-EGFR\", \"line\": 2},"
		"{\"name\": \"liver resection\"},"
		"{\"name\": \"Erbitux\"}]");
	const ctm_therapy *t = p->therapies;
	ctm_concept folfox = need(CTM_CT_REGIMEN, "FOLFOX");

	cr_assert_eq(p->n_therapies, 6);
	cr_expect_eq(t[0].concept, folfox);
	cr_expect_eq(ctm_lexicon_type(lx, t[0].concept), CTM_CT_REGIMEN);
	cr_expect_eq(t[0].line, 1);
	cr_expect_eq(t[0].setting, CTM_SETTING_METASTATIC);
	cr_expect_eq(t[0].progressed, 1);
	cr_expect_eq(t[0].end_date, 20220314);
	cr_expect_eq(t[1].concept, folfox);
	cr_expect_str_eq(t[1].name, "mFOLFOX6");
	cr_expect_eq(t[1].line, 0);
	cr_expect_eq(t[1].setting, CTM_SETTING_ADJUVANT);
	cr_expect_eq(t[1].progressed, 0);
	cr_expect_eq(t[2].concept, need(CTM_CT_DRUG, "bevacizumab"));
	cr_expect_eq(t[2].setting, CTM_SETTING_NEOADJUVANT);
	cr_expect_eq(t[2].progressed, -1);
	cr_expect_eq(t[3].concept, need(CTM_CT_CLASS, "anti-EGFR"));
	cr_expect_eq(t[3].line, 2);
	cr_expect_eq(t[3].setting, CTM_SETTING_UNKNOWN);
	cr_expect_eq(t[4].concept, need(CTM_CT_PROCEDURE, "liver resection"));
	cr_expect_eq(t[5].concept, need(CTM_CT_DRUG, "cetuximab"));
	cr_expect_eq(p->n_warnings, 0);
	ctm_profile_free(p);
}

Test(profile, unknown_therapy_is_kept_with_the_nearest_term)
{
	ctm_profile *p = with("\"prior_therapies\": [{\"name\": \"FOLFOX\"}, "
			      "{\"name\": \"cetuximabb\", \"line\": 2}, "
			      "{\"name\": \"KRAS\"}]");

	cr_assert_eq(p->n_therapies, 3);
	cr_expect_str_eq(p->therapies[1].name, "cetuximabb");
	cr_expect_eq(p->therapies[1].concept, 0);
	cr_expect_eq(p->therapies[1].line, 2);
	cr_expect_eq(p->therapies[2].concept, 0); /* a gene is no therapy */
	cr_assert_eq(p->n_warnings, 2);
	cr_expect_str_eq(p->warnings[0],
			 "prior_therapies[1].name: 'cetuximabb' is not a "
			 "known therapy (nearest: cetuximab)");
	cr_expect(!strncmp(p->warnings[1],
			   "prior_therapies[2].name: 'KRAS' is not a known "
			   "therapy",
			   strlen("prior_therapies[2].name: 'KRAS' is not a "
				  "known therapy")),
		  "%s", p->warnings[1]);
	ctm_profile_free(p);
}

Test(profile, bad_therapies)
{
	static const struct {
		const char *body, *field, *message;
	} cases[] = {
		{"\"prior_therapies\": [{\"name\": \"FOLFOX\", \"setting\": "
		 "\"palliative\"}]",
		 "prior_therapies[0].setting",
		 "patient X: prior_therapies[0].setting: expected "
		 "\"neoadjuvant\", \"adjuvant\" or \"metastatic\", got "
		 "\"palliative\""},
		{"\"prior_therapies\": [{\"name\": \"FOLFOX\", \"line\": 0}]",
		 "prior_therapies[0].line",
		 "patient X: prior_therapies[0].line: expected an integer from "
		 "1 to 99 (the line of therapy), got 0"},
		{"\"prior_therapies\": [{\"name\": \"FOLFOX\", \"line\": "
		 "\"1\"}]",
		 "prior_therapies[0].line",
		 "patient X: prior_therapies[0].line: expected an integer from "
		 "1 to 99 (the line of therapy), got \"1\""},
		{"\"prior_therapies\": [{\"name\": \"FOLFOX\", \"progressed\": "
		 "\"yes\"}]",
		 "prior_therapies[0].progressed",
		 "patient X: prior_therapies[0].progressed: expected true or "
		 "false, got \"yes\""},
		{"\"prior_therapies\": [{\"name\": \"FOLFOX\", \"end_date\": "
		 "\"March 2022\"}]",
		 "prior_therapies[0].end_date",
		 "patient X: prior_therapies[0].end_date: expected a date "
		 "YYYY-MM-DD, got \"March 2022\""},
		{"\"prior_therapies\": [{\"line\": 1}]",
		 "prior_therapies[0].name",
		 "patient X: prior_therapies[0].name: missing: a drug, "
		 "regimen, drug class or procedure name"},
		{"\"prior_therapies\": \"FOLFOX\"", "prior_therapies",
		 "patient X: prior_therapies: expected an array of objects, "
		 "got "
		 "\"FOLFOX\""},
	};
	size_t i;
	ctm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_eq(with_err(cases[i].body, &e), CTM_EINVALID, "%s",
			     cases[i].body);
		cr_expect_str_eq(e.field, cases[i].field);
		cr_expect_str_eq(e.message, cases[i].message);
	}
}

Test(profile, labs_and_location_errors_and_warnings)
{
	ctm_error e;
	ctm_profile *p = with("\"labs\": {\"anc\": 2, \"ldh\": 300}, "
			      "\"location\": {\"city\": \"Lyon\", \"region\": "
			      "\"ARA\"}");

	cr_expect_eq(lab(p, "anc"), 2.0);
	cr_assert_eq(p->n_warnings, 2);
	cr_expect_str_eq(p->warnings[0],
			 "labs.ldh: not a known lab (anc, platelets, "
			 "hemoglobin, bilirubin_x_uln, ast_x_uln, alt_x_uln, "
			 "creatinine_clearance); ignored");
	cr_expect_str_eq(p->warnings[1],
			 "location.region: unknown key ignored");
	ctm_profile_free(p);

	cr_expect_eq(with_err("\"labs\": {\"anc\": -1}", &e), CTM_EINVALID);
	cr_expect_str_eq(e.field, "labs.anc");
	cr_expect_str_eq(e.message, "patient X: labs.anc: expected a number "
				    ">= 0, got -1");
	cr_expect_eq(with_err("\"labs\": {\"platelets\": \"150\"}", &e),
		     CTM_EINVALID);
	cr_expect_str_eq(e.field, "labs.platelets");
	cr_expect_eq(with_err("\"labs\": [1]", &e), CTM_EINVALID);
	cr_expect_str_eq(e.field, "labs");
	cr_expect_eq(with_err("\"location\": {\"zip\": 10001}", &e),
		     CTM_EINVALID);
	cr_expect_str_eq(e.field, "location.zip");
	cr_expect_str_eq(e.message, "patient X: location.zip: expected a "
				    "string, got 10001");
}

Test(profile, unknown_top_level_key_is_a_warning)
{
	ctm_profile *p = with("\"favourite_colour\": \"blue\", \"ecog\": 0");

	cr_expect_eq(p->ecog, 0);
	cr_assert_eq(p->n_warnings, 1);
	cr_expect_str_eq(p->warnings[0],
			 "favourite_colour: unknown key ignored");
	ctm_profile_free(p);
}

Test(profile, mistyped_key_gets_did_you_mean)
{
	ctm_profile *p = with("\"ecgo\": 1, \"location\": {\"contry\": "
			      "\"France\"}");

	cr_assert_eq(p->n_warnings, 2);
	/* the location object is read before the top level's keys are checked */
	cr_expect_str_eq(p->warnings[0], "location.contry: unknown key "
					 "ignored; did you mean 'country'?");
	cr_expect_str_eq(p->warnings[1],
			 "ecgo: unknown key ignored; did you mean 'ecog'?");
	ctm_profile_free(p);
}

Test(profile, scalar_errors_name_the_key_and_patient)
{
	static const struct {
		const char *body, *field, *message;
	} cases[] = {
		{"\"ecog\": 9", "ecog",
		 "patient X: ecog: expected an integer from 0 to 5, got 9"},
		{"\"ecog\": -1", "ecog",
		 "patient X: ecog: expected an integer from 0 to 5, got -1"},
		{"\"ecog\": 1.5", "ecog",
		 "patient X: ecog: expected an integer from 0 to 5, got 1.5"},
		{"\"ecog\": \"1\"", "ecog",
		 "patient X: ecog: expected an integer from 0 to 5, got \"1\""},
		{"\"karnofsky\": 85", "karnofsky",
		 "patient X: karnofsky: expected a multiple of 10 from 0 to "
		 "100, got 85"},
		{"\"karnofsky\": 110", "karnofsky",
		 "patient X: karnofsky: expected a multiple of 10 from 0 to "
		 "100, got 110"},
		{"\"age\": -3", "age",
		 "patient X: age: expected an integer from 0 to 130 (years), "
		 "got -3"},
		{"\"age\": 131", "age",
		 "patient X: age: expected an integer from 0 to 130 (years), "
		 "got 131"},
		{"\"age\": \"sixty\"", "age",
		 "patient X: age: expected an integer from 0 to 130 (years), "
		 "got \"sixty\""},
		{"\"age\": 61.5", "age",
		 "patient X: age: expected an integer from 0 to 130 (years), "
		 "got 61.5"},
		{"\"measurable_disease\": \"yes\"", "measurable_disease",
		 "patient X: measurable_disease: expected true or false, got "
		 "\"yes\""},
		{"\"metastatic\": 1", "metastatic",
		 "patient X: metastatic: expected true or false, got 1"},
		{"\"pregnant\": \"no\"", "pregnant",
		 "patient X: pregnant: expected true or false, got \"no\""},
		{"\"brain_metastases\": \"yes\"", "brain_metastases",
		 "patient X: brain_metastases: expected \"none\", "
		 "\"treated_stable\" or \"active\", got \"yes\""},
		{"\"diagnosis\": [\"colon cancer\"]", "diagnosis",
		 "patient X: diagnosis: expected a string, got an array"},
		{"\"metastatic_sites\": \"liver\"", "metastatic_sites",
		 "patient X: metastatic_sites: expected an array of site "
		 "names, got \"liver\""},
		{"\"metastatic_sites\": [\"liver\", 3]", "metastatic_sites[1]",
		 "patient X: metastatic_sites[1]: expected a site name, got 3"},
		{"\"location\": \"Paris\"", "location",
		 "patient X: location: expected an object {\"country\", "
		 "\"state\", \"city\", \"zip\"}, got \"Paris\""},
	};
	size_t i;
	ctm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_eq(with_err(cases[i].body, &e), CTM_EINVALID, "%s",
			     cases[i].body);
		cr_expect_str_eq(e.field, cases[i].field, "%s", cases[i].body);
		cr_expect_str_eq(e.message, cases[i].message);
		/* one line: the value's position in {"id": "X", <body>} */
		cr_expect_eq(e.line, 1);
		if (strpbrk(cases[i].field, "[."))
			continue;
		cr_expect_eq(e.column,
			     (int)(strlen("{\"id\": \"X\", ") +
				   (size_t)(strstr(cases[i].body, ": ") -
					    cases[i].body) +
				   3),
			     "%s: column %d", cases[i].body, e.column);
	}
}

Test(profile, id_is_required)
{
	static const struct {
		const char *json, *message;
	} cases[] = {
		{"{\"age\": 61}",
		 "id: missing: every profile needs an \"id\" string"},
		{"{\"id\": null}",
		 "id: missing: every profile needs an \"id\" string"},
		{"{\"id\": 42}",
		 "id: expected a string of 1 to 128 bytes, got 42"},
		{"{\"id\": \"  \"}",
		 "id: expected a string of 1 to 128 bytes, got \"  \""},
		{"{\"id\": \"a\\nb\"}", "id: a control character in \"a?b\""},
	};
	size_t i;
	ctm_error e;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_eq(parse_err(cases[i].json, &e), CTM_EINVALID);
		cr_expect_str_eq(e.field, "id");
		cr_expect_str_eq(e.message, cases[i].message);
		cr_expect_eq(e.line, 1);
		cr_expect_eq(e.column, i < 1 ? 1 : 8, "%s", cases[i].json);
	}
}

Test(profile, id_length_bound)
{
	char json[300], id[200];
	ctm_profile *p;
	ctm_error e;

	memset(id, 'a', 128);
	id[128] = '\0';
	snprintf(json, sizeof(json), "{\"id\": \"%s\"}", id);
	p = parse_ok(json);
	cr_expect_eq(strlen(p->id), 128);
	ctm_profile_free(p);
	id[128] = 'a';
	id[129] = '\0';
	snprintf(json, sizeof(json), "{\"id\": \"%s\"}", id);
	cr_expect_eq(parse_err(json, &e), CTM_EINVALID);
	cr_expect_str_eq(e.field, "id");
}

Test(profile, malformed_json_gives_janssons_line_and_column)
{
	ctm_error e;

	cr_expect_eq(parse_err("{\n  \"id\": \"a\",\n  \"age\": x\n}", &e),
		     CTM_EPARSE);
	cr_expect_eq(e.line, 3);
	cr_expect_eq(e.column, 10);
	cr_expect_str_eq(e.message, "invalid JSON: invalid token near 'x'");
	cr_expect_str_eq(e.field, "");

	cr_expect_eq(parse_err("{\"id\": \"a\", \"id\": \"b\"}", &e),
		     CTM_EPARSE);
	cr_expect_eq(e.line, 1);
	cr_expect_str_eq(e.message,
			 "invalid JSON: duplicate object key near '\"id\"'");

	cr_expect_eq(parse_err("{\"id\": \"a\",\n\"ecog\": 1,\n}", &e),
		     CTM_EPARSE);
	cr_expect_eq(e.line, 3);
	cr_expect_eq(e.column, 1);
	cr_expect_str_eq(e.message,
			 "invalid JSON: string or '}' expected near '}'");

	cr_expect_eq(parse_err("", &e), CTM_EPARSE);
	cr_expect_eq(parse_err("{\"id\": \"a\"} x", &e), CTM_EPARSE);
	cr_expect_eq(e.column, 13);
}

Test(profile, not_an_object)
{
	ctm_error e;

	cr_expect_eq(parse_err("[{\"id\": \"a\"}]", &e), CTM_EINVALID);
	cr_expect_str_eq(e.message, "expected a JSON object (one patient "
				    "profile), got an array");
	cr_expect_eq(parse_err("\"P1\"", &e), CTM_EINVALID);
}

Test(profile, bom_is_skipped)
{
	ctm_profile *p = parse_ok("\xEF\xBB\xBF{\"id\": \"P1\"}");

	cr_expect_str_eq(p->id, "P1");
	ctm_profile_free(p);
}

Test(profile, nested_errors_point_at_the_value)
{
	static const char json[] =
		"{\n"
		"  \"id\": \"P-0042\",\n"
		"  \"biomarkers\": [\n"
		"    {\"name\": \"KRAS\", \"status\": \"wt\"},\n"
		"    {\"name\": \"NRAS\", \"status\": \"bad\"}\n"
		"  ]\n"
		"}\n";
	ctm_error e;
	char buf[1024];

	cr_expect_eq(parse_err(json, &e), CTM_EINVALID);
	cr_expect_str_eq(e.field, "biomarkers[1].status");
	cr_expect_eq(e.line, 5);
	cr_expect_eq(e.column, 32);
	cr_expect(!strncmp(e.message,
			   "patient P-0042: biomarkers[1].status: expected",
			   46),
		  "%s", e.message);
	ctm_error_format(&e, buf, sizeof(buf));
	cr_expect(!strncmp(buf, "t.json:5:32: ", 13), "%s", buf);
}

Test(profile, spec_ecog_example_message)
{
	static const char json[] = "{\"id\": \"P-0042\", \"ecog\": 9}";
	ctm_error e;

	cr_expect_eq(parse_err(json, &e), CTM_EINVALID);
	cr_expect_str_eq(e.message,
			 "patient P-0042: ecog: expected an integer from 0 to "
			 "5, got 9");
	cr_expect_str_eq(e.field, "ecog");
	cr_expect_eq(e.line, 1);
	cr_expect_eq(e.column, 26);
}

Test(profile, bounds_on_size_and_lists)
{
	size_t n = 1001, i, len = 0;
	char *json = malloc(16 * n + 64);
	ctm_profile *p;
	ctm_error e;

	len += (size_t)sprintf(json, "{\"id\": \"L\", \"metastatic_sites\": [");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(json + len, "%s\"liver\"", i ? "," : "");
	strcpy(json + len, "]}");
	cr_expect_eq(parse_err(json, &e), CTM_ELIMIT);
	cr_expect_str_eq(e.field, "metastatic_sites");
	cr_expect_str_eq(e.message,
			 "patient L: metastatic_sites: more than 1000 items");
	/* 1000 is fine */
	strcpy(json + len - strlen(",\"liver\""), "]}");
	p = parse_ok(json);
	cr_expect_eq(p->n_sites, 1);
	ctm_profile_free(p);
	free(json);

	n = (1u << 20) + 16;
	json = malloc(n + 1);
	memset(json, ' ', n);
	memcpy(json, "{\"id\": \"B\"}", 11);
	json[n] = '\0';
	cr_expect_eq(ctm_profile_parse(json, n, "big.json", lx, TODAY, &p, &e),
		     CTM_ELIMIT);
	cr_expect_null(p);
	free(json);
}

/*
 * Without CTM_PROFILE_SHOW_VALUES (the default, and the CLI's when stderr
 * is not a terminal) errors and warnings name the patient and the key but
 * carry no value of the profile: nightly logs hold no clinical values
 * (issue 14). The same inputs give the values above, with the flag.
 */
Test(profile, values_are_left_out_unless_asked_for)
{
	static const struct {
		const char *body, *message;
	} errors[] = {
		{"\"ecog\": 9",
		 "patient X: ecog: expected an integer from 0 to 5"},
		{"\"karnofsky\": 85",
		 "patient X: karnofsky: expected a multiple of 10 from 0 to "
		 "100"},
		{"\"age\": 64, \"birth_date\": \"1960-06-16\"",
		 "patient X: age: does not agree with birth_date"},
		{"\"birth_date\": \"2024-06-16\"",
		 "patient X: birth_date: after the match date 2024-06-15"},
		{"\"birth_date\": \"15/06/1960\"",
		 "patient X: birth_date: expected a date YYYY-MM-DD"},
		{"\"sex\": \"F\"",
		 "patient X: sex: expected \"female\" or \"male\""},
		{"\"stage\": \"V\"",
		 "patient X: stage: expected \"0\", \"I\", \"II\", \"III\" or "
		 "\"IV\" with an optional sub-stage (\"IIIB\", \"IVA\")"},
		{"\"brain_metastases\": \"yes\"",
		 "patient X: brain_metastases: expected \"none\", "
		 "\"treated_stable\" or \"active\""},
		{"\"labs\": {\"anc\": 1200}",
		 "patient X: labs.anc: not a plausible value (0..100 10*9/L): "
		 "typed in another unit?"},
		{"\"labs\": {\"hemoglobin\": {\"value\": 105, \"unit\": "
		 "\"g/dL\"}}",
		 "patient X: labs.hemoglobin: not a plausible value (1..25 "
		 "g/dL): typed in another unit?"},
		{"\"labs\": {\"anc\": {\"value\": 2, \"unit\": \"furlong\"}}",
		 "patient X: labs.anc: unit does not convert to this lab's "
		 "unit"},
		{"\"labs\": {\"anc\": -1}",
		 "patient X: labs.anc: expected a number >= 0"},
		{"\"biomarkers\": [{\"name\": \"MSS\", \"status\": \"high\"}]",
		 "patient X: biomarkers[0].status: the status contradicts the "
		 "name"},
		{"\"biomarkers\": [{\"name\": \"KRAS\"}]",
		 "patient X: biomarkers[0].status: missing: the status "
		 "(mutated, wild-type, high, ...)"},
		{"\"biomarkers\": [{\"name\": \"KRAS\", \"status\": "
		 "\"weird\"}]",
		 "patient X: biomarkers[0].status: expected mutated, "
		 "wild-type, amplified, not-amplified, fusion or "
		 "overexpressed for KRAS"},
		{"\"biomarkers\": [{\"name\": \"KRSA\", \"status\": "
		 "\"weird\"}]",
		 "patient X: biomarkers[0].status: not a known biomarker "
		 "status"},
		{"\"biomarkers\": [{\"name\": \"BRAF\", \"status\": "
		 "\"wild-type\", \"variant\": \"V600E\"}]",
		 "patient X: biomarkers[0].variant: a variant contradicts the "
		 "status wild-type"},
		{"\"prior_therapies\": [{\"name\": \"FOLFOX\", \"setting\": "
		 "\"palliative\"}]",
		 "patient X: prior_therapies[0].setting: expected "
		 "\"neoadjuvant\", \"adjuvant\" or \"metastatic\""},
		{"\"location\": {\"zip\": 10001}",
		 "patient X: location.zip: expected a string"},
	};
	static const char warned[] =
		"{\"id\": \"X\", \"metastatic_sites\": [\"liver\", "
		"\"spleen\"], \"biomarkers\": [{\"name\": \"KRASS\", "
		"\"status\": \"mutated\"}, {\"name\": \"KRAS\", \"variant\": "
		"\"G99Z\"}], \"prior_therapies\": [{\"name\": "
		"\"cetuximabb\"}], \"ecgo\": 1}";
	char json[512];
	ctm_profile *p;
	ctm_error e;
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		snprintf(json, sizeof(json), "{\"id\": \"X\", %s}",
			 errors[i].body);
		cr_expect_eq(ctm_profile_parse(json, strlen(json), "t.json", lx,
					       TODAY, &p, &e),
			     CTM_EINVALID, "%s", json);
		cr_expect_str_eq(e.message, errors[i].message, "%s", json);
	}

	/* over 130 years (dates start in 1900: a later match date) */
	snprintf(json, sizeof(json),
		 "{\"id\": \"X\", \"birth_date\": \"1900-01-01\"}");
	cr_expect_eq(ctm_profile_parse(json, strlen(json), "t.json", lx,
				       20310615, &p, &e),
		     CTM_EINVALID);
	cr_expect_str_eq(e.message, "patient X: birth_date: gives an age of "
				    "more than 130 years on 2031-06-15");

	/* an unrecognised diagnosis: never the text */
	snprintf(json, sizeof(json),
		 "{\"id\": \"X\", \"diagnosis\": \"zqxw qrst\"}");
	cr_expect_eq(ctm_profile_parse(json, strlen(json), "t.json", lx, TODAY,
				       &p, &e),
		     CTM_EINVALID);
	cr_expect(!strncmp(e.message,
			   "patient X: diagnosis: names no known disease",
			   strlen("patient X: diagnosis: names no known "
				  "disease")),
		  "%s", e.message);
	cr_expect_null(strstr(e.message, "zqxw"), "%s", e.message);

	/* jansson's "near '<token>'" quotes the input */
	snprintf(json, sizeof(json), "{\n  \"id\": \"a\",\n  \"age\": x\n}");
	cr_expect_eq(ctm_profile_parse(json, strlen(json), "t.json", lx, TODAY,
				       &p, &e),
		     CTM_EPARSE);
	cr_expect_eq(e.line, 3);
	cr_expect_str_eq(e.message, "invalid JSON: invalid token");

	/* warnings are kept both ways: with the values for outputs, without
	 * them for logs */
	cr_assert_eq(ctm_profile_parse(warned, strlen(warned), "t.json", lx,
				       TODAY, &p, &e),
		     0, "%s", e.message);
	cr_assert_eq(p->n_warnings, 5);
	cr_expect_str_eq(p->warnings_no_values[0], "metastatic_sites[1]: not "
						   "a known site; counted as "
						   "'other'");
	cr_expect_str_eq(p->warnings_no_values[1],
			 "biomarkers[0].name: not a known gene or marker "
			 "(nearest: KRAS)");
	cr_expect_str_eq(p->warnings_no_values[2],
			 "biomarkers[1].variant: not a known variant");
	cr_expect_str_eq(p->warnings_no_values[3],
			 "prior_therapies[0].name: not a known therapy "
			 "(nearest: cetuximab)");
	cr_expect_str_eq(p->warnings_no_values[4],
			 "ecgo: unknown key ignored; did you mean 'ecog'?");
	cr_expect_str_eq(p->warnings[0], "metastatic_sites[1]: 'spleen' is "
					 "not a known site; counted as "
					 "'other'");
	cr_expect_str_eq(p->warnings[2], "biomarkers[1].variant: 'G99Z' is "
					 "not a known KRAS variant");
	cr_expect_str_eq(p->warnings[4],
			 "ecgo: unknown key ignored; did you mean 'ecog'?");
	ctm_profile_free(p);
}
