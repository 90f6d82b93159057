/*
 * test_profile.c - `ctmatch profile FILE`: the profile ctmatch reads from
 * one patient file, printed as spec/patient-profile.md JSON with its
 * warnings, byte for byte; a FHIR Bundle and the JSON profile it stands
 * for print the same; a bad file gives the parser's exact error and no
 * output; usage errors exit 2.
 */
#include "clitest.h"

/* CRC-01 on 2026-01-15: born 1961-03-02, so 64; the FHIR labs in UCUM
 * units converted to the profile's (ANC 1.8 x 10^9/L, ...). */
static const char crc01[] = "{\n"
			    "  \"profile\": {\n"
			    "    \"id\": \"CRC-01\",\n"
			    "    \"age\": 64,\n"
			    "    \"sex\": \"male\",\n"
			    "    \"diagnosis\": \"colon adenocarcinoma\",\n"
			    "    \"stage\": \"IVA\",\n"
			    "    \"metastatic\": true,\n"
			    "    \"metastatic_sites\": [\n"
			    "      \"liver\"\n"
			    "    ],\n"
			    "    \"ecog\": 1,\n"
			    "    \"biomarkers\": [\n"
			    "      {\n"
			    "        \"name\": \"KRAS\",\n"
			    "        \"status\": \"mutated\",\n"
			    "        \"variant\": \"G12C\"\n"
			    "      },\n"
			    "      {\n"
			    "        \"name\": \"MSI\",\n"
			    "        \"status\": \"stable\"\n"
			    "      }\n"
			    "    ],\n"
			    "    \"prior_therapies\": [\n"
			    "      {\n"
			    "        \"name\": \"FOLFOX\",\n"
			    "        \"end_date\": \"2024-09-01\"\n"
			    "      },\n"
			    "      {\n"
			    "        \"name\": \"bevacizumab\",\n"
			    "        \"end_date\": \"2024-09-01\"\n"
			    "      }\n"
			    "    ],\n"
			    "    \"labs\": {\n"
			    "      \"anc\": 1.8,\n"
			    "      \"platelets\": 210,\n"
			    "      \"hemoglobin\": 11.8,\n"
			    "      \"bilirubin_x_uln\": 0.75,\n"
			    "      \"alt_x_uln\": 0.75,\n"
			    "      \"creatinine_clearance\": 90\n"
			    "    }\n"
			    "  },\n"
			    "  \"warnings\": []\n"
			    "}\n";

Test(profile, fhir_bundle_exact)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "profile --today 2026-01-15 '%s'",
		   tu_fixture("fhir/CRC-01.bundle.json"));
	cr_assert_eq(r.status, 0, "status %d, stderr: %s", r.status, r.err);
	cr_assert_str_eq(r.out, crc01);
	cr_assert_str_eq(r.err, "");
	ct_run_free(&r);
}

/* The JSON profile the Bundle stands for (with birth_date) prints the
 * same bytes: the conversion can be checked by a diff. */
Test(profile, json_profile_exact)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "profile --today 2026-01-15 '%s'",
		   tu_fixture("fhir/CRC-01.profile.json"));
	cr_assert_eq(r.status, 0, "status %d, stderr: %s", r.status, r.err);
	cr_assert_str_eq(r.out, crc01);
	cr_assert_str_eq(r.err, "");
	ct_run_free(&r);
}

/* Standard input; the birthday moves the age on the day. */
Test(profile, stdin_and_birthday)
{
	ct_run r = {0};

	ct_run_sh(&r, "'%s' profile --today 2026-03-02 - < '%s'", tu_ctmatch(),
		  tu_fixture("fhir/CRC-01.bundle.json"));
	cr_assert_eq(r.status, 0, "status %d, stderr: %s", r.status, r.err);
	cr_assert(strstr(r.out, "    \"age\": 65,\n"), "%s", r.out);
	ct_run_free(&r);
}

/* A profile read with a warning: the warning in the output, names
 * normalised (HER2 -> ERBB2, amp -> amplified, hepatic -> liver, MSI-H
 * -> high, CRC -> colorectal cancer), metastatic giving stage IV, the
 * unknown therapy kept as given, the ANC per uL in 10^9/L; status 1 and
 * nothing on stderr. */
