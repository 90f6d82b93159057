/*
 * test_segment.c - ctm_criteria_segment() on texts written for the
 * purpose, one per layout ClinicalTrials.gov uses: legacy XML (indented,
 * hard-wrapped, "\r\n" from &#xD;), API v2 markdown, NCI PDQ (structured
 * and run-on), no headers, and one-criterion-per-line text. Each case
 * lists every segment expected, with its section, text and heading.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <ctm/parsers.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U CTM_SECTION_UNSPECIFIED
#define I CTM_SECTION_INCLUSION
#define E CTM_SECTION_EXCLUSION

#define MAX_EXP 16

struct exp_seg {
	ctm_section section;
	const char *text;
	const char *heading;
};

struct seg_case {
	const char *name;
	const char *input;
	struct exp_seg exp[MAX_EXP];
};

static struct seg_case cases[] = {
	{"xml_crlf_wrapped",
	 "\n        Inclusion Criteria:\r\n\r\n"
	 "          -  Histologically confirmed adenocarcinoma of the colon or "
	 "rectum with\r\n"
	 "             measurable disease per RECIST 1.1\r\n\r\n"
	 "          -  ECOG performance status 0 or 1\r\n\r\n"
	 "        Exclusion Criteria:\r\n\r\n"
	 "          -  Prior treatment with cetuximab or panitumumab\r\n\r\n"
	 "          -  Known brain metastases\r\n      ",
	 {{I, "Histologically confirmed adenocarcinoma of the colon or rectum "
	      "with measurable disease per RECIST 1.1", NULL},
	  {I, "ECOG performance status 0 or 1", NULL},
	  {E, "Prior treatment with cetuximab or panitumumab", NULL},
	  {E, "Known brain metastases", NULL}}},

	{"cr_only",
	 "Inclusion Criteria:\r\r  -  Age 18 years or older\r"
	 "  -  Life expectancy of at least\r     12 weeks\r"
	 "Exclusion Criteria:\r\r  -  Pregnancy",
	 {{I, "Age 18 years or older", NULL},
	  {I, "Life expectancy of at least 12 weeks", NULL},
	  {E, "Pregnancy", NULL}}},

	{"lf_numbered_unwrapped",
	 "Inclusion Criteria:\n  1. Patients with acne of any grade.\n"
	 "  2. Patients between 18 and 45 years old.\nExclusion Criteria:\n"
	 "  1. Pregnancy.\n  2. Any topical medication within 4 weeks.",
	 {{I, "Patients with acne of any grade.", NULL},
	  {I, "Patients between 18 and 45 years old.", NULL},
	  {E, "Pregnancy.", NULL},
	  {E, "Any topical medication within 4 weeks.", NULL}}},

	{"header_caps_no_colon_and_key",
	 "INCLUSION CRITERIA\n\n- Signed informed consent\n\n"
	 "Key Exclusion Criteria:\n\n- Active hepatitis B infection\n",
	 {{I, "Signed informed consent", NULL},
	  {E, "Active hepatitis B infection", NULL}}},

	{"header_main_and_criteria_for",
	 "Main inclusion criteria\n* Colorectal cancer stage IV\n"
	 "Criteria for exclusion:\n* Bowel obstruction\n",
	 {{I, "Colorectal cancer stage IV", NULL},
	  {E, "Bowel obstruction", NULL}}},

	{"header_include_are_reversed",
	 "Exclusion criteria include:\n\n1. Uncontrolled hypertension\n\n"
	 "Inclusion criteria are:\n\n1. Age 18 or older\n\nInclusion:\n\n"
	 "2. Written consent\n",
	 {{E, "Uncontrolled hypertension", NULL},
	  {I, "Age 18 or older", NULL},
	  {I, "Written consent", NULL}}},

	{"leadin_excluded_if",
	 "Patients will be excluded if:\n- they have received prior "
	 "oxaliplatin\n- they are pregnant\n",
	 {{E, "they have received prior oxaliplatin",
	   "Patients will be excluded if"},
	  {E, "they are pregnant", "Patients will be excluded if"}}},

	{"qualified_headers",
	 "Inclusion Criteria for Group 1:\n  -  KRAS G12C mutation\n"
	 "Inclusion Criteria for Group 2:\n  -  KRAS wild-type\n"
	 "Exclusion Criteria:\n  -  Prior sotorasib\n",
	 {{I, "KRAS G12C mutation", "Inclusion Criteria for Group 1"},
	  {I, "KRAS wild-type", "Inclusion Criteria for Group 2"},
	  {E, "Prior sotorasib", NULL}}},

	{"header_with_inline_content",
	 "Inclusion criteria: Age 18 years or older.\n"
	 "Exclusion criteria: None.\n",
	 {{I, "Age 18 years or older.", NULL}}},

	{"pdq_structured",
	 "\n        DISEASE CHARACTERISTICS:\r\n\r\n"
	 "          -  Histologically confirmed metastatic colorectal cancer"
	 "\r\n\r\n"
	 "          -  No known brain metastases\r\n\r\n"
	 "        PATIENT CHARACTERISTICS:\r\n\r\n        Age:\r\n\r\n"
	 "          -  18 and over\r\n\r\n        Performance status:\r\n\r\n"
	 "          -  Not specified\r\n\r\n        Hematopoietic:\r\n\r\n"
	 "          -  Absolute neutrophil count at least 1,500/mm^3\r\n\r\n"
	 "          -  Platelet count at least 100,000/mm^3\r\n\r\n"
	 "        PRIOR CONCURRENT THERAPY:\r\n\r\n"
	 "          -  Recovered from prior therapy\r\n\r\n"
	 "        Chemotherapy:\r\n\r\n"
	 "          -  At least 4 weeks since prior chemotherapy\r\n\r\n"
	 "        Biologic therapy:\r\n\r\n"
	 "          -  No prior cetuximab\r\n      ",
	 {{U, "Histologically confirmed metastatic colorectal cancer",
	   "DISEASE CHARACTERISTICS"},
	  {U, "No known brain metastases", "DISEASE CHARACTERISTICS"},
	  {U, "18 and over", "Age"},
	  {U, "Absolute neutrophil count at least 1,500/mm^3",
	   "Hematopoietic"},
	  {U, "Platelet count at least 100,000/mm^3", "Hematopoietic"},
	  {U, "Recovered from prior therapy", "PRIOR CONCURRENT THERAPY"},
	  {U, "At least 4 weeks since prior chemotherapy", "Chemotherapy"},
	  {U, "No prior cetuximab", "Biologic therapy"}}},

	{"pdq_run_on",
	 "\n        DISEASE CHARACTERISTICS: Histologically proven "
	 "adenocarcinoma of the colon or rectum\r\n"
	 "        Measurable disease No CNS metastases\r\n\r\n"
	 "        PATIENT CHARACTERISTICS: Age: 18 and over Performance "
	 "status: ECOG 0-2 Hematopoietic:\r\n"
	 "        WBC at least 3,000/mm3 Platelet count at least 100,000/mm3 "
	 "Hepatic: Bilirubin no greater\r\n"
	 "        than 1.5 mg/dL Other: Not pregnant or nursing Fertile "
	 "patients must use effective\r\n"
	 "        contraception\r\n\r\n"
	 "        PRIOR CONCURRENT THERAPY: Chemotherapy: At least 4 weeks "
	 "since prior chemotherapy No\r\n"
	 "        prior irinotecan Radiotherapy: Prior radiotherapy allowed "
	 "Surgery: Not specified\r\n      ",
	 {{U, "Histologically proven adenocarcinoma of the colon or rectum",
	   "DISEASE CHARACTERISTICS"},
	  {U, "Measurable disease", "DISEASE CHARACTERISTICS"},
	  {U, "No CNS metastases", "DISEASE CHARACTERISTICS"},
	  {U, "18 and over", "Age"},
	  {U, "ECOG 0-2", "Performance status"},
	  {U, "WBC at least 3,000/mm3", "Hematopoietic"},
	  {U, "Platelet count at least 100,000/mm3", "Hematopoietic"},
	  {U, "Bilirubin no greater than 1.5 mg/dL", "Hepatic"},
	  {U, "Not pregnant or nursing", "Other"},
	  {U, "Fertile patients must use effective contraception", "Other"},
	  {U, "At least 4 weeks since prior chemotherapy", "Chemotherapy"},
	  {U, "No prior irinotecan", "Chemotherapy"},
	  {U, "Prior radiotherapy allowed", "Radiotherapy"}}},

	{"pdq_run_on_except_list",
	 "\n        PATIENT CHARACTERISTICS: Other: No other malignancy within 5 "
	 "years except: Basal cell\r\n"
	 "        skin cancer Carcinoma in situ of the cervix Not pregnant\r\n",
	 {{U, "No other malignancy within 5 years except: Basal cell skin "
	      "cancer Carcinoma in situ of the cervix", "Other"},
	  {U, "Not pregnant", "Other"}}},

	/* a modifier wants its noun ("No active CNS metastases"); after it
	 * only a strong opener starts a criterion; values that say nothing
	 * ("Any age", "Not specified" under a lead-in) are dropped */
	{"pdq_run_on_modifiers_and_empty_values",
	 "\n        DISEASE CHARACTERISTICS:\r\n\r\n"
	 "          -  Histologically proven gastric adenocarcinoma\r\n\r\n"
	 "          -  Estrogen receptor status:\r\n\r\n"
	 "               -  Not specified\r\n\r\n"
	 "        PATIENT CHARACTERISTICS: Age: Any age Performance status: "
	 "Karnofsky 70-100%\r\n"
	 "        Other: No active CNS metastases No known HIV infection No "
	 "infection that is\r\n"
	 "        uncontrolled No prior radiotherapy\r\n      ",
	 {{U, "Histologically proven gastric adenocarcinoma",
	   "DISEASE CHARACTERISTICS"},
	  {U, "Karnofsky 70-100%", "Performance status"},
	  {U, "No active CNS metastases", "Other"},
	  {U, "No known HIV infection", "Other"},
	  {U, "No infection that is uncontrolled", "Other"},
	  {U, "No prior radiotherapy", "Other"}}},

	{"no_header_paragraphs",
	 "\n        Patients must have a histologically confirmed diagnosis of "
	 "colorectal cancer that is\r\n"
	 "        metastatic or locally advanced.\r\n\r\n"
	 "        Patients must be at least 18 years old.\r\n      ",
	 {{U, "Patients must have a histologically confirmed diagnosis of "
	      "colorectal cancer that is metastatic or locally advanced.",
	   NULL},
	  {U, "Patients must be at least 18 years old.", NULL}}},

	{"no_header_numbers",
	 "1. Age over 18\n2) Measurable disease\n3. Written informed consent\n",
	 {{U, "Age over 18", NULL},
	  {U, "Measurable disease", NULL},
	  {U, "Written informed consent", NULL}}},

	{"bullet_glyphs",
	 "Inclusion Criteria:\n\xe2\x80\xa2 Age \xe2\x89\xa5 18 years\n"
	 "\xc2\xb7 ECOG 0-1\no Adequate organ function\n+ Signed consent\n"
	 "\xe2\x80\x93 Life expectancy > 3 months\n"
	 "\xe2\x96\xaa Measurable disease\n",
	 {{I, "Age \xe2\x89\xa5 18 years", NULL},
	  {I, "ECOG 0-1", NULL},
	  {I, "Adequate organ function", NULL},
	  {I, "Signed consent", NULL},
	  {I, "Life expectancy > 3 months", NULL},
	  {I, "Measurable disease", NULL}}},

	{"numbering_styles",
	 "Exclusion Criteria:\n(1) Pregnancy\n(a) Prior radiotherapy\n"
	 "a. Active infection\ni. Hepatitis B\nii) Hepatitis C\n"
	 "A) HIV infection\n1.1 Known allergy to study drug\n",
	 {{E, "Pregnancy", NULL},
	  {E, "Prior radiotherapy", NULL},
	  {E, "Active infection", NULL},
	  {E, "Hepatitis B", NULL},
	  {E, "Hepatitis C", NULL},
	  {E, "HIV infection", NULL},
	  {E, "Known allergy to study drug", NULL}}},

	{"nested_leadin_with_content",
	 "Inclusion Criteria:\n1. Adequate organ function as defined by:\n"
	 "   a. Absolute neutrophil count >= 1.5 x 10^9/L\n"
	 "   b. Platelets >= 100 x 10^9/L\n2. ECOG 0-1\n",
	 {{I, "Adequate organ function as defined by:", NULL},
	  {I, "Absolute neutrophil count >= 1.5 x 10^9/L",
	   "Adequate organ function as defined by"},
	  {I, "Platelets >= 100 x 10^9/L",
	   "Adequate organ function as defined by"},
	  {I, "ECOG 0-1", NULL}}},

	{"nested_bare_leadin_xml",
	 "\n        Inclusion Criteria:\r\n\r\n"
	 "          -  Patients must have one of the following:\r\n\r\n"
	 "               -  KRAS G12C mutation\r\n\r\n"
	 "               -  NRAS Q61 mutation\r\n\r\n"
	 "          -  Age 18 or older\r\n      ",
	 {{I, "KRAS G12C mutation", "Patients must have one of the following"},
	  {I, "NRAS Q61 mutation", "Patients must have one of the following"},
	  {I, "Age 18 or older", NULL}}},

	{"nested_by_bullet_kind",
	 "Exclusion Criteria:\n1. Any of the following within 6 months:\n"
	 "a) Myocardial infarction\nb) Stroke\n2. Active infection\n",
	 {{E, "Myocardial infarction", "Any of the following within 6 months"},
	  {E, "Stroke", "Any of the following within 6 months"},
	  {E, "Active infection", NULL}}},

	{"v2_markdown",
	 "Inclusion Criteria:\n\n* Age \xe2\x89\xa5 18 years\n"
	 "* Histologically confirmed colorectal adenocarcinoma\n"
	 "* Adequate organ function:\n\n  * ANC \\>= 1500/mm3\n"
	 "  * Platelets \\>= 100000/mm3\n\nExclusion Criteria:\n\n"
	 "* 1\\. Prior anti-EGFR therapy\n* Brain metastases",
	 {{I, "Age \xe2\x89\xa5 18 years", NULL},
	  {I, "Histologically confirmed colorectal adenocarcinoma", NULL},
	  {I, "Adequate organ function:", NULL},
	  {I, "ANC \\>= 1500/mm3", "Adequate organ function"},
	  {I, "Platelets \\>= 100000/mm3", "Adequate organ function"},
	  {E, "Prior anti-EGFR therapy", NULL},
	  {E, "Brain metastases", NULL}}},

	{"raw_lowercase_wrap",
	 "Inclusion Criteria:\n1.Subjects older than 18 years with suspected "
	 "cardiac sarcoidosis and/or\nbiopsy proven extracardiac "
	 "sarcoidosis.\nExclusion Criteria:\n1. Coronary artery disease\n",
	 {{I, "Subjects older than 18 years with suspected cardiac sarcoidosis "
	      "and/or biopsy proven extracardiac sarcoidosis.", NULL},
	  {E, "Coronary artery disease", NULL}}},

	{"note_lines",
	 "\n        Inclusion Criteria:\r\n\r\n"
	 "          -  Measurable disease per RECIST 1.1\r\n\r\n"
	 "        NOTE: Bone-only disease is not measurable\r\n\r\n"
	 "          -  Adequate hepatic function (bilirubin <= 1.5 x ULN)\r\n"
	 "             NOTE: patients with Gilbert syndrome are eligible\r\n"
	 "      ",
	 {{I, "Measurable disease per RECIST 1.1", NULL},
	  {I, "NOTE: Bone-only disease is not measurable", NULL},
	  {I, "Adequate hepatic function (bilirubin <= 1.5 x ULN) NOTE: "
	      "patients with Gilbert syndrome are eligible", NULL}}},

	{"v2_cohort_labels",
	 "Inclusion Criteria:\n\nCohort A:\n\n* Metastatic colorectal cancer\n"
	 "* KRAS G12C mutation\n\nCohort B:\n\n"
	 "* Metastatic pancreatic cancer\n\nExclusion Criteria:\n\n"
	 "* Prior KRAS inhibitor",
	 {{I, "Metastatic colorectal cancer", "Cohort A"},
	  {I, "KRAS G12C mutation", "Cohort A"},
	  {I, "Metastatic pancreatic cancer", "Cohort B"},
	  {E, "Prior KRAS inhibitor", NULL}}},

	{"aids_layout_polarity_labels",
	 "\n        Inclusion Criteria\r\n\r\n"
	 "        Concurrent Medication:\r\n\r\n        Allowed:\r\n\r\n"
	 "          -  Acetaminophen.\r\n\r\n        Exclusion Criteria\r\n\r\n"
	 "        Co-existing Condition:\r\n\r\n"
	 "        Patients with the following symptoms or conditions are "
	 "excluded:\r\n\r\n"
	 "          -  Active tuberculosis.\r\n\r\n"
	 "        Concurrent Medication:\r\n\r\n        Excluded:\r\n\r\n"
	 "          -  Zidovudine.\r\n      ",
	 {{I, "Acetaminophen.", "Concurrent Medication: Allowed"},
	  {E, "Active tuberculosis.",
	   "Co-existing Condition: Patients with the following symptoms or "
	   "conditions are excluded"},
	  {E, "Zidovudine.", "Concurrent Medication: Excluded"}}},

	/* a polarity label as an item among items: a sub-heading over the
	 * items after it, in place of the label before it */
	{"aids_layout_item_polarity_labels",
	 "\n        Exclusion Criteria\r\n\r\n"
	 "        Prior Medication:\r\n\r\n        Excluded:\r\n\r\n"
	 "          -  Interferon.\r\n\r\n"
	 "          -  Excluded within 2 weeks of study entry:\r\n\r\n"
	 "          -  Ganciclovir.\r\n\r\n"
	 "          -  Any investigational drug.\r\n\r\n"
	 "          -  Excluded within 3 months of study entry:\r\n\r\n"
	 "          -  Suramin.\r\n\r\n"
	 "        Prior Treatment:\r\n\r\n"
	 "        Excluded within 6 months of study entry:\r\n\r\n"
	 "          -  Radiation therapy.\r\n\r\n"
	 "          -  Excluded within 2 weeks of study entry:\r\n\r\n"
	 "          -  Transfusion.\r\n\r\n"
	 "        Inclusion Criteria\r\n\r\n"
	 "        Patients must have:\r\n\r\n"
	 "          -  Life expectancy of at least 3 months.\r\n\r\n"
	 "          -  Allowed:\r\n\r\n"
	 "          -  Oral candidiasis.\r\n\r\n"
	 "          -  Excluded within 1 week of study entry:\r\n      ",
	 {{E, "Interferon.", "Prior Medication: Excluded"},
	  {E, "Ganciclovir.",
	   "Prior Medication: Excluded within 2 weeks of study entry"},
	  {E, "Any investigational drug.",
	   "Prior Medication: Excluded within 2 weeks of study entry"},
	  {E, "Suramin.",
	   "Prior Medication: Excluded within 3 months of study entry"},
	  {E, "Radiation therapy.",
	   "Prior Treatment: Excluded within 6 months of study entry"},
	  {E, "Transfusion.",
	   "Prior Treatment: Excluded within 2 weeks of study entry"},
	  {I, "Life expectancy of at least 3 months.", "Patients must have"},
	  {I, "Oral candidiasis.", "Patients must have: Allowed"},
	  /* nothing under it: an item as any other */
	  {I, "Excluded within 1 week of study entry:", "Patients must have"}}},

	/* ... but one with its own items under it holds only those */
	{"item_polarity_label_with_items",
	 "\n        Inclusion Criteria:\r\n\r\n"
	 "          -  Allowed:\r\n\r\n"
	 "               1. Topical antifungal agents.\r\n\r\n"
	 "               2. Acyclovir.\r\n\r\n"
	 "          -  Negative pregnancy test within 14 days of study entry\r\n\r\n"
	 "          -  Bilirubin <= 2 mg/dl\r\n      ",
	 {{I, "Topical antifungal agents.", "Allowed"},
	  {I, "Acyclovir.", "Allowed"},
	  {I, "Negative pregnancy test within 14 days of study entry", NULL},
	  {I, "Bilirubin <= 2 mg/dl", NULL}}},

	{"negative_and_except_leadins",
	 "Inclusion Criteria:\n- No cardiovascular event within 6 months, "
	 "including any of the following:\n  - Myocardial infarction\n"
	 "  - Unstable angina\n- No other malignancy within 5 years except:\n"
	 "  - Basal cell carcinoma of the skin\n- Age 18 or older\n",
	 {{E, "Myocardial infarction",
	   "No cardiovascular event within 6 months, including any of the "
	   "following"},
	  {E, "Unstable angina",
	   "No cardiovascular event within 6 months, including any of the "
	   "following"},
	  {I, "No other malignancy within 5 years except:", NULL},
	  {I, "Basal cell carcinoma of the skin",
	   "No other malignancy within 5 years except"},
	  {I, "Age 18 or older", NULL}}},

	{"one_per_line_lowercase",
	 "Age 18-65 years\ndiagnosed with type 2 diabetes\n"
	 "HbA1c between 7% and 10%\nBMI < 40 kg/m2",
	 {{U, "Age 18-65 years", NULL},
	  {U, "diagnosed with type 2 diabetes", NULL},
	  {U, "HbA1c between 7% and 10%", NULL},
	  {U, "BMI < 40 kg/m2", NULL}}},

	{"wrapped_numbers_are_not_items",
	 "\n        Inclusion Criteria:\r\n\r\n"
	 "          -  Disease Activity Index score between 36 and\r\n"
	 "             110.\r\n\r\n"
	 "        T3-T4 tumour (stage\r\n        II) with obstruction\r\n"
	 "      ",
	 {{I, "Disease Activity Index score between 36 and 110.", NULL},
	  {I, "T3-T4 tumour (stage II) with obstruction", NULL}}},

	{"blank_line_inside_item",
	 "Inclusion Criteria:\n\n1. Measurable disease as assessed by one of "
	 "the following methods: CT or\n\n   magnetic resonance imaging of "
	 "the abdomen\n2. Age 18 or older",
	 {{I, "Measurable disease as assessed by one of the following methods: "
	      "CT or magnetic resonance imaging of the abdomen", NULL},
	  {I, "Age 18 or older", NULL}}},

	{"connector_lines_dropped",
	 "Inclusion Criteria:\n- Prior oxaliplatin\nOR\n- Prior irinotecan\n",
	 {{I, "Prior oxaliplatin", NULL}, {I, "Prior irinotecan", NULL}}},

	{"fullwidth_colons",
	 "Inclusion Criteria\xef\xbc\x9a\n1. Age greater than 18 years "
	 "old\xef\xbc\x9b\nExclusion Criteria\xef\xbc\x9a\n"
	 "1. Active tuberculosis\xef\xbc\x9b",
	 {{I, "Age greater than 18 years old\xef\xbc\x9b", NULL},
	  {E, "Active tuberculosis\xef\xbc\x9b", NULL}}},

	{"generic_headers",
	 "Inclusion Criteria:\n\n* Adults\n\nEligibility Criteria:\n\n"
	 "For adolescent participants:\n\n* Enrolled as a student\n\n"
	 "Inclusion/Exclusion Criteria:\n\n* Able to give consent",
	 {{I, "Adults", NULL},
	  {U, "Enrolled as a student", "For adolescent participants"},
	  {U, "Able to give consent", NULL}}},

	{"markdown_bold_headers",
	 "**Inclusion Criteria:**\n- Age 18 or older\n"
	 "**Exclusion Criteria:**\n- Pregnancy",
	 {{I, "Age 18 or older", NULL}, {E, "Pregnancy", NULL}}},

	{"tabs",
	 "Inclusion Criteria:\n\t-\tAge 18 or older\n"
	 "\t-\tLife expectancy of at least\n\t\t12 weeks\n",
	 {{I, "Age 18 or older", NULL},
	  {I, "Life expectancy of at least 12 weeks", NULL}}},

	{"nih_eligible_if_they",
	 "\n        INCLUSION CRITERIA:\r\n\r\n"
	 "        Patients may be eligible for this study if they:\r\n\r\n"
	 "          -  Are at least 21 years old.\r\n\r\n"
	 "        EXCLUSION CRITERIA:\r\n\r\n"
	 "        Patients will not be eligible for this study if they:\r\n\r\n"
	 "          -  Have a history of prior ear surgery.\r\n      ",
	 {{I, "Are at least 21 years old.",
	   "Patients may be eligible for this study if they"},
	  {E, "Have a history of prior ear surgery.",
	   "Patients will not be eligible for this study if they"}}},

	{"paragraph_list_run",
	 "\n        Inclusion Criteria:\r\n\r\n"
	 "        Subjects must be over age 18.\r\n\r\n"
	 "        Subjects using any of the following medications within 4 "
	 "weeks of randomization are\r\n        excluded:\r\n\r\n"
	 "        Corticosteroids,\r\n\r\n        Methotrexate.\r\n\r\n"
	 "        Written informed consent.\r\n      ",
	 {{I, "Subjects must be over age 18.", NULL},
	  {E, "Corticosteroids,",
	   "Subjects using any of the following medications within 4 weeks "
	   "of randomization are excluded"},
	  {E, "Methotrexate.",
	   "Subjects using any of the following medications within 4 weeks "
	   "of randomization are excluded"},
	  {I, "Written informed consent.", NULL}}},

	{"sentence_before_list_is_not_heading",
	 "Inclusion Criteria:\n\nAll patients must sign consent.\n\n"
	 "* Age 18 or older",
	 {{I, "All patients must sign consent.", NULL},
	  {I, "Age 18 or older", NULL}}},

	{"xml_header_joined_to_paragraph",
	 "\n        INCLUSION CRITERIA:\r\n"
	 "        All patients over 3 years of age with meningeal "
	 "malignancies.\r\n\r\n"
	 "        EXCLUSION CRITERIA:\r\n\r\n"
	 "        Pregnant women.\r\n      ",
	 {{I, "All patients over 3 years of age with meningeal malignancies.",
	   NULL},
	  {E, "Pregnant women.", NULL}}},
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* Criterion may run each test in a fresh process image: pass indices,
 * not pointers. */
