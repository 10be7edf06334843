// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The screen's pure layout: columns, cells, sparklines, at real widths. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>
#include "tui_int.h"
#include "unit/tui_fake.h"

static char text[4096];

static void utf8(void)
{
	cr_assert(setlocale(LC_ALL, "C.UTF-8"));
}

TestSuite(layout, .init = utf8);

static const char *title(int width, enum ctop_sort_key k, bool rev, enum tui_table tb)
{
	struct tui_layout l;
	struct tui_line line;

	tui_layout_fit(&l, tb, width, k);
	tui_title_line(&l, k, rev, true, &line);
	return tui_line_text(&line, width, text, sizeof(text));
}

static const char *cline(int width, const struct ctop_container *c, enum ctop_sort_key k)
{
	struct tui_layout l;
	struct tui_line line;

	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, width, k);
	tui_container_line(&l, c, false, &line);
	return tui_line_text(&line, width, text, sizeof(text));
}

Test(layout, at_80_columns_id_goes_first)
{
	struct tui_layout l;

	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 80, CTOP_SORT_CPU);
	cr_assert_not(tui_layout_has(&l, TUI_COL_ID));
	cr_assert(tui_layout_has(&l, TUI_COL_PIDS));
	cr_assert(tui_layout_has(&l, TUI_COL_TX));
	cr_assert_eq(l.ncols, 8);
	cr_assert_leq(l.x[l.ncols - 1] + l.w[l.ncols - 1], 80);
	cr_assert_str_eq(title(80, CTOP_SORT_CPU, false, TUI_TABLE_CONTAINERS),
			 "NAME                       ▼CPU%   RSS DISK R/s DISK W/s NET RX/s NET TX/s  PIDS");
}

Test(layout, wide_terminal_shows_id)
{
	struct tui_layout l;

	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 120, CTOP_SORT_CPU);
	cr_assert_eq(l.ncols, 12);
	cr_assert(tui_layout_has(&l, TUI_COL_ID));
	cr_assert(tui_layout_has(&l, TUI_COL_SREAD));
	/* a cgroup figure comes in once the name has room for a typical one */
	cr_assert(tui_layout_has(&l, (enum tui_col)(TUI_COL_METRIC + CTOP_M_MEM)));
	cr_assert_not(tui_layout_has(&l, (enum tui_col)(TUI_COL_METRIC + CTOP_M_MEM_PCT)));
	cr_assert_eq(l.w[0], 29);
	fake_snapshot();
	cr_assert_str_eq(cline(120, &fake_cont[0], CTOP_SORT_CPU),
			 "web-1                         4f3c2b1a0099  49.9   12M     1.5K     3.0K     "
			 "4.5K        0        0        0     4     -");
	/* NAME stops growing; the rest of the line stays blank */
	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 160, CTOP_SORT_CPU);
	cr_assert_eq(l.w[0], 40);
}

Test(layout, drop_order)
{
	struct tui_layout l;
	int w;

	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 69, CTOP_SORT_CPU);
	cr_assert_not(tui_layout_has(&l, TUI_COL_PIDS));
	cr_assert(tui_layout_has(&l, TUI_COL_TX));
	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 60, CTOP_SORT_CPU);
	cr_assert_not(tui_layout_has(&l, TUI_COL_TX));
	cr_assert(tui_layout_has(&l, TUI_COL_RX));
	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 40, CTOP_SORT_CPU);
	cr_assert_str_eq(title(40, CTOP_SORT_CPU, false, TUI_TABLE_CONTAINERS),
			 "NAME                ▼CPU%   RSS DISK R/s");
	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 20, CTOP_SORT_CPU);
	cr_assert(tui_layout_has(&l, TUI_COL_NAME));
	cr_assert(tui_layout_has(&l, TUI_COL_CPU));
	/* no line is ever wider than the screen */
	fake_snapshot();
	for (w = 10; w < 300; w++) {
		cr_assert_leq(tui_width(cline(w, &fake_cont[1], CTOP_SORT_CPU)), w);
		cr_assert_leq(tui_width(title(w, CTOP_SORT_NET, true, TUI_TABLE_CONTAINERS)), w);
		cr_assert_leq(tui_width(title(w, CTOP_SORT_NAME, true, TUI_TABLE_PROCS)), w);
	}
}

