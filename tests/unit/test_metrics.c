// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The metric table: its invariants, and that an entry is all it takes for
 * a metric to appear in the JSON, the batch table, sorting and -s.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "metrics.h"
#include "options.h"
#include "output.h"

#define NCONT 3
#define NPROC 2

static const struct ctop_metric_desc *desc(int m)
{
	const struct ctop_metric_desc *d = ctop_metric_get((enum ctop_metric)m);

	cr_assert_not_null(d, "metric %d has no entry", m);
	return d;
}

Test(table, every_id_has_a_complete_entry)
{
	int m;

	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = desc(m);

		cr_assert(d->name && d->json_key && d->title && d->fmt && d->sort_name, "%d", m);
		cr_assert(d->om_name && d->om_type && d->om_unit && d->om_help && d->om_help[0],
			  "%s", d->name);
		cr_assert(d->rows & (CTOP_ROW_CONTAINER | CTOP_ROW_PROC), "%s is in no row", d->name);
		cr_assert_lt((unsigned)d->sort, CTOP_SORT__COUNT, "%s", d->name);
		cr_assert_leq((unsigned)d->sum, CTOP_SORT__COUNT, "%s", d->name);
		cr_assert_gt(d->om_div, 0, "%s", d->name);
	}
	cr_assert_null(ctop_metric_get(CTOP_M__ALL));
	cr_assert_null(ctop_metric_get((enum ctop_metric)-1));
}

Test(table, names_and_json_keys_are_unique)
{
	const char *keys[2 * CTOP_M__ALL];
	size_t nk = 0, i, j;
	int m, n;

	for (m = 0; m < CTOP_M__ALL; m++) {
		keys[nk++] = desc(m)->json_key;
		if (desc(m)->json_total)
			keys[nk++] = desc(m)->json_total;
		for (n = 0; n < m; n++) {
			cr_assert_str_neq(desc(m)->name, desc(n)->name);
			cr_assert_str_neq(desc(m)->om_name, desc(n)->om_name);
		}
	}
	for (i = 0; i < nk; i++)
		for (j = 0; j < i; j++)
			cr_assert_str_neq(keys[i], keys[j]);
}

Test(table, widths_fit_titles)
{
	int m;

	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = desc(m);

		/* 0: no column there, the JSON (and the exporter) only */
		if (d->width)
			cr_assert_geq(d->width, (int)strlen(d->title), "%s", d->name);
		if (d->batch_width)
			cr_assert_geq(d->batch_width, (int)strlen(d->title), "%s", d->name);
		cr_assert_geq(d->drop, 0, "%s", d->name);
	}
}

/* [a-zA-Z_:][a-zA-Z0-9_:]* */
static bool om_name_ok(const char *s)
{
	size_t i;

	if (!s[0] || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == ':'))
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

Test(table, openmetrics_names_types_and_units)
{
	char base[128];
	int m;

	cr_assert(om_name_ok("a:b_1"));
	cr_assert_not(om_name_ok("1a"));
	cr_assert_not(om_name_ok("a-b"));
	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = desc(m);
		/* a total the kernel keeps exports as a counter too, but has no rate */
		bool counter = d->kind == CTOP_KIND_COUNTER || d->kind == CTOP_KIND_CUMULATIVE;

		cr_assert(om_name_ok(d->om_name), "%s", d->om_name);
		cr_assert_str_eq(d->om_type, counter ? "counter" : "gauge", "%s", d->om_name);
		cr_assert_eq(ends_with(d->om_name, "_total"), counter, "%s", d->om_name);
		/* a counter's total is what it exports */
		cr_assert_eq(d->json_total != NULL, d->kind == CTOP_KIND_COUNTER, "%s", d->name);
		cr_assert(!strncmp(d->om_name, "container_", 10) || !strncmp(d->om_name, "ctop_", 5),
			  "%s", d->om_name);
		if (d->om_unit[0]) {
			snprintf(base, sizeof(base), "%.*s", (int)strlen(d->om_name) - (counter ? 6 : 0),
				 d->om_name);
			cr_assert(ends_with(base, d->om_unit), "%s does not end in its unit %s",
				  d->om_name, d->om_unit);
		}
	}
	/* the names cAdvisor's dashboards use, where the meaning is the same */
	cr_assert_str_eq(desc(CTOP_M_CPU)->om_name, "container_cpu_usage_seconds_total");
	cr_assert_str_eq(desc(CTOP_M_STORAGE_WRITE)->om_name, "container_fs_writes_bytes_total");
	cr_assert_str_eq(desc(CTOP_M_DISK_WRITE)->om_name, "ctop_disk_write_bytes_total");
	cr_assert_str_eq(desc(CTOP_M_PIDS)->om_name, "container_processes");
	cr_assert_str_eq(desc(CTOP_M_START)->om_name, "container_start_time_seconds");
}

