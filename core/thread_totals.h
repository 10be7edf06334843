/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Running totals into deltas, for the legacy BPF object (kernels before
 * 5.17; bpf/ctop.h says what it reports). Each thread's runtime and
 * storage IO is credited once: the most each total has been seen at, by
 * the iterator or in the exits map, whichever saw it first.
 */
#ifndef CTOP_THREAD_TOTALS_H
#define CTOP_THREAD_TOTALS_H

#include <stddef.h>
#include "raw.h"

struct ctop_thread_totals;

/* 0 or -ENOMEM; *out is NULL on failure. */
int ctop_thread_totals_new(struct ctop_thread_totals **out);
void ctop_thread_totals_free(struct ctop_thread_totals *t);

/*
 * Turns raw->tasks' running totals into deltas in place, and appends one
 * record (not a leader's) for what each exit adds. Read the iterator
 * first and the exits map after it: a thread the iterator no longer sees
 * then has its exit among them, or it was lost (drops.exits says so).
 * 0 or -ENOMEM, after which the next call starts over from zero.
 */
int ctop_thread_totals_apply(struct ctop_thread_totals *t, struct ctop_raw *raw,
			     const struct ctop_exit_rec *exits, size_t nexits);

/* Threads followed, for tests. */
size_t ctop_thread_totals_count(const struct ctop_thread_totals *t);

#endif /* CTOP_THREAD_TOTALS_H */
