/*
 * report.c - `ctmatch report`: what a coordinator reads each morning, as
 * one self-contained HTML file (no network, no external assets, no
 * script; prints on A4 and Letter). For the whole last batch run, with a
 * contents list by patient, for some patients of it (--id), or for one
 * profile matched now (--patient FILE), compared with that patient's own
 * previous stored list.
 *
 * Everything that comes from a trial record or a profile goes through
 * html_text()/html_attr(): a title holding <script> shows as text.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- escaping ---- */

static void html_text(FILE *f, const char *s)
{
	while (s && *s) {
		size_t run = strcspn(s, "&<>\"'\r");
		if (run)
			fwrite(s, 1, run, f);
		s += run;
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		case '\r': break;
		default: return; /* the end */
		}
		s++;
	}
}

/* An href: only our own ClinicalTrials.gov address is ever written. */
static void html_link(FILE *f, const char *nct)
{
	char url[64];

	fputs("<a href=\"", f);
	html_text(f, out_url(nct, url, sizeof url));
	fputs("\">", f);
	html_text(f, nct);
	fputs("</a>", f);
}

static const char style[] =
	"@page{margin:14mm 12mm}"
	"body{font:10pt/1.4 'DejaVu Sans',Arial,sans-serif;color:#111;"
	"max-width:62em;margin:0 auto;padding:0 1em}"
	"h1{font-size:16pt;margin:.4em 0}h2{font-size:13pt;margin:1em 0 .3em;"
	"border-bottom:2px solid #333}h3{font-size:11pt;margin:.8em 0 .2em}"
	"h4{font-size:10.5pt;margin:0 0 .2em}"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;"
	"padding:2px 6px;border-bottom:1px solid #ccc;vertical-align:top}"
	"td.n,th.n{text-align:right}"
	"section.patient{break-before:page;page-break-before:always}"
	"article.trial{break-inside:avoid;page-break-inside:avoid;"
	"border-top:1px solid #999;padding:.4em 0}"
	".meta{color:#333;margin:.1em 0}"
	".verdict{font-weight:bold}.v-eligible{color:#05612a}"
	".v-possible{color:#7a4b00}.v-ineligible{color:#8b0000}"
	".change{font-style:italic}.unread{background:#f3f3f3;padding:.2em .5em}"
	".warnings{border:1px solid #b00;padding:.2em .5em}"
	"ul{margin:.1em 0 .3em 1.2em;padding:0}q{quotes:'\\201C' '\\201D'}"
	"a{color:#0645ad}@media print{a{color:#111;text-decoration:none}}";

/* ---- one patient ---- */

/*
 * Unread criteria about the disease, biomarkers or prior therapy come
 * first: they decide most verdicts once read (the coordinator reads
 * them before logistics and consent wording).
 */
static int unread_rank(const char *text)
{
	static const char *const words[] = {
		"cancer", "carcinoma", "tumor", "tumour", "metasta", "malignan",
		"adenocarcinoma", "stage", "histolog", "mutation", "mutant",
		"wild-type", "wild type", "kras", "nras", "braf", "her2", "msi",
		"mmr", "dmmr", "pmmr", "egfr", "anti-egfr", "alk", "ros1",
		"pd-l1", "biomarker", "express", "amplif", "fusion", "prior",
		"previous", "therapy", "therap", "treatment", "treated",
		"chemotherapy", "regimen", "line", "radiotherapy", "surgery",
		"resect", "inhibitor", "antibody"};
	size_t i, k;

	/* the words are matched at the start of a word of the text */
	for (i = 0; text[i]; i++) {
		unsigned char c = (unsigned char)text[i] | 0x20;
		if (i && ((unsigned char)text[i - 1] | 0x20) >= 'a' &&
		    ((unsigned char)text[i - 1] | 0x20) <= 'z')
			continue;
		for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (words[k][0] == c && !strncasecmp(text + i, words[k], strlen(words[k])))
				return 0;
	}
	return 1;
}

