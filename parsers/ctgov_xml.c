/*
 * ctgov_xml.c - streaming reader for ClinicalTrials.gov legacy XML.
 *
 * libxml2's push parser walks the document with our SAX2 handlers: no
 * tree is built. Each <clinical_study> (the root, or a child of any
 * wrapper root) is read event by event: the text of the elements we keep
 * is copied into a new trial's arena as it streams past, so nothing holds
 * a whole record. The document is fed in pieces of FEED_BYTES; a finished
 * record (a trial or its rejection) waits in a queue until ctm_xml_next
 * hands it out. (The xmlTextReader we used before builds a node for every
 * element and text and frees it again: reading through it cost as much as
 * xmllint --stream on its own; these handlers copy only what we keep.)
 *
 * Safety: options are NONET (plus COMPACT and BIG_LINES, as xmllint), never
 * NOENT, DTDLOAD, DTDVALID or HUGE. A document with a DOCTYPE is refused
 * (real records have none): the parser is stopped at the declaration, so
 * no DTD or entity is ever used. Files are opened and read here, so a
 * missing file is our CTM_EIO naming it, not a message libxml2 prints.
 * While libxml2 runs for us, the thread's global error handlers point at
 * the reader too, so nothing is printed; the first error (level error or
 * fatal) ends the document: the records of a wrapper read whole before it
 * are handed out, a root record followed by junk is not.
 *
 * Field rules (text trimmed of XML white space unless said otherwise; the
 * first element wins for single-valued fields; an empty coded field counts
 * as absent):
 *   criteria_text   eligibility/criteria/textblock exactly as libxml2
 *                   decodes it (nothing trimmed), NULL when absent
 *   first_posted    study_first_posted, else firstreceived_date, else
 *                   study_first_submitted (the first present, non-empty)
 *   last_update     last_update_submitted, else lastchanged_date, else
 *                   last_update_posted
 *   download_date   required_header/download_date in either wording:
 *                   "ClinicalTrials.gov processed this data on <date>" or
 *                   "Information obtained from ClinicalTrials.gov on <date>"
 * A value that does not parse rejects the record, naming the element.
 *
 * With a filter (ctm_xml_set_filter: a re-ingest skipping what the index
 * holds), each record's <id_info><nct_id> and last-update dates are also
 * noted on their own (as end_record chooses them, whatever else the record
 * holds): when they tell the id and date and the filter skips the record,
 * the record read is dropped and CTM_RECORD_SKIPPED handed out; otherwise
 * the record is handed out as if no filter were set, rejections included.
 */
#include <ctm/parsers.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES)

/* The piece of the document given to the parser at a time. */
#define FEED_BYTES (64u << 10)

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_ptr;
#else
typedef xmlErrorPtr xml_error_ptr;
#endif

/* The elements we look at, interned in the reader's dictionary. */
enum name_id {
	N_CLINICAL_STUDY,
	N_REQUIRED_HEADER,
	N_DOWNLOAD_DATE,
	N_ID_INFO,
	N_NCT_ID,
	N_BRIEF_TITLE,
	N_OFFICIAL_TITLE,
	N_SPONSORS,
	N_LEAD_SPONSOR,
	N_AGENCY,
	N_OVERALL_STATUS,
	N_PHASE,
	N_STUDY_TYPE,
	N_CONDITION,
	N_KEYWORD,
	N_CONDITION_BROWSE,
	N_MESH_TERM,
	N_INTERVENTION,
	N_INTERVENTION_TYPE,
	N_INTERVENTION_NAME,
	N_OTHER_NAME,
	N_ELIGIBILITY,
	N_CRITERIA,
	N_TEXTBLOCK,
	N_GENDER,
	N_MINIMUM_AGE,
	N_MAXIMUM_AGE,
	N_HEALTHY_VOLUNTEERS,
	N_LOCATION,
	N_FACILITY,
	N_NAME,
	N_ADDRESS,
	N_CITY,
	N_STATE,
	N_ZIP,
	N_COUNTRY,
	N_STATUS,
	N_STUDY_FIRST_POSTED,
	N_FIRSTRECEIVED_DATE,
	N_STUDY_FIRST_SUBMITTED,
	N_LAST_UPDATE_SUBMITTED,
	N_LASTCHANGED_DATE,
	N_LAST_UPDATE_POSTED,
	N_COUNT_,
	N_OTHER = N_COUNT_ /* an element we do not look into */
};

static const char *const names[N_COUNT_] = {
	[N_CLINICAL_STUDY] = "clinical_study",
	[N_REQUIRED_HEADER] = "required_header",
	[N_DOWNLOAD_DATE] = "download_date",
	[N_ID_INFO] = "id_info",
	[N_NCT_ID] = "nct_id",
	[N_BRIEF_TITLE] = "brief_title",
	[N_OFFICIAL_TITLE] = "official_title",
	[N_SPONSORS] = "sponsors",
	[N_LEAD_SPONSOR] = "lead_sponsor",
	[N_AGENCY] = "agency",
	[N_OVERALL_STATUS] = "overall_status",
	[N_PHASE] = "phase",
	[N_STUDY_TYPE] = "study_type",
	[N_CONDITION] = "condition",
	[N_KEYWORD] = "keyword",
	[N_CONDITION_BROWSE] = "condition_browse",
	[N_MESH_TERM] = "mesh_term",
	[N_INTERVENTION] = "intervention",
	[N_INTERVENTION_TYPE] = "intervention_type",
	[N_INTERVENTION_NAME] = "intervention_name",
	[N_OTHER_NAME] = "other_name",
	[N_ELIGIBILITY] = "eligibility",
	[N_CRITERIA] = "criteria",
	[N_TEXTBLOCK] = "textblock",
	[N_GENDER] = "gender",
	[N_MINIMUM_AGE] = "minimum_age",
	[N_MAXIMUM_AGE] = "maximum_age",
	[N_HEALTHY_VOLUNTEERS] = "healthy_volunteers",
	[N_LOCATION] = "location",
	[N_FACILITY] = "facility",
	[N_NAME] = "name",
	[N_ADDRESS] = "address",
	[N_CITY] = "city",
	[N_STATE] = "state",
	[N_ZIP] = "zip",
	[N_COUNTRY] = "country",
	[N_STATUS] = "status",
	[N_STUDY_FIRST_POSTED] = "study_first_posted",
	[N_FIRSTRECEIVED_DATE] = "firstreceived_date",
	[N_STUDY_FIRST_SUBMITTED] = "study_first_submitted",
	[N_LAST_UPDATE_SUBMITTED] = "last_update_submitted",
	[N_LASTCHANGED_DATE] = "lastchanged_date",
	[N_LAST_UPDATE_POSTED] = "last_update_posted",
};

