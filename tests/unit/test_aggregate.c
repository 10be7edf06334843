// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aggregate.h"

#define MS	1000000ULL	/* nanoseconds */

/* ---- a fake cgroup hierarchy ---- */

struct fake_cg {
	uint64_t cgid;
	enum ctop_resolve r;
	const char *id;		/* container id, for CTOP_RESOLVE_CONTAINER */
	int known_from;		/* UNKNOWN until this many rescans happened */
	bool gone;		/* UNKNOWN from now on */
};

static struct fake {
	struct fake_cg cg[64];
	size_t ncg;
	int rescans;
	int resolves;
	uint64_t forgotten[64];
	size_t nforgotten;
	int cmdlines;
	uint32_t cmdline_pids[64];
} fk;

static struct fake_cg *fake_cg(uint64_t cgid)
{
	size_t i;

	for (i = 0; i < fk.ncg; i++)
		if (fk.cg[i].cgid == cgid)
			return &fk.cg[i];
	return NULL;
}

static void fake_add(uint64_t cgid, enum ctop_resolve r, const char *id, int known_from)
{
	struct fake_cg *c = &fk.cg[fk.ncg++];

	c->cgid = cgid;
	c->r = r;
	c->id = id;
	c->known_from = known_from;
	c->gone = false;
}

static enum ctop_resolve fake_resolve(void *ud, uint64_t cgid, struct ctop_container *row)
{
	struct fake_cg *c = fake_cg(cgid);

	cr_assert_eq(ud, &fk);
	fk.resolves++;
	if (!c || c->gone || fk.rescans < c->known_from)
		return CTOP_RESOLVE_UNKNOWN;
	if (c->r == CTOP_RESOLVE_CONTAINER) {
		snprintf(row->id, sizeof(row->id), "%s", c->id);
		snprintf(row->name, sizeof(row->name), "name-%s", c->id);
		snprintf(row->image, sizeof(row->image), "image-%s:1", c->id);
		snprintf(row->runtime, sizeof(row->runtime), "docker");
		snprintf(row->cgroup, sizeof(row->cgroup), "/docker/%s", c->id);
	}
	return c->r;
}

static void fake_rescan(void *ud)
{
	cr_assert_eq(ud, &fk);
	fk.rescans++;
}

static void fake_forget(void *ud, uint64_t cgid)
{
	cr_assert_eq(ud, &fk);
	fk.forgotten[fk.nforgotten++] = cgid;
}

static int fake_cmdline(void *ud, uint32_t pid, char *buf, size_t len)
{
	fk.cmdline_pids[fk.cmdlines++ % 64] = pid;
	snprintf(buf, len, "cmd-%u --flag", pid);
	return 0;
}

static const struct ctop_agg_ops ops = {
	.resolve = fake_resolve,
	.rescan = fake_rescan,
	.forget = fake_forget,
	.ud = &fk,
};

/* ---- building reads ---- */

struct rb {
	struct ctop_raw raw;
	size_t tcap, pcap, ccap, ecap;
};

static void *more(void *p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return p;
	*cap = need * 2 + 16;
	p = realloc(p, *cap * elem);
	cr_assert_not_null(p);
	return p;
}

static void rb_free(struct rb *b)
{
	free(b->raw.tasks);
	free(b->raw.procs);
	free(b->raw.cgroups);
	free(b->raw.events);
	memset(b, 0, sizeof(*b));
}

static struct ctop_task_rec *leader(struct rb *b, uint32_t tgid, uint64_t cgid, uint64_t start,
				    uint64_t cpu_ns, uint64_t rss, uint32_t nthreads)
{
	struct ctop_task_rec *r;

	b->raw.tasks = more(b->raw.tasks, &b->tcap, b->raw.ntasks + 1, sizeof(*r));
	r = &b->raw.tasks[b->raw.ntasks++];
	memset(r, 0, sizeof(*r));
	r->tid = tgid;
	r->tgid = tgid;
	r->ppid = 1;
	r->flags = CTOP_TASK_LEADER;
	r->cgid = cgid;
	r->start_ns = start;
	r->cpu_delta_ns = cpu_ns;
	r->rss_bytes = rss;
	r->nr_threads = nthreads;
	snprintf(r->comm, sizeof(r->comm), "p%u", tgid);
	return r;
}

static void thread(struct rb *b, uint32_t tid, uint32_t tgid, uint64_t cgid, uint64_t start,
		   uint64_t cpu_ns)
{
	struct ctop_task_rec *r;

	b->raw.tasks = more(b->raw.tasks, &b->tcap, b->raw.ntasks + 1, sizeof(*r));
	r = &b->raw.tasks[b->raw.ntasks++];
	memset(r, 0, sizeof(*r));
	r->tid = tid;
	r->tgid = tgid;
	r->ppid = 1;
	r->cgid = cgid;
	r->start_ns = start;
	r->cpu_delta_ns = cpu_ns;
	snprintf(r->comm, sizeof(r->comm), "t%u", tid);
}

