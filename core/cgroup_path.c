// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which container a cgroup v2 path belongs to, from the path alone. Each
 * runtime names its cgroup differently; the first (outermost) component
 * that names a container wins, so a runtime nested inside a container is
 * counted as part of the outer one, which is what the host sees.
 */
#include <string.h>
#include "format.h"
#include "runtimes.h"

/* One path component: not NUL-terminated, points into the caller's path. */
struct comp {
	const char *s;
	size_t n;
};

static bool comp_is(struct comp c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n == n && !memcmp(c.s, lit, n);
}

static bool comp_starts(struct comp c, const char *pfx)
{
	size_t n = strlen(pfx);

	return c.n >= n && !memcmp(c.s, pfx, n);
}

static bool comp_ends(struct comp c, const char *sfx)
{
	size_t n = strlen(sfx);

	return c.n >= n && !memcmp(c.s + c.n - n, sfx, n);
}

/* c without pfx and sfx, or false when it does not have both. */
static bool comp_strip(struct comp c, const char *pfx, const char *sfx, struct comp *mid)
{
	size_t p = strlen(pfx), s = strlen(sfx);

	if (c.n < p + s || !comp_starts(c, pfx) || !comp_ends(c, sfx))
		return false;
	mid->s = c.s + p;
	mid->n = c.n - p - s;
	return true;
}

static bool is_hex64(struct comp c)
{
	return ctop_is_hex_id(c.s, c.n);
}

/* "<pfx><64 hex><sfx>" */
static bool hex_between(struct comp c, const char *pfx, const char *sfx, struct comp *id)
{
	return comp_strip(c, pfx, sfx, id) && is_hex64(*id);
}

static void copy_comp(char *dst, size_t len, struct comp c)
{
	size_t n = c.n < len - 1 ? c.n : len - 1;

	memcpy(dst, c.s, n);
	dst[n] = '\0';
}

/*
 * A pod uid as the kubelet writes it: dashes on cgroupfs, underscores in
 * systemd slice names (where '-' separates the slice hierarchy). Static pods
 * have a 32-hex uid without dashes, so only the alphabet is checked.
 */
static bool take_pod_uid(struct comp u, char *dst, size_t len)
{
	size_t i;

	if (u.n == 0 || u.n >= len)
		return false;
	for (i = 0; i < u.n; i++) {
		char ch = u.s[i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		      (ch >= 'A' && ch <= 'F') || ch == '-' || ch == '_'))
			return false;
	}
	for (i = 0; i < u.n; i++)
		dst[i] = u.s[i] == '_' ? '-' : u.s[i];
	dst[u.n] = '\0';
	return true;
}

/*
 * systemd escapes unit names with \xNN (machined turns '-' into \x2d).
 * Fails on an empty result, a NUL byte, or a name too long for an id:
 * truncating would let two machines share one id.
 */
static bool unescape_unit(struct comp c, char *dst, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < c.n; i++) {
		char ch = c.s[i];

		if (ch == '\\' && i + 3 < c.n && c.s[i + 1] == 'x' &&
		    ctop_hex_digit(c.s[i + 2]) >= 0 && ctop_hex_digit(c.s[i + 3]) >= 0) {
			ch = (char)(ctop_hex_digit(c.s[i + 2]) << 4 | ctop_hex_digit(c.s[i + 3]));
			i += 3;
		}
		if (ch == '\0' || o + 1 >= len)
			return false;
		dst[o++] = ch;
	}
	dst[o] = '\0';
	return o > 0;
}

static bool take_name(struct comp c, char *dst, size_t len)
{
	if (c.n == 0 || c.n >= len || memchr(c.s, '\0', c.n))
		return false;
	copy_comp(dst, len, c);
	return true;
}

static bool set_hex(struct ctop_cgroup_info *out, enum ctop_runtime rt, struct comp id)
{
	out->runtime = rt;
	copy_comp(out->id, sizeof(out->id), id);
	return true;
}

_Static_assert(CTOP_ID_LEN <= CTOP_NAME_LEN, "an LXC or nspawn id doubles as its name");

static bool set_named(struct ctop_cgroup_info *out, enum ctop_runtime rt)
{
	out->runtime = rt;
	memcpy(out->name, out->id, strlen(out->id) + 1);
	return true;
}

