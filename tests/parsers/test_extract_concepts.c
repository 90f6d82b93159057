/*
 * test_extract_concepts.c - the concept-first reading of issue #10: the
 * deciding fact read through the qualifiers that wrap it, exceptions that
 * narrow, sentences read in part, and cohort labels.
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h; "(unread)" is a
 * part not read (always unknown), "review" a sentence that must stay
 * unread because what is not read could change the outcome. The sentences
 * are ours, written in the registry's style for several cancers; the
 * expected values were written from what each sentence means.
 */
#include "extract_rows.h"

/* ---- qualifiers that never change the fact ------------------------- */
static const row qualifiers[] = {
	/* where and how a variant was found */
	{I, NULL,
	 "Documented KRAS G12C mutation detected in tumour tissue or "
	 "circulating tumour deoxyribonucleic acid (DNA)",
	 "KRAS G12C mutation"},
	{I, NULL,
	 "Participants must have disease with evidence of a BRAF V600E "
	 "mutation in tumor tissue or circulating tumor deoxyribonucleic acid "
	 "(DNA).",
	 "BRAF V600E mutation"},
	{I, NULL, "Confirmed NRAS mutation, any variant", "NRAS mutated"},
	{I, NULL, "KRAS mutation (any type)", "KRAS mutated"},
	{E, NULL, "Known KRAS mutation of any subtype", "NOT KRAS mutated"},
	/* the response criteria named for measurable disease */
	{I, NULL,
	 "Measurable disease per Response Evaluation Criteria in Solid "
	 "Tumors (RECIST) version 1.1 at baseline",
	 "measurable disease"},
	{I, NULL,
	 "Measurable disease per Response Evaluation in Solid Tumors (RECIST) "
	 "v1.1 at baseline.",
	 "measurable disease"},
	{I, NULL, "At least one measurable lesion as defined by RECIST v1.1",
	 "measurable disease"},
	{I, NULL, "Measurable disease at screening", "measurable disease"},
	{I, NULL, "Measurable disease as assessed by RECIST 1.1 criteria",
	 "measurable disease"},
	/* the limit restated in words */
	{I, NULL, "Total bilirubin ≤ 1.5 × ULN (upper limit of normal)",
	 "bilirubin <= 1.5 x ULN"},
	{I, NULL,
	 "Total bilirubin =\\< 1.5 x ULN (institutional upper limit of "
	 "normal)",
	 "bilirubin <= 1.5 x ULN"},
	/* "sites of disease" says no more than "disease" */
	{E, NULL, "Patient has known metastatic sites of disease.",
	 "NOT metastatic"},
	{I, NULL, "Distant sites of disease must be present",
	 "review"},
	/* when the evidence was seen */
	{I, NULL,
	 "No preoperative or intraoperative evidence of extrahepatic "
	 "metastasis",
	 "NOT (metastatic AND NOT liver-only metastases)"},
	{I, NULL, "No intraoperative evidence of extrahepatic metastases",
	 "NOT (metastatic AND NOT liver-only metastases)"},
	/* where the diagnosis may be confirmed */
	{I, NULL,
	 "Histologically confirmed colorectal adenocarcinoma; confirmation "
	 "may be from either the primary tumour or a metastasis",
	 "diagnosis colorectal adenocarcinoma"},
	/* near-misses: a qualifier that changes the fact stays */
	{I, NULL, "Measurable disease at baseline unless irradiated",
	 "review"},
	{E, NULL, "Metastatic disease at baseline that is not resectable",
	 "NOT (metastatic AND NOT resectable)"},
};

TestSuite(extract_concepts, .init = setup, .fini = teardown);

Test(extract_concepts, qualifiers)
{
	check_rows(ROWS(qualifiers));
}

/* ---- sentences read in part ---------------------------------------- */
static const row partial_sentences[] = {
	{I, NULL,
	 "Patients must have metastatic colorectal cancer that has been "
	 "histologically confirmed; confirmation may be from either the "
	 "primary tumor or a metastasis; patients must have wild type KRAS",
	 "diagnosis colorectal cancer AND metastatic AND KRAS wild-type"},
	{I, NULL,
	 "Metastatic gastric adenocarcinoma. Tumour tissue must be available "
	 "for central testing",
	 "diagnosis gastric cancer AND metastatic AND (unread)"},
	{E, NULL,
	 "Prior treatment with a KRAS G12C inhibitor. Participants must "
	 "provide archival tissue",
	 "NOT prior KRAS G12C inhibitor AND (unread)"},
	{I, NULL, "ECOG 0 or 1; able to swallow tablets",
	 "ECOG 0-1 AND (unread)"},
	/* a life expectancy is a condition no profile holds */
	{I, NULL, "ECOG 0 or 1; life expectancy of at least 12 weeks",
	 "ECOG 0-1 AND condition adequate life expectancy"},
	/* a condition, a permission or a subgroup in the unread sentence
	 * may widen what is read: review */
	{I, NULL,
	 "AST and ALT <= 2.5 x ULN; if liver metastases are present, AST and "
	 "ALT <= 5 x ULN",
	 "review"},
	{E, NULL,
	 "Brain metastases. Patients with treated, stable brain metastases "
	 "are eligible",
	 "NOT active brain metastases"},
	{E, NULL,
	 "Peritoneal metastases. Patients with peritoneal disease limited to "
	 "the ovaries may be eligible",
	 "review"},
	{I, NULL,
	 "Prior oxaliplatin. Intolerance to oxaliplatin is accepted in place "
	 "of progression",
	 "review"},
	{I, NULL, "ECOG 0-1; ECOG 2 allowed at the investigator's discretion",
	 "review"},
	{I, NULL,
	 "Measurable disease per RECIST 1.1. Subjects with only "
	 "non-measurable disease may enrol in Part A",
	 "review"},
	/* nothing read at all stays review */
	{I, NULL, "Able to swallow tablets. Willing to attend visits",
	 "review"},
};

Test(extract_concepts, partial_sentences)
{
	check_rows(ROWS(partial_sentences));
}

/* ---- judgements, sites and the primary they come from --------------- */
static const row sites_and_resection[] = {
	{I, NULL, "Diagnosis of potentially resectable colorectal liver metastases",
	 "diagnosis colorectal cancer AND resectable AND liver metastases"},
	{I, NULL,
	 "Diagnosis of potentially resectable colorectal liver metastases that "
	 "meets one of the following criteria:",
	 "diagnosis colorectal cancer AND resectable AND liver metastases"},
	{I, NULL, "Gastric peritoneal metastases amenable to complete cytoreduction",
	 "diagnosis gastric cancer AND peritoneum metastases AND resectable"},
	{I, NULL,
	 "Histologically proven peritoneal cancer that is amenable to total "
	 "resection",
	 "peritoneum metastases AND resectable"},
	{I, NULL, "Peritoneal carcinomatosis amenable to complete cytoreduction",
	 "peritoneum metastases AND resectable"},
	/* primary peritoneal cancer is a disease, not a site */
	{I, NULL, "Primary peritoneal cancer", "diagnosis ovarian cancer"},
	{I, NULL, "Potentially curable disease", "review"},
	/* how the diagnosis was proven is dropped, the diagnosis stays */
	{I, NULL,
	 "Histologically or cytologically confirmed metastatic colorectal "
	 "adenocarcinoma",
	 "diagnosis colorectal adenocarcinoma AND metastatic"},
	{I, NULL, "Pathologically documented pancreatic ductal adenocarcinoma",
	 "diagnosis pancreatic cancer"},
};

/* ---- run-on sentences of the PDQ era -------------------------------- */
static const row runons[] = {
	{U, NULL,
	 "Histologically proven peritoneal cancer that is amenable to total "
	 "resection Originated as colorectal adenocarcinoma or cancer of the "
	 "appendix",
	 "peritoneum metastases AND resectable AND (unread)"},
	{U, NULL,
	 "Measurable disease Patients must have received one prior "
	 "fluoropyrimidine-based regimen",
	 "measurable disease AND prior fluoropyrimidine"},
	{U, NULL, "Zubrod 0-1 No known brain metastases",
	 "ECOG 0-1 AND NOT brain metastases"},
	/* a title-case name is not two sentences */
	{I, NULL,
	 "Measurable disease per Response Evaluation Criteria in Solid Tumors",
	 "measurable disease"},
	/* a capital after a colon or a comma is not a new sentence */
	{U, NULL, "Performance status: No more than 2", "ECOG 0-2"},
	/* a condition in the run-on sentence keeps it all review */
	{U, NULL,
	 "Bilirubin no greater than 1.5 mg/dL No liver metastases unless "
	 "resected",
	 "review"},
};

Test(extract_concepts, sites_and_resection)
{
	check_rows(ROWS(sites_and_resection));
}

Test(extract_concepts, runons)
{
	check_rows(ROWS(runons));
}

/* ---- exceptions narrow, never widen --------------------------------- */
static const row exceptions[] = {
	/* the exception names a kind of one item: only that item narrows */
	{E, NULL,
	 "Any prior receipt of oxaliplatin or fluoropyrimidine chemotherapy "
	 "(other than radiation-sensitizing fluoropyrimidine chemotherapy)",
	 "NOT (prior oxaliplatin OR (prior fluoropyrimidine AND (unread)))"},
	{E, NULL, "Prior anti-EGFR therapy except cetuximab",
	 "NOT (prior anti-EGFR AND (unread))"},
	{E, NULL,
	 "Prior irinotecan or anti-VEGF therapy (except bevacizumab)",
	 "NOT (prior irinotecan OR (prior anti-VEGF AND (unread)))"},
	{I, NULL, "No prior chemotherapy except adjuvant FOLFOX",
	 "NOT (prior chemotherapy AND (unread))"},
	{I, NULL,
	 "No prior systemic therapy, with the exception of adjuvant "
	 "capecitabine",
	 "NOT (prior systemic therapy AND (unread))"},
	/* names none of the items: the whole clause narrows */
	{E, NULL,
	 "Prior treatment with irinotecan or oxaliplatin, other than in the "
	 "adjuvant setting",
	 "NOT ((prior irinotecan OR prior oxaliplatin) AND (unread))"},
	{E, NULL, "Prior radiotherapy excluding palliative radiotherapy to bone",
	 "NOT (prior radiation AND (unread))"},
	/* near-misses: an exception to something denied inside the clause,
	 * or a parenthesis left open, stays review */
	{E, NULL, "Prior oxaliplatin (other than adjuvant", "review"},
	{I, NULL, "No other malignancy except basal cell carcinoma", "NOT condition second malignancy"},
};

