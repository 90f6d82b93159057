/*
 * test_extract_general.c - the general-medicine concepts of issue #10:
 * labs written with notations of their own, performance scales in other
 * words, life expectancy, heart function, allergies, substance abuse,
 * devices, organ-system disorders, tests said normal, and an illness
 * that "would preclude the study".
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h; "(unread)" is a
 * part not read, "review" a sentence that must stay unread. The sentences
 * are ours, written in the registry's style; the expected values were
 * written from what each sentence means. Conditions no profile holds read
 * as constraints whose outcome is unknown (shown to check).
 */
#include "extract_rows.h"

/* ---- labs: names, parts and units ----------------------------------- */
static const row lab_rows[] = {
	/* the lab restated by its parts or abbreviations in parentheses */
	{I, NULL, "Absolute neutrophil count (segmented neutrophils + bands) "
		  "at least 1,000/uL",
	 "ANC >= 1 x10^9/L"},
	{I, NULL, "Granulocyte count (AGC/ANC) >= 2,000/microliters (uL)",
	 "ANC >= 2 x10^9/L"},
	{U, NULL, "Absolute neutrophil count (polys plus bands) at least "
		  "1,200/mm3",
	 "ANC >= 1.2 x10^9/L"},
	/* labs no profile holds: read, unknown */
	{U, NULL, "Total lymphocyte count at least 600/mm3",
	 "lymphocytes >= 0.6 x10^9/L"},
	{I, NULL, "Lymphocytes > 0.8 x 10^9/L", "lymphocytes > 0.8 x10^9/L"},
	{U, NULL, "Serum LDH no greater than 2 times upper limit of normal",
	 "LDH <= 2 x ULN"},
	{U, NULL, "Lactate dehydrogenase normal", "LDH <= 1 x ULN"},
	{U, NULL, "Serum calcium no greater than 11.5 mg/dL",
	 "calcium <= 11.5 mg/dL"},
	{I, NULL, "CD4+ cell count at least 350 cells/mm^3",
	 "CD4 count >= 0.35 x10^9/L"},
	/* a misspelling of the clearance the registry often has */
	{U, NULL, "Creatine clearance at least 50 mL/min",
	 "creatinine clearance >= 50 mL/min"},
	/* a range the value must stay in, each bound denied (strict:
	 * "no less than 120" allows 120) */
	{U, NULL, "No platelet count less than 120,000/mm3 or greater than "
		  "450,000/mm3",
	 "NOT platelets < 120 x10^9/L AND NOT platelets > 450 x10^9/L"},
	/* near-misses: calcium as a supplement, a lab without a number, a
	 * lab with a unit its concept does not take, and a range denied in an
	 * exclusion list (whose "no" is ambiguous) */
	{E, NULL, "No regular use of calcium or vitamin D supplements",
	 "review"},
	{U, NULL, "LDH elevated", "review"},
	{U, NULL, "LDH less than 300 U/L", "review"},
	{E, NULL, "No hemoglobin less than 10.0 or greater than 17.0 g/dL",
	 "review"},
	/* unit spellings and a value restated in another unit */
	{U, NULL, "WBC at least 3,500 per micro liter",
	 "WBC >= 3.5 x10^9/L"},
	{I, NULL, "Platelets >= 120,000 mm³", "platelets >= 120 x10^9/L"},
	{I, NULL, "Leukocytes >= 2500 uL", "WBC >= 2.5 x10^9/L"},
	{U, NULL, "Granulocyte count at least 1,800 per mm(3)",
	 "ANC >= 1.8 x10^9/L"},
	{I, NULL, "ANC >= 1.2 x 10^9/L (1200/uL)", "ANC >= 1.2 x10^9/L"},
	{I, NULL, "Hemoglobin >= 100 g/L (10 g/dL)", "hemoglobin >= 10 g/dL"},
	/* the upper limit of normal in other words */
	{U, NULL, "Bilirubin within or below the normal range for the "
		  "laboratory",
	 "bilirubin <= 1 x ULN"},
	{I, NULL, "AST =< 3 x IULN", "AST <= 3 x ULN"},
	{I, NULL, "ALT less than 2 times the upper limit of the reference "
		  "range",
	 "ALT < 2 x ULN"},
	{U, NULL, "Transaminases less than 2.5- fold upper limit of normal",
	 "AST < 2.5 x ULN AND ALT < 2.5 x ULN"},
	/* how a clearance was obtained; a label before the labs */
	{I, NULL, "Measured or calculated creatinine clearance >= 50 mL/min",
	 "creatinine clearance >= 50 mL/min"},
	{U, NULL, "Normal hepatic function: bilirubin less than 2.0 mg/dL",
	 "bilirubin < 2 mg/dL"},
	/* when the labs were drawn, as a label: dropped before a lab */
	{I, NULL, "Within 14 days prior to registration: Platelets >= "
		  "75,000/mcL",
	 "platelets >= 75 x10^9/L"},
	/* near-miss: the same label before a therapy is the fact */
	{I, NULL, "Within 4 weeks prior to registration: radiotherapy",
	 "review"},
	/* "11 or greater" is a bound; "11 or greater than" is not */
	{U, NULL, "Hemoglobin 9 or greater than normal", "review"},
};

