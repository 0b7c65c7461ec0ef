/*
 * check_dsn_text.c - unit tests of dsn_text.c: pb_dsn_text_parse on
 * Postfix-style recipient paragraphs; and of dsn_ses.c on Amazon SES
 * JSON notifications.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"
#include "dsn_text.h"
#include "dsn_ses.h"

Suite *dsn_text_suite(void);

/* Expected fields of one recipient; NULL means "not checked". */
struct want_rcpt {
	const char *addr, *reply, *status, *rhost, *diag, *command;
};

#define PARA_BOB                                                               \
	"<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1\n"  \
	"    <bob@example.org>: User unknown (in reply to RCPT TO command)\n"

static const struct {
	const char *name;
	const char *text;
	unsigned max_rcpts; /* 0: 100 */
	unsigned defects;   /* wanted bits of PB_DEFECT_RCPTS */
	size_t nrcpts;
	struct want_rcpt r[2]; /* the first two recipients */
} cases[] = {
    {"postfix paragraph",
     PARA_BOB,
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .reply = "550",
       .status = "5.1.1",
       .rhost = "mx.example.org"}}},
    {"two paragraphs",
     PARA_BOB "\n"
              "<carol@example.com>: host mx.example.com[192.0.2.2] said: 552"
              " 5.2.2\n    Mailbox full (in reply to RCPT TO command)\n",
     0,
     0,
     2,
     {{.addr = "bob@example.org", .reply = "550", .status = "5.1.1"},
      {.addr = "carol@example.com",
       .reply = "552",
       .status = "5.2.2",
       .rhost = "mx.example.com"}}},
    {"name service error",
     "<x@y>: Name service error for name=y type=MX: Host not found\n",
     0,
     0,
     1,
     {{.addr = "x@y", .reply = "", .status = ""}}},
    {"other lines ignored",
     "This is the mail system at host mail.example.net.\n\n"
     "I'm sorry to have to inform you that your message could not\n"
     "be delivered to one or more recipients.\n\n" PARA_BOB
     "\nFor further assistance, send mail to postmaster.\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org", .reply = "550", .status = "5.1.1"}}},
    {"address without @ ignored",
     "<postmaster>: host mx.example.org said: 550 5.1.1 nope\n",
     0,
     0,
     0,
     {{.addr = NULL}}},
    {"reason above a lone address (Lotus Notes)",
     "------- Failure Reasons  --------\n\n"
     "User not listed in public Name & Address Book\n"
     "bob@example.org\n\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .diag = "User not listed in public Name & Address Book"}}},
    {"reason a blank line above (EZweb)",
     "The user(s) account is disabled.\n\n<bob@example.org>\n\n\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .diag = "The user(s) account is disabled."}}},
    {"no reason from two blank lines up",
     "Mail was refused.\n\n\n<a@example.org>\n",
     0,
     0,
     1,
     {{.addr = "a@example.org", .diag = ""}}},
    {"a lead-in is no reason",
     "The following recipients did not receive it:\n<b@example.org>\n",
     0,
     0,
     1,
     {{.addr = "b@example.org", .diag = ""}}},
    {"the notice's error line explains a lone address (MailMarshal)",
     "Could not be delivered because of\n\n550 5.1.1 User unknown\n\n"
     "The following recipients were affected:\n    bob@example.org\n\n\n\n"
     "Additional Information\n======================\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .reply = "550",
       .status = "5.1.1",
       .diag = "550 5.1.1 User unknown"}}},
    {"two blank lines do not end the reason (m-FILTER)",
     "bob@example.org\n\n\n-------server message\n550 5.1.1 unknown\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .diag = "-------server message 550 5.1.1 unknown"}}},
    {"another recipient's reason is not taken from above",
     "bob@example.org\n    550 5.1.1 User unknown\n\ncarol@example.org\n",
     0,
     0,
     2,
     {{.addr = "bob@example.org", .diag = "550 5.1.1 User unknown"},
      {.addr = "carol@example.org", .diag = ""}}},
    {"with several recipients, no line above nor error lines are shared",
     "Your message could not be delivered to the following recipients\n\n"
     "bob@example.org\ncarol@example.org\n\n"
     "Error: 550 5.2.2 mailbox full\n",
     0,
     0,
     2,
     {{.addr = "bob@example.org", .diag = ""},
      {.addr = "carol@example.org", .diag = "Error: 550 5.2.2 mailbox full"}}},
    {"a Sendmail transcript names again an address listed alone",
     "   ----- The following addresses had permanent fatal errors -----\n"
     "<bob@example.org>\n\n"
     "   ----- Transcript of session follows -----\n"
     "<bob@example.org>... Deferred: Connection refused by mx.example.org.\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .diag = "Deferred: Connection refused by mx.example.org."}}},
    {"a Sendmail transcript: a verdict takes the replies above it",
     "   ----- Transcript of session follows -----\n"
     "While talking to mx.example.org:\n"
     ">>> MAIL From:<me@example.com>\n"
     "<<< 501 <me@example.com>... no access from mail server\n"
     "554 <bob@example.org>... Remote protocol error\n"
     "550 example.net (smtp)... 550 Host unknown\n"
     "554 <carol@example.net>... 550 Host unknown (Authoritative answer)\n",
     0,
     0,
     2,
     {{.addr = "bob@example.org",
       .reply = "501",
       .command = "MAIL",
       .diag = "501 <me@example.com>... no access from mail server "
               "Remote protocol error"},
      {.addr = "carol@example.net",
       .command = "",
       .diag = "550 Host unknown (Authoritative answer)"}}},
    {"a Sendmail transcript: a refused RCPT read after DATA (pipelining)",
     "... while talking to mx.example.org.:\n"
     ">>> DATA\n"
     "<<< 550 5.1.1 <bob@example.org>: User unknown\n"
     "550 5.1.1 <bob@example.org>... User unknown\n"
     "<<< 550 5.2.2 <carol@example.org>: Mailbox full\n"
     "550 5.2.2 <carol@example.org>... Mailbox full\n"
     "<<< 554 5.5.1 Error: no valid recipients\n",
     0,
     0,
     2,
     {{.addr = "bob@example.org",
       .status = "5.1.1",
       .command = "RCPT",
       .diag = "550 5.1.1 <bob@example.org>: User unknown User unknown"},
      {.addr = "carol@example.org", .status = "5.2.2", .command = "RCPT"}}},
    {"a Sendmail transcript: Sendmail's own closing lines",
     "... while talking to mx.example.org.:\n"
     "<<< 421\n"
     "<bob@example.org>... Deferred: 421\n"
     "Message could not be delivered for 8 hours\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .reply = "421",
       .diag = "421 Deferred: 421 Message could not be delivered for 8 "
               "hours"}}},
    {"a Sendmail transcript: a refused DATA is nobody's verdict",
     "   ----- The following addresses had permanent fatal errors -----\n"
     "<bob@example.org>\n"
     "    (reason: 554 5.7.1 Message rejected)\n\n"
     "   ----- Transcript of session follows -----\n"
     "... while talking to mx.example.org.:\n"
     ">>> DATA\n"
     "<<< 554 5.7.1 Message rejected\n"
     "554 5.0.0 Service unavailable\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .diag = "(reason: 554 5.7.1 Message rejected)"}}},
    {"a lone recipient takes the notice's lines a rule knows",
     "Your message was not delivered within 0 days and 1 hours.\n"
     "Remote host is not responding.\n\n"
     "The following recipients did not receive this message:\n"
     "<bob@example.org>\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .diag = "Your message was not delivered within 0 days and 1 "
               "hours."}}},
    {"a labelled address with nothing after it takes the line above",
     "This message is to inform you that an email you sent was rejected.\n"
     "\n"
     "reject reason: Mailbox full\n"
     "target mail address: bob@example.org\n"
     "--------------------------------------------------------------\n"
     "bounced E-Mail:\n"
     "From alice@example.com  Sat Oct  4 08:00:07 2025\n"
     "To: carol@example.org\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org", .diag = "reject reason: Mailbox full"}}},
    {"a Sendmail transcript: after the end of the data, not RCPT",
     "... while talking to mx.example.org.:\n"
     ">>> .\n"
     "<<< 550 5.7.1 <bob@example.org>... refused\n"
     "550 5.7.1 <bob@example.org>... refused\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org", .command = "DATA", .status = "5.7.1"}}},
    {"a Sendmail transcript: Sendmail's own code when the reply has none",
     "... while talking to mx.example.org.:\n"
     ">>> RCPT To:<bob@example.org>\n"
     "<<< 550 Requested mailbox not found\n"
     "550 5.1.1 <bob@example.org>... User unknown\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .reply = "550",
       .status = "5.1.1",
       .command = "RCPT",
       .diag = "550 Requested mailbox not found User unknown"}}},
    {"a session right under an address is its reason (Courier)",
     "<bob@example.org>:\n"
     "mx.example.org [192.0.2.1]:\n"
     ">>> RCPT TO:<bob@example.org>\n"
     "<<< 550 5.1.1 <bob@example.org>... User Unknown\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org",
       .reply = "550",
       .status = "5.1.1",
       .command = "RCPT"}}},
    {"a label that says why is the reason",
     "Your message could not be delivered.\n\nMailbox full: bob@example.org\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org", .diag = "Mailbox full: bob@example.org"}}},
    {"a footer's words tell no failure",
     "This message was scanned for viruses by our mail gateway.\n\n"
     "The following recipients did not receive this message:\n"
     "<bob@example.org>\n",
     0,
     0,
     1,
     {{.addr = "bob@example.org", .diag = ""}}},
    {"a list of addresses gives none a reason",
     "Could not deliver to:\n\na@example.org\nb@example.org\n",
     0,
     0,
     2,
     {{.addr = "a@example.org", .diag = ""},
      {.addr = "b@example.org", .diag = ""}}},
    {"no paragraphs", "Hello.\nNothing here.\n", 0, 0, 0, {{.addr = NULL}}},
    {"empty", "", 0, 0, 0, {{.addr = NULL}}},
    {"max_rcpts cap",
     "<a@example.org>: host mx.example.org said: 550 5.1.1 a\n\n"
     "<b@example.org>: host mx.example.org said: 550 5.1.1 b\n\n"
     "<c@example.org>: host mx.example.org said: 550 5.1.1 c\n",
     2,
     PB_DEFECT_RCPTS,
     2,
     {{.addr = "a@example.org"}, {.addr = "b@example.org"}}},
};

