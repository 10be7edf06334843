// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Names for a container from the files its runtime keeps on disk. No daemon
 * is asked, so this works while the daemon is down, and tests point `root`
 * at a fixture tree. What is read, per runtime:
 *
 * Docker: <data-root>/containers/<id>/config.v2.json, where data-root is
 *   "data-root" of /etc/docker/daemon.json, /var/lib/docker, or, rootless,
 *   ~/.local/share/docker of root and of every /home/<user>.
 *   name = .Name without its "/", image = .Config.Image,
 *   pod/ns = .Config.Labels com.docker.compose.project/.service, or, for
 *   Kubernetes on cri-dockerd, io.kubernetes.pod.name/.namespace with the
 *   name from io.kubernetes.container.name.
 * Podman: containers/storage's index of containers,
 *   <graphroot>/<driver>-containers/{containers,volatile-containers}.json,
 *   an array of {"id", "names": [...], "image": <image id>, "metadata": a
 *   JSON string holding {"image-name", "name", ...}}. graphroot is
 *   /var/lib/containers/storage (rootful) or ~/.local/share/containers/
 *   storage of root and of every /home/<user> (rootless). name = names[0],
 *   image = metadata's image-name, else the image id. For a container in a
 *   pod (the pod id is its parent cgroup), pod = allPods[<pod id>] of
 *   Podman's bbolt database <graphroot>/libpod/bolt_state.db (bolt.c),
 *   and the infra container, the one whose OCI spec
 *   (<driver>-containers/<id>/userdata/config.json) names no
 *   io.kubernetes.cri-o.SandboxID, is named "POD". ns stays "".
 * containerd: the task bundle <state>/<shim>/<namespace>/<id>/config.json
 *   (OCI spec), where state is /run/containerd or the --state of a running
 *   containerd (ctop_meta_places_find()); the namespace the cgroup path
 *   names, else k8s.io first, then every other one but Docker's moby.
 *   Annotations io.kubernetes.cri.container-name, .image-name,
 *   .sandbox-name (pod) and .sandbox-namespace (ns, else the containerd
 *   namespace); nerdctl's nerdctl/name otherwise. Without an image-name
 *   (`ctr run`), image = v1/<namespace>/containers/<id>/image of that
 *   containerd's bbolt database <root>/io.containerd.metadata.v1.bolt/
 *   meta.db (root /var/lib/containerd or its --root).
 * A 64-hex folder the path cannot place (kubepods, a --cgroup-parent) is
 * tried as every runtime that makes such folders (runtimes.c): cri-dockerd's
 * cgroups look like containerd's, and out->runtime says who answered.
 * CRI-O: <runroot or graphroot>/overlay-containers/<id>/userdata/config.json
 *   annotations io.kubernetes.container.name, io.kubernetes.cri-o.ImageName,
 *   io.kubernetes.pod.name and io.kubernetes.pod.namespace.
 * LXC and machined's nspawn scopes: the name is the id, nothing is read.
 * systemd-nspawn without machined: <folder>/payload is confirmed by a
 *   systemd-nspawn of root's in <folder>/supervisor (cgroup.procs, then
 *   /proc/<pid>/comm and cmdline), whose --machine, or --directory's or
 *   --image's last component, names it.
 *
 * Sandbox ("pause") containers get the name "POD", as the kubelet names them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "bolt.h"
#include "runtimes.h"

#define DOCKER_ROOT	"/var/lib/docker"
#define DOCKER_USER	".local/share/docker"
#define CONTAINERD_STATE	"/run/containerd"
#define CONTAINERD_ROOT		"/var/lib/containerd"
#define CONTAINERD_DB		"io.containerd.metadata.v1.bolt/meta.db"
#define CONTAINERD_V2	"io.containerd.runtime.v2.task"
#define CONTAINERD_V1	"io.containerd.runtime.v1.linux"
#define STORAGE_ROOTFUL	"/var/lib/containers/storage"
#define STORAGE_USER	".local/share/containers/storage"
#define CRIO_RUNROOT	"/run/containers/storage"

/* A file that is not there, or whose folder is not: try the next place. */
static bool absent(int err)
{
	return err == -ENOENT || err == -ENOTDIR;
}

/* Keeps the first real error, so a broken file is not reported as absent. */
static int worse(int prev, int err)
{
	return absent(prev) ? err : prev;
}

/* root + the formatted rest, which starts with "/". */
__attribute__((format(printf, 4, 5)))
static int path_fmt(char *buf, size_t len, const char *root, const char *fmt, ...)
{
	size_t rl = strlen(root);
	va_list ap;
	int n;

	/* "/" + "/var/..." must not become "//var/...": tests compare paths. */
	while (rl > 0 && root[rl - 1] == '/')
		rl--;
	if (rl >= len)
		return -ENAMETOOLONG;
	memcpy(buf, root, rl);
	va_start(ap, fmt);
	n = vsnprintf(buf + rl, len - rl, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - rl)
		return -ENAMETOOLONG;
	return 0;
}

static void src_set(struct ctop_meta_src *src, const char *path, const struct stat *st)
{
	if (strlen(path) >= sizeof(src->path)) {
		src->path[0] = '\0';	/* not watched: a rename shows after a restart */
		return;
	}
	strcpy(src->path, path);
	src->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	src->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	src->ino = (uint64_t)st->st_ino;
	src->size = (uint64_t)st->st_size;
}

