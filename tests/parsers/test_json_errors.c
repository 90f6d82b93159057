/*
 * test_json_errors.c - ClinicalTrials.gov JSON: rejected studies name
 * their JSON path, syntax errors give jansson's line and column, the
 * other studies of a document still go in, bounds hold, and what is not
 * a registry format is refused saying so.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/parsers.h>
#include "testutil.h"

/* What a reader gave, in order: 'T' for a trial, 'E' for an error. */
struct run {
	char seq[64];
	char ids[16][16];
	int n, n_err;
	ctm_error err[8];
};

static void drain(ctm_json_reader *r, struct run *out)
{
	ctm_trial *t;
	ctm_error e;
	size_t k = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	while ((rc = ctm_json_next(r, &t, &e)) != 0) {
		cr_assert_lt(k, sizeof(out->seq) - 1, "reader does not end");
		if (rc < 0) {
			cr_assert_eq(rc, e.code);
			cr_assert_null(t);
			if (out->n_err < 8)
				out->err[out->n_err] = e;
			out->n_err++;
			out->seq[k++] = 'E';
			continue;
		}
		if (out->n < 16)
			snprintf(out->ids[out->n], sizeof(out->ids[0]), "%s",
				 t->nct_id);
		out->n++;
		out->seq[k++] = 'T';
		ctm_trial_free(t);
	}
	cr_assert_eq(ctm_json_next(r, &t, &e), 0);
}

static void read_mem(const char *buf, size_t len, struct run *out)
{
	ctm_json_reader *r;
	ctm_error e;

	cr_assert_eq(ctm_json_open_memory(&r, buf, len, "doc.json", &e), 0);
	drain(r, out);
	ctm_json_close(r);
}

static void read_str(const char *s, struct run *out)
{
	read_mem(s, strlen(s), out);
}

static void read_file(const char *path, struct run *out)
{
	ctm_json_reader *r;
	ctm_error e;

	cr_assert_eq(ctm_json_open_file(&r, path, &e), 0, "%s", e.message);
	drain(r, out);
	ctm_json_close(r);
}

/* A one-line v2 study with an id and extra protocolSection members. */
static char *study(const char *id, const char *extra)
{
	char *s = malloc(strlen(extra) + 128);

	cr_assert_not_null(s);
	sprintf(s,
		"{\"protocolSection\":{\"identificationModule\":{\"nctId\":"
		"\"%s\"}%s%s}}",
		id, *extra ? "," : "", extra);
	return s;
}

static void expect_err(const ctm_error *e, int code, int line, int col,
		       const char *field, const char *message)
{
	cr_expect_eq(e->code, code, "code %d, want %d (%s)", e->code, code,
		     e->message);
	cr_expect_eq(e->line, line, "line %d, want %d (%s)", e->line, line,
		     e->message);
	cr_expect_eq(e->column, col, "column %d, want %d (%s)", e->column, col,
		     e->message);
	cr_expect_str_eq(e->field, field);
	cr_expect_str_eq(e->message, message);
	cr_expect_str_eq(e->file, "doc.json");
}

/* One study with the given members: rejected with the given error. */
static void expect_rejected(const char *extra, int code, const char *field,
			    const char *message)
{
	char *s = study("NCT91000040", extra);
	struct run r;

	read_str(s, &r);
	cr_expect_str_eq(r.seq, "E", "%s", extra);
	expect_err(&r.err[0], code, 1, 1, field, message);
	free(s);
}

