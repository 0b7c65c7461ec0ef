/*
 * fuzz_dsn_fields.c - fuzz target: the RFC 3464 field parser
 * (pb_dsn_parse) on the body of a message/delivery-status part, then
 * the code finders on a diagnostic, classification and explanation of
 * what it found.
 *
 * Properties: every string of the report is NUL-terminated and at most
 * max_field_len bytes; at most max_rcpts recipients; the explanation's
 * HTML holds no foreign markup (fuzz_explain.c).
 */
#include "config.h"

#include <string.h>

#include "pb_int.h"
#include "dsn_parse.h"
#include "smtp_command.h"
#include "fuzz_explain.h"


/* check_rcpt - the length properties of one recipient */
static void
check_rcpt(const struct pb_rcpt *r)
{
	const char *s[] = {r->addr,   r->alias,      r->action,
	                   r->status, r->reply,      r->rhost,
	                   r->diagnostic, r->retry_until, r->command};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		FUZZ_CHECK(s[i] != NULL);
		FUZZ_CHECK(strlen(s[i]) <= fuzz_small_limits.max_field_len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pb_dsn_report *rep;
	char *text, reply[4], status[12];
	size_t i;

	if (pb_dsn_parse((const char *)data, size, &fuzz_small_limits, &rep) !=
	    PB_OK)
		return 0;
	FUZZ_CHECK(rep->nrcpts <= fuzz_small_limits.max_rcpts);
	FUZZ_CHECK(rep->reporting_mta != NULL);
	for (i = 0; i < rep->nrcpts; i++)
		check_rcpt(&rep->rcpts[i]);
	fuzz_explain_check(rep->rcpts, rep->nrcpts, rep->reporting_mta);
	pb_dsn_report_free(rep);

	/* the finders take a C string: the input up to its first NUL */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	pb_dsn_reply_code(text, reply);
	pb_dsn_find_status(text, status);
	FUZZ_CHECK(strlen(reply) < sizeof(reply));
	FUZZ_CHECK(status[0] == '\0' || pb_is_status_code(status, strlen(status)));
	(void)pb_smtp_command_find(text, size);
	free(text);
	return 0;
}
