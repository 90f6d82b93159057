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
 */
#define PCRE2_CODE_UNIT_WIDTH 8
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

/* ------------------------------------------------------------------ */
/* Rewrites (stage 2): case-insensitive, applied in order               */
/* ------------------------------------------------------------------ */

/*
 * The rewrites are data: engine/lexicon/rules/rewrites.tsv, read by
 * criteria_rules.c. Each names literals one of which every match contains
 * (and whether a match holds a digit): a sentence without them skips the
 * rewrite (most sentences need only a few of them, and a failed PCRE2 scan
 * costs as much as a successful one).
 */

/* ------------------------------------------------------------------ */
/* Skeleton pattern pieces (stage 4): lower-case, single-spaced tokens  */
/* ------------------------------------------------------------------ */

#define NUM   "\\d+(?:\\.\\d+)?"
#define SETW1 "(?:(?:locally )?advanced|metastatic|unresectable|recurrent)"
#define SETADJ                                                                 \
	"(?:stage iv|advanced stage|" SETW1                                    \
	"(?:(?: ,)?(?: (?:and/or|or|and|/))?"                                  \
	" " SETW1 ")*)"
#define SETTING                                                                \
	"(?:(?:in|for) (?:the |either the )?(?:(?:metastatic|advanced) (?:or|"   \
	"and/or) (?:adjuvant|neoadjuvant)|(?:adjuvant|neoadjuvant) (?:or|"     \
	"and/or) (?:metastatic|advanced)) settings?|"                          \
	"(?:for|in|as|during) (?:the |their |his or her )?(?:treatment of " \
	")?" SETADJ                                                            \
	" (?:setting|disease|D\\d+|cancer|stage|therapy|treatment)|(?:for|in|" \
	"as) (?:the )?(?:adjuvant|neoadjuvant|perioperative)(?: (?:setting|"   \
	"therapy|treatment|chemotherapy|C\\d+))?)"
#define ANCHORW                                                                \
	"(?:prior|to|before|of|the|first|1st|start|initiation|beginning|"      \
	"dose|doses|administration|day|date|study|trial|protocol|"             \
	"investigational|drug|treatment|therapy|intervention|medication|"      \
	"product|agent|enrollment|enrolment|registration|randomization|"       \
	"randomisation|entry|screening|consent|inclusion|cycle|c1d1|1|"        \
	"receiving|receipt|planned|signing|informed|initiating|from|"          \
	"preceding|this|visit)"
#define UNITW "(?:days?|weeks?|wks?|months?|years?)"
#define WITHIN                                                                 \
	"(?:within(?: the (?:last|past|previous|preceding))?|in the (?:last|"  \
	"past|previous|preceding)|during the (?:last|past|previous|"           \
	"preceding)|<|<=) (?<wn>\\d+) (?<wu>" UNITW ")"                        \
	"(?: " ANCHORW ")*"
#define TE                                                                     \
	"(?:[RCXP]\\d+(?: (?:based|containing|directed|targeted|targeting))?"  \
	"(?: (?:C\\d+|therapy|therapies|treatment|treatments|regimens?|"       \
	"agents?|drugs?|monotherapy|combination|chemotherapy|infusion|"        \
	"doublet|triplet|antibody|antibodies|inhibitors?|blockade))?)"
#define ITEMPRE "(?:(?:any|other|prior|previous|a|an|the|all|both|either) )*"
#define TSEP                                                                   \
	"(?: ,(?: (?:or|and|and/or))?| (?:or|and|and/or|nor|plus|\\+|/|with|"  \
	"in combination with|combined with))"
/* Qualifiers of a condition: how it is known, and whether it is active */
#define CONDQ                                                                  \
	"(?:known|(?:a )?(?:personal )?history of|prior|previous|active|"      \
	"uncontrolled|(?:clinically )?significant|severe|serious|"             \
	"symptomatic|chronic|acute|ongoing|current|concurrent|documented|"     \
	"evidence of|(?:a )?diagnosis of|presence of|any|unstable|"            \
	"poorly controlled|recent|untreated|positive for|infection with|"      \
	"(?:known )?(?:to be )?seropositive for|known to be|"      \
	"(?:clinically )?active|co-existing|coexisting|intercurrent|other|"      \
	"concomitant|concurrent)"
/* What may follow a condition and only qualifies it: what it needs, to
 * what (an allergy), when. The condition's leaf is unknown either way. */
#define CONDTAIL                                                               \
	"(?: (?:surface antigen|core antibody|antibod(?:y|ies)|antigen|rna|"   \
	"dna|viral load)(?: (?:positive|positivity))?| (?:positive|"            \
	"seropositive|positivity|seropositivity))?"                           \
	"(?: (?:>=|>) (?:ctcae )?(?:v\\d(?:\\.\\d+)? )?grade \\d)?"          \
	"(?: (?:to|against) (?:any of |one of )?(?:the )?(?:[RCXP]\\d+|"    \
	"study drugs?|study treatment|investigational product)(?: (?:or|,|"     \
	"and|and/or) (?:[RCXP]\\d+|study drugs?|its excipients|excipients))*)?"\
	"(?: (?:requiring|that (?:has |have )?required|that requires?|"        \
	"needing|which required|treated with) (?:(?:systemic|active|iv|"       \
	"intravenous|oral|ongoing|chronic|immunosuppressive|current|"          \
	"medical|parenteral) )*(?:therapy|treatment|antibiotics|steroids|"                \
	"corticosteroids|medication|hospitali[sz]ation|[CR]\\d+))?"          \
	"(?: (?:within|in) (?:the )?(?:(?:last|past|previous|preceding) )?"    \
	"(?:\\d+ )?" UNITW "(?: (?:prior to|before)(?: " ANCHORW ")*)?)?"    \
	"(?: despite (?:optimal )?(?:medical )?(?:treatment|therapy|"          \
	"management))?"                                                        \
	/* "CNS disorders known to increase possible neurotoxicity": which  \
	 * of them, a narrowing of a fact that stays unknown anyway */      \
	"(?:(?: (?:that|which) (?:are|is))? (?:known|likely|expected) to "    \
	"(?:increase|worsen|cause|affect)(?: (?:the|possible|potential))*"     \
	"(?: risk of)? (?:H\\d+|[a-z]+))?"
#define TLIST ITEMPRE TE "(?:" TSEP " " ITEMPRE TE ")*"
#define NEUTRALW                                                               \
	"(?:prior|previous|previously|received|receive|receiving|treated|"     \
	"treatment|treatments|therapy|therapies|with|exposure|exposed|to|of|"  \
	"history|had|have|has|been|undergone|underwent|undergo|any|other|a|"   \
	"an|the|use|administration|dose|doses|who|that|on|after|"              \
	"during|following|while|despite|in|for|by|>=|1|all|last|least|be|"     \
	"is|are|was|were|standard|care|soc|approved|nthline)"
#define FLAGW                                                                  \
	"(?:progressed|progression|progressing|progressive|disease|"           \
	"radiographic|radiological|documented|relapsed|relapse|recurred|"      \
	"recurrence|failed|failure|failing|refractory|resistant|resistance|"   \
	"intolerant|intolerance|intolerable|tolerate|unable|toxicity|"         \
	"toxicities|unacceptable|experienced|developed|demonstrated)"
#define CURW                                                                   \
	"(?:current|currently|concurrent|concurrently|concomitant|"            \
	"concomitantly|ongoing|simultaneous|simultaneously|being)"
#define SETW  "(?:adjuvant|neoadjuvant|perioperative)"
#define LEFTW "(?:" NEUTRALW "|" FLAGW "|" CURW "|" SETW ")"
#define LEFT                                                                   \
	"(?:" LEFTW "(?: ,)?(?: (?:or|and/or|and)(?=(?: ,)? (?:(?:were|was|"    \
	"are|is|have been|has been) )?(?:" FLAGW "|after|during|on|"           \
	"following|while)))?(?: ,)? )*"
#define SUFW                                                                   \
	"(?:refractory|failure|failed|resistant|intolerant|pretreated|"        \
	"exposed)"
#define LINEW                                                                  \
	"(?:lines?|regimens?|courses?|therapies|treatments|chemotherapies|"    \
	"schedules?)"
#define STAGEQ                                                                 \
	"stage (?:0|i{1,3}|iv|[1-4])[abc]?(?: (?:or|and|-|to|/) (?:stage )?"   \
	"(?:i{1,3}|iv|[1-4])[abc]?)?"
#define DQW                                                                    \
	"(?:metastatic|advanced|unresectable|resectable|locally advanced|"     \
	"locally recurrent|recurrent|relapsed|refractory|" STAGEQ "|"          \
	"histologically|cytologically|pathologically|histopathologically|"     \
	"confirmed|documented|proven|verified|diagnosed|diagnosis|primary|"    \
	"invasive|known|a|an|of|with)"
#define DLIST                                                                  \
	"D\\d+(?:(?: ,)?(?: (?:or|and|and/or|/))? (?:(?:other|any|another) "   \
	")?D\\d+)*"
#define SITEMET                                                                \
	"(?:metastases|metastasis|metastasises|metastatic disease|metastatic " \
	"lesions?|metastatic deposits?|mets|lesions?|involvement|"             \
	"carcinomatosis|deposits)"
#define BRAINMET                                                               \
	"(?:metastases|metastasis|metastasises|metastatic disease|metastatic " \
	"lesions?|mets|lesions?|involvement|disease)"
#define BQW                                                                    \
	"(?:active|untreated|progressing|progressive|unstable|uncontrolled|"   \
	"symptomatic|known|documented|clinically|significant|new|treated|"     \
	"stable|previously|radiographically|asymptomatic|existing|evidence|"   \
	"of|history|prior|suspected|presence|current|any|either|a|apparent)"
#define BPOSTW                                                                 \
	"(?:active|untreated|progressing|progressive|symptomatic|unstable|"    \
	"uncontrolled)"
#define BM_ITEM "(?:[GMV]\\d+|[a-z]\\d{2,4}[a-z])"
#define BM_EXONS                                                               \
	"(?:\\( )?(?:(?:in|at|on) )?(?:exons?|codons?) \\d{1,3}(?:(?: ,)?"     \
	"(?: (?:and|or|/))? \\d{1,3})*(?: \\))?"
#define BM_STATUS                                                              \
	"(?:mutated|wildtype|amplified|overexpressed|fusion|altered|positive|" \
	"negative|high|low|stable|deficient|proficient)"
#define BM_PRE "(?:" BM_STATUS "|activating|known|documented|confirmed) "
#define BM_PAREN                                                               \
	"\\( (?:[GMV]\\d+|exons?|\\d{1,3}|,|and|or|/|" BM_STATUS ")(?: "        \
	"(?:[GMV]\\d+|exons?|\\d{1,3}|,|and|or|/|" BM_STATUS "))* \\)"
#define BM_POST                                                                \
	"(?: " BM_STATUS "(?:(?: ,)? (?:or|and|and/or|/) " BM_STATUS ")*)"
#define BM_VAL                                                                 \
	"(?: (?<bcmp>>=|>|<=|<) (?<bv>" NUM ")(?: (?:mut/mb|mutations/mb|"     \
	"mut ?/ ?mb|mutations per megabase|mutations/megabase|muts/mb|"        \
	"mut/megabase|mutations/ mb|mutations / mb|mutations /megabase|"       \
	"mutations / megabase))?)"
#define BM_SPAN                                                                \
	"(?:" BM_PRE ")*" BM_ITEM "(?: " BM_EXONS ")?(?:" BM_POST ")?(?:(?: "  \
	",)?(?: (?:or|and|and/or|/))? (?:" BM_PRE ")*" BM_ITEM "(?: " BM_EXONS \
	")?(?:" BM_POST ")?)*(?:" BM_POST "|(?: " BM_EXONS ")|(?: " BM_PAREN   \
	"))*" BM_VAL "?"

/* Lab units (skeleton spelling). */
#define U_G9                                                                   \
	"(?:x )?(?:10 ?\\^ ?9|10 \\( 9 \\)|10e9|10\\*9|109|10 9) ?(?:cells "   \
	"?)?"                                                                  \
	"(?:/ ?|per )l|g/l|gi/l|giga/l|x 10\\^9/l"
#define U_G3                                                                   \
	"(?:x )?(?:10 ?\\^ ?3|10 \\( 3 \\)|10e3|103|10 3) ?(?:cells ?)?(?:/ "  \
	"?|"                                                                   \
	"per )(?:ul|mm3|mm\\^3|mcl|l)|k/ul|k/mm3|thousand/(?:ul|mm3)"
#define U_UL                                                                   \
	"(?:cells ?)?(?:/ ?|per )(?:ul|mm3|mm\\^3|mm\\^ 3|mcl|cu ?mm|cmm|"     \
	"microliters?|cubic millimeters?|mm 3)"
#define U_ML                                                                   \
	"(?:ml|cc) ?/ ?min(?:ute)?(?: ?/ ?1\\.73 ?m(?:2|\\^2| 2)| per 1\\.73 " \
	"?m(?:2|"                                                              \
	"\\^2))?|ml/min/1\\.73 ?m(?:2|\\^2)"
#define LAB_UNIT                                                               \
	"(?<uln>(?:x )?(?:the )?uln)|(?<g9>" U_G9 ")|(?<g3>" U_G3              \
	")|(?<ul>" U_UL                                                        \
	")|(?<gdl>g ?/ ?dl|gm ?/ ?dl|g ?%|gm ?%|g/100 ?ml)|(?<mgdl>mg ?/ ?"    \
	"dl|mg ?%)|(?<gl>g ?/ ?l)|(?<mmol>mmol ?/ "                            \
	"?l)|(?<umol>(?:umol|micromol|"                                        \
	"micromoles|micromole|mcmol|micromolar) ?/ ?l|um)|(?<ml>" U_ML ")|"    \
	"(?<bad>u ?/ ?l|iu ?/ ?l|iu|u|units ?/ ?l|mg/24h|mmol|mg)"
#define LIVER_COND                                                             \
	"(?:if|in|for|with|when|where|in case of|in the (?:presence|setting|"  \
	"case) of|in (?:patients|subjects|participants|those|cases) with|for " \
	"(?:patients|subjects|participants|those) with|if there (?:are|is)|"   \
	"due to|attributable to|because of|secondary to|in the event of|in "   \
	"(?:patients|subjects) who have|for patients who have|if (?:the )?"    \
	"patient has|in the presence of)"
#define LIVER_EXC                                                              \
	"(?:(?: \\()?(?: ,)?(?: or)?(?: " LIVER_COND                           \
	"(?: (?:known|documented))? (?<ls1>S\\d+) (?:metastases|metastasis|"   \
	"mets|involvement)(?: ,)?)? (?:(?:<=|<) )?(?<v2>" NUM ")(?: x)?(?: "   \
	"the)? uln(?: (?:is |are "                                             \
	")?(?:allowed|permitted|acceptable))?(?: " LIVER_COND                  \
	"(?: (?:known|documented|the presence of|"                             \
	"presence of|evidence of|underlying|confirmed))* (?<ls2>S\\d+) "       \
	"(?:metastases|metastasis|mets|involvement|lesions|disease|tumou?r "   \
	"involvement)(?: (?:are|is) present| present| persist| exist)?)?"      \
	"(?: \\))?)?"
#define LABEL_ITEM                                                             \
	"(?:(?:bone|S\\d+) marrow|marrow|hematologic(?:al)?|"                  \
	"haematologic(?:al)?|hematopoietic|haematopoietic|organ|end organ|"    \
	"renal|kidney|liver|S\\d+|coagulation|laboratory values?|labs?)"
#define LABS                                                                   \
	"L\\d+(?: \\( L\\d+ \\))?(?:(?: ,)?(?: (?:and|or|and/or|/))? L\\d+"    \
	"(?: \\( L\\d+ \\))?)*"
#define LABPRE                                                                 \
	"(?: (?:levels?|values?|count|counts|concentration|of|must be|should " \
	"be|is|are|:|=|(?:calculated|estimated|measured)(?: (?:by|using|per|"  \
	"according to) (?:the )?cockc?roft(?: -)? gault(?: (?:formula|"        \
	"equation|method))?)?|\\( (?:as )?(?:determined|calculated|estimated|" \
	"measured) (?:by|using|per|with) (?:the )?cockc?roft(?: -)? gault"    \
	"(?: (?:formula|equation|method))? \\)))*"

/* ------------------------------------------------------------------ */
/* Recognizers                                                         */
/* ------------------------------------------------------------------ */

static int h_kps(struct ctm_criteria_ctx *, size_t, size_t);
static int h_ecog(struct ctm_criteria_ctx *, size_t, size_t);
static int h_age(struct ctm_criteria_ctx *, size_t, size_t);
static int h_preg(struct ctm_criteria_ctx *, size_t, size_t);
static int h_measurable(struct ctm_criteria_ctx *, size_t, size_t);
static int h_lab(struct ctm_criteria_ctx *, size_t, size_t);
static int h_lab_wnl(struct ctm_criteria_ctx *, size_t, size_t);
static int h_brain(struct ctm_criteria_ctx *, size_t, size_t);
static int h_extrahepatic(struct ctm_criteria_ctx *, size_t, size_t);
static int h_site_limited(struct ctm_criteria_ctx *, size_t, size_t);
static int h_site(struct ctm_criteria_ctx *, size_t, size_t);
static int h_lines0(struct ctm_criteria_ctx *, size_t, size_t);
static int h_untreated(struct ctm_criteria_ctx *, size_t, size_t);
static int h_lines(struct ctm_criteria_ctx *, size_t, size_t);
static int h_since(struct ctm_criteria_ctx *, size_t, size_t);
static int h_naive(struct ctm_criteria_ctx *, size_t, size_t);
static int h_condition(struct ctm_criteria_ctx *, size_t, size_t);
static int h_response(struct ctm_criteria_ctx *, size_t, size_t);
static int h_therapy(struct ctm_criteria_ctx *, size_t, size_t);
static int h_biomarker(struct ctm_criteria_ctx *, size_t, size_t);
static int h_disease(struct ctm_criteria_ctx *, size_t, size_t);
static int h_resect(struct ctm_criteria_ctx *, size_t, size_t);
static int h_stage(struct ctm_criteria_ctx *, size_t, size_t);
static int h_metastatic(struct ctm_criteria_ctx *, size_t, size_t);

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

