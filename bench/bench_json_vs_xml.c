/*
 * bench_json_vs_xml.c - the API v2 JSON reader against the legacy XML
 * reader on the same trials.
 *
 *   bench_json_vs_xml [-n TRIALS] [-r ROUNDS] [-s SEED]
 *
 * Generates TRIALS (default 20,000) synthetic trials in memory, each
 * written both as a legacy <clinical_study> document and as an API v2
 * study object with the same content (criteria text of 2-4 KB, 2-6
 * conditions, 1-4 interventions, 1-30 sites). Checks once that both
 * readers give the same fields, then times, best of ROUNDS (default 3),
 * in CPU seconds:
 *   files     each trial its own document (ctm_*_open_memory, _next,
 *             _close), as in the registry's bulk downloads
 *   stream    all trials in one document (an XML wrapper element; a JSON
 *             array), read with one reader
 * and prints both and the ratio JSON/XML.
 */
#include <ctm/parsers.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* ---- a growable string ---- */

struct buf {
	char *p;
	size_t len, cap;
};

static void need(struct buf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap = b->cap ? b->cap * 2 : 4096;
	b->p = realloc(b->p, b->cap);
	if (!b->p) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
}

static void put(struct buf *b, const char *s, size_t n)
{
	need(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
putf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	need(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void add(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_xml(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': add(b, "&amp;"); break;
		case '<': add(b, "&lt;"); break;
		case '>': add(b, "&gt;"); break;
		default: put(b, s, 1); break;
		}
	}
}

static void put_json(struct buf *b, const char *s)
{
	add(b, "\"");
	for (; *s; s++) {
		switch (*s) {
		case '"': add(b, "\\\""); break;
		case '\\': add(b, "\\\\"); break;
		case '\n': add(b, "\\n"); break;
		case '\r': add(b, "\\r"); break;
		case '\t': add(b, "\\t"); break;
		default: put(b, s, 1); break;
		}
	}
	add(b, "\"");
}

/* ---- synthetic trials ---- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 33) % n;
}

static const char *pick(const char *const *list, size_t n)
{
	return list[rnd((uint32_t)n)];
}

#define PICK(list) pick(list, sizeof(list) / sizeof(list[0]))

static const char *const conditions[] = {
	"Colorectal Cancer",  "Metastatic Colorectal Cancer",
	"Rectal Cancer",      "Colon Adenocarcinoma",
	"KRAS G12C Mutation", "Liver Metastases",
	"Pancreatic Cancer",  "Non-small Cell Lung Cancer",
	"Breast Cancer",      "Gastric Cancer",
	"Solid Tumor, Adult", "MSI-H Colorectal Cancer",
};
static const char *const drugs[] = {
	"Cetuximab",
	"Panitumumab",
	"Bevacizumab",
	"Oxaliplatin",
	"Irinotecan",
	"Fluorouracil",
	"Capecitabine",
	"Trifluridine/tipiracil",
	"Regorafenib",
	"Sotorasib",
	"Adagrasib",
	"Pembrolizumab",
	"Encorafenib",
	"Tucatinib",
	"Trastuzumab deruxtecan",
};
static const char *const sentences[] = {
	"Histologically or cytologically confirmed adenocarcinoma of the colon "
	"or rectum",
	"Measurable disease per RECIST 1.1 as assessed by the investigator",
	"ECOG performance status of 0 or 1",
	"Absolute neutrophil count >= 1.5 x 10^9/L & platelets >= 100 x 10^9/L",
	"Total bilirubin <= 1.5 x ULN; AST and ALT <= 2.5 x ULN (<= 5 x ULN "
	"with liver metastases)",
	"Prior treatment with a fluoropyrimidine, oxaliplatin and irinotecan",
	"Known active brain metastases or carcinomatous meningitis",
	"Creatinine clearance >= 50 mL/min (Cockcroft-Gault)",
	"Women of childbearing potential must have a negative \"serum\" "
	"pregnancy test",
	"Prior therapy with an anti-EGFR monoclonal antibody is not allowed",
	"Major surgery within 28 days before the first dose of study drug",
	"History of interstitial lung disease or pneumonitis requiring "
	"steroids",
};
static const char *const cities[][3] = {
	{"Boston", "Massachusetts", "United States"},
	{"Houston", "Texas", "United States"},
	{"Toronto", "Ontario", "Canada"},
	{"Paris", "", "France"},
	{"Milano", "", "Italy"},
	{"Seoul", "", "Korea, Republic of"},
};

struct sample {
	char nct[12];
	const char *title_drug, *phase_v2, *phase_xml;
	const char *cond[6];
	int n_cond;
	const char *drug[4];
	int n_drug;
	int n_sites;
	int site_city[30];
	int site_open[30];
	char *criteria;
	int min_age, max_age;
	int day;
};

static void make_sample(struct sample *s, uint32_t i)
{
	static const char *const phases[][2] = {
		{"[\"PHASE1\"]", "Phase 1"},
		{"[\"PHASE2\"]", "Phase 2"},
		{"[\"PHASE1\",\"PHASE2\"]", "Phase 1/Phase 2"},
		{"[\"PHASE3\"]", "Phase 3"},
	};
	struct buf c = {0};
	size_t target = 2048 + rnd(2048);
	int k, p = (int)rnd(4);

	memset(s, 0, sizeof(*s));
	snprintf(s->nct, sizeof(s->nct), "NCT%08u", 10000000u + i);
	s->title_drug = PICK(drugs);
	s->phase_v2 = phases[p][0];
	s->phase_xml = phases[p][1];
	s->n_cond = 2 + (int)rnd(5);
	for (k = 0; k < s->n_cond; k++)
		s->cond[k] = PICK(conditions);
	s->n_drug = 1 + (int)rnd(4);
	for (k = 0; k < s->n_drug; k++)
		s->drug[k] = PICK(drugs);
	s->n_sites = 1 + (int)rnd(30);
	for (k = 0; k < s->n_sites; k++) {
		s->site_city[k] = (int)rnd(6);
		s->site_open[k] = (int)rnd(2);
	}
	add(&c, "Inclusion Criteria:\n\n");
	for (k = 0; c.len < target / 2; k++)
		putf(&c, "* %s\n", PICK(sentences));
	add(&c, "\nExclusion Criteria:\n\n");
	while (c.len < target)
		putf(&c, "* %s\n", PICK(sentences));
	s->criteria = c.p;
	s->min_age = 18 + (int)rnd(3);
	s->max_age = rnd(2) ? 75 : 0;
	s->day = 1 + (int)rnd(28);
}

static void write_xml(struct buf *b, const struct sample *s)
{
	int k;

	putf(b,
	     "<clinical_study>\n  <required_header>\n    <download_date>"
	     "ClinicalTrials.gov processed this data on February 03, 2023"
	     "</download_date>\n  </required_header>\n  <id_info>\n    "
	     "<nct_id>%s</nct_id>\n  </id_info>\n  <brief_title>%s in "
	     "Advanced Solid Tumours</brief_title>\n  <official_title>A "
	     "Study of %s in Patients With Advanced Solid Tumours"
	     "</official_title>\n  <sponsors>\n    <lead_sponsor>\n      "
	     "<agency>Bench Oncology</agency>\n    </lead_sponsor>\n  "
	     "</sponsors>\n  <overall_status>Recruiting</overall_status>\n"
	     "  <phase>%s</phase>\n  <study_type>Interventional"
	     "</study_type>\n",
	     s->nct, s->title_drug, s->title_drug, s->phase_xml);
	for (k = 0; k < s->n_cond; k++)
		putf(b, "  <condition>%s</condition>\n", s->cond[k]);
	for (k = 0; k < s->n_drug; k++)
		putf(b,
		     "  <intervention>\n    <intervention_type>Drug"
		     "</intervention_type>\n    <intervention_name>%s"
		     "</intervention_name>\n    <other_name>BX-%d"
		     "</other_name>\n  </intervention>\n",
		     s->drug[k], k);
	add(b, "  <eligibility>\n    <criteria>\n      <textblock>");
	put_xml(b, s->criteria);
	putf(b,
	     "</textblock>\n    </criteria>\n    <gender>All</gender>\n"
	     "    <minimum_age>%d Years</minimum_age>\n",
	     s->min_age);
	if (s->max_age)
		putf(b, "    <maximum_age>%d Years</maximum_age>\n",
		     s->max_age);
	add(b, "    <healthy_volunteers>No</healthy_volunteers>\n"
	       "  </eligibility>\n");
	for (k = 0; k < s->n_sites; k++) {
		const char *const *c = cities[s->site_city[k]];

		putf(b,
		     "  <location>\n    <facility>\n      <name>Bench Site "
		     "%d</name>\n      <address>\n        <city>%s</city>\n",
		     k, c[0]);
		if (*c[1])
			putf(b, "        <state>%s</state>\n", c[1]);
		putf(b,
		     "        <country>%s</country>\n      </address>\n"
		     "    </facility>\n    <status>%s</status>\n  "
		     "</location>\n",
		     c[2],
		     s->site_open[k] ? "Recruiting" : "Not yet recruiting");
	}
	putf(b,
	     "  <study_first_posted>March %d, 2022</study_first_posted>\n"
	     "  <last_update_submitted>January %d, 2023"
	     "</last_update_submitted>\n  <keyword>bench</keyword>\n"
	     "  <condition_browse>\n    <mesh_term>Neoplasms</mesh_term>\n"
	     "  </condition_browse>\n</clinical_study>\n",
	     s->day, s->day);
}

static void write_json(struct buf *b, const struct sample *s)
{
	int k;

	putf(b,
	     "{\"protocolSection\":{\"identificationModule\":{\"nctId\":"
	     "\"%s\",\"briefTitle\":\"%s in Advanced Solid Tumours\","
	     "\"officialTitle\":\"A Study of %s in Patients With Advanced "
	     "Solid Tumours\"},\"statusModule\":{\"overallStatus\":"
	     "\"RECRUITING\",\"studyFirstPostDateStruct\":{\"date\":"
	     "\"2022-03-%02d\",\"type\":\"ACTUAL\"},\"lastUpdateSubmitDate\":"
	     "\"2023-01-%02d\"},\"sponsorCollaboratorsModule\":{"
	     "\"leadSponsor\":{\"name\":\"Bench Oncology\",\"class\":"
	     "\"INDUSTRY\"}},\"conditionsModule\":{\"conditions\":[",
	     s->nct, s->title_drug, s->title_drug, s->day, s->day);
	for (k = 0; k < s->n_cond; k++)
		putf(b, "%s\"%s\"", k ? "," : "", s->cond[k]);
	putf(b,
	     "],\"keywords\":[\"bench\"]},\"designModule\":{\"studyType\":"
	     "\"INTERVENTIONAL\",\"phases\":%s},\"armsInterventionsModule\":"
	     "{\"interventions\":[",
	     s->phase_v2);
	for (k = 0; k < s->n_drug; k++)
		putf(b,
		     "%s{\"type\":\"DRUG\",\"name\":\"%s\",\"otherNames\":"
		     "[\"BX-%d\"]}",
		     k ? "," : "", s->drug[k], k);
	add(b, "]},\"eligibilityModule\":{\"eligibilityCriteria\":");
	put_json(b, s->criteria);
	putf(b,
	     ",\"healthyVolunteers\":false,\"sex\":\"ALL\",\"minimumAge\":"
	     "\"%d Years\"",
	     s->min_age);
	if (s->max_age)
		putf(b, ",\"maximumAge\":\"%d Years\"", s->max_age);
	add(b, "},\"contactsLocationsModule\":{\"locations\":[");
	for (k = 0; k < s->n_sites; k++) {
		const char *const *c = cities[s->site_city[k]];

		putf(b,
		     "%s{\"facility\":\"Bench Site %d\",\"status\":\"%s\","
		     "\"city\":\"%s\"",
		     k ? "," : "", k,
		     s->site_open[k] ? "RECRUITING" : "NOT_YET_RECRUITING",
		     c[0]);
		if (*c[1])
			putf(b, ",\"state\":\"%s\"", c[1]);
		putf(b,
		     ",\"country\":\"%s\",\"geoPoint\":{\"lat\":42.3,"
		     "\"lon\":-71.1}}",
		     c[2]);
	}
	add(b, "]}},\"derivedSection\":{\"conditionBrowseModule\":{\"meshes\":"
	       "[{\"id\":\"D009369\",\"term\":\"Neoplasms\"}]}},\"hasResults\":"
	       "false}");
}

/* ---- timing ---- */

static double cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

struct doc {
	const char *p;
	size_t len;
};

static size_t read_xml(const struct doc *d, ctm_trial **keep)
{
	ctm_xml_reader *r;
	ctm_trial *t;
	ctm_error e;
	size_t n = 0;
	int rc;

	if (ctm_xml_open_memory(&r, d->p, d->len, "bench.xml", &e)) {
		fprintf(stderr, "xml: %s\n", e.message);
		exit(1);
	}
	while ((rc = ctm_xml_next(r, &t, &e)) != 0) {
		if (rc < 0) {
			fprintf(stderr, "xml: %s\n", e.message);
			exit(1);
		}
		if (keep)
			keep[n] = t;
		else
			ctm_trial_free(t);
		n++;
	}
	ctm_xml_close(r);
	return n;
}

static size_t read_json(const struct doc *d, ctm_trial **keep)
{
	ctm_json_reader *r;
	ctm_trial *t;
	ctm_error e;
	size_t n = 0;
	int rc;

	if (ctm_json_open_memory(&r, d->p, d->len, "bench.json", &e)) {
		fprintf(stderr, "json: %s\n", e.message);
		exit(1);
	}
	while ((rc = ctm_json_next(r, &t, &e)) != 0) {
		if (rc < 0) {
			fprintf(stderr, "json: %s\n", e.message);
			exit(1);
		}
		if (keep)
			keep[n] = t;
		else
			ctm_trial_free(t);
		n++;
	}
	ctm_json_close(r);
	return n;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Both readers give the same fields (download date aside). */
static void check(const ctm_trial *x, const ctm_trial *j)
{
	size_t k;
	int ok = same(x->nct_id, j->nct_id) &&
		 same(x->brief_title, j->brief_title) &&
		 same(x->official_title, j->official_title) &&
		 x->status == j->status && same(x->phase, j->phase) &&
		 same(x->study_type, j->study_type) &&
		 same(x->lead_sponsor, j->lead_sponsor) &&
		 x->n_conditions == j->n_conditions &&
		 x->n_interventions == j->n_interventions &&
		 x->n_locations == j->n_locations &&
		 same(x->criteria_text, j->criteria_text) &&
		 x->gender == j->gender &&
		 x->min_age_years == j->min_age_years &&
		 x->max_age_years == j->max_age_years &&
		 x->healthy_volunteers == j->healthy_volunteers &&
		 x->first_posted == j->first_posted &&
		 x->last_update == j->last_update &&
		 x->n_keywords == j->n_keywords &&
		 x->n_condition_mesh == j->n_condition_mesh;

	for (k = 0; ok && k < x->n_conditions; k++)
		ok = same(x->conditions[k], j->conditions[k]);
	for (k = 0; ok && k < x->n_interventions; k++)
		ok = same(x->interventions[k].type, j->interventions[k].type) &&
		     same(x->interventions[k].name, j->interventions[k].name) &&
		     x->interventions[k].n_other_names ==
			     j->interventions[k].n_other_names;
	for (k = 0; ok && k < x->n_locations; k++)
		ok = same(x->locations[k].facility, j->locations[k].facility) &&
		     same(x->locations[k].city, j->locations[k].city) &&
		     same(x->locations[k].state, j->locations[k].state) &&
		     same(x->locations[k].country, j->locations[k].country) &&
		     same(x->locations[k].status, j->locations[k].status);
	if (!ok) {
		fprintf(stderr, "%s: the readers disagree\n", x->nct_id);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	size_t n = 20000, rounds = 3, i, xml_bytes = 0, json_bytes = 0;
	struct doc *xd, *jd, xall, jall;
	struct buf xb = {0}, jb = {0}, one = {0};
	double best[4] = {1e30, 1e30, 1e30, 1e30}, t0;
	ctm_trial **kx, **kj;
	size_t *xoff, *joff, r;
	int a;

	rng_state = 0x9E3779B97F4A7C15ull;
	for (a = 1; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "-n"))
			n = strtoul(argv[a + 1], NULL, 10);
		else if (!strcmp(argv[a], "-r"))
			rounds = strtoul(argv[a + 1], NULL, 10);
		else if (!strcmp(argv[a], "-s"))
			rng_state = strtoull(argv[a + 1], NULL, 10) | 1;
		else
			break;
	}
	if (a < argc || !n || !rounds) {
		fprintf(stderr, "usage: %s [-n TRIALS] [-r ROUNDS] [-s SEED]\n",
			argv[0]);
		return 2;
	}

	/* one buffer per format holding every document, back to back,
	 * and the same documents inside a wrapper / an array */
	xd = calloc(n, sizeof(*xd));
	jd = calloc(n, sizeof(*jd));
	xoff = calloc(n + 1, sizeof(*xoff));
	joff = calloc(n + 1, sizeof(*joff));
	kx = calloc(n, sizeof(*kx));
	kj = calloc(n, sizeof(*kj));
	if (!xd || !jd || !xoff || !joff || !kx || !kj)
		return 1;
	add(&xb, "<search_results>\n");
	add(&jb, "[");
	for (i = 0; i < n; i++) {
		struct sample s;

		make_sample(&s, (uint32_t)i);
		one.len = 0;
		write_xml(&one, &s);
		xoff[i] = xb.len;
		put(&xb, one.p, one.len);
		xml_bytes += one.len;
		one.len = 0;
		write_json(&one, &s);
		if (i)
			add(&jb, ",\n");
		joff[i] = jb.len;
		put(&jb, one.p, one.len);
		json_bytes += one.len;
		free(s.criteria);
	}
	xoff[n] = xb.len;
	joff[n] = jb.len;
	add(&xb, "</search_results>\n");
	add(&jb, "]\n");
	for (i = 0; i < n; i++) {
		xd[i].p = xb.p + xoff[i];
		xd[i].len = xoff[i + 1] - xoff[i];
		jd[i].p = jb.p + joff[i];
		jd[i].len =
			(i + 1 < n ? joff[i + 1] - 2 : jb.len - 2) - joff[i];
	}
	xall.p = xb.p;
	xall.len = xb.len;
	jall.p = jb.p;
	jall.len = jb.len;
	printf("%zu trials: XML %.1f MB, JSON %.1f MB (%.0f and %.0f bytes "
	       "a trial)\n",
	       n, (double)xml_bytes / 1e6, (double)json_bytes / 1e6,
	       (double)xml_bytes / (double)n, (double)json_bytes / (double)n);

	/* the readers agree, document by document and in one stream */
	for (i = 0; i < n; i++) {
		if (read_xml(&xd[i], &kx[i]) != 1 ||
		    read_json(&jd[i], &kj[i]) != 1) {
			fprintf(stderr, "trial %zu: not one study\n", i);
			return 1;
		}
		check(kx[i], kj[i]);
		ctm_trial_free(kx[i]);
		ctm_trial_free(kj[i]);
	}
	if (read_xml(&xall, NULL) != n || read_json(&jall, NULL) != n) {
		fprintf(stderr, "stream: not %zu studies\n", n);
		return 1;
	}

	for (r = 0; r < rounds; r++) {
		double t;

		t0 = cpu();
		for (i = 0; i < n; i++)
			read_xml(&xd[i], NULL);
		t = cpu() - t0;
		best[0] = t < best[0] ? t : best[0];
		t0 = cpu();
		for (i = 0; i < n; i++)
			read_json(&jd[i], NULL);
		t = cpu() - t0;
		best[1] = t < best[1] ? t : best[1];
		t0 = cpu();
		read_xml(&xall, NULL);
		t = cpu() - t0;
		best[2] = t < best[2] ? t : best[2];
		t0 = cpu();
		read_json(&jall, NULL);
		t = cpu() - t0;
		best[3] = t < best[3] ? t : best[3];
	}
	printf("files   XML %.3f s (%.0f trials/s)   JSON %.3f s (%.0f "
	       "trials/s)   JSON/XML %.2f\n",
	       best[0], (double)n / best[0], best[1], (double)n / best[1],
	       best[1] / best[0]);
	printf("stream  XML %.3f s (%.0f trials/s)   JSON %.3f s (%.0f "
	       "trials/s)   JSON/XML %.2f\n",
	       best[2], (double)n / best[2], best[3], (double)n / best[3],
	       best[3] / best[2]);
	printf("(CPU seconds, best of %zu rounds)\n", rounds);
	free(xb.p);
	free(jb.p);
	free(one.p);
	free(xd);
	free(jd);
	free(xoff);
	free(joff);
	free(kx);
	free(kj);
	return 0;
}
