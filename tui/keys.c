// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Keys, htop Action.c style: a table from key to action, each action
 * returning what must be redrawn (enum tui_flags). The filter prompt takes
 * the keys first while it is open.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <ncurses.h>
#include "format.h"
#include "ticker.h"
#include "timeparse.h"
#include "tui_int.h"

#define V(x) TUI_VIEW_BIT(x)
#define V_LISTS (V(TUI_VIEW_TABLE) | V(TUI_VIEW_PROCS) | V(TUI_VIEW_GRAPH))
#define V_ALL (V_LISTS | V(TUI_VIEW_HELP))

#define KEY_ESC 27
#define KEY_CTRL(c) ((c) & 0x1f)

static const double delays[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 15, 30, 60 };

static char *cur_filter(struct tui *t)
{
	return t->view == TUI_VIEW_PROCS ? t->pfilter : t->filter;
}

static size_t list_len(const struct tui *t)
{
	return t->view == TUI_VIEW_PROCS ? t->ptree.nrows : t->nrows;
}

/* How many list rows the current view shows, for PgUp/PgDn. */
static int page_rows(const struct tui *t)
{
	return tui_view_rows(t->view, LINES);
}

static int act_move(struct tui *t, int key)
{
	size_t n = list_len(t), page = (size_t)page_rows(t), *sel;

	if (t->view == TUI_VIEW_HELP) {
		int step = key == KEY_NPAGE || key == ' ' ? (int)page : key == KEY_PPAGE ? -(int)page
				: key == KEY_DOWN || key == 'j' ? 1 : key == KEY_UP || key == 'k' ? -1
				: key == KEY_HOME ? -100000 : 100000;

		t->help_top += step;
		return TUI_REDRAW;	/* the view clamps help_top */
	}
	if (!n)
		return 0;
	sel = t->view == TUI_VIEW_PROCS ? &t->psel : &t->sel;
	if (page < 1)
		page = 1;
	switch (key) {
	case KEY_UP:
	case 'k':
		*sel = *sel ? *sel - 1 : 0;
		break;
	case KEY_DOWN:
	case 'j':
		*sel = *sel + 1 < n ? *sel + 1 : n - 1;
		break;
	case KEY_PPAGE:
		*sel = *sel > page ? *sel - page : 0;
		break;
	case KEY_NPAGE:
		*sel = *sel + page < n ? *sel + page : n - 1;
		break;
	case KEY_HOME:
		*sel = 0;
		break;
	case KEY_END:
		*sel = n - 1;
		break;
	}
	if (t->view == TUI_VIEW_PROCS)
		t->psel_pid = t->ptree.rows[t->psel].proc->pid;
	else
		snprintf(t->sel_id, sizeof(t->sel_id), "%s", t->rows[t->sel]->id);
	return TUI_REDRAW;
}

static int set_sort(struct tui *t, enum ctop_sort_key k)
{
	t->sort = k;
	return TUI_REBUILD;
}

static int act_sort(struct tui *t, int key)
{
	switch (key) {
	case 'c':
		return set_sort(t, CTOP_SORT_CPU);
	case 'm':
		return set_sort(t, CTOP_SORT_RSS);
	case 'd':
		return set_sort(t, CTOP_SORT_DISK);
	case 'n':
		return set_sort(t, CTOP_SORT_NET);
	case 'p':
		return set_sort(t, CTOP_SORT_PIDS);
	case 'N':
		return set_sort(t, CTOP_SORT_NAME);
	case '<':
	case ',':
	case '>':
	case '.':
		return set_sort(t, tui_sort_step(t->sort, key == '<' || key == ',' ? -1 : 1,
						 t->view == TUI_VIEW_PROCS ? TUI_TABLE_PROCS
									   : TUI_TABLE_CONTAINERS));
	}
	return 0;
}

static int act_reverse(struct tui *t, int key)
{
	t->reverse = !t->reverse;
	return TUI_REBUILD;
}

static int act_filter(struct tui *t, int key)
{
	t->editing = true;
	return TUI_REDRAW;
}

static int act_enter(struct tui *t, int key)
{
	const struct ctop_container *c;

	if (!t->nrows)
		return 0;
	c = t->rows[t->sel];
	snprintf(t->drill_id, sizeof(t->drill_id), "%s", c->id);
	if (c->name[0])
		snprintf(t->drill_name, sizeof(t->drill_name), "%s", c->name);
	else
		snprintf(t->drill_name, sizeof(t->drill_name), "%.12s", c->id);
	t->view = TUI_VIEW_PROCS;
	t->psel = t->ptop = 0;
	t->psel_pid = 0;
	t->pfilter[0] = '\0';
	return TUI_REBUILD | TUI_CLEAR;
}

