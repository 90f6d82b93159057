/* test_lexicon.c - the lexicon engine: loading, folding, graph, scan, errors. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <ctm/engine.h>
#include "testutil.h"

/* Test concepts with names no real lexicon uses, added to the built-in data. */
static const char extra[] =
	"# test data\n"
	"disease\tzz cancer\tzz carcinoma|zz-ca\tzz solid\n"
	"disease\tzz solid\t\t\n"
	"drug\tzzmab\tZumabrand|ZM-101\tzz anti-Q\n"
	"drug\tzzplatin\t\tzz platinum\n"
	"class\tzz anti-Q\tzz anti Q antibody\tzz targeted\n"
	"class\tzz targeted\n"
	"class\tzz platinum\n"
	"regimen\tZZFOX\tmZZFOX6\tzzmab|zzplatin\n"
	"site\tzz liver\tzz hepatic\n"
	"\n"
	"   # indented comment\n";

static ctm_lexicon *load(void)
{
	ctm_lexicon *lx;
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_lexicon_load_text(lx, "extra.tsv", extra,
					   strlen(extra), &e),
		     0, "%s", e.message);
	return lx;
}

Test(lexicon, finds_terms_whatever_case_and_separators)
{
	ctm_lexicon *lx = load();
	ctm_concept zm = ctm_lexicon_concept(lx, CTM_CT_DRUG, "zzmab");

	cr_assert_neq(zm, 0);
	cr_expect_eq(ctm_lexicon_find(lx, "ZUMABRAND", 9), zm);
	cr_expect_eq(ctm_lexicon_find(lx, "zm 101", 6), zm);
	cr_expect_eq(ctm_lexicon_find(lx, "ZM_101", 6), zm);
	cr_expect_eq(ctm_lexicon_find(lx, " zm--101 ", 9), zm);
	cr_expect_eq(ctm_lexicon_find(lx, "zm101", 5), 0);
	cr_expect_eq(ctm_lexicon_type(lx, zm), CTM_CT_DRUG);
	cr_expect_str_eq(ctm_lexicon_name(lx, zm), "zzmab");
	cr_expect_str_eq(ctm_lexicon_name(lx, 0), "");
	ctm_lexicon_free(lx);
}

Test(lexicon, follows_classes_regimens_and_disease_parents)
{
	ctm_lexicon *lx = load();
	ctm_concept zm = ctm_lexicon_concept(lx, CTM_CT_DRUG, "zzmab");
	ctm_concept pl = ctm_lexicon_concept(lx, CTM_CT_DRUG, "zzplatin");
	ctm_concept q = ctm_lexicon_concept(lx, CTM_CT_CLASS, "zz anti-Q");
	ctm_concept tg = ctm_lexicon_concept(lx, CTM_CT_CLASS, "zz targeted");
	ctm_concept pt = ctm_lexicon_concept(lx, CTM_CT_CLASS, "zz platinum");
	ctm_concept fox = ctm_lexicon_concept(lx, CTM_CT_REGIMEN, "ZZFOX");
	ctm_concept ca = ctm_lexicon_concept(lx, CTM_CT_DISEASE, "zz cancer");
	ctm_concept so = ctm_lexicon_concept(lx, CTM_CT_DISEASE, "zz solid");
	const ctm_concept *m;

	cr_expect(ctm_lexicon_is_a(lx, zm, zm));
	cr_expect(ctm_lexicon_is_a(lx, zm, q));
	cr_expect(ctm_lexicon_is_a(lx, zm, tg));
	cr_expect(!ctm_lexicon_is_a(lx, zm, pt));
	cr_expect(!ctm_lexicon_is_a(lx, q, zm));
	cr_expect(ctm_lexicon_is_a(lx, fox, zm));
	cr_expect(ctm_lexicon_is_a(lx, fox, tg));
	cr_expect(ctm_lexicon_is_a(lx, fox, pt));
	cr_expect(ctm_lexicon_is_a(lx, ca, so));
	cr_expect(!ctm_lexicon_is_a(lx, so, ca));
	cr_expect(!ctm_lexicon_is_a(lx, 0, so));
	cr_assert_eq(ctm_lexicon_members(lx, fox, &m), 2);
	cr_expect_eq(m[0], zm);
	cr_expect_eq(m[1], pl);
	cr_expect_eq(ctm_lexicon_members(lx, zm, &m), 0);
	cr_expect_eq(ctm_lexicon_find(lx, "mzzfox6", 7), fox);
	ctm_lexicon_free(lx);
}

