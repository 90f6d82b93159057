/*
 * ctgov_json.c - ClinicalTrials.gov study records in JSON.
 *
 * API v2 study objects, alone, in a search response ({"studies": [...]}),
 * in a JSON array or one per line (NDJSON); and the retired classic API's
 * {"FullStudiesResponse": ...} (see ctm/parsers.h).
 *
 * jansson decodes every value. This file only steps over the skeleton of
 * the outermost containers - '[', ',', ']', a wrapper object's keys and
 * ':' - so that a search response or an array of any size is read one
 * study at a time, each study a json_loadb() of its own bytes. Files are
 * read through a window that grows to hold the value being decoded, up to
 * CTM_MAX_RECORD_BYTES: a value that does not fit is CTM_ELIMIT.
 *
 * A top-level object is told by its keys: a study key ("protocolSection",
 * "derivedSection", ..., or the classic "Study"/"ProtocolSection") means a
 * study, decoded whole from its '{'; "studies" a search response and
 * "FullStudiesResponse" a classic response, whose arrays are then read
 * element by element; other keys are decoded and skipped.
 *
 * Errors. A study that is well-formed JSON but wrong (missing or bad NCT
 * id, an unknown status, a value of the wrong type) is rejected alone,
 * naming its JSON path; reading goes on. A syntax error ends the document,
 * except when the broken value is a top-level object starting at the
 * beginning of a line - the NDJSON layout - where reading resumes at the
 * next line that starts with '{' (a pretty-printed document has none, so
 * it ends there too).
 *
 * Field rules: those of ctgov_xml.c. Text is trimmed (space, tab, CR,
 * LF) except criteria_text; an empty status, sex or date counts as absent;
 * JSON null counts as absent; a value that does not parse rejects the
 * study.
 *   first_posted   statusModule.studyFirstPostDateStruct.date, else
 *                  statusModule.studyFirstSubmitDate
 *   last_update    statusModule.lastUpdateSubmitDate, else
 *                  statusModule.lastUpdatePostDateStruct.date
 *   phase          designModule.phases mapped and joined with "/"
 *   study_type     designModule.studyType mapped; OBSERVATIONAL with
 *                  designModule.patientRegistry true is "Observational
 *                  [Patient Registry]", as the legacy XML says
 *   download_date  classic API only: FullStudiesResponse.DataVrs
 * Coded values the tables below do not know (a new phase, say) are kept
 * as they are, as the XML reader keeps its text.
 */
#include <ctm/parsers.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

/* The file window starts at WINDOW_MIN and grows to hold one value. */
#define WINDOW_MIN ((size_t)256 << 10)
#define VALUE_MAX  ((size_t)CTM_MAX_RECORD_BYTES)
#define WINDOW_MAX (VALUE_MAX + WINDOW_MIN)

/* How far from the end of the bytes at hand a jansson error may lie and
 * still be the end of those bytes rather than of the value (a cut UTF-8
 * sequence or literal). */
#define END_SLACK 4

#define MAX_FRAMES 4

/* A place in the document: 1-based line; col counts the characters
 * (UTF-8 code points) before it on its line, as jansson counts. */
struct place {
	size_t pos; /* offset in the window */
	int line, col;
};

enum frame_kind {
	F_TOP,	   /* a top-level object not yet known: study or wrapper */
	F_WRAPPER, /* a top-level wrapper (search or classic response) */
	F_CLASSIC, /* the object under "FullStudiesResponse" */
	F_STUDIES, /* an array of studies */
};

struct frame {
	enum frame_kind kind;
	bool first; /* no member or element read yet */
	size_t index;
	const char *path; /* of the array, for messages: "studies", "" */
};

struct ctm_json_reader {
	char *name;
	int fd; /* file mode: ours to close; -1 for memory */

	/* The bytes at hand: the caller's buffer, or the file window. */
	const char *data;
	char *buf; /* file mode: the window, data == buf */
	size_t cap, len;
	bool eof; /* nothing beyond data[len) */

	struct place at;   /* the read position */
	bool marked;	   /* keep `mark` in the window: we may come back */
	struct place mark; /* start of the current top-level value */

	struct frame frames[MAX_FRAMES];
	int depth;
	bool done;
	bool any; /* a top-level value was seen */
	int32_t download_date;

	ctm_record_filter filter; /* ctm_json_set_filter */
	void *filter_ctx;
};

/* ---- errors ---- */

/* A document-level failure: the document ends, or, for a broken
 * top-level object at the start of a line, resumes at the next line. */
static void recover(ctm_json_reader *r);

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int
doc_fail(ctm_json_reader *r, ctm_error *err, int code,
	 const struct place *where, const char *fmt, ...)
{
	char msg[CTM_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctm_error_set(err, code, r->name, where->line, where->col + 1, "%s",
		      msg);
	if (code == CTM_ENOMEM || code == CTM_EIO)
		r->done = true;
	else
		recover(r);
	return code;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* ---- input ---- */

/*
 * Reads more of the file into the window, first dropping what lies before
 * the read position (or the mark). 1 if bytes were added, 0 at the end of
 * the input, CTM_ELIMIT if the window is at its largest, or CTM_EIO /
 * CTM_ENOMEM with err set.
 */
static int more(ctm_json_reader *r, ctm_error *err)
{
	size_t keep, ncap;
	ssize_t n;
	char *p, why[128];

	if (r->eof)
		return 0;
	keep = r->marked ? r->mark.pos : r->at.pos;
	if (keep) {
		memmove(r->buf, r->buf + keep, r->len - keep);
		r->len -= keep;
		r->at.pos -= keep;
		if (r->marked)
			r->mark.pos -= keep;
	}
	if (r->len == r->cap) {
		if (r->cap >= WINDOW_MAX)
			return CTM_ELIMIT;
		ncap = r->cap ? r->cap * 2 : WINDOW_MIN;
		if (ncap > WINDOW_MAX)
			ncap = WINDOW_MAX;
		p = realloc(r->buf, ncap);
		if (!p)
			return ctm_error_set(err, CTM_ENOMEM, r->name, 0, 0,
					     "out of memory");
		r->buf = p;
		r->data = p;
		r->cap = ncap;
	}
	do
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (strerror_r(errno, why, sizeof(why)))
			snprintf(why, sizeof(why), "error %d", errno);
		return ctm_error_set(err, CTM_EIO, r->name, 0, 0,
				     "cannot read: %s", why);
	}
	if (n == 0) {
		r->eof = true;
		return 0;
	}
	r->len += (size_t)n;
	return 1;
}

/* a + b for counting lines and columns, kept below INT_MAX (col + 1 is
 * reported) */
static int add_clamped(int a, long b)
{
	return b > (long)INT_MAX - 1 - a ? INT_MAX - 1 : a + (int)b;
}

/* Moves the read position n bytes on, counting lines and characters. */
static void advance(ctm_json_reader *r, size_t n)
{
	const char *p = r->data + r->at.pos, *end = p + n, *nl;
	long chars = 0;

	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		r->at.line = add_clamped(r->at.line, 1);
		r->at.col = 0;
		p = nl + 1;
	}
	for (; p < end; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	r->at.col = add_clamped(r->at.col, chars);
	r->at.pos += n;
}

/*
 * Skips white space and sets *c to the next byte, or -1 at the end of the
 * input. 0 or a negative CTM_E* (err set).
 */
static int peek(ctm_json_reader *r, int *c, ctm_error *err)
{
	int rc;

	for (;;) {
		while (r->at.pos < r->len) {
			char b = r->data[r->at.pos];

			if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
				*c = (unsigned char)b;
				return 0;
			}
			advance(r, 1);
		}
		rc = more(r, err);
		if (rc == 0) {
			*c = -1;
			return 0;
		}
		if (rc == CTM_ELIMIT)
			return ctm_error_set(err, CTM_ELIMIT, r->name,
					     r->mark.line, r->mark.col + 1,
					     "a JSON value of more than %zu "
					     "bytes starts here (the limit "
					     "for one study)",
					     VALUE_MAX);
		if (rc < 0)
			return rc;
	}
}