static int act_back(struct tui *t, int key)
{
	switch (t->view) {
	case TUI_VIEW_PROCS:
		t->view = TUI_VIEW_TABLE;
		t->drill_id[0] = '\0';
		return TUI_REBUILD | TUI_CLEAR;
	case TUI_VIEW_GRAPH:
		t->view = TUI_VIEW_TABLE;
		return TUI_REDRAW | TUI_CLEAR;
	case TUI_VIEW_HELP:
		t->view = t->help_from;
		return TUI_REDRAW | TUI_CLEAR;
	case TUI_VIEW_TABLE:
		if (key == KEY_ESC && t->filter[0]) {
			t->filter[0] = '\0';
			return TUI_REBUILD;
		}
	}
	return 0;
}

static int act_graph(struct tui *t, int key)
{
	if (t->view == TUI_VIEW_GRAPH) {
		t->view = TUI_VIEW_TABLE;
	} else {
		t->view = TUI_VIEW_GRAPH;
		t->drill_id[0] = '\0';
	}
	return TUI_REBUILD | TUI_CLEAR;
}

static int act_tree(struct tui *t, int key)
{
	t->tree = !t->tree;
	if (t->view != TUI_VIEW_PROCS)
		tui_message(t, false, "processes will show as a %s", t->tree ? "tree" : "flat list");
	return TUI_REBUILD;
}

static int act_host(struct tui *t, int key)
{
	t->show_host = !t->show_host;
	return TUI_REBUILD;
}

const double tui_replay_speeds[] = { 1, 10, 60, 600 };
const size_t tui_replay_nspeeds = sizeof(tui_replay_speeds) / sizeof(tui_replay_speeds[0]);

static double mono_now(void)
{
	return ctop_ticker_now(CLOCK_MONOTONIC);
}

static int act_pause(struct tui *t, int key)
{
	struct ctop_replay_state st;

	if (t->replay) {
		/* a replay's pause is its cursor standing still: play from here */
		ctop_replay_state(t->replay, &st);
		ctop_replay_play(t->replay, !st.playing, tui_replay_speeds[t->speed_idx],
				 mono_now());
		return TUI_REDRAW;
	}
	t->paused = !t->paused;
	return TUI_REDRAW;
}

/* The keys of the replay's cursor; live, they only say where they work. */
static bool replaying(struct tui *t)
{
	if (!t->replay)
		tui_message(t, true, "that key moves through a recording (--replay FILE)");
	return t->replay;
}

static int cursor_moved(struct tui *t, int err, const char *what)
{
	if (err == -ENOENT)
		tui_message(t, false, "%s", what);
	else if (err)
		tui_message(t, true, "reading %s failed: %s", t->src->name, strerror(-err));
	return err ? TUI_REDRAW : TUI_RESAMPLE | TUI_REDRAW;
}

static int act_step(struct tui *t, int key)
{
	int dir = key == '[' ? -1 : 1;

	if (!replaying(t))
		return TUI_REDRAW;
	return cursor_moved(t, ctop_replay_step(t->replay, dir),
			    dir < 0 ? "the first record" : "the last record");
}

static int act_jump(struct tui *t, int key)
{
	double d = key == '{' ? -60 : key == '}' ? 60 : key == '(' ? -3600 : 3600;

	if (!replaying(t))
		return TUI_REDRAW;
	return cursor_moved(t, ctop_replay_jump(t->replay, d), "nothing recorded there");
}

static int act_ends(struct tui *t, int key)
{
	if (!replaying(t))
		return TUI_REDRAW;
	return cursor_moved(t, key == '^' ? ctop_replay_start(t->replay)
					  : ctop_replay_end(t->replay), "nothing recorded");
}

static int act_goto(struct tui *t, int key)
{
	if (!replaying(t))
		return TUI_REDRAW;
	t->going = true;
	t->go[0] = '\0';
	return TUI_REDRAW;
}

static int act_speed(struct tui *t, int key)
{
	struct ctop_replay_state st;

	if (!replaying(t))
		return TUI_REDRAW;
	t->speed_idx = (t->speed_idx + 1) % tui_replay_nspeeds;
	ctop_replay_state(t->replay, &st);
	ctop_replay_play(t->replay, st.playing, tui_replay_speeds[t->speed_idx], mono_now());
	tui_message(t, false, "replay speed %gx%s", tui_replay_speeds[t->speed_idx],
		    st.playing ? "" : " (Space plays)");
	return TUI_REDRAW;
}