static void list_texts(FILE *f, const char *title, const out_texts *t, bool quote)
{
	size_t i;

	if (!t->n)
		return;
	fprintf(f, "<div><b>%s</b><ul>", title);
	for (i = 0; i < t->n; i++) {
		fputs(quote ? "<li><q>" : "<li>", f);
		html_text(f, t->v[i]);
		fputs(quote ? "</q></li>" : "</li>", f);
	}
	fputs("</ul></div>", f);
}

static void put_unread(FILE *f, const out_result *x)
{
	char first[256]; /* unread_rank() of the first items, computed once */
	size_t i, n = x->review.n < sizeof first ? x->review.n : sizeof first;
	int pass;

	if (!x->review.n)
		return;
	fprintf(f, "<div class=\"unread\"><b>Not read by ctmatch (%zu): for the "
		   "coordinator</b><ul>", x->review.n);
	for (i = 0; i < n; i++)
		first[i] = (char)unread_rank(x->review.v[i]);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < x->review.n; i++) {
			int rank = i < n ? first[i] : unread_rank(x->review.v[i]);
			if (rank != pass)
				continue;
			fputs("<li>", f);
			if (i < x->review_sections.n) {
				fputc('[', f);
				html_text(f, x->review_sections.v[i]);
				fputs("] ", f);
			}
			html_text(f, x->review.v[i]);
			fputs("</li>", f);
		}
	}
	fputs("</ul></div>", f);
}

static void put_change(FILE *f, const out_result *x)
{
	if (!x->change)
		return;
	fputs("<p class=\"change\">", f);
	if (!strcmp(x->change, "changed") && x->prev_verdict) {
		fputs("Changed since the previous list: was ", f);
		html_text(f, x->prev_verdict);
		if (x->prev_rank)
			fprintf(f, ", rank %u", x->prev_rank);
		fputs(".", f);
	} else if (!strcmp(x->change, "new")) {
		fputs("New since the previous list.", f);
	} else {
		fputs("Same as in the previous list.", f);
	}
	fputs("</p>", f);
}

static void put_trial(FILE *f, const out_result *x)
{
	fprintf(f, "<article class=\"trial\"><h4>%u. ", x->rank);
	html_link(f, x->nct_id);
	fputs(" &mdash; ", f);
	html_text(f, x->title);
	fputs("</h4><p class=\"meta\">", f);
	html_text(f, x->phase[0] ? x->phase : "phase not given");
	fputs(" &middot; ", f);
	html_text(f, x->status);
	if (x->study_type[0]) {
		fputs(" &middot; ", f);
		html_text(f, x->study_type);
	}
	fputs("<br>Best site: ", f);
	html_text(f, x->site[0] ? x->site : "none recruiting near the patient");
	fprintf(f, "</p><p><span class=\"verdict v-%s\">", x->verdict);
	html_text(f, x->verdict);
	fprintf(f, "</span> &middot; score %.2f (criteria met %+.2f, unknown "
		   "%+.2f, specific requirements %+.2f, status %+.2f, site %+.2f)"
		   " &middot; met %u, unknown %u, review %zu</p>",
		x->score, x->s_met, x->s_unknown, x->s_specificity, x->s_status,
		x->s_site, x->met, x->unknown, x->review.n);
	put_change(f, x);
	/* a trial not ineligible lists only the cohorts that bar the
	 * patient (spec/matching.md) */
	list_texts(f,
		   strcmp(x->verdict, "ineligible")
			   ? "Cohorts that bar the patient"
			   : "Why not",
		   &x->reasons, true);
	list_texts(f, "To check", &x->to_check, false);
	put_unread(f, x);
	fputs("</article>\n", f);
}

/* A fact and the possible trials it is unknown in. */
typedef struct need {
	const char *fact; /* owned */
	size_t trials;	/* possible trials that wait for it */
	size_t settles; /* of them, those that wait for nothing else */
} need;

