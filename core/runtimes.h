/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The runtime table, inside core/ only: one entry per runtime says how its
 * cgroups are named (cgroup_path.c), where its files live and how names
 * are read from them (container_meta.c). Adding a runtime means one entry
 * here, its reader, and fixtures.
 */
#ifndef CTOP_RUNTIMES_H
#define CTOP_RUNTIMES_H

#include "container.h"

/* What a reader needs besides the container: where the host's files are. */
struct ctop_meta_ctx {
	const char *root;
	const struct ctop_meta_places *places;	/* may be NULL */
};

/* A cgroup named "<pfx><64 hex><sfx>" (systemd scope units and the like). */
struct ctop_rt_unit {
	const char *pfx, *sfx;
};

struct ctop_rt_desc {
	const char *name;			/* as shown and in the JSON */
	const struct ctop_rt_unit *units;	/* ends with a NULL pfx; may be NULL */
	const char *parent;	/* cgroupfs driver: "<parent>/<64 hex>", or NULL */
	bool bare_hex;		/* may make a bare 64-hex folder anywhere (a
				   --cgroup-parent, kubepods, a namespace) */
	bool hex_ids;		/* its ids are 64 hex; they go into paths */
	/* 0, -ENOENT when its files do not know ci, or -errno */
	int (*read)(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
		    struct ctop_container_meta *out);
};

/* The entry of rt, or NULL out of range. */
const struct ctop_rt_desc *ctop_rt_desc(enum ctop_runtime rt);

/* The readers, in container_meta.c. */
int ctop_meta_read_docker(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			  struct ctop_container_meta *out);
int ctop_meta_read_podman(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			  struct ctop_container_meta *out);
int ctop_meta_read_containerd(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			      struct ctop_container_meta *out);
int ctop_meta_read_crio(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			struct ctop_container_meta *out);
/* machined's scope: the name is the id; without machined, the supervisor's command line. */
int ctop_meta_read_nspawn(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			  struct ctop_container_meta *out);
/* LXC and unknown runtimes: the name is the id, nothing is read. */
int ctop_meta_read_named(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			 struct ctop_container_meta *out);

#endif /* CTOP_RUNTIMES_H */
