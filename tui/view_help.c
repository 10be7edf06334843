// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The help view: every key, and what each column means. */
#include <string.h>
#include <ncurses.h>
#include "tui_int.h"

static const char *const help[] = {
	"ctop-bpf: top for containers, measured by eBPF",
	"",
	"VIEWS",
	"  Enter           processes of the selected container (tree)",
	"  g               sparklines: history of CPU, RSS, disk and net per container",
	"  Esc, Backspace  back to the container table; in the table, clears the filter",
	"  h, ?, F1        this help (again, or Esc, to leave)",
	"",
	"MOVING",
	"  Up/Down, k/j    select the previous/next row",
	"  PgUp/PgDn       a page up/down",
	"  Home/End        the first/last row",
	"",
	"SORTING (the sorted column's title is marked)",
	"  c  CPU%         m  RSS          d  disk (read+write)   n  net (rx+tx)",
	"  p  PIDS (threads for processes)  N  name",
	"  < >             sort by the column left/right of the current one",
	"  r               reverse the order",
	"",
	"OTHER KEYS",
	"  /               filter as you type: name, id or image (processes: command or",
	"                  pid); Enter keeps the filter, Esc clears it",
	"  t               processes as a tree or as a flat sorted list",
	"  a               show or hide the [host] row (everything outside containers)",
	"  Space           pause or resume the refresh",
	"  + -             refresh less or more often (0.1 s to 60 s)",
	"  T               next color theme",
	"  Ctrl-L          redraw the screen",
	"  q, F10, Ctrl-C  quit",
	"",
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

size_t tui_help_lines(const char *const **out)
{
	*out = help;
	return sizeof(help) / sizeof(help[0]);
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
		bool heading = lines[i][0] && lines[i][0] != ' ';

		attrset(tui_term_attr(heading ? CTOP_ROLE_HEADER : CTOP_ROLE_NORMAL));
		mvaddnstr(y, 0, lines[i], width);
	}
}
