/*
 * test_extract_strict.c - strict and inclusive comparisons in the criteria
 * reader. "less than", "under", "below", "<" are strict upper bounds and
 * "more than", "over", "above", "exceeding", ">" strict lower bounds
 * (CTM_F_LO_OPEN / CTM_F_HI_OPEN, printed "<" and ">"); "at least", "no
 * more than", "up to", "not exceeding", "minimum of", "or more" are
 * inclusive ("<=" and ">="). The exclusion "ANC < 1,500/mm3" must admit
 * 1.5 x10^9/L, the inclusion "ANC > 1,500" must not. Integer scales (ECOG,
 * prior lines) are folded ("ECOG < 2" is ECOG 0-1). A washout of at least
 * 28 days bars the therapy fewer than 28 days ago ("within < 28 days").
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h. The sentences
 * are ours, in the registry's style.
 */
#include "extract_rows.h"

/* ---- labs: inclusions ---------------------------------------------------- */
static const row lab_inclusions[] = {
	{I, NULL, "ANC > 1,500/mm3", "ANC > 1.5 x10^9/L"},
	{I, NULL, "ANC greater than 1500/uL", "ANC > 1.5 x10^9/L"},
	{I, NULL, "Absolute neutrophil count more than 1.5 x 10^9/L",
	 "ANC > 1.5 x10^9/L"},
	{I, NULL, "ANC at least 1,500/mm3", "ANC >= 1.5 x10^9/L"},
	{I, NULL, "ANC \xe2\x89\xa5 1500/mm3", "ANC >= 1.5 x10^9/L"},
	{I, NULL, "Platelets over 100,000/mm3", "platelets > 100 x10^9/L"},
	{I, NULL, "Platelets above 100 x 10^9/L", "platelets > 100 x10^9/L"},
	{I, NULL, "Platelet count of at least 100,000/mm3",
	 "platelets >= 100 x10^9/L"},
	{I, NULL, "Hemoglobin exceeding 9 g/dL", "hemoglobin > 9 g/dL"},
	/* converted from g/L: the threshold keeps its strictness */
	{I, NULL, "Hemoglobin > 90 g/L", "hemoglobin > 9 g/dL"},
	{I, NULL, "Hemoglobin of at least 90 g/L", "hemoglobin >= 9 g/dL"},
	{I, NULL, "Bilirubin less than 1.5 x ULN", "bilirubin < 1.5 x ULN"},
	{I, NULL, "Bilirubin below 1.5 times the upper limit of normal",
	 "bilirubin < 1.5 x ULN"},
	{I, NULL, "Bilirubin under 1.5 mg/dL", "bilirubin < 1.5 mg/dL"},
	{I, NULL, "Bilirubin no more than 1.5 x ULN", "bilirubin <= 1.5 x ULN"},
	{I, NULL, "Bilirubin not exceeding 1.5 x ULN",
	 "bilirubin <= 1.5 x ULN"},
	{I, NULL, "Bilirubin up to 1.5 x ULN", "bilirubin <= 1.5 x ULN"},
	{I, NULL, "Bilirubin \xe2\x89\xa4 1.5 x ULN", "bilirubin <= 1.5 x ULN"},
	{I, NULL, "Creatinine clearance greater than 60 mL/min",
	 "creatinine clearance > 60 mL/min"},
	{I, NULL, "Creatinine clearance minimum of 60 mL/min",
	 "creatinine clearance >= 60 mL/min"},
	/* "within normal limits" is <= ULN; "< ULN" is strict */
	{I, NULL, "Bilirubin within normal limits", "bilirubin <= 1 x ULN"},
	{I, NULL, "Bilirubin < ULN", "bilirubin < 1 x ULN"},
};

/* ---- labs: the liver exception keeps its own comparator ---------------- */
static const row lab_liver[] = {
	{I, NULL, "AST < 2.5 x ULN (< 5 x ULN with liver metastases)",
	 "AST < 2.5 x ULN (< 5 x ULN with liver metastases)"},
	{I, NULL, "AST <= 2.5 x ULN (< 5 x ULN with liver metastases)",
	 "AST <= 2.5 x ULN (< 5 x ULN with liver metastases)"},
	{I, NULL, "AST < 2.5 x ULN (<= 5 x ULN with liver metastases)",
	 "AST < 2.5 x ULN (<= 5 x ULN with liver metastases)"},
	/* without a comparator of its own it restates the main one */
	{I, NULL, "AST less than 3 x ULN (5 x ULN with liver metastases)",
	 "AST < 3 x ULN (< 5 x ULN with liver metastases)"},
	{I, NULL, "AST no greater than 3 x ULN (5 x ULN with liver metastases)",
	 "AST <= 3 x ULN (<= 5 x ULN with liver metastases)"},
};

