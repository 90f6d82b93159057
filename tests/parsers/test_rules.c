/*
 * test_rules.c - the criteria reader's rule files: every line checked, a
 * bad one named by file and line, and the shipped files all load.
 */
#include <criterion/criterion.h>

#include "../../parsers/criteria_rules.h"

#include <ctm/engine.h>
#include <ctm/parsers.h>

#include <string.h>

typedef struct bad_row {
	const char *text;
	int line;
	const char *message;
} bad_row;

Test(rules, shipped_files_load)
{
	crules r;
	ctm_error err = {0};
	size_t i;

	cr_assert_eq(crules_load(&r, &err), 0, "%s:%d: %s", err.file, err.line,
		     err.message);
	/* the rewrites moved out of C, all 80 of them, in order */
	cr_assert_geq(r.n_rw, 80);
	cr_expect_str_eq(r.rw[0].name, "example-parens");
	cr_expect_str_eq(r.rw[0].repl, " ");
	cr_expect_neq(r.hash, 0);
	/* every list the reader asks for has words: a list missing from
	 * words.tsv would read as empty and change the reading silently */
	for (i = 0; i < CRULES_N_LISTS; i++)
		cr_expect_gt(r.lists[i].n, 0, "list %zu", i);
	cr_expect(crules_is_word(&r, CRULES_CONNECTIVE, "and/or", 6));
	cr_expect(crules_is_word(&r, CRULES_FILLER, "(", 1));
	cr_expect(crules_is_word(&r, CRULES_NEGATION, "without", 7));
	cr_expect(!crules_is_word(&r, CRULES_NEGATION, "with", 4));
	cr_expect(crules_has_prefix(&r, CRULES_DENY_PREFIX,
				    "contraindicated", 15));
	cr_expect(crules_has_prefix(&r, CRULES_DENY_PREFIX, "allergy", 7));
	cr_expect(!crules_has_prefix(&r, CRULES_DENY_PREFIX, "allo", 4));
	/* the segmenter's and the cohort reader's words, out of C too */
	for (i = 0; i < CRULES_N_LAYOUT; i++)
		cr_expect_gt(r.layout[i].n, 0, "layout list %zu", i);
	cr_expect_eq(crules_layout_find(&r, CRULES_L_ROMAN, "IV", 2), 3);
	cr_expect_eq(crules_layout_find(&r, CRULES_L_VACUOUS, "Not Applicable",
					14),
		     4);
	cr_expect_geq(crules_layout_find(&r, CRULES_L_PDQ_START, "ALT", 3), 0);
	cr_expect_eq(crules_layout_find(&r, CRULES_L_PDQ_START, "Alt", 3), -1);
	cr_expect_eq(r.layout[CRULES_L_PDQ_LABEL].max_len, 23);
	cr_expect_str_eq(r.layout[CRULES_L_COHORT_KIND].value[1], "Cohort");
	crules_free(&r);
}

/* Patterns compile on first use; the shipped ones must all compile, as
 * ingest and reparse ask before they start. */
Test(rules, every_shipped_pattern_compiles)
{
	ctm_lexicon *lx = NULL;
	ctm_criteria_parser *p = NULL;
	ctm_error err = {0};

	cr_assert_eq(ctm_lexicon_new(&lx, &err), 0, "%s", err.message);
	cr_assert_eq(ctm_criteria_parser_new(&p, lx, &err), 0, "%s",
		     err.message);
	cr_expect_eq(ctm_criteria_parser_compile(p, &err), 0, "%s:%d: %s",
		     err.file, err.line, err.message);
	/* a second call finds them compiled */
	cr_expect_eq(ctm_criteria_parser_compile(p, &err), 0);
	ctm_criteria_parser_free(p);
	ctm_lexicon_free(lx);
}

