// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "aggregate.h"
#include "grow.h"
#include "u64map.h"

/* What we last read of one cgroup's kernel counters. */
struct cg_state {
	uint64_t cgid;
	uint64_t io_prev[CTOP_IO__COUNT];
	uint64_t cpu_prev;
	uint32_t slot;		/* its container; 0 is the host */
	bool unresolved;	/* the hierarchy did not know it yet */
	uint64_t task_gen;	/* last read with a live task in it */
};

/* One live process, keyed by tgid and told apart from a reuse by start_ns. */
struct proc_state {
	uint32_t tgid;
	uint32_t ppid;
	uint64_t start_ns;
	uint64_t io_prev[CTOP_IO__COUNT];
	uint64_t cpu_dead_prev;
	uint64_t gen;		/* last read that saw it */
	uint32_t slot;
	uint32_t rec;		/* its leader record in this read */
	bool fork_ppid;		/* ppid is the fork parent's, from the procs map */
	uint64_t cpu_ns;	/* this read's deltas */
	uint64_t io_d[CTOP_IO__COUNT];
	uint64_t cpu_total, io_total[CTOP_IO__COUNT];	/* since first seen */
	bool cmd_valid;
	char cmdline[CTOP_CMDLINE_LEN];
};

/* A container (or the host, slot 0) with what persists across refreshes. */
struct slot {
	bool used;
	uint32_t refs;		/* cg_states pointing here */
	uint32_t prev_pids;
	struct ctop_container row;
	struct ctop_history hist;
	double smooth[CTOP_M__COUNT];
	/* this read */
	uint64_t cpu_ns, rss, io_d[CTOP_IO__COUNT];
	uint32_t pids;
	size_t nprocs, proc_off;
	bool last;		/* shown once more, its processes gone: state exited */
	/* CFS periods at the last read, for the share throttled since */
	uint64_t periods, throttled;
	bool periods_known;
};

struct ctop_agg {
	struct ctop_agg_ops ops;
	double alpha;
	uint64_t gen;		/* reads taken */
	double prev_mono;
	double mono_epoch;	/* the wall clock at CLOCK_MONOTONIC 0; 0 before a wall read */
	bool rescanned;		/* in this read */
	bool rescan_next;
	uint64_t ringbuf_lost;

	struct cg_state *cgs;
	size_t ncgs, cgs_cap;
	struct ctop_u64map cg_index;

	struct proc_state *procs;
	size_t nprocs, procs_cap;
	struct ctop_u64map proc_index;
	size_t procs_unapplied;	/* procs map entries the last take_procs() passed over */

	/*
	 * Each slot on its own allocation, never moved or freed until the
	 * end: the snapshot's rows point at their history in it, and must
	 * stay valid whatever a later ingest does (even one that fails).
	 */
	struct slot **slots;
	size_t nslots, slots_cap;

	struct ctop_snapshot snap;
	size_t snap_cont_cap;
	struct ctop_proc *snap_procs;
	size_t snap_procs_cap;
};

float ctop_history_at(const struct ctop_history *h, enum ctop_metric m, uint32_t age)
{
	uint32_t i = (h->head + CTOP_HISTORY_LEN - 1 - age % CTOP_HISTORY_LEN) % CTOP_HISTORY_LEN;

	return h->v[m][i];
}

int ctop_agg_new(struct ctop_agg **out, const struct ctop_agg_ops *ops, double alpha)
{
	struct ctop_agg *a = calloc(1, sizeof(*a));

	*out = NULL;
	if (!a)
		return -ENOMEM;
	a->ops = *ops;
	a->alpha = alpha > 0 && alpha <= 1 ? alpha : 0.5;
	/* Slot 0 is the host: everything outside containers. */
	if (ctop_grow((void **)&a->slots, &a->slots_cap, 1, sizeof(*a->slots)) ||
	    !(a->slots[0] = calloc(1, sizeof(**a->slots)))) {
		free(a->slots);
		free(a);
		return -ENOMEM;
	}
	a->slots[0]->used = true;
	a->slots[0]->row.is_host = true;
	strcpy(a->slots[0]->row.id, "host");
	strcpy(a->slots[0]->row.name, "[host]");
	strcpy(a->slots[0]->row.runtime, "host");
	strcpy(a->slots[0]->row.cgroup, "/");
	a->nslots = 1;
	*out = a;
	return 0;
}

