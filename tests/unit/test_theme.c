// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "theme.h"

#define FIX "tests/fixtures/themes/"

static struct ctop_theme t;
static struct ctop_theme_error err;

static void color_eq(struct ctop_color c, enum ctop_color_kind kind, uint32_t value)
{
	cr_assert_eq(c.kind, kind);
	if (kind != CTOP_COLOR_DEFAULT)
		cr_assert_eq(c.value, value, "value %#x, want %#x", c.value, value);
}

Test(theme, builtin_default_roles)
{
	ctop_theme_init_default(&t);
	cr_assert_str_eq(t.name, "default");
	color_eq(t.style[CTOP_ROLE_SELECTED].fg, CTOP_COLOR_INDEX, 0);
	color_eq(t.style[CTOP_ROLE_SELECTED].bg, CTOP_COLOR_INDEX, 6);
	color_eq(t.style[CTOP_ROLE_NORMAL].fg, CTOP_COLOR_DEFAULT, 0);
	cr_assert_eq(t.style[CTOP_ROLE_WARNING].attrs, CTOP_ATTR_BOLD);
	for (int r = 0; r < CTOP_ROLE__COUNT; r++)
		cr_assert_neq(strcmp(ctop_theme_role_name(r), "?"), 0);
}

Test(theme, builtin_mono_has_no_colors)
{
	ctop_theme_init_mono(&t);
	cr_assert_str_eq(t.name, "mono");
	for (int r = 0; r < CTOP_ROLE__COUNT; r++) {
		cr_assert_eq(t.style[r].fg.kind, CTOP_COLOR_DEFAULT);
		cr_assert_eq(t.style[r].bg.kind, CTOP_COLOR_DEFAULT);
	}
	cr_assert(t.style[CTOP_ROLE_SELECTED].attrs & CTOP_ATTR_REVERSE);
}

static void same_theme(const struct ctop_theme *a, const struct ctop_theme *b)
{
	cr_assert_str_eq(a->name, b->name);
	for (int r = 0; r < CTOP_ROLE__COUNT; r++) {
		cr_assert_eq(a->style[r].fg.kind, b->style[r].fg.kind, "%s.fg", ctop_theme_role_name(r));
		cr_assert_eq(a->style[r].fg.value, b->style[r].fg.value, "%s.fg", ctop_theme_role_name(r));
		cr_assert_eq(a->style[r].bg.kind, b->style[r].bg.kind, "%s.bg", ctop_theme_role_name(r));
		cr_assert_eq(a->style[r].bg.value, b->style[r].bg.value, "%s.bg", ctop_theme_role_name(r));
		cr_assert_eq(a->style[r].attrs, b->style[r].attrs, "%s.attr", ctop_theme_role_name(r));
	}
}

Test(theme, shipped_files_match_builtins)
{
	struct ctop_theme b;

	cr_assert_eq(ctop_theme_load_file(&t, "themes/default.theme", &err), 0, "%s", err.what);
	ctop_theme_init_default(&b);
	same_theme(&t, &b);
	cr_assert_eq(ctop_theme_load_file(&t, "themes/mono.theme", &err), 0, "%s", err.what);
	ctop_theme_init_mono(&b);
	same_theme(&t, &b);
}

Test(theme, all_shipped_themes_parse)
{
	const char *names[] = { "default", "light", "mono", "solarized-dark", "high-contrast" };
	const char *dirs[] = { "themes" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cr_assert_eq(ctop_theme_load(&t, names[i], dirs, 1, &err), 0, "%s: %s:%d: %s",
			     names[i], err.file, err.line, err.what);
		cr_assert_str_eq(t.name, names[i]);
	}
}

Test(theme, good_file)
{
	cr_assert_eq(ctop_theme_load_file(&t, FIX "good.theme", &err), 0, "%s", err.what);
	cr_assert_str_eq(t.name, "fixture-good");
	color_eq(t.style[CTOP_ROLE_NORMAL].fg, CTOP_COLOR_INDEX, 7);
	color_eq(t.style[CTOP_ROLE_NORMAL].bg, CTOP_COLOR_INDEX, 235);
	color_eq(t.style[CTOP_ROLE_SELECTED].fg, CTOP_COLOR_RGB, 0x002b36);
	color_eq(t.style[CTOP_ROLE_SELECTED].bg, CTOP_COLOR_INDEX, 14);
	cr_assert_eq(t.style[CTOP_ROLE_SELECTED].attrs, CTOP_ATTR_BOLD | CTOP_ATTR_UNDERLINE);
	cr_assert_eq(t.style[CTOP_ROLE_TITLE].attrs, CTOP_ATTR_BOLD | CTOP_ATTR_REVERSE);
	/* not in the file: from the default theme */
	color_eq(t.style[CTOP_ROLE_WARNING].fg, CTOP_COLOR_INDEX, 1);
	color_eq(t.style[CTOP_ROLE_TITLE].bg, CTOP_COLOR_INDEX, 2);
}

