/*
 * test_ingest.c - `ctmatch ingest` run as a real process on the bundled
 * fixtures (fixtures/trials/, fixtures/bad/; see their README.md). Expected
 * values are read off the fixture files: ids, dates, and the lines the bad
 * records' README names.
 */
#include "clitest.h"
#include "clitest_dump.h"

#include <time.h>

/* fixtures/trials/ holds NCT90000001 .. NCT90000040, one record per file. */
#define N_FIXTURES 40

/* True if `show` finds nct in db. */
static bool stored(const char *db, const char *nct)
{
	ct_run r = {0};
	bool yes;

	ct_run_cmd(&r, NULL, "show --db '%s' %s", db, nct);
	cr_assert(r.status == 0 || r.status == 1, "show %s: exit %d\n%s", nct,
		  r.status, r.err);
	yes = r.status == 0;
	ct_run_free(&r);
	return yes;
}

/* A show --format json of one trial (the caller json_decref()s). */
static json_t *show1(const char *db, const char *nct)
{
	ct_run r = {0};
	json_t *a, *t;

	ct_run_cmd(&r, NULL, "show --db '%s' --format json %s", db, nct);
	cr_assert_eq(r.status, 0, "show %s: exit %d\n%s", nct, r.status, r.err);
	a = ct_json(r.out);
	cr_assert(json_is_array(a) && json_array_size(a) == 1);
	t = json_incref(json_array_get(a, 0));
	json_decref(a);
	ct_run_free(&r);
	return t;
}

/* What every ingest must do whatever its inputs: quiet stdout, no '\r'. */
static void quiet(const ct_run *r)
{
	cr_assert_str_eq(r->out, "", "ingest wrote to stdout:\n%s", r->out);
	cr_assert_null(strchr(r->err, '\r'),
		       "progress drawn on stderr that is not a terminal:\n%s",
		       r->err);
}

Test(ingest, directory_is_searched_recursively_for_xml)
{
	const char *top = ct_tmpdir(), *db = ct_new_db();
	ct_run r = {0};

	ct_mkdirs(ct_path(top, "a/b/c"));
	ct_copy(ct_trial("NCT90000001.xml"), ct_path(top, "NCT90000001.xml"));
	ct_copy(ct_trial("NCT90000002.xml"), ct_path(top, "a/NCT90000002.xml"));
	ct_copy(ct_trial("NCT90000003.xml"),
		ct_path(top, "a/b/c/NCT90000003.xml"));
	ct_copy(ct_trial("NCT90000004.xml"), ct_path(top, "a/b/c/renamed.xml"));
	/* Not *.xml: ignored, even when the content is a record or garbage. */
	ct_copy(ct_trial("NCT90000005.xml"), ct_path(top, "a/NCT90000005.txt"));
	ct_copy(ct_trial("NCT90000006.xml"),
		ct_path(top, "a/b/NCT90000006.xml.bak"));
	ct_write(ct_path(top, "README.md"), "# not a record\n");
	ct_write(ct_path(top, "a/b/roster.csv"), "nct_id\nNCT90000007\n");

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, top);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 4, 0, 0, 0);
	quiet(&r);
	cr_assert(stored(db, "NCT90000001"));
	cr_assert(stored(db, "NCT90000002"));
	cr_assert(stored(db, "NCT90000003"));
	cr_assert(stored(db, "NCT90000004"));
	cr_assert_not(stored(db, "NCT90000005"));
	cr_assert_not(stored(db, "NCT90000006"));
	cr_assert_not(stored(db, "NCT90000007"));
	ct_run_free(&r);
}

Test(ingest, fixture_directory_then_again_all_unchanged)
{
	const char *db = ct_new_db();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, N_FIXTURES, 0, 0, 0);
	quiet(&r);
	{
		/* the summary gives the seconds it took: "<number> s" */
		const char *line = ct_line_with(r.err, "added "), *p;
		bool secs = false;

		cr_assert(line);
		for (p = strstr(line, " s"); p && !secs;
		     p = strstr(p + 1, " s"))
			secs = p > line && isdigit((unsigned char)p[-1]) &&
			       (p[2] == ',' || p[2] == ')' || p[2] == '\0');
		cr_assert(secs, "no seconds in the summary: %s", line);
	}

	/* The same files again: nothing is newer. */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 0, 0, N_FIXTURES, 0);
	quiet(&r);

	/* And one of them on its own, by name. */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   ct_trial("NCT90000040.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 0, 0, 1, 0);
	ct_run_free(&r);
}

