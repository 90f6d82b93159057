/*
 * gen_trials - writes synthetic ClinicalTrials.gov records for benchmarks.
 *
 *   gen_trials N OUTDIR [--seed S] [--per-file K]
 *
 * Writes N records in the legacy XML schema (<clinical_study>), NCT ids
 * NCT80000000 upward, K records a file (default 1; with K > 1 a
 * <clinical_studies> wrapper holds K <clinical_study> children), 1,000
 * files a sub-folder. A record depends only on the seed and its own id, so
 * the same seed gives the same records whatever K is.
 *
 * The text is assembled from templates: statuses, conditions (about 10%
 * colorectal), phases, ages, sexes, 0-30 sites, and eligibility criteria
 * from a pool of criterion sentences in the 2023 export layout (header
 * lines, "-  " bullets, wrapped at 100 columns, "&#xD;" line ends).
 * Nothing here is a real record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define FIRST_ID      80000000u
#define MAX_ID	      99999999u
#define FILES_PER_DIR 1000u
#define WRAP	      100

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Output buffer                                                       */
/* ------------------------------------------------------------------ */

typedef struct buf {
	char *p;
	size_t len, cap;
} buf;

static void buf_reserve(buf *b, size_t extra)
{
	size_t cap;
	char *p;

	if (b->len + extra + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 16384;
	while (cap < b->len + extra + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		fprintf(stderr, "gen_trials: out of memory\n");
		exit(3);
	}
	b->p = p;
	b->cap = cap;
}

static void putn(buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void put(buf *b, const char *s)
{
	putn(b, s, strlen(s));
}

static void putc_(buf *b, char c)
{
	putn(b, &c, 1);
}

static void spaces(buf *b, int n)
{
	buf_reserve(b, (size_t)n);
	memset(b->p + b->len, ' ', (size_t)n);
	b->len += (size_t)n;
	b->p[b->len] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
putf(buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Character data: & < > escaped (and " as the export does). */
static void put_esc(buf *b, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: break;
		}
		if (rep) {
			putn(b, s + start, i - start);
			put(b, rep);
			start = i + 1;
		}
	}
	putn(b, s + start, n - start);
}

/* <name>escaped value</name> at indent. */
static void el(buf *b, int indent, const char *name, const char *val)
{
	spaces(b, indent);
	putc_(b, '<');
	put(b, name);
	putc_(b, '>');
	put_esc(b, val, strlen(val));
	put(b, "</");
	put(b, name);
	put(b, ">\n");
}

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64, seeded per record                       */
/* ------------------------------------------------------------------ */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)((rng_next(s) >> 32) % n) : 0;
}

static int chance(uint64_t *s, uint32_t pct)
{
	return rnd(s, 100) < pct;
}

#define PICK(s, a) ((a)[rnd((s), (uint32_t)N_OF(a))])

/* ------------------------------------------------------------------ */
/* Templates                                                           */
/* ------------------------------------------------------------------ */

static const char *const crc_conditions[] = {
	"Metastatic Colorectal Cancer",
	"Colorectal Cancer",
	"Colon Cancer",
	"Rectal Cancer",
	"Colorectal Adenocarcinoma",
	"Colorectal Neoplasms",
	"Colon Adenocarcinoma",
	"Stage IV Colorectal Cancer",
	"Colorectal Liver Metastases",
	"Rectal Adenocarcinoma",
};

static const char *const basket_conditions[] = {
	"Solid Tumor", "Advanced Cancer",   "Advanced Solid Tumors",
	"Neoplasms",   "Metastatic Cancer", "Solid Tumor, Adult",
};

static const char *const cancer_conditions[] = {
	"Breast Cancer",
	"Metastatic Breast Cancer",
	"Non-small Cell Lung Cancer",
	"Small Cell Lung Cancer",
	"Pancreatic Cancer",
	"Gastric Cancer",
	"Esophageal Cancer",
	"Hepatocellular Carcinoma",
	"Prostate Cancer",
	"Ovarian Cancer",
	"Endometrial Cancer",
	"Cervical Cancer",
	"Melanoma",
	"Renal Cell Carcinoma",
	"Bladder Cancer",
	"Head and Neck Squamous Cell Carcinoma",
	"Glioblastoma",
	"Diffuse Large B-Cell Lymphoma",
	"Multiple Myeloma",
	"Acute Myeloid Leukemia",
	"Chronic Lymphocytic Leukemia",
	"Soft Tissue Sarcoma",
	"Thyroid Cancer",
	"Biliary Tract Cancer",
	"Mesothelioma",
	"Neuroendocrine Tumors",
};

static const char *const other_conditions[] = {
	"Type 2 Diabetes Mellitus",
	"Hypertension",
	"Asthma",
	"Chronic Obstructive Pulmonary Disease",
	"Major Depressive Disorder",
	"HIV Infections",
	"Hepatitis C, Chronic",
	"Rheumatoid Arthritis",
	"Psoriasis",
	"Heart Failure",
	"Alzheimer Disease",
	"Obesity",
	"Ulcerative Colitis",
	"Crohn Disease",
	"Migraine",
	"Influenza",
	"Osteoarthritis, Knee",
	"Atrial Fibrillation",
	"Chronic Kidney Disease",
	"Schizophrenia",
	"Healthy Volunteers",
	"Smoking Cessation",
	"Postoperative Pain",
	"Sickle Cell Disease",
	"COVID-19",
};

static const char *const drugs[] = {
	"FX-%03u",     "oxaliplatin",  "irinotecan",  "capecitabine",
	"bevacizumab", "cetuximab",    "panitumumab", "pembrolizumab",
	"nivolumab",   "atezolizumab", "regorafenib", "trifluridine/tipiracil",
	"docetaxel",   "paclitaxel",   "gemcitabine", "carboplatin",
	"cisplatin",   "trastuzumab",  "olaparib",    "lenvatinib",
	"metformin",   "placebo",
};

static const char *const sponsors[] = {
	"Fixture Oncology Inc.",       "Synthetic Pharma AG",
	"Example University Hospital", "Generated Research Consortium",
	"Placeholder Therapeutics",    "Sample Cooperative Oncology Group",
	"Mock Biologics Ltd.",	       "National Fixture Cancer Institute",
};

static const char *const phases[] = {
	"Phase 2", "Phase 2", "Phase 2",	 "Phase 3",	    "Phase 3",
	"Phase 1", "Phase 1", "Phase 1/Phase 2", "Phase 2/Phase 3", "Phase 4",
	"N/A",	   "N/A",     "Early Phase 1",
};

static const char *const months[] = {
	"January", "February", "March",	    "April",   "May",	   "June",
	"July",	   "August",   "September", "October", "November", "December",
};

typedef struct site {
	const char *city, *state, *zip, *country;
} site;

static const site sites[] = {
	{"New York", "New York", "10016", "United States"},
	{"Houston", "Texas", "77030", "United States"},
	{"Dallas", "Texas", "75390", "United States"},
	{"Los Angeles", "California", "90033", "United States"},
	{"San Francisco", "California", "94143", "United States"},
	{"Boston", "Massachusetts", "02115", "United States"},
	{"Baltimore", "Maryland", "21287", "United States"},
	{"Tampa", "Florida", "33612", "United States"},
	{"Columbus", "Ohio", "43210", "United States"},
	{"Chicago", "Illinois", "60611", "United States"},
	{"Seattle", "Washington", "98109", "United States"},
	{"Rochester", "Minnesota", "55905", "United States"},
	{"Philadelphia", "Pennsylvania", "19104", "United States"},
	{"Durham", "North Carolina", "27710", "United States"},
	{"Aurora", "Colorado", "80045", "United States"},
	{"Nashville", "Tennessee", "37232", "United States"},
	{"Phoenix", "Arizona", "85054", "United States"},
	{"Toronto", "Ontario", "M5G 2M9", "Canada"},
	{"Montreal", "Quebec", "H2X 0A9", "Canada"},
	{"London", NULL, "SW3 6JJ", "United Kingdom"},
	{"Manchester", NULL, "M20 4BX", "United Kingdom"},
	{"Paris", NULL, "75012", "France"},
	{"Lyon", NULL, "69008", "France"},
	{"Heidelberg", NULL, "69120", "Germany"},
	{"Frankfurt", "Hessen", "60590", "Germany"},
	{"Milano", "MI", "20133", "Italy"},
	{"Valencia", NULL, "46026", "Spain"},
	{"Rotterdam", NULL, "3015 GD", "Netherlands"},
	{"Brussels", NULL, "1200", "Belgium"},
	{"Stockholm", NULL, "171 76", "Sweden"},
	{"Kashiwa", "Chiba", "277-8577", "Japan"},
	{"Seoul", NULL, "03080", "Korea, Republic of"},
	{"Beijing", "Beijing", "100021", "China"},
	{"Shanghai", "Shanghai", "200032", "China"},
	{"Sydney", "New South Wales", "2050", "Australia"},
	{"Sao Paulo", "SP", "01246-000", "Brazil"},
};

static const char *const facility_kinds[] = {
	"Cancer Center",      "University Hospital",	"Medical Center",
	"Oncology Institute", "Clinical Research Unit", "General Hospital",
};

/* A criterion sentence; a trial uses at most one of each non-zero group
 * (one ECOG range, one brain-metastasis rule, one prior-line rule ...). */
typedef struct sent {
	int group;
	const char *text;
} sent;

/* Criterion sentences. The first of a trial's inclusions is built from
 * its condition; the rest are drawn from these pools without repeats. */
static const sent onc_incl[] = {
	{0, "Measurable disease per RECIST version 1.1"},
	{0,
	 "At least one measurable lesion by CT or MRI according to RECIST 1.1"},
	{1, "ECOG performance status of 0 or 1"},
	{1, "ECOG performance status 0-2"},
	{1, "Karnofsky performance status >= 70%"},
	{0, "Life expectancy of at least 12 weeks"},
	{0, "Absolute neutrophil count (ANC) >= 1.5 x 10^9/L"},
	{0, "Platelet count >= 100,000/mm3"},
	{0, "Hemoglobin >= 9 g/dL (transfusion allowed more than 2 weeks "
	    "before screening)"},
	{0, "Total bilirubin <= 1.5 x upper limit of normal (ULN), or <= 3 x "
	    "ULN for patients with Gilbert's syndrome"},
	{0, "AST and ALT <= 2.5 x ULN, or <= 5 x ULN if liver metastases are "
	    "present"},
	{5, "Creatinine clearance >= 50 mL/min calculated by the "
	    "Cockcroft-Gault formula"},
	{5,
	 "Serum creatinine <= 1.5 mg/dL OR creatinine clearance >= 60 mL/min"},
	{0, "INR and aPTT <= 1.5 x ULN unless receiving therapeutic "
	    "anticoagulation"},
	{0, "Archival tumour tissue or willingness to undergo a fresh biopsy"},
	{4, "Progression on or after at least one prior line of systemic "
	    "therapy for advanced disease"},
	{4, "No more than 3 prior lines of systemic therapy in the metastatic "
	    "setting"},
	{4, "Received no prior systemic therapy for advanced or metastatic "
	    "disease"},
	{0, "Recovery from all toxicities of prior therapy to grade 1 or "
	    "baseline, except alopecia"},
	{0, "Women of childbearing potential must have a negative serum "
	    "pregnancy test within 7 days before the first dose"},
	{0, "Participants of reproductive potential must agree to use highly "
	    "effective contraception during treatment and for 6 months "
	    "afterwards"},
	{0, "Able to swallow and retain oral medication"},
	{0, "Signed written informed consent"},
	{0, "Left ventricular ejection fraction >= 50% by echocardiogram or "
	    "MUGA scan"},
	{7, "Documented tumour mutational burden of 10 or more mutations per "
	    "megabase"},
	{7,
	 "Tumour PD-L1 expression with a combined positive score of 1 or more"},
	{7, "Presence of an NTRK1, NTRK2 or NTRK3 gene fusion"},
	{7, "Pathogenic POLE or POLD1 exonuclease domain mutation"},
};

static const sent onc_excl[] = {
	{2, "Active brain metastases or leptomeningeal disease"},
	{2, "Known brain metastases, unless treated and stable for at least 4 "
	    "weeks without steroids"},
	{2, "Any history of brain metastases, treated or untreated"},
	{2, "Untreated central nervous system metastases"},
	{3, "Pregnant or breastfeeding women"},
	{3, "Women who are pregnant, lactating, or planning to become pregnant "
	    "during the study"},
	{0, "Prior treatment with an anti-PD-1, anti-PD-L1 or anti-CTLA-4 "
	    "antibody"},
	{0, "Prior treatment with any investigational agent within 28 days "
	    "before the first dose"},
	{0, "Major surgery within 4 weeks before the start of study treatment"},
	{0, "Radiotherapy within 14 days before the first dose, except "
	    "palliative radiotherapy to bone"},
	{0, "Active autoimmune disease that has required systemic treatment in "
	    "the past 2 years"},
	{0, "History of non-infectious pneumonitis or interstitial lung "
	    "disease requiring steroids"},
	{0, "Known human immunodeficiency virus (HIV) infection with a "
	    "detectable viral load"},
	{0, "Active hepatitis B or hepatitis C infection"},
	{0, "Uncontrolled intercurrent illness including ongoing or active "
	    "infection requiring IV antibiotics"},
	{0, "Myocardial infarction, unstable angina or stroke within 6 months "
	    "before enrolment"},
	{0, "QTc interval > 470 ms on screening ECG"},
	{0, "Uncontrolled hypertension (systolic > 150 mmHg or diastolic > 100 "
	    "mmHg despite treatment)"},
	{0,
	 "Another malignancy within 3 years, except adequately treated basal "
	 "cell carcinoma, squamous cell skin cancer or carcinoma in situ"},
	{0, "Peripheral neuropathy of grade 2 or higher"},
	{0, "Known hypersensitivity to any component of the study drugs"},
	{0, "Clinically significant gastrointestinal bleeding within 3 months"},
	{0, "Receipt of a live vaccine within 30 days before the first dose"},
	{0, "Chronic systemic corticosteroids at a dose above 10 mg prednisone "
	    "daily"},
	{0, "Psychiatric illness or social situation that would limit "
	    "compliance with study requirements"},
};

static const sent crc_incl[] = {
	{0, "Histologically or cytologically confirmed adenocarcinoma of the "
	    "colon or rectum"},
	{0, "Metastatic or locally advanced unresectable colorectal cancer"},
	{7, "KRAS G12C mutation confirmed in tumour tissue or circulating "
	    "tumour DNA"},
	{7,
	 "RAS wild-type (KRAS and NRAS exons 2, 3 and 4) by a validated test"},
	{7, "BRAF V600E mutation in tumour tissue"},
	{7, "Microsatellite instability-high (MSI-H) or mismatch repair "
	    "deficient (dMMR) tumour"},
	{7, "Microsatellite stable (MSS) or mismatch repair proficient (pMMR) "
	    "tumour"},
	{7, "HER2 overexpression (IHC 3+) or amplification (ISH or NGS)"},
	{4, "Disease progression on or intolerance to fluoropyrimidine, "
	    "oxaliplatin and irinotecan"},
	{12,
	 "Prior treatment with an anti-VEGF agent (bevacizumab, aflibercept or "
	 "ramucirumab), and an anti-EGFR antibody if RAS wild-type"},
	{4, "Progression on or intolerance to trifluridine/tipiracil and/or "
	    "regorafenib"},
	{10, "Liver-only or liver-dominant metastatic disease"},
	{0,
	 "Unresectable liver metastases as judged by a hepatobiliary surgeon"},
	{10,
	 "Peritoneal metastases with a peritoneal cancer index of 20 or lower"},
	{0, "Adequate archival tissue from the primary tumour or a metastasis "
	    "for central biomarker testing"},
	{4, "At least 2 prior lines of chemotherapy for metastatic disease"},
	{4, "Previous response to an anti-EGFR antibody followed by "
	    "progression, with at least 4 months since the last dose"},
	{0, "Primary tumour resected or in place without symptoms requiring "
	    "surgery"},
};

static const sent crc_excl[] = {
	{0, "Prior treatment with a KRAS G12C inhibitor"},
	{12, "Prior treatment with cetuximab, panitumumab or any other "
	     "anti-EGFR therapy"},
	{4, "Prior treatment with regorafenib or trifluridine/tipiracil"},
	{0, "Prior HER2-directed therapy"},
	{10, "Extrahepatic metastatic disease"},
	{0, "Prior hepatic arterial infusion or radioembolization"},
	{0, "Bowel obstruction or symptomatic ascites"},
	{0, "Known dihydropyrimidine dehydrogenase (DPD) deficiency"},
	{0, "Grade 3 or higher skin toxicity with prior EGFR-directed therapy"},
};

static const sent gen_incl[] = {
	{0, "Able and willing to provide written informed consent"},
	{0, "Body mass index between 18 and 40 kg/m2"},
	{0, "Stable dose of background medication for at least 4 weeks before "
	    "screening"},
	{0, "Willing to comply with all study procedures and visits"},
	{0, "Adequate venous access for blood sampling"},
	{0, "Women of childbearing potential must use an effective method of "
	    "contraception"},
	{0, "Non-smoker or smoking fewer than 10 cigarettes a day"},
	{0, "Symptoms present for at least 3 months before screening"},
	{0, "eGFR >= 30 mL/min/1.73 m2"},
	{0, "Able to read and understand the local language"},
};

static const sent gen_excl[] = {
	{0, "Pregnant or breastfeeding"},
	{0, "Participation in another interventional study within 30 days"},
	{0, "History of malignancy within 5 years, except treated non-melanoma "
	    "skin cancer"},
	{0, "Severe hepatic impairment (Child-Pugh class C)"},
	{0, "Known allergy to the study drug or its excipients"},
	{0, "Alcohol or drug abuse within the past year"},
	{0, "Unstable cardiovascular disease within 3 months"},
	{0, "ALT or AST > 3 x ULN at screening"},
	{0, "Any condition that, in the investigator's opinion, would make "
	    "participation unsafe"},
	{0, "Use of systemic immunosuppressants within 8 weeks"},
	{0, "Active infection requiring systemic treatment"},
	{0, "History of major surgery within 3 months"},
};

static const char *const labs_nested[] = {
	"Absolute neutrophil count >= 1,500/uL",
	"Platelets >= 100 x 10^9/L",
	"Hemoglobin >= 9.0 g/dL",
	"Total bilirubin <= 1.5 x ULN",
	"AST/ALT <= 3 x ULN (<= 5 x ULN with liver metastases)",
	"Creatinine clearance >= 50 mL/min",
	"Albumin >= 3.0 g/dL",
	"INR <= 1.5",
};

/* ------------------------------------------------------------------ */
/* Text assembly                                                       */
/* ------------------------------------------------------------------ */

/*
 * One wrapped item: the first line starts with `lead` spaces then `mark`,
 * continuation lines are indented `cont`, lines end with "&#xD;" when crx.
 * Wraps on the unescaped text, as the export does.
 */
static void wrap_item(buf *b, const char *text, int lead, const char *mark,
		      int cont, int crx)
{
	const char *p = text;
	int col = lead + (int)strlen(mark);

	spaces(b, lead);
	put(b, mark);
	while (*p) {
		const char *w = p;
		size_t n;
		int first = (col == lead + (int)strlen(mark));

		while (*w == ' ')
			w++;
		n = strcspn(w, " ");
		if (!n)
			break;
		if (!first && col + 1 + (int)n > WRAP) {
			if (crx)
				put(b, "&#xD;");
			putc_(b, '\n');
			spaces(b, cont);
			col = cont;
			first = 1;
		}
		if (!first) {
			putc_(b, ' ');
			col++;
		}
		put_esc(b, w, n);
		col += (int)n;
		p = w + n;
	}
	if (crx)
		put(b, "&#xD;");
	putc_(b, '\n');
}

static void blank(buf *b, int crx)
{
	put(b, crx ? "&#xD;\n" : "\n");
}

/* Draws up to n distinct indexes below pool_n into idx; returns count. */
static size_t draw(uint64_t *s, size_t pool_n, size_t n, size_t *idx)
{
	size_t perm[64], i;

	if (pool_n > N_OF(perm))
		pool_n = N_OF(perm);
	for (i = 0; i < pool_n; i++)
		perm[i] = i;
	if (n > pool_n)
		n = pool_n;
	for (i = 0; i < n; i++) {
		size_t j = i + rnd(s, (uint32_t)(pool_n - i));
		size_t t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
		idx[i] = perm[i];
	}
	return n;
}

enum kind { K_CRC, K_BASKET, K_CANCER, K_OTHER };

typedef struct section {
	const sent *a;
	size_t an;
	const sent *c; /* second pool (colorectal), or NULL */
	size_t cn;
} section;

/* Emits one numbered or dashed item and the blank line after it. */
static void item(buf *b, const char *text, int numbered, size_t *k, int crx)
{
	char mark[32];

	++*k;
	snprintf(mark, sizeof mark, numbered ? "%zu. " : "-  ", *k);
	wrap_item(b, text, numbered && *k > 9 ? 9 : 10, mark, 13, crx);
	blank(b, crx);
}

/*
 * Appends a header and its items until about `budget` bytes: the `first`
 * sentence, then sentences alternately from the colorectal and the general
 * pool without repeats, skipping a sentence whose group *used already has.
 */
static void criteria_section(buf *b, uint64_t *s, const char *head,
			     const char *first, const section *sec,
			     size_t budget, int numbered, int nested,
			     uint32_t *used, int crx)
{
	size_t ia[64], ic[64], na, nc, i, k = 0, start = b->len;
	int pass;

	wrap_item(b, head, 8, "", 8, crx);
	blank(b, crx);
	na = draw(s, sec->an, sec->an, ia);
	nc = sec->c ? draw(s, sec->cn, sec->cn, ic) : 0;
	if (first)
		item(b, first, numbered, &k, crx);
	for (i = 0; (i < na || i < nc) && b->len - start < budget; i++) {
		for (pass = 0; pass < 2; pass++) {
			const sent *t = NULL;
			if (pass == 0 && i < nc)
				t = &sec->c[ic[i]];
			else if (pass == 1 && i < na)
				t = &sec->a[ia[i]];
			if (!t || b->len - start >= budget)
				continue;
			if (t->group) {
				if (*used & (1u << t->group))
					continue;
				*used |= 1u << t->group;
			}
			item(b, t->text, numbered, &k, crx);
		}
		if (nested && i == 1) {
			size_t il[8], j;
			size_t nl =
				draw(s, N_OF(labs_nested), 3 + rnd(s, 5), il);
			item(b,
			     "Adequate organ function, defined as all of the "
			     "following:",
			     numbered, &k, crx);
			for (j = 0; j < nl; j++) {
				wrap_item(b, labs_nested[il[j]], 15, "-  ", 18,
					  crx);
				blank(b, crx);
			}
		}
	}
}

/* "Esophageal Cancer" -> "esophageal cancer"; words in capitals (HIV,
 * COVID-19) are kept. */
static void lower_words(char *out, size_t n, const char *in)
{
	size_t i;

	snprintf(out, n, "%s", in);
	for (i = 0; out[i]; i++) {
		if ((i == 0 || out[i - 1] == ' ') && out[i] >= 'A' &&
		    out[i] <= 'Z' && out[i + 1] >= 'a' && out[i + 1] <= 'z')
			out[i] = (char)(out[i] - 'A' + 'a');
	}
}

/* ------------------------------------------------------------------ */
/* One record                                                          */
/* ------------------------------------------------------------------ */

static const char *pick_status(uint64_t *s)
{
	uint32_t r = rnd(s, 100);

	if (r < 55)
		return "Completed";
	if (r < 70)
		return "Recruiting";
	if (r < 75)
		return "Not yet recruiting";
	if (r < 83)
		return "Active, not recruiting";
	if (r < 91)
		return "Terminated";
	if (r < 94)
		return "Withdrawn";
	if (r < 99)
		return "Unknown status";
	return "Suspended";
}

static void date_str(char *out, size_t n, int y, int m, int d)
{
	snprintf(out, n, "%s %d, %d", months[m], d, y);
}

static void gen_record(buf *b, uint32_t id, uint64_t seed)
{
	uint64_t st = seed ^ ((uint64_t)id * 0xD1B54A32D192ED03ull), *s = &st;
	char nct[16], tmp[512], d1[40], d2[40], d3[40];
	const char *cond[4], *status, *phase, *gender = "All";
	const char *minage = "18 Years", *maxage = "N/A";
	enum kind kind;
	uint32_t r, ncond = 1, i, nloc, nint;
	int y0, m0, y1, m1, crx = 1, numbered, nested;
	size_t budget;
	section inc, exc;
	uint32_t used = 0;
	char lc[128];

	rng_next(s);
	snprintf(nct, sizeof nct, "NCT%08u", id);
	r = rnd(s, 100);
	kind = r < 10 ? K_CRC : r < 18 ? K_BASKET : r < 63 ? K_CANCER : K_OTHER;
	switch (kind) {
	case K_CRC: cond[0] = PICK(s, crc_conditions); break;
	case K_BASKET: cond[0] = PICK(s, basket_conditions); break;
	case K_CANCER: cond[0] = PICK(s, cancer_conditions); break;
	default: cond[0] = PICK(s, other_conditions); break;
	}
	if (kind == K_BASKET || chance(s, 25)) {
		cond[ncond++] = kind == K_BASKET  ? PICK(s, basket_conditions)
				: kind == K_OTHER ? PICK(s, other_conditions)
				: kind == K_CRC	  ? PICK(s, crc_conditions)
						  : PICK(s, cancer_conditions);
		if (!strcmp(cond[1], cond[0]))
			ncond--;
	}
	if (kind == K_BASKET && chance(s, 30))
		cond[ncond++] = PICK(s, crc_conditions);
	status = pick_status(s);
	phase = kind == K_OTHER && chance(s, 40) ? "N/A" : PICK(s, phases);
	if (strstr(cond[0], "Breast") || strstr(cond[0], "Ovarian") ||
	    strstr(cond[0], "Endometrial") || strstr(cond[0], "Cervical"))
		gender = "Female";
	else if (strstr(cond[0], "Prostate"))
		gender = "Male";
	else if (chance(s, 4))
		gender = chance(s, 50) ? "Female" : "Male";
	r = rnd(s, 100);
	if (r < 4) {
		minage = "6 Months";
		maxage = "21 Years";
	} else if (r < 8) {
		minage = "12 Years";
	} else if (r < 12) {
		minage = "65 Years";
	} else if (r < 16) {
		maxage = "75 Years";
	} else if (r < 19) {
		minage = "18 Years";
		maxage = "65 Years";
	} else if (r < 21) {
		minage = "N/A";
	}
	y0 = 1999 + (int)rnd(s, 24);
	m0 = (int)rnd(s, 12);
	y1 = y0 + (int)rnd(s, (uint32_t)(2023 - y0 + 1));
	m1 = (int)rnd(s, 12);
	if (y1 == y0 && m1 < m0)
		m1 = m0;

	put(b, "<clinical_study>\n");
	put(b, "  <!-- This xml conforms to an XML Schema at:\n"
	       "    https://clinicaltrials.gov/ct2/html/images/info/public.xsd "
	       "-->\n");
	put(b, "  <required_header>\n");
	el(b, 4, "download_date",
	   "ClinicalTrials.gov processed this data on February 03, 2023");
	el(b, 4, "link_text", "Link to the current ClinicalTrials.gov record.");
	snprintf(tmp, sizeof tmp, "https://clinicaltrials.gov/show/%s", nct);
	el(b, 4, "url", tmp);
	put(b, "  </required_header>\n  <id_info>\n");
	snprintf(tmp, sizeof tmp, "SYN-%u-%04u", (unsigned)y0, id % 10000);
	el(b, 4, "org_study_id", tmp);
	el(b, 4, "nct_id", nct);
	put(b, "  </id_info>\n");
	{
		char drug[32];
		const char *dfmt = PICK(s, drugs);
		snprintf(drug, sizeof drug, dfmt, rnd(s, 1000));
		switch (rnd(s, 4)) {
		case 0:
			snprintf(tmp, sizeof tmp,
				 "A Study of %s in Participants With %s", drug,
				 cond[0]);
			break;
		case 1:
			snprintf(tmp, sizeof tmp,
				 "%s Versus Standard of Care in %s", drug,
				 cond[0]);
			break;
		case 2:
			snprintf(tmp, sizeof tmp,
				 "Safety and Efficacy of %s for %s", drug,
				 cond[0]);
			break;
		default:
			snprintf(tmp, sizeof tmp, "%s Trial of %s in %s", phase,
				 drug, cond[0]);
			break;
		}
		el(b, 2, "brief_title", tmp);
		snprintf(tmp + strlen(tmp), sizeof tmp - strlen(tmp),
			 ": a %s, %s Study",
			 chance(s, 50) ? "Randomized" : "Single-arm",
			 chance(s, 60) ? "Open-label" : "Double-blind");
		el(b, 2, "official_title", tmp);
		put(b, "  <sponsors>\n    <lead_sponsor>\n");
		el(b, 6, "agency", PICK(s, sponsors));
		el(b, 6, "agency_class", chance(s, 60) ? "Industry" : "Other");
		put(b, "    </lead_sponsor>\n  </sponsors>\n");
		el(b, 2, "source", "Synthetic benchmark generator");
		put(b, "  <brief_summary>\n    <textblock>\n");
		snprintf(tmp, sizeof tmp,
			 "This synthetic study evaluates %s in people with %s. "
			 "It was generated for "
			 "benchmarking and describes no real trial; its "
			 "eligibility text is assembled "
			 "from a pool of typical criterion sentences.",
			 drug, cond[0]);
		wrap_item(b, tmp, 6, "", 6, 1);
		put(b, "    </textblock>\n  </brief_summary>\n");
		el(b, 2, "overall_status", status);
		if (!strcmp(status, "Terminated") ||
		    !strcmp(status, "Withdrawn"))
			el(b, 2, "why_stopped",
			   chance(s, 50) ? "Slow accrual" : "Sponsor decision");
		snprintf(tmp, sizeof tmp, "%s %d", months[m0], y0);
		spaces(b, 2);
		put(b, "<start_date type=\"Actual\">");
		put(b, tmp);
		put(b, "</start_date>\n");
		el(b, 2, "phase", phase);
		el(b, 2, "study_type", "Interventional");
		snprintf(tmp, sizeof tmp, "%u", 10 + rnd(s, 990));
		spaces(b, 2);
		putf(b, "<enrollment type=\"%s\">%s</enrollment>\n",
		     !strcmp(status, "Completed") ? "Actual" : "Anticipated",
		     tmp);
		for (i = 0; i < ncond; i++)
			el(b, 2, "condition", cond[i]);
		nint = 1 + rnd(s, 3);
		for (i = 0; i < nint; i++) {
			const char *f = i ? PICK(s, drugs) : dfmt;
			snprintf(drug, sizeof drug, f, rnd(s, 1000));
			put(b, "  <intervention>\n");
			el(b, 4, "intervention_type",
			   strcmp(drug, "placebo") ? "Drug" : "Other");
			el(b, 4, "intervention_name", drug);
			if (chance(s, 30)) {
				snprintf(tmp, sizeof tmp, "SYN-%u",
					 rnd(s, 100000));
				el(b, 4, "other_name", tmp);
			}
			put(b, "  </intervention>\n");
		}
	}

	/* Eligibility: 1-6 KB of criteria. */
	r = rnd(s, 100);
	budget = r < 30	  ? 500 + rnd(s, 700)
		 : r < 80 ? 1200 + rnd(s, 1400)
			  : 2600 + rnd(s, 2400);
	numbered = chance(s, 25);
	nested = kind != K_OTHER && chance(s, 35);
	if (kind == K_OTHER) {
		inc = (section){gen_incl, N_OF(gen_incl), NULL, 0};
		exc = (section){gen_excl, N_OF(gen_excl), NULL, 0};
		lower_words(lc, sizeof lc, cond[0]);
		snprintf(tmp, sizeof tmp,
			 "Diagnosis of %s confirmed by a physician", lc);
	} else {
		inc = (section){onc_incl, N_OF(onc_incl), NULL, 0};
		exc = (section){onc_excl, N_OF(onc_excl), NULL, 0};
		if (kind == K_CRC || (kind == K_BASKET && ncond > 2)) {
			inc.c = crc_incl;
			inc.cn = N_OF(crc_incl);
			exc.c = crc_excl;
			exc.cn = N_OF(crc_excl);
		}
		lower_words(lc, sizeof lc, cond[0]);
		snprintf(tmp, sizeof tmp,
			 "Histologically or cytologically confirmed %s that is "
			 "%s",
			 kind == K_BASKET
				 ? "advanced solid tumour of any histology"
				 : lc,
			 chance(s, 50) ? "metastatic or unresectable"
				       : "locally advanced or metastatic");
	}
	put(b, "  <eligibility>\n    <criteria>\n      <textblock>\n");
	criteria_section(b, s, "Inclusion Criteria:", tmp, &inc, budget / 2,
			 numbered, nested, &used, crx);
	criteria_section(b, s, "Exclusion Criteria:", NULL, &exc, budget / 2,
			 numbered, 0, &used, crx);
	/* The export has no blank line before the closing tag. */
	if (b->len >= 6 && !memcmp(b->p + b->len - 6, "&#xD;\n", 6))
		b->len -= 6, b->p[b->len] = '\0';
	put(b, "      </textblock>\n    </criteria>\n");
	el(b, 4, "gender", gender);
	el(b, 4, "minimum_age", minage);
	el(b, 4, "maximum_age", maxage);
	el(b, 4, "healthy_volunteers",
	   kind == K_OTHER && chance(s, 20) ? "Accepts Healthy Volunteers"
					    : "No");
	put(b, "  </eligibility>\n");

	/* Sites: 0-30, mostly few. */
	r = rnd(s, 100);
	nloc = r < 15	? 0
	       : r < 55 ? 1 + rnd(s, 3)
	       : r < 85 ? 4 + rnd(s, 8)
			: 12 + rnd(s, 19);
	{
		const char *countries[32];
		uint32_t nc = 0, j;
		for (i = 0; i < nloc; i++) {
			const site *si = &PICK(s, sites);
			const char *sst = NULL;
			if (!strcmp(status, "Recruiting"))
				sst = chance(s, 80) ? "Recruiting"
						    : "Not yet recruiting";
			else if (!strcmp(status, "Not yet recruiting"))
				sst = "Not yet recruiting";
			else if (!strcmp(status, "Active, not recruiting"))
				sst = "Active, not recruiting";
			put(b, "  <location>\n    <facility>\n");
			snprintf(tmp, sizeof tmp, "%s %s", si->city,
				 PICK(s, facility_kinds));
			el(b, 6, "name", tmp);
			put(b, "      <address>\n");
			el(b, 8, "city", si->city);
			if (si->state)
				el(b, 8, "state", si->state);
			el(b, 8, "zip", si->zip);
			el(b, 8, "country", si->country);
			put(b, "      </address>\n    </facility>\n");
			if (sst)
				el(b, 4, "status", sst);
			put(b, "  </location>\n");
			for (j = 0; j < nc && strcmp(countries[j], si->country);
			     j++)
				;
			if (j == nc && nc < N_OF(countries))
				countries[nc++] = si->country;
		}
		if (nc) {
			put(b, "  <location_countries>\n");
			for (j = 0; j < nc; j++)
				el(b, 4, "country", countries[j]);
			put(b, "  </location_countries>\n");
		}
	}
	/* submitted/posted <= last update submitted < last update posted */
	{
		int day1 = 1 + (int)rnd(s, 20);
		int day2 = y1 == y0 && m1 == m0 ? day1 + (int)rnd(s, 6)
						: 1 + (int)rnd(s, 25);
		date_str(d1, sizeof d1, y0, m0, day1);
		date_str(d2, sizeof d2, y1, m1, day2);
		date_str(d3, sizeof d3, y1, m1, day2 + 1 + (int)rnd(s, 3));
	}
	snprintf(tmp, sizeof tmp, "%s %d", months[m1], y1);
	el(b, 2, "verification_date", tmp);
	el(b, 2, "study_first_submitted", d1);
	spaces(b, 2);
	putf(b, "<study_first_posted type=\"Actual\">%s</study_first_posted>\n",
	     d1);
	el(b, 2, "last_update_submitted", d2);
	spaces(b, 2);
	putf(b, "<last_update_posted type=\"Actual\">%s</last_update_posted>\n",
	     d3);
	if (kind != K_OTHER) {
		put(b, "  <condition_browse>\n");
		el(b, 4, "mesh_term",
		   kind == K_CRC ? "Colorectal Neoplasms" : "Neoplasms");
		put(b, "  </condition_browse>\n");
	}
	put(b, "</clinical_study>\n");
}

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

static int mkdir_one(const char *path)
{
	if (mkdir(path, 0777) && errno != EEXIST) {
		fprintf(stderr, "gen_trials: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* mkdir -p: creates the missing parents of path too. */
static int mkdir_parents(const char *path)
{
	char tmp[4096];
	size_t i, n = strlen(path);

	if (n >= sizeof tmp)
		return -1;
	memcpy(tmp, path, n + 1);
	for (i = 1; i < n; i++) {
		if (tmp[i] != '/')
			continue;
		tmp[i] = '\0';
		if (mkdir_one(tmp))
			return -1;
		tmp[i] = '/';
	}
	return mkdir_one(tmp);
}

static int write_file(const char *path, const buf *b)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b->p, 1, b->len, f) != b->len) {
		fprintf(stderr, "gen_trials: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (fclose(f)) {
		fprintf(stderr, "gen_trials: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gen_trials N OUTDIR [--seed S] [--per-file K]\n");
}

static int parse_u64(const char *s, unsigned long long *out)
{
	char *end;

	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long n = 0, seed = 1, k = 1, v;
	const char *outdir = NULL;
	char path[4200], dir[4096];
	buf b = {0};
	uint64_t files, f, done = 0, bytes = 0;
	int i, pos = 0, rc = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") ||
		    !strcmp(argv[i], "--per-file")) {
			if (i + 1 >= argc || parse_u64(argv[i + 1], &v)) {
				usage();
				return 2;
			}
			if (argv[i][2] == 's')
				seed = v;
			else
				k = v;
			i++;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			usage();
			return 0;
		} else if (pos == 0 && !parse_u64(argv[i], &n)) {
			pos++;
		} else if (pos == 1) {
			outdir = argv[i];
			pos++;
		} else {
			usage();
			return 2;
		}
	}
	if (pos != 2 || k == 0 ||
	    n > (unsigned long long)(MAX_ID - FIRST_ID + 1) ||
	    strlen(outdir) > 4000) {
		usage();
		return 2;
	}
	if (mkdir_parents(outdir))
		return 3;
	files = (n + k - 1) / k;
	for (f = 0; f < files; f++) {
		uint64_t first = FIRST_ID + f * k,
			 cnt = n - f * k < k ? n - f * k : k, j;

		if (f % FILES_PER_DIR == 0) {
			if (k == 1)
				snprintf(dir, sizeof dir, "%s/NCT%05uxxx",
					 outdir, (unsigned)(first / 1000));
			else
				snprintf(dir, sizeof dir, "%s/part-%04u",
					 outdir, (unsigned)(f / FILES_PER_DIR));
			if (mkdir_one(dir)) {
				rc = 3;
				break;
			}
		}
		b.len = 0;
		put(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		if (k > 1)
			put(&b, "<clinical_studies>\n");
		for (j = 0; j < cnt; j++)
			gen_record(&b, (uint32_t)(first + j), seed);
		if (k > 1)
			put(&b, "</clinical_studies>\n");
		if (k == 1)
			snprintf(path, sizeof path, "%s/NCT%08u.xml", dir,
				 (unsigned)first);
		else
			snprintf(path, sizeof path, "%s/NCT%08u-%u.xml", dir,
				 (unsigned)first, (unsigned)cnt);
		if (write_file(path, &b)) {
			rc = 3;
			break;
		}
		done += cnt;
		bytes += b.len;
	}
	free(b.p);
	fprintf(stderr,
		"gen_trials: %llu records, %llu files, %llu bytes in %s\n",
		(unsigned long long)done,
		(unsigned long long)(done ? (done + k - 1) / k : 0),
		(unsigned long long)bytes, outdir);
	return rc;
}
