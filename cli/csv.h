/* csv.h - RFC 4180 output that spreadsheets open safely. */
#ifndef CTM_CSV_H
#define CTM_CSV_H

#include <stdio.h>

/*
 * Writes one text field: quoted when it holds a comma, quote, CR or LF
 * (quotes doubled). A field that begins with '=', '+', '-', '@', a tab or
 * a CR is prefixed with an apostrophe so a spreadsheet shows it as text
 * instead of running it as a formula.
 */
void csv_text(FILE *f, const char *s);
/* Writes a number we formatted ourselves (never a formula). */
void csv_number(FILE *f, double v);
void csv_int(FILE *f, long v);
/* Separators: a comma between fields, "\n" at the end of a row. */
void csv_sep(FILE *f);
void csv_end(FILE *f);

#endif
