/*
 * test_profile_reader.c - many profiles: JSON arrays, NDJSON, single
 * objects, directories of *.json, standard input and CSV rosters; one bad
 * profile is reported and the next ones still come. Ends with the project
 * fixtures (fixtures/patients/ and its bad/ folder).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ctm/parsers.h>
#include "testutil.h"

#define TODAY	 20240615
#define MAX_SEEN 32

static ctm_lexicon *lx;

static void setup(void)
{
	ctm_error e;

	cr_assert_eq(ctm_lexicon_new(&lx, &e), 0, "%s", e.message);
}

static void teardown(void)
{
	ctm_lexicon_free(lx);
}

TestSuite(reader, .init = setup, .fini = teardown);

/*
 * What a reader gave, call by call: "A1 | E-5@5:13 ecog | A3" (a profile's
 * id, or an error's code, line:column and field), with the profiles and
 * errors kept for closer checks.
 */
typedef struct seen {
	char log[4096];
	ctm_profile *p[MAX_SEEN];
	size_t n_p;
	ctm_error e[MAX_SEEN];
	size_t n_e;
} seen;

static void drain(ctm_profile_reader *r, seen *s)
{
	ctm_profile *p;
	ctm_error e;
	int rc, calls = 0;
	size_t len = 0;

	memset(s, 0, sizeof(*s));
	while ((rc = ctm_profile_reader_next(r, &p, &e)) != 0) {
		char item[200];
		cr_assert_lt(++calls, 100, "the reader does not end");
		if (rc > 0) {
			cr_assert_eq(rc, 1);
			cr_assert_not_null(p);
			snprintf(item, sizeof(item), "%s", p->id);
			if (s->n_p < MAX_SEEN)
				s->p[s->n_p++] = p;
			else
				ctm_profile_free(p);
		} else {
			cr_assert_null(p);
			snprintf(item, sizeof(item), "E%d@%d:%d%s%s", rc,
				 e.line, e.column, e.field[0] ? " " : "",
				 e.field);
			if (s->n_e < MAX_SEEN)
				s->e[s->n_e++] = e;
		}
		len += (size_t)snprintf(s->log + len, sizeof(s->log) - len,
					"%s%s", len ? " | " : "", item);
	}
	cr_assert_null(p);
	/* the end stays the end */
	cr_assert_eq(ctm_profile_reader_next(r, &p, &e), 0);
}

static void seen_free(seen *s)
{
	size_t i;

	for (i = 0; i < s->n_p; i++)
		ctm_profile_free(s->p[i]);
}

static void read_mem(const char *text, seen *s)
{
	ctm_profile_reader *r;
	ctm_error e;

	cr_assert_eq(ctm_profile_reader_open_memory(&r, text, strlen(text),
						    "mem", lx, TODAY, &e),
		     0, "%s", e.message);
	ctm_profile_reader_set_flags(r, CTM_PROFILE_SHOW_VALUES);
	drain(r, s);
	ctm_profile_reader_close(r);
}

static void read_path(const char *path, seen *s)
{
	ctm_profile_reader *r;
	ctm_error e;

	cr_assert_eq(ctm_profile_reader_open(&r, path, lx, TODAY, &e), 0,
		     "%s: %s", path, e.message);
	ctm_profile_reader_set_flags(r, CTM_PROFILE_SHOW_VALUES);
	drain(r, s);
	ctm_profile_reader_close(r);
}

static ctm_concept need(ctm_concept_type t, const char *name)
{
	ctm_concept c = ctm_lexicon_concept(lx, t, name);

	cr_assert_neq(c, 0, "the lexicon has no '%s'", name);
	return c;
}

/* ---- JSON arrays ---- */

