/*
 * test_extract_oncology.c - oncology concepts of issue #10 read as
 * constraints: washouts with a longer one for some drugs, the cooperative
 * groups' performance scales, "anticancer" before a kind of therapy, and
 * the near-misses of each that must stay review.
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h; "(unread)" is a
 * part not read (always unknown), "review" a sentence that must stay
 * unread. The sentences are ours, in the registry's style; the expected
 * values were written from what each sentence means.
 */
#include "extract_rows.h"

TestSuite(extract_oncology, .init = setup, .fini = teardown);

/* ---- a longer washout for some drugs, in parentheses ---------------- */
static const row washouts[] = {
	{U, NULL,
	 "At least 4 weeks since prior chemotherapy (6 weeks for "
	 "nitrosoureas or mitomycin C) and recovered",
	 "NOT prior chemotherapy [within < 28 days] AND NOT (prior nitrosourea "
	 "[within < 42 days] OR prior mitomycin [within < 42 days]) AND NOT "
	 "condition unresolved toxicity"},
	{U, NULL,
	 "More than 3 weeks since prior chemotherapy (8 weeks since "
	 "carmustine)",
	 "NOT prior chemotherapy [within 21 days] AND NOT prior carmustine "
	 "[within 56 days]"},
	{I, NULL,
	 "At least 3 weeks since prior biologic therapy (6 weeks for "
	 "interleukin-2)",
	 "NOT prior biologic therapy [within < 21 days] AND NOT prior "
	 "interleukin-2 [within < 42 days]"},
	{U, NULL,
	 "At least 2 weeks since prior chemotherapy (2 months for "
	 "mitomycin)",
	 "NOT prior chemotherapy [within < 14 days] AND NOT prior mitomycin "
	 "[within < 60 days]"},
	/* a shorter washout for some relaxes the rule: not read */
	{U, NULL,
	 "At least 4 weeks since prior major surgery (2 weeks for minor "
	 "surgery)",
	 "review"},
	{U, NULL,
	 "At least 4 weeks since prior chemotherapy (1 week for weekly "
	 "fluorouracil)",
	 "review"},
	/* "less than" in an exclusion: the added "at least" would invert it */
	{E, NULL,
	 "Less than 4 weeks since prior chemotherapy (6 weeks for "
	 "nitrosoureas)",
	 "review"},
	/* a drug the lexicon does not know stays unread */
	{U, NULL,
	 "At least 4 weeks since prior radiotherapy (6 weeks for "
	 "strontium chloride Sr 89)",
	 "review"},
	/* hours in whole days */
	{U, NULL, "At least 24 hours since prior hydroxyurea",
	 "NOT prior hydroxyurea [within < 1 days]"},
	{U, NULL, "At least 72 hours since prior antimicrobials",
	 "NOT prior anti-infective [within < 3 days]"},
};

Test(extract_oncology, washouts)
{
	check_rows(ROWS(washouts));
}

/* ---- performance scales of the cooperative groups ------------------- */
static const row performance_scales[] = {
	{U, NULL, "Performance status: SWOG 0-2", "ECOG 0-2"},
	{U, "Performance status", "SWOG 0-1", "ECOG 0-1"},
	{U, "Performance status", "CALGB 0-2", "ECOG 0-2"},
	{I, NULL, "GOG performance status 0, 1, or 2", "ECOG 0-2"},
	{U, NULL, "SWOG 0-2 or Karnofsky 60-100%",
	 "ECOG 0-2 OR Karnofsky >= 60"},
	/* a group's protocol, not its scale */
	{E, NULL, "Prior enrollment on SWOG-9415", "review"},
	{U, NULL, "Enrolled on GOG protocol 218", "review"},
};

Test(extract_oncology, performance_scales)
{
	check_rows(ROWS(performance_scales));
}

