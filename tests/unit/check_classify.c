/*
 * check_classify.c - unit tests of classify.c and classify_table.c:
 * pb_classify_status, pb_classify_text and pb_classify (reason,
 * permanence, failed and fix owner of one recipient).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "pb_int.h"
#include "classify.h"
#include "smtp_command.h"
#include "vendor_code.h"

Suite *classify_suite(void);

/* --- pb_classify_status ------------------------------------------------ */

static const struct {
	const char *name;
	const char *code;
	enum pb_reason want;
	bool strong;
} status_cases[] = {
    {"user unknown: vague, the text decides", "5.1.1",
     PB_REASON_USERUNKNOWN, false},
    {"bad destination system: vague", "5.1.2", PB_REASON_HOSTUNKNOWN, false},
    {"mailbox full", "5.2.2", PB_REASON_MAILBOXFULL, true},
    {"mailbox full, temporary", "4.2.2", PB_REASON_MAILBOXFULL, true},
    {"message too big", "5.3.4", PB_REASON_MESGTOOBIG, true},
    {"delivery time expired: vague", "4.4.7", PB_REASON_EXPIRED, false},
    {"null MX (Microsoft reuses it: a vendor rule)", "5.1.10",
     PB_REASON_NOTACCEPT, true},
    {"5.7.1 is weak", "5.7.1", PB_REASON_SECURITYERROR, false},
    {"DMARC", "5.7.26", PB_REASON_AUTHFAILURE, true},
    {"unknown detail: subject", "5.1.99", PB_REASON_USERUNKNOWN, false},
    {"unknown detail, class 4", "4.1.99", PB_REASON_USERUNKNOWN, false},
    {"unknown subject", "5.9.9", PB_REASON_UNDEFINED, false},
    {"success", "2.0.0", PB_REASON_UNDEFINED, false},
    {"malformed", "5.1.1000", PB_REASON_UNDEFINED, false},
    {"not a code", "bogus", PB_REASON_UNDEFINED, false},
    {"empty", "", PB_REASON_UNDEFINED, false},
};

START_TEST(classify_status)
{
	bool strong = !status_cases[_i].strong;
	enum pb_reason got = pb_classify_status(status_cases[_i].code, &strong);

	ck_assert_msg(got == status_cases[_i].want,
	              "case \"%s\": reason %s, want %s", status_cases[_i].name,
	              pb_reason_name(got),
	              pb_reason_name(status_cases[_i].want));
	ck_assert_msg(strong == status_cases[_i].strong,
	              "case \"%s\": strong %d", status_cases[_i].name, strong);
}
END_TEST

/* --- pb_classify_text -------------------------------------------------- */

