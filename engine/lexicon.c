/*
 * lexicon.c - concepts, their synonyms and their graph, loaded from data.
 *
 * The data is tab-separated text (the .tsv files of engine/lexicon/, embedded at build
 * time; more with --lexicon FILE), one concept a line:
 *
 *     type <TAB> canonical <TAB> synonyms|... <TAB> parents|...
 *
 * Terms are folded (ASCII lower case; every run of characters other than
 * ASCII letters and digits becomes one space; bytes >= 0x80 are kept as
 * word characters) and kept in an open-addressing hash table. Each concept
 * carries a bitset of its ancestors, so is_a() is one bit test at match
 * time.
 */
#include <ctm/engine.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ctm_embedded {
	const char *name, *data;
	size_t len;
};
extern const struct ctm_embedded ctm_lexicon_data[];

#define MAX_LINE 4096
#define MAX_TERM_WORDS 12
#define MAX_CONCEPTS (1u << 20)

typedef struct concept {
	ctm_concept_type type;
	char *name;
	char *folded;	    /* name folded once, for resolve_name() */
	char *parents_text; /* '|'-separated, resolved after a load */
	ctm_concept *parents;
	size_t n_parents;
	uint64_t *ancestors; /* bitset over all concepts, itself included */
	char *source;	     /* "file:line" for error messages */
} concept;

typedef struct lex_term {
	char *text;   /* as written in the data */
	char *folded; /* hash key */
	ctm_concept id;
} lex_term;

typedef struct slot {
	const char *key; /* folded; NULL = empty */
	size_t klen;	 /* strlen(key), so a probe need not measure it */
	ctm_concept id;	 /* for the term table */
	unsigned maxw;	 /* for the first-word table */
} slot;

/*
 * A "code" line: system <TAB> code <TAB> concept. Codes are kept apart from
 * the terms, so a code never matches running text ("READ" is not a term).
 */
typedef struct code_row {
	char *system, *code;
	char *target; /* concept reference, resolved after a load */
	char *source; /* the file */
	int line;
	ctm_concept id;
} code_row;

/*
 * A "unit" line: lab <TAB> UCUM unit <TAB> factor to the lab's profile
 * unit (the profile's unit and range are the lab's "measure" line).
 */
typedef struct unit_row {
	char *lab, *unit, *source; /* source: the file */
	int line;
	ctm_concept id;
	double factor;
} unit_row;

/*
 * A "measure" line (labs.tsv), one a lab: lab <TAB> the profile's key or
 * - <TAB> LOINC codes (a|b) or - <TAB> the profile's unit <TAB> the values
 * plausible in it, low..high or - <TAB> how a criterion's threshold is
 * read (see ctm_lab_info), or -. Its LOINC codes become code rows.
 */
typedef struct lab_row {
	char *lab, *key, *unit, *family, *source; /* key, family: NULL for - */
	int line;
	/* info.lab is resolved after a load; its strings are the row's */
	ctm_lab_info info;
} lab_row;

struct ctm_lexicon {
	concept *concepts; /* [0] unused */
	size_t n_concepts, cap_concepts;
	lex_term *terms;
	size_t n_terms, cap_terms;
	slot *table; /* folded term -> concept */
	size_t table_cap;
	slot *first; /* folded first word -> most words of a term */
	size_t first_cap;
	char **firstkeys; /* owned keys of `first` */
	size_t n_firstkeys;
	size_t words; /* ancestor bitset length in 64-bit words */
	uint64_t hash;
	code_row *codes; /* codes.tsv: coded input to concepts */
	size_t n_codes, cap_codes;
	unit_row *units; /* units.tsv: lab units */
	size_t n_units, cap_units;
	lab_row *labs; /* labs.tsv "measure" lines */
	size_t n_labs, cap_labs;
	/* folded concept name -> concept, open addressing (0 = empty), for
	 * resolve_name(); covers concepts [1, names_n), emptied when
	 * concepts are truncated */
	ctm_concept *names;
	size_t names_cap, names_n;
	/* every string, parent list and ancestor set: allocated by the
	 * thousand at start-up, freed at once (one malloc and one free each
	 * made a tenth of a lookup's start-up) */
	ctm_arena *mem;
};

static const char *type_names[CTM_CT_COUNT_] = {
	[CTM_CT_NONE] = "",	       [CTM_CT_DISEASE] = "disease",
	[CTM_CT_GENE] = "gene",	       [CTM_CT_MARKER] = "marker",
	[CTM_CT_VARIANT] = "variant",  [CTM_CT_DRUG] = "drug",
	[CTM_CT_CLASS] = "class",      [CTM_CT_REGIMEN] = "regimen",
	[CTM_CT_PROCEDURE] = "procedure", [CTM_CT_SITE] = "site",
	[CTM_CT_LAB] = "lab", [CTM_CT_CONDITION] = "condition",
};

static int is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/*
 * True if the word at s[i] is the "s" of a possessive ("Parkinson's
 * disease", "Crohn's"): the tagger reads "Parkinson's disease" as
 * "Parkinson disease" and a term written either way matches both.
 */
static int possessive_s(const char *s, size_t len, size_t i)
{
	return (s[i] == 's' || s[i] == 'S') && i >= 2 && s[i - 1] == '\'' &&
	       is_word_byte((unsigned char)s[i - 2]) &&
	       (i + 1 == len || !is_word_byte((unsigned char)s[i + 1]));
}

/*
 * Folds s[0..len) into out (size >= len + 1). Returns the folded length and
 * the number of words in *nwords.
 */
static size_t fold(const char *s, size_t len, char *out, unsigned *nwords)
{
	size_t i, n = 0;
	unsigned w = 0;
	int in_word = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_word_byte(c)) {
			if (!in_word && possessive_s(s, len, i))
				continue;
			if (!in_word) {
				if (n)
					out[n++] = ' ';
				w++;
				in_word = 1;
			}
			out[n++] = lower((char)c);
		} else {
			in_word = 0;
		}
	}
	out[n] = '\0';
	if (nwords)
		*nwords = w;
	return n;
}