/* ---- "anticancer" before a named kind of therapy -------------------- */
static const row anticancer[] = {
	{U, NULL, "No concurrent anticancer hormonal therapy",
	 "NOT current hormonal therapy"},
	{U, NULL, "No concurrent anticancer radiotherapy",
	 "NOT current radiation"},
	{U, NULL, "No concurrent anti-cancer endocrine therapy",
	 "NOT current hormonal therapy"},
	{U, NULL, "No other concurrent anticancer or investigational agents",
	 "NOT (current systemic therapy OR current investigational agent)"},
	/* in an exclusion, "no other concurrent" is a double negative */
	{E, NULL, "No concurrent anticancer hormonal therapy", "review"},
};

Test(extract_oncology, anticancer)
{
	check_rows(ROWS(anticancer));
}

/* ---- stage words: a local recurrence, spread ------------------------ */
static const row recurrence[] = {
	{I, NULL,
	 "Histologically confirmed metastatic or locally recurrent "
	 "adenocarcinoma of the colon or rectum",
	 "diagnosis colorectal cancer AND (metastatic OR (unread))"},
	{I, NULL,
	 "Cytologically proven locoregionally recurrent or metastatic "
	 "rectal cancer",
	 "diagnosis rectal cancer AND ((unread) OR metastatic)"},
	{I, NULL, "Locally recurrent rectal cancer",
	 "diagnosis rectal cancer AND (unread)"},
	{I, NULL, "Histologically proven advanced or disseminated gastric cancer",
	 "diagnosis gastric cancer AND (metastatic OR NOT resectable)"},
	{I, NULL, "Disseminated breast cancer",
	 "diagnosis breast cancer AND metastatic"},
	{E, NULL, "Evidence of disseminated cancer", "NOT metastatic"},
	{U, NULL, "No evidence of disseminated malignancy", "NOT metastatic"},
	/* not a cancer's spread */
	{E, NULL, "Disseminated intravascular coagulation",
	 "NOT condition bleeding disorder"},
	{E, NULL, "Disseminated Mycobacterium avium complex infection",
	 "NOT ((unread) AND condition infection)"},
	/* "locally" before a word that is not a recurrence */
	{I, NULL, "Locally excised rectal cancer", "review"},
};

Test(extract_oncology, recurrence)
{
	check_rows(ROWS(recurrence));
}

/* ---- radiotherapy to a large part of the bone marrow ---------------- */
static const row marrow_radiotherapy[] = {
	{U, NULL, "No prior radiotherapy to more than 25% of bone marrow",
	 "NOT condition extensive bone marrow radiotherapy"},
	{E, NULL,
	 "Prior radiation therapy to greater than or equal to 30% of their "
	 "bone marrow",
	 "NOT condition extensive bone marrow radiotherapy"},
	{U, NULL, "No prior irradiation to 40% or more of total bone marrow",
	 "NOT condition extensive bone marrow radiotherapy"},
	{U, NULL, "No radiotherapy to over 20% of the marrow reserve",
	 "NOT condition extensive bone marrow radiotherapy"},
	/* a share bounded from above permits */
	{U, NULL,
	 "Prior radiotherapy allowed to less than 25% of the bone marrow",
	 "review"},
	{U, NULL,
	 "At least 4 weeks since prior radiotherapy (to less than 25% of "
	 "bone marrow)",
	 "review"},
	/* marrow that is not irradiated */
	{E, NULL, "More than 25% of bone marrow involved by tumour", "review"},
};

Test(extract_oncology, marrow_radiotherapy)
{
	check_rows(ROWS(marrow_radiotherapy));
}