/* check_str - field f of recipient k in case i, when wanted */
static void
check_str(size_t i, size_t k, const char *field, const char *got,
          const char *want)
{
	if (want == NULL)
		return;
	ck_assert_msg(strcmp(got, want) == 0,
	              "case \"%s\" rcpt %zu %s: got \"%s\", want \"%s\"",
	              cases[i].name, k, field, got, want);
}

START_TEST(text_parse)
{
	struct pb_options opt;
	struct pb_dsn_report *rep = NULL;
	const char *t = cases[_i].text;
	size_t k;

	pb_options_init(&opt);
	if (cases[_i].max_rcpts != 0)
		opt.limits.max_rcpts = cases[_i].max_rcpts;
	ck_assert_int_eq(pb_dsn_text_parse(t, strlen(t), &opt.limits, &rep),
	                 PB_OK);
	ck_assert_ptr_nonnull(rep);
	ck_assert_msg(rep->nrcpts == cases[_i].nrcpts,
	              "case \"%s\": %zu recipients, want %zu", cases[_i].name,
	              rep->nrcpts, cases[_i].nrcpts);
	ck_assert_msg((rep->defects & PB_DEFECT_RCPTS) == cases[_i].defects,
	              "case \"%s\": defects %#x", cases[_i].name, rep->defects);
	for (k = 0; k < rep->nrcpts && k < 2; k++) {
		const struct pb_rcpt *r = &rep->rcpts[k];
		const struct want_rcpt *w = &cases[_i].r[k];

		check_str(_i, k, "addr", r->addr, w->addr);
		check_str(_i, k, "reply", r->reply, w->reply);
		check_str(_i, k, "status", r->status, w->status);
		check_str(_i, k, "rhost", r->rhost, w->rhost);
		check_str(_i, k, "diagnostic", r->diagnostic, w->diag);
		check_str(_i, k, "command", r->command, w->command);
	}
	pb_dsn_report_free(rep);
}
END_TEST

