/*
 * fuzz_segment.c - ctm_criteria_segment() on arbitrary bytes.
 *
 * The input is taken as one C string (cut at the first NUL). Beyond not
 * crashing, checks the promises callers rely on: at most 2000 segments,
 * each with a non-empty text and a known section.
 */
#include <ctm/parsers.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ctm_arena *a;
	ctm_segment *s;
	ctm_error err;
	size_t n, i;
	char *text;

	if (size > CTM_MAX_TEXT_BYTES)
		return 0;
	text = malloc(size + 1);
	a = ctm_arena_new();
	if (!text || !a)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (ctm_criteria_segment(text, a, &s, &n, &err) != 0)
		abort();
	if (n > 2000)
		abort();
	for (i = 0; i < n; i++)
		if (!s[i].text || !s[i].text[0] ||
		    s[i].section > CTM_SECTION_EXCLUSION ||
		    (s[i].heading && !s[i].heading[0]))
			abort();
	ctm_arena_free(a);
	free(text);
	return 0;
}
