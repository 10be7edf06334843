// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include "aggregate.h"
#include "collector.h"
#include "container.h"
#include "file_watch.h"
#include "grow.h"
#include "loader.h"
#include "procfs.h"
#include "u64map.h"

/*
 * What a container's runtime files said, kept to notice a rename: the
 * aggregator asks for a cgroup's names once, so each refresh stats the
 * file they came from and reads it again only when it changed.
 */
struct meta_entry {
	struct ctop_cgroup_info ci;
	struct ctop_container_meta meta;
	char name[CTOP_NAME_LEN];	/* the name shown */
	uint64_t seen;			/* last refresh that showed it */
	int wd;				/* meta.src's folder's watch, or -1 */
	uint32_t since;			/* the watch's poll when meta.src was last looked at */
};

/* Entries no refresh showed for this long are dropped. */
#define META_KEEP_REFRESHES 64
/* containerds are looked for again at most this often, when a guess misses. */
#define PLACES_EVERY_S 5.0

struct ctop_collector {
	struct ctop_source src;
	struct ctop_loader *loader;
	struct ctop_agg *agg;
	struct ctop_cgroup_index *index;
	struct ctop_raw raw;
	struct ctop_host host;
	char root[256];
	struct ctop_cg_v1_mounts v1;	/* hybrid hosts' controllers, "" where none */
	double now;			/* of the refresh being taken */
	struct ctop_meta_places places;
	double places_at;
	bool no_states;
	struct meta_entry *metas;
	size_t nmetas, metas_cap;
	struct ctop_u64map meta_index;	/* FNV-1a of the id -> metas index */
	struct ctop_file_watch watch;	/* the metas' files, for renames */
	uint64_t gen;
	/* each row's cgroup files, open between refreshes, up to cgf_max rows */
	struct cgf_entry *cgf;
	size_t ncgf, cgf_cap, cgf_max;
	struct ctop_u64map cgf_index;	/* FNV-1a of the cgroup path -> cgf index */
};

struct cgf_entry {
	char cgroup[CTOP_CGROUP_LEN];
	uint64_t seen;
	struct ctop_cg_files *files;
};

static uint64_t id_hash(const char *id)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 0x100000001b3ull;
	return h;
}

static struct meta_entry *meta_find(struct ctop_collector *c, const char *id)
{
	uint32_t *i = ctop_u64map_get(&c->meta_index, id_hash(id));

	return i && !strcmp(c->metas[*i].ci.id, id) ? &c->metas[*i] : NULL;
}

/*
 * Watches e's file. It was read before the watch was set, so the next
 * refresh looks at it once whatever the watch says.
 */
static void watch_meta(struct ctop_collector *c, struct meta_entry *e)
{
	e->wd = e->meta.src.path[0] ? ctop_file_watch_add(&c->watch, e->meta.src.path) : -1;
	e->since = 0;
}

/* Keeps what ci's files said; a lost allocation only loses rename tracking. */
static void meta_keep(struct ctop_collector *c, const struct ctop_cgroup_info *ci,
		      const struct ctop_container_meta *meta, const char *name)
{
	struct meta_entry *e = meta_find(c, ci->id);
	uint32_t *i;

	if (!e) {
		i = ctop_u64map_get(&c->meta_index, id_hash(ci->id));
		if (i) {
			e = &c->metas[*i];	/* a hash collision: the newer wins */
		} else {
			if (ctop_grow((void **)&c->metas, &c->metas_cap, c->nmetas + 1,
				      sizeof(*c->metas)) ||
			    ctop_u64map_put(&c->meta_index, id_hash(ci->id), (uint32_t)c->nmetas))
				return;
			e = &c->metas[c->nmetas++];
		}
	}
	e->ci = *ci;
	e->meta = *meta;
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->seen = c->gen;
	watch_meta(c, e);
}

static void meta_sweep(struct ctop_collector *c)
{
	size_t i = 0;

	while (i < c->nmetas) {
		if (c->metas[i].seen + META_KEEP_REFRESHES >= c->gen) {
			i++;
			continue;
		}
		ctop_u64map_del(&c->meta_index, id_hash(c->metas[i].ci.id));
		c->metas[i] = c->metas[--c->nmetas];
		if (i < c->nmetas)
			ctop_u64map_put(&c->meta_index, id_hash(c->metas[i].ci.id), (uint32_t)i);
	}
}

