/*
 * ctm/parsers.h - outside text into engine types.
 *
 * ClinicalTrials.gov records (legacy XML; API v2 JSON later), the free-text
 * eligibility criteria, and patient profiles. libxml2 and PCRE2 are private
 * to this module: nothing of theirs appears here.
 */
#ifndef CTM_PARSERS_H
#define CTM_PARSERS_H

#include <ctm/engine.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds on outside input. A record beyond them is rejected, not cut. */
#define CTM_MAX_RECORD_BYTES (16u << 20)   /* one <clinical_study> */
#define CTM_MAX_TEXT_BYTES (1u << 20)	   /* one text field */
#define CTM_MAX_LIST_ITEMS 20000	   /* locations, conditions, ... */
#define CTM_MAX_XML_DEPTH 64

/* ------------------------------------------------------------------ */
/* Formats                                                             */
/* ------------------------------------------------------------------ */

typedef enum ctm_format {
	CTM_FORMAT_UNKNOWN = 0,
	CTM_FORMAT_XML,	 /* starts with '<' after a BOM/whitespace */
	CTM_FORMAT_JSON, /* starts with '{' or '[' */
	CTM_FORMAT_ZIP,	 /* "PK\x03\x04" (or an empty archive) */
} ctm_format;

/* Tells the format of a record source by its first bytes, not its name. */
ctm_format ctm_format_detect(const void *head, size_t len);

/* ------------------------------------------------------------------ */
/* ClinicalTrials.gov legacy XML (<clinical_study>)                    */
/* ------------------------------------------------------------------ */

/*
 * A streaming reader over one XML document holding one <clinical_study>
 * root, or any wrapper element with <clinical_study> children. Never
 * loads a DTD or external entity, never touches the network.
 */
typedef struct ctm_xml_reader ctm_xml_reader;

/* name is used in error messages (a path, "stdin", "archive.zip:f.xml"). */
int ctm_xml_open_file(ctm_xml_reader **out, const char *path, ctm_error *err);
/* buf must outlive the reader. */
int ctm_xml_open_memory(ctm_xml_reader **out, const char *buf, size_t len,
			const char *name, ctm_error *err);
void ctm_xml_close(ctm_xml_reader *r); /* NULL is a no-op */

/*
 * Reads the next record. Returns 1 and sets *out (owned by the caller:
 * ctm_trial_free) on success; 0 at the end of the document; a negative
 * CTM_E* with err naming file, line and reason when a record is rejected.
 * After CTM_EPARSE for a record that was well-formed XML (a missing
 * nct_id, say) the caller may call again for the next record; after a
 * well-formedness error the document ends there (the next call gives 0).
 * Criteria are not parsed here: see ctm_criteria_parse().
 */
int ctm_xml_next(ctm_xml_reader *r, ctm_trial **out, ctm_error *err);

/*
 * A re-ingest that skips what the index already holds. With a filter set,
 * a reader first reads each record only as far as its NCT id and its
 * last-update date (by the field rules of the full read) and asks
 * fn(ctx, nct_id, last_update): true skips the record, and ctm_xml_next()
 * / ctm_json_next() return CTM_RECORD_SKIPPED with no trial; false reads
 * it whole, as without a filter. A record whose id or date cannot be read
 * that way is read whole (so its rejection is reported as ever). The XML
 * reader reads a kept record again from its source (a second streaming
 * reader that follows the first); the JSON reader decodes each study once.
 */
typedef bool (*ctm_record_filter)(void *ctx, const char *nct_id,
				  int32_t last_update);
#define CTM_RECORD_SKIPPED 2
void ctm_xml_set_filter(ctm_xml_reader *r, ctm_record_filter fn, void *ctx);

/* ------------------------------------------------------------------ */
/* ClinicalTrials.gov JSON (API v2; the retired classic API)           */
/* ------------------------------------------------------------------ */