static void procmap(struct rb *b, uint32_t pid, uint32_t ppid, uint64_t cgid, uint64_t start,
		    uint64_t cpu_dead, uint64_t dr, uint64_t dw, uint64_t rx, uint64_t tx)
{
	struct ctop_raw_proc *p;

	b->raw.procs = more(b->raw.procs, &b->pcap, b->raw.nprocs + 1, sizeof(*p));
	p = &b->raw.procs[b->raw.nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->v.ppid = ppid;
	p->v.cgid = cgid;
	p->v.start_ns = start;
	p->v.cpu_dead_ns = cpu_dead;
	p->v.io[CTOP_IO_DISK_READ] = dr;
	p->v.io[CTOP_IO_DISK_WRITE] = dw;
	p->v.io[CTOP_IO_NET_RX] = rx;
	p->v.io[CTOP_IO_NET_TX] = tx;
}

static void cgmap(struct rb *b, uint64_t cgid, uint64_t cpu_dead, uint64_t dr, uint64_t dw,
		  uint64_t rx, uint64_t tx)
{
	struct ctop_raw_cg *c;

	b->raw.cgroups = more(b->raw.cgroups, &b->ccap, b->raw.ncgroups + 1, sizeof(*c));
	c = &b->raw.cgroups[b->raw.ncgroups++];
	memset(c, 0, sizeof(*c));
	c->cgid = cgid;
	c->v.cpu_dead_ns = cpu_dead;
	c->v.io[CTOP_IO_DISK_READ] = dr;
	c->v.io[CTOP_IO_DISK_WRITE] = dw;
	c->v.io[CTOP_IO_NET_RX] = rx;
	c->v.io[CTOP_IO_NET_TX] = tx;
}

static void event(struct rb *b, uint32_t type, uint32_t pid, uint64_t cgid)
{
	struct ctop_event *e;

	b->raw.events = more(b->raw.events, &b->ecap, b->raw.nevents + 1, sizeof(*e));
	e = &b->raw.events[b->raw.nevents++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->pid = pid;
	e->cgid = cgid;
}

/* ---- the fixture ---- */

static struct ctop_agg *agg;
static struct rb b;
static struct ctop_host host;
static double now;		/* monotonic seconds of the next read */

static void setup(void)
{
	memset(&fk, 0, sizeof(fk));
	memset(&b, 0, sizeof(b));
	memset(&host, 0, sizeof(host));
	host.cpus = 8;
	host.mem_total_bytes = 16ULL << 30;
	snprintf(host.hostname, sizeof(host.hostname), "testhost");
	now = 100.0;
	cr_assert_eq(ctop_agg_new(&agg, &ops, 0.5), 0);
	cr_assert_not_null(agg);
}

static void teardown(void)
{
	ctop_agg_free(agg);
	agg = NULL;
	rb_free(&b);
}

TestSuite(agg, .init = setup, .fini = teardown);

/*
 * Ingests the read in b, dt seconds after the previous one: with its procs
 * map read anew, unless procs_kept (as the loader does when the map has
 * not changed).
 */
static bool procs_kept;

static const struct ctop_snapshot *ingest(double dt)
{
	const struct ctop_snapshot *s = (const void *)&b;	/* must be overwritten */

	now += dt;
	b.raw.procs_new = !procs_kept;
	cr_assert_eq(ctop_agg_ingest(agg, &b.raw, now, 1700000000.0 + now, &host, &s), 0);
	return s;
}

static void seed(void)
{
	cr_assert_null(ingest(0));
}

static const struct ctop_snapshot *snap(double dt)
{
	const struct ctop_snapshot *s = ingest(dt);

	cr_assert_not_null(s);
	return s;
}

static const struct ctop_container *row_of(const struct ctop_snapshot *s, const char *id)
{
	size_t i;

	if (strcmp(id, "host") == 0)
		return &s->host_row;
	for (i = 0; i < s->ncontainers; i++)
		if (strcmp(s->containers[i].id, id) == 0)
			return &s->containers[i];
	return NULL;
}

static const struct ctop_container *row(const struct ctop_snapshot *s, const char *id)
{
	const struct ctop_container *c = row_of(s, id);

	cr_assert_not_null(c, "no row %s", id);
	return c;
}

static const struct ctop_proc *proc_of(const struct ctop_container *c, uint32_t pid)
{
	size_t i;

	for (i = 0; i < c->nprocs; i++)
		if (c->procs[i].pid == pid)
			return &c->procs[i];
	return NULL;
}

static const struct ctop_proc *proc(const struct ctop_container *c, uint32_t pid)
{
	const struct ctop_proc *p = proc_of(c, pid);

	cr_assert_not_null(p, "no process %u in %s", pid, c->id);
	return p;
}

#define EQ(a, b) cr_assert_float_eq((double)(a), (double)(b), 1e-9, "%s = %f, want %f", #a, \
				     (double)(a), (double)(b))

/* ---- 1. seeding and intervals ---- */

Test(agg, first_ingest_only_seeds)
{
	const struct ctop_snapshot *s;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 900 * MS, 4096, 1);
	seed();
	s = snap(2.5);
	cr_assert_eq(s->seq, 1);
	EQ(s->interval_s, 2.5);
	EQ(s->time, 1700000000.0 + 102.5);
	cr_assert_eq(s->host.cpus, 8);
	cr_assert_eq(s->host.mem_total_bytes, 16ULL << 30);
	cr_assert_str_eq(s->host.hostname, "testhost");
	s = snap(0.75);
	cr_assert_eq(s->seq, 2);
	EQ(s->interval_s, 0.75);
}

/* ---- 2. CPU ---- */

Test(agg, leader_cpu_is_percent_of_one_cpu)
{
	const struct ctop_snapshot *s;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	seed();
	b.raw.tasks[0].cpu_delta_ns = 500 * MS;
	s = snap(1.0);
	EQ(proc(row(s, "c1"), 10)->m[CTOP_M_CPU], 50);
	EQ(row(s, "c1")->m[CTOP_M_CPU], 50);
	EQ(row(s, "c1")->cpu_ns_total, 500 * MS);
	/* Same runtime over twice the time: half the percentage. */
	s = snap(2.0);
	EQ(proc(row(s, "c1"), 10)->m[CTOP_M_CPU], 25);
	EQ(row(s, "c1")->m[CTOP_M_CPU], 25);
	EQ(row(s, "c1")->cpu_ns_total, 1000 * MS);
	/* More than one CPU. */
	b.raw.tasks[0].cpu_delta_ns = 3500 * MS;
	s = snap(1.0);
	EQ(row(s, "c1")->m[CTOP_M_CPU], 350);
}

Test(agg, threads_add_to_their_process_and_container)
{
	const struct ctop_snapshot *s;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	seed();
	/* Threads listed before their leader, as the iterator may do. */
	thread(&b, 11, 10, 100, 1, 200 * MS);
	thread(&b, 21, 20, 100, 2, 50 * MS);
	leader(&b, 10, 100, 1, 100 * MS, 0, 3);
	leader(&b, 20, 100, 2, 0, 0, 2);
	thread(&b, 12, 10, 100, 1, 300 * MS);
	s = snap(1.0);
	EQ(proc(row(s, "c1"), 10)->m[CTOP_M_CPU], 60);
	EQ(proc(row(s, "c1"), 20)->m[CTOP_M_CPU], 5);
	EQ(row(s, "c1")->m[CTOP_M_CPU], 65);
	/* Threads are not processes. */
	cr_assert_eq(row(s, "c1")->pids, 2);
	cr_assert_eq(row(s, "c1")->nprocs, 2);
}

