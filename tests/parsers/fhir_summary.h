/*
 * fhir_summary.h - a profile as one line, for tests that compare what was
 * read from FHIR with what is expected (or with a JSON profile's).
 */
#ifndef CTM_FHIR_SUMMARY_H
#define CTM_FHIR_SUMMARY_H

#include <ctm/engine.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const fs_brain[] = {"?", "none", "treated_stable", "active"};

/* "id=..; age=..; sex=..; dx=..; stage=..; met=..; sites=..; brain=..;
 * ecog=..; kps=..; bm=..; tx=..; labs=.." with "?" for unknown. */
static void fhir_summary(const ctm_lexicon *lx, const ctm_profile *p, char *buf,
			 size_t size)
{
	size_t o = 0, i;

#define PUT(...)                                                               \
	do {                                                                   \
		int k_ = snprintf(buf + o, o < size ? size - o : 0,            \
				  __VA_ARGS__);                                \
		if (k_ > 0)                                                    \
			o += (size_t)k_;                                       \
	} while (0)
	PUT("id=%s; age=", p->id);
	if (p->age < 0)
		PUT("?");
	else
		PUT("%d", (int)p->age);
	PUT("; sex=%s; dx=%s; stage=%s; met=%d; sites=",
	    p->sex == CTM_GENDER_FEMALE ? "female"
	    : p->sex == CTM_GENDER_MALE ? "male"
					: "?",
	    p->diagnosis_concept ? ctm_lexicon_name(lx, p->diagnosis_concept)
				 : "?",
	    p->stage_text ? p->stage_text : "?", p->metastatic);
	if (!p->has_sites)
		PUT("?");
	for (i = 0; i < p->n_sites; i++)
		PUT("%s%s", i ? "," : "", ctm_lexicon_name(lx, p->sites[i]));
	PUT("; brain=%s; ecog=%d; kps=%d; bm=", fs_brain[p->brain], p->ecog,
	    p->karnofsky);
	if (!p->has_biomarkers)
		PUT("?");
	for (i = 0; i < p->n_biomarkers; i++) {
		const ctm_biomarker *b = &p->biomarkers[i];
		PUT("%s%s %s", i ? "," : "",
		    b->gene ? ctm_lexicon_name(lx, b->gene) : b->name,
		    ctm_bm_status_name(b->status));
		if (b->variant_text)
			PUT(" %s", b->variant_text);
		if (!isnan(b->value))
			PUT(" =%g", b->value);
	}
	PUT("; tx=");
	if (!p->has_therapies)
		PUT("?");
	for (i = 0; i < p->n_therapies; i++) {
		const ctm_therapy *t = &p->therapies[i];
		PUT("%s%s", i ? "," : "",
		    t->concept ? ctm_lexicon_name(lx, t->concept) : t->name);
		if (t->end_date)
			PUT("@%d", (int)t->end_date);
	}
	PUT("; labs=");
	{
		static const char *const labs[][2] = {
			{"anc", "anc"},
			{"plt", "platelets"},
			{"hb", "hemoglobin"},
			{"bili", "bilirubin"},
			{"ast", "ast"},
			{"alt", "alt"},
			{"crcl", "creatinine_clearance"},
		};
		for (i = 0; i < sizeof(labs) / sizeof(labs[0]); i++) {
			double v = ctm_profile_lab(
				p, ctm_lexicon_concept(lx, CTM_CT_LAB,
						       labs[i][1]));
			if (!isnan(v))
				PUT("%s %g ", labs[i][0], v);
		}
	}
#undef PUT
}

#endif
