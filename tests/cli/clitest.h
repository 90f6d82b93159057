/*
 * clitest.h - what the end-to-end tests of the ctmatch binary share
 * (tests/cli/test_*.c): running the binary, reading its summary and
 * rejection lines, building inputs (copies, zip archives), and reading the
 * fixtures with libxml2 on its own, independently of parsers/, so expected
 * values come from the files and not from the program under test.
 *
 * Everything is static and marked unused: each test file includes this
 * header and uses what it needs.
 */
#ifndef CTM_CLITEST_H
#define CTM_CLITEST_H

#include <criterion/criterion.h>

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define CT_UNUSED __attribute__((unused))

/* One run of the binary: exit status, stdout, stderr. */
typedef struct ct_run {
	int status;
	char *out;
	char *err;
} ct_run;

/*
 * The last outputs and JSON document, reachable from here so that a test
 * that fails (and so ends before freeing them) reports its assertion, not
 * a leak, under LeakSanitizer.
 */
CT_UNUSED static const void *volatile ct_anchor[3];

CT_UNUSED static void ct_run_free(ct_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

/*
 * Runs "'<ctmatch>' ARGS" through the shell (ARGS printf-formatted, paths
 * quoted by the caller), with stdin_text on standard input (NULL: empty).
 * The previous contents of r are freed first.
 */
CT_UNUSED static void ct_run_cmd(ct_run *r, const char *stdin_text,
				 const char *fmt, ...)
{
	char args[16384], cmd[20480];
	va_list ap;
	int n;

	ct_run_free(r);
	va_start(ap, fmt);
	n = vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	cr_assert(n > 0 && (size_t)n < sizeof args, "command line too long");
	n = snprintf(cmd, sizeof cmd, "'%s' %s", tu_ctmatch(), args);
	cr_assert(n > 0 && (size_t)n < sizeof cmd, "command line too long");
	r->status = tu_run(cmd, stdin_text, &r->out, &r->err);
	ct_anchor[0] = r->out;
	ct_anchor[1] = r->err;
	cr_assert(r->out && r->err, "cannot capture the output of: %s", cmd);
}

/* Runs a shell command line as is (for pipes and umask). */
CT_UNUSED static void ct_run_sh(ct_run *r, const char *fmt, ...)
{
	char cmd[20480];
	va_list ap;
	int n;

	ct_run_free(r);
	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	cr_assert(n > 0 && (size_t)n < sizeof cmd, "command line too long");
	r->status = tu_run(cmd, NULL, &r->out, &r->err);
	ct_anchor[0] = r->out;
	ct_anchor[1] = r->err;
	cr_assert(r->out && r->err, "cannot capture the output of: %s", cmd);
}

/* dir/name in one of 16 rotating static buffers (dir may be one of them). */
CT_UNUSED static const char *ct_path(const char *dir, const char *name)
{
	static char buf[16][PATH_MAX];
	static int next;
	char tmp[PATH_MAX];
	char *b = buf[next++ % 16];
	int n = snprintf(tmp, sizeof tmp, "%s/%s", dir, name);

	cr_assert(n > 0 && (size_t)n < sizeof tmp, "path too long");
	memcpy(b, tmp, sizeof tmp);
	return b;
}

/*
 * A copy of s that stays valid for the whole test (testutil's and
 * ct_path's buffers rotate).
 */
CT_UNUSED static const char *ct_keep(const char *s)
{
	static char pool[64][PATH_MAX];
	static int used;

	cr_assert(used < 64, "ct_keep: too many paths in one test");
	snprintf(pool[used], PATH_MAX, "%s", s);
	return pool[used++];
}

/* A fresh temporary directory (removed at exit), kept. */
CT_UNUSED static const char *ct_tmpdir(void)
{
	char *dir = tu_tmpdir();

	cr_assert(dir, "no temporary directory");
	return ct_keep(dir);
}

/* A path for a new index inside a fresh temporary directory, kept. */
CT_UNUSED static const char *ct_new_db(void)
{
	return ct_keep(ct_path(ct_tmpdir(), "db"));
}

/* A new index holding every fixture under fixtures/trials/. */
CT_UNUSED static const char *ct_fixture_db(void)
{
	const char *db = ct_new_db();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "ingest: exit %d\n%s", r.status, r.err);
	ct_run_free(&r);
	return db;
}

