/*
 * test_match.c - the matcher's clinical rules, table-driven: one criterion
 * (an expression over constraints, as the criteria parser builds them)
 * against patient profiles written as JSON, each with the outcome the
 * rule demands (spec/matching.md, spec/patient-profile.md).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include <ctm/engine.h>
#include <ctm/parsers.h>

#define TODAY 20261126

static ctm_lexicon *lx;
static ctm_matcher *m;
/* The population of the verdict tests' trials: any cancer (their patients
 * have colon cancer), so that only the rule under test decides. */
static ctm_concept any_cancer[1];

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_matcher_new(&m, lx, &e), 0);
	any_cancer[0] = ctm_lexicon_concept(lx, CTM_CT_DISEASE, "cancer");
	cr_assert_neq(any_cancer[0], 0);
}

static void teardown(void)
{
	ctm_matcher_free(m);
	ctm_lexicon_free(lx);
}

static ctm_concept C(ctm_concept_type t, const char *name)
{
	ctm_concept c = ctm_lexicon_concept(lx, t, name);
	cr_assert_neq(c, 0, "the lexicon has no %s", name);
	return c;
}

/* Builders for constraints. */
static ctm_constraint K(ctm_kind kind)
{
	ctm_constraint k;
	memset(&k, 0, sizeof k);
	k.kind = kind;
	k.lo = -INFINITY;
	k.hi = INFINITY;
	k.alt_hi = INFINITY;
	return k;
}

static ctm_constraint BM(const char *gene, ctm_bm_status st, const char *variant)
{
	ctm_constraint k = K(CTM_K_BIOMARKER);
	k.concept = ctm_lexicon_type(lx, ctm_lexicon_concept(lx, CTM_CT_GENE, gene)) ?
			    C(CTM_CT_GENE, gene) : C(CTM_CT_MARKER, gene);
	k.status = st;
	if (variant)
		k.variant = C(CTM_CT_VARIANT, variant);
	return k;
}

static ctm_constraint TH(ctm_concept c, unsigned flags)
{
	ctm_constraint k = K(CTM_K_THERAPY);
	k.concept = c;
	k.flags = flags;
	return k;
}

static ctm_constraint RANGE(ctm_kind kind, double lo, double hi)
{
	ctm_constraint k = K(kind);
	k.lo = lo;
	k.hi = hi;
	return k;
}

static ctm_constraint LAB(const char *lab, double lo, double hi, unsigned flags, double alt_hi)
{
	ctm_constraint k = RANGE(CTM_K_LAB, lo, hi);
	k.concept = C(CTM_CT_LAB, lab);
	k.flags = flags;
	k.alt_hi = alt_hi;
	return k;
}

/* A criterion: prefix expression + constraints, e.g. "!0" = NOT leaf 0,
 * "&01" = AND(leaf 0, leaf 1), "|01", "!&01", "!|01". */
typedef struct crit {
	const char *expr;
	ctm_constraint k[4];
	size_t nk;
} crit;

static size_t build_expr(const char *s, ctm_expr *out)
{
	size_t n = 0;
	const char *p;

	for (p = s; *p; p++) {
		if (*p == '!') {
			out[n].op = CTM_EXPR_NOT;
			out[n++].arg = 1;
		} else if (*p == '&' || *p == '|') {
			/* the operator takes every leaf that follows */
			size_t leaves = 0;
			const char *q;
			for (q = p + 1; *q; q++)
				leaves += *q >= '0' && *q <= '9';
			out[n].op = *p == '&' ? CTM_EXPR_AND : CTM_EXPR_OR;
			out[n++].arg = (uint32_t)leaves;
		} else {
			out[n].op = CTM_EXPR_LEAF;
			out[n++].arg = (uint32_t)(*p - '0');
		}
	}
	return n;
}

static ctm_profile *profile(const char *json)
{
	ctm_profile *p;
	ctm_error e;

	cr_assert_eq(ctm_profile_parse(json, strlen(json), "test", lx, TODAY, &p, &e), 0,
		     "%s: %s", json, e.message);
	return p;
}

/* The outcome of one criterion for one profile. */
static ctm_outcome outcome(const crit *c, const char *json)
{
	ctm_trial *t = ctm_trial_new();
	ctm_criterion *cr = ctm_arena_alloc(t->arena, sizeof *cr);
	ctm_expr expr[16];
	ctm_profile *p = profile(json);
	ctm_arena *a = ctm_arena_new();
	ctm_match res;
	ctm_outcome o;

	cr->section = CTM_SECTION_INCLUSION;
	cr->structured = true;
	cr->text = "test criterion";
	cr->n_expr = build_expr(c->expr, expr);
	cr->expr = expr;
	cr->constraints = (ctm_constraint *)c->k;
	cr->n_constraints = c->nk;
	t->nct_id = "NCT00000001";
	t->criteria = cr;
	t->n_criteria = 1;
	cr_assert_eq(ctm_match_trial(m, p, t, TODAY, CTM_MATCH_EXPLAIN, a, &res), 0);
	/* the criterion's own entry (a trial of no population read has one
	 * more, the population to check) */
	cr_assert_geq(res.n_evals, 1);
	o = res.evals[res.n_evals - 1].outcome;
	cr_assert_eq(res.evals[res.n_evals - 1].criterion, cr);
	ctm_arena_free(a);
	ctm_profile_free(p);
	ctm_trial_free(t);
	return o;
}

typedef struct row {
	const char *profile;
	ctm_outcome want;
} row;