Test(reader, array_with_a_bad_profile_in_the_middle)
{
	seen s;

	read_mem("[\n"
		 "  {\"id\": \"A1\", \"ecog\": 0},\n"
		 "  {\n"
		 "    \"id\": \"A2\",\n"
		 "    \"ecog\": 9\n"
		 "  },\n"
		 "  {\"id\": \"A3\"}\n"
		 "]\n",
		 &s);
	cr_expect_str_eq(s.log, "A1 | E-5@5:13 ecog | A3");
	cr_expect_str_eq(s.e[0].file, "mem");
	cr_expect_str_eq(s.e[0].message,
			 "patient A2: ecog: expected an integer from 0 to 5, "
			 "got 9");
	cr_expect_eq(s.p[0]->ecog, 0);
	seen_free(&s);
}

Test(reader, array_with_a_malformed_profile_goes_on)
{
	seen s;

	read_mem("[{\"id\": \"A1\"},\n"
		 " {\"id\": \"A2\", \"age\": },\n"
		 " {\"id\": \"A3\"}]",
		 &s);
	cr_expect_str_eq(s.log, "A1 | E-2@2:22 | A3");
	cr_expect_str_eq(s.e[0].message,
			 "invalid JSON: unexpected token near '}'");
	seen_free(&s);
}

Test(reader, array_whose_structure_breaks_ends_there)
{
	seen s;

	/* an unclosed string: nothing after it can be trusted */
	read_mem("[{\"id\": \"A1\"},\n"
		 " {\"id\": \"A2},\n"
		 " {\"id\": \"A3\"}]",
		 &s);
	cr_expect_str_eq(s.log, "A1 | E-2@2:13");
	cr_expect(!strncmp(s.e[0].message, "invalid JSON: ", 14), "%s",
		  s.e[0].message);
	seen_free(&s);
}

Test(reader, array_structure_errors)
{
	static const struct {
		const char *text, *log, *message;
	} cases[] = {
		{"[{\"id\": \"A1\"}] x", "A1 | E-2@1:16",
		 "invalid JSON: text after the end of the array"},
		{"[{\"id\": \"A1\"},]", "A1 | E-2@1:15",
		 "invalid JSON: a profile expected after ','"},
		{"[{\"id\": \"A1\"} {\"id\": \"A2\"}]", "A1 | E-2@1:15",
		 "invalid JSON: ',' or ']' expected between profiles"},
		{"[{\"id\": \"A1\"}", "A1 | E-2@1:14",
		 "invalid JSON: the array is not closed (']' expected near "
		 "end of file)"},
		{"[1, {\"id\": \"A2\"}, \"x\"]", "E-5@1:2 | A2 | E-5@1:19",
		 "expected a JSON object (one patient profile), got 1"},
	};
	size_t i;
	seen s;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		read_mem(cases[i].text, &s);
		cr_expect_str_eq(s.log, cases[i].log, "%s", cases[i].text);
		cr_assert_gt(s.n_e, 0);
		cr_expect_str_eq(s.e[0].message, cases[i].message);
		seen_free(&s);
	}
}

Test(reader, empty_inputs_give_no_profiles)
{
	static const char *texts[] = {"", "  \n\n", "[]", " [ \n ] \n",
				      "\xEF\xBB\xBF[]"};
	size_t i;
	seen s;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		read_mem(texts[i], &s);
		cr_expect_str_eq(s.log, "", "'%s'", texts[i]);
		seen_free(&s);
	}
}

/* ---- NDJSON, single objects, streams ---- */

Test(reader, ndjson_with_bad_lines_goes_on)
{
	seen s;

	read_mem("{\"id\": \"N1\"}\r\n"
		 "\r\n"
		 "{\"id\": \"N2\", \"ecog\": 9}\r\n"
		 "{\"id\": \"N3\", \r\n"
		 "   \n"
		 "[{\"id\": \"N4\"}]\n"
		 "{\"id\": \"N5\", \"sex\": \"female\"}",
		 &s);
	cr_expect_str_eq(s.log, "N1 | E-5@3:22 ecog | E-2@4:14 | E-5@6:1 | N5");
	cr_expect_str_eq(s.e[0].message, "patient N2: ecog: expected an "
					 "integer from 0 to 5, got 9");
	cr_expect_str_eq(s.e[1].message, "invalid JSON: string or '}' "
					 "expected near end of file");
	cr_expect_str_eq(s.e[2].message, "expected a JSON object (one patient "
					 "profile), got an array");
	cr_expect_eq(s.p[1]->sex, CTM_GENDER_FEMALE);
	seen_free(&s);
}

