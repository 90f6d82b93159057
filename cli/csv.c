/* csv.c - RFC 4180 output that spreadsheets open safely. */
#include "csv.h"

#include <string.h>

void csv_text(FILE *f, const char *s)
{
	int quote = 0, neutral = 0;
	const char *p;

	if (!s)
		s = "";
	if (strchr("=+-@\t\r", s[0]) && s[0])
		neutral = 1;
	for (p = s; *p; p++)
		if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n')
			quote = 1;
	if (quote)
		fputc('"', f);
	if (neutral)
		fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	if (quote)
		fputc('"', f);
}

void csv_number(FILE *f, double v)
{
	fprintf(f, "%.2f", v);
}

void csv_int(FILE *f, long v)
{
	fprintf(f, "%ld", v);
}

void csv_sep(FILE *f)
{
	fputc(',', f);
}

void csv_end(FILE *f)
{
	fputc('\n', f);
}
