/*
 * check_rewrite.c - unit tests of rewrite.c through the public API:
 * pb_process and pb_result_render on in-memory bounces whose first text
 * part uses each transfer encoding.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"
#include "plainbounce.h"

Suite *rewrite_suite(void);

#define HDR_BOUNCE                                                             \
	"Return-Path: <>\n"                                                    \
	"From: MAILER-DAEMON@mail.example.net (Mail Delivery System)\n"        \
	"To: alice@example.net\n"                                              \
	"Subject: Undelivered Mail Returned to Sender\n"                       \
	"MIME-Version: 1.0\n"                                                  \
	"Content-Type: multipart/report; report-type=delivery-status;"         \
	" boundary=\"B\"\n"                                                    \
	"\n"                                                                   \
	"--B\n"

#define DS_PART                                                                \
	"--B\n"                                                                \
	"Content-Type: message/delivery-status\n"                              \
	"\n"                                                                   \
	"Reporting-MTA: dns; mail.example.net\n"                               \
	"\n"                                                                   \
	"Final-Recipient: rfc822; bob@example.org\n"                           \
	"Action: failed\n"                                                     \
	"Status: 5.1.1\n"                                                      \
	"Remote-MTA: dns; mx.example.org\n"                                    \
	"Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: User unknown\n"

#define DS_TAIL DS_PART "--B--\n"

/* The original 7bit text and its quoted-printable lines. */
#define QP_LINE1 "This is the mail system at host mail.example.net.=20\n"
#define QP_LINE2 "I'm sorry to have to inform you that your message could n=\n"
#define QP_LINE3 "ot be delivered.\n"

static const char msg_7bit[] =
    HDR_BOUNCE "Content-Type: text/plain; charset=us-ascii\n"
               "Content-Transfer-Encoding: 7bit\n"
               "\n"
               "This is the mail system at host mail.example.net.\n"
               "\n" DS_TAIL;

static const char msg_qp[] =
    HDR_BOUNCE "Content-Type: text/plain; charset=us-ascii\n"
               "Content-Transfer-Encoding: quoted-printable\n"
               "\n" QP_LINE1 QP_LINE2 QP_LINE3 "\n" DS_TAIL;

static const char msg_b64[] = HDR_BOUNCE
    "Content-Type: text/plain; charset=us-ascii\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "VGhpcyBpcyB0aGUgbWFpbCBzeXN0ZW0gYXQgaG9zdCBtYWlsLmV4YW1wbGUubmV0Lgo=\n"
    "\n" DS_TAIL;

static const char msg_latin1[] =
    HDR_BOUNCE "Content-Type: text/plain; charset=iso-8859-1\n"
               "Content-Transfer-Encoding: 8bit\n"
               "\n"
               "Le message n'a pas pu \xe9tre remis.\n"
               "\n" DS_TAIL;

static const char msg_inline[] = "Return-Path: <>\n"
                                 "From: MAILER-DAEMON@mail.example.net\n"
                                 "To: alice@example.net\n"
                                 "Subject: Returned mail\n"
                                 "\n"
                                 "Your message could not be delivered.\n"
                                 "\n"
                                 "Reporting-MTA: dns; mail.example.net\n"
                                 "\n"
                                 "Final-Recipient: rfc822; bob@example.org\n"
                                 "Action: failed\n"
                                 "Status: 5.1.1\n";

/* render - process and render msg; *res and the rendering are new */
static char *
render(const char *msg, size_t len, struct pb_result **res, size_t *outlen)
{
	struct pb_options opt;
	struct pb_ctx *ctx = NULL;
	char *out = NULL;

	pb_options_init(&opt);
	ck_assert_int_eq(pb_ctx_new(&opt, &ctx), PB_OK);
	ck_assert_int_eq(pb_process(ctx, msg, len, res), PB_OK);
	ck_assert_ptr_nonnull(*res);
	ck_assert_int_eq(pb_result_render(*res, msg, len, &out, outlen), PB_OK);
	ck_assert_ptr_nonnull(out);
	pb_ctx_free(ctx);
	return out;
}

/* find - first occurrence of needle in hay[0..n), or NULL */
static const char *
find(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; m <= n && i <= n - m; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return hay + i;
	return NULL;
}

