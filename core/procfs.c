// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
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