ParameterizedTestParameters(segment, layouts)
{
	static size_t idx[N_CASES];
	size_t i;

	for (i = 0; i < N_CASES; i++)
		idx[i] = i;
	return cr_make_param_array(size_t, idx, N_CASES);
}

ParameterizedTest(size_t *ci, segment, layouts)
{
	const struct seg_case *c = &cases[*ci];
	ctm_arena *a = ctm_arena_new();
	ctm_segment *s = NULL;
	ctm_error err;
	size_t n = 0, want = 0, i;
	int rc;

	cr_assert_not_null(a);
	while (want < MAX_EXP && c->exp[want].text)
		want++;
	rc = ctm_criteria_segment(c->input, a, &s, &n, &err);
	cr_assert_eq(rc, 0, "%s: rc %d", c->name, rc);
	for (i = 0; i < n && i < want; i++) {
		cr_expect_str_eq(s[i].text, c->exp[i].text, "%s: segment %zu",
				 c->name, i);
		cr_expect_eq(s[i].section, c->exp[i].section,
			     "%s: segment %zu (%s): section %s, want %s",
			     c->name, i, s[i].text,
			     ctm_section_name(s[i].section),
			     ctm_section_name(c->exp[i].section));
		if (c->exp[i].heading)
			cr_expect(s[i].heading &&
					  !strcmp(s[i].heading,
						  c->exp[i].heading),
				  "%s: segment %zu (%s): heading \"%s\", "
				  "want \"%s\"",
				  c->name, i, s[i].text,
				  s[i].heading ? s[i].heading : "(null)",
				  c->exp[i].heading);
		else
			cr_expect_null(s[i].heading,
				       "%s: segment %zu (%s): heading \"%s\", "
				       "want none",
				       c->name, i, s[i].text,
				       s[i].heading ? s[i].heading : "");
	}
	for (; i < n; i++)
		cr_expect_fail("%s: extra segment %zu: \"%s\"", c->name, i,
			       s[i].text);
	cr_expect_eq(n, want, "%s: %zu segments, want %zu", c->name, n,
		     want);
	ctm_arena_free(a);
}

