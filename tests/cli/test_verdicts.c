/*
 * test_verdicts.c - the verdict of every (patient, fixture trial) pair, end
 * to end: fixtures/trials/ ingested into a fresh index, then
 * `ctmatch match --all-statuses --include-ineligible --limit 0 --today
 * 2026-11-26` for each fixtures/patients/P*.json, checked against
 * tests/cli/expected_verdicts.tsv.
 *
 * The table was written from the trial texts and the profiles
 * (spec/matching.md, spec/patient-profile.md), before the engine was run
 * on it. Its verdicts: ineligible, eligible, possible, or not_ineligible
 * (eligible or possible: the difference rests on which sentences a
 * careful parser structures). A trial missing from the results counts as
 * ineligible. Every mismatch is reported in one failure message.
 */
#include "clitest.h"

#define MATCH_DATE "2026-11-26"
#define MAX_PAIRS 2048

typedef struct pair {
	char patient[16];
	char nct[16];
	char verdict[16];
	const char *reason; /* points into the table text */
	bool seen;
} pair;

/* A growing message buffer. */
typedef struct msgbuf {
	char *s;
	size_t len, cap;
	size_t count;
} msgbuf;

static void msg_add(msgbuf *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void msg_add(msgbuf *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cr_assert(n >= 0);
	if (m->len + (size_t)n + 1 > m->cap) {
		size_t cap = (m->cap ? m->cap * 2 : 4096) + (size_t)n;
		char *s = realloc(m->s, cap);
		cr_assert(s);
		m->s = s;
		m->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(m->s + m->len, m->cap - m->len, fmt, ap);
	va_end(ap);
	m->len += (size_t)n;
	ct_anchor[2] = m->s;
}

static const char *table_path(void)
{
	static char path[PATH_MAX];
	const char *src = getenv("CTM_SOURCE");

	if (src && *src)
		snprintf(path, sizeof path, "%s/tests/cli/expected_verdicts.tsv",
			 src);
	else
		snprintf(path, sizeof path, "%s",
			 ct_path(tu_fixture(".."), "tests/cli/expected_verdicts.tsv"));
	return path;
}

static bool known_verdict(const char *v)
{
	return !strcmp(v, "eligible") || !strcmp(v, "possible") ||
	       !strcmp(v, "ineligible") || !strcmp(v, "not_ineligible");
}

/* Copies field [b, e) into dst[n]; false if it does not fit. */
static bool field(char *dst, size_t n, const char *b, const char *e)
{
	if (!e || (size_t)(e - b) >= n)
		return false;
	memcpy(dst, b, (size_t)(e - b));
	dst[e - b] = '\0';
	return true;
}

/*
 * Reads the table (text is modified in place: reasons point into it).
 * Comment lines start with '#'; the first other line is the header.
 */
static size_t read_table(char *text, pair *pairs, size_t max)
{
	char *line = text, *next;
	size_t n = 0, lineno = 0;
	bool header = true;

	for (; line && *line; line = next) {
		char *t1, *t2, *t3;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		if (header) {
			cr_assert_str_eq(line, "patient_id\tnct_id\tverdict\treason",
					 "table header");
			header = false;
			continue;
		}
		cr_assert(n < max, "table: too many rows");
		t1 = strchr(line, '\t');
		t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
		cr_assert(t1 && t2, "table line %zu: fewer than 3 columns",
			  lineno);
		cr_assert(field(pairs[n].patient, sizeof pairs[n].patient, line,
				t1) &&
				  field(pairs[n].nct, sizeof pairs[n].nct,
					t1 + 1, t2) &&
				  field(pairs[n].verdict,
					sizeof pairs[n].verdict, t2 + 1,
					t3 ? t3 : t2 + strlen(t2)),
			  "table line %zu: a field is too long", lineno);
		cr_assert(known_verdict(pairs[n].verdict),
			  "table line %zu: unknown verdict '%s'", lineno,
			  pairs[n].verdict);
		pairs[n].reason = t3 ? t3 + 1 : "";
		cr_assert(!strcmp(pairs[n].verdict, "ineligible") ==
				  (*pairs[n].reason != '\0'),
			  "table line %zu: a reason goes with ineligible, "
			  "and only with it",
			  lineno);
		n++;
	}
	return n;
}

static pair *find_pair(pair *pairs, size_t n, const char *patient,
		       const char *nct)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(pairs[i].patient, patient) &&
		    !strcmp(pairs[i].nct, nct))
			return &pairs[i];
	return NULL;
}