Test(ingest, single_files_and_several_sources)
{
	const char *db = ct_new_db(), *dir = ct_tmpdir();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   ct_trial("NCT90000013.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 1, 0, 0, 0);
	quiet(&r);

	ct_copy(ct_trial("NCT90000021.xml"), ct_path(dir, "NCT90000021.xml"));
	ct_copy(ct_trial("NCT90000022.xml"), ct_path(dir, "NCT90000022.xml"));
	/* two files, a directory, and a file already stored */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s' '%s' '%s' '%s'", db,
		   ct_trial("NCT90000036.xml"), ct_trial("NCT90000040.xml"),
		   dir, ct_trial("NCT90000013.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 4, 0, 1, 0);
	quiet(&r);
	cr_assert(stored(db, "NCT90000013"));
	cr_assert(stored(db, "NCT90000021"));
	cr_assert(stored(db, "NCT90000022"));
	cr_assert(stored(db, "NCT90000036"));
	cr_assert(stored(db, "NCT90000040"));
	ct_run_free(&r);
}

Test(ingest, stdin_dash)
{
	const char *db = ct_new_db();
	ct_run r = {0};
	char *rec = tu_read_file(ct_trial("NCT90000027.xml"), NULL);

	cr_assert(rec);
	/* through tu_run's stdin */
	ct_run_cmd(&r, rec, "ingest --db '%s' -", db);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 1, 0, 0, 0);
	quiet(&r);
	cr_assert(stored(db, "NCT90000027"));

	/* through a pipe, mixed with a file argument */
	ct_run_sh(&r, "cat '%s' | '%s' ingest --db '%s' - '%s'",
		  ct_trial("NCT90000028.xml"), tu_ctmatch(), db,
		  ct_trial("NCT90000029.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 2, 0, 0, 0);
	quiet(&r);
	cr_assert(stored(db, "NCT90000028"));
	cr_assert(stored(db, "NCT90000029"));

	/* a rejection on stdin names "stdin" and the line */
	ct_run_sh(&r, "cat '%s' | '%s' ingest --db '%s' -",
		  ct_bad("bad-age.xml"), tu_ctmatch(), db);
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 0, 0, 0, 1);
	cr_assert(ct_rejection(r.err, "stdin", 39, 39),
		  "no rejection naming stdin:39:\n%s", r.err);
	cr_assert(strstr(ct_rejection(r.err, "stdin", 39, 39), "minimum_age"));
	quiet(&r);
	free(rec);
	ct_run_free(&r);
}

/* The zip used below: files at the top and in a nested folder. */
static void make_zip(const char *zip)
{
	const ct_zip_entry e[] = {
		{"NCT90000001.xml", ct_trial("NCT90000001.xml")},
		{"NCT90000002.xml", ct_trial("NCT90000002.xml")},
		{"NCT9000/", NULL},
		{"NCT9000/NCT90000003.xml", ct_trial("NCT90000003.xml")},
		{"NCT9000/NCT90000040.xml", ct_trial("NCT90000040.xml")},
	};
	const ct_zip_entry copy[] = {
		{e[0].name, strdup(e[0].src)},
		{e[1].name, strdup(e[1].src)},
		{e[2].name, NULL},
		{e[3].name, strdup(e[3].src)},
		{e[4].name, strdup(e[4].src)},
	};
	size_t i;

	/* (ct_trial's buffers rotate: the paths are copied first.) */
	ct_zip(zip, copy, sizeof(copy) / sizeof(copy[0]));
	for (i = 0; i < sizeof(copy) / sizeof(copy[0]); i++)
		free((char *)copy[i].src);
}

Test(ingest, zip_archive_in_place_and_on_stdin)
{
	const char *zip = ct_keep(ct_path(ct_tmpdir(), "AllPublicXML.zip"));
	const char *db1 = ct_new_db(), *db2 = ct_new_db();
	const char *ids[] = {"NCT90000001", "NCT90000002", "NCT90000003",
			     "NCT90000040"};
	ct_run r = {0};
	size_t i;

	make_zip(zip);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db1, zip);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 4, 0, 0, 0);
	quiet(&r);

	ct_run_sh(&r, "cat '%s' | '%s' ingest --db '%s' -", zip, tu_ctmatch(),
		  db2);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 4, 0, 0, 0);
	quiet(&r);

	for (i = 0; i < 4; i++) {
		cr_assert(stored(db1, ids[i]), "%s not from the zip", ids[i]);
		cr_assert(stored(db2, ids[i]), "%s not from stdin", ids[i]);
	}
	cr_assert_not(stored(db1, "NCT90000004"));

	/* the archive again: all unchanged */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db1, zip);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 0, 0, 4, 0);
	ct_run_free(&r);
}

