/*
 * test_xml.c - the ClinicalTrials.gov legacy XML reader on records written
 * here: every field, the schema variants, and every error path.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

#include <ctm/parsers.h>

#include "testutil.h"

/* ---- helpers ---- */

/* The one record of xml, asserting that there is exactly one. */
static ctm_trial *one(const char *xml)
{
	ctm_xml_reader *r;
	ctm_trial *t = NULL, *extra = NULL;
	ctm_error err;
	char buf[1024];
	int rc;

	rc = ctm_xml_open_memory(&r, xml, strlen(xml), "t.xml", &err);
	cr_assert_eq(rc, 0, "open: %s", ctm_error_format(&err, buf, 1024));
	rc = ctm_xml_next(r, &t, &err);
	cr_assert_eq(rc, 1, "next gave %d: %s", rc,
		     ctm_error_format(&err, buf, sizeof(buf)));
	cr_assert_not_null(t);
	rc = ctm_xml_next(r, &extra, &err);
	cr_assert_eq(rc, 0, "a second next gave %d", rc);
	cr_assert_null(extra);
	ctm_xml_close(r);
	return t;
}

/*
 * The error of the first next() on xml (asserted negative, with the name
 * "t.xml"); then the document must give nothing more.
 */
static int first_error(const char *xml, size_t len, ctm_error *err)
{
	ctm_xml_reader *r;
	ctm_trial *t = NULL;
	ctm_error err2;
	int rc;

	cr_assert_eq(ctm_xml_open_memory(&r, xml, len, "t.xml", err), 0);
	rc = ctm_xml_next(r, &t, err);
	cr_assert_lt(rc, 0, "expected an error, got %d", rc);
	cr_assert_null(t);
	cr_assert_eq(err->code, rc);
	cr_assert_str_eq(err->file, "t.xml");
	cr_assert_neq(err->message[0], '\0');
	cr_assert_eq(ctm_xml_next(r, &t, &err2), 0);
	cr_assert_null(t);
	ctm_xml_close(r);
	return rc;
}

static int error_of(const char *xml, ctm_error *err)
{
	return first_error(xml, strlen(xml), err);
}

/*
 * A record: line 1 "<clinical_study>", line 2 the NCT id, then `inner`
 * from line 3, then "</clinical_study>". Returns a static buffer.
 */
static const char *rec(const char *fmt, ...)
{
	static char buf[1 << 16];
	char inner[1 << 15];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(inner, sizeof(inner), fmt, ap);
	va_end(ap);
	snprintf(buf, sizeof(buf),
		 "<clinical_study>\n"
		 "<id_info><nct_id>NCT01234567</nct_id></id_info>\n"
		 "%s\n"
		 "</clinical_study>\n",
		 inner);
	return buf;
}

/* A record with an eligibility element holding `inner`. */
static ctm_trial *with_eligibility(const char *inner)
{
	return one(rec("<eligibility>%s</eligibility>", inner));
}

/* ---- every field ---- */

