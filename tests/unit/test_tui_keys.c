// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The key table and the screen's state, on a made-up snapshot, no terminal. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <ncurses.h>
#include "tui_int.h"
#include "unit/tui_fake_screen.h"

static struct tui *t;
static struct ctop_options opts;

static void setup(void)
{
	opts.delay = 1.0;
	t = fake_screen_new(&opts, fake_snapshot());
	t->utf8 = true;
}

static void teardown(void)
{
	fake_screen_free(t);
}

TestSuite(keys, .init = setup, .fini = teardown);

/* Presses a key and does what the main loop does with the flags. */
static int press(int key)
{
	int f = tui_key(t, key);

	if (f & TUI_REBUILD)
		tui_rebuild(t);
	return f;
}

static void type(const char *s)
{
	while (*s)
		press((unsigned char)*s++);
}

static const char *row(size_t i)
{
	return i < t->nrows ? t->rows[i]->name : "(none)";
}

Test(keys, sort_keys_and_reverse)
{
	cr_assert_str_eq(row(0), "db");	/* 120% before 49.9% */
	cr_assert(press('N') & TUI_REBUILD);
	cr_assert_eq(t->sort, CTOP_SORT_NAME);
	cr_assert_str_eq(row(0), "db");
	press('r');
	cr_assert_str_eq(row(0), "web-1");
	press('m');
	cr_assert_eq(t->sort, CTOP_SORT_RSS);
	press('d');
	cr_assert_eq(t->sort, CTOP_SORT_DISK);
	press('n');
	cr_assert_eq(t->sort, CTOP_SORT_NET);
	press('p');
	cr_assert_eq(t->sort, CTOP_SORT_PIDS);
	press('c');
	cr_assert_eq(t->sort, CTOP_SORT_CPU);
	press('>');
	cr_assert_eq(t->sort, CTOP_SORT_RSS);
	press('<');
	press('<');
	cr_assert_eq(t->sort, CTOP_SORT_NAME);
}

Test(keys, selection_follows_its_container)
{
	press(KEY_DOWN);
	cr_assert_str_eq(row(t->sel), "web-1");
	press('r');	/* web-1 moves to the top */
	cr_assert_eq(t->sel, 0);
	cr_assert_str_eq(row(t->sel), "web-1");
	press(KEY_END);
	cr_assert_eq(t->sel, 1);
	press(KEY_HOME);
	cr_assert_eq(t->sel, 0);
	press('k');
	cr_assert_eq(t->sel, 0);
	press(KEY_NPAGE);
	cr_assert_eq(t->sel, 1);
}

Test(keys, filter_narrows_as_you_type)
{
	cr_assert_eq(t->nrows, 2);
	press('/');
	cr_assert(t->editing);
	type("WE");
	cr_assert_eq(t->nrows, 1, "case-insensitive, narrowed at each key");
	cr_assert_str_eq(row(0), "web-1");
	press(KEY_BACKSPACE);
	press(KEY_BACKSPACE);
	cr_assert_eq(t->nrows, 2);
	type("postgres");	/* the image matches too */
	cr_assert_str_eq(row(0), "db");
	cr_assert_eq(t->nrows, 1);
	press('\n');
	cr_assert_not(t->editing);
	cr_assert_str_eq(t->filter, "postgres");
	cr_assert_eq(t->nrows, 1);
	/* q typed into the prompt is text, not quit */
	press('/');
	cr_assert_eq(press('q') & TUI_QUIT, 0);
	press(27);
	cr_assert_not(t->editing);
	cr_assert_str_eq(t->filter, "");
	cr_assert_eq(t->nrows, 2);
}

Test(keys, drill_down_tree_flat_and_back)
{
	press(KEY_DOWN);
	press('\n');
	cr_assert_eq(t->view, TUI_VIEW_PROCS);
	cr_assert_str_eq(t->drill_name, "web-1");
	cr_assert_eq(t->ptree.nrows, 4);
	cr_assert_eq(t->ptree.rows[0].proc->pid, 100);
	cr_assert_eq(t->ptree.rows[2].depth, 2);	/* sleep under a worker */
	press('t');
	cr_assert_not(t->tree);
	cr_assert_eq(t->ptree.rows[2].depth, 0);
	/* the process filter is the view's own */
	press('/');
	type("sleep");
	press('\n');
	cr_assert_eq(t->ptree.nrows, 1);
	cr_assert_str_eq(t->filter, "");
	cr_assert_eq(t->nrows, 2);
	press(27);
	cr_assert_eq(t->view, TUI_VIEW_TABLE);
	cr_assert_str_eq(t->drill_id, "");
}

Test(keys, container_exit_goes_back_with_a_message)
{
	press(KEY_DOWN);
	press('\n');
	cr_assert_eq(t->view, TUI_VIEW_PROCS);
	/* next refresh: web-1 is gone */
	fake_snap.containers = &fake_cont[1];
	fake_snap.ncontainers = 1;
	tui_rebuild(t);
	cr_assert_eq(t->view, TUI_VIEW_TABLE);
	cr_assert(strstr(t->msg, "web-1 has exited"), "%s", t->msg);
	cr_assert(t->msg_warn);
	cr_assert_eq(t->nrows, 1);
	cr_assert_eq(t->sel, 0);
}

Test(keys, host_row_stays_on_top)
{
	press('a');
	cr_assert_eq(t->nrows, 3);
	cr_assert(t->rows[0]->is_host);
	press('r');
	cr_assert(t->rows[0]->is_host);
	press('a');
	cr_assert_eq(t->nrows, 2);
}

Test(keys, views_help_graph_quit)
{
	press('g');
	cr_assert_eq(t->view, TUI_VIEW_GRAPH);
	press('h');
	cr_assert_eq(t->view, TUI_VIEW_HELP);
	press(KEY_DOWN);
	cr_assert_eq(t->help_top, 1);
	press(27);
	cr_assert_eq(t->view, TUI_VIEW_GRAPH);
	press('\n');
	cr_assert_eq(t->view, TUI_VIEW_PROCS);
	press(KEY_BACKSPACE);
	cr_assert_eq(t->view, TUI_VIEW_TABLE);
	press('?');
	cr_assert_eq(t->view, TUI_VIEW_HELP);
	press('?');
	cr_assert_eq(t->view, TUI_VIEW_TABLE);
	cr_assert(press('q') & TUI_QUIT);
	cr_assert(press(KEY_F(10)) & TUI_QUIT);
	cr_assert(press(3) & TUI_QUIT);
	cr_assert_eq(press('Z'), 0);
}

Test(keys, pause_and_delay_ladder)
{
	press(' ');
	cr_assert(t->paused);
	press(' ');
	cr_assert_not(t->paused);
	cr_assert(press('+') & TUI_RETIME);
	cr_assert_float_eq(t->delay, 2.0, 1e-9);
	press('-');
	press('-');
	cr_assert_float_eq(t->delay, 0.5, 1e-9);
	for (int i = 0; i < 10; i++)
		press('-');
	cr_assert_float_eq(t->delay, 0.1, 1e-9);
	for (int i = 0; i < 20; i++)
		press('+');
	cr_assert_float_eq(t->delay, 60, 1e-9);
	/* from a value off the ladder: the next step up or down */
	t->delay = 1.3;
	press('+');
	cr_assert_float_eq(t->delay, 2.0, 1e-9);
	t->delay = 1.3;
	press('-');
	cr_assert_float_eq(t->delay, 1.0, 1e-9);
}
