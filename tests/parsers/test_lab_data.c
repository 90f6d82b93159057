/*
 * test_lab_data.c - labs as data (issue 13): a lab that exists only as
 * lines of a lexicon file (its lab line, its measure line, its unit lines;
 * no C anywhere) is read from a JSON profile, a CSV column and a FHIR
 * Observation by its LOINC code, converted from another unit, checked for
 * plausibility, written back by ctmatch profile's formatter in the order
 * of the measure lines, and matched against criteria naming it.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/engine.h>
#include <ctm/parsers.h>

#define TODAY 20261126

/* Two labs no built-in file knows: a count (absolute monocyte count,
 * 10^9/L, converted from /uL) and one read as x ULN (GGT). */
static const char extra[] =
	"lab\tamc\tAMC|absolute monocyte count|monocyte count\t\n"
	"lab\tggt\tGGT|gamma-glutamyl transferase\t\n"
	"measure\tamc\tamc\t742-7\t10*9/L\t0..100\tcount\n"
	"measure\tggt\tggt_x_uln\t2324-2\t{ULN}\t0..500\tULN\n"
	"unit\tamc\t10*9/L\t1\n"
	"unit\tamc\t/uL\t0.001\n";

static ctm_lexicon *lx;
static ctm_matcher *m;
static ctm_criteria_parser *cp;
static ctm_concept amc, ggt;

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_lexicon_load_text(lx, "extra.tsv", extra,
					   strlen(extra), &e),
		     0, "%s:%d: %s", e.file, e.line, e.message);
	cr_assert_eq(ctm_matcher_new(&m, lx, &e), 0);
	cr_assert_eq(ctm_criteria_parser_new(&cp, lx, &e), 0, "%s", e.message);
	amc = ctm_lexicon_concept(lx, CTM_CT_LAB, "amc");
	ggt = ctm_lexicon_concept(lx, CTM_CT_LAB, "ggt");
	cr_assert(amc && ggt);
}

static void teardown(void)
{
	ctm_criteria_parser_free(cp);
	ctm_matcher_free(m);
	ctm_lexicon_free(lx);
}

TestSuite(lab_data, .init = setup, .fini = teardown);

Test(lab_data, a_lab_of_a_lexicon_file_is_read_converted_and_checked)
{
	static const struct {
		const char *labs;    /* the profile's "labs" */
		double amc, ggt;     /* read (NAN: unknown) */
		const char *message; /* or the error */
	} rows[] = {
		{"{\"amc\": 0.8}", 0.8, NAN, NULL},
		{"{\"amc\": {\"value\": 800, \"unit\": \"/uL\"}}", 0.8, NAN,
		 NULL},
		{"{\"amc\": {\"value\": 1.1, \"unit\": \"10*9/L\"}, "
		 "\"ggt_x_uln\": 2.5}",
		 1.1, 2.5, NULL},
		{"{\"ggt_x_uln\": {\"value\": 3, \"unit\": \"{ULN}\"}}", NAN,
		 3.0, NULL},
		/* typed per uL with no unit: implausible in 10^9/L */
		{"{\"amc\": 800}", NAN, NAN,
		 "patient L: labs.amc: 800 is not a plausible value (0..100 "
		 "10*9/L): typed in another unit?"},
		{"{\"amc\": {\"value\": 2, \"unit\": \"g/L\"}}", NAN, NAN,
		 "patient L: labs.amc: unit \"g/L\" does not convert to this "
		 "lab's unit"},
		{"{\"ggt_x_uln\": 900}", NAN, NAN,
		 "patient L: labs.ggt_x_uln: 900 is not a plausible value "
		 "(0..500 {ULN}): typed in another unit?"},
		{"{\"ggt_x_uln\": -1}", NAN, NAN,
		 "patient L: labs.ggt_x_uln: expected a number >= 0, got -1"},
	};
	char json[512];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_profile *p = NULL;
		ctm_error e;
		int rc;
		snprintf(json, sizeof json, "{\"id\": \"L\", \"labs\": %s}",
			 rows[i].labs);
		rc = ctm_profile_parse_flags(json, strlen(json), "l.json", lx,
					     TODAY, CTM_PROFILE_SHOW_VALUES, &p,
					     &e);
		if (rows[i].message) {
			cr_expect_eq(rc, CTM_EINVALID, "%s", json);
			cr_expect_str_eq(e.message, rows[i].message, "%s",
					 json);
			continue;
		}
		cr_assert_eq(rc, 0, "%s: %s", json, e.message);
		if (isnan(rows[i].amc))
			cr_expect(isnan(ctm_profile_lab(p, amc)), "%s", json);
		else
			cr_expect_float_eq(ctm_profile_lab(p, amc), rows[i].amc,
					   1e-9, "%s", json);
		if (isnan(rows[i].ggt))
			cr_expect(isnan(ctm_profile_lab(p, ggt)), "%s", json);
		else
			cr_expect_float_eq(ctm_profile_lab(p, ggt), rows[i].ggt,
					   1e-9, "%s", json);
		cr_expect_eq(p->n_warnings, 0, "%s", json);
		ctm_profile_free(p);
	}
}

