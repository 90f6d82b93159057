/*
 * criteria_tidy.c - tidying the criteria reader's clauses: what adds nothing
 * to them.
 */
#include "criteria_internal.h"

/* ------------------------------------------------------------------ */
/* Tidying the clauses: what adds nothing to them                      */
/* ------------------------------------------------------------------ */

/* The kinds of the clauses among t[0,n). */
static uint32_t kinds_in(const struct ctm_criteria_ctx *x, const tok *t,
			 size_t n)
{
	uint32_t k = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		if (q >= 0)
			k |= x->qkinds[q];
	}
	return k;
}

/*
 * Rewrites the skeleton without what adds nothing to its clauses:
 * "..., which must have included X" becomes "... including X" (a
 * requirement on the clause); ", including <examples>" at the end of a
 * sentence goes (examples do not change what they illustrate); so does
 * an allowance for adjuvant therapy next to a clause about the
 * metastatic setting (which does not count adjuvant therapy anyway:
 * ignoring the allowance's conditions can only admit more patients);
 * and so does the assay or assessor after a clause ("by PCR or NGS",
 * "as assessed by the local investigator").
 */
int ctm_cx_tidy(struct ctm_criteria_ctx *x)
{
	static const tok including = {"including", 9};
	static const tok with = {"with", 4};
	tok t[MAX_TOKS], o[MAX_TOKS];
	size_t nt = ctm_cx_tokenize(x->sk, x->sklen, t, MAX_TOKS), i, j, n = 0;
	char *keep[MAX_TOKS];
	int metastatic_clause = 0;
	char buf[BUF_CAP];
	size_t len = 0;

	(void)keep;
	if (nt >= MAX_TOKS)
		return ctm_cx_reject(x, "sentence too long");
	/* an allowance for adjuvant therapy may be dropped next to a bound
	 * on therapy for metastatic disease ("no prior therapy for
	 * metastatic disease", "at most 2 lines for metastatic disease"),
	 * where it can only admit more; next to a requirement ("at least 1
	 * line for metastatic disease (adjuvant counts if ...)") it would
	 * admit fewer */
	for (i = 0; i < nt; i++) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		const xnode *nd;
		if (q < 0)
			continue;
		nd = &x->nodes[x->clause[q]];
		if (nd->op != X_LEAF ||
		    !(nd->c.flags & CTM_F_METASTATIC_SETTING))
			continue;
		if (nd->c.kind == CTM_K_PRIOR_LINES && !isinf(nd->c.hi))
			metastatic_clause = 1;
		if (nd->c.kind == CTM_K_THERAPY) {
			for (j = 0; j < i; j++)
				if (ctm_cx_word(x, CRULES_NEGATION, &t[j]))
					metastatic_clause = 1;
		}
	}
	for (i = 0; i < nt;) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		/* ", which must have included X" */
		if (ctm_cx_tin(&t[i],
			       (const char *const[]){"which", "that", NULL}) &&
		    n &&
		    (ctm_cx_ph_index(x, &o[n - 1], "Q") >= 0 ||
		     (ctm_cx_teq(&o[n - 1], ",") && n > 1 &&
		      ctm_cx_ph_index(x, &o[n - 2], "Q") >= 0))) {
			j = i + 1;
			if (j < nt && (ctm_cx_teq(&t[j], "must") ||
				       ctm_cx_teq(&t[j], "should")))
				j++;
			if (j < nt && (ctm_cx_teq(&t[j], "have") ||
				       ctm_cx_teq(&t[j], "has")))
				j++;
			if (j < nt && ctm_cx_teq(&t[j], "been"))
				j++;
			if (j < nt &&
			    ctm_cx_tin(&t[j], (const char *const[]){
					       "included", "include",
					       "includes", "contained",
					       "contain", "contains",
					       "containing", NULL})) {
				if (ctm_cx_teq(&o[n - 1], ","))
					n--;
				o[n++] = including;
				i = j + 1;
				continue;
			}
		}
		/* "adenocarcinoma ... that is metastatic and/or unresectable":
		 * the disease with its stage qualifiers */
		if (ctm_cx_tin(&t[i],
			       (const char *const[]){"that", "which", NULL}) &&
		    n && (q = ctm_cx_ph_index(x, &o[n - 1], "Q")) >= 0 &&
		    x->qkinds[q] == (1u << CTM_K_DISEASE) && i + 2 < nt &&
		    ctm_cx_tin(&t[i + 1],
			       (const char *const[]){"is", "are", NULL})) {
			uint32_t stagek = (1u << CTM_K_METASTATIC) |
					  (1u << CTM_K_RESECTABLE) |
					  (1u << CTM_K_STAGE);
			int qs[8], any_or = 0, ok = 1;
			size_t nqs = 0;
			for (j = i + 2; j < nt; j++) {
				int qq = ctm_cx_ph_index(x, &t[j], "Q");
				if (qq >= 0 && !(x->qkinds[qq] & ~stagek) &&
				    nqs < 8 &&
				    (nqs == 0 ||
				     ctm_cx_word(x, CRULES_CONNECTIVE,
						 &t[j - 1]))) {
					qs[nqs++] = x->clause[qq];
					continue;
				}
				if (nqs &&
				    ctm_cx_word(x, CRULES_CONNECTIVE, &t[j]) &&
				    j + 1 < nt &&
				    ctm_cx_ph_index(x, &t[j + 1], "Q") >= 0) {
					if (!ctm_cx_teq(&t[j], "and") &&
					    !ctm_cx_teq(&t[j], ","))
						any_or = 1;
					continue;
				}
				if (ctm_cx_teq(&t[j], ".") ||
				    ctm_cx_teq(&t[j], ","))
					break;
				ok = 0;
				break;
			}
			if (ok && nqs) {
				int g = ctm_cx_nary(x, any_or ? X_OR : X_AND,
						    qs, nqs);
				int k2[2] = {x->clause[q], g};
				int nn = ctm_cx_nary(x, X_AND, k2, 2);
				if (nn < 0)
					return nn;
				x->clause[q] = nn;
				x->qkinds[q] |= stagek;
				i = j;
				continue;
			}
		}
		/* "and, if RAS wild-type, an anti-EGFR antibody": a therapy
		 * required under a biomarker condition, (NOT cond) OR therapy */
		if (ctm_cx_teq(&t[i], "if") && i + 1 < nt &&
		    x->section != CTM_SECTION_EXCLUSION) {
			int qc = ctm_cx_ph_index(x, &t[i + 1], "Q"), qt = -1;
			size_t j2 = i + 2;
			uint32_t bm = 1u << CTM_K_BIOMARKER,
				 th = 1u << CTM_K_THERAPY;
			if (j2 < nt && ctm_cx_teq(&t[j2], ","))
				j2++;
			if (j2 < nt)
				qt = ctm_cx_ph_index(x, &t[j2], "Q");
			if (qc >= 0 && qt >= 0 && x->qkinds[qc] == bm &&
			    x->qkinds[qt] == th &&
			    (j2 + 1 == nt ||
			     ctm_cx_word(x, CRULES_CONNECTIVE, &t[j2 + 1]) ||
			     ctm_cx_teq(&t[j2 + 1], "."))) {
				int k2[2] = {ctm_cx_not_(x, x->clause[qc]),
					     x->clause[qt]};
				int nn = ctm_cx_nary(x, X_OR, k2, 2);
				if (nn < 0)
					return nn;
				x->clause[qt] = nn;
				x->qkinds[qt] |= bm;
				/* the comma before "if" goes with it */
				if (n && ctm_cx_teq(&o[n - 1], ",") && n > 1 &&
				    ctm_cx_word(x, CRULES_CONNECTIVE,
						&o[n - 2]))
					n--;
				o[n++] = t[j2];
				i = j2 + 1;
				continue;
			}
		}
		/* "a fluoropyrimidine, irinotecan, oxaliplatin, an anti-VEGF
		 * antibody (not mandatory) and/or an anti-EGFR antibody for
		 * RAS wild-type patients": the items before the optional one
		 * are required, unless "and/or" makes the list any of them.
		 * Met when the required items and the last one (for the
		 * patients named) are; not met when none is; else unknown:
		 * (req AND ((NOT cond) OR last)) OR ((any item) AND unread) */
		if ((q = ctm_cx_ph_index(x, &t[i], "Q")) >= 0 && i + 5 < nt &&
		    ctm_cx_teq(&t[i + 1], "(") &&
		    (ctm_cx_teq(&t[i + 2], "optional") ||
		     (ctm_cx_teq(&t[i + 2], "not") &&
		      (ctm_cx_teq(&t[i + 3], "mandatory") ||
		       ctm_cx_teq(&t[i + 3], "required") ||
		       ctm_cx_teq(&t[i + 3], "obligatory")))) &&
		    x->qkinds[q] == (1u << CTM_K_THERAPY) &&
		    x->section != CTM_SECTION_EXCLUSION) {
			size_t k =
				i + (ctm_cx_teq(&t[i + 2], "optional") ? 3 : 4);
			int ql = -1, qc = -1;
			const xnode *ln = &x->nodes[x->clause[q]];
			if (k < nt && ctm_cx_teq(&t[k], ")"))
				k++;
			if (k + 1 < nt && (ctm_cx_teq(&t[k], "and/or") ||
					   ctm_cx_teq(&t[k], "or") ||
					   ctm_cx_teq(&t[k], "and")))
				ql = ctm_cx_ph_index(x, &t[k + 1], "Q");
			k += 2;
			if (ql >= 0 && k + 2 < nt && ctm_cx_teq(&t[k], "for") &&
			    (qc = ctm_cx_ph_index(x, &t[k + 1], "Q")) >= 0 &&
			    (ctm_cx_teq(&t[k + 2], "patients") ||
			     ctm_cx_teq(&t[k + 2], "tumours") ||
			     ctm_cx_teq(&t[k + 2], "tumors") ||
			     ctm_cx_teq(&t[k + 2], "disease")))
				k += 3;
			else
				qc = -1;
			if (ql >= 0 && (k == nt || ctm_cx_teq(&t[k], ".")) &&
			    (ln->op == X_LIST || ln->op == X_AND) && ln->n >= 3 &&
			    x->qkinds[ql] == (1u << CTM_K_THERAPY) &&
			    !ctm_cx_has_not(x, x->clause[q], 0) &&
			    !ctm_cx_has_not(x, x->clause[ql], 0) &&
			    (qc < 0 ||
			     x->qkinds[qc] == (1u << CTM_K_BIOMARKER))) {
				int req[17], any[18], k2[2], last, r1, r2, u;
				size_t m, nr = 0, na = 0;
				ctm_constraint uc = ctm_cx_unread_leaf(x);
				for (m = 0; m < ln->n; m++) {
					int kid = x->kids[ln->first + m];
					if (x->nodes[kid].op != X_LEAF)
						break;
					if (m + 1 < ln->n)
						req[nr++] = kid;
					any[na++] = ctm_cx_leaf(
						x, &x->nodes[kid].c);
				}
				if (m == ln->n && x->nodes[x->clause[ql]].op ==
							  X_LEAF) {
					any[na++] = ctm_cx_leaf(x,
						&x->nodes[x->clause[ql]].c);
					last = x->clause[ql];
					if (qc >= 0) {
						k2[0] = ctm_cx_not_(
							x, x->clause[qc]);
						k2[1] = last;
						last = ctm_cx_nary(x, X_OR, k2,
								   2);
					}
					req[nr++] = last;
					r1 = ctm_cx_nary(x, X_AND, req, nr);
					r2 = ctm_cx_nary(x, X_OR, any, na);
					u = ctm_cx_leaf(x, &uc);
					k2[0] = r2;
					k2[1] = u;
					k2[1] = ctm_cx_nary(x, X_AND, k2, 2);
					k2[0] = r1;
					r1 = ctm_cx_nary(x, X_OR, k2, 2);
					if (r1 < 0)
						return r1;
					x->clause[q] = r1;
					x->qkinds[q] |= (1u << CTM_K_NONE);
					if (qc >= 0)
						x->qkinds[q] |=
							1u << CTM_K_BIOMARKER;
					o[n++] = t[i];
					i = k;
					continue;
				}
			}
		}
		/* "(that has) progressed on, or is intolerant of, all
		 * available standard therapy" (not in an exclusion list):
		 * which therapy is standard is not a patient fact, but
		 * progressing on it needs some therapy, so: any therapy
		 * with its outcome, AND (unread) */
		if (x->p->any_therapy && x->section != CTM_SECTION_EXCLUSION) {
			size_t k = i;
			uint32_t fl = 0;
			if (k < nt && ctm_cx_word(x, CRULES_RELATIVE, &t[k]))
				k++;
			while (k < nt &&
			       ctm_cx_word(x, CRULES_AUXILIARY, &t[k]))
				k++;
			if (k + 1 < nt && ctm_cx_teq(&t[k], "progressed") &&
			    ctm_cx_word(x, CRULES_ON_THERAPY, &t[k + 1])) {
				fl = CTM_F_PROGRESSED;
				k += 2;
			} else if (k < nt && ctm_cx_teq(&t[k], "failed")) {
				fl = CTM_F_PROGRESSED;
				k++;
			} else if (k + 1 < nt &&
				   ctm_cx_teq(&t[k], "refractory") &&
				   ctm_cx_teq(&t[k + 1], "to")) {
				fl = CTM_F_REFRACTORY;
				k += 2;
			}
			if (fl) {
				size_t k0 = k;
				if (k < nt && ctm_cx_teq(&t[k], ","))
					k++;
				if (k < nt &&
				    ctm_cx_word(x, CRULES_CONNECTIVE, &t[k]) &&
				    !ctm_cx_teq(&t[k], ",")) {
					if (!ctm_cx_teq(&t[k], "or") &&
					    !ctm_cx_teq(&t[k], "and/or"))
						k = nt; /* no match */
					else
						k++;
					while (k < nt &&
					       ctm_cx_word(x, CRULES_AUXILIARY,
							   &t[k]))
						k++;
					if (k + 1 < nt &&
					    (ctm_cx_teq(&t[k], "intolerant") ||
					     ctm_cx_teq(&t[k],
							"intolerance")) &&
					    (ctm_cx_teq(&t[k + 1], "of") ||
					     ctm_cx_teq(&t[k + 1], "to"))) {
						fl |= CTM_F_INTOLERANT;
						k += 2;
						if (k < nt &&
						    ctm_cx_teq(&t[k], ","))
							k++;
					} else if (k + 1 < nt &&
						   ctm_cx_teq(&t[k],
							      "refractory") &&
						   ctm_cx_teq(&t[k + 1],
							      "to")) {
						/* "progressed on, or are
						 * refractory to, ..." */
						fl |= CTM_F_REFRACTORY;
						k += 2;
						if (k < nt &&
						    ctm_cx_teq(&t[k], ","))
							k++;
					} else {
						k = nt;
					}
				} else {
					k = k0;
				}
				while (k < nt &&
				       (ctm_cx_teq(&t[k], "all") ||
					ctm_cx_teq(&t[k], "available") ||
					ctm_cx_teq(&t[k], "approved") ||
					ctm_cx_teq(&t[k], "prior") ||
					ctm_cx_teq(&t[k], "previous")))
					k++;
				if (k + 1 < nt &&
				    ctm_cx_teq(&t[k], "standard") &&
				    ctm_cx_word(x, CRULES_THERAPY_NOUN,
						&t[k + 1]) &&
				    (k + 2 == nt ||
				     ctm_cx_teq(&t[k + 2], "."))) {
					ctm_constraint tc =
						ctm_cx_mk(CTM_K_THERAPY);
					ctm_constraint uc =
						ctm_cx_unread_leaf(x);
					int k2[2];
					tok qt;
					tc.concept = x->p->any_therapy;
					tc.flags = fl;
					k2[0] = ctm_cx_leaf(x, &tc);
					k2[1] = ctm_cx_leaf(x, &uc);
					k2[0] = ctm_cx_nary(x, X_AND, k2, 2);
					if (k2[0] < 0)
						return k2[0];
					if (ctm_cx_new_clause(x, k2[0],
						       (1u << CTM_K_THERAPY) |
							       (1u << CTM_K_NONE),
						       &qt))
						return R_REJECT;
					if (n && ctm_cx_ph_index(x, &o[n - 1],
								 "Q") >= 0)
						o[n++] = with;
					o[n++] = qt;
					i = k + 2;
					continue;
				}
			}
		}
		/* "X, with or without Y": X, whatever Y */
		if (ctm_cx_teq(&t[i], "with") && i + 3 < nt &&
		    ctm_cx_teq(&t[i + 1], "or") &&
		    ctm_cx_teq(&t[i + 2], "without") && n &&
		    (ctm_cx_ph_index(x, &o[n - 1], "Q") >= 0 ||
		     (ctm_cx_teq(&o[n - 1], ",") && n > 1 &&
		      ctm_cx_ph_index(x, &o[n - 2], "Q") >= 0)) &&
		    (q = ctm_cx_ph_index(x, &t[i + 3], "Q")) >= 0 &&
		    !ctm_cx_has_not(x, x->clause[q], 0) &&
		    (i + 4 == nt || ctm_cx_teq(&t[i + 4], ".") ||
		     ctm_cx_teq(&t[i + 4], ",") ||
		     ctm_cx_teq(&t[i + 4], ";"))) {
			if (ctm_cx_teq(&o[n - 1], ","))
				n--;
			i += 4;
			continue;
		}
		/* "fluoropyrimidine, oxaliplatin, irinotecan and cetuximab
		 * or panitumumab, if KRAS wild-type": the condition is on the
		 * list's last item, a choice of two kinds of one class (see
		 * therapy_list), as in "and, if RAS wild-type, ..." above.
		 * After a plain list ("oxaliplatin and irinotecan, if ...")
		 * it may be on the whole list: review. */
		if (ctm_cx_teq(&t[i], "if") && i + 1 < nt && n >= 2 &&
		    ctm_cx_teq(&o[n - 1], ",") &&
		    x->section != CTM_SECTION_EXCLUSION &&
		    (i + 2 == nt || ctm_cx_teq(&t[i + 2], "."))) {
			int qc = ctm_cx_ph_index(x, &t[i + 1], "Q");
			int qt = ctm_cx_ph_index(x, &o[n - 2], "Q");
			uint32_t bm = 1u << CTM_K_BIOMARKER,
				 th = 1u << CTM_K_THERAPY;
			if (qc >= 0 && qt >= 0 && x->qkinds[qc] == bm &&
			    x->qkinds[qt] == th) {
				xnode *tn = &x->nodes[x->clause[qt]];
				int last = -1, k2[2], nn;
				if (tn->op == X_LEAF)
					last = x->clause[qt];
				else if ((tn->op == X_LIST || tn->op == X_AND) &&
					 tn->n >= 2)
					last = x->kids[tn->first + tn->n - 1];
				if (last >= 0 && !ctm_cx_has_not(x, last, 0) &&
				    (last == x->clause[qt] ||
				     x->nodes[last].op == X_OR)) {
					k2[0] = ctm_cx_not_(x, x->clause[qc]);
					k2[1] = last;
					nn = ctm_cx_nary(x, X_OR, k2, 2);
					if (nn < 0)
						return nn;
					tn = &x->nodes[x->clause[qt]];
					if (tn->op == X_LEAF)
						x->clause[qt] = nn;
					else
						x->kids[tn->first + tn->n - 1] =
							(uint16_t)nn;
					x->qkinds[qt] |= bm;
					n--; /* the comma goes with "if" */
					i += 2;
					continue;
				}
			}
		}
		/* "X that is not Y": X AND NOT Y */
		if (ctm_cx_tin(&t[i],
			       (const char *const[]){"that", "which", NULL}) &&
		    n && ctm_cx_ph_index(x, &o[n - 1], "Q") >= 0 &&
		    i + 3 < nt &&
		    ctm_cx_tin(&t[i + 1],
			       (const char *const[]){"is", "are", NULL}) &&
		    ctm_cx_teq(&t[i + 2], "not") &&
		    (q = ctm_cx_ph_index(x, &t[i + 3], "Q")) >= 0 &&
		    (i + 4 == nt ||
		     ctm_cx_word(x, CRULES_CONNECTIVE, &t[i + 4]) ||
		     ctm_cx_teq(&t[i + 4], "."))) {
			int nn = ctm_cx_not_(x, x->clause[q]);
			if (nn < 0)
				return nn;
			x->clause[q] = nn;
			o[n++] = with;
			o[n++] = t[i + 3];
			i += 4;
			continue;
		}
		/* an adjuvant allowance: "( prior adjuvant X is allowed if
		 * ... )" or a sentence "Prior adjuvant therapy is
		 * considered ..." */
		if (metastatic_clause &&
		    (ctm_cx_teq(&t[i], "(") ||
		     (ctm_cx_teq(&t[i], ".") && i + 1 < nt))) {
			int paren = ctm_cx_teq(&t[i], "("), adj = 0, allow = 0;
			int depth = 0;
			for (j = i + (paren ? 0 : 1); j < nt; j++) {
				if (ctm_cx_teq(&t[j], "("))
					depth++;
				if (ctm_cx_teq(&t[j], ")") && --depth <= 0 &&
				    paren)
					break;
				if (!paren && ctm_cx_teq(&t[j], "."))
					break;
				if ((ctm_cx_teq(&t[j], "adjuvant") ||
				     ctm_cx_teq(&t[j], "neoadjuvant")) &&
				    adj >= 0)
					adj = 1;
				if (ctm_cx_word(x, CRULES_PERMISSION, &t[j]) ||
				    ctm_cx_teq(&t[j], "considered") ||
				    ctm_cx_teq(&t[j], "regarded") ||
				    ctm_cx_teq(&t[j], "counts") ||
				    ctm_cx_teq(&t[j], "count"))
					allow = 1;
				{
					/* only adjuvant therapy (and "metastatic
					 * disease") may be named in it */
					int qq = ctm_cx_ph_index(x, &t[j], "Q");
					const xnode *qn;
					if (qq < 0)
						continue;
					qn = &x->nodes[x->clause[qq]];
					if (x->qkinds[qq] == (1u << CTM_K_METASTATIC))
						continue;
					if (qn->op == X_LEAF &&
					    qn->c.kind == CTM_K_THERAPY &&
					    (qn->c.flags &
					     (CTM_F_ADJUVANT_SETTING |
					      CTM_F_NEOADJUVANT_SETTING)) &&
					    adj >= 0)
						adj = 1;
					else
						adj = -1;
				}
			}
			if (adj == 1 && allow && (!paren || j < nt)) {
				i = paren ? j + 1 : j;
				continue;
			}
		}
		/* ", including <examples>" to the end of the sentence */
		if (ctm_cx_teq(&t[i], ",") && i + 1 < nt &&
		    ctm_cx_teq(&t[i + 1], "including") && n &&
		    ctm_cx_ph_index(x, &o[n - 1], "Q") >= 0) {
			int bad = 0;
			/* not when a qualifier of the whole list follows the
			 * examples ("..., including X, within 6 weeks") */
			for (j = i + 2; j < nt && !ctm_cx_teq(&t[j], "."); j++)
				if (ctm_cx_denied(x, &t[j]) ||
				    ctm_cx_word(x, CRULES_TIME, &t[j]) ||
				    ctm_cx_is_digit_c(t[j].p[0]) ||
				    (ctm_cx_teq(&t[j - 1], ",") &&
				     ctm_cx_shared_word(x, &t[j])))
					bad = 1;
			if (!bad) {
				i = j;
				continue;
			}
		}
		/* ", confirmed by colonoscopy with histology" ending a
		 * sentence with a clause: how it was shown */
		if (ctm_cx_teq(&t[i], ",") && i + 1 < nt &&
		    ctm_cx_word(x, CRULES_ASSAY_OPEN, &t[i + 1]) && n &&
		    (kinds_in(x, o, n) &
		     ~((1u << CTM_K_THERAPY) | (1u << CTM_K_PRIOR_LINES) |
		       (1u << CTM_K_LAB)))) {
			for (j = i + 1;
			     j < nt && ctm_cx_word(x, CRULES_ASSAY, &t[j]) &&
			     !ctm_cx_word(x, CRULES_CONNECTIVE, &t[j]);
			     j++)
				;
			if (j == nt || ctm_cx_teq(&t[j], ".")) {
				i = j;
				continue;
			}
		}
		/* "(3+ IHC)": a parenthesis of assay words after a clause */
		if (ctm_cx_teq(&t[i], "(") && n &&
		    (q = ctm_cx_ph_index(x, &o[n - 1], "Q")) >= 0 &&
		    !(x->qkinds[q] &
		      ((1u << CTM_K_THERAPY) | (1u << CTM_K_PRIOR_LINES) |
		       (1u << CTM_K_LAB) | (1u << CTM_K_NONE)))) {
			/* not alternatives ("(IHC 3+ or IHC 2+/ISH+)" says
			 * what "HER2-positive" means) */
			for (j = i + 1; j < nt && !ctm_cx_teq(&t[j], ")") &&
					!ctm_cx_teq(&t[j], "(") &&
					!ctm_cx_teq(&t[j], "or") &&
					!ctm_cx_teq(&t[j], "and/or") &&
					!ctm_cx_teq(&t[j], "/") &&
					(ctm_cx_word(x, CRULES_ASSAY, &t[j]) ||
					 ctm_cx_teq(&t[j], ":"));
			     j++)
				;
			if (j < nt && j > i + 1 && ctm_cx_teq(&t[j], ")")) {
				i = j + 1;
				continue;
			}
		}
		/* the assay or assessor after a clause (or after "( Q )") */
		if (n >= 4 && ctm_cx_teq(&o[n - 1], ")") &&
		    ctm_cx_ph_index(x, &o[n - 2], "Q") >= 0 &&
		    ctm_cx_teq(&o[n - 3], "(") &&
		    ctm_cx_ph_index(x, &o[n - 4], "Q") >= 0 &&
		    ctm_cx_word(x, CRULES_ASSAY_OPEN, &t[i]) &&
		    !(x->qkinds[ctm_cx_ph_index(x, &o[n - 4], "Q")] &
		      ((1u << CTM_K_THERAPY) | (1u << CTM_K_PRIOR_LINES) |
		       (1u << CTM_K_LAB) | (1u << CTM_K_NONE)))) {
			for (j = i;
			     j < nt && ctm_cx_word(x, CRULES_ASSAY, &t[j]) &&
			     !ctm_cx_word(x, CRULES_CONNECTIVE, &t[j]);
			     j++)
				;
			if (j == nt || ctm_cx_teq(&t[j], ".")) {
				i = j;
				continue;
			}
		}
		/* the assay or assessor after a clause */
		if (n && i < nt &&
		    (q = ctm_cx_ph_index(x, &o[n - 1], "Q")) >= 0 &&
		    !(x->qkinds[q] &
		      ((1u << CTM_K_THERAPY) | (1u << CTM_K_PRIOR_LINES) |
		       (1u << CTM_K_LAB) | (1u << CTM_K_NONE))) &&
		    (ctm_cx_word(x, CRULES_ASSAY_OPEN, &t[i]) ||
		     (ctm_cx_teq(&t[i], ",") && i + 1 < nt &&
		      ctm_cx_word(x, CRULES_ASSAY_OPEN, &t[i + 1])))) {
			size_t end = i, k;
			int ok = 1;
			for (j = i; j < nt; j++) {
				if (ctm_cx_teq(&t[j], ".") ||
				    ctm_cx_teq(&t[j], ";"))
					break;
				if (ctm_cx_word(x, CRULES_CONNECTIVE, &t[j])) {
					/* a connective a clause follows ends it */
					for (k = j;
					     k < nt &&
					     ctm_cx_word(x, CRULES_CONNECTIVE,
							 &t[k]);
					     k++)
						;
					if (k < nt &&
					    ctm_cx_ph_index(x, &t[k], "Q") >= 0)
						break;
				}
				if (!ctm_cx_word(x, CRULES_ASSAY, &t[j]) &&
				    !ctm_cx_teq(&t[j], ":")) {
					/* "the Acme screening assessment": a
					 * name, ending on an assay noun */
					size_t k2 = j;
					while (k2 < nt && k2 < j + 2 &&
					       !ctm_cx_word(x, CRULES_ASSAY,
							    &t[k2]) &&
					       t[k2].p[0] >= 'a' &&
					       t[k2].p[0] <= 'z')
						k2++;
					while (k2 < nt &&
					       ctm_cx_word(x, CRULES_ASSAY,
							   &t[k2]) &&
					       !ctm_cx_word(x,
							    CRULES_CONNECTIVE,
							    &t[k2]))
						k2++;
					if (k2 > j &&
					    (k2 == nt ||
					     ctm_cx_teq(&t[k2], ".")) &&
					    ctm_cx_word(x, CRULES_ASSAY_NOUN,
							&t[k2 - 1])) {
						j = k2;
						break;
					}
					ok = 0;
					break;
				}
			}
			end = j;
			/* a run that stopped on a word it does not know is left */
			while (ok && end > i &&
			       ctm_cx_word(x, CRULES_CONNECTIVE, &t[end - 1]))
				end--;
			if (ok && end > i) {
				i = end;
				continue;
			}
		}
		o[n++] = t[i++];
	}
	for (i = 0; i < n; i++) {
		if (len + o[i].n + 2 >= sizeof(buf))
			return ctm_cx_reject(x, "skeleton too long");
		if (len)
			buf[len++] = ' ';
		memcpy(buf + len, o[i].p, o[i].n);
		len += o[i].n;
	}
	buf[len] = '\0';
	memcpy(x->sk, buf, len + 1);
	x->sklen = len;
	return 0;
}

