// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * /proc/self/mountinfo, searched for the cgroup2 mount. Mount points are
 * paths anyone with a mount namespace of their own may choose, escaped
 * by the kernel as \ooo. The input is the file; it is searched with the
 * collector's 256-byte buffer and again with a small one.
 */
#include "container.h"
#include "fuzz.h"

static char path[300];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	snprintf(path, sizeof(path), "%s/mountinfo", fuzz_make_root());
	return 0;
}

static void search(size_t len)
{
	char *buf = malloc(len);
	int ret;

	if (!buf)
		abort();
	memset(buf, 0xa5, len);
	ret = ctop_cgroup2_mount(path, buf, len);
	FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -ENAMETOOLONG || ret == -EINVAL);
	if (ret == 0)
		FUZZ_CHECK(fuzz_terminated(buf, len) && buf[0]);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_write("", path, data, size);
	search(256);
	search(size % 32 + 1);
	return 0;
}