/* Live threads' IO comes in their iterator records, exchanged out of task storage. */
Test(agg, task_record_io_adds_to_process_and_container)
{
	const struct ctop_snapshot *s;
	const struct ctop_container *c;
	struct ctop_task_rec *r;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	seed();
	r = leader(&b, 10, 100, 1, 0, 0, 2);
	r->io_delta[CTOP_IO_DISK_WRITE] = 4000;
	r->io_delta[CTOP_IO_NET_RX] = 10;
	thread(&b, 11, 10, 100, 1, 0);
	b.raw.tasks[b.raw.ntasks - 1].io_delta[CTOP_IO_DISK_WRITE] = 1000;
	b.raw.tasks[b.raw.ntasks - 1].io_delta[CTOP_IO_NET_TX] = 30;
	/* An exited thread's last bytes, folded in the kernel, add on top. */
	procmap(&b, 10, 1, 100, 1, 0, 0, 500, 0, 0);
	cgmap(&b, 100, 0, 0, 500, 0, 0);
	s = snap(2.0);
	c = row(s, "c1");
	EQ(proc(c, 10)->m[CTOP_M_DISK_WRITE], 2750);
	EQ(proc(c, 10)->m[CTOP_M_NET_RX], 5);
	EQ(proc(c, 10)->m[CTOP_M_NET_TX], 15);
	EQ(c->m[CTOP_M_DISK_WRITE], 2750);
	cr_assert_eq(c->io_total[CTOP_IO_DISK_WRITE], 5500);
	cr_assert_eq(c->io_total[CTOP_IO_NET_RX], 10);
	cr_assert_eq(c->io_total[CTOP_IO_NET_TX], 30);
	cr_assert_eq(c->io_total[CTOP_IO_DISK_READ], 0);
}

Test(agg, exited_threads_of_the_cgroup_add_to_the_container_only)
{
	const struct ctop_snapshot *s;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	cgmap(&b, 100, 7000 * MS, 0, 0, 0, 0);
	seed();
	b.raw.tasks[0].cpu_delta_ns = 100 * MS;
	b.raw.cgroups[0].v.cpu_dead_ns = 7250 * MS;
	s = snap(1.0);
	EQ(row(s, "c1")->m[CTOP_M_CPU], 35);
	EQ(proc(row(s, "c1"), 10)->m[CTOP_M_CPU], 10);
	/* Only the growth counts towards the total, not the 7 s before. */
	EQ(row(s, "c1")->cpu_ns_total, 350 * MS);
}

Test(agg, exited_threads_of_the_process_add_to_the_process)
{
	const struct ctop_snapshot *s;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	procmap(&b, 10, 1, 100, 1, 2000 * MS, 0, 0, 0, 0);
	seed();
	b.raw.tasks[0].cpu_delta_ns = 100 * MS;
	b.raw.procs[0].v.cpu_dead_ns = 2300 * MS;
	s = snap(1.0);
	EQ(proc(row(s, "c1"), 10)->m[CTOP_M_CPU], 40);
	/* The container has these from its cgroup's counter, unchanged here. */
	EQ(row(s, "c1")->m[CTOP_M_CPU], 10);
}

/* ---- 3. IO ---- */

Test(agg, cgroup_io_rates_and_totals)
{
	const struct ctop_snapshot *s;
	const struct ctop_container *c;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	cgmap(&b, 100, 0, 1000, 2000, 3000, 4000);
	seed();
	b.raw.cgroups[0].v.io[CTOP_IO_DISK_READ] = 3000;
	b.raw.cgroups[0].v.io[CTOP_IO_DISK_WRITE] = 2000;
	b.raw.cgroups[0].v.io[CTOP_IO_NET_RX] = 3500;
	b.raw.cgroups[0].v.io[CTOP_IO_NET_TX] = 8000;
	s = snap(2.0);
	c = row(s, "c1");
	EQ(c->m[CTOP_M_DISK_READ], 1000);
	EQ(c->m[CTOP_M_DISK_WRITE], 0);
	EQ(c->m[CTOP_M_NET_RX], 250);
	EQ(c->m[CTOP_M_NET_TX], 2000);
	cr_assert_eq(c->io_total[CTOP_IO_DISK_READ], 2000);
	cr_assert_eq(c->io_total[CTOP_IO_DISK_WRITE], 0);
	cr_assert_eq(c->io_total[CTOP_IO_NET_RX], 500);
	cr_assert_eq(c->io_total[CTOP_IO_NET_TX], 4000);

	/* The entry was re-created: the smaller value is all new. */
	b.raw.cgroups[0].v.io[CTOP_IO_DISK_READ] = 500;
	b.raw.cgroups[0].v.io[CTOP_IO_NET_TX] = 9000;
	s = snap(1.0);
	c = row(s, "c1");
	EQ(c->m[CTOP_M_DISK_READ], 500);
	EQ(c->m[CTOP_M_NET_TX], 1000);
	cr_assert_eq(c->io_total[CTOP_IO_DISK_READ], 2500);
	cr_assert_eq(c->io_total[CTOP_IO_NET_TX], 5000);
	cr_assert_eq(c->io_total[CTOP_IO_NET_RX], 500);

	/* No growth: rates drop to zero, totals stay. */
	s = snap(1.0);
	c = row(s, "c1");
	EQ(c->m[CTOP_M_DISK_READ], 0);
	EQ(c->m[CTOP_M_NET_TX], 0);
	cr_assert_eq(c->io_total[CTOP_IO_DISK_READ], 2500);
	cr_assert_eq(c->io_total[CTOP_IO_NET_TX], 5000);
}

