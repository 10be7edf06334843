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
 *   image = metadata's image-name, else the image id. Podman keeps pods and
 *   labels in its own database, which is not read: pod and ns stay "".
 * containerd: the task bundle <state>/<namespace>/<id>/config.json (OCI
 *   spec), k8s.io first, then every other namespace, for the v2 and v1
 *   shims. Annotations io.kubernetes.cri.container-name, .image-name,
 *   .sandbox-name (pod) and .sandbox-namespace (ns); nerdctl's
 *   nerdctl/name otherwise. A Kubernetes container with no bundle is tried
 *   as Docker, since cri-dockerd's cgroups look the same.
 * CRI-O: <runroot or graphroot>/overlay-containers/<id>/userdata/config.json
 *   annotations io.kubernetes.container.name, io.kubernetes.cri-o.ImageName,
 *   io.kubernetes.pod.name and io.kubernetes.pod.namespace.
 * LXC and systemd-nspawn: the name is the id, nothing is read.
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
#include "container.h"

#define DOCKER_ROOT	"/var/lib/docker"
#define DOCKER_USER	".local/share/docker"
#define CONTAINERD_V2	"/run/containerd/io.containerd.runtime.v2.task"
#define CONTAINERD_V1	"/run/containerd/io.containerd.runtime.v1.linux"
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

/* What is read of one metadata file, as for themes: real ones are a few kB. */
#define META_MAX_BYTES (1 << 20)

/*
 * Reads a runtime's file without trusting what it is: O_NONBLOCK and
 * fstat() so that a FIFO or a device never holds the refresh, and, unless
 * follow, O_NOFOLLOW, since runtimes write plain files. -errno when it
 * cannot be opened (-ELOOP for a symlink), -EINVAL when it is not a
 * regular file or not JSON, -EFBIG above META_MAX_BYTES.
 */
static int load_json(const char *path, bool follow, json_t **out)
{
	json_error_t jerr;
	struct stat st;
	size_t got = 0;
	char *buf = NULL;
	ssize_t n;
	int fd, err = 0;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		goto out;
	}
	if (st.st_size > META_MAX_BYTES) {
		err = -EFBIG;
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	/* one byte more than it said: a file that grew is over the cap or re-read later */
	while (got <= (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size + 1 - got);
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
	if (got > (size_t)st.st_size) {
		err = st.st_size >= META_MAX_BYTES ? -EFBIG : -EAGAIN;
		goto out;
	}
	*out = json_loadb(buf, got, 0, &jerr);
	if (!*out)
		err = -EINVAL;
out:
	free(buf);
	close(fd);
	return err;
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
	    load_json(path, true, &j))	/* the admin's file: config tools link it */
		return false;
	s = json_string_value(member(j, "data-root"));
	if (s && s[0] == '/' && strlen(s) < len) {
		memcpy(buf, s, strlen(s) + 1);
		ok = true;
	}
	json_decref(j);
	return ok;
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
	err = load_json(path, false, &j);
	if (err)
		return err;
	if (!json_is_object(j)) {
		json_decref(j);
		return -EINVAL;
	}
	docker_fill(j, out);
	json_decref(j);
	return 0;
}

/* --- Podman --------------------------------------------------------- */

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
	json_t *j, *c;
	size_t i;
	int err;

	err = load_json(path, false, &j);
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
			err = 0;
			break;
		}
	}
	json_decref(j);
	return err;
}

/* Every <driver>-containers folder below one graphroot. */
static int podman_graphroot(const char *dir, const char *id, struct ctop_container_meta *out)
{
	static const char *const files[] = { "containers.json", "volatile-containers.json" };
	char path[PATH_MAX];
	struct dirent *de;
	int err, ret = -ENOENT;
	size_t i, n;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		n = strlen(de->d_name);
		if (n <= strlen("-containers") ||
		    strcmp(de->d_name + n - strlen("-containers"), "-containers"))
			continue;
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			if (snprintf(path, sizeof(path), "%s/%s/%s", dir, de->d_name, files[i]) >=
			    (int)sizeof(path))
				continue;
			err = podman_index(path, id, out);
			if (!err) {
				closedir(d);
				return 0;
			}
			ret = worse(ret, err);
		}
	}
	closedir(d);
	return ret;
}

