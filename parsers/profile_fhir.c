/*
 * profile_fhir.c - patients from HL7 FHIR R4 mCODE Bundles.
 *
 * A Bundle holding one patient's resources (collection, transaction, or
 * any other type) becomes a profile object shaped as
 * spec/patient-profile.md says, then goes through the one normaliser,
 * ctm_profile_from_json(). What the Bundle holds that is not understood
 * is one warning per resource, naming the resource and its code.
 *
 * Resources are recognised by code first (LOINC, SNOMED CT, ICD-10-CM,
 * ICD-O-3, RxNorm, HGNC through engine/lexicon/codes.tsv) and by mCODE
 * profile name where the code says nothing (STU1 to STU3 names: the
 * profile URL is matched by its last segment's words, so
 * "mcode-tumor-marker" and "mcode-tumor-marker-test" are the same).
 *
 * The mapping (mCODE IG, STU1-STU3):
 * - Patient: id, gender, birthDate.
 * - PrimaryCancerCondition: code (+ the histology-morphology-behavior
 *   extension: adenocarcinoma refines "colon cancer" into "colon
 *   adenocarcinoma" where the lexicon has it) -> diagnosis; stage.summary
 *   -> stage. SecondaryCancerCondition: code and bodySite -> metastatic
 *   sites, metastatic; a brain site's clinicalStatus gives brain_metastases
 *   (active/recurrence/relapse: active; remission/resolved/inactive:
 *   treated_stable).
 * - Observations by code: ECOG 89247-1, Karnofsky 89243-0, stage groups
 *   (21908-9, 21902-2, 21914-7), TNM distant metastases (M1 -> metastatic),
 *   GenomicVariant 69548-6 (gene studied 48018-6, amino-acid change
 *   48005-3 in HGVS p. -> variant, presence), GenomicRegionStudied
 *   (wild-type only where its value says no variant was found), tumour
 *   markers and labs by LOINC. The latest observation of each wins.
 * - CancerRelatedMedicationRequest/Administration/Statement (RxNorm) ->
 *   prior therapies with their end dates; CancerRelatedSurgicalProcedure
 *   and RadiotherapyCourseSummary (SNOMED CT) -> procedures.
 * - No therapy resource read: prior therapies stay unknown (never []).
 *
 * Bulk FHIR $export output (a directory of NDJSON files, one resource type
 * a file) is grouped by patient reference into such Bundles.
 */
#include "profile_impl.h"

#include <ctm/parsers.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define MAX_FHIR_WARNINGS 100
#define MAX_ENTRIES	  100000
#define TYPE_BIT(t)	  (1u << (t))
#define THERAPY_MASK                                                           \
	(TYPE_BIT(CTM_CT_DRUG) | TYPE_BIT(CTM_CT_REGIMEN) |                    \
	 TYPE_BIT(CTM_CT_CLASS) | TYPE_BIT(CTM_CT_PROCEDURE))

/* ------------------------------------------------------------------ */
/* Codes                                                               */
/* ------------------------------------------------------------------ */

/* FHIR code system URLs and the lexicon's short names for them. */
static const struct {
	const char *url, *name;
} systems[] = {
	{"http://snomed.info/sct", "snomed"},
	{"http://hl7.org/fhir/sid/icd-10-cm", "icd10cm"},
	{"http://hl7.org/fhir/sid/icd-10", "icd10cm"},
	{"http://terminology.hl7.org/CodeSystem/icd-o-3", "icdo3"},
	{"urn:oid:2.16.840.1.113883.6.43.1", "icdo3"},
	{"http://loinc.org", "loinc"},
	{"http://www.nlm.nih.gov/research/umls/rxnorm", "rxnorm"},
	{"http://www.genenames.org/geneId", "hgnc"},
	{"http://www.genenames.org", "hgnc"},
	{"https://www.genenames.org", "hgnc"},
	{"http://oncotree.mskcc.org", "oncotree"},
	{"http://oncotree.info", "oncotree"},
	{"http://cancerstaging.org", "ajcc"},
	{"http://varnomen.hgvs.org", "hgvs"},
	{"http://unitsofmeasure.org", "ucum"},
};

/* strcasestr() is not C11: the first place of word in s, any case. */
static const char *ci_find(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++)
		if (!strncasecmp(s, word, n))
			return s;
	return NULL;
}

static const char *system_name(const char *url)
{
	size_t i;

	if (!url)
		return "";
	for (i = 0; i < sizeof(systems) / sizeof(systems[0]); i++)
		if (!strcmp(url, systems[i].url))
			return systems[i].name;
	return url;
}

/* ------------------------------------------------------------------ */
/* The converter                                                       */
/* ------------------------------------------------------------------ */

typedef struct conv {
	const ctm_lexicon *lx;
	json_t *prof;	  /* the profile object being built */
	json_t *warnings; /* array of strings */
	json_t *sites;	  /* array of site names, or NULL */
	json_t *markers;  /* array of biomarker objects, or NULL */
	json_t *therapies;
	json_t *labs;
	const char *rtype, *rid; /* the resource being read */
	char ecog_date[40], karnofsky_date[40], stage_date[40];
	json_t *lab_dates; /* labs key -> when its value was observed */
	bool diagnosis_set;
} conv;

/* At most max bytes of s in buf, control characters as '?' (so that no
 * byte of the input can open or close a VB..VE part). */
