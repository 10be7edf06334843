/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A made-up snapshot for the screen's unit tests. */
#ifndef CTOP_TUI_FAKE_H
#define CTOP_TUI_FAKE_H

#include <stdio.h>
#include <string.h>
#include "snapshot.h"

static struct ctop_proc fake_procs[2][4];
static struct ctop_container fake_cont[3];
static struct ctop_history fake_hist;
static struct ctop_snapshot fake_snap;

static inline void fake_proc(struct ctop_proc *p, uint32_t pid, uint32_t ppid,
			     const char *comm, const char *cmdline, double cpu)
{
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->nthreads = 1;
	snprintf(p->comm, sizeof(p->comm), "%s", comm);
	snprintf(p->cmdline, sizeof(p->cmdline), "%s", cmdline);
	p->m[CTOP_M_CPU] = cpu;
	p->m[CTOP_M_RSS] = 1.5 * 1024 * 1024;
}

static inline void fake_container(struct ctop_container *c, const char *id,
				  const char *name, const char *image, double cpu, double rss,
				  double io)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->image, sizeof(c->image), "%s", image);
	snprintf(c->runtime, sizeof(c->runtime), "docker");
	c->m[CTOP_M_CPU] = cpu;
	c->m[CTOP_M_RSS] = rss;
	c->m[CTOP_M_DISK_READ] = io;
	c->m[CTOP_M_DISK_WRITE] = 2 * io;
	c->m[CTOP_M_NET_RX] = 3 * io;
	c->m[CTOP_M_NET_TX] = 0;
	c->hist = &fake_hist;
}

static inline const struct ctop_snapshot *fake_snapshot(void)
{
	fake_container(&fake_cont[0],
		       "4f3c2b1a0099887766554433221100ffeeddccbbaa99887766554433221100ff",
		       "web-1", "nginx:1.27", 49.9, 12.0 * 1024 * 1024, 1536);
	fake_container(&fake_cont[1],
		       "aaaabbbbccccddddeeeeffff00001111222233334444555566667777888899990",
		       "db", "postgres:16", 120.5, 2.5 * 1024 * 1024 * 1024, 0);
	fake_proc(&fake_procs[0][0], 100, 90, "nginx", "nginx -g daemon off;", 40);
	fake_proc(&fake_procs[0][1], 101, 100, "nginx", "nginx: worker", 5);
	fake_proc(&fake_procs[0][2], 102, 100, "nginx", "nginx: worker", 4.9);
	fake_proc(&fake_procs[0][3], 110, 101, "sleep", "sleep 1000", 0);
	fake_cont[0].procs = fake_procs[0];
	fake_cont[0].nprocs = 4;
	fake_cont[0].pids = 4;
	fake_proc(&fake_procs[1][0], 200, 1, "postgres", "postgres", 120.5);
	fake_cont[1].procs = fake_procs[1];
	fake_cont[1].nprocs = 1;
	fake_cont[1].pids = 1;
	memset(&fake_snap, 0, sizeof(fake_snap));
	fake_snap.seq = 1;
	fake_snap.containers = fake_cont;
	fake_snap.ncontainers = 2;
	fake_snap.host.cpus = 2;
	fake_snap.host_row.is_host = true;
	snprintf(fake_snap.host_row.id, sizeof(fake_snap.host_row.id), "host");
	snprintf(fake_snap.host_row.name, sizeof(fake_snap.host_row.name), "[host]");
	return &fake_snap;
}

#endif /* CTOP_TUI_FAKE_H */