/* A fixture file: fixtures/trials/<name>, fixtures/bad/<name>. */
CT_UNUSED static const char *ct_trial(const char *name)
{
	return ct_path(tu_fixture("trials"), name);
}

CT_UNUSED static const char *ct_bad(const char *name)
{
	return ct_path(tu_fixture("bad"), name);
}

/* mkdir -p */
CT_UNUSED static void ct_mkdirs(const char *path)
{
	char p[PATH_MAX];
	size_t i;

	snprintf(p, sizeof p, "%s", path);
	for (i = 1; p[i]; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			cr_assert_fail("mkdir %s: %s", p, strerror(errno));
		p[i] = '/';
	}
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		cr_assert_fail("mkdir %s: %s", p, strerror(errno));
}

CT_UNUSED static void ct_copy(const char *src, const char *dst)
{
	size_t len;
	char *data = tu_read_file(src, &len);

	cr_assert(data, "cannot read %s", src);
	cr_assert_eq(tu_write_file(dst, data, len), 0, "cannot write %s", dst);
	free(data);
}

CT_UNUSED static void ct_write(const char *dst, const char *text)
{
	cr_assert_eq(tu_write_file(dst, text, strlen(text)), 0,
		     "cannot write %s", dst);
}

/*
 * Copies src to dst replacing each (from, to) pair, given as a
 * NULL-terminated list; every `from` must occur in the file.
 */
CT_UNUSED static void ct_copy_edit(const char *src, const char *dst, ...)
{
	char *data = tu_read_file(src, NULL);
	const char *from, *to;
	va_list ap;

	cr_assert(data, "cannot read %s", src);
	va_start(ap, dst);
	while ((from = va_arg(ap, const char *)) != NULL) {
		char *at = strstr(data, from), *nd;
		size_t lf = strlen(from), lt;

		to = va_arg(ap, const char *);
		lt = strlen(to);
		cr_assert(at, "%s does not contain '%s'", src, from);
		nd = malloc(strlen(data) - lf + lt + 1);
		cr_assert(nd);
		memcpy(nd, data, (size_t)(at - data));
		memcpy(nd + (at - data), to, lt);
		strcpy(nd + (at - data) + lt, at + lf);
		free(data);
		data = nd;
	}
	va_end(ap);
	ct_write(dst, data);
	free(data);
}

/* ---- reading the output ---- */

/*
 * The ingest summary counts from stderr: "added A, updated U, unchanged N,
 * rejected R". Returns false when there is no summary.
 */
CT_UNUSED static bool ct_counts(const char *text, unsigned v[4])
{
	const char *p = text;

	while (p && (p = strstr(p, "added ")) != NULL) {
		if (sscanf(p, "added %u, updated %u, unchanged %u, rejected %u",
			   &v[0], &v[1], &v[2], &v[3]) == 4)
			return true;
		p++;
	}
	return false;
}

#define ct_assert_counts(r, a, u, n, rej)                                      \
	do {                                                                   \
		unsigned v_[4];                                                \
		cr_assert(ct_counts((r)->err, v_),                             \
			  "no summary line on stderr:\n%s", (r)->err);         \
		cr_assert(v_[0] == (a) && v_[1] == (u) && v_[2] == (n) &&      \
				  v_[3] == (rej),                              \
			  "summary: added %u, updated %u, unchanged %u, "      \
			  "rejected %u; want %u, %u, %u, %u\n%s",              \
			  v_[0], v_[1], v_[2], v_[3], (unsigned)(a),           \
			  (unsigned)(u), (unsigned)(n), (unsigned)(rej),       \
			  (r)->err);                                           \
	} while (0)

