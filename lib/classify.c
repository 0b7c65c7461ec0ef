/*
 * classify.c - turn a recipient's status, reply code, action and
 *              diagnostic into a reason, permanence and fix owner.
 *
 * Input:     one struct pb_rcpt as dsn_parse.c filled it (borrowed).
 * Output:    its reason, hard, failed and fix_owner fields.
 * Status:    none; unknown input gives PB_REASON_UNDEFINED.
 * Limits:    text rules are plain substrings matched one after the
 *            other: time is linear in the diagnostic length times the
 *            (fixed) table size, with no backtracking.
 * Next:      explain.c picks the text.
 *
 * Order (DESIGN.md section 3): a provider's own error code
 * (vendor_code.c) or a vendor text rule (a phrase only one provider
 * writes), then a strong status rule (a code that means one
 * thing, like 5.2.2), then the generic text rules (as ordered in
 * classify_table.c), then a vague status rule (codes that say little or
 * that vendors reuse, like 5.7.1 or 5.1.1) -- or "expired" when the
 * recipient is still being retried --, then the SMTP command (refused
 * at connection: blocked; at MAIL FROM: rejected), then undefined.
 */
#include "config.h"

#include <string.h>

#include "pb_int.h"
#include "classify.h"
#include "dsn_parse.h"
#include "vendor_code.h"

/* first_rule - the first rule of table[0..n) matching text[0..len) */
static const struct pb_text_rule *
first_rule(const struct pb_text_rule *table, size_t n, const char *text,
           size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pb_ascii_casestr(text, len, table[i].needle) != NULL)
			return &table[i];
	return NULL;
}

const struct pb_text_rule *
pb_classify_vendor(const char *text)
{
	return first_rule(pb_vendor_rules, pb_vendor_rules_count, text,
	                  strlen(text));
}

const struct pb_text_rule *
pb_classify_text(const char *text)
{
	const struct pb_text_rule *rule = pb_classify_vendor(text);

	if (rule != NULL)
		return rule;
	return first_rule(pb_text_rules, pb_text_rules_count, text,
	                  strlen(text));
}

void
pb_classify_carrier_filter(struct pb_rcpt *r)
{
	if (r->failed && (r->reason == PB_REASON_ONHOLD ||
	                  r->reason == PB_REASON_UNDEFINED)) {
		r->reason = PB_REASON_FILTERED;
		r->rule = "au-filtered";
		r->fix_owner = pb_reason_owner[r->reason];
	}
}

/* find_rule - the status rule for code exactly, or NULL */
static const struct pb_status_rule *
find_rule(const char *code)
{
	size_t i;

	for (i = 0; i < pb_status_rules_count; i++)
		if (strcmp(pb_status_rules[i].code, code) == 0)
			return &pb_status_rules[i];
	return NULL;
}

enum pb_reason
pb_classify_status(const char *code, bool *strong)
{
	const struct pb_status_rule *rule;
	char subject[8];
	const char *dot;

	*strong = false;
	if (!pb_is_status_code(code, strlen(code)) || code[0] == '2')
		return PB_REASON_UNDEFINED; /* success codes name no failure */
	/* the class does not change the meaning: look up 5.x.y for 4.x.y
	 * too unless a 4.x.y rule exists */
	if ((rule = find_rule(code)) == NULL && code[0] == '4') {
		char five[12];
		strncpy(five, code, sizeof(five) - 1);
		five[sizeof(five) - 1] = '\0';
		five[0] = '5';
		rule = find_rule(five);
	}
	if (rule != NULL) {
		*strong = !pb_classify_is_vague(rule->reason);
		return rule->reason;
	}
	dot = strchr(code + 2, '.');
	if (dot == NULL || (size_t)(dot - code) >= sizeof(subject))
		return PB_REASON_UNDEFINED;
	memcpy(subject, code, (size_t)(dot - code));
	subject[dot - code] = '\0';
	subject[0] = '5';
	rule = find_rule(subject);
	return rule ? rule->reason : PB_REASON_UNDEFINED;
}

bool
pb_classify_is_vague(enum pb_reason reason)
{
	switch (reason) {
	case PB_REASON_UNDEFINED:
	case PB_REASON_ONHOLD:
	case PB_REASON_SYSTEMERROR:
	case PB_REASON_SECURITYERROR:
	case PB_REASON_EXPIRED:
	case PB_REASON_SUSPEND:
	case PB_REASON_NETWORKERROR:
	case PB_REASON_HOSTUNKNOWN:
	case PB_REASON_USERUNKNOWN:
		return true;
	default:
		return false;
	}
}

/* command_is - did the failure answer SMTP command c? */
static bool
command_is(const struct pb_rcpt *r, const char *c)
{
	return r->command != NULL && strcmp(r->command, c) == 0;
}

