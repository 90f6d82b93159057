/* test_record.c - the trial record codec: round trips, versions, damage. */
#include <criterion/criterion.h>
#include <ctm/index.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char **strs(ctm_arena *a, size_t n, const char *const *v)
{
	const char **out = ctm_arena_alloc(a, n * sizeof(*out));
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = v[i] ? ctm_arena_strdup(a, v[i]) : NULL;
	return out;
}

/* Every field set; criteria with AND/OR/NOT trees and infinities. */
static ctm_trial *full_trial(void)
{
	static const char *const conds[] = {"Colorectal Cancer",
					    "Métastases hépatiques", ""};
	static const char *const kws[] = {"KRAS", NULL, "抗EGFR"};
	static const char *const mesh[] = {"Colorectal Neoplasms"};
	static const char *const other0[] = {"Erbitux", "C225"};
	ctm_trial *t = ctm_trial_new();
	ctm_arena *a = t->arena;
	ctm_criterion *c;
	ctm_constraint *k;
	ctm_expr *e;

	t->nct_id = ctm_arena_strdup(a, "NCT01234567");
	t->brief_title = ctm_arena_strdup(a, "Cetuximab in RAS wild-type mCRC");
	t->official_title = ctm_arena_strdup(a, ""); /* empty, not NULL */
	t->status = CTM_STATUS_ACTIVE_NOT_RECRUITING;
	t->phase = ctm_arena_strdup(a, "Phase 1/Phase 2");
	t->study_type = NULL;
	t->lead_sponsor = ctm_arena_strdup(a, "Université de Lyon – CHU");
	t->conditions = strs(a, 3, conds);
	t->n_conditions = 3;
	t->keywords = strs(a, 3, kws);
	t->n_keywords = 3;
	t->condition_mesh = strs(a, 1, mesh);
	t->n_condition_mesh = 1;

	t->interventions = ctm_arena_alloc(a, 2 * sizeof(ctm_intervention));
	t->n_interventions = 2;
	t->interventions[0].type = ctm_arena_strdup(a, "Drug");
	t->interventions[0].name = ctm_arena_strdup(a, "Cetuximab");
	t->interventions[0].other_names = strs(a, 2, other0);
	t->interventions[0].n_other_names = 2;
	t->interventions[1].type = NULL;
	t->interventions[1].name = ctm_arena_strdup(a, "FOLFOX");

	t->has_eligibility = true;
	t->criteria_text = ctm_arena_strdup(
		a, "\r\n        Inclusion Criteria:\r\n\r\n          - Age >= 18");
	t->gender = CTM_GENDER_FEMALE;
	t->min_age_years = 0.5;
	t->max_age_years = CTM_AGE_UNBOUNDED;
	t->healthy_volunteers = 0;

	t->locations = ctm_arena_alloc(a, 2 * sizeof(ctm_location));
	t->n_locations = 2;
	t->locations[0].facility = ctm_arena_strdup(a, "Hôpital Édouard Herriot");
	t->locations[0].city = ctm_arena_strdup(a, "Lyon");
	t->locations[0].state = NULL;
	t->locations[0].zip = ctm_arena_strdup(a, "69003");
	t->locations[0].country = ctm_arena_strdup(a, "France");
	t->locations[0].status = ctm_arena_strdup(a, "Recruiting");
	t->locations[1].city = ctm_arena_strdup(a, "");

	t->first_posted = 20200115;
	t->last_update = 20230203;
	t->download_date = 20230210;
	t->lexicon_hash = 0xfedcba9876543210ull;
	t->population = ctm_arena_alloc(a, 2 * sizeof(ctm_concept));
	t->population[0] = 3;
	t->population[1] = 300;
	t->n_population = 2;
	t->population_partial = true;
	{
		const char *labels[] = {"Cohort A", "Cohort B: RAS wild-type"};
		t->cohorts = strs(a, 2, labels);
		t->n_cohorts = 2;
	}

	t->criteria = ctm_arena_alloc(a, 3 * sizeof(ctm_criterion));
	t->n_criteria = 3;

	/* 1: AND(leaf0, OR(leaf1, NOT(leaf2))) */
	c = &t->criteria[0];
	c->section = CTM_SECTION_INCLUSION;
	c->structured = true;
	c->text = ctm_arena_strdup(a, "RAS wild-type, ECOG 0-1, no prior anti-EGFR");
	c->heading = ctm_arena_strdup(a, "Cohort A:");
	c->cohorts = 1u;
	e = ctm_arena_alloc(a, 6 * sizeof(*e));
	e[0] = (ctm_expr){CTM_EXPR_AND, 2};
	e[1] = (ctm_expr){CTM_EXPR_LEAF, 0};
	e[2] = (ctm_expr){CTM_EXPR_OR, 2};
	e[3] = (ctm_expr){CTM_EXPR_LEAF, 1};
	e[4] = (ctm_expr){CTM_EXPR_NOT, 1};
	e[5] = (ctm_expr){CTM_EXPR_LEAF, 2};
	c->expr = e;
	c->n_expr = 6;
	k = ctm_arena_alloc(a, 3 * sizeof(*k));
	k[0] = (ctm_constraint){.kind = CTM_K_BIOMARKER,
				.status = CTM_BM_WILDTYPE,
				.flags = 0,
				.concept = 42,
				.variant = 0,
				.lo = -INFINITY,
				.hi = INFINITY,
				.alt_hi = INFINITY};
	k[1] = (ctm_constraint){.kind = CTM_K_ECOG,
				.lo = 0.0,
				.hi = 1.0,
				.alt_hi = -0.0};
	k[2] = (ctm_constraint){.kind = CTM_K_THERAPY,
				.status = 0,
				.flags = CTM_F_PROGRESSED | CTM_F_WITHIN |
					 CTM_F_METASTATIC_SETTING,
				.concept = 4000000000u,
				.variant = 77,
				.within_days = 28,
				.reserved = 0xdeadbeef,
				.lo = 1e-300,
				.hi = 1.7976931348623157e308,
				.alt_hi = 3.0};
	c->constraints = k;
	c->n_constraints = 3;

	/* 2: a review criterion without expression, NULL heading */
	c = &t->criteria[1];
	c->section = CTM_SECTION_EXCLUSION;
	c->structured = false;
	c->text = ctm_arena_strdup(a, "Any condition the investigator deems…");
	c->heading = NULL;
	c->review_reason = ctm_arena_strdup(a, "repeats an inclusion criterion");

	/* 3: NOT(lab) with liver exception */
	c = &t->criteria[2];
	c->section = CTM_SECTION_UNSPECIFIED;
	c->structured = true;
	c->text = ctm_arena_strdup(a, "");
	c->heading = ctm_arena_strdup(a, "");
	e = ctm_arena_alloc(a, 2 * sizeof(*e));
	e[0] = (ctm_expr){CTM_EXPR_NOT, 1};
	e[1] = (ctm_expr){CTM_EXPR_LEAF, 0};
	c->expr = e;
	c->n_expr = 2;
	k = ctm_arena_alloc(a, sizeof(*k));
	k[0] = (ctm_constraint){.kind = CTM_K_LAB,
				.flags = CTM_F_ULN | CTM_F_LIVER_EXCEPTION,
				.concept = 7,
				.lo = -INFINITY,
				.hi = 2.5,
				.alt_hi = 5.0};
	c->constraints = k;
	c->n_constraints = 1;
	return t;
}

