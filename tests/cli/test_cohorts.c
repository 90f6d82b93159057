/*
 * test_cohorts.c - a trial split into cohorts, end to end (spec/matching.md,
 * "Cohorts"): fixtures/cohorts/NCT91300001 (Cohort A KRAS G12C after
 * oxaliplatin, Cohort B BRAF V600E) ingested into a fresh index, then
 * `ctmatch match --include-ineligible` for each fixtures/patients/P*.json.
 * The verdicts were written from the trial text and the profiles before the
 * run: ineligible only when every cohort bars the patient, and the reasons
 * of a cohort's criteria lead with the cohort.
 */
#include "clitest.h"

#define NCT "NCT91300001"

static const struct {
	const char *patient;
	const char *verdict;
	const char *reasons[3]; /* each in the CSV reasons column */
} rows[] = {
	{"P01", "eligible", {NULL}},  /* KRAS G12C, FOLFOX: Cohort A */
	{"P02", "ineligible",	      /* KRAS and BRAF wild-type, untreated */
	 {"Cohort A: KRAS G12C mutation [patient: KRAS wild-type]",
	  "Cohort A: Prior treatment with oxaliplatin [patient: no prior therapy]",
	  "Cohort B: BRAF V600E mutation [patient: BRAF wild-type]"}},
	{"P03", "eligible", {NULL}},  /* BRAF V600E: Cohort B */
	{"P04", "ineligible", {"Cohort A: KRAS G12C mutation [patient: KRAS mutated G13D]",
			       "Cohort B: BRAF V600E mutation [patient: BRAF wild-type]"}},
	{"P05", "eligible", {NULL}},  /* BRAF V600E after pembrolizumab */
	{"P06", "ineligible", {"Cohort B: BRAF V600E mutation [patient: BRAF wild-type]"}},
	{"P07", "ineligible", {"Cohort A: KRAS G12C mutation [patient: KRAS mutated G12D]"}},
	/* not measurable: a criterion of all cohorts, no cohort named */
	{"P08", "ineligible", {"Measurable disease per RECIST 1.1 [patient: no measurable disease]"}},
	{"P09", "ineligible", {"Active brain metastases [patient: active brain metastases]"}},
	{"P10", "ineligible", {"ECOG performance status 0 or 1 [patient: ECOG 2]"}},
	{"P11", "ineligible", {"Measurable disease per RECIST 1.1 [patient: no measurable disease]"}},
	{"P12", "possible", {NULL}},  /* nothing known */
	{"P13", "eligible", {NULL}},  /* KRAS G12C after FOLFOX */
	{"P14", "eligible", {NULL}},  /* KRAS G12C after CAPOX, treated brain mets */
	{"P15", "eligible", {NULL}},  /* BRAF V600E, untreated: Cohort B */
	{"P16", "ineligible", {"Cohort A: KRAS G12C mutation [patient: KRAS wild-type]"}},
	{"P17", "ineligible", {"Cohort B: BRAF V600E mutation [patient: BRAF wild-type]"}},
};

Test(cohorts, a_patient_is_ineligible_only_when_every_cohort_bars_them)
{
	const char *db = ct_new_db();
	ct_run r = {0};
	size_t i, k;

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture("cohorts"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char want[64], path[64];
		const char *line;
		snprintf(path, sizeof path, "%s.json", rows[i].patient);
		ct_run_cmd(&r, NULL,
			   "match --db '%s' --patient '%s' --include-ineligible "
			   "--limit 0 --today 2026-11-26 --format csv",
			   db, ct_path(tu_fixture("patients"), path));
		cr_assert_eq(r.status, 0, "%s: %s", rows[i].patient, r.err);
		snprintf(want, sizeof want, NCT ",%s,", rows[i].verdict);
		line = ct_line_with(r.out, want);
		cr_expect(line, "%s: want %s in\n%s", rows[i].patient,
			  rows[i].verdict, r.out);
		for (k = 0; line && k < 3 && rows[i].reasons[k]; k++)
			cr_expect(strstr(line, rows[i].reasons[k]),
				  "%s: no reason '%s' in\n%s", rows[i].patient,
				  rows[i].reasons[k], line);
	}
	/* --explain leads each cohort's criterion with its cohort, once:
	 * not again where the text names it first */
	ct_run_cmd(&r, NULL,
		   "match --db '%s' --patient '%s' --include-ineligible --limit 0 "
		   "--today 2026-11-26 --explain",
		   db, ct_path(tu_fixture("patients"), "P02.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(ct_line_with(r.out, "NOT MET         Cohort B: BRAF V600E mutation"),
		  "%s", r.out);
	cr_expect(ct_line_with(r.out, "not excluded    Cohort B: prior treatment with a BRAF"),
		  "%s", r.out);
	cr_expect(!strstr(r.out, "Cohort B: Cohort B"), "%s", r.out);
	/* an eligible trial lists the cohorts that bar the patient as such,
	 * not as why the trial does not fit */
	ct_run_cmd(&r, NULL,
		   "match --db '%s' --patient '%s' --limit 0 --today 2026-11-26",
		   db, ct_path(tu_fixture("patients"), "P03.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(ct_line_with(r.out, "not in: Cohort A: KRAS G12C mutation [patient: KRAS wild-type]"),
		  "%s", r.out);
	cr_expect(!strstr(r.out, "why not"), "%s", r.out);
	ct_run_free(&r);
}