Test(table, process_series_names)
{
	int m, n;

	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = desc(m);
		bool counter = !strcmp(d->om_type, "counter");

		/* every process figure has a series, and only those */
		cr_assert_eq(d->om_proc_name != NULL, (d->rows & CTOP_ROW_PROC) != 0, "%s", d->name);
		if (!d->om_proc_name)
			continue;
		cr_assert(om_name_ok(d->om_proc_name), "%s", d->om_proc_name);
		cr_assert(!strncmp(d->om_proc_name, "ctop_process_", 13), "%s", d->om_proc_name);
		cr_assert(d->om_proc_help && d->om_proc_help[0], "%s", d->name);
		cr_assert_eq(ends_with(d->om_proc_name, "_total"), counter, "%s", d->om_proc_name);
		/* the same unit as the container's series */
		if (d->om_unit[0])
			cr_assert(strstr(d->om_proc_name, d->om_unit), "%s", d->om_proc_name);
		for (n = 0; n < CTOP_M__ALL; n++) {
			if (n != m && desc(n)->om_proc_name)
				cr_assert_str_neq(desc(n)->om_proc_name, d->om_proc_name);
			/* no clash with a container's series, but a process-only one's own */
			if (n != m || (d->rows & CTOP_ROW_CONTAINER))
				cr_assert_str_neq(desc(n)->om_name, d->om_proc_name);
		}
	}
}

Test(table, zero_start_is_unknown)
{
	struct ctop_probes pr = { 0 };
	struct ctop_container c = { .start_time = 0 };
	struct ctop_proc p = { .start_time = 1700000000.5 };

	cr_assert_not(ctop_metric_known(&pr, CTOP_M_START, &c, NULL));
	cr_assert(ctop_metric_known(&pr, CTOP_M_START, &c, &p));
	c.start_time = 1700000000;
	cr_assert(ctop_metric_known(&pr, CTOP_M_START, &c, NULL));
	cr_assert_float_eq(ctop_metric_value(CTOP_M_START, &c, &p), 1700000000.5, 1e-9);
}

Test(table, sort_keys_resolve_and_are_listed_once)
{
	int seen[CTOP_SORT__COUNT] = { 0 };
	enum ctop_sort_key k, got;
	size_t i;
	int m, n;

	for (i = 0; (k = ctop_sort_key_at(i)) != CTOP_SORT__COUNT; i++) {
		cr_assert_lt((unsigned)k, CTOP_SORT__COUNT);
		seen[k]++;
		cr_assert_eq(ctop_sort_key_parse(ctop_sort_key_name(k), &got), 0, "%d", k);
		cr_assert_eq(got, k);
	}
	for (i = 0; i < CTOP_SORT__COUNT; i++)
		cr_assert_eq(seen[i], 1, "key %zu listed %d times", i, seen[i]);
	cr_assert_eq(ctop_sort_key_at(CTOP_SORT__COUNT - 1), CTOP_SORT_NAME, "name comes last");
	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = desc(m);

		cr_assert_eq(ctop_sort_key_parse(d->sort_name, &got), 0, "%s", d->sort_name);
		cr_assert_eq(got, d->sort, "%s", d->sort_name);
		for (n = 0; n < CTOP_M__ALL; n++) {
			/* a key is one metric's in each kind of row; a sum is no metric's own */
			if (n != m && (desc(n)->rows & d->rows))
				cr_assert_neq(desc(n)->sort, d->sort, "%s and %s", d->name,
					      desc(n)->name);
			cr_assert_neq(desc(n)->sort, d->sum, "%s", d->name);
		}
		cr_assert_neq(d->sort, CTOP_SORT_NAME);
	}
}

Test(table, graphs_are_of_history_and_grouped)
{
	int m;

	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = desc(m), *p = m ? desc(m - 1) : NULL;

		if (!d->graph)
			continue;
		cr_assert_lt(m, CTOP_M__COUNT, "%s: only m[] has a history", d->name);
		cr_assert(d->rows & CTOP_ROW_CONTAINER, "%s", d->name);
		if (p && p->graph && !strcmp(p->graph, d->graph)) {
			cr_assert_eq(p->unit, d->unit, "%s", d->graph);
			cr_assert_eq(p->graph_role, d->graph_role, "%s", d->graph);
		} else {
			for (int n = 0; n < m; n++)
				cr_assert(!desc(n)->graph || strcmp(desc(n)->graph, d->graph),
					  "%s: the parts of a graph stand together", d->graph);
		}
	}
}

