/*
 * criteria_frames_biomarker.c - frames of the criteria reader: biomarkers
 * (genes, variants, markers and their status).
 */
#include "criteria_internal.h"

/* ------------------------------------------------------------------ */
/* Handler: biomarkers                                                 */
/* ------------------------------------------------------------------ */

static int bm_status_word(const tok *t)
{
	static const struct {
		const char *w;
		int st;
	} map[] = {
		{"mutated", CTM_BM_MUTATED},
		{"wildtype", CTM_BM_WILDTYPE},
		{"amplified", CTM_BM_AMPLIFIED},
		{"overexpressed", CTM_BM_OVEREXPRESSED},
		{"fusion", CTM_BM_FUSION},
		{"altered", CTM_BM_ANY},
		{"positive", CTM_BM_POSITIVE},
		{"negative", CTM_BM_NEGATIVE},
		{"high", CTM_BM_HIGH},
		{"low", CTM_BM_LOW},
		{"stable", CTM_BM_STABLE},
		{"deficient", CTM_BM_DEFICIENT},
		{"proficient", CTM_BM_PROFICIENT},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (ctm_cx_teq(t, map[i].w))
			return map[i].st;
	return -1;
}

/* A biomarker leaf; v is a variant or 0. */
static int bm_leaf(struct ctm_criteria_ctx *x, ctm_concept gene, int status,
		   ctm_concept v, double lo)
{
	ctm_constraint c = ctm_cx_mk(CTM_K_BIOMARKER);

	c.concept = gene;
	c.status = (uint16_t)status;
	c.variant = v;
	c.lo = lo;
	if (!isinf(lo))
		c.flags |= x->bm_lo_open;
	return ctm_cx_leaf(x, &c);
}

/*
 * One gene (not a family) with one status, and the exons of the
 * sentence (bitmask, 0 = none named).
 */
static int gene_status(struct ctm_criteria_ctx *x, ctm_concept g, int st,
		       unsigned exons)
{
	const char *name = ctm_lexicon_name(x->lx, g);
	int kids[8];
	size_t n = 0;
	unsigned ex;

	if (st == CTM_BM_POSITIVE) {
		/* "HER2-positive" is amplification by convention */
		if (strcmp(name, "ERBB2"))
			return ctm_cx_reject(x, "'positive' for a gene");
		st = CTM_BM_AMPLIFIED;
	}
	if (st == CTM_BM_NEGATIVE) {
		if (strcmp(name, "ERBB2"))
			return ctm_cx_reject(x, "'negative' for a gene");
		return ctm_cx_not_(
			x, bm_leaf(x, g, CTM_BM_AMPLIFIED, 0, -INFINITY));
	}
	if (st == CTM_BM_HIGH || st == CTM_BM_LOW || st == CTM_BM_STABLE ||
	    st == CTM_BM_DEFICIENT || st == CTM_BM_PROFICIENT)
		return ctm_cx_reject(x, "marker status for a gene");
	if (!exons || (st != CTM_BM_WILDTYPE && st != CTM_BM_MUTATED))
		return exons ? ctm_cx_reject(x, "exons with that status")
			     : bm_leaf(x, g, st, 0, -INFINITY);
	/* exons 2, 3 and 4 are the whole RAS panel: plain wild-type */
	if (st == CTM_BM_WILDTYPE && (exons & 0x1c) == 0x1c)
		return bm_leaf(x, g, st, 0, -INFINITY);
	for (ex = 0; ex < 32 && n < 8; ex++) {
		char buf[16];
		ctm_concept v;
		if (!(exons & (1u << ex)))
			continue;
		snprintf(buf, sizeof(buf), "exon %u", ex);
		v = ctm_cx_variant_of(x, g, buf, strlen(buf));
		if (!v)
			return ctm_cx_reject(x, "no concept for that exon");
		kids[n++] = bm_leaf(x, g, CTM_BM_MUTATED, v, -INFINITY);
	}
	if (!n)
		return ctm_cx_reject(x, "exons out of range");
	/* wild-type in the named exons: none of them mutated */
	if (st == CTM_BM_WILDTYPE)
		return ctm_cx_not_(x, ctm_cx_nary(x, X_OR, kids, n));
	return ctm_cx_nary(x, X_OR, kids, n);
}

/* A marker (MSI, MMR, TMB, PD-L1) with a status. */
static int marker_status(struct ctm_criteria_ctx *x, ctm_concept m, int st,
			 double lo)
{
	const char *name = ctm_lexicon_name(x->lx, m);
	ctm_concept msi = ctm_lexicon_concept(x->lx, CTM_CT_MARKER, "MSI");

	if (ctm_bm_msi_family(x->lx, m)) {
		/* dMMR is MSI-H and pMMR is MSS (ctm_bm_msi_status): one
		 * leaf on MSI; MMR takes deficient/proficient, MSI the rest */
		int ms = ctm_bm_msi_status((ctm_bm_status)st);
		int mmr_word = st == CTM_BM_DEFICIENT ||
			       st == CTM_BM_PROFICIENT;
		if (!msi)
			return ctm_cx_reject(x, "no MSI concept");
		if (ms < 0 || mmr_word != !strcmp(name, "MMR"))
			return ctm_cx_reject(x, "MSI/MMR status not modelled");
		return bm_leaf(x, msi, ms, 0, -INFINITY);
	}
	if (!strcmp(name, "TMB")) {
		if (st == CTM_BM_POSITIVE)
			st = CTM_BM_HIGH;
		if (st != CTM_BM_HIGH && st != CTM_BM_LOW)
			return ctm_cx_reject(x, "TMB status not modelled");
		return bm_leaf(x, m, st, 0, lo);
	}
	if (!strcmp(name, "PD-L1")) {
		if (st != CTM_BM_POSITIVE && st != CTM_BM_NEGATIVE &&
		    st != CTM_BM_HIGH && st != CTM_BM_LOW)
			return ctm_cx_reject(x, "PD-L1 status not modelled");
		return bm_leaf(x, m, st, 0, -INFINITY);
	}
	return ctm_cx_reject(x, "marker not modelled");
}

/* The leaves for one gene or marker with its statuses. */
static int item_node(struct ctm_criteria_ctx *x, ctm_concept item, char type,
		     const int *st, size_t nst, int st_kind, unsigned exons,
		     double lo)
{
	int skids[8];
	size_t j, sn = 0;

	if (type == 'V')
		return ctm_cx_reject(x, "variant mixed with genes");
	for (j = 0; j < nst && sn < 8; j++) {
		int node;
		if (type == 'M') {
			node = marker_status(x, item, st[j], lo);
		} else {
			ctm_concept m[8];
			size_t nm = ctm_cx_members(x, item, m, 8), q;
			if (!isinf(lo))
				return ctm_cx_reject(x, "value for a gene");
			if (nm) {
				/* RAS wild-type = KRAS AND NRAS wild-type;
				 * RAS mutated = either */
				int fk[8];
				for (q = 0; q < nm; q++) {
					fk[q] = gene_status(x, m[q], st[j],
							    exons);
					if (fk[q] < 0)
						return fk[q];
				}
				node = ctm_cx_nary(x,
					    st[j] == CTM_BM_WILDTYPE ? X_AND
								     : X_OR,
					    fk, nm);
			} else {
				node = gene_status(x, item, st[j], exons);
			}
		}
		if (node < 0)
			return node;
		skids[sn++] = node;
	}
	/* "HER2 amplified or overexpressed" */
	return ctm_cx_nary(x, st_kind == X_LIST ? X_AND : X_OR, skids, sn);
}

int ctm_cx_h_biomarker(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[96];
	size_t nt = ctm_cx_tokenize(x->sk + ms, me - ms, t, 96), i;
	ctm_concept items[16];
	char itype[16];	 /* 'G', 'M', 'V' */
	int ist[16][4];	 /* statuses of each item */
	size_t inst[16]; /* how many */
	int pre[4];
	size_t npre = 0, ni = 0, k;
	int item_kind = -2, st_kind = -2;
	int in_exons = 0, in_codons = 0, codons = 0, depth = 0;
	int paren_same = 0;
	int paren_st[4];
	size_t paren_n = 0;
	unsigned exons = 0;
	ctm_concept gene_ctx = 0;
	ctm_constraint u;
	int kids[32];
	size_t nk = 0;
	double lo = -INFINITY;

	x->bm_lo_open = 0;
	for (i = 0; i < nt; i++) {
		int idx, s;
		if ((idx = ctm_cx_ph_index(x, &t[i], "GMV")) >= 0) {
			ctm_concept c = x->hits[idx].concept;
			if (depth) {
				/* a parenthesis restating the item, or naming
				 * its variant ("Kirsten rat sarcoma (KRAS)
				 * G12C") */
				if (!ni)
					return ctm_cx_reject(
						x, "parenthesis first");
				if (ctm_lexicon_type(x->lx, c) ==
					    CTM_CT_VARIANT &&
				    ctm_cx_variant_gene(x, c) ==
					    items[ni - 1]) {
					items[ni - 1] = c;
					itype[ni - 1] = 'V';
					gene_ctx = ctm_cx_variant_gene(x, c);
					continue;
				}
				if (items[ni - 1] != c &&
				    !ctm_lexicon_is_a(x->lx, c,
						      items[ni - 1]) &&
				    !ctm_lexicon_is_a(x->lx, items[ni - 1], c))
					return ctm_cx_reject(
						x, "parenthesis names "
						   "another gene");
				paren_same = 1;
				continue;
			}
			if (ni >= 16)
				return ctm_cx_reject(x, "too many biomarkers");
			items[ni] = c;
			itype[ni] = t[i].p[0];
			inst[ni] = 0;
			/* statuses written before the item are its own */
			for (k = 0; k < npre; k++)
				ist[ni][inst[ni]++] = pre[k];
			npre = 0;
			if (t[i].p[0] == 'V')
				gene_ctx = ctm_cx_variant_gene(x, c);
			else if (t[i].p[0] == 'G')
				gene_ctx = c;
			ni++;
			in_exons = in_codons = 0;
			continue;
		}
		/* a bare protein change after a gene: "KRAS G12A, G12C" */
		if (t[i].n >= 4 && t[i].p[0] >= 'a' && t[i].p[0] <= 'z' &&
		    ctm_cx_is_digit_c(t[i].p[1]) && t[i].p[t[i].n - 1] >= 'a' &&
		    t[i].p[t[i].n - 1] <= 'z') {
			ctm_concept v;
			if (!gene_ctx)
				return ctm_cx_reject(x,
						     "variant without a gene");
			v = ctm_cx_variant_of(x, gene_ctx, t[i].p, t[i].n);
			if (!v)
				return ctm_cx_reject(
					x, "variant not in the lexicon");
			if (depth)
				continue;
			if (ni >= 16)
				return ctm_cx_reject(x, "too many biomarkers");
			items[ni] = v;
			inst[ni] = 0;
			itype[ni++] = 'V';
			continue;
		}
		if ((s = bm_status_word(&t[i])) >= 0) {
			/* "TMB >= 10 (TMB-H)", "(mutation or amplification)"
			 * after "alteration": the parenthesis restates or
			 * spells out the item's status */
			if (depth && ni && paren_same) {
				if (s == CTM_BM_HIGH && !isinf(lo))
					continue;
				if (inst[ni - 1] == 1 &&
				    ist[ni - 1][0] == s)
					continue;
			}
			if (depth && ni && inst[ni - 1] == 1 &&
			    ist[ni - 1][0] == CTM_BM_ANY && !paren_same) {
				if (paren_n >= 4)
					return ctm_cx_reject(
						x, "too many statuses");
				paren_st[paren_n++] = s;
				continue;
			}
			if (depth)
				return ctm_cx_reject(x,
						     "status in a parenthesis");
			if (!ni) {
				if (npre >= 4)
					return ctm_cx_reject(
						x, "too many statuses");
				pre[npre++] = s;
			} else {
				if (inst[ni - 1] >= 4)
					return ctm_cx_reject(
						x, "too many statuses");
				ist[ni - 1][inst[ni - 1]++] = s;
			}
			continue;
		}
		if (ctm_cx_teq(&t[i], "(")) {
			depth++;
			paren_same = 0;
			paren_n = 0;
			continue;
		}
		if (ctm_cx_teq(&t[i], ")")) {
			depth--;
			in_exons = in_codons = 0;
			if (paren_n && ni) {
				/* "alteration (mutation or amplification)" */
				memcpy(ist[ni - 1], paren_st,
				       paren_n * sizeof(paren_st[0]));
				inst[ni - 1] = paren_n;
				paren_n = 0;
			}
			continue;
		}
		if (ctm_cx_teq(&t[i], "exon") || ctm_cx_teq(&t[i], "exons")) {
			in_exons = 1;
			continue;
		}
		/* "KRAS mutation at codon 12, 13 or 61": no leaf holds a
		 * codon, so the codons are an unread part (below) */
		if (ctm_cx_teq(&t[i], "codon") || ctm_cx_teq(&t[i], "codons")) {
			if (in_exons || exons)
				return ctm_cx_reject(x, "exons and codons");
			in_exons = in_codons = codons = 1;
			continue;
		}
		if (ctm_cx_is_digit_c(t[i].p[0]) && in_codons) {
			double e = ctm_cx_tok_num(&t[i]);
			if (e < 1 || e > 999 || e != (int)e)
				return ctm_cx_reject(x, "odd codon number");
			continue;
		}
		if (ctm_cx_is_digit_c(t[i].p[0]) && in_exons) {
			double e = ctm_cx_tok_num(&t[i]);
			if (e < 1 || e > 30 || e != (int)e)
				return ctm_cx_reject(x, "odd exon number");
			exons |= 1u << (int)e;
			continue;
		}
		if (ctm_cx_teq(&t[i], ">=") || ctm_cx_teq(&t[i], ">")) {
			if (i + 1 < nt && ctm_cx_is_digit_c(t[i + 1].p[0])) {
				lo = ctm_cx_tok_num(&t[i + 1]);
				x->bm_lo_open = ctm_cx_teq(&t[i], ">")
							? CTM_F_LO_OPEN
							: 0;
				i++;
				/* the unit (mut/Mb) was checked by the pattern
				 */
				while (i + 1 < nt &&
				       !ctm_cx_teq(&t[i + 1], ")") &&
				       !ctm_cx_teq(&t[i + 1], ",") &&
				       !ctm_cx_teq(&t[i + 1], "or") &&
				       !ctm_cx_teq(&t[i + 1], "and"))
					i++;
				continue;
			}
			return ctm_cx_reject(x, "comparison without a value");
		}
		if (ctm_cx_teq(&t[i], "<=") || ctm_cx_teq(&t[i], "<"))
			return ctm_cx_reject(x, "biomarker upper bound");
		if (ctm_cx_teq(&t[i], "or") || ctm_cx_teq(&t[i], "and/or") ||
		    ctm_cx_teq(&t[i], "/") || ctm_cx_teq(&t[i], "and") ||
		    ctm_cx_teq(&t[i], ",")) {
			int kd = ctm_cx_teq(&t[i], "and") ? X_LIST
				 : ctm_cx_teq(&t[i], ",") ? -2
						   : X_OR;
			if (depth || in_exons || kd == -2)
				continue;
			/* between statuses or between items? */
			if (i + 1 < nt && bm_status_word(&t[i + 1]) >= 0 &&
			    i > 0 && bm_status_word(&t[i - 1]) >= 0) {
				if (st_kind != -2 && st_kind != kd)
					return ctm_cx_reject(
						x, "mixed status list");
				st_kind = kd;
			} else {
				if (item_kind != -2 && item_kind != kd)
					return ctm_cx_reject(x,
							     "mixed item list");
				item_kind = kd;
			}
			continue;
		}
		if (ctm_cx_teq(&t[i], "activating") ||
		    ctm_cx_teq(&t[i], "known") ||
		    ctm_cx_teq(&t[i], "documented") ||
		    ctm_cx_teq(&t[i], "confirmed") || ctm_cx_teq(&t[i], "in") ||
		    ctm_cx_teq(&t[i], "at") || ctm_cx_teq(&t[i], "on"))
			continue;
		return ctm_cx_reject(x, "unexpected word in a biomarker");
	}
	if (!ni)
		return R_SKIP;
	if (npre)
		return ctm_cx_reject(x, "status after the last item");
	for (k = 0; k < ni; k++) {
		/* "fusion-positive", "mutation-positive": positive adds
		 * nothing */
		if (inst[k] == 2 && st_kind == -2 &&
		    (ist[k][0] == CTM_BM_POSITIVE ||
		     ist[k][1] == CTM_BM_POSITIVE)) {
			if (ist[k][0] == CTM_BM_POSITIVE)
				ist[k][0] = ist[k][1];
			inst[k] = 1;
		}
	}
	/* an item without a status takes the next item's ("KRAS or NRAS
	 * mutated", "G12A, G12C or G12V mutation, or KRAS amplification"),
	 * or else the one before ("mutated KRAS or NRAS") */
	for (k = ni; k-- > 1;)
		if (!inst[k - 1] && inst[k]) {
			memcpy(ist[k - 1], ist[k], sizeof(ist[k]));
			inst[k - 1] = inst[k];
		}
	for (k = 1; k < ni; k++)
		if (!inst[k] && inst[k - 1]) {
			memcpy(ist[k], ist[k - 1], sizeof(ist[k]));
			inst[k] = inst[k - 1];
		}
	if (exons) {
		for (k = 0; k < ni; k++)
			if (itype[k] == 'V')
				return ctm_cx_reject(x, "variant and exons");
	}
	if (codons) {
		/* a mutation at named codons is a mutation of the gene and
		 * more: read as "gene mutated AND (unread)", which decides
		 * only for a gene known wild-type. Wild-type at named codons
		 * is weaker than wild-type, and a variant list is its own
		 * reading: both stay review. */
		int kg[2];
		if (ni != 1 || itype[0] != 'G' || inst[0] != 1 ||
		    ist[0][0] != CTM_BM_MUTATED)
			return ctm_cx_reject(x, "codons with that biomarker");
		kg[0] = item_node(x, items[0], itype[0], ist[0], inst[0],
				  st_kind, 0, lo);
		u = ctm_cx_unread_leaf(x);
		kg[1] = ctm_cx_leaf(x, &u);
		return ctm_cx_nary(x, X_AND, kg, 2);
	}
	for (k = 0; k < ni && nk < 32; k++) {
		if (itype[k] == 'V') {
			/* a variant is a mutation (wild-type: not that one) */
			size_t j;
			int wt = 0;
			ctm_concept g = ctm_cx_variant_gene(x, items[k]);
			if (!g)
				return ctm_cx_reject(x,
						     "variant without a gene");
			for (j = 0; j < inst[k]; j++) {
				if (ist[k][j] == CTM_BM_WILDTYPE)
					wt = 1;
				else if (ist[k][j] != CTM_BM_MUTATED &&
					 ist[k][j] != CTM_BM_POSITIVE &&
					 ist[k][j] != CTM_BM_ANY)
					return ctm_cx_reject(
						x, "variant with that "
						   "status");
			}
			if (wt && inst[k] > 1)
				return ctm_cx_reject(x, "variant wild-type and "
						 "mutated");
			kids[nk] = bm_leaf(x, g, CTM_BM_MUTATED, items[k],
					   -INFINITY);
			if (wt)
				kids[nk] = ctm_cx_not_(x, kids[nk]);
			nk++;
			continue;
		}
		if (!inst[k]) {
			/* "TMB >= 10" */
			if (ni == 1 && itype[0] == 'M' && !isinf(lo)) {
				ist[k][0] = CTM_BM_HIGH;
				inst[k] = 1;
			} else {
				return ctm_cx_reject(
					x, "biomarker without a status");
			}
		}
		kids[nk] = item_node(x, items[k], itype[k], ist[k], inst[k],
				     st_kind, exons, lo);
		if (kids[nk] < 0)
			return kids[nk];
		nk++;
	}
	/* a tumour carries one variant of a gene: a list of variants is OR
	 * ("KRAS G12C and G12D mutations" admits either) */
	for (k = 0; k < ni && itype[k] == 'V'; k++)
		if (x->nodes[kids[k]].op == X_NOT)
			break;
	if (k == ni)
		return ctm_cx_nary(x, X_OR, kids, nk);
	return ctm_cx_nary(x, item_kind == X_OR ? X_OR : X_LIST, kids, nk);
}
