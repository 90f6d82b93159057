/*
 * test_stats.c - `ctmatch stats` run as a real process after ingesting
 * fixtures/trials/. The expected counts by status and phase are computed
 * here by reading the fixture files with libxml2, not taken from ctmatch.
 */
#include "clitest.h"

#include <time.h>

/* Legacy status spellings and the lower-case tokens stats --format json
 * uses as keys (the tokens of postings and CSV). */
static const char *const status_tokens[][2] = {
	{"Not yet recruiting", "not_yet_recruiting"},
	{"Recruiting", "recruiting"},
	{"Enrolling by invitation", "enrolling_by_invitation"},
	{"Active, not recruiting", "active_not_recruiting"},
	{"Suspended", "suspended"},
	{"Terminated", "terminated"},
	{"Completed", "completed"},
	{"Withdrawn", "withdrawn"},
	{"Unknown status", "unknown"},
};

static const char *token_of(const char *status)
{
	size_t i;

	for (i = 0; i < sizeof(status_tokens) / sizeof(status_tokens[0]); i++)
		if (!strcmp(status, status_tokens[i][0]))
			return status_tokens[i][1];
	cr_assert_fail("a fixture has status '%s', not in this test's table",
		       status);
	return NULL;
}

static void bump(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	json_object_set_new(o, key,
			    json_integer(v ? json_integer_value(v) + 1 : 1));
}

/*
 * Counts the fixtures by status (display name and token) and by phase,
 * reading each file with libxml2. Returns the number of records.
 */
static size_t fixture_counts(json_t *by_name, json_t *by_token,
			     json_t *by_phase)
{
	size_t n, i;
	char **files = ct_xml_files(tu_fixture("trials"), &n);

	for (i = 0; i < n; i++) {
		xmlDocPtr doc = ct_xml_read(files[i]);
		char *st = ct_xml_field(doc, "/clinical_study/overall_status");
		char *ph = ct_xml_field(doc, "/clinical_study/phase");

		cr_assert(st && *st, "%s: no overall_status", files[i]);
		bump(by_name, st);
		bump(by_token, token_of(st));
		bump(by_phase, ph && *ph ? ph : "(none)");
		free(st);
		free(ph);
		xmlFreeDoc(doc);
	}
	ct_free_list(files);
	return n;
}

static void ingest_fixtures(const char *db)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "ingest: exit %d\n%s", r.status, r.err);
	ct_run_free(&r);
}

static json_t *stats_json(const char *db)
{
	ct_run r = {0};
	json_t *o;

	ct_run_cmd(&r, NULL, "stats --db '%s' --format json", db);
	cr_assert_eq(r.status, 0, "stats: exit %d\n%s", r.status, r.err);
	cr_assert_str_eq(r.err, "");
	o = ct_json(r.out);
	cr_assert(json_is_object(o));
	ct_run_free(&r);
	return o;
}

static json_int_t jint(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(v, "no key '%s'", key);
	cr_assert(json_is_integer(v), "'%s' is not an integer", key);
	return json_integer_value(v);
}

