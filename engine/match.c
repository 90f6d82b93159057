/*
 * match.c - one patient against one trial: three-valued evaluation of each
 * criterion, the verdict, and the score.
 *
 * Each constraint is true, false or unknown for a patient (Kleene logic);
 * an absent profile fact gives unknown, a present list is complete
 * (spec/patient-profile.md). A criterion's expression is true when the
 * criterion does not bar the patient (polarity was folded in at parse
 * time). The verdict follows spec/matching.md.
 */
#include <ctm/engine.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { F = 0, T = 1, U = -1 };

struct ctm_matcher {
	const ctm_lexicon *lx;
	ctm_concept tmb, liver, brain;
	ctm_concept any_therapy; /* "therapy of any kind": a cancer treatment */
	ctm_concept cancer;	 /* the root of the cancers */
	/* "transaminases" is AST and ALT: the one lab read from two */
	ctm_concept lab_ast, lab_alt, lab_transaminases;
	/* common_descendant() answered once for every pair, when the matcher
	 * is made (it scanned the whole lexicon on each call, for each
	 * candidate trial's population: half a batch's time). cd_idx[c] is
	 * 1 + c's row among the concepts some disease is-a (itself
	 * included), 0 for the others; row i, bit j: some disease is-a both */
	uint32_t *cd_idx;
	size_t cd_n, cd_words, n_concepts;
	uint64_t *cd_bits;
};

/*
 * The concepts disease c is-a (itself included), in increasing order,
 * into anc[] (room for the lexicon's count); returns how many. Walks c's
 * ancestor bitset: testing every concept made the table a tenth of a
 * lookup's start-up.
 */
static size_t ancestors_of(const ctm_lexicon *lx, size_t n, ctm_concept c,
			   uint32_t *anc)
{
	size_t words, w, k = 0;
	const uint64_t *bits = ctm_lexicon_ancestors(lx, c, &words);

	for (w = 0; bits && w < words; w++) {
		uint64_t x = bits[w];
		while (x) {
			size_t a = w * 64 + (size_t)__builtin_ctzll(x);
			x &= x - 1;
			if (a && a < n)
				anc[k++] = (uint32_t)a;
		}
	}
	return k;
}

/* Fills the common_descendant() table. 0 or CTM_ENOMEM. */
static int common_table(ctm_matcher *m)
{
	const ctm_lexicon *lx = m->lx;
	size_t n = ctm_lexicon_count(lx), c, a, b, n_anc;
	uint32_t *anc;

	m->n_concepts = n;
	m->cd_idx = calloc(n ? n : 1, sizeof(*m->cd_idx));
	anc = malloc((n ? n : 1) * sizeof(*anc));
	if (!m->cd_idx || !anc) {
		free(anc);
		return CTM_ENOMEM;
	}
	for (c = 1; c < n; c++) {
		if (ctm_lexicon_type(lx, (ctm_concept)c) != CTM_CT_DISEASE)
			continue;
		n_anc = ancestors_of(lx, n, (ctm_concept)c, anc);
		for (a = 0; a < n_anc; a++)
			if (!m->cd_idx[anc[a]])
				m->cd_idx[anc[a]] = (uint32_t)++m->cd_n;
	}
	m->cd_words = (m->cd_n + 63) / 64;
	m->cd_bits = calloc(m->cd_n * m->cd_words + 1, sizeof(*m->cd_bits));
	if (!m->cd_bits) {
		free(anc);
		return CTM_ENOMEM;
	}
	for (c = 1; c < n; c++) {
		if (ctm_lexicon_type(lx, (ctm_concept)c) != CTM_CT_DISEASE)
			continue;
		n_anc = ancestors_of(lx, n, (ctm_concept)c, anc);
		for (a = 0; a < n_anc; a++)
			anc[a] = m->cd_idx[anc[a]] - 1;
		for (a = 0; a < n_anc; a++)
			for (b = 0; b < n_anc; b++)
				m->cd_bits[anc[a] * m->cd_words + anc[b] / 64] |=
					(uint64_t)1 << (anc[b] % 64);
	}
	free(anc);
	return 0;
}

static ctm_concept lookup(const ctm_lexicon *lx, ctm_concept_type type,
			  const char *name)
{
	ctm_concept c = ctm_lexicon_concept(lx, type, name);

	if (!c) {
		c = ctm_lexicon_find(lx, name, strlen(name));
		if (c && ctm_lexicon_type(lx, c) != type)
			c = 0;
	}
	return c;
}

int ctm_matcher_new(ctm_matcher **out, const ctm_lexicon *lx, ctm_error *err)
{
	ctm_matcher *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	m->lx = lx;
	m->tmb = lookup(lx, CTM_CT_MARKER, "TMB");
	m->liver = lookup(lx, CTM_CT_SITE, "liver");
	m->brain = lookup(lx, CTM_CT_SITE, "brain");
	m->any_therapy = lookup(lx, CTM_CT_CLASS, "therapy of any kind");
	m->cancer = lookup(lx, CTM_CT_DISEASE, "cancer");
	m->lab_ast = lookup(lx, CTM_CT_LAB, "ast");
	m->lab_alt = lookup(lx, CTM_CT_LAB, "alt");
	m->lab_transaminases = lookup(lx, CTM_CT_LAB, "transaminases");
	if (common_table(m)) {
		ctm_matcher_free(m);
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	}
	*out = m;
	return 0;
}

void ctm_matcher_free(ctm_matcher *m)
{
	if (!m)
		return;
	free(m->cd_idx);
	free(m->cd_bits);
	free(m);
}

const char *ctm_outcome_name(ctm_outcome o)
{
	switch (o) {
	case CTM_OUT_MET: return "met";
	case CTM_OUT_NOT_MET: return "not_met";
	case CTM_OUT_UNKNOWN: return "unknown";
	case CTM_OUT_NOT_APPLICABLE: return "not_applicable";
	default: return "review";
	}
}

const char *ctm_verdict_name(ctm_verdict v)
{
	switch (v) {
	case CTM_VERDICT_ELIGIBLE: return "eligible";
	case CTM_VERDICT_POSSIBLE: return "possible";
	default: return "ineligible";
	}
}

/* ---- evaluation context ---- */

typedef struct ectx {
	const ctm_matcher *m;
	const ctm_profile *p;
	int32_t today;
	bool explain;
	/* facts of the criterion being evaluated */
	char facts[768];
	size_t flen;
	bool want_facts;  /* build fact strings (costly: only when needed) */
	bool all_na;	  /* every leaf so far is not applicable */
	bool specific;	  /* a positive biomarker/therapy/site leaf held */
} ectx;

