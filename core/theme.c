// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Theme files: parsing, look-up and color matching. No curses, no output. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "theme.h"

static const char *const role_names[CTOP_ROLE__COUNT] = {
	[CTOP_ROLE_NORMAL] = "normal",
	[CTOP_ROLE_HEADER] = "header",
	[CTOP_ROLE_HEADER_VALUE] = "header_value",
	[CTOP_ROLE_METER_LOW] = "meter_low",
	[CTOP_ROLE_METER_MID] = "meter_mid",
	[CTOP_ROLE_METER_HIGH] = "meter_high",
	[CTOP_ROLE_TITLE] = "title",
	[CTOP_ROLE_TITLE_SORTED] = "title_sorted",
	[CTOP_ROLE_SELECTED] = "selected",
	[CTOP_ROLE_HOST_ROW] = "host_row",
	[CTOP_ROLE_ZERO] = "zero",
	[CTOP_ROLE_LARGE] = "large",
	[CTOP_ROLE_HUGE] = "huge",
	[CTOP_ROLE_TREE] = "tree",
	[CTOP_ROLE_CMDLINE] = "cmdline",
	[CTOP_ROLE_GRAPH_CPU] = "graph_cpu",
	[CTOP_ROLE_GRAPH_MEM] = "graph_mem",
	[CTOP_ROLE_GRAPH_DISK] = "graph_disk",
	[CTOP_ROLE_GRAPH_NET] = "graph_net",
	[CTOP_ROLE_FOOTER_KEY] = "footer_key",
	[CTOP_ROLE_FOOTER_TEXT] = "footer_text",
	[CTOP_ROLE_PROMPT] = "prompt",
	[CTOP_ROLE_WARNING] = "warning",
};

/*
 * The built-in themes. themes/default.theme and themes/mono.theme hold the
 * same settings (a unit test checks it), so the files document them.
 */
static const char default_text[] =
	"name = default\n"
	"normal.fg = default\n"		"normal.bg = default\n"
	"header.fg = cyan\n"
	"header_value.fg = default\n"	"header_value.attr = bold\n"
	"meter_low.fg = green\n"
	"meter_mid.fg = yellow\n"
	"meter_high.fg = red\n"		"meter_high.attr = bold\n"
	"title.fg = black\n"		"title.bg = green\n"
	"title_sorted.fg = black\n"	"title_sorted.bg = cyan\n"	"title_sorted.attr = bold\n"
	"selected.fg = black\n"		"selected.bg = cyan\n"
	"host_row.fg = yellow\n"
	"zero.fg = bright-black\n"
	"large.fg = cyan\n"
	"huge.fg = green\n"		"huge.attr = bold\n"
	"tree.fg = cyan\n"
	"cmdline.fg = bright-black\n"
	"graph_cpu.fg = green\n"
	"graph_mem.fg = yellow\n"
	"graph_disk.fg = magenta\n"
	"graph_net.fg = blue\n"		"graph_net.attr = bold\n"
	"footer_key.fg = default\n"	"footer_key.attr = bold\n"
	"footer_text.fg = black\n"	"footer_text.bg = cyan\n"
	"prompt.fg = yellow\n"		"prompt.attr = bold\n"
	"warning.fg = red\n"		"warning.attr = bold\n";

static const char mono_text[] =
	"name = mono\n"
	"header_value.attr = bold\n"
	"meter_low.attr = none\n"
	"meter_mid.attr = bold\n"
	"meter_high.attr = bold\n"
	"title.attr = reverse\n"
	"title_sorted.attr = reverse, bold, underline\n"
	"selected.attr = reverse\n"
	"host_row.attr = bold\n"
	"zero.attr = dim\n"
	"large.attr = none\n"
	"huge.attr = bold\n"
	"tree.attr = none\n"
	"cmdline.attr = dim\n"
	"graph_cpu.attr = none\n"
	"graph_mem.attr = none\n"
	"graph_disk.attr = none\n"
	"graph_net.attr = none\n"
	"footer_key.attr = bold\n"
	"footer_text.attr = reverse\n"
	"prompt.attr = bold\n"
	"warning.attr = bold, underline\n";

static void theme_clear(struct ctop_theme *t)
{
	memset(t, 0, sizeof(*t));
}

void ctop_theme_init_default(struct ctop_theme *t)
{
	struct ctop_theme_error err;

	theme_clear(t);
	ctop_theme_parse(t, default_text, sizeof(default_text) - 1, "(built-in)", &err);
}

void ctop_theme_init_mono(struct ctop_theme *t)
{
	struct ctop_theme_error err;

	/* Mono starts from nothing: every color is the terminal's own. */
	theme_clear(t);
	ctop_theme_parse(t, mono_text, sizeof(mono_text) - 1, "(built-in)", &err);
}

