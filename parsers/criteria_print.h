/*
 * criteria_print.h - a parsed criterion as one readable line (private to
 * parsers/ and cli/).
 *
 * The notation, used by `ctmatch show` for the "constraints" column and by
 * the extraction tests as their expected values:
 *
 *   A AND B, A OR B        n-ary; a child that is itself AND/OR of the other
 *                          kind is parenthesised: "(A OR B) AND C"
 *   NOT A                  "NOT (A OR B)" when A is AND/OR
 *   leaves:
 *     diagnosis colorectal cancer       DISEASE
 *     stage IV, stage III-IV            STAGE
 *     metastatic, resectable            METASTATIC, RESECTABLE
 *     KRAS wild-type, ERBB2 amplified   BIOMARKER gene/marker + status
 *     KRAS G12C mutation                BIOMARKER with a variant (mutated)
 *     TMB high >= 10                    BIOMARKER with a value range
 *     prior cetuximab                   THERAPY (received)
 *     current chemotherapy              THERAPY with CTM_F_CURRENT
 *     prior oxaliplatin [progressed or intolerant, metastatic setting]
 *     prior chemotherapy [within 28 days], [within < 28 days] (fewer)
 *     prior lines >= 2 [metastatic setting]   PRIOR_LINES
 *     liver metastases, liver-only metastases SITE (-only: CTM_F_LIMITED)
 *     brain metastases, active brain metastases,
 *     treated stable brain metastases         BRAIN_METS
 *     ECOG 0-1, Karnofsky >= 70, measurable disease
 *     ANC >= 1.5 x10^9/L, hemoglobin >= 9 g/dL, bilirubin <= 1.5 x ULN,
 *     AST <= 2.5 x ULN (<= 5 x ULN with liver metastases),
 *     creatinine clearance >= 60 mL/min, creatinine <= 1.5 mg/dL
 *     age >= 18, sex female, pregnant, breastfeeding
 *   ranges: "a" when lo == hi, ">= a" when hi is unbounded, "<= b" when lo
 *   is unbounded, otherwise "a-b"; a strict end (CTM_F_LO_OPEN,
 *   CTM_F_HI_OPEN) prints "> a" or "< b", and a range with one "> a, <= b".
 *   Numbers are printed with %g.
 *
 * A review criterion prints as "review".
 */
#ifndef CTM_CRITERIA_PRINT_H
#define CTM_CRITERIA_PRINT_H

/* The functions are declared in <ctm/parsers.h>; lx may be NULL there, and
 * concepts then print as ids ("#12"). */
#include <ctm/parsers.h>

#endif
