/*
 * criteria_extract.c - one eligibility criterion sentence into a
 * polarity-correct constraint expression.
 *
 * The sentence goes through four stages:
 *
 *  1. normalize: UTF-8 symbols to ASCII ("≥" -> ">=", "×" -> "x"), the
 *     markdown escapes of API v2 text ("\>") dropped, whitespace folded.
 *  2. rewrite (PCRE2 substitutions, case-insensitive): comparatives to
 *     operators ("at least" -> ">=", "no more than" -> "<="), "upper limit
 *     of normal" -> "uln", number words to digits, biomarker spellings to
 *     one form ("dMMR" -> "MMR deficient", "wild type" -> "wildtype"),
 *     resectability phrases to "unresectable"/"resectable".
 *  3. skeleton: lexicon terms (ctm_lexicon_scan) become placeholders, the
 *     rest is lower-cased and tokenised with single spaces, so patterns see
 *     "no prior C3 therapy" for "No prior anti-EGFR therapy".
 *  4. recognizers: skeleton patterns, in a fixed order, each turning a span
 *     into one clause (an expression node) and replacing it by "Qn". What
 *     is left must be clauses joined by connectives, with negation cues
 *     before the first clause (or "not allowed" after the last) and filler
 *     words: anything else means the sentence is not fully understood and
 *     it stays review (the coverage check).
 *
 * Polarity: (exclusion section) XOR (sentence negation) wraps the clause
 * list in NOT. Lists written with "and" are AND when asserted and OR when
 * denied ("no prior oxaliplatin and irinotecan" = neither), lists with "or"
 * are OR. Clause-internal semantics (RAS wild-type = KRAS AND NRAS
 * wild-type, "liver-limited ... not amenable to resection") are fixed.
 *
 * Precision beats coverage: every handler rejects what it cannot model
 * fully, and a rejected sentence stays review.
 *
 * Layout: this file holds the public API (parser, context, extraction),
 * the memo, and understand(), which runs the layers over one criterion.
 * The layers share criteria_internal.h:
 *   criteria_normalize.c  stages 1-2: normalize, run-ons, rewrites
 *   criteria_tag.c        stage 3: skeleton, literal filters, token and
 *                         node helpers
 *   criteria_patterns.c   stage 4: the recognizer table and its loop
 *   criteria_frames_*.c   the frames (h_*) by kind: labs (and performance,
 *                         age), sites, therapy, biomarker, disease
 *   criteria_grammar.c    clauses and the words between them, unread parts
 *   criteria_tidy.c       what adds nothing to the clauses
 *   criteria_scope.c      headings, exceptions, negation, permissions
 *   criteria_lower.c      the clause tree to constraint expressions
 * Word lists and rewrites are data in engine/lexicon/rules/ (criteria_rules.c).
 */
#include "criteria_internal.h"

static void free_codes(ctm_criteria_parser *p)
{
	size_t i;

	for (i = 0; p->rw && i < p->rules.n_rw; i++)
		pcre2_code_free(atomic_load(&p->rw[i]));
	free((void *)p->rw);
	free(p->rw_need);
	ctm_cx_rw_index_free(&p->rwx);
	free(p->by_type);
	crules_free(&p->rules);
	for (i = 0; i < RX_COUNT_; i++)
		pcre2_code_free(atomic_load(&p->re[i]));
}

static int compile_one(pcre2_code **out, const char *name,
		       const char *const *pieces, size_t npieces, uint32_t opts,
		       int wrap, ctm_error *err)
{
	char *buf;
	const char *src;
	size_t n = 32, i, len = 0;
	int errcode;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];

	for (i = 0; i < npieces && pieces[i]; i++)
		n += strlen(pieces[i]);
	buf = malloc(n);
	if (!buf)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	if (wrap)
		len = (size_t)snprintf(buf, n, "(?<![^ ])(?:");
	for (i = 0; i < npieces && pieces[i]; i++) {
		memcpy(buf + len, pieces[i], strlen(pieces[i]));
		len += strlen(pieces[i]);
	}
	if (wrap) {
		memcpy(buf + len, ")(?![^ ])", 9);
		len += 9;
	}
	buf[len] = '\0';
	src = buf;
	*out = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, opts,
			     &errcode, &off, NULL);
	if (!*out) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		ctm_error_set(err, CTM_EINVALID, NULL, 0, (int)off + 1,
			      "criteria pattern '%s': %s at offset %zu", name,
			      (const char *)msg, (size_t)off);
		ctm_error_set_field(err, name);
		free(buf);
		return CTM_EINVALID;
	}
	free(buf);
	/* JIT is an optimisation: without it the interpreter runs. */
	(void)pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

/* Compiles rewrite i (rx < 0) or pattern rx and publishes it in *slot;
 * another thread may have published it first. */
