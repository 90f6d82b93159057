/*
 * criteria_tag.c - stage 3 of the criteria reader: the skeleton (lexicon
 * terms as placeholders), the literal filters, matching and token helpers
 * and the expression nodes the frames build.
 */
#include "criteria_internal.h"

/* True if s[0,n) contains w[0,wl) (memmem is not C11). */
static int contains(const char *s, size_t n, const char *w, size_t wl)
{
	const char *p = s, *end = s + n;

	while (wl && (size_t)(end - p) >= wl &&
	       (p = memchr(p, w[0], (size_t)(end - p) - wl + 1)) != NULL) {
		if (!memcmp(p, w, wl))
			return 1;
		p++;
	}
	return 0;
}

static unsigned pair_hash(unsigned char a, unsigned char b)
{
	return ((unsigned)a * 131u + b) & 4095u;
}

void ctm_cx_textset_build(textset *ts, const char *s, size_t n)
{
	size_t i;

	memset(ts, 0, sizeof(*ts));
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		ts->bytes[c >> 6] |= 1ull << (c & 63);
		if (i + 1 < n) {
			unsigned h = pair_hash(c, (unsigned char)s[i + 1]);
			ts->pairs[h >> 6] |= 1ull << (h & 63);
		}
	}
}

static int may_hold(const textset *ts, const char *w, size_t wl)
{
	size_t i;

	for (i = 0; i < wl; i++) {
		unsigned char c = (unsigned char)w[i];
		if (!(ts->bytes[c >> 6] & (1ull << (c & 63))))
			return 0;
		if (i + 1 < wl) {
			unsigned h = pair_hash(c, (unsigned char)w[i + 1]);
			if (!(ts->pairs[h >> 6] & (1ull << (h & 63))))
				return 0;
		}
	}
	return 1;
}

void ctm_cx_litset_init(litset *ls, const char *need)
{
	ls->n = 0;
	while (need && *need && ls->n < MAX_LITS) {
		const char *bar = strchr(need, '|');
		size_t l = bar ? (size_t)(bar - need) : strlen(need);
		if (l) {
			unsigned char a = (unsigned char)need[0];
			unsigned h = l > 1 ? pair_hash(a, (unsigned char)need[1])
					   : a;
			ls->l[ls->n].s = need;
			ls->l[ls->n].len = l;
			ls->l[ls->n].pairs = l > 1;
			ls->l[ls->n].word = (uint8_t)(h >> 6);
			ls->l[ls->n].bit = 1ull << (h & 63);
			ls->n++;
		}
		if (!bar)
			break;
		need = bar + 1;
	}
}

/*
 * True if s[0,n) (described by ts, which may describe a superset of it)
 * may hold one of the literals; an empty set always passes.
 */
int ctm_cx_has_any(const litset *ls, const textset *ts, const char *s,
		   size_t n)
{
	size_t i;

	if (!ls->n)
		return 1;
	for (i = 0; i < ls->n; i++) {
		const uint64_t *set = ls->l[i].pairs ? ts->pairs : ts->bytes;
		if (!(set[ls->l[i].word] & ls->l[i].bit) ||
		    !may_hold(ts, ls->l[i].s, ls->l[i].len))
			continue;
		if (ls->l[i].len == 1 || contains(s, n, ls->l[i].s,
						   ls->l[i].len))
			return 1;
	}
	return 0;
}

/* Records why a sentence stays review (first reason wins) and rejects. */
int ctm_cx_reject(struct ctm_criteria_ctx *x, const char *why)
{
	if (!x->reason[0])
		snprintf(x->reason, sizeof(x->reason), "%s", why);
	return R_REJECT;
}

/* ------------------------------------------------------------------ */
/* Stage 3: skeleton                                                   */
/* ------------------------------------------------------------------ */

int ctm_cx_is_digit_c(int c)
{
	return c >= '0' && c <= '9';
}

