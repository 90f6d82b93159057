/*
 * chia_tag - the lexicon tagger and the criteria reader over Chia's text
 * files, for bench/chia.py.
 *
 * Each FILE is read a line at a time, a line being one criterion (the
 * section is the file's: *_inc.txt inclusion, *_exc.txt exclusion, else
 * unspecified). For each FILE it prints "FILE" and then one line per
 * mention found:
 *
 *     start <TAB> end <TAB> type <TAB> name <TAB> reading
 *
 * start and end are byte offsets into the file (end exclusive). A mention
 * is a lexicon term (ctm_lexicon_scan: longest match, word boundaries,
 * case folding; type is the concept's type), or the words of a fact the
 * reader's grammar reads without a concept (pregnancy, breastfeeding,
 * metastatic or measurable disease, brain metastases; type "fact", name
 * the constraint kind) when the reader read that fact from the line.
 * reading is what ctm_criteria_extract() made of the mention:
 *
 *     -  no constraint of the criterion is about it (review, or not read)
 *     +  a constraint is about it, and the text says the patient has it
 *     !  a constraint is about it under a negation of the text ("no",
 *        "without", "except": an odd number of NOTs above the leaf, not
 *        counting the NOT an exclusion criterion adds)
 *
 * A constraint is about a term when its concept is the term's concept;
 * when none is, when one is a kind of the other.
 */
#include <ctm/parsers.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_HITS 1024
#define MAX_LEAVES 256

static const char *type_name(ctm_concept_type t)
{
	switch (t) {
	case CTM_CT_DISEASE: return "disease";
	case CTM_CT_GENE: return "gene";
	case CTM_CT_MARKER: return "marker";
	case CTM_CT_VARIANT: return "variant";
	case CTM_CT_DRUG: return "drug";
	case CTM_CT_CLASS: return "class";
	case CTM_CT_REGIMEN: return "regimen";
	case CTM_CT_PROCEDURE: return "procedure";
	case CTM_CT_SITE: return "site";
	case CTM_CT_LAB: return "lab";
	case CTM_CT_CONDITION: return "condition";
	default: return "none";
	}
}

/* A leaf of the expression: its constraint, negated in the text or not. */
typedef struct leaf {
	const ctm_constraint *k;
	int negated;
} leaf;

/* Walks the prefix-order expression from *i; collects the leaves. */
static void walk(const ctm_criterion *c, size_t *i, int nots, leaf *out,
		 size_t *n)
{
	const ctm_expr *e;
	uint32_t k;

	if (*i >= c->n_expr)
		return;
	e = &c->expr[(*i)++];
	switch (e->op) {
	case CTM_EXPR_LEAF:
		if (*n < MAX_LEAVES && e->arg < c->n_constraints) {
			out[*n].k = &c->constraints[e->arg];
			out[*n].negated = nots & 1;
			(*n)++;
		}
		break;
	case CTM_EXPR_NOT:
		walk(c, i, nots + 1, out, n);
		break;
	default:
		for (k = 0; k < e->arg; k++)
			walk(c, i, nots, out, n);
		break;
	}
}

/* The words of the facts read without a concept, by constraint kind. */
static const struct {
	ctm_kind kind;
	const char *words[6];
} fact_words[] = {
	{CTM_K_PREGNANT, {"pregnan", NULL}},
	{CTM_K_BREASTFEEDING,
	 {"breastfe", "breast fe", "breast-fe", "lactat", "nursing", NULL}},
	{CTM_K_METASTATIC, {"metasta", NULL}},
	{CTM_K_MEASURABLE, {"measurable", NULL}},
	{CTM_K_BRAIN_METS, {"brain", "cns", "central nervous", NULL}},
};

/* Case-insensitive search of w in s[0..len). */
static const char *find_word(const char *s, size_t len, const char *w)
{
	size_t wl = strlen(w), i;

	for (i = 0; i + wl <= len; i++)
		if (!strncasecmp(s + i, w, wl))
			return s + i;
	return NULL;
}

/* Prints a mention; end at the end of the word it starts in. */
static void print_fact(const char *line, size_t len, size_t base,
		       const char *at, ctm_kind kind, int negated)
{
	size_t s = (size_t)(at - line), e = s;

	while (e < len && line[e] != ' ' && line[e] != ',' && line[e] != '.')
		e++;
	printf("%zu\t%zu\tfact\t%s\t%c\n", base + s, base + e,
	       ctm_kind_name(kind), negated ? '!' : '+');
}

