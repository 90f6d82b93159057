/*
 * test_xlsx.c - --format xlsx read back by a reader that is not ours:
 * Python's openpyxl from Debian (python3-openpyxl, installed by .ci/deps).
 * The trials of fixtures/batch/csv carry titles that a spreadsheet would
 * run as formulas ('=HYPERLINK(...)'): in the workbook they stay text;
 * a CR LF in a title is Excel's line break, LF.
 */
#include "clitest_mb.h"

#define PYTHON "/usr/bin/python3"

/* Prints what a coordinator sees: the sheet, frozen panes, filter, and
 * per row the cells (type:value) of the columns that matter. */
static const char reader[] =
	"import sys, openpyxl\n"
	"wb = openpyxl.load_workbook(sys.argv[1])\n"
	"print(wb.sheetnames)\n"
	"ws = wb['Matches']\n"
	"print(ws.freeze_panes, ws.auto_filter.ref)\n"
	"print(','.join(str(c.value) for c in ws[1]))\n"
	"for row in ws.iter_rows(min_row=2):\n"
	"    c = {x.column_letter: x for x in row}\n"
	"    link = c['C'].hyperlink.target if c['C'].hyperlink else None\n"
	"    print('|'.join(['%s:%s' % (c[k].data_type, c[k].value) for k in "
	"'ABCDEFP'] + [str(link)]))\n"
	"print(ws.column_dimensions['F'].width > 20)\n";

static char *read_xlsx(const char *path)
{
	const char *tmp = ct_tmpdir();
	const char *py = ct_keep(ct_path(tmp, "read_xlsx.py"));
	ct_run r = {0};
	char *out;

	cr_assert(access(PYTHON, X_OK) == 0, "%s is missing", PYTHON);
	ct_write(py, reader);
	ct_run_sh(&r, "'%s' '%s' '%s'", PYTHON, py, path);
	cr_assert_eq(r.status, 0, "openpyxl cannot read %s:\n%s", path, r.err);
	out = strdup(r.out);
	ct_run_free(&r);
	return out;
}

#define FACTS_JSON                                                             \
	"\"age\": 60, \"sex\": \"male\", \"diagnosis\": \"colon "              \
	"adenocarcinoma\", \"ecog\": 1, \"biomarkers\": [{\"name\": "          \
	"\"KRAS\", \"status\": \"mutated\", \"variant\": \"G12C\"}]"

/* The rows of test_csv.c's patient, as openpyxl reads them. */
#define ROWS(id)                                                               \
	"s:" id "|n:1|s:NCT93000091|s:ineligible|n:3|s:+Plus Study of "        \
	"FX-9191|n:0|https://clinicaltrials.gov/study/NCT93000091\n"           \
	"s:" id "|n:2|s:NCT93000092|s:ineligible|n:3|s:-Minus Study: "         \
	"\"Phase 1\", dose escalation|n:0|"                                    \
	"https://clinicaltrials.gov/study/NCT93000092\n"                       \
	"s:" id "|n:3|s:NCT93000093|s:ineligible|n:3|s:@Handle Study\n"      \
	"second line|n:0|https://clinicaltrials.gov/study/NCT93000093\n"       \
	"s:" id "|n:4|s:NCT93000090|s:ineligible|n:2.5|s:=HYPERLINK("          \
	"\"http://x\",\"y\"), phase \"2\"|n:0|"                                \
	"https://clinicaltrials.gov/study/NCT93000090\n"

#define HEAD(last)                                                             \
	"['Matches']\nA2 A1:U" last "\n"                                        \
	"patient_id,rank,nct_id,verdict,score,title,phase,overall_status,met," \
	"unknown,to_check,reasons,site,last_update,change,review,url,"         \
	"warnings,previous_verdict,previous_rank,drop_reason\n"

Test(xlsx, batch_export_and_match_workbooks_read_by_openpyxl)
{
	const char *db = mb_index("csv", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = ct_keep(ct_path(tmp, "roster.json"));
	const char *book = ct_keep(ct_path(tmp, "night.xlsx"));
	const char *exp = ct_keep(ct_path(tmp, "export.xlsx"));
	const char *one = ct_keep(ct_path(tmp, "match.xlsx"));
	const char *want = HEAD("5") ROWS("P1") "True\n";
	char *got;
	struct stat st;
	ct_run r = {0};

	ct_write(roster, "[{\"id\": \"P1\", " FACTS_JSON "}]\n");
	ct_run_cmd(&r, NULL,
		   "batch --db '%s' " MB_TODAY " --patients '%s' --out '%s' "
		   "--format xlsx --include-ineligible --threads 1",
		   db, roster, book);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(stat(book, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "the workbook is %o",
		     st.st_mode & 0777);
	got = read_xlsx(book);
	/* the batch adds change "new" in column O: not among those read */
	cr_assert_str_eq(got, want, "got:\n%s\nwant:\n%s", got, want);
	free(got);

	ct_run_sh(&r, "'%s' export --db '%s' --format xlsx > '%s'", tu_ctmatch(),
		  db, exp);
	cr_assert_eq(r.status, 0, "%s", r.err);
	got = read_xlsx(exp);
	cr_assert_str_eq(got, want, "export got:\n%s\nwant:\n%s", got, want);
	free(got);

	ct_run_sh(&r,
		  "'%s' match --db '%s' " MB_TODAY " --format xlsx "
		  "--include-ineligible --patient '%s' > '%s'",
		  tu_ctmatch(), db, roster, one);
	cr_assert_eq(r.status, 0, "%s", r.err);
	got = read_xlsx(one);
	cr_assert_str_eq(got, want, "match got:\n%s\nwant:\n%s", got, want);
	free(got);

	/* --bom is for CSV only; xlsx refuses --explain */
	ct_run_cmd(&r, NULL, "export --db '%s' --format xlsx --bom", db);
	cr_assert_eq(r.status, 2, "%s", r.err);
	ct_run_sh(&r,
		  "'%s' match --db '%s' --format xlsx --explain --patient '%s' "
		  "> /dev/null",
		  tu_ctmatch(), db, roster);
	cr_assert_eq(r.status, 2, "%s", r.err);
	ct_run_free(&r);
}

/* --bom: the three bytes, then the same CSV. */
Test(xlsx, bom_starts_the_csv)
{
	const char *db = mb_index("trials", NULL);
	ct_run r = {0};
	char *plain;

	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --format csv --patient '%s'",
		   db, mb_fx("patients/dir/A01.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	plain = strdup(r.out);
	cr_assert(plain && !strncmp(plain, "patient_id,", 11));
	ct_run_cmd(&r, NULL,
		   "match --db '%s' " MB_TODAY " --format csv --bom --patient '%s'",
		   db, mb_fx("patients/dir/A01.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(!strncmp(r.out, "\xEF\xBB\xBF", 3), "no BOM");
	cr_assert_str_eq(r.out + 3, plain);
	free(plain);
	ct_run_free(&r);
}
