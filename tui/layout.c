// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What goes where on the screen, without curses: column fitting, cell
 * text and color roles, sparkline and meter scaling. Pure, so the unit
 * tests can check a whole 80-column line as text.
 */
#include <langinfo.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "format.h"
#include "tui_int.h"

struct col_def {
	const char *title;
	int width;		/* the minimum, for the flexible column */
	bool right;
	int drop;		/* higher drops first; 0 never */
};

/* The columns that name a row; the metrics' come from their table. */
static const struct col_def id_defs[TUI_COL_METRIC] = {
	[TUI_COL_NAME] = { "NAME", 16, false, 0 },
	[TUI_COL_ID] = { "ID", 12, false, 9 },
	[TUI_COL_PID] = { "PID", 7, true, 0 },
	[TUI_COL_PPID] = { "PPID", 7, true, 8 },
	[TUI_COL_COMMAND] = { "COMMAND", 20, false, 0 },
};

/* The metric of a column that shows one. */
static enum ctop_metric col_id(enum tui_col c)
{
	return (enum ctop_metric)(c - TUI_COL_METRIC);
}

/* The metric of a column, or NULL for one that names the row. */
static const struct ctop_metric_desc *col_metric(enum tui_col c)
{
	return c < TUI_COL_METRIC ? NULL : ctop_metric_get(col_id(c));
}

static struct col_def col_def(enum tui_col c)
{
	const struct ctop_metric_desc *d = col_metric(c);

	return d ? (struct col_def){ d->title, d->width, true, d->drop } : id_defs[c];
}

/* The container NAME column stops growing here: numbers stay near names. */
#define NAME_MAX_WIDTH 40
/*
 * The columns that drop first (the cgroup figures) come in only once the
 * name has room for a typical one: a name cut to its 16-cell minimum
 * would cost more than a figure gains.
 */
#define EXTRA_DROP	12
#define NAME_ROOMY	28

static unsigned table_rows(enum tui_table table)
{
	return table == TUI_TABLE_PROCS ? CTOP_ROW_PROC : CTOP_ROW_CONTAINER;
}

/*
 * The columns of a table, left to right: what names the row, the metrics
 * flagged SCREEN_EARLY, the other metrics, then the process's COMMAND.
 * Returns the count.
 */
static size_t table_cols(enum tui_table table, enum tui_col *cols)
{
	const struct ctop_metric_desc *d;
	size_t n = 0;
	int pass, m;

	if (table == TUI_TABLE_PROCS) {
		cols[n++] = TUI_COL_PID;
		cols[n++] = TUI_COL_PPID;
	} else {
		cols[n++] = TUI_COL_NAME;
		cols[n++] = TUI_COL_ID;
	}
	for (pass = 1; pass >= 0; pass--)
		for (m = 0; (d = ctop_metric_get((enum ctop_metric)m)); m++)
			if ((d->rows & table_rows(table)) && d->width &&
			    !(d->flags & CTOP_MF_SCREEN_EARLY) == !pass)
				cols[n++] = (enum tui_col)(TUI_COL_METRIC + m);
	if (table == TUI_TABLE_PROCS)
		cols[n++] = TUI_COL_COMMAND;
	return n;
}

static bool is_flex(enum tui_col c)
{
	return c == TUI_COL_NAME || c == TUI_COL_COMMAND;
}

int tui_col_sort_key(enum tui_col c, enum tui_table table)
{
	const struct ctop_metric_desc *d = col_metric(c);

	if (c == TUI_COL_NAME || c == TUI_COL_COMMAND)
		return CTOP_SORT_NAME;
	return d && (d->rows & table_rows(table)) ? (int)d->sort : -1;
}

bool tui_col_sorted(enum tui_col c, enum ctop_sort_key k, enum tui_table table)
{
	const struct ctop_metric_desc *d = col_metric(c);
	int ck = tui_col_sort_key(c, table);

	/* a sum's parts show what it sorts on */
	if (ck >= 0 && d && d->sum == k)
		return true;
	return ck >= 0 && ck == (int)k;
}

