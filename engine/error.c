/* error.c - the caller-owned error struct. */
#include <ctm/engine.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ctm_error_clear(ctm_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int ctm_error_set(ctm_error *err, int code, const char *file, int line,
		  int column, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->line = line;
	err->column = column;
	err->file[0] = '\0';
	err->field[0] = '\0'; /* a reused error keeps no stale field */
	if (file)
		snprintf(err->file, sizeof(err->file), "%s", file);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void ctm_error_set_field(ctm_error *err, const char *field)
{
	if (err)
		snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
}

const char *ctm_error_format(const ctm_error *err, char *buf, size_t size)
{
	char loc[32] = "";

	if (!size)
		return buf;
	if (err->file[0] && err->line > 0) {
		if (err->column > 0)
			snprintf(loc, sizeof(loc), ":%d:%d", err->line,
				 err->column);
		else
			snprintf(loc, sizeof(loc), ":%d", err->line);
	}
	char fieldsep[80] = "";

	/* a message that names its field already does not get it twice */
	if (err->field[0]) {
		snprintf(fieldsep, sizeof(fieldsep), "%s:", err->field);
		if (strstr(err->message, fieldsep))
			fieldsep[0] = '\0';
		else
			snprintf(fieldsep, sizeof(fieldsep), "%s: ", err->field);
	}
	snprintf(buf, size, "%s%s%s%s%s", err->file, loc,
		 err->file[0] ? ": " : "", fieldsep,
		 err->message[0] ? err->message : ctm_strerror(err->code));
	return buf;
}

const char *ctm_strerror(int code)
{
	switch (code) {
	case CTM_OK: return "success";
	case CTM_ENOTFOUND: return "not found";
	case CTM_EPARSE: return "malformed input";
	case CTM_EINDEX: return "index error";
	case CTM_ENOMEM: return "out of memory";
	case CTM_EINVALID: return "invalid value";
	case CTM_EIO: return "input/output error";
	case CTM_ELIMIT: return "input too large";
	case CTM_EVERSION: return "unsupported version";
	case CTM_EBUSY: return "resource busy";
	default: return "unknown error";
	}
}
