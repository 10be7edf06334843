// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ctop-bpf: parse the command line, load the collector, then either print
 * batch output on a steady beat or hand over to the screen.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "collector.h"
#include "options.h"
#include "output.h"
#include "tui.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int run_batch(struct ctop_collector *col, const struct ctop_options *o, double start)
{
	struct ctop_view_opts vo = { o->sort, o->reverse, o->filter, o->all, o->processes, false };
	/* The table follows the reader's charset, as the screen does. */
	vo.ascii = !setlocale(LC_CTYPE, "") || strcmp(nl_langinfo(CODESET), "UTF-8");
	const struct ctop_snapshot *snap;
	double next = start + (o->delay < CTOP_FIRST_INTERVAL ? o->delay : CTOP_FIRST_INTERVAL);
	char *text;
	long n;
	int ret;

	for (n = 0; !stop && (!o->iterations || n < o->iterations); n++) {
		sleep_until(next);
		if (stop)
			break;
		ret = ctop_collector_sample(col, clock_s(CLOCK_MONOTONIC), clock_s(CLOCK_REALTIME),
					    &snap);
		if (ret) {
			fprintf(stderr, "ctop-bpf: reading the kernel's counters failed: %s\n",
				strerror(-ret));
			return 1;
		}
		ret = o->json ? ctop_output_json(snap, &vo, &text)
			      : ctop_output_table(snap, &vo, &text);
		if (ret) {
			fprintf(stderr, "ctop-bpf: %s\n", strerror(-ret));
			return 1;
		}
		if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
			free(text);
			/* The reader went away (head, a closed pipe): a normal end. */
			return errno == EPIPE ? 0 : 1;
		}
		free(text);
		/* A steady beat: late wake-ups do not push later refreshes back. */
		next += o->delay;
		if (next < clock_s(CLOCK_MONOTONIC))
			next = clock_s(CLOCK_MONOTONIC) + o->delay;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ctop_collector_opts copts = { 0 };
	struct ctop_collector *col;
	struct ctop_options o;
	struct sigaction sa;
	char err[512];
	double start;
	int status;

	if (ctop_options_parse(&o, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "ctop-bpf: %s\nTry 'ctop-bpf --help' for more information.\n", err);
		return 2;
	}
	if (o.help) {
		fputs(ctop_options_usage(), stdout);
		return 0;
	}
	if (o.version) {
		printf("ctop-bpf %s\n", CTOP_VERSION);
		return 0;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	copts.ewma_alpha = o.smooth;
	copts.cmdlines = !o.batch;
	copts.root = "/";
	col = ctop_collector_new(&copts, err, sizeof(err));
	if (!col) {
		fprintf(stderr, "ctop-bpf: %s\n", err);
		return 1;
	}
	start = clock_s(CLOCK_MONOTONIC);
	status = ctop_collector_start(col, start);
	if (status) {
		fprintf(stderr, "ctop-bpf: cannot read the BPF maps: %s\n", strerror(-status));
		ctop_collector_free(col);
		return 1;
	}
	status = o.batch ? run_batch(col, &o, start) : ctop_tui_run(col, &o);
	ctop_collector_free(col);
	return status;
}
