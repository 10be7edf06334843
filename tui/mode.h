/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The program's modes: what main() picks from the options and runs on a
 * snapshot source. Adding a mode is its file, mode_<name>.c, defining a
 * struct tui_mode, and one line in main.c's table.
 */
#ifndef CTOP_MODE_H
#define CTOP_MODE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include "options.h"
#include "output.h"
#include "source.h"

/* Exit statuses (man page, EXIT STATUS); a signal N ends with 128 + N. */
enum tui_exit {
	TUI_EXIT_OK = 0,
	TUI_EXIT_FAIL = 1,	/* no privileges or terminal, counters unreadable */
	TUI_EXIT_USAGE = 2,	/* a bad option, theme or recording */
	TUI_EXIT_WRITE = 3,	/* a write error on standard output or the recording */
};

struct tui_mode {
	/* Whether the options ask for this mode; NULL: the default, last. */
	bool (*wanted)(const struct ctop_options *o);
	bool cmdlines;		/* shows command lines: the source reads them */
	/*
	 * Runs until done, stopped or failed, borrowing src; messages go to
	 * stderr. Returns the exit status.
	 */
	int (*run)(struct ctop_source *src, const struct ctop_options *o);
	/*
	 * Checks what would make run() fail at once, before the source is
	 * opened (loading the BPF programs takes a while); NULL: none. 0 or
	 * the exit status, with the message on stderr.
	 */
	int (*ready)(const struct ctop_options *o);
	bool no_states;		/* shows no run state (paused): the source need not read it */
	bool proc_io_with_p;	/* shows processes' figures only with -p: without, the
				   source need not read their IO (the procs map) */
};

extern const struct tui_mode tui_mode_screen;	/* mode_screen.c */
extern const struct tui_mode tui_mode_batch;	/* mode_batch.c */
extern const struct tui_mode tui_mode_export;	/* mode_export.c */

/* ---- what the modes share (mode.c) ---- */

/*
 * SIGINT, SIGTERM and SIGHUP only set tui_stop (and SIGPIPE is ignored,
 * so that a reader going away is a write error, EPIPE). The screen puts
 * handlers of its own in place while it runs.
 */
extern volatile sig_atomic_t tui_stop;
void tui_catch_signals(void);

/*
 * Writes text to f and flushes it. 0, also when the reader went away
 * (EPIPE: head, a closed pipe, a normal end); otherwise says so on stderr
 * and returns TUI_EXIT_WRITE.
 */
int tui_write_out(FILE *f, const char *text);

/* ---- --export's --web-config (export_web.c) ---- */

struct ctop_web_config;

/*
 * o->web_config read and its TLS files checked: TUI_EXIT_OK with *out
 * set (NULL without --web-config; out NULL: only checked), or
 * TUI_EXIT_USAGE after a message on stderr naming the file and the key.
 */
int tui_export_web_config(const struct ctop_options *o, struct ctop_web_config **out);

/* ---- batch output's refresh, apart from its loop (mode_batch.c) ---- */

/* tui_batch_refresh(): go on with the next refresh (not an exit status). */
#define TUI_BATCH_MORE	(-1)

struct tui_batch {
	struct ctop_source *src;	/* borrowed */
	struct ctop_view_opts vo;
	bool json;
};

void tui_batch_init(struct tui_batch *b, struct ctop_source *src, const struct ctop_options *o);

/*
 * One refresh: the source's next snapshot, as a table or JSON, written to
 * out. TUI_BATCH_MORE, or the exit status to end with: 0 when the reader
 * went away, else after a message on stderr.
 */
int tui_batch_refresh(struct tui_batch *b, double now_mono, double now_wall, FILE *out);

/* ---- the live source (source_live.c) ---- */

/* What the source reads beyond the containers' own figures. */
struct tui_live_reads {
	bool cmdlines;		/* /proc/<pid>/cmdline */
	bool states;		/* the run state: freezer.state, cgroup.events */
	bool proc_io;		/* processes' IO and exited threads' CPU */
};

/*
 * Loads the BPF programs and takes the first read. TUI_EXIT_OK with *out
 * set, or TUI_EXIT_FAIL after saying why on stderr.
 */
int tui_live_open(const struct ctop_options *o, const struct tui_live_reads *r,
		  struct ctop_source **out);

/* --version: the version and the probes the live source would choose. */
int tui_live_version(const struct ctop_options *o);

/* ---- recordings (source_replay.c) ---- */

/*
 * --replay: the recording as the source. TUI_EXIT_OK with *out set, or
 * TUI_EXIT_USAGE after saying why on stderr (not a recording, cut, ...).
 */
int tui_replay_open(const struct ctop_options *o, struct ctop_source **out);

/* After a replay: what was cut or damaged in it, on stderr. Nothing for other sources. */
void tui_replay_report(struct ctop_source *src);

/*
 * -w: *src wrapped so that each snapshot is also recorded. TUI_EXIT_OK
 * (also without -w), or TUI_EXIT_USAGE after a message (the file cannot
 * be recorded to); *src is unchanged then.
 */
int tui_record_wrap(const struct ctop_options *o, struct ctop_source **src);

/* The message and exit status for a failed ctop_source_next(). */
int tui_source_failed(struct ctop_source *src, int err, char *msg, size_t len);

#endif /* CTOP_MODE_H */
