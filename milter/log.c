/*
 * log.c - write the daemon's log lines (STYLE.md section 7).
 *
 * Input:     a level (LOG_ERR ... LOG_DEBUG) and printf-style text.
 * Output:    one syslog record, or one line on standard error written
 *            with a single write(2) so that threads never interleave;
 *            under systemd (JOURNAL_STREAM set) the line starts with the
 *            "<level>" prefix journald reads, without its own time stamp
 *            and name, which the journal adds.
 * Ownership: borrows everything; keeps nothing.
 * Limits:    MF_LOG_MAX bytes per line; longer text is cut.  Control
 *            characters are replaced by "?" so a line stays one line.
 *
 * The level may change at run time (SIGHUP reload): it is atomic.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define MF_LOG_MAX 2048

static atomic_int log_level = LOG_NOTICE;
static atomic_bool log_syslog = false;
static atomic_bool log_journal = false;

static const char *const level_names[] = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

void
mf_log_open(bool use_syslog, int facility, int level)
{
	atomic_store(&log_syslog, use_syslog);
	atomic_store(&log_level, level);
	atomic_store(&log_journal, getenv("JOURNAL_STREAM") != NULL);
	if (use_syslog)
		openlog("plainbounce", LOG_PID | LOG_NDELAY, facility);
}

void
mf_log_set_level(int level)
{
	atomic_store(&log_level, level);
}

bool
mf_log_enabled(int level)
{
	return level <= atomic_load(&log_level);
}

/* emit - write one prepared line at level */
static void
emit(int level, char *line)
{
	char buf[MF_LOG_MAX + 128];
	struct tm tm;
	time_t now;
	char *p;
	int n;

	for (p = line; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (atomic_load(&log_syslog)) {
		syslog(level, "%s", line);
		return;
	}
	if (atomic_load(&log_journal)) {
		n = snprintf(buf, sizeof(buf), "<%d>%s: %s\n", level,
		             level >= 0 && level <= LOG_DEBUG ? level_names[level]
		                                              : "?",
		             line);
		goto out;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	n = snprintf(
	    buf, sizeof(buf),
	    "%04d-%02d-%02d %02d:%02d:%02d "
	    "plainbounce[%ld]: %s: %s\n",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (long)getpid(),
	    level >= 0 && level <= LOG_DEBUG ? level_names[level] : "?", line);
out:
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	buf[n - 1] = '\n';
	(void)!write(STDERR_FILENO, buf, (size_t)n);
}

/* vlog - format prefix + text (+ error text) and emit it */
static void
vlog(int level, const char *id, int err, const char *fmt, va_list ap)
{
	char line[MF_LOG_MAX];
	size_t n = 0;
	int k;

	if (!mf_log_enabled(level))
		return;
	if (id != NULL) {
		k = snprintf(line, sizeof(line), "%s: ", id);
		n = k > 0 && (size_t)k < sizeof(line) ? (size_t)k : 0;
	}
	k = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (k > 0)
		n += (size_t)k;
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	if (err != 0) {
		char ebuf[128];
		const char *et = ebuf;

#if defined(_GNU_SOURCE) && !defined(__APPLE__)
		et = strerror_r(err, ebuf, sizeof(ebuf));
#else
		if (strerror_r(err, ebuf, sizeof(ebuf)) != 0)
			snprintf(ebuf, sizeof(ebuf), "error %d", err);
#endif
		snprintf(line + n, sizeof(line) - n, ": %s", et);
	}
	emit(level, line);
}

void
mf_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, NULL, 0, fmt, ap);
	va_end(ap);
}

void
mf_log_errno(int level, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, NULL, err, fmt, ap);
	va_end(ap);
}

void
mf_vlog_id(const char *id, int level, const char *fmt, va_list ap)
{
	vlog(level, id, 0, fmt, ap);
}
