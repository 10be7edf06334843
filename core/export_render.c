// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export_render.h"
#include "metrics.h"

/* cAdvisor's labels (id, name, image, and namespace/pod/container on Kubernetes), then pid and comm */
#define MAX_LABELS 8

/* Families of one scrape: the table's, per container and per process, and 5 more. */
#define MAX_FAMILIES (2 * CTOP_M__ALL + 8)

/*
 * Where a scrape goes: one buffer per format wanted (NULL: not wanted).
 * The formats differ only in their family headers and # EOF, so samples
 * are written once, to the first; with both wanted, OpenMetrics is put
 * together after the text is done, from each family's header and a copy
 * of its samples: rendering both costs little more than rendering one,
 * and each buffer grows alone, as when each format was rendered apart.
 */
struct family_at {
	const char *name, *unit, *help;
	enum ctop_om_type type;
	size_t from, to;		/* its samples in first */
};

struct sink {
	struct ctop_om_buf *b[2];	/* [CTOP_OM_TEXT], [CTOP_OM_OPENMETRICS] */
	struct ctop_om_buf *first;	/* where samples are written */
	struct family_at fam[MAX_FAMILIES];	/* with both: what OpenMetrics takes */
	size_t nfam;
};

static bool both_wanted(const struct sink *k)
{
	return k->b[0] && k->b[1];
}

static int sink_family(struct sink *k, const char *name, enum ctop_om_type type,
		       const char *unit, const char *help)
{
	int err = ctop_om_family(k->first, k->first == k->b[0] ? CTOP_OM_TEXT : CTOP_OM_OPENMETRICS,
				 name, type, unit, help);

	if (err || !both_wanted(k))
		return err;
	if (k->nfam == MAX_FAMILIES)
		return -EINVAL;	/* a table grown past the bound: a bug */
	k->fam[k->nfam++] = (struct family_at){ name, unit, help, type, k->first->len,
						 k->first->len };
	return 0;
}

/* Ends the family's samples. */
static int sink_flush(struct sink *k)
{
	if (k->first->err)
		return k->first->err;
	if (both_wanted(k) && k->nfam)
		k->fam[k->nfam - 1].to = k->first->len;
	return 0;
}

/* With both wanted, OpenMetrics from the families the text holds. */
static int sink_second(struct sink *k)
{
	const struct family_at *f;
	size_t i;
	int err = 0;

	if (!both_wanted(k))
		return 0;
	for (i = 0; i < k->nfam && !err; i++) {
		f = &k->fam[i];
		err = ctop_om_family(k->b[1], CTOP_OM_OPENMETRICS, f->name, f->type, f->unit,
				     f->help);
		if (!err && f->to > f->from)
			err = ctop_om_append(k->b[1], k->first->data + f->from, f->to - f->from);
	}
	return err;
}

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

static int family(struct sink *k, const struct ctop_metric_desc *d, const char *name,
		  const char *help)
{
	bool counter = !strcmp(d->om_type, "counter");

	return sink_family(k, name, counter ? CTOP_OM_COUNTER : CTOP_OM_GAUGE,
			   d->om_unit && *d->om_unit ? d->om_unit : NULL, help);
}

/*
 * Each series' label set, escaped once for all the families it is in: a
 * row's, or with procs each of its processes', in the rows' order. Set q
 * is data + at[q], at[q + 1] - at[q] bytes.
 */
struct label_sets {
	struct ctop_om_buf buf;
	size_t *at;
};

static int label_sets(struct label_sets *ls, const struct ctop_container *const *rows,
		      size_t nrows, bool procs)
{
	struct ctop_om_label l[MAX_LABELS];
	char pid[16];
	size_t i, j, nl, n = 0, q = 0;
	int err = 0;

	ctop_om_buf_init(&ls->buf);
	for (j = 0; j < nrows; j++)
		n += procs ? rows[j]->nprocs : 1;
	ls->at = malloc((n + 1) * sizeof(*ls->at));
	if (!ls->at)
		return -ENOMEM;
	ls->at[0] = 0;
	for (j = 0; j < nrows && !err; j++) {
		nl = container_labels(rows[j], l);
		if (!procs) {
			err = ctop_om_labels(&ls->buf, l, nl);
			ls->at[++q] = ls->buf.len;
		}
		for (i = 0; procs && i < rows[j]->nprocs && !err; i++) {
			snprintf(pid, sizeof(pid), "%u", rows[j]->procs[i].pid);
			l[nl] = (struct ctop_om_label){ "pid", pid };
			/* comm is the tenant's: the writer escapes and sanitises it */
			l[nl + 1] = (struct ctop_om_label){ "comm", rows[j]->procs[i].comm };
			err = ctop_om_labels(&ls->buf, l, nl + 2);
			ls->at[++q] = ls->buf.len;
		}
	}
	return err;
}

static void label_sets_fini(struct label_sets *ls)
{
	ctop_om_buf_fini(&ls->buf);
	free(ls->at);
}

/* A sample of set q. */
static int sample(struct sink *k, const char *name, const struct label_sets *ls, size_t q,
		  double v)
{
	return ctop_om_sample_set(k->first, name, ls->buf.data + ls->at[q],
				  ls->at[q + 1] - ls->at[q], v);
}

