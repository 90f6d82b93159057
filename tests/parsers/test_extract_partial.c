/*
 * test_extract_partial.c - sentences read in part, and the constructions
 * added with them: several sentences in one criterion, unread list items
 * and restrictions (always unknown, so they decide nothing alone), assay
 * and assessor phrases, adjuvant allowances, "any of the following"
 * items, and the wordings that must stay review because an unread word
 * could change what the read part means.
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h; "(unread)" is a
 * part the parser did not read. The sentences are ours, modelled on
 * colorectal cancer trials; the expected values say what each means.
 */
#include "extract_rows.h"

/* ---- several sentences: each read, all hold ------------------------ */
static const row sentences[] = {
	{E, NULL,
	 "Active brain metastases. Patients with brain metastases that are "
	 "untreated or progressing are excluded",
	 "NOT active brain metastases"},
	{I, NULL, "ECOG 0-1. Measurable disease per RECIST 1.1",
	 "ECOG 0-1 AND measurable disease"},
	/* one sentence not understood: an unread part; what is read
	 * decides when it fails (issue #10: partial reading as a rule) */
	{I, NULL, "ECOG 0-1. Able to swallow tablets", "ECOG 0-1 AND (unread)"},
	/* unless the unread sentence may widen the read one */
	{I, NULL, "ECOG 0-1. Patients with ECOG 2 may enrol", "review"},
	/* an adjuvant allowance next to "no therapy for metastatic
	 * disease" can only admit more: it goes */
	{I, NULL,
	 "No prior systemic therapy for metastatic disease. Prior adjuvant "
	 "therapy is considered first-line treatment of metastatic disease "
	 "if progression occurred within 6 months of completing it",
	 "prior lines 0 [metastatic setting]"},
	{I, NULL,
	 "Has not received previous systemic therapy for metastatic disease "
	 "(prior adjuvant chemotherapy is allowed if completed at least 6 "
	 "months before randomization)",
	 "prior lines 0 [metastatic setting]"},
	/* next to a requirement it would admit fewer: review */
	{I, NULL,
	 "At least 1 line of prior chemotherapy for metastatic disease "
	 "(adjuvant chemotherapy is considered first line if completed "
	 "less than 1 year before)",
	 "review"},
};

/* ---- unread list items --------------------------------------------- */
static const row items[] = {
	{E, NULL,
	 "Horner syndrome, leptomeningeal disease, or active "
	 "brain metastases",
	 "NOT ((unread) OR leptomeninges metastases OR active brain "
	 "metastases)"},
	{E, NULL, "Colonic dysplasia, or Crohn's disease",
	 "NOT ((unread) OR condition Crohn's disease)"},
	{I, NULL, "ECOG 0-1, able to swallow tablets",
	 "ECOG 0-1 AND (unread)"},
	{I, NULL, "ECOG 0-1, life expectancy of at least 12 weeks",
	 "ECOG 0-1 AND condition adequate life expectancy"},
	{E, NULL,
	 "Patients who have previously received SU5416, CPT-11, or any "
	 "topoisomerase I inhibitor",
	 "NOT ((unread) OR prior irinotecan OR prior topoisomerase I "
	 "inhibitor)"},
	{E, NULL,
	 "Known brain metastases, uncontrolled hypertension, a history of "
	 "arterial thrombosis in the last year, or prior adjuvant "
	 "chemotherapy within 6 months",
	 "NOT (brain metastases OR condition active hypertension OR condition "
	 "thromboembolism OR prior chemotherapy [adjuvant, within 180 days])"},
	/* a first item's words may qualify the clauses after it */
	{E, NULL,
	 "Concurrent immunotherapeutic drugs, chemotherapy, or radiotherapy",
	 "review"},
	{E, NULL,
	 "Receiving homeopathic remedies, cytotoxic agents, or radiotherapy",
	 "review"},
	/* steroids are a class of the lexicon now: the list reads */
	{E, NULL, "Receiving steroids, cytotoxic agents, or radiotherapy",
	 "NOT (current corticosteroid OR current chemotherapy OR current "
	 "radiation)"},
	/* an item cutting a therapy list in two: "within 30 days" may
	 * qualify both parts */
	{E, NULL,
	 "Chemotherapy, homeopathic remedies, or radiation therapy within 30 "
	 "days",
	 "review"},
	{E, NULL,
	 "Chemotherapy, steroid therapy, or radiation therapy within 30 days",
	 "NOT (prior chemotherapy [within 30 days] OR prior corticosteroid "
	 "[within 30 days] OR prior radiation [within 30 days])"},
	/* a bare therapy word in a list may be an adjective */
	{E, NULL, "Nutritional, radiation, toxic optic neuropathies",
	 "review"},
	/* words that widen, except or negate */
	{E, NULL,
	 "Prior oxaliplatin, unless given as adjuvant therapy more than 12 "
	 "months ago",
	 "review"},
	{E, NULL, "Pregnant, breastfeeding, or planning a pregnancy",
	 "review"},
	/* "no X, ..." in an exclusion list with a part unread */
	{E, NULL, "No prior oxaliplatin or investigational drug X-123",
	 "review"},
	/* "cancer" among other clauses is too often an adjective */
	{E, NULL, "Cancer chemotherapeutic agents", "review"},
	{E, NULL, "Malignancy", "NOT diagnosis cancer"},
	/* unread numbers are not items */
	{I, NULL, "Platelet count at least 100,00/mm^3", "review"},
};

