/*
 * test_extract.c - one criterion sentence into a constraint expression.
 *
 * Each row: section, enclosing heading (or NULL), the sentence, and the
 * expected expression in the notation of parsers/criteria_print.h
 * ("review" when the sentence must stay review). The sentences are ours,
 * modelled on metastatic colorectal cancer trials; the expected values
 * are written from what the sentence means.
 */
#include "extract_rows.h"

#include <math.h>
#include <pthread.h>

/* ---- performance status ------------------------------------------- */
static const row performance[] = {
	{I, NULL, "ECOG performance status of 0 or 1", "ECOG 0-1"},
	{I, NULL,
	 "Eastern Cooperative Oncology Group (ECOG) performance "
	 "status 0-2",
	 "ECOG 0-2"},
	{I, NULL, "ECOG PS \xe2\x89\xa4 1", "ECOG 0-1"},
	{I, NULL, "ECOG performance status of 0, 1, or 2", "ECOG 0-2"},
	{I, NULL, "WHO performance status 0 to 1", "ECOG 0-1"},
	{U, NULL, "Performance status: ECOG 0-1", "ECOG 0-1"},
	{U, "PATIENT CHARACTERISTICS: Performance status", "0-2", "ECOG 0-2"},
	{U, "Performance status", "Zubrod 0-1", "ECOG 0-1"},
	{I, NULL, "Karnofsky performance status \xe2\x89\xa5 70%",
	 "Karnofsky >= 70"},
	{I, NULL, "KPS of at least 60", "Karnofsky >= 60"},
	{I, NULL, "Karnofsky 80-100%", "Karnofsky >= 80"},
	{I, NULL,
	 "ECOG performance status 0-1 or Karnofsky performance "
	 "status \xe2\x89\xa5 70",
	 "ECOG 0-1 OR Karnofsky >= 70"},
	{E, NULL, "ECOG performance status \xe2\x89\xa5 2", "NOT ECOG >= 2"},
	{I, NULL, "Patient must have an ECOG performance status of =\\< 1",
	 "ECOG 0-1"},
};

/* ---- measurable disease ------------------------------------------- */
static const row measurable[] = {
	{I, NULL, "Measurable disease according to RECIST version 1.1",
	 "measurable disease"},
	{I, NULL, "At least one measurable lesion as defined by RECIST 1.1",
	 "measurable disease"},
	{E, NULL, "No measurable disease", "measurable disease"},
	{E, NULL, "Patients without measurable disease", "measurable disease"},
	{I, NULL,
	 "Measurable disease per Response Evaluation Criteria in "
	 "Solid Tumors (RECIST) v1.1",
	 "measurable disease"},
	{U, NULL, "Bidimensionally measurable disease", "measurable disease"},
	{I, NULL, "Presence of at least 1 measurable lesion per RECIST v1.1",
	 "measurable disease"},
};

/* ---- age, pregnancy ------------------------------------------------- */
static const row demographics[] = {
	{I, NULL, "Age \xe2\x89\xa5 18 years", "age >= 18"},
	{I, NULL, "Aged 18 to 75 years", "age 18-75"},
	{I, NULL, "Men and women 18 years of age or older", "age >= 18"},
	{I, NULL,
	 "Be \xe2\x89\xa5 18 years of age on the date of signing "
	 "informed consent",
	 "age >= 18"},
	{U, "PATIENT CHARACTERISTICS: Age", "18 and over", "age >= 18"},
	{U, "Age", "Under 75", "age < 75"},
	{E, NULL, "Pregnant or breast-feeding women",
	 "NOT (pregnant OR breastfeeding)"},
	{U, NULL, "Not pregnant or nursing", "NOT (pregnant OR breastfeeding)"},
	{E, NULL, "Women who are pregnant or lactating",
	 "NOT (pregnant OR breastfeeding)"},
	{I, NULL, "Female patients must not be pregnant or breastfeeding",
	 "NOT (pregnant OR breastfeeding)"},
	{E, NULL, "Pregnancy", "NOT pregnant"},
	{I, NULL, "Neither pregnant nor breastfeeding",
	 "NOT (pregnant OR breastfeeding)"},
	{I, NULL, "Age \\>= 45 years old and =\\< 75 years old", "age 45-75"},
	{U, NULL, "Age between 18 and 70 years", "age 18-70"},
	/* "must not" in an exclusion list restates the exclusion */
	{E, NULL, "Females must not be pregnant or breastfeeding",
	 "NOT (pregnant OR breastfeeding)"},
};

/* ---- disease and stage --------------------------------------------- */
static const row disease[] = {
	{I, NULL,
	 "Histologically confirmed adenocarcinoma of the colon or "
	 "rectum",
	 "diagnosis colorectal cancer"},
	{I, NULL,
	 "Histologically or cytologically confirmed metastatic "
	 "colorectal adenocarcinoma",
	 "diagnosis colorectal adenocarcinoma AND metastatic"},
	{I, NULL, "Metastatic or unresectable colorectal cancer",
	 "diagnosis colorectal cancer AND (metastatic OR NOT resectable)"},
	{I, NULL, "Stage IV colorectal cancer",
	 "diagnosis colorectal cancer AND stage IV"},
	{I, NULL, "Advanced solid tumors",
	 "diagnosis solid tumour AND (metastatic OR NOT resectable)"},
	{I, NULL, "Histologically confirmed rectal adenocarcinoma",
	 "diagnosis rectal adenocarcinoma"},
	{I, NULL,
	 "Patients with any advanced solid tumour other than "
	 "colorectal cancer",
	 "diagnosis solid tumour AND NOT diagnosis colorectal cancer AND "
	 "(metastatic OR NOT resectable)"},
	{I, NULL, "Patients with solid tumours other than CRC",
	 "diagnosis solid tumour AND NOT diagnosis colorectal cancer"},
	{E, NULL, "Patients with rectal cancer", "NOT diagnosis rectal cancer"},
	{I, NULL, "Unresectable, locally advanced or metastatic colon cancer",
	 "diagnosis colon cancer AND (NOT resectable OR metastatic)"},
	{I, NULL, "Metastatic CRC with liver metastases",
	 "diagnosis colorectal cancer AND metastatic AND liver metastases"},
	{I, NULL,
	 "Histologically confirmed NSCLC, pancreatic adenocarcinoma "
	 "or colorectal cancer",
	 "diagnosis non-small cell lung cancer OR diagnosis pancreatic cancer "
	 "OR diagnosis colorectal cancer"},
	{U, NULL,
	 "Histologically proven colorectal cancer metastatic to the "
	 "liver",
	 "diagnosis colorectal cancer AND liver metastases"},
	{I, NULL,
	 "Histologically or cytologically documented advanced or "
	 "metastatic adenocarcinoma of the colon or rectum",
	 "diagnosis colorectal cancer AND (metastatic OR NOT resectable)"},
	{I, NULL,
	 "Histologically confirmed, advanced, unresectable/metastatic "
	 "colorectal cancer",
	 "diagnosis colorectal cancer AND (metastatic OR NOT resectable)"},
	{I, NULL, "Locally advanced unresectable or metastatic solid tumors",
	 "diagnosis solid tumour AND (NOT resectable OR metastatic)"},
	{I, NULL, "No evidence of distant metastases", "NOT metastatic"},
	{I, NULL, "Liver metastases not amenable to curative resection",
	 "liver metastases AND NOT resectable"},
	{I, NULL, "Resectable liver metastases",
	 "resectable AND liver metastases"},
	{U, NULL, "Unresectable disease", "NOT resectable"},
	{I, NULL, "Disease not amenable to curative surgery", "NOT resectable"},
	{I, NULL, "Stage III or IV disease", "stage III-IV"},
	{I, NULL, "Previously untreated metastatic colorectal cancer",
	 "prior lines 0 [metastatic setting] AND diagnosis colorectal cancer "
	 "AND metastatic"},
};