Test(rules, a_line_reads_into_its_fields)
{
	crules r = {0};
	ctm_error err = {0};
	const char *text = "# a comment\n\n"
			   "ulnx\tuln\tdigit\t\\bx\\s*uln\\b\t\"x uln\"\n"
			   "drop\t-\t-\t\\(per recist\\)\t\"\"\n";

	cr_assert_eq(crules_add_text(&r, "rewrites.tsv", text, strlen(text),
				     &err),
		     0, "%s", err.message);
	cr_assert_eq(r.n_rw, 2);
	cr_expect_str_eq(r.rw[0].name, "ulnx");
	cr_expect_str_eq(r.rw[0].need, "uln");
	cr_expect_eq(r.rw[0].need_digit, 1);
	cr_expect_str_eq(r.rw[0].pat, "\\bx\\s*uln\\b");
	cr_expect_str_eq(r.rw[0].repl, "x uln");
	cr_expect_eq(r.rw[0].line, 3);
	cr_expect_str_eq(r.rw[1].need, "");
	cr_expect_eq(r.rw[1].need_digit, 0);
	cr_expect_str_eq(r.rw[1].repl, "");
	crules_free(&r);
}

Test(rules, a_bad_line_names_file_and_line_and_keeps_nothing_of_the_file)
{
	static const bad_row rows[] = {
		{"ok\t-\t-\tx\t\"y\"\nshort\t-\t-\tx\n", 2,
		 "a rewrite has 5 tab-separated fields (name, need, digit, "
		 "pattern, \"replacement\"), not 4"},
		{"\t-\t-\tx\t\"y\"\n", 1,
		 "a rewrite needs a name, a need (or -) and a pattern"},
		{"n\t-\tyes\tx\t\"y\"\n", 1,
		 "the digit field is \"digit\" or \"-\""},
		{"# c\nn\t-\t-\tx\ty\n", 2,
		 "the replacement is written in double quotes"},
		{"n\t-\t-\tx\t\"y\"\tmore\n", 1,
		 "a rewrite has 5 tab-separated fields (name, need, digit, "
		 "pattern, \"replacement\"), not 6"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		crules r = {0};
		ctm_error err = {0};
		int rc = crules_add_text(&r, "rewrites.tsv", rows[i].text,
					 strlen(rows[i].text), &err);
		cr_expect_eq(rc, CTM_EPARSE, "row %zu", i);
		cr_expect_str_eq(err.file, "rewrites.tsv", "row %zu", i);
		cr_expect_eq(err.line, rows[i].line, "row %zu", i);
		cr_expect_str_eq(err.message, rows[i].message, "row %zu", i);
		cr_expect_eq(r.n_rw, 0, "row %zu", i);
		crules_free(&r);
	}
}

Test(rules, an_unknown_rule_file_is_refused)
{
	crules r = {0};
	ctm_error err = {0};

	cr_expect_eq(crules_add_text(&r, "frames.tsv", "x\n", 2, &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.file, "frames.tsv");
	cr_expect_str_eq(err.message, "not a rule file this version reads");
}

Test(rules, word_lists_read_and_check_their_lines)
{
	static const bad_row rows[] = {
		{"widening\tif may\nnowhere\tx\n", 2,
		 "no word list is named 'nowhere'"},
		{"widening if may\n", 1,
		 "a word list line has 2 tab-separated fields (list, words), "
		 "not 1"},
		{"# c\nwidening\tif May\n", 2, "words are written in lower case"},
	};
	crules r = {0};
	ctm_error err = {0};
	const char *ok = "widening\tif may\nwidening\tunless\nsubgroup\tpatients\n";
	size_t i;

	cr_assert_eq(crules_add_text(&r, "words.tsv", ok, strlen(ok), &err), 0,
		     "%s", err.message);
	cr_expect(crules_is_word(&r, CRULES_WIDENING, "unless", 6));
	cr_expect(crules_is_word(&r, CRULES_WIDENING, "may", 3));
	cr_expect(!crules_is_word(&r, CRULES_WIDENING, "ma", 2));
	cr_expect(!crules_is_word(&r, CRULES_WIDENING, "mayo", 4));
	cr_expect(!crules_is_word(&r, CRULES_WIDENING, "patients", 8));
	cr_expect(crules_is_word(&r, CRULES_SUBGROUP, "patients", 8));
	crules_free(&r);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		crules b = {0};
		int rc = crules_add_text(&b, "words.tsv", rows[i].text,
					 strlen(rows[i].text), &err);
		cr_expect_eq(rc, CTM_EPARSE, "row %zu", i);
		cr_expect_str_eq(err.file, "words.tsv", "row %zu", i);
		cr_expect_eq(err.line, rows[i].line, "row %zu", i);
		cr_expect_str_eq(err.message, rows[i].message, "row %zu", i);
		crules_free(&b);
	}
}

Test(rules, layout_lists_read_and_check_their_lines)
{
	static const bad_row rows[] = {
		{"vacuous\tnone\nnowhere\tx\n", 2,
		 "no layout list is named 'nowhere'"},
		{"vacuous none\n", 1, "no layout list is named 'vacuous none'"},
		{"# c\nvacuous\tnone\tn/a\n", 2,
		 "a line of list 'vacuous' has 2 tab-separated fields (list, "
		 "entries), not 3"},
		{"cohort-kind\tcohort cohorts\n", 1,
		 "a line of list 'cohort-kind' has 3 tab-separated fields "
		 "(list, value, entries), not 2"},
		{"cohort-kind\t\tarm\n", 1, "the value is empty"},
		{"vacuous\tnone N/A\n", 1,
		 "entries of list 'vacuous' are written in lower case"},
		{"vacuous\tnone \"not given\n", 1, "a quote is not closed"},
		{"vacuous\t\"not\"given\n", 1,
		 "a quoted entry is not empty and ends at a space or the "
		 "line's end"},
		{"vacuous\t\"\"\n", 1,
		 "a quoted entry is not empty and ends at a space or the "
		 "line's end"},
	};
	crules r = {0};
	ctm_error err = {0};
	const char *ok = "# c\nvacuous\tnone \"not applicable\"  n/a\n"
			 "vacuous\t\"- or -\"\n"
			 "pdq-start\tALT Able\n"
			 "cohort-kind\tCohort\tcohort cohorts\n"
			 "heading-exclusion\t\"exclude \"\n";
	size_t i;

	cr_assert_eq(crules_add_text(&r, "layout.tsv", ok, strlen(ok), &err),
		     0, "%s:%d: %s", err.file, err.line, err.message);
	cr_assert_eq(r.layout[CRULES_L_VACUOUS].n, 4);
	cr_expect_str_eq(r.layout[CRULES_L_VACUOUS].s[1], "not applicable");
	cr_expect_str_eq(r.layout[CRULES_L_VACUOUS].s[3], "- or -");
	cr_expect_eq(crules_layout_find(&r, CRULES_L_VACUOUS, "N/A", 3), 2);
	cr_expect_eq(crules_layout_find(&r, CRULES_L_VACUOUS, "n/", 2), -1);
	/* as written: the case counts */
	cr_expect_eq(crules_layout_find(&r, CRULES_L_PDQ_START, "Able", 4), 1);
	cr_expect_eq(crules_layout_find(&r, CRULES_L_PDQ_START, "ABLE", 4), -1);
	cr_expect_eq(r.layout[CRULES_L_COHORT_KIND].n, 2);
	cr_expect_str_eq(r.layout[CRULES_L_COHORT_KIND].value[1], "Cohort");
	cr_expect_str_eq(r.layout[CRULES_L_HEADING_EXCLUSION].s[0], "exclude ");
	crules_free(&r);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		crules b = {0};
		int rc = crules_add_text(&b, "layout.tsv", rows[i].text,
					 strlen(rows[i].text), &err);
		cr_expect_eq(rc, CTM_EPARSE, "row %zu", i);
		cr_expect_str_eq(err.file, "layout.tsv", "row %zu", i);
		cr_expect_eq(err.line, rows[i].line, "row %zu", i);
		cr_expect_str_eq(err.message, rows[i].message, "row %zu", i);
		crules_free(&b);
	}
}
