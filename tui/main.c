// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ctop-bpf: parse the command line, load the collector, then either print
 * batch output on a steady beat or hand over to the screen.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "mode_export.h"
#include "tui.h"

/* Exit status of a failed write to standard output (man page, EXIT STATUS). */
#define EXIT_WRITE_ERROR 3

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

/*
 * A closed fd 0, 1 or 2 would be handed to the next open(): a BPF link or
 * map would become "stdout" and the table would be written into it. Each
 * gets /dev/null, read-only, so that writes to a closed stdout fail with
 * EBADF and are reported like any write error.
 */
static void hold_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDONLY) < 0)
			return;	/* no /dev/null: nothing better to do */
	}
}

/*
 * Writes text to stdout and flushes it. 0, also when the reader went away
 * (EPIPE: head, a closed pipe, a normal end); otherwise says so and
 * returns EXIT_WRITE_ERROR.
 */
static int write_out(const char *text)
{
	int err;

	if (fputs(text, stdout) != EOF && fflush(stdout) != EOF)
		return 0;
	err = errno;
	if (err == EPIPE)
		return 0;
	fprintf(stderr, "ctop-bpf: write error: %s\n", strerror(err));
	return EXIT_WRITE_ERROR;
}

/* The version, and the probes ctop-bpf would choose on this kernel. */
static int version(const struct ctop_collector_opts *copts)
{
	struct ctop_probes p;
	char err[512], text[768];

	if (ctop_collector_probes(copts, &p, err, sizeof(err)))
		snprintf(text, sizeof(text), "ctop-bpf %s\nprobes: unknown here (%s)\n",
			 CTOP_VERSION, err);
	else
		snprintf(text, sizeof(text), "ctop-bpf %s\nprobes: net=%s file=%s storage=%s%s\n",
			 CTOP_VERSION, ctop_probe_name(p.net), ctop_probe_name(p.file),
			 ctop_probe_name(p.storage),
			 p.legacy ? " (legacy counters: Linux before 5.17)" : "");
	return write_out(text);
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
		ret = write_out(text);
		free(text);
		/* a write error, or the reader went away: the end either way */
		if (ret || ferror(stdout))
			return ret;
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

	hold_std_fds();
	if (ctop_options_parse(&o, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "ctop-bpf: %s\nTry 'ctop-bpf --help' for more information.\n", err);
		return 2;
	}
	if (o.help)
		return write_out(ctop_options_usage());
	copts.ewma_alpha = o.smooth;
	copts.cmdlines = !o.batch;
	copts.root = "/";
	copts.probes = o.probes;
	copts.light = o.light;
	if (o.version)
		return version(&copts);
	if (o.verbose) {
		copts.loglen = 1 << 20;
		copts.log = malloc(copts.loglen);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	col = ctop_collector_new(&copts, err, sizeof(err));
	if (!col) {
		if (o.verbose && copts.log && copts.log[0])
			fprintf(stderr, "%s", copts.log);
		fprintf(stderr, "ctop-bpf: %s\n", err);
		free(copts.log);
		return 1;
	}
	free(copts.log);
	start = clock_s(CLOCK_MONOTONIC);
	status = ctop_collector_start(col, start);
	if (status) {
		fprintf(stderr, "ctop-bpf: cannot read the BPF maps: %s\n", strerror(-status));
		ctop_collector_free(col);
		return 1;
	}
	status = o.export_addr ? ctop_export_run(col, &o, start)
		 : o.batch	 ? run_batch(col, &o, start)
				 : ctop_tui_run(col, &o);
	ctop_collector_free(col);
	return status;
}
