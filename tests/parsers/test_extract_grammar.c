/*
 * test_extract_grammar.c - the generic grammar of the criteria reader around
 * facts no profile holds: sentences about conditions alone (each unknown, to
 * check) with words left unread around them, the PDQ headings whose concept
 * an item carries ("Life expectancy:"), and the scope cues that must keep a
 * sentence review ("are not excluded", alternatives across ';').
 *
 * Each row: section, heading (or NULL), sentence, and the expected
 * expression in the notation of parsers/criteria_print.h; "(unread)" is a
 * part the parser did not read. The sentences are ours, in the registry's
 * style.
 */
#include "extract_rows.h"

/* ---- unread words that narrow a condition ------------------------------ */
static const row condition_words[] = {
	/* a modifier before the condition narrows it */
	{E, NULL, "Intractable diarrhoea", "NOT ((unread) AND condition chronic "
					    "diarrhoea)"},
	{U, NULL, "No uncompensated coronary artery disease",
	 "NOT ((unread) AND condition coronary artery disease)"},
	{I, NULL, "Asymptomatic HIV infection",
	 "(unread) AND condition HIV infection"},
	/* modifiers joined by "or" before one condition are one run */
	{U, NULL, "No total or partial bowel obstruction",
	 "NOT ((unread) AND condition bowel obstruction)"},
	{I, NULL, "Moderate or tense ascites", "(unread) AND condition ascites"},
	/* a restriction after it: requiring, within, a parenthesis */
	{E, NULL, "Epilepsy requiring hospital admission in the past year",
	 "NOT (condition seizure disorder AND (unread))"},
	/* the frame's own "within" (a time of the whole list) */
	{E, NULL,
	 "Angina, heart failure or myocardial infarction within the past "
	 "year",
	 "NOT (condition angina OR condition heart failure OR condition "
	 "myocardial infarction)"},
	{E, NULL, "Severe obesity (BMI over 40)",
	 "NOT (condition obesity AND (unread))"},
	/* a grade narrows the condition, unknown either way */
	{U, NULL, "No grade 3 or worse peripheral neuropathy",
	 "NOT ((unread) AND condition peripheral neuropathy)"},
	/* an unread item of a list of conditions */
	{E, NULL, "Gout, kidney stones or renal failure",
	 "NOT (condition gout OR (unread) OR condition renal failure)"},
	/* a site word before the condition narrows it */
	{U, NULL, "No cerebral toxoplasmosis",
	 "NOT ((unread) AND condition Toxoplasmosis)"},
	/* near-misses: the condition is the object of another word */
	{I, NULL, "Negative HIV antibody test", "review"},
	{E, NULL, "Treatment for acute pneumocystis pneumonia in the past "
		  "month",
	 "review"},
	{E, NULL, "Family history of epilepsy", "review"},
	{E, NULL, "Current anti-HIV medication", "review"},
	/* a condition naming a therapy narrows the therapy: the patient
	 * need not have it (the hepatitis B vaccine is a vaccine of its own) */
	{E, NULL, "Hepatitis B vaccination within 3 months",
	 "NOT prior hepatitis B vaccine [within 90 days]"},
	{E, "Prior Medication: Excluded", "Prior HIV vaccines.",
	 "NOT ((unread) AND prior vaccine)"},
	/* a class named with the condition is the class */
	{E, NULL, "Use of HIV protease inhibitors",
	 "NOT prior HIV protease inhibitor"},
	{E, NULL, "High risk behaviour for HIV infection", "review"},
	{I, NULL, "Willing to abstain from smoking during the study", "review"},
	/* a time since the condition is no narrowing: without it, a
	 * patient passes */
	{U, NULL, "At least 6 months since myocardial infarction", "review"},
	/* whether tablets can be swallowed is about the study drug */
	{E, NULL, "Inability to swallow tablets", "review"},
	/* a denial or a permission inside the unread words */
	{E, NULL, "Asthma unless controlled with inhalers", "review"},
	{E, NULL, "Constitutionally well without persistent fever", "review"},
	/* a condition of the patients who have it: "X must ..." */
	{I, NULL, "Current smokers must be over the age of 21", "review"},
	/* a run before a list of conditions read as one would narrow
	 * every item */
	{E, NULL, "Uric acid nephrolithiasis or renal dysfunction", "review"},
};