/* SES notifications: plain, inside an SNS envelope, and the ones that
 * are not bounces or are broken. */
#define SES_RCPT                                                               \
	"{\"emailAddress\":\"bob@example.org\",\"action\":\"failed\","         \
	"\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 user "        \
	"unknown\"}"

static const struct {
	const char *name;
	const char *text;
	size_t nrcpts;
	struct want_rcpt r[2];
} ses_cases[] = {
    {"plain", "{\"notificationType\":\"Bounce\",\"bounce\":{"
              "\"bouncedRecipients\":[" SES_RCPT ",{\"emailAddress\":"
              "\"carol@example.net\",\"status\":\"4.4.7\"}],"
              "\"reportingMTA\":\"dsn; a1.example.com\"},\"mail\":{"
              "\"destination\":[\"zed@example.com\"]}}",
     2,
     {{"bob@example.org", "550", "5.1.1", NULL, NULL, NULL},
      {"carol@example.net", "", "4.4.7", NULL, NULL, NULL}}},
    {"sns envelope",
     "{\n  \"Type\" : \"Notification\",\n  \"Message\" : "
     "\"{\\\"notificationType\\\":\\\"Bounce\\\",\\\"bounce\\\":{"
     "\\\"bouncedRecipients\\\":[{\\\"emailAddress\\\":"
     "\\\"bob@example.org\\\",\\\"status\\\":\\\"5.1.1\\\"}]}}\"\n}",
     1,
     {{"bob@example.org", NULL, "5.1.1", NULL, NULL, NULL}}},
    {"injected field", "{\"notificationType\":\"Bounce\",\"bounce\":{"
                       "\"bouncedRecipients\":[{\"emailAddress\":"
                       "\"bob@example.org\\nStatus: 2.0.0\",\"status\":"
                       "\"5.1.1\"}]}}",
     1,
     {{NULL, NULL, "5.1.1", NULL, NULL, NULL}}},
    {"delivery", "{\"notificationType\":\"Delivery\",\"delivery\":{"
                 "\"recipients\":[\"bob@example.org\"]}}",
     0,
     {{NULL}}},
    {"unterminated", "{\"notificationType\":\"Bounce\",\"bounce\":{"
                     "\"bouncedRecipients\":[{\"emailAddress\":\"bob@ex",
     0,
     {{NULL}}},
    {"not json", "notificationType Bounce bouncedRecipients", 0, {{NULL}}},
};

