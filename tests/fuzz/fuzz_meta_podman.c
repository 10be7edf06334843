// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Podman's containers.json (containers/storage's index), with its
 * "metadata" member that is JSON inside a JSON string. Rootless Podman
 * keeps it in the user's home. The input is the file; the id looked up
 * is the first one in tests/fixtures' containers.json.
 */
#include "meta_check.h"

#define ID "d9298a10d1b0735837dc4bd85dac641b0f3cef27a47e5d53a54f2f3f5b2fcffa"

static const char *root;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	root = fuzz_make_root();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctop_container_meta meta;
	struct ctop_cgroup_info ci;
	int ret;

	fuzz_write(root, "/var/lib/containers/storage/overlay-containers/containers.json", data,
		   size);
	fuzz_hex_info(&ci, CTOP_RT_PODMAN, ID);
	ret = ctop_meta_read(root, NULL, &ci, &meta);
	fuzz_check_meta(ret, &meta);
	return 0;
}
