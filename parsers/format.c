/* format.c - telling record formats apart by content. */
#include <ctm/parsers.h>

#include <string.h>

ctm_format ctm_format_detect(const void *head, size_t len)
{
	const unsigned char *p = head;
	size_t i = 0;

	if (len >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return CTM_FORMAT_ZIP;
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
			   p[i] == '\n'))
		i++;
	if (i == len)
		return CTM_FORMAT_UNKNOWN;
	if (p[i] == '<')
		return CTM_FORMAT_XML;
	if (p[i] == '{' || p[i] == '[')
		return CTM_FORMAT_JSON;
	return CTM_FORMAT_UNKNOWN;
}
