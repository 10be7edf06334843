// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Replay: every record comes back as it was written, FILE.1 before FILE;
 * the cursor steps, jumps, seeks and plays; and the history each row gets
 * is the collector's EWMA over exactly the records before it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "replay.h"
#include "snap_synth.h"
#include "snapshot_json.h"
#include "timeparse.h"

#define MAXREC 64

static char dir[64], path[128], older[140];
static struct synth y;
static char *json[MAXREC];
static double when[MAXREC];
static double m[MAXREC][4][CTOP_M__COUNT];	/* containers' values, [3]: the host row */
static bool present[MAXREC][3];
static size_t nrec;

static int rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static void setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(dir, sizeof(dir), "/tmp/ctop-replay-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec", dir);
	snprintf(older, sizeof(older), "%s.1", path);
	cr_assert_eq(synth_init(&y, 3, 2, 11), 0);
	nrec = 0;
}

static void teardown(void)
{
	size_t i;

	for (i = 0; i < nrec; i++)
		free(json[i]);
	synth_fini(&y);
	nftw(dir, rm, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(replay, .init = setup, .fini = teardown, .timeout = 60);

/* n records into p, with the first ncont containers in them. */
static void record_n(const char *p, size_t n, size_t ncont)
{
	struct ctop_recorder *w;
	char why[256];
	size_t len, i, c;

	cr_assert_eq(ctop_recorder_open(p, NULL, "node-7", y.s.time, &w, why, sizeof(why)), 0,
		     "%s", why);
	for (i = 0; i < n; i++) {
		cr_assert_lt(nrec, MAXREC);
		synth_step(&y, 1.0);
		y.s.ncontainers = ncont;
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
		cr_assert_eq(ctop_snapshot_json_dump(&y.s, &json[nrec], &len), 0);
		when[nrec] = y.s.time;
		for (c = 0; c < 3; c++) {
			present[nrec][c] = c < ncont;
			memcpy(m[nrec][c], y.c[c].m, sizeof(m[nrec][c]));
		}
		memcpy(m[nrec][3], y.s.host_row.m, sizeof(m[nrec][3]));
		nrec++;
	}
	ctop_recorder_close(w);
}

static struct ctop_replay *open_ok(const struct ctop_replay_opts *o)
{
	struct ctop_replay *r;
	char why[256];

	cr_assert_eq(ctop_replay_open(path, o, &r, why, sizeof(why)), 0, "%s", why);
	return r;
}

static const struct ctop_snapshot *next_ok(struct ctop_replay *r, double mono)
{
	const struct ctop_snapshot *s = NULL;
	int e = ctop_source_next(ctop_replay_source(r), mono, 0, &s);

	cr_assert_eq(e, 0, "next: %s", strerror(-e));
	cr_assert_not_null(s);
	return s;
}

/* The snapshot is record i, every byte of it. */
static void is_record(const struct ctop_snapshot *s, size_t i)
{
	char *text;
	size_t len;

	cr_assert_eq(ctop_snapshot_json_dump(s, &text, &len), 0);
	cr_assert_str_eq(text, json[i], "not record %zu", i);
	free(text);
}

static size_t index_of(const struct ctop_snapshot *s)
{
	size_t i;

	for (i = 0; i < nrec; i++)
		if (when[i] == s->time)
			return i;
	cr_assert_fail("a time no record has: %f", s->time);
	return 0;
}

/*
 * Row c's history at record i is the EWMA (alpha 0.5) over the run of
 * records before i that have c, up to CTOP_HISTORY_LEN of them.
 */
static void history_is(const struct ctop_container *row, size_t c, size_t i)
{
	double smooth[CTOP_M__COUNT] = { 0 }, want[MAXREC][CTOP_M__COUNT];
	size_t from = i, n, j;
	int k;

	cr_assert_not_null(row->hist, "record %zu row %zu has no history", i, c);
	while (from > 0 && (c == 3 || present[from - 1][c]))
		from--;
	for (j = from, n = 0; j <= i; j++, n++)
		for (k = 0; k < CTOP_M__COUNT; k++) {
			smooth[k] = n ? 0.5 * m[j][c][k] + 0.5 * smooth[k] : m[j][c][k];
			want[n][k] = smooth[k];
		}
	cr_assert_eq(row->hist->len, n, "record %zu row %zu: %u samples, not %zu", i, c,
		     row->hist->len, n);
	for (j = 0; j < n; j++)
		for (k = 0; k < CTOP_M__COUNT; k++)
			cr_assert_float_eq(ctop_history_at(row->hist, k, (uint32_t)j),
					   (float)want[n - 1 - j][k], 1e-3 * fabs(want[n - 1 - j][k]) + 1e-6,
					   "record %zu row %zu metric %d age %zu", i, c, k, j);
}

static void histories_are(const struct ctop_snapshot *s)
{
	size_t i = index_of(s), c, j;

	history_is(&s->host_row, 3, i);
	for (j = 0; j < s->ncontainers; j++) {
		for (c = 0; c < 3; c++)
			if (!strcmp(s->containers[j].id, y.c[c].id))
				break;
		cr_assert_lt(c, 3);
		history_is(&s->containers[j], c, i);
	}
}

Test(replay, batch_gives_every_record_then_the_end)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .each = true };
	const struct ctop_snapshot *s;
	struct ctop_replay *r;
	size_t i;

	record_n(path, 20, 3);
	r = open_ok(&o);
	for (i = 0; i < 20; i++) {
		s = next_ok(r, 0);
		is_record(s, i);
		cr_assert_null(s->host_row.hist, "batch builds no history");
	}
	cr_assert_eq(ctop_source_next(ctop_replay_source(r), 0, 0, &s), -ENOENT);
	ctop_source_free(ctop_replay_source(r));
}

