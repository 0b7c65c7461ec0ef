/*
 * check_process.c - end-to-end tests through the public interface
 * (plainbounce.h only): pb_ctx_new, pb_process, pb_result_render and
 * pb_result_free on small messages in every mode, and the error paths.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "plainbounce.h"

Suite *process_suite(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A minimal Postfix-style bounce, built from parts so that the tests can
 * look for the report part in the output. */
#define DSN_HEAD                                                               \
	"Return-Path: <>\n"                                                    \
	"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\n"        \
	"To: ivy@example.com\n"                                                \
	"Subject: Undelivered Mail Returned to Sender\n"                       \
	"Auto-Submitted: auto-replied\n"                                       \
	"MIME-Version: 1.0\n"                                                  \
	"Content-Type: multipart/report; report-type=delivery-status;\n"       \
	"\tboundary=\"B.1741278007/mail.example.net\"\n"

#define DS_FAILED                                                              \
	"Content-Description: Delivery report\n"                               \
	"Content-Type: message/delivery-status\n"                              \
	"\n"                                                                   \
	"Reporting-MTA: dns; mail.example.net\n"                               \
	"Arrival-Date: Thu,  6 Mar 2025 16:20:05 +0000 (UTC)\n"                \
	"\n"                                                                   \
	"Final-Recipient: rfc822; bob@example.org\n"                           \
	"Original-Recipient: rfc822;bob@example.org\n"                         \
	"Action: failed\n"                                                     \
	"Status: 5.1.1\n"                                                      \
	"Remote-MTA: dns; mx.example.org\n"                                    \
	"Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: Recipient\n"      \
	"    address rejected: User unknown in virtual alias table\n"

#define DS_DELAYED                                                             \
	"Content-Description: Delivery report\n"                               \
	"Content-Type: message/delivery-status\n"                              \
	"\n"                                                                   \
	"Reporting-MTA: dns; mail.example.net\n"                               \
	"\n"                                                                   \
	"Final-Recipient: rfc822; bob@example.org\n"                           \
	"Action: delayed\n"                                                    \
	"Status: 4.4.1\n"                                                      \
	"Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.7]:\n"  \
	"    25: Connection timed out\n"                                       \
	"Will-Retry-Until: Thu, 11 Mar 2025 16:20:05 +0000 (UTC)\n"

#define ORIG_PART                                                              \
	"Content-Description: Undelivered Message Headers\n"                   \
	"Content-Type: text/rfc822-headers\n"                                  \
	"\n"                                                                   \
	"From: Ivy Chen <ivy@example.com>\n"                                   \
	"To: Alumni Club <alumni@example.net>\n"                               \
	"Subject: Reunion dinner\n"

#define DSN_BODY(ds)                                                           \
	"\n"                                                                   \
	"This is a MIME-encapsulated message.\n"                               \
	"\n"                                                                   \
	"--B.1741278007/mail.example.net\n"                                    \
	"Content-Description: Notification\n"                                  \
	"Content-Type: text/plain; charset=us-ascii\n"                         \
	"\n"                                                                   \
	"This is the mail system at host mail.example.net.\n"                  \
	"\n"                                                                   \
	"<bob@example.org>: host mx.example.org said: 550 5.1.1 unknown\n"     \
	"\n"                                                                   \
	"--B.1741278007/mail.example.net\n" ds "\n"                            \
	"--B.1741278007/mail.example.net\n" ORIG_PART "\n"                     \
	"--B.1741278007/mail.example.net--\n"

static const char dsn_failed[] = DSN_HEAD DSN_BODY(DS_FAILED);
static const char dsn_delayed[] = DSN_HEAD DSN_BODY(DS_DELAYED);
static const char dsn_marked[] = DSN_HEAD
    "X-Plainbounce: kind=failure; reason=userunknown\n" DSN_BODY(DS_FAILED);
