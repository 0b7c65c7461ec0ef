/*
 * addr_index.c - a hash index of recipients by address, so that reading
 *                a notice or matching it with a report stays linear in
 *                the number of recipients (a bounce may list thousands).
 *
 * Input:     recipients (borrowed) and their positions.
 * Output:    positions.
 * Ownership: the index owns its slot array (pb_addr_index_fini()).
 * Status:    false on ENOMEM.
 * Limits:    the table doubles when half full.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pb_int.h"
#include "addr_index.h"

/* hash - FNV-1a of a[0..n), case-folded */
static size_t
hash(const char *a, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= pb_ascii_lower((unsigned char)a[i]);
		h *= 1099511628211ull;
	}
	return (size_t)h;
}

/* same - is rcpt's address a[0..n)? */
static bool
same(const struct pb_rcpt *r, const char *a, size_t n)
{
	return r->addr != NULL && strlen(r->addr) == n &&
	       strncasecmp(r->addr, a, n) == 0;
}

void
pb_addr_index_init(struct pb_addr_index *x)
{
	memset(x, 0, sizeof(*x));
}

void
pb_addr_index_fini(struct pb_addr_index *x)
{
	free(x->slot);
	pb_addr_index_init(x);
}

long
pb_addr_index_find(const struct pb_addr_index *x, const struct pb_rcpt *rcpts,
                   const char *a, size_t n)
{
	size_t k;

	if (x->cap == 0)
		return -1;
	for (k = hash(a, n) & (x->cap - 1); x->slot[k] != 0;
	     k = (k + 1) & (x->cap - 1))
		if (same(&rcpts[x->slot[k] - 1], a, n))
			return (long)(x->slot[k] - 1);
	return -1;
}

/* put - store position i in the table of cap slots */
static void
put(size_t *slot, size_t cap, const struct pb_rcpt *rcpts, size_t i)
{
	const char *a = rcpts[i].addr ? rcpts[i].addr : "";
	size_t k = hash(a, strlen(a)) & (cap - 1);

	while (slot[k] != 0)
		k = (k + 1) & (cap - 1);
	slot[k] = i + 1;
}

bool
pb_addr_index_add(struct pb_addr_index *x, const struct pb_rcpt *rcpts,
                  size_t i)
{
	if (2 * (x->n + 1) > x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 16, k;
		size_t *slot = calloc(cap, sizeof(*slot));
		if (slot == NULL)
			return false;
		for (k = 0; k < x->cap; k++)
			if (x->slot[k] != 0)
				put(slot, cap, rcpts, x->slot[k] - 1);
		free(x->slot);
		x->slot = slot;
		x->cap = cap;
	}
	put(x->slot, x->cap, rcpts, i);
	x->n++;
	return true;
}
