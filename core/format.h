/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Human units, shared by the batch table and the screen. */
#ifndef CTOP_FORMAT_H
#define CTOP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * 1024-based, like top and htop: "0", "512", "1.5K", "12M", "1.2G".
 * At most 5 characters for any value below 1000 P. Returns buf.
 */
char *ctop_fmt_bytes(char *buf, size_t len, double bytes);

/* ctop_fmt_bytes() followed by "/s": "0/s", "1.5M/s". Returns buf. */
char *ctop_fmt_rate(char *buf, size_t len, double bytes_per_s);

/*
 * A percent of one CPU, below 100000 in at most 5 characters: "0.0", "12.3", "99.9",
 * "100", "12345"; then at most 6: "123.5k", "12.3M". Negative or NaN: "0.0".
 */
char *ctop_fmt_pct(char *buf, size_t len, double pct);

/* A whole count, as "%u" would print it: "0", "12". Returns buf. */
char *ctop_fmt_count(char *buf, size_t len, double n);

/*
 * A refresh interval or other short duration: "0.1s", "1.0s", "12.5s",
 * "60s", "2m05s", "1h02m". Returns buf.
 */
char *ctop_fmt_seconds(char *buf, size_t len, double secs);

/*
 * A moment, unix seconds, as the local time of day "14:05" (ps's STIME);
 * "-" for 0 or less, unknown. Returns buf.
 */
char *ctop_fmt_clock(char *buf, size_t len, double unix_s);

/*
 * Copies src into dst as valid UTF-8: each byte that does not start a
 * well-formed sequence becomes '?'. Kernel comms are raw bytes cut at 15,
 * often inside a character. Returns dst.
 */
char *ctop_fmt_utf8(char *dst, size_t len, const char *src);

/* The value of a hex digit of either case, or -1. */
int ctop_hex_digit(char c);

/*
 * The one rule for text a tenant controls (comm, command lines, container
 * names, images, labels, ids, cgroup paths) on its way to a terminal,
 * shared by the batch table and the screen. Reads the character at src:
 * returns its length in bytes (0 at the end of the string) and sets *cp
 * to its code point, or to '?' when it must not reach the terminal as
 * itself: C0, DEL and C1 controls, a byte that is not UTF-8, the
 * bidirectional controls (U+202A-U+202E, U+2066-U+2069, LRM, RLM, ALM)
 * and invisible characters (U+200B-U+200D, U+2060, U+FEFF, ...) that could
 * reorder or hide what follows. With utf8 false (the reader's locale is
 * not UTF-8) every byte from 0x80 is one '?'. A '?' stands for all n bytes.
 */
size_t ctop_text_next(const char *src, bool utf8, uint32_t *cp);

/* All of src through ctop_text_next(), cut to fit len at a character. Returns dst. */
char *ctop_fmt_safe(char *dst, size_t len, const char *src, bool utf8);

/*
 * src cut to at most cols characters, never inside one, then padded with
 * spaces to cols: a fixed-width column for the batch table, made safe by
 * ctop_text_next(). Returns buf.
 */
char *ctop_fmt_column(char *buf, size_t len, const char *src, int cols, bool utf8);

#endif /* CTOP_FORMAT_H */
