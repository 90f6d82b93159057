/*
 * test_filter.c - the readers' record filter (a re-ingest that skips what
 * the index holds): the filter sees each record's NCT id and last-update
 * date by the whole read's rules, before the record is read whole; a
 * skipped record gives CTM_RECORD_SKIPPED, a kept one the trial the reader
 * gives without a filter, rejections included.
 */
#include <criterion/criterion.h>
#include <ctm/parsers.h>

#include <stdio.h>
#include <string.h>

typedef struct seen {
	char ids[8][16];
	int32_t dates[8];
	int n;
	const char *skip; /* the id to skip */
} seen;

static bool note(void *ctx, const char *nct_id, int32_t last_update)
{
	seen *s = ctx;

	cr_assert_lt(s->n, 8);
	snprintf(s->ids[s->n], sizeof s->ids[0], "%s", nct_id);
	s->dates[s->n++] = last_update;
	return !strcmp(nct_id, s->skip);
}

/* A <clinical_study> with the given inner elements. */
#define STUDY(id, inner)                                                       \
	"<clinical_study><id_info><org_study_id>X</org_study_id><nct_id> " id  \
	" </nct_id></id_info><brief_title>T " id "</brief_title>" inner        \
	"</clinical_study>"

Test(filter, xml_sees_id_and_date_and_reads_kept_records_whole)
{
	static const char doc[] = "<?xml version=\"1.0\"?><wrapper>" STUDY(
		"NCT00000001",
		"<last_update_posted>March 3, 2021</last_update_posted>"
		"<last_update_submitted>March 1, 2021"
		"</last_update_submitted>") STUDY("NCT00000002",
						  "<lastchanged_date>May 5, "
						  "2015</lastchanged_date>")
		STUDY("NCT00000003",
		      "<eligibility><minimum_age>eighteen Years</minimum_age>"
		      "</eligibility>"
		      "<last_update_posted>June 1, 2020</last_update_posted>")
			STUDY("NCT00000004", "") "</wrapper>";
	seen s = {.skip = "NCT00000002"};
	ctm_xml_reader *r = NULL;
	ctm_trial *t = NULL;
	ctm_error err;
	int32_t d;

	cr_assert_eq(ctm_xml_open_memory(&r, doc, strlen(doc), "w.xml", &err),
		     0);
	ctm_xml_set_filter(r, note, &s);
	cr_assert_eq(ctm_xml_next(r, &t, &err), 1, "%s", err.message);
	cr_expect_str_eq(t->nct_id, "NCT00000001");
	cr_expect_str_eq(t->brief_title, "T NCT00000001");
	cr_assert_eq(ctm_date_parse("March 1, 2021", &d), 0);
	cr_expect_eq(t->last_update, d);
	cr_expect_eq(s.dates[0], d);
	ctm_trial_free(t);
	cr_expect_eq(ctm_xml_next(r, &t, &err), CTM_RECORD_SKIPPED);
	cr_expect_null(t);
	cr_assert_eq(ctm_date_parse("May 5, 2015", &d), 0);
	cr_expect_eq(s.dates[1], d);
	/* kept, and rejected as a whole read rejects it */
	cr_expect_eq(ctm_xml_next(r, &t, &err), CTM_EPARSE);
	cr_expect_str_eq(err.field, "minimum_age");
	cr_assert_eq(ctm_xml_next(r, &t, &err), 1, "%s", err.message);
	cr_expect_str_eq(t->nct_id, "NCT00000004");
	cr_expect_eq(t->last_update, 0);
	cr_expect_eq(s.dates[3], 0);
	ctm_trial_free(t);
	cr_expect_eq(ctm_xml_next(r, &t, &err), 0);
	cr_expect_eq(s.n, 4);
	cr_expect_str_eq(s.ids[2], "NCT00000003");
	ctm_xml_close(r);
}

Test(filter, xml_record_without_a_readable_id_is_read_whole)
{
	static const char doc[] =
		"<wrapper>" STUDY("NCT0000000X",
				  "<last_update_submitted>March 1, 2021"
				  "</last_update_submitted>")
			STUDY("NCT00000002", "") "</wrapper>";
	seen s = {.skip = "NCT00000002"};
	ctm_xml_reader *r = NULL;
	ctm_trial *t = NULL;
	ctm_error err;

	cr_assert_eq(ctm_xml_open_memory(&r, doc, strlen(doc), "w.xml", &err),
		     0);
	ctm_xml_set_filter(r, note, &s);
	cr_expect_eq(ctm_xml_next(r, &t, &err), CTM_EPARSE);
	cr_expect_str_eq(err.field, "nct_id");
	cr_expect_eq(ctm_xml_next(r, &t, &err), CTM_RECORD_SKIPPED);
	cr_expect_eq(ctm_xml_next(r, &t, &err), 0);
	cr_expect_eq(s.n, 1); /* asked about the readable one only */
	ctm_xml_close(r);
}

Test(filter, json_sees_id_and_date)
{
	static const char doc[] =
		"{\"protocolSection\": {\"identificationModule\": {\"nctId\": "
		"\"NCT00000001\", \"briefTitle\": \"A\"}, \"statusModule\": "
		"{\"lastUpdatePostDateStruct\": {\"date\": \"2024-11-22\"}}}}\n"
		"{\"protocolSection\": {\"identificationModule\": {\"nctId\": "
		"\"NCT00000002\", \"briefTitle\": \"B\"}, \"statusModule\": "
		"{\"lastUpdateSubmitDate\": \"2024-11-20\", "
		"\"lastUpdatePostDateStruct\": {\"date\": \"2024-11-22\"}}}}\n";
	seen s = {.skip = "NCT00000001"};
	ctm_json_reader *r = NULL;
	ctm_trial *t = NULL;
	ctm_error err;
	int32_t d;

	cr_assert_eq(
		ctm_json_open_memory(&r, doc, strlen(doc), "s.ndjson", &err),
		0);
	ctm_json_set_filter(r, note, &s);
	cr_expect_eq(ctm_json_next(r, &t, &err), CTM_RECORD_SKIPPED);
	cr_assert_eq(ctm_date_parse("2024-11-22", &d), 0);
	cr_expect_eq(s.dates[0], d);
	cr_assert_eq(ctm_json_next(r, &t, &err), 1, "%s", err.message);
	cr_expect_str_eq(t->brief_title, "B");
	cr_assert_eq(ctm_date_parse("2024-11-20", &d), 0);
	cr_expect_eq(s.dates[1], d);
	cr_expect_eq(t->last_update, d);
	ctm_trial_free(t);
	cr_expect_eq(ctm_json_next(r, &t, &err), 0);
	ctm_json_close(r);
}
