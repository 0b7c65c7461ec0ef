/*
 * check_dsn_detect.c - unit tests of dsn_detect.c: pb_msg_parse plus
 * pb_dsn_detect on small in-memory messages, and
 * pb_dsn_detect_inline_offset.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <gmime/gmime.h>

#include "pb_int.h"
#include "msg_parse.h"
#include "dsn_detect.h"

Suite *dsn_detect_suite(void);

#define HDR_BOUNCE                                                             \
	"From: MAILER-DAEMON@mail.example.net\n"                               \
	"To: alice@example.net\n"                                              \
	"Subject: Undelivered Mail Returned to Sender\n"                       \
	"MIME-Version: 1.0\n"

#define DS_FIELDS                                                              \
	"Reporting-MTA: dns; mail.example.net\n\n"                             \
	"Final-Recipient: rfc822; bob@example.org\n"                           \
	"Action: failed\nStatus: 5.1.1\n"

static const struct {
	const char *name;
	const char *text;
	enum pb_detect_class cls;
	bool global;
	bool report_set; /* det.report >= 0 expected */
	int text_plain;  /* >= 0: any index >= 0 wanted; -1: -1 wanted */
	int text_html;
} cases[] = {
    {"multipart/report delivery-status",
     HDR_BOUNCE "Content-Type: multipart/report; report-type=delivery-status;"
                " boundary=\"B\"\n\n"
                "--B\nContent-Type: text/plain\n\nYour mail bounced.\n"
                "--B\nContent-Type: message/delivery-status\n\n" DS_FIELDS
                "--B--\n",
     PB_DETECT_DSN, false, true, 0, -1},
    {"global-delivery-status",
     HDR_BOUNCE
     "Content-Type: multipart/report; report-type=global-delivery-status;"
     " boundary=\"B\"\n\n"
     "--B\nContent-Type: text/plain; charset=utf-8\n\nBounced.\n"
     "--B\nContent-Type: message/global-delivery-status\n\n" DS_FIELDS
     "--B--\n",
     PB_DETECT_DSN, true, true, 0, -1},
    {"feedback report",
     "From: abuse@isp.example\nTo: postmaster@example.net\n"
     "MIME-Version: 1.0\n"
     "Content-Type: multipart/report; report-type=feedback-report;"
     " boundary=\"B\"\n\n"
     "--B\nContent-Type: text/plain\n\nAn abuse report.\n"
     "--B\nContent-Type: message/feedback-report\n\n"
     "Feedback-Type: abuse\nUser-Agent: x/1.0\nVersion: 1\n"
     "--B--\n",
     PB_DETECT_FEEDBACK, false, false, 0, -1},
    {"read receipt",
     "From: bob@example.org\nTo: alice@example.net\nMIME-Version: 1.0\n"
     "Content-Type: multipart/report;"
     " report-type=disposition-notification; boundary=\"B\"\n\n"
     "--B\nContent-Type: text/plain\n\nYour message was read.\n"
     "--B\nContent-Type: message/disposition-notification\n\n"
     "Final-Recipient: rfc822; bob@example.org\n"
     "Disposition: manual-action/MDN-sent-manually; displayed\n"
     "--B--\n",
     PB_DETECT_MDN, false, false, 0, -1},
    {"vacation from a person",
     "From: Bob <bob@example.org>\nTo: alice@example.net\n"
     "Subject: Out of office\nAuto-Submitted: auto-replied\n\n"
     "I am away until Monday.\n",
     PB_DETECT_VACATION, false, false, 0, -1},
    {"auto-replied from MAILER-DAEMON without a report",
     "From: MAILER-DAEMON@mail.example.net\nTo: alice@example.net\n"
     "Subject: Undelivered Mail\nAuto-Submitted: auto-replied\n\n"
     "Something went wrong.\n",
     PB_DETECT_NONE, false, false, 0, -1},
    {"report inside a returned original not looked into",
     "From: alice@example.net\nTo: bob@example.org\nMIME-Version: 1.0\n"
     "Content-Type: multipart/mixed; boundary=\"B\"\n\n"
     "--B\nContent-Type: text/plain\n\nSee the attached bounce.\n"
     "--B\nContent-Type: message/rfc822\n\n" HDR_BOUNCE
     "Content-Type: multipart/report; report-type=delivery-status;"
     " boundary=\"C\"\n\n"
     "--C\nContent-Type: text/plain\n\nBounced.\n"
     "--C\nContent-Type: message/delivery-status\n\n" DS_FIELDS "--C--\n"
     "--B--\n",
     PB_DETECT_NONE, false, false, 0, -1},
    {"first part multipart/alternative",
     HDR_BOUNCE "Content-Type: multipart/report; report-type=delivery-status;"
                " boundary=\"B\"\n\n"
                "--B\nContent-Type: multipart/alternative; boundary=\"A\"\n\n"
                "--A\nContent-Type: text/plain\n\nBounced.\n"
                "--A\nContent-Type: text/html\n\n<p>Bounced.</p>\n"
                "--A--\n"
                "--B\nContent-Type: message/delivery-status\n\n" DS_FIELDS
                "--B--\n",
     PB_DETECT_DSN, false, true, 0, 0},
    {"single text/plain message",
     "From: alice@example.net\nTo: bob@example.org\nSubject: hi\n\n"
     "Hello.\n",
     PB_DETECT_NONE, false, false, 0, -1},
};

