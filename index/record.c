/*
 * record.c - the compact versioned trial record stored in the index.
 *
 * Layout after the fixed header (record.h): a length, then two parts.
 * The match part holds what deciding a verdict and a score reads, so that
 * a lookup evaluating thousands of candidates touches a few hundred bytes
 * of each, not their texts; the text part holds the rest.
 *
 *   u32  the match part's length in bytes (4 bytes little-endian)
 *   match part:
 *   uv   status, gender
 *   f64  min_age_years, max_age_years
 *   sv   healthy_volunteers
 *   u64  lexicon_hash (8 bytes little-endian)
 *   uv   n_sites; each: str state, country (the distinct pairs of the
 *        recruiting or not-yet-recruiting locations, in order)
 *   uv   n_population; each: uv concept
 *   u8   population_partial
 *   list cohorts (their labels; at most CTM_MAX_COHORTS)
 *   uv   n_criteria; each:
 *          uv section, u8 structured, uv cohorts (the bit mask),
 *          uv n_expr;  each: uv op, uv arg
 *          uv n_constraints; each: uv kind, status, flags, concept,
 *                                  variant, within_days, reserved;
 *                                  f64 lo, hi, alt_hi
 *   text part:
 *   str  nct_id, brief_title, official_title, phase, study_type,
 *        lead_sponsor
 *   list conditions, keywords, condition_mesh
 *   uv   n_interventions; each: str type, str name, list other_names
 *   u8   has_eligibility
 *   str  criteria_text
 *   uv   n_locations; each: str facility, city, state, zip, country,
 *        status
 *   sv   first_posted, download_date
 *        for each criterion above: str text, heading, review_reason
 *
 * uv is an unsigned LEB128 varint, sv a zigzag varint, f64 the IEEE 754
 * bits little-endian (infinities and NaN payloads survive), str a varint
 * of length + 1 (0 = NULL) and the bytes, list a varint count of str.
 * The record must be consumed exactly: trailing bytes are corruption.
 */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

/* ctm_buf_free() is in buf.c. */

static int buf_reserve(ctm_buf *b, size_t extra)
{
	size_t cap;
	unsigned char *d;

	if (b->cap - b->len >= extra)
		return 0;
	if (extra > SIZE_MAX / 2 - b->len)
		return CTM_ENOMEM;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < extra)
		cap *= 2;
	d = realloc(b->data, cap);
	if (!d)
		return CTM_ENOMEM;
	b->data = d;
	b->cap = cap;
	return 0;
}

/* Space is reserved by the caller: these cannot fail. */
static void put_u8(ctm_buf *b, unsigned v)
{
	b->data[b->len++] = (unsigned char)v;
}

