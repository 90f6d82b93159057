/*
 * criteria_segment.h - the criteria segmenter's layers (parsers/ only):
 * lines -> blocks (criteria_segment_lines.c), blocks -> units
 * (criteria_segment_units.c), units -> segments and the entry point
 * (criteria_segment.c, whose header comment says what each layer does).
 * The words each layer asks for are rules data (layout.tsv, read through
 * crules); s->r is the rule set a call reads with.
 */
#ifndef CTM_CRITERIA_SEGMENT_H
#define CTM_CRITERIA_SEGMENT_H

#include <ctm/parsers.h>

#include "criteria_rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdbool.h>
#include <stdint.h>
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
	bool siblings;	 /* an item "Excluded:" over the items after it */
	const char *path;
};

struct seg {
	const crules *r; /* the words of layout.tsv */
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
/* Bytes and words (each layer uses them)                              */
/* ------------------------------------------------------------------ */

static inline bool is_hspace(int c)
{
	return c == ' ' || c == '\t';
}

static inline bool is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alpha(int c)
{
	return is_upper(c) || is_lower(c);
}

static inline int to_lower(int c)
{
	return is_upper(c) ? c + 32 : c;
}

/* Case-insensitive (ASCII) prefix test of s[0..n) against lower-case w. */
static inline bool has_prefix_ci(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; w[i]; i++)
		if (i >= n || to_lower((unsigned char)s[i]) != w[i])
			return false;
	return true;
}

/* Case-insensitive search for lower-case w in s[0..n). */
static inline bool contains_ci(const char *s, size_t n, const char *w)
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
static inline bool equals_ci(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!w[i] || to_lower((unsigned char)s[i]) != w[i])
			return false;
	return w[n] == '\0';
}

/* Bytes of a trimmable blank at s (space, tab, FF, VT, NBSP), or 0. */
static inline size_t blank_at(const char *s, const char *end)
{
	unsigned char c = (unsigned char)*s;

	if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r' ||
	    c == '\n')
		return 1;
	if (c == 0xc2 && s + 1 < end && (unsigned char)s[1] == 0xa0)
		return 2;
	return 0;
}

static inline void trim(const char **s, size_t *n)
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
static inline size_t strip_colon(const char *t, size_t n)
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

static inline bool ends_colon(const char *t, size_t n)
{
	return (n && t[n - 1] == ':') ||
	       (n >= 3 && !memcmp(t + n - 3, "\xef\xbc\x9a", 3));
}

/* Space-separated words, counted up to max. */
static inline size_t count_words(const char *t, size_t n, size_t max)
{
	size_t i, w = 0;

	for (i = 0; i < n && w < max; i++)
		if (t[i] != ' ' && (i == 0 || t[i - 1] == ' '))
			w++;
	return w;
}

/* Is w[0,n) an entry of layout list l? */
static inline bool seg_in(const struct seg *s, crules_layout l, const char *w,
			  size_t n)
{
	return crules_layout_find(s->r, l, w, n) >= 0;
}

/*
 * ctm_criteria_segment() reading with the rule set r (a parser's: see
 * ctm_criteria_ctx_rules()); ctm_criteria_segment() reads with the
 * built-in rules.
 */
int ctm_seg_segment(const crules *r, const char *text, ctm_arena *a,
		    ctm_segment **out, size_t *n_out, ctm_error *err);

/* ---- criteria_segment_lines.c: lines -> blocks ---- */

/* Hard-wrapped, indented text: every line but the first at 4+ columns. */
bool ctm_seg_detect_wrapped(const struct seg *s);

/* Cuts the input into blocks, each handed to ctm_seg_block(). */
int ctm_seg_lines(struct seg *s);

/*
 * The numbering at p ("1.", "1)", "12.", "1\.", "1.1", "(1)", "a.", "(a)",
 * "ii)", "(iv)") followed by a blank or the end. Returns its kind and sets
 * *after past it, or MK_NONE.
 */
int ctm_seg_numbering(const crules *r, const char *p, const char *end,
		      const char **after);

/* ---- criteria_segment_units.c: blocks -> units ---- */

/* Compiles the header patterns once for the process; an error if they do
 * not compile. */
int ctm_seg_patterns(ctm_error *err);

/* Match data for the header patterns (NULL when out of memory). */
pcre2_match_data *ctm_seg_match_data(void);

/*
 * A section header or PDQ heading at the start of t: the whole of it, or
 * what comes before its first colon. Sets *hlen to the header's length
 * and returns its type, or U_TEXT.
 */
int ctm_seg_header_at(struct seg *s, const char *t, size_t n, size_t *hlen,
		      uint8_t *section, uint8_t *qualified);

/*
 * One block: raw bytes [b, e) of the input (from the text after the
 * bullet to the end of its last line), first line indented `indent`,
 * into units.
 */
int ctm_seg_block(struct seg *s, size_t b, size_t e, uint32_t indent,
		  int kind);

/* A "NOTE:" or "NB:" paragraph. */
bool ctm_seg_is_note(const char *t, size_t n);

#endif