/* ---- unread restrictions ------------------------------------------- */
static const row restrictions[] = {
	{U, NULL,
	 "Must have received prior irinotecan with a progression-free "
	 "interval of < 3 months",
	 "prior irinotecan AND (unread)"},
	{I, NULL, "Bidimensionally measurable disease with at least one lesion "
		  "of 2 cm",
	 "measurable disease AND (unread)"},
	{I, NULL, "More than 3 liver metastases", "(unread) AND liver metastases"},
	{I, NULL,
	 "Disease progression after first-line oxaliplatin- or "
	 "irinotecan-based chemotherapy",
	 "(prior oxaliplatin [progressed] OR prior irinotecan [progressed]) "
	 "AND (unread)"},
	{I, NULL, "Pathogenic POLE mutation on tumour sequencing",
	 "(unread) AND POLE mutated"},
	/* on an upper bound a restriction would widen: review. A therapy
	 * narrowed to what it treated is the therapy AND an unread part,
	 * which stays sound under a negation (no radiotherapy at all in 4
	 * weeks decides; any radiotherapy is to check) */
	{U, NULL, "At least 4 weeks since radiotherapy for bone metastases",
	 "NOT (prior radiation [within < 28 days] AND (unread))"},
	{I, NULL,
	 "No more than 2 prior chemotherapy regimens for breast cancer",
	 "review"},
	/* a word right after a clause may be part of it ("pregnancy
	 * test", a unit) */
	{I, NULL, "Pregnancy test required", "review"},
	{I, NULL, "Creatinine clearance greater than 60 cc per hour",
	 "review"},
	/* "X with Y, or Z": the restriction stops before the alternative */
	{I, NULL,
	 "Creatinine normal for age or glomerular filtration rate at least "
	 "70 mL/min",
	 "review"},
};

