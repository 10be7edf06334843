// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The screen's main loop: a steady refresh beat on CLOCK_MONOTONIC
 * (next = previous + delay, so it never drifts), poll() on the terminal in
 * between so that keys answer at once, and a redraw on resize.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <ncurses.h>
#include "format.h"
#include "tui.h"
#include "tui_int.h"

#ifndef CTOP_SHAREDIR
#define CTOP_SHAREDIR "/usr/local/share/ctop-bpf"
#endif

/* Give up after this many failed samples in a row. */
#define MAX_FAILURES 5

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double tui_now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

void tui_message(struct tui *t, bool warn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_warn = warn;
	t->msg_until = tui_now() + 4;
}

static int grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void *p;
	size_t n;

	if (need <= *cap)
		return 0;
	n = need < 64 ? 64 : need * 2;
	p = realloc(*(void **)pp, n * size);
	if (!p)
		return -ENOMEM;
	*(void **)pp = p;
	*cap = n;
	return 0;
}

static const struct ctop_container *find_container(const struct ctop_snapshot *s, const char *id)
{
	size_t i;

	if (!strcmp(id, "host") && s->host_row.is_host)
		return &s->host_row;
	for (i = 0; i < s->ncontainers; i++)
		if (!strcmp(s->containers[i].id, id))
			return &s->containers[i];
	return NULL;
}

static void rebuild_procs(struct tui *t)
{
	const struct ctop_container *c;
	size_t i, n = 0;

	t->drill = NULL;
	t->npv = 0;
	if (!t->drill_id[0])
		return;
	c = find_container(t->snap, t->drill_id);
	if (!c) {
		tui_message(t, true, "%s has exited", t->drill_name);
		t->drill_id[0] = '\0';
		if (t->view == TUI_VIEW_PROCS)
			t->view = TUI_VIEW_TABLE;
		if (t->help_from == TUI_VIEW_PROCS)
			t->help_from = TUI_VIEW_TABLE;
		return;
	}
	t->drill = c;
	if (grow(&t->pv, &t->pv_cap, c->nprocs, sizeof(*t->pv)))
		return;
	for (i = 0; i < c->nprocs; i++)
		if (ctop_filter_proc(&c->procs[i], t->pfilter))
			t->pv[n++] = &c->procs[i];
	t->npv = n;
	if (ctop_tree_build(&t->ptree, t->pv, n, t->sort, t->reverse, !t->tree)) {
		t->npv = 0;
		t->ptree.nrows = 0;
	}
	/* the selection follows its process */
	for (i = 0; i < t->ptree.nrows; i++) {
		if (t->ptree.rows[i].proc->pid == t->psel_pid) {
			t->psel = i;
			break;
		}
	}
	if (t->psel >= t->ptree.nrows)
		t->psel = t->ptree.nrows ? t->ptree.nrows - 1 : 0;
	t->psel_pid = t->ptree.nrows ? t->ptree.rows[t->psel].proc->pid : 0;
}

void tui_rebuild(struct tui *t)
{
	const struct ctop_snapshot *s = t->snap;
	size_t i, n = 0;

	t->nrows = 0;
	t->drill = NULL;
	if (!s)
		return;
	if (grow(&t->rows, &t->rows_cap, s->ncontainers + 1, sizeof(*t->rows)))
		return;
	if (t->show_host && ctop_filter_container(&s->host_row, t->filter))
		t->rows[n++] = &s->host_row;
	for (i = 0; i < s->ncontainers; i++)
		if (ctop_filter_container(&s->containers[i], t->filter))
			t->rows[n++] = &s->containers[i];
	/* [host] stays on top: it is the rest of the machine, not a peer */
	i = n && t->rows[0]->is_host ? 1 : 0;
	ctop_sort_containers(t->rows + i, n - i, t->sort, t->reverse);
	t->nrows = n;

	/* the selection follows its container when the order changes */
	for (i = 0; i < n; i++) {
		if (!strcmp(t->rows[i]->id, t->sel_id)) {
			t->sel = i;
			break;
		}
	}
	if (t->sel >= n)
		t->sel = n ? n - 1 : 0;
	if (n)
		snprintf(t->sel_id, sizeof(t->sel_id), "%s", t->rows[t->sel]->id);
	rebuild_procs(t);
}

