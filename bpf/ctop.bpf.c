// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ctop-bpf kernel side. Counters accumulate here and userspace reads them
 * once per refresh; only lifecycle events travel through the ring buffer.
 *
 *  sys_exit            IO bytes, by what the fd is, into the thread's storage
 *  iter/task           once per refresh: runtime and IO deltas, RSS, parents
 *  sched_process_exit  folds a thread's IO and runtime into its cgroup
 *  sched_process_free  folds the last of its runtime
 *  fork/exit/exec/cgroup_attach_task  keep procs current, send events
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ctop.h"
#include "compat.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before load. */
const volatile __u64 page_size = 4096;

/*
 * Hash maps are not preallocated: creating 64k elements up front costs
 * more start-up time than the rare allocation on a process's first IO.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, CTOP_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct ctop_proc_state);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, CTOP_MAX_CGROUPS);
	__type(key, __u64);
	__type(value, struct ctop_cg_state);
} cgroups SEC(".maps");

/*
 * Per-thread state lives in task storage rather than a pid-keyed hash: it
 * dies with the task, cannot fill up, and cannot be handed to a reused pid.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ctop_sched_state);
} sched_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, CTOP_RINGBUF_BYTES);
} events SEC(".maps");

struct ctop_drops drops;

/*
 * Set by the loader after the first iterator read: from then on the fork
 * hook records every new process, so the iterator need not check the
 * procs map for each one.
 */
bool seeded;

/*
 * Bumped whenever the procs map changes in a way userspace reads (a new
 * or gone process, a fold into one): an unchanged count lets the loader
 * skip reading the whole map, which is most of a refresh on a big idle
 * host.
 */
__u64 procs_gen;

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

#define READ_ONCE(x)	(*(volatile typeof(x) *)&(x))
#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define AF_INET		2
#define AF_INET6	10
#define PF_KTHREAD	0x00200000
#define EXIT_DEAD	0x00000010
#define EXIT_ZOMBIE	0x00000020

/* x86_64 system call numbers (asm/unistd_64.h). */
#define NR_read			0
#define NR_write		1
#define NR_pread64		17
#define NR_pwrite64		18
#define NR_readv		19
#define NR_writev		20
#define NR_sendfile		40
#define NR_sendto		44
#define NR_recvfrom		45
#define NR_sendmsg		46
#define NR_recvmsg		47
#define NR_splice		275
#define NR_preadv		295
#define NR_pwritev		296
#define NR_recvmmsg		299
#define NR_sendmmsg		307
#define NR_copy_file_range	326
#define NR_preadv2		327
#define NR_pwritev2		328

#define UIO_MAXIOV		1024
#define MMSGHDR_SIZE		64	/* struct mmsghdr: user_msghdr (56) + msg_len */
#define MMSGHDR_LEN_OFF		56

enum fd_kind { FD_OTHER, FD_DISK, FD_NET };
enum io_dir { IO_IN, IO_OUT };

/*
 * Task pointers handed to tp_btf and iter programs are BTF pointers: plain
 * loads through them are checked by the verifier and much cheaper than
 * bpf_probe_read_kernel, so the frequent paths use them.
 */
static __always_inline __u64 task_cgid(struct task_struct *t)
{
	return t->cgroups->dfl_cgrp->kn->id;
}

static __always_inline void emit(__u32 type, __u32 pid, __u32 ppid, __u64 cgid)
{
	struct ctop_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&drops.ringbuf, 1);
		return;
	}
	e->type = type;
	e->pid = pid;
	e->ppid = ppid;
	e->pad = 0;
	e->cgid = cgid;
	/* Userspace drains once per refresh; a wakeup per event is waste. */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

static __always_inline struct ctop_cg_state *cg_get(__u64 cgid)
{
	static const struct ctop_cg_state zero;
	struct ctop_cg_state *c;

	c = bpf_map_lookup_elem(&cgroups, &cgid);
	if (c)
		return c;
	bpf_map_update_elem(&cgroups, &cgid, &zero, BPF_NOEXIST);
	c = bpf_map_lookup_elem(&cgroups, &cgid);
	if (!c)
		__sync_fetch_and_add(&drops.cgroups_full, 1);
	return c;
}

