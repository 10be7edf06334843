// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "grow.h"
#include "loader.h"
#include "procfs.h"
#include "thread_totals.h"
#include "u64map.h"
#include "ctop.skel.h"
#include "ctop_legacy.skel.h"

_Static_assert(sizeof(struct ctop_proc_state) == 80, "ctop_proc_state layout");
_Static_assert(sizeof(struct ctop_cg_state) == 56, "ctop_cg_state layout");
_Static_assert(sizeof(struct ctop_task_rec) == 120, "ctop_task_rec layout");
_Static_assert(sizeof(struct ctop_event) == 24, "ctop_event layout");
_Static_assert(sizeof(struct ctop_drops) == 40, "ctop_drops layout");
_Static_assert(sizeof(struct ctop_exit_key) == 16, "ctop_exit_key layout");
_Static_assert(sizeof(struct ctop_exit_rec) == 88, "ctop_exit_rec layout");

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* Scratch for one batch read of any of the maps. */
#define MAX2(a, b)		((a) > (b) ? (a) : (b))
#define SCRATCH_KEY		MAX2(sizeof(__u64), sizeof(struct ctop_exit_key))
#define SCRATCH_VAL		MAX2(sizeof(struct ctop_proc_state), sizeof(struct ctop_exit_rec))

struct ctop_loader {
	struct ctop_bpf *skel;
	struct bpf_link *iter_link;
	const struct ctop_task_rec *walk;	/* the walk's records, mapped; or NULL */
	size_t walk_cap, walk_bytes;
	struct ctop_u64map walk_tids;		/* scratch: a full walk's, to merge */
	struct ring_buffer *rb;
	struct ctop_raw *draining;	/* the raw the ring buffer callback fills */
	void *keys;			/* scratch for batch lookups */
	void *vals;
	bool procs_read;		/* raw->procs holds the map as of procs_gen */
	bool no_procs;			/* the procs map is never read */
	__u64 procs_gen;
	struct ctop_probes probes;
	struct ctop_thread_totals *totals;	/* the legacy object's, else NULL */
};

/*
 * libbpf's print callback takes no context, so its warnings of the load
 * under way are kept here: they hold the verifier's log of a refused
 * program, which the user needs to see. The one exception to core/
 * having no globals.
 */
static __thread char *libbpf_log;
static __thread size_t libbpf_log_len, libbpf_log_used;

static int libbpf_collect(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level != LIBBPF_WARN || !libbpf_log || libbpf_log_used + 1 >= libbpf_log_len)
		return 0;
	n = vsnprintf(libbpf_log + libbpf_log_used, libbpf_log_len - libbpf_log_used, fmt, ap);
	if (n > 0)
		libbpf_log_used += (size_t)n < libbpf_log_len - libbpf_log_used ?
					   (size_t)n : libbpf_log_len - libbpf_log_used - 1;
	return 0;
}

/*
 * The cause in a failed load's log: the verifier's own last word (the
 * line before its "processed N insns" summary) for a refused program,
 * else libbpf's first warning. Copies one line into out.
 */
static void log_reason(const char *log, char *out, size_t outlen)
{
	const char *begin = strstr(log, "-- BEGIN PROG LOAD LOG --");
	const char *p, *line = NULL;

	if (begin) {
		for (p = strchr(begin, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
			if (!strncmp(p + 1, "processed ", 10) || !strncmp(p + 1, "-- END", 6))
				break;
			line = p + 1;
		}
	}
	if (!line)
		line = strncmp(log, "libbpf: ", 8) ? log : log + 8;
	snprintf(out, outlen, "%.*s", (int)strcspn(line, "\n"), line);
}

void ctop_raw_fini(struct ctop_raw *raw)
{
	free(raw->tasks);
	free(raw->procs);
	free(raw->cgroups);
	free(raw->events);
	memset(raw, 0, sizeof(*raw));
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct ctop_loader *l = ctx;
	struct ctop_raw *raw = l->draining;

	if (size < sizeof(struct ctop_event))
		return 0;
	if (ctop_grow((void **)&raw->events, &raw->events_cap, raw->nevents + 1,
		      sizeof(*raw->events)))
		return -ENOMEM;
	memcpy(&raw->events[raw->nevents++], data, sizeof(struct ctop_event));
	return 0;
}

/* Effective capabilities, from /proc/self/status; 0 when unreadable. */
static uint64_t cap_eff(void)
{
	char buf[8192];
	uint64_t caps = 0;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || ctop_proc_cap_eff(buf, (size_t)n, &caps))
		return 0;
	return caps;
}

