/*
 * test_lexicon_data.c - the built-in lexicon data (the .tsv files of
 * engine/lexicon): every term we list resolves to its concept, regimens
 * expand to their drugs, drugs reach their classes, diseases and variants
 * their parents.
 */
#include <criterion/criterion.h>

#include <ctm/engine.h>

#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ctm_lexicon *lx;

static void setup(void)
{
	ctm_error err = {0};

	cr_assert_eq(ctm_lexicon_new(&lx, &err), 0, "%s", err.message);
}

static void teardown(void)
{
	ctm_lexicon_free(lx);
}

TestSuite(lexicon_data, .init = setup, .fini = teardown);

static ctm_concept find(const char *term)
{
	return ctm_lexicon_find(lx, term, strlen(term));
}

static ctm_concept con(ctm_concept_type ty, const char *name)
{
	ctm_concept c = ctm_lexicon_concept(lx, ty, name);

	cr_assert_neq(c, 0, "no concept '%s'", name);
	return c;
}

static const char *type_names[] = {"",		"disease", "gene",  "marker",
				   "variant",	"drug",	   "class", "regimen",
				   "procedure", "site",	   "lab",     "condition"};

static int type_of(const char *s, size_t n)
{
	int i;

	for (i = 1; i < CTM_CT_COUNT_; i++)
		if (strlen(type_names[i]) == n && !memcmp(type_names[i], s, n))
			return i;
	return -1;
}

