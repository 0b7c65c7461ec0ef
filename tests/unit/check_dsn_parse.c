/*
 * check_dsn_parse.c - unit tests of dsn_parse.c: pb_dsn_parse on
 * message/delivery-status texts (well-formed and bent the ways real
 * reports bend them), pb_dsn_reply_code and pb_dsn_find_status.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"
#include "dsn_parse.h"

Suite *dsn_parse_suite(void);

/* Expected fields of one recipient; NULL means "not checked". */
struct want_rcpt {
	const char *addr, *alias, *action, *status, *reply, *rhost, *diag,
	    *retry;
};

#define RCPT_5_1_1                                                             \
	"Final-Recipient: rfc822; bob@example.org\n"                           \
	"Action: failed\nStatus: 5.1.1\n"

static const struct {
	const char *name;
	const char *text;
	unsigned max_rcpts;   /* 0: 100 */
	size_t max_field_len; /* 0: 4096 */
	unsigned defects;
	const char *mta;
	size_t nrcpts;
	struct want_rcpt r[2]; /* the first two recipients */
} cases[] =
    {
        {"postfix report",
         "Reporting-MTA: dns; mail.example.net\n"
         "X-Postfix-Queue-ID: 4Z7D2r5bK8z7M\n"
         "Arrival-Date: Thu,  6 Mar 2025 16:20:05 +0000\n"
         "\n"
         "Final-Recipient: rfc822; bob@example.org\n"
         "Original-Recipient: rfc822;robert@example.net\n"
         "Action: failed\n"
         "Status: 5.1.1\n"
         "Remote-MTA: dns; mx.example.org\n"
         "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>:"
         " User unknown\n",
         0,
         0,
         0,
         "mail.example.net",
         1,
         {{.addr = "bob@example.org",
           .alias = "robert@example.net",
           .action = "failed",
           .status = "5.1.1",
           .reply = "550",
           .rhost = "mx.example.org",
           .diag = "550 5.1.1 <bob@example.org>: User unknown",
           .retry = ""}}},
        {"folded Diagnostic-Code unfolded",
         RCPT_5_1_1 "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>:\n"
                    "    Recipient address rejected:\n"
                    "\tUser unknown\n",
         0,
         0,
         0,
         "",
         1,
         {{.addr = "bob@example.org",
           .reply = "550",
           .diag = "550 5.1.1 <bob@example.org>: Recipient address "
                   "rejected: User unknown"}}},
        {"type prefixes stripped",
         "Reporting-MTA: dns;mta.example.net\n\n"
         "Final-Recipient: RFC822;bob@example.org\n"
         "Action: failed\n"
         "Status: 5.0.0\n"
         "Remote-MTA: DNS; mx.example.org\n"
         "Diagnostic-Code: SMTP; 554 denied\n",
         0,
         0,
         0,
         "mta.example.net",
         1,
         {{.addr = "bob@example.org",
           .status = "5.0.0",
           .reply = "554",
           .rhost = "mx.example.org",
           .diag = "554 denied"}}},
        {"utf-8 address type stripped",
         "Final-Recipient: utf-8; j\xc3\xb6rg@example.net\n"
         "Action: failed\n",
         0,
         0,
         0,
         "",
         1,
         {{.addr = "j\xc3\xb6rg@example.net"}}},
        {"angle brackets stripped",
         "Final-Recipient: rfc822; <bob@example.org>\n"
         "Original-Recipient: <robert@example.net>\n"
         "Action: failed\n",
         0,
         0,
         0,
         "",
         1,
         {{.addr = "bob@example.org", .alias = "robert@example.net"}}},
        {"address without type kept whole",
         "Final-Recipient: bob@example.org\nAction: failed\n",
         0,
         0,
         0,
         "",
         1,
         {{.addr = "bob@example.org"}}},
        {"no blank line after per-message fields",
         "Reporting-MTA: dns; mta.example.net\n" RCPT_5_1_1,
         0,
         0,
         0,
         "mta.example.net",
         1,
         {{.addr = "bob@example.org",
           .alias = "",
           .action = "failed",
           .status = "5.1.1"}}},
        {"two recipients without a blank line",
         "Reporting-MTA: dns; mta.example.net\n\n"
         "Final-Recipient: rfc822; a@example.org\n"
         "Action: failed\nStatus: 5.2.2\n"
         "Final-Recipient: rfc822; b@example.org\n"
         "Action: delayed\nStatus: 4.4.1\n",
         0,
         0,
         0,
         "mta.example.net",
         2,
         {{.addr = "a@example.org", .action = "failed", .status = "5.2.2"},
          {.addr = "b@example.org", .action = "delayed", .status = "4.4.1"}}},
        {"two recipients with a blank line",
         RCPT_5_1_1 "\n"
                    "Final-Recipient: rfc822; c@example.org\n"
                    "Action: failed\nStatus: 5.2.2\n",
         0,
         0,
         0,
         "",
         2,
         {{.addr = "bob@example.org", .status = "5.1.1"},
          {.addr = "c@example.org", .status = "5.2.2"}}},
        {"white-space line ends a block",
         RCPT_5_1_1 " \t\nFinal-Recipient: rfc822; c@example.org\n",
         0,
         0,
         0,
         "",
         2,
         {{.addr = "bob@example.org"}, {.addr = "c@example.org"}}},
        {"Original-Recipient only",
         "Original-Recipient: rfc822; al@example.net\n"
         "Action: failed\nStatus: 5.1.1\n",
         0,
         0,
         0,
         "",
         1,
         {{.addr = "al@example.net",
           .alias = "al@example.net",
           .action = "failed",
           .status = "5.1.1"}}},
        {"Original-Recipient before Final-Recipient",
         "Original-Recipient: rfc822; al@example.net\n"
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: failed\n",
         0,
         0,
         0,
         "",
         1,
         {{.addr = "bob@example.org",
           .alias = "al@example.net",
           .action = "failed"}}},
        {"invalid Status skipped",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: failed\nStatus: 5.x.1\n",
         0,
         0,
         PB_DEFECT_DSN,
         "",
         1,
         {{.addr = "bob@example.org", .status = ""}}},
        {"invalid Status, code from the diagnostic",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: failed\nStatus: 5.1.1000\n"
         "Diagnostic-Code: smtp; 550 5.1.1 unknown\n",
         0,
         0,
         PB_DEFECT_DSN,
         "",
         1,
         {{.status = "5.1.1", .reply = "550"}}},
        {"line without a colon flagged",
         "Final-Recipient: rfc822; bob@example.org\n"
         "garbage here\n"
         "Action: failed\n",
         0,
         0,
         PB_DEFECT_DSN,
         "",
         1,
         {{.addr = "bob@example.org", .action = "failed"}}},
        {"CRLF input",
         "Reporting-MTA: dns; mta.example.net\r\n\r\n"
         "Final-Recipient: rfc822; bob@example.org\r\n"
         "Action: failed\r\n"
         "Status: 5.1.1\r\n"
         "Remote-MTA: dns; mx.example.org\r\n"
         "Diagnostic-Code: smtp; 550 5.1.1 user\r\n"
         "  unknown\r\n",
         0,
         0,
         0,
         "mta.example.net",
         1,
         {{.addr = "bob@example.org",
           .alias = "",
           .action = "failed",
           .status = "5.1.1",
           .reply = "550",
           .rhost = "mx.example.org",
           .diag = "550 5.1.1 user unknown",
           .retry = ""}}},
        {"CRLF, two recipients",
         "Final-Recipient: rfc822; a@example.org\r\n"
         "Action: failed\r\n\r\n"
         "Final-Recipient: rfc822; b@example.org\r\n"
         "Action: failed\r\n",
         0,
         0,
         0,
         "",
         2,
         {{.addr = "a@example.org"}, {.addr = "b@example.org"}}},
        {"reply code with space",
         RCPT_5_1_1
         "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.org>: unknown\n",
         0,
         0,
         0,
         "",
         1,
         {{.reply = "550"}}},
        {"reply code with hyphen",
         RCPT_5_1_1 "Diagnostic-Code: smtp; 550-5.7.1 [192.0.2.1] rejected\n",
         0,
         0,
         0,
         "",
         1,
         {{.reply = "550", .diag = "550-5.7.1 [192.0.2.1] rejected"}}},
        {"no reply code in X-Postfix diagnostic",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: delayed\nStatus: 4.4.1\n"
         "Diagnostic-Code: X-Postfix; connect to mx.example.org[192.0.2.7]:"
         "25: Connection refused\n",
         0,
         0,
         0,
         "",
         1,
         {{.action = "delayed",
           .status = "4.4.1",
           .reply = "",
           .diag = "connect to mx.example.org[192.0.2.7]:25: Connection "
                   "refused"}}},
        {"a program's exit status keeps its X-Unix type",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: failed\nStatus: 5.0.0\n"
         "Diagnostic-Code: X-Unix; 127\n",
         0,
         0,
         0,
         "",
         1,
         {{.reply = "", .diag = "X-Unix; 127"}}},
        {"X-Unix with words loses its type",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: failed\nStatus: 5.2.2\n"
         "Diagnostic-Code: x-unix; /var/mail/bob: Disk quota exceeded\n",
         0,
         0,
         0,
         "",
         1,
         {{.diag = "/var/mail/bob: Disk quota exceeded"}}},
        {"status taken from the diagnostic",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: failed\n"
         "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n",
         0,
         0,
         0,
         "",
         1,
         {{.action = "failed", .status = "5.2.2", .reply = "552"}}},
        {"Action lower-cased, comment dropped",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: FAILED (permanent)\nStatus: 5.1.1 (user unknown)\n",
         0,
         0,
         0,
         "",
         1,
         {{.action = "failed", .status = "5.1.1"}}},
        {"field names are case-insensitive",
         "REPORTING-MTA: dns; mta.example.net\n\n"
         "final-recipient: rfc822; bob@example.org\n"
         "aCtIoN: failed\nSTATUS: 5.1.1\n",
         0,
         0,
         0,
         "mta.example.net",
         1,
         {{.addr = "bob@example.org", .action = "failed", .status = "5.1.1"}}},
        {"Will-Retry-Until kept",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Action: delayed\nStatus: 4.2.2\n"
         "Will-Retry-Until: Fri, 7 Mar 2025 16:20:05 +0000\n",
         0,
         0,
         0,
         "",
         1,
         {{.action = "delayed",
           .status = "4.2.2",
           .retry = "Fri, 7 Mar 2025 16:20:05 +0000"}}},
        {"vendor fields ignored",
         RCPT_5_1_1 "X-Actual-Recipient: rfc822; other@example.net\n"
                    "X-Display-Name: Bob\n",
         0,
         0,
         0,
         "",
         1,
         {{.addr = "bob@example.org"}}},
        {"recipient fields without a recipient ignored",
         "Reporting-MTA: dns; mta.example.net\n"
         "Action: failed\nStatus: 5.1.1\n",
         0,
         0,
         0,
         "mta.example.net",
         0,
         {{.addr = NULL}}},
        {"per-message fields only",
         "Reporting-MTA: dns; mta.example.net\n",
         0,
         0,
         0,
         "mta.example.net",
         0,
         {{.addr = NULL}}},
        {"empty input", "", 0, 0, 0, "", 0, {{.addr = NULL}}},
        {"no line end at the end",
         "Final-Recipient: rfc822; bob@example.org",
         0,
         0,
         0,
         "",
         1,
         {{.addr = "bob@example.org",
           .alias = "",
           .action = "",
           .status = "",
           .reply = "",
           .rhost = "",
           .diag = "",
           .retry = ""}}},
        {"max_rcpts cap",
         "Final-Recipient: rfc822; a@example.org\n\n"
         "Final-Recipient: rfc822; b@example.org\n\n"
         "Final-Recipient: rfc822; c@example.org\n"
         "Action: failed\n",
         2,
         0,
         PB_DEFECT_RCPTS,
         "",
         2,
         {{.addr = "a@example.org"}, {.addr = "b@example.org"}}},
        {"max_field_len cap on a long line",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Diagnostic-Code: smtp; 550 5.1.1 "
         "0123456789012345678901234567890123456789"
         "012345678901234567890123456789\n",
         0,
         64,
         PB_DEFECT_FIELD,
         "",
         1,
         {{.addr = "bob@example.org",
           .status = "5.1.1",
           .reply = "550",
           .diag = "550 5.1.1 0123456789012345678901234567890123456789"
                   "01234567890123"}}},
        {"max_field_len cap on folded lines",
         "Final-Recipient: rfc822; bob@example.org\n"
         "Diagnostic-Code: smtp; 550 5.1.1 first\n"
         "  second line of the diagnostic text\n"
         "  third line of the diagnostic text\n"
         "  fourth line of the diagnostic text\n"
         "  fifth line of the diagnostic text\n",
         0,
         64,
         PB_DEFECT_FIELD,
         "",
         1,
         {{.addr = "bob@example.org",
           .status = "5.1.1",
           .reply = "550",
           .diag = "550 5.1.1 first second line of the diagnostic text "
                   "third line of"}}},
        /* Regression (was a bug): with no blank line between recipients and RFC
         * 3464 field order (Original-Recipient first), b's Original-Recipient
         * lands on a (overwriting a's) and b gets none. */
        {"two recipients, RFC order, without a blank line",
         "Original-Recipient: rfc822; oa@example.net\n"
         "Final-Recipient: rfc822; a@example.org\n"
         "Action: failed\n"
         "Original-Recipient: rfc822; ob@example.net\n"
         "Final-Recipient: rfc822; b@example.org\n"
         "Action: failed\n",
         0,
         0,
         0,
         "",
         2,
         {{.addr = "a@example.org", .alias = "oa@example.net"},
          {.addr = "b@example.org", .alias = "ob@example.net"}}},
};
#define NCASES_OK PB_NELEM(cases)