/* ---- what adds nothing: assays, assessors, examples ---------------- */
static const row tidy[] = {
	{I, NULL,
	 "KRAS G12C mutation identified in tumour tissue or circulating "
	 "tumour DNA by a CLIA-certified or equivalently accredited "
	 "laboratory",
	 "KRAS G12C mutation"},
	{I, NULL,
	 "MSI-H by PCR or NGS, or dMMR by immunohistochemistry (loss of MLH1, "
	 "MSH2, MSH6 or PMS2), documented in a local report",
	 "MSI high"},
	{I, NULL,
	 "Measurable disease per RECIST 1.1 as assessed by the local site "
	 "investigator",
	 "measurable disease"},
	{I, NULL, "Liver metastases judged unresectable by a hepatobiliary "
		  "surgeon",
	 "liver metastases AND NOT resectable"},
	{I, NULL,
	 "HER2 overexpression (3+ IHC) or HER2 amplification by in situ "
	 "hybridization (ISH) in tissue",
	 "ERBB2 overexpressed OR ERBB2 amplified"},
	{I, NULL,
	 "Tumour mutational burden of 10 or more mutations per megabase "
	 "(TMB-H) by a validated tissue assay",
	 "TMB high >= 10"},
	{I, NULL,
	 "RAS wild-type in primary or metastatic tumour tissue (KRAS and "
	 "NRAS exons 2, 3 and 4)",
	 "KRAS wild-type AND NRAS wild-type"},
	{I, NULL,
	 "Patient must have a KRAS G12C alteration as determined by the "
	 "Acme screening assessment",
	 "KRAS G12C mutation"},
	{E, NULL,
	 "Any extrahepatic disease, including lung nodules suspicious for "
	 "metastasis",
	 "NOT (metastatic AND NOT liver-only metastases)"},
	{E, NULL,
	 "Prior treatment with any HER2-directed therapy, including "
	 "trastuzumab or pertuzumab",
	 "NOT prior HER2-directed therapy"},
	/* a qualifier of the whole list after the examples: kept, review */
	{E, NULL,
	 "Experimental therapy, including interleukin-2 or interferon, "
	 "within 6 weeks prior to study entry",
	 "review"},
	{E, NULL,
	 "Prior treatment with anti-angiogenesis agent such as bevacizumab "
	 "or aflibercept",
	 "NOT ((unread) OR prior bevacizumab OR prior aflibercept)"},
	/* examples of a narrower head keep it: not "cancer" */
	{E, NULL,
	 "Structural abnormalities of the larynx such as nodules or "
	 "carcinoma",
	 "review"},
};

