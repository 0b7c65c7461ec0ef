/*
 * vendor_code.h - a reason from a provider's own error code in a reply.
 */
#ifndef PB_VENDOR_CODE_H
#define PB_VENDOR_CODE_H

#include "classify.h"

/*
 * pb_vendor_code - the rule for a provider code that text holds:
 * Spectrum's ("AUP#In-1310") if it has one the list knows, else
 * Orange's or La Poste's ("OFR_506", "LPN007_416"); NULL when there is
 * none, or only codes whose meaning the providers' lists leave open.
 * Linear in the length of text.
 */
const struct pb_text_rule *pb_vendor_code(const char *text);

#endif /* PB_VENDOR_CODE_H */
