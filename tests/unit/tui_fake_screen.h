/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The screen's state on the made-up snapshot, without a terminal. */
#ifndef CTOP_TUI_FAKE_SCREEN_H
#define CTOP_TUI_FAKE_SCREEN_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include "tui_int.h"
#include "unit/tui_fake.h"

/* A screen sorted by CPU, 1 s refresh, tree view; snap may be NULL. */
static inline struct tui *fake_screen_new(const struct ctop_options *opts,
					  const struct ctop_snapshot *snap)
{
	struct tui *t = calloc(1, sizeof(*t));

	cr_assert(t);
	t->opts = opts;
	t->sort = CTOP_SORT_CPU;
	t->tree = true;
	t->delay = 1.0;
	ctop_tree_init(&t->ptree);
	t->snap = snap;
	tui_rebuild(t);
	return t;
}

static inline void fake_screen_free(struct tui *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t->pv);
	ctop_tree_fini(&t->ptree);
	free(t);
}

#endif /* CTOP_TUI_FAKE_SCREEN_H */