/*
 * After a document-level error: a broken top-level value that began a
 * line (NDJSON) is skipped to the next line starting with '{'; otherwise
 * the document ends.
 */
static void recover(ctm_json_reader *r)
{
	const char *p;
	ctm_error ignored;
	int rc;

	r->depth = 0;
	if (!r->marked || r->mark.col != 0 || r->done) {
		r->done = true;
		return;
	}
	r->at = r->mark;
	r->marked = false;
	for (;;) {
		if (r->at.pos + 1 < r->len) {
			p = memchr(r->data + r->at.pos, '\n',
				   r->len - r->at.pos - 1);
			if (p) {
				advance(r, (size_t)(p + 1 -
						    (r->data + r->at.pos)));
				if (r->data[r->at.pos] == '{')
					return;
				continue;
			}
			advance(r, r->len - 1 - r->at.pos);
		}
		rc = more(r, &ignored);
		if (rc <= 0) {
			r->done = true;
			return;
		}
	}
}

/* Sets the mark at the read position. */
static void set_mark(ctm_json_reader *r)
{
	r->mark = r->at;
	r->marked = true;
}

/* ---- decoding ---- */

static int jansson_fail(ctm_json_reader *r, const json_error_t *je,
			ctm_error *err)
{
	struct place where = r->at;

	if (json_error_code(je) == json_error_out_of_memory)
		return doc_fail(r, err, CTM_ENOMEM, &where, "out of memory");
	if (je->line > 0) {
		/* jansson counts from the start of the bytes it was given;
		 * its column is that of the last character it read */
		int col = je->column > 0 ? je->column - 1 : 0;

		where.line = add_clamped(r->at.line, je->line - 1);
		where.col = je->line == 1 ? add_clamped(r->at.col, col) : col;
	}
	return doc_fail(r, err, CTM_EPARSE, &where, "%s", je->text);
}

/*
 * Decodes the JSON value at the read position with jansson and moves past
 * it. flags: JSON_DECODE_ANY for scalars. A value that runs to the end of
 * the bytes at hand is decoded again once more are read. 0 and *out (a
 * new reference), or a negative CTM_E* (err set, recovery done).
 */
static int decode(ctm_json_reader *r, size_t flags, json_t **out,
		  ctm_error *err)
{
	json_error_t je;
	json_t *v;
	size_t avail, n, used;
	bool capped, at_end;
	int rc;

	*out = NULL;
	for (;;) {
		avail = r->len - r->at.pos;
		capped = avail > VALUE_MAX;
		n = capped ? VALUE_MAX : avail;
		v = json_loadb(r->data + r->at.pos, n,
			       flags | JSON_DISABLE_EOF_CHECK, &je);
		used = je.position > 0 ? (size_t)je.position : 0;
		/* ended by the end of the bytes, not by the value itself? */
		at_end = v ? (used >= n && !json_is_object(v) &&
			      !json_is_array(v) && !json_is_string(v))
			   : used + END_SLACK >= n &&
					 json_error_code(&je) !=
						 json_error_out_of_memory;
		if (!at_end || (!capped && r->eof)) {
			if (!v)
				return jansson_fail(r, &je, err);
			advance(r, used);
			*out = v;
			return 0;
		}
		json_decref(v);
		if (capped)
			rc = CTM_ELIMIT;
		else
			rc = more(r, err);
		if (rc == CTM_ELIMIT) {
			struct place where = r->at;

			return doc_fail(r, err, CTM_ELIMIT, &where,
					"a JSON value of more than %zu bytes "
					"starts here (the limit for one "
					"study)",
					VALUE_MAX);
		}
		if (rc < 0) {
			r->done = true;
			return rc;
		}
	}
}

/* Checks for `want` after white space and moves past it. */
static int expect(ctm_json_reader *r, char want, const char *what,
		  ctm_error *err)
{
	struct place where;
	int c, rc;

	if ((rc = peek(r, &c, err))) {
		r->done = true;
		return rc;
	}
	if (c == want) {
		advance(r, 1);
		return 0;
	}
	where = r->at;
	if (c < 0)
		return doc_fail(r, err, CTM_EPARSE, &where,
				"premature end of input: %s expected", what);
	return doc_fail(r, err, CTM_EPARSE, &where, "%s expected near '%c'",
			what, c);
}

/* ---- the studies, one at a time ---- */

/* What a key of an object being walked means. */
enum key_kind {
	K_OTHER,
	K_STUDY,	 /* a key of a study object: decode it whole */
	K_STUDIES,	 /* v2 search response's array */
	K_FULL_RESPONSE, /* classic wrapper */
	K_FULL_STUDIES,	 /* classic array */
	K_DATA_VRS,	 /* classic data version: the download date */
	K_DERIVED,	 /* a derived export, not registry data */
	K_FIELDS,	 /* classic study-fields response */
};

static enum key_kind classify(enum frame_kind f, const char *key)
{
	static const char *const study_keys[] = {
		"protocolSection", "derivedSection",  "resultsSection",
		"hasResults",	   "documentSection", "annotationSection",
		"Study",	   "ProtocolSection", "DerivedSection",
	};
	size_t i;

