/*
 * criteria_normalize.c - stages 1 and 2 of the criteria reader: the text
 * normalised (UTF-8 symbols to ASCII, whitespace folded), run-on criteria
 * split, and the rewrites of engine/lexicon/rules/rewrites.tsv applied.
 *
 * The rewrites are data: engine/lexicon/rules/rewrites.tsv, read by
 * criteria_rules.c. Each names literals one of which every match contains
 * (and whether a match holds a digit): a sentence without them skips the
 * rewrite (most sentences need only a few of them, and a failed PCRE2 scan
 * costs as much as a successful one).
 */
#include "criteria_internal.h"

#include <assert.h>
#include <stdlib.h>

/* ------------------------------------------------------------------ */
/* Stage 1: normalize                                                  */
/* ------------------------------------------------------------------ */

size_t ctm_cx_put_s(char *out, size_t n, size_t cap, const char *s)
{
	while (*s && n + 1 < cap)
		out[n++] = *s++;
	return n;
}

/* UTF-8 sequences mapped to ASCII. */
static const struct {
	const char *utf8, *ascii;
} umap[] = {
	{"\xE2\x89\xA5", " >= "}, {"\xE2\x89\xA4", " <= "},
	{"\xE2\x89\xA7", " >= "}, {"\xE2\x89\xA6", " <= "},
	{"\xEF\xBC\x9E", " > "},  {"\xEF\xBC\x9C", " < "},
	{"\xE2\xA9\xBE", " >= "}, {"\xE2\xA9\xBD", " <= "},
	{"\xC3\x97", " x "},	  {"\xC2\xB5", "u"},
	{"\xCE\xBC", "u"},	  {"\xE2\x80\x93", "-"},
	{"\xE2\x80\x94", "-"},	  {"\xE2\x88\x92", "-"},
	{"\xE2\x80\x90", "-"},	  {"\xE2\x80\x91", "-"},
	{"\xE2\x80\x98", "'"},	  {"\xE2\x80\x99", "'"},
	{"\xE2\x80\x9C", "\""},	  {"\xE2\x80\x9D", "\""},
	{"\xC2\xA0", " "},	  {"\xE2\x80\x89", " "},
	{"\xE2\x80\xAF", " "},	  {"\xE2\x80\x8B", ""},
	{"\xE2\x80\xA2", " "},	  {"\xE2\x97\x8F", " "},
	{"\xC2\xB7", " "},	  {"\xEF\x82\xB7", " "},
	{"\xC2\xB3", "^3"},	  {"\xC2\xB2", "^2"},
	{"\xC2\xB9", "^1"},	  {"\xE2\x81\xB9", "^9"},
	{"\xE2\x81\xB0", "^0"},	  {"\xE2\x81\xB6", "^6"},
	{"\xC3\xAF", "i"},	  {"\xC3\xA9", "e"},
	{"\xC3\xB6", "o"},	  {"\xC3\xBC", "u"},
	{"\xE2\x80\xA6", "..."},  {"\xC2\xB0", " degrees "},
	{"\xE2\x89\xA0", " != "}, {"\xC2\xB1", " +/- "},
};

size_t ctm_cx_normalize(const char *in, size_t len, char *out, size_t cap)
{
	size_t i = 0, n = 0, k;

	while (i < len && n + 8 < cap) {
		unsigned char c = (unsigned char)in[i];
		if (c >= 0x80) {
			int done = 0;
			for (k = 0; k < sizeof(umap) / sizeof(umap[0]); k++) {
				size_t ul = strlen(umap[k].utf8);
				if (i + ul <= len &&
				    !memcmp(in + i, umap[k].utf8, ul)) {
					n = ctm_cx_put_s(out, n, cap,
							 umap[k].ascii);
					i += ul;
					done = 1;
					break;
				}
			}
			if (!done)
				out[n++] = in[i++];
			continue;
		}
		if (c == '\\' && i + 1 < len &&
		    strchr("<>[]()*_~-+=#.!|`{}", in[i + 1])) {
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && n && out[n - 1] == ' ') {
			i++;
			continue;
		}
		out[n++] = (char)c;
		i++;
	}
	out[n] = '\0';
	return n;
}

/*
 * Registry text of the NCI PDQ era lost its line breaks: "... to total
 * resection Originated as colorectal adenocarcinoma ...". Where a
 * lower-case word is followed by a capitalised word that
 * opens criteria ("No", "Must", "Originated"; rules/words.tsv "starter"),
 * a sentence ends: a ". " is put there, in place, in buf (capacity cap).
 */