Test(reader, ndjson_whose_first_line_is_broken_goes_on)
{
	seen s;

	read_mem("{\"id\": \"N1\", \"age\": 6\n{\"id\": \"N2\"}\n", &s);
	cr_expect_str_eq(s.log, "E-2@1:21 | N2");
	cr_expect_str_eq(s.e[0].message,
			 "invalid JSON: '}' expected near end of file");
	seen_free(&s);
}

/* An unclosed bracket early on: jansson must not read the whole rest. */
Test(reader, unclosed_profile_is_cut_at_one_profile_bound)
{
	size_t n = 3u << 20, len = 0;
	char *text = malloc(n + 64);
	seen s;

	len += (size_t)sprintf(text, "[{\"id\": \"A0\"},\n {\"id\": \"A1\", "
				     "\"x\": [");
	while (len < n)
		len += (size_t)sprintf(text + len, "{\"id\": \"B\"},\n");
	strcpy(text + len, "{\"id\": \"B\"}]\n");
	read_mem(text, &s);
	cr_expect_str_eq(s.log, "A0 | E-2@2:2");
	cr_expect_str_eq(s.e[0].message, "invalid JSON: a profile not closed "
					 "within 1048576 bytes");
	seen_free(&s);
	free(text);
}

Test(reader, single_pretty_object_and_a_stream_of_them)
{
	seen s;

	read_mem("\xEF\xBB\xBF{\n  \"id\": \"S1\",\n  \"ecog\": 2\n}\n", &s);
	cr_expect_str_eq(s.log, "S1");
	cr_expect_eq(s.p[0]->ecog, 2);
	seen_free(&s);

	read_mem("{\n  \"id\": \"S1\"\n}\n{\n  \"id\": \"S2\",\n"
		 "  \"age\": \"x\"\n}\n{\"id\": \"S3\"}\n",
		 &s);
	cr_expect_str_eq(s.log, "S1 | E-5@6:10 age | S3");
	seen_free(&s);
}

/* ---- files, directories, standard input ---- */

static void write(const char *dir, const char *name, const char *text)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	cr_assert_eq(tu_write_file(path, text, strlen(text)), 0, "%s", path);
}

