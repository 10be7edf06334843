/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A record's JSON split for zstd (format versions 2 and 3, man/ctop-bpf.8,
 * RECORDING FORMAT): the text with each number taken out (the skeleton),
 * then the numbers. Two refreshes of a host differ almost only in
 * numbers, so the skeleton repeats whole, where in the text a number of
 * another length moved everything after it and every change cost a new
 * match offset.
 *
 * Lossless for any text: a number is taken out only if it prints back to
 * the same bytes; the others stay in the skeleton as they are.
 *
 *   u32 json_len, u32 skel_len, skeleton (skel_len bytes), numbers
 *
 * In the skeleton, bytes 1 to 6 stand for a number: an integer in 4 or 8
 * bytes, a negative one, a real (its IEEE 754 bits, as snapshot_json.c
 * prints it), or an integer as the difference, in 4 or 8 bytes, from the
 * same number in the record before. JSON text holds no such byte
 * (control characters are escaped in strings); text that does is not
 * packed. "The same number" is the one with the same key: reached by the
 * same skeleton from the '{' that opens its object, when that is at most
 * one array deep: a container's counters (its id is in that skeleton),
 * the host's; used for a counter that grew by less than 1/64, whose
 * difference is then what the record's rates already hold. Version 2
 * keeps each number in a fixed width, so that it sits at the same
 * distance from its value one record before and zstd codes an unchanged
 * one as part of a long match.
 *
 * Version 3 adds markers 7 (the same number as before, no bytes), 8 (an
 * integer in LEB128), 11 (a difference in LEB128), 12 and 14 (a number,
 * or a difference, equal to one up to 16 numbers back in the object: the
 * next skeleton byte says how far), and keys processes too: an array two
 * deep that begins with a number (the pid) by that number, the object's
 * skeleton to its first '[' and its array's name (record_pack.c, struct
 * key). What changes then lies together in the numbers, one run of
 * literals for zstd, and the rest costs no number bytes.
 *
 * Records are packed and unpacked in order from a frame's first, each
 * against the one before: struct ctop_recpack keeps what that needs.
 */
#ifndef CTOP_RECORD_PACK_H
#define CTOP_RECORD_PACK_H

#include <stddef.h>
#include <stdint.h>
#include "u64map.h"

struct ctop_recpack_val;

struct ctop_recpack {
	/*
	 * The file's format version, set before the first record and kept by
	 * reset: 2, or 3 (0 reads as 2).
	 */
	unsigned version;
	struct ctop_u64map map[2];	/* key -> index in val, this record's and the last's */
	struct ctop_recpack_val *val[2];
	size_t n[2], cap[2];
	size_t next;			/* in val[!cur], after the last number found */
	int cur;
};

/* Forgets the record before: the next is packed on its own (a new frame). */
void ctop_recpack_reset(struct ctop_recpack *pk);
void ctop_recpack_fini(struct ctop_recpack *pk);

/*
 * Packs json[len] into *buf (grown as needed, *cap its size; the caller
 * frees it), *outlen bytes. 0, -EINVAL if the text holds a marker byte or
 * is too long (store it unpacked then: pk is reset), or -ENOMEM.
 */
int ctop_recpack_encode(struct ctop_recpack *pk, const char *json, size_t len, unsigned char **buf, size_t *cap,
			size_t *outlen);

/*
 * Unpacks in[n] into *buf (grown, NUL-terminated), *outlen bytes, at most
 * max; with buf NULL only reads it, for the next. 0, -EBADMSG if in is
 * not a packed record (damage), or -ENOMEM.
 */
int ctop_recpack_decode(struct ctop_recpack *pk, const unsigned char *in, size_t n, size_t max, char **buf, size_t *cap,
			size_t *outlen);

#endif /* CTOP_RECORD_PACK_H */