/* Reachable from here, so that a failing test (which ends before freeing)
 * reports its assertion, not a leak. */
static char **volatile kept_lists[2];

static bool accepts(const char *want, const char *got)
{
	if (!strcmp(want, "not_ineligible"))
		return !strcmp(got, "eligible") || !strcmp(got, "possible");
	return !strcmp(want, got);
}

Test(verdicts, every_fixture_pair_matches_the_table, .timeout = 300)
{
	static pair pairs[MAX_PAIRS];
	static char *table;
	size_t n_pairs, n_pat = 0, n_tri = 0, i, j;
	char **patients, **trials;
	const char *db = ct_new_db();
	ct_run r = {0};
	msgbuf m = {0};
	size_t checked = 0;

	table = tu_read_file(table_path(), NULL);
	cr_assert(table, "cannot read %s", table_path());
	n_pairs = read_table(table, pairs, MAX_PAIRS);
	patients = ct_files(tu_fixture("patients"), "P", ".json", &n_pat);
	trials = ct_xml_files(tu_fixture("trials"), &n_tri);
	kept_lists[0] = patients;
	kept_lists[1] = trials;
	cr_assert_eq(n_pat, 17, "fixtures/patients: %zu P*.json, want 17",
		     n_pat);
	cr_assert_eq(n_tri, 40, "fixtures/trials: %zu records, want 40",
		     n_tri);
	cr_assert_eq(n_pairs, n_pat * n_tri,
		     "the table has %zu rows, want one per pair (%zu)",
		     n_pairs, n_pat * n_tri);
	/* every pair is in the table exactly once */
	for (i = 0; i < n_pat; i++) {
		char pid[16], nct[16];
		ct_base_name(patients[i], ".json", pid, sizeof pid);
		for (j = 0; j < n_tri; j++) {
			ct_base_name(trials[j], ".xml", nct, sizeof nct);
			cr_assert(find_pair(pairs, n_pairs, pid, nct),
				  "the table has no row for %s %s", pid, nct);
		}
	}

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "ingest: exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 40, 0, 0, 0);

	for (i = 0; i < n_pat; i++) {
		char pid[16];
		json_t *doc, *results;
		size_t k;

		ct_base_name(patients[i], ".json", pid, sizeof pid);
		ct_run_cmd(&r, NULL,
			   "match --db '%s' --patient '%s' --all-statuses "
			   "--include-ineligible --limit 0 --format json "
			   "--today " MATCH_DATE,
			   db, patients[i]);
		cr_assert_eq(r.status, 0, "match %s: exit %d\n%s", pid,
			     r.status, r.err);
		doc = ct_json(r.out);
		results = json_object_get(doc, "results");
		cr_assert(json_is_array(results), "%s: no results array", pid);
		for (j = 0; j < n_pairs; j++)
			pairs[j].seen = false;
		for (k = 0; k < json_array_size(results); k++) {
			json_t *o = json_array_get(results, k);
			const char *nct = ct_jstr(o, "nct_id");
			const char *got = ct_jstr(o, "verdict");
			pair *pp = find_pair(pairs, n_pairs, pid, nct);

			cr_assert(pp, "%s: a result for %s, which is not a "
				      "fixture trial", pid, nct);
			cr_assert(!pp->seen, "%s: %s listed twice", pid, nct);
			pp->seen = true;
			checked++;
			if (!accepts(pp->verdict, got)) {
				msg_add(&m, "  %s %s: got %s, want %s%s%s\n",
					pid, nct, got, pp->verdict,
					*pp->reason ? " -- " : "", pp->reason);
				m.count++;
			}
		}
		for (j = 0; j < n_pairs; j++) {
			pair *pp = &pairs[j];
			if (strcmp(pp->patient, pid) || pp->seen)
				continue;
			checked++;
			/* missing from the results: counts as ineligible */
			if (strcmp(pp->verdict, "ineligible")) {
				msg_add(&m, "  %s %s: got ineligible (not in "
					    "the results), want %s\n",
					pid, pp->nct, pp->verdict);
				m.count++;
			}
		}
		json_decref(doc);
	}
	cr_assert_eq(checked, n_pairs);
	cr_assert(m.count == 0, "%zu of %zu pairs differ from %s:\n%s",
		  m.count, n_pairs, table_path(), m.s ? m.s : "");
	free(m.s);
	ct_run_free(&r);
	ct_free_list(patients);
	ct_free_list(trials);
	free(table);
}