	if (f == F_CLASSIC) {
		if (!strcmp(key, "FullStudies"))
			return K_FULL_STUDIES;
		if (!strcmp(key, "DataVrs"))
			return K_DATA_VRS;
		return K_OTHER;
	}
	if (f != F_TOP)
		return K_OTHER;
	for (i = 0; i < sizeof(study_keys) / sizeof(study_keys[0]); i++)
		if (!strcmp(key, study_keys[i]))
			return K_STUDY;
	if (!strcmp(key, "studies"))
		return K_STUDIES;
	if (!strcmp(key, "FullStudiesResponse"))
		return K_FULL_RESPONSE;
	if (!strcmp(key, "trials") || !strcmp(key, "nct_id"))
		return K_DERIVED;
	if (!strcmp(key, "StudyFieldsResponse"))
		return K_FIELDS;
	return K_OTHER;
}

static const char derived_msg[] =
	"not a ClinicalTrials.gov record: a derived export (\"nct_id\", "
	"\"eligibility.raw_text\"), not registry data; download API v2 JSON "
	"from ClinicalTrials.gov";

/* "2023:10:17 23:49:37.236" (classic DataVrs) -> 20231017, or 0. */
static int32_t data_vrs_date(const json_t *v)
{
	const char *s = json_string_value(v);
	char iso[16];
	int y, m, d, n = 0;
	int32_t out = 0;

	if (!s || sscanf(s, "%4d:%2d:%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return 0;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", y, m, d);
	return ctm_date_parse(iso, &out) ? 0 : out;
}

static int push(ctm_json_reader *r, enum frame_kind kind, const char *path)
{
	struct frame *f;

	if (r->depth == MAX_FRAMES)
		return -1; /* cannot happen: the kinds nest at most 3 deep */
	f = &r->frames[r->depth++];
	f->kind = kind;
	f->first = true;
	f->index = 0;
	f->path = path;
	return 0;
}

/* Where the value the walker returns came from, for messages. */
struct origin {
	struct place at;
	const char *path; /* of its array ("studies"), or NULL at the top */
	size_t index;
};

/* One member of a walked object: reads `"key": ` and acts on the key. */
static int walk_member(ctm_json_reader *r, struct frame *f, json_t **out,
		       struct origin *o, ctm_error *err)
{
	struct place where = r->at;
	enum key_kind kind;
	json_t *k = NULL, *v = NULL;
	int c, rc;

	if (r->data[r->at.pos] != '"')
		return doc_fail(r, err, CTM_EPARSE, &where,
				"string or '}' expected near '%c'",
				r->data[r->at.pos]);
	if ((rc = decode(r, JSON_DECODE_ANY, &k, err)))
		return rc;
	kind = classify(f->kind, json_string_value(k));
	json_decref(k);
	if ((rc = expect(r, ':', "':'", err)))
		return rc;
	if ((rc = peek(r, &c, err))) {
		r->done = true;
		return rc;
	}
	where = r->at;
	switch (kind) {
	case K_STUDY:
		/* back to the '{' and the whole object at once */
		r->at = r->mark;
		r->depth--;
		o->at = r->at;
		o->path = NULL;
		o->index = 0;
		if ((rc = decode(r, 0, out, err)))
			return rc;
		r->marked = false;
		return 1;
	case K_STUDIES:
	case K_FULL_RESPONSE:
	case K_FULL_STUDIES:
		if (c != (kind == K_FULL_RESPONSE ? '{' : '['))
			return doc_fail(r, err, CTM_EPARSE, &where,
					"\"%s\" is not an %s",
					kind == K_STUDIES ? "studies"
					: kind == K_FULL_STUDIES
						? "FullStudies"
						: "FullStudiesResponse",
					kind == K_FULL_RESPONSE ? "object"
								: "array");
		if (f->kind == F_TOP)
			f->kind = F_WRAPPER;
		r->marked = false;
		advance(r, 1);
		push(r, kind == K_FULL_RESPONSE ? F_CLASSIC : F_STUDIES,
		     kind == K_STUDIES ? "studies"
				       : "FullStudiesResponse.FullStudies");
		return 0;
	case K_DERIVED:
		r->marked = false; /* no use going on */
		return doc_fail(r, err, CTM_EPARSE, &r->mark, "%s",
				derived_msg);
	case K_FIELDS:
		r->marked = false;
		return doc_fail(r, err, CTM_EPARSE, &r->mark,
				"classic ClinicalTrials.gov API study-fields "
				"JSON (retired 2024) holds no full records; "
				"download API v2 JSON");
	case K_DATA_VRS:
	case K_OTHER:
		if ((rc = decode(r, JSON_DECODE_ANY, &v, err)))
			return rc;
		if (kind == K_DATA_VRS)
			r->download_date = data_vrs_date(v);
		json_decref(v);
		return 0;
	}
	return 0;
}

/*
 * The next study value: 1 and *out (a new reference) with its origin; 0 at
 * the end; a negative CTM_E* (err set) for a document-level error or for
 * a top-level object that is no study.
 */
static int next_value(ctm_json_reader *r, json_t **out, struct origin *o,
		      ctm_error *err)
{
	struct frame *f;
	struct place where;
	int c, rc;

	*out = NULL;
	while (!r->done) {
		if ((rc = peek(r, &c, err))) {
			r->done = true;
			return rc;
		}
		where = r->at;
		if (r->depth == 0) {
			if (c < 0) {
				r->done = true;
				if (!r->any)
					return ctm_error_set(
						err, CTM_EPARSE, r->name, 0, 0,
						"empty document: no JSON "
						"value");
				return 0;
			}
			r->any = true;
			set_mark(r);
			if (c == '[') {
				r->marked = false;
				advance(r, 1);
				push(r, F_STUDIES, "");
			} else if (c == '{') {
				advance(r, 1);
				push(r, F_TOP, NULL);
			} else {
				return doc_fail(r, err, CTM_EPARSE, &where,
						"a JSON object or array "
						"expected near '%c'",
						c);
			}
			continue;
		}
		f = &r->frames[r->depth - 1];
		if (c < 0)
			return doc_fail(r, err, CTM_EPARSE, &where,
					"premature end of input: '%c' "
					"expected",
					f->kind == F_STUDIES ? ']' : '}');
		if (c == (f->kind == F_STUDIES ? ']' : '}')) {
			advance(r, 1);
			r->depth--;
			if (f->kind == F_TOP) {
				/* a whole object without a study key */
				r->marked = false;
				return ctm_error_set(
					err, CTM_EPARSE, r->name, r->mark.line,
					r->mark.col + 1,
					"not a ClinicalTrials.gov study: no "
					"\"protocolSection\" (API v2), "
					"\"studies\" (search response) or "
					"\"FullStudiesResponse\" (classic "
					"API)");
			}
			continue;
		}
		if (!f->first) {
			if (c != ',')
				return doc_fail(
					r, err, CTM_EPARSE, &where,
					"',' or '%c' expected near "
					"'%c'",
					f->kind == F_STUDIES ? ']' : '}', c);
			advance(r, 1);
			if ((rc = peek(r, &c, err))) {
				r->done = true;
				return rc;
			}
		}
		f->first = false;
		if (f->kind != F_STUDIES) {
			if (c < 0)
				continue; /* reported above next time */
			rc = walk_member(r, f, out, o, err);
			if (rc)
				return rc;
			continue;
		}
		o->at = r->at;
		o->path = f->path;
		o->index = f->index++;
		if ((rc = decode(r, JSON_DECODE_ANY, out, err)))
			return rc;
		return 1;
	}
	return 0;
}

/* ---- from a study object to a trial ---- */

/* Where each field is, relative to the study object. */
struct schema {
	const char *nct_id, *brief_title, *official_title, *status;
	const char *phases, *study_type, *registry, *lead_sponsor;
	const char *conditions, *keywords, *meshes, *mesh_term;
	const char *interventions, *iv_type, *iv_name, *iv_other;
	const char *eligibility, *criteria, *sex, *min_age, *max_age;
	const char *healthy;
	const char *locations, *facility, *city, *state, *zip, *country;
	const char *loc_status;
	const char *first_posted, *first_submitted;
	const char *last_submitted, *last_posted;
};

static const struct schema v2_schema = {
	.nct_id = "protocolSection.identificationModule.nctId",
	.brief_title = "protocolSection.identificationModule.briefTitle",
	.official_title = "protocolSection.identificationModule.officialTitle",
	.status = "protocolSection.statusModule.overallStatus",
	.phases = "protocolSection.designModule.phases",
	.study_type = "protocolSection.designModule.studyType",
	.registry = "protocolSection.designModule.patientRegistry",
	.lead_sponsor =
		"protocolSection.sponsorCollaboratorsModule.leadSponsor.name",
	.conditions = "protocolSection.conditionsModule.conditions",
	.keywords = "protocolSection.conditionsModule.keywords",
	.meshes = "derivedSection.conditionBrowseModule.meshes",
	.mesh_term = "term",
	.interventions =
		"protocolSection.armsInterventionsModule.interventions",
	.iv_type = "type",
	.iv_name = "name",
	.iv_other = "otherNames",
	.eligibility = "protocolSection.eligibilityModule",
	.criteria = "eligibilityCriteria",
	.sex = "sex",
	.min_age = "minimumAge",
	.max_age = "maximumAge",
	.healthy = "healthyVolunteers",
	.locations = "protocolSection.contactsLocationsModule.locations",
	.facility = "facility",
	.city = "city",
	.state = "state",
	.zip = "zip",
	.country = "country",
	.loc_status = "status",
	.first_posted = "protocolSection.statusModule.studyFirstPostDateStruct."
			"date",
	.first_submitted = "protocolSection.statusModule.studyFirstSubmitDate",
	.last_submitted = "protocolSection.statusModule.lastUpdateSubmitDate",
	.last_posted = "protocolSection.statusModule.lastUpdatePostDateStruct."
		       "date",
};

/* The classic API: capitalised keys, lists wrapped ("ConditionList":
 * {"Condition": [...]}), values in the legacy spellings. */
static const struct schema classic_schema = {
	.nct_id = "ProtocolSection.IdentificationModule.NCTId",
	.brief_title = "ProtocolSection.IdentificationModule.BriefTitle",
	.official_title = "ProtocolSection.IdentificationModule.OfficialTitle",
	.status = "ProtocolSection.StatusModule.OverallStatus",
	.phases = "ProtocolSection.DesignModule.PhaseList.Phase",
	.study_type = "ProtocolSection.DesignModule.StudyType",
	.registry = "ProtocolSection.DesignModule.PatientRegistry",
	.lead_sponsor = "ProtocolSection.SponsorCollaboratorsModule."
			"LeadSponsor.LeadSponsorName",
	.conditions = "ProtocolSection.ConditionsModule.ConditionList."
		      "Condition",
	.keywords = "ProtocolSection.ConditionsModule.KeywordList.Keyword",
	.meshes = "DerivedSection.ConditionBrowseModule.ConditionMeshList."
		  "ConditionMesh",
	.mesh_term = "ConditionMeshTerm",
	.interventions = "ProtocolSection.ArmsInterventionsModule."
			 "InterventionList.Intervention",
	.iv_type = "InterventionType",
	.iv_name = "InterventionName",
	.iv_other = "InterventionOtherNameList.InterventionOtherName",
	.eligibility = "ProtocolSection.EligibilityModule",
	.criteria = "EligibilityCriteria",
	.sex = "Gender",
	.min_age = "MinimumAge",
	.max_age = "MaximumAge",
	.healthy = "HealthyVolunteers",
	.locations = "ProtocolSection.ContactsLocationsModule.LocationList."
		     "Location",
	.facility = "LocationFacility",
	.city = "LocationCity",
	.state = "LocationState",
	.zip = "LocationZip",
	.country = "LocationCountry",
	.loc_status = "LocationStatus",
	.first_posted = "ProtocolSection.StatusModule.StudyFirstPostDateStruct."
			"StudyFirstPostDate",
	.first_submitted = "ProtocolSection.StatusModule.StudyFirstSubmitDate",
	.last_submitted = "ProtocolSection.StatusModule.LastUpdateSubmitDate",
	.last_posted = "ProtocolSection.StatusModule.LastUpdatePostDateStruct."
		       "LastUpdatePostDate",
};

/* Coded values: API v2 codes and classic/legacy spellings -> legacy XML. */
struct code {
	const char *in, *out;
};

static const struct code phase_codes[] = {
	{"NA", "N/A"},
	{"N/A", "N/A"},
	{"Not Applicable", "N/A"},
	{"EARLY_PHASE1", "Early Phase 1"},
	{"Early Phase 1", "Early Phase 1"},
	{"PHASE1", "Phase 1"},
	{"Phase 1", "Phase 1"},
	{"PHASE2", "Phase 2"},
	{"Phase 2", "Phase 2"},
	{"PHASE3", "Phase 3"},
	{"Phase 3", "Phase 3"},
	{"PHASE4", "Phase 4"},
	{"Phase 4", "Phase 4"},
	{NULL, NULL},
};

static const struct code study_type_codes[] = {
	{"INTERVENTIONAL", "Interventional"},
	{"OBSERVATIONAL", "Observational"},
	{"EXPANDED_ACCESS", "Expanded Access"},
	{"Expanded Access", "Expanded Access"},
	{NULL, NULL},
};

static const struct code intervention_codes[] = {
	{"DRUG", "Drug"},
	{"BIOLOGICAL", "Biological"},
	{"PROCEDURE", "Procedure"},
	{"RADIATION", "Radiation"},
	{"DEVICE", "Device"},
	{"BEHAVIORAL", "Behavioral"},
	{"GENETIC", "Genetic"},
	{"DIETARY_SUPPLEMENT", "Dietary Supplement"},
	{"COMBINATION_PRODUCT", "Combination Product"},
	{"DIAGNOSTIC_TEST", "Diagnostic Test"},
	{"OTHER", "Other"},
	{NULL, NULL},
};

/* The legacy spelling of s (case-insensitive), or s itself. */
static const char *map_code(const struct code *t, const char *s)
{
	for (; t->in; t++)
		if (!strcasecmp(s, t->in))
			return t->out;
	return s;
}

/* One study being converted. */
struct conv {
	ctm_json_reader *r;
	ctm_trial *t;
	const struct schema *s;
	json_t *study;
	ctm_error *err;
	struct place at;
	char prefix[96]; /* JSON path of the study object: "", "studies[3]" */
};

/* A JSON path for messages: prefix.base[idx].rel, parts left out when
 * empty (idx < 0: none). */
static const char *path_of(const struct conv *c, char *buf, size_t size,
			   const char *base, long idx, const char *rel)
{
	size_t n;

	snprintf(buf, size, "%s", c->prefix);
	n = strlen(buf);
	if (base && *base)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "." : "",
				      base);
	if (idx >= 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, "[%ld]", idx);
	if (rel && *rel && n < size)
		snprintf(buf + n, size - n, "%s%s", n ? "." : "", rel);
	return buf;
}