#define CAP_SYS_ADMIN_BIT	21
#define CAP_PERFMON_BIT		38
#define CAP_BPF_BIT		39

static int check_support(char *err, size_t errlen)
{
	uint64_t caps = cap_eff();
	bool bpf_caps = (caps >> CAP_BPF_BIT & 1) && (caps >> CAP_PERFMON_BIT & 1);

	if (geteuid() != 0 && !bpf_caps && !(caps >> CAP_SYS_ADMIN_BIT & 1)) {
		snprintf(err, errlen,
			 "must run as root (or with CAP_SYS_ADMIN): try sudo ctop-bpf");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		snprintf(err, errlen,
			 "the kernel has no BTF (/sys/kernel/btf/vmlinux is missing): "
			 "use a kernel built with CONFIG_DEBUG_INFO_BTF=y");
		return -ENOTSUP;
	}
	return 0;
}

#define MOV0		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 }
#define EXIT		{ .code = BPF_JMP | BPF_EXIT }

/*
 * Whether this kernel lets us attach fexit programs: some refuse them
 * (lockdown, or a kernel that lets only PID 1 load them) while loading
 * every other kind. An empty program on vfs_read answers it.
 */
static bool fexit_works(const struct btf *vmlinux)
{
	struct bpf_insn insns[] = { MOV0, EXIT };
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = BPF_TRACE_FEXIT);
	int id = btf__find_by_name_kind(vmlinux, "vfs_read", BTF_KIND_FUNC);
	int fd, link;

	if (id < 0)
		return false;
	o.attach_btf_id = (__u32)id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "ctop_probe", "GPL", insns, 2, &o);
	if (fd < 0)
		return false;
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link >= 0)
		close(link);
	close(fd);
	return link >= 0;
}

/* Atomic exchange (5.12), tried on the stack of a socket filter. */
static bool xchg_works(void)
{
	struct bpf_insn insns[] = {
		MOV0,
		{ .code = BPF_STX | BPF_MEM | BPF_DW, .dst_reg = BPF_REG_10, .off = -8 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = 1 },
		{ .code = BPF_STX | BPF_ATOMIC | BPF_DW, .dst_reg = BPF_REG_10,
		  .src_reg = BPF_REG_1, .off = -8, .imm = BPF_XCHG },
		MOV0,
		EXIT,
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "ctop_probe", "GPL", insns,
			       ARRAY_LEN(insns), NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * Whether the main object loads here; if not, the legacy one does
 * (bpf/compat.bpf.h names what it works around).
 */
static bool needs_legacy(void)
{
	return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) != 1 ||
	       libbpf_probe_bpf_helper(BPF_PROG_TYPE_SOCKET_FILTER, BPF_FUNC_loop, NULL) != 1 ||
	       !xchg_works();
}

static bool has_func(const struct btf *b, const char *name)
{
	return btf__find_by_name_kind(b, name, BTF_KIND_FUNC) > 0;
}

static bool has_member(const struct btf *b, const char *type, const char *member)
{
	int id = btf__find_by_name_kind(b, type, BTF_KIND_STRUCT);
	const struct btf_type *t;
	const struct btf_member *m;
	int i;

	if (id < 0)
		return false;
	t = btf__type_by_id(b, (__u32)id);
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t); i++, m++)
		if (!strcmp(btf__name_by_offset(b, m->name_off), member))
			return true;
	return false;
}

/* The functions each fexit probe needs; all of them, or the probe is not there. */
static const char *const file_funcs[] = {
	"vfs_read", "vfs_write", "vfs_readv", "vfs_writev", "do_splice_direct", "do_splice",
};
static const char *const net_funcs[] = {
	"inet_sendmsg", "inet6_sendmsg", "inet_recvmsg", "inet6_recvmsg",
};

static bool has_funcs(const struct btf *b, const char *const *names, size_t n)
{
	while (n--)
		if (!has_func(b, names[n]))
			return false;
	return true;
}

struct kernel_caps {
	bool fexit, sock_tp, ioac, file_funcs, net_funcs, sendpage, splice_read, legacy;
	bool rdonly_cast, walk;
};

/*
 * Picks each probe: the request if this kernel has it, else the cheapest
 * that keeps the meaning (see the man page's PROBES). -ENOTSUP with err
 * naming what is missing for a request the kernel cannot meet.
 */
