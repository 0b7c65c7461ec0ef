/*
 * stats.c - counters of what the milter saw and did.
 *
 * Input:     events from filter.c, any thread.
 * Output:    one log line "stats key=value ..." on request (SIGUSR1,
 *            StatsInterval, exit).
 * Ownership: static storage; nothing allocated.
 * Limits:    64-bit counters; they wrap after 2^64 events.
 */
#include "config.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "plainbounce.h"
#include "log.h"
#include "stats.h"

static atomic_ullong counters[MF_STAT_COUNT];
static atomic_ullong reasons[PB_REASON_COUNT];

/* Names in the log line, in enum order. */
static const char *const names[MF_STAT_COUNT] = {
    "messages",     "accept_sender", "candidates", "accept_headers",
    "analysed",     "explained",     "dry_run",    "pass_not_bounce",
    "pass_marked",  "pass_oversize", "pass_error", "edit_failed",
    "order_errors", "aborted",
};

void
mf_stats_add(enum mf_stat which)
{
	if (which < MF_STAT_COUNT)
		atomic_fetch_add(&counters[which], 1);
}

void
mf_stats_reason(enum pb_reason reason)
{
	if (reason < PB_REASON_COUNT)
		atomic_fetch_add(&reasons[reason], 1);
}

unsigned long long
mf_stats_get(enum mf_stat which)
{
	return which < MF_STAT_COUNT ? atomic_load(&counters[which]) : 0;
}

void
mf_stats_log(void)
{
	char line[1536], *p = line;
	size_t left = sizeof(line), i;
	unsigned long long v;
	int n;

	for (i = 0; i < MF_STAT_COUNT && left > 1; i++) {
		n = snprintf(p, left, "%s%s=%llu", i ? " " : "", names[i],
		             atomic_load(&counters[i]));
		if (n < 0 || (size_t)n >= left)
			break;
		p += n;
		left -= (size_t)n;
	}
	for (i = 0; i < PB_REASON_COUNT && left > 1; i++) {
		if ((v = atomic_load(&reasons[i])) == 0)
			continue;
		n = snprintf(p, left, " reason.%s=%llu",
		             pb_reason_name((enum pb_reason)i), v);
		if (n < 0 || (size_t)n >= left)
			break;
		p += n;
		left -= (size_t)n;
	}
	mf_log(LOG_NOTICE, "stats %s", line);
}
