// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The legacy object's running totals into deltas (core/thread_totals.c):
 * each thread's runtime and storage bytes credited exactly once, however
 * its iterator records, its exit and its free arrive.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "thread_totals.h"

static struct ctop_thread_totals *tt;
static struct ctop_raw raw;

static void setup(void)
{
	cr_assert_eq(ctop_thread_totals_new(&tt), 0);
	memset(&raw, 0, sizeof(raw));
}

static void teardown(void)
{
	ctop_thread_totals_free(tt);
	ctop_raw_fini(&raw);
}

TestSuite(totals, .init = setup, .fini = teardown);

/* One iterator record with these running totals. */
static void seen(uint32_t tid, uint64_t start, uint64_t cpu, uint64_t wbytes)
{
	struct ctop_task_rec *r;

	cr_assert_eq(ctop_grow((void **)&raw.tasks, &raw.tasks_cap, raw.ntasks + 1,
			       sizeof(*raw.tasks)), 0);
	r = &raw.tasks[raw.ntasks++];
	memset(r, 0, sizeof(*r));
	r->tid = tid;
	r->tgid = tid;
	r->start_ns = start;
	r->cpu_delta_ns = cpu;
	r->io_delta[CTOP_IO_STORAGE_WRITE] = wbytes;
}

static struct ctop_exit_rec ex(uint32_t tid, uint64_t start, uint64_t cpu, uint64_t wbytes,
			       bool freed)
{
	struct ctop_exit_rec e = { .tid = tid, .tgid = 7, .cgid = 99, .start_ns = start,
				   .cpu_ns = cpu, .flags = freed ? CTOP_EXIT_FREED : 0 };

	e.io[CTOP_IO_STORAGE_WRITE] = wbytes;
	return e;
}

/* Runs one pass; returns the runtime it credits, and the bytes in *w. */
static uint64_t pass(const struct ctop_exit_rec *e, size_t n, uint64_t *w)
{
	uint64_t cpu = 0, bytes = 0;
	size_t i;

	cr_assert_eq(ctop_thread_totals_apply(tt, &raw, e, n), 0);
	for (i = 0; i < raw.ntasks; i++) {
		cpu += raw.tasks[i].cpu_delta_ns;
		bytes += raw.tasks[i].io_delta[CTOP_IO_STORAGE_WRITE];
	}
	raw.ntasks = 0;
	if (w)
		*w = bytes;
	return cpu;
}

Test(totals, a_live_thread_is_credited_its_differences)
{
	uint64_t w;

	seen(10, 5, 1000, 4096);
	cr_expect_eq(pass(NULL, 0, &w), 1000);
	cr_expect_eq(w, 4096);
	seen(10, 5, 1500, 4096);
	cr_expect_eq(pass(NULL, 0, &w), 500);
	cr_expect_eq(w, 0);
	/* Totals never go back; if a record says less, it adds nothing. */
	seen(10, 5, 1400, 0);
	cr_expect_eq(pass(NULL, 0, &w), 0);
	seen(10, 5, 1600, 8192);
	cr_expect_eq(pass(NULL, 0, &w), 100);
	cr_expect_eq(w, 4096);
}

Test(totals, an_exit_adds_what_the_iterator_had_not_seen)
{
	struct ctop_exit_rec e = ex(10, 5, 2000, 8192, false);
	struct ctop_exit_rec f = ex(10, 5, 2100, 8192, true);
	uint64_t w;

	seen(10, 5, 1500, 4096);
	cr_expect_eq(pass(NULL, 0, NULL), 1500);
	cr_expect_eq(pass(&e, 1, &w), 500);
	cr_expect_eq(w, 4096);
	/* The exit's record is not a leader's, and keeps its ids. */
	cr_expect_eq(ctop_thread_totals_count(tt), 1);
	cr_expect_eq(pass(&f, 1, &w), 100);
	cr_expect_eq(w, 0);
	cr_expect_eq(ctop_thread_totals_count(tt), 0, "a freed thread is let go");
}

Test(totals, the_exit_record_carries_the_ids)
{
	struct ctop_exit_rec e = ex(11, 5, 300, 0, true);

	cr_assert_eq(ctop_thread_totals_apply(tt, &raw, &e, 1), 0);
	cr_assert_eq(raw.ntasks, 1);
	cr_expect_eq(raw.tasks[0].tid, 11);
	cr_expect_eq(raw.tasks[0].tgid, 7);
	cr_expect_eq(raw.tasks[0].cgid, 99);
	cr_expect_eq(raw.tasks[0].flags, 0);
	cr_expect_eq(raw.tasks[0].cpu_delta_ns, 300);
}

