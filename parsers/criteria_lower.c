/*
 * criteria_lower.c - lowering the criteria reader's clause tree to constraint
 * expressions and emitting them.
 */
#include "criteria_internal.h"

/* ------------------------------------------------------------------ */
/* Lowering and emission                                               */
/* ------------------------------------------------------------------ */

static int out_node(struct ctm_criteria_ctx *x, int op, const ctm_constraint *c,
		    const int *k, size_t n)
{
	xnode *nd;
	size_t i;

	if (x->no >= MAX_NODES || x->nok + n > MAX_KIDS)
		return ctm_cx_reject(x, "too many nodes");
	nd = &x->out[x->no];
	memset(nd, 0, sizeof(*nd));
	nd->op = (uint8_t)op;
	if (c)
		nd->c = *c;
	nd->n = (uint16_t)n;
	nd->first = (uint16_t)x->nok;
	for (i = 0; i < n; i++)
		x->okids[x->nok++] = (uint16_t)k[i];
	return (int)x->no++;
}

/*
 * Lowers node id into x->out: LIST becomes AND when asserted and OR when
 * denied (neg = an odd number of NOTs above), double NOTs cancel, nested
 * AND/OR flatten, identical leaves merge.
 */
int ctm_cx_lower(struct ctm_criteria_ctx *x, int id, int neg, unsigned depth)
{
	const xnode *nd = &x->nodes[id];
	int k[64];
	size_t n = 0, i;
	int op;

	if (depth > 32)
		return ctm_cx_reject(x, "expression too deep");
	if (nd->op == X_LEAF) {
		ctm_constraint c = nd->c;
		/* "Laboratory values (obtained within 7 days prior to
		 * registration):" says when a score or a lab is measured,
		 * which does not change it (a profile holds the current
		 * value): the heading's time is an assessment window */
		if ((x->h_within || x->h_time) && !x->h_current &&
		    (c.kind == CTM_K_ECOG || c.kind == CTM_K_KARNOFSKY ||
		     c.kind == CTM_K_LAB || c.kind == CTM_K_MEASURABLE))
			return out_node(x, X_LEAF, &c, NULL, 0);
		/* a condition no profile holds, under a heading's time
		 * ("Concurrent Treatment: Patients with the following are
		 * excluded", "Excluded within 30 days"): the time narrows
		 * it, unread; unknown either way */
		if ((x->h_time || x->h_current || x->h_within) &&
		    (c.kind == CTM_K_CONDITION || c.kind == CTM_K_UNREAD)) {
			ctm_constraint u = ctm_cx_unread_leaf(x);
			int k2[2];
			if (c.kind == CTM_K_UNREAD)
				return out_node(x, X_LEAF, &c, NULL, 0);
			k2[0] = out_node(x, X_LEAF, &c, NULL, 0);
			k2[1] = out_node(x, X_LEAF, &u, NULL, 0);
			if (k2[0] < 0 || k2[1] < 0)
				return R_REJECT;
			return out_node(x, X_AND, NULL, k2, 2);
		}
		if (x->h_time)
			return ctm_cx_reject(x, "heading: a time condition");
		if (x->h_current || x->h_within) {
			/* the heading qualifies therapies and nothing else */
			if (c.kind != CTM_K_THERAPY ||
			    (c.flags & (CTM_F_CURRENT | CTM_F_WITHIN |
					CTM_F_PROGRESSED | CTM_F_REFRACTORY)))
				return ctm_cx_reject(
					x, "heading qualifier does not "
					   "apply");
			if (x->h_current) {
				c.flags |= CTM_F_CURRENT;
			} else {
				c.flags |= CTM_F_WITHIN;
				c.within_days = x->h_within;
			}
		}
		return out_node(x, X_LEAF, &c, NULL, 0);
	}
	if (nd->op == X_NOT) {
		int c = ctm_cx_lower(x, x->kids[nd->first], !neg, depth + 1);
		const xnode *cn;
		if (c < 0)
			return c;
		cn = &x->out[c];
		if (cn->op == X_NOT)
			return x->okids[cn->first];
		/* "no prior systemic therapy for metastatic disease" */
		if (cn->op == X_LEAF && cn->c.kind == CTM_K_THERAPY &&
		    cn->c.concept && cn->c.concept == x->p->systemic &&
		    cn->c.flags == CTM_F_METASTATIC_SETTING) {
			ctm_constraint pl = ctm_cx_mk(CTM_K_PRIOR_LINES);
			pl.lo = pl.hi = 0;
			pl.flags = CTM_F_METASTATIC_SETTING;
			return out_node(x, X_LEAF, &pl, NULL, 0);
		}
		return out_node(x, X_NOT, NULL, &c, 1);
	}
	op = nd->op == X_LIST ? (neg ? X_OR : X_AND) : nd->op;
	for (i = 0; i < nd->n; i++) {
		int c = ctm_cx_lower(x, x->kids[nd->first + i], neg, depth + 1);
		const xnode *cn;
		size_t j, m;
		if (c < 0)
			return c;
		cn = &x->out[c];
		if (cn->op == op) {
			for (j = 0; j < cn->n && n < 64; j++) {
				int gk = x->okids[cn->first + j];
				for (m = 0; m < n; m++)
					if (ctm_cx_same_xnode(x->out, x->okids, k[m], gk, 0))
						break;
				if (m == n)
					k[n++] = gk;
			}
			continue;
		}
		for (m = 0; m < n; m++)
			if (ctm_cx_same_xnode(x->out, x->okids, k[m], c, 0))
				break;
		if (m < n)
			continue;
		if (n >= 64)
			return ctm_cx_reject(x, "list too long");
		k[n++] = c;
	}
	if (n == 1)
		return k[0];
	return out_node(x, op, NULL, k, n);
}

size_t ctm_cx_count_nodes(const struct ctm_criteria_ctx *x, int id,
			  size_t *leaves)
{
	const xnode *nd = &x->out[id];
	size_t n = 1, i;

	if (nd->op == X_LEAF)
		(*leaves)++;
	for (i = 0; i < nd->n; i++)
		n += ctm_cx_count_nodes(x, x->okids[nd->first + i], leaves);
	return n;
}

void ctm_cx_emit(const struct ctm_criteria_ctx *x, int id, ctm_criterion *c,
		 size_t *ne, size_t *nc)
{
	const xnode *nd = &x->out[id];
	ctm_expr *e = &c->expr[(*ne)++];
	size_t i;

	switch (nd->op) {
	case X_LEAF:
		e->op = CTM_EXPR_LEAF;
		e->arg = (uint32_t)*nc;
		c->constraints[(*nc)++] = nd->c;
		return;
	case X_NOT:
		e->op = CTM_EXPR_NOT;
		e->arg = 1;
		break;
	case X_AND:
		e->op = CTM_EXPR_AND;
		e->arg = nd->n;
		break;
	default:
		e->op = CTM_EXPR_OR;
		e->arg = nd->n;
		break;
	}
	for (i = 0; i < nd->n; i++)
		ctm_cx_emit(x, x->okids[nd->first + i], c, ne, nc);
}
