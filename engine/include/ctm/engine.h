/*
 * ctm/engine.h - the vocabulary every ctmatch module speaks.
 *
 * Errors, arenas, trials and their criteria, concepts and the lexicon.
 * parsers/ turns outside text into these types, index/ stores them,
 * the matcher (also in engine/) decides, cli/ talks to people.
 */
#ifndef CTM_ENGINE_H
#define CTM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

/* Return codes: 0 on success, a negative CTM_E* for each expected failure. */
enum {
	CTM_OK = 0,
	CTM_ENOTFOUND = -1, /* no such trial, key or file */
	CTM_EPARSE = -2,    /* malformed input: file, line, column say where */
	CTM_EINDEX = -3,    /* the index could not be opened, read or written */
	CTM_ENOMEM = -4,    /* out of memory */
	CTM_EINVALID = -5,  /* a value is out of range or of the wrong kind */
	CTM_EIO = -6,       /* a file could not be read or written */
	CTM_ELIMIT = -7,    /* an input exceeds a size bound */
	CTM_EVERSION = -8,  /* an index or record of another schema version */
	CTM_EBUSY = -9,     /* another process holds what we need */
};

#define CTM_ERROR_MSG_MAX 512
#define CTM_ERROR_FILE_MAX 512

/*
 * A caller-owned error: a one-line message plus where, when known.
 * line and column are 1-based; 0 means unknown.
 */
typedef struct ctm_error {
	int code;
	int line;
	int column;
	char file[CTM_ERROR_FILE_MAX];
	char field[64]; /* the field, key or element involved, or "" */
	char message[CTM_ERROR_MSG_MAX];
} ctm_error;

/* Clears err (NULL is allowed). */
void ctm_error_clear(ctm_error *err);

/*
 * Sets err (NULL is allowed) and returns code, so that a function can
 * `return ctm_error_set(err, CTM_EPARSE, file, line, col, "...", ...)`.
 * file may be NULL. The message is printf-formatted and truncated to fit.
 */
