/*
 * test_population.c - whom a trial is for (spec/matching.md, "The
 * population"; issue #11): the fixture records of fixtures/population/,
 * parsed as ingest parses them, against colorectal patients and one
 * pancreatic one. Each row: the verdict, and the population entry the
 * matcher adds ("" when the population is met and adds none).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <ctm/engine.h>
#include <ctm/parsers.h>

#include "testutil.h"

#define TODAY 20261126

static ctm_lexicon *lx;
static ctm_matcher *m;
static ctm_criteria_parser *cp;

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_matcher_new(&m, lx, &e), 0);
	cr_assert_eq(ctm_criteria_parser_new(&cp, lx, &e), 0, "%s", e.message);
}

static void teardown(void)
{
	ctm_criteria_parser_free(cp);
	ctm_matcher_free(m);
	ctm_lexicon_free(lx);
}

static ctm_trial *trial(const char *nct)
{
	char path[4096];
	ctm_xml_reader *r;
	ctm_criteria_ctx *ctx;
	ctm_trial *t = NULL;
	ctm_error e;

	snprintf(path, sizeof path, "%s/%s.xml", tu_fixture("population"), nct);
	cr_assert_eq(ctm_xml_open_file(&r, path, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_xml_next(r, &t, &e), 1, "%s: %s", path, e.message);
	ctm_xml_close(r);
	cr_assert_eq(ctm_criteria_ctx_new(&ctx, cp), 0);
	cr_assert_eq(ctm_criteria_parse(ctx, t, &e), 0, "%s", e.message);
	ctm_criteria_ctx_free(ctx);
	return t;
}

#define COLON "{\"id\":\"c\",\"age\":60,\"sex\":\"male\",\"ecog\":1,\"diagnosis\":\"colon adenocarcinoma\"}"
#define RECTUM "{\"id\":\"r\",\"age\":60,\"sex\":\"male\",\"ecog\":1,\"diagnosis\":\"rectal cancer\"}"
#define CRC "{\"id\":\"k\",\"age\":60,\"sex\":\"male\",\"ecog\":1,\"diagnosis\":\"colorectal cancer\"}"
#define PANC "{\"id\":\"p\",\"age\":60,\"sex\":\"male\",\"ecog\":1,\"diagnosis\":\"pancreatic adenocarcinoma\"}"
#define NODX "{\"id\":\"n\",\"age\":60,\"sex\":\"male\",\"ecog\":1}"

static const struct row {
	const char *nct, *profile;
	ctm_verdict verdict;
	ctm_outcome outcome; /* of the population entry, if any */
	const char *text;    /* the population entry, "" when none */
} rows[] = {
	/* other cancers: ineligible, the reason names the population */
	{"NCT91100001", COLON, CTM_VERDICT_INELIGIBLE, CTM_OUT_NOT_MET, "for pancreatic cancer"},
	{"NCT91100002", COLON, CTM_VERDICT_INELIGIBLE, CTM_OUT_NOT_MET, "for non-small cell lung cancer"},
	{"NCT91100003", COLON, CTM_VERDICT_INELIGIBLE, CTM_OUT_NOT_MET, "for breast cancer"},
	{"NCT91100004", COLON, CTM_VERDICT_INELIGIBLE, CTM_OUT_NOT_MET, "for leukemia or lymphoma"},
	{"NCT91100010", COLON, CTM_VERDICT_INELIGIBLE, CTM_OUT_NOT_MET, "for rectal cancer"},
	/* pan-tumour, baskets that list the cancer, the patient's own */
	{"NCT91100005", COLON, CTM_VERDICT_ELIGIBLE, CTM_OUT_MET, ""},
	{"NCT91100006", COLON, CTM_VERDICT_ELIGIBLE, CTM_OUT_MET, ""},
	{"NCT91100009", COLON, CTM_VERDICT_ELIGIBLE, CTM_OUT_MET, ""},
	{"NCT91100012", COLON, CTM_VERDICT_ELIGIBLE, CTM_OUT_MET, ""},
	/* a site as the condition: the criteria say whom it is for */
	{"NCT91100007", COLON, CTM_VERDICT_ELIGIBLE, CTM_OUT_MET, ""},
	{"NCT91100007", PANC, CTM_VERDICT_INELIGIBLE, CTM_OUT_NOT_MET, "for colorectal adenocarcinoma"},
	/* ... or nothing does: never eligible, never excluded for it */
	{"NCT91100008", COLON, CTM_VERDICT_POSSIBLE, CTM_OUT_UNKNOWN, "population not read from the conditions"},
	{"NCT91100011", COLON, CTM_VERDICT_POSSIBLE, CTM_OUT_UNKNOWN, "population not read from the conditions"},
	/* a diagnosis known less precisely, or not at all */
	{"NCT91100010", RECTUM, CTM_VERDICT_ELIGIBLE, CTM_OUT_MET, ""},
	{"NCT91100010", CRC, CTM_VERDICT_POSSIBLE, CTM_OUT_UNKNOWN, "for rectal cancer"},
	{"NCT91100012", NODX, CTM_VERDICT_POSSIBLE, CTM_OUT_UNKNOWN, "for colorectal cancer"},
	/* the other way round */
	{"NCT91100001", PANC, CTM_VERDICT_ELIGIBLE, CTM_OUT_MET, ""},
	{"NCT91100006", PANC, CTM_VERDICT_ELIGIBLE, CTM_OUT_MET, ""},
	{"NCT91100012", PANC, CTM_VERDICT_INELIGIBLE, CTM_OUT_NOT_MET, "for colorectal cancer"},
};