/*
 * A reader over ClinicalTrials.gov study records in JSON, told apart by
 * content, not name:
 *   - one API v2 study object            {"protocolSection": {...}, ...}
 *   - an API v2 search response          {"studies": [...], ...}
 *   - a JSON array of study objects      [{...}, {...}]
 *   - NDJSON: one study object per line
 *   - the retired classic API's full-studies response
 *     {"FullStudiesResponse": {"FullStudies": [{"Study": ...}]}}, or a
 *     bare {"Study": {"ProtocolSection": ...}}; its DataVrs date becomes
 *     download_date (API v2 carries none: download_date stays 0)
 * Anything else is refused with a message saying what it is (a classic
 * study-fields response; a derived export such as {"trials": [{"nct_id":
 * ...}]}, which is not registry data).
 *
 * The trial's fields follow the XML reader's rules (trimmed text, empty
 * coded values absent, v2 upper-case codes mapped to the legacy XML
 * spellings: "PHASE1","PHASE2" -> "Phase 1/Phase 2", "DRUG" -> "Drug",
 * "RECRUITING" -> "Recruiting"), so a trial read from either format gives
 * the same ctm_trial. criteria_text is the JSON string exactly as decoded.
 *
 * Documents are read one study at a time: memory is bounded by the
 * largest study (CTM_MAX_RECORD_BYTES), whatever the document's size.
 */
typedef struct ctm_json_reader ctm_json_reader;

/* name is used in error messages. buf must outlive the reader. */
int ctm_json_open_memory(ctm_json_reader **out, const char *buf, size_t len,
			 const char *name, ctm_error *err);
int ctm_json_open_file(ctm_json_reader **out, const char *path,
		       ctm_error *err);
void ctm_json_close(ctm_json_reader *r); /* NULL is a no-op */

/*
 * Reads the next study: the contract of ctm_xml_next(). 1 and *out (the
 * caller's: ctm_trial_free) for a study; 0 at the end of the document
 * ("[]" and an empty search page hold no study and are no error); a
 * negative CTM_E* with err when a study is rejected - file, line and
 * column where the study starts, err->field its JSON path (e.g.
 * "studies[3].protocolSection.statusModule.overallStatus"; the last key
 * when the path is too long, the message then starting with the path),
 * the message starting with the NCT id when known - after which the next
 * call goes on with the next study. After a JSON syntax error (err:
 * jansson's message, line and column; CTM_ELIMIT for a study over
 * CTM_MAX_RECORD_BYTES) the document ends, except in NDJSON, where
 * reading goes on at the next line that starts with '{'.
 */
int ctm_json_next(ctm_json_reader *r, ctm_trial **out, ctm_error *err);

/* The filter of ctm_xml_set_filter(), for JSON studies. */
void ctm_json_set_filter(ctm_json_reader *r, ctm_record_filter fn, void *ctx);

/* ------------------------------------------------------------------ */
/* Eligibility criteria                                                */
/* ------------------------------------------------------------------ */

/* One criterion as cut from the text block, before extraction. */
typedef struct ctm_segment {
	ctm_section section;
	const char *text;    /* exact original text, arena-owned */
	const char *heading; /* enclosing sub-heading, or NULL */
} ctm_segment;

/*
 * Splits a criteria text block into single criteria with their sections:
 * "Inclusion Criteria:"/"Exclusion Criteria:" headers and variants, the
 * NCI PDQ layout (DISEASE CHARACTERISTICS: ...), and text with no header;
 * bullets, numbers, letters, dashes, nested items, wrapped lines, CR/CRLF.
 * Everything is allocated in `a`. Never fails on odd text: the worst case
 * is one unspecified segment per paragraph.
 */
int ctm_criteria_segment(const char *text, ctm_arena *a, ctm_segment **out,
			 size_t *n_out, ctm_error *err);

/*
 * The criteria reader's rules (engine/lexicon/rules/) and patterns (PCRE2,
 * JIT) bound to a lexicon. Build once, share between threads; each thread
 * parses with its own ctm_criteria_ctx. A pattern is compiled the first
 * time a sentence needs it (a command that reads one diagnosis needs a few
 * of the ~300); ctm_criteria_parser_compile() compiles all of them at once
 * and reports the first that does not compile (file, line, offset), as a
 * bulk reader (ingest, reparse) does before it starts. A pattern that does
 * not compile when first used leaves its sentence review.
 */
typedef struct ctm_criteria_parser ctm_criteria_parser;
typedef struct ctm_criteria_ctx ctm_criteria_ctx;

int ctm_criteria_parser_new(ctm_criteria_parser **out, const ctm_lexicon *lx,
			    ctm_error *err);