static const struct recognizer {
	const char *name;
	const char *pat[MAX_PIECES];
	handler_fn fn;
} recognizers[RX_COUNT_] = {
	[RX_KPS] =
		{"karnofsky",
		 {"(?:karnofsky(?: performance status| performance score| "
		  "performance scale| performance| score| index| ps| status)?"
		  "(?: \\( kps \\))?|kps)(?: (?:score|of|:|=|is|must be|should "
		  "be|must|be))* (?:(?<kcmp>>=|>) (?<kv>\\d{2,3})(?: %)?|"
		  "(?<ka>\\d{2,3})(?: %)? ?(?:-|to) ?(?<kb>\\d{2,3})(?: %)?|"
		  "(?<kc>\\d{2,3})(?: %)? or (?:greater|higher|more|above|"
		  "better))"},
		 h_kps},
	[RX_ECOG] =
		{"ecog",
		 {"(?:(?:(?:eastern cooperative oncology group|ecog|who|world "
		  "health organi[sz]ation|zubrod)(?: \\( (?:ecog|who) \\))?"
		  "(?: performance status| performance score| performance "
		  "scale| performance| ps)?(?: \\( (?:ps|ecog ps|ecog|who ps|"
		  "ecog-ps) \\))?|performance status(?: \\( ps \\))?(?: :)?"
		  "(?: (?:ecog|who|zubrod))?)(?: (?:score|grade|of|:|=|is|"
		  "must be|should be|must|be))* (?:(?<ea>[0-4]) ?(?:-|to) ?"
		  "(?<eb>[0-4])|(?<ec>[0-4](?: , [0-4])*(?: ,)? (?:or|and|"
		  "and/or) [0-4])|(?<ecmp><=|<) (?<ed>[0-4])|(?<ee>[0-4]) or "
		  "(?:less|lower|better|below)|(?<eh>[0-4]) or (?:more|"
		  "greater|higher|above|worse)|(?<egc>>=|>) (?<eg>[0-4])|"
		  "(?<ef>[0-4])(?![.\\d])))"},
		 h_ecog},
	[RX_AGE] =
		{"age",
		 {"(?:(?:age|aged|age :) >= (?<aa3>\\d{1,3})(?: years?(?: "
		  "old| of age)?)? and <= (?<ab3>\\d{1,3})(?: years?(?: old| "
		  "of age)?)?|>= (?<aa4>\\d{1,3}) years?(?: old| of age)? and <= "
		  "(?<ab4>\\d{1,3}) years?(?: old| of age)?|(?:age|aged|age :)(?: (?:of|is|must be|should be))? "
		  "(?<acmp>>=|>|<=|<) (?<av>\\d{1,3})(?: years?(?: old| of "
		  "age)?)?|(?:age|aged|age :)(?: (?:of|is|between|from))? "
		  "(?<aa>\\d{1,3})(?: years?)? (?:-|to|and) (?<ab>\\d{1,3})"
		  "(?: years?(?: old| of age)?)?|(?:(?:aged?|age :) "
		  "(?<ac>\\d{1,3})(?: years?(?: of age| old)?)?|"
		  "(?<ac2>\\d{1,3}) years?(?: of age| old)?) (?:or|and) "
		  "(?:older|above|over|greater|more)|(?<ac3>\\d{1,3}) "
		  "(?:or|and) (?:older|over)|(?<acmp2>>=|>) (?<av2>\\d{1,3}) years?"
		  "(?: of age| old)?|(?<aa2>\\d{1,3})-(?<ab2>\\d{1,3}) years"
		  "(?: of age| old)?)(?: (?:at|on) (?:the )?(?:time|date|day)"
		  " of (?:signing )?(?:the )?(?:written )?(?:informed "
		  "consent(?: form)?|icf|consent|screening|enrollment|"
		  "registration|study entry))?"},
		 h_age},
	[RX_PREG] = {"pregnancy",
		     {"(?:currently )?(?:pregnant|pregnancy|breast feeding|"
		      "breastfeeding|breast fed|lactating|lactation|nursing)"},
		     h_preg},
	[RX_MEASURABLE] =
		{"measurable",
		 {"(?:(?:per )?recist(?: v?1\\.[01])? )?(?:(?:>= 1|1|a)"
		  " )?(?:(?:uni|bi)dimensionally )?measurable (?<msite>S\\d+ )?(?:"
		  "disease|lesions?|tumou?r lesions?|tumou?rs?|target lesions?|"
		  "disease lesions?)(?: \\()?(?: (?:as )?(?:per|by|according "
		  "to|as defined by|defined by|using|based on|as "
		  "assessed by|as per|as determined by|as measured by|"
		  "in accordance with)(?: the)? (?:recist|response "
		  "evaluation criteria in solid tumou?rs)(?: \\( "
		  "recist \\))?(?: (?:criteria|guidelines?))?(?: "
		  "(?:v|version|v\\.) ?1\\.[01]| v?1\\.[01])?(?: "
		  "(?:criteria|guidelines?))?)?(?: \\))?"},
		 h_measurable},
	[RX_LAB] =
		{"lab",
		 {"(?<labs>" LABS ")" LABPRE " (?<cmp>>=|<=|>|<|=) (?<v>" NUM
		  ")(?: ?(?:" LAB_UNIT "))?(?: \\( (?:calculated |estimated "
		  ")?(?:by |using |per |according to )?(?:the )?cockc?roft "
		  "gault(?: (?:formula|equation|method))? \\)| (?:calculated "
		  "|estimated )?(?:by|using|per|according to) (?:the )?"
		  "cockc?roft gault(?: (?:formula|equation|method))?)?"
		  /* the same bound restated in other units */
		  "(?: \\( (?:or )?(?:>=|<=|>|<) " NUM
		  "(?: x)? ?[a-z0-9^/. ]{1,16}"
		  " \\))?" LIVER_EXC},
		 h_lab},
	[RX_LAB_WNL] =
		{"lab-normal",
		 {"(?<labs>" LABS ")(?: (?:levels?|values?))?(?: (?:must "
		  "be|should be|is|are))? (?:within (?:the )?"
		  "(?:institutional )?normal (?:limits|range)|wnl|within "
		  "normal institutional limits|<= uln|< uln|normal)"},
		 h_lab_wnl},
	[RX_BRAIN] =
		{"brain",
		 {"(?:" BQW "(?: (?:,|or|and|and/or|/))? )*(?:B\\d+(?: (?:,|"
		  "or|and|and/or|/) S\\d+)? " BRAINMET "|(?:metastases|"
		  "metastasis|metastatic disease|spread|involvement) (?:to|"
		  "in|of|involving) (?:the )?B\\d+)(?:(?: (?:that|which|who)"
		  " (?:are|is|were|have|has)(?: been)?)? " BPOSTW "(?: "
		  "(?:or|and|and/or|,) " BPOSTW ")*|"
		  /* "brain metastases, untreated or symptomatic", not
		   * "brain metastases, uncontrolled hypertension" */
		  " , " BPOSTW "(?: (?:or|and|and/or|,) " BPOSTW ")*"
		  "(?= ,| \\.| ;| \\)| or | and |$))?"
		  /* "whether or not previously treated", "treated or
		   * untreated": any brain metastases */
		  "(?<anyt>(?: ,)? (?:whether or not (?:previously )?treated|"
		  "(?:whether |either )?(?:previously )?(?:treated or "
		  "untreated|untreated or treated)|regardless of (?:prior )?"
		  "treatment(?: status)?))?"
		  "(?<unless2>(?: \\()?(?: ,)? (?:unless|except(?: if)?) (?:"
		  "clinically |radiographically |radiologically |"
		  "neurologically )?stable(?: per protocol| as defined in "
		  "the protocol)?(?: \\))?)?"
		  "(?<unless>(?: ,)? "
		  "(?:unless|except(?: for| if| when| in| those)?|other than|"
		  "excluding|with the exception of|however|but) (?:(?:"
		  "patients|subjects|participants|those|they|it|metastases|"
		  "lesions|who|that|which|with|are|is|have|has|been|were|"
		  "had|if|the) )*(?:(?:adequately|previously|definitively|"
		  "appropriately|locally) )?treated"
		  /* "treated >= 4 weeks before entry and stable" */
		  "(?: (?:for |over )?(?:>= )?\\d+ (?:days?|weeks?|months?)"
		  "(?: (?:prior to|before)(?: " ANCHORW ")*)?)?"
		  "(?: (?:and|,|with))?"
		  "(?: (?:are|is|remain|remained|have been|has been|now))?"
		  "(?: (?:clinically|radiographically|radiologically|"
		  "neurologically))? (?:stable|asymptomatic|without "
		  "evidence of progression)(?: (?:for|>=|over|during)"
		  "(?: (?:>=))? \\d+ (?:days?|weeks?|months?))?(?: (?:prior "
		  "to|before)(?: " ANCHORW ")*)?(?:(?: (?:and|,))? (?:off|not "
		  "(?:requiring|on)|without(?: the need for)?|no longer "
		  "(?:requiring|on)) (?:steroids|corticosteroids|steroid "
		  "therapy|corticosteroid therapy|steroid treatment|C\\d+)(?: "
		  "(?:for|>=) (?:>= )?\\d+ (?:days?|weeks?))?)?)?",
		  /* "... Patients with treated brain metastases are
		   * eligible": the exception, written as a sentence */
		  "(?<treated>(?: \\.| ;)? (?:patients|participants|subjects) "
		  "with (?:(?:previously|adequately|definitively) )?treated"
		  "(?: (?:and|,) (?:clinically |radiographically |"
		  "radiologically |neurologically )?stable)? (?:B\\d+ "
		  "(?:metastases|metastasis|disease|lesions)|metastases)"
		  "(?: for >= \\d+ (?:days?|weeks?|months?))?(?: (?:and|,) "
		  "(?:off|not (?:requiring|on)|without) (?:steroids|"
		  "corticosteroids|C\\d+))? (?:are|may be|will be) (?:eligible|"
		  "allowed|permitted))?",
		  /* "... Patients with brain metastases are eligible only if
		   * the metastases were treated and are stable ..." */
		  "(?<treated2>(?: \\.| ;)? (?:patients|participants|"
		  "subjects) with (?:B\\d+ (?:metastases|metastasis|disease|"
		  "lesions)|metastases) (?:are|may be|will be|can be) "
		  "(?:eligible|allowed|permitted|included) (?:only )?if "
		  "(?:(?:the|these|such|their) (?:metastases|lesions) |they "
		  "|it )?(?:(?:were|are|have been|has been|was|is) )?"
		  "(?:(?:adequately|previously|definitively|locally) )?"
		  "treated(?: ,)? and(?: (?:are|is|remain|have been|has "
		  "been))?(?: (?:clinically|radiographically|radiologically|"
		  "neurologically))? (?:stable|asymptomatic)(?: (?:for|>=|"
		  "over)(?: >=)? \\d+ (?:days?|weeks?|months?))?(?: (?:prior "
		  "to|before)(?: " ANCHORW ")*)?(?:(?: ,)? (?:with|and) (?:no|"
		  "without)(?: ongoing)?(?: need for| requirement for)? "
		  "(?:steroids|corticosteroids|steroid requirement|"
		  "corticosteroid requirement|steroid therapy|steroid "
		  "treatment|C\\d+(?: requirement)?))?)?"},
		 h_brain},
	[RX_EXTRAHEP] = {"extrahepatic",
			 {"extra ?hepatic (?:metastases|metastasis|metastatic "
			  "disease|disease|mets|spread|tumou?r)"
			  /* "..., except resectable pulmonary metastases" */
			  "(?<exc> , (?:except|other than|apart from|excluding)"
			  "(?: for)? (?<exr>resectable )?(?:limited |isolated |"
			  "small )?(?<exs>S\\d+) (?:metastases|metastasis|nodules|"
			  "lesions|disease|mets))?"},
			 h_extrahepatic},
	[RX_SITE_LIMITED] = {"site-limited",
			     {"(?:(?:isolated|exclusive|only) )?S\\d+ (?:only|"
			      "limited|confined|restricted|exclusive|alone)(?: "
			      "(?:" SITEMET "|disease))?|(?:isolated|only|"
			      "exclusive|exclusively) S\\d+ " SITEMET
			      "|(?:" SITEMET
			      "|disease|metastatic disease) (?:(?:that "
			      "is|which is|that are|which are) )?(?:confined|"
			      "limited|restricted|isolated) (?:to|in) (?:the )?"
			      "S\\d+(?: only)?|S\\d+ (?:as the )?(?:only|sole|"
			      "single) (?:site|organ)(?: of (?:" SITEMET
			      "|metastatic disease|disease))?"},
			     h_site_limited},
	[RX_SITE] =
		{"site",
		 {"(?:(?:pre)?dominant(?:ly)? )?"
		  "S\\d+(?: (?:,|or|and|and/or|/) S\\d+)*(?: (?:pre)?dominant)? "
		  "(?:" SITEMET "|(?<sd>disease))|(?:metastases|metastasis|"
				"metastatic disease|"
		  "spread|metastasized|metastasised|metastatic) (?:to|in|"
		  "involving|within) (?:the )?S\\d+(?: (?:,|or|and|and/or|/)"
		  " (?:the )?S\\d+)*"},
		 h_site},
	[RX_LINES0] =
		{"no-prior-for-metastatic",
		 {"(?:no|without|not received any|not have received any|"
		  "have not received any|not had any|has not received any) "
		  "(?:prior |previous )?(?:systemic |anticancer |anti "
		  "cancer )?(?:treatment|therapy|therapies|treatments) "
		  "(?:for|in) (?:the )?" SETADJ " (?:setting|disease|"
		  "D\\d+|cancer)"},
		 h_lines0},
	[RX_UNTREATED] = {"untreated",
			  {"(?:previously |systemically )?untreated (?:(?:for|"
			   "in) (?:the )?)?(?<set>" SETADJ ")(?: (?<d>D\\d+)| "
			   "(?:setting|disease|cancer))?"},
			  h_untreated},
	[RX_LINES] = {"lines",
		      {"(?<lpre>(?:(?:" NEUTRALW "|" FLAGW ")(?: ,)?(?: or(?: ,)?)?"
		       " )*)(?:(?<lcmp>>=|>|<=|<) "
		       "(?<ln>\\d+)(?! and <=)|(?<la>\\d+) (?:-|to|or) (?<lb>\\d+)|"
		       ">= (?<la3>\\d+) and <= (?<lb3>\\d+)|"
		       "(?<la2>\\d+)-(?<lb2>\\d+)|(?<lm>\\d+) or (?<lmore>more|"
		       "greater|fewer|less|higher|above))(?: (?:prior|previous|"
		       "preceding|earlier|standard|systemic|palliative|"
		       "treatment|therapeutic|anticancer|anti cancer|C\\d+))* (?:" LINEW
		       "|C\\d+)(?: (?:of|with) (?:(?:prior|previous|systemic|"
		       "standard|palliative|anticancer) )*(?:C\\d+|therapy|"
		       "treatment|treatments|chemotherapy|systemic therapy|"
		       "treatment regimens?))?(?: " SETTING ")?"},
		      h_lines},
	[RX_SINCE] =
		{"since",
		 {"(?<scmp>>=|>) (?<sn>\\d+) (?<su>" UNITW ") (?:(?:must "
		  "have |have |has )?(?:elapsed|passed) )?(?:since|from|"
		  "after|between) (?:(?:the|prior|last|previous|completion|"
		  "end|final|dose|doses|of|any|a|administration|treatment|"
		  "therapy|with|receipt|discontinuation|stopping|"
		  "(?<sadj>adjuvant|neoadjuvant)) )*"
		  "(?<tl>" TLIST ")(?: and (?:the )?(?:first dose|start|"
		  "initiation|enrollment|registration|randomization)(?:"
		  " " ANCHORW ")*)?|",
		  "(?:" LEFT ")?(?<tl2>" TLIST ") (?:(?:must|"
		  "should|will|to|be|have|has|been|was|were|is|are|"
		  "completed|complete|discontinued|stopped|finished|ended|"
		  "received|administered|given|last|dose|of|the) )*"
		  "(?<scmp2>>=|>) (?<sn2>\\d+) (?<su2>" UNITW ") (?:prior to|"
		  "before|since|preceding|from)(?: " ANCHORW ")*"},
		 h_since},
	[RX_NAIVE] = {"naive",
		      {"(?<tl>" TLIST ") naive|naive to (?<tl2>" TLIST ")"},
		      h_naive},
	/* "stable disease after >= 12 weeks of irinotecan": a response the
	 * reader does not model, to a therapy it does */
	[RX_RESPONSE] = {"response",
			 {"(?:stable disease|(?:(?:complete|partial|objective|"
			  "clinical|radiologic(?:al)?|durable|major) )?"
			  "response|responded|responsive(?: disease)?)"
			  "(?: (?:or|and/or|,) (?:better|stable disease|"
			  "(?:(?:complete|partial) )?response|responsive "
			  "disease))* (?:after|to|following|on|with|during)"
			  "(?: (?:a|an|the|>=|>|\\d+|minimum|of|" UNITW "|"
			  "cycles?|courses?|doses?|prior|previous|initial|"
			  "induction|first|line|nthline|their|most|recent|"
			  "last))* (?<tl>" TLIST ")"},
			 h_response},
	[RX_THERAPY] = {"therapy",
			{"(?<left>" LEFT ")", "(?<tl>" TLIST ")",
			 "(?<right>(?: (?:" SETTING "|" WITHIN "|" SUFW "))"
			 "{0,3})"},
			h_therapy},
	[RX_BIOMARKER] = {"biomarker", {BM_SPAN}, h_biomarker},
	/* "known HIV infection", "uncontrolled hypertension or active
	 * infection": conditions other than the cancer, and their list */
	[RX_CONDITION] = {"condition",
			  {"(?:(?<=and )(?<cno>no ))?"
			   "(?:" CONDQ "(?: (?:,|or|and|and/or|/))? )*(?<hl>"
			   "H\\d+" CONDTAIL "(?:(?: ,)?(?: (?:or|and|and/or|/))?"
			   "(?: (?:" CONDQ "))* H\\d+" CONDTAIL ")*)"
			   "(?<hneg> (?:negative|seronegative|not detected))?"},
			  h_condition},
	[RX_DISEASE] = {"disease",
			{"(?:" DQW "(?: (?:,|or|and|and/or|/))* )*(?<dl>" DLIST
			 ")(?: (?:other than|except(?: for)?|excluding|apart "
			 "from) (?<ex>" DLIST "))?"},
			h_disease},
	[RX_RESECT] =
		{"resectable",
		 {"(?:(?<adv>advanced|metastatic|distant) )?(?:(?:disease|metastases|"
		  "metastatic disease|tumou?rs?) "
		  "(?:(?:that is|which is|is|are|deemed|considered|"
		  "judged|must be) )*)?(?:unresectable|resectable)(?: "
		  "(?:disease|metastases|metastatic disease|tumou?rs?))?"},
		 h_resect},
	[RX_STAGE] = {"stage", {STAGEQ}, h_stage},
	[RX_METASTATIC] = {"metastatic",
			   {"(?:distant )?(?:metastatic disease|metastases|"
			    "metastasis|metastatic|m1 disease|m1)"},
			   h_metastatic},
	[RX_STRIP_LEAD] = {"strip-lead",
			   {"^(?:(?:\\d{1,2}|[a-z]|[ivx]{1,4}) (?:\\.|\\))|\\( "
			    "[a-z0-9]{1,3} \\)|[-*+o]|\\d{1,2}\\.\\d{1,2}) "},
			   NULL},
	[RX_STRIP_TAIL] = {"strip-tail",
			   {"(?: (?:\\.|;|,|:|and|(?<or>or|and/or)))+$"},
			   NULL},
	[RX_LAB_LABEL] =
		{"lab-label",
		 {"(?:^|(?<=[;,:] ))(?:adequate )?" LABEL_ITEM "(?:(?: "
		  "(?:and|,))? " LABEL_ITEM ")*(?: (?:function|reserve|"
		  "status|parameters|values))?(?:(?: (?:as )?(?:defined|"
		  "evidenced|demonstrated|indicated|shown|assessed) "
		  "by(?: the following)?(?: (?:laboratory )?values)?)"
		  "(?: :)?|(?: (?:within \\d+ days?|at screening))? :"
		  "|(?: ,)? defined as(?: :)?|(?= \\( L\\d+))"},
		 NULL},
	[RX_COHORT] =
		{"cohort",
		 {"\\b(?:cohorts?|arms?|parts?|phase|(?<!oncology "
		  ")groups?|dose "
		  "escalation|dose expansion|expansion|escalation|modules?"
		  "|stage 1|stage 2|substudy|sub-study|portion)\\b"},
		 NULL},
	/* headings (case-insensitive): groups of people other than the
	 * patient, permissions, exceptions */
	[RX_H_REVIEW] =
		{"heading-review",
		 {"\\b(?:donors?|recipients?|volunteers?|healthy|"
		  "caregivers?|partners?|controls?|unless|except|"
		  "amendment|optional|sub-?stud(?:y|ies)|studies)\\b|"
		  "\\bconsidered\\b|\\bmeasurable\\b|"
		  "\\b(?:efficacy|safety|pilot|main|extension|"
		  "pharmacokinetic|imaging|biopsy|run-in|screening) "
		  "(?:study|portion|phase|cohort|part)\\b|"
		  "\\beligib\\w* for\\b(?! (?:th(?:is|e) (?:study|trial)|"
		  "entry|enrol\\w*|participation|inclusion))|"
		  "\\b(?:inclusion|exclusion|eligibility) (?:criteria )?"
		  "(?:for|in)\\b(?! (?:all|th(?:is|e) (?:study|trial))\\b)|"
		  "(?<!not )(?<!n't )\\b(?:allowed|permitted)\\b"},
		 NULL},
	/* alternatives: the criteria below are ORed, not ANDed */
	[RX_H_ALT] =
		{"heading-alternatives",
		 {"\\b(?:one|1|any|either|at least (?:one|1|\\d+)|one or "
		  "more|1 or more|\\d+ or more) of\\b|\\bincluding\\b|\\bsuch "
		  "as\\b|\\bsub-?types?\\b|\\btypes\\b|\\beither\\b"},
		 NULL},
	[RX_H_ALL] = {"heading-all", {"\\b(?:all|both) of\\b"}, NULL},
	[RX_H_NEG] = {"heading-negation",
		      {"\\b(?:no|not(?! "
		       "limited)|without|never|none|excluded|exclude|"
		       "ineligible|prohibited)\\b|n't\\b"},
		      NULL},
	[RX_H_WITHIN] = {"heading-within",
			 {"\\b(?:within|in the (?:last|past)|for a minimum of) "
			  "(?<hn>\\d+) (?<hu>days?|weeks?|months?)\\b"},
			 NULL},
	[RX_H_TIME] = {"heading-time",
		       {"\\b(?:days?|weeks?|months?|years?|hours?)\\b"},
		       NULL},
	[RX_H_CURRENT] = {"heading-current",
			  {"\\b(?:concurrent|concomitant|current|during)\\b"},
			  NULL},
	[RX_H_PRIOR] = {"heading-prior", {"\\b(?:prior|previous)\\b"}, NULL},
	/* PDQ labels whose words the criterion needs ("Age: 18 and over") */
	[RX_H_LABEL] = {"heading-label",
			{"(?:^|: )(?<lab>age|performance status)$"},
			NULL},
	/* "...; KRAS G12C is allowed in dose escalation only": one more
	 * admitted group, limited to a part of the study */
	[RX_COHORT_ONLY] =
		{"cohort-only",
		 {"^(?<main>.{8,}?)\\s*;\\s*(?<alt>[^;.()]{2,80}?)\\s+(?:is|are)"
		  "\\s+(?:only\\s+)?(?:allowed|permitted|eligible)\\s+(?:only"
		  "\\s+)?(?:in|for)\\s+(?:the\\s+)?(?:dose[- ]escalation|dose[- ]"
		  "expansion|escalation|expansion)(?:\\s+(?:part|phase|portion|"
		  "cohorts?|stage|arm))?(?:\\s+only)?\\s*\\.?\\s*$"},
		 NULL},
	/* "Active liver metastases, or liver metastases treated within the
	 * last 6 months (patients whose liver metastases were resected or
	 * ablated more than 6 months earlier with no recurrence may
	 * enroll)" */
#define PNUM "(?:\\d+|one|two|three|four|five|six|twelve)"
#define PUNIT "(?:days?|weeks?|months?|years?)"
#define PMET "(?:metastases|metastasis|metastatic disease|lesions)"
	[RX_SITE_PERMIT] =
		{"site-permission",
		 {"^\\s*(?:active|untreated|progressing|progressive) (?<site>"
		  "[a-z]+) " PMET ",?\\s+or\\s+\\k<site> " PMET " (?:that "
		  "(?:were|have been) )?(?:treated|resected|ablated) within the "
		  "(?:last|past|previous|preceding) " PNUM " " PUNIT
		  "\\s*[(;,]\\s*(?:patients|participants|subjects) (?:whose|"
		  "with) \\k<site> " PMET " (?:were|have been|had been|was) "
		  "(?:(?:surgically |completely )?(?:resected|ablated|removed)"
		  "(?: (?:or|and/or|and) (?:ablated|resected))?) (?:more than|"
		  "over|>|at least) " PNUM " " PUNIT " (?:earlier|ago|before|"
		  "previously|prior(?: to (?:enrol+ment|registration|"
		  "randomi[sz]ation|study entry))?)(?:,? (?:with|and) no "
		  "(?:evidence of )?(?:recurrence|relapse|progression))? "
		  "(?:may|can|are eligible to|are allowed to) (?:enrol+|"
		  "participate|be enrol+ed|be included)\\s*\\)?\\s*\\.?\\s*$"},
		 NULL},
#undef PNUM
#undef PUNIT
#undef PMET
	[RX_EXCL_ODD] = {"exclusion-odd",
			 {"\\b(?:other|concurrent(?:ly)?|concomitant(?:ly)?|"
			  "within|current(?:ly)?|since)\\b"},
			 NULL},
};

/*
 * Literals ('|'-separated) one of which the skeleton holds wherever the
 * recognizer can match; upper-case letters are placeholders (the rest of
 * the skeleton is lower case). A recognizer whose literals are absent is
 * not run: a PCRE2 scan that finds nothing costs as much as one that does.
 */
static const char *const rx_need_text[RX_COUNT_] = {
	[RX_KPS] = "karnofsky|kps",
	[RX_ECOG] = "ecog|who|zubrod|eastern|world|performance",
	[RX_AGE] = "age|year|>|older|above|over|greater|more",
	[RX_PREG] = "pregnan|breast|lactat|nursing",
	[RX_MEASURABLE] = "measurable",
	[RX_LAB] = "L",
	[RX_LAB_WNL] = "L",
	[RX_BRAIN] = "B",
	[RX_EXTRAHEP] = "hepatic",
	[RX_SITE_LIMITED] = "S",
	[RX_SITE] = "S",
	[RX_LINES0] = "treatment|therap",
	[RX_UNTREATED] = "untreated",
	[RX_LINES] = "line|regimen|course|therapies|treatments|"
		     "chemotherapies|schedule|C",
	[RX_SINCE] = ">",
	[RX_NAIVE] = "naive",
	[RX_RESPONSE] = "stable|respon",
	[RX_THERAPY] = "R|C|X|P",
	[RX_BIOMARKER] = "G|M|V",
	[RX_CONDITION] = "H",
	[RX_DISEASE] = "D",
	[RX_RESECT] = "resectable",
	[RX_STAGE] = "stage",
	[RX_METASTATIC] = "metasta|m1",
	[RX_LAB_LABEL] = ":|by|defined|( L",
	[RX_COHORT] = "cohort|arm|part|phase|group|escalation|expansion|"
		      "module|stage 1|stage 2|substud|sub-stud|portion",
};

/* True if s[0,n) contains w[0,wl) (memmem is not C11). */
static int contains(const char *s, size_t n, const char *w, size_t wl)
{
	const char *p = s, *end = s + n;

	while (wl && (size_t)(end - p) >= wl &&
	       (p = memchr(p, w[0], (size_t)(end - p) - wl + 1)) != NULL) {
		if (!memcmp(p, w, wl))
			return 1;
		p++;
	}
	return 0;
}

/*
 * What a text may hold, for the literal filters: its bytes, and its byte
 * pairs hashed into 4096 bits. A literal some of whose bytes or pairs are
 * missing is not in the text; one that passes is searched for.
 */
typedef struct textset {
	uint64_t bytes[4];
	uint64_t pairs[64];
} textset;

static unsigned pair_hash(unsigned char a, unsigned char b)
{
	return ((unsigned)a * 131u + b) & 4095u;
}

static void textset_build(textset *ts, const char *s, size_t n)
{
	size_t i;

	memset(ts, 0, sizeof(*ts));
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		ts->bytes[c >> 6] |= 1ull << (c & 63);
		if (i + 1 < n) {
			unsigned h = pair_hash(c, (unsigned char)s[i + 1]);
			ts->pairs[h >> 6] |= 1ull << (h & 63);
		}
	}
}

static int may_hold(const textset *ts, const char *w, size_t wl)
{
	size_t i;

	for (i = 0; i < wl; i++) {
		unsigned char c = (unsigned char)w[i];
		if (!(ts->bytes[c >> 6] & (1ull << (c & 63))))
			return 0;
		if (i + 1 < wl) {
			unsigned h = pair_hash(c, (unsigned char)w[i + 1]);
			if (!(ts->pairs[h >> 6] & (1ull << (h & 63))))
				return 0;
		}
	}
	return 1;
}

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

static void litset_init(litset *ls, const char *need)
{
	ls->n = 0;
	while (need && *need && ls->n < MAX_LITS) {
		const char *bar = strchr(need, '|');
		size_t l = bar ? (size_t)(bar - need) : strlen(need);
		if (l) {
			unsigned char a = (unsigned char)need[0];
			unsigned h = l > 1 ? pair_hash(a, (unsigned char)need[1])
					   : a;
			ls->l[ls->n].s = need;
			ls->l[ls->n].len = l;
			ls->l[ls->n].pairs = l > 1;
			ls->l[ls->n].word = (uint8_t)(h >> 6);
			ls->l[ls->n].bit = 1ull << (h & 63);
			ls->n++;
		}
		if (!bar)
			break;
		need = bar + 1;
	}
}

/*
 * True if s[0,n) (described by ts, which may describe a superset of it)
 * may hold one of the literals; an empty set always passes.
 */