/*
 * One sentence of a criterion (tokens t[0,nt) of the skeleton) into its
 * expression with the polarity folded in (*out).
 */
/*
 * "Have progressed on one prior regimen and either are no longer
 * candidates for standard therapy, have none available, or decline it":
 * "either" scopes the alternatives after it, so the rest is one more
 * conjunct, unread (always unknown): what is before it decides when it
 * fails. Tried only when the sentence does not read whole ("ECOG 0-1 and
 * either KRAS or NRAS mutated" does). Copies t into o with the conjunct
 * as an unread clause.
 */
int ctm_cx_read_either(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		       tok *o, size_t *no)
{
	size_t i, b;

	for (i = 1; i + 2 < nt; i++) {
		if (!ctm_cx_teq(&t[i], "and") ||
		    !ctm_cx_teq(&t[i + 1], "either"))
			continue;
		b = (i >= 2 && ctm_cx_teq(&t[i - 1], ",")) ? i - 1 : i;
		if (!b || ctm_cx_ph_index(x, &t[b - 1], "Q") < 0)
			continue;
		memcpy(o, t, b * sizeof(*t));
		o[b].p = "and";
		o[b].n = 3;
		if (ctm_cx_unread_clause(x, &o[b + 1]))
			return R_REJECT;
		*no = b + 2;
		return 0;
	}
	memcpy(o, t, nt * sizeof(*t));
	*no = nt;
	return 0;
}
