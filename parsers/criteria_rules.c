/*
 * criteria_rules.c - reads the criteria reader's rule files (see
 * criteria_rules.h) into tables, checking every line.
 */
#include "criteria_rules.h"
#include "reader_version.h" /* generated: CTM_READER_SOURCE_HASH */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ctm_embedded {
	const char *name, *data;
	size_t len;
};
extern const struct ctm_embedded ctm_rules_data[];

#define MAX_FIELDS 8

static char *dupn(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Splits line[0,len) at tabs into f/fl; returns the field count. */
static size_t split_tabs(const char *line, size_t len, const char **f,
			 size_t *fl)
{
	size_t n = 0, i, b = 0;

	for (i = 0; i <= len && n < MAX_FIELDS; i++) {
		if (i < len && line[i] != '\t')
			continue;
		f[n] = line + b;
		fl[n] = i - b;
		n++;
		b = i + 1;
	}
	return n;
}

static void rewrite_free(crules_rewrite *w)
{
	free(w->name);
	free(w->need);
	free(w->pat);
	free(w->repl);
}

/* One line of rewrites.tsv into *w; CTM_EPARSE names file and line. */
static int read_rewrite(const char *name, int lineno, const char *line,
			size_t ll, crules_rewrite *w, ctm_error *err)
{
	const char *f[MAX_FIELDS];
	size_t fl[MAX_FIELDS], nf = split_tabs(line, ll, f, fl);
	int no_need;

	memset(w, 0, sizeof(*w));
	if (nf != 5)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "a rewrite has 5 tab-separated fields "
				     "(name, need, digit, pattern, "
				     "\"replacement\"), not %zu",
				     nf);
	if (!fl[0] || !fl[1] || !fl[3])
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "a rewrite needs a name, a need (or -) "
				     "and a pattern");
	if (!(fl[2] == 1 && f[2][0] == '-') &&
	    !(fl[2] == 5 && !memcmp(f[2], "digit", 5)))
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "the digit field is \"digit\" or \"-\"");
	if (fl[4] < 2 || f[4][0] != '"' || f[4][fl[4] - 1] != '"')
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "the replacement is written in double "
				     "quotes");
	no_need = fl[1] == 1 && f[1][0] == '-';
	w->need_digit = f[2][0] == 'd';
	w->line = lineno;
	w->name = dupn(f[0], fl[0]);
	w->need = dupn(f[1], no_need ? 0 : fl[1]);
	w->pat = dupn(f[3], fl[3]);
	w->repl = dupn(f[4] + 1, fl[4] - 2);
	if (!w->name || !w->need || !w->pat || !w->repl) {
		rewrite_free(w);
		return ctm_error_set(err, CTM_ENOMEM, name, lineno, 0,
				     "out of memory");
	}
	return 0;
}