/* The children we look at, by parent; every other child is N_OTHER. */
static const unsigned char kids_study[] = {
	N_REQUIRED_HEADER,
	N_ID_INFO,
	N_BRIEF_TITLE,
	N_OFFICIAL_TITLE,
	N_SPONSORS,
	N_OVERALL_STATUS,
	N_PHASE,
	N_STUDY_TYPE,
	N_CONDITION,
	N_KEYWORD,
	N_CONDITION_BROWSE,
	N_INTERVENTION,
	N_ELIGIBILITY,
	N_LOCATION,
	N_STUDY_FIRST_POSTED,
	N_FIRSTRECEIVED_DATE,
	N_STUDY_FIRST_SUBMITTED,
	N_LAST_UPDATE_SUBMITTED,
	N_LASTCHANGED_DATE,
	N_LAST_UPDATE_POSTED,
};
static const unsigned char kids_header[] = {N_DOWNLOAD_DATE};
static const unsigned char kids_id_info[] = {N_NCT_ID};
static const unsigned char kids_sponsors[] = {N_LEAD_SPONSOR};
static const unsigned char kids_lead[] = {N_AGENCY};
static const unsigned char kids_browse[] = {N_MESH_TERM};
static const unsigned char kids_intervention[] = {
	N_INTERVENTION_TYPE, N_INTERVENTION_NAME, N_OTHER_NAME};
static const unsigned char kids_eligibility[] = {N_CRITERIA, N_GENDER,
						 N_MINIMUM_AGE, N_MAXIMUM_AGE,
						 N_HEALTHY_VOLUNTEERS};
static const unsigned char kids_criteria[] = {N_TEXTBLOCK};
static const unsigned char kids_location[] = {N_FACILITY, N_STATUS};
static const unsigned char kids_facility[] = {N_NAME, N_ADDRESS};
static const unsigned char kids_address[] = {N_CITY, N_STATE, N_ZIP, N_COUNTRY};

/* The first error libxml2 reported (level error or fatal). */
struct xml_fail {
	bool set;
	int domain, code, line, column;
	char message[CTM_ERROR_MSG_MAX];
};

/* A growable array, malloc'd and kept from one record to the next. */
struct vec {
	void *p;
	size_t n, cap;
};

/* A record read, waiting to be handed out. */
struct result {
	int rc; /* 1 or a negative CTM_E* */
	ctm_trial *t;
	ctm_error err;
	/* with a filter: the id and date it is asked about, if told */
	bool ask;
	bool root; /* the record is the document's root */
	int32_t when;
	char id[32];
};

/* Trimmed text of at most `size - 1` bytes, gathered piece by piece. */
struct short_text {
	char *buf;
	size_t size, len, end; /* end: past the last non-space byte */
	bool started, over;
};

struct ctm_xml_reader {
	xmlParserCtxtPtr ctxt;
	int fd; /* ours to close, or -1 */
	char *name;
	const char *buf; /* the document, for memory readers */
	size_t buf_len, buf_off;
	char *chunk;	     /* the piece read from fd */
	long long file_left; /* bytes of a regular file not yet read, or -1 */
	bool done;	     /* everything handed out */
	bool fed;	     /* the whole document was given to the parser */
	bool any_record;     /* a <clinical_study> was seen */
	bool empty;	     /* a document of no bytes */
	bool root_open;	     /* inside the root element */
	bool doctype;	     /* stopped at a <!DOCTYPE> */
	bool interned;	     /* element names come from the dictionary */
	bool root_closed;    /* the root ended in the piece last fed */
	int root_line;
	char root_name[64];
	struct xml_fail fail;
	const xmlChar *name_ptr[N_COUNT_];
	int depth;	/* of the element open innermost: the root is 0 */
	int skip_depth; /* >= 0: in that wrapper child, skipped whole */

	/* Records read, not yet handed out (a ring). */
	struct result *queue;
	size_t q_head, q_len, q_cap;

	/* The record being read. */
	bool in_record;
	ctm_trial *t;
	int rec_depth, rec_line, id_info_line;
	long rec_start;
	unsigned n_elements;
	unsigned char stack[CTM_MAX_XML_DEPTH]; /* name_id by depth */

	/* The text of the leaf element being read (NUL-terminated). */
	bool capturing;
	enum name_id cap_id;
	int cap_depth, cap_line;
	char *text;
	size_t text_len, text_cap;

	/* The first reason to reject the record. */
	bool rejected;
	int rej_code, rej_line;
	char rej_field[64];
	char rej_msg[CTM_ERROR_MSG_MAX];

	/* Fields seen so far. */
	bool seen[N_COUNT_];
	const char *date_text[N_COUNT_]; /* dates, arena copies */
	int date_line[N_COUNT_];
	struct vec conditions, keywords, mesh; /* const char * */
	struct vec other_names;		       /* of the intervention */
	struct vec interventions;	       /* ctm_intervention */
	struct vec locations;		       /* ctm_location */
	ctm_intervention iv;		       /* being read */
	ctm_location loc;		       /* being read */

	/* The filter, and what it is asked about: the id and the three
	 * last-update dates, read on their own. */
	ctm_record_filter filter;
	void *filter_ctx;
	bool in_id_info, have_id, told;
	bool last_seen[3];
	int peek; /* the text being gathered: -1 none, 0 the id, 1..3 dates */
	int peek_depth;
	char peek_id[32], peek_date[3][64];
	struct short_text peek_text;
};

static bool xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- libxml2 error capture ---- */

