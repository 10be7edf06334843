// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Putting lines on the terminal: the header, the footer, the frame. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ncurses.h>
#include "format.h"
#include "tui_int.h"

/* Text at (y, x) in a role, cut at the right edge. Returns the next x. */
static int put(int y, int x, int maxx, enum ctop_color_role role, const char *s)
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

/* [|||||       25.0%] */
static void meter(int y, int x, int w, const char *label, double frac, const char *text)
{
	char bar[512];
	int inner, fill, tl;

	x = put(y, x, x + w, CTOP_ROLE_HEADER, label);
	x = put(y, x, x + w, CTOP_ROLE_HEADER, "[");
	inner = w - (int)strlen(label) - 2;
	if (inner < 1)
		return;
	tl = (int)strlen(text);
	fill = tui_meter_fill(frac, inner);
	if (fill > (int)sizeof(bar) - 1)
		fill = (int)sizeof(bar) - 1;
	memset(bar, '|', (size_t)fill);
	bar[fill] = '\0';
	put(y, x, x + inner, tui_meter_role(frac), bar);
	if (tl <= inner)
		put(y, x + inner - tl, x + inner, CTOP_ROLE_HEADER_VALUE, text);
	put(y, x + inner, x + inner + 1, CTOP_ROLE_HEADER, "]");
}

static int header_lines(int height)
{
	if (height >= 10)
		return 3;
	if (height >= 6)
		return 1;
	return 0;
}

int tui_draw_header(struct tui *t, int width, int height)
{
	const struct ctop_snapshot *s = t->snap;
	int lines = header_lines(height), y = 0, x, half;
	char a[64], b[64], buf[256];
	double frac;

	if (!lines)
		return 0;
	if (lines == 3) {
		x = put(y, 0, width, CTOP_ROLE_HEADER_VALUE, "ctop-bpf");
		if (s) {
			x = put(y, x, width, CTOP_ROLE_HEADER, " on ");
			x = put(y, x, width, CTOP_ROLE_HEADER_VALUE, s->host.hostname);
			x = put(y, x, width, CTOP_ROLE_HEADER, "  kernel ");
			x = put(y, x, width, CTOP_ROLE_HEADER_VALUE, s->host.kernel);
			snprintf(buf, sizeof(buf), "%d", s->host.cpus);
			x = put(y, x, width, CTOP_ROLE_HEADER, "  CPUs ");
			x = put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
			snprintf(buf, sizeof(buf), "net %s, file %s, blk %s",
				 ctop_probe_name(s->host.probes.net),
				 ctop_probe_name(s->host.probes.file),
				 ctop_probe_name(s->host.probes.storage));
			/* Only whole: a cut-off probe name would mislead. */
			if (x + 9 + (int)strlen(buf) + 10 <= width) {
				x = put(y, x, width, CTOP_ROLE_HEADER, "  probes ");
				x = put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
			}
			if (s->time > 0) {
				time_t tt = (time_t)s->time;
				struct tm tm;

				localtime_r(&tt, &tm);
				strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
				if (x + 10 <= width)
					put(y, width - 8, width, CTOP_ROLE_HEADER_VALUE, buf);
			}
		} else {
			put(y, x, width, CTOP_ROLE_HEADER, "  reading the kernel's counters...");
		}
		y++;
		half = width / 2;
		if (s) {
			frac = s->host.cpus > 0 ? s->host.cpu_pct / (100.0 * s->host.cpus) : 0;
			snprintf(buf, sizeof(buf), "%s/%d%%", ctop_fmt_pct(a, sizeof(a), s->host.cpu_pct),
				 s->host.cpus * 100);
			meter(y, 0, half - 1, "CPU ", frac, buf);
			frac = s->host.mem_total_bytes ? (double)s->host.mem_used_bytes /
							 (double)s->host.mem_total_bytes : 0;
			snprintf(buf, sizeof(buf), "%s/%s",
				 ctop_fmt_bytes(a, sizeof(a), (double)s->host.mem_used_bytes),
				 ctop_fmt_bytes(b, sizeof(b), (double)s->host.mem_total_bytes));
			meter(y, half + 1, width - half - 1, "MEM ", frac, buf);
		}
		y++;
	}
	/* the summary line */
	x = 0;
	if (s && t->filter[0]) {
		size_t shown = t->nrows - (t->nrows && t->rows[0]->is_host ? 1 : 0);

		/* what the filter leaves, of how many */
		snprintf(buf, sizeof(buf), "%zu/%zu", shown, s->ncontainers);
	} else {
		snprintf(buf, sizeof(buf), "%zu", s ? s->ncontainers : 0);
	}
	x = put(y, x, width, CTOP_ROLE_HEADER, "Containers ");
	x = put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
	snprintf(buf, sizeof(buf), "%u", s ? s->host.nprocs : 0);
	x = put(y, x, width, CTOP_ROLE_HEADER, "  Procs ");
	x = put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
	x = put(y, x, width, CTOP_ROLE_HEADER, "  Every ");
	x = put(y, x, width, CTOP_ROLE_HEADER_VALUE, ctop_fmt_seconds(a, sizeof(a), t->delay));
	snprintf(buf, sizeof(buf), "%s%s", ctop_sort_key_name(t->sort),
		 t->reverse ? (t->utf8 ? "\u25b2" : "^") : (t->utf8 ? "\u25bc" : "v"));
	x = put(y, x, width, CTOP_ROLE_HEADER, "  Sort ");
	x = put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
	if (t->filter[0] && !(t->editing && t->view != TUI_VIEW_PROCS)) {
		x = put(y, x, width, CTOP_ROLE_HEADER, "  Filter ");
		x = put(y, x, width, CTOP_ROLE_PROMPT, t->filter);
	}
	if (t->paused)
		x = put(y, x, width, CTOP_ROLE_WARNING, "  PAUSED");
	if (s && s->host.lost_events) {
		snprintf(buf, sizeof(buf), "  Lost events %llu",
			 (unsigned long long)s->host.lost_events);
		put(y, x, width, CTOP_ROLE_WARNING, buf);
	}
	return lines;
}