void ctop_agg_free(struct ctop_agg *a)
{
	size_t i;

	if (!a)
		return;
	ctop_u64map_fini(&a->cg_index);
	ctop_u64map_fini(&a->proc_index);
	free(a->cgs);
	free(a->procs);
	for (i = 0; i < a->nslots; i++)
		free(a->slots[i]);
	free(a->slots);
	free(a->snap.containers);
	free(a->snap_procs);
	free(a);
}

static void rescan(struct ctop_agg *a)
{
	if (a->rescanned)
		return;
	if (a->ops.rescan)
		a->ops.rescan(a->ops.ud);
	a->rescanned = true;
}

/* The slot of the container with this id, made if new. */
static int slot_for(struct ctop_agg *a, const struct ctop_container *ident, uint32_t *out)
{
	size_t i, free_slot = a->nslots;
	struct slot *s;

	for (i = 1; i < a->nslots; i++) {
		if (!a->slots[i]->used) {
			if (free_slot == a->nslots)
				free_slot = i;
			continue;
		}
		if (strcmp(a->slots[i]->row.id, ident->id) == 0) {
			*out = (uint32_t)i;
			return 0;
		}
	}
	if (free_slot == a->nslots) {
		if (ctop_grow((void **)&a->slots, &a->slots_cap, a->nslots + 1, sizeof(*a->slots)) ||
		    !(a->slots[free_slot] = calloc(1, sizeof(**a->slots))))
			return -ENOMEM;
		a->nslots++;
	}
	s = a->slots[free_slot];
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->row = *ident;
	s->row.is_host = false;
	*out = (uint32_t)free_slot;
	return 0;
}

/* Points cs at its container, asking the hierarchy again once per read. */
static int cg_resolve(struct ctop_agg *a, struct cg_state *cs)
{
	struct ctop_container ident;
	enum ctop_resolve r;
	uint32_t slot = 0;
	int ret;

	memset(&ident, 0, sizeof(ident));
	r = a->ops.resolve(a->ops.ud, cs->cgid, &ident);
	if (r == CTOP_RESOLVE_UNKNOWN && !a->rescanned) {
		rescan(a);
		r = a->ops.resolve(a->ops.ud, cs->cgid, &ident);
	}
	if (r == CTOP_RESOLVE_CONTAINER) {
		ret = slot_for(a, &ident, &slot);
		if (ret)
			return ret;
	}
	a->slots[cs->slot]->refs--;
	cs->slot = slot;
	cs->unresolved = r == CTOP_RESOLVE_UNKNOWN;
	a->slots[slot]->refs++;
	return 0;
}

static struct cg_state *cg_get(struct ctop_agg *a, uint64_t cgid)
{
	struct cg_state *cs;
	uint32_t *idx = ctop_u64map_get(&a->cg_index, cgid);

	if (idx)
		return &a->cgs[*idx];
	if (ctop_grow((void **)&a->cgs, &a->cgs_cap, a->ncgs + 1, sizeof(*a->cgs)) ||
	    ctop_u64map_put(&a->cg_index, cgid, (uint32_t)a->ncgs))
		return NULL;
	cs = &a->cgs[a->ncgs++];
	memset(cs, 0, sizeof(*cs));
	cs->cgid = cgid;
	a->slots[0]->refs++;
	if (cg_resolve(a, cs))
		return NULL;
	return cs;
}