bool ctop_meta_changed(const struct ctop_container_meta *m)
{
	struct stat st;

	if (!m || !m->src.path[0])
		return false;
	/* Runtimes replace the file (write and rename): a new inode, or gone. */
	if (lstat(m->src.path, &st))
		return true;
	return (uint64_t)st.st_ino != m->src.ino || (uint64_t)st.st_size != m->src.size ||
	       (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec != m->src.mtime_ns ||
	       (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec != m->src.ctime_ns;
}

/* What is read of one metadata file, as for themes: real ones are a few kB. */
#define META_MAX_BYTES (1 << 20)

/*
 * Podman's database and its containers.json hold one entry per container
 * (about 600 bytes in the JSON): a host's thousands of containers are
 * more than one container's file may be.
 */
#define BOLT_MAX_BYTES (64 << 20)
#define PODMAN_INDEX_MAX_BYTES (64 << 20)

/*
 * Reads a runtime's file without trusting what it is: O_NONBLOCK and
 * fstat() so that a FIFO or a device never holds the refresh, and, unless
 * follow, O_NOFOLLOW, since runtimes write plain files. -errno when it
 * cannot be opened (-ELOOP for a symlink), -EINVAL when it is not a
 * regular file, -EFBIG above cap. *buf (NUL-terminated) is the caller's.
 */
static int load_file(const char *path, bool follow, size_t cap, char **buf, size_t *len,
		     struct stat *st)
{
	size_t got = 0;
	ssize_t n;
	int fd, err = 0;

	*buf = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -errno;
	if (fstat(fd, st)) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st->st_mode)) {
		err = -EINVAL;
		goto out;
	}
	if (st->st_size > (off_t)cap) {
		err = -EFBIG;
		goto out;
	}
	*buf = malloc((size_t)st->st_size + 1);
	if (!*buf) {
		err = -ENOMEM;
		goto out;
	}
	/* one byte more than it said: a file that grew is over the cap or re-read later */
	while (got <= (size_t)st->st_size) {
		n = read(fd, *buf + got, (size_t)st->st_size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > (size_t)st->st_size)
		err = (size_t)st->st_size >= cap ? -EFBIG : -EAGAIN;
out:
	if (err) {
		free(*buf);
		*buf = NULL;
	} else {
		(*buf)[got] = '\0';
		*len = got;
	}
	close(fd);
	return err;
}

/*
 * A runtime's JSON file of at most max bytes, read as load_file() does;
 * -EINVAL when it is not JSON.
 */
static int load_json(const char *path, bool follow, size_t max, json_t **out,
		     struct ctop_meta_src *src)
{
	json_error_t jerr;
	struct stat st;
	size_t len = 0;
	char *buf;
	int err;

	*out = NULL;
	err = load_file(path, follow, max, &buf, &len, &st);
	if (err)
		return err;
	*out = json_loadb(buf, len, 0, &jerr);
	free(buf);
	if (!*out)
		return -EINVAL;
	if (src)
		src_set(src, path, &st);
	return 0;
}

/*
 * Copies a string, cut at a UTF-8 boundary so no half character remains.
 * Control bytes stay: the JSON keeps them exactly, and the table and the
 * screen make them safe where the text leaves (ctop_text_next()).
 */
static void put_str(char *dst, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Sets dst from a non-empty JSON string; false (dst untouched) otherwise. */
static bool put_json(char *dst, size_t len, const json_t *v)
{
	const char *s = json_string_value(v);

	if (!s || !*s)
		return false;
	put_str(dst, len, s);
	return true;
}

/* A member of an object, or NULL when o is not an object. */
static json_t *member(const json_t *o, const char *key)
{
	return json_is_object(o) ? json_object_get(o, key) : NULL;
}

/* --- Docker --------------------------------------------------------- */

static void docker_fill(const json_t *cfg, struct ctop_container_meta *out)
{
	const json_t *config = member(cfg, "Config");
	const json_t *labels = member(config, "Labels");
	const char *name = json_string_value(member(cfg, "Name"));

	if (name) {
		name += name[0] == '/';
		put_str(out->name, sizeof(out->name), name);
	}
	put_json(out->image, sizeof(out->image), member(config, "Image"));
	if (put_json(out->pod, sizeof(out->pod), member(labels, "io.kubernetes.pod.name"))) {
		put_json(out->ns, sizeof(out->ns), member(labels, "io.kubernetes.pod.namespace"));
		/* The Docker name is a k8s_<container>_<pod>_... composite. */
		put_json(out->name, sizeof(out->name),
			 member(labels, "io.kubernetes.container.name"));
		return;
	}
	put_json(out->pod, sizeof(out->pod), member(labels, "com.docker.compose.project"));
	put_json(out->ns, sizeof(out->ns), member(labels, "com.docker.compose.service"));
}

/* daemon.json's data-root, when it names an absolute folder. */
static bool docker_data_root(const char *root, char *buf, size_t len)
{
	char path[PATH_MAX];
	json_t *j;
	bool ok = false;
	const char *s;

	if (path_fmt(path, sizeof(path), root, "/etc/docker/daemon.json") ||
	    load_json(path, true, META_MAX_BYTES, &j, NULL))	/* the admin's file: config tools link it */
		return false;
	s = json_string_value(member(j, "data-root"));
	if (s && s[0] == '/' && strlen(s) < len) {
		memcpy(buf, s, strlen(s) + 1);
		ok = true;
	}
	json_decref(j);
	return ok;
}

/*
 * The one directory-search loop: fn(arg, dir, name) for every entry of
 * dir that skip() does not refuse, until one returns 0. Returns 0, the
 * first real error, or -ENOENT (also when dir cannot be opened).
 */
static int each_entry(const char *dir, bool (*skip)(const char *name),
		      int (*fn)(void *arg, const char *dir, const char *name), void *arg)
{
	int err, ret = -ENOENT;
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return ret;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (skip && skip(de->d_name)))
			continue;
		err = fn(arg, dir, de->d_name);
		if (!err) {
			ret = 0;
			break;
		}
		ret = worse(ret, err);
	}
	closedir(d);
	return ret;
}

