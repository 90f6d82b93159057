/*
 * criteria_frames_labs.c - frames of the criteria reader: performance
 * status, age, pregnancy, measurable disease, laboratory values.
 */
#include "criteria_internal.h"

/* ------------------------------------------------------------------ */
/* Handlers: performance, age, pregnancy, measurable                   */
/* ------------------------------------------------------------------ */

int ctm_cx_h_kps(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_KARNOFSKY);
	double v, b;

	(void)ms, (void)me;
	if (ctm_cx_grp_num(x, "kv", &v)) {
		c.lo = v;
		if (ctm_cx_grp_is(x, "kcmp", ">"))
			c.flags |= CTM_F_LO_OPEN; /* "KPS > 70": 80 and up */
	} else if (ctm_cx_grp_num(x, "ka", &v) && ctm_cx_grp_num(x, "kb", &b)) {
		c.lo = v < b ? v : b;
		c.hi = v < b ? b : v;
		if (c.hi >= 100)
			c.hi = INFINITY;
	} else if (ctm_cx_grp_num(x, "kc", &v)) {
		c.lo = v;
	} else {
		return ctm_cx_reject(x, "karnofsky without a value");
	}
	if (c.lo < 0 || c.lo > 100)
		return ctm_cx_reject(x, "karnofsky out of range");
	return ctm_cx_leaf(x, &c);
}

int ctm_cx_h_ecog(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_ECOG);
	double a, b;
	size_t s, e, i;

	(void)ms, (void)me;
	c.lo = 0;
	if (ctm_cx_grp_num(x, "ea", &a) && ctm_cx_grp_num(x, "eb", &b)) {
		c.lo = a < b ? a : b;
		c.hi = a < b ? b : a;
	} else if (ctm_cx_grp(x, "ec", &s, &e)) {
		c.lo = 9;
		c.hi = -1;
		for (i = s; i < e; i++)
			if (ctm_cx_is_digit_c(x->sk[i])) {
				double d = x->sk[i] - '0';
				c.lo = d < c.lo ? d : c.lo;
				c.hi = d > c.hi ? d : c.hi;
			}
	} else if (ctm_cx_grp_num(x, "ed", &b)) {
		c.hi = ctm_cx_grp_is(x, "ecmp", "<") ? b - 1 : b;
		if (c.hi < 0)
			return ctm_cx_reject(x, "ECOG < 0");
	} else if (ctm_cx_grp_num(x, "ee", &b)) {
		c.hi = b;
	} else if (ctm_cx_grp_num(x, "eh", &b)) {
		c.lo = b;
	} else if (ctm_cx_grp_num(x, "eg", &b)) {
		c.lo = ctm_cx_grp_is(x, "egc", ">") ? b + 1 : b;
		if (c.lo > 5)
			return ctm_cx_reject(x, "ECOG > 5");
	} else if (ctm_cx_grp_num(x, "ef", &b)) {
		c.lo = c.hi = b;
	} else {
		return ctm_cx_reject(x, "ECOG without a value");
	}
	return ctm_cx_leaf(x, &c);
}

int ctm_cx_h_age(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_AGE);
	double a, b;

	(void)ms, (void)me;
	if (ctm_cx_grp_num(x, "av", &a)) {
		if (ctm_cx_grp_is(x, "acmp", ">=") ||
		    ctm_cx_grp_is(x, "acmp", ">"))
			c.lo = a;
		else
			c.hi = a;
		if (ctm_cx_grp_is(x, "acmp", ">"))
			c.flags |= CTM_F_LO_OPEN;
		else if (ctm_cx_grp_is(x, "acmp", "<"))
			c.flags |= CTM_F_HI_OPEN;
	} else if (ctm_cx_grp_num(x, "aa", &a) && ctm_cx_grp_num(x, "ab", &b)) {
		c.lo = a;
		c.hi = b;
	} else if (ctm_cx_grp_num(x, "ac", &a) ||
		   ctm_cx_grp_num(x, "ac2", &a) ||
		   ctm_cx_grp_num(x, "ac3", &a)) {
		c.lo = a;
	} else if (ctm_cx_grp_num(x, "av2", &a)) {
		c.lo = a;
		if (ctm_cx_grp_is(x, "acmp2", ">"))
			c.flags |= CTM_F_LO_OPEN;
	} else if ((ctm_cx_grp_num(x, "aa2", &a) &&
		    ctm_cx_grp_num(x, "ab2", &b)) ||
		   (ctm_cx_grp_num(x, "aa3", &a) &&
		    ctm_cx_grp_num(x, "ab3", &b)) ||
		   (ctm_cx_grp_num(x, "aa4", &a) &&
		    ctm_cx_grp_num(x, "ab4", &b))) {
		c.lo = a;
		c.hi = b;
	} else {
		return ctm_cx_reject(x, "age without a value");
	}
	if (c.lo > c.hi || c.lo > 120 || c.hi < 0)
		return ctm_cx_reject(x, "age out of range");
	return ctm_cx_leaf(x, &c);
}

