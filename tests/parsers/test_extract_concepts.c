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
	{I, NULL, "ECOG 0 or 1; life expectancy of at least 12 weeks",
	 "ECOG 0-1 AND (unread)"},
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