enum ctop_sort_key tui_sort_step(enum ctop_sort_key k, int dir, enum tui_table table)
{
	enum tui_col cols[TUI_MAX_COLS];
	size_t n = table_cols(table, cols), c;
	int keys[TUI_COL__COUNT], nk = 0, i, pos = 0, first = -1, last = -1;

	for (c = 0; c < n; c++) {
		const struct ctop_metric_desc *d = col_metric(cols[c]);
		int ck = tui_col_sort_key(cols[c], table);

		if (ck < 0)
			continue;
		if (d && d->sum == k) {
			last = ck;
			if (first < 0)
				first = ck;
		}
		keys[nk++] = ck;
	}
	/* from a sum, to its first or last part */
	if (first >= 0)
		return (enum ctop_sort_key)(dir > 0 ? last : first);
	for (i = 0; i < nk; i++)
		if (keys[i] == (int)k)
			pos = i;
	pos = (pos + (dir > 0 ? 1 : nk - 1)) % nk;
	return (enum ctop_sort_key)keys[pos];
}

void tui_layout_fit(struct tui_layout *l, enum tui_table table, int width, enum ctop_sort_key sort)
{
	enum tui_col cols[TUI_MAX_COLS];
	size_t n = table_cols(table, cols);
	bool on[TUI_MAX_COLS], extra;
	int need, best, bi, x, flex_w, i;
	size_t c;

	memset(l, 0, sizeof(*l));
	l->table = table;
	l->width = width < 1 ? 1 : width;
	for (c = 0; c < n; c++)
		on[c] = true;
	for (;;) {
		/* columns plus one blank between each */
		need = -1;
		extra = false;
		for (c = 0; c < n; c++)
			if (on[c]) {
				const struct ctop_metric_desc *d = col_metric(cols[c]);

				need += col_def(cols[c]).width + 1;
				extra |= d && d->drop >= EXTRA_DROP &&
					 !tui_col_sorted(cols[c], sort, table);
			}
		if (extra && table == TUI_TABLE_CONTAINERS)
			need += NAME_ROOMY - id_defs[TUI_COL_NAME].width;
		if (need <= l->width)
			break;
		best = 0;
		bi = -1;
		for (c = 0; c < n; c++) {
			int drop = col_def(cols[c]).drop;

			if (!on[c] || !drop || tui_col_sorted(cols[c], sort, table))
				continue;
			if (drop > best) {
				best = drop;
				bi = (int)c;
			}
		}
		if (bi < 0)
			break;	/* nothing more may go: the line gets cut at the edge */
		on[bi] = false;
	}
	if (extra && table == TUI_TABLE_CONTAINERS)
		need -= NAME_ROOMY - id_defs[TUI_COL_NAME].width;
	flex_w = l->width - need +
		 id_defs[table == TUI_TABLE_PROCS ? TUI_COL_COMMAND : TUI_COL_NAME].width;
	if (table == TUI_TABLE_CONTAINERS && flex_w > NAME_MAX_WIDTH)
		flex_w = NAME_MAX_WIDTH;
	if (flex_w < 4)
		flex_w = 4;
	x = 0;
	for (c = 0, i = 0; c < n; c++) {
		if (!on[c])
			continue;
		l->col[i] = cols[c];
		l->x[i] = x;
		l->w[i] = is_flex(cols[c]) ? flex_w : col_def(cols[c]).width;
		x += l->w[i] + 1;
		i++;
	}
	l->ncols = i;
}

bool tui_layout_has(const struct tui_layout *l, enum tui_col c)
{
	int i;

	for (i = 0; i < l->ncols; i++)
		if (l->col[i] == c)
			return true;
	return false;
}

/* Whether the screen's locale is UTF-8; otherwise a byte from 0x80 is one '?'. */
static bool screen_utf8(void)
{
	return MB_CUR_MAX > 1 && !strcmp(nl_langinfo(CODESET), "UTF-8");
}

/*
 * One character of s, by the rule the table shares (ctop_text_next()):
 * its length in bytes and its display width; *q when it shows as one '?'.
 * A character wcwidth() cannot measure is a '?' too, so that what curses
 * draws is exactly as wide as the layout counted.
 */
