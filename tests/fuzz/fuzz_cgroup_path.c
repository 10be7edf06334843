// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The cgroup path -> container parser. A tenant names the cgroups it
 * creates below its own (cgroup namespaces delegate them), and a rootless
 * user names those below user@<uid>.service, so any bytes may follow a
 * container's folder.
 *
 * LXC and systemd-nspawn keep no file ctop-bpf reads: their metadata
 * reader only turns the id the path gave into a name, so it is run here
 * too, on what the parser returned.
 */
#include <errno.h>
#include "container.h"
#include "fuzz.h"

static bool is_hex64(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

static void check(const char *path, const struct ctop_cgroup_info *ci, bool other)
{
	struct ctop_container_meta meta;
	size_t plen = strlen(path);
	int ret;

	FUZZ_CHECK(fuzz_terminated(ci->id, sizeof(ci->id)));
	FUZZ_CHECK(fuzz_terminated(ci->name, sizeof(ci->name)));
	FUZZ_CHECK(fuzz_terminated(ci->pod_uid, sizeof(ci->pod_uid)));
	FUZZ_CHECK(fuzz_terminated(ci->ns, sizeof(ci->ns)));
	/* A containerd namespace goes into a path too: one plain component. */
	FUZZ_CHECK(!strchr(ci->ns, '/') && strcmp(ci->ns, ".") && strcmp(ci->ns, ".."));
	FUZZ_CHECK(ci->runtime > CTOP_RT_NONE && ci->runtime < CTOP_RT__COUNT);
	FUZZ_CHECK(ci->id[0]);
	/* The container's own folder is a prefix of the path, ending a component. */
	FUZZ_CHECK(ci->prefix_len > 0 && ci->prefix_len <= plen);
	FUZZ_CHECK(path[ci->prefix_len] == '\0' || path[ci->prefix_len] == '/');
	FUZZ_CHECK(path[ci->prefix_len - 1] != '/');
	FUZZ_CHECK(other == (ci->runtime == CTOP_RT_OTHER));

	switch (ci->runtime) {
	case CTOP_RT_CONTAINERD:
		/* ctr's ids are names: still one plain component of a path */
		if (ci->confirm && !is_hex64(ci->id)) {
			FUZZ_CHECK(strspn(ci->id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					  "0123456789._-") == strlen(ci->id));
			FUZZ_CHECK(ci->id[0] != '.' && ci->ns[0]);
			return;
		}
		/* fall through */
	case CTOP_RT_DOCKER:
	case CTOP_RT_PODMAN:
	case CTOP_RT_CRIO:
		/* These ids go into paths: 64 hex digits, nothing else. */
		FUZZ_CHECK(is_hex64(ci->id));
		return;
	case CTOP_RT_OTHER:
		FUZZ_CHECK(ci->id[0] == '/' && !strchr(ci->id + 1, '/'));
		FUZZ_CHECK(!strcmp(ci->id + 1, ci->name));
		FUZZ_CHECK(fuzz_shown_safe(ci->name));
		break;
	case CTOP_RT_NSPAWN:
		if (ci->confirm) {
			/* nspawn without machined: the payload folder's path, confirmed later */
			FUZZ_CHECK(ci->id[0] == '/' && !strncmp(path, ci->id, strlen(ci->id)));
			FUZZ_CHECK(!strcmp(strrchr(ci->id, '/'), "/payload") && !ci->name[0]);
			FUZZ_CHECK(ctop_meta_read("/nonexistent", NULL, ci, &meta) == -ENOENT);
			return;
		}
		/* fall through */
	default:
		/* LXC and nspawn: the id doubles as the name. */
		FUZZ_CHECK(!strcmp(ci->id, ci->name));
		break;
	}
	/* No file is read for these: "/nonexistent" must not matter. */
	ret = ctop_meta_read("/nonexistent", NULL, ci, &meta);
	FUZZ_CHECK(ret == 0);
	FUZZ_CHECK(fuzz_terminated(meta.name, sizeof(meta.name)));
	FUZZ_CHECK(meta.name[0] && fuzz_shown_safe(meta.name));
	FUZZ_CHECK(!meta.image[0] && !meta.pod[0] && !meta.ns[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctop_cgroup_info ci;
	char *path = fuzz_strndup(data, size);

	if (ctop_cgroup_parse(path, &ci))
		check(path, &ci, false);
	else if (ctop_cgroup_parse_other(path, &ci))
		check(path, &ci, true);
	else
		FUZZ_CHECK(ci.runtime == CTOP_RT_NONE && !ci.id[0] && !ci.prefix_len);
	free(path);
	return 0;
}