static void on_xml_error(void *ctx, xml_error_ptr e)
{
	ctm_xml_reader *r = ctx;
	size_t n;
	char *p;

	if (!r || !e || e->level < XML_ERR_ERROR || r->fail.set)
		return;
	r->fail.set = true;
	r->fail.domain = e->domain;
	r->fail.code = e->code;
	r->fail.line = e->line > 0 ? e->line : 0;
	r->fail.column = e->int2 > 0 ? e->int2 : 0;
	snprintf(r->fail.message, sizeof(r->fail.message), "%s",
		 e->message ? e->message : "XML error");
	/* one line: libxml2 ends messages with a newline and some hold
	 * more than one line ("...\nBytes: 0xFF ...") */
	n = strlen(r->fail.message);
	while (n && xml_space(r->fail.message[n - 1]))
		r->fail.message[--n] = '\0';
	for (p = r->fail.message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
}

/* Messages libxml2 sends without a structure are dropped, not printed. */
static void quiet_generic(void *ctx, const char *msg, ...)
{
}

/*
 * libxml2 reports most errors through the parser's handler, but a few
 * (I/O, encoding conversion) through the thread's global handlers. Point
 * those at r while libxml2 runs for us, and put them back after.
 */
struct guard {
	xmlStructuredErrorFunc serror;
	void *sctx;
	xmlGenericErrorFunc gerror;
	void *gctx;
};

static void guard_enter(ctm_xml_reader *r, struct guard *g)
{
	g->serror = xmlStructuredError;
	g->sctx = xmlStructuredErrorContext;
	g->gerror = xmlGenericError;
	g->gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(r, (xmlStructuredErrorFunc)on_xml_error);
	xmlSetGenericErrorFunc(NULL, quiet_generic);
}

static void guard_leave(const struct guard *g)
{
	xmlSetStructuredErrorFunc(g->sctx, g->serror);
	xmlSetGenericErrorFunc(g->gctx, g->gerror);
}

/* Where the parser is: the line (from 1) and column, or 0. */
static int parser_line(const ctm_xml_reader *r)
{
	const xmlParserInput *in = r->ctxt ? r->ctxt->input : NULL;

	return in && in->line > 0 ? in->line : 0;
}

static int parser_column(const ctm_xml_reader *r)
{
	const xmlParserInput *in = r->ctxt ? r->ctxt->input : NULL;

	return in && in->col > 0 ? in->col : 0;
}

/* The error that ends the document. */
static int doc_fail(ctm_xml_reader *r, ctm_error *err)
{
	int code = CTM_EPARSE;

	r->done = true;
	if (!r->fail.set)
		return ctm_error_set(err, code, r->name, parser_line(r),
				     parser_column(r), "XML reader failed");
	if (r->fail.code == XML_ERR_NO_MEMORY)
		code = CTM_ENOMEM;
	else if (r->fail.domain == XML_FROM_IO)
		code = CTM_EIO;
	/* libxml2's push parser words the end of the data inside an
	 * element as "Extra content at the end of the document" */
	if (r->fail.code == XML_ERR_DOCUMENT_END && r->root_open)
		return ctm_error_set(err, code, r->name, r->fail.line,
				     r->fail.column,
				     "premature end of data: the document ends "
				     "inside <%s> (truncated?)",
				     r->root_name);
	return ctm_error_set(err, code, r->name, r->fail.line, r->fail.column,
			     "%s", r->fail.message);
}

/*
 * The line of "<!DOCTYPE" in the first 8 KiB of the document, or 0: the
 * parser is stopped before it says.
 */
static int doctype_line(const ctm_xml_reader *r)
{
	static const char key[] = "<!DOCTYPE";
	char head[8192];
	const char *p = r->buf;
	size_t n = r->buf_len, i;
	int line = 1;

	if (!p) {
		ssize_t got = pread(r->fd, head, sizeof(head), 0);

		if (got <= 0)
			return 0;
		p = head;
		n = (size_t)got;
	}
	if (n > sizeof(head))
		n = sizeof(head);
	for (i = 0; i + sizeof(key) - 1 <= n; i++) {
		if (p[i] == '<' && !memcmp(p + i, key, sizeof(key) - 1))
			return line;
		if (p[i] == '\n' ||
		    (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n')))
			line++;
	}
	return 0;
}

/* libxml2 asks for one initialisation before threads use it. */
static void init_libxml2(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, xmlInitParser);
}

/* ---- small helpers ---- */

static bool is_name(const ctm_xml_reader *r, const xmlChar *name,
		    enum name_id id)
{
	if (r->interned)
		return name == r->name_ptr[id];
	return xmlStrEqual(name, (const xmlChar *)names[id]);
}

/* What a child element named `name` of a `parent` element is to us. */
static enum name_id child_id(const ctm_xml_reader *r, enum name_id parent,
			     const xmlChar *name)
{
	const unsigned char *k;
	size_t n, i;

#define KIDS(a) (k = (a), n = sizeof(a))
	switch (parent) {
	case N_CLINICAL_STUDY: KIDS(kids_study); break;
	case N_REQUIRED_HEADER: KIDS(kids_header); break;
	case N_ID_INFO: KIDS(kids_id_info); break;
	case N_SPONSORS: KIDS(kids_sponsors); break;
	case N_LEAD_SPONSOR: KIDS(kids_lead); break;
	case N_CONDITION_BROWSE: KIDS(kids_browse); break;
	case N_INTERVENTION: KIDS(kids_intervention); break;
	case N_ELIGIBILITY: KIDS(kids_eligibility); break;
	case N_CRITERIA: KIDS(kids_criteria); break;
	case N_LOCATION: KIDS(kids_location); break;
	case N_FACILITY: KIDS(kids_facility); break;
	case N_ADDRESS: KIDS(kids_address); break;
	default: return N_OTHER;
	}
#undef KIDS
	for (i = 0; i < n; i++)
		if (is_name(r, name, (enum name_id)k[i]))
			return (enum name_id)k[i];
	return N_OTHER;
}

/* Notes the first reason to reject the record being read. */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void
reject(ctm_xml_reader *r, int code, int line, const char *field,
       const char *fmt, ...)
{
	va_list ap;

	if (r->rejected)
		return;
	r->rejected = true;
	r->capturing = false;
	r->rej_code = code;
	r->rej_line = line;
	snprintf(r->rej_field, sizeof(r->rej_field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(r->rej_msg, sizeof(r->rej_msg), fmt, ap);
	va_end(ap);
}

static void reject_nomem(ctm_xml_reader *r, int line, const char *field)
{
	reject(r, CTM_ENOMEM, line, field, "out of memory");
}

static bool vec_push(struct vec *v, const void *item, size_t size)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *p = realloc(v->p, cap * size);

		if (!p)
			return false;
		v->p = p;
		v->cap = cap;
	}
	memcpy((char *)v->p + v->n * size, item, size);
	v->n++;
	return true;
}

/* A copy of v's items in t's arena; NULL when empty or out of memory. */
static void *vec_to_arena(ctm_trial *t, const struct vec *v, size_t size)
{
	void *p;

	if (!v->n)
		return NULL;
	p = ctm_arena_alloc(t->arena, v->n * size);
	if (p)
		memcpy(p, v->p, v->n * size);
	return p;
}

static bool grow_text(ctm_xml_reader *r, size_t need)
{
	size_t cap = r->text_cap ? r->text_cap : 4096;
	char *p;

	while (cap < need)
		cap *= 2;
	p = realloc(r->text, cap);
	if (!p)
		return false;
	r->text = p;
	r->text_cap = cap;
	return true;
}

/* Adds a piece of text or CDATA to the leaf being read. */
static void append_text(ctm_xml_reader *r, const xmlChar *s, size_t k)
{
	if (k > CTM_MAX_TEXT_BYTES - r->text_len) {
		reject(r, CTM_ELIMIT, r->cap_line, names[r->cap_id],
		       "text of <%s> exceeds the limit of %u bytes",
		       names[r->cap_id], CTM_MAX_TEXT_BYTES);
		return;
	}
	if (r->text_len + k + 1 > r->text_cap &&
	    !grow_text(r, r->text_len + k + 1)) {
		reject_nomem(r, r->cap_line, names[r->cap_id]);
		return;
	}
	memcpy(r->text + r->text_len, s, k);
	r->text_len += k;
	r->text[r->text_len] = '\0';
}

static void check_bytes(ctm_xml_reader *r)
{
	long now = xmlByteConsumed(r->ctxt);

	if (now - r->rec_start > (long)CTM_MAX_RECORD_BYTES)
		reject(r, CTM_ELIMIT, r->rec_line, names[N_CLINICAL_STUDY],
		       "record exceeds the limit of %u bytes",
		       CTM_MAX_RECORD_BYTES);
}

/* ---- fields ---- */

/* s[0..len) copied into the trial's arena (NULL on out of memory). */
static const char *dup_text(ctm_xml_reader *r, const char *s, size_t len)
{
	const char *p = ctm_arena_strndup(r->t->arena, s, len);

	if (!p)
		reject_nomem(r, r->cap_line, names[r->cap_id]);
	return p;
}

static void first_text(ctm_xml_reader *r, const char **slot, const char *s,
		       size_t len)
{
	if (!*slot)
		*slot = dup_text(r, s, len);
}

static void push_text(ctm_xml_reader *r, struct vec *v, const char *s,
		      size_t len)
{
	const char *p;

	if (v->n >= CTM_MAX_LIST_ITEMS) {
		reject(r, CTM_ELIMIT, r->cap_line, names[r->cap_id],
		       "more than %d <%s> elements", CTM_MAX_LIST_ITEMS,
		       names[r->cap_id]);
		return;
	}
	p = dup_text(r, s, len);
	if (p && !vec_push(v, &p, sizeof(p)))
		reject_nomem(r, r->cap_line, names[r->cap_id]);
}

/* The first occurrence of a single-valued element? Marks it seen. */
static bool first_seen(ctm_xml_reader *r, enum name_id id)
{
	if (r->seen[id])
		return false;
	r->seen[id] = true;
	return true;
}

static void read_age(ctm_xml_reader *r, const char *s, double *out)
{
	if (ctm_age_parse(s, out))
		reject(r, CTM_EPARSE, r->cap_line, names[r->cap_id],
		       "not an age: \"%.100s\"", s);
}

/* A leaf element has ended: r->text holds its text. */
static void leaf(ctm_xml_reader *r)
{
	enum name_id id = r->cap_id;
	ctm_trial *t = r->t;
	char *s = r->text;
	size_t len = r->text_len;
	uint32_t num;
	int v;

	if (id == N_TEXTBLOCK) {
		/* exactly as decoded: not trimmed */
		first_text(r, &t->criteria_text, s, len);
		return;
	}
	while (len && xml_space(*s)) {
		s++;
		len--;
	}
	while (len && xml_space(s[len - 1]))
		len--;
	s[len] = '\0';

	switch (id) {
	case N_NCT_ID:
		if (t->nct_id)
			break;
		t->nct_id = dup_text(r, s, len);
		if (t->nct_id && ctm_nct_parse(s, &num))
			reject(r, CTM_EPARSE, r->cap_line, "nct_id",
			       "not an NCT id (NCT and 8 digits): \"%.100s\"",
			       s);
		break;
	case N_BRIEF_TITLE: first_text(r, &t->brief_title, s, len); break;
	case N_OFFICIAL_TITLE: first_text(r, &t->official_title, s, len); break;
	case N_PHASE: first_text(r, &t->phase, s, len); break;
	case N_STUDY_TYPE: first_text(r, &t->study_type, s, len); break;
	case N_AGENCY: first_text(r, &t->lead_sponsor, s, len); break;
	case N_OVERALL_STATUS:
		if (!first_seen(r, id) || !len)
			break;
		v = ctm_status_parse(s);
		if (v < 0)
			reject(r, CTM_EPARSE, r->cap_line, "overall_status",
			       "not a recruitment status: \"%.100s\"", s);
		else
			t->status = (ctm_status)v;
		break;
	case N_CONDITION: push_text(r, &r->conditions, s, len); break;
	case N_KEYWORD: push_text(r, &r->keywords, s, len); break;
	case N_MESH_TERM: push_text(r, &r->mesh, s, len); break;
	case N_INTERVENTION_TYPE: first_text(r, &r->iv.type, s, len); break;
	case N_INTERVENTION_NAME: first_text(r, &r->iv.name, s, len); break;
	case N_OTHER_NAME: push_text(r, &r->other_names, s, len); break;
	case N_GENDER:
		if (!first_seen(r, id) || !len)
			break;
		v = ctm_gender_parse(s);
		if (v < 0)
			reject(r, CTM_EPARSE, r->cap_line, "gender",
			       "not All, Both, Female or Male: \"%.100s\"", s);
		else
			t->gender = (ctm_gender)v;
		break;
	case N_MINIMUM_AGE:
		if (first_seen(r, id))
			read_age(r, s, &t->min_age_years);
		break;
	case N_MAXIMUM_AGE:
		if (first_seen(r, id))
			read_age(r, s, &t->max_age_years);
		break;
	case N_HEALTHY_VOLUNTEERS:
		if (!first_seen(r, id) || !len)
			break;
		if (!strcasecmp(s, "No"))
			t->healthy_volunteers = 0;
		else if (!strcasecmp(s, "Yes") ||
			 !strcasecmp(s, "Accepts Healthy Volunteers"))
			t->healthy_volunteers = 1;
		else
			reject(r, CTM_EPARSE, r->cap_line, "healthy_volunteers",
			       "not No, Yes or Accepts Healthy Volunteers: "
			       "\"%.100s\"",
			       s);
		break;
	case N_NAME: first_text(r, &r->loc.facility, s, len); break;
	case N_CITY: first_text(r, &r->loc.city, s, len); break;
	case N_STATE: first_text(r, &r->loc.state, s, len); break;
	case N_ZIP: first_text(r, &r->loc.zip, s, len); break;
	case N_COUNTRY: first_text(r, &r->loc.country, s, len); break;
	case N_STATUS: first_text(r, &r->loc.status, s, len); break;
	case N_DOWNLOAD_DATE:
	case N_STUDY_FIRST_POSTED:
	case N_FIRSTRECEIVED_DATE:
	case N_STUDY_FIRST_SUBMITTED:
	case N_LAST_UPDATE_SUBMITTED:
	case N_LASTCHANGED_DATE:
	case N_LAST_UPDATE_POSTED:
		/* chosen and parsed at the end of the record */
		if (!first_seen(r, id) || !len)
			break;
		r->date_text[id] = dup_text(r, s, len);
		r->date_line[id] = r->cap_line;
		break;
	default: break;
	}
}

static void on_start(ctm_xml_reader *r, const xmlChar *name, int depth)
{
	int d = depth - r->rec_depth;
	enum name_id id;

	if (r->rejected)
		return;
	if ((++r->n_elements & 63) == 0) {
		check_bytes(r);
		if (r->rejected)
			return;
	}
	if (depth >= CTM_MAX_XML_DEPTH) {
		reject(r, CTM_ELIMIT, parser_line(r), (const char *)name,
		       "elements nested deeper than %d levels",
		       CTM_MAX_XML_DEPTH);
		return;
	}
	id = r->capturing ? N_OTHER
			  : child_id(r, (enum name_id)r->stack[d - 1], name);
	r->stack[d] = (unsigned char)id;
	switch (id) {
	case N_ID_INFO:
		if (!r->id_info_line)
			r->id_info_line = parser_line(r);
		break;
	case N_OTHER:
	case N_REQUIRED_HEADER:
	case N_SPONSORS:
	case N_LEAD_SPONSOR:
	case N_CONDITION_BROWSE:
	case N_CRITERIA:
	case N_FACILITY:
	case N_ADDRESS: break;
	case N_ELIGIBILITY: r->t->has_eligibility = true; break;
	case N_INTERVENTION:
		if (r->interventions.n >= CTM_MAX_LIST_ITEMS)
			reject(r, CTM_ELIMIT, parser_line(r), names[id],
			       "more than %d <%s> elements", CTM_MAX_LIST_ITEMS,
			       names[id]);
		memset(&r->iv, 0, sizeof(r->iv));
		r->other_names.n = 0;
		break;
	case N_LOCATION:
		if (r->locations.n >= CTM_MAX_LIST_ITEMS)
			reject(r, CTM_ELIMIT, parser_line(r), names[id],
			       "more than %d <%s> elements", CTM_MAX_LIST_ITEMS,
			       names[id]);
		memset(&r->loc, 0, sizeof(r->loc));
		break;
	default: /* a leaf: gather its text */
		r->capturing = true;
		r->cap_id = id;
		r->cap_depth = d;
		r->cap_line = parser_line(r);
		r->text_len = 0;
		r->text[0] = '\0';
		break;
	}
}

static void on_end(ctm_xml_reader *r, int depth)
{
	int d = depth - r->rec_depth;

	if (r->rejected)
		return;
	if (r->capturing) {
		if (d == r->cap_depth) {
			r->capturing = false;
			leaf(r);
		}
		return;
	}
	switch (r->stack[d]) {
	case N_INTERVENTION:
		r->iv.n_other_names = r->other_names.n;
		r->iv.other_names = vec_to_arena(r->t, &r->other_names,
						 sizeof(const char *));
		if ((r->other_names.n && !r->iv.other_names) ||
		    !vec_push(&r->interventions, &r->iv, sizeof(r->iv)))
			reject_nomem(r, 0, names[N_INTERVENTION]);
		break;
	case N_LOCATION:
		if (!vec_push(&r->locations, &r->loc, sizeof(r->loc)))
			reject_nomem(r, 0, names[N_LOCATION]);
		break;
	default: break;
	}
}

/* The first present date of `order`, parsed into *out. */
static void pick_date(ctm_xml_reader *r, const enum name_id *order, size_t n,
		      int32_t *out)
{
	/* The older wording of the download sentence; ctm_date_parse
	 * knows "ClinicalTrials.gov processed this data on <date>". */
	static const char older[] = "Information obtained from "
				    "ClinicalTrials.gov on ";
	const char *s;
	size_t i;

	for (i = 0; i < n; i++) {
		enum name_id id = order[i];

		s = r->date_text[id];
		if (!s)
			continue;
		if (id == N_DOWNLOAD_DATE &&
		    !strncasecmp(s, older, sizeof(older) - 1))
			s += sizeof(older) - 1;
		if (ctm_date_parse(s, out))
			reject(r, CTM_EPARSE, r->date_line[id], names[id],
			       "not a date: \"%.100s\"", r->date_text[id]);
		return;
	}
}

/* ---- what the filter is asked about ---- */

static const enum name_id last_update_order[3] = {
	N_LAST_UPDATE_SUBMITTED, N_LASTCHANGED_DATE, N_LAST_UPDATE_POSTED};

/* Starts gathering the trimmed text of an element into buf. */
static void peek_begin(ctm_xml_reader *r, int which, int depth, char *buf,
		       size_t size)
{
	struct short_text *s = &r->peek_text;

	r->peek = which;
	r->peek_depth = depth;
	s->buf = buf;
	s->size = size;
	s->len = s->end = 0;
	s->started = s->over = false;
}

static void peek_add(struct short_text *s, const xmlChar *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = (char)p[i];

		if (!s->started) {
			if (xml_space(c))
				continue;
			s->started = true;
		}
		if (s->len < s->size) {
			s->buf[s->len++] = c;
			if (!xml_space(c))
				s->end = s->len;
		} else if (!xml_space(c)) {
			s->over = true;
		}
	}
}

/* An element of the record starts, `depth` levels below the root. */
static void peek_start(ctm_xml_reader *r, const xmlChar *name, int depth)
{
	int d = depth - r->rec_depth, i;

	if (r->peek >= 0)
		return;
	if (d == 1) {
		if (is_name(r, name, N_ID_INFO)) {
			r->in_id_info = true;
			return;
		}
		for (i = 0; i < 3; i++) {
			if (r->last_seen[i] ||
			    !is_name(r, name, last_update_order[i]))
				continue;
			r->last_seen[i] = true;
			peek_begin(r, 1 + i, depth, r->peek_date[i],
				   sizeof(r->peek_date[i]));
			return;
		}
	} else if (d == 2 && r->in_id_info && !r->have_id &&
		   is_name(r, name, N_NCT_ID)) {
		r->have_id = true;
		peek_begin(r, 0, depth, r->peek_id, sizeof(r->peek_id));
	}
}

static void peek_end(ctm_xml_reader *r, int depth)
{
	struct short_text *s = &r->peek_text;

	if (r->peek >= 0 && depth == r->peek_depth) {
		/* too long for the key: the record is read whole */
		if (s->over || s->end >= s->size) {
			r->told = false;
			s->buf[0] = '\0';
		} else {
			s->buf[s->end] = '\0';
		}
		r->peek = -1;
	} else if (r->peek < 0 && depth == r->rec_depth + 1) {
		r->in_id_info = false;
	}
}

/*
 * The record just read tells its id and last-update date: notes them in q
 * for the filter, asked when the record is handed out.
 */
static void filter_question(ctm_xml_reader *r, struct result *q)
{
	uint32_t num;
	int i;

	q->ask = false;
	q->when = 0;
	if (!r->told || !r->have_id || ctm_nct_parse(r->peek_id, &num))
		return;
	for (i = 0; i < 3; i++) {
		if (!r->last_seen[i] || !r->peek_date[i][0])
			continue;
		if (ctm_date_parse(r->peek_date[i], &q->when))
			return;
		break;
	}
	memcpy(q->id, r->peek_id, sizeof(q->id));
	q->ask = true;
}

/* ---- records ---- */

/* A new slot at the end of the queue, or NULL on out of memory. */
static struct result *queue_push(ctm_xml_reader *r)
{
	struct result *q;
	size_t i;

	if (r->q_len == r->q_cap) {
		size_t cap = r->q_cap ? r->q_cap * 2 : 4;

		q = malloc(cap * sizeof(*q));
		if (!q)
			return NULL;
		for (i = 0; i < r->q_len; i++)
			q[i] = r->queue[(r->q_head + i) % r->q_cap];
		free(r->queue);
		r->queue = q;
		r->q_head = 0;
		r->q_cap = cap;
	}
	q = &r->queue[(r->q_head + r->q_len) % r->q_cap];
	r->q_len++;
	return q;
}

static struct result *queue_last(ctm_xml_reader *r)
{
	return &r->queue[(r->q_head + r->q_len - 1) % r->q_cap];
}

/* Frees the records read and not handed out. */
static void queue_drop(ctm_xml_reader *r)
{
	for (; r->q_len; r->q_len--) {
		ctm_trial_free(r->queue[r->q_head].t);
		r->q_head = (r->q_head + 1) % r->q_cap;
	}
}

/* libxml2 stopped for a reason of ours (out of memory). */
static void stop(ctm_xml_reader *r, int code, const char *message)
{
	if (!r->fail.set) {
		r->fail.set = true;
		r->fail.domain = XML_FROM_NONE;
		r->fail.code = code;
		r->fail.line = parser_line(r);
		r->fail.column = parser_column(r);
		snprintf(r->fail.message, sizeof(r->fail.message), "%s",
			 message);
	}
	xmlStopParser(r->ctxt);
}

static void begin_record(ctm_xml_reader *r, int depth)
{
	r->in_record = true;
	r->t = ctm_trial_new();
	r->rec_depth = depth;
	r->rec_line = parser_line(r);
	r->rec_start = xmlByteConsumed(r->ctxt);
	r->id_info_line = 0;
	r->n_elements = 0;
	r->stack[0] = N_CLINICAL_STUDY;
	r->capturing = false;
	r->rejected = false;
	memset(r->seen, 0, sizeof(r->seen));
	memset(r->date_text, 0, sizeof(r->date_text));
	r->conditions.n = r->keywords.n = r->mesh.n = 0;
	r->other_names.n = r->interventions.n = r->locations.n = 0;
	r->in_id_info = r->have_id = false;
	r->told = true;
	memset(r->last_seen, 0, sizeof(r->last_seen));
	r->peek = -1;
	r->peek_id[0] = '\0';
	if (!r->t)
		reject_nomem(r, r->rec_line, names[N_CLINICAL_STUDY]);
}

/* The record's end tag: queues the trial, its rejection or the skip. */
static void end_record(ctm_xml_reader *r)
{
	static const enum name_id first[] = {N_STUDY_FIRST_POSTED,
					     N_FIRSTRECEIVED_DATE,
					     N_STUDY_FIRST_SUBMITTED};
	static const enum name_id download[] = {N_DOWNLOAD_DATE};
	ctm_trial *t = r->t;
	struct result *q;

	r->t = NULL;
	r->in_record = false;
	check_bytes(r);
	if (!r->rejected && !t->nct_id)
		reject(r, CTM_EPARSE,
		       r->id_info_line ? r->id_info_line : r->rec_line,
		       "nct_id", "missing <id_info><nct_id>");
	if (!r->rejected) {
		pick_date(r, first, 3, &t->first_posted);
		pick_date(r, last_update_order, 3, &t->last_update);
		pick_date(r, download, 1, &t->download_date);
	}
	if (!r->rejected) {
		t->n_conditions = r->conditions.n;
		t->n_keywords = r->keywords.n;
		t->n_condition_mesh = r->mesh.n;
		t->n_interventions = r->interventions.n;
		t->n_locations = r->locations.n;
		t->conditions = vec_to_arena(t, &r->conditions, sizeof(char *));
		t->keywords = vec_to_arena(t, &r->keywords, sizeof(char *));
		t->condition_mesh = vec_to_arena(t, &r->mesh, sizeof(char *));
		t->interventions = vec_to_arena(t, &r->interventions,
						sizeof(ctm_intervention));
		t->locations =
			vec_to_arena(t, &r->locations, sizeof(ctm_location));
		if ((t->n_conditions && !t->conditions) ||
		    (t->n_keywords && !t->keywords) ||
		    (t->n_condition_mesh && !t->condition_mesh) ||
		    (t->n_interventions && !t->interventions) ||
		    (t->n_locations && !t->locations))
			reject_nomem(r, r->rec_line, names[N_CLINICAL_STUDY]);
	}
	q = queue_push(r);
	if (!q) {
		ctm_trial_free(t);
		stop(r, XML_ERR_NO_MEMORY, "out of memory");
		return;
	}
	q->t = NULL;
	q->ask = false;
	q->root = r->rec_depth == 0;
	if (r->filter)
		filter_question(r, q);
	if (r->rejected) {
		ctm_trial_free(t);
		ctm_error_clear(&q->err);
		q->rc = ctm_error_set(&q->err, r->rej_code, r->name,
				      r->rej_line, 0, "%s", r->rej_msg);
		ctm_error_set_field(&q->err, r->rej_field);
	} else {
		q->t = t;
		q->rc = 1;
	}
}

/* ---- SAX2 handlers ---- */

static void sax_start(void *ctx, const xmlChar *name, const xmlChar *prefix,
		      const xmlChar *uri, int n_ns, const xmlChar **ns,
		      int n_attrs, int n_defaulted, const xmlChar **attrs)
{
	ctm_xml_reader *r = ctx;
	int depth = r->depth++;

	if (r->fail.set)
		return;
	if (r->doctype) { /* the DTD was read through: stop at the root */
		xmlStopParser(r->ctxt);
		return;
	}
	if (r->in_record) {
		if (r->filter)
			peek_start(r, name, depth);
		on_start(r, name, depth);
		return;
	}
	if (r->skip_depth >= 0)
		return;
	if (depth == 0) {
		r->root_open = true;
		r->root_line = parser_line(r);
		snprintf(r->root_name, sizeof(r->root_name), "%s",
			 (const char *)name);
	}
	if (!xmlStrEqual(name, (const xmlChar *)names[N_CLINICAL_STUDY])) {
		/* the root is a wrapper: read into it; anything else below
		 * it is skipped whole */
		if (depth > 0)
			r->skip_depth = depth;
		return;
	}
	r->any_record = true;
	r->interned = name == r->name_ptr[N_CLINICAL_STUDY];
	begin_record(r, depth);
}

static void sax_end(void *ctx, const xmlChar *name, const xmlChar *prefix,
		    const xmlChar *uri)
{
	ctm_xml_reader *r = ctx;
	int depth = --r->depth;

	if (r->fail.set)
		return;
	if (r->in_record) {
		if (depth == r->rec_depth) {
			end_record(r);
		} else {
			if (r->filter)
				peek_end(r, depth);
			on_end(r, depth);
		}
	} else if (depth == r->skip_depth) {
		r->skip_depth = -1;
	}
	if (depth == 0) {
		r->root_open = false;
		r->root_closed = true;
	}
}

static void sax_text(void *ctx, const xmlChar *s, int len)
{
	ctm_xml_reader *r = ctx;

	if (!r->in_record || r->fail.set || len <= 0)
		return;
	if (r->peek >= 0)
		peek_add(&r->peek_text, s, (size_t)len);
	if (r->capturing)
		append_text(r, s, (size_t)len);
}

/*
 * A <!DOCTYPE>: refused. Its declarations go to no handler, so no entity
 * is defined; the parser reads on to the root's start tag (a malformed
 * declaration is reported as such) and stops there.
 */
static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
			const xmlChar *sys)
{
	ctm_xml_reader *r = ctx;

	r->doctype = true;
}

