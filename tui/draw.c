// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The frame: the header, the footer, and the current view between them. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ncurses.h>
#include "format.h"
#include "tui_int.h"

/* [|||||       25.0%] */
static void meter(int y, int x, int w, const char *label, double frac, const char *text)
{
	char bar[512];
	int inner, fill, tl;

	x = tui_put(y, x, x + w, CTOP_ROLE_HEADER, label);
	x = tui_put(y, x, x + w, CTOP_ROLE_HEADER, "[");
	inner = w - (int)strlen(label) - 2;
	if (inner < 1)
		return;
	tl = (int)strlen(text);
	fill = tui_meter_fill(frac, inner);
	if (fill > (int)sizeof(bar) - 1)
		fill = (int)sizeof(bar) - 1;
	memset(bar, '|', (size_t)fill);
	bar[fill] = '\0';
	tui_put(y, x, x + inner, tui_meter_role(frac), bar);
	if (tl <= inner)
		tui_put(y, x + inner - tl, x + inner, CTOP_ROLE_HEADER_VALUE, text);
	tui_put(y, x + inner, x + inner + 1, CTOP_ROLE_HEADER, "]");
}

/* "  Replay 2026-12-02 03:12:05 paused": the recorded moment and the cursor's state. */
static int replay_state(struct tui *t, int y, int x, int width)
{
	struct ctop_replay_state st;
	char when[32], buf[96];
	struct tm tm;
	time_t tt;

	ctop_replay_state(t->replay, &st);
	tt = (time_t)st.time;
	localtime_r(&tt, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	x = tui_put(y, x, width, CTOP_ROLE_HEADER, "  Replay ");
	x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, when);
	if (st.playing)
		snprintf(buf, sizeof(buf), " playing %gx", st.speed);
	else
		snprintf(buf, sizeof(buf), " paused%s", st.at_end ? " at the end" : "");
	return tui_put(y, x, width, CTOP_ROLE_WARNING, buf);
}

int tui_draw_header(struct tui *t, int width, int height)
{
	const struct ctop_snapshot *s = t->snap;
	int lines = tui_header_lines(height), y = 0, x, half;
	char a[64], b[64], buf[256];
	double frac;

	if (!lines)
		return 0;
	if (lines == 3) {
		x = tui_put(y, 0, width, CTOP_ROLE_HEADER_VALUE, "ctop-bpf");
		if (t->replay)
			x = tui_put(y, x, width, CTOP_ROLE_WARNING, " REPLAY");
		if (s) {
			x = tui_put(y, x, width, CTOP_ROLE_HEADER, " on ");
			x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, s->host.hostname);
			x = tui_put(y, x, width, CTOP_ROLE_HEADER, "  kernel ");
			x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, s->host.kernel);
			snprintf(buf, sizeof(buf), "%d", s->host.cpus);
			x = tui_put(y, x, width, CTOP_ROLE_HEADER, "  CPUs ");
			x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
			snprintf(buf, sizeof(buf), "net %s, file %s, blk %s",
				 ctop_probe_name(s->host.probes.net),
				 ctop_probe_name(s->host.probes.file),
				 ctop_probe_name(s->host.probes.storage));
			/* Only whole: a cut-off probe name would mislead. */
			if (x + 9 + (int)strlen(buf) + 10 <= width) {
				x = tui_put(y, x, width, CTOP_ROLE_HEADER, "  probes ");
				x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
			}
			if (s->time > 0) {
				time_t tt = (time_t)s->time;
				struct tm tm;

				localtime_r(&tt, &tm);
				strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
				if (x + 10 <= width)
					tui_put(y, width - 8, width, CTOP_ROLE_HEADER_VALUE, buf);
			}
		} else {
			snprintf(buf, sizeof(buf), "  reading %s...", t->src->name);
			tui_put(y, x, width, CTOP_ROLE_HEADER, buf);
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
	x = tui_put(y, x, width, CTOP_ROLE_HEADER, "Containers ");
	x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
	snprintf(buf, sizeof(buf), "%u", s ? s->host.nprocs : 0);
	x = tui_put(y, x, width, CTOP_ROLE_HEADER, "  Procs ");
	x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
	x = tui_put(y, x, width, CTOP_ROLE_HEADER, "  Every ");
	x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, ctop_fmt_seconds(a, sizeof(a), t->delay));
	snprintf(buf, sizeof(buf), "%s%s", ctop_sort_key_name(t->sort),
		 t->reverse ? (t->utf8 ? "\u25b2" : "^") : (t->utf8 ? "\u25bc" : "v"));
	x = tui_put(y, x, width, CTOP_ROLE_HEADER, "  Sort ");
	x = tui_put(y, x, width, CTOP_ROLE_HEADER_VALUE, buf);
	if (t->filter[0] && !(t->editing && t->view != TUI_VIEW_PROCS)) {
		x = tui_put(y, x, width, CTOP_ROLE_HEADER, "  Filter ");
		x = tui_put(y, x, width, CTOP_ROLE_PROMPT, t->filter);
	}
	if (t->paused)
		x = tui_put(y, x, width, CTOP_ROLE_WARNING, "  PAUSED");
	if (t->replay)
		x = replay_state(t, y, x, width);
	if (s && s->host.lost_events) {
		snprintf(buf, sizeof(buf), "  Lost events %llu",
			 (unsigned long long)s->host.lost_events);
		tui_put(y, x, width, CTOP_ROLE_WARNING, buf);
	}
	return lines;
}