/* ---- another cancer, with the exceptions that narrow it ------------- */
static const row other_cancer[] = {
	{E, NULL,
	 "History of cancer excluding squamous cell carcinoma of the skin",
	 "NOT condition second malignancy"},
	{E, NULL,
	 "Concurrent neoplasia (excluding basal cell carcinoma of the skin)",
	 "NOT condition second malignancy"},
	{E, NULL,
	 "Concomitant malignancy other than curatively treated carcinoma in "
	 "situ of the cervix",
	 "NOT condition second malignancy"},
	{U, NULL,
	 "No prior malignant disease within the past 3 years except "
	 "curatively treated basal cell carcinoma of the skin",
	 "NOT condition second malignancy"},
	{U, NULL,
	 "No other prior malignancy for the past 5 years except adequately "
	 "treated non-melanoma skin cancer",
	 "NOT condition second malignancy"},
	{U, NULL,
	 "No prior neoplastic disease (within 5 years) aside from "
	 "adequately treated cervical carcinoma in situ",
	 "NOT condition second malignancy"},
	{U, NULL,
	 "No non-colorectal malignancy within 5 years except treated "
	 "nonmelanomatous skin cancer",
	 "NOT condition second malignancy"},
	/* a population, not another cancer */
	{I, NULL, "Colorectal, gastric or other malignancies", "review"},
	/* the cancer's own history */
	{I, NULL, "History of cancer of the rectum", "review"},
};

Test(extract_oncology, other_cancer)
{
	check_rows(ROWS(other_cancer));
}

/* ---- untreated with, exposure to, and therapy kinds ----------------- */
static const row untreated[] = {
	{I, NULL,
	 "Patients must be previously untreated with chemotherapy for "
	 "metastatic disease",
	 "NOT prior chemotherapy [metastatic setting]"},
	{I, NULL, "Previously untreated with irinotecan", "NOT prior irinotecan"},
	{U, NULL, "At least 3 weeks since prior exposure to any investigational "
		  "drug",
	 "NOT prior investigational agent [within < 21 days]"},
	{U, NULL, "At least 30 days since use of investigational agents",
	 "NOT prior investigational agent [within < 30 days]"},
	{U, NULL, "No concurrent antineoplastic biological response modifiers",
	 "NOT current biologic therapy"},
	{U, NULL, "No other concurrent investigational anticancer agents",
	 "NOT current investigational agent"},
	/* untreated disease is not a therapy */
	{I, NULL, "Untreated brain metastases", "active brain metastases"},
	{I, NULL, "CNS metastases untreated by surgery or radiotherapy",
	 "active brain metastases"},
	/* "untreated with" names no therapy */
	{I, NULL, "Previously untreated with respect to the study",
	 "review"},
};

Test(extract_oncology, untreated)
{
	check_rows(ROWS(untreated));
}

/* ---- no standard or curative option: a further condition, unread ---- */
static const row no_standard_option[] = {
	{I, NULL,
	 "Histologically confirmed metastatic colorectal cancer for which no "
	 "curative therapy exists",
	 "diagnosis colorectal cancer AND metastatic AND (unread)"},
	{I, NULL,
	 "Metastatic solid tumour refractory to standard therapy or for which "
	 "no standard therapy exists",
	 "diagnosis solid tumour AND metastatic AND (unread)"},
	{I, NULL,
	 "Metastatic gastric cancer for which no standard curative or "
	 "palliative therapy exists",
	 "diagnosis gastric cancer AND metastatic AND (unread)"},
	{I, NULL,
	 "Metastatic pancreatic cancer for which no curative surgery exists",
	 "diagnosis pancreatic cancer AND metastatic AND (unread)"},
	/* refractoriness alone is read as such */
	{I, NULL, "Metastatic colorectal cancer refractory to standard therapy",
	 "diagnosis colorectal cancer AND metastatic AND prior therapy of any "
	 "kind [refractory] AND (unread)"},
	/* an option that does exist is not this */
	{I, NULL,
	 "Metastatic colorectal cancer for which standard therapy exists",
	 "review"},
};

Test(extract_oncology, no_standard_option)
{
	check_rows(ROWS(no_standard_option));
}

