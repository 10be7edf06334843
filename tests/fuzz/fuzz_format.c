// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The edge where tenant text leaves for a terminal: ctop_fmt_safe() and
 * the batch table's ctop_fmt_column(), over any bytes (a comm, a command
 * line, a label). The first input byte picks the column width.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char col[1024];
	char *s;
	int cols;

	if (!size)
		return 0;
	cols = data[0] % 64;
	s = fuzz_strndup(data + 1, size - 1);
	FUZZ_CHECK(fuzz_shown_safe(s));
	for (int utf8 = 0; utf8 < 2; utf8++) {
		ctop_fmt_column(col, sizeof(col), s, cols, utf8);
		FUZZ_CHECK(fuzz_terminated(col, sizeof(col)));
		FUZZ_CHECK(fuzz_shown_safe(col));
		/* padded to the width: at least cols bytes, never a newline */
		FUZZ_CHECK(strlen(col) >= (size_t)cols);
		FUZZ_CHECK(!strchr(col, '\n'));
	}
	free(s);
	return 0;
}
