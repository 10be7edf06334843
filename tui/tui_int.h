/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The screen's insides, shared by the files of tui/. Two layers:
 *  - layout.c is pure (no curses): which columns fit, what text goes in
 *    each cell and with which color role. Unit tests call it directly.
 *  - paint.c puts those cells on the terminal; draw.c draws the frame
 *    (header, footer) around the current view, each view in view_*.c.
 * keys.c holds the key table, which the footer and the help read.
 */
#ifndef CTOP_TUI_INT_H
#define CTOP_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "metrics.h"
#include "options.h"
#include "replay.h"
#include "snapshot.h"
#include "source.h"
#include "theme.h"
#include "tree.h"

/* ---- pure layout (layout.c) ---- */

enum tui_col {
	TUI_COL_NAME,		/* the container table */
	TUI_COL_ID,
	TUI_COL_PID,		/* the process table */
	TUI_COL_PPID,
	TUI_COL_COMMAND,
	TUI_COL_METRIC,		/* + enum ctop_metric: that metric's column (metrics.h) */
	TUI_COL__COUNT = TUI_COL_METRIC + CTOP_M__ALL,
	/* the metric columns the tests name */
	TUI_COL_CPU = TUI_COL_METRIC + CTOP_M_CPU,
	TUI_COL_RX = TUI_COL_METRIC + CTOP_M_NET_RX,
	TUI_COL_TX = TUI_COL_METRIC + CTOP_M_NET_TX,
	TUI_COL_SREAD = TUI_COL_METRIC + CTOP_M_STORAGE_READ,
	TUI_COL_PIDS = TUI_COL_METRIC + CTOP_M_PIDS,
	TUI_COL_THR = TUI_COL_METRIC + CTOP_M_THREADS,
};

enum tui_table { TUI_TABLE_CONTAINERS, TUI_TABLE_PROCS };

#define TUI_MAX_COLS	TUI_COL__COUNT
/* a column's cell, the command's three, the sort marks of a sum's columns */
#define TUI_MAX_CELLS	(TUI_MAX_COLS + 4)
#define TUI_CELL_BYTES	1024

struct tui_layout {
	enum tui_table table;
	int width;			/* screen columns */
	int ncols;
	enum tui_col col[TUI_MAX_COLS];	/* visible, left to right */
	int x[TUI_MAX_COLS];
	int w[TUI_MAX_COLS];
	struct ctop_probes probes;	/* an unmeasured kind shows as - */
};

struct tui_cell {
	int x, w;			/* display columns */
	enum ctop_color_role role;
	char text[TUI_CELL_BYTES];	/* exactly w display columns */
};

struct tui_line {
	enum ctop_color_role base;	/* the whole line's background */
	int n;
	struct tui_cell c[TUI_MAX_CELLS];
};

/*
 * Which columns fit in width. Columns drop in a fixed order (ID first,
 * then PIDS, the net and disk rates, RSS; NAME, CPU%, PID and COMMAND
 * stay) except those the sort key uses; the flexible NAME or COMMAND
 * column takes what is left.
 */
void tui_layout_fit(struct tui_layout *l, enum tui_table table, int width, enum ctop_sort_key sort);
bool tui_layout_has(const struct tui_layout *l, enum tui_col c);
/* Whether column c shows what sort key k sorts on. */
bool tui_col_sorted(enum tui_col c, enum ctop_sort_key k, enum tui_table table);
/* The sort key of a column, or -1 (ID, PPID, ...). */
int tui_col_sort_key(enum tui_col c, enum tui_table table);
/* `<` and `>`: the sort key of the visible column left (dir -1) or right of k's. */
enum ctop_sort_key tui_sort_step(enum ctop_sort_key k, int dir, enum tui_table table);

/* The column titles, the sorted one marked (▼ largest first, ▲ reversed). */
void tui_title_line(const struct tui_layout *l, enum ctop_sort_key sort, bool reverse, bool utf8,
		    struct tui_line *out);
void tui_container_line(const struct tui_layout *l, const struct ctop_container *c,
			bool selected, struct tui_line *out);
void tui_proc_line(const struct tui_layout *l, const struct ctop_tree *t, size_t row, bool utf8,
		   bool selected, struct tui_line *out);

/* The role for a byte figure: zero, plain, M (large) or G and up (huge). */
enum ctop_color_role tui_bytes_role(double v);
enum ctop_color_role tui_pct_role(double pct);

