/*
 * test_match_strict.c - strict bounds in the matcher's three-valued
 * outcome: the value at the bound, just below and just above it, for
 * inclusions and exclusions (polarity folded in: an exclusion of X is NOT
 * X), for a lab value typed in another unit and converted, and for the
 * sentences as the criteria reader reads them.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include <ctm/engine.h>
#include <ctm/parsers.h>

#include "../../parsers/criteria_extract.h"

#define TODAY 20261126

static ctm_lexicon *lx;
static ctm_matcher *m;
static ctm_criteria_parser *parser;
static ctm_criteria_ctx *ctx;

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_matcher_new(&m, lx, &e), 0);
	cr_assert_eq(ctm_criteria_parser_new(&parser, lx, &e), 0, "%s",
		     e.message);
	cr_assert_eq(ctm_criteria_ctx_new(&ctx, parser), 0);
}

static void teardown(void)
{
	ctm_criteria_ctx_free(ctx);
	ctm_criteria_parser_free(parser);
	ctm_matcher_free(m);
	ctm_lexicon_free(lx);
}

static ctm_constraint K(ctm_kind kind, double lo, double hi, unsigned flags)
{
	ctm_constraint k;

	memset(&k, 0, sizeof k);
	k.kind = kind;
	k.lo = lo;
	k.hi = hi;
	k.alt_hi = INFINITY;
	k.flags = flags;
	return k;
}

static ctm_constraint LAB(const char *lab, double lo, double hi, unsigned flags)
{
	ctm_constraint k = K(CTM_K_LAB, lo, hi, flags);

	k.concept = ctm_lexicon_concept(lx, CTM_CT_LAB, lab);
	cr_assert_neq(k.concept, 0, "no lab %s", lab);
	return k;
}

/* The outcome of a criterion whose expression is one leaf, under a NOT
 * when neg (an exclusion). */
static ctm_outcome run(const ctm_criterion *c, const char *json)
{
	ctm_trial *t = ctm_trial_new();
	ctm_profile *p;
	ctm_arena *a = ctm_arena_new();
	ctm_match res;
	ctm_outcome o;
	ctm_error e;

	cr_assert_eq(ctm_profile_parse(json, strlen(json), "test", lx, TODAY,
				       &p, &e),
		     0, "%s: %s", json, e.message);
	t->nct_id = "NCT00000001";
	t->criteria = (ctm_criterion *)c;
	t->n_criteria = 1;
	cr_assert_eq(
		ctm_match_trial(m, p, t, TODAY, CTM_MATCH_EXPLAIN, a, &res), 0);
	cr_assert_geq(res.n_evals, 1);
	cr_assert_eq(res.evals[res.n_evals - 1].criterion, c);
	o = res.evals[res.n_evals - 1].outcome;
	t->criteria = NULL;
	t->n_criteria = 0;
	ctm_arena_free(a);
	ctm_profile_free(p);
	ctm_trial_free(t);
	return o;
}

static ctm_outcome leaf_outcome(ctm_constraint k, bool neg, const char *json)
{
	ctm_criterion c;
	ctm_expr expr[2];
	size_t n = 0;

	memset(&c, 0, sizeof c);
	c.section = neg ? CTM_SECTION_EXCLUSION : CTM_SECTION_INCLUSION;
	c.structured = true;
	c.text = "test criterion";
	if (neg) {
		expr[n].op = CTM_EXPR_NOT;
		expr[n++].arg = 1;
	}
	expr[n].op = CTM_EXPR_LEAF;
	expr[n++].arg = 0;
	c.expr = expr;
	c.n_expr = n;
	c.constraints = &k;
	c.n_constraints = 1;
	return run(&c, json);
}

typedef struct row {
	const char *profile;
	ctm_outcome want;
} row;

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MET  CTM_OUT_MET
#define NOT  CTM_OUT_NOT_MET
#define UNK  CTM_OUT_UNKNOWN

