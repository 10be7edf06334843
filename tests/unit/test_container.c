// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Container discovery: cgroup path parsing, runtime metadata from fixture
 * trees (tests/fixtures/discovery), the cgroup id index over temporary
 * folders and the real hierarchy, and the cgroup2 mount from mountinfo.
 * Needs no root and no container runtime.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include "container.h"

/* ------------------------------------------------------------------ */
/* Path parsing                                                        */
/* ------------------------------------------------------------------ */

#define ID1 "6469c20502ffa726bb7f444497f7df3e2ee8dad24ba4d4d00675d5835ad8a09f"
#define ID2 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID1_UPPER "6469C20502FFA726BB7F444497F7DF3E2EE8DAD24BA4D4D00675D5835AD8A09F"
#define ID1_SHORT "6469c20502ffa726bb7f444497f7df3e2ee8dad24ba4d4d00675d5835ad8a09"
#define UID "6b1f2e3a-9c4d-4e5f-8a7b-0c1d2e3f4a5b"
#define UIDU "6b1f2e3a_9c4d_4e5f_8a7b_0c1d2e3f4a5b"
#define STATIC_UID "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define BURSTABLE_SLICE "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UIDU ".slice"
#define NAME71 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs"

struct parse_case {
	const char *path;
	enum ctop_runtime rt;	/* CTOP_RT_NONE: expect false */
	const char *id;
	const char *name;
	const char *pod_uid;
	const char *own;	/* the container's own cgroup: prefix_len = strlen */
};

#define HOST(p) { p, CTOP_RT_NONE, "", "", "", "" }


static const struct parse_case parse_cases[] = {
	/* Docker, cgroupfs driver */
	{ "/docker/" ID1, CTOP_RT_DOCKER, ID1, "", "", "/docker/" ID1 },
	{ "/docker/" ID1 "/sub", CTOP_RT_DOCKER, ID1, "", "", "/docker/" ID1 },
	{ "/docker/" ID1 "/", CTOP_RT_DOCKER, ID1, "", "", "/docker/" ID1 },
	{ "//docker//" ID1, CTOP_RT_DOCKER, ID1, "", "", "//docker//" ID1 },
	/* Docker, systemd driver */
	{ "/system.slice/docker-" ID1 ".scope", CTOP_RT_DOCKER, ID1, "", "",
	  "/system.slice/docker-" ID1 ".scope" },
	{ "/system.slice/docker-" ID1 ".scope/init", CTOP_RT_DOCKER, ID1, "", "",
	  "/system.slice/docker-" ID1 ".scope" },
	/* Docker in Docker: the outer container owns everything below it */
	{ "/docker/" ID1 "/docker/" ID2, CTOP_RT_DOCKER, ID1, "", "", "/docker/" ID1 },
	HOST("/docker"),
	HOST("/docker/"),
	HOST("/docker/abc"),
	HOST("/docker/buildkit"),
	HOST("/docker/" ID1_UPPER),
	HOST("/docker/" ID1_SHORT),
	HOST("/docker/" ID1 "0"),
	HOST("/system.slice/docker.service"),
	HOST("/system.slice/docker.socket"),
	HOST("/system.slice/docker-" ID1),
	HOST("/system.slice/docker-" ID1 ".mount"),
	HOST("/system.slice/docker-" ID1_SHORT ".scope"),

	/* Podman */
	{ "/machine.slice/libpod-" ID1 ".scope", CTOP_RT_PODMAN, ID1, "", "",
	  "/machine.slice/libpod-" ID1 ".scope" },
	{ "/machine.slice/libpod-" ID1 ".scope/container", CTOP_RT_PODMAN, ID1, "", "",
	  "/machine.slice/libpod-" ID1 ".scope" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID1 ".scope",
	  CTOP_RT_PODMAN, ID1, "", "",
	  "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID1 ".scope" },
	{ "/machine.slice/machine-libpod_pod_" ID2 ".slice/libpod-" ID1 ".scope/container",
	  CTOP_RT_PODMAN, ID1, "", ID2,
	  "/machine.slice/machine-libpod_pod_" ID2 ".slice/libpod-" ID1 ".scope" },
	{ "/libpod_parent/libpod-" ID1, CTOP_RT_PODMAN, ID1, "", "", "/libpod_parent/libpod-" ID1 },
	HOST("/machine.slice/libpod-conmon-" ID1 ".scope"),
	HOST("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-conmon-" ID1 ".scope"),
	HOST("/machine.slice/machine-libpod_pod_" ID2 ".slice"),
	HOST("/libpod_parent/conmon"),

	/* containerd / Kubernetes, cgroupfs driver */
	{ "/kubepods/burstable/pod" UID "/" ID1, CTOP_RT_CONTAINERD, ID1, "", UID,
	  "/kubepods/burstable/pod" UID "/" ID1 },
	{ "/kubepods/besteffort/pod" UID "/" ID1 "/sub", CTOP_RT_CONTAINERD, ID1, "", UID,
	  "/kubepods/besteffort/pod" UID "/" ID1 },
	{ "/kubepods/pod" UID "/" ID1, CTOP_RT_CONTAINERD, ID1, "", UID, "/kubepods/pod" UID "/" ID1 },
	{ "/kubepods/pod" STATIC_UID "/" ID1, CTOP_RT_CONTAINERD, ID1, "", STATIC_UID,
	  "/kubepods/pod" STATIC_UID "/" ID1 },
	HOST("/kubepods"),
	HOST("/kubepods/burstable"),
	HOST("/kubepods/burstable/pod" UID),
	HOST("/kubepods/burstable/pod" UID "/notanid"),
	HOST("/kubepods/burstable/pod"),
	/* containerd / Kubernetes, systemd driver */
	{ BURSTABLE_SLICE "/cri-containerd-" ID1 ".scope", CTOP_RT_CONTAINERD, ID1, "", UID,
	  BURSTABLE_SLICE "/cri-containerd-" ID1 ".scope" },
	{ "/kubepods.slice/kubepods-pod" UIDU ".slice/cri-containerd-" ID1 ".scope",
	  CTOP_RT_CONTAINERD, ID1, "", UID,
	  "/kubepods.slice/kubepods-pod" UIDU ".slice/cri-containerd-" ID1 ".scope" },
	{ "/system.slice/cri-containerd-" ID1 ".scope", CTOP_RT_CONTAINERD, ID1, "", "",
	  "/system.slice/cri-containerd-" ID1 ".scope" },
	/* kind: the kubelet runs with a cgroup root of its own */
	{ "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
	  "kubelet-kubepods-besteffort-pod" UIDU ".slice/cri-containerd-" ID1 ".scope",
	  CTOP_RT_CONTAINERD, ID1, "", UID,
	  "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
	  "kubelet-kubepods-besteffort-pod" UIDU ".slice/cri-containerd-" ID1 ".scope" },
	HOST(BURSTABLE_SLICE),
	HOST("/kubepods.slice"),
	HOST("/kubepods.slice/kubepods-burstable.slice"),
	/* Docker as the kubelet's runtime (systemd driver) keeps the pod uid */
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UIDU ".slice/docker-" ID1
	  ".scope", CTOP_RT_DOCKER, ID1, "", UID,
	  "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UIDU ".slice/docker-" ID1
	  ".scope" },
	/* containerd's default namespace (ctr, nerdctl) */
	{ "/default/" ID1, CTOP_RT_CONTAINERD, ID1, "", "", "/default/" ID1 },
	{ "/default/" ID1 "/sub", CTOP_RT_CONTAINERD, ID1, "", "", "/default/" ID1 },
	{ "/system.slice/nerdctl-" ID1 ".scope", CTOP_RT_CONTAINERD, ID1, "", "",
	  "/system.slice/nerdctl-" ID1 ".scope" },
	/* a --cgroup-parent: Docker if its files know the id */
	/* Podman's pod folder is 64 hex too: the container below wins */
	{ "/libpod_parent/" ID2 "/libpod-" ID1, CTOP_RT_PODMAN, ID1, "", ID2,
	  "/libpod_parent/" ID2 "/libpod-" ID1 },
	/* so does a certain match below a containerd guess */
	{ "/kubepods/burstable/pod" UID "/" ID2, CTOP_RT_CONTAINERD, ID2, "", UID,
	  "/kubepods/burstable/pod" UID "/" ID2 },
	HOST("/system.slice/ssh.service/x"),
	HOST("/default"),

	/* CRI-O */
	{ BURSTABLE_SLICE "/crio-" ID1 ".scope", CTOP_RT_CRIO, ID1, "", UID,
	  BURSTABLE_SLICE "/crio-" ID1 ".scope" },
	{ BURSTABLE_SLICE "/crio-" ID1 ".scope/container", CTOP_RT_CRIO, ID1, "", UID,
	  BURSTABLE_SLICE "/crio-" ID1 ".scope" },
	{ "/kubepods/burstable/pod" UID "/crio-" ID1, CTOP_RT_CRIO, ID1, "", UID,
	  "/kubepods/burstable/pod" UID "/crio-" ID1 },
	HOST(BURSTABLE_SLICE "/crio-conmon-" ID1 ".scope"),
	HOST("/system.slice/crio.service"),
	HOST("/crio-" ID1_SHORT ".scope"),

	/* LXC */
	{ "/lxc.payload.web", CTOP_RT_LXC, "web", "web", "", "/lxc.payload.web" },
	{ "/lxc.payload.web/init.scope", CTOP_RT_LXC, "web", "web", "", "/lxc.payload.web" },
	{ "/lxc.payload.my-ct.1", CTOP_RT_LXC, "my-ct.1", "my-ct.1", "", "/lxc.payload.my-ct.1" },
	{ "/lxc/web", CTOP_RT_LXC, "web", "web", "", "/lxc/web" },
	{ "/lxc/web/sub", CTOP_RT_LXC, "web", "web", "", "/lxc/web" },
	/* LXC 5 with lxc.cgroup.dir = lxc/web: the payload, not its monitor */
	{ "/lxc/web/lxc.payload.web", CTOP_RT_LXC, "web", "web", "", "/lxc/web/lxc.payload.web" },
	{ "/lxc/web/lxc.payload.web/.lxc", CTOP_RT_LXC, "web", "web", "",
	  "/lxc/web/lxc.payload.web" },
	HOST("/lxc/web/lxc.monitor.web"),
	{ "/lxc/dir/lxc.payload.web", CTOP_RT_LXC, "web", "web", "", "/lxc/dir/lxc.payload.web" },
	{ "/lxc.payload." NAME71, CTOP_RT_LXC, NAME71, NAME71, "", "/lxc.payload." NAME71 },
	HOST("/lxc.payload." NAME71 "t"),
	HOST("/lxc.monitor.web"),
	HOST("/lxc.pivot"),
	HOST("/lxc"),
	HOST("/lxc/"),
	HOST("/lxc.payload."),

	/* systemd-nspawn */
	{ "/machine.slice/machine-debian.scope", CTOP_RT_NSPAWN, "debian", "debian", "",
	  "/machine.slice/machine-debian.scope" },
	{ "/machine.slice/machine-my\\x2dcontainer.scope", CTOP_RT_NSPAWN, "my-container",
	  "my-container", "", "/machine.slice/machine-my\\x2dcontainer.scope" },
	/* nspawn's payload is the container; its supervisor is the host's */
	{ "/machine.slice/machine-my\\x2dcontainer.scope/payload/system.slice", CTOP_RT_NSPAWN,
	  "my-container", "my-container", "", "/machine.slice/machine-my\\x2dcontainer.scope/payload" },
	HOST("/machine.slice/machine-my\\x2dcontainer.scope/supervisor"),
	{ "/machine.slice/machine-x\\x2.scope", CTOP_RT_NSPAWN, "x\\x2", "x\\x2", "",
	  "/machine.slice/machine-x\\x2.scope" },
	HOST("/machine.slice/machine-qemu\\x2d1\\x2dwin11.scope"),
	HOST("/machine.slice/machine-.scope"),
	HOST("/machine.slice/machine-bad\\x00.scope"),
	HOST("/system.slice/machine-debian.scope"),
	HOST("/machine.slice"),
	HOST("/machine.slice/systemd-nspawn@debian.service"),

	/* The host */
	HOST("/"),
	HOST(""),
	HOST("//"),
	HOST("/init.scope"),
	HOST("/user.slice/user-1000.slice/session-1.scope"),
	HOST("/user.slice/user-1000.slice/user@1000.service/app.slice/dbus.service"),
	HOST("/system.slice/ssh.service"),
	HOST("docker/" ID1),
	HOST(" /docker/" ID1),
};

