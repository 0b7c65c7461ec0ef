/*
 * filter.h - the libmilter callbacks (filter.c).
 */
#ifndef MF_FILTER_H
#define MF_FILTER_H

#include <libmilter/mfapi.h>

/* mf_filter_desc - the callback table to give smfi_register() */
extern struct smfiDesc mf_filter_desc;

/* mf_filter_stop_new - from now on accept new messages at MAIL FROM
 * untouched (shutdown: only messages in progress are finished) */
void mf_filter_stop_new(void);

/* mf_filter_inflight - messages between MAIL FROM and their end */
unsigned long mf_filter_inflight(void);

/* mf_filter_fault_init - read the test-only fault hook (MF_TESTING
 * builds; a no-op otherwise) */
void mf_filter_fault_init(void);

#endif /* MF_FILTER_H */