uint64_t ctm_fnv1a(const void *s, size_t n, uint64_t h)
{
	const unsigned char *p = s;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static slot *table_find(slot *t, size_t cap, const char *key, size_t len)
{
	size_t i = ctm_fnv1a(key, len, CTM_FNV_SEED) & (cap - 1);

	for (;;) {
		if (!t[i].key ||
		    (t[i].klen == len && !memcmp(t[i].key, key, len)))
			return &t[i];
		i = (i + 1) & (cap - 1);
	}
}

static void lexicon_clear_tables(ctm_lexicon *lx)
{
	free(lx->table);
	free(lx->first);
	free(lx->firstkeys); /* the keys are in lx->mem */
	lx->table = lx->first = NULL;
	lx->firstkeys = NULL;
	lx->table_cap = lx->first_cap = lx->n_firstkeys = 0;
	free(lx->names);
	lx->names = NULL;
	lx->names_cap = lx->names_n = 0;
}

/* What a concept points to is in lx->mem. */
static void concept_release(concept *c)
{
	memset(c, 0, sizeof(*c));
}

/* Drops the code, unit and lab rows from index n_codes / n_units /
 * n_labs on (their strings are in lx->mem). */
static void truncate_rows(ctm_lexicon *lx, size_t n_codes, size_t n_units,
			  size_t n_labs)
{
	if (n_labs < lx->n_labs)
		lx->n_labs = n_labs;
	if (n_codes < lx->n_codes)
		lx->n_codes = n_codes;
	if (n_units < lx->n_units)
		lx->n_units = n_units;
}

void ctm_lexicon_free(ctm_lexicon *lx)
{
	if (!lx)
		return;
	free(lx->codes);
	free(lx->units);
	free(lx->labs);
	free(lx->concepts);
	free(lx->terms);
	lexicon_clear_tables(lx);
	ctm_arena_free(lx->mem);
	free(lx);
}

static int type_parse(const char *s, size_t len)
{
	int i;

	for (i = 1; i < CTM_CT_COUNT_; i++)
		if (strlen(type_names[i]) == len &&
		    !memcmp(type_names[i], s, len))
			return i;
	return -1;
}

/* s[0..n) as a string in lx->mem, or NULL. */
static char *dupn(ctm_lexicon *lx, const char *s, size_t n)
{
	char *p = ctm_arena_alloc_uninit(lx->mem, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* "file:line" in lx->mem, for error messages (snprintf for each of the
 * thousands of concepts cost more than the rest of their line). */
static char *source_of(ctm_lexicon *lx, const char *name, int line)
{
	size_t nl = strlen(name), k = 0;
	char digits[16], *p;
	unsigned v = line > 0 ? (unsigned)line : 0;

	do {
		digits[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && k < sizeof digits);
	p = ctm_arena_alloc_uninit(lx->mem, nl + 1 + k + 1);
	if (p) {
		memcpy(p, name, nl);
		p[nl] = ':';
		for (v = 0; v < k; v++)
			p[nl + 1 + v] = digits[k - 1 - v];
		p[nl + 1 + k] = '\0';
	}
	return p;
}

static int add_term(ctm_lexicon *lx, const char *text, size_t len,
		    ctm_concept id)
{
	lex_term *t;
	char folded[MAX_LINE]; /* a term is part of a line */
	unsigned nw;
	size_t i, flen;

	while (len && (text[0] == ' '))
		text++, len--;
	while (len && text[len - 1] == ' ')
		len--;
	if (!len || len >= MAX_LINE)
		return 0;
	flen = fold(text, len, folded, &nw);
	if (!flen || nw > MAX_TERM_WORDS)
		return nw > MAX_TERM_WORDS ? CTM_EINVALID : 0;
	/* the same concept may list a spelling twice (case variants) */
	for (i = lx->n_terms; i-- > 0 && lx->terms[i].id == id;)
		if (!strcmp(lx->terms[i].folded, folded))
			return 0;
	if (lx->n_terms == lx->cap_terms) {
		size_t cap = lx->cap_terms ? lx->cap_terms * 2 : 1024;
		lex_term *nt = realloc(lx->terms, cap * sizeof(*nt));
		if (!nt)
			return CTM_ENOMEM;
		lx->terms = nt;
		lx->cap_terms = cap;
	}
	t = &lx->terms[lx->n_terms];
	t->text = dupn(lx, text, len);
	t->folded = dupn(lx, folded, flen);
	if (!t->text || !t->folded)
		return CTM_ENOMEM;
	t->id = id;
	lx->n_terms++;
	return 0;
}

static bool grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *na;
	size_t nc;

	if (n < *cap)
		return true;
	nc = *cap ? *cap * 2 : 256;
	na = realloc(*arr, nc * size);
	if (!na)
		return false;
	*arr = na;
	*cap = nc;
	return true;
}

/* "12.5" as a finite double (no trailing text), else false. */
static bool parse_number(const char *s, size_t len, double *out)
{
	char buf[64], *end;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	return end == buf + len && errno == 0 && *out == *out && *out < 1e300 &&
	       *out > -1e300;
}

/* A range "low..high" with low <= high. */
static bool parse_range(const char *s, size_t len, double *lo, double *hi)
{
	size_t k;

	for (k = 0; k + 1 < len; k++)
		if (s[k] == '.' && s[k + 1] == '.')
			return parse_number(s, k, lo) &&
			       parse_number(s + k + 2, len - k - 2, hi) &&
			       *lo <= *hi;
	return false;
}

static const char *const lab_families[] = {
	"count", "hemoglobin", "g/dL", "ULN", "clearance", "percent", "ratio"};

/* A "measure" line (lab_row): 7 columns. */
static int parse_lab_row(ctm_lexicon *lx, const char *name, int lineno,
			 const char **col, const size_t *clen, int ncol,
			 ctm_error *err)
{
	lab_row *r;
	double lo = 0, hi = 0;
	bool ranged = !(clen[5] == 1 && col[5][0] == '-');
	size_t i, k;

	if (ncol != 7)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "expected: measure<TAB>lab<TAB>profile "
				     "key<TAB>LOINC codes<TAB>unit<TAB>"
				     "low..high<TAB>threshold family (- for "
				     "none)");
	for (i = 1; i < 7; i++)
		if (!clen[i])
			return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
					     "column %zu is empty (- for none)",
					     i + 1);
	if (ranged && !parse_range(col[5], clen[5], &lo, &hi))
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "expected a range low..high with low <= "
				     "high, got '%.*s'",
				     (int)(clen[5] > 40 ? 40 : clen[5]),
				     col[5]);
	for (k = 0; k < sizeof(lab_families) / sizeof(lab_families[0]); k++)
		if (strlen(lab_families[k]) == clen[6] &&
		    !memcmp(lab_families[k], col[6], clen[6]))
			break;
	if (k == sizeof(lab_families) / sizeof(lab_families[0]) &&
	    !(clen[6] == 1 && col[6][0] == '-'))
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "unknown threshold family '%.*s' "
				     "(count, hemoglobin, g/dL, ULN, "
				     "clearance, percent, ratio or -)",
				     (int)(clen[6] > 40 ? 40 : clen[6]),
				     col[6]);
	if (!grow((void **)&lx->labs, &lx->cap_labs, lx->n_labs, sizeof(*r)))
		goto nomem;
	r = &lx->labs[lx->n_labs];
	memset(r, 0, sizeof(*r));
	lx->n_labs++;
	r->lab = dupn(lx, col[1], clen[1]);
	r->key =
		clen[2] == 1 && col[2][0] == '-' ? NULL : dupn(lx, col[2], clen[2]);
	r->unit = dupn(lx, col[4], clen[4]);
	r->family =
		clen[6] == 1 && col[6][0] == '-' ? NULL : dupn(lx, col[6], clen[6]);
	r->source = dupn(lx, name, strlen(name));
	r->line = lineno;
	r->info.has_range = ranged;
	r->info.lo = lo;
	r->info.hi = hi;
	if (!r->lab || !r->unit || !r->source ||
	    (!r->key && !(clen[2] == 1 && col[2][0] == '-')) ||
	    (!r->family && !(clen[6] == 1 && col[6][0] == '-')))
		goto nomem;
	/* the LOINC codes: code rows naming the lab */
	if (!(clen[3] == 1 && col[3][0] == '-')) {
		const char *c = col[3], *end = col[3] + clen[3];
		while (c < end) {
			const char *bar = memchr(c, '|', (size_t)(end - c));
			size_t n = bar ? (size_t)(bar - c) : (size_t)(end - c);
			code_row *cr;
			if (!n)
				return ctm_error_set(err, CTM_EPARSE, name,
						     lineno, 0,
						     "an empty LOINC code");
			if (!grow((void **)&lx->codes, &lx->cap_codes,
				  lx->n_codes, sizeof(*cr)))
				goto nomem;
			cr = &lx->codes[lx->n_codes];
			memset(cr, 0, sizeof(*cr));
			lx->n_codes++;
			cr->system = dupn(lx, "loinc", 5);
			cr->code = dupn(lx, c, n);
			cr->target = ctm_arena_alloc_uninit(lx->mem, clen[1] + 5);
			if (cr->target)
				snprintf(cr->target, clen[1] + 5, "lab:%.*s",
					 (int)clen[1], col[1]);
			cr->source = dupn(lx, name, strlen(name));
			cr->line = lineno;
			if (!cr->system || !cr->code || !cr->target ||
			    !cr->source)
				goto nomem;
			c = bar ? bar + 1 : end;
		}
	}
	return 0;
