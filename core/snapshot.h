/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What one refresh measured: the data model every consumer (batch, JSON,
 * screen) reads. The collector owns each snapshot; a consumer borrows it,
 * const, until its next call to ctop_collector_sample().
 */
/*
 * The one convention of core/'s constructors: int ctop_X_new(struct ctop_X
 * **out, ...) returns 0 with *out set, or a negative errno with *out NULL,
 * and takes char *err, size_t errlen after its arguments where a user
 * needs a message (ctop_X_open() the same for files). ctop_X_free(NULL)
 * is a no-op. Objects set up in place use ctop_X_init()/ctop_X_fini().
 */
#ifndef CTOP_SNAPSHOT_H
#define CTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "ctop.h"
#include "cgroup_stats.h"

/*
 * The measured quantities, in the order of the screen's columns. What
 * each one is, and how every consumer shows it, is its entry in the
 * metric table (metrics.h).
 */
enum ctop_metric {
	CTOP_M_CPU,		/* percent of one CPU */
	CTOP_M_RSS,		/* bytes */
	/* the byte rates, in the order of enum ctop_io_kind */
	CTOP_M_IO,
	CTOP_M_DISK_READ = CTOP_M_IO + CTOP_IO_DISK_READ,	/* bytes per second */
	CTOP_M_DISK_WRITE = CTOP_M_IO + CTOP_IO_DISK_WRITE,
	CTOP_M_NET_RX = CTOP_M_IO + CTOP_IO_NET_RX,
	CTOP_M_NET_TX = CTOP_M_IO + CTOP_IO_NET_TX,
	/* bytes per second, from the kernel's task IO accounting */
	CTOP_M_STORAGE_READ = CTOP_M_IO + CTOP_IO_STORAGE_READ,
	CTOP_M_STORAGE_WRITE = CTOP_M_IO + CTOP_IO_STORAGE_WRITE,
	CTOP_M__COUNT,		/* those above: in m[] and the history */
	/* counts a row holds as integers, outside m[] */
	CTOP_M_PIDS = CTOP_M__COUNT,	/* a container's processes */
	CTOP_M_THREADS,			/* a process's threads */
	CTOP_M_START,			/* wall-clock start, unix seconds; 0 unknown */
	/* a container's own cgroup figures (struct ctop_cg_stats), where known */
	CTOP_M_MEM,			/* bytes, as docker stats counts them */
	CTOP_M_MEM_LIMIT,		/* bytes */
	CTOP_M_MEM_PCT,			/* of the limit */
	CTOP_M_CPU_LIMIT,		/* the quota, percent of one CPU */
	CTOP_M_THROTTLED,		/* percent of the interval's CFS periods */
	CTOP_M_THROTTLED_S,		/* seconds, cumulative */
	CTOP_M_PSI_CPU,			/* "some" avg10, percent */
	CTOP_M_PSI_MEM,
	CTOP_M_PSI_IO,
	CTOP_M_OOM_KILLS,		/* cumulative */
	CTOP_M_CFS_PERIODS,		/* CFS periods, cumulative, as cpu.stat has them */
	CTOP_M_CFS_THROTTLED,		/* those of them throttled */
	CTOP_M_CPU_QUOTA,		/* the quota and its period, microseconds */
	CTOP_M_CPU_PERIOD,
	CTOP_M__ALL,
	CTOP_M__CGROUP = CTOP_M__ALL - CTOP_M_MEM,	/* how many cgroup figures */
};

/*
 * How a kind of bytes is measured (host.probes). As a request, AUTO is
 * the cheapest probe this kernel allows that keeps the meaning exact.
 */
enum ctop_probe {
	CTOP_PROBE_AUTO,
	CTOP_PROBE_OFF,		/* not measured: null in JSON, - on screen */
	CTOP_PROBE_SYSCALL,	/* tp_btf/sys_exit, the fd classified at the call */
	CTOP_PROBE_FEXIT,	/* fexit on the VFS or inet socket functions */
	CTOP_PROBE_TRACEPOINT,	/* sock_send_length/sock_recv_length, 6.3+ */
	CTOP_PROBE_IOAC,	/* the kernel's task IO accounting (storage) */
	CTOP_PROBE_WALK,	/* tasks: one BPF run over the task list, 6.7+ */
	CTOP_PROBE_ITER,	/* tasks: the BPF task iterator, read as a file */
	CTOP_PROBE__COUNT,
};