/* A store of one runtime: fn reads id's names from the folder dir. */
typedef int (*store_fn)(const char *dir, const char *id, struct ctop_container_meta *out);

struct store_search {
	store_fn fn;
	const char *user_rel, *id;
	struct ctop_container_meta *out;
};

static int try_home(void *arg, const char *home, const char *user)
{
	struct store_search *s = arg;
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s/%s/%s", home, user, s->user_rel) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	return s->fn(dir, s->id, s->out);
}

/* One data-root (already below root): 0, -ENOENT, or -errno. */
static int docker_at(const char *dir, const char *id, struct ctop_container_meta *out)
{
	char path[PATH_MAX];
	json_t *j;
	int err;

	if (snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", dir, id) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	err = load_json(path, false, META_MAX_BYTES, &j, &out->src);
	if (err)
		return err;
	if (!json_is_object(j)) {
		json_decref(j);
		out->src.path[0] = '\0';
		return -EINVAL;
	}
	docker_fill(j, out);
	json_decref(j);
	return 0;
}

/* --- Podman --------------------------------------------------------- */

static int oci_annotations(const char *path, json_t **spec, const json_t **ann,
			   struct ctop_meta_src *src);

static void podman_fill(const json_t *c, struct ctop_container_meta *out)
{
	const char *md = json_string_value(member(c, "metadata"));
	json_t *meta = NULL;

	put_json(out->name, sizeof(out->name), json_array_get(member(c, "names"), 0));
	/* metadata is JSON inside a JSON string. */
	if (md)
		meta = json_loads(md, 0, NULL);
	if (!out->name[0])
		put_json(out->name, sizeof(out->name), member(meta, "name"));
	if (!put_json(out->image, sizeof(out->image), member(meta, "image-name")))
		put_json(out->image, sizeof(out->image), member(c, "image"));
	json_decref(meta);
}

/* One containers.json: 0 when id is in it, -ENOENT when not, or -errno. */
static int podman_index(const char *path, const char *id, struct ctop_container_meta *out)
{
	struct ctop_meta_src src;
	json_t *j, *c;
	size_t i;
	int err;

	err = load_json(path, false, PODMAN_INDEX_MAX_BYTES, &j, &src);
	if (err)
		return err;
	if (!json_is_array(j)) {
		json_decref(j);
		return -EINVAL;
	}
	err = -ENOENT;
	json_array_foreach(j, i, c) {
		const char *cid = json_string_value(member(c, "id"));

		if (cid && !strcmp(cid, id)) {
			podman_fill(c, out);
			out->src = src;
			err = 0;
			break;
		}
	}
	json_decref(j);
	return err;
}

static bool not_containers_dir(const char *name)
{
	size_t n = strlen(name), k = strlen("-containers");

	return n <= k || strcmp(name + n - k, "-containers");
}

struct podman_search {
	const char *id;
	struct ctop_container_meta *out;
};

/* One <driver>-containers folder. */
static int podman_driver(void *arg, const char *dir, const char *name)
{
	static const char *const files[] = { "containers.json", "volatile-containers.json" };
	struct podman_search *s = arg;
	char path[PATH_MAX];
	int err, ret = -ENOENT;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (snprintf(path, sizeof(path), "%s/%s/%s", dir, name, files[i]) >=
		    (int)sizeof(path))
			continue;
		err = podman_index(path, s->id, s->out);
		if (!err)
			return 0;
		ret = worse(ret, err);
	}
	return ret;
}

/* Every <driver>-containers folder below one graphroot. */
static int podman_graphroot(const char *dir, const char *id, struct ctop_container_meta *out)
{
	struct podman_search s = { id, out };

	return each_entry(dir, not_containers_dir, podman_driver, &s);
}

/*
 * Tries fn on each store the runtime may keep: the system-wide one, then
 * rootless ones in ~/<user_rel> of root and of every /home/<user>. The
 * cgroup path names a rootless user's uid, but not the home folder, so
 * every home is tried.
 */
static int search_stores(const char *root, const char *sys, const char *user_rel, store_fn fn,
			 const char *id, struct ctop_container_meta *out)
{
	struct store_search s = { fn, user_rel, id, out };
	char dir[PATH_MAX], home[PATH_MAX];
	int err, ret = -ENOENT;

	if (!path_fmt(dir, sizeof(dir), root, "%s", sys)) {
		ret = fn(dir, id, out);
		if (!ret)
			return 0;
	}
	if (!path_fmt(home, sizeof(home), root, "%s", "")) {
		err = try_home(&s, home, "root");
		if (!err)
			return 0;
		ret = worse(ret, err);
	}
	if (path_fmt(home, sizeof(home), root, "/home"))
		return ret;
	err = each_entry(home, NULL, try_home, &s);
	return err ? worse(ret, err) : 0;
}

