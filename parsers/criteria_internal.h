/*
 * criteria_internal.h - what the layers of the criteria reader share
 * (parsers/criteria_*.c only): the parser and context, tokens, expression
 * nodes, the recognizer table and the helpers each layer offers the others.
 */
#ifndef CTM_CRITERIA_INTERNAL_H
#define CTM_CRITERIA_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <stdatomic.h>
#include <pcre2.h>

#include <ctm/parsers.h>

#include "criteria_extract.h"
#include "criteria_rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TEXT    1200 /* longer criteria stay review */
#define BUF_CAP	    8192
#define MAX_HEADING 600 /* longer headings reject their criteria */
#define MAX_HITS    48
#define MAX_NODES   512
#define MAX_KIDS    1024
#define MAX_CLAUSES 40
#define MAX_TOKS    256
#define MAX_PARTS   16 /* sentences of one criterion */
#define MATCH_LIMIT 200000

/* Handler results besides a node id. */
#define R_REJECT (-1)
#define R_SKIP	 (-2)

enum { X_LEAF, X_AND, X_OR, X_NOT, X_LIST };

typedef struct xnode {
	uint8_t op;
	uint16_t n;
	uint16_t first; /* into kids[] */
	ctm_constraint c;
} xnode;

typedef struct tok {
	const char *p;
	size_t n;
} tok;

struct ctm_criteria_ctx;
typedef int (*handler_fn)(struct ctm_criteria_ctx *x, size_t ms, size_t me);

enum {
	RX_KPS,
	RX_ECOG,
	RX_AGE,
	RX_PREG,
	RX_MEASURABLE,
	RX_LAB,
	RX_LAB_WNL,
	RX_BRAIN,
	RX_EXTRAHEP,
	RX_SITE_LIMITED,
	RX_SITE,
	RX_CONDITION,
	RX_LINES0,
	RX_UNTREATED,
	RX_LINES,
	RX_RESPONSE,
	RX_SINCE,
	RX_NAIVE,
	RX_THERAPY,
	RX_BIOMARKER,
	RX_DISEASE,
	RX_RESECT,
	RX_STAGE,
	RX_METASTATIC,
	/* helpers, not recognizers */
	RX_STRIP_LEAD,
	RX_STRIP_TAIL,
	RX_LAB_LABEL,
	RX_COHORT,
	RX_H_REVIEW,
	RX_H_ALT,
	RX_H_ALL,
	RX_H_NEG,
	RX_H_WITHIN,
	RX_H_TIME,
	RX_H_CURRENT,
	RX_H_PRIOR,
	RX_H_LABEL,
	RX_EXCL_ODD,
	RX_COHORT_ONLY,
	RX_SITE_PERMIT,
	RX_COUNT_
};
#define N_RECOGNIZERS RX_STRIP_LEAD

/* A pattern is written in pieces (C caps string literals at 4095 bytes). */
#define MAX_PIECES 8

/* A frame's pattern and its handler (criteria_patterns.c). */
struct recognizer {
	const char *name;
	const char *pat[MAX_PIECES];
	handler_fn fn;
};
extern const struct recognizer ctm_cx_recognizers[RX_COUNT_];

/*
 * What a text may hold, for the literal filters: its bytes, and its byte
 * pairs hashed into 4096 bits. A literal some of whose bytes or pairs are
 * missing is not in the text; one that passes is searched for.
 */
typedef struct textset {
	uint64_t bytes[4];
	uint64_t pairs[64];
} textset;

/* The literals of a '|'-separated list, split once at start-up. */
#define MAX_LITS 16
typedef struct litset {
	size_t n;
	struct {
		const char *s;
		size_t len;
		/* the bit of its first byte pair (first byte if alone) */
		uint8_t word, pairs;
		uint64_t bit;
	} l[MAX_LITS];
} litset;

/*
 * The literals of all the rewrites' litsets, found in a sentence by one
 * scan (ctm_cx_rw_wanted) instead of one filter per rewrite. A literal of
 * two or more bytes sits in the bucket of its first byte pair's hash, one
 * of one byte in bucket RW_PAIR_BUCKETS + that byte.
 */