static int need_cmp(const void *pa, const void *pb)
{
	const need *a = pa, *b = pb;

	if (a->settles != b->settles)
		return a->settles > b->settles ? -1 : 1;
	if (a->trials != b->trials)
		return a->trials > b->trials ? -1 : 1;
	return strcmp(a->fact, b->fact);
}

/*
 * The facts one trial waits for: its unknown criteria's facts, split at
 * "; ", "no X result" read as "X", each once. Into v (malloc'd copies).
 */
static size_t facts_of(const out_result *x, char **v, size_t max)
{
	size_t i, n = 0, k;

	for (i = 0; i < x->missing.n; i++) {
		const char *p = x->missing.v[i];
		while (*p && n < max) {
			size_t len = strcspn(p, ";");
			const char *q = p;
			char *one;
			if (len > 10 && !strncmp(q, "no ", 3) &&
			    !strncmp(q + len - 7, " result", 7)) {
				q += 3;
				len -= 10;
			}
			/* an unread part (the matcher's "not read") waits for
			 * the coordinator, not for a fact */
			if (len == 8 && !strncmp(q, "not read", 8)) {
				q = "a reading of the criteria ctmatch could not read";
				len = strlen(q);
			}
			one = strndup(q, len);
			if (!one)
				break;
			for (k = 0; k < n && strcmp(v[k], one); k++)
				;
			if (k < n)
				free(one);
			else
				v[n++] = one;
			p += strcspn(p, ";");
			while (*p == ';' || *p == ' ')
				p++;
		}
	}
	return n;
}

/*
 * What to collect next: the facts unknown across the patient's possible
 * trials, by how many verdicts each would settle on its own (the trials
 * waiting for that fact alone), then by how many trials wait for it.
 */
static void put_needs(FILE *f, const out_list *l)
{
	need *v = NULL;
	size_t n = 0, cap = 0, i, j, k;

	for (i = 0; i < l->n; i++) {
		const out_result *x = &l->results[i];
		char *facts[64];
		size_t nf;
		if (!x->rank || strcmp(x->verdict, "possible"))
			continue;
		nf = facts_of(x, facts, 64);
		for (j = 0; j < nf; j++) {
			for (k = 0; k < n && strcmp(v[k].fact, facts[j]); k++)
				;
			if (k == n) {
				if (n == cap) {
					need *w;
					size_t c2 = cap ? cap * 2 : 16;
					w = realloc(v, c2 * sizeof(*v));
					if (!w)
						continue;
					v = w;
					cap = c2;
				}
				v[n].fact = facts[j];
				facts[j] = NULL; /* kept */
				v[n].trials = v[n].settles = 0;
				n++;
			}
			v[k].trials++;
			v[k].settles += nf == 1;
		}
		for (j = 0; j < nf; j++)
			free(facts[j]);
	}
	fputs("<h3>What to collect next</h3>", f);
	if (!n) {
		fputs("<p>Nothing: no possible trial waits for a fact.</p>", f);
		free(v);
		return;
	}
	qsort(v, n, sizeof(*v), need_cmp);
	fputs("<ol class=\"needs\">", f);
	for (i = 0; i < n; i++) {
		fputs("<li>", f);
		html_text(f, v[i].fact);
		fprintf(f, ": settles %zu trial%s", v[i].settles,
			v[i].settles == 1 ? "" : "s");
		if (v[i].trials != v[i].settles)
			fprintf(f, " (needed by %zu)", v[i].trials);
		fputs("</li>", f);
	}
	fputs("</ol>", f);
	for (i = 0; i < n; i++)
		free((char *)v[i].fact);
	free(v);
}