/*
 * Comments are dropped; the handler is there for libxml2's messages, which
 * quote a comment's start only when a handler takes comments.
 */
static void sax_comment(void *ctx, const xmlChar *value)
{
}

/* ---- the reader ---- */

/*
 * Gives the parser the next piece of the document (the last one with
 * `terminate`). 0, or CTM_EIO when the file cannot be read.
 */
static int feed(ctm_xml_reader *r, ctm_error *err)
{
	const char *p;
	size_t n;
	bool last;

	if (r->buf) {
		p = r->buf + r->buf_off;
		n = r->buf_len - r->buf_off;
		if (n > FEED_BYTES)
			n = FEED_BYTES;
		r->buf_off += n;
		last = r->buf_off == r->buf_len;
	} else {
		ssize_t got;
		char why[128];

		do
			got = read(r->fd, r->chunk, FEED_BYTES);
		while (got < 0 && errno == EINTR);
		if (got < 0) {
			if (strerror_r(errno, why, sizeof(why)))
				snprintf(why, sizeof(why), "error %d", errno);
			r->done = true;
			return ctm_error_set(err, CTM_EIO, r->name,
					     parser_line(r), 0,
					     "cannot read: %s", why);
		}
		p = r->chunk;
		n = (size_t)got;
		if (r->file_left >= 0)
			r->file_left -= got < r->file_left ? got : r->file_left;
		last = got == 0 || r->file_left == 0;
	}
	xmlParseChunk(r->ctxt, p, (int)n, last);
	r->fed = last;
	return 0;
}