static char lower_c(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static char ph_letter(const struct ctm_criteria_ctx *x, ctm_concept c)
{
	switch (ctm_lexicon_type(x->lx, c)) {
	case CTM_CT_DISEASE: return 'D';
	case CTM_CT_GENE: return 'G';
	case CTM_CT_MARKER: return 'M';
	case CTM_CT_VARIANT: return 'V';
	case CTM_CT_DRUG: return 'R';
	case CTM_CT_CLASS: return 'C';
	case CTM_CT_REGIMEN: return 'X';
	case CTM_CT_PROCEDURE: return 'P';
	case CTM_CT_SITE: return c == x->p->brain ? 'B' : 'S';
	case CTM_CT_LAB: return 'L';
	case CTM_CT_CONDITION: return 'H';
	default: return 0;
	}
}

/*
 * Gene symbols that are also English words ("MET", "RET") only count when
 * written with a capital letter or a digit.
 */
static int weak_hit(const struct ctm_criteria_ctx *x, const char *t,
		    const ctm_term_hit *h)
{
	size_t i;
	ctm_concept_type ty = ctm_lexicon_type(x->lx, h->concept);

	if (ty != CTM_CT_GENE || h->end - h->start > 4)
		return 0;
	/* "MET" is the gene, "Met" and "met" the verb */
	for (i = h->start; i < h->end; i++)
		if (ctm_cx_is_digit_c(t[i]))
			return 0;
	for (i = h->start; i < h->end; i++)
		if (t[i] >= 'a' && t[i] <= 'z')
			return 1;
	return 0;
}

/* Appends c to the skeleton with token spacing rules. */
static void sk_put(struct ctm_criteria_ctx *x, char c, char prev, char next)
{
	char *s = x->sk;
	size_t *n = &x->sklen;

	if (*n + 4 >= sizeof(x->sk))
		return;
	if (c == '-') {
		if (ctm_cx_is_digit_c(prev) && ctm_cx_is_digit_c(next)) {
			s[(*n)++] = '-';
			return;
		}
		/* a free-standing dash ("Breast cancer - no more than 2
		 * prior therapies") is a token of its own */
		if (prev == ' ' && next == ' ') {
			s[(*n)++] = ' ';
			s[(*n)++] = '-';
			s[(*n)++] = ' ';
			return;
		}
		c = ' ';
	}
	if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' ||
	    c == '[' || c == ']') {
		if (c == '[')
			c = '(';
		if (c == ']')
			c = ')';
		s[(*n)++] = ' ';
		s[(*n)++] = c;
		s[(*n)++] = ' ';
		return;
	}
	if (c == '.') {
		if (ctm_cx_is_digit_c(prev) && ctm_cx_is_digit_c(next)) {
			s[(*n)++] = '.';
			return;
		}
		s[(*n)++] = ' ';
		s[(*n)++] = '.';
		s[(*n)++] = ' ';
		return;
	}
	if (c == '<' || c == '>' || c == '=' || c == '!') {
		/* operators become their own token */
		if (*n && strchr("<>=!", s[*n - 1])) {
			s[(*n)++] = c;
		} else {
			s[(*n)++] = ' ';
			s[(*n)++] = c;
		}
		if (!strchr("<>=", next))
			s[(*n)++] = ' ';
		return;
	}
	if (c == '%' || c == '+') {
		s[(*n)++] = ' ';
		s[(*n)++] = c;
		s[(*n)++] = ' ';
		return;
	}
	if (c == '&') {
		*n = (size_t)(ctm_cx_put_s(s, *n, sizeof(x->sk), " and "));
		return;
	}
	if (c == '"' || c == '\'' || c == '*' || c == '#' || c == '`' ||
	    c == '|' || c == '{' || c == '}' || c == '~' || c == '?' ||
	    c == '!')
		c = ' ';
	s[(*n)++] = lower_c(c);
}

/* Collapses runs of spaces and trims. */
void ctm_cx_sk_squeeze(struct ctm_criteria_ctx *x)
{
	size_t i, n = 0;
	char *s = x->sk;

	for (i = 0; i < x->sklen; i++) {
		if (s[i] == ' ' && (n == 0 || s[n - 1] == ' '))
			continue;
		s[n++] = s[i];
	}
	while (n && s[n - 1] == ' ')
		n--;
	s[n] = '\0';
	x->sklen = n;
}