/* is_failed_action - does the Action call for an explanation? */
static bool
is_failed_action(const char *action)
{
	/* RFC 3464's success actions; anything else ("failed", "delayed",
	 * and non-standard words such as SendGrid's "expired") is a
	 * failure to explain */
	return strcmp(action, "delivered") != 0 &&
	       strcmp(action, "relayed") != 0 && strcmp(action, "expanded") != 0;
}

/* status_in_diagnostic - a Status field that says little (5.0.0) next
 * to a precise code in the server's own reply ("550 5.7.26 ..."): the
 * reply's code decides, when its rule is a strong one */
static void
status_in_diagnostic(const struct pb_rcpt *r, enum pb_reason *by_status,
                     bool *strong)
{
	char code[12];
	enum pb_reason reason;
	bool s;

	pb_dsn_find_reply_status(r->diagnostic, code);
	if (code[0] == '\0' || strcmp(code, r->status) == 0)
		return;
	reason = pb_classify_status(code, &s);
	if (reason != PB_REASON_UNDEFINED && s) {
		*by_status = reason;
		*strong = true;
	}
}

void
pb_classify(struct pb_rcpt *r)
{
	const struct pb_text_rule *rule;
	enum pb_reason reason, by_status;
	bool strong, vendor;

	if (r->action[0] != '\0')
		r->failed = is_failed_action(r->action) && r->status[0] != '2';
	else /* no Action: go by the status class */
		r->failed = r->status[0] == '4' || r->status[0] == '5' ||
		            r->status[0] == '\0';
	if (r->status[0] != '\0')
		r->hard = r->status[0] == '5';
	else if (r->reply[0] != '\0')
		r->hard = r->reply[0] == '5';
	else
		r->hard = strcmp(r->action, "delayed") != 0;

	by_status = pb_classify_status(r->status, &strong);
	if (!strong)
		status_in_diagnostic(r, &by_status, &strong);
	if ((rule = pb_vendor_code(r->diagnostic)) != NULL)
		vendor = true; /* a provider's own code */
	else {
		rule = pb_classify_text(r->diagnostic);
		vendor = rule != NULL && rule >= pb_vendor_rules &&
		         rule < pb_vendor_rules + pb_vendor_rules_count;
	}
	r->rule = rule ? rule->name : "";
	if (vendor)
		reason = rule->reason; /* a vendor text says more */
	else if (by_status != PB_REASON_UNDEFINED && strong)
		reason = by_status;
	else if (rule != NULL)
		reason = rule->reason;
	else if (by_status != PB_REASON_UNDEFINED &&
	         strcmp(r->action, "delayed") == 0)
		reason = PB_REASON_EXPIRED; /* still retried, nothing said */
	else if (by_status != PB_REASON_UNDEFINED)
		reason = by_status;
	else if (command_is(r, "CONN") || command_is(r, "HELO"))
		reason = PB_REASON_BLOCKED; /* refused before any address */
	else if (command_is(r, "MAIL"))
		reason = PB_REASON_REJECTED; /* the sender was refused */
	else
		reason = PB_REASON_UNDEFINED;
	/* refused when connecting or greeting, before any address: the
	 * sending server was blocked, whatever generic words followed */
	if ((command_is(r, "CONN") || command_is(r, "HELO")) && !vendor &&
	    !(strong && by_status == reason))
		reason = PB_REASON_BLOCKED;
	/* "no such user" that the status code does not back up, in
	 * answer to the message itself (end of DATA) rather than to RCPT
	 * TO: a filter at the recipient refused the message (Sisimai's
	 * "filtered") */
	if (reason == PB_REASON_USERUNKNOWN && by_status != reason &&
	    command_is(r, "DATA"))
		reason = PB_REASON_FILTERED;
	/* ... or, not in answer to RCPT TO, under a code of the policy
	 * subject (5.7.x, "delivery not authorized"): the recipient's
	 * rules refused the message, whatever the generic words say */
	if (reason == PB_REASON_USERUNKNOWN && !vendor &&
	    r->status[0] != '\0' && strncmp(r->status + 1, ".7.", 3) == 0 &&
	    !command_is(r, "RCPT"))
		reason = PB_REASON_FILTERED;
	if (reason == PB_REASON_UNDEFINED && strcmp(r->action, "delayed") == 0)
		reason = PB_REASON_EXPIRED;
	/* the server did answer, in words no rule knows: "onhold" (a
	 * person must read them); "undefined" is for a report with none */
	if (reason == PB_REASON_UNDEFINED && r->failed &&
	    r->diagnostic != NULL && r->diagnostic[0] != '\0')
		reason = PB_REASON_ONHOLD;
	r->reason = reason;
	r->fix_owner = pb_reason_owner[reason];
}