static const char *clean(const char *s, size_t max, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i < max && i + 1 < size; i++)
		buf[i] =
			(unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

static void warn(conv *c, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* One warning about the resource being read: "Observation/x: ..." */
static void warn(conv *c, const char *fmt, ...)
{
	char msg[400], line[512], rid[64];
	va_list ap;

	if (json_array_size(c->warnings) >= MAX_FHIR_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* kept with its VB..VE marks: ctm_profile_add_warnings() makes the
	 * forms with and without values */
	if (json_array_size(c->warnings) == MAX_FHIR_WARNINGS - 1)
		snprintf(line, sizeof(line), "further FHIR warnings left out");
	else if (c->rtype)
		snprintf(line, sizeof(line), "%s/%s: %s", c->rtype,
			 clean(c->rid ? c->rid : "?", 60, rid, sizeof(rid)),
			 msg);
	else
		snprintf(line, sizeof(line), "%s", msg);
	json_array_append_new(c->warnings, json_string(line));
}

static const char *str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The meta.profile URLs of r joined, lower case, for word tests. */
static bool has_profile(json_t *r, const char *word)
{
	json_t *prof = json_object_get(json_object_get(r, "meta"), "profile");
	json_t *v;
	size_t i;

	json_array_foreach(prof, i, v)
	{
		const char *s = json_string_value(v), *slash;
		if (!s)
			continue;
		slash = strrchr(s, '/');
		if (strstr(slash ? slash : s, word))
			return true;
	}
	return false;
}

/* The concept a CodeableConcept names by code (types in mask; 0 = any). */
static ctm_concept cc_code(conv *c, json_t *cc, unsigned mask)
{
	json_t *codings = json_object_get(cc, "coding"), *cd;
	size_t i;

	json_array_foreach(codings, i, cd)
	{
		const char *sys = system_name(str(cd, "system"));
		const char *code = str(cd, "code");
		char buf[64];
		ctm_concept k;
		if (!code)
			continue;
		k = ctm_lexicon_code(c->lx, sys, code);
		/* ICD categories: C18.7 -> C18; a bare HGNC number */
		if (!k && (!strcmp(sys, "icd10cm") || !strcmp(sys, "icdo3")) &&
		    strchr(code, '.') &&
		    (size_t)(strchr(code, '.') - code) < sizeof(buf)) {
			size_t n = (size_t)(strchr(code, '.') - code);
			memcpy(buf, code, n);
			buf[n] = '\0';
			k = ctm_lexicon_code(c->lx, sys, buf);
		}
		if (!k && !strcmp(sys, "hgnc") &&
		    isdigit((unsigned char)*code)) {
			snprintf(buf, sizeof(buf), "HGNC:%.50s", code);
			k = ctm_lexicon_code(c->lx, sys, buf);
		}
		if (k &&
		    (!mask || (mask & TYPE_BIT(ctm_lexicon_type(c->lx, k)))))
			return k;
	}
	return 0;
}

/* The most specific concept of `mask` named in text: one is-a the others. */
static ctm_concept text_concept(conv *c, const char *s, unsigned mask)
{
	ctm_term_hit hits[16];
	size_t nh, i, j;

	if (!s)
		return 0;
	nh = ctm_lexicon_scan(c->lx, s, strlen(s), mask, hits, 16);
	if (nh > 16)
		nh = 16;
	for (i = 0; i < nh; i++) {
		for (j = 0; j < nh; j++)
			if (!ctm_lexicon_is_a(c->lx, hits[i].concept,
					      hits[j].concept))
				break;
		if (j == nh)
		return hits[i].concept;
	}
	return nh ? hits[0].concept : 0;
}

/* By code, else by the CodeableConcept's text and codings' displays. */
static ctm_concept cc_concept(conv *c, json_t *cc, unsigned mask)
{
	json_t *cd;
	size_t i;
	ctm_concept k = cc_code(c, cc, mask);

	if (k)
		return k;
	if ((k = text_concept(c, str(cc, "text"), mask)))
		return k;
	json_array_foreach(json_object_get(cc, "coding"), i, cd)
	{
		if ((k = text_concept(c, str(cd, "display"), mask)))
			return k;
	}
	return 0;
}

/*
 * "loinc 85337-4 'Estrogen receptor Ag ...'" naming a CodeableConcept: the
 * code always (the issue: a warning names the resource and code), its text
 * (which may say the patient's condition) between VB and VE.
 */
static const char *cc_show(json_t *cc, char *buf, size_t size)
{
	json_t *cd = json_array_get(json_object_get(cc, "coding"), 0);
	const char *text = str(cc, "text");
	char tb[64], cb[48];

	if (!text)
		text = str(cd, "display");
	if (text)
		clean(text, 60, tb, sizeof(tb));
	if (cd && str(cd, "code"))
		snprintf(buf, size, "%s %s" VB "%s%.50s%s" VE,
			 system_name(str(cd, "system")),
			 clean(str(cd, "code"), 40, cb, sizeof(cb)),
			 text ? " '" : "", text ? tb : "", text ? "'" : "");
	else if (text)
		snprintf(buf, size, VB "'%s'" VE NB "a text without a code" NE,
			 tb);
	else
		snprintf(buf, size, "no code");
	return buf;
}

/* True if cc has a coding of system `sys` (short name) and code. */
static bool cc_has(json_t *cc, const char *sys, const char *code)
{
	json_t *cd;
	size_t i;

	json_array_foreach(json_object_get(cc, "coding"), i, cd)
	{
		const char *s = str(cd, "code");
		if (s && !strcmp(s, code) &&
		    !strcmp(system_name(str(cd, "system")), sys))
			return true;
	}
	return false;
}

/* The text of cc for reading words: text, else the first display, else
 * the first code. */
static const char *cc_text(json_t *cc)
{
	json_t *cd = json_array_get(json_object_get(cc, "coding"), 0);

	if (str(cc, "text"))
		return str(cc, "text");
	if (str(cd, "display"))
		return str(cd, "display");
	return str(cd, "code");
}

/* "2017-07-28T23:41:09-04:00" -> "2017-07-28" in buf; false if no date. */
static bool date_of(const char *s, char *buf)
{
	int i;

	if (!s || strlen(s) < 10)
		return false;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-'
				     : !isdigit((unsigned char)s[i]))
			return false;
	memcpy(buf, s, 10);
	buf[10] = '\0';
	return true;
}

/* When an observation was made, for "the latest wins": ISO text. */
static const char *effective(json_t *r)
{
	const char *s = str(r, "effectiveDateTime");

	if (!s)
		s = str(json_object_get(r, "effectivePeriod"), "end");
	if (!s)
		s = str(json_object_get(r, "effectivePeriod"), "start");
	if (!s)
		s = str(r, "issued");
	return s ? s : "";
}

/* True (and the date kept) if this observation is not older than *kept. */
static bool newer(json_t *r, char *kept, size_t size)
{
	const char *e = effective(r);

	if (*kept && strcmp(e, kept) < 0)
		return false;
	snprintf(kept, size, "%s", *e ? e : " ");
	return true;
}

/* ---- words in values ---- */

enum { V_NONE, V_POS, V_NEG, V_HIGH, V_LOW, V_STABLE, V_DEF, V_PROF, V_AMP };

static const struct {
	const char *sys, *code;
	int v;
} value_codes[] = {
	{"loinc", "LA6576-8", V_POS},	  {"loinc", "LA6577-6", V_NEG},
	{"loinc", "LA9633-4", V_POS},	  {"loinc", "LA9634-2", V_NEG},
	{"loinc", "LA11882-0", V_POS},	  {"loinc", "LA11883-8", V_NEG},
	{"snomed", "10828004", V_POS},	  {"snomed", "260385009", V_NEG},
	{"snomed", "52101004", V_POS},	  {"snomed", "2667000", V_NEG},
	{"loinc", "LA26203-2", V_HIGH},	  {"loinc", "LA26202-4", V_LOW},
	{"loinc", "LA14122-8", V_STABLE},
};

static const struct {
	const char *word;
	int v;
} value_words[] = {
	{"msi-h", V_HIGH},	  {"msi-high", V_HIGH},
	{"msi high", V_HIGH},	  {"msi-l", V_LOW},
	{"msi-low", V_LOW},	  {"mss", V_STABLE},
	{"stable", V_STABLE},	  {"not detected", V_NEG},
	{"no variant", V_NEG},	  {"wild type", V_NEG},
	{"wild-type", V_NEG},	  {"negative", V_NEG},
	{"absent", V_NEG},	  {"not amplified", V_NEG},
	{"deficient", V_DEF},	  {"dmmr", V_DEF},
	{"proficient", V_PROF},	  {"pmmr", V_PROF},
	{"intact", V_PROF},	  {"amplified", V_AMP},
	{"amplification", V_AMP}, {"high", V_HIGH},
	{"low", V_LOW},		  {"positive", V_POS},
	{"detected", V_POS},	  {"present", V_POS},
	{"pos", V_POS},		  {"neg", V_NEG},
};

static int word_value(const char *s)
{
	char low[128];
	size_t i;

	if (!s)
		return V_NONE;
	for (i = 0; s[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	/* longest and most specific first: the table is in that order */
	for (i = 0; i < sizeof(value_words) / sizeof(value_words[0]); i++)
		if (strstr(low, value_words[i].word))
			return value_words[i].v;
	return V_NONE;
}

static int cc_value(json_t *cc)
{
	json_t *cd;
	size_t i, k;
	int v;

	json_array_foreach(json_object_get(cc, "coding"), i, cd)
	{
		const char *sys = system_name(str(cd, "system"));
		const char *code = str(cd, "code");
		for (k = 0;
		     code && k < sizeof(value_codes) / sizeof(value_codes[0]);
		     k++)
			if (!strcmp(sys, value_codes[k].sys) &&
			    !strcmp(code, value_codes[k].code))
				return value_codes[k].v;
		if (code && !strcmp(code, "POS"))
			return V_POS;
		if (code && !strcmp(code, "NEG"))
			return V_NEG;
	}
	if ((v = word_value(str(cc, "text"))))
		return v;
	json_array_foreach(json_object_get(cc, "coding"), i, cd)
	{
		if ((v = word_value(str(cd, "display"))) ||
		    (v = word_value(str(cd, "code"))))
			return v;
	}
	return V_NONE;
}

/* An observation's qualitative value: valueCodeableConcept, valueString,
 * else its interpretation (an object, or an array as R4 has it). */
static int obs_value(json_t *r)
{
	json_t *interp = json_object_get(r, "interpretation");
	int v = cc_value(json_object_get(r, "valueCodeableConcept"));

	if (!v)
		v = word_value(str(r, "valueString"));
	if (!v && json_is_array(interp))
		v = cc_value(json_array_get(interp, 0));
	else if (!v)
		v = cc_value(interp);
	return v;
}

/* A number from valueInteger or valueQuantity.value; false if none. */
static bool obs_number(json_t *r, double *out, const char **unit)
{
	json_t *q = json_object_get(r, "valueQuantity");
	json_t *v = json_object_get(r, "valueInteger");

	if (unit)
		*unit = NULL;
	if (!json_is_number(v))
		v = json_object_get(q, "value");
	if (!json_is_number(v))
		return false;
	*out = json_number_value(v);
	if (unit) {
		*unit = str(q, "code");
		if (!*unit)
			*unit = str(q, "unit");
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Resources                                                           */
/* ------------------------------------------------------------------ */

static void set(conv *c, const char *key, json_t *v)
{
	json_object_set_new(c->prof, key, v);
}

static void read_patient(conv *c, json_t *r)
{
	const char *g = str(r, "gender"), *bd = str(r, "birthDate");
	char date[16], b[24];

	if (c->rid && !json_object_get(c->prof, "id"))
		set(c, "id", json_string(c->rid));
	if (g && (!strcmp(g, "female") || !strcmp(g, "male")))
		set(c, "sex", json_string(g));
	else if (g)
		warn(c,
		     "gender" VB " '%s'" VE " is not female or male: sex "
		     "unknown",
		     clean(g, 20, b, sizeof(b)));
	if (bd && date_of(bd, date))
		set(c, "birth_date", json_string(date));
	else if (bd)
		warn(c,
		     "birthDate" VB " '%s'" VE " is not a full date: age "
		     "unknown",
		     clean(bd, 20, b, sizeof(b)));
	else
		warn(c, "no birthDate: age unknown");
}

/* "3A", "IIIA", "c3A", "Stage 3A (qualifier value)" -> "IIIA" in out. */
static bool stage_word(const char *s, char *out, size_t size)
{
	static const char *const roman[] = {"0", "I", "II", "III", "IV"};
	const char *p = s;
	int n = -1;

	if (!s)
		return false;
	{
		const char *st = ci_find(s, "stage");
		if (st)
			p = st + 5;
	}
	while (*p == ' ' || *p == 'c' || *p == 'p' || *p == 'y' || *p == 'r')
		p++;
	if (*p >= '0' && *p <= '4') {
		n = *p - '0';
		p++;
	} else if (!strncmp(p, "IV", 2)) {
		n = 4, p += 2;
	} else if (!strncmp(p, "III", 3)) {
		n = 3, p += 3;
	} else if (!strncmp(p, "II", 2)) {
		n = 2, p += 2;
	} else if (*p == 'I') {
		n = 1, p++;
	}
	if (n < 0 ||
	    isalnum((unsigned char)p[p[0] >= 'A' && p[0] <= 'C' ? 1 : 0]))
		return false;
	snprintf(out, size, "%s%.*s", roman[n], *p >= 'A' && *p <= 'C' ? 1 : 0,
		 p);
	return true;
}

/* A stage from a CodeableConcept: AJCC codes, then text and displays. */
static bool cc_stage(json_t *cc, char *out, size_t size)
{
	json_t *cd;
	size_t i;

	json_array_foreach(json_object_get(cc, "coding"), i, cd)
	{
		if (!strcmp(system_name(str(cd, "system")), "ajcc") &&
		    stage_word(str(cd, "code"), out, size))
			return true;
	}
	if (stage_word(str(cc, "text"), out, size))
		return true;
	json_array_foreach(json_object_get(cc, "coding"), i, cd)
	{
		if (stage_word(str(cd, "display"), out, size))
			return true;
	}
	return false;
}

static void take_stage(conv *c, json_t *r, json_t *cc)
{
	char st[16], b[160];

	if (!cc_stage(cc, st, sizeof(st))) {
		warn(c, "stage %s not understood", cc_show(cc, b, sizeof(b)));
		return;
	}
	if (r && !newer(r, c->stage_date, sizeof(c->stage_date)))
		return;
	set(c, "stage", json_string(st));
}

/* SNOMED CT and ICD-O-3 morphology codes of adenocarcinoma. */
static bool is_adenocarcinoma(json_t *cc)
{
	const char *t = cc_text(cc);

	return cc_has(cc, "snomed", "35917007") ||
	       cc_has(cc, "icdo3", "8140/3") ||
	       cc_has(cc, "snomed", "443961001") ||
	       (t && ci_find(t, "adenocarcinoma"));
}

static void read_primary(conv *c, json_t *r)
{
	json_t *code = json_object_get(r, "code"), *ext, *st;
	unsigned dmask = TYPE_BIT(CTM_CT_DISEASE);
	ctm_concept d = cc_concept(c, code, dmask);
	char b[160];
	size_t i;

	if (c->diagnosis_set) {
		warn(c, "a second primary cancer (%s) is not read",
		     cc_show(code, b, sizeof(b)));
		return;
	}
	c->diagnosis_set = true;
	json_array_foreach(json_object_get(r, "extension"), i, ext)
	{
		const char *url = str(ext, "url");
		json_t *v = json_object_get(ext, "valueCodeableConcept");
		if (!url || !strstr(url, "histology-morphology-behavior"))
			continue;
		/* "colon cancer" + adenocarcinoma = "colon adenocarcinoma" */
		if (d && is_adenocarcinoma(v)) {
			const char *name = ctm_lexicon_name(c->lx, d);
			size_t n = strlen(name);
			ctm_concept a;
			if (n > 7 && !strcmp(name + n - 7, " cancer")) {
				snprintf(b, sizeof(b), "%.*s adenocarcinoma",
					 (int)(n - 7), name);
				a = ctm_lexicon_find(c->lx, b, strlen(b));
				if (ctm_lexicon_type(c->lx, a) ==
					    CTM_CT_DISEASE &&
				    ctm_lexicon_is_a(c->lx, a, d))
					d = a;
			}
		} else if (!d) {
			d = cc_concept(c, v, dmask);
		}
	}
	/* the sender's words where they name the same disease, for the
	 * coordinator reading the reasons; else the lexicon's name */
	if (d && cc_text(code) && text_concept(c, cc_text(code), dmask) == d)
		set(c, "diagnosis", json_string(cc_text(code)));
	else if (d)
		set(c, "diagnosis", json_string(ctm_lexicon_name(c->lx, d)));
	else if (cc_text(code))
		/* the normaliser refuses it, naming the text */
		set(c, "diagnosis", json_string(cc_text(code)));
	else
		warn(c, "primary cancer condition without a code");
	json_array_foreach(json_object_get(r, "stage"), i, st)
	{
		json_t *sum = json_object_get(st, "summary");
		if (sum) {
			take_stage(c, NULL, sum);
			break;
		}
	}
}

static void add_site(conv *c, const char *site)
{
	json_t *v;
	size_t i;

	if (!c->sites)
		c->sites = json_array();
	json_array_foreach(c->sites, i, v)
	{
		if (!strcmp(json_string_value(v), site))
			return;
	}
	json_array_append_new(c->sites, json_string(site));
}

static void read_secondary(conv *c, json_t *r)
{
	unsigned smask = TYPE_BIT(CTM_CT_SITE);
	json_t *code = json_object_get(r, "code"), *bs;
	ctm_concept s = cc_code(c, code, smask);
	char b[160];
	size_t i;

	set(c, "metastatic", json_true());
	json_array_foreach(json_object_get(r, "bodySite"), i, bs)
	{
		if (!s)
			s = cc_code(c, bs, smask);
	}
	if (!s)
		s = text_concept(c, cc_text(code), smask);
	json_array_foreach(json_object_get(r, "bodySite"), i, bs)
	{
		if (!s)
			s = text_concept(c, cc_text(bs), smask);
	}
	if (!s) {
		bs = json_array_get(json_object_get(r, "bodySite"), 0);
		warn(c,
		     "metastatic site of %s%s%s not understood: counted as "
		     "'other'",
		     cc_show(code, b, sizeof(b)), bs ? ", bodySite " : "",
		     bs ? cc_show(bs, b + 80, 80) : "");
		add_site(c, "other");
		return;
	}
	add_site(c, ctm_lexicon_name(c->lx, s));
	if (!strcmp(ctm_lexicon_name(c->lx, s), "brain")) {
		json_t *cs = json_object_get(r, "clinicalStatus");
		if (cc_has(cs,
			   "http://terminology.hl7.org/CodeSystem/"
			   "condition-clinical",
			   "active") ||
		    cc_has(cs,
			   "http://terminology.hl7.org/CodeSystem/"
			   "condition-clinical",
			   "recurrence") ||
		    cc_has(cs,
			   "http://terminology.hl7.org/CodeSystem/"
			   "condition-clinical",
			   "relapse"))
			set(c, "brain_metastases", json_string("active"));
		else if (cs)
			set(c, "brain_metastases",
			    json_string("treated_stable"));
	}
}

static void read_condition(conv *c, json_t *r)
{
	json_t *code = json_object_get(r, "code");
	char b[160];

	if (has_profile(r, "secondary-cancer-condition") ||
	    cc_code(c, code, TYPE_BIT(CTM_CT_SITE)))
		read_secondary(c, r);
	else if (has_profile(r, "primary-cancer-condition") ||
		 cc_code(c, code, TYPE_BIT(CTM_CT_DISEASE)))
		read_primary(c, r);
	else
		warn(c, "condition %s not understood; ignored",
		     cc_show(code, b, sizeof(b)));
}

static void read_performance(conv *c, json_t *r, bool ecog)
{
	static const char *const ecog_la[] = {"LA9622-7", "LA9623-5",
					      "LA9624-3", "LA9625-0",
					      "LA9626-8", "LA9627-6"};
	double v;
	int i;
	bool have = obs_number(r, &v, NULL);

	for (i = 0; ecog && !have && i < 6; i++)
		if (cc_has(json_object_get(r, "valueCodeableConcept"), "loinc",
			   ecog_la[i]))
			v = i, have = true;
	if (!have) {
		warn(c, "%s without a value; ignored",
		     ecog ? "ECOG" : "Karnofsky");
		return;
	}
	if (v != floor(v) || v < 0 || v > (ecog ? 5 : 100) ||
	    (!ecog && fmod(v, 10) != 0)) {
		warn(c, "%s" VB " %g" VE " is not a valid score (%s); ignored",
		     ecog ? "ECOG" : "Karnofsky", v,
		     ecog ? "0-5" : "0-100 in tens");
		return;
	}
	if (!newer(r, ecog ? c->ecog_date : c->karnofsky_date,
		   sizeof(c->ecog_date)))
		return;
	set(c, ecog ? "ecog" : "karnofsky", json_integer((json_int_t)v));
}

static void add_marker(conv *c, ctm_concept gene, const char *status,
		       const char *variant, json_t *value)
{
	json_t *bm = json_object(), *v;
	const char *name = ctm_lexicon_name(c->lx, gene);
	size_t i;

	/* one entry a gene and variant: the first read stands */
	json_array_foreach(c->markers, i, v)
	{
		if (!strcmp(str(v, "name"), name) &&
		    !strcmp(str(v, "variant") ? str(v, "variant") : "",
			    variant ? variant : "")) {
			json_decref(bm);
			json_decref(value);
			return;
		}
	}
	json_object_set_new(bm, "name", json_string(name));
	if (status)
		json_object_set_new(bm, "status", json_string(status));
	if (variant)
		json_object_set_new(bm, "variant", json_string(variant));
	if (value)
		json_object_set_new(bm, "value", value);
	if (!c->markers)
		c->markers = json_array();
	json_array_append_new(c->markers, bm);
}

/* The status word of value class v for gene or marker g; NULL if none. */
static const char *status_for(conv *c, ctm_concept g, int v)
{
	const char *name = ctm_lexicon_name(c->lx, g);

	if (!strcmp(name, "MSI"))
		return v == V_POS || v == V_HIGH     ? "high"
		       : v == V_NEG || v == V_STABLE ? "stable"
		       : v == V_LOW		     ? "low"
						     : NULL;
	if (!strcmp(name, "MMR"))
		return v == V_DEF    ? "deficient"
		       : v == V_PROF ? "proficient"
				     : NULL;
	if (!strcmp(name, "TMB") || !strcmp(name, "PD-L1"))
		return v == V_POS    ? "positive"
		       : v == V_NEG  ? "negative"
		       : v == V_HIGH ? "high"
		       : v == V_LOW  ? "low"
				     : NULL;
	if (!strcmp(name, "ERBB2"))
		return v == V_POS || v == V_AMP ? "amplified"
		       : v == V_NEG		? "not-amplified"
						: NULL;
	if (ctm_lexicon_type(c->lx, g) == CTM_CT_GENE)
		return v == V_POS   ? "mutated"
		       : v == V_NEG ? "wild-type"
		       : v == V_AMP ? "amplified"
				    : NULL;
	return NULL;
}

static void read_marker(conv *c, json_t *r, ctm_concept g)
{
	json_t *code = json_object_get(r, "code");
	int v = obs_value(r);
	const char *status = status_for(c, g, v);
	double num;
	char b[160];

	if (!status && (!strcmp(ctm_lexicon_name(c->lx, g), "TMB")) &&
	    obs_number(r, &num, NULL)) {
		add_marker(c, g, NULL, NULL, json_real(num));
		return;
	}
	if (!status) {
		warn(c, "tumour marker %s: result not understood; ignored",
		     cc_show(code, b, sizeof(b)));
		return;
	}
	add_marker(c, g, status, NULL, NULL);
}

/* "p.Gly12Cys", "p.(G12C)", "NP_004976.2:p.Val600Glu" -> "G12C"; else
 * the text after "p." as given. */
static void protein_change(const char *s, char *out, size_t size)
{
	static const char *const aa[] = {
		"Ala", "A",   "Arg", "R",   "Asn", "N",	  "Asp", "D",	"Cys",
		"C",   "Gln", "Q",   "Glu", "E",   "Gly", "G",	 "His", "H",
		"Ile", "I",   "Leu", "L",   "Lys", "K",	  "Met", "M",	"Phe",
		"F",   "Pro", "P",   "Ser", "S",   "Thr", "T",	 "Trp", "W",
		"Tyr", "Y",   "Val", "V",   "Ter", "*",	  NULL};
	const char *p = strstr(s, "p.");
	size_t o = 0, i;

	p = p ? p + 2 : s;
	if (*p == '(')
		p++;
	while (*p && *p != ')' && o + 2 < size) {
		for (i = 0; aa[i]; i += 2)
			if (!strncmp(p, aa[i], 3))
				break;
		if (aa[i]) {
			out[o++] = aa[i + 1][0];
			p += 3;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

static void read_variant(conv *c, json_t *r, bool region)
{
	json_t *comp, *gene_cc = NULL;
	const char *change = NULL;
	ctm_concept g = 0;
	char b[160], var[64];
	size_t i;
	int v = obs_value(r);

	json_array_foreach(json_object_get(r, "component"), i, comp)
	{
		json_t *code = json_object_get(comp, "code");
		json_t *val = json_object_get(comp, "valueCodeableConcept");
		if (!code) {
			warn(c, "component %zu has no code; ignored", i);
			continue;
		}
		if (cc_has(code, "loinc", "48018-6")) {
			gene_cc = val;
			g = cc_concept(c, val, TYPE_BIT(CTM_CT_GENE));
		} else if (cc_has(code, "loinc", "48005-3")) {
			change = cc_text(val);
			if (!change)
				change = str(comp, "valueString");
		}
	}
	if (!gene_cc) {
		warn(c, "genetic variant without a gene studied (LOINC "
			"48018-6); ignored");
		return;
	}
	if (!g) {
		warn(c, "gene %s not known; ignored",
		     cc_show(gene_cc, b, sizeof(b)));
		return;
	}
	if (region) {
		/* a region studied says wild-type only when it says so */
		if (v == V_NEG)
			add_marker(c, g, "wild-type", NULL, NULL);
		return;
	}
	if (v == V_NEG)
		return; /* this variant absent: not the gene wild-type */
	if (change) {
		protein_change(change, var, sizeof(var));
		add_marker(c, g, "mutated", var, NULL);
	} else {
		add_marker(c, g, "mutated", NULL, NULL);
	}
}

static void read_lab(conv *c, json_t *r, ctm_concept lab)
{
	/* the lab's measure line (labs.tsv): its key, and whether the
	 * profile holds it as x ULN */
	const ctm_lab_info *l = ctm_lexicon_lab_info(c->lx, lab);
	const char *name = ctm_lexicon_name(c->lx, lab), *unit;
	const char *key = l ? l->key : NULL;
	bool x_uln = key && !strcmp(l->unit, "{ULN}");
	json_t *code = json_object_get(r, "code"), *val;
	double v, uln;
	char b[160];

	if (!key) {
		warn(c, "lab %s (%s) is not held by a profile; ignored",
		     cc_show(code, b, sizeof(b)), name);
		return;
	}
	if (!obs_number(r, &v, &unit)) {
		warn(c, "lab %s without a number; ignored",
		     cc_show(code, b, sizeof(b)));
		return;
	}
	if (x_uln) {
		json_t *rr =
			json_array_get(json_object_get(r, "referenceRange"), 0);
		json_t *hi =
			json_object_get(json_object_get(rr, "high"), "value");
		if (!json_is_number(hi) || json_number_value(hi) <= 0) {
			warn(c,
			     "lab %s without a reference range: times the "
			     "upper limit of normal unknown; ignored",
			     cc_show(code, b, sizeof(b)));
			return;
		}
		uln = json_number_value(hi);
		val = json_real(round(v / uln * 1000) / 1000);
	} else {
		val = json_object();
		json_object_set_new(val, "value", json_real(v));
		if (unit)
			json_object_set_new(val, "unit", json_string(unit));
	}
	{
		/* the latest observation of the lab wins */
		const char *e = effective(r);
		const char *kept = str(c->lab_dates, key);
		if (kept && strcmp(e, kept) < 0) {
			json_decref(val);
			return;
		}
		if (!c->lab_dates)
			c->lab_dates = json_object();
		json_object_set_new(c->lab_dates, key, json_string(e));
	}
	if (!c->labs)
		c->labs = json_object();
	json_object_set_new(c->labs, key, val);
}

static void read_observation(conv *c, json_t *r)
{
	json_t *code = json_object_get(r, "code");
	const char *t = cc_text(code);
	ctm_concept k;
	char b[160];

	if (cc_has(code, "loinc", "89247-1") || has_profile(r, "ecog"))
		read_performance(c, r, true);
	else if (cc_has(code, "loinc", "89243-0") ||
		 has_profile(r, "karnofsky"))
		read_performance(c, r, false);
	else if (cc_has(code, "loinc", "21908-9") ||
		 cc_has(code, "loinc", "21902-2") ||
		 cc_has(code, "loinc", "21914-7") ||
		 has_profile(r, "stage-group"))
		take_stage(c, r, json_object_get(r, "valueCodeableConcept"));
	else if (cc_has(code, "loinc", "21907-1") ||
		 cc_has(code, "loinc", "21901-4") ||
		 cc_has(code, "snomed", "399387003") ||
		 cc_has(code, "snomed", "399390009") ||
		 has_profile(r, "distant-metastases-category")) {
		json_t *v = json_object_get(r, "valueCodeableConcept");
		json_t *cd;
		size_t i;
		bool m1 = false;
		json_array_foreach(json_object_get(v, "coding"), i, cd)
		{
			m1 = m1 ||
			     (str(cd, "code") &&
			      strstr(str(cd, "code"), "M1")) ||
			     (str(cd, "display") &&
			      strstr(str(cd, "display"), "M1"));
		}
		if (m1 || (str(v, "text") && strstr(str(v, "text"), "M1")))
			set(c, "metastatic", json_true());
	} else if (cc_has(code, "loinc", "69548-6") ||
		   has_profile(r, "genetic-variant") ||
		   has_profile(r, "genomic-variant"))
		read_variant(c, r, false);
	else if (cc_has(code, "loinc", "53041-0") ||
		 has_profile(r, "region-studied"))
		read_variant(c, r, true);
	else if ((k = cc_code(c, code,
			      TYPE_BIT(CTM_CT_GENE) | TYPE_BIT(CTM_CT_MARKER))))
		read_marker(c, r, k);
	else if ((k = cc_code(c, code, TYPE_BIT(CTM_CT_LAB))))
		read_lab(c, r, k);
	else if (has_profile(r, "tumor-marker") &&
		 (k = text_concept(c, t,
				   TYPE_BIT(CTM_CT_GENE) |
					   TYPE_BIT(CTM_CT_MARKER))))
		read_marker(c, r, k);
	else if (has_profile(r, "tumor-marker"))
		warn(c, "tumour marker %s is not a known marker; ignored",
		     cc_show(code, b, sizeof(b)));
	else if (cc_has(code, "loinc", "97509-4") ||
		 has_profile(r, "disease-status") ||
		 has_profile(r, "primary-tumor-category") ||
		 has_profile(r, "regional-nodes-category") ||
		 cc_has(code, "snomed", "399504009") ||
		 cc_has(code, "snomed", "399534004"))
		warn(c, "%s is not held by a profile; ignored",
		     cc_show(code, b, sizeof(b)));
	else
		warn(c, "observation %s not understood; ignored",
		     cc_show(code, b, sizeof(b)));
}

static void read_therapy(conv *c, json_t *r, bool procedure)
{
	json_t *cc = json_object_get(
		r, procedure ? "code" : "medicationCodeableConcept");
	const char *status = str(r, "status"), *when = NULL, *name;
	bool cancer = has_profile(r, "cancer-related") ||
		      has_profile(r, "radiotherapy") ||
		      has_profile(r, "radiation");
	ctm_concept k;
	json_t *t, *v;
	char b[160], date[16];
	size_t i;

	if (status &&
	    (!strcmp(status, "entered-in-error") ||
	     !strcmp(status, "not-taken") || !strcmp(status, "not-done") ||
	     !strcmp(status, "cancelled") || !strcmp(status, "preparation")))
		return;
	if (!cc) {
		warn(c,
		     "%s without a code (a medication by reference is not "
		     "read); ignored",
		     procedure ? "procedure" : "medication");
		return;
	}
	k = cc_concept(c, cc, THERAPY_MASK);
	if (!k && procedure &&
	    (has_profile(r, "radiotherapy") || has_profile(r, "radiation")))
		k = ctm_lexicon_concept(c->lx, CTM_CT_PROCEDURE, "radiation");
	if (!k && !cancer) {
		warn(c, "%s %s is not a known cancer therapy; ignored",
		     procedure ? "procedure" : "medication",
		     cc_show(cc, b, sizeof(b)));
		return;
	}
	if (procedure) {
		when = str(r, "performedDateTime");
		if (!when)
			when = str(json_object_get(r, "performedPeriod"),
				   "end");
	} else {
		when = str(json_object_get(r, "effectivePeriod"), "end");
		if (!when)
			when = str(r, "effectiveDateTime");
		if (!when)
			when = str(json_object_get(r, "effectivePeriod"),
				   "start");
		if (!when)
			when = str(r, "authoredOn");
	}
	if (!when || !date_of(when, date))
		date[0] = '\0';
	name = k ? ctm_lexicon_name(c->lx, k) : cc_text(cc);
	if (!name)
		name = "?";
	/* the same therapy more than once: one entry, the latest end date */
	json_array_foreach(c->therapies, i, v)
	{
		if (!strcmp(str(v, "name"), name)) {
			const char *e = str(v, "end_date");
			if (*date && (!e || strcmp(date, e) > 0))
				json_object_set_new(v, "end_date",
						    json_string(date));
			return;
		}
	}
	t = json_object();
	json_object_set_new(t, "name", json_string(name));
	if (*date)
		json_object_set_new(t, "end_date", json_string(date));
	if (!c->therapies)
		c->therapies = json_array();
	json_array_append_new(c->therapies, t);
}

/*
 * FHIR sends a regimen as its ingredients (FOLFOX as oxaliplatin,
 * fluorouracil and leucovorin); a profile names the regimen, and a
 * criterion counts regimens ("two or more prior regimens"). Drugs that
 * ended on the same date (or all without one) and make up a regimen of
 * the lexicon are that regimen, the largest first (FOLFOXIRI before
 * FOLFOX; on a tie, the lexicon's first). The regimen takes the place of
 * its first member.
 */
static void group_regimens(conv *c)
{
	size_t nc = ctm_lexicon_count(c->lx), want, i, j, k, n;
	json_t *th = c->therapies;

	if (!th)
		return;
	for (want = 8; want >= 2; want--)
		for (k = 1; k < nc; k++) {
			const ctm_concept *mem;
			size_t at[8];
			const char *date = NULL;
			json_t *t;
			if (ctm_lexicon_type(c->lx, (ctm_concept)k) !=
				    CTM_CT_REGIMEN ||
			    ctm_lexicon_members(c->lx, (ctm_concept)k, &mem) !=
				    want)
				continue;
			/* every member among the drugs, all on one date */
			for (i = 0; i < want; i++) {
				const char *name =
					ctm_lexicon_name(c->lx, mem[i]);
				for (j = 0; j < json_array_size(th); j++) {
					const char *d;
					t = json_array_get(th, j);
					d = str(t, "end_date")
						    ? str(t, "end_date")
						    : "";
					if (strcmp(str(t, "name"), name) ||
					    (date && strcmp(d, date)))
						continue;
					date = d;
					break;
				}
				if (j == json_array_size(th))
					break;
				at[i] = j;
			}
			if (i < want)
				continue;
			/* the regimen where its first member was */
			n = at[0];
			for (i = 1; i < want; i++)
				if (at[i] < n)
					n = at[i];
			t = json_array_get(th, n);
			json_object_set_new(t, "name",
					    json_string(ctm_lexicon_name(
						    c->lx, (ctm_concept)k)));
			for (j = json_array_size(th); j-- > 0;)
				for (i = 0; i < want; i++)
					if (at[i] == j && j != n)
						json_array_remove(th, j);
		}
}

static void read_resource(conv *c, json_t *r)
{
	const char *t = str(r, "resourceType");

	c->rtype = t;
	c->rid = str(r, "id");
	if (!strcmp(t, "Patient"))
		read_patient(c, r);
	else if (!strcmp(t, "Condition"))
		read_condition(c, r);
	else if (!strcmp(t, "Observation"))
		read_observation(c, r);
	else if (!strcmp(t, "MedicationStatement") ||
		 !strcmp(t, "MedicationRequest") ||
		 !strcmp(t, "MedicationAdministration"))
		read_therapy(c, r, false);
	else if (!strcmp(t, "Procedure"))
		read_therapy(c, r, true);
	else
		warn(c, "a %.40s resource is not read; ignored", t);
	c->rtype = c->rid = NULL;
}

/* Puts the warnings before p's (FHIR's first). */
static int add_warnings(ctm_profile *p, json_t *w)
{
	const char *marked[MAX_FHIR_WARNINGS];
	size_t n = json_array_size(w), i;

	if (n > MAX_FHIR_WARNINGS)
		n = MAX_FHIR_WARNINGS;
	for (i = 0; i < n; i++)
		marked[i] = json_string_value(json_array_get(w, i));
	return ctm_profile_add_warnings(p, marked, n);
}

int ctm_fhir_profile(json_t *doc, const ctm_lexicon *lx, int32_t today,
		     const char *source, const ctm_profile_where *where,
		     unsigned flags, ctm_criteria_ctx *dx, ctm_profile **out,
		     ctm_error *err)
{
	const char *rt = str(doc, "resourceType"), *pid = NULL;
	int line = where ? where->line : 0, col = where ? where->column : 0;
	ctm_profile_where w = {NULL, 0, line, col};
	json_t *entry, *r;
	conv c;
	size_t i;
	int rc;

	*out = NULL;
	if (!rt || strcmp(rt, "Bundle"))
		return ctm_error_set(
			err, CTM_EINVALID, source, line, col,
			"a FHIR %.40s resource, not a Bundle: a patient is a "
			"Bundle of its resources (or a Bulk export directory)",
			rt ? rt : "(no resourceType)");
	if (!json_is_array(json_object_get(doc, "entry")))
		return ctm_error_set(err, CTM_EINVALID, source, line, col,
				     "a FHIR Bundle without entries: no "
				     "patient in it");
	if (json_array_size(json_object_get(doc, "entry")) > MAX_ENTRIES)
		return ctm_error_set(err, CTM_ELIMIT, source, line, col,
				     "a FHIR Bundle of more than %d entries",
				     MAX_ENTRIES);
	/* one patient a Bundle */
	json_array_foreach(json_object_get(doc, "entry"), i, entry)
	{
		r = json_object_get(entry, "resource");
		if (!str(r, "resourceType") ||
		    strcmp(str(r, "resourceType"), "Patient"))
			continue;
		if (pid && str(r, "id") && strcmp(pid, str(r, "id")))
			return ctm_error_set(
				err, CTM_EINVALID, source, line, col,
				"a FHIR Bundle of more than one patient "
				"(%.40s, "
				"%.40s): give one Bundle a patient",
				pid, str(r, "id"));
		pid = str(r, "id") ? str(r, "id") : "";
	}
	if (!pid)
		return ctm_error_set(err, CTM_EINVALID, source, line, col,
				     "a FHIR Bundle without a Patient "
				     "resource: whose data it holds is "
				     "unknown");
	if (!*pid)
		return ctm_error_set(err, CTM_EINVALID, source, line, col,
				     "the FHIR Patient resource has no id");
	memset(&c, 0, sizeof(c));
	c.lx = lx;
	c.prof = json_object();
	c.warnings = json_array();
	if (!c.prof || !c.warnings) {
		rc = ctm_error_set(err, CTM_ENOMEM, source, line, col,
				   "out of memory");
		goto done;
	}
	json_array_foreach(json_object_get(doc, "entry"), i, entry)
	{
		char msg[200];
		r = json_object_get(entry, "resource");
		if (!json_is_object(r) || !str(r, "resourceType")) {
			snprintf(msg, sizeof(msg),
				 "entry %zu (%.80s): no resource; ignored", i,
				 str(entry, "fullUrl") ? str(entry, "fullUrl")
						       : "no fullUrl");
			warn(&c, "%s", msg);
			continue;
		}
		read_resource(&c, r);
	}
	group_regimens(&c);
	if (c.sites)
		set(&c, "metastatic_sites", c.sites);
	if (c.markers)
		set(&c, "biomarkers", c.markers);
	if (c.therapies)
		set(&c, "prior_therapies", c.therapies);
	if (c.labs)
		set(&c, "labs", c.labs);
	rc = ctm_profile_from_json(c.prof, lx, today, source, &w, flags, dx,
				   out, err);
	if (rc == 0 && add_warnings(*out, c.warnings)) {
		ctm_profile_free(*out);
		*out = NULL;
		rc = ctm_error_set(err, CTM_ENOMEM, source, line, col,
				   "out of memory");
	}
done:
	json_decref(c.prof);
	json_decref(c.warnings);
	json_decref(c.lab_dates);
	return rc;
}

bool ctm_fhir_is_resource(json_t *obj)
{
	return json_is_object(obj) &&
	       json_is_string(json_object_get(obj, "resourceType"));
}

/* ------------------------------------------------------------------ */
/* Bulk FHIR $export: a directory of NDJSON files                      */
/* ------------------------------------------------------------------ */

struct ctm_fhir_bulk {
	json_t *groups;	   /* patient id -> array of resources */
	json_t *order;	   /* patient ids, in the order first met */
	json_t *where;	   /* patient id -> [file, line] of its Patient */
	ctm_error *errors; /* lines that could not be read */
	size_t n_errors, next_error, next;
	char name[CTM_ERROR_FILE_MAX];
	int line;
};

static bool is_ndjson(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 7 &&
	       !strcasecmp(name + len - 7, ".ndjson");
}

bool ctm_fhir_dir_is_bulk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		found = is_ndjson(e->d_name);
	closedir(d);
	return found;
}

/* The patient a resource belongs to: its id, or NULL. */
static const char *patient_of(json_t *r, char *buf, size_t size)
{
	static const char *const keys[] = {"subject", "patient", NULL};
	const char *ref = NULL;
	size_t i;

	if (!strcmp(str(r, "resourceType"), "Patient"))
		return str(r, "id");
	for (i = 0; keys[i] && !ref; i++)
		ref = str(json_object_get(r, keys[i]), "reference");
	if (!ref)
		return NULL;
	if (!strncmp(ref, "Patient/", 8))
		ref += 8;
	else if (!strncmp(ref, "urn:uuid:", 9))
		ref += 9;
	if (strlen(ref) >= size)
		return NULL; /* no id is that long: not a patient's */
	snprintf(buf, size, "%s", ref);
	return buf;
}

static int bulk_error_add(ctm_fhir_bulk *b, const ctm_error *e)
{
	ctm_error *ne;

	if (b->n_errors >= 1000)
		return 0; /* enough said */
	ne = realloc(b->errors, (b->n_errors + 1) * sizeof(*ne));
	if (!ne)
		return CTM_ENOMEM;
	b->errors = ne;
	b->errors[b->n_errors++] = *e;
	return 0;
}

static int bulk_add(ctm_fhir_bulk *b, json_t *r, const char *file, int line)
{
	char buf[256];
	const char *pid = patient_of(r, buf, sizeof(buf));
	json_t *g;

	if (!pid)
		return 0; /* Organization, Medication, ...: no patient's */
	g = json_object_get(b->groups, pid);
	if (!g) {
		g = json_array();
		if (!g || json_object_set_new(b->groups, pid, g) ||
		    json_array_append_new(b->order, json_string(pid)))
			return CTM_ENOMEM;
	}
	if (!strcmp(str(r, "resourceType"), "Patient"))
		json_object_set_new(b->where, pid,
				    json_pack("[si]", file, line));
	return json_array_append(g, r) ? CTM_ENOMEM : 0;
}

static int bulk_read_file(ctm_fhir_bulk *b, const char *path, ctm_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, rc = 0;

	if (!f)
		return ctm_error_set(err, CTM_EIO, path, 0, 0,
				     "cannot open: %s", strerror(errno));
	if (fstat(fileno(f), &st) == 0 &&
	    (unsigned long long)st.st_size > CTM_PROFILE_MAX_SOURCE) {
		fclose(f);
		return ctm_error_set(err, CTM_ELIMIT, path, 0, 0,
				     "larger than %zu bytes",
				     (size_t)CTM_PROFILE_MAX_SOURCE);
	}
	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		json_error_t je;
		json_t *r;
		ctm_error e;
		char jt[JSON_ERROR_TEXT_LENGTH + 8];
		size_t k = 0;
		lineno++;
		while (k < (size_t)n && isspace((unsigned char)line[k]))
			k++;
		if (k == (size_t)n)
			continue;
		if ((size_t)n > CTM_FHIR_MAX_BYTES) {
			ctm_error_set(&e, CTM_ELIMIT, path, lineno, 1,
				      "a resource of more than %zu bytes",
				      (size_t)CTM_FHIR_MAX_BYTES);
			rc = bulk_error_add(b, &e);
			continue;
		}
		r = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &je);
		if (!r) {
			/* its value part is kept or dropped by next() */
			ctm_error_set(
				&e, CTM_EPARSE, path, lineno, je.column,
				"invalid JSON: %s",
				ctm_json_error_text(je.text, jt, sizeof(jt)));
			rc = bulk_error_add(b, &e);
			continue;
		}
		if (!ctm_fhir_is_resource(r)) {
			ctm_error_set(&e, CTM_EINVALID, path, lineno, 1,
				      "not a FHIR resource (no "
				      "resourceType)");
			rc = bulk_error_add(b, &e);
		} else if (!strcmp(str(r, "resourceType"), "Patient") &&
			   (!str(r, "id") || !*str(r, "id"))) {
			ctm_error_set(&e, CTM_EINVALID, path, lineno, 1,
				      "a Patient resource without an id");
			rc = bulk_error_add(b, &e);
		} else {
			rc = bulk_add(b, r, path, lineno);
		}
		json_decref(r);
	}
	if (ferror(f) && rc == 0)
		rc = ctm_error_set(err, CTM_EIO, path, 0, 0, "cannot read: %s",
				   strerror(errno));
	else if (rc)
		rc = ctm_error_set(err, rc, path, lineno, 0, "out of memory");
	free(line);
	fclose(f);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ctm_fhir_bulk_open(ctm_fhir_bulk **out, const char *dir, ctm_error *err)
{
	ctm_fhir_bulk *b = calloc(1, sizeof(*b));
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0, i;
	DIR *d = NULL;
	struct dirent *e;
	int rc = 0;

	*out = NULL;
	if (!b)
		return ctm_error_set(err, CTM_ENOMEM, dir, 0, 0,
				     "out of memory");
	b->groups = json_object();
	b->order = json_array();
	b->where = json_object();
	if (!b->groups || !b->order || !b->where) {
		rc = ctm_error_set(err, CTM_ENOMEM, dir, 0, 0, "out of memory");
		goto done;
	}
	if (!(d = opendir(dir))) {
		rc = ctm_error_set(err, CTM_EIO, dir, 0, 0,
				   "cannot open directory: %s",
				   strerror(errno));
		goto done;
	}
	while ((e = readdir(d))) {
		char **nn;
		if (!is_ndjson(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nn = realloc(names, cap * sizeof(*nn));
			if (!nn) {
				rc = ctm_error_set(err, CTM_ENOMEM, dir, 0, 0,
						   "out of memory");
				goto done;
			}
			names = nn;
		}
		if (!(names[n] = strdup(e->d_name))) {
			rc = ctm_error_set(err, CTM_ENOMEM, dir, 0, 0,
					   "out of memory");
			goto done;
		}
		n++;
	}
	/* Patient files first: patients come in the order they list them */
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n && rc == 0; i++)
		if (!strncmp(names[i], "Patient", 7)) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			rc = bulk_read_file(b, path, err);
		}
	for (i = 0; i < n && rc == 0; i++)
		if (strncmp(names[i], "Patient", 7)) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
			rc = bulk_read_file(b, path, err);
		}
done:
	if (d)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc) {
		ctm_fhir_bulk_close(b);
		return rc;
	}
	*out = b;
	return 0;
}

int ctm_fhir_bulk_next(ctm_fhir_bulk *b, bool show, json_t **bundle,
		       ctm_error *err)
{
	json_t *entries, *r, *where;
	const char *pid;
	size_t i;

	*bundle = NULL;
	if (b->next_error < b->n_errors) {
		*err = b->errors[b->next_error++];
		ctm_msg_values(err->message, show);
		snprintf(b->name, sizeof(b->name), "%s", err->file);
		b->line = err->line;
		return err->code;
	}
	if (b->next >= json_array_size(b->order))
		return 0;
	pid = json_string_value(json_array_get(b->order, b->next++));
	where = json_object_get(b->where, pid);
	snprintf(b->name, sizeof(b->name), "%s",
		 where ? json_string_value(json_array_get(where, 0))
		       : "bulk export");
	b->line = where ? (int)json_integer_value(json_array_get(where, 1)) : 0;
	entries = json_array();
	json_array_foreach(json_object_get(b->groups, pid), i, r)
	{
		json_array_append_new(entries,
				      json_pack("{sO}", "resource", r));
	}
	*bundle = json_pack("{sssssO}", "resourceType", "Bundle", "type",
			    "collection", "entry", entries);
	json_decref(entries);
	if (!*bundle)
		return ctm_error_set(err, CTM_ENOMEM, b->name, 0, 0,
				     "out of memory");
	return 1;
}

void ctm_fhir_bulk_where(const ctm_fhir_bulk *b, const char **source, int *line)
{
	*source = b->name;
	*line = b->line;
}

void ctm_fhir_bulk_close(ctm_fhir_bulk *b)
{
	if (!b)
		return;
	json_decref(b->groups);
	json_decref(b->order);
	json_decref(b->where);
	free(b->errors);
	free(b);
}