int ctop_meta_read_docker(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			  struct ctop_container_meta *out)
{
	char custom[PATH_MAX], dir[PATH_MAX];
	int err, ret = -ENOENT;

	if (docker_data_root(x->root, custom, sizeof(custom)) &&
	    !path_fmt(dir, sizeof(dir), x->root, "%s", custom)) {
		ret = docker_at(dir, ci->id, out);
		if (!ret)
			return 0;
	}
	err = search_stores(x->root, DOCKER_ROOT, DOCKER_USER, docker_at, ci->id, out);
	return err ? worse(ret, err) : 0;
}

/* The pod's name: Podman keeps pods only in its database, allPods[<pod id>]. */
static void podman_pod_name(const char *graphroot, const char *pod, struct ctop_container_meta *out)
{
	const char *const key[] = { "allPods", pod };
	char path[PATH_MAX], *db;
	struct stat st;
	const void *v;
	size_t len = 0, vn;

	if (snprintf(path, sizeof(path), "%s/libpod/bolt_state.db", graphroot) >= (int)sizeof(path) ||
	    load_file(path, false, BOLT_MAX_BYTES, &db, &len, &st))
		return;
	if (!ctop_bolt_get(db, len, key, 2, &v, &vn) && vn > 0 && vn < sizeof(out->pod) &&
	    !memchr(v, '\0', vn)) {
		memcpy(out->pod, v, vn);
		out->pod[vn] = '\0';
		put_str(out->pod, sizeof(out->pod), out->pod);	/* whole characters only */
	}
	free(db);
}

/*
 * A pod's infra container: the only one whose OCI spec names no sandbox
 * (its members carry io.kubernetes.cri-o.SandboxID, the infra's id).
 */
static bool podman_infra(const char *driver_dir, const char *id)
{
	char path[PATH_MAX];
	const json_t *ann;
	json_t *spec;
	bool infra;

	if (snprintf(path, sizeof(path), "%s/%s/userdata/config.json", driver_dir, id) >=
		    (int)sizeof(path) ||
	    oci_annotations(path, &spec, &ann, NULL))
		return false;
	infra = !member(ann, "io.kubernetes.cri-o.SandboxID");
	json_decref(spec);
	return infra;
}