static void put_changes(FILE *f, const out_list *l, bool compared)
{
	size_t i, nn = 0, nc = 0, nd = 0;

	fputs("<h3>What changed since the previous list</h3>", f);
	if (!compared) {
		fputs("<p>No previous list for this patient.</p>", f);
		return;
	}
	for (i = 0; i < l->n; i++) {
		const char *c = l->results[i].change;
		nn += c && !strcmp(c, "new");
		nc += c && !strcmp(c, "changed");
		nd += c && !strcmp(c, "dropped");
	}
	fprintf(f, "<p class=\"changes\">%zu new, %zu changed, %zu no longer "
		   "listed.</p>", nn, nc, nd);
	if (!nn && !nc && !nd)
		return;
	fputs("<ul class=\"changes\">", f);
	for (i = 0; i < l->n; i++) {
		const out_result *x = &l->results[i];
		if (!x->change || !strcmp(x->change, "same"))
			continue;
		fputs("<li>", f);
		html_link(f, x->nct_id);
		fputc(' ', f);
		if (!strcmp(x->change, "new")) {
			fputs("new: ", f);
			html_text(f, x->verdict);
			fprintf(f, ", rank %u", x->rank);
		} else if (!strcmp(x->change, "changed")) {
			fputs("changed: ", f);
			html_text(f, x->prev_verdict ? x->prev_verdict : "");
			if (x->prev_rank)
				fprintf(f, " (rank %u)", x->prev_rank);
			fputs(" &rarr; ", f);
			html_text(f, x->verdict);
			fprintf(f, " (rank %u)", x->rank);
		} else {
			fputs("no longer listed: was ", f);
			html_text(f, x->prev_verdict ? x->prev_verdict : x->verdict);
			if (x->prev_rank)
				fprintf(f, ", rank %u", x->prev_rank);
			fputs(". Why: ", f);
			html_text(f, x->drop_reason ? x->drop_reason : "not recorded");
		}
		fputs("</li>", f);
	}
	fputs("</ul>", f);
}

static void verdict_counts(const out_list *l, size_t c[3])
{
	size_t i;

	c[0] = c[1] = c[2] = 0;
	for (i = 0; i < l->n; i++) {
		const char *v = l->results[i].verdict;
		if (!l->results[i].rank)
			continue;
		c[!strcmp(v, "eligible") ? 0 : !strcmp(v, "possible") ? 1 : 2]++;
	}
}

static void put_patient(FILE *f, const out_list *l, size_t anchor, bool compared)
{
	size_t i, c[3];

	verdict_counts(l, c);
	fprintf(f, "<section class=\"patient\" id=\"p%zu\"><h2>Patient ", anchor);
	html_text(f, l->patient_id);
	fprintf(f, "</h2><p>%zu eligible, %zu possible, %zu ineligible listed.</p>",
		c[0], c[1], c[2]);
	if (l->warnings.n) {
		fputs("<div class=\"warnings\"><b>The profile had warnings</b><ul>", f);
		for (i = 0; i < l->warnings.n; i++) {
			fputs("<li>", f);
			html_text(f, l->warnings.v[i]);
			fputs("</li>", f);
		}
		fputs("</ul></div>", f);
	}
	put_needs(f, l);
	put_changes(f, l, compared);
	fputs("<h3>Trials</h3>", f);
	if (!c[0] && !c[1] && !c[2])
		fputs("<p>No trial listed.</p>", f);
	for (i = 0; i < l->n; i++)
		if (l->results[i].rank)
			put_trial(f, &l->results[i]);
	fputs("</section>\n", f);
}

static void put_head(FILE *f, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\">"
	      "<title>", f);
	html_text(f, title);
	fprintf(f, "</title><style>%s</style></head><body>\n", style);
}

/* ---- the command ---- */

typedef struct rpt {
	ctm_index *idx;
	FILE *out;
	out_filter filter;
	const char *const *ids;
	size_t n_ids;
	out_list *lists; /* the patients of the run, in id order */
	size_t n, cap;
	int status;
	bool show_values; /* --show-values */
} rpt;