/* The count at the end of the table line "  <name>   <count>". */
static long table_count(const char *out, const char *name)
{
	const char *p = out;
	size_t n = strlen(name);

	while (p && *p) {
		const char *s = p, *e = strchr(p, '\n');
		while (*s == ' ')
			s++;
		if (!strncmp(s, name, n) && s[n] == ' ') {
			const char *q = s + n;
			char *end;
			long v;
			while (*q == ' ')
				q++;
			v = strtol(q, &end, 10);
			if (end != q && (*end == '\n' || !*end))
				return v;
		}
		p = e ? e + 1 : NULL;
	}
	return -1;
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

Test(stats, counts_by_status_and_phase_from_the_fixture_files)
{
	const char *db = ct_new_db();
	json_t *by_name = json_object(), *by_token = json_object();
	json_t *by_phase = json_object(), *o;
	size_t n = fixture_counts(by_name, by_token, by_phase);
	const char *key;
	json_t *v;
	ct_run r = {0};

	cr_assert_eq(n, 40);
	ingest_fixtures(db);

	o = stats_json(db);
	cr_assert_eq(jint(o, "trials"), (json_int_t)n);
	cr_assert(json_equal(json_object_get(o, "by_status"), by_token),
		  "by_status %s, want %s",
		  json_dumps(json_object_get(o, "by_status"),
			     JSON_COMPACT | JSON_SORT_KEYS),
		  json_dumps(by_token, JSON_COMPACT | JSON_SORT_KEYS));
	cr_assert(json_equal(json_object_get(o, "by_phase"), by_phase),
		  "by_phase %s, want %s",
		  json_dumps(json_object_get(o, "by_phase"),
			     JSON_COMPACT | JSON_SORT_KEYS),
		  json_dumps(by_phase, JSON_COMPACT | JSON_SORT_KEYS));
	json_decref(o);

	/* the table says the same */
	ct_run_cmd(&r, NULL, "stats --db '%s'", db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert_str_eq(r.err, "");
	cr_assert_eq(table_count(r.out, "trials:"), (long)n, "%s", r.out);
	json_object_foreach(by_name, key, v) cr_assert_eq(
		table_count(r.out, key), (long)json_integer_value(v),
		"status %s: want %lld\n%s", key,
		(long long)json_integer_value(v), r.out);
	json_object_foreach(by_phase, key, v) cr_assert_eq(
		table_count(r.out, key), (long)json_integer_value(v),
		"phase %s: want %lld\n%s", key,
		(long long)json_integer_value(v), r.out);
	json_decref(by_name);
	json_decref(by_token);
	json_decref(by_phase);
	ct_run_free(&r);
}

Test(stats, json_keys_and_their_values)
{
	const char *db = ct_new_db();
	time_t t0, t1;
	json_t *o, *a, *li;
	ct_run r = {0};
	size_t i, j, crit = 0, structured = 0;
	struct stat st;
	char ids[2048] = "";
	size_t len = 0;
	int y, mo, d, h, mi, s;
	long when;

	t0 = time(NULL);
	ingest_fixtures(db);
	t1 = time(NULL);
	o = stats_json(db);

	cr_assert_eq(jint(o, "trials"), 40);
	cr_assert(json_is_object(json_object_get(o, "by_status")));
	cr_assert(json_is_object(json_object_get(o, "by_phase")));
	/* criteria parsed vs review: as show lists them */
	for (i = 0; i < 40; i++)
		len += (size_t)snprintf(ids + len, sizeof ids - len,
					"NCT%08zu ", 90000001 + i);
	ct_run_cmd(&r, NULL, "show --db '%s' --format json %s", db, ids);
	cr_assert_eq(r.status, 0, "show: exit %d\n%s", r.status, r.err);
	a = ct_json(r.out);
	for (i = 0; i < json_array_size(a); i++) {
		json_t *c = json_object_get(json_array_get(a, i), "criteria");
		crit += json_array_size(c);
		for (j = 0; j < json_array_size(c); j++)
			structured +=
				!strcmp(ct_jstr(json_array_get(c, j), "status"),
					"structured");
	}
	json_decref(a);
	cr_assert_eq(jint(o, "criteria"), (json_int_t)crit);
	cr_assert_eq(jint(o, "criteria_structured"), (json_int_t)structured);
	cr_assert_eq(jint(o, "criteria_review"),
		     (json_int_t)(crit - structured));
	/* index size: the size of data.mdb */
	cr_assert_eq(stat(ct_path(db, "data.mdb"), &st), 0);
	cr_assert_eq(jint(o, "index_bytes"), (json_int_t)st.st_size);
	/* last ingest: when it ran, in UTC */
	cr_assert_eq(jint(o, "ingests"), 1);
	li = json_object_get(o, "last_ingest");
	cr_assert(json_is_string(li), "last_ingest is not a string");
	cr_assert_eq(sscanf(json_string_value(li), "%4d-%2d-%2dT%2d:%2d:%2dZ",
			    &y, &mo, &d, &h, &mi, &s),
		     6, "last_ingest '%s'", json_string_value(li));
	when = days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + s;
	cr_assert(when >= (long)t0 && when <= (long)t1,
		  "last_ingest %s is not between %ld and %ld",
		  json_string_value(li), (long)t0, (long)t1);
	json_decref(o);
	ct_run_free(&r);
}

Test(stats, json_has_last_batch)
{
	const char *db = ct_new_db();
	json_t *o;

	ingest_fixtures(db);
	o = stats_json(db);
	/* spec/cli.md: stats gives last ingest and batch times; no batch ran */
	cr_assert(json_object_get(o, "last_batch"), "no key 'last_batch'");
	cr_assert(json_is_null(json_object_get(o, "last_batch")));
	json_decref(o);
}

Test(stats, last_ingest_counts)
{
	const char *db = ct_new_db(), *dir = ct_tmpdir(), *line;
	char newer[PATH_MAX];
	unsigned v[4];
	json_t *o;
	ct_run r = {0};

	ingest_fixtures(db);
	ct_run_cmd(&r, NULL, "stats --db '%s'", db);
	cr_assert_eq(r.status, 0);
	line = ct_line_with(r.out, "last ingest");
	cr_assert(line && ct_counts(line, v), "%s", r.out);
	cr_assert(v[0] == 40 && v[1] == 0 && v[2] == 0 && v[3] == 0, "%s",
		  line);

	/* 1 updated (a newer copy), 1 unchanged, 2 added and 1 rejected
	 * (mixed.xml) */
	snprintf(newer, sizeof newer, "%s", ct_path(dir, "NCT90000002.xml"));
	ct_copy_edit(ct_trial("NCT90000002.xml"), newer,
		     "<last_update_submitted>December 19, 2022<",
		     "<last_update_submitted>February 1, 2023<", NULL);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s' '%s' '%s'", db, newer,
		   ct_trial("NCT90000001.xml"), ct_bad("mixed.xml"));
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 2, 1, 1, 1);

	ct_run_cmd(&r, NULL, "stats --db '%s'", db);
	cr_assert_eq(r.status, 0);
	cr_assert_eq(table_count(r.out, "trials:"), 42, "%s", r.out);
	line = ct_line_with(r.out, "last ingest");
	cr_assert(line && ct_counts(line, v), "%s", r.out);
	cr_assert(v[0] == 2 && v[1] == 1 && v[2] == 1 && v[3] == 1, "%s", line);

	o = stats_json(db);
	cr_assert_eq(jint(o, "trials"), 42);
	cr_assert_eq(jint(o, "ingests"), 2);
	json_decref(o);
	ct_run_free(&r);
}