static const struct {
	const char *name;
	const char *text;
	enum pb_reason want;
} text_cases[] = {
    {"postfix user unknown",
     "550 5.1.1 <bob@example.org>: Recipient "
     "address rejected: User unknown in virtual "
     "alias table",
     PB_REASON_USERUNKNOWN},
    {"exchange recipient not found",
     "550 5.1.10 RESOLVER.ADR."
     "RecipientNotFound; not found",
     PB_REASON_USERUNKNOWN},
    {"mailbox full, upper case", "552 MAILBOX IS FULL", PB_REASON_MAILBOXFULL},
    {"over quota", "452 4.2.2 user is over quota", PB_REASON_MAILBOXFULL},
    {"spamhaus before spam", "554 blocked using zen.spamhaus.org",
     PB_REASON_BLOCKED},
    {"spam", "550 Message rejected as spam", PB_REASON_SPAMDETECTED},
    {"virus", "554 5.7.0 Virus found: Eicar-Test", PB_REASON_VIRUSDETECTED},
    {"DMARC", "550 5.7.26 Unauthenticated email: DMARC policy",
     PB_REASON_AUTHFAILURE},
    {"host not found",
     "Host not found for name=example.invalid",
     PB_REASON_HOSTUNKNOWN},
    /* a failed DNS look-up is a network error (as Sisimai has it) */
    {"name service error, try again",
     "Host or domain name not found. Name service error "
     "for name=example.invalid type=MX: Host not found, try again",
     PB_REASON_NETWORKERROR},
    {"name service error, host not found",
     "Host or domain name not found. Name service error "
     "for name=example.invalid type=AAAA: Host not found",
     PB_REASON_HOSTUNKNOWN},
    {"name service error alone",
     "Name service error for name=example.invalid type=MX: "
     "Malformed or unexpected name server reply",
     PB_REASON_NETWORKERROR},
    {"message too large", "552 5.3.4 Message size exceeds fixed limit",
     PB_REASON_MESGTOOBIG},
    {"timed out", "connect to mx.example.org: Connection timed out",
     PB_REASON_EXPIRED},
    {"STARTTLS", "530 5.7.0 Must issue a STARTTLS command first",
     PB_REASON_SECURITYERROR},
    {"rate limit", "421 4.7.28 rate limited", PB_REASON_SPEEDING},
    {"suspended", "550 account suspended", PB_REASON_SUSPEND},
    {"no match", "250 2.0.0 Ok: queued", PB_REASON_UNDEFINED},
    {"empty", "", PB_REASON_UNDEFINED},
    /* Regression (was a bug): "access denied" (blocked) comes before "relay
     * access denied" in pb_text_rules, so the longer phrase never matches. */
    {"relay access denied",
     "554 5.7.1 <bob@example.org>: Relay access "
     "denied",
     PB_REASON_NORELAYING},
    /* Regression (was a bug): "address rejected" (userunknown) comes before
     * "sender address rejected", so the longer phrase never matches. */
    {"listed as an open relay",
     "501 <a@example.com>... no access from mail server [192.0.2.55] "
     "which is an open relay.",
     PB_REASON_BLOCKED},
    {"a duplicate DKIM-Signature is the message's fault, not DKIM's",
     "554 Transaction failed: Duplicate header 'DKIM-Signature'.",
     PB_REASON_CONTENTERROR},
    {"the server could not load its own data",
     "451 Could not load DRD for domain (example.com)",
     PB_REASON_SYSTEMERROR},
    {"not delivered within the time allowed",
     "Your message was not delivered within 0 days and 1 hours.",
     PB_REASON_EXPIRED},
    {"SPF's words about the sending IP are SPF's",
     "550 5.7.1 SPF: the sending IP 192.0.2.1 is not permitted to send for "
     "example.com",
     PB_REASON_AUTHFAILURE},
    {"a refusal of the sending IP",
     "450 service permits 2 unverifyable sending IPs - example.com is not "
     "192.0.2.2",
     PB_REASON_BLOCKED},
    {"sender address rejected",
     "553 5.7.1 <ivy@example.com>: Sender "
     "address rejected: not owned by user",
     PB_REASON_REJECTED},
};
#define NTEXT_OK PB_NELEM(text_cases)

START_TEST(classify_text)
{
	const struct pb_text_rule *rule = pb_classify_text(text_cases[_i].text);
	enum pb_reason got = rule ? rule->reason : PB_REASON_UNDEFINED;

	ck_assert_msg(got == text_cases[_i].want,
	              "case \"%s\": reason %s, want %s", text_cases[_i].name,
	              pb_reason_name(got), pb_reason_name(text_cases[_i].want));
}
END_TEST

/* rule_reached - a diagnostic holding the rule's phrase is classified by
 * a rule of the same name: no earlier row hides it */
static void
rule_reached(const struct pb_text_rule *rule, const char *table, size_t i)
{
	char text[512], upper[256];
	const struct pb_text_rule *got;
	size_t k;

	ck_assert_msg(strlen(rule->needle) < sizeof(upper), "%s %zu", table, i);
	for (k = 0; rule->needle[k] != '\0'; k++) {
		char c = rule->needle[k];
		ck_assert_msg(!(c >= 'A' && c <= 'Z'),
		              "%s rule %zu (%s): needle not lower case", table,
		              i, rule->name);
		/* matching ignores case: try the phrase in capitals */
		upper[k] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
	}
	upper[k] = '\0';
	snprintf(text, sizeof(text), "550 host x said: %s (zz)", upper);
	got = pb_classify_text(text);
	ck_assert_msg(got != NULL && strcmp(got->name, rule->name) == 0,
	              "%s rule %zu (%s, \"%s\") is hidden by %s", table, i,
	              rule->name, rule->needle, got ? got->name : "nothing");
	ck_assert_msg(got->reason == rule->reason,
	              "%s rule %zu (%s): reason %s from a row of the same name",
	              table, i, rule->name, pb_reason_name(got->reason));
}

