// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "u64map.h"

static struct ctop_u64map m;

static void teardown(void)
{
	ctop_u64map_fini(&m);
}

TestSuite(u64map, .fini = teardown);

/* A deterministic 64-bit generator (splitmix64). */
static uint64_t next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t used_slots(const struct ctop_u64map *map)
{
	size_t i, n = 0;

	for (i = 0; i < map->cap; i++)
		n += map->slots[i].used != 0;
	return n;
}

Test(u64map, empty)
{
	cr_assert_null(ctop_u64map_get(&m, 0));
	cr_assert_null(ctop_u64map_get(&m, 42));
	ctop_u64map_del(&m, 42);
	ctop_u64map_clear(&m);
	cr_assert_eq(m.n, 0);
	cr_assert_null(ctop_u64map_get(&m, 42));
}

Test(u64map, put_get_replace)
{
	uint32_t *v;

	cr_assert_eq(ctop_u64map_put(&m, 7, 70), 0);
	cr_assert_eq(ctop_u64map_put(&m, 8, 80), 0);
	cr_assert_eq(m.n, 2);
	v = ctop_u64map_get(&m, 7);
	cr_assert_not_null(v);
	cr_assert_eq(*v, 70);
	cr_assert_eq(*ctop_u64map_get(&m, 8), 80);
	cr_assert_null(ctop_u64map_get(&m, 9));

	/* Replacing keeps the count. */
	cr_assert_eq(ctop_u64map_put(&m, 7, 71), 0);
	cr_assert_eq(m.n, 2);
	cr_assert_eq(*ctop_u64map_get(&m, 7), 71);

	/* The pointer writes through. */
	*ctop_u64map_get(&m, 8) = 81;
	cr_assert_eq(*ctop_u64map_get(&m, 8), 81);
}

/* add: inserts what is absent, points at what is there and keeps it, past growth. */
Test(u64map, add_inserts_or_finds)
{
	uint32_t *had;

	for (uint64_t k = 0; k < 1000; k++) {
		cr_assert_eq(ctop_u64map_add(&m, k * 7919, (uint32_t)k, &had), 0);
		cr_assert_null(had);
	}
	cr_assert_eq(m.n, 1000);
	for (uint64_t k = 0; k < 1000; k++) {
		cr_assert_eq(ctop_u64map_add(&m, k * 7919, 5, &had), 0);
		cr_assert_not_null(had);
		cr_assert_eq(*had, k);
		*had = (uint32_t)k + 1;
	}
	cr_assert_eq(m.n, 1000);
	cr_assert_eq(used_slots(&m), 1000);
	cr_assert_eq(*ctop_u64map_get(&m, 999 * 7919), 1000);
}

Test(u64map, extreme_keys_and_values)
{
	cr_assert_eq(ctop_u64map_put(&m, 0, 1), 0);
	cr_assert_eq(ctop_u64map_put(&m, UINT64_MAX, UINT32_MAX), 0);
	cr_assert_eq(ctop_u64map_put(&m, 1ULL << 63, 0), 0);
	cr_assert_eq(*ctop_u64map_get(&m, 0), 1);
	cr_assert_eq(*ctop_u64map_get(&m, UINT64_MAX), UINT32_MAX);
	cr_assert_eq(*ctop_u64map_get(&m, 1ULL << 63), 0);
	cr_assert_null(ctop_u64map_get(&m, 1));
	/* Keys that differ only in their high half are different keys. */
	cr_assert_null(ctop_u64map_get(&m, 1ULL << 32));
	ctop_u64map_del(&m, 0);
	cr_assert_null(ctop_u64map_get(&m, 0));
	cr_assert_eq(*ctop_u64map_get(&m, UINT64_MAX), UINT32_MAX);
	cr_assert_eq(m.n, 2);
}

