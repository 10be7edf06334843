// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The terminal: curses set-up and tear-down, and putting it back on every
 * way out. SIGINT/SIGTERM/SIGHUP only set a flag that the main loop reads;
 * a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) restores the saved
 * tty modes and leaves the alternate screen with async-signal-safe calls,
 * then hands the signal to whoever had it before (the default action, or
 * the sanitizers' reporter); exit() from anywhere runs endwin() by atexit.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <ncurses.h>
#include <term.h>
#include "tui_int.h"

static struct termios saved_tty;
static bool have_tty;
static volatile sig_atomic_t active;
static volatile sig_atomic_t pending_sig;
static volatile sig_atomic_t got_winch;
static char restore_seq[256];
static size_t restore_len;
static SCREEN *screen;
static int role_attr[CTOP_ROLE__COUNT];
static bool atexit_done;
static bool default_colors;	/* -1 may stand for the terminal's own color */

static const int quit_sigs[] = { SIGINT, SIGTERM, SIGHUP };
static const int crash_sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
static struct sigaction old_quit[3], old_crash[5], old_winch;

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void on_quit(int sig)
{
	pending_sig = sig;
}

static void on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

/* Only async-signal-safe calls from here. */
static void restore_raw(void)
{
	ssize_t r;

	if (!active)
		return;
	active = 0;
	if (restore_len)
		r = write(STDOUT_FILENO, restore_seq, restore_len);
	if (have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
	(void)r;
}

static void on_crash(int sig, siginfo_t *si, void *uc)
{
	size_t i;

	(void)uc;
	restore_raw();
	for (i = 0; i < LEN(crash_sigs); i++)
		if (crash_sigs[i] == sig)
			sigaction(sig, &old_crash[i], NULL);
	/* A real fault repeats on return and reaches the old handler with its
	 * own context; a sent signal has to be sent again. */
	if (si->si_code <= 0 || sig == SIGABRT)
		raise(sig);
}

static void at_exit(void)
{
	if (active) {
		endwin();
		active = 0;
	}
}

static void add_seq(const char *cap)
{
	char *s = tigetstr((char *)cap);
	size_t l;

	if (!s || s == (char *)-1)
		return;
	l = strlen(s);
	if (restore_len + l >= sizeof(restore_seq))
		return;
	memcpy(restore_seq + restore_len, s, l);
	restore_len += l;
}

int tui_term_usable(void)
{
	const char *term = getenv("TERM");
	TERMINAL *saved = cur_term;
	int err = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -ENOTTY;
	if (!term || !*term)
		return -EINVAL;
	if (setupterm(term, STDOUT_FILENO, &err) != OK)
		return -EINVAL;
	/* only a look: newterm() sets the terminal up for real */
	del_curterm(cur_term);
	set_curterm(saved);
	return 0;
}

int tui_term_start(void)
{
	const char *term = getenv("TERM");
	struct sigaction sa;
	size_t i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -ENOTTY;
	if (!term || !*term)
		return -EINVAL;
	if (!tcgetattr(STDIN_FILENO, &saved_tty))
		have_tty = true;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit;	/* no SA_RESTART: poll() must wake up */
	for (i = 0; i < LEN(quit_sigs); i++)
		sigaction(quit_sigs[i], &sa, &old_quit[i]);
	/* Our own SIGWINCH handler, set before newterm(), keeps curses from
	 * installing its own; the main loop resizes. */
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, &old_winch);
	sa.sa_handler = NULL;
	sa.sa_sigaction = on_crash;
	sa.sa_flags = SA_SIGINFO;
	for (i = 0; i < LEN(crash_sigs); i++)
		sigaction(crash_sigs[i], &sa, &old_crash[i]);

	/* on a terminal, newterm() fails only for a TERM terminfo does not know */
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		tui_term_stop();
		return -EINVAL;
	}
	set_term(screen);
	active = 1;
	if (!atexit_done) {
		atexit(at_exit);
		atexit_done = true;
	}
	restore_len = 0;
	add_seq("sgr0");
	add_seq("cnorm");
	add_seq("rmcup");
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		default_colors = use_default_colors() == OK;
	}
	return 0;
}

void tui_term_stop(void)
{
	size_t i;

	if (active) {
		endwin();
		active = 0;
	}
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
	for (i = 0; i < LEN(quit_sigs); i++)
		sigaction(quit_sigs[i], &old_quit[i], NULL);
	for (i = 0; i < LEN(crash_sigs); i++)
		sigaction(crash_sigs[i], &old_crash[i], NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
}

bool tui_term_has_colors(void)
{
	return has_colors() && COLORS >= 8;
}

static int curses_attrs(unsigned int a)
{
	int r = 0;

	if (a & CTOP_ATTR_BOLD)
		r |= A_BOLD;
	if (a & CTOP_ATTR_DIM)
		r |= A_DIM;
	if (a & CTOP_ATTR_ITALIC)
		r |= A_ITALIC;
	if (a & CTOP_ATTR_UNDERLINE)
		r |= A_UNDERLINE;
	if (a & CTOP_ATTR_REVERSE)
		r |= A_REVERSE;
	return r;
}

void tui_term_apply_theme(const struct ctop_theme *th, bool colors)
{
	const struct ctop_style *normal = &th->style[CTOP_ROLE_NORMAL];
	int r, fg, bg, nfg, nbg;

	colors = colors && tui_term_has_colors() && COLOR_PAIRS > CTOP_ROLE__COUNT;
	nfg = ctop_theme_color_index(normal->fg, COLORS);
	nbg = ctop_theme_color_index(normal->bg, COLORS);
	for (r = 0; r < CTOP_ROLE__COUNT; r++) {
		const struct ctop_style *s = &th->style[r];

		role_attr[r] = curses_attrs(s->attrs);
		if (!colors)
			continue;
		/* "default" in a role means the normal text's color */
		fg = s->fg.kind == CTOP_COLOR_DEFAULT ? nfg : ctop_theme_color_index(s->fg, COLORS);
		bg = s->bg.kind == CTOP_COLOR_DEFAULT ? nbg : ctop_theme_color_index(s->bg, COLORS);
		if (!default_colors) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)(r + 1), (short)fg, (short)bg);
		role_attr[r] |= COLOR_PAIR(r + 1);
	}
	bkgdset((chtype)' ' | (chtype)role_attr[CTOP_ROLE_NORMAL]);
}

int tui_term_attr(enum ctop_color_role r)
{
	return (unsigned)r < CTOP_ROLE__COUNT ? role_attr[r] : 0;
}

int tui_term_signal(void)
{
	return pending_sig;
}

bool tui_term_resized(void)
{
	struct winsize ws;

	if (!got_winch)
		return false;
	got_winch = 0;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col)
		resize_term(ws.ws_row, ws.ws_col);
	return true;
}
