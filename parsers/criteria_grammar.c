/*
 * criteria_grammar.c - the sentence grammar of the criteria reader: the clauses
 * found, the words between them, the parts left unread, and their assembly.
 */
#include "criteria_internal.h"

/*
 * Fillers only where a clause of the given kinds is present: the lists are
 * rules/words.tsv's filler-<kind>.
 */
static const struct {
	uint32_t kinds;
	crules_list list;
} ctx_fillers[] = {
	{(1u << CTM_K_THERAPY) | (1u << CTM_K_PRIOR_LINES),
	 CRULES_FILLER_THERAPY},
	{(1u << CTM_K_BIOMARKER), CRULES_FILLER_BIOMARKER},
	{(1u << CTM_K_LAB), CRULES_FILLER_LAB},
	{(1u << CTM_K_ECOG) | (1u << CTM_K_KARNOFSKY), CRULES_FILLER_SCORE},
	{(1u << CTM_K_SITE) | (1u << CTM_K_BRAIN_METS) |
		 (1u << CTM_K_METASTATIC),
	 CRULES_FILLER_SITE},
	{(1u << CTM_K_DISEASE) | (1u << CTM_K_STAGE), CRULES_FILLER_DISEASE},
	{(1u << CTM_K_MEASURABLE) | (1u << CTM_K_RESECTABLE),
	 CRULES_FILLER_MEASURABLE},
};