/* What the walk has seen so far, for components that depend on a parent. */
struct walk_state {
	size_t depth;		/* index of the current component */
	struct comp prev;	/* the parent component, n == 0 at the top */
	bool in_kube;		/* below a kubepods* cgroup */
	bool prev_is_pod;	/* the parent is a pod-level cgroup */
	int weak;		/* the last match was a guess: 1 a name, 2 a 64-hex folder */
	bool lxc_dir;		/* the match was an LXC folder /lxc/<name> */
};

static bool set_guess(struct ctop_cgroup_info *out, enum ctop_runtime rt, struct comp id,
		      struct comp ns)
{
	out->confirm = true;
	copy_comp(out->ns, sizeof(out->ns), ns);
	return set_hex(out, rt, id);
}

/* A component that systemd or the host's own software names, never containerd. */
static bool host_unit(struct comp c)
{
	static const char *const sfx[] = { ".slice", ".scope", ".service", ".mount", ".socket" };
	size_t i;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (comp_ends(c, sfx[i]))
			return true;
	return false;
}

/* The folder another runtime keeps its containers in: no containerd namespace. */
static bool runtime_dir(struct comp c)
{
	static const char *const dirs[] = { "lxc", "libpod_parent", "machine", "kubepods" };
	size_t i;
	int rt;

	for (rt = 0; rt < CTOP_RT__COUNT; rt++)
		if (ctop_rt_desc((enum ctop_runtime)rt)->parent &&
		    comp_is(c, ctop_rt_desc((enum ctop_runtime)rt)->parent))
			return true;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (comp_starts(c, dirs[i]))
			return true;
	return false;
}

/*
 * A Podman pod is the container's parent folder: <64 hex> on cgroupfs,
 * machine-libpod_pod_<64 hex>.slice with systemd. Its id goes in pod_uid.
 */
static void note_podman_pod(struct comp parent, struct ctop_cgroup_info *out)
{
	struct comp id;

	if (is_hex64(parent) || hex_between(parent, "machine-libpod_pod_", ".slice", &id))
		copy_comp(out->pod_uid, sizeof(out->pod_uid), is_hex64(parent) ? parent : id);
}

/* Does component c, in state w, name a container? Fills out if so. */
static bool match_comp(struct comp c, struct walk_state *w, struct ctop_cgroup_info *out)
{
	static const struct comp none = { "", 0 };
	const struct ctop_rt_desc *d;
	const struct ctop_rt_unit *u;
	struct comp id;
	int rt;

	/* systemd cgroup driver and its look-alikes: one unit per container. */
	for (rt = 0; rt < CTOP_RT__COUNT; rt++) {
		d = ctop_rt_desc((enum ctop_runtime)rt);
		for (u = d->units; u && u->pfx; u++)
			if (hex_between(c, u->pfx, u->sfx, &id)) {
				if (rt == CTOP_RT_PODMAN)
					note_podman_pod(w->prev, out);
				return set_hex(out, (enum ctop_runtime)rt, id);
			}
	}

	/* cgroupfs driver: the id is a bare folder under a runtime folder. */
	if (is_hex64(c)) {
		for (rt = 0; rt < CTOP_RT__COUNT; rt++) {
			d = ctop_rt_desc((enum ctop_runtime)rt);
			if (d->parent && comp_is(w->prev, d->parent))
				return set_hex(out, (enum ctop_runtime)rt, c);
		}
		/*
		 * The kubelet on cgroupfs: containerd and cri-dockerd look the
		 * same here; ctop_meta_read() tries both.
		 */
		if (w->prev_is_pod)
			return set_hex(out, CTOP_RT_CONTAINERD, c);
		/* containerd's own default namespace (ctr, nerdctl). */
		if (w->depth == 1 && comp_is(w->prev, "default")) {
			copy_comp(out->ns, sizeof(out->ns), w->prev);
			return set_hex(out, CTOP_RT_CONTAINERD, c);
		}
		/*
		 * Anywhere else (docker --cgroup-parent, a containerd
		 * namespace, kubepods without a pod): whichever runtime's
		 * files know the id. Weak: Podman's pod folders are 64 hex
		 * too, with the container below.
		 */
		w->weak = 2;
		return set_guess(out, CTOP_RT_DOCKER, c,
				 w->depth == 1 && w->prev.n < sizeof(out->ns) &&
				 ctop_is_containerd_id(w->prev.s, w->prev.n) ? w->prev : none);
	}
	/* LXC 4+ and LXD; lxc.monitor.<name> is the host-side monitor. */
	if (comp_strip(c, "lxc.payload.", "", &id) && take_name(id, out->id, sizeof(out->id)))
		return set_named(out, CTOP_RT_LXC);
	/*
	 * LXC before 4.0 put everything under one top-level folder, as LXC 4+
	 * does with lxc.cgroup.dir = lxc/<name> (lxc_split() then finds the
	 * payload and the monitor below it).
	 */
	if (w->depth == 1 && comp_is(w->prev, "lxc") && take_name(c, out->id, sizeof(out->id))) {
		w->lxc_dir = true;
		return set_named(out, CTOP_RT_LXC);
	}

	/*
	 * machined registers nspawn containers and libvirt guests alike;
	 * libvirt's qemu guests are virtual machines, not containers.
	 */
	if (comp_is(w->prev, "machine.slice") && comp_strip(c, "machine-", ".scope", &id) &&
	    unescape_unit(id, out->id, sizeof(out->id))) {
		if (!strncmp(out->id, "qemu-", 5)) {
			out->id[0] = '\0';
			return false;
		}
		return set_named(out, CTOP_RT_NSPAWN);
	}
	/*
	 * containerd: /<namespace>/<id>, for any id ctr was given. Only a
	 * weak guess: a deeper component that names a container wins.
	 */
	if (w->depth == 1 && !host_unit(w->prev) && !host_unit(c) && c.n < sizeof(out->id) &&
	    ctop_is_containerd_id(w->prev.s, w->prev.n) && ctop_is_containerd_id(c.s, c.n) &&
	    w->prev.n < sizeof(out->ns) && !runtime_dir(w->prev)) {
		w->weak = 1;
		return set_guess(out, CTOP_RT_CONTAINERD, c, w->prev);
	}
	out->id[0] = '\0';
	return false;
}