static int act_delay(struct tui *t, int key)
{
	size_t i, n = sizeof(delays) / sizeof(delays[0]);
	double d = t->delay;
	char buf[16];

	if (key == '+' || key == '=') {
		for (i = 0; i < n && delays[i] <= t->delay + 1e-9; i++)
			;
		d = i < n ? delays[i] : delays[n - 1];
	} else {
		for (i = n; i-- > 0 && delays[i] >= t->delay - 1e-9;)
			;
		d = i < n ? delays[i] : delays[0];
	}
	t->delay = d;
	tui_message(t, false, "refresh every %s", ctop_fmt_seconds(buf, sizeof(buf), d));
	return TUI_REDRAW | TUI_RETIME;
}

static int act_theme(struct tui *t, int key)
{
	struct ctop_theme_error err;
	struct ctop_theme th;
	size_t tries;

	if (!t->colors) {
		tui_message(t, true, "colors are off (NO_COLOR is set or the terminal has none)");
		return TUI_REDRAW;
	}
	for (tries = 0; tries < t->ntheme; tries++) {
		t->theme_idx = (t->theme_idx + 1) % t->ntheme;
		if (!ctop_theme_load(&th, t->theme_names[t->theme_idx], t->theme_dirs,
				     t->ntheme_dirs, &err)) {
			t->theme = th;
			tui_term_apply_theme(&t->theme, t->colors);
			tui_message(t, false, "theme: %s", t->theme.name);
			return TUI_REDRAW | TUI_CLEAR;
		}
		tui_message(t, true, "%s:%d: %s", err.file, err.line, err.what);
	}
	return TUI_REDRAW;
}

static int act_help(struct tui *t, int key)
{
	if (t->view == TUI_VIEW_HELP) {
		t->view = t->help_from;
	} else {
		t->help_from = t->view;
		t->view = TUI_VIEW_HELP;
		t->help_top = 0;
	}
	return TUI_REDRAW | TUI_CLEAR;
}

static int act_quit(struct tui *t, int key)
{
	return TUI_QUIT;
}

static int act_redraw(struct tui *t, int key)
{
	return TUI_REDRAW | TUI_CLEAR;
}

#define ON(views_, fn_, ...) .keys = { __VA_ARGS__ }, .views = (views_), .fn = (fn_)
#define HELP(section_, label_, text) .section = TUI_HELP_##section_, .label = (label_), \
	.help = (text)
#define HINT(word, keys_) .hint = (word), .hint_keys = (keys_)

/*
 * The key table, which the footer and the help are made from; within a
 * section, its order is the help's. A key acts through the first row that
 * has it for the current view.
 */