/* check_field - compare one recipient field unless want is NULL */
static void
check_field(size_t i, size_t k, const char *field, const char *got,
            const char *want)
{
	if (want == NULL)
		return;
	ck_assert_msg(got != NULL, "case \"%s\": rcpt %zu %s is NULL",
	              cases[i].name, k, field);
	ck_assert_msg(strcmp(got, want) == 0,
	              "case \"%s\": rcpt %zu %s \"%s\", want \"%s\"",
	              cases[i].name, k, field, got, want);
}

START_TEST(dsn_parse)
{
	struct pb_limits lim = {1u << 20, 32, 1000, 100, 4096};
	struct pb_dsn_report *rep = NULL;
	const char *fields[8];
	size_t k, f;

	if (cases[_i].max_rcpts != 0)
		lim.max_rcpts = cases[_i].max_rcpts;
	if (cases[_i].max_field_len != 0)
		lim.max_field_len = cases[_i].max_field_len;
	ck_assert_int_eq(
	    pb_dsn_parse(cases[_i].text, strlen(cases[_i].text), &lim, &rep),
	    PB_OK);
	ck_assert_ptr_nonnull(rep);
	ck_assert_msg(rep->defects == cases[_i].defects,
	              "case \"%s\": defects %#x, want %#x", cases[_i].name,
	              rep->defects, cases[_i].defects);
	ck_assert_msg(rep->reporting_mta != NULL &&
	                  strcmp(rep->reporting_mta, cases[_i].mta) == 0,
	              "case \"%s\": Reporting-MTA \"%s\"", cases[_i].name,
	              rep->reporting_mta);
	ck_assert_msg(rep->nrcpts == cases[_i].nrcpts,
	              "case \"%s\": %zu recipients, want %zu", cases[_i].name,
	              rep->nrcpts, cases[_i].nrcpts);
	for (k = 0; k < rep->nrcpts; k++) {
		const struct pb_rcpt *r = &rep->rcpts[k];
		/* absent fields are "", never NULL */
		fields[0] = r->addr;
		fields[1] = r->alias;
		fields[2] = r->action;
		fields[3] = r->status;
		fields[4] = r->reply;
		fields[5] = r->rhost;
		fields[6] = r->diagnostic;
		fields[7] = r->retry_until;
		for (f = 0; f < PB_NELEM(fields); f++)
			ck_assert_msg(fields[f] != NULL,
			              "case \"%s\": rcpt %zu field %zu NULL",
			              cases[_i].name, k, f);
		if (k >= PB_NELEM(cases[_i].r))
			continue;
		check_field(_i, k, "addr", r->addr, cases[_i].r[k].addr);
		check_field(_i, k, "alias", r->alias, cases[_i].r[k].alias);
		check_field(_i, k, "action", r->action, cases[_i].r[k].action);
		check_field(_i, k, "status", r->status, cases[_i].r[k].status);
		check_field(_i, k, "reply", r->reply, cases[_i].r[k].reply);
		check_field(_i, k, "rhost", r->rhost, cases[_i].r[k].rhost);
		check_field(_i, k, "diagnostic", r->diagnostic,
		            cases[_i].r[k].diag);
		check_field(_i, k, "retry_until", r->retry_until,
		            cases[_i].r[k].retry);
	}
	pb_dsn_report_free(rep);
}
END_TEST