/* Reads on until a record is read or the document ends. */
static int next_record(ctm_xml_reader *r, ctm_trial **out, ctm_error *err)
{
	struct result *q;
	int rc;

	for (;;) {
		if (r->q_len) {
			q = &r->queue[r->q_head];
			r->q_head = (r->q_head + 1) % r->q_cap;
			r->q_len--;
			if (q->ask &&
			    r->filter(r->filter_ctx, q->id, q->when)) {
				ctm_trial_free(q->t);
				q->t = NULL;
				return CTM_RECORD_SKIPPED;
			}
			if (q->rc == 1)
				*out = q->t;
			else
				*err = q->err;
			q->t = NULL;
			return q->rc;
		}
		if (r->fail.set)
			return doc_fail(r, err);
		if (r->doctype) {
			r->done = true;
			return ctm_error_set(
				err, CTM_EPARSE, r->name, doctype_line(r), 0,
				"document type declaration (<!DOCTYPE>) "
				"refused: records have none, and DTDs and "
				"entities are never read");
		}
		if (!r->ctxt->wellFormed)
			return doc_fail(r, err);
		if (r->fed) {
			r->done = true;
			if (!r->any_record)
				return ctm_error_set(
					err, CTM_EPARSE, r->name, r->root_line,
					0,
					"no <clinical_study> element in the "
					"document (its root is <%s>)",
					r->root_name);
			return 0;
		}
		r->root_closed = false;
		if ((rc = feed(r, err)))
			return rc;
		/* A root that ends in the piece where an error is met has
		 * not ended for us: a record that is the root is not handed
		 * out, and a document with junk after it reads as before
		 * (the xmlTextReader read on past a root's end tag before
		 * it handed it out). Records in a wrapper, read whole
		 * before the error, are handed out. */
		if ((r->fail.set || !r->ctxt->wellFormed) && r->root_closed) {
			r->root_open = true;
			if (r->q_len && queue_last(r)->root) {
				ctm_trial_free(queue_last(r)->t);
				r->q_len--;
			}
		}
	}
}