Test(ingest, zip_member_rejection_names_archive_member_and_line)
{
	const char *zip = ct_keep(ct_path(ct_tmpdir(), "mixed.zip"));
	const char *db = ct_new_db();
	char *good = strdup(ct_trial("NCT90000010.xml"));
	char *bad = strdup(ct_bad("bad-gender.xml"));
	const ct_zip_entry e[] = {
		{"sub/", NULL},
		{"sub/NCT90000010.xml", good},
		{"sub/bad-gender.xml", bad},
	};
	const char *line;
	ct_run r = {0};

	ct_zip(zip, e, 3);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, zip);
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 1, 0, 0, 1);
	line = ct_rejection(r.err, "sub/bad-gender.xml", 38, 38);
	cr_assert(line, "no rejection naming sub/bad-gender.xml:38:\n%s",
		  r.err);
	cr_assert(strstr(line, "mixed.zip"), "archive not named: %s", line);
	cr_assert(strstr(line, "gender"), "field not named: %s", line);
	quiet(&r);
	cr_assert(stored(db, "NCT90000010"));
	free(good);
	free(bad);
	ct_run_free(&r);
}

/*
 * In a directory, files are told apart by name first (no extra open per
 * file): a zip archive named .xml is reported, not taken for a record;
 * the same file given on the command line is read as an archive.
 */
Test(ingest, zip_named_xml_in_a_directory)
{
	const char *dir = ct_tmpdir(), *db = ct_new_db();
	char *good = strdup(ct_trial("NCT90000010.xml"));
	const ct_zip_entry e[] = {{"NCT90000010.xml", good}};
	char zip[PATH_MAX];
	const char *line;
	ct_run r = {0};

	snprintf(zip, sizeof zip, "%s", ct_path(dir, "disguised.xml"));
	ct_zip(zip, e, 1);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, dir);
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 0, 0, 0, 1);
	line = strstr(r.err, "disguised.xml");
	cr_assert(line, "file not named:\n%s", r.err);
	cr_assert(strstr(line, "a zip archive not named *.zip"), "%s", r.err);
	quiet(&r);
	ct_run_free(&r);

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, zip);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 1, 0, 0, 0);
	cr_assert(stored(db, "NCT90000010"));
	free(good);
	ct_run_free(&r);
}

/*
 * Writes a wrapper of n copies of fixture NCT90000010, numbered from
 * NCT9500000 + first, each with `tag` in its title.
 */
static void write_wrapper(const char *dst, size_t first, size_t n,
			  const char *tag)
{
	FILE *in = fopen(ct_trial("NCT90000010.xml"), "rb"), *out;
	static const char id[] = "NCT90000010", title[] = "<brief_title>";
	char *rec, *body, *p;
	size_t len, i;

	cr_assert(in);
	rec = malloc(1 << 20);
	len = fread(rec, 1, (1 << 20) - 1, in);
	fclose(in);
	rec[len] = '\0';
	body = strstr(rec, "<clinical_study>");
	cr_assert(body && strstr(body, id) && strstr(body, title));
	out = fopen(dst, "wb");
	cr_assert(out);
	fputs("<clinical_studies>\n", out);
	for (i = 0; i < n; i++) {
		char num[16];
		snprintf(num, sizeof num, "NCT95%06zu", first + i);
		for (p = body; *p; ) {
			if (!strncmp(p, id, sizeof id - 1)) {
				fputs(num, out);
				p += sizeof id - 1;
			} else if (!strncmp(p, title, sizeof title - 1)) {
				fprintf(out, "%s%s ", title, tag);
				p += sizeof title - 1;
			} else {
				fputc(*p++, out);
			}
		}
	}
	fputs("</clinical_studies>\n", out);
	fclose(out);
	free(rec);
}

/*
 * Files of thousands of records are taken from while they are parsed, and
 * a worker whose file cannot be taken from yet waits: whatever the
 * thread count, the same records go in, in the same order (the second
 * copy of an id, with the same date, is left alone).
 */
