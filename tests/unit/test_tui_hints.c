// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The footer and the help are made from the key table: every key they
 * name must act in the views where they name it. The keys are read back
 * from the text as the user sees it, then pressed.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <ncurses.h>
#include "unit/tui_fake_screen.h"

static struct tui *t;
static struct ctop_options opts;

/* A new screen on the made-up snapshot, in view v. */
static void fresh(enum tui_view v)
{
	fake_screen_free(t);
	opts.delay = 1.0;
	t = fake_screen_new(&opts, fake_snapshot());
	if (v == TUI_VIEW_PROCS) {
		tui_key(t, '\n');
		tui_rebuild(t);
	} else if (v == TUI_VIEW_GRAPH) {
		tui_key(t, 'g');
	} else if (v == TUI_VIEW_HELP) {
		tui_key(t, 'h');
	}
	cr_assert_eq(t->view, v);
}

static void teardown(void)
{
	fake_screen_free(t);
	t = NULL;
}

TestSuite(hints, .fini = teardown);

/* The key codes a name stands for; 0 for a name not known here. */
static int key_code(const char *name)
{
	static const struct {
		const char *name;
		int key;
	} names[] = {
		{ "Esc", 27 }, { "Backspace", KEY_BACKSPACE }, { "Enter", '\n' }, { "Space", ' ' },
		{ "Up", KEY_UP }, { "Down", KEY_DOWN }, { "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE },
		{ "Home", KEY_HOME }, { "End", KEY_END }, { "F1", KEY_F(1) }, { "F10", KEY_F(10) },
		{ "Ctrl-C", 3 }, { "Ctrl-L", 12 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].name, name))
			return names[i].key;
	return strlen(name) == 1 ? (unsigned char)name[0] : 0;
}

/* One name, or names joined by '/' ("Up/Down"), or one key a character ("+-"). */
static size_t token_keys(char *tok, const char *text, int *keys, size_t max)
{
	char *slash = strchr(tok, '/'), *save, *part;
	size_t n = 0;

	if (key_code(tok)) {
		keys[n++] = key_code(tok);
		return n;
	}
	if (slash && tok[1]) {
		for (part = strtok_r(tok, "/", &save); part && n < max;
		     part = strtok_r(NULL, "/", &save)) {
			cr_assert(key_code(part), "no key is called '%s' (in '%s')", part, text);
			keys[n++] = key_code(part);
		}
		return n;
	}
	/* only signs run together ("+-"): letters would be a name not known here */
	for (; *tok && n < max; tok++) {
		cr_assert(!isalnum((unsigned char)*tok), "no key is called '%s' (in '%s')", tok,
			  text);
		keys[n++] = (unsigned char)*tok;
	}
	return n;
}

/*
 * Splits what the text calls the keys ("c m d n p N", "Up/Down, k/j",
 * "+-", "/") into key codes. Returns how many.
 */
static size_t keys_of(const char *text, int *keys, size_t max)
{
	char buf[64], *tok, *save;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, " ,", &save); tok && n < max; tok = strtok_r(NULL, " ,", &save))
		n += token_keys(tok, text, keys + n, max - n);
	return n;
}

Test(hints, every_key_the_footer_names_acts_in_its_view)
{
	struct tui_hint h[32];
	int keys[16];
	size_t n, i, nk, k;
	enum tui_view v;

	for (v = TUI_VIEW_TABLE; v <= TUI_VIEW_HELP; v++) {
		fresh(v);
		n = tui_key_hints(v, h, 32);
		cr_assert_geq(n, 2, "view %d has hints", v);
		cr_assert_str_eq(h[n - 1].what, "Quit", "Quit comes last, the footer keeps its room");
		for (i = 0; i < n; i++) {
			nk = keys_of(h[i].keys, keys, 16);
			cr_assert_gt(nk, 0, "'%s'", h[i].keys);
			for (k = 0; k < nk; k++) {
				fresh(v);
				cr_assert_neq(tui_key(t, keys[k]), 0, "view %d: '%s' (%s) does nothing",
					      v, h[i].keys, h[i].what);
			}
		}
	}
}

/* A view's hints as one line of text, as the footer shows them at full width. */
static const char *footer(enum tui_view v)
{
	static char line[32 * 64];
	struct tui_hint h[32];
	size_t n = tui_key_hints(v, h, 32), i;

	line[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, h[i].keys);
		strcat(line, " ");
		strcat(line, h[i].what);
	}
	return line;
}

Test(hints, the_footers_read_as_before)
{
	cr_assert_str_eq(footer(TUI_VIEW_TABLE), "h Help / Filter Enter Procs g Graphs c m d n p N "
						 "Sort r Reverse Space Pause a Host +- Delay T Theme q Quit");
	cr_assert_str_eq(footer(TUI_VIEW_PROCS), "h Help Esc Back / Filter t Tree/flat c m d n p N "
						 "Sort r Reverse Space Pause g Graphs q Quit");
	cr_assert_str_eq(footer(TUI_VIEW_GRAPH), "h Help Esc Back Enter Procs / Filter c m d n p N "
						 "Sort Space Pause q Quit");
	cr_assert_str_eq(footer(TUI_VIEW_HELP), "Esc Back Up Down PgUp PgDn Scroll q Quit");
}

/* Each key the help names acts in at least one view. */
Test(hints, every_key_the_help_names_acts)
{
	const char *const *lines;
	size_t n = tui_help_lines(&lines), i, nk, k, named = 0;
	char label[17];
	int keys[16], acted;
	enum tui_view v;
	bool in_keys = false;

	for (i = 0; i < n; i++) {
		if (!strcmp(lines[i], "VIEWS"))
			in_keys = true;
		if (!strcmp(lines[i], "COLUMNS"))
			in_keys = false;
		if (!in_keys || strncmp(lines[i], "  ", 2) || lines[i][2] == ' ')
			continue;
		snprintf(label, sizeof(label), "%.16s", lines[i] + 2);
		for (k = strlen(label); k > 0 && label[k - 1] == ' '; k--)
			label[k - 1] = '\0';
		nk = keys_of(label, keys, 16);
		cr_assert_gt(nk, 0, "help line %zu: '%s'", i, lines[i]);
		for (k = 0; k < nk; k++) {
			acted = 0;
			for (v = TUI_VIEW_TABLE; v <= TUI_VIEW_HELP && !acted; v++) {
				fresh(v);
				acted = tui_key(t, keys[k]);
			}
			cr_assert(acted, "'%s' (help line %zu) does nothing anywhere", label, i);
			named++;
		}
	}
	cr_assert_geq(named, 30, "the help names %zu keys", named);
}
