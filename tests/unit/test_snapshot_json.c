// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A snapshot stored as JSON and read back must be the same snapshot: its
 * JSON again is byte-identical, and so is every batch JSON view of it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output.h"
#include "snap_synth.h"
#include "snapshot_json.h"

static struct synth y;

static void setup(void)
{
	cr_assert_eq(synth_init(&y, 5, 12, 42), 0);
	synth_step(&y, 1.0);
	synth_step(&y, 1.0);
}

static void teardown(void)
{
	synth_fini(&y);
}

TestSuite(snapshot_json, .init = setup, .fini = teardown);

static struct ctop_snapshot *round_trip(const struct ctop_snapshot *s, char **text1)
{
	struct ctop_snapshot *back;
	char *text2;
	size_t len1, len2;

	cr_assert_eq(ctop_snapshot_json_dump(s, text1, &len1), 0);
	cr_assert_eq(strlen(*text1), len1);
	cr_assert_eq((*text1)[len1 - 1], '\n');
	cr_assert_eq(ctop_snapshot_json_parse(*text1, len1, &back), 0, "%s", *text1);
	cr_assert_eq(ctop_snapshot_json_dump(back, &text2, &len2), 0);
	cr_assert_eq(len1, len2);
	cr_assert_str_eq(*text1, text2);
	free(text2);
	return back;
}

/* Every batch JSON view, for every sort key and option, is the same text. */
static void same_views(const struct ctop_snapshot *a, const struct ctop_snapshot *b)
{
	struct ctop_view_opts o = { 0 };
	char *ja, *jb;
	int k, f;

	for (k = 0; k < CTOP_SORT__COUNT; k++)
		for (f = 0; f < 8; f++) {
			o.sort = k;
			o.reverse = f & 1;
			o.all = f & 2;
			o.processes = f & 4;
			cr_assert_eq(ctop_output_json(a, &o, &ja), 0);
			cr_assert_eq(ctop_output_json(b, &o, &jb), 0);
			cr_assert_str_eq(ja, jb, "sort %s flags %d", ctop_sort_key_name(k), f);
			free(ja);
			free(jb);
			cr_assert_eq(ctop_output_table(a, &o, &ja), 0);
			cr_assert_eq(ctop_output_table(b, &o, &jb), 0);
			cr_assert_str_eq(ja, jb);
			free(ja);
			free(jb);
		}
}

static void same_proc(const struct ctop_proc *a, const struct ctop_proc *b)
{
	cr_assert_eq(a->pid, b->pid);
	cr_assert_eq(a->ppid, b->ppid);
	cr_assert_eq(a->nthreads, b->nthreads);
	cr_assert_eq(a->zombie, b->zombie);
	cr_assert_eq(a->kthread, b->kthread);
	cr_assert_str_eq(a->comm, b->comm);
	cr_assert_str_eq(a->cmdline, b->cmdline);
	cr_assert_eq(a->start_ns, b->start_ns);
	cr_assert_eq(memcmp(&a->start_time, &b->start_time, sizeof(double)), 0, "%f %f",
		     a->start_time, b->start_time);
	cr_assert_arr_eq(a->m, b->m, sizeof(a->m));
}

static void same_row(const struct ctop_container *a, const struct ctop_container *b)
{
	size_t i;

	cr_assert_str_eq(a->id, b->id);
	cr_assert_str_eq(a->name, b->name);
	cr_assert_str_eq(a->runtime, b->runtime);
	cr_assert_str_eq(a->image, b->image);
	cr_assert_str_eq(a->cgroup, b->cgroup);
	cr_assert_str_eq(a->pod, b->pod);
	cr_assert_str_eq(a->ns, b->ns);
	cr_assert_eq(a->is_host, b->is_host);
	cr_assert_eq(a->pids, b->pids);
	cr_assert_eq(memcmp(&a->start_time, &b->start_time, sizeof(double)), 0, "%s", a->name);
	cr_assert_arr_eq(a->m, b->m, sizeof(a->m), "%s", a->name);
	cr_assert_eq(a->cpu_ns_total, b->cpu_ns_total);
	cr_assert_eq(a->io_total[CTOP_IO_DISK_READ], b->io_total[CTOP_IO_DISK_READ]);
	cr_assert_eq(a->io_total[CTOP_IO_STORAGE_WRITE], b->io_total[CTOP_IO_STORAGE_WRITE]);
	cr_assert_null(b->hist);
	cr_assert_eq(a->nprocs, b->nprocs);
	for (i = 0; i < a->nprocs; i++)
		same_proc(&a->procs[i], &b->procs[i]);
}