static const char *rt_label(enum ctop_runtime rt)
{
	return ctop_runtime_name(rt);
}

Test(parse, fixture_table)
{
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct ctop_cgroup_info ci;
		bool ok;

		memset(&ci, 0x5a, sizeof(ci));
		ok = ctop_cgroup_parse(c->path, &ci);
		cr_expect_eq(ok, c->rt != CTOP_RT_NONE, "%s: parse returned %d", c->path, ok);
		cr_expect_eq(ci.runtime, c->rt, "%s: runtime %s, want %s", c->path,
			     rt_label(ci.runtime), rt_label(c->rt));
		cr_expect_str_eq(ci.id, c->id, "%s: id", c->path);
		cr_expect_str_eq(ci.name, c->name, "%s: name", c->path);
		cr_expect_str_eq(ci.pod_uid, c->pod_uid, "%s: pod_uid", c->path);
		cr_expect_eq(ci.prefix_len, strlen(c->own), "%s: prefix_len %zu, want %zu", c->path,
			     ci.prefix_len, strlen(c->own));
		cr_expect_not(ci.confirm, "%s: a guess", c->path);
		if (c->rt != CTOP_RT_NONE)
			cr_expect(!strncmp(c->path, c->own, strlen(c->own)), "%s: table typo", c->path);
	}
}

/*
 * Paths only the runtime's files can place: a 64-hex folder anywhere
 * (docker --cgroup-parent, kubepods without a pod) and containerd's
 * /<namespace>/<id>. Without the files the collector takes them for the
 * host (or an unknown runtime's top-level folder).
 */
static const struct {
	const char *path;
	enum ctop_runtime rt;
	const char *id, *ns, *own;
} guess_cases[] = {
#define GUESS(p, rt, id, ns, own) { p, rt, id, ns, own }
	GUESS("/kubepods/burstable/podzz/" ID1, CTOP_RT_DOCKER, ID1, "",
	      "/kubepods/burstable/podzz/" ID1),
	GUESS("/pod" UID "/" ID1, CTOP_RT_DOCKER, ID1, "pod" UID, "/pod" UID "/" ID1),
	GUESS("/kubepods/burstable/" ID1, CTOP_RT_DOCKER, ID1, "", "/kubepods/burstable/" ID1),
	GUESS("/kubepods.slice/kubepods-pod.slice/" ID1, CTOP_RT_DOCKER, ID1, "",
	      "/kubepods.slice/kubepods-pod.slice/" ID1),
	GUESS("/default/myctr", CTOP_RT_CONTAINERD, "myctr", "default", "/default/myctr"),
	GUESS("/rt/rt-ctr2/sub", CTOP_RT_CONTAINERD, "rt-ctr2", "rt", "/rt/rt-ctr2"),
	GUESS("/rt-parent/" ID1, CTOP_RT_DOCKER, ID1, "rt-parent", "/rt-parent/" ID1),
	GUESS("/a/b/" ID1 "/x", CTOP_RT_DOCKER, ID1, "", "/a/b/" ID1),
	GUESS("/x/default/" ID1, CTOP_RT_DOCKER, ID1, "", "/x/default/" ID1),
	GUESS("/a/lxc/web", CTOP_RT_CONTAINERD, "lxc", "a", "/a/lxc"),
	/* systemd-nspawn --register=no --keep-unit: the supervisor confirms it */
	GUESS("/payload", CTOP_RT_NSPAWN, "/payload", "", "/payload"),
	GUESS("/rtns/payload/init.scope", CTOP_RT_NSPAWN, "/rtns/payload", "", "/rtns/payload"),
#undef GUESS
};

Test(parse, guesses_to_confirm)
{
	size_t i;

	for (i = 0; i < sizeof(guess_cases) / sizeof(guess_cases[0]); i++) {
		struct ctop_cgroup_info ci;

		memset(&ci, 0x5a, sizeof(ci));
		cr_expect(ctop_cgroup_parse(guess_cases[i].path, &ci), "%s", guess_cases[i].path);
		cr_expect(ci.confirm, "%s: not a guess", guess_cases[i].path);
		cr_expect_eq(ci.runtime, guess_cases[i].rt, "%s: runtime %s", guess_cases[i].path,
			     rt_label(ci.runtime));
		cr_expect_str_eq(ci.id, guess_cases[i].id, "%s: id", guess_cases[i].path);
		cr_expect_str_eq(ci.ns, guess_cases[i].ns, "%s: ns", guess_cases[i].path);
		cr_expect_str_eq(ci.name, "", "%s: name", guess_cases[i].path);
		cr_expect_eq(ci.prefix_len, strlen(guess_cases[i].own), "%s: prefix_len %zu",
			     guess_cases[i].path, ci.prefix_len);
	}
}

Test(parse, host_leaves_out_zeroed)
{
	struct ctop_cgroup_info ci, zero;

	memset(&zero, 0, sizeof(zero));
	memset(&ci, 0xa5, sizeof(ci));
	cr_assert_not(ctop_cgroup_parse("/kubepods/burstable/pod" UID, &ci));
	cr_expect_eq(memcmp(&ci, &zero, sizeof(ci)), 0, "a host path leaves stale bytes");
	memset(&ci, 0xa5, sizeof(ci));
	cr_assert_not(ctop_cgroup_parse(NULL, &ci));
	cr_expect_eq(memcmp(&ci, &zero, sizeof(ci)), 0);
	cr_expect_not(ctop_cgroup_parse("/docker/" ID1, NULL));
}

Test(parse, long_and_odd_input)
{
	size_t n = 1 << 20, i;
	struct ctop_cgroup_info ci;
	char *p = malloc(n + 200);

	cr_assert_not_null(p);
	/* one huge component */
	p[0] = '/';
	memset(p + 1, 'a', n - 1);
	p[n] = '\0';
	cr_expect_not(ctop_cgroup_parse(p, &ci));
	/* only slashes */
	memset(p, '/', n);
	cr_expect_not(ctop_cgroup_parse(p, &ci));
	/* very deep, then a container: still found, prefix covers it all */
	for (i = 0; i + 2 <= n - 100; i += 2)
		memcpy(p + i, "/a", 2);
	snprintf(p + i, 100, "/docker/%s/x", ID1);
	cr_expect(ctop_cgroup_parse(p, &ci));
	cr_expect_eq(ci.prefix_len, strlen(p) - 2);
	/* a huge id-like component and huge escapes */
	memcpy(p, "/machine.slice/machine-", 23);
	for (i = 23; i + 4 <= n; i += 4)
		memcpy(p + i, "\\x2d", 4);
	memcpy(p + i, ".scope", 7);
	cr_expect_not(ctop_cgroup_parse(p, &ci));
	memcpy(p, "/lxc.payload.", 13);
	memset(p + 13, 'n', n - 13);
	p[n] = '\0';
	cr_expect_not(ctop_cgroup_parse(p, &ci));
	free(p);
}