Test(lab_data, an_unknown_lab_key_names_the_table_s_labs)
{
	static const char json[] =
		"{\"id\": \"L\", \"labs\": {\"ldh\": 300, \"amc\": 1}}";
	ctm_profile *p;
	ctm_error e;

	cr_assert_eq(ctm_profile_parse(json, strlen(json), "l.json", lx, TODAY,
				       &p, &e),
		     0, "%s", e.message);
	cr_assert_eq(p->n_warnings, 1);
	cr_expect_str_eq(p->warnings[0],
			 "labs.ldh: not a known lab (anc, platelets, "
			 "hemoglobin, bilirubin_x_uln, ast_x_uln, alt_x_uln, "
			 "creatinine_clearance, amc, ggt_x_uln); ignored");
	cr_expect_eq(ctm_profile_lab(p, amc), 1.0);
	ctm_profile_free(p);
}

/* A CSV roster has a column a lab (its key, or labs.<key>); the profile
 * as ctmatch profile prints it has the labs in the table's order. */
Test(lab_data, csv_columns_and_the_printed_profile)
{
	static const char csv[] = "id,amc,labs.ggt_x_uln,anc\n"
				  "C1,0.4,3,1.5\n";
	static const char want[] = "{\n"
				   "  \"id\": \"C1\",\n"
				   "  \"labs\": {\n"
				   "    \"anc\": 1.5,\n"
				   "    \"amc\": 0.4,\n"
				   "    \"ggt_x_uln\": 3\n"
				   "  }\n"
				   "}";
	ctm_profile_reader *r;
	ctm_profile *p;
	ctm_error e;
	char *text = NULL;

	cr_assert_eq(ctm_profile_reader_open_memory(&r, csv, strlen(csv),
						    "r.csv", lx, TODAY, &e),
		     0, "%s", e.message);
	cr_assert_eq(ctm_profile_reader_next(r, &p, &e), 1, "%s", e.message);
	cr_expect_eq(ctm_profile_lab(p, amc), 0.4);
	cr_expect_eq(ctm_profile_lab(p, ggt), 3.0);
	cr_assert_eq(ctm_profile_format_json(&text, p, lx, 0), 0);
	cr_expect_str_eq(text, want);
	free(text);
	ctm_profile_free(p);
	ctm_profile_reader_close(r);
}

/* FHIR: the Observation's LOINC code (the measure line's) and its UCUM
 * unit (a unit line). */
Test(lab_data, a_fhir_observation_by_its_loinc_code)
{
	static const char bundle[] =
		"{\"resourceType\": \"Bundle\", \"type\": \"collection\", "
		"\"entry\": ["
		"{\"resource\": {\"resourceType\": \"Patient\", \"id\": \"F\", "
		"\"gender\": \"female\", \"birthDate\": \"1960-01-01\"}}, "
		"{\"resource\": {\"resourceType\": \"Observation\", \"id\": "
		"\"o1\", \"code\": {\"coding\": [{\"system\": "
		"\"http://loinc.org\", \"code\": \"742-7\"}]}, "
		"\"valueQuantity\": {\"value\": 650, \"unit\": \"cells/uL\", "
		"\"system\": \"http://unitsofmeasure.org\", \"code\": "
		"\"/uL\"}}}, "
		"{\"resource\": {\"resourceType\": \"Observation\", \"id\": "
		"\"o2\", \"code\": {\"coding\": [{\"system\": "
		"\"http://loinc.org\", \"code\": \"2324-2\"}]}, "
		"\"valueQuantity\": {\"value\": 120, \"code\": \"U/L\"}, "
		"\"referenceRange\": [{\"high\": {\"value\": 60}}]}}]}";
	ctm_profile *p;
	ctm_error e;

	cr_assert_eq(ctm_profile_parse(bundle, strlen(bundle), "f.json", lx,
				       TODAY, &p, &e),
		     0, "%s", e.message);
	cr_expect_float_eq(ctm_profile_lab(p, amc), 0.65, 1e-9);
	cr_expect_float_eq(ctm_profile_lab(p, ggt), 2.0, 1e-9);
	cr_expect_eq(p->n_warnings, 0, "%s",
		     p->n_warnings ? p->warnings[0] : "");
	ctm_profile_free(p);
}