Test(extract_concepts, exceptions)
{
	check_rows(ROWS(exceptions));
}

/* ---- a label of cancers binds only those patients ------------------- */
static const row labels[] = {
	{I, NULL,
	 "PDAC, CRC, Other tumor types: Confirmed KRAS mutation, any variant",
	 "KRAS mutated"},
	{I, NULL, "Colorectal cancer: ECOG 0-1",
	 "NOT diagnosis colorectal cancer OR ECOG 0-1"},
	{E, NULL, "Pancreatic cancer: prior gemcitabine",
	 "NOT diagnosis pancreatic cancer OR NOT prior gemcitabine"},
	{I, NULL, "Colorectal or gastric cancer: HER2 amplified",
	 "NOT (diagnosis colorectal cancer OR diagnosis gastric cancer) OR "
	 "ERBB2 amplified"},
	{I, NULL, "NSCLC and all other tumours: measurable disease",
	 "measurable disease"},
	/* a label naming a line, a part or an arm may have sibling
	 * cohorts: review */
	{I, NULL,
	 "CRC (2-3L): Participants must have had one or two prior systemic "
	 "treatment regimens for mCRC.",
	 "review"},
	{I, NULL, "Cohort B: KRAS G12C mutation", "review"},
	{I, NULL, "Part 2 only: ECOG 0-1", "review"},
	/* a label that is not a cancer is no label */
	{I, NULL, "Liver metastases: ECOG 0-1", "review"},
};

Test(extract_concepts, labels)
{
	check_rows(ROWS(labels));
}

/*
 * Items of the PDQ era run together under "Must have 1 of the
 * following:": each piece is an alternative, so the intro becomes their
 * OR. Checked through the whole trial parse (segmenter, then reader).
 */
static void parse_text(const char *text, char want[][200], size_t nwant)
{
	ctm_trial *t = ctm_trial_new();
	ctm_error err = {0};
	size_t i;

	cr_assert(t);
	t->criteria_text = (char *)text;
	cr_assert_eq(ctm_criteria_parse(ctx, t, &err), 0, "%s", err.message);
	cr_assert_geq(t->n_criteria, nwant);
	for (i = 0; i < nwant; i++) {
		char got[1024];
		ctm_criterion_format(&t->criteria[i], lx, got, sizeof(got));
		cr_expect_str_eq(got, want[i], "criterion %zu: %s\n got: %s", i,
				 t->criteria[i].text, got);
	}
	t->criteria_text = NULL;
	ctm_trial_free(t);
}

Test(extract_concepts, runon_alternatives)
{
	char want[][200] = {
		"diagnosis colorectal cancer",
		"prior irinotecan [progressed] OR prior oxaliplatin [progressed]",
		/* the pieces are alternatives, never all required */
		"review",
	};
	parse_text("DISEASE CHARACTERISTICS: Histologically proven colorectal "
		   "carcinoma\n"
		   "Must have 1 of the following: Disease progression after "
		   "irinotecan Disease progression after oxaliplatin\n",
		   want, 3);
}

/* ---- more qualifiers: assays, scales, windows, evidence ------------- */
static const row more_qualifiers[] = {
	{I, NULL,
	 "Patients must have a histologically proven Her2 overexpressing "
	 "malignancy as determined by any standardized assay currently in "
	 "clinical use",
	 "ERBB2 overexpressed AND diagnosis cancer"},
	{I, NULL,
	 "BRAF V600E mutation as detected by a validated PCR or NGS assay",
	 "BRAF V600E mutation"},
	{I, NULL, "MSI-high as determined by local laboratory testing",
	 "MSI high"},
	{I, NULL, "Has site measurable per RECIST 1.1", "measurable disease"},
	{I, NULL, "At least one measurable site of disease",
	 "measurable disease"},
	{I, NULL,
	 "Have a performance status of 0 or 1 on the Eastern Cooperative "
	 "Oncology Group (ECOG) Performance scale within 7 days prior to "
	 "allocation",
	 "ECOG 0-1"},
	{I, NULL, "ANC >= 1.5 x 10^9/L within 14 days before registration",
	 "ANC >= 1.5 x10^9/L"},
	{I, NULL, "Platelets >= 100,000/mm3 within 7 days of the first dose",
	 "platelets >= 100 x10^9/L"},
	/* a window after a therapy is the fact itself */
	{E, NULL, "Prior radiotherapy within 14 days before registration",
	 "NOT prior radiation [within 14 days]"},
	/* a window that goes on into a condition stays review */
	{I, NULL, "ECOG 0-1 within 7 days prior to allocation unless approved",
	 "review"},
	{I, NULL,
	 "The patient must have failed standard curative and/or palliative "
	 "therapies for their disease",
	 "prior therapy of any kind [progressed] AND (unread)"},
	{U, NULL,
	 "Disease progression at any time after receiving an irinotecan "
	 "containing regimen",
	 "prior irinotecan [progressed]"},
	{I, NULL, "Progression following treatment with oxaliplatin",
	 "prior oxaliplatin [progressed]"},
	{I, NULL,
	 "No preoperative or intraoperative evidence of extrahepatic "
	 "metastasis including clinical, radiographic, gross or microscopic "
	 "evidence",
	 "NOT (metastatic AND NOT liver-only metastases)"},
};

Test(extract_concepts, more_qualifiers)
{
	check_rows(ROWS(more_qualifiers));
}

/* ---- a denied list with an item not read ---------------------------- */
static const row denied_lists[] = {
	{I, NULL, "No local recurrence or extrahepatic metastases",
	 "NOT ((unread) OR (metastatic AND NOT liver-only metastases))"},
	{I, NULL, "No locoregional relapse or lung metastases",
	 "NOT ((unread) OR lung metastases)"},
	/* ascites is a condition: read, and unknown */
	{I, NULL, "No ascites or extrahepatic metastases",
	 "NOT (condition ascites OR (metastatic AND NOT liver-only "
	 "metastases))"},
	/* an adjective alone, or one that may reach the other items */
	{I, NULL, "No local or extrahepatic metastases", "review"},
	{I, NULL, "No active infection or brain metastases", "review"},
	{I, NULL, "No recent surgery or radiotherapy", "review"},
};

Test(extract_concepts, denied_lists)
{
	check_rows(ROWS(denied_lists));
}

/* ---- lines counted for a named disease ------------------------------ */
static const row lines_for_disease[] = {
	/* a bound that admits none holds for a patient without the disease */
	{I, NULL,
	 "Must have received no more than 2 prior chemotherapy regimens for "
	 "the treatment of advanced colorectal cancer",
	 "NOT diagnosis colorectal cancer OR prior lines 0-2 [metastatic "
	 "setting]"},
	{I, NULL,
	 "Received no more than 1 prior chemotherapy regimen for metastatic "
	 "pancreatic adenocarcinoma",
	 "NOT diagnosis pancreatic cancer OR prior lines 0-1 [metastatic "
	 "setting]"},
	/* one that needs lines needs the disease too */
	{I, NULL,
	 "At least 2 prior lines of systemic therapy for metastatic "
	 "colorectal cancer",
	 "diagnosis colorectal cancer AND prior lines >= 2 [metastatic "
	 "setting]"},
	{I, NULL, "Must have received 1 or 2 prior regimens for advanced "
		  "gastric cancer",
	 "diagnosis gastric cancer AND prior lines 1-2 [metastatic setting]"},
	{E, NULL, "More than 3 prior lines of therapy for metastatic "
		  "colorectal cancer",
	 "NOT (diagnosis colorectal cancer AND prior lines >= 4 [metastatic "
	 "setting])"},
	{E, NULL, "Received more than 2 prior regimens for advanced "
		  "non-small cell lung cancer",
	 "NOT (diagnosis non-small cell lung cancer AND prior lines >= 3 "
	 "[metastatic setting])"},
	/* no disease named: the count alone */
	{I, NULL, "At least 1 prior line of therapy for metastatic disease",
	 "prior lines >= 1 [metastatic setting]"},
	/* a list of diseases the count would hold only the first of */
	{I, NULL, "Prior treatment with at least 2 lines for metastatic "
		  "colorectal or gastric cancer",
	 "review"},
};

Test(extract_concepts, lines_for_disease)
{
	check_rows(ROWS(lines_for_disease));
}

/* ---- "and either": alternatives the reader cannot read --------------- */
static const row and_either[] = {
	/* read whole when the alternatives read */
	{I, NULL, "Must have ECOG 0-1 and either progressive disease or "
		  "intolerance to prior oxaliplatin",
	 "ECOG 0-1 AND prior oxaliplatin [progressed or intolerant]"},
	{I, NULL, "Measurable disease and either progression or intolerance "
		  "to fluoropyrimidine",
	 "measurable disease AND prior fluoropyrimidine [progressed or "
	 "intolerant]"},
	{I, NULL, "Either KRAS or NRAS mutation",
	 "KRAS mutated OR NRAS mutated"},
	/* else what is before 'either' and an unread conjunct */
	{I, NULL, "Disease progression after oxaliplatin-based chemotherapy "
		  "and either refused or were ineligible for irinotecan",
	 "prior oxaliplatin [progressed] AND (unread)"},
	/* an unread clause that may reach the list before it */
	{I, NULL, "Progressed on 1 prior regimen for metastatic CRC and "
		  "either are not candidates for standard therapy or decline "
		  "it",
	 "review"},
};

