/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Types shared by the BPF programs (ctop.bpf.c) and core/. Fixed-width
 * fields only: the user side checks the sizes with _Static_assert.
 */
#ifndef CTOP_BPF_H
#define CTOP_BPF_H

#define CTOP_COMM_LEN		16
#define CTOP_MAX_PROCS		65536	/* default size of the procs map */
#define CTOP_MAX_CGROUPS	16384
#define CTOP_RINGBUF_BYTES	(256 * 1024)
#define CTOP_MMSG_MAX		64	/* messages summed per sendmmsg/recvmmsg */
#define CTOP_MAX_CPUS		8192	/* the CPUs RSS and the walk's clocks cover */

/*
 * Index into the IO counter arrays. The first four are counted by our
 * hooks at the time of the call; the storage pair is the kernel's own
 * per-task accounting (task->ioac.read_bytes/write_bytes), taken by the
 * iterator and at exit.
 */
enum ctop_io_kind {
	CTOP_IO_DISK_READ,
	CTOP_IO_DISK_WRITE,
	CTOP_IO_NET_RX,
	CTOP_IO_NET_TX,
	CTOP_IO_STORAGE_READ,
	CTOP_IO_STORAGE_WRITE,
	CTOP_IO__COUNT,
};


/*
 * Value of the `procs` map, keyed by tgid. It holds what the design notes
 * kept in STATE_PPID (the cgroup, here the kernel's numeric cgroup id) and
 * STATE_PID (the parent from the fork record), plus the runtime and IO of
 * its threads that have already exited, after their last report.
 */
struct ctop_proc_state {
	__u32 ppid;
	__u32 pad;
	__u64 cgid;
	__u64 start_ns;		/* task->start_time, tells a reused pid apart */
	__u64 cpu_dead_ns;	/* runtime of exited threads, after their last sample */
	__u64 io[CTOP_IO__COUNT];
};

/*
 * Value of the `cgroups` map, keyed by cgroup id: the runtime and IO of
 * freed threads that the iterator had not reported yet, cumulative. With
 * the iterator's deltas this makes a container's totals exact whether or
 * not a process outlives the refresh.
 */
struct ctop_cg_state {
	__u64 cpu_dead_ns;
	__u64 io[CTOP_IO__COUNT];
};

/* Flags of a task record. */
#define CTOP_TASK_LEADER	(1u << 0)
#define CTOP_TASK_KTHREAD	(1u << 1)
#define CTOP_TASK_ZOMBIE	(1u << 2)

/*
 * One record per task, written by the task iterator once per refresh.
 * cpu_delta_ns and io_delta are what the task did since its previous
 * record (or since it started, for a task the iterator has not seen
 * before). Threads other than the leader are only written when they ran
 * or moved bytes.
 */
struct ctop_task_rec {
	__u32 tid;
	__u32 tgid;
	__u32 ppid;		/* real_parent's tgid */
	__u32 flags;
	__u64 cgid;
	__u64 start_ns;		/* the group leader's (legacy: the thread's) start_time */
	__u64 cpu_delta_ns;
	__u64 io_delta[CTOP_IO__COUNT];
	__u64 rss_bytes;	/* leader only: FILE + ANON + SHMEM, as VmRSS */
	__u32 nr_threads;	/* leader only */
	__u32 pad;
	char comm[CTOP_COMM_LEN];
};

/*
 * Each CPU's rq->clock_task when the last whole pass over the tasks began
 * (prev), and when this one did (now); ok once prev is such a pass's.
 * The walk sets it; userspace finishes a pass the iterator completed.
 */
struct ctop_walk_clock {
	__u64 prev[CTOP_MAX_CPUS];
	__u64 now[CTOP_MAX_CPUS];
	__u8 ok;
	__u8 pad[7];
};

/*
 * Kernels without task storage, BPF atomic exchange or bpf_loop (before
 * 5.17; Debian 11's 5.10, Ubuntu 22.04's 5.15) run the legacy object,
 * built from the same source with CTOP_LEGACY. There the iterator's
 * cpu_delta_ns and storage io_delta are the thread's running totals, and
 * a thread's totals at exit and at free go to the `exits` map, keyed by
 * thread and start time; core/thread_totals.c turns both into deltas.
 * The hooks' bytes go straight to the procs and cgroups maps.
 */
struct ctop_exit_key {
	__u32 tid;
	__u32 pad;
	__u64 start_ns;		/* the thread's own start_time */
};

#define CTOP_EXIT_FREED		(1u << 3)	/* the runtime is final */

struct ctop_exit_rec {
	__u32 tid;
	__u32 tgid;
	__u32 flags;		/* CTOP_TASK_LEADER, CTOP_EXIT_FREED */
	__u32 pad;
	__u64 cgid;
	__u64 start_ns;		/* the thread's own start_time */
	__u64 cpu_ns;		/* running totals */
	__u64 io[CTOP_IO__COUNT];
};

/* Marks a thread's sched state as folded by sched_process_free. */
#define CTOP_RT_DEAD	(~0ULL)

/*
 * Value of the per-thread task storage (STATE_SCHED of the notes). The
 * thread's IO accumulates in io[] at the time of the call; the iterator
 * takes it (exchanging in 0) and so does sched_process_free, so each byte
 * is reported exactly once.
 */
struct ctop_sched_state {
	__u64 reported_ns;	/* runtime already reported, or CTOP_RT_DEAD */
	__u64 ioac_rep[2];	/* ioac read_bytes, write_bytes already reported */
	__u64 io[CTOP_IO__COUNT];
};

/* Lifecycle events, the only thing that travels through the ring buffer. */
enum ctop_event_type {
	CTOP_EV_FORK = 1,
	CTOP_EV_EXEC,
	CTOP_EV_EXIT,
	CTOP_EV_CGROUP,
};

struct ctop_event {
	__u32 type;
	__u32 pid;		/* tgid of the process concerned */
	__u32 ppid;
	__u32 pad;
	__u64 cgid;
};

/* Counters of things the kernel side could not record. */
struct ctop_drops {
	__u64 ringbuf;		/* events the ring buffer had no room for */
	__u64 procs_full;	/* a process's own figures lost: procs map full */
	__u64 cgroups_full;	/* IO or CPU lost because the cgroups map was full */
	/*
	 * Task storage could not be had (a race to create it, or another
	 * program holding it on this CPU). Not a loss: the bytes then go to
	 * the maps directly, and the runtime is reported on a later pass.
	 */
	__u64 storage;
	/* Legacy object: a thread's last figures lost, the exits map was full. */
	__u64 exits;
};

#endif /* CTOP_BPF_H */
