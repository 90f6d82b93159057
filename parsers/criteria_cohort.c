/*
 * criteria_cohort.c - the cohorts, parts and arms a trial's criteria are
 * split into. Where the text sets apart parts, cohorts or arms with their
 * own criteria, a criterion binds only its cohort (spec/matching.md).
 *
 * A COHORT LABEL is a kind and one or more ids: "Cohort A", "COHORT II",
 * "Part 1 and Part 2a", "Cohorts A-1, B-1", "Arm #3", "Phase I",
 * "Expansion cohort 2"; or a part without id: "Dose escalation", "Dose
 * expansion". Kinds: cohort, arm, part, phase, group, module, and the
 * escalation/expansion parts. An id is a number with an optional letter
 * suffix ("2a", "1B1"), a letter with an optional number ("A", "B2",
 * "A-1"), or a roman numeral with the same ("II", "IB1", read as "2",
 * "1B1"); "#" before it is dropped.
 *
 * A label is read in three places, each time only when the words around
 * it say nothing else ("for", "in the", "portion of the study", "the
 * following eligibility criteria must be met", "only", "patients", ...):
 *  - a part of a segment's heading path (the path's ": "-separated
 *    parts): "Cohort A", "Part 1 (dose escalation)", "Arm B - RAS
 *    wild-type", "In the Phase I portion of the study the following
 *    eligibility criteria must be met", "Exclusion criteria for Part 2";
 *    "Cohort-specific criteria" says only that cohorts follow;
 *  - the start of a criterion, before its first ":" ("COHORT I: Patient
 *    must not ...", "For Cohort B: ...", "Arm #2 (Combination): ..."),
 *    before "," or " - " after "for"/"in" ("For Part 2, patients must
 *    ..."), or before "patients"/"participants"/"subjects" ("Part B
 *    patients must have ...");
 *  - its end, in brackets: "... (Cohort 2 only)", "(for Part 1)".
 * A criterion so labelled binds those cohorts and is read without the
 * label; a label's own description ("(dose escalation)", "- patients with
 * RAS wild-type disease") is not read, so a cohort can only admit more.
 * Every other criterion binds all cohorts.
 *
 * NOT CLEAR, and then nothing changes (a criterion under a cohort heading
 * stays review, as the extractor leaves it): fewer than two cohorts, or
 * more than CTM_MAX_COHORTS; cohorts of different kinds ("Part 2" over
 * "Cohort B2"); ids nested in others ("IB" and "IB1", "A" and "A-1",
 * "2A" and "2A-CRC"); a label in a short heading part, or before a
 * criterion's colon, among other words ("CRC (2-3L) Cohort B2:"); a
 * heading and a text, or two heading parts, naming different cohorts;
 * a cohort named anywhere in the text ("Arm 6 only", "participants in
 * Part A and Part B must ...") that no label sets apart; ids that do not
 * run from the first ("Groups 3 and 4 only", with groups 1 and 2 never
 * named: a label naming every cohort read would bind them all). Each of
 * these may hide a cohort that the text does not set apart, whose
 * criteria would then bind everyone. A label followed by "dose" is no
 * cohort ("the recommended phase II dose").
 *
 * Bounds: a label has at most 8 ids; ids are at most 15 bytes; only the
 * first 160 bytes of a criterion are looked at for a leading label.
 *
 * The words are rules data (engine/lexicon/rules/layout.tsv, lists
 * cohort-*): the kinds and the names labels are shown with, the filler
 * words, the words after a label that make it no cohort, and the roman
 * numerals the segmenter reads too.
 */
#include "criteria_cohort.h"

#include <stdio.h>
#include <string.h>

/* The kinds of label: the escalation and expansion parts, without id;
 * then those of layout.tsv's cohort-kind list, CK_LISTED plus the place
 * of the first entry of their name ("cohort" and "cohorts": "Cohort"). */
enum {
	CK_NONE = 0,
	CK_DOSE,
	CK_LISTED,
};

/* A roman cohort id is at most X ("Cohort XI" is read no further). */
#define ROMAN_MAX 10

#define ID_MAX 16
#define LABEL_IDS 8
#define LEAD_MAX 160

typedef struct cid {
	int kind;
	char id[ID_MAX]; /* upper case, roman as arabic ("1B1", "A-1") */
} cid;