void tui_draw_footer(struct tui *t, int y, int width)
{
	struct tui_hint h[32];
	size_t n = tui_key_hints(t->view, h, sizeof(h) / sizeof(h[0])), i;
	char buf[TUI_FILTER_LEN + 64];
	int x = 0, w, last_w;

	attrset(tui_term_attr(CTOP_ROLE_FOOTER_TEXT));
	mvhline(y, 0, ' ', width);
	if (t->editing) {
		snprintf(buf, sizeof(buf), "%s: %s", t->view == TUI_VIEW_PROCS ? "Filter processes"
						     : "Filter containers", t->view == TUI_VIEW_PROCS
						     ? t->pfilter : t->filter);
		x = tui_put(y, 0, width, CTOP_ROLE_PROMPT, buf);
		x = tui_put(y, x, width, CTOP_ROLE_PROMPT, "_");
		tui_put(y, x, width, CTOP_ROLE_FOOTER_TEXT, "  Enter keep  Esc clear");
		return;
	}
	if (t->going) {
		snprintf(buf, sizeof(buf), "Go to (HH:MM[:SS] or YYYY-MM-DD HH:MM): %s", t->go);
		x = tui_put(y, 0, width, CTOP_ROLE_PROMPT, buf);
		x = tui_put(y, x, width, CTOP_ROLE_PROMPT, "_");
		tui_put(y, x, width, CTOP_ROLE_FOOTER_TEXT, "  Enter go  Esc cancel");
		return;
	}
	if (t->msg[0]) {
		tui_put(y, 0, width, t->msg_warn ? CTOP_ROLE_WARNING : CTOP_ROLE_PROMPT, t->msg);
		return;
	}
	if (!n)
		return;
	/* the last hint (Quit) always shows: the others fill what it leaves */
	last_w = tui_width(h[n - 1].keys) + 1 + tui_width(h[n - 1].what) + 1;
	for (i = 0; i + 1 < n; i++) {
		w = tui_width(h[i].keys) + 1 + tui_width(h[i].what) + 1;
		if (x + w > width - last_w)
			break;
		x = tui_put(y, x, width, CTOP_ROLE_FOOTER_KEY, h[i].keys);
		x = tui_put(y, x, width, CTOP_ROLE_FOOTER_TEXT, " ");
		x = tui_put(y, x, width, CTOP_ROLE_FOOTER_TEXT, h[i].what);
		x = tui_put(y, x, width, CTOP_ROLE_FOOTER_TEXT, " ");
	}
	x = tui_put(y, x, width, CTOP_ROLE_FOOTER_KEY, h[n - 1].keys);
	x = tui_put(y, x, width, CTOP_ROLE_FOOTER_TEXT, " ");
	tui_put(y, x, width, CTOP_ROLE_FOOTER_TEXT, h[n - 1].what);
}

void tui_draw(struct tui *t, bool clear_all)
{
	int width = COLS, height = LINES, y0, h;

	if (clear_all)
		clearok(curscr, TRUE);
	attrset(tui_term_attr(CTOP_ROLE_NORMAL));
	erase();
	if (width < 20 || height < 3) {
		tui_put(0, 0, width, CTOP_ROLE_WARNING, "ctop-bpf: terminal too small");
		refresh();
		return;
	}
	if (t->view != TUI_VIEW_HELP)
		tui_draw_header(t, width, height);
	tui_body(t->view, height, &y0, &h);
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