Test(reader, directory_of_json_files_sorted_by_name)
{
	char *dir = tu_tmpdir(), sub[4096], want[8192];
	seen s;

	write(dir, "b.json", "[{\"id\": \"B1\"}, {\"id\": \"B2\"}]");
	write(dir, "a.json", "{\n  \"id\": \"A1\"\n}\n");
	write(dir, "c.txt", "{\"id\": \"C1\"}");
	write(dir, "d.json", "{\"id\": \"D1\", \"ecog\": 9}");
	write(dir, "e.json", "id,age\nE1,40\n");
	write(dir, "f.json", "");
	write(dir, ".hidden.json", "{\"id\": \"H1\"}");
	write(dir, "g.JSON", "{\"id\": \"G1\"}");
	snprintf(sub, sizeof(sub), "%s/sub.json", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	read_path(dir, &s);
	cr_expect_str_eq(s.log, "A1 | B1 | B2 | E-5@1:22 ecog | E-2@1:1 | "
				"E-2@1:1 | G1");
	snprintf(want, sizeof(want), "%s/d.json", dir);
	cr_expect_str_eq(s.e[0].file, want);
	snprintf(want, sizeof(want), "%s/e.json", dir);
	cr_expect_str_eq(s.e[1].file, want);
	cr_expect_str_eq(s.e[1].message,
			 "not JSON: a *.json file must hold a profile object "
			 "or an array of them");
	cr_expect_str_eq(s.e[2].message,
			 "empty file: expected a JSON object or array");
	seen_free(&s);
}

Test(reader, file_and_missing_file)
{
	char *dir = tu_tmpdir(), path[4096];
	ctm_profile_reader *r = (ctm_profile_reader *)1;
	ctm_error e;
	seen s;

	write(dir, "p.ndjson", "{\"id\": \"F1\"}\n{\"id\": \"F2\"}\n");
	snprintf(path, sizeof(path), "%s/p.ndjson", dir);
	read_path(path, &s);
	cr_expect_str_eq(s.log, "F1 | F2");
	seen_free(&s);

	snprintf(path, sizeof(path), "%s/nope.json", dir);
	cr_expect_eq(ctm_profile_reader_open(&r, path, lx, TODAY, &e),
		     CTM_ENOTFOUND);
	cr_expect_null(r);
	cr_expect_str_eq(e.file, path);
}

Test(reader, standard_input)
{
	char *dir = tu_tmpdir(), path[4096];
	seen s;

	write(dir, "in.json",
	      "[{\"id\": \"I1\"}, {\"id\": \"I2\", \"ecog\": 7}]");
	snprintf(path, sizeof(path), "%s/in.json", dir);
	cr_assert_not_null(freopen(path, "rb", stdin));
	read_path("-", &s);
	cr_expect_str_eq(s.log, "I1 | E-5@1:37 ecog");
	cr_expect_str_eq(s.e[0].file, "stdin");
	seen_free(&s);
}

/* ---- CSV rosters ---- */

Test(reader, csv_roster_quoting_bom_crlf_and_a_bad_row)
{
	seen s;
	const ctm_profile *p;

	read_mem("\xEF\xBB\xBF"
		 "id,age,sex,diagnosis,ecog,metastatic_sites,biomarkers,"
		 "prior_therapies,labs.anc,Platelets,city,location.country,"
		 "resectable\r\n"
		 "R1,61,female,\"colon adenocarcinoma, sigmoid\",1,liver;"
		 "hepatic ; lung,KRAS:mutated:G12C;MSI-H,"
		 "FOLFOX@1;bevacizumab@1;radiation,1.5,150,\"Lyon\",France,"
		 "no\r\n"
		 "R2,50,male,\"rectal cancer\r\n(\"\"low\"\")\",0,none,none,"
		 "none,,,,,\r\n"
		 "R3,45,female,colon cancer,9,,,,,,,,\r\n"
		 "\r\n"
		 "R4,70,male,,,,,,,,,,\r\n",
		 &s);
	cr_expect_str_eq(s.log, "R1 | R2 | E-5@5:0 ecog | R4");
	cr_expect_str_eq(s.e[0].file, "mem");
	cr_expect_str_eq(s.e[0].message, "patient R3: ecog: expected an "
					 "integer from 0 to 5, got 9");
	cr_assert_eq(s.n_p, 3);

	p = s.p[0];
	cr_expect_eq(p->age, 61.0);
	cr_expect_eq(p->sex, CTM_GENDER_FEMALE);
	cr_expect_str_eq(p->diagnosis, "colon adenocarcinoma, sigmoid");
	cr_expect_eq(p->diagnosis_concept,
		     need(CTM_CT_DISEASE, "colon adenocarcinoma"));
	cr_expect_eq(p->ecog, 1);
	cr_expect(p->has_sites);
	cr_assert_eq(p->n_sites, 2);
	cr_expect_eq(p->sites[0], need(CTM_CT_SITE, "liver"));
	cr_expect_eq(p->sites[1], need(CTM_CT_SITE, "lung"));
	cr_assert_eq(p->n_biomarkers, 2);
	cr_expect_eq(p->biomarkers[0].gene, need(CTM_CT_GENE, "KRAS"));
	cr_expect_eq(p->biomarkers[0].status, CTM_BM_MUTATED);
	cr_expect_eq(p->biomarkers[0].variant,
		     need(CTM_CT_VARIANT, "KRAS G12C"));
	cr_expect_eq(p->biomarkers[1].gene, need(CTM_CT_MARKER, "MSI"));
	cr_expect_eq(p->biomarkers[1].status, CTM_BM_HIGH);
	cr_assert_eq(p->n_therapies, 3);
	cr_expect_eq(p->therapies[0].concept, need(CTM_CT_REGIMEN, "FOLFOX"));
	cr_expect_eq(p->therapies[0].line, 1);
	cr_expect_eq(p->therapies[1].concept, need(CTM_CT_DRUG, "bevacizumab"));
	cr_expect_eq(p->therapies[2].concept,
		     need(CTM_CT_PROCEDURE, "radiation"));
	cr_expect_eq(p->therapies[2].line, 0);
	cr_expect_eq(ctm_profile_lab(p, need(CTM_CT_LAB, "anc")), 1.5);
	cr_expect_eq(ctm_profile_lab(p, need(CTM_CT_LAB, "platelets")), 150.0);
	cr_expect(isnan(ctm_profile_lab(p, need(CTM_CT_LAB, "hemoglobin"))));
	cr_expect_str_eq(p->city, "Lyon");
	cr_expect_str_eq(p->country, "France");
	cr_expect_eq(p->resectable, 0);
	cr_expect_eq(p->n_warnings, 0);

	p = s.p[1];
	cr_expect_str_eq(p->diagnosis, "rectal cancer\r\n(\"low\")");
	cr_expect_eq(p->diagnosis_concept,
		     need(CTM_CT_DISEASE, "rectal cancer"));
	cr_expect(p->has_sites && p->n_sites == 0);
	cr_expect(p->has_biomarkers && p->n_biomarkers == 0);
	cr_expect(p->has_therapies && p->n_therapies == 0);
	cr_expect(isnan(ctm_profile_lab(p, need(CTM_CT_LAB, "anc"))));
	cr_expect_null(p->city);
	cr_expect_eq(p->resectable, -1);

	p = s.p[2]; /* empty cells: unknown */
	cr_expect_eq(p->age, 70.0);
	cr_expect_null(p->diagnosis);
	cr_expect_eq(p->ecog, -1);
	cr_expect(!p->has_sites && !p->has_biomarkers && !p->has_therapies);
	seen_free(&s);
}

Test(reader, csv_malformed_rows_are_skipped)
{
	seen s;

	read_mem("id,age\n"
		 "Q1,50\n"
		 "Q2,\"5\"0\n"
		 "Q3,40,extra\n"
		 "\"Q4\" , 30\n"
		 "Q5,\"20\n"
		 "Q6,20\n",
		 &s);
	cr_expect_str_eq(s.log, "Q1 | E-2@3:0 | E-2@4:0 | Q4 | E-2@6:0");
	cr_expect_str_eq(
		s.e[0].message,
		"CSV: text after the closing quote of cell 2 (line 3)");
	cr_expect_str_eq(s.e[1].message,
			 "patient Q3: CSV: the row has 3 cells; the header "
			 "names 2 columns");
	cr_expect_str_eq(s.e[2].message,
			 "CSV: the quoted cell 2 opened on line 6 is not "
			 "closed");
	cr_expect_eq(s.p[1]->age, 30.0);
	seen_free(&s);
}

Test(reader, csv_cells_that_do_not_convert_get_the_json_message)
{
	seen s;

	read_mem("id,age,resectable,anc,prior_therapies,biomarkers\n"
		 "C1,sixty,,,,\n"
		 "C2,,maybe,,,\n"
		 "C3,,,lots,,\n"
		 "C4,,,,FOLFOX@first,\n"
		 "C5,,,,,KRAS:weird\n"
		 "C6,,Yes,0.5,cetuximabb@2,HER2+;MSS;BRAF:mutated:V600E\n",
		 &s);
	cr_expect_str_eq(s.log, "E-5@2:0 age | E-5@3:0 resectable | "
				"E-5@4:0 labs.anc | "
				"E-5@5:0 prior_therapies[0].line | "
				"E-5@6:0 biomarkers[0].status | C6");
	cr_expect_str_eq(s.e[0].message,
			 "patient C1: age: expected an integer from 0 to 130 "
			 "(years), got \"sixty\"");
	cr_expect_str_eq(s.e[1].message, "patient C2: resectable: expected "
					 "true or false, got \"maybe\"");
	cr_expect_str_eq(s.e[2].message, "patient C3: labs.anc: expected a "
					 "number >= 0, got \"lots\"");
	cr_assert_eq(s.n_p, 1);
	cr_expect_eq(s.p[0]->resectable, 1);
	cr_expect_eq(ctm_profile_lab(s.p[0], need(CTM_CT_LAB, "anc")), 0.5);
	cr_expect_eq(s.p[0]->therapies[0].line, 2);
	cr_assert_eq(s.p[0]->n_warnings, 1);
	cr_expect_str_eq(s.p[0]->warnings[0],
			 "prior_therapies[0].name: 'cetuximabb' is not a known "
			 "therapy (nearest: cetuximab)");
	cr_assert_eq(s.p[0]->n_biomarkers, 3);
	cr_expect_eq(s.p[0]->biomarkers[0].gene, need(CTM_CT_GENE, "ERBB2"));
	cr_expect_eq(s.p[0]->biomarkers[0].status, CTM_BM_AMPLIFIED);
	cr_expect_eq(s.p[0]->biomarkers[1].status, CTM_BM_STABLE);
	cr_expect_eq(s.p[0]->biomarkers[2].variant,
		     need(CTM_CT_VARIANT, "BRAF V600E"));
	seen_free(&s);
}

Test(reader, csv_unknown_column_is_a_warning_like_json)
{
	seen s;

	read_mem("id,shoe_size,,\nW1,42,,\nW2,,,x\n", &s);
	cr_expect_str_eq(s.log, "W1 | E-2@3:0");
	cr_assert_eq(s.p[0]->n_warnings, 1);
	cr_expect_str_eq(s.p[0]->warnings[0], "shoe_size: unknown key ignored");
	cr_expect_str_eq(s.e[0].message,
			 "patient W2: CSV: a value in column 4, which has no "
			 "name in the header");
	seen_free(&s);
}

Test(reader, csv_header_errors_fail_the_open)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{"name,age\nA,1\n",
		 "not a CSV roster: the header row has no \"id\" column"},
		{"id,anc,labs.anc\n",
		 "CSV header: column 3 'labs.anc' repeats column 2 'anc'"},
		{"id,AGE,age\n", "CSV header: column 3 'age' repeats column 2 "
				 "'age'"},
		{"id,labs.\n",
		 "CSV header: column 2 'labs.' names no key after the dot"},
		{"\"id,age\n", "CSV: the quoted cell 1 opened on line 1 is not "
			       "closed"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ctm_profile_reader *r = (ctm_profile_reader *)1;
		ctm_error e;
		cr_expect_eq(ctm_profile_reader_open_memory(
				     &r, cases[i].text, strlen(cases[i].text),
				     "h.csv", lx, TODAY, &e),
			     CTM_EPARSE, "%s", cases[i].text);
		cr_expect_null(r);
		cr_expect_str_eq(e.file, "h.csv");
		cr_expect_str_eq(e.message, cases[i].message);
	}
}