CT_UNUSED static bool ct_contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return !*needle;
}

/*
 * The first line of text containing `needle` (case-sensitive), copied into
 * a static buffer, or NULL.
 */
CT_UNUSED static const char *ct_line_with(const char *text, const char *needle)
{
	static char line[4096];
	const char *p = text;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n < sizeof line) {
			memcpy(line, p, n);
			line[n] = '\0';
			if (strstr(line, needle))
				return line;
		}
		p = e ? e + 1 : NULL;
	}
	return NULL;
}

/* Number of lines of text containing needle. */
CT_UNUSED static size_t ct_count_lines(const char *text, const char *needle)
{
	size_t k = 0;
	const char *p = text;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *hit = strstr(p, needle);

		if (hit && hit < p + n)
			k++;
		p = e ? e + 1 : NULL;
	}
	return k;
}

/*
 * The rejection line (a line with "rejected") naming `file` followed by
 * ":LINE", with LINE in [lo, hi]; copied into a static buffer, or NULL.
 */
CT_UNUSED static const char *ct_rejection(const char *text, const char *file,
					  int lo, int hi)
{
	static char line[4096];
	const char *p = text;
	size_t fl = strlen(file);

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *f;

		if (n < sizeof line) {
			memcpy(line, p, n);
			line[n] = '\0';
			for (f = strstr(line, file);
			     f && strstr(line, "reject");
			     f = strstr(f + 1, file)) {
				int at;
				if (f[fl] == ':' &&
				    isdigit((unsigned char)f[fl + 1]) &&
				    sscanf(f + fl + 1, "%d", &at) == 1 &&
				    at >= lo && at <= hi)
					return line;
			}
		}
		p = e ? e + 1 : NULL;
	}
	return NULL;
}

/* ---- JSON ---- */

CT_UNUSED static json_t *ct_json(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);

	ct_anchor[2] = j;

	cr_assert(j, "not JSON (line %d: %s):\n%.2000s", je.line, je.text,
		  text);
	return j;
}

CT_UNUSED static const char *ct_jstr(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(v, "no key '%s'", key);
	cr_assert(json_is_string(v), "'%s' is not a string", key);
	return json_string_value(v);
}

#define ct_assert_jstr(o, key, want)                                           \
	do {                                                                   \
		const char *got_ = ct_jstr((o), (key));                        \
		cr_assert_str_eq(got_, (want), "%s: '%s', want '%s'", (key),   \
				 got_, (want));                                \
	} while (0)

/* ---- fixtures read by libxml2 alone ---- */

/* Parses an XML file as libxml2 does by default (no entities, no net). */
CT_UNUSED static xmlDocPtr ct_xml_read(const char *path)
{
	xmlDocPtr doc = xmlReadFile(path, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
					    XML_PARSE_NOWARNING);

	cr_assert(doc, "libxml2 cannot read %s", path);
	return doc;
}

/*
 * The text content of the first node matching xpath, exactly as libxml2
 * decodes it (malloc'd, free()), or NULL when nothing matches.
 */
CT_UNUSED static char *ct_xml_text(xmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr res;
	char *out = NULL;

	cr_assert(ctx);
	res = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	cr_assert(res, "bad xpath %s", xpath);
	if (res->nodesetval && res->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(res->nodesetval->nodeTab[0]);
		out = strdup(c ? (const char *)c : "");
		xmlFree(c);
	}
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	return out;
}

/* The same, trimmed of XML white space (for single-line fields). */
CT_UNUSED static char *ct_xml_field(xmlDocPtr doc, const char *xpath)
{
	char *s = ct_xml_text(doc, xpath), *b, *e;

	if (!s)
		return NULL;
	for (b = s; *b == ' ' || *b == '\t' || *b == '\r' || *b == '\n'; b++)
		;
	for (e = b + strlen(b); e > b && (e[-1] == ' ' || e[-1] == '\t' ||
					  e[-1] == '\r' || e[-1] == '\n');
	     e--)
		;
	memmove(s, b, (size_t)(e - b));
	s[e - b] = '\0';
	return s;
}

