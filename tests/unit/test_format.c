// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* What tenant text becomes: each character itself, or one '?'. */
static const char *shown(const char *s, bool utf8)
{
	static char out[64];

	return ctop_fmt_safe(out, sizeof(out), s, utf8);
}

Test(format, text_controls_bidi_and_invisible_become_question_marks)
{
	cr_expect_str_eq(shown("a\x1b[2Jb\x07\r\n\t\x7f", true), "a?[2Jb?????");
	cr_expect_str_eq(shown("c1 \xc2\x80\xc2\x9b\xc2\x9f", true), "c1 ???");
	cr_expect_str_eq(shown("raw \x9b\x80\xff", true), "raw ???");
	cr_expect_str_eq(shown("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae", true),
			 "?????");
	cr_expect_str_eq(shown("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", true), "????");
	cr_expect_str_eq(shown("\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d\xe2\x80\x8e\xe2\x80\x8f", true),
			 "?????");
	cr_expect_str_eq(shown("\xe2\x81\xa0\xef\xbb\xbf\xc2\xad\xd8\x9c", true), "????");
	/* the line and paragraph separators break lines on some terminals */
	cr_expect_str_eq(shown("\xe2\x80\xa8\xe2\x80\xa9", true), "??");
	/* tags (U+E0041) draw nothing */
	cr_expect_str_eq(shown("t\xf3\xa0\x81\x81", true), "t?");
}

Test(format, text_keeps_printable_utf8)
{
	cr_expect_str_eq(shown("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\xb3 ~!", true),
			 "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\xb3 ~!");
	/* U+00A0 and U+2010, next to the ranges that go */
	cr_expect_str_eq(shown("\xc2\xa0\xe2\x80\x90", true), "\xc2\xa0\xe2\x80\x90");
}

Test(format, text_outside_utf8_is_one_question_mark_a_byte)
{
	cr_expect_str_eq(shown("caf\xc3\xa9", false), "caf??");
	cr_expect_str_eq(shown("zw\xe2\x80\x8bsp\x1b", false), "zw???sp?");
	cr_expect_str_eq(shown("plain ascii", false), "plain ascii");
}

Test(format, column_is_safe_and_fixed_width)
{
	char col[64];

	cr_expect_str_eq(ctop_fmt_column(col, sizeof(col), "\x1b]0;x\x07", 8, true), "?]0;x?  ");
	cr_expect_str_eq(ctop_fmt_column(col, sizeof(col), "ab\xe2\x80\xae" "cd", 4, true), "ab?c");
	cr_expect_str_eq(ctop_fmt_column(col, sizeof(col), "caf\xc3\xa9", 5, true), "caf\xc3\xa9 ");
	cr_expect_str_eq(ctop_fmt_column(col, sizeof(col), "caf\xc3\xa9", 6, false), "caf?? ");
}

Test(format, clock)
{
	char b[16];

	setenv("TZ", "UTC", 1);
	tzset();
	cr_assert_str_eq(ctop_fmt_clock(b, sizeof(b), 1767225600.5), "00:00");
	cr_assert_str_eq(ctop_fmt_clock(b, sizeof(b), 1767225600 + 14 * 3600 + 5 * 60 + 59), "14:05");
	cr_assert_str_eq(ctop_fmt_clock(b, sizeof(b), 0), "-", "0 is unknown");
	cr_assert_str_eq(ctop_fmt_clock(b, sizeof(b), -5), "-");
	cr_assert_str_eq(ctop_fmt_clock(b, 3, 1767225600), "-", "too short a buffer");
}