int tui_sample(struct tui *t)
{
	const struct ctop_snapshot *s = NULL;
	int ret;

	ret = ctop_collector_sample(t->col, tui_now(), clock_s(CLOCK_REALTIME), &s);
	if (ret) {
		tui_message(t, true, "reading the kernel's counters failed: %s", strerror(-ret));
		return ret;
	}
	t->snap = s;
	tui_rebuild(t);
	return 0;
}

static void setup_themes(struct tui *t)
{
	const char *home = getenv("HOME");
	size_t n = 0;

	if (home && *home) {
		snprintf(t->theme_dir_home, sizeof(t->theme_dir_home), "%s/.config/ctop-bpf/themes",
			 home);
		t->theme_dirs[n++] = t->theme_dir_home;
	}
	t->theme_dirs[n++] = CTOP_SHAREDIR "/themes";
	t->theme_dirs[n++] = "themes";
	t->ntheme_dirs = n;
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

/* Seconds until the deadline, as a poll() timeout that never wakes early. */
static int timeout_ms(double deadline)
{
	double d = deadline - tui_now();

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

int ctop_tui_run(struct ctop_collector *col, const struct ctop_options *opts)
{
	struct ctop_theme_error err;
	const char *nc, *theme = opts->theme && *opts->theme ? opts->theme : "default";
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	double next, prev;
	int flags, ch, status = 0, fails = 0, sig;
	struct tui *t;

	setlocale(LC_ALL, "");
	t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "ctop-bpf: out of memory\n");
		return 1;
	}
	t->col = col;
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
	setup_themes(t);

	/* The theme is checked before the terminal is touched. */
	if (ctop_theme_load(&t->theme, theme, t->theme_dirs, t->ntheme_dirs, &err)) {
		if (err.line)
			fprintf(stderr, "ctop-bpf: %s:%d: %s\n", err.file, err.line, err.what);
		else
			fprintf(stderr, "ctop-bpf: %s: %s\n", err.file, err.what);
		tui_free(t);
		return 2;
	}
	pick_theme_index(t);

	status = tui_term_start();
	if (status) {
		term_error(status);
		tui_free(t);
		return 1;
	}
	nc = getenv("NO_COLOR");
	t->colors = !(nc && *nc) && tui_term_has_colors();
	if (!t->colors)
		ctop_theme_init_mono(&t->theme);
	tui_term_apply_theme(&t->theme, t->colors);

	tui_draw(t, true);
	prev = tui_now();
	next = prev + (t->delay < CTOP_FIRST_INTERVAL ? t->delay : CTOP_FIRST_INTERVAL);
	for (;;) {
		flags = 0;
		if (poll(&pfd, 1, timeout_ms(next)) > 0 && (pfd.revents & (POLLHUP | POLLERR))) {
			status = 1;	/* the terminal went away */
			break;
		}
		sig = tui_term_signal();
		if (sig) {
			/* Ctrl-C is a normal way to quit */
			status = sig == SIGINT ? 0 : 128 + sig;
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
		if ((flags & TUI_RETIME) && t->shown) {
			/* the new interval counts from the last refresh */
			next = prev + t->delay;
		}
		if (tui_now() >= next) {
			if (!t->paused) {
				if (tui_sample(t)) {
					if (++fails >= MAX_FAILURES) {
						status = 1;
						break;
					}
				} else {
					fails = 0;
					t->shown++;
				}
			}
			prev = next;
			next += t->delay;
			if (next < tui_now()) {
				/* fell far behind (suspended): start a new beat */
				prev = tui_now();
				next = prev + t->delay;
			}
			flags |= TUI_REDRAW;
		}
		if (flags & TUI_REBUILD)
			tui_rebuild(t);
		if (t->msg[0] && tui_now() >= t->msg_until) {
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
