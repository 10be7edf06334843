/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The full-screen view: the only part of ctop-bpf that includes curses. */
#ifndef CTOP_TUI_H
#define CTOP_TUI_H

#include "collector.h"
#include "options.h"

/*
 * Runs the screen until the user quits or opts->iterations refreshes have
 * been shown. Loads the theme first: a bad theme prints
 * "ctop-bpf: <file>:<line>: <what>" to stderr and returns 2 before the
 * terminal is touched. Returns the process exit status: 0 on q, F10 or
 * Ctrl-C; 128 + N when signal N (SIGTERM, SIGHUP) ended it; 1 when the
 * terminal cannot be used or sampling keeps failing.
 */
int ctop_tui_run(struct ctop_collector *col, const struct ctop_options *opts);

#endif /* CTOP_TUI_H */
