/*
 * test_diagnosis.c - a patient's free-text diagnosis read the way a
 * criterion is read (issue 13, point 7): word order, case and
 * abbreviations do not matter; a text that denies a disease or names none
 * is an error, never a patient of every disease. The profile reader with a
 * criteria context (as match, batch, report and profile run it).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <ctm/engine.h>
#include <ctm/parsers.h>

#define TODAY 20261126

static ctm_lexicon *lx;
static ctm_criteria_parser *cp;
static ctm_criteria_ctx *ctx;

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_criteria_parser_new(&cp, lx, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_criteria_ctx_new(&ctx, cp), 0);
}

static void teardown(void)
{
	ctm_criteria_ctx_free(ctx);
	ctm_criteria_parser_free(cp);
	ctm_lexicon_free(lx);
}

TestSuite(diagnosis, .init = setup, .fini = teardown);

static const struct {
	const char *text;
	const char *disease; /* the concept read, or NULL: an error */
	const char *message; /* the error (no values: the default) */
} rows[] = {
	{"adenocarcinoma of the sigmoid colon", "colon adenocarcinoma", NULL},
	{"Adenocarcinoma of the Sigmoid Colon", "colon adenocarcinoma", NULL},
	{"sigmoid colon adenocarcinoma", "colon adenocarcinoma", NULL},
	{"cecal adenocarcinoma", "colon adenocarcinoma", NULL},
	{"adenocarcinoma of the colon", "colon adenocarcinoma", NULL},
	{"adenocarcinoma, ascending colon", "colon adenocarcinoma", NULL},
	{"carcinoma, ascending colon", "colon cancer", NULL},
	{"adenocarcinoma, rectum", "rectal adenocarcinoma", NULL},
	{"adenocarcinoma", "cancer", NULL},
	{"CRC", "colorectal cancer", NULL},
	{"colon ca", "colon cancer", NULL},
	{"ca colon", "colon cancer", NULL},
	{"metastatic adenocarcinoma of the rectum", "rectal adenocarcinoma",
	 NULL},
	{"Stage IV adenocarcinoma of the colon with liver metastases",
	 "colon adenocarcinoma", NULL},
	{"metastatic colorectal cancer", "colorectal cancer", NULL},
	{"hepatocellular carcinoma", "hepatocellular carcinoma", NULL},
	/* a segment of the colon is the colon; ICD's wording */
	{"carcinoma of the ascending colon", "colon cancer", NULL},
	{"malignant neoplasm of colon", "colon cancer", NULL},
	{"Transverse colon cancer", "colon cancer", NULL},
	/* a denial is not a diagnosis */
	{"no cancer", NULL,
	 "diagnosis: denies a disease instead of naming the patient's"},
	{"no evidence of colon cancer", NULL,
	 "diagnosis: denies a disease instead of naming the patient's"},
	/* no disease at all */
	{"colitis", NULL, "diagnosis: names no known disease"},
	{"tubular adenoma of the colon", NULL,
	 "diagnosis: names no known disease"},
	{"Xyzzy syndrome", NULL, "diagnosis: names no known disease"},
};

Test(diagnosis, wordings_read_as_a_criterion_is)
{
	char text[8192], want[256];
	size_t i, len = 0, n_ok = 0;
	ctm_profile_reader *r;
	ctm_error e;

	/* one NDJSON roster, a patient a wording */
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"{\"id\": \"D%zu\", \"diagnosis\": "
					"\"%s\"}\n",
					i, rows[i].text);
	cr_assert_lt(len, sizeof(text));
	cr_assert_eq(ctm_profile_reader_open_memory(&r, text, len, "dx.ndjson",
						    lx, TODAY, &e),
		     0, "%s", e.message);
	ctm_profile_reader_set_criteria(r, ctx);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_profile *p = NULL;
		int rc = ctm_profile_reader_next(r, &p, &e);
		if (rows[i].disease) {
			cr_expect_eq(rc, 1, "%s: %s", rows[i].text, e.message);
			if (rc != 1)
				continue;
			cr_expect_str_eq(
				ctm_lexicon_name(lx, p->diagnosis_concept),
				rows[i].disease, "%s", rows[i].text);
			ctm_profile_free(p);
			n_ok++;
			continue;
		}
		cr_expect_eq(rc, CTM_EINVALID, "%s: accepted", rows[i].text);
		ctm_profile_free(p);
		snprintf(want, sizeof want, "patient D%zu: %s", i,
			 rows[i].message);
		cr_expect_str_eq(e.message, want, "%s", rows[i].text);
		cr_expect_eq(e.line, (int)i + 1, "%s", rows[i].text);
	}
	cr_expect_eq(ctm_profile_reader_next(r, &(ctm_profile *){NULL}, &e), 0);
	ctm_profile_reader_close(r);
	cr_expect_eq(n_ok, 19);
}

/* The entry point itself: the disease, a denial, or not one disease. */
Test(diagnosis, the_criteria_reader_s_answer)
{
	ctm_concept c;

	cr_expect_eq(ctm_criteria_diagnosis(ctx, "CRC", &c), 0);
	cr_expect_eq(c, ctm_lexicon_concept(lx, CTM_CT_DISEASE,
					    "colorectal cancer"));
	cr_expect_eq(ctm_criteria_diagnosis(ctx, "no cancer", &c),
		     CTM_EINVALID);
	cr_expect_eq(c, 0);
	/* alternatives are not one disease */
	cr_expect_eq(ctm_criteria_diagnosis(
			     ctx, "pancreatic cancer or gastric cancer", &c),
		     CTM_ENOTFOUND);
	cr_expect_eq(ctm_criteria_diagnosis(ctx, "colitis", &c), CTM_ENOTFOUND);
}
