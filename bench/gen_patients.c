/*
 * gen_patients - writes synthetic patient profiles for the batch benchmark.
 *
 *   gen_patients N OUTFILE [--seed S] [--format ndjson|json|csv]
 *
 * N profiles with ids G000001 upward in the format of
 * shared/spec/patient-profile.md, as NDJSON (default), one JSON array, or
 * a CSV roster ("-" writes to standard output). A profile depends only on
 * the seed and its number.
 *
 * The mix is a colorectal clinic's: mostly stage IV with liver, lung,
 * peritoneal and node metastases; KRAS/NRAS/BRAF/MSI/HER2 at realistic
 * rates; 0-4 prior lines of standard regimens; ECOG 0-3; labs; sites in
 * several countries. Keys are left out at random, since an absent key is
 * "unknown" and the matcher must cope with that. CSV has no labs or
 * location columns: the spec does not say how objects are spelled there.
 * Nothing here describes a real person.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a)	  (sizeof(a) / sizeof((a)[0]))
#define MAX_SITES 8
#define MAX_BM	  8
#define MAX_TH	  16

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64, seeded per profile                      */
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

/* Uniform in [lo, hi). */
static double unif(uint64_t *s, double lo, double hi)
{
	return lo +
	       (hi - lo) * (double)(rng_next(s) >> 11) / 9007199254740992.0;
}

#define PICK(s, a) ((a)[rnd((s), (uint32_t)N_OF(a))])

/* ------------------------------------------------------------------ */
/* A profile                                                           */
/* ------------------------------------------------------------------ */

typedef struct biomarker {
	const char *name, *status, *variant;
	double value; /* < 0: absent */
} biomarker;

typedef struct therapy {
	const char *name, *setting;
	int line;	/* 0: absent */
	int progressed; /* -1: absent */
	char end_date[32];
} therapy;

typedef struct profile {
	char id[32];
	int age;	     /* -1: absent */
	char birth_date[40]; /* "" : absent */
	const char *sex, *diagnosis, *stage, *brain;
	int metastatic, resectable, measurable, ecog, karnofsky, pregnant;
	int has_sites, nsites;
	const char *sites[MAX_SITES];
	int has_bm, nbm;
	biomarker bm[MAX_BM];
	int has_th, nth;
	therapy th[MAX_TH];
	int has_labs;
	double anc, platelets, hemoglobin, bilirubin, ast, alt,
		crcl; /* < 0: absent */
	const char *country, *state, *city, *zip;
} profile;

static const char *const diagnoses[] = {
	"colon adenocarcinoma",
	"colon adenocarcinoma",
	"rectal adenocarcinoma",
	"colorectal adenocarcinoma",
	"sigmoid colon adenocarcinoma",
	"adenocarcinoma of the colon",
	"rectal cancer",
	"colon cancer",
	"colorectal cancer",
	"adenocarcinoma of the rectum",
};

typedef struct place {
	const char *country, *state, *city, *zip;
	int weight;
} place;

static const place places[] = {
	{"United States", "New York", "New York", "10016", 8},
	{"United States", "Texas", "Houston", "77030", 6},
	{"United States", "California", "Los Angeles", "90033", 6},
	{"United States", "California", "San Francisco", "94143", 4},
	{"United States", "Massachusetts", "Boston", "02115", 4},
	{"United States", "Maryland", "Baltimore", "21287", 3},
	{"United States", "Florida", "Tampa", "33612", 5},
	{"United States", "Ohio", "Columbus", "43210", 3},
	{"United States", "Illinois", "Chicago", "60611", 4},
	{"United States", "Washington", "Seattle", "98109", 3},
	{"United States", "Minnesota", "Rochester", "55905", 2},
	{"United States", "Pennsylvania", "Philadelphia", "19104", 3},
	{"United States", "North Carolina", "Durham", "27710", 2},
	{"United States", "Georgia", "Atlanta", "30322", 2},
	{"Canada", "Ontario", "Toronto", "M5G 2M9", 4},
	{"Canada", "Quebec", "Montreal", "H2X 0A9", 2},
	{"United Kingdom", NULL, "London", "SW3 6JJ", 6},
	{"France", NULL, "Paris", "75012", 4},
	{"France", NULL, "Lyon", "69008", 2},
	{"Germany", "Hessen", "Frankfurt", "60590", 3},
	{"Germany", NULL, "Heidelberg", "69120", 2},
	{"Italy", NULL, "Milano", "20133", 4},
	{"Spain", NULL, "Valencia", "46026", 4},
	{"Netherlands", NULL, "Rotterdam", "3015 GD", 2},
	{"Japan", "Chiba", "Kashiwa", "277-8577", 4},
	{"Korea, Republic of", NULL, "Seoul", "03080", 2},
	{"Australia", "New South Wales", "Sydney", "2050", 3},
	{"China", "Shanghai", "Shanghai", "200032", 2},
};

