// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The packing of version 2 and 3 records (record_pack.h): any text comes
 * back byte for byte, in a sequence where each record refers to the one
 * before; numbers that do not print back the same stay text; text holding
 * a marker byte is refused; damaged packed bytes are an error, not a
 * crash. Version 3's keys and markers: processes keep theirs while others
 * start and exit, unchanged numbers and references take no number bytes.
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

static const unsigned versions[] = { 2, 3 };

#define FOR_EACH_VERSION(ver) \
	for (size_t vi_ = 0; vi_ < sizeof(versions) / sizeof(*versions); vi_++) \
		for (unsigned ver = versions[vi_], once_ = 1; once_; once_ = 0)

static struct pair pair_of(unsigned version)
{
	return (struct pair){ .enc.version = version, .dec.version = version };
}

/* Bytes of the last record packed in the numbers, after its skeleton. */
static size_t number_bytes(const struct pair *p)
{
	const unsigned char *b = p->packed + 4;

	return p->plen - 8 - (b[0] | b[1] << 8 | b[2] << 16 | (size_t)b[3] << 24);
}

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

	FOR_EACH_VERSION(ver)
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		struct pair p = pair_of(ver);

		/* Three times: the second refers to the first, the third to both. */
		round_trip(&p, texts[i]);
		round_trip(&p, texts[i]);
		round_trip(&p, texts[i]);
		pair_fini(&p);
	}
}