Test(profile, warnings_exit_1)
{
	static const char in[] =
		"{\"id\": \"W1\", \"age\": 50, \"sex\": \"female\",\n"
		" \"diagnosis\": \"CRC\", \"metastatic\": true,\n"
		" \"metastatic_sites\": [\"hepatic\", \"lymph nodes\"],\n"
		" \"biomarkers\": [{\"name\": \"HER2\", \"status\": \"amp\"},\n"
		"                {\"name\": \"MSI\", \"status\": \"MSI-H\"}],\n"
		" \"prior_therapies\": [{\"name\": \"cetuximabb\", \"line\": 2,"
		" \"setting\": \"metastatic\", \"progressed\": false}],\n"
		" \"labs\": {\"anc\": {\"value\": 1500, \"unit\": \"/uL\"}},\n"
		" \"pregnant\": false, \"location\": {\"country\": "
		"\"France\"}}\n";
	static const char want[] =
		"{\n"
		"  \"profile\": {\n"
		"    \"id\": \"W1\",\n"
		"    \"age\": 50,\n"
		"    \"sex\": \"female\",\n"
		"    \"diagnosis\": \"colorectal cancer\",\n"
		"    \"stage\": \"IV\",\n"
		"    \"metastatic\": true,\n"
		"    \"metastatic_sites\": [\n"
		"      \"liver\",\n"
		"      \"lymph_node\"\n"
		"    ],\n"
		"    \"biomarkers\": [\n"
		"      {\n"
		"        \"name\": \"ERBB2\",\n"
		"        \"status\": \"amplified\"\n"
		"      },\n"
		"      {\n"
		"        \"name\": \"MSI\",\n"
		"        \"status\": \"high\"\n"
		"      }\n"
		"    ],\n"
		"    \"prior_therapies\": [\n"
		"      {\n"
		"        \"name\": \"cetuximabb\",\n"
		"        \"line\": 2,\n"
		"        \"setting\": \"metastatic\",\n"
		"        \"progressed\": false\n"
		"      }\n"
		"    ],\n"
		"    \"labs\": {\n"
		"      \"anc\": 1.5\n"
		"    },\n"
		"    \"pregnant\": false,\n"
		"    \"location\": {\n"
		"      \"country\": \"France\"\n"
		"    }\n"
		"  },\n"
		"  \"warnings\": [\n"
		"    \"prior_therapies[0].name: 'cetuximabb' is not a known "
		"therapy (nearest: cetuximab)\"\n"
		"  ]\n"
		"}\n";
	ct_run r = {0};

	ct_run_cmd(&r, in, "profile -");
	cr_assert_eq(r.status, 1, "status %d, stderr: %s", r.status, r.err);
	cr_assert_str_eq(r.out, want);
	cr_assert_str_eq(r.err, "");
	ct_run_free(&r);
}

/* What is printed reads back as the same profile. */
Test(profile, output_reads_back)
{
	ct_run r = {0};
	json_t *doc;
	char *again;

	ct_run_cmd(&r, NULL, "profile --today 2026-01-15 '%s'",
		   tu_fixture("patients/P01.json"));
	cr_assert_eq(r.status, 0, "status %d, stderr: %s", r.status, r.err);
	doc = json_loads(r.out, 0, NULL);
	cr_assert(doc, "not JSON: %s", r.out);
	again = json_dumps(json_object_get(doc, "profile"), JSON_COMPACT);
	json_decref(doc);
	cr_assert(again);
	{
		char *first = strdup(r.out);
		ct_run_cmd(&r, again, "profile --today 2026-01-15 -");
		free(again);
		cr_assert_eq(r.status, 0, "status %d, stderr: %s", r.status,
			     r.err);
		cr_assert_str_eq(r.out, first);
		free(first);
	}
	ct_run_free(&r);
}

/* A bad file: the exact error (file, line, column, patient, key), no
 * output, status 1. */
Test(profile, bad_file_exact_error)
{
	ct_run r = {0};
	char want[1024];

	ct_run_cmd(&r, NULL, "profile '%s'",
		   tu_fixture("patients/bad/impossible-ecog.json"));
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	/* stderr is not a terminal here: no value (issue 14) */
	snprintf(want, sizeof want,
		 "ctmatch profile: %s:7:11: patient B03: ecog: expected an "
		 "integer from 0 to 5\n",
		 tu_fixture("patients/bad/impossible-ecog.json"));
	cr_assert_str_eq(r.err, want);
	ct_run_cmd(&r, NULL, "profile --show-values '%s'",
		   tu_fixture("patients/bad/impossible-ecog.json"));
	cr_assert_eq(r.status, 1);
	snprintf(want, sizeof want,
		 "ctmatch profile: %s:7:11: patient B03: ecog: expected an "
		 "integer from 0 to 5, got 9\n",
		 tu_fixture("patients/bad/impossible-ecog.json"));
	cr_assert_str_eq(r.err, want);
	ct_run_cmd(&r, NULL, "profile '%s'",
		   tu_fixture("patients/bad/trailing-comma.json"));
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	/* jansson's "near '<token>'" quotes the file: left out too */
	snprintf(want, sizeof want,
		 "ctmatch profile: %s:9:1: invalid JSON: string or '}' "
		 "expected\n",
		 tu_fixture("patients/bad/trailing-comma.json"));
	cr_assert_str_eq(r.err, want);
	ct_run_free(&r);
}

Test(profile, usage_errors)
{
	ct_run r = {0};

	ct_run_cmd(&r, NULL, "profile");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.out, "");
	cr_assert(!strncmp(r.err,
			   "ctmatch profile: give one patient file "
			   "(- for stdin)\nusage: ctmatch profile",
			   strlen("ctmatch profile: give one patient file "
				  "(- for stdin)\nusage: ctmatch profile")),
		  "%s", r.err);
	ct_run_cmd(&r, NULL, "profile --today 2026-13-01 x.json");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "ctmatch profile: --today: '2026-13-01' is "
				"not a date (YYYY-MM-DD)\n");
	ct_run_cmd(&r, NULL, "profile '%s'",
		   tu_fixture("patients/bad/batch-mixed.ndjson"));
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.out, "");
	ct_run_cmd(&r, NULL, "profile /nonexistent/p.json");
	cr_assert_eq(r.status, 3);
	cr_assert_str_eq(r.err, "ctmatch profile: /nonexistent/p.json: cannot "
				"open: No such file or directory\n");
	ct_run_cmd(&r, NULL, "profile --help");
	cr_assert_eq(r.status, 0);
	cr_assert(!strncmp(r.out, "usage: ctmatch profile [OPTIONS] FILE\n",
			   strlen("usage: ctmatch profile [OPTIONS] FILE\n")));
	ct_run_free(&r);
}