int ctm_cx_h_preg(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c;
	const char *s = x->sk + ms;

	(void)me;
	if (!strncmp(s, "currently ", 10))
		s += 10;
	c = ctm_cx_mk(!strncmp(s, "preg", 4) ? CTM_K_PREGNANT
					     : CTM_K_BREASTFEEDING);
	return ctm_cx_leaf(x, &c);
}

int ctm_cx_h_measurable(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_MEASURABLE);
	size_t s, e;

	(void)ms, (void)me;
	if (ctm_cx_grp(x, "msite", &s, &e)) {
		/* "a measurable hepatic lesion": measurable disease, and
		 * metastases there */
		tok st = {x->sk + s, e - s - 1};
		ctm_constraint sc = ctm_cx_mk(CTM_K_SITE);
		int k[2];
		sc.concept = ctm_cx_ph_concept(x, &st, "S");
		if (!sc.concept)
			return ctm_cx_reject(
				x, "measurable lesion at an odd site");
		k[0] = ctm_cx_leaf(x, &c);
		k[1] = ctm_cx_leaf(x, &sc);
		return ctm_cx_nary(x, X_AND, k, 2);
	}
	return ctm_cx_leaf(x, &c);
}

/* ------------------------------------------------------------------ */
/* Handlers: labs                                                      */
/* ------------------------------------------------------------------ */

enum { FAM_NONE, FAM_COUNT, FAM_HGB, FAM_ALB, FAM_ULN, FAM_CLEAR, FAM_PCT, FAM_RATIO };

/* The lab's threshold family: its measure line (engine/lexicon/labs.tsv). */
static int lab_family(const ctm_lexicon *lx, ctm_concept lab)
{
	static const struct {
		const char *name;
		int fam;
	} fams[] = {
		{"count", FAM_COUNT},	  {"hemoglobin", FAM_HGB},
		{"g/dL", FAM_ALB},	  {"ULN", FAM_ULN},
		{"clearance", FAM_CLEAR}, {"percent", FAM_PCT},
		{"ratio", FAM_RATIO},
	};
	const ctm_lab_info *l = ctm_lexicon_lab_info(lx, lab);
	size_t i;

	for (i = 0; l && l->family && i < sizeof(fams) / sizeof(fams[0]); i++)
		if (!strcmp(fams[i].name, l->family))
			return fams[i].fam;
	return FAM_NONE;
}

/* A lab concept for a unit the profile does not hold ("<name>_mg_dl"). */
static ctm_concept lab_unit_concept(const struct ctm_criteria_ctx *x,
				    ctm_concept lab, const char *suffix)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%s%s", ctm_lexicon_name(x->lx, lab),
		 suffix);
	return ctm_lexicon_concept(x->lx, CTM_CT_LAB, buf);
}

enum {
	UN_NONE,
	UN_ULN,
	UN_G9,
	UN_G3,
	UN_UL,
	UN_GDL,
	UN_MGDL,
	UN_GL,
	UN_MMOL,
	UN_UMOL,
	UN_ML,
	UN_PCT,
	UN_BAD
};

static int lab_unit(struct ctm_criteria_ctx *x)
{
	static const char *names[] = {"uln",  "g9", "g3",  "ul",
				      "gdl",  "mgdl", "gl", "mmol",
				      "umol", "ml", "pct", "bad"};
	size_t s, e, i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (ctm_cx_grp(x, names[i], &s, &e))
			return (int)i + 1;
	return UN_NONE;
}

/*
 * One lab leaf from concept, comparison and value in the sentence's unit,
 * converted to the profile's unit (or to a profile-less concept). open
 * holds CTM_F_LO_OPEN / CTM_F_HI_OPEN / CTM_F_ALT_HI_OPEN for a strict
 * comparison ("<", "more than"): a converted threshold keeps it.
 */