int ctop_meta_read_podman(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			  struct ctop_container_meta *out)
{
	char driver_dir[PATH_MAX], graphroot[PATH_MAX], *slash;
	int err;

	err = search_stores(x->root, STORAGE_ROOTFUL, STORAGE_USER, podman_graphroot, ci->id, out);
	if (err || !ctop_is_hex_id(ci->pod_uid, strlen(ci->pod_uid)) || !out->src.path[0])
		return err;
	/* src is <graphroot>/<driver>-containers/containers.json */
	snprintf(driver_dir, sizeof(driver_dir), "%s", out->src.path);
	slash = strrchr(driver_dir, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	snprintf(graphroot, sizeof(graphroot), "%s", driver_dir);
	slash = strrchr(graphroot, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	podman_pod_name(graphroot, ci->pod_uid, out);
	/* As the kubelet names a sandbox: the pod's name says which. */
	out->infra = podman_infra(driver_dir, ci->id);
	if (out->infra)
		put_str(out->name, sizeof(out->name), "POD");
	return 0;
}

/* --- OCI bundles: containerd and CRI-O ------------------------------ */

/* The annotations of the OCI spec at path, or an error. */
static int oci_annotations(const char *path, json_t **spec, const json_t **ann,
			   struct ctop_meta_src *src)
{
	int err = load_json(path, false, META_MAX_BYTES, spec, src);

	if (err)
		return err;
	if (!json_is_object(*spec)) {
		json_decref(*spec);
		*spec = NULL;
		if (src)
			src->path[0] = '\0';
		return -EINVAL;
	}
	*ann = member(*spec, "annotations");
	return 0;
}

static void containerd_fill(const json_t *a, const char *ns, struct ctop_container_meta *out)
{
	const char *type = json_string_value(member(a, "io.kubernetes.cri.container-type"));

	out->infra = type && !strcmp(type, "sandbox");
	if (!put_json(out->name, sizeof(out->name), member(a, "io.kubernetes.cri.container-name"))) {
		if (out->infra)
			put_str(out->name, sizeof(out->name), "POD");
		else
			put_json(out->name, sizeof(out->name), member(a, "nerdctl/name"));
	}
	put_json(out->image, sizeof(out->image), member(a, "io.kubernetes.cri.image-name"));
	put_json(out->pod, sizeof(out->pod), member(a, "io.kubernetes.cri.sandbox-name"));
	/* Outside Kubernetes the containerd namespace is the namespace shown. */
	if (!put_json(out->ns, sizeof(out->ns), member(a, "io.kubernetes.cri.sandbox-namespace")))
		put_str(out->ns, sizeof(out->ns), ns);
}

/* --- containerd's metadata database, cached ------------------------ */

/*
 * One database per containerd found, and the default one: more are read
 * each time. A database changes when containerd writes it (bbolt writes
 * its pages in place), which changes its mtime.
 */
#define DBCACHE_N (CTOP_META_STATES + 1)
struct dbcache_ent {
	char path[PATH_MAX];
	int64_t mtime_ns;
	uint64_t ino, size;
	char *buf;
	size_t len;
	unsigned int used;		/* for the least recently used */
};

struct ctop_meta_dbcache {
	struct dbcache_ent e[DBCACHE_N];
	unsigned int tick;
};

int ctop_meta_dbcache_new(struct ctop_meta_dbcache **out, char *err, size_t errlen)
{
	if (!out)
		return -EINVAL;
	*out = calloc(1, sizeof(**out));
	if (!*out) {
		if (err && errlen)
			snprintf(err, errlen, "metadata cache: out of memory");
		return -ENOMEM;
	}
	return 0;
}

void ctop_meta_dbcache_free(struct ctop_meta_dbcache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < DBCACHE_N; i++)
		free(c->e[i].buf);
	free(c);
}

static int64_t mtime_of(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/*
 * The value at path[0..n) of the bbolt database at file, copied into dst
 * as a string; false when there is none or it is no string. Through the
 * cache, c, when there is one.
 */
static bool db_string(struct ctop_meta_dbcache *c, const char *file, const char *const *key,
		      size_t n, char *dst, size_t len)
{
	struct dbcache_ent *e = NULL;
	const void *v;
	struct stat st;
	char *buf = NULL;
	size_t blen = 0, vn, i;
	bool ok;

	if (c && strlen(file) < sizeof(c->e[0].path) && !lstat(file, &st)) {
		for (i = 0; i < DBCACHE_N && !e; i++)
			if (c->e[i].buf && !strcmp(c->e[i].path, file))
				e = &c->e[i];
		if (e && ((uint64_t)st.st_ino != e->ino || (uint64_t)st.st_size != e->size ||
			  mtime_of(&st) != e->mtime_ns)) {
			free(e->buf);
			e->buf = NULL;
		}
		if (!e) {
			e = &c->e[0];
			for (i = 1; i < DBCACHE_N; i++)
				if (!c->e[i].buf || (e->buf && c->e[i].used < e->used))
					e = &c->e[i];
			free(e->buf);
			e->buf = NULL;
		}
		if (!e->buf) {
			if (load_file(file, false, BOLT_MAX_BYTES, &e->buf, &e->len, &st))
				return false;
			strcpy(e->path, file);
			e->ino = (uint64_t)st.st_ino;
			e->size = (uint64_t)st.st_size;
			e->mtime_ns = mtime_of(&st);
		}
		e->used = ++c->tick;
		buf = e->buf;
		blen = e->len;
	} else if (load_file(file, false, BOLT_MAX_BYTES, &buf, &blen, &st)) {
		return false;
	}
	ok = !ctop_bolt_get(buf, blen, key, n, &v, &vn) && vn > 0 && vn < len &&
	     !memchr(v, '\0', vn);
	if (ok) {
		memcpy(dst, v, vn);
		dst[vn] = '\0';
		put_str(dst, len, dst);	/* whole characters only */
	}
	if (!e)
		free(buf);
	return ok;
}

/* The image `ctr run` was given: v1/<ns>/containers/<id>/image of meta.db. */
static void containerd_db_image(const struct ctop_meta_ctx *x, const char *croot, const char *ns,
				const char *id, struct ctop_container_meta *out)
{
	const char *const key[] = { "v1", ns, "containers", id, "image" };
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), x->root, "%s/" CONTAINERD_DB, croot))
		return;
	db_string(x->places ? x->places->dbcache : NULL, path, key, 5, out->image,
		  sizeof(out->image));
}

struct bundle_search {
	const struct ctop_meta_ctx *x;
	const char *croot;		/* that containerd's --root */
	const char *id;
	struct ctop_container_meta *out;
};