static const char full[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<clinical_study rank=\"7\">\n"
	"  <required_header>\n"
	"    <download_date>ClinicalTrials.gov processed this data on "
	"February 03, 2023</download_date>\n"
	"    <link_text>Link to the current record.</link_text>\n"
	"    <url>https://clinicaltrials.gov/show/NCT01234567</url>\n"
	"  </required_header>\n"
	"  <id_info>\n"
	"    <org_study_id>ORG-1</org_study_id>\n"
	"    <secondary_id>SEC-2</secondary_id>\n"
	"    <nct_id> NCT01234567 </nct_id>\n"
	"  </id_info>\n"
	"  <brief_title>  Panitumumab &amp; FOLFOX in  KRAS wild-type mCRC\n"
	"  </brief_title>\n"
	"  <official_title>A Phase 1/2 Study of Panitumumab "
	"&lt;Vectibix&gt; \xe2\x89\xa5 18</official_title>\n"
	"  <sponsors>\n"
	"    <lead_sponsor>\n"
	"      <agency>Colon Cancer Group</agency>\n"
	"      <agency_class>Other</agency_class>\n"
	"    </lead_sponsor>\n"
	"    <collaborator>\n"
	"      <agency>Not The Lead</agency>\n"
	"    </collaborator>\n"
	"  </sponsors>\n"
	"  <source>Colon Cancer Group</source>\n"
	"  <brief_summary>\n"
	"    <textblock>A summary, not the criteria.</textblock>\n"
	"  </brief_summary>\n"
	"  <overall_status>Active, not recruiting</overall_status>\n"
	"  <study_first_submitted>January 5, 2010</study_first_submitted>\n"
	"  <study_first_posted type=\"Estimate\">January 7, "
	"2010</study_first_posted>\n"
	"  <last_update_submitted>March 2, 2021</last_update_submitted>\n"
	"  <last_update_posted type=\"Actual\">March 4, "
	"2021</last_update_posted>\n"
	"  <phase>Phase 1/Phase 2</phase>\n"
	"  <study_type>Interventional</study_type>\n"
	"  <condition>Colorectal Cancer</condition>\n"
	"  <condition>Liver Metastases</condition>\n"
	"  <intervention>\n"
	"    <intervention_type>Drug</intervention_type>\n"
	"    <intervention_name>Panitumumab</intervention_name>\n"
	"    <description>An anti-EGFR antibody.</description>\n"
	"    <arm_group_label>A</arm_group_label>\n"
	"    <other_name>Vectibix</other_name>\n"
	"    <other_name>ABX-EGF</other_name>\n"
	"  </intervention>\n"
	"  <intervention>\n"
	"    <intervention_type>Procedure</intervention_type>\n"
	"    <intervention_name>Liver resection</intervention_name>\n"
	"  </intervention>\n"
	"  <eligibility>\n"
	"    <criteria>\n"
	"      <textblock>\n"
	"        Inclusion Criteria:\n"
	"\n"
	"          -  KRAS wild-type &amp; ECOG &lt;= 1\n"
	"      </textblock>\n"
	"    </criteria>\n"
	"    <gender>Female</gender>\n"
	"    <minimum_age>18 Years</minimum_age>\n"
	"    <maximum_age>75 Years</maximum_age>\n"
	"    <healthy_volunteers>No</healthy_volunteers>\n"
	"  </eligibility>\n"
	"  <location>\n"
	"    <facility>\n"
	"      <name>Hospital One</name>\n"
	"      <address>\n"
	"        <city>Boston</city>\n"
	"        <state>Massachusetts</state>\n"
	"        <zip>02114</zip>\n"
	"        <country>United States</country>\n"
	"      </address>\n"
	"    </facility>\n"
	"    <status>Recruiting</status>\n"
	"    <contact><last_name>Dr X</last_name></contact>\n"
	"  </location>\n"
	"  <location>\n"
	"    <facility>\n"
	"      <address>\n"
	"        <city>Lyon</city>\n"
	"        <country>France</country>\n"
	"      </address>\n"
	"    </facility>\n"
	"  </location>\n"
	"  "
	"<location_countries><country>Germany</country></location_countries>\n"
	"  <keyword>mCRC</keyword>\n"
	"  <keyword>EGFR</keyword>\n"
	"  <condition_browse>\n"
	"    <mesh_term>Colorectal Neoplasms</mesh_term>\n"
	"    <mesh_term>Neoplasm Metastasis</mesh_term>\n"
	"  </condition_browse>\n"
	"  <intervention_browse>\n"
	"    <mesh_term>Panitumumab</mesh_term>\n"
	"  </intervention_browse>\n"
	"</clinical_study>\n";

Test(xml, reads_every_field)
{
	ctm_trial *t = one(full);
	const ctm_intervention *iv;
	const ctm_location *loc;

	cr_expect_str_eq(t->nct_id, "NCT01234567");
	cr_expect_str_eq(t->brief_title,
			 "Panitumumab & FOLFOX in  KRAS wild-type mCRC");
	cr_expect_str_eq(t->official_title,
			 "A Phase 1/2 Study of Panitumumab <Vectibix> "
			 "\xe2\x89\xa5 18");
	cr_expect_eq(t->status, CTM_STATUS_ACTIVE_NOT_RECRUITING);
	cr_expect_str_eq(t->phase, "Phase 1/Phase 2");
	cr_expect_str_eq(t->study_type, "Interventional");
	cr_expect_str_eq(t->lead_sponsor, "Colon Cancer Group");

	cr_assert_eq(t->n_conditions, 2);
	cr_expect_str_eq(t->conditions[0], "Colorectal Cancer");
	cr_expect_str_eq(t->conditions[1], "Liver Metastases");
	cr_assert_eq(t->n_keywords, 2);
	cr_expect_str_eq(t->keywords[0], "mCRC");
	cr_expect_str_eq(t->keywords[1], "EGFR");
	cr_assert_eq(t->n_condition_mesh, 2);
	cr_expect_str_eq(t->condition_mesh[0], "Colorectal Neoplasms");
	cr_expect_str_eq(t->condition_mesh[1], "Neoplasm Metastasis");

	cr_assert_eq(t->n_interventions, 2);
	iv = &t->interventions[0];
	cr_expect_str_eq(iv->type, "Drug");
	cr_expect_str_eq(iv->name, "Panitumumab");
	cr_assert_eq(iv->n_other_names, 2);
	cr_expect_str_eq(iv->other_names[0], "Vectibix");
	cr_expect_str_eq(iv->other_names[1], "ABX-EGF");
	iv = &t->interventions[1];
	cr_expect_str_eq(iv->type, "Procedure");
	cr_expect_str_eq(iv->name, "Liver resection");
	cr_expect_eq(iv->n_other_names, 0);
	cr_expect_null(iv->other_names);

	cr_expect(t->has_eligibility);
	cr_expect_str_eq(t->criteria_text,
			 "\n"
			 "        Inclusion Criteria:\n"
			 "\n"
			 "          -  KRAS wild-type & ECOG <= 1\n"
			 "      ");
	cr_expect_eq(t->gender, CTM_GENDER_FEMALE);
	cr_expect_float_eq(t->min_age_years, 18.0, 1e-9);
	cr_expect_float_eq(t->max_age_years, 75.0, 1e-9);
	cr_expect_eq(t->healthy_volunteers, 0);

	cr_assert_eq(t->n_locations, 2);
	loc = &t->locations[0];
	cr_expect_str_eq(loc->facility, "Hospital One");
	cr_expect_str_eq(loc->city, "Boston");
	cr_expect_str_eq(loc->state, "Massachusetts");
	cr_expect_str_eq(loc->zip, "02114");
	cr_expect_str_eq(loc->country, "United States");
	cr_expect_str_eq(loc->status, "Recruiting");
	loc = &t->locations[1];
	cr_expect_null(loc->facility);
	cr_expect_str_eq(loc->city, "Lyon");
	cr_expect_null(loc->state);
	cr_expect_null(loc->zip);
	cr_expect_str_eq(loc->country, "France");
	cr_expect_null(loc->status);

	/* study_first_posted beats study_first_submitted; the submitted
	 * last update beats the posted one */
	cr_expect_eq(t->first_posted, 20100107);
	cr_expect_eq(t->last_update, 20210302);
	cr_expect_eq(t->download_date, 20230203);

	cr_expect_null(t->criteria);
	cr_expect_eq(t->n_criteria, 0);
	ctm_trial_free(t);
}

Test(xml, absent_fields_are_null_zero_or_unbounded)
{
	ctm_trial *t = one(rec(""));

	cr_expect_str_eq(t->nct_id, "NCT01234567");
	cr_expect_null(t->brief_title);
	cr_expect_null(t->official_title);
	cr_expect_eq(t->status, CTM_STATUS_UNKNOWN);
	cr_expect_null(t->phase);
	cr_expect_null(t->study_type);
	cr_expect_null(t->lead_sponsor);
	cr_expect_eq(t->n_conditions, 0);
	cr_expect_null(t->conditions);
	cr_expect_eq(t->n_keywords, 0);
	cr_expect_eq(t->n_condition_mesh, 0);
	cr_expect_eq(t->n_interventions, 0);
	cr_expect_eq(t->n_locations, 0);
	cr_expect_null(t->locations);
	cr_expect(!t->has_eligibility);
	cr_expect_null(t->criteria_text);
	cr_expect_eq(t->gender, CTM_GENDER_UNSPECIFIED);
	cr_expect_float_eq(t->min_age_years, CTM_AGE_UNBOUNDED, 1e-12);
	cr_expect_float_eq(t->max_age_years, CTM_AGE_UNBOUNDED, 1e-12);
	cr_expect_eq(t->healthy_volunteers, -1);
	cr_expect_eq(t->first_posted, 0);
	cr_expect_eq(t->last_update, 0);
	cr_expect_eq(t->download_date, 0);
	ctm_trial_free(t);
}

/* ---- variants ---- */

Test(xml, no_declaration_and_rank_attribute)
{
	ctm_trial *t = one("<clinical_study rank=\"12\"><id_info><nct_id>"
			   "NCT00000102</nct_id></id_info>"
			   "<brief_title>T</brief_title></clinical_study>");

	cr_expect_str_eq(t->nct_id, "NCT00000102");
	cr_expect_str_eq(t->brief_title, "T");
	ctm_trial_free(t);
}

Test(xml, char_ref_cr_is_kept_in_criteria_and_trimmed_elsewhere)
{
	ctm_trial *t = one(rec("<brief_title>Title&#xD;\n</brief_title>\n"
			       "<eligibility><criteria><textblock>\n"
			       "        Inclusion Criteria:&#xD;\n"
			       "&#xD;\n"
			       "          -  Age &gt;= 18&#xD;\n"
			       "      </textblock></criteria></eligibility>"));

	cr_expect_str_eq(t->brief_title, "Title");
	cr_expect_str_eq(t->criteria_text, "\n"
					   "        Inclusion Criteria:\r\n"
					   "\r\n"
					   "          -  Age >= 18\r\n"
					   "      ");
	ctm_trial_free(t);
}

Test(xml, raw_crlf_and_cr_are_normalised_by_xml)
{
	ctm_trial *t = one("<clinical_study>\r\n"
			   "<id_info><nct_id>NCT01234567</nct_id></id_info>\r\n"
			   "<eligibility><criteria><textblock>\r\n"
			   "  - one\r\n"
			   "  - two\r"
			   "  - three&#xD;\r\n"
			   "</textblock></criteria>\r\n"
			   "<gender>All</gender></eligibility>\r\n"
			   "</clinical_study>\r\n");

	cr_expect_str_eq(t->criteria_text, "\n  - one\n  - two\n  - three\r\n");
	cr_expect_eq(t->gender, CTM_GENDER_ALL);
	ctm_trial_free(t);
}

Test(xml, cdata_and_comments_inside_text)
{
	ctm_trial *t = one(rec("<brief_title>ab<!-- c -->cd</brief_title>\n"
			       "<eligibility><criteria><textblock>"
			       "<![CDATA[x < y & z]]> and more"
			       "</textblock></criteria></eligibility>"));

	cr_expect_str_eq(t->brief_title, "abcd");
	cr_expect_str_eq(t->criteria_text, "x < y & z and more");
	ctm_trial_free(t);
}

Test(xml, gender_values)
{
	static const struct {
		const char *text;
		ctm_gender want;
	} rows[] = {
		{"All", CTM_GENDER_ALL},       {"Both", CTM_GENDER_ALL},
		{"Female", CTM_GENDER_FEMALE}, {" Male\n", CTM_GENDER_MALE},
		{"", CTM_GENDER_UNSPECIFIED},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char inner[128];
		ctm_trial *t;

		snprintf(inner, sizeof(inner), "<gender>%s</gender>",
			 rows[i].text);
		t = with_eligibility(inner);
		cr_expect_eq(t->gender, rows[i].want, "%s", rows[i].text);
		ctm_trial_free(t);
	}
}

Test(xml, ages_in_every_unit)
{
	/* expected years from the unit: a year is 365.25 days */
	static const struct {
		const char *text;
		double years;
	} rows[] = {
		{"18 Years", 18.0},
		{"1 Year", 1.0},
		{"6 Months", 0.5},
		{"1 Month", 1.0 / 12},
		{"2 Weeks", 14 / 365.25},
		{"1 Week", 7 / 365.25},
		{"30 Days", 30 / 365.25},
		{"1 Day", 1 / 365.25},
		{"12 Hours", 12 / (365.25 * 24)},
		{"1 Hour", 1 / (365.25 * 24)},
		{"90 Minutes", 90 / (365.25 * 24 * 60)},
		{"1 Minute", 1 / (365.25 * 24 * 60)},
		{"N/A", CTM_AGE_UNBOUNDED},
		{"", CTM_AGE_UNBOUNDED},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char inner[256];
		ctm_trial *t;

		snprintf(inner, sizeof(inner),
			 "<minimum_age>%s</minimum_age>"
			 "<maximum_age>\n  %s  \n</maximum_age>",
			 rows[i].text, rows[i].text);
		t = with_eligibility(inner);
		cr_expect_float_eq(t->min_age_years, rows[i].years,
				   fabs(rows[i].years) * 1e-4, "%s: %g",
				   rows[i].text, t->min_age_years);
		cr_expect_float_eq(t->max_age_years, rows[i].years,
				   fabs(rows[i].years) * 1e-4, "%s: %g",
				   rows[i].text, t->max_age_years);
		ctm_trial_free(t);
	}
}

Test(xml, healthy_volunteers_values)
{
	static const struct {
		const char *inner;
		int want;
	} rows[] = {
		{"<healthy_volunteers>No</healthy_volunteers>", 0},
		{"<healthy_volunteers>Accepts Healthy "
		 "Volunteers</healthy_volunteers>",
		 1},
		{"<healthy_volunteers>Yes</healthy_volunteers>", 1},
		{"<gender>All</gender>", -1},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ctm_trial *t = with_eligibility(rows[i].inner);

		cr_expect_eq(t->healthy_volunteers, rows[i].want, "%s",
			     rows[i].inner);
		ctm_trial_free(t);
	}
}

Test(xml, old_date_elements)
{
	ctm_trial *t = one(rec("<firstreceived_date>July 3, 2001"
			       "</firstreceived_date>\n"
			       "<lastchanged_date>March 2005</lastchanged_date>"
			       "\n<required_header><download_date>Information "
			       "obtained from ClinicalTrials.gov on January "
			       "31, 2013</download_date></required_header>"));

	cr_expect_eq(t->first_posted, 20010703);
	cr_expect_eq(t->last_update, 20050301);
	cr_expect_eq(t->download_date, 20130131);
	ctm_trial_free(t);
}

Test(xml, date_fallbacks)
{
	ctm_trial *t;

	/* study_first_posted beats firstreceived_date */
	t = one(rec("<firstreceived_date>July 3, 2001</firstreceived_date>"
		    "<study_first_posted>July 9, 2001</study_first_posted>"
		    "<last_update_posted>May 1, 2019</last_update_posted>"
		    "<lastchanged_date>April 2, 2019</lastchanged_date>"));
	cr_expect_eq(t->first_posted, 20010709);
	cr_expect_eq(t->last_update, 20190402);
	ctm_trial_free(t);

	/* the submitted and posted dates when they are all there is */
	t = one(rec("<study_first_submitted>2019-02-28</study_first_submitted>"
		    "<last_update_posted>May 1, 2019</last_update_posted>"));
	cr_expect_eq(t->first_posted, 20190228);
	cr_expect_eq(t->last_update, 20190501);
	ctm_trial_free(t);
}

Test(xml, missing_criteria)
{
	ctm_trial *t = with_eligibility("<gender>Male</gender>"
					"<minimum_age>N/A</minimum_age>");

	cr_expect(t->has_eligibility);
	cr_expect_null(t->criteria_text);
	cr_expect_eq(t->gender, CTM_GENDER_MALE);
	cr_expect_float_eq(t->min_age_years, CTM_AGE_UNBOUNDED, 1e-12);
	ctm_trial_free(t);

	/* <criteria> without a <textblock> */
	t = with_eligibility("<criteria></criteria>");
	cr_expect(t->has_eligibility);
	cr_expect_null(t->criteria_text);
	ctm_trial_free(t);

	/* an empty textblock is empty text, not absent */
	t = with_eligibility("<criteria><textblock/></criteria>");
	cr_expect_str_eq(t->criteria_text, "");
	ctm_trial_free(t);
}

Test(xml, missing_eligibility)
{
	ctm_trial *t = one(rec("<brief_title>No eligibility</brief_title>"));

	cr_expect(!t->has_eligibility);
	cr_expect_null(t->criteria_text);
	cr_expect_eq(t->gender, CTM_GENDER_UNSPECIFIED);
	cr_expect_float_eq(t->min_age_years, CTM_AGE_UNBOUNDED, 1e-12);
	cr_expect_float_eq(t->max_age_years, CTM_AGE_UNBOUNDED, 1e-12);
	cr_expect_eq(t->healthy_volunteers, -1);
	ctm_trial_free(t);
}

Test(xml, first_of_repeated_single_fields_wins)
{
	ctm_trial *t = one(rec("<brief_title>First</brief_title>"
			       "<brief_title>Second</brief_title>"
			       "<overall_status>Recruiting</overall_status>"
			       "<overall_status>Completed</overall_status>"));

	cr_expect_str_eq(t->brief_title, "First");
	cr_expect_eq(t->status, CTM_STATUS_RECRUITING);
	ctm_trial_free(t);
}

Test(xml, elements_elsewhere_are_not_taken)
{
	/* a <condition> or <nct_id> under another parent is not ours */
	ctm_trial *t = one(rec("<other><condition>Not Mine</condition>"
			       "<id_info><nct_id>NCT99999999</nct_id></id_info>"
			       "</other>"
			       "<condition>Mine</condition>"));

	cr_expect_str_eq(t->nct_id, "NCT01234567");
	cr_assert_eq(t->n_conditions, 1);
	cr_expect_str_eq(t->conditions[0], "Mine");
	ctm_trial_free(t);
}

static const char wrapper[] =
	"<?xml version=\"1.0\"?>\n"
	"<search_results count=\"3\">\n"
	"  <query>colon</query>\n"
	"  <clinical_study>\n"
	"    <id_info><nct_id>NCT00000001</nct_id></id_info>\n"
	"    <brief_title>One</brief_title>\n"
	"  </clinical_study>\n"
	"  <clinical_study rank=\"2\">\n"
	"    <id_info><nct_id>NCT00000002</nct_id></id_info>\n"
	"    <brief_title>Two</brief_title>\n"
	"  </clinical_study>\n"
	"</search_results>\n";

Test(xml, wrapper_with_two_records)
{
	ctm_xml_reader *r;
	ctm_trial *a = NULL, *b = NULL, *c = NULL;
	ctm_error err;

	cr_assert_eq(ctm_xml_open_memory(&r, wrapper, strlen(wrapper), "w.xml",
					 &err),
		     0);
	cr_assert_eq(ctm_xml_next(r, &a, &err), 1);
	cr_assert_eq(ctm_xml_next(r, &b, &err), 1);
	cr_assert_eq(ctm_xml_next(r, &c, &err), 0);
	cr_assert_null(c);
	cr_assert_eq(ctm_xml_next(r, &c, &err), 0);
	ctm_xml_close(r);
	/* records stay valid after the reader is closed */
	cr_expect_str_eq(a->nct_id, "NCT00000001");
	cr_expect_str_eq(a->brief_title, "One");
	cr_expect_str_eq(b->nct_id, "NCT00000002");
	cr_expect_str_eq(b->brief_title, "Two");
	ctm_trial_free(a);
	ctm_trial_free(b);
}

Test(xml, bad_record_between_two_good_ones)
{
	static const char xml[] =
		"<studies>\n"
		"<clinical_study><id_info><nct_id>NCT00000001</nct_id>"
		"</id_info></clinical_study>\n"
		"<clinical_study>\n"
		"<id_info><nct_id>NCT00000002</nct_id></id_info>\n"
		"<eligibility><gender>Unknown</gender></eligibility>\n"
		"</clinical_study>\n"
		"<clinical_study><id_info><nct_id>NCT00000003</nct_id>"
		"</id_info></clinical_study>\n"
		"</studies>\n";
	ctm_xml_reader *r;
	ctm_trial *a = NULL, *b = NULL, *c = NULL;
	ctm_error err;

	cr_assert_eq(ctm_xml_open_memory(&r, xml, strlen(xml), "w.xml", &err),
		     0);
	cr_assert_eq(ctm_xml_next(r, &a, &err), 1);
	cr_assert_eq(ctm_xml_next(r, &b, &err), CTM_EPARSE);
	cr_assert_null(b);
	cr_expect_str_eq(err.field, "gender");
	cr_expect_eq(err.line, 5);
	cr_expect_str_eq(err.file, "w.xml");
	cr_assert_eq(ctm_xml_next(r, &c, &err), 1);
	cr_expect_str_eq(err.field, "");
	cr_assert_eq(ctm_xml_next(r, &b, &err), 0);
	ctm_xml_close(r);
	cr_expect_str_eq(a->nct_id, "NCT00000001");
	cr_expect_str_eq(c->nct_id, "NCT00000003");
	ctm_trial_free(a);
	ctm_trial_free(c);
}

Test(xml, open_file_reads_a_file_and_names_it_in_errors)
{
	char *dir = tu_tmpdir();
	char good[4096], bad[4096];
	ctm_xml_reader *r;
	ctm_trial *t = NULL;
	ctm_error err;
	const char *text = rec("<brief_title>From a file</brief_title>");

	cr_assert_not_null(dir);
	snprintf(good, sizeof(good), "%s/NCT01234567.xml", dir);
	snprintf(bad, sizeof(bad), "%s/bad.xml", dir);
	cr_assert_eq(tu_write_file(good, text, strlen(text)), 0);
	cr_assert_eq(tu_write_file(bad, "<clinical_study>\n<oops>\n", 24), 0);

	cr_assert_eq(ctm_xml_open_file(&r, good, &err), 0);
	cr_assert_eq(ctm_xml_next(r, &t, &err), 1);
	cr_expect_str_eq(t->brief_title, "From a file");
	ctm_trial_free(t);
	cr_assert_eq(ctm_xml_next(r, &t, &err), 0);
	ctm_xml_close(r);

	cr_assert_eq(ctm_xml_open_file(&r, bad, &err), 0);
	cr_assert_eq(ctm_xml_next(r, &t, &err), CTM_EPARSE);
	cr_expect_str_eq(err.file, bad);
	cr_expect_gt(err.line, 0);
	ctm_xml_close(r);
}

Test(xml, nonexistent_file_is_eio_naming_it)
{
	ctm_xml_reader *r = (ctm_xml_reader *)1;
	ctm_error err;

	cr_assert_eq(ctm_xml_open_file(&r, "/nonexistent/dir/NCT0.xml", &err),
		     CTM_EIO);
	cr_expect_null(r);
	cr_expect_eq(err.code, CTM_EIO);
	cr_expect_str_eq(err.file, "/nonexistent/dir/NCT0.xml");
	cr_expect_neq(err.message[0], '\0');
}

Test(xml, close_null_and_next_after_end)
{
	ctm_xml_reader *r;
	ctm_trial *t = NULL;
	ctm_error err;
	const char *x = rec("");

	ctm_xml_close(NULL);
	cr_assert_eq(ctm_xml_open_memory(&r, x, strlen(x), NULL, &err), 0);
	cr_assert_eq(ctm_xml_next(r, &t, &err), 1);
	ctm_trial_free(t);
	cr_assert_eq(ctm_xml_next(r, &t, &err), 0);
	cr_assert_eq(ctm_xml_next(r, &t, &err), 0);
	ctm_xml_close(r);
}

/* ---- errors ---- */

Test(xml_errors, not_well_formed_gives_line_and_ends_the_document)
{
	ctm_error err;

	cr_assert_eq(error_of(rec("<brief_title>x</brief>"), &err), CTM_EPARSE);
	cr_expect_eq(err.line, 3);
	cr_expect_gt(err.column, 0);
	cr_expect_str_eq(err.field, "");
	cr_expect(strstr(err.message, "brief") != NULL, "%s", err.message);
}

Test(xml_errors, truncated_and_empty_documents)
{
	ctm_error err;

	cr_expect_eq(
		error_of("<clinical_study>\n<id_info>\n<nct_id>NCT0", &err),
		CTM_EPARSE);
	cr_expect_eq(err.line, 3);
	cr_expect(strstr(err.message, "premature end") != NULL, "%s",
		  err.message);
	cr_expect_eq(error_of("", &err), CTM_EPARSE);
	cr_expect_eq(error_of("just text", &err), CTM_EPARSE);
	cr_expect_eq(
		first_error("<clinical_study>\0</clinical_study>", 34, &err),
		CTM_EPARSE);
}

Test(xml_errors, no_clinical_study)
{
	ctm_error err;

	cr_expect_eq(error_of("<?xml version=\"1.0\"?>\n<rss><item>x</item>"
			      "</rss>",
			      &err),
		     CTM_EPARSE);
	cr_expect(strstr(err.message, "clinical_study") != NULL, "%s",
		  err.message);
	cr_expect(strstr(err.message, "<rss>") != NULL, "%s", err.message);
	cr_expect_eq(err.line, 2);
}

Test(xml_errors, missing_nct_id)
{
	ctm_error err;

	cr_assert_eq(error_of("<clinical_study>\n<brief_title>x</brief_title>"
			      "\n</clinical_study>",
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "nct_id");
	cr_expect_eq(err.line, 1);

	/* with an <id_info> but no <nct_id> in it: the line of <id_info> */
	cr_assert_eq(error_of("<clinical_study>\n<brief_title>x</brief_title>"
			      "\n<id_info>\n<org_study_id>1</org_study_id>\n"
			      "</id_info>\n</clinical_study>",
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "nct_id");
	cr_expect_eq(err.line, 3);
	cr_expect(strstr(err.message, "missing") != NULL, "%s", err.message);
}

Test(xml_errors, bad_nct_id)
{
	static const char *bad[] = {"NCT123", "NCT012345678", "nct01234567",
				    "NCT0123456X", ""};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char xml[256];
		ctm_error err;

		snprintf(xml, sizeof(xml),
			 "<clinical_study>\n<id_info>\n<nct_id>%s</nct_id>\n"
			 "</id_info>\n</clinical_study>",
			 bad[i]);
		cr_expect_eq(error_of(xml, &err), CTM_EPARSE, "%s", bad[i]);
		cr_expect_str_eq(err.field, "nct_id", "%s", bad[i]);
		cr_expect_eq(err.line, 3, "%s", bad[i]);
	}
}

Test(xml_errors, bad_age)
{
	ctm_error err;

	cr_assert_eq(error_of(rec("<eligibility>\n"
				  "<minimum_age>18 Years</minimum_age>\n"
				  "<maximum_age>75 Yrs</maximum_age>\n"
				  "</eligibility>"),
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "maximum_age");
	cr_expect_eq(err.line, 5);
	cr_expect(strstr(err.message, "75 Yrs") != NULL, "%s", err.message);

	cr_assert_eq(error_of(rec("<eligibility><minimum_age>eighteen"
				  "</minimum_age></eligibility>"),
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "minimum_age");
}

Test(xml_errors, bad_gender)
{
	ctm_error err;

	cr_assert_eq(error_of(rec("<eligibility>\n<gender>Unknown</gender>"
				  "</eligibility>"),
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "gender");
	cr_expect_eq(err.line, 4);
}

Test(xml_errors, bad_status)
{
	ctm_error err;

	cr_assert_eq(
		error_of(rec("<overall_status>Ongoing</overall_status>"), &err),
		CTM_EPARSE);
	cr_expect_str_eq(err.field, "overall_status");
	cr_expect_eq(err.line, 3);
}

Test(xml_errors, bad_healthy_volunteers)
{
	ctm_error err;

	cr_assert_eq(error_of(rec("<eligibility><healthy_volunteers>Maybe"
				  "</healthy_volunteers></eligibility>"),
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "healthy_volunteers");
}

Test(xml_errors, bad_dates)
{
	ctm_error err;

	cr_assert_eq(error_of(rec("\n<study_first_posted>Febtember 3, 2023"
				  "</study_first_posted>"),
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "study_first_posted");
	cr_expect_eq(err.line, 4);

	cr_assert_eq(error_of(rec("<lastchanged_date>February 30, 2023"
				  "</lastchanged_date>"),
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "lastchanged_date");

	cr_assert_eq(error_of(rec("<required_header><download_date>"
				  "processed on a Tuesday</download_date>"
				  "</required_header>"),
			      &err),
		     CTM_EPARSE);
	cr_expect_str_eq(err.field, "download_date");
}

Test(xml_errors, doctype_is_refused)
{
	ctm_error err;

	cr_assert_eq(error_of("<?xml version=\"1.0\"?>\r\n<!-- note -->\r"
			      "<!DOCTYPE clinical_study>\n" /* no subset */
			      "<clinical_study><id_info><nct_id>NCT01234567"
			      "</nct_id></id_info></clinical_study>",
			      &err),
		     CTM_EPARSE);
	cr_expect(strstr(err.message, "DOCTYPE") != NULL, "%s", err.message);
	cr_expect_eq(err.line, 3);

	/* an internal entity: refused, never expanded into a record */
	cr_assert_eq(
		error_of("<!DOCTYPE clinical_study [\n"
			 "<!ENTITY t \"Expanded\">\n"
			 "]>\n"
			 "<clinical_study><id_info><nct_id>NCT01234567"
			 "</nct_id></id_info><brief_title>&t;</brief_title>"
			 "</clinical_study>",
			 &err),
		CTM_EPARSE);
	cr_expect(strstr(err.message, "DOCTYPE") != NULL, "%s", err.message);
}

Test(xml_errors, external_entity_and_entity_bomb_are_refused)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE clinical_study [\n"
		"<!ENTITY x SYSTEM \"file:///etc/passwd\">\n"
		"]>\n"
		"<clinical_study><id_info><nct_id>NCT01234567</nct_id>"
		"</id_info><brief_title>&x;</brief_title></clinical_study>";
	static const char bomb[] =
		"<!DOCTYPE clinical_study [\n"
		"<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
		"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		"]>\n"
		"<clinical_study><id_info><nct_id>NCT01234567</nct_id>"
		"</id_info><brief_title>&g;</brief_title></clinical_study>";
	ctm_error err;

	cr_expect_eq(error_of(xxe, &err), CTM_EPARSE);
	cr_expect(strstr(err.message, "root:") == NULL, "%s", err.message);
	cr_expect_eq(error_of(bomb, &err), CTM_EPARSE);
}

Test(xml_errors, undeclared_entity_is_not_well_formed)
{
	ctm_error err;

	cr_assert_eq(error_of(rec("<brief_title>&nbsp;</brief_title>"), &err),
		     CTM_EPARSE);
	cr_expect_eq(err.line, 3);
	cr_expect(strstr(err.message, "nbsp") != NULL, "%s", err.message);
}

/* A record whose brief title is n bytes of 'x'. */
static char *title_of(size_t n)
{
	static const char head[] = "<clinical_study><id_info><nct_id>"
				   "NCT01234567</nct_id></id_info>"
				   "<brief_title>";
	static const char tail[] = "</brief_title></clinical_study>";
	char *xml = malloc(sizeof(head) + n + sizeof(tail));

	cr_assert_not_null(xml);
	memcpy(xml, head, sizeof(head) - 1);
	memset(xml + sizeof(head) - 1, 'x', n);
	memcpy(xml + sizeof(head) - 1 + n, tail, sizeof(tail));
	return xml;
}

Test(xml_limits, text_at_the_limit_is_read_and_over_it_rejected)
{
	char *xml = title_of(CTM_MAX_TEXT_BYTES);
	ctm_trial *t = one(xml);
	ctm_error err;

	cr_expect_eq(strlen(t->brief_title), CTM_MAX_TEXT_BYTES);
	ctm_trial_free(t);
	free(xml);

	xml = title_of(CTM_MAX_TEXT_BYTES + 1);
	cr_expect_eq(error_of(xml, &err), CTM_ELIMIT);
	cr_expect_str_eq(err.field, "brief_title");
	cr_expect_eq(err.line, 1);
	free(xml);
}

Test(xml_limits, too_many_list_items)
{
	size_t n = CTM_MAX_LIST_ITEMS + 1, i, len = 0;
	char *xml = malloc(n * 32 + 256);
	ctm_error err;

	cr_assert_not_null(xml);
	len += (size_t)sprintf(xml, "<clinical_study><id_info><nct_id>"
				    "NCT01234567</nct_id></id_info>");
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(xml + len, "<keyword>k</keyword>");
	strcpy(xml + len, "</clinical_study>");
	cr_expect_eq(error_of(xml, &err), CTM_ELIMIT);
	cr_expect_str_eq(err.field, "keyword");
	free(xml);
}

Test(xml_limits, nesting_too_deep)
{
	char xml[4096];
	size_t len = 0;
	int i;
	ctm_error err;

	len += (size_t)sprintf(xml, "<clinical_study><id_info><nct_id>"
				    "NCT01234567</nct_id></id_info>");
	for (i = 0; i < CTM_MAX_XML_DEPTH; i++)
		len += (size_t)sprintf(xml + len, "<a>");
	for (i = 0; i < CTM_MAX_XML_DEPTH; i++)
		len += (size_t)sprintf(xml + len, "</a>");
	strcpy(xml + len, "</clinical_study>");
	cr_expect_eq(error_of(xml, &err), CTM_ELIMIT);
	cr_expect_str_eq(err.field, "a");
}

Test(xml_limits, nesting_at_the_limit_is_read)
{
	char xml[4096];
	size_t len = 0;
	int i;
	ctm_trial *t;

	/* the root is level 1: 63 more levels are allowed */
	len += (size_t)sprintf(xml, "<clinical_study><id_info><nct_id>"
				    "NCT01234567</nct_id></id_info>");
	for (i = 0; i < CTM_MAX_XML_DEPTH - 1; i++)
		len += (size_t)sprintf(xml + len, "<a>");
	for (i = 0; i < CTM_MAX_XML_DEPTH - 1; i++)
		len += (size_t)sprintf(xml + len, "</a>");
	strcpy(xml + len, "</clinical_study>");
	t = one(xml);
	cr_expect_str_eq(t->nct_id, "NCT01234567");
	ctm_trial_free(t);
}

Test(xml_limits, record_too_large)
{
	/* 17 description blocks of 1 MiB each: each text is within the
	 * text bound, the record is over the record bound */
	size_t block = 1u << 20, n = CTM_MAX_RECORD_BYTES / block + 1, i;
	size_t cap = n * (block + 64) + 256, len = 0;
	char *xml = malloc(cap);
	ctm_error err;

	cr_assert_not_null(xml);
	len += (size_t)sprintf(xml, "<clinical_study><id_info><nct_id>"
				    "NCT01234567</nct_id></id_info>");
	for (i = 0; i < n; i++) {
		len += (size_t)sprintf(xml + len, "<detailed_description>");
		memset(xml + len, 'y', block);
		len += block;
		len += (size_t)sprintf(xml + len, "</detailed_description>");
	}
	strcpy(xml + len, "</clinical_study>");
	cr_expect_eq(error_of(xml, &err), CTM_ELIMIT);
	cr_expect_str_eq(err.field, "clinical_study");
	cr_expect_eq(err.line, 1);
	free(xml);
}

/* ---- libxml2's global error handlers are left as they were ---- */

static int foreign_calls;

static void foreign_handler(void *ctx, xmlErrorPtr e)
{
	foreign_calls++;
}

Test(xml, leaves_the_global_error_handler_alone)
{
	ctm_error err;

	xmlSetStructuredErrorFunc(&foreign_calls,
				  (xmlStructuredErrorFunc)foreign_handler);
	cr_assert_eq(error_of(rec("<x>&undefined;</x>"), &err), CTM_EPARSE);
	cr_expect_eq(foreign_calls, 0);
	cr_expect(xmlStructuredError ==
		  (xmlStructuredErrorFunc)foreign_handler);
	cr_expect(xmlStructuredErrorContext == &foreign_calls);
	xmlSetStructuredErrorFunc(NULL, NULL);
}