nomem:
	return ctm_error_set(err, CTM_ENOMEM, name, lineno, 0, "out of memory");
}

/*
 * The lines that are not concepts: "code" and "unit" (see code_row,
 * unit_row). col[0] is the kind; exactly 4 columns each.
 */
static int parse_row(ctm_lexicon *lx, const char *name, int lineno,
		     const char **col, const size_t *clen, int ncol,
		     ctm_error *err)
{
	bool is_code = clen[0] == 4 && !memcmp(col[0], "code", 4);
	int i;

	if (ncol != 4)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     is_code ? "expected: code<TAB>system<TAB>"
					       "code<TAB>concept"
					     : "expected: unit<TAB>lab<TAB>"
					       "UCUM unit<TAB>factor");
	for (i = 1; i < 4; i++)
		if (!clen[i])
			return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
					     "column %d is empty", i + 1);
	if (is_code) {
		code_row *r;
		if (!grow((void **)&lx->codes, &lx->cap_codes, lx->n_codes,
			  sizeof(*r)))
			goto nomem;
		r = &lx->codes[lx->n_codes];
		memset(r, 0, sizeof(*r));
		lx->n_codes++;
		r->system = dupn(lx, col[1], clen[1]);
		r->code = dupn(lx, col[2], clen[2]);
		r->target = dupn(lx, col[3], clen[3]);
		r->source = dupn(lx, name, strlen(name));
		r->line = lineno;
		if (!r->system || !r->code || !r->target || !r->source)
			goto nomem;
	} else {
		unit_row *r;
		double a = 0;
		if (!parse_number(col[3], clen[3], &a) || a <= 0) {
			return ctm_error_set(
				err, CTM_EPARSE, name, lineno, 0,
				"expected a factor > 0, got '%.*s'",
				(int)(clen[3] > 40 ? 40 : clen[3]), col[3]);
		}
		if (!grow((void **)&lx->units, &lx->cap_units, lx->n_units,
			  sizeof(*r)))
			goto nomem;
		r = &lx->units[lx->n_units];
		memset(r, 0, sizeof(*r));
		lx->n_units++;
		r->factor = a;
		r->lab = dupn(lx, col[1], clen[1]);
		r->unit = dupn(lx, col[2], clen[2]);
		r->source = dupn(lx, name, strlen(name));
		r->line = lineno;
		if (!r->lab || !r->unit || !r->source)
			goto nomem;
	}
	return 0;
nomem:
	return ctm_error_set(err, CTM_ENOMEM, name, lineno, 0, "out of memory");
}