static int has_any(const litset *ls, const textset *ts, const char *s,
		   size_t n)
{
	size_t i;

	if (!ls->n)
		return 1;
	for (i = 0; i < ls->n; i++) {
		const uint64_t *set = ls->l[i].pairs ? ts->pairs : ts->bytes;
		if (!(set[ls->l[i].word] & ls->l[i].bit) ||
		    !may_hold(ts, ls->l[i].s, ls->l[i].len))
			continue;
		if (ls->l[i].len == 1 || contains(s, n, ls->l[i].s,
						   ls->l[i].len))
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Parser and context                                                  */
/* ------------------------------------------------------------------ */

struct ctm_criteria_parser {
	const ctm_lexicon *lx;
	crules rules;
	pcre2_code **rw; /* rules.n_rw compiled rewrites */
	litset *rw_need;
	pcre2_code *re[RX_COUNT_];
	litset rx_need[RX_COUNT_];
	ctm_concept brain, liver, lepto, systemic, chemo, other_site,
		cancer, any_therapy, any_local;
};

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
	char text[BUF_CAP / 2];
};

static void free_codes(ctm_criteria_parser *p)
{
	size_t i;

	for (i = 0; p->rw && i < p->rules.n_rw; i++)
		pcre2_code_free(p->rw[i]);
	free(p->rw);
	free(p->rw_need);
	crules_free(&p->rules);
	for (i = 0; i < RX_COUNT_; i++)
		pcre2_code_free(p->re[i]);
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
		p->rw_need = calloc(p->rules.n_rw + 1, sizeof(*p->rw_need));
		if (!p->rw || !p->rw_need)
			rc = ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
					   "out of memory");
	}
	for (i = 0; rc == 0 && i < p->rules.n_rw; i++)
		litset_init(&p->rw_need[i], p->rules.rw[i].need);
	for (i = 0; i < RX_COUNT_; i++)
		litset_init(&p->rx_need[i], rx_need_text[i]);
	for (i = 0; rc == 0 && i < p->rules.n_rw; i++) {
		const char *pat = p->rules.rw[i].pat;
		rc = compile_one(&p->rw[i], p->rules.rw[i].name, &pat, 1,
				 PCRE2_CASELESS, 0, err);
		if (rc) {
			/* the rule file's line, not only the pattern's name */
			snprintf(err->file, sizeof(err->file), "%s",
				 "rewrites.tsv");
			err->line = p->rules.rw[i].line;
		}
	}
	for (i = 0; i < RX_COUNT_ && rc == 0; i++) {
		int wrap = i < N_RECOGNIZERS;
		rc = compile_one(&p->re[i], recognizers[i].name,
				 recognizers[i].pat, MAX_PIECES,
				 i >= RX_COHORT ? PCRE2_CASELESS : 0, wrap,
				 err);
	}
	if (rc) {
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

/* Records why a sentence stays review (first reason wins) and rejects. */
static int reject(struct ctm_criteria_ctx *x, const char *why)
{
	if (!x->reason[0])
		snprintf(x->reason, sizeof(x->reason), "%s", why);
	return R_REJECT;
}

static size_t tokenize(const char *s, size_t n, tok *t, size_t max);
static int teq(const tok *t, const char *w);
static int ph_index(const struct ctm_criteria_ctx *x, const tok *t,
		    const char *letters);

/* ------------------------------------------------------------------ */
/* Stage 1: normalize                                                  */
/* ------------------------------------------------------------------ */

static size_t put_s(char *out, size_t n, size_t cap, const char *s)
{
	while (*s && n + 1 < cap)
		out[n++] = *s++;
	return n;
}

/* UTF-8 sequences mapped to ASCII. */
static const struct {
	const char *utf8, *ascii;
} umap[] = {
	{"\xE2\x89\xA5", " >= "}, {"\xE2\x89\xA4", " <= "},
	{"\xE2\x89\xA7", " >= "}, {"\xE2\x89\xA6", " <= "},
	{"\xEF\xBC\x9E", " > "},  {"\xEF\xBC\x9C", " < "},
	{"\xE2\xA9\xBE", " >= "}, {"\xE2\xA9\xBD", " <= "},
	{"\xC3\x97", " x "},	  {"\xC2\xB5", "u"},
	{"\xCE\xBC", "u"},	  {"\xE2\x80\x93", "-"},
	{"\xE2\x80\x94", "-"},	  {"\xE2\x88\x92", "-"},
	{"\xE2\x80\x90", "-"},	  {"\xE2\x80\x91", "-"},
	{"\xE2\x80\x98", "'"},	  {"\xE2\x80\x99", "'"},
	{"\xE2\x80\x9C", "\""},	  {"\xE2\x80\x9D", "\""},
	{"\xC2\xA0", " "},	  {"\xE2\x80\x89", " "},
	{"\xE2\x80\xAF", " "},	  {"\xE2\x80\x8B", ""},
	{"\xE2\x80\xA2", " "},	  {"\xE2\x97\x8F", " "},
	{"\xC2\xB7", " "},	  {"\xEF\x82\xB7", " "},
	{"\xC2\xB3", "^3"},	  {"\xC2\xB2", "^2"},
	{"\xC2\xB9", "^1"},	  {"\xE2\x81\xB9", "^9"},
	{"\xE2\x81\xB0", "^0"},	  {"\xE2\x81\xB6", "^6"},
	{"\xC3\xAF", "i"},	  {"\xC3\xA9", "e"},
	{"\xC3\xB6", "o"},	  {"\xC3\xBC", "u"},
	{"\xE2\x80\xA6", "..."},  {"\xC2\xB0", " degrees "},
	{"\xE2\x89\xA0", " != "}, {"\xC2\xB1", " +/- "},
};

static size_t normalize(const char *in, size_t len, char *out, size_t cap)
{
	size_t i = 0, n = 0, k;

	while (i < len && n + 8 < cap) {
		unsigned char c = (unsigned char)in[i];
		if (c >= 0x80) {
			int done = 0;
			for (k = 0; k < sizeof(umap) / sizeof(umap[0]); k++) {
				size_t ul = strlen(umap[k].utf8);
				if (i + ul <= len &&
				    !memcmp(in + i, umap[k].utf8, ul)) {
					n = put_s(out, n, cap, umap[k].ascii);
					i += ul;
					done = 1;
					break;
				}
			}
			if (!done)
				out[n++] = in[i++];
			continue;
		}
		if (c == '\\' && i + 1 < len &&
		    strchr("<>[]()*_~-+=#.!|`{}", in[i + 1])) {
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && n && out[n - 1] == ' ') {
			i++;
			continue;
		}
		out[n++] = (char)c;
		i++;
	}
	out[n] = '\0';
	return n;
}

/*
 * Registry text of the NCI PDQ era lost its line breaks: "... to total
 * resection Originated as colorectal adenocarcinoma ...". Where a
 * lower-case word is followed by a capitalised word that
 * opens criteria ("No", "Must", "Originated"; rules/words.tsv "starter"),
 * a sentence ends: a ". " is put there, in place, in buf (capacity cap).
 */
/* True if a sentence ends at buf[i] == ' ' (see split_runons). */
static int runon_at(const struct ctm_criteria_ctx *x, const char *buf,
		    size_t len, size_t i)
{
	size_t e, b;
	char w[24];

	if (i == 0 || i + 2 >= len || buf[i] != ' ' ||
	    !((buf[i - 1] >= 'a' && buf[i - 1] <= 'z') ||
	      (buf[i - 1] >= '0' && buf[i - 1] <= '9') || buf[i - 1] == '%' ||
	      buf[i - 1] == ')') ||
	    !(buf[i + 1] >= 'A' && buf[i + 1] <= 'Z') ||
	    !(buf[i + 2] >= 'a' && buf[i + 2] <= 'z'))
		return 0;
	for (e = i + 1; e < len && buf[e] != ' ' && e - i - 1 < 23; e++)
		w[e - i - 1] = (char)(buf[e] | 0x20);
	if (e < len && buf[e] != ' ')
		return 0;
	if (!crules_is_word(&x->p->rules, CRULES_STARTER, w, e - i - 1))
		return 0;
	/* not inside a title-case name ("Solid Tumors") */
	for (b = i; b && buf[b - 1] != ' '; b--)
		;
	return (buf[b] >= 'a' && buf[b] <= 'z') || (buf[b] >= '0' && buf[b] <= '9');
}

static size_t split_runons(const struct ctm_criteria_ctx *x, char *buf,
			   size_t len, size_t cap)
{
	size_t i;

	for (i = 1; i + 2 < len; i++) {
		if (!runon_at(x, buf, len, i))
			continue;
		if (len + 1 >= cap)
			break;
		memmove(buf + i + 1, buf + i, len - i + 1);
		buf[i] = '.';
		len++;
		i++;
	}
	return len;
}

/* ------------------------------------------------------------------ */
/* Stage 2: rewrites                                                   */
/* ------------------------------------------------------------------ */

static void lower_copy(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = src[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		dst[i] = c;
	}
	dst[n] = '\0';
}

/* True if the text the set describes holds a digit. */
static int has_digit(const textset *ts)
{
	return (ts->bytes[0] & 0x03ff000000000000ull) != 0;
}

/*
 * Applies every rewrite to x->a (length *len); the result is in x->a. A
 * rewrite whose literals are absent from the sentence is not run.
 */
static int apply_rewrites(struct ctm_criteria_ctx *x, size_t *len)
{
	size_t i;
	textset ts;

	lower_copy(x->lc, x->a, *len);
	textset_build(&ts, x->lc, *len);
	for (i = 0; i < x->p->rules.n_rw; i++) {
		PCRE2_SIZE outlen = sizeof(x->b) - 1;
		int rc;

		if ((x->p->rules.rw[i].need_digit && !has_digit(&ts)) ||
		    !has_any(&x->p->rw_need[i], &ts, x->lc, *len))
			continue;
		rc = pcre2_substitute(x->p->rw[i], (PCRE2_SPTR)x->a, *len,
				      0, PCRE2_SUBSTITUTE_GLOBAL, x->md,
				      x->mc, (PCRE2_SPTR)x->p->rules.rw[i].repl,
				      PCRE2_ZERO_TERMINATED,
				      (PCRE2_UCHAR *)x->b, &outlen);
		if (rc < 0)
			return reject(x, "rewrite failed (length or limit)");
		if (rc == 0)
			continue;
		memcpy(x->a, x->b, outlen);
		x->a[outlen] = '\0';
		*len = outlen;
		lower_copy(x->lc, x->a, *len);
		textset_build(&ts, x->lc, *len);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Stage 3: skeleton                                                   */
/* ------------------------------------------------------------------ */

static int is_digit_c(int c)
{
	return c >= '0' && c <= '9';
}

static char lower_c(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static char ph_letter(const struct ctm_criteria_ctx *x, ctm_concept c)
{
	switch (ctm_lexicon_type(x->lx, c)) {
	case CTM_CT_DISEASE: return 'D';
	case CTM_CT_GENE: return 'G';
	case CTM_CT_MARKER: return 'M';
	case CTM_CT_VARIANT: return 'V';
	case CTM_CT_DRUG: return 'R';
	case CTM_CT_CLASS: return 'C';
	case CTM_CT_REGIMEN: return 'X';
	case CTM_CT_PROCEDURE: return 'P';
	case CTM_CT_SITE: return c == x->p->brain ? 'B' : 'S';
	case CTM_CT_LAB: return 'L';
	case CTM_CT_CONDITION: return 'H';
	default: return 0;
	}
}

/*
 * Gene symbols that are also English words ("MET", "RET") only count when
 * written with a capital letter or a digit.
 */
static int weak_hit(const struct ctm_criteria_ctx *x, const char *t,
		    const ctm_term_hit *h)
{
	size_t i;
	ctm_concept_type ty = ctm_lexicon_type(x->lx, h->concept);

	if (ty != CTM_CT_GENE || h->end - h->start > 4)
		return 0;
	/* "MET" is the gene, "Met" and "met" the verb */
	for (i = h->start; i < h->end; i++)
		if (is_digit_c(t[i]))
			return 0;
	for (i = h->start; i < h->end; i++)
		if (t[i] >= 'a' && t[i] <= 'z')
			return 1;
	return 0;
}

/* Appends c to the skeleton with token spacing rules. */
static void sk_put(struct ctm_criteria_ctx *x, char c, char prev, char next)
{
	char *s = x->sk;
	size_t *n = &x->sklen;

	if (*n + 4 >= sizeof(x->sk))
		return;
	if (c == '-') {
		if (is_digit_c(prev) && is_digit_c(next)) {
			s[(*n)++] = '-';
			return;
		}
		/* a free-standing dash ("Breast cancer - no more than 2
		 * prior therapies") is a token of its own */
		if (prev == ' ' && next == ' ') {
			s[(*n)++] = ' ';
			s[(*n)++] = '-';
			s[(*n)++] = ' ';
			return;
		}
		c = ' ';
	}
	if (c == ',' || c == ';' || c == ':' || c == '(' || c == ')' ||
	    c == '[' || c == ']') {
		if (c == '[')
			c = '(';
		if (c == ']')
			c = ')';
		s[(*n)++] = ' ';
		s[(*n)++] = c;
		s[(*n)++] = ' ';
		return;
	}
	if (c == '.') {
		if (is_digit_c(prev) && is_digit_c(next)) {
			s[(*n)++] = '.';
			return;
		}
		s[(*n)++] = ' ';
		s[(*n)++] = '.';
		s[(*n)++] = ' ';
		return;
	}
	if (c == '<' || c == '>' || c == '=' || c == '!') {
		/* operators become their own token */
		if (*n && strchr("<>=!", s[*n - 1])) {
			s[(*n)++] = c;
		} else {
			s[(*n)++] = ' ';
			s[(*n)++] = c;
		}
		if (!strchr("<>=", next))
			s[(*n)++] = ' ';
		return;
	}
	if (c == '%' || c == '+') {
		s[(*n)++] = ' ';
		s[(*n)++] = c;
		s[(*n)++] = ' ';
		return;
	}
	if (c == '&') {
		*n = (size_t)(put_s(s, *n, sizeof(x->sk), " and "));
		return;
	}
	if (c == '"' || c == '\'' || c == '*' || c == '#' || c == '`' ||
	    c == '|' || c == '{' || c == '}' || c == '~' || c == '?' ||
	    c == '!')
		c = ' ';
	s[(*n)++] = lower_c(c);
}

/* Collapses runs of spaces and trims. */
static void sk_squeeze(struct ctm_criteria_ctx *x)
{
	size_t i, n = 0;
	char *s = x->sk;

	for (i = 0; i < x->sklen; i++) {
		if (s[i] == ' ' && (n == 0 || s[n - 1] == ' '))
			continue;
		s[n++] = s[i];
	}
	while (n && s[n - 1] == ' ')
		n--;
	s[n] = '\0';
	x->sklen = n;
}

static int is_alpha_c(int c)
{
	return c >= 'a' && c <= 'z';
}

/*
 * "advanced/metastatic" -> "advanced / metastatic": a slash between two
 * words of four letters or more is a connective ("mg/dl", "and/or",
 * "10^9/l" keep theirs).
 */
static void split_slashes(struct ctm_criteria_ctx *x)
{
	char tmp[BUF_CAP];
	size_t i, n = 0;
	const char *s = x->sk;

	for (i = 0; i < x->sklen && n + 4 < sizeof(tmp); i++) {
		if (s[i] == '/' && i > 0 && i + 1 < x->sklen) {
			size_t a = i, b = i + 1;
			while (a > 0 && is_alpha_c(s[a - 1]))
				a--;
			while (b < x->sklen && is_alpha_c(s[b]))
				b++;
			/* a word of four letters or more (or a space) on
			 * each side: "unresectable/metastatic", "X /word" */
			if ((i - a >= 4 || (a == i && s[i - 1] == ' ')) &&
			    (b - i - 1 >= 4 ||
			     (b == i + 1 && (b == x->sklen || s[b] == ' '))) &&
			    !(a == i && b == i + 1) &&
			    (a == 0 || s[a - 1] == ' ' || a == i) &&
			    (b == x->sklen || s[b] == ' ')) {
				tmp[n++] = ' ';
				tmp[n++] = '/';
				tmp[n++] = ' ';
				continue;
			}
		}
		tmp[n++] = s[i];
	}
	memcpy(x->sk, tmp, n);
	x->sk[n] = '\0';
	x->sklen = n;
}

/*
 * "G3 ( G4 )" where both name one concept ("central nervous system (CNS)",
 * "absolute neutrophil count (ANC)"): the parenthesis goes.
 */
static void dedupe_parens(struct ctm_criteria_ctx *x)
{
	tok t[MAX_TOKS];
	size_t nt = tokenize(x->sk, x->sklen, t, MAX_TOKS), i;
	char *s = x->sk;

	for (i = 0; i + 3 < nt; i++) {
		int a = ph_index(x, &t[i], "DGMVRCXPSBLH");
		int b = ph_index(x, &t[i + 2], "DGMVRCXPSBLH");
		if (a < 0 || b < 0 || !teq(&t[i + 1], "(") ||
		    !teq(&t[i + 3], ")"))
			continue;
		if (x->hits[a].concept != x->hits[b].concept)
			continue;
		memset(s + (t[i + 1].p - s), ' ',
		       (size_t)(t[i + 3].p + t[i + 3].n - t[i + 1].p));
		i += 3;
	}
	sk_squeeze(x);
}

static int build_skeleton(struct ctm_criteria_ctx *x, const char *t, size_t len)
{
	ctm_term_hit all[MAX_HITS];
	size_t total, i, pos = 0, nh = 0;

	total = ctm_lexicon_scan(x->lx, t, len, 0, all, MAX_HITS);
	if (total > MAX_HITS)
		return reject(x, "too many lexicon terms");
	for (i = 0; i < total; i++) {
		ctm_term_hit h = all[i];
		size_t k, open = 0;
		if (weak_hit(x, t, &h))
			continue;
		/* the site "other" is the profile's word for a site the
		 * lexicon does not know, not the English word */
		if (h.concept && h.concept == x->p->other_site)
			continue;
		/* "absolute neutrophil count (ANC)" ends before its ')' */
		for (k = h.start; k < h.end; k++)
			open += t[k] == '(' ? 1 : t[k] == ')' ? (size_t)-1 : 0;
		if (open == 1) {
			k = h.end;
			while (k < len && t[k] == ' ')
				k++;
			if (k < len && t[k] == ')')
				h.end = k + 1;
		}
		x->hits[nh++] = h;
	}
	x->nhits = nh;
	x->sklen = 0;
	for (i = 0; i <= nh; i++) {
		size_t end = i < nh ? x->hits[i].start : len, k;
		for (k = pos; k < end; k++)
			sk_put(x, t[k], k ? t[k - 1] : ' ',
			       k + 1 < len ? t[k + 1] : ' ');
		if (i < nh) {
			char ph[32];
			char l = ph_letter(x, x->hits[i].concept);
			int open = 0, close = 0;
			if (!l)
				return reject(x, "unknown concept type");
			/* a term matched across a parenthesis ("HAI) therapy")
			 * keeps the parenthesis outside its placeholder */
			for (k = x->hits[i].start; k < x->hits[i].end; k++) {
				if (t[k] == '(')
					open++;
				else if (t[k] == ')' && open)
					open--;
				else if (t[k] == ')')
					close++;
			}
			while (open-- > 0)
				x->sklen = put_s(x->sk, x->sklen, sizeof(x->sk),
						 " ( ");
			snprintf(ph, sizeof(ph), " %c%zu ", l, i);
			x->sklen = put_s(x->sk, x->sklen, sizeof(x->sk), ph);
			while (close-- > 0)
				x->sklen = put_s(x->sk, x->sklen, sizeof(x->sk),
						 " ) ");
			pos = x->hits[i].end;
		}
	}
	x->sk[x->sklen] = '\0';
	sk_squeeze(x);
	split_slashes(x);
	dedupe_parens(x);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Matching helpers                                                    */
/* ------------------------------------------------------------------ */

/* 1 match, 0 none, R_REJECT on a matching error (limit). */
static int find(struct ctm_criteria_ctx *x, int rx, size_t start, size_t *ms,
		size_t *me)
{
	int rc;
	PCRE2_SIZE *ov;

	if (start > x->sklen)
		return 0;
	rc = pcre2_match(x->p->re[rx], (PCRE2_SPTR)x->sk, x->sklen, start, 0,
			 x->md, x->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return reject(x, "pattern match limit");
	ov = pcre2_get_ovector_pointer(x->md);
	*ms = ov[0];
	*me = ov[1];
	x->cur_rx = rx;
	return 1;
}

/* Named group of the current match: 1 and [*s,*e) if set, else 0. */
static int grp(struct ctm_criteria_ctx *x, const char *name, size_t *s,
	       size_t *e)
{
	int n = pcre2_substring_number_from_name(x->p->re[x->cur_rx],
						 (PCRE2_SPTR)name);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(x->md);

	if (n < 0 || (uint32_t)n >= pcre2_get_ovector_count(x->md))
		return 0;
	if (ov[2 * n] == PCRE2_UNSET)
		return 0;
	*s = ov[2 * n];
	*e = ov[2 * n + 1];
	return 1;
}

/* Start of a named group of the current match (0 when unset). */
static size_t grp_start(struct ctm_criteria_ctx *x, const char *name)
{
	size_t s, e;

	return grp(x, name, &s, &e) ? s : 0;
}

static int grp_num(struct ctm_criteria_ctx *x, const char *name, double *v)
{
	size_t s, e;
	char buf[32];

	if (!grp(x, name, &s, &e) || e - s >= sizeof(buf) || e == s)
		return 0;
	memcpy(buf, x->sk + s, e - s);
	buf[e - s] = '\0';
	*v = strtod(buf, NULL);
	return 1;
}

static int grp_is(struct ctm_criteria_ctx *x, const char *name,
		  const char *text)
{
	size_t s, e;

	return grp(x, name, &s, &e) && e - s == strlen(text) &&
	       !memcmp(x->sk + s, text, e - s);
}

static size_t tokenize(const char *s, size_t n, tok *t, size_t max)
{
	size_t i = 0, k = 0;

	while (i < n && k < max) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		t[k].p = s + i;
		while (i < n && s[i] != ' ')
			i++;
		t[k].n = (size_t)(s + i - t[k].p);
		k++;
	}
	return k;
}

static int teq(const tok *t, const char *w)
{
	/* most comparisons fail on the first byte: skip the strlen */
	if (!t->n || t->p[0] != w[0])
		return 0;
	return !strncmp(t->p, w, t->n) && w[t->n] == '\0';
}

static int tin(const tok *t, const char *const *set)
{
	for (; *set; set++)
		if (teq(t, *set))
			return 1;
	return 0;
}

/* A placeholder token "<L><index>": returns the hit index or -1. */
static int ph_index(const struct ctm_criteria_ctx *x, const tok *t,
		    const char *letters)
{
	size_t i;
	int v = 0;

	if (t->n < 2 || !strchr(letters, t->p[0]) || t->p[0] < 'A' ||
	    t->p[0] > 'Z')
		return -1;
	for (i = 1; i < t->n; i++) {
		if (!is_digit_c(t->p[i]))
			return -1;
		v = v * 10 + (t->p[i] - '0');
		if (v > 100000)
			return -1;
	}
	if (t->p[0] == 'Q')
		return v < (int)x->nq ? v : -1;
	return v < (int)x->nhits ? v : -1;
}

static ctm_concept ph_concept(const struct ctm_criteria_ctx *x, const tok *t,
			      const char *letters)
{
	int i = ph_index(x, t, letters);

	return i < 0 ? 0 : x->hits[i].concept;
}

static double tok_num(const tok *t)
{
	char buf[32];

	if (t->n >= sizeof(buf))
		return NAN;
	memcpy(buf, t->p, t->n);
	buf[t->n] = '\0';
	return strtod(buf, NULL);
}

/* ------------------------------------------------------------------ */
/* Expression nodes                                                    */
/* ------------------------------------------------------------------ */

static ctm_constraint mk(ctm_kind k)
{
	ctm_constraint c;

	memset(&c, 0, sizeof(c));
	c.kind = (uint16_t)k;
	c.lo = -INFINITY;
	c.hi = INFINITY;
	c.alt_hi = INFINITY;
	return c;
}

/* An unread part of a sentence: a leaf of its own kind, always unknown. */
static ctm_constraint unread_leaf(const struct ctm_criteria_ctx *x)
{
	(void)x;
	return mk(CTM_K_UNREAD);
}

static int leaf(struct ctm_criteria_ctx *x, const ctm_constraint *c)
{
	xnode *n;

	if (x->nn >= MAX_NODES)
		return reject(x, "too many nodes");
	n = &x->nodes[x->nn];
	memset(n, 0, sizeof(*n));
	n->op = X_LEAF;
	n->c = *c;
	return (int)x->nn++;
}

static int nary(struct ctm_criteria_ctx *x, int op, const int *k, size_t n)
{
	size_t i;
	xnode *nd;

	for (i = 0; i < n; i++)
		if (k[i] < 0)
			return k[i];
	if (n == 0)
		return reject(x, "empty list");
	if (n == 1 && op != X_NOT)
		return k[0];
	if (x->nn >= MAX_NODES || x->nk + n > MAX_KIDS)
		return reject(x, "too many nodes");
	nd = &x->nodes[x->nn];
	memset(nd, 0, sizeof(*nd));
	nd->op = (uint8_t)op;
	nd->n = (uint16_t)n;
	nd->first = (uint16_t)x->nk;
	for (i = 0; i < n; i++)
		x->kids[x->nk++] = (uint16_t)k[i];
	return (int)x->nn++;
}

static int not_(struct ctm_criteria_ctx *x, int k)
{
	return nary(x, X_NOT, &k, 1);
}

/*
 * The members of a family concept (genes whose parent is RAS, labs whose
 * parent is transaminases): concepts of the same type that are-a it.
 */
static size_t members(const struct ctm_criteria_ctx *x, ctm_concept fam,
		      ctm_concept *out, size_t max)
{
	size_t i, n = 0, count = ctm_lexicon_count(x->lx);
	ctm_concept_type ty = ctm_lexicon_type(x->lx, fam);

	for (i = 1; i < count && n < max; i++)
		if ((ctm_concept)i != fam &&
		    ctm_lexicon_type(x->lx, (ctm_concept)i) == ty &&
		    ctm_lexicon_is_a(x->lx, (ctm_concept)i, fam))
			out[n++] = (ctm_concept)i;
	return n;
}

/* The gene of a variant ("KRAS G12C" -> KRAS), by its first word. */
static ctm_concept variant_gene(const struct ctm_criteria_ctx *x, ctm_concept v)
{
	const char *name = ctm_lexicon_name(x->lx, v);
	const char *sp = strchr(name, ' ');
	char buf[64];
	size_t n = sp ? (size_t)(sp - name) : strlen(name);

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return ctm_lexicon_concept(x->lx, CTM_CT_GENE, buf);
}

/* "<gene name> <suffix>" as a variant concept, or 0. */
static ctm_concept variant_of(const struct ctm_criteria_ctx *x,
			      ctm_concept gene, const char *suffix, size_t slen)
{
	char buf[128];
	int n = snprintf(buf, sizeof(buf), "%s %.*s",
			 ctm_lexicon_name(x->lx, gene), (int)slen, suffix);
	ctm_concept c;

	if (n <= 0 || (size_t)n >= sizeof(buf))
		return 0;
	c = ctm_lexicon_find(x->lx, buf, (size_t)n);
	return ctm_lexicon_type(x->lx, c) == CTM_CT_VARIANT ? c : 0;
}

/* ------------------------------------------------------------------ */
/* Handlers: performance, age, pregnancy, measurable                   */
/* ------------------------------------------------------------------ */

static int h_kps(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_KARNOFSKY);
	double v, b;

	(void)ms, (void)me;
	if (grp_num(x, "kv", &v)) {
		c.lo = v;
	} else if (grp_num(x, "ka", &v) && grp_num(x, "kb", &b)) {
		c.lo = v < b ? v : b;
		c.hi = v < b ? b : v;
		if (c.hi >= 100)
			c.hi = INFINITY;
	} else if (grp_num(x, "kc", &v)) {
		c.lo = v;
	} else {
		return reject(x, "karnofsky without a value");
	}
	if (c.lo < 0 || c.lo > 100)
		return reject(x, "karnofsky out of range");
	return leaf(x, &c);
}

static int h_ecog(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_ECOG);
	double a, b;
	size_t s, e, i;

	(void)ms, (void)me;
	c.lo = 0;
	if (grp_num(x, "ea", &a) && grp_num(x, "eb", &b)) {
		c.lo = a < b ? a : b;
		c.hi = a < b ? b : a;
	} else if (grp(x, "ec", &s, &e)) {
		c.lo = 9;
		c.hi = -1;
		for (i = s; i < e; i++)
			if (is_digit_c(x->sk[i])) {
				double d = x->sk[i] - '0';
				c.lo = d < c.lo ? d : c.lo;
				c.hi = d > c.hi ? d : c.hi;
			}
	} else if (grp_num(x, "ed", &b)) {
		c.hi = grp_is(x, "ecmp", "<") ? b - 1 : b;
		if (c.hi < 0)
			return reject(x, "ECOG < 0");
	} else if (grp_num(x, "ee", &b)) {
		c.hi = b;
	} else if (grp_num(x, "eh", &b)) {
		c.lo = b;
	} else if (grp_num(x, "eg", &b)) {
		c.lo = grp_is(x, "egc", ">") ? b + 1 : b;
		if (c.lo > 5)
			return reject(x, "ECOG > 5");
	} else if (grp_num(x, "ef", &b)) {
		c.lo = c.hi = b;
	} else {
		return reject(x, "ECOG without a value");
	}
	return leaf(x, &c);
}

static int h_age(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_AGE);
	double a, b;

	(void)ms, (void)me;
	if (grp_num(x, "av", &a)) {
		if (grp_is(x, "acmp", ">=") || grp_is(x, "acmp", ">"))
			c.lo = a;
		else
			c.hi = a;
	} else if (grp_num(x, "aa", &a) && grp_num(x, "ab", &b)) {
		c.lo = a;
		c.hi = b;
	} else if (grp_num(x, "ac", &a) || grp_num(x, "ac2", &a) ||
		   grp_num(x, "ac3", &a)) {
		c.lo = a;
	} else if (grp_num(x, "av2", &a)) {
		c.lo = a;
	} else if ((grp_num(x, "aa2", &a) && grp_num(x, "ab2", &b)) ||
		   (grp_num(x, "aa3", &a) && grp_num(x, "ab3", &b)) ||
		   (grp_num(x, "aa4", &a) && grp_num(x, "ab4", &b))) {
		c.lo = a;
		c.hi = b;
	} else {
		return reject(x, "age without a value");
	}
	if (c.lo > c.hi || c.lo > 120 || c.hi < 0)
		return reject(x, "age out of range");
	return leaf(x, &c);
}

static int h_preg(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c;
	const char *s = x->sk + ms;

	(void)me;
	if (!strncmp(s, "currently ", 10))
		s += 10;
	c = mk(!strncmp(s, "preg", 4) ? CTM_K_PREGNANT : CTM_K_BREASTFEEDING);
	return leaf(x, &c);
}

static int h_measurable(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_MEASURABLE);
	size_t s, e;

	(void)ms, (void)me;
	if (grp(x, "msite", &s, &e)) {
		/* "a measurable hepatic lesion": measurable disease, and
		 * metastases there */
		tok st = {x->sk + s, e - s - 1};
		ctm_constraint sc = mk(CTM_K_SITE);
		int k[2];
		sc.concept = ph_concept(x, &st, "S");
		if (!sc.concept)
			return reject(x, "measurable lesion at an odd site");
		k[0] = leaf(x, &c);
		k[1] = leaf(x, &sc);
		return nary(x, X_AND, k, 2);
	}
	return leaf(x, &c);
}

/* ------------------------------------------------------------------ */
/* Handlers: labs                                                      */
/* ------------------------------------------------------------------ */

enum { FAM_NONE, FAM_COUNT, FAM_HGB, FAM_ALB, FAM_ULN, FAM_CLEAR };

/* The lab's threshold family: its measure line (engine/lexicon/labs.tsv). */
static int lab_family(const ctm_lexicon *lx, ctm_concept lab)
{
	static const struct {
		const char *name;
		int fam;
	} fams[] = {
		{"count", FAM_COUNT},	  {"hemoglobin", FAM_HGB},
		{"g/dL", FAM_ALB},	  {"ULN", FAM_ULN},
		{"clearance", FAM_CLEAR},
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
	UN_BAD
};

static int lab_unit(struct ctm_criteria_ctx *x)
{
	static const char *names[] = {"uln",  "g9",   "g3", "ul",
				      "gdl",  "mgdl", "gl", "mmol",
				      "umol", "ml",   "bad"};
	size_t s, e, i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (grp(x, names[i], &s, &e))
			return (int)i + 1;
	return UN_NONE;
}

/*
 * One lab leaf from concept, comparison and value in the sentence's unit,
 * converted to the profile's unit (or to a profile-less concept).
 */
static int lab_leaf(struct ctm_criteria_ctx *x, ctm_concept lab, int is_lo,
		    double v, int unit, double alt)
{
	ctm_constraint c = mk(CTM_K_LAB);
	const char *name = ctm_lexicon_name(x->lx, lab);
	int fam = lab_family(x->lx, lab);
	size_t nl = strlen(name);

	/* the concept already names its unit ("creatinine mg/dL") */
	if (nl > 6 && !strcmp(name + nl - 6, "_mg_dl")) {
		if (unit != UN_NONE && unit != UN_MGDL)
			return reject(x, "lab unit disagrees with its name");
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
				return reject(x, "count without a clear unit");
		} else {
			return reject(x, "count in an unknown unit");
		}
		break;
	case FAM_HGB:
	case FAM_ALB:
		if (unit == UN_G9 && x->sk[grp_start(x, "g9")] == 'g')
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
				return reject(x, "hemoglobin without a unit");
		} else {
			return reject(x, "g/dL lab in another unit");
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
			return reject(x, "lab without an x ULN or mg/dL unit");
		}
		break;
	case FAM_CLEAR:
		if (unit != UN_ML && unit != UN_NONE)
			return reject(x, "clearance in another unit");
		break;
	case FAM_NONE:
		if (unit != UN_NONE)
			return reject(x, "lab in an unknown unit");
		break;
	}
	if (!c.concept)
		return reject(x, "no lab concept for that unit");
	if (is_lo)
		c.lo = v;
	else
		c.hi = v;
	if (!isinf(alt)) {
		if (is_lo || !(c.flags & CTM_F_ULN))
			return reject(x, "liver exception on a lower bound");
		c.alt_hi = alt;
		c.flags |= CTM_F_LIVER_EXCEPTION;
	}
	return leaf(x, &c);
}