/* ---- biomarkers ------------------------------------------------------ */
static const row biomarkers[] = {
	{I, NULL, "KRAS G12C mutation confirmed by local testing",
	 "KRAS G12C mutation"},
	{I, NULL, "Documented KRAS G12C-mutant tumor", "KRAS G12C mutation"},
	{I, NULL, "RAS wild-type (KRAS and NRAS exons 2, 3 and 4)",
	 "KRAS wild-type AND NRAS wild-type"},
	{I, NULL, "KRAS and NRAS wild-type",
	 "KRAS wild-type AND NRAS wild-type"},
	{I, NULL, "KRAS wild-type (exon 2)", "NOT KRAS exon 2 mutation"},
	{E, NULL, "Known BRAF V600E mutation", "NOT BRAF V600E mutation"},
	{I, NULL, "BRAF V600E-mutated metastatic colorectal cancer",
	 "BRAF V600E mutation AND diagnosis colorectal cancer AND "
	 "metastatic"},
	{I, NULL, "MSI-H or dMMR solid tumors",
	 "MSI high AND diagnosis solid tumour"},
	{I, NULL,
	 "Microsatellite stable (MSS) or mismatch repair proficient "
	 "(pMMR) disease",
	 "MSI stable"},
	{I, NULL, "HER2-positive metastatic colorectal cancer",
	 "ERBB2 amplified AND diagnosis colorectal cancer AND metastatic"},
	{I, NULL, "HER2 overexpression or amplification",
	 "ERBB2 overexpressed OR ERBB2 amplified"},
	{I, NULL, "HER2-negative disease", "NOT ERBB2 amplified"},
	{I, NULL, "NTRK fusion-positive solid tumor",
	 "(NTRK1 fusion OR NTRK2 fusion OR NTRK3 fusion) AND diagnosis "
	 "solid tumour"},
	{I, NULL, "TMB \xe2\x89\xa5 10 mutations/megabase", "TMB high >= 10"},
	{I, NULL, "Tumor mutational burden-high (TMB-H)", "TMB high"},
	{I, NULL, "RAS mutant (KRAS or NRAS)", "KRAS mutated OR NRAS mutated"},
	{E, NULL, "KRAS, NRAS or BRAF mutations",
	 "NOT (KRAS mutated OR NRAS mutated OR BRAF mutated)"},
	{I, NULL, "BRAF wild-type", "BRAF wild-type"},
	{I, NULL, "KRAS G12A, G12C, G12D, G12S, or G12V mutation",
	 "KRAS G12A mutation OR KRAS G12C mutation OR KRAS G12D mutation OR "
	 "KRAS G12S mutation OR KRAS G12V mutation"},
	{I, NULL, "PIK3CA mutation", "PIK3CA mutated"},
	{I, NULL, "pMMR/MSS colorectal cancer",
	 "MSI stable AND diagnosis colorectal cancer"},
	{E, NULL, "Known MSI-H/dMMR status", "NOT MSI high"},
	{I, NULL, "Tumor harboring a KRAS G12D mutation", "KRAS G12D mutation"},
	{I, NULL, "BRAF V600 mutation", "BRAF V600 mutation"},
	{E, NULL, "Known KRAS exon 2 mutation", "NOT KRAS exon 2 mutation"},
	{I, NULL, "ERBB2 amplification", "ERBB2 amplified"},
	{I, NULL, "KRAS wild-type in exons 2 and 3",
	 "NOT (KRAS exon 2 mutation OR KRAS exon 3 mutation)"},
	{I, NULL, "Deficient mismatch repair", "MSI high"},
	{I, NULL,
	 "Histologically documented locally advanced and unresectable "
	 "or metastatic NSCLC, PDAC, CRC, or other solid tumor with "
	 "KRAS G12A, G12C, G12D, G12S, or G12V mutation, or "
	 "KRAS-amplification",
	 "(diagnosis non-small cell lung cancer OR diagnosis pancreatic cancer "
	 "OR diagnosis colorectal cancer OR diagnosis solid tumour) AND (NOT "
	 "resectable OR metastatic) AND (KRAS G12A mutation OR KRAS G12C "
	 "mutation OR KRAS G12D mutation OR KRAS G12S mutation OR KRAS G12V "
	 "mutation OR KRAS amplified)"},
	{I, NULL,
	 "Has a tumor that demonstrates the presence of Kirsten rat "
	 "sarcoma (KRAS) G12C mutation",
	 "KRAS G12C mutation"},
};

