/*
 * test_record_errors.c - record errors never exclude (spec/matching.md,
 * "Record errors"; issue #11): the records of fixtures/record-errors/,
 * each written with one error registry text holds, parsed as ingest
 * parses them.
 *   NCT91200001  the inclusion list copied under the exclusion header
 *                (one item with a wider ECOG range) before the real one
 *   NCT91200002  a second inclusion and exclusion header
 *   NCT91200003  numbering that restarts inside the inclusion list
 *   NCT91200004  numbered items run together on one line ("ECOG 0-2
 *                5. Adequate organ function as defined below:")
 * First the criteria a reader sees, in order; then, table-driven, the
 * verdicts and reasons a careful reader gives four patients.
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

TestSuite(record_errors, .init = setup, .fini = teardown);

static ctm_trial *trial(const char *nct)
{
	char path[4096];
	ctm_xml_reader *r;
	ctm_criteria_ctx *ctx;
	ctm_trial *t = NULL;
	ctm_error e;

	snprintf(path, sizeof path, "%s/%s.xml", tu_fixture("record-errors"),
		 nct);
	cr_assert_eq(ctm_xml_open_file(&r, path, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_xml_next(r, &t, &e), 1, "%s: %s", path, e.message);
	ctm_xml_close(r);
	cr_assert_eq(ctm_criteria_ctx_new(&ctx, cp), 0);
	cr_assert_eq(ctm_criteria_parse(ctx, t, &e), 0, "%s", e.message);
	ctm_criteria_ctx_free(ctx);
	return t;
}

/* "I text" / "E text" / "i text" (an inclusion left for review), "e
 * text" (an exclusion left for review), in order. */
static const struct {
	const char *nct;
	const char *crit[12];
} segments[] = {
	{"NCT91200001",
	 {"I Histologically confirmed adenocarcinoma of the colon or rectum",
	  "I ECOG performance status 0-1", "I Total bilirubin <= 1.5 x ULN",
	  "e Histologically confirmed adenocarcinoma of the colon or rectum",
	  "e ECOG performance status 0-2", "e Total bilirubin <= 1.5 x ULN",
	  "E Active brain metastases", NULL}},
	{"NCT91200002",
	 {"I ECOG performance status 0-1", "E Active brain metastases",
	  "I Measurable disease per RECIST 1.1", "E Prior irinotecan", NULL}},
	{"NCT91200003",
	 {"I Histologically confirmed metastatic colorectal adenocarcinoma",
	  "I ECOG performance status 0-1",
	  "I Measurable disease per RECIST 1.1",
	  "I Age 18 years or older", "E Active brain metastases",
	  "E Prior irinotecan", NULL}},
	{"NCT91200004",
	 {"I Histologically confirmed metastatic colorectal adenocarcinoma",
	  "I Measurable disease per RECIST 1.1", "I Age 18 years or older",
	  "I ECOG 0-2", "i Adequate organ function as defined below:",
	  "I Absolute neutrophil count >= 1.5 x 10^9/L",
	  "I Platelets >= 100 x 10^9/L", "E Active brain metastases",
	  "E Prior irinotecan", NULL}},
};

Test(record_errors, criteria_are_split_where_a_reader_splits_them)
{
	size_t i, j;

	for (i = 0; i < sizeof segments / sizeof segments[0]; i++) {
		ctm_trial *t = trial(segments[i].nct);
		for (j = 0; segments[i].crit[j]; j++) {
			const char *w = segments[i].crit[j];
			const ctm_criterion *c;
			char kind;
			cr_assert_lt(j, t->n_criteria, "%s: %zu criteria, want more",
				     segments[i].nct, t->n_criteria);
			c = &t->criteria[j];
			kind = c->section == CTM_SECTION_EXCLUSION
				       ? (c->structured ? 'E' : 'e')
				       : (c->structured ? 'I' : 'i');
			cr_expect_eq(kind, w[0], "%s #%zu '%s': %c, want %c",
				     segments[i].nct, j + 1, c->text, kind, w[0]);
			cr_expect_str_eq(c->text, w + 2, "%s #%zu", segments[i].nct,
					 j + 1);
		}
		cr_expect_eq(t->n_criteria, j, "%s: %zu criteria, want %zu",
			     segments[i].nct, t->n_criteria, j);
		ctm_trial_free(t);
	}
}

/* The copies under the exclusion header say why they are review. */
Test(record_errors, a_copied_inclusion_list_is_review_with_the_reason)
{
	ctm_trial *t = trial("NCT91200001");

	cr_assert_eq(t->n_criteria, 7);
	cr_expect_str_eq(t->criteria[3].review_reason,
			 "an exclusion that repeats the inclusion criterion "
			 "\"Histologically confirmed adenocarcinoma of the colon "
			 "or rectum\"");
	cr_expect_str_eq(t->criteria[4].review_reason,
			 "an exclusion that contradicts the inclusion criterion "
			 "\"ECOG performance status 0-1\"");
	cr_expect_str_eq(t->criteria[5].review_reason,
			 "an exclusion that repeats the inclusion criterion "
			 "\"Total bilirubin <= 1.5 x ULN\"");
	cr_expect_null(t->criteria[6].review_reason);
	cr_expect_null(t->criteria[0].review_reason);
	ctm_trial_free(t);
}

