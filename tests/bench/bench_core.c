// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Times one refresh of the core: read the kernel (task iterator and maps),
 * aggregate, sort. `live` uses the real collector on this host; `synthetic
 * N` feeds the aggregation N made-up processes, to separate our userspace
 * cost from the kernel's. Prints the median and worst of the runs in ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "aggregate.h"
#include "collector.h"
#include "output.h"

#define RUNS 20

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void sort_rows(const struct ctop_snapshot *s)
{
	struct ctop_view_opts vo = { .sort = CTOP_SORT_CPU };
	const struct ctop_container **v = malloc((s->ncontainers + 1) * sizeof(*v));

	ctop_view_containers(s, &vo, v);
	free(v);
}

static void report(const char *what, double *ms, size_t nprocs)
{
	qsort(ms, RUNS, sizeof(*ms), cmp);
	printf("%s: %zu processes: median %.2f ms, worst %.2f ms per refresh\n", what, nprocs,
	       ms[RUNS / 2], ms[RUNS - 1]);
}

static enum ctop_resolve fake_resolve(void *ud, uint64_t cgid, struct ctop_container *row)
{
	if (cgid == 1)
		return CTOP_RESOLVE_HOST;
	snprintf(row->id, sizeof(row->id), "c%llu", (unsigned long long)cgid);
	snprintf(row->name, sizeof(row->name), "container-%llu", (unsigned long long)cgid);
	return CTOP_RESOLVE_CONTAINER;
}

static int synthetic(size_t n)
{
	struct ctop_agg_ops ops = { .resolve = fake_resolve };
	struct ctop_host host = { .cpus = 2 };
	const struct ctop_snapshot *s;
	struct ctop_raw raw = { 0 };
	struct ctop_agg *a = NULL;
	double ms[RUNS], t;
	size_t i;
	int r;

	ctop_agg_new(&a, &ops, 0.5);
	raw.tasks = calloc(n, sizeof(*raw.tasks));
	raw.procs = calloc(n, sizeof(*raw.procs));
	raw.cgroups = calloc(21, sizeof(*raw.cgroups));
	if (!a || !raw.tasks || !raw.procs || !raw.cgroups)
		return 1;
	raw.ntasks = raw.nprocs = n;
	raw.procs_new = true;	/* its counters change every run */
	raw.ncgroups = 21;
	for (i = 0; i < 21; i++)
		raw.cgroups[i].cgid = i + 1;
	for (i = 0; i < n; i++) {
		raw.tasks[i].tid = raw.tasks[i].tgid = (uint32_t)(i + 100);
		raw.tasks[i].flags = CTOP_TASK_LEADER;
		raw.tasks[i].cgid = i % 21 + 1;
		raw.tasks[i].start_ns = i;
		strcpy(raw.tasks[i].comm, "proc");
		raw.procs[i].pid = (uint32_t)(i + 100);
		raw.procs[i].v.start_ns = i;
	}
	ctop_agg_ingest(a, &raw, 0, 0, &host, &s);
	for (r = 0; r < RUNS; r++) {
		for (i = 0; i < n; i++) {
			raw.tasks[i].cpu_delta_ns = i * 1000;
			raw.procs[i].v.io[0] += 4096;
		}
		t = mono();
		ctop_agg_ingest(a, &raw, r + 1, 0, &host, &s);
		sort_rows(s);
		ms[r] = (mono() - t) * 1e3;
	}
	report("synthetic (aggregate + sort only)", ms, n);
	ctop_agg_free(a);
	free(raw.tasks);
	free(raw.procs);
	free(raw.cgroups);
	return 0;
}

/*
 * The real collector, and beside it, interleaved, one that visits the
 * tasks with the iterator instead of the walk (where the walk is the
 * choice) and one that reads RSS without the counters' per-CPU parts:
 * the differences are what each costs.
 */
static int live(void)
{
	enum { REAL, ITER, CENTRAL, N };
	static const char *const what[N] = { "as chosen", "tasks=iter", "RSS .count only" };
	struct ctop_collector_opts o[N];
	const struct ctop_snapshot *s[N] = { NULL };
	struct ctop_collector *c[N] = { NULL };
	double ms[N][RUNS], med[N], t;
	char err[512], title[96];
	int r, k, ret = 1;

	for (k = 0; k < N; k++)
		o[k] = (struct ctop_collector_opts){ .ewma_alpha = 0.5, .root = "/" };
	o[ITER].probes.tasks = CTOP_PROBE_ITER;
	o[CENTRAL].rss_central = true;
	for (k = 0; k < N; k++)
		if (ctop_collector_new(&c[k], &o[k], err, sizeof(err))) {
			fprintf(stderr, "bench_core: %s\n", err);
			goto out;
		}
	for (k = 0; k < N; k++)
		ctop_collector_start(c[k], mono());
	for (r = 0; r < RUNS; r++)
		for (k = 0; k < N; k++) {
			t = mono();
			if (ctop_collector_sample(c[k], t, 0, &s[k]))
				goto out;
			sort_rows(s[k]);
			ms[k][r] = (mono() - t) * 1e3;
		}
	for (k = 0; k < N; k++) {
		snprintf(title, sizeof(title), "live, %s (tasks=%s; kernel read + aggregate + sort)",
			 what[k], ctop_probe_name(s[k]->host.probes.tasks));
		report(title, ms[k], s[k]->host.nprocs);
		med[k] = ms[k][RUNS / 2];	/* report() sorted them */
	}
	if (s[REAL]->host.probes.tasks != CTOP_PROBE_ITER)
		printf("the walk against the iterator: %.2fx the time, %+.0f ns per process\n",
		       med[REAL] / med[ITER],
		       (med[REAL] - med[ITER]) * 1e6 / (s[REAL]->host.nprocs ? s[REAL]->host.nprocs : 1));
	printf("summing RSS's per-CPU parts: %+.3f ms per refresh, %+.0f ns per process\n",
	       med[REAL] - med[CENTRAL],
	       (med[REAL] - med[CENTRAL]) * 1e6 / (s[REAL]->host.nprocs ? s[REAL]->host.nprocs : 1));
	ret = 0;
out:
	for (k = 0; k < N; k++)
		ctop_collector_free(c[k]);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "live"))
		return live();
	if (argc >= 3 && !strcmp(argv[1], "synthetic"))
		return synthetic((size_t)atol(argv[2]));
	fprintf(stderr, "usage: bench_core live | synthetic N\n");
	return 2;
}