int ctm_criteria_parser_compile(ctm_criteria_parser *p, ctm_error *err);
void ctm_criteria_parser_free(ctm_criteria_parser *p);
int ctm_criteria_ctx_new(ctm_criteria_ctx **out, const ctm_criteria_parser *p);
void ctm_criteria_ctx_free(ctm_criteria_ctx *c);

/*
 * Extracts the constraints of one criterion (section and text set by the
 * caller) into c->expr/c->constraints, allocated in `a`, and sets
 * c->structured. A sentence not fully understood stays review.
 */
int ctm_criteria_extract(ctm_criteria_ctx *ctx, ctm_criterion *c,
			 ctm_arena *a, ctm_error *err);

/*
 * How today's reader reads one criterion (section, heading and text as
 * the caller gives them, e.g. as stored), for `ctmatch show`: the lexicon
 * mentions it tagged, the frames (recognizers) that read a part of it, in
 * the order they read, the words no frame read, and why it stays review
 * ("" when it reads). Read afresh, never from the memo; what the reading
 * sets in c is not kept (c is not changed). Everything in *out points into
 * ctx and lives until ctx is used again. 0, or CTM_ENOMEM.
 *
 * Unread words are those of the skeleton left when reading ended that are
 * not a clause, a mark, or a word of the grammar's lists in
 * rules/words.tsv (connective, negation, exclusion, permission, modal,
 * filler): a tag no frame took shows as its text.
 */
typedef struct ctm_criteria_tag {
	const char *text; /* as tagged: normalised and rewritten */
	ctm_concept concept;
} ctm_criteria_tag;

typedef struct ctm_criteria_reading {
	const ctm_criteria_tag *tags;
	size_t n_tags;
	const char *const *frames; /* recognizer names, e.g. "biomarker" */
	size_t n_frames;
	const char *unread; /* space-separated; "" when none */
	const char *reason; /* "" when the criterion reads */
} ctm_criteria_reading;

int ctm_criteria_explain(ctm_criteria_ctx *ctx, const ctm_criterion *c,
			 ctm_criteria_reading *out, ctm_error *err);

/*
 * A criterion's expression as one readable line for coordinators ("KRAS
 * wild-type AND NRAS wild-type", "NOT prior anti-EGFR", "ECOG 0-1"; the
 * notation is described in parsers/criteria_print.h), or "review". lx names
 * the concepts. Returns the length the full text needs (snprintf-style).
 */
size_t ctm_criterion_format(const ctm_criterion *c, const ctm_lexicon *lx,
			    char *buf, size_t size);
/* One constraint (a leaf) the same way. */
size_t ctm_constraint_format(const ctm_constraint *k, const ctm_lexicon *lx,
			     char *buf, size_t size);

/*
 * A patient's free-text diagnosis read the way a criterion is read (the
 * same rewrites, lexicon tagging and grammar, so word order and
 * abbreviations do not matter: "adenocarcinoma of the sigmoid colon",
 * "CRC", "colon ca"): *out is the one disease it names, with or without
 * its stage, sites or other facts; 0. CTM_EINVALID when it denies a
 * disease ("no cancer", "no evidence of colon cancer"); CTM_ENOTFOUND when
 * it does not read as one disease (not fully understood, or alternatives);
 * CTM_ENOMEM.
 */
int ctm_criteria_diagnosis(ctm_criteria_ctx *ctx, const char *text,
			   ctm_concept *out);

/*
 * Segments t->criteria_text and extracts every criterion into
 * t->criteria (in t->arena); sets t->lexicon_hash. No text: no criteria.
 * Then reads the trial's population (ctm_trial_population()).
 */
int ctm_criteria_parse(ctm_criteria_ctx *ctx, ctm_trial *t, ctm_error *err);

/*
 * The version a trial's criteria get when read today with lexicon lx
 * (what ctm_criteria_parse() puts in t->lexicon_hash): the lexicon's
 * content (built-in and added files), the reading rules and the reader's
 * own sources (hashed at build time). A trial stored with another version
 * was read by other rules or code: `ctmatch reparse` reads it again.
 * Cheap: builds no parser.
 */
uint64_t ctm_criteria_current_version(const ctm_lexicon *lx);