static void same_snapshot(const struct ctop_snapshot *a, const struct ctop_snapshot *b)
{
	size_t i;

	cr_assert_eq(a->seq, b->seq);
	cr_assert_eq(memcmp(&a->time, &b->time, sizeof(a->time)), 0);
	cr_assert_eq(memcmp(&a->interval_s, &b->interval_s, sizeof(a->interval_s)), 0);
	cr_assert_str_eq(a->host.hostname, b->host.hostname);
	cr_assert_str_eq(a->host.kernel, b->host.kernel);
	cr_assert_eq(a->host.cpus, b->host.cpus);
	cr_assert_eq(memcmp(&a->host.cpu_pct, &b->host.cpu_pct, sizeof(double)), 0);
	cr_assert_eq(a->host.mem_total_bytes, b->host.mem_total_bytes);
	cr_assert_eq(a->host.mem_used_bytes, b->host.mem_used_bytes);
	cr_assert_eq(a->host.lost_events, b->host.lost_events);
	cr_assert_eq(a->host.nprocs, b->host.nprocs);
	cr_assert_eq(memcmp(&a->host.mono_epoch, &b->host.mono_epoch, sizeof(double)), 0);
	cr_assert_eq(a->host.probes.net, b->host.probes.net);
	cr_assert_eq(a->host.probes.file, b->host.probes.file);
	cr_assert_eq(a->host.probes.storage, b->host.probes.storage);
	cr_assert_eq(a->host.probes.tasks, b->host.probes.tasks);
	same_row(&a->host_row, &b->host_row);
	cr_assert_eq(a->ncontainers, b->ncontainers);
	for (i = 0; i < a->ncontainers; i++)
		same_row(&a->containers[i], &b->containers[i]);
}

Test(snapshot_json, round_trip_is_exact)
{
	struct ctop_snapshot *back;
	char *text;
	int i;

	for (i = 0; i < 5; i++) {
		synth_step(&y, 1.0);
		back = round_trip(&y.s, &text);
		same_snapshot(&y.s, back);
		same_views(&y.s, back);
		ctop_snapshot_free(back);
		free(text);
	}
}

/* Start times: a container's as recorded, a process's from mono_epoch and its start_ns. */
Test(snapshot_json, start_times_come_back)
{
	struct ctop_snapshot *back;
	size_t i, j;
	char *text;

	synth_step(&y, 1.0);
	y.s.host.mono_epoch = 1767000000.123456789;
	for (i = 0; i < y.ncont; i++) {
		y.c[i].start_time = 1767000000.0 + 0.1 * (double)i;
		for (j = 0; j < y.c[i].nprocs; j++)
			y.c[i].procs[j].start_time =
				y.s.host.mono_epoch + (double)y.c[i].procs[j].start_ns / 1e9;
	}
	for (j = 0; j < y.s.host_row.nprocs; j++)
		y.s.host_row.procs[j].start_time =
			y.s.host.mono_epoch + (double)y.s.host_row.procs[j].start_ns / 1e9;
	back = round_trip(&y.s, &text);
	same_snapshot(&y.s, back);
	cr_assert_gt(back->containers[1].start_time, 1767000000.0);
	ctop_snapshot_free(back);
	free(text);
}

/* Rates that are no count over the interval, and ties below the rounding. */
Test(snapshot_json, doubles_that_are_no_count_stay_exact)
{
	struct ctop_snapshot *back;
	char *text;

	y.c[0].m[CTOP_M_CPU] = 1.0 / 3.0;
	y.c[1].m[CTOP_M_CPU] = 1.0 / 3.0 + 1e-12;	/* prints the same, sorts after */
	y.c[2].m[CTOP_M_RSS] = 12345.678;
	y.c[3].m[CTOP_M_NET_RX] = 1e14 / 3;
	y.c[4].m[CTOP_M_DISK_READ] = -0.0;
	y.c[0].procs[0].m[CTOP_M_CPU] = 5e-324;
	y.s.host.cpu_pct = 0.1;
	back = round_trip(&y.s, &text);
	same_snapshot(&y.s, back);
	same_views(&y.s, back);
	cr_assert(signbit(back->containers[4].m[CTOP_M_DISK_READ]));
	ctop_snapshot_free(back);
	free(text);

	/* No interval to divide by: every rate is stored as itself. */
	y.s.interval_s = 0;
	back = round_trip(&y.s, &text);
	same_snapshot(&y.s, back);
	ctop_snapshot_free(back);
	free(text);
}

