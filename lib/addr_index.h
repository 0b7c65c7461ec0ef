/*
 * addr_index.h - find a recipient by address in constant time.
 */
#ifndef PB_ADDR_INDEX_H
#define PB_ADDR_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "plainbounce.h"

/* An open-addressing hash of recipient indexes, keyed by the address
 * (ASCII case-insensitive).  The recipients stay in the caller's array;
 * the index holds positions only, so the array may be reallocated. */
struct pb_addr_index {
	size_t *slot; /* position + 1; 0 is empty */
	size_t cap;   /* a power of two, or 0 */
	size_t n;
};

void pb_addr_index_init(struct pb_addr_index *x);
void pb_addr_index_fini(struct pb_addr_index *x);

/* pb_addr_index_find - position of the recipient of rcpts (borrowed)
 * whose addr equals a[0..n), or -1 */
long pb_addr_index_find(const struct pb_addr_index *x,
                        const struct pb_rcpt *rcpts, const char *a, size_t n);

/* pb_addr_index_add - index rcpts[i] by its addr; false on ENOMEM (the
 * index is then unchanged) */
bool pb_addr_index_add(struct pb_addr_index *x, const struct pb_rcpt *rcpts,
                       size_t i);

#endif /* PB_ADDR_INDEX_H */
