// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include "format.h"
#include "procfs.h"

size_t ctop_proc_tidy_cmdline(char *buf, size_t n)
{
	size_t i;

	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0' || buf[i] == '\n')
			buf[i] = ' ';
	buf[n] = '\0';
	return n;
}

int ctop_proc_cap_eff(const char *buf, size_t n, uint64_t *caps)
{
	static const char key[] = "CapEff:";
	const char *p = buf, *end = buf + n, *eol;
	uint64_t v = 0;
	int d, digits = 0;

	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) < sizeof(key) - 1 || memcmp(p, key, sizeof(key) - 1))
			continue;
		for (p += sizeof(key) - 1; p < eol && (*p == ' ' || *p == '\t'); p++)
			;
		for (; p < eol && (d = ctop_hex_digit(*p)) >= 0; p++, digits++)
			v = v << 4 | (uint64_t)d;
		if (p != eol || digits < 1 || digits > 16)
			return -EINVAL;
		*caps = v;
		return 0;
	}
	return -ENOENT;
}