#define RW_PAIR_BUCKETS 4096u
#define RW_BUCKETS	(RW_PAIR_BUCKETS + 256)
typedef struct rw_index {
	struct rw_lit {
		const char *s;
		uint32_t len;
		uint32_t mask; /* its rewrites: masks + mask * words */
		/* its first (up to) 4 bytes as memcpy puts them in a
		 * uint32_t, and the bits of those bytes */
		uint32_t head, headmask;
	} *lits;	/* each literal once, by bucket */
	uint32_t *at;	/* bucket b is lits[at[b] .. at[b + 1]) */
	uint64_t *masks;
	uint64_t *always; /* the rewrites with no literal: bit i of word i/64 */
	size_t words;	  /* of a rewrite bit set */
	uint64_t one[4];  /* the bytes that are one-byte literals */
} rw_index;

/* ------------------------------------------------------------------ */
/* Parser and context                                                  */
/* ------------------------------------------------------------------ */

struct ctm_criteria_parser {
	const ctm_lexicon *lx;
	crules rules;
	/* Patterns are compiled (and JIT-compiled) on first use, through
	 * ctm_cx_rw() and ctm_cx_re(), or all at once by
	 * ctm_criteria_parser_compile(): a command that reads a few
	 * sentences (match reads a diagnosis) pays for the few it needs.
	 * Published with compare-and-swap, so threads may share a parser. */
	_Atomic(pcre2_code *) *rw; /* rules.n_rw rewrites */
	litset *rw_need;
	rw_index rwx; /* the literals of every rw_need, for one scan */
	_Atomic(pcre2_code *) re[RX_COUNT_];
	litset rx_need[RX_COUNT_];
	ctm_concept brain, liver, lepto, systemic, chemo, other_site,
		cancer, any_therapy, any_local;
	/* tests and scans: read as words, never placeholders (criteria_tag.c) */
	ctm_concept diagnostic;
	/* the lexicon's concepts grouped by type, ascending within each:
	 * those of type t are by_type[type_at[t] .. type_at[t + 1]) */
	ctm_concept *by_type;
	size_t type_at[CTM_CT_COUNT_ + 1];
};

/* Rewrite i / pattern rx, compiled on first use; NULL if it does not
 * compile (ctm_criteria_parser_compile() reports why), which matches
 * nothing. */
pcre2_code *ctm_cx_rw(const ctm_criteria_parser *p, size_t i);
pcre2_code *ctm_cx_re(const ctm_criteria_parser *p, int rx);

/*
 * A memo of recent extractions: extraction is a function of (section,
 * heading, text) alone, and eligibility text repeats a great deal across
 * trials ("Pregnant or breastfeeding women", "ECOG 0-1"). Direct-mapped,
 * bounded; each entry keeps its own copy of the key to compare.
 */
#define MEMO_SLOTS 4096
#define MEMO_MAX_KEY 2048

typedef struct memo {
	uint64_t hash;
	char *key; /* section byte, heading, '\x1f', text; NULL = empty */
	size_t key_len;
	bool structured;
	ctm_expr *expr;
	size_t n_expr;
	ctm_constraint *constraints;
	size_t n_constraints;
	char *reason;
} memo;

struct ctm_criteria_ctx {
	memo *memo; /* MEMO_SLOTS entries, or NULL */
	const ctm_criteria_parser *p;
	const ctm_lexicon *lx;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	int cur_rx; /* the recognizer whose match md holds */

	char a[BUF_CAP], b[BUF_CAP];
	char lc[BUF_CAP]; /* x->a in lower case, for the rewrite filters */
	textset ts_sk;	  /* what the skeleton may hold */
	char sk[BUF_CAP];
	size_t sklen;
	ctm_term_hit hits[MAX_HITS];
	size_t nhits;

	xnode nodes[MAX_NODES];
	size_t nn;
	uint16_t kids[MAX_KIDS];
	size_t nk;
	int clause[MAX_CLAUSES];
	uint32_t qkinds[MAX_CLAUSES]; /* leaf kinds under each clause */
	size_t nq;
	char qname[MAX_CLAUSES][8]; /* "Qn" tokens made for unread parts */
	ctm_section section; /* of the criterion being read */
	int since_clause; /* a washout ("at least 4 weeks since") was read */
	uint32_t bm_lo_open; /* CTM_F_LO_OPEN when the biomarker frame's
				value is strict ("TMB > 10") */
	int therapy_cue;  /* "prior", "received" ... in the sentence */
	int modal_first;  /* "must", "should" before the first clause */

