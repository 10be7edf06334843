// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --export: no screen, no output; each refresh is rendered once, in both
 * exposition formats from one pass, and handed to the HTTP server, which
 * scrapes copy.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "export_render.h"
#include "export_server.h"
#include "mode.h"
#include "openmetrics.h"
#include "ticker.h"

static bool wanted(const struct ctop_options *o)
{
	return o->export_addr != NULL;
}

/* A bad --web-config ends before the BPF programs load. */
static int ready(const struct ctop_options *o)
{
	return tui_export_web_config(o, NULL);
}

/* Sleeps until t on CLOCK_MONOTONIC, or until a signal stops the run. */
static void sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	while (!tui_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* ctop-bpf's own cost, as ctop_self_* reports it. */
static double self_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double self_rss_bytes(void)
{
	unsigned long size, resident;
	FILE *f = fopen("/proc/self/statm", "re");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	return n == 2 ? (double)resident * (double)sysconf(_SC_PAGESIZE) : 0;
}

/*
 * Binds o->export_addr, then renders each refresh in both formats and
 * publishes it, until SIGTERM, SIGINT or SIGHUP (status 0, as a service
 * manager expects) or o->iterations refreshes. 1 when the address cannot
 * be listened on or the source fails.
 */
static int run(struct ctop_source *src, const struct ctop_options *o)
{
	struct ctop_export_self self = { .version = CTOP_VERSION };
	struct ctop_om_buf text, om;
	struct ctop_export_server *srv;
	struct ctop_web_config *web;
	const struct ctop_snapshot *snap;
	const struct ctop_container **rows = NULL;
	struct ctop_export_addr addr;
	struct ctop_ticker tk;
	size_t i, n, cap = 0;
	char err[256];
	long iter;
	int ret, status = TUI_EXIT_OK;

	if (ctop_export_addr_parse(o->export_addr, &addr)) {
		/* options.c checked it already */
		fprintf(stderr, "ctop-bpf: --export: bad address\n");
		return TUI_EXIT_USAGE;
	}
	if ((status = tui_export_web_config(o, &web)))
		return status;
	ret = ctop_export_server_new(&srv, &addr, web, err, sizeof(err));
	if (ret == -EINVAL && o->web_config) {
		fprintf(stderr, "ctop-bpf: --web-config %s: %s\n", o->web_config, err);
		return TUI_EXIT_USAGE;
	}
	if (ret) {
		fprintf(stderr, "ctop-bpf: --export %s: cannot listen: %s%s\n", o->export_addr, err,
			ret == -EADDRINUSE ? " (another program has this port: choose another "
					     "with --export HOST:PORT)" : "");
		return TUI_EXIT_FAIL;
	}
	ctop_om_buf_init(&text);
	ctop_om_buf_init(&om);
	ctop_ticker_init(&tk, ctop_ticker_now(CLOCK_MONOTONIC),
			 o->delay < CTOP_FIRST_INTERVAL ? o->delay : CTOP_FIRST_INTERVAL, o->delay);
	for (iter = 0; !tui_stop && (!o->iterations || iter < o->iterations); iter++) {
		sleep_until(ctop_ticker_due_at(&tk));
		if (tui_stop)
			break;
		ret = ctop_source_next(src, ctop_ticker_now(CLOCK_MONOTONIC),
				       ctop_ticker_now(CLOCK_REALTIME), &snap);
		if (ret) {
			char msg[4600];

			/* reading the kernel, or writing the recording of -w */
			status = tui_source_failed(src, ret, msg, sizeof(msg));
			fprintf(stderr, "ctop-bpf: %s\n", msg);
			break;
		}
		if (snap->ncontainers + 1 > cap) {
			const struct ctop_container **r;

			cap = snap->ncontainers + 16;
			r = realloc(rows, cap * sizeof(*rows));
			if (!r) {
				fprintf(stderr, "ctop-bpf: out of memory\n");
				status = TUI_EXIT_FAIL;
				break;
			}
			rows = r;
		}
		n = 0;
		if (o->all)
			rows[n++] = &snap->host_row;
		for (i = 0; i < snap->ncontainers; i++)
			if (ctop_filter_container(&snap->containers[i], o->filter))
				rows[n++] = &snap->containers[i];
		self.cpu_s = self_cpu_s();
		self.rss_bytes = self_rss_bytes();
		ret = ctop_export_render_both(&text, &om, snap, rows, n, o->processes, &self);
		if (!ret)
			ret = ctop_export_server_publish(srv, &text, &om);
		if (ret) {
			fprintf(stderr, "ctop-bpf: rendering the metrics failed: %s\n",
				strerror(-ret));
			status = TUI_EXIT_FAIL;
			break;
		}
		ctop_ticker_done(&tk, ctop_ticker_now(CLOCK_MONOTONIC));
	}
	ctop_export_server_free(srv);
	ctop_om_buf_fini(&text);
	ctop_om_buf_fini(&om);
	free(rows);
	return status;
}

const struct tui_mode tui_mode_export = {
	.wanted = wanted,
	.cmdlines = false,
	.run = run,
	.ready = ready,
	/* no series carries it: freezer.state and cgroup.events stay unread */
	.no_states = true,
	/* processes' series only with -p */
	.proc_io_with_p = true,
};
