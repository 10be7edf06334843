// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "ticker.h"

void ctop_ticker_init(struct ctop_ticker *t, double now, double first, double period)
{
	t->base = now;
	t->first = first;
	t->period = period;
	t->k = 0;
	t->ticks = 0;
}

double ctop_ticker_due_at(const struct ctop_ticker *t)
{
	return t->base + t->first + (double)t->k * t->period;
}

bool ctop_ticker_due(const struct ctop_ticker *t, double now)
{
	return now >= ctop_ticker_due_at(t);
}

double ctop_ticker_wait(const struct ctop_ticker *t, double now)
{
	double d = ctop_ticker_due_at(t) - now;

	return d > 0 ? d : 0;
}

void ctop_ticker_done(struct ctop_ticker *t, double now)
{
	t->k++;
	t->ticks++;
	if (ctop_ticker_due_at(t) < now) {
		/* fell a whole period behind (suspended, overloaded): a new beat */
		t->base = now;
		t->first = t->period;
		t->k = 0;
	}
}

void ctop_ticker_set_period(struct ctop_ticker *t, double period)
{
	if (t->ticks) {
		/* the last tick done becomes the new beat's origin */
		t->base = ctop_ticker_due_at(t) - t->period;
		t->first = period;
		t->k = 0;
	}
	t->period = period;
}

double ctop_ticker_now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