typedef struct clabel {
	size_t n;
	cid ids[LABEL_IDS];
	size_t end; /* the byte after the last id */
} clabel;

/* ---- characters and words ---- */

static int lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static size_t skip_sp(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* The word w (any case) at s[i], ending there; the byte after it or 0. */
static size_t word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t k;

	for (k = 0; w[k]; k++)
		if (i + k >= n || lc((unsigned char)s[i + k]) != w[k])
			return 0;
	if (i + k < n && is_alnum((unsigned char)s[i + k]))
		return 0;
	return i + k;
}

/* ---- kinds and ids ---- */

/* An entry of list l (any case) at s[i], ending there: the byte after
 * it, or 0. */
static size_t entry_at(const crules *ru, crules_layout l, const char *s,
		       size_t n, size_t i)
{
	const crules_entries *e = &ru->layout[l];
	size_t k, end;

	for (k = 0; k < e->n; k++)
		if ((end = word_at(s, n, i, e->s[k])))
			return end;
	return 0;
}

/* The kind of entry k of the cohort-kind list. */
static int listed_kind(const crules *ru, size_t k)
{
	const crules_entries *e = &ru->layout[CRULES_L_COHORT_KIND];
	size_t j;

	for (j = 0; j < k && strcmp(e->value[j], e->value[k]); j++)
		;
	return CK_LISTED + (int)j;
}

/* The name a kind is shown with: "Cohort". */
static const char *kind_name(const crules *ru, int kind)
{
	return ru->layout[CRULES_L_COHORT_KIND].value[kind - CK_LISTED];
}

/*
 * The kind at s[i]: its byte after, or 0. *idless is set for the
 * escalation and expansion parts ("Dose expansion", "expansion phase"),
 * with *which "ESCALATION" or "EXPANSION"; "Expansion cohort 2" is a
 * cohort, told apart by the id after it.
 */
static size_t kind_at(const crules *ru, const char *s, size_t n, size_t i,
		      int *kind, const char **which)
{
	const crules_entries *kinds = &ru->layout[CRULES_L_COHORT_KIND];
	size_t k, e, j = i;

	*which = NULL;
	if ((e = word_at(s, n, j, "dose")) && e < n && s[e] == ' ')
		j = e + 1;
	if ((e = word_at(s, n, j, "escalation")) ||
	    (e = word_at(s, n, j, "expansion"))) {
		size_t c = skip_sp(s, n, e), ce;
		*which = lc((unsigned char)s[j]) == 'e' && lc((unsigned char)s[j + 1]) == 's'
				 ? "ESCALATION"
				 : "EXPANSION";
		/* "expansion cohort 2": a cohort with an id */
		if (((ce = word_at(s, n, c, "cohort")) ||
		     (ce = word_at(s, n, c, "cohorts"))) &&
		    (k = (size_t)crules_layout_find(
			     ru, CRULES_L_COHORT_KIND, "cohort", 6)) <
			    kinds->n) {
			*kind = listed_kind(ru, k);
			return ce;
		}
		*kind = CK_DOSE;
		return e;
	}
	if (j != i)
		return 0; /* "dose" alone */
	for (k = 0; k < kinds->n; k++)
		if ((e = word_at(s, n, i, kinds->s[k]))) {
			*kind = listed_kind(ru, k);
			return e;
		}
	return 0;
}

/* The value of a roman numeral s[0,n) ("IV"), or 0 when it is none. */
static int roman(const crules *ru, const char *s, size_t n)
{
	long at = crules_layout_find(ru, CRULES_L_ROMAN, s, n);

	return at >= 0 && at < ROMAN_MAX ? (int)at + 1 : 0;
}

static int is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || is_upper(c);
}

/*
 * An id at s[i] into *c (kind not set): "A", "B2", "A-1", "2a", "1B1",
 * "#3", "II", "IB1", "Ib", "2A-CRC". Letters and roman numerals are
 * capitals ("cohort a patient" names no cohort). Its byte after, or 0.
 */
