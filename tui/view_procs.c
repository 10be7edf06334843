// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The drill-down: the processes of one container, as a tree or a flat list. */
#include <stdio.h>
#include "tui_int.h"

void tui_view_procs(struct tui *t, int y0, int h, int width)
{
	const struct ctop_container *c = t->drill;
	struct tui_layout lay;
	struct tui_line line;
	char buf[512];
	size_t i;
	int y, x;

	if (h < 1)
		return;
	x = tui_put(y0, 0, width, CTOP_ROLE_HEADER, "Processes of ");
	x = tui_put(y0, x, width, CTOP_ROLE_HEADER_VALUE, t->drill_name);
	if (c) {
		snprintf(buf, sizeof(buf), "  %.12s  %s  %zu shown  %s",
			 c->is_host ? "host" : c->id, c->image, t->ptree.nrows,
			 t->tree ? "tree" : "flat");
		x = tui_put(y0, x, width, CTOP_ROLE_HEADER, buf);
		if (t->pfilter[0] && !t->editing) {
			x = tui_put(y0, x, width, CTOP_ROLE_HEADER, "  Filter ");
			tui_put(y0, x, width, CTOP_ROLE_PROMPT, t->pfilter);
		}
	}
	if (h < 2)
		return;
	tui_draw_titles(t, TUI_TABLE_PROCS, y0 + 1, width, &lay);
	if (h < 3)
		return;
	tui_scroll(&t->psel, &t->ptop, t->ptree.nrows, (size_t)(h - 2));
	for (i = t->ptop, y = y0 + 2; i < t->ptree.nrows && y < y0 + h; i++, y++) {
		tui_proc_line(&lay, &t->ptree, i, t->utf8, i == t->psel, &line);
		tui_draw_line(y, &line, width);
	}
	if (!t->ptree.nrows)
		tui_put(y0 + 2, 1, width, CTOP_ROLE_ZERO,
			t->pfilter[0] ? "no process matches the filter" : "no processes");
}
