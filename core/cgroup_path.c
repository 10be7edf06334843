// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which container a cgroup v2 path belongs to, from the path alone. Each
 * runtime names its cgroup differently; the first (outermost) component
 * that names a container wins, so a runtime nested inside a container is
 * counted as part of the outer one, which is what the host sees.
 */
#include <string.h>
#include "container.h"

#define HEX64_LEN 64

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

/* Docker, containerd and CRI-O ids are 64 lowercase hex digits, always. */
static bool is_hex64(struct comp c)
{
	size_t i;

	if (c.n != HEX64_LEN)
		return false;
	for (i = 0; i < c.n; i++)
		if (!((c.s[i] >= '0' && c.s[i] <= '9') || (c.s[i] >= 'a' && c.s[i] <= 'f')))
			return false;
	return true;
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

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
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

		if (ch == '\\' && i + 3 < c.n && c.s[i + 1] == 'x' && hexval(c.s[i + 2]) >= 0 &&
		    hexval(c.s[i + 3]) >= 0) {
			ch = (char)(hexval(c.s[i + 2]) << 4 | hexval(c.s[i + 3]));
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
};

/* Does component c, in state w, name a container? Fills out if so. */
static bool match_comp(struct comp c, struct walk_state *w, struct ctop_cgroup_info *out)
{
	struct comp id;

	/* systemd cgroup driver: one scope unit per container. */
	if (hex_between(c, "docker-", ".scope", &id))
		return set_hex(out, CTOP_RT_DOCKER, id);
	/* libpod-conmon-<id>.scope is the monitor, a host process: not hex. */
	if (hex_between(c, "libpod-", ".scope", &id) || hex_between(c, "libpod-", "", &id))
		return set_hex(out, CTOP_RT_PODMAN, id);
	if (hex_between(c, "cri-containerd-", ".scope", &id))
		return set_hex(out, CTOP_RT_CONTAINERD, id);
	if (hex_between(c, "nerdctl-", ".scope", &id))
		return set_hex(out, CTOP_RT_CONTAINERD, id);
	/* crio-conmon-<id>.scope is the monitor again. */
	if (hex_between(c, "crio-", ".scope", &id) || hex_between(c, "crio-", "", &id))
		return set_hex(out, CTOP_RT_CRIO, id);

	/* cgroupfs driver: the id is a bare folder under a runtime folder. */
	if (is_hex64(c)) {
		if (comp_is(w->prev, "docker"))
			return set_hex(out, CTOP_RT_DOCKER, c);
		/*
		 * The kubelet on cgroupfs: containerd and cri-dockerd look the
		 * same here; ctop_meta_read() tries both.
		 */
		if (w->prev_is_pod)
			return set_hex(out, CTOP_RT_CONTAINERD, c);
		/* containerd's own default namespace (ctr, nerdctl). */
		if (w->depth == 1 && comp_is(w->prev, "default"))
			return set_hex(out, CTOP_RT_CONTAINERD, c);
	}

	/* LXC 4+ and LXD; lxc.monitor.<name> is the host-side monitor. */
	if (comp_strip(c, "lxc.payload.", "", &id) && take_name(id, out->id, sizeof(out->id)))
		return set_named(out, CTOP_RT_LXC);
	/* LXC before 4.0 put everything under one top-level folder. */
	if (w->depth == 1 && comp_is(w->prev, "lxc") && take_name(c, out->id, sizeof(out->id)))
		return set_named(out, CTOP_RT_LXC);

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

bool ctop_cgroup_parse(const char *path, struct ctop_cgroup_info *out)
{
	struct walk_state w = { 0 };
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
		if (match_comp(c, &w, out)) {
			out->prefix_len = (size_t)(p - path);
			return true;
		}
		note_pod(c, &w, out);
		w.prev = c;
		w.depth++;
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
	out->runtime = CTOP_RT_OTHER;
	out->prefix_len = c.n + 1;
	memcpy(out->id, path, c.n + 1);
	memcpy(out->name, c.s, c.n);
	return true;
}

const char *ctop_runtime_name(enum ctop_runtime rt)
{
	static const char *const names[CTOP_RT__COUNT] = {
		[CTOP_RT_NONE] = "host",
		[CTOP_RT_DOCKER] = "docker",
		[CTOP_RT_PODMAN] = "podman",
		[CTOP_RT_CONTAINERD] = "containerd",
		[CTOP_RT_CRIO] = "cri-o",
		[CTOP_RT_LXC] = "lxc",
		[CTOP_RT_NSPAWN] = "nspawn",
		[CTOP_RT_OTHER] = "cgroup",
	};

	if ((unsigned int)rt >= CTOP_RT__COUNT || !names[rt])
		return "unknown";
	return names[rt];
}
