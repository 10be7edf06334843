// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Putting text and lines built by layout.c and the views on the terminal. */
#include <ncurses.h>
#include "tui_int.h"

int tui_put(int y, int x, int maxx, enum ctop_color_role role, const char *s)
{
	char buf[TUI_CELL_BYTES];
	int w;

	if (x >= maxx)
		return x;
	w = tui_width(s);
	if (w > maxx - x)
		w = maxx - x;
	tui_fit(buf, sizeof(buf), s, w, false);
	attrset(tui_term_attr(role));
	mvaddstr(y, x, buf);
	return x + w;
}

void tui_draw_titles(const struct tui *t, enum tui_table table, int y, int width,
		     struct tui_layout *lay)
{
	struct tui_line line;

	tui_layout_fit(lay, table, width, t->sort);
	if (t->snap)
		lay->probes = t->snap->host.probes;
	tui_title_line(lay, t->sort, t->reverse, t->utf8, &line);
	tui_draw_line(y, &line, width);
}

void tui_draw_line(int y, const struct tui_line *l, int width)
{
	int i, w;

	/* the line's own background first, so gaps between cells get it too */
	attrset(tui_term_attr(l->base));
	mvhline(y, 0, ' ', width);
	for (i = 0; i < l->n; i++) {
		const struct tui_cell *c = &l->c[i];

		if (c->x >= width)
			break;
		w = c->w;
		if (c->x + w > width) {
			char buf[TUI_CELL_BYTES];

			tui_fit(buf, sizeof(buf), c->text, width - c->x, false);
			attrset(tui_term_attr(c->role));
			mvaddstr(y, c->x, buf);
			continue;
		}
		attrset(tui_term_attr(c->role));
		mvaddstr(y, c->x, c->text);
	}
}