static void cg_drop(struct ctop_agg *a, size_t i)
{
	struct cg_state *cs = &a->cgs[i];
	struct slot *s = a->slots[cs->slot];

	if (--s->refs == 0 && cs->slot != 0 && s->pids == 0)
		s->used = false;
	ctop_u64map_del(&a->cg_index, cs->cgid);
	if (i != a->ncgs - 1) {
		a->cgs[i] = a->cgs[a->ncgs - 1];
		ctop_u64map_put(&a->cg_index, a->cgs[i].cgid, (uint32_t)i);
	}
	a->ncgs--;
}

static struct proc_state *proc_find(struct ctop_agg *a, uint32_t tgid)
{
	uint32_t *idx = ctop_u64map_get(&a->proc_index, tgid);

	return idx ? &a->procs[*idx] : NULL;
}

/* The state of a live process, reset when its pid now names another one. */
static struct proc_state *proc_get(struct ctop_agg *a, uint32_t tgid, uint64_t start_ns)
{
	struct proc_state *p = proc_find(a, tgid);

	if (!p) {
		if (ctop_grow((void **)&a->procs, &a->procs_cap, a->nprocs + 1,
			      sizeof(*a->procs)) ||
		    ctop_u64map_put(&a->proc_index, tgid, (uint32_t)a->nprocs))
			return NULL;
		p = &a->procs[a->nprocs++];
	} else if (p->start_ns == start_ns) {
		return p;
	}
	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	p->start_ns = start_ns;
	return p;
}

static void procs_sweep(struct ctop_agg *a)
{
	size_t i = 0;

	while (i < a->nprocs) {
		if (a->procs[i].gen == a->gen) {
			i++;
			continue;
		}
		ctop_u64map_del(&a->proc_index, a->procs[i].tgid);
		if (i != a->nprocs - 1) {
			a->procs[i] = a->procs[a->nprocs - 1];
			ctop_u64map_put(&a->proc_index, a->procs[i].tgid, (uint32_t)i);
		}
		a->nprocs--;
	}
}

static uint64_t delta(uint64_t now, uint64_t *prev, bool seeding)
{
	/* A counter below its last value was re-created: it all is new. */
	uint64_t d = now >= *prev ? now - *prev : now;

	*prev = now;
	return seeding ? 0 : d;
}

static void take_events(struct ctop_agg *a, const struct ctop_raw *raw)
{
	struct proc_state *p;
	size_t i;

	for (i = 0; i < raw->nevents; i++) {
		switch (raw->events[i].type) {
		case CTOP_EV_EXEC:
			p = proc_find(a, raw->events[i].pid);
			if (p)
				p->cmd_valid = false;
			break;
		case CTOP_EV_CGROUP:
			rescan(a);
			break;
		}
	}
	/* Lost events: forget everything they would have told us. */
	if (raw->drops.ringbuf != a->ringbuf_lost) {
		a->ringbuf_lost = raw->drops.ringbuf;
		for (i = 0; i < a->nprocs; i++)
			a->procs[i].cmd_valid = false;
		rescan(a);
	}
}

static int take_cgroups(struct ctop_agg *a, const struct ctop_raw *raw, bool seeding)
{
	struct cg_state *cs;
	struct slot *s;
	size_t i;
	int k;

	for (i = 0; i < raw->ncgroups; i++) {
		const struct ctop_cg_state *v = &raw->cgroups[i].v;

		cs = cg_get(a, raw->cgroups[i].cgid);
		if (!cs)
			return -ENOMEM;
		s = a->slots[cs->slot];
		for (k = 0; k < CTOP_IO__COUNT; k++)
			s->io_d[k] += delta(v->io[k], &cs->io_prev[k], seeding);
		s->cpu_ns += delta(v->cpu_dead_ns, &cs->cpu_prev, seeding);
	}
	return 0;
}

