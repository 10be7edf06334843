// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A snapshot as the exporter serves it, against golden files: every
 * container series of the metric table, container_last_seen, and with -p
 * the ctop_process_* series, tenant text escaped.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export_render.h"
#include "metrics.h"
#include "fixture.h"

static struct ctop_snapshot snap;
static struct ctop_container conts[2];
static struct ctop_proc procs[3];
static const struct ctop_container *rows[3];
static const struct ctop_export_self self = { "test", 1.25, 7577600 };

static void setup(void)
{
	struct ctop_container *c;
	struct ctop_proc *p;

	memset(&snap, 0, sizeof(snap));
	memset(conts, 0, sizeof(conts));
	memset(procs, 0, sizeof(procs));
	snap.time = 1767225600.5;
	snap.interval_s = 1;
	snprintf(snap.host.kernel, sizeof(snap.host.kernel), "6.18.0-test");
	/* storage not measured here: no container_fs_* nor ctop_process_fs_* series */
	snap.host.probes = (struct ctop_probes){ .net = CTOP_PROBE_TRACEPOINT,
						 .file = CTOP_PROBE_SYSCALL,
						 .storage = CTOP_PROBE_OFF };
	snap.host.lost_events = 3;

	c = &snap.host_row;
	c->is_host = true;
	snprintf(c->id, sizeof(c->id), "host");
	c->pids = 1;
	c->start_time = 1767200000;
	c->cpu_ns_total = 500000000;
	c->procs = &procs[0];
	c->nprocs = 1;
	p = &procs[0];
	p->pid = 2;
	snprintf(p->comm, sizeof(p->comm), "kthreadd");
	p->start_time = 1767200000;
	p->cpu_ns_total = 500000000;
	p->m[CTOP_M_RSS] = 0;

	c = &conts[0];
	snprintf(c->id, sizeof(c->id), "abc");
	snprintf(c->name, sizeof(c->name), "web");
	snprintf(c->image, sizeof(c->image), "nginx:1.25");
	snprintf(c->cgroup, sizeof(c->cgroup), "/docker/abc");
	c->pids = 2;
	c->start_time = 1767225000.25;
	c->cpu_ns_total = 12500000000ULL;
	c->io_total[CTOP_IO_DISK_WRITE] = 67108864;
	c->io_total[CTOP_IO_NET_RX] = 1000;
	c->io_total[CTOP_IO_STORAGE_WRITE] = 4096;	/* not measured: not shown */
	c->m[CTOP_M_RSS] = 2097152;
	c->cgm[CTOP_M_MEM - CTOP_M_MEM] = 1048576;
	c->cgm[CTOP_M_MEM_LIMIT - CTOP_M_MEM] = 33554432;
	c->cgm[CTOP_M_PSI_CPU - CTOP_M_MEM] = 12.5;
	c->cgm[CTOP_M_OOM_KILLS - CTOP_M_MEM] = 2;
	c->cgm_known = 1u << (CTOP_M_MEM - CTOP_M_MEM) | 1u << (CTOP_M_MEM_LIMIT - CTOP_M_MEM) |
		       1u << (CTOP_M_PSI_CPU - CTOP_M_MEM) | 1u << (CTOP_M_OOM_KILLS - CTOP_M_MEM);
	c->procs = &procs[1];
	c->nprocs = 2;
	p = &procs[1];
	p->pid = 101;
	p->nthreads = 4;
	snprintf(p->comm, sizeof(p->comm), "nginx");
	p->start_time = 1767225000.25;
	p->cpu_ns_total = 12000000000ULL;
	p->io_total[CTOP_IO_DISK_WRITE] = 67108864;
	p->m[CTOP_M_RSS] = 1048576;
	p = &procs[2];
	p->pid = 102;
	p->nthreads = 1;
	/* a tenant's comm: quote, backslash, newline, ESC */
	snprintf(p->comm, sizeof(p->comm), "a\"b\\c\nd\x1b[2J");
	p->start_time = 0;	/* unknown: no start sample */
	p->cpu_ns_total = 500000000;
	p->io_total[CTOP_IO_NET_RX] = 1000;
	p->m[CTOP_M_RSS] = 1048576;

	/* Kubernetes: namespace, pod and container labels; no start time known */
	c = &conts[1];
	snprintf(c->id, sizeof(c->id), "x");
	snprintf(c->name, sizeof(c->name), "app");
	snprintf(c->cgroup, sizeof(c->cgroup), "/kubepods.slice/cri-containerd-x.scope");
	snprintf(c->pod, sizeof(c->pod), "app-7d9");
	snprintf(c->ns, sizeof(c->ns), "prod");

	snap.containers = conts;
	snap.ncontainers = 2;
	rows[0] = &snap.host_row;
	rows[1] = &conts[0];
	rows[2] = &conts[1];
}