static int lab_leaf(struct ctm_criteria_ctx *x, ctm_concept lab, int is_lo,
		    double v, int unit, double alt, uint32_t open)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_LAB);
	const char *name = ctm_lexicon_name(x->lx, lab);
	int fam = lab_family(x->lx, lab);
	size_t nl = strlen(name);

	/* the concept already names its unit ("creatinine mg/dL") */
	if (nl > 6 && !strcmp(name + nl - 6, "_mg_dl")) {
		if (unit != UN_NONE && unit != UN_MGDL)
			return ctm_cx_reject(
				x, "lab unit disagrees with its name");
		fam = FAM_NONE;
		unit = UN_NONE;
	}
	c.concept = lab;
	switch (fam) {
	case FAM_COUNT:
		if (unit == UN_G9 || unit == UN_G3) {
			/* 10^9/L and 10^3/uL are the same number */
		} else if (unit == UN_UL) {
			v /= 1000.0;
		} else if (unit == UN_NONE) {
			/* no unit: only magnitudes that cannot be confused */
			if (!strcmp(name, "platelets") ? v >= 10000 : v >= 500)
				v /= 1000.0;
			else if (!strcmp(name, "platelets")
					 ? (v < 20 || v > 1000)
					 : v > 30)
				return ctm_cx_reject(
					x, "count without a clear unit");
		} else {
			return ctm_cx_reject(x, "count in an unknown unit");
		}
		break;
	case FAM_HGB:
	case FAM_ALB:
		if (unit == UN_G9 && x->sk[ctm_cx_grp_start(x, "g9")] == 'g')
			unit = UN_GL; /* "g/L" is grams here, not giga */
		if (unit == UN_GDL) {
		} else if (unit == UN_GL) {
			v /= 10.0;
		} else if (unit == UN_MMOL && fam == FAM_HGB) {
			c.concept = lab_unit_concept(x, lab, "_mmol_l");
		} else if (unit == UN_NONE && fam == FAM_HGB) {
			if (v >= 50 && v <= 200)
				v /= 10.0;
			else if (v < 5 || v > 20)
				return ctm_cx_reject(
					x, "hemoglobin without a unit");
		} else {
			return ctm_cx_reject(x, "g/dL lab in another unit");
		}
		break;
	case FAM_ULN:
		if (unit == UN_ULN) {
			c.flags |= CTM_F_ULN;
		} else if (unit == UN_MGDL) {
			c.concept = lab_unit_concept(x, lab, "_mg_dl");
		} else if (unit == UN_UMOL) {
			c.concept = lab_unit_concept(x, lab, "_umol_l");
		} else {
			return ctm_cx_reject(
				x, "lab without an x ULN or mg/dL unit");
		}
		break;
	case FAM_CLEAR:
		if (unit != UN_ML && unit != UN_NONE)
			return ctm_cx_reject(x, "clearance in another unit");
		break;
	case FAM_PCT:
		/* "LVEF >= 50%", "DLCO >= 60% predicted" */
		if (unit != UN_PCT && unit != UN_NONE)
			return ctm_cx_reject(x, "percent lab in another unit");
		break;
	case FAM_RATIO:
		/* "INR <= 1.5", "INR <= 1.5 x ULN" */
		if (unit == UN_ULN)
			c.flags |= CTM_F_ULN;
		else if (unit != UN_NONE)
			return ctm_cx_reject(x, "ratio lab in another unit");
		break;
	case FAM_NONE:
		if (unit != UN_NONE)
			return ctm_cx_reject(x, "lab in an unknown unit");
		break;
	}
	if (!c.concept)
		return ctm_cx_reject(x, "no lab concept for that unit");
	if (is_lo)
		c.lo = v;
	else
		c.hi = v;
	c.flags |= open & (is_lo ? CTM_F_LO_OPEN : CTM_F_HI_OPEN);
	if (!isinf(alt)) {
		if (is_lo || !(c.flags & CTM_F_ULN))
			return ctm_cx_reject(
				x, "liver exception on a lower bound");
		c.alt_hi = alt;
		c.flags |= CTM_F_LIVER_EXCEPTION | (open & CTM_F_ALT_HI_OPEN);
	}
	return ctm_cx_leaf(x, &c);
}

