/*
 * test_report.c - `ctmatch report` rendered by a real browser: headless
 * Chromium (Debian `chromium`, installed by .ci/deps) reads the HTML of a
 * fixture batch of three nights and gives back its DOM (--dump-dom) and a
 * PDF (--print-to-pdf).
 *
 * Index: fixtures/batch/trials and fixtures/report (NCT93000099, a
 * hostile title). Nights: 1, the batch roster; 2, mb_next_night() (a
 * stricter NCT93000002, NCT93000006 completed, A04's ECOG 2 -> 1); 3,
 * A04's ECOG back to 2. Expected texts follow fixtures/batch/README.md:
 * NCT93000099 scores like NCT93000003's neighbours (age and ECOG met, +2
 * recruiting, +1 a site in France).
 */
#include "clitest_mb.h"

#define CHROMIUM "/usr/bin/chromium"

/* The DOM text Chromium builds from file (malloc'd). */
static char *dom_of(const char *file)
{
	const char *tmp = ct_tmpdir();
	ct_run r = {0};
	char *out;

	cr_assert(access(CHROMIUM, X_OK) == 0,
		  "%s is missing: install Debian's chromium (.ci/deps)", CHROMIUM);
	ct_run_sh(&r,
		  "'%s' --headless --no-sandbox --disable-gpu --no-first-run "
		  "--disable-dev-shm-usage "
		  "--user-data-dir='%s' --dump-dom 'file://%s' 2>/dev/null",
		  CHROMIUM, ct_path(tmp, "chromium-profile"), file);
	cr_assert_eq(r.status, 0, "chromium --dump-dom failed: %s", r.err);
	out = strdup(r.out);
	cr_assert(out);
	ct_run_free(&r);
	return out;
}

/* The number of pages of the PDF Chromium prints file to. */
static size_t pdf_pages(const char *file)
{
	const char *tmp = ct_tmpdir();
	const char *pdf = ct_keep(ct_path(tmp, "report.pdf"));
	ct_run r = {0};
	char *data;
	size_t n = 0, len = 0, i;

	ct_run_sh(&r,
		  "'%s' --headless --no-sandbox --disable-gpu --no-first-run "
		  "--disable-dev-shm-usage "
		  "--user-data-dir='%s' --no-pdf-header-footer "
		  "--print-to-pdf='%s' 'file://%s' 2>/dev/null",
		  CHROMIUM, ct_path(tmp, "chromium-profile"), pdf, file);
	cr_assert_eq(r.status, 0, "chromium --print-to-pdf failed: %s", r.err);
	data = tu_read_file(pdf, &len);
	cr_assert(data && len > 5 && !memcmp(data, "%PDF-", 5), "not a PDF");
	/* each page object: "/Type /Page" not followed by "s" (binary: the
	 * streams hold NUL bytes) */
	for (i = 0; i + 12 <= len; i++)
		n += !memcmp(data + i, "/Type /Page", 11) && data[i + 11] != 's';
	free(data);
	ct_run_free(&r);
	return n;
}

static void expect_in(const char *dom, const char *want, const char *what)
{
	cr_expect(strstr(dom, want) != NULL, "%s: no \"%s\" in the DOM", what, want);
}

/* The section of one patient in the DOM (from its heading to the next). */
static char *section_of(const char *dom, const char *id)
{
	char head[64];
	const char *a, *b;
	char *s;

	snprintf(head, sizeof head, "<h2>Patient %s</h2>", id);
	a = strstr(dom, head);
	cr_assert(a, "no section for %s", id);
	b = strstr(a + 1, "<h2>Patient ");
	s = strndup(a, b ? (size_t)(b - a) : strlen(a));
	cr_assert(s);
	return s;
}

