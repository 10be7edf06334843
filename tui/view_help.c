// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The help view: every key, made from the key table so that it cannot
 * drift from what the keys do, and what each column means.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "tui_int.h"

#define HELP_LINE	96	/* bytes of one line; the test holds them to 80 columns */
#define HELP_MAX	128	/* lines */

static const char *const title[] = {
	"ctop-bpf: top for containers, measured by eBPF",
	"",
};

static const char *const heading[TUI_HELP__COUNT] = {
	[TUI_HELP_VIEWS] = "VIEWS",
	[TUI_HELP_MOVING] = "MOVING",
	[TUI_HELP_SORTING] = "SORTING (the sorted column's title is marked)",
	[TUI_HELP_OTHER] = "OTHER KEYS",
	[TUI_HELP_REPLAY] = "REPLAY (--replay FILE)",
};

static const char *const columns[] = {
	"COLUMNS",
	"  NAME      container name (Docker, Podman, Kubernetes pod/container, ...)",
	"  ID        first 12 characters of the container id",
	"  CPU%      CPU time used in the interval as a percent of one CPU",
	"            (100 = one full core busy), like top and docker stats",
	"  RSS       sum of the resident set sizes of the container's live",
	"            processes (each process counted once, not per thread)",
	"  DISK R/s  bytes per second read by read-family system calls on regular",
	"            files and block devices, over the last interval",
	"  DISK W/s  the same for write-family system calls",
	"  NET RX/s  bytes per second received on IPv4/IPv6 sockets by the read and",
	"            recv families, however the socket was made",
	"  NET TX/s  the same for bytes sent by the write and send families",
	"  BLK R/s   bytes per second read from storage (the kernel's task IO",
	"            accounting, as docker stats' BLOCK I/O); page-cache hits not",
	"  BLK W/s   bytes per second of pages dirtied for writing to storage",
	"  -         not measured with the probes of this kernel (or --light)",
	"  PIDS      live processes (thread-group leaders) in the container",
	"  PID PPID  process id, and the parent from the kernel's fork record",
	"  THR       threads of the process",
	"  COMMAND   process name and arguments, indented as a tree",
	"",
	"Unix sockets, pipes, terminals and other character devices count as",
	"neither disk nor net. Units are 1024-based: K, M, G. See ctop-bpf(8).",
};

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

struct help {
	char text[HELP_MAX][HELP_LINE];
	const char *line[HELP_MAX];
	size_t n;
};

static void __attribute__((format(printf, 2, 3))) add(struct help *h, const char *fmt, ...)
{
	va_list ap;

	if (h->n == HELP_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(h->text[h->n], HELP_LINE, fmt, ap);
	va_end(ap);
	h->line[h->n] = h->text[h->n];
	h->n++;
}

/* One binding: its keys in 16 columns, what it does, continuation lines under it. */
static void add_binding(struct help *h, const struct tui_binding *b)
{
	const char *s = b->help, *nl;
	const char *label = b->label;

	for (;;) {
		nl = strchr(s, '\n');
		add(h, "  %-16s%.*s", label, nl ? (int)(nl - s) : (int)strlen(s), s);
		if (!nl)
			break;
		label = "";
		s = nl + 1;
	}
}

static void build(struct help *h)
{
	const struct tui_binding *b;
	size_t nb, i, j;
	int sec;

	b = tui_bindings(&nb);
	for (i = 0; i < LEN(title); i++)
		add(h, "%s", title[i]);
	for (sec = TUI_HELP_NONE + 1; sec < TUI_HELP__COUNT; sec++) {
		add(h, "%s", heading[sec]);
		for (j = 0; j < nb; j++)
			if (b[j].section == (enum tui_help_section)sec)
				add_binding(h, &b[j]);
		add(h, "%s", "");
	}
	for (i = 0; i < LEN(columns); i++)
		add(h, "%s", columns[i]);
}

/*
 * Made once: the key table does not change while the program runs, and
 * the view and the tests borrow the lines for as long as they like.
 */
size_t tui_help_lines(const char *const **out)
{
	static struct help h;

	if (!h.n)
		build(&h);
	*out = h.line;
	return h.n;
}

void tui_view_help(struct tui *t, int y0, int h, int width)
{
	const char *const *lines;
	size_t n = tui_help_lines(&lines), i;
	int y, max_top;

	max_top = (int)n - h;
	if (max_top < 0)
		max_top = 0;
	if (t->help_top > max_top)
		t->help_top = max_top;
	if (t->help_top < 0)
		t->help_top = 0;
	for (i = (size_t)t->help_top, y = y0; i < n && y < y0 + h; i++, y++) {
		bool is_heading = lines[i][0] && lines[i][0] != ' ';

		tui_put(y, 0, width, is_heading ? CTOP_ROLE_HEADER : CTOP_ROLE_NORMAL, lines[i]);
	}
}