/* Random paths from runtime-shaped pieces: never crash, stay consistent. */
Test(parse, random_pieces)
{
	static const char *const pieces[] = {
		"/", "//", "docker", "docker-", ".scope", ID1, ID1_SHORT, "libpod-", "conmon-",
		"kubepods", "kubepods-burstable-pod", UIDU, ".slice", "pod", UID, "crio-",
		"cri-containerd-", "lxc", "lxc.payload.", "machine.slice", "machine-", "\\x2d",
		"\\x", "\\", "default", "qemu-", "x", "-", "_", ".", "\xc3\xa9", "\x01",
	};
	unsigned int seed = 12345;
	char path[1024];
	size_t i, k, len;

	for (i = 0; i < 200000; i++) {
		struct ctop_cgroup_info ci;
		size_t np = rand_r(&seed) % 12;

		len = 0;
		path[len++] = '/';
		for (k = 0; k < np; k++) {
			const char *s = pieces[rand_r(&seed) % (sizeof(pieces) / sizeof(pieces[0]))];

			if (len + strlen(s) + 1 >= sizeof(path))
				break;
			memcpy(path + len, s, strlen(s));
			len += strlen(s);
		}
		path[len] = '\0';
		if (!ctop_cgroup_parse(path, &ci)) {
			cr_assert_eq(ci.runtime, CTOP_RT_NONE);
			continue;
		}
		cr_assert(ci.runtime > CTOP_RT_NONE && ci.runtime < CTOP_RT__COUNT, "%s", path);
		cr_assert(ci.id[0], "%s: empty id", path);
		cr_assert(ci.prefix_len > 0 && ci.prefix_len <= len, "%s", path);
		cr_assert(path[ci.prefix_len] == '\0' || path[ci.prefix_len] == '/', "%s", path);
		cr_assert(memchr(ci.id, '\0', sizeof(ci.id)) && memchr(ci.name, '\0', sizeof(ci.name)) &&
			  memchr(ci.pod_uid, '\0', sizeof(ci.pod_uid)));
		if (ci.runtime == CTOP_RT_CONTAINERD && ci.confirm)
			cr_assert(ctop_is_containerd_id(ci.id, strlen(ci.id)), "%s", path);
		else if (ci.runtime != CTOP_RT_LXC && ci.runtime != CTOP_RT_NSPAWN)
			cr_assert(ctop_is_hex_id(ci.id, strlen(ci.id)), "%s", path);
	}
}

Test(parse, runtime_names)
{
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT_NONE), "host");
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT_DOCKER), "docker");
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT_PODMAN), "podman");
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT_CONTAINERD), "containerd");
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT_CRIO), "cri-o");
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT_LXC), "lxc");
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT_NSPAWN), "nspawn");
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT_OTHER), "cgroup");
	cr_expect_str_eq(ctop_runtime_name(CTOP_RT__COUNT), "unknown");
	cr_expect_str_eq(ctop_runtime_name((enum ctop_runtime)-1), "unknown");
}

/* ------------------------------------------------------------------ */
/* Metadata from fixture trees                                         */
/* ------------------------------------------------------------------ */

/* Ids of the fixture containers (tests/fixtures/discovery/root...). */
#define D_PLAIN ID1
#define D_COMPOSE "a132d1812a5aa0fbaca744f0b91bc96effe053a61dfa01f4854b1b48fd97f9db"
#define D_K8S "ca5eb04cb879730160f679b41a8029769ac1b217b59c5e398ff67106dbb3161c"
#define D_BROKEN "02ef7dbe3edef6a6c20d5a35f3834619d837c31e1431590e11fbd01d2de17c8f"
#define D_ARRAY "41b5e1a508512501040aae278992640b752b9d6680bc891b03444f46c78d04af"
#define D_LONG "3fcdbc00cfc4aa9d8322bd416e660ab6ba88b13267307ead103d5adfc26c34f4"
#define D_CUSTOM "ab320e6f66c3c7b8f8b0493ff5a2494ea8f21b119e2607e83b1751b1fadbbb9e"
#define D_ROOTLESS "a8c69946c036653d022a221408f9797bca31ef2d2c7bddbd731ae7b23ab9cec1"
#define P_ROOT "b87d446fac5ba5e49d359aebdbd3a0a7e31027aeaa6ff9eccd8f4793ce450fdd"
#define P_NOIMG "9cf8de5ee01b40be2d65f23028713648b9b30f1638fd7fa32577f94f1ecf3f4a"
#define P_NOIMG_IMAGE "78bc3aa372f81e65267d101ebe447d0387235de6506c1bb5b1cf4c8a60e50809"
#define P_ALICE "d84b1bceae804077cbff7956ba73f2b6062fc4a11a28257b10cf53bbbce4050e"
#define C_K8S "7ce3e11b3145bf6806e029a5bb8b9c55cd6e7d0468c306e32b59252419e4fc11"
#define C_SANDBOX "dc5daf92a27e84bafd02343a4805308332e16f9fed29617198f4328b917718b4"
#define C_NERD "7d60a4856d19b5a2e07f51dc1aec63a99b8c6bfae54779413e76a7541b0621f2"
#define R_CTR "184805990b6f3ebfb08d02d46d1e0acc3ed9abb659e2509d8c19c2f1cb5f0c44"
#define R_INFRA "a71f84a9f57efccb00096e7aafd7c2b0b432d89e43b2cdaaf97e47ecab077cf7"
#define R_OLD "a4485cfbca48f3ffad23d8706b62cd34419355099e3f3231435f8bd1ffe05d03"

static const char *fixture(char *buf, size_t len, const char *rel)
{
	const char *base = getenv("CTOP_FIXTURES");

	snprintf(buf, len, "%s/discovery/%s", base && *base ? base : "tests/fixtures", rel);
	return buf;
}

static struct ctop_cgroup_info info(enum ctop_runtime rt, const char *id, const char *pod_uid)
{
	struct ctop_cgroup_info ci;

	memset(&ci, 0, sizeof(ci));
	ci.runtime = rt;
	snprintf(ci.id, sizeof(ci.id), "%s", id);
	snprintf(ci.pod_uid, sizeof(ci.pod_uid), "%s", pod_uid);
	return ci;
}

struct meta_case {
	const char *root;
	enum ctop_runtime rt;
	const char *id;
	const char *pod_uid;
	int ret;
	const char *name, *image, *pod, *ns;
};