/* Every vendor rule is reached by a message holding its phrase. */
START_TEST(vendor_rule_reached)
{
	rule_reached(&pb_vendor_rules[_i], "vendor", (size_t)_i);
}
END_TEST

/* Every generic text rule is reached by a message holding its phrase. */
START_TEST(text_rule_reached)
{
	rule_reached(&pb_text_rules[_i], "text", (size_t)_i);
}
END_TEST

/* Every reason has an owner and the tables name only real reasons. */
START_TEST(tables_in_range)
{
	size_t i;

	for (i = 0; i < pb_text_rules_count; i++) {
		ck_assert_msg(pb_text_rules[i].reason < PB_REASON_COUNT,
		              "text rule %zu", i);
		ck_assert_msg(pb_text_rules[i].needle[0] != '\0',
		              "text rule %zu is empty", i);
	}
	for (i = 0; i < pb_vendor_rules_count; i++) {
		ck_assert_msg(pb_vendor_rules[i].reason < PB_REASON_COUNT,
		              "vendor rule %zu", i);
		ck_assert_msg(pb_vendor_rules[i].needle[0] != '\0',
		              "vendor rule %zu is empty", i);
	}
	for (i = 0; i < pb_status_rules_count; i++)
		ck_assert_msg(pb_status_rules[i].reason < PB_REASON_COUNT,
		              "status rule %zu", i);
	for (i = 0; i < PB_REASON_COUNT; i++)
		ck_assert_msg(pb_reason_owner[i] <= PB_FIX_PROVIDER,
		              "owner of %s", pb_reason_name((enum pb_reason)i));
}
END_TEST

/* --- pb_vendor_code --------------------------------------------------- */

static const struct {
	const char *text;
	const char *rule; /* NULL: no rule */
	enum pb_reason reason;
} code_cases[] = {
    {"550 5.1.0 <a@b.example> sender rejected. Please see https://www."
     "spectrum.net/ for more information. AUP#In-1310",
     "too-many-connections", PB_REASON_TOOMANYCONN},
    {"554 AUP#O-1000 blocked", "blocklist", PB_REASON_BLOCKED},
    {"554 aup#i-1530", "too-big", PB_REASON_MESGTOOBIG},
    {"554 AUP#In-9999 not in the list", NULL, PB_REASON_UNDEFINED},
    {"554 AUP#In-131", NULL, PB_REASON_UNDEFINED},
    {"554 AUP#In-13100", NULL, PB_REASON_UNDEFINED},
    {"554 AUP#CXBL (Cox: letters)", NULL, PB_REASON_UNDEFINED},
    {"554 5.7.1 listed AUP#IPBL1010 (Cox, not Spectrum's 1010)", NULL,
     PB_REASON_UNDEFINED},
    {"554 AUP#Out-1550", "too-many-recipients", PB_REASON_TOOMANYCONN},
    {"AUP#In-9999 unknown, then OFR_506", "spam", PB_REASON_SPAMDETECTED},
    {"421 Service refuse. Veuillez essayer plus tard. OFR_999 [999]",
     "orange-refused", PB_REASON_BLOCKED},
    {"421 Service refused, please try later. LPN105_510", "access-denied",
     PB_REASON_BLOCKED},
    {"550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]", "spam",
     PB_REASON_SPAMDETECTED},
    {"421 4.2.0 Service refuse. OFR005_505 [505]", "system-error",
     PB_REASON_SYSTEMERROR},
    {"550 5.5.0 Invalid recipient. LPN007_416", "user-unknown",
     PB_REASON_USERUNKNOWN},
    {"blocked by our services OFR006_101", "orange-blocked",
     PB_REASON_BLOCKED},
    {"La Poste's code names no Orange text: LPNAAA_101", "blocklist",
     PB_REASON_BLOCKED},
    {"Too many connections, slow down. LPN105-104", "too-many-connections",
     PB_REASON_TOOMANYCONN},
    {"550 5.5.0 Service refuse. LPN001_108 (the list leaves it open)",
     NULL, PB_REASON_UNDEFINED},
    {"inside a word: XOFR_506", NULL, PB_REASON_UNDEFINED},
    {"four digits: OFR_5061", NULL, PB_REASON_UNDEFINED},
    {"cut short: OFR_50", NULL, PB_REASON_UNDEFINED},
    {"", NULL, PB_REASON_UNDEFINED},
};