static void check(const char *rule, const crit *c, const row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ctm_outcome got = outcome(c, rows[i].profile);
		cr_expect_eq(got, rows[i].want, "%s: %s: got %s, want %s", rule,
			     rows[i].profile, ctm_outcome_name(got),
			     ctm_outcome_name(rows[i].want));
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MET CTM_OUT_MET
#define NOT CTM_OUT_NOT_MET
#define UNK CTM_OUT_UNKNOWN
#define NA CTM_OUT_NOT_APPLICABLE

TestSuite(match_rules, .init = setup, .fini = teardown);

Test(match_rules, ras_wild_type_needs_kras_and_nras_known_wild_type)
{
	crit c = {"&01", {BM("KRAS", CTM_BM_WILDTYPE, NULL), BM("NRAS", CTM_BM_WILDTYPE, NULL)}, 2};
	row rows[] = {
		{"{\"id\":\"a\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"wild-type\"},{\"name\":\"NRAS\",\"status\":\"wt\"}]}", MET},
		{"{\"id\":\"b\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"wild-type\"}]}", UNK},
		{"{\"id\":\"c\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"mutated\",\"variant\":\"G12C\"},{\"name\":\"NRAS\",\"status\":\"wild-type\"}]}", NOT},
		{"{\"id\":\"d\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"wild-type\"},{\"name\":\"NRAS\",\"status\":\"mutated\"}]}", NOT},
		{"{\"id\":\"e\"}", UNK},
		{"{\"id\":\"f\",\"biomarkers\":[]}", UNK},
	};
	check("RAS wild-type", &c, rows, N(rows));
}

Test(match_rules, msi_high_and_dmmr_are_one_fact)
{
	crit c = {"0", {BM("MSI", CTM_BM_HIGH, NULL)}, 1};
	row rows[] = {
		{"{\"id\":\"a\",\"biomarkers\":[{\"name\":\"MSI\",\"status\":\"high\"}]}", MET},
		{"{\"id\":\"b\",\"biomarkers\":[{\"name\":\"MMR\",\"status\":\"deficient\"}]}", MET},
		{"{\"id\":\"c\",\"biomarkers\":[{\"name\":\"dMMR\"}]}", MET},
		{"{\"id\":\"d\",\"biomarkers\":[{\"name\":\"MSI\",\"status\":\"stable\"}]}", NOT},
		{"{\"id\":\"e\",\"biomarkers\":[{\"name\":\"MMR\",\"status\":\"proficient\"}]}", NOT},
		{"{\"id\":\"f\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"wild-type\"}]}", UNK},
	};
	check("MSI-H", &c, rows, N(rows));
}

Test(match_rules, kras_variant_must_match_and_codon_12_covers_g12c)
{
	crit g12c = {"0", {BM("KRAS", CTM_BM_MUTATED, "KRAS G12C")}, 1};
	crit g12 = {"0", {BM("KRAS", CTM_BM_MUTATED, "KRAS G12")}, 1};
	row rows_c[] = {
		{"{\"id\":\"a\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"mutated\",\"variant\":\"G12C\"}]}", MET},
		{"{\"id\":\"b\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"mutated\",\"variant\":\"G13D\"}]}", NOT},
		{"{\"id\":\"c\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"mutated\"}]}", UNK},
		{"{\"id\":\"d\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"wild-type\"}]}", NOT},
	};
	row rows_12[] = {
		{"{\"id\":\"a\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"mutated\",\"variant\":\"G12C\"}]}", MET},
		{"{\"id\":\"b\",\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"mutated\",\"variant\":\"G13D\"}]}", NOT},
	};
	check("KRAS G12C", &g12c, rows_c, N(rows_c));
	check("KRAS codon 12", &g12, rows_12, N(rows_12));
}

Test(match_rules, class_exclusions_reach_every_drug_and_regimen)
{
	crit egfr = {"!0", {TH(C(CTM_CT_CLASS, "anti-EGFR"), 0)}, 1};
	crit oxali = {"!0", {TH(C(CTM_CT_DRUG, "oxaliplatin"), 0)}, 1};
	crit fp = {"!0", {TH(C(CTM_CT_CLASS, "fluoropyrimidine"), 0)}, 1};
	row rows_egfr[] = {
		{"{\"id\":\"a\",\"prior_therapies\":[{\"name\":\"cetuximab\"}]}", NOT},
		{"{\"id\":\"b\",\"prior_therapies\":[{\"name\":\"Vectibix\"}]}", NOT},
		{"{\"id\":\"c\",\"prior_therapies\":[{\"name\":\"FOLFOX\"},{\"name\":\"bevacizumab\"}]}", MET},
		{"{\"id\":\"d\",\"prior_therapies\":[]}", MET},
		{"{\"id\":\"e\"}", UNK},
		{"{\"id\":\"f\",\"prior_therapies\":[{\"name\":\"FOLFOX\"},{\"name\":\"zzqx-unknown\"}]}", UNK},
	};
	row rows_oxali[] = {
		{"{\"id\":\"a\",\"prior_therapies\":[{\"name\":\"FOLFOX\"}]}", NOT},
		{"{\"id\":\"b\",\"prior_therapies\":[{\"name\":\"CAPOX\"}]}", NOT},
		{"{\"id\":\"c\",\"prior_therapies\":[{\"name\":\"FOLFIRI\"}]}", MET},
	};
	row rows_fp[] = {
		{"{\"id\":\"a\",\"prior_therapies\":[{\"name\":\"FOLFIRI\"}]}", NOT},
		{"{\"id\":\"b\",\"prior_therapies\":[{\"name\":\"capecitabine\"}]}", NOT},
		{"{\"id\":\"c\",\"prior_therapies\":[{\"name\":\"pembrolizumab\"}]}", MET},
	};
	check("no prior anti-EGFR", &egfr, rows_egfr, N(rows_egfr));
	check("no prior oxaliplatin", &oxali, rows_oxali, N(rows_oxali));
	check("no prior fluoropyrimidine", &fp, rows_fp, N(rows_fp));
}

/* A profile lists the treatments of the cancer: a medicine that is not
 * one (a steroid, an anticoagulant) is met when listed, unknown when not;
 * and a condition no profile holds is unknown. */
Test(match_rules, supportive_medicines_and_conditions_are_unknown_unless_listed)
{
	crit steroid = {"!0", {TH(C(CTM_CT_CLASS, "corticosteroid"), 0)}, 1};
	crit hiv = {"!0", {K(CTM_K_CONDITION)}, 1};
	crit unread = {"&01", {RANGE(CTM_K_ECOG, 0, 1), K(CTM_K_UNREAD)}, 2};
	row rows_steroid[] = {
		{"{\"id\":\"a\",\"prior_therapies\":[{\"name\":\"dexamethasone\"}]}", NOT},
		{"{\"id\":\"b\",\"prior_therapies\":[{\"name\":\"FOLFOX\"}]}", UNK},
		{"{\"id\":\"c\",\"prior_therapies\":[]}", UNK},
	};
	row rows_hiv[] = {
		{"{\"id\":\"a\",\"prior_therapies\":[]}", UNK},
	};
	row rows_unread[] = {
		{"{\"id\":\"a\",\"ecog\":2}", NOT},
		{"{\"id\":\"b\",\"ecog\":1}", UNK},
	};
	hiv.k[0].concept = C(CTM_CT_CONDITION, "HIV infection");
	check("no corticosteroid", &steroid, rows_steroid, N(rows_steroid));
	check("no HIV infection", &hiv, rows_hiv, N(rows_hiv));
	check("ECOG 0-1 and an unread part", &unread, rows_unread, N(rows_unread));
}

Test(match_rules, progression_with_intolerance_escape)
{
	crit c = {"0", {TH(C(CTM_CT_DRUG, "oxaliplatin"), CTM_F_PROGRESSED | CTM_F_INTOLERANT)}, 1};
	crit strict = {"0", {TH(C(CTM_CT_DRUG, "oxaliplatin"), CTM_F_PROGRESSED)}, 1};
	row rows[] = {
		{"{\"id\":\"a\",\"prior_therapies\":[{\"name\":\"FOLFOX\",\"progressed\":true}]}", MET},
		{"{\"id\":\"b\",\"prior_therapies\":[{\"name\":\"FOLFOX\",\"progressed\":false}]}", UNK},
		{"{\"id\":\"c\",\"prior_therapies\":[{\"name\":\"FOLFOX\"}]}", UNK},
		{"{\"id\":\"d\",\"prior_therapies\":[{\"name\":\"FOLFIRI\",\"progressed\":true}]}", NOT},
	};
	row rows_strict[] = {
		{"{\"id\":\"b\",\"prior_therapies\":[{\"name\":\"FOLFOX\",\"progressed\":false}]}", NOT},
	};
	check("progressed on or intolerant of oxaliplatin", &c, rows, N(rows));
	check("progressed on oxaliplatin", &strict, rows_strict, N(rows_strict));
}

Test(match_rules, prior_line_counts)
{
	crit two = {"0", {RANGE(CTM_K_PRIOR_LINES, 2, INFINITY)}, 1};
	crit none_met = {"0", {RANGE(CTM_K_PRIOR_LINES, 0, 0)}, 1};
	row rows_two[] = {
		{"{\"id\":\"a\",\"prior_therapies\":[{\"name\":\"FOLFOX\",\"line\":1},{\"name\":\"bevacizumab\",\"line\":1},{\"name\":\"FOLFIRI\",\"line\":2}]}", MET},
		{"{\"id\":\"b\",\"prior_therapies\":[{\"name\":\"FOLFOX\",\"line\":1},{\"name\":\"bevacizumab\",\"line\":1}]}", NOT},
		{"{\"id\":\"c\",\"prior_therapies\":[]}", NOT},
		{"{\"id\":\"d\"}", UNK},
		{"{\"id\":\"e\",\"prior_therapies\":[{\"name\":\"FOLFOX\"},{\"name\":\"FOLFIRI\"}]}", UNK},
	};
	check("at least 2 prior lines", &two, rows_two, N(rows_two));
	none_met.k[0].flags = CTM_F_METASTATIC_SETTING;
	{
		row rows[] = {
			{"{\"id\":\"a\",\"prior_therapies\":[{\"name\":\"FOLFOX\",\"setting\":\"adjuvant\"}]}", MET},
			{"{\"id\":\"b\",\"prior_therapies\":[{\"name\":\"FOLFOX\",\"line\":1,\"setting\":\"metastatic\"}]}", NOT},
			{"{\"id\":\"c\",\"prior_therapies\":[{\"name\":\"liver resection\"}]}", MET},
		};
		check("no prior therapy for metastatic disease", &none_met, rows, N(rows));
	}
}

Test(match_rules, brain_metastases_active_versus_treated_and_stable)
{
	ctm_constraint active = K(CTM_K_BRAIN_METS), any = K(CTM_K_BRAIN_METS);
	crit no_active, no_brain;
	active.flags = CTM_F_ACTIVE;
	no_active = (crit){"!0", {active}, 1};
	no_brain = (crit){"!0", {any}, 1};
	{
		row rows[] = {
			{"{\"id\":\"a\",\"brain_metastases\":\"active\"}", NOT},
			{"{\"id\":\"b\",\"brain_metastases\":\"treated_stable\"}", MET},
			{"{\"id\":\"c\",\"brain_metastases\":\"none\"}", MET},
			{"{\"id\":\"d\"}", UNK},
			{"{\"id\":\"e\",\"metastatic_sites\":[\"liver\"]}", MET},
			{"{\"id\":\"f\",\"metastatic_sites\":[\"liver\",\"brain\"]}", UNK},
		};
		check("no active brain metastases", &no_active, rows, N(rows));
	}
	{
		row rows[] = {
			{"{\"id\":\"a\",\"brain_metastases\":\"treated_stable\"}", NOT},
			{"{\"id\":\"b\",\"metastatic_sites\":[\"liver\",\"CNS\"]}", NOT},
			{"{\"id\":\"c\",\"brain_metastases\":\"none\"}", MET},
		};
		check("no brain metastases", &no_brain, rows, N(rows));
	}
}

Test(match_rules, liver_limited_disease)
{
	ctm_constraint k = K(CTM_K_SITE);
	crit c;
	k.concept = C(CTM_CT_SITE, "liver");
	k.flags = CTM_F_LIMITED;
	c = (crit){"0", {k}, 1};
	{
		row rows[] = {
			{"{\"id\":\"a\",\"metastatic_sites\":[\"liver\"]}", MET},
			{"{\"id\":\"b\",\"metastatic_sites\":[\"hepatic\"]}", MET},
			{"{\"id\":\"c\",\"metastatic_sites\":[\"liver\",\"lung\"]}", NOT},
			{"{\"id\":\"d\",\"metastatic_sites\":[\"peritoneum\"]}", NOT},
			{"{\"id\":\"e\"}", UNK},
			{"{\"id\":\"f\",\"metastatic\":false}", NOT},
		};
		check("liver-limited", &c, rows, N(rows));
	}
}

Test(match_rules, ecog_and_karnofsky_ranges_convert)
{
	crit ecog01 = {"0", {RANGE(CTM_K_ECOG, 0, 1)}, 1};
	crit kps70 = {"0", {RANGE(CTM_K_KARNOFSKY, 70, INFINITY)}, 1};
	row rows_e[] = {
		{"{\"id\":\"a\",\"ecog\":1}", MET},
		{"{\"id\":\"b\",\"ecog\":2}", NOT},
		{"{\"id\":\"c\",\"karnofsky\":80}", MET},
		{"{\"id\":\"d\",\"karnofsky\":60}", NOT},
		{"{\"id\":\"e\"}", UNK},
	};
	row rows_k[] = {
		{"{\"id\":\"a\",\"ecog\":0}", MET},
		{"{\"id\":\"b\",\"ecog\":1}", MET},
		{"{\"id\":\"c\",\"ecog\":2}", NOT},
		{"{\"id\":\"d\",\"karnofsky\":70}", MET},
		{"{\"id\":\"e\",\"karnofsky\":60}", NOT},
	};
	check("ECOG 0-1", &ecog01, rows_e, N(rows_e));
	check("Karnofsky >= 70", &kps70, rows_k, N(rows_k));
}

Test(match_rules, lab_thresholds_and_the_liver_metastasis_exception)
{
	crit ast = {"0", {LAB("ast", -INFINITY, 2.5, CTM_F_ULN | CTM_F_LIVER_EXCEPTION, 5)}, 1};
	crit anc = {"0", {LAB("anc", 1.5, INFINITY, 0, INFINITY)}, 1};
	crit creat = {"|01", {LAB("creatinine_mg_dl", -INFINITY, 1.5, 0, INFINITY),
			      LAB("creatinine_clearance", 60, INFINITY, 0, INFINITY)}, 2};
	row rows_ast[] = {
		{"{\"id\":\"a\",\"labs\":{\"ast_x_uln\":3},\"metastatic_sites\":[\"liver\"]}", MET},
		{"{\"id\":\"b\",\"labs\":{\"ast_x_uln\":3},\"metastatic_sites\":[\"lung\"]}", NOT},
		{"{\"id\":\"c\",\"labs\":{\"ast_x_uln\":6},\"metastatic_sites\":[\"liver\"]}", NOT},
		{"{\"id\":\"d\",\"labs\":{\"ast_x_uln\":3}}", UNK},
		{"{\"id\":\"e\",\"labs\":{\"ast_x_uln\":2}}", MET},
		{"{\"id\":\"f\",\"labs\":{}}", UNK},
	};
	row rows_anc[] = {
		{"{\"id\":\"a\",\"labs\":{\"anc\":1.2}}", NOT},
		{"{\"id\":\"b\",\"labs\":{\"anc\":1.5}}", MET},
	};
	row rows_creat[] = {
		{"{\"id\":\"a\",\"labs\":{\"creatinine_clearance\":48}}", UNK},
		{"{\"id\":\"b\",\"labs\":{\"creatinine_clearance\":70}}", MET},
	};
	check("AST <= 2.5 x ULN (5 with liver metastases)", &ast, rows_ast, N(rows_ast));
	check("ANC >= 1.5", &anc, rows_anc, N(rows_anc));
	check("creatinine <= 1.5 mg/dL or clearance >= 60", &creat, rows_creat, N(rows_creat));
}

Test(match_rules, pregnancy_is_not_applicable_to_men)
{
	crit c = {"!|01", {K(CTM_K_PREGNANT), K(CTM_K_BREASTFEEDING)}, 2};
	crit preg = {"!0", {K(CTM_K_PREGNANT)}, 1};
	row rows[] = {
		{"{\"id\":\"a\",\"sex\":\"male\"}", NA},
		{"{\"id\":\"b\",\"sex\":\"female\"}", UNK},
		{"{\"id\":\"c\",\"sex\":\"female\",\"pregnant\":true}", NOT},
	};
	row rows_p[] = {
		{"{\"id\":\"a\",\"sex\":\"female\",\"pregnant\":false}", MET},
		{"{\"id\":\"b\",\"sex\":\"male\"}", NA},
	};
	check("not pregnant or breastfeeding", &c, rows, N(rows));
	check("not pregnant", &preg, rows_p, N(rows_p));
}

/* Age and sex come from the structured fields and count as criteria. */
Test(match_rules, age_and_sex_from_structured_fields)
{
	static const struct {
		const char *profile;
		ctm_gender gender;
		double lo, hi;
		ctm_verdict want;
	} rows[] = {
		{"{\"id\":\"a\",\"diagnosis\":\"colon cancer\",\"age\":75,\"sex\":\"male\"}", CTM_GENDER_ALL, 18, 75, CTM_VERDICT_ELIGIBLE},
		{"{\"id\":\"b\",\"diagnosis\":\"colon cancer\",\"age\":76,\"sex\":\"male\"}", CTM_GENDER_ALL, 18, 75, CTM_VERDICT_INELIGIBLE},
		{"{\"id\":\"c\",\"diagnosis\":\"colon cancer\",\"age\":17,\"sex\":\"male\"}", CTM_GENDER_ALL, 18, CTM_AGE_UNBOUNDED, CTM_VERDICT_INELIGIBLE},
		{"{\"id\":\"d\",\"diagnosis\":\"colon cancer\",\"sex\":\"male\"}", CTM_GENDER_ALL, 18, CTM_AGE_UNBOUNDED, CTM_VERDICT_POSSIBLE},
		{"{\"id\":\"e\",\"diagnosis\":\"colon cancer\",\"age\":50,\"sex\":\"male\"}", CTM_GENDER_FEMALE, 18, CTM_AGE_UNBOUNDED, CTM_VERDICT_INELIGIBLE},
		{"{\"id\":\"f\",\"diagnosis\":\"colon cancer\",\"age\":50,\"sex\":\"female\"}", CTM_GENDER_FEMALE, 18, CTM_AGE_UNBOUNDED, CTM_VERDICT_ELIGIBLE},
		{"{\"id\":\"g\",\"diagnosis\":\"colon cancer\",\"age\":50}", CTM_GENDER_FEMALE, 18, CTM_AGE_UNBOUNDED, CTM_VERDICT_POSSIBLE},
	};
	size_t i;

	for (i = 0; i < N(rows); i++) {
		ctm_trial *t = ctm_trial_new();
		ctm_profile *p = profile(rows[i].profile);
		ctm_arena *a = ctm_arena_new();
		ctm_match res;

		t->nct_id = "NCT00000002";
		t->population = any_cancer;
		t->n_population = 1;
		t->gender = rows[i].gender;
		t->min_age_years = rows[i].lo;
		t->max_age_years = rows[i].hi;
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, 0, a, &res), 0);
		cr_expect_eq(res.verdict, rows[i].want, "%s: got %s", rows[i].profile,
			     ctm_verdict_name(res.verdict));
		ctm_arena_free(a);
		ctm_profile_free(p);
		ctm_trial_free(t);
	}
}