/* ---- prior therapy --------------------------------------------------- */
static const row therapy[] = {
	{E, NULL, "Prior treatment with cetuximab or panitumumab",
	 "NOT (prior cetuximab OR prior panitumumab)"},
	{I, NULL, "No prior anti-EGFR therapy", "NOT prior anti-EGFR"},
	{E, NULL, "Prior treatment with anti-EGFR therapy",
	 "NOT prior anti-EGFR"},
	{E, NULL,
	 "Prior treatment with a KRAS G12C inhibitor (e.g., "
	 "sotorasib, adagrasib)",
	 "NOT prior KRAS G12C inhibitor"},
	{I, NULL,
	 "Prior treatment with fluoropyrimidine, oxaliplatin, and "
	 "irinotecan",
	 "prior fluoropyrimidine AND prior oxaliplatin AND prior irinotecan"},
	{I, NULL,
	 "Progressed on or intolerant to fluoropyrimidine, "
	 "oxaliplatin and irinotecan",
	 "prior fluoropyrimidine [progressed or intolerant] AND prior "
	 "oxaliplatin [progressed or intolerant] AND prior irinotecan "
	 "[progressed or intolerant]"},
	{I, NULL, "Disease progression after oxaliplatin-based chemotherapy",
	 "prior oxaliplatin [progressed]"},
	{I, NULL, "Refractory to irinotecan", "prior irinotecan [refractory]"},
	{I, NULL, "Previously treated with FOLFOX or CAPOX",
	 "prior FOLFOX OR prior CAPOX"},
	{E, NULL, "Prior therapy with Avastin", "NOT prior bevacizumab"},
	{I, NULL, "Must have received prior bevacizumab", "prior bevacizumab"},
	{E, NULL, "Prior treatment with regorafenib or TAS-102",
	 "NOT (prior regorafenib OR prior trifluridine-tipiracil)"},
	{E, NULL, "Prior exposure to an immune checkpoint inhibitor",
	 "NOT prior checkpoint inhibitor"},
	/* "anti-PD-1, anti-PD-L1" is one lexicon term (anti-PD-(L)1, whose
	 * members are exactly those two classes) */
	{E, NULL,
	 "Previous treatment with anti-PD-1, anti-PD-L1 or "
	 "anti-CTLA-4 antibodies",
	 "NOT (prior anti-PD-(L)1 OR prior anti-CTLA-4)"},
	{I, NULL, "No prior chemotherapy for metastatic disease",
	 "NOT prior chemotherapy [metastatic setting]"},
	{U, NULL, "No prior systemic therapy for metastatic disease",
	 "prior lines 0 [metastatic setting]"},
	{I, NULL, "No prior treatment for metastatic colorectal cancer",
	 "prior lines 0 [metastatic setting]"},
	{E, NULL,
	 "Chemotherapy within 4 weeks before the first dose of "
	 "study drug",
	 "NOT prior chemotherapy [within 28 days]"},
	{E, NULL, "Major surgery within 28 days prior to enrollment",
	 "NOT prior major surgery [within 28 days]"},
	{E, NULL,
	 "Radiotherapy within 2 weeks prior to the start of study "
	 "treatment",
	 "NOT prior radiation [within 14 days]"},
	{U, NULL, "At least 4 weeks since prior chemotherapy",
	 "NOT prior chemotherapy [within < 28 days]"},
	{U, NULL, "At least 6 months since prior adjuvant chemotherapy",
	 "NOT prior chemotherapy [adjuvant, within < 180 days]"},
	{E, NULL, "Concurrent anticancer therapy",
	 "NOT current systemic therapy"},
	{U, NULL, "No concurrent radiotherapy", "NOT current radiation"},
	{E, NULL, "Currently receiving other investigational agents",
	 "NOT current investigational agent"},
	{I, NULL, "Anti-EGFR-naive", "NOT prior anti-EGFR"},
	{E, NULL, "Prior hepatic arterial infusion (HAI) therapy",
	 "NOT prior hepatic arterial infusion"},
	{E, NULL, "Prior radioembolization (Y-90) or chemoembolization",
	 "NOT (prior radioembolization OR prior chemoembolization)"},
	{E, NULL, "Previous liver resection or radiofrequency ablation",
	 "NOT (prior liver resection OR prior radiofrequency ablation)"},
	{E, NULL, "Prior pelvic radiotherapy", "NOT prior pelvic radiation"},
	{I, NULL,
	 "Progression during or after treatment with a BRAF "
	 "inhibitor",
	 "prior BRAF inhibitor [progressed]"},
	{E, NULL, "Prior oxaliplatin is not allowed", "NOT prior oxaliplatin"},
	{I, NULL, "Prior treatment with regorafenib is not permitted",
	 "NOT prior regorafenib"},
	{E, NULL, "Prior treatment with both oxaliplatin and irinotecan",
	 "NOT (prior oxaliplatin AND prior irinotecan)"},
	{E, NULL, "No prior treatment with oxaliplatin or irinotecan",
	 "prior oxaliplatin OR prior irinotecan"},
	{I, NULL, "No prior oxaliplatin and irinotecan",
	 "NOT (prior oxaliplatin OR prior irinotecan)"},
	{I, NULL, "Prior FOLFOX plus bevacizumab",
	 "prior FOLFOX AND prior bevacizumab"},
	{E, NULL, "Treatment with any investigational agent within 30 days",
	 "NOT prior investigational agent [within 30 days]"},
	{I, NULL, "Has progressed on a KRAS G12C inhibitor",
	 "prior KRAS G12C inhibitor [progressed]"},
	{E, NULL, "Prior treatment with sotorasib (AMG 510)",
	 "NOT prior sotorasib"},
	{E, NULL, "Prior trastuzumab deruxtecan (T-DXd)",
	 "NOT prior trastuzumab deruxtecan"},
	{I, NULL, "Prior treatment with fluoropyrimidine-based chemotherapy",
	 "prior fluoropyrimidine"},
	{I, NULL,
	 "Must have failed at least one prior fluoropyrimidine-"
	 "containing regimen",
	 "prior fluoropyrimidine [progressed]"},
	{E, NULL, "Previous treatment with a MEK inhibitor",
	 "NOT prior MEK inhibitor"},
	{I, NULL,
	 "Progressed after prior treatment with encorafenib and "
	 "cetuximab",
	 "prior encorafenib [progressed] AND prior cetuximab [progressed]"},
	{E, NULL, "Prior anti-angiogenic therapy",
	 "NOT prior anti-angiogenic therapy"},
	{E, NULL, "Prior HER2-directed therapy",
	 "NOT prior HER2-directed therapy"},
	{I, NULL, "Prior treatment with an anti-PD-1 or anti-PD-L1 antibody",
	 "prior anti-PD-(L)1"},
	{I, NULL, "Must not have received prior irinotecan",
	 "NOT prior irinotecan"},
	{I, NULL, "Without prior exposure to anti-VEGF therapy",
	 "NOT prior anti-VEGF"},
	{I, NULL, "Has not had major surgery within 4 weeks",
	 "NOT prior major surgery [within 28 days]"},
	{E, NULL, "Patients with prior oxaliplatin are excluded",
	 "NOT prior oxaliplatin"},
	{E, NULL,
	 "Patients who have not received prior fluoropyrimidine "
	 "therapy",
	 "prior fluoropyrimidine"},
	{I, NULL, "Refractory to or intolerant of fluoropyrimidines",
	 "prior fluoropyrimidine [refractory or intolerant]"},
	{I, NULL, "Irinotecan-refractory disease",
	 "prior irinotecan [refractory]"},
	{E, NULL, "Prior treatment with Erbitux (C225)", "NOT prior cetuximab"},
	{E, NULL, "Previous therapy with Stivarga or Lonsurf",
	 "NOT (prior regorafenib OR prior trifluridine-tipiracil)"},
	{I, NULL, "Prior mFOLFOX6 in the adjuvant setting",
	 "prior FOLFOX [adjuvant]"},
	{E, NULL, "Prior adjuvant oxaliplatin",
	 "NOT prior oxaliplatin "
	 "[adjuvant]"},
	{E, NULL,
	 "Radiation therapy \xe2\x89\xa4"
	 "2 weeks prior to study "
	 "treatment",
	 "NOT prior radiation [within 14 days]"},
	{E, NULL, "Participants must not have received prior sotorasib",
	 "NOT prior sotorasib"},
	{E, NULL, "Prior systemic chemotherapy with 5-FU",
	 "NOT prior fluorouracil"},
	{I, NULL,
	 "No prior systemic treatment for advanced unresectable or "
	 "metastatic disease",
	 "prior lines 0 [metastatic setting]"},
};

/* ---- prior lines ----------------------------------------------------- */
static const row lines[] = {
	{I, NULL,
	 "At least 2 prior lines of systemic therapy for metastatic "
	 "disease",
	 "prior lines >= 2 [metastatic setting]"},
	{I, NULL,
	 "Received at least 2 prior lines of therapy for metastatic "
	 "disease",
	 "prior lines >= 2 [metastatic setting]"},
	{I, NULL, "No more than 2 prior systemic regimens", "prior lines 0-2"},
	{I, NULL,
	 "1-2 prior lines of systemic therapy in the metastatic "
	 "setting",
	 "prior lines 1-2 [metastatic setting]"},
	{I, NULL, "At least one prior line of systemic therapy",
	 "prior lines >= 1"},
	{I, NULL, "Up to 3 prior chemotherapy regimens for advanced disease",
	 "prior lines 0-3 [metastatic setting]"},
	{U, "Chemotherapy", "No more than 1 prior regimen", "prior lines 0-1"},
	{I, NULL, "One or two prior regimens for metastatic disease",
	 "prior lines 1-2 [metastatic setting]"},
	{I, NULL, "Progressed after at least 1 prior line of therapy",
	 "prior lines >= 1"},
};