TestSuite(export_render, .init = setup);

/* A golden file of tests/fixtures/openmetrics. */
static char *slurp(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "openmetrics/%s", rel);
	return fixture_slurp(path, NULL);
}

static char *render(enum ctop_om_format f, bool procs)
{
	struct ctop_om_buf b;
	char *s;

	ctop_om_buf_init(&b);
	cr_assert_eq(ctop_export_render(&b, f, &snap, rows, 3, procs, &self), 0);
	s = strdup(b.data);
	ctop_om_buf_fini(&b);
	return s;
}

static void golden(enum ctop_om_format f, bool procs, const char *file)
{
	char *got = render(f, procs), *want = slurp(file);

	cr_assert_str_eq(got, want, "%s differs; got:\n%s", file, got);
	free(got);
	free(want);
}

Test(export_render, golden_text)
{
	golden(CTOP_OM_TEXT, false, "snapshot.prom");
}

Test(export_render, golden_openmetrics_with_processes)
{
	golden(CTOP_OM_OPENMETRICS, true, "snapshot_procs.om");
}

Test(export_render, every_table_metric_has_its_family)
{
	char *text = render(CTOP_OM_TEXT, true), line[160];
	int m;

	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = ctop_metric_get((enum ctop_metric)m);
		bool measured = ctop_metric_measured(&snap.host.probes, (enum ctop_metric)m);

		if (d->rows & CTOP_ROW_CONTAINER) {
			snprintf(line, sizeof(line), "# TYPE %s %s\n", d->om_name, d->om_type);
			cr_assert_eq(strstr(text, line) != NULL, measured, "%s", line);
		}
		if (d->om_proc_name) {
			snprintf(line, sizeof(line), "# TYPE %s %s\n", d->om_proc_name, d->om_type);
			cr_assert_eq(strstr(text, line) != NULL, measured, "%s", line);
		}
	}
	free(text);
}

Test(export_render, no_process_series_by_default)
{
	char *text = render(CTOP_OM_OPENMETRICS, false);

	cr_assert_null(strstr(text, "ctop_process_"));
	cr_assert_null(strstr(text, "pid="));
	free(text);
}

Test(export_render, a_gone_process_leaves_the_next_scrape)
{
	char *text;

	conts[0].nprocs = 1;	/* 102 exited */
	text = render(CTOP_OM_TEXT, true);
	cr_assert_not_null(strstr(text, "pid=\"101\""));
	cr_assert_null(strstr(text, "pid=\"102\""));
	free(text);
}

/* What --export publishes: both formats from one pass, each as rendered alone. */
static void both(bool procs)
{
	char *text = render(CTOP_OM_TEXT, procs), *om = render(CTOP_OM_OPENMETRICS, procs);
	struct ctop_om_buf t, o;

	ctop_om_buf_init(&t);
	ctop_om_buf_init(&o);
	/* into buffers that held an older scrape, as the exporter reuses them */
	cr_assert_eq(ctop_export_render_both(&t, &o, &snap, rows, 3, !procs, &self), 0);
	ctop_om_buf_reset(&t);
	ctop_om_buf_reset(&o);
	cr_assert_eq(ctop_export_render_both(&t, &o, &snap, rows, 3, procs, &self), 0);
	cr_assert_str_eq(t.data, text);
	cr_assert_str_eq(o.data, om);
	cr_assert_neq(strcmp(t.data, o.data), 0);
	ctop_om_buf_fini(&t);
	ctop_om_buf_fini(&o);
	free(text);
	free(om);
}

Test(export_render, both_formats_at_once_are_each_alone)
{
	both(false);
}

Test(export_render, both_formats_at_once_with_processes)
{
	both(true);
}
