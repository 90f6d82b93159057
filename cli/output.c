/* output.c - the result model, its stored record, and the table, CSV and
 * JSON writers. */
#include "output.h"
#include "csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

const char *out_url(const char *nct_id, char *buf, size_t n)
{
	snprintf(buf, n, "https://clinicaltrials.gov/study/%s", nct_id ? nct_id : "");
	return buf;
}

/* ---- from a job ---- */

/* One line of a criterion's text: whitespace folded. */
static void one_line(const char *text, char *out, size_t n)
{
	size_t k = 0;
	int space = 0;

	for (; text && *text && k + 1 < n; text++) {
		unsigned char c = (unsigned char)*text;
		if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
			space = k > 0;
			continue;
		}
		if (space && k + 2 < n)
			out[k++] = ' ';
		space = 0;
		out[k++] = (char)c;
	}
	out[k] = '\0';
}

/* s cut to max bytes and "..." when longer, into the arena. */
static const char *cut(ctm_arena *a, const char *s, size_t max)
{
	size_t len = strlen(s);
	char *r;

	if (len <= max)
		return ctm_arena_strdup(a, s);
	r = ctm_arena_alloc(a, max + 4);
	if (r) {
		memcpy(r, s, max);
		memcpy(r + max, "...", 4);
	}
	return r;
}

/*
 * The cohorts to lead a criterion's line with ("Cohort B"), or NULL when
 * it has none or its text names them at its start already ("COHORT II:
 * ...", "For Cohort B: ...", "Part B patients must ...").
 */
static const char *cohort_lead(const char *cohort, const char *text)
{
	size_t k = 0, i;

	if (!cohort)
		return NULL;
	while (cohort[k] && cohort[k] != ' ')
		k++;
	for (i = 0; k && text[i] && i < 24; i++)
		if ((i == 0 || text[i - 1] == ' ') &&
		    !strncasecmp(text + i, cohort, k))
			return NULL;
	return cohort;
}

/* A criterion not met: its cohorts ("Cohort B: "; spec/matching.md),
 * its line (at most 100 characters) and the fact. */
static const char *reason_item(ctm_arena *a, const ctm_crit_eval *e)
{
	char line[512], item[700];
	const char *co = cohort_lead(e->cohort, e->text);

	one_line(e->text, line, sizeof line);
	if (strlen(line) > 100)
		strcpy(line + 97, "...");
	snprintf(item, sizeof item, "%.120s%s%s%s%s%s",
		 co ? co : "", co ? ": " : "", line,
		 e->fact ? " [patient: " : "", e->fact ? e->fact : "",
		 e->fact ? "]" : "");
	return cut(a, item, 400);
}

/* The fact an unknown criterion waits for, in words ("performance
 * status"), from the matcher's "... not recorded". */
static const char *missing_item(ctm_arena *a, const ctm_crit_eval *e,
				const char *line)
{
	const char *f = e->fact, *nr;

	if (!f || !*f)
		return ctm_arena_strdup(a, line);
	nr = strstr(f, " not recorded");
	if (nr && nr[13] == '\0')
		return ctm_arena_strndup(a, f, (size_t)(nr - f));
	return ctm_arena_strdup(a, f);
}

static void site_text(const ctm_location *l, char *buf, size_t n)
{
	const char *parts[4];
	size_t i, len = 0;

	buf[0] = '\0';
	if (!l)
		return;
	parts[0] = l->facility;
	parts[1] = l->city;
	parts[2] = l->state;
	parts[3] = l->country;
	for (i = 0; i < 4; i++) {
		int w;
		if (!parts[i] || !*parts[i] || len >= n - 1)
			continue;
		w = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", parts[i]);
		if (w > 0)
			len = len + (size_t)w >= n ? n - 1 : len + (size_t)w;
	}
}

static int texts_alloc(ctm_arena *a, out_texts *t, size_t n)
{
	t->n = 0;
	t->v = n ? ctm_arena_alloc(a, n * sizeof(*t->v)) : NULL;
	return n && !t->v ? CTM_ENOMEM : 0;
}

