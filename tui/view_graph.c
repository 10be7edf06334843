// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sparkline view: for each container, its smoothed history of CPU%,
 * RSS, disk and net rates, as wide as the terminal, newest on the right,
 * with the current value and the peak of what is drawn beside each line.
 */
#include <stdio.h>
#include <string.h>
#include "format.h"
#include "tui_int.h"

#define BLOCK_LINES	5	/* a title and four series */
#define LABEL_W		5
#define VALUES_W	25	/* " now 12.3M/s peak 99.9M/s" */
#define SPARK_MAX	512
#define SPARK_CELL	256	/* columns of sparkline a cell holds */

struct series {
	const char *label;
	enum ctop_metric m, m2;	/* m2: added to m, or CTOP_M__COUNT */
	enum ctop_color_role role;
	double floor;		/* the scale never shrinks below this */
	bool pct;
	bool rate;
};

static const struct series series[4] = {
	{ "CPU", CTOP_M_CPU, CTOP_M__COUNT, CTOP_ROLE_GRAPH_CPU, 1.0, true, false },
	{ "RSS", CTOP_M_RSS, CTOP_M__COUNT, CTOP_ROLE_GRAPH_MEM, 1024.0, false, false },
	{ "DISK", CTOP_M_DISK_READ, CTOP_M_DISK_WRITE, CTOP_ROLE_GRAPH_DISK, 1024.0, false, true },
	{ "NET", CTOP_M_NET_RX, CTOP_M_NET_TX, CTOP_ROLE_GRAPH_NET, 1024.0, false, true },
};

static void fmt_value(const struct series *s, double v, char *buf, size_t len)
{
	char t[16];

	if (s->pct) {
		snprintf(buf, len, "%s%%", ctop_fmt_pct(t, sizeof(t), v));
		return;
	}
	if (s->rate)
		ctop_fmt_rate(buf, len, v);
	else
		ctop_fmt_bytes(buf, len, v);
}

/*
 * One series of a container as a line: its label, the sparkline (oldest
 * on the left, blank where there is no history yet), now and the peak.
 * Pure: the view puts the line on the terminal.
 */
static void series_line(const struct ctop_container *c, const struct series *s, int width,
			bool utf8, struct tui_line *out)
{
	double v[SPARK_MAX];
	uint8_t lv[SPARK_MAX];
	char now[16], peak_s[16], vals[64], spark[SPARK_CELL * 4 + 1];
	const struct ctop_history *h = c->hist;
	size_t n = 0, i, o, gl;
	const char *g;
	double peak, cur;
	int w = width - LABEL_W - VALUES_W - 1, x, cw, col;

	if (w > SPARK_MAX)
		w = SPARK_MAX;
	out->base = CTOP_ROLE_NORMAL;
	out->n = 0;
	tui_line_add(out, 0, LABEL_W, CTOP_ROLE_HEADER, s->label, false);
	if (w >= 4 && h) {
		n = h->len < (uint32_t)w ? h->len : (size_t)w;
		for (i = 0; i < n; i++) {
			uint32_t age = (uint32_t)(n - 1 - i);

			v[i] = ctop_history_at(h, s->m, age);
			if (s->m2 != CTOP_M__COUNT)
				v[i] += ctop_history_at(h, s->m2, age);
		}
	}
	peak = tui_spark_levels(v, n, s->floor, lv);
	/* oldest on the left, in cells of SPARK_CELL columns (a glyph is up to 3 bytes) */
	for (x = 0; w >= 4 && x < w; x += SPARK_CELL) {
		cw = w - x < SPARK_CELL ? w - x : SPARK_CELL;
		for (col = x, o = 0; col < x + cw; col++) {
			g = col < w - (int)n ? " " : tui_spark_glyph(lv[col - (w - (int)n)], utf8);
			gl = strlen(g);
			memcpy(spark + o, g, gl);
			o += gl;
		}
		spark[o] = '\0';
		tui_line_add(out, LABEL_W + x, cw, s->role, spark, false);
	}
	cur = c->m[s->m] + (s->m2 != CTOP_M__COUNT ? c->m[s->m2] : 0);
	/* the line is smoothed, the current value is not: the peak covers both */
	if (cur > peak)
		peak = cur;
	fmt_value(s, cur, now, sizeof(now));
	fmt_value(s, peak, peak_s, sizeof(peak_s));
	snprintf(vals, sizeof(vals), " now %7s peak %7s", now, peak_s);
	x = w < 4 ? LABEL_W : LABEL_W + w;
	w = tui_width(vals) < width - x ? tui_width(vals) : width - x;
	tui_line_add(out, x, w, CTOP_ROLE_HEADER_VALUE, vals, false);
}

void tui_view_graph(struct tui *t, int y0, int h, int width)
{
	size_t per, i;
	int y, lines;
	char buf[512], id[16];
	struct tui_line title, line;

	if (h < 1)
		return;
	if (!t->nrows) {
		tui_put(y0, 1, width, CTOP_ROLE_ZERO,
			t->filter[0] ? "no container matches the filter" : "no containers running");
		return;
	}
	per = (size_t)(h / BLOCK_LINES);
	if (per < 1)
		per = 1;
	tui_scroll(&t->sel, &t->gtop, t->nrows, per);
	for (i = t->gtop, y = y0; i < t->nrows && y < y0 + h; i++) {
		const struct ctop_container *c = t->rows[i];

		snprintf(id, sizeof(id), "%.12s", c->is_host ? "host" : c->id);
		snprintf(buf, sizeof(buf), "%s  %s  %s", c->name[0] ? c->name : id, id, c->image);
		title.base = i == t->sel ? CTOP_ROLE_SELECTED : CTOP_ROLE_TITLE;
		title.n = 1;
		title.c[0].x = 0;
		title.c[0].w = width;
		title.c[0].role = title.base;
		tui_fit(title.c[0].text, sizeof(title.c[0].text), buf, width, false);
		tui_draw_line(y++, &title, width);
		for (lines = 0; lines < 4 && y < y0 + h; lines++) {
			series_line(c, &series[lines], width, t->utf8, &line);
			tui_draw_line(y++, &line, width);
		}
	}
}