TestSuite(population, .init = setup, .fini = teardown);

Test(population, fixture_trials_against_patients)
{
	size_t i, j;

	if (!tu_fixture("population"))
		cr_skip_test("no fixtures");
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *w = &rows[i];
		ctm_trial *t = trial(w->nct);
		ctm_profile *p;
		ctm_arena *a = ctm_arena_new();
		const ctm_crit_eval *pop = NULL;
		ctm_match res;
		ctm_error e;

		cr_assert_eq(ctm_profile_parse(w->profile, strlen(w->profile),
					       "test", lx, TODAY, &p, &e),
			     0, "%s", e.message);
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, 0, a, &res), 0);
		cr_expect_eq(res.verdict, w->verdict, "%s %s: verdict %s",
			     w->nct, p->id, ctm_verdict_name(res.verdict));
		/* the population entry: after sex and age, no criterion */
		for (j = 0; j < res.n_evals; j++)
			if (!res.evals[j].criterion && res.evals[j].text &&
			    strncmp(res.evals[j].text, "Age", 3) &&
			    strncmp(res.evals[j].text, "Sex", 3))
				pop = &res.evals[j];
		if (!*w->text) {
			cr_expect_null(pop, "%s %s: population entry '%s'",
				       w->nct, p->id, pop ? pop->text : "");
		} else {
			cr_assert_not_null(pop, "%s %s: no population entry",
					   w->nct, p->id);
			cr_expect_str_eq(pop->text, w->text, "%s %s", w->nct,
					 p->id);
			cr_expect_eq(pop->outcome, w->outcome, "%s %s: %s",
				     w->nct, p->id,
				     ctm_outcome_name(pop->outcome));
			cr_expect_eq(pop->section, CTM_SECTION_INCLUSION);
		}
		ctm_arena_free(a);
		ctm_profile_free(p);
		ctm_trial_free(t);
	}
}

/* The population is stored with the trial, as read at parse time. */
Test(population, read_from_conditions_mesh_and_criteria)
{
	static const struct {
		const char *nct;
		const char *names; /* canonical names, in order, '|' between */
		bool partial;
	} want[] = {
		{"NCT91100001", "pancreatic cancer", false}, /* "Neoplasms" beside it: indexing */
		{"NCT91100003", "breast cancer", false},     /* "Neoplasm Metastasis": a site */
		{"NCT91100005", "solid tumour", false},	     /* "Neoplasms" too */
		{"NCT91100007", "colorectal adenocarcinoma", false},
		{"NCT91100008", "", false},
		{"NCT91100009", "melanoma|cancer", false},
		{"NCT91100011", "", true},
	};
	size_t i, j;

	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		ctm_trial *t = trial(want[i].nct);
		char got[512] = "";
		size_t len = 0;

		for (j = 0; j < t->n_population; j++)
			len += (size_t)snprintf(got + len, sizeof got - len, "%s%s",
						j ? "|" : "",
						ctm_lexicon_name(lx, t->population[j]));
		cr_expect_str_eq(got, want[i].names, "%s", want[i].nct);
		cr_expect_eq(t->population_partial, want[i].partial, "%s",
			     want[i].nct);
		ctm_trial_free(t);
	}
}