Test(extract_concepts, and_either)
{
	check_rows(ROWS(and_either));
}

/* ---- therapies named by target, setting, combination ----------------- */
static const row therapy_names[] = {
	/* agents named by their target are that target's class */
	{I, NULL, "No prior agents targeting VEGF or EGFR",
	 "NOT (prior anti-VEGF OR prior anti-EGFR)"},
	{I, NULL, "No prior therapy targeting EGFR", "NOT prior anti-EGFR"},
	{E, NULL, "Prior treatment with agents directed against VEGF",
	 "NOT prior anti-VEGF"},
	/* and an exception narrows the class it names a kind of */
	{I, NULL,
	 "Patients must have no history of prior treatment with cetuximab or "
	 "other agents targeting VEGF or EGFR (except for bevacizumab)",
	 "NOT (prior cetuximab OR (prior anti-VEGF AND (unread)) OR prior "
	 "anti-EGFR)"},
	/* a setting naming both early and late restricts nothing */
	{I, NULL,
	 "Patients must not have received prior treatment with irinotecan "
	 "(either as adjuvant or metastatic treatment)",
	 "NOT prior irinotecan"},
	{E, NULL, "Prior oxaliplatin (in the metastatic or adjuvant setting)",
	 "NOT prior oxaliplatin"},
	/* one setting is the fact */
	{E, NULL, "Prior oxaliplatin (in the adjuvant setting)", "review"},
	/* "A plus either B, C or D" */
	{I, NULL, "Prior treatment with bevacizumab plus either FOLFOX or "
		  "FOLFIRI",
	 "prior bevacizumab AND (prior FOLFOX OR prior FOLFIRI)"},
	{E, NULL, "Prior chemotherapy with cetuximab plus either irinotecan "
		  "or oxaliplatin",
	 "NOT (prior cetuximab AND (prior irinotecan OR prior oxaliplatin))"},
	{I, NULL, "Prior FOLFOX plus either bevacizumab, cetuximab or "
		  "panitumumab",
	 "prior FOLFOX AND (prior bevacizumab OR prior cetuximab OR prior "
	 "panitumumab)"},
	/* OPTIMOX is a FOLFOX strategy */
	{I, NULL, "Progression on OPTIMOX", "prior FOLFOX [progressed]"},
};

Test(extract_concepts, therapy_names)
{
	check_rows(ROWS(therapy_names));
}

/* ---- a response to a therapy needs the therapy ----------------------- */
static const row responses[] = {
	{I, NULL, "Stable disease after receiving a minimum of 12 weeks of "
		  "irinotecan",
	 "prior irinotecan AND (unread)"},
	{I, NULL, "Stable disease or partial response after at least 12 "
		  "weeks of oxaliplatin-based chemotherapy",
	 "prior oxaliplatin AND (unread)"},
	{I, NULL, "Responded to irinotecan", "prior irinotecan AND (unread)"},
	{I, NULL, "Responsive or stable disease to most recent prior FOLFIRI",
	 "prior FOLFIRI AND (unread)"},
	/* denied, the therapy would be waived */
	{I, NULL, "No complete response after 12 weeks of initial FOLFOX",
	 "review"},
};

Test(extract_concepts, responses)
{
	check_rows(ROWS(responses));
}

/* ---- a permission for treated brain metastases ---------------------- */
static const row brain_permissions[] = {
	{E, NULL,
	 "Untreated central nervous system (CNS) disease. Patients with "
	 "leptomeningeal disease are ineligible but patients with treated, "
	 "stable CNS metastasis for at least 4 weeks are allowed to "
	 "participate",
	 "NOT active brain metastases AND NOT leptomeninges metastases"},
	{E, NULL, "Brain metastases. Patients with treated, stable brain "
		  "metastases may participate",
	 "NOT active brain metastases"},
	{E, NULL, "Known brain metastases or carcinomatous meningitis. "
		  "Patients with treated brain metastases are eligible if "
		  "stable",
	 "NOT (active brain metastases OR leptomeninges metastases)"},
	/* a whole exclusion that permits the treated ones bars the others */
	{E, NULL, "Known history of CNS metastasis allowed if patients have "
		  "had treatment, are neurologically stable",
	 "NOT active brain metastases"},
	/* nothing to narrow, or an inclusion: review */
	{E, NULL, "Patients with leptomeningeal disease are ineligible but "
		  "patients with treated, stable CNS metastasis for at least 4 "
		  "weeks are allowed to participate",
	 "review"},
	{I, NULL, "Brain metastases. Patients with treated, stable brain "
		  "metastases may participate",
	 "review"},
	{E, NULL, "Treated brain metastases", "review"},
};

Test(extract_concepts, brain_permissions)
{
	check_rows(ROWS(brain_permissions));
}

/* ---- conditions other than the cancer: read, and unknown -------------- */
static const row conditions[] = {
	/* moved from the review table: a profile holds none of them, so they
	 * read as constraints that are unknown and shown to be checked */
	{E, NULL, "History of interstitial lung disease or pneumonitis",
	 "NOT (condition interstitial lung disease OR condition pneumonitis)"},
	{E, NULL, "Known HIV infection", "NOT condition HIV infection"},
	{E, NULL, "Uncontrolled hypertension",
	 "NOT condition active hypertension"},
	{E, NULL, "Clinically significant cardiovascular disease",
	 "NOT condition cardiovascular disease"},
	{E, NULL, "Evidence of active infection requiring systemic therapy",
	 "NOT condition active infection"},
	{E, NULL, "Active hepatitis B or hepatitis C infection",
	 "NOT (condition active hepatitis B OR condition active hepatitis C)"},
	{E, NULL, "Known history of HIV, hepatitis B or hepatitis C",
	 "NOT (condition HIV infection OR condition hepatitis B OR condition "
	 "hepatitis C)"},
	/* a qualifier of the first of three items is its own */
	{E, NULL, "Symptomatic congestive heart failure, unstable angina "
		  "pectoris, or cardiac arrhythmia",
	 "NOT (condition active heart failure OR condition active angina OR "
	 "condition arrhythmia)"},
	{E, NULL, "Myocardial infarction within 6 months prior to enrollment",
	 "NOT condition myocardial infarction"},
	/* an allergy to a drug is not a prior treatment with it */
	{E, NULL, "Known allergy to oxaliplatin",
	 "NOT condition hypersensitivity"},
	{E, NULL, "Known hypersensitivity to any of the study drugs or its "
		  "excipients",
	 "NOT condition hypersensitivity"},
	{E, NULL, "Active autoimmune disease that has required systemic "
		  "treatment in the past 2 years",
	 "NOT condition active autoimmune disease"},
	{E, NULL, "Bowel obstruction", "NOT condition bowel obstruction"},
	{E, NULL, "Brain metastases or active infection",
	 "NOT (brain metastases OR condition active infection)"},
	/* near-misses: a leading qualifier that may reach the next item */
	{E, NULL, "Active infection, brain metastases", "review"},
	{I, NULL, "No active infection or brain metastases", "review"},
};

Test(extract_concepts, conditions)
{
	check_rows(ROWS(conditions));
}

/* ---- negative tests, illness in general ------------------------------ */
static const row negatives[] = {
	{I, NULL, "HIV negative", "NOT condition HIV infection"},
	/* "B and C" is hepatitis B and hepatitis C: the negation reaches
	 * both */
	{I, NULL, "Hepatitis B and C negative",
	 "NOT (condition hepatitis B OR condition hepatitis C)"},
	{I, NULL, "Negative pregnancy test", "NOT pregnant"},
	{I, NULL, "negative serum pregnancy test within 7 days",
	 "NOT pregnant"},
	{I, NULL, "Women of childbearing potential must have a negative serum "
		  "pregnancy test within 72 hours prior to the first dose",
	 "NOT pregnant"},
	{I, NULL, "No other serious intercurrent illnesses",
	 "NOT condition intercurrent illness"},
	{I, NULL, "No other acute medical illness.",
	 "NOT condition intercurrent illness"},
	{I, NULL, "No history of uncontrolled alcohol or drug abuse",
	 "NOT condition active substance abuse"},
	{E, NULL, "Other concurrent chemotherapy", "NOT current chemotherapy"},
};

Test(extract_concepts, negatives)
{
	check_rows(ROWS(negatives));
}

/* ---- drugs of other cancers and medicines beyond cancer -------------- */
static const row more_drugs[] = {
	{I, NULL, "No prior interferon alfa", "NOT prior interferon"},
	{E, NULL, "Prior treatment with azacitidine or decitabine",
	 "NOT (prior azacitidine OR prior decitabine)"},
	{E, NULL, "Concurrent use of strong CYP3A4 inhibitors",
	 "NOT current strong CYP3A4 inhibitor"},
	{I, NULL, "No prior cytarabine or other conventional chemotherapy "
		  "agents",
	 "NOT (prior cytarabine OR prior chemotherapy)"},
	{E, NULL, "Prior treatment with imatinib or dasatinib",
	 "NOT (prior imatinib OR prior dasatinib)"},
	{E, NULL, "Prior lenalidomide", "NOT prior lenalidomide"},
	{I, NULL, "Must have received prior tamoxifen or an aromatase "
		  "inhibitor",
	 "prior tamoxifen OR prior aromatase inhibitor"},
	{E, NULL, "Current treatment with warfarin",
	 "NOT current warfarin"},
	/* "vascular endothelial growth factor" is not a growth factor drug */
	{E, NULL, "Prior agents targeting vascular endothelial growth factor",
	 "review"},
};