static int from_match(ctm_arena *a, out_result *x, const mj_result *r,
		      bool explain)
{
	const ctm_match *m = &r->match;
	char buf[2048], d[11];
	size_t i, nu = 0, nn = 0, nr = 0;

	x->nct_id = r->trial->nct_id;
	x->verdict = ctm_verdict_name(m->verdict);
	x->title = r->trial->brief_title ? r->trial->brief_title : "";
	x->phase = r->trial->phase ? r->trial->phase : "";
	x->study_type = r->trial->study_type ? r->trial->study_type : "";
	x->status = ctm_status_name(r->trial->status);
	site_text(m->site, buf, sizeof buf);
	x->site = ctm_arena_strdup(a, buf);
	x->last_update = ctm_arena_strdup(a, r->trial->last_update
				? ctm_date_format(r->trial->last_update, d) : "");
	x->score = m->score.total;
	x->s_met = m->score.met;
	x->s_unknown = m->score.unknown;
	x->s_specificity = m->score.specificity;
	x->s_status = m->score.status;
	x->s_site = m->score.site;
	x->met = (uint32_t)m->n_met;
	x->unknown = (uint32_t)m->n_unknown;
	for (i = 0; i < m->n_evals; i++) {
		ctm_outcome o = m->evals[i].outcome;
		nu += o == CTM_OUT_UNKNOWN;
		nn += o == CTM_OUT_NOT_MET;
		nr += o == CTM_OUT_REVIEW;
	}
	if (texts_alloc(a, &x->to_check, nu) || texts_alloc(a, &x->missing, nu) ||
	    texts_alloc(a, &x->reasons, nn) || texts_alloc(a, &x->review, nr) ||
	    texts_alloc(a, &x->review_sections, nr) || !x->site || !x->last_update)
		return CTM_ENOMEM;
	for (i = 0; i < m->n_evals; i++) {
		const ctm_crit_eval *e = &m->evals[i];
		const char *s;
		switch (e->outcome) {
		case CTM_OUT_UNKNOWN:
			one_line(e->text, buf, sizeof buf);
			s = cut(a, buf, 100);
			x->to_check.v[x->to_check.n++] = s;
			x->missing.v[x->missing.n++] = missing_item(a, e, buf);
			break;
		case CTM_OUT_NOT_MET:
			s = x->reasons.v[x->reasons.n++] = reason_item(a, e);
			break;
		case CTM_OUT_REVIEW:
			one_line(e->text, buf, sizeof buf);
			s = x->review.v[x->review.n++] = ctm_arena_strdup(a, buf);
			x->review_sections.v[x->review_sections.n++] =
				ctm_section_name(e->section);
			break;
		default:
			s = "";
			break;
		}
		if (!s)
			return CTM_ENOMEM;
	}
	if (explain && m->n_evals) {
		x->crits = ctm_arena_alloc(a, m->n_evals * sizeof(*x->crits));
		if (!x->crits)
			return CTM_ENOMEM;
		for (i = 0; i < m->n_evals; i++) {
			const ctm_crit_eval *e = &m->evals[i];
			x->crits[i].section = ctm_section_name(e->section);
			x->crits[i].text = e->text ? e->text : "";
			x->crits[i].outcome = ctm_outcome_name(e->outcome);
			x->crits[i].fact = e->fact;
			x->crits[i].cohort = e->cohort;
			x->crits[i].lead = cohort_lead(e->cohort, x->crits[i].text);
		}
		x->n_crits = m->n_evals;
	}
	return 0;
}

int out_from_job(out_list *l, const ctm_profile *p, const mj_job *job,
		 size_t limit, bool explain)
{
	size_t i, n = limit && limit < job->n ? limit : job->n;

	memset(l, 0, sizeof(*l));
	l->arena = ctm_arena_new();
	if (!l->arena)
		return CTM_ENOMEM;
	l->patient_id = p->id;
	l->warnings.v = p->warnings;
	l->warnings.n = p->n_warnings;
	l->candidates = job->candidates;
	l->results = ctm_arena_alloc(l->arena, (n ? n : 1) * sizeof(*l->results));
	if (!l->results)
		goto fail;
	for (i = 0; i < n; i++) {
		out_result *x = &l->results[i];
		memset(x, 0, sizeof(*x));
		x->rank = (uint32_t)i + 1;
		if (from_match(l->arena, x, &job->results[i], explain))
			goto fail;
		l->n++;
	}
	return 0;
fail:
	out_list_free(l);
	return CTM_ENOMEM;
}

