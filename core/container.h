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
	enum ctop_runtime runtime;	/* the path's best guess; the runtime whose
					   files answer has the last word */
	bool confirm;			/* only a guess: without the runtime's files
					   the path is no container (a 64-hex folder
					   anywhere, containerd's /<namespace>/<id>) */
	char id[CTOP_ID_LEN];		/* 64-hex id, containerd id, or the
					   LXC/nspawn name */
	char name[CTOP_NAME_LEN];	/* best name from the path; may be "" */
	char pod_uid[CTOP_NAME_LEN];	/* Kubernetes pod uid, Podman pod id, or "" */
	char ns[CTOP_NAME_LEN];		/* containerd namespace the path names, or "" */
	size_t prefix_len;		/* length of the container's own cgroup
					   path; deeper cgroups belong to it */
};

/* True for the 64 lowercase hex digits of a Docker, Podman, containerd or CRI-O id. */
bool ctop_is_hex_id(const char *s, size_t n);

/*
 * True for a containerd identifier (namespace or container id): letters
 * and digits, single '.', '_' or '-' between them, at most 76 bytes, as
 * containerd's identifiers package validates them.
 */
bool ctop_is_containerd_id(const char *s, size_t n);

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

/* The file names came from, to notice when the runtime rewrites it. */
struct ctop_meta_src {
	char path[512];			/* "" when no file answered */
	int64_t mtime_ns, ctime_ns;
	uint64_t ino, size;
};

/* What the runtime's own files add. Missing fields stay "". */
struct ctop_container_meta {
	enum ctop_runtime runtime;	/* whose files answered; NONE when none did */
	bool infra;			/* a pod's infra/sandbox container */
	struct ctop_meta_src src;
	char name[CTOP_NAME_LEN];
	char image[CTOP_IMAGE_LEN];
	char pod[CTOP_NAME_LEN];	/* k8s pod name or compose project */
	char ns[CTOP_NAME_LEN];		/* k8s namespace or compose service */
};

/*
 * The metadata databases read (containerd's meta.db), each kept in memory
 * and read again only when its mtime, size or inode changes.
 */
struct ctop_meta_dbcache;
int ctop_meta_dbcache_new(struct ctop_meta_dbcache **out, char *err, size_t errlen);
void ctop_meta_dbcache_free(struct ctop_meta_dbcache *c);

/* Where runtimes keep their files when that is not the default place. */
#define CTOP_META_STATES 4
struct ctop_meta_places {
	/* containerd --state folders (below root), from running containerds */
	char containerd_state[CTOP_META_STATES][256];
	/* the same containerd's --root, where its meta.db is */
	char containerd_root[CTOP_META_STATES][256];
	size_t ncontainerd;
	/* the cgroup2 mount (below root), where nspawn's supervisor is looked
	   for; the caller sets it, ctop_meta_places_find() leaves it */
	char cgroup2[256];
	/* the caller's, may be NULL (each database is read each time it is
	   needed); ctop_meta_places_find() leaves it */
	struct ctop_meta_dbcache *dbcache;
};

/*
 * Finds the state and root folders of every running containerd from its
 * command line (--state and --root, or the "state" and "root" of its
 * --config file, default /etc/containerd/config.toml; else /run/containerd
 * and /var/lib/containerd) in root's /proc. Reads every /proc/<pid>/comm:
 * call it when a container is not found, not per refresh. 0 or -errno; out
 * is always initialised but for cgroup2 and dbcache.
 */
int ctop_meta_places_find(const char *root, struct ctop_meta_places *out);

/*
 * Reads the runtime's metadata for ci below `root` ("/" on a real host, a
 * fixture folder in tests): Docker's var/lib/docker/containers/<id>/
 * config.v2.json, Podman's and containerd's OCI config.json annotations,
 * and for a containerd container that names no image there, the image in
 * containerd's <root>/io.containerd.metadata.v1.bolt/meta.db.
 * places (may be NULL) adds folders besides the default ones. Where the
 * path leaves the runtime open (a 64-hex folder under kubepods or an
 * unknown parent), every runtime that could have made it is tried and
 * out->runtime says whose files answered. Returns 0, or -ENOENT when no
 * runtime keeps anything there, or another -errno; out is always
 * initialised.
 */
int ctop_meta_read(const char *root, const struct ctop_meta_places *places,
		   const struct ctop_cgroup_info *ci, struct ctop_container_meta *out);

/*
 * Whether the file m's names came from changed since (a rename rewrites
 * it): one stat(). False when no file answered.
 */
bool ctop_meta_changed(const struct ctop_container_meta *m);

/* cgroup id -> path, from a walk of the v2 hierarchy. */
struct ctop_cgroup_index;

/*
 * mount: the cgroup2 mount point, e.g. /sys/fs/cgroup/unified. Walks it
 * once. 0, or -errno when that fails.
 */
int ctop_cgroup_index_new(struct ctop_cgroup_index **out, const char *mount);
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