static void fact(ectx *e, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void fact(ectx *e, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	if (!e->want_facts)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if (strstr(e->facts, buf)) /* said already */
		return;
	n = snprintf(e->facts + e->flen, sizeof(e->facts) - e->flen, "%s%s",
		     e->flen ? "; " : "", buf);
	if (n > 0) {
		e->flen += (size_t)n;
		if (e->flen >= sizeof(e->facts))
			e->flen = sizeof(e->facts) - 1;
	}
}

static const char *name(const ectx *e, ctm_concept c)
{
	return ctm_lexicon_name(e->m->lx, c);
}

/*
 * A value at a bound is the bound: a value typed in another unit and
 * converted (1,400/uL * 0.001 is 1.4000000000000001 x10^9/L) must meet
 * "ANC >= 1.4" and fail "ANC > 1.4" like 1.4 itself.
 */
static bool at_bound(double v, double b)
{
	return v == b ||
	       (isfinite(b) && fabs(v - b) <= 1e-9 * fmax(1, fabs(b)));
}

/* v is above lo (strictly with CTM_F_LO_OPEN); NAN is not. */
static bool above_lo(double v, double lo, uint32_t flags)
{
	if (at_bound(v, lo))
		return !(flags & CTM_F_LO_OPEN);
	return v > lo;
}

/* v is below hi (strictly with open); NAN is not. */
static bool below_hi(double v, double hi, bool open)
{
	if (at_bound(v, hi))
		return !open;
	return v < hi;
}

/* v in the constraint's range, its ends open or closed by k's flags. */
static int in_range(double v, const ctm_constraint *k)
{
	bool hi_open = (k->flags & CTM_F_HI_OPEN) != 0;

	if (above_lo(v, k->lo, k->flags) && below_hi(v, k->hi, hi_open))
		return T;
	return F;
}

/* A range [vlo, vhi] of possible patient values against k's range. */
static int range_vs(double vlo, double vhi, const ctm_constraint *k)
{
	bool hi_open = (k->flags & CTM_F_HI_OPEN) != 0;

	if (above_lo(vlo, k->lo, k->flags) && below_hi(vhi, k->hi, hi_open))
		return T;
	if (!above_lo(vhi, k->lo, k->flags) || !below_hi(vlo, k->hi, hi_open))
		return F;
	return U;
}

static bool has_site(const ectx *e, ctm_concept site)
{
	size_t i;

	for (i = 0; i < e->p->n_sites; i++)
		if (ctm_lexicon_is_a(e->m->lx, e->p->sites[i], site))
			return true;
	return false;
}

/* Liver metastases: T, F or U. */
static int liver_mets(const ectx *e)
{
	if (!e->m->liver)
		return U;
	if (e->p->has_sites)
		return has_site(e, e->m->liver) ? T : F;
	if (e->p->metastatic == 0)
		return F;
	return U;
}

/* True if some disease concept is-a both a and b (the table of
 * common_table()). */
static bool common_descendant(const ctm_matcher *m, ctm_concept a,
			      ctm_concept b)
{
	uint32_t i, j;

	if (!a || !b || a >= m->n_concepts || b >= m->n_concepts)
		return false;
	i = m->cd_idx[a];
	j = m->cd_idx[b];
	if (!i || !j)
		return false;
	i--;
	j--;
	return (m->cd_bits[i * m->cd_words + j / 64] >> (j % 64)) & 1u;
}

/* ---- biomarkers ---- */

/*
 * MSI/MMR statuses in MSI terms (ctm_bm_msi_status: dMMR is MSI-H), high
 * or stable: MSI-low counts as stable here (or -1: not such a status).
 */
static int msi_class(ctm_bm_status s)
{
	int ms = ctm_bm_msi_status(s);

	return ms == CTM_BM_LOW ? CTM_BM_STABLE : ms;
}

static int status_vs(const ectx *e, const ctm_constraint *k,
		     const ctm_biomarker *b)
{
	ctm_bm_status want = (ctm_bm_status)k->status, have = b->status;

	switch (want) {
	case CTM_BM_ANY:
		if (have == CTM_BM_MUTATED || have == CTM_BM_AMPLIFIED ||
		    have == CTM_BM_FUSION || have == CTM_BM_OVEREXPRESSED ||
		    have == CTM_BM_POSITIVE || have == CTM_BM_HIGH ||
		    have == CTM_BM_DEFICIENT)
			return T;
		if (have == CTM_BM_WILDTYPE || have == CTM_BM_NEGATIVE ||
		    have == CTM_BM_STABLE || have == CTM_BM_PROFICIENT)
			return F;
		return U;
	case CTM_BM_MUTATED:
		if (have == CTM_BM_MUTATED) {
			if (!k->variant)
				return T;
			if (!b->variant)
				return U;
			/* variants form a tree: G12C is-a G12 is-a exon 2 */
			if (ctm_lexicon_is_a(e->m->lx, b->variant, k->variant))
				return T;
			if (ctm_lexicon_is_a(e->m->lx, k->variant, b->variant))
				return U; /* known only more coarsely */
			return F;
		}
		/* a listed gene's status is its whole state */
		if (have == CTM_BM_WILDTYPE || have == CTM_BM_AMPLIFIED ||
		    have == CTM_BM_FUSION)
			return F;
		return U;
	case CTM_BM_WILDTYPE:
		if (have == CTM_BM_WILDTYPE)
			return T;
		if (have == CTM_BM_MUTATED || have == CTM_BM_AMPLIFIED ||
		    have == CTM_BM_FUSION)
			return F;
		return U;
	case CTM_BM_AMPLIFIED:
		if (have == CTM_BM_AMPLIFIED)
			return T;
		if (have == CTM_BM_NOT_AMPLIFIED || have == CTM_BM_WILDTYPE ||
		    have == CTM_BM_MUTATED || have == CTM_BM_NEGATIVE)
			return F;
		return U;
	case CTM_BM_NOT_AMPLIFIED:
		if (have == CTM_BM_NOT_AMPLIFIED || have == CTM_BM_WILDTYPE ||
		    have == CTM_BM_NEGATIVE)
			return T;
		if (have == CTM_BM_AMPLIFIED)
			return F;
		return U;
	case CTM_BM_OVEREXPRESSED:
	case CTM_BM_POSITIVE:
		if (have == CTM_BM_OVEREXPRESSED || have == CTM_BM_AMPLIFIED ||
		    have == CTM_BM_POSITIVE || have == CTM_BM_HIGH)
			return T;
		if (have == CTM_BM_NOT_AMPLIFIED || have == CTM_BM_NEGATIVE ||
		    have == CTM_BM_WILDTYPE || have == CTM_BM_LOW)
			return F;
		return U;
	case CTM_BM_NEGATIVE:
		if (have == CTM_BM_NOT_AMPLIFIED || have == CTM_BM_NEGATIVE ||
		    have == CTM_BM_WILDTYPE || have == CTM_BM_LOW)
			return T;
		if (have == CTM_BM_OVEREXPRESSED || have == CTM_BM_AMPLIFIED ||
		    have == CTM_BM_POSITIVE || have == CTM_BM_HIGH)
			return F;
		return U;
	case CTM_BM_FUSION:
		if (have == CTM_BM_FUSION)
			return T;
		if (have == CTM_BM_WILDTYPE || have == CTM_BM_MUTATED ||
		    have == CTM_BM_AMPLIFIED || have == CTM_BM_NEGATIVE)
			return F;
		return U;
	case CTM_BM_HIGH:
	case CTM_BM_LOW:
	case CTM_BM_STABLE:
	case CTM_BM_DEFICIENT:
	case CTM_BM_PROFICIENT: {
		int w = msi_class(want), h = msi_class(have);
		if (k->concept == e->m->tmb || (w < 0 || h < 0)) {
			/* TMB, PD-L1: high/low with an optional threshold */
			if (!isnan(b->value) &&
			    (!isinf(k->lo) || !isinf(k->hi)))
				return in_range(b->value, k);
			if (want == CTM_BM_HIGH && have == CTM_BM_HIGH)
				/* TMB-high is >= 10 mut/Mb: it meets ">= 10",
				 * not surely "> 10" */
				return above_lo(10, k->lo, k->flags) ? T : U;
			if (want == CTM_BM_HIGH && have == CTM_BM_LOW)
				return F;
			if (want == CTM_BM_LOW && have == CTM_BM_LOW)
				return T;
			if (want == CTM_BM_LOW && have == CTM_BM_HIGH)
				return F;
			return U;
		}
		if (want == CTM_BM_LOW) {
			if (have == CTM_BM_LOW)
				return T;
			return ctm_bm_msi_status(have) == CTM_BM_HIGH ? F : U;
		}
		return w == h ? T : F;
	}
	default:
		return U;
	}
}

static const char *bm_text(const ectx *e, const ctm_biomarker *b, char *buf,
			   size_t n)
{
	snprintf(buf, n, "%s %s%s%s", b->gene ? name(e, b->gene) : b->name,
		 ctm_bm_status_name(b->status),
		 b->variant_text ? " " : "",
		 b->variant_text ? b->variant_text : "");
	return buf;
}

static int eval_biomarker(ectx *e, const ctm_constraint *k)
{
	const ctm_profile *p = e->p;
	bool msi_family = ctm_bm_msi_family(e->m->lx, k->concept);
	int result = U;
	size_t i;
	char buf[128];

	if (!p->has_biomarkers) {
		fact(e, "biomarkers not recorded");
		return U;
	}
	for (i = 0; i < p->n_biomarkers; i++) {
		const ctm_biomarker *b = &p->biomarkers[i];
		bool same = b->gene && (b->gene == k->concept ||
					(msi_family &&
					 ctm_bm_msi_family(e->m->lx, b->gene)));
		int r;
		if (!same)
			continue;
		r = status_vs(e, k, b);
		fact(e, "%s", bm_text(e, b, buf, sizeof buf));
		if (r == T)
			return T;
		if (r == F)
			result = F;
	}
	if (result == U)
		fact(e, "no %s result", name(e, k->concept));
	return result;
}

/* ---- therapies ---- */

static bool systemic(const ectx *e, const ctm_therapy *t)
{
	ctm_concept_type ty = ctm_lexicon_type(e->m->lx, t->concept);
	return ty == CTM_CT_DRUG || ty == CTM_CT_REGIMEN || ty == CTM_CT_CLASS;
}

static int days_between(int32_t a, int32_t b)
{
	/* days from a to b, both YYYYMMDD: civil-from-days arithmetic */
	int32_t d[2] = {a, b};
	long days[2];
	int i;

	for (i = 0; i < 2; i++) {
		long y = d[i] / 10000, m = d[i] / 100 % 100, dd = d[i] % 100;
		long era, yoe, doy, doe;
		y -= m <= 2;
		era = (y >= 0 ? y : y - 399) / 400;
		yoe = y - era * 400;
		doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		days[i] = era * 146097 + doe;
	}
	return (int)(days[1] - days[0]);
}

/* True if c is a treatment of the cancer (under "therapy of any kind"). */
static bool cancer_treatment(const ectx *e, ctm_concept c)
{
	return !e->m->any_therapy ||
	       ctm_lexicon_is_a(e->m->lx, c, e->m->any_therapy);
}

static int eval_therapy(ectx *e, const ctm_constraint *k)
{
	const ctm_profile *p = e->p;
	int result = F;
	bool any_unrecognised = false;
	size_t i;

	if (!p->has_therapies) {
		fact(e, "prior therapies not recorded");
		return U;
	}
	for (i = 0; i < p->n_therapies; i++) {
		const ctm_therapy *t = &p->therapies[i];
		int r = T;

		if (!t->concept) {
			any_unrecognised = true;
			continue;
		}
		if (!ctm_lexicon_is_a(e->m->lx, t->concept, k->concept))
			continue;
		/* setting */
		if (k->flags & (CTM_F_METASTATIC_SETTING |
				CTM_F_ADJUVANT_SETTING |
				CTM_F_NEOADJUVANT_SETTING)) {
			ctm_setting want =
				k->flags & CTM_F_METASTATIC_SETTING
					? CTM_SETTING_METASTATIC
				: k->flags & CTM_F_ADJUVANT_SETTING
					? CTM_SETTING_ADJUVANT
					: CTM_SETTING_NEOADJUVANT;
			if (t->setting == CTM_SETTING_UNKNOWN)
				r = U;
			else if (t->setting != want)
				r = F;
		}
		/* progression, refractoriness, with the intolerance escape */
		if (r != F && (k->flags & (CTM_F_PROGRESSED | CTM_F_REFRACTORY))) {
			if (t->progressed == 1)
				;
			else if (t->progressed == 0)
				r = (k->flags & CTM_F_INTOLERANT) ? U : F;
			else
				r = U;
		}
		/* time windows */
		if (r != F && (k->flags & CTM_F_WITHIN)) {
			if (!t->end_date || !e->today)
				r = r == T ? U : r;
			else if (!below_hi(days_between(t->end_date, e->today),
					   k->within_days,
					   (k->flags & CTM_F_HI_OPEN) != 0))
				r = F;
		}
		if (r != F && (k->flags & CTM_F_CURRENT)) {
			if (t->end_date && e->today && t->end_date < e->today)
				r = F;
			else if (!t->end_date)
				r = r == T ? U : r;
		}
		fact(e, "%s%s%s", t->name,
		     t->progressed == 1 ? " (progressed)" : "",
		     t->setting == CTM_SETTING_ADJUVANT ? " (adjuvant)" : "");
		if (r == T)
			return T;
		if (r == U)
			result = U;
	}
	if (result == F && any_unrecognised) {
		fact(e, "an unrecognised prior therapy");
		return U;
	}
	/* a profile lists the treatments of the cancer; a medicine that is
	 * not one (a steroid, an anticoagulant) it may hold, but its
	 * absence says nothing */
	if (result == F && !cancer_treatment(e, k->concept)) {
		fact(e, "%s not recorded", name(e, k->concept));
		return U;
	}
	if (result == F)
		fact(e, p->n_therapies ? "no prior %s" : "no prior therapy",
		     name(e, k->concept));
	return result;
}

static int eval_lines(ectx *e, const ctm_constraint *k)
{
	const ctm_profile *p = e->p;
	int lines[64];
	size_t i, j, n_lines = 0, unlined = 0, unsure_setting = 0;

	if (!p->has_therapies) {
		fact(e, "prior therapies not recorded");
		return U;
	}
	for (i = 0; i < p->n_therapies; i++) {
		const ctm_therapy *t = &p->therapies[i];
		if (t->concept && !systemic(e, t))
			continue; /* procedures are not lines */
		if (k->flags & CTM_F_METASTATIC_SETTING) {
			if (t->setting == CTM_SETTING_ADJUVANT ||
			    t->setting == CTM_SETTING_NEOADJUVANT)
				continue;
			if (t->setting == CTM_SETTING_UNKNOWN) {
				unsure_setting++;
				continue;
			}
		}
		if (t->line <= 0) {
			unlined++;
			continue;
		}
		for (j = 0; j < n_lines && lines[j] != t->line; j++)
			;
		if (j == n_lines && n_lines < 64)
			lines[n_lines++] = t->line;
	}
	{
		double lo = (double)n_lines + (n_lines == 0 && unlined ? 1 : 0);
		double hi = (double)(n_lines + unlined + unsure_setting);
		if (unsure_setting && !n_lines && !unlined)
			lo = 0;
		fact(e, "%zu prior line%s%s", n_lines, n_lines == 1 ? "" : "s",
		     unlined || unsure_setting ? " known" : "");
		return range_vs(lo, hi, k);
	}
}

/* ---- performance status ---- */

static int ecog_from_kps(int kps)
{
	return kps >= 90 ? 0 : kps >= 70 ? 1 : kps >= 50 ? 2 : kps >= 30 ? 3
	       : kps >= 10 ? 4 : 5;
}

static int eval_ecog(ectx *e, const ctm_constraint *k)
{
	if (e->p->ecog >= 0) {
		fact(e, "ECOG %d", e->p->ecog);
		return in_range(e->p->ecog, k);
	}
	if (e->p->karnofsky >= 0) {
		fact(e, "Karnofsky %d", e->p->karnofsky);
		return in_range(ecog_from_kps(e->p->karnofsky), k);
	}
	fact(e, "performance status not recorded");
	return U;
}

static int eval_karnofsky(ectx *e, const ctm_constraint *k)
{
	static const double lo[] = {90, 70, 50, 30, 10, 0};
	static const double hi[] = {100, 80, 60, 40, 20, 0};

	if (e->p->karnofsky >= 0) {
		fact(e, "Karnofsky %d", e->p->karnofsky);
		return in_range(e->p->karnofsky, k);
	}
	if (e->p->ecog >= 0 && e->p->ecog <= 5) {
		fact(e, "ECOG %d", e->p->ecog);
		return range_vs(lo[e->p->ecog], hi[e->p->ecog], k);
	}
	fact(e, "performance status not recorded");
	return U;
}

/* ---- labs ---- */

static int eval_lab(ectx *e, const ctm_constraint *k)
{
	const ctm_matcher *m = e->m;
	double v = NAN, hi = k->hi;
	bool hi_open = (k->flags & CTM_F_HI_OPEN) != 0;
	const char *label = name(e, k->concept);

	if (!k->concept)
		return U;
	/* the profile's labs are (concept, value) pairs (labs.tsv) */
	if (k->concept != m->lab_transaminases) {
		v = ctm_profile_lab(e->p, k->concept);
	} else {
		/* "transaminases <= 2.5 x ULN": both AST and ALT */
		double ast = ctm_profile_lab(e->p, m->lab_ast);
		double alt = ctm_profile_lab(e->p, m->lab_alt);
		if (!isnan(ast) && !isnan(alt))
			v = ast > alt ? ast : alt;
		else if (!isnan(ast) || !isnan(alt)) {
			/* one known: it can fail the bound, not pass it */
			double one = isnan(ast) ? alt : ast;
			double most = k->hi;
			bool most_open = hi_open;
			if ((k->flags & CTM_F_LIVER_EXCEPTION) &&
			    liver_mets(e) != F) {
				/* the most lenient bound that may apply */
				most = k->alt_hi;
				most_open = (k->flags & CTM_F_ALT_HI_OPEN) != 0;
			}
			fact(e, "%s %g x ULN (the other not recorded)",
			     isnan(ast) ? "ALT" : "AST", one);
			if (!above_lo(one, k->lo, k->flags) ||
			    !below_hi(one, most, most_open))
				return F;
			return U;
		}
	}
	if (isnan(v)) {
		fact(e, "%s not recorded", label);
		return U;
	}
	fact(e, "%s %g%s", label, v, (k->flags & CTM_F_ULN) ? " x ULN" : "");
	if (!above_lo(v, k->lo, k->flags))
		return F;
	if (k->flags & CTM_F_LIVER_EXCEPTION) {
		int liver = liver_mets(e);
		if (liver == T) {
			hi = k->alt_hi;
			hi_open = (k->flags & CTM_F_ALT_HI_OPEN) != 0;
		} else if (liver == U) {
			return below_hi(v, hi, hi_open) ? T
			       : !below_hi(v, k->alt_hi,
					   (k->flags & CTM_F_ALT_HI_OPEN) != 0)
				       ? F
				       : U;
		}
	}
	return below_hi(v, hi, hi_open) ? T : F;
}

/* ---- one leaf ---- */

static int eval_leaf(ectx *e, const ctm_constraint *k, bool positive)
{
	const ctm_profile *p = e->p;
	int r;

	if (k->kind != CTM_K_PREGNANT && k->kind != CTM_K_BREASTFEEDING)
		e->all_na = false;
	switch (k->kind) {
	case CTM_K_DISEASE:
		if (!p->diagnosis_concept) {
			fact(e, p->diagnosis ? "diagnosis not recognised"
					     : "diagnosis not recorded");
			return U;
		}
		/* "History of inflammatory bowel disease": a patient's cancer
		 * says nothing of a disease that is not one */
		if (e->m->cancer &&
		    !ctm_lexicon_is_a(e->m->lx, k->concept, e->m->cancer) &&
		    ctm_lexicon_is_a(e->m->lx, p->diagnosis_concept,
				     e->m->cancer)) {
			fact(e, "%s not recorded", name(e, k->concept));
			return U;
		}
		fact(e, "%s", p->diagnosis ? p->diagnosis
					   : name(e, p->diagnosis_concept));
		if (ctm_lexicon_is_a(e->m->lx, p->diagnosis_concept, k->concept))
			return T;
		/* "colorectal cancer" against a rectal-cancer criterion: the
		 * patient's diagnosis is known less precisely */
		if (ctm_lexicon_is_a(e->m->lx, k->concept, p->diagnosis_concept))
			return U;
		/* "colon cancer" against "colorectal adenocarcinoma": another
		 * axis (site, histology); both hold for a colon adenocarcinoma */
		if (common_descendant(e->m, p->diagnosis_concept, k->concept))
			return U;
		return F;
	case CTM_K_STAGE:
		if (p->stage < 0) {
			if (p->metastatic == 1) {
				fact(e, "metastatic");
				return in_range(4, k);
			}
			fact(e, "stage not recorded");
			return U;
		}
		fact(e, "stage %s", p->stage_text ? p->stage_text : "?");
		return in_range(p->stage, k);
	case CTM_K_METASTATIC:
		if (p->metastatic >= 0) {
			fact(e, p->metastatic ? "metastatic" : "not metastatic");
			return p->metastatic ? T : F;
		}
		if (p->stage >= 0) {
			fact(e, "stage %s", p->stage_text ? p->stage_text : "?");
			return p->stage == 4 ? T : F;
		}
		if (p->has_sites && p->n_sites) {
			char sites[200];
			size_t i, sl = 0;
			sites[0] = '\0';
			for (i = 0; i < p->n_sites && sl < sizeof sites - 1; i++) {
				int w = snprintf(sites + sl, sizeof sites - sl, "%s%s",
						 i ? ", " : "", name(e, p->sites[i]));
				if (w > 0)
					sl += (size_t)w;
			}
			fact(e, "metastatic sites: %s", sites);
			return T;
		}
		fact(e, "metastatic status not recorded");
		return U;
	case CTM_K_RESECTABLE:
		if (p->resectable < 0) {
			fact(e, "resectability not recorded");
			return U;
		}
		fact(e, p->resectable ? "resectable" : "not resectable");
		return p->resectable ? T : F;
	case CTM_K_BIOMARKER:
		r = eval_biomarker(e, k);
		if (r == T && positive && k->status != CTM_BM_WILDTYPE &&
		    k->status != CTM_BM_NOT_AMPLIFIED &&
		    k->status != CTM_BM_STABLE &&
		    k->status != CTM_BM_PROFICIENT &&
		    k->status != CTM_BM_NEGATIVE)
			e->specific = true;
		return r;
	case CTM_K_THERAPY:
		r = eval_therapy(e, k);
		if (r == T && positive)
			e->specific = true;
		return r;
	case CTM_K_PRIOR_LINES:
		return eval_lines(e, k);
	case CTM_K_SITE:
		if (!p->has_sites) {
			if (p->metastatic == 0) {
				fact(e, "not metastatic");
				return F;
			}
			fact(e, "metastatic sites not recorded");
			return U;
		}
		{
			size_t i;
			bool present = has_site(e, k->concept), others = false;
			for (i = 0; i < p->n_sites; i++)
				if (!ctm_lexicon_is_a(e->m->lx, p->sites[i],
						      k->concept))
					others = true;
			fact(e, "%s metastases %s%s", name(e, k->concept),
			     present ? "present" : "absent",
			     present && others ? " with other sites" : "");
			r = present && (!(k->flags & CTM_F_LIMITED) || !others)
				    ? T
				    : F;
			if (r == T && positive && k->concept != e->m->brain)
				e->specific = true;
			return r;
		}
	case CTM_K_BRAIN_METS: {
		ctm_brain_status b = p->brain;
		if (b == CTM_BRAIN_UNKNOWN && p->has_sites && e->m->brain) {
			if (!has_site(e, e->m->brain)) {
				b = CTM_BRAIN_NONE;
			} else if (!(k->flags & (CTM_F_ACTIVE | CTM_F_STABLE))) {
				fact(e, "brain metastases present");
				return T;
			}
		}
		switch (b) {
		case CTM_BRAIN_NONE:
			fact(e, "no brain metastases");
			return F;
		case CTM_BRAIN_ACTIVE:
			fact(e, "active brain metastases");
			return (k->flags & CTM_F_STABLE) &&
					       !(k->flags & CTM_F_ACTIVE)
				       ? F
				       : T;
		case CTM_BRAIN_TREATED_STABLE:
			fact(e, "treated, stable brain metastases");
			return (k->flags & CTM_F_ACTIVE) &&
					       !(k->flags & CTM_F_STABLE)
				       ? F
				       : T;
		default:
			fact(e, "brain metastasis status not recorded");
			return U;
		}
	}
	case CTM_K_ECOG:
		return eval_ecog(e, k);
	case CTM_K_KARNOFSKY:
		return eval_karnofsky(e, k);
	case CTM_K_MEASURABLE:
		if (p->measurable < 0) {
			fact(e, "measurable disease not recorded");
			return U;
		}
		fact(e, p->measurable ? "measurable disease"
				      : "no measurable disease");
		return p->measurable ? T : F;
	case CTM_K_LAB:
		return eval_lab(e, k);
	case CTM_K_AGE:
		if (p->age < 0) {
			fact(e, "age not recorded");
			return U;
		}
		fact(e, "age %g", p->age);
		/* the age is in whole years: at 18, "older than 18" holds
		 * from the day after the birthday, and a whole-year reading
		 * says it does not; unknown (every other bound compares
		 * whole years as the structured age fields do) */
		if ((k->flags & CTM_F_LO_OPEN) && at_bound(p->age, k->lo))
			return U;
		return in_range(p->age, k);
	case CTM_K_SEX:
		if (!p->sex) {
			fact(e, "sex not recorded");
			return U;
		}
		fact(e, "%s", p->sex == CTM_GENDER_FEMALE ? "female" : "male");
		return k->status == CTM_GENDER_ALL || k->status == p->sex ? T
									 : F;
	case CTM_K_PREGNANT:
	case CTM_K_BREASTFEEDING:
		if (p->sex == CTM_GENDER_MALE) {
			fact(e, "male");
			return F;
		}
		e->all_na = false;
		if (k->kind == CTM_K_PREGNANT && p->pregnant >= 0) {
			fact(e, p->pregnant ? "pregnant" : "not pregnant");
			return p->pregnant ? T : F;
		}
		fact(e, k->kind == CTM_K_PREGNANT
				? "pregnancy status not recorded"
				: "breastfeeding not recorded");
		return U;
	case CTM_K_UNREAD:
		fact(e, "not read");
		return U;
	case CTM_K_CONDITION:
		fact(e, "%s not recorded", name(e, k->concept));
		return U;
	default:
		e->all_na = false;
		return U;
	}
}

/* Evaluates the subtree at *pos (prefix order); Kleene logic. */
static int eval_expr(ectx *e, const ctm_criterion *c, size_t *pos,
		     bool positive, int depth)
{
	const ctm_expr *x;
	uint32_t i;
	int r, v;

	if (*pos >= c->n_expr || depth > 64)
		return U;
	x = &c->expr[(*pos)++];
	switch (x->op) {
	case CTM_EXPR_LEAF:
		if (x->arg >= c->n_constraints)
			return U;
		return eval_leaf(e, &c->constraints[x->arg], positive);
	case CTM_EXPR_NOT:
		v = eval_expr(e, c, pos, !positive, depth + 1);
		return v == U ? U : !v;
	case CTM_EXPR_AND:
		r = T;
		for (i = 0; i < x->arg; i++) {
			v = eval_expr(e, c, pos, positive, depth + 1);
			if (v == F)
				r = F;
			else if (v == U && r == T)
				r = U;
		}
		return r;
	case CTM_EXPR_OR:
		r = F;
		for (i = 0; i < x->arg; i++) {
			v = eval_expr(e, c, pos, positive, depth + 1);
			if (v == T)
				r = T;
			else if (v == U && r == F)
				r = U;
		}
		return r;
	default:
		return U;
	}
}

/* ---- the trial ---- */

static const char *dup(ctm_arena *a, const char *s)
{
	return ctm_arena_strdup(a, s);
}

static void age_text(char *buf, size_t n, double lo, double hi)
{
	if (lo >= 0 && hi >= 0)
		snprintf(buf, n, "Age: %g to %g years", lo, hi);
	else if (lo >= 0)
		snprintf(buf, n, "Age: %g years or older", lo);
	else
		snprintf(buf, n, "Age: up to %g years", hi);
}

static bool site_in(const char *a, const char *b)
{
	return a && b && *a && !strcasecmp(a, b);
}

/* Picks the best site: recruiting, in the patient's state, then country. */
static void pick_site(const ctm_profile *p, const ctm_trial *t, ctm_match *out)
{
	/* the best a site can be for this patient: a later site replaces
	 * the best only when better, so the search ends there */
	int best = -1, most = !(p->country && *p->country) ? 0
			     : !(p->state && *p->state)	    ? 2
								    : 3;
	size_t i;

	out->site = NULL;
	for (i = 0; i < t->n_locations && best < most; i++) {
		const ctm_location *l = &t->locations[i];
		int s = 0;
		if (!ctm_location_recruiting(l))
			continue;
		if (site_in(p->country, l->country)) {
			s = 2;
			if (site_in(p->state, l->state))
				s = 3;
		}
		if (s > best) {
			best = s;
			out->site = l;
		}
	}
	if (best >= 2)
		out->score.site = best == 3 ? 2.0 : 1.0;
}

/*
 * The trial's population against the patient's diagnosis: met when the
 * diagnosis is-a disease of it (a "solid tumour" basket holds colon
 * cancer), unknown when one of them is narrower or crosses it (rectal
 * cancer for a "colorectal cancer" patient), when the diagnosis is not
 * known, or when the list is partial or empty (spec/matching.md).
 */
static ctm_outcome population_vs(const ctm_matcher *m, const ctm_profile *p,
				 const ctm_trial *t)
{
	ctm_concept d = p->diagnosis_concept;
	bool unknown = !d || !t->n_population || t->population_partial;
	size_t i;

	for (i = 0; d && i < t->n_population; i++) {
		ctm_concept c = t->population[i];
		if (ctm_lexicon_is_a(m->lx, d, c))
			return CTM_OUT_MET;
		if (ctm_lexicon_is_a(m->lx, c, d) ||
		    common_descendant(m, c, d))
			unknown = true;
	}
	return unknown ? CTM_OUT_UNKNOWN : CTM_OUT_NOT_MET;
}

/* "for pancreatic cancer", "for breast cancer or lung cancer". */
static const char *population_text(const ctm_matcher *m, const ctm_trial *t,
				   ctm_arena *a)
{
	char buf[320];
	size_t i, len = 0, max = 6;
	int w;

	if (!t->n_population)
		return "population not read from the conditions";
	w = snprintf(buf, sizeof buf, "for");
	len = w > 0 ? (size_t)w : 0;
	for (i = 0; i < t->n_population && i < max && len < sizeof buf; i++) {
		const char *sep = !i ? " "
				  : i + 1 == t->n_population ||
						  i + 1 == max
					  ? " or "
					  : ", ";
		w = snprintf(buf + len, sizeof buf - len, "%s%s", sep,
			     ctm_lexicon_name(m->lx, t->population[i]));
		if (w > 0)
			len += (size_t)w;
	}
	if (len < sizeof buf && (t->n_population > max || t->population_partial))
		snprintf(buf + len, sizeof buf - len, "%s",
			 t->n_population > max ? " and more"
					       : " (and conditions not read)");
	return dup(a, buf);
}

int ctm_match_begin(const ctm_matcher *m, const ctm_profile *p,
		    const ctm_trial *t, unsigned flags, ctm_arena *a,
		    ctm_match *out)
{
	size_t k = 0;
	char buf[160];
	bool explain = (flags & CTM_MATCH_EXPLAIN) != 0;
	/* the texts of sex and age are formatted only for someone to read */
	bool texts = !(flags & CTM_MATCH_VERDICT_ONLY) || explain;

	memset(out, 0, sizeof(*out));
	/* not zeroed: each entry is, when it is used (a lookup that stops
	 * at the first criterion not met uses a few of them) */
	out->evals = ctm_arena_alloc_uninit(a, (t->n_criteria + 3) * sizeof(ctm_crit_eval));
	if (!out->evals)
		return CTM_ENOMEM;
	/* one cohort is no choice: its criteria bind everyone */
	if (t->n_cohorts >= 2 && t->n_cohorts <= CTM_MAX_COHORTS && t->cohorts) {
		out->n_cohorts = t->n_cohorts;
		out->cohort_labels = (const char *const *)t->cohorts;
	}

	/* structured fields count as criteria: sex, then age */
	if (t->gender == CTM_GENDER_FEMALE || t->gender == CTM_GENDER_MALE) {
		ctm_crit_eval *ev = &out->evals[k++];
		memset(ev, 0, sizeof(*ev));
		ev->text = t->gender == CTM_GENDER_FEMALE ? "Sex: Female"
							  : "Sex: Male";
		ev->section = CTM_SECTION_INCLUSION;
		if (!p->sex) {
			ev->outcome = CTM_OUT_UNKNOWN;
			ev->fact = "sex not recorded";
		} else {
			ev->outcome = p->sex == t->gender ? CTM_OUT_MET
							  : CTM_OUT_NOT_MET;
			ev->fact = p->sex == CTM_GENDER_FEMALE ? "female"
							       : "male";
		}
	}
	if (t->min_age_years >= 0 || t->max_age_years >= 0) {
		ctm_crit_eval *ev = &out->evals[k++];
		double hi = t->max_age_years >= 0 ? t->max_age_years : INFINITY;
		double lo = t->min_age_years >= 0 ? t->min_age_years : 0;
		memset(ev, 0, sizeof(*ev));
		ev->section = CTM_SECTION_INCLUSION;
		if (p->age < 0) {
			ev->outcome = CTM_OUT_UNKNOWN;
			ev->fact = "age not recorded";
		} else {
			/* "up to 75 years" admits a 75-year-old until the
			 * 76th birthday: compare whole years */
			double age = floor(p->age);
			ev->outcome = age >= lo && age <= hi ? CTM_OUT_MET
							     : CTM_OUT_NOT_MET;
			if (texts && (explain || ev->outcome != CTM_OUT_MET)) {
				snprintf(buf, sizeof buf, "age %g", age);
				ev->fact = dup(a, buf);
			}
		}
		/* the text is formatted only when someone will read it */
		if (texts && (explain || ev->outcome != CTM_OUT_MET)) {
			age_text(buf, sizeof buf, t->min_age_years,
				 t->max_age_years);
			ev->text = dup(a, buf);
		} else {
			ev->text = "Age";
		}
	}
	/* the population: an entry only when it is not met (a reason, or a
	 * fact to check), so that the counts of a trial for the patient's
	 * own cancer stay those of its criteria */
	{
		ctm_outcome o = population_vs(m, p, t);
		if (o != CTM_OUT_MET) {
			ctm_crit_eval *ev = &out->evals[k++];
			memset(ev, 0, sizeof(*ev));
			ev->section = CTM_SECTION_INCLUSION;
			ev->outcome = o;
			if (flags & CTM_MATCH_VERDICT_ONLY) {
				ev->text = "Population";
			} else {
				ev->text = population_text(m, t, a);
				ev->fact = !p->diagnosis_concept
						   ? p->diagnosis
							     ? "diagnosis not recognised"
							     : "diagnosis not recorded"
					   : p->diagnosis
						   ? p->diagnosis
						   : ctm_lexicon_name(
							     m->lx,
							     p->diagnosis_concept);
			}
			if (!ev->text)
				return CTM_ENOMEM;
		}
	}
	out->n_evals = k;
	while (k--)
		if (out->evals[k].outcome == CTM_OUT_NOT_MET)
			out->all_out = true; /* sex, age, population */
	return 0;
}

/* The bits of the match's cohorts that c binds; 0 when it binds all. */
static uint32_t cohort_mask(const ctm_match *out, const ctm_criterion *c)
{
	uint32_t all;

	if (!c || !out->n_cohorts)
		return 0;
	all = out->n_cohorts >= 32 ? UINT32_MAX
				   : ((uint32_t)1 << out->n_cohorts) - 1;
	return (c->cohorts & all) == all ? 0 : c->cohorts & all;
}

/* "Cohort B", "Part 1, Part 2": the labels of the cohorts in mask. */
static const char *cohort_text(const ctm_match *out, uint32_t mask,
			       ctm_arena *a)
{
	char buf[240];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < out->n_cohorts && len < sizeof buf - 1; i++) {
		int w;
		if (!(mask >> i & 1u))
			continue;
		w = snprintf(buf + len, sizeof buf - len, "%s%s",
			     len ? ", " : "", out->cohort_labels[i]);
		if (w > 0)
			len = len + (size_t)w >= sizeof buf ? sizeof buf - 1
							    : len + (size_t)w;
	}
	return dup(a, buf);
}

