// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The runtime table (runtimes.h) and the id checks every runtime shares. */
#include <string.h>
#include "runtimes.h"

static const struct ctop_rt_unit docker_units[] = {
	{ "docker-", ".scope" },
	{ NULL, NULL },
};
/* libpod-conmon-<id>.scope is the monitor, a host process: not hex. */
static const struct ctop_rt_unit podman_units[] = {
	{ "libpod-", ".scope" },
	{ "libpod-", "" },
	{ NULL, NULL },
};
static const struct ctop_rt_unit containerd_units[] = {
	{ "cri-containerd-", ".scope" },
	{ "nerdctl-", ".scope" },
	{ NULL, NULL },
};
/* crio-conmon-<id>.scope is the monitor again. */
static const struct ctop_rt_unit crio_units[] = {
	{ "crio-", ".scope" },
	{ "crio-", "" },
	{ NULL, NULL },
};

static const struct ctop_rt_desc table[CTOP_RT__COUNT] = {
	[CTOP_RT_NONE] = { .name = "host" },
	[CTOP_RT_DOCKER] = { .name = "docker", .units = docker_units, .parent = "docker",
			     .bare_hex = true, .hex_ids = true, .read = ctop_meta_read_docker },
	[CTOP_RT_PODMAN] = { .name = "podman", .units = podman_units, .hex_ids = true,
			     .read = ctop_meta_read_podman },
	[CTOP_RT_CONTAINERD] = { .name = "containerd", .units = containerd_units,
				 .bare_hex = true, .read = ctop_meta_read_containerd },
	[CTOP_RT_CRIO] = { .name = "cri-o", .units = crio_units, .hex_ids = true,
			   .read = ctop_meta_read_crio },
	[CTOP_RT_LXC] = { .name = "lxc", .read = ctop_meta_read_named },
	[CTOP_RT_NSPAWN] = { .name = "nspawn", .read = ctop_meta_read_nspawn },
	[CTOP_RT_OTHER] = { .name = "cgroup", .read = ctop_meta_read_named },
};

const struct ctop_rt_desc *ctop_rt_desc(enum ctop_runtime rt)
{
	return (unsigned int)rt < CTOP_RT__COUNT ? &table[rt] : NULL;
}

const char *ctop_runtime_name(enum ctop_runtime rt)
{
	const struct ctop_rt_desc *d = ctop_rt_desc(rt);

	return d && d->name ? d->name : "unknown";
}

bool ctop_is_hex_id(const char *s, size_t n)
{
	size_t i;

	if (n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool alnum(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

bool ctop_is_containerd_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 76 || !alnum(s[0]) || !alnum(s[n - 1]))
		return false;
	for (i = 1; i < n; i++) {
		if (alnum(s[i]))
			continue;
		if ((s[i] != '.' && s[i] != '_' && s[i] != '-') || !alnum(s[i - 1]))
			return false;
	}
	return true;
}