/* ---- metastatic sites ------------------------------------------------ */
static const row sites[] = {
	{I, NULL, "Liver-only metastases", "liver-only metastases"},
	{I, NULL, "Liver-limited metastases not amenable to resection",
	 "liver-only metastases AND NOT resectable"},
	{I, NULL, "Metastatic disease confined to the liver",
	 "liver-only metastases"},
	/* extrahepatic disease is metastases that are not liver-only: a
	 * patient without metastases has none (these rows read
	 * "liver-only metastases" before, which barred such a patient) */
	{E, NULL, "Extrahepatic metastatic disease",
	 "NOT (metastatic AND NOT liver-only metastases)"},
	{U, NULL, "No detectable extrahepatic disease",
	 "NOT (metastatic AND NOT liver-only metastases)"},
	{I, NULL, "No extrahepatic disease, except resectable pulmonary "
		  "metastases",
	 "NOT (peritoneum metastases OR ovary metastases OR bone metastases "
	 "OR lymph node metastases OR brain metastases OR leptomeninges "
	 "metastases OR adrenal metastases OR pleura metastases OR spinal "
	 "cord metastases OR other metastases OR (lung metastases AND NOT "
	 "resectable))"},
	{I, NULL, "Presence of peritoneal carcinomatosis",
	 "peritoneum metastases"},
	{E, NULL, "Peritoneal metastases", "NOT peritoneum metastases"},
	{I, NULL, "Lung metastases", "lung metastases"},
	{E, NULL, "Bone metastases", "NOT bone metastases"},
	{I, NULL, "Liver or lung metastases",
	 "liver metastases OR lung metastases"},
	{I, NULL, "Absence of peritoneal metastases",
	 "NOT peritoneum metastases"},
	{I, NULL, "Patients with liver metastases are not eligible",
	 "NOT liver metastases"},
	{I, NULL, "Isolated liver metastases", "liver-only metastases"},
	{E, NULL, "Participants with leptomeningeal disease are excluded",
	 "NOT leptomeninges metastases"},
};

/* ---- brain metastases ------------------------------------------------ */
static const row brain[] = {
	{E, NULL, "Active or untreated brain metastases",
	 "NOT active brain metastases"},
	{E, NULL, "Known brain metastases", "NOT brain metastases"},
	{E, NULL,
	 "Brain metastases, unless treated and stable for at least 4 "
	 "weeks",
	 "NOT active brain metastases"},
	{E, NULL, "Untreated CNS metastases", "NOT active brain metastases"},
	{E, NULL,
	 "Known active central nervous system (CNS) metastases "
	 "and/or leptomeningeal disease",
	 "NOT (active brain metastases OR leptomeninges metastases)"},
	{I, NULL, "No history of brain metastases", "NOT brain metastases"},
	{E, NULL, "Brain metastases that are untreated or progressing",
	 "NOT active brain metastases"},
	{U, NULL, "No CNS metastases", "NOT brain metastases"},
	{I, NULL, "Free of brain metastases", "NOT brain metastases"},
	{E, NULL, "Metastases to the brain", "NOT brain metastases"},
	{E, NULL,
	 "Known brain metastases. Patients with treated brain "
	 "metastases are eligible.",
	 "NOT active brain metastases"},
	{E, NULL,
	 "Known brain metastases, except those that have been "
	 "treated and are stable",
	 "NOT active brain metastases"},
	{E, NULL,
	 "Has known active central nervous system metastases and/or "
	 "carcinomatous meningitis and/or primary brain tumors",
	 "NOT (active brain metastases OR leptomeninges metastases OR "
	 "diagnosis brain tumour)"},
};

/* ---- labs ------------------------------------------------------------ */
static const row lab_rows[] = {
	{I, NULL,
	 "Absolute neutrophil count \xe2\x89\xa5 1.5 \xc3\x97 "
	 "10^9/L",
	 "ANC >= 1.5 x10^9/L"},
	{I, NULL, "ANC \xe2\x89\xa5 1,500/\xc2\xb5L", "ANC >= 1.5 x10^9/L"},
	{I, NULL, "Platelets \xe2\x89\xa5 100,000/mm3",
	 "platelets >= 100 x10^9/L"},
	{I, NULL, "Platelet count \xe2\x89\xa5 100 \xc3\x97 10^9/L",
	 "platelets >= 100 x10^9/L"},
	{I, NULL, "Hemoglobin \xe2\x89\xa5 9.0 g/dL", "hemoglobin >= 9 g/dL"},
	{I, NULL, "Haemoglobin \xe2\x89\xa5 90 g/L", "hemoglobin >= 9 g/dL"},
	{I, NULL,
	 "Total bilirubin \xe2\x89\xa4 1.5 \xc3\x97 upper limit of "
	 "normal (ULN)",
	 "bilirubin <= 1.5 x ULN"},
	{I, NULL,
	 "AST and ALT \xe2\x89\xa4 2.5 \xc3\x97 ULN (\xe2\x89\xa4 5 "
	 "\xc3\x97 ULN in patients with liver metastases)",
	 "AST <= 2.5 x ULN (<= 5 x ULN with liver metastases) AND ALT <= "
	 "2.5 x ULN (<= 5 x ULN with liver metastases)"},
	{I, NULL,
	 "AST/ALT \xe2\x89\xa4 3 x ULN, or \xe2\x89\xa4 5 x ULN if "
	 "liver metastases are present",
	 "AST <= 3 x ULN (<= 5 x ULN with liver metastases) AND ALT <= 3 x "
	 "ULN (<= 5 x ULN with liver metastases)"},
	{I, NULL,
	 "Creatinine clearance \xe2\x89\xa5 50 mL/min "
	 "(Cockcroft-Gault)",
	 "creatinine clearance >= 50 mL/min"},
	{I, NULL,
	 "Serum creatinine \xe2\x89\xa4 1.5 \xc3\x97 ULN or "
	 "creatinine clearance \xe2\x89\xa5 60 mL/min",
	 "creatinine <= 1.5 x ULN OR creatinine clearance >= 60 mL/min"},
	{I, NULL, "Serum creatinine \xe2\x89\xa4 1.5 mg/dL",
	 "creatinine <= 1.5 mg/dL"},
	{I, NULL,
	 "Creatinine \xe2\x89\xa4 1.5 mg/dL or creatinine clearance "
	 "\xe2\x89\xa5 60 mL/min",
	 "creatinine <= 1.5 mg/dL OR creatinine clearance >= 60 mL/min"},
	{I, NULL, "Bilirubin \xe2\x89\xa4 1.5 mg/dL", "bilirubin <= 1.5 mg/dL"},
	{E, NULL, "Total bilirubin > 1.5 x ULN", "NOT bilirubin > 1.5 x ULN"},
	/* "ALT or AST" is the lexicon's "transaminases": its members in
	 * lexicon order */
	{E, NULL, "ALT or AST > 5 x ULN",
	 "NOT (AST > 5 x ULN OR ALT > 5 x ULN)"},
	{I, NULL,
	 "Adequate bone marrow function: ANC \xe2\x89\xa5 1.5 "
	 "\xc3\x97 10^9/L, platelets \xe2\x89\xa5 100 \xc3\x97 10^9/L, "
	 "hemoglobin \xe2\x89\xa5 9 g/dL",
	 "ANC >= 1.5 x10^9/L AND platelets >= 100 x10^9/L AND hemoglobin >= "
	 "9 g/dL"},
	{I, NULL, "Total bilirubin within normal limits",
	 "bilirubin <= 1 x ULN"},
	{I, NULL, "ANC \xe2\x89\xa5 1500", "ANC >= 1.5 x10^9/L"},
	{I, NULL, "White blood cell count \xe2\x89\xa5 3,000/mm3",
	 "WBC >= 3 x10^9/L"},
	{U, NULL, "Creatinine less than 130 micromoles/L",
	 "creatinine < 130 umol/L"},
	{U, "Hepatic", "Bilirubin no greater than 2 times normal",
	 "bilirubin <= 2 x ULN"},
	{U, "Hematopoietic", "Granulocyte count at least 1,500/mm3",
	 "ANC >= 1.5 x10^9/L"},
	{I, NULL, "Transaminases \xe2\x89\xa4 2.5 \xc3\x97 ULN",
	 "AST <= 2.5 x ULN AND ALT <= 2.5 x ULN"},
	{I, NULL, "Platelet count \xe2\x89\xa5 75 x 10\xe2\x81\xb9/L",
	 "platelets >= 75 x10^9/L"},
	{I, NULL,
	 "Platelet count \xe2\x89\xa5 100,000/mm3 (\xe2\x89\xa5 100 x "
	 "109/L)",
	 "platelets >= 100 x10^9/L"},
	{I, NULL,
	 "ALT \xe2\x89\xa4 3.0 x ULN (5 x ULN allowed if liver "
	 "metastases)",
	 "ALT <= 3 x ULN (<= 5 x ULN with liver metastases)"},
	{I, NULL,
	 "Creatinine clearance (CrCl) calculated by Cockroft-Gault "
	 "formula \\>= 50 mL/min",
	 "creatinine clearance >= 50 mL/min"},
};

