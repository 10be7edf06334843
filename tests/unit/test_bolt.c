// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The bbolt reader against a database Podman 4.3 wrote
 * (tests/fixtures/discovery/root-podpod) and one containerd 1.6 wrote
 * (root-ctrmeta: two `ctr containers create`, in namespaces default and
 * rt), and against every cut and many corruptions of them: a rootless user
 * writes their own database.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "bolt.h"
#include "fixture.h"

#define POD_ID "54c48714548e94481df1b5ed2acdea2c5a904a5ab1253ac261d2b6b52fbaf309"
#define PODMAN_DB "root-podpod/var/lib/containers/storage/libpod/bolt_state.db"
#define CTRD_DB "root-ctrmeta/var/lib/containerd/io.containerd.metadata.v1.bolt/meta.db"

/* A file of tests/fixtures/discovery, whole. */
static unsigned char *load(const char *rel, size_t *len)
{
	char path[512];

	snprintf(path, sizeof(path), "discovery/%s", rel);
	return (unsigned char *)fixture_slurp(path, len);
}

Test(bolt, podman_database)
{
	const char *const pod[] = { "allPods", POD_ID };
	const char *const nopod[] = { "allPods", "0000" };
	const char *const bucket[] = { "allPods" };
	const char *const nobucket[] = { "nothere", POD_ID };
	const char *const nested[] = { "pod", POD_ID, "config" };
	size_t len, vn;
	const void *v;
	unsigned char *db = load(PODMAN_DB, &len);

	cr_assert_eq(ctop_bolt_get(db, len, pod, 2, &v, &vn), 0);
	cr_expect_eq(vn, 6);
	cr_expect_eq(memcmp(v, "rtpod1", 6), 0);
	cr_expect_eq(ctop_bolt_get(db, len, nopod, 2, &v, &vn), -ENOENT);
	/* a bucket is not a value */
	cr_expect_eq(ctop_bolt_get(db, len, bucket, 1, &v, &vn), -ENOENT);
	cr_expect_eq(ctop_bolt_get(db, len, nobucket, 2, &v, &vn), -ENOENT);
	/* a bucket in a bucket: the pod's JSON config, holding its name */
	cr_assert_eq(ctop_bolt_get(db, len, nested, 3, &v, &vn), 0);
	cr_expect(memmem(v, vn, "\"name\":\"rtpod1\"", 15) != NULL);
	cr_expect_eq(ctop_bolt_get(NULL, len, pod, 2, &v, &vn), -EINVAL);
	cr_expect_eq(ctop_bolt_get(db, len, pod, 0, &v, &vn), -EINVAL);
	free(db);
}

/* containerd's image for a container: four buckets deep, then the key. */
Test(bolt, containerd_database)
{
	const char *const web[] = { "v1", "default", "containers", "web", "image" };
	const char *const web2[] = { "v1", "rt", "containers", "rt-web2", "image" };
	const char *const other_ns[] = { "v1", "rt", "containers", "web", "image" };
	const char *const snap[] = { "v1", "default", "containers", "web", "snapshotKey" };
	static const char img[] = "docker.io/library/ctoptest:latest";
	size_t len, vn;
	const void *v;
	unsigned char *db = load(CTRD_DB, &len);

	cr_assert_eq(ctop_bolt_get(db, len, web, 5, &v, &vn), 0);
	cr_expect_eq(vn, sizeof(img) - 1);
	cr_expect_eq(memcmp(v, img, sizeof(img) - 1), 0);
	cr_assert_eq(ctop_bolt_get(db, len, web2, 5, &v, &vn), 0);
	cr_expect_eq(vn, sizeof(img) - 1);
	cr_expect_eq(ctop_bolt_get(db, len, other_ns, 5, &v, &vn), -ENOENT);
	cr_assert_eq(ctop_bolt_get(db, len, snap, 5, &v, &vn), 0);
	cr_expect_eq(vn, 3);
	cr_expect_eq(memcmp(v, "web", 3), 0);
	free(db);
}

/* Every prefix of the file, and the file with bytes changed: no crash, no wrong answer. */
static void cut_and_corrupt(const char *rel, const char *const *key, size_t nkey)
{
	unsigned int seed = 4242;
	size_t len, vn, n, i, k;
	const void *v;
	unsigned char *db = load(rel, &len), *copy = malloc(len);
	int ret;

	cr_assert_not_null(copy);
	for (n = 0; n < len; n += n < 8192 ? 1 : 97) {
		/* an exact-size copy, so ASan sees any read past the cut */
		unsigned char *cut = malloc(n ? n : 1);

		memcpy(cut, db, n);
		ret = ctop_bolt_get(cut, n, key, nkey, &v, &vn);
		cr_assert(ret == 0 || ret == -ENOENT || ret == -EINVAL, "len %zu: %d", n, ret);
		if (ret == 0)
			cr_assert((const unsigned char *)v >= cut && (const unsigned char *)v + vn <= cut + n);
		free(cut);
	}
	for (i = 0; i < 3000; i++) {
		memcpy(copy, db, len);
		for (k = 0; k < 1 + i % 8; k++)
			copy[rand_r(&seed) % len] = (unsigned char)rand_r(&seed);
		ret = ctop_bolt_get(copy, len, key, nkey, &v, &vn);
		cr_assert(ret == 0 || ret == -ENOENT || ret == -EINVAL, "%d", ret);
		if (ret == 0)
			cr_assert((const unsigned char *)v >= copy &&
				  (const unsigned char *)v + vn <= copy + len);
	}
	free(copy);
	free(db);
}

Test(bolt, cut_and_corrupted)
{
	const char *const pod[] = { "allPods", POD_ID };
	const char *const web[] = { "v1", "default", "containers", "web", "image" };

	cut_and_corrupt(PODMAN_DB, pod, 2);
	cut_and_corrupt(CTRD_DB, web, 5);
}