/* max_line - the length of the longest line of p[0..n), without its end */
static size_t
max_line(const char *p, size_t n)
{
	size_t i, cur = 0, max = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n') {
			if (cur > 0 && p[i - 1] == '\r')
				cur--;
			if (cur > max)
				max = cur;
			cur = 0;
		} else {
			cur++;
		}
	}
	return cur > max ? cur : max;
}

/* part_body - the body of the first part after its header, in out */
static const char *
first_part_body(const char *out, size_t n, const char **end)
{
	const char *p = find(out, n, "\n--B\n"), *b, *e;

	ck_assert_ptr_nonnull(p);
	b = find(p, n - (size_t)(p - out), "\n\n");
	ck_assert_ptr_nonnull(b);
	b += 2;
	e = find(b, n - (size_t)(b - out), "\n--B\n");
	ck_assert_ptr_nonnull(e);
	*end = e;
	return b;
}

/* first_part_header - the header of the first part, as a new string */
static char *
first_part_header(const char *out, size_t n)
{
	const char *p = find(out, n, "\n--B\n"), *b;

	ck_assert_ptr_nonnull(p);
	p += 5;
	b = find(p, n - (size_t)(p - out), "\n\n");
	ck_assert_ptr_nonnull(b);
	return strndup(p, (size_t)(b - p) + 1);
}

/* check_ds_same - the delivery-status part is byte-identical */
static void
check_ds_same(const char *out, size_t n)
{
	ck_assert_msg(find(out, n, DS_TAIL) != NULL,
	              "delivery-status part changed:\n%.*s", (int)n, out);
}

START_TEST(rewrite_7bit)
{
	struct pb_result *res = NULL;
	size_t n = 0;
	char *out = render(msg_7bit, strlen(msg_7bit), &res, &n);
	const char *e, *b = first_part_body(out, n, &e);

	ck_assert(res->changed);
	ck_assert_msg(strncmp(b, "*** ", 4) == 0, "first part starts \"%.20s\"",
	              b);
	ck_assert(find(b, (size_t)(e - b),
	               "This is the mail system at host mail.example.net.\n") !=
	          NULL);
	check_ds_same(out, n);
	ck_assert_uint_le(max_line(out, n), 998);
	free(out);
	pb_result_free(res);
}
END_TEST

START_TEST(rewrite_qp)
{
	struct pb_result *res = NULL;
	size_t n = 0;
	char *out = render(msg_qp, strlen(msg_qp), &res, &n);
	const char *e, *b = first_part_body(out, n, &e), *orig;
	char *h = first_part_header(out, n);

	ck_assert(res->changed);
	ck_assert_msg(find(h, strlen(h), "quoted-printable") != NULL,
	              "header: %s", h);
	orig = find(b, (size_t)(e - b), QP_LINE1 QP_LINE2 QP_LINE3);
	ck_assert_msg(orig != NULL, "original lines lost:\n%.*s", (int)(e - b),
	              b);
	ck_assert_msg(orig > b, "no explanation before the original");
	check_ds_same(out, n);
	ck_assert_uint_le(max_line(out, n), 998);
	free(h);
	free(out);
	pb_result_free(res);
}
END_TEST

START_TEST(rewrite_base64)
{
	struct pb_result *res = NULL;
	size_t n = 0, i, cur = 0;
	char *out = render(msg_b64, strlen(msg_b64), &res, &n);
	const char *e, *b = first_part_body(out, n, &e);
	char *h = first_part_header(out, n);

	ck_assert(res->changed);
	ck_assert_msg(find(h, strlen(h), "base64") != NULL, "header: %s", h);
	ck_assert(e > b);
	for (i = 0; b + i < e; i++) {
		char c = b[i];

		if (c == '\n') {
			ck_assert_uint_le(cur, 76);
			cur = 0;
			continue;
		}
		ck_assert_msg((c >= 'A' && c <= 'Z') ||
		                  (c >= 'a' && c <= 'z') ||
		                  (c >= '0' && c <= '9') || c == '+' ||
		                  c == '/' || c == '=',
		              "byte %#x in a base64 body", (unsigned char)c);
		cur++;
	}
	ck_assert_uint_le(cur, 76);
	check_ds_same(out, n);
	ck_assert_uint_le(max_line(out, n), 998);
	free(h);
	free(out);
	pb_result_free(res);
}
END_TEST

