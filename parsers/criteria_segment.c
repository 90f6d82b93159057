/*
 * criteria_segment.c - cuts an eligibility text block into single criteria.
 *
 * Input is the criteria text as ClinicalTrials.gov delivers it: legacy XML
 * (every line indented, hard-wrapped at about 99 columns, "\r\n" from
 * &#xD;), API v2 markdown ("* ", "  * ", "1\." and "\>" escapes, no
 * wrapping), or plain text with one criterion per line (Chia, LCT).
 *
 * THE TEXT OF A SEGMENT is the bytes of one item, from its first character
 * after the bullet or number to its last non-blank character, with one
 * change: each run of spaces, tabs and line breaks that contains a line
 * break (a wrapped line and the next line's indentation) becomes one
 * space. So every text is a substring of the input once that same rule is
 * applied to the input. Leading and trailing blanks (and no-break spaces)
 * are trimmed; trailing punctuation is kept; markdown escapes ("\>=") are
 * kept as they are. Nothing else is changed, case included.
 *
 * 1. LINES -> BLOCKS. A line opening with a bullet ("-", "--", "*", "+",
 *    "o", "•", "·", "▪", "■", "●", "►", "➢", "◦", "○", "–", "—"), a
 *    number ("1.", "1)", "(1)", "1.1 ", markdown "1\."), a letter ("a.",
 *    "A)", "(a)") or a roman numeral ("ii.", "(iv)") starts a block; "* 1\."
 *    and "-  1." lose both. A number or letter is not a bullet when the line
 *    before ends with a dangling word ("between 36 and / 110.") or leaves a
 *    parenthesis open ("(stage / II) with"). A line without a bullet joins
 *    the open block when it is indented deeper than the block's first line;
 *    in hard-wrapped text (every line but the first indented 4+ columns:
 *    the XML export) also at the same indentation, or when it starts
 *    lower-case, or follows a dangling word ("and", "of", "with", ",", ...).
 *    In other text a line at the same indentation joins only after a
 *    dangling word and when it starts lower-case, a digit or "(" - so
 *    one-criterion-per-line text stays one per line. A blank line ends a
 *    block, unless the next line starts lower-case and the block ends with
 *    a dangling word or an open parenthesis (or, outside hard-wrapped text,
 *    the line is indented deeper). A line that is a section header always
 *    starts a block.
 *
 * 2. BLOCKS -> UNITS. A block whose text, or text up to its first colon,
 *    is a section header gives a header unit, and what follows the colon a
 *    unit of its own ("Inclusion criteria: Age 18 or older." gives a header
 *    and "Age 18 or older."). Section headers, any case, with "**" or "#"
 *    around them: "[Key|Main|General|...] Inclusion|Exclusion [Criteria]"
 *    with "are", "include(s)", "as follows", "(any of) the following" or
 *    nothing after them; "Criteria for inclusion|exclusion"; and, setting
 *    the section back to unspecified, "Eligibility (criteria)",
 *    "Inclusion/Exclusion criteria", "Protocol entry criteria". A header
 *    with a qualifier ("Inclusion Criteria for Group 1:", "EXCLUSION
 *    CRITERIA - DONOR:") gives that text as the heading of what follows.
 *    The NCI PDQ headings "DISEASE CHARACTERISTICS:", "PATIENT
 *    CHARACTERISTICS:", "PRIOR CONCURRENT THERAPY:" keep the section (so
 *    unspecified in PDQ records; polarity then comes from each sentence)
 *    and become the heading. Once one is seen, paragraphs (not bulleted
 *    items, not notes) are cut at the PDQ sub-headings "Age:", "Sex:",
 *    "Performance status:", "Life expectancy:", "Hematopoietic:",
 *    "Hepatic:", "Renal:", "Cardiovascular:", "Pulmonary:", "Other:",
 *    "Biologic therapy:", "Chemotherapy:", "Endocrine therapy:",
 *    "Radiotherapy:", "Surgery:", ... which become headings; and, for the
 *    1990s records whose line breaks were lost ("PATIENT CHARACTERISTICS:
 *    Age: 18 and over Performance status: ECOG 0-2 ..."), before a word
 *    that opens a PDQ criterion ("No", "Not", "At least", "Prior",
 *    "Platelet", "Bilirubin", ...) when the word before it ends a phrase,
 *    after "allowed"/"required"/..., and after a sentence stop or a colon
 *    - except inside parentheses and inside an "except:" list, which runs
 *    to the next "No"/"Not"/"Prior"/... .
 *
 * 3. UNITS -> SEGMENTS, with a stack of headings. A unit followed by one
 *    it contains is a heading. Containment: deeper indentation; bulleted
 *    items under a paragraph at the same indentation; items of another
 *    bullet kind under an item ending with ":" ("1. ...:" over "a)"); but
 *    "2." after "1." is a sibling even if indented up to 4 columns deeper.
 *    Heading kinds:
 *    - labels: a paragraph ending with ":" of at most five words, in
 *      capitals, or starting with a cohort label ("Hematopoietic:",
 *      "Cohort A:", "Patients must have:", "PREVIOUSLY TREATED
 *      PATIENTS:", "Part 2 - patients with RAS wild-type disease:");
 *      they also hold the paragraphs that follow at their own
 *      indentation, up to the next label;
 *    - polarity labels: "Allowed:", "Excluded:", "Excluded within 4 weeks
 *      of study entry:", ...; they nest under the label just before them,
 *      and hold the cohort labels right after them ("Allowed:" over
 *      "GROUP 2:", whose items group 2 is allowed);
 *    - lead-ins: any other item or paragraph with sub-items ("Patients with
 *      any of the following are excluded:", "Adequate organ function as
 *      defined by:"), or without a colon when it does not end a sentence
 *      ("Active disease as defined by" over deeper items). A paragraph
 *      lead-in ending with ":" also holds the paragraphs after it: all while
 *      they end without a full stop ("Corticosteroids," ... "Methotrexate."),
 *      or, when each ends with one, the short ones (up to 120 bytes).
 *    A lead-in is also a criterion of its own when it says something
 *    besides introducing the list: three or more words other than
 *    "patients", "must", "have", "following", "criteria", "within",
 *    "months", numbers, ... and either no polarity of its own or such words
 *    before its last clause. Bare introductions are not emitted, and a
 *    label with nothing under it is dropped.
 *
 *    HEADING of a segment: the labels and lead-ins around it, outermost
 *    first, joined by ": ", each without its trailing colon ("Concurrent
 *    Medication: Allowed", "Cohort A: Must have one of the following"; a
 *    path longer than 240 bytes restarts at the innermost); else the PDQ
 *    heading or the qualified section header; else NULL. Kept as written.
 *
 *    SECTION: the innermost heading ending with ":" that states a polarity
 *    in its last clause overrides the section header. Exclusion: "excluded",
 *    "exclusion", "not eligible", "ineligible", "none of the following",
 *    "must not", "not allowed", "prohibited", or a lead-in starting "No" /
 *    "Not" ("No cardiovascular event, including any of the following:") -
 *    but not with "except", "unless" or "other than", whose sub-items are
 *    the exceptions. Inclusion: "inclusion", "included", "eligible",
 *    "required", and "must have/be/meet" unless already in exclusion. So a
 *    sub-item's section is the polarity its own text is to be read with.
 *
 *    "NOTE:" paragraphs are criteria of their own: never headings, never
 *    cut; a "NOTE" line indented under an item is part of it. Texts that
 *    say nothing ("Not specified", "None", "N/A", "Not applicable") and
 *    bare "OR"/"AND" lines between items are dropped.
 *
 * BOUNDS: a text over CTM_MAX_TEXT_BYTES is CTM_ELIMIT; at most 2000
 * segments (SEG_MAX_SEGMENTS), the last of which then holds the rest of
 * the text from its own start; heading nesting at most 32 deep. Time is
 * linear: each byte is looked at a bounded number of times, and patterns
 * only ever run on the first 160 bytes of a block. The two PCRE2 patterns
 * are compiled and JIT-compiled once (pthread_once) and shared read-only;
 * each call has its own match data.
 */
#include <ctm/parsers.h>