/* Expands the lab placeholders of [s,e) (families into members). */
static size_t lab_list(struct ctm_criteria_ctx *x, size_t s, size_t e,
		       ctm_concept *out, size_t max)
{
	tok t[32];
	size_t nt = tokenize(x->sk + s, e - s, t, 32), i, n = 0;

	for (i = 0; i < nt; i++) {
		ctm_concept c = ph_concept(x, &t[i], "L"), m[8];
		size_t nm, k;
		if (!c)
			continue;
		nm = members(x, c, m, 8);
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

static int h_lab(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_concept labs[8];
	int kids[8];
	size_t s, e, n, i;
	double v, alt = INFINITY;
	int is_lo, unit;

	(void)ms, (void)me;
	if (!grp(x, "labs", &s, &e))
		return reject(x, "lab without a name");
	n = lab_list(x, s, e, labs, 8);
	if (!n)
		return reject(x, "lab without a name");
	if (grp_is(x, "cmp", "="))
		return reject(x, "lab with '='");
	is_lo = grp_is(x, "cmp", ">=") || grp_is(x, "cmp", ">");
	if (!grp_num(x, "v", &v))
		return reject(x, "lab without a value");
	unit = lab_unit(x);
	if (unit == UN_BAD)
		return reject(x, "lab in U/L or another unit");
	if (grp_num(x, "v2", &alt)) {
		ctm_concept s1 = 0, s2 = 0;
		size_t a, b;
		tok t;
		if (grp(x, "ls1", &a, &b)) {
			t.p = x->sk + a;
			t.n = b - a;
			s1 = ph_concept(x, &t, "S");
		}
		if (grp(x, "ls2", &a, &b)) {
			t.p = x->sk + a;
			t.n = b - a;
			s2 = ph_concept(x, &t, "S");
		}
		if ((s1 && s1 != x->p->liver) || (s2 && s2 != x->p->liver) ||
		    (!s1 && !s2))
			return reject(x, "lab exception for another site");
		if (unit != UN_ULN)
			return reject(x, "liver exception without x ULN");
	}
	for (i = 0; i < n; i++) {
		kids[i] = lab_leaf(x, labs[i], is_lo, v, unit, alt);
		if (kids[i] < 0)
			return kids[i];
	}
	return nary(x, X_LIST, kids, n);
}

static int h_lab_wnl(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_concept labs[8];
	int kids[8];
	size_t s, e, n, i;

	(void)ms, (void)me;
	if (!grp(x, "labs", &s, &e))
		return reject(x, "lab without a name");
	n = lab_list(x, s, e, labs, 8);
	for (i = 0; i < n; i++) {
		if (lab_family(x->lx, labs[i]) != FAM_ULN)
			return reject(x, "'normal' for a lab without ULN");
		kids[i] = lab_leaf(x, labs[i], 0, 1.0, UN_ULN, INFINITY);
		if (kids[i] < 0)
			return kids[i];
	}
	return nary(x, X_LIST, kids, n);
}

/* ------------------------------------------------------------------ */
/* Handlers: brain, sites                                              */
/* ------------------------------------------------------------------ */

static int h_brain(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	static const char *const active[] = {
		"active",   "untreated",    "progressing", "progressive",
		"unstable", "uncontrolled", NULL};
	static const char *const neutral[] = {"known",	    "documented",
					      "evidence",   "of",
					      "history",    "prior",
					      "presence",   "any",
					      "existing",   ",",
					      "or",	    "and",
					      "and/or",	    "/",
					      "that",	    "which",
					      "who",	    "are",
					      "is",	    "were",
					      "have",	    "has",
					      "been",	    "metastases",
					      "metastasis", "metastasises",
					      "metastatic", "disease",
					      "lesions",    "lesion",
					      "mets",	    "involvement",
					      "to",	    "in",
					      "involving",  "the",
					      "spread",	    "clinically",
					      "either",	    "a",
					      "apparent",   "suspected",
					      NULL};
	static const char *const exc[] = {"treated", "treated2", "unless",
					  "unless2", "anyt", NULL};
	tok t[64];
	size_t s, e, nt, i, end = me;
	uint32_t flags = 0, word_flags = 0;
	ctm_constraint c = mk(CTM_K_BRAIN_METS);
	int n, site = -1, symptomatic = 0, has_and = 0, has_or = 0;

	/* an exception ("unless treated and stable", "Patients with treated
	 * brain metastases are eligible") leaves the active ones; "treated
	 * or untreated" leaves them all */
	for (i = 0; exc[i]; i++) {
		if (!grp(x, exc[i], &s, &e) || e <= s)
			continue;
		if (strcmp(exc[i], "anyt"))
			flags = CTM_F_ACTIVE;
		if (s < end)
			end = s;
	}
	nt = tokenize(x->sk + ms, end - ms, t, 64);
	for (i = 0; i < nt; i++) {
		if (ph_index(x, &t[i], "B") >= 0)
			continue;
		if (ph_index(x, &t[i], "S") >= 0) {
			if (ph_concept(x, &t[i], "S") != x->p->lepto)
				return reject(x, "brain with another site");
			site = (int)i;
			continue;
		}
		if (tin(&t[i], active)) {
			word_flags |= CTM_F_ACTIVE;
			continue;
		}
		if (teq(&t[i], "clinically") && i + 1 < nt &&
		    teq(&t[i + 1], "active"))
			continue;
		/* "symptomatic or untreated": the untreated are active;
		 * "symptomatic" alone or "untreated and symptomatic" is a
		 * fact the profile does not hold */
		if (teq(&t[i], "symptomatic")) {
			symptomatic = 1;
			continue;
		}
		if (teq(&t[i], "and"))
			has_and = 1;
		if (teq(&t[i], "or") || teq(&t[i], "and/or") ||
		    teq(&t[i], "/"))
			has_or = 1;
		if (tin(&t[i], neutral))
			continue;
		/* "treated, stable CNS metastases": the subject of a
		 * permission (brain_permission), read there or not at all */
		if (teq(&t[i], "treated") || teq(&t[i], "stable"))
			return R_SKIP;
		return reject(x, "brain metastases qualifier not modelled");
	}
	/* "symptomatic" is not a fact a profile holds */
	if (symptomatic)
		return reject(x, "symptomatic brain metastases");
	(void)has_and, (void)has_or;
	flags |= word_flags;
	c.flags = flags;
	n = leaf(x, &c);
	if (site >= 0) {
		ctm_constraint sc = mk(CTM_K_SITE);
		int k[2];
		/* "active brain or leptomeningeal metastases": leptomeningeal
		 * disease is active by nature; an exception for treated
		 * ones is not */
		if (flags != word_flags)
			return reject(x, "qualified brain and leptomeningeal");
		sc.concept = x->p->lepto;
		k[0] = n;
		k[1] = leaf(x, &sc);
		return nary(x, X_OR, k, 2);
	}
	return n;
}

/*
 * Extrahepatic disease: metastases anywhere but the liver, that is, a
 * metastatic patient whose metastases are not liver-only (a patient
 * without metastases has none). "Except resectable lung metastases":
 * any site but the liver and the lung, or lung metastases that are not
 * resectable (the site list of a profile is complete, "other" included).
 */
static int h_extrahepatic(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_SITE), m = mk(CTM_K_METASTATIC);
	size_t s, e;
	int k[2];

	(void)ms, (void)me;
	if (!x->p->liver)
		return reject(x, "no liver concept");
	if (grp(x, "exs", &s, &e)) {
		tok st = {x->sk + s, e - s};
		ctm_concept ex = ph_concept(x, &st, "S"), i;
		size_t count = ctm_lexicon_count(x->lx), n = 0;
		int kids[32];

		if (!ex || ex == x->p->liver)
			return reject(x, "extrahepatic except an odd site");
		for (i = 1; i < count && n < 31; i++) {
			ctm_constraint sc = mk(CTM_K_SITE);
			if (ctm_lexicon_type(x->lx, i) != CTM_CT_SITE ||
			    ctm_lexicon_is_a(x->lx, i, x->p->liver) ||
			    ctm_lexicon_is_a(x->lx, i, ex))
				continue;
			sc.concept = i;
			kids[n++] = leaf(x, &sc);
		}
		c.concept = ex;
		kids[n] = leaf(x, &c);
		if (grp(x, "exr", &s, &e)) {
			ctm_constraint r = mk(CTM_K_RESECTABLE);
			int a[2] = {kids[n], not_(x, leaf(x, &r))};
			kids[n] = nary(x, X_AND, a, 2);
		} else {
			/* "except lung metastases": lung metastases do not
			 * count */
			n--;
		}
		n++;
		if (i < count && n >= 31)
			return reject(x, "too many sites");
		return nary(x, X_OR, kids, n);
	}
	c.concept = x->p->liver;
	c.flags = CTM_F_LIMITED;
	k[0] = leaf(x, &m);
	k[1] = not_(x, leaf(x, &c));
	return nary(x, X_AND, k, 2);
}

static int h_site_limited(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[32];
	size_t nt = tokenize(x->sk + ms, me - ms, t, 32), i;
	ctm_constraint c = mk(CTM_K_SITE);

	for (i = 0; i < nt; i++)
		if (ph_index(x, &t[i], "S") >= 0) {
			if (c.concept)
				return reject(x, "two limited sites");
			c.concept = ph_concept(x, &t[i], "S");
		}
	if (!c.concept)
		return reject(x, "limited site without a site");
	c.flags = CTM_F_LIMITED;
	return leaf(x, &c);
}

/* Connective type of a list: X_OR, X_LIST, or -1 when mixed. */
static int list_kind(const tok *t, size_t nt, size_t from, size_t to)
{
	size_t i;
	int has_or = 0, has_and = 0;

	for (i = from; i < to && i < nt; i++) {
		if (teq(&t[i], "or") || teq(&t[i], "and/or") ||
		    teq(&t[i], "/") || teq(&t[i], "nor"))
			has_or = 1;
		else if (teq(&t[i], "and"))
			has_and = 1;
	}
	if (has_or && has_and)
		return -1;
	return has_or ? X_OR : X_LIST;
}

static int h_site(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[32];
	size_t nt = tokenize(x->sk + ms, me - ms, t, 32), i, n = 0;
	int kids[16], kind;

	size_t ds, de;
	int sd = grp(x, "sd", &ds, &de);

	for (i = 0; i < nt && n < 16; i++) {
		ctm_constraint c = mk(CTM_K_SITE);
		if (ph_index(x, &t[i], "S") < 0)
			continue;
		c.concept = ph_concept(x, &t[i], "S");
		/* "leptomeningeal disease" is metastatic by definition, "liver
		 * disease" is not */
		if (sd &&
		    strcmp(ctm_lexicon_name(x->lx, c.concept),
			   "leptomeninges") &&
		    strcmp(ctm_lexicon_name(x->lx, c.concept), "peritoneum"))
			return R_SKIP;
		kids[n++] = leaf(x, &c);
	}
	kind = list_kind(t, nt, 0, nt);
	if (kind < 0)
		return reject(x, "mixed and/or in a site list");
	for (i = 0; i < nt; i++)
		if (tin(&t[i], (const char *const[]){"dominant", "predominant",
						     "predominantly",
						     "dominantly", NULL})) {
			/* "predominant hepatic metastases": the site must
			 * be there; that it predominates is not read */
			ctm_constraint u = unread_leaf(x);
			int k2[2];
			k2[0] = nary(x, kind, kids, n);
			k2[1] = leaf(x, &u);
			if (k2[0] < 0 || k2[1] < 0)
				return k2[0] < 0 ? k2[0] : k2[1];
			return nary(x, X_AND, k2, 2);
		}
	return nary(x, kind, kids, n);
}

/* ------------------------------------------------------------------ */
/* Handlers: prior therapy and lines                                   */
/* ------------------------------------------------------------------ */

static int is_systemic(const struct ctm_criteria_ctx *x, ctm_concept c)
{
	return c && (c == x->p->systemic || c == x->p->chemo);
}

static int h_lines0(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_PRIOR_LINES);

	(void)ms, (void)me;
	c.lo = c.hi = 0;
	c.flags = CTM_F_METASTATIC_SETTING;
	return leaf(x, &c);
}

/* Disease-stage qualifier leaves: metastatic, advanced, unresectable. */
static int stage_word(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		      size_t *i);

static int h_untreated(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_PRIOR_LINES), d;
	size_t s, e;
	int k[3], n = 0;

	(void)ms, (void)me;
	c.lo = c.hi = 0;
	c.flags = CTM_F_METASTATIC_SETTING;
	k[n++] = leaf(x, &c);
	if (grp(x, "d", &s, &e)) {
		tok t[8], dt;
		size_t nt, i = 0;
		size_t ss, se;
		dt.p = x->sk + s;
		dt.n = e - s;
		d = mk(CTM_K_DISEASE);
		d.concept = ph_concept(x, &dt, "D");
		k[n++] = leaf(x, &d);
		if (!grp(x, "set", &ss, &se))
			return reject(x, "untreated without a setting");
		nt = tokenize(x->sk + ss, se - ss, t, 8);
		k[n] = stage_word(x, t, nt, &i);
		if (k[n] < 0 || i != nt)
			return reject(x, "untreated: setting not modelled");
		n++;
	}
	return nary(x, X_AND, k, (size_t)n);
}

/*
 * Lines or therapy counted "for the treatment of advanced PDAC" are the
 * lines for that disease: a patient with another cancer has none. So a
 * bound that admits none (at most n) holds for the others, (NOT D) OR
 * lines, and one that needs some needs the disease too, D AND lines. The
 * disease is the span's one D placeholder; with none, e stands alone.
 */
static int bind_disease(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
			size_t me, int e, int admits_none)
{
	ctm_constraint d = mk(CTM_K_DISEASE);
	tok n[3];
	size_t i, nn;
	int k[2];

	if (e < 0)
		return e;
	/* "for metastatic colorectal or gastric cancer": a list the span
	 * holds only the first of */
	nn = tokenize(x->sk + me, x->sklen - me, n, 3);
	if (nn >= 2 && nt && ph_index(x, &t[nt - 1], "D") >= 0 &&
	    (teq(&n[0], "or") || teq(&n[0], "and") || teq(&n[0], ",") ||
	     teq(&n[0], "and/or") || teq(&n[0], "/")))
		return reject(x, "lines for a list of diseases");
	for (i = 0; i < nt; i++) {
		if (ph_index(x, &t[i], "D") < 0)
			continue;
		if (d.concept)
			return reject(x, "lines for two diseases");
		d.concept = ph_concept(x, &t[i], "D");
	}
	if (!d.concept)
		return e;
	k[0] = leaf(x, &d);
	if (k[0] < 0)
		return k[0];
	k[1] = e;
	if (!admits_none)
		return nary(x, X_AND, k, 2);
	k[0] = not_(x, k[0]);
	return k[0] < 0 ? k[0] : nary(x, X_OR, k, 2);
}

static int h_lines(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_PRIOR_LINES);
	tok t[64];
	size_t nt = tokenize(x->sk + ms, me - ms, t, 64), i;
	double a, b;
	ctm_concept other = 0;
	int has_lineword = 0;

	for (i = 0; i < nt; i++) {
		ctm_concept k = ph_concept(x, &t[i], "C");
		/* "progression on >= 1 line": the count holds the lines, not
		 * the progression; fine as a requirement (it admits more),
		 * not as an exclusion */
		if (x->section == CTM_SECTION_EXCLUSION &&
		    tin(&t[i], (const char *const[]){
				       "progressed", "progression", "progressing",
				       "progressive", "failed", "failure",
				       "refractory", "intolerant", "intolerance",
				       "relapsed", "recurred", NULL}))
			return reject(x, "progression on lines in an exclusion");
		if (k && !is_systemic(x, k))
			other = k;
		if (ph_index(x, &t[i], "RXPDGVMSBLH") >= 0 && !k &&
		    ph_index(x, &t[i], "D") < 0)
			return R_SKIP;
		if (teq(&t[i], "line") || teq(&t[i], "lines") ||
		    teq(&t[i], "regimen") || teq(&t[i], "regimens") ||
		    teq(&t[i], "courses") || teq(&t[i], "course"))
			has_lineword = 1;
		if (teq(&t[i], "adjuvant") || teq(&t[i], "neoadjuvant") ||
		    teq(&t[i], "perioperative"))
			return reject(x, "lines in an adjuvant setting");
		if (teq(&t[i], "nthline"))
			return reject(x, "a line position with a count");
	}
	c.lo = 0;
	if (grp_num(x, "ln", &a)) {
		if (grp_is(x, "lcmp", ">="))
			c.lo = a;
		else if (grp_is(x, "lcmp", ">"))
			c.lo = a + 1;
		else if (grp_is(x, "lcmp", "<="))
			c.hi = a;
		else
			c.hi = a - 1;
	} else if ((grp_num(x, "la", &a) && grp_num(x, "lb", &b)) ||
		   (grp_num(x, "la2", &a) && grp_num(x, "lb2", &b)) ||
		   (grp_num(x, "la3", &a) && grp_num(x, "lb3", &b))) {
		c.lo = a;
		c.hi = b;
	} else if (grp_num(x, "lm", &a)) {
		if (grp_is(x, "lmore", "fewer") || grp_is(x, "lmore", "less"))
			c.hi = a;
		else
			c.lo = a;
	} else {
		return reject(x, "lines without a count");
	}
	if (c.hi < c.lo || c.lo > 20)
		return reject(x, "lines out of range");
	if (other) {
		/* ">= 1 prior anti-EGFR": a therapy, not a line count */
		if (c.lo == 1 && isinf(c.hi) && !has_lineword)
			return R_SKIP;
		return reject(x, "lines of a specific class");
	}
	for (i = 0; i < nt; i++)
		if (teq(&t[i], "metastatic") || teq(&t[i], "advanced") ||
		    teq(&t[i], "unresectable"))
			c.flags |= CTM_F_METASTATIC_SETTING;
	return bind_disease(x, t, nt, me, leaf(x, &c), c.lo == 0);
}

/* Days in n units. */
static int unit_days(const char *u, size_t n, double v, uint32_t *days)
{
	double d;

	if (n >= 3 && !strncmp(u, "day", 3))
		d = v;
	else if ((n >= 4 && !strncmp(u, "week", 4)) ||
		 (n >= 3 && !strncmp(u, "wks", 3)) ||
		 (n >= 2 && !strncmp(u, "wk", 2)))
		d = v * 7;
	else if (n >= 5 && !strncmp(u, "month", 5))
		d = v * 30;
	else if (n >= 4 && !strncmp(u, "year", 4))
		d = v * 365;
	else
		return -1;
	if (d < 0 || d > 36500)
		return -1;
	*days = (uint32_t)d;
	return 0;
}

/*
 * THERAPY leaves of the list in [s,e), each with flags (and within_days),
 * joined by the list's connective.
 */
/*
 * True if a and b are two kinds of one class that none of the other items
 * (kids[0,n) but the last) belongs to: "cetuximab or panitumumab" after
 * "fluoropyrimidine, oxaliplatin, irinotecan and" are two anti-EGFR
 * antibodies, one choice among the list's items.
 */
static int one_choice(const struct ctm_criteria_ctx *x, ctm_concept a,
		      ctm_concept b, const int *kids, size_t n)
{
	size_t k, i, nc = ctm_lexicon_count(x->lx);

	if (a == b || ctm_lexicon_is_a(x->lx, a, b) ||
	    ctm_lexicon_is_a(x->lx, b, a))
		return 0;
	for (k = 1; k < nc; k++) {
		if (ctm_lexicon_type(x->lx, (ctm_concept)k) != CTM_CT_CLASS ||
		    !ctm_lexicon_is_a(x->lx, a, (ctm_concept)k) ||
		    !ctm_lexicon_is_a(x->lx, b, (ctm_concept)k))
			continue;
		for (i = 0; i + 1 < n; i++)
			if (ctm_lexicon_is_a(x->lx, x->nodes[kids[i]].c.concept,
					     (ctm_concept)k))
				break;
		if (i + 1 == n)
			return 1;
	}
	return 0;
}

/*
 * Copies into out the items of kids[0,k) that no other item of kids[0,n)
 * is a kind of ("chemotherapy with 5-FU": the class adds nothing to the
 * drug); returns how many. out may be kids (n <= 16).
 */
static size_t drop_broader(const struct ctm_criteria_ctx *x, const int *in,
			   size_t k, size_t n, int *out)
{
	int kids[16];
	size_t a, b, m = 0;

	memcpy(kids, in, n * sizeof(*kids));
	for (a = 0; a < k; a++) {
		ctm_concept ca = x->nodes[kids[a]].c.concept;
		for (b = 0; b < n; b++)
			if (b != a && x->nodes[kids[b]].c.concept != ca &&
			    ctm_lexicon_is_a(x->lx, x->nodes[kids[b]].c.concept,
					     ca))
				break;
		if (b == n)
			out[m++] = kids[a];
	}
	return m;
}

static int therapy_list(struct ctm_criteria_ctx *x, size_t s, size_t e,
			uint32_t flags, uint32_t days)
{
	static const char *const itemw[] = {
		"any",	      "other",	     "prior",	    "previous",
		"a",	      "an",	     "the",	    "all",
		"both",	      "either",	     "based",	    "containing",
		"directed",   "targeted",    "targeting",   "therapy",
		"therapies",  "treatment",   "treatments",  "regimen",
		"regimens",   "agent",	     "agents",	    "drug",
		"drugs",      "monotherapy", "combination", "chemotherapy",
		"infusion",   "doublet",     "triplet",	    "antibody",
		"antibodies", "inhibitor",   "inhibitors",  "blockade",
		NULL};
	tok t[64];
	size_t nt = tokenize(x->sk + s, e - s, t, 64), i, n = 0;
	int kids[16];
	int kind = -2; /* -2 unset */
	int tight = 0, both = 0, and_then_or = 0, last_or = 0;
	size_t last_or_n = 0, either_n = 0;
	ctm_concept last = 0;

	for (i = 0; i < nt; i++) {
		ctm_concept c = ph_concept(x, &t[i], "RCXP");
		if (c) {
			ctm_constraint k = mk(CTM_K_THERAPY);
			/* "fluoropyrimidine chemotherapy", "oxaliplatin-based
			 * chemotherapy": a class naming what the item already
			 * is adds nothing */
			if (last &&
			    ctm_lexicon_type(x->lx, c) == CTM_CT_CLASS &&
			    i > 0 &&
			    (ph_index(x, &t[i - 1], "RCXP") >= 0 ||
			     teq(&t[i - 1], "based") ||
			     teq(&t[i - 1], "containing"))) {
				if (!ctm_lexicon_is_a(x->lx, last, c))
					return reject(x,
						      "item and class differ");
				continue;
			}
			if (n >= 16)
				return reject(x, "therapy list too long");
			k.concept = c;
			k.flags = flags;
			k.within_days = days;
			kids[n++] = leaf(x, &k);
			last = c;
			continue;
		}
		if (teq(&t[i], "or") || teq(&t[i], "and/or") ||
		    teq(&t[i], "/") || teq(&t[i], "nor")) {
			/* "a fluoropyrimidine and oxaliplatin or
			 * irinotecan": the first and (any of) the rest */
			if (kind == X_LIST && n == 2 && !and_then_or &&
			    !teq(&t[i - 1], ","))
				and_then_or = 1;
			else if (kind == X_LIST && !and_then_or && !last_or &&
				 n >= 3 && teq(&t[i], "or") &&
				 !teq(&t[i - 1], ","))
				last_or = 1, last_or_n = n; /* checked below */
			else if (kind == X_LIST && !and_then_or)
				return reject(x, "mixed and/or in a list");
			else
				kind = X_OR;
		} else if (teq(&t[i], "and")) {
			if (kind == X_OR || and_then_or || last_or)
				return reject(x, "mixed and/or in a list");
			kind = X_LIST;
		} else if (teq(&t[i], "plus") || teq(&t[i], "+") ||
			   teq(&t[i], "with") || teq(&t[i], "in") ||
			   teq(&t[i], "combined")) {
			tight = 1;
		} else if (teq(&t[i], "both")) {
			both = 1;
		} else if (teq(&t[i], "either") && i > 0 && n && kind == -2 &&
			   (teq(&t[i - 1], "plus") || teq(&t[i - 1], "+") ||
			    teq(&t[i - 1], "with"))) {
			either_n = n; /* "A plus either B, C or D" */
		} else if (teq(&t[i], ",") || teq(&t[i], "combination")) {
		} else if (!tin(&t[i], itemw)) {
			return reject(x, "unexpected word in a therapy list");
		}
	}
	if (last_or) {
		/* "A, B, C and D or E": D or E is the last item when they are
		 * two kinds of one class the others are not */
		int alt;
		if (tight || both || n < 4 || n != last_or_n + 1 ||
		    !one_choice(x, x->nodes[kids[n - 2]].c.concept,
				x->nodes[kids[n - 1]].c.concept, kids, n - 1))
			return reject(x, "mixed and/or in a list");
		alt = nary(x, X_OR, kids + n - 2, 2);
		if (alt < 0)
			return alt;
		kids[n - 2] = alt;
		return nary(x, X_LIST, kids, n - 1);
	}
	if (and_then_or) {
		int rest, k2[2];
		if (tight || both || n < 3)
			return reject(x, "mixed and/or in a list");
		rest = nary(x, X_OR, kids + 1, n - 1);
		k2[0] = kids[0];
		k2[1] = rest;
		return nary(x, X_AND, k2, 2);
	}
	if (tight && either_n) {
		/* "chemotherapy with bevacizumab plus either FOLFOX, OPTIMOX
		 * or XELOX": each item before 'either' (less a class an
		 * item after it is a kind of) and one of those after it */
		int k2[17], alt;
		size_t m;
		if (kind != X_OR || n - either_n < 2 || both)
			return reject(x, "'plus either' not a choice");
		m = drop_broader(x, kids, either_n, n, k2);
		alt = nary(x, X_OR, kids + either_n, n - either_n);
		if (alt < 0)
			return alt;
		k2[m++] = alt;
		return nary(x, X_AND, k2, m);
	}
	if (tight) {
		/* "chemotherapy with 5-FU": the class adds nothing to the drug
		 */
		size_t m;
		if (kind != -2)
			return reject(x, "combination inside a list");
		m = drop_broader(x, kids, n, n, kids);
		return nary(x, X_AND, kids, m);
	}
	if (both) {
		/* "both oxaliplatin and irinotecan": together, even denied */
		if (kind != X_LIST)
			return reject(x, "'both' without 'and'");
		return nary(x, X_AND, kids, n);
	}
	return nary(x, kind == X_OR ? X_OR : X_LIST, kids, n);
}

static int h_since(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	size_t s, e, us, ue;
	double v;
	uint32_t days;
	int n;

	(void)ms, (void)me;
	if (grp(x, "tl", &s, &e)) {
		if (!grp_num(x, "sn", &v) || !grp(x, "su", &us, &ue))
			return reject(x, "washout without a time");
	} else if (grp(x, "tl2", &s, &e)) {
		if (!grp_num(x, "sn2", &v) || !grp(x, "su2", &us, &ue))
			return reject(x, "washout without a time");
	} else {
		return reject(x, "washout without a therapy");
	}
	if (unit_days(x->sk + us, ue - us, v, &days))
		return reject(x, "washout unit");
	{
		size_t as, ae;
		uint32_t f = CTM_F_WITHIN;
		if (grp(x, "sadj", &as, &ae))
			f |= x->sk[as] == 'a' ? CTM_F_ADJUVANT_SETTING
					      : CTM_F_NEOADJUVANT_SETTING;
		n = therapy_list(x, s, e, f, days);
	}
	x->since_clause = 1;
	return n < 0 ? n : not_(x, n);
}

static int h_naive(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	size_t s, e;
	int n;

	(void)ms, (void)me;
	if (!grp(x, "tl", &s, &e) && !grp(x, "tl2", &s, &e))
		return reject(x, "naive without a therapy");
	n = therapy_list(x, s, e, 0, 0);
	return n < 0 ? n : not_(x, n);
}

/*
 * A response to a therapy ("stable disease or partial response after >= 12
 * weeks of induction therapy") needs the therapy: the therapy AND the
 * response, which is not read (always unknown). Denied ("no complete
 * response after ..."), the therapy would be wrongly waived: review.
 */
static int h_response(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[64];
	size_t s, e, nt = tokenize(x->sk, ms, t, 64), i;
	ctm_constraint u = unread_leaf(x);
	int k[2];

	(void)me;
	for (i = 0; i < nt; i++)
		if (tin(&t[i], (const char *const[]){"no", "not", "without",
						     "never", "lack", "lacking",
						     "absence", NULL}))
			return reject(x, "a denied response");
	if (!grp(x, "tl", &s, &e))
		return reject(x, "response without a therapy");
	k[0] = therapy_list(x, s, e, 0, 0);
	if (k[0] < 0)
		return k[0];
	k[1] = leaf(x, &u);
	return k[1] < 0 ? k[1] : nary(x, X_AND, k, 2);
}

/* True if an item of a list ends right before sk[ms] (", " or " or "). */
static int prev_item(const struct ctm_criteria_ctx *x, size_t ms)
{
	size_t e = ms, b;

	while (e && x->sk[e - 1] == ' ')
		e--;
	for (b = e; b && x->sk[b - 1] != ' '; b--)
		;
	return (e - b == 1 && x->sk[b] == ',') ||
	       (e - b == 2 && !memcmp(x->sk + b, "or", 2)) ||
	       (e - b == 3 && !memcmp(x->sk + b, "and", 3));
}

/*
 * Conditions other than the cancer ("known HIV infection", "uncontrolled
 * hypertension or active infection"): one leaf each, ACTIVE when a word
 * before them says so, joined by the list's connective. No profile holds
 * one, so they are unknown and shown to be checked.
 */
static int h_condition(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[64], nx[2];
	size_t nt = tokenize(x->sk + ms, me - ms, t, 64), i, n = 0, last = 0;
	size_t nn = tokenize(x->sk + me, x->sklen - me, nx, 2);
	uint32_t own[16], shared = 0, mine = 0;
	int kids[16], kind, any_own = 0, commas = 0;

	/* qualifiers before the first item are shared unless a later item
	 * has its own ("symptomatic heart failure, unstable angina or
	 * arrhythmia": only the first is symptomatic) */
	for (i = 0; i < nt; i++) {
		/* the items end where "known to increase ..." begins */
		if (n && i + 1 < nt && teq(&t[i + 1], "to") &&
		    crules_is_word(&x->p->rules, CRULES_CONDITION_WHICH, t[i].p,
				   t[i].n)) {
			nt = i;
			break;
		}
		if (crules_is_word(&x->p->rules, CRULES_CONDITION_ACTIVE, t[i].p,
				   t[i].n)) {
			mine = CTM_F_ACTIVE;
			continue;
		}
		if (ph_index(x, &t[i], "H") < 0)
			continue;
		if (n >= 16)
			return reject(x, "condition list too long");
		if (n == 0)
			shared = mine;
		else if (mine)
			any_own = 1;
		own[n] = mine;
		mine = 0;
		kids[n++] = (int)i;
		last = i;
	}
	for (i = 0; i < last; i++)
		if (teq(&t[i], ","))
			commas = 1;
	/* "active infection or brain metastases": the qualifier may reach
	 * the next item too */
	if (shared && !commas && !prev_item(x, ms) && nn == 2 &&
	    (teq(&nx[0], "or") || teq(&nx[0], "and") || teq(&nx[0], ",") ||
	     teq(&nx[0], "and/or") || teq(&nx[0], "/")))
		return reject(x, "a qualifier that may reach the next item");
	for (i = 0; i < n; i++) {
		ctm_constraint c = mk(CTM_K_CONDITION);
		c.concept = ph_concept(x, &t[kids[i]], "H");
		/* shared only by two items joined by a bare connective */
		c.flags = (any_own || commas || n > 2) ? own[i] : shared;
		kids[i] = leaf(x, &c);
		if (kids[i] < 0)
			return kids[i];
	}
	kind = list_kind(t, last + 1, 0, last + 1);
	if (kind < 0)
		return reject(x, "mixed and/or in a condition list");
	{
		/* "HIV negative": none of them */
		size_t s, e, k;
		tok rest[MAX_TOKS];
		size_t nr = tokenize(x->sk + me, x->sklen - me, rest, MAX_TOKS);
		int r;
		if (grp(x, "cno", &s, &e) && e > s &&
		    x->section == CTM_SECTION_EXCLUSION)
			return reject(x, "'and no' in an exclusion");
		if ((grp(x, "hneg", &s, &e) && e > s) ||
		    (grp(x, "cno", &s, &e) && e > s))
			return not_(x, nary(x, kind, kids, n));
		/* "hepatitis B and C negative": a negation the list did not
		 * reach */
		for (k = 0; k < nr; k++)
			if (teq(&rest[k], "negative") ||
			    teq(&rest[k], "seronegative") ||
			    teq(&rest[k], "negativity"))
				return reject(x, "a condition before 'negative'");
		r = nary(x, kind, kids, n);
		return r;
	}
}