/* The verdict from criteria outcomes; review criteria never decide. */
Test(match_rules, verdicts_follow_outcomes_and_ignore_review)
{
	ctm_trial *t = ctm_trial_new();
	ctm_criterion cr[3];
	ctm_constraint ecog = RANGE(CTM_K_ECOG, 0, 1), meas = K(CTM_K_MEASURABLE);
	ctm_expr leaf = {CTM_EXPR_LEAF, 0};
	static const struct {
		const char *profile;
		ctm_verdict want;
		size_t met, unknown;
	} rows[] = {
		{"{\"id\":\"a\",\"diagnosis\":\"colon cancer\",\"ecog\":1,\"measurable_disease\":true}", CTM_VERDICT_ELIGIBLE, 2, 0},
		{"{\"id\":\"b\",\"diagnosis\":\"colon cancer\",\"ecog\":1}", CTM_VERDICT_POSSIBLE, 1, 1},
		{"{\"id\":\"c\",\"diagnosis\":\"colon cancer\",\"ecog\":3}", CTM_VERDICT_INELIGIBLE, 0, 1},
	};
	size_t i;

	memset(cr, 0, sizeof cr);
	cr[0] = (ctm_criterion){CTM_SECTION_INCLUSION, true, "ECOG 0-1", NULL, &leaf, 1, &ecog, 1, NULL, 0};
	cr[1] = (ctm_criterion){CTM_SECTION_INCLUSION, true, "Measurable disease", NULL, &leaf, 1, &meas, 1, NULL, 0};
	cr[2] = (ctm_criterion){CTM_SECTION_EXCLUSION, false, "Life expectancy < 3 months", NULL, NULL, 0, NULL, 0, NULL, 0};
	t->nct_id = "NCT00000003";
	t->population = any_cancer;
	t->n_population = 1;
	t->criteria = cr;
	t->n_criteria = 3;
	for (i = 0; i < N(rows); i++) {
		ctm_profile *p = profile(rows[i].profile);
		ctm_arena *a = ctm_arena_new();
		ctm_match res;
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, 0, a, &res), 0);
		cr_expect_eq(res.verdict, rows[i].want, "%s", rows[i].profile);
		cr_expect_eq(res.n_met, rows[i].met, "%s", rows[i].profile);
		cr_expect_eq(res.n_unknown, rows[i].unknown, "%s", rows[i].profile);
		cr_expect_eq(res.n_review, 1);
		cr_expect_eq(res.evals[2].outcome, CTM_OUT_REVIEW);
		ctm_arena_free(a);
		ctm_profile_free(p);
	}
	t->criteria = NULL;
	ctm_trial_free(t);
}