/* --- pb_dsn_reply_code ------------------------------------------------- */

static const struct {
	const char *name;
	const char *diag;
	const char *want;
} reply_cases[] = {
    {"code and space", "550 5.1.1 <bob@example.org>: unknown", "550"},
    {"code and hyphen", "550-5.7.1 [192.0.2.1] rejected", "550"},
    {"code alone", "550", "550"},
    {"temporary", "450 4.2.2 over quota", "450"},
    {"success", "250 2.0.0 Ok", "250"},
    {"X-Postfix text", "connect to mx.example.org[192.0.2.7]:25: refused", ""},
    {"four digits", "5500 nope", ""},
    {"two digits", "55 nope", ""},
    {"one digit", "5", ""},
    {"class 6", "650 nope", ""},
    {"class 3", "354 go ahead", ""},
    {"colon after the code", "550:denied", ""},
    {"leading space", " 550 denied", ""},
    {"letter in the code", "5a0 denied", ""},
    {"empty", "", ""},
};

START_TEST(reply_code)
{
	char out[4] = "xyz";

	pb_dsn_reply_code(reply_cases[_i].diag, out);
	ck_assert_msg(strcmp(out, reply_cases[_i].want) == 0,
	              "case \"%s\": got \"%s\", want \"%s\"",
	              reply_cases[_i].name, out, reply_cases[_i].want);
}
END_TEST