/* ---- a snapshot whose every figure is distinct, set through the table's ids ---- */

static struct ctop_snapshot snap;
static struct ctop_container conts[NCONT];
static struct ctop_proc procs[NCONT * NPROC];

/*
 * Where a metric's number lives, as the aggregator fills it. A count
 * outside m[] needs a line here; the round trip below fails until it has.
 */
static void set_container(int m, struct ctop_container *c, double v)
{
	if (m < CTOP_M__COUNT)
		c->m[m] = v;
	else if (m == CTOP_M_PIDS)
		c->pids = (uint32_t)v;
	else if (m == CTOP_M_START)
		c->start_time = v;
	else if (m >= CTOP_M_MEM) {
		c->cgm[m - CTOP_M_MEM] = v;
		c->cgm_known |= 1u << (m - CTOP_M_MEM);
	}
}

static void set_proc(int m, struct ctop_proc *p, double v)
{
	if (m < CTOP_M__COUNT)
		p->m[m] = v;
	else if (m == CTOP_M_THREADS)
		p->nthreads = (uint32_t)v;
	else if (m == CTOP_M_START)
		p->start_time = v;
}

/* Whole numbers, distinct per metric and row, in a different order for each metric. */
static double value(int m, int row)
{
	return 1000.0 * (m + 1) + ((row * (m + 2) + m) % 5) * 10 + row;
}

static void setup(void)
{
	int i, j, m;

	memset(&snap, 0, sizeof(snap));
	memset(conts, 0, sizeof(conts));
	memset(procs, 0, sizeof(procs));
	snap.time = 1700000000;
	snap.interval_s = 1;
	snap.host.cpus = 2;
	for (i = 0; i < NCONT; i++) {
		struct ctop_container *c = &conts[i];

		snprintf(c->id, sizeof(c->id), "id%d", i);
		snprintf(c->name, sizeof(c->name), "c%d", i);
		snprintf(c->runtime, sizeof(c->runtime), "docker");
		c->cpu_ns_total = 7000 + (uint64_t)i;
		for (j = 0; j < CTOP_IO__COUNT; j++)
			c->io_total[j] = 100000 * (uint64_t)(j + 1) + (uint64_t)i;
		c->procs = &procs[i * NPROC];
		c->nprocs = NPROC;
		for (m = 0; m < CTOP_M__ALL; m++) {
			set_container(m, c, value(m, i));
			cr_assert_eq(ctop_metric_container((enum ctop_metric)m, c),
				     desc(m)->rows & CTOP_ROW_CONTAINER ? value(m, i) : 0,
				     "%s: the test does not know where a container keeps it",
				     desc(m)->name);
		}
		for (j = 0; j < NPROC; j++) {
			struct ctop_proc *p = &procs[i * NPROC + j];

			p->pid = (uint32_t)(100 * (i + 1) + j);
			snprintf(p->comm, sizeof(p->comm), "p%d", j);
			for (m = 0; m < CTOP_M__ALL; m++) {
				set_proc(m, p, value(m, i * NPROC + j));
				cr_assert_eq(ctop_metric_proc((enum ctop_metric)m, p),
					     desc(m)->rows & CTOP_ROW_PROC ? value(m, i * NPROC + j) : 0,
					     "%s: the test does not know where a process keeps it",
					     desc(m)->name);
			}
		}
	}
	snap.containers = conts;
	snap.ncontainers = NCONT;
	snap.host.probes = (struct ctop_probes){ .net = CTOP_PROBE_TRACEPOINT,
						 .file = CTOP_PROBE_SYSCALL,
						 .storage = CTOP_PROBE_IOAC };
}

TestSuite(render, .init = setup);

static json_t *render_json(void)
{
	struct ctop_view_opts o = { .sort = CTOP_SORT_NAME, .processes = true };
	json_error_t e;
	json_t *root;
	char *text;

	cr_assert_eq(ctop_output_json(&snap, &o, &text), 0);
	root = json_loads(text, 0, &e);
	cr_assert_not_null(root, "%s: %s", e.text, text);
	free(text);
	return root;
}