static void check(const char *rule, ctm_constraint k, bool neg, const row *rows,
		  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ctm_outcome got = leaf_outcome(k, neg, rows[i].profile);
		cr_expect_eq(got, rows[i].want, "%s: %s: got %s, want %s", rule,
			     rows[i].profile, ctm_outcome_name(got),
			     ctm_outcome_name(rows[i].want));
	}
}

/* A sentence as the reader reads it, against profiles. */
static void check_sentence(ctm_section sec, const char *text,
			   const char *want_read, const row *rows, size_t n)
{
	ctm_arena *a = ctm_arena_new();
	ctm_criterion c;
	ctm_error e = {0};
	char buf[256];
	size_t i;

	memset(&c, 0, sizeof c);
	c.section = sec;
	c.text = text;
	cr_assert_eq(ctm_criteria_extract(ctx, &c, a, &e), 0, "%s", e.message);
	ctm_criterion_format(&c, lx, buf, sizeof buf);
	cr_assert_str_eq(buf, want_read, "%s", text);
	for (i = 0; i < n; i++) {
		ctm_outcome got = run(&c, rows[i].profile);
		cr_expect_eq(got, rows[i].want, "%s: %s: got %s, want %s", text,
			     rows[i].profile, ctm_outcome_name(got),
			     ctm_outcome_name(rows[i].want));
	}
	ctm_arena_free(a);
}

#define ANC(v) "{\"id\":\"p\",\"labs\":{\"anc\":" v "}}"
#define ANC_UL(v)                                                              \
	"{\"id\":\"p\",\"labs\":{\"anc\":{\"value\":" v ",\"unit\":\"/uL\"}}}"

TestSuite(match_strict, .init = setup, .fini = teardown);

Test(match_strict, lab_lower_bound_inclusion)
{
	/* "ANC > 1.5": 1.5 fails; "ANC >= 1.5": 1.5 meets */
	row open[] = {
		{ANC("1.49"), NOT},
		{ANC("1.5"), NOT},
		{ANC("1.51"), MET},
		{"{\"id\":\"p\",\"labs\":{}}", UNK},
	};
	row closed[] = {
		{ANC("1.49"), NOT},
		{ANC("1.5"), MET},
		{ANC("1.51"), MET},
	};
	check("ANC > 1.5", LAB("anc", 1.5, INFINITY, CTM_F_LO_OPEN), false,
	      open, N(open));
	check("ANC >= 1.5", LAB("anc", 1.5, INFINITY, 0), false, closed,
	      N(closed));
}

Test(match_strict, lab_upper_bound_exclusion)
{
	/* exclusion "ANC < 1.5" is NOT ANC < 1.5: 1.5 is admitted */
	row open[] = {
		{ANC("1.49"), NOT},
		{ANC("1.5"), MET},
		{ANC("1.51"), MET},
	};
	/* exclusion "ANC <= 1.5" bars 1.5 */
	row closed[] = {
		{ANC("1.49"), NOT},
		{ANC("1.5"), NOT},
		{ANC("1.51"), MET},
	};
	check("NOT ANC < 1.5", LAB("anc", -INFINITY, 1.5, CTM_F_HI_OPEN), true,
	      open, N(open));
	check("NOT ANC <= 1.5", LAB("anc", -INFINITY, 1.5, 0), true, closed,
	      N(closed));
}

Test(match_strict, lab_lower_bound_exclusion_and_upper_inclusion)
{
	/* exclusion "bilirubin > 1.5 x ULN": 1.5 is admitted */
	row excl[] = {
		{"{\"id\":\"p\",\"labs\":{\"bilirubin_x_uln\":1.4}}", MET},
		{"{\"id\":\"p\",\"labs\":{\"bilirubin_x_uln\":1.5}}", MET},
		{"{\"id\":\"p\",\"labs\":{\"bilirubin_x_uln\":1.6}}", NOT},
	};
	/* inclusion "bilirubin < 1.5 x ULN": 1.5 fails */
	row incl[] = {
		{"{\"id\":\"p\",\"labs\":{\"bilirubin_x_uln\":1.4}}", MET},
		{"{\"id\":\"p\",\"labs\":{\"bilirubin_x_uln\":1.5}}", NOT},
		{"{\"id\":\"p\",\"labs\":{\"bilirubin_x_uln\":1.6}}", NOT},
	};
	check("NOT bilirubin > 1.5 x ULN",
	      LAB("bilirubin", 1.5, INFINITY, CTM_F_ULN | CTM_F_LO_OPEN), true,
	      excl, N(excl));
	check("bilirubin < 1.5 x ULN",
	      LAB("bilirubin", -INFINITY, 1.5, CTM_F_ULN | CTM_F_HI_OPEN),
	      false, incl, N(incl));
}

