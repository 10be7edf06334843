/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reads one value from a bbolt database held in memory (Podman keeps its
 * pods in one: libpod/bolt_state.db). Only lookups; every offset is
 * checked against the buffer, since a rootless user writes their own file.
 */
#ifndef CTOP_BOLT_H
#define CTOP_BOLT_H

#include <stddef.h>

/*
 * The value at path[0..n-1]: n - 1 nested buckets from the root, then the
 * key. *val points into db. 0, -ENOENT when a bucket or the key is not
 * there, -EINVAL when db is no valid bbolt file or a page is malformed.
 */
int ctop_bolt_get(const void *db, size_t len, const char *const *path, size_t n,
		  const void **val, size_t *vlen);

#endif /* CTOP_BOLT_H */