/* ---- other constructions ------------------------------------------- */
static const row others[] = {
	{I, NULL,
	 "Progression on, or intolerance of, at least one prior line of "
	 "treatment for metastatic disease that included a fluoropyrimidine "
	 "and oxaliplatin or irinotecan",
	 "prior lines >= 1 [metastatic setting] AND prior fluoropyrimidine "
	 "AND (prior oxaliplatin OR prior irinotecan)"},
	{I, NULL,
	 "Progressed on or were intolerant to trifluridine/tipiracil and/or "
	 "regorafenib",
	 "prior trifluridine-tipiracil [progressed or intolerant] OR prior "
	 "regorafenib [progressed or intolerant]"},
	{I, NULL,
	 "Metastatic colorectal adenocarcinoma that is not MSI-high or dMMR",
	 "diagnosis colorectal adenocarcinoma AND metastatic AND NOT MSI "
	 "high"},
	{I, NULL,
	 "Adenocarcinoma of the colon or rectum that is metastatic and/or "
	 "unresectable",
	 "diagnosis colorectal cancer AND (metastatic OR NOT resectable)"},
	{I, NULL,
	 "Radiographic progression during or after treatment with an "
	 "anti-PD-1 antibody (alone or in combination with anti-CTLA-4); the "
	 "last dose must have been received within 6 months before "
	 "enrolment",
	 "prior anti-PD-1 [progressed, within 180 days]"},
	{I, NULL, "Randomization within 8 weeks after surgery",
	 "prior surgery [within 56 days]"},
	{I, NULL,
	 "Progression on or intolerance of at least one and no more than "
	 "four prior lines of therapy",
	 "prior lines 1-4"},
	{I, NULL, "Progression on or after two or more prior regimens",
	 "prior lines >= 2"},
	/* progression is not counted: as an exclusion it would bar more */
	{E, NULL, "Progression on two or more prior regimens", "review"},
	{E, NULL, "Known brain metastases, whether or not previously treated",
	 "NOT brain metastases"},
	{E, NULL,
	 "Any history of brain metastases, treated or untreated, or "
	 "leptomeningeal disease",
	 "NOT (brain metastases OR leptomeninges metastases)"},
	{E, NULL,
	 "Symptomatic brain metastases. Patients with brain metastases are "
	 "eligible only if the metastases were treated and are stable for "
	 "at least 4 weeks",
	 "review"},
	{I, NULL, "No extrahepatic disease, except resectable lung metastases",
	 "NOT (peritoneum metastases OR ovary metastases OR bone metastases "
	 "OR lymph node metastases OR brain metastases OR leptomeninges "
	 "metastases OR adrenal metastases OR pleura metastases OR spinal "
	 "cord metastases OR other metastases OR (lung metastases AND NOT "
	 "resectable))"},
	{E, NULL, "Prior treatment with an anti-LAG-3 antibody",
	 "NOT prior anti-LAG-3"},
	{E, NULL, "Prior treatment with floxuridine",
	 "NOT prior floxuridine"},
	{I, NULL,
	 "Patients must have locally advanced or metastatic disease not "
	 "amendable to potentially curative treatment",
	 "(metastatic OR NOT resectable) AND NOT resectable"},
	{I, NULL,
	 "Histologically confirmed solid tumour not amenable to curative "
	 "surgery, radiotherapy, or chemotherapy",
	 "diagnosis solid tumour AND NOT resectable"},
	{E, NULL, "Colon cancer, Crohn's disease or ulcerative colitis",
	 "NOT (diagnosis colon cancer OR condition Crohn's disease OR "
	 "condition ulcerative colitis)"},
	/* a therapy required under a biomarker condition */
	{I, NULL,
	 "Progressed on, or intolerant of, standard therapy that included "
	 "fluoropyrimidine, oxaliplatin, irinotecan, bevacizumab and, if RAS "
	 "wild-type, an anti-EGFR antibody",
	 "prior fluoropyrimidine [progressed or intolerant] AND prior "
	 "oxaliplatin [progressed or intolerant] AND prior irinotecan "
	 "[progressed or intolerant] AND prior bevacizumab [progressed or "
	 "intolerant] AND (NOT (KRAS wild-type AND NRAS wild-type) OR prior "
	 "anti-EGFR)"},
	/* in an exclusion list it would bar more than it says: review */
	{E, NULL, "Prior oxaliplatin and, if RAS wild-type, an anti-EGFR "
		  "antibody",
	 "review"},
	{I, NULL,
	 "Whose disease has progressed after systemic therapy in the "
	 "metastatic or adjuvant setting",
	 "prior systemic therapy [progressed, metastatic setting] OR prior "
	 "systemic therapy [progressed, adjuvant]"},
	{I, NULL, "Distant metastases not surgically curable",
	 "metastatic AND NOT resectable"},
	{I, NULL,
	 "At least 1 measurable hepatic lesion of 20 mm or more on MRI",
	 "measurable disease AND liver metastases"},
	{I, NULL, "A known KRAS alteration (mutation or amplification)",
	 "KRAS mutated OR KRAS amplified"},
	/* "other" is the profile's site word, not the English one */
	{E, NULL, "Other malignancy within 5 years", "NOT condition second malignancy"},
};

TestSuite(extract_partial, .init = setup, .fini = teardown);

Test(extract_partial, sentences)
{
	check_rows(ROWS(sentences));
}

Test(extract_partial, unread_items)
{
	check_rows(ROWS(items));
}

Test(extract_partial, unread_restrictions)
{
	check_rows(ROWS(restrictions));
}

Test(extract_partial, assays_examples)
{
	check_rows(ROWS(tidy));
}

Test(extract_partial, other_constructions)
{
	check_rows(ROWS(others));
}

/* An unread part is a leaf of its own kind, always unknown: it decides
 * nothing on its own. */
Test(extract_partial, unread_leaf_is_a_kind_of_its_own)
{
	ctm_arena *a = ctm_arena_new();
	ctm_error err = {0};
	ctm_criterion c;
	size_t i, unread = 0;

	memset(&c, 0, sizeof(c));
	c.section = CTM_SECTION_INCLUSION;
	c.text = "ECOG 0-1, able to swallow tablets";
	cr_assert_eq(ctm_criteria_extract(ctx, &c, a, &err), 0);
	cr_assert(c.structured);
	for (i = 0; i < c.n_constraints; i++)
		if (c.constraints[i].kind == CTM_K_UNREAD &&
		    c.constraints[i].concept == 0)
			unread++;
	cr_expect_eq(unread, 1);
	ctm_arena_free(a);
}

