/* trial.c - trials, their enumerations, dates, ages and posting keys. */
#include <ctm/engine.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

ctm_trial *ctm_trial_new(void)
{
	ctm_arena *a = ctm_arena_new();
	ctm_trial *t;

	if (!a)
		return NULL;
	t = ctm_arena_alloc(a, sizeof(*t));
	if (!t) {
		ctm_arena_free(a);
		return NULL;
	}
	t->arena = a;
	t->min_age_years = CTM_AGE_UNBOUNDED;
	t->max_age_years = CTM_AGE_UNBOUNDED;
	t->healthy_volunteers = -1;
	return t;
}

void ctm_trial_free(ctm_trial *t)
{
	if (t)
		ctm_arena_free(t->arena); /* t lives in its own arena */
}

/* Compares s, with surrounding white space ignored, to want (any case). */
static bool trimmed_eq(const char *s, const char *want)
{
	size_t n, w = strlen(want);

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n == w && !strncasecmp(s, want, n);
}

/* ---- statuses ---- */

static const struct {
	const char *name, *v2, *token;
} statuses[CTM_STATUS_COUNT_] = {
	[CTM_STATUS_UNKNOWN] = {"Unknown status", "UNKNOWN", "unknown"},
	[CTM_STATUS_NOT_YET_RECRUITING] = {"Not yet recruiting",
					   "NOT_YET_RECRUITING",
					   "not_yet_recruiting"},
	[CTM_STATUS_RECRUITING] = {"Recruiting", "RECRUITING", "recruiting"},
	[CTM_STATUS_ENROLLING_BY_INVITATION] = {"Enrolling by invitation",
						"ENROLLING_BY_INVITATION",
						"enrolling_by_invitation"},
	[CTM_STATUS_ACTIVE_NOT_RECRUITING] = {"Active, not recruiting",
					      "ACTIVE_NOT_RECRUITING",
					      "active_not_recruiting"},
	[CTM_STATUS_SUSPENDED] = {"Suspended", "SUSPENDED", "suspended"},
	[CTM_STATUS_TERMINATED] = {"Terminated", "TERMINATED", "terminated"},
	[CTM_STATUS_COMPLETED] = {"Completed", "COMPLETED", "completed"},
	[CTM_STATUS_WITHDRAWN] = {"Withdrawn", "WITHDRAWN", "withdrawn"},
	[CTM_STATUS_AVAILABLE] = {"Available", "AVAILABLE", "available"},
	[CTM_STATUS_NO_LONGER_AVAILABLE] = {"No longer available",
					    "NO_LONGER_AVAILABLE",
					    "no_longer_available"},
	[CTM_STATUS_TEMPORARILY_NOT_AVAILABLE] = {"Temporarily not available",
						  "TEMPORARILY_NOT_AVAILABLE",
						  "temporarily_not_available"},
	[CTM_STATUS_APPROVED_FOR_MARKETING] = {"Approved for marketing",
					       "APPROVED_FOR_MARKETING",
					       "approved_for_marketing"},
	[CTM_STATUS_WITHHELD] = {"Withheld", "WITHHELD", "withheld"},
};

int ctm_status_parse(const char *s)
{
	int i;

	if (!s)
		return -1;
	for (i = 0; i < CTM_STATUS_COUNT_; i++) {
		if (trimmed_eq(s, statuses[i].name) ||
		    trimmed_eq(s, statuses[i].v2) ||
		    trimmed_eq(s, statuses[i].token))
			return i;
	}
	if (trimmed_eq(s, "Unknown"))
		return CTM_STATUS_UNKNOWN;
	return -1;
}

const char *ctm_status_name(ctm_status s)
{
	return (unsigned)s < CTM_STATUS_COUNT_ ? statuses[s].name : "";
}

const char *ctm_status_token(ctm_status s)
{
	return (unsigned)s < CTM_STATUS_COUNT_ ? statuses[s].token : "";
}

