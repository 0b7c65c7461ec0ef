/*
 * fuzz_text.c - fuzz target: the text-bounce extractors (dsn_text.c).
 *
 * The input is read three ways: as the text of a notice
 * (pb_dsn_text_parse, pb_dsn_detect_inline_offset, the classifier's
 * text rules); as the whole body of a mailer's bounce without a report
 * part (pb_dsn_text_fallback through pb_process); and as the notice
 * part of a multipart/report whose report names the same recipient
 * (pb_dsn_text_enrich).  Properties as fuzz_dsn_fields.c, plus: a
 * changed result renders, and its header edits hold no line end.
 */
#include "config.h"

#include <string.h>

#include "classify.h"
#include "dsn_detect.h"
#include "dsn_text.h"
#include "fuzz_explain.h"


static const char mailer_head[] =
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
    "To: alice@example.com\n"
    "Subject: Undelivered Mail Returned to Sender\n\n";

static const char report_head[] =
    "From: MAILER-DAEMON@mx.example.net\n"
    "To: alice@example.com\n"
    "Subject: Delivery Status Notification (Failure)\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"=_fuzz_=\"\n\n"
    "--=_fuzz_=\n"
    "Content-Type: text/plain; charset=utf-8\n\n";

static const char report_tail[] =
    "\n--=_fuzz_=\n"
    "Content-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mx.example.net\n\n"
    "Final-Recipient: rfc822; bob@example.org\n"
    "Action: failed\n"
    "Status: 5.0.0\n\n"
    "--=_fuzz_=--\n";

/* wrapped - run pb_process on head + data + tail */
static void
wrapped(const struct pb_ctx *ctx, const char *head, size_t hn,
        const uint8_t *data, size_t size, const char *tail, size_t tn)
{
	struct pb_result *res;
	char *msg, *out;
	size_t i, outlen;

	if ((msg = malloc(hn + size + tn)) == NULL)
		return;
	memcpy(msg, head, hn);
	memcpy(msg + hn, data, size);
	memcpy(msg + hn + size, tail, tn);
	if (pb_process(ctx, msg, hn + size + tn, &res) == PB_OK) {
		for (i = 0; i < res->nedits; i++)
			FUZZ_CHECK(strpbrk(res->edits[i].value, "\r\n") == NULL);
		if (pb_result_render(res, msg, hn + size + tn, &out,
		                     &outlen) == PB_OK)
			free(out);
		pb_result_free(res);
	}
	free(msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pb_ctx *ctx;
	struct pb_dsn_report *rep;
	struct pb_options opt;
	char *text;
	size_t i;

	if (ctx == NULL) {
		pb_options_init(&opt);
		opt.limits = fuzz_small_limits;
		FUZZ_CHECK(pb_ctx_new(&opt, &ctx) == PB_OK);
	}
	if (pb_dsn_text_parse((const char *)data, size, &fuzz_small_limits,
	                      &rep) == PB_OK) {
		FUZZ_CHECK(rep->nrcpts <= fuzz_small_limits.max_rcpts);
		for (i = 0; i < rep->nrcpts; i++)
			FUZZ_CHECK(strlen(rep->rcpts[i].diagnostic) <=
			           fuzz_small_limits.max_field_len);
		fuzz_explain_check(rep->rcpts, rep->nrcpts, NULL);
		pb_dsn_report_free(rep);
	}
	(void)pb_dsn_detect_inline_offset((const char *)data, size);
	if ((text = malloc(size + 1)) != NULL) {
		memcpy(text, data, size);
		text[size] = '\0';
		(void)pb_classify_text(text);
		free(text);
	}
	wrapped(ctx, mailer_head, sizeof(mailer_head) - 1, data, size, "", 0);
	wrapped(ctx, report_head, sizeof(report_head) - 1, data, size,
	        report_tail, sizeof(report_tail) - 1);
	return 0;
}