/* --- pb_dsn_find_status ------------------------------------------------ */

static const struct {
	const char *name;
	const char *text;
	const char *want;
} find_cases[] = {
    {"after the reply code", "550 5.1.1 <bob@example.org>: unknown", "5.1.1"},
    {"at the start", "5.2.2 mailbox full", "5.2.2"},
    {"at the end", "mailbox full 5.2.2", "5.2.2"},
    {"in parentheses", "rejected (5.7.26)", "5.7.26"},
    {"after a hash", "#5.1.1 smtp;550", "5.1.1"},
    {"sentence end", "the code was 4.4.7.", "4.4.7"},
    {"first of two", "4.4.1 then 5.4.7", "4.4.1"},
    {"after an IP address", "host 192.0.2.7 said 5.7.1 denied", "5.7.1"},
    {"dotted quad is not a code", "relay 5.9.12.34 down", ""},
    {"detail too long", "550 5.1.1000", ""},
    {"inside a longer number", "10.5.1.1 x", ""},
    {"class 3", "3.1.1 odd", ""},
    {"no code", "User unknown", ""},
    {"empty", "", ""},
    /* Regression (was a bug): the header says only codes standing as words
     * count, but a code glued to letters is found. */
    {"letter before", "idx5.1.1 here", ""},
    {"letter after", "5.1.1x here", ""},
};
#define NFIND_OK PB_NELEM(find_cases)