/*
 * A lookup that drops ineligible trials stops at the first criterion not
 * met: the verdict is the same as the whole evaluation's, and the other
 * criteria are not evaluated.
 */
Test(match_rules, stop_at_the_first_criterion_not_met)
{
	static const unsigned fast = CTM_MATCH_VERDICT_ONLY | CTM_MATCH_STOP_INELIGIBLE;
	ctm_trial *t = ctm_trial_new();
	ctm_criterion cr[3];
	ctm_constraint ecog = RANGE(CTM_K_ECOG, 0, 1), meas = K(CTM_K_MEASURABLE);
	ctm_expr leaf = {CTM_EXPR_LEAF, 0}, not_leaf[2] = {{CTM_EXPR_NOT, 1}, {CTM_EXPR_LEAF, 0}};
	static const struct {
		const char *profile;
		ctm_verdict want;
		size_t evals; /* criteria evaluated with the fast flags */
	} rows[] = {
		{"{\"id\":\"a\",\"diagnosis\":\"colon cancer\",\"age\":50,\"ecog\":1,\"measurable_disease\":false}", CTM_VERDICT_ELIGIBLE, 4},
		{"{\"id\":\"b\",\"diagnosis\":\"colon cancer\",\"age\":50,\"ecog\":3,\"measurable_disease\":false}", CTM_VERDICT_INELIGIBLE, 2},
		{"{\"id\":\"c\",\"diagnosis\":\"colon cancer\",\"age\":50,\"ecog\":1,\"measurable_disease\":true}", CTM_VERDICT_INELIGIBLE, 4},
		{"{\"id\":\"d\",\"diagnosis\":\"colon cancer\",\"age\":12,\"ecog\":1}", CTM_VERDICT_INELIGIBLE, 1},
		{"{\"id\":\"e\",\"diagnosis\":\"colon cancer\",\"age\":50}", CTM_VERDICT_POSSIBLE, 4},
	};
	size_t i;

	memset(cr, 0, sizeof cr);
	cr[0] = (ctm_criterion){CTM_SECTION_INCLUSION, true, "ECOG 0-1", NULL, &leaf, 1, &ecog, 1, NULL, 0};
	cr[1] = (ctm_criterion){CTM_SECTION_EXCLUSION, false, "Life expectancy < 3 months", NULL, NULL, 0, NULL, 0, NULL, 0};
	cr[2] = (ctm_criterion){CTM_SECTION_EXCLUSION, true, "Measurable disease", NULL, not_leaf, 2, &meas, 1, NULL, 0};
	t->nct_id = "NCT00000004";
	t->population = any_cancer;
	t->n_population = 1;
	t->min_age_years = 18;
	t->criteria = cr;
	t->n_criteria = 3;
	for (i = 0; i < N(rows); i++) {
		ctm_profile *p = profile(rows[i].profile);
		ctm_arena *a = ctm_arena_new();
		ctm_match whole, res;
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, 0, a, &whole), 0);
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, fast, a, &res), 0);
		cr_expect_eq(whole.verdict, rows[i].want, "%s", rows[i].profile);
		cr_expect_eq(res.verdict, rows[i].want, "%s", rows[i].profile);
		cr_expect_eq(whole.n_evals, 4, "%s", rows[i].profile);
		cr_expect_eq(res.n_evals, rows[i].evals, "%s", rows[i].profile);
		ctm_arena_free(a);
		ctm_profile_free(p);
	}
	t->criteria = NULL;
	ctm_trial_free(t);
}