static size_t next_char(const char *s, bool utf8, int *w, bool *q)
{
	uint32_t cp;
	size_t n = ctop_text_next(s, utf8, &cp);
	int cw;

	*w = 1;
	*q = cp == '?';
	if (!*q && cp >= 0x80) {
		cw = wcwidth((wchar_t)cp);
		if (cw < 0)
			*q = true;
		else
			*w = cw;
	}
	return n;
}

int tui_width(const char *s)
{
	bool utf8 = screen_utf8(), q;
	int w, total = 0;

	while (*s) {
		s += next_char(s, utf8, &w, &q);
		total += w;
	}
	return total;
}

char *tui_fit(char *dst, size_t len, const char *src, int width, bool right)
{
	bool utf8 = screen_utf8(), q;
	size_t o = 0, n;
	int used = 0, w, pad;
	const char *s;

	if (!len)
		return dst;
	if (width < 0)
		width = 0;
	/* the visible part first, to know the padding */
	for (s = src; *s; s += n) {
		n = next_char(s, utf8, &w, &q);
		if (used + w > width)
			break;
		used += w;
	}
	pad = width - used;
	if (right)
		for (; pad > 0 && o + 1 < len; pad--)
			dst[o++] = ' ';
	for (s = src; *s && used > 0; s += n) {
		n = next_char(s, utf8, &w, &q);
		if (o + (q ? 1 : n) >= len)
			break;
		if (q)
			dst[o++] = '?';
		else
			memcpy(dst + o, s, n), o += n;
		used -= w;
	}
	for (; pad > 0 && o + 1 < len; pad--)
		dst[o++] = ' ';
	dst[o] = '\0';
	return dst;
}

enum ctop_color_role tui_bytes_role(double v)
{
	if (!(v >= 0.5))
		return CTOP_ROLE_ZERO;
	if (v >= 1000.0 * 1024 * 1024)
		return CTOP_ROLE_HUGE;
	if (v >= 1000.0 * 1024)
		return CTOP_ROLE_LARGE;
	return CTOP_ROLE_NORMAL;
}

enum ctop_color_role tui_pct_role(double pct)
{
	if (!(pct >= 0.05))
		return CTOP_ROLE_ZERO;
	if (pct >= 100)
		return CTOP_ROLE_HUGE;
	if (pct >= 50)
		return CTOP_ROLE_LARGE;
	return CTOP_ROLE_NORMAL;
}

static struct tui_cell *add_cell(struct tui_line *out, int x, int w, enum ctop_color_role role,
				 const char *text, bool right)
{
	struct tui_cell *c;

	if (out->n >= TUI_MAX_CELLS || w <= 0)
		return NULL;
	c = &out->c[out->n++];
	c->x = x;
	c->w = w;
	c->role = role;
	tui_fit(c->text, sizeof(c->text), text, w, right);
	return c;
}

struct tui_cell *tui_line_add(struct tui_line *out, int x, int w, enum ctop_color_role role,
			      const char *text, bool right)
{
	return add_cell(out, x, w, role, text, right);
}

void tui_title_line(const struct tui_layout *l, enum ctop_sort_key sort, bool reverse, bool utf8,
		    struct tui_line *out)
{
	const char *arrow = reverse ? (utf8 ? "\u25b2" : "^") : (utf8 ? "\u25bc" : "v");
	char t[64];
	bool s;
	int i;

	out->base = CTOP_ROLE_TITLE;
	out->n = 0;
	for (i = 0; i < l->ncols; i++) {
		const struct col_def def = col_def(l->col[i]), *d = &def;

		s = tui_col_sorted(l->col[i], sort, l->table);
		if (s && !d->right) {
			snprintf(t, sizeof(t), "%s%s", d->title, arrow);
			add_cell(out, l->x[i], l->w[i], CTOP_ROLE_TITLE_SORTED, t, false);
			continue;
		}
		if (s && (int)strlen(d->title) < l->w[i]) {
			/* the mark right before the title, inside the column */
			snprintf(t, sizeof(t), "%s%s", arrow, d->title);
			add_cell(out, l->x[i], l->w[i], CTOP_ROLE_TITLE_SORTED, t, true);
			continue;
		}
		if (s && l->x[i] > 0)
			add_cell(out, l->x[i] - 1, 1, CTOP_ROLE_TITLE_SORTED, arrow, false);
		add_cell(out, l->x[i], l->w[i], s ? CTOP_ROLE_TITLE_SORTED : CTOP_ROLE_TITLE, d->title,
			 d->right);
	}
}