Test(replay, rotation_is_one_timeline)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .each = true };
	struct ctop_replay_state st;
	struct ctop_replay *r;
	size_t i;

	record_n(older, 7, 3);
	record_n(path, 9, 3);
	r = open_ok(&o);
	for (i = 0; i < 16; i++)
		is_record(next_ok(r, 0), i);
	ctop_source_free(ctop_replay_source(r));

	o.each = false;
	o.history = true;
	r = open_ok(&o);
	ctop_replay_state(r, &st);
	cr_assert_eq(st.first, when[0]);
	cr_assert_eq(st.last, when[15]);
	cr_assert_str_eq(st.host, "node-7");
	/* across the seam, both ways, the history going on through it */
	cr_assert_eq(ctop_replay_seek(r, when[6]), 0);
	is_record(next_ok(r, 0), 6);
	cr_assert_eq(ctop_replay_step(r, 1), 0);
	histories_are(next_ok(r, 0));
	is_record(next_ok(r, 0), 7);
	cr_assert_eq(ctop_replay_step(r, -1), 0);
	is_record(next_ok(r, 0), 6);
	cr_assert_eq(ctop_replay_seek(r, when[12] + 0.5), 0);
	histories_are(next_ok(r, 0));
	is_record(next_ok(r, 0), 12);
	ctop_source_free(ctop_replay_source(r));
}

Test(replay, history_is_the_ewma_of_the_records_before)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .history = true };
	struct ctop_replay *r;
	size_t i;

	/* the third container is gone for records 10-14, then back, new */
	record_n(path, 10, 3);
	record_n(path, 5, 2);
	record_n(path, 10, 3);
	r = open_ok(&o);
	histories_are(next_ok(r, 0));
	for (i = 1; i < 25; i++) {	/* forward one by one: pushed as it goes */
		cr_assert_eq(ctop_replay_step(r, 1), 0);
		histories_are(next_ok(r, 0));
	}
	cr_assert_eq(ctop_replay_step(r, 1), -ENOENT);
	for (i = 0; i < 24; i++) {	/* back: rebuilt each time */
		cr_assert_eq(ctop_replay_step(r, -1), 0);
		histories_are(next_ok(r, 0));
	}
	cr_assert_eq(ctop_replay_step(r, -1), -ENOENT);
	is_record(next_ok(r, 0), 0);
	cr_assert_eq(ctop_replay_seek(r, when[17]), 0);
	histories_are(next_ok(r, 0));
	is_record(next_ok(r, 0), 17);
	ctop_source_free(ctop_replay_source(r));
}