Test(json_errors, bad_values_name_the_field)
{
	expect_rejected("\"statusModule\":{\"overallStatus\":\"OPEN\"}",
			CTM_EPARSE,
			"protocolSection.statusModule.overallStatus",
			"NCT91000040: not a recruitment status: \"OPEN\"");
	expect_rejected("\"eligibilityModule\":{\"sex\":\"UNKNOWN\"}",
			CTM_EPARSE, "protocolSection.eligibilityModule.sex",
			"NCT91000040: not a sex: \"UNKNOWN\"");
	expect_rejected("\"eligibilityModule\":{\"minimumAge\":\"eighteen\"}",
			CTM_EPARSE,
			"protocolSection.eligibilityModule.minimumAge",
			"NCT91000040: not an age: \"eighteen\"");
	expect_rejected("\"eligibilityModule\":{\"maximumAge\":\"65 Decades\"}",
			CTM_EPARSE,
			"protocolSection.eligibilityModule.maximumAge",
			"NCT91000040: not an age: \"65 Decades\"");
	expect_rejected("\"eligibilityModule\":{\"healthyVolunteers\":"
			"\"maybe\"}",
			CTM_EPARSE,
			"protocolSection.eligibilityModule.healthyVolunteers",
			"NCT91000040: not true, false, \"Yes\" or \"No\": "
			"\"maybe\"");
	expect_rejected("\"statusModule\":{\"studyFirstPostDateStruct\":{"
			"\"date\":\"2023-13-01\"}}",
			CTM_EPARSE,
			"protocolSection.statusModule.studyFirstPostDateStruct."
			"date",
			"NCT91000040: not a date: \"2023-13-01\"");
	/* a fallback date is checked as well */
	expect_rejected("\"statusModule\":{\"lastUpdatePostDateStruct\":{"
			"\"date\":\"03/02/2023\"}}",
			CTM_EPARSE,
			"protocolSection.statusModule.lastUpdatePostDateStruct."
			"date",
			"NCT91000040: not a date: \"03/02/2023\"");
}

Test(json_errors, nct_id_missing_or_malformed)
{
	struct run r;
	char *s;

	read_str("{\"protocolSection\":{\"identificationModule\":{"
		 "\"briefTitle\":\"No id\"}}}",
		 &r);
	cr_expect_str_eq(r.seq, "E");
	expect_err(&r.err[0], CTM_EPARSE, 1, 1,
		   "protocolSection.identificationModule.nctId", "missing");

	read_str("{\"protocolSection\":{}}", &r);
	cr_expect_str_eq(r.seq, "E");
	expect_err(&r.err[0], CTM_EPARSE, 1, 1,
		   "protocolSection.identificationModule.nctId", "missing");

	s = study("NCT123", "");
	read_str(s, &r);
	cr_expect_str_eq(r.seq, "E");
	expect_err(&r.err[0], CTM_EPARSE, 1, 1,
		   "protocolSection.identificationModule.nctId",
		   "not an NCT id (NCT and 8 digits): \"NCT123\"");
	free(s);

	read_str("{\"protocolSection\":{\"identificationModule\":{\"nctId\":"
		 "91000040}}}",
		 &r);
	cr_expect_str_eq(r.seq, "E");
	expect_err(&r.err[0], CTM_EINVALID, 1, 1,
		   "protocolSection.identificationModule.nctId",
		   "not a string but a number");
}