static size_t id_at(const crules *ru, const char *s, size_t n, size_t i,
		    cid *c)
{
	size_t b, e, k = 0, o = 0, rl, run = 0;
	int dash = 0;
	char raw[ID_MAX];

	if (i < n && s[i] == '#')
		i++;
	b = i;
	while (i < n && (is_alnum((unsigned char)s[i]) ||
			 (s[i] == '-' && i > b && i + 1 < n &&
			  is_alnum((unsigned char)s[i + 1]))))
		i++;
	e = i;
	if (e == b || e - b >= ID_MAX)
		return 0;
	memcpy(raw, s + b, e - b);
	raw[e - b] = '\0';
	if (crules_layout_find(ru, CRULES_L_COHORT_NOT_ID, raw, e - b) >= 0)
		return 0;
	if (is_digit((unsigned char)raw[0])) {
		while (is_digit((unsigned char)raw[k]))
			k++;
		if (k > 3)
			return 0;
		k = 0;
	} else {
		if (!is_upper((unsigned char)raw[0]))
			return 0;
		for (rl = 0; raw[rl] && strchr("IVX", raw[rl]); rl++)
			;
		while (rl && !roman(ru, raw, rl))
			rl--;
		if (rl && (!raw[rl] || raw[rl] == '-' ||
			   (is_alpha((unsigned char)raw[rl]) &&
			    (!raw[rl + 1] || is_digit((unsigned char)raw[rl + 1]) ||
			     raw[rl + 1] == '-')))) {
			int wr = snprintf(c->id, ID_MAX, "%d",
					  roman(ru, raw, rl));
			o = wr > 0 ? (size_t)wr : 0;
			k = rl;
		} else if (raw[1] && !is_digit((unsigned char)raw[1]) &&
			   raw[1] != '-') {
			return 0; /* a word: "Of", "Bx" */
		}
	}
	/* the rest: digits, a letter or two, anything after a dash */
	for (; raw[k] && o + 1 < ID_MAX; k++) {
		int ch = (unsigned char)raw[k];
		if (ch == '-')
			dash = 1;
		run = is_alpha(ch) ? run + 1 : 0;
		if (run > 2 && !dash)
			return 0; /* "2weeks" */
		c->id[o++] = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
	}
	c->id[o] = '\0';
	return e;
}

/* Separators between the ids of one label: ",", "and", "or", "&", "/". */
static size_t list_sep(const char *s, size_t n, size_t i)
{
	size_t e;

	i = skip_sp(s, n, i);
	if (i < n && (s[i] == ',' || s[i] == '&' || s[i] == '/' || s[i] == '+'))
		return skip_sp(s, n, i + 1);
	if ((e = word_at(s, n, i, "and")) || (e = word_at(s, n, i, "or")))
		return skip_sp(s, n, e);
	return 0;
}

/* A cohort label at s[i] into *l; its end, or 0. */
static size_t label_at(const crules *ru, const char *s, size_t n, size_t i,
		       clabel *l)
{
	const char *which;
	size_t e, j;
	int kind, k2;

	memset(l, 0, sizeof(*l));
	e = kind_at(ru, s, n, i, &kind, &which);
	if (!e)
		return 0;
	if (kind == CK_DOSE) {
		size_t pe;
		l->n = 1;
		l->ids[0].kind = CK_DOSE;
		snprintf(l->ids[0].id, ID_MAX, "%s", which);
		/* "Dose escalation phase", "expansion part" */
		j = skip_sp(s, n, e);
		if ((pe = entry_at(ru, CRULES_L_COHORT_PART, s, n, j)))
			e = pe;
		l->end = e;
		return e;
	}
	j = skip_sp(s, n, e);
	if (j == e || !(e = id_at(ru, s, n, j, &l->ids[0])))
		return 0;
	l->ids[0].kind = kind;
	l->n = 1;
	l->end = e;
	while (l->n < LABEL_IDS && (j = list_sep(s, n, l->end))) {
		size_t ke = kind_at(ru, s, n, j, &k2, &which);
		if (ke) {
			if (k2 != kind)
				break;
			j = skip_sp(s, n, ke);
		}
		if (!(e = id_at(ru, s, n, j, &l->ids[l->n])))
			break;
		l->ids[l->n].kind = kind;
		l->n++;
		l->end = e;
	}
	return l->end;
}

/* ---- the words around a label ---- */

