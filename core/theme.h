/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Themes as data: semantic color roles, and the `key = value` theme files
 * that map each role to colors and attributes. No curses here: the screen
 * turns a struct ctop_theme into color pairs.
 *
 * File format, one setting a line:
 *     # a comment
 *     name = solarized-dark
 *     selected.fg = black
 *     selected.bg = #2aa198
 *     selected.attr = bold, underline
 * Colors: default (the terminal's own), a name (black, red, green, yellow,
 * blue, magenta, cyan, white, their bright- forms, gray), 0-255, or
 * #rrggbb. Attributes: none, bold, dim, italic, underline, reverse.
 * Unknown keys are ignored; keys not given keep the default theme's value.
 */
#ifndef CTOP_THEME_H
#define CTOP_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a piece of the screen means, not how it looks. */
enum ctop_color_role {
	CTOP_ROLE_NORMAL,	/* ordinary text and the background */
	CTOP_ROLE_HEADER,	/* labels in the header lines */
	CTOP_ROLE_HEADER_VALUE,	/* figures in the header lines */
	CTOP_ROLE_METER_LOW,	/* bar fill below 50% */
	CTOP_ROLE_METER_MID,	/* 50% to 80% */
	CTOP_ROLE_METER_HIGH,	/* above 80% */
	CTOP_ROLE_TITLE,	/* the column titles line */
	CTOP_ROLE_TITLE_SORTED,	/* the sorted column's title */
	CTOP_ROLE_SELECTED,	/* the selected row */
	CTOP_ROLE_HOST_ROW,	/* the [host] row */
	CTOP_ROLE_ZERO,		/* values that are zero */
	CTOP_ROLE_LARGE,	/* values in M */
	CTOP_ROLE_HUGE,		/* values in G and above */
	CTOP_ROLE_TREE,		/* tree branches */
	CTOP_ROLE_CMDLINE,	/* a process's arguments after its name */
	CTOP_ROLE_GRAPH_CPU,
	CTOP_ROLE_GRAPH_MEM,
	CTOP_ROLE_GRAPH_DISK,
	CTOP_ROLE_GRAPH_NET,
	CTOP_ROLE_FOOTER_KEY,	/* a key in the footer */
	CTOP_ROLE_FOOTER_TEXT,	/* what it does */
	CTOP_ROLE_PROMPT,	/* the filter prompt */
	CTOP_ROLE_WARNING,	/* lost events, a container gone, paused */
	CTOP_ROLE__COUNT,
};

enum ctop_color_kind {
	CTOP_COLOR_DEFAULT,	/* the terminal's own foreground or background */
	CTOP_COLOR_INDEX,	/* value: 0-255 */
	CTOP_COLOR_RGB,		/* value: 0xrrggbb */
};

struct ctop_color {
	enum ctop_color_kind kind;
	uint32_t value;
};

enum ctop_attr {
	CTOP_ATTR_BOLD = 1 << 0,
	CTOP_ATTR_DIM = 1 << 1,
	CTOP_ATTR_ITALIC = 1 << 2,
	CTOP_ATTR_UNDERLINE = 1 << 3,
	CTOP_ATTR_REVERSE = 1 << 4,
};

struct ctop_style {
	struct ctop_color fg, bg;
	unsigned int attrs;	/* enum ctop_attr bits */
};

#define CTOP_THEME_NAME_LEN 64

struct ctop_theme {
	char name[CTOP_THEME_NAME_LEN];
	struct ctop_style style[CTOP_ROLE__COUNT];
};

/* Where a theme went wrong; line is 0 when it is not about one line. */
struct ctop_theme_error {
	char file[512];
	int line;
	char what[160];
};

/* The built-in themes, the same as themes/default.theme and mono.theme. */
void ctop_theme_init_default(struct ctop_theme *t);
void ctop_theme_init_mono(struct ctop_theme *t);

/* "normal", "selected", ...: the prefix of the role's keys. */
const char *ctop_theme_role_name(enum ctop_color_role r);

/*
 * Applies the settings in text (len bytes, need not end in NUL) on top of
 * *t. file only names the source in *err. 0, or -EINVAL with *err filled
 * for the first malformed line (*t may then be partly changed).
 */
int ctop_theme_parse(struct ctop_theme *t, const char *text, size_t len, const char *file,
		     struct ctop_theme_error *err);

/* The default theme with the file at path applied. 0 or -errno, *err filled. */
int ctop_theme_load_file(struct ctop_theme *t, const char *path, struct ctop_theme_error *err);

/*
 * Finds a theme: arg containing '/' is a path; otherwise NAME.theme in each
 * of dirs in order. 0 with the path in path, or -ENOENT.
 */
int ctop_theme_resolve(const char *arg, const char *const *dirs, size_t ndirs, char *path,
		       size_t len);

/*
 * ctop_theme_resolve() then ctop_theme_load_file(). "default" and "mono"
 * fall back to the built-in themes when no file is found. 0 or -errno.
 */
int ctop_theme_load(struct ctop_theme *t, const char *arg, const char *const *dirs, size_t ndirs,
		    struct ctop_theme_error *err);

/*
 * The theme names found in dirs (NAME.theme), plus "default" and "mono",
 * without duplicates, sorted, "default" first. Returns how many were stored
 * in names (at most max).
 */
size_t ctop_theme_list(const char *const *dirs, size_t ndirs, char (*names)[CTOP_THEME_NAME_LEN],
		       size_t max);

/*
 * The terminal color number for c on a terminal with ncolors colors
 * (8, 16, 88, 256, ...): -1 for the terminal's default, otherwise the
 * nearest color below ncolors (#rrggbb is matched against the xterm
 * palette). Returns -1 when ncolors < 8.
 */
int ctop_theme_color_index(struct ctop_color c, int ncolors);

#endif /* CTOP_THEME_H */