static void encode_ok(const ctm_trial *t, ctm_buf *b)
{
	cr_assert_eq(ctm_record_encode(t, b), 0);
	cr_assert_gt(b->len, 9);
}

static void assert_bits(double got, double want)
{
	cr_assert_eq(memcmp(&got, &want, sizeof got), 0, "%g != %g", got,
		     want);
}

Test(record, full_round_trip)
{
	ctm_trial *t = full_trial(), *u = NULL;
	ctm_buf b = {0}, b2 = {0};
	ctm_error err;
	const ctm_criterion *c;
	const ctm_constraint *k;

	encode_ok(t, &b);
	cr_assert_eq(ctm_record_decode(b.data, b.len, &u, &err), 0, "%s",
		     err.message);
	cr_assert_not_null(u);

	cr_assert_str_eq(u->nct_id, "NCT01234567");
	cr_assert_str_eq(u->brief_title, "Cetuximab in RAS wild-type mCRC");
	cr_assert_not_null(u->official_title);
	cr_assert_str_eq(u->official_title, "");
	cr_assert_eq(u->status, CTM_STATUS_ACTIVE_NOT_RECRUITING);
	cr_assert_str_eq(u->phase, "Phase 1/Phase 2");
	cr_assert_null(u->study_type);
	cr_assert_str_eq(u->lead_sponsor, "Université de Lyon – CHU");
	cr_assert_eq(u->n_conditions, 3);
	cr_assert_str_eq(u->conditions[0], "Colorectal Cancer");
	cr_assert_str_eq(u->conditions[1], "Métastases hépatiques");
	cr_assert_str_eq(u->conditions[2], "");
	cr_assert_eq(u->n_keywords, 3);
	cr_assert_str_eq(u->keywords[0], "KRAS");
	cr_assert_null(u->keywords[1]);
	cr_assert_str_eq(u->keywords[2], "抗EGFR");
	cr_assert_eq(u->n_condition_mesh, 1);
	cr_assert_str_eq(u->condition_mesh[0], "Colorectal Neoplasms");

	cr_assert_eq(u->n_interventions, 2);
	cr_assert_str_eq(u->interventions[0].type, "Drug");
	cr_assert_str_eq(u->interventions[0].name, "Cetuximab");
	cr_assert_eq(u->interventions[0].n_other_names, 2);
	cr_assert_str_eq(u->interventions[0].other_names[0], "Erbitux");
	cr_assert_str_eq(u->interventions[0].other_names[1], "C225");
	cr_assert_null(u->interventions[1].type);
	cr_assert_str_eq(u->interventions[1].name, "FOLFOX");
	cr_assert_eq(u->interventions[1].n_other_names, 0);

	cr_assert(u->has_eligibility);
	cr_assert_str_eq(u->criteria_text,
			 "\r\n        Inclusion Criteria:\r\n\r\n          - Age >= 18");
	cr_assert_eq(u->gender, CTM_GENDER_FEMALE);
	assert_bits(u->min_age_years, 0.5);
	assert_bits(u->max_age_years, CTM_AGE_UNBOUNDED);
	cr_assert_eq(u->healthy_volunteers, 0);

	cr_assert_eq(u->n_locations, 2);
	cr_assert_str_eq(u->locations[0].facility, "Hôpital Édouard Herriot");
	cr_assert_str_eq(u->locations[0].city, "Lyon");
	cr_assert_null(u->locations[0].state);
	cr_assert_str_eq(u->locations[0].zip, "69003");
	cr_assert_str_eq(u->locations[0].country, "France");
	cr_assert_str_eq(u->locations[0].status, "Recruiting");
	cr_assert_null(u->locations[1].facility);
	cr_assert_str_eq(u->locations[1].city, "");
	cr_assert_null(u->locations[1].status);

	cr_assert_eq(u->first_posted, 20200115);
	cr_assert_eq(u->last_update, 20230203);
	cr_assert_eq(u->download_date, 20230210);
	cr_assert_eq(u->lexicon_hash, 0xfedcba9876543210ull);
	cr_assert_eq(u->n_population, 2);
	cr_assert_eq(u->population[0], 3);
	cr_assert_eq(u->population[1], 300);
	cr_assert(u->population_partial);
	cr_assert_eq(u->n_cohorts, 2);
	cr_assert_str_eq(u->cohorts[0], "Cohort A");
	cr_assert_str_eq(u->cohorts[1], "Cohort B: RAS wild-type");

	cr_assert_eq(u->n_criteria, 3);
	c = &u->criteria[0];
	cr_assert_eq(c->section, CTM_SECTION_INCLUSION);
	cr_assert(c->structured);
	cr_assert_eq(c->cohorts, 1u);
	cr_assert_eq(u->criteria[1].cohorts, 0u);
	cr_assert_str_eq(c->text, "RAS wild-type, ECOG 0-1, no prior anti-EGFR");
	cr_assert_str_eq(c->heading, "Cohort A:");
	cr_assert_eq(c->n_expr, 6);
	cr_assert_eq(c->expr[0].op, CTM_EXPR_AND);
	cr_assert_eq(c->expr[0].arg, 2);
	cr_assert_eq(c->expr[1].op, CTM_EXPR_LEAF);
	cr_assert_eq(c->expr[1].arg, 0);
	cr_assert_eq(c->expr[2].op, CTM_EXPR_OR);
	cr_assert_eq(c->expr[2].arg, 2);
	cr_assert_eq(c->expr[3].op, CTM_EXPR_LEAF);
	cr_assert_eq(c->expr[3].arg, 1);
	cr_assert_eq(c->expr[4].op, CTM_EXPR_NOT);
	cr_assert_eq(c->expr[4].arg, 1);
	cr_assert_eq(c->expr[5].op, CTM_EXPR_LEAF);
	cr_assert_eq(c->expr[5].arg, 2);
	cr_assert_eq(c->n_constraints, 3);
	k = c->constraints;
	cr_assert_eq(k[0].kind, CTM_K_BIOMARKER);
	cr_assert_eq(k[0].status, CTM_BM_WILDTYPE);
	cr_assert_eq(k[0].concept, 42);
	assert_bits(k[0].lo, -INFINITY);
	assert_bits(k[0].hi, INFINITY);
	assert_bits(k[0].alt_hi, INFINITY);
	cr_assert_eq(k[1].kind, CTM_K_ECOG);
	assert_bits(k[1].lo, 0.0);
	assert_bits(k[1].hi, 1.0);
	assert_bits(k[1].alt_hi, -0.0); /* the sign of zero survives */
	cr_assert_eq(k[2].kind, CTM_K_THERAPY);
	cr_assert_eq(k[2].flags, CTM_F_PROGRESSED | CTM_F_WITHIN |
					 CTM_F_METASTATIC_SETTING);
	cr_assert_eq(k[2].concept, 4000000000u);
	cr_assert_eq(k[2].variant, 77);
	cr_assert_eq(k[2].within_days, 28);
	cr_assert_eq(k[2].reserved, 0xdeadbeef);
	assert_bits(k[2].lo, 1e-300);
	assert_bits(k[2].hi, 1.7976931348623157e308);
	assert_bits(k[2].alt_hi, 3.0);

	c = &u->criteria[1];
	cr_assert_eq(c->section, CTM_SECTION_EXCLUSION);
	cr_assert_not(c->structured);
	cr_assert_str_eq(c->text, "Any condition the investigator deems…");
	cr_assert_null(c->heading);
	cr_assert_str_eq(c->review_reason, "repeats an inclusion criterion");
	cr_assert_eq(c->n_expr, 0);
	cr_assert_eq(c->n_constraints, 0);

	c = &u->criteria[2];
	cr_assert_eq(c->section, CTM_SECTION_UNSPECIFIED);
	cr_assert_str_eq(c->text, "");
	cr_assert_str_eq(c->heading, "");
	cr_assert_eq(c->n_expr, 2);
	cr_assert_eq(c->expr[0].op, CTM_EXPR_NOT);
	cr_assert_eq(c->expr[1].op, CTM_EXPR_LEAF);
	cr_assert_eq(c->constraints[0].kind, CTM_K_LAB);
	cr_assert_eq(c->constraints[0].flags,
		     CTM_F_ULN | CTM_F_LIVER_EXCEPTION);
	cr_assert_eq(c->constraints[0].concept, 7);
	assert_bits(c->constraints[0].lo, -INFINITY);
	assert_bits(c->constraints[0].hi, 2.5);
	assert_bits(c->constraints[0].alt_hi, 5.0);

	/* Decoding then encoding gives the same bytes. */
	encode_ok(u, &b2);
	cr_assert_eq(b2.len, b.len);
	cr_assert_eq(memcmp(b2.data, b.data, b.len), 0);

	ctm_buf_free(&b);
	ctm_buf_free(&b2);
	ctm_trial_free(t);
	ctm_trial_free(u);
}