/*
 * Rejects the study. err->field is the JSON path (or, when the path is too
 * long for it, its last key, and the message then starts with the path);
 * the message starts with the study's NCT id when it is known.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static int
reject(struct conv *c, int code, const char *base, long idx, const char *rel,
       const char *fmt, ...)
{
	char path[256], msg[CTM_ERROR_MSG_MAX];
	const char *id = c->t ? c->t->nct_id : NULL, *last;
	ctm_error *err = c->err;
	va_list ap;
	bool fits;

	path_of(c, path, sizeof(path), base, idx, rel);
	fits = strlen(path) < sizeof(err->field);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctm_error_set(err, code, c->r->name, c->at.line, c->at.col + 1,
		      "%s%s%s%s%s", id ? id : "", id ? ": " : "",
		      fits ? "" : path, fits ? "" : ": ", msg);
	last = strrchr(path, '.');
	ctm_error_set_field(err, fits || !last ? path : last + 1);
	return code;
}

/*
 * The value at the dotted path rel under obj (which is base[idx]): *out
 * NULL when it, or an object on the way, is absent or null. A non-object
 * on the way rejects the study.
 */
static int lookup(struct conv *c, json_t *obj, const char *base, long idx,
		  const char *rel, json_t **out)
{
	const char *p = rel, *dot;
	json_t *v = obj;
	char part[128];

	*out = NULL;
	for (;;) {
		dot = strchr(p, '.');
		v = json_object_getn(v, p, dot ? (size_t)(dot - p) : strlen(p));
		if (!v || json_is_null(v))
			return 0;
		if (!dot)
			break;
		if (!json_is_object(v)) {
			snprintf(part, sizeof(part), "%.*s", (int)(dot - rel),
				 rel);
			return reject(c, CTM_EINVALID, base, idx, part,
				      "not an object but %s", type_name(v));
		}
		p = dot + 1;
	}
	*out = v;
	return 0;
}

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/*
 * v as a string: type and length checked; *s borrowed from v, trimmed
 * when `trim`. base/idx/rel name it in messages.
 */