/* The same patient as JSON and as a CSV row: one normaliser, one result. */
Test(reader, csv_and_json_give_the_same_profile)
{
	static const char json[] =
		"{\"id\": \"P-0042\", \"age\": 61, \"sex\": \"female\", "
		"\"diagnosis\": \"colon adenocarcinoma\", \"stage\": \"IV\", "
		"\"metastatic_sites\": [\"liver\", \"peritoneum\"], "
		"\"brain_metastases\": \"none\", \"measurable_disease\": true, "
		"\"ecog\": 1, \"biomarkers\": [{\"name\": \"KRAS\", "
		"\"status\": "
		"\"wild-type\"}, {\"name\": \"NRAS\", \"status\": "
		"\"wild-type\"}, {\"name\": \"BRAF\", \"status\": \"mutated\", "
		"\"variant\": \"V600E\"}, {\"name\": \"MSI\", \"status\": "
		"\"stable\"}], \"prior_therapies\": [{\"name\": \"FOLFOX\", "
		"\"line\": 1}, {\"name\": \"bevacizumab\", \"line\": 1}], "
		"\"location\": {\"country\": \"United States\", \"state\": "
		"\"New York\"}}";
	static const char csv[] =
		"id,age,sex,diagnosis,stage,metastatic_sites,brain_metastases,"
		"measurable_disease,ecog,biomarkers,prior_therapies,country,"
		"state\n"
		"P-0042,61,female,colon adenocarcinoma,IV,liver;peritoneum,"
		"none,true,1,KRAS:wild-type;NRAS:wild-type;BRAF:mutated:V600E;"
		"MSI:stable,FOLFOX@1;bevacizumab@1,United States,New York\n";
	seen a, b;
	const ctm_profile *x, *y;
	size_t i;

	read_mem(json, &a);
	read_mem(csv, &b);
	cr_assert_eq(a.n_p, 1);
	cr_assert_eq(b.n_p, 1);
	x = a.p[0];
	y = b.p[0];
	cr_expect_str_eq(x->id, y->id);
	cr_expect_eq(x->age, y->age);
	cr_expect_eq(x->sex, y->sex);
	cr_expect_eq(x->diagnosis_concept, y->diagnosis_concept);
	cr_expect_eq(x->stage, y->stage);
	cr_assert_eq(x->n_sites, y->n_sites);
	for (i = 0; i < x->n_sites; i++)
		cr_expect_eq(x->sites[i], y->sites[i]);
	cr_expect_eq(x->brain, y->brain);
	cr_expect_eq(x->measurable, y->measurable);
	cr_expect_eq(x->ecog, y->ecog);
	cr_assert_eq(x->n_biomarkers, 4);
	cr_assert_eq(y->n_biomarkers, 4);
	for (i = 0; i < 4; i++) {
		cr_expect_eq(x->biomarkers[i].gene, y->biomarkers[i].gene);
		cr_expect_eq(x->biomarkers[i].status, y->biomarkers[i].status);
		cr_expect_eq(x->biomarkers[i].variant,
			     y->biomarkers[i].variant);
	}
	cr_assert_eq(x->n_therapies, 2);
	cr_assert_eq(y->n_therapies, 2);
	for (i = 0; i < 2; i++) {
		cr_expect_eq(x->therapies[i].concept, y->therapies[i].concept);
		cr_expect_eq(x->therapies[i].line, y->therapies[i].line);
	}
	cr_expect_str_eq(y->country, "United States");
	cr_expect_str_eq(y->state, "New York");
	cr_expect_eq(x->n_warnings, 0);
	cr_expect_eq(y->n_warnings, 0);
	seen_free(&a);
	seen_free(&b);
}