static int h_therapy(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	static const char *const progw[] = {
		"progressed", "progression", "progressing", "progressive",
		"relapsed",   "relapse",     "recurred",    "recurrence",
		"failed",     "failure",     "failing",	    NULL};
	static const char *const refw[] = {"refractory", "resistant",
					   "resistance", NULL};
	static const char *const intw[] = {
		"intolerant", "intolerance", "intolerable", "tolerate",
		"toxicity",   "toxicities",  NULL};
	static const char *const curw[] = {"current",	     "currently",
					   "concurrent",     "concurrently",
					   "concomitant",    "concomitantly",
					   "ongoing",	     "simultaneous",
					   "simultaneously", "being",
					   NULL};
	tok t[64];
	size_t s, e, nt, i;
	uint32_t flags = 0, days = 0;
	int receiving = 0, during = 0, nthline = 0, list, settings_or = 0;

	(void)ms, (void)me;
	/* left context */
	if (grp(x, "left", &s, &e)) {
		nt = tokenize(x->sk + s, e - s, t, 64);
		for (i = 0; i < nt; i++) {
			if (tin(&t[i], progw))
				flags |= CTM_F_PROGRESSED;
			else if (tin(&t[i], refw))
				flags |= CTM_F_REFRACTORY;
			else if (tin(&t[i], intw))
				flags |= CTM_F_INTOLERANT;
			else if (tin(&t[i], curw))
				flags |= CTM_F_CURRENT;
			else if (teq(&t[i], "receiving"))
				receiving = 1;
			else if (teq(&t[i], "during") || teq(&t[i], "while"))
				during = 1;
			else if (teq(&t[i], "nthline"))
				nthline = 1;
			else if (teq(&t[i], "adjuvant"))
				flags |= CTM_F_ADJUVANT_SETTING;
			else if (teq(&t[i], "neoadjuvant"))
				flags |= CTM_F_NEOADJUVANT_SETTING;
			else if (teq(&t[i], "perioperative"))
				return reject(x, "perioperative setting");
			else if (teq(&t[i], "unable") &&
				 !(i + 2 < nt && teq(&t[i + 1], "to") &&
				   teq(&t[i + 2], "tolerate")))
				return reject(x, "'unable' not to tolerate");
		}
	}
	/* right context: settings, washouts, suffix flags */
	if (grp(x, "right", &s, &e) && e > s) {
		size_t ws, we;
		nt = tokenize(x->sk + s, e - s, t, 64);
		for (i = 0; i < nt; i++) {
			if (teq(&t[i], "metastatic") ||
			    teq(&t[i], "advanced") ||
			    teq(&t[i], "unresectable") ||
			    (teq(&t[i], "stage") && i + 1 < nt &&
			     teq(&t[i + 1], "iv")))
				flags |= CTM_F_METASTATIC_SETTING;
			else if (teq(&t[i], "adjuvant"))
				flags |= CTM_F_ADJUVANT_SETTING;
			else if (teq(&t[i], "neoadjuvant"))
				flags |= CTM_F_NEOADJUVANT_SETTING;
			else if (teq(&t[i], "perioperative"))
				return reject(x, "perioperative setting");
			else if (tin(&t[i], refw))
				flags |= CTM_F_REFRACTORY;
			else if (teq(&t[i], "failure") || teq(&t[i], "failed"))
				flags |= CTM_F_PROGRESSED;
			else if (teq(&t[i], "intolerant"))
				flags |= CTM_F_INTOLERANT;
			else if (teq(&t[i], "or") || teq(&t[i], "and/or"))
				settings_or = 1;
		}
		if (grp(x, "wu", &ws, &we)) {
			double v;
			if (!grp_num(x, "wn", &v) ||
			    unit_days(x->sk + ws, we - ws, v, &days))
				return reject(x, "washout unit");
			flags |= CTM_F_WITHIN;
		}
	}
	if ((flags & CTM_F_INTOLERANT) &&
	    !(flags & (CTM_F_PROGRESSED | CTM_F_REFRACTORY)))
		return reject(x, "intolerance alone is not modelled");
	{
		/* "in the metastatic or adjuvant setting": either */
		uint32_t set = flags & (CTM_F_ADJUVANT_SETTING |
					CTM_F_NEOADJUVANT_SETTING |
					CTM_F_METASTATIC_SETTING);
		if (set && (set & (set - 1))) {
			int k3[3], nk = 0;
			uint32_t bit;
			if (!settings_or || !grp(x, "tl", &s, &e))
				return reject(x, "two settings");
			for (bit = CTM_F_METASTATIC_SETTING;
			     bit <= CTM_F_NEOADJUVANT_SETTING; bit <<= 1) {
				if (!(set & bit))
					continue;
				k3[nk] = therapy_list(x, s, e,
						      (flags & ~set) | bit, days);
				if (k3[nk] < 0)
					return k3[nk];
				nk++;
			}
			if (nthline)
				return reject(x, "a line and two settings");
			return nary(x, X_OR, k3, (size_t)nk);
		}
	}
	if (receiving && !(flags & CTM_F_WITHIN))
		flags |= CTM_F_CURRENT;
	/* "during chemotherapy" is now; "progression during or after X"
	 * is about X's outcome */
	if (during && !(flags & (CTM_F_PROGRESSED | CTM_F_REFRACTORY |
				 CTM_F_INTOLERANT | CTM_F_WITHIN)))
		flags |= CTM_F_CURRENT;
	if ((flags & CTM_F_CURRENT) &&
	    (flags & (CTM_F_PROGRESSED | CTM_F_REFRACTORY | CTM_F_WITHIN)))
		return reject(x, "current therapy with other qualifiers");
	if (!grp(x, "tl", &s, &e))
		return reject(x, "therapy without a list");
	list = therapy_list(x, s, e, flags, days);
	if (list >= 0 && nthline) {
		/* "first-line oxaliplatin": the line is not read, and it
		 * only narrows */
		ctm_constraint u = unread_leaf(x);
		int k2[2] = {list, leaf(x, &u)};
		return nary(x, X_AND, k2, 2);
	}
	return list;
}

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
		if (teq(t, map[i].w))
			return map[i].st;
	return -1;
}

/* A biomarker leaf; v is a variant or 0. */
static int bm_leaf(struct ctm_criteria_ctx *x, ctm_concept gene, int status,
		   ctm_concept v, double lo)
{
	ctm_constraint c = mk(CTM_K_BIOMARKER);

	c.concept = gene;
	c.status = (uint16_t)status;
	c.variant = v;
	c.lo = lo;
	return leaf(x, &c);
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
			return reject(x, "'positive' for a gene");
		st = CTM_BM_AMPLIFIED;
	}
	if (st == CTM_BM_NEGATIVE) {
		if (strcmp(name, "ERBB2"))
			return reject(x, "'negative' for a gene");
		return not_(x, bm_leaf(x, g, CTM_BM_AMPLIFIED, 0, -INFINITY));
	}
	if (st == CTM_BM_HIGH || st == CTM_BM_LOW || st == CTM_BM_STABLE ||
	    st == CTM_BM_DEFICIENT || st == CTM_BM_PROFICIENT)
		return reject(x, "marker status for a gene");
	if (!exons || (st != CTM_BM_WILDTYPE && st != CTM_BM_MUTATED))
		return exons ? reject(x, "exons with that status")
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
		v = variant_of(x, g, buf, strlen(buf));
		if (!v)
			return reject(x, "no concept for that exon");
		kids[n++] = bm_leaf(x, g, CTM_BM_MUTATED, v, -INFINITY);
	}
	if (!n)
		return reject(x, "exons out of range");
	/* wild-type in the named exons: none of them mutated */
	if (st == CTM_BM_WILDTYPE)
		return not_(x, nary(x, X_OR, kids, n));
	return nary(x, X_OR, kids, n);
}

/* A marker (MSI, MMR, TMB, PD-L1) with a status. */
static int marker_status(struct ctm_criteria_ctx *x, ctm_concept m, int st,
			 double lo)
{
	const char *name = ctm_lexicon_name(x->lx, m);
	ctm_concept msi = ctm_lexicon_concept(x->lx, CTM_CT_MARKER, "MSI");

	if (!strcmp(name, "MSI") || !strcmp(name, "MMR")) {
		/* dMMR is MSI-H and pMMR is MSS for matching */
		if (!msi)
			return reject(x, "no MSI concept");
		if (st == CTM_BM_DEFICIENT && !strcmp(name, "MMR"))
			return bm_leaf(x, msi, CTM_BM_HIGH, 0, -INFINITY);
		if (st == CTM_BM_PROFICIENT && !strcmp(name, "MMR"))
			return bm_leaf(x, msi, CTM_BM_STABLE, 0, -INFINITY);
		if (!strcmp(name, "MSI") &&
		    (st == CTM_BM_HIGH || st == CTM_BM_STABLE ||
		     st == CTM_BM_LOW))
			return bm_leaf(x, msi, st, 0, -INFINITY);
		return reject(x, "MSI/MMR status not modelled");
	}
	if (!strcmp(name, "TMB")) {
		if (st == CTM_BM_POSITIVE)
			st = CTM_BM_HIGH;
		if (st != CTM_BM_HIGH && st != CTM_BM_LOW)
			return reject(x, "TMB status not modelled");
		return bm_leaf(x, m, st, 0, lo);
	}
	if (!strcmp(name, "PD-L1")) {
		if (st != CTM_BM_POSITIVE && st != CTM_BM_NEGATIVE &&
		    st != CTM_BM_HIGH && st != CTM_BM_LOW)
			return reject(x, "PD-L1 status not modelled");
		return bm_leaf(x, m, st, 0, -INFINITY);
	}
	return reject(x, "marker not modelled");
}