/* s[i,e) holds only filler words (and ",", ".", "-", ";"). */
static int filler_only(const crules *ru, const char *s, size_t i, size_t e)
{
	while (i < e) {
		size_t b = i;
		if (strchr(" \t,.;-", s[i])) {
			i++;
			continue;
		}
		while (i < e && is_alnum((unsigned char)s[i]))
			i++;
		if (i == b || crules_layout_find(ru, CRULES_L_COHORT_FILLER,
						 s + b, i - b) < 0)
			return 0;
	}
	return 1;
}

/* A label followed by "dose" ("the recommended phase II dose") is no
 * part of this study; "the Phase II trial" may be. */
static int mention(const crules *ru, const char *s, size_t n,
		   const clabel *l)
{
	return entry_at(ru, CRULES_L_COHORT_NOT_BEFORE, s, n,
			skip_sp(s, n, l->end)) != 0;
}

/* The first label in s[0,n) at a word start: its start, or n. */
/* Notes where word w can start: its first two letters in pair[], or its
 * first byte alone in first[] (a word of one byte, or not of letters). */
static void label_head(const char *w, uint64_t *first, uint64_t *pair)
{
	unsigned char c0 = (unsigned char)w[0];
	unsigned char c1 = c0 ? (unsigned char)w[1] : 0;

	if (c0 >= 'a' && c0 <= 'z' && c1 >= 'a' && c1 <= 'z') {
		unsigned p = (unsigned)(c0 - 'a') * 26 + (c1 - 'a');
		pair[p / 64] |= 1ull << (p % 64);
	} else {
		first[c0 / 64] |= 1ull << (c0 % 64);
	}
}

static size_t find_label(const crules *ru, const char *s, size_t n,
			 clabel *l)
{
	const crules_entries *kinds = &ru->layout[CRULES_L_COHORT_KIND];
	uint64_t first[4] = {0, 0, 0, 0}, pair[11] = {0};
	size_t i, k;

	/* a label starts with a kind, or "dose", "escalation", "expansion"
	 * (kind_at): a word whose first two letters begin none of them is
	 * passed by one look (this runs at every word of every criterion) */
	for (k = 0; k < kinds->n; k++)
		label_head(kinds->s[k], first, pair);
	label_head("dose", first, pair);
	label_head("escalation", first, pair);
	label_head("expansion", first, pair);
	for (i = 0; i < n; i++) {
		unsigned c0, c1;

		if ((i > 0 && is_alnum((unsigned char)s[i - 1])) ||
		    !is_alnum((unsigned char)s[i]))
			continue;
		c0 = (unsigned)lc((unsigned char)s[i]);
		c1 = i + 1 < n ? (unsigned)lc((unsigned char)s[i + 1]) : 0;
		if (!(first[c0 / 64] >> (c0 % 64) & 1)) {
			unsigned p = (c0 - 'a') * 26 + (c1 - 'a');

			if (c0 < 'a' || c0 > 'z' || c1 < 'a' || c1 > 'z' ||
			    !(pair[p / 64] >> (p % 64) & 1))
				continue;
		}
		if (label_at(ru, s, n, i, l) && !mention(ru, s, n, l))
			return i;
	}
	return n;
}

/* How many words s[0,n) has (up to 99). */
static size_t words(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n && w < 99; i++)
		if (is_alnum((unsigned char)s[i]) &&
		    (i == 0 || !is_alnum((unsigned char)s[i - 1])))
			w++;
	return w;
}

/* A bracket "( ... )" at s[i] (none nested, at most 100 bytes): the byte
 * after it, or i. */
static size_t skip_bracket(const char *s, size_t n, size_t i)
{
	size_t j;

	if (i >= n || s[i] != '(')
		return i;
	for (j = i + 1; j < n && j < i + 100 && s[j] != ')' && s[j] != '('; j++)
		;
	return j < n && s[j] == ')' ? j + 1 : i;
}

/*
 * Does s[0,n) say which cohort follows and nothing else? Then 1 and *l
 * holds it ("Cohort A", "Part 1 (dose escalation)", "Arm B - RAS
 * wild-type", "In the Phase I portion ... must be met"); 2 for
 * "Cohort-specific criteria" (cohorts follow, l->n = 0); -1 when it names
 * a cohort among other words; 0 when it names none.
 */