/* The whole encoding of an empty trial, byte by byte. */
Test(record, empty_trial_exact_bytes)
{
	static const unsigned char want[] = {
		'C', 'T', 'M', 'R', 4,	  /* magic, version */
		0, 0, 0, 0,		  /* last_update 0 */
		32, 0, 0, 0,		  /* the match part: 32 bytes */
		0, 0,			  /* status unknown, gender */
		0, 0, 0, 0, 0, 0, 0xf0, 0xbf, /* min age -1.0 */
		0, 0, 0, 0, 0, 0, 0xf0, 0xbf, /* max age -1.0 */
		1,			  /* healthy volunteers -1 (zigzag) */
		0, 0, 0, 0, 0, 0, 0, 0,	  /* lexicon hash */
		0,			  /* no recruiting sites */
		0, 0,			  /* no population, not partial */
		0,			  /* no cohorts */
		0,			  /* no criteria */
		0, 0, 0,		  /* the text part: id, titles NULL */
		0, 0, 0,		  /* phase, study type, sponsor */
		0, 0, 0,		  /* three empty lists */
		0,			  /* no interventions */
		0, 0,			  /* no eligibility, text NULL */
		0,			  /* no locations */
		0, 0,			  /* first posted, download date */
	};
	ctm_trial *t = ctm_trial_new(), *u = NULL;
	ctm_buf b = {0};
	ctm_error err;

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	cr_assert_eq(b.len, sizeof want);
	cr_assert_eq(memcmp(b.data, want, sizeof want), 0);
	cr_assert_eq(ctm_record_decode(b.data, b.len, &u, &err), 0, "%s",
		     err.message);
	cr_assert_null(u->nct_id);
	cr_assert_null(u->brief_title);
	cr_assert_null(u->criteria_text);
	cr_assert_eq(u->n_conditions, 0);
	cr_assert_null(u->conditions);
	cr_assert_eq(u->n_criteria, 0);
	cr_assert_eq(u->status, CTM_STATUS_UNKNOWN);
	cr_assert_eq(u->gender, CTM_GENDER_UNSPECIFIED);
	cr_assert_eq(u->min_age_years, CTM_AGE_UNBOUNDED);
	cr_assert_eq(u->max_age_years, CTM_AGE_UNBOUNDED);
	cr_assert_eq(u->healthy_volunteers, -1);
	cr_assert_eq(u->last_update, 0);
	cr_assert_eq(u->lexicon_hash, 0);
	ctm_buf_free(&b);
	ctm_trial_free(t);
	ctm_trial_free(u);
}