static void read_line(const ctm_lexicon *lx, ctm_criteria_ctx *ctx,
		      ctm_section sec, const char *line, size_t len,
		      size_t base)
{
	static ctm_term_hit hits[MAX_HITS];
	static leaf leaves[MAX_LEAVES];
	ctm_arena *a = ctm_arena_new();
	ctm_criterion c;
	ctm_error err = {0};
	char *text;
	size_t n, k, j, nl = 0, i = 0;

	if (!a)
		return;
	text = ctm_arena_strndup(a, line, len);
	memset(&c, 0, sizeof(c));
	c.section = sec;
	c.text = text;
	if (text && !ctm_criteria_extract(ctx, &c, a, &err) && c.structured)
		walk(&c, &i, sec == CTM_SECTION_EXCLUSION ? 1 : 0, leaves,
		     &nl);
	n = ctm_lexicon_scan(lx, line, len, 0, hits, MAX_HITS);
	if (n > MAX_HITS)
		n = MAX_HITS;
	for (k = 0; k < n; k++) {
		ctm_concept h = hits[k].concept;
		char r = '-';
		int exact;

		/* the constraints on the term's own concept, else those on a
		 * kind of it or on what it is a kind of */
		for (exact = 1; exact >= 0 && r == '-'; exact--)
			for (j = 0; j < nl; j++) {
				ctm_concept q = leaves[j].k->concept;
				if (!q || (exact ? q != h
						 : !ctm_lexicon_is_a(lx, q, h) &&
							   !ctm_lexicon_is_a(lx, h, q)))
					continue;
				if (leaves[j].negated) {
					r = '!';
					break;
				}
				r = '+';
			}
		printf("%zu\t%zu\t%s\t%s\t%c\n", base + hits[k].start,
		       base + hits[k].end,
		       type_name(ctm_lexicon_type(lx, h)),
		       ctm_lexicon_name(lx, h), r);
	}
	for (j = 0; j < nl; j++) {
		size_t f, w;
		for (f = 0; f < sizeof(fact_words) / sizeof(fact_words[0]);
		     f++) {
			if (fact_words[f].kind != leaves[j].k->kind)
				continue;
			for (w = 0; fact_words[f].words[w]; w++) {
				const char *at = line, *end = line + len;
				while ((at = find_word(at, (size_t)(end - at),
						       fact_words[f].words[w]))) {
					print_fact(line, len, base, at,
						   fact_words[f].kind,
						   leaves[j].negated);
					at++;
				}
			}
		}
	}
	ctm_arena_free(a);
}

int main(int argc, char **argv)
{
	ctm_lexicon *lx = NULL;
	ctm_criteria_parser *parser = NULL;
	ctm_criteria_ctx *ctx = NULL;
	ctm_error err = {0};
	int i, rc = 1;

	if (ctm_lexicon_new(&lx, &err) ||
	    ctm_criteria_parser_new(&parser, lx, &err) ||
	    ctm_criteria_ctx_new(&ctx, parser)) {
		fprintf(stderr, "chia_tag: %s\n",
			err.message[0] ? err.message : "out of memory");
		goto done;
	}
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		ctm_section sec = CTM_SECTION_UNSPECIFIED;
		char *text;
		long len;
		size_t s = 0, e;

		if (!f) {
			perror(argv[i]);
			continue;
		}
		if (strstr(argv[i], "_inc."))
			sec = CTM_SECTION_INCLUSION;
		else if (strstr(argv[i], "_exc."))
			sec = CTM_SECTION_EXCLUSION;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		text = malloc((size_t)len + 1);
		if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
			fclose(f);
			free(text);
			continue;
		}
		fclose(f);
		text[len] = '\0';
		printf("%s\n", argv[i]);
		while (s < (size_t)len) {
			for (e = s; e < (size_t)len && text[e] != '\n'; e++)
				;
			if (e > s)
				read_line(lx, ctx, sec, text + s, e - s, s);
			s = e + 1;
		}
		free(text);
	}
	rc = 0;
done:
	ctm_criteria_ctx_free(ctx);
	ctm_criteria_parser_free(parser);
	ctm_lexicon_free(lx);
	return rc;
}