ctm_outcome ctm_match_criterion(const ctm_matcher *m, const ctm_profile *p,
				const ctm_criterion *c, int32_t today,
				unsigned flags, ctm_arena *a, ctm_match *out)
{
	ctm_crit_eval *ev = &out->evals[out->n_evals++];
	bool explain = (flags & CTM_MATCH_EXPLAIN) != 0;
	size_t pos = 0;
	uint32_t mask;
	ectx e;
	int r;

	memset(ev, 0, sizeof(*ev)); /* ctm_match_begin did not zero them */
	ev->criterion = c;
	ev->text = c->text;
	ev->section = c->section;
	if (!c->structured || !c->n_expr) {
		ev->outcome = CTM_OUT_REVIEW;
		ev->fact = c->review_reason; /* a record error, or NULL */
		return ev->outcome;
	}
	/* the fact buffer is written before it is read (flen) */
	e.m = m;
	e.p = p;
	e.today = today;
	e.explain = explain;
	e.facts[0] = '\0';
	e.flen = 0;
	e.all_na = true;
	e.specific = false;
	e.want_facts = explain;
	r = eval_expr(&e, c, &pos, true, 0);
	if (r != T && !explain && !(flags & CTM_MATCH_VERDICT_ONLY)) {
		/* the reasons and the to-check list need the facts */
		pos = 0;
		e.want_facts = true;
		e.all_na = true;
		e.specific = false;
		r = eval_expr(&e, c, &pos, true, 0);
	}
	if (e.all_na && p->sex == CTM_GENDER_MALE)
		ev->outcome = CTM_OUT_NOT_APPLICABLE;
	else
		ev->outcome = r == T ? CTM_OUT_MET
			      : r == F ? CTM_OUT_NOT_MET
				       : CTM_OUT_UNKNOWN;
	ev->specific = ev->outcome == CTM_OUT_MET && e.specific;
	if (explain || ev->outcome != CTM_OUT_MET)
		ev->fact = e.flen ? dup(a, e.facts) : NULL;
	mask = cohort_mask(out, c);
	if (ev->outcome == CTM_OUT_NOT_MET) {
		if (mask)
			out->cohorts_out |= mask;
		else
			out->all_out = true;
	}
	if (mask && !(flags & CTM_MATCH_VERDICT_ONLY))
		ev->cohort = cohort_text(out, mask, a);
	return ev->outcome;
}