static const struct meta_case meta_cases[] = {
	{ "root", CTOP_RT_DOCKER, D_PLAIN, "", 0, "disc-test", "ctoptest:latest", "", "" },
	{ "root", CTOP_RT_DOCKER, D_COMPOSE, "", 0, "shop-web-1", "nginx:1.25", "shop", "web" },
	{ "root", CTOP_RT_DOCKER, D_K8S, "", 0, "api", "registry.example/api@sha256:abc",
	  "api-5f7c-q2x", "prod" },
	{ "root", CTOP_RT_DOCKER, D_BROKEN, "", -EINVAL, "", "", "", "" },
	{ "root", CTOP_RT_DOCKER, D_ARRAY, "", -EINVAL, "", "", "", "" },
	{ "root", CTOP_RT_DOCKER, ID2, "", -ENOENT, "", "", "", "" },
	{ "root///", CTOP_RT_DOCKER, D_PLAIN, "", 0, "disc-test", "ctoptest:latest", "", "" },
	/* daemon.json moves data-root; the default place is still tried */
	{ "root-dataroot", CTOP_RT_DOCKER, D_CUSTOM, "", 0, "moved", "alpine:3.19", "", "" },
	{ "root-dataroot", CTOP_RT_DOCKER, D_PLAIN, "", -ENOENT, "", "", "", "" },
	/* rootless: ~/.local/share/docker */
	{ "root", CTOP_RT_DOCKER, D_ROOTLESS, "", 0, "bobs-app", "bob/app:dev", "", "" },

	{ "root", CTOP_RT_PODMAN, P_ROOT, "", 0, "db", "docker.io/library/postgres:16", "", "" },
	{ "root", CTOP_RT_PODMAN, P_NOIMG, "", 0, "built", P_NOIMG_IMAGE, "", "" },
	{ "root", CTOP_RT_PODMAN, P_ALICE, "", 0, "alice-web", "docker.io/library/caddy:2", "", "" },
	{ "root", CTOP_RT_PODMAN, ID2, "", -ENOENT, "", "", "", "" },
	{ "root-broken", CTOP_RT_PODMAN, P_ROOT, "", -EINVAL, "", "", "", "" },

	{ "root", CTOP_RT_CONTAINERD, C_K8S, UID, 0, "nginx", "docker.io/library/nginx:1.25",
	  "web-7d4b9c-xk2lp", "shop" },
	{ "root", CTOP_RT_CONTAINERD, C_SANDBOX, UID, 0, "POD", "", "web-7d4b9c-xk2lp", "shop" },
	{ "root", CTOP_RT_CONTAINERD, C_NERD, "", 0, "web1", "", "", "default" },
	{ "root", CTOP_RT_CONTAINERD, ID2, UID, -ENOENT, "", "", "", "" },
	/* kubepods/<pod>/<id> with no containerd bundle: cri-dockerd */
	{ "root", CTOP_RT_CONTAINERD, D_K8S, UID, 0, "api", "registry.example/api@sha256:abc",
	  "api-5f7c-q2x", "prod" },
	{ "root", CTOP_RT_CONTAINERD, D_K8S, "", -ENOENT, "", "", "", "" },

	{ "root", CTOP_RT_CRIO, R_CTR, UID, 0, "coredns", "registry.k8s.io/coredns/coredns:v1.11.1",
	  "coredns-76f75df574-8hx9d", "kube-system" },
	{ "root", CTOP_RT_CRIO, R_INFRA, UID, 0, "POD", "registry.k8s.io/pause:3.9",
	  "coredns-76f75df574-8hx9d", "kube-system" },
	{ "root", CTOP_RT_CRIO, R_OLD, "", 0, "old", "quay.io/old/image:1", "old-pod", "legacy" },
	{ "root", CTOP_RT_CRIO, ID2, "", -ENOENT, "", "", "", "" },

	{ "root", CTOP_RT_LXC, "web", "", 0, "web", "", "", "" },
	{ "root", CTOP_RT_NSPAWN, "my-container", "", 0, "my-container", "", "", "" },
	{ "root", CTOP_RT_NONE, "", "", -ENOENT, "", "", "", "" },

	/* no runtime files at all */
	{ "nowhere", CTOP_RT_DOCKER, D_PLAIN, "", -ENOENT, "", "", "", "" },
	{ "nowhere", CTOP_RT_PODMAN, P_ROOT, "", -ENOENT, "", "", "", "" },
	{ "nowhere", CTOP_RT_CONTAINERD, C_K8S, UID, -ENOENT, "", "", "", "" },
	{ "nowhere", CTOP_RT_CRIO, R_CTR, "", -ENOENT, "", "", "", "" },

	/* ids end up in paths: only real ids get there */
	{ "root", CTOP_RT_DOCKER, "../../../../etc", "", -EINVAL, "", "", "", "" },
	{ "root", CTOP_RT_DOCKER, ID1_UPPER, "", -EINVAL, "", "", "", "" },
	{ "root", CTOP_RT_DOCKER, "", "", -EINVAL, "", "", "", "" },
	{ "root", CTOP_RT_LXC, "", "", -EINVAL, "", "", "", "" },
};

Test(meta, fixture_table)
{
	char root[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(meta_cases) / sizeof(meta_cases[0]); i++) {
		const struct meta_case *c = &meta_cases[i];
		struct ctop_cgroup_info ci = info(c->rt, c->id, c->pod_uid);
		struct ctop_container_meta m;
		int ret;

		memset(&m, 0x7f, sizeof(m));
		ret = ctop_meta_read(fixture(root, sizeof(root), c->root), NULL, &ci, &m);
		cr_expect_eq(ret, c->ret, "%s %s %.12s: returned %d, want %d", c->root,
			     rt_label(c->rt), c->id, ret, c->ret);
		cr_expect_str_eq(m.name, c->name, "%s %.12s: name", rt_label(c->rt), c->id);
		cr_expect_str_eq(m.image, c->image, "%s %.12s: image", rt_label(c->rt), c->id);
		cr_expect_str_eq(m.pod, c->pod, "%s %.12s: pod", rt_label(c->rt), c->id);
		cr_expect_str_eq(m.ns, c->ns, "%s %.12s: ns", rt_label(c->rt), c->id);
	}
}

#define POD_ID "54c48714548e94481df1b5ed2acdea2c5a904a5ab1253ac261d2b6b52fbaf309"
#define POD_INFRA "5853095b28c96fa91902f710ce0016185056c31b061c095879d7c898c9197c78"
#define POD_WEB "7c005a4fcb45a25a2dafd289fcd8166fd9d95211c9c289268aa28458c6bf7c35"
#define POD_ID_SHORT_INFRA "54c48714548e-infra"

/* Parses path and reads its metadata below root, as the collector does: both must work. */
static void meta_of_path(const char *root, const char *path, struct ctop_cgroup_info *ci,
			 struct ctop_container_meta *m)
{
	cr_assert(ctop_cgroup_parse(path, ci), "%s", path);
	cr_expect_eq(ctop_meta_read(root, NULL, ci, m), 0, "%s", path);
}

/* The parse result feeds meta_read directly, as the collector does. */
Test(meta, from_parsed_paths)
{
	static const struct {
		const char *root, *path, *name, *pod;	/* pod NULL: not checked */
	} cases[] = {
		{ "root", "/docker/" D_PLAIN, "disc-test", NULL },
		{ "root", "/system.slice/docker-" D_COMPOSE ".scope", "shop-web-1", NULL },
		{ "root", "/user.slice/user-1001.slice/user@1001.service/docker.service/docker/" D_ROOTLESS,
		  "bobs-app", NULL },
		{ "root", "/machine.slice/libpod-" P_ROOT ".scope/container", "db", NULL },
		{ "root", "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" P_ALICE ".scope",
		  "alice-web", NULL },
		{ "root", BURSTABLE_SLICE "/cri-containerd-" C_K8S ".scope", "nginx", NULL },
		{ "root", "/kubepods/burstable/pod" UID "/" C_SANDBOX, "POD", NULL },
		{ "root", "/kubepods/burstable/pod" UID "/" D_K8S, "api", NULL },
		{ "root", "/default/" C_NERD, "web1", NULL },
		{ "root", BURSTABLE_SLICE "/crio-" R_CTR ".scope", "coredns", NULL },
		{ "root", "/lxc.payload.web", "web", NULL },
		{ "root", "/machine.slice/machine-my\\x2dcontainer.scope", "my-container", NULL },
		/* what Podman 4.3 wrote for `podman pod create --name rtpod1` */
		{ "root-podpod", "/libpod_parent/" POD_ID "/libpod-" POD_WEB, "rtpod1-web", "rtpod1" },
		{ "root-podpod", "/libpod_parent/" POD_ID "/libpod-" POD_INFRA, "POD", "rtpod1" },
		{ "root-podpod", "/machine.slice/machine-libpod_pod_" POD_ID ".slice/libpod-" POD_WEB
		  ".scope", "rtpod1-web", "rtpod1" },
		/* no pod in the path: nothing looked up, nothing marked */
		{ "root-podpod", "/libpod_parent/libpod-" POD_INFRA, POD_ID_SHORT_INFRA, "" },
	};
	char root[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctop_cgroup_info ci;
		struct ctop_container_meta m;

		fixture(root, sizeof(root), cases[i].root);
		meta_of_path(root, cases[i].path, &ci, &m);
		cr_expect_str_eq(m.name, cases[i].name, "%s", cases[i].path);
		/* a sandbox or infra container, and only that, is named POD */
		cr_expect_eq(m.infra, !strcmp(cases[i].name, "POD"), "%s", cases[i].path);
		if (cases[i].pod)
			cr_expect_str_eq(m.pod, cases[i].pod, "%s", cases[i].path);
	}
}

/* Control bytes are kept for the JSON; the table and the screen make them safe. */
Test(meta, truncation_keeps_utf8_and_the_bytes_as_they_are)
{
	struct ctop_cgroup_info ci = info(CTOP_RT_DOCKER, D_LONG, "");
	struct ctop_container_meta m;
	char root[PATH_MAX], want[CTOP_NAME_LEN];
	size_t i;

	cr_assert_eq(ctop_meta_read(fixture(root, sizeof(root), "root"), NULL, &ci, &m), 0);
	/* 120 'x' then 2-byte characters: the one that would be cut goes */
	memset(want, 'x', 120);
	for (i = 0; i < 3; i++)
		memcpy(want + 120 + 2 * i, "\xc3\xa9", 2);
	want[126] = '\0';
	cr_expect_str_eq(m.name, want);
	cr_expect_str_eq(m.image, "evil\x1b[31mred\xc3\xa9");
	cr_expect_str_eq(m.pod, "a\nb");
}

Test(meta, bad_arguments)
{
	struct ctop_cgroup_info ci = info(CTOP_RT_DOCKER, D_PLAIN, ""), zero_ci;
	struct ctop_container_meta m, zero;
	char root[PATH_MAX];

	fixture(root, sizeof(root), "root");
	memset(&zero, 0, sizeof(zero));
	memset(&m, 0x7f, sizeof(m));
	cr_expect_eq(ctop_meta_read(NULL, NULL, &ci, &m), -EINVAL);
	cr_expect_eq(memcmp(&m, &zero, sizeof(m)), 0);
	memset(&m, 0x7f, sizeof(m));
	cr_expect_eq(ctop_meta_read(root, NULL, NULL, &m), -EINVAL);
	cr_expect_eq(memcmp(&m, &zero, sizeof(m)), 0);
	cr_expect_eq(ctop_meta_read(root, NULL, &ci, NULL), -EINVAL);
	/* an id without its terminator */
	memset(&zero_ci, 'a', sizeof(zero_ci));
	zero_ci.runtime = CTOP_RT_DOCKER;
	cr_expect_eq(ctop_meta_read(root, NULL, &zero_ci, &m), -EINVAL);
	zero_ci.runtime = CTOP_RT_LXC;
	cr_expect_eq(ctop_meta_read(root, NULL, &zero_ci, &m), -EINVAL);
	zero_ci.runtime = (enum ctop_runtime)99;
	zero_ci.id[0] = '\0';
	zero_ci.name[0] = '\0';
	zero_ci.ns[0] = '\0';
	cr_expect_eq(ctop_meta_read(root, NULL, &zero_ci, &m), -ENOENT);
}