Test(extract_concepts, more_drugs)
{
	check_rows(ROWS(more_drugs));
}

/* ---- life expectancy, Karnofsky as a percentage, evaluable disease --- */
static const row estimates[] = {
	{I, NULL, "Life expectancy of at least 12 weeks",
	 "condition adequate life expectancy"},
	{U, NULL, "Life expectancy: At least 12 weeks",
	 "condition adequate life expectancy"},
	{I, NULL, "Life expectancy > 3 months and ECOG 0-1",
	 "condition adequate life expectancy AND ECOG 0-1"},
	/* a short life expectancy barred: not rewritten, stays review */
	{E, NULL, "Life expectancy less than 3 months", "review"},
	{I, NULL, "Karnofsky 70%-100%", "Karnofsky >= 70"},
	{I, NULL, "KPS >= 60%", "Karnofsky >= 60"},
	{I, NULL, "Karnofsky performance status of at least 70% or ECOG 0-1",
	 "Karnofsky >= 70 OR ECOG 0-1"},
	{I, NULL, "Measurable or evaluable disease",
	 "measurable disease OR (unread)"},
	{I, NULL, "Patients must have measurable or evaluable disease",
	 "measurable disease OR (unread)"},
};

Test(extract_concepts, estimates)
{
	check_rows(ROWS(estimates));
}

/* ---- how a condition is known, its grade, what it needs -------------- */
static const row condition_tails[] = {
	{E, NULL, "Known seropositive for hepatitis B surface antigen",
	 "NOT condition hepatitis B"},
	{E, NULL, "Known seropositive for hepatitis C antibody",
	 "NOT condition hepatitis C"},
	{E, NULL, "Known to be HIV positive", "NOT condition HIV infection"},
	{E, NULL, "Active infection requiring parenteral antibiotics",
	 "NOT condition active infection"},
	{E, NULL, "Hypertension >= grade 3 despite treatment",
	 "NOT condition hypertension"},
	/* "no X" in an exclusion stays a double negative */
	{E, NULL, "No peripheral neuropathy > grade 1",
	 "condition peripheral neuropathy"},
};

Test(extract_concepts, condition_tails)
{
	check_rows(ROWS(condition_tails));
}

/* ---- criteria as registries write them, one frame each, with near-misses
 * that must stay review ------------------------------------------------ */
static const row common_criteria[] = {
	{I, NULL,
	 "ECOG performance status of 0, 1 or 2",
	 "ECOG 0-2"},
	{I, NULL,
	 "Eastern Cooperative Oncology Group performance status ≤ 1",
	 "ECOG 0-1"},
	{I, NULL,
	 "WHO performance status 0-1",
	 "ECOG 0-1"},
	{E, NULL,
	 "ECOG performance status of 3 or higher",
	 "NOT ECOG >= 3"},
	{I, NULL,
	 "Karnofsky performance status ≥ 80",
	 "Karnofsky >= 80"},
	{I, NULL,
	 "Age ≥ 20 years",
	 "age >= 20"},
	{I, NULL,
	 "Aged 18 to 75 years",
	 "age 18-75"},
	{I, NULL,
	 "Absolute neutrophil count ≥ 1.5 × 10^9/L",
	 "ANC >= 1.5 x10^9/L"},
	{I, NULL,
	 "Platelets ≥ 100,000/mm3",
	 "platelets >= 100 x10^9/L"},
	{I, NULL,
	 "Hemoglobin ≥ 9 g/dL",
	 "hemoglobin >= 9 g/dL"},
	{I, NULL,
	 "Total bilirubin ≤ 1.5 × ULN",
	 "bilirubin <= 1.5 x ULN"},
	{I, NULL,
	 "AST and ALT ≤ 2.5 × ULN (≤ 5 × ULN in patients with liver "
	 "metastases)",
	 "AST <= 2.5 x ULN (<= 5 x ULN with liver metastases) AND ALT "
	 "<= 2.5 x ULN (<= 5 x ULN with liver metastases)"},
	{I, NULL,
	 "Creatinine clearance ≥ 50 mL/min",
	 "creatinine clearance >= 50 mL/min"},
	{I, NULL,
	 "Histologically confirmed metastatic colorectal "
	 "adenocarcinoma",
	 "diagnosis colorectal adenocarcinoma AND metastatic"},
	{I, NULL,
	 "Histologically or cytologically confirmed adenocarcinoma of "
	 "the colon or rectum",
	 "diagnosis colorectal cancer"},
	{I, NULL,
	 "Stage IV colorectal cancer",
	 "diagnosis colorectal cancer AND stage IV"},
	{E, NULL,
	 "Known BRAF V600E mutation",
	 "NOT BRAF V600E mutation"},
	{I, NULL,
	 "RAS wild-type (KRAS and NRAS exons 2, 3 and 4)",
	 "KRAS wild-type AND NRAS wild-type"},
	{I, NULL,
	 "KRAS G12C mutation",
	 "KRAS G12C mutation"},
	{I, NULL,
	 "Microsatellite instability-high (MSI-H) or mismatch repair "
	 "deficient (dMMR) tumour",
	 "MSI high"},
	{E, NULL,
	 "MSI-H or dMMR disease",
	 "NOT MSI high"},
	{I, NULL,
	 "HER2-positive disease",
	 "ERBB2 amplified"},
	{I, NULL,
	 "HER2 amplification confirmed by a central laboratory",
	 "ERBB2 amplified"},
	{E, NULL,
	 "Prior treatment with a KRAS G12C inhibitor",
	 "NOT prior KRAS G12C inhibitor"},
	{E, NULL,
	 "Prior treatment with an anti-PD-1 or anti-PD-L1 antibody",
	 "NOT prior anti-PD-(L)1"},
	{I, NULL,
	 "Prior treatment with fluoropyrimidine, oxaliplatin and "
	 "irinotecan",
	 "prior fluoropyrimidine AND prior oxaliplatin AND prior "
	 "irinotecan"},
	{I, NULL,
	 "Progression on or intolerance to oxaliplatin-based "
	 "chemotherapy",
	 "prior oxaliplatin [progressed or intolerant]"},
	{I, NULL,
	 "Received at least two prior lines of systemic therapy for "
	 "metastatic disease",
	 "prior lines >= 2 [metastatic setting]"},
	{I, NULL,
	 "No more than 2 prior lines of therapy for metastatic disease",
	 "prior lines 0-2 [metastatic setting]"},
	{I, NULL,
	 "No prior systemic therapy for metastatic disease",
	 "prior lines 0 [metastatic setting]"},
	{E, NULL,
	 "Prior regorafenib or trifluridine/tipiracil",
	 "NOT (prior regorafenib OR prior trifluridine-tipiracil)"},
	{E, NULL,
	 "Radiotherapy within 14 days before the first dose",
	 "NOT prior radiation [within 14 days]"},
	{E, NULL,
	 "Major surgery within 28 days prior to enrollment",
	 "NOT prior major surgery [within 28 days]"},
	{E, NULL,
	 "Chemotherapy within 3 weeks before the first dose of study "
	 "drug",
	 "NOT prior chemotherapy [within 21 days]"},
	{I, NULL,
	 "Liver-only metastases",
	 "liver-only metastases"},
	{I, NULL,
	 "Metastatic disease confined to the liver",
	 "liver-only metastases"},
	{E, NULL,
	 "Extrahepatic metastases",
	 "NOT (metastatic AND NOT liver-only metastases)"},
	{I, NULL,
	 "Unresectable liver metastases",
	 "NOT resectable AND liver metastases"},
	{I, NULL,
	 "Resectable liver metastases",
	 "resectable AND liver metastases"},
	{E, NULL,
	 "Peritoneal carcinomatosis",
	 "NOT peritoneum metastases"},
	{I, NULL,
	 "Measurable disease per RECIST v1.1",
	 "measurable disease"},
	{E, NULL,
	 "Symptomatic or untreated brain metastases",
	 "review"},
	{E, NULL,
	 "Known leptomeningeal disease",
	 "NOT leptomeninges metastases"},
	{E, NULL,
	 "Active brain metastases or carcinomatous meningitis",
	 "NOT (active brain metastases OR leptomeninges metastases)"},
	{E, NULL,
	 "Pregnant or breastfeeding women",
	 "NOT (pregnant OR breastfeeding)"},
	{I, NULL,
	 "Male or female patients aged 18 years or older",
	 "age >= 18"},
	{E, NULL,
	 "Known active hepatitis B or C",
	 "NOT (condition active hepatitis B OR condition active hepatitis C)"},
	{E, NULL,
	 "Uncontrolled hypertension despite medical management",
	 "NOT condition active hypertension"},
	{E, NULL,
	 "Clinically significant cardiovascular disease, including "
	 "myocardial infarction within 6 months",
	 "NOT condition cardiovascular disease"},
	{E, NULL,
	 "History of interstitial lung disease",
	 "NOT condition interstitial lung disease"},
	{E, NULL,
	 "Active autoimmune disease requiring systemic treatment "
	 "within the past 2 years",
	 "NOT condition active autoimmune disease"},
	{E, NULL,
	 "Known hypersensitivity to cetuximab",
	 "NOT condition hypersensitivity"},
	{E, NULL,
	 "Known dihydropyrimidine dehydrogenase deficiency",
	 "NOT condition DPD deficiency"},
	{E, NULL,
	 "Concurrent treatment with strong CYP3A4 inducers",
	 "NOT current strong CYP3A4 inducer"},
	{E, NULL,
	 "Current therapeutic anticoagulation",
	 "NOT current anticoagulant"},
	{E, NULL,
	 "Active tuberculosis",
	 "NOT condition active tuberculosis"},
	{E, NULL,
	 "Bowel obstruction within 3 months",
	 "NOT condition bowel obstruction"},
	{E, NULL,
	 "Gastrointestinal perforation or fistula within 6 months",
	 "NOT (condition gastrointestinal perforation OR condition "
	 "fistula)"},
	{E, NULL,
	 "Other malignancy within 3 years, except adequately treated "
	 "basal cell carcinoma of the skin",
	 "NOT condition second malignancy"},
	{I, NULL,
	 "Prior bevacizumab is allowed",
	 "review"},
	{E, NULL,
	 "Prior anti-EGFR therapy",
	 "NOT prior anti-EGFR"},
	{I, NULL,
	 "Prior anti-EGFR therapy is required for RAS wild-type "
	 "patients",
	 "review"},
	{E, NULL,
	 "Prior hepatic arterial infusion therapy",
	 "NOT prior hepatic arterial infusion"},
	{E, NULL,
	 "Prior liver radioembolization",
	 "review"},
	{I, NULL,
	 "Prior resection of the primary tumour",
	 "prior primary tumour resection"},
	{I, NULL,
	 "Primary tumour in place",
	 "review"},
	{E, NULL,
	 "Known DPD deficiency",
	 "NOT condition DPD deficiency"},
	{I, NULL,
	 "Life expectancy ≥ 12 weeks",
	 "condition adequate life expectancy"},
	{I, NULL,
	 "BRAF V600E mutation confirmed by local testing",
	 "BRAF V600E mutation"},
	{I, NULL,
	 "Patients must have documented progression after oxaliplatin "
	 "and irinotecan",
	 "prior oxaliplatin [progressed] AND prior irinotecan "
	 "[progressed]"},
	{E, NULL,
	 "Patients who received more than 3 prior regimens for "
	 "metastatic disease",
	 "NOT prior lines >= 4 [metastatic setting]"},
	{E, NULL,
	 "Known allergy to contrast media",
	 "NOT condition hypersensitivity"},
	{E, NULL,
	 "Active infection requiring intravenous antibiotics",
	 "NOT condition active infection"},
	{E, NULL,
	 "Known HIV infection with detectable viral load",
	 "NOT (condition HIV infection AND (unread))"},
	{E, NULL,
	 "History of stroke or transient ischemic attack within 6 "
	 "months",
	 "NOT condition cerebrovascular disease"},
	{E, NULL,
	 "Deep vein thrombosis or pulmonary embolism within 3 months",
	 "NOT condition thromboembolism"},
	{E, NULL,
	 "Known peripheral neuropathy ≥ grade 2",
	 "NOT condition peripheral neuropathy"},
	{E, NULL,
	 "Uncontrolled diabetes mellitus",
	 "NOT condition active diabetes"},
};