/* Checks every line of one data file against the loaded lexicon. */
static size_t check_file(const char *path)
{
	char *data = tu_read_file(path, NULL), *line, *save = NULL;
	size_t terms = 0;

	cr_assert(data, "cannot read %s", path);
	for (line = strtok_r(data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *col[4] = {NULL, NULL, NULL, NULL}, *p = line, *q, *s2;
		int n = 0, ty;
		ctm_concept c;

		if (*line == '#' || *line == '\0')
			continue;
		while (n < 4) {
			col[n++] = p;
			q = strchr(p, '\t');
			if (!q)
				break;
			*q = '\0';
			p = q + 1;
		}
		cr_assert_geq(n, 2, "%s: short line", path);
		if (!strcmp(col[0],
			    "code")) { /* codes.tsv: the code resolves */
			cr_assert_eq(n, 4, "%s: short code line", path);
			cr_expect_neq(ctm_lexicon_code(lx, col[1], col[2]), 0,
				      "%s: code %s %s resolves", path, col[1],
				      col[2]);
			terms++;
			continue;
		}
		if (!strcmp(col[0], "unit")) {
			double f;
			ctm_concept lab =
				ctm_lexicon_concept(lx, CTM_CT_LAB, col[1]);
			cr_assert_eq(n, 4, "%s: short unit line", path);
			cr_expect_eq(ctm_lexicon_lab_unit(lx, lab, col[2], &f),
				     0, "%s: %s %s %s loaded", path, col[0],
				     col[1], col[2]);
			terms++;
			continue;
		}
		if (!strcmp(col[0], "measure")) { /* labs.tsv: the lab's row */
			ctm_concept lab =
				ctm_lexicon_concept(lx, CTM_CT_LAB, col[1]);
			const ctm_lab_info *l = ctm_lexicon_lab_info(lx, lab);
			cr_assert_eq(n, 4, "%s: short measure line", path);
			cr_expect_not_null(l, "%s: measure %s loaded", path,
					   col[1]);
			if (l && strcmp(col[2], "-"))
				cr_expect_eq(ctm_lexicon_lab_by_key(lx, col[2]),
					     l, "%s: %s's key %s", path, col[1],
					     col[2]);
			terms++;
			continue;
		}
		ty = type_of(col[0], strlen(col[0]));
		cr_assert_gt(ty, 0, "%s: type '%s'", path, col[0]);
		c = ctm_lexicon_concept(lx, (ctm_concept_type)ty, col[1]);
		cr_assert_neq(c, 0, "%s: '%s' not loaded", path, col[1]);
		cr_expect_eq(find(col[1]), c, "canonical '%s' resolves",
			     col[1]);
		terms++;
		/* every synonym names this concept */
		if (n >= 3 && *col[2]) {
			char *syn;
			for (syn = strtok_r(col[2], "|", &s2); syn;
			     syn = strtok_r(NULL, "|", &s2)) {
				cr_expect_eq(find(syn), c,
					     "'%s' should name '%s' (names "
					     "'%s')",
					     syn, col[1],
					     ctm_lexicon_name(lx, find(syn)));
				terms++;
			}
		}
		/* every parent is reached */
		if (n >= 4 && *col[3]) {
			char *par;
			for (par = strtok_r(col[3], "|", &s2); par;
			     par = strtok_r(NULL, "|", &s2)) {
				size_t k, found = 0;
				for (k = 1; k < ctm_lexicon_count(lx); k++)
					if (!strcmp(ctm_lexicon_name(
							    lx, (ctm_concept)k),
						    par) &&
					    ctm_lexicon_is_a(lx, c,
							     (ctm_concept)k))
						found = 1;
				cr_expect(found, "'%s' is-a '%s'", col[1], par);
			}
		}
	}
	free(data);
	return terms;
}

Test(lexicon_data, every_listed_term_resolves)
{
	const char *src = getenv("CTM_SOURCE");
	char dir[4096];
	DIR *d;
	struct dirent *e;
	size_t files = 0, terms = 0;

	cr_assert(src, "CTM_SOURCE is not set");
	snprintf(dir, sizeof(dir), "%s/engine/lexicon", src);
	d = opendir(dir);
	cr_assert(d, "cannot open %s", dir);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[8192];
		if (n < 5 || strcmp(e->d_name + n - 4, ".tsv"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		terms += check_file(path);
		files++;
	}
	closedir(d);
	cr_expect_geq(files, 5);
	/* the data file terms are the lexicon's terms (fold duplicates
	 * aside) */
	cr_expect_geq(terms, ctm_lexicon_term_count(lx));
	cr_expect_gt(terms, 1500);
}

Test(lexicon_data, regimens_expand_to_their_drugs)
{
	static const struct {
		const char *regimen;
		const char *drugs[5];
	} want[] = {
		{"FOLFOX", {"oxaliplatin", "fluorouracil", "leucovorin"}},
		{"CAPOX", {"oxaliplatin", "capecitabine"}},
		{"FOLFIRI", {"irinotecan", "fluorouracil", "leucovorin"}},
		{"FOLFOXIRI",
		 {"oxaliplatin", "irinotecan", "fluorouracil", "leucovorin"}},
		{"IROX", {"irinotecan", "oxaliplatin"}},
		{"5-FU/LV", {"fluorouracil", "leucovorin"}},
	};
	size_t i, k, n, expect;
	const ctm_concept *m;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ctm_concept r = con(CTM_CT_REGIMEN, want[i].regimen);
		n = ctm_lexicon_members(lx, r, &m);
		for (expect = 0; expect < 5 && want[i].drugs[expect]; expect++)
			;
		cr_expect_eq(n, expect, "%s has %zu drugs", want[i].regimen, n);
		for (k = 0; k < n && k < expect; k++)
			cr_expect_str_eq(ctm_lexicon_name(lx, m[k]),
					 want[i].drugs[k]);
	}
	/* spellings of the same regimen */
	cr_expect_eq(find("mFOLFOX6"), con(CTM_CT_REGIMEN, "FOLFOX"));
	cr_expect_eq(find("FOLFOX-4"), con(CTM_CT_REGIMEN, "FOLFOX"));
	cr_expect_eq(find("XELOX"), con(CTM_CT_REGIMEN, "CAPOX"));
	cr_expect_eq(find("FOLFIRINOX"), con(CTM_CT_REGIMEN, "FOLFOXIRI"));
	/* a drug has no members */
	cr_expect_eq(ctm_lexicon_members(lx, con(CTM_CT_DRUG, "cetuximab"), &m),
		     0);
}

Test(lexicon_data, drugs_and_regimens_reach_their_classes)
{
	static const struct {
		ctm_concept_type ty;
		const char *what, *cls;
		bool is;
	} rel[] = {
		{CTM_CT_DRUG, "cetuximab", "anti-EGFR", true},
		{CTM_CT_DRUG, "panitumumab", "anti-EGFR", true},
		{CTM_CT_DRUG, "panitumumab", "EGFR inhibitor", true},
		{CTM_CT_DRUG, "bevacizumab", "anti-VEGF", true},
		{CTM_CT_DRUG, "bevacizumab", "anti-angiogenic therapy", true},
		{CTM_CT_DRUG, "bevacizumab", "anti-EGFR", false},
		{CTM_CT_DRUG, "aflibercept", "anti-VEGF", true},
		{CTM_CT_DRUG, "ramucirumab", "anti-VEGF", true},
		{CTM_CT_DRUG, "regorafenib", "kinase inhibitor", true},
		{CTM_CT_DRUG, "regorafenib", "anti-angiogenic therapy", true},
		{CTM_CT_DRUG, "regorafenib", "anti-VEGF", false},
		{CTM_CT_DRUG, "fruquintinib", "VEGFR inhibitor", true},
		{CTM_CT_DRUG, "pembrolizumab", "anti-PD-1", true},
		{CTM_CT_DRUG, "pembrolizumab", "checkpoint inhibitor", true},
		{CTM_CT_DRUG, "pembrolizumab", "immunotherapy", true},
		{CTM_CT_DRUG, "nivolumab", "anti-PD-(L)1", true},
		{CTM_CT_DRUG, "atezolizumab", "anti-PD-L1", true},
		{CTM_CT_DRUG, "atezolizumab", "anti-PD-1", false},
		{CTM_CT_DRUG, "ipilimumab", "anti-CTLA-4", true},
		{CTM_CT_DRUG, "ipilimumab", "checkpoint inhibitor", true},
		{CTM_CT_DRUG, "ipilimumab", "anti-PD-(L)1", false},
		{CTM_CT_DRUG, "sotorasib", "KRAS G12C inhibitor", true},
		{CTM_CT_DRUG, "adagrasib", "KRAS inhibitor", true},
		{CTM_CT_DRUG, "encorafenib", "BRAF inhibitor", true},
		{CTM_CT_DRUG, "binimetinib", "MEK inhibitor", true},
		{CTM_CT_DRUG, "tucatinib", "HER2-directed therapy", true},
		{CTM_CT_DRUG, "trastuzumab deruxtecan", "HER2-directed therapy",
		 true},
		{CTM_CT_DRUG, "trastuzumab deruxtecan",
		 "antibody-drug conjugate", true},
		{CTM_CT_DRUG, "larotrectinib", "NTRK inhibitor", true},
		{CTM_CT_DRUG, "fluorouracil", "fluoropyrimidine", true},
		{CTM_CT_DRUG, "capecitabine", "fluoropyrimidine", true},
		{CTM_CT_DRUG, "capecitabine", "chemotherapy", true},
		{CTM_CT_DRUG, "capecitabine", "systemic therapy", true},
		/* TAS-102 is chemotherapy but not listed as a fluoropyrimidine:
		 * trials name it apart ("fluoropyrimidine ... and TAS-102") */
		{CTM_CT_DRUG, "trifluridine-tipiracil", "chemotherapy", true},
		{CTM_CT_DRUG, "trifluridine-tipiracil", "fluoropyrimidine",
		 false},
		{CTM_CT_DRUG, "oxaliplatin", "platinum", true},
		{CTM_CT_DRUG, "irinotecan", "topoisomerase I inhibitor", true},
		{CTM_CT_DRUG, "leucovorin", "chemotherapy", false},
		{CTM_CT_REGIMEN, "FOLFOX", "platinum", true},
		{CTM_CT_REGIMEN, "FOLFOX", "fluoropyrimidine", true},
		{CTM_CT_REGIMEN, "CAPOX", "fluoropyrimidine", true},
		{CTM_CT_REGIMEN, "FOLFIRI", "platinum", false},
		{CTM_CT_REGIMEN, "FOLFIRI", "topoisomerase I inhibitor", true},
		{CTM_CT_REGIMEN, "FOLFOXIRI", "chemotherapy", true},
		{CTM_CT_CLASS, "anti-EGFR", "targeted therapy", true},
		{CTM_CT_CLASS, "checkpoint inhibitor", "systemic therapy",
		 true},
		{CTM_CT_CLASS, "chemotherapy", "targeted therapy", false},
	};
	size_t i;

	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		ctm_concept a = con(rel[i].ty, rel[i].what);
		ctm_concept b = con(CTM_CT_CLASS, rel[i].cls);
		cr_expect_eq(ctm_lexicon_is_a(lx, a, b), rel[i].is,
			     "%s is-a %s should be %d", rel[i].what, rel[i].cls,
			     rel[i].is);
	}
}