/* Every container metric of the table, in its order. */
static int containers(struct sink *k, const struct ctop_snapshot *s,
		      const struct ctop_container *const *rows, size_t nrows)
{
	const struct ctop_metric_desc *d;
	struct label_sets ls;
	size_t j;
	int m, err;
	double v;

	err = label_sets(&ls, rows, nrows, false);
	for (m = 0; m < CTOP_M__ALL && !err; m++) {
		d = ctop_metric_get((enum ctop_metric)m);
		if (!d || !d->om_name || !(d->rows & CTOP_ROW_CONTAINER))
			continue;
		if (!ctop_metric_measured(&s->host.probes, (enum ctop_metric)m))
			continue;	/* not measured on this kernel: no series at all */
		err = family(k, d, d->om_name, d->om_help);
		for (j = 0; j < nrows && !err; j++) {
			/* a figure the kernel does not give (no limit): no sample */
			if (!ctop_metric_known(&s->host.probes, (enum ctop_metric)m, rows[j], NULL))
				continue;
			/* a rate's total since start, or a total the kernel keeps, or a level */
			v = d->kind == CTOP_KIND_COUNTER
				    ? (double)ctop_metric_total((enum ctop_metric)m, rows[j])
				    : ctop_metric_container((enum ctop_metric)m, rows[j]);
			err = sample(k, d->om_name, &ls, j, v / d->om_div);
		}
		if (!err)
			err = sink_flush(k);
	}
	/*
	 * Not a metric of the table: no row has a figure of its own here, every
	 * row of a snapshot was seen at its time (the JSON's "time").
	 */
	if (!err)
		err = sink_family(k, "container_last_seen", CTOP_OM_GAUGE, NULL,
				  "When ctop-bpf last saw the container: the wall-clock time of the "
				  "refresh, in seconds since the epoch.");
	for (j = 0; j < nrows && !err; j++)
		err = sample(k, "container_last_seen", &ls, j, s->time);
	if (!err)
		err = sink_flush(k);
	label_sets_fini(&ls);
	return err;
}

/* Every process metric of the table, each process labelled by pid, comm and its container. */
static int processes(struct sink *k, const struct ctop_snapshot *s,
		     const struct ctop_container *const *rows, size_t nrows)
{
	const struct ctop_metric_desc *d;
	const struct ctop_proc *p;
	struct label_sets ls;
	size_t i, j, q;
	int m, err;
	double v;

	err = label_sets(&ls, rows, nrows, true);
	for (m = 0; m < CTOP_M__ALL && !err; m++) {
		d = ctop_metric_get((enum ctop_metric)m);
		if (!d || !d->om_proc_name || !(d->rows & CTOP_ROW_PROC))
			continue;
		if (!ctop_metric_measured(&s->host.probes, (enum ctop_metric)m))
			continue;
		err = family(k, d, d->om_proc_name, d->om_proc_help);
		for (j = 0, q = 0; j < nrows && !err; j++) {
			for (i = 0; i < rows[j]->nprocs && !err; i++, q++) {
				p = &rows[j]->procs[i];
				if (!ctop_metric_known(&s->host.probes, (enum ctop_metric)m, rows[j], p))
					continue;
				v = d->kind == CTOP_KIND_COUNTER
					    ? (double)ctop_metric_proc_total((enum ctop_metric)m, p)
					    : ctop_metric_proc((enum ctop_metric)m, p);
				err = sample(k, d->om_proc_name, &ls, q, v / d->om_div);
			}
		}
		if (!err)
			err = sink_flush(k);
	}
	label_sets_fini(&ls);
	return err;
}

static int render(struct sink *k, const struct ctop_snapshot *s,
		  const struct ctop_container *const *rows, size_t nrows, bool procs,
		  const struct ctop_export_self *self)
{
	struct ctop_om_label l[2];
	int f, err;

	err = containers(k, s, rows, nrows);
	if (!err && procs)
		err = processes(k, s, rows, nrows);
	if (err)
		return err;
	l[0] = (struct ctop_om_label){ "version", self->version };
	l[1] = (struct ctop_om_label){ "kernel", s->host.kernel };
	sink_family(k, "ctop_build_info", CTOP_OM_GAUGE, NULL,
		    "ctop-bpf's version and the kernel it runs on; always 1");
	ctop_om_sample(k->first, "ctop_build_info", l, 2, 1);
	sink_flush(k);
	sink_family(k, "ctop_self_cpu_seconds_total", CTOP_OM_COUNTER, "seconds",
		    "CPU time ctop-bpf itself used, user and system");
	ctop_om_sample(k->first, "ctop_self_cpu_seconds_total", NULL, 0, self->cpu_s);
	sink_flush(k);
	sink_family(k, "ctop_self_rss_bytes", CTOP_OM_GAUGE, "bytes",
		    "ctop-bpf's own resident memory");
	ctop_om_sample(k->first, "ctop_self_rss_bytes", NULL, 0, self->rss_bytes);
	sink_flush(k);
	sink_family(k, "ctop_lost_events_total", CTOP_OM_COUNTER, NULL,
		    "Events the kernel side could not record (full maps or buffers)");
	ctop_om_sample(k->first, "ctop_lost_events_total", NULL, 0, (double)s->host.lost_events);
	err = sink_flush(k);
	if (!err)
		err = sink_second(k);
	for (f = 0; f < 2 && !err; f++)
		if (k->b[f])
			err = ctop_om_end(k->b[f], (enum ctop_om_format)f);
	return err;
}

int ctop_export_render(struct ctop_om_buf *b, enum ctop_om_format f,
		       const struct ctop_snapshot *s, const struct ctop_container *const *rows,
		       size_t nrows, bool procs, const struct ctop_export_self *self)
{
	struct sink k = { .first = b };

	k.b[f == CTOP_OM_OPENMETRICS] = b;
	return render(&k, s, rows, nrows, procs, self);
}

int ctop_export_render_both(struct ctop_om_buf *text, struct ctop_om_buf *om,
			    const struct ctop_snapshot *s, const struct ctop_container *const *rows,
			    size_t nrows, bool procs, const struct ctop_export_self *self)
{
	struct sink k = { .b = { text, om }, .first = text };

	return render(&k, s, rows, nrows, procs, self);
}