Test(match_strict, converted_unit_at_the_bound)
{
	/* 1,400/uL is 1.4000000000000001 x10^9/L after * 0.001: still at
	 * the bound 1.4 */
	row gt[] = {
		{ANC_UL("1399"), NOT},
		{ANC_UL("1400"), NOT},
		{ANC_UL("1401"), MET},
	};
	row ge[] = {
		{ANC_UL("1399"), NOT},
		{ANC_UL("1400"), MET},
		{ANC_UL("1401"), MET},
	};
	row not_lt[] = {
		{ANC_UL("1399"), NOT},
		{ANC_UL("1400"), MET},
		{ANC_UL("1401"), MET},
	};
	row hgb[] = {
		{"{\"id\":\"p\",\"labs\":{\"hemoglobin\":{\"value\":89,"
		 "\"unit\":\"g/L\"}}}",
		 NOT},
		{"{\"id\":\"p\",\"labs\":{\"hemoglobin\":{\"value\":90,"
		 "\"unit\":\"g/L\"}}}",
		 NOT},
		{"{\"id\":\"p\",\"labs\":{\"hemoglobin\":{\"value\":91,"
		 "\"unit\":\"g/L\"}}}",
		 MET},
	};
	check("ANC > 1.4", LAB("anc", 1.4, INFINITY, CTM_F_LO_OPEN), false, gt,
	      N(gt));
	check("ANC >= 1.4", LAB("anc", 1.4, INFINITY, 0), false, ge, N(ge));
	check("NOT ANC < 1.4", LAB("anc", -INFINITY, 1.4, CTM_F_HI_OPEN), true,
	      not_lt, N(not_lt));
	check("hemoglobin > 9 g/dL",
	      LAB("hemoglobin", 9, INFINITY, CTM_F_LO_OPEN), false, hgb,
	      N(hgb));
}

Test(match_strict, liver_exception_bounds_are_strict_each_on_its_own)
{
	/* "AST < 2.5 x ULN (< 5 x ULN with liver metastases)" */
	ctm_constraint k =
		LAB("ast", -INFINITY, 2.5,
		    CTM_F_ULN | CTM_F_HI_OPEN | CTM_F_LIVER_EXCEPTION |
			    CTM_F_ALT_HI_OPEN);
	/* "AST <= 2.5 x ULN (<= 5 ...)" for contrast */
	ctm_constraint kc =
		LAB("ast", -INFINITY, 2.5, CTM_F_ULN | CTM_F_LIVER_EXCEPTION);
	row rows[] = {
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":2.4},"
		 "\"metastatic_sites\":[\"lung\"]}",
		 MET},
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":2.5},"
		 "\"metastatic_sites\":[\"lung\"]}",
		 NOT},
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":4.9},"
		 "\"metastatic_sites\":[\"liver\"]}",
		 MET},
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":5},"
		 "\"metastatic_sites\":[\"liver\"]}",
		 NOT},
		/* liver metastases unknown: between the two bounds */
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":2.5}}", UNK},
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":5}}", NOT},
	};
	row rows_c[] = {
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":2.5},"
		 "\"metastatic_sites\":[\"lung\"]}",
		 MET},
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":5},"
		 "\"metastatic_sites\":[\"liver\"]}",
		 MET},
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":5}}", UNK},
	};
	/* transaminases with one of AST/ALT known: it can fail the bound */
	ctm_constraint kt =
		LAB("transaminases", -INFINITY, 2.5, CTM_F_ULN | CTM_F_HI_OPEN);
	row rows_t[] = {
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":2.5}}", NOT},
		{"{\"id\":\"p\",\"labs\":{\"ast_x_uln\":2.4}}", UNK},
	};

	k.alt_hi = 5;
	kc.alt_hi = 5;
	check("AST < 2.5 x ULN (< 5)", k, false, rows, N(rows));
	check("AST <= 2.5 x ULN (<= 5)", kc, false, rows_c, N(rows_c));
	check("transaminases < 2.5 x ULN", kt, false, rows_t, N(rows_t));
}

