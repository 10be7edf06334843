/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A made-up stream of snapshots for the recording tests and bench: ncont
 * containers of per processes each, whose numbers change every refresh as
 * a real host's do. Rates come from counts over a jittered interval with
 * the aggregation's own formulas. One process in busy_every (5 unless set
 * after synth_init) is busy: CPU, RSS, and bytes of each kind half the
 * time; the others mostly sleep and wake now and then; one process a
 * refresh exits and another starts.
 */
#ifndef CTOP_SNAP_SYNTH_H
#define CTOP_SNAP_SYNTH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snapshot.h"

struct synth {
	struct ctop_snapshot s;
	struct ctop_container *c;	/* ncont containers */
	struct ctop_proc *p;		/* ncont * per processes, then the host row's */
	size_t ncont, per;
	size_t busy_every;
	uint64_t rng;
	uint32_t next_pid;
};

static inline uint64_t synth_rand(struct synth *y)
{
	y->rng ^= y->rng << 13;
	y->rng ^= y->rng >> 7;
	y->rng ^= y->rng << 17;
	return y->rng;
}

static inline void synth_new_proc(struct synth *y, struct ctop_proc *p, size_t cont)
{
	static const char *const comms[] = { "nginx", "python3", "java", "postgres", "node",
					     "redis-server", "sh", "worker" };
	const char *comm = comms[synth_rand(y) % 8];

	memset(p, 0, sizeof(*p));
	p->pid = y->next_pid++;
	p->ppid = 1000 + (uint32_t)cont;
	p->nthreads = 1 + synth_rand(y) % 16;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	snprintf(p->cmdline, sizeof(p->cmdline),
		 "/usr/bin/%s --config=/etc/app-%zu/%s.conf --worker-id=%u --log-level=info",
		 comm, cont, comm, p->pid);
	p->start_ns = 1000000000ULL * (synth_rand(y) % 100000);
	p->m[CTOP_M_RSS] = 4096.0 * (256 + synth_rand(y) % 65536);
}

/* The first refresh. */
static inline int synth_init(struct synth *y, size_t ncont, size_t per, uint64_t seed)
{
	size_t i, j;

	memset(y, 0, sizeof(*y));
	y->ncont = ncont;
	y->per = per;
	y->busy_every = 5;
	y->rng = seed | 1;
	y->next_pid = 2000;
	y->c = calloc(ncont ? ncont : 1, sizeof(*y->c));
	y->p = calloc(ncont * per + 4, sizeof(*y->p));
	if (!y->c || !y->p)
		return -1;
	y->s.time = 1767225600.0 + 0.25;	/* 2026-01-01 00:00:00.25 UTC */
	y->s.host.cpus = 8;
	y->s.host.mem_total_bytes = 16ULL << 30;
	snprintf(y->s.host.hostname, sizeof(y->s.host.hostname), "node-7.example");
	snprintf(y->s.host.kernel, sizeof(y->s.host.kernel), "6.18.0-1-amd64");
	y->s.host.probes.net = CTOP_PROBE_TRACEPOINT;
	y->s.host.probes.file = CTOP_PROBE_SYSCALL;
	y->s.host.probes.storage = CTOP_PROBE_IOAC;
	y->s.host.probes.tasks = CTOP_PROBE_WALK;
	for (i = 0; i < ncont; i++) {
		struct ctop_container *c = &y->c[i];

		snprintf(c->id, sizeof(c->id), "%016llx%016llx%016llx%016llx",
			 (unsigned long long)synth_rand(y), (unsigned long long)synth_rand(y),
			 (unsigned long long)synth_rand(y), (unsigned long long)synth_rand(y));
		snprintf(c->name, sizeof(c->name), "app-%zu", i);
		snprintf(c->runtime, sizeof(c->runtime), "docker");
		snprintf(c->image, sizeof(c->image), "registry.example/team/app-%zu:1.%zu", i, i % 4);
		snprintf(c->cgroup, sizeof(c->cgroup), "/docker/%s", c->id);
		if (i % 2)
			snprintf(c->pod, sizeof(c->pod), "shop");
		c->procs = y->p + i * per;
		c->nprocs = per;
		for (j = 0; j < per; j++)
			synth_new_proc(y, &c->procs[j], i);
	}
	y->s.containers = y->c;
	y->s.ncontainers = ncont;
	snprintf(y->s.host_row.id, sizeof(y->s.host_row.id), "host");
	snprintf(y->s.host_row.name, sizeof(y->s.host_row.name), "[host]");
	snprintf(y->s.host_row.runtime, sizeof(y->s.host_row.runtime), "host");
	snprintf(y->s.host_row.cgroup, sizeof(y->s.host_row.cgroup), "/");
	y->s.host_row.is_host = true;
	y->s.host_row.procs = y->p + ncont * per;
	y->s.host_row.nprocs = 4;
	for (j = 0; j < 4; j++)
		synth_new_proc(y, &y->s.host_row.procs[j], 999);
	return 0;
}