/* 0, -ENOENT when id has no bundle in namespace ns of the task folder, or -errno. */
static int containerd_bundle(void *arg, const char *tasks, const char *ns)
{
	struct bundle_search *s = arg;
	char path[PATH_MAX];
	const json_t *ann;
	json_t *spec;
	int err;

	if (!ctop_is_containerd_id(ns, strlen(ns)))
		return -ENOENT;
	if (snprintf(path, sizeof(path), "%s/%s/%s/config.json", tasks, ns, s->id) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	err = oci_annotations(path, &spec, &ann, &s->out->src);
	if (err)
		return err;
	containerd_fill(ann, ns, s->out);
	json_decref(spec);
	if (!s->out->image[0])
		containerd_db_image(s->x, s->croot, ns, s->id, s->out);
	return 0;
}

/*
 * k8s.io is tried first. moby is Docker's own namespace: its bundles name
 * nothing, and the Docker reader knows those containers.
 */
static bool skip_ns(const char *name)
{
	return !strcmp(name, "k8s.io") || !strcmp(name, "moby");
}

/* One task folder: the namespace the path named, else k8s.io, then all. */
static int containerd_tasks(const struct ctop_meta_ctx *x, const char *croot, const char *tasks,
			    const struct ctop_cgroup_info *ci, struct ctop_container_meta *out)
{
	struct bundle_search s = { x, croot, ci->id, out };
	int ret;

	if (ci->ns[0])
		return skip_ns(ci->ns) && strcmp(ci->ns, "k8s.io") ? -ENOENT
							       : containerd_bundle(&s, tasks, ci->ns);
	/* Kubernetes' namespace first: it is where almost all of them are. */
	ret = containerd_bundle(&s, tasks, "k8s.io");
	if (!absent(ret))
		return ret;
	ret = each_entry(tasks, skip_ns, containerd_bundle, &s);
	return ret;
}

int ctop_meta_read_containerd(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			      struct ctop_container_meta *out)
{
	static const char *const shims[] = { CONTAINERD_V2, CONTAINERD_V1 };
	const char *states[1 + CTOP_META_STATES], *roots[1 + CTOP_META_STATES];
	size_t nstates = 0, i, k;
	char tasks[PATH_MAX];
	int err, ret = -ENOENT;

	if (!ctop_is_containerd_id(ci->id, strlen(ci->id)))
		return -EINVAL;
	/* The running containerds' own state folders, then the default one. */
	for (i = 0; x->places && i < x->places->ncontainerd && i < CTOP_META_STATES; i++) {
		roots[nstates] = x->places->containerd_root[i][0] ? x->places->containerd_root[i]
								  : CONTAINERD_ROOT;
		states[nstates++] = x->places->containerd_state[i];
	}
	roots[nstates] = CONTAINERD_ROOT;
	states[nstates++] = CONTAINERD_STATE;
	for (k = 0; k < nstates; k++) {
		for (i = 0; i < nstates && i < k; i++)
			if (!strcmp(states[i], states[k]))
				break;
		if (i < k)
			continue;	/* one containerd named the default */
		for (i = 0; i < sizeof(shims) / sizeof(shims[0]); i++) {
			if (path_fmt(tasks, sizeof(tasks), x->root, "%s/%s", states[k], shims[i]))
				continue;
			err = containerd_tasks(x, roots[k], tasks, ci, out);
			if (!err)
				return 0;
			ret = worse(ret, err);
		}
	}
	return ret;
}

static void crio_fill(const json_t *a, struct ctop_container_meta *out)
{
	const char *type = json_string_value(member(a, "io.kubernetes.cri-o.ContainerType"));

	out->infra = type && !strcmp(type, "sandbox");
	put_json(out->name, sizeof(out->name), member(a, "io.kubernetes.container.name"));
	if (!put_json(out->image, sizeof(out->image), member(a, "io.kubernetes.cri-o.ImageName")))
		put_json(out->image, sizeof(out->image), member(a, "io.kubernetes.cri-o.Image"));
	put_json(out->pod, sizeof(out->pod), member(a, "io.kubernetes.pod.name"));
	put_json(out->ns, sizeof(out->ns), member(a, "io.kubernetes.pod.namespace"));
}

int ctop_meta_read_crio(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			struct ctop_container_meta *out)
{
	/* The bundle lives in the run root; older releases also kept a copy. */
	static const char *const dirs[] = { CRIO_RUNROOT, STORAGE_ROOTFUL };
	char path[PATH_MAX];
	const json_t *ann;
	json_t *spec;
	int err;
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		err = path_fmt(path, sizeof(path), x->root,
			       "%s/overlay-containers/%s/userdata/config.json", dirs[i], ci->id);
		if (err)
			return err;
		err = oci_annotations(path, &spec, &ann, &out->src);
		if (absent(err))
			continue;
		if (err)
			return err;
		crio_fill(ann, out);
		json_decref(spec);
		return 0;
	}
	return -ENOENT;
}

int ctop_meta_read_named(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			 struct ctop_container_meta *out)
{
	(void)x;
	if (!ci->id[0])
		return -EINVAL;
	put_str(out->name, sizeof(out->name), ci->name[0] ? ci->name : ci->id);
	return 0;
}

/* --- where the running containerds keep their state ---------------- */

/*
 * Up to len - 1 bytes of a small file, NUL-terminated, read as load_json()
 * does: never blocking on a FIFO. The byte count, or -errno.
 */
static ssize_t read_small(const char *path, bool follow, char *buf, size_t len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	while (got + 1 < len) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* The top-level `key = "..."` (an absolute path) of a containerd config.toml, or false. */
static bool toml_path(const char *toml, const char *key, char *dst, size_t len)
{
	const char *line = toml, *p, *q;
	size_t kl = strlen(key);

	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		p = line + strspn(line, " \t");
		if (*p == '[')
			return false;	/* tables follow: the key is top-level only */
		if (strncmp(p, key, kl))
			continue;
		p += kl + strspn(p + kl, " \t");
		if (*p != '=')
			continue;
		p += 1 + strspn(p + 1, " \t");
		if (*p != '"' && *p != '\'')
			continue;
		q = strchr(p + 1, *p);
		if (!q || q - p - 1 <= 0 || (size_t)(q - p - 1) >= len || p[1] != '/' ||
		    memchr(p + 1, '\n', (size_t)(q - p - 1)) || memchr(p + 1, '\\', (size_t)(q - p - 1)))
			return false;
		memcpy(dst, p + 1, (size_t)(q - p - 1));
		dst[q - p - 1] = '\0';
		return true;
	}
	return false;
}

/* An absolute path that fits: copied. */
static bool put_path(char *dst, size_t len, const char *v)
{
	if (v[0] != '/' || strlen(v) >= len)
		return false;
	strcpy(dst, v);
	return true;
}

/*
 * containerd's --state and --root, or its config's "state" and "root",
 * from its argv (NULs between); the defaults where neither names one.
 * False when one of them is no absolute path that fits.
 */