struct hint {
	const char *key, *what;
};

static const struct hint table_hints[] = {
	{ "h", "Help" }, { "/", "Filter" }, { "Enter", "Procs" }, { "g", "Graphs" },
	{ "c m d n p N", "Sort" }, { "r", "Reverse" }, { "Space", "Pause" }, { "a", "Host" },
	{ "+-", "Delay" }, { "T", "Theme" }, { NULL, NULL },
};
static const struct hint procs_hints[] = {
	{ "h", "Help" }, { "Esc", "Back" }, { "/", "Filter" }, { "t", "Tree/flat" },
	{ "c m d n p N", "Sort" }, { "r", "Reverse" }, { "Space", "Pause" }, { "g", "Graphs" },
	{ NULL, NULL },
};
static const struct hint graph_hints[] = {
	{ "h", "Help" }, { "Esc", "Back" }, { "Enter", "Procs" }, { "/", "Filter" },
	{ "c m d n p N", "Sort" }, { "Space", "Pause" }, { NULL, NULL },
};
static const struct hint help_hints[] = {
	{ "Esc", "Back" }, { "Up Down PgUp PgDn", "Scroll" }, { NULL, NULL },
};

void tui_draw_footer(struct tui *t, int y, int width)
{
	const struct hint *h = t->view == TUI_VIEW_PROCS ? procs_hints
			      : t->view == TUI_VIEW_GRAPH ? graph_hints
			      : t->view == TUI_VIEW_HELP ? help_hints : table_hints;
	const int quit_w = 7;	/* "q Quit " */
	char buf[TUI_FILTER_LEN + 64];
	int x = 0, w;

	attrset(tui_term_attr(CTOP_ROLE_FOOTER_TEXT));
	mvhline(y, 0, ' ', width);
	if (t->editing) {
		snprintf(buf, sizeof(buf), "%s: %s", t->view == TUI_VIEW_PROCS ? "Filter processes"
						     : "Filter containers", t->view == TUI_VIEW_PROCS
						     ? t->pfilter : t->filter);
		x = put(y, 0, width, CTOP_ROLE_PROMPT, buf);
		x = put(y, x, width, CTOP_ROLE_PROMPT, "_");
		put(y, x, width, CTOP_ROLE_FOOTER_TEXT, "  Enter keep  Esc clear");
		return;
	}
	if (t->msg[0]) {
		put(y, 0, width, t->msg_warn ? CTOP_ROLE_WARNING : CTOP_ROLE_PROMPT, t->msg);
		return;
	}
	for (; h->key; h++) {
		w = tui_width(h->key) + 1 + (int)strlen(h->what) + 1;
		if (x + w > width - quit_w)
			break;
		x = put(y, x, width, CTOP_ROLE_FOOTER_KEY, h->key);
		x = put(y, x, width, CTOP_ROLE_FOOTER_TEXT, " ");
		x = put(y, x, width, CTOP_ROLE_FOOTER_TEXT, h->what);
		x = put(y, x, width, CTOP_ROLE_FOOTER_TEXT, " ");
	}
	x = put(y, x, width, CTOP_ROLE_FOOTER_KEY, "q");
	put(y, x, width, CTOP_ROLE_FOOTER_TEXT, " Quit");
}

void tui_scroll(size_t *sel, size_t *top, size_t n, size_t h)
{
	if (h < 1)
		h = 1;
	if (*sel >= n)
		*sel = n ? n - 1 : 0;
	if (*top > *sel)
		*top = *sel;
	if (*sel >= *top + h)
		*top = *sel - h + 1;
	/* no blank space below the last row when rows would fit */
	if (n > h && *top > n - h)
		*top = n - h;
	if (n <= h)
		*top = 0;
}

