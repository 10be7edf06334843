// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * /proc/<pid>/cmdline, which the process itself writes (argv, or any
 * bytes with prctl(PR_SET_MM) or by overwriting its argv area). The input
 * is what read() returned, in a buffer exactly one byte longer, as the
 * collector gives it.
 */
#include "procfs.h"
#include "snapshot.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf;
	size_t n, i;

	/* The collector reads at most CTOP_CMDLINE_LEN - 1 bytes. */
	if (size > CTOP_CMDLINE_LEN - 1)
		size = CTOP_CMDLINE_LEN - 1;
	buf = malloc(size + 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	n = ctop_proc_tidy_cmdline(buf, size);
	FUZZ_CHECK(n <= size);
	FUZZ_CHECK(buf[n] == '\0' && strlen(buf) == n);
	FUZZ_CHECK(!memchr(buf, '\n', n));
	for (i = 0; i < n; i++)
		FUZZ_CHECK(buf[i] == (data[i] == '\0' || data[i] == '\n' ? ' ' : (char)data[i]));
	for (i = n; i < size; i++)
		FUZZ_CHECK(data[i] == '\0');
	free(buf);
	return 0;
}
