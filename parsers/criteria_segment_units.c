/*
 * criteria_segment_units.c - the segmenter's second layer: blocks ->
 * units. Section headers and PDQ headings (two PCRE2 patterns, compiled
 * and JIT-compiled once and shared read-only), the NCI PDQ paragraphs cut
 * at their sub-headings and run-on criteria, numbered items run together
 * (criteria_segment.c says how).
 */
#include "criteria_segment.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int ctm_seg_patterns(ctm_error *err)
{
	pthread_once(&re_once, seg_compile);
	if (re_rc)
		return ctm_error_set(err, re_rc, NULL, 0, 0,
				     "criteria segmentation: %s", re_msg);
	return 0;
}

pcre2_match_data *ctm_seg_match_data(void)
{
	return pcre2_match_data_create_from_pattern(re_section, NULL);
}

bool ctm_seg_is_note(const char *t, size_t n)
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

/* ------------------------------------------------------------------ */
/* Headers                                                             */
/* ------------------------------------------------------------------ */

static bool header_hint(const struct seg *s, const char *t, size_t n)
{
	const crules_entries *h = &s->r->layout[CRULES_L_HEADER_HINT];
	uint64_t first[4] = {0, 0, 0, 0};
	size_t i, k;

	/* one pass over the line (most lines are no header: this runs on
	 * every one), trying each hint where its first letter stands; a
	 * byte no hint starts with is passed by one look */
	for (k = 0; k < h->n; k++) {
		unsigned char c = (unsigned char)h->s[k][0];
		first[c / 64] |= 1ull << (c % 64);
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)to_lower((unsigned char)t[i]);

		if (!(first[c / 64] >> (c % 64) & 1))
			continue;
		for (k = 0; k < h->n; k++)
			if (to_lower((unsigned char)t[i]) == h->s[k][0] &&
			    has_prefix_ci(t + i, n - i, h->s[k]))
				return true;
	}
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

	if (n == 0 || n > SEG_HEADER_MAX || !header_hint(s, t, n))
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
int ctm_seg_header_at(struct seg *s, const char *t, size_t n, size_t *hlen,
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

static bool pdq_glue_word(const struct seg *s, const char *w, size_t n)
{
	return seg_in(s, CRULES_L_PDQ_GLUE, w, n);
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
				split = seg_in(s, CRULES_L_PDQ_STRONG, t + i,
					       cw) &&
					!pdq_glue_word(s, p, pwl);
			} else if (last == '.') {
				/* a sentence stop, not "e.g." or "approx." */
				split = pwl >= 4 && !memchr(p, '.', pwl - 1);
			} else if (last == ':') {
				/* "... the following: Serious illness" */
				split = pwl >= 4;
			} else if (seg_in(s, CRULES_L_PDQ_END, p, pwl)) {
				split = true;
			} else if ((is_alpha((unsigned char)last) ||
				    is_digit((unsigned char)last) ||
				    strchr(")]%;", last)) &&
				   !name && !pdq_glue_word(s, p, pwl)) {
				if (cw == 2 && !memcmp(t + i, "At", 2)) {
					j = i + wl;
					while (j < n && t[j] == ' ')
						j++;
					split = has_prefix_ci(t + j, n - j,
							      "least ") ||
						has_prefix_ci(t + j, n - j,
							      "most ");
				} else {
					split = seg_in(s, CRULES_L_PDQ_START,
						       t + i, cw) &&
						(!seg_in(s,
							 CRULES_L_PDQ_MODIFIER,
							 p, pwl) ||
						 seg_in(s, CRULES_L_PDQ_STRONG,
							t + i, cw));
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
static size_t pdq_label_at(const struct seg *s, const char *t, size_t n)
{
	size_t l, lim = s->r->layout[CRULES_L_PDQ_LABEL].max_len + 1;
	const char *colon;

	if (!n || !is_upper((unsigned char)t[0]))
		return 0;
	/* a label is followed by its colon: no colon near, no label */
	colon = memchr(t, ':', n < lim ? n : lim);
	if (!colon)
		return 0;
	l = (size_t)(colon - t);
	return seg_in(s, CRULES_L_PDQ_LABEL, t, l) ? l : 0;
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
		l = pdq_label_at(s, t + i, n - i);
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
		(void)ctm_seg_numbering(s->r, t + cut, t + n, &after);
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
int ctm_seg_block(struct seg *s, size_t b, size_t e, uint32_t indent,
		  int kind)
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
		ty = ctm_seg_header_at(s, t, n, &hlen, &section,
				       &qualified);
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
	if (s->pdq && kind == MK_NONE && !ctm_seg_is_note(t, n)) {
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
