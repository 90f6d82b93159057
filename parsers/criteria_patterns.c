/*
 * criteria_patterns.c - the skeleton patterns of the criteria reader
 * (stage 4): one recognizer per frame, the helper patterns, and the loop
 * that runs the recognizers over a skeleton.
 */
#include "criteria_internal.h"

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
	"preceding)|(?<wcmp><|<=)) (?<wn>\\d+) (?<wu>" UNITW ")"               \
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
	"following|while))| (?:or|and/or)(?= " CURW "))?(?: ,)? )*"
/* What narrows a therapy to a part the profile does not record: the
 * disease it treated ("for rectal cancer", "for this malignancy") or the
 * part of the body it reached ("to the liver", "to the whole abdomen",
 * "for liver metastases", a clause read before). The therapy is read;
 * the narrowing is an unread part beside it. */
#define RESTRW                                                                 \
	"(?:this|the|current|present|same|underlying|primary|any|their|"       \
	"his or her|a|an|another|other|prior|previous|known|resected|"         \
	"locally|locoregionally|recurrent|relapsed|metastatic|advanced|"        \
	"invasive|or|and|and/or|,)"
#define BODYW                                                                  \
	"(?:S\\d+|pelvis|abdomen|abdominal cavity|mediastinum|spine)"
#define RESTR                                                                  \
	"(?<rs>for (?:the )?(?:treatment of )?(?:" RESTRW " )*" DLIST          \
	"(?! (?:patients?|subjects?|participants?|cases|individuals|who|"      \
	"with|only)\\b)|"                                                     \
	"(?:to|of) (?:the )?(?:(?:whole|entire) )?" BODYW "(?:(?: ,)? "        \
	"(?:or|and|and/or|/) (?:the )?(?:(?:whole|entire) )?" BODYW ")*"      \
	"(?: (?:metastases|metastasis|metastatic lesions?|lesions?))?|"        \
	"(?:for|of|to) (?:the )?(?:treatment of )?(?<rq>Q\\d+))"
#define SUFW                                                                   \
	"(?:refractory|failure|failed|resistant|intolerant|pretreated|"        \
	"exposed)"
#define LINEW                                                                  \
	"(?:lines?|regimens?|courses?|therapies|treatments|chemotherapies|"    \
	"schedules?)"
#define STAGEQ                                                                 \
	"stage (?:0|i{1,3}|iv|[1-4])[abc]?(?: (?:or|and|-|to|/) (?:stage )?"   \
	"(?:i{1,3}|iv|[1-4])[abc]?)?"
/* Dukes' and the modified Astler-Coller classes of colorectal cancer
 * ("Dukes' B2, B3, or C", "modified Astler-Coller stage C (TxN1-2M0)"),
 * with the TNM they may restate in parentheses */
#define DUKES_ITEM "[a-d][1-3]?(?:/[a-d][1-3]?)*(?![a-z0-9])"
#define TNM_TOK                                                                \
	"(?:[pcy]{0,2}[tnm](?:x|is|[0-4][a-c]?|\\+)(?:-[0-4][a-c]?)?"         \
	"(?:[nm](?:x|[0-4][a-c]?|\\+)(?:-[0-4][a-c]?)?)*|any|t|n|m|,|and|or)"
#define DUKESQ                                                                 \
	"(?:(?:patholog(?:ic|ical) )?(?:classification|stage) of )?"          \
	"(?:dukes|(?:modified )?astler coller)(?: (?:stage|classification|"    \
	"class))? " DUKES_ITEM "(?:(?: ,)?(?: (?:or|and|and/or|/))? "          \
	DUKES_ITEM ")*(?: \\( " TNM_TOK "(?: " TNM_TOK ")* \\))?"