static int is_alpha_c(int c)
{
	return c >= 'a' && c <= 'z';
}

/*
 * "advanced/metastatic" -> "advanced / metastatic": a slash between two
 * words of four letters or more is a connective ("mg/dl", "and/or",
 * "10^9/l" keep theirs).
 */
static void split_slashes(struct ctm_criteria_ctx *x)
{
	char tmp[BUF_CAP];
	size_t i, n = 0;
	const char *s = x->sk;

	for (i = 0; i < x->sklen && n + 4 < sizeof(tmp); i++) {
		if (s[i] == '/' && i > 0 && i + 1 < x->sklen) {
			size_t a = i, b = i + 1;
			while (a > 0 && is_alpha_c(s[a - 1]))
				a--;
			while (b < x->sklen && is_alpha_c(s[b]))
				b++;
			/* a word of four letters or more (or a space) on
			 * each side: "unresectable/metastatic", "X /word" */
			if ((i - a >= 4 || (a == i && s[i - 1] == ' ')) &&
			    (b - i - 1 >= 4 ||
			     (b == i + 1 && (b == x->sklen || s[b] == ' '))) &&
			    !(a == i && b == i + 1) &&
			    (a == 0 || s[a - 1] == ' ' || a == i) &&
			    (b == x->sklen || s[b] == ' ')) {
				tmp[n++] = ' ';
				tmp[n++] = '/';
				tmp[n++] = ' ';
				continue;
			}
		}
		tmp[n++] = s[i];
	}
	memcpy(x->sk, tmp, n);
	x->sk[n] = '\0';
	x->sklen = n;
}

/*
 * "G3 ( G4 )" where both name one concept ("central nervous system (CNS)",
 * "absolute neutrophil count (ANC)"): the parenthesis goes.
 */
static void dedupe_parens(struct ctm_criteria_ctx *x)
{
	tok t[MAX_TOKS];
	size_t nt = ctm_cx_tokenize(x->sk, x->sklen, t, MAX_TOKS), i;
	char *s = x->sk;

	for (i = 0; i + 3 < nt; i++) {
		int a = ctm_cx_ph_index(x, &t[i], "DGMVRCXPSBLH");
		int b = ctm_cx_ph_index(x, &t[i + 2], "DGMVRCXPSBLH");
		if (a < 0 || b < 0 || !ctm_cx_teq(&t[i + 1], "(") ||
		    !ctm_cx_teq(&t[i + 3], ")"))
			continue;
		if (x->hits[a].concept != x->hits[b].concept)
			continue;
		memset(s + (t[i + 1].p - s), ' ',
		       (size_t)(t[i + 3].p + t[i + 3].n - t[i + 1].p));
		i += 3;
	}
	ctm_cx_sk_squeeze(x);
}

/* ctm_criteria_explain(): the hits of t, kept as text with concepts. */
static void note_tags(struct ctm_criteria_ctx *x, const char *t)
{
	size_t i;

	x->ex_tagbase = x->ex_ntags;
	for (i = 0; i < x->nhits && x->ex_ntags < MAX_HITS; i++) {
		size_t l = x->hits[i].end - x->hits[i].start;
		if (x->ex_textlen + l + 1 > sizeof(x->ex_text))
			break;
		memcpy(x->ex_text + x->ex_textlen, t + x->hits[i].start, l);
		x->ex_text[x->ex_textlen + l] = '\0';
		x->ex_tags[x->ex_ntags].text = x->ex_text + x->ex_textlen;
		x->ex_tags[x->ex_ntags].concept = x->hits[i].concept;
		x->ex_ntags++;
		x->ex_textlen += l + 1;
	}
}

