/*
 * test_corpus.c - `ctmatch ingest` and `show` on the 7,127 real records of
 * ../shared/corpus/ctgov-xml (skipped when ../shared is absent): nothing is
 * rejected, and for a sample of 200 records criteria_text is libxml2's own
 * reading of the text block, byte for byte.
 */
#include "clitest.h"

#define CORPUS_RECORDS 7127 /* ../shared/README.md */
#define SAMPLE_EVERY   35
#define SAMPLE	       200

Test(corpus, ingest_rejects_nothing_and_criteria_text_is_exact, .timeout = 600)
{
	TU_REQUIRE_SHARED(corpus, "corpus/ctgov-xml");
	char dir[PATH_MAX], ids[SAMPLE * 13 + 1] = "";
	char *sample[SAMPLE];
	const char *db = ct_new_db();
	size_t n, i, k = 0, len = 0, nulls = 0, crs = 0;
	char **files;
	ct_run r = {0};
	json_t *a;

	snprintf(dir, sizeof dir, "%s", corpus);
	files = ct_xml_files(dir, &n);
	cr_assert_eq(n, CORPUS_RECORDS, "%zu files in %s", n, dir);

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, dir);
	cr_assert_eq(r.status, 0, "exit %d\n%.4000s", r.status, r.err);
	ct_assert_counts(&r, CORPUS_RECORDS, 0, 0, 0);
	cr_assert(ct_line_with(r.err, "rejected 0"), "%.4000s", r.err);
	cr_assert_str_eq(r.out, "");

	/* every 35th file, by name; its id from libxml2's reading */
	for (i = 0; i < n && k < SAMPLE; i += SAMPLE_EVERY) {
		xmlDocPtr doc = ct_xml_read(files[i]);
		char *id = ct_xml_field(doc, "/clinical_study/id_info/nct_id");

		cr_assert(id && strlen(id) == 11, "%s: no nct_id", files[i]);
		len += (size_t)snprintf(ids + len, sizeof ids - len, "%s ", id);
		free(id);
		xmlFreeDoc(doc);
		sample[k++] = files[i];
	}
	cr_assert_eq(k, SAMPLE);
	ct_run_cmd(&r, NULL, "show --db '%s' --format json %s", db, ids);
	cr_assert_eq(r.status, 0, "show: exit %d\n%.4000s", r.status, r.err);
	a = ct_json(r.out);
	cr_assert_eq(json_array_size(a), SAMPLE);
	for (i = 0; i < SAMPLE; i++) {
		json_t *t = json_array_get(a, i);
		json_t *v = json_object_get(t, "criteria_text");
		char *want = ct_xml_criteria(sample[i]);

		cr_assert(!strncmp(ct_jstr(t, "nct_id"), ids + i * 12, 11),
			  "show: %s out of order", ct_jstr(t, "nct_id"));
		cr_assert(v, "%s: no criteria_text", sample[i]);
		if (!want) {
			cr_assert(json_is_null(v),
				  "%s: criteria_text is not null", sample[i]);
			nulls++;
			continue;
		}
		cr_assert(json_is_string(v), "%s: criteria_text not a string",
			  sample[i]);
		cr_assert_eq(json_string_length(v), strlen(want),
			     "%s: %zu bytes, want %zu", sample[i],
			     json_string_length(v), strlen(want));
		cr_assert(memcmp(json_string_value(v), want, strlen(want)) == 0,
			  "%s: criteria_text differs", sample[i]);
		crs += strchr(want, '\r') != NULL;
		free(want);
	}
	/* the sample exercises both kinds of text block */
	cr_assert(crs > 0, "no text block with CR in the sample");
	cr_log_info("corpus: %zu of %d sampled records without criteria, %zu "
		    "with CR",
		    nulls, SAMPLE, crs);
	json_decref(a);
	ct_free_list(files);
	ct_run_free(&r);
}