#define DQW                                                                    \
	"(?:metastatic|advanced|unresectable|resectable|locally advanced|"     \
	"locally recurrent|recurrent|relapsed|refractory|" DUKESQ "|" STAGEQ "|"\
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
	"lesions?|mets|lesions?|involvement|disease|tumou?r involvement|"      \
	"involvement by tumou?r)"
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
	"(?<pct>(?:%|percent)(?: (?:of )?(?:the )?predicted(?: values?)?)?)|"  \
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
	"mets|involvement)(?: ,)?)? (?:(?<v2cmp><=|<) )?(?<v2>" NUM            \
	")(?: x)?(?: "                                                         \
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

const struct recognizer ctm_cx_recognizers[RX_COUNT_] = {
	[RX_KPS] =
		{"karnofsky",
		 {"(?:karnofsky(?: performance status| performance score| "
		  "performance scale| performance| score| index| ps| status)?"
		  "(?: \\( kps \\))?|kps)(?: (?:score|of|:|=|is|must be|should "
		  "be|must|be))* (?:(?<kcmp>>=|>) (?<kv>\\d{2,3})(?: %)?|"
		  "(?<ka>\\d{2,3})(?: %)? ?(?:-|to) ?(?<kb>\\d{2,3})(?: %)?|"
		  "(?<kc>\\d{2,3})(?: %)? or (?:greater|higher|more|above|"
		  "better))"},
		 ctm_cx_h_kps},
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
		 ctm_cx_h_ecog},
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
		  "(?: of age| old|(?! (?:prior|before|ago|since|after|post|"
		  "following|from|previously|earlier)\\b))|(?<aa2>\\d{1,3})-(?<ab2>\\d{1,3}) years"
		  "(?: of age| old)?)(?: (?:at|on) (?:the )?(?:time|date|day)"
		  " of (?:signing )?(?:the )?(?:written )?(?:informed "
		  "consent(?: form)?|icf|consent|screening|enrollment|"
		  "registration|study entry))?"},
		 ctm_cx_h_age},
	[RX_PREG] = {"pregnancy",
		     {"(?:currently )?(?:pregnant|pregnancy|breast feeding|"
		      "breastfeeding|breast fed|lactating|lactation|nursing)"},
		     ctm_cx_h_preg},
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
		 ctm_cx_h_measurable},
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
		 ctm_cx_h_lab},
	[RX_LAB_WNL] =
		{"lab-normal",
		 {"(?<labs>" LABS ")(?: (?:levels?|values?))?(?: (?:must "
		  "be|should be|is|are))? (?:within (?:the )?"
		  "(?:institutional )?normal (?:limits|range)|wnl|within "
		  "normal institutional limits|<= uln|(?<lt>< uln)|normal)"},
		 ctm_cx_h_lab_wnl},
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
		 ctm_cx_h_brain},
	[RX_EXTRAHEP] = {"extrahepatic",
			 {"extra ?hepatic (?:metastases|metastasis|metastatic "
			  "disease|disease|mets|spread|tumou?r)"
			  /* "..., except resectable pulmonary metastases" */
			  "(?<exc> , (?:except|other than|apart from|excluding)"
			  "(?: for)? (?<exr>resectable )?(?:limited |isolated |"
			  "small )?(?<exs>S\\d+) (?:metastases|metastasis|nodules|"
			  "lesions|disease|mets))?"},
			 ctm_cx_h_extrahepatic},
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
			     ctm_cx_h_site_limited},
	[RX_SITE] =
		{"site",
		 {"(?:(?:pre)?dominant(?:ly)? )?"
		  "S\\d+(?: (?:,|or|and|and/or|/) S\\d+)*(?: (?:pre)?dominant)? "
		  "(?:" SITEMET "|(?<sd>disease))|(?:metastases|metastasis|"
				"metastatic disease|"
		  "spread|metastasized|metastasised|metastatic) (?:to|in|"
		  "involving|within) (?:the )?S\\d+(?: (?:,|or|and|and/or|/)"
		  " (?:the )?S\\d+)*"},
		 ctm_cx_h_site},
	[RX_LINES0] =
		{"no-prior-for-metastatic",
		 {"(?:no|without|not received any|not have received any|"
		  "have not received any|not had any|has not received any) "
		  "(?:prior |previous )?(?:systemic |anticancer |anti "
		  "cancer )?(?:treatment|therapy|therapies|treatments) "
		  "(?:for|in) (?:the )?" SETADJ " (?:setting|disease|"
		  "D\\d+|cancer)"},
		 ctm_cx_h_lines0},
	[RX_UNTREATED] = {"untreated",
			  {"(?:previously |systemically )?untreated (?:(?:for|"
			   "in) (?:the )?)?(?<set>" SETADJ ")(?: (?<d>D\\d+)| "
			   "(?:setting|disease|cancer))?"},
			  ctm_cx_h_untreated},
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
		      ctm_cx_h_lines},
	[RX_SINCE] =
		{"since",
		 {"(?<scmp>>=|>) (?<sn>\\d+) (?<su>" UNITW ") (?:(?:must "
		  "have |have |has )?(?:elapsed|passed) )?(?:since|from|"
		  "after|between) (?:(?:the|prior|last|previous|completion|"
		  "end|final|dose|doses|of|any|a|administration|treatment|"
		  "therapy|with|receipt|discontinuation|stopping|"
		  "(?<sadj>adjuvant|neoadjuvant)) )*"
		  "(?<tl>" TLIST ")(?: " RESTR ")?(?: and (?:the )?(?:first "
		  "dose|start|initiation|enrollment|registration|"
		  "randomization)(?:"
		  " " ANCHORW ")*)?|",
		  "(?:" LEFT ")?(?<tl2>" TLIST ") (?:(?:must|"
		  "should|will|to|be|have|has|been|was|were|is|are|"
		  "completed|complete|discontinued|stopped|finished|ended|"
		  "received|administered|given|last|dose|of|the) )*"
		  "(?<scmp2>>=|>) (?<sn2>\\d+) (?<su2>" UNITW ") (?:prior to|"
		  "before|since|preceding|from)(?: " ANCHORW ")*"},
		 ctm_cx_h_since},
	[RX_NAIVE] = {"naive",
		      {"(?<tl>" TLIST ") naive|naive to (?<tl2>" TLIST ")"},
		      ctm_cx_h_naive},
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
			 ctm_cx_h_response},
	[RX_THERAPY] = {"therapy",
			{"(?<left>" LEFT ")", "(?<tl>" TLIST ")",
			 "(?<right>(?: (?:" SETTING "|" WITHIN "|" SUFW "|" RESTR "))"
			 "{0,3})"},
			ctm_cx_h_therapy},
	[RX_BIOMARKER] = {"biomarker", {BM_SPAN}, ctm_cx_h_biomarker},
	/* "known HIV infection", "uncontrolled hypertension or active
	 * infection": conditions other than the cancer, and their list */
	[RX_CONDITION] = {"condition",
			  {"(?:(?<=and )(?<cno>no ))?"
			   "(?:" CONDQ "(?: (?:,|or|and|and/or|/))? )*(?<hl>"
			   "H\\d+" CONDTAIL "(?:(?: ,)?(?: (?:or|and|and/or|/))?"
			   "(?: (?:" CONDQ "))* H\\d+" CONDTAIL ")*)"
			   "(?<hneg> (?:negative|seronegative|not detected))?"},
			  ctm_cx_h_condition},
	[RX_DISEASE] = {"disease",
			{"(?:" DQW "(?: (?:,|or|and|and/or|/))* )*(?<dl>" DLIST
			 ")(?: (?:other than|except(?: for)?|excluding|apart "
			 "from) (?<ex>" DLIST "))?"},
			ctm_cx_h_disease},
	[RX_RESECT] =
		{"resectable",
		 {"(?:(?<adv>advanced|metastatic|distant) )?(?:(?:disease|metastases|"
		  "metastatic disease|tumou?rs?) "
		  "(?:(?:that is|which is|is|are|deemed|considered|"
		  "judged|must be) )*)?(?:unresectable|resectable)(?: "
		  "(?:disease|metastases|metastatic disease|tumou?rs?))?"},
		 ctm_cx_h_resect},
	[RX_STAGE] = {"stage", {DUKESQ "|" STAGEQ}, ctm_cx_h_stage},
	[RX_METASTATIC] = {"metastatic",
			   {"(?:distant )?(?:metastatic disease|metastases|"
			    "metastasis|metastatic|m1 disease|m1)"},
			   ctm_cx_h_metastatic},
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
		 /* "the recommended phase II dose" is no part of the study
		  * ("for the Phase II trial" may be) */
		 {"\\b(?:cohorts?|arms?|parts?|phase(?! (?:[1-4]|i{1,3}|iv)"
		  "[ab]? doses?\\b)|"
		  "(?<!oncology )groups?|dose "
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
	/* "Excluded within 72 hours prior to study entry", "within the
	 * past month", "within the 14 days immediately preceding study
	 * entry"; not a window after entry ("within 4 hours after the
	 * dose") */
	[RX_H_WITHIN] = {"heading-within",
			 {"\\b(?:within|in the (?:last|past)|for a minimum of) "
			  "(?:the (?<hp>(?:last|past|preceding) )?)?"
			  "(?:(?<hn>\\d+|one|two|three|four|five|six|eight|"
			  "twelve) )?(?<hu>hours?|days?|weeks?|months?)\\b"
			  "(?! (?:after|following|post)\\b)"},
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
			{"(?:^|: )(?<lab>age|performance status|life expectancy)$"},
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
const char *const ctm_cx_rx_need_text[RX_COUNT_] = {
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
	[RX_STAGE] = "stage|dukes|astler",
	[RX_METASTATIC] = "metasta|m1",
	[RX_LAB_LABEL] = ":|by|defined|( L",
	[RX_COHORT] = "cohort|arm|part|phase|group|escalation|expansion|"
		      "module|stage 1|stage 2|substud|sub-stud|portion",
};

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
		return ctm_cx_reject(x, "too many clauses");
	x->clause[x->nq] = node;
	x->qkinds[x->nq] = kinds_of(x, node, 0);
	ql = (size_t)snprintf(q, sizeof(q), " Q%zu ", x->nq);
	x->nq++;
	if (ms + ql + tail + 1 >= sizeof(x->sk))
		return ctm_cx_reject(x, "skeleton too long");
	memmove(x->sk + ms + ql, x->sk + me, tail + 1);
	memcpy(x->sk + ms, q, ql);
	x->sklen = ms + ql + tail;
	*resume = ms;
	ctm_cx_sk_squeeze(x);
	return 0;
}

/* ctm_criteria_explain(): frame rx read a part (each named once). */
void ctm_cx_note_frame(struct ctm_criteria_ctx *x, int rx)
{
	size_t i;

	for (i = 0; i < x->ex_nframes; i++)
		if (x->ex_frames[i] == ctm_cx_recognizers[rx].name)
			return;
	if (x->ex_nframes < RX_COUNT_)
		x->ex_frames[x->ex_nframes++] = ctm_cx_recognizers[rx].name;
}

int ctm_cx_run_recognizers(struct ctm_criteria_ctx *x)
{
	int r;

	for (r = 0; r < N_RECOGNIZERS; r++) {
		size_t start = 0, ms, me;
		int guard = 0, f;

		if (!ctm_cx_has_any(&x->p->rx_need[r], &x->ts_sk, x->sk,
				    x->sklen))
			continue;
		while ((f = ctm_cx_find(x, r, start, &ms, &me)) == 1) {
			int node;
			if (++guard > 64)
				return ctm_cx_reject(x, "recognizer loop");
			if (me == ms) {
				start = me + 1;
				continue;
			}
			node = ctm_cx_recognizers[r].fn(x, ms, me);
			if (node == R_SKIP) {
				start = me;
				continue;
			}
			if (node < 0)
				return node;
			if (substitute(x, ms, me, node, &start))
				return R_REJECT;
			if (x->explain)
				ctm_cx_note_frame(x, r);
		}
		if (f < 0)
			return f;
	}
	return 0;
}