Test(extract_concepts, common_criteria)
{
	check_rows(ROWS(common_criteria));
}

/* ---- short criteria of every kind, as colorectal trials list them ----- */
static const row short_criteria[] = {
	{I, NULL,
	 "ECOG PS 0-1",
	 "ECOG 0-1"},
	{I, NULL,
	 "Zubrod performance status 0-2",
	 "ECOG 0-2"},
	{E, NULL,
	 "ECOG ≥ 2",
	 "NOT ECOG >= 2"},
	{I, NULL,
	 "Neutrophils ≥ 1,500/μL",
	 "ANC >= 1.5 x10^9/L"},
	{I, NULL,
	 "Platelet count ≥ 75 × 10^9/L",
	 "platelets >= 75 x10^9/L"},
	{I, NULL,
	 "Haemoglobin ≥ 10 g/dL",
	 "hemoglobin >= 10 g/dL"},
	{I, NULL,
	 "Serum creatinine ≤ 1.5 mg/dL",
	 "creatinine <= 1.5 mg/dL"},
	{I, NULL,
	 "Bilirubin ≤ 1.5 times the upper limit of normal",
	 "bilirubin <= 1.5 x ULN"},
	{I, NULL,
	 "ALT ≤ 3 × ULN",
	 "ALT <= 3 x ULN"},
	{I, NULL,
	 "Albumin ≥ 3 g/dL",
	 "albumin >= 3 g/dL"},
	{I, NULL,
	 "Adults aged 18 years and older",
	 "age >= 18"},
	{I, NULL,
	 "Age between 18 and 70 years",
	 "age 18-70"},
	{I, NULL,
	 "Histologically proven colorectal adenocarcinoma",
	 "diagnosis colorectal adenocarcinoma"},
	{I, NULL,
	 "Metastatic colorectal cancer",
	 "diagnosis colorectal cancer AND metastatic"},
	{I, NULL,
	 "Unresectable metastatic colorectal cancer",
	 "diagnosis colorectal cancer AND NOT resectable AND "
	 "metastatic"},
	{I, NULL,
	 "Pathologically confirmed rectal adenocarcinoma",
	 "diagnosis rectal adenocarcinoma"},
	{I, NULL,
	 "Colon cancer",
	 "diagnosis colon cancer"},
	{E, NULL,
	 "Rectal cancer",
	 "NOT diagnosis rectal cancer"},
	{I, NULL,
	 "KRAS wild-type",
	 "KRAS wild-type"},
	{I, NULL,
	 "KRAS exon 2 wild-type",
	 "NOT KRAS exon 2 mutation"},
	{I, NULL,
	 "NRAS mutation",
	 "NRAS mutated"},
	{I, NULL,
	 "BRAF wild-type",
	 "BRAF wild-type"},
	{E, NULL,
	 "BRAF V600E mutant tumours",
	 "NOT BRAF V600E mutation"},
	{I, NULL,
	 "Microsatellite stable (MSS) disease",
	 "MSI stable"},
	{I, NULL,
	 "pMMR or MSS",
	 "MSI stable"},
	{E, NULL,
	 "Known MSI-high tumour",
	 "NOT MSI high"},
	{I, NULL,
	 "HER2 overexpression (IHC 3+)",
	 "ERBB2 overexpressed"},
	{I, NULL,
	 "Previously treated with oxaliplatin and irinotecan",
	 "prior oxaliplatin AND prior irinotecan"},
	{I, NULL,
	 "Prior treatment with a fluoropyrimidine",
	 "prior fluoropyrimidine"},
	{E, NULL,
	 "Prior oxaliplatin",
	 "NOT prior oxaliplatin"},
	{E, NULL,
	 "Previous treatment with irinotecan",
	 "NOT prior irinotecan"},
	{E, NULL,
	 "Prior treatment with cetuximab or panitumumab",
	 "NOT (prior cetuximab OR prior panitumumab)"},
	{E, NULL,
	 "Prior anti-VEGF therapy",
	 "NOT prior anti-VEGF"},
	{I, NULL,
	 "Prior bevacizumab",
	 "prior bevacizumab"},
	{E, NULL,
	 "Prior immune checkpoint inhibitor therapy",
	 "NOT prior checkpoint inhibitor"},
	{E, NULL,
	 "Prior trifluridine/tipiracil",
	 "NOT prior trifluridine-tipiracil"},
	{E, NULL,
	 "Prior treatment with regorafenib",
	 "NOT prior regorafenib"},
	{I, NULL,
	 "Refractory to standard chemotherapy",
	 "prior chemotherapy [refractory]"},
	{I, NULL,
	 "At least 1 prior line of systemic therapy",
	 "prior lines >= 1"},
	{I, NULL,
	 "Untreated metastatic colorectal cancer",
	 "prior lines 0 [metastatic setting] AND diagnosis colorectal "
	 "cancer AND metastatic"},
	{I, NULL,
	 "No prior chemotherapy for metastatic disease",
	 "NOT prior chemotherapy [metastatic setting]"},
	{E, NULL,
	 "More than one prior line of chemotherapy for metastatic "
	 "disease",
	 "NOT prior lines >= 2 [metastatic setting]"},
	{E, NULL,
	 "Any investigational agent within 28 days",
	 "NOT prior investigational agent [within 28 days]"},
	{E, NULL,
	 "Systemic anticancer therapy within 4 weeks",
	 "NOT prior systemic therapy [within 28 days]"},
	{E, NULL,
	 "Prior treatment with any anti-PD-1, anti-PD-L1 or "
	 "anti-CTLA-4 antibody",
	 "NOT (prior anti-PD-(L)1 OR prior anti-CTLA-4)"},
	{I, NULL,
	 "Liver metastases",
	 "liver metastases"},
	{I, NULL,
	 "Lung metastases",
	 "lung metastases"},
	{I, NULL,
	 "Peritoneal metastases",
	 "peritoneum metastases"},
	{E, NULL,
	 "Bone metastases",
	 "NOT bone metastases"},
	{E, NULL,
	 "Lung metastases",
	 "NOT lung metastases"},
	{I, NULL,
	 "Liver-limited disease",
	 "liver-only metastases"},
	{E, NULL,
	 "Extrahepatic disease",
	 "NOT (metastatic AND NOT liver-only metastases)"},
	{I, NULL,
	 "Disease confined to the liver",
	 "liver-only metastases"},
	{I, NULL,
	 "At least one measurable lesion per RECIST 1.1",
	 "measurable disease"},
	{E, NULL,
	 "Active CNS metastases",
	 "NOT active brain metastases"},
	{E, NULL,
	 "Untreated brain metastases",
	 "NOT active brain metastases"},
	{E, NULL,
	 "Leptomeningeal metastases",
	 "NOT leptomeninges metastases"},
	{E, NULL,
	 "Pregnancy or lactation",
	 "NOT (pregnant OR breastfeeding)"},
	{E, NULL,
	 "Women who are pregnant",
	 "NOT pregnant"},
	{E, NULL,
	 "Active hepatitis B infection",
	 "NOT condition active hepatitis B"},
	{E, NULL,
	 "Hepatitis C infection",
	 "NOT condition hepatitis C"},
	{E, NULL,
	 "HIV positive",
	 "NOT condition HIV infection"},
	{E, NULL,
	 "Congestive heart failure",
	 "NOT condition heart failure"},
	{E, NULL,
	 "Unstable angina",
	 "NOT condition active angina"},
	{E, NULL,
	 "Myocardial infarction within the past 6 months",
	 "NOT condition myocardial infarction"},
	{E, NULL,
	 "Cardiac arrhythmia requiring medication",
	 "NOT condition arrhythmia"},
	{E, NULL,
	 "QTc prolongation",
	 "NOT condition QT prolongation"},
	{E, NULL,
	 "Pulmonary embolism within 6 months",
	 "NOT condition thromboembolism"},
	{E, NULL,
	 "Active bleeding",
	 "NOT condition active haemorrhage"},
	{E, NULL,
	 "Uncontrolled seizures",
	 "NOT condition active seizure disorder"},
	{E, NULL,
	 "Psychiatric illness that would limit compliance",
	 "NOT (condition psychiatric illness AND (unread))"},
	{E, NULL,
	 "Active infection",
	 "NOT condition active infection"},
	{E, NULL,
	 "Known allergy to any of the study drugs",
	 "NOT condition hypersensitivity"},
	{E, NULL,
	 "Interstitial pneumonitis",
	 "NOT condition interstitial lung disease"},
	{E, NULL,
	 "Chronic inflammatory bowel disease",
	 "NOT condition inflammatory bowel disease"},
	{E, NULL,
	 "Non-healing wound",
	 "NOT condition non-healing wound"},
	{E, NULL,
	 "Substance abuse",
	 "NOT condition substance abuse"},
	{E, NULL,
	 "Concurrent use of warfarin",
	 "NOT current warfarin"},
	{E, NULL,
	 "Current use of systemic corticosteroids",
	 "NOT current corticosteroid"},
	{E, NULL,
	 "Live vaccine within 30 days",
	 "NOT prior live vaccine [within 30 days]"},
	{E, NULL,
	 "Prior allogeneic stem cell transplant",
	 "NOT prior allogeneic transplant"},
	{E, NULL,
	 "Known hypersensitivity to oxaliplatin",
	 "NOT condition hypersensitivity"},
	/* the grade narrows the condition, unknown either way */
	{E, NULL,
	 "Peripheral neuropathy grade 2 or higher",
	 "NOT (condition peripheral neuropathy AND (unread))"},
};