/*
 * A minimal decode reads the match part only: what a verdict and a score
 * need, no texts. Damage in the text part does not stop it; damage in
 * the match part does.
 */
Test(record, minimal_decode_reads_the_match_part)
{
	ctm_trial *t = full_trial(), *u = NULL;
	ctm_buf b = {0};
	ctm_error err;
	size_t at;

	/* four locations: two recruiting in France, one closed in Germany,
	 * one not yet recruiting in Ohio */
	t->locations = ctm_arena_alloc(t->arena, 4 * sizeof(ctm_location));
	t->n_locations = 4;
	t->locations[0] = (ctm_location){.facility = "A", .country = "France",
					 .status = "Recruiting"};
	t->locations[1] = (ctm_location){.facility = "B", .country = "France",
					 .status = "Recruiting"};
	t->locations[2] = (ctm_location){.country = "Germany",
					 .status = "Completed"};
	t->locations[3] = (ctm_location){.state = "Ohio",
					 .country = "United States",
					 .status = "Not yet recruiting"};
	cr_assert_eq(ctm_record_encode(t, &b), 0);
	cr_assert_eq(ctm_record_decode_flags(b.data, b.len, CTM_DECODE_MINIMAL,
					     &u, &err),
		     0, "%s", err.message);
	cr_assert_null(u->nct_id);
	cr_assert_null(u->brief_title);
	cr_assert_null(u->criteria_text);
	cr_assert_eq(u->n_conditions, 0);
	cr_assert_eq(u->last_update, 20230203);
	cr_assert_eq(u->status, CTM_STATUS_ACTIVE_NOT_RECRUITING);
	cr_assert_eq(u->gender, CTM_GENDER_FEMALE);
	cr_assert_eq(u->min_age_years, 0.5);
	cr_assert_eq(u->max_age_years, CTM_AGE_UNBOUNDED);
	cr_assert_eq(u->healthy_volunteers, 0);
	cr_assert_eq(u->lexicon_hash, 0xfedcba9876543210ull);
	/* the distinct places of the recruiting sites */
	cr_assert_eq(u->n_locations, 2);
	cr_assert_null(u->locations[0].facility);
	cr_assert_null(u->locations[0].city);
	cr_assert_null(u->locations[0].zip);
	cr_assert_null(u->locations[0].state);
	cr_assert_null(u->locations[0].status);
	cr_assert_str_eq(u->locations[0].country, "France");
	cr_assert_str_eq(u->locations[1].state, "Ohio");
	cr_assert_str_eq(u->locations[1].country, "United States");
	cr_assert_eq(u->n_criteria, 3);
	cr_assert_null(u->criteria[0].text);
	cr_assert_null(u->criteria[0].heading);
	cr_assert_eq(u->criteria[0].section, CTM_SECTION_INCLUSION);
	cr_assert_eq(u->criteria[0].n_expr, 6);
	cr_assert_eq(u->criteria[0].expr[2].op, CTM_EXPR_OR);
	cr_assert_eq(u->criteria[0].n_constraints, 3);
	cr_assert_eq(u->criteria[0].constraints[2].within_days, 28);
	cr_assert_eq(u->criteria[0].constraints[2].concept, 4000000000u);
	cr_assert_eq(u->criteria[1].structured, false);
	cr_assert_eq(u->criteria[2].constraints[0].alt_hi, 5.0);
	ctm_trial_free(u);
	u = NULL;
	cr_assert_eq(ctm_record_decode(b.data, b.len, &u, &err), 0, "%s",
		     err.message);
	cr_assert_eq(u->n_locations, 4);
	cr_assert_str_eq(u->locations[1].facility, "B");
	cr_assert_str_eq(u->locations[2].status, "Completed");
	cr_assert_str_eq(u->locations[3].state, "Ohio");
	ctm_trial_free(u);
	u = NULL;

	/* a byte of the sponsor's name (text part) broken: a minimal decode
	 * does not see it, a full one does */
	for (at = 1; at + 9 <= b.len && memcmp(b.data + at, "Universit", 9); at++)
		;
	cr_assert_lt(at + 9, b.len);
	b.data[at - 1] = 0xff; /* its length */
	cr_assert_eq(ctm_record_decode_flags(b.data, b.len, CTM_DECODE_MINIMAL,
					     &u, &err),
		     0, "%s", err.message);
	ctm_trial_free(u);
	u = NULL;
	cr_assert_eq(ctm_record_decode(b.data, b.len, &u, &err), CTM_EPARSE);

	/* the match part cut short: both refuse it */
	b.data[9] = 200; /* the length after the 9-byte header */
	cr_assert_eq(ctm_record_decode_flags(b.data, b.len, CTM_DECODE_MINIMAL,
					     &u, &err),
		     CTM_EPARSE);
	cr_assert_null(u);
	ctm_buf_free(&b);
	ctm_trial_free(t);
}

