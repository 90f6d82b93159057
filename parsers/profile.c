/*
 * profile.c - patient profiles (spec/patient-profile.md, format 1).
 *
 * One normaliser, ctm_profile_from_json(), turns a jansson object into a
 * ctm_profile. Everything feeds it: ctm_profile_parse() (one JSON object),
 * and the reader over JSON arrays, NDJSON, a single object, directories of
 * *.json files and CSV rosters (profile_csv.c builds one object a row).
 *
 * Choices the spec leaves open, made here:
 * - `null`, and a string that is empty or blank, mean the same as an absent
 *   key: unknown. "id" is the exception: it is required.
 * - "metastatic": true without "stage" sets stage IV (the spec's rule); a
 *   stage IV does not set "metastatic" (only the first rule is in the spec).
 * - "age" and "birth_date" both given must agree on `today`; today == 0
 *   means the current date (UTC).
 * - "sex", "stage", "brain_metastases", "setting" and statuses are read in
 *   any letter case.
 * - A metastatic site the lexicon does not know counts as the site concept
 *   "other", with a warning naming the nearest known site. Were there no
 *   "other" concept, the list could no longer be complete, so has_sites is
 *   then cleared (unknown) and the warning says so. Duplicates are dropped.
 * - A biomarker needs a status unless its name says it ("MSI-H", "dMMR",
 *   "HER2+"), it has a variant (then: mutated) or a value (then
 *   CTM_BM_ANY: the value decides). For ERBB2, "positive"/"negative" are
 *   amplified/not-amplified (as the criteria parser reads "HER2-positive").
 * - An unrecognised diagnosis is an error: a patient of no known disease
 *   would otherwise be a candidate for every disease's trials. An
 *   unrecognised gene, variant, therapy, lab key or any unknown key is a
 *   warning (kept in the profile), never an error.
 * - A lab is a number in the profile's unit or {"value": n, "unit":
 *   "<UCUM>"}; either way it must be plausible in the profile's unit
 *   (engine/lexicon/labs.tsv), else it is an error (typed in another
 *   unit).
 * - A JSON object with a "resourceType" is FHIR (profile_fhir.c).
 *
 * Positions: jansson gives a line and column only for syntax errors, so the
 * reader cuts its input into one object per profile itself (a small
 * structural scan: strings, escapes, bracket depth; jansson still parses and
 * validates every object) and knows where each object starts. For an error
 * in a well-formed object, the key path (err->field) is looked up again in
 * the object's text, so the line and column are those of the offending
 * value (or of the object, for a missing key).
 */
#include "profile_impl.h"

#include <ctm/parsers.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define MAX_WARNINGS  100
#define MAX_DIR_FILES 1000000
#define MAX_SCAN_HITS 32

#define TYPE_BIT(t) (1u << (t))
#define GENE_MASK   (TYPE_BIT(CTM_CT_GENE) | TYPE_BIT(CTM_CT_MARKER))
#define THERAPY_MASK                                                           \
	(TYPE_BIT(CTM_CT_DRUG) | TYPE_BIT(CTM_CT_REGIMEN) |                    \
	 TYPE_BIT(CTM_CT_CLASS) | TYPE_BIT(CTM_CT_PROCEDURE))

/* ------------------------------------------------------------------ */
/* Positions in JSON text                                              */
/* ------------------------------------------------------------------ */

#define NO_END ((size_t)-1)

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len &&
	       (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* s[i] is '"': the offset past the closing quote, or NO_END. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return NO_END;
}

/*
 * The offset just past the JSON value that starts at s[i], or NO_END when
 * the text ends inside it. Only finds boundaries (strings, escapes, bracket
 * depth): jansson validates. A scalar ends at the next separator, so it
 * may be empty (the caller checks).
 */
