// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ctop-bpf kernel side. Counters accumulate here and userspace reads them
 * once per refresh; only lifecycle events travel through the ring buffer.
 *
 * Bytes, by the cheapest probe the kernel allows (the loader chooses):
 *  sock_send/recv_length  net, tracepoints of 6.3+, nothing else pays
 *  fexit inet_*           net, where fentry works but not those tracepoints
 *  fexit vfs_*            file IO, where fentry works
 *  sys_exit               whatever the above cannot cover, by what the fd is
 * Everything else:
 *  iter/task              once per refresh: runtime, storage IO (ioac) and
 *                         hook IO deltas, RSS, parents
 *  sched_process_exit     folds a thread's IO and runtime into its cgroup
 *  sched_process_free     folds the last of its runtime
 *  fork/exit/exec/cgroup_attach_task  keep procs current, send events
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "ctop.h"
#include "compat.bpf.h"
#include "syscall_nr.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before load. */
const volatile __u64 page_size = 4096;
const volatile bool sys_disk;	/* sys_exit counts file IO */
const volatile bool sys_net;	/* sys_exit counts network IO */

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

#ifndef CTOP_LEGACY
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
#define EXITS_MAX	1
#else
/* Unused there: both objects declare the same maps, for one skeleton. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ctop_sched_state);
} sched_state SEC(".maps");
#define EXITS_MAX	CTOP_MAX_PROCS
#endif

/* Legacy object only: threads' totals at exit and free (see ctop.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, EXITS_MAX);
	__type(key, struct ctop_exit_key);
	__type(value, struct ctop_exit_rec);
} exits SEC(".maps");

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

/* The walk's (below): the records it wrote, and whether it stopped for room. */
__u32 walk_n;
bool walk_full;

#define S_IFMT		00170000
#define S_IFSOCK	0140000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define AF_INET		2
#define AF_INET6	10
#define MSG_PEEK	2
#define PF_KTHREAD	0x00200000
#define EXIT_DEAD	0x00000010
#define EXIT_ZOMBIE	0x00000020

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

/* Regular files and block devices are disk; inet sockets are network. */
static __always_inline int mode_kind(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFBLK:
		return FD_DISK;
	case S_IFSOCK:
		return FD_NET;
	default:
		return FD_OTHER;
	}
}

/*
 * The kernel's own interfaces, whose reads and writes are not disk IO
 * even though their files are regular (a PID written to cgroup.procs, a
 * read of /proc/PID/status). Disk is every other filesystem (tmpfs and
 * overlayfs included) and block devices.
 */
static __always_inline bool pseudo_fs(unsigned long magic)
{
	switch (magic) {
	case 0x9fa0:		/* proc */
	case 0x62656572:	/* sysfs */
	case 0x27e0eb:		/* cgroup */
	case 0x63677270:	/* cgroup2 */
	case 0x64626720:	/* debugfs */
	case 0x74726163:	/* tracefs */
	case 0x73636673:	/* securityfs */
	case 0xcafe4a11:	/* bpf */
	case 0x62656570:	/* configfs */
	case 0x6165676c:	/* pstore */
	case 0xde5e81e4:	/* efivarfs */
	case 0xf97cff8c:	/* selinuxfs */
	case 0x43415d53:	/* smackfs */
	case 0x65735543:	/* fusectl */
	case 0x42494e4d:	/* binfmt_misc */
		return true;
	default:
		return false;
	}
}

static __always_inline int fd_kind(struct task_struct *t, unsigned long fd)
{
	struct file *f = fd_file(t, fd);
	struct socket *sock;
	unsigned short family;
	int kind;

	if (!f)
		return FD_OTHER;
	kind = mode_kind(BPF_CORE_READ(f, f_inode, i_mode));
	if (kind == FD_DISK && pseudo_fs(BPF_CORE_READ(f, f_inode, i_sb, s_magic)))
		return FD_OTHER;
	if (kind == FD_NET) {
		sock = BPF_CORE_READ(f, private_data);
		family = BPF_CORE_READ(sock, sk, __sk_common.skc_family);
		if (family != AF_INET && family != AF_INET6)
			return FD_OTHER;
	}
	return kind;
}