struct ctop_probes {
	enum ctop_probe net;	/* net_rx/net_tx */
	enum ctop_probe file;	/* disk_read/disk_write: file IO by system call */
	enum ctop_probe storage;	/* storage_read/storage_write */
	enum ctop_probe tasks;	/* how each refresh visits the tasks: walk or iter */
	bool legacy;		/* the BPF object for kernels before 5.17 */
};

/* "tracepoint", ...; "?" out of range. */
const char *ctop_probe_name(enum ctop_probe p);
/*
 * "net=syscall,file=off" into *out (kinds not named stay as they are).
 * 0, or -EINVAL.
 */
int ctop_probes_parse(const char *s, struct ctop_probes *out);

#define CTOP_HISTORY_LEN	512	/* samples kept per container */
#define CTOP_ID_LEN		72
#define CTOP_NAME_LEN		128
#define CTOP_IMAGE_LEN		256
#define CTOP_CGROUP_LEN		512
#define CTOP_CMDLINE_LEN	256

/* A ring of EWMA-smoothed samples, the series the sparklines draw. */
struct ctop_history {
	float v[CTOP_M__COUNT][CTOP_HISTORY_LEN];
	uint32_t len;		/* valid samples, at most CTOP_HISTORY_LEN */
	uint32_t head;		/* where the next sample goes */
};

/* age 0 is the newest sample; age must be < h->len. */
float ctop_history_at(const struct ctop_history *h, enum ctop_metric m, uint32_t age);

/*
 * Adds one refresh's values m to h, smoothed: smooth[] holds the EWMA
 * (alpha: weight of the newest sample), restarted by an empty h. The
 * collector and a replay both push through here, so their sparklines agree.
 */
void ctop_history_push(struct ctop_history *h, double smooth[CTOP_M__COUNT],
		       const double m[CTOP_M__COUNT], double alpha);
/* The same, with the EWMA given: state, as the refresh pushed it (a recorded smooth). */
void ctop_history_seed(struct ctop_history *h, double smooth[CTOP_M__COUNT],
		       const double state[CTOP_M__COUNT]);

struct ctop_proc {
	uint32_t pid;
	uint32_t ppid;		/* from the kernel's fork record */
	uint32_t nthreads;
	bool zombie;
	bool kthread;
	char comm[16];
	char cmdline[CTOP_CMDLINE_LEN];	/* "" where unreadable (kernel threads) */
	uint64_t start_ns;	/* task->start_time: CLOCK_MONOTONIC, ns */
	double start_time;	/* the same on the wall clock, unix seconds; 0 unknown */
	double m[CTOP_M__COUNT];
	/*
	 * Since ctop-bpf first saw the process, exited threads included, for
	 * the exporter's per-process counters. Not in recordings: 0 in a replay.
	 */
	uint64_t cpu_ns_total;
	uint64_t io_total[CTOP_IO__COUNT];
};

struct ctop_container {
	char id[CTOP_ID_LEN];		/* full id; "host" for the host row */
	char name[CTOP_NAME_LEN];
	char runtime[16];		/* "docker", "podman", ..., "host" */
	char image[CTOP_IMAGE_LEN];
	char cgroup[CTOP_CGROUP_LEN];	/* v2 path, e.g. /docker/<id> */
	char pod[CTOP_NAME_LEN];	/* Kubernetes pod or compose project */
	char ns[CTOP_NAME_LEN];		/* Kubernetes namespace or compose service */
	bool is_host;
	uint32_t pids;			/* live thread-group leaders */
	/* the earliest start_time of a process seen in it, unix seconds; 0 unknown */
	double start_time;
	double m[CTOP_M__COUNT];	/* this refresh's values */
	uint64_t cpu_ns_total;		/* since ctop-bpf started, exited included */
	uint64_t io_total[CTOP_IO__COUNT];	/* bytes, likewise; by enum ctop_io_kind */
	struct ctop_cg_stats cg;	/* its cgroup's files as read; cg.have says which */
	double cgm[CTOP_M__CGROUP];	/* the figures CTOP_M_MEM..., from cg */
	uint32_t cgm_known;		/* bit i: cgm[i] is known */
	const struct ctop_history *hist;	/* borrowed from the collector */
	/*
	 * The EWMA behind hist's newest sample, unrounded (CTOP_M__COUNT
	 * values), or NULL: borrowed like hist. A recording keeps it now and
	 * then, so that a replay's history after a jump is what stepping
	 * through every record gives.
	 */
	const double *smooth;
	struct ctop_proc *procs;	/* this container's processes, unordered */
	size_t nprocs;
};

