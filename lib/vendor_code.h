/*
 * vendor_code.h - a reason from a provider's own error code in a reply.
 */
#ifndef PB_VENDOR_CODE_H
#define PB_VENDOR_CODE_H

#include "classify.h"

/*
 * pb_vendor_code - the rule for the first provider code that text holds
 * (Spectrum's "AUP#In-1310", Orange's "OFR_506", La Poste's
 * "LPN007_416"), or NULL: no code, or one whose meaning the provider's
 * list leaves open.  Linear in the length of text.
 */
const struct pb_text_rule *pb_vendor_code(const char *text);

#endif /* PB_VENDOR_CODE_H */