static const struct tui_binding bindings[] = {
	{ ON(V_ALL, act_move, KEY_UP, KEY_DOWN, 'k', 'j'),
	  HELP(MOVING, "Up/Down, k/j", "select the previous/next row"),
	  HINT("Scroll", "Up Down") },
	{ ON(V_ALL, act_move, KEY_PPAGE, KEY_NPAGE), HELP(MOVING, "PgUp/PgDn", "a page up/down"),
	  HINT("Scroll", "PgUp PgDn") },
	{ ON(V_ALL, act_move, KEY_HOME, KEY_END), HELP(MOVING, "Home/End", "the first/last row") },
	{ ON(V(TUI_VIEW_HELP), act_move, ' ') },
	{ ON(V_LISTS, act_sort, 'c'), HELP(SORTING, "c", "CPU%"), HINT("Sort", NULL) },
	{ ON(V_LISTS, act_sort, 'm'), HELP(SORTING, "m", "RSS"), HINT("Sort", NULL) },
	{ ON(V_LISTS, act_sort, 'd'), HELP(SORTING, "d", "disk (read+write)"), HINT("Sort", NULL) },
	{ ON(V_LISTS, act_sort, 'n'), HELP(SORTING, "n", "net (rx+tx)"), HINT("Sort", NULL) },
	{ ON(V_LISTS, act_sort, 'p'), HELP(SORTING, "p", "PIDS (threads for processes)"),
	  HINT("Sort", NULL) },
	{ ON(V_LISTS, act_sort, 'N'), HELP(SORTING, "N", "name"), HINT("Sort", NULL) },
	{ ON(V_LISTS, act_sort, '<', '>', ',', '.'),
	  HELP(SORTING, "< >", "sort by the column left/right of the current one") },
	{ ON(V_LISTS, act_reverse, 'r'), HELP(SORTING, "r", "reverse the order"),
	  HINT("Reverse", NULL) },
	{ ON(V_LISTS, act_filter, '/'),
	  HELP(OTHER, "/", "filter as you type: name, id or image (processes: command or\n"
			   "pid); Enter keeps the filter, Esc clears it"),
	  HINT("Filter", NULL) },
	{ ON(V(TUI_VIEW_TABLE) | V(TUI_VIEW_GRAPH), act_enter, '\n', '\r', KEY_ENTER),
	  HELP(VIEWS, "Enter", "processes of the selected container (tree)"),
	  HINT("Procs", NULL) },
	{ ON(V_LISTS, act_graph, 'g'),
	  HELP(VIEWS, "g", "sparklines: history of CPU, RSS, disk and net per container"),
	  HINT("Graphs", NULL) },
	{ ON(V_ALL, act_back, KEY_ESC, KEY_BACKSPACE, 127, KEY_CTRL('h')),
	  HELP(VIEWS, "Esc, Backspace",
	       "back to the container table; in the table, clears the filter"),
	  HINT("Back", "Esc") },
	{ ON(V(TUI_VIEW_PROCS) | V(TUI_VIEW_HELP), act_back, KEY_LEFT) },
	{ ON(V_LISTS, act_tree, 't'),
	  HELP(OTHER, "t", "processes as a tree or as a flat sorted list"),
	  HINT("Tree/flat", NULL) },
	{ ON(V_LISTS, act_host, 'a'),
	  HELP(OTHER, "a", "show or hide the [host] row (everything outside containers)"),
	  HINT("Host", NULL) },
	{ ON(V_LISTS, act_pause, ' '), HELP(OTHER, "Space", "pause or resume the refresh"),
	  HINT("Pause", NULL) },
	{ ON(V_LISTS, act_step, '[', ']'),
	  HELP(REPLAY, "[ ]", "one record back/forward") },
	{ ON(V_LISTS, act_jump, '{', '}'), HELP(REPLAY, "{ }", "a minute back/forward") },
	{ ON(V_LISTS, act_jump, '(', ')'), HELP(REPLAY, "( )", "an hour back/forward") },
	{ ON(V_LISTS, act_ends, '^', '$'), HELP(REPLAY, "^ $", "the first/last record") },
	{ ON(V_LISTS, act_goto, 'G'),
	  HELP(REPLAY, "G", "go to a time: HH:MM[:SS] (that day) or YYYY-MM-DD HH:MM[:SS]") },
	{ ON(V_LISTS, act_speed, 'x'), HELP(REPLAY, "x", "play speed: 1x, 10x, 60x, 600x") },
	{ ON(V_LISTS, act_pause, ' '), HELP(REPLAY, "Space", "play or pause the replay") },
	{ ON(V_ALL, act_delay, '+', '=', '-'),
	  HELP(OTHER, "+ -", "refresh less or more often (0.1 s to 60 s)"),
	  HINT("Delay", "+-") },
	{ ON(V_ALL, act_theme, 'T'), HELP(OTHER, "T", "next color theme"), HINT("Theme", NULL) },
	{ ON(V_ALL, act_help, 'h', '?', KEY_F(1)),
	  HELP(VIEWS, "h, ?, F1", "this help (again, or Esc, to leave)"),
	  HINT("Help", "h") },
	{ ON(V_ALL, act_redraw, KEY_CTRL('l')), HELP(OTHER, "Ctrl-L", "redraw the screen") },
	{ ON(V_ALL, act_quit, 'q', KEY_F(10), KEY_CTRL('c')), HELP(OTHER, "q, F10, Ctrl-C", "quit"),
	  HINT("Quit", "q") },
	{ ON(V_ALL, act_redraw, KEY_RESIZE) },
};

#define NBINDINGS (sizeof(bindings) / sizeof(bindings[0]))

const struct tui_binding *tui_bindings(size_t *n)
{
	*n = NBINDINGS;
	return bindings;
}

/*
 * What each view's footer offers, in order: actions, whose keys and words
 * come from the table. The last (Quit) always shows.
 */
typedef int (*action_fn)(struct tui *t, int key);

static const action_fn footer_table[] = { act_help, act_filter, act_enter, act_graph, act_sort,
					  act_reverse, act_pause, act_host, act_delay, act_theme,
					  act_quit, NULL };
static const action_fn footer_procs[] = { act_help, act_back, act_filter, act_tree, act_sort,
					  act_reverse, act_pause, act_graph, act_quit, NULL };
