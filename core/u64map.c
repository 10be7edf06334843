// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "u64map.h"

static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return (size_t)key & (cap - 1);
}

void ctop_u64map_fini(struct ctop_u64map *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

void ctop_u64map_clear(struct ctop_u64map *m)
{
	if (m->slots)
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->n = 0;
}

uint32_t *ctop_u64map_get(const struct ctop_u64map *m, uint64_t key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = slot_of(key, m->cap); m->slots[i].used; i = (i + 1) & (m->cap - 1))
		if (m->slots[i].key == key)
			return &m->slots[i].val;
	return NULL;
}

static int resize(struct ctop_u64map *m, size_t cap)
{
	struct ctop_u64map n = { 0 };
	size_t i;

	n.slots = calloc(cap, sizeof(*n.slots));
	n.cap = cap;
	if (!n.slots)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].used)
			ctop_u64map_put(&n, m->slots[i].key, m->slots[i].val);
	ctop_u64map_fini(m);
	*m = n;
	return 0;
}

int ctop_u64map_add(struct ctop_u64map *m, uint64_t key, uint32_t val, uint32_t **had)
{
	size_t i;

	*had = NULL;
	if ((m->n + 1) * 2 > m->cap && resize(m, m->cap ? m->cap * 2 : 64))
		return -ENOMEM;
	for (i = slot_of(key, m->cap); m->slots[i].used; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].key == key) {
			*had = &m->slots[i].val;
			return 0;
		}
	}
	m->slots[i] = (struct ctop_u64map_slot){ .key = key, .val = val, .used = 1 };
	m->n++;
	return 0;
}

int ctop_u64map_put(struct ctop_u64map *m, uint64_t key, uint32_t val)
{
	uint32_t *had;
	int err = ctop_u64map_add(m, key, val, &had);

	if (!err && had)
		*had = val;
	return err;
}

/* Backward-shift deletion: no tombstones, so lookups never slow down. */
void ctop_u64map_del(struct ctop_u64map *m, uint64_t key)
{
	size_t i, j, home, mask = m->cap - 1;

	if (!m->cap)
		return;
	for (i = slot_of(key, m->cap); m->slots[i].used; i = (i + 1) & mask)
		if (m->slots[i].key == key)
			break;
	if (!m->slots[i].used)
		return;
	for (j = (i + 1) & mask; m->slots[j].used; j = (j + 1) & mask) {
		home = slot_of(m->slots[j].key, m->cap);
		/* Move j into the hole at i unless its home lies in (i, j]. */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].used = 0;
	m->n--;
}