/* Parses one data line into a new concept; 0 for comments and blanks. */
static int parse_line(ctm_lexicon *lx, const char *name, int lineno,
		      const char *line, size_t len, ctm_error *err)
{
	const char *col[8];
	size_t clen[8];
	int ncol = 0, type, rc;
	size_t i, start = 0;
	concept *c;
	ctm_concept id;

	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len || line[i] == '#')
		return 0;
	for (i = 0; i <= len; i++) {
		if (i == len || line[i] == '\t') {
			/* 7 columns for a "measure" line, else 4 */
			bool measure = ncol >= 1 && clen[0] == 7 &&
				       !memcmp(col[0], "measure", 7);
			if (ncol == (measure ? 7 : 4))
				return ctm_error_set(
					err, CTM_EPARSE, name, lineno, 0,
					"more than %d tab-separated columns",
					ncol);
			col[ncol] = line + start;
			clen[ncol] = i - start;
			ncol++;
			start = i + 1;
		}
	}
	if (ncol < 2 || clen[1] == 0)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "expected: type<TAB>canonical name"
				     "[<TAB>synonyms[<TAB>parents]]");
	if (clen[0] == 7 && !memcmp(col[0], "measure", 7))
		return parse_lab_row(lx, name, lineno, col, clen, ncol, err);
	if ((clen[0] == 4 && !memcmp(col[0], "code", 4)) ||
	    (clen[0] == 4 && !memcmp(col[0], "unit", 4)))
		return parse_row(lx, name, lineno, col, clen, ncol, err);
	type = type_parse(col[0], clen[0]);
	if (type < 0)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 1,
				     "unknown concept type '%.*s' (disease, "
				     "gene, marker, variant, drug, class, "
				     "regimen, procedure, site, lab; or a "
				     "code, unit or measure line)",
				     (int)(clen[0] > 40 ? 40 : clen[0]),
				     col[0]);
	if (lx->n_concepts >= MAX_CONCEPTS)
		return ctm_error_set(err, CTM_ELIMIT, name, lineno, 0,
				     "too many concepts");
	if (lx->n_concepts == lx->cap_concepts) {
		size_t cap = lx->cap_concepts * 2;
		concept *nc = realloc(lx->concepts, cap * sizeof(*nc));
		if (!nc)
			return ctm_error_set(err, CTM_ENOMEM, name, lineno, 0,
					     "out of memory");
		lx->concepts = nc;
		lx->cap_concepts = cap;
	}
	id = (ctm_concept)lx->n_concepts;
	c = &lx->concepts[id];
	memset(c, 0, sizeof(*c));
	lx->n_concepts++;
	c->type = (ctm_concept_type)type;
	c->name = dupn(lx, col[1], clen[1]);
	if (clen[1] < MAX_LINE) {
		char fb[MAX_LINE];
		size_t fl = fold(col[1], clen[1], fb, NULL);
		c->folded = dupn(lx, fb, fl);
	}
	c->parents_text = dupn(lx, ncol >= 4 ? col[3] : "", ncol >= 4 ? clen[3] : 0);
	c->source = source_of(lx, name, lineno);
	if (!c->name || (clen[1] < MAX_LINE && !c->folded) ||
	    !c->parents_text || !c->source)
		return ctm_error_set(err, CTM_ENOMEM, name, lineno, 0,
				     "out of memory");
	rc = add_term(lx, col[1], clen[1], id);
	if (rc == 0 && ncol >= 3) {
		const char *s = col[2];
		size_t k, b = 0;
		for (k = 0; k <= clen[2] && rc == 0; k++) {
			if (k == clen[2] || s[k] == '|') {
				rc = add_term(lx, s + b, k - b, id);
				b = k + 1;
			}
		}
	}
	if (rc == CTM_EINVALID)
		return ctm_error_set(err, CTM_EPARSE, name, lineno, 0,
				     "a term of more than %d words",
				     MAX_TERM_WORDS);
	if (rc)
		return ctm_error_set(err, rc, name, lineno, 0, "out of memory");
	return 0;
}

static size_t pow2_at_least(size_t n)
{
	size_t c = 64;

	while (c < n)
		c <<= 1;
	return c;
}

/* Rebuilds both hash tables from the terms; reports conflicting synonyms. */
static int build_tables(ctm_lexicon *lx, ctm_error *err)
{
	size_t i;

	lexicon_clear_tables(lx);
	lx->table_cap = pow2_at_least(lx->n_terms * 2 + 1);
	lx->first_cap = lx->table_cap;
	lx->table = calloc(lx->table_cap, sizeof(slot));
	lx->first = calloc(lx->first_cap, sizeof(slot));
	lx->firstkeys = calloc(lx->n_terms + 1, sizeof(char *));
	if (!lx->table || !lx->first || !lx->firstkeys)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	for (i = 0; i < lx->n_terms; i++) {
		lex_term *t = &lx->terms[i];
		size_t flen = strlen(t->folded), wlen;
		slot *s = table_find(lx->table, lx->table_cap, t->folded, flen);
		unsigned nw = 1;
		const char *sp;

		if (s->key && s->id != t->id) {
			const concept *a = &lx->concepts[s->id];
			const concept *b = &lx->concepts[t->id];
			return ctm_error_set(
				err, CTM_EPARSE, NULL, 0, 0,
				"%s: term '%s' already names %s '%s' (%s)",
				b->source, t->text, type_names[a->type],
				a->name, a->source);
		}
		s->key = t->folded;
		s->klen = flen;
		s->id = t->id;
		for (sp = t->folded; *sp; sp++)
			nw += *sp == ' ';
		sp = strchr(t->folded, ' ');
		wlen = sp ? (size_t)(sp - t->folded) : flen;
		s = table_find(lx->first, lx->first_cap, t->folded, wlen);
		if (!s->key) {
			char *k = dupn(lx, t->folded, wlen);
			if (!k)
				return ctm_error_set(err, CTM_ENOMEM, NULL, 0,
						     0, "out of memory");
			lx->firstkeys[lx->n_firstkeys++] = k;
			s->key = k;
			s->klen = wlen;
		}
		if (nw > s->maxw)
			s->maxw = nw;
	}
	return 0;
}

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* Brings lx->names up to date with the concepts (see struct ctm_lexicon). */
static int names_update(ctm_lexicon *lx)
{
	size_t i;

	if (!lx->names_n && lx->names)
		memset(lx->names, 0, lx->names_cap * sizeof(*lx->names));
	if (lx->n_concepts * 2 > lx->names_cap) {
		size_t cap = 1024;
		while (cap < lx->n_concepts * 2)
			cap *= 2;
		ctm_concept *t = calloc(cap, sizeof(*t));
		if (!t)
			return CTM_ENOMEM;
		free(lx->names);
		lx->names = t;
		lx->names_cap = cap;
		lx->names_n = 1;
	}
	if (!lx->names_n)
		lx->names_n = 1;
	for (i = lx->names_n; i < lx->n_concepts; i++) {
		const char *f = lx->concepts[i].folded;
		size_t k;
		if (!f)
			continue;
		k = (size_t)name_hash(f) & (lx->names_cap - 1);
		while (lx->names[k])
			k = (k + 1) & (lx->names_cap - 1);
		lx->names[k] = (ctm_concept)i;
	}
	lx->names_n = lx->n_concepts;
	return 0;
}