Test(json_errors, wrong_types_name_the_json_path)
{
	expect_rejected("\"conditionsModule\":{\"conditions\":\"Colorectal\"}",
			CTM_EINVALID,
			"protocolSection.conditionsModule.conditions",
			"NCT91000040: not an array but a string");
	expect_rejected("\"conditionsModule\":[]", CTM_EINVALID,
			"protocolSection.conditionsModule",
			"NCT91000040: not an object but an array");
	expect_rejected("\"conditionsModule\":{\"conditions\":[\"a\",5]}",
			CTM_EINVALID,
			"protocolSection.conditionsModule.conditions[1]",
			"NCT91000040: not a string but a number");
	expect_rejected("\"conditionsModule\":{\"keywords\":[null]}",
			CTM_EINVALID,
			"protocolSection.conditionsModule.keywords[0]",
			"NCT91000040: not a string but null");
	expect_rejected("\"eligibilityModule\":\"none\"", CTM_EINVALID,
			"protocolSection.eligibilityModule",
			"NCT91000040: not an object but a string");
	expect_rejected("\"eligibilityModule\":{\"eligibilityCriteria\":"
			"[\"a\"]}",
			CTM_EINVALID,
			"protocolSection.eligibilityModule.eligibilityCriteria",
			"NCT91000040: not a string but an array");
	expect_rejected("\"eligibilityModule\":{\"healthyVolunteers\":1}",
			CTM_EINVALID,
			"protocolSection.eligibilityModule.healthyVolunteers",
			"NCT91000040: not a boolean but a number");
	expect_rejected("\"designModule\":{\"phases\":\"PHASE1\"}",
			CTM_EINVALID, "protocolSection.designModule.phases",
			"NCT91000040: not an array but a string");
	expect_rejected("\"contactsLocationsModule\":{\"locations\":[{"
			"\"status\":true}]}",
			CTM_EINVALID,
			"protocolSection.contactsLocationsModule.locations[0]."
			"status",
			"NCT91000040: not a string but a boolean");
	expect_rejected("\"contactsLocationsModule\":{\"locations\":[7]}",
			CTM_EINVALID,
			"protocolSection.contactsLocationsModule.locations[0]",
			"NCT91000040: not an object but a number");
	expect_rejected("\"statusModule\":{\"studyFirstPostDateStruct\":"
			"\"2023-02-03\"}",
			CTM_EINVALID,
			"protocolSection.statusModule.studyFirstPostDateStruct",
			"NCT91000040: not an object but a string");
	/* a path too long for err->field: its last key there, the whole
	 * path in the message */
	expect_rejected("\"armsInterventionsModule\":{\"interventions\":[{"
			"\"name\":\"x\",\"otherNames\":[\"y\",{}]}]}",
			CTM_EINVALID, "otherNames[1]",
			"NCT91000040: protocolSection.armsInterventionsModule."
			"interventions[0].otherNames[1]: not a string but an "
			"object");
}

Test(json_errors, other_studies_of_a_search_page_still_go_in)
{
	char *a = study("NCT91000041", ""),
	     *b = study("NCT91000042",
			"\"statusModule\":{\"overallStatus\":\"OPEN\"}"),
	     *c = study("NCT91000043", ""), doc[1024];
	struct run r;
	int col = (int)strlen("{\"studies\":[") + (int)strlen(a) + 2;

	snprintf(doc, sizeof(doc),
		 "{\"studies\":[%s,%s,42,%s],\"nextPageToken\":\"x\"}", a, b,
		 c);
	read_str(doc, &r);
	cr_expect_str_eq(r.seq, "TEET");
	cr_expect_str_eq(r.ids[0], "NCT91000041");
	cr_expect_str_eq(r.ids[1], "NCT91000043");
	expect_err(&r.err[0], CTM_EPARSE, 1, col,
		   "studies[1].protocolSection.statusModule.overallStatus",
		   "NCT91000042: not a recruitment status: \"OPEN\"");
	expect_err(&r.err[1], CTM_EPARSE, 1, col + (int)strlen(b) + 1,
		   "studies[2]", "not a study object but a number");

	/* the same in a plain array, one study per line */
	snprintf(doc, sizeof(doc), "[\n%s,\n%s,\n%s\n]\n", a, b, c);
	read_str(doc, &r);
	cr_expect_str_eq(r.seq, "TET");
	expect_err(&r.err[0], CTM_EPARSE, 3, 1,
		   "[1].protocolSection.statusModule.overallStatus",
		   "NCT91000042: not a recruitment status: \"OPEN\"");
	free(a);
	free(b);
	free(c);
}