static int choose(const struct kernel_caps *k, const struct ctop_loader_opts *o,
		  struct ctop_probes *p, char *err, size_t errlen)
{
	bool fexit_file = k->fexit && k->file_funcs, fexit_net = k->fexit && k->net_funcs;

	*p = o->want;
	if (p->net == CTOP_PROBE_AUTO)
		p->net = k->sock_tp ? CTOP_PROBE_TRACEPOINT : fexit_net ? CTOP_PROBE_FEXIT :
			 o->light ? CTOP_PROBE_OFF : CTOP_PROBE_SYSCALL;
	if (p->file == CTOP_PROBE_AUTO)
		p->file = o->light ? CTOP_PROBE_OFF : fexit_file ? CTOP_PROBE_FEXIT :
			  CTOP_PROBE_SYSCALL;
	if (p->storage == CTOP_PROBE_AUTO)
		p->storage = k->ioac ? CTOP_PROBE_IOAC : CTOP_PROBE_OFF;
	p->legacy = k->legacy || o->legacy;
	if (p->tasks == CTOP_PROBE_AUTO)
		p->tasks = k->walk && !p->legacy ? CTOP_PROBE_WALK : CTOP_PROBE_ITER;

	if (o->light && (p->net == CTOP_PROBE_SYSCALL || p->file == CTOP_PROBE_SYSCALL)) {
		snprintf(err, errlen, "--light attaches nothing on the system-call path: "
			 "drop --light or the syscall probe");
		return -EINVAL;
	}
	if (p->net == CTOP_PROBE_TRACEPOINT && !k->sock_tp) {
		snprintf(err, errlen, "net=tracepoint needs the sock_send_length and "
			 "sock_recv_length tracepoints of Linux 6.3+");
		return -ENOTSUP;
	}
	if ((p->net == CTOP_PROBE_FEXIT && !fexit_net) ||
	    (p->file == CTOP_PROBE_FEXIT && !fexit_file)) {
		snprintf(err, errlen, "the fexit probes need a kernel that lets us attach fexit "
			 "programs (%s)", k->fexit ? "some functions they hook are missing" :
			 "this one refuses them, e.g. under lockdown");
		return -ENOTSUP;
	}
	if (p->tasks == CTOP_PROBE_WALK && (!k->walk || p->legacy)) {
		snprintf(err, errlen, "tasks=walk needs the open-coded task iterator of Linux "
			 "6.7+ (bpf_iter_task_new)%s", p->legacy ? " and not the legacy object" : "");
		return -ENOTSUP;
	}
	if (p->storage == CTOP_PROBE_IOAC && !k->ioac) {
		snprintf(err, errlen, "storage=ioac needs a kernel with task IO accounting "
			 "(CONFIG_TASK_IO_ACCOUNTING)");
		return -ENOTSUP;
	}
	return 0;
}

static void autoload(struct ctop_bpf *skel, const struct ctop_probes *p,
		     const struct kernel_caps *k)
{
	bool tp = p->net == CTOP_PROBE_TRACEPOINT, fx = p->net == CTOP_PROBE_FEXIT;
	bool file = p->file == CTOP_PROBE_FEXIT;
	struct bpf_program *f[] = {
		skel->progs.ctop_vfs_read, skel->progs.ctop_vfs_write,
		skel->progs.ctop_vfs_readv, skel->progs.ctop_vfs_writev,
		skel->progs.ctop_splice_direct, skel->progs.ctop_splice,
	};
	struct bpf_program *n[] = {
		skel->progs.ctop_inet_sendmsg, skel->progs.ctop_inet6_sendmsg,
		skel->progs.ctop_inet_recvmsg, skel->progs.ctop_inet6_recvmsg,
	};
	size_t i;

	skel->rodata->sys_net = p->net == CTOP_PROBE_SYSCALL;
	skel->rodata->sys_disk = p->file == CTOP_PROBE_SYSCALL;
	bpf_program__set_autoload(skel->progs.ctop_sys_exit,
				  skel->rodata->sys_net || skel->rodata->sys_disk);
	bpf_program__set_autoload(skel->progs.ctop_sock_send, tp);
	bpf_program__set_autoload(skel->progs.ctop_sock_recv, tp);
	for (i = 0; i < ARRAY_LEN(n); i++)
		bpf_program__set_autoload(n[i], fx);
	bpf_program__set_autoload(skel->progs.ctop_inet_sendpage, fx && k->sendpage);
	/* The one gap of both socket probes, closed where fexit works. */
	bpf_program__set_autoload(skel->progs.ctop_tcp_splice_read,
				  (tp || fx) && k->fexit && k->splice_read);
	for (i = 0; i < ARRAY_LEN(f); i++)
		bpf_program__set_autoload(f[i], file);
	bpf_program__set_autoload(skel->progs.ctop_walk_tasks, p->tasks == CTOP_PROBE_WALK);
}