START_TEST(detect)
{
	struct pb_options opt;
	struct pb_msg *msg = NULL;
	struct pb_detect det;
	const char *t = cases[_i].text;

	pb_options_init(&opt);
	ck_assert_int_eq(pb_msg_parse(t, strlen(t), &opt.limits, &msg), PB_OK);
	ck_assert_ptr_nonnull(msg);
	memset(&det, 0x55, sizeof det);
	pb_dsn_detect(msg, &det);
	ck_assert_msg(det.cls == cases[_i].cls, "case \"%s\": cls %d, want %d",
	              cases[_i].name, (int)det.cls, (int)cases[_i].cls);
	if (cases[_i].cls == PB_DETECT_DSN) {
		ck_assert_msg(det.global == cases[_i].global,
		              "case \"%s\": global %d", cases[_i].name,
		              (int)det.global);
		ck_assert_msg(
		    det.report >= 0 && (size_t)det.report < msg->nparts,
		    "case \"%s\": report %d", cases[_i].name, det.report);
	}
	if (cases[_i].text_plain >= 0)
		ck_assert_msg(det.text_plain >= 0 &&
		                  pb_msg_is_type(msg, (size_t)det.text_plain,
		                                 "text", "plain"),
		              "case \"%s\": text_plain %d", cases[_i].name,
		              det.text_plain);
	else
		ck_assert_msg(det.text_plain == -1,
		              "case \"%s\": text_plain %d", cases[_i].name,
		              det.text_plain);
	if (cases[_i].text_html >= 0)
		ck_assert_msg(det.text_html >= 0 &&
		                  pb_msg_is_type(msg, (size_t)det.text_html,
		                                 "text", "html"),
		              "case \"%s\": text_html %d", cases[_i].name,
		              det.text_html);
	else
		ck_assert_msg(det.text_html == -1, "case \"%s\": text_html %d",
		              cases[_i].name, det.text_html);
	pb_msg_free(msg);
}
END_TEST

/* A single text/plain message: its only part is part 0. */
START_TEST(detect_single_plain_index)
{
	static const char t[] = "From: a@example.net\n\nHello.\n";
	struct pb_options opt;
	struct pb_msg *msg = NULL;
	struct pb_detect det;

	pb_options_init(&opt);
	ck_assert_int_eq(pb_msg_parse(t, strlen(t), &opt.limits, &msg), PB_OK);
	pb_dsn_detect(msg, &det);
	ck_assert_int_eq(det.text_plain, 0);
	ck_assert_int_eq(det.text_html, -1);
	pb_msg_free(msg);
}
END_TEST

/* --- pb_dsn_detect_inline_offset --------------------------------------- */

static const struct {
	const char *name;
	const char *text;
	long want;
} inline_cases[] = {
    {"Reporting-MTA then Action",
     "Hi.\n\nReporting-MTA: dns; m.example\n\n"
     "Final-Recipient: rfc822; b@example.org\n"
     "Action: failed\n",
     5},
    {"Final-Recipient then Status at the start",
     "Final-Recipient: rfc822; b@example.org\nStatus: 5.1.1\n", 0},
    {"case-insensitive", "x\nfinal-recipient: rfc822; b@e.org\nSTATUS: 5.1.1\n",
     2},
    {"start without Action or Status", "Reporting-MTA: dns; m.example\n", -1},
    {"Action without a start", "Action: failed\nStatus: 5.1.1\n", -1},
    {"not at a line start", "x Reporting-MTA: dns; m\nAction: failed\n", -1},
    {"empty", "", -1},
};