/*
 * A lazy decode reads the match part's criteria one at a time, each the
 * same as a minimal decode gives; past the last there is none, and a
 * broken criterion is an error when it is reached, not before.
 */
Test(record, lazy_decode_reads_criteria_one_at_a_time)
{
	ctm_trial *t = full_trial(), *u = NULL, *w = NULL;
	ctm_arena *a = ctm_arena_new();
	ctm_buf b = {0};
	ctm_error err;
	ctm_lazy lz;
	size_t i;

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	cr_assert_eq(ctm_record_decode_flags(b.data, b.len, CTM_DECODE_MINIMAL,
					     &w, &err), 0, "%s", err.message);
	cr_assert_eq(ctm_record_decode_lazy(b.data, b.len, a, &u, &lz, &err),
		     0, "%s", err.message);
	cr_assert_eq(u->n_criteria, 3);
	cr_assert_eq(u->status, CTM_STATUS_ACTIVE_NOT_RECRUITING);
	/* nothing of the criteria read before it was asked for */
	cr_assert_eq(lz.next, 0);
	cr_assert_eq(lz.p[0], (unsigned char)t->criteria[0].section);
	for (i = 0; i < 3; i++) {
		const ctm_criterion *x = &u->criteria[i], *y = &w->criteria[i];
		cr_assert_eq(ctm_lazy_next(&lz, &err), 0, "%s", err.message);
		cr_assert_eq(lz.next, i + 1);
		cr_assert_eq(x->section, y->section);
		cr_assert_eq(x->structured, y->structured);
		cr_assert_eq(x->cohorts, y->cohorts);
		cr_assert_eq(x->n_expr, y->n_expr);
		cr_assert_eq(x->n_constraints, y->n_constraints);
		if (x->n_expr)
			cr_assert_eq(memcmp(x->expr, y->expr,
					    x->n_expr * sizeof(*x->expr)), 0);
		if (x->n_constraints)
			cr_assert_eq(memcmp(x->constraints, y->constraints,
					    x->n_constraints *
						    sizeof(*x->constraints)),
				     0);
	}
	cr_assert_eq(ctm_lazy_next(&lz, &err), CTM_EINVALID);

	/* the first criterion's expression made to name a missing
	 * constraint: the header still reads, the criterion does not */
	ctm_arena_reset(a);
	cr_assert_eq(ctm_record_decode_lazy(b.data, b.len, a, &u, &lz, &err),
		     0, "%s", err.message);
	{
		unsigned char *p = (unsigned char *)lz.p;
		/* section, structured, cohorts=1, n_expr=6, AND 2,
		 * LEAF 0 -> LEAF 9 */
		cr_assert_eq(p[2], 1);
		cr_assert_eq(p[3], 6);
		cr_assert_eq(p[6], CTM_EXPR_LEAF);
		p[7] = 9;
	}
	cr_assert_eq(ctm_lazy_next(&lz, &err), CTM_EPARSE);
	cr_assert(strstr(err.message, "criterion 1 of 3"), "%s", err.message);
	ctm_arena_free(a);
	ctm_trial_free(w);
	ctm_buf_free(&b);
	ctm_trial_free(t);
}

