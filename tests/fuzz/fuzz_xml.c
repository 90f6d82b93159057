/*
 * fuzz_xml.c - the legacy XML reader on arbitrary bytes: open from memory,
 * read every record (going on after rejected records, as ingest does),
 * touch every string of each trial, free everything.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ctm/parsers.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t len_of(const char *s)
{
	return s ? strlen(s) : 0;
}

/* Reads every string the trial points at, so ASan checks each. */
static size_t touch(const ctm_trial *t)
{
	size_t n = len_of(t->nct_id) + len_of(t->brief_title) +
		   len_of(t->official_title) + len_of(t->phase) +
		   len_of(t->study_type) + len_of(t->lead_sponsor) +
		   len_of(t->criteria_text);
	size_t i, j;

	for (i = 0; i < t->n_conditions; i++)
		n += len_of(t->conditions[i]);
	for (i = 0; i < t->n_keywords; i++)
		n += len_of(t->keywords[i]);
	for (i = 0; i < t->n_condition_mesh; i++)
		n += len_of(t->condition_mesh[i]);
	for (i = 0; i < t->n_interventions; i++) {
		const ctm_intervention *iv = &t->interventions[i];

		n += len_of(iv->type) + len_of(iv->name);
		for (j = 0; j < iv->n_other_names; j++)
			n += len_of(iv->other_names[j]);
	}
	for (i = 0; i < t->n_locations; i++) {
		const ctm_location *l = &t->locations[i];

		n += len_of(l->facility) + len_of(l->city) + len_of(l->state) +
		     len_of(l->zip) + len_of(l->country) + len_of(l->status);
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctm_xml_reader *r;
	ctm_trial *t;
	ctm_error err;
	volatile size_t sink = 0;
	int rc;

	if (ctm_xml_open_memory(&r, (const char *)data, size, "fuzz", &err))
		return 0;
	/* every call either ends the document or moves past a record */
	while ((rc = ctm_xml_next(r, &t, &err)) != 0) {
		if (rc > 0) {
			sink += touch(t);
			ctm_trial_free(t);
		} else {
			sink += strlen(err.message) + strlen(err.file);
		}
	}
	ctm_xml_close(r);
	(void)sink;
	return 0;
}