/* "%.17g", and ".0" after it unless it has '.', 'e' or 'n'. */
static void expect_real(double v)
{
	char want[40], got[40];
	int n = snprintf(want, sizeof(want), "%.17g", v);

	if (!strpbrk(want, ".en"))
		n += snprintf(want + n, sizeof(want) - (size_t)n, ".0");
	cr_assert_eq(ctop_json_real(got, sizeof(got), v), n, "%s", want);
	cr_assert_str_eq(got, want);
}

/* Whole numbers skip snprintf: they must print as it does, sign and edges included. */
Test(snapshot_json, reals_print_as_17_digits_do)
{
	const double edge = 9007199254740992.0;	/* 2^53 */
	const double v[] = {
		0.0, -0.0, 1.0, -1.0, 5.0, 10.0, 2633728.0, -123456789.0, 1e15, 1e16, -1e16,
		edge - 1, edge, edge + 2, -edge, 1e17, 1e300, 0.5, -0.5, 1.0 / 3, 5e-324,
		1796281030.0686021, INFINITY, -INFINITY, NAN,
	};
	uint64_t bits = 0x9e3779b97f4a7c15ULL;
	char small[4];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		expect_real(v[i]);
	for (int i = -100000; i <= 100000; i++)
		expect_real(i);
	for (int i = 0; i < 100000; i++) {
		double d;

		bits = bits * 6364136223846793005ULL + 1442695040888963407ULL;
		memcpy(&d, &bits, sizeof(d));
		expect_real(d);
		expect_real(trunc(d));
	}
	/* Too small a buffer: the length it needs, as snprintf's. */
	cr_assert_eq(ctop_json_real(small, sizeof(small), 2633728.0), 9);
	cr_assert_str_eq(small, "263");
}

/* No refresh makes NaN: written as null, it is read as 0. */
Test(snapshot_json, not_finite_is_null)
{
	struct ctop_snapshot *back;
	char *text, *again;
	size_t len;

	y.c[0].m[CTOP_M_CPU] = NAN;
	y.c[0].m[CTOP_M_RSS] = INFINITY;
	cr_assert_eq(ctop_snapshot_json_dump(&y.s, &text, &len), 0);
	cr_assert_not_null(strstr(text, "\"m\":[null,null,"), "%s", text);
	cr_assert_eq(ctop_snapshot_json_parse(text, len, &back), 0);
	cr_assert_eq(back->containers[0].m[CTOP_M_CPU], 0);
	cr_assert_eq(back->containers[0].m[CTOP_M_RSS], 0);
	cr_assert_eq(ctop_snapshot_json_dump(back, &again, &len), 0);
	ctop_snapshot_free(back);
	free(again);
	free(text);
}

/* What a container sets is hostile: any bytes, kept exactly. */
Test(snapshot_json, hostile_strings_are_exact)
{
	struct ctop_snapshot *back;
	char *text;

	snprintf(y.c[0].name, sizeof(y.c[0].name), "bad\xff\xfe\x80name");
	snprintf(y.c[1].name, sizeof(y.c[1].name), "\x1b[31mred\x1b[0m\x7f\"\\");
	snprintf(y.c[2].image, sizeof(y.c[2].image), "caf\xc3\xa9 \xe2\x80\xae");
	snprintf(y.c[0].procs[0].cmdline, sizeof(y.c[0].procs[0].cmdline), "a\nb\tc\xc0\xaf");
	snprintf(y.c[0].procs[1].comm, sizeof(y.c[0].procs[1].comm), "\xed\xa0\x80surrogate");
	y.c[0].procs[1].zombie = true;
	y.c[0].procs[2].kthread = true;
	y.c[0].procs[2].cmdline[0] = '\0';
	y.s.host.lost_events = UINT64_MAX;	/* above what a JSON integer holds */
	y.c[1].cpu_ns_total = 1ULL << 63;
	back = round_trip(&y.s, &text);
	same_snapshot(&y.s, back);
	same_views(&y.s, back);
	cr_assert_not_null(strstr(text, "{\"hex\":\"626164fffe806e616d65\"}"), "%s", text);
	ctop_snapshot_free(back);
	free(text);
}