/* Each key of obj is one of the names given or a key of the table's metrics for rows. */
static void only_known_keys(json_t *obj, const char *const *names, unsigned rows)
{
	const char *key;
	json_t *v;
	size_t i;
	int m;

	json_object_foreach(obj, key, v) {
		bool known = false;

		for (i = 0; names[i]; i++)
			known |= !strcmp(key, names[i]);
		for (m = 0; m < CTOP_M__ALL; m++)
			if (desc(m)->rows & rows)
				known |= !strcmp(key, desc(m)->json_key) ||
					 (desc(m)->json_total && (rows & CTOP_ROW_CONTAINER) &&
					  !strcmp(key, desc(m)->json_total));
		cr_assert(known, "JSON key %s is not from the metric table", key);
	}
}

/* Each metric of rows in obj, with the fixture's value for row; a container's totals too. */
static void check_figures(json_t *obj, unsigned rows, int row, const struct ctop_container *c)
{
	int m;

	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = desc(m);
		json_t *v = json_object_get(obj, d->json_key);

		if (!(d->rows & rows)) {
			cr_assert_null(v, "%s in the wrong row", d->json_key);
			continue;
		}
		cr_assert(json_is_number(v), "%s", d->json_key);
		cr_assert_float_eq(json_number_value(v), value(m, row), 1e-9, "%s", d->json_key);
		if (c && d->json_total)
			cr_assert_eq(json_integer_value(json_object_get(obj, d->json_total)),
				     (json_int_t)ctop_metric_total((enum ctop_metric)m, c), "%s",
				     d->json_total);
	}
}

Test(render, json_has_every_metric_of_the_table_and_no_other)
{
	static const char *const cont_names[] = { "id", "name", "runtime", "image", "cgroup",
						  "state", "processes", NULL };
	static const char *const proc_names[] = { "pid", "ppid", "comm", NULL };
	json_t *root = render_json(), *arr = json_object_get(root, "containers"), *c, *p;
	size_t i, j;

	cr_assert_eq(json_array_size(arr), NCONT);
	for (i = 0; i < NCONT; i++) {
		c = json_array_get(arr, i);	/* by name: c0, c1, c2 */
		only_known_keys(c, cont_names, CTOP_ROW_CONTAINER);
		check_figures(c, CTOP_ROW_CONTAINER, (int)i, &conts[i]);
		for (j = 0; j < NPROC; j++) {
			/* by name too: p0, p1 */
			p = json_array_get(json_object_get(c, "processes"), j);
			cr_assert_not_null(p);
			only_known_keys(p, proc_names, CTOP_ROW_PROC);
			check_figures(p, CTOP_ROW_PROC, (int)(i * NPROC + j), NULL);
		}
	}
	/* the totals are the snapshot's own fields */
	cr_assert_eq(ctop_metric_total(CTOP_M_CPU, &conts[1]), 7001);
	cr_assert_eq(ctop_metric_total(CTOP_M_NET_TX, &conts[2]),
		     conts[2].io_total[CTOP_IO_NET_TX]);
	json_decref(root);
}

Test(render, unmeasured_metrics_are_null)
{
	json_t *root, *c;
	int m;

	snap.host.probes = (struct ctop_probes){ .net = CTOP_PROBE_OFF, .file = CTOP_PROBE_OFF,
						 .storage = CTOP_PROBE_OFF };
	root = render_json();
	c = json_array_get(json_object_get(root, "containers"), 0);
	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = desc(m);

		if (!(d->rows & CTOP_ROW_CONTAINER))
			continue;
		cr_assert_eq(json_is_null(json_object_get(c, d->json_key)),
			     d->probed_by != CTOP_BY_ALWAYS, "%s", d->json_key);
		cr_assert_eq(ctop_metric_measured(&snap.host.probes, (enum ctop_metric)m),
			     d->probed_by == CTOP_BY_ALWAYS, "%s", d->name);
	}
	json_decref(root);
}