static bool containerd_dirs_of(const char *root, const char *argv, size_t n, char *state,
			       char *croot, size_t len)
{
	const char *config = "/etc/containerd/config.toml", *a, *v;
	char path[PATH_MAX], toml[16384];
	bool have_state = false, have_root = false;
	size_t i;

	for (i = 0; i < n; i += strlen(argv + i) + 1) {
		a = argv + i;
		v = NULL;
		if (!strncmp(a, "--state=", 8) || !strncmp(a, "--config=", 9) ||
		    !strncmp(a, "--root=", 7))
			v = strchr(a, '=') + 1;
		else if ((!strcmp(a, "--state") || !strcmp(a, "--config") || !strcmp(a, "-c") ||
			  !strcmp(a, "--root")) &&
			 i + strlen(a) + 1 < n)
			v = a + strlen(a) + 1;
		if (!v)
			continue;
		if (!strncmp(a, "--s", 3)) {
			if (!put_path(state, len, v))
				return false;
			have_state = true;
		} else if (!strncmp(a, "--r", 3)) {
			if (!put_path(croot, len, v))
				return false;
			have_root = true;
		} else {
			config = v;
		}
	}
	if ((!have_state || !have_root) && config[0] == '/' &&
	    !path_fmt(path, sizeof(path), root, "%s", config) &&
	    read_small(path, true, toml, sizeof(toml)) >= 0) {
		if (!have_state)
			have_state = toml_path(toml, "state", state, len);
		if (!have_root)
			have_root = toml_path(toml, "root", croot, len);
	}
	if (!have_state)
		put_str(state, len, CONTAINERD_STATE);
	if (!have_root)
		put_str(croot, len, CONTAINERD_ROOT);
	return true;
}

struct places_search {
	const char *root;
	struct ctop_meta_places *out;
};

static bool not_pid(const char *name)
{
	return strspn(name, "0123456789") != strlen(name);
}

/* Notes one process's state folder if it is a containerd of root's. */
static int places_pid(void *arg, const char *proc, const char *pid)
{
	struct places_search *s = arg;
	struct ctop_meta_places *out = s->out;
	char path[PATH_MAX], buf[4096], state[sizeof(out->containerd_state[0])];
	char croot[sizeof(out->containerd_root[0])];
	struct stat st;
	ssize_t n;
	size_t i;

	if (snprintf(path, sizeof(path), "%s/%s/comm", proc, pid) >= (int)sizeof(path))
		return -ENOENT;
	n = read_small(path, false, buf, sizeof(buf));
	if (n < 0 || strcmp(buf, "containerd\n"))
		return -ENOENT;
	/* Anyone may name a process containerd: only root's is believed. */
	if (snprintf(path, sizeof(path), "%s/%s", proc, pid) >= (int)sizeof(path) ||
	    stat(path, &st) || st.st_uid != 0)
		return -ENOENT;
	if (snprintf(path, sizeof(path), "%s/%s/cmdline", proc, pid) >= (int)sizeof(path))
		return -ENOENT;
	n = read_small(path, false, buf, sizeof(buf));
	if (n <= 0 || !containerd_dirs_of(s->root, buf, (size_t)n, state, croot, sizeof(state)))
		return -ENOENT;
	for (i = 0; i < out->ncontainerd; i++)
		if (!strcmp(out->containerd_state[i], state))
			return -ENOENT;
	if (out->ncontainerd < CTOP_META_STATES) {
		strcpy(out->containerd_root[out->ncontainerd], croot);
		strcpy(out->containerd_state[out->ncontainerd++], state);
	}
	return -ENOENT;		/* keep looking: there may be more */
}

int ctop_meta_places_find(const char *root, struct ctop_meta_places *out)
{
	struct places_search s = { root, out };
	char proc[PATH_MAX];
	int err;

	char cgroup2[sizeof(out->cgroup2)];
	struct ctop_meta_dbcache *dbcache;

	if (!out)
		return -EINVAL;
	memcpy(cgroup2, out->cgroup2, sizeof(cgroup2));
	dbcache = out->dbcache;
	memset(out, 0, sizeof(*out));
	memcpy(out->cgroup2, cgroup2, sizeof(cgroup2));
	out->dbcache = dbcache;
	out->cgroup2[sizeof(out->cgroup2) - 1] = '\0';
	if (!root)
		return -EINVAL;
	err = path_fmt(proc, sizeof(proc), root, "/proc");
	if (err)
		return err;
	err = each_entry(proc, not_pid, places_pid, &s);
	return absent(err) ? 0 : err;
}

/* --- systemd-nspawn without machined ------------------------------- */

/* The last path component of s[0..n), without a .raw image's extension. */
static void put_base(char *dst, size_t len, const char *s, bool image)
{
	const char *b;
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		n--;
	b = memrchr(s, '/', n);
	b = b ? b + 1 : s;
	n -= (size_t)(b - s);
	if (image && n > 4 && !memcmp(b + n - 4, ".raw", 4))
		n -= 4;
	if (n == 0 || n >= len)
		return;
	memcpy(dst, b, n);
	dst[n] = '\0';
	put_str(dst, len, dst);
}

