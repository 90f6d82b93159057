/*
 * extract_rows.h - what the table-driven extraction tests share: a row
 * (section, enclosing heading or NULL, sentence, and the expected
 * expression in the notation of parsers/criteria_print.h, "review" when
 * the sentence must stay review), the parser they run, and the check of a
 * table of rows. Included by one test file each (static definitions).
 */
#ifndef CTM_TESTS_EXTRACT_ROWS_H
#define CTM_TESTS_EXTRACT_ROWS_H

#include <criterion/criterion.h>

#include <ctm/parsers.h>

#include "../../parsers/criteria_extract.h"
#include "../../parsers/criteria_print.h"

#include <stdio.h>
#include <string.h>

#define I CTM_SECTION_INCLUSION
#define E CTM_SECTION_EXCLUSION
#define U CTM_SECTION_UNSPECIFIED

typedef struct row {
	ctm_section section;
	const char *heading;
	const char *text;
	const char *want;
} row;

static ctm_lexicon *lx;
static ctm_criteria_parser *parser;
static ctm_criteria_ctx *ctx;

static void setup(void)
{
	ctm_error err = {0};
	char buf[1024];

	cr_assert_eq(ctm_lexicon_new(&lx, &err), 0, "lexicon: %s",
		     ctm_error_format(&err, buf, sizeof(buf)));
	cr_assert_eq(ctm_criteria_parser_new(&parser, lx, &err), 0,
		     "parser: %s", ctm_error_format(&err, buf, sizeof(buf)));
	cr_assert_eq(ctm_criteria_ctx_new(&ctx, parser), 0);
}

static void teardown(void)
{
	ctm_criteria_ctx_free(ctx);
	ctm_criteria_parser_free(parser);
	ctm_lexicon_free(lx);
}

/* Extracts one sentence; writes its notation into buf. */
static void extract(ctm_section sec, const char *heading, const char *text,
		    ctm_criterion *c, ctm_arena *a, char *buf, size_t size)
{
	ctm_error err = {0};

	memset(c, 0, sizeof(*c));
	c->section = sec;
	c->heading = heading;
	c->text = text;
	cr_assert_eq(ctm_criteria_extract(ctx, c, a, &err), 0, "%s",
		     err.message);
	ctm_criterion_format(c, lx, buf, size);
}

static void check_rows(const row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		ctm_arena *a = ctm_arena_new();
		ctm_criterion c;
		char got[1024];
		extract(rows[i].section, rows[i].heading, rows[i].text, &c, a,
			got, sizeof(got));
		cr_expect_str_eq(got, rows[i].want,
				 "%s | %s\n   want: %s\n   got:  %s\n   "
				 "(%s) {%s}",
				 ctm_section_name(rows[i].section),
				 rows[i].text, rows[i].want, got,
				 ctm_criteria_debug_reason(ctx),
				 ctm_criteria_debug_skeleton(ctx));
		/* a review criterion has no expression, a structured one has
		 * one whose leaves all exist */
		if (!strcmp(rows[i].want, "review")) {
			cr_expect(!c.structured && c.n_expr == 0 &&
				  c.n_constraints == 0);
		} else if (c.structured) {
			size_t k;
			for (k = 0; k < c.n_expr; k++)
				if (c.expr[k].op == CTM_EXPR_LEAF)
					cr_expect_lt(c.expr[k].arg,
						     c.n_constraints);
		}
		ctm_arena_free(a);
	}
}

#define ROWS(t) t, sizeof(t) / sizeof(t[0])

#endif