START_TEST(inline_offset)
{
	const char *t = inline_cases[_i].text;
	long got = pb_dsn_detect_inline_offset(t, strlen(t));

	ck_assert_msg(got == inline_cases[_i].want,
	              "case \"%s\": got %ld, want %ld", inline_cases[_i].name,
	              got, inline_cases[_i].want);
}
END_TEST

/* The header-only check a milter makes before the body arrives. */
static const struct {
	const char *name;
	const char *ct;
	bool want;
} other_cases[] = {
    {"read receipt",
     "multipart/report; report-type=disposition-notification; boundary=b",
     true},
    {"abuse report, quoted",
     "Multipart/Report; report-type=\"feedback-report\"", true},
    {"white space around =", "multipart/report; report-type = feedback-report",
     true},
    {"delivery report", "multipart/report; report-type=delivery-status", false},
    {"a longer type name", "multipart/report; report-type=feedback-reports",
     false},
    {"not a report", "text/plain; report-type=feedback-report", false},
    {"no header", NULL, false},
};

START_TEST(other_report)
{
	ck_assert_msg(pb_is_other_report(other_cases[_i].ct) ==
	                  other_cases[_i].want,
	              "case \"%s\"", other_cases[_i].name);
}
END_TEST

/* Subjects of failure notices, one per entry of the table, and some
 * that are not. */
static const struct {
	const char *subject;
	bool want;
} subject_cases[] = {
    {"Undelivered Mail Returned to Sender", true},
    {"Returned mail: see transcript for details", true},
    {"Mail delivery failed: returning message to sender", true},
    {"Delivery Status Notification (Failure)", true},
    {"failure notice", true},
    {"Undeliverable: Offer", true},
    {"Unzustellbar: Angebot", true},
    {"Non remis : Offre", true},
    {"No se puede entregar: Oferta", true},
    {"Mail Delivery Failure", true},
    {"Nondeliverable mail", true},
    {"Undeliverable Message", true},
    {"  delivery failure", true},
    {"Delivery Status Notification (Delay)", false},
    {"Your mailbox is almost full", false},
    {"Re: failure of the plan", false},
    {"Re: Returned mail: see transcript for details", false},
    {"Fwd: Undelivered Mail Returned to Sender", false},
    {"Out of office: Re: Delivery failure of order 1234", false},
    {"Undeliverable messages report for your mailbox", false},
    {"Delivery failure of order 1234", false},
};

START_TEST(failure_subject)
{
	char buf[512];
	struct pb_options opt;
	struct pb_msg *msg;

	snprintf(buf, sizeof(buf), "From: MAILER-DAEMON@example.net\n"
	                           "Subject: %s\n\nbody\n",
	         subject_cases[_i].subject);
	pb_options_init(&opt);
	ck_assert_int_eq(pb_msg_parse(buf, strlen(buf), &opt.limits, &msg),
	                 PB_OK);
	ck_assert_msg(pb_dsn_detect_failure_subject(msg) ==
	                  subject_cases[_i].want,
	              "subject \"%s\"", subject_cases[_i].subject);
	pb_msg_free(msg);
}
END_TEST

Suite *
dsn_detect_suite(void)
{
	Suite *s = suite_create("dsn_detect");
	TCase *tc;

	tc = tcase_create("detect");
	tcase_add_loop_test(tc, detect, 0, PB_NELEM(cases));
	tcase_add_test(tc, detect_single_plain_index);
	suite_add_tcase(s, tc);

	tc = tcase_create("inline_offset");
	tcase_add_loop_test(tc, inline_offset, 0, PB_NELEM(inline_cases));
	tcase_add_loop_test(tc, other_report, 0, PB_NELEM(other_cases));
	tcase_add_loop_test(tc, failure_subject, 0, PB_NELEM(subject_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	pb_gmime_init();
	sr = srunner_create(dsn_detect_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
