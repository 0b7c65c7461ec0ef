/*
 * rewrite.h - put the explanation into the message: header edits and
 * the new body.
 */
#ifndef PB_REWRITE_H
#define PB_REWRITE_H

#include "plainbounce.h"
#include "dsn_detect.h"
#include "explain.h"
#include "msg_parse.h"

/*
 * pb_rewrite - fill res->edits, res->body and res->changed for msg
 * (borrowed) as det and mode say, with the explanation ex and the marker
 * value res->marker (both borrowed).  In PB_MODE_REWRITE the text goes
 * at the top of the first human-readable part (and of its HTML
 * alternative); when there is no such part, or it cannot be re-encoded,
 * only the marker is added and PB_DEFECT_NO_TEXT_PART or
 * PB_DEFECT_ENCODING is set in res->defects.  PB_ENOMEM, PB_EINTERNAL:
 * res is left without edits.
 */
enum pb_status pb_rewrite(const struct pb_msg *msg, const struct pb_detect *det,
                          const struct pb_explanation *ex, enum pb_mode mode,
                          struct pb_result *res);

/* pb_rewrite_marker - returns new: the X-Plainbounce value for the
 * failed recipients of res, NULL on ENOMEM */
char *pb_rewrite_marker(const struct pb_result *res);

#endif /* PB_REWRITE_H */