static int string_of(struct conv *c, json_t *v, bool trim, const char *base,
		     long idx, const char *rel, const char **s, size_t *len)
{
	const char *p;
	size_t n;

	if (!json_is_string(v))
		return reject(c, CTM_EINVALID, base, idx, rel,
			      "not a string but %s", type_name(v));
	p = json_string_value(v);
	n = json_string_length(v);
	if (n > CTM_MAX_TEXT_BYTES)
		return reject(c, CTM_ELIMIT, base, idx, rel,
			      "text of %zu bytes exceeds the limit of %u "
			      "bytes",
			      n, CTM_MAX_TEXT_BYTES);
	if (trim) {
		while (n && blank(*p)) {
			p++;
			n--;
		}
		while (n && blank(p[n - 1]))
			n--;
	}
	*s = p;
	*len = n;
	return 0;
}

/* v (a string) trimmed into the trial's arena. */
static int copy_string(struct conv *c, json_t *v, const char *base, long idx,
		       const char *rel, const char **out)
{
	const char *s;
	size_t n;
	int rc;

	*out = NULL;
	if ((rc = string_of(c, v, true, base, idx, rel, &s, &n)))
		return rc;
	*out = ctm_arena_strndup(c->t->arena, s, n);
	if (!*out)
		return reject(c, CTM_ENOMEM, base, idx, rel, "out of memory");
	return 0;
}

/* The string at rel under obj, trimmed into the arena; NULL if absent. */
static int get_string(struct conv *c, json_t *obj, const char *base, long idx,
		      const char *rel, const char **out)
{
	json_t *v;
	int rc;

	*out = NULL;
	if ((rc = lookup(c, obj, base, idx, rel, &v)) || !v)
		return rc;
	return copy_string(c, v, base, idx, rel, out);
}

/* The same, "" when absent, null or empty: a coded value to parse. */
static int get_code(struct conv *c, json_t *obj, const char *base, long idx,
		    const char *rel, const char **out)
{
	int rc = get_string(c, obj, base, idx, rel, out);

	if (!*out)
		*out = "";
	return rc;
}

/* The array at rel under obj, or NULL; not an array, or too long,
 * rejects the study. */
static int get_array(struct conv *c, json_t *obj, const char *base, long idx,
		     const char *rel, json_t **out)
{
	json_t *v;
	int rc;

	if ((rc = lookup(c, obj, base, idx, rel, &v)))
		return rc;
	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return reject(c, CTM_EINVALID, base, idx, rel,
			      "not an array but %s", type_name(v));
	if (json_array_size(v) > CTM_MAX_LIST_ITEMS)
		return reject(c, CTM_ELIMIT, base, idx, rel,
			      "%zu items exceed the limit of %d",
			      json_array_size(v), CTM_MAX_LIST_ITEMS);
	*out = v;
	return 0;
}

