// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The packing of version 2 and 3 records (record_pack.h). Any bytes,
 * packed and unpacked three times in a row (each against the one before),
 * come back as they were, or are refused as text holding a marker byte;
 * the same bytes unpacked as if packed, after a record or with none
 * before, fail as damage or give text of the stated length, within the
 * bound.
 */
#include "fuzz.h"
#include "record_pack.h"

#define MAX (1u << 20)

static void one_version(const uint8_t *data, size_t size, unsigned version)
{
	struct ctop_recpack enc = { .version = version }, dec = { .version = version };
	unsigned char *packed = NULL;
	char *text = NULL;
	size_t pcap = 0, plen, tcap = 0, tlen;
	int e;

	for (int round = 0; round < 3; round++) {
		e = ctop_recpack_encode(&enc, (const char *)data, size, &packed, &pcap, &plen);
		if (e) {
			FUZZ_CHECK(e == -EINVAL);
			break;
		}
		e = ctop_recpack_decode(&dec, packed, plen, MAX, &text, &tcap, &tlen);
		FUZZ_CHECK(e == 0 || (e == -EBADMSG && size > MAX));
		if (e)
			break;
		FUZZ_CHECK(tlen == size && !memcmp(text, data, size) && text[size] == '\0');
	}
	/* The input as packed bytes: after the records above, then on its own. */
	for (int round = 0; round < 2; round++) {
		e = ctop_recpack_decode(&dec, data, size, MAX, &text, &tcap, &tlen);
		FUZZ_CHECK(e == 0 || e == -EBADMSG);
		if (!e)
			FUZZ_CHECK(tlen <= MAX && text[tlen] == '\0');
		ctop_recpack_reset(&dec);
	}
	ctop_recpack_fini(&enc);
	ctop_recpack_fini(&dec);
	free(packed);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one_version(data, size, 2);
	one_version(data, size, 3);
	return 0;
}