bool ctm_status_is_open(ctm_status s)
{
	return s == CTM_STATUS_RECRUITING || s == CTM_STATUS_NOT_YET_RECRUITING;
}

bool ctm_location_recruiting(const ctm_location *l)
{
	return !l->status || !*l->status ||
	       !strcasecmp(l->status, "Recruiting") ||
	       !strcasecmp(l->status, "Not yet recruiting");
}

/* ---- gender ---- */

int ctm_gender_parse(const char *s)
{
	if (!s)
		return -1;
	if (trimmed_eq(s, "All") || trimmed_eq(s, "Both"))
		return CTM_GENDER_ALL;
	if (trimmed_eq(s, "Female"))
		return CTM_GENDER_FEMALE;
	if (trimmed_eq(s, "Male"))
		return CTM_GENDER_MALE;
	return -1;
}

const char *ctm_gender_name(ctm_gender g)
{
	switch (g) {
	case CTM_GENDER_ALL: return "All";
	case CTM_GENDER_FEMALE: return "Female";
	case CTM_GENDER_MALE: return "Male";
	default: return "";
	}
}

/* ---- ages ---- */

int ctm_age_parse(const char *s, double *years)
{
	static const struct {
		const char *unit;
		double per_year;
	} units[] = {
		{"year", 1.0},		{"month", 12.0},
		{"week", 52.1775},	{"day", 365.25},
		{"hour", 365.25 * 24},	{"minute", 365.25 * 24 * 60},
	};
	char *end;
	double v;
	size_t i, n;

	while (s && isspace((unsigned char)*s))
		s++;
	if (!s || !*s || trimmed_eq(s, "N/A")) {
		*years = CTM_AGE_UNBOUNDED;
		return 0;
	}
	/* plain decimal digits only: strtod would take "0x10" and "1e1" */
	for (end = (char *)s; isdigit((unsigned char)*end) || *end == '.'; end++)
		;
	if (!isdigit((unsigned char)*s) || (*end && !isspace((unsigned char)*end) &&
					     !isalpha((unsigned char)*end)) ||
	    (end > s + 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
		return CTM_EPARSE;
	v = strtod(s, &end);
	if (end == s || v < 0 || v > 1e7 || *end == 'x' || *end == 'X' ||
	    *end == 'e' || *end == 'E')
		return CTM_EPARSE;
	while (isspace((unsigned char)*end))
		end++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		n = strlen(units[i].unit);
		if (!strncasecmp(end, units[i].unit, n)) {
			const char *rest = end + n;
			if (*rest == 's' || *rest == 'S')
				rest++;
			while (isspace((unsigned char)*rest))
				rest++;
			if (*rest)
				return CTM_EPARSE;
			*years = v / units[i].per_year;
			return 0;
		}
	}
	return CTM_EPARSE;
}

/* ---- dates ---- */

static const char *months[] = {"january", "february", "march",	   "april",
			       "may",	  "june",     "july",	   "august",
			       "september", "october", "november", "december"};

static int days_in(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

static int make_date(int y, int m, int d, int32_t *out)
{
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > days_in(y, m))
		return CTM_EPARSE;
	*out = y * 10000 + m * 100 + d;
	return 0;
}

int ctm_date_parse(const char *s, int32_t *out)
{
	static const char prefix[] = "processed this data on";
	static const char prefix2[] = "obtained from ClinicalTrials.gov on";
	const char *p;
	int y, m, d, i, n = 0;
	char word[16];

	if (!s)
		return CTM_EPARSE;
	p = strstr(s, prefix);
	if (p)
		s = p + sizeof(prefix) - 1;
	else if ((p = strstr(s, prefix2)) != NULL)
		s = p + sizeof(prefix2) - 1;
	while (isspace((unsigned char)*s))
		s++;
	if (isdigit((unsigned char)*s)) {
		/* YYYY-MM-DD or YYYY-MM, digits only */
		size_t len = strlen(s);
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		for (i = 0; i < (int)len; i++)
			if (!(isdigit((unsigned char)s[i]) ||
			      (s[i] == '-' && (i == 4 || i == 7))))
				return CTM_EPARSE;
		if (len == 10 && s[4] == '-' && s[7] == '-')
			return make_date(atoi(s), atoi(s + 5), atoi(s + 8), out);
		if (len == 7 && s[4] == '-')
			return make_date(atoi(s), atoi(s + 5), 1, out);
		return CTM_EPARSE;
	}
	for (i = 0; i < 15 && isalpha((unsigned char)s[i]); i++)
		word[i] = (char)tolower((unsigned char)s[i]);
	word[i] = '\0';
	s += i;
	for (m = 0; m < 12; m++)
		if (!strcmp(word, months[m]))
			break;
	if (m == 12)
		return CTM_EPARSE;
	m++;
	/* " D, YYYY" or " YYYY", digits only (no sscanf: no overflow) */
	while (*s == ' ')
		s++;
	for (n = 0; isdigit((unsigned char)s[n]) && n < 5; n++)
		;
	if (n == 0 || n == 5)
		return CTM_EPARSE;
	if (s[n] == ',') {
		if (n > 2)
			return CTM_EPARSE;
		d = atoi(s);
		s += n + 1;
		while (*s == ' ')
			s++;
		for (n = 0; isdigit((unsigned char)s[n]) && n < 5; n++)
			;
		if (n != 4)
			return CTM_EPARSE;
		y = atoi(s);
		s += n;
	} else if (n == 4) {
		y = atoi(s);
		d = 1;
		s += n;
	} else {
		return CTM_EPARSE;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s)
		return CTM_EPARSE;
	return make_date(y, m, d, out);
}

const char *ctm_date_format(int32_t d, char buf[11])
{
	if (d <= 0) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, 11, "%04d-%02d-%02d", (int)(d / 10000) % 10000,
		 (int)(d / 100 % 100), (int)(d % 100));
	return buf;
}