/* ------------------------------------------------------------------ */
/* cgroup2 mount from mountinfo                                        */
/* ------------------------------------------------------------------ */

Test(mount, fixtures)
{
	char p[PATH_MAX], buf[256];

	cr_expect_eq(ctop_cgroup2_mount(fixture(p, sizeof(p), "mountinfo.v2"), buf, sizeof(buf)), 0);
	cr_expect_str_eq(buf, "/sys/fs/cgroup");
	cr_expect_eq(ctop_cgroup2_mount(fixture(p, sizeof(p), "mountinfo.hybrid"), buf, sizeof(buf)),
		     0);
	cr_expect_str_eq(buf, "/sys/fs/cgroup/unified");
	/* optional fields, an escaped mount point, decoys; the first one wins */
	cr_expect_eq(ctop_cgroup2_mount(fixture(p, sizeof(p), "mountinfo.escaped"), buf, sizeof(buf)),
		     0);
	cr_expect_str_eq(buf, "/my cg\troup");
	cr_expect_eq(ctop_cgroup2_mount(fixture(p, sizeof(p), "mountinfo.v1only"), buf, sizeof(buf)),
		     -ENOENT);
	cr_expect_eq(ctop_cgroup2_mount(fixture(p, sizeof(p), "mountinfo.empty"), buf, sizeof(buf)),
		     -ENOENT);
	/* Found by fuzzing: a "\000" used to cut the path short, to "/sys/fs". */
	cr_expect_eq(ctop_cgroup2_mount(fixture(p, sizeof(p), "mountinfo.nul"), buf, sizeof(buf)),
		     -EINVAL);
	cr_expect_str_eq(buf, "");
	cr_expect_eq(ctop_cgroup2_mount(fixture(p, sizeof(p), "no-such-file"), buf, sizeof(buf)),
		     -ENOENT);
}

Test(mount, buffer_sizes)
{
	char p[PATH_MAX], buf[32];

	fixture(p, sizeof(p), "mountinfo.hybrid");
	/* "/sys/fs/cgroup/unified" is 22 bytes: 23 fit, 22 do not */
	cr_expect_eq(ctop_cgroup2_mount(p, buf, 23), 0);
	cr_expect_str_eq(buf, "/sys/fs/cgroup/unified");
	cr_expect_eq(ctop_cgroup2_mount(p, buf, 22), -ENAMETOOLONG);
	cr_expect_str_eq(buf, "");
	cr_expect_eq(ctop_cgroup2_mount(p, buf, 0), -EINVAL);
	cr_expect_eq(ctop_cgroup2_mount(p, NULL, 10), -EINVAL);
	cr_expect_eq(ctop_cgroup2_mount(NULL, buf, sizeof(buf)), -EINVAL);
}

Test(mount, this_machine)
{
	char buf[PATH_MAX];
	struct stat st;
	int ret = ctop_cgroup2_mount("/proc/self/mountinfo", buf, sizeof(buf));

	if (ret == -ENOENT)
		cr_skip_test("no cgroup2 mount here");
	cr_assert_eq(ret, 0);
	cr_assert_eq(stat(buf, &st), 0, "%s", buf);
	cr_expect(S_ISDIR(st.st_mode));
}

/* ------------------------------------------------------------------ */
/* cgroup id index                                                     */
/* ------------------------------------------------------------------ */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 64, FTW_DEPTH | FTW_PHYS);
}

static void mkdir_at(const char *base, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s%s", base, rel);
	cr_assert_eq(mkdir(p, 0755), 0, "mkdir %s: %s", p, strerror(errno));
}

static uint64_t ino_at(const char *base, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s%s", base, rel);
	cr_assert_eq(lstat(p, &st), 0, "stat %s: %s", p, strerror(errno));
	return (uint64_t)st.st_ino;
}

static char tmp_root[64];

static void make_tmp(void)
{
	snprintf(tmp_root, sizeof(tmp_root), "/dev/shm/ctop-index-XXXXXX");
	cr_assert_not_null(mkdtemp(tmp_root));
}

static void drop_tmp(void)
{
	rm_tree(tmp_root);
}

TestSuite(index, .init = make_tmp, .fini = drop_tmp);

Test(index, fake_tree)
{
	static const char *const dirs[] = {
		"/system.slice", "/system.slice/ssh.service", "/docker", "/docker/" ID1,
		"/docker/" ID1 "/sub", "/kubepods", "/kubepods/burstable",
		"/kubepods/burstable/pod" UID, "/kubepods/burstable/pod" UID "/" ID2,
		"/with space", "/with space/and\ttab",
	};
	struct ctop_cgroup_index *idx;
	char p[PATH_MAX], t[PATH_MAX];
	int fd;
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		mkdir_at(tmp_root, dirs[i]);
	/* control files, and a symlink to a folder that must not be followed */
	snprintf(p, sizeof(p), "%s/docker/%s/cgroup.procs", tmp_root, ID1);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(p, sizeof(p), "%s/link", tmp_root);
	snprintf(t, sizeof(t), "%s/docker", tmp_root);
	cr_assert_eq(symlink(t, p), 0);

	cr_assert_eq(ctop_cgroup_index_new(&idx, tmp_root), 0);
	cr_expect_str_eq(ctop_cgroup_index_lookup(idx, ino_at(tmp_root, "")), "/");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *got = ctop_cgroup_index_lookup(idx, ino_at(tmp_root, dirs[i]));

		cr_expect_not_null(got, "%s not indexed", dirs[i]);
		if (got)
			cr_expect_str_eq(got, dirs[i]);
	}
	cr_expect_null(ctop_cgroup_index_lookup(idx, ino_at(tmp_root, "/link")), "symlink indexed");
	cr_expect_null(ctop_cgroup_index_lookup(idx, ino_at(tmp_root, "/docker/" ID1 "/cgroup.procs")),
		       "file indexed");
	cr_expect_null(ctop_cgroup_index_lookup(idx, 0));
	cr_expect_null(ctop_cgroup_index_lookup(idx, UINT64_MAX));
	cr_expect_null(ctop_cgroup_index_lookup(NULL, 1));

	/* a container starts, another stops */
	mkdir_at(tmp_root, "/docker/" ID2);
	snprintf(p, sizeof(p), "%s/docker/%s/sub", tmp_root, ID1);
	cr_assert_eq(rmdir(p), 0);
	cr_expect_eq(ctop_cgroup_index_rescan(idx), 0);
	cr_expect_str_eq(ctop_cgroup_index_lookup(idx, ino_at(tmp_root, "/docker/" ID2)),
			 "/docker/" ID2);
	cr_expect_str_eq(ctop_cgroup_index_lookup(idx, ino_at(tmp_root, "/docker/" ID1)),
			 "/docker/" ID1);
	ctop_cgroup_index_free(idx);
}

Test(index, failed_rescan_keeps_the_old_map)
{
	struct ctop_cgroup_index *idx;
	char sub[PATH_MAX];
	uint64_t id;

	snprintf(sub, sizeof(sub), "%s/cg", tmp_root);
	cr_assert_eq(mkdir(sub, 0755), 0);
	mkdir_at(sub, "/a");
	id = ino_at(sub, "/a");
	cr_assert_eq(ctop_cgroup_index_new(&idx, sub), 0);
	rm_tree(sub);
	cr_expect_eq(ctop_cgroup_index_rescan(idx), -ENOENT);
	cr_expect_str_eq(ctop_cgroup_index_lookup(idx, id), "/a");
	ctop_cgroup_index_free(idx);
	cr_expect_eq(ctop_cgroup_index_rescan(NULL), -EINVAL);
}