/* Offset of needle in c at or after from, or c.n when absent. */
static size_t comp_find(struct comp c, const char *needle, size_t from)
{
	size_t n = strlen(needle), i;

	for (i = from; i + n <= c.n; i++)
		if (!memcmp(c.s + i, needle, n))
			return i;
	return c.n;
}

/*
 * Notes pod-level cgroups, whose uid the containers below them carry.
 * "kubepods" may carry a prefix: kind and other nested clusters run the
 * kubelet with a cgroup root such as /kubelet.slice/kubelet-kubepods.slice.
 */
static void note_pod(struct comp c, struct walk_state *w, struct ctop_cgroup_info *out)
{
	size_t k = comp_find(c, "kubepods", 0), at;
	struct comp uid;

	w->prev_is_pod = false;
	if (k < c.n) {
		w->in_kube = true;
		/* [<prefix>-]kubepods[-<qos>]-pod<uid>.slice */
		at = comp_find(c, "-pod", k);
		if (at == c.n || !comp_ends(c, ".slice"))
			return;
		uid.s = c.s + at + 4;
		if (at + 4 + strlen(".slice") > c.n)
			return;
		uid.n = c.n - at - 4 - strlen(".slice");
		w->prev_is_pod = take_pod_uid(uid, out->pod_uid, sizeof(out->pod_uid));
		return;
	}
	/* cgroupfs: kubepods[/<qos>]/pod<uid> */
	if (w->in_kube && comp_strip(c, "pod", "", &uid) &&
	    take_pod_uid(uid, out->pod_uid, sizeof(out->pod_uid)))
		w->prev_is_pod = true;
}

/*
 * Inside a machine scope, nspawn keeps itself in supervisor and the
 * container in payload: the container is payload alone, the supervisor
 * the host's. rest follows the scope. False when neither follows.
 */
static bool nspawn_split(const char *path, const char *rest, struct ctop_cgroup_info *out)
{
	struct comp c;

	while (*rest == '/')
		rest++;
	c.s = rest;
	c.n = strcspn(rest, "/");
	if (comp_is(c, "supervisor")) {
		memset(out, 0, sizeof(*out));
		return true;
	}
	if (!comp_is(c, "payload"))
		return false;
	out->prefix_len = (size_t)(rest + c.n - path);
	return true;
}

/*
 * LXC 4+ in a folder of its own (lxc.cgroup.dir): the container is
 * <folder>/lxc.payload.<name>, and <folder>/lxc.monitor.<name> holds the
 * host-side monitor, the host's. rest follows the folder. False when
 * neither follows (LXC before 4.0: the folder is the container).
 */