Test(record, last_update_sits_in_the_header)
{
	ctm_trial *t = ctm_trial_new(), *u = NULL;
	ctm_buf b = {0};

	t->last_update = 20230203; /* 0x0134B03B */
	cr_assert_eq(ctm_record_encode(t, &b), 0);
	cr_assert_eq(b.data[5], 0x3B);
	cr_assert_eq(b.data[6], 0xB0);
	cr_assert_eq(b.data[7], 0x34);
	cr_assert_eq(b.data[8], 0x01);
	cr_assert_eq(ctm_record_decode(b.data, b.len, &u, NULL), 0);
	cr_assert_eq(u->last_update, 20230203);
	ctm_buf_free(&b);
	ctm_trial_free(t);
	ctm_trial_free(u);
}

Test(record, encode_appends)
{
	ctm_trial *t = full_trial(), *u = NULL;
	ctm_buf b = {0};
	size_t first;

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	first = b.len;
	cr_assert_eq(ctm_record_encode(t, &b), 0);
	cr_assert_eq(b.len, 2 * first);
	cr_assert_eq(memcmp(b.data, b.data + first, first), 0);
	cr_assert_eq(ctm_record_decode(b.data + first, first, &u, NULL), 0);
	cr_assert_str_eq(u->nct_id, "NCT01234567");
	/* two records back to back are not one record */
	ctm_trial_free(u);
	u = NULL;
	cr_assert_eq(ctm_record_decode(b.data, b.len, &u, NULL), CTM_EPARSE);
	cr_assert_null(u);
	ctm_buf_free(&b);
	ctm_trial_free(t);
}