Test(extract_concepts, short_criteria)
{
	check_rows(ROWS(short_criteria));
}

/* ---- brain and CNS forms, the heading's assessment window, lines with
 * their outcome, a predominant site ---------------------------------- */
static const row cns_and_windows[] = {
	/* an exception with its time and steroid conditions narrows the
	 * exclusion to active metastases */
	{E, NULL,
	 "Brain metastases, unless treated at least 4 weeks before entry "
	 "and stable",
	 "NOT active brain metastases"},
	{E, NULL,
	 "CNS metastases, unless treated and stable without steroid "
	 "treatment",
	 "NOT active brain metastases"},
	{E, NULL,
	 "Brain metastases, unless adequately treated 28 days before "
	 "registration and neurologically stable off steroids",
	 "NOT active brain metastases"},
	/* a permission whose conditions name steroids, scans and denials */
	{E, NULL,
	 "Known brain metastases allowed if patients have had treatment, are "
	 "neurologically stable, and do not require steroids",
	 "NOT active brain metastases"},
	{U, NULL,
	 "History of CNS metastases allowed if patients have had treatment "
	 "and are stable, provided an MRI shows no active disease",
	 "NOT active brain metastases"},
	/* in an inclusion list the permission alone stays review */
	{I, NULL,
	 "Known brain metastases allowed if patients have had treatment and "
	 "are stable",
	 "review"},
	/* a permission for treated brain and meningeal disease leaves the
	 * meningeal part unknown, not barred */
	{E, NULL,
	 "Active cerebral/meningeal disease related to the underlying "
	 "malignancy. Participants with a history of cerebral/meningeal "
	 "disease are allowed if it has been treated and is clinically "
	 "stable",
	 "NOT (active brain metastases OR (unread))"},
	/* disease of an organ caused by the cancer is metastasis there */
	{E, NULL, "Active CNS disease related to the underlying malignancy",
	 "NOT active brain metastases"},
	{E, NULL, "Lung disease due to the primary tumor",
	 "NOT lung metastases"},
	/* a history of active brain disease: treated metastases were
	 * active once; "evidence of" alone stays active */
	{E, NULL, "History or evidence of active CNS disease",
	 "NOT brain metastases"},
	{E, NULL, "History of active brain metastases",
	 "NOT brain metastases"},
	{E, NULL, "Evidence of active brain metastases",
	 "NOT active brain metastases"},
	/* conditions of the nervous system, and which of them */
	{E, NULL, "Spinal cord compression", "NOT condition spinal cord "
					     "compression"},
	{E, NULL, "Subjects with CNS metastases or CNS disorders",
	 "NOT (brain metastases OR condition neurological disease)"},
	{E, NULL,
	 "Patients with brain metastases or neurologic disorders known to "
	 "increase the risk of neurotoxicity",
	 "NOT (brain metastases OR condition neurological disease)"},
	{E, NULL, "Seizure disorders likely to worsen with treatment",
	 "review"},
	{E, NULL, "Known to have active hepatitis C",
	 "NOT condition active hepatitis C"},
	/* a lab, a score or measurable disease under a heading that says
	 * when it is measured */
	{I,
	 "Laboratory values (obtained within 7 days prior to registration) "
	 "meeting the following criteria",
	 "Platelet count >80,000/mm3", "platelets > 80 x10^9/L"},
	{I, "Laboratory values obtained 14 days or less before registration",
	 "Hemoglobin >= 9 g/dL", "hemoglobin >= 9 g/dL"},
	{I, "Within 28 days prior to registration", "ECOG 0-1", "ECOG 0-1"},
	/* ... but a therapy under a time heading is not measured there */
	{I, "Laboratory values obtained 14 days or less before registration",
	 "No prior chemotherapy", "review"},
	{E, "Within 14 days prior to registration", "Chemotherapy",
	 "NOT prior chemotherapy [within 14 days]"},
	/* lines with their outcome: the outcome is not recorded, the lines
	 * are */
	{I, NULL,
	 "Has received at least one prior line of therapy with progression "
	 "or intolerance",
	 "prior lines >= 1 AND (unread)"},
	{I, NULL,
	 "At least two prior lines of systemic therapy with documented "
	 "progression or unacceptable toxicity",
	 "prior lines >= 2 AND (unread)"},
	{I, NULL,
	 "Patients who have progressed on, or are refractory to, standard of "
	 "care (SOC) treatments",
	 "prior therapy of any kind [progressed/refractory] AND (unread)"},
	{I, NULL, "Progressed on SOC therapy",
	 "prior therapy of any kind [progressed] AND (unread)"},
	/* a predominant site must be there; its predominance is unread */
	{I, NULL,
	 "Metastatic colorectal cancer with predominant hepatic metastases",
	 "diagnosis colorectal cancer AND metastatic AND liver metastases "
	 "AND (unread)"},
	{I, NULL, "Liver dominant metastatic disease",
	 "liver metastases AND (unread)"},
	{I, NULL, "Predominantly pulmonary metastases",
	 "lung metastases AND (unread)"},
	{I, NULL,
	 "they must have metastatic colorectal cancer with liver metastases",
	 "diagnosis colorectal cancer AND metastatic AND liver metastases"},
};

Test(extract_concepts, cns_and_windows)
{
	check_rows(ROWS(cns_and_windows));
}

/* ---- facts no profile holds, read to be checked: another cancer,
 * consent, contraception -------------------------------------------- */