#include "criteria_cohort.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEG_MAX_SEGMENTS 2000
#define SEG_MAX_DEPTH 32
#define SEG_HEADER_MAX 160  /* longest text tested as a section header */
#define SEG_PREFIX_MAX 100  /* furthest colon for "Header: content" */
#define SEG_HEADING_MAX 240 /* longest composed heading path */
#define SEG_MATCH_LIMIT 100000

/* Bullet kinds. Items of another kind nest under an item ending in ':'. */
enum {
	MK_NONE = 0,
	MK_DASH,
	MK_STAR,
	MK_PLUS,
	MK_DOT,	   /* • · ▪ ■ ● ► ➢ and private-use Symbol bullets */
	MK_CIRCLE, /* o ◦ ○ */
	MK_NUM,
	MK_LETTER,
	MK_ROMAN,
};

/* Unit types. */
enum { U_TEXT = 0, U_SECTION, U_MAJOR, U_LABEL };

/* A paragraph "... the following are excluded:" holds the paragraphs
 * after it: all of them while they end without a full stop ("Antibiotics,"
 * up to "Methotrexate."), or, when each ends with a full stop, the short
 * ones ("Hematuria.") up to a long one. */
enum { RUN_NO = 0, RUN_OPEN, RUN_SHORT };
#define SEG_SHORT_ITEM 120

/* Heading ranks, outer to inner. */
enum { R_SECTION = 0, R_MAJOR, R_LABEL, R_POL, R_LEADIN };

struct seg_unit {
	const char *text; /* arena copy, trimmed, NUL-terminated */
	uint32_t len;
	uint32_t indent;
	uint32_t raw_start; /* input offset of the block's text */
	uint8_t kind;
	uint8_t type;
	uint8_t section;   /* U_SECTION */
	uint8_t qualified; /* U_SECTION: the header text is a heading */
	uint8_t colon;	   /* ends with ':' (never for a note) */
	uint8_t note;
	uint8_t rank;	    /* as a heading */
	uint8_t label_like; /* a paragraph "Short label:" */
	uint8_t cohort;	    /* ... naming a cohort ("Part 2 - ...:") */
	uint8_t pdq;	    /* cut out of a PDQ paragraph */
	uint8_t vacuous;    /* "Not specified", "N/A", a bare "OR" */
	uint16_t num;	    /* 2 for "2.", "b)", "ii."; 0 for bullets */
};

struct seg_entry {
	uint32_t indent;
	uint8_t kind;
	uint8_t rank;
	uint8_t colon;
	int8_t polarity; /* a ctm_section, or -1 */
	uint16_t num;
	uint8_t run;	 /* a paragraph lead-in holding paragraphs: RUN_* */
	bool commas;	 /* ... whose items end with ',' or ';' */
	const char *path;
};

struct seg {
	const char *in;
	size_t len;
	ctm_arena *a;
	pcre2_match_data *md;
	char *scratch; /* one normalised block, len + 1 bytes */
	struct seg_unit *units;
	size_t n_units, cap_units;
	bool wrapped; /* hard-wrapped and indented (legacy XML) */
	uint16_t num; /* ordinal of the block being cut into units */
	bool pdq;     /* a PDQ major heading has been seen */

	struct seg_entry stack[SEG_MAX_DEPTH];
	size_t depth;
	ctm_section base;
	ctm_segment *out;
	size_t n_out;
	uint32_t last_raw;
};

/* ------------------------------------------------------------------ */
/* Patterns (compiled once, shared read-only)                          */
/* ------------------------------------------------------------------ */

/* Trailing colons (ASCII or full-width), stops, bold markers, spaces. */
#define TAIL "(?:[\\s*_:.]|\\xef\\xbc\\x9a)*$"

static const char section_pattern[] =
	"^[\\s\\#*_>]*"
	"(?:(?:key|main|major|general|principal|additional|specific|study|"
	"protocol|participants?'?s?|patients?'?s?|subjects?'?s?|basic|"
	"selection|other|primary|secondary|important|detailed|the|"
	"summary\\s+of|list\\s+of)\\s+)*"
	"(?:"
	"(?<gen>inclusion\\s*(?:/|and/or|and|&|or|-)\\s*exclusion|eligibility|"
	"(?:entry|selection|enrol?l?ment|participation)(?=\\s+criteri))"
	"|(?<inc>inclusion(?:ary|s)?)"
	"|(?<exc>exclusion(?:ary|s)?)"
	"|criteria\\s+(?:for|of)\\s+(?:(?<inc2>inclusion)|(?<exc2>exclusion)|"
	"(?<gen2>eligibility|participation|enrol?l?ment|entry))"
	"(?:\\s+(?:in|into)\\s+(?:the|this)\\s+(?:study|trial))?"
	")"
	"(?<crit>\\s+(?:criteria|criterion|criterias|criteria's|requirements))?"
	"(?:"
	"\\s*(?:are|is|include[sd]?|including|as\\s+follows|"
	"are\\s+as\\s+follows|apply)?"
	"(?:\\s*:?\\s*(?:(?:any|all|one|each|both|either|none)\\s+of\\s+)?"
	"the\\s+following(?:\\s+(?:criteria|conditions|requirements))?)?"
	"|(?<qual>\\s*(?:for\\b|-|\\xe2\\x80[\\x93\\x94]|\\(|\\[|,)"
	"[^:\\xef]{1,80}?)"
	")" TAIL;

static const char major_pattern[] =
	"^[\\s\\#*_>]*"
	"(?:disease\\s+characteristics|patient\\s+characteristics|"
	"population\\s+characteristics|"
	"prior\\s*(?:/|and|&|or)?\\s*(?:concurrent|current)\\s+therap(?:y|ies))"
	TAIL;

static pthread_once_t re_once = PTHREAD_ONCE_INIT;
static pcre2_code *re_section, *re_major;
static pcre2_match_context *re_mctx;
static int re_rc;
static char re_msg[200];
static int g_gen, g_inc, g_exc, g_inc2, g_exc2, g_gen2, g_crit, g_qual;

static pcre2_code *seg_compile_one(const char *pat, const char *name)
{
	int ec;
	PCRE2_SIZE off;
	pcre2_code *re;
	PCRE2_UCHAR msg[120];

	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
			   PCRE2_CASELESS, &ec, &off, NULL);
	if (!re) {
		pcre2_get_error_message(ec, msg, sizeof(msg));
		snprintf(re_msg, sizeof(re_msg), "%s pattern, offset %zu: %s",
			 name, (size_t)off, (const char *)msg);
		re_rc = CTM_EINVALID;
		return NULL;
	}
	/* Without JIT (unsupported platform) matching still works. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static int seg_group(const char *name)
{
	int n = pcre2_substring_number_from_name(re_section,
						 (PCRE2_SPTR)name);

	return n > 0 ? n : 0;
}

static void seg_compile(void)
{
	re_section = seg_compile_one(section_pattern, "section header");
	re_major = seg_compile_one(major_pattern, "PDQ heading");
	if (!re_section || !re_major)
		return;
	re_mctx = pcre2_match_context_create(NULL);
	if (!re_mctx) {
		snprintf(re_msg, sizeof(re_msg), "out of memory");
		re_rc = CTM_ENOMEM;
		return;
	}
	pcre2_set_match_limit(re_mctx, SEG_MATCH_LIMIT);
	g_gen = seg_group("gen");
	g_inc = seg_group("inc");
	g_exc = seg_group("exc");
	g_inc2 = seg_group("inc2");
	g_exc2 = seg_group("exc2");
	g_gen2 = seg_group("gen2");
	g_crit = seg_group("crit");
	g_qual = seg_group("qual");
}

/* ------------------------------------------------------------------ */
/* Bytes and words                                                     */
/* ------------------------------------------------------------------ */

static bool is_hspace(int c)
{
	return c == ' ' || c == '\t';
}

static bool is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return is_upper(c) || is_lower(c);
}

static int to_lower(int c)
{
	return is_upper(c) ? c + 32 : c;
}

/* Case-insensitive (ASCII) prefix test of s[0..n) against lower-case w. */
static bool has_prefix_ci(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; w[i]; i++)
		if (i >= n || to_lower((unsigned char)s[i]) != w[i])
			return false;
	return true;
}

/* Case-insensitive search for lower-case w in s[0..n). */
static bool contains_ci(const char *s, size_t n, const char *w)
{
	const char lo = w[0], up = (char)(is_lower(lo) ? lo - 32 : lo);
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] == lo || s[i] == up) &&
		    has_prefix_ci(s + i + 1, n - i - 1, w + 1))
			return true;
	return false;
}