/* The name shown: the runtime's, the path's, or the id (a hex one's start). */
static void show_name(const struct ctop_cgroup_info *ci, const struct ctop_container_meta *meta,
		      char *buf, size_t len)
{
	if (meta->name[0])
		snprintf(buf, len, "%s", meta->name);
	else if (ci->name[0])
		snprintf(buf, len, "%s", ci->name);
	else if (ctop_is_hex_id(ci->id, strlen(ci->id)))
		snprintf(buf, len, "%.12s", ci->id);
	else
		snprintf(buf, len, "%s", ci->id);	/* ctr's ids are names */
}

/* The runtime's files for ci; looks for containerds again when a guess misses. */
static int read_meta(struct ctop_collector *c, const struct ctop_cgroup_info *ci,
		     struct ctop_container_meta *meta)
{
	int err = ctop_meta_read(c->root, &c->places, ci, meta);

	if (err && ci->runtime == CTOP_RT_CONTAINERD && c->now - c->places_at >= PLACES_EVERY_S) {
		c->places_at = c->now;
		ctop_meta_places_find(c->root, &c->places);	/* keeps cgroup2 */
		err = ctop_meta_read(c->root, &c->places, ci, meta);
	}
	return err;
}

/*
 * A v1 controller's directory for a container: the same path as in v2.
 * Where it is not there, reading its files fails and leaves the figures
 * out, so it is not looked for first.
 */
static const char *v1_dir(const char *mount, const char *cgroup, char *buf, size_t len)
{
	if (!mount[0] || snprintf(buf, len, "%s%s", mount, cgroup) >= (int)len)
		return NULL;
	return buf;
}

/*
 * The open files of cgroup's figures, kept for as long as a row has that
 * cgroup; NULL past cgf_max rows (descriptors) or out of memory, where
 * each read opens and closes its files.
 */
static struct ctop_cg_files *cgf_get(struct ctop_collector *c, const char *cgroup)
{
	uint32_t *i = ctop_u64map_get(&c->cgf_index, id_hash(cgroup));
	struct cgf_entry *e;
	char err[64];

	if (i && strcmp(c->cgf[*i].cgroup, cgroup))
		return NULL;	/* a hash collision: the other keeps its files */
	if (!i) {
		if (c->ncgf >= c->cgf_max ||
		    ctop_grow((void **)&c->cgf, &c->cgf_cap, c->ncgf + 1, sizeof(*c->cgf)))
			return NULL;
		e = &c->cgf[c->ncgf];
		if (ctop_cg_files_new(&e->files, err, sizeof(err)))
			return NULL;
		if (ctop_u64map_put(&c->cgf_index, id_hash(cgroup), (uint32_t)c->ncgf)) {
			ctop_cg_files_free(e->files);
			return NULL;
		}
		snprintf(e->cgroup, sizeof(e->cgroup), "%s", cgroup);
		c->ncgf++;
	} else {
		e = &c->cgf[*i];
	}
	e->seen = c->gen;
	return e->files;
}

/* Files of rows the last refresh did not show are closed. */
static void cgf_sweep(struct ctop_collector *c)
{
	size_t i = 0;

	while (i < c->ncgf) {
		if (c->cgf[i].seen + 1 >= c->gen) {
			i++;
			continue;
		}
		ctop_cg_files_free(c->cgf[i].files);
		ctop_u64map_del(&c->cgf_index, id_hash(c->cgf[i].cgroup));
		c->cgf[i] = c->cgf[--c->ncgf];
		if (i < c->ncgf)
			ctop_u64map_put(&c->cgf_index, id_hash(c->cgf[i].cgroup), (uint32_t)i);
	}
}

/*
 * How many rows may keep their cgroup files open: the soft limit on
 * descriptors is raised to the hard one, and half of it goes to them.
 */