/* ------------------------------------------------------------------ */
/* Patient profiles (JSON, format 1; CSV rosters)                      */
/* ------------------------------------------------------------------ */

/*
 * Reads one profile from JSON text (one object). `source` names the file
 * in errors; `today` (YYYYMMDD) resolves birth_date into an age. Terms are
 * normalised through lx; unrecognised therapies and genes become warnings
 * in the profile naming the nearest known term. Errors (CTM_EPARSE,
 * CTM_EINVALID) name source, line and column where known, the patient id
 * (in the message) and the key (err->field).
 */
int ctm_profile_parse(const char *text, size_t len, const char *source,
		      const ctm_lexicon *lx, int32_t today, ctm_profile **out,
		      ctm_error *err);

/*
 * Flags of ctm_profile_parse_flags() and ctm_profile_reader_set_flags().
 * CTM_PROFILE_SHOW_VALUES: errors and warnings show the offending value
 * ("ecog: expected an integer from 0 to 5, got 9"); without it they name
 * the file, line, patient id and key only ("ecog: expected an integer
 * from 0 to 5"), so that logs carry no clinical values. The CLI sets it
 * when stderr is a terminal or with --show-values.
 */
enum { CTM_PROFILE_SHOW_VALUES = 1u << 1 };

/* ctm_profile_parse() with flags (ctm_profile_parse() is flags 0). */
int ctm_profile_parse_flags(const char *text, size_t len, const char *source,
			    const ctm_lexicon *lx, int32_t today,
			    unsigned flags, ctm_profile **out, ctm_error *err);

/*
 * A reader over many profiles: a JSON array, NDJSON, a single object, a
 * directory of *.json files, or a CSV roster (by content: a first
 * non-blank byte other than '[' or '{' means CSV). "-" is standard input.
 */
typedef struct ctm_profile_reader ctm_profile_reader;

int ctm_profile_reader_open(ctm_profile_reader **out, const char *path,
			    const ctm_lexicon *lx, int32_t today,
			    ctm_error *err);
/*
 * The same over buf[0..len) (any of the formats above but a directory);
 * buf must outlive the reader. name is used in error messages.
 */
int ctm_profile_reader_open_memory(ctm_profile_reader **out, const char *buf,
				   size_t len, const char *name,
				   const ctm_lexicon *lx, int32_t today,
				   ctm_error *err);
/*
 * 1 and *out (the caller's) for a profile; 0 at the end; a negative
 * CTM_E* with err (source, line, patient id, key, reason) for one bad
 * profile, after which the next call goes on with the next one.
 */
int ctm_profile_reader_next(ctm_profile_reader *r, ctm_profile **out,
			    ctm_error *err);
void ctm_profile_reader_close(ctm_profile_reader *r);
/* Flags for the profiles next() reads from now on (CTM_PROFILE_SHOW_VALUES;
 * default 0). */
void ctm_profile_reader_set_flags(ctm_profile_reader *r, unsigned flags);
/*
 * Diagnoses read from now on are read with ctx as a criterion is
 * (ctm_criteria_diagnosis(); ctx must outlive the reads), falling back to
 * the lexicon's disease terms for a text that grammar does not read as one
 * disease; a diagnosis that denies a disease ("no cancer") is an error.
 * Without it (the default) only the terms are looked up.
 */
void ctm_profile_reader_set_criteria(ctm_profile_reader *r,
				     ctm_criteria_ctx *ctx);
/* The file and starting line of the profile the last next() read. */
void ctm_profile_reader_where(const ctm_profile_reader *r,
			      const char **source, int *line);

/*
 * The profile as ctmatch read it, as spec/patient-profile.md JSON (two
 * spaces of indent, no final newline): recognised terms by their
 * canonical name, unknown facts as absent keys, birth_date as the age it
 * gave. With CTM_PROFILE_JSON_WARNINGS the document is {"profile": {..},
 * "warnings": [..]}. *out is the caller's (free()). CTM_ENOMEM.
 */
enum { CTM_PROFILE_JSON_WARNINGS = 1u << 0 };
int ctm_profile_format_json(char **out, const ctm_profile *p,
			    const ctm_lexicon *lx, unsigned flags);

#ifdef __cplusplus
}
#endif

#endif /* CTM_PARSERS_H */
