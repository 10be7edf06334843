/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One read of the kernel's counters, as the loader hands it over. */
#ifndef CTOP_RAW_H
#define CTOP_RAW_H

#include <stddef.h>
#include <linux/types.h>
#include "ctop.h"

struct ctop_raw_proc {
	__u32 pid;
	__u32 pad;
	struct ctop_proc_state v;
};

struct ctop_raw_cg {
	__u64 cgid;
	struct ctop_cg_state v;
};

/* One read of the kernel. Arrays grow as needed and are reused. */
struct ctop_raw {
	struct ctop_task_rec *tasks;
	size_t ntasks, tasks_cap;
	struct ctop_raw_proc *procs;
	size_t nprocs, procs_cap;
	bool procs_new;		/* procs was read this time, not kept from before */
	struct ctop_raw_cg *cgroups;
	size_t ncgroups, cgroups_cap;
	struct ctop_event *events;
	size_t nevents, events_cap;
	struct ctop_drops drops;	/* cumulative since load */
};

void ctop_raw_fini(struct ctop_raw *raw);

#endif /* CTOP_RAW_H */