Test(ingest, big_files_give_the_same_index_whatever_the_threads, .timeout = 300)
{
	const char *dir = ct_tmpdir();
	static const char *const threads[] = {"1", "2", "4"};
	char a[PATH_MAX], b[PATH_MAX], c[PATH_MAX];
	char *first = NULL;
	size_t i;

	snprintf(a, sizeof a, "%s", ct_path(dir, "a.xml"));
	snprintf(b, sizeof b, "%s", ct_path(dir, "b.xml"));
	snprintf(c, sizeof c, "%s", ct_path(dir, "c.xml"));
	write_wrapper(a, 0, 3000, "[A]");
	write_wrapper(b, 1000, 3000, "[B]"); /* 1000-2999 again, then new */
	write_wrapper(c, 3990, 20, "[C]");    /* 3990-3999 again, then new */
	for (i = 0; i < 3; i++) {
		const char *db = ct_new_db();
		ct_run r = {0};
		json_t *t;

		ct_run_cmd(&r, NULL, "ingest --threads %s --db '%s' '%s' '%s' '%s'",
			   threads[i], db, a, b, c);
		cr_assert_eq(r.status, 0, "threads %s: exit %d\n%s", threads[i],
			     r.status, r.err);
		ct_assert_counts(&r, 4010, 0, 2010, 0);
		ct_run_free(&r);
		ct_run_cmd(&r, NULL,
			   "show --db '%s' --format json NCT95000000 NCT95001000 "
			   "NCT95002999 NCT95003000 NCT95003995 NCT95004009",
			   db);
		cr_assert_eq(r.status, 0, "%s", r.err);
		t = json_loads(r.out, 0, NULL);
		cr_assert(json_is_array(t) && json_array_size(t) == 6, "%s", r.out);
		cr_assert(!strncmp(ct_jstr(json_array_get(t, 0), "brief_title"), "[A]", 3));
		cr_assert(!strncmp(ct_jstr(json_array_get(t, 1), "brief_title"), "[A]", 3));
		cr_assert(!strncmp(ct_jstr(json_array_get(t, 2), "brief_title"), "[A]", 3));
		cr_assert(!strncmp(ct_jstr(json_array_get(t, 3), "brief_title"), "[B]", 3));
		cr_assert(!strncmp(ct_jstr(json_array_get(t, 4), "brief_title"), "[B]", 3));
		cr_assert(!strncmp(ct_jstr(json_array_get(t, 5), "brief_title"), "[C]", 3));
		json_decref(t);
		if (!first) {
			first = strdup(r.out);
		} else {
			cr_assert_str_eq(r.out, first, "threads %s differ", threads[i]);
		}
		ct_run_free(&r);
	}
	free(first);
}

/* The <clinical_study> element of a fixture file, appended to out. */
static void append_study(FILE *out, const char *path)
{
	FILE *in = fopen(path, "rb");
	char *rec, *body, *end;
	size_t len;

	cr_assert(in, "%s", path);
	rec = malloc(1 << 20);
	cr_assert(rec);
	len = fread(rec, 1, (1 << 20) - 1, in);
	fclose(in);
	rec[len] = '\0';
	body = strstr(rec, "<clinical_study"); /* some have a rank="" */
	end = body ? strstr(body, "</clinical_study>") : NULL;
	cr_assert(end, "no <clinical_study> in %s", path);
	fwrite(body, 1, (size_t)(end - body) + strlen("</clinical_study>"), out);
	fputc('\n', out);
	free(rec);
}

/* The line (from 0) of text that p points into. */
static size_t line_of(const char *text, const char *p)
{
	size_t n = 0;

	for (; text < p; text++)
		n += *text == '\n';
	return n;
}

/* stderr up to the summary line's "(seconds, peak memory)". */
static char *messages(const char *err)
{
	char *s = strdup(err), *summary, *paren;

	cr_assert(s);
	summary = strstr(s, "\ningest: ");
	paren = summary ? strstr(summary, " (") : NULL;
	cr_assert(paren, "no summary line:\n%s", err);
	*paren = '\0';
	return s;
}

/*
 * One file of many records is read on one thread, in order, and its
 * records' criteria on the others: whatever the threads, the same index,
 * the same messages in the same order (a wrapper holding bad records
 * among good ones, then directories of bad and good files).
 */
