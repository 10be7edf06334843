// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "format.h"
#include "metrics.h"
#include "output.h"

size_t ctop_view_containers(const struct ctop_snapshot *s, const struct ctop_view_opts *o,
			    const struct ctop_container **v)
{
	size_t i, n = 0;

	for (i = 0; i < s->ncontainers; i++)
		if (ctop_filter_container(&s->containers[i], o->filter))
			v[n++] = &s->containers[i];
	ctop_sort_containers(v, n, o->sort, o->reverse);
	if (o->all)
		v[n++] = &s->host_row;
	return n;
}

/* Processes of a row, sorted like the rows; NULL when there are none. */
static const struct ctop_proc **sorted_procs(const struct ctop_container *c,
					     const struct ctop_view_opts *o)
{
	const struct ctop_proc **v;
	size_t i;

	v = malloc((c->nprocs ? c->nprocs : 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < c->nprocs; i++)
		v[i] = &c->procs[i];
	ctop_sort_procs(v, c->nprocs, o->sort, o->reverse);
	return v;
}

/* Rates keep two decimals: finer would only be noise from the clock. */
static json_t *jreal(double v)
{
	return json_real(round(v * 100.0) / 100.0);
}

/* Names come from the kernel and from files: make them valid UTF-8 first. */
static json_t *jstr(const char *s)
{
	char buf[CTOP_CGROUP_LEN * 2];

	return json_string(ctop_fmt_utf8(buf, sizeof(buf), s));
}

static int set(json_t *obj, const char *key, json_t *val)
{
	return json_object_set_new(obj, key, val);
}

/*
 * The figures of a row (c, or p when given) in table order: those flagged
 * JSON_EARLY, or the others. Counts and bytes are integers, rates and
 * percents keep two decimals; what the probes do not measure is null.
 */
static int put_metrics(json_t *o, const struct ctop_container *c, const struct ctop_proc *p,
		       const struct ctop_probes *pr, bool early)
{
	const struct ctop_metric_desc *d;
	unsigned rows = p ? CTOP_ROW_PROC : CTOP_ROW_CONTAINER;
	double v;
	int m, r = 0;

	for (m = 0; (d = ctop_metric_get((enum ctop_metric)m)); m++) {
		if (!(d->rows & rows) || !(d->flags & CTOP_MF_JSON_EARLY) != !early)
			continue;
		v = ctop_metric_value((enum ctop_metric)m, c, p);
		if (!ctop_metric_known(pr, (enum ctop_metric)m, c, p))
			r |= set(o, d->json_key, json_null());
		else if (d->unit == CTOP_UNIT_BYTES || d->unit == CTOP_UNIT_COUNT)
			r |= set(o, d->json_key, json_integer((json_int_t)v));
		else
			r |= set(o, d->json_key, jreal(v));
	}
	return r;
}

/* A container's counters since start. */
static int put_totals(json_t *o, const struct ctop_container *c, const struct ctop_probes *pr)
{
	const struct ctop_metric_desc *d;
	json_int_t v;
	int m, r = 0;

	for (m = 0; (d = ctop_metric_get((enum ctop_metric)m)); m++) {
		if (!(d->rows & CTOP_ROW_CONTAINER) || !d->json_total)
			continue;
		v = (json_int_t)ctop_metric_total((enum ctop_metric)m, c);
		r |= set(o, d->json_total, ctop_metric_measured(pr, (enum ctop_metric)m)
						   ? json_integer(v) : json_null());
	}
	return r;
}

static json_t *json_proc(const struct ctop_proc *p, const struct ctop_probes *pr)
{
	json_t *o = json_object();
	int r = 0;

	if (!o)
		return NULL;
	r |= set(o, "pid", json_integer(p->pid));
	r |= set(o, "ppid", json_integer(p->ppid));
	r |= set(o, "comm", jstr(p->comm));
	r |= put_metrics(o, NULL, p, pr, true);
	r |= put_metrics(o, NULL, p, pr, false);
	if (r) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *json_container(const struct ctop_container *c, const struct ctop_view_opts *vo,
			      const struct ctop_probes *p)
{
	const struct ctop_proc **procs;
	json_t *o = json_object(), *arr;
	size_t i;
	int r = 0;

	if (!o)
		return NULL;
	r |= set(o, "id", jstr(c->id));
	r |= set(o, "name", jstr(c->name));
	r |= set(o, "runtime", jstr(c->runtime));
	r |= set(o, "image", jstr(c->image));
	r |= set(o, "cgroup", jstr(c->cgroup));
	if (c->pod[0])
		r |= set(o, "pod", jstr(c->pod));
	if (c->ns[0])
		r |= set(o, "namespace", jstr(c->ns));
	r |= set(o, "state", c->cg.have & CTOP_CGS_STATE ? jstr(ctop_run_state_name(c->cg.state))
							 : json_null());
	r |= put_metrics(o, c, NULL, p, true);
	r |= put_metrics(o, c, NULL, p, false);
	r |= put_totals(o, c, p);
	if (vo->processes && !r) {
		arr = json_array();
		procs = sorted_procs(c, vo);
		r |= !arr || !procs;
		for (i = 0; !r && i < c->nprocs; i++)
			r |= json_array_append_new(arr, json_proc(procs[i], p));
		free(procs);
		r |= set(o, "processes", arr);
	}
	if (r) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * text and a newline, with DEL escaped too: jansson leaves it raw, as JSON
 * allows, and ENSURE_ASCII has already escaped everything from 0x80. DEL
 * can only stand inside a string, so "\u007f" there is exact.
 */
static char *json_line_inert(const char *text)
{
	size_t n = strlen(text), dels = 0, i, o = 0;
	char *line;

	for (i = 0; i < n; i++)
		dels += text[i] == 0x7f;
	line = malloc(n + dels * 5 + 2);
	if (!line)
		return NULL;
	for (i = 0; i < n; i++) {
		if (text[i] == 0x7f) {
			memcpy(line + o, "\\u007f", 6);
			o += 6;
		} else {
			line[o++] = text[i];
		}
	}
	line[o++] = '\n';
	line[o] = '\0';
	return line;
}

int ctop_output_json(const struct ctop_snapshot *s, const struct ctop_view_opts *o, char **out)
{
	const struct ctop_container **v;
	json_t *root = NULL, *host, *arr, *probes;
	size_t i, n;
	char *text;
	int r = 0;

	*out = NULL;
	v = malloc((s->ncontainers + 1) * sizeof(*v));
	root = json_object();
	host = json_object();
	arr = json_array();
	if (!v || !root || !host || !arr) {
		json_decref(host);
		json_decref(arr);
		r = -ENOMEM;
		goto out;
	}
	r |= set(root, "time", json_real(round(s->time * 1000.0) / 1000.0));
	r |= set(root, "interval_s", json_real(round(s->interval_s * 1000.0) / 1000.0));
	r |= set(host, "cpus", json_integer(s->host.cpus));
	r |= set(host, "cpu_pct", jreal(s->host.cpu_pct));
	r |= set(host, "mem_total_bytes", json_integer((json_int_t)s->host.mem_total_bytes));
	r |= set(host, "mem_used_bytes", json_integer((json_int_t)s->host.mem_used_bytes));
	r |= set(host, "procs", json_integer(s->host.nprocs));
	r |= set(host, "lost_events", json_integer((json_int_t)s->host.lost_events));
	probes = json_object();
	r |= !probes;
	r |= set(probes, "net", json_string(ctop_probe_name(s->host.probes.net)));
	r |= set(probes, "file", json_string(ctop_probe_name(s->host.probes.file)));
	r |= set(probes, "storage", json_string(ctop_probe_name(s->host.probes.storage)));
	r |= set(probes, "tasks", json_string(ctop_probe_name(s->host.probes.tasks)));
	r |= set(host, "probes", probes);
	r |= set(root, "host", host);
	n = ctop_view_containers(s, o, v);
	for (i = 0; !r && i < n; i++)
		r |= json_array_append_new(arr, json_container(v[i], o, &s->host.probes));
	r |= set(root, "containers", arr);
	if (r) {
		r = -ENOMEM;
		goto out;
	}
	text = json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(15));
	*out = text ? json_line_inert(text) : NULL;
	if (!*out)
		r = -ENOMEM;
	free(text);
out:
	json_decref(root);
	free(v);
	return r;
}

/*
 * The figures of a row (c, or p when given) as the batch table's columns.
 * A percent keeps its decimal at any size, as top -b does.
 */
static void table_metrics(FILE *f, const struct ctop_container *c, const struct ctop_proc *p,
			  const struct ctop_probes *pr)
{
	const struct ctop_metric_desc *d;
	unsigned rows = p ? CTOP_ROW_PROC : CTOP_ROW_CONTAINER;
	char b[32];
	double v;
	int m;

	for (m = 0; (d = ctop_metric_get((enum ctop_metric)m)); m++) {
		if (!(d->rows & rows) || !d->batch_width)
			continue;
		v = ctop_metric_value((enum ctop_metric)m, c, p);
		if (!ctop_metric_known(pr, (enum ctop_metric)m, c, p))
			fprintf(f, " %*s", d->batch_width, "-");
		else if (d->unit == CTOP_UNIT_PERCENT)
			fprintf(f, " %*.1f", d->batch_width, v);
		else
			fprintf(f, " %*s", d->batch_width, d->fmt(b, sizeof(b), v));
	}
	fputc('\n', f);
}

int ctop_output_table(const struct ctop_snapshot *s, const struct ctop_view_opts *o, char **out)
{
	const struct ctop_metric_desc *d;
	const struct ctop_container **v;
	const struct ctop_proc **procs;
	char stamp[32], used[16], total[16], col[3][96], label[2 * CTOP_NAME_LEN];
	size_t i, j, n, len;
	struct tm tm;
	int m;
	time_t t = (time_t)s->time;
	FILE *f;

	*out = NULL;
	v = malloc((s->ncontainers + 1) * sizeof(*v));
	f = open_memstream(out, &len);
	if (!v || !f) {
		if (f)
			fclose(f);
		free(*out);
		*out = NULL;
		free(v);
		return -ENOMEM;
	}
	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	n = ctop_view_containers(s, o, v);
	fprintf(f, "ctop-bpf %s  interval %.2fs  cpu %.1f%% of %d  mem %s/%s  containers %zu  "
		   "procs %u  lost %llu\n",
		stamp, s->interval_s, s->host.cpu_pct, s->host.cpus,
		ctop_fmt_bytes(used, sizeof(used), (double)s->host.mem_used_bytes),
		ctop_fmt_bytes(total, sizeof(total), (double)s->host.mem_total_bytes),
		s->ncontainers, s->host.nprocs, (unsigned long long)s->host.lost_events);
	fprintf(f, "%-20s %-12s", "NAME", "ID");
	for (m = 0; (d = ctop_metric_get((enum ctop_metric)m)); m++)
		if ((d->rows & CTOP_ROW_CONTAINER) && d->batch_width)
			fprintf(f, " %*s", d->batch_width, d->title);
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		ctop_container_label(v[i], label, sizeof(label));
		fprintf(f, "%s %s", ctop_fmt_column(col[0], sizeof(col[0]), label, 20, !o->ascii),
			ctop_fmt_column(col[1], sizeof(col[1]), v[i]->id, 12, !o->ascii));
		table_metrics(f, v[i], NULL, &s->host.probes);
		if (!o->processes)
			continue;
		procs = sorted_procs(v[i], o);
		for (j = 0; procs && j < v[i]->nprocs; j++) {
			fprintf(f, "  %7u %7u %s", procs[j]->pid, procs[j]->ppid,
				ctop_fmt_column(col[2], sizeof(col[2]), procs[j]->comm, 10, !o->ascii));
			table_metrics(f, v[i], procs[j], &s->host.probes);
		}
		free(procs);
	}
	fputc('\n', f);
	free(v);
	if (fclose(f)) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}