TestSuite(extract_general, .init = setup, .fini = teardown);

Test(extract_general, labs)
{
	check_rows(ROWS(lab_rows));
}

/* ---- tests said normal ---------------------------------------------- */
static const row tests_normal[] = {
	{U, NULL, "Serum electrolytes within normal limits",
	 "NOT condition electrolyte abnormality"},
	{I, NULL, "Normal 12-lead ECG", "NOT condition ECG abnormality"},
	{U, NULL, "Electrocardiogram, which shows no clinically significant "
		  "abnormalities",
	 "NOT condition ECG abnormality"},
	{U, NULL, "Urinalysis normal", "NOT condition abnormal urinalysis"},
	{E, NULL, "Abnormal electrocardiogram",
	 "NOT condition ECG abnormality"},
	/* near-misses: a test about something else, a normal test with a
	 * condition */
	{U, NULL, "Normal ECG unless due to prior therapy", "review"},
	{U, NULL, "Electrolytes corrected to normal before treatment",
	 "review"},
};

Test(extract_general, tests_normal)
{
	check_rows(ROWS(tests_normal));
}

/* ---- performance, life expectancy ------------------------------------ */
static const row performance[] = {
	{I, NULL, "ECOG performance standard of 0 or 1", "ECOG 0-1"},
	{I, NULL, "Karnofsky performance status index at least 60%",
	 "Karnofsky >= 60"},
	{U, NULL, "Performance status (Karnofsky score) at least 80",
	 "Karnofsky >= 80"},
	{I, NULL, "Performance status of at least 60% (Karnofsky)",
	 "Karnofsky >= 60"},
	{I, NULL, "Karnofsky performance status (KPS) at least 70%",
	 "Karnofsky >= 70"},
	{I, NULL, "Anticipated survival of more than 12 weeks",
	 "condition adequate life expectancy"},
	{I, NULL, "A minimum expected duration of survival of 3 months",
	 "condition adequate life expectancy"},
	{I, NULL, "Expected life span of at least 6 months",
	 "condition adequate life expectancy"},
	{U, NULL, "LVEF at least 45% by radionuclide angiography",
	 "LVEF >= 45%"},
	/* near-misses: a performance scale with no value, a survival that
	 * is an outcome, a short one */
	{I, NULL, "Performance status (Karnofsky) to be recorded", "review"},
	{I, NULL, "Anticipated survival benefit from surgery", "review"},
	{E, NULL, "Anticipated survival of less than 3 months", "review"},
};

Test(extract_general, performance)
{
	check_rows(ROWS(performance));
}

/* ---- heart ------------------------------------------------------------ */
static const row heart[] = {
	{E, NULL, "Class III or IV functional capacity in cardiac patients",
	 "NOT condition heart failure"},
	{U, NULL, "No history of severe myocardial disease",
	 "NOT condition cardiomyopathy"},
	{U, NULL, "No inadequate cardiac function",
	 "NOT condition cardiovascular disease"},
	{U, NULL, "No uncontrolled cardiac dysrhythmias",
	 "NOT condition active arrhythmia"},
	{U, NULL, "No mechanical heart valve",
	 "NOT condition prosthetic heart valve"},
	{E, NULL, "Implantable defibrillator", "NOT condition pacemaker"},
	{E, NULL, "Implanted cardiac pacemaker or defibrillator",
	 "NOT condition pacemaker"},
	/* near-miss: a functional class that is not the heart's */
	{I, NULL, "Class I or II functional capacity", "review"},
};

Test(extract_general, heart)
{
	check_rows(ROWS(heart));
}