static size_t skip_value(const char *s, size_t len, size_t i)
{
	size_t depth = 0;

	if (i >= len)
		return NO_END;
	if (s[i] == '"')
		return skip_string(s, len, i);
	if (s[i] != '{' && s[i] != '[') {
		while (i < len && s[i] != ',' && s[i] != ']' && s[i] != '}' &&
		       s[i] != ':' && s[i] != ' ' && s[i] != '\t' &&
		       s[i] != '\n' && s[i] != '\r' && s[i] != '"' &&
		       s[i] != '{' && s[i] != '[')
			i++;
		return i;
	}
	for (; i < len; i++) {
		char c = s[i];
		if (c == '"') {
			size_t e = skip_string(s, len, i);
			if (e == NO_END)
				return NO_END;
			i = e - 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return NO_END;
}

/* Advances *line and *col (1-based, in characters) over s[0..n). */
static void count_pos(const char *s, size_t n, int *line, int *col)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else if ((c & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/*
 * The offset of the value at `path` ("biomarkers[1].status") in the JSON
 * object s[0..len), or of the deepest enclosing value found. Keys are
 * compared as written (a key spelled with escapes is not found, and the
 * enclosing object is named instead).
 */
static size_t locate(const char *s, size_t len, const char *path)
{
	size_t pos = skip_ws(s, len, 0), found = pos;
	const char *p = path;

	while (*p && pos < len) {
		if (*p == '[') {
			char *end;
			unsigned long k, idx = strtoul(p + 1, &end, 10);
			p = *end == ']' ? end + 1 : end;
			if (s[pos] != '[')
				break;
			pos = skip_ws(s, len, pos + 1);
			for (k = 0; k < idx; k++) {
				size_t e = skip_value(s, len, pos);
				if (e == NO_END || e == pos)
					return found;
				pos = skip_ws(s, len, e);
				if (pos >= len || s[pos] != ',')
					return found;
				pos = skip_ws(s, len, pos + 1);
			}
			if (pos >= len || s[pos] == ']')
				return found;
			found = pos;
		} else {
			size_t klen;
			bool hit = false;
			if (*p == '.')
				p++;
			klen = strcspn(p, ".[");
			if (s[pos] != '{')
				break;
			pos = skip_ws(s, len, pos + 1);
			while (pos < len && s[pos] == '"') {
				size_t kend = skip_string(s, len, pos), e;
				if (kend == NO_END)
					return found;
				hit = kend - pos - 2 == klen &&
				      !memcmp(s + pos + 1, p, klen);
				pos = skip_ws(s, len, kend);
				if (pos >= len || s[pos] != ':')
					return found;
				pos = skip_ws(s, len, pos + 1);
				if (hit)
					break;
				e = skip_value(s, len, pos);
				if (e == NO_END || e == pos)
					return found;
				pos = skip_ws(s, len, e);
				if (pos >= len || s[pos] != ',')
					return found;
				pos = skip_ws(s, len, pos + 1);
			}
			if (!hit)
				return found;
			found = pos;
			p += klen;
		}
	}
	return found;
}

/* ------------------------------------------------------------------ */
/* The normaliser                                                      */
/* ------------------------------------------------------------------ */

typedef struct norm {
	const ctm_lexicon *lx;
	int32_t today;
	const char *source;
	const ctm_profile_where *where;
	ctm_error *err;
	ctm_profile *p;
	const char *id; /* once known, for messages */
	const char *warnings[MAX_WARNINGS];
	size_t n_warnings;
	bool warnings_cut;
	bool show_values; /* CTM_PROFILE_SHOW_VALUES: keep VB..VE parts */
	ctm_criteria_ctx *dx; /* reads the diagnosis as a criterion, or NULL */
	char got[96];	  /* got() writes here */
} norm;

static int fail(norm *n, int code, const char *field, const char *fmt, ...)
	PRINTF_LIKE(4, 5);
static int set_error(ctm_error *err, int code, const char *source, int line,
		     int col, bool show, const char *fmt, ...)
	PRINTF_LIKE(7, 8);
static int warn(norm *n, const char *fmt, ...) PRINTF_LIKE(2, 3);

int ctm_profile_add_warnings(ctm_profile *p, const char *const *marked,
			     size_t n)
{
	size_t total = n + p->n_warnings, i;
	const char **w, **nv;
	char *s;

	if (!n)
		return 0;
	w = ctm_arena_alloc(p->arena, total * sizeof(*w));
	nv = ctm_arena_alloc(p->arena, total * sizeof(*nv));
	if (!w || !nv)
		return CTM_ENOMEM;
	for (i = 0; i < n; i++) {
		if (!(s = ctm_arena_strdup(p->arena, marked[i])))
			return CTM_ENOMEM;
		ctm_msg_values(s, true);
		w[i] = s;
		if (!(s = ctm_arena_strdup(p->arena, marked[i])))
			return CTM_ENOMEM;
		ctm_msg_values(s, false);
		nv[i] = s;
	}
	for (i = 0; i < p->n_warnings; i++) {
		w[n + i] = p->warnings[i];
		nv[n + i] = p->warnings_no_values[i];
	}
	p->warnings = w;
	p->warnings_no_values = nv;
	p->n_warnings = total;
	return 0;
}

void ctm_msg_values(char *msg, bool show)
{
	const char *r;
	char *w = msg;
	bool skip = false;

	for (r = msg; *r; r++) {
		switch (*r) {
		case '\x01': skip = !show; break;
		case '\x03': skip = show; break;
		case '\x02':
		case '\x04': skip = false; break;
		default:
			if (!skip)
				*w++ = *r;
		}
	}
	*w = '\0';
}

/* ctm_error_set() of a message with VB..VE parts (kept when show). */
static int set_error(ctm_error *err, int code, const char *source, int line,
		     int col, bool show, const char *fmt, ...)
{
	char msg[CTM_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctm_msg_values(msg, show);
	return ctm_error_set(err, code, source, line, col, "%s", msg);
}

const char *ctm_json_error_text(const char *text, char *buf, size_t size)
{
	const char *near = strstr(text, " near '");
	size_t i, k = 0;

	/* jansson's "<what> near '<token>'": the token is the input's */
	for (i = 0; text[i] && k + 3 < size; i++) {
		unsigned char c = (unsigned char)text[i];
		if (near && text + i == near)
			buf[k++] = '\x01';
		buf[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (near && near < text + i && k + 1 < size)
		buf[k++] = '\x02';
	buf[k] = '\0';
	return buf;
}

/*
 * Sets the error for key path `field`: "patient <id>: <field>: <message>"
 * at the line and column of the value when the object's text is known.
 * The message's VB..VE parts are kept only with n->show_values.
 */
static int fail(norm *n, int code, const char *field, const char *fmt, ...)
{
	char msg[CTM_ERROR_MSG_MAX];
	int line = 0, col = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctm_msg_values(msg, n->show_values);
	if (n->where) {
		line = n->where->line;
		col = n->where->column;
		if (n->where->text)
			count_pos(n->where->text,
				  locate(n->where->text, n->where->len, field),
				  &line, &col);
	}
	if (n->id)
		ctm_error_set(n->err, code, n->source, line, col,
			      "patient %s: %s: %s", n->id, field, msg);
	else
		ctm_error_set(n->err, code, n->source, line, col, "%s: %s",
			      field, msg);
	ctm_error_set_field(n->err, field);
	return code;
}

static int nomem(norm *n, const char *field)
{
	return fail(n, CTM_ENOMEM, field, "out of memory");
}

/*
 * Adds a warning to the profile (at most MAX_WARNINGS, then a note), kept
 * with its VB..VE marks until ctm_profile_from_json() makes the two forms.
 */
static int warn(norm *n, const char *fmt, ...)
{
	char msg[CTM_ERROR_MSG_MAX];
	const char *s;
	va_list ap;

	if (n->n_warnings == MAX_WARNINGS - 1) {
		n->warnings_cut = true;
		return 0;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s = ctm_arena_strdup(n->p->arena, msg);
	if (!s)
		return nomem(n, "warnings");
	n->warnings[n->n_warnings++] = s;
	return 0;
}

/*
 * s shown in a one-line message: at most 40 bytes (cut on a character
 * boundary, "..." added), control characters as '?'.
 */
static const char *show(const char *s, char *buf, size_t size)
{
	size_t len = strlen(s), n = len, i;

	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (n + 4 > size)
		n = size > 4 ? size - 4 : 0;
	for (i = 0; i < n; i++)
		buf[i] =
			(unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (n < len)
		memcpy(buf + i, "...", 3), i += 3;
	buf[i] = '\0';
	return buf;
}

/* A JSON value as it was given, for "got ..." in messages. */
static const char *got(norm *n, const json_t *v)
{
	char tmp[64];

	switch (json_typeof(v)) {
	case JSON_STRING:
		snprintf(n->got, sizeof(n->got), "\"%s\"",
			 show(json_string_value(v), tmp, sizeof(tmp)));
		break;
	case JSON_INTEGER:
		snprintf(n->got, sizeof(n->got), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		break;
	case JSON_REAL:
		snprintf(n->got, sizeof(n->got), "%g", json_real_value(v));
		break;
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	case JSON_ARRAY: return "an array";
	case JSON_OBJECT: return "an object";
	}
	return n->got;
}

static bool is_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/* obj[key], or NULL when absent, null or a blank string: unknown. */
static json_t *get(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v) &&
	    is_blank(json_string_value(v), json_string_length(v)))
		return NULL;
	return v;
}

/* A string value, trimmed and copied into the profile's arena. */
static int take_string(norm *n, json_t *v, const char *field, const char **out)
{
	const char *s;
	size_t len;

	if (!json_is_string(v))
		return fail(n, CTM_EINVALID, field, "expected a string" GOT,
			    got(n, v));
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > CTM_PROFILE_MAX_TEXT)
		return fail(n, CTM_ELIMIT, field,
			    "a string of more than %d bytes",
			    (int)CTM_PROFILE_MAX_TEXT);
	if (memchr(s, '\0', len))
		return fail(n, CTM_EINVALID, field,
			    "a string holding a NUL character");
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	*out = ctm_arena_strndup(n->p->arena, s, len);
	return *out ? 0 : nomem(n, field);
}

static int take_int(norm *n, json_t *v, const char *field, json_int_t lo,
		    json_int_t hi, const char *what, json_int_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return fail(n, CTM_EINVALID, field, "expected %s" GOT, what,
			    got(n, v));
	*out = json_integer_value(v);
	return 0;
}

static int take_bool(norm *n, json_t *v, const char *field, int8_t *out)
{
	if (!json_is_boolean(v))
		return fail(n, CTM_EINVALID, field,
			    "expected true or false" GOT, got(n, v));
	*out = json_is_true(v) ? 1 : 0;
	return 0;
}

/* "YYYY-MM-DD", a real calendar date. */
static int parse_iso_date(const char *s, int32_t *out)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
				     : !isdigit((unsigned char)s[i]))
			return -1;
	if (s[10])
		return -1;
	return ctm_date_parse(s, out) ? -1 : 0;
}

static int take_date(norm *n, json_t *v, const char *field, int32_t *out)
{
	const char *s;
	int rc;

	if (!json_is_string(v))
		return fail(n, CTM_EINVALID, field,
			    "expected a date YYYY-MM-DD" GOT, got(n, v));
	rc = take_string(n, v, field, &s);
	if (rc)
		return rc;
	if (parse_iso_date(s, out))
		return fail(n, CTM_EINVALID, field,
			    "expected a date YYYY-MM-DD" GOT, got(n, v));
	return 0;
}

/* Lower case, every run of blanks, '-' and '_' as one '_'; "" if too long. */
static const char *fold_word(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	bool sep = false;

	for (; *s; s++) {
		char c = *s;
		if (c == ' ' || c == '\t' || c == '-' || c == '_') {
			sep = n > 0;
			continue;
		}
		if (n + 3 >= size)
			return "";
		if (sep)
			buf[n++] = '_';
		sep = false;
		buf[n++] = (char)tolower((unsigned char)c);
	}
	buf[n] = '\0';
	return buf;
}

static int32_t today_date(int32_t today)
{
	time_t t;
	struct tm tm;

	if (today > 0)
		return today;
	t = time(NULL);
	if (!gmtime_r(&t, &tm))
		return 0;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* ---- id, age, sex ---- */

static int norm_id(norm *n, json_t *obj)
{
	json_t *v = json_object_get(obj, "id");
	const char *s;
	size_t len, i;

	if (!v || json_is_null(v))
		return fail(n, CTM_EINVALID, "id",
			    "missing: every profile needs an \"id\" string");
	if (!json_is_string(v))
		return fail(n, CTM_EINVALID, "id",
			    "expected a string of 1 to %d bytes" GOT,
			    CTM_PROFILE_MAX_ID, got(n, v));
	s = json_string_value(v);
	len = json_string_length(v);
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len > CTM_PROFILE_MAX_ID)
		return fail(n, CTM_EINVALID, "id",
			    "expected a string of 1 to %d bytes" GOT,
			    CTM_PROFILE_MAX_ID, got(n, v));
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fail(n, CTM_EINVALID, "id",
				    "a control character" VB " in %s" VE,
				    got(n, v));
	n->p->id = ctm_arena_strndup(n->p->arena, s, len);
	if (!n->p->id)
		return nomem(n, "id");
	n->id = n->p->id;
	return 0;
}

static int norm_age(norm *n, json_t *obj)
{
	json_t *va = get(obj, "age"), *vb = get(obj, "birth_date");
	json_int_t age = -1;
	int32_t birth, t;
	int years, rc;
	char b1[11], b2[11];

	if (va) {
		rc = take_int(n, va, "age", 0, 130,
			      "an integer from 0 to 130 (years)", &age);
		if (rc)
			return rc;
		n->p->age = (double)age;
	}
	if (!vb)
		return 0;
	rc = take_date(n, vb, "birth_date", &birth);
	if (rc)
		return rc;
	t = today_date(n->today);
	if (birth > t)
		return fail(n, CTM_EINVALID, "birth_date",
			    VB "%s is " VE "after the match date %s",
			    ctm_date_format(birth, b1), ctm_date_format(t, b2));
	years = (int)(t / 10000 - birth / 10000);
	if (t % 10000 < birth % 10000)
		years--;
	if (years > 130)
		return fail(n, CTM_EINVALID, "birth_date",
			    VB "%s gives an age of %d years" VE NB
			       "gives an age of more than 130 years" NE " on "
			       "%s" VB " (at most 130)" VE,
			    ctm_date_format(birth, b1), years,
			    ctm_date_format(t, b2));
	if (va && age != years)
		return fail(n, CTM_EINVALID, "age",
			    VB "%d " VE "does not agree with birth_date" VB
			       " %s (%d years on %s)" VE,
			    (int)age, ctm_date_format(birth, b1), years,
			    ctm_date_format(t, b2));
	n->p->age = years;
	return 0;
}

static int norm_sex(norm *n, json_t *obj)
{
	json_t *v = get(obj, "sex");
	const char *s;
	int rc;

	if (!v)
		return 0;
	if (!json_is_string(v))
		goto bad;
	rc = take_string(n, v, "sex", &s);
	if (rc)
		return rc;
	if (!strcasecmp(s, "female"))
		n->p->sex = CTM_GENDER_FEMALE;
	else if (!strcasecmp(s, "male"))
		n->p->sex = CTM_GENDER_MALE;
	else
		goto bad;
	return 0;
bad:
	return fail(n, CTM_EINVALID, "sex",
		    "expected \"female\" or \"male\"" GOT, got(n, v));
}

/* ---- diagnosis, stage, metastases ---- */

static int norm_diagnosis(norm *n, json_t *obj)
{
	json_t *v = get(obj, "diagnosis");
	ctm_term_hit hits[MAX_SCAN_HITS];
	size_t nh, i, j;
	const char *s, *near;
	char b[64], swapped[512];
	int rc;

	if (!v)
		return 0;
	rc = take_string(n, v, "diagnosis", &s);
	if (rc)
		return rc;
	n->p->diagnosis = s;
	/* read as a criterion is read (word order, abbreviations, a
	 * denial); what that grammar does not read as one disease is looked
	 * up term by term below */
	if (n->dx) {
		ctm_concept c = 0;
		rc = ctm_criteria_diagnosis(n->dx, s, &c);
		if (rc == 0) {
			n->p->diagnosis_concept = c;
			return 0;
		}
		if (rc == CTM_EINVALID)
			return fail(n, CTM_EINVALID, "diagnosis",
				    VB "'%s' " VE "denies a disease instead "
				       "of naming the patient's",
				    show(s, b, sizeof(b)));
		if (rc == CTM_ENOMEM)
			return nomem(n, "diagnosis");
	}
	nh = ctm_lexicon_scan(n->lx, s, strlen(s), TYPE_BIT(CTM_CT_DISEASE),
			      hits, MAX_SCAN_HITS);
	/* a problem list's order, "adenocarcinoma, ascending colon": read as
	 * "ascending colon adenocarcinoma" */
	if (!nh && strchr(s, ',') && strlen(s) < sizeof(swapped) - 2) {
		const char *comma = strchr(s, ',');
		snprintf(swapped, sizeof(swapped), "%s %.*s", comma + 1,
			 (int)(comma - s), s);
		nh = ctm_lexicon_scan(n->lx, swapped, strlen(swapped),
				      TYPE_BIT(CTM_CT_DISEASE), hits,
				      MAX_SCAN_HITS);
	}
	if (nh > MAX_SCAN_HITS)
		nh = MAX_SCAN_HITS;
	/* the most specific: the one that is-a every other, else the first */
	for (i = 0; i < nh; i++) {
		for (j = 0; j < nh; j++)
			if (!ctm_lexicon_is_a(n->lx, hits[i].concept,
					      hits[j].concept))
				break;
		if (j == nh)
			break;
	}
	if (nh)
	n->p->diagnosis_concept = hits[i < nh ? i : 0].concept;
	if (nh)
		return 0;
	/* Not recognised: an error, never a patient of every disease (an
	 * unknown diagnosis would make every disease's trials candidates). */
	near = ctm_lexicon_nearest(n->lx, s, TYPE_BIT(CTM_CT_DISEASE));
	if (near)
		return fail(n, CTM_EINVALID, "diagnosis",
			    VB "'%s' " VE
			       "names no known disease (nearest: %s)",
			    show(s, b, sizeof(b)), near);
	return fail(n, CTM_EINVALID, "diagnosis",
		    VB "'%s' " VE "names no known disease",
		    show(s, b, sizeof(b)));
}

/*
 * "0", "I".."IV" or "1".."4", with an optional sub-stage letter A-C and an
 * optional "stage" before it, any case: 0..4, or -1.
 */
static int parse_stage(const char *s)
{
	static const struct {
		const char *roman;
		int n;
	} romans[] = {{"iv", 4}, {"iii", 3}, {"ii", 2}, {"i", 1}};
	int stage = -1;
	size_t i;

	while (isspace((unsigned char)*s))
		s++;
	if (!strncasecmp(s, "stage", 5)) {
		s += 5;
		while (isspace((unsigned char)*s))
			s++;
	}
	if (*s >= '0' && *s <= '4') {
		stage = *s++ - '0';
	} else {
		for (i = 0; i < sizeof(romans) / sizeof(romans[0]); i++) {
			size_t l = strlen(romans[i].roman);
			if (!strncasecmp(s, romans[i].roman, l)) {
				stage = romans[i].n;
				s += l;
				break;
			}
		}
		if (stage < 0)
			return -1;
	}
	if (stage > 0 && (*s == 'a' || *s == 'b' || *s == 'c' || *s == 'A' ||
			  *s == 'B' || *s == 'C'))
		s++;
	while (isspace((unsigned char)*s))
		s++;
	return *s ? -1 : stage;
}

static int norm_stage(norm *n, json_t *obj)
{
	json_t *v = get(obj, "stage"), *m = get(obj, "metastatic");
	const char *s;
	int rc;

	if (m) {
		rc = take_bool(n, m, "metastatic", &n->p->metastatic);
		if (rc)
			return rc;
	}
	if (v) {
		if (!json_is_string(v))
			goto bad;
		rc = take_string(n, v, "stage", &s);
		if (rc)
			return rc;
		n->p->stage = parse_stage(s);
		if (n->p->stage < 0)
			goto bad;
		n->p->stage_text = s;
	} else if (n->p->metastatic == 1) {
		n->p->stage = 4; /* the spec: metastatic: true implies IV */
	}
	return 0;
bad:
	return fail(n, CTM_EINVALID, "stage",
		    "expected \"0\", \"I\", \"II\", \"III\" or \"IV\" with an "
		    "optional sub-stage (\"IIIB\", \"IVA\")" GOT,
		    got(n, v));
}

static ctm_concept site_find(const ctm_lexicon *lx, const char *s, size_t len)
{
	ctm_concept c = ctm_lexicon_find(lx, s, len);

	return ctm_lexicon_type(lx, c) == CTM_CT_SITE ? c : 0;
}

/* Adds c to the site list unless it is there already. */
static void add_site(ctm_profile *p, ctm_concept c)
{
	size_t i;

	for (i = 0; i < p->n_sites; i++)
		if (p->sites[i] == c)
			return;
	p->sites[p->n_sites++] = c;
}

static int norm_sites(norm *n, json_t *obj)
{
	json_t *v = get(obj, "metastatic_sites"), *it;
	ctm_term_hit hits[MAX_SCAN_HITS];
	ctm_concept other;
	size_t i, k, nh, cap;
	char field[64], b[64];
	int rc;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail(n, CTM_EINVALID, "metastatic_sites",
			    "expected an array of site names" GOT, got(n, v));
	if (json_array_size(v) > CTM_PROFILE_MAX_ITEMS)
		return fail(n, CTM_ELIMIT, "metastatic_sites",
			    "more than %d items", CTM_PROFILE_MAX_ITEMS);
	/* a text may name several sites ("liver and lung") */
	cap = json_array_size(v) * MAX_SCAN_HITS;
	n->p->has_sites = true;
	if (cap) {
		n->p->sites =
			ctm_arena_alloc(n->p->arena, cap * sizeof(ctm_concept));
		if (!n->p->sites)
			return nomem(n, "metastatic_sites");
	}
	other = ctm_lexicon_concept(n->lx, CTM_CT_SITE, "other");
	json_array_foreach(v, i, it)
	{
		const char *s, *near;
		size_t len;
		ctm_concept c;

		snprintf(field, sizeof(field), "metastatic_sites[%zu]", i);
		if (!json_is_string(it) ||
		    is_blank(json_string_value(it), json_string_length(it)))
			return fail(n, CTM_EINVALID, field,
				    "expected a site name" GOT, got(n, it));
		rc = take_string(n, it, field, &s);
		if (rc)
			return rc;
		len = strlen(s);
		c = site_find(n->lx, s, len);
		/* "lymph nodes", "lungs" */
		if (!c && len > 1 && (s[len - 1] == 's' || s[len - 1] == 'S'))
			c = site_find(n->lx, s, len - 1);
		if (c) {
			add_site(n->p, c);
			continue;
		}
		/* "liver metastases", "liver and lung" */
		nh = ctm_lexicon_scan(n->lx, s, len, TYPE_BIT(CTM_CT_SITE),
				      hits, MAX_SCAN_HITS);
		if (nh > MAX_SCAN_HITS)
			nh = MAX_SCAN_HITS;
		for (k = 0; k < nh; k++)
			add_site(n->p, hits[k].concept);
		if (nh)
			continue;
		near = ctm_lexicon_nearest(n->lx, s, TYPE_BIT(CTM_CT_SITE));
		if (other) {
			add_site(n->p, other);
			rc = warn(n,
				  "%s: " VB "'%s' is " VE
				  "not a known site; counted as "
				  "'other'%s%s%s",
				  field, show(s, b, sizeof(b)),
				  near ? " (nearest: " : "", near ? near : "",
				  near ? ")" : "");
		} else {
			n->p->has_sites = false;
			rc = warn(n,
				  "%s: " VB "'%s' is " VE
				  "not a known site; the site list "
				  "is taken as incomplete%s%s%s",
				  field, show(s, b, sizeof(b)),
				  near ? " (nearest: " : "", near ? near : "",
				  near ? ")" : "");
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int norm_brain(norm *n, json_t *obj)
{
	json_t *v = get(obj, "brain_metastases");
	const char *s, *w;
	char buf[32];
	int rc;

	if (!v)
		return 0;
	if (!json_is_string(v))
		goto bad;
	rc = take_string(n, v, "brain_metastases", &s);
	if (rc)
		return rc;
	w = fold_word(s, buf, sizeof(buf));
	if (!strcmp(w, "none"))
		n->p->brain = CTM_BRAIN_NONE;
	else if (!strcmp(w, "treated_stable"))
		n->p->brain = CTM_BRAIN_TREATED_STABLE;
	else if (!strcmp(w, "active"))
		n->p->brain = CTM_BRAIN_ACTIVE;
	else
		goto bad;
	return 0;
bad:
	return fail(n, CTM_EINVALID, "brain_metastases",
		    "expected \"none\", \"treated_stable\" or \"active\"" GOT,
		    got(n, v));
}

static int norm_flags(norm *n, json_t *obj)
{
	static const struct {
		const char *key;
		size_t off;
	} flags[] = {
		{"resectable", offsetof(ctm_profile, resectable)},
		{"measurable_disease", offsetof(ctm_profile, measurable)},
		{"pregnant", offsetof(ctm_profile, pregnant)},
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		json_t *v = get(obj, flags[i].key);
		if (!v)
			continue;
		rc = take_bool(n, v, flags[i].key,
			       (int8_t *)((char *)n->p + flags[i].off));
		if (rc)
			return rc;
	}
	return 0;
}

static int norm_performance(norm *n, json_t *obj)
{
	json_t *v;
	json_int_t x;
	int rc;

	if ((v = get(obj, "ecog"))) {
		rc = take_int(n, v, "ecog", 0, 5, "an integer from 0 to 5", &x);
		if (rc)
			return rc;
		n->p->ecog = (int)x;
	}
	if ((v = get(obj, "karnofsky"))) {
		rc = take_int(n, v, "karnofsky", 0, 100,
			      "a multiple of 10 from 0 to 100", &x);
		if (rc == 0 && x % 10)
			rc = fail(n, CTM_EINVALID, "karnofsky",
				  "expected a multiple of 10 from 0 to 100" GOT,
				  got(n, v));
		if (rc)
			return rc;
		n->p->karnofsky = (int)x;
	}
	return 0;
}

/* ---- biomarkers ---- */

/*
 * Folds a marker spelling for the tables below: a trailing '+' or '-' is
 * kept as the sign, the rest loses blanks, '-' and '_' and is lower-cased
 * ("MSI-H" -> "msih", "HER2 +" -> "her2+", "HER2-negative" ->
 * "her2negative"). "" if too long.
 */
static const char *fold_marker(const char *s, char *buf, size_t size)
{
	size_t len = strlen(s), n = 0, i;
	char sign = 0;

	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len > 1 && (s[len - 1] == '+' || s[len - 1] == '-'))
		sign = s[--len];
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '-' || c == '_')
			continue;
		if (n + 3 >= size)
			return "";
		buf[n++] = (char)tolower((unsigned char)c);
	}
	if (sign)
		buf[n++] = sign;
	buf[n] = '\0';
	return buf;
}

/* Names that carry their status (spec: "MSI-H", "MSS", "dMMR", ...). */
static const struct {
	const char *folded, *marker;
	ctm_bm_status status;
} name_statuses[] = {
	{"msih", "MSI", CTM_BM_HIGH},
	{"msihigh", "MSI", CTM_BM_HIGH},
	{"msil", "MSI", CTM_BM_LOW},
	{"msilow", "MSI", CTM_BM_LOW},
	{"mss", "MSI", CTM_BM_STABLE},
	{"msistable", "MSI", CTM_BM_STABLE},
	{"dmmr", "MMR", CTM_BM_DEFICIENT},
	{"mmrd", "MMR", CTM_BM_DEFICIENT},
	{"mmrdeficient", "MMR", CTM_BM_DEFICIENT},
	{"pmmr", "MMR", CTM_BM_PROFICIENT},
	{"mmrp", "MMR", CTM_BM_PROFICIENT},
	{"mmrproficient", "MMR", CTM_BM_PROFICIENT},
	{"her2+", "ERBB2", CTM_BM_AMPLIFIED},
	{"her2positive", "ERBB2", CTM_BM_AMPLIFIED},
	{"her2amplified", "ERBB2", CTM_BM_AMPLIFIED},
	{"erbb2+", "ERBB2", CTM_BM_AMPLIFIED},
	{"her2-", "ERBB2", CTM_BM_NOT_AMPLIFIED},
	{"her2negative", "ERBB2", CTM_BM_NOT_AMPLIFIED},
	{"erbb2-", "ERBB2", CTM_BM_NOT_AMPLIFIED},
	{"tmbh", "TMB", CTM_BM_HIGH},
	{"tmbhigh", "TMB", CTM_BM_HIGH},
	{"tmbl", "TMB", CTM_BM_LOW},
	{"tmblow", "TMB", CTM_BM_LOW},
	{"pdl1+", "PD-L1", CTM_BM_POSITIVE},
	{"pdl1positive", "PD-L1", CTM_BM_POSITIVE},
	{"pdl1-", "PD-L1", CTM_BM_NEGATIVE},
	{"pdl1negative", "PD-L1", CTM_BM_NEGATIVE},
};

/* Status words ctm_bm_status_parse() does not know, folded as above. */
static const struct {
	const char *folded;
	ctm_bm_status status;
} status_words[] = {
	{"wildtype", CTM_BM_WILDTYPE},
	{"notamplified", CTM_BM_NOT_AMPLIFIED},
	{"nonamplified", CTM_BM_NOT_AMPLIFIED},
	{"unamplified", CTM_BM_NOT_AMPLIFIED},
	{"msih", CTM_BM_HIGH},
	{"msihigh", CTM_BM_HIGH},
	{"instable", CTM_BM_HIGH},
	{"unstable", CTM_BM_HIGH},
	{"msil", CTM_BM_LOW},
	{"msilow", CTM_BM_LOW},
	{"mss", CTM_BM_STABLE},
	{"msistable", CTM_BM_STABLE},
	{"mmrd", CTM_BM_DEFICIENT},
	{"intact", CTM_BM_PROFICIENT},
	{"mmrp", CTM_BM_PROFICIENT},
	{"rearrangement", CTM_BM_FUSION},
	{"fusionpositive", CTM_BM_FUSION},
	{"overexpression", CTM_BM_OVEREXPRESSED},
	{"+", CTM_BM_POSITIVE},
	{"-", CTM_BM_NEGATIVE},
	{"mutation", CTM_BM_MUTATED},
	{"mutant", CTM_BM_MUTATED},
};

#define BM(s) (1u << (s))
#define GENE_STATUSES                                                          \
	(BM(CTM_BM_ANY) | BM(CTM_BM_MUTATED) | BM(CTM_BM_WILDTYPE) |           \
	 BM(CTM_BM_AMPLIFIED) | BM(CTM_BM_NOT_AMPLIFIED) | BM(CTM_BM_FUSION) | \
	 BM(CTM_BM_OVEREXPRESSED))

static int status_word(const char *s)
{
	char buf[48];
	const char *f;
	size_t i;
	int st = ctm_bm_status_parse(s);

	if (st >= 0)
		return st;
	f = fold_marker(s, buf, sizeof(buf));
	for (i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
		if (!strcmp(f, status_words[i].folded))
			return (int)status_words[i].status;
	return -1;
}

/* The statuses a gene or marker can have (0 = any). */
static unsigned statuses_of(const ctm_lexicon *lx, ctm_concept gene)
{
	const char *name = ctm_lexicon_name(lx, gene);

	if (!gene)
		return 0;
	if (!strcasecmp(name, "MSI"))
		return BM(CTM_BM_HIGH) | BM(CTM_BM_LOW) | BM(CTM_BM_STABLE);
	if (!strcasecmp(name, "MMR"))
		return BM(CTM_BM_DEFICIENT) | BM(CTM_BM_PROFICIENT);
	if (!strcasecmp(name, "TMB") || !strcasecmp(name, "PD-L1"))
		return BM(CTM_BM_HIGH) | BM(CTM_BM_LOW) | BM(CTM_BM_POSITIVE) |
		       BM(CTM_BM_NEGATIVE);
	if (ctm_lexicon_type(lx, gene) == CTM_CT_GENE)
		return GENE_STATUSES;
	return 0;
}

static int norm_status(norm *n, ctm_concept gene, json_t *v, const char *field,
		       ctm_bm_status *out)
{
	const char *s;
	unsigned allowed = statuses_of(n->lx, gene);
	char list[200];
	size_t len = 0;
	int st, i, rc;

	if (!json_is_string(v))
		return fail(n, CTM_EINVALID, field,
			    "expected a status string" GOT, got(n, v));
	rc = take_string(n, v, field, &s);
	if (rc)
		return rc;
	st = status_word(s);
	/* HER2-positive is ERBB2 amplified, as the criteria parser reads it */
	if (gene && !strcasecmp(ctm_lexicon_name(n->lx, gene), "ERBB2")) {
		if (st == CTM_BM_POSITIVE)
			st = CTM_BM_AMPLIFIED;
		else if (st == CTM_BM_NEGATIVE)
			st = CTM_BM_NOT_AMPLIFIED;
	}
	if (st >= 0 && (!allowed || (allowed & BM(st)))) {
		*out = (ctm_bm_status)st;
		return 0;
	}
	if (!allowed)
		return fail(n, CTM_EINVALID, field,
			    "not a known biomarker status" VB ": %s" VE,
			    got(n, v));
	/* "mutated, wild-type, ... or overexpressed" (CTM_BM_ANY left out) */
	list[0] = '\0';
	allowed &= ~BM(CTM_BM_ANY);
	for (i = 1; i < CTM_BM_COUNT_ && len < sizeof(list); i++) {
		if (!(allowed & BM(i)))
			continue;
		allowed &= ~BM(i);
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
					!len	  ? ""
					: allowed ? ", "
						  : " or ",
					ctm_bm_status_name((ctm_bm_status)i));
	}
	return fail(n, CTM_EINVALID, field, "expected %s for %s" GOT, list,
		    ctm_lexicon_name(n->lx, gene), got(n, v));
}

static ctm_concept variant_find(const ctm_lexicon *lx, ctm_concept gene,
				const char *v)
{
	char buf[300];
	ctm_concept c;
	int k;

	if (gene && ctm_lexicon_type(lx, gene) == CTM_CT_GENE) {
		k = snprintf(buf, sizeof(buf), "%s %s",
			     ctm_lexicon_name(lx, gene), v);
		if (k > 0 && (size_t)k < sizeof(buf)) {
			c = ctm_lexicon_find(lx, buf, (size_t)k);
			if (ctm_lexicon_type(lx, c) == CTM_CT_VARIANT &&
			    ctm_lexicon_is_a(lx, c, gene))
				return c;
		}
	}
	c = ctm_lexicon_find(lx, v, strlen(v));
	if (ctm_lexicon_type(lx, c) == CTM_CT_VARIANT &&
	    (!gene || ctm_lexicon_is_a(lx, c, gene)))
		return c;
	return 0;
}

static int warn_unknown_keys(norm *n, json_t *obj, const char *prefix,
			     const char *const *known)
{
	const char *key, *const *k, *near;
	json_t *v;
	char b[64];
	int rc;

	json_object_foreach(obj, key, v)
	{
		for (k = known; *k; k++)
			if (!strcmp(*k, key))
				break;
		if (*k)
			continue;
		near = ctm_nearest_word(key, known, (size_t)-1);
		rc = warn(n, "%s%s%s: unknown key ignored%s%s%s", prefix,
			  *prefix ? "." : "", show(key, b, sizeof(b)),
			  near ? "; did you mean '" : "", near ? near : "",
			  near ? "'?" : "");
		if (rc)
			return rc;
	}
	return 0;
}

static int norm_biomarker(norm *n, json_t *it, size_t i, ctm_biomarker *bm)
{
	static const char *const known[] = {"name", "status", "variant",
					    "value", NULL};
	json_t *vname, *vstatus, *vvar, *vval;
	const char *name, *f;
	char field[64], pre[40], b[64], key[64];
	size_t k;
	int rc, named = -1;

	snprintf(pre, sizeof(pre), "biomarkers[%zu]", i);
	if (!json_is_object(it))
		return fail(n, CTM_EINVALID, pre,
			    "expected an object {\"name\", \"status\", "
			    "\"variant\", \"value\"}" GOT,
			    got(n, it));
	bm->value = NAN;
	vname = get(it, "name");
	vstatus = get(it, "status");
	vvar = get(it, "variant");
	vval = get(it, "value");
	snprintf(field, sizeof(field), "%s.name", pre);
	if (!vname)
		return fail(n, CTM_EINVALID, field,
			    "missing: a gene or marker name (KRAS, MSI, ...)");
	if (!json_is_string(vname))
		return fail(n, CTM_EINVALID, field,
			    "expected a gene or marker name" GOT,
			    got(n, vname));
	rc = take_string(n, vname, field, &name);
	if (rc)
		return rc;
	bm->name = name;

	f = fold_marker(name, key, sizeof(key));
	for (k = 0; k < sizeof(name_statuses) / sizeof(name_statuses[0]); k++)
		if (!strcmp(f, name_statuses[k].folded))
			named = (int)k;
	if (named >= 0) {
		const char *m = name_statuses[named].marker;
		bm->gene = ctm_lexicon_find(n->lx, m, strlen(m));
		bm->status = name_statuses[named].status;
	} else {
		ctm_concept c = ctm_lexicon_find(n->lx, name, strlen(name));
		ctm_concept_type t = ctm_lexicon_type(n->lx, c);
		if (t == CTM_CT_GENE || t == CTM_CT_MARKER) {
			bm->gene = c;
		} else if (t == CTM_CT_VARIANT) {
			/* "KRAS G12C" as the name: the gene it names */
			ctm_term_hit hits[4];
			size_t nh = ctm_lexicon_scan(n->lx, name, strlen(name),
						     TYPE_BIT(CTM_CT_GENE),
						     hits, 4);
			for (k = 0; k < nh && k < 4; k++)
				if (ctm_lexicon_is_a(n->lx, c,
						     hits[k].concept)) {
					bm->gene = hits[k].concept;
					break;
				}
			bm->variant = c;
		}
		if (!bm->gene) {
			const char *near =
				ctm_lexicon_nearest(n->lx, name, GENE_MASK);
			rc = warn(n,
				  "%s: " VB "'%s' is " VE "not a known gene or "
				  "marker%s%s%s",
				  field, show(name, b, sizeof(b)),
				  near ? " (nearest: " : "", near ? near : "",
				  near ? ")" : "");
			if (rc)
				return rc;
		}
	}

	snprintf(field, sizeof(field), "%s.status", pre);
	if (vstatus) {
		ctm_bm_status st = CTM_BM_ANY;
		rc = norm_status(n, bm->gene, vstatus, field, &st);
		if (rc)
			return rc;
		if (named >= 0 && st != bm->status)
			return fail(n, CTM_EINVALID, field,
				    VB "%s " VE NB "the status " NE
				       "contradicts the name" VB
				       " '%s' (%s)" VE,
				    got(n, vstatus), show(name, b, sizeof(b)),
				    ctm_bm_status_name(bm->status));
		bm->status = st;
	} else if (named < 0) {
		if (vvar || bm->variant)
			bm->status = CTM_BM_MUTATED;
		else if (vval)
			bm->status = CTM_BM_ANY;
		else
			return fail(n, CTM_EINVALID, field,
				    "missing: the status" VB " of %s" VE
				    " (mutated, "
				    "wild-type, high, ...)",
				    show(name, b, sizeof(b)));
	}

	if (vvar) {
		const char *vt;
		snprintf(field, sizeof(field), "%s.variant", pre);
		rc = take_string(n, vvar, field, &vt);
		if (rc)
			return rc;
		if (bm->status == CTM_BM_WILDTYPE)
			return fail(n, CTM_EINVALID, field,
				    "a variant" VB " (%s)" VE
				    " contradicts the status "
				    "wild-type",
				    got(n, vvar));
		bm->variant_text = vt;
		bm->variant = variant_find(n->lx, bm->gene, vt);
		if (!bm->variant) {
			rc = warn(n,
				  "%s: " VB "'%s' is " VE "not a known " VB
				  "%s%s" VE "variant",
				  field, show(vt, b, sizeof(b)),
				  ctm_lexicon_name(n->lx, bm->gene),
				  bm->gene ? " " : "");
			if (rc)
				return rc;
		}
	}
	if (vval) {
		snprintf(field, sizeof(field), "%s.value", pre);
		if (!json_is_number(vval))
			return fail(n, CTM_EINVALID, field,
				    "expected a number" GOT, got(n, vval));
		bm->value = json_number_value(vval);
	}
	return warn_unknown_keys(n, it, pre, known);
}

static int norm_biomarkers(norm *n, json_t *obj)
{
	json_t *v = get(obj, "biomarkers"), *it;
	size_t i;
	int rc;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail(n, CTM_EINVALID, "biomarkers",
			    "expected an array of objects" GOT, got(n, v));
	if (json_array_size(v) > CTM_PROFILE_MAX_ITEMS)
		return fail(n, CTM_ELIMIT, "biomarkers", "more than %d items",
			    CTM_PROFILE_MAX_ITEMS);
	n->p->has_biomarkers = true;
	if (json_array_size(v) == 0)
		return 0;
	n->p->biomarkers = ctm_arena_alloc(
		n->p->arena, json_array_size(v) * sizeof(ctm_biomarker));
	if (!n->p->biomarkers)
		return nomem(n, "biomarkers");
	json_array_foreach(v, i, it)
	{
		rc = norm_biomarker(n, it, i, &n->p->biomarkers[i]);
		if (rc)
			return rc;
		n->p->n_biomarkers++;
	}
	return 0;
}

/* ---- prior therapies ---- */

static int norm_therapy(norm *n, json_t *it, size_t i, ctm_therapy *t)
{
	static const char *const known[] = {"name",	  "line",     "setting",
					    "progressed", "end_date", NULL};
	json_t *v;
	const char *s;
	char field[64], pre[40], b[64], w[32];
	json_int_t line;
	ctm_concept c;
	int rc;

	snprintf(pre, sizeof(pre), "prior_therapies[%zu]", i);
	if (!json_is_object(it))
		return fail(n, CTM_EINVALID, pre,
			    "expected an object {\"name\", \"line\", "
			    "\"setting\", \"progressed\", \"end_date\"}" GOT,
			    got(n, it));
	t->progressed = -1;
	snprintf(field, sizeof(field), "%s.name", pre);
	v = get(it, "name");
	if (!v)
		return fail(n, CTM_EINVALID, field,
			    "missing: a drug, regimen, drug class or "
			    "procedure name");
	if (!json_is_string(v))
		return fail(n, CTM_EINVALID, field,
			    "expected a therapy name" GOT, got(n, v));
	rc = take_string(n, v, field, &s);
	if (rc)
		return rc;
	t->name = s;
	c = ctm_lexicon_find(n->lx, s, strlen(s));
	if (c && (THERAPY_MASK & TYPE_BIT(ctm_lexicon_type(n->lx, c)))) {
		t->concept = c;
	} else {
		const char *near = ctm_lexicon_nearest(n->lx, s, THERAPY_MASK);
		rc = warn(
			n, "%s: " VB "'%s' is " VE "not a known therapy%s%s%s",
			field, show(s, b, sizeof(b)), near ? " (nearest: " : "",
			near ? near : "", near ? ")" : "");
		if (rc)
			return rc;
	}
	if ((v = get(it, "line"))) {
		snprintf(field, sizeof(field), "%s.line", pre);
		rc = take_int(n, v, field, 1, 99,
			      "an integer from 1 to 99 (the line of therapy)",
			      &line);
		if (rc)
			return rc;
		t->line = (int)line;
	}
	if ((v = get(it, "setting"))) {
		snprintf(field, sizeof(field), "%s.setting", pre);
		if (!json_is_string(v))
			goto bad_setting;
		rc = take_string(n, v, field, &s);
		if (rc)
			return rc;
		fold_word(s, w, sizeof(w));
		if (!strcmp(w, "neoadjuvant"))
			t->setting = CTM_SETTING_NEOADJUVANT;
		else if (!strcmp(w, "adjuvant"))
			t->setting = CTM_SETTING_ADJUVANT;
		else if (!strcmp(w, "metastatic"))
			t->setting = CTM_SETTING_METASTATIC;
		else
			goto bad_setting;
	}
	if ((v = get(it, "progressed"))) {
		snprintf(field, sizeof(field), "%s.progressed", pre);
		rc = take_bool(n, v, field, &t->progressed);
		if (rc)
			return rc;
	}
	if ((v = get(it, "end_date"))) {
		snprintf(field, sizeof(field), "%s.end_date", pre);
		rc = take_date(n, v, field, &t->end_date);
		if (rc)
			return rc;
	}
	return warn_unknown_keys(n, it, pre, known);
bad_setting:
	return fail(
		n, CTM_EINVALID, field,
		"expected \"neoadjuvant\", \"adjuvant\" or \"metastatic\"" GOT,
		got(n, v));
}

static int norm_therapies(norm *n, json_t *obj)
{
	json_t *v = get(obj, "prior_therapies"), *it;
	size_t i;
	int rc;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return fail(n, CTM_EINVALID, "prior_therapies",
			    "expected an array of objects" GOT, got(n, v));
	if (json_array_size(v) > CTM_PROFILE_MAX_ITEMS)
		return fail(n, CTM_ELIMIT, "prior_therapies",
			    "more than %d items", CTM_PROFILE_MAX_ITEMS);
	n->p->has_therapies = true;
	if (json_array_size(v) == 0)
		return 0;
	n->p->therapies = ctm_arena_alloc(
		n->p->arena, json_array_size(v) * sizeof(ctm_therapy));
	if (!n->p->therapies)
		return nomem(n, "prior_therapies");
	json_array_foreach(v, i, it)
	{
		rc = norm_therapy(n, it, i, &n->p->therapies[i]);
		if (rc)
			return rc;
		n->p->n_therapies++;
	}
	return 0;
}

/* ---- labs, location ---- */

/*
 * One lab value: a number in the profile's unit, or {"value": n, "unit":
 * "<UCUM>"} converted to it (units.tsv); either way it must
 * be plausible in the profile's unit, else it was typed in another unit.
 */
static int norm_lab_value(norm *n, json_t *v, const char *field,
			  ctm_concept lab, double *out)
{
	const char *unit = NULL, *pu = NULL;
	json_t *num = v, *u;
	double lo = 0, hi = 0;
	char b[64];
	int rc;

	if (json_is_object(v)) {
		num = json_object_get(v, "value");
		u = json_object_get(v, "unit");
		if (u && !json_is_string(u))
			return fail(n, CTM_EINVALID, field,
				    "expected a UCUM unit string" GOT,
				    got(n, u));
		unit = u ? json_string_value(u) : NULL;
		if (!num)
			return fail(n, CTM_EINVALID, field,
				    "expected {\"value\": number, \"unit\": "
				    "\"UCUM unit\"}, no value given");
	}
	if (!json_is_number(num) || json_number_value(num) < 0)
		return fail(n, CTM_EINVALID, field,
			    "expected a number >= 0" GOT, got(n, num));
	rc = ctm_lexicon_lab_value(n->lx, lab, json_number_value(num), unit,
				   out);
	if (rc == CTM_ENOTFOUND)
		return fail(n, CTM_EINVALID, field,
			    "unit" VB " \"%s\"" VE
			    " does not convert to this lab's "
			    "unit",
			    show(unit, b, sizeof(b)));
	if (rc == CTM_EINVALID) {
		ctm_lexicon_lab_range(n->lx, lab, &pu, &lo, &hi);
		return fail(n, CTM_EINVALID, field,
			    VB "%g%s%s is " VE
			       "not a plausible value (%g..%g %s): "
			       "typed in another unit?",
			    json_number_value(num), unit ? " " : "",
			    unit ? show(unit, b, sizeof(b)) : "", lo, hi, pu);
	}
	return 0;
}

/* The labs a profile holds (labs.tsv measure lines with a key): "anc,
 * platelets, ...". */
static const char *lab_key_list(const ctm_lexicon *lx, char *buf, size_t size)
{
	const ctm_lab_info *l;
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; (l = ctm_lexicon_profile_lab(lx, i)) && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? ", " : "", l->key);
	return buf;
}

/* "labs": {key: value}, each key a lab of labs.tsv, into (lab, value)
 * pairs. */
static int norm_labs(norm *n, json_t *obj)
{
	json_t *labs = get(obj, "labs"), *v;
	const ctm_lab_info *l;
	const char *key;
	char field[80], b[64], list[400];
	int rc;

	if (!labs)
		return 0;
	if (!json_is_object(labs))
		return fail(n, CTM_EINVALID, "labs",
			    "expected an object of numbers" GOT, got(n, labs));
	n->p->labs = ctm_arena_alloc(n->p->arena, (json_object_size(labs) +
						   1) * sizeof(ctm_lab_value));
	if (!n->p->labs)
		return nomem(n, "labs");
	json_object_foreach(labs, key, v)
	{
		double value;
		if (!(l = ctm_lexicon_lab_by_key(n->lx, key))) {
			rc = warn(n, "labs.%s: not a known lab (%s); ignored",
				  show(key, b, sizeof(b)),
				  lab_key_list(n->lx, list, sizeof(list)));
			if (rc)
				return rc;
			continue;
		}
		if (json_is_null(v) ||
		    (json_is_string(v) &&
		     is_blank(json_string_value(v), json_string_length(v))))
			continue;
		snprintf(field, sizeof(field), "labs.%s", key);
		rc = norm_lab_value(n, v, field, l->lab, &value);
		if (rc)
			return rc;
		n->p->labs[n->p->n_labs].lab = l->lab;
		n->p->labs[n->p->n_labs++].value = value;
	}
	return 0;
}

static int norm_location(norm *n, json_t *obj)
{
	static const char *const known[] = {"country", "state", "city", "zip",
					    NULL};
	json_t *loc = get(obj, "location"), *v;
	const char **dst[4];
	char field[40];
	size_t i;
	int rc;

	if (!loc)
		return 0;
	if (!json_is_object(loc))
		return fail(n, CTM_EINVALID, "location",
			    "expected an object {\"country\", \"state\", "
			    "\"city\", \"zip\"}" GOT,
			    got(n, loc));
	dst[0] = &n->p->country;
	dst[1] = &n->p->state;
	dst[2] = &n->p->city;
	dst[3] = &n->p->zip;
	for (i = 0; i < 4; i++) {
		if (!(v = get(loc, known[i])))
			continue;
		snprintf(field, sizeof(field), "location.%s", known[i]);
		rc = take_string(n, v, field, dst[i]);
		if (rc)
			return rc;
	}
	return warn_unknown_keys(n, loc, "location", known);
}

int ctm_profile_from_json(json_t *obj, const ctm_lexicon *lx, int32_t today,
			  const char *source, const ctm_profile_where *where,
			  unsigned flags, ctm_criteria_ctx *dx,
			  ctm_profile **out, ctm_error *err)
{
	static const char *const known[] = {"id",
					    "age",
					    "birth_date",
					    "sex",
					    "diagnosis",
					    "stage",
					    "metastatic",
					    "metastatic_sites",
					    "brain_metastases",
					    "resectable",
					    "measurable_disease",
					    "ecog",
					    "karnofsky",
					    "biomarkers",
					    "prior_therapies",
					    "labs",
					    "pregnant",
					    "location",
					    NULL};
	norm n;
	int rc;

	*out = NULL;
	memset(&n, 0, sizeof(n));
	n.lx = lx;
	n.today = today;
	n.source = source;
	n.where = where;
	n.err = err;
	n.show_values = (flags & CTM_PROFILE_SHOW_VALUES) != 0;
	n.dx = dx;
	if (!json_is_object(obj)) {
		int line = where ? where->line : 0;
		int col = where ? where->column : 0;
		return set_error(err, CTM_EINVALID, source, line, col,
				 n.show_values,
				 "expected a JSON object (one patient "
				 "profile)" GOT,
				 got(&n, obj));
	}
	n.p = ctm_profile_new();
	if (!n.p)
		return ctm_error_set(err, CTM_ENOMEM, source, 0, 0,
				     "out of memory");
	if ((rc = norm_id(&n, obj)) || (rc = norm_age(&n, obj)) ||
	    (rc = norm_sex(&n, obj)) || (rc = norm_diagnosis(&n, obj)) ||
	    (rc = norm_stage(&n, obj)) || (rc = norm_sites(&n, obj)) ||
	    (rc = norm_brain(&n, obj)) || (rc = norm_flags(&n, obj)) ||
	    (rc = norm_performance(&n, obj)) ||
	    (rc = norm_biomarkers(&n, obj)) || (rc = norm_therapies(&n, obj)) ||
	    (rc = norm_labs(&n, obj)) || (rc = norm_location(&n, obj)) ||
	    (rc = warn_unknown_keys(&n, obj, "", known)))
		goto done;
	if (n.warnings_cut) {
		n.warnings[n.n_warnings++] = "further warnings left out";
	}
	if (ctm_profile_add_warnings(n.p, n.warnings, n.n_warnings)) {
		rc = nomem(&n, "warnings");
		goto done;
	}
done:
	if (rc) {
		ctm_profile_free(n.p);
		return rc;
	}
	*out = n.p;
	return 0;
}

/* ------------------------------------------------------------------ */
/* One profile from JSON text                                          */
/* ------------------------------------------------------------------ */

static size_t skip_bom(const char *s, size_t len)
{
	return len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

/*
 * Parses text[0..len) (one JSON value) whose first byte sits at line/col,
 * and normalises it. JSON syntax errors are CTM_EPARSE with jansson's line
 * and column moved to the source's coordinates.
 */
/* parse_object_at() flags */
#define PARSE_LIMIT 1u /* more than CTM_PROFILE_MAX_BYTES is CTM_ELIMIT */
#define PARSE_CUT   2u /* the text was cut short at the bound */
#define PARSE_SHOW  4u /* messages show values (CTM_PROFILE_SHOW_VALUES) */

/* A FHIR resource: "resourceType" among the first bytes of the object. */
static bool looks_fhir(const char *text, size_t len)
{
	size_t n = len < 4096 ? len : 4096, i;

	for (i = 0; i + 14 <= n; i++)
		if (!memcmp(text + i, "\"resourceType\"", 14))
			return true;
	return false;
}

static int parse_object_at(const char *text, size_t len, int line, int col,
			   const char *source, const ctm_lexicon *lx,
			   int32_t today, unsigned flags, ctm_criteria_ctx *dx,
			   ctm_profile **out, ctm_error *err)
{
	ctm_profile_where where;
	json_error_t je;
	json_t *obj;
	char jt[JSON_ERROR_TEXT_LENGTH + 8];
	unsigned pflags = flags & PARSE_SHOW ? CTM_PROFILE_SHOW_VALUES : 0;
	int rc;

	*out = NULL;
	if ((flags & PARSE_LIMIT) && len > CTM_PROFILE_MAX_BYTES &&
	    !(len <= CTM_FHIR_MAX_BYTES && looks_fhir(text, len)))
		return ctm_error_set(err, CTM_ELIMIT, source, line, col,
				     "a profile of more than %zu bytes",
				     (size_t)CTM_PROFILE_MAX_BYTES);
	obj = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
			 &je);
	if (!obj && (flags & PARSE_CUT) &&
	    json_error_code(&je) == json_error_premature_end_of_input)
		return ctm_error_set(err, CTM_EPARSE, source, line, col,
				     "invalid JSON: a profile not closed "
				     "within %zu bytes",
				     (size_t)CTM_PROFILE_MAX_BYTES);
	if (!obj) {
		int l = line, c = col;
		if (je.line >= 1) {
			l = line + je.line - 1;
			c = je.line == 1
				    ? col + (je.column > 0 ? je.column : 1) - 1
				    : je.column;
		}
		return set_error(err, CTM_EPARSE, source, l, c,
				 (flags & PARSE_SHOW) != 0, "invalid JSON: %s",
				 ctm_json_error_text(je.text, jt, sizeof(jt)));
	}
	where.text = text;
	where.len = len;
	where.line = line;
	where.column = col;
	if (ctm_fhir_is_resource(obj)) /* FHIR, told by content */
		rc = ctm_fhir_profile(obj, lx, today, source, &where, pflags,
				      dx, out, err);
	else
		rc = ctm_profile_from_json(obj, lx, today, source, &where,
					   pflags, dx, out, err);
	json_decref(obj);
	return rc;
}

int ctm_profile_parse(const char *text, size_t len, const char *source,
		      const ctm_lexicon *lx, int32_t today, ctm_profile **out,
		      ctm_error *err)
{
	return ctm_profile_parse_flags(text, len, source, lx, today, 0, out,
				       err);
}

int ctm_profile_parse_flags(const char *text, size_t len, const char *source,
			    const ctm_lexicon *lx, int32_t today,
			    unsigned flags, ctm_profile **out, ctm_error *err)
{
	size_t b;

	if (!text)
		text = "";
	b = skip_bom(text, len);

	ctm_error_clear(err);
	*out = NULL;
	if (len - b > CTM_PROFILE_MAX_BYTES &&
	    !(len - b <= CTM_FHIR_MAX_BYTES && looks_fhir(text + b, len - b)))
		return ctm_error_set(err, CTM_ELIMIT, source, 0, 0,
				     "a profile of more than %zu bytes",
				     (size_t)CTM_PROFILE_MAX_BYTES);
	return parse_object_at(text + b, len - b, 1, 1, source, lx, today,
			       flags & CTM_PROFILE_SHOW_VALUES ? PARSE_SHOW : 0,
			       NULL, out, err);
}

/* ------------------------------------------------------------------ */
/* The reader                                                          */
/* ------------------------------------------------------------------ */

enum reader_mode {
	MODE_DONE = 0, /* this source is exhausted (next file, or the end) */
	MODE_ARRAY,    /* a JSON array of profiles */
	MODE_LINES,    /* NDJSON: one object a line */
	MODE_STREAM,   /* objects one after another (a pretty-printed one) */
	MODE_CSV,      /* a CSV roster */
};

struct ctm_profile_reader {
	const ctm_lexicon *lx;
	int32_t today;
	unsigned flags;	      /* CTM_PROFILE_SHOW_VALUES */
	ctm_criteria_ctx *dx; /* reads diagnoses, or NULL */

	/* a directory: its *.json files, sorted; next_file is the next one */
	char *dir;
	char **files;
	size_t n_files, next_file;

	/* the current source */
	char name[CTM_ERROR_FILE_MAX];
	char *owned; /* buf when it is ours */
	const char *buf;
	size_t len, pos;
	enum reader_mode mode;
	bool sep; /* array: an element was read, a ',' or ']' comes next */
	/* line counting: line `lline` starts at offset `lstart`, and every
	 * offset before `lpos` has been counted */
	size_t lpos, lstart;
	int lline;
	ctm_csv *csv;
	int last_line; /* where the profile last read starts */
	ctm_fhir_bulk *bulk; /* a Bulk FHIR export directory */
};

/* Line and column (in characters) of offset off of the current source. */
static void reader_pos(ctm_profile_reader *r, size_t off, int *line, int *col)
{
	size_t i;

	if (off < r->lpos) {
		r->lpos = r->lstart = 0;
		r->lline = 1;
	}
	for (i = r->lpos; i < off; i++)
		if (r->buf[i] == '\n') {
			r->lline++;
			r->lstart = i + 1;
		}
	r->lpos = off;
	*line = r->lline;
	*col = 1;
	count_pos(r->buf + r->lstart, off - r->lstart, line, col);
	*line = r->lline;
}

static int reader_parse(ctm_profile_reader *r, size_t start, size_t end,
			unsigned flags, ctm_profile **out, ctm_error *err)
{
	int line, col;

	reader_pos(r, start, &line, &col);
	r->last_line = line;
	if (r->flags & CTM_PROFILE_SHOW_VALUES)
		flags |= PARSE_SHOW;
	return parse_object_at(r->buf + start, end - start, line, col, r->name,
			       r->lx, r->today, flags, r->dx, out, err);
}

static int reader_error(ctm_profile_reader *r, size_t off, ctm_error *err,
			int code, const char *msg)
{
	int line, col;

	reader_pos(r, off, &line, &col);
	r->mode = MODE_DONE;
	return ctm_error_set(err, code, r->name, line, col, "%s", msg);
}

/*
 * The value at start cannot be delimited (an unclosed string or bracket):
 * nothing after it can be trusted, so the source ends here. jansson says
 * where it breaks, reading no further than one profile's bound (a missing
 * bracket early in a large array must not make it parse the whole rest).
 */
static int reader_broken(ctm_profile_reader *r, size_t start, ctm_profile **out,
			 ctm_error *err)
{
	size_t end = r->len - start > CTM_PROFILE_MAX_BYTES
			     ? start + CTM_PROFILE_MAX_BYTES
			     : r->len;
	int rc = reader_parse(r, start, end, end < r->len ? PARSE_CUT : 0, out,
			      err);

	r->mode = MODE_DONE;
	if (rc == 0) { /* jansson took what the scan could not delimit */
		ctm_profile_free(*out);
		*out = NULL;
		rc = reader_error(r, start, err, CTM_EPARSE,
				  "invalid JSON: a profile expected");
	}
	return rc;
}

/*
 * NDJSON (one object a line) rather than pretty-printed objects: the first
 * object ends on its first line, or (that line being broken) the next
 * non-blank line starts another object, which the second line of a
 * pretty-printed object never does.
 */
static bool looks_like_ndjson(const char *s, size_t len, size_t pos)
{
	const char *nl = memchr(s + pos, '\n', len - pos);
	size_t eol = nl ? (size_t)(nl - s) : len, end;

	end = skip_value(s, eol, pos);
	if (end != NO_END)
		return true;
	pos = skip_ws(s, len, eol);
	return pos < len && s[pos] == '{';
}

/* Chooses how to read the source in r->buf; 0, or an error. */
static int reader_start(ctm_profile_reader *r, bool json_only, ctm_error *err)
{
	size_t b = skip_bom(r->buf, r->len);

	r->pos = skip_ws(r->buf, r->len, b);
	r->lpos = r->lstart = 0;
	r->lline = 1;
	r->sep = false;
	r->mode = MODE_DONE;
	if (r->pos >= r->len) {
		if (json_only)
			return reader_error(r, r->pos, err, CTM_EPARSE,
					    "empty file: expected a JSON "
					    "object or array");
		return 0;
	}
	switch (r->buf[r->pos]) {
	case '[':
		r->pos++;
		r->mode = MODE_ARRAY;
		return 0;
	case '{':
		r->mode = looks_like_ndjson(r->buf, r->len, r->pos)
				  ? MODE_LINES
				  : MODE_STREAM;
		return 0;
	default:
		if (json_only)
			return reader_error(r, r->pos, err, CTM_EPARSE,
					    "not JSON: a *.json file must "
					    "hold a profile object or an array "
					    "of them");
		r->mode = MODE_CSV;
		return ctm_csv_open(&r->csv, r->buf, r->len, r->name, r->lx,
				    err);
	}
}

static int next_lines(ctm_profile_reader *r, ctm_profile **out, ctm_error *err)
{
	int rc;

	while (r->pos < r->len) {
		size_t start = r->pos, end;
		const char *nl = memchr(r->buf + start, '\n', r->len - start);

		end = nl ? (size_t)(nl - r->buf) : r->len;
		r->pos = nl ? end + 1 : r->len;
		if (is_blank(r->buf + start, end - start))
			continue;
		if (start == 0)
			start = skip_bom(r->buf, end);
		rc = reader_parse(r, start, end, PARSE_LIMIT, out, err);
		return rc ? rc : 1;
	}
	r->mode = MODE_DONE;
	return 0;
}

static int next_stream(ctm_profile_reader *r, ctm_profile **out, ctm_error *err)
{
	size_t start = r->pos = skip_ws(r->buf, r->len, r->pos), end;
	int rc;

	if (start >= r->len) {
		r->mode = MODE_DONE;
		return 0;
	}
	end = skip_value(r->buf, r->len, start);
	if (end == NO_END || end == start)
		return reader_broken(r, start, out, err);
	r->pos = end;
	rc = reader_parse(r, start, end, PARSE_LIMIT, out, err);
	return rc ? rc : 1;
}

static int next_array(ctm_profile_reader *r, ctm_profile **out, ctm_error *err)
{
	size_t start, end;
	int rc;

	r->pos = skip_ws(r->buf, r->len, r->pos);
	if (r->pos >= r->len)
		return reader_error(r, r->pos, err, CTM_EPARSE,
				    "invalid JSON: the array is not closed "
				    "(']' expected near end of file)");
	if (r->buf[r->pos] == ']') {
		r->pos = skip_ws(r->buf, r->len, r->pos + 1);
		if (r->pos < r->len)
			return reader_error(r, r->pos, err, CTM_EPARSE,
					    "invalid JSON: text after the end "
					    "of the array");
		r->mode = MODE_DONE;
		return 0;
	}
	if (r->sep) {
		if (r->buf[r->pos] != ',')
			return reader_error(r, r->pos, err, CTM_EPARSE,
					    "invalid JSON: ',' or ']' "
					    "expected between profiles");
		r->pos = skip_ws(r->buf, r->len, r->pos + 1);
		if (r->pos >= r->len || r->buf[r->pos] == ']')
			return reader_error(r, r->pos, err, CTM_EPARSE,
					    "invalid JSON: a profile expected "
					    "after ','");
	}
	start = r->pos;
	end = skip_value(r->buf, r->len, start);
	if (end == NO_END || end == start)
		return reader_broken(r, start, out, err);
	r->sep = true;
	r->pos = end;
	rc = reader_parse(r, start, end, PARSE_LIMIT, out, err);
	return rc ? rc : 1;
}

static int next_csv(ctm_profile_reader *r, ctm_profile **out, ctm_error *err)
{
	ctm_profile_where where;
	json_t *obj;
	int line, rc;

	rc = ctm_csv_next(r->csv, &obj, &line, err);
	if (rc <= 0) {
		if (rc == 0)
			r->mode = MODE_DONE;
		return rc;
	}
	where.text = NULL;
	where.len = 0;
	where.line = line;
	where.column = 0;
	r->last_line = line;
	rc = ctm_profile_from_json(obj, r->lx, r->today, r->name, &where,
				   r->flags, r->dx, out, err);
	json_decref(obj);
	return rc ? rc : 1;
}

/* Reads a whole stream into a malloc'd buffer, at most 1 GiB. */
static int read_all(FILE *f, const char *name, char **out, size_t *len,
		    ctm_error *err)
{
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0, got_n;

	for (;;) {
		if (cap - n < 65536) {
			size_t ncap = cap ? cap * 2 : 65536;
			if (ncap > CTM_PROFILE_MAX_SOURCE + 65536)
				ncap = CTM_PROFILE_MAX_SOURCE + 65536;
			if (n > CTM_PROFILE_MAX_SOURCE) {
				free(buf);
				return ctm_error_set(
					err, CTM_ELIMIT, name, 0, 0,
					"larger than %zu bytes",
					(size_t)CTM_PROFILE_MAX_SOURCE);
			}
			nb = realloc(buf, ncap + 1);
			if (!nb) {
				free(buf);
				return ctm_error_set(err, CTM_ENOMEM, name, 0,
						     0, "out of memory");
			}
			buf = nb;
			cap = ncap;
		}
		got_n = fread(buf + n, 1, cap - n, f);
		n += got_n;
		if (got_n == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return ctm_error_set(err, CTM_EIO, name, 0, 0,
				     "cannot read: %s", strerror(errno));
	}
	if (n > CTM_PROFILE_MAX_SOURCE) {
		free(buf);
		return ctm_error_set(err, CTM_ELIMIT, name, 0, 0,
				     "larger than %zu bytes",
				     (size_t)CTM_PROFILE_MAX_SOURCE);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int read_path(const char *path, char **out, size_t *len, ctm_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	int rc;

	if (!f)
		return ctm_error_set(
			err, errno == ENOENT ? CTM_ENOTFOUND : CTM_EIO, path, 0,
			0, "cannot open: %s", strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > CTM_PROFILE_MAX_SOURCE) {
		fclose(f);
		return ctm_error_set(err, CTM_ELIMIT, path, 0, 0,
				     "larger than %zu bytes",
				     (size_t)CTM_PROFILE_MAX_SOURCE);
	}
	rc = read_all(f, path, out, len, err);
	fclose(f);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_json_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 &&
	       !strcasecmp(name + len - 5, ".json");
}

/* Lists the *.json regular files of r->dir, sorted by name. */
static int list_dir(ctm_profile_reader *r, ctm_error *err)
{
	DIR *d = opendir(r->dir);
	struct dirent *e;
	size_t cap = 0;
	char path[4096];
	struct stat st;
	int rc = 0;

	if (!d)
		return ctm_error_set(err, CTM_EIO, r->dir, 0, 0,
				     "cannot open directory: %s",
				     strerror(errno));
	while ((e = readdir(d))) {
		if (!is_json_name(e->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", r->dir,
				     e->d_name) >= sizeof(path) ||
		    stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (r->n_files == MAX_DIR_FILES) {
			rc = ctm_error_set(err, CTM_ELIMIT, r->dir, 0, 0,
					   "more than %d *.json files",
					   MAX_DIR_FILES);
			goto done;
		}
		if (r->n_files == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nf = realloc(r->files, ncap * sizeof(*nf));
			if (!nf) {
				rc = ctm_error_set(err, CTM_ENOMEM, r->dir, 0,
						   0, "out of memory");
				goto done;
			}
			r->files = nf;
			cap = ncap;
		}
		r->files[r->n_files] = strdup(e->d_name);
		if (!r->files[r->n_files]) {
			rc = ctm_error_set(err, CTM_ENOMEM, r->dir, 0, 0,
					   "out of memory");
			goto done;
		}
		r->n_files++;
	}
	if (r->n_files)
		qsort(r->files, r->n_files, sizeof(*r->files), cmp_names);
done:
	closedir(d);
	return rc;
}

static void set_name(ctm_profile_reader *r, const char *name)
{
	snprintf(r->name, sizeof(r->name), "%s", name);
}

/* Opens the next file of the directory as the current source. */
static int next_file(ctm_profile_reader *r, ctm_error *err)
{
	const char *file = r->files[r->next_file++];
	char *path;
	size_t plen = strlen(r->dir) + strlen(file) + 2;
	int rc;

	free(r->owned);
	r->owned = NULL;
	r->buf = "";
	r->len = 0;
	r->mode = MODE_DONE;
	path = malloc(plen);
	if (!path)
		return ctm_error_set(err, CTM_ENOMEM, r->dir, 0, 0,
				     "out of memory");
	snprintf(path, plen, "%s/%s", r->dir, file);
	set_name(r, path);
	rc = read_path(path, &r->owned, &r->len, err);
	free(path);
	if (rc)
		return rc;
	r->buf = r->owned;
	return reader_start(r, true, err);
}

static int reader_new(ctm_profile_reader **out, const ctm_lexicon *lx,
		      int32_t today, ctm_error *err)
{
	ctm_profile_reader *r = calloc(1, sizeof(*r));

	*out = r;
	if (!r)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	r->lx = lx;
	r->today = today;
	r->buf = "";
	r->lline = 1;
	return 0;
}

int ctm_profile_reader_open(ctm_profile_reader **out, const char *path,
			    const ctm_lexicon *lx, int32_t today,
			    ctm_error *err)
{
	ctm_profile_reader *r;
	struct stat st;
	int rc;

	ctm_error_clear(err);
	*out = NULL;
	rc = reader_new(&r, lx, today, err);
	if (rc)
		return rc;
	if (!strcmp(path, "-")) {
		set_name(r, "stdin");
		rc = read_all(stdin, "stdin", &r->owned, &r->len, err);
	} else if (stat(path, &st) != 0) {
		rc = ctm_error_set(
			err, errno == ENOENT ? CTM_ENOTFOUND : CTM_EIO, path, 0,
			0, "cannot open: %s", strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		set_name(r, path);
		r->dir = strdup(path);
		if (r->dir && ctm_fhir_dir_is_bulk(path))
			rc = ctm_fhir_bulk_open(&r->bulk, path, err);
		else
			rc = r->dir ? list_dir(r, err)
				    : ctm_error_set(err, CTM_ENOMEM, path, 0, 0,
						    "out of memory");
		goto done;
	} else {
		set_name(r, path);
		rc = read_path(path, &r->owned, &r->len, err);
	}
	if (rc == 0) {
		r->buf = r->owned;
		rc = reader_start(r, false, err);
	}
done:
	if (rc) {
		ctm_profile_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int ctm_profile_reader_open_memory(ctm_profile_reader **out, const char *buf,
				   size_t len, const char *name,
				   const ctm_lexicon *lx, int32_t today,
				   ctm_error *err)
{
	ctm_profile_reader *r;
	int rc;

	ctm_error_clear(err);
	*out = NULL;
	if (len > CTM_PROFILE_MAX_SOURCE)
		return ctm_error_set(err, CTM_ELIMIT, name, 0, 0,
				     "larger than %zu bytes",
				     (size_t)CTM_PROFILE_MAX_SOURCE);
	rc = reader_new(&r, lx, today, err);
	if (rc)
		return rc;
	set_name(r, name ? name : "memory");
	r->buf = buf;
	r->len = len;
	rc = reader_start(r, false, err);
	if (rc) {
		ctm_profile_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

void ctm_profile_reader_set_flags(ctm_profile_reader *r, unsigned flags)
{
	r->flags = flags;
}

void ctm_profile_reader_set_criteria(ctm_profile_reader *r,
				     ctm_criteria_ctx *ctx)
{
	r->dx = ctx;
}

void ctm_profile_reader_where(const ctm_profile_reader *r,
			      const char **source, int *line)
{
	*source = r->name;
	*line = r->last_line;
}

/* The next patient of a Bulk FHIR export (profile_fhir.c groups them). */
static int next_bulk(ctm_profile_reader *r, ctm_profile **out, ctm_error *err)
{
	ctm_profile_where where = {NULL, 0, 0, 0};
	const char *name;
	json_t *bundle;
	int rc = ctm_fhir_bulk_next(r->bulk,
				    (r->flags & CTM_PROFILE_SHOW_VALUES) != 0,
				    &bundle, err);

	ctm_fhir_bulk_where(r->bulk, &name, &r->last_line);
	set_name(r, name);
	if (rc <= 0)
		return rc;
	where.line = r->last_line;
	where.column = 1;
	rc = ctm_fhir_profile(bundle, r->lx, r->today, r->name, &where,
			      r->flags, r->dx, out, err);
	json_decref(bundle);
	return rc ? rc : 1;
}

int ctm_profile_reader_next(ctm_profile_reader *r, ctm_profile **out,
			    ctm_error *err)
{
	int rc;

	ctm_error_clear(err);
	*out = NULL;
	if (r->bulk)
		return next_bulk(r, out, err);
	for (;;) {
		switch (r->mode) {
		case MODE_ARRAY: rc = next_array(r, out, err); break;
		case MODE_LINES: rc = next_lines(r, out, err); break;
		case MODE_STREAM: rc = next_stream(r, out, err); break;
		case MODE_CSV: rc = next_csv(r, out, err); break;
		case MODE_DONE:
		default:
			ctm_csv_close(r->csv);
			r->csv = NULL;
			if (!r->dir || r->next_file >= r->n_files)
				return 0;
			rc = next_file(r, err);
			if (rc)
				return rc;
			continue;
		}
		if (rc != 0 || r->mode != MODE_DONE)
			return rc;
	}
}

void ctm_profile_reader_close(ctm_profile_reader *r)
{
	size_t i;

	if (!r)
		return;
	ctm_csv_close(r->csv);
	ctm_fhir_bulk_close(r->bulk);
	for (i = 0; i < r->n_files; i++)
		free(r->files[i]);
	free(r->files);
	free(r->dir);
	free(r->owned);
	free(r);
}
