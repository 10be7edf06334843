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
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

void ctop_u64map_clear(struct ctop_u64map *m)
{
	if (m->used)
		memset(m->used, 0, m->cap);
	m->n = 0;
}

uint32_t *ctop_u64map_get(const struct ctop_u64map *m, uint64_t key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = slot_of(key, m->cap); m->used[i]; i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key)
			return &m->vals[i];
	return NULL;
}

static int resize(struct ctop_u64map *m, size_t cap)
{
	struct ctop_u64map n = { 0 };
	size_t i;

	n.keys = malloc(cap * sizeof(*n.keys));
	n.vals = malloc(cap * sizeof(*n.vals));
	n.used = calloc(cap, 1);
	n.cap = cap;
	if (!n.keys || !n.vals || !n.used) {
		ctop_u64map_fini(&n);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++)
		if (m->used[i])
			ctop_u64map_put(&n, m->keys[i], m->vals[i]);
	ctop_u64map_fini(m);
	*m = n;
	return 0;
}

int ctop_u64map_put(struct ctop_u64map *m, uint64_t key, uint32_t val)
{
	size_t i;

	/* Keep the load under 1/2 so probes stay short. */
	if ((m->n + 1) * 2 > m->cap && resize(m, m->cap ? m->cap * 2 : 64))
		return -ENOMEM;
	for (i = slot_of(key, m->cap); m->used[i]; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			m->vals[i] = val;
			return 0;
		}
	}
	m->used[i] = 1;
	m->keys[i] = key;
	m->vals[i] = val;
	m->n++;
	return 0;
}

/* Backward-shift deletion: no tombstones, so lookups never slow down. */
void ctop_u64map_del(struct ctop_u64map *m, uint64_t key)
{
	size_t i, j, home, mask = m->cap - 1;

	if (!m->cap)
		return;
	for (i = slot_of(key, m->cap); m->used[i]; i = (i + 1) & mask)
		if (m->keys[i] == key)
			break;
	if (!m->used[i])
		return;
	for (j = (i + 1) & mask; m->used[j]; j = (j + 1) & mask) {
		home = slot_of(m->keys[j], m->cap);
		/* Move j into the hole at i unless its home lies in (i, j]. */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			i = j;
		}
	}
	m->used[i] = 0;
	m->n--;
}