/* ---- headings that qualify or void a criterion ------------------------ */
static const row headings[] = {
	{E, "Prior Medication: Excluded within 30 days of study entry",
	 "Chemotherapy.", "NOT prior chemotherapy [within 30 days]"},
	{E, "Concurrent Medication: Excluded", "Radiotherapy.",
	 "NOT current radiation"},
	{U, "PRIOR CONCURRENT THERAPY: Chemotherapy", "No prior chemotherapy",
	 "NOT prior chemotherapy"},
	{U, "Prior Medication: Allowed", "Prior radiotherapy", "review"},
	{I, "Must meet one of the following", "KRAS G12C mutation", "review"},
	{I, "Cohort A", "ECOG 0-1", "review"},
	{I, "No patients with moderate or severe liver disease, as defined by",
	 "Bilirubin > 3 mg/dL", "review"},
	{E, "Donor", "Pregnancy", "review"},
	{I,
	 "Histologically confirmed solid tumor, including the following "
	 "tumor types",
	 "Colorectal cancer", "review"},
	{U, "EFFICACY STUDY", "Age 18 and over", "review"},
	{E, "Measurable disease: No truly nonmeasurable lesions, including",
	 "Bone lesions", "review"},
};

/* ---- sentences that must stay review ---------------------------------- */
static const row review[] = {
	{I, NULL, "Life expectancy of less than 12 weeks", "review"},
	{E, NULL,
	 "Other malignancy within 5 years, except adequately treated "
	 "non-melanoma skin cancer",
	 "NOT condition second malignancy"},
	{I, NULL, "Adequate organ function", "review"},
	{I, NULL, "Able to swallow and retain oral medication", "review"},
	{I, NULL, "For Cohort B only: prior treatment with sotorasib",
	 "review"},
	/* the dose a prior drug was given at is not the fact, and "phase
	 * II" before "dose" names no part of the study */
	{I, NULL,
	 "Patient must have progressed after treatment at the recommended "
	 "phase II dose (RP2D) of any KRAS G12C inhibitor",
	 "prior KRAS G12C inhibitor [progressed]"},
	{I, NULL,
	 "Progressed on a KRAS G12C inhibitor at the recommended phase 2 dose",
	 "prior KRAS G12C inhibitor [progressed]"},
	/* near-misses: a phase as a part of the study stays review */
	{I, NULL, "Phase II: progressed on a KRAS G12C inhibitor", "review"},
	{I, NULL,
	 "Progressed on a KRAS G12C inhibitor in the phase II portion",
	 "review"},
	{I, NULL,
	 "For the Phase II trial, no prior chemotherapy for metastatic "
	 "disease",
	 "review"},
	{I, NULL, "Signed informed consent", "condition informed consent given"},
	{E, NULL, "Symptomatic brain metastases", "review"},
	{I, NULL, "Evaluable disease", "review"},
	{I, NULL, "Locally advanced rectal cancer", "review"},
	{I, NULL,
	 "Bilirubin \xe2\x89\xa4 1.5 x ULN (\xe2\x89\xa4 3 x ULN for "
	 "Gilbert's syndrome)",
	 "review"},
	{I, NULL,
	 "Prior adjuvant oxaliplatin is allowed if completed more "
	 "than 6 months before enrollment",
	 "review"},
	/* an exception narrows and is not read: it leaves the excepted
	 * class unknown (issue #10 point 3; was review) */
	{E, NULL,
	 "Prior treatment with any anti-EGFR antibody other than "
	 "cetuximab",
	 "NOT (prior anti-EGFR AND (unread))"},
	{I, NULL, "Disease progression on or after standard therapy", "review"},
	{I, NULL,
	 "Patients who are not candidates for intensive "
	 "chemotherapy",
	 "review"},
	{I, NULL, "Tumor tissue available for central testing", "review"},
	{I, NULL, "KRAS status known", "review"},
	{E, NULL, "Known deficiency of the enzyme that breaks down fluorouracil",
	 "review"},
	{I, NULL, "Able to swallow tablets and ECOG 0-1", "review"},
	{E, NULL, "Any condition that would interfere with the study",
	 "review"},
	{I, NULL, "Willing to use effective contraception", "condition contraception used"},
	{I, NULL, "EGFR-expressing tumor by immunohistochemistry", "review"},
	{E, NULL,
	 "Prior chemotherapy, except adjuvant therapy completed more "
	 "than 12 months ago",
	 "NOT (prior chemotherapy AND (unread))"},
	{E, NULL, "Brain metastases, unless asymptomatic", "review"},
	{I, NULL, "Liver-dominant disease", "review"},
	{I, NULL, "HER2-positive (IHC 3+ or IHC 2+/ISH+)", "review"},
	{I, NULL,
	 "At least one prior line of therapy, unless the patient "
	 "refused standard therapy",
	 "review"},
	{U, NULL, "See Disease Characteristics", "review"},
	{I, NULL, "Phase 2 portion: KRAS G12C mutation", "review"},
	{I, NULL,
	 "Resolution of all toxicities from prior therapy to grade 1 "
	 "or less",
	 "review"},
	{E, NULL, "Unable to swallow tablets", "review"},
	{I, NULL, "PD-L1 CPS \xe2\x89\xa5 1", "review"},
	{E, NULL, "No other concurrent chemotherapy", "review"},
	{E, NULL,
	 "Last dose of prior chemotherapy must be at least 4 weeks "
	 "before the start of study treatment",
	 "review"},
	{E, NULL, "Prior therapy for lymphoma", "review"},
	{U, NULL, "No chemotherapy within 7 days after RFA", "review"},
	{I, NULL, "Histologically proven recurrent colorectal cancer",
	 "diagnosis colorectal cancer AND (unread)"},
	{I, NULL, "AST \xe2\x89\xa4 100 U/L", "review"},
	{E, NULL, "Symptomatic or untreated brain metastases", "review"},
	{E, NULL, "No untreated brain metastases", "review"},
	{E, NULL, "No pregnant women", "review"},
	{I, NULL, "Treated and stable brain metastases are allowed", "review"},
	{E, NULL, "History of lymphoma", "review"},
	{I, NULL, "Hemoglobin \xe2\x89\xa5 9 g/dL (transfusion allowed)",
	 "review"},
	{E, NULL, "Intolerance to oxaliplatin", "review"},
	{I, NULL, "Measurable disease outside the liver", "review"},
	{I, NULL,
	 "Adjuvant chemotherapy completed more than 6 months before "
	 "recurrence",
	 "review"},
	{E, NULL, "Met the criteria for another study", "review"},
	{I, NULL,
	 "Patients with metastatic colorectal cancer must have "
	 "received oxaliplatin or irinotecan",
	 "review"},
	{I, NULL,
	 "Patients must have completed any prior systemic therapy at "
	 "the time of enrollment",
	 "review"},
	{E, NULL, "Patients must have adequate organ function", "review"},
	{E, NULL, "Patients must have received prior oxaliplatin", "review"},
	{U, NULL, "Breast cancer - no more than 2 prior therapies", "review"},
	{U, NULL, "Progressive disease on fluorouracil based chemotherapy OR",
	 "review"},
};

