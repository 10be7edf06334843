// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The pure /proc parsing: a cmdline as the collector shows it. */
#include <criterion/criterion.h>
#include <string.h>
#include "procfs.h"

static size_t tidy(char *buf, const char *raw, size_t n)
{
	memcpy(buf, raw, n);
	return ctop_proc_tidy_cmdline(buf, n);
}

Test(cmdline, arguments_become_one_line)
{
	char buf[64];

	cr_expect_eq(tidy(buf, "sh\0-c\0echo a\nb\0", 15), 14);
	cr_expect_str_eq(buf, "sh -c echo a b");
}

Test(cmdline, trailing_nuls_dropped)
{
	char buf[64];

	cr_expect_eq(tidy(buf, "nginx\0\0\0", 8), 5);
	cr_expect_str_eq(buf, "nginx");
	cr_expect_eq(tidy(buf, "\0\0", 2), 0);
	cr_expect_str_eq(buf, "");
	cr_expect_eq(tidy(buf, "", 0), 0);
	cr_expect_str_eq(buf, "");
}

Test(cmdline, no_terminating_nul)
{
	/* A process that overwrote its argv area may leave none. */
	char buf[4];

	cr_expect_eq(tidy(buf, "abc", 3), 3);
	cr_expect_str_eq(buf, "abc");
}
