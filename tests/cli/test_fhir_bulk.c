/*
 * test_fhir_bulk.c - a Bulk FHIR $export directory (NDJSON, one resource
 * type a file, resources tied to their patient by reference) of 200
 * patients generated here at run time, through `ctmatch batch`, gives
 * the same output as the same patients written as JSON profiles; and
 * `ctmatch match --patient` takes a FHIR Bundle told by content.
 */
#include "clitest_mb.h"

#define N_PATIENTS 200

/* What one generated patient is, from its number. */
typedef struct gen {
	char id[16];
	const char *sex, *birth;
	const char *dx_system, *dx_code, *dx_text, *dx_json;
	const char *stage;
	const char *site_code, *site_json; /* NULL: no metastases */
	int ecog;
	const char *kras_hgvs, *kras_json; /* NULL: KRAS wild-type */
	bool msi_high;
	bool folfox; /* FOLFOX as ingredients, else nothing recorded */
	int anc_per_ul;
} gen;

static void make(gen *g, int i)
{
	static const char *const births[] = {"1950-02-11", "1962-07-30",
					     "1971-12-01", "1985-05-19",
					     "1999-09-09"};
	static const struct {
		const char *sys, *code, *text, *json;
	} dx[] = {
		{"http://snomed.info/sct", "363406005", "colon cancer",
		 "colon cancer"},
		{"http://hl7.org/fhir/sid/icd-10-cm", "C20", "rectal cancer",
		 "rectal cancer"},
		{"http://hl7.org/fhir/sid/icd-10-cm", "C18.7",
		 "adenocarcinoma of the sigmoid colon", "colon cancer"},
		{"http://snomed.info/sct", "254837009", "breast cancer",
		 "breast cancer"},
	};
	static const struct {
		const char *code, *json;
	} sites[] = {{"94381002", "liver"}, {"94391008", "lung"}, {NULL, NULL}};
	static const char *const stages[] = {"IV", "IIIB", "IVA", "II"};

	snprintf(g->id, sizeof g->id, "B%03d", i);
	g->sex = i % 2 ? "female" : "male";
	g->birth = births[i % 5];
	g->dx_system = dx[i % 4].sys;
	g->dx_code = dx[i % 4].code;
	g->dx_text = dx[i % 4].text;
	g->dx_json = dx[i % 4].json;
	g->stage = stages[i % 4];
	g->site_code = sites[i % 3].code;
	g->site_json = sites[i % 3].json;
	g->ecog = i % 3;
	g->kras_hgvs = i % 5 == 0   ? "p.Gly12Cys"
		       : i % 5 == 1 ? "p.Gly12Asp"
				    : NULL;
	g->kras_json = i % 5 == 0 ? "G12C" : i % 5 == 1 ? "G12D" : NULL;
	g->msi_high = i % 7 == 0;
	g->folfox = i % 2 == 0;
	g->anc_per_ul = 800 + 100 * (i % 20);
}

#define SUBJ "\"subject\": {\"reference\": \"Patient/%s\"}"
#define CC(sys, code)                                                          \
	"{\"coding\": [{\"system\": \"" sys "\", \"code\": \"" code "\"}]}"