/* A task record's runtime and bytes, to its row and (if live) its process. */
static void add_deltas(struct slot *s, struct proc_state *p, const struct ctop_task_rec *r)
{
	int k;

	s->cpu_ns += r->cpu_delta_ns;
	if (p)
		p->cpu_ns += r->cpu_delta_ns;
	for (k = 0; k < CTOP_IO__COUNT; k++) {
		s->io_d[k] += r->io_delta[k];
		if (p)
			p->io_d[k] += r->io_delta[k];
	}
}

static int take_tasks(struct ctop_agg *a, const struct ctop_raw *raw)
{
	struct proc_state *p;
	struct cg_state *cs;
	struct slot *s;
	size_t i;

	/* Leaders first: a thread's record may come before its leader's. */
	for (i = 0; i < raw->ntasks; i++) {
		const struct ctop_task_rec *r = &raw->tasks[i];

		if (!(r->flags & CTOP_TASK_LEADER))
			continue;
		cs = cg_get(a, r->cgid);
		p = proc_get(a, r->tgid, r->start_ns);
		if (!cs || !p)
			return -ENOMEM;
		cs->task_gen = a->gen;
		s = a->slots[cs->slot];
		s->pids++;
		s->rss += r->rss_bytes;
		p->gen = a->gen;
		p->slot = cs->slot;
		p->rec = (uint32_t)i;
		if (!p->fork_ppid)
			p->ppid = r->ppid;
		p->cpu_ns = 0;
		memset(p->io_d, 0, sizeof(p->io_d));
		add_deltas(s, p, r);
	}
	for (i = 0; i < raw->ntasks; i++) {
		const struct ctop_task_rec *r = &raw->tasks[i];

		if (r->flags & CTOP_TASK_LEADER)
			continue;
		cs = cg_get(a, r->cgid);
		if (!cs)
			return -ENOMEM;
		cs->task_gen = a->gen;
		p = proc_find(a, r->tgid);
		add_deltas(a->slots[cs->slot], p && p->gen == a->gen ? p : NULL, r);
	}
	return 0;
}

/* The procs map: exited threads' runtime and bytes, and the fork parents. */
static void take_procs(struct ctop_agg *a, const struct ctop_raw *raw, bool seeding)
{
	struct proc_state *p;
	size_t i;
	int k;

	/*
	 * A map unchanged since a read that every entry was applied from
	 * has nothing new: its deltas would all be 0, its parents are kept.
	 * Most refreshes of an idle host are such, and 10,000 look-ups
	 * were a quarter of the aggregation.
	 */
	if (!raw->procs_new && !a->procs_unapplied)
		return;
	a->procs_unapplied = 0;
	for (i = 0; i < raw->nprocs; i++) {
		const struct ctop_proc_state *v = &raw->procs[i].v;

		p = proc_find(a, raw->procs[i].pid);
		if (!p || p->gen != a->gen || p->start_ns != v->start_ns) {
			a->procs_unapplied++;
			continue;
		}
		for (k = 0; k < CTOP_IO__COUNT; k++)
			p->io_d[k] += delta(v->io[k], &p->io_prev[k], seeding);
		p->cpu_ns += delta(v->cpu_dead_ns, &p->cpu_dead_prev, seeding);
		p->ppid = v->ppid;
		p->fork_ppid = true;
	}
}

/* After a rescan, cgroups that are gone and idle are dropped for good. */
static void cgroups_sweep(struct ctop_agg *a)
{
	struct ctop_container ident;
	size_t i = 0;

	while (i < a->ncgs) {
		struct cg_state *cs = &a->cgs[i];

		if (cs->task_gen != a->gen) {
			memset(&ident, 0, sizeof(ident));
			if (a->ops.resolve(a->ops.ud, cs->cgid, &ident) == CTOP_RESOLVE_UNKNOWN) {
				if (a->ops.forget)
					a->ops.forget(a->ops.ud, cs->cgid);
				cg_drop(a, i);
				continue;
			}
		} else if (cs->unresolved) {
			cg_resolve(a, cs);
		}
		i++;
	}
}

