/*
 * test_fhir.c - FHIR R4 mCODE Bundles of our own (fixtures/fhir/): what is
 * read from each, that it matches the fixture trials to the same verdicts
 * as its equivalent JSON profile, unit conversions and plausibility, and
 * the refusals (not a Bundle, two patients, bad codes data). Expected
 * values are written from the Bundles and spec/patient-profile.md.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/parsers.h>

#include "fhir_summary.h"
#include "testutil.h"

#define TODAY 20261126

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

TestSuite(fhir, .init = setup, .fini = teardown);

static ctm_profile *read_fixture(const char *name)
{
	char rel[128], *text;
	size_t len;
	ctm_profile *p = NULL;
	ctm_error e;

	snprintf(rel, sizeof(rel), "fhir/%s", name);
	text = tu_read_file(tu_fixture(rel), &len);
	cr_assert_not_null(text, "%s", rel);
	cr_assert_eq(ctm_profile_parse_flags(text, len, name, lx, TODAY,
					     CTM_PROFILE_SHOW_VALUES, &p, &e),
		     0, "%s: %s", name, e.message);
	free(text);
	return p;
}

static int parse_text(const char *text, ctm_profile **p, ctm_error *e)
{
	return ctm_profile_parse_flags(text, strlen(text), "t.json", lx, TODAY,
				       CTM_PROFILE_SHOW_VALUES, p, e);
}

/* ---- our colorectal Bundles ---- */

static const struct {
	const char *bundle, *profile, *summary;
} crc[] = {
	/* STU2/3 names, collection: KRAS G12C in HGVS, MSS, FOLFOX as its
	 * RxNorm ingredients (read as FOLFOX), liver metastases, labs in /uL,
	 * 10*3/uL, g/L, mg/dL and U/L with reference ranges, mL/s */
	{"CRC-01.bundle.json", "CRC-01.profile.json",
	 "id=CRC-01; age=65; sex=male; dx=colon adenocarcinoma; stage=IVA; "
	 "met=1; sites=liver; brain=?; ecog=1; kps=-1; bm=KRAS mutated G12C,"
	 "MSI stable; tx=FOLFOX@20240901,bevacizumab@20240901; labs=anc 1.8 "
	 "plt 210 hb 11.8 bili 0.75 alt 0.75 crcl 90 "},
	/* STU1 names, transaction, ICD-10-CM: MSI-H, BRAF V600E, KRAS
	 * wild-type from a region studied that says so, CAPOX as requests
	 * of its ingredients,
	 * a colectomy, labs in 10*9/L, /uL, mmol/L */
	{"CRC-02.bundle.json", "CRC-02.profile.json",
	 "id=CRC-02; age=51; sex=female; dx=colon adenocarcinoma; stage=IVB; "
	 "met=1; sites=liver,peritoneum; brain=?; ecog=-1; kps=80; bm=MSI "
	 "high,BRAF mutated V600E,KRAS wild-type; tx=CAPOX@20250210,"
	 "colectomy@20250105; labs=anc 2.4 plt 180 hb "
	 "11.4381 ast 1.125 "},
};

Test(fhir, our_colorectal_bundles_read_exactly)
{
	size_t i;

	for (i = 0; i < sizeof(crc) / sizeof(crc[0]); i++) {
		char sum[4096];
		ctm_profile *p = read_fixture(crc[i].bundle);

		fhir_summary(lx, p, sum, sizeof(sum));
		cr_expect_str_eq(sum, crc[i].summary, "%s: got %s",
				 crc[i].bundle, sum);
		cr_expect_eq(p->n_warnings, 0, "%s: %s", crc[i].bundle,
			     p->n_warnings ? p->warnings[0] : "");
		ctm_profile_free(p);
	}
}