static const char *const list_names[CRULES_N_LISTS] = {
	[CRULES_WIDENING] = "widening",
	[CRULES_SUBGROUP] = "subgroup",
	[CRULES_SUBGROUP_LINK] = "subgroup-link",
	[CRULES_STARTER] = "starter",
	[CRULES_LABEL_OTHER] = "label-other",
	[CRULES_ASSESS_WINDOW] = "assessment-window",
	[CRULES_LOCAL_PLACE] = "local-place",
	[CRULES_CONDITION_ACTIVE] = "condition-active",
	[CRULES_CONDITION_WHICH] = "condition-which",
	[CRULES_PERMIT_CONDITION] = "permit-condition",
	[CRULES_NOT_RECORDED] = "stage-not-recorded",
	[CRULES_FILLER] = "filler",
	[CRULES_FILLER_THERAPY] = "filler-therapy",
	[CRULES_FILLER_BIOMARKER] = "filler-biomarker",
	[CRULES_FILLER_LAB] = "filler-lab",
	[CRULES_FILLER_SCORE] = "filler-score",
	[CRULES_FILLER_SITE] = "filler-site",
	[CRULES_FILLER_DISEASE] = "filler-disease",
	[CRULES_FILLER_MEASURABLE] = "filler-measurable",
	[CRULES_BETWEEN] = "between",
	[CRULES_NEGATION] = "negation",
	[CRULES_EXCLUSION] = "exclusion",
	[CRULES_CONNECTIVE] = "connective",
	[CRULES_MODAL] = "modal",
	[CRULES_PERMISSION] = "permission",
	[CRULES_RESTRICTIVE] = "restrictive",
	[CRULES_DENY] = "deny",
	[CRULES_TIME] = "time",
	[CRULES_SHARED] = "shared",
	[CRULES_DENY_PREFIX] = "deny-prefix",
	[CRULES_SAFE_BEFORE] = "unread-safe-before",
	[CRULES_BM_NARROWING] = "biomarker-narrowing",
	[CRULES_CONDITION_OBJECT] = "condition-object",
	[CRULES_CONDITION_OPEN] = "condition-open",
	[CRULES_THERAPY_NEED] = "therapy-need",
	[CRULES_LEADIN_GOVERNS] = "leadin-governs",
	[CRULES_LINE_WORD] = "line-word",
	[CRULES_COMPARATIVE] = "comparative",
	[CRULES_ASSAY] = "assay",
	[CRULES_ASSAY_NOUN] = "assay-noun",
	[CRULES_ASSAY_OPEN] = "assay-open",
	[CRULES_RELATIVE] = "relative",
	[CRULES_AUXILIARY] = "auxiliary",
	[CRULES_ON_THERAPY] = "on-therapy",
	[CRULES_THERAPY_NOUN] = "therapy-noun",
	[CRULES_THERAPY_CUE] = "therapy-cue",
	[CRULES_BRAIN_ACTIVE] = "brain-active",
	[CRULES_BRAIN_NEUTRAL] = "brain-neutral",
	[CRULES_STAGE_NEUTRAL] = "stage-neutral",
	[CRULES_THERAPY_ITEM] = "therapy-item",
	[CRULES_PROGRESSION] = "progression",
	[CRULES_REFRACTORY] = "refractory",
	[CRULES_INTOLERANCE] = "intolerance",
	[CRULES_CURRENT] = "current",
};

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t word_hash(const char *s, size_t n)
{
	uint64_t h = ctm_fnv1a(s, n, CTM_FNV_SEED);

	return (size_t)(h ^ (h >> 29));
}

/* (Re)builds wl's hash slots (at least twice as many as words). */
static int words_index(crules_words *wl)
{
	size_t cap = 16, i, h, len;
	struct crules_slot *slot;

	while (cap < 2 * wl->n)
		cap *= 2;
	slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return CTM_ENOMEM;
	for (i = 0; i < wl->n; i++) {
		len = strlen(wl->w[i]);
		h = word_hash(wl->w[i], len) & (cap - 1);
		while (slot[h].i)
			h = (h + 1) & (cap - 1);
		slot[h].i = (uint32_t)i + 1;
		slot[h].len = (uint32_t)len;
	}
	free(wl->slot);
	wl->slot = slot;
	wl->mask = cap - 1;
	return 0;
}

/* One line of words.tsv: list <TAB> space-separated words. */
static int read_words(crules *r, const char *name, int lineno,
		      const char *line, size_t ll, ctm_error *err)
{
	const char *f[MAX_FIELDS];
	size_t fl[MAX_FIELDS], nf = split_tabs(line, ll, f, fl), k, i, b;
	crules_words *wl = NULL;

	if (nf != 2)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "a word list line has 2 tab-separated "
				     "fields (list, words), not %zu",
				     nf);
	for (k = 0; k < CRULES_N_LISTS; k++)
		if (strlen(list_names[k]) == fl[0] &&
		    !memcmp(list_names[k], f[0], fl[0]))
			wl = &r->lists[k];
	if (!wl)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "no word list is named '%.*s'",
				     (int)(fl[0] > 40 ? 40 : fl[0]), f[0]);
	for (i = 0, b = 0; i <= fl[1]; i++) {
		char **nw;
		if (i < fl[1] && f[1][i] != ' ')
			continue;
		if (i > b) {
			size_t j;
			for (j = b; j < i; j++)
				if (f[1][j] >= 'A' && f[1][j] <= 'Z')
					return ctm_error_set(
						err, CTM_EPARSE, name, lineno,
						(int)(f[1] - line + (long)j) + 1,
						"words are written in lower "
						"case");
			nw = realloc(wl->w, (wl->n + 1) * sizeof(*nw));
			if (!nw || !(nw[wl->n] = dupn(f[1] + b, i - b))) {
				if (nw)
					wl->w = nw;
				return ctm_error_set(err, CTM_ENOMEM, name,
						     lineno, 0,
						     "out of memory");
			}
			wl->w = nw;
			wl->n++;
		}
		b = i + 1;
	}
	qsort(wl->w, wl->n, sizeof(*wl->w), cmp_word);
	if (words_index(wl))
		return ctm_error_set(err, CTM_ENOMEM, name, lineno, 0,
				     "out of memory");
	return 0;
}

