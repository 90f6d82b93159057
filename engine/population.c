/*
 * population.c - whom a trial is for (spec/matching.md, "The population").
 *
 * The sponsor's conditions, the NLM's MeSH indexing of them and the
 * inclusion criteria that name a disease say which cancers a trial takes.
 * The list read here decides, in the matcher, whether a patient's cancer
 * is one of them; so a term is read as a population only where nothing
 * beside it could narrow or change it.
 */
#include <ctm/engine.h>

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define MAX_HITS 64
#define MAX_POP 128

typedef struct pop {
	ctm_concept c[MAX_POP];
	size_t n;
	bool partial;
} pop;

static void pop_add(pop *p, ctm_concept c)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->c[i] == c)
			return;
	if (p->n < MAX_POP)
		p->c[p->n++] = c;
	else
		p->partial = true; /* bounded: what is left out may admit */
}

/*
 * Words that qualify a broad term without narrowing whom it takes:
 * "Advanced Solid Tumours", "Metastatic Cancer", "Refractory
 * Malignancies", "Adult Solid Tumor". Any other word beside "carcinoma"
 * ("Adenoid Cystic Carcinoma") names a cancer the lexicon does not know.
 */
static const char *const qualifiers[] = {
	"advanced", "metastatic", "recurrent", "refractory", "relapsed",
	"relapsing", "unresectable", "inoperable", "locally", "progressive",
	"progressing", "late", "stage", "iv", "iii", "any", "all", "other",
	"various", "multiple", "selected", "adult", "adults", "pediatric",
	"paediatric", "childhood", "and", "or", "of", "the", "with", "in",
	"patients", "type", "types", "tumor", "tumors", "tumour", "tumours",
	"cancer", "cancers", "malignant", "malignancy", "malignancies",
	"neoplasm", "neoplasms", "solid", "disease", "diseases", "nos",
	"treatment-refractory", "previously", "treated", "untreated",
	NULL};

/* Word stems of a term that names a cancer (read or not). */
static const char *const cancer_stems[] = {
	"cancer", "carcinom", "neoplas", "tumor", "tumour", "malignan",
	"lymphoma", "leuk", "melanoma", "sarcoma", "blastoma", "glioma",
	"myeloma", "mesothelioma", "adenoma", "seminoma", "thymoma", NULL};

/* Words of a term that names a place cancer has spread to: "Liver
 * Metastases", "Peritoneal Carcinomatosis", "Neoplasm Metastasis". */
static const char *const site_stems[] = {"metastas", "carcinomatosis",
					 "secondary", NULL};

static bool has_stem(const char *s, const char *const *stems)
{
	size_t i, n = strlen(s), j;

	for (j = 0; j < n; j++) {
		if (j && isalpha((unsigned char)s[j - 1]))
			continue;
		for (i = 0; stems[i]; i++)
			if (!strncasecmp(s + j, stems[i], strlen(stems[i])))
				return true;
	}
	return false;
}

static bool qualifier(const char *w, size_t n)
{
	size_t i;

	for (i = 0; qualifiers[i]; i++)
		if (strlen(qualifiers[i]) == n && !strncasecmp(w, qualifiers[i], n))
			return true;
	return false;
}