	xnode out[MAX_NODES]; /* lowered tree */
	size_t no;
	uint16_t okids[MAX_KIDS];
	size_t nok;

	char reason[128];
	/* from the heading: therapies are concurrent / within n days */
	int h_current;
	uint32_t h_within;
	/* the heading names a time that is not a window ("obtained 14
	 * days or less before registration") */
	int h_time;
	/* the heading's label applies or not by the text ("Life
	 * expectancy:"): its reading is not kept for the next criterion */
	int h_label_text;
	char text[BUF_CAP / 2];
	/* the last heading read and what ctm_cx_read_heading made of it
	 * (criteria under one heading come together): see read_heading() in
	 * criteria_extract.c */
	struct {
		bool set, label;
		ctm_section section;
		size_t hl, pl;
		char h[MAX_HEADING + 1];
		char prefix[MAX_HEADING + 1]; /* "<label>: " */
		int rc, h_current, h_time, cur_rx;
		uint32_t h_within;
		char reason[128];
	} hm;

	/* ctm_criteria_explain(): a reading that records what it found */
	int explain;
	size_t ex_nframes, ex_ntags, ex_textlen;
	size_t ex_tagbase; /* the last skeleton's first tag */
	const char *ex_frames[RX_COUNT_];
	ctm_criteria_tag ex_tags[MAX_HITS];
	char ex_text[BUF_CAP];
	char ex_unread[BUF_CAP / 2];
};

/* criteria_normalize.c */
size_t ctm_cx_put_s(char *out, size_t n, size_t cap, const char *s);
size_t ctm_cx_normalize(const char *in, size_t len, char *out, size_t cap);
int ctm_cx_runon_at(const struct ctm_criteria_ctx *x, const char *buf,
		    size_t len, size_t i);
size_t ctm_cx_split_runons(const struct ctm_criteria_ctx *x, char *buf,
			   size_t len, size_t cap);
void ctm_cx_lower_copy(char *dst, const char *src, size_t n);
int ctm_cx_apply_rewrites(struct ctm_criteria_ctx *x, size_t *len);
/* Builds ix from the n litsets ls (one a rewrite); CTM_ENOMEM. */
int ctm_cx_rw_index_build(rw_index *ix, const litset *ls, size_t n);
void ctm_cx_rw_index_free(rw_index *ix);

/* criteria_patterns.c */
extern const char *const ctm_cx_rx_need_text[RX_COUNT_];
int ctm_cx_run_recognizers(struct ctm_criteria_ctx *x);
void ctm_cx_note_frame(struct ctm_criteria_ctx *x, int rx);

/* criteria_tag.c */
void ctm_cx_textset_build(textset *ts, const char *s, size_t n);
void ctm_cx_litset_init(litset *ls, const char *need);
int ctm_cx_has_any(const litset *ls, const textset *ts, const char *s,
		   size_t n);
int ctm_cx_reject(struct ctm_criteria_ctx *x, const char *why);
int ctm_cx_is_digit_c(int c);
void ctm_cx_sk_squeeze(struct ctm_criteria_ctx *x);
int ctm_cx_build_skeleton(struct ctm_criteria_ctx *x, const char *t,
			  size_t len);
int ctm_cx_find(struct ctm_criteria_ctx *x, int rx, size_t start, size_t *ms,
		size_t *me);
int ctm_cx_grp(struct ctm_criteria_ctx *x, const char *name, size_t *s,
	       size_t *e);
size_t ctm_cx_grp_start(struct ctm_criteria_ctx *x, const char *name);
int ctm_cx_grp_num(struct ctm_criteria_ctx *x, const char *name, double *v);
int ctm_cx_grp_is(struct ctm_criteria_ctx *x, const char *name,
		  const char *text);
size_t ctm_cx_tokenize(const char *s, size_t n, tok *t, size_t max);
int ctm_cx_teq(const tok *t, const char *w);
int ctm_cx_tin(const tok *t, const char *const *set);
int ctm_cx_word(const struct ctm_criteria_ctx *x, crules_list list,
		const tok *t);
int ctm_cx_ph_index(const struct ctm_criteria_ctx *x, const tok *t,
		    const char *letters);
ctm_concept ctm_cx_ph_concept(const struct ctm_criteria_ctx *x, const tok *t,
			      const char *letters);
