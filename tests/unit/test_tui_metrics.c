// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The screen's columns come from the metric table: an entry is enough for one to appear. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>
#include "tui_int.h"

static void utf8(void)
{
	cr_assert(setlocale(LC_ALL, "C.UTF-8"));
}

TestSuite(columns, .init = utf8);

Test(columns, every_metric_of_a_table_is_a_column_with_its_title_and_key)
{
	static const enum tui_table tables[] = { TUI_TABLE_CONTAINERS, TUI_TABLE_PROCS };
	static char text[4096];
	struct tui_layout l;
	struct tui_line line;
	size_t t;
	int m;

	for (t = 0; t < 2; t++) {
		unsigned rows = tables[t] == TUI_TABLE_PROCS ? CTOP_ROW_PROC : CTOP_ROW_CONTAINER;

		tui_layout_fit(&l, tables[t], 400, CTOP_SORT_NAME);
		tui_title_line(&l, CTOP_SORT_NAME, false, true, &line);
		tui_line_text(&line, 400, text, sizeof(text));
		for (m = 0; m < CTOP_M__ALL; m++) {
			const struct ctop_metric_desc *d = ctop_metric_get((enum ctop_metric)m);
			enum tui_col c = (enum tui_col)(TUI_COL_METRIC + m);

			/* a metric of no width is in the JSON only */
			cr_assert_eq(tui_layout_has(&l, c), (d->rows & rows) && d->width,
				     "%s in table %zu", d->name, t);
			if (!(d->rows & rows)) {
				cr_assert_eq(tui_col_sort_key(c, tables[t]), -1, "%s", d->name);
				continue;
			}
			if (!d->width)
				continue;
			cr_assert_not_null(strstr(text, d->title), "%s not in: %s", d->title, text);
			cr_assert_eq(tui_col_sort_key(c, tables[t]), (int)d->sort, "%s", d->name);
			cr_assert(tui_col_sorted(c, d->sort, tables[t]), "%s", d->name);
			if (d->sum != CTOP_SORT__COUNT)
				cr_assert(tui_col_sorted(c, d->sum, tables[t]), "%s", d->name);
		}
	}
}

/* A sorted metric's column stays however narrow the screen. */
Test(columns, the_sorted_metric_never_drops)
{
	struct tui_layout l;
	int m, w;

	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = ctop_metric_get((enum ctop_metric)m);
		enum tui_table t = d->rows & CTOP_ROW_CONTAINER ? TUI_TABLE_CONTAINERS
								: TUI_TABLE_PROCS;

		if (!d->width)
			continue;

		for (w = 20; w < 200; w += 7) {
			tui_layout_fit(&l, t, w, d->sort);
			cr_assert(tui_layout_has(&l, (enum tui_col)(TUI_COL_METRIC + m)),
				  "%s sorted but dropped at %d columns", d->name, w);
		}
	}
}