Test(report, three_nights_in_headless_chromium, .timeout = 120)
{
	const char *db = mb_index("trials", "../report", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = mb_roster_copy(tmp);
	const char *html2 = ct_keep(ct_path(tmp, "night2.html"));
	const char *html3 = ct_keep(ct_path(tmp, "night3.html"));
	char *dom, *sec, *got;
	struct stat st;
	ct_run r = {0};

	got = mb_batch(&r, db, roster, ct_path(tmp, "n1.csv"), "", 0);
	free(got);
	mb_next_night(db, roster);
	got = mb_batch(&r, db, roster, ct_path(tmp, "n2.csv"), "", 0);
	free(got);
	ct_run_cmd(&r, NULL, "report --db '%s' --out '%s'", db, html2);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(stat(html2, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "the report is not 0600: %o",
		     st.st_mode & 0777);

	dom = dom_of(html2);
	/* the hostile title is text, and no script is in the page */
	expect_in(dom, "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; "
		       "Treatment-naïve Exercise Study", "title");
	cr_expect(!strstr(dom, "<script"), "a script element in the DOM");
	/* the contents list: A01 3 eligible, 0 possible, 0 new, 0 changed,
	 * 2 no longer listed (T04 closed, T02 stricter) */
	expect_in(dom, "<a href=\"#p1\">A01</a></td><td class=\"n\">4</td>"
		       "<td class=\"n\">0</td><td class=\"n\">0</td>"
		       "<td class=\"n\">0</td><td class=\"n\">2</td>", "contents A01");
	sec = section_of(dom, "A01");
	expect_in(sec, "4 eligible, 0 possible, 0 ineligible listed.", "A01");
	expect_in(sec, "NCT93000002</a> no longer listed: was eligible, rank 4. "
		       "Why: now ineligible: ECOG performance status 0 [patient: ECOG 1]",
		  "A01 drop, ineligible");
	expect_in(sec, "NCT93000006</a> no longer listed: was eligible, rank 3. "
		       "Why: closed (Completed)", "A01 drop, closed");
	/* T99 for A01: age and ECOG met, recruiting: 4.00; review 1 */
	expect_in(sec, "NCT93000099</a> — &lt;script&gt;", "A01 trial");
	expect_in(sec, "score 4.00 (criteria met +2.00, unknown +0.00, specific "
		       "requirements +0.00, status +2.00, site +0.00) · met 2, "
		       "unknown 0, review 1", "A01 T99 counts");
	expect_in(sec, "[exclusion] Unable to walk 100 metres unaided on the test day",
		  "A01 T99 unread");
	free(sec);
	sec = section_of(dom, "A02");
	expect_in(sec, "NCT93000002</a> changed: eligible (rank 1) → possible (rank 2)",
		  "A02 changed");
	expect_in(sec, "<li>measurable disease: settles 1 trial</li>", "A02 needs");
	free(sec);
	/* A03 knows neither ECOG nor KRAS: T99 waits for ECOG alone */
	sec = section_of(dom, "A03");
	expect_in(sec, "<li>performance status: settles 1 trial (needed by 2)</li>",
		  "A03 needs");
	free(sec);
	sec = section_of(dom, "A04");
	expect_in(sec, "NCT93000099</a> new: eligible, rank 4", "A04 new");
	free(sec);
	free(dom);
	/* printed on Letter and on A4: a page for the contents and one at
	 * least per patient */
	ct_copy_edit(html2, ct_keep(ct_path(tmp, "letter.html")), "<style>",
		     "<style>@page{size:letter}", NULL);
	cr_expect_geq(pdf_pages(ct_path(tmp, "letter.html")), 6, "Letter pages");
	ct_copy_edit(html2, ct_keep(ct_path(tmp, "a4.html")), "<style>",
		     "<style>@page{size:A4}", NULL);
	cr_expect_geq(pdf_pages(ct_path(tmp, "a4.html")), 6, "A4 pages");

	/* night 3: A04's ECOG back to 2: every trial of A04 drops, why */
	ct_copy_edit(roster, roster, "\"ecog\": 1, \"biomarkers\": [{\"name\": "
				     "\"KRAS\", \"status\": \"mutated\", \"variant\": "
				     "\"G12C\"}], \"prior_therapies\": [{\"name\": "
				     "\"FOLFIRI\"",
		     "\"ecog\": 2, \"biomarkers\": [{\"name\": \"KRAS\", \"status\": "
		     "\"mutated\", \"variant\": \"G12C\"}], \"prior_therapies\": "
		     "[{\"name\": \"FOLFIRI\"",
		     NULL);
	got = mb_batch(&r, db, roster, ct_path(tmp, "n3.csv"), "", 0);
	free(got);
	ct_run_cmd(&r, NULL, "report --db '%s' --out '%s'", db, html3);
	cr_assert_eq(r.status, 0, "%s", r.err);
	dom = dom_of(html3);
	sec = section_of(dom, "A04");
	expect_in(sec, "0 new, 0 changed, 4 no longer listed.", "A04 night 3");
	expect_in(sec, "NCT93000099</a> no longer listed: was eligible, rank 4. "
		       "Why: now ineligible: ECOG performance status 0-1 "
		       "[patient: ECOG 2]", "A04 drop");
	expect_in(sec, "<p>No trial listed.</p>", "A04 none");
	free(sec);
	sec = section_of(dom, "A01");
	expect_in(sec, "0 new, 0 changed, 0 no longer listed.", "A01 night 3");
	free(sec);
	free(dom);

	/* one patient of the last run */
	ct_run_cmd(&r, NULL, "report --db '%s' --id A02", db);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "<h2>Patient A02</h2>"), "--id A02");
	cr_expect(!strstr(r.out, "<h2>Patient A01</h2>"), "--id A02 shows A01");
	ct_run_cmd(&r, NULL, "report --db '%s' --id NOBODY", db);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_expect(strstr(r.err, "patient NOBODY has no stored list"), "%s", r.err);
	ct_run_free(&r);
}

/* --patient FILE: matched now, compared with that patient's last list. */
Test(report, one_profile_now_against_its_last_list)
{
	const char *db = mb_index("trials", "../report", NULL);
	const char *tmp = ct_tmpdir();
	const char *roster = mb_roster_copy(tmp);
	char *got;
	ct_run r = {0};

	got = mb_batch(&r, db, roster, ct_path(tmp, "n1.csv"), "", 0);
	free(got);
	mb_next_night(db, NULL);
	ct_run_cmd(&r, NULL, "report --db '%s' " MB_TODAY " --patient '%s'", db,
		   mb_fx("patients/dir/A01.json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_expect(strstr(r.out, "NCT93000006</a> no longer listed: was eligible, "
				"rank 3. Why: closed (Completed)"),
		  "%s", r.out);
	cr_expect(strstr(r.out, "<title>Trial matches</title>"), "%s", r.out);
	cr_expect(!strstr(r.out, "<script"), "a script element");
	cr_expect(!strstr(r.out, "http://") && !strstr(r.out, "src="),
		  "an external asset");
	ct_run_free(&r);
}