/* True if s[0..n) is, ignoring case, the lower-case literal w. */
static bool equals_ci(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!w[i] || to_lower((unsigned char)s[i]) != w[i])
			return false;
	return w[n] == '\0';
}

/* Bytes of a trimmable blank at s (space, tab, FF, VT, NBSP), or 0. */
static size_t blank_at(const char *s, const char *end)
{
	unsigned char c = (unsigned char)*s;

	if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' ||
	    c == '\n')
		return 1;
	if (c == 0xc2 && s + 1 < end && (unsigned char)s[1] == 0xa0)
		return 2;
	return 0;
}

static void trim(const char **s, size_t *n)
{
	const char *b = *s, *e = *s + *n;
	size_t k;

	while (b < e && (k = blank_at(b, e)))
		b += k;
	for (;;) {
		if (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\f' ||
			      e[-1] == '\v' || e[-1] == '\r' || e[-1] == '\n'))
			e--;
		else if (e - b >= 2 && (unsigned char)e[-1] == 0xa0 &&
			 (unsigned char)e[-2] == 0xc2)
			e -= 2;
		else
			break;
	}
	*s = b;
	*n = (size_t)(e - b);
}

/* Length of t without trailing colons (ASCII or full-width) and blanks. */
static size_t strip_colon(const char *t, size_t n)
{
	for (;;) {
		if (n && (t[n - 1] == ':' || is_hspace(t[n - 1])))
			n--;
		else if (n >= 3 && !memcmp(t + n - 3, "\xef\xbc\x9a", 3))
			n -= 3;
		else
			return n;
	}
}

static bool ends_colon(const char *t, size_t n)
{
	return (n && t[n - 1] == ':') ||
	       (n >= 3 && !memcmp(t + n - 3, "\xef\xbc\x9a", 3));
}

/* Space-separated words, counted up to max. */
static size_t count_words(const char *t, size_t n, size_t max)
{
	size_t i, w = 0;

	for (i = 0; i < n && w < max; i++)
		if (t[i] != ' ' && (i == 0 || t[i - 1] == ' '))
			w++;
	return w;
}

/* ------------------------------------------------------------------ */
/* Word lists                                                          */
/* ------------------------------------------------------------------ */

/* A word at the end of a line that the next line must finish. */
static const char *const dangling_words[] = {
	"a", "an", "and", "and/or", "are", "as", "at", "be", "between", "by",
	"during", "e.g.", "for", "from", "has", "have", "i.e.", "in",
	"including", "into", "is", "must", "no", "nor", "not", "of", "on",
	"or", "per", "such", "than", "that", "the", "to", "under", "was",
	"were", "which", "who", "whose", "will", "with", "within", "without",
	NULL,
};

/* Words that do not make a lead-in a criterion of its own. */
static const char *const generic_words[] = {
	"a", "able", "above", "adult", "adults", "all", "also", "an", "and",
	"any", "are", "as", "at", "be", "been", "being", "below", "both", "by",
	"can", "child", "children", "condition", "conditions", "criteria",
	"criterion", "day", "days", "defined", "each", "either",
	"eligibility", "eligible",
	"enrolled", "enrollment", "entry", "exclude", "excluded", "excludes",
	"exclusion", "following", "for", "from", "had", "has", "have",
	"having", "he", "if", "in", "include", "included", "includes",
	"including", "inclusion", "individuals", "ineligible", "is", "least",
	"last", "listed", "may", "meet", "meeting", "meets", "men", "month",
	"months", "more", "must", "need", "no", "none", "nor", "not", "of",
	"on", "one", "or", "participant", "participants", "participate",
	"past", "patient", "patients", "people", "persons", "prior",
	"requirement", "requirements", "satisfy", "she", "should", "study",
	"subject", "subjects", "such", "that", "the", "these", "they", "this",
	"those", "to", "trial", "volunteer", "volunteers", "was", "week",
	"weeks", "were", "which", "who", "will", "with", "within", "women",
	"would", "year", "years", "you", NULL,
};

/* NCI PDQ sub-headings split out of run-on paragraphs (longest first). */
#define PDQ_LABEL_MAX 23 /* strlen("hormone receptor status") */
static const char *const pdq_labels[] = {
	"hormone receptor status", "menopausal status", "performance status",
	"eligible histologies", "endocrine therapy", "eligible subtypes",
	"biologic therapy", "gastrointestinal", "life expectancy",
	"cardiovascular", "hematopoietic", "neurological", "chemotherapy",
	"radiotherapy", "hematologic", "immunologic", "neurologic", "metabolic",
	"pulmonary", "cardiac", "hepatic", "surgery", "other", "renal", "age",
	"sex", NULL,
};

/* Capitalised words that open a PDQ criterion inside a run-on paragraph. */
static const char *const pdq_starts[] = {
	"ALT", "ANC", "AST", "Able", "Absolute", "Active", "Adequate",
	"Adequately", "Albumin", "Alkaline", "BUN", "Bidimensionally",
	"Bilirubin", "Biopsy", "CNS", "Calcium", "Clinically", "Completely",
	"Concomitant", "Concurrent", "Creatinine", "Curatively",
	"Cytologically", "Documented", "Effective", "Ejection", "Eligible",
	"Estrogen", "Evaluable", "Evidence", "Failed", "Fertile", "Granulocyte",
	"Greater", "HIV", "Hematocrit", "Hemoglobin", "Histologically",
	"History", "Hormone", "INR", "Ineligible", "LDH", "Less", "Measurable",
	"More", "Must", "Negative", "Neurologically", "Neutrophil", "Newly",
	"No", "Normal", "Not", "PT", "PTT", "Pathologically", "Patient",
	"Patients", "Platelet", "Platelets", "Positive", "Previously", "Prior",
	"Progesterone", "Progression", "Recovered", "SGOT", "SGPT", "See",
	"Serious", "Serum", "Surgically", "Symptomatic", "Uncontrolled",
	"Unidimensionally", "Unresectable", "WBC", NULL,
};

/* Openers that end an "except:" list ("... except: Adequately treated
 * skin cancer Adequately treated carcinoma in situ Not pregnant"). */
static const char *const pdq_strong[] = {
	"Concurrent", "Fertile", "Must", "Negative", "No", "Not", "Patient",
	"Patients", "Prior", "Recovered", "See", NULL,
};

/* Words that end a PDQ criterion ("Prior radiotherapy allowed"). */
static const char *const pdq_ends[] = {
	"allowed", "eligible", "excluded", "ineligible", "necessary",
	"permitted", "recommended", "required", "specified", NULL,
};

/* Words after which a capitalised word does not start a new criterion. */
static const char *const pdq_glue[] = {
	"a", "an", "and", "and/or", "are", "as", "at", "be", "by", "e.g.",
	"except", "for", "from", "i.e.", "in", "including", "into", "is",
	"no", "nor", "not", "of", "on", "or", "over", "per", "plus", "than",
	"that", "the", "to", "under", "versus", "vs", "vs.", "which", "who",
	"with", "without", NULL,
};

/* Item texts that say nothing; a bare "OR" between items. */
static const char *const vacuous[] = {
	"not specified", "none", "n/a", "na", "not applicable", "unspecified",
	"none specified", "not given", "or", "and", "and/or", "-or-",
	"- or -", "(or)", "or:", NULL,
};

static bool in_list_ci(const char *const *list, const char *w, size_t n)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (equals_ci(w, n, list[i]))
			return true;
	return false;
}

static bool in_list(const char *const *list, const char *w, size_t n)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (!strncmp(list[i], w, n) && list[i][n] == '\0')
			return true;
	return false;
}

/* Does t[0..n) end with a word or sign that the next line must finish? */
static bool dangling(const char *t, size_t n)
{
	size_t i;

	while (n && is_hspace(t[n - 1]))
		n--;
	if (!n)
		return false;
	if (strchr(",(/&+", t[n - 1]) ||
	    (t[n - 1] == '-' && n >= 2 && is_alpha((unsigned char)t[n - 2])))
		return true;
	for (i = n; i > 0 && n - i < 8 && !is_hspace(t[i - 1]); i--)
		;
	if (i > 0 && !is_hspace(t[i - 1]))
		return false;
	return in_list_ci(dangling_words, t + i, n - i);
}

