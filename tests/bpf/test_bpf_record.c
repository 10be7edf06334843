// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Root: the real collector's snapshots of this host, recorded and read
 * back, print byte for byte what they printed live, in every batch view.
 * The made-up snapshots of tests/unit cannot show what real ones hold
 * (kernel threads, odd command lines, the host row's many processes).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "collector.h"
#include "output.h"
#include "record.h"
#include "snapshot_json.h"

#define N 5
#define VIEWS (CTOP_SORT__COUNT * 2)

static double clock_of(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int render(const struct ctop_snapshot *s, int v, char **out)
{
	struct ctop_view_opts o = {
		.sort = v / 2, .reverse = v % 2, .all = true, .processes = true,
	};

	return v % 4 == 3 ? ctop_output_table(s, &o, out) : ctop_output_json(s, &o, out);
}

Test(record, live_snapshots_replay_byte_for_byte, .timeout = 60)
{
	struct ctop_collector_opts co = { .ewma_alpha = 0.5, .root = "/", .cmdlines = true };
	char dir[] = "/tmp/ctop-bpf-rec-XXXXXX", path[64], why[512], *live[N][VIEWS], *again;
	const struct ctop_snapshot *s;
	struct ctop_snapshot *back;
	struct ctop_collector *c;
	struct ctop_recorder *w;
	struct ctop_recording *r;
	const struct ctop_record *rec;
	size_t i, procs = 0;
	int v;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec", dir);
	cr_assert_eq(ctop_collector_new(&c, &co, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(ctop_collector_start(c, clock_of(CLOCK_MONOTONIC)), 0);
	cr_assert_eq(ctop_recorder_open(path, NULL, "live", clock_of(CLOCK_REALTIME), &w, why,
					sizeof(why)),
		     0, "%s", why);
	for (i = 0; i < N; i++) {
		usleep(200000);
		cr_assert_eq(ctop_collector_sample(c, clock_of(CLOCK_MONOTONIC),
						   clock_of(CLOCK_REALTIME), &s),
			     0);
		procs += s->host_row.nprocs;
		for (v = 0; v < VIEWS; v++)
			cr_assert_eq(render(s, v, &live[i][v]), 0);
		cr_assert_eq(ctop_recorder_write(w, s), 0);
	}
	ctop_recorder_close(w);
	ctop_collector_free(c);
	cr_assert_gt(procs, 0, "the host row had no processes: nothing was compared");

	cr_assert_eq(ctop_recording_open(path, &r, why, sizeof(why)), 0, "%s", why);
	for (i = 0; i < N; i++) {
		cr_assert_eq(i ? ctop_recording_next(r) : ctop_recording_first(r), 0);
		rec = ctop_recording_current(r);
		cr_assert_eq(ctop_snapshot_json_parse(rec->json, rec->len, &back), 0);
		for (v = 0; v < VIEWS; v++) {
			cr_assert_eq(render(back, v, &again), 0);
			cr_assert_str_eq(again, live[i][v], "record %zu, view %d", i, v);
			free(again);
			free(live[i][v]);
		}
		ctop_snapshot_free(back);
	}
	cr_assert_eq(ctop_recording_next(r), -ENOENT);
	ctop_recording_close(r);
	unlink(path);
	rmdir(dir);
}
