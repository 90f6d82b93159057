/*
 * test_extract_onco2.c - more oncology concepts of issue #10 read as
 * constraints: a therapy narrowed to the disease it treated or to the part
 * of the body it reached, "prior or concurrent", Dukes' and Astler-Coller
 * classes as stages, inherited colorectal cancer syndromes, antibodies
 * against mouse proteins, CNS tumour involvement, and the near-misses of
 * each that must stay as they were.
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h; "(unread)" is a
 * part not read (always unknown), "review" a sentence that must stay
 * unread. The sentences are ours, in the registry's style; the expected
 * values were written from what each sentence means.
 */
#include "extract_rows.h"

TestSuite(extract_onco2, .init = setup, .fini = teardown);

/* ---- a therapy for a named disease, or to a part of the body --------- */
/* The profile records neither which disease a therapy treated nor where it
 * reached: the therapy is read, the narrowing beside it stays unknown, so
 * a patient who never had the therapy is decided and one who had it is to
 * check. */
static const row narrowed[] = {
	{U, NULL, "No prior chemotherapy for carcinoma of the rectum",
	 "NOT (prior chemotherapy AND (unread))"},
	{U, NULL, "No prior radiotherapy or surgery for colon cancer",
	 "NOT ((prior radiation OR prior surgery) AND (unread))"},
	{E, NULL, "Prior immunotherapy for this malignancy",
	 "NOT (prior immunotherapy AND (unread))"},
	{U, NULL, "No prior hormonal therapy for the current cancer",
	 "NOT (prior hormonal therapy AND (unread))"},
	{U, NULL,
	 "No prior chemotherapy for locally recurrent or metastatic rectal "
	 "cancer",
	 "NOT (prior chemotherapy AND (unread))"},
	{I, NULL, "Prior chemotherapy for Hodgkin's lymphoma",
	 "prior chemotherapy AND (unread)"},
	{U, NULL, "At least 4 weeks since prior radiotherapy for breast cancer",
	 "NOT (prior radiation [within < 28 days] AND (unread))"},
	{E, NULL, "Radiotherapy for renal cell carcinoma within 4 weeks before "
	 "day 1",
	 "NOT (prior radiation [within 28 days] AND (unread))"},
	{U, NULL, "No prior radiotherapy to the liver",
	 "NOT (prior radiation AND (unread))"},
	{U, NULL, "No prior irradiation to the whole abdomen",
	 "NOT (prior radiation AND (unread))"},
	{E, NULL, "Radiation therapy to pelvis or liver",
	 "NOT (prior radiation AND (unread))"},
	/* a site read as its own clause first */
	{U, NULL, "No prior radiofrequency ablation of liver metastases",
	 "NOT (prior radiofrequency ablation AND (unread))"},
	{U, NULL, "No prior intra-arterial chemotherapy for hepatic metastases",
	 "NOT (prior intra-arterial chemotherapy AND (unread))"},
	/* the setting is a fact the profile records: no unread part */
	{U, NULL, "No prior chemotherapy for metastatic disease",
	 "NOT prior chemotherapy [metastatic setting]"},
	/* a site the lexicon names with its own concept */
	{U, NULL, "No prior pelvic irradiation", "NOT prior pelvic radiation"},
	/* "for patients with ...": a subgroup, not the therapy's disease */
	{U, NULL, "Prior chemotherapy allowed for patients with rectal cancer",
	 "review"},
	/* "for melanoma patients": whom the rule binds, not what the
	 * therapy treated */
	{I, NULL, "Prior immunotherapy required for melanoma patients",
	 "review"},
	/* radiotherapy to a share of the marrow is its own condition */
	{U, NULL, "No prior radiotherapy to more than 25% of bone marrow",
	 "NOT condition extensive bone marrow radiotherapy"},
	/* a lesion, not a part of the body: stays review */
	{U, NULL, "No prior radiotherapy to the target lesion", "review"},
};

Test(extract_onco2, narrowed_therapy)
{
	check_rows(ROWS(narrowed));
}

/* ---- "prior or concurrent": at any time, not only now ---------------- */
static const row prior_or_concurrent[] = {
	{U, NULL, "No prior or concurrent radiotherapy",
	 "NOT prior radiation"},
	{E, NULL, "Prior or concurrent treatment with bevacizumab",
	 "NOT prior bevacizumab"},
	{E, NULL, "History of or current use of hydroxyurea",
	 "NOT prior hydroxyurea"},
	/* another time or now: either, not read */
	{U, NULL, "No neoadjuvant or concurrent chemotherapy", "review"},
	/* "concurrent" alone is now */
	{U, NULL, "No concurrent radiotherapy", "NOT current radiation"},
};

Test(extract_onco2, prior_or_concurrent)
{
	check_rows(ROWS(prior_or_concurrent));
}

