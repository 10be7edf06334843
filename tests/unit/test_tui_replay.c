// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The screen's replay keys on a real recording, no terminal: each moves
 * the cursor and the screen takes the snapshot there; live, they only
 * say where they work.
 */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <ncurses.h>
#include "record.h"
#include "replay.h"
#include "snap_synth.h"
#include "tui_int.h"
#include "unit/tui_fake_screen.h"
#include <time.h>

#define NREC 20

static struct tui *t;
static struct ctop_options opts;
static struct ctop_replay *rp;
static char dir[64], path[128];
static double when[NREC];

static int rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static void record(void)
{
	struct ctop_recorder *w;
	struct synth y;
	char why[256];
	size_t i;

	cr_assert_eq(synth_init(&y, 3, 2, 5), 0);
	cr_assert_eq(ctop_recorder_open(path, NULL, "node-7", y.s.time, &w, why, sizeof(why)), 0,
		     "%s", why);
	for (i = 0; i < NREC; i++) {
		synth_step(&y, 1.0);
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
		when[i] = y.s.time;
	}
	ctop_recorder_close(w);
	synth_fini(&y);
}

static void setup(void)
{
	struct ctop_replay_opts ro = { .alpha = 0.5, .history = true };
	char why[256];

	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(dir, sizeof(dir), "/tmp/ctop-tuirep-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec", dir);
	record();
	cr_assert_eq(ctop_replay_open(path, &ro, &rp, why, sizeof(why)), 0, "%s", why);
	opts.delay = 1.0;
	t = fake_screen_new(&opts, NULL);
	t->utf8 = true;
	t->src = ctop_replay_source(rp);
	t->replay = rp;
	cr_assert_eq(tui_sample(t), 0, "%s", t->msg);
}

static void teardown(void)
{
	fake_screen_free(t);
	ctop_source_free(ctop_replay_source(rp));
	nftw(dir, rm, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(replay_keys, .init = setup, .fini = teardown);

/* Presses a key and does what the main loop does with the flags. */
static int press(int key)
{
	int f = tui_key(t, key);

	if (f & TUI_RESAMPLE)
		cr_assert_eq(tui_sample(t), 0, "%s", t->msg);
	if (f & TUI_REBUILD)
		tui_rebuild(t);
	return f;
}

static void type(const char *s)
{
	while (*s)
		press((unsigned char)*s++);
}

static void shows(size_t i)
{
	cr_assert_not_null(t->snap);
	cr_assert_eq(t->snap->time, when[i], "shows %f, not record %zu (%f)", t->snap->time, i,
		     when[i]);
}

Test(replay_keys, step_jump_and_ends)
{
	shows(0);
	press(']');
	shows(1);
	press(']');
	shows(2);
	press('[');
	shows(1);
	press('$');
	shows(NREC - 1);
	press(']');
	shows(NREC - 1);
	cr_assert_not_null(strstr(t->msg, "last record"), "%s", t->msg);
	press('^');
	shows(0);
	press('}');	/* a minute on: past the end, so the last */
	shows(NREC - 1);
	press('{');
	shows(0);
	press(')');
	shows(NREC - 1);
	press('(');
	shows(0);
}

Test(replay_keys, go_to_a_typed_time)
{
	size_t i, at = 0;

	press('G');
	cr_assert(t->going);
	type("00:00:07");
	press('\n');
	cr_assert(!t->going);
	for (i = 0; i < NREC; i++)
		if (when[i] <= 1767225600.0 + 7)
			at = i;
	shows(at);
	press('G');
	type("2026-01-01 00:00:12");
	press(KEY_BACKSPACE);
	type("3");
	press('\n');
	for (i = 0, at = 0; i < NREC; i++)
		if (when[i] <= 1767225600.0 + 13)
			at = i;
	shows(at);
	/* letters are not taken; a bad time is told and goes nowhere */
	press('G');
	type("x99:99");
	cr_assert_str_eq(t->go, "99:99");
	press('\n');
	shows(at);
	cr_assert(t->msg_warn);
	cr_assert_not_null(strstr(t->msg, "not a time"), "%s", t->msg);
	/* Esc leaves the prompt with the cursor where it was */
	press('G');
	type("00:00:01");
	press(27);
	cr_assert(!t->going);
	shows(at);
}

Test(replay_keys, play_pause_and_speed)
{
	struct ctop_replay_state st;

	press('x');
	cr_assert_not_null(strstr(t->msg, "10x"), "%s", t->msg);
	ctop_replay_state(rp, &st);
	cr_assert(!st.playing);
	press(' ');
	ctop_replay_state(rp, &st);
	cr_assert(st.playing);
	cr_assert_eq(st.speed, 10);
	cr_assert(!t->paused, "a replay plays through its cursor, not the live pause");
	press(' ');
	ctop_replay_state(rp, &st);
	cr_assert(!st.playing);
}

Test(replay_keys, drill_down_and_history)
{
	size_t i;

	press('$');
	cr_assert_gt(t->nrows, 0);
	for (i = 0; i < t->nrows; i++) {
		cr_assert_not_null(t->rows[i]->hist, "row %zu has no history", i);
		cr_assert_eq(t->rows[i]->hist->len, NREC);
	}
	press('\n');
	cr_assert_eq(t->view, TUI_VIEW_PROCS);
	cr_assert_eq(t->ptree.nrows, t->rows[t->sel]->nprocs);
	/* the drill-down follows the cursor */
	press('[');
	cr_assert_eq(t->view, TUI_VIEW_PROCS);
	shows(NREC - 2);
	cr_assert_gt(t->ptree.nrows, 0);
}

Test(replay_keys, live_they_only_say_where_they_work)
{
	static const int keys[] = { '[', ']', '{', '}', '(', ')', '^', '$', 'G', 'x' };
	size_t i;
	int f;

	t->replay = NULL;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		t->msg[0] = '\0';
		f = press(keys[i]);
		cr_assert(!(f & TUI_RESAMPLE), "key %c", keys[i]);
		cr_assert(!t->going);
		cr_assert_not_null(strstr(t->msg, "--replay"), "key %c: '%s'", keys[i], t->msg);
	}
	shows(0);
}