static const char plain_mail[] = "From: Ivy Chen <ivy@example.com>\n"
                                 "To: bob@example.org\n"
                                 "Subject: Lunch\n"
                                 "Message-ID: <5b6c7d8e@example.com>\n"
                                 "\n"
                                 "See you at noon.\n";

static const struct {
	const char *name;
	const char *msg;
	const char *ds; /* the report part, to be found unchanged, or NULL */
	bool crlf;      /* convert the message to CRLF first */
	enum pb_mode mode;
	enum pb_kind kind;
	bool marked, changed, body_replaced;
	size_t nedits;
	const char *marker; /* X-Plainbounce value, NULL: not checked */
} cases[] = {
    {"failure DSN, LF", dsn_failed, DS_FAILED, false, PB_MODE_REWRITE,
     PB_KIND_FAILURE, false, true, true, 1,
     "kind=failure; reason=userunknown; status=5.1.1"},
    {"failure DSN, CRLF", dsn_failed, DS_FAILED, true, PB_MODE_REWRITE,
     PB_KIND_FAILURE, false, true, true, 1,
     "kind=failure; reason=userunknown; status=5.1.1"},
    {"delay DSN", dsn_delayed, DS_DELAYED, false, PB_MODE_REWRITE,
     PB_KIND_DELAY, false, true, true, 1, NULL},
    {"non-bounce", plain_mail, NULL, false, PB_MODE_REWRITE, PB_KIND_NONE,
     false, false, false, 0, NULL},
    {"non-bounce, CRLF", plain_mail, NULL, true, PB_MODE_REWRITE, PB_KIND_NONE,
     false, false, false, 0, NULL},
    {"already marked", dsn_marked, DS_FAILED, false, PB_MODE_REWRITE,
     PB_KIND_FAILURE, true, false, false, 0, NULL},
    {"header only", dsn_failed, DS_FAILED, false, PB_MODE_HEADER_ONLY,
     PB_KIND_FAILURE, false, true, false, 1,
     "kind=failure; reason=userunknown; status=5.1.1"},
    {"header only, CRLF", dsn_failed, DS_FAILED, true, PB_MODE_HEADER_ONLY,
     PB_KIND_FAILURE, false, true, false, 1,
     "kind=failure; reason=userunknown; status=5.1.1"},
    {"dry run", dsn_failed, DS_FAILED, false, PB_MODE_DRY_RUN, PB_KIND_FAILURE,
     false, false, false, 0, NULL},
};

/* convert - returns new: s with LF turned into CRLF when crlf */
static char *
convert(const char *s, bool crlf, size_t *len)
{
	size_t n = strlen(s), i, j;
	char *d = malloc(2 * n + 1);

	ck_assert_ptr_nonnull(d);
	for (i = j = 0; i < n; i++) {
		if (crlf && s[i] == '\n')
			d[j++] = '\r';
		d[j++] = s[i];
	}
	d[j] = '\0';
	*len = j;
	return d;
}

