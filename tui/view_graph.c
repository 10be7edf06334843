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

#define LABEL_W		5
#define VALUES_W	25	/* " now 12.3M/s peak 99.9M/s" */
#define SPARK_MAX	512
#define SPARK_CELL	256	/* columns of sparkline a cell holds */

/* One sparkline: the metrics that share a graph label, added up. */
struct series {
	const char *label;
	enum ctop_metric m[CTOP_M__COUNT];
	size_t nm;
	enum ctop_color_role role;
	enum ctop_unit unit;
	char *(*fmt)(char *buf, size_t len, double v);
	double floor;		/* the scale never shrinks below this */
};

/* The sparklines, from the metric table in its order. Returns the count. */
static size_t graph_series(struct series *out)
{
	const struct ctop_metric_desc *d;
	size_t n = 0;
	int m;

	for (m = 0; m < CTOP_M__COUNT && (d = ctop_metric_get((enum ctop_metric)m)); m++) {
		if (!d->graph)
			continue;
		if (!n || strcmp(out[n - 1].label, d->graph)) {
			out[n] = (struct series){ .label = d->graph, .role = d->graph_role,
						  .unit = d->unit, .fmt = d->fmt };
			/* 1% of a CPU, 1 KiB */
			out[n].floor = d->unit == CTOP_UNIT_PERCENT ? 1.0 : 1024.0;
			n++;
		}
		out[n - 1].m[out[n - 1].nm++] = (enum ctop_metric)m;
	}
	return n;
}

static double series_value(const struct series *s, const struct ctop_container *c)
{
	double v = 0;
	size_t i;

	for (i = 0; i < s->nm; i++)
		v += c->m[s->m[i]];
	return v;
}

static void fmt_value(const struct series *s, double v, char *buf, size_t len)
{
	size_t n = strlen(s->fmt(buf, len, v));

	snprintf(buf + n, len - n, "%s",
		 s->unit == CTOP_UNIT_PERCENT ? "%" : s->unit == CTOP_UNIT_BYTES_PER_S ? "/s" : "");
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
			size_t k;

			v[i] = 0;
			for (k = 0; k < s->nm; k++)
				v[i] += ctop_history_at(h, s->m[k], age);
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
	cur = series_value(s, c);
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
	struct series series[CTOP_M__COUNT];
	size_t nseries = graph_series(series), per, i, lines;
	char buf[512], id[16];
	struct tui_line title, line;
	int y;

	if (h < 1)
		return;
	if (!t->nrows) {
		tui_put(y0, 1, width, CTOP_ROLE_ZERO,
			t->filter[0] ? "no container matches the filter" : "no containers running");
		return;
	}
	/* a title and the series */
	per = (size_t)h / (1 + nseries);
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
		for (lines = 0; lines < nseries && y < y0 + h; lines++) {
			series_line(c, &series[lines], width, t->utf8, &line);
			tui_draw_line(y++, &line, width);
		}
	}
}
