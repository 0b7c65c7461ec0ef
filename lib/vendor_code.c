/*
 * vendor_code.c - the reason a provider's own error code gives: the
 *                 numbers that Spectrum (Charter) and Orange / La Poste
 *                 put in their replies and explain in their published
 *                 lists of error codes.
 *
 * Input:     a diagnostic text (borrowed).
 * Output:    a rule (catalog name and reason) from the tables below, or
 *            NULL when the text holds no code these tables know.
 * Status:    none.
 * Limits:    one pass per marker over the text: linear, no backtracking.
 * Next:      classify.c, which ranks such a rule as a vendor rule.
 *
 * Spectrum: "AUP#In-1310", "AUP#O-1000" - "I"/"In" for mail coming
 * in, "O"/"Out" for mail going out, then four digits (Cox's "AUP#CXBL"
 * or "AUP#IPBL1010" are other lists).  Orange and La Poste: "OFR_506",
 * "OFR005_505", "LPN007_416", "LPNAAA_101", "OUK_513" - the last three
 * digits say why.  The rule names are the generic rules whose
 * explanation fits, so each code reads as its kind of failure; only
 * Orange's own codes get the texts that name Orange.
 */
#include "config.h"

#include <string.h>

#include "pb_int.h"
#include "classify.h"
#include "vendor_code.h"

/* A range of a provider's codes and what they mean. */
struct code_rule {
	unsigned lo, hi;
	struct pb_text_rule rule;    /* needle: the provider's words */
	struct pb_text_rule laposte; /* La Poste's meaning of an Orange
	                                rule (name NULL: the same) */
};

/* an entry; CODE_ALT: with the name of La Poste's meaning */
#define CODE(lo, hi, name, words, reason)                                      \
	{lo, hi, {name, words, reason}, {NULL, NULL, PB_REASON_UNDEFINED}}
#define CODE_ALT(lo, hi, name, words, reason, alt)                             \
	{lo, hi, {name, words, reason}, {alt, words, reason}}

/* https://www.spectrum.net/support/internet/understanding-email-error-codes */
static const struct code_rule spectrum_codes[] = {
    CODE(1000, 1000, "blocklist", "ip blocked for suspicious activity", PB_REASON_BLOCKED),
    CODE(1010, 1080, "sender-rejected", "account blocked from sending", PB_REASON_REJECTED),
    CODE(1090, 1090, "system-error", "cannot be processed now", PB_REASON_SYSTEMERROR),
    CODE(1100, 1150, "ptr-missing", "sending ip has a dns problem", PB_REASON_REQUIREPTR),
    CODE(1160, 1190, "policy", "against the domain's security policy", PB_REASON_POLICYVIOLATION),
    CODE(1200, 1210, "blocklist", "ip flagged by cloudmark csi", PB_REASON_BLOCKED),
    CODE(1220, 1250, "blocklist-spamhaus", "ip listed by spamhaus", PB_REASON_BLOCKED),
    CODE(1300, 1340, "too-many-connections", "too many connections", PB_REASON_TOOMANYCONN),
    CODE(1350, 1490, "rate-limited", "too many messages or recipients", PB_REASON_SPEEDING),
    CODE(1500, 1520, "sender-rejected", "sending as another address", PB_REASON_REJECTED),
    CODE(1530, 1530, "too-big", "larger than 20 mb", PB_REASON_MESGTOOBIG),
    CODE(1540, 1540, "rate-limited", "too many in one session", PB_REASON_SPEEDING),
    CODE(1550, 1550, "too-many-recipients", "too many recipients", PB_REASON_TOOMANYCONN),
    CODE(1560, 1560, "policy", "too many invalid recipients", PB_REASON_POLICYVIOLATION),
};

