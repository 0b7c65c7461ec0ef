/*
 * dsn_ses.h - recipients of an Amazon SES bounce notification (JSON,
 * plain or inside an SNS envelope) mailed as a text body.
 */
#ifndef PB_DSN_SES_H
#define PB_DSN_SES_H

#include <stddef.h>

#include "dsn_parse.h"

/*
 * pb_dsn_ses_parse - when text t[0..n) (borrowed, transfer-decoded) is
 * an SES notification of type "Bounce", its bounced recipients as a
 * report (*out new, free with pb_dsn_report_free()); otherwise *out is
 * NULL.  PB_OK or PB_ENOMEM.  Limits as pb_dsn_parse().
 */
enum pb_status pb_dsn_ses_parse(const char *t, size_t n,
                                const struct pb_limits *lim,
                                struct pb_dsn_report **out);

#endif /* PB_DSN_SES_H */
