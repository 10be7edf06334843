/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The steady beat every mode refreshes on. The ticker never reads a clock:
 * each call is handed `now`, so tests drive it with made-up times.
 */
#ifndef CTOP_TICKER_H
#define CTOP_TICKER_H

#include <stdbool.h>
#include <time.h>

/*
 * Tick k is due at base + first + k * period (tick 0 at base + first), so
 * a late wake-up never pushes the beat back and rounding never adds up.
 * A tick more than a period late starts a new beat from when it was done:
 * the missed ones are skipped, not made up in a burst.
 */
struct ctop_ticker {
	double base;		/* where the current beat counts from */
	double first;		/* tick 0's distance from base */
	double period;
	long k;			/* the tick due next, counted from base */
	long ticks;		/* ticks done since init */
};

/* Tick 0 comes first seconds after now, later ones every period. */
void ctop_ticker_init(struct ctop_ticker *t, double now, double first, double period);

/* When the next tick is due. */
double ctop_ticker_due_at(const struct ctop_ticker *t);

/* Whether the next tick is due at now. */
bool ctop_ticker_due(const struct ctop_ticker *t, double now);

/* Seconds from now to the next tick; 0 when it is due. */
double ctop_ticker_wait(const struct ctop_ticker *t, double now);

/*
 * Marks the due tick done; now is the clock once its work is over. The
 * next tick is one period after this one, or, when that has passed
 * already, one period after now.
 */
void ctop_ticker_done(struct ctop_ticker *t, double now);

/*
 * A new period, counted from the last tick done; before the first tick
 * the first interval stays as it was.
 */
void ctop_ticker_set_period(struct ctop_ticker *t, double period);

/* clock_gettime(id) in seconds: the clocks ticks are measured on. */
double ctop_ticker_now(clockid_t id);

#endif /* CTOP_TICKER_H */