int ctm_cx_build_skeleton(struct ctm_criteria_ctx *x, const char *t, size_t len)
{
	ctm_term_hit all[MAX_HITS];
	size_t total, i, pos = 0, nh = 0;

	total = ctm_lexicon_scan(x->lx, t, len, 0, all, MAX_HITS);
	if (total > MAX_HITS)
		return ctm_cx_reject(x, "too many lexicon terms");
	for (i = 0; i < total; i++) {
		ctm_term_hit h = all[i];
		size_t k, open = 0;
		if (weak_hit(x, t, &h))
			continue;
		/* the site "other" is the profile's word for a site the
		 * lexicon does not know, not the English word */
		if (h.concept && h.concept == x->p->other_site)
			continue;
		/* a test or scan says how a fact is found ("measurable by CT
		 * or MRI"), not the fact: its words stay words */
		if (x->p->diagnostic &&
		    ctm_lexicon_is_a(x->lx, h.concept, x->p->diagnostic))
			continue;
		/* "absolute neutrophil count (ANC)" ends before its ')' */
		for (k = h.start; k < h.end; k++)
			open += t[k] == '(' ? 1 : t[k] == ')' ? (size_t)-1 : 0;
		if (open == 1) {
			k = h.end;
			while (k < len && t[k] == ' ')
				k++;
			if (k < len && t[k] == ')')
				h.end = k + 1;
		}
		x->hits[nh++] = h;
	}
	x->nhits = nh;
	x->sklen = 0;
	for (i = 0; i <= nh; i++) {
		size_t end = i < nh ? x->hits[i].start : len, k;
		for (k = pos; k < end; k++)
			sk_put(x, t[k], k ? t[k - 1] : ' ',
			       k + 1 < len ? t[k + 1] : ' ');
		if (i < nh) {
			char ph[32];
			char l = ph_letter(x, x->hits[i].concept);
			int open = 0, close = 0;
			if (!l)
				return ctm_cx_reject(x, "unknown concept type");
			/* a term matched across a parenthesis ("HAI) therapy")
			 * keeps the parenthesis outside its placeholder */
			for (k = x->hits[i].start; k < x->hits[i].end; k++) {
				if (t[k] == '(')
					open++;
				else if (t[k] == ')' && open)
					open--;
				else if (t[k] == ')')
					close++;
			}
			while (open-- > 0)
				x->sklen = ctm_cx_put_s(x->sk, x->sklen,
							sizeof(x->sk), " ( ");
			snprintf(ph, sizeof(ph), " %c%zu ", l, i);
			x->sklen = ctm_cx_put_s(x->sk, x->sklen, sizeof(x->sk),
						ph);
			while (close-- > 0)
				x->sklen = ctm_cx_put_s(x->sk, x->sklen,
							sizeof(x->sk), " ) ");
			pos = x->hits[i].end;
		}
	}
	x->sk[x->sklen] = '\0';
	if (x->explain)
		note_tags(x, t);
	ctm_cx_sk_squeeze(x);
	split_slashes(x);
	dedupe_parens(x);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Matching helpers                                                    */
/* ------------------------------------------------------------------ */

/* 1 match, 0 none, R_REJECT on a matching error (limit). */
int ctm_cx_find(struct ctm_criteria_ctx *x, int rx, size_t start, size_t *ms,
		size_t *me)
{
	int rc;
	PCRE2_SIZE *ov;

	if (start > x->sklen)
		return 0;
	rc = pcre2_match(ctm_cx_re(x->p, rx), (PCRE2_SPTR)x->sk, x->sklen, start, 0,
			 x->md, x->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return ctm_cx_reject(x, "pattern match limit");
	ov = pcre2_get_ovector_pointer(x->md);
	*ms = ov[0];
	*me = ov[1];
	x->cur_rx = rx;
	return 1;
}

/* Named group of the current match: 1 and [*s,*e) if set, else 0. */
int ctm_cx_grp(struct ctm_criteria_ctx *x, const char *name, size_t *s,
	       size_t *e)
{
	int n = pcre2_substring_number_from_name(ctm_cx_re(x->p, x->cur_rx),
						 (PCRE2_SPTR)name);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);

	if (n < 0 || (uint32_t)n >= pcre2_get_ovector_count(x->md))
		return 0;
	if (ov[2 * n] == PCRE2_UNSET)
		return 0;
	*s = ov[2 * n];
	*e = ov[2 * n + 1];
	return 1;
}

/* Start of a named group of the current match (0 when unset). */
size_t ctm_cx_grp_start(struct ctm_criteria_ctx *x, const char *name)
{
	size_t s, e;

	return ctm_cx_grp(x, name, &s, &e) ? s : 0;
}

int ctm_cx_grp_num(struct ctm_criteria_ctx *x, const char *name, double *v)
{
	size_t s, e;
	char buf[32];

	if (!ctm_cx_grp(x, name, &s, &e) || e - s >= sizeof(buf) || e == s)
		return 0;
	memcpy(buf, x->sk + s, e - s);
	buf[e - s] = '\0';
	*v = strtod(buf, NULL);
	return 1;
}

int ctm_cx_grp_is(struct ctm_criteria_ctx *x, const char *name,
		  const char *text)
{
	size_t s, e;

	return ctm_cx_grp(x, name, &s, &e) && e - s == strlen(text) &&
	       !memcmp(x->sk + s, text, e - s);
}

size_t ctm_cx_tokenize(const char *s, size_t n, tok *t, size_t max)
{
	size_t i = 0, k = 0;

	while (i < n && k < max) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		t[k].p = s + i;
		while (i < n && s[i] != ' ')
			i++;
		t[k].n = (size_t)(s + i - t[k].p);
		k++;
	}
	return k;
}

