// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The steady beat, on a made-up clock: no sleeping, no real time. */
#include <criterion/criterion.h>
#include <math.h>
#include "ticker.h"

/* Lateness that changes from tick to tick, always under a period. */
static double jitter(long i, double period)
{
	return period * (double)((i * 7919) % 97) / 100.0;
}

Test(ticker, first_interval_then_the_period)
{
	struct ctop_ticker t;

	ctop_ticker_init(&t, 1000.0, 0.05, 2.0);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 1000.05, 1e-9);
	cr_assert_not(ctop_ticker_due(&t, 1000.049));
	cr_assert(ctop_ticker_due(&t, 1000.05));
	cr_assert_float_eq(ctop_ticker_wait(&t, 1000.0), 0.05, 1e-9);
	cr_assert_float_eq(ctop_ticker_wait(&t, 1001.0), 0.0, 1e-9, "never negative");
	ctop_ticker_done(&t, 1000.06);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 1002.05, 1e-9);
	cr_assert_eq(t.ticks, 1);
}

Test(ticker, late_wake_ups_do_not_drift)
{
	const double start = 5000.0, first = 0.05, period = 0.5;
	struct ctop_ticker t;
	double now, due;
	long i, n = 100000;

	ctop_ticker_init(&t, start, first, period);
	for (i = 0; i < n; i++) {
		due = ctop_ticker_due_at(&t);
		/* the tick is expected exactly on the beat, however late the last one ran */
		cr_assert_float_eq(due, start + first + (double)i * period, 1e-6, "tick %ld", i);
		now = due + jitter(i, period);
		cr_assert(ctop_ticker_due(&t, now));
		ctop_ticker_done(&t, now);
		cr_assert_not(ctop_ticker_due(&t, now), "one tick per beat (tick %ld)", i);
	}
	/* after 100000 late ticks the beat is where it started out to be */
	cr_assert_float_eq(ctop_ticker_due_at(&t), start + first + (double)n * period, 1e-9);
}

Test(ticker, a_late_tick_skips_rather_than_bursts)
{
	struct ctop_ticker t;
	double now;
	int burst = 0;

	ctop_ticker_init(&t, 0.0, 1.0, 1.0);
	ctop_ticker_done(&t, 1.0);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 2.0, 1e-9);
	/* suspended: the tick due at 2 is done at 5.5, three beats late */
	now = 5.5;
	cr_assert(ctop_ticker_due(&t, now));
	ctop_ticker_done(&t, now);
	/* the missed beats are not made up: nothing more is due now */
	while (ctop_ticker_due(&t, now) && burst < 10) {
		ctop_ticker_done(&t, now);
		burst++;
	}
	cr_assert_eq(burst, 0, "%d ticks made up at once", burst);
	/* a new beat, one period after the late tick, and steady from there */
	cr_assert_float_eq(ctop_ticker_due_at(&t), 6.5, 1e-9);
	ctop_ticker_done(&t, 6.9);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 7.5, 1e-9);
	/* a tick late by less than a period keeps the beat */
	ctop_ticker_done(&t, 8.4);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 8.5, 1e-9);
}

Test(ticker, work_that_outlasts_the_period_restarts_from_its_end)
{
	struct ctop_ticker t;

	ctop_ticker_init(&t, 0.0, 0.1, 0.1);
	/* due at 0.1, the work took until 0.35: the next is 0.1 after that */
	ctop_ticker_done(&t, 0.35);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 0.45, 1e-9);
}

Test(ticker, period_change_counts_from_the_last_tick)
{
	struct ctop_ticker t;
	double now;
	int i;

	ctop_ticker_init(&t, 0.0, 0.05, 1.0);
	/* before the first tick: the short first interval stays */
	ctop_ticker_set_period(&t, 2.0);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 0.05, 1e-9);
	ctop_ticker_done(&t, 0.05);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 2.05, 1e-9);
	ctop_ticker_done(&t, 2.3);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 4.05, 1e-9);
	/* at 3.0 the period becomes 0.5: the next is 0.5 after the tick of 2.05 */
	ctop_ticker_set_period(&t, 0.5);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 2.55, 1e-9);
	cr_assert(ctop_ticker_due(&t, 3.0), "already due: 2.55 has passed");
	ctop_ticker_done(&t, 3.0);
	/* 3.05 is still ahead of 3.0: the beat holds, without a restart */
	cr_assert_float_eq(ctop_ticker_due_at(&t), 3.05, 1e-9);
	for (i = 0; i < 1000; i++) {
		now = ctop_ticker_due_at(&t) + 0.01;
		ctop_ticker_done(&t, now);
	}
	cr_assert_float_eq(ctop_ticker_due_at(&t), 3.05 + 1000 * 0.5, 1e-6);
	/* and longer again, from the last tick done */
	ctop_ticker_set_period(&t, 10.0);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 3.05 + 999 * 0.5 + 10.0, 1e-6);
}

Test(ticker, period_change_after_a_restart)
{
	struct ctop_ticker t;

	ctop_ticker_init(&t, 0.0, 1.0, 1.0);
	ctop_ticker_done(&t, 7.25);	/* far behind: a new beat from 7.25 */
	cr_assert_float_eq(ctop_ticker_due_at(&t), 8.25, 1e-9);
	ctop_ticker_set_period(&t, 3.0);
	cr_assert_float_eq(ctop_ticker_due_at(&t), 10.25, 1e-9);
}

Test(ticker, reads_the_clocks)
{
	double a = ctop_ticker_now(CLOCK_MONOTONIC), b = ctop_ticker_now(CLOCK_MONOTONIC);

	cr_assert_geq(b, a);
	cr_assert_gt(ctop_ticker_now(CLOCK_REALTIME), 1.6e9, "after 2020");
	cr_assert(isfinite(a));
}