/* ---- shapes of the fixture verdict table (issue #4) --------------- */
/* "(unread)" is a part the parser did not read: always unknown, so it
 * decides nothing alone. */
static const row verdict_shapes[] = {
	/* no leaf holds a codon: the gene's mutation and an unread part */
	{I, NULL,
	 "Documented KRAS mutation at codon 12, 13 or 61 (for example G12D, "
	 "G12V, G12R, G13D, Q61H)",
	 "KRAS mutated AND (unread)"},
	{E, NULL, "NRAS mutation in codons 12 or 13",
	 "NOT (NRAS mutated AND (unread))"},
	/* wild-type at some codons is weaker than wild-type */
	{I, NULL, "KRAS wild-type at codons 12 and 13", "review"},
	{I, NULL, "KRAS G12C mutation at codon 12", "review"},
	/* "A, B, C and D or E": D or E one choice when they are two kinds
	 * of a class the others are not */
	{I, NULL,
	 "Prior fluoropyrimidine, oxaliplatin, irinotecan and cetuximab or "
	 "panitumumab",
	 "prior fluoropyrimidine AND prior oxaliplatin AND prior irinotecan "
	 "AND (prior cetuximab OR prior panitumumab)"},
	{I, NULL,
	 "Prior capecitabine, oxaliplatin, bevacizumab and fluorouracil or "
	 "irinotecan",
	 "review"},
	/* a condition after such a list is on its last item */
	{I, NULL,
	 "fluoropyrimidine, oxaliplatin, irinotecan and cetuximab or "
	 "panitumumab, if KRAS wild-type",
	 "prior fluoropyrimidine AND prior oxaliplatin AND prior irinotecan "
	 "AND (NOT KRAS wild-type OR prior cetuximab OR prior panitumumab)"},
	{I, NULL, "Prior anti-EGFR antibody, if RAS wild-type",
	 "NOT (KRAS wild-type AND NRAS wild-type) OR prior anti-EGFR"},
	/* after a plain list it may be on the whole list */
	{I, NULL,
	 "Prior oxaliplatin and irinotecan, if KRAS wild-type or BRAF "
	 "mutated",
	 "review"},
	{E, NULL,
	 "Prior fluoropyrimidine, oxaliplatin, irinotecan and cetuximab or "
	 "panitumumab, if KRAS wild-type",
	 "review"},
	/* "X with or without Y" is X */
	{I, NULL,
	 "fluoropyrimidine, oxaliplatin and irinotecan, with or without "
	 "bevacizumab",
	 "prior fluoropyrimidine AND prior oxaliplatin AND prior irinotecan"},
	{U, NULL, "No primary small cell lung cancer with or without metastases",
	 "NOT diagnosis small cell lung cancer"},
	{I, NULL,
	 "Prior oxaliplatin with or without bevacizumab-induced hypertension",
	 "review"},
	/* "may have received X" permits X */
	{U, NULL,
	 "May have received prior radiotherapy with or without chemotherapy",
	 "review"},
	{U, NULL, "May have received prior radiotherapy", "review"},
	{I, NULL, "Patients may not have received prior oxaliplatin",
	 "NOT prior oxaliplatin"},
	{E, NULL,
	 "Patients may receive no other concurrent chemotherapy, "
	 "immunotherapy, or radiotherapy.",
	 "NOT (current chemotherapy OR current immunotherapy OR current "
	 "radiation)"},
	/* an item marked optional: the items before it look required, but
	 * "and/or" may make the list any of them. Met when the required
	 * items and the last are, not met when none is, else unknown */
	{I, NULL,
	 "Prior regimens must have included a fluoropyrimidine, irinotecan, "
	 "oxaliplatin, an anti-VEGF monoclonal antibody (not mandatory) "
	 "and/or an anti-EGFR monoclonal antibody for RAS wild-type patients",
	 "(prior fluoropyrimidine AND prior irinotecan AND prior oxaliplatin "
	 "AND (NOT (KRAS wild-type AND NRAS wild-type) OR prior anti-EGFR)) "
	 "OR ((prior fluoropyrimidine OR prior irinotecan OR prior oxaliplatin "
	 "OR prior anti-VEGF OR prior anti-EGFR) AND (unread))"},
	{I, NULL,
	 "Prior regimens must have included a fluoropyrimidine, irinotecan "
	 "and oxaliplatin",
	 "prior fluoropyrimidine AND prior irinotecan AND prior oxaliplatin"},
	{I, NULL,
	 "Prior therapy must include 1 platinum-based chemotherapy regimen for "
	 "primary disease containing carboplatin, cisplatin, or another "
	 "organoplatinum compound",
	 "review"},
	/* too few items to tell a required part; in an exclusion: review */
	{I, NULL, "Prior fluoropyrimidine, bevacizumab (optional) and/or "
		  "cetuximab",
	 "review"},
	{E, NULL,
	 "Prior fluoropyrimidine, irinotecan, oxaliplatin, bevacizumab "
	 "(optional) and/or cetuximab",
	 "review"},
	/* active or recently treated metastases of a site barred, only
	 * those removed or ablated long ago let through: metastases there
	 * now bar a patient with no local treatment */
	{E, NULL,
	 "Active liver metastases, or liver metastases treated within the "
	 "last 6 months (patients whose liver metastases were resected or "
	 "ablated more than 6 months earlier with no recurrence may enroll)",
	 "NOT liver metastases OR (prior local treatment of any kind AND "
	 "(unread))"},
	{E, NULL, "Active liver metastases", "review"},
	{I, NULL,
	 "Active liver metastases, or liver metastases treated within the "
	 "last 6 months (patients whose liver metastases were resected or "
	 "ablated more than 6 months earlier with no recurrence may enroll)",
	 "review"},
	/* brain metastases have their own fact; "liver disease" is not
	 * metastases */
	{E, NULL,
	 "Active brain metastases, or brain metastases treated within the "
	 "last 3 months (patients whose brain metastases were resected more "
	 "than 3 months ago with no recurrence may enroll)",
	 "review"},
	{E, NULL,
	 "Active liver disease, or liver disease treated within the last 6 "
	 "months (patients whose liver disease was resected more than 6 "
	 "months earlier may enroll)",
	 "review"},
	/* progressing on standard therapy needs some therapy, of any kind
	 * (surgery and radiotherapy are standard therapy too); which is
	 * standard, and "all", are unread */
	{I, NULL,
	 "Locally advanced or metastatic solid tumour that has progressed "
	 "on, or is intolerant of, all available standard therapy",
	 "diagnosis solid tumour AND (metastatic OR NOT resectable) AND prior "
	 "therapy of any kind [progressed or intolerant] AND (unread)"},
	{U, NULL, "Must have received and failed prior standard therapy",
	 "prior therapy of any kind [progressed] AND (unread)"},
	{U, NULL, "Refractory to standard treatment",
	 "prior therapy of any kind [refractory] AND (unread)"},
	/* in an exclusion list, or with an alternative, it would bar
	 * more */
	{E, NULL, "Progressed on all available standard therapy", "review"},
	{U, NULL,
	 "Histologically proven solid tumor that has failed standard therapy "
	 "or for which no such therapy exists",
	 "review"},
	/* a group admitted in one part of the study: either reading
	 * admits, the part is unread */
	{I, NULL,
	 "Documented KRAS mutation at codon 12, 13 or 61 (for example G12D, "
	 "G12V, G12R, G13D, Q61H); KRAS G12C is allowed in dose escalation "
	 "only",
	 "((KRAS mutated AND (unread)) OR KRAS G12C mutation) AND (unread)"},
	{I, NULL,
	 "KRAS G12D mutation; KRAS G12C is allowed in the dose escalation "
	 "part only",
	 "(KRAS G12D mutation OR KRAS G12C mutation) AND (unread)"},
	/* in an exclusion list the group would be let through: review */
	{E, NULL, "KRAS G12D mutation; KRAS G12C is allowed in dose escalation "
		  "only",
	 "review"},
	{I, NULL,
	 "KRAS G12D mutation; patients with stable brain metastases are "
	 "allowed in dose escalation only",
	 "review"},
	{I, NULL, "KRAS G12D mutation; KRAS G12C is allowed in cohort B only",
	 "review"},
};