const char *ctop_theme_role_name(enum ctop_color_role r)
{
	if ((unsigned)r >= CTOP_ROLE__COUNT)
		return "?";
	return role_names[r];
}

static const struct {
	const char *name;
	int index;
} color_names[] = {
	{ "black", 0 }, { "red", 1 }, { "green", 2 }, { "yellow", 3 },
	{ "blue", 4 }, { "magenta", 5 }, { "cyan", 6 }, { "white", 7 },
	{ "gray", 8 }, { "grey", 8 },
	{ "bright-black", 8 }, { "bright-red", 9 }, { "bright-green", 10 },
	{ "bright-yellow", 11 }, { "bright-blue", 12 }, { "bright-magenta", 13 },
	{ "bright-cyan", 14 }, { "bright-white", 15 },
};

static int parse_color(const char *s, struct ctop_color *c)
{
	size_t i;
	char *end;
	long v;

	if (!strcasecmp(s, "default") || !strcasecmp(s, "none")) {
		c->kind = CTOP_COLOR_DEFAULT;
		c->value = 0;
		return 0;
	}
	for (i = 0; i < sizeof(color_names) / sizeof(color_names[0]); i++) {
		if (!strcasecmp(s, color_names[i].name)) {
			c->kind = CTOP_COLOR_INDEX;
			c->value = color_names[i].index;
			return 0;
		}
	}
	if (s[0] == '#') {
		if (strlen(s) != 7)
			return -EINVAL;
		for (i = 1; i < 7; i++)
			if (!isxdigit((unsigned char)s[i]))
				return -EINVAL;
		c->kind = CTOP_COLOR_RGB;
		c->value = (uint32_t)strtoul(s + 1, NULL, 16);
		return 0;
	}
	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 255)
		return -EINVAL;
	c->kind = CTOP_COLOR_INDEX;
	c->value = (uint32_t)v;
	return 0;
}

static const struct {
	const char *name;
	unsigned int bit;
} attr_names[] = {
	{ "none", 0 }, { "normal", 0 }, { "bold", CTOP_ATTR_BOLD }, { "dim", CTOP_ATTR_DIM },
	{ "italic", CTOP_ATTR_ITALIC }, { "underline", CTOP_ATTR_UNDERLINE },
	{ "reverse", CTOP_ATTR_REVERSE },
};