/* ---- sub-stages: the stage read, the sub-stage unread ---------------- */
static const row sub_stages[] = {
	{I, NULL, "Stage IIIB or IV non-small cell lung cancer",
	 "diagnosis non-small cell lung cancer AND stage III-IV AND "
	 "(unread)"},
	{I, NULL, "Histologically confirmed stage IIIA or IIIB colon cancer",
	 "diagnosis colon cancer AND stage III AND (unread)"},
	{E, NULL, "Stage IIIC disease", "NOT (stage III AND (unread))"},
	/* a list after a sub-stage would be read apart: review */
	{I, NULL,
	 "Histologically proven stage IIB, III, or IV ovarian epithelial or "
	 "peritoneal cancer",
	 "review"},
	{I, NULL, "Stage IIIB, IIIC, or IV", "review"},
	/* stage IV has no finer stage in the profile's terms */
	{I, NULL, "Stage IVB gastric cancer", "diagnosis gastric cancer AND "
					      "stage IV"},
};

Test(extract_oncology, sub_stages)
{
	check_rows(ROWS(sub_stages));
}

/* ---- organ function: a liver exception's wordings ------------------- */
static const row organ_function[] = {
	{U, NULL,
	 "SGOT no greater than 3 times ULN (no greater than 5 times ULN if "
	 "liver involved)",
	 "AST <= 3 x ULN (<= 5 x ULN with liver metastases)"},
	{U, NULL,
	 "ALT no greater than 2.5 times ULN (no greater than 5 times ULN if "
	 "elevation due to liver metastases)",
	 "ALT <= 2.5 x ULN (<= 5 x ULN with liver metastases)"},
	{U, NULL,
	 "AST no greater than 3 times normal (no greater than 5 times normal "
	 "if liver tumor present)",
	 "AST <= 3 x ULN (<= 5 x ULN with liver metastases)"},
	/* an elevation from the cancer anywhere is not a liver exception */
	{U, NULL,
	 "Alkaline phosphatase no greater than 1.25 times ULN (no greater "
	 "than 5 times ULN if elevation secondary to malignancy)",
	 "review"},
	/* a lab no built-in file knows (a lexicon file may add it) */
	{U, NULL, "Absolute lymphocyte count at least 1,000/mm3", "review"},
};

Test(extract_oncology, organ_function)
{
	check_rows(ROWS(organ_function));
}

/* ---- "prior therapy" with nothing after it: any treatment ----------- */
static const row any_prior_therapy[] = {
	{U, NULL, "At least 4 weeks since prior therapy and recovered",
	 "NOT prior therapy of any kind [within < 28 days] AND NOT condition "
	 "unresolved toxicity"},
	{U, NULL,
	 "At least 4 weeks since prior therapy (6 weeks since mitomycin)",
	 "NOT prior therapy of any kind [within < 28 days] AND NOT prior "
	 "mitomycin [within < 42 days]"},
	{I, NULL, "No prior therapy", "NOT prior therapy of any kind"},
	/* "anticancer therapy" keeps its own reading, systemic therapy */
	{U, NULL, "No prior anticancer therapy", "NOT prior systemic therapy"},
	/* a restriction after it is not read as any therapy */
	{U, NULL, "At least 2 weeks since prior therapy for ITP (except "
		  "steroids)",
	 "review"},
	{U, NULL, "No prior therapy for lymphoma", "review"},
	/* "no prior therapy" inside a longer sentence is not rewritten */
	{I, NULL, "Patients with no prior therapy may enrol in cohort A",
	 "review"},
};

Test(extract_oncology, any_prior_therapy)
{
	check_rows(ROWS(any_prior_therapy));
}

/* ---- measurable disease and where it is ----------------------------- */
static const row measurable_where[] = {
	{I, NULL, "Measurable disease outside previously irradiated area",
	 "measurable disease AND (unread)"},
	{I, NULL,
	 "Bidimensionally measurable disease outside a prior radiotherapy "
	 "field",
	 "measurable disease AND (unread)"},
	{I, NULL,
	 "Measurable or evaluable disease outside of any prior radiation "
	 "port",
	 "(measurable disease OR (unread)) AND (unread)"},
	{I, NULL,
	 "Measurable disease according to Response Criteria In Solid "
	 "Tumours (RECIST)",
	 "measurable disease"},
	{U, NULL, "No prior radiotherapy to the only site of measurable disease",
	 "NOT condition irradiated only measurable lesion"},
	/* an alternative after the place is not cut off */
	{I, NULL,
	 "Measurable disease outside the radiation port or progression of "
	 "disease within a previously irradiated area",
	 "review"},
	/* a permission for radiotherapy is not this */
	{U, NULL,
	 "No concurrent palliative radiotherapy to the only site of "
	 "measurable disease",
	 "review"},
};

