/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A container's own accounting and limits, from its cgroup's files:
 * memory against its limit, the CPU quota and its throttling, pressure
 * (PSI), OOM kills and whether it is frozen. cgroup v2 first; on hybrid
 * hosts the v1 controllers that v2 lacks (memory, cpu, freezer). Each
 * figure says whether the kernel gave it: a missing one is unknown,
 * never 0.
 */
#ifndef CTOP_CGROUP_STATS_H
#define CTOP_CGROUP_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ctop_run_state {
	CTOP_STATE_RUNNING,
	CTOP_STATE_PAUSED,		/* frozen: cgroup.freeze / freezer.state */
	CTOP_STATE_EXITED,		/* its cgroup is gone: the row's last refresh */
};

/* Bits of ctop_cg_stats.have: which figures the kernel provided. */
enum {
	CTOP_CGS_MEM		= 1 << 0,	/* mem_bytes */
	CTOP_CGS_MEM_LIMIT	= 1 << 1,	/* mem_limit_bytes (else unlimited) */
	CTOP_CGS_CPU_QUOTA	= 1 << 2,	/* cpu_quota_us/cpu_period_us (else unlimited) */
	CTOP_CGS_CPUSET		= 1 << 3,	/* cpuset_cpus */
	CTOP_CGS_THROTTLE	= 1 << 4,	/* nr_periods, nr_throttled, throttled_ns */
	CTOP_CGS_PSI_CPU	= 1 << 5,
	CTOP_CGS_PSI_MEM	= 1 << 6,
	CTOP_CGS_PSI_IO		= 1 << 7,
	CTOP_CGS_OOM		= 1 << 8,	/* oom_kills */
	CTOP_CGS_STATE		= 1 << 9,
};

struct ctop_cg_stats {
	uint32_t have;
	uint64_t mem_bytes;		/* usage less inactive file pages, as docker stats */
	uint64_t mem_limit_bytes;
	uint64_t cpu_quota_us, cpu_period_us;
	uint32_t cpuset_cpus;		/* CPUs the cpuset allows */
	uint64_t nr_periods, nr_throttled, throttled_ns;	/* cumulative */
	double psi_cpu_some, psi_mem_some, psi_io_some;		/* avg10, percent */
	uint64_t oom_kills;		/* cumulative */
	enum ctop_run_state state;
};

/*
 * Where a container's cgroup files are: its v2 directory, and the v1
 * directories of the memory, cpu and freezer controllers on a hybrid
 * host (NULL where there is none). Paths are absolute.
 */
struct ctop_cg_dirs {
	const char *v2;
	const char *v1_memory;
	const char *v1_cpu;
	const char *v1_cpuset;
	const char *v1_freezer;
	bool no_state;		/* the run state is not wanted: its files are not read */
};

/* Where the v1 hierarchies of those controllers are mounted, "" where not. */
struct ctop_cg_v1_mounts {
	char memory[256], cpu[256], cpuset[256], freezer[256];
};

/* From a mountinfo file (/proc/self/mountinfo). 0 or -errno. */
int ctop_cg_v1_mounts_read(const char *mountinfo, struct ctop_cg_v1_mounts *out);

/* One mountinfo line's v1 controllers into out; for tests and fuzzers. */
void ctop_cg_v1_mounts_line(const char *line, struct ctop_cg_v1_mounts *out);

/*
 * Reads what each directory has into *out, v2 where it has the figure.
 * Never blocks (the files are opened O_NONBLOCK) and never fails: what
 * cannot be read is left out of out->have.
 */
/*
 * One cgroup's figure files, kept open between reads (see cgroup_stats.c).
 * The caller owns it, for one cgroup only, and frees it when the cgroup
 * goes; it holds up to ctop_cg_files_max_open() descriptors.
 */
struct ctop_cg_files;
int ctop_cg_files_new(struct ctop_cg_files **out, char *err, size_t errlen);
void ctop_cg_files_free(struct ctop_cg_files *f);
size_t ctop_cg_files_max_open(void);

/*
 * files: NULL to open and close each file, as for a one-off read. With
 * files, the PSI figures are read again only after 1.9 s and the limits
 * (memory limit, CPU quota, cpuset) after 10 s of now_ns (any monotonic
 * clock, in ns); between, out has the last ones read.
 */
void ctop_cg_stats_read(const struct ctop_cg_dirs *dirs, struct ctop_cg_files *files,
			uint64_t now_ns, struct ctop_cg_stats *out);

/* "running", "paused", "exited". */
const char *ctop_run_state_name(enum ctop_run_state s);

/* The pure parsers, for tests and fuzzers; text need not be NUL-terminated. */

/* The value of "key value" lines (memory.stat, cpu.stat, memory.events). 0 or -ENOENT. */
int ctop_cg_parse_key(const char *text, size_t n, const char *key, uint64_t *out);
/* A number, or "max" (*unlimited set): memory.max, pids.max. 0 or -EINVAL. */
int ctop_cg_parse_max(const char *text, size_t n, uint64_t *out, bool *unlimited);
/* cpu.max: "QUOTA PERIOD" or "max PERIOD". 0 or -EINVAL. */
int ctop_cg_parse_cpu_max(const char *text, size_t n, uint64_t *quota, uint64_t *period,
			  bool *unlimited);
/* The "some" line's avg10 of a *.pressure file. 0 or -EINVAL. */
int ctop_cg_parse_psi_some(const char *text, size_t n, double *avg10);
/* How many CPUs a cpuset list names ("0-3,8,10-11" is 7). 0 or -EINVAL. */
int ctop_cg_parse_cpulist(const char *text, size_t n, uint32_t *count);

#endif /* CTOP_CGROUP_STATS_H */