/* The text and role of a metric's cell in the row: process p if given, else c. */
static void metric_cell(const struct tui_layout *l, enum tui_col col,
			const struct ctop_container *c, const struct ctop_proc *p, char *buf,
			size_t len, enum ctop_color_role *role)
{
	enum ctop_metric m = col_id(col);
	const struct ctop_metric_desc *d = ctop_metric_get(m);
	double v = ctop_metric_value(m, c, p);

	if (!ctop_metric_known(&l->probes, m, c, p)) {
		snprintf(buf, len, "-");
		*role = CTOP_ROLE_ZERO;
		return;
	}
	d->fmt(buf, len, v);
	if (d->unit == CTOP_UNIT_PERCENT)
		*role = tui_pct_role(v);
	else if (d->unit == CTOP_UNIT_COUNT)
		*role = v > 0 ? CTOP_ROLE_NORMAL : CTOP_ROLE_ZERO;
	else
		*role = tui_bytes_role(v);
}

void tui_container_line(const struct tui_layout *l, const struct ctop_container *c,
			bool selected, struct tui_line *out)
{
	enum ctop_color_role role;
	char buf[CTOP_NAME_LEN + 16];
	int i;

	out->base = selected ? CTOP_ROLE_SELECTED : CTOP_ROLE_NORMAL;
	out->n = 0;
	for (i = 0; i < l->ncols; i++) {
		role = CTOP_ROLE_NORMAL;
		switch (l->col[i]) {
		case TUI_COL_NAME:
			ctop_container_label(c, buf, sizeof(buf));
			role = c->is_host ? CTOP_ROLE_HOST_ROW : CTOP_ROLE_NORMAL;
			break;
		case TUI_COL_ID:
			snprintf(buf, sizeof(buf), "%.12s", c->is_host ? "host" : c->id);
			role = c->is_host ? CTOP_ROLE_HOST_ROW : CTOP_ROLE_NORMAL;
			break;
		default:
			metric_cell(l, l->col[i], c, NULL, buf, sizeof(buf), &role);
			break;
		}
		add_cell(out, l->x[i], l->w[i], selected ? CTOP_ROLE_SELECTED : role, buf,
			 col_def(l->col[i]).right);
	}
}

/* The command cell: tree branches, the name, then the arguments. */
static void command_cells(const struct ctop_tree *t, size_t row, bool utf8, bool selected, int x,
			  int w, struct tui_line *out)
{
	const struct ctop_proc *p = t->rows[row].proc;
	char prefix[512], name[64], args[CTOP_CMDLINE_LEN + 8];
	const char *a = "";
	int pw, nw;

	pw = (int)ctop_tree_prefix(t, row, utf8, w > 12 ? (size_t)(w - 8) : 0, prefix,
				   sizeof(prefix));
	if (p->kthread || !p->cmdline[0]) {
		snprintf(name, sizeof(name), p->kthread ? "[%s]" : "%s", p->comm);
	} else {
		/* argv[0] as the process shows it (it may have rewritten it), then the rest */
		size_t l = strcspn(p->cmdline, " ");

		snprintf(name, sizeof(name), "%.*s", (int)(l < 63 ? l : 63), p->cmdline);
		a = p->cmdline + l;
	}
	if (p->zombie)
		a = " <defunct>";
	snprintf(args, sizeof(args), "%s", a);
	if (pw > 0)
		add_cell(out, x, pw, selected ? CTOP_ROLE_SELECTED : CTOP_ROLE_TREE, prefix, false);
	nw = tui_width(name);
	if (nw > w - pw)
		nw = w - pw;
	add_cell(out, x + pw, nw, selected ? CTOP_ROLE_SELECTED : CTOP_ROLE_NORMAL, name, false);
	add_cell(out, x + pw + nw, w - pw - nw, selected ? CTOP_ROLE_SELECTED : CTOP_ROLE_CMDLINE,
		 args, false);
}