int crules_is_word(const crules *r, crules_list list, const char *s,
		   size_t n)
{
	const crules_words *wl = &r->lists[list];
	size_t h;

	if (!wl->slot)
		return 0;
	for (h = word_hash(s, n) & wl->mask; wl->slot[h].i;
	     h = (h + 1) & wl->mask)
		if (wl->slot[h].len == n &&
		    !memcmp(wl->w[wl->slot[h].i - 1], s, n))
			return 1;
	return 0;
}

int crules_has_prefix(const crules *r, crules_list list, const char *s,
		      size_t n)
{
	const crules_words *wl = &r->lists[list];
	size_t i;

	for (i = 0; i < wl->n; i++) {
		size_t l = strlen(wl->w[i]);
		if (n >= l && !memcmp(s, wl->w[i], l))
			return 1;
	}
	return 0;
}

static void words_free(crules_words *wl)
{
	size_t i;

	for (i = 0; i < wl->n; i++)
		free(wl->w[i]);
	free(wl->w);
	free(wl->slot);
	wl->w = NULL;
	wl->slot = NULL;
	wl->mask = 0;
	wl->n = 0;
}

/* The lists of layout.tsv: name, compared as written, entries carry a
 * value. */
static const struct {
	const char *name;
	int as_written, valued;
} layout_lists[CRULES_N_LAYOUT] = {
	[CRULES_L_LINE_DANGLING] = {"line-dangling", 0, 0},
	[CRULES_L_ROMAN] = {"roman", 0, 0},
	[CRULES_L_HEADER_HINT] = {"header-hint", 0, 0},
	[CRULES_L_PDQ_LABEL] = {"pdq-label", 0, 0},
	[CRULES_L_PDQ_START] = {"pdq-start", 1, 0},
	[CRULES_L_PDQ_STRONG] = {"pdq-strong", 1, 0},
	[CRULES_L_PDQ_END] = {"pdq-end", 1, 0},
	[CRULES_L_PDQ_GLUE] = {"pdq-glue", 0, 0},
	[CRULES_L_PDQ_MODIFIER] = {"pdq-modifier", 0, 0},
	[CRULES_L_VACUOUS] = {"vacuous", 0, 0},
	[CRULES_L_LEADIN_GENERIC] = {"leadin-generic", 0, 0},
	[CRULES_L_HEADING_EXCEPTION] = {"heading-exception", 0, 0},
	[CRULES_L_HEADING_EXCLUSION] = {"heading-exclusion", 0, 0},
	[CRULES_L_HEADING_INCLUSION] = {"heading-inclusion", 0, 0},
	[CRULES_L_HEADING_MUST] = {"heading-must", 0, 0},
	[CRULES_L_POLARITY_LABEL] = {"polarity-label", 0, 0},
	[CRULES_L_COHORT_KIND] = {"cohort-kind", 0, 1},
	[CRULES_L_COHORT_PART] = {"cohort-part", 0, 0},
	[CRULES_L_COHORT_FILLER] = {"cohort-filler", 0, 0},
	[CRULES_L_COHORT_NOT_BEFORE] = {"cohort-not-before", 0, 0},
	[CRULES_L_COHORT_NOT_ID] = {"cohort-not-id", 1, 0},
	[CRULES_L_COHORT_SUBJECT] = {"cohort-subject", 0, 0},
	[CRULES_L_LENGTH_LABEL] = {"length-label", 0, 0},
	[CRULES_L_LENGTH_LEAD] = {"length-lead", 0, 0},
};

