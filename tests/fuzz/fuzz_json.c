/*
 * fuzz_json.c - ClinicalTrials.gov JSON reader (ctm_json_*) on arbitrary
 * bytes: every study is read and freed until the document ends.
 */
#include <ctm/parsers.h>

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctm_json_reader *r;
	ctm_trial *t;
	ctm_error err;
	int rc, guard = 0;

	if (ctm_json_open_memory(&r, (const char *)data, size, "fuzz", &err))
		return 0;
	/* every call consumes input, so the guard is only a backstop */
	while ((rc = ctm_json_next(r, &t, &err)) != 0 && guard++ < 1000000) {
		if (rc > 0)
			ctm_trial_free(t);
	}
	ctm_json_close(r);
	return 0;
}
