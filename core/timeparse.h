/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a person types for a time or a size, parsed without printing. */
#ifndef CTOP_TIMEPARSE_H
#define CTOP_TIMEPARSE_H

#include <stdint.h>

/*
 * "HH:MM", "HH:MM:SS" (on ref's local day) or "YYYY-MM-DD HH:MM[:SS]",
 * local time (TZ), into seconds since the epoch. 0 or -EINVAL.
 */
int ctop_time_parse(const char *s, double ref, double *out);

/*
 * Bytes: "1048576", "512K", "100M", "2G", "1T" (powers of 1024; "M",
 * "MB" and "MiB" alike). 0, -EINVAL, or -ERANGE past 2^64.
 */
int ctop_size_parse(const char *s, uint64_t *out);

#endif /* CTOP_TIMEPARSE_H */