Test(json_errors, truncated_document_gives_janssons_line_and_column)
{
	struct run r;

	/* line 3 holds 4 spaces, "identificationModule" (22 with its
	 * quotes), ':', ' ', '{': 29 characters, then the input ends */
	read_str("{\n  \"protocolSection\": {\n    \"identificationModule\": {",
		 &r);
	cr_expect_str_eq(r.seq, "E");
	expect_err(&r.err[0], CTM_EPARSE, 3, 29, "",
		   "string or '}' expected near end of file");

	/* cut inside a string on line 2 after 12 characters */
	read_str("{\"protocolSection\":\n  {\"identifi", &r);
	cr_expect_str_eq(r.seq, "E");
	expect_err(&r.err[0], CTM_EPARSE, 2, 12, "",
		   "premature end of input near '\"identifi'");
}

Test(json_errors, syntax_error_ends_a_pretty_document_without_cascade)
{
	size_t len;
	char *s = tu_read_file(tu_fixture("json/NCT91000001.json"), &len);
	char *at;
	struct run r;

	cr_assert_not_null(s);
	/* drop the comma after "nctId": "NCT91000001", (line 4) */
	at = strstr(s, "\"NCT91000001\",");
	cr_assert_not_null(at);
	at[strlen("\"NCT91000001\"")] = ' ';
	read_mem(s, len, &r);
	cr_expect_str_eq(r.seq, "E");
	cr_expect_eq(r.err[0].code, CTM_EPARSE);
	cr_expect_eq(r.err[0].line, 5); /* where the next key is met */
	cr_expect_str_eq(r.err[0].message,
			 "'}' expected near '\"orgStudyIdInfo\"'");
	free(s);
}

Test(json_errors, syntax_error_in_an_array_keeps_what_came_before)
{
	char *a = study("NCT91000041", ""), *c = study("NCT91000043", ""),
	     doc[1024];
	struct run r;

	snprintf(doc, sizeof(doc),
		 "[\n%s,\n{\"protocolSection\": {\"x\": 1 2}},\n%s\n]", a, c);
	read_str(doc, &r);
	cr_expect_str_eq(r.seq, "TE");
	expect_err(&r.err[0], CTM_EPARSE, 3, 29, "", "'}' expected near '2'");
	free(a);
	free(c);
}

Test(json_errors, ndjson_goes_on_at_the_next_line)
{
	char *a = study("NCT91000041", ""), *c = study("NCT91000043", ""),
	     *d = study("NCT91000044", ""), doc[2048];
	struct run r;

	/* line 2 cut short: jansson reads on into line 3 and fails there;
	 * line 3 is still read, as are the lines after a bad line 4, a
	 * non-study object on line 5 and an empty object on line 6 */
	snprintf(
		doc, sizeof(doc),
		"%s\n{\"protocolSection\":{\"identificationModule\":{"
		"\"nctId\":\"NCT91000042\"\n%s\nhello\n{\"age\": 61}\n{}\n%s\n",
		a, c, d);
	read_str(doc, &r);
	cr_expect_str_eq(r.seq, "TETEEET");
	cr_expect_str_eq(r.ids[0], "NCT91000041");
	cr_expect_str_eq(r.ids[1], "NCT91000043");
	cr_expect_str_eq(r.ids[2], "NCT91000044");
	expect_err(&r.err[0], CTM_EPARSE, 3, 1, "", "'}' expected near '{'");
	expect_err(&r.err[1], CTM_EPARSE, 4, 1, "",
		   "a JSON object or array expected near 'h'");
	expect_err(&r.err[2], CTM_EPARSE, 5, 1, "",
		   "not a ClinicalTrials.gov study: no \"protocolSection\" "
		   "(API v2), \"studies\" (search response) or "
		   "\"FullStudiesResponse\" (classic API)");
	cr_expect_eq(r.err[3].line, 6);
	free(a);
	free(c);
	free(d);
}