static int heading_label(const crules *ru, const char *s, size_t n,
			 clabel *l)
{
	size_t at = find_label(ru, s, n, l), e, i;
	const char *which;
	int kind;

	if (at == n) {
		/* "Cohort-specific criteria", "Arm specific" */
		i = skip_sp(s, n, 0);
		e = kind_at(ru, s, n, i, &kind, &which);
		memset(l, 0, sizeof(*l));
		if (e && kind != CK_DOSE && e < n &&
		    (s[e] == '-' || s[e] == ' ') &&
		    word_at(s, n, e + 1, "specific") &&
		    filler_only(ru, s, e + 1, n))
			return 2;
		return 0;
	}
	/* a short heading naming a cohort among other words ("CRC (2-3L)
	 * Cohort B2") may be a cohort within a cohort; a sentence naming
	 * one ("Patients treated in the dose expansion with ...") says
	 * what it says */
	if (!filler_only(ru, s, 0, at))
		return words(s, at) <= 4 ? -1 : 0;
	e = skip_sp(s, n, l->end);
	e = skip_sp(s, n, skip_bracket(s, n, e));
	/* a description after a dash: "Arm B - patients with ..." */
	if (e < n && (s[e] == '-' || !strncmp(s + e, "\xe2\x80\x93", 3) ||
		      !strncmp(s + e, "\xe2\x80\x94", 3)) && e > l->end)
		return 1;
	if (filler_only(ru, s, e, n))
		return 1;
	return words(s + e, n - e) <= 4 ? -1 : 0;
}

int ctm_criteria_cohort_start(const crules *r, const char *t, size_t n)
{
	clabel l;

	return n && find_label(r, t, n, &l) == 0;
}

/* ---- one criterion ---- */

typedef struct crit_read {
	clabel h, t; /* from the heading, from the text */
	const char *heading; /* the heading without its label parts */
	size_t body, body_end; /* the text without its label */
	int unclear;
} crit_read;

/* The heading's parts: labels into r->h, the others kept in order. */
static int read_heading(const crules *ru, const char *h, crit_read *r,
			ctm_arena *a)
{
	size_t n = strlen(h), i = 0, kept = 0;
	char *out = ctm_arena_alloc(a, n + 1);

	if (!out)
		return CTM_ENOMEM;
	while (i <= n) {
		const char *sep = strstr(h + i, ": ");
		size_t e = sep ? (size_t)(sep - h) : n;
		clabel l;
		int k = heading_label(ru, h + i, e - i, &l);
		if (k == 1) {
			if (r->h.n && (r->h.n != l.n ||
				       memcmp(r->h.ids, l.ids, l.n * sizeof(cid))))
				r->unclear = 1; /* "Part 2: Cohort B2" */
			r->h = l;
		} else if (k == 2) {
			;
		} else {
			if (k < 0)
				r->unclear = 1;
			if (kept) {
				memcpy(out + kept, ": ", 2);
				kept += 2;
			}
			memcpy(out + kept, h + i, e - i);
			kept += e - i;
		}
		i = e + 2;
	}
	out[kept] = '\0';
	r->heading = kept ? out : NULL;
	return 0;
}

/* A label at the start of the text, before ":" (or "," or " - " after
 * "for"/"in", or before "patients"): into r->t, r->body past it. */
static void read_lead(const crules *ru, const char *t, size_t n,
		      crit_read *r)
{
	size_t lim = n < LEAD_MAX ? n : LEAD_MAX, colon, at, e, only;
	clabel l;

	for (colon = 0; colon < lim && t[colon] != ':'; colon++)
		;
	if (colon < lim) {
		int k = heading_label(ru, t, colon, &l);
		if (k == 1) {
			r->t = l;
			r->body = skip_sp(t, n, colon + 1);
			return;
		}
		if (k < 0) {
			r->unclear = 1; /* "CRC (2-3L) Cohort B2:" */
			return;
		}
	}
	at = find_label(ru, t, lim, &l);
	if (at == lim || !filler_only(ru, t, 0, at))
		return;
	e = skip_sp(t, n, skip_bracket(t, n, skip_sp(t, n, l.end)));
	only = word_at(t, n, e, "only");
	if (only)
		e = skip_sp(t, n, only);
	if ((only || word_at(t, n, 0, "for") || word_at(t, n, 0, "in")) &&
	    e < n && (t[e] == ',' || t[e] == '-')) {
		r->t = l; /* "For Part 2, patients must ...", "Arm 4 only -" */
		r->body = skip_sp(t, n, e + 1);
		return;
	}
	if (entry_at(ru, CRULES_L_COHORT_SUBJECT, t, n, e)) {
		r->t = l; /* "Part B patients must have ..." */
		r->body = e;
	}
}

