// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * /proc/self/status, from which the loader reads its capabilities: any
 * bytes, as one read() returns them (not NUL-terminated). A value found
 * must be what the digits after "CapEff:" say.
 */
#include <ctype.h>
#include <errno.h>
#include "procfs.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	uint64_t caps = 0x5a5a, again;
	char digits[17];
	const char *p, *end = buf + size;
	size_t n;
	int ret;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	ret = ctop_proc_cap_eff(buf, size, &caps);
	FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EINVAL);
	if (ret)
		FUZZ_CHECK(caps == 0x5a5a);
	if (!ret) {
		/* The first line that starts with the key holds the value. */
		p = memmem(buf, size, "CapEff:", 7);
		FUZZ_CHECK(p != NULL);
		while (p && p != buf && p[-1] != '\n')
			p = memmem(p + 1, (size_t)(end - p - 1), "CapEff:", 7);
		FUZZ_CHECK(p != NULL);
		for (p += 7; p < end && (*p == ' ' || *p == '\t'); p++)
			;
		for (n = 0; p + n < end && n < 16 && isxdigit((unsigned char)p[n]); n++)
			digits[n] = p[n];
		digits[n] = '\0';
		again = strtoull(digits, NULL, 16);
		FUZZ_CHECK(again == caps);
	}
	free(buf);
	return 0;
}
