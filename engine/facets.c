/* facets.c - the posting keys a trial is filed under in the index. */
#include <ctm/engine.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 256
#define MAX_KEYS 512

typedef struct keyset {
	char keys[MAX_KEYS][96];
	size_t n;
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
		add(ks, "disease", ctm_lexicon_name(lx, hits[i].concept));
}

static bool has_disease(const keyset *ks)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		if (!strncmp(ks->keys[i], "disease:", 8))
			return true;
	return false;
}

int ctm_trial_facets(const ctm_trial *t, const ctm_lexicon *lx,
		     ctm_facet_fn fn, void *ctx)
{
	keyset *ks = malloc(sizeof(*ks));
	size_t i;
	int rc = 0;

	if (!ks)
		return CTM_ENOMEM;
	ks->n = 0;
	add(ks, "status", ctm_status_token(t->status));
	switch (t->gender) {
	case CTM_GENDER_FEMALE: add(ks, "sex", "female"); break;
	case CTM_GENDER_MALE: add(ks, "sex", "male"); break;
	default: add(ks, "sex", "all"); break;
	}
	if (lx) {
		for (i = 0; i < t->n_conditions; i++)
			add_diseases(ks, lx, t->conditions[i]);
		for (i = 0; i < t->n_condition_mesh; i++)
			add_diseases(ks, lx, t->condition_mesh[i]);
		for (i = 0; i < t->n_keywords; i++)
			add_diseases(ks, lx, t->keywords[i]);
		add_diseases(ks, lx, t->brief_title);
		add_diseases(ks, lx, t->official_title);
		/* conditions that name no known disease ("KRAS G12C
		 * Mutation", "Advanced Cancer"): the eligibility text says
		 * which ("advanced solid tumours") */
		if (!has_disease(ks))
			add_diseases(ks, lx, t->criteria_text);
		/* still none: a candidate for everyone, its text decides */
		if (!has_disease(ks))
			add(ks, "disease", "unclassified");
	}
	for (i = 0; i < ks->n && rc == 0; i++)
		rc = fn(ctx, ks->keys[i]);
	free(ks);
	return rc;
}
