/*
 * fuzz_roster.c - the profile reader over arbitrary bytes from memory
 * (ctm_profile_reader_open_memory): CSV rosters mostly (the seeds), but
 * whatever the first byte selects (JSON array, NDJSON) is read too. Reads
 * every profile, going on after bad ones as a batch does.
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

static size_t touch(const ctm_profile *p)
{
	size_t n = len_of(p->id) + len_of(p->diagnosis) +
		   len_of(p->stage_text) + len_of(p->country) +
		   len_of(p->state) + len_of(p->city) + len_of(p->zip);
	size_t i;

	for (i = 0; i < p->n_biomarkers; i++)
		n += len_of(p->biomarkers[i].name) +
		     len_of(p->biomarkers[i].variant_text);
	for (i = 0; i < p->n_therapies; i++)
		n += len_of(p->therapies[i].name);
	for (i = 0; i < p->n_warnings; i++)
		n += len_of(p->warnings[i]);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ctm_lexicon *lx; /* built once, kept for the process */
	ctm_profile_reader *r;
	ctm_profile *p;
	ctm_error err;
	char buf[CTM_ERROR_MSG_MAX + CTM_ERROR_FILE_MAX + 128];
	volatile size_t sink;
	int rc, calls = 0;

	if (!lx && ctm_lexicon_new(&lx, &err) != 0)
		return 0;
	if (ctm_profile_reader_open_memory(&r, (const char *)data, size,
					   "fuzz.csv", lx, 20240615,
					   &err) != 0) {
		ctm_error_format(&err, buf, sizeof(buf));
		return 0;
	}
	/* every call makes progress, so this ends; the bound is a guard */
	while ((rc = ctm_profile_reader_next(r, &p, &err)) != 0 &&
	       ++calls < 100000) {
		if (rc > 0) {
			sink = touch(p);
			(void)sink;
			ctm_profile_free(p);
		} else {
			ctm_error_format(&err, buf, sizeof(buf));
		}
	}
	ctm_profile_reader_close(r);
	return 0;
}
