/*
 * profile_csv.c - CSV rosters (spec/patient-profile.md, "CSV roster").
 *
 * An RFC 4180 reader: cells separated by ','; a cell that starts with '"'
 * is quoted and may hold commas, line breaks (CR, LF, CRLF) and doubled
 * quotes; rows end with LF, CRLF or CR; a UTF-8 BOM is skipped. Lenient
 * where it costs nothing: blanks around a quoted cell are ignored, a quote
 * inside an unquoted cell is an ordinary character, a row shorter than the
 * header leaves the rest of its cells empty, rows whose cells are all empty
 * are skipped. A row longer than the header, text after a closing quote, a
 * NUL byte or invalid UTF-8 make that row an error; the next call goes on.
 *
 * Each row becomes a profile object for ctm_profile_from_json(), the same
 * normaliser JSON input goes through. The header names the keys (trimmed,
 * any case):
 * - the profile's top-level keys: "id", "age", "ecog", ...;
 * - labs: "labs.anc" or just "anc": any lab's profile key (the measure
 *   lines of engine/lexicon/labs.tsv);
 * - location: "location.city" or just "city" (country, state, zip);
 * - any other column goes on under its own name, so the normaliser warns
 *   about it as it does for an unknown JSON key. A column with no name is
 *   ignored, but a value under it is an error.
 * Cells: empty = unknown (the key is left out). Integers (age, ecog,
 * karnofsky), numbers (labs) and booleans (true/false, yes/no, y/n, 1/0,
 * any case) are converted; a cell that does not convert is passed on as a
 * string and the normaliser rejects it with its usual message. List
 * columns (metastatic_sites, biomarkers, prior_therapies) are ';'-separated
 * with `none` for the empty list; a biomarker is NAME[:status[:variant]],
 * a therapy name[@line].
 */
#include "profile_impl.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define MAX_COLUMNS 256
#define MAX_CELLS   4096 /* in one row, before it is rejected */

enum col_kind {
	COL_STRING,
	COL_INT,
	COL_BOOL,
	COL_SITES,
	COL_BIOMARKERS,
	COL_THERAPIES,
	COL_LAB,
	COL_LOCATION,
	COL_NONE, /* a column with no name */
};

typedef struct csv_col {
	char *name; /* as in the header, trimmed and lower-cased */
	char *key;  /* the top-level key: "age", "labs", "location", ... */
	char *sub;  /* the key inside labs or location, or NULL */
	enum col_kind kind;
} csv_col;

struct ctm_csv {
	const ctm_lexicon *lx; /* its labs name the lab columns */
	const char *buf;
	size_t len, pos;
	int line; /* physical line at pos */
	char source[CTM_ERROR_FILE_MAX];
	csv_col *cols;
	size_t ncols;
	size_t id_col;
	/* the current row: cell i is text + cell[i], NUL-terminated */
	char *text;
	size_t tlen, tcap;
	size_t *cell;
	size_t ncell, ccap;
	bool nul; /* the row held a NUL byte */
};

static const struct {
	const char *name;
	enum col_kind kind;
} top_keys[] = {
	{"id", COL_STRING},
	{"age", COL_INT},
	{"birth_date", COL_STRING},
	{"sex", COL_STRING},
	{"diagnosis", COL_STRING},
	{"stage", COL_STRING},
	{"metastatic", COL_BOOL},
	{"metastatic_sites", COL_SITES},
	{"brain_metastases", COL_STRING},
	{"resectable", COL_BOOL},
	{"measurable_disease", COL_BOOL},
	{"ecog", COL_INT},
	{"karnofsky", COL_INT},
	{"biomarkers", COL_BIOMARKERS},
	{"prior_therapies", COL_THERAPIES},
	{"pregnant", COL_BOOL},
};

static const char *const location_names[] = {"country", "state", "city", "zip",
					     NULL};

static int row_fail(ctm_csv *c, int line, const char *id, const char *field,
		    ctm_error *err, int code, const char *fmt, ...)
	PRINTF_LIKE(7, 8);