void tui_proc_line(const struct tui_layout *l, const struct ctop_tree *t, size_t row, bool utf8,
		   bool selected, struct tui_line *out)
{
	const struct ctop_proc *p = t->rows[row].proc;
	enum ctop_color_role role;
	char buf[32];
	int i;

	out->base = selected ? CTOP_ROLE_SELECTED : CTOP_ROLE_NORMAL;
	out->n = 0;
	for (i = 0; i < l->ncols; i++) {
		role = CTOP_ROLE_NORMAL;
		switch (l->col[i]) {
		case TUI_COL_PID:
			snprintf(buf, sizeof(buf), "%u", p->pid);
			break;
		case TUI_COL_PPID:
			snprintf(buf, sizeof(buf), "%u", p->ppid);
			break;
		case TUI_COL_COMMAND:
			command_cells(t, row, utf8, selected, l->x[i], l->w[i], out);
			continue;
		default:
			metric_cell(l, l->col[i], NULL, p, buf, sizeof(buf), &role);
			break;
		}
		add_cell(out, l->x[i], l->w[i], selected ? CTOP_ROLE_SELECTED : role, buf,
			 col_def(l->col[i]).right);
	}
}

char *tui_line_text(const struct tui_line *l, int width, char *buf, size_t len)
{
	bool utf8 = screen_utf8(), q;
	int col = 0, i, w;
	size_t o = 0, n;
	const char *s;

	if (!len)
		return buf;
	for (i = 0; i < l->n; i++) {
		const struct tui_cell *c = &l->c[i];

		for (; col < c->x && col < width && o + 1 < len; col++)
			buf[o++] = ' ';
		if (c->x < col)
			continue;	/* overlapping: cells come left to right */
		for (s = c->text; *s && col < width;) {
			/* cells hold tui_fit()'s output: what it let through is copied */
			n = next_char(s, utf8, &w, &q);
			if (col + w > width || o + n >= len)
				break;
			memcpy(buf + o, s, n);
			o += n;
			s += n;
			col += w;
		}
	}
	while (o > 0 && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
	return buf;
}

double tui_spark_levels(const double *v, size_t n, double floor, uint8_t *levels)
{
	double peak = 0, scale;
	size_t i;
	int lv;

	for (i = 0; i < n; i++)
		if (v[i] > peak)
			peak = v[i];
	scale = peak > floor ? peak : floor;
	for (i = 0; i < n; i++) {
		if (!(v[i] > 0) || !(scale > 0)) {
			levels[i] = 0;
			continue;
		}
		lv = 1 + (int)(v[i] / scale * 7.999);
		levels[i] = (uint8_t)(lv > 8 ? 8 : lv);
	}
	return peak;
}

const char *tui_spark_glyph(uint8_t level, bool utf8)
{
	static const char *const blocks[9] = {
		" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588",
	};
	static const char *const ascii[9] = { " ", "_", ".", ",", "-", "=", "+", "*", "#" };

	if (level > 8)
		level = 8;
	return utf8 ? blocks[level] : ascii[level];
}

int tui_meter_fill(double frac, int width)
{
	int n;

	if (!(frac > 0) || width <= 0)
		return 0;
	if (frac >= 1)
		return width;
	n = (int)(frac * width + 0.5);
	/* anything above zero shows */
	return n < 1 ? 1 : n;
}

enum ctop_color_role tui_meter_role(double frac)
{
	if (frac > 0.8)
		return CTOP_ROLE_METER_HIGH;
	if (frac >= 0.5)
		return CTOP_ROLE_METER_MID;
	return CTOP_ROLE_METER_LOW;
}

int tui_header_lines(int height)
{
	if (height >= 10)
		return 3;
	if (height >= 6)
		return 1;
	return 0;
}

void tui_body(enum tui_view v, int height, int *y0, int *h)
{
	int hl = v == TUI_VIEW_HELP ? 0 : tui_header_lines(height);

	*y0 = hl;
	*h = height - hl - 1;	/* the footer */
	if (*h < 0)
		*h = 0;
}

int tui_view_rows(enum tui_view v, int height)
{
	int y0, h;

	tui_body(v, height, &y0, &h);
	switch (v) {
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
