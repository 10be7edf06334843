// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The screen, the default mode: refreshes on the steady beat of a ticker,
 * with poll() on the terminal in between so that keys answer at once, and
 * a redraw on resize.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ncurses.h>
#include "format.h"
#include "mode.h"
#include "ticker.h"
#include "tui_int.h"

#ifndef CTOP_SHAREDIR
#define CTOP_SHAREDIR "/usr/local/share/ctop-bpf"
#endif

/* Give up after this many failed samples in a row. */
#define MAX_FAILURES 5

static double now(void)
{
	return ctop_ticker_now(CLOCK_MONOTONIC);
}

/* Where themes are looked for, in order; home holds the user's folder. */
static size_t theme_dirs(char *home_dir, size_t len, const char **dirs)
{
	const char *home = getenv("HOME");
	size_t n = 0;

	if (home && *home) {
		snprintf(home_dir, len, "%s/.config/ctop-bpf/themes", home);
		dirs[n++] = home_dir;
	}
	dirs[n++] = CTOP_SHAREDIR "/themes";
	dirs[n++] = "themes";
	return n;
}

/* Loads the theme -t names; a bad one is said as "<file>:<line>: <what>". */
static int load_theme(struct ctop_theme *theme, const struct ctop_options *opts,
		      const char *const *dirs, size_t ndirs)
{
	const char *name = opts->theme && *opts->theme ? opts->theme : "default";
	struct ctop_theme_error err;

	if (!ctop_theme_load(theme, name, dirs, ndirs, &err))
		return 0;
	if (err.line)
		fprintf(stderr, "ctop-bpf: %s:%d: %s\n", err.file, err.line, err.what);
	else
		fprintf(stderr, "ctop-bpf: %s: %s\n", err.file, err.what);
	return TUI_EXIT_USAGE;
}

static void pick_theme_index(struct tui *t)
{
	size_t i;

	t->ntheme = ctop_theme_list(t->theme_dirs, t->ntheme_dirs, t->theme_names, TUI_MAX_THEMES);
	t->theme_idx = 0;
	for (i = 0; i < t->ntheme; i++)
		if (!strcmp(t->theme_names[i], t->theme.name))
			t->theme_idx = i;
}

/* The ticker's wait as a poll() timeout that never wakes early. */
static int timeout_ms(const struct ctop_ticker *tk)
{
	double d = ctop_ticker_wait(tk, now());

	if (d <= 0)
		return 0;
	if (d > 3600)
		d = 3600;
	/* rounded up: waking a hair early would only poll again */
	return (int)(d * 1000) + 1;
}

static void tui_free(struct tui *t)
{
	free(t->rows);
	free(t->pv);
	ctop_tree_fini(&t->ptree);
	free(t);
}

/* Why the screen could not start, and what to do instead. */
static void term_error(int err)
{
	const char *term = getenv("TERM");
	char shown[65];

	/* the value as the operator can read it back, whatever it holds */
	ctop_fmt_safe(shown, sizeof(shown), term ? term : "", false);
	if (err == -ENOTTY)
		fprintf(stderr, "ctop-bpf: the screen needs a terminal on standard input and "
				"output; use -b for batch output\n");
	else if (!term)
		fprintf(stderr, "ctop-bpf: TERM is not set, so the screen cannot be drawn; "
				"set it (TERM=xterm ctop-bpf) or use -b for batch output\n");
	else if (!*term)
		fprintf(stderr, "ctop-bpf: TERM is empty, so the screen cannot be drawn; "
				"set it (TERM=xterm ctop-bpf) or use -b for batch output\n");
	else
		fprintf(stderr, "ctop-bpf: TERM=%.64s is not a terminal type this system's "
				"terminfo knows; try TERM=xterm, or -b for batch output\n", shown);
}

/*
 * Runs the screen until the user quits or opts->iterations refreshes have
 * been shown. Loads the theme first: a bad theme prints
 * "ctop-bpf: <file>:<line>: <what>" to stderr and returns 2 before the
 * terminal is touched. Returns the process exit status: 0 on q, F10 or
 * Ctrl-C; 128 + N when signal N (SIGTERM, SIGHUP) ended it; 1 when the
 * terminal cannot be used or sampling keeps failing.
 */