Test(replay, jumps_and_ends)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .history = true };
	struct ctop_replay *r;
	size_t i;

	record_n(path, 30, 3);
	r = open_ok(&o);
	cr_assert_eq(ctop_replay_jump(r, 10), 0);
	/* the last record at or before 10 s after record 0 */
	for (i = 0; i + 1 < nrec && when[i + 1] <= when[0] + 10; i++)
		;
	is_record(next_ok(r, 0), i);
	cr_assert_eq(ctop_replay_jump(r, 3600), 0);	/* past the end: the last */
	is_record(next_ok(r, 0), 29);
	cr_assert_eq(ctop_replay_jump(r, -3600), 0);	/* before the start: the first */
	is_record(next_ok(r, 0), 0);
	cr_assert_eq(ctop_replay_end(r), 0);
	is_record(next_ok(r, 0), 29);
	cr_assert_eq(ctop_replay_start(r), 0);
	histories_are(next_ok(r, 0));
	is_record(next_ok(r, 0), 0);
	ctop_source_free(ctop_replay_source(r));
}

Test(replay, plays_at_its_speed_and_stops_at_the_end)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .history = true };
	struct ctop_replay_state st;
	const struct ctop_snapshot *s;
	struct ctop_replay *r;
	size_t i;

	record_n(path, 30, 3);
	r = open_ok(&o);
	is_record(next_ok(r, 100), 0);
	ctop_replay_play(r, true, 10, 100);
	s = next_ok(r, 100.5);	/* 5 recorded seconds later */
	for (i = 0; i + 1 < nrec && when[i + 1] <= when[0] + 5; i++)
		;
	is_record(s, i);
	histories_are(s);
	next_ok(r, 100.5);	/* no time passed: no move */
	is_record(next_ok(r, 100.5), i);
	s = next_ok(r, 110);
	is_record(s, 29);
	histories_are(s);
	ctop_replay_state(r, &st);
	cr_assert(!st.playing);
	cr_assert(st.at_end);
	ctop_source_free(ctop_replay_source(r));
}

Test(replay, since_and_until_pick_a_window)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .each = true };
	const struct ctop_snapshot *s;
	char since[32], until[32];
	struct ctop_replay *r;
	size_t i, first, last;
	struct tm tm;
	time_t t;

	record_n(path, 30, 3);
	t = (time_t)when[10];
	gmtime_r(&t, &tm);
	strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm);
	t = (time_t)when[20];
	gmtime_r(&t, &tm);
	strftime(until, sizeof(until), "%H:%M:%S", &tm);
	for (first = 0; when[first] < (double)(time_t)when[10]; first++)
		;
	for (last = 29; when[last] >= (double)(time_t)when[20] + 1; last--)
		;
	o.since = since;
	o.until = until;
	r = open_ok(&o);
	for (i = first; i <= last; i++)
		is_record(next_ok(r, 0), i);
	cr_assert_eq(ctop_source_next(ctop_replay_source(r), 0, 0, &s), -ENOENT);
	ctop_source_free(ctop_replay_source(r));

	/* after the last record: nothing */
	o.since = "23:59";
	o.until = NULL;
	r = open_ok(&o);
	cr_assert_eq(ctop_source_next(ctop_replay_source(r), 0, 0, &s), -ENOENT);
	ctop_source_free(ctop_replay_source(r));
}