struct ctop_host {
	char hostname[65];
	char kernel[65];
	int cpus;
	double cpu_pct;			/* all tasks, percent of one CPU */
	uint64_t mem_total_bytes;
	uint64_t mem_used_bytes;	/* MemTotal - MemAvailable */
	uint64_t lost_events;		/* everything the kernel side could not record */
	uint32_t nprocs;		/* all processes on the host */
	/*
	 * The wall clock at CLOCK_MONOTONIC 0, unix seconds (0 unknown): a
	 * process's start_time is this plus its start_ns. Kept from one refresh
	 * to the next unless the wall clock steps by more than a second.
	 */
	double mono_epoch;
	struct ctop_probes probes;	/* how bytes are measured on this kernel */
};

struct ctop_snapshot {
	uint64_t seq;			/* 1 for the first refresh */
	double time;			/* wall clock, seconds since the epoch */
	double interval_s;		/* real elapsed monotonic time */
	struct ctop_host host;
	struct ctop_container *containers;	/* containers only, unordered */
	size_t ncontainers;
	struct ctop_container host_row;	/* everything outside containers */
	double alpha;			/* the EWMA weight behind the rows' smooth */
};

/* Sorting and filtering: pure functions over borrowed rows. */
enum ctop_sort_key {
	CTOP_SORT_CPU,
	CTOP_SORT_RSS,
	CTOP_SORT_DREAD,
	CTOP_SORT_DWRITE,
	CTOP_SORT_DISK,
	CTOP_SORT_RX,
	CTOP_SORT_TX,
	CTOP_SORT_NET,
	CTOP_SORT_PIDS,
	CTOP_SORT_NAME,
	CTOP_SORT_SREAD,	/* storage (block) read and write */
	CTOP_SORT_SWRITE,
	CTOP_SORT_MEM,		/* the cgroup figures */
	CTOP_SORT_MEM_LIMIT,
	CTOP_SORT_MEM_PCT,
	CTOP_SORT_CPU_LIMIT,
	CTOP_SORT_THROTTLED,
	CTOP_SORT_THROTTLED_S,
	CTOP_SORT_PSI_CPU,
	CTOP_SORT_PSI_MEM,
	CTOP_SORT_PSI_IO,
	CTOP_SORT_OOM,
	CTOP_SORT_CFS_PERIODS,
	CTOP_SORT_CFS_THROTTLED,
	CTOP_SORT_CPU_QUOTA,
	CTOP_SORT_CPU_PERIOD,
	CTOP_SORT_START,	/* the newest first */
	CTOP_SORT__COUNT,
};

/* "cpu", "rss", ...: returns 0, or -EINVAL for an unknown name. */
int ctop_sort_key_parse(const char *s, enum ctop_sort_key *out);
const char *ctop_sort_key_name(enum ctop_sort_key k);

/*
 * Largest first for numbers, A to Z for names; `reverse` flips it. Ties
 * fall back to the name, then the id (pid for processes), so the order is
 * stable from one refresh to the next. For processes, PIDS sorts by
 * thread count and NAME by comm.
 */
void ctop_sort_containers(const struct ctop_container **v, size_t n, enum ctop_sort_key k,
			  bool reverse);
void ctop_sort_procs(const struct ctop_proc **v, size_t n, enum ctop_sort_key k, bool reverse);

/*
 * Case-insensitive substring of name, id, image, pod or namespace; NULL
 * or "" matches all.
 */
bool ctop_filter_container(const struct ctop_container *c, const char *text);
/* Same, over comm, cmdline and the pid in decimal. */
bool ctop_filter_proc(const struct ctop_proc *p, const char *text);

/*
 * What names a row in the table and on the screen: "pod/name" where the
 * runtime names a pod (a Kubernetes pod, a compose project), so that two
 * pods' sandboxes (POD) and containers are told apart; else the name, or
 * the id. Returns buf.
 */
char *ctop_container_label(const struct ctop_container *c, char *buf, size_t len);

#endif /* CTOP_SNAPSHOT_H */