static void write_bulk(const char *dir)
{
	FILE *pat, *cond, *obs, *med;
	int i;

	ct_mkdirs(dir);
	pat = fopen(ct_path(dir, "Patient.ndjson"), "w");
	cond = fopen(ct_path(dir, "Condition.ndjson"), "w");
	obs = fopen(ct_path(dir, "Observation.ndjson"), "w");
	med = fopen(ct_path(dir, "MedicationAdministration.ndjson"), "w");
	cr_assert(pat && cond && obs && med);
	/* resources of one type interleave patients, as an export does */
	for (i = 0; i < N_PATIENTS; i++) {
		gen g;
		make(&g, i);
		fprintf(pat,
			"{\"resourceType\": \"Patient\", \"id\": \"%s\", "
			"\"gender\": \"%s\", \"birthDate\": \"%s\"}\n",
			g.id, g.sex, g.birth);
		fprintf(cond,
			"{\"resourceType\": \"Condition\", \"id\": "
			"\"%s-dx\", " SUBJ
			", \"code\": {\"coding\": [{\"system\": \"%s\", "
			"\"code\": \"%s\"}], \"text\": \"%s\"}, \"stage\": "
			"[{\"summary\": {\"text\": \"Stage %s\"}}]}\n",
			g.id, g.id, g.dx_system, g.dx_code, g.dx_text, g.stage);
		if (g.site_code)
			fprintf(cond,
				"{\"resourceType\": \"Condition\", \"id\": "
				"\"%s-met\", " SUBJ ", \"code\": "
				"{\"coding\": [{\"system\": "
				"\"http://snomed.info/sct\", \"code\": "
				"\"%s\"}]}}\n",
				g.id, g.id, g.site_code);
		fprintf(obs,
			"{\"resourceType\": \"Observation\", \"id\": "
			"\"%s-ecog\", " SUBJ ", \"code\": " CC(
				"http://loinc.org",
				"89247-1") ", \"valueInteger\": %d}\n",
			g.id, g.id, g.ecog);
		fprintf(obs,
			"{\"resourceType\": \"Observation\", \"id\": "
			"\"%s-kras\", " SUBJ ", \"code\": " CC(
				"http://loinc.org", "%s") ", "
							  "\"valueCodeableConce"
							  "pt\": " CC("http://"
								      "loinc."
								      "org",
								      "%s") ", "
									    "\""
									    "co"
									    "mp"
									    "on"
									    "en"
									    "t"
									    "\""
									    ": "
									    "[{"
									    "\""
									    "co"
									    "de"
									    "\""
									    ":"
									    " " CC("http://loinc.org",
										   "48018-6") ", \"valueCodeableConcept\": " CC("http://www.genenames.org/geneId",
																"HGNC:6407") "}%s%s%s]}\n",
			g.id, g.id, g.kras_hgvs ? "69548-6" : "53041-0",
			g.kras_hgvs ? "LA9633-4" : "LA9634-2",
			g.kras_hgvs ? ", {\"code\": " CC(
					      "http://loinc.org",
					      "48005-3") ", "
							 "\"valueCodeableConcep"
							 "t\": {\"text\": \""
				    : "",
			g.kras_hgvs ? g.kras_hgvs : "",
			g.kras_hgvs ? "\"}}" : "");
		fprintf(obs,
			"{\"resourceType\": \"Observation\", \"id\": "
			"\"%s-msi\", " SUBJ ", \"code\": " CC(
				"http://loinc.org",
				"81695-9") ", \"valueCodeableConcept\": "
					   "{\"text\": \"%s\"}}\n",
			g.id, g.id, g.msi_high ? "MSI-H" : "MSS");
		fprintf(obs,
			"{\"resourceType\": \"Observation\", \"id\": "
			"\"%s-anc\", " SUBJ ", \"code\": " CC(
				"http://loinc.org",
				"751-8") ", \"valueQuantity\": {\"value\": %d, "
					 "\"code\": \"/uL\"}}\n",
			g.id, g.id, g.anc_per_ul);
		if (g.folfox) {
			static const char *const rx[] = {"32592", "4492",
							 "6313"};
			int k;
			for (k = 0; k < 3; k++)
				fprintf(med,
					"{\"resourceType\": "
					"\"MedicationAdministration\", \"id\": "
					"\"%s-rx%d\", \"status\": "
					"\"completed\", " SUBJ
					", \"medicationCodeableConcept\": "
					"{\"coding\": [{\"system\": "
					"\"http://www.nlm.nih.gov/research/"
					"umls/rxnorm\", \"code\": \"%s\"}]}, "
					"\"effectivePeriod\": {\"end\": "
					"\"2025-05-01\"}}\n",
					g.id, k, g.id, rx[k]);
		}
	}
	/* a patient whose diagnosis nothing names: reported and skipped,
	 * never a candidate for every disease's trials */
	fprintf(pat, "{\"resourceType\": \"Patient\", \"id\": \"B200\"}\n");
	fprintf(cond,
		"{\"resourceType\": \"Condition\", \"id\": \"B200-dx\", " SUBJ
		", \"meta\": {\"profile\": [\"http://hl7.org/fhir/us/mcode/"
		"StructureDefinition/mcode-primary-cancer-condition\"]}, "
		"\"code\": {\"text\": \"Xyzzy syndrome\"}}\n",
		"B200");
	/* a resource of no patient's (an export holds them) */
	fprintf(med, "{\"resourceType\": \"Medication\", \"id\": \"m1\"}\n");
	fclose(pat);
	fclose(cond);
	fclose(obs);
	fclose(med);
}

static void write_profiles(const char *dir)
{
	int i;

	ct_mkdirs(dir);
	for (i = 0; i < N_PATIENTS; i++) {
		gen g;
		char name[32];
		FILE *f;
		make(&g, i);
		snprintf(name, sizeof name, "%s.json", g.id);
		f = fopen(ct_path(dir, name), "w");
		cr_assert(f);
		fprintf(f,
			"{\"id\": \"%s\", \"sex\": \"%s\", \"birth_date\": "
			"\"%s\", \"diagnosis\": \"%s\", \"stage\": \"%s\", ",
			g.id, g.sex, g.birth, g.dx_json, g.stage);
		if (g.site_json)
			fprintf(f,
				"\"metastatic\": true, \"metastatic_sites\": "
				"[\"%s\"], ",
				g.site_json);
		fprintf(f, "\"ecog\": %d, \"biomarkers\": [", g.ecog);
		if (g.kras_json)
			fprintf(f,
				"{\"name\": \"KRAS\", \"status\": \"mutated\", "
				"\"variant\": \"%s\"}, ",
				g.kras_json);
		else
			fprintf(f, "{\"name\": \"KRAS\", \"status\": "
				   "\"wild-type\"}, ");
		fprintf(f, "{\"name\": \"MSI\", \"status\": \"%s\"}], ",
			g.msi_high ? "high" : "stable");
		if (g.folfox)
			fprintf(f, "\"prior_therapies\": [{\"name\": "
				   "\"FOLFOX\", \"end_date\": "
				   "\"2025-05-01\"}], ");
		fprintf(f, "\"labs\": {\"anc\": %g}}\n", g.anc_per_ul / 1000.0);
		fclose(f);
	}
	{
		static const char b200[] = "{\"id\": \"B200\", \"diagnosis\": "
					   "\"Xyzzy syndrome\"}\n";
		cr_assert_eq(tu_write_file(ct_path(dir, "B200.json"), b200,
					   sizeof b200 - 1),
			     0);
	}
}