Test(u64map, grows_past_many_keys)
{
	enum { N = 50000 };
	uint64_t k;
	uint32_t i;

	for (i = 0; i < N; i++) {
		/* Sequential ids, like pids and cgroup inode numbers. */
		cr_assert_eq(ctop_u64map_put(&m, 1000 + i, i), 0);
		cr_assert_eq(m.n, i + 1);
	}
	cr_assert_eq(m.cap & (m.cap - 1), 0, "cap %zu not a power of two", m.cap);
	cr_assert_geq(m.cap, 2 * (size_t)N);
	cr_assert_eq(used_slots(&m), N);
	for (i = 0; i < N; i++) {
		uint32_t *v = ctop_u64map_get(&m, 1000 + i);

		cr_assert_not_null(v, "key %u lost", 1000 + i);
		cr_assert_eq(*v, i);
	}
	for (k = 0; k < 1000; k++)
		cr_assert_null(ctop_u64map_get(&m, k));
	for (k = 1000 + N; k < 2000 + N; k++)
		cr_assert_null(ctop_u64map_get(&m, k));
}

Test(u64map, del_absent_keys_changes_nothing)
{
	uint64_t k;

	for (k = 1; k <= 40; k++)
		cr_assert_eq(ctop_u64map_put(&m, k * 3, (uint32_t)k), 0);
	for (k = 0; k < 400; k++)
		if (k % 3 || k > 120 || k == 0)
			ctop_u64map_del(&m, k);
	cr_assert_eq(m.n, 40);
	cr_assert_eq(used_slots(&m), 40);
	for (k = 1; k <= 40; k++) {
		cr_assert_not_null(ctop_u64map_get(&m, k * 3), "key %lu", (unsigned long)(k * 3));
		cr_assert_eq(*ctop_u64map_get(&m, k * 3), k);
	}
	/* Deleting twice is as good as once. */
	ctop_u64map_del(&m, 30);
	ctop_u64map_del(&m, 30);
	cr_assert_eq(m.n, 39);
	cr_assert_null(ctop_u64map_get(&m, 30));
}

Test(u64map, clear_then_reuse)
{
	uint64_t k;

	for (k = 0; k < 500; k++)
		ctop_u64map_put(&m, k, (uint32_t)k);
	ctop_u64map_clear(&m);
	cr_assert_eq(m.n, 0);
	cr_assert_eq(used_slots(&m), 0);
	for (k = 0; k < 500; k++)
		cr_assert_null(ctop_u64map_get(&m, k));
	for (k = 250; k < 300; k++)
		cr_assert_eq(ctop_u64map_put(&m, k, (uint32_t)(k + 1)), 0);
	cr_assert_eq(m.n, 50);
	for (k = 0; k < 500; k++) {
		if (k >= 250 && k < 300)
			cr_assert_eq(*ctop_u64map_get(&m, k), k + 1);
		else
			cr_assert_null(ctop_u64map_get(&m, k));
	}
}

/*
 * The reference: a plain array indexed by a key's position in `keys`,
 * holding the value plus one (0 for absent).
 */
static void check_against(const uint64_t *keys, const uint64_t *ref, size_t nkeys, int round)
{
	size_t i, n = 0;

	for (i = 0; i < nkeys; i++) {
		uint32_t *v = ctop_u64map_get(&m, keys[i]);

		if (ref[i]) {
			n++;
			cr_assert_not_null(v, "round %d: key %#llx lost", round,
					   (unsigned long long)keys[i]);
			cr_assert_eq(*v, ref[i] - 1, "round %d: key %#llx", round,
				     (unsigned long long)keys[i]);
		} else {
			cr_assert_null(v, "round %d: deleted key %#llx still found", round,
				       (unsigned long long)keys[i]);
		}
	}
	cr_assert_eq(m.n, n, "round %d", round);
	cr_assert_eq(used_slots(&m), n, "round %d", round);
}

