/*
 * fuzz_criteria.c - criteria segmentation and extraction on arbitrary
 * bytes. The first byte picks the section of a single-sentence extraction
 * (and a heading, from the text after a '|' when there is one); the whole
 * input is also parsed as a trial's criteria text block, with its lines
 * as the trial's conditions and MeSH terms (the population reader). Every
 * structured criterion is printed, so the printer walks every expression.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/parsers.h>

#include "../../parsers/criteria_print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ctm_lexicon *lx;
static ctm_criteria_parser *parser;
static ctm_criteria_ctx *ctx;

static int init(void)
{
	ctm_error err;

	if (ctx)
		return 0;
	if (ctm_lexicon_new(&lx, &err) ||
	    ctm_criteria_parser_new(&parser, lx, &err) ||
	    ctm_criteria_ctx_new(&ctx, parser))
		abort();
	return 0;
}

/* Prints a criterion and checks its expression is a well-formed tree. */
static void check(const ctm_criterion *c)
{
	char buf[2048];
	size_t i, need = 1;

	ctm_criterion_format(c, lx, buf, sizeof(buf));
	if (!c->structured) {
		if (c->n_expr || c->n_constraints)
			abort();
		return;
	}
	/* prefix order: each node consumes itself and adds its children */
	for (i = 0; i < c->n_expr; i++) {
		const ctm_expr *e = &c->expr[i];
		if (need == 0)
			abort();
		need--;
		if (e->op == CTM_EXPR_LEAF) {
			if (e->arg >= c->n_constraints)
				abort();
		} else if (e->op == CTM_EXPR_NOT) {
			need++;
		} else if (e->op == CTM_EXPR_AND || e->op == CTM_EXPR_OR) {
			if (e->arg < 2)
				abort();
			need += e->arg;
		} else {
			abort();
		}
	}
	if (need != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctm_arena *a;
	ctm_criterion c;
	ctm_trial *t;
	ctm_error err;
	char *text, *bar;
	size_t i;

	init();
	if (size > (1u << 16))
		return 0;
	a = ctm_arena_new();
	text = ctm_arena_alloc(a, size + 1);
	if (!a || !text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	memset(&c, 0, sizeof(c));
	c.section = size ? (ctm_section)(data[0] % 3) : CTM_SECTION_INCLUSION;
	c.text = size ? text + 1 : text;
	bar = strchr(c.text, '|');
	if (bar) {
		*bar = '\0';
		c.heading = c.text;
		c.text = bar + 1;
	}
	if (ctm_criteria_extract(ctx, &c, a, &err) == 0)
		check(&c);
	ctm_arena_free(a);

	t = ctm_trial_new();
	if (!t)
		abort();
	text = ctm_arena_alloc(t->arena, size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	t->criteria_text = text;
	{
		/* the lines, again, as conditions and MeSH terms */
		char *lines = ctm_arena_strdup(t->arena, text), *nl;
		const char **v = ctm_arena_alloc(t->arena, 64 * sizeof(*v));
		size_t n = 0;
		if (!lines || !v)
			abort();
		for (; lines && n < 64; lines = nl) {
			nl = strchr(lines, '\n');
			if (nl)
				*nl++ = '\0';
			v[n++] = lines;
		}
		t->conditions = v;
		t->n_conditions = n / 2;
		t->condition_mesh = v + n / 2;
		t->n_condition_mesh = n - n / 2;
	}
	if (ctm_criteria_parse(ctx, t, &err) == 0) {
		/* cohorts: none or two to CTM_MAX_COHORTS, each criterion
		 * binding some of them */
		if (t->n_cohorts == 1 || t->n_cohorts > CTM_MAX_COHORTS)
			abort();
		for (i = 0; i < t->n_cohorts; i++)
			if (!t->cohorts[i] || !*t->cohorts[i])
				abort();
		for (i = 0; i < t->n_criteria; i++) {
			uint32_t m = t->criteria[i].cohorts;
			if (t->n_cohorts < 32 && (m >> t->n_cohorts))
				abort();
			check(&t->criteria[i]);
		}
		for (i = 0; i < t->n_population; i++)
			if (ctm_lexicon_type(lx, t->population[i]) !=
			    CTM_CT_DISEASE)
				abort();
	}
	ctm_trial_free(t);
	return 0;
}