Test(segment, no_text)
{
	ctm_arena *a = ctm_arena_new();
	ctm_segment *s = (ctm_segment *)1;
	size_t n = 99;

	cr_assert_eq(ctm_criteria_segment(NULL, a, &s, &n, NULL), 0);
	cr_expect_eq(n, 0);
	cr_expect_null(s);
	cr_assert_eq(ctm_criteria_segment("", a, &s, &n, NULL), 0);
	cr_expect_eq(n, 0);
	cr_assert_eq(ctm_criteria_segment("  \r\n\r\n \t \n", a, &s, &n, NULL),
		     0);
	cr_expect_eq(n, 0);
	cr_assert_eq(ctm_criteria_segment("Inclusion Criteria:\n\n"
					  "Exclusion Criteria:\n",
					  a, &s, &n, NULL),
		     0);
	cr_expect_eq(n, 0);
	ctm_arena_free(a);
}

Test(segment, too_long_is_a_limit_error)
{
	size_t len = CTM_MAX_TEXT_BYTES + 1;
	char *t = malloc(len + 1);
	ctm_arena *a = ctm_arena_new();
	ctm_segment *s;
	size_t n;
	ctm_error err;

	cr_assert_not_null(t);
	memset(t, 'a', len);
	t[len] = '\0';
	cr_expect_eq(ctm_criteria_segment(t, a, &s, &n, &err), CTM_ELIMIT);
	cr_expect_eq(err.code, CTM_ELIMIT);
	cr_expect_eq(n, 0);
	/* One byte less is accepted: one paragraph. */
	t[len - 1] = '\0';
	cr_expect_eq(ctm_criteria_segment(t, a, &s, &n, &err), 0);
	cr_expect_eq(n, 1);
	cr_expect_eq(strlen(s[0].text), len - 1);
	free(t);
	ctm_arena_free(a);
}