static int is_filler(const struct ctm_criteria_ctx *x, const tok *t,
		     uint32_t kinds)
{
	size_t i;

	if (ctm_cx_word(x, CRULES_FILLER, t))
		return 1;
	for (i = 0; i < sizeof(ctx_fillers) / sizeof(ctx_fillers[0]); i++)
		if ((ctx_fillers[i].kinds & kinds) &&
		    ctm_cx_word(x, ctx_fillers[i].list, t))
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Unread parts                                                        */
/* ------------------------------------------------------------------ */

/*
 * Words left over once the clauses are found may be one more item of the
 * sentence's list ("Spinal cord compression, leptomeningeal disease, or
 * active CNS metastases") or a restriction of its only clause ("Prior
 * irinotecan with a progression-free interval of < 3 months"). Either
 * becomes an unread leaf, always unknown: an item is one more member of
 * the list, a restriction narrows its clause (X with/that ... = X AND
 * ...). Kleene logic then decides the criterion only when the unread part
 * cannot change the outcome.
 *
 * That holds only if the unread words do not reach the clauses: so no
 * words that could widen, except, permit or negate, no qualifiers an item
 * could share with the rest of the list ("concurrent", "within 4 weeks",
 * "for metastatic disease"), no words before a clause ("allergy to X",
 * "pregnancy test"), and a restriction only after the sentence's one
 * clause, introduced by a word that restricts. Anything else stays review.
 */

int ctm_cx_shared_word(const struct ctm_criteria_ctx *x, const tok *t)
{
	return ctm_cx_word(x, CRULES_TIME, t) ||
	       ctm_cx_word(x, CRULES_SHARED, t);
}

int ctm_cx_denied(const struct ctm_criteria_ctx *x, const tok *t)
{
	if (ctm_cx_word(x, CRULES_DENY, t))
		return 1;
	return crules_has_prefix(&x->p->rules, CRULES_DENY_PREFIX, t->p, t->n);
}

/* True if the (unlowered) node holds a NOT. */
int ctm_cx_has_not(const struct ctm_criteria_ctx *x, int id, unsigned depth)
{
	const xnode *nd = &x->nodes[id];
	size_t i;

	if (nd->op == X_NOT || depth > 32)
		return 1;
	for (i = 0; i < nd->n; i++)
		if (ctm_cx_has_not(x, x->kids[nd->first + i], depth + 1))
			return 1;
	return 0;
}

/* A word that no clause, connective or filler accounts for. */
static int unknown_word(const struct ctm_criteria_ctx *x, const tok *t,
			uint32_t kinds)
{
	if (ctm_cx_ph_index(x, t, "Q") >= 0)
		return 0;
	if (ctm_cx_word(x, CRULES_CONNECTIVE, t) ||
	    ctm_cx_word(x, CRULES_NEGATION, t) ||
	    ctm_cx_word(x, CRULES_EXCLUSION, t) ||
	    ctm_cx_word(x, CRULES_PERMISSION, t) ||
	    ctm_cx_word(x, CRULES_MODAL, t) || ctm_cx_teq(t, "including") ||
	    ctm_cx_teq(t, "with") || ctm_cx_teq(t, "-") || ctm_cx_teq(t, ":"))
		return 0;
	if (t->p[0] >= 'A' && t->p[0] <= 'Z')
		return 1; /* a term no pattern understood */
	return !is_filler(x, t, kinds);
}

/* A new clause for node, of the given kinds; its "Qn" token in *out. */
int ctm_cx_new_clause(struct ctm_criteria_ctx *x, int node, uint32_t kinds,
		      tok *out)
{
	size_t k = x->nq;

	if (node < 0)
		return node;
	if (k >= MAX_CLAUSES)
		return ctm_cx_reject(x, "too many clauses");
	x->clause[k] = node;
	x->qkinds[k] = kinds;
	snprintf(x->qname[k], sizeof(x->qname[k]), "Q%zu", k);
	x->nq++;
	out->p = x->qname[k];
	out->n = strlen(x->qname[k]);
	return 0;
}

/* A new clause holding one unread leaf; its "Qn" token in *out. */
int ctm_cx_unread_clause(struct ctm_criteria_ctx *x, tok *out)
{
	ctm_constraint c = ctm_cx_unread_leaf(x);

	return ctm_cx_new_clause(x, ctm_cx_leaf(x, &c), 1u << CTM_K_NONE, out);
}

/*
 * "local recurrence", "locoregional relapse": a word of place other than a
 * site, qualifying the unread item's own noun right after it. It cannot
 * reach the list's other items ("local ... extrahepatic metastases" is no
 * reading), unlike "active" or "within 4 weeks" (rules/words.tsv
 * "local-place").
 */
static int local_noun(const struct ctm_criteria_ctx *x, const tok *t,
		      size_t nt, size_t i)
{
	return crules_is_word(&x->p->rules, CRULES_LOCAL_PLACE, t[i].p,
			      t[i].n) &&
	       i + 1 < nt && ctm_cx_ph_index(x, &t[i + 1], "Q") < 0 &&
	       !ctm_cx_word(x, CRULES_CONNECTIVE, &t[i + 1]) &&
	       !ctm_cx_shared_word(x, &t[i + 1]) && !ctm_cx_denied(x, &t[i + 1]);
}

/*
 * Rewrites the sentence t[0,nt) into o (same capacity), unread parts
 * replaced by clauses: an item by "Qn", a restriction by "with Qn".
 */
static int read_unread_strict(struct ctm_criteria_ctx *x, const tok *t,
			      size_t nt, tok *o, size_t *no)
{
	static const tok with = {"with", 4};
	static const char *const cmpw[] = {">", ">=", "<", "<=", "to", "-",
					   NULL};
	uint32_t kinds = 0;
	size_t i, j, m, n = 0, clauses = 0, conns = 0;

	for (i = 0; i < nt; i++) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		if (q >= 0)
			kinds |= x->qkinds[q];
	}
	if (!kinds)
		return ctm_cx_reject(x, "nothing understood");
	for (i = 0; i < nt;) {
		size_t end;

		if (!unknown_word(x, &t[i], kinds)) {
			if (ctm_cx_ph_index(x, &t[i], "Q") >= 0)
				clauses++;
			else if (ctm_cx_word(x, CRULES_CONNECTIVE, &t[i]))
				conns++;
			o[n++] = t[i++];
			continue;
		}
		/* "measurable disease >= 20 mm in 1 dimension", "a
		 * hepatic lesion of >= 20 mm": a size narrows a lesion */
		if (n && ctm_cx_tin(&t[i], cmpw) && !ctm_cx_teq(&t[i], "to") &&
		    !ctm_cx_teq(&t[i], "-")) {
			size_t b = n;
			if (ctm_cx_teq(&o[b - 1], "of"))
				b--;
			if (b && ctm_cx_ph_index(x, &o[b - 1], "Q") >= 0 &&
			    !(x->qkinds[ctm_cx_ph_index(x, &o[b - 1], "Q")] &
			      ~((1u << CTM_K_MEASURABLE) |
				(1u << CTM_K_SITE)))) {
				static const tok with_tok = {"with", 4};
				o[b] = with_tok;
				n = b + 1;
				m = n;
				goto restriction;
			}
		}
		/* "ECOG 0-1 within 7 days prior to allocation": when a
		 * performance score or a lab is measured does not change it
		 * (a profile holds the current value); a window after a
		 * therapy would, and is not taken here */
		if (n && ctm_cx_ph_index(x, &o[n - 1], "Q") >= 0 &&
		    !(x->qkinds[ctm_cx_ph_index(x, &o[n - 1], "Q")] &
		      ~((1u << CTM_K_ECOG) | (1u << CTM_K_KARNOFSKY) |
			(1u << CTM_K_LAB) | (1u << CTM_K_MEASURABLE)))) {
			for (end = i; end < nt; end++)
				if (!ctm_cx_is_digit_c(t[end].p[0]) &&
				    !crules_is_word(&x->p->rules,
						    CRULES_ASSESS_WINDOW,
						    t[end].p, t[end].n))
					break;
			if (end == nt && ctm_cx_teq(&t[i], "within"))
				break;
		}
		if (n && ctm_cx_ph_index(x, &o[n - 1], "Q") >= 0)
			return ctm_cx_reject(x, "unread words after a clause");
		/* "first-line oxaliplatin", "pathogenic POLE mutation": the
		 * word narrows a therapy or a biomarker */
		for (end = i;
		     end < nt && (ctm_cx_word(x, CRULES_LINE_WORD, &t[end]) ||
				  ctm_cx_word(x, CRULES_BM_NARROWING, &t[end]));
		     end++)
			;
		if (end > i && end < nt &&
		    ctm_cx_ph_index(x, &t[end], "Q") >= 0) {
			int cq = ctm_cx_ph_index(x, &t[end], "Q");
			uint32_t ok = ctm_cx_word(x, CRULES_LINE_WORD, &t[i])
					      ? (1u << CTM_K_THERAPY)
					      : (1u << CTM_K_BIOMARKER);
			if ((x->qkinds[cq] & ~ok) ||
			    ctm_cx_has_not(x, x->clause[cq], 0))
				return ctm_cx_reject(x,
						     "a word before a clause");
			{
				ctm_constraint u = ctm_cx_unread_leaf(x);
				int k2[2] = {ctm_cx_leaf(x, &u), x->clause[cq]};
				int node = ctm_cx_nary(x, X_AND, k2, 2);
				if (node < 0)
					return node;
				x->clause[cq] = node;
				x->qkinds[cq] |= 1u << CTM_K_NONE;
			}
			i = end;
			continue;
		}
		/* "More than 3 liver metastases": a count narrows a site */
		for (end = i; end < nt && (ctm_cx_is_digit_c(t[end].p[0]) ||
					   ctm_cx_tin(&t[end], cmpw));
		     end++)
			;
		if (end > i && end < nt &&
		    ctm_cx_ph_index(x, &t[end], "Q") >= 0) {
			int cq = ctm_cx_ph_index(x, &t[end], "Q");
			uint32_t ok = (1u << CTM_K_SITE) |
				      (1u << CTM_K_BRAIN_METS) |
				      (1u << CTM_K_METASTATIC);
			if ((x->qkinds[cq] & ~ok) ||
			    ctm_cx_has_not(x, x->clause[cq], 0))
				return ctm_cx_reject(
					x, "a number before a clause");
			{
				ctm_constraint u = ctm_cx_unread_leaf(x);
				int k2[2] = {ctm_cx_leaf(x, &u), x->clause[cq]};
				int node = ctm_cx_nary(x, X_AND, k2, 2);
				if (node < 0)
					return node;
				x->clause[cq] = node;
				x->qkinds[cq] |= 1u << CTM_K_NONE;
			}
			i = end; /* the clause itself is copied next */
			continue;
		}
		for (m = n; m && is_filler(x, &o[m - 1], kinds) &&
			    !ctm_cx_word(x, CRULES_RESTRICTIVE, &o[m - 1]) &&
			    !ctm_cx_teq(&o[m - 1], ")");
		     m--)
			;
	restriction:
		if (m >= 2 && ctm_cx_word(x, CRULES_RESTRICTIVE, &o[m - 1]) &&
		    ctm_cx_ph_index(x, &o[m - 2], "Q") >= 0) {
			/* "X with ...": to the end or the next connective */
			int cq = ctm_cx_ph_index(x, &o[m - 2], "Q");
			const xnode *cn = &x->nodes[x->clause[cq]];
			if (clauses != 1 || conns)
				return ctm_cx_reject(x,
						     "a restriction in a list");
			/* a restriction narrows what a clause asserts; under a
			 * negation ("4 weeks since radiotherapy for ...") or an
			 * upper bound ("at most 4 courses of chemotherapy for
			 * ...") it would widen it */
			if (ctm_cx_has_not(x, x->clause[cq], 0) ||
			    (cn->op == X_LEAF && cn->c.kind == CTM_K_PRIOR_LINES &&
			     !isinf(cn->c.hi)))
				return ctm_cx_reject(
					x, "a restriction of a negated or "
					   "bounded clause");
			/* to the end, or to connectives a clause follows; a
			 * bare "or" inside ("of 20 or lower") is its own, a
			 * ", or" starts another item */
			for (end = i; end < nt; end++) {
				size_t k;
				if (ctm_cx_ph_index(x, &t[end], "Q") >= 0)
					return ctm_cx_reject(x, "a clause in a "
							 "restriction");
				if (ctm_cx_word(x, CRULES_CONNECTIVE,
						&t[end])) {
					for (k = end;
					     k < nt &&
					     (ctm_cx_word(x, CRULES_CONNECTIVE,
							  &t[k]) ||
					      !unknown_word(x, &t[k], kinds)) &&
					     ctm_cx_ph_index(x, &t[k], "Q") < 0;
					     k++)
						;
					if (k < nt &&
					    ctm_cx_ph_index(x, &t[k], "Q") >= 0)
						break;
					/* only "20 or lower": another "or" may
					 * start an alternative to the clause */
					if (!(ctm_cx_teq(&t[end], "or") &&
					      end + 1 < nt &&
					      ctm_cx_word(x, CRULES_COMPARATIVE,
							  &t[end + 1])))
						return ctm_cx_reject(
							x, "a list in a "
							   "restriction");
				}
				if (ctm_cx_denied(x, &t[end]))
					return ctm_cx_reject(
						x, "a restriction that "
						   "may widen or negate");
			}
			n = m;
			o[n - 1] = with;
		} else {
			/* an item: after a connective or at the start, next to
			 * plain clauses (not "at least 4 weeks since X, or ...":
			 * the item may belong to X's list) */
			size_t k = n;
			if (!((t[i].p[0] >= 'a' && t[i].p[0] <= 'z') ||
			      (t[i].p[0] >= 'A' && t[i].p[0] <= 'Z')))
				return ctm_cx_reject(
					x, "an unread item that is not a "
					   "word");
			for (j = 0; j < nt; j++) {
				int q = ctm_cx_ph_index(x, &t[j], "Q");
				if (q >= 0 && x->nodes[x->clause[q]].op == X_NOT)
					return ctm_cx_reject(
						x, "an unread item next "
						   "to a negated clause");
			}
			/* an item between two clauses shares its qualifiers
			 * with neither ("brain metastases, a history of
			 * arterial thrombosis in the last year, or ...") */
			int middle = 0, safe_prefix = 0;
			for (j = 0; j < n; j++)
				if (ctm_cx_ph_index(x, &o[j], "Q") >= 0)
					middle = 1;
			if (middle) {
				size_t b;
				uint32_t qs = (1u << CTM_K_THERAPY) |
					      (1u << CTM_K_PRIOR_LINES) |
					      (1u << CTM_K_DISEASE) |
					      (1u << CTM_K_SITE) |
					      (1u << CTM_K_BRAIN_METS) |
					      (1u << CTM_K_METASTATIC) |
					      (1u << CTM_K_STAGE) |
					      (1u << CTM_K_RESECTABLE) |
					      (1u << CTM_K_BIOMARKER);
				for (b = i, middle = 0; b < nt; b++)
					if (ctm_cx_ph_index(x, &t[b], "Q") >= 0)
						middle = 1;
				/* a last item after ECOG, labs or age: their
				 * clauses take no qualifier from it */
				if (!(kinds & qs))
					middle = 1;
			}
			while (k &&
			       !ctm_cx_word(x, CRULES_CONNECTIVE, &o[k - 1]) &&
			       is_filler(x, &o[k - 1], kinds) &&
			       (middle || !ctm_cx_shared_word(x, &o[k - 1])))
				k--;
			/* "Patients who have previously received SU5416, X, or
			 * Y": words of plain prior exposure before a first item
			 * qualify the list the way "prior" does anyway */
			if (k && !middle) {
				size_t b = k;
				while (b && ctm_cx_word(x, CRULES_SAFE_BEFORE,
							&o[b - 1]))
					b--;
				for (j = 0; j < b; j++)
					if (ctm_cx_ph_index(x, &o[j], "Q") >=
						    0 ||
					    !is_filler(x, &o[j], kinds))
						break;
				if (j == b && b < k &&
				    (kinds & (1u << CTM_K_THERAPY))) {
					k = 0;
					safe_prefix = 1;
				}
			}
			/* "No local recurrence or extrahepatic metastases": the
			 * first item of a denied list, right after the cue */
			if (k &&
			    !ctm_cx_word(x, CRULES_CONNECTIVE, &o[k - 1]) &&
			    !(k == 1 &&
			      ctm_cx_word(x, CRULES_NEGATION, &o[0]) &&
			      !middle))
				return ctm_cx_reject(
					x, "unread words after a clause");
			for (end = i;
			     end < nt &&
			     !ctm_cx_word(x, CRULES_CONNECTIVE, &t[end]) &&
			     ctm_cx_ph_index(x, &t[end], "Q") < 0;
			     end++)
				if (ctm_cx_denied(x, &t[end]) ||
				    (!middle && ctm_cx_shared_word(x, &t[end]) &&
				     !local_noun(x, t, nt, end)))
					return ctm_cx_reject(
						x, "an unread item that "
						   "may reach the list");
			if (end < nt && ctm_cx_ph_index(x, &t[end], "Q") >= 0)
				return ctm_cx_reject(x,
						     "words before a clause");
			for (j = k; j < n && !safe_prefix; j++)
				if (!middle && ctm_cx_shared_word(x, &o[j]))
					return ctm_cx_reject(
						x, "an unread item that "
						   "may reach the list");
			n = k; /* its fillers are part of it */
			/* a therapy list cut in two by an unread item: what
			 * qualifies one part ("within 30 days") may qualify the
			 * other; and a bare therapy word in a list may be an
			 * adjective ("Radiation, toxic optic neuropathies") */
			if (kinds & ((1u << CTM_K_THERAPY) |
				     (1u << CTM_K_PRIOR_LINES))) {
				size_t a, b;
				int before = 0, after = 0;
				uint32_t th = (1u << CTM_K_THERAPY) |
					      (1u << CTM_K_PRIOR_LINES);
				/* the nearest clauses on each side */
				for (a = n; a-- > 0;) {
					int qq = ctm_cx_ph_index(x, &o[a], "Q");
					if (qq >= 0) {
						before = (x->qkinds[qq] & th) != 0;
						break;
					}
				}
				for (b = end; b < nt; b++) {
					int qq = ctm_cx_ph_index(x, &t[b], "Q");
					if (qq >= 0) {
						after = (x->qkinds[qq] & th) != 0;
						break;
					}
				}
				if (before && after)
					return ctm_cx_reject(
						x, "an unread item inside "
						   "a therapy list");
				if (!x->therapy_cue)
					return ctm_cx_reject(
						x, "an unread item next to "
						   "a bare therapy");
			}
		}
		if (ctm_cx_unread_clause(x, &o[n]))
			return R_REJECT;
		n++;
		clauses++;
		i = end;
	}
	*no = n;
	return 0;
}

