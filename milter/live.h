/*
 * live.h - the configuration in force: a reference-counted pair of
 * struct mf_config and struct pb_ctx, swapped whole on SIGHUP.
 */
#ifndef MF_LIVE_H
#define MF_LIVE_H

#include "plainbounce.h"
#include "mf_config.h"

struct mf_live {
	struct mf_config *cfg;    /* immutable */
	struct pb_ctx *ctx;       /* immutable, shared by all threads */
	unsigned long generation; /* 1 for the first, +1 per reload */
};

/* mf_live_new - pair cfg and ctx (takes both); returns new with one
 * reference, or NULL (then both were freed) */
struct mf_live *mf_live_new(struct mf_config *cfg, struct pb_ctx *ctx);

/* mf_live_install - make l (takes its reference) the one in force; the
 * previous one loses the reference the daemon held on it */
void mf_live_install(struct mf_live *l);

/* mf_live_acquire - returns new reference to the one in force, or NULL
 * when none was installed; release with mf_live_release() */
struct mf_live *mf_live_acquire(void);

/* mf_live_release - drop one reference; the last frees; NULL is a no-op */
void mf_live_release(struct mf_live *l);

#endif /* MF_LIVE_H */