Test(segment, segment_count_is_bounded)
{
	size_t cap = 2500 * 16, k = 0, n;
	char *t = malloc(cap);
	ctm_arena *a = ctm_arena_new();
	ctm_segment *s;
	int i;

	cr_assert_not_null(t);
	for (i = 1; i <= 2500; i++)
		k += (size_t)snprintf(t + k, cap - k, "- item %d\n", i);
	cr_assert_eq(ctm_criteria_segment(t, a, &s, &n, NULL), 0);
	cr_expect_eq(n, 2000);
	cr_expect_str_eq(s[0].text, "item 1");
	cr_expect_str_eq(s[1998].text, "item 1999");
	/* The last one holds the rest, line breaks folded. */
	cr_expect(!strncmp(s[1999].text, "item 2000 - item 2001 - ", 24),
		  "%.40s", s[1999].text);
	cr_expect(strlen(s[1999].text) > 6 &&
			  !strcmp(s[1999].text + strlen(s[1999].text) - 9,
				  "item 2500"),
		  "%s", s[1999].text + strlen(s[1999].text) - 20);
	free(t);
	ctm_arena_free(a);
}

/* Every segment of odd input is non-empty and found in the input once
 * line breaks with the blanks around them are one space. */
static void check_found(const char *in, const ctm_segment *s, size_t n)
{
	size_t len = strlen(in), i;
	char *norm = malloc(len + 1), *o = norm;
	const char *p = in;

	cr_assert_not_null(norm);
	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			const char *b = p;
			int brk = 0;

			for (; *p == ' ' || *p == '\t' || *p == '\r' ||
			       *p == '\n';
			     p++)
				brk |= *p == '\r' || *p == '\n';
			if (brk)
				*o++ = ' ';
			else
				for (; b < p; b++)
					*o++ = *b;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	for (i = 0; i < n; i++) {
		cr_assert(s[i].text && s[i].text[0], "segment %zu empty", i);
		cr_assert(strstr(norm, s[i].text), "segment %zu not in input",
			  i);
	}
	free(norm);
}

