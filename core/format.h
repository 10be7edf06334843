/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Human units, shared by the batch table and the screen. */
#ifndef CTOP_FORMAT_H
#define CTOP_FORMAT_H

#include <stddef.h>

/*
 * 1024-based, like top and htop: "0", "512", "1.5K", "12M", "1.2G".
 * At most 5 characters for any value below 1000 P. Returns buf.
 */
char *ctop_fmt_bytes(char *buf, size_t len, double bytes);

#endif /* CTOP_FORMAT_H */