static void fill_proc(struct ctop_agg *a, const struct ctop_raw *raw, struct proc_state *p,
		      double dt, struct ctop_proc *out)
{
	const struct ctop_task_rec *r = &raw->tasks[p->rec];
	int k;

	out->pid = p->tgid;
	out->ppid = p->ppid;
	out->nthreads = r->nr_threads;
	out->zombie = r->flags & CTOP_TASK_ZOMBIE;
	out->kthread = r->flags & CTOP_TASK_KTHREAD;
	memcpy(out->comm, r->comm, sizeof(out->comm));
	out->comm[sizeof(out->comm) - 1] = '\0';
	out->start_ns = p->start_ns;
	/* task->start_time is CLOCK_MONOTONIC (the kernel's ktime_get_ns() at fork) */
	out->start_time = a->mono_epoch > 0 ? a->mono_epoch + (double)p->start_ns / 1e9 : 0;
	p->cpu_total += p->cpu_ns;
	out->cpu_ns_total = p->cpu_total;
	for (k = 0; k < CTOP_IO__COUNT; k++) {
		p->io_total[k] += p->io_d[k];
		out->io_total[k] = p->io_total[k];
	}
	if (a->ops.cmdline && !p->cmd_valid && !out->kthread) {
		if (a->ops.cmdline(a->ops.ud, p->tgid, p->cmdline, sizeof(p->cmdline)))
			p->cmdline[0] = '\0';
		p->cmd_valid = true;
	}
	memcpy(out->cmdline, p->cmdline, sizeof(out->cmdline));
	out->m[CTOP_M_CPU] = (double)p->cpu_ns / (dt * 1e9) * 100.0;
	out->m[CTOP_M_RSS] = (double)r->rss_bytes;
	for (k = 0; k < CTOP_IO__COUNT; k++)
		out->m[CTOP_M_IO + k] = (double)p->io_d[k] / dt;
}

/*
 * A container's cgroup figures, and the share of the CFS periods since
 * the last read in which it was throttled. A row in its last refresh has
 * no cgroup left to read: it is exited.
 */
/* Sets cgroup figure m of row to v, known. */
static void cg_fig(struct ctop_container *row, enum ctop_metric m, double v)
{
	row->cgm[m - CTOP_M_MEM] = v;
	row->cgm_known |= 1u << (m - CTOP_M_MEM);
}

/*
 * The figures the metric table shows, from what the cgroup's files said,
 * on a host of host_cpus CPUs.
 */
static void cg_figures(struct ctop_container *row, const struct ctop_cg_stats *cg, int host_cpus)
{
	double quota, cpus;

	if (cg->have & CTOP_CGS_MEM)
		cg_fig(row, CTOP_M_MEM, (double)cg->mem_bytes);
	if ((cg->have & CTOP_CGS_MEM) && (cg->have & CTOP_CGS_MEM_LIMIT) && cg->mem_limit_bytes) {
		cg_fig(row, CTOP_M_MEM_LIMIT, (double)cg->mem_limit_bytes);
		cg_fig(row, CTOP_M_MEM_PCT, (double)cg->mem_bytes / (double)cg->mem_limit_bytes * 100);
	}
	/* The quota, or the cpuset where it allows less than the quota or the host. */
	cpus = cg->have & CTOP_CGS_CPUSET ? cg->cpuset_cpus * 100.0 : 0;
	if (cg->have & CTOP_CGS_CPU_QUOTA) {
		quota = (double)cg->cpu_quota_us / (double)cg->cpu_period_us * 100;
		cg_fig(row, CTOP_M_CPU_LIMIT, cpus && cpus < quota ? cpus : quota);
		cg_fig(row, CTOP_M_CPU_QUOTA, (double)cg->cpu_quota_us);
		cg_fig(row, CTOP_M_CPU_PERIOD, (double)cg->cpu_period_us);
	} else if (cpus && host_cpus > 0 && cpus < host_cpus * 100.0) {
		cg_fig(row, CTOP_M_CPU_LIMIT, cpus);
	}
	if (cg->have & CTOP_CGS_THROTTLE) {
		cg_fig(row, CTOP_M_THROTTLED_S, (double)cg->throttled_ns / 1e9);
		cg_fig(row, CTOP_M_CFS_PERIODS, (double)cg->nr_periods);
		cg_fig(row, CTOP_M_CFS_THROTTLED, (double)cg->nr_throttled);
	}
	if (cg->have & CTOP_CGS_PSI_CPU)
		cg_fig(row, CTOP_M_PSI_CPU, cg->psi_cpu_some);
	if (cg->have & CTOP_CGS_PSI_MEM)
		cg_fig(row, CTOP_M_PSI_MEM, cg->psi_mem_some);
	if (cg->have & CTOP_CGS_PSI_IO)
		cg_fig(row, CTOP_M_PSI_IO, cg->psi_io_some);
	if (cg->have & CTOP_CGS_OOM)
		cg_fig(row, CTOP_M_OOM_KILLS, (double)cg->oom_kills);
}