Test(agg, cgroup_seen_after_the_seed_counts_everything)
{
	const struct ctop_snapshot *s;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	seed();
	leader(&b, 10, 100, 1, 0, 0, 1);
	cgmap(&b, 100, 0, 400, 0, 0, 60);
	s = snap(2.0);
	EQ(row(s, "c1")->m[CTOP_M_DISK_READ], 200);
	EQ(row(s, "c1")->m[CTOP_M_NET_TX], 30);
	cr_assert_eq(row(s, "c1")->io_total[CTOP_IO_DISK_READ], 400);
}

Test(agg, process_io_from_the_procs_map)
{
	const struct ctop_snapshot *s;
	const struct ctop_proc *p;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	procmap(&b, 10, 1, 100, 1, 0, 100, 200, 300, 400);
	seed();
	b.raw.procs[0].v.io[CTOP_IO_DISK_READ] = 600;
	b.raw.procs[0].v.io[CTOP_IO_DISK_WRITE] = 200;
	b.raw.procs[0].v.io[CTOP_IO_NET_RX] = 1300;
	b.raw.procs[0].v.io[CTOP_IO_NET_TX] = 10;	/* re-created: all new */
	/* Born in the interval: everything it did counts. */
	leader(&b, 20, 100, 5, 0, 0, 1);
	procmap(&b, 20, 10, 100, 5, 0, 50, 60, 70, 80);
	s = snap(0.5);
	p = proc(row(s, "c1"), 10);
	EQ(p->m[CTOP_M_DISK_READ], 1000);
	EQ(p->m[CTOP_M_DISK_WRITE], 0);
	EQ(p->m[CTOP_M_NET_RX], 2000);
	EQ(p->m[CTOP_M_NET_TX], 20);
	p = proc(row(s, "c1"), 20);
	EQ(p->m[CTOP_M_DISK_READ], 100);
	EQ(p->m[CTOP_M_DISK_WRITE], 120);
	EQ(p->m[CTOP_M_NET_RX], 140);
	EQ(p->m[CTOP_M_NET_TX], 160);
	/* Second interval: only growth. */
	b.raw.procs[1].v.io[CTOP_IO_DISK_READ] = 150;
	s = snap(1.0);
	p = proc(row(s, "c1"), 20);
	EQ(p->m[CTOP_M_DISK_READ], 100);
	EQ(p->m[CTOP_M_DISK_WRITE], 0);
	EQ(p->m[CTOP_M_NET_TX], 0);
}

/*
 * A procs map kept from the last read has nothing new, so it is not gone
 * through again; but the fork parent it gave stays.
 */
Test(agg, a_kept_procs_map_is_not_gone_through_and_keeps_its_parents)
{
	const struct ctop_snapshot *s;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	procmap(&b, 10, 7, 100, 1, 0, 100, 0, 0, 0);	/* forked by 7, now a child of 1 */
	seed();
	s = snap(1.0);
	cr_assert_eq(proc(row(s, "c1"), 10)->ppid, 7);
	procs_kept = true;
	b.raw.procs[0].v.io[CTOP_IO_DISK_READ] = 999;	/* stands for "not read again" */
	s = snap(1.0);
	cr_assert_eq(proc(row(s, "c1"), 10)->ppid, 7, "the fork parent is kept");
	EQ(proc(row(s, "c1"), 10)->m[CTOP_M_DISK_READ], 0);
	procs_kept = false;
	s = snap(1.0);
	EQ(proc(row(s, "c1"), 10)->m[CTOP_M_DISK_READ], 899);
}

/* An entry passed over, its process not seen yet, counts once it is. */
Test(agg, a_kept_procs_map_applies_the_entries_it_passed_over)
{
	const struct ctop_snapshot *s;
	struct ctop_task_rec *late;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	procmap(&b, 10, 7, 100, 1, 0, 0, 0, 0, 0);
	late = leader(&b, 21, 100, 5, 0, 0, 1);		/* not 20 yet */
	procmap(&b, 20, 10, 100, 5, 0, 0, 0, 0, 0);
	seed();
	s = snap(1.0);
	procs_kept = true;
	late->tgid = late->tid = 20;
	b.raw.procs[1].v.io[CTOP_IO_DISK_READ] = 300;
	s = snap(1.0);
	cr_assert_eq(proc(row(s, "c1"), 20)->ppid, 10);
	EQ(proc(row(s, "c1"), 20)->m[CTOP_M_DISK_READ], 300);
	procs_kept = false;
}

Test(agg, process_without_procs_entry_has_no_io)
{
	const struct ctop_snapshot *s;
	const struct ctop_proc *p;
	int k;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	procmap(&b, 10, 1, 100, 1, 0, 100, 200, 300, 400);
	seed();
	b.raw.procs[0].v.io[CTOP_IO_DISK_READ] = 900;
	s = snap(1.0);
	EQ(proc(row(s, "c1"), 10)->m[CTOP_M_DISK_READ], 800);
	b.raw.nprocs = 0;
	s = snap(1.0);
	p = proc(row(s, "c1"), 10);
	for (k = CTOP_M_DISK_READ; k <= CTOP_M_NET_TX; k++)
		EQ(p->m[k], 0);
}

/* ---- 4. RSS, pids and the process entries ---- */

