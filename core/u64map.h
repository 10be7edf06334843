/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* An open-addressing hash map from u64 keys to u32 values (table indexes). */
#ifndef CTOP_U64MAP_H
#define CTOP_U64MAP_H

#include <stddef.h>
#include <stdint.h>

/* Key, value and mark side by side: a look-up touches one cache line. */
struct ctop_u64map_slot {
	uint64_t key;
	uint32_t val;
	uint32_t used;
};

struct ctop_u64map {
	struct ctop_u64map_slot *slots;
	size_t cap;	/* a power of two */
	size_t n;
};

void ctop_u64map_fini(struct ctop_u64map *m);
/* NULL when absent. The pointer is valid until the next put or del. */
uint32_t *ctop_u64map_get(const struct ctop_u64map *m, uint64_t key);
/* Inserts or replaces. 0 or -ENOMEM. */
int ctop_u64map_put(struct ctop_u64map *m, uint64_t key, uint32_t val);
/*
 * Inserts unless key is there: then *had points at its value (valid as
 * get's), else NULL. One probe for put after get. 0 or -ENOMEM.
 */
int ctop_u64map_add(struct ctop_u64map *m, uint64_t key, uint32_t val, uint32_t **had);
void ctop_u64map_del(struct ctop_u64map *m, uint64_t key);
void ctop_u64map_clear(struct ctop_u64map *m);

#endif /* CTOP_U64MAP_H */