/* A trial the patient matches on a biomarker outranks a generic one. */
Test(match_rules, specificity_raises_the_score)
{
	ctm_constraint g12c = BM("KRAS", CTM_BM_MUTATED, "KRAS G12C"), ecog = RANGE(CTM_K_ECOG, 0, 1);
	ctm_expr leaf = {CTM_EXPR_LEAF, 0};
	ctm_criterion targeted[2] = {
		{CTM_SECTION_INCLUSION, true, "KRAS G12C mutation", NULL, &leaf, 1, &g12c, 1, NULL, 0},
		{CTM_SECTION_INCLUSION, true, "ECOG 0-1", NULL, &leaf, 1, &ecog, 1, NULL, 0},
	};
	ctm_criterion generic[2] = {
		{CTM_SECTION_INCLUSION, true, "ECOG 0-1", NULL, &leaf, 1, &ecog, 1, NULL, 0},
		{CTM_SECTION_INCLUSION, true, "ECOG 0-1 again", NULL, &leaf, 1, &ecog, 1, NULL, 0},
	};
	ctm_trial *a = ctm_trial_new(), *b = ctm_trial_new();
	ctm_profile *p = profile("{\"id\":\"a\",\"ecog\":0,\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"mutated\",\"variant\":\"G12C\"}]}");
	ctm_arena *ar = ctm_arena_new();
	ctm_match ra, rb;

	a->nct_id = "NCT00000010";
	b->nct_id = "NCT00000011";
	a->criteria = targeted;
	b->criteria = generic;
	a->n_criteria = b->n_criteria = 2;
	a->status = b->status = CTM_STATUS_RECRUITING;
	cr_assert_eq(ctm_match_trial(m, p, a, TODAY, 0, ar, &ra), 0);
	cr_assert_eq(ctm_match_trial(m, p, b, TODAY, 0, ar, &rb), 0);
	cr_expect_eq(ra.n_met, rb.n_met);
	cr_expect_gt(ra.score.specificity, 0);
	cr_expect_eq(rb.score.specificity, 0);
	cr_expect_gt(ra.score.total, rb.score.total);
	cr_expect_eq(ra.score.status, 2.0);
	a->criteria = b->criteria = NULL;
	ctm_trial_free(a);
	ctm_trial_free(b);
	ctm_profile_free(p);
	ctm_arena_free(ar);
}