Test(lexicon_data, brand_and_code_names)
{
	static const struct {
		const char *term, *drug;
	} names[] = {
		{"Erbitux", "cetuximab"},
		{"C225", "cetuximab"},
		{"Vectibix", "panitumumab"},
		{"Avastin", "bevacizumab"},
		{"bevacizumab-awwb", "bevacizumab"},
		{"Zaltrap", "aflibercept"},
		{"ziv-aflibercept", "aflibercept"},
		{"Cyramza", "ramucirumab"},
		{"Stivarga", "regorafenib"},
		{"TAS-102", "trifluridine-tipiracil"},
		{"Lonsurf", "trifluridine-tipiracil"},
		{"Fruzaqla", "fruquintinib"},
		{"Braftovi", "encorafenib"},
		{"Mektovi", "binimetinib"},
		{"Lumakras", "sotorasib"},
		{"AMG 510", "sotorasib"},
		{"AMG-510", "sotorasib"},
		{"Krazati", "adagrasib"},
		{"MRTX849", "adagrasib"},
		{"Keytruda", "pembrolizumab"},
		{"MK-3475", "pembrolizumab"},
		{"Opdivo", "nivolumab"},
		{"Yervoy", "ipilimumab"},
		{"Jemperli", "dostarlimab"},
		{"Tukysa", "tucatinib"},
		{"Herceptin", "trastuzumab"},
		{"Enhertu", "trastuzumab deruxtecan"},
		{"T-DXd", "trastuzumab deruxtecan"},
		{"DS-8201", "trastuzumab deruxtecan"},
		{"Vitrakvi", "larotrectinib"},
		{"Rozlytrek", "entrectinib"},
		{"5-FU", "fluorouracil"},
		{"5 FU", "fluorouracil"},
		{"5FU", "fluorouracil"},
		{"5-fluorouracil", "fluorouracil"},
		{"Xeloda", "capecitabine"},
		{"folinic acid", "leucovorin"},
		{"Eloxatin", "oxaliplatin"},
		{"Camptosar", "irinotecan"},
		{"CPT-11", "irinotecan"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cr_expect_eq(find(names[i].term),
			     con(CTM_CT_DRUG, names[i].drug), "%s -> %s",
			     names[i].term, names[i].drug);
}

Test(lexicon_data, diseases_variants_genes_sites_labs)
{
	ctm_concept crc = con(CTM_CT_DISEASE, "colorectal cancer");
	ctm_concept solid = con(CTM_CT_DISEASE, "solid tumour");
	ctm_concept kras = con(CTM_CT_GENE, "KRAS");
	ctm_concept ras = con(CTM_CT_GENE, "RAS");

	/* diseases */
	cr_expect(ctm_lexicon_is_a(lx, find("colon adenocarcinoma"), crc));
	cr_expect(ctm_lexicon_is_a(lx, find("rectal cancer"), crc));
	cr_expect(ctm_lexicon_is_a(lx, find("colorectal adenocarcinoma"), crc));
	cr_expect(ctm_lexicon_is_a(lx, find("rectal adenocarcinoma"),
				   find("colorectal adenocarcinoma")));
	cr_expect(ctm_lexicon_is_a(lx, crc, solid));
	cr_expect(ctm_lexicon_is_a(lx, find("NSCLC"), solid));
	cr_expect(!ctm_lexicon_is_a(lx, find("colon cancer"),
				    find("rectal cancer")));
	cr_expect(!ctm_lexicon_is_a(lx, find("leukemia"), solid));
	cr_expect_eq(find("CRC"), crc);
	cr_expect_eq(find("mCRC"), crc);
	cr_expect_eq(find("adenocarcinoma of the colon or rectum"), crc);
	cr_expect_eq(find("solid tumors"), solid);
	cr_expect_eq(find("solid malignancies"), solid);
	/* the word "all" is not acute lymphoblastic leukemia */
	cr_expect_eq(find("all"), 0);

	/* genes and variants */
	cr_expect_eq(find("HER2"), con(CTM_CT_GENE, "ERBB2"));
	cr_expect_eq(find("HER-2/neu"), con(CTM_CT_GENE, "ERBB2"));
	cr_expect(ctm_lexicon_is_a(lx, kras, ras));
	cr_expect(ctm_lexicon_is_a(lx, find("NRAS"), ras));
	cr_expect(!ctm_lexicon_is_a(lx, find("HRAS"), ras));
	cr_expect(ctm_lexicon_is_a(lx, find("KRAS G12C"), kras));
	cr_expect(ctm_lexicon_is_a(lx, find("KRAS p.G12C"),
				   find("KRAS codon 12")));
	cr_expect(ctm_lexicon_is_a(lx, find("KRAS G13D"), find("KRAS exon 2")));
	cr_expect(!ctm_lexicon_is_a(lx, find("KRAS G13D"), find("KRAS G12")));
	cr_expect(ctm_lexicon_is_a(lx, find("KRAS Q61H"), find("KRAS exon 3")));
	cr_expect(ctm_lexicon_is_a(lx, find("BRAF V600E"), find("BRAF V600")));
	cr_expect(ctm_lexicon_is_a(lx, find("NTRK1"), find("NTRK")));
	cr_expect_eq(ctm_lexicon_type(lx, find("MSI")), CTM_CT_MARKER);
	cr_expect_eq(find("microsatellite instability"), find("MSI"));
	cr_expect_eq(find("tumor mutational burden"), find("TMB"));

	/* classes of targeted drugs named in criteria */
	cr_expect_eq(find("G12C inhibitor"),
		     con(CTM_CT_CLASS, "KRAS G12C inhibitor"));
	cr_expect_eq(find("immune checkpoint inhibitors"),
		     con(CTM_CT_CLASS, "checkpoint inhibitor"));

	/* procedures */
	cr_expect_eq(find("HAI pump"),
		     con(CTM_CT_PROCEDURE, "hepatic arterial infusion"));
	cr_expect_eq(find("Y-90"), con(CTM_CT_PROCEDURE, "radioembolization"));
	cr_expect_eq(find("SIRT"), con(CTM_CT_PROCEDURE, "radioembolization"));
	cr_expect_eq(find("TACE"), con(CTM_CT_PROCEDURE, "chemoembolization"));
	cr_expect(ctm_lexicon_is_a(lx, find("radioembolization"),
				   find("embolization")));
	cr_expect(ctm_lexicon_is_a(lx, find("RFA"), find("ablation")));
	cr_expect(ctm_lexicon_is_a(lx, find("hepatectomy"),
				   con(CTM_CT_PROCEDURE, "surgery")));
	cr_expect(ctm_lexicon_is_a(lx, find("SBRT"),
				   con(CTM_CT_PROCEDURE, "radiation")));
	cr_expect_eq(find("radiotherapy"), con(CTM_CT_PROCEDURE, "radiation"));

	/* sites: the profile's tokens and their synonyms */
	cr_expect_eq(find("hepatic"), con(CTM_CT_SITE, "liver"));
	cr_expect_eq(find("pulmonary"), con(CTM_CT_SITE, "lung"));
	cr_expect_eq(find("peritoneal"), con(CTM_CT_SITE, "peritoneum"));
	cr_expect_eq(find("lymph_node"), con(CTM_CT_SITE, "lymph node"));
	cr_expect_eq(find("CNS"), con(CTM_CT_SITE, "brain"));
	cr_expect_eq(find("ovarian"), con(CTM_CT_SITE, "ovary"));
	cr_expect_eq(find("adrenal gland"), con(CTM_CT_SITE, "adrenal"));
	/* every site the profile spec names is a site concept, "other"
	 * included (a profile's unknown site counts as it) */
	{
		static const char *const spec_sites[] = {
			"liver", "lung", "peritoneum", "ovary", "brain",
			"bone", "lymph_node", "adrenal", "other"};
		size_t i;
		for (i = 0; i < sizeof(spec_sites) / sizeof(spec_sites[0]);
		     i++)
			cr_expect_eq(ctm_lexicon_type(lx, find(spec_sites[i])),
				     CTM_CT_SITE, "site %s", spec_sites[i]);
		cr_expect_eq(find("other"), con(CTM_CT_SITE, "other"));
		cr_expect_eq(find("other sites"), con(CTM_CT_SITE, "other"));
		cr_expect(!ctm_lexicon_is_a(lx, find("other"), find("liver")));
	}

	/* labs, including the profile-less units */
	cr_expect_eq(find("absolute neutrophil count"), con(CTM_CT_LAB, "anc"));
	cr_expect_eq(find("SGOT"), con(CTM_CT_LAB, "ast"));
	cr_expect_eq(find("SGPT"), con(CTM_CT_LAB, "alt"));
	cr_expect(ctm_lexicon_is_a(lx, find("AST"), find("transaminases")));
	cr_expect(ctm_lexicon_is_a(lx, find("ALT"), find("AST/ALT")));
	cr_expect_eq(find("CrCl"), con(CTM_CT_LAB, "creatinine_clearance"));
	con(CTM_CT_LAB, "creatinine_mg_dl");
	con(CTM_CT_LAB, "bilirubin_mg_dl");
	con(CTM_CT_LAB, "platelets");
	con(CTM_CT_LAB, "hemoglobin");
	/* an unread part of a criterion: a lab no profile holds */

	/* added for the fixture and development trials */
	cr_expect(ctm_lexicon_is_a(lx, find("relatlimab"),
				   con(CTM_CT_CLASS, "anti-LAG-3")));
	cr_expect(ctm_lexicon_is_a(lx, find("anti-LAG-3"),
				   con(CTM_CT_CLASS, "checkpoint inhibitor")));
	cr_expect(ctm_lexicon_is_a(lx, find("anti-PD-L2"),
				   con(CTM_CT_CLASS, "checkpoint inhibitor")));
	cr_expect(ctm_lexicon_is_a(lx, find("FUDR"),
				   con(CTM_CT_CLASS, "fluoropyrimidine")));
	cr_expect_eq(find("fluorinated pyrimidine"),
		     con(CTM_CT_CLASS, "fluoropyrimidine"));
	cr_expect(ctm_lexicon_is_a(lx, find("ulcerative colitis"),
				   find("inflammatory bowel disease")));
	cr_expect(!ctm_lexicon_is_a(lx, find("ulcerative colitis"), crc));
	cr_expect_eq(find("Crohns disease"), find("Crohn's disease"));
}

/* Scanning a criterion finds the longest terms. */
Test(lexicon_data, scan_prefers_longest_terms)
{
	static const char s[] = "Prior KRAS G12C inhibitor or FOLFOX with "
				"hepatic arterial infusion";
	ctm_term_hit h[8];
	size_t n = ctm_lexicon_scan(lx, s, strlen(s), 0, h, 8);

	cr_assert_eq(n, 3);
	cr_expect_eq(h[0].concept, con(CTM_CT_CLASS, "KRAS G12C inhibitor"));
	cr_expect_eq(h[1].concept, con(CTM_CT_REGIMEN, "FOLFOX"));
	cr_expect_eq(h[2].concept,
		     con(CTM_CT_PROCEDURE, "hepatic arterial infusion"));
}