/* "patient <id>: <field>: <message>" at the row's first line. */
static int row_fail(ctm_csv *c, int line, const char *id, const char *field,
		    ctm_error *err, int code, const char *fmt, ...)
{
	char msg[CTM_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (id && *id && *field)
		ctm_error_set(err, code, c->source, line, 0,
			      "patient %.*s: %s: %s", CTM_PROFILE_MAX_ID, id,
			      field, msg);
	else if (id && *id)
		ctm_error_set(err, code, c->source, line, 0, "patient %.*s: %s",
			      CTM_PROFILE_MAX_ID, id, msg);
	else if (*field)
		ctm_error_set(err, code, c->source, line, 0, "%s: %s", field,
			      msg);
	else
		ctm_error_set(err, code, c->source, line, 0, "%s", msg);
	ctm_error_set_field(err, field);
	return code;
}

static bool is_blank_char(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trims blanks (and line breaks) around s in place. */
static char *trim(char *s)
{
	size_t len;

	while (*s && isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/* ---- the tokenizer ---- */

static int put(ctm_csv *c, char ch)
{
	if (c->tlen == c->tcap) {
		size_t cap = c->tcap ? c->tcap * 2 : 1024;
		char *nt;
		if (c->tcap >= CTM_PROFILE_MAX_BYTES)
			return CTM_ELIMIT;
		nt = realloc(c->text, cap);
		if (!nt)
			return CTM_ENOMEM;
		c->text = nt;
		c->tcap = cap;
	}
	c->text[c->tlen++] = ch;
	return 0;
}

static int cell_begin(ctm_csv *c)
{
	if (c->ncell == c->ccap) {
		size_t cap = c->ccap ? c->ccap * 2 : 32;
		size_t *nc;
		if (c->ccap >= MAX_CELLS)
			return CTM_ELIMIT;
		nc = realloc(c->cell, cap * sizeof(*nc));
		if (!nc)
			return CTM_ENOMEM;
		c->cell = nc;
		c->ccap = cap;
	}
	c->cell[c->ncell++] = c->tlen;
	return 0;
}

/* Moves past the end of the current physical line (error recovery). */
static void skip_line(ctm_csv *c, size_t p)
{
	const char *nl =
		p < c->len ? memchr(c->buf + p, '\n', c->len - p) : NULL;

	c->pos = nl ? (size_t)(nl - c->buf) + 1 : c->len;
	if (nl)
		c->line++;
}

/*
 * Reads one row into c->text / c->cell. 1, 0 at the end of the input, or
 * an error (the input is then past the bad row).
 */
static int read_row(ctm_csv *c, int *row_line, ctm_error *err)
{
	const char *b = c->buf;
	size_t p = c->pos, len = c->len;
	int rc = 0;

	c->tlen = 0;
	c->ncell = 0;
	c->nul = false;
	if (p >= len)
		return 0;
	*row_line = c->line;
	for (;;) {
		size_t q = p;
		if ((rc = cell_begin(c)))
			goto fail;
		while (q < len && is_blank_char(b[q]))
			q++;
		if (q < len && b[q] == '"') {
			int opened = c->line;
			p = q + 1;
			for (;;) {
				char ch;
				if (p >= len) {
					c->pos = len;
					return ctm_error_set(
						err, CTM_EPARSE, c->source,
						*row_line, 0,
						"CSV: the quoted cell %zu "
						"opened "
						"on line %d is not closed",
						c->ncell, opened);
				}
				ch = b[p];
				if (ch == '"') {
					if (p + 1 < len && b[p + 1] == '"') {
						if ((rc = put(c, '"')))
							goto fail;
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (ch == '\n' ||
				    (ch == '\r' &&
				     (p + 1 >= len || b[p + 1] != '\n')))
					c->line++;
				c->nul |= ch == '\0';
				if ((rc = put(c, ch)))
					goto fail;
				p++;
			}
			while (p < len && is_blank_char(b[p]))
				p++;
			if (p < len && b[p] != ',' && b[p] != '\n' &&
			    b[p] != '\r') {
				int line = c->line;
				skip_line(c, p);
				return ctm_error_set(
					err, CTM_EPARSE, c->source, *row_line,
					0,
					"CSV: text after the closing quote of "
					"cell %zu (line %d)",
					c->ncell, line);
			}
		} else {
			while (p < len && b[p] != ',' && b[p] != '\n' &&
			       b[p] != '\r') {
				c->nul |= b[p] == '\0';
				if ((rc = put(c, b[p])))
					goto fail;
				p++;
			}
		}
		if ((rc = put(c, '\0')))
			goto fail;
		if (p < len && b[p] == ',') {
			p++;
			continue;
		}
		if (p < len) {
			if (b[p] == '\r' && p + 1 < len && b[p + 1] == '\n')
				p++;
			p++;
			c->line++;
		}
		c->pos = p;
		return 1;
	}
fail:
	skip_line(c, p);
	if (rc == CTM_ELIMIT)
		return ctm_error_set(err, rc, c->source, *row_line, 0,
				     "CSV: a row of more than %zu bytes or "
				     "%d cells",
				     (size_t)CTM_PROFILE_MAX_BYTES, MAX_CELLS);
	return ctm_error_set(err, rc, c->source, *row_line, 0, "out of memory");
}

static bool row_is_blank(ctm_csv *c)
{
	size_t i;

	for (i = 0; i < c->ncell; i++)
		if (*trim(c->text + c->cell[i]))
			return false;
	return true;
}

/* ---- the header ---- */

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static int header_col(ctm_csv *c, size_t i, char *name, int hline,
		      ctm_error *err)
{
	csv_col *col = &c->cols[i];
	const char *key = name, *sub = NULL;
	size_t k;
	json_t *check;

	for (k = 0; name[k]; k++)
		name[k] = (char)tolower((unsigned char)name[k]);
	check = json_string(name);
	if (!check)
		return ctm_error_set(err, CTM_EPARSE, c->source, hline, 0,
				     "CSV header: column %zu: a name that is "
				     "not valid UTF-8",
				     i + 1);
	json_decref(check);
	col->kind = COL_STRING;
	if (!*name) {
		col->kind = COL_NONE;
	} else if (!strncmp(name, "labs.", 5) ||
		   ctm_lexicon_lab_by_key(c->lx, name)) {
		col->kind = COL_LAB;
		key = "labs";
		sub = strncmp(name, "labs.", 5) ? name : name + 5;
	} else if (!strncmp(name, "location.", 9) ||
		   in_list(location_names, name)) {
		col->kind = COL_LOCATION;
		key = "location";
		sub = strncmp(name, "location.", 9) ? name : name + 9;
	} else {
		for (k = 0; k < sizeof(top_keys) / sizeof(top_keys[0]); k++)
			if (!strcmp(name, top_keys[k].name))
				col->kind = top_keys[k].kind;
	}
	col->name = dup(name);
	col->key = dup(key);
	col->sub = sub ? dup(sub) : NULL;
	if (!col->name || !col->key || (sub && !col->sub))
		return ctm_error_set(err, CTM_ENOMEM, c->source, 0, 0,
				     "out of memory");
	if (col->kind == COL_NONE)
		return 0;
	if (sub && !*sub)
		return ctm_error_set(err, CTM_EPARSE, c->source, hline, 0,
				     "CSV header: column %zu '%s' names no "
				     "key after the dot",
				     i + 1, name);
	for (k = 0; k < i; k++) {
		const csv_col *o = &c->cols[k];
		if (o->kind != COL_NONE && !strcmp(o->key, col->key) &&
		    !strcmp(o->sub ? o->sub : "", col->sub ? col->sub : ""))
			return ctm_error_set(err, CTM_EPARSE, c->source, hline,
					     0,
					     "CSV header: column %zu '%s' "
					     "repeats column %zu '%s'",
					     i + 1, name, k + 1, o->name);
	}
	return 0;
}

int ctm_csv_open(ctm_csv **out, const char *buf, size_t len, const char *source,
		 const ctm_lexicon *lx, ctm_error *err)
{
	ctm_csv *c = calloc(1, sizeof(*c));
	int rc, line = 0;
	size_t i;

	*out = NULL;
	if (!c)
		return ctm_error_set(err, CTM_ENOMEM, source, 0, 0,
				     "out of memory");
	c->lx = lx;
	c->buf = buf;
	c->len = len;
	c->line = 1;
	c->id_col = (size_t)-1;
	snprintf(c->source, sizeof(c->source), "%s", source ? source : "");
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		c->pos = 3;
	do {
		rc = read_row(c, &line, err);
	} while (rc == 1 && row_is_blank(c));
	if (rc < 0)
		goto done;
	if (rc == 0) {
		rc = ctm_error_set(err, CTM_EPARSE, c->source, c->line, 0,
				   "not a CSV roster: no header row");
		goto done;
	}
	if (c->nul) {
		rc = ctm_error_set(err, CTM_EPARSE, c->source, line, 0,
				   "not a CSV roster: a NUL byte in the "
				   "header row");
		goto done;
	}
	if (c->ncell > MAX_COLUMNS) {
		rc = ctm_error_set(err, CTM_ELIMIT, c->source, line, 0,
				   "CSV header: more than %d columns",
				   MAX_COLUMNS);
		goto done;
	}
	c->cols = calloc(c->ncell, sizeof(*c->cols));
	if (!c->cols) {
		rc = ctm_error_set(err, CTM_ENOMEM, c->source, 0, 0,
				   "out of memory");
		goto done;
	}
	c->ncols = c->ncell;
	for (i = 0; i < c->ncols; i++) {
		rc = header_col(c, i, trim(c->text + c->cell[i]), line, err);
		if (rc)
			goto done;
		if (!strcmp(c->cols[i].name, "id"))
			c->id_col = i;
	}
	if (c->id_col == (size_t)-1)
		rc = ctm_error_set(err, CTM_EPARSE, c->source, line, 0,
				   "not a CSV roster: the header row has no "
				   "\"id\" column");
done:
	if (rc < 0) {
		ctm_csv_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

void ctm_csv_close(ctm_csv *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->ncols; i++) {
		free(c->cols[i].name);
		free(c->cols[i].key);
		free(c->cols[i].sub);
	}
	free(c->cols);
	free(c->text);
	free(c->cell);
	free(c);
}

/* ---- cells into JSON values ---- */

/* An integer cell, or NULL if it is not one. */
static json_t *int_value(const char *s)
{
	const char *p = s;
	json_int_t v = 0;
	int neg = 0, digits = 0;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; *p >= '0' && *p <= '9'; p++) {
		if (++digits > 18)
			return NULL;
		v = v * 10 + (*p - '0');
	}
	if (*p || !digits)
		return NULL;
	return json_integer(neg ? -v : v);
}

/* A number cell (plain decimal notation), or NULL. */
static json_t *real_value(const char *s)
{
	char *end;
	double d;

	if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
		return NULL;
	d = strtod(s, &end);
	if (*end || !isfinite(d))
		return NULL;
	return json_real(d);
}

static json_t *bool_value(const char *s)
{
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") ||
	    !strcasecmp(s, "y") || !strcmp(s, "1"))
		return json_true();
	if (!strcasecmp(s, "false") || !strcasecmp(s, "no") ||
	    !strcasecmp(s, "n") || !strcmp(s, "0"))
		return json_false();
	return NULL;
}

/* Splits s at each sep in place; calls fn on every non-empty trimmed item. */
typedef int (*item_fn)(json_t *list, char *item);

static int split_list(json_t *list, char *s, char sep, item_fn fn)
{
	char *p = s, *q;
	int rc;

	for (;;) {
		q = strchr(p, sep);
		if (q)
			*q = '\0';
		p = trim(p);
		if (*p && (rc = fn(list, p)))
			return rc;
		if (!q)
			return 0;
		p = q + 1;
	}
}

static int set_string(json_t *obj, const char *key, const char *s)
{
	json_t *v = json_string(s);

	return v ? json_object_set_new(obj, key, v) : -1;
}

static int site_item(json_t *list, char *item)
{
	json_t *v = json_string(item);

	return v ? json_array_append_new(list, v) : -1;
}

static int biomarker_item(json_t *list, char *item)
{
	json_t *o = json_object();
	char *status = strchr(item, ':'), *variant = NULL;

	if (!o)
		return -1;
	if (status) {
		*status++ = '\0';
		variant = strchr(status, ':');
		if (variant)
			*variant++ = '\0';
		status = trim(status);
		if (variant)
			variant = trim(variant);
	}
	item = trim(item);
	if ((*item && set_string(o, "name", item)) ||
	    (status && *status && set_string(o, "status", status)) ||
	    (variant && *variant && set_string(o, "variant", variant))) {
		json_decref(o);
		return -1;
	}
	return json_array_append_new(list, o);
}

static int therapy_item(json_t *list, char *item)
{
	json_t *o = json_object(), *line;
	char *at = strrchr(item, '@');

	if (!o)
		return -1;
	if (at) {
		*at++ = '\0';
		at = trim(at);
		if (*at) {
			line = int_value(at);
			if (!line)
				line = json_string(at);
			if (!line || json_object_set_new(o, "line", line)) {
				json_decref(o);
				return -1;
			}
		}
	}
	item = trim(item);
	if (*item && set_string(o, "name", item)) {
		json_decref(o);
		return -1;
	}
	return json_array_append_new(list, o);
}

/* The JSON value of one non-empty cell, or NULL (invalid UTF-8, memory). */
static json_t *cell_value(const csv_col *col, char *s)
{
	json_t *v = NULL, *list;
	item_fn fn = NULL;

	switch (col->kind) {
	case COL_INT: v = int_value(s); break;
	case COL_BOOL: v = bool_value(s); break;
	case COL_LAB: v = real_value(s); break;
	case COL_SITES: fn = site_item; break;
	case COL_BIOMARKERS: fn = biomarker_item; break;
	case COL_THERAPIES: fn = therapy_item; break;
	default: break;
	}
	if (v)
		return v;
	if (!fn)
		return json_string(s);
	list = json_array();
	if (!list)
		return NULL;
	if (strcasecmp(s, "none") != 0 && split_list(list, s, ';', fn)) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* Adds value under key to obj[parent] (created when missing). */
static int set_sub(json_t *obj, const char *parent, const char *key,
		   json_t *value)
{
	json_t *o = json_object_get(obj, parent);

	if (!o) {
		o = json_object();
		if (!o || json_object_set_new(obj, parent, o)) {
			json_decref(value);
			return -1;
		}
	}
	return json_object_set_new(o, key, value);
}

int ctm_csv_next(ctm_csv *c, json_t **out, int *line, ctm_error *err)
{
	const char *id = NULL;
	json_t *obj = NULL;
	size_t i;
	int rc;

	*out = NULL;
	do {
		rc = read_row(c, line, err);
	} while (rc == 1 && row_is_blank(c));
	if (rc <= 0)
		return rc;
	if (c->id_col < c->ncell)
		id = trim(c->text + c->cell[c->id_col]);
	if (c->nul)
		return row_fail(c, *line, id, "", err, CTM_EINVALID,
				"CSV: a NUL byte in the row");
	if (c->ncell > c->ncols)
		return row_fail(c, *line, id, "", err, CTM_EPARSE,
				"CSV: the row has %zu cells; the header names "
				"%zu columns",
				c->ncell, c->ncols);
	obj = json_object();
	if (!obj)
		return row_fail(c, *line, id, "", err, CTM_ENOMEM,
				"out of memory");
	for (i = 0; i < c->ncell; i++) {
		const csv_col *col = &c->cols[i];
		char *s = trim(c->text + c->cell[i]);
		json_t *v;
		if (!*s)
			continue;
		if (col->kind == COL_NONE) {
			json_decref(obj);
			return row_fail(c, *line, id, "", err, CTM_EPARSE,
					"CSV: a value in column %zu, which has "
					"no name in the header",
					i + 1);
		}
		v = cell_value(col, s);
		if (!v || (col->sub ? set_sub(obj, col->key, col->sub, v)
				    : json_object_set_new(obj, col->key, v))) {
			json_decref(obj);
			return row_fail(c, *line, id, col->name, err,
					CTM_EINVALID,
					"not valid UTF-8 (or out of memory)");
		}
	}
	*out = obj;
	return 1;
}
