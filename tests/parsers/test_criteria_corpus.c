/*
 * test_criteria_corpus.c - segmentation and extraction over every criteria
 * text of the shared corpus: the ClinicalTrials.gov XML records (all, and
 * the colorectal ones of the manifest), the gold records, and the Chia and
 * LCT eligibility texts. Nothing crashes, every expression is a
 * well-formed tree, each document takes bounded time; the structured share
 * and the speed are reported. Skips when ../shared is absent.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>

#include <ctm/parsers.h>

#include "testutil.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Every document is read (set to n to read one in n when time matters). */
#define SAMPLE_STEP 1

#define MAX_DOC_SECONDS 2.0

typedef struct tally {
	size_t docs, criteria, structured;
	double seconds, worst;
} tally;

static ctm_lexicon *lx;
static ctm_criteria_parser *parser;
static ctm_criteria_ctx *ctx;

static void setup(void)
{
	ctm_error err = {0};

	cr_assert_eq(ctm_lexicon_new(&lx, &err), 0, "%s", err.message);
	cr_assert_eq(ctm_criteria_parser_new(&parser, lx, &err), 0, "%s",
		     err.message);
	cr_assert_eq(ctm_criteria_ctx_new(&ctx, parser), 0);
	xmlInitParser();
}

static void teardown(void)
{
	ctm_criteria_ctx_free(ctx);
	ctm_criteria_parser_free(parser);
	ctm_lexicon_free(lx);
}

TestSuite(criteria_corpus, .init = setup, .fini = teardown, .timeout = 900);

/* CPU time of this thread: other work on the machine does not count. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A criterion is review with nothing, or a well-formed prefix tree. */
static void check_criterion(const ctm_criterion *c, const char *doc)
{
	size_t i, need = 1;

	cr_assert(c->text, "%s: a criterion without text", doc);
	if (!c->structured) {
		cr_assert(c->n_expr == 0 && c->n_constraints == 0,
			  "%s: review criterion with an expression", doc);
		return;
	}
	cr_assert_gt(c->n_expr, 0, "%s: empty expression", doc);
	for (i = 0; i < c->n_expr; i++) {
		const ctm_expr *e = &c->expr[i];
		cr_assert_gt(need, 0, "%s: expression too long: %s", doc,
			     c->text);
		need--;
		switch (e->op) {
		case CTM_EXPR_LEAF:
			cr_assert_lt(e->arg, c->n_constraints, "%s: %s", doc,
				     c->text);
			cr_assert_gt(c->constraints[e->arg].kind, CTM_K_NONE);
			cr_assert_lt(c->constraints[e->arg].kind, CTM_K_COUNT_);
			break;
		case CTM_EXPR_NOT: need++; break;
		case CTM_EXPR_AND:
		case CTM_EXPR_OR:
			cr_assert_geq(e->arg, 2, "%s: %s", doc, c->text);
			need += e->arg;
			break;
		default: cr_assert_fail("%s: bad op %u", doc, e->op);
		}
	}
	cr_assert_eq(need, 0, "%s: expression too short: %s", doc, c->text);
}

/* Segments and extracts one criteria text block. */
static void run_text(const char *text, const char *doc, tally *t)
{
	ctm_trial *tr = ctm_trial_new();
	ctm_error err = {0};
	double t0, dt;
	size_t i;
	int rc;

	cr_assert(tr);
	tr->criteria_text = ctm_arena_strdup(tr->arena, text);
	t0 = now();
	rc = ctm_criteria_parse(ctx, tr, &err);
	dt = now() - t0;
	/* a text over the size bound is refused, not cut */
	cr_assert(rc == 0 || rc == CTM_ELIMIT, "%s: %s", doc, err.message);
	for (i = 0; i < tr->n_criteria; i++) {
		check_criterion(&tr->criteria[i], doc);
		t->structured += tr->criteria[i].structured;
	}
	cr_expect_lt(dt, MAX_DOC_SECONDS, "%s took %.2f s", doc, dt);
	t->criteria += tr->n_criteria;
	t->docs++;
	t->seconds += dt;
	if (dt > t->worst)
		t->worst = dt;
	ctm_trial_free(tr);
}

/* The criteria text block of one XML record, or NULL (xmlFree it). */
static xmlChar *xml_criteria(const char *path)
{
	xmlDocPtr d = xmlReadFile(path, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR |
					  XML_PARSE_NOWARNING);
	xmlXPathContextPtr xc;
	xmlXPathObjectPtr o;
	xmlChar *txt = NULL;

	cr_assert(d, "%s: not well-formed", path);
	xc = xmlXPathNewContext(d);
	o = xmlXPathEvalExpression(
		(const xmlChar
			 *)"/clinical_study/eligibility/criteria/textblock",
		xc);
	if (o && o->nodesetval && o->nodesetval->nodeNr)
		txt = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(xc);
	xmlFreeDoc(d);
	return txt;
}