/* "bold, underline" or "bold underline". On failure *bad names the word. */
static int parse_attrs(char *s, unsigned int *out, const char **bad)
{
	unsigned int attrs = 0;
	char *save = NULL, *w;
	size_t i;

	for (w = strtok_r(s, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
			if (!strcasecmp(w, attr_names[i].name))
				break;
		if (i == sizeof(attr_names) / sizeof(attr_names[0])) {
			*bad = w;
			return -EINVAL;
		}
		attrs |= attr_names[i].bit;
	}
	*out = attrs;
	return 0;
}

static int set_error(struct ctop_theme_error *err, const char *file, int line, const char *fmt,
		     ...)
{
	va_list ap;

	snprintf(err->file, sizeof(err->file), "%s", file ? file : "(theme)");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->what, sizeof(err->what), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* A '#' after blanks, past the value's first character, starts a comment. */
static void cut_comment(char *v)
{
	char *p;

	for (p = v + 1; *v && *p; p++) {
		if (*p == '#' && isspace((unsigned char)p[-1])) {
			*p = '\0';
			return;
		}
	}
}

/*
 * Messages name the file, the line and our own spelling of the key, never
 * the text of the line: -t /etc/shadow, run as root, must not print it.
 */
static int apply_line(struct ctop_theme *t, char *line, const char *file, int lineno,
		      struct ctop_theme_error *err)
{
	static const char *const parts[] = { "fg", "bg", "attr" };
	const char *part;
	char *eq, *key, *val, *dot;
	size_t i;
	const char *bad = NULL;
	struct ctop_color color;
	unsigned int attrs;
	int r;

	key = trim(line);
	if (!*key || *key == '#')
		return 0;
	eq = strchr(key, '=');
	if (!eq)
		return set_error(err, file, lineno, "expected 'key = value'");
	*eq = '\0';
	val = trim(eq + 1);
	key = trim(key);
	if (!*key)
		return set_error(err, file, lineno, "missing key before '='");
	cut_comment(val);
	val = trim(val);

	if (!strcasecmp(key, "name")) {
		if (!*val)
			return set_error(err, file, lineno, "missing value for 'name'");
		snprintf(t->name, sizeof(t->name), "%s", val);
		return 0;
	}
	dot = strrchr(key, '.');
	if (!dot)
		return 0;	/* unknown key */
	*dot = '\0';
	for (r = 0; r < CTOP_ROLE__COUNT; r++)
		if (!strcasecmp(key, role_names[r]))
			break;
	if (r == CTOP_ROLE__COUNT)
		return 0;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (!strcasecmp(dot + 1, parts[i]))
			break;
	if (i == sizeof(parts) / sizeof(parts[0]))
		return 0;
	part = parts[i];
	if (!*val)
		return set_error(err, file, lineno, "missing value for '%s.%s'", role_names[r], part);
	if (!strcasecmp(part, "attr")) {
		if (parse_attrs(val, &attrs, &bad))
			return set_error(err, file, lineno,
					 "bad attribute for '%s.attr' (use none, bold, dim, italic, "
					 "underline, reverse)", role_names[r]);
		t->style[r].attrs = attrs;
		return 0;
	}
	if (parse_color(val, &color))
		return set_error(err, file, lineno,
				 "bad color for '%s.%s' (use a name, 0-255 or #rrggbb)", role_names[r],
				 part);
	if (!strcmp(part, "fg"))
		t->style[r].fg = color;
	else
		t->style[r].bg = color;
	return 0;
}

int ctop_theme_parse(struct ctop_theme *t, const char *text, size_t len, const char *file,
		     struct ctop_theme_error *err)
{
	char *buf = NULL, *line, *next;
	int lineno = 1, ret = 0;

	if (memchr(text, '\0', len))
		return set_error(err, file, 0, "not a text file");
	buf = malloc(len + 1);
	if (!buf) {
		set_error(err, file, 0, "out of memory");
		return -ENOMEM;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	for (line = buf; line; line = next, lineno++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ret = apply_line(t, line, file, lineno, err);
		if (ret)
			break;
	}
	free(buf);
	return ret;
}

#define THEME_MAX_BYTES (1 << 20)

int ctop_theme_load_file(struct ctop_theme *t, const char *path, struct ctop_theme_error *err)
{
	char *text = NULL;
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	/* O_NONBLOCK: a FIFO or a device must not hold the start-up */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		set_error(err, path, 0, "cannot open theme: %s", strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		set_error(err, path, 0, "cannot read theme: %s", strerror(-ret));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > THEME_MAX_BYTES) {
		ret = set_error(err, path, 0, "not a theme file (a regular file under 1 MiB)");
		goto out;
	}
	text = malloc(THEME_MAX_BYTES + 1);
	if (!text) {
		ret = -ENOMEM;
		set_error(err, path, 0, "out of memory");
		goto out;
	}
	/* to the end, not to st_size: /proc files say 0 and may fail to read */
	while (got <= THEME_MAX_BYTES) {
		n = read(fd, text + got, THEME_MAX_BYTES + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			set_error(err, path, 0, "cannot read theme: %s", strerror(-ret));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if (got > THEME_MAX_BYTES) {
		ret = set_error(err, path, 0, "not a theme file (a regular file under 1 MiB)");
		goto out;
	}
	ctop_theme_init_default(t);
	ret = ctop_theme_parse(t, text, got, path, err);
	if (!ret && !strcmp(t->name, "default")) {
		/* A file without a name is named after itself. */
		const char *base = strrchr(path, '/');
		const char *dot;
		size_t l;

		base = base ? base + 1 : path;
		dot = strrchr(base, '.');
		l = dot && dot != base ? (size_t)(dot - base) : strlen(base);
		if (l >= sizeof(t->name))
			l = sizeof(t->name) - 1;
		memcpy(t->name, base, l);
		t->name[l] = '\0';
	}
out:
	free(text);
	close(fd);
	return ret;
}

static bool valid_name(const char *arg)
{
	return *arg && *arg != '.' && strlen(arg) < CTOP_THEME_NAME_LEN;
}

int ctop_theme_resolve(const char *arg, const char *const *dirs, size_t ndirs, char *path,
		       size_t len)
{
	size_t i;
	int n;

	if (strchr(arg, '/')) {
		if ((size_t)snprintf(path, len, "%s", arg) >= len)
			return -ENAMETOOLONG;
		return access(path, F_OK) ? -ENOENT : 0;
	}
	if (!valid_name(arg))
		return -ENOENT;
	for (i = 0; i < ndirs; i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		n = snprintf(path, len, "%s/%s.theme", dirs[i], arg);
		if (n < 0 || (size_t)n >= len)
			continue;
		if (!access(path, F_OK))
			return 0;
	}
	return -ENOENT;
}

int ctop_theme_load(struct ctop_theme *t, const char *arg, const char *const *dirs, size_t ndirs,
		    struct ctop_theme_error *err)
{
	char path[512];
	int ret;

	ret = ctop_theme_resolve(arg, dirs, ndirs, path, sizeof(path));
	if (ret) {
		if (!strcmp(arg, "default")) {
			ctop_theme_init_default(t);
			return 0;
		}
		if (!strcmp(arg, "mono")) {
			ctop_theme_init_mono(t);
			return 0;
		}
		set_error(err, arg, 0, strchr(arg, '/') ? "no such theme file"
				: "no such theme (looked for %s.theme in ~/.config/ctop-bpf/themes, "
				  "the installed themes and ./themes)", arg);
		return ret;
	}
	return ctop_theme_load_file(t, path, err);
}

static int name_cmp(const void *a, const void *b)
{
	const char *x = a, *y = b;

	if (!strcmp(x, "default"))
		return strcmp(y, "default") ? -1 : 0;
	if (!strcmp(y, "default"))
		return 1;
	return strcmp(x, y);
}

static size_t add_name(char (*names)[CTOP_THEME_NAME_LEN], size_t n, size_t max, const char *s,
		       size_t l)
{
	size_t i;

	if (n >= max || l == 0 || l >= CTOP_THEME_NAME_LEN)
		return n;
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == l && !strncmp(names[i], s, l))
			return n;
	memcpy(names[n], s, l);
	names[n][l] = '\0';
	return n + 1;
}

size_t ctop_theme_list(const char *const *dirs, size_t ndirs, char (*names)[CTOP_THEME_NAME_LEN],
		       size_t max)
{
	struct dirent *de;
	size_t i, n = 0, l;
	DIR *d;

	n = add_name(names, n, max, "default", 7);
	n = add_name(names, n, max, "mono", 4);
	for (i = 0; i < ndirs; i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		d = opendir(dirs[i]);
		if (!d)
			continue;
		while ((de = readdir(d))) {
			l = strlen(de->d_name);
			if (l <= 6 || de->d_name[0] == '.' || strcmp(de->d_name + l - 6, ".theme"))
				continue;
			n = add_name(names, n, max, de->d_name, l - 6);
		}
		closedir(d);
	}
	qsort(names, n, sizeof(names[0]), name_cmp);
	return n;
}

/* The xterm palette: 16 system colors, a 6x6x6 cube, 24 grays. */
static uint32_t xterm_rgb(int i)
{
	static const uint32_t sys[16] = {
		0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
		0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const int lvl[6] = { 0, 95, 135, 175, 215, 255 };
	int g;

	if (i < 16)
		return sys[i];
	if (i < 232) {
		i -= 16;
		return (uint32_t)lvl[i / 36] << 16 | (uint32_t)lvl[(i / 6) % 6] << 8 |
		       (uint32_t)lvl[i % 6];
	}
	g = 8 + (i - 232) * 10;
	return (uint32_t)g << 16 | (uint32_t)g << 8 | (uint32_t)g;
}

static long rgb_dist(uint32_t a, uint32_t b)
{
	long dr = (long)(a >> 16 & 0xff) - (long)(b >> 16 & 0xff);
	long dg = (long)(a >> 8 & 0xff) - (long)(b >> 8 & 0xff);
	long db = (long)(a & 0xff) - (long)(b & 0xff);

	/* Weighted for the eye: green counts most, blue least. */
	return 3 * dr * dr + 4 * dg * dg + 2 * db * db;
}

static int nearest(uint32_t rgb, int from, int to)
{
	long best = -1, d;
	int i, bi = from;

	for (i = from; i < to; i++) {
		d = rgb_dist(rgb, xterm_rgb(i));
		if (best < 0 || d < best) {
			best = d;
			bi = i;
		}
	}
	return bi;
}

int ctop_theme_color_index(struct ctop_color c, int ncolors)
{
	if (ncolors < 8 || c.kind == CTOP_COLOR_DEFAULT)
		return -1;
	if (ncolors > 256)
		ncolors = 256;
	if (c.kind == CTOP_COLOR_INDEX) {
		if ((int)c.value < ncolors)
			return (int)c.value;
		/* bright-x on an 8-color terminal is plain x */
		if (c.value < 16)
			return (int)c.value - 8;
		return nearest(xterm_rgb((int)c.value), 0, ncolors < 16 ? ncolors : 16);
	}
	/* The 16 system colors vary by terminal: prefer the fixed cube and grays. */
	if (ncolors >= 256)
		return nearest(c.value & 0xffffff, 16, 256);
	return nearest(c.value & 0xffffff, 0, ncolors < 16 ? ncolors : 16);
}
