/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The loader: the only file that knows libbpf and the skeleton. It loads
 * and attaches the programs, and reads the kernel once per refresh into a
 * struct ctop_raw.
 */
#ifndef CTOP_LOADER_H
#define CTOP_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include "raw.h"
#include "snapshot.h"

struct ctop_loader;

struct ctop_loader_opts {
	unsigned ringbuf_bytes;		/* 0: CTOP_RINGBUF_BYTES */
	struct ctop_probes want;	/* CTOP_PROBE_AUTO: the cheapest that works */
	bool light;			/* nothing on the system-call path */
	bool legacy;			/* the legacy object even if the main one loads */
	bool rss_central;		/* RSS without the per-CPU parts (the bench's baseline) */
	unsigned walk_cap;		/* the walk's room in records; 0: twice the threads now */
	bool no_procs;			/* leave the procs map unread (see ctop_collector_opts) */
	char *log;			/* libbpf's and the verifier's messages of a */
	size_t loglen;			/* failed load, NUL-terminated; may be NULL */
};

/*
 * Checks privileges and kernel support, chooses the probes, loads,
 * attaches. err says what to fix: for a refused program, its name and
 * the verifier's reason.
 */
int ctop_loader_new(struct ctop_loader **out, const struct ctop_loader_opts *o, char *err,
		    size_t errlen);
void ctop_loader_free(struct ctop_loader *l);

/* The probes ctop_loader_new() would choose, without loading anything. */
int ctop_loader_choose(const struct ctop_loader_opts *o, struct ctop_probes *out, char *err,
		       size_t errlen);

/* The probes chosen at load. */
void ctop_loader_probes(const struct ctop_loader *l, struct ctop_probes *out);

/*
 * Drains the events, runs the task iterator, reads both maps (the cgroups
 * map alone with no_procs). Pass the
 * same raw every time: it keeps the procs map between reads, which are
 * skipped while the map has not changed. 0 or -errno.
 */
int ctop_loader_read(struct ctop_loader *l, struct ctop_raw *raw);

/* Drops a cgroup's counters once it is gone and has been read for the last time. */
void ctop_loader_forget_cgroup(struct ctop_loader *l, __u64 cgid);

#endif /* CTOP_LOADER_H */
