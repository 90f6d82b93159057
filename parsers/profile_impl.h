/*
 * profile_impl.h - what profile.c (JSON, the reader, the normaliser) and
 * profile_csv.c (CSV rosters) share. Private to parsers/.
 *
 * Every profile, whatever it came from, is first a jansson object shaped
 * as spec/patient-profile.md says, then goes through one normaliser,
 * ctm_profile_from_json(). A CSV row is turned into such an object by
 * ctm_csv_next(); it does not normalise anything itself.
 */
#ifndef CTM_PROFILE_IMPL_H
#define CTM_PROFILE_IMPL_H

#include <ctm/engine.h>
#include <ctm/parsers.h>

#include <jansson.h>
#include <stdbool.h>

/*
 * Messages about a profile name the file, line, patient id and key always,
 * and the offending value only when the caller asks
 * (CTM_PROFILE_SHOW_VALUES): nightly logs carry no clinical values. A
 * message is written once, the parts that show a value between VB and VE
 * and the wording that replaces them, if any, between NB and NE:
 *
 *     "%s: " VB "'%s' is " VE "not a known therapy"
 *
 * Every argument is formatted, then ctm_msg_values() keeps one set of
 * parts; so an argument that is a value must sit between VB and VE, and
 * its text must hold no byte 0x01..0x04 (show(), got() and the FHIR
 * reader's clean() write control characters as '?').
 */
#define VB  "\x01" /* a part shown only with the values */
#define VE  "\x02"
#define NB  "\x03" /* a part shown only without them */
#define NE  "\x04"
#define GOT VB ", got %s" VE

/* Keeps msg's VB..VE parts (show) or its NB..NE parts, in place, and
 * drops the marks. */
void ctm_msg_values(char *msg, bool show);

/*
 * Puts the n warnings marked[] (with VB..VE marks) before p's, as
 * p->warnings (with the values) and p->warnings_no_values (without), in
 * p's arena. CTM_ENOMEM.
 */
int ctm_profile_add_warnings(ctm_profile *p, const char *const *marked,
			     size_t n);

/* Bounds on outside input (spec/patient-profile.md, "Bad input"). */
#define CTM_PROFILE_MAX_BYTES  ((size_t)1 << 20) /* one profile */
#define CTM_PROFILE_MAX_SOURCE ((size_t)1 << 30) /* one file */
#define CTM_PROFILE_MAX_ITEMS  1000		 /* one list */
#define CTM_PROFILE_MAX_ID     128		 /* bytes of "id" */
#define CTM_PROFILE_MAX_TEXT   4096		 /* any other string */

/*
 * Where a profile object came from, so that an error can name a line and
 * column. With text, the object is text[0..len) (valid JSON, as jansson
 * accepted it) and line/column are those of text[0]; the normaliser finds
 * the offending key in it. Without text (a CSV row), line is the row's
 * first physical line and column is 0.
 */
typedef struct ctm_profile_where {
	const char *text;
	size_t len;
	int line;
	int column;
} ctm_profile_where;

/*
 * Normalises one profile object (spec/patient-profile.md, format 1) into
 * *out (the caller's: ctm_profile_free). obj is not modified. where may
 * be NULL. Errors: CTM_EINVALID (wrong type, impossible value),
 * CTM_ELIMIT (a list over CTM_PROFILE_MAX_ITEMS), CTM_ENOMEM; err names
 * source, line and column where known, the key path in err->field
 * ("biomarkers[1].status") and the patient id in the message.
 */
int ctm_profile_from_json(json_t *obj, const ctm_lexicon *lx, int32_t today,
			  const char *source, const ctm_profile_where *where,
			  unsigned flags, ctm_criteria_ctx *dx,
			  ctm_profile **out, ctm_error *err);

/*
 * jansson's error text in buf, its " near '<token>'" part (a piece of the
 * input) between VB and VE and control characters as '?'.
 */
const char *ctm_json_error_text(const char *text, char *buf, size_t size);

/* ---- CSV rosters (profile_csv.c) ---------------------------------- */

typedef struct ctm_csv ctm_csv;

/*
 * Opens the CSV roster buf[0..len) (buf must outlive the reader; a UTF-8
 * BOM is skipped) and reads its header row. source names it in errors; a
 * column named by a lab's profile key (lx's labs.tsv) is that lab.
 * CTM_EPARSE for a header that cannot be used (no "id" column, an empty
 * or repeated column name, a malformed row); CTM_ENOMEM.
 */
int ctm_csv_open(ctm_csv **out, const char *buf, size_t len, const char *source,
		 const ctm_lexicon *lx, ctm_error *err);

/*
 * The next data row as a profile object (*obj, the caller's: decref) and
 * the physical line it starts on (*line). Returns 1, 0 at the end, or a
 * negative CTM_E* for a row that is not well-formed CSV, after which the
 * next call goes on with the next row. Cells that do not convert to the
 * key's JSON type are passed on as strings, so that the normaliser
 * rejects them with the same message as JSON input.
 */
int ctm_csv_next(ctm_csv *c, json_t **obj, int *line, ctm_error *err);
void ctm_csv_close(ctm_csv *c); /* NULL is a no-op */

/* ---- FHIR R4 mCODE Bundles (profile_fhir.c) ----------------------- */

/* A FHIR Bundle may be larger than a profile: a Synthea record is MBs. */
#define CTM_FHIR_MAX_BYTES ((size_t)64 << 20)

/* True for a JSON object with a "resourceType" string: FHIR, not a
 * profile. */
bool ctm_fhir_is_resource(json_t *obj);

/*
 * Reads one patient's FHIR R4 Bundle (mCODE STU1-STU3) into *out (the
 * caller's: ctm_profile_free) through ctm_profile_from_json(); what it
 * does not understand becomes one warning per resource in the profile.
 * Errors (CTM_EINVALID): not a Bundle, no Patient or more than one, and
 * the normaliser's (an unrecognised diagnosis, ...), naming source and
 * where->line/column (where may be NULL).
 */
int ctm_fhir_profile(json_t *doc, const ctm_lexicon *lx, int32_t today,
		     const char *source, const ctm_profile_where *where,
		     unsigned flags, ctm_criteria_ctx *dx, ctm_profile **out,
		     ctm_error *err);

/*
 * Bulk FHIR $export output: a directory of NDJSON files (one resource a
 * line), grouped by patient reference into one Bundle a patient, in the
 * order the Patient files list them.
 */
typedef struct ctm_fhir_bulk ctm_fhir_bulk;

/* True if dir holds *.ndjson files. */
bool ctm_fhir_dir_is_bulk(const char *dir);
/* Reads the whole export; CTM_EIO, CTM_ENOMEM. A line that is not a
 * resource is kept as an error that next() reports in its turn. */
int ctm_fhir_bulk_open(ctm_fhir_bulk **out, const char *dir, ctm_error *err);
/* 1 and *bundle (the caller's: decref), 0 at the end, or a negative
 * CTM_E* for one bad line (its message showing values only with show),
 * after which next() goes on. */
int ctm_fhir_bulk_next(ctm_fhir_bulk *b, bool show, json_t **bundle,
		       ctm_error *err);
/* The file and line of the last patient's Patient resource. */
void ctm_fhir_bulk_where(const ctm_fhir_bulk *b, const char **source,
			 int *line);
void ctm_fhir_bulk_close(ctm_fhir_bulk *b); /* NULL is a no-op */

#endif
