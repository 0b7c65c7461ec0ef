/*
 * names.c - names of the public enumerations (status, kind, reason, fix
 *           owner), as used in the JSON output and the catalog keys.
 *
 * Input:     enum values; out-of-range values map to a fallback name.
 * Output:    static strings (view, valid forever).
 */
#include "config.h"

#include <string.h>

#include "pb_int.h"
#include "names.h"

static const char *const reason_names[PB_REASON_COUNT] = {
    [PB_REASON_UNDEFINED] = "undefined",
    [PB_REASON_USERUNKNOWN] = "userunknown",
    [PB_REASON_MAILBOXFULL] = "mailboxfull",
    [PB_REASON_HOSTUNKNOWN] = "hostunknown",
    [PB_REASON_BLOCKED] = "blocked",
    [PB_REASON_SPAMDETECTED] = "spamdetected",
    [PB_REASON_POLICYVIOLATION] = "policyviolation",
    [PB_REASON_FILTERED] = "filtered",
    [PB_REASON_REJECTED] = "rejected",
    [PB_REASON_EXPIRED] = "expired",
    [PB_REASON_MESGTOOBIG] = "mesgtoobig",
    [PB_REASON_EXCEEDLIMIT] = "exceedlimit",
    [PB_REASON_NORELAYING] = "norelaying",
    [PB_REASON_NOTACCEPT] = "notaccept",
    [PB_REASON_NETWORKERROR] = "networkerror",
    [PB_REASON_SECURITYERROR] = "securityerror",
    [PB_REASON_SYSTEMERROR] = "systemerror",
    [PB_REASON_SYSTEMFULL] = "systemfull",
    [PB_REASON_TOOMANYCONN] = "toomanyconn",
    [PB_REASON_SUSPEND] = "suspend",
    [PB_REASON_HASMOVED] = "hasmoved",
    [PB_REASON_SYNTAXERROR] = "syntaxerror",
    [PB_REASON_CONTENTERROR] = "contenterror",
    [PB_REASON_MAILERERROR] = "mailererror",
    [PB_REASON_VIRUSDETECTED] = "virusdetected",
    [PB_REASON_ONHOLD] = "onhold",
    [PB_REASON_AUTHFAILURE] = "authfailure",
    [PB_REASON_REQUIREPTR] = "requireptr",
    [PB_REASON_BADREPUTATION] = "badreputation",
    [PB_REASON_SPEEDING] = "speeding",
    [PB_REASON_NOTCOMPLIANTRFC] = "notcompliantrfc",
};

const char *
pb_reason_name(enum pb_reason reason)
{
	if ((unsigned)reason >= PB_REASON_COUNT)
		return "undefined";
	return reason_names[reason];
}

bool
pb_reason_from_name(const char *name, enum pb_reason *out)
{
	size_t i;

	for (i = 0; i < PB_REASON_COUNT; i++)
		if (strcmp(reason_names[i], name) == 0) {
			*out = (enum pb_reason)i;
			return true;
		}
	return false;
}

const char *
pb_kind_name(enum pb_kind kind)
{
	switch (kind) {
	case PB_KIND_FAILURE:
		return "failure";
	case PB_KIND_DELAY:
		return "delay";
	case PB_KIND_DELIVERED:
		return "delivered";
	case PB_KIND_FEEDBACK:
		return "feedback";
	case PB_KIND_MDN:
		return "mdn";
	case PB_KIND_VACATION:
		return "vacation";
	case PB_KIND_NONE:
		break;
	}
	return "none";
}

const char *
pb_fix_owner_name(enum pb_fix_owner owner)
{
	switch (owner) {
	case PB_FIX_RECIPIENT:
		return "recipient";
	case PB_FIX_PROVIDER:
		return "provider";
	case PB_FIX_SENDER:
		break;
	}
	return "sender";
}

const char *
pb_strerror(enum pb_status st)
{
	switch (st) {
	case PB_OK:
		return "success";
	case PB_ENOMEM:
		return "out of memory";
	case PB_ELIMIT:
		return "input exceeds a configured limit";
	case PB_EINVAL:
		return "invalid argument";
	case PB_ECATALOG:
		return "explanation catalog unusable";
	case PB_EINTERNAL:
		return "internal library failure";
	}
	return "unknown status";
}