static void *alloc_array(ctm_trial *t, size_t n, size_t size)
{
	return n ? ctm_arena_alloc(t->arena, n * size) : NULL;
}

/*
 * The strings of the array at rel under obj (base[idx]). With item_key,
 * each item is an object and its string is item_key; items without one
 * are left out. *items is NULL when there are none.
 */
static int get_strings(struct conv *c, json_t *obj, const char *base, long idx,
		       const char *rel, const char *item_key,
		       const char ***items, size_t *n_items)
{
	char at[192];
	const char **list;
	json_t *arr, *it;
	size_t i, n = 0;
	int rc;

	*items = NULL;
	*n_items = 0;
	if ((rc = get_array(c, obj, base, idx, rel, &arr)) || !arr)
		return rc;
	/* the array's own path, as the base of its items' paths */
	{
		struct conv bare = *c;

		bare.prefix[0] = '\0';
		path_of(&bare, at, sizeof(at), base, idx, rel);
	}
	list = alloc_array(c->t, json_array_size(arr), sizeof(*list));
	if (json_array_size(arr) && !list)
		return reject(c, CTM_ENOMEM, at, -1, NULL, "out of memory");
	json_array_foreach(arr, i, it)
	{
		if (!item_key)
			rc = copy_string(c, it, at, (long)i, NULL, &list[n]);
		else if (!json_is_object(it))
			rc = reject(c, CTM_EINVALID, at, (long)i, NULL,
				    "not an object but %s", type_name(it));
		else
			rc = get_string(c, it, at, (long)i, item_key, &list[n]);
		if (rc)
			return rc;
		if (list[n])
			n++;
	}
	*items = n ? list : NULL;
	*n_items = n;
	return 0;
}

/* A yes/no value: JSON true/false, or "Yes"/"No" as the classic API
 * writes it. *out: -1 absent, 0, 1. */
static int get_yes_no(struct conv *c, json_t *obj, const char *base,
		      const char *rel, const char *yes, int *out)
{
	const char *s;
	json_t *v;
	size_t n;
	int rc;

	*out = -1;
	if ((rc = lookup(c, obj, base, -1, rel, &v)) || !v)
		return rc;
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return 0;
	}
	if (!json_is_string(v))
		return reject(c, CTM_EINVALID, base, -1, rel,
			      "not a boolean but %s", type_name(v));
	if ((rc = string_of(c, v, true, base, -1, rel, &s, &n)))
		return rc;
	if (n == 0)
		return 0;
	if (n == 2 && !strncasecmp(s, "No", 2))
		*out = 0;
	else if ((n == 3 && !strncasecmp(s, "Yes", 3)) ||
		 (yes && n == strlen(yes) && !strncasecmp(s, yes, n)))
		*out = 1;
	else
		return reject(c, CTM_EPARSE, base, -1, rel,
			      "not true, false, \"Yes\" or \"No\": "
			      "\"%.100s\"",
			      json_string_value(v));
	return 0;
}

/* A date at rel under the study; *found false (and *out 0) when absent
 * or empty. */
static int get_date(struct conv *c, const char *rel, int32_t *out, bool *found)
{
	const char *s;
	int rc;

	*out = 0;
	*found = false;
	if ((rc = get_code(c, c->study, "", -1, rel, &s)) || !*s)
		return rc;
	if (ctm_date_parse(s, out))
		return reject(c, CTM_EPARSE, "", -1, rel,
			      "not a date: \"%.100s\"", s);
	*found = true;
	return 0;
}

/* The phases, mapped and joined with "/": "Phase 1/Phase 2". */
static int read_phases(struct conv *c)
{
	const char **items, *p;
	size_t n, i, len = 0;
	char *out;
	int rc;

	if ((rc = get_strings(c, c->study, "", -1, c->s->phases, NULL, &items,
			      &n)) ||
	    !n)
		return rc;
	for (i = 0; i < n; i++) {
		items[i] = map_code(phase_codes, items[i]);
		len += strlen(items[i]) + 1;
	}
	out = ctm_arena_alloc(c->t->arena, len);
	if (!out)
		return reject(c, CTM_ENOMEM, "", -1, c->s->phases,
			      "out of memory");
	for (i = 0, len = 0; i < n; i++) {
		p = items[i];
		len += (size_t)sprintf(out + len, "%s%s", i ? "/" : "", p);
	}
	c->t->phase = out;
	return 0;
}

static int read_study_type(struct conv *c)
{
	const char *s;
	int registry, rc;

	if ((rc = get_string(c, c->study, "", -1, c->s->study_type, &s)) || !s)
		return rc;
	c->t->study_type = map_code(study_type_codes, s);
	if ((rc = get_yes_no(c, c->study, "", c->s->registry, NULL, &registry)))
		return rc;
	if (registry == 1 && !strcmp(c->t->study_type, "Observational"))
		c->t->study_type = "Observational [Patient Registry]";
	return 0;
}

static int read_interventions(struct conv *c)
{
	const char *rel = c->s->interventions;
	ctm_intervention *iv;
	json_t *arr, *it;
	const char *type;
	size_t i;
	int rc;

	if ((rc = get_array(c, c->study, "", -1, rel, &arr)) || !arr)
		return rc;
	c->t->interventions = iv =
		alloc_array(c->t, json_array_size(arr), sizeof(*iv));
	if (json_array_size(arr) && !iv)
		return reject(c, CTM_ENOMEM, rel, -1, NULL, "out of memory");
	json_array_foreach(arr, i, it)
	{
		if (!json_is_object(it))
			return reject(c, CTM_EINVALID, rel, (long)i, NULL,
				      "not an object but %s", type_name(it));
		if ((rc = get_string(c, it, rel, (long)i, c->s->iv_type,
				     &type)) ||
		    (rc = get_string(c, it, rel, (long)i, c->s->iv_name,
				     &iv[i].name)) ||
		    (rc = get_strings(c, it, rel, (long)i, c->s->iv_other, NULL,
				      &iv[i].other_names,
				      &iv[i].n_other_names)))
			return rc;
		iv[i].type = type ? map_code(intervention_codes, type) : NULL;
	}
	c->t->n_interventions = json_array_size(arr);
	return 0;
}