/* Adds entry s[0,n) (and its value, or NULL) to list e. */
static int entry_add(crules_entries *e, const char *s, size_t n,
		     const char *value, size_t vn)
{
	char **ns = realloc(e->s, (e->n + 1) * sizeof(*ns));
	size_t *nl;
	char **nv;

	if (!ns)
		return CTM_ENOMEM;
	e->s = ns;
	nl = realloc(e->len, (e->n + 1) * sizeof(*nl));
	if (!nl)
		return CTM_ENOMEM;
	e->len = nl;
	nv = realloc(e->value, (e->n + 1) * sizeof(*nv));
	if (!nv)
		return CTM_ENOMEM;
	e->value = nv;
	e->s[e->n] = dupn(s, n);
	e->value[e->n] = value ? dupn(value, vn) : NULL;
	if (!e->s[e->n] || (value && !e->value[e->n])) {
		free(e->s[e->n]);
		free(e->value[e->n]);
		return CTM_ENOMEM;
	}
	e->len[e->n] = n;
	if (n > e->max_len)
		e->max_len = n;
	e->n++;
	return 0;
}

/* One line of layout.tsv: list <TAB> [value <TAB>] entries. */
static int read_layout(crules *r, const char *name, int lineno,
		       const char *line, size_t ll, ctm_error *err)
{
	const char *f[MAX_FIELDS], *w;
	size_t fl[MAX_FIELDS], nf = split_tabs(line, ll, f, fl), k, i, wl;
	size_t li = CRULES_N_LAYOUT;
	crules_entries *e;
	int valued, rc;

	for (k = 0; k < CRULES_N_LAYOUT; k++)
		if (strlen(layout_lists[k].name) == fl[0] &&
		    !memcmp(layout_lists[k].name, f[0], fl[0]))
			li = k;
	if (li == CRULES_N_LAYOUT)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "no layout list is named '%.*s'",
				     (int)(fl[0] > 40 ? 40 : fl[0]), f[0]);
	e = &r->layout[li];
	valued = layout_lists[li].valued;
	if (nf != (size_t)(valued ? 3 : 2))
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "a line of list '%s' has %d "
				     "tab-separated fields (list, %sentries), "
				     "not %zu",
				     layout_lists[li].name, valued ? 3 : 2,
				     valued ? "value, " : "", nf);
	if (valued && !fl[1])
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "the value is empty");
	w = f[nf - 1];
	wl = fl[nf - 1];
	for (i = 0; i < wl;) {
		size_t b, end, col = (size_t)(w - line) + i + 1;
		if (w[i] == ' ') {
			i++;
			continue;
		}
		if (w[i] == '"') {
			const char *q = memchr(w + i + 1, '"', wl - i - 1);
			if (!q)
				return ctm_error_set(err, CTM_EPARSE, name,
						     lineno, (int)col,
						     "a quote is not closed");
			b = i + 1;
			end = (size_t)(q - w);
			i = end + 1;
			if (end == b || (i < wl && w[i] != ' '))
				return ctm_error_set(
					err, CTM_EPARSE, name, lineno, (int)col,
					"a quoted entry is not empty and "
					"ends at a space or the line's end");
		} else {
			b = i;
			while (i < wl && w[i] != ' ')
				i++;
			end = i;
		}
		if (!layout_lists[li].as_written) {
			size_t j;
			for (j = b; j < end; j++)
				if (w[j] >= 'A' && w[j] <= 'Z')
					return ctm_error_set(
						err, CTM_EPARSE, name, lineno,
						(int)((size_t)(w - line) + j) + 1,
						"entries of list '%s' are "
						"written in lower case",
						layout_lists[li].name);
		}
		rc = entry_add(e, w + b, end - b, valued ? f[1] : NULL,
			       valued ? fl[1] : 0);
		if (rc)
			return ctm_error_set(err, rc, name, lineno, 0,
					     "out of memory");
	}
	return 0;
}

long crules_layout_find(const crules *r, crules_layout list, const char *s,
			size_t n)
{
	const crules_entries *e = &r->layout[list];
	size_t i, j;

	if (n > e->max_len)
		return -1;
	for (i = 0; i < e->n; i++) {
		const char *w = e->s[i];
		if (e->len[i] != n)
			continue;
		if (layout_lists[list].as_written) {
			if (!memcmp(w, s, n))
				return (long)i;
			continue;
		}
		for (j = 0; j < n; j++) {
			int c = (unsigned char)s[j];
			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != w[j])
				break;
		}
		if (j == n)
			return (long)i;
	}
	return -1;
}