Test(snapshot_json, empty_snapshot)
{
	struct ctop_snapshot s = { 0 }, *back;
	char *text;

	back = round_trip(&s, &text);
	cr_assert_eq(back->ncontainers, 0);
	cr_assert_eq(back->host_row.nprocs, 0);
	cr_assert(back->host_row.is_host);
	ctop_snapshot_free(back);
	free(text);
}

static int parse(const char *text)
{
	struct ctop_snapshot *s = (void *)&y;	/* must be overwritten */
	int r = ctop_snapshot_json_parse(text, strlen(text), &s);

	cr_assert(r == 0 ? s != NULL : s == NULL);
	ctop_snapshot_free(s);
	return r;
}

Test(snapshot_json, bad_input_is_an_error)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[]",
		"{}",
		"{\"host\":{},\"host_row\":{}}",
		"{\"host\":{},\"host_row\":{},\"containers\":{}}",
		"{\"host\":{\"cpus\":\"8\"},\"host_row\":{},\"containers\":[]}",
		"{\"host\":{\"probes\":{\"net\":\"warp\"}},\"host_row\":{},\"containers\":[]}",
		"{\"host\":{},\"host_row\":{\"procs\":[[1,2,3]]},\"containers\":[]}",
		"{\"host\":{},\"host_row\":{\"procs\":{}},\"containers\":[]}",
		"{\"host\":{},\"host_row\":{},\"containers\":[7]}",
		"{\"host\":{},\"host_row\":{},\"containers\":[{\"name\":{\"hex\":\"zz\"}}]}",
		"{\"host\":{},\"host_row\":{},\"containers\":[{\"name\":{\"hex\":\"610\"}}]}",
		"{\"host\":{},\"host_row\":{},\"containers\":[{\"name\":{\"hex\":\"6100\"}}]}",
		"{\"host\":{},\"host_row\":{},\"containers\":[{\"m\":[\"1\"]}]}",
		"{\"host\":{},\"host_row\":{},\"containers\":[{\"m\":3}]}",
		"{\"host\":{},\"host_row\":{},\"containers\":[{\"totals\":[1.5]}]}",
		/* values no refresh makes, which the views could not convert */
		"{\"time\":1e300,\"host\":{},\"host_row\":{},\"containers\":[]}",
		"{\"host\":{},\"host_row\":{\"m\":[0,-1e200]},\"containers\":[]}",
		"{\"interval_s\":1e-300,\"host\":{},\"host_row\":{\"m\":[0,0,9000000000000000000]},"
		"\"containers\":[]}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(parse(bad[i]), -EBADMSG, "accepted: %s", bad[i]);
	/* The least a snapshot is; later versions may add fields, which are ignored. */
	cr_assert_eq(parse("{\"host\":{},\"host_row\":{},\"containers\":[],\"later\":1}"), 0);
}

Test(snapshot_json, long_strings_are_cut)
{
	char text[2048], name[600];
	struct ctop_snapshot *s;

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(text, sizeof(text),
		 "{\"host\":{},\"host_row\":{},\"containers\":[{\"name\":\"%s\","
		 "\"procs\":[[1,0,1,0,\"%s\",\"\\u0000x\",0,0,0,0,0,0,0,0,0]]}]}",
		 name, name);
	cr_assert_eq(ctop_snapshot_json_parse(text, strlen(text), &s), 0);
	cr_assert_eq(strlen(s->containers[0].name), CTOP_NAME_LEN - 1);
	cr_assert_eq(strlen(s->containers[0].procs[0].comm), 15);
	cr_assert_str_eq(s->containers[0].procs[0].cmdline, "");
	ctop_snapshot_free(s);
}

/* Cut anywhere, a snapshot's JSON is refused, never half read. */
Test(snapshot_json, every_cut_is_refused)
{
	struct ctop_snapshot *s;
	char *text;
	size_t len, i;

	y.ncont = 2;
	y.s.ncontainers = 2;
	y.c[0].nprocs = y.c[1].nprocs = 2;
	cr_assert_eq(ctop_snapshot_json_dump(&y.s, &text, &len), 0);
	for (i = 0; i < len - 1; i++) {
		cr_assert_eq(ctop_snapshot_json_parse(text, i, &s), -EBADMSG, "cut at %zu", i);
		cr_assert_null(s);
	}
	cr_assert_eq(ctop_snapshot_json_parse(text, len - 1, &s), 0);
	ctop_snapshot_free(s);
	free(text);
}