/* ---- allergies -------------------------------------------------------- */
static const row allergies[] = {
	{E, NULL, "Patients allergic to murine proteins",
	 "NOT condition hypersensitivity"},
	{E, NULL, "Is hypersensitive to filgrastim",
	 "NOT condition hypersensitivity"},
	{E, NULL, "Known sensitivity to any of the study drugs",
	 "NOT condition hypersensitivity"},
	{E, NULL, "Sensitive to E. coli derived products",
	 "NOT condition hypersensitivity"},
	{E, NULL, "Prior allergic anaphylactic reaction to a monoclonal "
		  "antibody",
	 "NOT condition hypersensitivity"},
	{E, NULL, "History of serious drug allergies",
	 "NOT condition hypersensitivity"},
	/* near-misses: how a tumour responds is no allergy; an allergy with
	 * a number stays for the rest of the reader */
	{I, NULL, "Tumour sensitivity to platinum-based chemotherapy",
	 "review"},
	{I, NULL, "Disease sensitive to oxaliplatin", "review"},
	{E, NULL, "Allergic to more than 2 drug classes", "review"},
	/* an allergy beside another fact, or a permission, is not eaten */
	{E, NULL, "Allergic to aspirin or have had a severe reaction to "
		  "contrast media",
	 "review"},
	{E, NULL, "Patients allergic to shellfish may enrol if they agree to "
		  "premedication",
	 "review"},
};

Test(extract_general, allergies)
{
	check_rows(ROWS(allergies));
}

/* ---- other conditions no profile holds --------------------------------- */
static const row conditions[] = {
	{E, NULL, "Known alcohol abusers",
	 "NOT condition substance abuse"},
	{U, NULL, "No alcohol or narcotic dependency",
	 "NOT condition substance abuse"},
	{E, NULL, "Cognitive disorder", "NOT condition cognitive impairment"},
	{E, NULL, "Obstructive uropathy",
	 "NOT condition urinary tract obstruction"},
	{U, NULL, "No obstruction of the gastrointestinal tract",
	 "NOT condition bowel obstruction"},
	{U, NULL, "No blood disorders",
	 "NOT condition haematological disorder"},
	{U, NULL, "No uncontrolled endocrine disease",
	 "NOT condition active endocrine disorder"},
	{U, NULL, "No bleeding events within the past 3 months",
	 "NOT condition haemorrhage"},
	{U, NULL, "No sickle cell crisis within 1 year",
	 "NOT condition sickle cell disease"},
	{E, NULL, "Neuropsychiatric disorder",
	 "NOT condition psychiatric illness"},
	{E, NULL, "Heavy use of alcohol or illicit drugs",
	 "NOT condition substance abuse"},
	{E, NULL, "Patients who abuse alcohol or drugs",
	 "NOT condition substance abuse"},
	{U, NULL, "No other concurrent severe disease",
	 "NOT condition intercurrent illness"},
	/* another study, however it is written */
	{E, NULL, "Concurrent participation in any other interventional "
		  "trial",
	 "NOT condition participation in another trial"},
	{U, NULL, "No enrollment in another investigational drug study",
	 "NOT condition participation in another trial"},
	/* near-misses: this study is not another */
	{E, NULL, "Prior participation in this study", "review"},
	/* near-miss: the activity of the disease under study */
	{E, NULL, "Severe disease activity (index above 12)", "review"},
};

Test(extract_general, conditions)
{
	check_rows(ROWS(conditions));
}

/* ---- a count of the items that follow, inside one criterion ------------ */
static const row counts[] = {
	/* alternatives must never read as all holding */
	{I, NULL, "Cytopenia with at least 2 of the following: ANC less than "
		  "1,000/mm3; platelets less than 50,000/mm3; hemoglobin less "
		  "than 9 g/dL",
	 "review"},
	{U, NULL, "Marrow failure shown by one of the following: platelets "
		  "less than 30,000/mm3; ANC less than 500/mm3",
	 "review"},
	{E, NULL, "Two or more of the following: ascites; jaundice; "
		  "encephalopathy",
	 "review"},
	/* in an exclusion list any one of them excludes */
	{E, NULL, "Any of the following: uncontrolled hypertension; unstable "
		  "angina",
	 "NOT (condition active hypertension OR condition active angina)"},
};

Test(extract_general, counts)
{
	check_rows(ROWS(counts));
}

/* ---- pregnancy and nursing, in other words ------------------------------ */
static const row pregnancy[] = {
	{E, NULL, "Pregnancy (positive serum pregnancy test) or lactation",
	 "NOT (pregnant OR breastfeeding)"},
	{E, NULL, "Women with a positive pregnancy test or who are nursing",
	 "NOT (pregnant OR breastfeeding)"},
	{U, NULL, "Negative pregnancy test required for women of "
		  "childbearing potential",
	 "NOT pregnant"},
	{I, NULL, "Non-pregnant and non-lactating", "NOT (pregnant OR "
						  "breastfeeding)"},
	{I, NULL, "Not pregnant and not breastfeeding",
	 "NOT (pregnant OR breastfeeding)"},
	{E, NULL, "Pregnant or nursing women, because the study drug may "
		  "harm the fetus",
	 "NOT (pregnant OR breastfeeding)"},
	{E, NULL, "Lactating women are not eligible for enrollment in this "
		  "trial",
	 "NOT breastfeeding"},
	/* near-misses: a reason that is no harm to a child, a test that is
	 * not the pregnancy's */
	{E, NULL, "Pregnant women because of the risk of bleeding during "
		  "surgery",
	 "review"},
	{I, NULL, "Positive tuberculin skin test", "condition tuberculosis"},
};