int crules_layout_starts(const crules *r, crules_layout list, const char *s)
{
	const crules_entries *e = &r->layout[list];
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!strncasecmp(s, e->s[i], e->len[i]))
			return 1;
	return 0;
}

static void entries_free(crules_entries *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->s[i]);
		free(e->value[i]);
	}
	free(e->s);
	free(e->len);
	free(e->value);
	memset(e, 0, sizeof(*e));
}

int crules_add_text(crules *r, const char *name, const char *text,
		    size_t len, ctm_error *err)
{
	const char *p = text, *end = text + len;
	size_t first = r->n_rw;
	int lineno = 0, rc = 0, words = !strcmp(name, "words.tsv");
	int layout = !strcmp(name, "layout.tsv");

	if (!words && !layout && strcmp(name, "rewrites.tsv"))
		return ctm_error_set(err, CTM_EPARSE, name, 0, 0,
				     "not a rule file this version reads");
	if (memchr(text, '\0', len))
		return ctm_error_set(err, CTM_EPARSE, name, 0, 0,
				     "a rule file holds a NUL byte");
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		crules_rewrite w, *nw;

		lineno++;
		if (ll && p[ll - 1] == '\r')
			ll--;
		if (ll && p[0] != '#' && words) {
			rc = read_words(r, name, lineno, p, ll, err);
		} else if (ll && p[0] != '#' && layout) {
			rc = read_layout(r, name, lineno, p, ll, err);
		} else if (ll && p[0] != '#') {
			rc = read_rewrite(name, lineno, p, ll, &w, err);
			if (rc == 0) {
				nw = realloc(r->rw, (r->n_rw + 1) * sizeof(*nw));
				if (!nw) {
					rewrite_free(&w);
					rc = ctm_error_set(err, CTM_ENOMEM, name,
							   lineno, 0,
							   "out of memory");
				} else {
					r->rw = nw;
					r->rw[r->n_rw++] = w;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (rc) {
		/* all of this file or none of it */
		while (r->n_rw > first)
			rewrite_free(&r->rw[--r->n_rw]);
		return rc;
	}
	r->hash = ctm_fnv1a(text, len, r->hash ? r->hash : CTM_FNV_SEED);
	return 0;
}

/* The hash a rule set starts from: the reader's sources. */
static uint64_t crules_seed(void)
{
	return CTM_READER_SOURCE_HASH ? CTM_READER_SOURCE_HASH : 1;
}

uint64_t crules_builtin_hash(void)
{
	uint64_t h = crules_seed();
	size_t k;

	for (k = 0; ctm_rules_data[k].name; k++)
		h = ctm_fnv1a(ctm_rules_data[k].data, ctm_rules_data[k].len, h);
	return h;
}

int crules_load(crules *r, ctm_error *err)
{
	size_t k;
	int rc;

	memset(r, 0, sizeof(*r));
	/* the reader's own sources first (a hash made at build time), so
	 * that a change to the code that reads, not only to its rules,
	 * changes the version stored with every parse */
	r->hash = crules_seed();
	for (k = 0; ctm_rules_data[k].name; k++) {
		rc = crules_add_text(r, ctm_rules_data[k].name,
				     ctm_rules_data[k].data,
				     ctm_rules_data[k].len, err);
		if (rc) {
			crules_free(r);
			return rc;
		}
	}
	return 0;
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static crules builtin;
static ctm_error builtin_err;
static int builtin_rc;

static void builtin_load(void)
{
	builtin_rc = crules_load(&builtin, &builtin_err);
}

int crules_builtin(const crules **out, ctm_error *err)
{
	pthread_once(&builtin_once, builtin_load);
	*out = builtin_rc ? NULL : &builtin;
	if (builtin_rc && err)
		*err = builtin_err;
	return builtin_rc;
}

void crules_free(crules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_rw; i++)
		rewrite_free(&r->rw[i]);
	free(r->rw);
	for (i = 0; i < CRULES_N_LISTS; i++)
		words_free(&r->lists[i]);
	for (i = 0; i < CRULES_N_LAYOUT; i++)
		entries_free(&r->layout[i]);
	memset(r, 0, sizeof(*r));
}