Test(lexicon, scans_longest_terms_on_word_boundaries)
{
	ctm_lexicon *lx = load();
	const char *text = "No prior zz anti-Q antibody; ZZFOX or Zumabranded; "
			   "zz-ca of the zz hepatic.";
	ctm_term_hit h[8];
	size_t n = ctm_lexicon_scan(lx, text, strlen(text), 0, h, 8);
	size_t m;

	/* "zz anti-Q antibody" beats "zz anti-Q"; "Zumabranded" is no word match */
	cr_assert_eq(n, 4);
	cr_expect_eq(h[0].concept, ctm_lexicon_concept(lx, CTM_CT_CLASS, "zz anti-Q"));
	cr_expect_eq(h[0].start, 9);
	cr_expect_eq(h[0].end, 27);
	cr_expect_eq(h[1].concept, ctm_lexicon_concept(lx, CTM_CT_REGIMEN, "ZZFOX"));
	cr_expect_eq(h[2].concept, ctm_lexicon_concept(lx, CTM_CT_DISEASE, "zz cancer"));
	cr_expect_eq(h[3].concept, ctm_lexicon_concept(lx, CTM_CT_SITE, "zz liver"));
	m = ctm_lexicon_scan(lx, text, strlen(text), 1u << CTM_CT_SITE, h, 8);
	cr_expect_eq(m, 1);
	cr_expect_eq(ctm_lexicon_scan(lx, text, strlen(text), 0, h, 1), 4,
		     "the count is all hits even when max is smaller");
	ctm_lexicon_free(lx);
}

/* A possessive "'s" is not read: "Parkinson's disease" is "Parkinson
 * disease", and a term written with it matches without it too. */
Test(lexicon, possessive_s_is_folded_away)
{
	ctm_lexicon *lx = NULL;
	ctm_error err = {0};
	const char *tsv = "condition\tzz Parkinson Disease\t\t\n"
			  "condition\tzz Crohn's disease\t\t\n";
	const char *text = "zz Parkinson's disease; zz Crohn disease; "
			   "zz Parkinson s disease; zz Parkinson'sdisease";
	ctm_term_hit h[8];
	size_t n;

	cr_assert_eq(ctm_lexicon_new(&lx, &err), 0, "%s", err.message);
	cr_assert_eq(ctm_lexicon_load_text(lx, "t.tsv", tsv, strlen(tsv), &err),
		     0, "%s", err.message);
	n = ctm_lexicon_scan(lx, text, strlen(text), 0, h, 8);
	/* a lone "s" without its apostrophe, or "'sdisease", is a word */
	cr_assert_eq(n, 2);
	cr_expect_eq(h[0].concept, ctm_lexicon_concept(lx, CTM_CT_CONDITION,
						       "zz Parkinson Disease"));
	cr_expect_eq(h[0].start, 0);
	cr_expect_eq(h[0].end, 22);
	cr_expect_eq(h[1].concept, ctm_lexicon_concept(lx, CTM_CT_CONDITION,
						       "zz Crohn's disease"));
	cr_expect_eq(ctm_lexicon_find(lx, "zz crohn's DISEASE", 18), h[1].concept);
	ctm_lexicon_free(lx);
}

/* A plural the lexicon does not list is read as its singular, alone or as
 * the last word of a term; "ss", "us", "is" endings are no plurals. */