/* Expands the lab placeholders of [s,e) (families into members). */
static size_t lab_list(struct ctm_criteria_ctx *x, size_t s, size_t e,
		       ctm_concept *out, size_t max)
{
	tok t[32];
	size_t nt = ctm_cx_tokenize(x->sk + s, e - s, t, 32), i, n = 0;

	for (i = 0; i < nt; i++) {
		ctm_concept c = ctm_cx_ph_concept(x, &t[i], "L"), m[8];
		size_t nm, k;
		if (!c)
			continue;
		nm = ctm_cx_members(x, c, m, 8);
		if (!nm) {
			m[0] = c;
			nm = 1;
		}
		for (k = 0; k < nm && n < max; k++) {
			size_t j;
			for (j = 0; j < n && out[j] != m[k]; j++)
				;
			if (j == n)
				out[n++] = m[k];
		}
	}
	return n;
}

int ctm_cx_h_lab(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_concept labs[8];
	int kids[8];
	size_t s, e, n, i;
	double v, alt = INFINITY;
	int is_lo, unit;
	uint32_t open = 0;

	(void)ms, (void)me;
	if (!ctm_cx_grp(x, "labs", &s, &e))
		return ctm_cx_reject(x, "lab without a name");
	n = lab_list(x, s, e, labs, 8);
	if (!n)
		return ctm_cx_reject(x, "lab without a name");
	if (ctm_cx_grp_is(x, "cmp", "="))
		return ctm_cx_reject(x, "lab with '='");
	is_lo = ctm_cx_grp_is(x, "cmp", ">=") || ctm_cx_grp_is(x, "cmp", ">");
	/* "ANC < 1,500/mm3", "bilirubin > 1.5 x ULN": strict ("less than",
	 * "over" and the like were rewritten to < and >) */
	if (ctm_cx_grp_is(x, "cmp", ">"))
		open |= CTM_F_LO_OPEN;
	else if (ctm_cx_grp_is(x, "cmp", "<"))
		open |= CTM_F_HI_OPEN;
	if (!ctm_cx_grp_num(x, "v", &v))
		return ctm_cx_reject(x, "lab without a value");
	unit = lab_unit(x);
	if (unit == UN_BAD)
		return ctm_cx_reject(x, "lab in U/L or another unit");
	if (ctm_cx_grp_num(x, "v2", &alt)) {
		ctm_concept s1 = 0, s2 = 0;
		size_t a, b;
		tok t;
		if (ctm_cx_grp(x, "ls1", &a, &b)) {
			t.p = x->sk + a;
			t.n = b - a;
			s1 = ctm_cx_ph_concept(x, &t, "S");
		}
		if (ctm_cx_grp(x, "ls2", &a, &b)) {
			t.p = x->sk + a;
			t.n = b - a;
			s2 = ctm_cx_ph_concept(x, &t, "S");
		}
		if ((s1 && s1 != x->p->liver) || (s2 && s2 != x->p->liver) ||
		    (!s1 && !s2))
			return ctm_cx_reject(x,
					     "lab exception for another site");
		if (unit != UN_ULN)
			return ctm_cx_reject(x,
					     "liver exception without x ULN");
		/* "(< 5 x ULN with liver metastases)"; without a comparator
		 * of its own the exception restates the main one */
		if (ctm_cx_grp_is(x, "v2cmp", "<") ||
		    (!ctm_cx_grp_is(x, "v2cmp", "<=") &&
		     (open & CTM_F_HI_OPEN)))
			open |= CTM_F_ALT_HI_OPEN;
	}
	for (i = 0; i < n; i++) {
		kids[i] = lab_leaf(x, labs[i], is_lo, v, unit, alt, open);
		if (kids[i] < 0)
			return kids[i];
	}
	return ctm_cx_nary(x, X_LIST, kids, n);
}

int ctm_cx_h_lab_wnl(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_concept labs[8];
	int kids[8];
	size_t s, e, n, i;

	(void)ms, (void)me;
	if (!ctm_cx_grp(x, "labs", &s, &e))
		return ctm_cx_reject(x, "lab without a name");
	n = lab_list(x, s, e, labs, 8);
	for (i = 0; i < n; i++) {
		if (lab_family(x->lx, labs[i]) != FAM_ULN)
			return ctm_cx_reject(x,
					     "'normal' for a lab without ULN");
		/* within normal limits is <= ULN; "< ULN" is strict */
		kids[i] = lab_leaf(x, labs[i], 0, 1.0, UN_ULN, INFINITY,
				   ctm_cx_grp(x, "lt", &s, &e) ? CTM_F_HI_OPEN
							       : 0);
		if (kids[i] < 0)
			return kids[i];
	}
	return ctm_cx_nary(x, X_LIST, kids, n);
}
