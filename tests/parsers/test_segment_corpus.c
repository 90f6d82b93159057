/*
 * test_segment_corpus.c - ctm_criteria_segment() over every criteria text
 * in ../shared/corpus: the <criteria><textblock> of each legacy XML record
 * (ctgov-xml, gold-xml; read here with libxml2 directly, not with the
 * record reader) and the Chia and LCT .txt files. Checks that nothing
 * crashes, that every segment is non-empty and is found in its text once
 * line breaks (with the blanks around them) are one space, and prints
 * counts, the section shares per layout and the timings.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>

#include <ctm/parsers.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <dirent.h>
#include <stdbool.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

enum { ST_PDQ, ST_HEADERS, ST_NONE, ST_GOLD, ST_CHIA, ST_LCT, ST_COUNT };

static const char *const style_names[ST_COUNT] = {
	"xml PDQ layout", "xml with inc/exc headers", "xml without headers",
	"gold-xml (v2 markdown)", "chia .txt", "lct .txt",
};

struct stats {
	size_t texts[ST_COUNT];
	size_t segs[ST_COUNT];
	size_t sec[ST_COUNT][3];
	size_t bad;
	double total, worst;
	char worst_name[256];
};

static struct stats st;

/* CPU time of this thread: other processes on the machine do not count. */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Each run of blanks and line breaks holding a line break becomes one
 * space, as ctm_criteria_segment() does inside a criterion. */
static char *normalise(const char *in)
{
	char *out = malloc(strlen(in) + 1), *o = out;
	const char *p = in, *b;
	int brk;

	if (!out)
		return NULL;
	while (*p) {
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
			*o++ = *p++;
			continue;
		}
		for (b = p, brk = 0;
		     *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
			brk |= *p == '\r' || *p == '\n';
		if (brk)
			*o++ = ' ';
		else
			for (; b < p; b++)
				*o++ = *b;
	}
	*o = '\0';
	return out;
}

static int style_of(const char *t)
{
	if (strstr(t, "DISEASE CHARACTERISTICS") ||
	    strstr(t, "PATIENT CHARACTERISTICS") ||
	    strstr(t, "PRIOR CONCURRENT THERAPY"))
		return ST_PDQ;
	if (strcasestr(t, "inclusion") || strcasestr(t, "exclusion"))
		return ST_HEADERS;
	return ST_NONE;
}

static void check_text(const char *name, const char *text, int style)
{
	ctm_arena *a = ctm_arena_new();
	ctm_segment *s = NULL;
	ctm_error err;
	size_t n = 0, i;
	char *norm;
	double t0, dt;
	int rc;

	cr_assert_not_null(a);
	t0 = now();
	rc = ctm_criteria_segment(text, a, &s, &n, &err);
	dt = now() - t0;
	cr_assert_eq(rc, 0, "%s: rc %d (%s)", name, rc, err.message);
	st.total += dt;
	if (dt > st.worst) {
		st.worst = dt;
		snprintf(st.worst_name, sizeof(st.worst_name), "%s (%zu bytes)",
			 name, strlen(text));
	}
	norm = normalise(text);
	cr_assert_not_null(norm);
	st.texts[style]++;
	st.segs[style] += n;
	for (i = 0; i < n; i++) {
		cr_assert(s[i].section <= CTM_SECTION_EXCLUSION);
		st.sec[style][s[i].section]++;
		if (!s[i].text || !s[i].text[0] || !strstr(norm, s[i].text)) {
			st.bad++;
			cr_log_error("%s: segment %zu not found: \"%s\"", name,
				     i, s[i].text ? s[i].text : "(null)");
		}
		if (s[i].heading && !s[i].heading[0]) {
			st.bad++;
			cr_log_error("%s: segment %zu has an empty heading",
				     name, i);
		}
	}
	free(norm);
	ctm_arena_free(a);
}

/* The <eligibility><criteria><textblock> of a <clinical_study>. */
static xmlNode *child(xmlNode *n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    !strcmp((const char *)n->name, name))
			return n;
	return NULL;
}