Test(lexicon, plural_of_a_term_is_read_as_the_term)
{
	ctm_lexicon *lx = NULL;
	ctm_error err = {0};
	const char *tsv = "condition\tzz ulcer\t\t\n"
			  "condition\tzzallergy\t\t\n"
			  "condition\tzzbu\t\t\n"
			  "condition\tzz mucosal zzoma\t\t\n";
	const char *text = "zz ulcers, zzallergies, zzbus, "
			   "zz mucosal zzomas; zz mucosal zzomass";
	ctm_term_hit h[8];
	size_t n;

	cr_assert_eq(ctm_lexicon_new(&lx, &err), 0, "%s", err.message);
	cr_assert_eq(ctm_lexicon_load_text(lx, "t.tsv", tsv, strlen(tsv), &err),
		     0, "%s", err.message);
	n = ctm_lexicon_scan(lx, text, strlen(text), 0, h, 8);
	cr_assert_eq(n, 3);
	cr_expect_eq(h[0].concept,
		     ctm_lexicon_concept(lx, CTM_CT_CONDITION, "zz ulcer"));
	cr_expect_eq(h[0].end, 9);
	cr_expect_eq(h[1].concept,
		     ctm_lexicon_concept(lx, CTM_CT_CONDITION, "zzallergy"));
	cr_expect_eq(h[1].start, 11);
	cr_expect_eq(h[1].end, 22);
	cr_expect_eq(h[2].concept, ctm_lexicon_concept(lx, CTM_CT_CONDITION,
						       "zz mucosal zzoma"));
	ctm_lexicon_free(lx);
}

Test(lexicon, nearest_term_for_misspellings)
{
	ctm_lexicon *lx = load();

	cr_expect_str_eq(ctm_lexicon_nearest(lx, "Zumabrandd", 0), "zzmab");
	cr_expect_str_eq(ctm_lexicon_nearest(lx, "zzplatn", 1u << CTM_CT_DRUG),
			 "zzplatin");
	cr_expect_null(ctm_lexicon_nearest(lx, "qqqqqqqqqqqqqqqq", 0));
	ctm_lexicon_free(lx);
}

static void expect_error(const char *text, int line, const char *needle)
{
	ctm_lexicon *lx;
	ctm_error e;
	size_t before, terms;
	uint64_t hash;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0);
	before = ctm_lexicon_count(lx);
	terms = ctm_lexicon_term_count(lx);
	hash = ctm_lexicon_hash(lx);
	cr_expect_eq(ctm_lexicon_load_text(lx, "bad.tsv", text, strlen(text),
					   &e),
		     CTM_EPARSE, "%s", text);
	cr_expect(strstr(e.message, needle) != NULL, "'%s' lacks '%s'",
		  e.message, needle);
	if (line) {
		char where[32];
		snprintf(where, sizeof where, "bad.tsv:%d", line);
		cr_expect(e.line == line || strstr(e.message, where),
			  "'%s' does not name line %d", e.message, line);
	}
	/* a failed load leaves the lexicon as it was */
	cr_expect_eq(ctm_lexicon_count(lx), before);
	cr_expect_eq(ctm_lexicon_term_count(lx), terms);
	cr_expect_eq(ctm_lexicon_hash(lx), hash);
	ctm_lexicon_free(lx);
}

Test(lexicon, malformed_lines_name_file_and_line)
{
	expect_error("drug\tqqa\n\nbeverage\tcoffee\n", 3, "unknown concept type");
	expect_error("drug\tqqa\tx\ty\tz\n", 1, "more than 4");
	expect_error("drug\n", 1, "expected");
	expect_error("drug\tqqa\t\tno such class\n", 1, "not a concept");
	expect_error("drug\tqqa\tqqshared\ndrug\tqqb\tqqshared\n", 2,
		     "already names");
	expect_error("class\tqqx\t\tqqy\nclass\tqqy\t\tqqx\n", 0, "cycle");
	expect_error("class\tqqx\t\tqqx\n", 1, "own parent");
}