static void random_ops(const uint64_t *keys, size_t nkeys, size_t max_live, int rounds,
		       uint64_t seed)
{
	uint64_t *ref = calloc(nkeys, sizeof(*ref));
	size_t live = 0;
	int round;

	cr_assert_not_null(ref);
	for (round = 0; round < rounds; round++) {
		size_t i = next(&seed) % nkeys;
		uint32_t val = (uint32_t)next(&seed);

		/* Lean towards deleting when full, inserting when empty. */
		if (live < max_live && (next(&seed) % 3 || !live)) {
			cr_assert_eq(ctop_u64map_put(&m, keys[i], val), 0);
			if (!ref[i])
				live++;
			ref[i] = (uint64_t)val + 1;
		} else {
			ctop_u64map_del(&m, keys[i]);
			if (ref[i])
				live--;
			ref[i] = 0;
		}
		check_against(keys, ref, nkeys, round);
	}
	free(ref);
}

Test(u64map, random_against_reference)
{
	enum { NKEYS = 600 };
	uint64_t keys[NKEYS], seed = 99;
	size_t i;

	for (i = 0; i < NKEYS; i++)
		keys[i] = i < NKEYS / 2 ? i : next(&seed);	/* dense and sparse keys */
	random_ops(keys, NKEYS, 400, 6000, 1);
}

/* The slot a key lands in when alone in a fresh map (of 64 slots). */
static size_t home_of(uint64_t key)
{
	struct ctop_u64map one = { 0 };
	size_t i, home = SIZE_MAX;

	cr_assert_eq(ctop_u64map_put(&one, key, 1), 0);
	cr_assert_eq(one.cap, 64, "the first table is expected to have 64 slots");
	for (i = 0; i < one.cap; i++)
		if (one.slots[i].used)
			home = i;
	ctop_u64map_fini(&one);
	return home;
}

/*
 * Keys that all want the same few slots, including the last ones of the
 * table, so that probe runs wrap around the end: the hard cases for
 * deleting without tombstones. At most 31 keys live, so the table keeps
 * its 64 slots and the collisions stay collisions.
 */
Test(u64map, colliding_keys_with_wraparound)
{
	enum { PER = 10 };
	static const size_t homes[] = { 62, 63, 0, 1, 30 };
	uint64_t keys[PER * 5], k;
	size_t found[5] = { 0 }, n = 0, h;

	for (k = 1; n < PER * 5; k++) {
		size_t home = home_of(k);

		for (h = 0; h < 5; h++) {
			if (home == homes[h] && found[h] < PER) {
				keys[n++] = k;
				found[h]++;
			}
		}
		cr_assert_lt(k, 100000, "could not find colliding keys");
	}
	random_ops(keys, PER * 5, 31, 20000, 7);
	cr_assert_eq(m.cap, 64, "the table grew: the test lost its collisions");
}

/* Deleting the head of a run that wraps must pull the others back. */
Test(u64map, delete_each_of_a_wrapping_run)
{
	uint64_t run[6], k;
	size_t n = 0, i, j;

	for (k = 1; n < 6; k++) {
		size_t home = home_of(k);

		if (home == 62 || home == 63)
			run[n++] = k;
	}
	for (i = 0; i < 6; i++) {
		/* Fill in order, delete run[i], check the rest. */
		ctop_u64map_clear(&m);
		for (j = 0; j < 6; j++)
			cr_assert_eq(ctop_u64map_put(&m, run[j], (uint32_t)j), 0);
		ctop_u64map_del(&m, run[i]);
		cr_assert_eq(m.n, 5);
		for (j = 0; j < 6; j++) {
			if (j == i) {
				cr_assert_null(ctop_u64map_get(&m, run[j]));
				continue;
			}
			cr_assert_not_null(ctop_u64map_get(&m, run[j]), "del %zu lost %zu", i, j);
			cr_assert_eq(*ctop_u64map_get(&m, run[j]), j);
		}
	}
}
