/*
 * criteria_print.c - a parsed criterion as one readable line.
 * The notation is described in criteria_print.h.
 */
#include "criteria_print.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* An append-only writer that keeps counting past the end of the buffer. */
typedef struct out {
	char *buf;
	size_t size, len;
} out;

static void put(out *o, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void put(out *o, const char *fmt, ...)
{
	va_list ap;
	int n;
	size_t room = o->len < o->size ? o->size - o->len : 0;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static const char *concept_name(const ctm_lexicon *lx, ctm_concept c,
				char tmp[16])
{
	if (lx)
		return ctm_lexicon_name(lx, c);
	snprintf(tmp, 16, "#%u", (unsigned)c);
	return tmp;
}

/* A range, its ends open or closed by flags (CTM_F_LO_OPEN, _HI_OPEN). */
static void range(out *o, double lo, double hi, uint32_t flags)
{
	const char *gt = (flags & CTM_F_LO_OPEN) ? ">" : ">=";
	const char *lt = (flags & CTM_F_HI_OPEN) ? "<" : "<=";

	if (lo == hi && !(flags & (CTM_F_LO_OPEN | CTM_F_HI_OPEN)))
		put(o, " %g", lo);
	else if (isinf(hi) && isinf(lo))
		put(o, " any");
	else if (isinf(hi))
		put(o, " %s %g", gt, lo);
	else if (isinf(lo))
		put(o, " %s %g", lt, hi);
	else if (flags & (CTM_F_LO_OPEN | CTM_F_HI_OPEN))
		put(o, " %s %g, %s %g", gt, lo, lt, hi);
	else
		put(o, " %g-%g", lo, hi);
}

static const char *roman(double v)
{
	static const char *r[] = {"0", "I", "II", "III", "IV"};
	int i = (int)v;

	return (v == i && i >= 0 && i <= 4) ? r[i] : "?";
}

/* Lab display name and unit from the canonical name and flags. */
static void lab_name(const char *name, uint32_t flags, const char **disp,
		     const char **unit, char tmp[64])
{
	static const struct {
		const char *name, *disp, *unit;
	} labs[] = {
		{"anc", "ANC", " x10^9/L"},
		{"platelets", "platelets", " x10^9/L"},
		{"wbc", "WBC", " x10^9/L"},
		{"hemoglobin", "hemoglobin", " g/dL"},
		{"albumin", "albumin", " g/dL"},
		{"ast", "AST", ""},
		{"alt", "ALT", ""},
		{"alp", "alkaline phosphatase", ""},
		{"creatinine_clearance", "creatinine clearance", " mL/min"},
		{"gfr", "GFR", " mL/min"},
		{"lvef", "LVEF", ""},
		{"dlco", "DLCO", ""},
		{"fev1", "FEV1", ""},
		{"fvc", "FVC", ""},
		{"cd4", "CD4 count", " x10^9/L"},
		{"inr", "INR", ""},
		{"pt", "PT", ""},
		{"ptt", "PTT", ""},
		{"bun", "BUN", ""},
	};
	static const struct {
		const char *suffix, *unit;
	} units[] = {
		{"_mg_dl", " mg/dL"},
		{"_umol_l", " umol/L"},
		{"_mmol_l", " mmol/L"},
		{"_g_l", " g/L"},
	};
	size_t i, n = strlen(name);

	*disp = name;
	*unit = "";
	for (i = 0; i < sizeof(labs) / sizeof(labs[0]); i++)
		if (!strcmp(labs[i].name, name)) {
			*disp = labs[i].disp;
			*unit = labs[i].unit;
		}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t sl = strlen(units[i].suffix);
		if (n > sl && n - sl < 63 &&
		    !strcmp(name + n - sl, units[i].suffix)) {
			memcpy(tmp, name, n - sl);
			tmp[n - sl] = '\0';
			*disp = tmp;
			*unit = units[i].unit;
		}
	}
	if (flags & CTM_F_ULN)
		*unit = " x ULN";
}

static void leaf(out *o, const ctm_constraint *k, const ctm_lexicon *lx)
{
	char t1[16], t2[16], t3[64];
	const char *name = concept_name(lx, k->concept, t1);

	switch ((ctm_kind)k->kind) {
	case CTM_K_DISEASE: put(o, "diagnosis %s", name); break;
	case CTM_K_STAGE:
		if (k->lo == k->hi)
			put(o, "stage %s", roman(k->lo));
		else if (isinf(k->hi))
			put(o, "stage >= %s", roman(k->lo));
		else if (isinf(k->lo))
			put(o, "stage <= %s", roman(k->hi));
		else
			put(o, "stage %s-%s", roman(k->lo), roman(k->hi));
		break;
	case CTM_K_METASTATIC: put(o, "metastatic"); break;
	case CTM_K_RESECTABLE: put(o, "resectable"); break;
	case CTM_K_BIOMARKER:
		if (k->variant) {
			put(o, "%s", concept_name(lx, k->variant, t2));
			if (k->status != CTM_BM_MUTATED)
				put(o, " %s",
				    ctm_bm_status_name(
					    (ctm_bm_status)k->status));
			else
				put(o, " mutation");
		} else {
			put(o, "%s %s", name,
			    ctm_bm_status_name((ctm_bm_status)k->status));
		}
		if (!isinf(k->lo) || !isinf(k->hi))
			range(o, k->lo, k->hi, k->flags);
		break;
	case CTM_K_THERAPY: {
		const char *sep = " [";
		uint32_t f = k->flags;
		put(o, "%s %s", (f & CTM_F_CURRENT) ? "current" : "prior",
		    name);
		if (f & (CTM_F_PROGRESSED | CTM_F_REFRACTORY)) {
			put(o, "%s%s", sep,
			    (f & CTM_F_PROGRESSED) && (f & CTM_F_REFRACTORY)
				    ? "progressed/refractory"
			    : (f & CTM_F_PROGRESSED) ? "progressed"
						     : "refractory");
			sep = ", ";
			if (f & CTM_F_INTOLERANT)
				put(o, " or intolerant");
		} else if (f & CTM_F_INTOLERANT) {
			put(o, "%sintolerant", sep);
			sep = ", ";
		}
		if (f & CTM_F_METASTATIC_SETTING) {
			put(o, "%smetastatic setting", sep);
			sep = ", ";
		}
		if (f & CTM_F_ADJUVANT_SETTING) {
			put(o, "%sadjuvant", sep);
			sep = ", ";
		}
		if (f & CTM_F_NEOADJUVANT_SETTING) {
			put(o, "%sneoadjuvant", sep);
			sep = ", ";
		}
		if (f & CTM_F_WITHIN) {
			put(o, "%swithin %s%u days", sep,
			    (f & CTM_F_HI_OPEN) ? "< " : "",
			    (unsigned)k->within_days);
			sep = ", ";
		}
		if (sep[0] == ',')
			put(o, "]");
		break;
	}
	case CTM_K_PRIOR_LINES:
		put(o, "prior lines");
		range(o, k->lo, k->hi, k->flags);
		if (k->flags & CTM_F_METASTATIC_SETTING)
			put(o, " [metastatic setting]");
		break;
	case CTM_K_SITE:
		put(o, "%s%s metastases", name,
		    (k->flags & CTM_F_LIMITED) ? "-only" : "");
		break;
	case CTM_K_BRAIN_METS:
		put(o, "%sbrain metastases",
		    (k->flags & CTM_F_ACTIVE)	? "active "
		    : (k->flags & CTM_F_STABLE) ? "treated stable "
						: "");
		break;
	case CTM_K_ECOG:
		put(o, "ECOG");
		range(o, k->lo, k->hi, k->flags);
		break;
	case CTM_K_KARNOFSKY:
		put(o, "Karnofsky");
		range(o, k->lo, k->hi, k->flags);
		break;
	case CTM_K_MEASURABLE: put(o, "measurable disease"); break;
	case CTM_K_LAB: {
		const char *disp, *unit;
		const ctm_lab_info *li =
			lx ? ctm_lexicon_lab_info(lx, k->concept) : NULL;
		lab_name(name, k->flags, &disp, &unit, t3);
		if (li && li->family && !strcmp(li->family, "percent"))
			unit = "%";
		put(o, "%s", disp);
		range(o, k->lo, k->hi, k->flags);
		put(o, "%s", unit);
		if (k->flags & CTM_F_LIVER_EXCEPTION)
			put(o, " (%s %g%s with liver metastases)",
			    (k->flags & CTM_F_ALT_HI_OPEN) ? "<" : "<=",
			    k->alt_hi, unit);
		break;
	}
	case CTM_K_AGE:
		put(o, "age");
		range(o, k->lo, k->hi, k->flags);
		break;
	case CTM_K_SEX:
		put(o, "sex %s",
		    k->status == CTM_GENDER_FEMALE ? "female"
		    : k->status == CTM_GENDER_MALE ? "male"
						   : "all");
		break;
	case CTM_K_PREGNANT: put(o, "pregnant"); break;
	case CTM_K_BREASTFEEDING: put(o, "breastfeeding"); break;
	/* words of the sentence the parser did not read: always unknown */
	case CTM_K_UNREAD: put(o, "(unread)"); break;
	case CTM_K_CONDITION:
		put(o, "condition %s%s", k->flags & CTM_F_ACTIVE ? "active " : "",
		    name);
		break;
	default: put(o, "?"); break;
	}
}

size_t ctm_constraint_format(const ctm_constraint *k, const ctm_lexicon *lx,
			     char *buf, size_t size)
{
	out o = {buf, size, 0};

	if (size)
		buf[0] = '\0';
	leaf(&o, k, lx);
	return o.len;
}

/* Prints the node at *i (prefix order) and advances *i past it. */
static void node(out *o, const ctm_criterion *c, const ctm_lexicon *lx,
		 size_t *i, unsigned depth)
{
	const ctm_expr *e;
	uint32_t n, k;

	if (*i >= c->n_expr || depth > 64) {
		put(o, "?");
		*i = c->n_expr;
		return;
	}
	e = &c->expr[(*i)++];
	switch ((ctm_expr_op)e->op) {
	case CTM_EXPR_LEAF:
		if (e->arg < c->n_constraints)
			leaf(o, &c->constraints[e->arg], lx);
		else
			put(o, "?");
		break;
	case CTM_EXPR_NOT: {
		int paren = *i < c->n_expr && (c->expr[*i].op == CTM_EXPR_AND ||
					       c->expr[*i].op == CTM_EXPR_OR);
		put(o, paren ? "NOT (" : "NOT ");
		node(o, c, lx, i, depth + 1);
		if (paren)
			put(o, ")");
		break;
	}
	case CTM_EXPR_AND:
	case CTM_EXPR_OR:
		n = e->arg;
		for (k = 0; k < n; k++) {
			int paren = *i < c->n_expr &&
				    (c->expr[*i].op == CTM_EXPR_AND ||
				     c->expr[*i].op == CTM_EXPR_OR);
			if (k)
				put(o,
				    e->op == CTM_EXPR_AND ? " AND " : " OR ");
			if (paren)
				put(o, "(");
			node(o, c, lx, i, depth + 1);
			if (paren)
				put(o, ")");
		}
		break;
	default: put(o, "?"); break;
	}
}

size_t ctm_criterion_format(const ctm_criterion *c, const ctm_lexicon *lx,
			    char *buf, size_t size)
{
	out o = {buf, size, 0};
	size_t i = 0;

	if (size)
		buf[0] = '\0';
	if (!c->structured || !c->n_expr) {
		put(&o, "review");
		return o.len;
	}
	node(&o, c, lx, &i, 0);
	return o.len;
}