void out_list_free(out_list *l)
{
	if (!l)
		return;
	ctm_arena_free(l->arena);
	free(l->blob);
	memset(l, 0, sizeof(*l));
}

/* ---- the stored record ---- */

#define REC_MAGIC "CTMR"
#define REC_VERSION 1

typedef struct wbuf {
	char *p;
	size_t len, cap;
	bool nomem;
} wbuf;

static void put(wbuf *b, const void *s, size_t n)
{
	if (b->nomem)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *q;
		while (cap < b->len + n)
			cap *= 2;
		q = realloc(b->p, cap);
		if (!q) {
			b->nomem = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void put_u32(wbuf *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8),
			      (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
	put(b, c, 4);
}

/* Scores are multiples of 0.5 well within range: stored as hundredths. */
static void put_score(wbuf *b, double v)
{
	put_u32(b, (uint32_t)(int32_t)(v * 100.0 + (v < 0 ? -0.5 : 0.5)));
}

static void put_str(wbuf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put_u32(b, (uint32_t)n);
	put(b, s ? s : "", n);
	put(b, "", 1);
}

static void put_texts(wbuf *b, const out_texts *t)
{
	size_t i;

	put_u32(b, (uint32_t)t->n);
	for (i = 0; i < t->n; i++)
		put_str(b, t->v[i]);
}

int out_record_encode(const out_list *l, char **out, size_t *len)
{
	wbuf b = {0};
	size_t i;
	unsigned char v = REC_VERSION;

	put(&b, REC_MAGIC, 4);
	put(&b, &v, 1);
	put_str(&b, l->patient_id);
	put_texts(&b, &l->warnings);
	put_u32(&b, (uint32_t)l->n);
	for (i = 0; i < l->n; i++) {
		const out_result *x = &l->results[i];
		put_u32(&b, x->rank);
		put_str(&b, x->nct_id);
		put_str(&b, x->verdict);
		put_str(&b, x->title);
		put_str(&b, x->phase);
		put_str(&b, x->study_type);
		put_str(&b, x->status);
		put_str(&b, x->site);
		put_str(&b, x->last_update);
		put_score(&b, x->score);
		put_score(&b, x->s_met);
		put_score(&b, x->s_unknown);
		put_score(&b, x->s_specificity);
		put_score(&b, x->s_status);
		put_score(&b, x->s_site);
		put_u32(&b, x->met);
		put_u32(&b, x->unknown);
		put_texts(&b, &x->to_check);
		put_texts(&b, &x->missing);
		put_texts(&b, &x->reasons);
		put_texts(&b, &x->review);
		put_texts(&b, &x->review_sections);
		put_str(&b, x->change);
		put_str(&b, x->prev_verdict);
		put_u32(&b, x->prev_rank);
		put_str(&b, x->drop_reason);
	}
	if (b.nomem) {
		free(b.p);
		return CTM_ENOMEM;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

typedef struct rbuf {
	char *p;
	size_t len, at;
	bool bad;
} rbuf;

static uint32_t get_u32(rbuf *r)
{
	const unsigned char *c;

	if (r->bad || r->len - r->at < 4) {
		r->bad = true;
		return 0;
	}
	c = (const unsigned char *)r->p + r->at;
	r->at += 4;
	return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 |
	       (uint32_t)c[3] << 24;
}

static double get_score(rbuf *r)
{
	return (double)(int32_t)get_u32(r) / 100.0;
}

static const char *get_str(rbuf *r)
{
	uint32_t n = get_u32(r);
	const char *s;

	if (r->bad || r->len - r->at < (size_t)n + 1 || r->p[r->at + n] != '\0' ||
	    memchr(r->p + r->at, '\0', n)) {
		r->bad = true;
		return "";
	}
	s = r->p + r->at;
	r->at += (size_t)n + 1;
	return s;
}

static const char *nonempty(const char *s)
{
	return *s ? s : NULL;
}

static void get_texts(rbuf *r, ctm_arena *a, out_texts *t)
{
	uint32_t n = get_u32(r), i;

	t->n = 0;
	t->v = NULL;
	/* each text takes at least 5 bytes: a bound before allocating */
	if (r->bad || n > (r->len - r->at) / 5) {
		r->bad = true;
		return;
	}
	if (!n)
		return;
	t->v = ctm_arena_alloc(a, n * sizeof(*t->v));
	if (!t->v) {
		r->bad = true;
		return;
	}
	for (i = 0; i < n && !r->bad; i++)
		t->v[t->n++] = get_str(r);
}

int out_record_decode(out_list *l, const void *data, size_t len,
		      ctm_error *err)
{
	rbuf r = {0};
	uint32_t n, i;

	memset(l, 0, sizeof(*l));
	if (len < 5 || memcmp(data, REC_MAGIC, 4))
		return ctm_error_set(err, CTM_EPARSE, NULL, 0, 0,
				     "a stored result list is not a ctmatch record");
	if (((const unsigned char *)data)[4] != REC_VERSION)
		return ctm_error_set(err, CTM_EPARSE, NULL, 0, 0,
				     "a stored result list has record version %u, not %u",
				     ((const unsigned char *)data)[4], REC_VERSION);
	l->arena = ctm_arena_new();
	l->blob = malloc(len);
	if (!l->arena || !l->blob) {
		out_list_free(l);
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0, "out of memory");
	}
	memcpy(l->blob, data, len);
	r.p = l->blob;
	r.len = len;
	r.at = 5;
	l->patient_id = get_str(&r);
	get_texts(&r, l->arena, &l->warnings);
	n = get_u32(&r);
	if (!r.bad && n > (r.len - r.at) / 32)
		r.bad = true;
	if (!r.bad) {
		l->results = ctm_arena_alloc(l->arena, (n ? n : 1) * sizeof(*l->results));
		if (!l->results)
			r.bad = true;
	}
	for (i = 0; i < n && !r.bad; i++) {
		out_result *x = &l->results[i];
		memset(x, 0, sizeof(*x));
		x->rank = get_u32(&r);
		x->nct_id = get_str(&r);
		x->verdict = get_str(&r);
		x->title = get_str(&r);
		x->phase = get_str(&r);
		x->study_type = get_str(&r);
		x->status = get_str(&r);
		x->site = get_str(&r);
		x->last_update = get_str(&r);
		x->score = get_score(&r);
		x->s_met = get_score(&r);
		x->s_unknown = get_score(&r);
		x->s_specificity = get_score(&r);
		x->s_status = get_score(&r);
		x->s_site = get_score(&r);
		x->met = get_u32(&r);
		x->unknown = get_u32(&r);
		get_texts(&r, l->arena, &x->to_check);
		get_texts(&r, l->arena, &x->missing);
		get_texts(&r, l->arena, &x->reasons);
		get_texts(&r, l->arena, &x->review);
		get_texts(&r, l->arena, &x->review_sections);
		x->change = nonempty(get_str(&r));
		x->prev_verdict = nonempty(get_str(&r));
		x->prev_rank = get_u32(&r);
		x->drop_reason = nonempty(get_str(&r));
		l->n++;
	}
	if (r.bad || r.at != r.len) {
		out_list_free(l);
		return ctm_error_set(err, CTM_EPARSE, NULL, 0, 0,
				     "a stored result list is cut short or damaged");
	}
	return 0;
}

/* ---- CSV ---- */

void out_csv_header(FILE *f)
{
	fputs("patient_id,rank,nct_id,verdict,score,title,phase,overall_status,"
	      "met,unknown,to_check,reasons,site,last_update,change,review,url,"
	      "warnings,previous_verdict,previous_rank,drop_reason\n", f);
}

static void csv_texts(FILE *f, const out_texts *t)
{
	char *s = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&s, &len);

	if (!m)
		return;
	for (i = 0; i < t->n; i++)
		fprintf(m, "%s%s", i ? "; " : "", t->v[i]);
	fclose(m);
	csv_text(f, s);
	free(s);
}

void out_csv_rows(FILE *f, const out_list *l)
{
	size_t i;
	char url[64];

	for (i = 0; i < l->n; i++) {
		const out_result *x = &l->results[i];
		csv_text(f, l->patient_id); csv_sep(f);
		if (x->rank)
			csv_int(f, (long)x->rank);
		csv_sep(f);
		csv_text(f, x->nct_id); csv_sep(f);
		csv_text(f, x->verdict); csv_sep(f);
		csv_number(f, x->score); csv_sep(f);
		csv_text(f, x->title); csv_sep(f);
		csv_text(f, x->phase); csv_sep(f);
		csv_text(f, x->status); csv_sep(f);
		csv_int(f, (long)x->met); csv_sep(f);
		csv_int(f, (long)x->unknown); csv_sep(f);
		csv_texts(f, &x->to_check); csv_sep(f);
		csv_texts(f, &x->reasons); csv_sep(f);
		csv_text(f, x->site); csv_sep(f);
		csv_text(f, x->last_update); csv_sep(f);
		csv_text(f, x->change); csv_sep(f);
		csv_int(f, (long)x->review.n); csv_sep(f);
		csv_text(f, out_url(x->nct_id, url, sizeof url)); csv_sep(f);
		csv_texts(f, &l->warnings); csv_sep(f);
		csv_text(f, x->prev_verdict); csv_sep(f);
		if (x->prev_rank)
			csv_int(f, (long)x->prev_rank);
		csv_sep(f);
		csv_text(f, x->drop_reason);
		csv_end(f);
	}
}

/* ---- JSON ---- */

static json_t *jtexts(const out_texts *t)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < t->n; i++)
		json_array_append_new(a, json_string(t->v[i]));
	return a;
}