static size_t cgf_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20))
		rl.rlim_cur = 1u << 20;
	return (size_t)rl.rlim_cur / 2 / ctop_cg_files_max_open();
}

static void cgroup_stats(void *ud, const struct ctop_container *row, struct ctop_cg_stats *out)
{
	struct ctop_collector *c = ud;
	char v2[1024], mem[1024], cpu[1024], cpuset[1024], frz[1024];
	struct ctop_cg_dirs d = { 0 };

	if (snprintf(v2, sizeof(v2), "%s%s", c->places.cgroup2, row->cgroup) < (int)sizeof(v2))
		d.v2 = v2;
	d.v1_memory = v1_dir(c->v1.memory, row->cgroup, mem, sizeof(mem));
	d.v1_cpu = v1_dir(c->v1.cpu, row->cgroup, cpu, sizeof(cpu));
	d.v1_cpuset = v1_dir(c->v1.cpuset, row->cgroup, cpuset, sizeof(cpuset));
	d.v1_freezer = v1_dir(c->v1.freezer, row->cgroup, frz, sizeof(frz));
	d.no_state = c->no_states;
	/* the refresh's own time: every container of it judged alike */
	ctop_cg_stats_read(&d, cgf_get(c, row->cgroup), (uint64_t)(c->now * 1e9), out);
}

static enum ctop_resolve resolve(void *ud, uint64_t cgid, struct ctop_container *row)
{
	struct ctop_collector *c = ud;
	struct ctop_container_meta meta;
	struct ctop_cgroup_info ci;
	const char *path = ctop_cgroup_index_lookup(c->index, cgid);
	bool known;

	if (!path)
		return CTOP_RESOLVE_UNKNOWN;
	known = ctop_cgroup_parse(path, &ci);
	/* A guess the runtime's files do not confirm is no container of it. */
	if (known && read_meta(c, &ci, &meta) && ci.confirm)
		known = false;
	if (!known) {
		if (!ctop_cgroup_parse_other(path, &ci))
			return CTOP_RESOLVE_HOST;
		ctop_meta_read(c->root, &c->places, &ci, &meta);
	}
	if (meta.runtime != CTOP_RT_NONE)
		ci.runtime = meta.runtime;
	snprintf(row->id, sizeof(row->id), "%s", ci.id);
	snprintf(row->runtime, sizeof(row->runtime), "%s", ctop_runtime_name(ci.runtime));
	snprintf(row->cgroup, sizeof(row->cgroup), "%.*s", (int)ci.prefix_len, path);
	show_name(&ci, &meta, row->name, sizeof(row->name));
	snprintf(row->image, sizeof(row->image), "%s", meta.image);
	snprintf(row->pod, sizeof(row->pod), "%s", meta.pod);
	snprintf(row->ns, sizeof(row->ns), "%s", meta.ns);
	meta_keep(c, &ci, &meta, row->name);
	return CTOP_RESOLVE_CONTAINER;
}

/*
 * Renames: a row whose runtime file changed gets its names read again.
 * The aggregator keeps the names it was given, so every row shown is set
 * from the cache, which the collector owns with the snapshot.
 */