START_TEST(rewrite_latin1)
{
	struct pb_result *res = NULL;
	size_t n = 0;
	char *out = render(msg_latin1, strlen(msg_latin1), &res, &n);
	const char *e, *b = first_part_body(out, n, &e);
	char *h = first_part_header(out, n);

	ck_assert(res->changed);
	ck_assert_msg(find(h, strlen(h), "charset=iso-8859-1") != NULL,
	              "header: %s", h);
	ck_assert(find(b, (size_t)(e - b),
	               "Le message n'a pas pu \xe9tre remis.\n") != NULL);
	check_ds_same(out, n);
	ck_assert_uint_le(max_line(out, n), 998);
	free(h);
	free(out);
	pb_result_free(res);
}
END_TEST

START_TEST(rewrite_inline)
{
	struct pb_result *res = NULL;
	size_t n = 0, i;
	bool marked = false;
	char *out = render(msg_inline, strlen(msg_inline), &res, &n);

	ck_assert(res->changed);
	ck_assert(res->bounce);
	ck_assert_uint_ge(res->nrcpts, 1);
	for (i = 0; i < res->nedits; i++)
		if (strcmp(res->edits[i].name, PB_MARKER_HEADER) == 0)
			marked = true;
	ck_assert(marked);
	ck_assert(find(out, n, "\n*** ") != NULL);
	ck_assert(find(out, n,
	               "Final-Recipient: rfc822; bob@example.org\n"
	               "Action: failed\nStatus: 5.1.1\n") != NULL);
	ck_assert_uint_le(max_line(out, n), 998);
	free(out);
	pb_result_free(res);
}
END_TEST

/* count_lines_from - lines of p[0..n) that start with prefix */
static size_t
count_lines_from(const char *p, size_t n, const char *prefix)
{
	size_t m = strlen(prefix), i, k = 0;

	for (i = 0; i < n; i++)
		if ((i == 0 || p[i - 1] == '\n') && n - i >= m &&
		    memcmp(p + i, prefix, m) == 0)
			k++;
	return k;
}

/* A diagnostic word that ends in the report's own boundary: however the
 * quoted-printable encoder breaks the long word, no encoded line starts
 * with "--B", so the rewrite has the parts of the original. */
START_TEST(rewrite_qp_boundary_word)
{
	static const char head[] = HDR_BOUNCE
	    "Content-Type: text/plain; charset=us-ascii\n"
	    "Content-Transfer-Encoding: quoted-printable\n"
	    "\n" QP_LINE1 "\n"
	    "--B\n"
	    "Content-Type: message/delivery-status\n"
	    "\n"
	    "Reporting-MTA: dns; mail.example.net\n"
	    "\n"
	    "Final-Recipient: rfc822; bob@example.org\n"
	    "Action: failed\n"
	    "Status: 5.1.1\n"
	    "Diagnostic-Code: smtp; 550 5.1.1 ";
	struct pb_result *res = NULL;
	char msg[1024], *out;
	size_t n = 0, len;
	int k = _i;

	len = (size_t)snprintf(msg, sizeof(msg), "%s%.*s--B--tail\n--B--\n",
	                       head, k,
	                       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	                       "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	ck_assert_uint_lt(len, sizeof(msg));
	ck_assert_uint_eq(count_lines_from(msg, len, "--B"), 3);
	out = render(msg, len, &res, &n);
	ck_assert(res->changed);
	ck_assert_msg(count_lines_from(out, n, "--B") == 3,
	              "%d x: a line of the rewrite starts with --B:\n%s", k,
	              out);
	free(out);
	pb_result_free(res);
}
END_TEST

Suite *
rewrite_suite(void)
{
	Suite *s = suite_create("rewrite");
	TCase *tc;

	tc = tcase_create("encodings");
	tcase_add_test(tc, rewrite_7bit);
	tcase_add_test(tc, rewrite_qp);
	tcase_add_test(tc, rewrite_base64);
	tcase_add_test(tc, rewrite_latin1);
	tcase_add_loop_test(tc, rewrite_qp_boundary_word, 55, 95);
	suite_add_tcase(s, tc);

	tc = tcase_create("inline");
	tcase_add_test(tc, rewrite_inline);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rewrite_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
