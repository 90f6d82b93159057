/*
 * chia_tag - the lexicon tagger over text files, for bench/chia.py.
 *
 * For each FILE argument, prints "FILE" and then one line per lexicon
 * term found in its text: start <TAB> end <TAB> concept type <TAB>
 * concept name (byte offsets, end exclusive). The tagger is the one the
 * criteria reader starts from (ctm_lexicon_scan: longest match, word
 * boundaries, case folding).
 */
#include <ctm/engine.h>

#include <stdio.h>
#include <stdlib.h>

static const char *type_name(ctm_concept_type t)
{
	switch (t) {
	case CTM_CT_DISEASE: return "disease";
	case CTM_CT_GENE: return "gene";
	case CTM_CT_MARKER: return "marker";
	case CTM_CT_VARIANT: return "variant";
	case CTM_CT_DRUG: return "drug";
	case CTM_CT_CLASS: return "class";
	case CTM_CT_REGIMEN: return "regimen";
	case CTM_CT_PROCEDURE: return "procedure";
	case CTM_CT_SITE: return "site";
	case CTM_CT_LAB: return "lab";
	case CTM_CT_CONDITION: return "condition";
	default: return "none";
	}
}

int main(int argc, char **argv)
{
	ctm_lexicon *lx;
	ctm_error err = {0};
	static ctm_term_hit hits[4096];
	int i;

	if (ctm_lexicon_new(&lx, &err)) {
		fprintf(stderr, "chia_tag: lexicon: %s\n", err.message);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		char *text;
		long len;
		size_t n, k;

		if (!f) {
			perror(argv[i]);
			continue;
		}
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		text = malloc((size_t)len + 1);
		if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
			fclose(f);
			free(text);
			continue;
		}
		fclose(f);
		text[len] = '\0';
		n = ctm_lexicon_scan(lx, text, (size_t)len, 0, hits, 4096);
		if (n > 4096)
			n = 4096;
		printf("%s\n", argv[i]);
		for (k = 0; k < n; k++)
			printf("%zu\t%zu\t%s\t%s\n", hits[k].start, hits[k].end,
			       type_name(ctm_lexicon_type(lx, hits[k].concept)),
			       ctm_lexicon_name(lx, hits[k].concept));
		free(text);
	}
	ctm_lexicon_free(lx);
	return 0;
}