double ctm_cx_tok_num(const tok *t);
ctm_constraint ctm_cx_mk(ctm_kind k);
ctm_constraint ctm_cx_unread_leaf(const struct ctm_criteria_ctx *x);
int ctm_cx_leaf(struct ctm_criteria_ctx *x, const ctm_constraint *c);
/* Structural equality of nodes a and b of one tree: x->nodes/x->kids
 * before lowering, x->out/x->okids after. */
int ctm_cx_same_xnode(const xnode *nodes, const uint16_t *kids, int a, int b,
		      unsigned depth);
int ctm_cx_nary(struct ctm_criteria_ctx *x, int op, const int *k, size_t n);
int ctm_cx_not_(struct ctm_criteria_ctx *x, int k);
size_t ctm_cx_members(const struct ctm_criteria_ctx *x, ctm_concept fam,
		      ctm_concept *out, size_t max);
ctm_concept ctm_cx_variant_gene(const struct ctm_criteria_ctx *x,
				ctm_concept v);
ctm_concept ctm_cx_variant_of(const struct ctm_criteria_ctx *x,
			      ctm_concept gene, const char *suffix, size_t slen);

/* criteria_frames_labs.c */
int ctm_cx_h_kps(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_ecog(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_age(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_preg(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_measurable(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_lab(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_lab_wnl(struct ctm_criteria_ctx *x, size_t ms, size_t me);

/* criteria_frames_sites.c */
int ctm_cx_h_brain(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_extrahepatic(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_site_limited(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_list_kind(const tok *t, size_t nt, size_t from, size_t to);
int ctm_cx_h_site(struct ctm_criteria_ctx *x, size_t ms, size_t me);

/* criteria_frames_therapy.c */
int ctm_cx_h_lines0(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_untreated(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_lines(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_unit_days(const char *u, size_t n, double v, uint32_t *days);
int ctm_cx_h_since(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_naive(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_response(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_condition(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_therapy(struct ctm_criteria_ctx *x, size_t ms, size_t me);

/* criteria_frames_biomarker.c */
int ctm_cx_h_biomarker(struct ctm_criteria_ctx *x, size_t ms, size_t me);

/* criteria_frames_disease.c */
int ctm_cx_stage_word(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		      size_t *i);
int ctm_cx_h_disease(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_resect(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_stage(struct ctm_criteria_ctx *x, size_t ms, size_t me);
int ctm_cx_h_metastatic(struct ctm_criteria_ctx *x, size_t ms, size_t me);

/* criteria_grammar.c */
int ctm_cx_shared_word(const struct ctm_criteria_ctx *x, const tok *t);
int ctm_cx_denied(const struct ctm_criteria_ctx *x, const tok *t);
int ctm_cx_has_not(const struct ctm_criteria_ctx *x, int id, unsigned depth);
int ctm_cx_new_clause(struct ctm_criteria_ctx *x, int node, uint32_t kinds,
		      tok *out);
int ctm_cx_unread_clause(struct ctm_criteria_ctx *x, tok *out);
int ctm_cx_read_unread(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		       tok *o, size_t *no);
int ctm_cx_assemble(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		    int *out, int *neg, uint32_t *skinds);

/* criteria_lower.c */
int ctm_cx_lower(struct ctm_criteria_ctx *x, int id, int neg, unsigned depth);
size_t ctm_cx_count_nodes(const struct ctm_criteria_ctx *x, int id,
			  size_t *leaves);
void ctm_cx_emit(const struct ctm_criteria_ctx *x, int id, ctm_criterion *c,
		 size_t *ne, size_t *nc);

/* criteria_scope.c */
int ctm_cx_heading_alternatives(struct ctm_criteria_ctx *x, const char *h,
				size_t hl);
int ctm_cx_read_heading(struct ctm_criteria_ctx *x, const ctm_criterion *c,
			const char **text, size_t *len);
int ctm_cx_disease_label(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
			 size_t *body, int *label);
int ctm_cx_brain_permission(const struct ctm_criteria_ctx *x, const tok *t,
			    size_t nt);
int ctm_cx_read_part(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		     const tok *t, size_t nt, int *parts, size_t *np,
		     size_t *nread, int split);

/* criteria_tidy.c */
int ctm_cx_tidy(struct ctm_criteria_ctx *x);
int ctm_cx_read_either(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		       tok *o, size_t *no);

#endif