static int reader_new(ctm_xml_reader **out, const char *name, ctm_error *err)
{
	ctm_xml_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return ctm_error_set(err, CTM_ENOMEM, name, 0, 0,
				     "out of memory");
	r->fd = -1;
	r->file_left = -1;
	r->skip_depth = -1;
	r->peek = -1;
	r->name = strdup(name);
	if (!r->name || !grow_text(r, 4096)) {
		free(r->name);
		free(r->text);
		free(r);
		return ctm_error_set(err, CTM_ENOMEM, name, 0, 0,
				     "out of memory");
	}
	*out = r;
	return 0;
}

/*
 * Creates the push parser on the document's first bytes (head, n <= 4:
 * libxml2 guesses the encoding from them) and interns the names.
 */
static int reader_start(ctm_xml_reader *r, const char *head, size_t n,
			ctm_error *err)
{
	xmlSAXHandler sax;
	int i;

	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = sax_start;
	sax.endElementNs = sax_end;
	sax.characters = sax_text;
	sax.ignorableWhitespace = sax_text;
	sax.cdataBlock = sax_text;
	sax.internalSubset = sax_doctype;
	sax.comment = sax_comment;
	sax.serror = (xmlStructuredErrorFunc)on_xml_error;
	r->ctxt = xmlCreatePushParserCtxt(&sax, r, n ? head : NULL, (int)n,
					  r->name);
	if (!r->ctxt)
		return r->fail.set
			       ? doc_fail(r, err)
			       : ctm_error_set(err, CTM_ENOMEM, r->name, 0, 0,
					       "cannot create an XML "
					       "parser");
	xmlCtxtUseOptions(r->ctxt, XML_OPTIONS);
	for (i = 0; i < N_COUNT_; i++) {
		r->name_ptr[i] = xmlDictLookup(r->ctxt->dict,
					       (const xmlChar *)names[i], -1);
		if (!r->name_ptr[i])
			return ctm_error_set(err, CTM_ENOMEM, r->name, 0, 0,
					     "out of memory");
	}
	return 0;
}

