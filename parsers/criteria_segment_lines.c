/*
 * criteria_segment_lines.c - the segmenter's first layer: lines -> blocks,
 * and the bullets and numbers that open them (criteria_segment.c says how).
 */
#include "criteria_segment.h"

#include <stdint.h>
#include <string.h>

/* Does t[0..n) end with a word or sign that the next line must finish? */
static bool dangling(const struct seg *s, const char *t, size_t n)
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
	return seg_in(s, CRULES_L_LINE_DANGLING, t + i, n - i);
}

/* ------------------------------------------------------------------ */
/* Bullets                                                             */
/* ------------------------------------------------------------------ */

/* "ii" to "xii" (a single letter is read by the caller). */
static bool is_roman(const crules *r, const char *p, size_t n)
{
	return n > 1 && crules_layout_find(r, CRULES_L_ROMAN, p, n) >= 0;
}

/*
 * The numbering at p ("1.", "1)", "12.", "1\.", "1.1", "(1)", "a.", "(a)",
 * "ii)", "(iv)") followed by a blank or the end. Returns its kind and sets
 * *after past it, or MK_NONE.
 */
int ctm_seg_numbering(const crules *r, const char *p, const char *end,
		      const char **after)
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
		else if (k > 1 && is_roman(r, b, k))
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
static uint16_t ordinal(const crules *r, const char *p, const char *end,
			int kind)
{
	unsigned v = 0;
	size_t k = 0;
	long at;

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
	at = crules_layout_find(r, CRULES_L_ROMAN, p, k);
	return at >= 0 ? (uint16_t)(at + 1) : 0;
}

/*
 * The bullet or numbering opening a line at p (its first non-blank byte).
 * Returns its kind and sets *after to the text after it and its blanks;
 * MK_NONE (and *after = p) when there is none.
 */
static int marker(const crules *r, const char *p, const char *end,
		  const char **after)
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
		kind = ctm_seg_numbering(r, p, end, &q);
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
		const char *rr;

		k2 = ctm_seg_numbering(r, q, end, &rr);
		if (k2 == MK_NUM) {
			q = rr;
			while (q < end && is_hspace(*q))
				q++;
		}
	}
	*after = q;
	return kind;
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

		l->kind = marker(s->r, in + q, in + l->end, &after);
		l->text = (size_t)(after - in);
	}
	return p;
}

/* Hard-wrapped, indented text: every line but the first at 4+ columns. */
bool ctm_seg_detect_wrapped(const struct seg *s)
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
	return ctm_seg_header_at(s, t, n, &hlen, &section, &qualified) !=
	       U_TEXT;
}

int ctm_seg_lines(struct seg *s)
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
		    (dangling(s, s->in + cb, ce - cb) ||
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
			bool dang = dangling(s, s->in + cb, ce - cb);

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
				rc = ctm_seg_block(s, cb, ce, cindent, ckind);
				if (rc)
					return rc;
			}
			open = true;
			cb = l.text;
			cindent = l.indent;
			ckind = l.kind;
			cnum = ordinal(s->r, s->in + l.first, s->in + l.end,
				       l.kind);
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
		return ctm_seg_block(s, cb, ce, cindent, ckind);
	}
	return 0;
}