/*
 * The verdict of a trial with cohorts: each cohort's is the three-valued
 * AND of the criteria binding all cohorts and its own; the trial is
 * ineligible when every cohort is, eligible when one cohort is, else
 * possible (spec/matching.md).
 */
static ctm_verdict cohort_verdict(const ctm_match *out)
{
	uint32_t all = out->n_cohorts >= 32
			       ? UINT32_MAX
			       : ((uint32_t)1 << out->n_cohorts) - 1;
	uint32_t unknown = 0;
	bool all_unknown = false;
	size_t i;

	if (out->all_out || (out->cohorts_out & all) == all)
		return CTM_VERDICT_INELIGIBLE;
	for (i = 0; i < out->n_evals; i++) {
		const ctm_crit_eval *e = &out->evals[i];
		uint32_t mask;
		if (e->outcome != CTM_OUT_UNKNOWN)
			continue;
		mask = cohort_mask(out, e->criterion);
		if (mask)
			unknown |= mask;
		else
			all_unknown = true;
	}
	if (!all_unknown && ((out->cohorts_out | unknown) & all) != all)
		return CTM_VERDICT_ELIGIBLE;
	return CTM_VERDICT_POSSIBLE;
}

void ctm_match_end(const ctm_profile *p, const ctm_trial *t, unsigned flags,
		   ctm_match *out)
{
	size_t i, k = out->n_evals, s_met = 0, s_unknown = 0;

	for (i = 0; i < k; i++) {
		/* the criteria of a cohort that bars the patient do not rank
		 * the trial */
		uint32_t mask = cohort_mask(out, out->evals[i].criterion);
		bool counts = !mask || (mask & ~out->cohorts_out);
		switch (out->evals[i].outcome) {
		case CTM_OUT_MET: out->n_met++; s_met += counts; break;
		case CTM_OUT_NOT_MET: out->n_not_met++; break;
		case CTM_OUT_UNKNOWN: out->n_unknown++; s_unknown += counts; break;
		case CTM_OUT_NOT_APPLICABLE: out->n_not_applicable++; break;
		default: out->n_review++; break;
		}
		if (out->evals[i].specific && counts)
			out->score.specificity += 3.0;
	}
	out->verdict = out->n_cohorts ? cohort_verdict(out)
		       : out->n_not_met ? CTM_VERDICT_INELIGIBLE
		       : out->n_unknown ? CTM_VERDICT_POSSIBLE
					: CTM_VERDICT_ELIGIBLE;
	out->score.met = (double)s_met;
	out->score.unknown = -0.5 * (double)s_unknown;
	out->score.status = t->status == CTM_STATUS_RECRUITING ? 2.0
			    : t->status == CTM_STATUS_NOT_YET_RECRUITING ? 1.0
									  : 0.0;
	/* a trial dropped as ineligible needs no site (verdict-only passes
	 * rank thousands of candidates) */
	if (!(flags & CTM_MATCH_VERDICT_ONLY) ||
	    out->verdict != CTM_VERDICT_INELIGIBLE)
		pick_site(p, t, out);
	out->score.total = out->score.met + out->score.unknown +
			   out->score.specificity + out->score.status +
			   out->score.site;
}