Test(segment, odd_input)
{
	static const char *const odd[] = {
		"-", "*", "1.", "(a)", ":", "Inclusion Criteria:", "\r", "\n\r",
		"-\n-\n-", "1.\n2.\n3.", "Age:\nSex:\n", "a:\n  b:\n    c:\n",
		"DISEASE CHARACTERISTICS: Age: Sex: Other:",
		"x (((((((((( y\n II) z", "\xc2\xa0\xc2\xa0 - \xc2\xa0",
		"\xff\xfe\xef\xbc", "Inclusion Criteria\xef\xbc",
	};
	ctm_arena *a = ctm_arena_new();
	ctm_segment *s;
	size_t n, i, len = 200000;
	char *junk = malloc(len + 1);
	unsigned x = 12345;

	for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		cr_assert_eq(ctm_criteria_segment(odd[i], a, &s, &n, NULL), 0);
		check_found(odd[i], s, n);
	}
	/* Random bytes with many line breaks, bullets and colons. */
	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)((x >> 16) & 0xff);
		if (!junk[i] || (x & 0x700) == 0x100)
			junk[i] = "\n\r -:*1.\t"[(x >> 24) % 9];
	}
	junk[len] = '\0';
	cr_assert_eq(ctm_criteria_segment(junk, a, &s, &n, NULL), 0);
	check_found(junk, s, n);
	/* One huge line; then a deep staircase of nested items. */
	memset(junk, 'x', len);
	cr_assert_eq(ctm_criteria_segment(junk, a, &s, &n, NULL), 0);
	cr_expect_eq(n, 1);
	for (i = 0; i + 80 < len; i += 80) {
		size_t d = (i / 80) % 70;

		memset(junk + i, ' ', 79);
		memcpy(junk + i + d, "- lead:", 7);
		junk[i + 79] = '\n';
	}
	cr_assert_eq(ctm_criteria_segment(junk, a, &s, &n, NULL), 0);
	check_found(junk, s, n);
	free(junk);
	ctm_arena_free(a);
}