Test(ingest, threads_1_and_3_give_the_same_records_and_messages,
     .timeout = 300)
{
	const char *dir = ct_tmpdir();
	static const char *const threads[] = {"1", "3"};
	char wrapper[PATH_MAX], *dump[2], *msgs[2];
	const char *age, *gender, *missing;
	FILE *out;
	size_t i;

	snprintf(wrapper, sizeof wrapper, "%s", ct_path(dir, "wrapper.xml"));
	out = fopen(wrapper, "wb");
	cr_assert(out);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clinical_studies>\n",
	      out);
	for (i = 1; i <= N_FIXTURES; i++) {
		char name[32];
		snprintf(name, sizeof name, "NCT900000%02zu.xml", i);
		append_study(out, ct_trial(name));
		if (i == 10)
			append_study(out, ct_bad("bad-age.xml"));
		if (i == 25)
			append_study(out, ct_bad("bad-gender.xml"));
		if (i == 33)
			append_study(out, ct_bad("missing-nct-id.xml"));
	}
	fputs("</clinical_studies>\n", out);
	fclose(out);

	for (i = 0; i < 2; i++) {
		const char *db = ct_new_db();
		ct_run r = {0};

		ct_run_cmd(&r, NULL,
			   "ingest --threads %s --db '%s' '%s' '%s' '%s'",
			   threads[i], db, wrapper, tu_fixture("bad"),
			   tu_fixture("trials"));
		cr_assert_eq(r.status, 1, "threads %s: exit %d\n%s", threads[i],
			     r.status, r.err);
		/* the wrapper: 40 added, 3 rejected; bad/: 2 added (mixed.xml),
		 * 12 rejected; trials/: 40 files, the wrapper's 40 again, unchanged */
		ct_assert_counts(&r, 42, 0, 40, 15);
		quiet(&r);
		cr_assert(strstr(r.err, "ingest: 82 records from 53 files:"),
			  "%s", r.err);
		/* the wrapper's rejections first, in the order of its records */
		cr_assert_eq(ct_count_lines(r.err, "wrapper.xml:"), 3, "%s",
			     r.err);
		age = strstr(r.err, "wrapper.xml:");
		gender = age ? strstr(age + 1, "wrapper.xml:") : NULL;
		missing = gender ? strstr(gender + 1, "wrapper.xml:") : NULL;
		cr_assert(missing && line_of(r.err, age) == 0 &&
				  line_of(r.err, gender) == 1 &&
				  line_of(r.err, missing) == 2 &&
				  !strncmp(strchr(age, ' '), " minimum_age:", 13) &&
				  !strncmp(strchr(gender, ' '), " gender:", 8) &&
				  !strncmp(strchr(missing, ' '), " nct_id: missing", 16),
			  "the wrapper's rejections are not first, in order:\n%s",
			  r.err);
		dump[i] = ct_dump_index(db);
		msgs[i] = messages(r.err);
		ct_run_free(&r);
	}
	cr_assert_str_eq(msgs[1], msgs[0], "--threads 3 and 1 say different things");
	cr_assert_str_eq(dump[1], dump[0], "--threads 3 and 1 differ");
	for (i = 0; i < 2; i++) {
		free(dump[i]);
		free(msgs[i]);
	}
}

Test(ingest, newer_copy_updates_older_copy_does_not)
{
	const char *db = ct_new_db(), *dir = ct_tmpdir();
	const char *title = "A Study of Sotorasib-like KRAS G12C Inhibitor "
			    "FX-1201 in Previously Treated Metastatic "
			    "Colorectal Cancer";
	char newer[PATH_MAX], older[PATH_MAX], same[PATH_MAX];
	ct_run r = {0};
	json_t *t;

	snprintf(newer, sizeof newer, "%s", ct_path(dir, "newer.xml"));
	snprintf(older, sizeof older, "%s", ct_path(dir, "older.xml"));
	snprintf(same, sizeof same, "%s", ct_path(dir, "same-date.xml"));
	ct_copy_edit(ct_trial("NCT90000001.xml"), newer,
		     "<last_update_submitted>January 10, 2023<",
		     "<last_update_submitted>March 15, 2023<",
		     "FX-1201 in Previously Treated",
		     "FX-1201 (amended) in Previously Treated", NULL);
	ct_copy_edit(ct_trial("NCT90000001.xml"), older,
		     "<last_update_submitted>January 10, 2023<",
		     "<last_update_submitted>January 10, 2022<",
		     "FX-1201 in Previously Treated",
		     "FX-1201 (older) in Previously Treated", NULL);
	ct_copy_edit(ct_trial("NCT90000001.xml"), same,
		     "FX-1201 in Previously Treated",
		     "FX-1201 (same date) in Previously Treated", NULL);

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 1, 0, 0, 0);
	t = show1(db, "NCT90000001");
	ct_assert_jstr(t, "brief_title", title);
	ct_assert_jstr(t, "last_update", "2023-01-10");
	json_decref(t);

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, newer);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 0, 1, 0, 0);
	quiet(&r);
	t = show1(db, "NCT90000001");
	ct_assert_jstr(t, "brief_title",
		       "A Study of Sotorasib-like KRAS G12C Inhibitor FX-1201 "
		       "(amended) in Previously Treated Metastatic Colorectal "
		       "Cancer");
	ct_assert_jstr(t, "last_update", "2023-03-15");
	json_decref(t);

	/* older, and same date: left alone */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s' '%s'", db, older, same);
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 0, 0, 2, 0);
	quiet(&r);
	t = show1(db, "NCT90000001");
	ct_assert_jstr(t, "brief_title",
		       "A Study of Sotorasib-like KRAS G12C Inhibitor FX-1201 "
		       "(amended) in Previously Treated Metastatic Colorectal "
		       "Cancer");
	ct_assert_jstr(t, "last_update", "2023-03-15");
	json_decref(t);

	/* the original (January 10, 2023) is now older too */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db,
		   ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 0, 0, 1, 0);
	ct_run_free(&r);
}