Test(record_pack, counters_refer_to_the_record_before)
{
	FOR_EACH_VERSION(ver) {
	struct pair p = pair_of(ver);
	char s[256];
	size_t first = 0, later = 0;

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
}

Test(record_pack, same_key_twice_is_never_referred_to)
{
	FOR_EACH_VERSION(ver) {
	struct pair p = pair_of(ver);
	char s[128];

	for (unsigned i = 0; i < 5; i++) {
		snprintf(s, sizeof(s), "[{\"t\":[%llu]},{\"t\":[%llu]}]", 1000000ULL + i,
			 9000000ULL + i);
		round_trip(&p, s);
	}
	pair_fini(&p);
	}
}

Test(record_pack, text_with_a_marker_byte_is_refused)
{
	FOR_EACH_VERSION(ver) {
	struct pair p = pair_of(ver);

	for (char c = 1; c < 32; c++) {
		char s[] = { '{', '"', 'a', c, '"', ':', '1', '}', '\0' };
		/* Version 3 adds 7, 8, 11, 12 and 14; never JSON's white space. */
		bool mark = c <= 6 || (ver >= 3 && (c == 7 || c == 8 || c == 11 || c == 12 || c == 14));

		if (mark)
			cr_assert_eq(ctop_recpack_encode(&p.enc, s, 8, &p.packed, &p.pcap, &p.plen),
				     -EINVAL, "version %u, byte %d", ver, c);
		else
			round_trip(&p, s);
	}
	pair_fini(&p);
	}
}

/*
 * Real snapshots, a frame's worth, exactly; then every byte of the last
 * damaged, read on its own and after the record it refers to.
 */
Test(record_pack, snapshots_and_damage)
{
	FOR_EACH_VERSION(ver) {
	struct pair p = pair_of(ver);
	struct synth y;
	unsigned char *bad, *before = NULL;
	size_t nbefore = 0;
	char *json;
	size_t len;

	cr_assert_eq(synth_init(&y, 5, 8, 99), 0);
	for (int i = 0; i < 40; i++) {
		synth_step(&y, 1.0);
		cr_assert_eq(ctop_snapshot_json_dump(&y.s, &json, &len), 0);
		if (i == 38) {
			/* The last refers to this one only, as to a frame's first. */
			ctop_recpack_reset(&p.enc);
			ctop_recpack_reset(&p.dec);
		}
		round_trip(&p, json);
		if (i == 38) {
			before = malloc(p.plen);
			memcpy(before, p.packed, p.plen);
			nbefore = p.plen;
		}
		free(json);
	}
	bad = malloc(p.plen);
	for (size_t i = 0; i < p.plen; i++) {
		struct ctop_recpack dec = { .version = ver };
		char *out = NULL;
		size_t cap = 0, n;

		memcpy(bad, p.packed, p.plen);
		bad[i] ^= 0x5a;
		/* With no record before: whatever it says, no crash, bounded output. */
		if (!ctop_recpack_decode(&dec, bad, p.plen, 1 << 20, &out, &cap, &n))
			cr_assert_leq(n, 1 << 20);
		ctop_recpack_decode(&dec, bad, i, 1 << 20, &out, &cap, &n);
		/* After the record it refers to. */
		ctop_recpack_reset(&dec);
		cr_assert_eq(ctop_recpack_decode(&dec, before, nbefore, 1 << 20, &out, &cap, &n), 0);
		if (!ctop_recpack_decode(&dec, bad, p.plen, 1 << 20, &out, &cap, &n))
			cr_assert_leq(n, 1 << 20);
		ctop_recpack_reset(&dec);
		cr_assert_eq(ctop_recpack_decode(&dec, before, nbefore, 1 << 20, NULL, NULL, &n), 0);
		ctop_recpack_decode(&dec, bad, i, 1 << 20, &out, &cap, &n);
		ctop_recpack_fini(&dec);
		free(out);
	}
	free(bad);
	free(before);
	synth_fini(&y);
	pair_fini(&p);
	}
}

/* ---- version 3 ---- */

/* A record the same as the one before takes no number bytes at all. */
Test(record_pack, v3_unchanged_numbers_take_no_bytes)
{
	static const char *const text =
		"{\"seq\":7,\"t\":-12,\"x\":2.5,\"c\":[{\"id\":\"a\",\"m\":[1,2,300000],"
		"\"procs\":[[10,1,\"sh\",99,-3,0.25],[11,1,\"ls\",77,0,0]]}]}";
	struct pair p = pair_of(3), q = pair_of(2);

	round_trip(&p, text);
	round_trip(&p, text);
	cr_assert_eq(number_bytes(&p), 0);
	/* Version 2 still writes them. */
	round_trip(&q, text);
	round_trip(&q, text);
	cr_assert_gt(number_bytes(&q), 0);
	/* A reader with no record before cannot have read it. */
	ctop_recpack_reset(&p.dec);
	cr_assert_eq(ctop_recpack_decode(&p.dec, p.packed, p.plen, 1 << 20, &p.text, &p.tcap,
					 &p.tlen),
		     -EBADMSG);
	pair_fini(&p);
	pair_fini(&q);
}

/* A number that changed comes back, and so does one that changes kind under its key. */
Test(record_pack, v3_changed_numbers_and_kinds)
{
	static const char *const texts[] = {
		"{\"a\":[5,6],\"p\":[[1,5,6]]}",
		"{\"a\":[5,7],\"p\":[[1,5,7]]}",
		"{\"a\":[-5,7.5],\"p\":[[1,-5,7.5]]}",
		"{\"a\":[5,7],\"p\":[[1,5,7]]}",
		"{\"a\":[\"5\",007],\"p\":[[1,\"5\",007]]}",
		"{\"a\":[5,7],\"p\":[[1,5,7]]}",
		"{\"a\":[5,7],\"p\":[[1,5,7]]}",
	};
	struct pair p = pair_of(3);

	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
			round_trip(&p, texts[i]);
	pair_fini(&p);
}

/*
 * A process keeps its keys when others start or exit before it: only the
 * pid after the change is written again (its key is the pid before it).
 */
Test(record_pack, v3_processes_start_and_exit)
{
	static const char *const texts[] = {
		"{\"id\":\"c\",\"procs\":[[10,1,\"a\",1000,2000],[11,1,\"b\",3000,4000],"
		"[12,1,\"c\",5000,6000]]}",
		/* 11 exits */
		"{\"id\":\"c\",\"procs\":[[10,1,\"a\",1000,2000],[12,1,\"c\",5000,6000]]}",
		/* 9 starts first */
		"{\"id\":\"c\",\"procs\":[[9,1,\"z\",7000,8000],[10,1,\"a\",1000,2000],"
		"[12,1,\"c\",5000,6000]]}",
		/* all exit, then 12 is back */
		"{\"id\":\"c\",\"procs\":[]}",
		"{\"id\":\"c\",\"procs\":[[12,1,\"c\",5000,6000]]}",
	};
	/*
	 * The bytes of LEB128 written again: 12 (its key, the pid before it,
	 * changed); 9's all (6) and 10; none; all of 12's (the record before
	 * knew none).
	 */
	static const size_t want[] = { 0, 1, 7, 0, 6 };
	struct pair p = pair_of(3);

	round_trip(&p, texts[0]);
	round_trip(&p, texts[0]);
	cr_assert_eq(number_bytes(&p), 0);
	for (size_t i = 1; i < sizeof(texts) / sizeof(*texts); i++) {
		round_trip(&p, texts[i]);
		cr_assert_eq(number_bytes(&p), want[i], "record %zu: %zu", i, number_bytes(&p));
	}
	pair_fini(&p);
}

/*
 * A row's processes keep their keys when the row gains or loses a member
 * before them that only some records have (the EWMA state).
 */
Test(record_pack, v3_processes_keep_their_keys_across_optional_members)
{
	static const char *const texts[] = {
		"{\"id\":\"c\",\"m\":[1,2],\"procs\":[[10,1,\"a\",1000,2000]]}",
		"{\"id\":\"c\",\"m\":[1,2],\"smooth\":[1.5,2.5],\"procs\":[[10,1,\"a\",1000,2000]]}",
		"{\"id\":\"c\",\"m\":[1,2],\"procs\":[[10,1,\"a\",1000,2000]]}",
	};
	struct pair p = pair_of(3);

	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		round_trip(&p, texts[i]);
	cr_assert_eq(number_bytes(&p), 0);
	pair_fini(&p);
}

/* Two processes with one pid in a container: their numbers are never referred to. */
Test(record_pack, v3_a_pid_twice_is_never_referred_to)
{
	static const char *const text =
		"{\"id\":\"c\",\"procs\":[[5,100,200],[5,100,200],[6,300,400]]}";
	struct pair p = pair_of(3);

	for (int i = 0; i < 4; i++)
		round_trip(&p, text);
	/*
	 * 100 and 200 twice, one byte and two each, and the second 5 and the
	 * 6, whose keys (the pid before theirs) are alike: 6's others are
	 * referred to.
	 */
	cr_assert_eq(number_bytes(&p), 2 * (1 + 2) + 2, "%zu", number_bytes(&p));
	pair_fini(&p);
}

/*
 * A row's totals that grew by the counts written before them in its object
 * refer to those, and take no number bytes; so does a number that equals
 * an earlier one.
 */
Test(record_pack, v3_numbers_equal_to_earlier_ones_refer_to_them)
{
	struct pair p = pair_of(3);
	unsigned long long t1 = 50000000, t2 = 90000000;
	char s[256];

	for (unsigned i = 0; i < 20; i++) {
		unsigned long long c1 = 1000 + 37 * i, c2 = 20000 + 11 * (i % 5);

		t1 += c1;
		t2 += c2;
		snprintf(s, sizeof(s), "{\"id\":\"x\",\"m\":[%llu,%llu],\"again\":%llu,\"totals\":[%llu,%llu]}",
			 c1, c2, c1, t1, t2);
		round_trip(&p, s);
	}
	/* c1 and c2 only, two and three bytes of LEB128 (c2 unchanged at times: fewer). */
	cr_assert_leq(number_bytes(&p), 5, "%zu", number_bytes(&p));
	cr_assert_geq(number_bytes(&p), 2, "%zu", number_bytes(&p));
	pair_fini(&p);
}

/* Packs skel[ns] and nums[nn] as a record of json_len bytes. */
static size_t craft(unsigned char *out, const char *skel, size_t ns, const unsigned char *nums,
		    size_t nn)
{
	for (int i = 0; i < 4; i++) {
		out[i] = (unsigned char)(1000 >> (8 * i));
		out[4 + i] = (unsigned char)(ns >> (8 * i));
	}
	memcpy(out + 8, skel, ns);
	memcpy(out + 8 + ns, nums, nn);
	return 8 + ns + nn;
}

/*
 * Version 3 records that a writer never makes, read (without their text,
 * whose length is then not checked) after one that has "a" a real and "b"
 * an integer: each marker's own checks make them damage.
 */
Test(record_pack, v3_impossible_markers_are_damage)
{
	static const struct {
		const char *skel;
		unsigned char nums[12];
		size_t nn;
		int e;
	} cases[] = {
#define A "{\"a\":\x07,\"b\":"	/* "a" the same real as before */
		{ A "\x08}", { 5 }, 1, 0 },				/* LEB128: fine */
		{ A "\x07}", { 0 }, 0, 0 },				/* the same: fine */
		{ A "\x0b}", { 1 }, 1, 0 },				/* plus one: fine */
		{ A "\x08,\"c\":\x0c\x01}", { 5 }, 1, 0 },		/* back one: fine */
		{ A "\x07,\"z\":\x07}", { 0 }, 0, -EBADMSG },		/* no "z" before */
		{ "{\"a\":\x0b}", { 1 }, 1, -EBADMSG },			/* a real plus one */
		{ "{\"a\":\x0e\x01}", { 0 }, 0, -EBADMSG },		/* plus nothing back */
		{ "{\"a\":\x0c\x01}", { 0 }, 0, -EBADMSG },		/* nothing back */
		{ A "\x0c\x01}", { 0 }, 0, -EBADMSG },			/* back to a real */
		{ A "\x08,\"c\":\x0c\x03}", { 5 }, 1, -EBADMSG },	/* too far back */
		{ A "\x08,\"c\":\x0c\x00}", { 5 }, 1, -EBADMSG },	/* back none */
		{ A "\x08,\"c\":\x0c", { 5 }, 1, -EBADMSG },		/* how far is cut */
		{ A "\x0c", { 0 }, 0, -EBADMSG },			/* at the very end */
		{ A "\x08}", { 0x80, 0x80 }, 2, -EBADMSG },		/* LEB128 cut */
		{ A "\x08}", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, 10, 0 },
		{ A "\x08}", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 }, 10,
		  -EBADMSG },						/* past 64 bits */
		{ A "\x08}", { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0 }, 11,
		  -EBADMSG },
#undef A
	};
	struct pair p = pair_of(3);
	unsigned char first[64], rec[64];
	size_t nfirst, n;

	round_trip(&p, "{\"a\":1.5,\"b\":300}");
	memcpy(first, p.packed, p.plen);
	nfirst = p.plen;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ctop_recpack dec = { .version = 3 };

		unsigned char *exact;

		n = craft(rec, cases[i].skel, strlen(cases[i].skel), cases[i].nums, cases[i].nn);
		/* Exactly as long: the sanitizers catch a read past it. */
		exact = malloc(n);
		memcpy(exact, rec, n);
		cr_assert_eq(ctop_recpack_decode(&dec, first, nfirst, 1 << 20, NULL, NULL, &p.tlen), 0);
		cr_assert_eq(ctop_recpack_decode(&dec, exact, n, 1 << 20, NULL, NULL, &p.tlen),
			     cases[i].e, "case %zu", i);
		ctop_recpack_fini(&dec);
		free(exact);
	}
	pair_fini(&p);
}

/* A version 3 record read as version 2 is damage or other text, never a crash. */
Test(record_pack, versions_are_not_mixed_up)
{
	static const char *const text =
		"{\"a\":[123456789,2],\"p\":[[7,1,2,3]],\"b\":{\"c\":[1,2]}}";
	struct pair p = pair_of(3);
	struct ctop_recpack v2 = { .version = 2 };

	round_trip(&p, text);
	round_trip(&p, text);
	ctop_recpack_decode(&v2, p.packed, p.plen, 1 << 20, &p.text, &p.tcap, &p.tlen);
	cr_assert_eq(ctop_recpack_decode(&v2, p.packed, p.plen, 1 << 20, &p.text, &p.tcap,
					 &p.tlen),
		     -EBADMSG);
	ctop_recpack_fini(&v2);
	pair_fini(&p);
}