static int probe_kernel(struct kernel_caps *k, char *err, size_t errlen)
{
	struct btf *b = btf__load_vmlinux_btf();

	if (!b) {
		snprintf(err, errlen, "cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s",
			 strerror(errno));
		return -errno;
	}
	/* What no fallback replaces: both came in 5.8. */
	if (!has_func(b, "bpf_iter_task") ||
	    libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) != 1) {
		btf__free(b);
		snprintf(err, errlen, "this kernel has no BPF task iterator or ring buffer "
			 "(Linux 5.8): ctop-bpf needs Linux 5.10 or later");
		return -ENOTSUP;
	}
	k->fexit = fexit_works(b);
	k->sock_tp = btf__find_by_name_kind(b, "btf_trace_sock_send_length", BTF_KIND_TYPEDEF) > 0;
	k->ioac = has_member(b, "task_struct", "ioac");
	k->file_funcs = has_funcs(b, file_funcs, ARRAY_LEN(file_funcs));
	k->net_funcs = has_funcs(b, net_funcs, ARRAY_LEN(net_funcs));
	/* Gone in 6.5 (sendpage became sendmsg with MSG_SPLICE_PAGES). */
	k->sendpage = has_func(b, "inet_sendpage");
	k->splice_read = has_func(b, "tcp_splice_read");
	k->legacy = needs_legacy();
	k->rdonly_cast = has_func(b, "bpf_rdonly_cast");
	k->walk = has_func(b, "bpf_iter_task_new") && has_func(b, "bpf_rcu_read_lock") &&
		  libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SYSCALL, NULL) == 1;
	btf__free(b);
	return 0;
}

int ctop_loader_choose(const struct ctop_loader_opts *o, struct ctop_probes *out, char *err,
		       size_t errlen)
{
	struct kernel_caps caps = { 0 };
	int ret = check_support(err, errlen);

	if (!ret)
		ret = probe_kernel(&caps, err, errlen);
	return ret ? ret : choose(&caps, o, out, err, errlen);
}

/*
 * Room for twice the threads the host has now (the fourth field of
 * /proc/loadavg counts them), at least 8192 and at most 131072 (15 MiB of
 * kernel memory): 120 bytes each. A walk that finds more stops there and
 * the iterator reports the rest.
 */
static size_t walk_room(unsigned asked)
{
	unsigned long threads = 0;
	FILE *f;

	if (asked)
		return asked;
	f = fopen("/proc/loadavg", "re");
	if (f) {
		if (fscanf(f, "%*s %*s %*s %*u/%lu", &threads) != 1)
			threads = 0;
		fclose(f);
	}
	threads *= 2;
	return threads < 8192 ? 8192 : threads > CTOP_MAX_PROCS * 2 ? CTOP_MAX_PROCS * 2 : threads;
}

/*
 * The main object, or the legacy one under the main one's skeleton: it is
 * built from the same source, so it has the same maps, programs and
 * globals, and the build checks that the globals are laid out alike.
 */
static struct ctop_bpf *open_object(bool legacy)
{
	struct ctop_bpf *obj;
	int err;

	if (!legacy)
		return ctop_bpf__open();
	obj = calloc(1, sizeof(*obj));
	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}
	err = ctop_bpf__create_skeleton(obj);
	if (!err) {
		obj->skeleton->data = (void *)ctop_legacy_bpf__elf_bytes(&obj->skeleton->data_sz);
		err = bpf_object__open_skeleton(obj->skeleton, NULL);
	}
	if (err) {
		ctop_bpf__destroy(obj);
		errno = -err;
		return NULL;
	}
	return obj;
}

