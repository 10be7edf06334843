/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Container discovery: which container a cgroup v2 path belongs to, and
 * the names the runtime keeps on disk. No daemon is asked anything.
 */
#ifndef CTOP_CONTAINER_H
#define CTOP_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "snapshot.h"

enum ctop_runtime {
	CTOP_RT_NONE,		/* not a container: the host */
	CTOP_RT_DOCKER,
	CTOP_RT_PODMAN,
	CTOP_RT_CONTAINERD,	/* includes Kubernetes on containerd */
	CTOP_RT_CRIO,
	CTOP_RT_LXC,
	CTOP_RT_NSPAWN,
	CTOP_RT_OTHER,		/* a top-level cgroup no known runtime made */
	CTOP_RT__COUNT,
};

/* What the path alone tells. */
struct ctop_cgroup_info {
	enum ctop_runtime runtime;
	char id[CTOP_ID_LEN];		/* 64-hex id, or the LXC/nspawn name */
	char name[CTOP_NAME_LEN];	/* best name from the path; may be "" */
	char pod_uid[CTOP_NAME_LEN];	/* Kubernetes pod uid, "" otherwise */
	size_t prefix_len;		/* length of the container's own cgroup
					   path; deeper cgroups belong to it */
};

/*
 * Pure: parses a v2 cgroup path such as "/docker/<64 hex>" or
 * "/kubepods.slice/.../cri-containerd-<id>.scope/sub". Returns true and
 * fills *out when the path is (inside) a container, false for the host.
 */
bool ctop_cgroup_parse(const char *path, struct ctop_cgroup_info *out);

/*
 * Pure: the fallback for paths ctop_cgroup_parse() does not know. A
 * top-level cgroup that is neither a systemd unit (*.slice, *.scope,
 * *.service, ...) nor the parent folder of a known runtime (docker,
 * kubepods, lxc, ...) is taken for a container of an unknown runtime,
 * named by that folder: "/mybox/app" gives id "/mybox", name "mybox".
 */
bool ctop_cgroup_parse_other(const char *path, struct ctop_cgroup_info *out);

/* "docker", "podman", "containerd", "cri-o", "lxc", "nspawn", "cgroup", "host". */
const char *ctop_runtime_name(enum ctop_runtime rt);

/* What the runtime's own files add. Missing fields stay "". */
struct ctop_container_meta {
	char name[CTOP_NAME_LEN];
	char image[CTOP_IMAGE_LEN];
	char pod[CTOP_NAME_LEN];	/* k8s pod name or compose project */
	char ns[CTOP_NAME_LEN];		/* k8s namespace or compose service */
};

/*
 * Reads the runtime's metadata for ci below `root` ("/" on a real host, a
 * fixture folder in tests): Docker's var/lib/docker/containers/<id>/
 * config.v2.json, Podman's and containerd's OCI config.json annotations.
 * Returns 0, or -ENOENT when the runtime keeps nothing there, or another
 * -errno; out is always initialised.
 */
int ctop_meta_read(const char *root, const struct ctop_cgroup_info *ci,
		   struct ctop_container_meta *out);

/* cgroup id -> path, from a walk of the v2 hierarchy. */
struct ctop_cgroup_index;

/*
 * mount: the cgroup2 mount point, e.g. /sys/fs/cgroup/unified. Walks it
 * once; NULL with errno set when that fails.
 */
struct ctop_cgroup_index *ctop_cgroup_index_new(const char *mount);
void ctop_cgroup_index_free(struct ctop_cgroup_index *idx);
/* Walks the hierarchy again. 0 or -errno. */
int ctop_cgroup_index_rescan(struct ctop_cgroup_index *idx);
/* The path relative to the mount ("/" for the root), or NULL if unknown. */
const char *ctop_cgroup_index_lookup(const struct ctop_cgroup_index *idx, uint64_t cgid);

/*
 * Finds the cgroup2 mount in a mountinfo file (/proc/self/mountinfo):
 * /sys/fs/cgroup on pure v2 hosts, /sys/fs/cgroup/unified on hybrid ones.
 * 0, -ENOENT when there is none, -ENAMETOOLONG when buf is too short, or
 * -EINVAL when the mount point escapes a NUL byte (\000); buf is then "".
 */
int ctop_cgroup2_mount(const char *mountinfo, char *buf, size_t len);

#endif /* CTOP_CONTAINER_H */