#define FIT "\"id\":\"fit\",\"age\":60,\"sex\":\"male\",\"diagnosis\":\"colon adenocarcinoma\",\"metastatic\":true,\"metastatic_sites\":[\"liver\"],\"measurable_disease\":true,\"prior_therapies\":[],\"labs\":{\"anc\":2.0,\"platelets\":200,\"bilirubin_x_uln\":1.0}"

static const struct {
	const char *nct, *profile;
	ctm_verdict verdict;
	const char *reasons; /* the texts not met, '|' between */
} verdicts[] = {
	/* a fit patient: the copied list excludes nobody */
	{"NCT91200001", "{" FIT ",\"ecog\":1,\"brain_metastases\":\"none\"}", CTM_VERDICT_ELIGIBLE, ""},
	{"NCT91200002", "{" FIT ",\"ecog\":1,\"brain_metastases\":\"none\"}", CTM_VERDICT_ELIGIBLE, ""},
	{"NCT91200003", "{" FIT ",\"ecog\":1,\"brain_metastases\":\"none\"}", CTM_VERDICT_ELIGIBLE, ""},
	{"NCT91200004", "{" FIT ",\"ecog\":1,\"brain_metastases\":\"none\"}", CTM_VERDICT_ELIGIBLE, ""},
	/* ECOG 2: the inclusion bars the patient, not the copy */
	{"NCT91200001", "{" FIT ",\"ecog\":2,\"brain_metastases\":\"none\"}", CTM_VERDICT_INELIGIBLE, "ECOG performance status 0-1"},
	{"NCT91200002", "{" FIT ",\"ecog\":2,\"brain_metastases\":\"none\"}", CTM_VERDICT_INELIGIBLE, "ECOG performance status 0-1"},
	{"NCT91200004", "{" FIT ",\"ecog\":2,\"brain_metastases\":\"none\"}", CTM_VERDICT_ELIGIBLE, ""},
	/* active brain metastases: the real exclusion, after the copy */
	{"NCT91200001", "{" FIT ",\"ecog\":1,\"brain_metastases\":\"active\"}", CTM_VERDICT_INELIGIBLE, "Active brain metastases"},
	{"NCT91200003", "{" FIT ",\"ecog\":1,\"brain_metastases\":\"active\"}", CTM_VERDICT_INELIGIBLE, "Active brain metastases"},
	{"NCT91200004", "{" FIT ",\"ecog\":1,\"brain_metastases\":\"active\"}", CTM_VERDICT_INELIGIBLE, "Active brain metastases"},
	/* run-on and restarted items still bind: platelets, measurability */
	{"NCT91200004", "{\"id\":\"plt\",\"age\":60,\"sex\":\"male\",\"diagnosis\":\"colon adenocarcinoma\",\"metastatic\":true,\"metastatic_sites\":[\"liver\"],\"measurable_disease\":true,\"prior_therapies\":[],\"ecog\":1,\"brain_metastases\":\"none\",\"labs\":{\"anc\":2.0,\"platelets\":80}}",
	 CTM_VERDICT_INELIGIBLE, "Platelets >= 100 x 10^9/L"},
	{"NCT91200003", "{\"id\":\"meas\",\"age\":60,\"sex\":\"male\",\"diagnosis\":\"colon adenocarcinoma\",\"metastatic\":true,\"metastatic_sites\":[\"liver\"],\"measurable_disease\":false,\"prior_therapies\":[],\"ecog\":1,\"brain_metastases\":\"none\"}",
	 CTM_VERDICT_INELIGIBLE, "Measurable disease per RECIST 1.1"},
	/* the second exclusion header binds */
	{"NCT91200002", "{\"id\":\"iri\",\"age\":60,\"sex\":\"male\",\"diagnosis\":\"colon adenocarcinoma\",\"measurable_disease\":true,\"ecog\":1,\"brain_metastases\":\"none\",\"prior_therapies\":[{\"name\":\"FOLFIRI\",\"line\":1,\"setting\":\"metastatic\",\"progressed\":true}]}",
	 CTM_VERDICT_INELIGIBLE, "Prior irinotecan"},
};

Test(record_errors, verdicts_a_careful_reader_gives)
{
	size_t i, j;

	for (i = 0; i < sizeof verdicts / sizeof verdicts[0]; i++) {
		ctm_trial *t = trial(verdicts[i].nct);
		ctm_arena *a = ctm_arena_new();
		ctm_profile *p;
		ctm_match res;
		ctm_error e;
		char got[1024] = "";
		size_t len = 0;

		cr_assert_eq(ctm_profile_parse(verdicts[i].profile,
					       strlen(verdicts[i].profile),
					       "test", lx, TODAY, &p, &e),
			     0, "%s", e.message);
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, 0, a, &res), 0);
		for (j = 0; j < res.n_evals; j++)
			if (res.evals[j].outcome == CTM_OUT_NOT_MET)
				len += (size_t)snprintf(got + len, sizeof got - len,
							"%s%s", len ? "|" : "",
							res.evals[j].text);
		cr_expect_eq(res.verdict, verdicts[i].verdict, "%s %s: %s (%s)",
			     verdicts[i].nct, p->id,
			     ctm_verdict_name(res.verdict), got);
		cr_expect_str_eq(got, verdicts[i].reasons, "%s %s",
				 verdicts[i].nct, p->id);
		ctm_arena_free(a);
		ctm_profile_free(p);
		ctm_trial_free(t);
	}
}