/* Orange (OFR) and La Poste (LPN), as their replies spell them out */
static const struct code_rule orange_codes[] = {
    CODE_ALT(101, 102, "orange-blocked", "blocked by our services", PB_REASON_BLOCKED, "blocklist"),
    CODE_ALT(103, 103, "orange-refused", "service refused, please try later", PB_REASON_BLOCKED, "access-denied"),
    CODE(104, 104, "too-many-connections", "too many connections, slow down", PB_REASON_TOOMANYCONN),
    CODE(305, 305, "auth-required", "invalid authentication code", PB_REASON_SECURITYERROR),
    CODE(402, 402, "auth-required", "authentication required", PB_REASON_SECURITYERROR),
    CODE(403, 415, "sender-rejected", "invalid sender", PB_REASON_REJECTED),
    CODE(416, 416, "user-unknown", "invalid recipient", PB_REASON_USERUNKNOWN),
    CODE(417, 417, "mailbox-full", "recipient overquota", PB_REASON_MAILBOXFULL),
    CODE(418, 418, "user-unknown", "invalid recipient", PB_REASON_USERUNKNOWN),
    CODE(420, 420, "account-disabled", "archived recipient", PB_REASON_SUSPEND),
    CODE(421, 421, "sender-rejected", "mail from not owned by user", PB_REASON_REJECTED),
    CODE(426, 426, "account-disabled", "the recipient account is blocked", PB_REASON_SUSPEND),
    CODE(505, 505, "system-error", "service refused, please try later", PB_REASON_SYSTEMERROR),
    CODE(506, 506, "spam", "mail rejected", PB_REASON_SPAMDETECTED),
    CODE_ALT(510, 510, "orange-refused", "service refused", PB_REASON_BLOCKED, "access-denied"),
    CODE(514, 514, "too-big", "message size limit reached", PB_REASON_MESGTOOBIG),
    CODE(517, 517, "dmarc-fail", "dmarc verification failed", PB_REASON_AUTHFAILURE),
    CODE_ALT(999, 999, "orange-refused", "service refused, please try later", PB_REASON_BLOCKED, "access-denied"),
};

/* lookup - the entry of table[0..n) whose range holds code, or NULL */
static const struct code_rule *
lookup(const struct code_rule *table, size_t n, unsigned code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (code >= table[i].lo && code <= table[i].hi)
			return &table[i];
	return NULL;
}

/* is_alnum - ASCII letter or digit */
static bool
is_alnum(char c)
{
	return pb_ascii_is_digit(c) || pb_ascii_is_alpha(c);
}

/* digits - the value of the k digits at p, which must all be digits
 * and end before e; -1 otherwise */
static long
digits(const char *p, const char *e, size_t k)
{
	long v = 0;
	size_t i;

	if ((size_t)(e - p) < k)
		return -1;
	for (i = 0; i < k; i++) {
		if (!pb_ascii_is_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* Spectrum's directions, the longer spellings first */
static const char *const directions[] = {"out", "in", "o", "i"};

/* spectrum_code - "AUP#", a direction ("I", "In", "O", "Out"), an
 * optional '-', then four digits */
static long
spectrum_code(const char *t, size_t n)
{
	const char *e = t + n, *p = t, *q, *dir;
	long v;

	while ((p = pb_ascii_casestr(p, (size_t)(e - p), "aup#")) != NULL) {
		p += 4;
		if ((dir = pb_ascii_starts_any(p, (size_t)(e - p), directions,
		                               PB_NELEM(directions))) == NULL)
			continue;
		q = p + strlen(dir);
		if (q < e && *q == '-')
			q++;
		if ((v = digits(q, e, 4)) >= 0 && (q + 4 == e || !is_alnum(q[4])))
			return v;
	}
	return -1;
}

/* orange_code - a word "OFR", "LPN" or "OUK" (up to three more letters:
 * "LPNAAA"), then "_NNN" or "NNN_NNN" / "NNN-NNN", ending the word:
 * the last three digits; *orange set for Orange's own (OFR, OUK) */
static long
orange_code(const char *t, size_t n, bool *orange)
{
	static const char *const marks[] = {"ofr", "lpn", "ouk"};
	const char *e = t + n, *p, *q;
	size_t i, k;

	for (i = 0; i < PB_NELEM(marks); i++) {
		for (p = t; (p = pb_ascii_casestr(p, (size_t)(e - p), marks[i])) !=
		            NULL;) {
			bool word = p == t || !is_alnum(p[-1]);
			p += 3;
			for (k = 0; k < 3 && p < e && is_alnum(*p) && !pb_ascii_is_digit(*p); k++)
				p++;
			q = NULL;
			if (p < e && *p == '_' && digits(p + 1, e, 3) >= 0)
				q = p + 1;
			else if (digits(p, e, 3) >= 0 && p + 3 < e &&
			         (p[3] == '_' || p[3] == '-') &&
			         digits(p + 4, e, 3) >= 0)
				q = p + 4;
			if (word && q != NULL && (q + 3 == e || !is_alnum(q[3]))) {
				*orange = i != 1;
				return digits(q, e, 3);
			}
		}
	}
	return -1;
}

const struct pb_text_rule *
pb_vendor_code(const char *text)
{
	const struct code_rule *c = NULL;
	size_t n = strlen(text);
	bool orange = true;
	long code;

	if ((code = spectrum_code(text, n)) >= 0)
		c = lookup(spectrum_codes, PB_NELEM(spectrum_codes),
		           (unsigned)code);
	if (c == NULL && (code = orange_code(text, n, &orange)) >= 0)
		c = lookup(orange_codes, PB_NELEM(orange_codes), (unsigned)code);
	if (c == NULL)
		return NULL;
	return orange || c->laposte.name == NULL ? &c->rule : &c->laposte;
}