/* True if a sentence ends at buf[i] == ' ' (see split_runons). */
int ctm_cx_runon_at(const struct ctm_criteria_ctx *x, const char *buf,
		    size_t len, size_t i)
{
	size_t e, b;
	char w[24];

	if (i == 0 || i + 2 >= len || buf[i] != ' ' ||
	    !((buf[i - 1] >= 'a' && buf[i - 1] <= 'z') ||
	      (buf[i - 1] >= '0' && buf[i - 1] <= '9') || buf[i - 1] == '%' ||
	      buf[i - 1] == ')') ||
	    !(buf[i + 1] >= 'A' && buf[i + 1] <= 'Z') ||
	    !(buf[i + 2] >= 'a' && buf[i + 2] <= 'z'))
		return 0;
	for (e = i + 1; e < len && buf[e] != ' ' && e - i - 1 < 23; e++)
		w[e - i - 1] = (char)(buf[e] | 0x20);
	if (e < len && buf[e] != ' ')
		return 0;
	if (!crules_is_word(&x->p->rules, CRULES_STARTER, w, e - i - 1))
		return 0;
	/* not inside a title-case name ("Solid Tumors") */
	for (b = i; b && buf[b - 1] != ' '; b--)
		;
	return (buf[b] >= 'a' && buf[b] <= 'z') || (buf[b] >= '0' && buf[b] <= '9');
}

size_t ctm_cx_split_runons(const struct ctm_criteria_ctx *x, char *buf,
			   size_t len, size_t cap)
{
	size_t i;

	for (i = 1; i + 2 < len; i++) {
		if (!ctm_cx_runon_at(x, buf, len, i))
			continue;
		if (len + 1 >= cap)
			break;
		memmove(buf + i + 1, buf + i, len - i + 1);
		buf[i] = '.';
		len++;
		i++;
	}
	return len;
}

/* ------------------------------------------------------------------ */
/* Stage 2: rewrites                                                   */
/* ------------------------------------------------------------------ */

void ctm_cx_lower_copy(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = src[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		dst[i] = c;
	}
	dst[n] = '\0';
}

static unsigned rw_bucket2(unsigned char a, unsigned char b)
{
	return ((unsigned)a * 131u + b) & (RW_PAIR_BUCKETS - 1);
}

static unsigned rw_bucket(const char *s, size_t len)
{
	return len > 1 ? rw_bucket2((unsigned char)s[0], (unsigned char)s[1])
		       : RW_PAIR_BUCKETS + (unsigned char)s[0];
}

int ctm_cx_rw_index_build(rw_index *ix, const litset *ls, size_t n)
{
	size_t i, j, k, total = 0, nu = 0, b;
	struct rw_lit *u = NULL;

	memset(ix, 0, sizeof(*ix));
	ix->words = (n + 63) / 64 + 1;
	for (i = 0; i < n; i++)
		total += ls[i].n;
	u = malloc((total ? total : 1) * sizeof(*u));
	ix->lits = malloc((total ? total : 1) * sizeof(*ix->lits));
	ix->masks = calloc((total ? total : 1) * ix->words,
			   sizeof(*ix->masks));
	ix->at = calloc(RW_BUCKETS + 1, sizeof(*ix->at));
	ix->always = calloc(ix->words, sizeof(*ix->always));
	if (!u || !ix->lits || !ix->masks || !ix->at || !ix->always) {
		free(u);
		ctm_cx_rw_index_free(ix);
		return CTM_ENOMEM;
	}
	/* each literal once, with the rewrites that name it */
	for (i = 0; i < n; i++) {
		if (!ls[i].n)
			ix->always[i / 64] |= 1ull << (i % 64);
		for (j = 0; j < ls[i].n; j++) {
			for (k = 0; k < nu; k++)
				if (u[k].len == ls[i].l[j].len &&
				    !memcmp(u[k].s, ls[i].l[j].s, u[k].len))
					break;
			if (k == nu) {
				static const unsigned char ones[4] = {
					0xff, 0xff, 0xff, 0xff};
				size_t hl = ls[i].l[j].len < 4 ? ls[i].l[j].len
							       : 4;
				u[nu].s = ls[i].l[j].s;
				u[nu].len = (uint32_t)ls[i].l[j].len;
				u[nu].mask = (uint32_t)nu;
				u[nu].head = u[nu].headmask = 0;
				memcpy(&u[nu].head, u[nu].s, hl);
				memcpy(&u[nu].headmask, ones, hl);
				if (u[nu].len == 1) {
					unsigned char c = (unsigned char)u[nu].s[0];
					ix->one[c / 64] |= 1ull << (c % 64);
				}
				nu++;
			}
			ix->masks[u[k].mask * ix->words + i / 64] |=
				1ull << (i % 64);
		}
	}
	/* a counting sort by bucket */
	for (k = 0; k < nu; k++)
		ix->at[rw_bucket(u[k].s, u[k].len) + 1]++;
	for (b = 0; b < RW_BUCKETS; b++)
		ix->at[b + 1] += ix->at[b];
	for (k = 0; k < nu; k++)
		ix->lits[ix->at[rw_bucket(u[k].s, u[k].len)]++] = u[k];
	for (b = RW_BUCKETS; b > 0; b--)
		ix->at[b] = ix->at[b - 1];
	ix->at[0] = 0;
	free(u);
	return 0;
}