/* acc[0] sums the CPU ns, acc[1..6] the bytes of each kind. */
static inline void synth_rates(struct synth *y, struct ctop_proc *p, double dt, bool busy,
			       uint64_t *acc)
{
	uint64_t r = synth_rand(y);
	uint64_t ns = 0, io[6] = { 0 };
	int k;

	if (busy) {
		ns = r % 900000000ULL;
		for (k = 0; k < 6; k++)
			if ((r >> (20 + k)) & 1)
				io[k] = synth_rand(y) % (1 << 20);
		if ((r >> 40) % 4 == 0)
			p->m[CTOP_M_RSS] += 4096.0 * (double)(synth_rand(y) % 64);
	} else if (r % 10 == 0) {
		ns = r % 2000000ULL;	/* woke up briefly */
	}
	p->m[CTOP_M_CPU] = (double)ns / (dt * 1e9) * 100.0;
	p->m[CTOP_M_DISK_READ] = (double)io[0] / dt;
	p->m[CTOP_M_DISK_WRITE] = (double)io[1] / dt;
	p->m[CTOP_M_NET_RX] = (double)io[2] / dt;
	p->m[CTOP_M_NET_TX] = (double)io[3] / dt;
	p->m[CTOP_M_STORAGE_READ] = (double)io[4] / dt;
	p->m[CTOP_M_STORAGE_WRITE] = (double)io[5] / dt;
	acc[0] += ns;
	for (k = 0; k < 6; k++)
		acc[k + 1] += io[k];
}

/* A row from its processes' counts, as the aggregation makes it. */
static inline void synth_row(struct synth *y, struct ctop_container *c, double dt, bool busy0)
{
	uint64_t acc[7] = { 0 };
	size_t j;
	int k;

	c->m[CTOP_M_RSS] = 0;
	for (j = 0; j < c->nprocs; j++) {
		synth_rates(y, &c->procs[j], dt, busy0 ? j == 0 : j % y->busy_every == 0, acc);
		c->m[CTOP_M_RSS] += c->procs[j].m[CTOP_M_RSS];
	}
	c->m[CTOP_M_CPU] = (double)acc[0] / (dt * 1e9) * 100.0;
	for (k = 0; k < CTOP_IO__COUNT; k++)
		c->m[CTOP_M_IO + k] = (double)acc[k + 1] / dt;
	c->pids = (uint32_t)c->nprocs;
	c->cpu_ns_total += acc[0];
	for (k = 0; k < CTOP_IO__COUNT; k++)
		c->io_total[k] += acc[k + 1];
}

/* The next refresh, `step` seconds (about) after the last. */
static inline void synth_step(struct synth *y, double step)
{
	double dt = step + (double)(synth_rand(y) % 4001) * 1e-6 - 0.002;
	size_t i, n = y->ncont * y->per;

	y->s.seq++;
	y->s.time += dt;
	y->s.interval_s = dt;
	if (n) {
		i = synth_rand(y) % n;
		synth_new_proc(y, &y->p[i], i / y->per);
	}
	y->s.host.cpu_pct = 0;
	for (i = 0; i < y->ncont; i++) {
		synth_row(y, &y->c[i], dt, false);
		y->s.host.cpu_pct += y->c[i].m[CTOP_M_CPU];
	}
	synth_row(y, &y->s.host_row, dt, true);
	y->s.host.cpu_pct += y->s.host_row.m[CTOP_M_CPU];
	y->s.host.nprocs = (uint32_t)(n + y->s.host_row.nprocs);
	y->s.host.mem_used_bytes = (4ULL << 30) + 4096 * (synth_rand(y) % 1000);
}

static inline void synth_fini(struct synth *y)
{
	free(y->c);
	free(y->p);
}

#endif /* CTOP_SNAP_SYNTH_H */
