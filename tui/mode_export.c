// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --export: no screen, no output; each refresh is rendered once in both
 * exposition formats and handed to the HTTP server, which scrapes copy.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "export_server.h"
#include "mode_export.h"
#include "openmetrics.h"

static volatile sig_atomic_t export_stop;

static void on_stop(int sig)
{
	export_stop = sig;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (double)(time_t)t) * 1e9) };

	while (!export_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
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

/* Which kind of row a family has a sample for. */
enum fam_scope { FAM_CONTAINER, FAM_SELF };

struct fam {
	const char *name;
	enum ctop_om_type type;
	const char *unit;
	const char *help;
	enum fam_scope scope;
	int metric;		/* the ctop_metric that must be measured, or -1 */
	double (*value)(const struct ctop_container *c);
};

static double v_cpu(const struct ctop_container *c) { return (double)c->cpu_ns_total / 1e9; }
static double v_rss(const struct ctop_container *c) { return c->m[CTOP_M_RSS]; }
static double v_rx(const struct ctop_container *c) { return (double)c->net_rx_total; }
static double v_tx(const struct ctop_container *c) { return (double)c->net_tx_total; }
static double v_sw(const struct ctop_container *c) { return (double)c->storage_write_total; }
static double v_dw(const struct ctop_container *c) { return (double)c->disk_write_total; }
static double v_pids(const struct ctop_container *c) { return (double)c->pids; }

/*
 * TEMPORARY: a minimal family list so that metrics flow for the e2e test;
 * replaced by iterating core/metrics.h's table (one descriptor per metric,
 * with its OpenMetrics name, type and help) once that lands.
 */
static const struct fam *export_families(size_t *n)
{
	static const struct fam fams[] = {
		{ "container_cpu_usage_seconds_total", CTOP_OM_COUNTER, "seconds",
		  "CPU time used by the container's tasks since ctop-bpf started",
		  FAM_CONTAINER, -1, v_cpu },
		{ "container_memory_rss", CTOP_OM_GAUGE, "bytes",
		  "Resident memory of the container's processes", FAM_CONTAINER, -1, v_rss },
		{ "container_network_receive_bytes_total", CTOP_OM_COUNTER, "bytes",
		  "Bytes received on the container's sockets", FAM_CONTAINER, CTOP_M_NET_RX, v_rx },
		{ "container_network_transmit_bytes_total", CTOP_OM_COUNTER, "bytes",
		  "Bytes sent on the container's sockets", FAM_CONTAINER, CTOP_M_NET_TX, v_tx },
		{ "container_fs_writes_bytes_total", CTOP_OM_COUNTER, "bytes",
		  "Bytes the container caused to be written to storage (block level)",
		  FAM_CONTAINER, CTOP_M_STORAGE_WRITE, v_sw },
		{ "ctop_disk_write_bytes_total", CTOP_OM_COUNTER, "bytes",
		  "Bytes written to files by system call, network excluded", FAM_CONTAINER,
		  CTOP_M_DISK_WRITE, v_dw },
		{ "container_processes", CTOP_OM_GAUGE, NULL,
		  "Live processes (thread-group leaders) in the container", FAM_CONTAINER, -1,
		  v_pids },
	};

	*n = sizeof(fams) / sizeof(fams[0]);
	return fams;
}

/* cAdvisor's labels: id, name, image, and namespace/pod/container on Kubernetes. */
static size_t container_labels(const struct ctop_container *c, struct ctop_om_label *l)
{
	size_t n = 0;

	l[n++] = (struct ctop_om_label){ "id", c->is_host ? "/" : c->cgroup };
	l[n++] = (struct ctop_om_label){ "name", c->is_host ? "[host]" : c->name };
	l[n++] = (struct ctop_om_label){ "image", c->image };
	if (!c->is_host && c->pod[0] && strstr(c->cgroup, "kubepods")) {
		l[n++] = (struct ctop_om_label){ "namespace", c->ns };
		l[n++] = (struct ctop_om_label){ "pod", c->pod };
		l[n++] = (struct ctop_om_label){ "container", c->name };
	}
	return n;
}

static int render(struct ctop_om_buf *b, enum ctop_om_format f, const struct ctop_snapshot *s,
		  const struct ctop_container **rows, size_t nrows)
{
	struct ctop_om_label l[6];
	const struct fam *fams;
	size_t nfams, i, j, nl;
	char sample[160];
	int err = 0;

	fams = export_families(&nfams);
	for (i = 0; i < nfams && !err; i++) {
		if (fams[i].metric >= 0 &&
		    !ctop_metric_measured(&s->host.probes, (enum ctop_metric)fams[i].metric))
			continue;	/* not measured on this kernel: no series at all */
		err = ctop_om_family(b, f, fams[i].name, fams[i].type, fams[i].unit, fams[i].help);
		snprintf(sample, sizeof(sample), "%s", fams[i].name);
		for (j = 0; j < nrows && !err; j++) {
			nl = container_labels(rows[j], l);
			err = ctop_om_sample(b, sample, l, nl, fams[i].value(rows[j]));
		}
	}
	if (err)
		return err;
	l[0] = (struct ctop_om_label){ "version", CTOP_VERSION };
	l[1] = (struct ctop_om_label){ "kernel", s->host.kernel };
	ctop_om_family(b, f, "ctop_build_info", CTOP_OM_GAUGE, NULL,
		       "ctop-bpf's version and the kernel it runs on; always 1");
	ctop_om_sample(b, "ctop_build_info", l, 2, 1);
	ctop_om_family(b, f, "ctop_self_cpu_seconds_total", CTOP_OM_COUNTER, "seconds",
		       "CPU time ctop-bpf itself used, user and system");
	ctop_om_sample(b, "ctop_self_cpu_seconds_total", NULL, 0, self_cpu_s());
	ctop_om_family(b, f, "ctop_self_rss_bytes", CTOP_OM_GAUGE, "bytes",
		       "ctop-bpf's own resident memory");
	ctop_om_sample(b, "ctop_self_rss_bytes", NULL, 0, self_rss_bytes());
	ctop_om_family(b, f, "ctop_lost_events_total", CTOP_OM_COUNTER, NULL,
		       "Events the kernel side could not record (full maps or buffers)");
	ctop_om_sample(b, "ctop_lost_events_total", NULL, 0, (double)s->host.lost_events);
	return ctop_om_end(b, f);
}

int ctop_export_run(struct ctop_collector *col, const struct ctop_options *o, double start)
{
	struct ctop_om_buf text, om;
	struct ctop_export_server *srv;
	const struct ctop_snapshot *snap;
	const struct ctop_container **rows = NULL;
	struct ctop_export_addr addr;
	struct sigaction sa;
	double next;
	size_t i, n, cap = 0;
	char err[256];
	long iter;
	int ret, status = 0;

	ctop_om_buf_init(&text);
	ctop_om_buf_init(&om);
	if (ctop_export_addr_parse(o->export_addr, &addr)) {
		/* options.c checked it already */
		fprintf(stderr, "ctop-bpf: --export: bad address\n");
		return 2;
	}
	srv = ctop_export_server_new(&addr, err, sizeof(err));
	if (!srv) {
		fprintf(stderr, "ctop-bpf: --export %s: cannot listen: %s%s\n", o->export_addr, err,
			errno == EADDRINUSE ? " (another program has this port: choose another "
					      "with --export HOST:PORT)" : "");
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	next = start + (o->delay < CTOP_FIRST_INTERVAL ? o->delay : CTOP_FIRST_INTERVAL);
	for (iter = 0; !export_stop && (!o->iterations || iter < o->iterations); iter++) {
		sleep_until(next);
		if (export_stop)
			break;
		ret = ctop_collector_sample(col, mono_s(), wall_s(), &snap);
		if (ret) {
			fprintf(stderr, "ctop-bpf: reading the kernel's counters failed: %s\n",
				strerror(-ret));
			status = 1;
			break;
		}
		if (snap->ncontainers + 1 > cap) {
			const struct ctop_container **r;

			cap = snap->ncontainers + 16;
			r = realloc(rows, cap * sizeof(*rows));
			if (!r) {
				fprintf(stderr, "ctop-bpf: out of memory\n");
				status = 1;
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
		ret = render(&text, CTOP_OM_TEXT, snap, rows, n);
		if (!ret)
			ret = render(&om, CTOP_OM_OPENMETRICS, snap, rows, n);
		if (!ret)
			ret = ctop_export_server_publish(srv, &text, &om);
		if (ret) {
			fprintf(stderr, "ctop-bpf: rendering the metrics failed: %s\n",
				strerror(-ret));
			status = 1;
			break;
		}
		next += o->delay;
		if (next < mono_s())
			next = mono_s() + o->delay;
	}
	ctop_export_server_free(srv);
	ctop_om_buf_fini(&text);
	ctop_om_buf_fini(&om);
	free(rows);
	return status;
}