Test(layout, the_sorted_column_stays)
{
	struct tui_layout l;

	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 40, CTOP_SORT_NET);
	cr_assert(tui_layout_has(&l, TUI_COL_RX));
	cr_assert(tui_layout_has(&l, TUI_COL_TX));
	cr_assert_str_eq(title(40, CTOP_SORT_NET, false, TUI_TABLE_CONTAINERS),
			 "NAME              CPU%▼NET RX/s▼NET TX/s");
	cr_assert_str_eq(title(40, CTOP_SORT_NAME, true, TUI_TABLE_CONTAINERS),
			 "NAME▲                CPU%   RSS DISK R/s");
}

Test(layout, container_cells_and_roles)
{
	struct tui_layout l;
	struct tui_line line;

	fake_snapshot();
	cr_assert_str_eq(cline(80, &fake_cont[1], CTOP_SORT_CPU),
			 "db                           120  2.5G        0        0        0        0     1");
	tui_layout_fit(&l, TUI_TABLE_CONTAINERS, 80, CTOP_SORT_CPU);
	tui_container_line(&l, &fake_cont[1], false, &line);
	cr_assert_eq(line.c[1].role, CTOP_ROLE_HUGE);	/* 120% */
	cr_assert_eq(line.c[2].role, CTOP_ROLE_HUGE);	/* 2.5G */
	cr_assert_eq(line.c[3].role, CTOP_ROLE_ZERO);
	tui_container_line(&l, &fake_cont[1], true, &line);
	cr_assert_eq(line.base, CTOP_ROLE_SELECTED);
	for (int i = 0; i < line.n; i++)
		cr_assert_eq(line.c[i].role, CTOP_ROLE_SELECTED);
	tui_container_line(&l, &fake_snap.host_row, false, &line);
	cr_assert_eq(line.c[0].role, CTOP_ROLE_HOST_ROW);
	cr_assert(!strncmp(line.c[0].text, "[host]", 6));
}

Test(layout, procs_tree_lines)
{
	const struct ctop_proc *pv[4];
	struct ctop_tree t;
	struct tui_layout l;
	struct tui_line line;
	const char *want[] = {
		"    100      90    1  40.0  1.5M        0        0        0        0        0 "
		"nginx -g daemon off;",
		"    101     100    1   5.0  1.5M        0        0        0        0        0 "
		"├─ nginx: worker",
		"    110     101    1   0.0  1.5M        0        0        0        0        0 "
		"│  └─ sleep 1000",
		"    102     100    1   4.9  1.5M        0        0        0        0        0 "
		"└─ nginx: worker",
	};

	fake_snapshot();
	for (int i = 0; i < 4; i++)
		pv[i] = &fake_procs[0][i];
	ctop_tree_init(&t);
	cr_assert_eq(ctop_tree_build(&t, pv, 4, CTOP_SORT_CPU, false, false), 0);
	tui_layout_fit(&l, TUI_TABLE_PROCS, 100, CTOP_SORT_CPU);
	cr_assert_str_eq(title(100, CTOP_SORT_CPU, false, TUI_TABLE_PROCS),
			 "    PID    PPID  THR ▼CPU%   RSS DISK R/s DISK W/s NET RX/s NET TX/s  BLK W/s "
			 "COMMAND");
	for (size_t i = 0; i < 4; i++) {
		tui_proc_line(&l, &t, i, true, false, &line);
		cr_assert_str_eq(tui_line_text(&line, 100, text, sizeof(text)), want[i]);
	}
	/* ASCII, and narrower terminals: THR goes first, then PPID */
	tui_layout_fit(&l, TUI_TABLE_PROCS, 88, CTOP_SORT_CPU);
	cr_assert_not(tui_layout_has(&l, TUI_COL_THR));
	cr_assert(tui_layout_has(&l, TUI_COL_PPID));
	tui_proc_line(&l, &t, 2, false, false, &line);
	cr_assert_str_eq(tui_line_text(&line, 88, text, sizeof(text)),
			 "    110     101   0.0  1.5M        0        0        0        0 |  `- sleep 1000");
	tui_layout_fit(&l, TUI_TABLE_PROCS, 80, CTOP_SORT_CPU);
	cr_assert_not(tui_layout_has(&l, TUI_COL_PPID));
	cr_assert(tui_layout_has(&l, TUI_COL_TX));
	cr_assert_eq(l.w[l.ncols - 1], 24);
	/* 40 columns: PID, CPU% and COMMAND stay */
	tui_layout_fit(&l, TUI_TABLE_PROCS, 40, CTOP_SORT_CPU);
	cr_assert(tui_layout_has(&l, TUI_COL_PID));
	cr_assert(tui_layout_has(&l, TUI_COL_CPU));
	cr_assert(tui_layout_has(&l, TUI_COL_COMMAND));
	tui_proc_line(&l, &t, 2, true, false, &line);
	cr_assert_leq(tui_width(tui_line_text(&line, 40, text, sizeof(text))), 40);
	ctop_tree_fini(&t);
}