Test(agg, rss_pids_and_process_fields)
{
	const struct ctop_snapshot *s;
	const struct ctop_container *c;
	const struct ctop_proc *p;
	struct ctop_task_rec *r;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	fake_add(101, CTOP_RESOLVE_CONTAINER, "c1", 0);	/* a nested cgroup of c1 */
	fake_add(200, CTOP_RESOLVE_CONTAINER, "c2", 0);
	r = leader(&b, 10, 100, 1, 0, 1 << 20, 4);
	r->ppid = 3;
	snprintf(r->comm, sizeof(r->comm), "nginx");
	r = leader(&b, 11, 101, 2, 0, 2 << 20, 1);
	r->ppid = 10;
	leader(&b, 12, 100, 3, 0, 3 << 20, 1);
	thread(&b, 13, 10, 100, 1, 0);
	leader(&b, 20, 200, 4, 0, 5 << 20, 2);
	/* The fork record's parent wins over the task's. */
	procmap(&b, 12, 77, 100, 3, 0, 0, 0, 0, 0);
	seed();
	s = snap(1.0);
	cr_assert_eq(s->ncontainers, 2);
	c = row(s, "c1");
	cr_assert_eq(c->pids, 3);
	cr_assert_eq(c->nprocs, 3);
	EQ(c->m[CTOP_M_RSS], 6 << 20);
	cr_assert_str_eq(c->name, "name-c1");
	cr_assert_str_eq(c->image, "image-c1:1");
	cr_assert_str_eq(c->runtime, "docker");
	cr_assert_str_eq(c->cgroup, "/docker/c1");
	cr_assert_not(c->is_host);
	c = row(s, "c2");
	cr_assert_eq(c->pids, 1);
	EQ(c->m[CTOP_M_RSS], 5 << 20);

	p = proc(row(s, "c1"), 10);
	cr_assert_eq(p->ppid, 3);
	cr_assert_str_eq(p->comm, "nginx");
	cr_assert_eq(p->nthreads, 4);
	cr_assert_eq(p->start_ns, 1);
	EQ(p->m[CTOP_M_RSS], 1 << 20);
	p = proc(row(s, "c1"), 11);
	cr_assert_eq(p->ppid, 10);
	cr_assert_str_eq(p->comm, "p11");
	p = proc(row(s, "c1"), 12);
	cr_assert_eq(p->ppid, 77);
	cr_assert_null(proc_of(row(s, "c1"), 13), "a thread listed as a process");
	cr_assert_null(proc_of(row(s, "c1"), 20));
	p = proc(row(s, "c2"), 20);
	cr_assert_eq(p->nthreads, 2);
	cr_assert_eq(s->host.nprocs, 4);
}

Test(agg, full_comm_is_terminated)
{
	const struct ctop_snapshot *s;
	struct ctop_task_rec *r;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	r = leader(&b, 10, 100, 1, 0, 0, 1);
	memset(r->comm, 'x', sizeof(r->comm));	/* 16 bytes, no NUL */
	r->flags |= CTOP_TASK_ZOMBIE;
	seed();
	s = snap(1.0);
	cr_assert_eq(strlen(proc(row(s, "c1"), 10)->comm), 15);
	cr_assert(proc(row(s, "c1"), 10)->zombie);
	cr_assert_not(proc(row(s, "c1"), 10)->kthread);
}

/* ---- 5. PID reuse ---- */

Test(agg, reused_pid_starts_from_zero)
{
	const struct ctop_snapshot *s;
	const struct ctop_proc *p;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1000, 0, 0, 1);
	procmap(&b, 10, 1, 100, 1000, 500 * MS, 1000, 0, 0, 0);
	seed();
	/*
	 * pid 10 exited and a new process got its number. Its counters are
	 * above the old one's, so a difference against those would show.
	 */
	b.raw.tasks[0].start_ns = 2000;
	b.raw.tasks[0].cpu_delta_ns = 0;
	b.raw.procs[0].v.start_ns = 2000;
	b.raw.procs[0].v.cpu_dead_ns = 700 * MS;
	b.raw.procs[0].v.io[CTOP_IO_DISK_READ] = 1500;
	b.raw.procs[0].v.io[CTOP_IO_NET_TX] = 7;
	s = snap(1.0);
	p = proc(row(s, "c1"), 10);
	cr_assert_eq(p->start_ns, 2000);
	EQ(p->m[CTOP_M_DISK_READ], 1500);
	EQ(p->m[CTOP_M_NET_TX], 7);
	EQ(p->m[CTOP_M_CPU], 70);
}

Test(agg, stale_procs_entry_of_the_old_process_is_ignored)
{
	const struct ctop_snapshot *s;
	const struct ctop_proc *p;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1000, 0, 0, 1);
	procmap(&b, 10, 1, 100, 1000, 0, 1000, 0, 0, 0);
	seed();
	b.raw.tasks[0].start_ns = 2000;
	b.raw.procs[0].v.ppid = 55;
	b.raw.procs[0].v.io[CTOP_IO_DISK_READ] = 5000;	/* still the old one's */
	s = snap(1.0);
	p = proc(row(s, "c1"), 10);
	EQ(p->m[CTOP_M_DISK_READ], 0);
	cr_assert_eq(p->ppid, 1, "ppid taken from another process's entry");
}

/* ---- 6. rows that come and go, the host row, host totals ---- */