Test(record, other_version_refused)
{
	ctm_trial *t = full_trial(), *u = NULL;
	ctm_buf b = {0};
	ctm_error err;

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	b.data[4] = 2;
	ctm_error_clear(&err);
	cr_assert_eq(ctm_record_decode(b.data, b.len, &u, &err),
		     CTM_EVERSION);
	cr_assert_null(u);
	cr_assert_eq(err.code, CTM_EVERSION);
	cr_assert_not_null(strstr(err.message, "version 4"), "%s",
			   err.message);
	cr_assert_not_null(strstr(err.message, "version 2"), "%s",
			   err.message);
	ctm_buf_free(&b);
	ctm_trial_free(t);
}

Test(record, bad_magic_is_parse_error)
{
	ctm_trial *t = ctm_trial_new(), *u = NULL;
	ctm_buf b = {0};

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	b.data[0] = 'X';
	cr_assert_eq(ctm_record_decode(b.data, b.len, &u, NULL), CTM_EPARSE);
	cr_assert_null(u);
	ctm_buf_free(&b);
	ctm_trial_free(t);
}

/* Each prefix is copied into a buffer of exactly its size: ASan sees any
 * read past it. */
Test(record, every_truncation_is_parse_error)
{
	ctm_trial *t = full_trial(), *u = NULL;
	ctm_buf b = {0};
	ctm_error err;
	size_t len;

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	for (len = 0; len < b.len; len++) {
		unsigned char *p = malloc(len ? len : 1);
		memcpy(p, b.data, len);
		ctm_error_clear(&err);
		cr_assert_eq(ctm_record_decode(p, len, &u, &err), CTM_EPARSE,
			     "prefix of %zu bytes of %zu", len, b.len);
		cr_assert_null(u);
		cr_assert_eq(err.code, CTM_EPARSE);
		free(p);
	}
	ctm_buf_free(&b);
	ctm_trial_free(t);
}

/* Flipping bits anywhere must never crash or read out of bounds. */
Test(record, corruption_never_crashes)
{
	static const unsigned char flips[] = {0x01, 0x80, 0xff, 0x7f};
	ctm_trial *t = full_trial(), *u = NULL;
	ctm_buf b = {0};
	size_t i, f, parse_errors = 0;
	int rc;

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	for (i = 0; i < b.len; i++) {
		for (f = 0; f < sizeof flips; f++) {
			unsigned char *p = malloc(b.len);
			memcpy(p, b.data, b.len);
			p[i] ^= flips[f];
			rc = ctm_record_decode(p, b.len, &u, NULL);
			cr_assert(rc == 0 || rc == CTM_EPARSE ||
					  rc == CTM_EVERSION,
				  "byte %zu ^ %#x: rc %d", i, flips[f], rc);
			if (rc == 0)
				ctm_trial_free(u);
			else
				parse_errors++;
			free(p);
		}
	}
	/* Flipping the low bit of byte 4 (the version) is always refused. */
	cr_assert_gt(parse_errors, 0);
	ctm_buf_free(&b);
	ctm_trial_free(t);
}

/* A huge count is bounded by the bytes left, not allocated. */
Test(record, huge_count_refused)
{
	ctm_trial *t = ctm_trial_new(), *u = NULL;
	ctm_buf b = {0};
	unsigned char *p;
	static const unsigned char huge[] = {0xff, 0xff, 0xff, 0xff, 0x0f};

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	/* conditions count is the byte at offset 9 + 3 + 1 + 3 = 16 */
	cr_assert_eq(b.data[16], 0);
	p = malloc(b.len + sizeof huge - 1);
	memcpy(p, b.data, 16);
	memcpy(p + 16, huge, sizeof huge);
	memcpy(p + 16 + sizeof huge, b.data + 17, b.len - 17);
	cr_assert_eq(ctm_record_decode(p, b.len + sizeof huge - 1, &u, NULL),
		     CTM_EPARSE);
	cr_assert_null(u);
	free(p);
	ctm_buf_free(&b);
	ctm_trial_free(t);
}

static ctm_trial *one_criterion_trial(const ctm_expr *e, size_t n_expr,
				      size_t n_constraints)
{
	ctm_trial *t = ctm_trial_new();
	ctm_criterion *c = ctm_arena_alloc(t->arena, sizeof(*c));
	size_t i;

	t->nct_id = "NCT00000001";
	c->structured = true;
	c->text = "x";
	c->expr = ctm_arena_alloc(t->arena, n_expr * sizeof(*e) + 1);
	for (i = 0; i < n_expr; i++)
		c->expr[i] = e[i];
	c->n_expr = n_expr;
	c->constraints = ctm_arena_alloc(
		t->arena, n_constraints * sizeof(ctm_constraint) + 1);
	for (i = 0; i < n_constraints; i++)
		c->constraints[i].kind = CTM_K_ECOG;
	c->n_constraints = n_constraints;
	t->criteria = c;
	t->n_criteria = 1;
	return t;
}