/* ---- more around conditions: parentheses, "other", examples --------- */
static const row condition_more[] = {
	/* a parenthesis after the condition, to its close */
	{U, NULL, "No active angina (stable or unstable)",
	 "NOT (condition active angina AND (unread))"},
	{E, NULL, "Uncontrolled hypertension (i.e., blood pressure over "
		  "150/100 mm Hg on medication)",
	 "NOT (condition active hypertension AND (unread))"},
	/* "other" illness: other than the trial's, a narrowing */
	{U, NULL, "No other serious medical illness",
	 "NOT condition intercurrent illness"},
	/* examples of an illness narrow nothing */
	{E, NULL, "Serious lung disease, such as chronic obstructive "
		  "pulmonary disease",
	 "NOT condition lung disorder"},
	/* fillers between the words and the condition */
	{E, NULL, "Have a history of a serious mental disorder.",
	 "NOT ((unread) AND condition psychiatric illness)"},
	{U, NULL, "No severe peripheral vascular disease associated with "
		  "diabetes mellitus",
	 "NOT (condition peripheral vascular disease AND (unread) AND "
	 "condition diabetes)"},
	/* near-misses: an exception first, a device used */
	{E, NULL, "Other than hypertension, no cardiovascular disease",
	 "review"},
	{E, NULL, "Use of hearing aids", "review"},
};

Test(extract_grammar, condition_more)
{
	check_rows(ROWS(condition_more));
}

Test(extract_grammar, condition_words)
{
	check_rows(ROWS(condition_words));
}

/* ---- short forms of conditions ------------------------------------------ */
static const row condition_forms[] = {
	/* "hepatitis B or C" is hepatitis C too */
	{E, NULL, "Hepatitis B or C", "NOT (condition hepatitis B OR condition "
				      "hepatitis C)"},
	{E, NULL, "Known hepatitis B or C infection, or known cirrhosis.",
	 "NOT (condition hepatitis B OR condition hepatitis C OR condition "
	 "liver cirrhosis)"},
	{I, NULL, "Hepatitis B and C negative",
	 "NOT (condition hepatitis B OR condition hepatitis C)"},
	/* an NYHA class is heart failure of that class */
	{U, NULL, "No New York Heart Association class III or IV heart disease",
	 "NOT ((unread) AND condition heart failure)"},
	{E, NULL, "Congestive heart failure (NYHA class III or IV)",
	 "NOT (condition heart failure AND (unread))"},
	{I, NULL, "NYHA functional class II or III heart failure",
	 "(unread) AND condition heart failure"},
	/* next to a lab it stays review */
	{E, NULL, "LVEF below 40% or NYHA class III or IV heart failure",
	 "review"},
	/* liver failure is not cirrhosis */
	{E, NULL, "Hepatic failure", "NOT condition liver failure"},
	{E, NULL, "Difficulty swallowing", "NOT condition dysphagia"},
};

Test(extract_grammar, condition_forms)
{
	check_rows(ROWS(condition_forms));
}

/* ---- life expectancy, and its PDQ heading -------------------------------- */
static const row life_expectancy[] = {
	{U, "Life expectancy", "At least 12 weeks",
	 "condition adequate life expectancy"},
	{U, "Life expectancy", "Greater than 3 months",
	 "condition adequate life expectancy"},
	{U, "Life expectancy", "More than 8 weeks.",
	 "condition adequate life expectancy"},
	/* a length in years under the heading is no age */
	{U, "Life expectancy", "At least 5 years",
	 "condition adequate life expectancy"},
	/* an item that is another criterion keeps its own reading */
	{U, "Life expectancy", "ECOG 0-2", "ECOG 0-2"},
	{U, "Life expectancy", "Not specified", "review"},
	{I, NULL, "Expected survival of at least 3 months",
	 "condition adequate life expectancy"},
	{I, NULL, "Patients must have an expected survival for at least 4 "
		  "months",
	 "condition adequate life expectancy"},
	/* a short one is no adequate one */
	{E, NULL, "Life expectancy of less than 3 months", "review"},
	{I, NULL, "Life expectancy of less than 12 weeks", "review"},
};