static void add_bm(profile *p, const char *name, const char *status,
		   const char *variant, double value)
{
	if (p->nbm < MAX_BM)
		p->bm[p->nbm++] = (biomarker){name, status, variant, value};
}

static therapy *add_th(profile *p, const char *name, int line,
		       const char *setting)
{
	therapy *t;

	if (p->nth >= MAX_TH)
		return NULL;
	t = &p->th[p->nth++];
	memset(t, 0, sizeof *t);
	t->name = name;
	t->line = line;
	t->setting = setting;
	t->progressed = -1;
	return t;
}

static int used(const profile *p, const char *name)
{
	int i;

	for (i = 0; i < p->nth; i++)
		if (!strcmp(p->th[i].name, name))
			return 1;
	return 0;
}

static const char *kras_variant(uint64_t *s)
{
	uint32_t r = rnd(s, 100);

	if (r < 30)
		return "G12D";
	if (r < 52)
		return "G12V";
	if (r < 67)
		return "G13D";
	if (r < 75)
		return "G12C";
	if (r < 81)
		return "G12A";
	if (r < 86)
		return "G12S";
	if (r < 92)
		return "G12R";
	if (r < 96)
		return "Q61H";
	return "A146T";
}

static void gen_profile(profile *p, uint32_t num, uint64_t seed)
{
	uint64_t st = seed ^ ((uint64_t)num * 0xA24BAED4963EE407ull), *s = &st;
	int iv, female, braf = 0, msih = 0, kras_mut = 0, nras_mut = 0;
	int ras_known = 1, her2 = 0, lines, l, i, ecog;
	uint32_t r;
	static const char *const st4[] = {"IV",	 "IV",	"IV",
					  "IVA", "IVB", "IVC"};
	static const char *const st3[] = {"III", "IIIA", "IIIB", "IIIB",
					  "IIIC"};
	static const char *const st2[] = {"II", "IIA", "IIB"};

	memset(p, 0, sizeof *p);
	rng_next(s);
	snprintf(p->id, sizeof p->id, "G%06u", num);
	female = chance(s, 46);
	p->sex = female ? "female" : "male";
	p->age = 30 + (int)rnd(s, 30) + (int)rnd(s, 30);
	if (chance(s, 5)) {
		snprintf(p->birth_date, sizeof p->birth_date, "%04d-%02d-%02d",
			 2023 - p->age, 1 + (int)rnd(s, 12),
			 1 + (int)rnd(s, 28));
		p->age = -1;
	}
	p->diagnosis = PICK(s, diagnoses);
	r = rnd(s, 100);
	iv = r < 82;
	p->stage = iv ? PICK(s, st4) : r < 94 ? PICK(s, st3) : PICK(s, st2);
	if (chance(s, 5))
		p->stage = NULL;
	p->metastatic = chance(s, 8) ? -1 : iv;

	/* Sites. */
	p->has_sites = !chance(s, 5);
	if (iv) {
		if (chance(s, 70))
			p->sites[p->nsites++] =
				chance(s, 90) ? "liver" : "hepatic";
		if (chance(s, 35))
			p->sites[p->nsites++] = "lung";
		if (chance(s, 22))
			p->sites[p->nsites++] =
				chance(s, 85) ? "peritoneum"
					      : "peritoneal carcinomatosis";
		if (chance(s, 25))
			p->sites[p->nsites++] = "lymph_node";
		if (chance(s, 7))
			p->sites[p->nsites++] = "bone";
		if (female && chance(s, 5))
			p->sites[p->nsites++] = "ovary";
		if (chance(s, 2))
			p->sites[p->nsites++] = "adrenal";
		if (chance(s, 4))
			p->sites[p->nsites++] = "brain";
		if (!p->nsites)
			p->sites[p->nsites++] = "liver";
	}
	p->brain = "none";
	for (i = 0; i < p->nsites; i++)
		if (!strcmp(p->sites[i], "brain"))
			p->brain = chance(s, 50) ? "active" : "treated_stable";
	if (chance(s, 10))
		p->brain = NULL;
	p->resectable = -1;
	if (iv && chance(s, 50))
		p->resectable = p->nsites == 1 && p->sites[0][0] == 'l' &&
						p->sites[0][1] == 'i'
					? chance(s, 40)
					: chance(s, 5);
	p->measurable = chance(s, 10) ? -1 : iv ? chance(s, 90) : 0;

	/* Performance status. */
	r = rnd(s, 100);
	ecog = r < 35 ? 0 : r < 80 ? 1 : r < 95 ? 2 : 3;
	p->ecog = p->karnofsky = -1;
	if (chance(s, 6))
		p->karnofsky = ecog == 0   ? 90 + 10 * (int)rnd(s, 2)
			       : ecog == 1 ? 80 - 10 * (int)rnd(s, 2)
			       : ecog == 2 ? 60
					   : 40;
	else if (!chance(s, 5))
		p->ecog = ecog;

	/* Biomarkers: MSI first, then BRAF, then RAS, then HER2 in RAS/BRAF wt.
	 */
	p->has_bm = !chance(s, 8);
	msih = chance(s, iv ? 5 : 15);
	braf = chance(s, msih ? 35 : 8);
	if (!braf)
		kras_mut = chance(s, 45);
	if (!braf && !kras_mut)
		nras_mut = chance(s, 6);
	if (!chance(s, 8)) {
		if (chance(s, 30))
			add_bm(p, "MMR",
			       msih ? (chance(s, 80) ? "deficient" : "dMMR")
				    : (chance(s, 80) ? "proficient" : "pMMR"),
			       NULL, -1);
		else
			add_bm(p, "MSI",
			       msih ? (chance(s, 80) ? "high" : "MSI-H")
				    : (chance(s, 80) ? "stable" : "MSS"),
			       NULL, -1);
	}
	if (!chance(s, 6))
		add_bm(p, "KRAS",
		       kras_mut ? (chance(s, 90) ? "mutated" : "mutant")
				: (chance(s, 90) ? "wild-type" : "wt"),
		       kras_mut ? kras_variant(s) : NULL, -1);
	else
		ras_known = 0;
	if (!chance(s, 15))
		add_bm(p, "NRAS", nras_mut ? "mutated" : "wild-type",
		       nras_mut ? (chance(s, 50) ? "Q61K" : "Q61R") : NULL, -1);
	else
		ras_known = 0;
	if (!chance(s, 10))
		add_bm(p, "BRAF", braf ? "mutated" : "wild-type",
		       braf ? "V600E" : NULL, -1);
	if (!braf && !kras_mut && !nras_mut && ras_known) {
		r = rnd(s, 100);
		if (r < 5) {
			her2 = 1;
			add_bm(p, chance(s, 50) ? "HER2" : "ERBB2", "amplified",
			       NULL, -1);
		} else if (r < 45) {
			add_bm(p, "ERBB2", "not-amplified", NULL, -1);
		}
	}
	if (msih && chance(s, 50))
		add_bm(p, "TMB", "high", NULL, (double)(20 + rnd(s, 60)));
	if (chance(s, 3))
		add_bm(p, "NTRK1", "fusion", NULL, -1);
	if (!p->has_bm)
		p->nbm = 0;

	/* Prior therapies. */
	p->has_th = !chance(s, 10);
	if (!iv) {
		if (chance(s, 70))
			add_th(p, "colectomy", 0, NULL);
		if (chance(s, 40)) {
			therapy *t =
				add_th(p, chance(s, 60) ? "CAPOX" : "FOLFOX", 0,
				       "adjuvant");
			if (t && chance(s, 50))
				snprintf(t->end_date, sizeof t->end_date,
					 "2022-%02d-%02d", 1 + (int)rnd(s, 12),
					 1 + (int)rnd(s, 28));
		}
	} else {
		if (chance(s, 40))
			add_th(p, "colectomy", 0, NULL);
		if (chance(s, 15))
			add_th(p, chance(s, 50) ? "CAPOX" : "FOLFOX", 0,
			       "adjuvant");
		r = rnd(s, 100);
		lines = r < 25 ? 0 : r < 50 ? 1 : r < 75 ? 2 : r < 90 ? 3 : 4;
		for (l = 1; l <= lines; l++) {
			int first_of_line = p->nth;
			const char *bb = NULL, *bio = NULL, *bio2 = NULL;
			int ras_wt =
				ras_known && !kras_mut && !nras_mut && !braf;
			int egfr_used =
				used(p, "cetuximab") || used(p, "panitumumab");

			if (l == 1) {
				r = rnd(s, 100);
				if (msih && chance(s, 70)) {
					bio = chance(s, 70) ? "pembrolizumab"
							    : "nivolumab";
					if (!strcmp(bio, "nivolumab"))
						bio2 = "ipilimumab";
				} else {
					bb = r < 40   ? "FOLFOX"
					     : r < 60 ? "CAPOX"
					     : r < 85 ? "FOLFIRI"
						      : "FOLFOXIRI";
					bio = ras_wt && chance(s, 55)
						      ? (chance(s, 50)
								 ? "cetuximab"
								 : "panitumuma"
								   "b")
					      : chance(s, 80) ? "bevacizumab"
							      : NULL;
				}
			} else if (l == 2) {
				bb = used(p, "FOLFIRI") || used(p, "FOLFOXIRI")
					     ? "FOLFOX"
					     : "FOLFIRI";
				if (braf) {
					bb = NULL;
					bio = "encorafenib";
					bio2 = "cetuximab";
				} else if (her2 && chance(s, 50)) {
					bb = NULL;
					bio = "tucatinib";
					bio2 = "trastuzumab";
				} else if (ras_wt && !egfr_used &&
					   chance(s, 60)) {
					bio = chance(s, 50) ? "cetuximab"
							    : "panitumumab";
				} else {
					r = rnd(s, 100);
					bio = r < 70   ? "bevacizumab"
					      : r < 85 ? "aflibercept"
						       : "ramucirumab";
				}
			} else {
				if (ras_wt && !egfr_used && chance(s, 50)) {
					bb = chance(s, 50) ? "irinotecan"
							   : NULL;
					bio = "panitumumab";
				} else if (!used(p, "trifluridine/tipiracil") &&
					   chance(s, 60)) {
					bb = chance(s, 90)
						     ? "trifluridine/tipiracil"
						     : "TAS-102";
					bio = chance(s, 50) ? "bevacizumab"
							    : NULL;
				} else if (!used(p, "regorafenib") &&
					   chance(s, 70)) {
					bb = "regorafenib";
				} else {
					bb = "fruquintinib";
				}
			}
			if (bb)
				add_th(p, bb, l, "metastatic");
			if (bio)
				add_th(p, bio, l, "metastatic");
			if (bio2)
				add_th(p, bio2, l, "metastatic");
			for (i = first_of_line; i < p->nth; i++) {
				if (l < lines)
					p->th[i].progressed = 1;
				else
					p->th[i].progressed = chance(s, 70) ? 1
							      : chance(s, 66)
								      ? 0
								      : -1;
				if (l == lines && chance(s, 30))
					snprintf(p->th[i].end_date,
						 sizeof p->th[i].end_date,
						 "2023-%02d-%02d",
						 1 + (int)rnd(s, 2),
						 1 + (int)rnd(s, 28));
			}
		}
		if (chance(s, 10))
			add_th(p, "liver resection", 0, "metastatic");
		if (chance(s, 4))
			add_th(p,
			       chance(s, 50) ? "radiofrequency ablation"
					     : "hepatic arterial infusion",
			       0, "metastatic");
		if (chance(s, 8))
			add_th(p, "radiation", 0, NULL);
	}
	if (!p->has_th)
		p->nth = 0;

	/* Labs: mostly within trial limits, with tails. */
	p->has_labs = !chance(s, 25);
	p->anc = p->platelets = p->hemoglobin = p->bilirubin = -1;
	p->ast = p->alt = p->crcl = -1;
	if (p->has_labs) {
		int liver = 0;
		for (i = 0; i < p->nsites; i++)
			liver |= p->sites[i][0] == 'l' && p->sites[i][1] == 'i';
		liver |= p->nsites && !strcmp(p->sites[0], "hepatic");
		if (chance(s, 90))
			p->anc = chance(s, 92) ? unif(s, 1.5, 7.5)
					       : unif(s, 0.6, 1.5);
		if (chance(s, 90))
			p->platelets = chance(s, 92) ? unif(s, 100, 420)
						     : unif(s, 40, 100);
		if (chance(s, 90))
			p->hemoglobin = chance(s, 88) ? unif(s, 9.0, 15.5)
						      : unif(s, 7.0, 9.0);
		if (chance(s, 85))
			p->bilirubin = chance(s, 90) ? unif(s, 0.2, 1.5)
						     : unif(s, 1.5, 3.5);
		if (chance(s, 85))
			p->ast = chance(s, liver ? 70 : 92) ? unif(s, 0.4, 2.5)
							    : unif(s, 2.5, 6.0);
		if (chance(s, 80))
			p->alt = chance(s, liver ? 70 : 92) ? unif(s, 0.4, 2.5)
							    : unif(s, 2.5, 6.0);
		if (chance(s, 80))
			p->crcl = chance(s, 85) ? unif(s, 50, 140)
						: unif(s, 20, 50);
	}
	p->pregnant = -1;
	if (female && p->age >= 0 && p->age < 55 && chance(s, 40))
		p->pregnant = chance(s, 3);

	if (!chance(s, 15)) {
		int total = 0, pick;
		size_t k;
		for (k = 0; k < N_OF(places); k++)
			total += places[k].weight;
		pick = (int)rnd(s, (uint32_t)total);
		for (k = 0; k < N_OF(places) - 1 && pick >= places[k].weight;
		     k++)
			pick -= places[k].weight;
		p->country = places[k].country;
		if (!chance(s, 20)) {
			p->state = places[k].state;
			p->city = places[k].city;
			if (chance(s, 50))
				p->zip = places[k].zip;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/* Our strings are plain ASCII; escape what JSON requires all the same. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void key(FILE *f, int *first, const char *k)
{
	fputs(*first ? "{" : ", ", f);
	*first = 0;
	json_str(f, k);
	fputs(": ", f);
}

static const char *tf(int b)
{
	return b ? "true" : "false";
}

static void write_json(FILE *f, const profile *p)
{
	int first = 1, i;

	key(f, &first, "id");
	json_str(f, p->id);
	if (p->age >= 0) {
		key(f, &first, "age");
		fprintf(f, "%d", p->age);
	}
	if (p->birth_date[0]) {
		key(f, &first, "birth_date");
		json_str(f, p->birth_date);
	}
	key(f, &first, "sex");
	json_str(f, p->sex);
	key(f, &first, "diagnosis");
	json_str(f, p->diagnosis);
	if (p->stage) {
		key(f, &first, "stage");
		json_str(f, p->stage);
	}
	if (p->metastatic >= 0) {
		key(f, &first, "metastatic");
		fputs(tf(p->metastatic), f);
	}
	if (p->has_sites) {
		key(f, &first, "metastatic_sites");
		fputc('[', f);
		for (i = 0; i < p->nsites; i++) {
			if (i)
				fputs(", ", f);
			json_str(f, p->sites[i]);
		}
		fputc(']', f);
	}
	if (p->brain) {
		key(f, &first, "brain_metastases");
		json_str(f, p->brain);
	}
	if (p->resectable >= 0) {
		key(f, &first, "resectable");
		fputs(tf(p->resectable), f);
	}
	if (p->measurable >= 0) {
		key(f, &first, "measurable_disease");
		fputs(tf(p->measurable), f);
	}
	if (p->ecog >= 0) {
		key(f, &first, "ecog");
		fprintf(f, "%d", p->ecog);
	}
	if (p->karnofsky >= 0) {
		key(f, &first, "karnofsky");
		fprintf(f, "%d", p->karnofsky);
	}
	if (p->has_bm) {
		key(f, &first, "biomarkers");
		fputc('[', f);
		for (i = 0; i < p->nbm; i++) {
			const biomarker *b = &p->bm[i];
			fputs(i ? ", {\"name\": " : "{\"name\": ", f);
			json_str(f, b->name);
			fputs(", \"status\": ", f);
			json_str(f, b->status);
			if (b->variant) {
				fputs(", \"variant\": ", f);
				json_str(f, b->variant);
			}
			if (b->value >= 0)
				fprintf(f, ", \"value\": %g", b->value);
			fputc('}', f);
		}
		fputc(']', f);
	}
	if (p->has_th) {
		key(f, &first, "prior_therapies");
		fputc('[', f);
		for (i = 0; i < p->nth; i++) {
			const therapy *t = &p->th[i];
			fputs(i ? ", {\"name\": " : "{\"name\": ", f);
			json_str(f, t->name);
			if (t->line)
				fprintf(f, ", \"line\": %d", t->line);
			if (t->setting) {
				fputs(", \"setting\": ", f);
				json_str(f, t->setting);
			}
			if (t->progressed >= 0)
				fprintf(f, ", \"progressed\": %s",
					tf(t->progressed));
			if (t->end_date[0]) {
				fputs(", \"end_date\": ", f);
				json_str(f, t->end_date);
			}
			fputc('}', f);
		}
		fputc(']', f);
	}
	if (p->has_labs) {
		int lf = 1;
		key(f, &first, "labs");
#define LAB(name, v, fmt)                                                      \
	do {                                                                   \
		if ((v) >= 0) {                                                \
			fputs(lf ? "{" : ", ", f);                             \
			lf = 0;                                                \
			fprintf(f, "\"" name "\": " fmt, (v));                 \
		}                                                              \
	} while (0)
		LAB("anc", p->anc, "%.1f");
		LAB("platelets", p->platelets, "%.0f");
		LAB("hemoglobin", p->hemoglobin, "%.1f");
		LAB("bilirubin_x_uln", p->bilirubin, "%.1f");
		LAB("ast_x_uln", p->ast, "%.1f");
		LAB("alt_x_uln", p->alt, "%.1f");
		LAB("creatinine_clearance", p->crcl, "%.0f");
#undef LAB
		fputs(lf ? "{}" : "}", f);
	}
	if (p->pregnant >= 0) {
		key(f, &first, "pregnant");
		fputs(tf(p->pregnant), f);
	}
	if (p->country) {
		key(f, &first, "location");
		fputs("{\"country\": ", f);
		json_str(f, p->country);
		if (p->state) {
			fputs(", \"state\": ", f);
			json_str(f, p->state);
		}
		if (p->city) {
			fputs(", \"city\": ", f);
			json_str(f, p->city);
		}
		if (p->zip) {
			fputs(", \"zip\": ", f);
			json_str(f, p->zip);
		}
		fputc('}', f);
	}
	fputc('}', f);
}

/* RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static const char csv_header[] =
	"id,age,birth_date,sex,diagnosis,stage,metastatic,metastatic_sites,"
	"brain_metastases,resectable,measurable_disease,ecog,karnofsky,"
	"biomarkers,prior_therapies,pregnant\n";

static void write_csv(FILE *f, const profile *p)
{
	char cell[1024];
	size_t n;
	int i;

	csv_field(f, p->id);
	fputc(',', f);
	if (p->age >= 0)
		fprintf(f, "%d", p->age);
	fprintf(f, ",%s,%s,", p->birth_date, p->sex);
	csv_field(f, p->diagnosis);
	fprintf(f, ",%s,", p->stage ? p->stage : "");
	if (p->metastatic >= 0)
		fputs(tf(p->metastatic), f);
	fputc(',', f);
	if (p->has_sites) {
		if (!p->nsites)
			fputs("none", f);
		for (n = 0, cell[0] = '\0', i = 0;
		     i < p->nsites && n < sizeof cell; i++)
			n += (size_t)snprintf(cell + n, sizeof cell - n, "%s%s",
					      i ? ";" : "", p->sites[i]);
		csv_field(f, cell);
	}
	fprintf(f, ",%s,", p->brain ? p->brain : "");
	if (p->resectable >= 0)
		fputs(tf(p->resectable), f);
	fputc(',', f);
	if (p->measurable >= 0)
		fputs(tf(p->measurable), f);
	fputc(',', f);
	if (p->ecog >= 0)
		fprintf(f, "%d", p->ecog);
	fputc(',', f);
	if (p->karnofsky >= 0)
		fprintf(f, "%d", p->karnofsky);
	fputc(',', f);
	if (p->has_bm) {
		if (!p->nbm)
			fputs("none", f);
		for (n = 0, cell[0] = '\0', i = 0;
		     i < p->nbm && n < sizeof cell; i++)
			n += (size_t)snprintf(
				cell + n, sizeof cell - n, "%s%s:%s%s%s",
				i ? ";" : "", p->bm[i].name, p->bm[i].status,
				p->bm[i].variant ? ":" : "",
				p->bm[i].variant ? p->bm[i].variant : "");
		csv_field(f, cell);
	}
	fputc(',', f);
	if (p->has_th) {
		if (!p->nth)
			fputs("none", f);
		for (n = 0, cell[0] = '\0', i = 0;
		     i < p->nth && n < sizeof cell; i++) {
			char line[16] = "";
			if (p->th[i].line)
				snprintf(line, sizeof line, "@%d",
					 p->th[i].line);
			n += (size_t)snprintf(cell + n, sizeof cell - n,
					      "%s%s%s", i ? ";" : "",
					      p->th[i].name, line);
		}
		csv_field(f, cell);
	}
	fputc(',', f);
	if (p->pregnant >= 0)
		fputs(tf(p->pregnant), f);
	fputc('\n', f);
}

static void usage(void)
{
	fprintf(stderr, "usage: gen_patients N OUTFILE [--seed S] [--format "
			"ndjson|json|csv]\n");
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
	unsigned long long n = 0, seed = 1;
	const char *out = NULL, *format = "ndjson";
	FILE *f;
	profile p;
	uint32_t i;
	int a, pos = 0, rc = 0;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--seed")) {
			if (a + 1 >= argc || parse_u64(argv[++a], &seed)) {
				usage();
				return 2;
			}
		} else if (!strcmp(argv[a], "--format")) {
			if (a + 1 >= argc) {
				usage();
				return 2;
			}
			format = argv[++a];
		} else if (!strcmp(argv[a], "-h") ||
			   !strcmp(argv[a], "--help")) {
			usage();
			return 0;
		} else if (pos == 0 && !parse_u64(argv[a], &n)) {
			pos++;
		} else if (pos == 1) {
			out = argv[a];
			pos++;
		} else {
			usage();
			return 2;
		}
	}
	if (pos != 2 || n > 999999 ||
	    (strcmp(format, "ndjson") && strcmp(format, "json") &&
	     strcmp(format, "csv"))) {
		usage();
		return 2;
	}
	f = strcmp(out, "-") ? fopen(out, "w") : stdout;
	if (!f) {
		fprintf(stderr, "gen_patients: %s: %s\n", out, strerror(errno));
		return 3;
	}
	if (!strcmp(format, "json"))
		fputs("[\n", f);
	else if (!strcmp(format, "csv"))
		fputs(csv_header, f);
	for (i = 1; i <= n; i++) {
		gen_profile(&p, i, seed);
		if (!strcmp(format, "csv")) {
			write_csv(f, &p);
		} else {
			write_json(f, &p);
			fputs(!strcmp(format, "json") && i < n ? ",\n" : "\n",
			      f);
		}
	}
	if (!strcmp(format, "json"))
		fputs("]\n", f);
	if (ferror(f))
		rc = 3;
	if (f == stdout ? fflush(f) != 0 : fclose(f) != 0)
		rc = 3;
	if (rc)
		fprintf(stderr, "gen_patients: %s: write error\n", out);
	return rc;
}
