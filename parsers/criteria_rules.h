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

typedef struct crules {
	crules_rewrite *rw;
	size_t n_rw;
	crules_words lists[CRULES_N_LISTS];
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

void crules_free(crules *r);

#endif