static void put_uv(ctm_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		b->data[b->len++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b->data[b->len++] = (unsigned char)v;
}

static void put_sv(ctm_buf *b, int64_t v)
{
	put_uv(b, ((uint64_t)v << 1) ^ (uint64_t)(v < 0 ? -1 : 0));
}

static void put_u64le(ctm_buf *b, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		b->data[b->len++] = (unsigned char)(v >> (8 * i));
}

static void put_f64(ctm_buf *b, double d)
{
	uint64_t v;

	memcpy(&v, &d, sizeof v);
	put_u64le(b, v);
}

/* Worst-case bytes of a varint. */
#define UV_MAX 10

static int put_str(ctm_buf *b, const char *s)
{
	size_t n;

	if (!s) {
		if (buf_reserve(b, 1))
			return CTM_ENOMEM;
		put_u8(b, 0);
		return 0;
	}
	n = strlen(s);
	if (buf_reserve(b, n + UV_MAX))
		return CTM_ENOMEM;
	put_uv(b, (uint64_t)n + 1);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	return 0;
}

static int put_list(ctm_buf *b, const char *const *v, size_t n)
{
	size_t i;

	if (buf_reserve(b, UV_MAX))
		return CTM_ENOMEM;
	put_uv(b, n);
	for (i = 0; i < n; i++)
		if (put_str(b, v[i]))
			return CTM_ENOMEM;
	return 0;
}

/* A criterion's structure, in the match part. */
static int encode_criterion(const ctm_criterion *c, ctm_buf *b)
{
	size_t i;

	if (buf_reserve(b, 4 * UV_MAX + c->n_expr * 2 * UV_MAX))
		return CTM_ENOMEM;
	put_uv(b, (uint64_t)c->section);
	put_u8(b, c->structured ? 1 : 0);
	put_uv(b, c->cohorts);
	put_uv(b, c->n_expr);
	for (i = 0; i < c->n_expr; i++) {
		put_uv(b, c->expr[i].op);
		put_uv(b, c->expr[i].arg);
	}
	if (buf_reserve(b, UV_MAX + c->n_constraints * (7 * UV_MAX + 24)))
		return CTM_ENOMEM;
	put_uv(b, c->n_constraints);
	for (i = 0; i < c->n_constraints; i++) {
		const ctm_constraint *k = &c->constraints[i];
		put_uv(b, k->kind);
		put_uv(b, k->status);
		put_uv(b, k->flags);
		put_uv(b, k->concept);
		put_uv(b, k->variant);
		put_uv(b, k->within_days);
		put_uv(b, k->reserved);
		put_f64(b, k->lo);
		put_f64(b, k->hi);
		put_f64(b, k->alt_hi);
	}
	return 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The distinct (state, country) of the recruiting sites, in order. */
static int put_sites(const ctm_trial *t, ctm_buf *b)
{
	size_t i, j, n = 0, *seen;

	/* compared with the distinct ones so far: a trial with 500 sites
	 * has a few dozen places */
	seen = malloc((t->n_locations ? t->n_locations : 1) * sizeof(*seen));
	if (!seen)
		return CTM_ENOMEM;
	for (i = 0; i < t->n_locations; i++) {
		const ctm_location *l = &t->locations[i];
		if (!ctm_location_recruiting(l))
			continue;
		for (j = 0; j < n; j++)
			if (same_str(t->locations[seen[j]].state, l->state) &&
			    same_str(t->locations[seen[j]].country, l->country))
				break;
		if (j == n)
			seen[n++] = i;
	}
	if (buf_reserve(b, UV_MAX)) {
		free(seen);
		return CTM_ENOMEM;
	}
	put_uv(b, n);
	for (j = 0; j < n; j++) {
		const ctm_location *l = &t->locations[seen[j]];
		if (put_str(b, l->state) || put_str(b, l->country)) {
			free(seen);
			return CTM_ENOMEM;
		}
	}
	free(seen);
	return 0;
}

static int encode_match_part(const ctm_trial *t, ctm_buf *b)
{
	size_t i;

	if (buf_reserve(b, 4 * UV_MAX + 24))
		return CTM_ENOMEM;
	put_uv(b, (uint64_t)t->status);
	put_uv(b, (uint64_t)t->gender);
	put_f64(b, t->min_age_years);
	put_f64(b, t->max_age_years);
	put_sv(b, t->healthy_volunteers);
	put_u64le(b, t->lexicon_hash);
	if (put_sites(t, b))
		return CTM_ENOMEM;
	if (buf_reserve(b, 2 * UV_MAX + 1 + t->n_population * UV_MAX))
		return CTM_ENOMEM;
	put_uv(b, t->n_population);
	for (i = 0; i < t->n_population; i++)
		put_uv(b, t->population[i]);
	put_u8(b, t->population_partial ? 1 : 0);
	if (put_list(b, t->cohorts, t->n_cohorts) ||
	    buf_reserve(b, UV_MAX))
		return CTM_ENOMEM;
	put_uv(b, t->n_criteria);
	for (i = 0; i < t->n_criteria; i++)
		if (encode_criterion(&t->criteria[i], b))
			return CTM_ENOMEM;
	return 0;
}

static int encode_text_part(const ctm_trial *t, ctm_buf *b)
{
	size_t i;

	if (put_str(b, t->nct_id) || put_str(b, t->brief_title) ||
	    put_str(b, t->official_title) || put_str(b, t->phase) ||
	    put_str(b, t->study_type) || put_str(b, t->lead_sponsor) ||
	    put_list(b, t->conditions, t->n_conditions) ||
	    put_list(b, t->keywords, t->n_keywords) ||
	    put_list(b, t->condition_mesh, t->n_condition_mesh))
		return CTM_ENOMEM;
	if (buf_reserve(b, UV_MAX))
		return CTM_ENOMEM;
	put_uv(b, t->n_interventions);
	for (i = 0; i < t->n_interventions; i++) {
		const ctm_intervention *iv = &t->interventions[i];
		if (put_str(b, iv->type) || put_str(b, iv->name) ||
		    put_list(b, iv->other_names, iv->n_other_names))
			return CTM_ENOMEM;
	}
	if (buf_reserve(b, 1))
		return CTM_ENOMEM;
	put_u8(b, t->has_eligibility ? 1 : 0);
	if (put_str(b, t->criteria_text))
		return CTM_ENOMEM;
	if (buf_reserve(b, UV_MAX))
		return CTM_ENOMEM;
	put_uv(b, t->n_locations);
	for (i = 0; i < t->n_locations; i++) {
		const ctm_location *l = &t->locations[i];
		if (put_str(b, l->facility) || put_str(b, l->city) ||
		    put_str(b, l->state) || put_str(b, l->zip) ||
		    put_str(b, l->country) || put_str(b, l->status))
			return CTM_ENOMEM;
	}
	if (buf_reserve(b, 2 * UV_MAX))
		return CTM_ENOMEM;
	put_sv(b, t->first_posted);
	put_sv(b, t->download_date);
	for (i = 0; i < t->n_criteria; i++)
		if (put_str(b, t->criteria[i].text) ||
		    put_str(b, t->criteria[i].heading) ||
		    put_str(b, t->criteria[i].review_reason))
			return CTM_ENOMEM;
	return 0;
}

static int encode(const ctm_trial *t, ctm_buf *b)
{
	uint32_t lu = (uint32_t)t->last_update, ml;
	size_t i, at;

	if (buf_reserve(b, CTM_RECORD_HEADER_SIZE + 4))
		return CTM_ENOMEM;
	memcpy(b->data + b->len, CTM_RECORD_MAGIC, 4);
	b->len += 4;
	put_u8(b, CTM_RECORD_VERSION);
	for (i = 0; i < 4; i++)
		put_u8(b, (lu >> (8 * i)) & 0xff);
	at = b->len; /* the match part's length, written once known */
	b->len += 4;
	if (encode_match_part(t, b))
		return CTM_ENOMEM;
	if (b->len - at - 4 > UINT32_MAX)
		return CTM_ENOMEM;
	ml = (uint32_t)(b->len - at - 4);
	for (i = 0; i < 4; i++)
		b->data[at + i] = (unsigned char)((ml >> (8 * i)) & 0xff);
	return encode_text_part(t, b);
}

int ctm_record_encode(const ctm_trial *t, ctm_buf *b)
{
	size_t start = b->len;
	int rc = encode(t, b);

	if (rc)
		b->len = start; /* nothing half-written stays behind */
	return rc;
}

/* ------------------------------------------------------------------ */
/* Checking                                                            */
/* ------------------------------------------------------------------ */

/*
 * One prefix-order tree over all n nodes: `need` counts the nodes still
 * owed to open parents; it must reach 0 exactly at the last node.
 */
static const char *check_criterion(const ctm_criterion *c)
{
	uint64_t need = 1;
	size_t i;

	if ((unsigned)c->section > CTM_SECTION_EXCLUSION)
		return "section out of range";
	for (i = 0; i < c->n_constraints; i++)
		if (c->constraints[i].kind >= CTM_K_COUNT_)
			return "constraint kind out of range";
	for (i = 0; i < c->n_expr; i++) {
		const ctm_expr *e = &c->expr[i];
		if (need == 0)
			return "expression has nodes after its root's tree";
		need--;
		switch (e->op) {
		case CTM_EXPR_LEAF:
			if (e->arg >= c->n_constraints)
				return "expression leaf names a missing "
				       "constraint";
			break;
		case CTM_EXPR_AND:
		case CTM_EXPR_OR:
			need += e->arg;
			break;
		case CTM_EXPR_NOT:
			need += 1;
			break;
		default:
			return "expression operator out of range";
		}
		if (need > c->n_expr - i - 1)
			return "expression node has more children than "
			       "nodes follow";
	}
	return NULL;
}

static const char *check_trial(const ctm_trial *t)
{
	if ((unsigned)t->status >= CTM_STATUS_COUNT_)
		return "status out of range";
	if ((unsigned)t->gender > CTM_GENDER_MALE)
		return "gender out of range";
	if (t->healthy_volunteers < -1 || t->healthy_volunteers > 1)
		return "healthy_volunteers out of range";
	if (t->n_cohorts > CTM_MAX_COHORTS)
		return "more cohorts than CTM_MAX_COHORTS";
	return NULL;
}

int ctm_record_check(const ctm_trial *t, ctm_error *err)
{
	const char *why = check_trial(t);
	const char *id = t->nct_id ? t->nct_id : "(no id)";
	size_t i;

	if (why)
		return ctm_error_set(err, CTM_EINVALID, NULL, 0, 0, "%s: %s",
				     id, why);
	for (i = 0; i < t->n_criteria; i++) {
		why = check_criterion(&t->criteria[i]);
		if (why)
			return ctm_error_set(err, CTM_EINVALID, NULL, 0, 0,
					     "%s: criterion %zu: %s", id,
					     i + 1, why);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

typedef struct reader {
	const unsigned char *p, *end;
	ctm_arena *a;
	char *slab;	  /* string storage, carved front to back */
	const char *what; /* the field being read, for the error message */
	int oom;	  /* an arena allocation failed */
	int skip;	  /* rd_str: step over the string, give NULL */
	int lite;	  /* CTM_DECODE_LITE */
	int minimal;	  /* CTM_DECODE_MINIMAL */
	int lazy;	  /* stop before the criteria (ctm_record_decode_lazy) */
	const unsigned char *sites; /* lazy: the sites, not read */
	unsigned version; /* the record's format version */
} reader;

/* The general case of rd_uv: more than one byte, or out of bytes. */
static int rd_uv_slow(reader *r, uint64_t *v)
{
	const unsigned char *p = r->p;
	uint64_t x = 0;
	unsigned shift = 0;

	while (p < r->end) {
		unsigned b = *p++;
		if (shift == 63 && b > 1)
			return -1;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			r->p = p;
			return 0;
		}
		shift += 7;
		if (shift > 63)
			return -1;
	}
	return -1;
}

static inline int rd_uv(reader *r, uint64_t *v)
{
	if (r->p < r->end && *r->p < 0x80) {
		*v = *r->p++;
		return 0;
	}
	return rd_uv_slow(r, v);
}

static inline int rd_u32(reader *r, uint32_t *v)
{
	uint64_t x;

	if (rd_uv(r, &x) || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static inline int rd_u16(reader *r, uint16_t *v)
{
	uint64_t x;

	if (rd_uv(r, &x) || x > UINT16_MAX)
		return -1;
	*v = (uint16_t)x;
	return 0;
}

static int rd_i32(reader *r, int32_t *v)
{
	uint64_t x;
	int64_t s;

	if (rd_uv(r, &x))
		return -1;
	s = (int64_t)(x >> 1) ^ -(int64_t)(x & 1);
	if (s < INT32_MIN || s > INT32_MAX)
		return -1;
	*v = (int32_t)s;
	return 0;
}

static inline int rd_u8(reader *r, unsigned *v)
{
	if (r->p >= r->end)
		return -1;
	*v = *r->p++;
	return 0;
}

static inline int rd_u64le(reader *r, uint64_t *v)
{
	const unsigned char *p = r->p;
	uint64_t x = 0;
	int i;

	if (r->end - p < 8)
		return -1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* one load, not eight shifts: three per constraint, thousands of
	 * constraints per lookup */
	(void)i;
	memcpy(&x, p, 8);
#else
	for (i = 0; i < 8; i++)
		x |= (uint64_t)p[i] << (8 * i);
#endif
	r->p = p + 8;
	*v = x;
	return 0;
}

static inline int rd_f64(reader *r, double *d)
{
	uint64_t v;

	if (rd_u64le(r, &v))
		return -1;
	memcpy(d, &v, sizeof *d);
	return 0;
}

/*
 * A count of elements that each take at least min_bytes: bounded by the
 * bytes left, so a corrupt count cannot make us allocate much.
 */
static inline int rd_count(reader *r, size_t min_bytes, size_t *n)
{
	uint64_t v;

	if (rd_uv(r, &v) || v > (uint64_t)(r->end - r->p) / min_bytes)
		return -1;
	*n = (size_t)v;
	return 0;
}

static inline int rd_str(reader *r, const char **out)
{
	uint64_t v;
	size_t n;
	char *s;

	if (rd_uv(r, &v))
		return -1;
	if (v == 0) {
		*out = NULL;
		return 0;
	}
	if (v - 1 > (uint64_t)(r->end - r->p))
		return -1;
	n = (size_t)(v - 1);
	if (r->skip) {
		r->p += n;
		*out = NULL;
		return 0;
	}
#ifdef CTM_ARENA_MALLOC
	s = ctm_arena_strndup(r->a, (const char *)r->p, n);
	if (!s) {
		r->oom = 1;
		return -1;
	}
#else
	/* Every string costs at least n + 1 record bytes (its length
	 * prefix), so the slab, as large as the record, never runs out. */
	s = r->slab;
	memcpy(s, r->p, n);
	s[n] = '\0';
	r->slab += n + 1;
#endif
	r->p += n;
	*out = s;
	return 0;
}

/* n > 0, bounded by rd_count; zeroed. */
static void *rd_array(reader *r, size_t n, size_t size)
{
	void *p = NULL;

	if (n <= SIZE_MAX / size)
		p = ctm_arena_alloc(r->a, n * size);
	if (!p)
		r->oom = 1;
	return p;
}

/* The same not zeroed, for an array whose every field the caller sets
 * (a lookup decodes some 10,000 candidates: the zeroing was a tenth of
 * its instructions). */
static void *rd_array_uninit(reader *r, size_t n, size_t size)
{
	void *p = NULL;

	if (n <= SIZE_MAX / size)
		p = ctm_arena_alloc_uninit(r->a, n * size);
	if (!p)
		r->oom = 1;
	return p;
}

static int rd_list(reader *r, const char ***v, size_t *n)
{
	size_t i;

	if (rd_count(r, 1, n))
		return -1;
	if (*n == 0 || r->skip) {
		const char *ignored;
		*v = NULL;
		for (i = 0; i < *n; i++)
			if (rd_str(r, &ignored))
				return -1;
		*n = 0;
		return 0;
	}
	*v = rd_array(r, *n, sizeof(**v));
	if (!*v)
		return -1;
	for (i = 0; i < *n; i++)
		if (rd_str(r, &(*v)[i]))
			return -1;
	return 0;
}

/* Minimum encoded bytes of one element, for rd_count. */
#define MIN_INTERVENTION 3
#define MIN_LOCATION 6
#define MIN_SITE 2
#define MIN_CRITERION 5
#define MIN_EXPR 2
#define MIN_CONSTRAINT (7 + 24)

/*
 * A varint at *pp without a bounds check: the caller knows UV_MAX bytes
 * are left. The same checks as rd_uv_slow otherwise (at most 10 bytes,
 * 64 bits).
 */
static inline int uv_at(const unsigned char **pp, uint64_t *v)
{
	const unsigned char *p = *pp;
	uint64_t x;
	unsigned shift;

	if (*p < 0x80) {
		*v = *p;
		*pp = p + 1;
		return 0;
	}
	x = *p++ & 0x7f;
	for (shift = 7; shift <= 63; shift += 7) {
		unsigned b = *p++;
		if (shift == 63 && b > 1)
			return -1;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			*pp = p;
			return 0;
		}
	}
	return -1;
}

static inline double f64_at(const unsigned char *p)
{
	uint64_t v = 0;
	double d;
	int i;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)i;
	memcpy(&v, p, 8);
#else
	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
#endif
	memcpy(&d, &v, sizeof d);
	return d;
}

/* The most bytes one constraint takes: 7 varints and 3 doubles. */
#define MAX_CONSTRAINT (7 * UV_MAX + 24)

/*
 * One constraint when MAX_CONSTRAINT bytes are left: one bounds check,
 * not ten (a lookup reads some 100,000 constraints).
 */
static int rd_constraint_fast(reader *r, ctm_constraint *k)
{
	const unsigned char *p = r->p;
	uint64_t f[7];
	int j;

	for (j = 0; j < 7; j++)
		if (uv_at(&p, &f[j]))
			return -1;
	if (f[0] > UINT16_MAX || f[1] > UINT16_MAX || f[2] > UINT32_MAX ||
	    f[3] > UINT32_MAX || f[4] > UINT32_MAX || f[5] > UINT32_MAX ||
	    f[6] > UINT32_MAX)
		return -1;
	k->kind = (uint16_t)f[0];
	k->status = (uint16_t)f[1];
	k->flags = (uint32_t)f[2];
	k->concept = (uint32_t)f[3];
	k->variant = (uint32_t)f[4];
	k->within_days = (uint32_t)f[5];
	k->reserved = (uint32_t)f[6];
	k->lo = f64_at(p);
	k->hi = f64_at(p + 8);
	k->alt_hi = f64_at(p + 16);
	r->p = p + 24;
	return 0;
}

/* A criterion's structure, from the match part. */
static int rd_criterion(reader *r, ctm_criterion *c)
{
	unsigned u8;
	uint32_t sec;
	size_t i;

	/* every field is set here: the array is not zeroed */
	memset(c, 0, sizeof(*c));
	r->what = "criterion";
	if (rd_u32(r, &sec) || sec > CTM_SECTION_EXCLUSION)
		return -1;
	c->section = (ctm_section)sec;
	if (rd_u8(r, &u8) || u8 > 1)
		return -1;
	c->structured = u8;
	r->what = "cohorts";
	if (r->version >= 4 && rd_u32(r, &c->cohorts))
		return -1;
	r->what = "expression";
	if (rd_count(r, MIN_EXPR, &c->n_expr))
		return -1;
	if (c->n_expr) {
		c->expr = rd_array_uninit(r, c->n_expr, sizeof(*c->expr));
		if (!c->expr)
			return -1;
	}
	for (i = 0; i < c->n_expr; i++) {
		uint64_t op, arg;
		if (r->end - r->p >= 2 * UV_MAX) {
			const unsigned char *p = r->p;
			if (uv_at(&p, &op) || uv_at(&p, &arg) ||
			    op > UINT32_MAX || arg > UINT32_MAX)
				return -1;
			r->p = p;
			c->expr[i].op = (uint32_t)op;
			c->expr[i].arg = (uint32_t)arg;
		} else if (rd_u32(r, &c->expr[i].op) ||
			   rd_u32(r, &c->expr[i].arg)) {
			return -1;
		}
	}
	r->what = "constraint";
	if (rd_count(r, MIN_CONSTRAINT, &c->n_constraints))
		return -1;
	if (c->n_constraints) {
		c->constraints = rd_array_uninit(r, c->n_constraints,
						 sizeof(*c->constraints));
		if (!c->constraints)
			return -1;
	}
	for (i = 0; i < c->n_constraints; i++) {
		ctm_constraint *k = &c->constraints[i];
		memset(k, 0, sizeof(*k)); /* a field the record lacks is 0 */
		if (r->end - r->p >= MAX_CONSTRAINT) {
			if (rd_constraint_fast(r, k))
				return -1;
			continue;
		}
		if (rd_u16(r, &k->kind) || rd_u16(r, &k->status) ||
		    rd_u32(r, &k->flags) || rd_u32(r, &k->concept) ||
		    rd_u32(r, &k->variant) || rd_u32(r, &k->within_days) ||
		    rd_u32(r, &k->reserved) || rd_f64(r, &k->lo) ||
		    rd_f64(r, &k->hi) || rd_f64(r, &k->alt_hi))
			return -1;
	}
	r->what = check_criterion(c);
	return r->what ? -1 : 0;
}

static int rd_match_part(reader *r, ctm_trial *t)
{
	uint32_t u32;
	size_t i, n;

	r->what = "status";
	if (rd_u32(r, &u32) || u32 >= CTM_STATUS_COUNT_)
		return -1;
	t->status = (ctm_status)u32;
	r->what = "eligibility";
	if (rd_u32(r, &u32) || u32 > CTM_GENDER_MALE)
		return -1;
	t->gender = (ctm_gender)u32;
	if (rd_f64(r, &t->min_age_years) || rd_f64(r, &t->max_age_years))
		return -1;
	if (rd_i32(r, &t->healthy_volunteers) || t->healthy_volunteers < -1 ||
	    t->healthy_volunteers > 1)
		return -1;
	r->what = "lexicon hash";
	if (rd_u64le(r, &t->lexicon_hash))
		return -1;

	/* the recruiting sites, as locations without facility, city, zip
	 * or status (all NULL) for a minimal decode; a full one reads the
	 * locations from the text part */
	r->what = "sites";
	r->sites = r->p;
	if (rd_count(r, MIN_SITE, &n))
		return -1;
	/* a lazy decode steps over them: only a trial not ineligible needs
	 * them (ctm_lazy_sites()) */
	r->skip = !r->minimal || r->lazy;
	if (n && !r->skip) {
		t->locations = rd_array(r, n, sizeof(*t->locations));
		if (!t->locations)
			return -1;
		t->n_locations = n;
	}
	for (i = 0; i < n; i++) {
		const char *state, *country;
		if (rd_str(r, &state) || rd_str(r, &country))
			return -1;
		if (!r->skip) {
			t->locations[i].state = state;
			t->locations[i].country = country;
		}
	}
	r->skip = 0;

	r->what = "population";
	if (rd_count(r, 1, &t->n_population))
		return -1;
	if (t->n_population) {
		t->population = rd_array_uninit(r, t->n_population,
						sizeof(*t->population));
		if (!t->population)
			return -1;
	}
	for (i = 0; i < t->n_population; i++)
		if (rd_u32(r, &t->population[i]))
			return -1;
	{
		unsigned u8;
		if (rd_u8(r, &u8) || u8 > 1)
			return -1;
		t->population_partial = u8;
	}
	r->what = "cohorts";
	if (r->version >= 4 && (rd_list(r, &t->cohorts, &t->n_cohorts) ||
				t->n_cohorts > CTM_MAX_COHORTS))
		return -1;

	r->what = "criteria";
	if (rd_count(r, r->version >= 4 ? MIN_CRITERION : MIN_CRITERION - 1,
		     &t->n_criteria))
		return -1;
	if (t->n_criteria) {
		/* rd_criterion sets each (a lazy decode reads a few) */
		t->criteria = rd_array_uninit(r, t->n_criteria,
					      sizeof(*t->criteria));
		if (!t->criteria)
			return -1;
	}
	for (i = 0; !r->lazy && i < t->n_criteria; i++)
		if (rd_criterion(r, &t->criteria[i]))
			return -1;
	return 0;
}

static int rd_text_part(reader *r, ctm_trial *t)
{
	unsigned u8;
	size_t i;

	r->what = "header";
	if (rd_str(r, &t->nct_id) || rd_str(r, &t->brief_title) ||
	    rd_str(r, &t->official_title))
		return -1;
	if (rd_str(r, &t->phase) || rd_str(r, &t->study_type))
		return -1;
	r->skip = r->lite;
	if (rd_str(r, &t->lead_sponsor))
		return -1;
	r->skip = 0;
	r->what = "conditions";
	if (rd_list(r, &t->conditions, &t->n_conditions))
		return -1;
	r->skip = r->lite;
	if (rd_list(r, &t->keywords, &t->n_keywords) ||
	    rd_list(r, &t->condition_mesh, &t->n_condition_mesh))
		return -1;

	r->what = "interventions";
	if (rd_count(r, MIN_INTERVENTION, &t->n_interventions))
		return -1;
	if (r->lite) {
		const char *ignored;
		const char **il;
		size_t k, ni = t->n_interventions, nk;
		t->n_interventions = 0;
		for (k = 0; k < ni; k++)
			if (rd_str(r, &ignored) || rd_str(r, &ignored) ||
			    rd_list(r, &il, &nk))
				return -1;
	} else if (t->n_interventions) {
		t->interventions = rd_array(r, t->n_interventions,
					    sizeof(*t->interventions));
		if (!t->interventions)
			return -1;
	}
	for (i = 0; !r->lite && i < t->n_interventions; i++) {
		ctm_intervention *iv = &t->interventions[i];
		if (rd_str(r, &iv->type) || rd_str(r, &iv->name) ||
		    rd_list(r, &iv->other_names, &iv->n_other_names))
			return -1;
	}
	r->skip = 0;

	r->what = "eligibility";
	if (rd_u8(r, &u8) || u8 > 1)
		return -1;
	t->has_eligibility = u8;
	r->skip = r->lite;
	if (rd_str(r, &t->criteria_text))
		return -1;
	r->skip = 0;

	r->what = "locations";
	if (rd_count(r, MIN_LOCATION, &t->n_locations))
		return -1;
	if (t->n_locations) {
		t->locations =
			rd_array(r, t->n_locations, sizeof(*t->locations));
		if (!t->locations)
			return -1;
	}
	for (i = 0; i < t->n_locations; i++) {
		ctm_location *l = &t->locations[i];
		if (rd_str(r, &l->facility) || rd_str(r, &l->city) ||
		    rd_str(r, &l->state) || rd_str(r, &l->zip) ||
		    rd_str(r, &l->country) || rd_str(r, &l->status))
			return -1;
	}

	r->what = "dates";
	if (rd_i32(r, &t->first_posted) || rd_i32(r, &t->download_date))
		return -1;

	r->what = "criterion text";
	for (i = 0; i < t->n_criteria; i++)
		if (rd_str(r, &t->criteria[i].text) ||
		    rd_str(r, &t->criteria[i].heading) ||
		    rd_str(r, &t->criteria[i].review_reason))
			return -1;
	return 0;
}

/*
 * The match part, then (unless minimal) the text part; each must be
 * consumed exactly. A minimal decode does not read the text part at all.
 */
static int rd_trial(reader *r, ctm_trial *t)
{
	const unsigned char *end = r->end;
	uint64_t ml;

	r->what = "header";
	if (r->end - r->p < 4)
		return -1;
	ml = (uint64_t)r->p[0] | (uint64_t)r->p[1] << 8 |
	     (uint64_t)r->p[2] << 16 | (uint64_t)r->p[3] << 24;
	r->p += 4;
	if (ml > (uint64_t)(r->end - r->p))
		return -1;
	r->end = r->p + ml;
	if (rd_match_part(r, t))
		return -1;
	if (r->lazy)
		return 0; /* r->p, r->end: the criteria */
	r->what = "match part length";
	if (r->p != r->end)
		return -1;
	r->end = end;
	if (r->minimal)
		return 0;
	if (rd_text_part(r, t))
		return -1;
	r->what = "trailing bytes";
	return r->p == r->end ? 0 : -1;
}

static int check_header(const unsigned char *d, size_t len, ctm_error *err)
{
	if (len < CTM_RECORD_HEADER_SIZE || memcmp(d, CTM_RECORD_MAGIC, 4))
		return ctm_error_set(err, CTM_EPARSE, NULL, 0, 0,
				     "not a ctmatch record (%zu bytes, bad "
				     "or short header)",
				     len);
	/* version 3 is version 4 without cohorts: read as binding all */
	if (d[4] != CTM_RECORD_VERSION && d[4] != 3)
		return ctm_error_set(err, CTM_EVERSION, NULL, 0, 0,
				     "record format version %u, this ctmatch "
				     "reads version %u; ingest into a new "
				     "--db",
				     (unsigned)d[4],
				     (unsigned)CTM_RECORD_VERSION);
	return 0;
}

static int32_t header_last_update(const unsigned char *d)
{
	uint32_t v = (uint32_t)d[5] | (uint32_t)d[6] << 8 |
		     (uint32_t)d[7] << 16 | (uint32_t)d[8] << 24;
	int32_t s;

	memcpy(&s, &v, sizeof s); /* two's complement, no UB */
	return s;
}

size_t ctm_record_match_size(const void *data, size_t len)
{
	const unsigned char *d = data;
	uint64_t ml;

	if (len < CTM_RECORD_HEADER_SIZE + 4)
		return len;
	d += CTM_RECORD_HEADER_SIZE;
	ml = (uint64_t)d[0] | (uint64_t)d[1] << 8 | (uint64_t)d[2] << 16 |
	     (uint64_t)d[3] << 24;
	if (ml > len - CTM_RECORD_HEADER_SIZE - 4)
		return len;
	return CTM_RECORD_HEADER_SIZE + 4 + (size_t)ml;
}

int ctm_record_last_update(const void *data, size_t len, int32_t *out)
{
	int rc = check_header(data, len, NULL);

	if (rc)
		return rc;
	*out = header_last_update(data);
	return 0;
}

int ctm_record_version(const void *data, size_t len, uint64_t *out)
{
	reader r;
	uint32_t u32;
	double f;
	int32_t i32;
	int rc = check_header(data, len, NULL);

	if (rc)
		return rc;
	memset(&r, 0, sizeof r);
	/* the version follows status, sex, ages and healthy volunteers at
	 * the start of the match part (after its 4-byte length) */
	r.p = (const unsigned char *)data + CTM_RECORD_HEADER_SIZE + 4;
	r.end = (const unsigned char *)data + len;
	if (r.p > r.end || rd_u32(&r, &u32) || rd_u32(&r, &u32) ||
	    rd_f64(&r, &f) || rd_f64(&r, &f) || rd_i32(&r, &i32) ||
	    rd_u64le(&r, out))
		return CTM_EPARSE;
	return 0;
}

int ctm_record_decode(const void *data, size_t len, ctm_trial **out,
		      ctm_error *err)
{
	return ctm_record_decode_flags(data, len, 0, out, err);
}

int ctm_record_decode_flags(const void *data, size_t len, unsigned flags,
			    ctm_trial **out, ctm_error *err)
{
	return ctm_record_decode_in(data, len, flags, NULL, out, err);
}

static int decode(const void *data, size_t len, unsigned flags,
		  ctm_arena *arena, ctm_trial **out, ctm_lazy *lz,
		  ctm_error *err)
{
	const unsigned char *d = data;
	ctm_trial *t = NULL;
	reader r;
	int rc;

	*out = NULL;
	rc = check_header(d, len, err);
	if (rc)
		return rc;
	if (arena) {
		/* in the caller's arena: t->arena stays NULL, so that
		 * ctm_trial_free(t) frees nothing */
		t = ctm_arena_alloc(arena, sizeof(*t));
		if (t) {
			t->min_age_years = t->max_age_years = CTM_AGE_UNBOUNDED;
			t->healthy_volunteers = -1;
		}
	} else {
		t = ctm_trial_new();
	}
	if (!t)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory decoding a record");
	t->last_update = header_last_update(d);
	r.p = d + CTM_RECORD_HEADER_SIZE;
	r.end = d + len;
	r.a = arena ? arena : t->arena;
	r.slab = NULL;
	r.what = "header";
	r.oom = 0;
	r.skip = 0;
	r.lite = (flags & (CTM_DECODE_LITE | CTM_DECODE_MINIMAL)) != 0;
	r.minimal = (flags & CTM_DECODE_MINIMAL) != 0;
	r.lazy = lz != NULL;
	r.sites = NULL;
	r.version = d[4];
#ifndef CTM_ARENA_MALLOC
	/* a minimal decode reads strings from the match part only: a slab
	 * as large as the texts made each candidate a malloc of its own */
	r.slab = ctm_arena_alloc_uninit(r.a, (r.minimal ? ctm_record_match_size(d, len) : len) -
						     CTM_RECORD_HEADER_SIZE + 1);
	if (!r.slab) {
		ctm_trial_free(t);
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory decoding a record");
	}
#endif
	if (rd_trial(&r, t)) {
		if (r.oom)
			rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
					   "out of memory decoding a record");
		else
			rc = ctm_error_set(err, CTM_EPARSE, NULL, 0, 0,
				   "record %s%struncated or corrupt at byte "
				   "%zu of %zu (%s)",
				   t->nct_id ? t->nct_id : "",
				   t->nct_id ? " " : "",
				   (size_t)(r.p - d), len, r.what);
		ctm_trial_free(t);
		return rc;
	}
	if (lz) {
		lz->p = r.p;
		lz->end = r.end;
		lz->sites = r.sites;
		lz->version = r.version;
		lz->arena = r.a;
		lz->t = t;
		lz->next = 0;
	}
	*out = t;
	return 0;
}

int ctm_record_decode_in(const void *data, size_t len, unsigned flags,
			 ctm_arena *arena, ctm_trial **out, ctm_error *err)
{
	return decode(data, len, flags, arena, out, NULL, err);
}

int ctm_record_decode_lazy(const void *data, size_t len, ctm_arena *arena,
			   ctm_trial **out, ctm_lazy *lz, ctm_error *err)
{
	return decode(data, len, CTM_DECODE_MINIMAL, arena, out, lz, err);
}

int ctm_lazy_sites(ctm_lazy *lz, ctm_error *err)
{
	ctm_trial *t = lz->t;
	reader r;
	size_t i, n;

	if (!lz->sites)
		return 0; /* read already */
	memset(&r, 0, sizeof r);
	r.p = lz->sites;
	r.end = lz->end;
	r.a = lz->arena;
	r.minimal = 1;
	r.version = lz->version;
	r.what = "sites";
#ifndef CTM_ARENA_MALLOC
	/* each string takes at least its length + 1 of these bytes */
	r.slab = ctm_arena_alloc_uninit(r.a, (size_t)(r.end - r.p) + 1);
	if (!r.slab) {
		r.oom = 1;
		goto fail;
	}
#endif
	if (rd_count(&r, MIN_SITE, &n))
		goto fail;
	if (n) {
		t->locations = rd_array(&r, n, sizeof(*t->locations));
		if (!t->locations)
			goto fail;
	}
	for (i = 0; i < n; i++)
		if (rd_str(&r, &t->locations[i].state) ||
		    rd_str(&r, &t->locations[i].country))
			goto fail;
	t->n_locations = n;
	lz->sites = NULL;
	return 0;
fail:
	t->locations = NULL;
	if (r.oom)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory decoding a record");
	return ctm_error_set(err, CTM_EPARSE, NULL, 0, 0,
			     "record truncated or corrupt in its sites (%s)",
			     r.what);
}

int ctm_lazy_next(ctm_lazy *lz, ctm_error *err)
{
	reader r;
	size_t n = lz->t->n_criteria;

	if (lz->next >= n)
		return ctm_error_set(err, CTM_EINVALID, NULL, 0, 0,
				     "no criterion left to read");
	memset(&r, 0, sizeof r);
	r.p = lz->p;
	r.end = lz->end;
	r.a = lz->arena;
	r.minimal = 1;
	r.version = lz->version;
	if (rd_criterion(&r, &lz->t->criteria[lz->next]))
		goto fail;
	if (lz->next + 1 == n && r.p != r.end) {
		r.what = "match part length"; /* the last must end the part */
		goto fail;
	}
	lz->p = r.p;
	lz->next++;
	return 0;
fail:
	if (r.oom)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory decoding a record");
	return ctm_error_set(err, CTM_EPARSE, NULL, 0, 0,
			     "record truncated or corrupt in criterion %zu of "
			     "%zu (%s)",
			     lz->next + 1, n, r.what);
}