/* Bytes straight to the container's and the process's running totals. */
static __always_inline void add_io_maps(__u64 cgid, __u32 tgid, int idx, __u64 bytes)
{
	struct ctop_proc_state *p;
	struct ctop_cg_state *c;

	c = cg_get(cgid);
	if (c)
		__sync_fetch_and_add(&c->io[idx], bytes);
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (p) {
		__sync_fetch_and_add(&p->io[idx], bytes);
		__sync_fetch_and_add(&procs_gen, 1);
	}
}

/*
 * Adds to the calling thread's own counters in task storage: no hashing
 * and no shared cache line, the cheapest place on this hot path. Only if
 * the storage cannot be had do the bytes go to the shared maps directly,
 * as they always do in the legacy object (t is then the current task).
 */
static __always_inline void add_io(struct task_struct *t, int idx, __u64 bytes)
{
#ifdef CTOP_LEGACY
	add_io_maps(bpf_get_current_cgroup_id(), bpf_get_current_pid_tgid() >> 32, idx, bytes);
#else
	struct ctop_sched_state *s;

	s = bpf_task_storage_get(&sched_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s) {
		__sync_fetch_and_add(&s->io[idx], bytes);
		return;
	}
	__sync_fetch_and_add(&drops.storage, 1);
	add_io_maps(task_cgid(t), t->tgid, idx, bytes);
#endif
}

/* The counter for bytes of this kind (FD_DISK or FD_NET) moving this way. */
static __always_inline int io_index(int kind, enum io_dir dir)
{
	if (kind == FD_DISK)
		return dir == IO_IN ? CTOP_IO_DISK_READ : CTOP_IO_DISK_WRITE;
	return dir == IO_IN ? CTOP_IO_NET_RX : CTOP_IO_NET_TX;
}

/* The legacy object needs no task here: add_io() takes the current ids. */
#ifdef CTOP_LEGACY
#define hook_task()	NULL
#else
#define hook_task()	bpf_get_current_task_btf()
#endif

static __always_inline void add_disk(enum io_dir dir, __u64 bytes)
{
	add_io(hook_task(), io_index(FD_DISK, dir), bytes);
}

static __always_inline void add_net(enum io_dir dir, __u64 bytes)
{
	add_io(hook_task(), io_index(FD_NET, dir), bytes);
}

/* The sys_exit path: the fd says which counter, the knobs which it may touch. */
static __always_inline void account(struct task_struct *t, unsigned long fd, enum io_dir dir,
				    __u64 bytes)
{
	int kind = fd_kind(t, fd);

	if ((kind == FD_DISK && sys_disk) || (kind == FD_NET && sys_net))
		add_io(t, io_index(kind, dir), bytes);
}

#ifndef CTOP_LEGACY
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
#endif

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
 * bpf_loop keeps the verifier's work (and so the load time) small; before
 * it, a bounded loop (5.3) does the same.
 */
static __always_inline __u64 mmsg_bytes(unsigned long vec, long n)
{
	struct mmsg_ctx ctx = { vec, 0 };

#ifdef CTOP_LEGACY
	for (__u32 i = 0; i < UIO_MAXIOV && i < n; i++)
		if (mmsg_one(i, &ctx))
			break;
#else
	bpf_loop(n < UIO_MAXIOV ? n : UIO_MAXIOV, mmsg_one, &ctx, 0);
#endif
	return ctx.sum;
}

#define ARG1(regs)	PT_REGS_PARM1_CORE_SYSCALL(regs)
#define ARG2(regs)	PT_REGS_PARM2_CORE_SYSCALL(regs)
#define ARG3(regs)	PT_REGS_PARM3_CORE_SYSCALL(regs)
#define ARG4(regs)	PT_REGS_PARM4_CORE_SYSCALL(regs)