Test(extract_oncology, measurable_where)
{
	check_rows(ROWS(measurable_where));
}

/* ---- digestive cancers as one family; stages with a slash ----------- */
static const row gi_and_slash[] = {
	{I, NULL, "Histologically confirmed metastatic gastrointestinal "
		  "carcinoma",
	 "diagnosis gastrointestinal cancer AND metastatic"},
	{I, NULL, "Advanced GI malignancy",
	 "diagnosis gastrointestinal cancer AND (metastatic OR NOT "
	 "resectable)"},
	/* a stromal tumour is its own disease, not a carcinoma */
	{I, NULL, "Gastrointestinal stromal tumor",
	 "diagnosis gastrointestinal stromal tumour"},
	{I, NULL, "Stage III/IV ovarian cancer",
	 "diagnosis ovarian cancer AND stage III-IV"},
	{I, NULL, "Stage IIIB/IV non-small cell lung cancer",
	 "diagnosis non-small cell lung cancer AND stage III-IV AND "
	 "(unread)"},
	/* a slash between other things is not this */
	{I, NULL, "Stage III and/or T4 rectal cancer", "review"},
};

Test(extract_oncology, gi_and_slash)
{
	check_rows(ROWS(gi_and_slash));
}

/* ---- a treatment one is eligible for is a plan, not a history -------- */
static const row eligible_for[] = {
	{I, NULL, "Eligible for radical prostatectomy", "review"},
	{I, NULL, "Not eligible for autologous stem cell transplant", "review"},
	{I, NULL, "Eligible for treatment with FOLFOX", "review"},
	{E, NULL, "Candidates for liver transplantation", "review"},
	{I, NULL, "Patient is a candidate to receive pembrolizumab", "review"},
	/* resectability keeps its own reading */
	{I, NULL, "Patients must be candidates for surgical resection",
	 "resectable"},
	{I, NULL, "Patients must not be candidates for curative resection",
	 "NOT resectable"},
	/* a history stays a history */
	{E, NULL, "Prior autologous stem cell transplant",
	 "NOT prior autologous transplant"},
};

Test(extract_oncology, eligible_for_is_a_plan)
{
	check_rows(ROWS(eligible_for));
}

/* ---- one vaccine is a kind of vaccine, not every vaccine -------------- */
static const row vaccines[] = {
	{E, NULL, "Prior hepatitis B vaccine", "NOT prior hepatitis B vaccine"},
	{E, NULL, "Received influenza vaccine within 14 days",
	 "NOT prior influenza vaccine [within 14 days]"},
	{E, NULL, "Any vaccine within 30 days", "NOT prior vaccine [within 30 days]"},
};

Test(extract_oncology, one_vaccine_is_not_every_vaccine)
{
	check_rows(ROWS(vaccines));
}

/* ---- a sterilising operation in a sentence about contraception is a
 * method or a definition, not a history ---------------------------------- */
static const row sterilisation[] = {
	{E, NULL,
	 "Women of childbearing potential (a woman who has not undergone a "
	 "hysterectomy) must practice effective contraception (hormonal "
	 "contraceptive; tubal ligation; intra-uterine device; or vasectomized "
	 "partner)",
	 "review"},
	{I, NULL,
	 "Female patients must be surgically sterile (bilateral tubal "
	 "ligation or hysterectomy) or use two methods of birth control",
	 "condition contraception used"},
	/* a history stays one */
	{E, NULL, "Prior hysterectomy.", "NOT prior hysterectomy"},
	{E, NULL, "Hysterectomy within 4 weeks",
	 "NOT prior hysterectomy [within 28 days]"},
};

Test(extract_oncology, sterilisation_for_contraception_is_no_history)
{
	check_rows(ROWS(sterilisation));
}