static size_t xml_folder(const char *dir, bool gold)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t files = 0;
	char path[4096];

	cr_assert_not_null(d, "%s: cannot open", dir);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		xmlDoc *doc;
		xmlNode *tb;
		xmlChar *text;

		if (l < 5 || strcmp(e->d_name + l - 4, ".xml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		doc = xmlReadFile(path, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOWARNING |
					  XML_PARSE_NOERROR | XML_PARSE_HUGE);
		cr_assert_not_null(doc, "%s: not well-formed", path);
		files++;
		tb = child(child(child(xmlDocGetRootElement(doc),
				       "eligibility"),
				 "criteria"),
			   "textblock");
		if (tb) {
			text = xmlNodeGetContent(tb);
			cr_assert_not_null(text);
			check_text(e->d_name, (const char *)text,
				   gold ? ST_GOLD : style_of((char *)text));
			xmlFree(text);
		}
		xmlFreeDoc(doc);
	}
	closedir(d);
	return files;
}

static int txt_style;

static int txt_one(const char *path, const struct stat *sb, int flag,
		   struct FTW *ftw)
{
	size_t l = strlen(path);
	char *text;

	(void)sb;
	(void)ftw;
	if (flag != FTW_F || l < 5 || strcmp(path + l - 4, ".txt"))
		return 0;
	text = tu_read_file(path, NULL);
	cr_assert_not_null(text, "%s: cannot read", path);
	check_text(path, text, txt_style);
	free(text);
	return 0;
}

static void report(void)
{
	size_t t = 0, g = 0;
	int i;

	printf("criteria segmentation over the shared corpus\n");
	printf("%-26s %6s %8s %7s %7s %7s\n", "layout", "texts", "segments",
	       "incl", "excl", "unspec");
	for (i = 0; i < ST_COUNT; i++) {
		double d = st.segs[i] ? (double)st.segs[i] : 1.0;

		printf("%-26s %6zu %8zu %6.1f%% %6.1f%% %6.1f%%\n",
		       style_names[i], st.texts[i], st.segs[i],
		       100.0 * (double)st.sec[i][CTM_SECTION_INCLUSION] / d,
		       100.0 * (double)st.sec[i][CTM_SECTION_EXCLUSION] / d,
		       100.0 * (double)st.sec[i][CTM_SECTION_UNSPECIFIED] / d);
		t += st.texts[i];
		g += st.segs[i];
	}
	printf("total: %zu texts, %zu segments, segmentation %.3f s CPU, "
	       "slowest %.2f ms (%s)\n",
	       t, g, st.total, st.worst * 1e3, st.worst_name);
	fflush(stdout);
}

Test(segment_corpus, every_text, .timeout = 600)
{
	TU_REQUIRE_SHARED(xml, "corpus/ctgov-xml");
	const char *gold = tu_shared("corpus/gold-xml");
	const char *chia = tu_shared("corpus/eval/chia");
	const char *lct = tu_shared("corpus/eval/lct");

	memset(&st, 0, sizeof(st));
	/* The first call compiles the patterns: keep it out of the times. */
	{
		ctm_arena *a = ctm_arena_new();
		ctm_segment *s;
		size_t n;

		cr_assert_eq(ctm_criteria_segment("Inclusion Criteria:\n- x", a,
						  &s, &n, NULL),
			     0);
		ctm_arena_free(a);
	}
	cr_expect_gt(xml_folder(xml, false), 7000);
	if (gold)
		cr_expect_gt(xml_folder(gold, true), 30);
	if (chia) {
		txt_style = ST_CHIA;
		cr_assert_eq(nftw(chia, txt_one, 16, FTW_PHYS), 0);
		cr_expect_gt(st.texts[ST_CHIA], 1900);
	}
	if (lct) {
		txt_style = ST_LCT;
		cr_assert_eq(nftw(lct, txt_one, 16, FTW_PHYS), 0);
		cr_expect_gt(st.texts[ST_LCT], 1000);
	}
	report();
	cr_expect_eq(st.bad, 0, "%zu segments not found in their text",
		     st.bad);
	/* Every layout yields criteria, and the headers are recognised. */
	for (int i = 0; i < ST_COUNT; i++)
		if (st.texts[i])
			cr_expect_gt(st.segs[i], st.texts[i], "%s",
				     style_names[i]);
	cr_expect_gt(st.sec[ST_HEADERS][CTM_SECTION_EXCLUSION],
		     st.segs[ST_HEADERS] / 3);
	cr_expect_gt(st.sec[ST_PDQ][CTM_SECTION_UNSPECIFIED],
		     st.segs[ST_PDQ] * 9 / 10);
}