static int collect(void *ctx, const char *patient, const void *data, size_t len)
{
	rpt *r = ctx;
	ctm_error err;
	size_t i;

	if (r->n_ids) {
		for (i = 0; i < r->n_ids && strcmp(r->ids[i], patient); i++)
			;
		if (i == r->n_ids)
			return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		out_list *v = realloc(r->lists, cap * sizeof(*v));
		if (!v)
			return CTM_ENOMEM;
		r->lists = v;
		r->cap = cap;
	}
	ctm_error_clear(&err);
	if (out_record_decode(&r->lists[r->n], data, len, &err)) {
		fprintf(stderr, "ctmatch report: patient %s: %s\n", patient, err.message);
		if (r->status < CTM_EXIT_REJECTED)
			r->status = CTM_EXIT_REJECTED;
		return err.code == CTM_ENOMEM ? CTM_ENOMEM : 0;
	}
	out_filter_apply(&r->lists[r->n], &r->filter, false);
	r->n++;
	return 0;
}

static void report_help(FILE *f)
{
	fprintf(f,
		"usage: ctmatch report [--db PATH] [--out FILE] [--id ID]...\n"
		"       ctmatch report [--db PATH] [--out FILE] --patient FILE [MATCH OPTIONS]\n"
		"\n"
		"Writes one self-contained HTML file (no network, no scripts; prints on\n"
		"A4 and Letter) for a coordinator: for each patient each trial with its\n"
		"title, phase, status, best site and link, verdict, score and its parts,\n"
		"met, unknown and review counts, the reasons quoting the criteria, what\n"
		"to check, the criteria not read, and what changed since that patient's\n"
		"previous list; and per patient what to collect next.\n"
		"\n"
		"  (no --id, no --patient)  every patient of the last batch run, with a\n"
		"                     contents list\n"
		"  --id ID            this patient of the last batch run (repeatable)\n"
		"  --patient FILE     match this profile now (as ctmatch match) and\n"
		"                     compare it with the patient's last stored list\n"
		"  --limit N, --include-ineligible, --all-statuses, --today YYYY-MM-DD,\n"
		"  --lexicon FILE, --show-values   with --patient, as for ctmatch\n"
		"                     match\n"
		"  --phase P          only trials of phase P (2, \"Phase 2\", early1, n/a;\n"
		"                     repeatable)\n"
		"  --study-type T     only trials of that study type (interventional)\n"
		"  --country C        only trials whose best site is in country C\n"
		"  --out FILE         write there (created 0600), not to stdout\n"
		"  --db PATH          the index (default: $CTMATCH_DB, else ./ctmatch.lmdb)\n"
		"\n"
		"Exit status: 0 done; 1 some --id had no stored list; 2 usage error;\n"
		"3 the index or a file could not be opened or written, or no batch run.\n");
}

/* Opens FILE for writing, created 0600 (it holds patient data). */
static FILE *open_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return NULL;
	fchmod(fd, 0600);
	return fdopen(fd, "w");
}

