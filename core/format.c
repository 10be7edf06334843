// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include "format.h"

char *ctop_fmt_bytes(char *buf, size_t len, double bytes)
{
	static const char units[] = "BKMGTP";
	int u = 0;

	if (bytes < 0)
		bytes = 0;
	while (bytes >= 1000 && u < (int)sizeof(units) - 2) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%.0f", bytes);
	else if (bytes < 9.95)
		snprintf(buf, len, "%.1f%c", bytes, units[u]);
	else
		snprintf(buf, len, "%.0f%c", bytes, units[u]);
	return buf;
}
