/* profile.c - patient profiles: a fresh one knows nothing. */
#include <ctm/engine.h>

#include <math.h>

ctm_profile *ctm_profile_new(void)
{
	ctm_arena *a = ctm_arena_new();
	ctm_profile *p;

	if (!a)
		return NULL;
	p = ctm_arena_alloc(a, sizeof(*p));
	if (!p) {
		ctm_arena_free(a);
		return NULL;
	}
	p->arena = a;
	p->age = -1;
	p->stage = -1;
	p->metastatic = p->resectable = p->measurable = p->pregnant = -1;
	p->ecog = p->karnofsky = -1;
	return p;
}

double ctm_profile_lab(const ctm_profile *p, ctm_concept lab)
{
	size_t i;

	for (i = 0; lab && i < p->n_labs; i++)
		if (p->labs[i].lab == lab)
			return p->labs[i].value;
	return NAN;
}

void ctm_profile_free(ctm_profile *p)
{
	if (p)
		ctm_arena_free(p->arena);
}