/* Narrows clause q by an unread part: (U AND q) before it, (q AND U) after. */
static int narrow_clause(struct ctm_criteria_ctx *x, int q, int before)
{
	ctm_constraint u = ctm_cx_unread_leaf(x);
	int k2[2], node, leaf = ctm_cx_leaf(x, &u);

	if (leaf < 0)
		return leaf;
	k2[before ? 0 : 1] = leaf;
	k2[before ? 1 : 0] = x->clause[q];
	node = ctm_cx_nary(x, X_AND, k2, 2);
	if (node < 0)
		return node;
	x->clause[q] = node;
	x->qkinds[q] |= 1u << CTM_K_NONE;
	return 0;
}

/* A word that ends a run of unread words: a clause, a cue of the
 * sentence grammar. */
static int run_stop(const struct ctm_criteria_ctx *x, const tok *t)
{
	return ctm_cx_ph_index(x, t, "Q") >= 0 ||
	       ctm_cx_word(x, CRULES_NEGATION, t) ||
	       ctm_cx_word(x, CRULES_EXCLUSION, t) ||
	       ctm_cx_word(x, CRULES_PERMISSION, t) || ctm_cx_teq(t, ":") ||
	       ctm_cx_teq(t, ".");
}

/*
 * A sentence whose clauses are all conditions no profile holds ("No
 * intractable diarrhoea", "Hypertension requiring 2 or more drugs", "Gout,
 * uric acid urolithiasis or renal dysfunction"): every leaf is unknown, so
 * unread words around them cannot change the outcome, only what is shown
 * to check. A run of unread words right before a condition narrows it (U
 * AND X), one right after it restricts it (X AND U), one standing alone
 * between connectives is one more item. A run may not deny, permit or
 * widen (rules/words.tsv "deny"), and may not make the condition the
 * object of something else ("HIV test", "treatment for PCP", "negative
 * for hepatitis B": "condition-object"), except after a word that opens a
 * restriction ("seizures requiring anticonvulsant therapy":
 * "condition-open"). "or worse", "or more" inside a run are its own.
 */