/*
 * Expects a rejection line for `file` at a line in [lo, hi] whose text
 * holds one of the reasons (case-insensitive, NULL-terminated list).
 * Not fatal, so that one run lists every deviation.
 */
static void rejected_for(const char *err, const char *file, int lo, int hi, ...)
{
	const char *line = ct_rejection(err, file, lo, hi), *why;
	bool ok = false;
	va_list ap;

	cr_expect(line, "no rejection line naming %s at a line in %d..%d:\n%s",
		  file, lo, hi, err);
	if (!line)
		return;
	line = strstr(line, file) + strlen(file); /* the reason follows */
	va_start(ap, hi);
	while ((why = va_arg(ap, const char *)) != NULL)
		ok = ok || ct_contains_ci(line, why);
	va_end(ap);
	cr_expect(ok, "%s: the reason is not given: %s", file, line);
}

Test(ingest, bad_records_are_rejected_with_file_line_and_reason)
{
	static const char *const files[] = {
		"/bad-age.xml",		"/bad-date.xml",
		"/bad-gender.xml",	"/bad-nct-id.xml",
		"/bad-status.xml",	"/doctype-entity.xml",
		"/empty.xml",		"/missing-nct-id.xml",
		"/mixed.xml",		"/not-a-trial.xml",
		"/not-well-formed.xml", "/truncated.xml",
	};
	const char *db = ct_new_db();
	ct_run r = {0};
	size_t i;

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture("bad"));
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	/* 11 files with one bad record each, and mixed.xml: 2 good, 1 bad */
	ct_assert_counts(&r, 2, 0, 0, 12);
	quiet(&r);

	/* lines and fields from fixtures/bad/README.md */
	rejected_for(r.err, "bad-age.xml", 39, 39, "minimum_age", NULL);
	rejected_for(r.err, "bad-gender.xml", 38, 38, "gender", NULL);
	rejected_for(r.err, "bad-status.xml", 20, 20, "overall_status", NULL);
	rejected_for(r.err, "bad-date.xml", 45, 45, "last_update_submitted",
		     NULL);
	rejected_for(r.err, "bad-nct-id.xml", 10, 10, "nct_id", NULL);
	rejected_for(r.err, "missing-nct-id.xml", 8, 11, "missing", NULL);
	rejected_for(r.err, "missing-nct-id.xml", 8, 11, "nct_id", NULL);
	/* the unclosed tag (21) or where libxml2 notices it (47) */
	if (!ct_rejection(r.err, "not-well-formed.xml", 47, 47))
		rejected_for(r.err, "not-well-formed.xml", 21, 21, "phase",
			     "well-formed", NULL);
	else
		rejected_for(r.err, "not-well-formed.xml", 47, 47, "mismatch",
			     "phase", "well-formed", NULL);
	/* the DOCTYPE (2) or the first entity reference (16) */
	if (!ct_rejection(r.err, "doctype-entity.xml", 2, 2))
		rejected_for(r.err, "doctype-entity.xml", 16, 16, "doctype",
			     "entit", NULL);
	else
		rejected_for(r.err, "doctype-entity.xml", 2, 2, "doctype",
			     "entit", NULL);
	/* the last line (30) or libxml2's (31); the data ends too early */
	rejected_for(r.err, "truncated.xml", 30, 31, "premature", "truncated",
		     "end of data", "unexpected end", "well-formed", NULL);
	rejected_for(r.err, "empty.xml", 1, 1, "empty", NULL);
	rejected_for(r.err, "not-a-trial.xml", 2, 2, "clinical_study",
		     "ClinicalTrials.gov record", NULL);
	rejected_for(r.err, "mixed.xml", 49, 57, "nct_id", NULL);
	/* each file is named once: one rejection each, nothing else */
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		cr_expect_eq(ct_count_lines(r.err, files[i]), 1,
			     "%s: not one line:\n%s", files[i], r.err);
	/* nothing from /etc/passwd (the external entity) anywhere */
	cr_assert_null(strstr(r.err, "root:"), "%s", r.err);

	/* the good ones went in, none of the bad ones did */
	cr_assert(stored(db, "NCT90000901"));
	cr_assert(stored(db, "NCT90000903"));
	cr_assert_not(stored(db, "NCT90000905")); /* bad-age */
	cr_assert_not(stored(db, "NCT90000906")); /* bad-gender */
	cr_assert_not(stored(db, "NCT90000907")); /* bad-status */
	cr_assert_not(stored(db, "NCT90000908")); /* bad-date */
	cr_assert_not(stored(db, "NCT90000909")); /* not-well-formed */
	cr_assert_not(stored(db, "NCT90000910")); /* truncated */
	cr_assert_not(stored(db, "NCT90000911")); /* doctype-entity */
	ct_run_free(&r);
}