int ctop_loader_new(struct ctop_loader **out, const struct ctop_loader_opts *o, char *err,
		    size_t errlen)
{
	struct ctop_loader *l = NULL;
	long page = sysconf(_SC_PAGESIZE);
	struct kernel_caps caps = { 0 };
	char reason[512], *own = NULL, *log = o->log;
	size_t loglen = o->loglen;
	int ret;

	*out = NULL;
	ret = check_support(err, errlen);
	if (ret)
		return ret;
	/* The reason for a refusal is in the log: keep one even if not asked to. */
	if (!log || !loglen) {
		loglen = 64 * 1024;
		log = own = malloc(loglen);
		if (!log)
			loglen = 0;
	}
	if (log)
		log[0] = '\0';
	libbpf_log = log;
	libbpf_log_len = loglen;
	libbpf_log_used = 0;
	libbpf_set_print(libbpf_collect);

	l = calloc(1, sizeof(*l));
	if (!l) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	l->no_procs = o->no_procs;
	ret = probe_kernel(&caps, err, errlen);
	if (ret)
		goto fail;
	ret = choose(&caps, o, &l->probes, err, errlen);
	if (ret)
		goto fail;
	if (l->probes.legacy) {
		ret = ctop_thread_totals_new(&l->totals);
		if (ret) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
	}
	l->skel = open_object(l->probes.legacy);
	if (!l->skel) {
		ret = -errno;
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(-ret));
		goto fail;
	}
	l->skel->rodata->page_size = page > 0 ? (__u64)page : 4096;
	ret = libbpf_num_possible_cpus();
	l->skel->rodata->nr_cpus = ret > 0 ? (__u32)ret : 1;
	l->skel->rodata->rss_central = o->rss_central;
	l->skel->rodata->rss_cast = caps.rdonly_cast && !l->probes.legacy;
	autoload(l->skel, &l->probes, &caps);
	if (l->probes.tasks == CTOP_PROBE_WALK) {
		l->walk_cap = walk_room(o->walk_cap);
		ret = bpf_map__set_max_entries(l->skel->maps.walk_recs, (__u32)l->walk_cap);
		if (ret) {
			snprintf(err, errlen, "cannot size the walk's array (%s)", strerror(-ret));
			goto fail;
		}
	}
	if (o->ringbuf_bytes) {
		ret = bpf_map__set_max_entries(l->skel->maps.events, o->ringbuf_bytes);
		if (ret) {
			snprintf(err, errlen, "bad ring buffer size %u", o->ringbuf_bytes);
			goto fail;
		}
	}

	ret = ctop_bpf__load(l->skel);
	if (ret == -EPERM) {
		snprintf(err, errlen, "the kernel does not let this process load BPF programs: "
			 "run as root, or add CAP_SYS_ADMIN (CAP_BPF and CAP_PERFMON alone "
			 "are not enough on some kernels)");
		goto fail;
	}
	if (ret) {
		log_reason(log ? log : "", reason, sizeof(reason));
		snprintf(err, errlen, "the kernel refused the BPF programs (%s): %s "
			 "(-v shows the verifier's whole log; ctop-bpf needs Linux 5.10+ with BTF)",
			 strerror(-ret), reason[0] ? reason : "no reason given");
		goto fail;
	}
	ret = ctop_bpf__attach(l->skel);
	if (ret) {
		log_reason(log ? log : "", reason, sizeof(reason));
		snprintf(err, errlen, "cannot attach the BPF programs (%s): %s", strerror(-ret),
			 reason[0] ? reason : "no reason given");
		goto fail;
	}
	l->iter_link = bpf_program__attach_iter(l->skel->progs.ctop_iter_task, NULL);
	if (!l->iter_link) {
		ret = -errno;
		snprintf(err, errlen, "cannot attach the task iterator (%s)", strerror(-ret));
		goto fail;
	}
	if (l->walk_cap) {
		long pg = page > 0 ? page : 4096;

		l->walk_bytes = (l->walk_cap * sizeof(struct ctop_task_rec) + (size_t)pg - 1) /
				(size_t)pg * (size_t)pg;
		l->walk = mmap(NULL, l->walk_bytes, PROT_READ, MAP_SHARED,
			       bpf_map__fd(l->skel->maps.walk_recs), 0);
		if (l->walk == MAP_FAILED) {
			ret = -errno;
			l->walk = NULL;
			snprintf(err, errlen, "cannot map the walk's array (%s)", strerror(-ret));
			goto fail;
		}
	}
	l->rb = ring_buffer__new(bpf_map__fd(l->skel->maps.events), on_event, l, NULL);
	if (!l->rb) {
		ret = -errno;
		snprintf(err, errlen, "cannot open the ring buffer (%s)", strerror(-ret));
		goto fail;
	}
	l->keys = malloc(CTOP_MAX_PROCS * SCRATCH_KEY);
	l->vals = malloc(CTOP_MAX_PROCS * SCRATCH_VAL);
	if (!l->keys || !l->vals) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	*out = l;
	libbpf_log = NULL;
	free(own);
	return 0;