Test(match_strict, age_in_whole_years)
{
	/* "older than 18": at 18 (whole years) it holds after the
	 * birthday, not on it: unknown */
	row gt[] = {
		{"{\"id\":\"p\",\"age\":17}", NOT},
		{"{\"id\":\"p\",\"age\":18}", UNK},
		{"{\"id\":\"p\",\"age\":19}", MET},
	};
	/* exclusion "age > 75" */
	row not_gt[] = {
		{"{\"id\":\"p\",\"age\":74}", MET},
		{"{\"id\":\"p\",\"age\":75}", UNK},
		{"{\"id\":\"p\",\"age\":76}", NOT},
	};
	/* "under 75": a 75-year-old is not */
	row lt[] = {
		{"{\"id\":\"p\",\"age\":74}", MET},
		{"{\"id\":\"p\",\"age\":75}", NOT},
		{"{\"id\":\"p\",\"age\":76}", NOT},
	};
	/* exclusion "age < 18" admits 18 */
	row not_lt[] = {
		{"{\"id\":\"p\",\"age\":17}", NOT},
		{"{\"id\":\"p\",\"age\":18}", MET},
		{"{\"id\":\"p\",\"age\":19}", MET},
	};
	check("age > 18", K(CTM_K_AGE, 18, INFINITY, CTM_F_LO_OPEN), false, gt,
	      N(gt));
	check("NOT age > 75", K(CTM_K_AGE, 75, INFINITY, CTM_F_LO_OPEN), true,
	      not_gt, N(not_gt));
	check("age < 75", K(CTM_K_AGE, -INFINITY, 75, CTM_F_HI_OPEN), false, lt,
	      N(lt));
	check("NOT age < 18", K(CTM_K_AGE, -INFINITY, 18, CTM_F_HI_OPEN), true,
	      not_lt, N(not_lt));
}

Test(match_strict, karnofsky_strict_and_from_ecog)
{
	row rows[] = {
		{"{\"id\":\"p\",\"karnofsky\":70}", NOT},
		{"{\"id\":\"p\",\"karnofsky\":80}", MET},
		/* ECOG 0 is Karnofsky 90-100, 1 is 70-80, 2 is 50-60 */
		{"{\"id\":\"p\",\"ecog\":0}", MET},
		{"{\"id\":\"p\",\"ecog\":1}", UNK},
		{"{\"id\":\"p\",\"ecog\":2}", NOT},
	};
	check("Karnofsky > 70", K(CTM_K_KARNOFSKY, 70, INFINITY, CTM_F_LO_OPEN),
	      false, rows, N(rows));
}

Test(match_strict, washout_days_at_the_bound)
{
	ctm_constraint k = K(CTM_K_THERAPY, -INFINITY, INFINITY,
			     CTM_F_WITHIN | CTM_F_HI_OPEN);
	ctm_constraint kc = K(CTM_K_THERAPY, -INFINITY, INFINITY, CTM_F_WITHIN);
	/* TODAY is 2026-11-26: 28 days after 2026-10-29 */
	row ge[] = {
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
		 "\"end_date\":\"2026-10-30\"}]}",
		 NOT},
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
		 "\"end_date\":\"2026-10-29\"}]}",
		 MET},
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
		 "\"end_date\":\"2026-10-28\"}]}",
		 MET},
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\"}]}",
		 UNK},
	};
	row gt[] = {
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
		 "\"end_date\":\"2026-10-30\"}]}",
		 NOT},
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
		 "\"end_date\":\"2026-10-29\"}]}",
		 NOT},
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
		 "\"end_date\":\"2026-10-28\"}]}",
		 MET},
	};

	k.within_days = 28;
	kc.within_days = 28;
	k.concept = kc.concept =
		ctm_lexicon_concept(lx, CTM_CT_CLASS, "chemotherapy");
	cr_assert_neq(k.concept, 0);
	/* ">= 28 days since": NOT within < 28 days */
	check("NOT chemotherapy within < 28 days", k, true, ge, N(ge));
	/* "> 28 days since": NOT within 28 days */
	check("NOT chemotherapy within 28 days", kc, true, gt, N(gt));
}