bool ctm_match_stopped(const ctm_match *out, unsigned flags)
{
	uint32_t all;

	/* all_out is set by a criterion binding all not met, and by sex,
	 * age or population not met (ctm_match_begin): then the trial is
	 * ineligible whatever follows, even when an entry not "not met"
	 * (the population's unknown) follows that one */
	if (!(flags & CTM_MATCH_STOP_INELIGIBLE))
		return false;
	if (out->all_out)
		return true;
	if (!out->n_cohorts)
		return false;
	/* a cohort's criterion not met shuts only its cohort */
	all = out->n_cohorts >= 32 ? UINT32_MAX
				   : ((uint32_t)1 << out->n_cohorts) - 1;
	return (out->cohorts_out & all) == all;
}

int ctm_match_trial(const ctm_matcher *m, const ctm_profile *p,
		    const ctm_trial *t, int32_t today, unsigned flags,
		    ctm_arena *a, ctm_match *out)
{
	size_t i;
	int rc = ctm_match_begin(m, p, t, flags, a, out);

	if (rc)
		return rc;
	for (i = 0; i < t->n_criteria && !ctm_match_stopped(out, flags); i++)
		ctm_match_criterion(m, p, &t->criteria[i], today, flags, a,
				    out);
	ctm_match_end(p, t, flags, out);
	return 0;
}

size_t ctm_match_diseases(const ctm_matcher *m, const ctm_profile *p,
			  ctm_concept *out, size_t max)
{
	size_t n = 0, c, count;

	if (!p->diagnosis_concept)
		return 0;
	count = ctm_lexicon_count(m->lx);
	for (c = 1; c < count && n < max; c++)
		if (ctm_lexicon_type(m->lx, (ctm_concept)c) == CTM_CT_DISEASE &&
		    (ctm_lexicon_is_a(m->lx, p->diagnosis_concept, (ctm_concept)c) ||
		     ctm_lexicon_is_a(m->lx, (ctm_concept)c, p->diagnosis_concept)))
			out[n++] = (ctm_concept)c;
	return n;
}
