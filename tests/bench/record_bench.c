// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What recording costs: a made-up host of NCONT containers and PROCS
 * processes (tests/snap_synth.h: numbers change every refresh, one process
 * a refresh is replaced) is recorded at a simulated 1 s refresh as fast as
 * it goes. Prints bytes per record, MiB per hour, the writer's CPU per
 * record, and the time to open a HOURS-long recording and jump to a random
 * time (open, seek, parse the snapshot), in a temporary folder, then the
 * same with the page cache emptied before each jump (as root), as the
 * first look at a recording after a reboot would be. One
 * process in BUSY is busy (CPU, memory, and bytes of each kind half the
 * time); the others sleep and wake now and then.
 *
 *   record_bench [NCONT PROCS HOURS BUSY]     default 20 500 24 5
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "record.h"
#include "snap_synth.h"
#include "snapshot_json.h"

#define JUMPS 21
#define COLD_JUMPS 7	/* each empties the whole machine's page cache */

static double clock_s(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Empties the page cache, as after a reboot: the recording is then read
 * from the disk. false when that cannot be done (not root).
 */
static bool drop_caches(void)
{
	FILE *f;
	bool ok;

	sync();
	f = fopen("/proc/sys/vm/drop_caches", "w");
	if (!f)
		return false;
	ok = fputs("3\n", f) >= 0;
	return fclose(f) == 0 && ok;
}

/* Opens path, jumps to t and parses the record there: ms, or -1. */
static double jump(const char *path, double t, struct ctop_recording **r)
{
	const struct ctop_record *c;
	struct ctop_snapshot *s;
	char why[256];
	double t0 = clock_s(CLOCK_MONOTONIC), t1;

	if (ctop_recording_open(path, r, why, sizeof(why)) || ctop_recording_seek(*r, t))
		return -1;
	c = ctop_recording_current(*r);
	if (!c || ctop_snapshot_json_parse(c->json, c->len, &s))
		return -1;
	t1 = clock_s(CLOCK_MONOTONIC);
	if (c->time > t + 1e-6 || c->time < t - 3) {
		fprintf(stderr, "record_bench: asked %.3f, got %.3f\n", t, c->time);
		return -1;
	}
	ctop_snapshot_free(s);
	return (t1 - t0) * 1e3;
}

int main(int argc, char **argv)
{
	size_t ncont = argc > 1 ? strtoul(argv[1], NULL, 10) : 20;
	size_t procs = argc > 2 ? strtoul(argv[2], NULL, 10) : 500;
	double hours = argc > 3 ? strtod(argv[3], NULL) : 24;
	size_t busy = argc > 4 ? strtoul(argv[4], NULL, 10) : 5;
	size_t n = (size_t)(hours * 3600), i, per = ncont ? procs / ncont : 0;
	struct ctop_recorder_stats st;
	struct ctop_recording_info info;
	struct ctop_recorder *w;
	struct ctop_recording *r;
	struct synth y;
	double cpu = 0, t0, first, ms[JUMPS], step[JUMPS], cold[COLD_JUMPS];
	bool can_drop = true;
	char dir[] = "/tmp/ctop-rec-bench-XXXXXX", path[64], why[256];
	int e;

	struct ctop_history *hist = calloc(ncont + 1, sizeof(*hist));
	double (*smooth)[CTOP_M__COUNT] = calloc(ncont + 1, sizeof(*smooth));

	if (!hist || !smooth || !mkdtemp(dir) || synth_init(&y, ncont, per, 12345))
		return 1;
	y.s.alpha = 0.5;
	y.busy_every = busy ? busy : 1;
	snprintf(path, sizeof(path), "%s/rec", dir);
	if (ctop_recorder_open(path, NULL, "bench", y.s.time, &w, why, sizeof(why))) {
		fprintf(stderr, "record_bench: %s\n", why);
		return 1;
	}
	printf("recording %zu containers, %zu processes (1 in %zu busy), %.1f h at 1 s "
	       "(%zu records)\n",
	       ncont, ncont * per, y.busy_every, hours, n);
	first = y.s.time;
	for (i = 0; i < n; i++) {
		synth_step(&y, 1.0);
		/* the rows' EWMA, as the collector lends it (recorded now and then) */
		for (size_t j = 0; j <= ncont; j++) {
			struct ctop_container *c = j < ncont ? &y.c[j] : &y.s.host_row;

			ctop_history_push(&hist[j], smooth[j], c->m, y.s.alpha);
			c->smooth = smooth[j];
		}
		t0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		e = ctop_recorder_write(w, &y.s);
		cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - t0;
		if (e) {
			fprintf(stderr, "record_bench: write: %s\n", strerror(-e));
			return 1;
		}
	}
	ctop_recorder_stats(w, &st);
	ctop_recorder_close(w);
	printf("%-44s %.0f (JSON %.0f, %.1fx)\n", "bytes per record on disk",
	       (double)st.file_bytes / st.records, (double)st.json_bytes / st.records,
	       (double)st.json_bytes / st.file_bytes);
	printf("%-44s %.2f MiB (target < 10)\n", "per hour at 1 s refresh",
	       (double)st.file_bytes / st.records * 3600 / (1 << 20));
	printf("%-44s %.3f ms = %.3f%% of a core at 1 s (target < 0.1%%)\n",
	       "writer CPU per record (JSON + zstd + write)", cpu / st.records * 1e3,
	       cpu / st.records * 100);

	srand(7);
	for (i = 0; i < JUMPS; i++) {
		double t = first + (double)rand() / RAND_MAX * (y.s.time - first);

		ms[i] = jump(path, t, &r);
		if (ms[i] < 0)
			return 1;
		/* A step back, the worst of which crosses into the frame before. */
		t0 = clock_s(CLOCK_MONOTONIC);
		if (ctop_recording_prev(r))
			return 1;
		step[i] = (clock_s(CLOCK_MONOTONIC) - t0) * 1e3;
		ctop_recording_info(r, &info);
		ctop_recording_close(r);
	}
	for (i = 0; i < COLD_JUMPS && can_drop; i++) {
		double t = first + (double)rand() / RAND_MAX * (y.s.time - first);

		can_drop = drop_caches();
		if (!can_drop)
			break;
		cold[i] = jump(path, t, &r);
		if (cold[i] < 0)
			return 1;
		ctop_recording_close(r);
	}
	qsort(ms, JUMPS, sizeof(*ms), cmp);
	qsort(step, JUMPS, sizeof(*step), cmp);
	qsort(cold, i, sizeof(*cold), cmp);
	printf("%-44s %.1f MiB\n", "recording size", (double)info.size / (1 << 20));
	printf("%-44s median %.1f ms, worst %.1f ms (target < 200)\n",
	       "open + jump to a random time + parse", ms[JUMPS / 2], ms[JUMPS - 1]);
	printf("%-44s median %.1f ms, worst %.1f ms\n", "then one step back", step[JUMPS / 2],
	       step[JUMPS - 1]);
	if (can_drop)
		printf("%-44s median %.1f ms, worst %.1f ms (target < 200)\n",
		       "the same, page cache emptied before each", cold[COLD_JUMPS / 2],
		       cold[COLD_JUMPS - 1]);
	else
		printf("%-44s not measured: emptying the page cache needs root\n",
		       "the same, page cache emptied before each");
	unlink(path);
	rmdir(dir);
	synth_fini(&y);
	free(hist);
	free(smooth);
	return 0;
}