Test(json_errors, strings_jansson_refuses)
{
	static const char *const docs[] = {
		/* NUL in a string, a bad UTF-8 byte, a bare control char */
		"{\"protocolSection\":{\"identificationModule\":{\"nctId\":"
		"\"NCT910\\u000000\"}}}",
		"{\"protocolSection\":{\"identificationModule\":{\"nctId\":"
		"\"NCT9100\xff"
		"0040\"}}}",
		"{\"protocolSection\":{\"identificationModule\":{\"nctId\":"
		"\"NCT9100\x01"
		"0040\"}}}",
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		read_str(docs[i], &r);
		cr_expect_str_eq(r.seq, "E", "doc %zu", i);
		cr_expect_eq(r.err[0].code, CTM_EPARSE, "doc %zu", i);
		cr_expect_eq(r.err[0].line, 1, "doc %zu", i);
	}
}

Test(json_errors, not_a_registry_format_is_refused)
{
	static const struct {
		const char *doc, *seq, *message;
	} rows[] = {
		{"{\"metadata\":{\"export_date\":\"2026-01-05T18:29:13\"},"
		 "\"trials\":[{\"nct_id\":\"NCT00034216\",\"eligibility\":{"
		 "\"raw_text\":\"x\"}}]}",
		 "E",
		 "not a ClinicalTrials.gov record: a derived export "
		 "(\"nct_id\", \"eligibility.raw_text\"), not registry data; "
		 "download API v2 JSON from ClinicalTrials.gov"},
		{"[{\"nct_id\":\"NCT00034216\"},{\"nct_id\":\"NCT00034217\"}]",
		 "E",
		 "not a ClinicalTrials.gov record: a derived export "
		 "(\"nct_id\", \"eligibility.raw_text\"), not registry data; "
		 "download API v2 JSON from ClinicalTrials.gov"},
		{"{\"StudyFieldsResponse\":{\"APIVrs\":\"1.01.05\"}}", "E",
		 "classic ClinicalTrials.gov API study-fields JSON (retired "
		 "2024) holds no full records; download API v2 JSON"},
		{"{\"age\": 61, \"sex\": \"male\"}", "E",
		 "not a ClinicalTrials.gov study: no \"protocolSection\" (API "
		 "v2), \"studies\" (search response) or "
		 "\"FullStudiesResponse\" (classic API)"},
		{"{\"derivedSection\":{}}", "E",
		 "not a ClinicalTrials.gov study: no \"protocolSection\""},
		{"{\"studies\":{}}", "E", "\"studies\" is not an array"},
		{"", "E", "empty document: no JSON value"},
		{" \n\t ", "E", "empty document: no JSON value"},
		{"42", "E", "a JSON object or array expected near '4'"},
		{"\"NCT91000040\"", "E",
		 "a JSON object or array expected near '\"'"},
		{"<clinical_study/>", "E",
		 "a JSON object or array expected near '<'"},
		{"{", "E", "premature end of input: '}' expected"},
		{"[", "E", "premature end of input: ']' expected"},
	};
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		read_str(rows[i].doc, &r);
		cr_expect_str_eq(r.seq, rows[i].seq, "%s", rows[i].doc);
		cr_expect_eq(r.err[0].code, CTM_EPARSE, "%s", rows[i].doc);
		cr_expect_str_eq(r.err[0].message, rows[i].message, "%s",
				 rows[i].doc);
	}
}