/* The fixture trials, parsed once per test. */
static ctm_trial **load_trials(size_t *n)
{
	const char *dir = tu_fixture("trials");
	ctm_criteria_parser *parser;
	ctm_criteria_ctx *ctx;
	ctm_trial **ts = calloc(256, sizeof(*ts));
	struct dirent *d;
	DIR *dh = opendir(dir);
	ctm_error e;

	cr_assert(ts && dh);
	cr_assert_eq(ctm_criteria_parser_new(&parser, lx, &e), 0);
	cr_assert_eq(ctm_criteria_ctx_new(&ctx, parser), 0);
	*n = 0;
	while ((d = readdir(dh)) && *n < 256) {
		char path[4096];
		ctm_xml_reader *r;
		ctm_trial *t;
		size_t l = strlen(d->d_name);
		if (l < 5 || strcmp(d->d_name + l - 4, ".xml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		cr_assert_eq(ctm_xml_open_file(&r, path, &e), 0, "%s", path);
		while (ctm_xml_next(r, &t, &e) == 1) {
			cr_assert_eq(ctm_criteria_parse(ctx, t, &e), 0);
			ts[(*n)++] = t;
		}
		ctm_xml_close(r);
	}
	closedir(dh);
	ctm_criteria_ctx_free(ctx);
	ctm_criteria_parser_free(parser);
	return ts;
}

Test(fhir, our_bundles_match_as_their_json_profiles)
{
	ctm_matcher *m;
	ctm_error e;
	size_t n, i, k;
	ctm_trial **ts = load_trials(&n);

	cr_assert_gt(n, 30, "the fixture trials");
	cr_assert_eq(ctm_matcher_new(&m, lx, &e), 0);
	for (k = 0; k < sizeof(crc) / sizeof(crc[0]); k++) {
		ctm_profile *f = read_fixture(crc[k].bundle);
		ctm_profile *j = read_fixture(crc[k].profile);
		size_t differ = 0, inel = 0;

		for (i = 0; i < n; i++) {
			ctm_arena *a = ctm_arena_new();
			ctm_match mf, mj;
			cr_assert_eq(
				ctm_match_trial(m, f, ts[i], TODAY, 0, a, &mf),
				0);
			cr_assert_eq(
				ctm_match_trial(m, j, ts[i], TODAY, 0, a, &mj),
				0);
			cr_expect_eq(mf.verdict, mj.verdict,
				     "%s, %s: FHIR %s, JSON %s", crc[k].bundle,
				     ts[i]->nct_id,
				     ctm_verdict_name(mf.verdict),
				     ctm_verdict_name(mj.verdict));
			differ += mf.verdict != mj.verdict;
			inel += mj.verdict == CTM_VERDICT_INELIGIBLE;
			ctm_arena_free(a);
		}
		/* the comparison says something: some trials are ruled out,
		 * some are not */
		cr_expect_gt(inel, 0, "%s", crc[k].profile);
		cr_expect_lt(inel, n, "%s", crc[k].profile);
		cr_expect_eq(differ, 0);
		ctm_profile_free(f);
		ctm_profile_free(j);
	}
	for (i = 0; i < n; i++)
		ctm_trial_free(ts[i]);
	free(ts);
	ctm_matcher_free(m);
}

/* ---- refusals ---- */

Test(fhir, what_is_not_one_patients_bundle_is_refused_saying_what_it_is)
{
	static const struct {
		const char *text, *message;
	} rows[] = {
		{"{\"resourceType\": \"Patient\", \"id\": \"p1\"}",
		 "a FHIR Patient resource, not a Bundle: a patient is a Bundle "
		 "of its resources (or a Bulk export directory)"},
		{"{\"resourceType\": \"Bundle\", \"type\": \"collection\"}",
		 "a FHIR Bundle without entries: no patient in it"},
		{"{\"resourceType\": \"Bundle\", \"entry\": ["
		 "{\"resource\": {\"resourceType\": \"Patient\", \"id\": "
		 "\"a\"}},"
		 "{\"resource\": {\"resourceType\": \"Patient\", \"id\": "
		 "\"b\"}}]}",
		 "a FHIR Bundle of more than one patient (a, b): give one "
		 "Bundle "
		 "a patient"},
		{"{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": "
		 "{\"resourceType\": \"Observation\", \"id\": \"o\"}}]}",
		 "a FHIR Bundle without a Patient resource: whose data it "
		 "holds "
		 "is unknown"},
		/* a diagnosis no code or word of the lexicon names: never a
		 * patient of every disease */
		{"{\"resourceType\": \"Bundle\", \"entry\": ["
		 "{\"resource\": {\"resourceType\": \"Patient\", \"id\": "
		 "\"a\"}},"
		 "{\"resource\": {\"resourceType\": \"Condition\", \"id\": "
		 "\"c\","
		 " \"meta\": {\"profile\": [\"http://hl7.org/fhir/us/mcode/"
		 "StructureDefinition/mcode-primary-cancer-condition\"]},"
		 " \"code\": {\"coding\": [{\"system\": \"http://snomed.info/"
		 "sct\", \"code\": \"1\", \"display\": \"Xyzzy "
		 "syndrome\"}]}}}]}",
		 "patient a: diagnosis: 'Xyzzy syndrome' names no known "
		 "disease"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_profile *p = NULL;
		ctm_error e;
		cr_expect_eq(parse_text(rows[i].text, &p, &e), CTM_EINVALID,
			     "row %zu", i);
		cr_expect_null(p);
		cr_expect(!strncmp(e.message, rows[i].message,
				   strlen(rows[i].message)),
			  "row %zu: %s", i, e.message);
		cr_expect_str_eq(e.file, "t.json");
	}
}

Test(fhir, no_therapy_resource_leaves_prior_therapy_unknown)
{
	ctm_profile *p = NULL;
	ctm_error e;

	cr_assert_eq(parse_text("{\"resourceType\": \"Bundle\", \"entry\": ["
				"{\"resource\": {\"resourceType\": "
				"\"Patient\", \"id\": \"a\", \"gender\": "
				"\"male\", \"birthDate\": \"1960-01-01\"}}]}",
				&p, &e),
		     0, "%s", e.message);
	cr_expect_eq(p->has_therapies, false);
	cr_expect_eq(p->has_biomarkers, false);
	cr_expect_eq(p->has_sites, false);
	cr_expect_eq(p->n_warnings, 0);
	ctm_profile_free(p);
}

/* ---- units and plausibility (engine/lexicon/units.tsv) ---- */

Test(fhir, unit_conversion_and_plausibility_table)
{
	static const struct {
		const char *lab, *unit;
		double value;
		int rc;
		double want;
	} rows[] = {
		{"anc", NULL, 1.5, 0, 1.5},
		{"anc", "10*9/L", 1.5, 0, 1.5},
		{"anc", "/uL", 1500, 0, 1.5},
		{"anc", "{cells}/uL", 1200, 0, 1.2},
		{"anc", "10*3/uL", 2.2, 0, 2.2},
		{"anc", "\xC2\xB5L", 1, CTM_ENOTFOUND, 0}, /* not a count */
		/* an ANC typed per uL but given as 10^9/L: implausible */
		{"anc", NULL, 1200, CTM_EINVALID, 1200},
		{"anc", "10*9/L", 1200, CTM_EINVALID, 1200},
		{"platelets", "/uL", 150000, 0, 150},
		{"platelets", "10*3/uL", 99, 0, 99},
		{"hemoglobin", "g/L", 105, 0, 10.5},
		{"hemoglobin", "g/dL", 9, 0, 9},
		{"hemoglobin", "mmol/L", 6.2, 0, 9.9882},
		/* haemoglobin typed in g/L without its unit */
		{"hemoglobin", NULL, 105, CTM_EINVALID, 105},
		{"hemoglobin", "mg", 1, CTM_ENOTFOUND, 0},
		{"creatinine_clearance", "mL/s", 1, 0, 60},
		{"creatinine_clearance", "mL/min", 55, 0, 55},
		{"bilirubin", NULL, 1.4, 0, 1.4},
		{"bilirubin", NULL, 250, CTM_EINVALID, 250},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_concept lab =
			ctm_lexicon_concept(lx, CTM_CT_LAB, rows[i].lab);
		double out = -1;
		int rc = ctm_lexicon_lab_value(lx, lab, rows[i].value,
					       rows[i].unit, &out);
		cr_assert_neq(lab, 0, "%s", rows[i].lab);
		cr_expect_eq(rc, rows[i].rc, "row %zu: %g %s: rc %d", i,
			     rows[i].value, rows[i].unit ? rows[i].unit : "",
			     rc);
		if (rows[i].rc != CTM_ENOTFOUND)
			cr_expect(fabs(out - rows[i].want) < 1e-9,
				  "row %zu: %g, want %g", i, out, rows[i].want);
	}
}

Test(fhir, profile_labs_take_units_and_refuse_implausible_values)
{
	static const struct {
		const char *labs;
		int rc;
		const char *message; /* the error, or the summary's labs */
	} rows[] = {
		{"{\"anc\": {\"value\": 1200, \"unit\": \"/uL\"}, "
		 "\"hemoglobin\": "
		 "{\"value\": 105, \"unit\": \"g/L\"}}",
		 0, "labs=anc 1.2 hb 10.5 "},
		{"{\"anc\": 1200}", CTM_EINVALID,
		 "patient X: labs.anc: 1200 is not a plausible value (0..100 "
		 "10*9/L): typed in another unit?"},
		{"{\"hemoglobin\": 105}", CTM_EINVALID,
		 "patient X: labs.hemoglobin: 105 is not a plausible value "
		 "(1..25 g/dL): typed in another unit?"},
		{"{\"platelets\": {\"value\": 100, \"unit\": \"furlongs\"}}",
		 CTM_EINVALID,
		 "patient X: labs.platelets: unit \"furlongs\" does not "
		 "convert "
		 "to this lab's unit"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char text[512], sum[2048];
		ctm_profile *p = NULL;
		ctm_error e;
		int rc;
		snprintf(text, sizeof(text), "{\"id\": \"X\", \"labs\": %s}",
			 rows[i].labs);
		rc = parse_text(text, &p, &e);
		cr_expect_eq(rc, rows[i].rc, "row %zu: %s", i,
			     rc ? e.message : "");
		if (rc) {
			cr_expect_str_eq(e.message, rows[i].message);
			cr_expect_eq(e.line, 1,
				     "row %zu: the line of the value", i);
			continue;
		}
		fhir_summary(lx, p, sum, sizeof(sum));
		cr_expect(strstr(sum, rows[i].message) != NULL, "%s", sum);
		ctm_profile_free(p);
	}
}

/* ---- codes and units data: a bad line names file and line ---- */

Test(fhir, a_bad_codes_or_units_line_names_file_and_line)
{
	static const struct {
		const char *text;
		int line;
		const char *message;
	} rows[] = {
		{"# codes\ncode\tsnomed\t1\tno such concept\n", 2,
		 "code snomed 1: no concept named 'no such concept'"},
		{"code\tsnomed\t363406005\tbreast cancer\n", 1,
		 "code snomed 363406005: already names another concept"},
		{"\ncode\tsnomed\t1\n", 2,
		 "expected: code<TAB>system<TAB>code<TAB>concept"},
		{"unit\tanc\t/uL\tzero\n", 1,
		 "expected a factor > 0, got 'zero'"},
		{"measure\tanc\tanc2\t-\t10*9/L\t5..1\tcount\n", 1,
		 "expected a range low..high with low <= high, got '5..1'"},
		{"measure\tanc\tanc2\t-\t10*9/L\t1..5\tcount\n", 1,
		 "measure anc: the lab already has a measure line "
		 "(labs.tsv:"},
		{"\nmeasure\tanc\tanc\t-\t10*9/L\t1..5\n", 2,
		 "expected: measure<TAB>lab<TAB>profile key<TAB>LOINC "
		 "codes<TAB>unit<TAB>low..high<TAB>threshold family (- for "
		 "none)"},
		{"lab\tggt\t\t\nmeasure\tggt\tanc\t-\t{ULN}\t-\tULN\n", 2,
		 "measure ggt: its profile key already has a measure line "
		 "(labs.tsv:"},
		{"measure\tggt\tggt\t-\t{ULN}\t-\tpermille\n", 1,
		 "unknown threshold family 'permille' (count, hemoglobin, g/dL, "
		 "ULN, clearance, percent, ratio or -)"},
		{"measure\tno lab\tnl\t-\t{ULN}\t-\tULN\n", 1,
		 "measure no lab: no lab named 'no lab'"},
		{"unit\tno lab\t/uL\t1\n", 1,
		 "unit /uL: no lab named 'no lab'"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_lexicon *mine;
		ctm_error e;
		cr_assert_eq(ctm_lexicon_new(&mine, &e), 0);
		cr_expect_eq(ctm_lexicon_load_text(mine, "extra.tsv",
						   rows[i].text,
						   strlen(rows[i].text), &e),
			     CTM_EPARSE, "row %zu", i);
		cr_expect(!strncmp(e.message, rows[i].message,
				   strlen(rows[i].message)),
			  "row %zu: %s", i, e.message);
		cr_expect(!strncmp(e.file, "extra.tsv", 9), "row %zu: %s", i,
			  e.file);
		cr_expect_eq(e.line, rows[i].line, "row %zu: line %d", i,
			     e.line);
		/* left as it was: the built-in codes still resolve */
		cr_expect_eq(ctm_lexicon_code(mine, "snomed", "363406005"),
			     ctm_lexicon_concept(mine, CTM_CT_DISEASE,
						 "colon cancer"));
		ctm_lexicon_free(mine);
	}
}

Test(fhir, codes_never_match_criteria_text)
{
	/* OncoTree READ is rectal adenocarcinoma as a code, not as a word */
	cr_expect_eq(ctm_lexicon_code(lx, "oncotree", "READ"),
		     ctm_lexicon_concept(lx, CTM_CT_DISEASE,
					 "rectal adenocarcinoma"));
	cr_expect_eq(ctm_lexicon_find(lx, "READ", 4), 0);
	cr_expect_eq(ctm_lexicon_find(lx, "363406005", 9), 0);
}

/* ---- the reader: a directory of Bundles, a Bulk export, a big Bundle ---- */

/* The ids a reader gives, " | "-joined, errors as "E<line>". */
static void read_all(ctm_profile_reader *r, char *log, size_t size)
{
	size_t o = 0;
	int rc;

	log[0] = '\0';
	for (;;) {
		ctm_profile *p = NULL;
		ctm_error e;
		const char *src;
		int line;
		rc = ctm_profile_reader_next(r, &p, &e);
		if (rc == 0)
			break;
		ctm_profile_reader_where(r, &src, &line);
		if (rc < 0)
			o += (size_t)snprintf(log + o, size - o, "%sE%d",
					      o ? " | " : "", e.line);
		else
			o += (size_t)snprintf(log + o, size - o, "%s%s",
					      o ? " | " : "", p->id);
		ctm_profile_free(p);
		cr_assert_lt(o, size);
	}
}

Test(fhir, a_directory_of_bundles_and_profiles)
{
	ctm_profile_reader *r;
	ctm_error e;
	char log[512];

	/* sorted by name: each Bundle beside its JSON profile */
	cr_assert_eq(
		ctm_profile_reader_open(&r, tu_fixture("fhir"), lx, TODAY, &e),
		0, "%s", e.message);
	read_all(r, log, sizeof(log));
	cr_expect_str_eq(log, "CRC-01 | CRC-01 | CRC-02 | CRC-02");
	ctm_profile_reader_close(r);
}

Test(fhir, a_bulk_export_line_that_is_not_a_resource_is_reported_and_skipped)
{
	static const char patients[] =
		"{\"resourceType\": \"Patient\", \"id\": \"a\"}\n"
		"{\"resourceType\": \"Patient\", \"id\": \n"
		"\n"
		"{\"resourceType\": \"Patient\", \"id\": \"b\"}\n"
		"{\"id\": \"c\"}\n"
		"{\"resourceType\": \"Patient\"}\n";
	static const char observations[] =
		"{\"resourceType\": \"Observation\", \"id\": \"o\", "
		"\"subject\": {\"reference\": \"Patient/b\"}, "
		"\"code\": {\"coding\": [{\"system\": "
		"\"http://loinc.org\", \"code\": \"89247-1\"}]}, "
		"\"valueInteger\": 2}\n";
	char *dir = tu_tmpdir();
	char path[4096], log[512];
	ctm_profile_reader *r;
	ctm_error e;

	cr_assert_not_null(dir);
	snprintf(path, sizeof(path), "%s/Patient.ndjson", dir);
	cr_assert_eq(tu_write_file(path, patients, sizeof(patients) - 1), 0);
	snprintf(path, sizeof(path), "%s/Observation.ndjson", dir);
	cr_assert_eq(
		tu_write_file(path, observations, sizeof(observations) - 1), 0);
	cr_assert_eq(ctm_profile_reader_open(&r, dir, lx, TODAY, &e), 0, "%s",
		     e.message);
	/* the bad lines first (2: broken JSON, 5: no resourceType, 6: a
	 * Patient without an id), then the patients in the Patient file's
	 * order */
	read_all(r, log, sizeof(log));
	cr_expect_str_eq(log, "E2 | E5 | E6 | a | b");
	ctm_profile_reader_close(r);
}

Test(fhir, a_bundle_larger_than_a_profile_is_read)
{
	/* a Synthea record is MBs: the profile bound (1 MiB) does not apply */
	size_t pad = (size_t)3 << 20, len;
	const char *head =
		"{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": "
		"{\"resourceType\": \"Patient\", \"id\": \"big\", "
		"\"gender\": \"female\"}}, {\"resource\": "
		"{\"resourceType\": \"Basic\", \"id\": \"pad\", "
		"\"note\": \"";
	const char *tail = "\"}}]}";
	char *text = malloc(strlen(head) + pad + strlen(tail) + 1);
	ctm_profile *p = NULL;
	ctm_error e;

	cr_assert_not_null(text);
	strcpy(text, head);
	len = strlen(head);
	memset(text + len, 'x', pad);
	strcpy(text + len + pad, tail);
	cr_assert_eq(parse_text(text, &p, &e), 0, "%s", e.message);
	cr_expect_str_eq(p->id, "big");
	cr_assert_eq(p->n_warnings, 2);
	cr_expect_str_eq(p->warnings[0],
			 "Patient/big: no birthDate: age unknown");
	cr_expect_str_eq(p->warnings[1],
			 "Basic/pad: a Basic resource is not read; ignored");
	ctm_profile_free(p);
	free(text);
}

Test(fhir, the_latest_observation_of_a_kind_wins)
{
	static const char text[] =
		"{\"resourceType\": \"Bundle\", \"entry\": ["
		"{\"resource\": {\"resourceType\": \"Patient\", \"id\": "
		"\"a\"}},"
		"{\"resource\": {\"resourceType\": \"Observation\", \"id\": "
		"\"n2\","
		" \"code\": {\"coding\": [{\"system\": \"http://loinc.org\","
		" \"code\": \"751-8\"}]}, \"effectiveDateTime\": "
		"\"2025-03-01\","
		" \"valueQuantity\": {\"value\": 2.0, \"code\": \"10*9/L\"}}},"
		"{\"resource\": {\"resourceType\": \"Observation\", \"id\": "
		"\"n1\","
		" \"code\": {\"coding\": [{\"system\": \"http://loinc.org\","
		" \"code\": \"751-8\"}]}, \"effectiveDateTime\": "
		"\"2025-01-01\","
		" \"valueQuantity\": {\"value\": 1200, \"code\": \"/uL\"}}},"
		"{\"resource\": {\"resourceType\": \"Observation\", \"id\": "
		"\"e1\","
		" \"code\": {\"coding\": [{\"system\": \"http://loinc.org\","
		" \"code\": \"89247-1\"}]}, \"effectiveDateTime\": "
		"\"2025-01-01\","
		" \"valueInteger\": 2}},"
		"{\"resource\": {\"resourceType\": \"Observation\", \"id\": "
		"\"e2\","
		" \"code\": {\"coding\": [{\"system\": \"http://loinc.org\","
		" \"code\": \"89247-1\"}]}, \"effectiveDateTime\": "
		"\"2025-02-01\","
		" \"valueCodeableConcept\": {\"coding\": [{\"system\": "
		"\"http://loinc.org\", \"code\": \"LA9623-5\"}]}}}]}";
	ctm_profile *p = NULL;
	ctm_error e;

	cr_assert_eq(parse_text(text, &p, &e), 0, "%s", e.message);
	cr_expect_eq(
		ctm_profile_lab(p, ctm_lexicon_concept(lx, CTM_CT_LAB, "anc")),
		2.0);
	cr_expect_eq(p->ecog, 1); /* LA9623-5: ECOG 1, the later */
	ctm_profile_free(p);
}

/*
 * A warning about a resource keeps the code (what a coordinator looks up)
 * in both forms; the patient's values (gender, birth date, a score, a
 * code's display text) only in p->warnings, not in the form for logs
 * (issue 14).
 */
Test(fhir, warnings_without_values_keep_the_codes)
{
	static const char bundle[] =
		"{\"resourceType\": \"Bundle\", \"type\": \"collection\", "
		"\"entry\": ["
		"{\"resource\": {\"resourceType\": \"Patient\", \"id\": "
		"\"F1\", "
		"\"gender\": \"other\", \"birthDate\": \"1960\"}}, "
		"{\"resource\": {\"resourceType\": \"Condition\", \"id\": "
		"\"c1\", \"code\": {\"coding\": [{\"system\": "
		"\"http://snomed.info/sct\", \"code\": \"999999\", "
		"\"display\": \"Moon rock disorder\"}]}}}, "
		"{\"resource\": {\"resourceType\": \"Observation\", \"id\": "
		"\"e1\", \"code\": {\"coding\": [{\"system\": "
		"\"http://loinc.org\", \"code\": \"89247-1\"}]}, "
		"\"valueInteger\": 9}}]}";
	static const char *const with_values[] = {
		"Patient/F1: gender 'other' is not female or male: sex unknown",
		"Patient/F1: birthDate '1960' is not a full date: age unknown",
		"Condition/c1: condition snomed 999999 'Moon rock disorder' "
		"not "
		"understood; ignored",
		"Observation/e1: ECOG 9 is not a valid score (0-5); ignored",
	};
	static const char *const without[] = {
		"Patient/F1: gender is not female or male: sex unknown",
		"Patient/F1: birthDate is not a full date: age unknown",
		"Condition/c1: condition snomed 999999 not understood; ignored",
		"Observation/e1: ECOG is not a valid score (0-5); ignored",
	};
	ctm_profile *p;
	ctm_error e;
	size_t i;

	cr_assert_eq(ctm_profile_parse(bundle, strlen(bundle), "f.json", lx,
				       TODAY, &p, &e),
		     0, "%s", e.message);
	cr_assert_eq(p->n_warnings, 4);
	for (i = 0; i < 4; i++) {
		cr_expect_str_eq(p->warnings[i], with_values[i]);
		cr_expect_str_eq(p->warnings_no_values[i], without[i]);
	}
	ctm_profile_free(p);
}