/* Records a process the fork hook never saw (it predates us, or pid reuse). */
static __always_inline struct ctop_proc_state *proc_seed(struct task_struct *leader, __u32 tgid)
{
	struct ctop_proc_state v = {};
	struct ctop_proc_state *p;

	v.ppid = BPF_CORE_READ(leader, real_parent, tgid);
	v.cgid = task_cgid(leader);
	v.start_ns = BPF_CORE_READ(leader, start_time);
	if (!bpf_map_update_elem(&procs, &tgid, &v, BPF_NOEXIST))
		__sync_fetch_and_add(&procs_gen, 1);
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (!p)
		__sync_fetch_and_add(&drops.procs_full, 1);
	return p;
}

static __always_inline int fd_kind(struct task_struct *t, unsigned long fd)
{
	struct fdtable *fdt = t->files->fdt;
	struct file **fds;
	struct file *f;
	struct socket *sock;
	unsigned short family;

	if (fd >= fdt->max_fds)
		return FD_OTHER;
	fds = fdt->fd;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return FD_OTHER;
	f = bpf_rdonly_cast(f, bpf_core_type_id_kernel(struct file));
	switch (f->f_inode->i_mode & S_IFMT) {
	case S_IFREG:
	case S_IFBLK:
		return FD_DISK;
	case S_IFSOCK:
		sock = bpf_rdonly_cast(f->private_data, bpf_core_type_id_kernel(struct socket));
		family = sock->sk->__sk_common.skc_family;
		return family == AF_INET || family == AF_INET6 ? FD_NET : FD_OTHER;
	default:
		return FD_OTHER;
	}
}

/*
 * Adds to the calling thread's own counters in task storage: no hashing
 * and no shared cache line, the cheapest place on this hot path. Only if
 * the storage cannot be had do the bytes go to the shared maps directly.
 */
static __always_inline void account(struct task_struct *t, unsigned long fd, enum io_dir dir,
				    __u64 bytes)
{
	struct ctop_sched_state *s;
	struct ctop_proc_state *p;
	struct ctop_cg_state *c;
	__u32 tgid;
	int kind, idx;

	kind = fd_kind(t, fd);
	if (kind == FD_OTHER)
		return;
	if (kind == FD_DISK)
		idx = dir == IO_IN ? CTOP_IO_DISK_READ : CTOP_IO_DISK_WRITE;
	else
		idx = dir == IO_IN ? CTOP_IO_NET_RX : CTOP_IO_NET_TX;

	s = bpf_task_storage_get(&sched_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s) {
		__sync_fetch_and_add(&s->io[idx], bytes);
		return;
	}
	__sync_fetch_and_add(&drops.storage, 1);
	c = cg_get(bpf_get_current_cgroup_id());
	if (c)
		__sync_fetch_and_add(&c->io[idx], bytes);
	tgid = t->tgid;
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (p) {
		__sync_fetch_and_add(&p->io[idx], bytes);
		__sync_fetch_and_add(&procs_gen, 1);
	}
}

/* Adds a thread's runtime and bytes to its cgroup, and to its process's
 * entry unless it is the leader, whose process goes with it. */
static __always_inline void to_maps(struct task_struct *p, __u64 cpu_ns, __u64 *io)
{
	struct ctop_proc_state *proc;
	struct ctop_cg_state *c;
	__u32 tgid = p->tgid;
	int i;

	c = cg_get(task_cgid(p));
	proc = p->pid != tgid ? bpf_map_lookup_elem(&procs, &tgid) : NULL;
	if (c)
		__sync_fetch_and_add(&c->cpu_dead_ns, cpu_ns);
	if (proc) {
		__sync_fetch_and_add(&proc->cpu_dead_ns, cpu_ns);
		__sync_fetch_and_add(&procs_gen, 1);
	}
	for (i = 0; i < CTOP_IO__COUNT; i++) {
		if (!io[i])
			continue;
		if (c)
			__sync_fetch_and_add(&c->io[i], io[i]);
		if (proc)
			__sync_fetch_and_add(&proc->io[i], io[i]);
	}
}

struct mmsg_ctx {
	unsigned long vec;
	__u64 sum;
};

static long mmsg_one(__u32 i, void *data)
{
	struct mmsg_ctx *ctx = data;
	__u32 len;

	if (bpf_probe_read_user(&len, sizeof(len),
				(void *)(ctx->vec + i * MMSGHDR_SIZE + MMSGHDR_LEN_OFF)))
		return 1;
	ctx->sum += len;
	return 0;
}

