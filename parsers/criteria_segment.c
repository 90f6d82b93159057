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
 *
 * LAYOUT: stage 1 is criteria_segment_lines.c, stage 2
 * criteria_segment_units.c, stage 3 and the entry point this file. The
 * words each stage asks for (dangling words, PDQ labels and openers,
 * heading polarity words, texts that say nothing, roman numerals) are
 * rules data: engine/lexicon/rules/layout.tsv, read with the parser's
 * rules (ctm_seg_segment) or, for ctm_criteria_segment(), the built-in
 * ones.
 */
#include "criteria_segment.h"

#include "criteria_cohort.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Words of a lead-in that say more than "patients must have the following". */
static int content_words(const struct seg *s, const char *t, size_t n)
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
			if (k < i &&
			    !seg_in(s, CRULES_L_LEADIN_GENERIC, t + b, i - b))
				c++;
		}
	}
	return c;
}

static bool is_vacuous(const struct seg *s, const char *t, size_t n)
{
	if (n && t[n - 1] == '.')
		n--;
	return seg_in(s, CRULES_L_VACUOUS, t, n);
}

/* Does t[0..n) hold an entry of list l anywhere, in any case? */
static bool contains_any(const struct seg *s, crules_layout l, const char *t,
			 size_t n)
{
	const crules_entries *e = &s->r->layout[l];
	size_t i;

	for (i = 0; i < e->n; i++)
		if (contains_ci(t, n, e->s[i]))
			return true;
	return false;
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
static int heading_polarity(const struct seg *s, const char *t, size_t n,
			    ctm_section cur)
{
	size_t i = last_clause(t, n);

	/* Only the clause that introduces the list counts: "...; patients
	 * that are pregnant are excluded; the following apply:" says
	 * nothing about the list. */
	t += i;
	n -= i;
	if (n > 200)
		n = 200;
	/* "No other malignancy except:" lists what is allowed: no change. */
	if (contains_any(s, CRULES_L_HEADING_EXCEPTION, t, n))
		return -1;
	/* "No cardiovascular event, including any of the following:" */
	if (cur != CTM_SECTION_EXCLUSION &&
	    (has_prefix_ci(t, n, "no ") || has_prefix_ci(t, n, "not ")))
		return CTM_SECTION_EXCLUSION;
	if (contains_any(s, CRULES_L_HEADING_EXCLUSION, t, n))
		return CTM_SECTION_EXCLUSION;
	if (contains_any(s, CRULES_L_HEADING_INCLUSION, t, n))
		return CTM_SECTION_INCLUSION;
	if (cur != CTM_SECTION_EXCLUSION &&
	    contains_any(s, CRULES_L_HEADING_MUST, t, n))
		return CTM_SECTION_INCLUSION;
	return -1;
}

/* "Allowed:", "Excluded within 4 weeks of study entry:", ... */
static bool polarity_label(const struct seg *s, const char *t, size_t n)
{
	const crules_entries *w = &s->r->layout[CRULES_L_POLARITY_LABEL];
	size_t i, l;

	for (i = 0; i < w->n; i++) {
		l = w->len[i];
		if (has_prefix_ci(t, n, w->s[i]) &&
		    (l == n || t[l] == ' ' || t[l] == ':'))
			return true;
	}
	return false;
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

static void classify(const struct seg *s, struct seg_unit *u)
{
	const char *t = u->text;
	size_t n = u->len;

	u->note = ctm_seg_is_note(t, n);
	u->vacuous = is_vacuous(s, t, n);
	u->colon = !u->note && (u->type == U_LABEL || ends_colon(t, n));
	if (u->type == U_LABEL) {
		u->rank = R_LABEL;
		return;
	}
	u->cohort = u->kind == MK_NONE && u->colon &&
		    ctm_criteria_cohort_start(s->r, t, n);
	u->label_like = u->kind == MK_NONE && u->colon &&
			((n <= 60 && count_words(t, n, 6) <= 5) ||
			 shouted_label(t, n) || u->cohort);
	if (u->colon && polarity_label(s, t, n))
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
	if (e->siblings && b->kind == e->kind && b->indent == e->indent)
		return b->rank != R_POL;
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

/*
 * "-  Hormone receptor status:" over "-  Not specified": a lead-in whose
 * items all say nothing restricts nothing, and is no criterion either.
 */
static bool holds_only_vacuous(const struct seg *s, size_t i,
			       const struct seg_entry *e)
{
	size_t j;

	for (j = i + 1; j < s->n_units && contains(e, &s->units[j]); j++)
		if (!s->units[j].vacuous)
			return false;
	return j > i + 1;
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
		classify(s, &s->units[i]);

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
		/* "-  Excluded within 30 days of study entry:" among the
		 * items of "Excluded:", with nothing indented under it: a
		 * sub-heading over the items after it, up to the next such
		 * label */
		e.siblings = u->rank == R_POL && u->kind != MK_NONE && next &&
			     next->kind == u->kind &&
			     next->indent == u->indent;
		if (s->depth < SEG_MAX_DEPTH && is_heading(u, &e, next)) {
			/* ... in place of the label it is under ("Excluded:",
			 * "Excluded within 48 hours of study entry:"): the
			 * items after it are no longer that label's */
			if (e.siblings && s->depth && top(s)->rank == R_POL &&
			    top(s)->kind == MK_NONE)
				s->depth--;
			/* Only a heading that introduces a list ("...:")
			 * gives it a polarity. */
			int pol = u->colon && u->type == U_TEXT
					  ? heading_polarity(s, u->text, u->len,
							     cur_section(s))
					  : -1;

			/* "Adequate organ function as defined by:" is a
			 * criterion too; "Patients with any of the following
			 * are excluded:" is not. */
			if (u->type == U_TEXT && u->rank == R_LEADIN &&
			    !holds_only_vacuous(s, i, &e) &&
			    ((pol < 0 &&
			      content_words(s, u->text, u->len) >= 3) ||
			     content_words(s, u->text,
					   last_clause(u->text, u->len)) >= 3)) {
				rc = emit(s, u);
				if (rc)
					return rc < 0 ? rc : 0;
			}
			rc = push(s, u, u->rank, pol, make_path(s, u));
			if (rc)
				return rc;
			top(s)->siblings = e.siblings;
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
	const crules *r;
	int rc;

	assert(a && out && n_out);
	*out = NULL;
	*n_out = 0;
	if (!text)
		return 0;
	rc = crules_builtin(&r, err);
	if (rc)
		return rc;
	return ctm_seg_segment(r, text, a, out, n_out, err);
}

int ctm_seg_segment(const crules *r, const char *text, ctm_arena *a,
		    ctm_segment **out, size_t *n_out, ctm_error *err)
{
	struct seg s;
	int rc = 0;

	assert(r && a && out && n_out);
	*out = NULL;
	*n_out = 0;
	if (!text)
		return 0;
	rc = ctm_seg_patterns(err);
	if (rc)
		return rc;

	memset(&s, 0, sizeof(s));
	s.r = r;
	s.in = text;
	s.len = strnlen(text, (size_t)CTM_MAX_TEXT_BYTES + 1);
	s.a = a;
	if (s.len > CTM_MAX_TEXT_BYTES)
		return ctm_error_set(err, CTM_ELIMIT, NULL, 0, 0,
				     "criteria text longer than %u bytes",
				     (unsigned)CTM_MAX_TEXT_BYTES);
	s.md = ctm_seg_match_data();
	s.scratch = malloc(s.len + 1);
	if (!s.md || !s.scratch) {
		rc = CTM_ENOMEM;
		goto done;
	}
	s.wrapped = ctm_seg_detect_wrapped(&s);
	rc = ctm_seg_lines(&s);
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