int ctm_cx_teq(const tok *t, const char *w)
{
	/* most comparisons fail on the first byte: skip the strlen */
	if (!t->n || t->p[0] != w[0])
		return 0;
	return !strncmp(t->p, w, t->n) && w[t->n] == '\0';
}

int ctm_cx_tin(const tok *t, const char *const *set)
{
	for (; *set; set++)
		if (ctm_cx_teq(t, *set))
			return 1;
	return 0;
}

/* True if t is a word of the rules' list (rules/words.tsv). */
int ctm_cx_word(const struct ctm_criteria_ctx *x, crules_list list,
		const tok *t)
{
	return crules_is_word(&x->p->rules, list, t->p, t->n);
}

/* A placeholder token "<L><index>": returns the hit index or -1. */
int ctm_cx_ph_index(const struct ctm_criteria_ctx *x, const tok *t,
		    const char *letters)
{
	size_t i;
	int v = 0;

	/* (the cheap tests first: most tokens are words) */
	if (t->n < 2 || t->p[0] < 'A' || t->p[0] > 'Z' ||
	    !ctm_cx_is_digit_c(t->p[1]) || !strchr(letters, t->p[0]))
		return -1;
	for (i = 1; i < t->n; i++) {
		if (!ctm_cx_is_digit_c(t->p[i]))
			return -1;
		v = v * 10 + (t->p[i] - '0');
		if (v > 100000)
			return -1;
	}
	if (t->p[0] == 'Q')
		return v < (int)x->nq ? v : -1;
	return v < (int)x->nhits ? v : -1;
}

ctm_concept ctm_cx_ph_concept(const struct ctm_criteria_ctx *x, const tok *t,
			      const char *letters)
{
	int i = ctm_cx_ph_index(x, t, letters);

	return i < 0 ? 0 : x->hits[i].concept;
}

double ctm_cx_tok_num(const tok *t)
{
	char buf[32];

	if (t->n >= sizeof(buf))
		return NAN;
	memcpy(buf, t->p, t->n);
	buf[t->n] = '\0';
	return strtod(buf, NULL);
}

/* ------------------------------------------------------------------ */
/* Expression nodes                                                    */
/* ------------------------------------------------------------------ */

ctm_constraint ctm_cx_mk(ctm_kind k)
{
	ctm_constraint c;

	memset(&c, 0, sizeof(c));
	c.kind = (uint16_t)k;
	c.lo = -INFINITY;
	c.hi = INFINITY;
	c.alt_hi = INFINITY;
	return c;
}

/* An unread part of a sentence: a leaf of its own kind, always unknown. */
ctm_constraint ctm_cx_unread_leaf(const struct ctm_criteria_ctx *x)
{
	(void)x;
	return ctm_cx_mk(CTM_K_UNREAD);
}

