/*
 * test_json_xml_twins.c - the same trial read from API v2 JSON and from
 * legacy XML gives the same ctm_trial, field by field.
 *
 * fixtures/json/NCT9100000[12].json and fixtures/json/xml-twins/ hold the
 * same two trials in both formats (criteria text identical). The XML has
 * a download date, which API v2 does not carry: that is the one field
 * that differs. With ../shared, real records held in both formats are
 * compared too, on the fields that do not change between the registry's
 * snapshots.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <ctm/parsers.h>
#include "testutil.h"

/* Fields left out of a comparison. */
enum {
	SKIP_DOWNLOAD = 1u << 0,
	SKIP_CRITERIA = 1u << 1,
	SKIP_LAST_UPDATE = 1u << 2,
	SKIP_LOCATIONS = 1u << 3,
	SKIP_MESH = 1u << 4,
	SKIP_STATUS = 1u << 5,
};

static ctm_trial *read_json(const char *path)
{
	ctm_json_reader *r;
	ctm_trial *t = NULL;
	ctm_error e;

	cr_assert_eq(ctm_json_open_file(&r, path, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_json_next(r, &t, &e), 1, "%s: %s", path, e.message);
	ctm_json_close(r);
	return t;
}

static ctm_trial *read_xml(const char *path)
{
	ctm_xml_reader *r;
	ctm_trial *t = NULL;
	ctm_error e;

	cr_assert_eq(ctm_xml_open_file(&r, path, &e), 0, "%s", e.message);
	cr_assert_eq(ctm_xml_next(r, &t, &e), 1, "%s: %s", path, e.message);
	ctm_xml_close(r);
	return t;
}

static void same_str(const char *j, const char *x, const char *what,
		     const char *id)
{
	if (!j || !x) {
		cr_expect(!j && !x, "%s %s: json %s, xml %s", id, what,
			  j ? j : "NULL", x ? x : "NULL");
		return;
	}
	cr_expect_str_eq(j, x, "%s %s", id, what);
}

static void same_list(const char **j, size_t nj, const char **x, size_t nx,
		      const char *what, const char *id)
{
	size_t i;

	cr_expect_eq(nj, nx, "%s %s: %zu in json, %zu in xml", id, what, nj,
		     nx);
	for (i = 0; i < nj && i < nx; i++) {
		char w[64];

		snprintf(w, sizeof(w), "%s[%zu]", what, i);
		same_str(j[i], x[i], w, id);
	}
}

/* Every field of ctm_trial a reader fills, but those in `skip`. */
static void same_trial(const ctm_trial *j, const ctm_trial *x, unsigned skip)
{
	const char *id = x->nct_id;
	size_t i;

	same_str(j->nct_id, x->nct_id, "nct_id", id);
	same_str(j->brief_title, x->brief_title, "brief_title", id);
	same_str(j->official_title, x->official_title, "official_title", id);
	if (!(skip & SKIP_STATUS))
		cr_expect_eq(j->status, x->status, "%s status", id);
	same_str(j->phase, x->phase, "phase", id);
	same_str(j->study_type, x->study_type, "study_type", id);
	same_str(j->lead_sponsor, x->lead_sponsor, "lead_sponsor", id);
	same_list(j->conditions, j->n_conditions, x->conditions,
		  x->n_conditions, "conditions", id);
	same_list(j->keywords, j->n_keywords, x->keywords, x->n_keywords,
		  "keywords", id);
	if (!(skip & SKIP_MESH))
		same_list(j->condition_mesh, j->n_condition_mesh,
			  x->condition_mesh, x->n_condition_mesh,
			  "condition_mesh", id);
	cr_expect_eq(j->n_interventions, x->n_interventions, "%s interventions",
		     id);
	for (i = 0; i < j->n_interventions && i < x->n_interventions; i++) {
		const ctm_intervention *a = &j->interventions[i],
				       *b = &x->interventions[i];

		same_str(a->type, b->type, "intervention type", id);
		same_str(a->name, b->name, "intervention name", id);
		same_list(a->other_names, a->n_other_names, b->other_names,
			  b->n_other_names, "other_names", id);
	}
	cr_expect_eq(j->has_eligibility, x->has_eligibility,
		     "%s has_eligibility", id);
	if (!(skip & SKIP_CRITERIA))
		same_str(j->criteria_text, x->criteria_text, "criteria_text",
			 id);
	cr_expect_eq(j->gender, x->gender, "%s gender", id);
	cr_expect_eq(j->min_age_years, x->min_age_years, "%s min age", id);
	cr_expect_eq(j->max_age_years, x->max_age_years, "%s max age", id);
	cr_expect_eq(j->healthy_volunteers, x->healthy_volunteers,
		     "%s healthy_volunteers", id);
	if (!(skip & SKIP_LOCATIONS)) {
		cr_expect_eq(j->n_locations, x->n_locations, "%s locations",
			     id);
		for (i = 0; i < j->n_locations && i < x->n_locations; i++) {
			const ctm_location *a = &j->locations[i],
					   *b = &x->locations[i];

			same_str(a->facility, b->facility, "facility", id);
			same_str(a->city, b->city, "city", id);
			same_str(a->state, b->state, "state", id);
			same_str(a->zip, b->zip, "zip", id);
			same_str(a->country, b->country, "country", id);
			same_str(a->status, b->status, "site status", id);
		}
	}
	cr_expect_eq(j->first_posted, x->first_posted, "%s first_posted", id);
	if (!(skip & SKIP_LAST_UPDATE))
		cr_expect_eq(j->last_update, x->last_update, "%s last_update",
			     id);
	if (!(skip & SKIP_DOWNLOAD))
		cr_expect_eq(j->download_date, x->download_date,
			     "%s download_date", id);
	/* filled by the criteria parser, not by either reader */
	cr_expect_eq(j->n_criteria, 0);
	cr_expect_eq(x->n_criteria, 0);
}

Test(json_xml_twins, fixtures_give_the_same_trial)
{
	static const struct {
		const char *name;
		int32_t xml_download;
	} twins[] = {
		{"NCT91000001", 20241125},
		{"NCT91000002", 20240120},
	};
	size_t i;

	for (i = 0; i < sizeof(twins) / sizeof(twins[0]); i++) {
		char jrel[64], xrel[64];
		ctm_trial *j, *x;

		snprintf(jrel, sizeof(jrel), "json/%s.json", twins[i].name);
		snprintf(xrel, sizeof(xrel), "json/xml-twins/%s.xml",
			 twins[i].name);
		j = read_json(tu_fixture(jrel));
		x = read_xml(tu_fixture(xrel));
		same_trial(j, x, SKIP_DOWNLOAD);
		/* the one difference: API v2 has no download date */
		cr_expect_eq(j->download_date, 0);
		cr_expect_eq(x->download_date, twins[i].xml_download);
		/* and the comparison is not empty */
		cr_expect_str_eq(j->nct_id, twins[i].name);
		cr_expect_not_null(j->criteria_text);
		cr_expect_gt(j->n_locations, 0);
		ctm_trial_free(j);
		ctm_trial_free(x);
	}
}

/*
 * Real records: the classic-API JSON of NCT00023673 and NCT02028676 and
 * the API v2 JSON of NCT02513394, against their legacy XML in
 * ctgov-xml/. The registry's snapshots were taken years apart: the
 * criteria text (the APIs dropped the XML's indentation and bullets), the
 * download date and, for the v2 record, the last update and the sites
 * differ. Everything else must agree.
 */
Test(json_xml_twins, real_records_held_in_both_formats)
{
	static const struct {
		const char *json, *xml;
		unsigned skip;
	} pairs[] = {
		{"corpus/ctgov-json/classic-v1/NCT00023673.json",
		 "corpus/ctgov-xml/NCT00023673.xml",
		 SKIP_DOWNLOAD | SKIP_CRITERIA},
		/* one MeSH term was added after the XML snapshot */
		{"corpus/ctgov-json/classic-v1/NCT02028676.json",
		 "corpus/ctgov-xml/NCT02028676.xml",
		 SKIP_DOWNLOAD | SKIP_CRITERIA | SKIP_MESH},
		{"corpus/ctgov-json/v2/NCT02513394.json",
		 "corpus/ctgov-xml/NCT02513394.xml",
		 SKIP_DOWNLOAD | SKIP_CRITERIA | SKIP_LAST_UPDATE |
			 SKIP_LOCATIONS},
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		TU_REQUIRE_SHARED(jpath, pairs[i].json);
		TU_REQUIRE_SHARED(xpath, pairs[i].xml);
		ctm_trial *j = read_json(jpath), *x = read_xml(xpath);

		same_trial(j, x, pairs[i].skip);
		cr_expect_not_null(j->criteria_text);
		cr_expect_not_null(x->criteria_text);
		ctm_trial_free(j);
		ctm_trial_free(x);
	}
}