Test(extract_general, pregnancy)
{
	check_rows(ROWS(pregnancy));
}

/* ---- an illness that would preclude the study ---------------------------- */
static const row precluding[] = {
	{E, NULL, "Any other illness that would interfere with the "
		  "assessment of toxicity",
	 "NOT condition intercurrent illness"},
	{U, NULL, "No other serious disease that would preclude protocol "
		  "treatment",
	 "NOT condition intercurrent illness"},
	{U, NULL, "No severe systemic disorders that may compromise "
		  "participation",
	 "NOT condition intercurrent illness"},
	{U, NULL, "No medical or psychological condition which would "
		  "preclude study entry",
	 "NOT (condition intercurrent illness OR condition psychiatric "
	 "illness)"},
	{E, NULL, "Any serious systemic disorder incompatible with the study",
	 "NOT condition intercurrent illness"},
	/* near-misses: a disease of the cancer, a reason with no illness in
	 * it, and a subject that is not an illness */
	{U, NULL, "No other disease that would preclude liver resection",
	 "review"},
	{U, NULL, "No extrahepatic disease that would preclude resection",
	 "review"},
	{E, NULL, "Any reason that would preclude participation, in the "
		  "investigator's view",
	 "review"},
	{E, NULL, "Any circumstance that would make the patient unsuitable",
	 "review"},
};

Test(extract_general, precluding)
{
	check_rows(ROWS(precluding));
}

/* ---- age in other orders, lead-ins, restated classes ------------------- */
static const row ages_and_leads[] = {
	/* an age range with a hyphen or a tilde, "over age", "between the
	 * ages of", both sexes named before the age */
	{I, NULL, "Aged 20-70 years", "age 20-70"},
	{I, NULL, "Age 30～75", "age 30-75"},
	{I, NULL, "Men and women aged 21-64", "age 21-64"},
	{I, NULL, "Female or male subjects aged 19-60 years", "age 19-60"},
	{I, NULL, "Participants must be between the ages of 21 and 70",
	 "age 21-70"},
	{I, NULL, "Patients over the age of 19", "age > 19"},
	{E, NULL, "Patients under age 21", "NOT age < 21"},
	/* near-misses: an age in parentheses says to whom a criterion
	 * applies; a share or a length after a hyphen is no age */
	{I, NULL, "Karnofsky 60-100% (over age 12)", "review"},
	{I, NULL, "Lansky 60-100% (age 1-12)", "review"},
	/* the existential lead-in */
	{U, NULL, "There must be no history of prior cytotoxic chemotherapy",
	 "NOT prior chemotherapy"},
	{I, NULL, "There should be evidence of metastatic disease",
	 "metastatic"},
	{I, NULL, "There may be no more than one prior regimen", "review"},
	/* metastases "secondary to" a cancer */
	{I, NULL, "Unresectable hepatic metastases secondary to colon cancer",
	 "NOT resectable AND liver metastases AND diagnosis colon cancer"},
	/* a New York Heart Association class restating a cardiac disease
	 * narrows it: the class stays unread */
	{U, NULL, "No significant heart disease (NYHA class III or IV)",
	 "NOT (condition cardiovascular disease AND (unread))"},
	{U, NULL, "No cardiac disease (New York Heart Association class "
		  "III/IV heart disease)",
	 "NOT (condition cardiovascular disease AND (unread))"},
	/* the upper limit of normal after "below" */
	{I, NULL, "Bilirubin below the upper limit of normal",
	 "bilirubin < 1 x ULN"},
	{I, NULL, "AST below the institutional upper limit of normal",
	 "AST < 1 x ULN"},
	/* cancer "of the prostate", a misspelling */
	{U, NULL, "No prior radiotherapy for carcinoma of the prostate",
	 "NOT (prior radiation AND (unread))"},
	{I, NULL, "Measureable disease", "measurable disease"},
};

Test(extract_general, ages_and_leads)
{
	check_rows(ROWS(ages_and_leads));
}