fail:
	libbpf_log = NULL;
	free(own);
	ctop_loader_free(l);
	return ret;
}

void ctop_loader_probes(const struct ctop_loader *l, struct ctop_probes *out)
{
	*out = l->probes;
}

void ctop_loader_free(struct ctop_loader *l)
{
	if (!l)
		return;
	ring_buffer__free(l->rb);
	if (l->walk)
		munmap((void *)l->walk, l->walk_bytes);
	ctop_u64map_fini(&l->walk_tids);
	bpf_link__destroy(l->iter_link);
	ctop_bpf__destroy(l->skel);
	ctop_thread_totals_free(l->totals);
	free(l->keys);
	free(l->vals);
	free(l);
}

/* The iterator's records, after those raw->tasks has. */
static int read_iter(struct ctop_loader *l, struct ctop_raw *raw)
{
	int fd, ret = 0;
	ssize_t n;

	fd = bpf_iter_create(bpf_link__fd(l->iter_link));
	if (fd < 0)
		return -errno;
	for (;;) {
		/* Large reads: the kernel fills up to its seq buffer per call. */
		if (ctop_grow((void **)&raw->tasks, &raw->tasks_cap, raw->ntasks + 1024,
			 sizeof(*raw->tasks))) {
			ret = -ENOMEM;
			break;
		}
		n = read(fd, raw->tasks + raw->ntasks,
			 (raw->tasks_cap - raw->ntasks) * sizeof(*raw->tasks));
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		raw->ntasks += (size_t)n / sizeof(*raw->tasks);
	}
	close(fd);
	return ret;
}

/*
 * After a full walk, the iterator's records (raw->tasks from first on)
 * merged into the walk's: a task both report keeps one record, with both
 * deltas (the walk took its marks, so the iterator's are what came since).
 */
static int merge_iter(struct ctop_loader *l, struct ctop_raw *raw, size_t first)
{
	struct ctop_task_rec *w, *r;
	size_t i, out = first;
	uint32_t *at;
	int k;

	ctop_u64map_clear(&l->walk_tids);
	for (i = 0; i < first; i++)
		if (ctop_u64map_put(&l->walk_tids, raw->tasks[i].tid, (uint32_t)i))
			return -ENOMEM;
	for (i = first; i < raw->ntasks; i++) {
		r = &raw->tasks[i];
		at = ctop_u64map_get(&l->walk_tids, r->tid);
		w = at ? &raw->tasks[*at] : NULL;
		if (!w || w->start_ns != r->start_ns) {
			raw->tasks[out++] = *r;
			continue;
		}
		w->cpu_delta_ns += r->cpu_delta_ns;
		for (k = 0; k < CTOP_IO__COUNT; k++)
			w->io_delta[k] += r->io_delta[k];
	}
	raw->ntasks = out;
	return 0;
}

/*
 * One run of the walk program, its records copied out of the array; if it
 * had no room for them all, the iterator's too.
 */
static int read_walk(struct ctop_loader *l, struct ctop_raw *raw)
{
	DECLARE_LIBBPF_OPTS(bpf_test_run_opts, opts);
	size_t n;
	int ret;

	if (bpf_prog_test_run_opts(bpf_program__fd(l->skel->progs.ctop_walk_tasks), &opts))
		return -errno;
	n = l->skel->bss->walk_n;
	if (n > l->walk_cap)
		n = l->walk_cap;
	if (ctop_grow((void **)&raw->tasks, &raw->tasks_cap, n, sizeof(*raw->tasks)))
		return -ENOMEM;
	memcpy(raw->tasks, l->walk, n * sizeof(*raw->tasks));
	raw->ntasks = n;
	if (!l->skel->bss->walk_full)
		return 0;
	ret = read_iter(l, raw);
	if (!ret)
		ret = merge_iter(l, raw, n);
	if (ret)
		return ret;
	/* Every task seen since the walk began: the next may trust its clocks. */
	memcpy(l->skel->bss->walk_clock.prev, l->skel->bss->walk_clock.now,
	       sizeof(l->skel->bss->walk_clock.prev));
	l->skel->bss->walk_clock.ok = 1;
	return 0;
}