Test(theme, missing_keys_fall_back_and_name_from_file)
{
	struct ctop_theme d;

	cr_assert_eq(ctop_theme_load_file(&t, FIX "partial.theme", &err), 0);
	cr_assert_str_eq(t.name, "partial");
	color_eq(t.style[CTOP_ROLE_TREE].fg, CTOP_COLOR_INDEX, 208);
	ctop_theme_init_default(&d);
	t.style[CTOP_ROLE_TREE] = d.style[CTOP_ROLE_TREE];
	strcpy(t.name, d.name);
	same_theme(&t, &d);
}

static void bad(const char *file, int line, const char *what)
{
	cr_assert_eq(ctop_theme_load_file(&t, file, &err), -EINVAL, "%s", file);
	cr_assert_str_eq(err.file, file);
	cr_assert_eq(err.line, line, "%s: line %d, want %d (%s)", file, err.line, line, err.what);
	cr_assert(strstr(err.what, what), "%s: '%s' lacks '%s'", file, err.what, what);
}

Test(theme, bad_files_name_file_and_line)
{
	bad(FIX "bad_color.theme", 3, "bad color for 'header.fg'");
	bad(FIX "bad_line.theme", 4, "expected 'key = value'");
	bad(FIX "bad_attr.theme", 1, "bad attribute for 'warning.attr'");
	bad(FIX "bad_number.theme", 2, "bad color for ");
	bad(FIX "bad_hex.theme", 1, "bad color for ");
	bad(FIX "empty_value.theme", 3, "missing value for 'tree.fg'");
	/* the message never quotes the file: the value is not in it */
	bad(FIX "bad_color.theme", 3, "bad color");
	cr_assert_null(strstr(err.what, "purple"), "%s", err.what);
}