static int compile_slot(const ctm_criteria_parser *p, size_t i, int rx,
			pcre2_code **out, ctm_error *err)
{
	_Atomic(pcre2_code *) *slot =
		rx < 0 ? &((ctm_criteria_parser *)p)->rw[i]
		       : &((ctm_criteria_parser *)p)->re[rx];
	pcre2_code *code = atomic_load_explicit(slot, memory_order_acquire);
	pcre2_code *none = NULL;
	int rc;

	if (code) {
		*out = code;
		return 0;
	}
	if (rx < 0) {
		const char *pat = p->rules.rw[i].pat;
		rc = compile_one(&code, p->rules.rw[i].name, &pat, 1,
				 PCRE2_CASELESS, 0, err);
		if (rc && err) {
			/* the rule file's line, not only the pattern's name */
			snprintf(err->file, sizeof(err->file), "%s",
				 "rewrites.tsv");
			err->line = p->rules.rw[i].line;
		}
	} else {
		rc = compile_one(&code, ctm_cx_recognizers[rx].name,
				 ctm_cx_recognizers[rx].pat, MAX_PIECES,
				 rx >= RX_COHORT ? PCRE2_CASELESS : 0,
				 rx < N_RECOGNIZERS, err);
	}
	if (rc) {
		*out = NULL;
		return rc;
	}
	if (!atomic_compare_exchange_strong_explicit(slot, &none, code,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		pcre2_code_free(code);
		code = none;
	}
	*out = code;
	return 0;
}

/* The fast path of the two below: a pattern once compiled is one load. */
static pcre2_code *lazy(const ctm_criteria_parser *p, size_t i, int rx)
{
	_Atomic(pcre2_code *) *slot =
		rx < 0 ? &((ctm_criteria_parser *)p)->rw[i]
		       : &((ctm_criteria_parser *)p)->re[rx];
	pcre2_code *code = atomic_load_explicit(slot, memory_order_acquire);

	if (code)
		return code;
	return compile_slot(p, i, rx, &code, NULL) ? NULL : code;
}

pcre2_code *ctm_cx_rw(const ctm_criteria_parser *p, size_t i)
{
	return lazy(p, i, -1);
}

pcre2_code *ctm_cx_re(const ctm_criteria_parser *p, int rx)
{
	return lazy(p, 0, rx);
}

int ctm_criteria_parser_compile(ctm_criteria_parser *p, ctm_error *err)
{
	pcre2_code *code;
	size_t i;
	int rc;

	for (i = 0; i < p->rules.n_rw; i++)
		if ((rc = compile_slot(p, i, -1, &code, err)))
			return rc;
	for (i = 0; i < RX_COUNT_; i++)
		if ((rc = compile_slot(p, 0, (int)i, &code, err)))
			return rc;
	return 0;
}

/* p->by_type and p->type_at: a counting sort of the concepts by type. */
static int group_by_type(ctm_criteria_parser *p, const ctm_lexicon *lx,
			 ctm_error *err)
{
	size_t count = ctm_lexicon_count(lx), i, t;
	size_t at[CTM_CT_COUNT_ + 1] = {0};

	p->by_type = malloc((count ? count : 1) * sizeof(*p->by_type));
	if (!p->by_type)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	for (i = 1; i < count; i++)
		at[ctm_lexicon_type(lx, (ctm_concept)i) + 1]++;
	for (t = 0; t < CTM_CT_COUNT_; t++)
		at[t + 1] += at[t];
	memcpy(p->type_at, at, sizeof(at));
	for (i = 1; i < count; i++)
		p->by_type[at[ctm_lexicon_type(lx, (ctm_concept)i)]++] =
			(ctm_concept)i;
	return 0;
}

int ctm_criteria_parser_new(ctm_criteria_parser **out, const ctm_lexicon *lx,
			    ctm_error *err)
{
	ctm_criteria_parser *p;
	size_t i;
	int rc = 0;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	p->lx = lx;
	rc = crules_load(&p->rules, err);
	if (rc == 0) {
		p->rw = calloc(p->rules.n_rw + 1, sizeof(*p->rw));
		for (i = 0; p->rw && i <= p->rules.n_rw; i++)
			atomic_init(&p->rw[i], NULL);
		p->rw_need = calloc(p->rules.n_rw + 1, sizeof(*p->rw_need));
		if (!p->rw || !p->rw_need)
			rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
					   "out of memory");
	}
	for (i = 0; rc == 0 && i < p->rules.n_rw; i++)
		ctm_cx_litset_init(&p->rw_need[i], p->rules.rw[i].need);
	if (rc == 0 && ctm_cx_rw_index_build(&p->rwx, p->rw_need,
					     p->rules.n_rw))
		rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				   "out of memory");
	for (i = 0; i < RX_COUNT_; i++) {
		atomic_init(&p->re[i], NULL);
		ctm_cx_litset_init(&p->rx_need[i], ctm_cx_rx_need_text[i]);
	}
	if (rc) {
		free_codes(p);
		free(p);
		return rc;
	}
	if (lx && (rc = group_by_type(p, lx, err))) {
		free_codes(p);
		free(p);
		return rc;
	}
	if (lx) {
		p->brain = ctm_lexicon_concept(lx, CTM_CT_SITE, "brain");
		p->liver = ctm_lexicon_concept(lx, CTM_CT_SITE, "liver");
		p->lepto =
			ctm_lexicon_concept(lx, CTM_CT_SITE, "leptomeninges");
		p->systemic = ctm_lexicon_concept(lx, CTM_CT_CLASS,
						  "systemic therapy");
		p->chemo =
			ctm_lexicon_concept(lx, CTM_CT_CLASS, "chemotherapy");
		p->cancer = ctm_lexicon_concept(lx, CTM_CT_DISEASE, "cancer");
		p->other_site = ctm_lexicon_concept(lx, CTM_CT_SITE, "other");
		p->any_therapy = ctm_lexicon_concept(lx, CTM_CT_CLASS,
						     "therapy of any kind");
		p->any_local = ctm_lexicon_concept(
			lx, CTM_CT_CLASS, "local treatment of any kind");
		p->diagnostic = ctm_lexicon_concept(lx, CTM_CT_PROCEDURE,
						    "diagnostic test");
	}
	*out = p;
	return 0;
}