/*
 * Copies src into dst cut or padded to exactly width display columns
 * (UTF-8 aware in a UTF-8 locale, one column a byte otherwise), aligned
 * right or left. Returns dst.
 */
char *tui_fit(char *dst, size_t len, const char *src, int width, bool right);
/* Display columns of s. */
int tui_width(const char *s);

/*
 * Adds a cell of text fitted to w columns at x; NULL (nothing added) when
 * w < 1 or the line is full.
 */
struct tui_cell *tui_line_add(struct tui_line *out, int x, int w, enum ctop_color_role role,
			      const char *text, bool right);

/* The whole line as text, cells at their columns, for tests and dumps. */
char *tui_line_text(const struct tui_line *l, int width, char *buf, size_t len);

/*
 * Sparkline levels 0 (nothing) to 8 (full block) for n values, scaled to
 * max(peak, floor); any value above zero gets at least level 1. Returns
 * the peak.
 */
double tui_spark_levels(const double *v, size_t n, double floor, uint8_t *levels);
/* The glyph of a level: "▁".."█" in UTF-8, "_.,-=+*#" otherwise; " " for 0. */
const char *tui_spark_glyph(uint8_t level, bool utf8);

/* A meter bar: fill of width columns for frac 0..1 ('|' characters). */
int tui_meter_fill(double frac, int width);
enum ctop_color_role tui_meter_role(double frac);

/* ---- the screen's state (state.c) ---- */

enum tui_view { TUI_VIEW_TABLE, TUI_VIEW_PROCS, TUI_VIEW_GRAPH, TUI_VIEW_HELP };
#define TUI_VIEW_BIT(v)	(1u << (v))

/* What an action asks for, htop-style. */
enum tui_flags {
	TUI_REDRAW = 1 << 0,	/* repaint from the current rows */
	TUI_REBUILD = 1 << 1,	/* filter and sort the rows again, then repaint */
	TUI_CLEAR = 1 << 2,	/* repaint every cell (theme change, resize) */
	TUI_RETIME = 1 << 3,	/* the refresh interval changed */
	TUI_QUIT = 1 << 4,
	TUI_RESAMPLE = 1 << 5,	/* the replay's cursor moved: take its snapshot now */
};

#define TUI_FILTER_LEN	128
#define TUI_MAX_THEMES	64

struct tui {
	struct ctop_source *src;		/* borrowed */
	struct ctop_replay *replay;		/* src, if it replays a recording */
	const struct ctop_options *opts;
	const struct ctop_snapshot *snap;	/* borrowed until the next sample */

	enum tui_view view, help_from;
	enum ctop_sort_key sort;
	bool reverse;
	bool show_host;
	bool paused;
	bool tree;			/* drill-down as a tree (else a flat list) */
	bool utf8;
	bool colors;			/* the terminal has them and NO_COLOR is unset */
	double delay;
	long shown;			/* refreshes drawn */

	/* the filter being typed; which one it edits depends on the view */
	bool editing;
	char filter[TUI_FILTER_LEN];	/* containers */
	char pfilter[TUI_FILTER_LEN];	/* processes of the drill-down */
	/* the replay's "go to" prompt (G): a time as typed */
	bool going;
	char go[32];
	size_t speed_idx;		/* into the replay's speeds */

	/* the container table, also the order of the sparklines */
	const struct ctop_container **rows;
	size_t nrows, rows_cap;
	size_t sel, top;
	char sel_id[CTOP_ID_LEN];

	/* the drill-down */
	const struct ctop_container *drill;
	char drill_id[CTOP_ID_LEN];
	char drill_name[CTOP_NAME_LEN];
	const struct ctop_proc **pv;
	size_t npv, pv_cap;
	struct ctop_tree ptree;
	size_t psel, ptop;
	uint32_t psel_pid;

	size_t gtop;			/* first container block in the graph view */
	int help_top;

	char msg[200];
	double msg_until;		/* monotonic seconds */
	bool msg_warn;

	struct ctop_theme theme;
	char theme_names[TUI_MAX_THEMES][CTOP_THEME_NAME_LEN];
	size_t ntheme, theme_idx;
	char theme_dir_home[512];
	const char *theme_dirs[4];
	size_t ntheme_dirs;
};