Test(replay, bad_files_say_why)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .each = true };
	struct ctop_replay *r;
	char why[512];
	FILE *f;

	cr_assert_eq(ctop_replay_open(path, &o, &r, why, sizeof(why)), -ENOENT);
	cr_assert_not_null(strstr(why, path));
	f = fopen(path, "w");
	fputs("not a recording at all, but long enough for a header to be read from it, "
	      "which is what the reader wants before it says anything else about it\n", f);
	fclose(f);
	cr_assert_eq(ctop_replay_open(path, &o, &r, why, sizeof(why)), -ENOEXEC);
	cr_assert_not_null(strstr(why, "not a ctop-bpf recording"), "%s", why);
	cr_assert_eq(ctop_replay_open(dir, &o, &r, why, sizeof(why)), -EISDIR);
	/* a bad FILE.1 is told too, not skipped over */
	remove(path);
	record_n(path, 2, 3);
	f = fopen(older, "w");
	fputs("garbage garbage garbage garbage garbage garbage garbage garbage garbage "
	      "garbage garbage garbage garbage garbage garbage garbage garbage\n", f);
	fclose(f);
	cr_assert_eq(ctop_replay_open(path, &o, &r, why, sizeof(why)), -ENOEXEC);
	cr_assert_not_null(strstr(why, older), "%s", why);
	/* an empty recording has nothing to show */
	remove(older);
	remove(path);
	record_n(path, 0, 3);
	cr_assert_eq(ctop_replay_open(path, &o, &r, why, sizeof(why)), -ENOENT);
	cr_assert_not_null(strstr(why, "no records"), "%s", why);
}

/* ---- times and sizes as typed ---- */

Test(replay, times_parse_as_typed)
{
	double ref = 1764646200.0;	/* 2025-12-02 03:30:00 UTC */
	double t;

	setenv("TZ", "UTC", 1);
	tzset();
	cr_assert_eq(ctop_time_parse("03:12", ref, &t), 0);
	cr_assert_eq(t, 1764645120.0);
	cr_assert_eq(ctop_time_parse("03:12:30", ref, &t), 0);
	cr_assert_eq(t, 1764645150.0);
	cr_assert_eq(ctop_time_parse("00:00", ref, &t), 0);
	cr_assert_eq(t, 1764633600.0);
	cr_assert_eq(ctop_time_parse("2026-12-01 03:12", ref, &t), 0);
	cr_assert_eq(t, 1796094720.0);
	cr_assert_eq(ctop_time_parse("2024-02-29 23:59:59", ref, &t), 0);
	cr_assert_eq(t, 1709251199.0);
	/* local time: the same text is an hour earlier in UTC+1 */
	setenv("TZ", "CET-1", 1);
	tzset();
	cr_assert_eq(ctop_time_parse("2026-12-01 03:12", ref, &t), 0);
	cr_assert_eq(t, 1796094720.0 - 3600);
	setenv("TZ", "UTC", 1);
	tzset();
	const char *bad[] = { "", "3:12", "03:1", "24:00", "03:60", "03:12:60", "03:12:",
			      "03:12 ", " 03:12", "0312", "2026-02-29 00:00", "2026-13-01 00:00",
			      "2026-12-00 00:00", "2026-12-01", "2026-12-01  03:12",
			      "2026/12/01 03:12", "1969-12-31 23:59", "03:12x", "ab:cd" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(ctop_time_parse(bad[i], ref, &t), -EINVAL, "'%s' taken", bad[i]);
	cr_assert_eq(ctop_time_parse(NULL, ref, &t), -EINVAL);
}

Test(replay, sizes_parse_as_typed)
{
	uint64_t v;

	cr_assert_eq(ctop_size_parse("1048576", &v), 0);
	cr_assert_eq(v, 1048576);
	cr_assert_eq(ctop_size_parse("512K", &v), 0);
	cr_assert_eq(v, 512 << 10);
	cr_assert_eq(ctop_size_parse("100M", &v), 0);
	cr_assert_eq(v, 100ULL << 20);
	cr_assert_eq(ctop_size_parse("100MB", &v), 0);
	cr_assert_eq(v, 100ULL << 20);
	cr_assert_eq(ctop_size_parse("2GiB", &v), 0);
	cr_assert_eq(v, 2ULL << 30);
	cr_assert_eq(ctop_size_parse("3t", &v), 0);
	cr_assert_eq(v, 3ULL << 40);
	cr_assert_eq(ctop_size_parse("16777215T", &v), 0);
	cr_assert_eq(ctop_size_parse("16777216T", &v), -ERANGE);
	cr_assert_eq(ctop_size_parse("99999999999999999999", &v), -ERANGE);
	const char *bad[] = { "", "M", "-1", "+1", "1.5M", "10X", "10MX", "10 M", "10Mb " };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(ctop_size_parse(bad[i], &v), -EINVAL, "'%s' taken", bad[i]);
}

Test(replay, a_shallow_rebuild_still_draws_the_same)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .history = true };
	const struct ctop_snapshot *s;
	struct ctop_replay *r, *full;
	size_t j;
	int k;

	record_n(path, 40, 3);
	full = open_ok(&o);
	r = open_ok(&o);
	/* 3 drawn, and 10 more for an EWMA of weight 0.5 to forget its start */
	ctop_replay_set_depth(r, 3);
	cr_assert_eq(ctop_replay_seek(r, when[35]), 0);
	cr_assert_eq(ctop_replay_seek(full, when[35]), 0);
	s = next_ok(r, 0);
	is_record(s, 35);
	cr_assert_eq(s->host_row.hist->len, 13);
	const struct ctop_history *h = s->host_row.hist;
	const struct ctop_history *hf = next_ok(full, 0)->host_row.hist;

	cr_assert_eq(hf->len, 36);
	/* off by at most a thousandth of how far the series ranges */
	for (k = 0; k < CTOP_M__COUNT; k++) {
		double top = 0;

		for (j = 0; j < hf->len; j++)
			top = fmax(top, fabs(ctop_history_at(hf, k, (uint32_t)j)));
		for (j = 0; j < 3; j++)
			cr_assert_float_eq(ctop_history_at(h, k, (uint32_t)j),
					   ctop_history_at(hf, k, (uint32_t)j), 1e-3 * top + 1e-6,
					   "age %zu metric %d", j, k);
	}
	ctop_source_free(ctop_replay_source(r));
	ctop_source_free(ctop_replay_source(full));
}