START_TEST(find_status)
{
	char out[12] = "garbage";

	pb_dsn_find_status(find_cases[_i].text, out);
	ck_assert_msg(strcmp(out, find_cases[_i].want) == 0,
	              "case \"%s\": got \"%s\", want \"%s\"",
	              find_cases[_i].name, out, find_cases[_i].want);
}
END_TEST

/* --- pb_dsn_find_reply_status ------------------------------------------ */

static const struct {
	const char *name;
	const char *text;
	const char *want;
} reply_status_cases[] = {
    {"the server's code after a reporter's own",
     "5.1.0 - Unknown address error 550-'5.2.2 <a@b.example>... Mailbox "
     "Full' (delivery attempts: 0)",
     "5.2.2"},
    {"the first reply's code, even of another class",
     "554 4.4.7 Message expired: <421 4.4.2 Connection timed out>", "4.4.7"},
    {"after a hash", "550 #5.1.0 Address rejected", "5.1.0"},
    {"continued reply", "550-5.7.1 [192.0.2.1] listed", "5.7.1"},
    {"no reply code: the first code", "Status 5.1.1 only", "5.1.1"},
    {"a reply without a code: the first code",
     "4.4.1 then 550 User unknown", "4.4.1"},
    {"no code", "550 User unknown", ""},
    {"a code glued to letters is none", "550 5.1.1a then 4.4.1", "4.4.1"},
    {"empty", "", ""},
};