START_TEST(ses_parse)
{
	struct pb_options opt;
	struct pb_dsn_report *rep = NULL;
	const char *t = ses_cases[_i].text;
	size_t k, n;

	pb_options_init(&opt);
	ck_assert_int_eq(pb_dsn_ses_parse(t, strlen(t), &opt.limits, &rep),
	                 PB_OK);
	n = rep ? rep->nrcpts : 0;
	ck_assert_msg(n == ses_cases[_i].nrcpts,
	              "case \"%s\": %zu recipients, want %zu",
	              ses_cases[_i].name, n, ses_cases[_i].nrcpts);
	for (k = 0; k < n && k < 2; k++) {
		const struct pb_rcpt *r = &rep->rcpts[k];
		const struct want_rcpt *w = &ses_cases[_i].r[k];

		ck_assert_str_eq(r->action, "failed");
		ck_assert_ptr_null(strchr(r->addr, '\n'));
		if (w->addr != NULL)
			ck_assert_str_eq(r->addr, w->addr);
		if (w->reply != NULL)
			ck_assert_str_eq(r->reply, w->reply);
		if (w->status != NULL)
			ck_assert_str_eq(r->status, w->status);
	}
	if (rep != NULL)
		pb_dsn_report_free(rep);
}
END_TEST

Suite *
dsn_text_suite(void)
{
	Suite *s = suite_create("dsn_text");
	TCase *tc;

	tc = tcase_create("text_parse");
	tcase_add_loop_test(tc, text_parse, 0, PB_NELEM(cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("ses_parse");
	tcase_add_loop_test(tc, ses_parse, 0, PB_NELEM(ses_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dsn_text_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
