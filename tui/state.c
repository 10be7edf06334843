// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The screen's state between frames: the rows of the current snapshot,
 * filtered and sorted, the selection that follows its container or
 * process, the drill-down, and the message line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "grow.h"
#include "output.h"
#include "ticker.h"
#include "mode.h"
#include "tui_int.h"

void tui_message(struct tui *t, bool warn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_warn = warn;
	t->msg_until = ctop_ticker_now(CLOCK_MONOTONIC) + 4;
}

static const struct ctop_container *find_container(const struct ctop_snapshot *s, const char *id)
{
	size_t i;

	if (!strcmp(id, "host") && s->host_row.is_host)
		return &s->host_row;
	for (i = 0; i < s->ncontainers; i++)
		if (!strcmp(s->containers[i].id, id))
			return &s->containers[i];
	return NULL;
}

static void rebuild_procs(struct tui *t)
{
	const struct ctop_container *c;
	size_t i, n = 0;

	t->drill = NULL;
	t->npv = 0;
	if (!t->drill_id[0])
		return;
	c = find_container(t->snap, t->drill_id);
	if (!c) {
		tui_message(t, true, "%s has exited", t->drill_name);
		t->drill_id[0] = '\0';
		if (t->view == TUI_VIEW_PROCS)
			t->view = TUI_VIEW_TABLE;
		if (t->help_from == TUI_VIEW_PROCS)
			t->help_from = TUI_VIEW_TABLE;
		return;
	}
	t->drill = c;
	if (ctop_grow((void **)&t->pv, &t->pv_cap, c->nprocs, sizeof(*t->pv)))
		return;
	for (i = 0; i < c->nprocs; i++)
		if (ctop_filter_proc(&c->procs[i], t->pfilter))
			t->pv[n++] = &c->procs[i];
	t->npv = n;
	if (ctop_tree_build(&t->ptree, t->pv, n, t->sort, t->reverse, !t->tree)) {
		t->npv = 0;
		t->ptree.nrows = 0;
	}
	/* the selection follows its process */
	for (i = 0; i < t->ptree.nrows; i++) {
		if (t->ptree.rows[i].proc->pid == t->psel_pid) {
			t->psel = i;
			break;
		}
	}
	if (t->psel >= t->ptree.nrows)
		t->psel = t->ptree.nrows ? t->ptree.nrows - 1 : 0;
	t->psel_pid = t->ptree.nrows ? t->ptree.rows[t->psel].proc->pid : 0;
}

void tui_rebuild(struct tui *t)
{
	const struct ctop_snapshot *s = t->snap;
	struct ctop_view_opts vo = { t->sort, t->reverse, t->filter, t->show_host, false, false };
	const struct ctop_container *host;
	size_t i, n;

	t->nrows = 0;
	t->drill = NULL;
	if (!s)
		return;
	if (ctop_grow((void **)&t->rows, &t->rows_cap, s->ncontainers + 1, sizeof(*t->rows)))
		return;
	/* filtered and sorted as batch output has them, the host row last */
	n = ctop_view_containers(s, &vo, t->rows);
	if (t->show_host) {
		/* [host] goes on top (it is the rest of the machine, not a peer),
		 * and the screen's filter applies to it too */
		host = t->rows[--n];
		if (ctop_filter_container(host, t->filter)) {
			memmove(t->rows + 1, t->rows, n * sizeof(*t->rows));
			t->rows[0] = host;
			n++;
		}
	}
	t->nrows = n;

	/* the selection follows its container when the order changes */
	for (i = 0; i < n; i++) {
		if (!strcmp(t->rows[i]->id, t->sel_id)) {
			t->sel = i;
			break;
		}
	}
	if (t->sel >= n)
		t->sel = n ? n - 1 : 0;
	if (n)
		snprintf(t->sel_id, sizeof(t->sel_id), "%s", t->rows[t->sel]->id);
	rebuild_procs(t);
}

int tui_sample(struct tui *t)
{
	const struct ctop_snapshot *s = NULL;
	int ret;

	ret = ctop_source_next(t->src, ctop_ticker_now(CLOCK_MONOTONIC),
			       ctop_ticker_now(CLOCK_REALTIME), &s);
	if (ret) {
		char msg[sizeof(t->msg)];

		tui_source_failed(t->src, ret, msg, sizeof(msg));
		tui_message(t, true, "%s", msg);
		return ret;
	}
	t->snap = s;
	tui_rebuild(t);
	return 0;
}
