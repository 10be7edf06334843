/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Growable arrays, as the loader and the aggregation keep them. */
#ifndef CTOP_GROW_H
#define CTOP_GROW_H

#include <stddef.h>

/*
 * Makes *arr hold at least need elements of elem bytes, doubling *cap.
 * On failure *arr and *cap are left as they were. 0 or -ENOMEM.
 */
int ctop_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif /* CTOP_GROW_H */