Test(replay, the_screen_starts_at_since)
{
	struct ctop_replay_opts o = { .alpha = 0.5, .history = true };
	struct ctop_replay *r;
	char since[32];
	size_t first;
	struct tm tm;
	time_t t;

	record_n(path, 20, 3);
	t = (time_t)when[8];
	gmtime_r(&t, &tm);
	strftime(since, sizeof(since), "%H:%M:%S", &tm);
	for (first = 0; when[first] < (double)t; first++)
		;
	o.since = since;
	r = open_ok(&o);
	is_record(next_ok(r, 0), first);
	histories_are(next_ok(r, 0));
	/* the whole recording stays reachable */
	cr_assert_eq(ctop_replay_start(r), 0);
	is_record(next_ok(r, 0), 0);
	ctop_source_free(ctop_replay_source(r));
}

/* A row's history as drawn: its newest `shown` samples, or all it has. */
struct drawn {
	char id[CTOP_ID_LEN];
	uint32_t len;
	float v[CTOP_M__COUNT][32];
};

static void take(const struct ctop_container *row, size_t shown, struct drawn *d)
{
	memcpy(d->id, row->id, sizeof(d->id));
	cr_assert_not_null(row->hist);
	d->len = row->hist->len < shown ? row->hist->len : (uint32_t)shown;
	for (int k = 0; k < CTOP_M__COUNT; k++)
		for (uint32_t j = 0; j < d->len; j++)
			d->v[k][j] = ctop_history_at(row->hist, k, j);
}

/* Rows by id: the host row first, then the containers in record order. */
static size_t take_all(const struct ctop_snapshot *s, size_t shown, struct drawn *d)
{
	take(&s->host_row, shown, &d[0]);
	for (size_t i = 0; i < s->ncontainers; i++)
		take(&s->containers[i], shown, &d[1 + i]);
	return 1 + s->ncontainers;
}

