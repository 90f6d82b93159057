/*
 * fuzz_record.c - the stored result record of a patient (cli/output.c,
 * out_record_decode): what a damaged or foreign index may hand back. A
 * record that decodes must encode to the same bytes.
 */
#include "../../cli/output.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	out_list l;
	ctm_error err;
	char *again = NULL;
	size_t len = 0;

	ctm_error_clear(&err);
	if (out_record_decode(&l, data, size, &err) != 0)
		return 0;
	if (out_record_encode(&l, &again, &len) == 0 &&
	    (len != size || memcmp(again, data, size) != 0))
		abort(); /* decode and encode disagree */
	free(again);
	out_list_free(&l);
	return 0;
}