static const action_fn footer_graph[] = { act_help, act_back, act_enter, act_filter, act_sort,
					  act_pause, act_quit, NULL };
static const action_fn footer_help[] = { act_back, act_move, act_quit, NULL };

static const action_fn *const footers[] = {
	[TUI_VIEW_TABLE] = footer_table,
	[TUI_VIEW_PROCS] = footer_procs,
	[TUI_VIEW_GRAPH] = footer_graph,
	[TUI_VIEW_HELP] = footer_help,
};

size_t tui_key_hints(enum tui_view view, struct tui_hint *out, size_t max)
{
	const action_fn *fn;
	const struct tui_binding *b;
	size_t i, n = 0, l;

	for (fn = footers[view]; *fn && n < max; fn++) {
		out[n].keys[0] = '\0';
		out[n].what = NULL;
		/* every row of the action that acts here and has a word: "c m d n p N Sort" */
		for (i = 0; i < NBINDINGS; i++) {
			b = &bindings[i];
			if (b->fn != *fn || !b->hint || !(b->views & V(view)))
				continue;
			l = strlen(out[n].keys);
			snprintf(out[n].keys + l, sizeof(out[n].keys) - l, "%s%s", l ? " " : "",
				 b->hint_keys ? b->hint_keys : b->label);
			out[n].what = b->hint;
		}
		if (out[n].what)
			n++;
	}
	return n;
}

/* The "go to" prompt: a time, taken on Enter. */
static int go_key(struct tui *t, int key)
{
	struct ctop_replay_state st;
	size_t l = strlen(t->go);
	double when;

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		t->going = false;
		ctop_replay_state(t->replay, &st);
		if (ctop_time_parse(t->go, st.time, &when)) {
			tui_message(t, true, "'%s' is not a time like 03:12, 03:12:30 or "
				    "2026-12-01 03:12", t->go);
			return TUI_REDRAW;
		}
		return cursor_moved(t, ctop_replay_seek(t->replay, when), "nothing recorded");
	case KEY_ESC:
		t->going = false;
		return TUI_REDRAW;
	case KEY_BACKSPACE:
	case 127:
	case KEY_CTRL('h'):
		if (l)
			t->go[l - 1] = '\0';
		return TUI_REDRAW;
	case KEY_CTRL('c'):
		return TUI_QUIT;
	case KEY_RESIZE:
		return TUI_REDRAW | TUI_CLEAR;
	}
	if (((key >= '0' && key <= '9') || key == ':' || key == '-' || key == ' ') &&
	    l + 1 < sizeof(t->go)) {
		t->go[l] = (char)key;
		t->go[l + 1] = '\0';
		return TUI_REDRAW;
	}
	return 0;
}

/* The filter prompt: typing narrows at once; Enter keeps, Esc clears. */
static int edit_key(struct tui *t, int key)
{
	char *f = cur_filter(t);
	size_t l = strlen(f);

	switch (key) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		t->editing = false;
		return TUI_REDRAW;
	case KEY_ESC:
		f[0] = '\0';
		t->editing = false;
		return TUI_REBUILD;
	case KEY_BACKSPACE:
	case 127:
	case KEY_CTRL('h'):
		/* a whole UTF-8 character */
		while (l > 0 && ((unsigned char)f[l - 1] & 0xc0) == 0x80)
			l--;
		if (l > 0)
			l--;
		f[l] = '\0';
		return TUI_REBUILD;
	case KEY_CTRL('u'):
		f[0] = '\0';
		return TUI_REBUILD;
	case KEY_CTRL('c'):
		return TUI_QUIT;
	case KEY_RESIZE:
		return TUI_REDRAW | TUI_CLEAR;
	}
	if (key >= 0x20 && key <= 0xff && key != 0x7f && l + 1 < TUI_FILTER_LEN) {
		f[l] = (char)key;
		f[l + 1] = '\0';
		return TUI_REBUILD;
	}
	return 0;
}

int tui_key(struct tui *t, int key)
{
	size_t i, k;

	if (t->editing)
		return edit_key(t, key);
	if (t->going)
		return go_key(t, key);
	for (i = 0; i < NBINDINGS; i++) {
		if (!(bindings[i].views & V(t->view)))
			continue;
		for (k = 0; k < TUI_BINDING_KEYS && bindings[i].keys[k]; k++)
			if (bindings[i].keys[k] == key)
				return bindings[i].fn(t, key);
	}
	return 0;
}