/*
 * With the EWMA state recorded as ctop-bpf records it (every row's smooth,
 * one record in CTOP_REC_STATE_RECORDS and each frame's first), the history
 * after a jump anywhere, forward or back, is bit for bit what stepping
 * through every record from the first gives, for the samples drawn.
 */
Test(replay, history_after_a_jump_is_the_one_stepping_gives)
{
	enum { N = 420, SHOWN = 20 };
	static const size_t targets[] = { 250, 70, 419, 5, 130, 333, 199, 64, 300, 19 };
	struct ctop_replay_opts o = { .alpha = 0.5, .history = true };
	struct ctop_history live[4] = { 0 };
	double smooth[4][CTOP_M__COUNT];
	static struct drawn want[N][4], got[4];
	size_t nwant[N], i, j, t, n;
	struct ctop_recorder *w;
	const struct ctop_snapshot *s;
	struct ctop_replay *a, *b;
	char why[256];

	cr_assert_eq(ctop_recorder_open(path, NULL, "node-7", y.s.time, &w, why, sizeof(why)), 0,
		     "%s", why);
	y.s.alpha = 0.5;
	for (i = 0; i < N; i++) {
		synth_step(&y, 1.0);
		/* container 2 is gone for a while: its history starts again */
		y.s.ncontainers = i >= 100 && i < 140 ? 2 : 3;
		if (y.s.ncontainers == 2)
			live[2].len = 0;
		/* what the collector does: push, and lend the EWMA to the row */
		for (j = 0; j < y.s.ncontainers; j++) {
			ctop_history_push(&live[j], smooth[j], y.c[j].m, 0.5);
			y.c[j].smooth = smooth[j];
		}
		ctop_history_push(&live[3], smooth[3], y.s.host_row.m, 0.5);
		y.s.host_row.smooth = smooth[3];
		when[i % MAXREC] = y.s.time;
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
	}
	ctop_recorder_close(w);

	/* Stepping from the first record, what each one draws. */
	a = open_ok(&o);
	ctop_replay_set_depth(a, SHOWN);
	for (i = 0; i < N; i++) {
		if (i)
			cr_assert_eq(ctop_replay_step(a, 1), 0);
		s = next_ok(a, 0);
		nwant[i] = take_all(s, SHOWN, want[i]);
	}
	cr_assert_eq(ctop_replay_step(a, 1), -ENOENT);

	/* Jumping there from wherever the last jump left, in another replay. */
	b = open_ok(&o);
	ctop_replay_set_depth(b, SHOWN);
	for (t = 0; t < sizeof(targets) / sizeof(*targets); t++) {
		size_t k = targets[t];
		double at_time;

		/* the record's time: step a replay there is costly; read it from a */
		ctop_replay_start(a);
		for (i = 0; i < k; i++)
			ctop_replay_step(a, 1);
		at_time = next_ok(a, 0)->time;
		cr_assert_eq(ctop_replay_seek(b, at_time), 0);
		s = next_ok(b, 0);
		cr_assert_eq(s->time, at_time);
		n = take_all(s, SHOWN, got);
		cr_assert_eq(n, nwant[k], "record %zu", k);
		for (j = 0; j < n; j++) {
			cr_assert_str_eq(got[j].id, want[k][j].id);
			cr_assert_eq(got[j].len, want[k][j].len, "record %zu row %zu: %u samples, not %u",
				     k, j, got[j].len, want[k][j].len);
			for (int m_ = 0; m_ < CTOP_M__COUNT; m_++)
				cr_assert_eq(memcmp(got[j].v[m_], want[k][j].v[m_],
						    got[j].len * sizeof(float)),
					     0, "record %zu row %zu metric %d differs", k, j, m_);
		}
	}
	ctop_source_free(ctop_replay_source(a));
	ctop_source_free(ctop_replay_source(b));
}