/* contains - does hay[0..n) hold needle[0..m)? */
static bool
contains(const char *hay, size_t n, const char *needle, size_t m)
{
	size_t i;

	for (i = 0; m <= n && i <= n - m; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return true;
	return false;
}

/* new_ctx - a context for mode with the defaults otherwise */
static struct pb_ctx *
new_ctx(enum pb_mode mode)
{
	struct pb_options opt;
	struct pb_ctx *ctx = NULL;

	pb_options_init(&opt);
	opt.mode = mode;
	ck_assert_int_eq(pb_ctx_new(&opt, &ctx), PB_OK);
	ck_assert_ptr_nonnull(ctx);
	return ctx;
}

/* check_render - the rendered message of row i */
static void
check_render(size_t i, const struct pb_result *res, const char *msg, size_t len)
{
	const char *eol = cases[i].crlf ? "\r\n" : "\n";
	char *out = NULL, *want, *ds, *orig;
	size_t outlen = 0, dslen, origlen, k, he;

	ck_assert_int_eq(pb_result_render(res, msg, len, &out, &outlen), PB_OK);
	ck_assert_ptr_nonnull(out);
	if (!res->changed) {
		ck_assert_msg(
		    outlen == len && memcmp(out, msg, len) == 0,
		    "case \"%s\": unchanged message rendered differently",
		    cases[i].name);
		free(out);
		return;
	}
	/* the report and the returned headers, byte for byte */
	ds = convert(cases[i].ds, cases[i].crlf, &dslen);
	orig = convert(ORIG_PART, cases[i].crlf, &origlen);
	ck_assert_msg(contains(out, outlen, ds, dslen),
	              "case \"%s\": delivery-status part changed:\n%s",
	              cases[i].name, out);
	ck_assert_msg(contains(out, outlen, orig, origlen),
	              "case \"%s\": returned headers changed", cases[i].name);
	free(ds);
	free(orig);
	/* one kind of line end throughout */
	for (k = 0; k < outlen; k++) {
		if (cases[i].crlf)
			ck_assert_msg(
			    out[k] != '\n' || (k > 0 && out[k - 1] == '\r'),
			    "case \"%s\": bare LF at %zu", cases[i].name, k);
		else
			ck_assert_msg(out[k] != '\r', "case \"%s\": CR at %zu",
			              cases[i].name, k);
	}
	/* without a new body: the input with the marker added to the
	 * header */
	if (!res->body_replaced) {
		const char *blank = cases[i].crlf ? "\r\n\r\n" : "\n\n";
		const char *p = strstr(msg, blank);
		ck_assert_ptr_nonnull(p);
		he = (size_t)(p - msg) + strlen(eol);
		want = malloc(len + strlen(res->marker) + 64);
		ck_assert_ptr_nonnull(want);
		memcpy(want, msg, he);
		sprintf(want + he, "%s: %s%s", PB_MARKER_HEADER, res->marker,
		        eol);
		memcpy(want + strlen(want), msg + he, len - he + 1);
		ck_assert_msg(outlen == strlen(want) && strcmp(out, want) == 0,
		              "case \"%s\": got\n%s\nwant\n%s", cases[i].name,
		              out, want);
		free(want);
	} else {
		ck_assert_msg(contains(out, outlen, "bob@example.org", 15) &&
		                  outlen > len,
		              "case \"%s\": no explanation", cases[i].name);
	}
	free(out);
}

START_TEST(process)
{
	struct pb_ctx *ctx = new_ctx(cases[_i].mode);
	struct pb_result *res = NULL;
	size_t len, k;
	char *msg = convert(cases[_i].msg, cases[_i].crlf, &len);

	ck_assert_int_eq(pb_process(ctx, msg, len, &res), PB_OK);
	ck_assert_ptr_nonnull(res);
	ck_assert_msg(res->kind == cases[_i].kind, "case \"%s\": kind %s",
	              cases[_i].name, pb_kind_name(res->kind));
	ck_assert_msg(res->bounce == (cases[_i].kind == PB_KIND_FAILURE ||
	                              cases[_i].kind == PB_KIND_DELAY),
	              "case \"%s\": bounce %d", cases[_i].name, res->bounce);
	ck_assert_msg(res->already_marked == cases[_i].marked,
	              "case \"%s\": already_marked %d", cases[_i].name,
	              res->already_marked);
	ck_assert_msg(res->changed == cases[_i].changed,
	              "case \"%s\": changed %d", cases[_i].name, res->changed);
	ck_assert_msg(res->body_replaced == cases[_i].body_replaced,
	              "case \"%s\": body_replaced %d", cases[_i].name,
	              res->body_replaced);
	ck_assert_msg(res->nedits == cases[_i].nedits, "case \"%s\": %zu edits",
	              cases[_i].name, res->nedits);
	ck_assert_msg(res->defects == 0, "case \"%s\": defects %#x",
	              cases[_i].name, res->defects);
	ck_assert_ptr_nonnull(res->reporting_mta);
	if (res->bounce) {
		ck_assert_uint_eq(res->nrcpts, 1);
		ck_assert_str_eq(res->rcpts[0].addr, "bob@example.org");
		ck_assert_str_eq(res->reporting_mta, "mail.example.net");
		ck_assert(res->rcpts[0].failed);
	} else {
		ck_assert_uint_eq(res->nrcpts, 0);
	}
	for (k = 0; k < res->nedits; k++)
		ck_assert_msg(strpbrk(res->edits[k].value, "\r\n") == NULL,
		              "case \"%s\": line break in edit %zu",
		              cases[_i].name, k);
	if (res->changed) {
		const struct pb_edit *e = &res->edits[res->nedits - 1];
		ck_assert_ptr_nonnull(res->marker);
		ck_assert_int_eq(e->op, PB_EDIT_ADD);
		ck_assert_str_eq(e->name, PB_MARKER_HEADER);
		ck_assert_str_eq(e->value, res->marker);
		if (cases[_i].marker != NULL)
			ck_assert_str_eq(res->marker, cases[_i].marker);
	}
	if (!res->body_replaced)
		ck_assert_msg(res->body == NULL && res->body_len == 0,
		              "case \"%s\": body without body_replaced",
		              cases[_i].name);
	check_render(_i, res, msg, len);
	pb_result_free(res);
	pb_ctx_free(ctx);
	free(msg);
}
END_TEST

/* --- errors ------------------------------------------------------------ */

START_TEST(process_over_size)
{
	struct pb_options opt;
	struct pb_ctx *ctx;
	struct pb_result *res = (struct pb_result *)(void *)&opt;

	pb_options_init(&opt);
	opt.limits.max_message_size = sizeof(dsn_failed) - 2;
	ck_assert_int_eq(pb_ctx_new(&opt, &ctx), PB_OK);
	ck_assert_int_eq(
	    pb_process(ctx, dsn_failed, sizeof(dsn_failed) - 1, &res),
	    PB_ELIMIT);
	ck_assert_ptr_null(res);
	/* one byte less fits */
	ck_assert_int_eq(
	    pb_process(ctx, dsn_failed, sizeof(dsn_failed) - 2, &res), PB_OK);
	pb_result_free(res);
	pb_ctx_free(ctx);
}
END_TEST

START_TEST(ctx_unknown_language)
{
	struct pb_options opt;
	struct pb_ctx *ctx = (struct pb_ctx *)(void *)&opt;

	pb_options_init(&opt);
	opt.lang = "xx";
	ck_assert_int_eq(pb_ctx_new(&opt, &ctx), PB_ECATALOG);
	ck_assert_ptr_null(ctx);
}
END_TEST

START_TEST(ctx_bad_limits)
{
	struct pb_options opt;
	struct pb_ctx *ctx;

	pb_options_init(&opt);
	opt.limits.max_rcpts = 0;
	ck_assert_int_eq(pb_ctx_new(&opt, &ctx), PB_EINVAL);
	ck_assert_ptr_null(ctx);
	ck_assert_int_eq(pb_ctx_new(NULL, &ctx), PB_EINVAL);
	ck_assert_ptr_null(ctx);
}
END_TEST

START_TEST(process_null_ctx)
{
	struct pb_result *res = (struct pb_result *)(void *)&res;

	ck_assert_int_eq(pb_process(NULL, plain_mail, strlen(plain_mail), &res),
	                 PB_EINVAL);
	ck_assert_ptr_null(res);
	pb_result_free(NULL);
	pb_ctx_free(NULL);
}
END_TEST

Suite *
process_suite(void)
{
	Suite *s = suite_create("process");
	TCase *tc;

	tc = tcase_create("messages");
	tcase_add_loop_test(tc, process, 0, NELEM(cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, process_over_size);
	tcase_add_test(tc, ctx_unknown_language);
	tcase_add_test(tc, ctx_bad_limits);
	tcase_add_test(tc, process_null_ctx);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(process_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
