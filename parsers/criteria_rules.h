/*
 * criteria_rules.h - the criteria reader's rule files (private to parsers/).
 *
 * Reading rules are data, kept beside the lexicon in engine/lexicon/rules/
 * and compiled into the library at build time (cmake/embed.cmake). This
 * module reads them into plain tables; criteria_extract.c compiles what it
 * needs from those tables once, when a parser is made.
 *
 * rewrites.tsv: the text rewrites of stage 2, in order (the file's header
 * says the format). words.tsv: named word lists (list <TAB> words).
 * layout.tsv: the words that read a text's layout (the segmenter's and
 * the cohort reader's), entries kept in order, with spaces and case where
 * a list needs them (the file's header says the format).
 */
#ifndef CTM_CRITERIA_RULES_H
#define CTM_CRITERIA_RULES_H

#include <ctm/engine.h>

#include <stddef.h>
#include <stdint.h>

typedef struct crules_rewrite {
	char *name;
	char *need; /* "" when the rewrite needs no literal */
	char *pat;
	char *repl;
	int need_digit;
	int line; /* in rewrites.tsv, for errors */
} crules_rewrite;

/* The word lists of words.tsv. */
typedef enum crules_list {
	CRULES_WIDENING,      /* an unread sentence holding one may widen */
	CRULES_SUBGROUP,      /* "patients", "those" ... */
	CRULES_SUBGROUP_LINK, /* ... "with", "who": a subgroup is named */
	CRULES_STARTER,	      /* a capitalised word that opens a criterion */
	CRULES_LABEL_OTHER,   /* "other tumor types" in a label of cancers */
	CRULES_ASSESS_WINDOW, /* "within 7 days prior to allocation" */
	CRULES_LOCAL_PLACE,   /* "local" of "local recurrence" */
	CRULES_CONDITION_ACTIVE, /* "uncontrolled" of a condition */
	CRULES_CONDITION_WHICH,	 /* "known" of "... known to increase" */
	CRULES_PERMIT_CONDITION, /* "not" of "allowed if ... not require" */
	CRULES_NOT_RECORDED,	 /* "recurrent": a stage word no profile has */
	CRULES_FILLER,
	CRULES_FILLER_THERAPY,
	CRULES_FILLER_BIOMARKER,
	CRULES_FILLER_LAB,
	CRULES_FILLER_SCORE,
	CRULES_FILLER_SITE,
	CRULES_FILLER_DISEASE,
	CRULES_FILLER_MEASURABLE,
	CRULES_BETWEEN,
	CRULES_NEGATION,
	CRULES_EXCLUSION,
	CRULES_CONNECTIVE,
	CRULES_MODAL,
	CRULES_PERMISSION,
	CRULES_RESTRICTIVE,
	CRULES_DENY,
	CRULES_TIME,
	CRULES_SHARED,
	CRULES_DENY_PREFIX,
	CRULES_SAFE_BEFORE,
	CRULES_BM_NARROWING,
	CRULES_LINE_WORD,
	CRULES_COMPARATIVE,
	CRULES_ASSAY,
	CRULES_ASSAY_NOUN,
	CRULES_ASSAY_OPEN,
	CRULES_RELATIVE,
	CRULES_AUXILIARY,
	CRULES_ON_THERAPY,
	CRULES_THERAPY_NOUN,
	CRULES_THERAPY_CUE,
	CRULES_BRAIN_ACTIVE,
	CRULES_BRAIN_NEUTRAL,
	CRULES_STAGE_NEUTRAL,
	CRULES_THERAPY_ITEM,
	CRULES_PROGRESSION,
	CRULES_REFRACTORY,
	CRULES_INTOLERANCE,
	CRULES_CURRENT,
	CRULES_CONDITION_OBJECT, /* "test" of "HIV test": not the condition */
	CRULES_CONDITION_OPEN,	 /* "requiring" of "X requiring ..." */
	CRULES_THERAPY_NEED,	 /* "requires" of "requires dialysis" */
	CRULES_LEADIN_GOVERNS,	 /* "of" of "Chronic use of: a; b; c" */
	CRULES_N_LISTS
} crules_list;

typedef struct crules_words {
	char **w; /* sorted */
	size_t n;
	/* w's words hashed (open addressing): index + 1 (0 empty) and
	 * length */
	struct crules_slot {
		uint32_t i, len;
	} *slot;
	size_t mask; /* slots - 1 */
} crules_words;