/* The leaves for one gene or marker with its statuses. */
static int item_node(struct ctm_criteria_ctx *x, ctm_concept item, char type,
		     const int *st, size_t nst, int st_kind, unsigned exons,
		     double lo)
{
	int skids[8];
	size_t j, sn = 0;

	if (type == 'V')
		return reject(x, "variant mixed with genes");
	for (j = 0; j < nst && sn < 8; j++) {
		int node;
		if (type == 'M') {
			node = marker_status(x, item, st[j], lo);
		} else {
			ctm_concept m[8];
			size_t nm = members(x, item, m, 8), q;
			if (!isinf(lo))
				return reject(x, "value for a gene");
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
				node = nary(x,
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
	return nary(x, st_kind == X_LIST ? X_AND : X_OR, skids, sn);
}

static int h_biomarker(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[96];
	size_t nt = tokenize(x->sk + ms, me - ms, t, 96), i;
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

	for (i = 0; i < nt; i++) {
		int idx, s;
		if ((idx = ph_index(x, &t[i], "GMV")) >= 0) {
			ctm_concept c = x->hits[idx].concept;
			if (depth) {
				/* a parenthesis restating the item, or naming
				 * its variant ("Kirsten rat sarcoma (KRAS)
				 * G12C") */
				if (!ni)
					return reject(x, "parenthesis first");
				if (ctm_lexicon_type(x->lx, c) ==
					    CTM_CT_VARIANT &&
				    variant_gene(x, c) == items[ni - 1]) {
					items[ni - 1] = c;
					itype[ni - 1] = 'V';
					gene_ctx = variant_gene(x, c);
					continue;
				}
				if (items[ni - 1] != c &&
				    !ctm_lexicon_is_a(x->lx, c,
						      items[ni - 1]) &&
				    !ctm_lexicon_is_a(x->lx, items[ni - 1], c))
					return reject(x, "parenthesis names "
							 "another gene");
				paren_same = 1;
				continue;
			}
			if (ni >= 16)
				return reject(x, "too many biomarkers");
			items[ni] = c;
			itype[ni] = t[i].p[0];
			inst[ni] = 0;
			/* statuses written before the item are its own */
			for (k = 0; k < npre; k++)
				ist[ni][inst[ni]++] = pre[k];
			npre = 0;
			if (t[i].p[0] == 'V')
				gene_ctx = variant_gene(x, c);
			else if (t[i].p[0] == 'G')
				gene_ctx = c;
			ni++;
			in_exons = in_codons = 0;
			continue;
		}
		/* a bare protein change after a gene: "KRAS G12A, G12C" */
		if (t[i].n >= 4 && t[i].p[0] >= 'a' && t[i].p[0] <= 'z' &&
		    is_digit_c(t[i].p[1]) && t[i].p[t[i].n - 1] >= 'a' &&
		    t[i].p[t[i].n - 1] <= 'z') {
			ctm_concept v;
			if (!gene_ctx)
				return reject(x, "variant without a gene");
			v = variant_of(x, gene_ctx, t[i].p, t[i].n);
			if (!v)
				return reject(x, "variant not in the lexicon");
			if (depth)
				continue;
			if (ni >= 16)
				return reject(x, "too many biomarkers");
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
					return reject(x, "too many statuses");
				paren_st[paren_n++] = s;
				continue;
			}
			if (depth)
				return reject(x, "status in a parenthesis");
			if (!ni) {
				if (npre >= 4)
					return reject(x, "too many statuses");
				pre[npre++] = s;
			} else {
				if (inst[ni - 1] >= 4)
					return reject(x, "too many statuses");
				ist[ni - 1][inst[ni - 1]++] = s;
			}
			continue;
		}
		if (teq(&t[i], "(")) {
			depth++;
			paren_same = 0;
			paren_n = 0;
			continue;
		}
		if (teq(&t[i], ")")) {
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
		if (teq(&t[i], "exon") || teq(&t[i], "exons")) {
			in_exons = 1;
			continue;
		}
		/* "KRAS mutation at codon 12, 13 or 61": no leaf holds a
		 * codon, so the codons are an unread part (below) */
		if (teq(&t[i], "codon") || teq(&t[i], "codons")) {
			if (in_exons || exons)
				return reject(x, "exons and codons");
			in_exons = in_codons = codons = 1;
			continue;
		}
		if (is_digit_c(t[i].p[0]) && in_codons) {
			double e = tok_num(&t[i]);
			if (e < 1 || e > 999 || e != (int)e)
				return reject(x, "odd codon number");
			continue;
		}
		if (is_digit_c(t[i].p[0]) && in_exons) {
			double e = tok_num(&t[i]);
			if (e < 1 || e > 30 || e != (int)e)
				return reject(x, "odd exon number");
			exons |= 1u << (int)e;
			continue;
		}
		if (teq(&t[i], ">=") || teq(&t[i], ">")) {
			if (i + 1 < nt && is_digit_c(t[i + 1].p[0])) {
				lo = tok_num(&t[i + 1]);
				i++;
				/* the unit (mut/Mb) was checked by the pattern
				 */
				while (i + 1 < nt && !teq(&t[i + 1], ")") &&
				       !teq(&t[i + 1], ",") &&
				       !teq(&t[i + 1], "or") &&
				       !teq(&t[i + 1], "and"))
					i++;
				continue;
			}
			return reject(x, "comparison without a value");
		}
		if (teq(&t[i], "<=") || teq(&t[i], "<"))
			return reject(x, "biomarker upper bound");
		if (teq(&t[i], "or") || teq(&t[i], "and/or") ||
		    teq(&t[i], "/") || teq(&t[i], "and") || teq(&t[i], ",")) {
			int kd = teq(&t[i], "and") ? X_LIST
				 : teq(&t[i], ",") ? -2
						   : X_OR;
			if (depth || in_exons || kd == -2)
				continue;
			/* between statuses or between items? */
			if (i + 1 < nt && bm_status_word(&t[i + 1]) >= 0 &&
			    i > 0 && bm_status_word(&t[i - 1]) >= 0) {
				if (st_kind != -2 && st_kind != kd)
					return reject(x, "mixed status list");
				st_kind = kd;
			} else {
				if (item_kind != -2 && item_kind != kd)
					return reject(x, "mixed item list");
				item_kind = kd;
			}
			continue;
		}
		if (teq(&t[i], "activating") || teq(&t[i], "known") ||
		    teq(&t[i], "documented") || teq(&t[i], "confirmed") ||
		    teq(&t[i], "in") || teq(&t[i], "at") || teq(&t[i], "on"))
			continue;
		return reject(x, "unexpected word in a biomarker");
	}
	if (!ni)
		return R_SKIP;
	if (npre)
		return reject(x, "status after the last item");
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
				return reject(x, "variant and exons");
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
			return reject(x, "codons with that biomarker");
		kg[0] = item_node(x, items[0], itype[0], ist[0], inst[0],
				  st_kind, 0, lo);
		u = unread_leaf(x);
		kg[1] = leaf(x, &u);
		return nary(x, X_AND, kg, 2);
	}
	for (k = 0; k < ni && nk < 32; k++) {
		if (itype[k] == 'V') {
			/* a variant is a mutation (wild-type: not that one) */
			size_t j;
			int wt = 0;
			ctm_concept g = variant_gene(x, items[k]);
			if (!g)
				return reject(x, "variant without a gene");
			for (j = 0; j < inst[k]; j++) {
				if (ist[k][j] == CTM_BM_WILDTYPE)
					wt = 1;
				else if (ist[k][j] != CTM_BM_MUTATED &&
					 ist[k][j] != CTM_BM_POSITIVE &&
					 ist[k][j] != CTM_BM_ANY)
					return reject(x, "variant with that "
							 "status");
			}
			if (wt && inst[k] > 1)
				return reject(x, "variant wild-type and "
						 "mutated");
			kids[nk] = bm_leaf(x, g, CTM_BM_MUTATED, items[k],
					   -INFINITY);
			if (wt)
				kids[nk] = not_(x, kids[nk]);
			nk++;
			continue;
		}
		if (!inst[k]) {
			/* "TMB >= 10" */
			if (ni == 1 && itype[0] == 'M' && !isinf(lo)) {
				ist[k][0] = CTM_BM_HIGH;
				inst[k] = 1;
			} else {
				return reject(x, "biomarker without a status");
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
		return nary(x, X_OR, kids, nk);
	return nary(x, item_kind == X_OR ? X_OR : X_LIST, kids, nk);
}

/* ------------------------------------------------------------------ */
/* Handlers: disease, stage, resectability, metastatic                 */
/* ------------------------------------------------------------------ */

/* Roman or arabic stage number at t, or -1. */
static int stage_num(const tok *t)
{
	char buf[8];
	size_t n = t->n;

	if (n && n < sizeof(buf) && strchr("abc", t->p[n - 1]) && n > 1)
		n--;
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, t->p, n);
	buf[n] = '\0';
	if (!strcmp(buf, "0"))
		return 0;
	if (!strcmp(buf, "i") || !strcmp(buf, "1"))
		return 1;
	if (!strcmp(buf, "ii") || !strcmp(buf, "2"))
		return 2;
	if (!strcmp(buf, "iii") || !strcmp(buf, "3"))
		return 3;
	if (!strcmp(buf, "iv") || !strcmp(buf, "4"))
		return 4;
	return -1;
}

/* Parses "stage X [or|-|to Y]" at t[*i]; a STAGE leaf. */
static int stage_leaf(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		      size_t *i)
{
	ctm_constraint c = mk(CTM_K_STAGE);
	int a, b;

	if (*i + 1 >= nt || !teq(&t[*i], "stage"))
		return reject(x, "stage");
	a = stage_num(&t[*i + 1]);
	if (a < 0)
		return reject(x, "stage number");
	/* sub-stages below IV ("IIIB") are finer than the profile */
	if (a < 4 && t[*i + 1].n > 1 &&
	    strchr("abc", t[*i + 1].p[t[*i + 1].n - 1]))
		return reject(x, "sub-stage not modelled");
	*i += 2;
	b = a;
	if (*i + 1 < nt &&
	    (teq(&t[*i], "or") || teq(&t[*i], "and") || teq(&t[*i], "-") ||
	     teq(&t[*i], "to") || teq(&t[*i], "/"))) {
		size_t j = *i + 1;
		if (j < nt && teq(&t[j], "stage"))
			j++;
		if (j < nt && (b = stage_num(&t[j])) >= 0) {
			if (b < 4 && t[j].n > 1 &&
			    strchr("abc", t[j].p[t[j].n - 1]))
				return reject(x, "sub-stage not modelled");
			*i = j + 1;
		} else {
			b = a;
		}
	}
	c.lo = a < b ? a : b;
	c.hi = a < b ? b : a;
	return leaf(x, &c);
}

/*
 * One stage qualifier at t[*i] (advancing *i): metastatic, advanced,
 * unresectable, resectable, stage ...; R_SKIP for a neutral word.
 */
static int stage_word(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		      size_t *i)
{
	static const char *const neutral[] = {"histologically",
					      "cytologically",
					      "pathologically",
					      "histopathologically",
					      "confirmed",
					      "documented",
					      "proven",
					      "verified",
					      "diagnosed",
					      "diagnosis",
					      "known",
					      "a",
					      "an",
					      "of",
					      "with",
					      "primary",
					      NULL};
	ctm_constraint c;

	if (teq(&t[*i], "metastatic")) {
		(*i)++;
		c = mk(CTM_K_METASTATIC);
		return leaf(x, &c);
	}
	if (teq(&t[*i], "unresectable") || teq(&t[*i], "inoperable") ||
	    teq(&t[*i], "nonresectable")) {
		(*i)++;
		c = mk(CTM_K_RESECTABLE);
		return not_(x, leaf(x, &c));
	}
	if (crules_is_word(&x->p->rules, CRULES_NOT_RECORDED, t[*i].p,
			   t[*i].n)) {
		/* a recurrence is not a fact a profile holds: "metastatic,
		 * recurrent, or unresectable" is unknown unless another of
		 * the list decides it */
		(*i)++;
		c = unread_leaf(x);
		return leaf(x, &c);
	}
	if (teq(&t[*i], "resectable")) {
		(*i)++;
		c = mk(CTM_K_RESECTABLE);
		return leaf(x, &c);
	}
	if (teq(&t[*i], "advanced")) {
		/* advanced = metastatic or not resectable */
		int k[2];
		ctm_constraint r = mk(CTM_K_RESECTABLE);
		(*i)++;
		c = mk(CTM_K_METASTATIC);
		k[0] = leaf(x, &c);
		k[1] = not_(x, leaf(x, &r));
		return nary(x, X_OR, k, 2);
	}
	if (teq(&t[*i], "locally") && *i + 1 < nt &&
	    teq(&t[*i + 1], "advanced")) {
		/* only meaningful next to "metastatic" (checked by caller) */
		(*i) += 2;
		c = mk(CTM_K_RESECTABLE);
		return not_(x, leaf(x, &c));
	}
	if (teq(&t[*i], "stage"))
		return stage_leaf(x, t, nt, i);
	if (tin(&t[*i], neutral)) {
		(*i)++;
		return R_SKIP;
	}
	return reject(x, "disease qualifier not modelled");
}

static int h_disease(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[96];
	size_t nt = tokenize(x->sk + ms, me - ms, t, 96), i = 0, nq = 0, nd = 0,
	       ne = 0, ng = 0;
	int quals[8], qsep[8], ds[16], ex[16], groups[8];
	int in_ex = 0, has_met = 0, has_local = 0, sep = 0, any_or = 0;
	int k[3], n = 0, node;

	while (i < nt) {
		int idx = ph_index(x, &t[i], "D");
		if (idx >= 0) {
			ctm_constraint c = mk(CTM_K_DISEASE);
			c.concept = x->hits[idx].concept;
			if (in_ex) {
				if (ne >= 16)
					return reject(x, "long disease list");
				if (!ctm_lexicon_is_a(
					    x->lx, c.concept,
					    x->nodes[ds[0]].c.concept))
					return reject(x, "'other than' a "
							 "disease outside");
				ex[ne++] = leaf(x, &c);
			} else {
				if (nd >= 16)
					return reject(x, "long disease list");
				ds[nd++] = leaf(x, &c);
			}
			i++;
			continue;
		}
		if (nd) {
			/* inside the disease list(s) */
			if (teq(&t[i], "other") && i + 1 < nt &&
			    teq(&t[i + 1], "than")) {
				if (nd != 1)
					return reject(x, "'other than' after "
							 "a list");
				in_ex = 1;
				i += 2;
				continue;
			}
			if (teq(&t[i], "except") || teq(&t[i], "excluding") ||
			    teq(&t[i], "apart")) {
				if (nd != 1)
					return reject(x, "'except' after a "
							 "list");
				in_ex = 1;
				i++;
				if (i < nt &&
				    (teq(&t[i], "for") || teq(&t[i], "from")))
					i++;
				continue;
			}
			i++; /* connectives and "other/any/another" */
			continue;
		}
		/* qualifiers and the connectives between them */
		if (teq(&t[i], "or") || teq(&t[i], "and/or") ||
		    teq(&t[i], "/")) {
			sep = X_OR;
			i++;
			continue;
		}
		if (teq(&t[i], "and")) {
			if (sep != X_OR)
				sep = X_AND;
			i++;
			continue;
		}
		if (teq(&t[i], ",")) {
			if (!sep)
				sep = X_LIST;
			i++;
			continue;
		}
		if (teq(&t[i], "metastatic"))
			has_met = 1;
		if (teq(&t[i], "locally") && i + 1 < nt &&
		    teq(&t[i + 1], "advanced"))
			has_local = 1;
		node = stage_word(x, t, nt, &i);
		if (node == R_SKIP)
			continue;
		if (node < 0)
			return node;
		if (nq >= 8)
			return reject(x, "too many qualifiers");
		qsep[nq] = nq ? sep : 0;
		quals[nq++] = node;
		any_or |= sep == X_OR;
		sep = 0;
	}
	if (!nd)
		return R_SKIP;
	if (has_local && !(has_met && any_or))
		return reject(x, "'locally advanced' alone");
	/* "locally advanced and unresectable or metastatic": AND binds
	 * tighter than OR; commas take the list's connective */
	for (i = 0; i < nq; i++) {
		int s2 = qsep[i];
		if (i &&
		    (s2 == 0 || s2 == X_AND || (s2 == X_LIST && !any_or))) {
			groups[ng - 1] = nary(
				x, X_AND, (int[]){groups[ng - 1], quals[i]}, 2);
			continue;
		}
		groups[ng++] = quals[i];
	}
	/* a list of diseases admits any of them */
	k[n++] = nary(x, X_OR, ds, nd);
	if (ne)
		k[n++] = not_(x, nary(x, X_OR, ex, ne));
	if (ng)
		k[n++] = nary(x, any_or ? X_OR : X_AND, groups, ng);
	return nary(x, X_AND, k, (size_t)n);
}

static int h_resect(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_RESECTABLE);
	tok t[16];
	size_t nt = tokenize(x->sk + ms, me - ms, t, 16), i, as, ae;
	int node = -1;

	for (i = 0; i < nt; i++)
		if (teq(&t[i], "unresectable"))
			node = not_(x, leaf(x, &c));
	if (node == -1)
		node = leaf(x, &c);
	if (node >= 0 && grp(x, "adv", &as, &ae)) {
		/* "advanced disease not amenable to surgery": advanced
		 * (metastatic or not resectable), and not resectable */
		tok at = {x->sk + as, ae - as};
		size_t k = 0;
		ctm_constraint m = mk(CTM_K_METASTATIC);
		int q = teq(&at, "distant") ? leaf(x, &m)
					    : stage_word(x, &at, 1, &k),
		    k2[2];
		if (q < 0)
			return q;
		k2[0] = q;
		k2[1] = node;
		node = nary(x, X_AND, k2, 2);
	}
	return node;
}

static int h_stage(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	tok t[16];
	size_t nt = tokenize(x->sk + ms, me - ms, t, 16), i = 0;
	int n = stage_leaf(x, t, nt, &i);

	if (n >= 0 && i != nt)
		return reject(x, "stage");
	return n;
}

static int h_metastatic(struct ctm_criteria_ctx *x, size_t ms, size_t me)
{
	ctm_constraint c = mk(CTM_K_METASTATIC);

	(void)ms, (void)me;
	return leaf(x, &c);
}

/* ------------------------------------------------------------------ */
/* Stage 4: recognizers, then the sentence grammar                     */
/* ------------------------------------------------------------------ */

static uint32_t kinds_of(const struct ctm_criteria_ctx *x, int id,
			 unsigned depth)
{
	const xnode *nd = &x->nodes[id];
	uint32_t m = 0;
	size_t i;

	if (nd->op == X_LEAF)
		return 1u << nd->c.kind;
	if (depth > 32)
		return 0;
	for (i = 0; i < nd->n; i++)
		m |= kinds_of(x, x->kids[nd->first + i], depth + 1);
	return m;
}

/* Replaces sk[ms,me) by " Qn ". */
static int substitute(struct ctm_criteria_ctx *x, size_t ms, size_t me,
		      int node, size_t *resume)
{
	char q[32];
	size_t ql, tail = x->sklen - me;

	if (x->nq >= MAX_CLAUSES)
		return reject(x, "too many clauses");
	x->clause[x->nq] = node;
	x->qkinds[x->nq] = kinds_of(x, node, 0);
	ql = (size_t)snprintf(q, sizeof(q), " Q%zu ", x->nq);
	x->nq++;
	if (ms + ql + tail + 1 >= sizeof(x->sk))
		return reject(x, "skeleton too long");
	memmove(x->sk + ms + ql, x->sk + me, tail + 1);
	memcpy(x->sk + ms, q, ql);
	x->sklen = ms + ql + tail;
	*resume = ms;
	sk_squeeze(x);
	return 0;
}

static int run_recognizers(struct ctm_criteria_ctx *x)
{
	int r;

	for (r = 0; r < N_RECOGNIZERS; r++) {
		size_t start = 0, ms, me;
		int guard = 0, f;

		if (!has_any(&x->p->rx_need[r], &x->ts_sk, x->sk, x->sklen))
			continue;
		while ((f = find(x, r, start, &ms, &me)) == 1) {
			int node;
			if (++guard > 64)
				return reject(x, "recognizer loop");
			if (me == ms) {
				start = me + 1;
				continue;
			}
			node = recognizers[r].fn(x, ms, me);
			if (node == R_SKIP) {
				start = me;
				continue;
			}
			if (node < 0)
				return node;
			if (substitute(x, ms, me, node, &start))
				return R_REJECT;
		}
		if (f < 0)
			return f;
	}
	return 0;
}

/* Words that carry nothing once the clauses are found. */
static const char *const fillers[] = {"patients",
				      "patient",
				      "subjects",
				      "subject",
				      "participants",
				      "participant",
				      "individuals",
				      "persons",
				      "people",
				      "person",
				      "women",
				      "woman",
				      "men",
				      "man",
				      "males",
				      "male",
				      "females",
				      "female",
				      "adults",
				      "adult",
				      "those",
				      "they",
				      "pts",
				      "who",
				      "which",
				      "that",
				      "whose",
				      "have",
				      "has",
				      "had",
				      "having",
				      "be",
				      "is",
				      "are",
				      "was",
				      "were",
				      "been",
				      "being",
				      "must",
				      "should",
				      "will",
				      "shall",
				      "may",
				      "can",
				      "need",
				      "needs",
				      "required",
				      "require",
				      "requires",
				      "mandatory",
				      "to",
				      "by",
				      "per",
				      "as",
				      "at",
				      "in",
				      "on",
				      "for",
				      "from",
				      "of",
				      "the",
				      "a",
				      "an",
				      "this",
				      "these",
				      "their",
				      "his",
				      "her",
				      "its",
				      "documented",
				      "known",
				      "confirmed",
				      "evidence",
				      "presence",
				      "present",
				      "demonstrated",
				      "study",
				      "detectable",
				      "entry",
				      "enrollment",
				      "enrolment",
				      "registration",
				      "screening",
				      "time",
				      "baseline",
				      "either",
				      "both",
				      "also",
				      "criteria",
				      "with",
				      "(",
				      ")",
				      ":",
				      "=",
				      "all",
				      "following",
				      "any",
				      NULL};

/* Fillers only where a clause of the given kinds is present. */
static const struct {
	uint32_t kinds;
	const char *const words[48];
} ctx_fillers[] = {
	{(1u << CTM_K_THERAPY) | (1u << CTM_K_PRIOR_LINES),
	 {"prior",	    "previous",	 "previously", "received",
	  "receive",	    "treated",	 "treatment",  "treatments",
	  "therapy",	    "therapies", "exposure",   "exposed",
	  "history",	    "undergone", "underwent",  "use",
	  "administration", "dose",	 "doses",      "other",
	  "disease",	    "receipt",	 NULL}},
	{(1u << CTM_K_BIOMARKER), {"tumor",
				   "tumour",
				   "tumors",
				   "tumours",
				   "status",
				   "gene",
				   "genes",
				   "tissue",
				   "testing",
				   "test",
				   "tested",
				   "local",
				   "central",
				   "laboratory",
				   "assay",
				   "assessment",
				   "determined",
				   "detected",
				   "assessed",
				   "harboring",
				   "harbouring",
				   "harbors",
				   "harbours",
				   "harbor",
				   "harbour",
				   "carrying",
				   "carry",
				   "carries",
				   "activating",
				   "disease",
				   "demonstrates",
				   "demonstrating",
				   "shows",
				   "showing",
				   "malignancy",
				   "malignancies",
				   "cancer",
				   "histologically",
				   "cytologically",
				   "proven",
				   NULL}},
	{(1u << CTM_K_LAB),
	 {"adequate",	 "function",	  "organ",	  "marrow",
	  "hematologic", "hematological", "haematologic", "haematological",
	  "renal",	 "kidney",	  "coagulation",  "values",
	  "value",	 "level",	  "levels",	  "count",
	  "counts",	 "serum",	  "total",	  "calculated",
	  "estimated",	 "measured",	  "laboratory",	  NULL}},
	{(1u << CTM_K_ECOG) | (1u << CTM_K_KARNOFSKY),
	 {"performance", "status", "score", "scale", NULL}},
	{(1u << CTM_K_SITE) | (1u << CTM_K_BRAIN_METS) |
		 (1u << CTM_K_METASTATIC),
	 {"metastases", "metastasis", "lesions", "lesion", "involvement",
	  "history", "disease", NULL}},
	{(1u << CTM_K_DISEASE) | (1u << CTM_K_STAGE),
	 {"histologically", "cytologically", "histological", "cytological",
	  "pathologically", "pathological", "proven", "verified", "diagnosis",
	  "diagnosed", "disease", "tumor", "tumour", "tumors", "tumours",
	  NULL}},
	{(1u << CTM_K_MEASURABLE) | (1u << CTM_K_RESECTABLE),
	 {"disease", "tumor", "tumour", "lesions", "lesion", "metastases",
	  "considered", "potentially", "deemed", "judged", NULL}},
};

/* Words that may stand between two clauses besides connectives. */
static const char *const between[] = {
	"patients", "patient", "subjects", "participants", "who",
	"whose",
	"which",    "that",    "have",	   "has",	   "had",
	"be",	    "is",      "are",	   "must",	   "should",
	"the",	    "a",       "an",	   "also",	   "(",
	")",	    ":",       "either",   "both",	   "from",
	"considered", "potentially", "deemed", "judged", "disease",
	NULL};

static int is_filler(const tok *t, uint32_t kinds)
{
	size_t i;

	if (tin(t, fillers))
		return 1;
	for (i = 0; i < sizeof(ctx_fillers) / sizeof(ctx_fillers[0]); i++)
		if ((ctx_fillers[i].kinds & kinds) &&
		    tin(t, ctx_fillers[i].words))
			return 1;
	return 0;
}

static const char *const negw[] = {"no",   "not",    "without", "never",
				   "none", "cannot", "neither", "absence",
				   "free", "lack",   NULL};
/* after the clauses: the sentence states an exclusion */
static const char *const exclw[] = {"excluded", "prohibited", "ineligible",
				    "exclusionary", NULL};

/* Structural equality of two unlowered nodes. */
static int same_node(const struct ctm_criteria_ctx *x, int a, int b,
		     unsigned depth)
{
	const xnode *na = &x->nodes[a], *nb = &x->nodes[b];
	size_t i;

	if (na->op != nb->op || na->n != nb->n || depth > 32)
		return 0;
	if (na->op == X_LEAF)
		return !memcmp(&na->c, &nb->c, sizeof(na->c));
	for (i = 0; i < na->n; i++)
		if (!same_node(x, x->kids[na->first + i],
			       x->kids[nb->first + i], depth + 1))
			return 0;
	return 1;
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
static const char *const connw[] = {",",   ";",	  "and", "or",	"and/or",
				     "/",   "nor", "plus", "+", NULL};
static const char *const modalw[] = {"must",	 "should",   "shall",
				     "cannot",	 "may",	     "need",
				     "needs",	 "required", "require",
				     "requires", NULL};
static const char *const permw[] = {"allowed", "permitted", "eligible",
				    "acceptable", NULL};
static const char *const restrictw[] = {"with",	 "that",      "which",
					"who",	 "whose",     "requiring",
					"including", "for",    NULL};
static const char *const denyw[] = {
	"no",	      "not",	     "without",	    "never",	"none",
	"cannot",     "neither",     "nor",	    "unless",	     "except",	    "excluding", "but",
	"however",    "only",	     "if",	    "whether",	"either",
	"regardless", "irrespective", "instead",    "unable",	"inability",
	"unwilling",  "must",	     "should",	    "shall",	"may",
	"might",      "can",	     "could",	    "optional", "waived",
	"discretion", "considered",  "deemed",	    "than",	"apart",
	"besides",    "n't",	     "other",	    "such",	"equivalent",
	"similar",    "related",     "see",	    "refer",	"described",
	"specified",  "listed",	     "below",	    "above",	"following",
	NULL};
/* qualifiers of time and setting */
static const char *const timew[] = {
	"within",     "since",	    "before",	   "after",	"prior",
	"previous",   "previously", "recent",	   "recently",	"current",
	"currently",  "concurrent", "concurrently", "concomitant", "ongoing",
	"day",	      "days",	    "week",	   "weeks",	"month",
	"months",     "year",	    "years",	   "ago",	"during",
	"adjuvant",   "neoadjuvant", "metastatic", "advanced",	"setting",
	"line",	      "lines",	    "first",	   "second",	"last",
	NULL};
/* qualifiers a list item could share with the other items: those of time
 * and setting (timew), and these */
static const char *const sharedw_more[] = {
	"active",    "untreated",   "treated",	  "symptomatic", "stable",
	"history",   "for",	    "in",	  "at",	       "to",
	"from",	     "by",	    "as",	  "on",	       "of",
	"uncontrolled", "progressive", "progressing", "chronic", "acute",
	"severe",    "significant", "clinically", "grade",     "any",
	"all",	     "each",	    "every",	  "receiving", "received",
	"receive",   "taking",	    "take",	  "taken",     "using",
	"use",	     "used",	    "undergoing", "underwent", "undergone",
	"exposure",  "exposed",	    "had",	  "have",      "has",
	"having",    "been",	    "who",	  "which",     "that",
	"known",     "suspected",   "documented", "evidence",  "presence",
	"primary",   "secondary",   "recurrent",  "locally",   "local",
	"distant",   "regional",    "newly",	  "relapsed",  "refractory",
	NULL};

static int shared_word(const tok *t)
{
	return tin(t, timew) || tin(t, sharedw_more);
}
static const char *const denypre[] = {"contraindicat", "candidat", "allerg",
				      "hypersensitiv", "intoleran", "refus",
				      "declin",	       "plan",	   "permit",
				      "allow",	       "exclu",	   "eligib",
				      "ineligib",      "accept",   "waive",
				      "except",	       NULL};

static int denied(const tok *t)
{
	size_t i;

	if (tin(t, denyw))
		return 1;
	for (i = 0; denypre[i]; i++) {
		size_t l = strlen(denypre[i]);
		if (t->n >= l && !memcmp(t->p, denypre[i], l))
			return 1;
	}
	return 0;
}

/* True if the (unlowered) node holds a NOT. */
static int has_not(const struct ctm_criteria_ctx *x, int id, unsigned depth)
{
	const xnode *nd = &x->nodes[id];
	size_t i;

	if (nd->op == X_NOT || depth > 32)
		return 1;
	for (i = 0; i < nd->n; i++)
		if (has_not(x, x->kids[nd->first + i], depth + 1))
			return 1;
	return 0;
}

/* A word that no clause, connective or filler accounts for. */
static int unknown_word(const struct ctm_criteria_ctx *x, const tok *t,
			uint32_t kinds)
{
	if (ph_index(x, t, "Q") >= 0)
		return 0;
	if (tin(t, connw) || tin(t, negw) || tin(t, exclw) || tin(t, permw) ||
	    tin(t, modalw) || teq(t, "including") || teq(t, "with") ||
	    teq(t, "-") || teq(t, ":"))
		return 0;
	if (t->p[0] >= 'A' && t->p[0] <= 'Z')
		return 1; /* a term no pattern understood */
	return !is_filler(t, kinds);
}

/* A new clause for node, of the given kinds; its "Qn" token in *out. */
static int new_clause(struct ctm_criteria_ctx *x, int node, uint32_t kinds,
		      tok *out)
{
	size_t k = x->nq;

	if (node < 0)
		return node;
	if (k >= MAX_CLAUSES)
		return reject(x, "too many clauses");
	x->clause[k] = node;
	x->qkinds[k] = kinds;
	snprintf(x->qname[k], sizeof(x->qname[k]), "Q%zu", k);
	x->nq++;
	out->p = x->qname[k];
	out->n = strlen(x->qname[k]);
	return 0;
}

/* A new clause holding one unread leaf; its "Qn" token in *out. */
static int unread_clause(struct ctm_criteria_ctx *x, tok *out);
static int unread_clause(struct ctm_criteria_ctx *x, tok *out)
{
	ctm_constraint c = unread_leaf(x);
	int node = leaf(x, &c);
	size_t k = x->nq;

	if (node < 0)
		return node;
	if (k >= MAX_CLAUSES)
		return reject(x, "too many clauses");
	x->clause[k] = node;
	x->qkinds[k] = 1u << CTM_K_NONE;
	snprintf(x->qname[k], sizeof(x->qname[k]), "Q%zu", k);
	x->nq++;
	out->p = x->qname[k];
	out->n = strlen(x->qname[k]);
	return 0;
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
	       i + 1 < nt && ph_index(x, &t[i + 1], "Q") < 0 &&
	       !tin(&t[i + 1], connw) && !shared_word(&t[i + 1]) &&
	       !denied(&t[i + 1]);
}

/*
 * Rewrites the sentence t[0,nt) into o (same capacity), unread parts
 * replaced by clauses: an item by "Qn", a restriction by "with Qn".
 */
static int read_unread(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		       tok *o, size_t *no)
{
	static const tok with = {"with", 4};
	static const char *const cmpw[] = {">", ">=", "<", "<=", "to", "-",
					   NULL};
	static const char *const safeprew[] = {
		"prior",    "previous", "previously", "treatment", "therapy",
		"with",	    "received", "receive",    "exposure",  "exposed",
		"to",	    "of",	"had",	      "have",	   "has",
		"been",	    "who",	"patients",   "any",	   "the",
		"a",	    "an",	"treated",    NULL};
	static const char *const bmnarroww[] = {
		"pathogenic", "deleterious", "oncogenic", "likely", NULL};
	static const char *const linew[] = {
		"first", "second", "third", "1st", "2nd", "3rd", "front",
		"frontline", "line", NULL};
	static const char *const comparw[] = {
		"lower", "less", "higher", "greater", "more", "fewer",
		"above", "below", "better", "worse", "longer", "shorter",
		"older", "younger", NULL};
	uint32_t kinds = 0;
	size_t i, j, m, n = 0, clauses = 0, conns = 0;

	for (i = 0; i < nt; i++) {
		int q = ph_index(x, &t[i], "Q");
		if (q >= 0)
			kinds |= x->qkinds[q];
	}
	if (!kinds)
		return reject(x, "nothing understood");
	for (i = 0; i < nt;) {
		size_t end;

		if (!unknown_word(x, &t[i], kinds)) {
			if (ph_index(x, &t[i], "Q") >= 0)
				clauses++;
			else if (tin(&t[i], connw))
				conns++;
			o[n++] = t[i++];
			continue;
		}
		/* "measurable disease >= 20 mm in 1 dimension", "a
		 * hepatic lesion of >= 20 mm": a size narrows a lesion */
		if (n && tin(&t[i], cmpw) && !teq(&t[i], "to") &&
		    !teq(&t[i], "-")) {
			size_t b = n;
			if (teq(&o[b - 1], "of"))
				b--;
			if (b && ph_index(x, &o[b - 1], "Q") >= 0 &&
			    !(x->qkinds[ph_index(x, &o[b - 1], "Q")] &
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
		if (n && ph_index(x, &o[n - 1], "Q") >= 0 &&
		    !(x->qkinds[ph_index(x, &o[n - 1], "Q")] &
		      ~((1u << CTM_K_ECOG) | (1u << CTM_K_KARNOFSKY) |
			(1u << CTM_K_LAB) | (1u << CTM_K_MEASURABLE)))) {
			for (end = i; end < nt; end++)
				if (!is_digit_c(t[end].p[0]) &&
				    !crules_is_word(&x->p->rules,
						    CRULES_ASSESS_WINDOW,
						    t[end].p, t[end].n))
					break;
			if (end == nt && teq(&t[i], "within"))
				break;
		}
		if (n && ph_index(x, &o[n - 1], "Q") >= 0)
			return reject(x, "unread words after a clause");
		/* "first-line oxaliplatin", "pathogenic POLE mutation": the
		 * word narrows a therapy or a biomarker */
		for (end = i; end < nt && (tin(&t[end], linew) ||
					   tin(&t[end], bmnarroww));
		     end++)
			;
		if (end > i && end < nt && ph_index(x, &t[end], "Q") >= 0) {
			int cq = ph_index(x, &t[end], "Q");
			uint32_t ok = tin(&t[i], linew)
					      ? (1u << CTM_K_THERAPY)
					      : (1u << CTM_K_BIOMARKER);
			if ((x->qkinds[cq] & ~ok) ||
			    has_not(x, x->clause[cq], 0))
				return reject(x, "a word before a clause");
			{
				ctm_constraint u = unread_leaf(x);
				int k2[2] = {leaf(x, &u), x->clause[cq]};
				int node = nary(x, X_AND, k2, 2);
				if (node < 0)
					return node;
				x->clause[cq] = node;
				x->qkinds[cq] |= 1u << CTM_K_NONE;
			}
			i = end;
			continue;
		}
		/* "More than 3 liver metastases": a count narrows a site */
		for (end = i; end < nt && (is_digit_c(t[end].p[0]) ||
					   tin(&t[end], cmpw));
		     end++)
			;
		if (end > i && end < nt && ph_index(x, &t[end], "Q") >= 0) {
			int cq = ph_index(x, &t[end], "Q");
			uint32_t ok = (1u << CTM_K_SITE) |
				      (1u << CTM_K_BRAIN_METS) |
				      (1u << CTM_K_METASTATIC);
			if ((x->qkinds[cq] & ~ok) || has_not(x, x->clause[cq], 0))
				return reject(x, "a number before a clause");
			{
				ctm_constraint u = unread_leaf(x);
				int k2[2] = {leaf(x, &u), x->clause[cq]};
				int node = nary(x, X_AND, k2, 2);
				if (node < 0)
					return node;
				x->clause[cq] = node;
				x->qkinds[cq] |= 1u << CTM_K_NONE;
			}
			i = end; /* the clause itself is copied next */
			continue;
		}
		for (m = n; m && is_filler(&o[m - 1], kinds) &&
			    !tin(&o[m - 1], restrictw) && !teq(&o[m - 1], ")");
		     m--)
			;
	restriction:
		if (m >= 2 && tin(&o[m - 1], restrictw) &&
		    ph_index(x, &o[m - 2], "Q") >= 0) {
			/* "X with ...": to the end or the next connective */
			int cq = ph_index(x, &o[m - 2], "Q");
			const xnode *cn = &x->nodes[x->clause[cq]];
			if (clauses != 1 || conns)
				return reject(x, "a restriction in a list");
			/* a restriction narrows what a clause asserts; under a
			 * negation ("4 weeks since radiotherapy for ...") or an
			 * upper bound ("at most 4 courses of chemotherapy for
			 * ...") it would widen it */
			if (has_not(x, x->clause[cq], 0) ||
			    (cn->op == X_LEAF && cn->c.kind == CTM_K_PRIOR_LINES &&
			     !isinf(cn->c.hi)))
				return reject(x, "a restriction of a negated or "
						 "bounded clause");
			/* to the end, or to connectives a clause follows; a
			 * bare "or" inside ("of 20 or lower") is its own, a
			 * ", or" starts another item */
			for (end = i; end < nt; end++) {
				size_t k;
				if (ph_index(x, &t[end], "Q") >= 0)
					return reject(x, "a clause in a "
							 "restriction");
				if (tin(&t[end], connw)) {
					for (k = end; k < nt && (tin(&t[k], connw) ||
								 !unknown_word(x, &t[k], kinds)) &&
						      ph_index(x, &t[k], "Q") < 0;
					     k++)
						;
					if (k < nt && ph_index(x, &t[k], "Q") >= 0)
						break;
					/* only "20 or lower": another "or" may
					 * start an alternative to the clause */
					if (!(teq(&t[end], "or") && end + 1 < nt &&
					      tin(&t[end + 1], comparw)))
						return reject(x, "a list in a "
								 "restriction");
				}
				if (denied(&t[end]))
					return reject(x, "a restriction that "
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
				return reject(x, "an unread item that is not a "
						 "word");
			for (j = 0; j < nt; j++) {
				int q = ph_index(x, &t[j], "Q");
				if (q >= 0 && x->nodes[x->clause[q]].op == X_NOT)
					return reject(x, "an unread item next "
							 "to a negated clause");
			}
			/* an item between two clauses shares its qualifiers
			 * with neither ("brain metastases, a history of
			 * arterial thrombosis in the last year, or ...") */
			int middle = 0, safe_prefix = 0;
			for (j = 0; j < n; j++)
				if (ph_index(x, &o[j], "Q") >= 0)
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
					if (ph_index(x, &t[b], "Q") >= 0)
						middle = 1;
				/* a last item after ECOG, labs or age: their
				 * clauses take no qualifier from it */
				if (!(kinds & qs))
					middle = 1;
			}
			while (k && !tin(&o[k - 1], connw) &&
			       is_filler(&o[k - 1], kinds) &&
			       (middle || !shared_word(&o[k - 1])))
				k--;
			/* "Patients who have previously received SU5416, X, or
			 * Y": words of plain prior exposure before a first item
			 * qualify the list the way "prior" does anyway */
			if (k && !middle) {
				size_t b = k;
				while (b && tin(&o[b - 1], safeprew))
					b--;
				for (j = 0; j < b; j++)
					if (ph_index(x, &o[j], "Q") >= 0 ||
					    !is_filler(&o[j], kinds))
						break;
				if (j == b && b < k &&
				    (kinds & (1u << CTM_K_THERAPY))) {
					k = 0;
					safe_prefix = 1;
				}
			}
			/* "No local recurrence or extrahepatic metastases": the
			 * first item of a denied list, right after the cue */
			if (k && !tin(&o[k - 1], connw) &&
			    !(k == 1 && tin(&o[0], negw) && !middle))
				return reject(x, "unread words after a clause");
			for (end = i; end < nt && !tin(&t[end], connw) &&
				      ph_index(x, &t[end], "Q") < 0;
			     end++)
				if (denied(&t[end]) ||
				    (!middle && shared_word(&t[end]) &&
				     !local_noun(x, t, nt, end)))
					return reject(x, "an unread item that "
							 "may reach the list");
			if (end < nt && ph_index(x, &t[end], "Q") >= 0)
				return reject(x, "words before a clause");
			for (j = k; j < n && !safe_prefix; j++)
				if (!middle && shared_word(&o[j]))
					return reject(x, "an unread item that "
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
					int qq = ph_index(x, &o[a], "Q");
					if (qq >= 0) {
						before = (x->qkinds[qq] & th) != 0;
						break;
					}
				}
				for (b = end; b < nt; b++) {
					int qq = ph_index(x, &t[b], "Q");
					if (qq >= 0) {
						after = (x->qkinds[qq] & th) != 0;
						break;
					}
				}
				if (before && after)
					return reject(x, "an unread item inside "
							 "a therapy list");
				if (!x->therapy_cue)
					return reject(x, "an unread item next to "
							 "a bare therapy");
			}
		}
		if (unread_clause(x, &o[n]))
			return R_REJECT;
		n++;
		clauses++;
		i = end;
	}
	*no = n;
	return 0;
}

/*
 * True if node b says no more than a: the same tree, or the same
 * biomarker and status ("TMB >= 10 (TMB-H)").
 */
static int restates(const struct ctm_criteria_ctx *x, int a, int b)
{
	const xnode *na = &x->nodes[a], *nb = &x->nodes[b];

	if (same_node(x, a, b, 0))
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
static int assemble(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
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
		int q = ph_index(x, &t[i], "Q");
		if (q >= 0)
			kinds |= x->qkinds[q];
	}
	*skinds = kinds;
	for (i = 0; i < nt; i++) {
		int q = ph_index(x, &t[i], "Q");
		if (q >= 0) {
			if (post_neg || permission)
				return reject(x, "clause after a negation");
			if (after_neg)
				return reject(x, "negation between clauses");
			if (nseq >= MAX_CLAUSES)
				return reject(x, "too many clauses");
			/* "MSS (MSI stable)": a restatement in parentheses */
			if (nseq && i > 0 && teq(&t[i - 1], "(") &&
			    i + 1 < nt && teq(&t[i + 1], ")") &&
			    restates(x, seq[nseq - 1], x->clause[q])) {
				i++;
				continue;
			}
			/* "microsatellite stable or mismatch repair proficient":
			 * one fact said twice */
			if (nseq && pending == SEP_OR &&
			    !(x->qkinds[q] & (1u << CTM_K_NONE)) &&
			    same_node(x, seq[nseq - 1], x->clause[q], 0)) {
				pending = 0;
				continue;
			}
			if (nseq && odd_between)
				return reject(x, "a word between two clauses");
			if (modal_after)
				return reject(x,
					      "a condition: 'X must have Y'");
			seps[nseq] = pending;
			qk[nseq] = x->qkinds[q];
			seq[nseq++] = x->clause[q];
			pending = 0;
			odd_between = 0;
			continue;
		}
		if (t[i].p[0] >= 'A' && t[i].p[0] <= 'Z')
			return reject(x, "a term no pattern understood");
		if (tin(&t[i], negw)) {
			if (nseq == 0 && teq(&t[i], "cannot"))
				x->modal_first = 1;
			if (nseq == 0)
				pre_neg++;
			else
				after_neg = 1;
			continue;
		}
		if (tin(&t[i], exclw) && nseq) {
			post_neg++;
			continue;
		}
		if (teq(&t[i], "allowed") || teq(&t[i], "permitted") ||
		    teq(&t[i], "eligible") || teq(&t[i], "acceptable")) {
			if (nseq && after_neg)
				post_neg++;
			else if (teq(&t[i], "eligible") && nseq == 0)
				; /* "eligible patients have ..." */
			else
				permission = 1;
			after_neg = 0;
			continue;
		}
		if (teq(&t[i], ",") || teq(&t[i], ";")) {
			pending |= SEP_COMMA;
			continue;
		}
		if (teq(&t[i], "and") || teq(&t[i], "plus") ||
		    teq(&t[i], "+")) {
			pending |= SEP_AND;
			continue;
		}
		if (teq(&t[i], "or") || teq(&t[i], "and/or") ||
		    teq(&t[i], "/") || teq(&t[i], "nor")) {
			pending |= SEP_OR;
			continue;
		}
		if (teq(&t[i], "including") || teq(&t[i], "with") ||
		    teq(&t[i], "plus")) {
			if (nseq)
				pending |= SEP_TIGHT;
			if (nseq && teq(&t[i], "including"))
				pending |= SEP_INCL;
			continue;
		}
		if (!nseq && (teq(&t[i], "must") || teq(&t[i], "should") ||
			      teq(&t[i], "shall") || teq(&t[i], "cannot") ||
			      teq(&t[i], "may"))) {
			/* "may have received X" permits X, it requires
			 * nothing; "may not", "may receive no" forbid */
			if (teq(&t[i], "may")) {
				size_t k;
				for (k = i + 1; k < nt &&
						ph_index(x, &t[k], "Q") < 0 &&
						!tin(&t[k], negw);
				     k++)
					;
				if (k == nt || !tin(&t[k], negw))
					return reject(x, "a permission: "
							 "'may ...'");
			}
			x->modal_first = 1;
			continue;
		}
		/* "patients with liver metastases must have ...": a
		 * condition, not a conjunction */
		if (nseq && (teq(&t[i], "must") || teq(&t[i], "should") ||
			     teq(&t[i], "need") || teq(&t[i], "needs") ||
			     teq(&t[i], "required") || teq(&t[i], "require") ||
			     teq(&t[i], "requires"))) {
			modal_after = 1;
			continue;
		}
		/* "Breast cancer - no more than 2 prior therapies",
		 * "Lung: ...": a label for what follows, not a conjunction */
		if (teq(&t[i], "-") || teq(&t[i], ":")) {
			if (nseq)
				odd_between = 1;
			continue;
		}
		if (is_filler(&t[i], kinds)) {
			if (nseq && !tin(&t[i], between))
				odd_between = 1;
			continue;
		}
		snprintf(x->reason, sizeof(x->reason),
			 "word not understood: %.*s",
			 (int)(t[i].n > 40 ? 40 : t[i].n), t[i].p);
		return R_REJECT;
	}
	if (permission)
		return reject(x, "a permission, not a criterion");
	if (after_neg && !post_neg)
		return reject(x, "negation after the clauses");
	if (!nseq)
		return reject(x, "nothing understood");
	if (pre_neg > 1 || (pre_neg && post_neg) || post_neg > 1)
		return reject(x, "several negations");
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
					return reject(x, "two therapy clauses "
							 "side by side");
				cur[nc++] = seq[g];
				continue;
			}
			if (g && (s & SEP_TIGHT))
				return reject(x, "'with' inside a list");
			if (nc)
				groups[ng++] = nary(x, X_AND, cur, nc);
			nc = 0;
			cur[nc++] = seq[g];
			if (g)
				all |= s;
		}
		if (nc)
			groups[ng++] = nary(x, X_AND, cur, nc);
		/* "A with B, C": fine when everything is ANDed, and "A B,
		 * or C D" groups clearly; "A with B or C" is not clear */
		if (ng > 1 && ng < nseq && (all & SEP_OR)) {
			for (g = 1; g < nseq; g++)
				if ((seps[g] & SEP_OR) && !(seps[g] & SEP_COMMA))
					return reject(x, "'with' and a list "
							 "between clauses");
		}
		if ((all & SEP_AND) && (all & SEP_OR))
			return reject(x, "mixed and/or between clauses");
		*out = nary(x, (all & SEP_OR) ? X_OR : X_LIST, groups, ng);
	}
	return *out < 0 ? *out : 0;
}

/* ------------------------------------------------------------------ */
/* Lowering and emission                                               */
/* ------------------------------------------------------------------ */

static int out_node(struct ctm_criteria_ctx *x, int op, const ctm_constraint *c,
		    const int *k, size_t n)
{
	xnode *nd;
	size_t i;

	if (x->no >= MAX_NODES || x->nok + n > MAX_KIDS)
		return reject(x, "too many nodes");
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

/* Structural equality of two lowered trees. */
static int same_tree(const struct ctm_criteria_ctx *x, int a, int b,
		     unsigned depth)
{
	const xnode *na = &x->out[a], *nb = &x->out[b];
	size_t i;

	if (na->op != nb->op || na->n != nb->n || depth > 32)
		return 0;
	if (na->op == X_LEAF)
		return !memcmp(&na->c, &nb->c, sizeof(na->c));
	for (i = 0; i < na->n; i++)
		if (!same_tree(x, x->okids[na->first + i],
			       x->okids[nb->first + i], depth + 1))
			return 0;
	return 1;
}

/*
 * Lowers node id into x->out: LIST becomes AND when asserted and OR when
 * denied (neg = an odd number of NOTs above), double NOTs cancel, nested
 * AND/OR flatten, identical leaves merge.
 */
static int lower(struct ctm_criteria_ctx *x, int id, int neg, unsigned depth)
{
	const xnode *nd = &x->nodes[id];
	int k[64];
	size_t n = 0, i;
	int op;

	if (depth > 32)
		return reject(x, "expression too deep");
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
		if (x->h_time)
			return reject(x, "heading: a time condition");
		if (x->h_current || x->h_within) {
			/* the heading qualifies therapies and nothing else */
			if (c.kind != CTM_K_THERAPY ||
			    (c.flags & (CTM_F_CURRENT | CTM_F_WITHIN |
					CTM_F_PROGRESSED | CTM_F_REFRACTORY)))
				return reject(x, "heading qualifier does not "
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
		int c = lower(x, x->kids[nd->first], !neg, depth + 1);
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
			ctm_constraint pl = mk(CTM_K_PRIOR_LINES);
			pl.lo = pl.hi = 0;
			pl.flags = CTM_F_METASTATIC_SETTING;
			return out_node(x, X_LEAF, &pl, NULL, 0);
		}
		return out_node(x, X_NOT, NULL, &c, 1);
	}
	op = nd->op == X_LIST ? (neg ? X_OR : X_AND) : nd->op;
	for (i = 0; i < nd->n; i++) {
		int c = lower(x, x->kids[nd->first + i], neg, depth + 1);
		const xnode *cn;
		size_t j, m;
		if (c < 0)
			return c;
		cn = &x->out[c];
		if (cn->op == op) {
			for (j = 0; j < cn->n && n < 64; j++) {
				int gk = x->okids[cn->first + j];
				for (m = 0; m < n; m++)
					if (same_tree(x, k[m], gk, 0))
						break;
				if (m == n)
					k[n++] = gk;
			}
			continue;
		}
		for (m = 0; m < n; m++)
			if (same_tree(x, k[m], c, 0))
				break;
		if (m < n)
			continue;
		if (n >= 64)
			return reject(x, "list too long");
		k[n++] = c;
	}
	if (n == 1)
		return k[0];
	return out_node(x, op, NULL, k, n);
}

static size_t count_nodes(const struct ctm_criteria_ctx *x, int id,
			  size_t *leaves)
{
	const xnode *nd = &x->out[id];
	size_t n = 1, i;

	if (nd->op == X_LEAF)
		(*leaves)++;
	for (i = 0; i < nd->n; i++)
		n += count_nodes(x, x->okids[nd->first + i], leaves);
	return n;
}

static void emit(const struct ctm_criteria_ctx *x, int id, ctm_criterion *c,
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
		emit(x, x->okids[nd->first + i], c, ne, nc);
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

static int hmatch(struct ctm_criteria_ctx *x, int rx, const char *h, size_t hl)
{
	int rc = pcre2_match(x->p->re[rx], (PCRE2_SPTR)h, hl, 0, 0, x->md,
			     x->mc);

	if (rc > 0)
		x->cur_rx = rx;
	return rc > 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/*
 * True if the heading offers alternatives ("one of the following"); not
 * for "including all of the following".
 */
static int heading_alternatives(struct ctm_criteria_ctx *x, const char *h,
				size_t hl)
{
	size_t start = 0;

	while (start <= hl) {
		PCRE2_SIZE *ov;
		int rc = pcre2_match(x->p->re[RX_H_ALT], (PCRE2_SPTR)h, hl,
				     start, 0, x->md, x->mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			return 0;
		if (rc < 0)
			return 1;
		ov = pcre2_get_ovector_pointer(x->md);
		if (!(ov[1] - ov[0] == 9 && !strncasecmp(h + ov[0], "including", 9) &&
		      (!strncasecmp(h + ov[1], " all of ", 8) ||
		       !strncasecmp(h + ov[1], " both of ", 9))))
			return 1;
		start = ov[1];
	}
	return 0;
}

/*
 * What the enclosing heading does to a criterion: a cohort, donor or
 * permission heading, alternatives ("one of the following") or a negated
 * lead-in leave it for review; "Excluded within 30 days" and "Concurrent
 * medication" qualify its therapies; "Age:" and "Performance status:" are
 * part of its sentence (*text becomes "<label>: <text>").
 */
static int read_heading(struct ctm_criteria_ctx *x, const ctm_criterion *c,
			const char **text, size_t *len)
{
	const char *h = c->heading;
	size_t hl = strlen(h), s, e;
	int r;

	if (hl > 600)
		return reject(x, "heading too long");
	if (hmatch(x, RX_COHORT, h, hl))
		return reject(x, "criterion under a cohort heading");
	if (hmatch(x, RX_H_REVIEW, h, hl))
		return reject(x,
			      "heading: other people, permission, exception");
	if (c->section != CTM_SECTION_EXCLUSION) {
		if (heading_alternatives(x, h, hl))
			return reject(x,
				      "heading: one of several alternatives");
		if (hmatch(x, RX_H_NEG, h, hl))
			return reject(x, "heading: a negated lead-in");
	} else if (hmatch(x, RX_H_ALL, h, hl)) {
		return reject(x, "heading: all of the following");
	}
	r = hmatch(x, RX_H_WITHIN, h, hl);
	if (r == 1) {
		double v;
		char nb[16];
		size_t us, ue;
		if (!grp(x, "hn", &s, &e) || !grp(x, "hu", &us, &ue) ||
		    e - s >= sizeof(nb))
			return reject(x, "heading time");
		memcpy(nb, h + s, e - s);
		nb[e - s] = '\0';
		v = strtod(nb, NULL);
		if (unit_days(h + us, ue - us, v, &x->h_within))
			return reject(x, "heading time unit");
	} else if (hmatch(x, RX_H_TIME, h, hl)) {
		x->h_time = 1;
	}
	if (hmatch(x, RX_H_CURRENT, h, hl) && !hmatch(x, RX_H_PRIOR, h, hl))
		x->h_current = 1;
	if (x->h_current && x->h_within)
		return reject(x, "heading: concurrent and within");
	if (hmatch(x, RX_H_LABEL, h, hl) && grp(x, "lab", &s, &e)) {
		int n = snprintf(x->text, sizeof(x->text), "%.*s: %s",
				 (int)(e - s), h + s, c->text);
		if (n < 0 || (size_t)n >= sizeof(x->text))
			return reject(x, "criterion too long");
		*text = x->text;
		*len = (size_t)n;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tidying the clauses: what adds nothing to them                      */
/* ------------------------------------------------------------------ */

/* Words of a test, an assay or an assessment (who looked, and how). */
static const char *const assayw[] = {
	"identified",	"detected",	  "determined",	   "confirmed",
	"assessable",	"evaluable",	  "validated",
	"documented",	"assessed",	  "tested",	   "measured",
	"performed",	"demonstrated",	  "evaluated",	   "judged",
	"reviewed",	"as",		  "by",		   "on",
	"in",		"using",	  "per",	   "via",
	"according",	"to",		  "the",	   "a",
	"an",		"of",		  "from",	   "local",
	"central",	"centrally",	  "locally",	   "site",
	"sites",	"laboratory",	  "laboratories",  "lab",
	"labs",		"clia",		  "certified",	   "accredited",
	"accreditation", "equivalently",  "equivalent",	   "approved",
	"validated",	"fda",		  "test",	   "tests",
	"testing",	"assay",	  "assays",	   "sequencing",
	"next",		"generation",	  "ngs",	   "pcr",
	"rt",		"ihc",		  "immunohistochemistry",
	"immunohistochemical", "fish",	  "ish",	   "situ",
	"hybridization", "hybridisation", "report",	   "reports",
	"pathology",	"pathologist",	  "pathologists",  "analysis",
	"method",	"methods",	  "platform",	   "panel",
	"genomic",	"molecular",	  "screening",	   "assessment",
	"evaluation",	"review",	  "investigator",  "investigators",
	"radiologist",	"radiologists",	  "physician",	   "physicians",
	"surgeon",	"surgeons",	  "hepatobiliary", "multidisciplinary",
	"team",		"tumor",	  "tumour",	   "board",
	"independent",	"blinded",	  "committee",	   "ct",
	"mri",		"scan",		  "scans",	   "imaging",
	"radiographic", "radiographically", "radiological", "radiologically",
	"pet",		"ultrasound",	  "criteria",	   "recist",
	"version",	"v1.1",		  "1.1",	   "guidelines",
	"circulating",	"dna",		  "ctdna",	   "cfdna",
	"liquid",	"biopsy",	  "blood",	   "plasma",
	"tissue",	"sample",	  "specimen",	   "archival",
	"loss",		"expression",	  "protein",	   "staining",
	"positive",	"1",		  "2",		   "3",
	"+",		"/",		  "(",		   ")",
	",",		"or",		  "and",	   "-",
	"whole",	"exome",	  "genome",	   "any",
	"validated",	"commercially",	  "available",	   "colonoscopy",
	"endoscopy",	"histology",	  "histologically", "cytology",
	"cytologically", "with",	  "/ish",	   "/fish",
	"ish-positive", "mlh1",		  "msh2",	   "msh6",
	"pms2",		"mmr",		  "proteins",	   "documented",
	"eastern",	"cooperative",	  "oncology",
	"group",	"ecog",		  "who",	   "zubrod",
	"performance",	"scale",	  "status",	   "score",
	"conventional", "techniques",	  "technique",	   NULL};
/* the nouns such a phrase may end on after a name ("the Acme assay") */
static const char *const assaynounw[] = {"assay", "assays", "test", "testing",
					 "assessment", "panel", "platform",
					 "laboratory", "lab", "sequencing",
					 "report", NULL};
/* the words that open such a phrase after a clause */
static const char *const assay_openw[] = {
	"identified", "detected",  "determined", "confirmed", "documented",
	"assessed",   "tested",	   "measured",	 "performed", "demonstrated",
	"evaluated",  "judged",	   "reviewed",	 "as",	      "by",
	"assessable", "evaluable",
	"on",	      "using",	   "per",	 "via",	      "according",
	"centrally",  "locally",   ":",		 NULL};

/* The kinds of the clauses among t[0,n). */
static uint32_t kinds_in(const struct ctm_criteria_ctx *x, const tok *t,
			 size_t n)
{
	uint32_t k = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int q = ph_index(x, &t[i], "Q");
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
static int tidy(struct ctm_criteria_ctx *x)
{
	static const tok including = {"including", 9};
	static const tok with = {"with", 4};
	tok t[MAX_TOKS], o[MAX_TOKS];
	size_t nt = tokenize(x->sk, x->sklen, t, MAX_TOKS), i, j, n = 0;
	char *keep[MAX_TOKS];
	int metastatic_clause = 0;
	char buf[BUF_CAP];
	size_t len = 0;

	(void)keep;
	if (nt >= MAX_TOKS)
		return reject(x, "sentence too long");
	/* an allowance for adjuvant therapy may be dropped next to a bound
	 * on therapy for metastatic disease ("no prior therapy for
	 * metastatic disease", "at most 2 lines for metastatic disease"),
	 * where it can only admit more; next to a requirement ("at least 1
	 * line for metastatic disease (adjuvant counts if ...)") it would
	 * admit fewer */
	for (i = 0; i < nt; i++) {
		int q = ph_index(x, &t[i], "Q");
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
				if (tin(&t[j], negw))
					metastatic_clause = 1;
		}
	}
	for (i = 0; i < nt;) {
		int q = ph_index(x, &t[i], "Q");
		/* ", which must have included X" */
		if (tin(&t[i], (const char *const[]){"which", "that", NULL}) &&
		    n && (ph_index(x, &o[n - 1], "Q") >= 0 ||
			  (teq(&o[n - 1], ",") && n > 1 &&
			   ph_index(x, &o[n - 2], "Q") >= 0))) {
			j = i + 1;
			if (j < nt && (teq(&t[j], "must") || teq(&t[j], "should")))
				j++;
			if (j < nt && (teq(&t[j], "have") || teq(&t[j], "has")))
				j++;
			if (j < nt && teq(&t[j], "been"))
				j++;
			if (j < nt &&
			    tin(&t[j], (const char *const[]){
					       "included", "include",
					       "includes", "contained",
					       "contain", "contains",
					       "containing", NULL})) {
				if (teq(&o[n - 1], ","))
					n--;
				o[n++] = including;
				i = j + 1;
				continue;
			}
		}
		/* "adenocarcinoma ... that is metastatic and/or unresectable":
		 * the disease with its stage qualifiers */
		if (tin(&t[i], (const char *const[]){"that", "which", NULL}) &&
		    n && (q = ph_index(x, &o[n - 1], "Q")) >= 0 &&
		    x->qkinds[q] == (1u << CTM_K_DISEASE) && i + 2 < nt &&
		    tin(&t[i + 1], (const char *const[]){"is", "are", NULL})) {
			uint32_t stagek = (1u << CTM_K_METASTATIC) |
					  (1u << CTM_K_RESECTABLE) |
					  (1u << CTM_K_STAGE);
			int qs[8], any_or = 0, ok = 1;
			size_t nqs = 0;
			for (j = i + 2; j < nt; j++) {
				int qq = ph_index(x, &t[j], "Q");
				if (qq >= 0 && !(x->qkinds[qq] & ~stagek) &&
				    nqs < 8 && (nqs == 0 || tin(&t[j - 1], connw))) {
					qs[nqs++] = x->clause[qq];
					continue;
				}
				if (nqs && tin(&t[j], connw) && j + 1 < nt &&
				    ph_index(x, &t[j + 1], "Q") >= 0) {
					if (!teq(&t[j], "and") && !teq(&t[j], ","))
						any_or = 1;
					continue;
				}
				if (teq(&t[j], ".") || teq(&t[j], ","))
					break;
				ok = 0;
				break;
			}
			if (ok && nqs) {
				int g = nary(x, any_or ? X_OR : X_AND, qs, nqs);
				int k2[2] = {x->clause[q], g};
				int nn = nary(x, X_AND, k2, 2);
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
		if (teq(&t[i], "if") && i + 1 < nt &&
		    x->section != CTM_SECTION_EXCLUSION) {
			int qc = ph_index(x, &t[i + 1], "Q"), qt = -1;
			size_t j2 = i + 2;
			uint32_t bm = 1u << CTM_K_BIOMARKER,
				 th = 1u << CTM_K_THERAPY;
			if (j2 < nt && teq(&t[j2], ","))
				j2++;
			if (j2 < nt)
				qt = ph_index(x, &t[j2], "Q");
			if (qc >= 0 && qt >= 0 && x->qkinds[qc] == bm &&
			    x->qkinds[qt] == th &&
			    (j2 + 1 == nt || tin(&t[j2 + 1], connw) ||
			     teq(&t[j2 + 1], "."))) {
				int k2[2] = {not_(x, x->clause[qc]),
					     x->clause[qt]};
				int nn = nary(x, X_OR, k2, 2);
				if (nn < 0)
					return nn;
				x->clause[qt] = nn;
				x->qkinds[qt] |= bm;
				/* the comma before "if" goes with it */
				if (n && teq(&o[n - 1], ",") && n > 1 &&
				    tin(&o[n - 2], connw))
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
		if ((q = ph_index(x, &t[i], "Q")) >= 0 && i + 5 < nt &&
		    teq(&t[i + 1], "(") &&
		    (teq(&t[i + 2], "optional") ||
		     (teq(&t[i + 2], "not") &&
		      (teq(&t[i + 3], "mandatory") ||
		       teq(&t[i + 3], "required") ||
		       teq(&t[i + 3], "obligatory")))) &&
		    x->qkinds[q] == (1u << CTM_K_THERAPY) &&
		    x->section != CTM_SECTION_EXCLUSION) {
			size_t k = i + (teq(&t[i + 2], "optional") ? 3 : 4);
			int ql = -1, qc = -1;
			const xnode *ln = &x->nodes[x->clause[q]];
			if (k < nt && teq(&t[k], ")"))
				k++;
			if (k + 1 < nt &&
			    (teq(&t[k], "and/or") || teq(&t[k], "or") ||
			     teq(&t[k], "and")))
				ql = ph_index(x, &t[k + 1], "Q");
			k += 2;
			if (ql >= 0 && k + 2 < nt && teq(&t[k], "for") &&
			    (qc = ph_index(x, &t[k + 1], "Q")) >= 0 &&
			    (teq(&t[k + 2], "patients") ||
			     teq(&t[k + 2], "tumours") ||
			     teq(&t[k + 2], "tumors") ||
			     teq(&t[k + 2], "disease")))
				k += 3;
			else
				qc = -1;
			if (ql >= 0 && (k == nt || teq(&t[k], ".")) &&
			    (ln->op == X_LIST || ln->op == X_AND) && ln->n >= 3 &&
			    x->qkinds[ql] == (1u << CTM_K_THERAPY) &&
			    !has_not(x, x->clause[q], 0) &&
			    !has_not(x, x->clause[ql], 0) &&
			    (qc < 0 ||
			     x->qkinds[qc] == (1u << CTM_K_BIOMARKER))) {
				int req[17], any[18], k2[2], last, r1, r2, u;
				size_t m, nr = 0, na = 0;
				ctm_constraint uc = unread_leaf(x);
				for (m = 0; m < ln->n; m++) {
					int kid = x->kids[ln->first + m];
					if (x->nodes[kid].op != X_LEAF)
						break;
					if (m + 1 < ln->n)
						req[nr++] = kid;
					any[na++] = leaf(x, &x->nodes[kid].c);
				}
				if (m == ln->n && x->nodes[x->clause[ql]].op ==
							  X_LEAF) {
					any[na++] = leaf(x,
						&x->nodes[x->clause[ql]].c);
					last = x->clause[ql];
					if (qc >= 0) {
						k2[0] = not_(x, x->clause[qc]);
						k2[1] = last;
						last = nary(x, X_OR, k2, 2);
					}
					req[nr++] = last;
					r1 = nary(x, X_AND, req, nr);
					r2 = nary(x, X_OR, any, na);
					u = leaf(x, &uc);
					k2[0] = r2;
					k2[1] = u;
					k2[1] = nary(x, X_AND, k2, 2);
					k2[0] = r1;
					r1 = nary(x, X_OR, k2, 2);
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
			static const char *const relw[] = {"that", "which",
							   "who", NULL};
			static const char *const auxw[] = {
				"has", "have", "had", "is", "are", "was",
				"were", "been", NULL};
			static const char *const onw[] = {"on", "after",
							  "following",
							  "during", NULL};
			static const char *const stdw[] = {
				"therapy", "therapies", "treatment",
				"treatments", NULL};
			size_t k = i;
			uint32_t fl = 0;
			if (k < nt && tin(&t[k], relw))
				k++;
			while (k < nt && tin(&t[k], auxw))
				k++;
			if (k + 1 < nt && teq(&t[k], "progressed") &&
			    tin(&t[k + 1], onw)) {
				fl = CTM_F_PROGRESSED;
				k += 2;
			} else if (k < nt && teq(&t[k], "failed")) {
				fl = CTM_F_PROGRESSED;
				k++;
			} else if (k + 1 < nt && teq(&t[k], "refractory") &&
				   teq(&t[k + 1], "to")) {
				fl = CTM_F_REFRACTORY;
				k += 2;
			}
			if (fl) {
				size_t k0 = k;
				if (k < nt && teq(&t[k], ","))
					k++;
				if (k < nt && tin(&t[k], connw) &&
				    !teq(&t[k], ",")) {
					if (!teq(&t[k], "or") &&
					    !teq(&t[k], "and/or"))
						k = nt; /* no match */
					else
						k++;
					while (k < nt && tin(&t[k], auxw))
						k++;
					if (k + 1 < nt &&
					    (teq(&t[k], "intolerant") ||
					     teq(&t[k], "intolerance")) &&
					    (teq(&t[k + 1], "of") ||
					     teq(&t[k + 1], "to"))) {
						fl |= CTM_F_INTOLERANT;
						k += 2;
						if (k < nt && teq(&t[k], ","))
							k++;
					} else if (k + 1 < nt &&
						   teq(&t[k], "refractory") &&
						   teq(&t[k + 1], "to")) {
						/* "progressed on, or are
						 * refractory to, ..." */
						fl |= CTM_F_REFRACTORY;
						k += 2;
						if (k < nt && teq(&t[k], ","))
							k++;
					} else {
						k = nt;
					}
				} else {
					k = k0;
				}
				while (k < nt && (teq(&t[k], "all") ||
						  teq(&t[k], "available") ||
						  teq(&t[k], "approved") ||
						  teq(&t[k], "prior") ||
						  teq(&t[k], "previous")))
					k++;
				if (k + 1 < nt && teq(&t[k], "standard") &&
				    tin(&t[k + 1], stdw) &&
				    (k + 2 == nt || teq(&t[k + 2], "."))) {
					ctm_constraint tc = mk(CTM_K_THERAPY);
					ctm_constraint uc = unread_leaf(x);
					int k2[2];
					tok qt;
					tc.concept = x->p->any_therapy;
					tc.flags = fl;
					k2[0] = leaf(x, &tc);
					k2[1] = leaf(x, &uc);
					k2[0] = nary(x, X_AND, k2, 2);
					if (k2[0] < 0)
						return k2[0];
					if (new_clause(x, k2[0],
						       (1u << CTM_K_THERAPY) |
							       (1u << CTM_K_NONE),
						       &qt))
						return R_REJECT;
					if (n && ph_index(x, &o[n - 1], "Q") >= 0)
						o[n++] = with;
					o[n++] = qt;
					i = k + 2;
					continue;
				}
			}
		}
		/* "X, with or without Y": X, whatever Y */
		if (teq(&t[i], "with") && i + 3 < nt && teq(&t[i + 1], "or") &&
		    teq(&t[i + 2], "without") && n &&
		    (ph_index(x, &o[n - 1], "Q") >= 0 ||
		     (teq(&o[n - 1], ",") && n > 1 &&
		      ph_index(x, &o[n - 2], "Q") >= 0)) &&
		    (q = ph_index(x, &t[i + 3], "Q")) >= 0 &&
		    !has_not(x, x->clause[q], 0) &&
		    (i + 4 == nt || teq(&t[i + 4], ".") ||
		     teq(&t[i + 4], ",") || teq(&t[i + 4], ";"))) {
			if (teq(&o[n - 1], ","))
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
		if (teq(&t[i], "if") && i + 1 < nt && n >= 2 &&
		    teq(&o[n - 1], ",") &&
		    x->section != CTM_SECTION_EXCLUSION &&
		    (i + 2 == nt || teq(&t[i + 2], "."))) {
			int qc = ph_index(x, &t[i + 1], "Q");
			int qt = ph_index(x, &o[n - 2], "Q");
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
				if (last >= 0 && !has_not(x, last, 0) &&
				    (last == x->clause[qt] ||
				     x->nodes[last].op == X_OR)) {
					k2[0] = not_(x, x->clause[qc]);
					k2[1] = last;
					nn = nary(x, X_OR, k2, 2);
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
		if (tin(&t[i], (const char *const[]){"that", "which", NULL}) &&
		    n && ph_index(x, &o[n - 1], "Q") >= 0 && i + 3 < nt &&
		    tin(&t[i + 1], (const char *const[]){"is", "are", NULL}) &&
		    teq(&t[i + 2], "not") &&
		    (q = ph_index(x, &t[i + 3], "Q")) >= 0 &&
		    (i + 4 == nt || tin(&t[i + 4], connw) ||
		     teq(&t[i + 4], "."))) {
			int nn = not_(x, x->clause[q]);
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
		    (teq(&t[i], "(") || (teq(&t[i], ".") && i + 1 < nt))) {
			int paren = teq(&t[i], "("), adj = 0, allow = 0;
			int depth = 0;
			for (j = i + (paren ? 0 : 1); j < nt; j++) {
				if (teq(&t[j], "("))
					depth++;
				if (teq(&t[j], ")") && --depth <= 0 && paren)
					break;
				if (!paren && teq(&t[j], "."))
					break;
				if ((teq(&t[j], "adjuvant") ||
				     teq(&t[j], "neoadjuvant")) && adj >= 0)
					adj = 1;
				if (tin(&t[j], permw) || teq(&t[j], "considered") ||
				    teq(&t[j], "regarded") || teq(&t[j], "counts") ||
				    teq(&t[j], "count"))
					allow = 1;
				{
					/* only adjuvant therapy (and "metastatic
					 * disease") may be named in it */
					int qq = ph_index(x, &t[j], "Q");
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
		if (teq(&t[i], ",") && i + 1 < nt && teq(&t[i + 1], "including") &&
		    n && ph_index(x, &o[n - 1], "Q") >= 0) {
			int bad = 0;
			/* not when a qualifier of the whole list follows the
			 * examples ("..., including X, within 6 weeks") */
			for (j = i + 2; j < nt && !teq(&t[j], "."); j++)
				if (denied(&t[j]) || tin(&t[j], timew) ||
				    is_digit_c(t[j].p[0]) ||
				    (teq(&t[j - 1], ",") && shared_word(&t[j])))
					bad = 1;
			if (!bad) {
				i = j;
				continue;
			}
		}
		/* ", confirmed by colonoscopy with histology" ending a
		 * sentence with a clause: how it was shown */
		if (teq(&t[i], ",") && i + 1 < nt && tin(&t[i + 1], assay_openw) &&
		    n && (kinds_in(x, o, n) & ~((1u << CTM_K_THERAPY) |
						(1u << CTM_K_PRIOR_LINES) |
						(1u << CTM_K_LAB)))) {
			for (j = i + 1; j < nt && tin(&t[j], assayw) &&
				    !tin(&t[j], connw);
			     j++)
				;
			if (j == nt || teq(&t[j], ".")) {
				i = j;
				continue;
			}
		}
		/* "(3+ IHC)": a parenthesis of assay words after a clause */
		if (teq(&t[i], "(") && n && (q = ph_index(x, &o[n - 1], "Q")) >= 0 &&
		    !(x->qkinds[q] & ((1u << CTM_K_THERAPY) |
				      (1u << CTM_K_PRIOR_LINES) |
				      (1u << CTM_K_LAB) | (1u << CTM_K_NONE)))) {
			/* not alternatives ("(IHC 3+ or IHC 2+/ISH+)" says
			 * what "HER2-positive" means) */
			for (j = i + 1; j < nt && !teq(&t[j], ")") &&
				    !teq(&t[j], "(") && !teq(&t[j], "or") &&
				    !teq(&t[j], "and/or") && !teq(&t[j], "/") &&
				    (tin(&t[j], assayw) || teq(&t[j], ":"));
			     j++)
				;
			if (j < nt && j > i + 1 && teq(&t[j], ")")) {
				i = j + 1;
				continue;
			}
		}
		/* the assay or assessor after a clause (or after "( Q )") */
		if (n >= 4 && teq(&o[n - 1], ")") &&
		    ph_index(x, &o[n - 2], "Q") >= 0 && teq(&o[n - 3], "(") &&
		    ph_index(x, &o[n - 4], "Q") >= 0 && tin(&t[i], assay_openw) &&
		    !(x->qkinds[ph_index(x, &o[n - 4], "Q")] &
		      ((1u << CTM_K_THERAPY) | (1u << CTM_K_PRIOR_LINES) |
		       (1u << CTM_K_LAB) | (1u << CTM_K_NONE)))) {
			for (j = i; j < nt && tin(&t[j], assayw) &&
				    !tin(&t[j], connw);
			     j++)
				;
			if (j == nt || teq(&t[j], ".")) {
				i = j;
				continue;
			}
		}
		/* the assay or assessor after a clause */
		if (n && i < nt && (q = ph_index(x, &o[n - 1], "Q")) >= 0 &&
		    !(x->qkinds[q] & ((1u << CTM_K_THERAPY) |
				      (1u << CTM_K_PRIOR_LINES) |
				      (1u << CTM_K_LAB) | (1u << CTM_K_NONE))) &&
		    (tin(&t[i], assay_openw) ||
		     (teq(&t[i], ",") && i + 1 < nt &&
		      tin(&t[i + 1], assay_openw)))) {
			size_t end = i, k;
			int ok = 1;
			for (j = i; j < nt; j++) {
				if (teq(&t[j], ".") || teq(&t[j], ";"))
					break;
				if (tin(&t[j], connw)) {
					/* a connective a clause follows ends it */
					for (k = j; k < nt && tin(&t[k], connw); k++)
						;
					if (k < nt && ph_index(x, &t[k], "Q") >= 0)
						break;
				}
				if (!tin(&t[j], assayw) && !teq(&t[j], ":")) {
					/* "the Acme screening assessment": a
					 * name, ending on an assay noun */
					size_t k2 = j;
					while (k2 < nt && k2 < j + 2 &&
					       !tin(&t[k2], assayw) &&
					       t[k2].p[0] >= 'a' && t[k2].p[0] <= 'z')
						k2++;
					while (k2 < nt && tin(&t[k2], assayw) &&
					       !tin(&t[k2], connw))
						k2++;
					if (k2 > j && (k2 == nt || teq(&t[k2], ".")) &&
					    tin(&t[k2 - 1], assaynounw)) {
						j = k2;
						break;
					}
					ok = 0;
					break;
				}
			}
			end = j;
			/* a run that stopped on a word it does not know is left */
			while (ok && end > i && tin(&t[end - 1], connw))
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
			return reject(x, "skeleton too long");
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
static int read_either(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
		       tok *o, size_t *no)
{
	size_t i, b;

	for (i = 1; i + 2 < nt; i++) {
		if (!teq(&t[i], "and") || !teq(&t[i + 1], "either"))
			continue;
		b = (i >= 2 && teq(&t[i - 1], ",")) ? i - 1 : i;
		if (!b || ph_index(x, &t[b - 1], "Q") < 0)
			continue;
		memcpy(o, t, b * sizeof(*t));
		o[b].p = "and";
		o[b].n = 3;
		if (unread_clause(x, &o[b + 1]))
			return R_REJECT;
		*no = b + 2;
		return 0;
	}
	memcpy(o, t, nt * sizeof(*t));
	*no = nt;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Exceptions                                                          */
/* ------------------------------------------------------------------ */

/* Collects the leaf concepts under node id into cs (at most max). */
static size_t leaf_concepts(const struct ctm_criteria_ctx *x, int id,
			    ctm_concept *cs, size_t n, size_t max,
			    unsigned depth)
{
	const xnode *nd = &x->nodes[id];
	size_t i;

	if (depth > 32)
		return n;
	if (nd->op == X_LEAF) {
		if (n < max && nd->c.concept)
			cs[n++] = nd->c.concept;
		return n;
	}
	for (i = 0; i < nd->n; i++)
		n = leaf_concepts(x, x->kids[nd->first + i], cs, n, max,
				  depth + 1);
	return n;
}

/*
 * Narrows every leaf under id that one of the excepted concepts is-a (the
 * exception names a kind of it): the leaf becomes (leaf AND unread).
 * Returns how many leaves it narrowed, or a negative error.
 */
static int narrow_leaves(struct ctm_criteria_ctx *x, int id,
			 const ctm_concept *ex, size_t nex, unsigned depth)
{
	xnode *nd = &x->nodes[id];
	size_t i;
	int total = 0;

	if (depth > 32)
		return 0;
	if (nd->op != X_LEAF) {
		for (i = 0; i < nd->n; i++) {
			int r = narrow_leaves(x, x->kids[nd->first + i], ex, nex,
					      depth + 1);
			if (r < 0)
				return r;
			total += r;
		}
		return total;
	}
	for (i = 0; i < nex; i++) {
		if (nd->c.concept &&
		    ctm_lexicon_is_a(x->lx, ex[i], nd->c.concept)) {
			ctm_constraint u = unread_leaf(x), keep = nd->c;
			int k2[2], a;
			k2[0] = leaf(x, &keep);
			k2[1] = leaf(x, &u);
			a = nary(x, X_AND, k2, 2);
			if (a < 0)
				return a;
			x->nodes[id] = x->nodes[a]; /* the AND takes its place */
			return 1;
		}
	}
	return 0;
}

/*
 * "Prior oxaliplatin or fluoropyrimidine chemotherapy (other than
 * radiation-sensitizing fluoropyrimidine)", "Any prior anti-EGFR therapy
 * except cetuximab": an exception narrows what it follows and never
 * widens it (X except Y = X AND NOT Y). The exception is not read: it is
 * an unread part ANDed to the items it names a kind of (the
 * fluoropyrimidine, not the oxaliplatin), or to the whole clause before it
 * when it names none of them. Under the sentence's negation that leaves
 * "no oxaliplatin" deciding and "no fluoropyrimidine" unknown. The span is
 * the parenthesis the cue opens, or the rest of the sentence. Copies t
 * into o without the exception.
 */
static int read_exceptions(struct ctm_criteria_ctx *x, const tok *t,
			   size_t nt, tok *o, size_t *no)
{
	size_t i, n = 0;

	for (i = 0; i < nt;) {
		size_t cue = 0, end, b, j;
		int target = -1, paren;
		ctm_concept ex[16];
		size_t nex = 0;

		if (teq(&t[i], "except") || teq(&t[i], "excluding"))
			cue = 1;
		else if (teq(&t[i], "other") && i + 1 < nt &&
			 teq(&t[i + 1], "than"))
			cue = 2;
		else if (teq(&t[i], "with") && i + 2 < nt &&
			 teq(&t[i + 1], "the") && teq(&t[i + 2], "exception"))
			cue = (i + 3 < nt && teq(&t[i + 3], "of")) ? 4 : 3;
		/* "other than" right after a clause, or opening a parenthesis
		 * after one; "no other X than" is another construction */
		paren = n && teq(&o[n - 1], "(");
		b = paren ? n - 1 : n;
		while (b && teq(&o[b - 1], ","))
			b--;
		if (!cue || !b || ph_index(x, &o[b - 1], "Q") < 0) {
			o[n++] = t[i++];
			continue;
		}
		target = x->clause[ph_index(x, &o[b - 1], "Q")];
		if (has_not(x, target, 0))
			return reject(x, "an exception to a negated clause");
		for (end = i + cue; end < nt; end++) {
			int q;
			if (paren && teq(&t[end], ")"))
				break;
			if (teq(&t[end], "(") || teq(&t[end], ")"))
				return reject(x, "a parenthesis in an exception");
			q = ph_index(x, &t[end], "Q");
			if (q >= 0)
				nex = leaf_concepts(x, x->clause[q], ex, nex, 16,
						    0);
		}
		if (paren && end == nt)
			return reject(x, "an exception left open");
		{
			int r = narrow_leaves(x, target, ex, nex, 0);
			if (r < 0)
				return r;
			if (r == 0) {
				/* names none of the items: the whole clause */
				ctm_constraint u = unread_leaf(x);
				int k2[2], a;
				xnode copy = x->nodes[target];
				if (x->nn >= MAX_NODES)
					return reject(x, "too many nodes");
				x->nodes[x->nn] = copy;
				k2[0] = (int)x->nn++;
				k2[1] = leaf(x, &u);
				a = nary(x, X_AND, k2, 2);
				if (a < 0)
					return a;
				x->nodes[target] = x->nodes[a];
			}
		}
		for (j = 0; j < x->nq; j++)
			if (x->clause[j] == target)
				x->qkinds[j] |= 1u << CTM_K_NONE;
		/* drop the exception, and the "(" or "," that opened it */
		n = paren ? n - 1 : n;
		i = paren ? end + 1 : nt;
	}
	*no = n;
	return 0;
}

static int sentence1(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		     const tok *t, size_t nt, int *out, int either)
{
	int expr, neg = 0, rc;
	uint32_t skinds;
	tok u[MAX_TOKS], e[MAX_TOKS], f[MAX_TOKS];
	size_t nu = 0, ne = 0, nf = 0;

	if (either) {
		if ((rc = read_either(x, t, nt, f, &nf)))
			return rc;
		t = f;
		nt = nf;
	}
	if ((rc = read_exceptions(x, t, nt, e, &ne)))
		return rc;
	if ((rc = read_unread(x, e, ne, u, &nu)))
		return rc;
	/* "cancer", "malignancy", "carcinoma" (the root concept) next to
	 * anything else is too often an adjective or an example of
	 * something narrower ("cancer chemotherapeutic agents", "primary
	 * malignancies or metastatic disease of the CNS") */
	if (x->p->cancer) {
		size_t k, nq = 0;
		int generic = 0, other = 0;
		for (k = 0; k < nu; k++) {
			int q = ph_index(x, &u[k], "Q");
			const xnode *qn;
			if (q < 0)
				continue;
			nq++;
			qn = &x->nodes[x->clause[q]];
			if (qn->op == X_LEAF && qn->c.kind == CTM_K_DISEASE &&
			    qn->c.concept == x->p->cancer)
				generic++;
			/* "a HER2-overexpressing malignancy", "metastatic
			 * cancer": qualifiers of the cancer itself */
			else if (x->qkinds[q] &
				 ~((1u << CTM_K_BIOMARKER) |
				   (1u << CTM_K_METASTATIC) |
				   (1u << CTM_K_STAGE) |
				   (1u << CTM_K_RESECTABLE)))
				other = 1;
		}
		if (generic && (other || generic > 1))
			return reject(x, "'cancer' with other clauses");
	}
	if ((rc = assemble(x, u, nu, &expr, &neg, &skinds)))
		return rc;
	/* "No X, or ..." in an exclusion list: a double negative read
	 * literally; with a part unread, too uncertain */
	if (c->section == CTM_SECTION_EXCLUSION && neg == 1 &&
	    (skinds & (1u << CTM_K_NONE)))
		return reject(x, "'no X' in an exclusion list, partly unread");
	if (c->section == CTM_SECTION_EXCLUSION && x->modal_first) {
		/* "Participants must not have untreated CNS metastases" in an
		 * exclusion list restates the exclusion; "must have X" there
		 * cannot be read either way */
		if (neg != 1)
			return reject(x, "a requirement in the exclusion list");
		neg = 0;
	} else if (c->section == CTM_SECTION_EXCLUSION) {
		/* a washout or a "no other/concurrent" in an exclusion list is
		 * a requirement written in the wrong place, not a double
		 * negative: the literal reading would demand the therapy */
		if (!neg && x->since_clause)
			return reject(x, "washout written as an exclusion");
		if (neg && (x->h_current ||
			    hmatch(x, RX_EXCL_ODD, c->text, strlen(c->text))))
			return reject(x, "exclusion phrased as 'no other/"
					 "concurrent ...'");
		/* "No untreated brain metastases" in an exclusion list: read
		 * literally it would demand brain metastases; for facts that
		 * bar a patient the writer restates the exclusion. ("No
		 * measurable disease" stays a double negative.) */
		if (neg == 1) {
			uint32_t bad = (1u << CTM_K_BRAIN_METS) |
				       (1u << CTM_K_PREGNANT) |
				       (1u << CTM_K_BREASTFEEDING) |
				       (1u << CTM_K_LAB) | (1u << CTM_K_ECOG) |
				       (1u << CTM_K_KARNOFSKY) |
				       (1u << CTM_K_AGE) | (1u << CTM_K_SITE);
			if (skinds & bad)
				return reject(x, "'no X' in an exclusion list, "
						 "X a barring fact");
		}
	}
	/* "X are excluded" says the polarity, it does not flip it */
	if (neg == 2 || (c->section == CTM_SECTION_EXCLUSION) != (neg == 1))
		expr = not_(x, expr);
	*out = expr;
	return expr < 0 ? expr : 0;
}

/* A sentence; "Q and either ..." is read with the alternatives unread only
 * when the whole does not read. */
static int sentence(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		    const tok *t, size_t nt, int *out)
{
	size_t i;
	int rc = sentence1(x, c, t, nt, out, 0);

	if (rc != R_REJECT)
		return rc;
	for (i = 1; i + 1 < nt; i++)
		if (teq(&t[i], "and") && teq(&t[i + 1], "either"))
			return sentence1(x, c, t, nt, out, 1);
	return rc;
}

/*
 * An inline label that names the cancers a criterion is for: "PDAC, CRC,
 * Other tumor types: Confirmed KRAS mutation", "Colorectal cancer: prior
 * oxaliplatin". The criterion binds only patients with those cancers, so
 * it reads as (NOT label) OR criterion; a label that also says "other
 * tumour types" names everyone, and the criterion stands alone. Only a
 * label of diseases is read here: one naming a line, a part or an arm
 * ("CRC (2-3L):") may have sibling cohorts and stays review. On return
 * *body is the first token after the label (0 when there is none) and
 * *label the label's disease clause, or -1.
 */
static int disease_label(struct ctm_criteria_ctx *x, const tok *t, size_t nt,
			 size_t *body, int *label)
{
	size_t colon, i;
	int dis = -1, other = 0;

	*body = 0;
	*label = -1;
	for (colon = 0; colon < nt && !teq(&t[colon], ":"); colon++)
		;
	if (colon == 0 || colon + 1 >= nt)
		return 0;
	for (i = 0; i < colon; i++) {
		int q = ph_index(x, &t[i], "Q");
		if (q >= 0) {
			if (x->qkinds[q] & ~(1u << CTM_K_DISEASE))
				return 0;
			if (dis >= 0)
				return 0; /* one list of diseases */
			dis = x->clause[q];
			continue;
		}
		if (teq(&t[i], ",") || teq(&t[i], "and") || teq(&t[i], "or") ||
		    teq(&t[i], "/") || teq(&t[i], "and/or"))
			continue;
		if (crules_is_word(&x->p->rules, CRULES_LABEL_OTHER, t[i].p,
				   t[i].n)) {
			other = 1;
			continue;
		}
		return 0;
	}
	if (dis < 0 || has_not(x, dis, 0))
		return 0;
	*body = colon + 1;
	if (!other)
		*label = dis;
	return 0;
}

/*
 * A sentence that permits treated brain metastases: "Patients with
 * treated, stable CNS metastases for >= 4 weeks are allowed", "Known
 * history of CNS metastasis allowed if patients have had treatment". It
 * names brain metastases (read or not), says treated, permits, and
 * denies nothing.
 */
static int brain_permission(const struct ctm_criteria_ctx *x, const tok *t,
			    size_t nt)
{
	size_t i;
	int brain = 0, treated = 0, perm = 0, lepto = 0;

	for (i = 0; i < nt; i++) {
		int q = ph_index(x, &t[i], "Q");
		/* after "allowed if", the conditions of the permission:
		 * "... are neurologically stable and do not require
		 * steroids or anticonvulsants, provided a brain scan shows
		 * no active disease" narrow it and never widen it, so
		 * their therapies, scans and denials are no other topic */
		if (perm && treated &&
		    (ph_index(x, &t[i], "RCXP") >= 0 ||
		     (q >= 0 && !(x->qkinds[q] & ~(1u << CTM_K_THERAPY))) ||
		     crules_is_word(&x->p->rules, CRULES_PERMIT_CONDITION,
				    t[i].p, t[i].n)))
			continue;
		/* "cerebral/meningeal disease": brain and leptomeningeal */
		if (ph_index(x, &t[i], "B") >= 0 ||
		    (q >= 0 && (x->qkinds[q] & (1u << CTM_K_BRAIN_METS)) &&
		     !(x->qkinds[q] & ~((1u << CTM_K_BRAIN_METS) |
					(1u << CTM_K_SITE))))) {
			brain = 1;
			if (q >= 0 && (x->qkinds[q] & (1u << CTM_K_SITE)))
				lepto = 1;
		}
		else if (q >= 0 && x->qkinds[q] == (1u << CTM_K_METASTATIC))
			continue; /* "CNS metastasis", read apart */
		else if (q >= 0 || ph_index(x, &t[i], "RCXPDGVMLSH") >= 0)
			return 0; /* about something else too */
		else if (teq(&t[i], "treated") || teq(&t[i], "treatment"))
			treated = 1;
		else if (tin(&t[i], permw) || teq(&t[i], "may"))
			perm = 1;
		else if (tin(&t[i], (const char *const[]){"no", "not",
							  "without", "never",
							  "untreated", "active",
							  "ineligible",
							  "excluded", NULL}))
			return 0;
	}
	return brain && treated && perm ? 1 + lepto : 0;
}

/*
 * Sentences read in part. A criterion of several sentences ("." or, when
 * the whole does not read, ";") holds when all of them hold, so a sentence
 * that does not read is an unread part, always unknown, ANDed with the
 * rest: what is read then decides alone when it fails (an inclusion) or
 * when it bars (an exclusion). That is sound only if the unread sentence
 * cannot widen or undo another: one that permits, excepts, makes a
 * condition or addresses a subgroup ("if ...", "may ...", "patients with
 * liver metastases ...") keeps the whole criterion review. The cue words
 * are rule data (partial.tsv).
 */
static int widening_sentence(const struct ctm_criteria_ctx *x, const tok *t,
			     size_t nt)
{
	size_t i;

	for (i = 0; i < nt; i++) {
		if (crules_is_word(&x->p->rules, CRULES_WIDENING, t[i].p, t[i].n))
			return 1;
		/* "patients with ...", "those who ...": a subgroup */
		if (i + 1 < nt &&
		    crules_is_word(&x->p->rules, CRULES_SUBGROUP, t[i].p,
				   t[i].n) &&
		    crules_is_word(&x->p->rules, CRULES_SUBGROUP_LINK,
				   t[i + 1].p, t[i + 1].n))
			return 1;
	}
	return 0;
}

/*
 * Reads one sentence t[0,nt) into parts[*np]: its expression, or, when it
 * does not read and may not widen the others, an unread leaf. split: try
 * its ";"-separated pieces one by one before giving up on it.
 */
static int read_part(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		     const tok *t, size_t nt, int *parts, size_t *np,
		     size_t *nread, int split)
{
	size_t i, b, semis = 0;
	int rc;

	if (*np >= MAX_PARTS)
		return reject(x, "too many sentences");
	rc = sentence(x, c, t, nt, &parts[*np]);
	if (rc == 0) {
		(*np)++;
		(*nread)++;
		return 0;
	}
	if (rc != R_REJECT)
		return rc;
	for (i = 0; i < nt; i++)
		semis += teq(&t[i], ";");
	if (split && semis) {
		for (i = 0, b = 0; i <= nt; i++) {
			if (i < nt && !teq(&t[i], ";"))
				continue;
			if (i > b &&
			    (rc = read_part(x, c, t + b, i - b, parts, np,
					    nread, 0)))
				return rc;
			b = i + 1;
		}
		return 0;
	}
	if (widening_sentence(x, t, nt))
		return reject(x, "an unread sentence that may widen the rest");
	{
		ctm_constraint u = unread_leaf(x);
		int node = leaf(x, &u);
		if (node < 0)
			return node;
		parts[(*np)++] = node;
	}
	return 0;
}

static int understand(struct ctm_criteria_ctx *x, const ctm_criterion *c,
		      int *root)
{
	size_t len = strlen(c->text), ms, me, start;
	int expr, rc, f;

	const char *text = c->text;

	x->section = c->section;
	if (len > MAX_TEXT)
		return reject(x, "criterion too long");
	if (c->heading && (rc = read_heading(x, c, &text, &len)))
		return rc;
	if (len >= sizeof(x->lc))
		return reject(x, "criterion too long");
	lower_copy(x->lc, text, len);
	textset_build(&x->ts_sk, x->lc, len);
	rc = has_any(&x->p->rx_need[RX_COHORT], &x->ts_sk, x->lc, len)
		     ? pcre2_match(x->p->re[RX_COHORT], (PCRE2_SPTR)text, len,
				   0, 0, x->md, x->mc)
		     : PCRE2_ERROR_NOMATCH;
	if (rc != PCRE2_ERROR_NOMATCH)
		return reject(x, "names a cohort, arm or part");

	len = normalize(text, len, x->a, sizeof(x->a) / 2);
	/* (a heading offering alternatives was refused above: under it
	 * run-on items would be alternatives, not sentences that all hold) */
	len = split_runons(x, x->a, len, sizeof(x->a) / 2);
	if ((rc = apply_rewrites(x, &len)))
		return rc;
	if ((rc = build_skeleton(x, x->a, len)))
		return rc;
	/* list markers, trailing connectives, lab group labels */
	if ((f = find(x, RX_STRIP_LEAD, 0, &ms, &me)) == 1) {
		memmove(x->sk, x->sk + me, x->sklen - me + 1);
		x->sklen -= me;
	}
	if (f < 0)
		return f;
	if ((f = find(x, RX_STRIP_TAIL, 0, &ms, &me)) == 1) {
		size_t os, oe;
		/* "..., OR": one of alternatives with the next criterion */
		if (grp(x, "or", &os, &oe))
			return reject(x, "ends with 'or'");
		x->sk[ms] = '\0';
		x->sklen = ms;
	}
	if (f < 0)
		return f;
	start = 0;
	f = 0;
	/* from here the skeleton only loses text: the set stays a superset */
	textset_build(&x->ts_sk, x->sk, x->sklen);
	while (has_any(&x->p->rx_need[RX_LAB_LABEL], &x->ts_sk, x->sk,
		       x->sklen) &&
	       (f = find(x, RX_LAB_LABEL, start, &ms, &me)) == 1) {
		memset(x->sk + ms, ' ', me - ms);
		start = me;
	}
	if (f < 0)
		return f;
	sk_squeeze(x);
	{
		static const char *const cue[] = {
			"prior",     "previous", "previously", "received",
			"receive",   "receiving", "treated",   "exposure",
			"exposed",   "history",	 "had",	       "progressed",
			"progression", "refractory", "failed", "failure",
			NULL};
		tok ct[MAX_TOKS];
		size_t nct = tokenize(x->sk, x->sklen, ct, MAX_TOKS), i;
		x->therapy_cue = 0;
		for (i = 0; i < nct; i++)
			if (tin(&ct[i], cue))
				x->therapy_cue = 1;
	}
	if ((rc = run_recognizers(x)))
		return rc;
	if ((rc = tidy(x)))
		return rc;
	{
		/* sentences ("Active brain metastases. Patients with ...
		 * are excluded") are read one by one and all hold */
		tok t[MAX_TOKS];
		size_t nt = tokenize(x->sk, x->sklen, t, MAX_TOKS), i, b = 0;
		int parts[MAX_PARTS];
		size_t np = 0, nread = 0;

		/* brain_ok: 1 a permission for treated brain metastases, 2
		 * one for treated leptomeningeal disease too */
		int label = -1, brain_ok = 0, perm;

		if (nt >= MAX_TOKS)
			return reject(x, "sentence too long");
		if ((rc = disease_label(x, t, nt, &b, &label)))
			return rc;
		for (i = b; i <= nt; i++) {
			/* a sentence ends at "." and at "but" before a
			 * subgroup ("... are ineligible but patients with
			 * ... are allowed") */
			if (i < nt && !teq(&t[i], ".") &&
			    !(teq(&t[i], "but") && i + 1 < nt &&
			      crules_is_word(&x->p->rules, CRULES_SUBGROUP,
					     t[i + 1].p, t[i + 1].n)))
				continue;
			if (i > b &&
			    (perm = brain_permission(x, t + b, i - b))) {
				brain_ok = brain_ok > perm ? brain_ok : perm;
			} else if (i > b) {
				rc = read_part(x, c, t + b, i - b, parts, &np,
					       &nread, 1);
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
			ctm_constraint bc = mk(CTM_K_BRAIN_METS);
			bc.flags = CTM_F_ACTIVE;
			parts[np] = leaf(x, &bc);
			if (parts[np] < 0)
				return parts[np];
			parts[np] = not_(x, parts[np]);
			if (parts[np] < 0)
				return parts[np];
			np++;
			nread++;
		} else if (brain_ok) {
			/* a permission for treated brain metastases leaves
			 * the exclusion of the active ones */
			size_t k, nb = 0;
			if (c->section != CTM_SECTION_EXCLUSION)
				return reject(x, "a brain permission in an "
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
					x->nodes[k].c = unread_leaf(x);
				}
			if (!nb)
				return reject(x, "a brain permission without "
						 "brain metastases");
		}
		if (!nread)
			return R_REJECT; /* the reason is the last part's */
		expr = nary(x, X_AND, parts, np);
		if (expr < 0)
			return expr;
		if (label >= 0) {
			/* binds only the patients the label names: an
			 * implication, not applicable to the others */
			int k2[2];
			k2[0] = not_(x, label);
			k2[1] = expr;
			expr = nary(x, X_OR, k2, 2);
			if (expr < 0)
				return expr;
		}
	}
	*root = lower(x, expr, 0, 0);
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
	nn = count_nodes(x, root, &nl);
	c->expr = ctm_arena_alloc(a, nn * sizeof(*c->expr));
	c->constraints = ctm_arena_alloc(a, nl * sizeof(*c->constraints));
	if (!c->expr || !c->constraints) {
		c->expr = NULL;
		c->constraints = NULL;
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	}
	emit(x, root, c, &ne, &nc);
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

static uint64_t memo_hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
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
	rc = pcre2_match(x->p->re[RX_COHORT_ONLY], (PCRE2_SPTR)c->text, len,
			 0, 0, x->md, x->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	*done = 1;
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
		int g = pcre2_substring_number_from_name(x->p->re[RX_COHORT_ONLY],
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
	cons[pc] = unread_leaf(x);
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
	rc = pcre2_match(x->p->re[RX_SITE_PERMIT], (PCRE2_SPTR)c->text, len,
			 0, 0, x->md, x->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return 0; /* the ordinary path decides */
	ov = pcre2_get_ovector_pointer(x->md);
	g = pcre2_substring_number_from_name(x->p->re[RX_SITE_PERMIT],
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
	/* OR, NOT, SITE, AND, local treatment, unread */
	expr = ctm_arena_alloc(a, 6 * sizeof(*expr));
	cons = ctm_arena_alloc(a, 3 * sizeof(*cons));
	if (!expr || !cons)
		return ctm_error_set(err, CTM_ENOMEM, NULL, 0, 0,
				     "out of memory");
	cons[0] = mk(CTM_K_SITE);
	cons[0].concept = site;
	cons[1] = mk(CTM_K_THERAPY);
	cons[1].concept = x->p->any_local;
	cons[2] = unread_leaf(x);
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
	if (x->memo && c->text && x->lx)
		klen = memo_key(c, key, sizeof key);
	if (klen) {
		h = memo_hash(key, klen);
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
	return heading_alternatives(x, h, hl);
}

int ctm_criteria_alternatives(ctm_criteria_ctx *x, ctm_criterion *intro,
			      const ctm_criterion *items, size_t n,
			      ctm_arena *a, ctm_error *err)
{
	ctm_criterion tmp[16];
	size_t i, j, ne = 1, nc = 0, pe, pc, nalt = 0;
	ctm_expr *expr;
	ctm_constraint *cons;
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
			if (k < len && !runon_at(x, t, len, k))
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
	n = nalt;
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