int ctm_error_set(ctm_error *err, int code, const char *file, int line,
		  int column, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/* Sets err->field (NULL is allowed for err). */
void ctm_error_set_field(ctm_error *err, const char *field);

/*
 * Formats err as "file:line:col: field: message" into buf, leaving out the
 * parts that are unknown. Returns buf.
 */
const char *ctm_error_format(const ctm_error *err, char *buf, size_t size);

/* A static English name for a CTM_E* code. */
const char *ctm_strerror(int code);

/* ------------------------------------------------------------------ */
/* Arenas                                                              */
/* ------------------------------------------------------------------ */

/*
 * A bump allocator: everything a trial owns lives in one arena and is
 * freed at once. Built with -DCTM_ARENA_MALLOC=ON every allocation is a
 * plain malloc, so ASan and valgrind see each one.
 */
typedef struct ctm_arena ctm_arena;

ctm_arena *ctm_arena_new(void);
void ctm_arena_free(ctm_arena *a); /* NULL is a no-op */
/* Zeroed, aligned to max_align_t. NULL on out of memory. */
void *ctm_arena_alloc(ctm_arena *a, size_t size);
/* Like ctm_arena_alloc but not zeroed (for buffers filled at once). */
void *ctm_arena_alloc_uninit(ctm_arena *a, size_t size);
/* Copies len bytes of s and adds a NUL. NULL on out of memory. */
char *ctm_arena_strndup(ctm_arena *a, const char *s, size_t len);
char *ctm_arena_strdup(ctm_arena *a, const char *s); /* NULL s gives NULL */
/* Frees everything allocated so far, keeping one block for reuse. */
void ctm_arena_reset(ctm_arena *a);
/* Bytes handed out so far (for statistics). */
size_t ctm_arena_used(const ctm_arena *a);

/* ------------------------------------------------------------------ */
/* Trials                                                              */
/* ------------------------------------------------------------------ */

/* Overall recruitment status; both ClinicalTrials.gov spellings map here. */
typedef enum ctm_status {
	CTM_STATUS_UNKNOWN = 0, /* absent or "Unknown status" */
	CTM_STATUS_NOT_YET_RECRUITING,
	CTM_STATUS_RECRUITING,
	CTM_STATUS_ENROLLING_BY_INVITATION,
	CTM_STATUS_ACTIVE_NOT_RECRUITING,
	CTM_STATUS_SUSPENDED,
	CTM_STATUS_TERMINATED,
	CTM_STATUS_COMPLETED,
	CTM_STATUS_WITHDRAWN,
	CTM_STATUS_AVAILABLE,
	CTM_STATUS_NO_LONGER_AVAILABLE,
	CTM_STATUS_TEMPORARILY_NOT_AVAILABLE,
	CTM_STATUS_APPROVED_FOR_MARKETING,
	CTM_STATUS_WITHHELD,
	CTM_STATUS_COUNT_
} ctm_status;

/*
 * Parses "Recruiting", "Not yet recruiting", "Active, not recruiting",
 * "Unknown status" (legacy XML) or "RECRUITING", "ACTIVE_NOT_RECRUITING",
 * "UNKNOWN" (API v2), case-insensitively. Returns -1 if not recognised.
 */
int ctm_status_parse(const char *s);
/* The legacy display name ("Active, not recruiting"). */
const char *ctm_status_name(ctm_status s);
/* Stable lower-case token for postings and CSV ("active_not_recruiting"). */
const char *ctm_status_token(ctm_status s);
/* True for recruiting and not yet recruiting: the default match set. */
bool ctm_status_is_open(ctm_status s);

typedef enum ctm_gender {
	CTM_GENDER_UNSPECIFIED = 0, /* element absent */
	CTM_GENDER_ALL,		    /* "All", "Both" */
	CTM_GENDER_FEMALE,
	CTM_GENDER_MALE,
} ctm_gender;

/* "All", "Both", "Female", "Male" (any case, v2 "ALL" etc.). -1 if not. */
int ctm_gender_parse(const char *s);
const char *ctm_gender_name(ctm_gender g); /* "All", "Female", "Male", "" */

/* Ages are in years; CTM_AGE_UNBOUNDED is "N/A" or absent. */
#define CTM_AGE_UNBOUNDED (-1.0)

/*
 * Parses "18 Years", "6 Months", "1 Week", "30 Days", "12 Hours",
 * "90 Minutes" (singular or plural, any case) or "N/A" into years.
 * Returns 0 and sets *years (CTM_AGE_UNBOUNDED for N/A or empty), or
 * CTM_EPARSE.
 */
int ctm_age_parse(const char *s, double *years);

/*
 * Dates are YYYYMMDD integers (20230203); 0 is unknown. A month-only date
 * ("March 2005") is the first of the month.
 * Parses "February 3, 2023", "February 03, 2023", "March 2005",
 * "2023-02-03", "2023-02", and the download-date sentence
 * "ClinicalTrials.gov processed this data on February 03, 2023".
 * Returns 0 and sets *out, or CTM_EPARSE.
 */
int ctm_date_parse(const char *s, int32_t *out);
/* Writes "YYYY-MM-DD" (or "" for 0) into buf[11]. Returns buf. */
const char *ctm_date_format(int32_t d, char buf[11]);

typedef struct ctm_intervention {
	const char *type; /* "Drug", "Procedure", ... (v2 upper-case mapped) */
	const char *name;
	const char **other_names;
	size_t n_other_names;
} ctm_intervention;

typedef struct ctm_location {
	const char *facility; /* may be NULL when absent */
	const char *city;
	const char *state;
	const char *zip;
	const char *country;
	const char *status; /* site recruitment status as in the record */
} ctm_location;

/* True for a site recruiting or not yet recruiting, or of no stated
 * status: a site a patient may be sent to (matching, and the record's
 * list of recruiting places). */
bool ctm_location_recruiting(const ctm_location *l);

typedef struct ctm_criterion ctm_criterion;
typedef struct ctm_lexicon ctm_lexicon;
/* A concept id: index into the lexicon's concept table; 0 is "none". */
/*
 * FNV-1a (64 bits) of s[0..n), continuing from h (CTM_FNV_SEED to start):
 * the one string hash of the project (hash tables, versions, shards,
 * clusters); stable across machines and runs.
 */
#define CTM_FNV_SEED 14695981039346656037ull
uint64_t ctm_fnv1a(const void *s, size_t n, uint64_t h);

typedef uint32_t ctm_concept;

/*
 * One trial as parsed from a record or read back from the index.
 * Every pointer points into `arena`; strings are UTF-8, NUL-terminated,
 * and NULL when the element was absent. Free with ctm_trial_free().
 */
typedef struct ctm_trial {
	ctm_arena *arena;

	const char *nct_id;
	const char *brief_title;
	const char *official_title;
	ctm_status status;
	const char *phase;	/* "Phase 1/Phase 2", "N/A", ... or NULL */
	const char *study_type; /* "Interventional", ... or NULL */
	const char *lead_sponsor;

	const char **conditions;
	size_t n_conditions;
	const char **keywords;
	size_t n_keywords;
	const char **condition_mesh;
	size_t n_condition_mesh;

	ctm_intervention *interventions;
	size_t n_interventions;

	/* eligibility */
	bool has_eligibility;
	/* The criteria text block decoded exactly as libxml2 reads it
	 * (entities such as &#xD; decoded, nothing trimmed), or NULL. */
	const char *criteria_text;
	ctm_gender gender;
	double min_age_years; /* CTM_AGE_UNBOUNDED when N/A or absent */
	double max_age_years;
	int healthy_volunteers; /* -1 unknown, 0 no, 1 accepts */

	ctm_location *locations;
	size_t n_locations;

	int32_t first_posted;  /* YYYYMMDD or 0 */
	int32_t last_update;   /* YYYYMMDD or 0; decides upserts */
	int32_t download_date; /* YYYYMMDD or 0 */

	/* Filled by the criteria parser (parsers/), stored by the index. */
	ctm_criterion *criteria;
	size_t n_criteria;
	/* the version of the reading (lexicon, rules and reader code:
	 * ctm_criteria_current_version()), or 0 when read without a lexicon */
	uint64_t lexicon_hash;

	/* The population (spec/matching.md): the disease concepts the trial
	 * is for, read by ctm_trial_population(); none means not read. */
	ctm_concept *population;
	size_t n_population;
	/* A condition names a cancer the lexicon does not read: the list is
	 * not the whole population, so it can admit a patient, never bar. */
	bool population_partial;

	/* The cohorts, parts or arms whose own criteria the text sets apart
	 * ("Cohort A", "Part 2", "Arm B"), as first written; cohort i is bit
	 * i of ctm_criterion.cohorts. None (0) when the text has no cohort
	 * structure, or one not clear enough to read (spec/matching.md). */
	const char **cohorts;
	size_t n_cohorts; /* at most CTM_MAX_COHORTS */
} ctm_trial;

/* The most cohorts a trial's criteria are told apart by. */
#define CTM_MAX_COHORTS 32

/*
 * "NCT01234567" -> 1234567 (the 8 digits). Returns 0 and sets *num, or
 * CTM_EINVALID if s is not "NCT" followed by exactly 8 digits.
 */
int ctm_nct_parse(const char *s, uint32_t *num);
/* 1234567 -> "NCT01234567" into buf[12]. Returns buf. */
const char *ctm_nct_format(uint32_t num, char buf[12]);

/*
 * The posting keys a trial is filed under, each passed to fn:
 * "status:<token>", "sex:all|female|male", and, with a lexicon,
 * "disease:<canonical>" for every disease concept named in the
 * conditions, keywords, titles or condition MeSH terms (named ones only,
 * not their ancestors: see ctm_match_diseases()), less a broad MeSH
 * heading beside a narrower disease ("Neoplasms" beside "Thyroid
 * Neoplasms"); when those name none, the diseases the inclusion criteria
 * name; when that names none either, "disease:unclassified". Keys are
 * passed once each.
 * fn returning non-zero stops and that value is returned.
 */
typedef int (*ctm_facet_fn)(void *ctx, const char *key);
int ctm_trial_facets(const ctm_trial *t, const ctm_lexicon *lx,
		     ctm_facet_fn fn, void *ctx);

/*
 * Reads t's population from its conditions, their MeSH terms and its
 * inclusion disease criteria (parse the criteria first), into
 * t->population (in t->arena). A site named as a condition ("Liver
 * Metastases") is no population; a broad term ("Advanced Solid Tumours",
 * "Cancer") is one only with nothing but qualifiers beside it; a broad
 * MeSH heading beside a narrower disease is left out ("Neoplasms" beside
 * "Pancreatic Neoplasms"). Returns 0 or CTM_ENOMEM.
 */
int ctm_trial_population(ctm_trial *t, const ctm_lexicon *lx);

/* A new empty trial with its own arena, or NULL on out of memory. */
ctm_trial *ctm_trial_new(void);
void ctm_trial_free(ctm_trial *t); /* NULL is a no-op; frees the arena */

/* ------------------------------------------------------------------ */
/* Concepts and the lexicon                                            */
/* ------------------------------------------------------------------ */

typedef enum ctm_concept_type {
	CTM_CT_NONE = 0,
	CTM_CT_DISEASE,	  /* colorectal adenocarcinoma -> colorectal cancer
			     -> solid tumour */
	CTM_CT_GENE,	  /* KRAS, ERBB2 (alias HER2) */
	CTM_CT_MARKER,	  /* MSI, MMR, TMB, PD-L1 */
	CTM_CT_VARIANT,	  /* KRAS G12C; parent: its gene */
	CTM_CT_DRUG,	  /* cetuximab; parents: its classes */
	CTM_CT_CLASS,	  /* anti-EGFR; parents: broader classes */
	CTM_CT_REGIMEN,	  /* FOLFOX; members: its drugs */
	CTM_CT_PROCEDURE, /* hepatic arterial infusion, liver resection */
	CTM_CT_SITE,	  /* liver, lung, peritoneum, brain, ... */
	CTM_CT_LAB,	  /* anc, platelets, bilirubin, ... */
	CTM_CT_CONDITION, /* HIV infection, heart failure: not the cancer */
	CTM_CT_COUNT_
} ctm_concept_type;


/*
 * Builds a lexicon from the data compiled into the binary (the .tsv
 * files of engine/lexicon/, embedded at build time). *out is owned by the caller: ctm_lexicon_free().
 */
int ctm_lexicon_new(ctm_lexicon **out, ctm_error *err);
void ctm_lexicon_free(ctm_lexicon *lx); /* NULL is a no-op */

/*
 * Extends lx with the lines of a lexicon file (--lexicon FILE), in the
 * same format as the built-in data. A malformed line is CTM_EPARSE naming
 * the file and line; lx is then left as it was before the call.
 */
int ctm_lexicon_load_file(ctm_lexicon *lx, const char *path, ctm_error *err);
/* The same from memory; name is used in error messages. */
int ctm_lexicon_load_text(ctm_lexicon *lx, const char *name, const char *text,
			  size_t len, ctm_error *err);

/*
 * The concept a term names, or 0. Matching ignores case, and treats runs
 * of spaces, hyphens and underscores as one separator ("anti-EGFR" =
 * "anti EGFR", "5-FU" = "5 FU"). Thread-safe once built.
 */
ctm_concept ctm_lexicon_find(const ctm_lexicon *lx, const char *term,
			     size_t len);
ctm_concept_type ctm_lexicon_type(const ctm_lexicon *lx, ctm_concept c);
/* A type's name as the lexicon files write it ("disease", "gene"). */
const char *ctm_concept_type_name(ctm_concept_type t);
/* The canonical name ("cetuximab", "anti-EGFR", "KRAS G12C"); "" for 0. */
const char *ctm_lexicon_name(const ctm_lexicon *lx, ctm_concept c);
/* Looks up a concept by its canonical name and type; 0 if none. */
ctm_concept ctm_lexicon_concept(const ctm_lexicon *lx, ctm_concept_type type,
				const char *canonical);
/*
 * True if c is `ancestor` or reaches it through parent links: drug ->
 * class -> broader class, variant -> gene, disease -> broader disease,
 * site -> broader site. Regimens reach what their member drugs reach.
 */
bool ctm_lexicon_is_a(const ctm_lexicon *lx, ctm_concept c,
		      ctm_concept ancestor);
/*
 * Every concept c is-a, itself included, as a bitset of *words 64-bit
 * words (bit a % 64 of word a / 64 for concept a), owned by the lexicon;
 * NULL (and *words 0) for 0 or a concept not in it. For a caller that
 * walks all of c's ancestors instead of testing every concept.
 */
const uint64_t *ctm_lexicon_ancestors(const ctm_lexicon *lx, ctm_concept c,
				      size_t *words);
/* How many concepts c is-a, itself excluded (0 for a root or 0). */
unsigned ctm_lexicon_depth(const ctm_lexicon *lx, ctm_concept c);
/* The member drugs of a regimen (empty for other concepts). */
size_t ctm_lexicon_members(const ctm_lexicon *lx, ctm_concept regimen,
			   const ctm_concept **members);
/* Number of concepts + 1 (ids run 1 .. count-1). */
size_t ctm_lexicon_count(const ctm_lexicon *lx);
/* Number of terms (synonyms, canonical names included), and the i-th. */
size_t ctm_lexicon_term_count(const ctm_lexicon *lx);
const char *ctm_lexicon_term(const ctm_lexicon *lx, size_t i,
			     ctm_concept *concept);
/*
 * The known term closest to `term` (edit distance) among concepts whose
 * type bit (1u << type) is in type_mask (0 = any), for "did you mean"
 * warnings; NULL if none is near.
 */
const char *ctm_lexicon_nearest(const ctm_lexicon *lx, const char *term,
				unsigned type_mask);
/*
 * Edit distance of a and b with adjacent transpositions (optimal string
 * alignment: "KRSA" is one edit from "KRAS"); limit + 1 when larger than
 * limit or either word is 63 bytes or longer.
 */
size_t ctm_edit_distance(const char *a, const char *b, size_t limit);
/*
 * For "did you mean": the word of words[0..n) nearest to word (one edit
 * for words under 4 bytes, else two), or NULL. A NULL entry ends the list
 * early. Returns a pointer into words.
 */
const char *ctm_nearest_word(const char *word, const char *const *words,
			     size_t n);
/* A hash of all lexicon content; stored with parsed criteria. */
uint64_t ctm_lexicon_hash(const ctm_lexicon *lx);

/*
 * Coded input (engine/lexicon/codes.tsv, "code" lines): the concept that
 * `code` of `system` names, or 0. Systems are short names: snomed,
 * icd10cm, icdo3, loinc, rxnorm, hgnc, oncotree. Codes are not terms:
 * they never match running text.
 */
ctm_concept ctm_lexicon_code(const ctm_lexicon *lx, const char *system,
			     const char *code);
/*
 * Labs as data: one "measure" line a lab in engine/lexicon/labs.tsv
 * (measure <TAB> lab <TAB> profile key <TAB> LOINC codes <TAB> unit <TAB>
 * low..high <TAB> threshold family; - for none). Adding a lab a profile
 * holds is one such line (and its lab concept line): the profile reader
 * (JSON, CSV columns, FHIR by LOINC), `ctmatch profile`, the criteria
 * parser and the matcher all read this table.
 */
typedef struct ctm_lab_info {
	ctm_concept lab;
	const char *key;  /* the profile's "labs" key; NULL: not held */
	const char *unit; /* the profile's unit (UCUM; "{ULN}": x ULN) */
	bool has_range;	  /* lo..hi: the values plausible in unit */
	double lo, hi;
	/* how a criterion's threshold is read into unit: "count" (10^9/L,
	 * 10^3/uL, /uL), "hemoglobin" (g/dL, g/L, mmol/L), "g/dL" (g/dL,
	 * g/L), "ULN" (x ULN, or mg/dL and umol/L as other concepts),
	 * "clearance" (mL/min), "percent" (%, % predicted, or no unit),
	 * "ratio" (no unit, or x ULN); NULL: only a number without a unit */
	const char *family;
} ctm_lab_info;

/* The lab's measure line, or NULL. Valid until lx is changed. */
const ctm_lab_info *ctm_lexicon_lab_info(const ctm_lexicon *lx,
					 ctm_concept lab);
/* The i-th lab a profile holds (a measure line with a key), in the order
 * of the lines; NULL past the last. */
const ctm_lab_info *ctm_lexicon_profile_lab(const ctm_lexicon *lx, size_t i);
/* The lab a profile holds under `key` ("anc"), or NULL. */
const ctm_lab_info *ctm_lexicon_lab_by_key(const ctm_lexicon *lx,
					   const char *key);

/*
 * Lab units (engine/lexicon/units.tsv). ctm_lexicon_lab_unit() sets
 * *factor to what a value of lab `lab` in UCUM `unit` is multiplied by to
 * be in the profile's unit; CTM_ENOTFOUND for a unit it does not convert.
 * ctm_lexicon_lab_range() gives the profile's unit of the lab and the
 * range of values plausible in it (its measure line); CTM_ENOTFOUND if
 * none is recorded. The strings belong to lx.
 */
int ctm_lexicon_lab_unit(const ctm_lexicon *lx, ctm_concept lab,
			 const char *unit, double *factor);
int ctm_lexicon_lab_range(const ctm_lexicon *lx, ctm_concept lab,
			  const char **unit, double *lo, double *hi);
/*
 * A lab value in the profile's unit: value in `unit` (NULL or "" = the
 * profile's unit already) converted into *out. CTM_ENOTFOUND for a unit
 * the lab does not convert; CTM_EINVALID (*out still set) for a value
 * outside the plausible range (an ANC of 1200 in 10^9/L was typed per uL).
 */
int ctm_lexicon_lab_value(const ctm_lexicon *lx, ctm_concept lab, double value,
			  const char *unit, double *out);

/* A lexicon term found in running text: bytes [start, end). */
typedef struct ctm_term_hit {
	size_t start, end;
	ctm_concept concept;
} ctm_term_hit;

/*
 * Finds lexicon terms in text, left to right, longest match first, on
 * word boundaries, with the same folding as ctm_lexicon_find(); only
 * concepts whose type bit (1u << type) is in type_mask (0 = any). Writes
 * at most max hits and returns how many there are in all.
 */
size_t ctm_lexicon_scan(const ctm_lexicon *lx, const char *text, size_t len,
			unsigned type_mask, ctm_term_hit *hits, size_t max);

/* ------------------------------------------------------------------ */
/* Criteria                                                            */
/* ------------------------------------------------------------------ */

typedef enum ctm_section {
	CTM_SECTION_UNSPECIFIED = 0,
	CTM_SECTION_INCLUSION,
	CTM_SECTION_EXCLUSION,
} ctm_section;

const char *ctm_section_name(ctm_section s); /* "inclusion", ... */

/* What a constraint is about. Each evaluates to true/false/unknown. */
typedef enum ctm_kind {
	CTM_K_NONE = 0,
	CTM_K_DISEASE,	   /* patient's diagnosis is-a `concept` */
	CTM_K_STAGE,	   /* stage number (0..4) within [lo, hi] */
	CTM_K_METASTATIC,  /* patient has distant metastases */
	CTM_K_RESECTABLE,  /* patient's disease judged resectable */
	CTM_K_BIOMARKER,   /* gene/marker `concept` has `status`
			      (and `variant` if set; value in [lo,hi]) */
	CTM_K_THERAPY,	   /* patient received `concept` (drug, class,
			      regimen, procedure), with flags */
	CTM_K_PRIOR_LINES, /* number of prior lines in [lo, hi] */
	CTM_K_SITE,	   /* metastatic site `concept` present
			      (CTM_F_LIMITED: and no other site) */
	CTM_K_BRAIN_METS,  /* brain metastases present, qualified by
			      CTM_F_ACTIVE / CTM_F_STABLE (none = any) */
	CTM_K_ECOG,	   /* ECOG within [lo, hi] */
	CTM_K_KARNOFSKY,   /* Karnofsky within [lo, hi] */
	CTM_K_MEASURABLE,  /* measurable disease (RECIST 1.1) */
	CTM_K_LAB,	   /* lab `concept` within [lo, hi] (ends open
			      with CTM_F_LO_OPEN / CTM_F_HI_OPEN); alt_hi
			      replaces hi with liver metastases */
	CTM_K_AGE,	   /* age in years within [lo, hi] */
	CTM_K_SEX,	   /* sex is `status` (a ctm_gender) */
	CTM_K_PREGNANT,	   /* patient is pregnant (n/a for men) */
	CTM_K_BREASTFEEDING,
	CTM_K_UNREAD,	   /* a part of the criterion not read: unknown */
	CTM_K_CONDITION,   /* patient has condition `concept` (CTM_F_ACTIVE:
			      active, uncontrolled); no profile holds one */
	CTM_K_COUNT_
} ctm_kind;

const char *ctm_kind_name(ctm_kind k); /* "biomarker", ... */

/* Biomarker statuses (ctm_constraint.status for CTM_K_BIOMARKER). */
typedef enum ctm_bm_status {
	CTM_BM_ANY = 0,	   /* any alteration */
	CTM_BM_MUTATED,
	CTM_BM_WILDTYPE,
	CTM_BM_AMPLIFIED,
	CTM_BM_NOT_AMPLIFIED,
	CTM_BM_FUSION,
	CTM_BM_OVEREXPRESSED,
	CTM_BM_HIGH,	   /* MSI-H, TMB-high, PD-L1 high */
	CTM_BM_LOW,
	CTM_BM_STABLE,	   /* MSS */
	CTM_BM_DEFICIENT,  /* dMMR */
	CTM_BM_PROFICIENT, /* pMMR */
	CTM_BM_POSITIVE,
	CTM_BM_NEGATIVE,
	CTM_BM_COUNT_
} ctm_bm_status;

const char *ctm_bm_status_name(ctm_bm_status s); /* "wild-type", ... */
/* Parses status spellings ("wt", "wildtype", "mutant", "amp"); -1 if not. */
int ctm_bm_status_parse(const char *s);

/*
 * Microsatellite instability and mismatch-repair deficiency are one fact
 * found by two tests (the MMR proteins by IHC, MSI by PCR or NGS; ESMO
 * 2019): dMMR is MSI-H and pMMR is MSS. Every module asks these two, so
 * the rule is written once.
 *
 * ctm_bm_msi_family: true if c is the lexicon's MSI or MMR marker (one
 * family: a criterion on either is decided by a result of either).
 * ctm_bm_msi_status: the MSI status an MSI or MMR status states:
 * CTM_BM_HIGH (high, deficient), CTM_BM_STABLE (stable, proficient),
 * CTM_BM_LOW (low); -1 for any other status.
 */
bool ctm_bm_msi_family(const ctm_lexicon *lx, ctm_concept c);
int ctm_bm_msi_status(ctm_bm_status s);

/* Qualifier bits (ctm_constraint.flags). */
enum {
	CTM_F_PROGRESSED = 1u << 0,  /* progressed on / failed */
	CTM_F_REFRACTORY = 1u << 1,  /* refractory to */
	CTM_F_INTOLERANT = 1u << 2,  /* or intolerant of (an escape) */
	CTM_F_METASTATIC_SETTING = 1u << 3,
	CTM_F_ADJUVANT_SETTING = 1u << 4,
	CTM_F_NEOADJUVANT_SETTING = 1u << 5,
	CTM_F_LIMITED = 1u << 6,     /* site: the only site (liver-only) */
	CTM_F_ACTIVE = 1u << 7,	     /* brain: untreated or progressing */
	CTM_F_STABLE = 1u << 8,	     /* brain: treated and stable */
	CTM_F_LIVER_EXCEPTION = 1u << 9, /* lab: alt_hi with liver mets */
	CTM_F_ULN = 1u << 10,	     /* lab bounds are multiples of ULN */
	CTM_F_CURRENT = 1u << 11,    /* therapy: ongoing / concurrent */
	CTM_F_WITHIN = 1u << 12,     /* therapy: within within_days */
	/* Strict bounds: a range is closed ([lo, hi]) unless these say an
	 * end is open. "ANC < 1.5" is hi = 1.5 with CTM_F_HI_OPEN, so that
	 * its exclusion NOT (ANC < 1.5) admits 1.5; "ANC >= 1.5" has no
	 * bit. With CTM_F_WITHIN, CTM_F_HI_OPEN makes the window "fewer
	 * than within_days days" (a washout of at least 28 days bars a
	 * therapy ended 0..27 days ago). CTM_F_ALT_HI_OPEN is the same for
	 * alt_hi. Integer scales (ECOG, prior lines) are folded instead:
	 * "ECOG < 2" is hi = 1. */
	CTM_F_LO_OPEN = 1u << 13,
	CTM_F_HI_OPEN = 1u << 14,
	CTM_F_ALT_HI_OPEN = 1u << 15,
};

/*
 * One structured fact test. Unbounded range ends are -INFINITY/INFINITY.
 * Plain data (no pointers), so the index stores it as it is.
 */
typedef struct ctm_constraint {
	uint16_t kind;	 /* ctm_kind */
	uint16_t status; /* ctm_bm_status, or ctm_gender for CTM_K_SEX */
	uint32_t flags;	 /* CTM_F_* */
	ctm_concept concept;
	ctm_concept variant;  /* CTM_CT_VARIANT concept or 0 */
	uint32_t within_days; /* with CTM_F_WITHIN */
	uint32_t reserved;
	double lo, hi;
	double alt_hi;
} ctm_constraint;

/* Expression tree nodes, stored flat in prefix order. */
typedef enum ctm_expr_op {
	CTM_EXPR_LEAF = 0, /* arg: index into the criterion's constraints */
	CTM_EXPR_AND,	   /* arg: number of direct children that follow */
	CTM_EXPR_OR,	   /* arg: number of direct children that follow */
	CTM_EXPR_NOT,	   /* exactly one child follows */
} ctm_expr_op;

typedef struct ctm_expr {
	uint32_t op; /* ctm_expr_op */
	uint32_t arg;
} ctm_expr;

/*
 * One criterion: its section, exact original text and, when the parser
 * understood it, an expression whose truth means "this criterion does not
 * bar the patient" (polarity is folded in at parse time: an exclusion of
 * X is NOT X). A review criterion has no expression.
 */
struct ctm_criterion {
	ctm_section section;
	bool structured; /* false: `review` */
	const char *text;
	const char *heading; /* enclosing sub-heading ("PRIOR CONCURRENT
				THERAPY:", "Cohort A:"), or NULL */
	ctm_expr *expr;
	size_t n_expr;
	ctm_constraint *constraints;
	size_t n_constraints;
	const char *review_reason; /* why a criterion is review although it
				      reads (a record error: "repeats
				      inclusion criterion 2"), or NULL */
	uint32_t cohorts; /* the trial's cohorts it binds (bit i: cohort i
			     of ctm_trial.cohorts); 0 binds them all */
};

/* ------------------------------------------------------------------ */
/* Patient profiles                                                    */
/* ------------------------------------------------------------------ */

/*
 * Absent key = unknown; present list = complete (spec/patient-profile.md).
 * Tri-state facts are int8_t: -1 unknown, 0 false, 1 true. Numbers use
 * NAN (labs) or -1 (age, ecog, karnofsky, stage) for unknown.
 */
typedef enum ctm_brain_status {
	CTM_BRAIN_UNKNOWN = 0,
	CTM_BRAIN_NONE,
	CTM_BRAIN_TREATED_STABLE,
	CTM_BRAIN_ACTIVE,
} ctm_brain_status;

typedef enum ctm_setting {
	CTM_SETTING_UNKNOWN = 0,
	CTM_SETTING_NEOADJUVANT,
	CTM_SETTING_ADJUVANT,
	CTM_SETTING_METASTATIC,
} ctm_setting;

typedef struct ctm_biomarker {
	const char *name;    /* as given */
	ctm_concept gene;    /* gene or marker concept; 0 if unrecognised */
	ctm_bm_status status;
	ctm_concept variant; /* variant concept, or 0 */
	const char *variant_text; /* as given, or NULL */
	double value;	     /* NAN when absent */
} ctm_biomarker;

typedef struct ctm_therapy {
	const char *name;    /* as given */
	ctm_concept concept; /* drug, regimen, class or procedure; 0 if
				unrecognised */
	int line;	     /* 0 unknown */
	ctm_setting setting;
	int8_t progressed;   /* -1 unknown */
	int32_t end_date;    /* YYYYMMDD or 0 */
} ctm_therapy;

/* Lab values in the profile's units; NAN = unknown. */
/* A lab value in the profile's unit of the lab (ctm_lab_info.unit). */
typedef struct ctm_lab_value {
	ctm_concept lab;
	double value;
} ctm_lab_value;

typedef struct ctm_profile {
	ctm_arena *arena; /* owns everything below */
	const char *id;
	double age;	    /* years; -1 unknown (birth_date resolved) */
	ctm_gender sex;	    /* CTM_GENDER_UNSPECIFIED = unknown */
	const char *diagnosis;
	ctm_concept diagnosis_concept; /* most specific disease found, or 0 */
	int stage;	    /* 0..4, -1 unknown */
	const char *stage_text;
	int8_t metastatic;
	bool has_sites;	    /* metastatic_sites present (then complete) */
	ctm_concept *sites; /* site concepts */
	size_t n_sites;
	ctm_brain_status brain;
	int8_t resectable;
	int8_t measurable;
	int ecog;	    /* -1 unknown */
	int karnofsky;	    /* -1 unknown */
	bool has_biomarkers;
	ctm_biomarker *biomarkers;
	size_t n_biomarkers;
	bool has_therapies;
	ctm_therapy *therapies;
	size_t n_therapies;
	ctm_lab_value *labs; /* the labs known, each at most once */
	size_t n_labs;
	int8_t pregnant;
	const char *country, *state, *city, *zip;
	/* Warnings met while reading (unrecognised therapy or gene, with the
	 * nearest known term), with the values the profile gave ("'FOLFOXX'
	 * is not a known therapy"), for outputs; warnings_no_values[i] is the
	 * same warning without them ("not a known therapy"), for logs. */
	const char **warnings;
	const char **warnings_no_values;
	size_t n_warnings;
} ctm_profile;

/* A new profile with everything unknown, or NULL on out of memory. */
ctm_profile *ctm_profile_new(void);
/* The value of lab `lab` in p (in the lab's profile unit), or NAN. */
double ctm_profile_lab(const ctm_profile *p, ctm_concept lab);
void ctm_profile_free(ctm_profile *p); /* NULL is a no-op */

/* ------------------------------------------------------------------ */
/* Matching                                                            */
/* ------------------------------------------------------------------ */

typedef enum ctm_outcome {
	CTM_OUT_MET = 0,
	CTM_OUT_NOT_MET,
	CTM_OUT_UNKNOWN,
	CTM_OUT_NOT_APPLICABLE,
	CTM_OUT_REVIEW, /* not structured: listed, never decides */
} ctm_outcome;

const char *ctm_outcome_name(ctm_outcome o); /* "met", "not_met", ... */

typedef enum ctm_verdict {
	CTM_VERDICT_ELIGIBLE = 0,
	CTM_VERDICT_POSSIBLE,
	CTM_VERDICT_INELIGIBLE,
} ctm_verdict;

const char *ctm_verdict_name(ctm_verdict v); /* "eligible", ... */

/* One evaluated criterion (the trial's, or a structured field's). */
typedef struct ctm_crit_eval {
	const ctm_criterion *criterion; /* NULL for age and sex fields */
	const char *text;    /* criterion text, or "Sex: Female", "Age: ..." */
	ctm_section section;
	ctm_outcome outcome;
	const char *fact;    /* the patient facts used (with CTM_MATCH_EXPLAIN
				or when not met / unknown), or NULL */
	bool specific;	     /* met on a positively required biomarker,
				therapy or site */
	const char *cohort;  /* the cohorts a cohort-bound criterion binds
				("Cohort B", "Part 1, Part 2"; not with
				CTM_MATCH_VERDICT_ONLY), or NULL */
} ctm_crit_eval;

/* The parts of a score, reported so a coordinator sees the ranking. */
/* With cohorts, the criteria of a cohort that bars the patient are left
 * out of met, unknown and specificity: they do not rank the trial. */
typedef struct ctm_score {
	double total;
	double met;	    /* + per structured criterion met */
	double unknown;	    /* - per structured criterion unknown */
	double specificity; /* + per biomarker/therapy/site requirement met */
	double status;	    /* + recruiting, less for not yet recruiting */
	double site;	    /* + a recruiting site in the patient's country
			       (more in the state) */
} ctm_score;

/*
 * A trial with cohorts (ctm_trial.cohorts) is decided per cohort: a
 * cohort's verdict comes from the criteria that bind all cohorts and its
 * own; the trial is ineligible only when every cohort is, eligible when
 * one is, else possible (spec/matching.md). The counts are over all the
 * criteria, so a possible trial may list a cohort's criterion not met.
 */
typedef struct ctm_match {
	ctm_verdict verdict;
	ctm_score score;
	size_t n_met, n_not_met, n_unknown, n_not_applicable, n_review;
	ctm_crit_eval *evals; /* every criterion, age and sex first */
	size_t n_evals;
	const ctm_location *site; /* best recruiting site, or NULL */
	/* the trial's cohorts while matching (0: none) and those a
	 * criterion not met has shut so far (bit i: cohort i) */
	size_t n_cohorts;
	const char *const *cohort_labels;
	uint32_t cohorts_out;
	bool all_out; /* a criterion binding every cohort is not met */
} ctm_match;

typedef struct ctm_matcher ctm_matcher;

/* Binds the matcher to a lexicon (which must outlive it). */
int ctm_matcher_new(ctm_matcher **out, const ctm_lexicon *lx, ctm_error *err);
void ctm_matcher_free(ctm_matcher *m);

enum {
	CTM_MATCH_EXPLAIN = 1u << 0, /* a fact for every criterion */
	CTM_MATCH_VERDICT_ONLY = 1u << 1, /* no facts, no texts: verdict,
					     counts and score only (fast) */
	/* with VERDICT_ONLY: stop at the first criterion not met, for a
	 * caller that drops ineligible trials (their counts and score are
	 * then partial) */
	CTM_MATCH_STOP_INELIGIBLE = 1u << 2,
};

/*
 * Evaluates every criterion of t for p on the date `today` (YYYYMMDD) and
 * fills *out; everything it points to is allocated in `a` (and into t,
 * which must outlive it). Thread-safe for distinct arenas.
 */
int ctm_match_trial(const ctm_matcher *m, const ctm_profile *p,
		    const ctm_trial *t, int32_t today, unsigned flags,
		    ctm_arena *a, ctm_match *out);

/*
 * The same, a criterion at a time, for a caller that reads criteria as it
 * goes and stops at the first one not met: ctm_match_begin() evaluates the
 * structured fields (sex, age) and makes room for t->n_criteria criteria;
 * ctm_match_criterion() evaluates one (in order) and returns its outcome;
 * ctm_match_end() counts, decides the verdict and scores.
 * ctm_match_trial() is exactly these three.
 */
int ctm_match_begin(const ctm_matcher *m, const ctm_profile *p,
		    const ctm_trial *t, unsigned flags, ctm_arena *a,
		    ctm_match *out);
ctm_outcome ctm_match_criterion(const ctm_matcher *m, const ctm_profile *p,
				const ctm_criterion *c, int32_t today,
				unsigned flags, ctm_arena *a, ctm_match *out);
void ctm_match_end(const ctm_profile *p, const ctm_trial *t, unsigned flags,
		   ctm_match *out);
/* True when, under CTM_MATCH_STOP_INELIGIBLE, no more criteria need be
 * evaluated: the trial is ineligible already (sex, age, population or a
 * criterion binding every cohort not met, or each cohort shut). */
bool ctm_match_stopped(const ctm_match *out, unsigned flags);

/*
 * The disease concepts a patient's candidate trials are filed under: the
 * diagnosis, its ancestors (baskets) and its descendants (a trial for a
 * narrower disease may fit a patient known less precisely). Returns how
 * many (<= max).
 */
size_t ctm_match_diseases(const ctm_matcher *m, const ctm_profile *p,
			  ctm_concept *out, size_t max);

/* ------------------------------------------------------------------ */
/* Ranking                                                             */
/* ------------------------------------------------------------------ */

/* What a result is ranked by (spec/matching.md). */
typedef struct ctm_rank_key {
	uint32_t num; /* the NCT number: breaks ties, so the order is stable */
	ctm_verdict verdict;
	ctm_status status;
	double score;
} ctm_rank_key;

/*
 * qsort comparator over ctm_rank_key: not ineligible first, open
 * (recruiting, not yet recruiting) before closed, then the higher score,
 * then the lower NCT number.
 */
int ctm_rank_cmp(const void *a, const void *b);

#ifdef __cplusplus
}
#endif

#endif /* CTM_ENGINE_H */