static int read_condition_words(struct ctm_criteria_ctx *x, const tok *t,
				size_t nt, tok *o, size_t *no)
{
	size_t i, j, n = 0;

	for (i = 0; i < nt;) {
		size_t end, k, last;
		int depth = 0, prevq = -1, nextq = -1, opened = 0, inparen;

		if (!unknown_word(x, &t[i], 1u << CTM_K_CONDITION) ||
		    run_stop(x, &t[i]) || ctm_cx_teq(&t[i], "-") ||
		    ctm_cx_teq(&t[i], ")")) {
			o[n++] = t[i++];
			continue;
		}
		/* the run: unread words, fillers and parentheses; a
		 * connective ends it outside a parenthesis, unless a
		 * comparative follows ("grade 2 or worse") */
		/* a run opening a parenthesis after a clause runs to its
		 * close: "hypertension (systolic > 150 and diastolic >
		 * 100)", "angina (stable or unstable)" */
		inparen = n >= 2 && ctm_cx_teq(&o[n - 1], "(") &&
			  ctm_cx_ph_index(x, &o[n - 2], "Q") >= 0;
	again:
		depth = inparen;
		for (end = i, last = i; end < nt; end++) {
			if (run_stop(x, &t[end]))
				break;
			if (ctm_cx_teq(&t[end], "("))
				depth++;
			else if (ctm_cx_teq(&t[end], ")")) {
				if (depth == 0)
					break;
				if (--depth == 0 && inparen) {
					last = end + 1;
					break;
				}
			} else if (ctm_cx_word(x, CRULES_CONNECTIVE, &t[end]) &&
				   !depth &&
				   !(end + 1 < nt &&
				     ctm_cx_word(x, CRULES_COMPARATIVE,
						 &t[end + 1])))
				break;
			if (unknown_word(x, &t[end], 1u << CTM_K_CONDITION) ||
			    ctm_cx_teq(&t[end], ")"))
				last = end + 1;
		}
		if (depth && inparen) {
			inparen = 0; /* not to its close: a run of its own */
			goto again;
		}
		if (depth)
			return ctm_cx_reject(x, "conditions: an open parenthesis");
		end = last; /* trailing fillers are left to the grammar */
		if (inparen && !(end > i && ctm_cx_teq(&t[end - 1], ")")))
			inparen = 0; /* it stopped before the close */
		/* "total or partial bowel obstruction", "moderate or tense
		 * ascites": modifiers joined by "or" before one condition are
		 * one run that narrows it */
		while (end + 1 < nt &&
		       (ctm_cx_teq(&t[end], "or") || ctm_cx_teq(&t[end], "and") ||
			ctm_cx_teq(&t[end], "and/or") ||
			ctm_cx_teq(&t[end], "/")) &&
		       unknown_word(x, &t[end + 1], 1u << CTM_K_CONDITION) &&
		       !run_stop(x, &t[end + 1])) {
			size_t e2 = end + 1;
			while (e2 < nt &&
			       unknown_word(x, &t[e2], 1u << CTM_K_CONDITION) &&
			       !run_stop(x, &t[e2]) &&
			       !ctm_cx_word(x, CRULES_CONNECTIVE, &t[e2]) &&
			       !ctm_cx_teq(&t[e2], "(") && !ctm_cx_teq(&t[e2], ")"))
				e2++;
			if (e2 == nt || ctm_cx_ph_index(x, &t[e2], "Q") < 0)
				break;
			end = e2;
		}
		/* the clause before it (fillers between) and after it */
		for (k = n; k && is_filler(x, &o[k - 1], 1u << CTM_K_CONDITION);
		     k--)
			if (ctm_cx_teq(&o[k - 1], "("))
				opened = 1; /* "obesity (BMI over 40)" */
		if (k && ctm_cx_ph_index(x, &o[k - 1], "Q") >= 0)
			prevq = ctm_cx_ph_index(x, &o[k - 1], "Q");
		else
			opened = 0;
		/* fillers may stand before the next clause ("history of a
		 * serious X", "symptoms of X") */
		for (j = end; j < nt && !ctm_cx_teq(&t[j], "(") &&
			      !ctm_cx_teq(&t[j], ")") &&
			      !ctm_cx_word(x, CRULES_MODAL, &t[j]) &&
			      is_filler(x, &t[j], 1u << CTM_K_CONDITION);
		     j++)
			;
		if (j < nt)
			nextq = ctm_cx_ph_index(x, &t[j], "Q");
		if (prevq >= 0 && end < nt &&
		    ctm_cx_ph_index(x, &t[end], "Q") >= 0)
			return ctm_cx_reject(x, "conditions: words between two "
					     "clauses");
		if (prevq >= 0)
			nextq = -1; /* "X associated with Y": X's restriction */
		/* "Current smokers must be over 18": a condition on the
		 * patients who have it, not a restriction of it */
		for (j = k; prevq >= 0 && j < n; j++)
			if (ctm_cx_word(x, CRULES_MODAL, &o[j]))
				return ctm_cx_reject(x, "conditions: a condition "
						     "'X must ...'");
		for (j = i; j < end; j++) {
			/* a term of another kind ("anti-VEGF"), save a site
			 * ("cerebral toxoplasmosis") */
			if (t[j].p[0] >= 'A' && t[j].p[0] <= 'Z' &&
			    ctm_cx_ph_index(x, &t[j], "SB") < 0)
				return ctm_cx_reject(x, "conditions: a term no "
						     "pattern understood");
			/* "no other serious illness": other than the
			 * trial's disease or the items named, a narrowing
			 * ("other than X" is an exception, read before) */
			if ((ctm_cx_teq(&t[j], "other") ||
			     ctm_cx_teq(&t[j], "others")) &&
			    !(j + 1 < nt && ctm_cx_teq(&t[j + 1], "than")))
				continue;
			if (ctm_cx_denied(x, &t[j])) {
				snprintf(x->reason, sizeof(x->reason),
					 "conditions: '%.*s' may widen or negate",
					 (int)(t[j].n > 30 ? 30 : t[j].n), t[j].p);
				return R_REJECT;
			}
			if (prevq >= 0 &&
			    ctm_cx_word(x, CRULES_CONDITION_OPEN, &t[j]))
				opened = 1;
			if (!opened &&
			    ctm_cx_word(x, CRULES_CONDITION_OBJECT, &t[j])) {
				snprintf(x->reason, sizeof(x->reason),
					 "conditions: the object of '%.*s'",
					 (int)(t[j].n > 30 ? 30 : t[j].n), t[j].p);
				return R_REJECT;
			}
		}
		/* words before a list of conditions the frame read as one
		 * clause may narrow only its first item */
		if (prevq < 0 && nextq >= 0) {
			const xnode *qn = &x->nodes[x->clause[nextq]];
			if (qn->op == X_OR || qn->op == X_LIST ||
			    (qn->op == X_AND && !(x->qkinds[nextq] &
						  (1u << CTM_K_NONE))))
				return ctm_cx_reject(x, "conditions: words "
						     "before a list");
		}
		if (inparen && prevq >= 0)
			n--; /* the "(" goes with its close */
		if (prevq >= 0 || nextq >= 0) {
			int r = narrow_clause(x, prevq >= 0 ? prevq : nextq,
					      prevq < 0);
			if (r < 0)
				return r;
		} else {
			/* an item: after a connective or the sentence's
			 * lead-in, before a connective or the end */
			if (!((t[i].p[0] >= 'a' && t[i].p[0] <= 'z' &&
			       (t[i].n > 1 || end > i + 1)) ||
			      ctm_cx_teq(&t[i], "(")))
				return ctm_cx_reject(x, "conditions: an item "
						     "that is not a word");
			if (end < nt &&
			    !ctm_cx_word(x, CRULES_CONNECTIVE, &t[end]) &&
			    !ctm_cx_teq(&t[end], "."))
				return ctm_cx_reject(x, "conditions: an item "
						     "before a cue");
			if (ctm_cx_unread_clause(x, &o[n]))
				return R_REJECT;
			n++;
		}
		i = end;
	}
	*no = n;
	return 0;
}