Test(stats, errors_and_help)
{
	const char *db = ct_new_db();
	struct stat st;
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "stats --db '%s'", db);
	cr_assert_eq(r.status, 3, "missing index: exit %d\n%s", r.status,
		     r.err);
	cr_assert(ct_line_with(r.err, db), "index not named:\n%s", r.err);
	cr_assert_str_eq(r.out, "");
	cr_assert_neq(stat(db, &st), 0, "stats created %s", db);

	ingest_fixtures(db);
	ct_run_cmd(&r, NULL, "stats --db '%s' extra-argument", db);
	cr_assert_eq(r.status, 2, "extra argument: exit %d\n%s", r.status,
		     r.err);
	cr_assert(strstr(r.err, "usage:"), "%s", r.err);
	cr_assert_str_eq(r.out, "");

	ct_run_cmd(&r, NULL, "stats --db '%s' --format csv", db);
	cr_assert_eq(r.status, 2, "--format csv: exit %d\n%s", r.status, r.err);
	cr_assert_str_eq(r.out, "");

	ct_run_cmd(&r, NULL, "stats --db '%s' --bogus", db);
	cr_assert_eq(r.status, 2, "--bogus: exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "usage:"), "%s", r.err);

	ct_run_cmd(&r, NULL, "stats --help");
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.out, "usage: ctmatch stats"), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	ct_run_free(&r);
}