/* A cancer diagnosis says nothing of a disease that is not a cancer (one a
 * site's --lexicon adds: "no history of hereditary spherocytosis") is unknown
 * for a colon cancer patient, never met; a cancer criterion still reads
 * the diagnosis. */
Test(match_rules, a_cancer_diagnosis_says_nothing_of_other_diseases)
{
	static const char extra[] = "disease\thereditary spherocytosis\t\t\n";
	ctm_error err;
	crit ibd = {"!0", {K(CTM_K_DISEASE)}, 1};
	crit crc = {"0", {K(CTM_K_DISEASE)}, 1};
	row rows_ibd[] = {
		{"{\"id\":\"a\",\"diagnosis\":\"colon adenocarcinoma\"}", UNK},
		{"{\"id\":\"b\",\"diagnosis\":\"pancreatic cancer\"}", UNK},
	};
	row rows_crc[] = {
		{"{\"id\":\"a\",\"diagnosis\":\"colon adenocarcinoma\"}", MET},
		{"{\"id\":\"b\",\"diagnosis\":\"pancreatic cancer\"}", NOT},
	};
	cr_assert_eq(ctm_lexicon_load_text(lx, "site.tsv", extra,
					   sizeof extra - 1, &err),
		     0, "%s", err.message);
	ibd.k[0].concept = C(CTM_CT_DISEASE, "hereditary spherocytosis");
	crc.k[0].concept = C(CTM_CT_DISEASE, "colorectal cancer");
	check("no hereditary spherocytosis", &ibd, rows_ibd, N(rows_ibd));
	check("colorectal cancer", &crc, rows_crc, N(rows_crc));
}