START_TEST(find_reply_status)
{
	char out[12] = "garbage";

	pb_dsn_find_reply_status(reply_status_cases[_i].text, out);
	ck_assert_msg(strcmp(out, reply_status_cases[_i].want) == 0,
	              "case \"%s\": got \"%s\", want \"%s\"",
	              reply_status_cases[_i].name, out, reply_status_cases[_i].want);
}
END_TEST

/* --- pb_dsn_find_reply -------------------------------------------------- */

static const struct {
	const char *name;
	const char *text;
	const char *want;
} find_reply_cases[] = {
    {"at the start", "550 5.1.1 <a@b.example>: unknown", "550"},
    {"after the reporter's words",
     "host mx.example.org[192.0.2.225] said: 554 5.6.0 spam", "554"},
    {"quoted, with the status", "error 550-'5.2.2 <a@b.example>... Full'",
     "550"},
    {"the one carrying a status wins",
     "220-laposte 421 4.2.1 Service refused", "421"},
    {"success replies of a transcript are passed over",
     "Out: 250 2.1.5 Ok In: DATA Out: 354 go on Out: 451 4.3.0 later",
     "451"},
    {"glued to a colon", "550: : User unknown", "550"},
    {"after a label", "ERROR_CODE :550, mailbox unavailable", "550"},
    {"a success alone", "250 2.0.0 Ok: queued", "250"},
    {"an IP address is no code", "host [192.0.2.225] refused", ""},
    {"a port is no code",
     "connect to smtp.example.com[192.0.2.1]:587: Connection timed out", ""},
    {"part of a longer number", "id 5501234 failed", ""},
    {"no code", "User unknown", ""},
    {"empty", "", ""},
};