static void take_cgroup_stats(struct ctop_agg *a, struct slot *s, int host_cpus)
{
	struct ctop_cg_stats *cg = &s->row.cg;
	uint64_t dp, dt;

	memset(cg, 0, sizeof(*cg));
	s->row.cgm_known = 0;
	if (s->last) {
		cg->state = CTOP_STATE_EXITED;
		cg->have = CTOP_CGS_STATE;
		return;
	}
	if (!a->ops.cgroup_stats)
		return;
	a->ops.cgroup_stats(a->ops.ud, &s->row, cg);
	cg_figures(&s->row, cg, host_cpus);
	if (!(cg->have & CTOP_CGS_THROTTLE)) {
		s->periods_known = false;
		return;
	}
	if (s->periods_known && cg->nr_periods >= s->periods && cg->nr_throttled >= s->throttled) {
		dp = cg->nr_periods - s->periods;
		dt = cg->nr_throttled - s->throttled;
		cg_fig(&s->row, CTOP_M_THROTTLED,
		       dp ? (double)(dt < dp ? dt : dp) / (double)dp * 100.0 : 0);
	}
	s->periods = cg->nr_periods;
	s->throttled = cg->nr_throttled;
	s->periods_known = true;
}

static int build_snapshot(struct ctop_agg *a, const struct ctop_raw *raw, double dt,
			  double now_wall, const struct ctop_host *host)
{
	struct ctop_snapshot *sn = &a->snap;
	uint64_t cpu_all = 0;
	size_t i, off = 0, nc = 0;
	int k;

	for (i = 0; i < a->nslots; i++) {
		struct slot *s = a->slots[i];
		struct ctop_container *row = &s->row;

		if (!s->used)
			continue;
		cpu_all += s->cpu_ns;
		row->cpu_ns_total += s->cpu_ns;
		row->pids = s->pids;
		row->m[CTOP_M_CPU] = (double)s->cpu_ns / (dt * 1e9) * 100.0;
		row->m[CTOP_M_RSS] = (double)s->rss;
		for (k = 0; k < CTOP_IO__COUNT; k++) {
			row->io_total[k] += s->io_d[k];
			row->m[CTOP_M_IO + k] = (double)s->io_d[k] / dt;
		}
		s->proc_off = off;
		off += s->pids;
		if (s->pids || i == 0)
			ctop_history_push(&s->hist, s->smooth, s->row.m, a->alpha);
		if (s->pids && i != 0)
			nc++;
		/* A container that just lost its last process: look for its cgroup's end. */
		if (!s->pids && s->prev_pids)
			a->rescan_next = true;
		/* Its last refresh is shown once: what its processes did before they went. */
		s->last = i != 0 && !s->pids && s->prev_pids;
		if (s->last)
			nc++;
		s->prev_pids = s->pids;
		row->hist = &s->hist;
		row->smooth = s->smooth;
		if (i != 0 && (s->pids || s->last))
			take_cgroup_stats(a, s, host->cpus);
	}

	if (ctop_grow((void **)&a->snap_procs, &a->snap_procs_cap, off ? off : 1,
		 sizeof(*a->snap_procs)) ||
	    ctop_grow((void **)&sn->containers, &a->snap_cont_cap, nc ? nc : 1,
		 sizeof(*sn->containers))) {
		/* The previous snapshot may point into a moved array: empty it. */
		sn->ncontainers = 0;
		sn->host_row.procs = NULL;
		sn->host_row.nprocs = 0;
		return -ENOMEM;
	}
	for (i = 0; i < a->nprocs; i++) {
		struct proc_state *p = &a->procs[i];
		struct slot *s = a->slots[p->slot];

		struct ctop_proc *out = &a->snap_procs[s->proc_off + s->nprocs++];

		fill_proc(a, raw, p, dt, out);
		/* the earliest ever seen: a container's first process may be gone */
		if (out->start_time > 0 && (!(s->row.start_time > 0) ||
					    out->start_time < s->row.start_time))
			s->row.start_time = out->start_time;
	}

	sn->ncontainers = 0;
	for (i = 0; i < a->nslots; i++) {
		struct slot *s = a->slots[i];
		struct ctop_container *row;

		if (!s->used || (!s->pids && i != 0 && !s->last))
			continue;
		row = i == 0 ? &sn->host_row : &sn->containers[sn->ncontainers++];
		*row = s->row;
		row->procs = a->snap_procs + s->proc_off;
		row->nprocs = s->nprocs;
	}

	sn->seq++;
	sn->time = now_wall;
	sn->interval_s = dt;
	sn->alpha = a->alpha;
	sn->host = *host;
	sn->host.mono_epoch = a->mono_epoch;
	sn->host.cpu_pct = (double)cpu_all / (dt * 1e9) * 100.0;
	sn->host.nprocs = (uint32_t)a->nprocs;
	sn->host.lost_events = raw->drops.ringbuf + raw->drops.procs_full + raw->drops.exits +
			       raw->drops.cgroups_full;
	return 0;
}