static int round_trip_rc(ctm_trial *t)
{
	ctm_trial *u = NULL;
	ctm_buf b = {0};
	int rc;

	cr_assert_eq(ctm_record_encode(t, &b), 0);
	rc = ctm_record_decode(b.data, b.len, &u, NULL);
	if (rc == 0)
		cr_assert_not_null(u);
	else
		cr_assert_null(u);
	ctm_trial_free(u);
	ctm_buf_free(&b);
	return rc;
}

/* Trees the matcher could not walk safely are refused on both sides. */
Test(record, malformed_expression_refused)
{
	static const ctm_expr too_few[] = {{CTM_EXPR_AND, 3},
					   {CTM_EXPR_LEAF, 0},
					   {CTM_EXPR_LEAF, 0}};
	static const ctm_expr trailing[] = {{CTM_EXPR_LEAF, 0},
					    {CTM_EXPR_LEAF, 0}};
	static const ctm_expr bad_leaf[] = {{CTM_EXPR_NOT, 1},
					    {CTM_EXPR_LEAF, 1}};
	static const ctm_expr bad_op[] = {{9, 0}};
	static const ctm_expr dangling_not[] = {{CTM_EXPR_NOT, 1}};
	static const ctm_expr good[] = {{CTM_EXPR_OR, 2},
					{CTM_EXPR_NOT, 1},
					{CTM_EXPR_LEAF, 0},
					{CTM_EXPR_AND, 0}};
	static const struct {
		const ctm_expr *e;
		size_t n;
	} bad[] = {{too_few, 3}, {trailing, 2}, {bad_leaf, 2}, {bad_op, 1},
		   {dangling_not, 1}};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ctm_trial *t = one_criterion_trial(bad[i].e, bad[i].n, 1);
		cr_assert_eq(round_trip_rc(t), CTM_EPARSE, "case %zu", i);
		ctm_trial_free(t);
	}
	{
		ctm_trial *t = one_criterion_trial(good, 4, 1);
		cr_assert_eq(round_trip_rc(t), 0);
		ctm_trial_free(t);
	}
}

/*
 * Version 3 records (before cohorts) are read as binding every cohort, so
 * that `ctmatch reparse` can bring an older index up to date from its
 * stored text rather than asking for a new ingest. A version 4 record of a
 * trial without cohorts is the version 3 one with two zero bytes: the
 * trial's empty cohort list and the criterion's empty cohort mask.
 */
Test(record, version_3_reads_as_all_cohorts)
{
	ctm_trial *t = ctm_trial_new(), *u = NULL;
	ctm_criterion *c = ctm_arena_alloc(t->arena, sizeof(*c));
	ctm_buf b = {0};
	ctm_error err;
	unsigned char v3[256];
	size_t n = 0, i;

	c->section = CTM_SECTION_EXCLUSION;
	c->text = "Pregnancy";
	c->review_reason = "why";
	t->criteria = c;
	t->n_criteria = 1;
	cr_assert_eq(ctm_record_encode(t, &b), 0);
	cr_assert_lt(b.len, sizeof v3);
	/* 43: the trial's cohort count; 44: n_criteria 1; 45: section;
	 * 46: structured; 47: the criterion's cohort mask */
	cr_assert_eq(b.data[9], 37); /* the match part: 37 bytes */
	cr_assert_eq(b.data[43], 0);
	cr_assert_eq(b.data[44], 1);
	cr_assert_eq(b.data[47], 0);
	for (i = 0; i < b.len; i++)
		if (i != 43 && i != 47)
			v3[n++] = b.data[i];
	v3[4] = 3;
	v3[9] = 35;
	ctm_error_clear(&err);
	cr_assert_eq(ctm_record_decode(v3, n, &u, &err), 0, "%s", err.message);
	cr_assert_eq(u->n_criteria, 1);
	cr_assert_eq(u->n_cohorts, 0);
	cr_assert_eq(u->criteria[0].cohorts, 0);
	cr_assert_eq(u->criteria[0].section, CTM_SECTION_EXCLUSION);
	cr_assert_str_eq(u->criteria[0].text, "Pregnancy");
	cr_assert_str_eq(u->criteria[0].review_reason, "why");
	ctm_trial_free(u);
	/* version 2 is still refused */
	v3[4] = 2;
	cr_assert_eq(ctm_record_decode(v3, n, &u, &err), CTM_EVERSION);
	ctm_buf_free(&b);
	ctm_trial_free(t);
}