/*
 * sendmmsg/recvmmsg return a message count; the bytes are in each msg_len.
 * bpf_loop keeps the verifier's work (and so the load time) small.
 */
static __always_inline __u64 mmsg_bytes(unsigned long vec, long n)
{
	struct mmsg_ctx ctx = { vec, 0 };

	bpf_loop(n < UIO_MAXIOV ? n : UIO_MAXIOV, mmsg_one, &ctx, 0);
	return ctx.sum;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ctop_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t;

	if (ret <= 0)
		return 0;
	switch (regs->orig_ax) {
	case NR_read:
	case NR_pread64:
	case NR_readv:
	case NR_preadv:
	case NR_preadv2:
	case NR_recvfrom:
	case NR_recvmsg:
		account(bpf_get_current_task_btf(), regs->di, IO_IN, ret);
		break;
	case NR_write:
	case NR_pwrite64:
	case NR_writev:
	case NR_pwritev:
	case NR_pwritev2:
	case NR_sendto:
	case NR_sendmsg:
		account(bpf_get_current_task_btf(), regs->di, IO_OUT, ret);
		break;
	case NR_recvmmsg:
		account(bpf_get_current_task_btf(), regs->di, IO_IN, mmsg_bytes(regs->si, ret));
		break;
	case NR_sendmmsg:
		account(bpf_get_current_task_btf(), regs->di, IO_OUT, mmsg_bytes(regs->si, ret));
		break;
	case NR_sendfile: /* (out_fd, in_fd, ...) */
		t = bpf_get_current_task_btf();
		account(t, regs->si, IO_IN, ret);
		account(t, regs->di, IO_OUT, ret);
		break;
	case NR_splice: /* (fd_in, off_in, fd_out, ...) */
	case NR_copy_file_range:
		t = bpf_get_current_task_btf();
		account(t, regs->di, IO_IN, ret);
		account(t, regs->dx, IO_OUT, ret);
		break;
	}
	return 0;
}