static int read_locations(struct conv *c)
{
	const char *rel = c->s->locations;
	const struct schema *s = c->s;
	ctm_location *loc;
	json_t *arr, *it;
	size_t i;
	int rc, v;

	if ((rc = get_array(c, c->study, "", -1, rel, &arr)) || !arr)
		return rc;
	c->t->locations = loc =
		alloc_array(c->t, json_array_size(arr), sizeof(*loc));
	if (json_array_size(arr) && !loc)
		return reject(c, CTM_ENOMEM, rel, -1, NULL, "out of memory");
	json_array_foreach(arr, i, it)
	{
		long ix = (long)i;

		if (!json_is_object(it))
			return reject(c, CTM_EINVALID, rel, ix, NULL,
				      "not an object but %s", type_name(it));
		if ((rc = get_string(c, it, rel, ix, s->facility,
				     &loc[i].facility)) ||
		    (rc = get_string(c, it, rel, ix, s->city, &loc[i].city)) ||
		    (rc = get_string(c, it, rel, ix, s->state,
				     &loc[i].state)) ||
		    (rc = get_string(c, it, rel, ix, s->zip, &loc[i].zip)) ||
		    (rc = get_string(c, it, rel, ix, s->country,
				     &loc[i].country)) ||
		    (rc = get_string(c, it, rel, ix, s->loc_status,
				     &loc[i].status)))
			return rc;
		/* site statuses as the legacy XML spells them; an unknown
		 * one is kept, as the XML reader keeps its text */
		if (loc[i].status && *loc[i].status &&
		    (v = ctm_status_parse(loc[i].status)) >= 0)
			loc[i].status = ctm_status_name((ctm_status)v);
	}
	c->t->n_locations = json_array_size(arr);
	return 0;
}

static int read_age(struct conv *c, json_t *el, const char *base,
		    const char *rel, double *out)
{
	const char *s;
	int rc;

	*out = CTM_AGE_UNBOUNDED;
	if ((rc = get_code(c, el, base, -1, rel, &s)))
		return rc;
	if (ctm_age_parse(s, out))
		return reject(c, CTM_EPARSE, base, -1, rel,
			      "not an age: \"%.100s\"", s);
	return 0;
}

static int read_eligibility(struct conv *c)
{
	const char *base = c->s->eligibility, *s;
	json_t *el, *v;
	size_t n;
	int rc, g;

	if ((rc = lookup(c, c->study, "", -1, base, &el)) || !el)
		return rc;
	if (!json_is_object(el))
		return reject(c, CTM_EINVALID, base, -1, NULL,
			      "not an object but %s", type_name(el));
	c->t->has_eligibility = true;
	if ((rc = lookup(c, el, base, -1, c->s->criteria, &v)))
		return rc;
	if (v) {
		/* exactly as jansson decodes it: not trimmed */
		if ((rc = string_of(c, v, false, base, -1, c->s->criteria, &s,
				    &n)))
			return rc;
		c->t->criteria_text = ctm_arena_strndup(c->t->arena, s, n);
		if (!c->t->criteria_text)
			return reject(c, CTM_ENOMEM, base, -1, c->s->criteria,
				      "out of memory");
	}
	if ((rc = get_code(c, el, base, -1, c->s->sex, &s)))
		return rc;
	if (*s) {
		g = ctm_gender_parse(s);
		if (g < 0)
			return reject(c, CTM_EPARSE, base, -1, c->s->sex,
				      "not a sex: \"%.100s\"", s);
		c->t->gender = (ctm_gender)g;
	}
	if ((rc = read_age(c, el, base, c->s->min_age, &c->t->min_age_years)) ||
	    (rc = read_age(c, el, base, c->s->max_age, &c->t->max_age_years)))
		return rc;
	return get_yes_no(c, el, base, c->s->healthy,
			  "Accepts Healthy Volunteers",
			  &c->t->healthy_volunteers);
}

static int fill_trial(struct conv *c)
{
	ctm_trial *t = c->t;
	const struct schema *s = c->s;
	const char *id, *st;
	uint32_t num;
	bool found;
	int rc, v;

	if ((rc = get_string(c, c->study, "", -1, s->nct_id, &id)))
		return rc;
	if (!id)
		return reject(c, CTM_EPARSE, "", -1, s->nct_id, "missing");
	if (ctm_nct_parse(id, &num))
		return reject(c, CTM_EPARSE, "", -1, s->nct_id,
			      "not an NCT id (NCT and 8 digits): \"%.100s\"",
			      id);
	t->nct_id = id;

	if ((rc = get_string(c, c->study, "", -1, s->brief_title,
			     &t->brief_title)) ||
	    (rc = get_string(c, c->study, "", -1, s->official_title,
			     &t->official_title)) ||
	    (rc = get_string(c, c->study, "", -1, s->lead_sponsor,
			     &t->lead_sponsor)) ||
	    (rc = get_code(c, c->study, "", -1, s->status, &st)))
		return rc;
	if (*st) {
		v = ctm_status_parse(st);
		if (v < 0)
			return reject(c, CTM_EPARSE, "", -1, s->status,
				      "not a recruitment status: \"%.100s\"",
				      st);
		t->status = (ctm_status)v;
	}
	if ((rc = read_phases(c)) || (rc = read_study_type(c)) ||
	    (rc = get_strings(c, c->study, "", -1, s->conditions, NULL,
			      &t->conditions, &t->n_conditions)) ||
	    (rc = get_strings(c, c->study, "", -1, s->keywords, NULL,
			      &t->keywords, &t->n_keywords)) ||
	    (rc = get_strings(c, c->study, "", -1, s->meshes, s->mesh_term,
			      &t->condition_mesh, &t->n_condition_mesh)) ||
	    (rc = read_interventions(c)) || (rc = read_eligibility(c)) ||
	    (rc = read_locations(c)))
		return rc;

	if ((rc = get_date(c, s->first_posted, &t->first_posted, &found)) ||
	    (!found && (rc = get_date(c, s->first_submitted, &t->first_posted,
				      &found))) ||
	    (rc = get_date(c, s->last_submitted, &t->last_update, &found)) ||
	    (!found &&
	     (rc = get_date(c, s->last_posted, &t->last_update, &found))))
		return rc;
	t->download_date = c->s == &classic_schema ? c->r->download_date : 0;
	return 0;
}

/*
 * One value from the walker into a trial: a v2 study, a classic
 * {"Study": ...} (or bare classic study), or something refused.
 */