START_TEST(find_reply)
{
	char out[4] = "xx";

	pb_dsn_find_reply(find_reply_cases[_i].text, out);
	ck_assert_msg(strcmp(out, find_reply_cases[_i].want) == 0,
	              "case \"%s\": got \"%s\", want \"%s\"",
	              find_reply_cases[_i].name, out, find_reply_cases[_i].want);
}
END_TEST

/* A Diagnostic-Code in ISO-2022-JP (escape sequences in a 7-bit field)
 * becomes UTF-8; one that only looks odd is kept byte for byte. */
START_TEST(diagnostic_iso2022jp)
{
	static const char jis[] =
	    "Reporting-MTA: dns; mx.example.jp\n\n"
	    "Final-Recipient: rfc822; neko@example.jp\n"
	    "Action: failed\nStatus: 5.0.0\n"
	    "Diagnostic-Code: smtp; \x1b$B%f!<%6!<\x1b(B Neko\n";
	static const char jis8[] = /* eight characters, 22 bytes */
	    "Reporting-MTA: dns; mx.example.jp\n\n"
	    "Final-Recipient: rfc822; neko@example.jp\n"
	    "Action: failed\nStatus: 5.0.0\n"
	    "Diagnostic-Code: \x1b$B%f!<%6!<%f!<%6!<\x1b(B\n";
	static const char odd[] =
	    "Reporting-MTA: dns; mx.example.jp\n\n"
	    "Final-Recipient: rfc822; neko@example.jp\n"
	    "Action: failed\nStatus: 5.0.0\n"
	    "Diagnostic-Code: smtp; 550 \x1b[1m bold\n";
	struct pb_options opt;
	struct pb_dsn_report *rep = NULL;

	pb_options_init(&opt);
	ck_assert_int_eq(pb_dsn_parse(jis, strlen(jis), &opt.limits, &rep),
	                 PB_OK);
	ck_assert_uint_eq(rep->nrcpts, 1);
	/* "ユーザー" (user) */
	ck_assert_str_eq(rep->rcpts[0].diagnostic,
	                 "\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6\xe3\x83\xbc Neko");
	pb_dsn_report_free(rep);
	ck_assert_int_eq(pb_dsn_parse(odd, strlen(odd), &opt.limits, &rep),
	                 PB_OK);
	ck_assert_str_eq(rep->rcpts[0].diagnostic, "550 \x1b[1m bold");
	pb_dsn_report_free(rep);
	/* UTF-8 is longer than ISO-2022-JP: still within max_field_len,
	 * cut before a whole character (found by fuzz_dsn_fields) */
	opt.limits.max_field_len = 23; /* the 22 bytes fit, not 24 */
	ck_assert_int_eq(pb_dsn_parse(jis8, strlen(jis8), &opt.limits, &rep),
	                 PB_OK);
	/* "ユーザーユーザ": 21 bytes, the last character left out whole */
	ck_assert_str_eq(rep->rcpts[0].diagnostic,
	                 "\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6\xe3\x83\xbc"
	                 "\xe3\x83\xa6\xe3\x83\xbc\xe3\x82\xb6");
	ck_assert(rep->defects & PB_DEFECT_FIELD);
	pb_dsn_report_free(rep);
}
END_TEST

Suite *
dsn_parse_suite(void)
{
	Suite *s = suite_create("dsn_parse");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, dsn_parse, 0, NCASES_OK);
	suite_add_tcase(s, tc);

	tc = tcase_create("reply_code");
	tcase_add_loop_test(tc, reply_code, 0, PB_NELEM(reply_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("find_status");
	tcase_add_loop_test(tc, find_status, 0, NFIND_OK);
	tcase_add_loop_test(tc, find_reply, 0, PB_NELEM(find_reply_cases));
	tcase_add_loop_test(tc, find_reply_status, 0,
	                    PB_NELEM(reply_status_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("charset");
	tcase_add_test(tc, diagnostic_iso2022jp);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dsn_parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