int ctm_cx_leaf(struct ctm_criteria_ctx *x, const ctm_constraint *c)
{
	xnode *n;

	if (x->nn >= MAX_NODES)
		return ctm_cx_reject(x, "too many nodes");
	n = &x->nodes[x->nn];
	memset(n, 0, sizeof(*n));
	n->op = X_LEAF;
	n->c = *c;
	return (int)x->nn++;
}

int ctm_cx_nary(struct ctm_criteria_ctx *x, int op, const int *k, size_t n)
{
	size_t i;
	xnode *nd;

	for (i = 0; i < n; i++)
		if (k[i] < 0)
			return k[i];
	if (n == 0)
		return ctm_cx_reject(x, "empty list");
	if (n == 1 && op != X_NOT)
		return k[0];
	if (x->nn >= MAX_NODES || x->nk + n > MAX_KIDS)
		return ctm_cx_reject(x, "too many nodes");
	nd = &x->nodes[x->nn];
	memset(nd, 0, sizeof(*nd));
	nd->op = (uint8_t)op;
	nd->n = (uint16_t)n;
	nd->first = (uint16_t)x->nk;
	for (i = 0; i < n; i++)
		x->kids[x->nk++] = (uint16_t)k[i];
	return (int)x->nn++;
}

int ctm_cx_not_(struct ctm_criteria_ctx *x, int k)
{
	return ctm_cx_nary(x, X_NOT, &k, 1);
}

/*
 * The members of a family concept (genes whose parent is RAS, labs whose
 * parent is transaminases): concepts of the same type that are-a it.
 */
size_t ctm_cx_members(const struct ctm_criteria_ctx *x, ctm_concept fam,
		      ctm_concept *out, size_t max)
{
	size_t i, n = 0;
	ctm_concept_type ty = ctm_lexicon_type(x->lx, fam);

	/* the concepts of fam's type only, in ascending order */
	for (i = x->p->type_at[ty]; i < x->p->type_at[ty + 1] && n < max; i++)
		if (x->p->by_type[i] != fam &&
		    ctm_lexicon_is_a(x->lx, x->p->by_type[i], fam))
			out[n++] = x->p->by_type[i];
	return n;
}

/* The gene of a variant ("KRAS G12C" -> KRAS), by its first word. */
ctm_concept ctm_cx_variant_gene(const struct ctm_criteria_ctx *x, ctm_concept v)
{
	const char *name = ctm_lexicon_name(x->lx, v);
	const char *sp = strchr(name, ' ');
	char buf[64];
	size_t n = sp ? (size_t)(sp - name) : strlen(name);

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return ctm_lexicon_concept(x->lx, CTM_CT_GENE, buf);
}

/* "<gene name> <suffix>" as a variant concept, or 0. */
ctm_concept ctm_cx_variant_of(const struct ctm_criteria_ctx *x,
			      ctm_concept gene, const char *suffix, size_t slen)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "%s %.*s",
			 ctm_lexicon_name(x->lx, gene), (int)slen, suffix);
	ctm_concept c;

	if (n <= 0 || (size_t)n >= sizeof(buf))
		return 0;
	c = ctm_lexicon_find(x->lx, buf, (size_t)n);
	return ctm_lexicon_type(x->lx, c) == CTM_CT_VARIANT ? c : 0;
}

/* Structural equality of nodes a and b of a tree (the unlowered nodes and
 * kids, or the lowered out and okids). */
int ctm_cx_same_xnode(const xnode *nodes, const uint16_t *kids, int a, int b,
		      unsigned depth)
{
	const xnode *na = &nodes[a], *nb = &nodes[b];
	size_t i;

	if (na->op != nb->op || na->n != nb->n || depth > 32)
		return 0;
	if (na->op == X_LEAF)
		return !memcmp(&na->c, &nb->c, sizeof(na->c));
	for (i = 0; i < na->n; i++)
		if (!ctm_cx_same_xnode(nodes, kids, kids[na->first + i],
				       kids[nb->first + i], depth + 1))
			return 0;
	return 1;
}
