// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A snapshot owns what it shows: its rows' history must stay readable
 * after a later ingest that grew the aggregator's arrays and then failed.
 * Linked with -Wl,--wrap=realloc (tests/tests.mk), so the test can make
 * the Nth reallocation from now fail; ASan reports any read of freed
 * memory.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "aggregate.h"

#define NCONT 200	/* past the first capacity of every array */

void *__real_realloc(void *p, size_t n);
static long fail_in;	/* the realloc that fails: 1 is the next; 0 none */

void *__wrap_realloc(void *p, size_t n)
{
	if (fail_in > 0 && --fail_in == 0)
		return NULL;
	return __real_realloc(p, n);
}

static enum ctop_resolve resolve(void *ud, uint64_t cgid, struct ctop_container *row)
{
	snprintf(row->id, sizeof(row->id), "c%llu", (unsigned long long)cgid);
	snprintf(row->name, sizeof(row->name), "n%llu", (unsigned long long)cgid);
	return CTOP_RESOLVE_CONTAINER;
}

static const struct ctop_agg_ops ops = { .resolve = resolve };

/* One live process in each of the first n cgroups (ids 1000 up). */
static void fill(struct ctop_raw *raw, size_t n, struct ctop_task_rec *tasks)
{
	size_t i;

	memset(tasks, 0, NCONT * sizeof(*tasks));
	for (i = 0; i < n; i++) {
		tasks[i].tid = tasks[i].tgid = (uint32_t)(100 + i);
		tasks[i].flags = CTOP_TASK_LEADER;
		tasks[i].cgid = 1000 + i;
		tasks[i].start_ns = 1;
		tasks[i].cpu_delta_ns = 1000000;
		tasks[i].nr_threads = 1;
	}
	memset(raw, 0, sizeof(*raw));
	raw->tasks = tasks;
	raw->ntasks = n;
}

/* Sums every history sample of every row: reads all the memory a screen would. */
static double read_all(const struct ctop_snapshot *s)
{
	double sum = 0;
	size_t i;
	uint32_t k;

	for (i = 0; i < s->ncontainers; i++)
		for (k = 0; k < s->containers[i].hist->len; k++)
			sum += ctop_history_at(s->containers[i].hist, CTOP_M_CPU, k);
	return sum;
}

Test(snapshot, survives_a_failed_ingest_that_grew_the_arrays)
{
	static struct ctop_task_rec tasks[NCONT];
	const struct ctop_snapshot *s, *again;
	struct ctop_host host = { .cpus = 2 };
	struct ctop_raw raw;
	struct ctop_agg *a;
	long n;
	int failed = 0;
	size_t rows_read = 0;

	/* Every realloc of the second ingest, failed in turn. */
	for (n = 1; n <= 64; n++) {
		cr_assert_eq(ctop_agg_new(&a, &ops, 0.5), 0);
		fill(&raw, 1, tasks);
		cr_assert_eq(ctop_agg_ingest(a, &raw, 1.0, 1.0, &host, &s), 0);
		cr_assert_eq(ctop_agg_ingest(a, &raw, 2.0, 2.0, &host, &s), 0);
		cr_assert_eq(s->ncontainers, 1);
		fill(&raw, NCONT, tasks);
		fail_in = n;
		if (ctop_agg_ingest(a, &raw, 3.0, 3.0, &host, &again)) {
			/* Empty at worst, but what it shows is readable. */
			failed++;
			read_all(s);
			rows_read += s->ncontainers;
		}
		fail_in = 0;
		ctop_agg_free(a);
	}
	cr_assert_gt(failed, 0, "no ingest failed: the shim did not take");
	cr_assert_gt(rows_read, 0, "every failed ingest emptied the snapshot: nothing was read");
}