/* --patient FILE: matched now, compared with the patient's last list. */
static int report_one(rpt *r, const char *path, const mj_options *mo,
		      char **lexfiles, size_t n_lex, bool *compared)
{
	ctm_lexicon *lx = cli_lexicon("report", lexfiles, n_lex);
	ctm_profile_reader *pr = NULL;
	ctm_profile *p = NULL;
	ctm_matcher *m = NULL;
	uint64_t *hist = NULL;
	size_t n_hist = 0;
	out_list prev;
	out_counts c = {0};
	out_drop_ctx d;
	mj_job job;
	cli_diagnoses dx = {NULL, NULL};
	ctm_error err;
	int status = CTM_EXIT_OK, rc;

	memset(&prev, 0, sizeof prev);
	memset(&job, 0, sizeof job);
	*compared = false;
	if (!lx)
		return CTM_EXIT_USAGE;
	ctm_error_clear(&err);
	if (cli_diagnoses_new("report", lx, &dx)) {
		status = CTM_EXIT_IO;
		goto done;
	}
	if (ctm_profile_reader_open(&pr, path, lx, mo->today, &err) == 0) {
		ctm_profile_reader_set_flags(pr, cli_profile_flags(r->show_values));
		ctm_profile_reader_set_criteria(pr, dx.ctx);
	}
	if (!pr || (rc = ctm_profile_reader_next(pr, &p, &err)) < 0) {
		cli_report("report", &err);
		status = err.code == CTM_EIO || err.code == CTM_ENOTFOUND
				 ? CTM_EXIT_IO : CTM_EXIT_REJECTED;
		goto done;
	}
	if (rc == 0) {
		fprintf(stderr, "ctmatch report: %s: no patient profile\n", path);
		status = CTM_EXIT_REJECTED;
		goto done;
	}
	if ((status = out_run_history("report", r->idx, 0, &hist, &n_hist)))
		goto done;
	if (ctm_matcher_new(&m, lx, &err) ||
	    mj_run(r->idx, m, lx, p, mo, NULL, &job, &err) ||
	    out_previous_list(r->idx, hist, n_hist, p->id, &prev, compared, &err)) {
		cli_report("report", &err);
		status = CTM_EXIT_IO;
		goto done;
	}
	r->lists = calloc(1, sizeof(*r->lists));
	if (!r->lists || out_from_job(&r->lists[0], p, &job, mo->limit, false)) {
		fprintf(stderr, "ctmatch report: out of memory\n");
		status = CTM_EXIT_IO;
		goto done;
	}
	r->n = 1;
	d.idx = r->idx;
	d.m = m;
	d.p = p;
	d.mo = mo;
	d.n_now = r->lists[0].n;
	if (out_mark_changes(&r->lists[0], *compared ? &prev : NULL, true, &d, &c)) {
		fprintf(stderr, "ctmatch report: out of memory\n");
		status = CTM_EXIT_IO;
		goto done;
	}
	out_filter_apply(&r->lists[0], &r->filter, true);
	/* the list points into the job, the trials and the profile: write
	 * it before they go */
	put_head(r->out, "Trial matches");
	fputs("<h1>Trial matches for one patient</h1>", r->out);
	put_patient(r->out, &r->lists[0], 1, *compared);
	fputs("</body></html>\n", r->out);
done:
	if (r->n)
		out_list_free(&r->lists[0]);
	free(r->lists);
	r->lists = NULL;
	r->n = 0;
	out_list_free(&prev);
	mj_free(&job);
	free(hist);
	ctm_matcher_free(m);
	ctm_profile_free(p);
	ctm_profile_reader_close(pr);
	cli_diagnoses_free(&dx);
	ctm_lexicon_free(lx);
	return status;
}