void ctm_cx_rw_index_free(rw_index *ix)
{
	free(ix->lits);
	free(ix->at);
	free(ix->masks);
	free(ix->always);
	memset(ix, 0, sizeof(*ix));
}

static void rw_mark(const rw_index *ix, uint32_t mask, uint64_t *want)
{
	const uint64_t *m = ix->masks + (size_t)mask * ix->words;
	size_t w;

	for (w = 0; w < ix->words; w++)
		want[w] |= m[w];
}

/*
 * The rewrites whose litset passes s[0,n) (bits in want, ix->words words:
 * those with no literal, and those one of whose literals s contains), as
 * ctm_cx_has_any() would say for each; the last word's top bit says
 * whether s holds a digit.
 */
static void rw_wanted(const rw_index *ix, const char *s, size_t n,
		      uint64_t *want)
{
	size_t i, k, digit = 0;

	memcpy(want, ix->always, ix->words * sizeof(*want));
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned b = RW_PAIR_BUCKETS + c;
		uint32_t w4 = 0;

		if (c >= '0' && c <= '9')
			digit = 1;
		if (ix->one[c / 64] & (1ull << (c % 64)))
			for (k = ix->at[b]; k < ix->at[b + 1]; k++)
				rw_mark(ix, ix->lits[k].mask, want);
		if (i + 1 >= n)
			break;
		b = rw_bucket2(c, (unsigned char)s[i + 1]);
		if (ix->at[b] == ix->at[b + 1])
			continue;
		if (n - i >= 4)
			memcpy(&w4, s + i, 4);
		else
			memcpy(&w4, s + i, n - i);
		for (k = ix->at[b]; k < ix->at[b + 1]; k++) {
			const struct rw_lit *l = &ix->lits[k];
			if (l->len > n - i || (w4 & l->headmask) != l->head ||
			    (l->len > 4 &&
			     memcmp(s + i + 4, l->s + 4, l->len - 4)))
				continue;
			rw_mark(ix, l->mask, want);
		}
	}
	if (digit)
		want[ix->words - 1] |= 1ull << 63;
}

/*
 * Applies every rewrite to x->a (length *len); the result is in x->a. A
 * rewrite whose literals are absent from the sentence is not run.
 */
int ctm_cx_apply_rewrites(struct ctm_criteria_ctx *x, size_t *len)
{
	const rw_index *ix = &x->p->rwx;
	uint64_t want[64];
	size_t i;

	/* (the last word holds no rewrite's bit, only the digit bit) */
	assert(ix->words <= sizeof(want) / sizeof(want[0]));
	ctm_cx_lower_copy(x->lc, x->a, *len);
	rw_wanted(ix, x->lc, *len, want);
	for (i = 0; i < x->p->rules.n_rw; i++) {
		PCRE2_SIZE outlen = sizeof(x->b) - 1;
		int rc;

		if (!(want[i / 64] & (1ull << (i % 64))) ||
		    (x->p->rules.rw[i].need_digit &&
		     !(want[ix->words - 1] >> 63)))
			continue;
		rc = pcre2_substitute(ctm_cx_rw(x->p, i), (PCRE2_SPTR)x->a, *len,
				      0, PCRE2_SUBSTITUTE_GLOBAL, x->md,
				      x->mc, (PCRE2_SPTR)x->p->rules.rw[i].repl,
				      PCRE2_ZERO_TERMINATED,
				      (PCRE2_UCHAR *)x->b, &outlen);
		if (rc < 0)
			return ctm_cx_reject(
				x, "rewrite failed (length or limit)");
		if (rc == 0)
			continue;
		memcpy(x->a, x->b, outlen);
		x->a[outlen] = '\0';
		*len = outlen;
		ctm_cx_lower_copy(x->lc, x->a, *len);
		rw_wanted(ix, x->lc, *len, want);
	}
	return 0;
}