static int run(struct ctop_source *src, const struct ctop_options *opts)
{
	const char *nc;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct ctop_ticker tk;
	int flags, ch, status = TUI_EXIT_OK, fails = 0, sig;
	struct tui *t;

	setlocale(LC_ALL, "");
	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "ctop-bpf: out of memory\n");
		return TUI_EXIT_FAIL;
	}
	t->src = src;
	t->replay = ctop_replay_of(src);
	t->opts = opts;
	t->sort = opts->sort;
	t->reverse = opts->reverse;
	t->show_host = opts->all;
	t->tree = true;
	t->delay = opts->delay > 0 ? opts->delay : 1.0;
	t->utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	if (opts->filter)
		snprintf(t->filter, sizeof(t->filter), "%s", opts->filter);
	ctop_tree_init(&t->ptree);
	t->ntheme_dirs = theme_dirs(t->theme_dir_home, sizeof(t->theme_dir_home), t->theme_dirs);

	/* The theme is checked before the terminal is touched. */
	status = load_theme(&t->theme, opts, t->theme_dirs, t->ntheme_dirs);
	if (status) {
		tui_free(t);
		return status;
	}
	pick_theme_index(t);

	status = tui_term_start();
	if (status) {
		term_error(status);
		tui_free(t);
		return TUI_EXIT_FAIL;
	}
	nc = getenv("NO_COLOR");
	t->colors = !(nc && *nc) && tui_term_has_colors();
	if (!t->colors)
		ctop_theme_init_mono(&t->theme);
	tui_term_apply_theme(&t->theme, t->colors);
	/* a jump rebuilds no more history than the sparklines can draw */
	if (t->replay)
		ctop_replay_set_depth(t->replay, (size_t)(COLS > 0 ? COLS : 80));

	tui_draw(t, true);
	ctop_ticker_init(&tk, now(),
			 t->delay < CTOP_FIRST_INTERVAL ? t->delay : CTOP_FIRST_INTERVAL, t->delay);
	for (;;) {
		flags = 0;
		if (poll(&pfd, 1, timeout_ms(&tk)) > 0 && (pfd.revents & (POLLHUP | POLLERR))) {
			status = TUI_EXIT_FAIL;	/* the terminal went away */
			break;
		}
		sig = tui_term_signal();
		if (sig) {
			/* Ctrl-C is a normal way to quit */
			status = sig == SIGINT ? TUI_EXIT_OK : 128 + sig;
			break;
		}
		if (tui_term_resized())
			flags |= TUI_CLEAR | TUI_REDRAW;
		/* every key waiting, at once; curses may hold some read ahead */
		while ((ch = getch()) != ERR) {
			flags |= tui_key(t, ch);
			if (flags & TUI_QUIT)
				break;
		}
		if (flags & TUI_QUIT)
			break;
		/* the replay's cursor moved: show where it is now, not at the tick */
		if ((flags & TUI_RESAMPLE) && !tui_sample(t))
			flags |= TUI_REBUILD;
		/* the new interval counts from the last refresh */
		if (flags & TUI_RETIME)
			ctop_ticker_set_period(&tk, t->delay);
		if (ctop_ticker_due(&tk, now())) {
			if (!t->paused) {
				if (tui_sample(t)) {
					/* a recording that cannot be written ends at once */
					if (src->write_failed) {
						status = TUI_EXIT_WRITE;
						fails = MAX_FAILURES;
						break;
					}
					if (++fails >= MAX_FAILURES) {
						status = TUI_EXIT_FAIL;
						break;
					}
				} else {
					fails = 0;
					t->shown++;
				}
			}
			ctop_ticker_done(&tk, now());
			flags |= TUI_REDRAW;
		}
		if (flags & TUI_REBUILD)
			tui_rebuild(t);
		if (t->msg[0] && now() >= t->msg_until) {
			t->msg[0] = '\0';
			flags |= TUI_REDRAW;
		}
		if (flags & (TUI_REDRAW | TUI_REBUILD | TUI_CLEAR))
			tui_draw(t, flags & TUI_CLEAR);
		if (opts->iterations > 0 && t->shown >= opts->iterations)
			break;
	}
	tui_term_stop();
	if (fails >= MAX_FAILURES)
		fprintf(stderr, "ctop-bpf: %s\n", t->msg);
	tui_free(t);
	return status;
}

/*
 * A bad theme (exit 2), then no terminal or a TERM it cannot draw on
 * (exit 1): said before the BPF load, in the order run() finds them.
 */
static int ready(const struct ctop_options *o)
{
	struct ctop_theme theme;
	const char *dirs[4];
	char home[512];
	int err = load_theme(&theme, o, dirs, theme_dirs(home, sizeof(home), dirs));

	if (err)
		return err;
	err = tui_term_usable();
	if (!err)
		return 0;
	term_error(err);
	return TUI_EXIT_FAIL;
}

const struct tui_mode tui_mode_screen = {
	.cmdlines = true,
	.run = run,
	.ready = ready,
};