/* Words of a lead-in that say more than "patients must have the following". */
static int content_words(const char *t, size_t n)
{
	size_t i = 0, b;
	int c = 0, seen = 0;

	while (i < n && seen < 40) {
		while (i < n && !is_alpha((unsigned char)t[i]) &&
		       !is_digit((unsigned char)t[i]) &&
		       (unsigned char)t[i] < 0x80)
			i++;
		b = i;
		while (i < n && (is_alpha((unsigned char)t[i]) ||
				 is_digit((unsigned char)t[i]) ||
				 t[i] == '\'' || (unsigned char)t[i] >= 0x80))
			i++;
		if (i > b) {
			size_t k = b;

			while (k < i && is_digit((unsigned char)t[k]))
				k++;
			seen++;
			if (k < i && !in_list_ci(generic_words, t + b, i - b))
				c++;
		}
	}
	return c;
}

static bool is_note(const char *t, size_t n)
{
	size_t i = 0;

	while (i < n && (t[i] == '*' || t[i] == '(' || t[i] == '[' ||
			 t[i] == '_'))
		i++;
	if (!has_prefix_ci(t + i, n - i, "note") &&
	    !has_prefix_ci(t + i, n - i, "nb"))
		return false;
	i += to_lower((unsigned char)t[i + 1]) == 'b' ? 2 : 4;
	if (i < n && to_lower((unsigned char)t[i]) == 's')
		i++;
	while (i < n && (t[i] == ' ' || t[i] == '*' || t[i] == '_'))
		i++;
	return i < n && strchr(":.-)]", t[i]);
}

static bool is_vacuous(const char *t, size_t n)
{
	if (n && t[n - 1] == '.')
		n--;
	return in_list_ci(vacuous, t, n);
}

/* Where the last clause (after the last ';' or sentence stop) begins. */
static size_t last_clause(const char *t, size_t n)
{
	size_t i;

	for (i = n; i > 0; i--)
		if (t[i - 1] == ';' ||
		    (t[i - 1] == '.' && i < n && t[i] == ' ')) {
			while (i < n && t[i] == ' ')
				i++;
			return i;
		}
	return 0;
}

/*
 * Polarity a heading gives what it holds: CTM_SECTION_EXCLUSION,
 * CTM_SECTION_INCLUSION, or -1.
 */
static int heading_polarity(const char *t, size_t n, ctm_section cur)
{
	static const char *const exc[] = {
		"exclusion", "excluded", "exclude:", "exclude ", "excludes",
		"not eligible", "ineligible", "not be eligible",
		"not be included", "not be enrolled", "not allowed",
		"not permitted", "prohibited", "disallowed",
		"none of the following", "must not", "disqualif", NULL,
	};
	static const char *const inc[] = {
		"inclusion", "included", "eligible", "required", NULL,
	};
	static const char *const must[] = {
		"must have", "must be", "must meet", "must fulfil",
		"must satisfy", "must also", NULL,
	};
	size_t i = last_clause(t, n);

	/* Only the clause that introduces the list counts: "...; patients
	 * that are pregnant are excluded; the following apply:" says
	 * nothing about the list. */
	t += i;
	n -= i;
	if (n > 200)
		n = 200;
	/* "No other malignancy except:" lists what is allowed: no change. */
	if (contains_ci(t, n, "except") || contains_ci(t, n, "unless") ||
	    contains_ci(t, n, "other than"))
		return -1;
	/* "No cardiovascular event, including any of the following:" */
	if (cur != CTM_SECTION_EXCLUSION &&
	    (has_prefix_ci(t, n, "no ") || has_prefix_ci(t, n, "not ")))
		return CTM_SECTION_EXCLUSION;
	for (i = 0; exc[i]; i++)
		if (contains_ci(t, n, exc[i]))
			return CTM_SECTION_EXCLUSION;
	for (i = 0; inc[i]; i++)
		if (contains_ci(t, n, inc[i]))
			return CTM_SECTION_INCLUSION;
	if (cur != CTM_SECTION_EXCLUSION)
		for (i = 0; must[i]; i++)
			if (contains_ci(t, n, must[i]))
				return CTM_SECTION_INCLUSION;
	return -1;
}