int ctop_agg_ingest(struct ctop_agg *a, const struct ctop_raw *raw, double now_mono,
		    double now_wall, const struct ctop_host *host, const struct ctop_snapshot **out)
{
	bool seeding = a->gen == 0;
	double dt = now_mono - a->prev_mono;
	size_t i;
	int ret;

	*out = NULL;
	a->gen++;
	a->rescanned = false;
	if (a->rescan_next) {
		rescan(a);
		a->rescan_next = false;
	}
	for (i = 0; i < a->nslots; i++) {
		struct slot *s = a->slots[i];

		s->cpu_ns = s->rss = 0;
		memset(s->io_d, 0, sizeof(s->io_d));
		s->pids = 0;
		s->nprocs = 0;
	}
	take_events(a, raw);
	ret = take_cgroups(a, raw, seeding);
	if (!ret)
		ret = take_tasks(a, raw);
	if (ret)
		return ret;
	take_procs(a, raw, seeding);
	procs_sweep(a);
	if (a->rescanned)
		cgroups_sweep(a);
	a->prev_mono = now_mono;
	if (seeding)
		return 0;
	if (dt < 1e-6)
		dt = 1e-6;
	/*
	 * Steady from one refresh to the next, so that start times do not
	 * jitter by the microseconds between the two clock reads; a step of
	 * the wall clock (NTP setting it) is followed.
	 */
	if (now_wall > 0 && (!(a->mono_epoch > 0) || fabs(now_wall - now_mono - a->mono_epoch) > 1.0))
		a->mono_epoch = now_wall - now_mono;
	ret = build_snapshot(a, raw, dt, now_wall, host);
	if (ret)
		return ret;
	*out = &a->snap;
	return 0;
}