Test(agg, container_without_processes_disappears)
{
	const struct ctop_snapshot *s;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	fake_add(200, CTOP_RESOLVE_CONTAINER, "c2", 0);
	fake_add(1, CTOP_RESOLVE_HOST, NULL, 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	leader(&b, 20, 200, 2, 0, 0, 1);
	leader(&b, 1, 1, 3, 0, 0, 1);
	seed();
	s = snap(1.0);
	cr_assert_eq(s->ncontainers, 2);
	cr_assert_not_null(row_of(s, "c1"));
	cr_assert_not_null(row_of(s, "c2"));
	/* c1's process exits: its row is shown once more, exited, then gone. */
	b.raw.tasks[0] = b.raw.tasks[2];
	b.raw.ntasks = 2;
	s = snap(1.0);
	cr_assert_eq(s->ncontainers, 2);
	cr_assert_not_null(row_of(s, "c1"));
	cr_assert_eq(row_of(s, "c1")->pids, 0);
	cr_assert_eq(row_of(s, "c1")->cg.state, CTOP_STATE_EXITED);
	cr_assert(row_of(s, "c1")->cg.have & CTOP_CGS_STATE);
	s = snap(1.0);
	cr_assert_eq(s->ncontainers, 1);
	cr_assert_null(row_of(s, "c1"));
	cr_assert_not_null(row_of(s, "c2"));
	cr_assert(s->host_row.is_host);
	cr_assert_str_eq(s->host_row.id, "host");
	cr_assert_str_eq(s->host_row.name, "[host]");
	cr_assert_eq(s->host_row.pids, 1);
	cr_assert_not_null(proc_of(&s->host_row, 1));
	/* Everything exits: only the host row is left, after c2's last refresh. */
	b.raw.ntasks = 0;
	s = snap(1.0);
	cr_assert_eq(s->ncontainers, 1);
	s = snap(1.0);
	cr_assert_eq(s->ncontainers, 0);
	cr_assert(s->host_row.is_host);
	cr_assert_str_eq(s->host_row.id, "host");
	cr_assert_eq(s->host_row.pids, 0);
	cr_assert_eq(s->host_row.nprocs, 0);
	cr_assert_eq(s->host.nprocs, 0);
	/* A container that comes back is listed again. */
	leader(&b, 30, 200, 9, 0, 0, 1);
	s = snap(1.0);
	cr_assert_eq(s->ncontainers, 1);
	cr_assert_eq(row(s, "c2")->pids, 1);
}

Test(agg, host_cpu_is_the_sum_of_all_rows)
{
	const struct ctop_snapshot *s;
	double sum = 0;
	size_t i;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	fake_add(200, CTOP_RESOLVE_CONTAINER, "c2", 0);
	fake_add(1, CTOP_RESOLVE_HOST, NULL, 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	leader(&b, 20, 200, 2, 0, 0, 1);
	leader(&b, 1, 1, 3, 0, 0, 1);
	cgmap(&b, 100, 0, 0, 0, 0, 0);
	seed();
	b.raw.tasks[0].cpu_delta_ns = 300 * MS;
	b.raw.tasks[1].cpu_delta_ns = 200 * MS;
	b.raw.tasks[2].cpu_delta_ns = 100 * MS;
	thread(&b, 21, 20, 200, 2, 400 * MS);
	b.raw.cgroups[0].v.cpu_dead_ns = 50 * MS;
	s = snap(2.0);
	EQ(row(s, "c1")->m[CTOP_M_CPU], 17.5);
	EQ(row(s, "c2")->m[CTOP_M_CPU], 30);
	EQ(s->host_row.m[CTOP_M_CPU], 5);
	EQ(s->host.cpu_pct, 52.5);
	for (i = 0; i < s->ncontainers; i++)
		sum += s->containers[i].m[CTOP_M_CPU];
	EQ(s->host.cpu_pct, sum + s->host_row.m[CTOP_M_CPU]);
}

/* Storage fallbacks lose nothing, so they are not losses. */
Test(agg, lost_events_sum_the_real_losses)
{
	const struct ctop_snapshot *s;

	seed();
	b.raw.drops.ringbuf = 1;
	b.raw.drops.procs_full = 20;
	b.raw.drops.cgroups_full = 300;
	b.raw.drops.storage = 4000;
	s = snap(1.0);
	cr_assert_eq(s->host.lost_events, 321);
}

/* ---- 7. history ---- */

Test(agg, history_is_smoothed_newest_first)
{
	const struct ctop_snapshot *s;
	const struct ctop_history *h;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	seed();
	b.raw.tasks[0].cpu_delta_ns = 1000 * MS;
	b.raw.tasks[0].rss_bytes = 1000;
	s = snap(1.0);
	h = row(s, "c1")->hist;
	cr_assert_not_null(h);
	cr_assert_eq(h->len, 1);
	EQ(ctop_history_at(h, CTOP_M_CPU, 0), 100);
	EQ(ctop_history_at(h, CTOP_M_RSS, 0), 1000);
	b.raw.tasks[0].cpu_delta_ns = 0;
	b.raw.tasks[0].rss_bytes = 3000;
	s = snap(1.0);
	h = row(s, "c1")->hist;
	cr_assert_eq(h->len, 2);
	EQ(ctop_history_at(h, CTOP_M_CPU, 0), 50);
	EQ(ctop_history_at(h, CTOP_M_CPU, 1), 100);
	EQ(ctop_history_at(h, CTOP_M_RSS, 0), 2000);
	EQ(ctop_history_at(h, CTOP_M_RSS, 1), 1000);
	/* The row's own values are not smoothed. */
	EQ(row(s, "c1")->m[CTOP_M_CPU], 0);
	b.raw.tasks[0].cpu_delta_ns = 0;
	s = snap(1.0);
	EQ(ctop_history_at(row(s, "c1")->hist, CTOP_M_CPU, 0), 25);
	/* The host row has a history too. */
	cr_assert_not_null(s->host_row.hist);
	cr_assert_eq(s->host_row.hist->len, 3);
}

Test(agg, history_wraps_at_its_length)
{
	const struct ctop_snapshot *s = NULL;
	const struct ctop_history *h;
	enum { N = CTOP_HISTORY_LEN + 37 };
	uint32_t i;

	ctop_agg_free(agg);
	cr_assert_eq(ctop_agg_new(&agg, &ops, 1.0), 0);	/* no smoothing: history = values */
	cr_assert_not_null(agg);
	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	seed();
	for (i = 1; i <= N; i++) {
		b.raw.tasks[0].cpu_delta_ns = (uint64_t)i * 10 * MS;	/* i percent */
		s = snap(1.0);
		h = row(s, "c1")->hist;
		cr_assert_eq(h->len, i < CTOP_HISTORY_LEN ? i : CTOP_HISTORY_LEN);
	}
	h = row(s, "c1")->hist;
	for (i = 0; i < CTOP_HISTORY_LEN; i++)
		cr_assert_float_eq(ctop_history_at(h, CTOP_M_CPU, i), (double)(N - i), 1e-3,
				   "age %u: %f", i, ctop_history_at(h, CTOP_M_CPU, i));
}

/* ---- 8. resolving cgroups ---- */

Test(agg, unknown_cgroups_rescan_once_per_read_then_host)
{
	const struct ctop_snapshot *s;
	int before;

	fake_add(1, CTOP_RESOLVE_HOST, NULL, 0);
	leader(&b, 1, 1, 1, 0, 0, 1);
	seed();
	cr_assert_eq(fk.rescans, 0, "a known cgroup caused a rescan");
	leader(&b, 50, 500, 2, 100 * MS, 0, 1);
	leader(&b, 51, 501, 3, 0, 0, 1);
	s = snap(1.0);
	cr_assert_eq(fk.rescans, 1);
	cr_assert_eq(s->ncontainers, 0);
	cr_assert_eq(s->host_row.pids, 3);
	cr_assert_not_null(proc_of(&s->host_row, 50));
	cr_assert_not_null(proc_of(&s->host_row, 51));
	EQ(s->host_row.m[CTOP_M_CPU], 10);
	s = snap(1.0);
	cr_assert_eq(s->host_row.pids, 3);
	/* Another unknown one: one more rescan, however many are unknown. */
	before = fk.rescans;
	leader(&b, 52, 502, 4, 0, 0, 1);
	leader(&b, 53, 503, 5, 0, 0, 1);
	s = snap(1.0);
	cr_assert_eq(fk.rescans, before + 1);
	cr_assert_eq(s->host_row.pids, 5);
	cr_assert_eq(fk.nforgotten, 0, "forgot a cgroup that has tasks");
}

Test(agg, cgroup_known_after_the_rescan_is_a_container)
{
	const struct ctop_snapshot *s;

	fake_add(600, CTOP_RESOLVE_CONTAINER, "c6", 1);
	seed();
	leader(&b, 60, 600, 1, 200 * MS, 0, 1);
	s = snap(1.0);
	cr_assert_eq(fk.rescans, 1);
	cr_assert_eq(s->ncontainers, 1);
	cr_assert_not_null(proc_of(row(s, "c6"), 60));
	EQ(row(s, "c6")->m[CTOP_M_CPU], 20);
	cr_assert_eq(s->host_row.pids, 0);
}

Test(agg, gone_cgroup_without_tasks_is_forgotten_after_a_rescan)
{
	const struct ctop_snapshot *s;

	fake_add(700, CTOP_RESOLVE_CONTAINER, "c7", 0);
	fake_add(800, CTOP_RESOLVE_CONTAINER, "c8", 0);
	leader(&b, 70, 700, 1, 0, 0, 1);
	leader(&b, 80, 800, 2, 0, 0, 1);
	cgmap(&b, 700, 0, 10, 0, 0, 0);
	cgmap(&b, 800, 0, 10, 0, 0, 0);
	seed();
	/* c7's process exits; its cgroup is removed. */
	b.raw.tasks[0] = b.raw.tasks[1];
	b.raw.ntasks = 1;
	fake_cg(700)->gone = true;
	s = snap(1.0);
	cr_assert_eq(s->ncontainers, 1);
	/* The next rescan (an event asks for one here) finds it gone. */
	event(&b, CTOP_EV_CGROUP, 80, 800);
	s = snap(1.0);
	cr_assert_geq(fk.rescans, 1);
	cr_assert_eq(fk.nforgotten, 1, "forgotten %zu", fk.nforgotten);
	cr_assert_eq(fk.forgotten[0], 700);
	/* Not forgotten twice. */
	b.raw.nevents = 0;
	b.raw.ncgroups = 1;
	b.raw.cgroups[0] = b.raw.cgroups[1];
	event(&b, CTOP_EV_CGROUP, 80, 800);
	s = snap(1.0);
	cr_assert_eq(fk.nforgotten, 1);
	cr_assert_eq(s->ncontainers, 1);
	cr_assert_eq(row(s, "c8")->pids, 1);
}

Test(agg, idle_cgroup_that_still_exists_is_kept)
{
	const struct ctop_snapshot *s;

	fake_add(700, CTOP_RESOLVE_CONTAINER, "c7", 0);
	leader(&b, 70, 700, 1, 0, 0, 1);
	cgmap(&b, 700, 0, 100, 0, 0, 0);
	seed();
	b.raw.ntasks = 0;
	s = snap(1.0);
	event(&b, CTOP_EV_CGROUP, 0, 0);
	s = snap(1.0);
	cr_assert_geq(fk.rescans, 1);
	cr_assert_eq(fk.nforgotten, 0);
	/* Its counters still count from where they were. */
	b.raw.nevents = 0;
	b.raw.cgroups[0].v.io[CTOP_IO_DISK_READ] = 150;
	leader(&b, 71, 700, 2, 0, 0, 1);
	s = snap(1.0);
	EQ(row(s, "c7")->m[CTOP_M_DISK_READ], 50);
}

/* ---- 9. events ---- */

Test(agg, cgroup_event_causes_one_rescan)
{
	fake_add(1, CTOP_RESOLVE_HOST, NULL, 0);
	leader(&b, 1, 1, 1, 0, 0, 1);
	seed();
	snap(1.0);
	cr_assert_eq(fk.rescans, 0);
	event(&b, CTOP_EV_CGROUP, 1, 1);
	event(&b, CTOP_EV_CGROUP, 1, 1);
	snap(1.0);
	cr_assert_eq(fk.rescans, 1);
	b.raw.nevents = 0;
	event(&b, CTOP_EV_FORK, 2, 1);
	event(&b, CTOP_EV_EXIT, 2, 1);
	snap(1.0);
	cr_assert_eq(fk.rescans, 1, "fork or exit caused a rescan");
}

Test(agg, ringbuf_drops_cause_a_rescan)
{
	fake_add(1, CTOP_RESOLVE_HOST, NULL, 0);
	leader(&b, 1, 1, 1, 0, 0, 1);
	seed();
	snap(1.0);
	cr_assert_eq(fk.rescans, 0);
	b.raw.drops.ringbuf = 3;
	snap(1.0);
	cr_assert_eq(fk.rescans, 1);
	snap(1.0);
	cr_assert_eq(fk.rescans, 1, "the same count is no new loss");
	b.raw.drops.procs_full = 9;
	snap(1.0);
	cr_assert_eq(fk.rescans, 1, "other drops do not lose events");
	b.raw.drops.ringbuf = 4;
	snap(1.0);
	cr_assert_eq(fk.rescans, 2);
}

Test(agg, cmdline_read_once_and_again_after_exec)
{
	struct ctop_agg_ops o = ops;
	const struct ctop_snapshot *s;
	struct ctop_task_rec *r;

	o.cmdline = fake_cmdline;
	ctop_agg_free(agg);
	cr_assert_eq(ctop_agg_new(&agg, &o, 0.5), 0);
	cr_assert_not_null(agg);
	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	r = leader(&b, 2, 100, 1, 0, 0, 1);
	r->flags |= CTOP_TASK_KTHREAD;
	seed();
	s = snap(1.0);
	cr_assert_str_eq(proc(row(s, "c1"), 10)->cmdline, "cmd-10 --flag");
	cr_assert_str_eq(proc(row(s, "c1"), 2)->cmdline, "", "a kernel thread has no cmdline");
	cr_assert(proc(row(s, "c1"), 2)->kthread);
	s = snap(1.0);
	cr_assert_eq(fk.cmdlines, 1);
	cr_assert_eq(fk.cmdline_pids[0], 10);
	event(&b, CTOP_EV_EXEC, 10, 100);
	s = snap(1.0);
	cr_assert_eq(fk.cmdlines, 2);
	cr_assert_str_eq(proc(row(s, "c1"), 10)->cmdline, "cmd-10 --flag");
}

/* ---- 10. scale ---- */

Test(agg, ten_thousand_processes)
{
	enum { NPROC = 10000, NCONT = 20 };
	const struct ctop_snapshot *s;
	char id[16];
	uint32_t i, total, nprocs;
	size_t c;
	int round;

	for (c = 0; c < NCONT; c++) {
		static char ids[NCONT][16];

		snprintf(ids[c], sizeof(ids[c]), "k%02zu", c);
		fake_add(1000 + c, CTOP_RESOLVE_CONTAINER, ids[c], 0);
	}
	for (i = 0; i < NPROC; i++) {
		leader(&b, 100 + i, 1000 + i % NCONT, i, 0, 4096, 1);
		procmap(&b, 100 + i, 1, 1000 + i % NCONT, i, 0, i, 0, 0, 0);
	}
	for (c = 0; c < NCONT; c++)
		cgmap(&b, 1000 + c, 0, 0, 0, 0, 0);
	seed();
	for (round = 0; round < 5; round++) {
		for (i = 0; i < NPROC; i++) {
			b.raw.tasks[i].cpu_delta_ns = MS;
			b.raw.procs[i].v.io[CTOP_IO_DISK_READ] += 10;
		}
		s = snap(1.0);
		cr_assert_eq(s->ncontainers, NCONT);
		total = nprocs = 0;
		for (c = 0; c < s->ncontainers; c++) {
			total += s->containers[c].pids;
			nprocs += (uint32_t)s->containers[c].nprocs;
			cr_assert_eq(s->containers[c].pids, NPROC / NCONT);
			EQ(s->containers[c].m[CTOP_M_CPU], NPROC / NCONT * 0.1);
			EQ(s->containers[c].m[CTOP_M_RSS], NPROC / NCONT * 4096.0);
		}
		cr_assert_eq(total, NPROC);
		cr_assert_eq(nprocs, NPROC);
		cr_assert_eq(s->host.nprocs, NPROC);
		cr_assert_eq(s->host_row.pids, 0);
		EQ(s->host.cpu_pct, NPROC * 0.1);
		snprintf(id, sizeof(id), "k%02u", 7);
		EQ(proc(row(s, id), 107)->m[CTOP_M_DISK_READ], 10);
	}
	cr_assert_eq(fk.rescans, 0);
}

Test(agg, start_times_on_the_wall_clock)
{
	const struct ctop_snapshot *s;

	/* the test's wall clock is 1700000000 + the monotonic one */
	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 50 * 1000 * MS, 0, 0, 1);
	leader(&b, 11, 100, 20 * 1000 * MS, 0, 0, 1);
	seed();
	s = snap(1.0);
	EQ(s->host.mono_epoch, 1700000000.0);
	EQ(proc(row(s, "c1"), 10)->start_time, 1700000050.0);
	EQ(proc(row(s, "c1"), 11)->start_time, 1700000020.0);
	EQ(row(s, "c1")->start_time, 1700000020.0);
	/* the first process goes: the container started when it did all the same */
	b.raw.ntasks = 1;
	s = snap(1.0);
	cr_assert_null(proc_of(row(s, "c1"), 11));
	EQ(row(s, "c1")->start_time, 1700000020.0);
	/* a wall clock step of over a second is followed */
	cr_assert_eq(ctop_agg_ingest(agg, &b.raw, now + 1, 1700000000.0 + now + 1 + 30, &host, &s),
		     0);
	now += 1;
	EQ(proc(row(s, "c1"), 10)->start_time, 1700000080.0);
}

Test(agg, process_totals_only_grow_and_restart_with_the_process)
{
	const struct ctop_snapshot *s;
	uint64_t prev = 0;
	int i;

	fake_add(100, CTOP_RESOLVE_CONTAINER, "c1", 0);
	leader(&b, 10, 100, 1, 0, 0, 1);
	seed();
	for (i = 1; i <= 3; i++) {
		b.raw.tasks[0].cpu_delta_ns = (uint64_t)i * 100 * MS;
		s = snap(1.0);
		cr_assert_gt(proc(row(s, "c1"), 10)->cpu_ns_total, prev);
		prev = proc(row(s, "c1"), 10)->cpu_ns_total;
	}
	EQ(prev, 600 * MS);
	/* no CPU this time: the total stays */
	b.raw.tasks[0].cpu_delta_ns = 0;
	s = snap(1.0);
	EQ(proc(row(s, "c1"), 10)->cpu_ns_total, 600 * MS);
	/* the pid now names another process: its own total */
	b.raw.tasks[0].start_ns = 2;
	b.raw.tasks[0].cpu_delta_ns = 100 * MS;
	s = snap(1.0);
	EQ(proc(row(s, "c1"), 10)->cpu_ns_total, 100 * MS);
	EQ(row(s, "c1")->cpu_ns_total, 700 * MS);
}
