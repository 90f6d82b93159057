/*
 * test_xml_corpus.c - the legacy XML reader over the real records in
 * ../shared/corpus: each file is exactly one trial named by its file, and
 * the criteria text is what libxml2's own tree API gives.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <ctm/parsers.h>

#include "testutil.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.xml names in dir, sorted; *n set. Caller frees. */
static char **list_xml(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	cr_assert_not_null(d, "%s", dir);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".xml"))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof(*v));
			cr_assert_not_null(v);
		}
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), cmp_str);
	return v;
}

static xmlNode *child(xmlNode *parent, const char *name)
{
	xmlNode *c;

	for (c = parent ? parent->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/*
 * eligibility/criteria/textblock of the file's root as libxml2's tree API
 * gives it (xmlReadFile + xmlNodeGetContent), or NULL when absent. Sets
 * *has_elig.
 */
static xmlChar *tree_criteria(const char *path, int *has_elig)
{
	xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlNode *elig, *tb;
	xmlChar *text = NULL;

	cr_assert_not_null(doc, "%s: xmlReadFile failed", path);
	elig = child(xmlDocGetRootElement(doc), "eligibility");
	*has_elig = elig != NULL;
	tb = child(child(elig, "criteria"), "textblock");
	if (tb) {
		text = xmlNodeGetContent(tb);
		cr_assert_not_null(text);
	}
	xmlFreeDoc(doc);
	return text;
}

static int has_cr(const char *path)
{
	size_t len;
	char *s = tu_read_file(path, &len);
	int yes;

	cr_assert_not_null(s, "%s", path);
	yes = strstr(s, "\r\n") != NULL || strstr(s, "&#xD;") != NULL ||
	      strstr(s, "&#13;") != NULL;
	free(s);
	return yes;
}

/*
 * Every file of dir is one trial with no rejection and the file's NCT id;
 * every `every`-th file, and every file with CRLF or &#xD;, has the
 * criteria text of the tree API. Returns how many were compared.
 */
static size_t check_dir(const char *dir, size_t every, size_t *n_files)
{
	size_t n, i, compared = 0;
	char **names = list_xml(dir, &n);

	cr_assert_gt(n, 0, "%s: no *.xml", dir);
	for (i = 0; i < n; i++) {
		char path[4096], id[64], buf[1024];
		ctm_xml_reader *r;
		ctm_trial *t = NULL, *extra = NULL;
		ctm_error err;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(id, sizeof(id), "%.*s", (int)(strlen(names[i]) - 4),
			 names[i]);
		rc = ctm_xml_open_file(&r, path, &err);
		cr_assert_eq(rc, 0, "%s", ctm_error_format(&err, buf, 1024));
		rc = ctm_xml_next(r, &t, &err);
		cr_assert_eq(rc, 1, "%s: %s", names[i],
			     ctm_error_format(&err, buf, sizeof(buf)));
		rc = ctm_xml_next(r, &extra, &err);
		cr_assert_eq(rc, 0, "%s: a second record or error: %s",
			     names[i], ctm_error_format(&err, buf, 1024));
		ctm_xml_close(r);
		cr_assert_str_eq(t->nct_id, id);

		if (i % every == 0 || has_cr(path)) {
			int has_elig;
			xmlChar *want = tree_criteria(path, &has_elig);

			cr_expect_eq(t->has_eligibility, has_elig, "%s",
				     names[i]);
			if (want)
				cr_assert(t->criteria_text &&
						  !strcmp(t->criteria_text,
							  (const char *)want),
					  "%s: criteria text differs from "
					  "the tree API's",
					  names[i]);
			else
				cr_assert_null(t->criteria_text, "%s",
					       names[i]);
			xmlFree(want);
			compared++;
		}
		ctm_trial_free(t);
		free(names[i]);
	}
	free(names);
	*n_files = n;
	return compared;
}

Test(xml_corpus, ctgov_xml_files_are_one_trial_each)
{
	size_t n, compared;

	TU_REQUIRE_SHARED(dir, "corpus/ctgov-xml");
	compared = check_dir(dir, 20, &n);
	cr_expect_geq(n, 7000);
	cr_expect_geq(compared, n / 20);
}

Test(xml_corpus, gold_xml_files_are_one_trial_each)
{
	size_t n, compared;

	TU_REQUIRE_SHARED(dir, "corpus/gold-xml");
	compared = check_dir(dir, 1, &n);
	cr_expect_geq(n, 30);
	cr_expect_eq(compared, n);
}