/* ------------------------------------------------------------------ */


TestSuite(extract, .init = setup, .fini = teardown);

Test(extract, performance_status)
{
	check_rows(ROWS(performance));
}
Test(extract, measurable_disease)
{
	check_rows(ROWS(measurable));
}
Test(extract, age_and_pregnancy)
{
	check_rows(ROWS(demographics));
}
Test(extract, disease_and_stage)
{
	check_rows(ROWS(disease));
}
Test(extract, biomarkers)
{
	check_rows(ROWS(biomarkers));
}
Test(extract, prior_therapy)
{
	check_rows(ROWS(therapy));
}
Test(extract, prior_lines)
{
	check_rows(ROWS(lines));
}
Test(extract, metastatic_sites)
{
	check_rows(ROWS(sites));
}
Test(extract, brain_metastases)
{
	check_rows(ROWS(brain));
}
Test(extract, labs)
{
	check_rows(ROWS(lab_rows));
}
Test(extract, headings)
{
	check_rows(ROWS(headings));
}
Test(extract, stays_review)
{
	check_rows(ROWS(review));
}

Test(extract, table_is_large_enough)
{
	size_t n = sizeof(performance) / sizeof(row) +
		   sizeof(measurable) / sizeof(row) +
		   sizeof(demographics) / sizeof(row) +
		   sizeof(disease) / sizeof(row) +
		   sizeof(biomarkers) / sizeof(row) +
		   sizeof(therapy) / sizeof(row) + sizeof(lines) / sizeof(row) +
		   sizeof(sites) / sizeof(row) + sizeof(brain) / sizeof(row) +
		   sizeof(lab_rows) / sizeof(row) +
		   sizeof(headings) / sizeof(row),
	       nr = sizeof(review) / sizeof(row);

	cr_expect_geq(n + nr, 170, "%zu rows", n + nr);
	cr_expect_geq(nr, 30, "%zu review rows", nr);
}

/* The constraint values themselves, not only their printed form. */
Test(extract, constraint_values)
{
	ctm_arena *a = ctm_arena_new();
	ctm_criterion c;
	char buf[512];
	const ctm_constraint *k;

	extract(I, NULL,
		"AST/ALT \xe2\x89\xa4 2.5 x ULN (\xe2\x89\xa4 5 x ULN "
		"with liver metastases)",
		&c, a, buf, sizeof(buf));
	cr_assert(c.structured);
	cr_assert_eq(c.n_expr, 3);
	cr_expect_eq(c.expr[0].op, CTM_EXPR_AND);
	cr_expect_eq(c.expr[0].arg, 2);
	cr_assert_eq(c.n_constraints, 2);
	k = &c.constraints[0];
	cr_expect_eq(k->kind, CTM_K_LAB);
	cr_expect_str_eq(ctm_lexicon_name(lx, k->concept), "ast");
	cr_expect(isinf(k->lo) && k->lo < 0);
	cr_expect_float_eq(k->hi, 2.5, 1e-9);
	cr_expect_float_eq(k->alt_hi, 5.0, 1e-9);
	cr_expect_eq(k->flags, CTM_F_ULN | CTM_F_LIVER_EXCEPTION);
	cr_expect_str_eq(ctm_lexicon_name(lx, c.constraints[1].concept), "alt");

	extract(I, NULL, "KRAS G12C mutation", &c, a, buf, sizeof(buf));
	cr_assert_eq(c.n_constraints, 1);
	k = &c.constraints[0];
	cr_expect_eq(k->kind, CTM_K_BIOMARKER);
	cr_expect_eq(k->status, CTM_BM_MUTATED);
	cr_expect_str_eq(ctm_lexicon_name(lx, k->concept), "KRAS");
	cr_expect_str_eq(ctm_lexicon_name(lx, k->variant), "KRAS G12C");

	extract(E, NULL, "Chemotherapy within 4 weeks prior to randomization",
		&c, a, buf, sizeof(buf));
	cr_assert_eq(c.n_expr, 2);
	cr_expect_eq(c.expr[0].op, CTM_EXPR_NOT);
	k = &c.constraints[0];
	cr_expect_eq(k->kind, CTM_K_THERAPY);
	cr_expect_eq(k->flags, CTM_F_WITHIN);
	cr_expect_eq(k->within_days, 28);

	extract(I, NULL, "Karnofsky performance status \xe2\x89\xa5 70%", &c, a,
		buf, sizeof(buf));
	k = &c.constraints[0];
	cr_expect_eq(k->kind, CTM_K_KARNOFSKY);
	cr_expect_float_eq(k->lo, 70, 1e-9);
	cr_expect(isinf(k->hi) && k->hi > 0);

	extract(I, NULL,
		"At least 2 prior lines of systemic therapy for "
		"metastatic disease",
		&c, a, buf, sizeof(buf));
	k = &c.constraints[0];
	cr_expect_eq(k->kind, CTM_K_PRIOR_LINES);
	cr_expect_float_eq(k->lo, 2, 1e-9);
	cr_expect(isinf(k->hi));
	cr_expect_eq(k->flags, CTM_F_METASTATIC_SETTING);

	extract(E, NULL, "Brain metastases, unless treated and stable", &c, a,
		buf, sizeof(buf));
	cr_assert_eq(c.n_constraints, 1);
	cr_expect_eq(c.constraints[0].kind, CTM_K_BRAIN_METS);
	cr_expect_eq(c.constraints[0].flags, CTM_F_ACTIVE);
	ctm_arena_free(a);
}

