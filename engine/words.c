/* words.c - edit distance and "did you mean" over a word list. */
#include <ctm/engine.h>

#include <string.h>

size_t ctm_edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[64][64];

	if (la >= 63 || lb >= 63)
		return limit + 1;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		size_t best = (size_t)-1;
		for (j = 1; j <= lb; j++) {
			size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return d[la][lb];
}

const char *ctm_nearest_word(const char *word, const char *const *words,
			     size_t n)
{
	const char *best = NULL;
	size_t i, d, len = strlen(word);
	/* short words: one edit, else two ("mtach", "patinet": one swap) */
	size_t limit = len < 4 ? 1 : 2, best_d = limit + 1;

	for (i = 0; i < n && words[i]; i++) {
		d = ctm_edit_distance(word, words[i], limit);
		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
	}
	return best;
}