static void refresh_names(struct ctop_collector *c, struct ctop_snapshot *snap)
{
	struct ctop_container_meta meta;
	struct meta_entry *e;
	uint32_t poll = ctop_file_watch_poll(&c->watch);
	size_t i;

	c->gen++;
	for (i = 0; i < snap->ncontainers; i++) {
		struct ctop_container *row = &snap->containers[i];

		e = meta_find(c, row->id);
		if (!e)
			continue;
		e->seen = c->gen;
		/* a stat() of the file only when its folder saw a change */
		if (ctop_file_watch_maybe(&c->watch, e->wd, e->since)) {
			e->since = poll;
			if (ctop_meta_changed(&e->meta)) {
				if (ctop_meta_read(c->root, &c->places, &e->ci, &meta) == 0) {
					e->meta = meta;
					show_name(&e->ci, &meta, e->name, sizeof(e->name));
				} else {
					e->meta.src.path[0] = '\0';	/* gone: keep the last names */
				}
				watch_meta(c, e);
			}
		}
		snprintf(row->name, sizeof(row->name), "%s", e->name);
		snprintf(row->image, sizeof(row->image), "%s", e->meta.image);
		snprintf(row->pod, sizeof(row->pod), "%s", e->meta.pod);
		snprintf(row->ns, sizeof(row->ns), "%s", e->meta.ns);
	}
	meta_sweep(c);
	cgf_sweep(c);
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
	lo->walk_cap = opts->walk_cap;
	lo->no_procs = opts->no_proc_io;
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

int ctop_collector_new(struct ctop_collector **out, const struct ctop_collector_opts *opts,
		       char *err, size_t errlen)
{
	struct ctop_agg_ops ops = { resolve, rescan, forget, NULL, cgroup_stats, NULL };
	struct ctop_loader_opts lo = { 0 };
	struct ctop_collector *c;
	struct utsname uts;
	char mount[256];
	int ret;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ctop_file_watch_init(&c->watch);
	c->src.ops = &source_ops;
	c->src.name = "the kernel's counters";
	c->cgf_max = cgf_budget();
	c->no_states = opts->no_states;
	snprintf(c->root, sizeof(c->root), "%s", opts->root ? opts->root : "/");
	ret = ctop_cgroup2_mount("/proc/self/mountinfo", mount, sizeof(mount));
	if (ret) {
		snprintf(err, errlen, "no cgroup v2 hierarchy is mounted: mount one with "
			 "'mount -t cgroup2 none /sys/fs/cgroup/unified'");
		goto fail;
	}
	snprintf(c->places.cgroup2, sizeof(c->places.cgroup2), "%s", mount);
	ret = ctop_meta_dbcache_new(&c->places.dbcache, err, errlen);
	if (ret)
		goto fail;
	ctop_meta_places_find(c->root, &c->places);
	/* None on a pure v2 host; unreadable, the figures v2 lacks stay unknown. */
	ctop_cg_v1_mounts_read("/proc/self/mountinfo", &c->v1);
	ret = ctop_cgroup_index_new(&c->index, mount);
	if (ret) {
		snprintf(err, errlen, "cannot read the cgroup hierarchy at %s: %s", mount,
			 strerror(-ret));
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
	ret = ctop_agg_new(&c->agg, &ops, opts->ewma_alpha);
	if (ret) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (uname(&uts) == 0) {
		snprintf(c->host.hostname, sizeof(c->host.hostname), "%s", uts.nodename);
		snprintf(c->host.kernel, sizeof(c->host.kernel), "%s", uts.release);
	}
	c->host.cpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	*out = c;
	return 0;
fail:
	ctop_collector_free(c);
	return ret < 0 ? ret : -EINVAL;
}

void ctop_collector_free(struct ctop_collector *c)
{
	if (!c)
		return;
	ctop_agg_free(c->agg);
	ctop_loader_free(c->loader);
	ctop_cgroup_index_free(c->index);
	ctop_raw_fini(&c->raw);
	ctop_u64map_fini(&c->meta_index);
	ctop_file_watch_fini(&c->watch);
	ctop_meta_dbcache_free(c->places.dbcache);
	free(c->metas);
	while (c->ncgf)
		ctop_cg_files_free(c->cgf[--c->ncgf].files);
	free(c->cgf);
	ctop_u64map_fini(&c->cgf_index);
	free(c);
}

int ctop_collector_start(struct ctop_collector *c, double now_mono)
{
	const struct ctop_snapshot *none;
	int ret;

	c->now = now_mono;
	c->places_at = now_mono;
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
	c->now = now_mono;
	ret = ctop_loader_read(c->loader, &c->raw);
	if (ret)
		return ret;
	read_meminfo(&c->host);
	ret = ctop_agg_ingest(c->agg, &c->raw, now_mono, now_wall, &c->host, out);
	/* The aggregator's snapshot, which this collector hands out: not const here. */
	if (!ret && *out)
		refresh_names(c, (struct ctop_snapshot *)*out);
	return ret;
}

struct ctop_source *ctop_collector_source(struct ctop_collector *c)
{
	return &c->src;
}
