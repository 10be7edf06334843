// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>
#include "format.h"

static char buf[32];

Test(format, bytes_unchanged)
{
	cr_assert_str_eq(ctop_fmt_bytes(buf, sizeof(buf), 0), "0");
	cr_assert_str_eq(ctop_fmt_bytes(buf, sizeof(buf), 512), "512");
	cr_assert_str_eq(ctop_fmt_bytes(buf, sizeof(buf), 1536), "1.5K");
	cr_assert_str_eq(ctop_fmt_bytes(buf, sizeof(buf), 12.0 * 1024 * 1024), "12M");
	cr_assert_str_eq(ctop_fmt_bytes(buf, sizeof(buf), 1.2 * 1024 * 1024 * 1024), "1.2G");
}

Test(format, rate)
{
	cr_assert_str_eq(ctop_fmt_rate(buf, sizeof(buf), 0), "0/s");
	cr_assert_str_eq(ctop_fmt_rate(buf, sizeof(buf), 1536), "1.5K/s");
	cr_assert_str_eq(ctop_fmt_rate(buf, sizeof(buf), 999), "999/s");
	cr_assert_str_eq(ctop_fmt_rate(buf, sizeof(buf), 1000), "1.0K/s");
}

Test(format, pct)
{
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 0), "0.0");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), -3), "0.0");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), NAN), "0.0");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 12.34), "12.3");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 99.94), "99.9");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 99.96), "100");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 1234.4), "1234");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 12345), "12345");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 123456), "123.5k");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 12345678), "12.3M");
	cr_assert_str_eq(ctop_fmt_pct(buf, sizeof(buf), 1e15), "9999M");
}

Test(format, pct_width_at_most_6)
{
	double v;

	for (v = 0; v < 1e9; v = v * 1.37 + 0.01)
		cr_assert_leq(strlen(ctop_fmt_pct(buf, sizeof(buf), v)), 6, "%f -> %s", v, buf);
	for (v = 0; v < 99999; v = v * 1.37 + 0.01)
		cr_assert_leq(strlen(ctop_fmt_pct(buf, sizeof(buf), v)), 5, "%f -> %s", v, buf);
}

Test(format, seconds)
{
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), 0.1), "0.1s");
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), 1), "1.0s");
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), 2.5), "2.5s");
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), 10), "10s");
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), 12.5), "12.5s");
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), 60), "1m");
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), 125), "2m05s");
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), 3720), "1h02m");
	cr_assert_str_eq(ctop_fmt_seconds(buf, sizeof(buf), -1), "0.0s");
}