Test(layout, fit_is_utf8_aware)
{
	char b[64];

	cr_assert_str_eq(tui_fit(b, sizeof(b), "héllo", 7, false), "héllo  ");
	cr_assert_str_eq(tui_fit(b, sizeof(b), "héllo", 7, true), "  héllo");
	cr_assert_str_eq(tui_fit(b, sizeof(b), "héllo", 3, false), "hél");
	cr_assert_str_eq(tui_fit(b, sizeof(b), "日本語", 5, false), "日本 ");
	cr_assert_str_eq(tui_fit(b, sizeof(b), "a\tb\x1b[2J", 8, false), "a?b?[2J ");
	cr_assert_str_eq(tui_fit(b, 4, "abcdef", 6, false), "abc");
	cr_assert_eq(tui_width("├─ x"), 4);
}

/*
 * The screen and the table share one rule for tenant text: C1 controls,
 * bidirectional controls and invisible characters are one '?' each, one
 * column wide, so a name can neither act on the terminal nor reorder or
 * hide what the row shows after it.
 */
Test(layout, fit_neutralises_c1_bidi_and_invisible_characters)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "c1\xc2\x9b" "31m", "c1?31m    " },
		{ "raw\x9b" "31m", "raw?31m   " },
		{ "evil\xe2\x80\xae" "gpj.exe", "evil?gpj.e" },
		{ "iso\xe2\x81\xa6" "x\xe2\x81\xa9" "y", "iso?x?y   " },
		{ "zw\xe2\x80\x8b" "sp\xef\xbb\xbf" "!", "zw?sp?!   " },
		{ "lrm\xe2\x80\x8e" "wj\xe2\x81\xa0" ".", "lrm?wj?.  " },
		{ "\x1b]0;pwned\x07", "?]0;pwned?" },
		{ "caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5   " },
	};
	char b[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_str_eq(tui_fit(b, sizeof(b), cases[i].in, 10, false), cases[i].out,
				 "case %zu", i);
		cr_expect_eq(tui_width(b), 10, "case %zu: %s", i, b);
	}
	cr_expect_eq(tui_width("zw\xe2\x80\x8b" "sp"), 5);
}

/*
 * Outside a UTF-8 locale curses draws a byte from 0x80 as 2-3 cells
 * ("~@~K" for U+200B) while the layout counts one: each such byte must be
 * one '?', so the row keeps its width.
 */
Test(layout, c_locale_shows_each_high_byte_as_one_question_mark)
{
	char b[64];

	cr_assert(setlocale(LC_ALL, "C"));
	cr_expect_str_eq(tui_fit(b, sizeof(b), "zw\xe2\x80\x8b" "sp", 10, false), "zw???sp   ");
	cr_expect_str_eq(tui_fit(b, sizeof(b), "caf\xc3\xa9", 3, true), "caf");
	cr_expect_str_eq(tui_fit(b, sizeof(b), "caf\xc3\xa9", 6, false), "caf?? ");
	cr_expect_eq(tui_width("zw\xe2\x80\x8b" "sp"), 7);
}

