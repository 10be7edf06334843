// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "aggregate.h"
#include "collector.h"
#include "container.h"
#include "loader.h"
#include "procfs.h"

struct ctop_collector {
	struct ctop_source src;
	struct ctop_loader *loader;
	struct ctop_agg *agg;
	struct ctop_cgroup_index *index;
	struct ctop_raw raw;
	struct ctop_host host;
	char root[256];
};

static enum ctop_resolve resolve(void *ud, uint64_t cgid, struct ctop_container *row)
{
	struct ctop_collector *c = ud;
	struct ctop_container_meta meta;
	struct ctop_cgroup_info ci;
	const char *path = ctop_cgroup_index_lookup(c->index, cgid);

	if (!path)
		return CTOP_RESOLVE_UNKNOWN;
	if (!ctop_cgroup_parse(path, &ci) && !ctop_cgroup_parse_other(path, &ci))
		return CTOP_RESOLVE_HOST;
	snprintf(row->id, sizeof(row->id), "%s", ci.id);
	snprintf(row->runtime, sizeof(row->runtime), "%s", ctop_runtime_name(ci.runtime));
	snprintf(row->cgroup, sizeof(row->cgroup), "%.*s", (int)ci.prefix_len, path);
	ctop_meta_read(c->root, &ci, &meta);
	if (meta.name[0])
		snprintf(row->name, sizeof(row->name), "%s", meta.name);
	else if (ci.name[0])
		snprintf(row->name, sizeof(row->name), "%s", ci.name);
	else
		snprintf(row->name, sizeof(row->name), "%.12s", ci.id);
	snprintf(row->image, sizeof(row->image), "%s", meta.image);
	snprintf(row->pod, sizeof(row->pod), "%s", meta.pod);
	snprintf(row->ns, sizeof(row->ns), "%s", meta.ns);
	return CTOP_RESOLVE_CONTAINER;
}

static void rescan(void *ud)
{
	struct ctop_collector *c = ud;

	ctop_cgroup_index_rescan(c->index);
}

static void forget(void *ud, uint64_t cgid)
{
	struct ctop_collector *c = ud;

	ctop_loader_forget_cgroup(c->loader, cgid);
}

/* /proc/<pid>/cmdline with its NULs turned into spaces. */
static int read_cmdline(void *ud, uint32_t pid, char *buf, size_t len)
{
	char path[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	ctop_proc_tidy_cmdline(buf, (size_t)n);
	return 0;
}

static void read_meminfo(struct ctop_host *h)
{
	unsigned long long total = 0, avail = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemTotal: %llu kB", &total);
		sscanf(line, "MemAvailable: %llu kB", &avail);
	}
	fclose(f);
	h->mem_total_bytes = total * 1024;
	h->mem_used_bytes = (total - (avail < total ? avail : total)) * 1024;
}

static struct ctop_collector *of_source(struct ctop_source *src)
{
	return (struct ctop_collector *)((char *)src - offsetof(struct ctop_collector, src));
}

static int source_next(struct ctop_source *src, double now_mono, double now_wall,
		       const struct ctop_snapshot **out)
{
	return ctop_collector_sample(of_source(src), now_mono, now_wall, out);
}

static void source_free(struct ctop_source *src)
{
	ctop_collector_free(of_source(src));
}

static const struct ctop_source_ops source_ops = { source_next, source_free };

static void loader_opts(const struct ctop_collector_opts *opts, struct ctop_loader_opts *lo)
{
	lo->ringbuf_bytes = opts->ringbuf_bytes;
	lo->want = opts->probes;
	lo->light = opts->light;
	lo->legacy = opts->legacy;
	lo->rss_central = opts->rss_central;
	lo->log = opts->log;
	lo->loglen = opts->loglen;
}

int ctop_collector_probes(const struct ctop_collector_opts *opts, struct ctop_probes *out,
			  char *err, size_t errlen)
{
	struct ctop_loader_opts lo = { 0 };

	loader_opts(opts, &lo);
	return ctop_loader_choose(&lo, out, err, errlen);
}

struct ctop_collector *ctop_collector_new(const struct ctop_collector_opts *opts, char *err,
					  size_t errlen)
{
	struct ctop_agg_ops ops = { resolve, rescan, forget, NULL, NULL };
	struct ctop_loader_opts lo = { 0 };
	struct ctop_collector *c;
	struct utsname uts;
	char mount[256];
	int ret;

	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->src.ops = &source_ops;
	c->src.name = "the kernel's counters";
	snprintf(c->root, sizeof(c->root), "%s", opts->root ? opts->root : "/");
	if (ctop_cgroup2_mount("/proc/self/mountinfo", mount, sizeof(mount))) {
		snprintf(err, errlen, "no cgroup v2 hierarchy is mounted: mount one with "
			 "'mount -t cgroup2 none /sys/fs/cgroup/unified'");
		goto fail;
	}
	c->index = ctop_cgroup_index_new(mount);
	if (!c->index) {
		snprintf(err, errlen, "cannot read the cgroup hierarchy at %s", mount);
		goto fail;
	}
	loader_opts(opts, &lo);
	ret = ctop_loader_new(&c->loader, &lo, err, errlen);
	if (ret)
		goto fail;
	ctop_loader_probes(c->loader, &c->host.probes);
	ops.ud = c;
	if (opts->cmdlines)
		ops.cmdline = read_cmdline;
	c->agg = ctop_agg_new(&ops, opts->ewma_alpha);
	if (!c->agg) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (uname(&uts) == 0) {
		snprintf(c->host.hostname, sizeof(c->host.hostname), "%s", uts.nodename);
		snprintf(c->host.kernel, sizeof(c->host.kernel), "%s", uts.release);
	}
	c->host.cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	return c;
fail:
	ctop_collector_free(c);
	return NULL;
}

void ctop_collector_free(struct ctop_collector *c)
{
	if (!c)
		return;
	ctop_agg_free(c->agg);
	ctop_loader_free(c->loader);
	ctop_cgroup_index_free(c->index);
	ctop_raw_fini(&c->raw);
	free(c);
}

int ctop_collector_start(struct ctop_collector *c, double now_mono)
{
	const struct ctop_snapshot *none;
	int ret;

	ret = ctop_loader_read(c->loader, &c->raw);
	if (ret)
		return ret;
	return ctop_agg_ingest(c->agg, &c->raw, now_mono, 0, &c->host, &none);
}

int ctop_collector_sample(struct ctop_collector *c, double now_mono, double now_wall,
			  const struct ctop_snapshot **out)
{
	int ret;

	*out = NULL;
	ret = ctop_loader_read(c->loader, &c->raw);
	if (ret)
		return ret;
	read_meminfo(&c->host);
	return ctop_agg_ingest(c->agg, &c->raw, now_mono, now_wall, &c->host, out);
}

struct ctop_source *ctop_collector_source(struct ctop_collector *c)
{
	return &c->src;
}
