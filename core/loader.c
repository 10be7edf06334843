// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "grow.h"
#include "loader.h"
#include "ctop.skel.h"

_Static_assert(sizeof(struct ctop_proc_state) == 64, "ctop_proc_state layout");
_Static_assert(sizeof(struct ctop_cg_state) == 40, "ctop_cg_state layout");
_Static_assert(sizeof(struct ctop_task_rec) == 104, "ctop_task_rec layout");
_Static_assert(sizeof(struct ctop_event) == 24, "ctop_event layout");
_Static_assert(sizeof(struct ctop_drops) == 32, "ctop_drops layout");

struct ctop_loader {
	struct ctop_bpf *skel;
	struct bpf_link *iter_link;
	struct ring_buffer *rb;
	struct ctop_raw *draining;	/* the raw the ring buffer callback fills */
	void *keys;			/* scratch for batch lookups */
	void *vals;
	bool procs_read;		/* raw->procs holds the map as of procs_gen */
	__u64 procs_gen;
};

/*
 * libbpf's print callback takes no context, so the last warning it gave is
 * kept here to put into the error the user sees: the one exception to
 * core/ having no globals.
 */
static __thread char last_libbpf_msg[256];

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		vsnprintf(last_libbpf_msg, sizeof(last_libbpf_msg), fmt, ap);
		last_libbpf_msg[strcspn(last_libbpf_msg, "\n")] = '\0';
	}
	return 0;
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
static unsigned long long cap_eff(void)
{
	unsigned long long caps = 0;
	char line[128];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps;
}

#define CAP_SYS_ADMIN_BIT	21
#define CAP_PERFMON_BIT		38
#define CAP_BPF_BIT		39

static int check_support(char *err, size_t errlen)
{
	unsigned long long caps = cap_eff();
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

int ctop_loader_new(struct ctop_loader **out, unsigned ringbuf_bytes, char *err, size_t errlen)
{
	struct ctop_loader *l = NULL;
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	*out = NULL;
	ret = check_support(err, errlen);
	if (ret)
		return ret;
	libbpf_set_print(libbpf_quiet);

	l = calloc(1, sizeof(*l));
	if (!l) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	l->skel = ctop_bpf__open();
	if (!l->skel) {
		ret = -errno;
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(-ret));
		goto fail;
	}
	l->skel->rodata->page_size = page > 0 ? (__u64)page : 4096;
	if (ringbuf_bytes) {
		ret = bpf_map__set_max_entries(l->skel->maps.events, ringbuf_bytes);
		if (ret) {
			snprintf(err, errlen, "bad ring buffer size %u", ringbuf_bytes);
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
		snprintf(err, errlen,
			 "the kernel refused the BPF programs (%s)%s%s: ctop-bpf needs Linux 6.2+ "
			 "with BPF, BTF and task storage",
			 strerror(-ret), last_libbpf_msg[0] ? ": " : "", last_libbpf_msg);
		goto fail;
	}
	ret = ctop_bpf__attach(l->skel);
	if (ret) {
		snprintf(err, errlen, "cannot attach the BPF programs (%s)%s%s", strerror(-ret),
			 last_libbpf_msg[0] ? ": " : "", last_libbpf_msg);
		goto fail;
	}
	l->iter_link = bpf_program__attach_iter(l->skel->progs.ctop_iter_task, NULL);
	if (!l->iter_link) {
		ret = -errno;
		snprintf(err, errlen, "cannot attach the task iterator (%s)", strerror(-ret));
		goto fail;
	}
	l->rb = ring_buffer__new(bpf_map__fd(l->skel->maps.events), on_event, l, NULL);
	if (!l->rb) {
		ret = -errno;
		snprintf(err, errlen, "cannot open the ring buffer (%s)", strerror(-ret));
		goto fail;
	}
	l->keys = malloc(CTOP_MAX_PROCS * sizeof(__u64));
	l->vals = malloc(CTOP_MAX_PROCS * sizeof(struct ctop_proc_state));
	if (!l->keys || !l->vals) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	*out = l;
	return 0;
fail:
	ctop_loader_free(l);
	return ret;
}

void ctop_loader_free(struct ctop_loader *l)
{
	if (!l)
		return;
	ring_buffer__free(l->rb);
	bpf_link__destroy(l->iter_link);
	ctop_bpf__destroy(l->skel);
	free(l->keys);
	free(l->vals);
	free(l);
}

static int read_iter(struct ctop_loader *l, struct ctop_raw *raw)
{
	int fd, ret = 0;
	ssize_t n;

	fd = bpf_iter_create(bpf_link__fd(l->iter_link));
	if (fd < 0)
		return -errno;
	raw->ntasks = 0;
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
 * Reads a whole hash map with bpf_map_lookup_batch: one system call per
 * few thousand entries instead of one per entry. Returns the count or -errno.
 */
static long read_map(int fd, char *keys, size_t ksz, char *vals, size_t vsz, __u32 max)
{
	DECLARE_LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u64 in = 0, out = 0;
	__u32 total = 0, count;
	bool first = true;
	int ret;

	while (total < max) {
		count = max - total;
		ret = bpf_map_lookup_batch(fd, first ? NULL : &in, &out, keys + total * ksz,
					   vals + total * vsz, &count, &opts);
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

	if (l->procs_read && gen == l->procs_gen)
		return 0;
	n = read_map(bpf_map__fd(l->skel->maps.procs), l->keys, sizeof(__u32), l->vals,
		     sizeof(struct ctop_proc_state), CTOP_MAX_PROCS);
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
	l->procs_read = true;
	l->procs_gen = gen;
	return 0;
}

static int read_cgroups(struct ctop_loader *l, struct ctop_raw *raw)
{
	long n, i;

	n = read_map(bpf_map__fd(l->skel->maps.cgroups), l->keys, sizeof(__u64), l->vals,
		     sizeof(struct ctop_cg_state), CTOP_MAX_CGROUPS);
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

int ctop_loader_read(struct ctop_loader *l, struct ctop_raw *raw)
{
	int ret;

	raw->nevents = 0;
	l->draining = raw;
	ret = ring_buffer__consume(l->rb);
	if (ret < 0)
		return ret;
	ret = read_iter(l, raw);
	if (ret)
		return ret;
	l->skel->bss->seeded = true;
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