/*
 * A trial whose text splits into cohorts (spec/matching.md): a criterion
 * binds only its cohort; a cohort's verdict is the three-valued AND of the
 * criteria binding all cohorts and its own; the trial is ineligible only
 * when every cohort is, eligible when one cohort is, else possible. The
 * failing criteria name their cohort; a lookup that stops at the first
 * criterion not met goes on past one that shuts a single cohort.
 */
Test(match_rules, cohorts_are_decided_one_by_one)
{
	static const unsigned fast = CTM_MATCH_VERDICT_ONLY | CTM_MATCH_STOP_INELIGIBLE;
	static const char *labels[] = {"Cohort A", "Cohort B"};
	ctm_trial *t = ctm_trial_new();
	ctm_criterion cr[5];
	ctm_constraint ecog = RANGE(CTM_K_ECOG, 0, 1), meas = K(CTM_K_MEASURABLE),
		       g12c = BM("KRAS", CTM_BM_MUTATED, "KRAS G12C"),
		       preg = K(CTM_K_PREGNANT);
	ctm_expr leaf = {CTM_EXPR_LEAF, 0}, not_leaf[2] = {{CTM_EXPR_NOT, 1}, {CTM_EXPR_LEAF, 0}};
#define G12C_ "\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"mutated\",\"variant\":\"G12C\"}]"
#define WT_ "\"biomarkers\":[{\"name\":\"KRAS\",\"status\":\"wild-type\"}]"
	static const struct {
		const char *profile;
		ctm_verdict want;
		size_t fast_evals;     /* criteria evaluated with the fast flags */
		const char *cohort[5]; /* each criterion's cohort when not met
					  ("-": not met, binding all) */
		double score_met;      /* met, less a barring cohort's */
	} rows[] = {
		/* both cohorts admit */
		{"{\"id\":\"a\",\"diagnosis\":\"colon cancer\",\"sex\":\"male\",\"ecog\":0,\"measurable_disease\":true," G12C_ "}",
		 CTM_VERDICT_ELIGIBLE, 5, {NULL, NULL, NULL, NULL, NULL}, 4},
		/* cohort A bars (no G12C), cohort B admits: eligible, with
		 * cohort A's criterion not met and named; cohort A's met
		 * criterion does not rank the trial */
		{"{\"id\":\"b\",\"diagnosis\":\"colon cancer\",\"sex\":\"male\",\"ecog\":0,\"measurable_disease\":true," WT_ "}",
		 CTM_VERDICT_ELIGIBLE, 5, {NULL, "Cohort A", NULL, NULL, NULL}, 2},
		/* every cohort bars: ineligible, each reason named */
		{"{\"id\":\"c\",\"diagnosis\":\"colon cancer\",\"sex\":\"male\",\"ecog\":0,\"measurable_disease\":false," WT_ "}",
		 CTM_VERDICT_INELIGIBLE, 3, {NULL, "Cohort A", "Cohort B", NULL, "Cohort A"}, 1},
		/* a criterion binding all cohorts bars */
		{"{\"id\":\"d\",\"diagnosis\":\"colon cancer\",\"sex\":\"male\",\"ecog\":3,\"measurable_disease\":true," G12C_ "}",
		 CTM_VERDICT_INELIGIBLE, 1, {"-", NULL, NULL, NULL, NULL}, 3},
		/* cohort A bars, cohort B unknown */
		{"{\"id\":\"e\",\"diagnosis\":\"colon cancer\",\"sex\":\"male\",\"ecog\":0," WT_ "}",
		 CTM_VERDICT_POSSIBLE, 5, {NULL, "Cohort A", NULL, NULL, NULL}, 1},
		/* every cohort admits, but an all-cohort fact is unknown */
		{"{\"id\":\"f\",\"diagnosis\":\"colon cancer\",\"sex\":\"male\",\"measurable_disease\":true," G12C_ "}",
		 CTM_VERDICT_POSSIBLE, 5, {NULL, NULL, NULL, NULL, NULL}, 3},
		/* cohort B bars, then cohort A's last criterion bars it too
		 * (its biomarker is unknown): ineligible */
		{"{\"id\":\"g\",\"diagnosis\":\"colon cancer\",\"sex\":\"male\",\"ecog\":1,\"measurable_disease\":false}",
		 CTM_VERDICT_INELIGIBLE, 5, {NULL, NULL, "Cohort B", NULL, "Cohort A"}, 1},
		/* an exclusion binding both cohorts (bits 0 and 1) binds all */
		{"{\"id\":\"h\",\"diagnosis\":\"colon cancer\",\"sex\":\"female\",\"pregnant\":true,\"ecog\":0,"
		 "\"measurable_disease\":true," G12C_ "}",
		 CTM_VERDICT_INELIGIBLE, 4, {NULL, NULL, NULL, "-", NULL}, 4},
	};
#undef G12C_
#undef WT_
	size_t i, k;

	memset(cr, 0, sizeof cr);
	cr[0] = (ctm_criterion){CTM_SECTION_INCLUSION, true, "ECOG 0-1", NULL, &leaf, 1, &ecog, 1, NULL, 0};
	cr[1] = (ctm_criterion){CTM_SECTION_INCLUSION, true, "KRAS G12C mutation", "Cohort A", &leaf, 1, &g12c, 1, NULL, 1u};
	cr[2] = (ctm_criterion){CTM_SECTION_INCLUSION, true, "Measurable disease", "Cohort B", &leaf, 1, &meas, 1, NULL, 2u};
	cr[3] = (ctm_criterion){CTM_SECTION_EXCLUSION, true, "Pregnancy", NULL, not_leaf, 2, &preg, 1, NULL, 3u};
	cr[4] = (ctm_criterion){CTM_SECTION_INCLUSION, true, "Measurable disease", "Cohort A", &leaf, 1, &meas, 1, NULL, 1u};
	t->nct_id = "NCT00000005";
	t->population = any_cancer;
	t->n_population = 1;
	t->criteria = cr;
	t->n_criteria = 5;
	t->cohorts = (const char **)labels;
	t->n_cohorts = 2;
	for (i = 0; i < N(rows); i++) {
		ctm_profile *p = profile(rows[i].profile);
		ctm_arena *a = ctm_arena_new();
		ctm_match whole, res;
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, 0, a, &whole), 0);
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, fast, a, &res), 0);
		cr_expect_eq(whole.verdict, rows[i].want, "%s: %s", rows[i].profile,
			     ctm_verdict_name(whole.verdict));
		cr_expect_eq(res.verdict, rows[i].want, "%s (fast)", rows[i].profile);
		cr_expect_eq(res.n_evals, rows[i].fast_evals, "%s", rows[i].profile);
		cr_assert_eq(whole.n_evals, 5, "%s", rows[i].profile);
		cr_expect_eq(whole.score.met, rows[i].score_met, "%s: %g", rows[i].profile,
			     whole.score.met);
		for (k = 0; k < 5; k++) {
			const ctm_crit_eval *e = &whole.evals[k];
			if (rows[i].cohort[k] && !strcmp(rows[i].cohort[k], "-")) {
				cr_expect_eq(e->outcome, CTM_OUT_NOT_MET, "%s: %zu", rows[i].profile, k);
				cr_expect_null(e->cohort, "%s: %zu", rows[i].profile, k);
			} else if (rows[i].cohort[k]) {
				cr_expect_eq(e->outcome, CTM_OUT_NOT_MET, "%s: %zu", rows[i].profile, k);
				cr_expect_str_eq(e->cohort, rows[i].cohort[k], "%s: %zu", rows[i].profile, k);
			} else {
				cr_expect_neq(e->outcome, CTM_OUT_NOT_MET, "%s: %zu", rows[i].profile, k);
			}
		}
		ctm_arena_free(a);
		ctm_profile_free(p);
	}
	/* one cohort is no choice: its criteria bind everyone */
	t->n_cohorts = 1;
	{
		ctm_profile *p = profile(rows[1].profile);
		ctm_arena *a = ctm_arena_new();
		ctm_match res;
		cr_assert_eq(ctm_match_trial(m, p, t, TODAY, 0, a, &res), 0);
		cr_expect_eq(res.verdict, CTM_VERDICT_INELIGIBLE);
		cr_expect_null(res.evals[1].cohort);
		ctm_arena_free(a);
		ctm_profile_free(p);
	}
	t->criteria = NULL;
	t->cohorts = NULL;
	t->n_cohorts = 0;
	ctm_trial_free(t);
}