/*
 * The unread parts of a sentence (see above); a sentence of conditions
 * alone that the general rules leave review is read by
 * read_condition_words().
 */
int ctm_cx_read_unread(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		       tok *o, size_t *no)
{
	int clause[MAX_CLAUSES];
	uint32_t qkinds[MAX_CLAUSES], kinds = 0;
	size_t nq = x->nq, nn = x->nn, nk = x->nk, i;
	int rc;
	char reason[sizeof(x->reason)];

	memcpy(clause, x->clause, sizeof(clause));
	memcpy(qkinds, x->qkinds, sizeof(qkinds));
	rc = read_unread_strict(x, t, nt, o, no);
	if (rc != R_REJECT)
		return rc;
	for (i = 0; i < nt; i++) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		if (q >= 0)
			kinds |= qkinds[q];
	}
	if (!(kinds & (1u << CTM_K_CONDITION)) ||
	    (kinds & ~((1u << CTM_K_CONDITION) | (1u << CTM_K_NONE))))
		return rc;
	memcpy(reason, x->reason, sizeof(reason));
	memcpy(x->clause, clause, sizeof(clause));
	memcpy(x->qkinds, qkinds, sizeof(qkinds));
	x->nq = nq;
	x->nn = nn;
	x->nk = nk;
	x->reason[0] = '\0';
	rc = read_condition_words(x, t, nt, o, no);
	if (rc == R_REJECT) {
		/* the general reason, with why the conditions' rule failed */
		char why[sizeof(x->reason)];
		memcpy(why, x->reason, sizeof(why));
		snprintf(x->reason, sizeof(x->reason), "%.50s (%.70s)", reason,
			 why);
	} else if (rc < 0) {
		memcpy(x->reason, reason, sizeof(reason));
	}
	return rc;
}