int cli_report_cmd(int argc, char **argv)
{
	enum { O_DB = 256, O_OUT, O_ID, O_PATIENT, O_LIMIT, O_INEL, O_ALL,
	       O_TODAY, O_LEX, O_PHASE, O_STYPE, O_COUNTRY, O_SHOWV, O_HELP };
	static const struct option opts[] = {
		{"db", required_argument, NULL, O_DB},
		{"out", required_argument, NULL, O_OUT},
		{"id", required_argument, NULL, O_ID},
		{"patient", required_argument, NULL, O_PATIENT},
		{"limit", required_argument, NULL, O_LIMIT},
		{"include-ineligible", no_argument, NULL, O_INEL},
		{"all-statuses", no_argument, NULL, O_ALL},
		{"today", required_argument, NULL, O_TODAY},
		{"lexicon", required_argument, NULL, O_LEX},
		{"phase", required_argument, NULL, O_PHASE},
		{"study-type", required_argument, NULL, O_STYPE},
		{"country", required_argument, NULL, O_COUNTRY},
		{"show-values", no_argument, NULL, O_SHOWV},
		{"help", no_argument, NULL, O_HELP},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL, *outpath = NULL, *patient = NULL;
	const char **ids;
	char *lexfiles[CLI_MAX_LEXICONS];
	long lim;
	size_t n_lex = 0, i;
	mj_options mo;
	rpt r;
	out_night night = {0};
	char runs[256] = "";
	ctm_error err;
	int c, status = CTM_EXIT_OK;
	bool compared = false;

	memset(&r, 0, sizeof r);
	memset(&mo, 0, sizeof mo);
	mo.limit = 20;
	ids = calloc((size_t)argc + 1, sizeof(*ids));
	if (!ids)
		return CTM_EXIT_IO;
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case O_DB: db = optarg; break;
		case O_OUT: outpath = optarg; break;
		case O_ID: ids[r.n_ids++] = optarg; break;
		case O_PATIENT: patient = optarg; break;
		case O_LIMIT:
			if (cli_number_arg("report", "--limit", optarg, 0,
					   LONG_MAX, &lim)) {
				status = CTM_EXIT_USAGE;
				goto done;
			}
			mo.limit = (size_t)lim;
			break;
		case O_INEL: mo.include_ineligible = true; break;
		case O_ALL: mo.all_statuses = true; break;
		case O_TODAY:
			if (ctm_date_parse(optarg, &mo.today)) {
				fprintf(stderr, "ctmatch report: --today: '%s' is not a date (YYYY-MM-DD)\n", optarg);
				status = CTM_EXIT_USAGE;
				goto done;
			}
			break;
		case O_LEX:
			if (cli_lexicon_arg("report", lexfiles, &n_lex, optarg)) {
				status = CTM_EXIT_USAGE;
				goto done;
			}
			break;
		case O_PHASE:
		case O_STYPE:
		case O_COUNTRY:
			if (out_filter_add(&r.filter, c == O_PHASE ? "--phase"
						      : c == O_STYPE ? "--study-type"
								     : "--country",
					   optarg)) {
				status = CTM_EXIT_USAGE;
				goto done;
			}
			break;
		case O_SHOWV: r.show_values = true; break;
		case O_HELP: report_help(stdout); goto done;
		default:
			if (!cli_bad_option("report", c, argv, opts))
				report_help(stderr);
			status = CTM_EXIT_USAGE; goto done;
		}
	}
	if (optind < argc || (patient && r.n_ids)) {
		fprintf(stderr, "ctmatch report: %s\n", optind < argc
				? "unexpected argument"
				: "give --patient FILE or --id ID, not both");
		report_help(stderr);
		status = CTM_EXIT_USAGE;
		goto done;
	}
	r.ids = ids;
	if (!mo.today)
		mo.today = mj_today();
	if ((status = cli_index_open("report", cli_db_path(db), CTM_INDEX_READONLY, &r.idx)))
		goto done;
	if (patient) { /* verdicts computed now: from current criteria */
		ctm_lexicon *lx = cli_lexicon("report", lexfiles, n_lex);
		if (!lx) {
			status = CTM_EXIT_USAGE;
			goto done;
		}
		status = cli_index_current("report", r.idx, cli_db_path(db), lx, lexfiles, n_lex);
		ctm_lexicon_free(lx);
		if (status)
			goto done;
	}
	r.out = outpath ? open_private(outpath) : stdout;
	if (!r.out) {
		fprintf(stderr, "ctmatch report: cannot write %s: %s\n", outpath, strerror(errno));
		status = CTM_EXIT_IO;
		goto done;
	}
	setvbuf(r.out, NULL, _IOFBF, 1 << 16);
	if (patient) {
		status = report_one(&r, patient, &mo, lexfiles, n_lex, &compared);
		goto close;
	}
	ctm_error_clear(&err);
	if ((status = out_night_open("report", cli_db_path(db), r.idx, &night)))
		goto close;
	if (night.n_missing)
		status = CTM_EXIT_REJECTED;
	out_night_describe(&night, runs, sizeof runs);
	if (out_night_foreach(r.idx, &night, collect, &r, &err)) {
		cli_report("report", &err);
		status = CTM_EXIT_IO;
		goto close;
	}
	for (i = 0; i < r.n_ids; i++) {
		size_t k;
		for (k = 0; k < r.n && strcmp(r.lists[k].patient_id, ids[i]); k++)
			;
		if (k == r.n) {
			fprintf(stderr, "ctmatch report: patient %s has no stored list in %s\n",
				ids[i], runs);
			if (status < CTM_EXIT_REJECTED)
				status = CTM_EXIT_REJECTED;
		}
	}
	{
		char when[32] = "";
		time_t t = (time_t)night.finished;
		struct tm tm;
		size_t cnt[3];
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
		put_head(r.out, "Trial matches");
		/* "Batch run 7", or "Batch runs 4, 5, 6 (shards 1-3 of 3)" */
		fprintf(r.out, "<h1>Trial matches</h1><p>Batch %s, finished %s: "
			       "%zu patient%s in this report.</p>\n",
			runs, when, r.n, r.n == 1 ? "" : "s");
		if (night.n_missing)
			fprintf(r.out, "<p>%zu of the %ld shards of this night have no "
				       "finished run: their patients are missing.</p>\n",
				night.n_missing, night.shards);
		if (r.filter.n_phase || r.filter.study_type || r.filter.country)
			fputs("<p>Filtered: only trials matching the filters given.</p>", r.out);
		fputs("<nav id=\"contents\"><h2>Contents</h2><table><tr><th>Patient</th>"
		      "<th class=\"n\">eligible</th><th class=\"n\">possible</th>"
		      "<th class=\"n\">new</th><th class=\"n\">changed</th>"
		      "<th class=\"n\">no longer listed</th><th>warnings</th></tr>\n", r.out);
		for (i = 0; i < r.n; i++) {
			size_t k, nn = 0, nc = 0, nd = 0;
			for (k = 0; k < r.lists[i].n; k++) {
				const char *ch = r.lists[i].results[k].change;
				nn += ch && !strcmp(ch, "new");
				nc += ch && !strcmp(ch, "changed");
				nd += ch && !strcmp(ch, "dropped");
			}
			verdict_counts(&r.lists[i], cnt);
			fprintf(r.out, "<tr><td><a href=\"#p%zu\">", i + 1);
			html_text(r.out, r.lists[i].patient_id);
			fprintf(r.out, "</a></td><td class=\"n\">%zu</td><td class=\"n\">%zu"
				       "</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
				       "<td class=\"n\">%zu</td><td>%s</td></tr>\n",
				cnt[0], cnt[1], nn, nc, nd,
				r.lists[i].warnings.n ? "yes" : "");
		}
		fputs("</table></nav>\n", r.out);
		for (i = 0; i < r.n; i++) {
			size_t k;
			bool cmp = false;
			/* a first list has every row new: nothing to compare */
			for (k = 0; k < r.lists[i].n && !cmp; k++)
				cmp = r.lists[i].results[k].change &&
				      strcmp(r.lists[i].results[k].change, "new");
			put_patient(r.out, &r.lists[i], i + 1,
				    cmp || out_night_first(&night) > 1);
		}
		fputs("</body></html>\n", r.out);
	}
close:
	if (r.out && r.out != stdout) {
		if (fclose(r.out) != 0) {
			fprintf(stderr, "ctmatch report: cannot write %s: %s\n", outpath, strerror(errno));
			status = CTM_EXIT_IO;
		}
	} else if (r.out && fflush(stdout) != 0) {
		status = CTM_EXIT_IO;
	}
done:
	for (i = 0; i < r.n; i++)
		out_list_free(&r.lists[i]);
	free(r.lists);
	out_filter_free(&r.filter);
	out_night_free(&night);
	ctm_index_close(r.idx);
	free(ids);
	return status;
}
