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

/* True if the text the set describes holds a digit. */
static int has_digit(const textset *ts)
{
	return (ts->bytes[0] & 0x03ff000000000000ull) != 0;
}

/*
 * Applies every rewrite to x->a (length *len); the result is in x->a. A
 * rewrite whose literals are absent from the sentence is not run.
 */
int ctm_cx_apply_rewrites(struct ctm_criteria_ctx *x, size_t *len)
{
	size_t i;
	textset ts;

	ctm_cx_lower_copy(x->lc, x->a, *len);
	ctm_cx_textset_build(&ts, x->lc, *len);
	for (i = 0; i < x->p->rules.n_rw; i++) {
		PCRE2_SIZE outlen = sizeof(x->b) - 1;
		int rc;

		if ((x->p->rules.rw[i].need_digit && !has_digit(&ts)) ||
		    !ctm_cx_has_any(&x->p->rw_need[i], &ts, x->lc, *len))
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
		ctm_cx_textset_build(&ts, x->lc, *len);
	}
	return 0;
}