/* "meeting any of the following:" and its items: the intro is their OR */
Test(extract_partial, alternatives_under_a_heading)
{
	ctm_trial *t = ctm_trial_new();
	ctm_error err = {0};
	char buf[1024];

	cr_assert(t);
	t->criteria_text =
		"Inclusion Criteria:\n"
		"  1. HER2-positive disease, meeting any of the following:\n"
		"       1. HER2 overexpression (3+ IHC)\n"
		"       2. ERBB2 amplification by next-generation sequencing\n"
		"  2. ECOG 0-1\n";
	cr_assert_eq(ctm_criteria_parse(ctx, t, &err), 0, "%s", err.message);
	cr_assert_eq(t->n_criteria, 4);
	ctm_criterion_format(&t->criteria[0], lx, buf, sizeof(buf));
	cr_expect_str_eq(buf, "ERBB2 overexpressed OR ERBB2 amplified");
	/* the items hold only together: review on their own */
	cr_expect(!t->criteria[1].structured);
	cr_expect(!t->criteria[2].structured);
	cr_expect(t->criteria[3].structured);
	ctm_trial_free(t);

	/* an item not read leaves the intro review */
	t = ctm_trial_new();
	t->criteria_text =
		"Inclusion Criteria:\n"
		"  1. HER2-positive disease, meeting any of the following:\n"
		"       1. HER2 overexpression (3+ IHC)\n"
		"       2. HER2 positivity confirmed by the sponsor\n";
	cr_assert_eq(ctm_criteria_parse(ctx, t, &err), 0, "%s", err.message);
	cr_assert_eq(t->n_criteria, 3);
	cr_expect(!t->criteria[0].structured);
	ctm_trial_free(t);
}

/*
 * ctm_criteria_explain(): how a criterion reads, afresh even when the
 * memo holds it: tags with their concepts, the frames that read a part,
 * and what stayed unread.
 */
Test(extract_partial, explain_says_tags_frames_and_unread)
{
	ctm_arena *a = ctm_arena_new();
	ctm_error err = {0};
	ctm_criteria_reading r;
	ctm_criterion c;

	memset(&c, 0, sizeof(c));
	c.section = CTM_SECTION_INCLUSION;
	c.text = "ECOG 0-1, able to swallow tablets";
	/* read once: the memo holds it; explain reads it again */
	cr_assert_eq(ctm_criteria_extract(ctx, &c, a, &err), 0);
	cr_assert_eq(ctm_criteria_explain(ctx, &c, &r, &err), 0);
	cr_assert_eq(r.n_frames, 1);
	cr_expect_str_eq(r.frames[0], "ecog");
	cr_expect_eq(r.n_tags, 0);
	cr_expect_str_eq(r.unread, "able swallow tablets");
	cr_expect_str_eq(r.reason, "");

	c.section = CTM_SECTION_EXCLUSION;
	c.text = "Prior cetuximab or panitumumab";
	cr_assert_eq(ctm_criteria_explain(ctx, &c, &r, &err), 0);
	cr_assert_eq(r.n_tags, 2);
	cr_expect_str_eq(r.tags[0].text, "cetuximab");
	cr_expect_str_eq(ctm_lexicon_name(lx, r.tags[1].concept),
			 "panitumumab");
	cr_expect_eq(ctm_lexicon_type(lx, r.tags[1].concept), CTM_CT_DRUG);
	cr_expect_str_eq(ctm_concept_type_name(CTM_CT_DRUG), "drug");
	cr_assert_eq(r.n_frames, 1);
	cr_expect_str_eq(r.frames[0], "therapy");
	cr_expect_str_eq(r.unread, "");
	cr_expect_str_eq(r.reason, "");

	/* nothing read: every word unread, and why */
	c.text = "Willing to keep a daily diary";
	c.structured = true; /* as if stored so */
	c.n_expr = 7;
	cr_assert_eq(ctm_criteria_explain(ctx, &c, &r, &err), 0);
	cr_expect_eq(r.n_frames, 0);
	cr_expect_str_eq(r.unread, "willing keep daily diary");
	cr_expect_str_eq(r.reason, "nothing understood");
	/* and the criterion itself is not changed */
	cr_expect(c.structured);
	cr_expect_eq(c.n_expr, 7);
	ctm_arena_free(a);
}