SEC("iter/task")
int ctop_iter_task(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;
	struct ctop_sched_state *s;
	struct ctop_task_rec r;
	struct mm_struct *mm;
	__u64 rt, old = 0, delta = 0, moved = 0;
	bool leader;
	int i;

	if (!t)
		return 0;
	/*
	 * A released task is sched_process_free's to fold; past this check
	 * its RCU grace period cannot end before we return. Its exit can run
	 * meanwhile, on another CPU: the exchanges below keep the two apart.
	 */
	if (t->exit_state & EXIT_DEAD)
		return 0;

	__builtin_memset(&r, 0, sizeof(r));
	rt = t->se.sum_exec_runtime;
	s = bpf_task_storage_get(&sched_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s) {
		old = __sync_lock_test_and_set(&s->reported_ns, rt);
		if (old == CTOP_RT_DEAD) {
			s->reported_ns = CTOP_RT_DEAD;
		} else {
			if (rt > old)
				delta = rt - old;
			/* A plain look first: most tasks moved no bytes, and an
			 * exchange is a locked instruction. */
			for (i = 0; i < CTOP_IO__COUNT; i++) {
				if (!READ_ONCE(s->io[i]))
					continue;
				r.io_delta[i] = __sync_lock_test_and_set(&s->io[i], 0);
				moved |= r.io_delta[i];
			}
		}
	} else {
		__sync_fetch_and_add(&drops.storage, 1);
	}

	leader = t->pid == t->tgid;
	if (!leader && !delta && !moved)
		return 0;

	r.tid = t->pid;
	r.tgid = t->tgid;
	r.cgid = task_cgid(t);
	r.cpu_delta_ns = delta;
	if (t->flags & PF_KTHREAD)
		r.flags |= CTOP_TASK_KTHREAD;
	if (leader) {
		r.flags |= CTOP_TASK_LEADER;
		if (t->exit_state & EXIT_ZOMBIE)
			r.flags |= CTOP_TASK_ZOMBIE;
		r.ppid = t->real_parent->tgid;
		r.start_ns = t->start_time;
		r.nr_threads = t->signal->nr_threads;
		mm = t->mm;
		if (mm)
			r.rss_bytes = mm_rss_pages(mm) * page_size;
		__builtin_memcpy(r.comm, t->comm, sizeof(r.comm));
		if (!seeded && !bpf_map_lookup_elem(&procs, &r.tgid))
			proc_seed(t, r.tgid);
	}
	/*
	 * When the read buffer is full the kernel drops this record and runs
	 * us again for the same task on the next read(): give back what we
	 * took so that the second run reports it. If the task's exit took
	 * over meanwhile (it moved reported_ns on from our value), hand the
	 * runtime to the maps as the exit would have.
	 */
	if (bpf_seq_write(seq, &r, sizeof(r)) && s && old != CTOP_RT_DEAD) {
		for (i = 0; i < CTOP_IO__COUNT; i++)
			if (r.io_delta[i])
				__sync_fetch_and_add(&s->io[i], r.io_delta[i]);
		if (__sync_val_compare_and_swap(&s->reported_ns, rt, old) != rt) {
			__u64 none[CTOP_IO__COUNT] = {};

			to_maps(t, delta, none);
		}
	}
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ctop_fork, struct task_struct *parent, struct task_struct *child)
{
	struct ctop_proc_state v = {};
	__u32 pid = child->pid;

	if (pid != child->tgid)
		return 0; /* a thread: same process */
	v.ppid = parent->tgid;
	v.cgid = task_cgid(child);
	v.start_ns = child->start_time;
	/* BPF_ANY: a stale entry under a reused pid is replaced. */
	if (bpf_map_update_elem(&procs, &pid, &v, BPF_ANY))
		__sync_fetch_and_add(&drops.procs_full, 1);
	else
		__sync_fetch_and_add(&procs_gen, 1);
	emit(CTOP_EV_FORK, pid, v.ppid, v.cgid);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(ctop_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	emit(CTOP_EV_EXEC, p->tgid, 0, task_cgid(p));
	return 0;
}

/*
 * Adds what the iterator has not reported of a thread's runtime and IO to
 * its cgroup (and to its process, for a thread other than the leader).
 * `mark` is what the thread's reported runtime becomes: its runtime now,
 * at exit, or CTOP_RT_DEAD once it is freed. Every hand-over is an atomic
 * exchange, so whichever of the iterator, exit and free runs first, each
 * nanosecond and byte is counted once.
 */
static __always_inline void fold(struct task_struct *p, struct ctop_sched_state *s, bool dead)
{
	__u64 rt = p->se.sum_exec_runtime, old = 0;
	__u64 io[CTOP_IO__COUNT] = {};
	int i;

	if (s) {
		old = __sync_lock_test_and_set(&s->reported_ns, dead ? CTOP_RT_DEAD : rt);
		if (old == CTOP_RT_DEAD) {
			s->reported_ns = CTOP_RT_DEAD;
			return;
		}
		for (i = 0; i < CTOP_IO__COUNT; i++)
			io[i] = __sync_lock_test_and_set(&s->io[i], 0);
	}
	to_maps(p, rt > old ? rt - old : 0, io);
}

/*
 * A thread's IO is complete at exit, and its runtime nearly so: fold both
 * now rather than wait for the free, which the kernel may put off.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(ctop_exit, struct task_struct *p, bool group_dead)
{
	struct ctop_sched_state *s;
	__u32 tgid = p->tgid;

	s = bpf_task_storage_get(&sched_state, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	/* Without storage the free hook folds the whole runtime instead. */
	if (s)
		fold(p, s, false);
	if (!group_dead)
		return 0;
	if (!bpf_map_delete_elem(&procs, &tgid))
		__sync_fetch_and_add(&procs_gen, 1);
	emit(CTOP_EV_EXIT, tgid, 0, task_cgid(p));
	return 0;
}

/* The runtime is final only once the thread has left the CPU for good. */
SEC("tp_btf/sched_process_free")
int BPF_PROG(ctop_free, struct task_struct *p)
{
	fold(p, bpf_task_storage_get(&sched_state, p, 0, 0), true);
	return 0;
}

SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(ctop_cgroup_attach, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	struct ctop_proc_state *p;
	__u32 tgid = task->tgid;
	__u64 cgid;

	/* Only the v2 (default) hierarchy, hierarchy_id 0, names containers. */
	if (dst->root->hierarchy_id != 0)
		return 0;
	cgid = dst->kn->id;
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (p)
		p->cgid = cgid;
	emit(CTOP_EV_CGROUP, tgid, 0, cgid);
	return 0;
}