/* A pointer to another heading ("See Disease Characteristics") is not a
 * criterion: nothing to read or check. A criterion that says something
 * after the pointer, or points at a numbered appendix, stays. */
Test(segment, cross_references_are_not_criteria)
{
	ctm_arena *a = ctm_arena_new();
	ctm_segment *s;
	size_t n;
	const char *text = "DISEASE CHARACTERISTICS:\n"
			   "  - Metastatic colorectal cancer\n"
			   "PRIOR CONCURRENT THERAPY:\n"
			   "  Biologic therapy:\n"
			   "    - See Disease Characteristics\n"
			   "  Chemotherapy:\n"
			   "    - See Chemotherapy.\n"
			   "    - See above\n"
			   "    - No prior irinotecan\n"
			   "  Other:\n"
			   "    - See Appendix 6\n"
			   "    - See Disease Characteristics for prior "
			   "surgery\n";

	cr_assert_eq(ctm_criteria_segment(text, a, &s, &n, NULL), 0);
	cr_assert_eq(n, 4);
	cr_expect_str_eq(s[0].text, "Metastatic colorectal cancer");
	cr_expect_str_eq(s[1].text, "No prior irinotecan");
	cr_expect_str_eq(s[2].text, "See Appendix 6");
	cr_expect_str_eq(s[3].text,
			 "See Disease Characteristics for prior surgery");
	ctm_arena_free(a);
}
