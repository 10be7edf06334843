// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "export_render.h"
#include "metrics.h"

/* cAdvisor's labels (id, name, image, and namespace/pod/container on Kubernetes), then pid and comm */
#define MAX_LABELS 8

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

static int family(struct ctop_om_buf *b, enum ctop_om_format f, const struct ctop_metric_desc *d,
		  const char *name, const char *help)
{
	bool counter = !strcmp(d->om_type, "counter");

	return ctop_om_family(b, f, name, counter ? CTOP_OM_COUNTER : CTOP_OM_GAUGE,
			      d->om_unit && *d->om_unit ? d->om_unit : NULL, help);
}

/* Every container metric of the table, in its order. */
static int containers(struct ctop_om_buf *b, enum ctop_om_format f, const struct ctop_snapshot *s,
		      const struct ctop_container *const *rows, size_t nrows)
{
	const struct ctop_metric_desc *d;
	struct ctop_om_label l[MAX_LABELS];
	size_t j, nl;
	int m, err = 0;
	double v;

	for (m = 0; m < CTOP_M__ALL && !err; m++) {
		d = ctop_metric_get((enum ctop_metric)m);
		if (!d || !d->om_name || !(d->rows & CTOP_ROW_CONTAINER))
			continue;
		if (!ctop_metric_measured(&s->host.probes, (enum ctop_metric)m))
			continue;	/* not measured on this kernel: no series at all */
		err = family(b, f, d, d->om_name, d->om_help);
		for (j = 0; j < nrows && !err; j++) {
			/* a figure the kernel does not give (no limit): no sample */
			if (!ctop_metric_known(&s->host.probes, (enum ctop_metric)m, rows[j], NULL))
				continue;
			nl = container_labels(rows[j], l);
			/* a rate's total since start, or a total the kernel keeps, or a level */
			v = d->kind == CTOP_KIND_COUNTER
				    ? (double)ctop_metric_total((enum ctop_metric)m, rows[j])
				    : ctop_metric_container((enum ctop_metric)m, rows[j]);
			err = ctop_om_sample(b, d->om_name, l, nl, v * d->om_scale);
		}
	}
	if (err)
		return err;
	/*
	 * Not a metric of the table: no row has a figure of its own here, every
	 * row of a snapshot was seen at its time (the JSON's "time").
	 */
	err = ctop_om_family(b, f, "container_last_seen", CTOP_OM_GAUGE, NULL,
			     "When ctop-bpf last saw the container: the wall-clock time of the "
			     "refresh, in seconds since the epoch.");
	for (j = 0; j < nrows && !err; j++) {
		nl = container_labels(rows[j], l);
		err = ctop_om_sample(b, "container_last_seen", l, nl, s->time);
	}
	return err;
}

/* Every process metric of the table, each process labelled by pid, comm and its container. */
static int processes(struct ctop_om_buf *b, enum ctop_om_format f, const struct ctop_snapshot *s,
		     const struct ctop_container *const *rows, size_t nrows)
{
	const struct ctop_metric_desc *d;
	struct ctop_om_label l[MAX_LABELS];
	const struct ctop_proc *p;
	char pid[16];
	size_t j, k, nl;
	int m, err = 0;
	double v;

	for (m = 0; m < CTOP_M__ALL && !err; m++) {
		d = ctop_metric_get((enum ctop_metric)m);
		if (!d || !d->om_proc_name || !(d->rows & CTOP_ROW_PROC))
			continue;
		if (!ctop_metric_measured(&s->host.probes, (enum ctop_metric)m))
			continue;
		err = family(b, f, d, d->om_proc_name, d->om_proc_help);
		for (j = 0; j < nrows && !err; j++) {
			nl = container_labels(rows[j], l);
			for (k = 0; k < rows[j]->nprocs && !err; k++) {
				p = &rows[j]->procs[k];
				if (!ctop_metric_known(&s->host.probes, (enum ctop_metric)m, rows[j], p))
					continue;
				snprintf(pid, sizeof(pid), "%u", p->pid);
				l[nl] = (struct ctop_om_label){ "pid", pid };
				/* comm is the tenant's: the writer escapes and sanitises it */
				l[nl + 1] = (struct ctop_om_label){ "comm", p->comm };
				v = d->kind == CTOP_KIND_COUNTER
					    ? (double)ctop_metric_proc_total((enum ctop_metric)m, p)
					    : ctop_metric_proc((enum ctop_metric)m, p);
				err = ctop_om_sample(b, d->om_proc_name, l, nl + 2, v * d->om_scale);
			}
		}
	}
	return err;
}

int ctop_export_render(struct ctop_om_buf *b, enum ctop_om_format f,
		       const struct ctop_snapshot *s, const struct ctop_container *const *rows,
		       size_t nrows, bool procs, const struct ctop_export_self *self)
{
	struct ctop_om_label l[2];
	int err;

	err = containers(b, f, s, rows, nrows);
	if (!err && procs)
		err = processes(b, f, s, rows, nrows);
	if (err)
		return err;
	l[0] = (struct ctop_om_label){ "version", self->version };
	l[1] = (struct ctop_om_label){ "kernel", s->host.kernel };
	ctop_om_family(b, f, "ctop_build_info", CTOP_OM_GAUGE, NULL,
		       "ctop-bpf's version and the kernel it runs on; always 1");
	ctop_om_sample(b, "ctop_build_info", l, 2, 1);
	ctop_om_family(b, f, "ctop_self_cpu_seconds_total", CTOP_OM_COUNTER, "seconds",
		       "CPU time ctop-bpf itself used, user and system");
	ctop_om_sample(b, "ctop_self_cpu_seconds_total", NULL, 0, self->cpu_s);
	ctop_om_family(b, f, "ctop_self_rss_bytes", CTOP_OM_GAUGE, "bytes",
		       "ctop-bpf's own resident memory");
	ctop_om_sample(b, "ctop_self_rss_bytes", NULL, 0, self->rss_bytes);
	ctop_om_family(b, f, "ctop_lost_events_total", CTOP_OM_COUNTER, NULL,
		       "Events the kernel side could not record (full maps or buffers)");
	ctop_om_sample(b, "ctop_lost_events_total", NULL, 0, (double)s->host.lost_events);
	return ctop_om_end(b, f);
}