Test(match_strict, tmb_threshold)
{
	ctm_constraint k = K(CTM_K_BIOMARKER, 10, INFINITY, CTM_F_LO_OPEN);
	ctm_constraint kc = K(CTM_K_BIOMARKER, 10, INFINITY, 0);
	row gt[] = {
		{"{\"id\":\"p\",\"biomarkers\":[{\"name\":\"TMB\",\"status\":"
		 "\"high\",\"value\":10}]}",
		 NOT},
		{"{\"id\":\"p\",\"biomarkers\":[{\"name\":\"TMB\",\"status\":"
		 "\"high\",\"value\":10.5}]}",
		 MET},
		/* TMB-high without a value is >= 10: not surely > 10 */
		{"{\"id\":\"p\",\"biomarkers\":[{\"name\":\"TMB\",\"status\":"
		 "\"high\"}]}",
		 UNK},
	};
	row ge[] = {
		{"{\"id\":\"p\",\"biomarkers\":[{\"name\":\"TMB\",\"status\":"
		 "\"high\",\"value\":10}]}",
		 MET},
		{"{\"id\":\"p\",\"biomarkers\":[{\"name\":\"TMB\",\"status\":"
		 "\"high\"}]}",
		 MET},
	};

	k.concept = kc.concept = ctm_lexicon_concept(lx, CTM_CT_MARKER, "TMB");
	cr_assert_neq(k.concept, 0);
	k.status = kc.status = CTM_BM_HIGH;
	check("TMB high > 10", k, false, gt, N(gt));
	check("TMB high >= 10", kc, false, ge, N(ge));
}

Test(match_strict, sentences_as_read)
{
	row anc_gt[] = {
		{ANC("1.5"), NOT},
		{ANC("1.6"), MET},
		{ANC_UL("1500"), NOT},
		{ANC_UL("1501"), MET},
	};
	row anc_not_lt[] = {
		{ANC("1.5"), MET},
		{ANC("1.4"), NOT},
		{ANC_UL("1500"), MET},
		{ANC_UL("1499"), NOT},
	};
	row age_not_lt[] = {
		{"{\"id\":\"p\",\"age\":18}", MET},
		{"{\"id\":\"p\",\"age\":17}", NOT},
	};
	row washout[] = {
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
		 "\"end_date\":\"2026-10-29\"}]}",
		 MET},
		{"{\"id\":\"p\",\"prior_therapies\":[{\"name\":\"FOLFOX\","
		 "\"end_date\":\"2026-10-30\"}]}",
		 NOT},
	};

	check_sentence(CTM_SECTION_INCLUSION, "ANC > 1,500/mm3",
		       "ANC > 1.5 x10^9/L", anc_gt, N(anc_gt));
	check_sentence(CTM_SECTION_EXCLUSION, "ANC less than 1500/mm3",
		       "NOT ANC < 1.5 x10^9/L", anc_not_lt, N(anc_not_lt));
	check_sentence(CTM_SECTION_EXCLUSION, "Age under 18 years",
		       "NOT age < 18", age_not_lt, N(age_not_lt));
	check_sentence(CTM_SECTION_UNSPECIFIED,
		       "At least 4 weeks since prior chemotherapy",
		       "NOT prior chemotherapy [within < 28 days]", washout,
		       N(washout));
}