/* The machine name nspawn takes: --machine, else -D's or -i's last component. */
static void nspawn_name(const char *argv, size_t n, char *dst, size_t len)
{
	const char *dir = NULL, *img = NULL, *a, *v;
	size_t i;

	dst[0] = '\0';
	for (i = 0; i < n; i += strlen(argv + i) + 1) {
		a = argv + i;
		if (!strcmp(a, "--"))
			break;
		v = NULL;
		if (!strncmp(a, "--machine=", 10) || !strncmp(a, "--directory=", 12) ||
		    !strncmp(a, "--image=", 8))
			v = strchr(a, '=') + 1;
		else if ((!strcmp(a, "-M") || !strcmp(a, "--machine") || !strcmp(a, "-D") ||
			  !strcmp(a, "--directory") || !strcmp(a, "-i") || !strcmp(a, "--image")) &&
			 i + strlen(a) + 1 < n)
			v = a + strlen(a) + 1;
		if (!v || !*v)
			continue;
		if (a[1] == 'M' || !strncmp(a, "--machine", 9)) {
			put_base(dst, len, v, false);
			return;
		}
		if (a[1] == 'D' || !strncmp(a, "--directory", 11))
			dir = v;
		else
			img = v;
	}
	if (dir)
		put_base(dst, len, dir, false);
	else if (img)
		put_base(dst, len, img, true);
}

/*
 * Confirms a payload folder: its sibling supervisor holds a systemd-nspawn
 * of root's, whose command line names the machine.
 */
static int nspawn_read(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
		       struct ctop_container_meta *out)
{
	char parent[CTOP_ID_LEN], path[PATH_MAX], procs[4096], buf[4096];
	const char *line;
	unsigned int tries = 0;
	struct stat st;
	char *slash;
	ssize_t n;
	long pid;

	if (!x->places || !x->places->cgroup2[0])
		return -ENOENT;
	memcpy(parent, ci->id, sizeof(parent));
	slash = strrchr(parent, '/');
	if (!slash || strcmp(slash, "/payload"))
		return -EINVAL;
	*slash = '\0';
	if (path_fmt(path, sizeof(path), x->root, "%s%s/supervisor/cgroup.procs",
		     x->places->cgroup2, parent))
		return -ENAMETOOLONG;
	n = read_small(path, false, procs, sizeof(procs));
	if (n < 0)
		return absent((int)n) ? -ENOENT : (int)n;
	for (line = procs; *line && tries < 8; line = strchr(line, '\n'), line = line ? line + 1 : "") {
		tries++;
		pid = strtol(line, NULL, 10);
		if (pid <= 0)
			continue;
		if (path_fmt(path, sizeof(path), x->root, "/proc/%ld/comm", pid) ||
		    read_small(path, false, buf, sizeof(buf)) < 0 || strcmp(buf, "systemd-nspawn\n"))
			continue;
		if (path_fmt(path, sizeof(path), x->root, "/proc/%ld", pid) || stat(path, &st) ||
		    st.st_uid != 0)
			continue;
		if (path_fmt(path, sizeof(path), x->root, "/proc/%ld/cmdline", pid))
			continue;
		n = read_small(path, false, buf, sizeof(buf));
		if (n <= 0)
			continue;
		nspawn_name(buf, (size_t)n, out->name, sizeof(out->name));
		return 0;
	}
	return -ENOENT;
}

int ctop_meta_read_nspawn(const struct ctop_meta_ctx *x, const struct ctop_cgroup_info *ci,
			  struct ctop_container_meta *out)
{
	/* machined's scope names the machine itself */
	return ci->confirm ? nspawn_read(x, ci, out) : ctop_meta_read_named(x, ci, out);
}

/* --- which runtime ------------------------------------------------- */

/* One runtime's reader, with out cleared again when it knows nothing. */
static int read_as(const struct ctop_meta_ctx *x, enum ctop_runtime rt,
		   const struct ctop_cgroup_info *ci, struct ctop_container_meta *out)
{
	const struct ctop_rt_desc *d = ctop_rt_desc(rt);
	int err;

	memset(out, 0, sizeof(*out));
	if (!d || !d->read)
		return -ENOENT;
	if (d->hex_ids && !ctop_is_hex_id(ci->id, strlen(ci->id)))
		return -EINVAL;
	err = d->read(x, ci, out);
	if (err) {
		memset(out, 0, sizeof(*out));
		return err;
	}
	out->runtime = rt;
	return 0;
}

int ctop_meta_read(const char *root, const struct ctop_meta_places *places,
		   const struct ctop_cgroup_info *ci, struct ctop_container_meta *out)
{
	struct ctop_meta_ctx x = { root, places };
	int err, ret, rt;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!root || !ci || !memchr(ci->id, '\0', sizeof(ci->id)) ||
	    !memchr(ci->name, '\0', sizeof(ci->name)) || !memchr(ci->ns, '\0', sizeof(ci->ns)))
		return -EINVAL;
	if (ci->runtime == CTOP_RT_NONE)
		return -ENOENT;
	ret = read_as(&x, ci->runtime, ci, out);
	/*
	 * A bare 64-hex folder the path cannot place (a --cgroup-parent,
	 * kubepods): whichever other runtime that makes such folders has
	 * files for the id made it.
	 */
	if (!absent(ret) || !ctop_is_hex_id(ci->id, strlen(ci->id)) ||
	    !(ci->confirm || ci->pod_uid[0]))
		return ret;
	for (rt = 0; rt < CTOP_RT__COUNT; rt++) {
		const struct ctop_rt_desc *d = ctop_rt_desc((enum ctop_runtime)rt);

		if (rt == (int)ci->runtime || !d->bare_hex)
			continue;
		err = read_as(&x, (enum ctop_runtime)rt, ci, out);
		if (!err)
			return 0;
		ret = worse(ret, err);
	}
	return ret;
}