/* The outcome of one inclusion criterion for one profile. */
static ctm_outcome outcome(const char *text, const char *json,
			   ctm_constraint *k)
{
	ctm_trial *t = ctm_trial_new();
	ctm_criterion *cr = ctm_arena_alloc(t->arena, sizeof *cr);
	ctm_criteria_ctx *ctx;
	ctm_arena *a = ctm_arena_new();
	ctm_profile *p;
	ctm_match res;
	ctm_error e;
	ctm_outcome o = CTM_OUT_REVIEW;
	size_t i;

	cr->section = CTM_SECTION_INCLUSION;
	cr->text = text;
	cr_assert_eq(ctm_criteria_ctx_new(&ctx, cp), 0);
	cr_assert_eq(ctm_criteria_extract(ctx, cr, t->arena, &e), 0, "%s",
		     e.message);
	ctm_criteria_ctx_free(ctx);
	cr_assert(cr->structured, "'%s' was not read", text);
	cr_assert_eq(cr->n_constraints, 1, "'%s'", text);
	*k = cr->constraints[0];
	t->nct_id = "NCT00000001";
	t->criteria = cr;
	t->n_criteria = 1;
	cr_assert_eq(ctm_profile_parse(json, strlen(json), "l.json", lx, TODAY,
				       &p, &e),
		     0, "%s", e.message);
	cr_assert_eq(
		ctm_match_trial(m, p, t, TODAY, CTM_MATCH_EXPLAIN, a, &res), 0);
	for (i = 0; i < res.n_evals; i++)
		if (res.evals[i].criterion == cr)
			o = res.evals[i].outcome;
	ctm_profile_free(p);
	ctm_arena_free(a);
	ctm_trial_free(t);
	return o;
}

Test(lab_data, criteria_naming_the_lab_are_matched)
{
	static const struct {
		const char *criterion;
		const char *lab; /* the constraint's concept */
		double lo, hi;	 /* its bounds in the profile's unit */
		const char *labs;
		ctm_outcome want;
	} rows[] = {
		{"Absolute monocyte count >= 0.5 x 10^9/L", "amc", 0.5,
		 INFINITY, "{\"amc\": 0.8}", CTM_OUT_MET},
		{"Absolute monocyte count >= 0.5 x 10^9/L", "amc", 0.5,
		 INFINITY, "{\"amc\": {\"value\": 400, \"unit\": \"/uL\"}}",
		 CTM_OUT_NOT_MET},
		{"Absolute monocyte count >= 0.5 x 10^9/L", "amc", 0.5,
		 INFINITY, "{\"anc\": 2}", CTM_OUT_UNKNOWN},
		/* a threshold per uL is read into 10^9/L (the family: count) */
		{"AMC >= 500/uL", "amc", 0.5, INFINITY, "{\"amc\": 0.5}",
		 CTM_OUT_MET},
		{"AMC >= 500/uL", "amc", 0.5, INFINITY, "{\"amc\": 0.49}",
		 CTM_OUT_NOT_MET},
		{"GGT <= 2.5 x ULN", "ggt", -INFINITY, 2.5,
		 "{\"ggt_x_uln\": 1.5}", CTM_OUT_MET},
		{"GGT <= 2.5 x ULN", "ggt", -INFINITY, 2.5,
		 "{\"ggt_x_uln\": 3}", CTM_OUT_NOT_MET},
		{"GGT <= 2.5 x ULN", "ggt", -INFINITY, 2.5, "{}",
		 CTM_OUT_UNKNOWN},
	};
	char json[256];
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_constraint k;
		ctm_outcome got;
		snprintf(json, sizeof json, "{\"id\": \"L\", \"labs\": %s}",
			 rows[i].labs);
		got = outcome(rows[i].criterion, json, &k);
		cr_expect_eq(k.kind, CTM_K_LAB, "%s", rows[i].criterion);
		cr_expect_eq(k.concept,
			     ctm_lexicon_concept(lx, CTM_CT_LAB, rows[i].lab),
			     "%s: %s", rows[i].criterion,
			     ctm_lexicon_name(lx, k.concept));
		cr_expect(k.lo == rows[i].lo || fabs(k.lo - rows[i].lo) < 1e-9,
			  "%s: lo %g", rows[i].criterion, k.lo);
		cr_expect(k.hi == rows[i].hi || fabs(k.hi - rows[i].hi) < 1e-9,
			  "%s: hi %g", rows[i].criterion, k.hi);
		cr_expect_eq(got, rows[i].want, "%s, %s: %s", rows[i].criterion,
			     json, ctm_outcome_name(got));
	}
}