/*
 * Tries fn on each store the runtime may keep: the system-wide one, then
 * rootless ones in ~/<user_rel> of root and of every /home/<user>. The
 * cgroup path names a rootless user's uid, but not the home folder, so
 * every home is tried.
 */
static int search_stores(const char *root, const char *sys, const char *user_rel,
			 int (*fn)(const char *dir, const char *id, struct ctop_container_meta *out),
			 const char *id, struct ctop_container_meta *out)
{
	char dir[PATH_MAX], home[PATH_MAX];
	int err, ret = -ENOENT;
	struct dirent *de;
	DIR *d;

	if (!path_fmt(dir, sizeof(dir), root, "%s", sys)) {
		ret = fn(dir, id, out);
		if (!ret)
			return 0;
	}
	if (!path_fmt(dir, sizeof(dir), root, "/root/%s", user_rel)) {
		err = fn(dir, id, out);
		if (!err)
			return 0;
		ret = worse(ret, err);
	}
	if (path_fmt(home, sizeof(home), root, "/home"))
		return ret;
	d = opendir(home);
	if (!d)
		return ret;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(dir, sizeof(dir), "%s/%s/%s", home, de->d_name, user_rel) >=
		    (int)sizeof(dir))
			continue;
		err = fn(dir, id, out);
		if (!err) {
			ret = 0;
			break;
		}
		ret = worse(ret, err);
	}
	closedir(d);
	return ret;
}

static int docker_read(const char *root, const char *id, struct ctop_container_meta *out)
{
	char custom[PATH_MAX], dir[PATH_MAX];
	int err, ret = -ENOENT;

	if (docker_data_root(root, custom, sizeof(custom)) &&
	    !path_fmt(dir, sizeof(dir), root, "%s", custom)) {
		ret = docker_at(dir, id, out);
		if (!ret)
			return 0;
	}
	err = search_stores(root, DOCKER_ROOT, DOCKER_USER, docker_at, id, out);
	return err ? worse(ret, err) : 0;
}

static int podman_read(const char *root, const char *id, struct ctop_container_meta *out)
{
	return search_stores(root, STORAGE_ROOTFUL, STORAGE_USER, podman_graphroot, id, out);
}

/* --- OCI bundles: containerd and CRI-O ------------------------------ */

/* The annotations of the OCI spec at path, or an error. */
static int oci_annotations(const char *path, json_t **spec, const json_t **ann)
{
	int err = load_json(path, false, spec);

	if (err)
		return err;
	if (!json_is_object(*spec)) {
		json_decref(*spec);
		*spec = NULL;
		return -EINVAL;
	}
	*ann = member(*spec, "annotations");
	return 0;
}

static void containerd_fill(const json_t *a, struct ctop_container_meta *out)
{
	const char *type = json_string_value(member(a, "io.kubernetes.cri.container-type"));

	if (!put_json(out->name, sizeof(out->name), member(a, "io.kubernetes.cri.container-name"))) {
		if (type && !strcmp(type, "sandbox"))
			put_str(out->name, sizeof(out->name), "POD");
		else
			put_json(out->name, sizeof(out->name), member(a, "nerdctl/name"));
	}
	put_json(out->image, sizeof(out->image), member(a, "io.kubernetes.cri.image-name"));
	put_json(out->pod, sizeof(out->pod), member(a, "io.kubernetes.cri.sandbox-name"));
	put_json(out->ns, sizeof(out->ns), member(a, "io.kubernetes.cri.sandbox-namespace"));
}

/* 0, -ENOENT when id has no bundle in namespace ns, or -errno. */
static int containerd_bundle(const char *state, const char *ns, const char *id,
			     struct ctop_container_meta *out)
{
	char path[PATH_MAX];
	const json_t *ann;
	json_t *spec;
	int err;

