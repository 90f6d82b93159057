/* facets.c - the posting keys a trial is filed under in the index. */
#include <ctm/engine.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_HITS 256
#define MAX_KEYS 512

typedef struct keyset {
	char keys[MAX_KEYS][96];
	size_t n;
	ctm_concept dis[MAX_KEYS]; /* the diseases filed so far */
	size_t n_dis;
} keyset;

static void add(keyset *ks, const char *prefix, const char *value)
{
	char k[96];
	size_t i;

	snprintf(k, sizeof(k), "%s:%s", prefix, value);
	for (i = 0; i < ks->n; i++)
		if (!strcmp(ks->keys[i], k))
			return;
	if (ks->n < MAX_KEYS)
		memcpy(ks->keys[ks->n++], k, sizeof(k));
}

static void add_disease(keyset *ks, const ctm_lexicon *lx, ctm_concept c)
{
	size_t i;

	for (i = 0; i < ks->n_dis; i++)
		if (ks->dis[i] == c)
			return;
	if (ks->n_dis < MAX_KEYS)
		ks->dis[ks->n_dis++] = c;
	add(ks, "disease", ctm_lexicon_name(lx, c));
}

/*
 * Files every disease named in text. Only the diseases named, not their
 * ancestors: a patient's candidates are the trials naming the patient's
 * disease, a broader one (a "solid tumour" basket) or a narrower one, and
 * a breast cancer trial is not filed under "solid tumour" for a colorectal
 * patient to find.
 */
static void add_diseases(keyset *ks, const ctm_lexicon *lx, const char *text)
{
	ctm_term_hit hits[MAX_HITS];
	size_t n, i;

	if (!text)
		return;
	n = ctm_lexicon_scan(lx, text, strlen(text), 1u << CTM_CT_DISEASE,
			     hits, MAX_HITS);
	if (n > MAX_HITS)
		n = MAX_HITS;
	for (i = 0; i < n; i++)
		add_disease(ks, lx, hits[i].concept);
}

/*
 * Files the diseases of the MeSH terms, but not a broad heading (the
 * root of the disease graph or a child of it: "Neoplasms", "Carcinoma")
 * beside a disease it is broader than. MeSH indexing adds such headings
 * to the precise one ("Thyroid Neoplasms"); filed under "cancer", the
 * trial would be a candidate for every cancer patient. A broad heading
 * alone still files the trial under it.
 */
static void add_mesh_diseases(keyset *ks, const ctm_lexicon *lx,
			      const ctm_trial *t)
{
	ctm_concept found[MAX_HITS];
	ctm_term_hit hits[MAX_HITS];
	size_t nf = 0, i, j, n, n_named = ks->n_dis;

	for (i = 0; i < t->n_condition_mesh; i++) {
		const char *s = t->condition_mesh[i];
		if (!s)
			continue;
		n = ctm_lexicon_scan(lx, s, strlen(s), 1u << CTM_CT_DISEASE,
				     hits, MAX_HITS);
		for (j = 0; j < n && j < MAX_HITS && nf < MAX_HITS; j++)
			found[nf++] = hits[j].concept;
	}
	for (i = 0; i < nf; i++) {
		bool broader = false;
		if (ctm_lexicon_depth(lx, found[i]) <= 1) {
			for (j = 0; j < n_named && !broader; j++)
				broader = ks->dis[j] != found[i] &&
					  ctm_lexicon_is_a(lx, ks->dis[j],
							   found[i]);
			for (j = 0; j < nf && !broader; j++)
				broader = found[j] != found[i] &&
					  ctm_lexicon_is_a(lx, found[j],
							   found[i]);
		}
		if (!broader)
			add_disease(ks, lx, found[i]);
	}
}

/* True if a criterion opens with a negation ("No other malignancy"). */
static bool negated(const char *s)
{
	static const char *const cue[] = {"no ", "not ", "without ", "absence ",
					  "free of ", "never ", NULL};
	size_t i;

	while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		       (*s >= '0' && *s <= '9')))
		s++;
	for (i = 0; cue[i]; i++)
		if (!strncasecmp(s, cue[i], strlen(cue[i])))
			return true;
	return false;
}

/*
 * Files the diseases the eligibility text requires. Of parsed criteria,
 * only those that are not exclusions and do not open with a negation:
 * "History of malignancy within 5 years, except non-melanoma skin cancer"
 * in a psoriasis trial names diseases it keeps out, not the ones it is
 * for. Unparsed text is scanned whole.
 */
static void add_criteria_diseases(keyset *ks, const ctm_lexicon *lx,
				  const ctm_trial *t)
{
	size_t i;

	if (!t->n_criteria) {
		add_diseases(ks, lx, t->criteria_text);
		return;
	}
	for (i = 0; i < t->n_criteria; i++) {
		const ctm_criterion *c = &t->criteria[i];
		if (c->section != CTM_SECTION_EXCLUSION && c->text &&
		    !negated(c->text))
			add_diseases(ks, lx, c->text);
	}
}

int ctm_trial_facets(const ctm_trial *t, const ctm_lexicon *lx,
		     ctm_facet_fn fn, void *ctx)
{
	keyset *ks = malloc(sizeof(*ks));
	size_t i;
	int rc = 0;

	if (!ks)
		return CTM_ENOMEM;
	ks->n = ks->n_dis = 0;
	add(ks, "status", ctm_status_token(t->status));
	switch (t->gender) {
	case CTM_GENDER_FEMALE: add(ks, "sex", "female"); break;
	case CTM_GENDER_MALE: add(ks, "sex", "male"); break;
	default: add(ks, "sex", "all"); break;
	}
	if (lx) {
		/* the sponsor's own words first */
		for (i = 0; i < t->n_conditions; i++)
			add_diseases(ks, lx, t->conditions[i]);
		for (i = 0; i < t->n_keywords; i++)
			add_diseases(ks, lx, t->keywords[i]);
		add_diseases(ks, lx, t->brief_title);
		add_diseases(ks, lx, t->official_title);
		/* and the MeSH indexing of the conditions */
		add_mesh_diseases(ks, lx, t);
		/* conditions that name no known disease ("KRAS G12C
		 * Mutation", "Psoriasis"): the eligibility text says which
		 * ("advanced solid tumours") */
		if (!ks->n_dis)
			add_criteria_diseases(ks, lx, t);
		/* still none: no disease key; only a lookup without a diagnosis,
		 * which reads every trial, finds it */
		if (!ks->n_dis)
			add(ks, "disease", "unclassified");
	}
	for (i = 0; i < ks->n && rc == 0; i++)
		rc = fn(ctx, ks->keys[i]);
	free(ks);
	return rc;
}
