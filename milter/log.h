/*
 * log.h - the daemon's only way to write log lines (syslog, or standard
 * error in the foreground).  Levels are syslog's LOG_ERR ... LOG_DEBUG.
 */
#ifndef MF_LOG_H
#define MF_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <syslog.h>

#include "mf.h"

/* mf_log_open - start logging; to syslog with facility, else stderr */
void mf_log_open(bool use_syslog, int facility, int level);

/* mf_log_set_level - lines above level (less severe) are dropped */
void mf_log_set_level(int level);

/* mf_log_enabled - would a line at level be written? */
bool mf_log_enabled(int level);

/* mf_log - one line, no error text */
void mf_log(int level, const char *fmt, ...) MF_PRINTF(2, 3);

/* mf_log_errno - one line ending in ": strerror(err)" */
void mf_log_errno(int level, int err, const char *fmt, ...) MF_PRINTF(3, 4);

/* mf_vlog_id - one line starting "id: " (a queue id; borrowed) */
void mf_vlog_id(const char *id, int level, const char *fmt, va_list ap)
    MF_PRINTF(3, 0);

#endif /* MF_LOG_H */