static void report(const char *what, const tally *t)
{
	double share = t->criteria ? 100.0 * (double)t->structured /
					     (double)t->criteria
				   : 0;
	double rate = t->seconds > 0 ? (double)t->criteria / t->seconds : 0;

	cr_log_info("%s: %zu documents, %zu criteria, %zu structured "
		    "(%.1f%%), %.0f criteria/s (CPU), slowest document %.3f s",
		    what, t->docs, t->criteria, t->structured, share, rate,
		    t->worst);
	fprintf(stderr,
		"criteria_corpus: %s: %zu documents, %zu criteria, %zu "
		"structured (%.1f%%), %.0f criteria/s (CPU), slowest %.3f s\n",
		what, t->docs, t->criteria, t->structured, share, rate,
		t->worst);
}

Test(criteria_corpus, ctgov_xml_all_and_colorectal)
{
	TU_REQUIRE_SHARED(manifest, "corpus/ctgov-xml.manifest.tsv");
	TU_REQUIRE_SHARED(dir, "corpus/ctgov-xml");
	char *m = tu_read_file(manifest, NULL), *line, *save = NULL;
	tally all = {0}, crc = {0};
	size_t row = 0;

	cr_assert(m);
	for (line = strtok_r(m, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *col[8], *p = line, path[4096];
		int n = 0;
		xmlChar *txt;
		tally one = {0};

		while (n < 8) {
			char *tab = strchr(p, '\t');
			col[n++] = p;
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		if (n < 8 || strncmp(col[0], "NCT", 3))
			continue; /* the header */
		if (row++ % SAMPLE_STEP)
			continue;
		snprintf(path, sizeof(path), "%s/%s.xml", dir, col[0]);
		txt = xml_criteria(path);
		if (!txt)
			continue;
		run_text((const char *)txt, col[0], &one);
		xmlFree(txt);
		all.docs += one.docs;
		all.criteria += one.criteria;
		all.structured += one.structured;
		all.seconds += one.seconds;
		if (one.worst > all.worst)
			all.worst = one.worst;
		if (!strcmp(col[5], "1")) {
			crc.docs += one.docs;
			crc.criteria += one.criteria;
			crc.structured += one.structured;
			crc.seconds += one.seconds;
			if (one.worst > crc.worst)
				crc.worst = one.worst;
		}
	}
	free(m);
	report("ctgov-xml, all trials", &all);
	report("ctgov-xml, colorectal trials", &crc);
	cr_expect_gt(all.docs, 500 / SAMPLE_STEP);
	cr_expect_gt(crc.docs, 100 / SAMPLE_STEP);
	/* regression floors, well under what the extractor reaches */
	cr_expect_gt(all.structured * 100, all.criteria * 10);
	cr_expect_gt(crc.structured * 100, crc.criteria * 18);
}

Test(criteria_corpus, gold_xml)
{
	TU_REQUIRE_SHARED(dir, "corpus/gold-xml");
	DIR *d = opendir(dir);
	struct dirent *e;
	tally t = {0};

	cr_assert(d);
	while ((e = readdir(d))) {
		char path[4096];
		xmlChar *txt;
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".xml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		txt = xml_criteria(path);
		if (!txt)
			continue;
		run_text((const char *)txt, e->d_name, &t);
		xmlFree(txt);
	}
	closedir(d);
	report("gold-xml", &t);
	cr_expect_gt(t.docs, 10);
}

/* Every .txt under dir (recursively). */
static void walk_txt(const char *dir, tally *t, size_t *seen, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d || depth > 8) {
		if (d)
			closedir(d);
		return;
	}
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk_txt(path, t, seen, depth + 1);
		} else if (n > 4 && !strcmp(e->d_name + n - 4, ".txt") &&
			   (*seen)++ % SAMPLE_STEP == 0) {
			char *text = tu_read_file(path, NULL);
			cr_assert(text, "cannot read %s", path);
			run_text(text, path, t);
			free(text);
		}
	}
	closedir(d);
}

Test(criteria_corpus, chia_texts)
{
	TU_REQUIRE_SHARED(dir, "corpus/eval/chia");
	tally t = {0};
	size_t seen = 0;

	walk_txt(dir, &t, &seen, 0);
	report("eval/chia", &t);
	cr_expect_gt(t.docs, 100 / SAMPLE_STEP);
}

Test(criteria_corpus, lct_texts)
{
	TU_REQUIRE_SHARED(dir, "corpus/eval/lct");
	tally t = {0};
	size_t seen = 0;

	walk_txt(dir, &t, &seen, 0);
	report("eval/lct", &t);
	cr_expect_gt(t.docs, 100 / SAMPLE_STEP);
}
