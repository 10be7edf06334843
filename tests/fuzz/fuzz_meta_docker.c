// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Docker's config.v2.json. Rootless Docker keeps it in the user's home,
 * so the user writes every byte; labels come from whoever made the image
 * or ran the container. The input is the file, read from a fixture root.
 */
#include "meta_check.h"

#define ID "02ef7dbe3edef6a6c20d5a35f3834619d837c31e1431590e11fbd01d2de17c8f"

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

	fuzz_write(root, "/var/lib/docker/containers/" ID "/config.v2.json", data, size);
	fuzz_hex_info(&ci, CTOP_RT_DOCKER, ID);
	ret = ctop_meta_read(root, NULL, &ci, &meta);
	fuzz_check_meta(ret, &meta);
	return 0;
}
