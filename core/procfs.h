/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure parsing of what /proc files hold, apart from the reading, so tests
 * and fuzzers feed it any bytes. A process writes its own cmdline, so a
 * tenant controls every byte of it.
 */
#ifndef CTOP_PROCFS_H
#define CTOP_PROCFS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Turns the n bytes read from /proc/<pid>/cmdline, in place, into one
 * line: trailing NULs dropped, the NULs and newlines between arguments
 * turned into spaces. buf holds at least n + 1 bytes; buf[result] is
 * set to NUL. Returns the line's length.
 */
size_t ctop_proc_tidy_cmdline(char *buf, size_t n);

/*
 * The effective capabilities in the n bytes of a /proc/<pid>/status (a
 * line "CapEff:", blanks, 1 to 16 hex digits). 0, -ENOENT without such a
 * line, or -EINVAL for a malformed one; *caps is set only on 0.
 */
int ctop_proc_cap_eff(const char *buf, size_t n, uint64_t *caps);

#endif /* CTOP_PROCFS_H */