Test(index, new_and_free_edges)
{
	struct ctop_cgroup_index *idx = (void *)1;
	char p[PATH_MAX];

	ctop_cgroup_index_free(NULL);
	snprintf(p, sizeof(p), "%s/missing", tmp_root);
	cr_expect_eq(ctop_cgroup_index_new(&idx, p), -ENOENT);
	cr_expect_null(idx);
	cr_expect_eq(ctop_cgroup_index_new(&idx, NULL), -EINVAL);
	cr_expect_eq(ctop_cgroup_index_new(&idx, ""), -EINVAL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 20,000 cgroups, as on a busy Kubernetes node. */
Test(index, twenty_thousand, .timeout = 120)
{
	enum { TOP = 200, SUB = 100 };
	struct ctop_cgroup_index *idx;
	char rel[64], got_want[64];
	static uint64_t ids[TOP][SUB];
	double t0, t1;
	int i, j;

	for (i = 0; i < TOP; i++) {
		snprintf(rel, sizeof(rel), "/pod%03d", i);
		mkdir_at(tmp_root, rel);
		for (j = 0; j < SUB; j++) {
			snprintf(rel, sizeof(rel), "/pod%03d/c%03d", i, j);
			mkdir_at(tmp_root, rel);
			ids[i][j] = ino_at(tmp_root, rel);
		}
	}
	t0 = now_s();
	cr_assert_eq(ctop_cgroup_index_new(&idx, tmp_root), 0);
	t1 = now_s();
	cr_log_info("indexed %d folders in %.1f ms", TOP * SUB + TOP + 1, (t1 - t0) * 1e3);
	cr_expect_lt(t1 - t0, 5.0, "walk took %.2f s", t1 - t0);

	t0 = now_s();
	for (i = 0; i < TOP; i++) {
		for (j = 0; j < SUB; j++) {
			const char *got = ctop_cgroup_index_lookup(idx, ids[i][j]);

			snprintf(got_want, sizeof(got_want), "/pod%03d/c%03d", i, j);
			cr_assert_not_null(got, "%s", got_want);
			cr_assert_str_eq(got, got_want);
		}
	}
	t1 = now_s();
	cr_log_info("20000 lookups in %.2f ms", (t1 - t0) * 1e3);
	ctop_cgroup_index_free(idx);
}

struct churn {
	const char *root;
	volatile int stop;
};

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	char p[PATH_MAX], q[PATH_MAX];
	unsigned int n = 0;

	while (!c->stop) {
		snprintf(p, sizeof(p), "%s/c%u", c->root, n % 50);
		snprintf(q, sizeof(q), "%s/c%u/inner", c->root, n % 50);
		if (mkdir(p, 0755) == 0) {
			mkdir(q, 0755);
		} else {
			rmdir(q);
			rmdir(p);
		}
		n++;
	}
	return NULL;
}

/* Folders vanish mid-walk when containers stop: not an error. */
Test(index, folders_vanish_mid_walk, .timeout = 60)
{
	struct churn c = { .root = tmp_root };
	struct ctop_cgroup_index *idx;
	char rel[16];
	pthread_t th;
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(rel, sizeof(rel), "/s%d", i);
		mkdir_at(tmp_root, rel);
	}
	cr_assert_eq(ctop_cgroup_index_new(&idx, tmp_root), 0);
	cr_assert_eq(pthread_create(&th, NULL, churn_main, &c), 0);
	for (i = 0; i < 300; i++)
		cr_expect_eq(ctop_cgroup_index_rescan(idx), 0, "rescan %d failed", i);
	c.stop = 1;
	pthread_join(th, NULL);
	cr_expect_str_eq(ctop_cgroup_index_lookup(idx, ino_at(tmp_root, "/s7")), "/s7");
	ctop_cgroup_index_free(idx);
}

/* The real hierarchy is world-readable: no root needed. */
Test(index, this_machine)
{
	char mount[512], line[1024], p[2048];
	struct ctop_cgroup_index *idx;
	const char *mine = NULL;
	struct stat st;
	FILE *f;

	if (ctop_cgroup2_mount("/proc/self/mountinfo", mount, sizeof(mount)))
		cr_skip_test("no cgroup2 mount here");
	cr_assert_eq(ctop_cgroup_index_new(&idx, mount), 0, "%s", mount);
	cr_assert_eq(stat(mount, &st), 0);
	cr_expect_str_eq(ctop_cgroup_index_lookup(idx, st.st_ino), "/");

	/* our own cgroup, as the kernel names it */
	f = fopen("/proc/self/cgroup", "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			mine = line + 3;
			break;
		}
	fclose(f);
	if (mine && strcmp(mine, "/")) {
		snprintf(p, sizeof(p), "%s%s", mount, mine);
		if (stat(p, &st) == 0)
			cr_expect_str_eq(ctop_cgroup_index_lookup(idx, st.st_ino), mine);
	}
	cr_expect_eq(ctop_cgroup_index_rescan(idx), 0);
	ctop_cgroup_index_free(idx);
}

/* Unknown runtimes: a top-level folder that is neither systemd's nor a known runtime's. */
Test(parse, other_runtimes_by_top_level_folder)
{
	static const struct {
		const char *path;
		const char *id;		/* NULL: the host */
	} cases[] = {
		{ "/mybox", "/mybox" },
		{ "/mybox/app/worker", "/mybox" },
		{ "/sandbox-7", "/sandbox-7" },
		{ "/", NULL },
		{ "", NULL },
		{ "relative/x", NULL },
		{ "/system.slice/ssh.service", NULL },
		{ "/user.slice/user-1000.slice", NULL },
		{ "/init.scope", NULL },
		{ "/foo.service", NULL },
		{ "/docker", NULL },
		{ "/docker/buildkit", NULL },
		{ "/kubepods/burstable", NULL },
		{ "/kubepods.slice", NULL },
		{ "/lxc", NULL },
		{ "/lxc.monitor.web", NULL },
		{ "/lxc.pivot", NULL },
		{ "/default/myctr", NULL },
		{ "/libpod_parent/conmon", NULL },
		{ "/.hidden", NULL },
		/* nspawn's own folders, confirmed or not */
		{ "/payload", NULL },
		{ "/supervisor", NULL },
		{ "/rtns/supervisor", NULL },
		{ "/rtns/supervisorx", "/rtns" },
		{ "/my.box", "/my.box" },
		{ "/bad\001name", NULL },
	};
	struct ctop_cgroup_info ci;
	char longpath[200];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = ctop_cgroup_parse_other(cases[i].path, &ci);

		cr_expect_eq(got, cases[i].id != NULL, "%s", cases[i].path);
		if (!got || !cases[i].id)
			continue;
		cr_expect_str_eq(ci.id, cases[i].id, "%s", cases[i].path);
		cr_expect_str_eq(ci.name, cases[i].id + 1, "%s", cases[i].path);
		cr_expect_eq(ci.runtime, CTOP_RT_OTHER);
		cr_expect_eq(ci.prefix_len, strlen(cases[i].id), "%s", cases[i].path);
	}
	/* A folder name too long for an id is the host's, not a cut-off id. */
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	cr_expect_not(ctop_cgroup_parse_other(longpath, &ci));
}

/* ------------------------------------------------------------------ */
/* metadata files a tenant or a broken host may plant                  */
/* ------------------------------------------------------------------ */

static char hroot[64];