Test(extract_grammar, life_expectancy)
{
	check_rows(ROWS(life_expectancy));
}

/* ---- scope cues ------------------------------------------------------- */
static const row scope_cues[] = {
	/* "are not excluded" permits */
	{E, NULL, "Participants who have asthma or rhinitis are not excluded.",
	 "review"},
	{E, NULL, "Patients with hypertension are excluded",
	 "NOT condition hypertension"},
	/* "; or" joins alternatives */
	{I, NULL, "Fever above 38 C; night sweats; or weight loss of 10%",
	 "(condition fever AND (unread)) OR condition night sweats OR "
	 "(unread)"},
	{E, NULL, "Diabetes mellitus; angina pectoris; or gout",
	 "NOT (condition diabetes OR condition angina OR condition gout)"},
};

Test(extract_grammar, scope_cues)
{
	check_rows(ROWS(scope_cues));
}

/* ---- a length of time is no age ------------------------------------ */
static const row times_not_ages[] = {
	{I, NULL, "Diabetes diagnosed more than 5 years before enrollment",
	 "condition diabetes AND (unread)"},
	{I, NULL, "History of smallpox vaccination more than 5 years prior to "
		  "enrollment",
	 "(unread) AND NOT prior vaccine [within 1825 days]"},
	{I, NULL, "Aged > 65 years", "age > 65"},
	{I, NULL, "> 18 years", "age > 18"},
};

Test(extract_grammar, times_not_ages)
{
	check_rows(ROWS(times_not_ages));
}

/* ---- PDQ heading items, group scales, consent ------------------------ */
static const row pdq_items[] = {
	/* the cooperative groups' scales are the ECOG scale */
	{U, "Performance status", "SWOG 0-2", "ECOG 0-2"},
	{U, "Performance status", "GOG 0 or 1", "ECOG 0-1"},
	{I, NULL, "CALGB performance status 0-2", "ECOG 0-2"},
	/* a group named with no score is no scale */
	{I, NULL, "Prior SWOG 9008 protocol", "review"},
	{I, NULL, "NCI common toxicity criteria grade 2", "review"},
	/* an age item under its heading */
	{U, "Age", "70 and under", "age <= 70"},
	{U, "Age", "18 and over", "age >= 18"},
	{U, "Age", "21 and under at diagnosis", "review"},
	/* consent by a parent or guardian is consent given */
	{U, NULL, "Consent of parent or guardian if less than 18 years of age.",
	 "condition informed consent given"},
	{I, NULL, "Parental consent required",
	 "condition informed consent given"},
	{E, NULL, "Parent unable to give consent",
	 "NOT condition inability to consent"},
	/* an age with a consent in parentheses is about age too */
	{I, NULL, "Are at least 13 years old (consent of parent or guardian "
		  "required if under 18).",
	 "review"},
};

Test(extract_grammar, pdq_items)
{
	check_rows(ROWS(pdq_items));
}

/* ---- a heading's time over conditions and unread parts --------------- */
static const row heading_times[] = {
	/* the time narrows a condition, unread */
	{E, "Prior Medication: Excluded within 30 days of study entry",
	 "Substance abuse.", "NOT (condition substance abuse AND (unread))"},
	{E, "Concurrent Treatment: Patients with the following are excluded",
	 "Comatose.", "NOT (condition coma AND (unread))"},
	/* a therapy takes the heading's time, its exception stays unread */
	{E, "Concurrent Medication: Excluded", "Steroids (other than topical).",
	 "NOT (current corticosteroid AND (unread))"},
	/* a score under a heading of concurrent medication stays review */
	{E, "Concurrent Medication: Excluded", "ECOG 3 or 4", "review"},
	/* near-miss: a site under a heading's time stays review */
	{E, "Concurrent Medication: Excluded", "Liver metastases", "review"},
};

Test(extract_grammar, heading_times)
{
	check_rows(ROWS(heading_times));
}

TestSuite(extract_grammar, .init = setup, .fini = teardown);