/* Odd input never crashes and stays review. */
Test(extract, odd_input)
{
	static const char *odd[] = {
		"",
		" ",
		"(((",
		")))",
		":",
		"\xe2\x89\xa5",
		"and or and",
		"KRAS KRAS KRAS KRAS",
		"\xff\xfe\xfd",
		"ECOG",
		"1.5 x ULN",
		"no no no",
		"Q0 Q1",
		"L0 >= 1.5",
		"S0 metastases",
	};
	ctm_arena *a = ctm_arena_new();
	char big[3000];
	ctm_criterion c;
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		extract(I, NULL, odd[i], &c, a, buf, sizeof(buf));
		cr_expect_str_eq(buf, "review", "'%s' gave %s", odd[i], buf);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	extract(I, NULL, big, &c, a, buf, sizeof(buf));
	cr_expect_str_eq(buf, "review");
	/* a criterion without text is review */
	memset(&c, 0, sizeof(c));
	cr_expect_eq(ctm_criteria_extract(ctx, &c, a, NULL), 0);
	cr_expect(!c.structured);
	ctm_arena_free(a);
}

/* The trial-level entry point: segment, extract, lexicon hash. */
Test(extract, verdict_table_shapes)
{
	check_rows(ROWS(verdict_shapes));
}

Test(extract, parse_trial)
{
	ctm_trial *t = ctm_trial_new();
	ctm_error err = {0};
	size_t i, structured = 0;

	cr_assert(t);
	t->criteria_text =
		"Inclusion Criteria:\n"
		"  - Histologically confirmed adenocarcinoma of the colon or "
		"rectum\n"
		"  - ECOG performance status 0-1\n"
		"  - Able to swallow tablets\n"
		"Exclusion Criteria:\n"
		"  - Prior treatment with anti-EGFR therapy\n"
		"  - No measurable disease\n";
	cr_assert_eq(ctm_criteria_parse(ctx, t, &err), 0, "%s", err.message);
	cr_assert_eq(t->n_criteria, 5);
	cr_expect_eq(t->lexicon_hash, ctm_criteria_version(ctx));
	for (i = 0; i < t->n_criteria; i++)
		structured += t->criteria[i].structured;
	cr_expect_eq(structured, 4);
	cr_expect_eq(t->criteria[3].section, CTM_SECTION_EXCLUSION);
	cr_expect_eq(t->criteria[3].expr[0].op, CTM_EXPR_NOT);
	cr_expect(!t->criteria[2].structured);
	ctm_trial_free(t);

	t = ctm_trial_new();
	cr_assert_eq(ctm_criteria_parse(ctx, t, &err), 0);
	cr_expect_eq(t->n_criteria, 0);
	ctm_trial_free(t);

	/* two criteria joined by a trailing "OR" are alternatives: neither
	 * is a requirement on its own */
	t = ctm_trial_new();
	t->criteria_text = "Inclusion Criteria:\n"
			   "  - Progressed on oxaliplatin OR\n"
			   "  - Progressed on irinotecan\n"
			   "  - ECOG 0-1\n";
	cr_assert_eq(ctm_criteria_parse(ctx, t, &err), 0, "%s", err.message);
	cr_assert_eq(t->n_criteria, 3);
	cr_expect(!t->criteria[0].structured);
	cr_expect(!t->criteria[1].structured);
	cr_expect(t->criteria[2].structured);
	ctm_trial_free(t);
}

/* The printer on hand-made constraints (no lexicon: concept ids). */
Test(extract, printer)
{
	ctm_constraint k;
	char buf[128];

	memset(&k, 0, sizeof(k));
	k.kind = CTM_K_ECOG;
	k.lo = 0;
	k.hi = 1;
	ctm_constraint_format(&k, NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "ECOG 0-1");
	k.kind = CTM_K_STAGE;
	k.lo = 3;
	k.hi = 4;
	ctm_constraint_format(&k, NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "stage III-IV");
	k.kind = CTM_K_THERAPY;
	k.concept = 7;
	k.flags = CTM_F_CURRENT;
	ctm_constraint_format(&k, NULL, buf, sizeof(buf));
	cr_expect_str_eq(buf, "current #7");
	/* a short buffer is cut and still terminated; the length needed is
	 * returned */
	cr_expect_eq(ctm_constraint_format(&k, NULL, buf, 4), 10);
	cr_expect_str_eq(buf, "cur");
}

/* One parser, one context per thread: the same answers in parallel. */
static void *extract_all(void *arg)
{
	static const row *const tables[] = {therapy, biomarkers, lab_rows};
	static const size_t sizes[] = {sizeof(therapy) / sizeof(row),
				       sizeof(biomarkers) / sizeof(row),
				       sizeof(lab_rows) / sizeof(row)};
	ctm_criteria_ctx *mine;
	size_t *bad = arg, t, i;
	int round;

	if (ctm_criteria_ctx_new(&mine, parser))
		return NULL;
	for (round = 0; round < 20; round++)
		for (t = 0; t < 3; t++)
			for (i = 0; i < sizes[t]; i++) {
				ctm_arena *a = ctm_arena_new();
				ctm_criterion c;
				char got[1024];
				memset(&c, 0, sizeof(c));
				c.section = tables[t][i].section;
				c.heading = tables[t][i].heading;
				c.text = tables[t][i].text;
				ctm_criteria_extract(mine, &c, a, NULL);
				ctm_criterion_format(&c, lx, got, sizeof(got));
				if (strcmp(got, tables[t][i].want))
					(*bad)++;
				ctm_arena_free(a);
			}
	ctm_criteria_ctx_free(mine);
	return NULL;
}

Test(extract, threads_share_one_parser)
{
	pthread_t th[4];
	size_t bad[4] = {0}, i;

	for (i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, extract_all, &bad[i]),
			     0);
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_expect_eq(bad[i], 0, "thread %zu: %zu wrong answers", i,
			     bad[i]);
	}
}