static void mkdir_p(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	cr_assert(!mkdir(path, 0755) || errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
}

/* A fresh root with the Docker and containerd folders of id made. */
static void hostile_root(const char *id)
{
	char p[PATH_MAX];

	snprintf(hroot, sizeof(hroot), "/tmp/ctop-meta-XXXXXX");
	cr_assert_not_null(mkdtemp(hroot));
	snprintf(p, sizeof(p), "%s/var/lib/docker/containers/%s", hroot, id);
	mkdir_p(p);
	snprintf(p, sizeof(p), "%s/run/containerd/io.containerd.runtime.v2.task/k8s.io/%s", hroot, id);
	mkdir_p(p);
}

/* Writes text as the whole of the file at path. */
static void write_str(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static const char *hpath(char *buf, size_t len, const char *fmt, const char *id)
{
	int n = snprintf(buf, len, "%s", hroot);

	snprintf(buf + n, len - (size_t)n, fmt, id);
	return buf;
}

#define DOCKER_CFG "/var/lib/docker/containers/%s/config.v2.json"
#define BUNDLE_CFG "/run/containerd/io.containerd.runtime.v2.task/k8s.io/%s/config.json"

/*
 * A FIFO as config.v2.json hung the whole tool, screen and batch, on its
 * first refresh. A FIFO, or a symlink to one, is refused at once; a
 * symlink to a good file is refused too (O_NOFOLLOW): what a runtime
 * writes is a plain file.
 */
/* alarm(), not .timeout: Criterion's timer leaks next to other timed tests */
Test(meta, fifo_and_symlinks_never_block)
{
	struct ctop_cgroup_info ci = info(CTOP_RT_DOCKER, ID1, "");
	struct ctop_cgroup_info cc = info(CTOP_RT_CONTAINERD, ID1, UID);
	struct ctop_container_meta m;
	char p[PATH_MAX], q[PATH_MAX];

	alarm(10);	/* a hang is a crash, so a failure */
	hostile_root(ID1);
	cr_assert_eq(mkfifo(hpath(p, sizeof(p), DOCKER_CFG, ID1), 0600), 0);
	cr_expect_eq(ctop_meta_read(hroot, NULL, &ci, &m), -EINVAL);
	cr_expect_str_eq(m.name, "");
	/* a containerd bundle, and a symlink to a FIFO */
	cr_assert_eq(symlink(p, hpath(q, sizeof(q), BUNDLE_CFG, ID1)), 0);
	cr_expect_lt(ctop_meta_read(hroot, NULL, &cc, &m), 0);
	cr_expect_str_eq(m.name, "");
	/* a symlink to a good file */
	unlink(p);
	snprintf(q, sizeof(q), "%s/good.json", hroot);
	write_str(q, "{\"Name\": \"/linked\", \"Config\": {}}");
	cr_assert_eq(symlink(q, p), 0);
	cr_expect_eq(ctop_meta_read(hroot, NULL, &ci, &m), -ELOOP);
	cr_expect_str_eq(m.name, "");
	/* the same file in its place is read */
	unlink(p);
	cr_assert_eq(rename(q, p), 0);
	cr_expect_eq(ctop_meta_read(hroot, NULL, &ci, &m), 0);
	cr_expect_str_eq(m.name, "linked");
	rm_tree(hroot);
}

/*
 * A 300 MB config.v2.json took 14.5 s and 829 MB to read. Over 1 MiB a
 * file is not read: no name comes from it, so the row falls back to the id.
 */
Test(meta, oversize_file_is_not_read)
{
	struct ctop_cgroup_info ci = info(CTOP_RT_DOCKER, ID1, "");
	struct ctop_container_meta m;
	char p[PATH_MAX];
	FILE *f;
	size_t i;

	hostile_root(ID1);
	f = fopen(hpath(p, sizeof(p), DOCKER_CFG, ID1), "w");
	cr_assert_not_null(f);
	/* valid JSON with a name, made big by a label: it would parse */
	fputs("{\"Name\": \"/huge\", \"Config\": {\"Labels\": {\"pad\": \"", f);
	for (i = 0; i < (1u << 20); i++)
		fputc('x', f);
	fputs("\"}}}", f);
	fclose(f);
	cr_expect_eq(ctop_meta_read(hroot, NULL, &ci, &m), -EFBIG);
	cr_expect_str_eq(m.name, "");
	/* just under the cap it is read */
	cr_assert_eq(truncate(p, 0), 0);
	f = fopen(p, "w");
	fputs("{\"Name\": \"/big\", \"Config\": {\"Labels\": {\"pad\": \"", f);
	for (i = 0; i < (1u << 20) - 100; i++)
		fputc('x', f);
	fputs("\"}}}", f);
	fclose(f);
	cr_expect_eq(ctop_meta_read(hroot, NULL, &ci, &m), 0);
	cr_expect_str_eq(m.name, "big");
	rm_tree(hroot);
}

/* Podman's containers.json lists every container: 3000 of them are 1.8 MB. */
Test(meta, podman_index_of_thousands_is_read)
{
	struct ctop_cgroup_info ci = info(CTOP_RT_PODMAN, ID1, "");
	struct ctop_container_meta m;
	char p[PATH_MAX];
	struct stat st;
	FILE *f;
	int i;

	hostile_root(ID1);
	snprintf(p, sizeof(p), "%s/var/lib/containers/storage/overlay-containers", hroot);
	mkdir_p(p);
	strcat(p, "/containers.json");
	f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs("[", f);
	for (i = 0; i < 3000; i++)
		fprintf(f, "{\"id\": \"%064d\", \"names\": [\"c%d\"], \"image\": \"%064d\", "
			   "\"layer\": \"%064d\", \"metadata\": \"{\\\"image-name\\\":"
			   "\\\"docker.io/library/busybox:latest\\\",\\\"name\\\":\\\"c%d\\\"}\", "
			   "\"created\": \"2026-11-25T23:00:00Z\"},\n",
			i, i, i, i, i);
	fprintf(f, "{\"id\": \"%s\", \"names\": [\"the-last\"], \"image\": \"x\"}]", ID1);
	fclose(f);
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_gt(st.st_size, 1 << 20, "%lld bytes", (long long)st.st_size);
	cr_expect_eq(ctop_meta_read(hroot, NULL, &ci, &m), 0);
	cr_expect_str_eq(m.name, "the-last");
	rm_tree(hroot);
}

/* ------------------------------------------------------------------ */
/* which runtime made it, where containerd keeps state, renames        */
/* ------------------------------------------------------------------ */

/* The runtime is the one whose files know the container, not the path's guess. */
Test(meta, runtime_from_files)
{
	static const struct {
		const char *path;
		int ret;
		enum ctop_runtime rt;
		const char *name, *ns;
	} cases[] = {
		/* docker --cgroup-parent rt-parent */
		{ "/rt-parent/" D_PLAIN, 0, CTOP_RT_DOCKER, "disc-test", "" },
		/* Docker under a kubepods parent (cri-dockerd, or by hand) */
		{ "/kubepods/burstable/pod" UID "/" D_K8S, 0, CTOP_RT_DOCKER, "api", "prod" },
		{ "/kubepods/" D_PLAIN, 0, CTOP_RT_DOCKER, "disc-test", "" },
		/* ctr in namespace rt, with a name for an id */
		{ "/rt/rt-ctr2", 0, CTOP_RT_CONTAINERD, "rt-ctr2", "rt" },
		{ "/default/" C_NERD, 0, CTOP_RT_CONTAINERD, "web1", "default" },
		/* nobody's files: not a container of anybody's */
		{ "/rt-parent/" ID2, -ENOENT, CTOP_RT_NONE, "", "" },
		{ "/rt/nothere", -ENOENT, CTOP_RT_NONE, "", "" },
		/* Docker's own containerd namespace names nothing */
		{ "/moby/" D_PLAIN, 0, CTOP_RT_DOCKER, "disc-test", "" },
	};
	char root[PATH_MAX];
	size_t i;

	fixture(root, sizeof(root), "root");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctop_cgroup_info ci;
		struct ctop_container_meta m;
		char shown[CTOP_NAME_LEN];

		cr_assert(ctop_cgroup_parse(cases[i].path, &ci), "%s", cases[i].path);
		cr_expect_eq(ctop_meta_read(root, NULL, &ci, &m), cases[i].ret, "%s",
			     cases[i].path);
		cr_expect_eq(m.runtime, cases[i].rt, "%s: runtime %s", cases[i].path,
			     rt_label(m.runtime));
		snprintf(shown, sizeof(shown), "%s", m.name[0] ? m.name : (m.runtime ? ci.id : ""));
		cr_expect_str_eq(shown, cases[i].name, "%s", cases[i].path);
		cr_expect_str_eq(m.ns, cases[i].ns, "%s: ns", cases[i].path);
	}
}

/* A bundle is found under the state folder a running containerd names. */
Test(meta, containerd_state_from_places)
{
	struct ctop_meta_places pl;
	struct ctop_cgroup_info ci;
	struct ctop_container_meta m;
	char root[PATH_MAX];

	fixture(root, sizeof(root), "root-ctrstate");
	cr_assert(ctop_cgroup_parse("/default/web", &ci));
	cr_expect_eq(ctop_meta_read(root, NULL, &ci, &m), -ENOENT);
	memset(&pl, 0, sizeof(pl));
	strcpy(pl.containerd_state[0], "/srv/ctr/state");
	pl.ncontainerd = 1;
	cr_expect_eq(ctop_meta_read(root, &pl, &ci, &m), 0);
	cr_expect_str_eq(m.name, "moved-web");
	cr_expect_eq(m.runtime, CTOP_RT_CONTAINERD);
}

#define CTRD_IMG "docker.io/library/ctoptest:latest"
#define CTRD_DB "io.containerd.metadata.v1.bolt/meta.db"

/*
 * `ctr run` names no image in the bundle: containerd keeps it in its
 * meta.db (root-ctrmeta: what containerd 1.6 wrote for two `ctr
 * containers create`, in namespaces default and rt).
 */
Test(meta, containerd_image_from_its_database)
{
	static const struct {
		const char *path, *ns;
	} cases[] = { { "/default/web", "default" }, { "/rt/rt-web2", "rt" } };
	struct ctop_cgroup_info ci;
	struct ctop_container_meta m;
	char root[PATH_MAX];
	size_t i;

	fixture(root, sizeof(root), "root-ctrmeta");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert(ctop_cgroup_parse(cases[i].path, &ci));
		cr_assert_eq(ctop_meta_read(root, NULL, &ci, &m), 0, "%s", cases[i].path);
		cr_expect_eq(m.runtime, CTOP_RT_CONTAINERD);
		cr_expect_str_eq(m.image, CTRD_IMG, "%s", cases[i].path);
		cr_expect_str_eq(m.ns, cases[i].ns, "%s", cases[i].path);
	}
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536], dir[PATH_MAX];
	FILE *in, *out;
	size_t n;

	snprintf(dir, sizeof(dir), "%s", to);
	*strrchr(dir, '/') = '\0';
	mkdir_p(dir);
	in = fopen(from, "rb");
	out = fopen(to, "wb");
	cr_assert(in && out, "%s -> %s", from, to);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		cr_assert_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	fclose(out);
}

/*
 * A containerd of its own --root and --state: the database is found under
 * its root, held in the cache, and read again only once its mtime changes.
 */