/* A label in brackets at the end: "... (Cohort 2 only)." */
static void read_tail(const crules *ru, const char *t, size_t n,
		      crit_read *r)
{
	size_t e = n, b, at;
	clabel l;

	while (e > r->body && strchr(" \t.;", t[e - 1]))
		e--;
	if (e == r->body || t[e - 1] != ')')
		return;
	for (b = e - 1; b > r->body && t[b - 1] != '(' && t[b - 1] != ')'; b--)
		;
	if (b == r->body || t[b - 1] != '(')
		return;
	at = find_label(ru, t + b, e - 1 - b, &l);
	if (at == e - 1 - b || !filler_only(ru, t + b, 0, at) ||
	    !filler_only(ru, t + b, l.end, e - 1 - b))
		return;
	/* "either ICI-naive (Cohorts A-1, A-2) or on PD-1 therapy (Cohorts
	 * B-1, B-2)": alternatives of several cohorts, not one's criterion */
	{
		clabel o;
		if (find_label(ru, t + r->body, b - 1 - r->body, &o) <
		    b - 1 - r->body)
			return;
	}
	if (r->t.n && (r->t.n != l.n || memcmp(r->t.ids, l.ids, l.n * sizeof(cid))))
		r->unclear = 1; /* "Cohort A: ... (Cohort B only)" */
	r->t = l;
	for (e = b - 1; e > r->body && strchr(" \t,;", t[e - 1]); e--)
		;
	r->body_end = e;
}

/* ---- the trial ---- */

/* The index of id c among the keys, added if new; -1 when full. */
static int key_of(cid *keys, size_t *n, const cid *c)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (keys[i].kind == c->kind && !strcmp(keys[i].id, c->id))
			return (int)i;
	if (*n == CTM_MAX_COHORTS)
		return -1;
	keys[*n] = *c;
	return (int)(*n)++;
}

/* Does every label in s name one of the keys? ("Arm 6 only" where the
 * arms read are 1, 3 and 5: a cohort not set apart.) */
static int known_labels(const crules *ru, const char *s, const cid *keys,
			size_t n_keys)
{
	size_t n = strlen(s), i = 0, k, j;
	clabel l;

	while (i < n) {
		size_t at = find_label(ru, s + i, n - i, &l);
		if (at == n - i)
			return 1;
		for (k = 0; k < l.n; k++) {
			for (j = 0; j < n_keys; j++)
				if (keys[j].kind == l.ids[k].kind &&
				    !strcmp(keys[j].id, l.ids[k].id))
					break;
			if (j == n_keys)
				return 0;
		}
		/* a bracket after a label describes it: "Part 1 (dose
		 * escalation)" */
		i = skip_sp(s, n, i + l.end);
		i = skip_bracket(s, n, i);
	}
	return 1;
}

/*
 * Do the ids run from the first on, with none left out: numbers from 1,
 * letters from A ("Groups 3 and 4 only" where groups 1 and 2 are never
 * named may leave out cohorts the criteria say nothing of)? Ids of
 * numbers and ids of letters together do not.
 */
static int from_first(const cid *keys, size_t n)
{
	uint64_t seen = 0;
	size_t i;
	int digits = -1;

	if (keys[0].kind == CK_DOSE)
		return 1;
	for (i = 0; i < n; i++) {
		const char *id = keys[i].id;
		int d = is_digit((unsigned char)id[0]), v;
		if (digits >= 0 && d != digits)
			return 0;
		digits = d;
		if (d) {
			v = 0;
			while (is_digit((unsigned char)*id) && v < 100)
				v = v * 10 + (*id++ - '0');
			if (v < 1 || v > 63)
				return 0;
		} else {
			v = id[0] - 'A' + 1;
			if (v < 1 || v > 26)
				return 0;
		}
		seen |= (uint64_t)1 << v;
	}
	/* bits 1..k set, nothing else: seen + 2 is a power of two */
	return seen && !((seen + 2) & (seen + 1));
}