Test(totals, a_zombie_seen_after_its_exit_is_not_counted_twice)
{
	struct ctop_exit_rec e = ex(10, 5, 2000, 0, false);
	int i;

	seen(10, 5, 1000, 0);
	cr_expect_eq(pass(&e, 1, NULL), 2000);
	/* A zombie leader stays in the task list until reaped: keep it. */
	for (i = 0; i < 100; i++) {
		seen(10, 5, 2000, 0);
		cr_expect_eq(pass(NULL, 0, NULL), 0);
	}
	cr_expect_eq(ctop_thread_totals_count(tt), 1);
}

Test(totals, a_reused_tid_is_a_new_thread)
{
	struct ctop_exit_rec late = ex(10, 5, 9999, 0, true);

	seen(10, 5, 1000, 0);
	cr_expect_eq(pass(NULL, 0, NULL), 1000);
	seen(10, 6, 300, 0);
	cr_expect_eq(pass(NULL, 0, NULL), 300, "a later start: counted from zero");
	/* The older thread's last word, after its tid was taken: let go. */
	seen(10, 6, 400, 0);
	cr_expect_eq(pass(&late, 1, NULL), 100);
	cr_expect_eq(ctop_thread_totals_count(tt), 1);
}

Test(totals, threads_that_vanish_are_let_go)
{
	struct ctop_exit_rec e = ex(12, 5, 100, 0, false);
	int i;

	seen(11, 5, 1000, 0);
	cr_expect_eq(pass(&e, 1, NULL), 1100);
	cr_expect_eq(ctop_thread_totals_count(tt), 2);
	/* 11's exit was lost (the map was full): gone at the next pass. */
	pass(NULL, 0, NULL);
	cr_expect_eq(ctop_thread_totals_count(tt), 1);
	/* 12 exited and its free never came: let go after a wait. */
	for (i = 0; i < 40; i++)
		pass(NULL, 0, NULL);
	cr_expect_eq(ctop_thread_totals_count(tt), 0);
}

/*
 * Many threads whose totals grow, observed in random passes by the
 * iterator, their exit and their free, in any order the kernel allows:
 * the credited sum is each thread's final totals, exactly.
 */
Test(totals, every_interleaving_credits_the_final_totals)
{
	enum { N = 300 };
	struct {
		uint64_t start, cpu, w;
		int state;	/* 0 live, 1 exited (not yet freed), 2 freed */
	} th[N];
	struct ctop_exit_rec pending[2 * N];
	uint64_t want_cpu = 0, want_w = 0, got_cpu = 0, got_w = 0, w;
	size_t npending;
	int i, round, live = N;

	srand(42);
	for (i = 0; i < N; i++) {
		th[i].start = 1000 + (uint64_t)i;
		th[i].cpu = th[i].w = 0;
		th[i].state = 0;
	}
	for (round = 0; live > 0 || round < 3; round++) {
		npending = 0;
		for (i = 0; i < N; i++) {
			if (th[i].state == 2)
				continue;
			if (th[i].state == 0) {
				th[i].cpu += (uint64_t)(rand() % 1000);
				th[i].w += (uint64_t)(rand() % 3) * 4096;
			} else {
				th[i].cpu += (uint64_t)(rand() % 3); /* runs a little until freed */
			}
			/* The iterator sees a live thread, or an exited one before release. */
			if (th[i].state == 0 || rand() % 2)
				seen((uint32_t)i + 1, th[i].start, th[i].cpu, th[i].w);
			if (th[i].state == 0 && rand() % 10 == 0) {
				th[i].state = 1;
				pending[npending++] = ex((uint32_t)i + 1, th[i].start, th[i].cpu,
							 th[i].w, false);
			} else if (th[i].state == 1 && rand() % 2) {
				th[i].state = 2;
				live--;
				/* The free replaces an exit record not read yet. */
				if (npending && pending[npending - 1].tid == (uint32_t)i + 1)
					npending--;
				pending[npending++] = ex((uint32_t)i + 1, th[i].start, th[i].cpu,
							 th[i].w, true);
			}
		}
		got_cpu += pass(pending, npending, &w);
		got_w += w;
	}
	for (i = 0; i < N; i++) {
		want_cpu += th[i].cpu;
		want_w += th[i].w;
	}
	cr_expect_eq(got_cpu, want_cpu, "runtime %llu, want %llu", (unsigned long long)got_cpu,
		     (unsigned long long)want_cpu);
	cr_expect_eq(got_w, want_w, "bytes %llu, want %llu", (unsigned long long)got_w,
		     (unsigned long long)want_w);
	cr_expect_eq(ctop_thread_totals_count(tt), 0);
}