Test(meta, containerd_database_cached_until_its_mtime_changes)
{
	struct ctop_meta_places pl;
	struct ctop_cgroup_info ci;
	struct ctop_container_meta m;
	char fx[512], from[PATH_MAX], to[PATH_MAX], err[128];
	struct timespec ts[2];
	struct stat st;
	struct ctop_meta_dbcache *cache;
	FILE *f;
	long i;

	fixture(fx, sizeof(fx), "root-ctrmeta");
	snprintf(hroot, sizeof(hroot), "/tmp/ctop-ctrdb-XXXXXX");
	cr_assert_not_null(mkdtemp(hroot));
	snprintf(from, sizeof(from), "%s/var/lib/containerd/" CTRD_DB, fx);
	snprintf(to, sizeof(to), "%s/srv/r/" CTRD_DB, hroot);
	copy_file(from, to);
	snprintf(from, sizeof(from), "%s/run/containerd/io.containerd.runtime.v2.task/default/web/"
		 "config.json", fx);
	snprintf(to, sizeof(to), "%s/srv/s/io.containerd.runtime.v2.task/default/web/config.json",
		 hroot);
	copy_file(from, to);
	memset(&pl, 0, sizeof(pl));
	strcpy(pl.containerd_state[0], "/srv/s");
	strcpy(pl.containerd_root[0], "/srv/r");
	pl.ncontainerd = 1;
	cr_assert_eq(ctop_meta_dbcache_new(&pl.dbcache, err, sizeof(err)), 0);
	cr_assert(ctop_cgroup_parse("/default/web", &ci));
	cr_assert_eq(ctop_meta_read(hroot, &pl, &ci, &m), 0);
	cr_expect_str_eq(m.image, CTRD_IMG);

	/* Zeros over it in place, same size and mtime: the cached copy answers. */
	snprintf(to, sizeof(to), "%s/srv/r/" CTRD_DB, hroot);
	cr_assert_eq(stat(to, &st), 0);
	f = fopen(to, "r+b");
	cr_assert_not_null(f);
	for (i = 0; i < st.st_size; i++)
		fputc(0, f);
	fclose(f);
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	cr_assert_eq(utimensat(AT_FDCWD, to, ts, 0), 0);
	cr_assert_eq(ctop_meta_read(hroot, &pl, &ci, &m), 0);
	cr_expect_str_eq(m.image, CTRD_IMG, "the cache is used while the mtime stays");

	/* A new mtime: read again, and the zeros name no image. */
	ts[1].tv_sec += 1;
	cr_assert_eq(utimensat(AT_FDCWD, to, ts, 0), 0);
	cr_assert_eq(ctop_meta_read(hroot, &pl, &ci, &m), 0);
	cr_expect_str_eq(m.image, "", "read again once the mtime changed");

	/* Without a cache the file is read each time. */
	cache = pl.dbcache;
	pl.dbcache = NULL;
	cr_assert_eq(ctop_meta_read(hroot, &pl, &ci, &m), 0);
	cr_expect_str_eq(m.image, "");
	copy_file(from, to);	/* the bundle's bytes: no database */
	cr_assert_eq(ctop_meta_read(hroot, &pl, &ci, &m), 0);
	cr_expect_str_eq(m.image, "");
	snprintf(from, sizeof(from), "%s/var/lib/containerd/" CTRD_DB, fx);
	copy_file(from, to);
	cr_assert_eq(ctop_meta_read(hroot, &pl, &ci, &m), 0);
	cr_expect_str_eq(m.image, CTRD_IMG);
	ctop_meta_dbcache_free(cache);
	rm_tree(hroot);
}

static void put_file(const char *root, const char *rel, const char *text, size_t n)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	*strrchr(p, '/') = '\0';
	mkdir_p(p);
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	cr_assert_not_null(f, "%s", p);
	cr_assert_eq(fwrite(text, 1, n, f), n);
	fclose(f);
}

/*
 * containerd's state folder from its command line, or from the state key
 * of its config file. Only root's processes are believed: anyone can name
 * a process containerd.
 */
Test(meta, places_from_proc)
{
	static const char argv1[] = "containerd\0--address\0/tmp/x.sock\0--state\0/srv/a\0";
	static const char argv2[] = "/usr/bin/containerd\0-c\0/etc/ctr.toml\0";
	static const char argv3[] = "containerd\0--state=/srv/a\0";
	static const char toml[] = "version = 2\nroot = \"/var/lib/x\"\nstate = \"/srv/b\"\n"
				   "[plugins]\n  state = \"/not/this\"\n";
	static const char argv4[] = "sh\0--state\0/srv/evil\0";
	static const char argv5[] = "containerd\0--root=/srv/c/root\0--state\0/srv/c\0";
	struct ctop_meta_places pl;
	bool root_user = geteuid() == 0;

	snprintf(hroot, sizeof(hroot), "/tmp/ctop-places-XXXXXX");
	cr_assert_not_null(mkdtemp(hroot));
	put_file(hroot, "proc/10/comm", "containerd\n", 11);
	put_file(hroot, "proc/10/cmdline", argv1, sizeof(argv1) - 1);
	put_file(hroot, "proc/11/comm", "containerd\n", 11);
	put_file(hroot, "proc/11/cmdline", argv2, sizeof(argv2) - 1);
	put_file(hroot, "etc/ctr.toml", toml, sizeof(toml) - 1);
	put_file(hroot, "proc/12/comm", "containerd\n", 11);
	put_file(hroot, "proc/12/cmdline", argv3, sizeof(argv3) - 1);
	put_file(hroot, "proc/13/comm", "sh\n", 3);
	put_file(hroot, "proc/13/cmdline", argv4, sizeof(argv4) - 1);
	put_file(hroot, "proc/14/comm", "containerd\n", 11);
	put_file(hroot, "proc/14/cmdline", argv5, sizeof(argv5) - 1);
	put_file(hroot, "proc/self/comm", "containerd\n", 11);
	cr_expect_eq(ctop_meta_places_find(hroot, &pl), 0);
	/* the folders are this user's: believed only when that is root */
	cr_expect_eq(pl.ncontainerd, root_user ? 3u : 0u);
	if (root_user && pl.ncontainerd == 3) {
		/* readdir order: any way round, each once, with its own root */
		static const char *const want[][2] = { { "/srv/a", "/var/lib/containerd" },
						       { "/srv/b", "/var/lib/x" },
						       { "/srv/c", "/srv/c/root" } };
		size_t i, k, found;

		for (k = 0; k < 3; k++) {
			for (found = 0, i = 0; i < 3; i++)
				found += !strcmp(pl.containerd_state[i], want[k][0]) &&
					 !strcmp(pl.containerd_root[i], want[k][1]);
			cr_expect_eq(found, 1u, "%s %s", want[k][0], want[k][1]);
		}
	}
	rm_tree(hroot);
}

/* docker rename rewrites config.v2.json (write, then rename over it). */
Test(meta, changed_after_a_rewrite)
{
	struct ctop_cgroup_info ci = info(CTOP_RT_DOCKER, ID1, "");
	struct ctop_container_meta m;
	char p[PATH_MAX], q[PATH_MAX + 8];

	hostile_root(ID1);
	write_str(hpath(p, sizeof(p), DOCKER_CFG, ID1), "{\"Name\": \"/before\", \"Config\": {}}");
	cr_assert_eq(ctop_meta_read(hroot, NULL, &ci, &m), 0);
	cr_expect_str_eq(m.name, "before");
	cr_expect_str_eq(m.src.path, p);
	cr_expect_not(ctop_meta_changed(&m));
	snprintf(q, sizeof(q), "%s.tmp", p);
	write_str(q, "{\"Name\": \"/after\", \"Config\": {}}");
	cr_assert_eq(rename(q, p), 0);
	cr_expect(ctop_meta_changed(&m));
	cr_assert_eq(ctop_meta_read(hroot, NULL, &ci, &m), 0);
	cr_expect_str_eq(m.name, "after");
	cr_expect_not(ctop_meta_changed(&m));
	unlink(p);
	cr_expect(ctop_meta_changed(&m));
	/* nothing read, nothing watched */
	memset(&m, 0, sizeof(m));
	cr_expect_not(ctop_meta_changed(&m));
	rm_tree(hroot);
}

/* ------------------------------------------------------------------ */
/* Podman pods: the name from Podman's database, the infra marked      */
/* ------------------------------------------------------------------ */



/* nspawn without machined: the machine name from the supervisor's command line. */
Test(meta, nspawn_supervisor_names_the_payload)
{
	static const char argv1[] = "systemd-nspawn\0--register=no\0--keep-unit\0-D\0/srv/deb12/\0"
				    "/bin/sh\0";
	static const char argv2[] = "systemd-nspawn\0--machine=web\0-D\0/srv/deb12\0";
	static const char argv3[] = "systemd-nspawn\0-i\0/img/box.raw\0--\0-M\0evil\0";
	static const struct {
		const char *argv;
		size_t n;
		const char *name;
	} cases[] = {
		{ argv1, sizeof(argv1) - 1, "deb12" },
		{ argv2, sizeof(argv2) - 1, "web" },
		{ argv3, sizeof(argv3) - 1, "box" },
	};
	struct ctop_meta_places pl;
	struct ctop_cgroup_info ci;
	struct ctop_container_meta m;
	size_t i;

	snprintf(hroot, sizeof(hroot), "/tmp/ctop-nspawn-XXXXXX");
	cr_assert_not_null(mkdtemp(hroot));
	memset(&pl, 0, sizeof(pl));
	strcpy(pl.cgroup2, "/cg");
	put_file(hroot, "cg/rtns/supervisor/cgroup.procs", "77\n", 3);
	put_file(hroot, "proc/77/comm", "systemd-nspawn\n", 15);
	cr_assert(ctop_cgroup_parse("/rtns/payload", &ci));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put_file(hroot, "proc/77/cmdline", cases[i].argv, cases[i].n);
		cr_expect_eq(ctop_meta_read(hroot, &pl, &ci, &m), geteuid() == 0 ? 0 : -ENOENT);
		if (geteuid() == 0) {
			cr_expect_str_eq(m.name, cases[i].name);
			cr_expect_eq(m.runtime, CTOP_RT_NSPAWN);
		}
	}
	/* no supervisor that is nspawn: no container */
	put_file(hroot, "proc/77/comm", "sh\n", 3);
	cr_expect_eq(ctop_meta_read(hroot, &pl, &ci, &m), -ENOENT);
	cr_assert(ctop_cgroup_parse("/other/payload", &ci));
	cr_expect_eq(ctop_meta_read(hroot, &pl, &ci, &m), -ENOENT);
	/* without the mount known, nothing is confirmed */
	cr_assert(ctop_cgroup_parse("/rtns/payload", &ci));
	cr_expect_eq(ctop_meta_read(hroot, NULL, &ci, &m), -ENOENT);
	rm_tree(hroot);
}
