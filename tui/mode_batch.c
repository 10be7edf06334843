// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Batch output (-b): a table or JSON Lines on standard output, each refresh. */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mode.h"
#include "output.h"
#include "ticker.h"

static bool wanted(const struct ctop_options *o)
{
	return o->batch;
}

void tui_batch_init(struct tui_batch *b, struct ctop_source *src, const struct ctop_options *o)
{
	memset(b, 0, sizeof(*b));
	b->src = src;
	b->json = o->json;
	b->vo.sort = o->sort;
	b->vo.reverse = o->reverse;
	b->vo.filter = o->filter;
	b->vo.all = o->all;
	b->vo.processes = o->processes;
	/* The table follows the reader's charset, as the screen does. */
	b->vo.ascii = !setlocale(LC_CTYPE, "") || strcmp(nl_langinfo(CODESET), "UTF-8");
}

int tui_batch_refresh(struct tui_batch *b, double now_mono, double now_wall, FILE *out)
{
	const struct ctop_snapshot *snap;
	char *text;
	int ret;

	ret = ctop_source_next(b->src, now_mono, now_wall, &snap);
	if (ret == -ENOENT)
		return TUI_EXIT_OK;	/* a replay's end */
	if (ret) {
		char msg[4600];

		ret = tui_source_failed(b->src, ret, msg, sizeof(msg));
		fprintf(stderr, "ctop-bpf: %s\n", msg);
		return ret;
	}
	ret = b->json ? ctop_output_json(snap, &b->vo, &text)
		      : ctop_output_table(snap, &b->vo, &text);
	if (ret) {
		fprintf(stderr, "ctop-bpf: %s\n", strerror(-ret));
		return TUI_EXIT_FAIL;
	}
	ret = tui_write_out(out, text);
	free(text);
	/* a write error, or the reader went away: the end either way */
	if (ret || ferror(out))
		return ret;
	return TUI_BATCH_MORE;
}

/* Sleeps until t on CLOCK_MONOTONIC, or until a signal stops the run. */
static void sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	while (!tui_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int run(struct ctop_source *src, const struct ctop_options *o)
{
	struct ctop_ticker tk;
	struct tui_batch b;
	long n;
	int ret;

	tui_batch_init(&b, src, o);
	ctop_ticker_init(&tk, ctop_ticker_now(CLOCK_MONOTONIC),
			 o->delay < CTOP_FIRST_INTERVAL ? o->delay : CTOP_FIRST_INTERVAL, o->delay);
	for (n = 0; !tui_stop && (!o->iterations || n < o->iterations); n++) {
		/* a replay prints its records as fast as they are read */
		if (!o->replay)
			sleep_until(ctop_ticker_due_at(&tk));
		if (tui_stop)
			break;
		ret = tui_batch_refresh(&b, ctop_ticker_now(CLOCK_MONOTONIC),
					ctop_ticker_now(CLOCK_REALTIME), stdout);
		if (ret != TUI_BATCH_MORE)
			return ret;
		ctop_ticker_done(&tk, ctop_ticker_now(CLOCK_MONOTONIC));
	}
	return TUI_EXIT_OK;
}

const struct tui_mode tui_mode_batch = {
	.wanted = wanted,
	.run = run,
	/* processes are printed only with -p */
	.proc_io_with_p = true,
};