static bool lxc_split(const char *path, const char *rest, struct ctop_cgroup_info *out)
{
	struct comp c, name;

	while (*rest == '/')
		rest++;
	c.s = rest;
	c.n = strcspn(rest, "/");
	if (comp_strip(c, "lxc.monitor.", "", &name)) {
		memset(out, 0, sizeof(*out));
		return true;
	}
	if (!comp_strip(c, "lxc.payload.", "", &name) || !take_name(name, out->id, sizeof(out->id)))
		return false;
	set_named(out, CTOP_RT_LXC);	/* the payload's name, should the folder's differ */
	out->prefix_len = (size_t)(rest + c.n - path);
	return true;
}

bool ctop_cgroup_parse(const char *path, struct ctop_cgroup_info *out)
{
	struct ctop_cgroup_info weak;
	struct walk_state w = { 0 };
	int have_weak = 0;
	const char *p;
	struct comp c;

	if (!out)
		return false;
	memset(out, 0, sizeof(*out));
	if (!path || path[0] != '/')
		return false;

	for (p = path; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		c.s = p;
		c.n = strcspn(p, "/");
		p += c.n;
		w.weak = 0;
		/*
		 * systemd-nspawn without machined (--register=no --keep-unit)
		 * splits the folder it was started in: payload, the container,
		 * and supervisor, nspawn itself. Only the supervisor's command
		 * line, which ctop_meta_read() reads, confirms it and names it.
		 */
		if (comp_is(c, "payload") && (size_t)(p - path) < sizeof(out->id)) {
			memset(out, 0, sizeof(*out));
			out->runtime = CTOP_RT_NSPAWN;
			out->confirm = true;
			memcpy(out->id, path, (size_t)(p - path));
			out->prefix_len = (size_t)(p - path);
			return true;
		}
		if (match_comp(c, &w, out)) {
			out->prefix_len = (size_t)(p - path);
			if (out->runtime == CTOP_RT_NSPAWN && nspawn_split(path, p, out))
				return out->runtime != CTOP_RT_NONE;
			if (w.lxc_dir && lxc_split(path, p, out))
				return out->runtime != CTOP_RT_NONE;
			if (!w.weak)
				return true;
			/* the outermost of the strongest guesses */
			if (w.weak > have_weak) {
				weak = *out;
				have_weak = w.weak;
			}
			out->confirm = false;
			out->ns[0] = '\0';
			out->id[0] = '\0';
		}
		note_pod(c, &w, out);
		w.prev = c;
		w.depth++;
	}
	if (have_weak) {
		*out = weak;
		return true;
	}
	memset(out, 0, sizeof(*out));
	return false;
}

bool ctop_cgroup_parse_other(const char *path, struct ctop_cgroup_info *out)
{
	/* Folders the host's own software and the known runtimes keep. */
	static const char *const host_dirs[] = {
		"docker", "kubepods", "lxc", "libpod_parent", "podman", "default", "moby",
		"k8s.io", "containerd", "crio", "machine", "user", "system", "init",
		"payload", "supervisor",	/* nspawn's own, confirmed or not */
	};
	static const char *const unit_suffixes[] = {
		".slice", ".scope", ".service", ".mount", ".socket", ".swap", ".target",
	};
	struct comp c;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!path || path[0] != '/')
		return false;
	c.s = path + 1;
	c.n = strcspn(c.s, "/");
	if (!c.n || c.n >= sizeof(out->id) - 1 || c.s[0] == '.')
		return false;
	for (i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++)
		if (comp_ends(c, unit_suffixes[i]))
			return false;
	for (i = 0; i < sizeof(host_dirs) / sizeof(host_dirs[0]); i++)
		if (comp_is(c, host_dirs[i]) || (comp_starts(c, host_dirs[i]) &&
						 (c.s[strlen(host_dirs[i])] == '.' ||
						  c.s[strlen(host_dirs[i])] == '-')))
			return false;
	/* Control bytes would reach the terminal: no such names. */
	for (i = 0; i < c.n; i++)
		if ((unsigned char)c.s[i] < 0x20 || c.s[i] == 0x7f)
			return false;
	/* nspawn's supervisor below a folder nspawn was started in: the host's */
	if (!strncmp(c.s + c.n, "/supervisor", 11) && (!c.s[c.n + 11] || c.s[c.n + 11] == '/'))
		return false;
	out->runtime = CTOP_RT_OTHER;
	out->prefix_len = c.n + 1;
	memcpy(out->id, path, c.n + 1);
	memcpy(out->name, c.s, c.n);
	return true;
}