/* Is one id the other's with more to it, of another sort ("1B" in "1B1",
 * "A" in "A-1"; not "1" in "10")? */
static int nested(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	const char *s = la < lb ? a : b, *l = la < lb ? b : a;
	size_t ls = la < lb ? la : lb;

	if (la == lb || strncmp(s, l, ls))
		return 0;
	return l[ls] == '-' ||
	       is_digit((unsigned char)l[ls]) != is_digit((unsigned char)s[ls - 1]);
}

int ctm_criteria_cohorts(const crules *ru, const ctm_segment *seg, size_t n,
			 ctm_arena *a, crit_cohorts *out)
{
	crit_read *r = NULL;
	cid keys[CTM_MAX_COHORTS];
	size_t n_keys = 0, i, j, k;
	int rc = 0, unclear = 0;

	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	r = ctm_arena_alloc(a, n * sizeof(*r));
	if (!r)
		return CTM_ENOMEM;
	for (i = 0; i < n && !unclear; i++) {
		size_t tl = strlen(seg[i].text);
		r[i].body_end = tl;
		if (seg[i].heading &&
		    (rc = read_heading(ru, seg[i].heading, &r[i], a)))
			return rc;
		read_lead(ru, seg[i].text, tl, &r[i]);
		read_tail(ru, seg[i].text, tl, &r[i]);
		if (r[i].h.n && r[i].t.n &&
		    (r[i].h.n != r[i].t.n ||
		     memcmp(r[i].h.ids, r[i].t.ids, r[i].h.n * sizeof(cid))))
			r[i].unclear = 1;
		unclear |= r[i].unclear;
		for (k = 0; k < r[i].h.n + r[i].t.n && !unclear; k++) {
			const cid *c = k < r[i].h.n ? &r[i].h.ids[k]
						    : &r[i].t.ids[k - r[i].h.n];
			if (key_of(keys, &n_keys, c) < 0)
				unclear = 1;
		}
	}
	if (unclear || n_keys < 2)
		return 0;
	for (i = 0; i < n_keys; i++)
		for (j = i + 1; j < n_keys; j++)
			if (keys[i].kind != keys[j].kind ||
			    nested(keys[i].id, keys[j].id))
				return 0;
	if (!from_first(keys, n_keys))
		return 0;
	for (i = 0; i < n; i++)
		if (!known_labels(ru, seg[i].text, keys, n_keys) ||
		    (seg[i].heading &&
		     !known_labels(ru, seg[i].heading, keys, n_keys)))
			return 0;

	out->mask = ctm_arena_alloc(a, n * sizeof(*out->mask));
	out->text = ctm_arena_alloc(a, n * sizeof(*out->text));
	out->heading = ctm_arena_alloc(a, n * sizeof(*out->heading));
	if (!out->mask || !out->text || !out->heading)
		return CTM_ENOMEM;
	for (i = 0; i < n_keys; i++) {
		char buf[48];
		if (keys[i].kind == CK_DOSE)
			snprintf(buf, sizeof buf, "Dose %s",
				 keys[i].id[1] == 'S' ? "escalation"
						      : "expansion");
		else
			snprintf(buf, sizeof buf, "%s %s",
				 kind_name(ru, keys[i].kind), keys[i].id);
		out->labels[i] = ctm_arena_strdup(a, buf);
		if (!out->labels[i])
			return CTM_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		uint32_t m = 0;
		for (k = 0; k < r[i].h.n + r[i].t.n; k++) {
			const cid *c = k < r[i].h.n ? &r[i].h.ids[k]
						    : &r[i].t.ids[k - r[i].h.n];
			m |= 1u << key_of(keys, &n_keys, c);
		}
		out->mask[i] = m;
		out->heading[i] = seg[i].heading;
		out->text[i] = seg[i].text;
		if (!m)
			continue;
		out->heading[i] = r[i].heading;
		/* a label with nothing after it stays as it was: a lead-in
		 * ("In the Phase I portion ...:") */
		if (r[i].body < r[i].body_end &&
		    (r[i].body || r[i].body_end < strlen(seg[i].text))) {
			out->text[i] = ctm_arena_strndup(
				a, seg[i].text + r[i].body,
				r[i].body_end - r[i].body);
			if (!out->text[i])
				return CTM_ENOMEM;
		}
	}
	out->n = n_keys;
	return 0;
}
