// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What every mode shares: the stop flag and writing to standard output. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "mode.h"

volatile sig_atomic_t tui_stop;

static void on_signal(int sig)
{
	tui_stop = sig;
}

void tui_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int tui_write_out(FILE *f, const char *text)
{
	int err;

	if (fputs(text, f) != EOF && fflush(f) != EOF)
		return 0;
	err = errno;
	if (err == EPIPE)
		return 0;
	fprintf(stderr, "ctop-bpf: write error: %s\n", strerror(err));
	return TUI_EXIT_WRITE;
}

int tui_source_failed(struct ctop_source *src, int err, char *msg, size_t len)
{
	if (src->write_failed) {
		snprintf(msg, len, "writing %s failed: %s", src->write_failed, strerror(-err));
		return TUI_EXIT_WRITE;
	}
	snprintf(msg, len, "reading %s failed: %s", src->name, strerror(-err));
	return TUI_EXIT_FAIL;
}