static json_t *jstr_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

json_t *out_json(const out_list *l, bool explain, bool with_change)
{
	json_t *o = json_object(), *res = json_array();
	size_t i, j;
	char url[64];

	json_object_set_new(o, "patient_id", json_string(l->patient_id));
	json_object_set_new(o, "warnings", jtexts(&l->warnings));
	if (!with_change)
		json_object_set_new(o, "candidates_evaluated",
				    json_integer((json_int_t)l->candidates));
	for (i = 0; i < l->n; i++) {
		const out_result *x = &l->results[i];
		json_t *r = json_object(), *sp = json_object();
		json_object_set_new(r, "rank", x->rank ? json_integer(x->rank) : json_null());
		json_object_set_new(r, "nct_id", json_string(x->nct_id));
		json_object_set_new(r, "verdict", json_string(x->verdict));
		json_object_set_new(r, "score", json_real(x->score));
		json_object_set_new(sp, "met", json_real(x->s_met));
		json_object_set_new(sp, "unknown", json_real(x->s_unknown));
		json_object_set_new(sp, "specificity", json_real(x->s_specificity));
		json_object_set_new(sp, "status", json_real(x->s_status));
		json_object_set_new(sp, "site", json_real(x->s_site));
		json_object_set_new(r, "score_parts", sp);
		json_object_set_new(r, "title", json_string(x->title));
		json_object_set_new(r, "phase", jstr_or_null(x->phase));
		json_object_set_new(r, "overall_status", json_string(x->status));
		json_object_set_new(r, "met", json_integer(x->met));
		json_object_set_new(r, "unknown", json_integer(x->unknown));
		json_object_set_new(r, "to_check", jtexts(&x->to_check));
		json_object_set_new(r, "reasons", jtexts(&x->reasons));
		json_object_set_new(r, "site", jstr_or_null(x->site));
		json_object_set_new(r, "last_update", jstr_or_null(x->last_update));
		json_object_set_new(r, "review", jtexts(&x->review));
		json_object_set_new(r, "url", json_string(out_url(x->nct_id, url, sizeof url)));
		if (with_change) {
			json_object_set_new(r, "change", jstr_or_null(x->change));
			if (x->prev_verdict)
				json_object_set_new(r, "previous_verdict", json_string(x->prev_verdict));
			if (x->prev_rank)
				json_object_set_new(r, "previous_rank", json_integer(x->prev_rank));
			if (x->drop_reason)
				json_object_set_new(r, "drop_reason", json_string(x->drop_reason));
		}
		if (explain) {
			json_t *cs = json_array();
			for (j = 0; j < x->n_crits; j++) {
				const out_crit *c = &x->crits[j];
				json_t *k = json_object();
				json_object_set_new(k, "section", json_string(c->section));
				json_object_set_new(k, "text", json_string(c->text));
				json_object_set_new(k, "outcome", json_string(c->outcome));
				json_object_set_new(k, "fact", c->fact ? json_string(c->fact) : json_null());
				if (c->cohort)
					json_object_set_new(k, "cohort", json_string(c->cohort));
				json_array_append_new(cs, k);
			}
			json_object_set_new(r, "criteria", cs);
		}
		json_array_append_new(res, r);
	}
	json_object_set_new(o, "results", res);
	return o;
}

