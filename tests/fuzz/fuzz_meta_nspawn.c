// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * systemd-nspawn without machined: the machine's name comes from the
 * command line of the systemd-nspawn in the payload's sibling supervisor
 * cgroup (/proc/<pid>/cmdline). The input is that command line, any
 * bytes; the name it gives must be one the screen can show.
 */
#include "meta_check.h"

static const char *root;
static struct ctop_meta_places places;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	root = fuzz_make_root();
	strcpy(places.cgroup2, "/cg");
	fuzz_write(root, "/cg/m1/supervisor/cgroup.procs", (const uint8_t *)"77\n", 3);
	fuzz_write(root, "/proc/77/comm", (const uint8_t *)"systemd-nspawn\n", 15);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctop_container_meta meta;
	struct ctop_cgroup_info ci;
	int ret;

	fuzz_write(root, "/proc/77/cmdline", data, size);
	if (!ctop_cgroup_parse("/m1/payload", &ci))
		abort();
	ret = ctop_meta_read(root, &places, &ci, &meta);
	fuzz_check_meta(ret, &meta);
	return 0;
}
