// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The packing of version 2 records (record_pack.h): any text comes back
 * byte for byte, in a sequence where each record refers to the one before;
 * numbers that do not print back the same stay text; text holding a
 * marker byte is refused; damaged packed bytes are an error, not a crash.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "record_pack.h"
#include "snap_synth.h"
#include "snapshot_json.h"

struct pair {
	struct ctop_recpack enc, dec;
	unsigned char *packed;
	size_t pcap, plen;
	char *text;
	size_t tcap, tlen;
};

static void pair_fini(struct pair *p)
{
	ctop_recpack_fini(&p->enc);
	ctop_recpack_fini(&p->dec);
	free(p->packed);
	free(p->text);
}

/* Packs and unpacks s; returns the packed size. */
static size_t round_trip(struct pair *p, const char *s)
{
	size_t n = strlen(s);

	cr_assert_eq(ctop_recpack_encode(&p->enc, s, n, &p->packed, &p->pcap, &p->plen), 0, "%s",
		     s);
	cr_assert_eq(ctop_recpack_decode(&p->dec, p->packed, p->plen, 1 << 20, &p->text, &p->tcap,
					 &p->tlen),
		     0, "%s", s);
	cr_assert_eq(p->tlen, n, "%s", s);
	cr_assert_str_eq(p->text, s);
	return p->plen;
}

Test(record_pack, odd_numbers_and_strings_come_back_as_they_were)
{
	static const char *const texts[] = {
		"",
		"0",
		"-0",
		"007",
		"-",
		"1e5",
		"1.0",
		"1.50",
		"0.1",
		"-2.5e-300",
		"1e999",
		"18446744073709551615",
		"18446744073709551616",
		"-9223372036854775808",
		"123456789012345678901234567890",
		"{\"a\":[1,2,-3,4.5,{\"b\":\"x1\\\"2\\\\\",\"c\":[[7,8],[9]]}],\"d\":}",
		"{\"s\":\"{[}]\\u0001 \\\"{\",\"n\":12}",
		"[1,,2,-,--1,.5,5.,1e,1e+,1E+2]",
		"  { \"k\" : 42 }  \n",
		"{\"x\":4294967295,\"y\":4294967296}",
		"\"unterminated 12",
		"trailing backslash \\",
		"{\"a\":\"\\",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		struct pair p = { 0 };

		/* Twice: the second refers to the first. */
		round_trip(&p, texts[i]);
		round_trip(&p, texts[i]);
		pair_fini(&p);
	}
}

Test(record_pack, counters_refer_to_the_record_before)
{
	struct pair p = { 0 };
	char s[256];
	size_t first, later = 0;

	/* The key is the object's skeleton: "id" tells the two objects apart. */
	for (unsigned i = 0; i < 50; i++) {
		snprintf(s, sizeof(s),
			 "{\"c\":[{\"id\":\"a\",\"t\":[%u,%llu]},{\"id\":\"b\",\"t\":[%u,%llu]}],"
			 "\"p\":[[%u,%u]]}",
			 i, 1000000000000ULL + 7 * i, 2 * i, 5000000000000ULL + 1000 * i, i, 3 * i);
		later = round_trip(&p, s);
		if (i == 0)
			first = later;
	}
	/* The 8-byte counters became 4-byte differences. */
	cr_assert_lt(later, first, "%zu %zu", later, first);
	/* A reader that starts over is not fooled: the first record has no before. */
	ctop_recpack_reset(&p.dec);
	cr_assert_eq(ctop_recpack_decode(&p.dec, p.packed, p.plen, 1 << 20, &p.text, &p.tcap,
					 &p.tlen),
		     -EBADMSG);
	pair_fini(&p);
}

Test(record_pack, same_key_twice_is_never_referred_to)
{
	struct pair p = { 0 };
	char s[128];

	for (unsigned i = 0; i < 5; i++) {
		snprintf(s, sizeof(s), "[{\"t\":[%llu]},{\"t\":[%llu]}]", 1000000ULL + i,
			 9000000ULL + i);
		round_trip(&p, s);
	}
	pair_fini(&p);
}

Test(record_pack, text_with_a_marker_byte_is_refused)
{
	struct ctop_recpack pk = { 0 };
	unsigned char *buf = NULL;
	size_t cap = 0, n;

	for (char c = 1; c <= 6; c++) {
		char s[] = { '{', '"', 'a', c, '"', ':', '1', '}' };

		cr_assert_eq(ctop_recpack_encode(&pk, s, sizeof(s), &buf, &cap, &n), -EINVAL);
	}
	ctop_recpack_fini(&pk);
	free(buf);
}

/* Real snapshots, a frame's worth, exactly; then every byte of one damaged. */
Test(record_pack, snapshots_and_damage)
{
	struct pair p = { 0 };
	struct synth y;
	unsigned char *bad;
	char *json;
	size_t len;

	cr_assert_eq(synth_init(&y, 5, 8, 99), 0);
	for (int i = 0; i < 40; i++) {
		synth_step(&y, 1.0);
		cr_assert_eq(ctop_snapshot_json_dump(&y.s, &json, &len), 0);
		round_trip(&p, json);
		free(json);
	}
	bad = malloc(p.plen);
	for (size_t i = 0; i < p.plen; i++) {
		struct ctop_recpack dec = { 0 };
		char *out = NULL;
		size_t cap = 0, n;

		memcpy(bad, p.packed, p.plen);
		bad[i] ^= 0x5a;
		/* With no record before: whatever it says, no crash, bounded output. */
		if (!ctop_recpack_decode(&dec, bad, p.plen, 1 << 20, &out, &cap, &n))
			cr_assert_leq(n, 1 << 20);
		ctop_recpack_decode(&dec, bad, i, 1 << 20, &out, &cap, &n);
		ctop_recpack_fini(&dec);
		free(out);
	}
	free(bad);
	synth_fini(&y);
	pair_fini(&p);
}