/* ---- labs: exclusions ---------------------------------------------------- */
static const row lab_exclusions[] = {
	{E, NULL, "ANC < 1500/mm3", "NOT ANC < 1.5 x10^9/L"},
	{E, NULL, "Platelet count less than 100,000/mm3",
	 "NOT platelets < 100 x10^9/L"},
	{E, NULL, "Bilirubin > 1.5 x ULN", "NOT bilirubin > 1.5 x ULN"},
	{E, NULL, "Bilirubin \xe2\x89\xa5 1.5 x ULN",
	 "NOT bilirubin >= 1.5 x ULN"},
	{E, NULL, "Creatinine clearance less than or equal to 50 mL/min",
	 "NOT creatinine clearance <= 50 mL/min"},
	{E, NULL, "Hemoglobin below 9 g/dL", "NOT hemoglobin < 9 g/dL"},
	/* near-miss: an equality is no bound */
	{I, NULL, "ANC = 1500/mm3", "review"},
};

/* ---- age ----------------------------------------------------------------- */
static const row ages[] = {
	{I, NULL, "Age > 18 years", "age > 18"},
	{I, NULL, "Age over 18", "age > 18"},
	{I, NULL, "Age under 75 years", "age < 75"},
	{I, NULL, "Age \xe2\x89\xa5 18 years", "age >= 18"},
	{I, NULL, "18 years of age or older", "age >= 18"},
	{E, NULL, "Age less than 18 years", "NOT age < 18"},
	{E, NULL, "Age > 75 years", "NOT age > 75"},
	{U, "Age", "Over 18", "age > 18"},
	{U, "Age", "18 and over", "age >= 18"},
	/* "70 and under" is an upper bound that admits 70 */
	{U, NULL, "Age: 70 and under", "age <= 70"},
};

/* ---- performance scales -------------------------------------------------- */
static const row performance[] = {
	{I, NULL, "Karnofsky performance status > 70%", "Karnofsky > 70"},
	{I, NULL, "Karnofsky performance status greater than 70%",
	 "Karnofsky > 70"},
	{I, NULL, "Karnofsky at least 70", "Karnofsky >= 70"},
	/* integer scales are folded: no open end */
	{I, NULL, "ECOG < 2", "ECOG 0-1"},
	{I, NULL, "ECOG performance status less than 2", "ECOG 0-1"},
	{I, NULL, "ECOG \xe2\x89\xa4 2", "ECOG 0-2"},
	{E, NULL, "ECOG > 2", "NOT ECOG >= 3"},
	{E, NULL, "ECOG performance status greater than 1", "NOT ECOG >= 2"},
	{I, NULL, "Fewer than 3 prior lines of therapy", "prior lines 0-2"},
	{I, NULL, "More than 1 prior line of therapy", "prior lines >= 2"},
};

/* ---- washouts and windows ------------------------------------------------ */
static const row times[] = {
	{U, NULL, "More than 4 weeks since prior chemotherapy",
	 "NOT prior chemotherapy [within 28 days]"},
	{U, NULL, "Greater than 28 days since prior radiotherapy",
	 "NOT prior radiation [within 28 days]"},
	{U, NULL, "At least 28 days since prior radiotherapy",
	 "NOT prior radiation [within < 28 days]"},
	{U, NULL, "Minimum of 4 weeks since prior surgery",
	 "NOT prior surgery [within < 28 days]"},
	{E, NULL, "Chemotherapy within 4 weeks prior to registration",
	 "NOT prior chemotherapy [within 28 days]"},
	{E, NULL, "Chemotherapy < 4 weeks prior to registration",
	 "NOT prior chemotherapy [within < 28 days]"},
	{E, NULL, "Chemotherapy less than 4 weeks before registration",
	 "NOT prior chemotherapy [within < 28 days]"},
	{E, NULL, "Chemotherapy \xe2\x89\xa4 4 weeks prior to registration",
	 "NOT prior chemotherapy [within 28 days]"},
	{I, NULL, "Chemotherapy completed at least 4 weeks before registration",
	 "NOT prior chemotherapy [within < 28 days]"},
	{I, NULL,
	 "Chemotherapy completed more than 4 weeks before registration",
	 "NOT prior chemotherapy [within 28 days]"},
};

/* ---- biomarker values ---------------------------------------------------- */
static const row biomarkers[] = {
	{I, NULL, "TMB > 10 mut/Mb", "TMB high > 10"},
	{I, NULL, "TMB \xe2\x89\xa5 10 mut/Mb", "TMB high >= 10"},
	{I, NULL, "Tumor mutational burden of at least 10 mutations/Mb",
	 "TMB high >= 10"},
};

TestSuite(extract_strict, .init = setup, .fini = teardown);

Test(extract_strict, lab_inclusions)
{
	check_rows(ROWS(lab_inclusions));
}

Test(extract_strict, lab_liver_exception)
{
	check_rows(ROWS(lab_liver));
}

Test(extract_strict, lab_exclusions)
{
	check_rows(ROWS(lab_exclusions));
}

Test(extract_strict, ages)
{
	check_rows(ROWS(ages));
}

Test(extract_strict, performance_and_lines)
{
	check_rows(ROWS(performance));
}

Test(extract_strict, washouts_and_windows)
{
	check_rows(ROWS(times));
}

Test(extract_strict, biomarker_values)
{
	check_rows(ROWS(biomarkers));
}