/* ---- NCT ids ---- */

int ctm_nct_parse(const char *s, uint32_t *num)
{
	uint32_t v = 0;
	int i;

	if (!s || strncmp(s, "NCT", 3) != 0)
		return CTM_EINVALID;
	for (i = 3; i < 11; i++) {
		if (!isdigit((unsigned char)s[i]))
			return CTM_EINVALID;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (s[11])
		return CTM_EINVALID;
	*num = v;
	return 0;
}

const char *ctm_nct_format(uint32_t num, char buf[12])
{
	snprintf(buf, 12, "NCT%08u", (unsigned)(num % 100000000u));
	return buf;
}

/* ---- names of criteria enumerations ---- */

const char *ctm_section_name(ctm_section s)
{
	switch (s) {
	case CTM_SECTION_INCLUSION: return "inclusion";
	case CTM_SECTION_EXCLUSION: return "exclusion";
	default: return "unspecified";
	}
}

static const char *kind_names[CTM_K_COUNT_] = {
	[CTM_K_NONE] = "none",
	[CTM_K_DISEASE] = "disease",
	[CTM_K_STAGE] = "stage",
	[CTM_K_METASTATIC] = "metastatic",
	[CTM_K_RESECTABLE] = "resectable",
	[CTM_K_BIOMARKER] = "biomarker",
	[CTM_K_THERAPY] = "therapy",
	[CTM_K_PRIOR_LINES] = "prior_lines",
	[CTM_K_SITE] = "site",
	[CTM_K_BRAIN_METS] = "brain_metastases",
	[CTM_K_ECOG] = "ecog",
	[CTM_K_KARNOFSKY] = "karnofsky",
	[CTM_K_MEASURABLE] = "measurable_disease",
	[CTM_K_LAB] = "lab",
	[CTM_K_AGE] = "age",
	[CTM_K_SEX] = "sex",
	[CTM_K_PREGNANT] = "pregnant",
	[CTM_K_BREASTFEEDING] = "breastfeeding",
	[CTM_K_UNREAD] = "unread",
	[CTM_K_CONDITION] = "condition",
};

const char *ctm_kind_name(ctm_kind k)
{
	return (unsigned)k < CTM_K_COUNT_ && kind_names[k] ? kind_names[k]
							    : "none";
}

static const char *bm_names[CTM_BM_COUNT_] = {
	[CTM_BM_ANY] = "altered",
	[CTM_BM_MUTATED] = "mutated",
	[CTM_BM_WILDTYPE] = "wild-type",
	[CTM_BM_AMPLIFIED] = "amplified",
	[CTM_BM_NOT_AMPLIFIED] = "not-amplified",
	[CTM_BM_FUSION] = "fusion",
	[CTM_BM_OVEREXPRESSED] = "overexpressed",
	[CTM_BM_HIGH] = "high",
	[CTM_BM_LOW] = "low",
	[CTM_BM_STABLE] = "stable",
	[CTM_BM_DEFICIENT] = "deficient",
	[CTM_BM_PROFICIENT] = "proficient",
	[CTM_BM_POSITIVE] = "positive",
	[CTM_BM_NEGATIVE] = "negative",
};

const char *ctm_bm_status_name(ctm_bm_status s)
{
	return (unsigned)s < CTM_BM_COUNT_ ? bm_names[s] : "";
}

bool ctm_bm_msi_family(const ctm_lexicon *lx, ctm_concept c)
{
	const char *name;

	if (!lx || ctm_lexicon_type(lx, c) != CTM_CT_MARKER)
		return false;
	name = ctm_lexicon_name(lx, c);
	return !strcmp(name, "MSI") || !strcmp(name, "MMR");
}

int ctm_bm_msi_status(ctm_bm_status s)
{
	switch (s) {
	case CTM_BM_HIGH:
	case CTM_BM_DEFICIENT:
		return CTM_BM_HIGH;
	case CTM_BM_STABLE:
	case CTM_BM_PROFICIENT:
		return CTM_BM_STABLE;
	case CTM_BM_LOW:
		return CTM_BM_LOW;
	default:
		return -1;
	}
}

int ctm_bm_status_parse(const char *s)
{
	static const struct {
		const char *spelling;
		int status;
	} extra[] = {
		{"wt", CTM_BM_WILDTYPE},	{"wildtype", CTM_BM_WILDTYPE},
		{"wild type", CTM_BM_WILDTYPE}, {"wild_type", CTM_BM_WILDTYPE},
		{"mutant", CTM_BM_MUTATED},	{"mutation", CTM_BM_MUTATED},
		{"mut", CTM_BM_MUTATED},	{"amp", CTM_BM_AMPLIFIED},
		{"amplification", CTM_BM_AMPLIFIED},
		{"not amplified", CTM_BM_NOT_AMPLIFIED},
		{"non-amplified", CTM_BM_NOT_AMPLIFIED},
		{"fusion-positive", CTM_BM_FUSION},
		{"rearranged", CTM_BM_FUSION},
		{"overexpression", CTM_BM_OVEREXPRESSED},
		{"any", CTM_BM_ANY},		{"altered", CTM_BM_ANY},
		{"msi-h", CTM_BM_HIGH},		{"mss", CTM_BM_STABLE},
		{"dmmr", CTM_BM_DEFICIENT},	{"pmmr", CTM_BM_PROFICIENT},
		{"+", CTM_BM_POSITIVE},		{"-", CTM_BM_NEGATIVE},
		{"pos", CTM_BM_POSITIVE},	{"neg", CTM_BM_NEGATIVE},
	};
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < CTM_BM_COUNT_; i++)
		if (!strcasecmp(s, bm_names[i]))
			return (int)i;
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (!strcasecmp(s, extra[i].spelling))
			return extra[i].status;
	return -1;
}