Test(render, batch_table_has_every_column_in_order)
{
	struct ctop_view_opts o = { .sort = CTOP_SORT_NAME };
	char *text, *line, *p, cell[40], fig[32], want[512];
	size_t n;
	int m;

	cr_assert_eq(ctop_output_table(&snap, &o, &text), 0);
	line = strchr(text, '\n') + 1;	/* the titles: exactly the table's, right-aligned */
	n = (size_t)snprintf(want, sizeof(want), "%-20s %-12s", "NAME", "ID");
	for (m = 0; m < CTOP_M__ALL; m++)
		if ((desc(m)->rows & CTOP_ROW_CONTAINER) && desc(m)->batch_width)
			n += (size_t)snprintf(want + n, sizeof(want) - n, " %*s", desc(m)->batch_width,
					      desc(m)->title);
	cr_assert(!strncmp(line, want, n) && line[n] == '\n', "titles\n%.*s\nnot\n%s",
		  (int)(strchr(line, '\n') - line), line, want);
	/* c0's row: each figure, formatted as its entry says, in order */
	p = strchr(line, '\n') + 1;
	for (m = 0; m < CTOP_M__ALL; m++) {
		if (!(desc(m)->rows & CTOP_ROW_CONTAINER) || !desc(m)->batch_width)
			continue;
		if (desc(m)->unit == CTOP_UNIT_PERCENT)
			snprintf(fig, sizeof(fig), "%.1f", value(m, 0));
		else
			desc(m)->fmt(fig, sizeof(fig), value(m, 0));
		snprintf(cell, sizeof(cell), " %s", fig);
		p = strstr(p, cell);
		cr_assert_not_null(p, "%s: '%s' missing or out of order in %s", desc(m)->name, cell,
				   line);
		p += strlen(cell);
	}
	free(text);
}

/* The names of the rows sorted by key k, largest first. */
static void sorted_names(enum ctop_sort_key k, char *out, size_t len)
{
	const struct ctop_container *v[NCONT];
	size_t i, o = 0;

	for (i = 0; i < NCONT; i++)
		v[i] = &conts[i];
	ctop_sort_containers(v, NCONT, k, false);
	for (i = 0; i < NCONT; i++)
		o += (size_t)snprintf(out + o, len - o, "%s ", v[i]->name);
}

/* The same, from the values the fixture gave the metrics that key adds up. */
static void expected_names(enum ctop_sort_key k, char *out, size_t len)
{
	double key[NCONT] = { 0 };
	bool used[NCONT] = { false };
	size_t i, o = 0, n;
	int m, best;

	for (m = 0; m < CTOP_M__ALL; m++)
		if ((desc(m)->rows & CTOP_ROW_CONTAINER) && (desc(m)->sort == k || desc(m)->sum == k))
			for (i = 0; i < NCONT; i++)
				key[i] += value(m, (int)i);
	for (n = 0; n < NCONT; n++) {
		best = -1;
		for (i = 0; i < NCONT; i++)
			if (!used[i] && (best < 0 || key[i] > key[best]))
				best = (int)i;
		used[best] = true;
		o += (size_t)snprintf(out + o, len - o, "%s ", conts[best].name);
	}
}

Test(render, every_sort_key_sorts_by_its_metrics)
{
	char got[64], want[64];
	enum ctop_sort_key k;
	size_t i;

	for (i = 0; (k = ctop_sort_key_at(i)) != CTOP_SORT__COUNT; i++) {
		if (k == CTOP_SORT_NAME)
			continue;
		sorted_names(k, got, sizeof(got));
		expected_names(k, want, sizeof(want));
		cr_assert_str_eq(got, want, "-s %s", ctop_sort_key_name(k));
	}
	/* the fixture is not sorted by accident: the keys disagree */
	sorted_names(CTOP_SORT_CPU, got, sizeof(got));
	sorted_names(CTOP_SORT_RSS, want, sizeof(want));
	cr_assert_str_neq(got, want);
}

Test(render, help_and_errors_list_every_sort_key)
{
	char *argv[] = { "ctop-bpf", "-s", "nonsense", NULL };
	const char *usage = ctop_options_usage(), *p;
	struct ctop_options o;
	enum ctop_sort_key k;
	char err[512], err2[512];
	size_t i;

	cr_assert_eq(ctop_options_parse(&o, 3, argv, err, sizeof(err)), -EINVAL);
	p = strstr(usage, "--sort KEY");
	cr_assert_not_null(p);
	for (i = 0; (k = ctop_sort_key_at(i)) != CTOP_SORT__COUNT; i++) {
		const char *name = ctop_sort_key_name(k);
		char *argv_k[] = { "ctop-bpf", "-s", (char *)name, NULL };

		p = strstr(p, name);
		cr_assert_not_null(p, "--help lacks sort key %s, or out of order", name);
		cr_assert_not_null(strstr(err, name), "the -s error lacks %s: %s", name, err);
		cr_assert_eq(ctop_options_parse(&o, 3, argv_k, err2, sizeof(err2)), 0, "-s %s", name);
		cr_assert_eq(o.sort, k);
	}
}