/*
 * True if node b says no more than a: the same tree, or the same
 * biomarker and status ("TMB >= 10 (TMB-H)").
 */
static int restates(const struct ctm_criteria_ctx *x, int a, int b)
{
	const xnode *na = &x->nodes[a], *nb = &x->nodes[b];

	if (ctm_cx_same_xnode(x->nodes, x->kids, a, b, 0))
		return 1;
	return na->op == X_LEAF && nb->op == X_LEAF &&
	       na->c.kind == CTM_K_BIOMARKER && nb->c.kind == CTM_K_BIOMARKER &&
	       na->c.concept == nb->c.concept && na->c.status == nb->c.status &&
	       na->c.variant == nb->c.variant && isinf(nb->c.lo);
}

enum {
	SEP_NONE = 0,
	SEP_COMMA = 1,
	SEP_AND = 2,
	SEP_OR = 4,
	SEP_TIGHT = 8,
	SEP_INCL = 16 /* "X including Y": Y is part of X */
};

/*
 * One sentence t[0,nt) of the remaining skeleton must be: [fillers,
 * negation] clause (connective clause)* [fillers, "not allowed"]. Builds
 * the clause expression (before polarity) into *out, counts the negations
 * and says which kinds of leaves the sentence holds (*skinds).
 */
int ctm_cx_assemble(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		    int *out, int *neg, uint32_t *skinds)
{
	size_t i;
	int seq[MAX_CLAUSES];
	unsigned seps[MAX_CLAUSES];
	size_t nseq = 0;
	unsigned pending = 0;
	int pre_neg = 0, post_neg = 0, permission = 0, after_neg = 0;

	uint32_t kinds = 0, qk[MAX_CLAUSES];
	int odd_between = 0, modal_after = 0;

	x->modal_first = 0;

	for (i = 0; i < nt; i++) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		if (q >= 0)
			kinds |= x->qkinds[q];
	}
	*skinds = kinds;
	for (i = 0; i < nt; i++) {
		int q = ctm_cx_ph_index(x, &t[i], "Q");
		if (q >= 0) {
			if (post_neg || permission)
				return ctm_cx_reject(x,
						     "clause after a negation");
			if (after_neg)
				return ctm_cx_reject(
					x, "negation between clauses");
			if (nseq >= MAX_CLAUSES)
				return ctm_cx_reject(x, "too many clauses");
			/* "MSS (MSI stable)": a restatement in parentheses */
			if (nseq && i > 0 && ctm_cx_teq(&t[i - 1], "(") &&
			    i + 1 < nt && ctm_cx_teq(&t[i + 1], ")") &&
			    restates(x, seq[nseq - 1], x->clause[q])) {
				i++;
				continue;
			}
			/* "microsatellite stable or mismatch repair proficient":
			 * one fact said twice */
			if (nseq && pending == SEP_OR &&
			    !(x->qkinds[q] & (1u << CTM_K_NONE)) &&
			    ctm_cx_same_xnode(x->nodes, x->kids, seq[nseq - 1],
					      x->clause[q], 0)) {
				pending = 0;
				continue;
			}
			if (nseq && odd_between)
				return ctm_cx_reject(
					x, "a word between two clauses");
			if (modal_after)
				return ctm_cx_reject(x,
					      "a condition: 'X must have Y'");
			seps[nseq] = pending;
			qk[nseq] = x->qkinds[q];
			seq[nseq++] = x->clause[q];
			pending = 0;
			odd_between = 0;
			continue;
		}
		if (t[i].p[0] >= 'A' && t[i].p[0] <= 'Z')
			return ctm_cx_reject(x, "a term no pattern understood");
		if (ctm_cx_word(x, CRULES_NEGATION, &t[i])) {
			if (nseq == 0 && ctm_cx_teq(&t[i], "cannot"))
				x->modal_first = 1;
			if (nseq == 0)
				pre_neg++;
			else
				after_neg = 1;
			continue;
		}
		if (ctm_cx_word(x, CRULES_EXCLUSION, &t[i]) && nseq) {
			/* "X are not excluded" permits X */
			if (after_neg)
				return ctm_cx_reject(
					x, "a permission, not a criterion");
			post_neg++;
			continue;
		}
		if (ctm_cx_teq(&t[i], "allowed") ||
		    ctm_cx_teq(&t[i], "permitted") ||
		    ctm_cx_teq(&t[i], "eligible") ||
		    ctm_cx_teq(&t[i], "acceptable")) {
			if (nseq && after_neg)
				post_neg++;
			else if (ctm_cx_teq(&t[i], "eligible") && nseq == 0)
				; /* "eligible patients have ..." */
			else
				permission = 1;
			after_neg = 0;
			continue;
		}
		if (ctm_cx_teq(&t[i], ",") || ctm_cx_teq(&t[i], ";")) {
			pending |= SEP_COMMA;
			continue;
		}
		if (ctm_cx_teq(&t[i], "and") || ctm_cx_teq(&t[i], "plus") ||
		    ctm_cx_teq(&t[i], "+")) {
			pending |= SEP_AND;
			continue;
		}
		if (ctm_cx_teq(&t[i], "or") || ctm_cx_teq(&t[i], "and/or") ||
		    ctm_cx_teq(&t[i], "/") || ctm_cx_teq(&t[i], "nor")) {
			pending |= SEP_OR;
			continue;
		}
		if (ctm_cx_teq(&t[i], "including") ||
		    ctm_cx_teq(&t[i], "with") || ctm_cx_teq(&t[i], "plus")) {
			if (nseq)
				pending |= SEP_TIGHT;
			if (nseq && ctm_cx_teq(&t[i], "including"))
				pending |= SEP_INCL;
			continue;
		}
		if (!nseq &&
		    (ctm_cx_teq(&t[i], "must") || ctm_cx_teq(&t[i], "should") ||
		     ctm_cx_teq(&t[i], "shall") ||
		     ctm_cx_teq(&t[i], "cannot") || ctm_cx_teq(&t[i], "may"))) {
			/* "may have received X" permits X, it requires
			 * nothing; "may not", "may receive no" forbid */
			if (ctm_cx_teq(&t[i], "may")) {
				size_t k;
				for (k = i + 1;
				     k < nt &&
				     ctm_cx_ph_index(x, &t[k], "Q") < 0 &&
				     !ctm_cx_word(x, CRULES_NEGATION, &t[k]);
				     k++)
					;
				if (k == nt ||
				    !ctm_cx_word(x, CRULES_NEGATION, &t[k]))
					return ctm_cx_reject(x, "a permission: "
							 "'may ...'");
			}
			x->modal_first = 1;
			continue;
		}
		/* "patients with liver metastases must have ...": a
		 * condition, not a conjunction */
		if (nseq &&
		    (ctm_cx_teq(&t[i], "must") || ctm_cx_teq(&t[i], "should") ||
		     ctm_cx_teq(&t[i], "need") || ctm_cx_teq(&t[i], "needs") ||
		     ctm_cx_teq(&t[i], "required") ||
		     ctm_cx_teq(&t[i], "require") ||
		     ctm_cx_teq(&t[i], "requires"))) {
			modal_after = 1;
			continue;
		}
		/* "Breast cancer - no more than 2 prior therapies",
		 * "Lung: ...": a label for what follows, not a conjunction */
		if (ctm_cx_teq(&t[i], "-") || ctm_cx_teq(&t[i], ":")) {
			if (nseq)
				odd_between = 1;
			continue;
		}
		if (is_filler(x, &t[i], kinds)) {
			if (nseq && !ctm_cx_word(x, CRULES_BETWEEN, &t[i]))
				odd_between = 1;
			continue;
		}
		snprintf(x->reason, sizeof(x->reason),
			 "word not understood: %.*s",
			 (int)(t[i].n > 40 ? 40 : t[i].n), t[i].p);
		return R_REJECT;
	}
	if (permission)
		return ctm_cx_reject(x, "a permission, not a criterion");
	if (after_neg && !post_neg)
		return ctm_cx_reject(x, "negation after the clauses");
	if (!nseq)
		return ctm_cx_reject(x, "nothing understood");
	if (pre_neg > 1 || (pre_neg && post_neg) || post_neg > 1)
		return ctm_cx_reject(x, "several negations");
	/* neg: 1 = "no X", 2 = "X is not allowed / are excluded" */
	*neg = pre_neg ? 1 : post_neg ? 2 : 0;

	/* group tight juxtapositions first, then one list connective */
	{
		int groups[MAX_CLAUSES], cur[MAX_CLAUSES];
		size_t ng = 0, nc = 0, g;
		unsigned all = 0;
		for (g = 0; g < nseq; g++) {
			unsigned s = seps[g];
			if (g && (s == SEP_NONE || (s & ~SEP_INCL) == SEP_TIGHT)) {
				/* "KRAS-mutated CRC", "liver-only ...
				 * unresectable"; never two therapies ("within
				 * 7 days after RFA") */
				uint32_t th = (1u << CTM_K_THERAPY) |
					      (1u << CTM_K_PRIOR_LINES);
				if ((qk[g] & th) && (qk[g - 1] & th) &&
				    !(s & SEP_INCL))
					return ctm_cx_reject(
						x, "two therapy clauses "
						   "side by side");
				/* "hepatitis B vaccination", "HIV vaccines":
				 * the condition names which therapy, the
				 * patient need not have it; it narrows the
				 * therapy, unread */
				if (s == SEP_NONE && (qk[g] & th) &&
				    qk[g - 1] == (1u << CTM_K_CONDITION) &&
				    nc == 1 && cur[0] == seq[g - 1]) {
					ctm_constraint u = ctm_cx_unread_leaf(x);
					cur[0] = ctm_cx_leaf(x, &u);
					if (cur[0] < 0)
						return cur[0];
				}
				cur[nc++] = seq[g];
				continue;
			}
			if (g && (s & SEP_TIGHT))
				return ctm_cx_reject(x, "'with' inside a list");
			if (nc)
				groups[ng++] = ctm_cx_nary(x, X_AND, cur, nc);
			nc = 0;
			cur[nc++] = seq[g];
			if (g)
				all |= s;
		}
		if (nc)
			groups[ng++] = ctm_cx_nary(x, X_AND, cur, nc);
		/* "A with B, C": fine when everything is ANDed, and "A B,
		 * or C D" groups clearly; "A with B or C" is not clear */
		if (ng > 1 && ng < nseq && (all & SEP_OR)) {
			for (g = 1; g < nseq; g++)
				if ((seps[g] & SEP_OR) && !(seps[g] & SEP_COMMA))
					return ctm_cx_reject(
						x, "'with' and a list "
						   "between clauses");
		}
		if ((all & SEP_AND) && (all & SEP_OR))
			return ctm_cx_reject(x, "mixed and/or between clauses");
		*out = ctm_cx_nary(x, (all & SEP_OR) ? X_OR : X_LIST, groups,
				   ng);
	}
	return *out < 0 ? *out : 0;
}
