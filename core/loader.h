/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The loader: the only file that knows libbpf and the skeleton. It loads
 * and attaches the programs, and reads the kernel once per refresh into a
 * struct ctop_raw.
 */
#ifndef CTOP_LOADER_H
#define CTOP_LOADER_H

#include <stddef.h>
#include "raw.h"

struct ctop_loader;

/*
 * Checks privileges and kernel support, loads, attaches. ringbuf_bytes
 * sizes the event ring buffer (0: CTOP_RINGBUF_BYTES). err says what to fix.
 */
int ctop_loader_new(struct ctop_loader **out, unsigned ringbuf_bytes, char *err, size_t errlen);
void ctop_loader_free(struct ctop_loader *l);

/*
 * Drains the events, runs the task iterator, reads both maps. Pass the
 * same raw every time: it keeps the procs map between reads, which are
 * skipped while the map has not changed. 0 or -errno.
 */
int ctop_loader_read(struct ctop_loader *l, struct ctop_raw *raw);

/* Drops a cgroup's counters once it is gone and has been read for the last time. */
void ctop_loader_forget_cgroup(struct ctop_loader *l, __u64 cgid);

#endif /* CTOP_LOADER_H */
