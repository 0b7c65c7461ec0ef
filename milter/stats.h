/*
 * stats.h - the daemon's counters (DESIGN.md section 6, "Statistics").
 */
#ifndef MF_STATS_H
#define MF_STATS_H

#include "plainbounce.h"

enum mf_stat {
	MF_STAT_MESSAGES = 0,    /* MAIL FROM seen */
	MF_STAT_ACCEPT_SENDER,   /* accepted at MAIL FROM: ordinary sender */
	MF_STAT_CANDIDATES,      /* null or bounce sender: headers read */
	MF_STAT_ACCEPT_HEADERS,  /* accepted at end of headers */
	MF_STAT_ANALYSED,        /* whole message given to the library */
	MF_STAT_EXPLAINED,       /* edits applied */
	MF_STAT_DRY_RUN,         /* would have been explained (dry-run) */
	MF_STAT_PASS_NOT_BOUNCE, /* analysed: nothing to explain */
	MF_STAT_PASS_MARKED,     /* already carries X-Plainbounce */
	MF_STAT_PASS_OVERSIZE,   /* larger than MaxMessageSize */
	MF_STAT_PASS_ERROR,      /* library failure: passed unchanged */
	MF_STAT_EDIT_FAILED,     /* an smfi_* edit call failed */
	MF_STAT_ORDER,           /* unexpected callback order */
	MF_STAT_ABORTED,         /* MTA aborted the message */
	MF_STAT_COUNT
};

/* mf_stats_add - count one event (thread-safe) */
void mf_stats_add(enum mf_stat which);

/* mf_stats_reason - count one explained recipient's reason */
void mf_stats_reason(enum pb_reason reason);

/* mf_stats_get - current value of a counter */
unsigned long long mf_stats_get(enum mf_stat which);

/* mf_stats_log - write all counters as one notice line */
void mf_stats_log(void);

#endif /* MF_STATS_H */