START_TEST(vendor_code)
{
	const struct pb_text_rule *rule = pb_vendor_code(code_cases[_i].text);

	if (code_cases[_i].rule == NULL) {
		ck_assert_msg(rule == NULL, "\"%s\": rule %s, want none",
		              code_cases[_i].text, rule ? rule->name : "");
		return;
	}
	ck_assert_msg(rule != NULL && strcmp(rule->name, code_cases[_i].rule) == 0,
	              "\"%s\": rule %s, want %s", code_cases[_i].text,
	              rule ? rule->name : "none", code_cases[_i].rule);
	ck_assert_int_eq(rule->reason, code_cases[_i].reason);
}
END_TEST

/* The carrier's filter sign decides only for words no rule knows. */
START_TEST(carrier_filter)
{
	struct pb_rcpt r;

	memset(&r, 0, sizeof(r));
	r.failed = true;
	r.reason = PB_REASON_ONHOLD;
	r.rule = "";
	pb_classify_carrier_filter(&r);
	ck_assert_int_eq(r.reason, PB_REASON_FILTERED);
	ck_assert_str_eq(r.rule, "au-filtered");
	ck_assert_int_eq(r.fix_owner, PB_FIX_RECIPIENT);

	r.reason = PB_REASON_MAILBOXFULL;
	r.rule = "mailbox-full";
	pb_classify_carrier_filter(&r);
	ck_assert_int_eq(r.reason, PB_REASON_MAILBOXFULL);
	ck_assert_str_eq(r.rule, "mailbox-full");

	r.failed = false; /* delivered: nothing to explain */
	r.reason = PB_REASON_UNDEFINED;
	r.rule = "";
	pb_classify_carrier_filter(&r);
	ck_assert_int_eq(r.reason, PB_REASON_UNDEFINED);
}
END_TEST

/* --- pb_classify ------------------------------------------------------- */

/* pb_classify only reads the strings */
#define S(s) ((char *)(uintptr_t)(s))