/* ---- the table ---- */

size_t out_table_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 60)
		return ws.ws_col;
	return 100;
}

/* Columns of a UTF-8 string (one per character). */
static size_t cols_of(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Writes text wrapped at width columns, each line after the first
 * indented; a word longer than a line is broken (UTF-8 aware). */
static void put_wrapped(FILE *f, const char *s, size_t indent, size_t width)
{
	char word[4096];
	size_t col = indent, wl, wc, i, room = width > indent + 10 ? width - indent : 10;

	while (s && *s) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (!*s)
			break;
		for (wl = 0, wc = 0; s[wl] && s[wl] != ' ' && s[wl] != '\t' &&
				     s[wl] != '\r' && s[wl] != '\n' && wl < sizeof word - 1;
		     wl++) {
			if (((unsigned char)s[wl] & 0xC0) != 0x80) {
				if (wc == room)
					break;
				wc++;
			}
			word[wl] = s[wl];
		}
		word[wl] = '\0';
		s += wl;
		if (col > indent && col + 1 + wc > width) {
			fputc('\n', f);
			for (i = 0; i < indent; i++)
				fputc(' ', f);
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fputs(word, f);
		col += wc;
	}
	fputc('\n', f);
}

static void put_list(FILE *f, const char *label, const out_texts *t, size_t width)
{
	char *s = NULL;
	size_t len = 0, i, ind = 5 + strlen(label) + 2;
	FILE *m;

	if (!t->n || !(m = open_memstream(&s, &len)))
		return;
	for (i = 0; i < t->n; i++)
		fprintf(m, "%s%s", i ? "; " : "", t->v[i]);
	fclose(m);
	fprintf(f, "     %s: ", label);
	put_wrapped(f, s, ind, width);
	free(s);
}

void out_table(FILE *f, const out_list *l, bool explain, size_t width)
{
	size_t i, j, title_col = 3 + 2 + 11 + 2 + 10 + 2 + 6 + 2 + 3 + 2 + 22 + 2;
	char buf[8192];

	if (width < title_col + 20)
		width = title_col + 20;
	fprintf(f, "patient %s: %zu trial%s shown of %zu candidates evaluated\n",
		l->patient_id, l->n, l->n == 1 ? "" : "s", l->candidates);
	if (!l->n)
		return;
	fprintf(f, "%3s  %-11s  %-10s  %6s  %3s  %-22s  %s\n", "#", "trial",
		"verdict", "score", "rev", "status", "title");
	for (i = 0; i < l->n; i++) {
		const out_result *x = &l->results[i];
		size_t sc = cols_of(x->status);
		fprintf(f, "%3u  %-11s  %-10s  %6.1f  %3zu  %s%*s", x->rank, x->nct_id,
			x->verdict, x->score, x->review.n, x->status,
			(int)(sc < 22 ? 22 - sc : 0) + 2, "");
		put_wrapped(f, x->title, title_col, width);
		/* a trial not ineligible lists only the cohorts that bar the
		 * patient (spec/matching.md) */
		put_list(f, strcmp(x->verdict, "ineligible") ? "not in" : "why not",
			 &x->reasons, width);
		put_list(f, "to check", &x->to_check, width);
		if (x->site[0]) {
			fputs("     site: ", f);
			put_wrapped(f, x->site, 11, width);
		}
		if (!explain)
			continue;
		for (j = 0; j < x->n_crits; j++) {
			const out_crit *c = &x->crits[j];
			const char *o = c->outcome;
			bool excl = !strcmp(c->section, "exclusion");
			/* words, not identifiers; for an exclusion, "met" means
			 * the patient is not excluded by it */
			o = !strcmp(o, "met") ? (excl ? "not excluded" : "met")
			    : !strcmp(o, "not_met") ? (excl ? "EXCLUDED" : "NOT MET")
			    : !strcmp(o, "not_applicable") ? "not applicable"
			    : !strcmp(o, "review") ? "not read" : o;
			snprintf(buf, sizeof buf, "%.120s%s%s%s%s%s",
				 c->lead ? c->lead : "", c->lead ? ": " : "",
				 c->text, c->fact ? " [patient: " : "",
				 c->fact ? c->fact : "", c->fact ? "]" : "");
			fprintf(f, "       %-11s %-15s ", c->section, o);
			put_wrapped(f, buf, 35, width);
		}
	}
}

/* ---- filters ---- */

int out_filter_add(out_filter *f, const char *opt, const char *value)
{
	if (!value || !*value) {
		fprintf(stderr, "ctmatch: %s takes a value\n", opt);
		return -1;
	}
	if (!strcmp(opt, "--phase")) {
		if (f->n_phase == OUT_MAX_PHASES) {
			fprintf(stderr, "ctmatch: at most %d --phase\n", OUT_MAX_PHASES);
			return -1;
		}
		f->phase[f->n_phase++] = value;
	} else if (!strcmp(opt, "--study-type")) {
		f->study_type = value;
	} else {
		f->country = value;
	}
	return 0;
}

bool out_filter_any(const out_filter *f)
{
	return f->n_phase || f->study_type || f->country;
}

/* Case-insensitive substring. */
static bool has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return !n;
}