/* The eligibility criteria text block of one record file, or NULL. */
CT_UNUSED static char *ct_xml_criteria(const char *path)
{
	xmlDocPtr doc = ct_xml_read(path);
	char *s = ct_xml_text(
		doc, "//clinical_study/eligibility/criteria/textblock");

	xmlFreeDoc(doc);
	return s;
}

/*
 * The files directly in dir whose names start with prefix and end with
 * suffix, sorted, as a malloc'd array of malloc'd full paths;
 * ct_free_list() frees it.
 */
CT_UNUSED static char **ct_files(const char *dir, const char *prefix,
				 const char *suffix, size_t *n_out)
{
	struct dirent **list = NULL;
	size_t k = 0, pl = strlen(prefix), sl = strlen(suffix);
	char **v;
	int n, i;

	n = scandir(dir, &list, NULL, alphasort);
	cr_assert(n >= 0, "cannot list %s", dir);
	v = calloc((size_t)n + 1, sizeof(*v));
	cr_assert(v);
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		size_t l = strlen(name);

		if (l > pl + sl && !strncmp(name, prefix, pl) &&
		    !strcmp(name + l - sl, suffix))
			v[k++] = strdup(ct_path(dir, name));
		free(list[i]);
	}
	free(list);
	*n_out = k;
	return v;
}

/* The *.xml files directly in dir (ct_files()). */
CT_UNUSED static char **ct_xml_files(const char *dir, size_t *n_out)
{
	return ct_files(dir, "", ".xml", n_out);
}

/* A file's name without directory and suffix: "P01" from ".../P01.json". */
CT_UNUSED static void ct_base_name(const char *path, const char *suffix,
				   char *out, size_t n)
{
	const char *b = strrchr(path, '/');
	const char *e;

	b = b ? b + 1 : path;
	e = strstr(b, suffix);
	cr_assert(e && (size_t)(e - b) < n, "%s", path);
	memcpy(out, b, (size_t)(e - b));
	out[e - b] = '\0';
}

CT_UNUSED static void ct_free_list(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* ---- zip archives (libarchive's write API) ---- */

/* One entry: name in the archive; src a file to copy, NULL for a folder. */
typedef struct ct_zip_entry {
	const char *name;
	const char *src;
} ct_zip_entry;

CT_UNUSED static void ct_zip(const char *zip_path, const ct_zip_entry *e,
			     size_t n)
{
	struct archive *a = archive_write_new();
	size_t i;

	cr_assert(a);
	cr_assert_eq(archive_write_set_format_zip(a), ARCHIVE_OK, "%s",
		     archive_error_string(a));
	cr_assert_eq(archive_write_open_filename(a, zip_path), ARCHIVE_OK, "%s",
		     archive_error_string(a));
	for (i = 0; i < n; i++) {
		struct archive_entry *ae = archive_entry_new();
		size_t len = 0;
		char *data = NULL;

		cr_assert(ae);
		archive_entry_set_pathname(ae, e[i].name);
		archive_entry_set_mtime(ae, 1675382400, 0);
		if (e[i].src) {
			data = tu_read_file(e[i].src, &len);
			cr_assert(data, "cannot read %s", e[i].src);
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, (la_int64_t)len);
		} else {
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
			archive_entry_set_size(ae, 0);
		}
		cr_assert_eq(archive_write_header(a, ae), ARCHIVE_OK, "%s",
			     archive_error_string(a));
		if (data) {
			cr_assert_eq(archive_write_data(a, data, len),
				     (la_ssize_t)len, "%s",
				     archive_error_string(a));
			free(data);
		}
		archive_entry_free(ae);
	}
	cr_assert_eq(archive_write_close(a), ARCHIVE_OK, "%s",
		     archive_error_string(a));
	archive_write_free(a);
}

#endif
