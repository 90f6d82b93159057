/*
 * bench_record.c - encode and decode a realistic trial record many times.
 *
 *   bench_record [iterations]     (default 100000)
 *
 * The trial is shaped like a large oncology record: 30 sites, 6
 * interventions, a 6 KB criteria text and 30 parsed criteria.
 */
#include <ctm/index.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *dup(ctm_arena *a, const char *s)
{
	return ctm_arena_strdup(a, s);
}

static ctm_trial *realistic_trial(void)
{
	static const char line[] =
		"Inclusion Criteria: - ECOG 0 or 1; no prior KRAS G12C "
		"inhibitor.\r\n";
	ctm_trial *t = ctm_trial_new();
	ctm_arena *a = t->arena;
	char buf[256], *text;
	size_t i, j, n;

	t->nct_id = dup(a, "NCT04567890");
	t->brief_title = dup(a, "Sotorasib Plus Panitumumab Versus Investigator's "
				"Choice in KRAS G12C Metastatic Colorectal Cancer");
	t->official_title = dup(a, "A Phase 3 Multicenter, Randomized, Open-label, "
				   "Active-controlled Study of AMG 510 and "
				   "Panitumumab Versus Investigator's Choice");
	t->status = CTM_STATUS_RECRUITING;
	t->phase = dup(a, "Phase 3");
	t->study_type = dup(a, "Interventional");
	t->lead_sponsor = dup(a, "Amgen");
	t->n_conditions = 3;
	t->conditions = ctm_arena_alloc(a, 3 * sizeof(char *));
	t->conditions[0] = dup(a, "Colorectal Cancer");
	t->conditions[1] = dup(a, "KRAS G12C");
	t->conditions[2] = dup(a, "Metastatic Colorectal Cancer");
	t->n_keywords = 4;
	t->keywords = ctm_arena_alloc(a, 4 * sizeof(char *));
	t->keywords[0] = dup(a, "sotorasib");
	t->keywords[1] = dup(a, "AMG 510");
	t->keywords[2] = dup(a, "panitumumab");
	t->keywords[3] = dup(a, "KRAS p.G12C");
	t->n_condition_mesh = 2;
	t->condition_mesh = ctm_arena_alloc(a, 2 * sizeof(char *));
	t->condition_mesh[0] = dup(a, "Colorectal Neoplasms");
	t->condition_mesh[1] = dup(a, "Neoplasm Metastasis");

	t->n_interventions = 6;
	t->interventions = ctm_arena_alloc(a, 6 * sizeof(ctm_intervention));
	for (i = 0; i < 6; i++) {
		ctm_intervention *iv = &t->interventions[i];
		snprintf(buf, sizeof buf, "Intervention %zu", i);
		iv->type = dup(a, "Drug");
		iv->name = dup(a, buf);
		iv->n_other_names = 2;
		iv->other_names = ctm_arena_alloc(a, 2 * sizeof(char *));
		iv->other_names[0] = dup(a, "AMG 510");
		iv->other_names[1] = dup(a, "Lumakras");
	}

	t->has_eligibility = true;
	n = 6000;
	text = ctm_arena_alloc(a, n + 1);
	for (i = 0; i < n; i++)
		text[i] = line[i % (sizeof(line) - 1)];
	t->criteria_text = text;
	t->gender = CTM_GENDER_ALL;
	t->min_age_years = 18;
	t->max_age_years = CTM_AGE_UNBOUNDED;
	t->healthy_volunteers = 0;

	t->n_locations = 30;
	t->locations = ctm_arena_alloc(a, 30 * sizeof(ctm_location));
	for (i = 0; i < 30; i++) {
		ctm_location *l = &t->locations[i];
		snprintf(buf, sizeof buf, "Research Site %zu", i);
		l->facility = dup(a, buf);
		l->city = dup(a, "Los Angeles");
		l->state = dup(a, "California");
		l->zip = dup(a, "90095");
		l->country = dup(a, "United States");
		l->status = dup(a, "Recruiting");
	}
	t->first_posted = 20200915;
	t->last_update = 20230203;
	t->download_date = 20230210;
	t->lexicon_hash = 0x1234567890abcdefull;

	t->n_criteria = 30;
	t->criteria = ctm_arena_alloc(a, 30 * sizeof(ctm_criterion));
	for (i = 0; i < 30; i++) {
		ctm_criterion *c = &t->criteria[i];
		c->section = i < 12 ? CTM_SECTION_INCLUSION
				    : CTM_SECTION_EXCLUSION;
		c->structured = i % 3 != 2;
		snprintf(buf, sizeof buf,
			 "Criterion %zu: pathologically documented metastatic "
			 "colorectal adenocarcinoma with KRAS p.G12C mutation",
			 i);
		c->text = dup(a, buf);
		c->heading = i % 10 == 0 ? dup(a, "Cohort A:") : NULL;
		if (!c->structured)
			continue;
		/* AND(leaf0, OR(leaf1, NOT(leaf2))) */
		c->n_expr = 6;
		c->expr = ctm_arena_alloc(a, 6 * sizeof(ctm_expr));
		c->expr[0] = (ctm_expr){CTM_EXPR_AND, 2};
		c->expr[1] = (ctm_expr){CTM_EXPR_LEAF, 0};
		c->expr[2] = (ctm_expr){CTM_EXPR_OR, 2};
		c->expr[3] = (ctm_expr){CTM_EXPR_LEAF, 1};
		c->expr[4] = (ctm_expr){CTM_EXPR_NOT, 1};
		c->expr[5] = (ctm_expr){CTM_EXPR_LEAF, 2};
		c->n_constraints = 3;
		c->constraints = ctm_arena_alloc(a, 3 * sizeof(ctm_constraint));
		for (j = 0; j < 3; j++)
			c->constraints[j] = (ctm_constraint){
				.kind = (uint16_t)(CTM_K_BIOMARKER + j),
				.status = CTM_BM_MUTATED,
				.flags = CTM_F_PROGRESSED,
				.concept = (ctm_concept)(100 + i + j),
				.lo = -INFINITY,
				.hi = j == 2 ? 1.0 : INFINITY,
				.alt_hi = INFINITY};
	}
	return t;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	ctm_trial *t = realistic_trial(), *u;
	ctm_buf b = {0};
	ctm_error err;
	double t0, t1;
	size_t check = 0;
	long i;

	if (iters <= 0 || !t)
		return 2;
	if (ctm_record_encode(t, &b) != 0)
		return 1;
	printf("record: %zu bytes (%zu criteria, %zu locations)\n", b.len,
	       t->n_criteria, t->n_locations);

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		b.len = 0;
		if (ctm_record_encode(t, &b) != 0)
			return 1;
	}
	t1 = now_ns();
	printf("encode: %.0f ns per record (%ld iterations)\n",
	       (t1 - t0) / (double)iters, iters);

	t0 = now_ns();
	for (i = 0; i < iters; i++) {
		if (ctm_record_decode(b.data, b.len, &u, &err) != 0) {
			fprintf(stderr, "decode: %s\n", err.message);
			return 1;
		}
		check += u->n_criteria;
		ctm_trial_free(u);
	}
	t1 = now_ns();
	printf("decode: %.0f ns per record (%ld iterations, %.0f MB/s)\n",
	       (t1 - t0) / (double)iters, iters,
	       (double)b.len * (double)iters / ((t1 - t0) / 1e9) / 1e6);
	if (check != (size_t)iters * t->n_criteria)
		return 1;
	ctm_buf_free(&b);
	ctm_trial_free(t);
	return 0;
}