/*
 * The fallback for what no cheaper probe covers: it puts every task on
 * the kernel's syscall-tracing slow path, so it is loaded only then.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(ctop_sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *t;

	if (ret <= 0)
		return 0;
	t = current_task();
	if (compat_syscall(t, regs))
		return 0;
	switch (SYSCALL_NR(regs)) {
	case NR_recvfrom:
		if (ARG4(regs) & MSG_PEEK)
			break;
		/* fall through */
	case NR_read:
	case NR_pread64:
	case NR_readv:
	case NR_preadv:
	case NR_preadv2:
		account(t, ARG1(regs), IO_IN, ret);
		break;
	case NR_recvmsg:
		if (!(ARG3(regs) & MSG_PEEK))
			account(t, ARG1(regs), IO_IN, ret);
		break;
	case NR_write:
	case NR_pwrite64:
	case NR_writev:
	case NR_pwritev:
	case NR_pwritev2:
	case NR_sendto:
	case NR_sendmsg:
		account(t, ARG1(regs), IO_OUT, ret);
		break;
	case NR_recvmmsg:
		if (sys_net)
			account(t, ARG1(regs), IO_IN, mmsg_bytes(ARG2(regs), ret));
		break;
	case NR_sendmmsg:
		if (sys_net)
			account(t, ARG1(regs), IO_OUT, mmsg_bytes(ARG2(regs), ret));
		break;
	case NR_sendfile: /* (out_fd, in_fd, ...) */
		account(t, ARG2(regs), IO_IN, ret);
		account(t, ARG1(regs), IO_OUT, ret);
		break;
	case NR_splice: /* (fd_in, off_in, fd_out, ...) */
	case NR_copy_file_range:
		account(t, ARG1(regs), IO_IN, ret);
		account(t, ARG3(regs), IO_OUT, ret);
		break;
	}
	return 0;
}

/*
 * Net on 6.3+: the tracepoints in sock_sendmsg_nosec/sock_recvmsg_nosec see
 * every send and receive (write, sendmsg, sendmmsg, sendfile and splice to
 * a socket) and cost nothing to calls that move no bytes. AF_UNIX fires
 * too; a MSG_PEEK is read again later.
 */