/*
 * Reads a whole hash map with bpf_map_lookup_batch (and deletes what it
 * read, with take): one system call per few thousand entries instead of
 * one per entry. Returns the count or -errno.
 */
static long read_map(int fd, char *keys, size_t ksz, char *vals, size_t vsz, __u32 max,
		     bool take)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u64 in = 0, out = 0;
	__u32 total = 0, count;
	bool first = true;
	int ret;

	while (total < max) {
		count = max - total;
		ret = (take ? bpf_map_lookup_and_delete_batch : bpf_map_lookup_batch)(
			fd, first ? NULL : &in, &out, keys + total * ksz, vals + total * vsz,
			&count, &opts);
		if (ret < 0 && errno != ENOENT)
			return -errno;
		total += count;
		if (ret < 0)
			break;
		in = out;
		first = false;
	}
	return total;
}

/*
 * The procs map, unless nothing userspace reads in it changed since the
 * last read: the count is taken first, so a change during the read makes
 * the next one read again.
 */
static int read_procs(struct ctop_loader *l, struct ctop_raw *raw)
{
	__u64 gen = __atomic_load_n(&l->skel->bss->procs_gen, __ATOMIC_ACQUIRE);
	long n, i;

	raw->procs_new = false;
	if (l->procs_read && gen == l->procs_gen)
		return 0;
	n = read_map(bpf_map__fd(l->skel->maps.procs), l->keys, sizeof(__u32), l->vals,
		     sizeof(struct ctop_proc_state), CTOP_MAX_PROCS, false);
	if (n < 0)
		return (int)n;
	if (ctop_grow((void **)&raw->procs, &raw->procs_cap, (size_t)n, sizeof(*raw->procs)))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		raw->procs[i].pid = ((__u32 *)l->keys)[i];
		raw->procs[i].pad = 0;
		raw->procs[i].v = ((struct ctop_proc_state *)l->vals)[i];
	}
	raw->nprocs = (size_t)n;
	raw->procs_new = true;
	l->procs_read = true;
	l->procs_gen = gen;
	return 0;
}

static int read_cgroups(struct ctop_loader *l, struct ctop_raw *raw)
{
	long n, i;

	n = read_map(bpf_map__fd(l->skel->maps.cgroups), l->keys, sizeof(__u64), l->vals,
		     sizeof(struct ctop_cg_state), CTOP_MAX_CGROUPS, false);
	if (n < 0)
		return (int)n;
	if (ctop_grow((void **)&raw->cgroups, &raw->cgroups_cap, (size_t)n, sizeof(*raw->cgroups)))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		raw->cgroups[i].cgid = ((__u64 *)l->keys)[i];
		raw->cgroups[i].v = ((struct ctop_cg_state *)l->vals)[i];
	}
	raw->ncgroups = (size_t)n;
	return 0;
}

/* The legacy object's exits, after the iterator (see thread_totals.h). */
static int take_exits(struct ctop_loader *l, struct ctop_raw *raw)
{
	long n = read_map(bpf_map__fd(l->skel->maps.exits), l->keys, sizeof(struct ctop_exit_key),
			  l->vals, sizeof(struct ctop_exit_rec), CTOP_MAX_PROCS, true);

	if (n < 0)
		return (int)n;
	return ctop_thread_totals_apply(l->totals, raw, l->vals, (size_t)n);
}

int ctop_loader_read(struct ctop_loader *l, struct ctop_raw *raw)
{
	int ret;

	raw->nevents = 0;
	l->draining = raw;
	ret = ring_buffer__consume(l->rb);
	if (ret < 0)
		return ret;
	raw->ntasks = 0;
	ret = l->walk ? read_walk(l, raw) : read_iter(l, raw);
	if (ret)
		return ret;
	l->skel->bss->seeded = true;
	if (l->totals)
		ret = take_exits(l, raw);
	if (!ret && !l->no_procs)
		ret = read_procs(l, raw);
	if (!ret)
		ret = read_cgroups(l, raw);
	if (ret)
		return ret;
	raw->drops = l->skel->bss->drops;
	return 0;
}

void ctop_loader_forget_cgroup(struct ctop_loader *l, __u64 cgid)
{
	bpf_map_delete_elem(bpf_map__fd(l->skel->maps.cgroups), &cgid);
}