/* "Allowed:", "Excluded within 4 weeks of study entry:", ... */
static bool polarity_label(const char *t, size_t n)
{
	static const char *const w[] = {
		"allowed", "not allowed", "excluded", "included", "required",
		"permitted", "not permitted", "prohibited", "disallowed",
		"recommended", NULL,
	};
	size_t i, l;

	for (i = 0; w[i]; i++) {
		l = strlen(w[i]);
		if (has_prefix_ci(t, n, w[i]) &&
		    (l == n || t[l] == ' ' || t[l] == ':'))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Headers                                                             */
/* ------------------------------------------------------------------ */

static bool header_hint(const char *t, size_t n)
{
	static const char *const hints[] = {"clusion", "ligib", "riteri",
					    "haracteristic", "therap", NULL};
	size_t i, h;

	/* one pass over the line (most lines are no header: this runs on
	 * every one), trying each hint where its first letter stands */
	for (i = 0; i + 5 <= n; i++)
		for (h = 0; hints[h]; h++)
			if (to_lower((unsigned char)t[i]) == hints[h][0] &&
			    has_prefix_ci(t + i, n - i, hints[h]))
				return true;
	return false;
}

static bool grp(const PCRE2_SIZE *ov, int g)
{
	return g > 0 && ov[2 * g] != PCRE2_UNSET;
}

/*
 * Is t[0..n) exactly a section header (U_SECTION, sets *section and
 * *qualified) or a PDQ major heading (U_MAJOR)? U_TEXT if neither.
 */
static int header_exact(struct seg *s, const char *t, size_t n,
			uint8_t *section, uint8_t *qualified)
{
	const PCRE2_SIZE *ov;

	if (n == 0 || n > SEG_HEADER_MAX || !header_hint(t, n))
		return U_TEXT;
	if (pcre2_match(re_major, (PCRE2_SPTR)t, n, 0, 0, s->md, re_mctx) > 0)
		return U_MAJOR;
	if (pcre2_match(re_section, (PCRE2_SPTR)t, n, 0, 0, s->md, re_mctx) <=
	    0)
		return U_TEXT;
	ov = pcre2_get_ovector_pointer(s->md);
	*qualified = grp(ov, g_qual);
	if (grp(ov, g_inc) || grp(ov, g_inc2))
		*section = CTM_SECTION_INCLUSION;
	else if (grp(ov, g_exc) || grp(ov, g_exc2))
		*section = CTM_SECTION_EXCLUSION;
	else
		*section = CTM_SECTION_UNSPECIFIED;
	/* "Eligibility for surgery" is a criterion, not a header. */
	if (*qualified && (grp(ov, g_gen) || grp(ov, g_gen2)) &&
	    !grp(ov, g_crit))
		return U_TEXT;
	return U_SECTION;
}

/*
 * A section header or PDQ heading at the start of t: the whole of it, or
 * what comes before its first colon. Sets *hlen to the header's length
 * and returns its type, or U_TEXT.
 */
static int header_at(struct seg *s, const char *t, size_t n, size_t *hlen,
		     uint8_t *section, uint8_t *qualified)
{
	size_t i;
	int ty;

	ty = header_exact(s, t, n, section, qualified);
	if (ty != U_TEXT) {
		*hlen = n;
		return ty;
	}
	for (i = 0; i < n && i < SEG_PREFIX_MAX; i++) {
		if (t[i] == ':' || (i + 3 <= n &&
				    !memcmp(t + i, "\xef\xbc\x9a", 3))) {
			ty = header_exact(s, t, i, section, qualified);
			if (ty != U_TEXT)
				*hlen = i;
			return ty;
		}
	}
	return U_TEXT;
}

/* ------------------------------------------------------------------ */
/* Bullets                                                             */
/* ------------------------------------------------------------------ */

static bool is_roman(const char *p, size_t n)
{
	static const char *const r[] = {
		"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", NULL,
	};

	return in_list_ci(r, p, n);
}

/*
 * The numbering at p ("1.", "1)", "12.", "1\.", "1.1", "(1)", "a.", "(a)",
 * "ii)", "(iv)") followed by a blank or the end. Returns its kind and sets
 * *after past it, or MK_NONE.
 */
static int numbering(const char *p, const char *end, const char **after)
{
	const char *q = p, *b;
	bool paren = false;
	int kind;
	size_t k;

	if (q < end && *q == '(') {
		paren = true;
		q++;
	}
	b = q;
	while (q < end && is_digit((unsigned char)*q) && q - b < 3)
		q++;
	if (q > b) {
		kind = MK_NUM;
		if (!paren && q < end && *q == '.' && q + 1 < end &&
		    is_digit((unsigned char)q[1])) {
			/* "1.1 Text": a sub-section number, not "2.5 mg" */
			while (q < end && *q == '.' && q + 1 < end &&
			       is_digit((unsigned char)q[1])) {
				q++;
				while (q < end && is_digit((unsigned char)*q))
					q++;
			}
			if (q < end && *q == '.')
				q++;
			if (q + 1 < end && is_hspace(*q) &&
			    is_upper((unsigned char)q[1])) {
				*after = q;
				return kind;
			}
			return MK_NONE;
		}
	} else {
		while (q < end && is_alpha((unsigned char)*q) && q - b < 4)
			q++;
		k = (size_t)(q - b);
		if (k == 1)
			kind = (*b == 'i' || *b == 'I') ? MK_ROMAN : MK_LETTER;
		else if (k > 1 && is_roman(b, k))
			kind = MK_ROMAN;
		else
			return MK_NONE;
	}
	if (paren) {
		if (q >= end || *q != ')')
			return MK_NONE;
		q++;
	} else if (q < end && (*q == '.' || *q == ')')) {
		q++;
	} else if (q + 1 < end && *q == '\\' && q[1] == '.') {
		q += 2; /* markdown "1\." */
	} else {
		return MK_NONE;
	}
	if (q < end && !is_hspace(*q)) {
		/* "1.Subjects" is an item; "a.m.", "e.g." and "1.5" are not */
		if (kind != MK_NUM || paren || q[-1] != '.' ||
		    !is_alpha((unsigned char)*q))
			return MK_NONE;
		if (q + 1 < end && q[1] == '.')
			return MK_NONE;
	}
	*after = q;
	return kind;
}

/* The value of the numbering at p: 12 for "12.", 2 for "(b)", 4 for "iv)". */
static uint16_t ordinal(const char *p, const char *end, int kind)
{
	static const char *const roman[] = {
		"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
		"xi", "xii", NULL,
	};
	unsigned v = 0;
	size_t k = 0;

	if (p < end && *p == '(')
		p++;
	if (kind == MK_NUM) {
		while (p < end && is_digit((unsigned char)*p) && v < 1000)
			v = v * 10 + (unsigned)(*p++ - '0');
		return (uint16_t)v;
	}
	if (kind == MK_LETTER)
		return p < end ? (uint16_t)(to_lower((unsigned char)*p) - 'a' + 1)
			       : 0;
	if (kind != MK_ROMAN)
		return 0;
	while (p + k < end && is_alpha((unsigned char)p[k]) && k < 5)
		k++;
	for (v = 0; roman[v]; v++)
		if (strlen(roman[v]) == k && has_prefix_ci(p, k, roman[v]))
			return (uint16_t)(v + 1);
	return 0;
}

/*
 * The bullet or numbering opening a line at p (its first non-blank byte).
 * Returns its kind and sets *after to the text after it and its blanks;
 * MK_NONE (and *after = p) when there is none.
 */
static int marker(const char *p, const char *end, const char **after)
{
	const unsigned char *u = (const unsigned char *)p;
	const char *q = p;
	int kind = MK_NONE, k2;
	size_t avail = (size_t)(end - p);

	*after = p;
	if (!avail)
		return MK_NONE;
	if (*q == '-') {
		while (q < end && *q == '-' && q - p < 3)
			q++;
		if (q == end || is_hspace(*q) || is_alpha((unsigned char)*q) ||
		    *q == '(' || *q == '[' || *q == '*' || *q == '"' ||
		    (unsigned char)*q >= 0x80)
			kind = MK_DASH;
	} else if ((*q == '*' || *q == '+') &&
		   (avail == 1 || is_hspace(q[1]))) {
		kind = *q == '*' ? MK_STAR : MK_PLUS;
		q++;
	} else if (*q == 'o' && avail >= 2 && is_hspace(q[1])) {
		kind = MK_CIRCLE;
		q++;
	} else if (u[0] == 0xc2 && avail >= 2 && u[1] == 0xb7) {
		kind = MK_DOT; /* · */
		q += 2;
	} else if (avail >= 3 &&
		   ((u[0] == 0xe2 && u[1] == 0x80 &&
		     (u[2] == 0xa2 || u[2] == 0x93 || u[2] == 0x94 ||
		      u[2] == 0x90)) ||
		    (u[0] == 0xe2 && u[1] == 0x96 &&
		     (u[2] == 0xaa || u[2] == 0xa0 || u[2] == 0xba ||
		      u[2] == 0xb8)) ||
		    (u[0] == 0xe2 && u[1] == 0x97 &&
		     (u[2] == 0x8f || u[2] == 0xa6 || u[2] == 0x8b)) ||
		    (u[0] == 0xe2 && u[1] == 0x9e && u[2] == 0xa2) ||
		    (u[0] == 0xe2 && u[1] == 0x9c && u[2] == 0x93) ||
		    (u[0] == 0xef && u[1] == 0x82 && u[2] == 0xb7))) {
		if (u[0] == 0xe2 && u[1] == 0x80 && u[2] != 0xa2)
			kind = MK_DASH; /* ‐ – — */
		else if (u[0] == 0xe2 && u[1] == 0x97 && u[2] != 0x8f)
			kind = MK_CIRCLE; /* ◦ ○ */
		else
			kind = MK_DOT;
		q += 3;
	} else {
		kind = numbering(p, end, &q);
		if (kind == MK_NONE)
			return MK_NONE;
	}
	if (kind == MK_NONE)
		return MK_NONE;
	while (q < end && is_hspace(*q))
		q++;
	/* "* 1\. Text", "-  1. Text": the number goes too */
	if (kind != MK_NUM && kind != MK_LETTER && kind != MK_ROMAN &&
	    q < end && is_digit((unsigned char)*q)) {
		const char *r;

		k2 = numbering(q, end, &r);
		if (k2 == MK_NUM) {
			q = r;
			while (q < end && is_hspace(*q))
				q++;
		}
	}
	*after = q;
	return kind;
}

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

static int add_unit(struct seg *s, const char *t, size_t n, uint32_t indent,
		    int kind, int type, uint32_t raw)
{
	struct seg_unit *u;

	trim(&t, &n);
	if (!n && type == U_TEXT)
		return 0;
	if (s->n_units == s->cap_units) {
		size_t cap = s->cap_units ? 2 * s->cap_units : 64;
		struct seg_unit *nu = realloc(s->units, cap * sizeof(*nu));

		if (!nu)
			return CTM_ENOMEM;
		s->units = nu;
		s->cap_units = cap;
	}
	u = &s->units[s->n_units];
	memset(u, 0, sizeof(*u));
	u->text = ctm_arena_strndup(s->a, t, n);
	if (!u->text)
		return CTM_ENOMEM;
	u->len = (uint32_t)n;
	u->indent = indent;
	u->kind = (uint8_t)kind;
	u->type = (uint8_t)type;
	u->raw_start = raw;
	u->num = s->num;
	s->n_units++;
	return 0;
}

static bool pdq_glue_word(const char *w, size_t n)
{
	return in_list_ci(pdq_glue, w, n);
}

/*
 * Splits a run-on PDQ paragraph ("No prior chemotherapy At least 4 weeks
 * since radiotherapy Platelet count at least 100,000/mm3") before each
 * word that opens a criterion, and after sentence stops.
 */
static int pdq_runon(struct seg *s, const char *t, size_t n, uint32_t indent,
		     uint32_t raw)
{
	size_t i = 0, piece = 0, pw = 0, pwl = 0, wl, cw, j;
	int depth = 0, rc;
	bool split, except = false;

	while (i < n) {
		while (i < n && t[i] == ' ')
			i++;
		if (i >= n)
			break;
		for (wl = 0; i + wl < n && t[i + wl] != ' '; wl++)
			;
		split = false;
		if (pwl && depth == 0 && is_upper((unsigned char)t[i])) {
			const char *p = t + pw;
			char last = p[pwl - 1];
			/* "Heart Failure" is one name; "ULN Bilirubin" and
			 * "See Disease Characteristics No ..." are two. */
			bool name = is_upper((unsigned char)p[0]) &&
				    pwl > 1 && is_lower((unsigned char)p[1]) &&
				    !has_prefix_ci(p, pwl, "characteristics") &&
				    !has_prefix_ci(p, pwl, "criteria");

			for (cw = wl; cw > 1 && strchr(",;:.", t[i + cw - 1]);)
				cw--;
			if (except) {
				/* the list of exceptions runs on */
				split = in_list(pdq_strong, t + i, cw) &&
					!pdq_glue_word(p, pwl);
			} else if (last == '.') {
				/* a sentence stop, not "e.g." or "approx." */
				split = pwl >= 4 && !memchr(p, '.', pwl - 1);
			} else if (last == ':') {
				/* "... the following: Serious illness" */
				split = pwl >= 4;
			} else if (in_list(pdq_ends, p, pwl)) {
				split = true;
			} else if ((is_alpha((unsigned char)last) ||
				    is_digit((unsigned char)last) ||
				    strchr(")]%;", last)) &&
				   !name && !pdq_glue_word(p, pwl)) {
				if (cw == 2 && !memcmp(t + i, "At", 2)) {
					j = i + wl;
					while (j < n && t[j] == ' ')
						j++;
					split = has_prefix_ci(t + j, n - j,
							      "least ") ||
						has_prefix_ci(t + j, n - j,
							      "most ");
				} else {
					split = in_list(pdq_starts, t + i, cw);
				}
			}
		}
		if (split) {
			rc = add_unit(s, t + piece, i - piece, indent, MK_NONE,
				      U_TEXT, raw);
			if (rc)
				return rc;
			piece = i;
			except = false;
		}
		if (has_prefix_ci(t + i, wl, "except") && t[i + wl - 1] == ':')
			except = true;
		for (j = i; j < i + wl; j++) {
			if (t[j] == '(' || t[j] == '[')
				depth++;
			else if ((t[j] == ')' || t[j] == ']') && depth > 0)
				depth--;
		}
		pw = i;
		pwl = wl;
		i += wl;
	}
	return add_unit(s, t + piece, n - piece, indent, MK_NONE, U_TEXT, raw);
}

/* Length of the PDQ sub-heading ("Hepatic", "Performance status") at t. */
static size_t pdq_label_at(const char *t, size_t n)
{
	size_t i, l;

	const char *colon;

	if (!n || !is_upper((unsigned char)t[0]))
		return 0;
	/* a label is followed by its colon: no colon near, no label */
	colon = memchr(t, ':', n < PDQ_LABEL_MAX + 1 ? n : PDQ_LABEL_MAX + 1);
	if (!colon)
		return 0;
	l = (size_t)(colon - t);
	for (i = 0; pdq_labels[i]; i++)
		if (equals_ci(t, l, pdq_labels[i]))
			return l;
	return 0;
}

/* A paragraph of a PDQ record: sub-headings out, then run-on splitting. */
static int pdq_paragraph(struct seg *s, const char *t, size_t n,
			 uint32_t indent, uint32_t raw)
{
	size_t i, start = 0, l;
	int rc;

	for (i = 0; i < n; i++) {
		if (i > 0 && t[i - 1] != ' ')
			continue;
		l = pdq_label_at(t + i, n - i);
		if (!l)
			continue;
		if (i > start) {
			rc = pdq_runon(s, t + start, i - start, indent, raw);
			if (rc)
				return rc;
		}
		rc = add_unit(s, t + i, l, indent, MK_NONE, U_LABEL, raw);
		if (rc)
			return rc;
		i += l; /* at the colon */
		start = i + 1;
	}
	if (start < n)
		return pdq_runon(s, t + start, n - start, indent, raw);
	return 0;
}

/*
 * Where the next number of a numbered list runs on inside an item's text
 * ("ECOG 0-2 5. Adequate organ function as defined below:" in item 4):
 * the offset of "5." after a blank, when a blank and a capital follow it;
 * else n. Only the next number in sequence counts, so "1.5 x ULN" or
 * "stage 4. Patients" in item 7 never cut.
 */
static size_t runon_number(const char *t, size_t n, unsigned next)
{
	char want[8];
	size_t i, wl;

	wl = (size_t)snprintf(want, sizeof want, "%u", next);
	for (i = 1; i + wl + 2 < n; i++) {
		const char *q = t + i + wl;
		if (t[i - 1] != ' ' || memcmp(t + i, want, wl) ||
		    (i + wl < n && is_digit((unsigned char)*q)))
			continue;
		if ((*q == '.' || *q == ')') && q[1] == ' ' &&
		    is_upper((unsigned char)q[2]))
			return i;
	}
	return n;
}

/*
 * A numbered item whose text holds the next items run together on its
 * line: one unit per item, siblings at the item's indentation, each with
 * its own number (a reader splits them; issue #11).
 */
static int numbered_runon(struct seg *s, const char *t, size_t n,
			  uint32_t indent, int kind, uint32_t raw)
{
	size_t cut;
	int rc;

	while (s->num && s->num < 999 &&
	       (cut = runon_number(t, n, (unsigned)s->num + 1u)) < n) {
		const char *after;
		rc = add_unit(s, t, cut, indent, kind, U_TEXT, raw);
		if (rc)
			return rc;
		s->num++;
		(void)numbering(t + cut, t + n, &after);
		while (after < t + n && is_hspace(*after))
			after++;
		n -= (size_t)(after - t);
		t = after;
	}
	return add_unit(s, t, n, indent, kind, U_TEXT, raw);
}

/*
 * One block: raw bytes [b, e) of the input (from the text after the
 * bullet to the end of its last line), first line indented `indent`.
 */
static int block(struct seg *s, size_t b, size_t e, uint32_t indent, int kind)
{
	const char *p = s->in + b, *end = s->in + e, *t;
	char *o = s->scratch;
	size_t n, hlen;
	uint8_t section = 0, qualified = 0;
	int ty, rc;

	/* Line breaks with the blanks around them become one space. */
	while (p < end) {
		if (*p == '\r' || *p == '\n') {
			while (o > s->scratch && is_hspace(o[-1]))
				o--;
			while (p < end && (is_hspace(*p) || *p == '\r' ||
					   *p == '\n'))
				p++;
			if (o > s->scratch)
				*o++ = ' ';
			continue;
		}
		*o++ = *p++;
	}
	t = s->scratch;
	n = (size_t)(o - s->scratch);
	trim(&t, &n);

	while (n) {
		ty = header_at(s, t, n, &hlen, &section, &qualified);
		if (ty == U_TEXT)
			break;
		rc = add_unit(s, t, hlen, indent, kind, ty, (uint32_t)b);
		if (rc)
			return rc;
		s->units[s->n_units - 1].section = section;
		s->units[s->n_units - 1].qualified = qualified;
		if (ty == U_MAJOR)
			s->pdq = true;
		if (hlen < n) /* skip the colon */
			hlen += t[hlen] == ':' ? 1 : 3;
		t += hlen;
		n -= hlen;
		trim(&t, &n);
	}
	if (!n)
		return 0;
	if (s->pdq && kind == MK_NONE && !is_note(t, n)) {
		size_t first = s->n_units;

		rc = pdq_paragraph(s, t, n, indent, (uint32_t)b);
		for (; first < s->n_units; first++)
			s->units[first].pdq = 1;
		return rc;
	}
	if (kind == MK_NUM)
		return numbered_runon(s, t, n, indent, kind, (uint32_t)b);
	return add_unit(s, t, n, indent, kind, U_TEXT, (uint32_t)b);
}

/* ------------------------------------------------------------------ */
/* Lines -> blocks                                                     */
/* ------------------------------------------------------------------ */

struct line {
	size_t start, end; /* content, without the line break */
	size_t first;	   /* first byte after indentation */
	size_t text;	   /* first byte after indentation and bullet */
	uint32_t indent;
	int kind;
	bool blank;
};

static size_t next_line(const struct seg *s, size_t p, struct line *l)
{
	const char *in = s->in;
	size_t q;
	uint32_t col = 0;

	l->start = p;
	while (p < s->len && in[p] != '\r' && in[p] != '\n')
		p++;
	l->end = p;
	if (p < s->len)
		p += (in[p] == '\r' && p + 1 < s->len && in[p + 1] == '\n') ? 2
									     : 1;
	for (q = l->start; q < l->end && is_hspace(in[q]); q++)
		if (col < 100000)
			col = in[q] == '\t' ? (col / 4 + 1) * 4 : col + 1;
	l->indent = col;
	l->blank = q == l->end;
	l->first = q;
	l->text = q;
	l->kind = MK_NONE;
	if (!l->blank) {
		const char *after;

		l->kind = marker(in + q, in + l->end, &after);
		l->text = (size_t)(after - in);
	}
	return p;
}

/* Hard-wrapped, indented text: every line but the first at 4+ columns. */
static bool detect_wrapped(const struct seg *s)
{
	struct line l;
	size_t p = 0;
	uint32_t min = UINT32_MAX;
	bool first = true;

	while (p < s->len) {
		p = next_line(s, p, &l);
		if (l.blank)
			continue;
		if (first) {
			first = false;
			continue;
		}
		if (l.indent < min)
			min = l.indent;
	}
	return min != UINT32_MAX && min >= 4;
}

/* Is this line a section header or PDQ heading (so it opens a block)? */
static bool header_line(struct seg *s, const struct line *l)
{
	const char *t = s->in + l->text;
	size_t n = l->end - l->text, hlen;
	uint8_t section, qualified;

	trim(&t, &n);
	if (!n || is_lower((unsigned char)t[0]))
		return false;
	return header_at(s, t, n, &hlen, &section, &qualified) != U_TEXT;
}

static int lines(struct seg *s)
{
	struct line l;
	size_t p = 0, cb = 0, ce = 0;
	uint32_t cindent = 0;
	uint16_t cnum = 0;
	int ckind = MK_NONE, rc;
	long paren = 0; /* '(' less ')' in the open block */
	bool open = false, blank = false, join;

	while (p < s->len) {
		p = next_line(s, p, &l);
		if (l.blank) {
			blank = true;
			continue;
		}
		join = false;
		/* "... a score between 36 and\n 110." and "T3-T4 (stage\n II)
		 * with bowel obstruction" are wrapped lines, not items. */
		if (open && !blank && (l.kind == MK_NUM || l.kind == MK_LETTER ||
				       l.kind == MK_ROMAN) &&
		    (dangling(s->in + cb, ce - cb) ||
		     (paren > 0 &&
		      memchr(s->in + l.start, ')', l.text - l.start) &&
		      !memchr(s->in + l.start, '(', l.text - l.start)))) {
			l.kind = MK_NONE;
			l.text = l.start;
			while (l.text < l.end && is_hspace(s->in[l.text]))
				l.text++;
		}
		if (open && l.kind == MK_NONE && !header_line(s, &l)) {
			const char *t = s->in + l.text;
			bool lower = is_lower((unsigned char)*t);
			bool dang = dangling(s->in + cb, ce - cb);

			if (blank)
				/* "...less responsive to the experimental\n\n
				 * treatment and ...)" */
				join = lower && l.indent >= cindent &&
				       (dang || paren > 0 ||
					(!s->wrapped && l.indent > cindent));
			else if (l.indent > cindent)
				join = true;
			else if (s->wrapped)
				/* The export indents list items' wrapped lines
				 * deeper; text it did not see as a list ("2.2
				 * No more than ...") wraps at its own
				 * indentation. */
				join = l.indent == cindent || lower || dang;
			else
				join = dang && (lower ||
						is_digit((unsigned char)*t) ||
						*t == '(');
		}
		if (!join) {
			if (open) {
				s->num = cnum;
				rc = block(s, cb, ce, cindent, ckind);
				if (rc)
					return rc;
			}
			open = true;
			cb = l.text;
			cindent = l.indent;
			ckind = l.kind;
			cnum = ordinal(s->in + l.first, s->in + l.end, l.kind);
			paren = 0;
		}
		for (size_t k = l.text; k < l.end; k++)
			paren += s->in[k] == '(' ? 1 : s->in[k] == ')' ? -1 : 0;
		ce = l.end;
		while (ce > cb && is_hspace(s->in[ce - 1]))
			ce--;
		blank = false;
	}
	if (open) {
		s->num = cnum;
		return block(s, cb, ce, cindent, ckind);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Units -> segments                                                   */
/* ------------------------------------------------------------------ */

/* "PREVIOUSLY TREATED PATIENTS WITH REFRACTORY DISEASE:" is a heading;
 * "MUST NOT HAVE ANY OF THE FOLLOWING:" is a lead-in. */
static bool shouted_label(const char *t, size_t n)
{
	size_t i;

	if (n > 120 || count_words(t, n, 16) > 15 ||
	    contains_ci(t, n, "following"))
		return false;
	for (i = 0; i < n; i++)
		if (is_lower((unsigned char)t[i]))
			return false;
	return true;
}

static void classify(struct seg_unit *u)
{
	const char *t = u->text;
	size_t n = u->len;

	u->note = is_note(t, n);
	u->vacuous = is_vacuous(t, n);
	u->colon = !u->note && (u->type == U_LABEL || ends_colon(t, n));
	if (u->type == U_LABEL) {
		u->rank = R_LABEL;
		return;
	}
	u->cohort = u->kind == MK_NONE && u->colon &&
		    ctm_criteria_cohort_start(t, n);
	u->label_like = u->kind == MK_NONE && u->colon &&
			((n <= 60 && count_words(t, n, 6) <= 5) ||
			 shouted_label(t, n) || u->cohort);
	if (u->colon && polarity_label(t, n))
		u->rank = R_POL;
	else if (u->label_like)
		u->rank = R_LABEL;
	else
		u->rank = R_LEADIN;
}

/* Does heading e hold unit b? */
static bool contains(const struct seg_entry *e, const struct seg_unit *b)
{
	if (e->rank <= R_MAJOR)
		return true;
	if (b->type == U_SECTION || b->type == U_MAJOR)
		return false;
	/* "2." after "1." is its sibling, even indented a little deeper */
	if (e->num && b->kind == e->kind && b->num == e->num + 1 &&
	    b->indent <= e->indent + 4)
		return false;
	if (b->indent != e->indent)
		return b->indent > e->indent;
	if (e->kind != MK_NONE)
		return b->kind != MK_NONE && b->kind != e->kind && e->colon;
	if (b->kind != MK_NONE)
		return true;
	/* "Excluded:" then "Patients with ... are excluded:"; "Allowed:"
	 * then "GROUP 2:", the group the permission is for */
	if (b->colon)
		return (b->rank > e->rank && e->rank != R_POL) ||
		       (e->rank == R_POL && b->cohort);
	if (e->rank == R_LABEL || e->rank == R_POL)
		return true;
	return e->run == RUN_OPEN ||
	       (e->run == RUN_SHORT && b->len <= SEG_SHORT_ITEM);
}

static bool terminal(const struct seg_unit *u)
{
	return u->len && strchr(".;!?", u->text[u->len - 1]);
}

/* Is u a heading of the unit after it? */
static bool is_heading(const struct seg_unit *u, const struct seg_entry *e,
		       const struct seg_unit *next)
{
	if (u->type == U_LABEL)
		return true;
	if (u->note || u->vacuous || !next || !contains(e, next))
		return false;
	if (u->colon)
		return true;
	/* "Active disease as defined by" over deeper items, or a paragraph
	 * "Cohort A" over items; not a sentence that happens to precede a
	 * list. */
	return !terminal(u) &&
	       (next->indent > u->indent ||
		(u->kind == MK_NONE && next->kind != MK_NONE));
}

static struct seg_entry *top(struct seg *s)
{
	return s->depth ? &s->stack[s->depth - 1] : NULL;
}

static ctm_section cur_section(const struct seg *s)
{
	size_t i;

	for (i = s->depth; i > 0; i--)
		if (s->stack[i - 1].polarity >= 0)
			return (ctm_section)s->stack[i - 1].polarity;
	return s->base;
}

static const char *cur_heading(const struct seg *s)
{
	return s->depth ? s->stack[s->depth - 1].path : NULL;
}

/* The heading text of u, behind the path of the labels around it. */
static const char *make_path(struct seg *s, const struct seg_unit *u)
{
	const struct seg_entry *t = top(s);
	size_t n = strip_colon(u->text, u->len), pl;
	char *p;

	if (!n)
		n = u->len;
	if (u->rank < R_LABEL || !t || t->rank < R_LABEL ||
	    (pl = strlen(t->path)) + 2 + n > SEG_HEADING_MAX)
		return ctm_arena_strndup(s->a, u->text, n);
	p = ctm_arena_alloc(s->a, pl + 2 + n + 1);
	if (!p)
		return NULL;
	memcpy(p, t->path, pl);
	memcpy(p + pl, ": ", 2);
	memcpy(p + pl + 2, u->text, n);
	p[pl + 2 + n] = '\0';
	return p;
}

/* u as a heading of the given rank (path and polarity not yet set). */
static void entry_of(struct seg_entry *e, const struct seg_unit *u, int rank)
{
	memset(e, 0, sizeof(*e));
	e->indent = u->indent;
	e->kind = u->kind;
	e->num = u->num;
	e->rank = (uint8_t)rank;
	e->colon = u->colon;
	e->polarity = -1;
	/* Run-on PDQ text has no full stops to end a run. */
	if (u->kind == MK_NONE && u->colon && !u->pdq && rank == R_LEADIN)
		e->run = RUN_OPEN;
}

static int push(struct seg *s, const struct seg_unit *u, int rank,
		int polarity, const char *path)
{
	struct seg_entry *e;

	if (!path)
		return CTM_ENOMEM;
	if (s->depth == SEG_MAX_DEPTH)
		return 0;
	e = &s->stack[s->depth++];
	entry_of(e, u, rank);
	e->polarity = (int8_t)polarity;
	e->path = path;
	return 0;
}

/*
 * "See Disease Characteristics", "See Chemotherapy", "See above": a pointer
 * to a heading that holds the criteria, not a criterion. PDQ records put
 * one under every heading whose criteria live elsewhere.
 */
static bool cross_reference(const char *t, size_t n)
{
	size_t i = 4, words = 0;

	if (n < 5 || !has_prefix_ci(t, n, "see "))
		return false;
	while (n && (t[n - 1] == '.' || t[n - 1] == ' '))
		n--;
	while (i < n) {
		size_t b = i;
		while (i < n && t[i] != ' ')
			i++;
		if (!(is_upper((unsigned char)t[b]) ||
		      has_prefix_ci(t + b, i - b, "above") ||
		      has_prefix_ci(t + b, i - b, "below")))
			return false;
		for (; b < i; b++)
			if (!is_alpha((unsigned char)t[b]))
				return false;
		words++;
		while (i < n && t[i] == ' ')
			i++;
	}
	return words >= 1 && words <= 4;
}

/* Emits u; returns 1 when the segment bound is reached. */
static int emit(struct seg *s, const struct seg_unit *u)
{
	ctm_segment *g;

	if (cross_reference(u->text, strlen(u->text)))
		return 0;

	if (s->n_out == SEG_MAX_SEGMENTS) {
		/* The last segment takes the rest of the text. */
		const char *p = s->in + s->last_raw, *end = s->in + s->len;
		const char *t;
		char *o = s->scratch;
		size_t n;

		while (p < end) {
			if (*p == '\r' || *p == '\n') {
				while (o > s->scratch && is_hspace(o[-1]))
					o--;
				while (p < end && (is_hspace(*p) ||
						   *p == '\r' || *p == '\n'))
					p++;
				*o++ = ' ';
				continue;
			}
			*o++ = *p++;
		}
		t = s->scratch;
		n = (size_t)(o - s->scratch);
		trim(&t, &n);
		g = &s->out[s->n_out - 1];
		g->text = ctm_arena_strndup(s->a, t, n);
		return g->text ? 1 : CTM_ENOMEM;
	}
	g = &s->out[s->n_out++];
	g->section = cur_section(s);
	g->text = u->text;
	g->heading = cur_heading(s);
	s->last_raw = u->raw_start;
	return 0;
}

static int segments(struct seg *s)
{
	size_t i, cap;
	int rc;

	cap = s->n_units < SEG_MAX_SEGMENTS ? s->n_units : SEG_MAX_SEGMENTS;
	if (!cap)
		return 0;
	s->out = ctm_arena_alloc(s->a, cap * sizeof(*s->out));
	if (!s->out)
		return CTM_ENOMEM;
	for (i = 0; i < s->n_units; i++)
		classify(&s->units[i]);

	for (i = 0; i < s->n_units; i++) {
		const struct seg_unit *u = &s->units[i];
		const struct seg_unit *next =
			i + 1 < s->n_units ? &s->units[i + 1] : NULL;
		struct seg_entry e;

		if (u->type == U_SECTION) {
			s->depth = 0;
			s->base = (ctm_section)u->section;
			if (u->qualified) {
				rc = push(s, u, R_SECTION, -1,
					  make_path(s, u));
				if (rc)
					return rc;
			}
			continue;
		}
		if (u->type == U_MAJOR) {
			while (s->depth && top(s)->rank >= R_MAJOR)
				s->depth--;
			rc = push(s, u, R_MAJOR, -1, make_path(s, u));
			if (rc)
				return rc;
			continue;
		}
		while (s->depth && !contains(top(s), u))
			s->depth--;

		entry_of(&e, u, u->rank);
		if (s->depth < SEG_MAX_DEPTH && is_heading(u, &e, next)) {
			/* Only a heading that introduces a list ("...:")
			 * gives it a polarity. */
			int pol = u->colon && u->type == U_TEXT
					  ? heading_polarity(u->text, u->len,
							     cur_section(s))
					  : -1;

			/* "Adequate organ function as defined by:" is a
			 * criterion too; "Patients with any of the following
			 * are excluded:" is not. */
			if (u->type == U_TEXT && u->rank == R_LEADIN &&
			    ((pol < 0 && content_words(u->text, u->len) >= 3) ||
			     content_words(u->text,
					   last_clause(u->text, u->len)) >= 3)) {
				rc = emit(s, u);
				if (rc)
					return rc < 0 ? rc : 0;
			}
			rc = push(s, u, u->rank, pol, make_path(s, u));
			if (rc)
				return rc;
			continue;
		}
		if (s->depth && top(s)->run && top(s)->indent == u->indent &&
		    u->kind == MK_NONE) {
			struct seg_entry *h = top(s);
			char last = u->text[u->len - 1];

			if (last == ',' || last == ';')
				h->commas = true;
			if (!strchr(".!?", last))
				h->run = RUN_OPEN;
			else if (!h->commas && u->len <= SEG_SHORT_ITEM)
				h->run = RUN_SHORT;
			else
				h->run = RUN_NO;
		}
		if (u->label_like || u->vacuous)
			continue;
		rc = emit(s, u);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

int ctm_criteria_segment(const char *text, ctm_arena *a, ctm_segment **out,
			 size_t *n_out, ctm_error *err)
{
	struct seg s;
	int rc = 0;

	assert(a && out && n_out);
	*out = NULL;
	*n_out = 0;
	if (!text)
		return 0;
	pthread_once(&re_once, seg_compile);
	if (re_rc)
		return ctm_error_set(err, re_rc, NULL, 0, 0,
				     "criteria segmentation: %s", re_msg);

	memset(&s, 0, sizeof(s));
	s.in = text;
	s.len = strnlen(text, (size_t)CTM_MAX_TEXT_BYTES + 1);
	s.a = a;
	if (s.len > CTM_MAX_TEXT_BYTES)
		return ctm_error_set(err, CTM_ELIMIT, NULL, 0, 0,
				     "criteria text longer than %u bytes",
				     (unsigned)CTM_MAX_TEXT_BYTES);
	s.md = pcre2_match_data_create_from_pattern(re_section, NULL);
	s.scratch = malloc(s.len + 1);
	if (!s.md || !s.scratch) {
		rc = CTM_ENOMEM;
		goto done;
	}
	s.wrapped = detect_wrapped(&s);
	rc = lines(&s);
	if (rc)
		goto done;
	rc = segments(&s);
	if (rc)
		goto done;
	*out = s.out;
	*n_out = s.n_out;
done:
	if (rc == CTM_ENOMEM)
		ctm_error_set(err, rc, NULL, 0, 0,
			      "out of memory segmenting criteria");
	free(s.units);
	free(s.scratch);
	pcre2_match_data_free(s.md);
	return rc;
}