static const char *new_index(const char *trials)
{
	const char *db = ct_new_db();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture(trials));
	cr_assert_eq(r.status, 0, "ingest failed (%d):\n%s", r.status, r.err);
	ct_run_free(&r);
	return db;
}

Test(fhir_bulk, a_bulk_export_batches_as_its_json_profiles)
{
	const char *tmp = ct_tmpdir();
	const char *bulk = ct_keep(ct_path(tmp, "export"));
	const char *profiles = ct_keep(ct_path(tmp, "profiles"));
	const char *db1 = new_index("batch/trials"),
		   *db2 = new_index("batch/trials");
	ct_run a = {0}, b = {0};

	write_bulk(bulk);
	write_profiles(profiles);
	ct_run_cmd(&a, NULL,
		   "batch --db '%s' " MB_TODAY " --limit 0 --include-ineligible"
		   " --all-statuses --threads 2 --patients '%s'",
		   db1, bulk);
	/* B200 is refused, named with the key; the others are matched */
	cr_assert_eq(a.status, 1, "bulk: %d\n%s", a.status, a.err);
	cr_expect(strstr(a.err, "Patient.ndjson:201:1: patient B200: "
				"diagnosis: names no known disease\n"),
		  "%s", a.err);
	cr_expect_null(strstr(a.err, "Xyzzy"), "%s", a.err);
	{
		char *fhir_out = a.out;
		a.out = NULL;
		ct_run_cmd(&b, NULL,
			   "batch --db '%s' " MB_TODAY
			   " --limit 0 --include-ineligible --all-statuses "
			   "--threads 2 --patients '%s'",
			   db2, profiles);
		cr_assert_eq(b.status, 1, "profiles: %d\n%s", b.status, b.err);
		cr_expect(strstr(b.err, "B200.json:1:29: patient B200: "
					"diagnosis: names no known disease\n"),
			  "%s", b.err);
		cr_expect_null(strstr(b.err, "Xyzzy"), "%s", b.err);
		cr_expect_eq(ct_count_lines(b.out, "B200,"), 0);
		/* the first and the last colorectal patients are there (B199
		 * has breast cancer: no trial of these is for her), and the
		 * verdicts vary: the comparison says something */
		cr_expect_gt(ct_count_lines(b.out, "B000,"), 0);
		cr_expect_gt(ct_count_lines(b.out, "B198,"), 0);
		cr_expect_eq(ct_count_lines(b.out, "B199,"), 0);
		cr_expect_gt(ct_count_lines(b.out, ",eligible,"), 0);
		cr_expect_gt(ct_count_lines(b.out, ",possible,"), 0);
		cr_expect_gt(ct_count_lines(b.out, ",ineligible,"), 0);
		cr_expect_str_eq(fhir_out, b.out);
		free(fhir_out);
	}
	ct_run_free(&a);
	ct_run_free(&b);
}

Test(fhir_bulk, match_takes_a_bundle_told_by_content)
{
	const char *db = new_index("trials");
	ct_run a = {0}, b = {0};
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s",
		 tu_fixture("fhir/CRC-01.bundle.json"));
	ct_run_cmd(&a, NULL,
		   "match --db '%s' " MB_TODAY
		   " --limit 0 --include-ineligible --all-statuses --format csv"
		   " --patient '%s'",
		   db, path);
	cr_assert_eq(a.status, 0, "%d\n%s", a.status, a.err);
	snprintf(path, sizeof path, "%s",
		 tu_fixture("fhir/CRC-01.profile.json"));
	ct_run_cmd(&b, NULL,
		   "match --db '%s' " MB_TODAY
		   " --limit 0 --include-ineligible --all-statuses --format csv"
		   " --patient '%s'",
		   db, path);
	cr_assert_eq(b.status, 0, "%d\n%s", b.status, b.err);
	cr_expect_str_eq(a.out, b.out);
	ct_run_free(&a);
	ct_run_free(&b);
}