Test(ingest, rejection_does_not_stop_the_other_sources)
{
	const char *db = ct_new_db();
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s' '%s' '%s'", db,
		   ct_bad("bad-status.xml"), ct_trial("NCT90000011.xml"),
		   ct_bad("empty.xml"));
	cr_assert_eq(r.status, 1, "exit %d\n%s", r.status, r.err);
	ct_assert_counts(&r, 1, 0, 0, 2);
	cr_assert_eq(ct_count_lines(r.err, "bad-status.xml"), 1, "%s", r.err);
	cr_assert_eq(ct_count_lines(r.err, "empty.xml"), 1, "%s", r.err);
	quiet(&r);
	cr_assert(stored(db, "NCT90000011"));
	cr_assert_not(stored(db, "NCT90000907"));
	ct_run_free(&r);
}

Test(ingest, missing_source_is_exit_3_naming_it)
{
	const char *db = ct_new_db();
	const char *missing =
		ct_path(ct_tmpdir(), "no-such-dir/NCT90000099.xml");
	char m[PATH_MAX];
	ct_run r = {0};

	snprintf(m, sizeof m, "%s", missing);
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s' '%s'", db, m,
		   ct_trial("NCT90000012.xml"));
	cr_assert_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
	cr_assert(ct_line_with(r.err, m), "the missing path is not named:\n%s",
		  r.err);
	quiet(&r);
	/* the other source still went in */
	ct_assert_counts(&r, 1, 0, 0, 0);
	cr_assert(stored(db, "NCT90000012"));
	ct_run_free(&r);
}

Test(ingest, index_that_cannot_be_created_is_exit_3)
{
	const char *dir = ct_tmpdir();
	char file[PATH_MAX], under[PATH_MAX];
	ct_run r = {0};

	snprintf(file, sizeof file, "%s", ct_path(dir, "plain-file"));
	snprintf(under, sizeof under, "%s", ct_path(file, "db"));
	ct_write(file, "not a directory\n");

	/* under a regular file */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", under,
		   ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
	cr_assert(ct_line_with(r.err, under),
		  "the index path is not named:\n%s", r.err);
	cr_assert_str_eq(r.out, "");

	/* a regular file as the index */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", file,
		   ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 3, "exit %d\n%s", r.status, r.err);
	cr_assert(ct_line_with(r.err, file), "the index path is not named:\n%s",
		  r.err);
	cr_assert_str_eq(r.out, "");
	{
		size_t len;
		char *c = tu_read_file(file, &len);
		cr_assert_str_eq(c, "not a directory\n",
				 "the file was changed");
		free(c);
	}
	ct_run_free(&r);
}

Test(ingest, usage_errors_are_exit_2_with_usage_on_stderr)
{
	const char *db = ct_new_db();
	struct stat st;
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --db '%s'", db);
	cr_assert_eq(r.status, 2, "no SOURCE: exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.err, "usage:"), "no usage on stderr:\n%s", r.err);
	cr_assert_str_eq(r.out, "");

	ct_run_cmd(&r, NULL, "ingest --db '%s' --no-such-option '%s'", db,
		   ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 2, "unknown option: exit %d\n%s", r.status,
		     r.err);
	cr_assert(strstr(r.err, "usage:"), "no usage on stderr:\n%s", r.err);
	cr_assert_str_eq(r.out, "");

	ct_run_cmd(&r, NULL, "ingest --db '%s' --threads 0 '%s'", db,
		   ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 2, "--threads 0: exit %d\n%s", r.status, r.err);
	ct_run_cmd(&r, NULL, "ingest --db '%s' --threads two '%s'", db,
		   ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 2, "--threads two: exit %d\n%s", r.status,
		     r.err);
	cr_assert_str_eq(r.err, "ctmatch ingest: --threads: expected a whole "
				"number from 1 to 16, got 'two'\n");
	ct_run_cmd(&r, NULL, "ingest --db '%s' --threads 17 '%s'", db,
		   ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 2, "--threads 17: exit %d\n%s", r.status,
		     r.err);
	cr_assert_str_eq(r.err, "ctmatch ingest: --threads: expected a whole "
				"number from 1 to 16, got '17'\n");
	cr_assert_str_eq(r.out, "");

	/* a usage error touches nothing */
	cr_assert_neq(stat(db, &st), 0, "the index was created: %s", db);
	ct_run_free(&r);
}

Test(ingest, help_is_exit_0_with_usage_on_stdout)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "ingest --help");
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.out, "usage: ctmatch ingest"), "%s", r.out);
	cr_assert(strstr(r.out, "--db"), "%s", r.out);
	cr_assert_str_eq(r.err, "");

	ct_run_cmd(&r, NULL, "--help");
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert(strstr(r.out, "usage: ctmatch"), "%s", r.out);
	cr_assert(strstr(r.out, "ingest") && strstr(r.out, "show") &&
			  strstr(r.out, "stats"),
		  "%s", r.out);
	cr_assert_str_eq(r.err, "");

	ct_run_cmd(&r, NULL, "no-such-command");
	cr_assert_eq(r.status, 2, "exit %d\n%s", r.status, r.err);
	ct_run_free(&r);
}

