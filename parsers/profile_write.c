/*
 * profile_write.c - a profile as ctmatch read it, written back as
 * spec/patient-profile.md JSON (for `ctmatch profile`).
 *
 * Recognised terms are written by their canonical lexicon name, so that
 * what is printed is what the matcher uses ("HER2" is written "ERBB2",
 * "FOLFOX" stays "FOLFOX", "hepatic" is written "liver"); a term that was
 * not recognised is written as given (its warning says so). Unknown facts
 * are absent keys, as on input, and a present list is complete. Reading
 * the output back gives the same profile.
 */
#include "profile_impl.h"

#include <ctm/parsers.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const brain_names[] = {NULL, "none", "treated_stable",
					  "active"};
static const char *const setting_names[] = {NULL, "neoadjuvant", "adjuvant",
					    "metastatic"};
static const char *const stage_names[] = {"0", "I", "II", "III", "IV"};

/* Adds key: value to o unless value is NULL (jansson steals value). */
static int put(json_t *o, const char *key, json_t *value)
{
	if (!value)
		return -1;
	return json_object_set_new(o, key, value);
}

static json_t *tri(int8_t v)
{
	return json_boolean(v > 0);
}

/* A number as written on input: whole values without a fraction. */
static json_t *number(double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* A site's canonical name in the spec's spelling ("lymph node" ->
 * "lymph_node"). */
static json_t *site_name(const ctm_lexicon *lx, ctm_concept c)
{
	char buf[128];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", ctm_lexicon_name(lx, c));
	for (i = 0; buf[i]; i++)
		if (buf[i] == ' ')
			buf[i] = '_';
	return json_string(buf);
}

static int put_biomarkers(json_t *o, const ctm_profile *p,
			  const ctm_lexicon *lx)
{
	json_t *a = json_array();
	size_t i;
	int rc = 0;

	if (!a)
		return -1;
	for (i = 0; i < p->n_biomarkers && !rc; i++) {
		const ctm_biomarker *b = &p->biomarkers[i];
		json_t *x = json_object();
		rc = put(x, "name",
			 json_string(b->gene ? ctm_lexicon_name(lx, b->gene)
					     : b->name));
		/* no status given ("any alteration") is no "status" key */
		if (!rc && b->status != CTM_BM_ANY)
			rc = put(x, "status",
				 json_string(ctm_bm_status_name(b->status)));
		if (!rc && b->variant_text)
			rc = put(x, "variant", json_string(b->variant_text));
		if (!rc && !isnan(b->value))
			rc = put(x, "value", number(b->value));
		if (json_array_append_new(a, x))
			rc = -1;
	}
	if (put(o, "biomarkers", a))
		rc = -1;
	return rc;
}

static int put_therapies(json_t *o, const ctm_profile *p, const ctm_lexicon *lx)
{
	json_t *a = json_array();
	char d[11];
	size_t i;
	int rc = 0;

	if (!a)
		return -1;
	for (i = 0; i < p->n_therapies && !rc; i++) {
		const ctm_therapy *t = &p->therapies[i];
		json_t *x = json_object();
		rc = put(x, "name",
			 json_string(t->concept
					     ? ctm_lexicon_name(lx, t->concept)
					     : t->name));
		if (!rc && t->line > 0)
			rc = put(x, "line", json_integer(t->line));
		if (!rc && t->setting != CTM_SETTING_UNKNOWN)
			rc = put(x, "setting",
				 json_string(setting_names[t->setting]));
		if (!rc && t->progressed >= 0)
			rc = put(x, "progressed", tri(t->progressed));
		if (!rc && t->end_date)
			rc = put(x, "end_date",
				 json_string(ctm_date_format(t->end_date, d)));
		if (json_array_append_new(a, x))
			rc = -1;
	}
	if (put(o, "prior_therapies", a))
		rc = -1;
	return rc;
}

/* The labs in the order of their measure lines (labs.tsv). */
static int put_labs(json_t *o, const ctm_profile *p, const ctm_lexicon *lx)
{
	json_t *labs = json_object();
	const ctm_lab_info *l;
	double v;
	size_t i;
	int rc = 0;

	if (!labs)
		return -1;
	for (i = 0; (l = ctm_lexicon_profile_lab(lx, i)) && !rc; i++)
		if (!isnan(v = ctm_profile_lab(p, l->lab)))
			rc = put(labs, l->key, number(v));
	if (json_object_size(labs) == 0) {
		json_decref(labs);
		return rc;
	}
	if (put(o, "labs", labs))
		rc = -1;
	return rc;
}

static int put_location(json_t *o, const ctm_profile *p)
{
	const char *keys[4] = {"country", "state", "city", "zip"};
	const char *vals[4];
	json_t *loc;
	size_t i;
	int rc = 0;

	vals[0] = p->country;
	vals[1] = p->state;
	vals[2] = p->city;
	vals[3] = p->zip;
	if (!vals[0] && !vals[1] && !vals[2] && !vals[3])
		return 0;
	if (!(loc = json_object()))
		return -1;
	for (i = 0; i < 4 && !rc; i++)
		if (vals[i])
			rc = put(loc, keys[i], json_string(vals[i]));
	if (put(o, "location", loc))
		rc = -1;
	return rc;
}

static json_t *profile_object(const ctm_profile *p, const ctm_lexicon *lx)
{
	json_t *o = json_object(), *a;
	size_t i;
	int rc;

	if (!o)
		return NULL;
	rc = put(o, "id", json_string(p->id ? p->id : ""));
	if (!rc && p->age >= 0)
		rc = put(o, "age", json_integer((json_int_t)p->age));
	if (!rc && (p->sex == CTM_GENDER_FEMALE || p->sex == CTM_GENDER_MALE))
		rc = put(o, "sex",
			 json_string(p->sex == CTM_GENDER_FEMALE ? "female"
								 : "male"));
	if (!rc && p->diagnosis)
		rc = put(o, "diagnosis",
			 json_string(p->diagnosis_concept
					     ? ctm_lexicon_name(
						       lx, p->diagnosis_concept)
					     : p->diagnosis));
	if (!rc && p->stage >= 0 && p->stage <= 4)
		rc = put(o, "stage",
			 json_string(p->stage_text ? p->stage_text
						   : stage_names[p->stage]));
	if (!rc && p->metastatic >= 0)
		rc = put(o, "metastatic", tri(p->metastatic));
	if (!rc && p->has_sites) {
		a = json_array();
		for (i = 0; a && i < p->n_sites && !rc; i++)
			rc = json_array_append_new(a,
						   site_name(lx, p->sites[i]));
		if (put(o, "metastatic_sites", a))
			rc = -1;
	}
	if (!rc && p->brain != CTM_BRAIN_UNKNOWN)
		rc = put(o, "brain_metastases",
			 json_string(brain_names[p->brain]));
	if (!rc && p->resectable >= 0)
		rc = put(o, "resectable", tri(p->resectable));
	if (!rc && p->measurable >= 0)
		rc = put(o, "measurable_disease", tri(p->measurable));
	if (!rc && p->ecog >= 0)
		rc = put(o, "ecog", json_integer(p->ecog));
	if (!rc && p->karnofsky >= 0)
		rc = put(o, "karnofsky", json_integer(p->karnofsky));
	if (!rc && p->has_biomarkers)
		rc = put_biomarkers(o, p, lx);
	if (!rc && p->has_therapies)
		rc = put_therapies(o, p, lx);
	if (!rc)
		rc = put_labs(o, p, lx);
	if (!rc && p->pregnant >= 0)
		rc = put(o, "pregnant", tri(p->pregnant));
	if (!rc)
		rc = put_location(o, p);
	if (rc) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int ctm_profile_format_json(char **out, const ctm_profile *p,
			    const ctm_lexicon *lx, unsigned flags)
{
	json_t *doc = NULL, *prof, *w;
	size_t i;
	int rc = CTM_ENOMEM;

	*out = NULL;
	if (!(prof = profile_object(p, lx)))
		return CTM_ENOMEM;
	if (flags & CTM_PROFILE_JSON_WARNINGS) {
		/* json_object_set_new() takes the value even when it fails */
		doc = json_object();
		if (!doc)
			goto done;
		w = prof;
		prof = NULL;
		if (json_object_set_new(doc, "profile", w))
			goto done;
		if (!(w = json_array()) ||
		    json_object_set_new(doc, "warnings", w))
			goto done;
		for (i = 0; i < p->n_warnings; i++)
			if (json_array_append_new(w,
						  json_string(p->warnings[i])))
				goto done;
	} else {
		doc = prof;
		prof = NULL;
	}
	*out = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
				       JSON_REAL_PRECISION(10));
	if (*out)
		rc = 0;
done:
	json_decref(prof);
	json_decref(doc);
	return rc;
}