/* state.c */
/* The rows of t->snap again: filtered, sorted, the selection kept. */
void tui_rebuild(struct tui *t);
void tui_message(struct tui *t, bool warn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The next snapshot from t->src, then tui_rebuild(). 0 or -errno (and a message). */
int tui_sample(struct tui *t);

/* The frame's geometry (layout.c): header lines for a terminal height, */
int tui_header_lines(int height);
/* the body between header and footer (the help has no header), */
void tui_body(enum tui_view v, int height, int *y0, int *h);
/* and how many list rows a view shows in it, for PgUp/PgDn. */
int tui_view_rows(enum tui_view v, int height);
/* Keeps sel within [top, top + h). */
void tui_scroll(size_t *sel, size_t *top, size_t n, size_t h);

/* ---- keys (keys.c) ---- */

/* The replay's play speeds (x), recorded seconds per real second. */
extern const double tui_replay_speeds[];
extern const size_t tui_replay_nspeeds;

/* One key; returns enum tui_flags. */
int tui_key(struct tui *t, int key);

enum tui_help_section {
	TUI_HELP_NONE,		/* not in the help */
	TUI_HELP_VIEWS,
	TUI_HELP_MOVING,
	TUI_HELP_SORTING,
	TUI_HELP_OTHER,
	TUI_HELP_REPLAY,
	TUI_HELP__COUNT,
};

#define TUI_BINDING_KEYS 4

/* A row of the key table: keys, what they do, and how help and footer name them. */
struct tui_binding {
	int keys[TUI_BINDING_KEYS];	/* 0 ends the list early */
	unsigned int views;		/* TUI_VIEW_BIT()s where the keys act */
	int (*fn)(struct tui *t, int key);
	enum tui_help_section section;
	const char *label;		/* the keys as the help names them: "h, ?, F1" */
	const char *help;		/* what they do; a \n starts a continuation line */
	const char *hint;		/* the footer's word for them, or NULL */
	const char *hint_keys;		/* the footer's name for the keys, if not label */
};

const struct tui_binding *tui_bindings(size_t *n);

struct tui_hint {
	char keys[48];
	const char *what;
};

/*
 * The footer's hints for a view, the keys and words from the table; the
 * rows of one action make one hint. Returns how many (at most max).
 */
size_t tui_key_hints(enum tui_view view, struct tui_hint *out, size_t max);

/* term.c */
/* 0; -ENOTTY without a terminal on stdin and stdout; -EINVAL for an unusable TERM. */
int tui_term_start(void);
/*
 * Whether tui_term_start() could draw here, asked before the slow part of
 * starting (the BPF load): 0, -ENOTTY off a terminal, -EINVAL for a TERM
 * that is unset, empty or unknown to terminfo.
 */
int tui_term_usable(void);
void tui_term_stop(void);
void tui_term_apply_theme(const struct ctop_theme *th, bool colors);
int tui_term_attr(enum ctop_color_role r);	/* curses attributes of a role */
int tui_term_signal(void);	/* a pending SIGINT/SIGTERM/SIGHUP, or 0 */
bool tui_term_resized(void);	/* SIGWINCH seen since the last call */
bool tui_term_has_colors(void);

/* paint.c */
/* Text at (y, x) in a role, cut at maxx. Returns the next x. */
int tui_put(int y, int x, int maxx, enum ctop_color_role role, const char *s);
void tui_draw_line(int y, const struct tui_line *l, int width);
/* Fits *lay to width for t's sort and the snapshot's probes, and draws its titles at y. */
void tui_draw_titles(const struct tui *t, enum tui_table table, int y, int width,
		     struct tui_layout *lay);

/* draw.c: the frame, and the current view in it */
void tui_draw(struct tui *t, bool clear_all);
int tui_draw_header(struct tui *t, int width, int height);	/* returns lines used */
void tui_draw_footer(struct tui *t, int y, int width);

/* view_*.c: each view draws rows y0 to y0 + h - 1 */
void tui_view_table(struct tui *t, int y0, int h, int width);
void tui_view_procs(struct tui *t, int y0, int h, int width);
void tui_view_graph(struct tui *t, int y0, int h, int width);
void tui_view_help(struct tui *t, int y0, int h, int width);
/* view_help.c: the help text, made from the key table, for the view and its tests */
size_t tui_help_lines(const char *const **out);

#endif /* CTOP_TUI_INT_H */