/* ---- the project's fixtures ---- */

static bool fixtures_present(void)
{
	struct stat st;

	return stat(tu_fixture("patients/bad"), &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

Test(reader, fixture_profiles_all_parse)
{
	seen s;
	size_t i;

	if (!fixtures_present()) {
		cr_skip_test("fixtures/patients is absent: not checked");
		return;
	}
	/* the directory: P01..P17.json (README.md, roster.csv and bad/ are
	 * not *.json files) */
	read_path(tu_fixture("patients"), &s);
	cr_expect_str_eq(s.log, "P01 | P02 | P03 | P04 | P05 | P06 | P07 | "
				"P08 | P09 | P10 | P11 | P12 | P13 | P14 | "
				"P15 | P16 | P17");
	for (i = 0; i < s.n_p; i++)
		cr_expect_eq(s.p[i]->n_warnings, 0, "%s: %s", s.p[i]->id,
			     s.p[i]->n_warnings ? s.p[i]->warnings[0] : "");
	/* P03 holds the spellings to normalise, P08 a birth date */
	cr_assert_eq(s.n_p, 17);
	cr_assert_eq(s.p[2]->n_sites, 2);
	cr_expect_eq(s.p[2]->sites[0], need(CTM_CT_SITE, "liver"));
	cr_expect_eq(s.p[2]->sites[1], need(CTM_CT_SITE, "peritoneum"));
	cr_expect_eq(s.p[2]->biomarkers[0].status, CTM_BM_WILDTYPE);
	cr_expect_eq(s.p[2]->biomarkers[2].status, CTM_BM_MUTATED);
	cr_expect_eq(s.p[2]->biomarkers[3].status, CTM_BM_PROFICIENT);
	cr_expect_eq(s.p[7]->age, 44.0); /* 1979-09-02 on 2024-06-15 */
	seen_free(&s);

	read_path(tu_fixture("patients/roster.csv"), &s);
	cr_expect_str_eq(s.log, "R01 | R02 | R03 | R04 | R05");
	seen_free(&s);
}

Test(reader, fixture_bad_profiles_give_the_documented_errors)
{
	static const struct {
		const char *file, *log, *message;
	} cases[] = {
		{"trailing-comma.json", "E-2@9:1",
		 "invalid JSON: string or '}' expected near '}'"},
		{"wrong-type-age.json", "E-5@3:10 age",
		 "patient B02: age: expected an integer from 0 to 130 (years), "
		 "got \"sixty\""},
		{"impossible-ecog.json", "E-5@7:11 ecog",
		 "patient B03: ecog: expected an integer from 0 to 5, got 9"},
		{"impossible-age.json", "E-5@3:10 age",
		 "patient B04: age: expected an integer from 0 to 130 (years), "
		 "got -3"},
		{"unknown-sex.json", "E-5@4:10 sex",
		 "patient B05: sex: expected \"female\" or \"male\", got "
		 "\"x\""},
		{"missing-id.json", "E-5@1:1 id",
		 "id: missing: every profile needs an \"id\" string"},
		{"unknown-therapy.json", "B07", NULL},
		{"batch-mixed.ndjson",
		 "N01 | E-5@2:88 ecog | N03 | E-2@4:71 | N05",
		 "patient N02: ecog: expected an integer from 0 to 5, got 9"},
	};
	size_t i;
	seen s;

	if (!fixtures_present()) {
		cr_skip_test("fixtures/patients/bad is absent: not checked");
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rel[256];
		snprintf(rel, sizeof(rel), "patients/bad/%s", cases[i].file);
		read_path(tu_fixture(rel), &s);
		cr_expect_str_eq(s.log, cases[i].log, "%s", cases[i].file);
		if (cases[i].message) {
			cr_assert_gt(s.n_e, 0);
			cr_expect_str_eq(s.e[0].message, cases[i].message);
			cr_expect_str_eq(s.e[0].file, tu_fixture(rel));
		}
		if (i == 7)
			cr_expect_str_eq(s.e[1].message,
					 "invalid JSON: string or '}' expected "
					 "near end of file");
		if (i == 6) {
			cr_assert_eq(s.p[0]->n_warnings, 1);
			cr_expect_str_eq(s.p[0]->warnings[0],
					 "prior_therapies[1].name: "
					 "'cetuximabb' is not a known therapy "
					 "(nearest: cetuximab)");
			cr_expect_eq(s.p[0]->therapies[1].concept, 0);
		}
		seen_free(&s);
	}
}