Test(json_errors, bounds)
{
	size_t n = CTM_MAX_LIST_ITEMS + 1, i, len;
	char *doc, *p;
	struct run r;

	/* 20,001 conditions */
	doc = malloc(n * 4 + 256);
	cr_assert_not_null(doc);
	p = doc + sprintf(doc, "{\"protocolSection\":{\"identificationModule\""
			       ":{\"nctId\":\"NCT91000040\"},"
			       "\"conditionsModule\":{\"conditions\":[");
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s\"c\"", i ? "," : "");
	strcpy(p, "]}}}");
	read_str(doc, &r);
	cr_expect_str_eq(r.seq, "E");
	expect_err(&r.err[0], CTM_ELIMIT, 1, 1,
		   "protocolSection.conditionsModule.conditions",
		   "NCT91000040: 20001 items exceed the limit of 20000");
	free(doc);

	/* criteria text one byte over 1 MiB */
	len = CTM_MAX_TEXT_BYTES + 1;
	doc = malloc(len + 256);
	cr_assert_not_null(doc);
	p = doc + sprintf(doc, "{\"protocolSection\":{\"identificationModule\""
			       ":{\"nctId\":\"NCT91000040\"},"
			       "\"eligibilityModule\":{\"eligibilityCriteria\""
			       ":\"");
	memset(p, 'x', len);
	strcpy(p + len, "\"}}}");
	read_str(doc, &r);
	cr_expect_str_eq(r.seq, "E");
	expect_err(&r.err[0], CTM_ELIMIT, 1, 1,
		   "protocolSection.eligibilityModule.eligibilityCriteria",
		   "NCT91000040: text of 1048577 bytes exceeds the limit of "
		   "1048576 bytes");
	free(doc);
}

Test(json_errors, a_study_over_the_record_bound_is_skipped_in_ndjson)
{
	size_t big = CTM_MAX_RECORD_BYTES + 100, len;
	char *dir = tu_tmpdir(), path[4096];
	char *doc = malloc(2 * big), *p, *ok = study("NCT91000041", "");
	struct run r;

	cr_assert_not_null(doc);
	cr_assert_not_null(dir);
	/* line 1: a study of more than 16 MiB (white space, which jansson
	 * reads fastest, before its last brace); line 2: one of the usual
	 * size */
	p = doc + sprintf(doc, "{\"protocolSection\":{\"identificationModule\""
			       ":{\"nctId\":\"NCT91000040\"}}");
	memset(p, ' ', big);
	p += big;
	p += sprintf(p, "}\n%s\n", ok);
	len = (size_t)(p - doc);

	read_mem(doc, len, &r);
	cr_expect_str_eq(r.seq, "ET");
	cr_expect_str_eq(r.ids[0], "NCT91000041");
	expect_err(&r.err[0], CTM_ELIMIT, 1, 1, "",
		   "a JSON value of more than 16777216 bytes starts here (the "
		   "limit for one study)");

	snprintf(path, sizeof(path), "%s/big.ndjson", dir);
	cr_assert_eq(tu_write_file(path, doc, len), 0);
	read_file(path, &r);
	cr_expect_str_eq(r.seq, "ET");
	cr_expect_str_eq(r.ids[0], "NCT91000041");
	cr_expect_eq(r.err[0].code, CTM_ELIMIT);
	cr_expect_eq(r.err[0].line, 1);

	/* in an array the document ends there: "[" line 1 "," line 2 "]" */
	memmove(doc + 1, doc, len);
	doc[0] = '[';
	p = strchr(doc, '\n');
	*p = ',';
	doc[len + 1] = ']';
	read_mem(doc, len + 2, &r);
	cr_expect_str_eq(r.seq, "E");
	cr_expect_eq(r.err[0].code, CTM_ELIMIT);
	free(doc);
	free(ok);
}

Test(json_errors, files_that_cannot_be_read)
{
	ctm_json_reader *r = (ctm_json_reader *)1;
	char *dir = tu_tmpdir(), path[4096];
	ctm_error e;

	cr_assert_not_null(dir);
	snprintf(path, sizeof(path), "%s/absent.json", dir);
	cr_expect_eq(ctm_json_open_file(&r, path, &e), CTM_EIO);
	cr_expect_null(r);
	cr_expect_str_eq(e.file, path);
	cr_expect_str_eq(e.message, "cannot open: No such file or directory");
	cr_expect_eq(ctm_json_open_file(&r, dir, &e), CTM_EIO);
	cr_expect_str_eq(e.message, "is a directory, not a JSON file");
	ctm_json_close(NULL);
}