void ctm_criteria_parser_free(ctm_criteria_parser *p)
{
	if (!p)
		return;
	free_codes(p);
	free(p);
}

int ctm_criteria_ctx_new(ctm_criteria_ctx **out, const ctm_criteria_parser *p)
{
	ctm_criteria_ctx *x;

	*out = NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return CTM_ENOMEM;
	x->p = p;
	x->lx = p->lx;
	x->md = pcre2_match_data_create(64, NULL);
	x->mc = pcre2_match_context_create(NULL);
	if (!x->md || !x->mc) {
		pcre2_match_data_free(x->md);
		pcre2_match_context_free(x->mc);
		free(x);
		return CTM_ENOMEM;
	}
	pcre2_set_match_limit(x->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(x->mc, 20000);
	x->memo = calloc(MEMO_SLOTS, sizeof(*x->memo)); /* NULL: no memo */
	*out = x;
	return 0;
}

void ctm_criteria_ctx_free(ctm_criteria_ctx *x)
{
	if (!x)
		return;
	pcre2_match_data_free(x->md);
	pcre2_match_context_free(x->mc);
	if (x->memo) {
		size_t i;
		for (i = 0; i < MEMO_SLOTS; i++) {
			free(x->memo[i].key);
			free(x->memo[i].expr);
			free(x->memo[i].constraints);
			free(x->memo[i].reason);
		}
		free(x->memo);
	}
	free(x);
}

const char *ctm_criteria_debug_skeleton(const ctm_criteria_ctx *x)
{
	return x->sk;
}

const char *ctm_criteria_debug_reason(const ctm_criteria_ctx *x)
{
	return x->reason;
}

uint64_t ctm_criteria_version(const ctm_criteria_ctx *x)
{
	uint64_t h = x->lx ? ctm_lexicon_hash(x->lx) : 0;

	/* mixed, not XORed alone: equal hashes must not cancel */
	return (h ^ x->p->rules.hash) * 1099511628211ull + h;
}

const ctm_lexicon *ctm_criteria_ctx_lexicon(const ctm_criteria_ctx *x)
{
	return x->lx;
}

const struct crules *ctm_criteria_ctx_rules(const ctm_criteria_ctx *x)
{
	return &x->p->rules;
}

/*
 * ctm_cx_read_heading() through a memo of the last heading: its reading
 * depends on the section and the heading alone, but for a label heading
 * ("Age:"), whose "<label>: " is put before each criterion's text.
 */
static int read_heading(struct ctm_criteria_ctx *x, const ctm_criterion *c,
			const char **text, size_t *len)
{
	size_t hl = strlen(c->heading), tl;
	int rc, n;

	if (x->hm.set && x->hm.section == c->section && x->hm.hl == hl &&
	    !memcmp(x->hm.h, c->heading, hl)) {
		x->h_current = x->hm.h_current;
		x->h_time = x->hm.h_time;
		x->h_within = x->hm.h_within;
		x->cur_rx = x->hm.cur_rx;
		if (x->hm.rc) {
			if (!x->reason[0])
				snprintf(x->reason, sizeof(x->reason), "%s",
					 x->hm.reason);
			return x->hm.rc;
		}
		if (x->hm.label) {
			n = snprintf(x->text, sizeof(x->text), "%.*s%s",
				     (int)x->hm.pl, x->hm.prefix, c->text);
			if (n < 0 || (size_t)n >= sizeof(x->text))
				return ctm_cx_reject(x, "criterion too long");
			*text = x->text;
			*len = (size_t)n;
		}
		return 0;
	}
	x->hm.set = false;
	x->h_label_text = 0;
	rc = ctm_cx_read_heading(x, c, text, len);
	tl = strlen(c->text);
	if (hl > MAX_HEADING || x->h_label_text ||
	    (rc && !strcmp(x->reason, "criterion too long")))
		return rc; /* not kept: it depends on the text */
	x->hm.set = true;
	x->hm.section = c->section;
	x->hm.hl = hl;
	memcpy(x->hm.h, c->heading, hl);
	x->hm.rc = rc;
	x->hm.h_current = x->h_current;
	x->hm.h_time = x->h_time;
	x->hm.h_within = x->h_within;
	x->hm.cur_rx = x->cur_rx;
	snprintf(x->hm.reason, sizeof(x->hm.reason), "%s", rc ? x->reason : "");
	x->hm.label = !rc && *text == x->text;
	x->hm.pl = x->hm.label ? *len - tl : 0;
	if (x->hm.pl > MAX_HEADING)
		x->hm.set = false;
	else
		memcpy(x->hm.prefix, x->text, x->hm.pl);
	return rc;
}

static int understand(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		      int *root)
{
	size_t len = strlen(c->text), ms, me, start;
	int expr, rc, f;

	const char *text = c->text;

	x->section = c->section;
	if (len > MAX_TEXT)
		return ctm_cx_reject(x, "criterion too long");
	if (c->heading && (rc = read_heading(x, c, &text, &len)))
		return rc;
	if (len >= sizeof(x->lc))
		return ctm_cx_reject(x, "criterion too long");
	ctm_cx_lower_copy(x->lc, text, len);
	ctm_cx_textset_build(&x->ts_sk, x->lc, len);
	rc = ctm_cx_has_any(&x->p->rx_need[RX_COHORT], &x->ts_sk, x->lc, len)
		     ? pcre2_match(ctm_cx_re(x->p, RX_COHORT), (PCRE2_SPTR)text, len,
				   0, 0, x->md, x->mc)
		     : PCRE2_ERROR_NOMATCH;
	if (rc != PCRE2_ERROR_NOMATCH)
		return ctm_cx_reject(x, "names a cohort, arm or part");

	len = ctm_cx_normalize(text, len, x->a, sizeof(x->a) / 2);
	/* (a heading offering alternatives was refused above: under it
	 * run-on items would be alternatives, not sentences that all hold) */
	len = ctm_cx_split_runons(x, x->a, len, sizeof(x->a) / 2);
	if ((rc = ctm_cx_apply_rewrites(x, &len)))
		return rc;
	if ((rc = ctm_cx_build_skeleton(x, x->a, len)))
		return rc;
	/* list markers, trailing connectives, lab group labels */
	if ((f = ctm_cx_find(x, RX_STRIP_LEAD, 0, &ms, &me)) == 1) {
		memmove(x->sk, x->sk + me, x->sklen - me + 1);
		x->sklen -= me;
	}
	if (f < 0)
		return f;
	if ((f = ctm_cx_find(x, RX_STRIP_TAIL, 0, &ms, &me)) == 1) {
		size_t os, oe;
		/* "..., OR": one of alternatives with the next criterion */
		if (ctm_cx_grp(x, "or", &os, &oe))
			return ctm_cx_reject(x, "ends with 'or'");
		x->sk[ms] = '\0';
		x->sklen = ms;
	}
	if (f < 0)
		return f;
	start = 0;
	f = 0;
	/* from here the skeleton only loses text: the set stays a superset */
	ctm_cx_textset_build(&x->ts_sk, x->sk, x->sklen);
	while (ctm_cx_has_any(&x->p->rx_need[RX_LAB_LABEL], &x->ts_sk, x->sk,
		       x->sklen) &&
	       (f = ctm_cx_find(x, RX_LAB_LABEL, start, &ms, &me)) == 1) {
		memset(x->sk + ms, ' ', me - ms);
		start = me;
	}
	if (f < 0)
		return f;
	ctm_cx_sk_squeeze(x);
	{
		tok ct[MAX_TOKS];
		size_t nct = ctm_cx_tokenize(x->sk, x->sklen, ct, MAX_TOKS), i;
		x->therapy_cue = 0;
		for (i = 0; i < nct; i++)
			if (ctm_cx_word(x, CRULES_THERAPY_CUE, &ct[i]))
				x->therapy_cue = 1;
	}
	if ((rc = ctm_cx_run_recognizers(x)))
		return rc;
	if ((rc = ctm_cx_tidy(x)))
		return rc;
	{
		/* sentences ("Active brain metastases. Patients with ...
		 * are excluded") are read one by one and all hold */
		tok t[MAX_TOKS];
		size_t nt = ctm_cx_tokenize(x->sk, x->sklen, t, MAX_TOKS), i,
		       b = 0;
		int parts[MAX_PARTS];
		size_t np = 0, nread = 0;

		/* brain_ok: 1 a permission for treated brain metastases, 2
		 * one for treated leptomeningeal disease too */
		int label = -1, brain_ok = 0, perm;

		if (nt >= MAX_TOKS)
			return ctm_cx_reject(x, "sentence too long");
		if ((rc = ctm_cx_disease_label(x, t, nt, &b, &label)))
			return rc;
		for (i = b; i <= nt; i++) {
			/* a sentence ends at "." and at "but" before a
			 * subgroup ("... are ineligible but patients with
			 * ... are allowed") */
			if (i < nt && !ctm_cx_teq(&t[i], ".") &&
			    !(ctm_cx_teq(&t[i], "but") && i + 1 < nt &&
			      crules_is_word(&x->p->rules, CRULES_SUBGROUP,
					     t[i + 1].p, t[i + 1].n)))
				continue;
			if (i > b &&
			    (perm = ctm_cx_brain_permission(x, t + b, i - b))) {
				brain_ok = brain_ok > perm ? brain_ok : perm;
			} else if (i > b) {
				rc = ctm_cx_read_part(x, c, t + b, i - b, parts,
						      &np, &nread, 1);
				if (rc)
					return rc;
			}
			b = i + 1;
		}
		if (brain_ok && !nread &&
		    c->section != CTM_SECTION_INCLUSION) {
			/* "Known CNS metastases allowed if treated and
			 * stable" as an exclusion, or in a list of neither
			 * kind (PDQ's "Disease Characteristics"): the others
			 * are barred */
			ctm_constraint bc = ctm_cx_mk(CTM_K_BRAIN_METS);
			bc.flags = CTM_F_ACTIVE;
			parts[np] = ctm_cx_leaf(x, &bc);
			if (parts[np] < 0)
				return parts[np];
			parts[np] = ctm_cx_not_(x, parts[np]);
			if (parts[np] < 0)
				return parts[np];
			np++;
			nread++;
		} else if (brain_ok) {
			/* a permission for treated brain metastases leaves
			 * the exclusion of the active ones */
			size_t k, nb = 0;
			if (c->section != CTM_SECTION_EXCLUSION)
				return ctm_cx_reject(x,
						     "a brain permission in an "
						     "inclusion");
			for (k = 0; k < x->nn; k++)
				if (x->nodes[k].op == X_LEAF &&
				    x->nodes[k].c.kind == CTM_K_BRAIN_METS) {
					x->nodes[k].c.flags |= CTM_F_ACTIVE;
					nb++;
				} else if (brain_ok == 2 &&
					   x->nodes[k].op == X_LEAF &&
					   x->nodes[k].c.kind == CTM_K_SITE &&
					   x->nodes[k].c.concept ==
						   x->p->lepto) {
					/* treated leptomeningeal disease is
					 * allowed too, and a profile does not
					 * say whether it was treated */
					x->nodes[k].c = ctm_cx_unread_leaf(x);
				}
			if (!nb)
				return ctm_cx_reject(
					x, "a brain permission without "
					   "brain metastases");
		}
		if (!nread)
			return R_REJECT; /* the reason is the last part's */
		expr = ctm_cx_nary(x, X_AND, parts, np);
		if (expr < 0)
			return expr;
		if (label >= 0) {
			/* binds only the patients the label names: an
			 * implication, not applicable to the others */
			int k2[2];
			k2[0] = ctm_cx_not_(x, label);
			k2[1] = expr;
			expr = ctm_cx_nary(x, X_OR, k2, 2);
			if (expr < 0)
				return expr;
		}
	}
	*root = ctm_cx_lower(x, expr, 0, 0);
	return *root < 0 ? *root : 0;
}

static int extract_uncached(ctm_criteria_ctx *x, ctm_criterion *c,
			    ctm_arena *a, ctm_error *err)
{
	int root = -1;
	size_t nn, nl = 0, ne = 0, nc = 0;

	x->nn = x->nk = x->nq = x->no = x->nok = 0;
	x->nhits = 0;
	x->sk[0] = '\0';
	x->sklen = 0;
	x->reason[0] = '\0';
	x->h_current = 0;
	x->h_within = 0;
	x->h_time = 0;
	x->since_clause = 0;
	c->structured = false;
	c->expr = NULL;
	c->n_expr = 0;
	c->constraints = NULL;
	c->n_constraints = 0;
	if (!c->text || !x->lx)
		return 0;
	if (understand(x, c, &root) || root < 0) {
		if (!x->reason[0])
			snprintf(x->reason, sizeof(x->reason),
				 "not understood");
		return 0;
	}
	nn = ctm_cx_count_nodes(x, root, &nl);
	c->expr = ctm_arena_alloc(a, nn * sizeof(*c->expr));
	c->constraints = ctm_arena_alloc(a, nl * sizeof(*c->constraints));
	if (!c->expr || !c->constraints) {
		c->expr = NULL;
		c->constraints = NULL;
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	}
	ctm_cx_emit(x, root, c, &ne, &nc);
	c->n_expr = ne;
	c->n_constraints = nc;
	c->structured = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The memo in front of extraction                                     */
/* ------------------------------------------------------------------ */

static size_t memo_key(const ctm_criterion *c, char *buf, size_t cap)
{
	size_t hl = c->heading ? strlen(c->heading) : 0;
	size_t tl = strlen(c->text);

	if (2 + hl + tl > cap)
		return 0;
	buf[0] = (char)('0' + c->section);
	memcpy(buf + 1, c->heading ? c->heading : "", hl);
	buf[1 + hl] = '\x1f';
	memcpy(buf + 2 + hl, c->text, tl);
	return 2 + hl + tl;
}

static void *dup_bytes(const void *p, size_t n)
{
	void *q;

	if (!n)
		return NULL;
	q = malloc(n);
	if (q)
		memcpy(q, p, n);
	return q;
}

/*
 * "<main>; <alt> is allowed in dose escalation only" in an inclusion list:
 * the patient qualifies through main, or through alt in one part of the
 * study; which part is not a patient fact. Read as (main OR alt) AND
 * (unread): it decides only that a patient meeting neither is barred.
 * *done is 0 when the sentence has another shape.
 */
static int extract_cohort_only(ctm_criteria_ctx *x, ctm_criterion *c,
			       ctm_arena *a, ctm_error *err, int *done)
{
	ctm_criterion part[2];
	char buf[2][MAX_TEXT + 1];
	const char *names[2] = {"main", "alt"};
	size_t len = strlen(c->text), i, j, ne, nc, pe = 2, pc = 0;
	ctm_expr *expr;
	ctm_constraint *cons;
	int rc;

	*done = 0;
	if (c->section != CTM_SECTION_INCLUSION || len > MAX_TEXT ||
	    !strchr(c->text, ';'))
		return 0;
	rc = pcre2_match(ctm_cx_re(x->p, RX_COHORT_ONLY), (PCRE2_SPTR)c->text, len,
			 0, 0, x->md, x->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	*done = 1;
	if (x->explain)
		ctm_cx_note_frame(x, RX_COHORT_ONLY);
	c->structured = false;
	c->expr = NULL;
	c->constraints = NULL;
	c->n_expr = c->n_constraints = 0;
	if (rc < 0) {
		snprintf(x->reason, sizeof(x->reason), "pattern failed");
		return 0;
	}
	for (i = 0; i < 2; i++) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);
		int g = pcre2_substring_number_from_name(ctm_cx_re(x->p, RX_COHORT_ONLY),
							 (PCRE2_SPTR)names[i]);
		size_t s = ov[2 * g], e = ov[2 * g + 1];
		memcpy(buf[i], c->text + s, e - s);
		buf[i][e - s] = '\0';
	}
	for (i = 0; i < 2; i++) {
		memset(&part[i], 0, sizeof(part[i]));
		part[i].section = c->section;
		part[i].heading = i ? NULL : c->heading;
		part[i].text = buf[i];
		if ((rc = ctm_criteria_extract(x, &part[i], a, err)))
			return rc;
		if (!part[i].structured || !part[i].n_expr) {
			snprintf(x->reason, sizeof(x->reason),
				 "a group admitted in one part only, %s not "
				 "understood",
				 i ? "the group" : "the main part");
			return 0;
		}
	}
	ne = 3 + part[0].n_expr + part[1].n_expr;
	nc = 1 + part[0].n_constraints + part[1].n_constraints;
	expr = ctm_arena_alloc(a, ne * sizeof(*expr));
	cons = ctm_arena_alloc(a, nc * sizeof(*cons));
	if (!expr || !cons)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	expr[0].op = CTM_EXPR_AND;
	expr[0].arg = 2;
	expr[1].op = CTM_EXPR_OR;
	expr[1].arg = 2;
	for (i = 0; i < 2; i++) {
		for (j = 0; j < part[i].n_expr; j++) {
			expr[pe] = part[i].expr[j];
			if (expr[pe].op == CTM_EXPR_LEAF)
				expr[pe].arg += (uint32_t)pc;
			pe++;
		}
		memcpy(cons + pc, part[i].constraints,
		       part[i].n_constraints * sizeof(*cons));
		pc += part[i].n_constraints;
	}
	cons[pc] = ctm_cx_unread_leaf(x);
	expr[pe].op = CTM_EXPR_LEAF;
	expr[pe].arg = (uint32_t)pc;
	c->expr = expr;
	c->n_expr = ne;
	c->constraints = cons;
	c->n_constraints = nc;
	c->structured = true;
	x->reason[0] = '\0';
	return 0;
}

/*
 * "Active liver metastases, or liver metastases treated within the last 6
 * months (patients whose liver metastases were resected or ablated more
 * than 6 months earlier with no recurrence may enroll)", an exclusion.
 * Active and recently treated metastases of the site are barred; the
 * bracket names the only ones let through, those removed or ablated long
 * enough ago that none are left. The profile's sites are the metastases
 * the patient has now, so the exclusion reads
 *     NOT site OR (local treatment AND (unread))
 * Local treatment is the lexicon's "local treatment of any kind" (surgery,
 * ablation, radiation, liver-directed therapy: the record rarely says
 * what an operation removed, and an ablative radiotherapy is an
 * ablation): a patient with metastases there and none of these is
 * barred; with one of them, unknown.
 */
static int extract_site_permission(ctm_criteria_ctx *x, ctm_criterion *c,
				   ctm_arena *a, ctm_error *err, int *done)
{
	size_t len = strlen(c->text);
	PCRE2_SIZE *ov;
	ctm_concept site;
	ctm_expr *expr;
	ctm_constraint *cons;
	int g, rc;

	*done = 0;
	if (c->section != CTM_SECTION_EXCLUSION || c->heading ||
	    len > MAX_TEXT)
		return 0;
	rc = pcre2_match(ctm_cx_re(x->p, RX_SITE_PERMIT), (PCRE2_SPTR)c->text, len,
			 0, 0, x->md, x->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return 0; /* the ordinary path decides */
	ov = pcre2_get_ovector_pointer(x->md);
	g = pcre2_substring_number_from_name(ctm_cx_re(x->p, RX_SITE_PERMIT),
					     (PCRE2_SPTR) "site");
	site = ctm_lexicon_find(x->lx, c->text + ov[2 * g],
				ov[2 * g + 1] - ov[2 * g]);
	/* brain metastases have their own, finer fact */
	if (!site || ctm_lexicon_type(x->lx, site) != CTM_CT_SITE ||
	    site == x->p->brain || site == x->p->lepto)
		return 0;
	if (!x->p->any_local)
		return 0;
	*done = 1;
	if (x->explain)
		ctm_cx_note_frame(x, RX_SITE_PERMIT);
	/* OR, NOT, SITE, AND, local treatment, unread */
	expr = ctm_arena_alloc(a, 6 * sizeof(*expr));
	cons = ctm_arena_alloc(a, 3 * sizeof(*cons));
	if (!expr || !cons)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	cons[0] = ctm_cx_mk(CTM_K_SITE);
	cons[0].concept = site;
	cons[1] = ctm_cx_mk(CTM_K_THERAPY);
	cons[1].concept = x->p->any_local;
	cons[2] = ctm_cx_unread_leaf(x);
	expr[0].op = CTM_EXPR_OR;
	expr[0].arg = 2;
	expr[1].op = CTM_EXPR_NOT;
	expr[1].arg = 1;
	expr[2].op = CTM_EXPR_LEAF;
	expr[2].arg = 0;
	expr[3].op = CTM_EXPR_AND;
	expr[3].arg = 2;
	expr[4].op = CTM_EXPR_LEAF;
	expr[4].arg = 1;
	expr[5].op = CTM_EXPR_LEAF;
	expr[5].arg = 2;
	c->expr = expr;
	c->n_expr = 6;
	c->constraints = cons;
	c->n_constraints = 3;
	c->structured = true;
	x->reason[0] = '\0';
	return 0;
}

int ctm_criteria_extract(ctm_criteria_ctx *x, ctm_criterion *c, ctm_arena *a,
			 ctm_error *err)
{
	char key[MEMO_MAX_KEY];
	size_t klen = 0;
	uint64_t h = 0;
	memo *m = NULL;
	int rc;

	if (c->text && x->lx) {
		int done;
		if ((rc = extract_cohort_only(x, c, a, err, &done)) || done)
			return rc;
		if ((rc = extract_site_permission(x, c, a, err, &done)) ||
		    done)
			return rc;
	}
	if (x->memo && c->text && x->lx && !x->explain)
		klen = memo_key(c, key, sizeof key);
	if (klen) {
		h = ctm_fnv1a(key, klen, CTM_FNV_SEED);
		m = &x->memo[h % MEMO_SLOTS];
		if (m->key && m->hash == h && m->key_len == klen &&
		    !memcmp(m->key, key, klen)) {
			c->structured = m->structured;
			c->n_expr = m->n_expr;
			c->n_constraints = m->n_constraints;
			c->expr = NULL;
			c->constraints = NULL;
			snprintf(x->reason, sizeof(x->reason), "%s",
				 m->reason ? m->reason : "");
			if (m->n_expr) {
				c->expr = ctm_arena_alloc(a, m->n_expr * sizeof(*c->expr));
				c->constraints = ctm_arena_alloc(
					a, (m->n_constraints ? m->n_constraints : 1) *
						   sizeof(*c->constraints));
				if (!c->expr || !c->constraints)
					return ctm_error_set(err, CTM_ENOMEM, NULL, 0,
							     0, "out of memory");
				memcpy(c->expr, m->expr, m->n_expr * sizeof(*c->expr));
				if (m->n_constraints)
					memcpy(c->constraints, m->constraints,
					       m->n_constraints * sizeof(*c->constraints));
			}
			return 0;
		}
	}
	rc = extract_uncached(x, c, a, err);
	if (rc || !m)
		return rc;
	free(m->key);
	free(m->expr);
	free(m->constraints);
	free(m->reason);
	memset(m, 0, sizeof(*m));
	m->key = dup_bytes(key, klen);
	m->expr = dup_bytes(c->expr, c->n_expr * sizeof(*c->expr));
	m->constraints = dup_bytes(c->constraints,
				   c->n_constraints * sizeof(*c->constraints));
	m->reason = x->reason[0] ? strdup(x->reason) : NULL;
	if (!m->key || (c->n_expr && !m->expr) ||
	    (c->n_constraints && !m->constraints)) {
		free(m->key);
		free(m->expr);
		free(m->constraints);
		free(m->reason);
		memset(m, 0, sizeof(*m));
		return 0; /* no memo entry; the result itself is fine */
	}
	m->hash = h;
	m->key_len = klen;
	m->structured = c->structured;
	m->n_expr = c->n_expr;
	m->n_constraints = c->n_constraints;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Alternatives under a heading                                        */
/* ------------------------------------------------------------------ */

int ctm_criteria_heading_alternatives(ctm_criteria_ctx *x, const char *h)
{
	size_t hl = h ? strlen(h) : 0;

	if (!hl || hl > 600)
		return 0;
	return ctm_cx_heading_alternatives(x, h, hl);
}

static int or_into(ctm_criterion *intro, const ctm_criterion *tmp, size_t n,
		   size_t ne, size_t nc, ctm_arena *a, ctm_error *err);

int ctm_criteria_alternatives(ctm_criteria_ctx *x, ctm_criterion *intro,
			      const ctm_criterion *items, size_t n,
			      ctm_arena *a, ctm_error *err)
{
	ctm_criterion tmp[16];
	size_t i, ne = 1, nc = 0, nalt = 0;
	int rc;

	if (n > 16 || intro->structured)
		return 0;
	for (i = 0; i < n; i++) {
		/* items of the PDQ era run together on one line ("... 12
		 * weeks of irinotecan Disease progression at any time ..."):
		 * each piece is an alternative of its own */
		const char *t = items[i].text;
		size_t len = strlen(t), b = 0, k;
		for (k = 1; k <= len; k++) {
			if (k < len && !ctm_cx_runon_at(x, t, len, k))
				continue;
			if (nalt >= 16)
				return 0;
			memset(&tmp[nalt], 0, sizeof(tmp[nalt]));
			tmp[nalt].section = items[i].section;
			tmp[nalt].text = (b == 0 && k == len)
						 ? t
						 : ctm_arena_strndup(a, t + b,
								     k - b);
			if (!tmp[nalt].text)
				return ctm_error_set(err, CTM_ENOMEM, NULL, 0,
						     0, "out of memory");
			if ((rc = ctm_criteria_extract(x, &tmp[nalt], a, err)))
				return rc;
			if (!tmp[nalt].structured || !tmp[nalt].n_expr)
				return 0;
			ne += tmp[nalt].n_expr;
			nc += tmp[nalt].n_constraints;
			nalt++;
			b = k + 1;
		}
	}
	if (nalt < 2)
		return 0;
	return or_into(intro, tmp, nalt, ne, nc, a, err);
}

/*
 * intro becomes the OR of the n readings tmp[] (ne expression nodes and nc
 * constraints in all, the OR node included).
 */
static int or_into(ctm_criterion *intro, const ctm_criterion *tmp, size_t n,
		   size_t ne, size_t nc, ctm_arena *a, ctm_error *err)
{
	ctm_expr *expr;
	ctm_constraint *cons;
	size_t i, j, pe, pc;

	expr = ctm_arena_alloc(a, ne * sizeof(*expr));
	cons = ctm_arena_alloc(a, (nc ? nc : 1) * sizeof(*cons));
	if (!expr || !cons)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	expr[0].op = CTM_EXPR_OR;
	expr[0].arg = (uint32_t)n;
	pe = 1;
	pc = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < tmp[i].n_expr; j++) {
			expr[pe] = tmp[i].expr[j];
			if (expr[pe].op == CTM_EXPR_LEAF)
				expr[pe].arg += (uint32_t)pc;
			pe++;
		}
		memcpy(cons + pc, tmp[i].constraints,
		       tmp[i].n_constraints * sizeof(*cons));
		pc += tmp[i].n_constraints;
	}
	intro->expr = expr;
	intro->n_expr = ne;
	intro->constraints = cons;
	intro->n_constraints = nc;
	intro->structured = true;
	return 0;
}

int ctm_criteria_or_lines(ctm_criteria_ctx *x, ctm_criterion *first,
			  const char *const *texts, size_t n, ctm_arena *a,
			  ctm_error *err)
{
	ctm_criterion tmp[8];
	size_t i, ne = 1, nc = 0;
	int rc;

	if (n < 2 || n > 8 || first->structured ||
	    first->section == CTM_SECTION_EXCLUSION)
		return 0;
	for (i = 0; i < n; i++) {
		memset(&tmp[i], 0, sizeof(tmp[i]));
		tmp[i].section = first->section;
		tmp[i].heading = first->heading;
		tmp[i].cohorts = first->cohorts;
		tmp[i].text = texts[i];
		if ((rc = ctm_criteria_extract(x, &tmp[i], a, err)))
			return rc;
		/* "No brain metastases OR" ... is not one of alternatives
		 * that an OR of the readings would keep */
		if (!tmp[i].structured || !tmp[i].n_expr ||
		    tmp[i].expr[0].op == CTM_EXPR_NOT)
			return 0;
		ne += tmp[i].n_expr;
		nc += tmp[i].n_constraints;
	}
	return or_into(first, tmp, n, ne, nc, a, err);
}

/* ------------------------------------------------------------------ */
/* How a criterion was read                                            */
/* ------------------------------------------------------------------ */

/* True if t is read by the grammar, not by a frame: a clause, a mark. */
static int grammar_token(const struct ctm_criteria_ctx *x, const tok *t)
{
	size_t i;

	if (t->n > 1 && t->p[0] == 'Q' && ctm_cx_is_digit_c(t->p[1]))
		return 1;
	for (i = 0; i < t->n; i++)
		if ((t->p[i] >= 'a' && t->p[i] <= 'z') ||
		    (t->p[i] >= 'A' && t->p[i] <= 'Z') ||
		    ctm_cx_is_digit_c(t->p[i]))
			break;
	if (i == t->n && !ctm_cx_word(x, CRULES_CONNECTIVE, t))
		return 1; /* punctuation: '(', ',', '.' */
	return ctm_cx_word(x, CRULES_CONNECTIVE, t) ||
	       ctm_cx_word(x, CRULES_NEGATION, t) ||
	       ctm_cx_word(x, CRULES_EXCLUSION, t) ||
	       ctm_cx_word(x, CRULES_PERMISSION, t) ||
	       ctm_cx_word(x, CRULES_MODAL, t) ||
	       ctm_cx_word(x, CRULES_FILLER, t);
}

/* The words of the skeleton no frame read, into x->ex_unread. */
static void unread_words(struct ctm_criteria_ctx *x)
{
	tok t[MAX_TOKS];
	size_t nt = ctm_cx_tokenize(x->sk, x->sklen, t, MAX_TOKS), i, n = 0;

	x->ex_unread[0] = '\0';
	for (i = 0; i < nt && i < MAX_TOKS; i++) {
		const char *w = t[i].p;
		size_t l = t[i].n;
		int h;
		if (grammar_token(x, &t[i]))
			continue;
		/* a placeholder no frame took: its text */
		h = ctm_cx_ph_index(x, &t[i], "DGMVRCXPSBLH");
		if (h >= 0 && x->ex_tagbase + (size_t)h < x->ex_ntags) {
			w = x->ex_tags[x->ex_tagbase + (size_t)h].text;
			l = strlen(w);
		}
		if (n + l + 2 > sizeof(x->ex_unread))
			break;
		if (n)
			x->ex_unread[n++] = ' ';
		memcpy(x->ex_unread + n, w, l);
		n += l;
		x->ex_unread[n] = '\0';
	}
}

int ctm_criteria_explain(ctm_criteria_ctx *x, const ctm_criterion *c,
			 ctm_criteria_reading *out, ctm_error *err)
{
	ctm_criterion copy = *c;
	ctm_arena *a = ctm_arena_new();
	int rc;

	memset(out, 0, sizeof(*out));
	if (!a)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	x->explain = 1;
	x->ex_nframes = x->ex_ntags = x->ex_textlen = x->ex_tagbase = 0;
	x->reason[0] = '\0';
	x->sk[0] = '\0';
	x->sklen = 0;
	x->nhits = 0;
	rc = ctm_criteria_extract(x, &copy, a, err);
	x->explain = 0;
	ctm_arena_free(a);
	if (rc)
		return rc;
	if (x->sklen)
		unread_words(x);
	else if (!copy.structured && c->text) /* rejected before tagging */
		snprintf(x->ex_unread, sizeof(x->ex_unread), "%s", c->text);
	else
		x->ex_unread[0] = '\0';
	out->tags = x->ex_tags;
	out->n_tags = x->ex_ntags;
	out->frames = x->ex_frames;
	out->n_frames = x->ex_nframes;
	out->unread = x->ex_unread;
	out->reason = copy.structured ? "" : x->reason;
	return 0;
}
