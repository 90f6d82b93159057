/*
 * test_facets.c - the disease keys a trial is filed under. They decide
 * which trials a patient's lookup reads at all: a trial filed too broadly
 * is evaluated for every patient, one filed too narrowly is never found.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <ctm/engine.h>

typedef struct crit {
	ctm_section section;
	const char *text;
} crit;

typedef struct facet_case {
	const char *name;
	const char *conditions[3];
	const char *mesh[3];
	const char *title;
	const char *criteria_text; /* unparsed text (no criteria below) */
	crit criteria[3];
	const char *want; /* the disease keys, in order, ';'-separated */
} facet_case;

static const facet_case cases[] = {
	{"MeSH broad heading beside the condition",
	 {"Thyroid Cancer"}, {"Neoplasms"}, NULL, NULL, {{0}},
	 "disease:thyroid cancer"},
	{"MeSH only: the most specific heading",
	 {"Healthy Volunteers"}, {"Colorectal Neoplasms", "Neoplasms"}, NULL,
	 NULL, {{0}}, "disease:colorectal cancer"},
	{"MeSH adds what the sponsor's words miss",
	 {"Colon Cancer", "Colorectal Liver Metastases"},
	 {"Colorectal Neoplasms", "Neoplasms"}, NULL, NULL, {{0}},
	 "disease:colon cancer;disease:colorectal cancer"},
	{"MeSH broad heading alone still files",
	 {"Psoriasis"}, {"Neoplasms"}, NULL, NULL, {{0}}, "disease:cancer"},
	{"the sponsor's basket is kept beside a named cancer",
	 {"Advanced Solid Tumor", "Colorectal Cancer"}, {"Neoplasms"}, NULL,
	 NULL, {{0}}, "disease:solid tumour;disease:colorectal cancer"},
	{"the title names the disease",
	 {"KRAS G12C Mutation"}, {0}, "Sotorasib in Metastatic Rectal Cancer",
	 NULL, {{0}}, "disease:rectal cancer"},
	{"an inclusion criterion names the disease",
	 {"KRAS G12C Mutation"}, {0}, "A Study of FX-1",
	 NULL,
	 {{CTM_SECTION_INCLUSION, "Advanced solid tumour with a KRAS G12C "
				  "mutation"},
	  {CTM_SECTION_EXCLUSION, "Prior malignancy within 3 years"}},
	 "disease:solid tumour"},
	{"an exclusion names only what is kept out",
	 {"Psoriasis"}, {0}, "A Study of FX-2 in Psoriasis", NULL,
	 {{CTM_SECTION_INCLUSION, "Plaque psoriasis for at least 6 months"},
	  {CTM_SECTION_EXCLUSION, "History of malignancy within 5 years, "
				  "except treated non-melanoma skin cancer"}},
	 "disease:unclassified"},
	{"a negated inclusion names what is kept out",
	 {"Chronic Kidney Disease"}, {0}, NULL, NULL,
	 {{CTM_SECTION_INCLUSION, "No active malignancy"},
	  {CTM_SECTION_UNSPECIFIED, "- Without prior colorectal cancer"}},
	 "disease:unclassified"},
	{"text without headers is read in its section-less criteria",
	 {"KRAS Mutation"}, {0}, NULL, NULL,
	 {{CTM_SECTION_UNSPECIFIED, "Histologically confirmed colon cancer"}},
	 "disease:colon cancer"},
	{"criteria not parsed: the whole text",
	 {"KRAS Mutation"}, {0}, NULL,
	 "Inclusion Criteria: metastatic pancreatic cancer", {{0}},
	 "disease:pancreatic cancer"},
};

typedef struct collected {
	char s[512];
} collected;

static int collect(void *ctx, const char *key)
{
	collected *c = ctx;

	if (strncmp(key, "disease:", 8))
		return 0;
	if (*c->s)
		strncat(c->s, ";", sizeof(c->s) - strlen(c->s) - 1);
	strncat(c->s, key, sizeof(c->s) - strlen(c->s) - 1);
	return 0;
}

static ctm_trial *build(const facet_case *fc)
{
	ctm_trial *t = ctm_trial_new();
	size_t n;

	cr_assert(t);
	t->nct_id = "NCT00000001";
	t->brief_title = fc->title;
	for (n = 0; n < 3 && fc->conditions[n]; n++)
		;
	t->conditions = ctm_arena_alloc(t->arena, 3 * sizeof(char *));
	memcpy(t->conditions, fc->conditions, n * sizeof(char *));
	t->n_conditions = n;
	for (n = 0; n < 3 && fc->mesh[n]; n++)
		;
	t->condition_mesh = ctm_arena_alloc(t->arena, 3 * sizeof(char *));
	memcpy(t->condition_mesh, fc->mesh, n * sizeof(char *));
	t->n_condition_mesh = n;
	t->criteria_text = fc->criteria_text;
	for (n = 0; n < 3 && fc->criteria[n].text; n++)
		;
	t->criteria = ctm_arena_alloc(t->arena, 3 * sizeof(ctm_criterion));
	for (size_t i = 0; i < n; i++) {
		t->criteria[i].section = fc->criteria[i].section;
		t->criteria[i].text = fc->criteria[i].text;
	}
	t->n_criteria = n;
	return t;
}

Test(facets, disease_keys)
{
	ctm_lexicon *lx;
	ctm_error e;
	size_t i;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctm_trial *t = build(&cases[i]);
		collected c = {{0}};

		cr_assert_eq(ctm_trial_facets(t, lx, collect, &c), 0);
		cr_expect_str_eq(c.s, cases[i].want, "%s: got \"%s\"",
				 cases[i].name, c.s);
		ctm_trial_free(t);
	}
	ctm_lexicon_free(lx);
}