static __always_inline bool inet(struct sock *sk)
{
	unsigned short family = sk->__sk_common.skc_family;

	return family == AF_INET || family == AF_INET6;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(ctop_sock_send, struct sock *sk, int ret, int flags)
{
	if (ret > 0 && inet(sk))
		add_net(IO_OUT, ret);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(ctop_sock_recv, struct sock *sk, int ret, int flags)
{
	if (ret > 0 && !(flags & MSG_PEEK) && inet(sk))
		add_net(IO_IN, ret);
	return 0;
}

/*
 * Net before 6.3, where fentry works: the inet protocol operations, which
 * only IPv4 and IPv6 sockets reach. inet_sendpage carries sendfile and
 * splice to a TCP socket until 6.5 turned them into sendmsg
 * (MSG_SPLICE_PAGES); the loader attaches it where it exists.
 */
SEC("fexit/inet_sendmsg")
int BPF_PROG(ctop_inet_sendmsg, struct socket *sock, struct msghdr *msg, size_t size, int ret)
{
	if (ret > 0)
		add_net(IO_OUT, ret);
	return 0;
}

SEC("fexit/inet6_sendmsg")
int BPF_PROG(ctop_inet6_sendmsg, struct socket *sock, struct msghdr *msg, size_t size, int ret)
{
	if (ret > 0)
		add_net(IO_OUT, ret);
	return 0;
}

SEC("fexit/inet_recvmsg")
int BPF_PROG(ctop_inet_recvmsg, struct socket *sock, struct msghdr *msg, size_t size, int flags,
	     int ret)
{
	if (ret > 0 && !(flags & MSG_PEEK))
		add_net(IO_IN, ret);
	return 0;
}

SEC("fexit/inet6_recvmsg")
int BPF_PROG(ctop_inet6_recvmsg, struct socket *sock, struct msghdr *msg, size_t size, int flags,
	     int ret)
{
	if (ret > 0 && !(flags & MSG_PEEK))
		add_net(IO_IN, ret);
	return 0;
}

SEC("fexit/inet_sendpage")
int BPF_PROG(ctop_inet_sendpage, struct socket *sock, struct page *page, int offset, size_t size,
	     int flags, long ret)
{
	if (ret > 0)
		add_net(IO_OUT, ret);
	return 0;
}

/* splice from a TCP socket to a pipe: neither recvmsg nor its tracepoint. */
SEC("fexit/tcp_splice_read")
int BPF_PROG(ctop_tcp_splice_read, struct socket *sock, loff_t *ppos, struct pipe_inode_info *pipe,
	     size_t len, unsigned int flags, long ret)
{
	if (ret > 0)
		add_net(IO_IN, ret);
	return 0;
}

/*
 * File IO where fentry works: the VFS entry points of read/write and
 * their p- and v- forms, sendfile (do_splice_direct, also the page-cache
 * copy of copy_file_range) and splice (do_splice). A socket or pipe there
 * is left to the net probes. Overlayfs passes the call on to the real
 * file through vfs_iter_read/write, which we do not hook: counted once.
 */
static __always_inline void file_io(struct file *f, enum io_dir dir, long ret)
{
	struct inode *i = f->f_inode;

	if (ret > 0 && mode_kind(i->i_mode) == FD_DISK && !pseudo_fs(i->i_sb->s_magic))
		add_disk(dir, ret);
}

SEC("fexit/vfs_read")
int BPF_PROG(ctop_vfs_read, struct file *f, char *buf, size_t count, loff_t *pos, long ret)
{
	file_io(f, IO_IN, ret);
	return 0;
}

SEC("fexit/vfs_write")
int BPF_PROG(ctop_vfs_write, struct file *f, const char *buf, size_t count, loff_t *pos, long ret)
{
	file_io(f, IO_OUT, ret);
	return 0;
}

SEC("fexit/vfs_readv")
int BPF_PROG(ctop_vfs_readv, struct file *f, const struct iovec *vec, unsigned long vlen,
	     loff_t *pos, rwf_t flags, long ret)
{
	file_io(f, IO_IN, ret);
	return 0;
}

SEC("fexit/vfs_writev")
int BPF_PROG(ctop_vfs_writev, struct file *f, const struct iovec *vec, unsigned long vlen,
	     loff_t *pos, rwf_t flags, long ret)
{
	file_io(f, IO_OUT, ret);
	return 0;
}

SEC("fexit/do_splice_direct")
int BPF_PROG(ctop_splice_direct, struct file *in, loff_t *ppos, struct file *out, loff_t *opos,
	     size_t len, unsigned int flags, long ret)
{
	file_io(in, IO_IN, ret);
	file_io(out, IO_OUT, ret);
	return 0;
}

SEC("fexit/do_splice")
int BPF_PROG(ctop_splice, struct file *in, loff_t *off_in, struct file *out, loff_t *off_out,
	     size_t len, unsigned int flags, long ret)
{
	file_io(in, IO_IN, ret);
	file_io(out, IO_OUT, ret);
	return 0;
}

/* The kernel's storage-level accounting: what docker stats' BLOCK I/O shows. */
static __always_inline void ioac(struct task_struct *t, __u64 cur[2])
{
	if (bpf_core_field_exists(t->ioac)) {
		cur[0] = t->ioac.read_bytes;
		cur[1] = t->ioac.write_bytes;
	} else {
		cur[0] = cur[1] = 0;
	}
}

#ifndef CTOP_LEGACY
/* Moves a reported mark to cur; returns what it had, looking before the
 * locked exchange since most tasks moved nothing. */
static __always_inline __u64 take_mark(__u64 *mark, __u64 cur)
{
	__u64 old = READ_ONCE(*mark);

	if (old == cur)
		return old;
	return __sync_lock_test_and_set(mark, cur);
}

/*
 * Takes what the thread did since its last report into r: the runtime by
 * exchanging in its current value, the hooks' bytes by exchanging in 0,
 * storage IO by moving the marks. Returns the storage (NULL: none could
 * be had), and in *old, cur and was what give_back() needs.
 */
static __always_inline struct ctop_sched_state *take(struct task_struct *t, struct ctop_task_rec *r,
						     __u64 rt, __u64 *old, __u64 cur[2],
						     __u64 was[2])
{
	struct ctop_sched_state *s;
	int i;

	s = bpf_task_storage_get(&sched_state, t, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s) {
		__sync_fetch_and_add(&drops.storage, 1);
		return NULL;
	}
	/* Unchanged since the last report, as most tasks are: no locked
	 * exchange. An exit meanwhile takes from rt, which is then ours. */
	*old = take_mark(&s->reported_ns, rt);
	if (*old == CTOP_RT_DEAD) {
		s->reported_ns = CTOP_RT_DEAD;
		return s;
	}
	if (rt > *old)
		r->cpu_delta_ns = rt - *old;
	/* A plain look first: most tasks moved no bytes, and an exchange
	 * is a locked instruction. */
	for (i = 0; i < CTOP_IO_STORAGE_READ; i++)
		if (READ_ONCE(s->io[i]))
			r->io_delta[i] = __sync_lock_test_and_set(&s->io[i], 0);
	for (i = 0; i < 2; i++) {
		was[i] = take_mark(&s->ioac_rep[i], cur[i]);
		if (cur[i] > was[i])
			r->io_delta[CTOP_IO_STORAGE_READ + i] = cur[i] - was[i];
	}
	return s;
}

/*
 * When the read buffer is full the kernel drops a record and runs us
 * again for the same task on the next read(): give back what take()
 * took so that the second run reports it. If the task's exit took over
 * a mark meanwhile (it moved it on from our value), hand that share to
 * the maps as the exit would have.
 */
static __always_inline void give_back(struct task_struct *t, struct ctop_sched_state *s,
				      const struct ctop_task_rec *r, __u64 rt, __u64 old,
				      __u64 cur[2], __u64 was[2])
{
	__u64 lost[CTOP_IO__COUNT] = {}, lost_ns = 0;
	int i;

	for (i = 0; i < CTOP_IO_STORAGE_READ; i++)
		if (r->io_delta[i])
			__sync_fetch_and_add(&s->io[i], r->io_delta[i]);
	for (i = 0; i < 2; i++)
		if (r->io_delta[CTOP_IO_STORAGE_READ + i] &&
		    __sync_val_compare_and_swap(&s->ioac_rep[i], cur[i], was[i]) != cur[i])
			lost[CTOP_IO_STORAGE_READ + i] = r->io_delta[CTOP_IO_STORAGE_READ + i];
	if (__sync_val_compare_and_swap(&s->reported_ns, rt, old) != rt)
		lost_ns = r->cpu_delta_ns;
	if (lost_ns || lost[CTOP_IO_STORAGE_READ] || lost[CTOP_IO_STORAGE_WRITE])
		to_maps(t, lost_ns, lost);
}

static __always_inline bool moved(const struct ctop_task_rec *r)
{
	__u64 any = r->cpu_delta_ns;
	int i;

	for (i = 0; i < CTOP_IO__COUNT; i++)
		any |= r->io_delta[i];
	return any;
}
#endif

/* What take() moved, for give_back() if the record cannot be written. */
struct took {
	struct ctop_sched_state *s;
	__u64 rt, old, cur[2], was[2];
};

/*
 * Task t's record, into r: false when there is none to write (a released
 * task, or a thread that did nothing since its last report). slept: t has
 * not run since its last report, which then moves nothing. Its fields are
 * read through f, t itself or the walk's untrusted copy of it.
 */
static __always_inline bool task_report(struct task_struct *t, struct task_struct *f,
					struct ctop_task_rec *r, struct took *k, bool slept)
{
	struct mm_struct *mm;
	bool leader;

	/*
	 * A released task is sched_process_free's to fold; past this check
	 * its RCU grace period cannot end before we return. Its exit can run
	 * meanwhile, on another CPU: the exchanges below keep the two apart.
	 */
	if (f->exit_state & EXIT_DEAD)
		return false;

	leader = f->pid == f->tgid;
	if (slept && !leader)
		return false;
	__builtin_memset(r, 0, sizeof(*r));
	k->s = NULL;
#ifdef CTOP_LEGACY
	k->rt = f->se.sum_exec_runtime;
	ioac(f, k->cur);
	/* Running totals, of every task: userspace forgets a thread it no
	 * longer sees only after this pass and the exits map are read. */
	r->cpu_delta_ns = k->rt;
	r->io_delta[CTOP_IO_STORAGE_READ] = k->cur[0];
	r->io_delta[CTOP_IO_STORAGE_WRITE] = k->cur[1];
	r->start_ns = f->start_time;
#else
	if (!slept) {
		k->rt = f->se.sum_exec_runtime;
		ioac(f, k->cur);
		k->old = 0;
		k->was[0] = k->was[1] = 0;
		k->s = take(t, r, k->rt, &k->old, k->cur, k->was);
		if (!leader && !moved(r))
			return false;
	}
#endif

	r->tid = f->pid;
	r->tgid = f->tgid;
	r->cgid = task_cgid(f);
	if (f->flags & PF_KTHREAD)
		r->flags |= CTOP_TASK_KTHREAD;
	if (leader) {
		r->flags |= CTOP_TASK_LEADER;
		if (f->exit_state & EXIT_ZOMBIE)
			r->flags |= CTOP_TASK_ZOMBIE;
		r->ppid = f->real_parent->tgid;
		r->start_ns = f->start_time;
		r->nr_threads = f->signal->nr_threads;
		mm = f->mm;
		if (mm)
			r->rss_bytes = mm_rss_pages(mm) * page_size;
		__builtin_memcpy(r->comm, f->comm, sizeof(r->comm));
		if (!seeded && !bpf_map_lookup_elem(&procs, &r->tgid))
			proc_seed(f, r->tgid);
	}
	return true;
}

SEC("iter/task")
int ctop_iter_task(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct ctop_task_rec r;
	struct took k;

	if (!t || !task_report(t, t, &r, &k, false))
		return 0;
#ifdef CTOP_LEGACY
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
#else
	if (bpf_seq_write(ctx->meta->seq, &r, sizeof(r)) && k.s && k.old != CTOP_RT_DEAD)
		give_back(t, k.s, &r, k.rt, k.old, k.cur, k.was);
#endif
	return 0;
}

struct ctop_walk_clock walk_clock;	/* the walk's (below) */

/* The walk's records (below), sized by the loader; 1 where it is not loaded. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ctop_task_rec);
} walk_recs SEC(".maps");

#ifndef CTOP_LEGACY
/*
 * The walk: the same records as the iterator's, from one run of a syscall
 * program over the kernel's task list (bpf_iter_task_new(), 6.7: "bpf:
 * Introduce task open coded iterator kfuncs"), into an array userspace
 * maps. It skips the iterator's per-task look-up by pid, its task
 * reference and its seq_file copy: an empty walk of 10,000 tasks took 1.6
 * ms here against the iterator's 8-12 ms. The struct's name is ours, so
 * that a vmlinux.h from an older kernel builds: only its size is checked.
 */
struct ctop_open_iter_task {
	__u64 opaque[3];
};
extern int bpf_iter_task_new(struct ctop_open_iter_task *it, struct task_struct *task,
			     unsigned int flags) __weak __ksym;
extern struct task_struct *bpf_iter_task_next(struct ctop_open_iter_task *it) __weak __ksym;
extern void bpf_iter_task_destroy(struct ctop_open_iter_task *it) __weak __ksym;
extern void bpf_rcu_read_lock(void) __weak __ksym;
extern void bpf_rcu_read_unlock(void) __weak __ksym;
#define TASK_ITER_ALL_THREADS	1	/* BPF_TASK_ITER_ALL_THREADS */

/*
 * The clocks of the online CPUs into walk_clock.now; 0 for a CPU whose
 * clock cannot be had (an offline one's stops). The run queues are a
 * per-CPU variable, not in kallsyms without CONFIG_KALLSYMS_ALL: ours is
 * found through the running task's CFS queue, the others at the same
 * place in each CPU's per-CPU area (cpu_off), each checked by its cpu.
 */
static __always_inline void clocks_now(void)
{
	struct task_struct *me = bpf_get_current_task_btf();
	__u32 cur = bpf_get_smp_processor_id(), i;
	__u64 base = 0, at, clock;
	int cpu, online;

	if (find_cpu_offsets() && cur < CTOP_MAX_CPUS && bpf_core_field_exists(me->se.cfs_rq->rq)) {
		pcpu_addr = (__u64)(void *)me->se.cfs_rq->rq;
		base = READ_ONCE(pcpu_addr);
	}
	for (i = 0; i < nr_cpus && i < CTOP_MAX_CPUS; i++) {
		walk_clock.now[i] = 0;
		if (!base)
			continue;
		at = base - cpu_off[cur & (CTOP_MAX_CPUS - 1)] + cpu_off[i];
		if (bpf_probe_read_kernel(&cpu, sizeof(cpu), (void *)(at + bpf_core_field_offset(struct rq, cpu))) ||
		    bpf_probe_read_kernel(&online, sizeof(online),
					  (void *)(at + bpf_core_field_offset(struct rq, online))) ||
		    bpf_probe_read_kernel(&clock, sizeof(clock),
					  (void *)(at + bpf_core_field_offset(struct rq, clock_task))))
			continue;
		if (cpu == (int)i && online)
			walk_clock.now[i] = clock;
	}
}

/*
 * The oldest of the CPUs' clocks when the last whole pass began; 0 when
 * there is none to trust (no such pass yet, or a CPU came or went since).
 */
static __always_inline __u64 clocks_then(void)
{
	__u64 m = 0, p;
	__u32 i;

	if (!walk_clock.ok)
		return 0;
	for (i = 0; i < nr_cpus && i < CTOP_MAX_CPUS; i++) {
		p = walk_clock.prev[i];
		if (!p != !walk_clock.now[i])
			return 0;
		if (p && (!m || p < m))
			m = p;
	}
	return m;
}

/*
 * Whether t has not run since the last whole pass began (then: see
 * clocks_then()), which then took its marks to where they still are. The
 * scheduler stamps se.exec_start with the clock_task of the CPU it runs
 * on whenever it runs (and at each tick while it does), so a task that
 * ran since has a stamp no older than that CPU's clock then, and so no
 * older than the oldest CPU's: whichever CPU it is on now, and however
 * far apart the CPUs' clocks are (each leaves out its own IRQ and steal
 * time). A task with no stamp (new) counts as having run. A wrong
 * "slept" could only delay what a task did to the next pass that sees it
 * run, or to its exit: marks untaken are never lost.
 */
static __always_inline bool slept_since(struct task_struct *t, __u64 then)
{
	__u64 at = t->se.exec_start;

	return then && at && at < then;
}

/* The pass that began at walk_clock.now was whole: its clocks become prev. */
static __always_inline void clocks_done(void)
{
	__u32 i;

	for (i = 0; i < nr_cpus && i < CTOP_MAX_CPUS; i++)
		walk_clock.prev[i] = walk_clock.now[i];
	walk_clock.ok = 1;
}

/*
 * One task of the walk: false when it has no room. A task with no room is
 * left as it is, its marks untaken: the iterator, which userspace runs
 * after a full walk, reports it and every task after it (and those before
 * with nothing new, which userspace merges). A function of its own,
 * not inlined, so that the loop is verified with one state whichever way
 * through it a task went: inlined, its branches made the verifier go
 * round the loop with each, 124,000 instructions and 3 s at start.
 */
static __noinline bool walk_one(struct task_struct *t, __u64 then)
{
	struct task_struct *f;
	struct ctop_task_rec *r;
	struct took k;
	__u32 n = walk_n;

	r = bpf_map_lookup_elem(&walk_recs, &n);
	if (!r)
		return false;
	/* Loads through a trusted pointer cost the verifier a search of the
	 * kernel's BTF each (btf_nested_type_is_trusted()): the fields are
	 * read through an untrusted one. */
	f = bpf_rdonly_cast(t, bpf_core_type_id_kernel(struct task_struct));
	if (task_report(t, f, r, &k, slept_since(f, then)))
		walk_n = n + 1;
	return true;
}

SEC("syscall")
int ctop_walk_tasks(void *ctx)
{
	struct ctop_open_iter_task it;
	struct task_struct *t;
	__u64 then;

	walk_n = 0;
	walk_full = false;
	clocks_now();
	then = clocks_then();
	walk_clock.ok = 0;
	bpf_rcu_read_lock();
	bpf_iter_task_new(&it, NULL, TASK_ITER_ALL_THREADS);
	while ((t = bpf_iter_task_next(&it))) {
		if (!walk_one(t, then)) {
			walk_full = true;
			break;
		}
	}
	bpf_iter_task_destroy(&it);
	bpf_rcu_read_unlock();
	/* A full walk is whole once userspace has run the iterator too. */
	if (!walk_full)
		clocks_done();
	return 0;
}
#else
/* Never loaded there: declared for the one skeleton, and to lay out its
 * globals as the main object's are. */
SEC("syscall")
int ctop_walk_tasks(void *ctx)
{
	walk_n = 0;
	walk_full = false;
	walk_clock.ok = 0;
	return 0;
}
#endif

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

#ifndef CTOP_LEGACY
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
	__u64 rt = p->se.sum_exec_runtime, old = 0, cur[2], was[2] = {};
	__u64 io[CTOP_IO__COUNT] = {};
	int i;

	ioac(p, cur);
	if (s) {
		old = __sync_lock_test_and_set(&s->reported_ns, dead ? CTOP_RT_DEAD : rt);
		if (old == CTOP_RT_DEAD) {
			s->reported_ns = CTOP_RT_DEAD;
			return;
		}
		for (i = 0; i < CTOP_IO_STORAGE_READ; i++)
			io[i] = __sync_lock_test_and_set(&s->io[i], 0);
		for (i = 0; i < 2; i++)
			was[i] = take_mark(&s->ioac_rep[i], cur[i]);
	}
	for (i = 0; i < 2; i++)
		if (cur[i] > was[i])
			io[CTOP_IO_STORAGE_READ + i] = cur[i] - was[i];
	to_maps(p, rt > old ? rt - old : 0, io);
}

#else
/*
 * The legacy object's fold: the thread's totals, for userspace to take
 * the difference from what it last saw. The free's record replaces an
 * exit's that userspace has not read yet: its totals are the later ones.
 */
static __always_inline void note_exit(struct task_struct *p, __u32 flags)
{
	struct ctop_exit_key k = { .tid = p->pid, .start_ns = p->start_time };
	struct ctop_exit_rec v = {};
	__u64 cur[2];

	ioac(p, cur);
	v.tid = p->pid;
	v.tgid = p->tgid;
	v.flags = flags | (p->pid == p->tgid ? CTOP_TASK_LEADER : 0);
	v.cgid = task_cgid(p);
	v.start_ns = k.start_ns;
	v.cpu_ns = p->se.sum_exec_runtime;
	v.io[CTOP_IO_STORAGE_READ] = cur[0];
	v.io[CTOP_IO_STORAGE_WRITE] = cur[1];
	if (bpf_map_update_elem(&exits, &k, &v, BPF_ANY))
		__sync_fetch_and_add(&drops.exits, 1);
}

#endif

/*
 * A thread's IO is complete at exit, and its runtime nearly so: fold both
 * now rather than wait for the free, which the kernel may put off.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(ctop_exit, struct task_struct *p)
{
	__u32 tgid = p->tgid;
#ifdef CTOP_LEGACY
	note_exit(p, 0);
#else
	struct ctop_sched_state *s;

	s = bpf_task_storage_get(&sched_state, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	/* Without storage the free hook folds the whole runtime instead. */
	if (s)
		fold(p, s, false);
#endif
	if (!exit_group_dead(p))
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
#ifdef CTOP_LEGACY
	note_exit(p, CTOP_EXIT_FREED);
#else
	fold(p, bpf_task_storage_get(&sched_state, p, 0, 0), true);
#endif
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
