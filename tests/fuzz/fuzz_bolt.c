// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Podman's bbolt database (libpod/bolt_state.db), which rootless Podman
 * keeps in the user's home: the pod name is looked up in it; and
 * containerd's meta.db, where a container's image is. The input is the
 * whole file; lookups go one, two and four buckets deep.
 */
#include <errno.h>
#include <string.h>
#include "bolt.h"
#include "fuzz.h"

#define POD "54c48714548e94481df1b5ed2acdea2c5a904a5ab1253ac261d2b6b52fbaf309"

static void lookup(const uint8_t *data, size_t size, const char *const *path, size_t n)
{
	const void *v = NULL;
	size_t vn = 0;
	int ret = ctop_bolt_get(data, size, path, n, &v, &vn);

	FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EINVAL);
	if (ret == 0)
		FUZZ_CHECK((const uint8_t *)v >= data && vn <= size &&
			   (const uint8_t *)v - data <= (ptrdiff_t)(size - vn));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const pod[] = { "allPods", POD };
	const char *const config[] = { "pod", POD, "config" };
	const char *const image[] = { "v1", "default", "containers", "web", "image" };

	lookup(data, size, pod, 2);
	lookup(data, size, config, 3);
	lookup(data, size, image, 5);
	return 0;
}