Test(ingest, index_is_private_whatever_the_umask)
{
	const char *db = ct_new_db();
	struct stat st;
	ct_run r = {0};

	ct_run_sh(&r, "umask 000 && '%s' ingest --db '%s' '%s'", tu_ctmatch(),
		  db, ct_trial("NCT90000001.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert_eq(stat(db, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 07777, 0700, "index directory mode %o",
		     st.st_mode & 07777);
	cr_assert_eq(stat(ct_path(db, "data.mdb"), &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "data.mdb mode %o",
		     st.st_mode & 07777);
	cr_assert_eq(stat(ct_path(db, "lock.mdb"), &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "lock.mdb mode %o",
		     st.st_mode & 07777);
	ct_run_free(&r);
}

Test(ingest, default_index_path)
{
	const char *dir = ct_tmpdir(), *env_db;
	char d[PATH_MAX];
	struct stat st;
	ct_run r = {0};

	snprintf(d, sizeof d, "%s", dir);
	env_db = ct_keep(ct_path(d, "from-env.lmdb"));
	/* $CTMATCH_DB */
	ct_run_sh(&r, "cd '%s' && CTMATCH_DB='%s' '%s' ingest '%s'", d, env_db,
		  tu_ctmatch(), ct_trial("NCT90000002.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert_eq(stat(ct_path(d, "from-env.lmdb/data.mdb"), &st), 0);
	cr_assert_neq(stat(ct_path(d, "ctmatch.lmdb"), &st), 0);
	/* else ./ctmatch.lmdb */
	ct_run_sh(&r, "cd '%s' && unset CTMATCH_DB && '%s' ingest '%s'", d,
		  tu_ctmatch(), ct_trial("NCT90000003.xml"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	cr_assert_eq(stat(ct_path(d, "ctmatch.lmdb/data.mdb"), &st), 0);
	cr_assert(stored(ct_path(d, "ctmatch.lmdb"), "NCT90000003"));
	cr_assert_not(stored(ct_path(d, "ctmatch.lmdb"), "NCT90000002"));
	ct_run_free(&r);
}

Test(ingest, progress_is_drawn_only_on_a_terminal)
{
	const char *db = ct_new_db(), *db2 = ct_new_db();
	ct_run r = {0};

	/* stderr a file: no progress (and the summary) */
	ct_run_cmd(&r, NULL, "ingest --db '%s' '%s'", db, tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "exit %d\n%s", r.status, r.err);
	quiet(&r);
	ct_assert_counts(&r, N_FIXTURES, 0, 0, 0);

	/* stderr a terminal (util-linux script(1) gives a pty): progress */
	if (system("command -v script >/dev/null 2>&1") != 0) {
		ct_run_free(&r);
		cr_skip_test("script(1) is absent: progress on a terminal is "
			     "not checked");
		return;
	}
	ct_run_sh(&r, "script -qec \"'%s' ingest --db '%s' '%s'\" /dev/null",
		  tu_ctmatch(), db2, tu_fixture("trials"));
	cr_assert_eq(r.status, 0, "exit %d\n%s%s", r.status, r.out, r.err);
	cr_assert(strstr(r.out, "\r"), "no progress on a terminal:\n%s", r.out);
	cr_assert(ct_line_with(r.out, "records"), "%s", r.out);
	{
		/* on a terminal, stdout and stderr are one stream */
		ct_run tty = {r.status, NULL, r.out};
		ct_assert_counts(&tty, N_FIXTURES, 0, 0, 0);
	}
	ct_run_free(&r);
}
