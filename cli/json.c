/*
 * json.c - print a pb_result as one line of JSON (DESIGN.md section 8).
 *
 * Input:     a result and the file name it came from (borrowed).
 * Output:    one line on the stream.  Strings from the bounce are
 *            untrusted: control characters are escaped and bytes that
 *            are not valid UTF-8 become U+FFFD, so the line is always
 *            valid JSON.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "json.h"
#include "pb_int.h"

/* put_string - a JSON string literal */
static void
put_string(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, l;

	fputc('"', fp);
	while (i < n) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			fputc('\\', fp);
			fputc(c, fp);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u%04x", c);
			i++;
		} else if ((l = pb_utf8_len(p + i, n - i)) == 0) {
			fputs("\\ufffd", fp);
			i++;
		} else {
			fwrite(p + i, 1, l, fp);
			i += l;
		}
	}
	fputc('"', fp);
}

/* put_kv - "key": "value" with a leading comma unless first */
static void
put_kv(FILE *fp, const char *key, const char *value, int first)
{
	if (!first)
		fputs(", ", fp);
	put_string(fp, key);
	fputs(": ", fp);
	put_string(fp, value);
}

int
json_write_result(FILE *fp, const char *file, const struct pb_result *res)
{
	size_t i, n = 0;

	fputs("{", fp);
	put_kv(fp, "file", file, 1);
	fprintf(fp, ", \"bounce\": %s", res->bounce ? "true" : "false");
	fprintf(fp, ", \"backscatter\": %s",
	        res->backscatter ? "true" : "false");
	put_kv(fp, "kind", pb_kind_name(res->kind), 0);
	put_kv(fp, "reporting_mta", res->reporting_mta, 0);
	fputs(", \"recipients\": [", fp);
	for (i = 0; i < res->nrcpts; i++) {
		const struct pb_rcpt *r = &res->rcpts[i];
		/* a failure report lists what failed; a success DSN what
		 * was delivered */
		if (res->bounce && !r->failed)
			continue;
		fputs(n++ ? ", {" : "{", fp);
		put_kv(fp, "addr", r->addr, 1);
		put_kv(fp, "alias", r->alias, 0);
		put_kv(fp, "status", r->status, 0);
		put_kv(fp, "reply", r->reply, 0);
		put_kv(fp, "reason",
		       res->bounce ? pb_reason_name(r->reason)
		                   : pb_kind_name(res->kind),
		       0);
		put_kv(fp, "rule", r->rule ? r->rule : "", 0);
		put_kv(fp, "action", r->action, 0);
		fprintf(fp, ", \"hard\": %s", r->hard ? "true" : "false");
		put_kv(fp, "fix_owner", pb_fix_owner_name(r->fix_owner), 0);
		put_kv(fp, "rhost", r->rhost, 0);
		put_kv(fp, "command", r->command ? r->command : "", 0);
		put_kv(fp, "diagnostic", r->diagnostic, 0);
		put_kv(fp, "retry_until", r->retry_until, 0);
		put_kv(fp, "explained_by",
		       r->explained_by ? r->explained_by : "", 0);
		fputs("}", fp);
	}
	fprintf(fp, "], \"already_marked\": %s, \"defects\": %u}\n",
	        res->already_marked ? "true" : "false", res->defects);
	return ferror(fp) ? -1 : 0;
}
