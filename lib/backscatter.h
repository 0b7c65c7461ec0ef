/*
 * backscatter.h - was the returned original ever sent through us?
 */
#ifndef PB_BACKSCATTER_H
#define PB_BACKSCATTER_H

#include <stdbool.h>
#include <stddef.h>

#include "msg_parse.h"

/*
 * pb_backscatter_check - true when msg (borrowed) returns an original
 * message whose header shows none of our identities: no Received line
 * naming one of hosts[0..nhosts) and no Message-ID in one of
 * domains[0..ndomains).  False when there is no returned original (or
 * only its body), or when no identity is configured.  Reads only the
 * header of the returned original, never its body.
 */
bool pb_backscatter_check(const struct pb_msg *msg, const char *const *hosts,
                          size_t nhosts, const char *const *domains,
                          size_t ndomains);

/* pb_backscatter_names_host - does Received value v name host h (as a
 * whole DNS label sequence, case-insensitive)? */
bool pb_backscatter_names_host(const char *v, const char *h);

#endif /* PB_BACKSCATTER_H */
