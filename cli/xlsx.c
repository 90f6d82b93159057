/*
 * xlsx.c - the match list as an Excel workbook (libxlsxwriter): one sheet,
 * "Matches", with the CSV columns (spec/cli.md) and a patient column, a
 * frozen header row, an autofilter, column widths that fit, and the NCT
 * id as a link to the trial's page. Cells are written as strings and
 * numbers, never as formulas, so a text beginning with '=' stays text.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define N_COLS 21
#define MAX_WIDTH 60.0
#define MAX_CELL 32767 /* Excel's limit on a cell's text */

struct out_xlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *link;
	char path[4096]; /* the workbook's file */
	bool to_stdout;	 /* path is a temporary file copied to stdout */
	uint32_t row;
	double width[N_COLS];
};

static const char *const headers[N_COLS] = {
	"patient_id", "rank", "nct_id", "verdict", "score", "title", "phase",
	"overall_status", "met", "unknown", "to_check", "reasons", "site",
	"last_update", "change", "review", "url", "warnings",
	"previous_verdict", "previous_rank", "drop_reason"};

static void fit(out_xlsx *x, int col, const char *s)
{
	size_t n = 0;
	double w;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	w = (double)n + 2.0;
	if (w > MAX_WIDTH)
		w = MAX_WIDTH;
	if (w > x->width[col])
		x->width[col] = w;
}

/* A text cell: at most MAX_CELL bytes, CR LF as Excel's LF. */
static void text(out_xlsx *x, int col, const char *s)
{
	char *t;
	size_t i, k = 0;

	if (!s || !*s)
		return;
	t = malloc(strlen(s) + 1);
	if (!t)
		return;
	for (i = 0; s[i] && k < MAX_CELL; i++)
		if (s[i] != '\r' || s[i + 1] != '\n')
			t[k++] = s[i];
	/* cut short: never inside a UTF-8 character */
	if (s[i] && k && ((unsigned char)s[i] & 0xC0) == 0x80) {
		while (k && ((unsigned char)t[k - 1] & 0xC0) == 0x80)
			k--;
		if (k)
			k--; /* the lead byte */
	}
	t[k] = '\0';
	worksheet_write_string(x->ws, x->row, (lxw_col_t)col, t, NULL);
	fit(x, col, t);
	free(t);
}

static void number(out_xlsx *x, int col, double v, const char *shown)
{
	worksheet_write_number(x->ws, x->row, (lxw_col_t)col, v, NULL);
	fit(x, col, shown);
}

static void texts(out_xlsx *x, int col, const out_texts *t)
{
	char *s = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&s, &len);

	if (!m)
		return;
	for (i = 0; i < t->n; i++)
		fprintf(m, "%s%s", i ? "; " : "", t->v[i]);
	fclose(m);
	text(x, col, s);
	free(s);
}

int out_xlsx_open(out_xlsx **out, const char *path)
{
	out_xlsx *x = calloc(1, sizeof(*x));
	int fd, i;

	*out = NULL;
	if (!x)
		return CTM_ENOMEM;
	if (path) {
		snprintf(x->path, sizeof x->path, "%s", path);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(x->path, sizeof x->path, "%s/ctmatch-xlsx-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		fd = mkstemp(x->path);
		x->to_stdout = true;
	}
	/* created 0600 before the library writes it: it holds patient data */
	if (fd < 0) {
		free(x);
		return CTM_EIO;
	}
	close(fd);
	x->wb = workbook_new(x->path);
	x->ws = x->wb ? workbook_add_worksheet(x->wb, "Matches") : NULL;
	if (!x->ws) {
		if (x->wb)
			workbook_close(x->wb);
		if (x->to_stdout)
			unlink(x->path);
		free(x);
		return CTM_EIO;
	}
	x->bold = workbook_add_format(x->wb);
	format_set_bold(x->bold);
	x->link = workbook_add_format(x->wb);
	format_set_underline(x->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(x->link, LXW_COLOR_BLUE);
	for (i = 0; i < N_COLS; i++) {
		worksheet_write_string(x->ws, 0, (lxw_col_t)i, headers[i], x->bold);
		fit(x, i, headers[i]);
	}
	worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 1;
	*out = x;
	return 0;
}

void out_xlsx_rows(out_xlsx *x, const out_list *l)
{
	size_t i;
	char buf[64], url[64];

	for (i = 0; i < l->n; i++, x->row++) {
		const out_result *r = &l->results[i];
		text(x, 0, l->patient_id);
		if (r->rank) {
			snprintf(buf, sizeof buf, "%u", r->rank);
			number(x, 1, r->rank, buf);
		}
		out_url(r->nct_id, url, sizeof url);
		worksheet_write_url_opt(x->ws, x->row, 2, url, x->link, r->nct_id, NULL);
		fit(x, 2, r->nct_id);
		text(x, 3, r->verdict);
		snprintf(buf, sizeof buf, "%.2f", r->score);
		number(x, 4, r->score, buf);
		text(x, 5, r->title);
		text(x, 6, r->phase);
		text(x, 7, r->status);
		snprintf(buf, sizeof buf, "%u", r->met);
		number(x, 8, r->met, buf);
		snprintf(buf, sizeof buf, "%u", r->unknown);
		number(x, 9, r->unknown, buf);
		texts(x, 10, &r->to_check);
		texts(x, 11, &r->reasons);
		text(x, 12, r->site);
		text(x, 13, r->last_update);
		text(x, 14, r->change);
		snprintf(buf, sizeof buf, "%zu", r->review.n);
		number(x, 15, (double)r->review.n, buf);
		text(x, 16, url);
		texts(x, 17, &l->warnings);
		text(x, 18, r->prev_verdict);
		if (r->prev_rank) {
			snprintf(buf, sizeof buf, "%u", r->prev_rank);
			number(x, 19, r->prev_rank, buf);
		}
		text(x, 20, r->drop_reason);
	}
}

/* Copies the file at path to stdout. */
static int copy_out(const char *path)
{
	char buf[65536];
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc = 0;

	if (!f)
		return CTM_EIO;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			rc = CTM_EIO;
	if (ferror(f) || fflush(stdout))
		rc = CTM_EIO;
	fclose(f);
	return rc;
}

int out_xlsx_close(out_xlsx *x)
{
	int i, rc = 0;

	if (!x)
		return 0;
	for (i = 0; i < N_COLS; i++)
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, x->width[i], NULL);
	worksheet_autofilter(x->ws, 0, 0, x->row > 1 ? x->row - 1 : 1, N_COLS - 1);
	if (workbook_close(x->wb) != LXW_NO_ERROR)
		rc = CTM_EIO;
	if (x->to_stdout) {
		if (rc == 0)
			rc = copy_out(x->path);
		unlink(x->path);
	}
	free(x);
	return rc;
}