static const row unrecorded_facts[] = {
	{E, NULL, "Prior malignancy.", "NOT condition second malignancy"},
	{E, NULL, "Second primary cancer", "NOT condition second malignancy"},
	{E, NULL, "History of another primary malignancy",
	 "NOT condition second malignancy"},
	{U, NULL,
	 "No other prior or concurrent malignancy within the past 3 years "
	 "except nonmelanoma skin cancer or carcinoma in situ of the cervix",
	 "NOT condition second malignancy"},
	{E, NULL,
	 "Another prior or current malignancy, excepting curatively treated "
	 "cervical or basal cell carcinoma.",
	 "NOT condition second malignancy"},
	{E, NULL, "History of malignancy other than Kaposi sarcoma",
	 "NOT condition second malignancy"},
	/* "or other malignancies" widens a population: not this */
	{I, NULL, "Histologically confirmed melanoma or other malignancies",
	 "diagnosis melanoma OR diagnosis cancer"},
	/* a population that leaves one cancer out is not another cancer */
	{I, NULL,
	 "Has locally advanced unresectable or metastatic solid tumor "
	 "malignancy other than colorectal cancer",
	 "diagnosis solid tumour AND NOT diagnosis colorectal cancer AND (NOT "
	 "resectable OR metastatic)"},
	/* a therapy of a prior cancer is a therapy */
	{I, NULL, "No prior cancer therapy", "review"},
	{E, NULL, "Patients with prior malignancy are eligible if disease-free "
		  "for 5 years",
	 "review"},
	/* consent and contraception, with their denials */
	{I, NULL,
	 "Ability to understand and the willingness to sign a written "
	 "informed consent document.",
	 "condition informed consent given"},
	{I, NULL, "Patients must provide written informed consent",
	 "condition informed consent given"},
	{E, NULL, "Unable to give informed consent",
	 "NOT condition inability to consent"},
	{E, NULL, "Patients unwilling or unable to provide consent",
	 "NOT condition inability to consent"},
	/* what precludes consent is the inability to consent; a leading
	 * "no" turns it and is never swallowed */
	{E, NULL,
	 "Medical or psychiatric condition that would preclude informed "
	 "consent",
	 "NOT condition inability to consent"},
	{E, NULL,
	 "Mental impairment that may compromise the ability to give informed "
	 "consent",
	 "NOT condition inability to consent"},
	{I, NULL,
	 "No psychiatric illness that would prevent the patient from giving "
	 "informed consent",
	 "condition informed consent given"},
	{I, NULL,
	 "Without any condition that would interfere with the ability to "
	 "provide informed consent",
	 "condition informed consent given"},
	{E, NULL, "No signed informed consent", "review"},
	{U, NULL,
	 "Fertile patients must use effective contraception during and for "
	 "6 months after study",
	 "condition contraception used"},
	{E, NULL,
	 "Persons of childbearing potential who are unwilling to employ "
	 "adequate contraception",
	 "NOT condition contraception refused"},
	/* an infection named with its serology */
	{E, NULL, "Known to be hepatitis B positive",
	 "NOT condition hepatitis B"},
	{E, NULL, "Hepatitis C seropositive", "NOT condition hepatitis C"},
	{I, NULL, "Hepatitis B negative", "NOT condition hepatitis B"},
	/* an allergy, whatever it is to */
	{U, NULL, "No allergy to mouse proteins",
	 "NOT condition hypersensitivity"},
	{E, NULL, "Known hypersensitivity to any component of the study drug",
	 "NOT condition hypersensitivity"},
	{E, NULL,
	 "Patients with known allergy to Cremaphor, or Cremophor-based drug "
	 "products",
	 "NOT condition hypersensitivity"},
	{E, NULL, "Known allergy to oxaliplatin or pregnancy",
	 "NOT (condition hypersensitivity OR pregnant)"},
	/* a sentence with another fact keeps it, the words stay untagged */
	{I, NULL, "Age 18 or older and signed informed consent",
	 "age >= 18 AND (unread)"},
	{I, NULL,
	 "Be >= 18 years of age on the date of signing informed consent",
	 "age >= 18"},
	/* a pregnant patient fails; the unread part is unknown whatever
	 * its polarity under the test's "not" */
	{I, NULL, "Negative pregnancy test and use of effective contraception",
	 "NOT (pregnant OR (unread))"},
};

Test(extract_concepts, unrecorded_facts)
{
	check_rows(ROWS(unrecorded_facts));
}

/* ---- how a lab was estimated or a lesion measured is not the fact ---- */
static const row methods_and_definitions[] = {
	{E, NULL,
	 "Serum creatinine >1.5 x ULN or Creatinine clearance (as determined "
	 "by the Cockcroft - Gault method) less than or equal to 50 mL/min.",
	 "NOT (creatinine > 1.5 x ULN OR creatinine clearance <= 50 mL/min)"},
	{I, NULL,
	 "Creatinine clearance >= 60 mL/min as estimated by the "
	 "Cockcroft-Gault formula",
	 "creatinine clearance >= 60 mL/min"},
	{I, NULL,
	 "Creatinine clearance of at least 45 mL/min using the Cockcroft and "
	 "Gault equation",
	 "creatinine clearance >= 45 mL/min"},
	{U, NULL,
	 "Measurable disease at least 1 dimension as at least 20 mm with "
	 "conventional techniques or at least 10 mm with spiral CT scan",
	 "measurable disease"},
	{I, NULL,
	 "At least one measurable lesion, defined as at least 10 mm in "
	 "longest diameter by CT scan",
	 "measurable disease"},
	/* a site in the definition is a fact: it stays; its size and scan
	 * go */
	{I, NULL,
	 "with at least 1 measurable hepatic lesion of 20 mm or more on MRI",
	 "measurable disease AND liver metastases"},
	{I, NULL,
	 "Histologically confirmed metastatic colorectal adenocarcinoma (stage "
	 "IV) with at least 1 measurable hepatic lesion of 20 mm or more on MRI "
	 "and for whom no standard therapy is available.",
	 "diagnosis colorectal adenocarcinoma AND metastatic AND measurable "
	 "disease AND liver metastases AND (unread)"},
	/* which therapy is standard is not a patient fact: an unread part */
	{I, NULL, "Advanced solid tumor for which no standard therapy exists",
	 "diagnosis solid tumour AND (metastatic OR NOT resectable) AND "
	 "(unread)"},
	/* the MMR and MSI status written out, then abbreviated */
	{I, NULL,
	 "Colon cancer that is deficient in mismatch repair (dMMR) or "
	 "microsatellite Instability high (MSI-H)",
	 "diagnosis colon cancer AND MSI high"},
	{I, NULL, "Tumor must be MSI-H (microsatellite instability high)",
	 "MSI high"},
	/* outside a radiation field narrows the lesions: not dropped */
	{I, NULL,
	 "Measurable disease, defined as at least one lesion >= 20 mm in one "
	 "dimension outside a prior radiation field",
	 "review"},
};

Test(extract_concepts, methods_and_definitions)
{
	check_rows(ROWS(methods_and_definitions));
}

/* RECIST named in full, then abbreviated in parentheses, is RECIST */
static const row recist_restated[] = {
	{I, NULL,
	 "Patients have measurable disease per Response Evaluation Criteria in "
	 "Solid Tumors version 1.1 (RECIST v1.1).",
	 "measurable disease"},
	{I, NULL, "Measurable disease according to RECIST 1.1 (RECIST)",
	 "measurable disease"},
};

Test(extract_concepts, recist_restated)
{
	check_rows(ROWS(recist_restated));
}

/* "Metastatic" is distant spread: notes that regional nodes are not, or
 * that a local recurrence is allowed, narrow nothing */
static const row distant_spread[] = {
	{E, NULL,
	 "Patient has known metastatic sites of disease. Note: locoregional "
	 "lymph nodes or tumor deposits are not considered metastatic "
	 "disease. Also, locally recurrent disease is allowed.",
	 "NOT metastatic"},
	{E, NULL,
	 "Metastatic disease. Regional lymph nodes are not considered "
	 "metastatic.",
	 "NOT metastatic"},
	{E, NULL, "Known metastatic disease; locally recurrent disease is "
		  "allowed",
	 "NOT metastatic"},
	/* a note that widens to distant nodes is not this */
	{E, NULL,
	 "Metastatic disease. Distant lymph nodes are not considered "
	 "metastatic.",
	 "review"},
};

Test(extract_concepts, distant_spread)
{
	check_rows(ROWS(distant_spread));
}

/* a list of stage words before the disease, with commas and "or"; a
 * recurrence is not recorded, so it is an unread alternative */
static const row stage_word_lists[] = {
	{I, NULL,
	 "Metastatic, recurrent, or unresectable colorectal adenocarcinoma",
	 "diagnosis colorectal adenocarcinoma AND (metastatic OR (unread) OR "
	 "NOT resectable)"},
	{I, NULL,
	 "Locally advanced, metastatic, or unresectable colorectal "
	 "adenocarcinoma",
	 "diagnosis colorectal adenocarcinoma AND (NOT resectable OR "
	 "metastatic)"},
	{I, NULL,
	 "Histological or cytological diagnosis of advanced, unresectable, "
	 "and/or metastatic or relapsed/refractory solid tumor.",
	 "diagnosis solid tumour AND (metastatic OR NOT resectable OR "
	 "(unread))"},
	{I, NULL, "Inoperable colorectal cancer",
	 "diagnosis colorectal cancer AND NOT resectable"},
	{I, NULL,
	 "Unresectable colorectal adenocarcinoma whose disease has progressed "
	 "after systemic cancer therapy",
	 "diagnosis colorectal adenocarcinoma AND NOT resectable AND prior "
	 "systemic therapy [progressed]"},
	/* the therapies a patient must have had "if available" bind some
	 * patients only: the list goes, the therapy stays */
	{I, NULL,
	 "Progressed after systemic therapy including 5-FU, irinotecan, "
	 "and/or oxaliplatin (if available and not contraindicated)",
	 "prior systemic therapy [progressed]"},
	/* "with" is not "including": it stays */
	{I, NULL, "CRC with adenocarcinoma histology",
	 "diagnosis colorectal adenocarcinoma"},
};

Test(extract_concepts, stage_word_lists)
{
	check_rows(ROWS(stage_word_lists));
}

/* an organ's adjective in a list ending in "cancer" is that cancer */
static const row organ_lists[] = {
	{I, NULL, "HER2-positive breast, gastric or colorectal cancer",
	 "ERBB2 amplified AND (diagnosis breast cancer OR diagnosis gastric "
	 "cancer OR diagnosis colorectal cancer)"},
	{I, NULL,
	 "Histologically or cytologically confirmed HER2+ advanced breast "
	 "cancer, gastric or GEC, and colorectal cancer",
	 "ERBB2 amplified AND (diagnosis breast cancer OR diagnosis gastric "
	 "cancer OR diagnosis gastroesophageal junction cancer OR diagnosis "
	 "colorectal cancer) AND (metastatic OR NOT resectable)"},
	{E, NULL, "Gastric or esophageal cancer",
	 "NOT (diagnosis gastric cancer OR diagnosis esophageal cancer)"},
	/* an adjective not before a cancer list stays as it was */
	{I, NULL, "Gastric tube in place", "review"},
};

Test(extract_concepts, organ_lists)
{
	check_rows(ROWS(organ_lists));
}

/* Medicines barred by class, organs' illnesses in general, and the facts a
 * site records (venous access, smoking, another trial): each reads as a
 * constraint to check. Near-misses: a word that denies the fact is its own
 * concept, never the fact; the brain's and the liver's metastases stay
 * the grammar's. */
