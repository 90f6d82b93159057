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
	{I, NULL, "No other malignancy except basal cell carcinoma", "review"},
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
	/* a negation the list does not reach */
	{I, NULL, "Hepatitis B and C negative", "review"},
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