/* The lists of layout.tsv. */
typedef enum crules_layout {
	CRULES_L_LINE_DANGLING,	    /* "and" ending a line: it goes on */
	CRULES_L_ROMAN,		    /* i ii iii ...: value = place + 1 */
	CRULES_L_HEADER_HINT,	    /* "clusion": a line may be a header */
	CRULES_L_PDQ_LABEL,	    /* "Hepatic:" in a PDQ paragraph */
	CRULES_L_PDQ_START,	    /* "Platelet" opens a PDQ criterion */
	CRULES_L_PDQ_STRONG,	    /* ... and ends an "except:" list */
	CRULES_L_PDQ_END,	    /* "allowed" ends one */
	CRULES_L_PDQ_GLUE,	    /* "of": no criterion starts after it */
	CRULES_L_PDQ_MODIFIER,	    /* "active": only a strong opener does */
	CRULES_L_VACUOUS,	    /* "Not applicable", a bare "OR" */
	CRULES_L_LEADIN_GENERIC,    /* "patients must meet the following" */
	CRULES_L_HEADING_EXCEPTION, /* "except:" heads the allowed */
	CRULES_L_HEADING_EXCLUSION, /* "are excluded:" */
	CRULES_L_HEADING_INCLUSION, /* "required:" */
	CRULES_L_HEADING_MUST,	    /* "must have:" */
	CRULES_L_POLARITY_LABEL,    /* "Allowed:" */
	CRULES_L_COHORT_KIND,	    /* "cohort" (value "Cohort") */
	CRULES_L_COHORT_PART,	    /* "phase" of "Dose escalation phase" */
	CRULES_L_COHORT_FILLER,	    /* "for", "the", "portion" */
	CRULES_L_COHORT_NOT_BEFORE, /* "dose" of "phase II dose" */
	CRULES_L_COHORT_NOT_ID,	    /* "In" of "Part In ..." */
	CRULES_L_COHORT_SUBJECT,    /* "patients" of "Part B patients" */
	CRULES_L_LENGTH_LABEL,	    /* "life expectancy": items are lengths */
	CRULES_L_LENGTH_LEAD,	    /* "at least" opens a bare length */
	CRULES_N_LAYOUT
} crules_layout;

/* One list of layout.tsv, in file order. */
typedef struct crules_entries {
	char **s;     /* NUL-terminated; lower case unless "as written" */
	size_t *len;
	char **value; /* a list with values: each entry's; else NULL */
	size_t n;
	size_t max_len;
} crules_entries;

typedef struct crules {
	crules_rewrite *rw;
	size_t n_rw;
	crules_words lists[CRULES_N_LISTS];
	crules_entries layout[CRULES_N_LAYOUT];
	/* of the reader's sources (crules_load: CTM_READER_SOURCE_HASH, made
	 * at build time) and every rule file's bytes: with the lexicon's
	 * hash, a parse's version (ctm_criteria_version) */
	uint64_t hash;
} crules;

/*
 * The hash crules_load() gives, without reading the rules: the reader's
 * sources and the built-in rule files (which the build checks).
 */
uint64_t crules_builtin_hash(void);

/* Reads the rule files compiled into the library. */
int crules_load(crules *r, ctm_error *err);

/*
 * Reads one rule file's text (name says which kind it is: "rewrites.tsv")
 * into r, which must be zeroed or hold earlier files. A bad line is
 * CTM_EPARSE naming the file and line. For tests and crules_load.
 */
int crules_add_text(crules *r, const char *name, const char *text,
		    size_t len, ctm_error *err);

/* True if s[0,n) is a word of the list. */
int crules_is_word(const crules *r, crules_list list, const char *s,
		   size_t n);

/* True if a word of the list begins s[0,n) (a list of word starts). */
int crules_has_prefix(const crules *r, crules_list list, const char *s,
		      size_t n);

/*
 * The place of s[0,n) in a list of layout.tsv, or -1: compared in any
 * (ASCII) case, or byte for byte for a list marked "as written".
 */
long crules_layout_find(const crules *r, crules_layout list, const char *s,
			size_t n);
/* True if an entry of a layout.tsv list begins s (any ASCII case). */
int crules_layout_starts(const crules *r, crules_layout list, const char *s);

/*
 * The built-in rule files, loaded once for the whole process (for
 * ctm_criteria_segment(), which has no parser), into *out; crules_load()'s
 * error if they do not load. Never freed.
 */
int crules_builtin(const crules **out, ctm_error *err);

void crules_free(crules *r);

#endif