	if (snprintf(path, sizeof(path), "%s/%s/%s/config.json", state, ns, id) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	err = oci_annotations(path, &spec, &ann);
	if (err)
		return err;
	containerd_fill(ann, out);
	json_decref(spec);
	return 0;
}

static int containerd_state(const char *state, const char *id, struct ctop_container_meta *out)
{
	struct dirent *de;
	int err, ret;
	DIR *d;

	/* Kubernetes' namespace first: it is where almost all of them are. */
	ret = containerd_bundle(state, "k8s.io", id, out);
	if (!absent(ret))
		return ret;
	d = opendir(state);
	if (!d)
		return ret;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "k8s.io"))
			continue;
		err = containerd_bundle(state, de->d_name, id, out);
		if (!err) {
			ret = 0;
			break;
		}
		ret = worse(ret, err);
	}
	closedir(d);
	return ret;
}

static int containerd_read(const char *root, const struct ctop_cgroup_info *ci,
			   struct ctop_container_meta *out)
{
	static const char *const states[] = { CONTAINERD_V2, CONTAINERD_V1 };
	char state[PATH_MAX];
	int err, ret = -ENOENT;
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		err = path_fmt(state, sizeof(state), root, "%s", states[i]);
		if (err)
			return err;
		err = containerd_state(state, ci->id, out);
		if (!err)
			return 0;
		ret = worse(ret, err);
	}
	/* kubepods/<pod>/<id> is also what cri-dockerd makes. */
	if (absent(ret) && ci->pod_uid[0])
		return docker_read(root, ci->id, out);
	return ret;
}

static void crio_fill(const json_t *a, struct ctop_container_meta *out)
{
	put_json(out->name, sizeof(out->name), member(a, "io.kubernetes.container.name"));
	if (!put_json(out->image, sizeof(out->image), member(a, "io.kubernetes.cri-o.ImageName")))
		put_json(out->image, sizeof(out->image), member(a, "io.kubernetes.cri-o.Image"));
	put_json(out->pod, sizeof(out->pod), member(a, "io.kubernetes.pod.name"));
	put_json(out->ns, sizeof(out->ns), member(a, "io.kubernetes.pod.namespace"));
}

static int crio_read(const char *root, const char *id, struct ctop_container_meta *out)
{
	/* The bundle lives in the run root; older releases also kept a copy. */
	static const char *const dirs[] = { CRIO_RUNROOT, STORAGE_ROOTFUL };
	char path[PATH_MAX];
	const json_t *ann;
	json_t *spec;
	int err;
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		err = path_fmt(path, sizeof(path), root,
			       "%s/overlay-containers/%s/userdata/config.json", dirs[i], id);
		if (err)
			return err;
		err = oci_annotations(path, &spec, &ann);
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

/* Ids go into paths: only the runtime's own id format may. */
static bool valid_hex_id(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return i == 64;
}

int ctop_meta_read(const char *root, const struct ctop_cgroup_info *ci,
		   struct ctop_container_meta *out)
{
	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (!root || !ci || !memchr(ci->id, '\0', sizeof(ci->id)) ||
	    !memchr(ci->name, '\0', sizeof(ci->name)))
		return -EINVAL;

	switch (ci->runtime) {
	case CTOP_RT_LXC:
	case CTOP_RT_NSPAWN:
	case CTOP_RT_OTHER:
		if (!ci->id[0])
			return -EINVAL;
		put_str(out->name, sizeof(out->name), ci->name[0] ? ci->name : ci->id);
		return 0;
	case CTOP_RT_DOCKER:
	case CTOP_RT_PODMAN:
	case CTOP_RT_CONTAINERD:
	case CTOP_RT_CRIO:
		break;
	default:
		return -ENOENT;
	}
	if (!valid_hex_id(ci->id))
		return -EINVAL;

	switch (ci->runtime) {
	case CTOP_RT_DOCKER:
		return docker_read(root, ci->id, out);
	case CTOP_RT_PODMAN:
		return podman_read(root, ci->id, out);
	case CTOP_RT_CONTAINERD:
		return containerd_read(root, ci, out);
	default:
		return crio_read(root, ci->id, out);
	}
}
