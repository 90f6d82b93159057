/*
 * fuzz_profile.c - ctm_profile_parse() on arbitrary bytes: parse one
 * profile, touch every string and list it holds, free it. The error, when
 * there is one, must be formattable.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ctm/parsers.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t len_of(const char *s)
{
	return s ? strlen(s) : 0;
}

/* Written back, read again, written again: the same bytes. */
static void round_trip(const ctm_lexicon *lx, const ctm_profile *p)
{
	ctm_profile *q = NULL;
	char *a = NULL, *b = NULL;
	ctm_error err;

	if (ctm_profile_format_json(&a, p, lx, 0) != 0)
		return; /* out of memory */
	if (ctm_profile_parse(a, strlen(a), "written.json", lx, 20240615, &q,
			      &err) != 0)
		abort(); /* what was written does not read */
	if (ctm_profile_format_json(&b, q, lx, 0) != 0) {
		ctm_profile_free(q);
		free(a);
		return;
	}
	if (strcmp(a, b) != 0)
		abort(); /* read back as another profile */
	free(b);
	ctm_profile_free(q);
	free(a);
}

/* Reads every string and list of p, so ASan checks each. */
static size_t touch(const ctm_profile *p)
{
	size_t n = len_of(p->id) + len_of(p->diagnosis) +
		   len_of(p->stage_text) + len_of(p->country) +
		   len_of(p->state) + len_of(p->city) + len_of(p->zip);
	size_t i;

	for (i = 0; i < p->n_sites; i++)
		n += p->sites[i];
	for (i = 0; i < p->n_biomarkers; i++)
		n += len_of(p->biomarkers[i].name) +
		     len_of(p->biomarkers[i].variant_text) +
		     p->biomarkers[i].gene + p->biomarkers[i].variant;
	for (i = 0; i < p->n_therapies; i++)
	n += len_of(p->therapies[i].name) + p->therapies[i].concept;
	for (i = 0; i < p->n_warnings; i++)
		n += len_of(p->warnings[i]);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ctm_lexicon *lx; /* built once, kept for the process */
	ctm_profile *p = NULL;
	ctm_error err;
	char buf[CTM_ERROR_MSG_MAX + CTM_ERROR_FILE_MAX + 128];
	volatile size_t sink;

	if (!lx && ctm_lexicon_new(&lx, &err) != 0)
		return 0;
	if (ctm_profile_parse((const char *)data, size, "fuzz.json", lx,
			      20240615, &p, &err) == 0) {
		sink = touch(p);
		(void)sink;
		round_trip(lx, p);
		ctm_profile_free(p);
	} else {
		ctm_error_format(&err, buf, sizeof(buf));
	}
	return 0;
}