int ctm_xml_open_file(ctm_xml_reader **out, const char *path, ctm_error *err)
{
	ctm_xml_reader *r = NULL;
	struct guard g;
	struct stat st;
	char why[128];
	int rc;

	*out = NULL;
	ctm_error_clear(err);
	if ((rc = reader_new(&r, path, err)))
		return rc;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0 || fstat(r->fd, &st) != 0) {
		if (strerror_r(errno, why, sizeof(why)))
			snprintf(why, sizeof(why), "error %d", errno);
		rc = ctm_error_set(err, CTM_EIO, path, 0, 0, "cannot open: %s",
				   why);
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = ctm_error_set(err, CTM_EIO, path, 0, 0,
				   "is a directory, not an XML file");
		goto done;
	}
	r->empty = st.st_size == 0 && S_ISREG(st.st_mode);
	if (S_ISREG(st.st_mode))
		r->file_left = (long long)st.st_size;
	r->chunk = malloc(FEED_BYTES);
	if (!r->chunk) {
		rc = ctm_error_set(err, CTM_ENOMEM, path, 0, 0,
				   "out of memory");
		goto done;
	}
	init_libxml2();
	guard_enter(r, &g);
	rc = reader_start(r, NULL, 0, err);
	guard_leave(&g);
done:
	if (rc) {
		ctm_xml_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int ctm_xml_open_memory(ctm_xml_reader **out, const char *buf, size_t len,
			const char *name, ctm_error *err)
{
	ctm_xml_reader *r = NULL;
	struct guard g;
	size_t head;
	int rc;

	*out = NULL;
	ctm_error_clear(err);
	if (!name)
		name = "memory";
	if (len > INT_MAX)
		return ctm_error_set(err, CTM_ELIMIT, name, 0, 0,
				     "document of %zu bytes is too large", len);
	if ((rc = reader_new(&r, name, err)))
		return rc;
	r->empty = len == 0;
	r->buf = buf ? buf : "";
	r->buf_len = buf ? len : 0;
	head = r->buf_len < 4 ? 0 : 4;
	r->buf_off = head;
	init_libxml2();
	guard_enter(r, &g);
	rc = reader_start(r, r->buf, head, err);
	guard_leave(&g);
	if (rc) {
		ctm_xml_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int ctm_xml_next(ctm_xml_reader *r, ctm_trial **out, ctm_error *err)
{
	struct guard g;
	int rc;

	*out = NULL;
	ctm_error_clear(err);
	if (!r || r->done)
		return 0;
	if (r->empty) {
		r->done = true;
		return ctm_error_set(err, CTM_EPARSE, r->name, 0, 0,
				     "the document is empty");
	}
	guard_enter(r, &g);
	rc = next_record(r, out, err);
	guard_leave(&g);
	return rc;
}

void ctm_xml_set_filter(ctm_xml_reader *r, ctm_record_filter fn, void *ctx)
{
	r->filter = fn;
	r->filter_ctx = ctx;
}

void ctm_xml_close(ctm_xml_reader *r)
{
	if (!r)
		return;
	if (r->ctxt) {
		if (r->ctxt->myDoc)
			xmlFreeDoc(r->ctxt->myDoc);
		xmlFreeParserCtxt(r->ctxt);
	}
	if (r->fd >= 0)
		close(r->fd);
	if (r->q_cap)
		queue_drop(r);
	free(r->queue);
	ctm_trial_free(r->t);
	free(r->conditions.p);
	free(r->keywords.p);
	free(r->mesh.p);
	free(r->other_names.p);
	free(r->interventions.p);
	free(r->locations.p);
	free(r->text);
	free(r->chunk);
	free(r->name);
	free(r);
}