/* ---- Dukes' and modified Astler-Coller classes ---------------------- */
/* A class is a set of parts of the AJCC stages (A, B1: stage I; B2, B3:
 * II; C1-C3: III; D: IV; "A" and "B" differ between Dukes' first scheme
 * and Astler-Coller's). A stage named whole is read; one named in part is
 * read with an unread part beside it. */
static const row dukes[] = {
	{U, NULL, "Dukes' C adenocarcinoma of the colon",
	 "diagnosis colon adenocarcinoma AND stage III"},
	{U, NULL, "Dukes B2 or B3 rectal cancer",
	 "diagnosis rectal cancer AND stage II"},
	{I, NULL, "Modified Astler-Coller stage B3, C1, C2 or C3 colon cancer",
	 "diagnosis colon cancer AND stage II-III AND (unread)"},
	{U, NULL, "Pathologic classification of Dukes' B2/B3 or C",
	 "stage II-III"},
	/* the TNM in parentheses restates the class */
	{I, NULL,
	 "Histologic examination must show modified Astler-Coller stage C "
	 "(TxN1-2M0) disease",
	 "stage III"},
	/* B is T3-4 N0 in Dukes' scheme, T2-4 N0 in Astler-Coller's */
	{I, NULL, "Dukes' B colon cancer",
	 "diagnosis colon cancer AND stage I-II AND (unread)"},
	{I, NULL, "Astler-Coller A or B1 colon cancer",
	 "diagnosis colon cancer AND stage I"},
	{E, NULL, "Dukes' D colorectal cancer",
	 "NOT (diagnosis colorectal cancer AND stage IV)"},
	/* C2 is T3 N+ only: stage III in part */
	{I, NULL, "Dukes' C2 colon cancer",
	 "diagnosis colon cancer AND stage III AND (unread)"},
	/* no class after the name: review */
	{I, NULL, "Dukes' classification of the primary tumour", "review"},
	/* a letter that is no class */
	{I, NULL, "Dukes' E colon cancer", "review"},
};

Test(extract_onco2, dukes)
{
	check_rows(ROWS(dukes));
}

/* ---- inherited syndromes, mouse antibodies: conditions to check ----- */
static const row syndromes[] = {
	{E, NULL,
	 "History of hereditary nonpolyposis colorectal cancer or familial "
	 "adenomatous polyposis",
	 "NOT (condition Lynch syndrome OR condition familial adenomatous "
	 "polyposis)"},
	{U, NULL, "No Gardner's syndrome or Turcot's syndrome",
	 "NOT (condition familial adenomatous polyposis OR condition Turcot "
	 "syndrome)"},
	{I, NULL, "Known HNPCC", "condition Lynch syndrome"},
	/* the family's history is not the patient's syndrome */
	{U, NULL, "No family history of HNPCC", "review"},
	{U, NULL, "HAMA titer negative",
	 "NOT condition human anti-mouse antibody"},
	{U, NULL, "No prior exposure to murine monoclonal antibodies",
	 "NOT condition prior murine antibody"},
	/* a permission */
	{U, NULL, "Prior murine antibodies allowed", "review"},
	/* an allergy to mouse proteins is an allergy, not the exposure */
	{E, NULL, "Known hypersensitivity to murine proteins",
	 "NOT condition hypersensitivity"},
};

Test(extract_onco2, syndromes)
{
	check_rows(ROWS(syndromes));
}

/* ---- tumour in the central nervous system --------------------------- */
static const row cns[] = {
	{U, NULL, "No CNS tumor involvement", "NOT brain metastases"},
	{E, NULL, "Central nervous system involvement by tumour",
	 "NOT brain metastases"},
	/* a brain tumour is a diagnosis, not metastases */
	{E, NULL, "Primary brain tumor", "NOT diagnosis brain tumour"},
};

Test(extract_onco2, cns)
{
	check_rows(ROWS(cns));
}

/* ---- a class "with" one of several drugs ---------------------------- */
static const row class_with[] = {
	{U, NULL, "No prior chemotherapy with oxaliplatin or irinotecan",
	 "NOT (prior oxaliplatin OR prior irinotecan)"},
	{E, NULL, "Prior chemotherapy with irinotecan or oxaliplatin",
	 "NOT (prior irinotecan OR prior oxaliplatin)"},
	/* a drug that is no kind of the class: stays review */
	{U, NULL, "No prior chemotherapy with bevacizumab or cetuximab",
	 "review"},
	/* two combinations: stays review */
	{U, NULL,
	 "No prior chemotherapy with fluorouracil plus leucovorin or "
	 "irinotecan",
	 "review"},
	/* hepatic arterial infusion is intra-arterial chemotherapy */
	{U, NULL,
	 "No prior intrahepatic arterial chemotherapy",
	 "NOT prior hepatic arterial infusion"},
};

Test(extract_onco2, class_with)
{
	check_rows(ROWS(class_with));
}