static bool phase_is(const char *phase, const char *want)
{
	char buf[64];

	if (!strcasecmp(want, "n/a") || !strcasecmp(want, "na"))
		return !*phase || !strcasecmp(phase, "N/A");
	if (!strcasecmp(want, "early1"))
		return has_ci(phase, "Early Phase 1");
	if (want[0] >= '0' && want[0] <= '9' && !want[1]) {
		const char *p;
		snprintf(buf, sizeof buf, "Phase %c", want[0]);
		/* "Phase 1" but not "Early Phase 1" */
		for (p = phase; (p = strstr(p, buf)) != NULL; p++)
			if (p - phase < 6 || strncasecmp(p - 6, "Early ", 6))
				return true;
		return false;
	}
	return has_ci(phase, want);
}

bool out_filter_pass(const out_filter *f, const out_result *x)
{
	size_t i;

	if (f->n_phase) {
		for (i = 0; i < f->n_phase && !phase_is(x->phase, f->phase[i]); i++)
			;
		if (i == f->n_phase)
			return false;
	}
	if (f->study_type && strcasecmp(x->study_type, f->study_type))
		return false;
	if (f->country) {
		const char *c = strrchr(x->site, ',');
		c = c ? c + 2 : x->site;
		if (strcasecmp(c, f->country))
			return false;
	}
	return true;
}

void out_filter_apply(out_list *l, const out_filter *f, bool renumber)
{
	size_t i, k = 0;

	if (!out_filter_any(f))
		return;
	for (i = 0; i < l->n; i++) {
		if (!out_filter_pass(f, &l->results[i]))
			continue;
		l->results[k] = l->results[i];
		if (renumber && l->results[k].rank)
			l->results[k].rank = (uint32_t)k + 1;
		k++;
	}
	l->n = k;
}

void out_filter_free(out_filter *f)
{
	if (f)
		memset(f, 0, sizeof(*f));
}
