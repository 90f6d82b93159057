/*
 * test_csv.c - CSV safety of `match`, `batch` and `export` (spec/cli.md,
 * "CSV"): RFC 4180 quoting (a field holding a comma, quote, CR or LF is
 * quoted, quotes doubled) and no formulas (a field beginning with =, +, -
 * or @ is prefixed with an apostrophe). The trials of fixtures/batch/csv
 * carry such titles, criteria (which become reasons and to-check texts)
 * and site names; the patients such ids. Expected bytes are written out by
 * hand from the fixture files.
 */
#include "clitest_mb.h"

/* A male, 60, ECOG 1, KRAS G12C: he fails one criterion of each trial. */
#define FACTS                                                                  \
	"--age 60 --sex male --diagnosis 'colon adenocarcinoma' --ecog 1 "     \
	"--biomarker KRAS:mutated:G12C"
#define FACTS_JSON                                                             \
	"\"age\": 60, \"sex\": \"male\", \"diagnosis\": \"colon "              \
	"adenocarcinoma\", \"ecog\": 1, \"biomarkers\": [{\"name\": "          \
	"\"KRAS\", "                                                           \
	"\"status\": \"mutated\", \"variant\": \"G12C\"}]"

/*
 * The four rows after the patient id field, rank included, up to the
 * `change` column (then review, url, warnings and the three empty
 * what-changed columns). Every trial is
 * ineligible; scores: the age criterion met (+1), recruiting (+2), and
 * NCT93000090's unknown BRAF (-0.5); ties by nct_id.
 * - 91: title "+Plus Study of FX-9191"; reason "+KRAS wild-type ..."; the
 *   site's facility is "Clinique" LF "Fixture";
 * - 92: title '-Minus Study: "Phase 1", dose escalation'; reason
 *   "-ECOG performance status 0 ...";
 * - 93: title "@Handle Study" CR LF "second line"; a reason with a comma
 *   and quotes; facility "@Fixture Clinic";
 * - 90: title '=HYPERLINK("http://x","y"), phase "2"'; to-check "-BRAF
 *   V600E mutation", reason "=ECOG performance status 0 ..."; facility
 *   "=cmd|' /C calc'!A0".
 */
static const char *const tails[4] = {
	",1,NCT93000091,ineligible,3.00,'+Plus Study of FX-9191,Phase 2,"
	"Recruiting,1,0,,'+KRAS wild-type [patient: KRAS mutated G12C],"
	"\"Clinique\nFixture, Lyon, France\",2025-03-05,",
	",2,NCT93000092,ineligible,3.00,\"'-Minus Study: \"\"Phase 1\"\", dose "
	"escalation\",Phase 1,Recruiting,1,0,,'-ECOG performance status 0 "
	"[patient: ECOG 1],\"Centre Fixture Rhone, Lyon, France\",2025-03-05,",
	",3,NCT93000093,ineligible,3.00,\"'@Handle Study\r\nsecond line\","
	"Phase 2,Recruiting,1,0,,\"KRAS wild-type, \"\"confirmed\"\" by a "
	"central laboratory [patient: KRAS mutated G12C]\","
	"\"'@Fixture Clinic, Lyon, France\",2025-03-05,",
	",4,NCT93000090,ineligible,2.50,"
	"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\"), phase \"\"2\"\"\","
	"Phase 2,Recruiting,1,1,'-BRAF V600E mutation,"
	"'=ECOG performance status 0 [patient: ECOG 1],"
	"\"'=cmd|' /C calc'!A0, Lyon, France\",2025-03-05,",
};

/* The trials of the four rows, for the url column (no criterion of them
 * is left unread: review 0). */
static const char *const ncts[4] = {"NCT93000091", "NCT93000092",
				    "NCT93000093", "NCT93000090"};

/* Appends the four rows of one patient (id_field: its CSV bytes). */
static void add_rows(char *buf, size_t n, const char *id_field,
		     const char *change)
{
	size_t i, len = strlen(buf);

	for (i = 0; i < 4; i++) {
		len += (size_t)snprintf(buf + len, n - len,
					"%s%s%s,0,https://clinicaltrials.gov/"
					"study/%s,,,,\n",
					id_field, tails[i], change, ncts[i]);
		cr_assert(len < n);
	}
}

Test(csv, match_quotes_and_neutralises_fields)
{
	const char *db = mb_index("csv", NULL);
	char want[8192] = MB_CSV_HEADER;
	ct_run r = {0};

	add_rows(want, sizeof want, "\"'@P,1\"", "");
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY
		   " --format csv --include-ineligible "
		   "--id '@P,1' " FACTS,
		   db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, want, "got:\n%s\nwant:\n%s", r.out, want);
	ct_run_free(&r);
}

/* The apostrophe is for spreadsheets only: JSON keeps the text as it is. */
Test(csv, json_keeps_the_text_as_it_is)
{
	const char *db = mb_index("csv", NULL);
	ct_run r = {0};
	json_t *doc, *x;

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY
		   " --format json --include-ineligible "
		   "--id '@P,1' " FACTS,
		   db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	doc = ct_json(r.out);
	ct_assert_jstr(doc, "patient_id", "@P,1");
	x = mb_result(mb_results(doc), "NCT93000090");
	cr_assert(x);
	ct_assert_jstr(x, "title",
		       "=HYPERLINK(\"http://x\",\"y\"), phase \"2\"");
	ct_assert_jstr(x, "site", "=cmd|' /C calc'!A0, Lyon, France");
	cr_assert_str_eq(json_string_value(json_array_get(
				 json_object_get(x, "to_check"), 0)),
			 "-BRAF V600E mutation");
	x = mb_result(mb_results(doc), "NCT93000093");
	cr_assert(x);
	ct_assert_jstr(x, "title", "@Handle Study\r\nsecond line");
	json_decref(doc);
	ct_run_free(&r);
}

/* batch and export write the same fields the same way. */
Test(csv, batch_and_export_quote_and_neutralise_the_same_way)
{
	const char *db = mb_index("csv", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "roster.json"));
	char want[16384] = MB_CSV_HEADER, *got;
	ct_run r = {0};

	ct_write(roster, "[{\"id\": \"=1+1\", " FACTS_JSON "},\n"
			 " {\"id\": \"x\\\"y, z\", " FACTS_JSON "}]\n");
	add_rows(want, sizeof want, "'=1+1", "new");
	add_rows(want, sizeof want, "\"x\"\"y, z\"", "new");
	got = mb_batch(&r, db, roster, ct_path(tmp, "out.csv"),
		       "--include-ineligible", 0);
	cr_assert_str_eq(got, want, "batch:\n%s\nwant:\n%s", got, want);
	free(got);

	/* "=1+1" sorts before "x..." (export goes in id order) */
	ct_run_cmd(&r, NULL, "export --db '%s'", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, want, "export:\n%s\nwant:\n%s", r.out, want);
	ct_run_cmd(&r, NULL, "export --db '%s' --patient 'x\"y, z'", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\n\"x\"\"y, z\",1,NCT93000091,"), "%s", r.out);
	ct_run_free(&r);
}