/* A temporary file holding text; its path in path. */
static void temp_file(char *path, size_t len, const char *text)
{
	int fd;

	snprintf(path, len, "/tmp/ctop-theme-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/*
 * Run as root, -t /etc/shadow printed its first line. A theme error names
 * the file and the line, never what the line holds, nor keys or values.
 */
Test(theme, errors_never_quote_the_file)
{
	static const char *const texts[] = {
		"root:$y$j9T$s3cr3tSALT$h4sh:19700:0:99999:7:::\n",
		"# ok\nselected.fg = s3cr3t\n",
		"header.attr = bold s3cr3t\n",
		"s3cr3t.fg =\n",
		"normal.bg=#s3cr3t\n",
	};
	char path[64];
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		temp_file(path, sizeof(path), texts[i]);
		cr_expect_eq(ctop_theme_load_file(&t, path, &err), i == 3 ? 0 : -EINVAL, "%zu", i);
		unlink(path);
		if (i == 3)
			continue;	/* an unknown key is no error */
		cr_expect_str_eq(err.file, path);
		cr_expect_gt(err.line, 0, "%zu: no line number", i);
		cr_expect_null(strstr(err.what, "s3cr3t"), "%zu: %s", i, err.what);
		cr_expect_null(strstr(err.what, "root:"), "%zu: %s", i, err.what);
	}
}

/* mkfifo /tmp/f; ctop-bpf -t /tmp/f waited forever for a writer. */
Test(theme, fifo_is_refused_at_once, .timeout = 5)
{
	char dir[] = "/tmp/ctop-theme-XXXXXX", path[64];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fifo.theme", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_expect_eq(ctop_theme_load_file(&t, path, &err), -EINVAL);
	cr_expect(strstr(err.what, "not a theme file"), "%s", err.what);
	unlink(path);
	rmdir(dir);
}

/* Files that are not what their size says: /proc/self/mem is "regular" and 0 bytes long. */
Test(theme, proc_files_are_read_not_trusted, .timeout = 5)
{
	cr_expect_lt(ctop_theme_load_file(&t, "/proc/self/mem", &err), 0);
	cr_expect_eq(err.line, 0, "%s", err.what);
	/* /proc/self/status has a size of 0 too, and is read: line 1 is not a theme */
	cr_expect_eq(ctop_theme_load_file(&t, "/proc/self/status", &err), -EINVAL);
	cr_expect_eq(err.line, 1, "%s", err.what);
	cr_expect_lt(ctop_theme_load_file(&t, "/dev/zero", &err), 0);
	cr_expect_lt(ctop_theme_load_file(&t, "/dev/null", &err), 0);
	cr_expect_lt(ctop_theme_load_file(&t, "/tmp", &err), 0);
}

Test(theme, parse_from_memory)
{
	const char txt[] = "  # c\n\r\nheader.fg=RED\r\n = x\n";

	ctop_theme_init_default(&t);
	cr_assert_eq(ctop_theme_parse(&t, txt, sizeof(txt) - 1, "mem", &err), -EINVAL);
	cr_assert_eq(err.line, 4);
	cr_assert_str_eq(err.what, "missing key before '='");
	color_eq(t.style[CTOP_ROLE_HEADER].fg, CTOP_COLOR_INDEX, 1);
	cr_assert_eq(ctop_theme_parse(&t, "a\0b", 3, "bin", &err), -EINVAL);
}

Test(theme, missing_file_and_not_found)
{
	const char *dirs[] = { "/nonexistent", "themes" };

	cr_assert_eq(ctop_theme_load_file(&t, "/nonexistent/x.theme", &err), -ENOENT);
	cr_assert_eq(err.line, 0);
	cr_assert(strstr(err.what, "cannot open"));
	cr_assert_eq(ctop_theme_load(&t, "no-such-theme", dirs, 2, &err), -ENOENT);
	cr_assert_str_eq(err.file, "no-such-theme");
	cr_assert(strstr(err.what, "no such theme"));
	cr_assert_eq(ctop_theme_load(&t, "../etc/passwd", dirs, 2, &err), -ENOENT);
	/* the built-ins need no file */
	cr_assert_eq(ctop_theme_load(&t, "mono", NULL, 0, &err), 0);
	cr_assert_str_eq(t.name, "mono");
	cr_assert_eq(ctop_theme_load(&t, "default", NULL, 0, &err), 0);
}

Test(theme, resolve_order)
{
	char d1[] = "/tmp/ctop-theme-XXXXXX", path[512], f[600];
	const char *dirs[] = { d1, "themes" };
	FILE *fp;

	cr_assert(mkdtemp(d1));
	cr_assert_eq(ctop_theme_resolve("light", dirs, 2, path, sizeof(path)), 0);
	cr_assert_str_eq(path, "themes/light.theme");
	snprintf(f, sizeof(f), "%s/light.theme", d1);
	fp = fopen(f, "w");
	cr_assert(fp);
	fputs("name = mine\n", fp);
	fclose(fp);
	cr_assert_eq(ctop_theme_resolve("light", dirs, 2, path, sizeof(path)), 0);
	cr_assert_str_eq(path, f);
	cr_assert_eq(ctop_theme_load(&t, "light", dirs, 2, &err), 0);
	cr_assert_str_eq(t.name, "mine");
	/* a path is taken as it is */
	cr_assert_eq(ctop_theme_resolve(FIX "good.theme", dirs, 2, path, sizeof(path)), 0);
	cr_assert_str_eq(path, FIX "good.theme");
	unlink(f);
	rmdir(d1);
}

Test(theme, list)
{
	const char *dirs[] = { "themes", "tests/fixtures/themes", "/nonexistent" };
	char names[32][CTOP_THEME_NAME_LEN];
	size_t n, i;
	bool light = false, good = false;

	n = ctop_theme_list(dirs, 1, names, 32);
	cr_assert_geq(n, 5);
	cr_assert_str_eq(names[0], "default");
	for (i = 1; i < n; i++) {
		cr_assert_lt(strcmp(names[i - 1], names[i]), i == 1 ? 1 : 0);
		light |= !strcmp(names[i], "light");
	}
	cr_assert(light);
	n = ctop_theme_list(dirs, 3, names, 32);
	for (i = 0; i < n; i++)
		good |= !strcmp(names[i], "good");
	cr_assert(good);
	cr_assert_eq(ctop_theme_list(dirs, 3, names, 2), 2);
}

Test(theme, color_index)
{
	struct ctop_color def = { CTOP_COLOR_DEFAULT, 0 };
	struct ctop_color red = { CTOP_COLOR_INDEX, 1 };
	struct ctop_color bred = { CTOP_COLOR_INDEX, 9 };
	struct ctop_color i208 = { CTOP_COLOR_INDEX, 208 };
	struct ctop_color rgb_red = { CTOP_COLOR_RGB, 0xff0000 };
	struct ctop_color base03 = { CTOP_COLOR_RGB, 0x002b36 };
	struct ctop_color gray = { CTOP_COLOR_RGB, 0x808080 };

	cr_assert_eq(ctop_theme_color_index(def, 256), -1);
	cr_assert_eq(ctop_theme_color_index(red, 2), -1);
	cr_assert_eq(ctop_theme_color_index(red, 8), 1);
	cr_assert_eq(ctop_theme_color_index(bred, 16), 9);
	cr_assert_eq(ctop_theme_color_index(bred, 8), 1);
	cr_assert_eq(ctop_theme_color_index(i208, 256), 208);
	cr_assert_lt(ctop_theme_color_index(i208, 16), 16);
	cr_assert_eq(ctop_theme_color_index(rgb_red, 256), 196);
	cr_assert_eq(ctop_theme_color_index(rgb_red, 8), 1);
	cr_assert_eq(ctop_theme_color_index(rgb_red, 1 << 24), 196);
	cr_assert_eq(ctop_theme_color_index(base03, 256), 234);	/* #1c1c1c */
	cr_assert_eq(ctop_theme_color_index(gray, 256), 244);	/* #808080 */
}