/* The body between header and footer for the current LINES. */
static void body(const struct tui *t, int *y0, int *h)
{
	int lines = LINES, hl = t->view == TUI_VIEW_HELP ? 0 : header_lines(lines);

	*y0 = hl;
	*h = lines - hl - 1;
	if (*h < 0)
		*h = 0;
}

int tui_page_rows(const struct tui *t)
{
	int y0, h;

	body(t, &y0, &h);
	switch (t->view) {
	case TUI_VIEW_TABLE:
		return h - 1;	/* the column titles */
	case TUI_VIEW_PROCS:
		return h - 2;	/* the container line and the titles */
	case TUI_VIEW_GRAPH:
		return h / 5 > 0 ? h / 5 : 1;
	default:
		return h;
	}
}

void tui_draw(struct tui *t, bool clear_all)
{
	int width = COLS, height = LINES, y0, h;

	if (clear_all)
		clearok(curscr, TRUE);
	attrset(tui_term_attr(CTOP_ROLE_NORMAL));
	erase();
	if (width < 20 || height < 3) {
		put(0, 0, width, CTOP_ROLE_WARNING, "ctop-bpf: terminal too small");
		refresh();
		return;
	}
	if (t->view != TUI_VIEW_HELP)
		tui_draw_header(t, width, height);
	body(t, &y0, &h);
	switch (t->view) {
	case TUI_VIEW_TABLE:
		tui_view_table(t, y0, h, width);
		break;
	case TUI_VIEW_PROCS:
		tui_view_procs(t, y0, h, width);
		break;
	case TUI_VIEW_GRAPH:
		tui_view_graph(t, y0, h, width);
		break;
	case TUI_VIEW_HELP:
		tui_view_help(t, y0, h, width);
		break;
	}
	tui_draw_footer(t, height - 1, width);
	refresh();
}

void tui_view_table(struct tui *t, int y0, int h, int width)
{
	struct tui_layout lay;
	struct tui_line line;
	size_t i;
	int y;

	if (h < 1)
		return;
	tui_layout_fit(&lay, TUI_TABLE_CONTAINERS, width, t->sort);
	if (t->snap)
		lay.probes = t->snap->host.probes;
	tui_title_line(&lay, t->sort, t->reverse, t->utf8, &line);
	tui_draw_line(y0, &line, width);
	if (h < 2)
		return;
	tui_scroll(&t->sel, &t->top, t->nrows, (size_t)(h - 1));
	for (i = t->top, y = y0 + 1; i < t->nrows && y < y0 + h; i++, y++) {
		tui_container_line(&lay, t->rows[i], i == t->sel, &line);
		tui_draw_line(y, &line, width);
	}
	if (!t->nrows && t->snap)
		put(y0 + 1, 1, width, CTOP_ROLE_ZERO,
		    t->filter[0] ? "no container matches the filter (Esc clears it)"
				 : "no containers running (a shows the host)");
}

void tui_view_procs(struct tui *t, int y0, int h, int width)
{
	const struct ctop_container *c = t->drill;
	struct tui_layout lay;
	struct tui_line line;
	char buf[512], a[16];
	size_t i;
	int y, x;

	if (h < 1)
		return;
	x = put(y0, 0, width, CTOP_ROLE_HEADER, "Processes of ");
	x = put(y0, x, width, CTOP_ROLE_HEADER_VALUE, t->drill_name);
	if (c) {
		snprintf(buf, sizeof(buf), "  %.12s  %s  %zu shown  %s", c->is_host ? "host" : c->id,
			 c->image, t->ptree.nrows, t->tree ? "tree" : "flat");
		x = put(y0, x, width, CTOP_ROLE_HEADER, buf);
		if (t->pfilter[0] && !t->editing) {
			x = put(y0, x, width, CTOP_ROLE_HEADER, "  Filter ");
			put(y0, x, width, CTOP_ROLE_PROMPT, t->pfilter);
		}
		(void)a;
	}
	if (h < 2)
		return;
	tui_layout_fit(&lay, TUI_TABLE_PROCS, width, t->sort);
	if (t->snap)
		lay.probes = t->snap->host.probes;
	tui_title_line(&lay, t->sort, t->reverse, t->utf8, &line);
	tui_draw_line(y0 + 1, &line, width);
	if (h < 3)
		return;
	tui_scroll(&t->psel, &t->ptop, t->ptree.nrows, (size_t)(h - 2));
	for (i = t->ptop, y = y0 + 2; i < t->ptree.nrows && y < y0 + h; i++, y++) {
		tui_proc_line(&lay, &t->ptree, i, t->utf8, i == t->psel, &line);
		tui_draw_line(y, &line, width);
	}
	if (!t->ptree.nrows)
		put(y0 + 2, 1, width, CTOP_ROLE_ZERO,
		    t->pfilter[0] ? "no process matches the filter" : "no processes");
}