Test(layout, sparkline_scaling)
{
	double v[6] = { 0, 1, 50, 100, 200, -5 };
	uint8_t lv[6];

	cr_assert_float_eq(tui_spark_levels(v, 6, 1.0, lv), 200, 1e-9);
	cr_assert_eq(lv[0], 0);
	cr_assert_eq(lv[1], 1);		/* tiny but not zero: still shows */
	cr_assert_eq(lv[2], 2);
	cr_assert_eq(lv[3], 4);
	cr_assert_eq(lv[4], 8);
	cr_assert_eq(lv[5], 0);
	/* a flat idle series below the floor stays low */
	double idle[3] = { 0.1, 0.2, 0.1 };

	tui_spark_levels(idle, 3, 1.0, lv);
	cr_assert_eq(lv[1], 2);
	cr_assert_eq(tui_spark_levels(v, 0, 1.0, lv), 0);
	cr_assert_str_eq(tui_spark_glyph(8, true), "█");
	cr_assert_str_eq(tui_spark_glyph(1, true), "▁");
	cr_assert_str_eq(tui_spark_glyph(0, true), " ");
	cr_assert_str_eq(tui_spark_glyph(8, false), "#");
	cr_assert_str_eq(tui_spark_glyph(1, false), "_");
}

Test(layout, meter)
{
	cr_assert_eq(tui_meter_fill(0, 20), 0);
	cr_assert_eq(tui_meter_fill(0.001, 20), 1);
	cr_assert_eq(tui_meter_fill(0.5, 20), 10);
	cr_assert_eq(tui_meter_fill(3, 20), 20);
	cr_assert_eq(tui_meter_role(0.1), CTOP_ROLE_METER_LOW);
	cr_assert_eq(tui_meter_role(0.6), CTOP_ROLE_METER_MID);
	cr_assert_eq(tui_meter_role(0.9), CTOP_ROLE_METER_HIGH);
}

Test(layout, sort_step)
{
	cr_assert_eq(tui_sort_step(CTOP_SORT_CPU, 1, TUI_TABLE_CONTAINERS), CTOP_SORT_RSS);
	cr_assert_eq(tui_sort_step(CTOP_SORT_CPU, -1, TUI_TABLE_CONTAINERS), CTOP_SORT_NAME);
	/* the last column: the cgroup figures come after PIDS */
	cr_assert_eq(tui_sort_step(CTOP_SORT_NAME, -1, TUI_TABLE_CONTAINERS), CTOP_SORT_OOM);
	cr_assert_eq(tui_sort_step(CTOP_SORT_DISK, 1, TUI_TABLE_CONTAINERS), CTOP_SORT_DWRITE);
	cr_assert_eq(tui_sort_step(CTOP_SORT_NET, -1, TUI_TABLE_CONTAINERS), CTOP_SORT_RX);
	/* processes: THR (pids), CPU, ..., TX, BLK R/s, BLK W/s, COMMAND (name) */
	cr_assert_eq(tui_sort_step(CTOP_SORT_PIDS, 1, TUI_TABLE_PROCS), CTOP_SORT_CPU);
	cr_assert_eq(tui_sort_step(CTOP_SORT_TX, 1, TUI_TABLE_PROCS), CTOP_SORT_SREAD);
	cr_assert_eq(tui_sort_step(CTOP_SORT_SWRITE, 1, TUI_TABLE_PROCS), CTOP_SORT_NAME);
	cr_assert(tui_col_sorted(TUI_COL_THR, CTOP_SORT_PIDS, TUI_TABLE_PROCS));
	cr_assert_not(tui_col_sorted(TUI_COL_PIDS, CTOP_SORT_PIDS, TUI_TABLE_PROCS));
}

Test(layout, help_names_every_key_and_column)
{
	const char *const *lines;
	size_t n = tui_help_lines(&lines), i;
	const char *need[] = { "Up/Down", "PgUp/PgDn", "Home/End", "  c ", "  m ", "  d ", " n ",
			       "  p ", "  N ", "< >", "  r ", "  /", "Enter", "Esc", "  g ", "  t ",
			       "  a ", "Space", "+ -", "  T ", "h, ?", "q, F10, Ctrl-C", "NAME",
			       " ID ", "CPU%", "RSS", "DISK R/s", "DISK W/s", "NET RX/s", "NET TX/s",
			       "PIDS", "PPID", "COMMAND" };
	static char all[8192];

	all[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(all, lines[i]);
		strcat(all, "\n");
		cr_assert_leq(tui_width(lines[i]), 80, "help line %zu is wider than 80", i);
	}
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		cr_assert(strstr(all, need[i]), "help lacks '%s'", need[i]);
}