static const struct {
	const char *name;
	const char *status, *reply, *action, *diag;
	enum pb_reason reason;
	bool hard, failed;
	enum pb_fix_owner owner;
} rcpt_cases[] = {
    {"a non-standard action (SendGrid's expired) is a failure", "", "",
     "expired", "Connection timed out", PB_REASON_EXPIRED, true, true,
     PB_FIX_RECIPIENT},
    {"a non-standard action with a success status is not", "2.1.5", "250",
     "deliverable", "250 2.1.5 Ok", PB_REASON_UNDEFINED, false, false,
     PB_FIX_PROVIDER},
    {"vague 5.1.1: the text decides", "5.1.1", "550", "failed",
     "550 5.1.1 mailbox full", PB_REASON_MAILBOXFULL, true, true,
     PB_FIX_RECIPIENT},
    {"strong 5.2.2 beats a generic text", "5.2.2", "552", "failed",
     "552 5.2.2 user unknown", PB_REASON_MAILBOXFULL, true, true,
     PB_FIX_RECIPIENT},
    {"a vendor text beats strong 5.2.2", "5.2.2", "550", "failed",
     "550 5.2.2 The email account that you tried to reach is disabled",
     PB_REASON_SUSPEND, true, true, PB_FIX_RECIPIENT},
    {"a Status of 5.0.0 yields to the reply's precise 5.7.26", "5.0.0",
     "550", "failed",
     "550 5.7.26 <a@b.example>: Recipient address rejected: see the page",
     PB_REASON_AUTHFAILURE, true, true, PB_FIX_PROVIDER},
    {"a strong Status is not overruled by the reply's code", "5.2.2",
     "550", "failed", "550 5.7.26 whatever", PB_REASON_MAILBOXFULL, true,
     true, PB_FIX_RECIPIENT},
    {"refused at MAIL FROM, nothing else known", "", "550", "failed",
     "SMTP error from remote mail server after MAIL FROM:<a@b.example>: "
     "550 go away",
     PB_REASON_REJECTED, true, true, PB_FIX_PROVIDER},
    {"delayed with a vague status: expired", "4.4.0", "", "delayed",
     "Connection lost", PB_REASON_EXPIRED, false, true,
     PB_FIX_RECIPIENT},
    {"text beats weak 5.7.1", "5.7.1", "554", "failed",
     "554 5.7.1 Service unavailable; blocked using zen.spamhaus.org",
     PB_REASON_BLOCKED, true, true, PB_FIX_PROVIDER},
    {"weak 5.7.1 when no text matches", "5.7.1", "550", "failed",
     "550 5.7.1 go away", PB_REASON_SECURITYERROR, true, true, PB_FIX_PROVIDER},
    {"text beats weak 5.1.10", "5.1.10", "550", "failed",
     "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found",
     PB_REASON_USERUNKNOWN, true, true, PB_FIX_SENDER},
    {"subject fallback", "5.1.99", "", "failed", "", PB_REASON_USERUNKNOWN,
     true, true, PB_FIX_SENDER},
    {"mailbox full", "5.2.2", "552", "failed", "552 5.2.2 Mailbox full",
     PB_REASON_MAILBOXFULL, true, true, PB_FIX_RECIPIENT},
    {"message too big", "5.3.4", "552", "failed", "552 5.3.4 too big",
     PB_REASON_MESGTOOBIG, true, true, PB_FIX_SENDER},
    {"unknown host", "5.1.2", "", "failed", "", PB_REASON_HOSTUNKNOWN, true,
     true, PB_FIX_SENDER},
    {"words no rule knows: onhold", "5.9.9", "550", "failed",
     "something odd", PB_REASON_ONHOLD, true, true, PB_FIX_PROVIDER},
    {"no words at all: undefined", "5.9.9", "550", "failed", "",
     PB_REASON_UNDEFINED, true, true, PB_FIX_PROVIDER},
    {"spam text with 5.7.1", "5.7.1", "550", "failed",
     "550 5.7.1 Message rejected as spam", PB_REASON_SPAMDETECTED, true, true,
     PB_FIX_SENDER},
    {"delayed 4.4.7", "4.4.7", "", "delayed", "", PB_REASON_EXPIRED, false,
     true, PB_FIX_RECIPIENT},
    {"delayed over quota", "4.2.2", "452", "delayed", "452 4.2.2 over quota",
     PB_REASON_MAILBOXFULL, false, true, PB_FIX_RECIPIENT},
    {"delayed greylisting", "4.7.1", "450", "delayed",
     "450 4.7.1 Greylisted, please try again later", PB_REASON_BLOCKED, false,
     true, PB_FIX_PROVIDER},
    {"delayed without anything: expired", "", "", "delayed", "",
     PB_REASON_EXPIRED, false, true, PB_FIX_RECIPIENT},
    {"delivered", "2.0.0", "250", "delivered", "250 2.0.0 Ok",
     PB_REASON_UNDEFINED, false, false, PB_FIX_PROVIDER},
    {"relayed", "2.0.0", "", "relayed", "", PB_REASON_UNDEFINED, false, false,
     PB_FIX_PROVIDER},
    {"no Action, 4.x status: failed, soft", "4.2.2", "", "", "",
     PB_REASON_MAILBOXFULL, false, true, PB_FIX_RECIPIENT},
    {"no Action, 2.x status: not failed", "2.0.0", "", "", "",
     PB_REASON_UNDEFINED, false, false, PB_FIX_PROVIDER},
    {"no Action, no status: reply decides", "", "550", "", "550 User unknown",
     PB_REASON_USERUNKNOWN, true, true, PB_FIX_SENDER},
    {"no status: 4xx reply is soft", "", "450", "failed",
     "450 mailbox unavailable", PB_REASON_USERUNKNOWN, false, true,
     PB_FIX_SENDER},
    {"no status, no reply: failed is hard", "", "", "failed",
     "connect to mx.example.org: No route to host", PB_REASON_NETWORKERROR,
     true, true, PB_FIX_RECIPIENT},
    {"status class beats reply class", "4.2.2", "550", "failed", "",
     PB_REASON_MAILBOXFULL, false, true, PB_FIX_RECIPIENT},
    {"a provider's code beats a strong status and the generic text",
     "5.2.0", "550", "failed",
     "550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]",
     PB_REASON_SPAMDETECTED, true, true, PB_FIX_SENDER},
    {"GoDaddy's invalid From domain beats strong 5.2.0", "5.2.0", "550",
     "failed",
     "550 5.2.0 <a@b.example> From: Domain is invalid. Please provide a "
     "valid From: IB506",
     PB_REASON_REJECTED, true, true, PB_FIX_PROVIDER},
    {"user unknown under 5.7.1, not at RCPT TO: a filter", "5.7.1", "550",
     "failed", "550 5.7.1 550 User Unknown: bob@example.org",
     PB_REASON_FILTERED, true, true, PB_FIX_RECIPIENT},
    {"user unknown under 5.7.1 at RCPT TO: the address", "5.7.1", "553",
     "failed",
     "553 Invalid recipient bob@example.org (in reply to RCPT TO command)",
     PB_REASON_USERUNKNOWN, true, true, PB_FIX_SENDER},
    /* Regression (was a bug): see classify_text "relay access denied" */
    {"relay access denied", "5.7.1", "554", "failed",
     "554 5.7.1 <bob@example.org>: Relay access denied", PB_REASON_NORELAYING,
     true, true, PB_FIX_PROVIDER},
};
#define NRCPT_OK PB_NELEM(rcpt_cases)