static const row barred_classes_and_facts[] = {
	{E, NULL, "Barbiturates or benzodiazepines within 2 weeks of study "
		  "entry",
	 "NOT (prior barbiturate [within 14 days] OR prior benzodiazepine "
	 "[within 14 days])"},
	{I, NULL, "No concurrent immunomodulating agents",
	 "NOT current immunomodulator"},
	{I, NULL, "No concurrent NSAIDs", "NOT current NSAID"},
	{E, NULL, "Proton pump inhibitors within 7 days",
	 "NOT prior proton pump inhibitor [within 7 days]"},
	{E, NULL, "Herbal supplements within 14 days",
	 "NOT prior herbal medicine [within 14 days]"},
	{E, NULL, "Receiving herbal remedies, cytotoxic agents, or "
		  "radiotherapy",
	 "NOT (current herbal medicine OR current chemotherapy OR current "
	 "radiation)"},
	{E, NULL, "Blood transfusion within 2 weeks",
	 "NOT prior blood transfusion [within 14 days]"},
	{E, NULL, "Prior bone marrow transplantation",
	 "NOT prior stem cell transplant"},
	{E, NULL, "Prior autologous stem cell transplantation",
	 "NOT prior autologous transplant"},
	{E, NULL, "Prior splenectomy", "NOT prior splenectomy"},
	{E, NULL, "Hepatic disease", "NOT condition liver disease"},
	{E, NULL, "Renal dysfunction", "NOT condition kidney disease"},
	{E, NULL, "Serious concurrent disease",
	 "NOT condition intercurrent illness"},
	{E, NULL, "Known G6PD deficiency", "NOT condition G6PD deficiency"},
	{E, NULL, "Bundle branch block", "NOT condition arrhythmia"},
	{E, NULL, "AIDS-defining illness", "NOT condition HIV infection"},
	{E, NULL, "Intra-abdominal abscess within 3 months",
	 "NOT condition abdominal abscess"},
	{E, NULL, "Superior vena cava syndrome, leptomeningeal disease, or "
		  "active brain metastases",
	 "NOT (condition superior vena cava syndrome OR leptomeninges "
	 "metastases OR active brain metastases)"},
	{E, NULL, "Participation in another clinical trial within 30 days",
	 "NOT condition participation in another trial"},
	{I, NULL, "Adequate venous access", "condition adequate venous access"},
	{E, NULL, "Current smokers", "NOT condition tobacco use"},
	{I, NULL, "No concurrent experimental medications",
	 "NOT current investigational agent"},
	{I, NULL, "No concurrent growth factors",
	 "NOT current haematopoietic growth factor"},
	{E, NULL, "Anticancer drugs within 4 weeks",
	 "NOT prior systemic therapy [within 28 days]"},
	{E, NULL, "Previous use of infliximab or other anti-TNF agents",
	 "NOT (prior infliximab OR prior anti-TNF agent)"},
	{E, NULL, "PCP prophylaxis", "NOT prior PCP prophylaxis"},
	{E, NULL, "Uncontrolled tumor-related pain",
	 "NOT condition active pain"},
	{E, NULL, "Recent MI", "NOT condition myocardial infarction"},
	{E, NULL, "Positive PPD", "NOT condition tuberculosis"},
	{E, NULL, "ACE inhibitors within 2 weeks",
	 "NOT prior ACE inhibitor [within 14 days]"},
	{E, NULL, "Current use of DOACs",
	 "NOT current direct oral anticoagulant"},
	{E, NULL, "Prior liver transplantation", "NOT prior liver transplant"},
	{E, NULL, "Bariatric surgery within 12 months",
	 "NOT prior bariatric surgery [within 360 days]"},
	/* near-miss: the anaesthetists' ASA score is not aspirin */
	{I, NULL, "ASA score I-III", "review"},
	/* near-misses: the denial is its own fact */
	{E, NULL, "Poor venous access", "NOT condition poor venous access"},
	{I, NULL, "Non-smokers", "condition non-smoker"},
	/* the organs' metastases are not their illnesses */
	{E, NULL, "Active central nervous system disease",
	 "NOT active brain metastases"},
	{E, NULL, "Liver metastases", "NOT liver metastases"},
	/* what the lab must reach without stays unread */
	{I, NULL, "Hemoglobin at least 9 g/dL without transfusion", "review"},
};

Test(extract_concepts, barred_classes_and_facts)
{
	check_rows(ROWS(barred_classes_and_facts));
}

/* Every cancer reads as a diagnosis under its family; an abbreviation that
 * is also a word or a unit is not one ("all", "/mcL"), nor is "AIDS" in
 * "hearing aids". */
static const row more_cancers[] = {
	{I, NULL, "Histologically confirmed anaplastic astrocytoma",
	 "diagnosis astrocytoma"},
	{I, NULL, "Histologically confirmed Ewing's sarcoma or "
		  "rhabdomyosarcoma",
	 "diagnosis Ewing sarcoma OR diagnosis rhabdomyosarcoma"},
	{I, NULL, "Cancer of unknown primary",
	 "diagnosis cancer of unknown primary"},
	{I, NULL, "Diagnosis of myelofibrosis",
	 "diagnosis myelodysplastic syndrome"},
	{E, NULL, "Hodgkin's disease", "NOT diagnosis lymphoma"},
	{I, NULL, "Metastatic adenocarcinoma",
	 "diagnosis cancer AND metastatic"},
	{I, NULL, "Histologically confirmed adenocarcinoma of the colon",
	 "diagnosis colon adenocarcinoma"},
	{E, NULL, "Known AIDS", "NOT condition HIV infection"},
	/* near-misses */
	{I, NULL, "Leukocytes >= 3,000/mcL", "WBC >= 3 x10^9/L"},
	{I, NULL, "All patients must have measurable disease",
	 "measurable disease"},
	{E, NULL, "Use of hearing aids", "review"},
};

Test(extract_concepts, more_cancers)
{
	check_rows(ROWS(more_cancers));
}

/* Labs no profile holds read with their own units, and evaluate unknown:
 * a percent (LVEF, DLCO, hematocrit), a ratio with or without x ULN (INR),
 * a count (CD4). How the ejection fraction was measured goes. Near-misses:
 * a percent lab in another unit, or "normal" without a ULN, stays review. */
static const row labs_no_profile_holds[] = {
	{I, NULL, "LVEF >= 50%", "LVEF >= 50%"},
	{I, NULL, "LVEF at least 50% by MUGA", "LVEF >= 50%"},
	{I, NULL, "Left ventricular ejection fraction >= 45% by "
		  "echocardiogram or MUGA scan",
	 "LVEF >= 45%"},
	{I, NULL, "DLCO >= 60% predicted", "DLCO >= 60%"},
	{I, NULL, "FEV1 at least 70% of predicted", "FEV1 >= 70%"},
	{I, NULL, "Hematocrit at least 30%", "hematocrit >= 30%"},
	{I, NULL, "CD4 count >= 200 cells/mm3", "CD4 count >= 0.2 x10^9/L"},
	{I, NULL, "INR <= 1.5", "INR <= 1.5"},
	{I, NULL, "INR <= 1.5 x ULN", "INR <= 1.5 x ULN"},
	{I, NULL, "PT and PTT normal", "PT <= 1 x ULN AND PTT <= 1 x ULN"},
	{I, NULL, "BUN <= 30 mg/dL", "bun <= 30 mg/dL"},
	/* near-misses */
	{I, NULL, "LVEF >= 50 mg/dL", "review"},
	{I, NULL, "Ejection fraction normal", "review"},
	{I, NULL, "Hemoglobin >= 9 g%", "hemoglobin >= 9 g/dL"},
};

Test(extract_concepts, labs_no_profile_holds)
{
	check_rows(ROWS(labs_no_profile_holds));
}

/* A criterion about nothing but compliance or the investigator's judgment
 * of a bar is that fact, to check. Near-misses: a negation keeps its
 * polarity ("No condition that would preclude compliance" is compliance
 * expected), one naming a profile fact or turned by a negation stays
 * with the rest. */
static const row compliance_and_judgment[] = {
	{I, NULL, "Able to comply with study procedures",
	 "condition compliance expected"},
	{I, NULL, "Patients must be willing to return for follow-up",
	 "condition compliance expected"},
	{E, NULL, "Unable to comply with the protocol",
	 "NOT condition unable to comply"},
	{E, NULL, "History of noncompliance to medical regimens",
	 "NOT condition unable to comply"},
	{E, NULL, "Subjects known or suspected of not being able to comply "
		  "with this trial protocol",
	 "NOT condition unable to comply"},
	/* an illness named keeps the grammar's reading */
	{E, NULL, "Mental impairment that precludes ability to comply with "
		  "protocol",
	 "NOT (condition cognitive impairment AND (unread))"},
	{U, NULL, "No psychological, familial, sociological, or geographical "
		  "condition that would preclude study compliance",
	 "condition compliance expected"},
	{E, NULL, "Any condition which, in the opinion of the investigator, "
		  "would make the patient unsuitable for the study",
	 "NOT condition investigator-judged exclusion"},
	/* near-misses */
	{U, NULL, "Patients must not have a condition that precludes serial "
		  "follow-up",
	 "review"},
	{E, NULL, "Brain metastases that in the opinion of the investigator "
		  "would interfere",
	 "NOT (brain metastases AND (unread))"},
	{I, NULL, "Patient must not have severe blepharitis which in the "
		  "judgment of the investigator may interfere with the study",
	 "review"},
	{E, NULL, "Unable to comply with the protocol or receive chemotherapy",
	 "review"},
};

Test(extract_concepts, compliance_and_judgment)
{
	check_rows(ROWS(compliance_and_judgment));
}