/*
 * The concept named ref ("name" or "type:name", folded before comparing).
 * CTM_ENOTFOUND when none, CTM_EINVALID when several have that name.
 */
static int resolve_name(ctm_lexicon *lx, const char *ref, size_t len,
			ctm_concept *out)
{
	char a[MAX_LINE];
	const char *colon = memchr(ref, ':', len);
	int type = -1, rc;
	size_t k, found = 0;

	if (colon) {
		type = type_parse(ref, (size_t)(colon - ref));
		if (type >= 0) {
			len -= (size_t)(colon - ref) + 1;
			ref = colon + 1;
		}
	}
	if (len >= MAX_LINE)
		return CTM_ENOTFOUND;
	fold(ref, len, a, NULL);
	if ((rc = names_update(lx)))
		return rc;
	for (k = (size_t)name_hash(a) & (lx->names_cap - 1); lx->names[k];
	     k = (k + 1) & (lx->names_cap - 1)) {
		ctm_concept i = lx->names[k];
		const concept *c = &lx->concepts[i];
		if (type >= 0 && (int)c->type != type)
			continue;
		if (!strcmp(a, c->folded)) {
			if (found)
				return CTM_EINVALID; /* ambiguous */
			found = i;
		}
	}
	if (!found)
		return CTM_ENOTFOUND;
	*out = (ctm_concept)found;
	return 0;
}

static int resolve_parents(ctm_lexicon *lx, size_t from, ctm_error *err)
{
	size_t i;

	for (i = from; i < lx->n_concepts; i++) {
		concept *c = &lx->concepts[i];
		const char *s = c->parents_text;
		size_t len = strlen(s), k, b = 0, n = 0;

		c->parents = ctm_arena_alloc(lx->mem,
					     (len / 2 + 2) * sizeof(ctm_concept));
		if (!c->parents)
			return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
					     "out of memory");
		for (k = 0; k <= len; k++) {
			if (k == len || s[k] == '|') {
				const char *p = s + b;
				size_t pl = k - b;
				ctm_concept id;
				int rc;
				while (pl && *p == ' ')
					p++, pl--;
				while (pl && p[pl - 1] == ' ')
					pl--;
				b = k + 1;
				if (!pl)
					continue;
				rc = resolve_name(lx, p, pl, &id);
				if (rc == CTM_EINVALID)
					return ctm_error_set(
						err, CTM_EPARSE, NULL, 0, 0,
						"%s: parent '%.*s' names "
						"concepts of several types; "
						"write it as type:name",
						c->source, (int)pl, p);
				if (rc)
					return ctm_error_set(
						err, CTM_EPARSE, NULL, 0, 0,
						"%s: parent '%.*s' of '%s' is "
						"not a concept",
						c->source, (int)pl, p, c->name);
				if (id == i)
					return ctm_error_set(
						err, CTM_EPARSE, NULL, 0, 0,
						"%s: '%s' is its own parent",
						c->source, c->name);
				c->parents[n++] = id;
			}
		}
		c->n_parents = n;
	}
	return 0;
}

/* Ancestor closure by depth-first search; finds cycles. */
static int close_ancestors(ctm_lexicon *lx, ctm_error *err)
{
	size_t n = lx->n_concepts, i, words = (n + 63) / 64;
	unsigned char *state = calloc(n, 1); /* 0 new, 1 open, 2 done */
	ctm_concept *stack = NULL;
	size_t *next = NULL;
	uint64_t *all;
	int rc = 0;

	stack = malloc(n * sizeof(*stack));
	next = malloc(n * sizeof(*next));
	if (!state || !stack || !next) {
		rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				   "out of memory");
		goto done;
	}
	lx->words = words;
	/* one block for all (a load of --lexicon leaves the last in lx->mem) */
	all = n > 1 ? ctm_arena_alloc(lx->mem, (n - 1) * words * sizeof(*all)) : NULL;
	if (n > 1 && !all) {
		rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (i = 1; i < n; i++)
		lx->concepts[i].ancestors = all + (i - 1) * words;
	for (i = 1; i < n; i++) {
		size_t sp = 0;

		if (state[i])
			continue;
		stack[sp] = (ctm_concept)i;
		next[sp++] = 0;
		state[i] = 1;
		while (sp) {
			ctm_concept c = stack[sp - 1];
			concept *cc = &lx->concepts[c];
			if (next[sp - 1] < cc->n_parents) {
				ctm_concept p = cc->parents[next[sp - 1]++];
				if (state[p] == 1) {
					rc = ctm_error_set(
						err, CTM_EPARSE, NULL, 0, 0,
						"%s: '%s' is its own ancestor "
						"(a cycle through '%s')",
						cc->source, cc->name,
						lx->concepts[p].name);
					goto done;
				}
				if (state[p] == 0) {
					state[p] = 1;
					stack[sp] = p;
					next[sp++] = 0;
				}
			} else {
				size_t k, w;
				cc->ancestors[c / 64] |= 1ull << (c % 64);
				for (k = 0; k < cc->n_parents; k++) {
					const uint64_t *pa =
						lx->concepts[cc->parents[k]]
							.ancestors;
					for (w = 0; w < words; w++)
						cc->ancestors[w] |= pa[w];
				}
				state[c] = 2;
				sp--;
			}
		}
	}
done:
	free(state);
	free(stack);
	free(next);
	return rc;
}

/* Undoes a failed load: drops concepts and terms added since. */
static void truncate_to(ctm_lexicon *lx, size_t n_concepts, size_t n_terms)
{
	size_t i;

	for (i = n_concepts; i < lx->n_concepts; i++)
		concept_release(&lx->concepts[i]);
	lx->n_concepts = n_concepts;
	lx->names_n = lx->names_n > n_concepts ? 0 : lx->names_n;
	lx->n_terms = n_terms; /* their strings stay in lx->mem */
}