START_TEST(classify_rcpt)
{
	struct pb_rcpt r;

	memset(&r, 0, sizeof(r));
	r.addr = r.alias = r.rhost = r.retry_until = S("");
	r.status = S(rcpt_cases[_i].status);
	r.reply = S(rcpt_cases[_i].reply);
	r.action = S(rcpt_cases[_i].action);
	r.diagnostic = S(rcpt_cases[_i].diag);
	/* as dsn_parse.c sets it */
	r.command = S(pb_smtp_command_find(r.diagnostic, strlen(r.diagnostic)));
	r.reason = PB_REASON_NOTCOMPLIANTRFC; /* must be overwritten */
	r.hard = !rcpt_cases[_i].hard;
	r.failed = !rcpt_cases[_i].failed;
	pb_classify(&r);
	ck_assert_msg(r.reason == rcpt_cases[_i].reason,
	              "case \"%s\": reason %s, want %s", rcpt_cases[_i].name,
	              pb_reason_name(r.reason),
	              pb_reason_name(rcpt_cases[_i].reason));
	ck_assert_msg(r.hard == rcpt_cases[_i].hard, "case \"%s\": hard %d",
	              rcpt_cases[_i].name, r.hard);
	ck_assert_msg(r.failed == rcpt_cases[_i].failed,
	              "case \"%s\": failed %d", rcpt_cases[_i].name, r.failed);
	ck_assert_msg(r.fix_owner == rcpt_cases[_i].owner,
	              "case \"%s\": owner %s, want %s", rcpt_cases[_i].name,
	              pb_fix_owner_name(r.fix_owner),
	              pb_fix_owner_name(rcpt_cases[_i].owner));
}
END_TEST

Suite *
classify_suite(void)
{
	Suite *s = suite_create("classify");
	TCase *tc;

	tc = tcase_create("status");
	tcase_add_loop_test(tc, classify_status, 0, PB_NELEM(status_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_loop_test(tc, classify_text, 0, NTEXT_OK);
	tcase_add_test(tc, tables_in_range);
	tcase_add_loop_test(tc, vendor_rule_reached, 0,
	                    (int)pb_vendor_rules_count);
	tcase_add_loop_test(tc, text_rule_reached, 0, (int)pb_text_rules_count);
	suite_add_tcase(s, tc);

	tc = tcase_create("vendor code");
	tcase_add_loop_test(tc, vendor_code, 0, PB_NELEM(code_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("carrier filter");
	tcase_add_test(tc, carrier_filter);
	suite_add_tcase(s, tc);

	tc = tcase_create("rcpt");
	tcase_add_loop_test(tc, classify_rcpt, 0, NRCPT_OK);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(classify_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