/* True if every word of s outside the hits is a qualifier. */
static bool only_qualifiers(const char *s, const ctm_term_hit *hits,
			    size_t nh)
{
	size_t i = 0, n = strlen(s), k;

	while (i < n) {
		size_t j;
		for (k = 0; k < nh; k++)
			if (i >= hits[k].start && i < hits[k].end)
				break;
		if (k < nh) {
			i = hits[k].end;
			continue;
		}
		if (!isalnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		for (j = i; j < n && (isalnum((unsigned char)s[j]) ||
				      s[j] == '-' || s[j] == '\'');
		     j++)
			;
		if (!qualifier(s + i, j - i))
			return false;
		i = j;
	}
	return true;
}

/*
 * Reads one condition or MeSH term into p. Returns true if it names a
 * cancer and was read; an unread cancer term sets *unread.
 */
static void read_term(const ctm_lexicon *lx, const char *s, pop *p,
		      bool *unread)
{
	ctm_term_hit hits[MAX_HITS];
	size_t n, i, read = 0;
	bool broad_only = true;

	if (!s || !*s)
		return;
	n = ctm_lexicon_scan(lx, s, strlen(s), 1u << CTM_CT_DISEASE, hits,
			     MAX_HITS);
	if (n > MAX_HITS)
		n = MAX_HITS;
	for (i = 0; i < n; i++)
		if (ctm_lexicon_depth(lx, hits[i].concept) > 1)
			broad_only = false;
	if (n && broad_only && has_stem(s, site_stems))
		return; /* "Neoplasm Metastasis", "Metastatic Cancer to Bone" */
	for (i = 0; i < n; i++) {
		/* a broad term stands for everyone it covers only when no
		 * other word narrows it: "Adenoid Cystic Carcinoma" is not
		 * every carcinoma */
		if (ctm_lexicon_depth(lx, hits[i].concept) <= 1 &&
		    !only_qualifiers(s, hits, n))
			continue;
		pop_add(p, hits[i].concept);
		read++;
	}
	if (read)
		return;
	if (has_stem(s, site_stems))
		return; /* a site ("Liver Metastases") is no population */
	if (has_stem(s, cancer_stems))
		*unread = true;
}

/* Disease leaves an inclusion criterion requires (under no NOT). */
static void criterion_diseases(const ctm_criterion *c, pop *p)
{
	/* prefix order: a node's polarity is its parent's, flipped by NOT */
	bool neg[256];
	uint32_t left[256]; /* children still owed at each depth */
	size_t depth = 0, i;

	if (!c->structured || c->section == CTM_SECTION_EXCLUSION)
		return;
	neg[0] = false;
	left[0] = 1;
	for (i = 0; i < c->n_expr; i++) {
		const ctm_expr *x = &c->expr[i];
		bool here;
		while (depth && left[depth] == 0)
			depth--;
		if (left[depth] == 0)
			return;
		left[depth]--;
		here = neg[depth];
		if (x->op == CTM_EXPR_LEAF) {
			const ctm_constraint *k;
			if (x->arg >= c->n_constraints)
				return;
			k = &c->constraints[x->arg];
			if (!here && k->kind == CTM_K_DISEASE && k->concept)
				pop_add(p, k->concept);
			continue;
		}
		if (depth + 1 >= 256)
			return;
		depth++;
		neg[depth] = x->op == CTM_EXPR_NOT ? !here : here;
		left[depth] = x->op == CTM_EXPR_NOT ? 1 : x->arg;
	}
}

int ctm_trial_population(ctm_trial *t, const ctm_lexicon *lx)
{
	pop p;
	size_t i, j, named;
	bool unread = false, ignored = false;

	p.n = 0;
	p.partial = false;
	t->population = NULL;
	t->n_population = 0;
	t->population_partial = false;
	if (!lx)
		return 0;
	for (i = 0; i < t->n_conditions; i++)
		read_term(lx, t->conditions[i], &p, &unread);
	named = p.n;
	/* MeSH headings the lexicon does not read ("Adenocarcinoma") are
	 * indexing, not the sponsor's words: they leave the list whole */
	for (i = 0; i < t->n_condition_mesh; i++)
		read_term(lx, t->condition_mesh[i], &p, &ignored);
	/* a broad MeSH heading beside a narrower disease is indexing too */
	for (i = named; i < p.n;) {
		bool broader = false;
		if (ctm_lexicon_depth(lx, p.c[i]) <= 1)
			for (j = 0; j < p.n && !broader; j++)
				broader = j != i &&
					  ctm_lexicon_is_a(lx, p.c[j], p.c[i]);
		if (broader) {
			memmove(&p.c[i], &p.c[i + 1],
				(p.n - i - 1) * sizeof(p.c[0]));
			p.n--;
		} else {
			i++;
		}
	}
	/* a basket's inclusion criteria may name more than its conditions */
	for (i = 0; i < t->n_criteria; i++)
		criterion_diseases(&t->criteria[i], &p);
	t->population_partial = p.partial || unread;
	if (!p.n)
		return 0;
	t->population = ctm_arena_alloc(t->arena, p.n * sizeof(*t->population));
	if (!t->population)
		return CTM_ENOMEM;
	memcpy(t->population, p.c, p.n * sizeof(*t->population));
	t->n_population = p.n;
	return 0;
}