/*
 * Resolves the code and unit rows from index from_c / from_u: a code's
 * concept by canonical name ("type:name" allowed) or any term; a unit's
 * lab by a lab's name. An unknown reference or a code given two concepts
 * is CTM_EPARSE naming the row's file and line.
 */
static int resolve_rows(ctm_lexicon *lx, size_t from_c, size_t from_u,
			size_t from_l, ctm_error *err)
{
	size_t i, j;

	for (i = from_l; i < lx->n_labs; i++) {
		lab_row *r = &lx->labs[i];
		r->info.lab = ctm_lexicon_concept(lx, CTM_CT_LAB, r->lab);
		r->info.key = r->key;
		r->info.unit = r->unit;
		r->info.family = r->family;
		if (!r->info.lab)
			return ctm_error_set(err, CTM_EPARSE, r->source,
					     r->line, 0,
					     "measure %.60s: no lab named "
					     "'%.60s'",
					     r->lab, r->lab);
		for (j = 0; j < i; j++) {
			const lab_row *o = &lx->labs[j];
			if (o->info.lab == r->info.lab ||
			    (r->key && o->key && !strcmp(o->key, r->key)))
				return ctm_error_set(
					err, CTM_EPARSE, r->source, r->line, 0,
					"measure %.60s: %s already has a "
					"measure line (%s:%d)",
					r->lab,
					o->info.lab == r->info.lab
						? "the lab"
						: "its profile key",
					o->source, o->line);
		}
	}

	for (i = from_c; i < lx->n_codes; i++) {
		code_row *r = &lx->codes[i];
		size_t tl = strlen(r->target);
		if (resolve_name(lx, r->target, tl, &r->id) &&
		    !(r->id = ctm_lexicon_find(lx, r->target, tl)))
			return ctm_error_set(err, CTM_EPARSE, r->source,
					     r->line, 0,
					     "code %s %s: no concept named "
					     "'%.60s'",
					     r->system, r->code, r->target);
		for (j = 0; j < i; j++)
			if (!strcmp(lx->codes[j].system, r->system) &&
			    !strcmp(lx->codes[j].code, r->code) &&
			    lx->codes[j].id != r->id)
				return ctm_error_set(
					err, CTM_EPARSE, r->source, r->line, 0,
					"code %s %s: already names another "
					"concept (%s:%d)",
					r->system, r->code, lx->codes[j].source,
					lx->codes[j].line);
	}
	for (i = from_u; i < lx->n_units; i++) {
		unit_row *r = &lx->units[i];
		r->id = ctm_lexicon_concept(lx, CTM_CT_LAB, r->lab);
		if (!r->id)
			return ctm_error_set(err, CTM_EPARSE, r->source,
					     r->line, 0,
					     "unit %s: no lab named '%.60s'",
					     r->unit, r->lab);
	}
	return 0;
}

/* Loads several texts as one unit: all or nothing. */
static int load_texts(ctm_lexicon *lx, const struct ctm_embedded *texts,
		      ctm_error *err)
{
	size_t old_c = lx->n_concepts, old_t = lx->n_terms, k;
	size_t old_codes = lx->n_codes, old_units = lx->n_units;
	size_t old_labs = lx->n_labs;
	uint64_t old_hash = lx->hash;
	ctm_error local;
	int rc = 0;

	for (k = 0; texts[k].name && rc == 0; k++) {
		const char *p = texts[k].data, *end = p + texts[k].len;
		int lineno = 0;

		if (memchr(p, '\0', texts[k].len)) {
			rc = ctm_error_set(err, CTM_EPARSE, texts[k].name, 0,
					   0, "a lexicon file holds a NUL byte");
			break;
		}
		lx->hash = ctm_fnv1a(texts[k].data, texts[k].len, lx->hash);
		while (p < end && rc == 0) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
			lineno++;
			if (len >= MAX_LINE)
				rc = ctm_error_set(err, CTM_EPARSE,
						   texts[k].name, lineno, 0,
						   "line longer than %d bytes",
						   MAX_LINE);
			else
				rc = parse_line(lx, texts[k].name, lineno, p,
						len, err);
			p = nl ? nl + 1 : end;
		}
	}
	if (rc == 0)
		rc = resolve_parents(lx, old_c, err);
	if (rc == 0)
		rc = build_tables(lx, err);
	if (rc == 0)
		rc = close_ancestors(lx, err);
	if (rc == 0)
		rc = resolve_rows(lx, old_codes, old_units, old_labs, err);
	if (rc == 0)
		return 0;
	/* roll back; rebuilding what was there before cannot conflict */
	truncate_rows(lx, old_codes, old_units, old_labs);
	truncate_to(lx, old_c, old_t);
	lx->hash = old_hash;
	if (build_tables(lx, &local) == 0)
		close_ancestors(lx, &local);
	return rc;
}

int ctm_lexicon_new(ctm_lexicon **out, ctm_error *err)
{
	ctm_lexicon *lx = calloc(1, sizeof(*lx));
	int rc;

	*out = NULL;
	if (!lx)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	lx->cap_concepts = 256;
	lx->concepts = calloc(lx->cap_concepts, sizeof(concept));
	lx->mem = ctm_arena_new();
	if (!lx->concepts || !lx->mem) {
		free(lx->concepts);
		ctm_arena_free(lx->mem);
		free(lx);
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	}
	lx->n_concepts = 1;
	lx->hash = 14695981039346656037ull;
	rc = load_texts(lx, ctm_lexicon_data, err);
	if (rc) {
		ctm_lexicon_free(lx);
		return rc;
	}
	*out = lx;
	return 0;
}

int ctm_lexicon_load_text(ctm_lexicon *lx, const char *name, const char *text,
			  size_t len, ctm_error *err)
{
	struct ctm_embedded one[2] = {{name, text, len}, {NULL, NULL, 0}};

	return load_texts(lx, one, err);
}

