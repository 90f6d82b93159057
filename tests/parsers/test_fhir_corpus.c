/*
 * test_fhir_corpus.c - the five real mCODE Bundles of MITRE's
 * trial-matching service (../shared/corpus/fhir/mcode-ctms/, see its
 * PROVENANCE.md) read into profiles: for each, the exact diagnosis, stage,
 * sites, biomarkers, ECOG and Karnofsky, therapies and warnings; the broken
 * ones give the errors and warnings a coordinator needs. Expected values
 * are written from the Bundles' resources (codes, values, dates), not from
 * the reader's output.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/parsers.h>

#include "fhir_summary.h"
#include "testutil.h"

#define TODAY 20240615

static ctm_lexicon *lx;

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
}

static void teardown(void)
{
	ctm_lexicon_free(lx);
}

TestSuite(fhir_corpus, .init = setup, .fini = teardown);

#define DIR "corpus/fhir/mcode-ctms/"
#define OBS "Observation/"
#define SEC "Condition/4dee068c-5ffe-4977-8677-4ff9b518e763x: "
/* patient_data.json and its copy without the histology extension */
#define PD_SUMMARY                                                             \
	"id=1e208b6b-77f1-4808-a32b-9f9caf1ec334; age=57; sex=female; "        \
	"dx=breast cancer; stage=IIIA; met=1; sites=other; brain=?; ecog=3; "  \
	"kps=90; bm=ERBB2 amplified,STK11 mutated; "                           \
	"tx=paclitaxel@20170908,surgery@20180126,radiation@20180127; labs="
#define PD_WARNINGS                                                            \
	OBS "576e8b5e-4f9e-418c-842b-f86d6e7ce795: tumour marker loinc "       \
	    "16112-5 'Estrogen Receptor' is not a known marker; ignored "      \
	    "| " SEC "metastatic site of snomed 128462008 'Malignant "         \
		     "neoplasm of breast "                                     \
	    "(disorder)', bodySite snomed 8935007 not understood: counted as " \
	    "'other' | " SEC "metastatic site of snomed 128462008 'Malignant " \
			     "neoplasm of breast "                             \
	    "(disorder)', bodySite snomed 8935007 not understood: counted as " \
	    "'other'"

static const struct {
	const char *file;
	int rc;		    /* 0, or the error */
	const char *expect; /* summary, or the error message */
	const char *warnings;
} rows[] = {
	{"patient_data.json", 0, PD_SUMMARY, PD_WARNINGS},
	{"patient_data_missing_histology_morph.json", 0, PD_SUMMARY,
	 PD_WARNINGS},
	{"eom_patient_1.json", 0,
	 "id=Ancora-13; age=37; sex=female; dx=breast cancer; stage=IV; "
	 "met=1; sites=lung; brain=?; ecog=3; kps=-1; bm=ERBB2 not-amplified; "
	 "tx=abemaciclib@20220101,alpelisib@20220101; labs=",
	 OBS "cancerDiseaseStatusId-1: loinc 97509-4 'Cancer Disease "
	     "Progression' is not held by a profile; ignored | " OBS
	     "tnm-clinical-primary-tumor-category-cT3: snomed 399504009 'cT "
	     "category' is not held by a profile; ignored | " OBS
	     "tnm-clinical-regional-nodes-category-cN3: snomed 399534004 'cN "
	     "category' is not held by a profile; ignored | " OBS
	     "tumor-marker-test-er-jenny-m: tumour marker loinc 85337-4 "
	     "'Estrogen receptor Ag [Presence] in Breast cancer s' is not a "
	     "known marker; ignored | " OBS
	     "tumor-marker-test-pr-jenny-m: tumour marker loinc 85339-0 "
	     "'Progesterone receptor Ag [Presence] in Breast canc' is not a "
	     "known marker; ignored | " OBS
	     "observation-id-3: observation loinc 16112-5 'Estrogen receptor "
	     "[Interpretation] in Tissue' not understood; ignored | " OBS
	     "observation-id-4: observation loinc 40557-1 'Progesterone "
	     "receptor Ag [Presence] in Tissue by I' not understood; ignored"},
	/* broken: no birth date, ECOG and Karnofsky of -1 */
	{"patient_data_missing_birthdate_invalid_ecog_karnofsky.json", 0,
	 "id=1e208b6b-77f1-4808-a32b-9f9caf1ec334; age=?; sex=female; "
	 "dx=breast cancer; stage=IIIA; met=-1; sites=?; brain=?; ecog=-1; "
	 "kps=-1; bm=?; tx=?; labs=",
	 "Patient/1e208b6b-77f1-4808-a32b-9f9caf1ec334: no birthDate: age "
	 "unknown | " OBS "mCODEKarnofskyPerformanceStatusExample: Karnofsky "
	 "-1 is not a valid score (0-100 in tens); ignored | " OBS
	 "mCODEECOGPerformanceStatusExample: ECOG -1 is not a valid score "
	 "(0-5); ignored"},
	/* broken: an entry without a resource and no Patient at all */
	{"patient_data_empty-cgv.json", CTM_EINVALID,
	 "a FHIR Bundle without a Patient resource: whose data it holds is "
	 "unknown",
	 NULL},
};

static char *joined(const ctm_profile *p)
{
	static char buf[8192];
	size_t o = 0, i;

	buf[0] = '\0';
	for (i = 0; i < p->n_warnings && o < sizeof(buf); i++)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
				      i ? " | " : "", p->warnings[i]);
	return buf;
}

Test(fhir_corpus, the_five_bundles_read_as_a_coordinator_expects)
{
	TU_REQUIRE_SHARED(dir, DIR);
	size_t i;

	(void)dir;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char rel[256], sum[4096];
		const char *path;
		char *text;
		size_t len;
		ctm_profile *p = NULL;
		ctm_error e;
		int rc;

		snprintf(rel, sizeof(rel), DIR "%s", rows[i].file);
		path = tu_shared(rel);
		text = tu_read_file(path, &len);
		cr_assert_not_null(text, "%s", path);
		rc = ctm_profile_parse_flags(text, len, rows[i].file, lx, TODAY,
					     CTM_PROFILE_SHOW_VALUES, &p, &e);
		free(text);
		cr_expect_eq(rc, rows[i].rc, "%s: rc %d: %s", rows[i].file, rc,
			     rc ? e.message : "");
		if (rc) {
			cr_expect_str_eq(e.message, rows[i].expect, "%s",
					 rows[i].file);
			cr_expect_str_eq(e.file, rows[i].file);
			continue;
		}
		fhir_summary(lx, p, sum, sizeof(sum));
		cr_expect_str_eq(sum, rows[i].expect, "%s: got %s",
				 rows[i].file, sum);
		cr_expect_str_eq(joined(p), rows[i].warnings, "%s: got %s",
				 rows[i].file, joined(p));
		ctm_profile_free(p);
	}
}
