// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An OCI bundle's config.json, as containerd (its task state) and CRI-O
 * (overlay-containers/<id>/userdata) keep it. Its annotations come from
 * the pod spec, which a tenant writes. The input is the file, put at both
 * places and read once as each runtime.
 */
#include "meta_check.h"

#define ID "7ce3e11b3145bf6806e029a5bb8b9c55cd6e7d0468c306e32b59252419e4fc11"

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

	fuzz_write(root, "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
		   data, size);
	fuzz_write(root, "/run/containers/storage/overlay-containers/" ID "/userdata/config.json",
		   data, size);
	fuzz_hex_info(&ci, CTOP_RT_CONTAINERD, ID);
	ret = ctop_meta_read(root, NULL, &ci, &meta);
	fuzz_check_meta(ret, &meta);
	fuzz_hex_info(&ci, CTOP_RT_CRIO, ID);
	ret = ctop_meta_read(root, NULL, &ci, &meta);
	fuzz_check_meta(ret, &meta);
	return 0;
}