int ctm_lexicon_load_file(ctm_lexicon *lx, const char *path, ctm_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;
	int rc;

	if (!f)
		return ctm_error_set(err, CTM_EIO, path, 0, 0,
				     "cannot open lexicon file: %s",
				     strerror(errno));
	for (;;) {
		if (cap - n < 65536) {
			char *nb;
			if (cap > (64u << 20)) {
				fclose(f);
				free(buf);
				return ctm_error_set(err, CTM_ELIMIT, path, 0,
						     0,
						     "lexicon file larger "
						     "than 64 MiB");
			}
			nb = realloc(buf, cap = cap * 2 + 65536);
			if (!nb) {
				fclose(f);
				free(buf);
				return ctm_error_set(err, CTM_ENOMEM, path, 0,
						     0, "out of memory");
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return ctm_error_set(err, CTM_EIO, path, 0, 0,
				     "cannot read lexicon file");
	}
	fclose(f);
	rc = ctm_lexicon_load_text(lx, path, buf ? buf : "", n, err);
	free(buf);
	return rc;
}

ctm_concept ctm_lexicon_find(const ctm_lexicon *lx, const char *term,
			     size_t len)
{
	char buf[512];
	size_t flen;
	slot *s;

	if (!len || len >= sizeof(buf))
		return 0;
	flen = fold(term, len, buf, NULL);
	if (!flen)
		return 0;
	s = table_find(lx->table, lx->table_cap, buf, flen);
	return s->key ? s->id : 0;
}

ctm_concept_type ctm_lexicon_type(const ctm_lexicon *lx, ctm_concept c)
{
	return c && c < lx->n_concepts ? lx->concepts[c].type : CTM_CT_NONE;
}

const char *ctm_concept_type_name(ctm_concept_type t)
{
	return (unsigned)t < CTM_CT_COUNT_ ? type_names[t] : "";
}

const char *ctm_lexicon_name(const ctm_lexicon *lx, ctm_concept c)
{
	return c && c < lx->n_concepts ? lx->concepts[c].name : "";
}

ctm_concept ctm_lexicon_concept(const ctm_lexicon *lx, ctm_concept_type type,
				const char *canonical)
{
	size_t i;

	for (i = 1; i < lx->n_concepts; i++)
		if (lx->concepts[i].type == type &&
		    !strcasecmp(lx->concepts[i].name, canonical))
			return (ctm_concept)i;
	return 0;
}

bool ctm_lexicon_is_a(const ctm_lexicon *lx, ctm_concept c,
		      ctm_concept ancestor)
{
	if (!c || !ancestor || c >= lx->n_concepts ||
	    ancestor >= lx->n_concepts)
		return false;
	return (lx->concepts[c].ancestors[ancestor / 64] >> (ancestor % 64)) &
	       1u;
}

const uint64_t *ctm_lexicon_ancestors(const ctm_lexicon *lx, ctm_concept c,
				      size_t *words)
{
	if (!c || c >= lx->n_concepts) {
		*words = 0;
		return NULL;
	}
	*words = lx->words;
	return lx->concepts[c].ancestors;
}

unsigned ctm_lexicon_depth(const ctm_lexicon *lx, ctm_concept c)
{
	unsigned n = 0;
	size_t w;

	if (!c || c >= lx->n_concepts)
		return 0;
	for (w = 0; w < lx->words; w++) {
		uint64_t x = lx->concepts[c].ancestors[w];
		while (x) {
			x &= x - 1;
			n++;
		}
	}
	return n - 1; /* the set holds c itself */
}

size_t ctm_lexicon_members(const ctm_lexicon *lx, ctm_concept regimen,
			   const ctm_concept **members)
{
	if (!regimen || regimen >= lx->n_concepts ||
	    lx->concepts[regimen].type != CTM_CT_REGIMEN) {
		*members = NULL;
		return 0;
	}
	*members = lx->concepts[regimen].parents;
	return lx->concepts[regimen].n_parents;
}

size_t ctm_lexicon_count(const ctm_lexicon *lx)
{
	return lx->n_concepts;
}

size_t ctm_lexicon_term_count(const ctm_lexicon *lx)
{
	return lx->n_terms;
}

const char *ctm_lexicon_term(const ctm_lexicon *lx, size_t i,
			     ctm_concept *concept_out)
{
	if (i >= lx->n_terms)
		return NULL;
	if (concept_out)
		*concept_out = lx->terms[i].id;
	return lx->terms[i].text;
}

uint64_t ctm_lexicon_hash(const ctm_lexicon *lx)
{
	return lx->hash;
}

const char *ctm_lexicon_nearest(const ctm_lexicon *lx, const char *term,
				unsigned type_mask)
{
	char buf[64];
	size_t len = strlen(term), i, best = (size_t)-1, limit;
	const char *found = NULL;

	if (len >= sizeof(buf))
		return NULL;
	fold(term, len, buf, NULL);
	len = strlen(buf);
	if (!len)
		return NULL;
	limit = len < 5 ? 1 : len < 10 ? 2 : 3;
	for (i = 0; i < lx->n_terms; i++) {
		const lex_term *t = &lx->terms[i];
		size_t d;
		if (type_mask &&
		    !(type_mask & (1u << lx->concepts[t->id].type)))
			continue;
		d = ctm_edit_distance(buf, t->folded, limit);
		if (d <= limit && d < best) {
			best = d;
			found = lx->concepts[t->id].name;
		}
	}
	return found;
}

/*
 * The singular of the lower-case word w[0,n), written over it, as the
 * tagger tries it when the plural is no term: "melanomas" -> "melanoma",
 * "therapies" -> "therapy" ("ss", "us", "is" and short words are no
 * plurals). Its length, or 0.
 */
static size_t singular(char *w, size_t n)
{
	if (n >= 5 && !memcmp(w + n - 3, "ies", 3)) {
		w[n - 3] = 'y';
		return n - 2;
	}
	if (n >= 4 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' &&
	    w[n - 2] != 'i' && w[n - 2] >= 'a' && w[n - 2] <= 'z')
		return n - 1;
	return 0;
}

size_t ctm_lexicon_scan(const ctm_lexicon *lx, const char *text, size_t len,
			unsigned type_mask, ctm_term_hit *hits, size_t max)
{
	/* word boundaries of the text, computed on the fly */
	size_t starts[MAX_TERM_WORDS], ends[MAX_TERM_WORDS];
	size_t pos = 0, count = 0;
	char key[1024];

	while (pos < len) {
		size_t ws, we, klen, nwords, k;
		slot *fs;
		unsigned maxw;
		int matched = 0;

		while (pos < len && !is_word_byte((unsigned char)text[pos]))
			pos++;
		if (pos >= len)
			break;
		ws = pos;
		while (pos < len && is_word_byte((unsigned char)text[pos]))
			pos++;
		we = pos;
		if (we - ws >= 256 || possessive_s(text, len, ws))
			continue;
		for (k = 0; k < we - ws; k++)
			key[k] = lower(text[ws + k]);
		fs = table_find(lx->first, lx->first_cap, key, we - ws);
		maxw = fs->key ? fs->maxw : 0;
		if (!fs->key) {
			/* a plural alone: "melanomas" */
			size_t sl = singular(key, we - ws);
			slot *s = sl ? table_find(lx->table, lx->table_cap,
						  key, sl)
				     : NULL;
			if (s && s->key &&
			    (!type_mask ||
			     (type_mask & (1u << lx->concepts[s->id].type)))) {
				if (count < max) {
					hits[count].start = ws;
					hits[count].end = we;
					hits[count].concept = s->id;
				}
				count++;
			}
			continue;
		}
		/* collect up to maxw words starting here */
		starts[0] = ws;
		ends[0] = we;
		nwords = 1;
		{
			size_t p = we;
			while (nwords < maxw) {
				size_t s, e;
				while (p < len &&
				       !is_word_byte((unsigned char)text[p]))
					p++;
				if (p >= len)
					break;
				s = p;
				while (p < len &&
				       is_word_byte((unsigned char)text[p]))
					p++;
				e = p;
				if (possessive_s(text, len, s))
					continue;
				if (e - s >= 256)
					break;
				starts[nwords] = s;
				ends[nwords] = e;
				nwords++;
			}
		}
		for (k = nwords; k >= 1 && !matched; k--) {
			size_t w;
			slot *s;
			klen = 0;
			for (w = 0; w < k; w++) {
				size_t c;
				if (klen + (ends[w] - starts[w]) + 2 >=
				    sizeof(key))
					break;
				if (w)
					key[klen++] = ' ';
				for (c = starts[w]; c < ends[w]; c++)
					key[klen++] = lower(text[c]);
			}
			if (w < k)
				continue;
			s = table_find(lx->table, lx->table_cap, key, klen);
			if (!s->key) {
				/* "mucosal melanomas": the last word's singular */
				size_t lw = ends[k - 1] - starts[k - 1];
				size_t sl = singular(key + klen - lw, lw);
				if (sl)
					s = table_find(lx->table, lx->table_cap,
						       key, klen - lw + sl);
			}
			if (s->key &&
			    (!type_mask ||
			     (type_mask & (1u << lx->concepts[s->id].type)))) {
				if (count < max) {
					hits[count].start = ws;
					hits[count].end = ends[k - 1];
					hits[count].concept = s->id;
				}
				count++;
				pos = ends[k - 1];
				matched = 1;
			}
		}
	}
	return count;
}

/* ---- coded input and lab units (codes.tsv, units.tsv) ---- */

ctm_concept ctm_lexicon_code(const ctm_lexicon *lx, const char *system,
			     const char *code)
{
	size_t i;

	if (!system || !code)
		return 0;
	for (i = 0; i < lx->n_codes; i++)
		if (!strcmp(lx->codes[i].code, code) &&
		    !strcmp(lx->codes[i].system, system))
			return lx->codes[i].id;
	return 0;
}

/* UCUM units compare exactly, except that "u" and "U" (unit) may differ
 * in case and a "µ" may be written "u". */
static bool unit_eq(const char *a, const char *b)
{
	while (*a && *b) {
		if (!strncmp(a, "\xC2\xB5", 2) || !strncmp(a, "\xCE\xBC", 2)) {
			if (*b != 'u')
				return false;
			a += 2, b++;
			continue;
		}
		if (*a != *b)
			return false;
		a++, b++;
	}
	return *a == *b;
}

int ctm_lexicon_lab_unit(const ctm_lexicon *lx, ctm_concept lab,
			 const char *unit, double *factor)
{
	size_t i;

	for (i = 0; i < lx->n_units; i++)
		if (lx->units[i].id == lab &&
		    unit_eq(unit, lx->units[i].unit)) {
			*factor = lx->units[i].factor;
			return 0;
		}
	return CTM_ENOTFOUND;
}

int ctm_lexicon_lab_range(const ctm_lexicon *lx, ctm_concept lab,
			  const char **unit, double *lo, double *hi)
{
	const ctm_lab_info *l = ctm_lexicon_lab_info(lx, lab);

	if (!l || !l->has_range)
		return CTM_ENOTFOUND;
	*unit = l->unit;
	*lo = l->lo;
	*hi = l->hi;
	return 0;
}

const ctm_lab_info *ctm_lexicon_lab_info(const ctm_lexicon *lx, ctm_concept lab)
{
	size_t i;

	for (i = 0; lab && i < lx->n_labs; i++)
		if (lx->labs[i].info.lab == lab)
			return &lx->labs[i].info;
	return NULL;
}

const ctm_lab_info *ctm_lexicon_profile_lab(const ctm_lexicon *lx, size_t i)
{
	size_t k;

	for (k = 0; k < lx->n_labs; k++)
		if (lx->labs[k].key && i-- == 0)
			return &lx->labs[k].info;
	return NULL;
}

const ctm_lab_info *ctm_lexicon_lab_by_key(const ctm_lexicon *lx,
					   const char *key)
{
	size_t k;

	for (k = 0; k < lx->n_labs; k++)
		if (lx->labs[k].key && !strcmp(lx->labs[k].key, key))
			return &lx->labs[k].info;
	return NULL;
}

int ctm_lexicon_lab_value(const ctm_lexicon *lx, ctm_concept lab, double value,
			  const char *unit, double *out)
{
	const char *pu = NULL;
	double f = 1, lo = 0, hi = 0;
	bool ranged = ctm_lexicon_lab_range(lx, lab, &pu, &lo, &hi) == 0;

	if (unit && *unit && !(ranged && unit_eq(unit, pu)) &&
	    ctm_lexicon_lab_unit(lx, lab, unit, &f) != 0)
		return CTM_ENOTFOUND;
	*out = value * f;
	if (!(*out == *out) || (ranged && (*out < lo || *out > hi)))
		return CTM_EINVALID;
	return 0;
}