static int convert(ctm_json_reader *r, json_t *v, const struct origin *o,
		   ctm_trial **out, ctm_error *err)
{
	struct conv c = {.r = r, .err = err, .at = o->at};
	json_t *inner;
	int rc;

	if (o->path)
		snprintf(c.prefix, sizeof(c.prefix), "%s[%zu]", o->path,
			 o->index);
	if (!json_is_object(v))
		return reject(&c, CTM_EPARSE, "", -1, NULL,
			      "not a study object but %s", type_name(v));
	if (json_object_get(v, "protocolSection")) {
		c.s = &v2_schema;
		c.study = v;
	} else if ((inner = json_object_get(v, "Study"))) {
		if (!json_is_object(inner))
			return reject(&c, CTM_EINVALID, "", -1, "Study",
				      "not an object but %s", type_name(inner));
		c.s = &classic_schema;
		c.study = inner;
		snprintf(c.prefix + strlen(c.prefix),
			 sizeof(c.prefix) - strlen(c.prefix), "%sStudy",
			 c.prefix[0] ? "." : "");
	} else if (json_object_get(v, "ProtocolSection")) {
		c.s = &classic_schema;
		c.study = v;
	} else if (json_object_get(v, "nct_id")) {
		r->done = true; /* a whole document of these: stop here */
		return ctm_error_set(err, CTM_EPARSE, r->name, o->at.line,
				     o->at.col + 1, "%s", derived_msg);
	} else {
		return reject(&c, CTM_EPARSE, "", -1, NULL,
			      "not a ClinicalTrials.gov study: no "
			      "\"protocolSection\"");
	}
	c.t = ctm_trial_new();
	if (!c.t)
		return ctm_error_set(err, CTM_ENOMEM, r->name, o->at.line,
				     o->at.col + 1, "out of memory");
	rc = fill_trial(&c);
	if (rc) {
		ctm_trial_free(c.t);
		return rc;
	}
	*out = c.t;
	return 1;
}

/* ---- the filter: id and last-update date only ---- */

/*
 * The string at the dotted path rel under obj, trimmed into buf: 1 when
 * found, 0 when absent, null or empty, -1 when it is something the whole
 * read would reject (not a string, too long for buf).
 */
static int peek_string(json_t *obj, const char *rel, char *buf, size_t size)
{
	const char *p = rel, *dot, *s;
	json_t *v = obj;
	size_t n;

	for (;;) {
		dot = strchr(p, '.');
		v = json_object_getn(v, p, dot ? (size_t)(dot - p) : strlen(p));
		if (!v || json_is_null(v))
			return 0;
		if (!dot)
			break;
		if (!json_is_object(v))
			return -1;
		p = dot + 1;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	n = json_string_length(v);
	while (n && blank(*s)) {
		s++;
		n--;
	}
	while (n && blank(s[n - 1]))
		n--;
	if (n >= size)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return n > 0;
}

/*
 * A study's NCT id and last-update date by fill_trial's rules, or false
 * when they cannot be told so (the whole read then says why).
 */
static bool peek_study(json_t *v, char id[32], int32_t *when)
{
	const struct schema *s = &v2_schema;
	json_t *study = v, *inner;
	char date[64];
	uint32_t num;
	int rc;

	if (!json_is_object(v))
		return false;
	if (json_object_get(v, "protocolSection")) {
		s = &v2_schema;
	} else if ((inner = json_object_get(v, "Study"))) {
		if (!json_is_object(inner))
			return false;
		s = &classic_schema;
		study = inner;
	} else if (json_object_get(v, "ProtocolSection")) {
		s = &classic_schema;
	} else {
		return false;
	}
	if (peek_string(study, s->nct_id, id, 32) != 1 || ctm_nct_parse(id, &num))
		return false;
	*when = 0;
	rc = peek_string(study, s->last_submitted, date, sizeof date);
	if (rc == 0)
		rc = peek_string(study, s->last_posted, date, sizeof date);
	if (rc < 0)
		return false;
	return rc == 0 || ctm_date_parse(date, when) == 0;
}

/* ---- the reader ---- */

static int reader_new(ctm_json_reader **out, const char *name, ctm_error *err)
{
	ctm_json_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return ctm_error_set(err, CTM_ENOMEM, name, 0, 0,
				     "out of memory");
	r->fd = -1;
	r->at.line = 1;
	r->name = strdup(name);
	if (!r->name) {
		free(r);
		return ctm_error_set(err, CTM_ENOMEM, name, 0, 0,
				     "out of memory");
	}
	*out = r;
	return 0;
}

int ctm_json_open_memory(ctm_json_reader **out, const char *buf, size_t len,
			 const char *name, ctm_error *err)
{
	ctm_json_reader *r;
	int rc;

	*out = NULL;
	ctm_error_clear(err);
	if ((rc = reader_new(&r, name ? name : "memory", err)))
		return rc;
	r->data = buf ? buf : "";
	r->len = buf ? len : 0;
	r->eof = true;
	/* a UTF-8 byte order mark is not JSON: step over it */
	if (r->len >= 3 && !memcmp(r->data, "\xEF\xBB\xBF", 3))
		r->at.pos = 3;
	*out = r;
	return 0;
}

int ctm_json_open_file(ctm_json_reader **out, const char *path, ctm_error *err)
{
	ctm_json_reader *r = NULL;
	struct stat st;
	char why[128];
	int rc;

	*out = NULL;
	ctm_error_clear(err);
	if ((rc = reader_new(&r, path, err)))
		return rc;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		if (strerror_r(errno, why, sizeof(why)))
			snprintf(why, sizeof(why), "error %d", errno);
		rc = ctm_error_set(err, CTM_EIO, path, 0, 0, "cannot open: %s",
				   why);
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = ctm_error_set(err, CTM_EIO, path, 0, 0,
				   "is a directory, not a JSON file");
		goto done;
	}
	/* the first bytes, to step over a byte order mark */
	while (r->len < 3 && (rc = more(r, err)) > 0)
		;
	if (rc < 0)
		goto done;
	rc = 0;
	if (r->len >= 3 && !memcmp(r->data, "\xEF\xBB\xBF", 3))
		r->at.pos = 3;
done:
	if (rc) {
		ctm_json_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int ctm_json_next(ctm_json_reader *r, ctm_trial **out, ctm_error *err)
{
	struct origin o = {{0, 0, 0}, NULL, 0};
	json_t *v = NULL;
	int rc;

	*out = NULL;
	ctm_error_clear(err);
	if (!r || r->done)
		return 0;
	rc = next_value(r, &v, &o, err);
	if (rc <= 0)
		return rc;
	if (r->filter) {
		char id[32];
		int32_t when;
		if (peek_study(v, id, &when) &&
		    r->filter(r->filter_ctx, id, when)) {
			json_decref(v);
			return CTM_RECORD_SKIPPED;
		}
	}
	rc = convert(r, v, &o, out, err);
	json_decref(v);
	return rc;
}

void ctm_json_set_filter(ctm_json_reader *r, ctm_record_filter fn, void *ctx)
{
	r->filter = fn;
	r->filter_ctx = ctx;
}

void ctm_json_close(ctm_json_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r->name);
	free(r);
}
