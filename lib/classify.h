/*
 * classify.h - reason, permanence and fix owner of one failed recipient.
 */
#ifndef PB_CLASSIFY_H
#define PB_CLASSIFY_H

#include "plainbounce.h"

/* One ordered text rule: a case-insensitive substring of the diagnostic.
 * Several rows may share a name; the name is the rule's catalog key
 * (rule:NAME) and is reported in pb_rcpt.rule. */
struct pb_text_rule {
	const char *name;
	const char *needle; /* lower case */
	enum pb_reason reason;
};

/* One status rule.  A rule for the exact code whose reason is not one
 * of the vague ones (pb_classify_is_vague()) is strong: it wins over
 * the generic text rules; the others apply only when no text rule
 * matched. */
struct pb_status_rule {
	const char *code; /* "5.1.1", or "5.1" for a whole subject */
	enum pb_reason reason;
};

/* The tables, in classify_table.c.  Vendor rules win over every status
 * rule; the generic text rules only over weak ones. */
extern const struct pb_text_rule pb_vendor_rules[];
extern const size_t pb_vendor_rules_count;
extern const struct pb_text_rule pb_text_rules[];
extern const size_t pb_text_rules_count;
extern const struct pb_status_rule pb_status_rules[];
extern const size_t pb_status_rules_count;
extern const enum pb_fix_owner pb_reason_owner[PB_REASON_COUNT];

/*
 * pb_classify - set r->reason, r->hard, r->fix_owner and r->failed from
 * its status, reply code, action and diagnostic (r is borrowed and
 * only those four fields are written).  Never fails.
 */
void pb_classify(struct pb_rcpt *r);

/*
 * pb_classify_carrier_filter - the notice as a whole says that the
 * mobile carrier's filter refused the message (au's "X-SPASIGN: NG"):
 * r, whose own words told no reason (onhold, undefined), is filtered.
 */
void pb_classify_carrier_filter(struct pb_rcpt *r);

/* pb_classify_text - the first vendor rule, else the first generic text
 * rule, that matches text, or NULL.  Linear in the text length. */
const struct pb_text_rule *pb_classify_text(const char *text);

/* pb_classify_vendor - the first vendor rule that matches text, or NULL */
const struct pb_text_rule *pb_classify_vendor(const char *text);

/* pb_classify_status - the reason for an enhanced status code and
 * whether the rule is strong; PB_REASON_UNDEFINED when unknown */
enum pb_reason pb_classify_status(const char *code, bool *strong);

/* pb_classify_is_vague - is reason one that a status code only hints at
 * (undefined, onhold, systemerror, securityerror, expired, suspend,
 * networkerror, hostunknown, userunknown), so that the diagnostic text
 * decides?  Sisimai retries these the same way. */
bool pb_classify_is_vague(enum pb_reason reason);

#endif /* PB_CLASSIFY_H */
