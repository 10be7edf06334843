// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "thread_totals.h"
#include "u64map.h"

/* Passes an exited thread waits for its free before it is let go. */
#define FREE_WAIT_PASSES	30

struct thread {
	uint32_t tid;
	uint32_t seen;		/* the pass that last saw it */
	uint64_t start_ns;
	uint64_t cpu_ns;	/* the totals credited so far */
	uint64_t io[CTOP_IO__COUNT];
	bool exited;
};

struct ctop_thread_totals {
	struct thread *v;
	size_t n, cap;
	struct ctop_u64map index;	/* tid -> v[] */
	uint32_t pass;
};

int ctop_thread_totals_new(struct ctop_thread_totals **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void ctop_thread_totals_free(struct ctop_thread_totals *t)
{
	if (!t)
		return;
	ctop_u64map_fini(&t->index);
	free(t->v);
	free(t);
}

size_t ctop_thread_totals_count(const struct ctop_thread_totals *t)
{
	return t->n;
}

static void reset(struct ctop_thread_totals *t)
{
	ctop_u64map_clear(&t->index);
	t->n = 0;
}

/*
 * The thread, made if new; NULL for a record of an older thread whose
 * tid a newer one already holds (its last figures are let go: the pid
 * space would have to wrap within one refresh), or -ENOMEM in *err.
 */
static struct thread *find(struct ctop_thread_totals *t, uint32_t tid, uint64_t start_ns,
			   int *err)
{
	uint32_t *i = ctop_u64map_get(&t->index, tid);
	struct thread *th;

	if (i) {
		th = &t->v[*i];
		if (th->start_ns == start_ns)
			return th;
		if (th->start_ns > start_ns)
			return NULL;
	} else {
		if (ctop_grow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v)) ||
		    ctop_u64map_put(&t->index, tid, (uint32_t)t->n)) {
			*err = -ENOMEM;
			return NULL;
		}
		th = &t->v[t->n++];
	}
	memset(th, 0, sizeof(*th));
	th->tid = tid;
	th->start_ns = start_ns;
	return th;
}

static void drop(struct ctop_thread_totals *t, size_t i)
{
	ctop_u64map_del(&t->index, t->v[i].tid);
	if (i != t->n - 1) {
		t->v[i] = t->v[t->n - 1];
		/* Cannot fail: the key is there, its value is replaced. */
		ctop_u64map_put(&t->index, t->v[i].tid, (uint32_t)i);
	}
	t->n--;
}

static __u64 credit(__u64 total, uint64_t *seen)
{
	__u64 d = total > *seen ? total - *seen : 0;

	if (total > *seen)
		*seen = total;
	return d;
}

/* Replaces r's totals by what they add to th's; a stale record adds nothing. */
static void to_deltas(struct thread *th, struct ctop_task_rec *r)
{
	int k;

	if (!th) {
		r->cpu_delta_ns = 0;
		memset(r->io_delta, 0, sizeof(r->io_delta));
		return;
	}
	r->cpu_delta_ns = credit(r->cpu_delta_ns, &th->cpu_ns);
	for (k = 0; k < CTOP_IO__COUNT; k++)
		r->io_delta[k] = credit(r->io_delta[k], &th->io[k]);
}

static bool any(const struct ctop_task_rec *r)
{
	uint64_t v = r->cpu_delta_ns;
	int k;

	for (k = 0; k < CTOP_IO__COUNT; k++)
		v |= r->io_delta[k];
	return v;
}

static int take_exits(struct ctop_thread_totals *t, struct ctop_raw *raw,
		      const struct ctop_exit_rec *exits, size_t nexits)
{
	struct ctop_task_rec *r;
	struct thread *th;
	size_t i;
	int err = 0;

	for (i = 0; i < nexits; i++) {
		const struct ctop_exit_rec *e = &exits[i];

		th = find(t, e->tid, e->start_ns, &err);
		if (err)
			return err;
		if (ctop_grow((void **)&raw->tasks, &raw->tasks_cap, raw->ntasks + 1,
			      sizeof(*raw->tasks)))
			return -ENOMEM;
		r = &raw->tasks[raw->ntasks];
		memset(r, 0, sizeof(*r));
		r->tid = e->tid;
		r->tgid = e->tgid;
		r->cgid = e->cgid;
		r->cpu_delta_ns = e->cpu_ns;
		memcpy(r->io_delta, e->io, sizeof(r->io_delta));
		to_deltas(th, r);
		if (any(r))
			raw->ntasks++;
		if (!th)
			continue;
		th->exited = true;
		th->seen = t->pass;
		if (e->flags & CTOP_EXIT_FREED)
			drop(t, (size_t)(th - t->v));
	}
	return 0;
}

int ctop_thread_totals_apply(struct ctop_thread_totals *t, struct ctop_raw *raw,
			     const struct ctop_exit_rec *exits, size_t nexits)
{
	struct thread *th;
	size_t i, ntasks = raw->ntasks;
	int err = 0;

	t->pass++;
	for (i = 0; i < ntasks; i++) {
		struct ctop_task_rec *r = &raw->tasks[i];

		th = find(t, r->tid, r->start_ns, &err);
		if (err)
			goto fail;
		if (th)
			th->seen = t->pass;
		to_deltas(th, r);
	}
	err = take_exits(t, raw, exits, nexits);
	if (err)
		goto fail;
	/*
	 * Not seen and not exited: its exit was lost. Exited and no longer
	 * seen (a zombie leader is seen until reaped): its free is late or
	 * lost; a free past the wait would be credited twice, but an RCU
	 * grace period is over in far less.
	 */
	i = 0;
	while (i < t->n) {
		th = &t->v[i];
		if ((!th->exited && th->seen != t->pass) ||
		    (th->exited && t->pass - th->seen > FREE_WAIT_PASSES))
			drop(t, i);
		else
			i++;
	}
	return 0;
fail:
	reset(t);
	return err;
}
