// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The container table: one line a container, the columns that fit. */
#include "tui_int.h"

void tui_view_table(struct tui *t, int y0, int h, int width)
{
	struct tui_layout lay;
	struct tui_line line;
	size_t i;
	int y;

	if (h < 1)
		return;
	tui_draw_titles(t, TUI_TABLE_CONTAINERS, y0, width, &lay);
	if (h < 2)
		return;
	tui_scroll(&t->sel, &t->top, t->nrows, (size_t)(h - 1));
	for (i = t->top, y = y0 + 1; i < t->nrows && y < y0 + h; i++, y++) {
		tui_container_line(&lay, t->rows[i], i == t->sel, &line);
		tui_draw_line(y, &line, width);
	}
	if (!t->nrows && t->snap)
		tui_put(y0 + 1, 1, width, CTOP_ROLE_ZERO,
			t->filter[0] ? "no container matches the filter (Esc clears it)"
				     : "no containers running (a shows the host)");
}