Test(lexicon, failed_load_keeps_working_lexicon)
{
	ctm_lexicon *lx = load();
	ctm_error e;
	const char *bad = "drug\tqqnew\n drug\n";
	ctm_concept zm = ctm_lexicon_concept(lx, CTM_CT_DRUG, "zzmab");

	cr_expect_neq(ctm_lexicon_load_text(lx, "bad.tsv", bad, strlen(bad), &e), 0);
	cr_expect_eq(ctm_lexicon_find(lx, "qqnew", 5), 0);
	cr_expect_eq(ctm_lexicon_find(lx, "zumabrand", 9), zm);
	ctm_lexicon_free(lx);
}

Test(lexicon, load_file_reports_missing_file)
{
	ctm_lexicon *lx;
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0);
	cr_expect_eq(ctm_lexicon_load_file(lx, "/nonexistent/x.tsv", &e), CTM_EIO);
	cr_expect_str_eq(e.file, "/nonexistent/x.tsv");
	ctm_lexicon_free(lx);
}

Test(lexicon, load_file_extends_and_changes_hash)
{
	ctm_lexicon *lx;
	ctm_error e;
	char *dir = tu_tmpdir();
	char path[512];
	uint64_t h;

	cr_assert_not_null(dir);
	snprintf(path, sizeof path, "%s/local.tsv", dir);
	cr_assert_eq(tu_write_file(path, extra, strlen(extra)), 0);
	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0);
	h = ctm_lexicon_hash(lx);
	cr_expect_eq(ctm_lexicon_load_file(lx, path, &e), 0, "%s", e.message);
	cr_expect_neq(ctm_lexicon_hash(lx), h);
	cr_expect_neq(ctm_lexicon_find(lx, "zm-101", 6), 0);
	ctm_lexicon_free(lx);
}

Test(lexicon, depth_counts_ancestors)
{
	ctm_lexicon *lx = load();
	ctm_concept solid = ctm_lexicon_concept(lx, CTM_CT_DISEASE, "zz solid");
	ctm_concept ca = ctm_lexicon_concept(lx, CTM_CT_DISEASE, "zz cancer");
	ctm_concept zm = ctm_lexicon_concept(lx, CTM_CT_DRUG, "zzmab");

	cr_assert(solid && ca && zm);
	cr_expect_eq(ctm_lexicon_depth(lx, solid), 0);
	cr_expect_eq(ctm_lexicon_depth(lx, ca), 1);
	/* zzmab -> zz anti-Q -> zz targeted */
	cr_expect_eq(ctm_lexicon_depth(lx, zm), 2);
	cr_expect_eq(ctm_lexicon_depth(lx, 0), 0);
	ctm_lexicon_free(lx);
}

/* dMMR is MSI-H, pMMR is MSS: the one rule the reader and matcher ask. */
Test(lexicon, msi_and_mmr_are_one_family)
{
	static const struct {
		ctm_bm_status s;
		int msi;
	} rows[] = {
		{CTM_BM_HIGH, CTM_BM_HIGH},
		{CTM_BM_DEFICIENT, CTM_BM_HIGH},
		{CTM_BM_STABLE, CTM_BM_STABLE},
		{CTM_BM_PROFICIENT, CTM_BM_STABLE},
		{CTM_BM_LOW, CTM_BM_LOW},
		{CTM_BM_POSITIVE, -1},
		{CTM_BM_MUTATED, -1},
		{CTM_BM_WILDTYPE, -1},
	};
	ctm_lexicon *lx;
	ctm_error e;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		cr_expect_eq(ctm_bm_msi_status(rows[i].s), rows[i].msi,
			     "row %zu", i);
	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	cr_expect(ctm_bm_msi_family(
		lx, ctm_lexicon_concept(lx, CTM_CT_MARKER, "MSI")));
	cr_expect(ctm_bm_msi_family(
		lx, ctm_lexicon_concept(lx, CTM_CT_MARKER, "MMR")));
	cr_expect(!ctm_bm_msi_family(
		lx, ctm_lexicon_concept(lx, CTM_CT_MARKER, "TMB")));
	cr_expect(!ctm_bm_msi_family(
		lx, ctm_lexicon_concept(lx, CTM_CT_GENE, "KRAS")));
	cr_expect(!ctm_bm_msi_family(lx, 0));
	ctm_lexicon_free(lx);
}
