/*
 * live.c - hand out the configuration in force to message threads.
 *
 * Input:     a configuration and a library context built by the main
 *            thread (start-up, SIGHUP).
 * Output:    references to the pair for each message.
 * Ownership: each message holds one reference from MAIL FROM to the
 *            end of the message, so a reload never pulls its context
 *            away; the daemon holds one on the current pair.  The last
 *            release frees the config and the context.
 * Status:    none; the current pointer is guarded by a mutex, the
 *            count is atomic.
 */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "plainbounce.h"
#include "live.h"

/* The shared part plus its reference count. */
struct live_box {
	struct mf_live pub; /* first: a struct mf_live * is a box */
	atomic_ulong refs;
};

static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct live_box *live_current;
static unsigned long live_generation;

struct mf_live *
mf_live_new(struct mf_config *cfg, struct pb_ctx *ctx)
{
	struct live_box *b;

	if ((b = calloc(1, sizeof(*b))) == NULL) {
		mf_config_free(cfg);
		pb_ctx_free(ctx);
		return NULL;
	}
	b->pub.cfg = cfg;
	b->pub.ctx = ctx;
	atomic_init(&b->refs, 1);
	return &b->pub;
}

void
mf_live_install(struct mf_live *l)
{
	struct live_box *old;

	pthread_mutex_lock(&live_lock);
	old = live_current;
	live_current = (struct live_box *)l;
	if (l != NULL)
		l->generation = ++live_generation;
	pthread_mutex_unlock(&live_lock);
	if (old != NULL)
		mf_live_release(&old->pub);
}

struct mf_live *
mf_live_acquire(void)
{
	struct live_box *b;

	pthread_mutex_lock(&live_lock);
	b = live_current;
	if (b != NULL)
		atomic_fetch_add(&b->refs, 1);
	pthread_mutex_unlock(&live_lock);
	return b != NULL ? &b->pub : NULL;
}

void
mf_live_release(struct mf_live *l)
{
	struct live_box *b = (struct live_box *)l;

	if (b == NULL)
		return;
	if (atomic_fetch_sub(&b->refs, 1) == 1) {
		mf_config_free(b->pub.cfg);
		pb_ctx_free(b->pub.ctx);
		free(b);
	}
}
