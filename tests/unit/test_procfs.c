// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The pure /proc parsing: a cmdline as the collector shows it, and the
 * capabilities in a status file. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
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

static int cap_eff(const char *text, uint64_t *caps)
{
	return ctop_proc_cap_eff(text, strlen(text), caps);
}

Test(status, cap_eff_is_read)
{
	uint64_t caps = 0;

	cr_expect_eq(cap_eff("Name:\tbash\nCapInh:\t0000000000000000\n"
			     "CapEff:\t000001ffffffffff\nCapBnd:\t0\n", &caps), 0);
	cr_expect_eq(caps, 0x1ffffffffffULL);
	cr_expect_eq(cap_eff("CapEff:  A0", &caps), 0, "at the end, no newline");
	cr_expect_eq(caps, 0xa0);
}

Test(status, cap_eff_missing_or_malformed)
{
	uint64_t caps = 7;

	cr_expect_eq(cap_eff("Name:\tCapEff: 1\n", &caps), -ENOENT, "only at a line's start");
	cr_expect_eq(cap_eff("", &caps), -ENOENT);
	cr_expect_eq(cap_eff("CapEff:\t\n", &caps), -EINVAL);
	cr_expect_eq(cap_eff("CapEff:\t12x\n", &caps), -EINVAL);
	cr_expect_eq(cap_eff("CapEff:\t00000000000000001\n", &caps), -EINVAL, "17 digits");
	cr_expect_eq(caps, 7, "left alone on failure");
}
