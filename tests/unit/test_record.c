// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Recordings: what is written is read back, forward, backward and by time;
 * a file cut at any byte or with any byte damaged replays what is whole
 * and says where it ends; bad files give their own errors; and the
 * committed fixture, from an older build, stays readable.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "output.h"
#include "record.h"
#include "snap_synth.h"
#include "snapshot_json.h"

#define MAXREC 256

static char dir[64], path[128];
static struct synth y;
static char *json[MAXREC];	/* what each record written holds */
static double when[MAXREC];
static uint64_t ends[MAXREC];	/* the file's size after each record */
static size_t nrec;

static int rm(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	return remove(p);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ctop-rec-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec", dir);
	cr_assert_eq(synth_init(&y, 2, 3, 7), 0);
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

TestSuite(record, .init = setup, .fini = teardown, .timeout = 60);

static uint64_t file_size(const char *p)
{
	struct stat st;

	cr_assert_eq(stat(p, &st), 0, "%s", p);
	return (uint64_t)st.st_size;
}

/* n more records into path, remembered in json[] and ends[]. */
static void record_n(const char *p, size_t n, const struct ctop_recorder_opts *o)
{
	struct ctop_recorder *w;
	char why[256];
	size_t len, i;

	cr_assert_eq(ctop_recorder_open(p, o, "node-7", y.s.time, &w, why, sizeof(why)), 0,
		     "%s", why);
	for (i = 0; i < n; i++) {
		cr_assert_lt(nrec, MAXREC);
		synth_step(&y, 1.0);
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
		cr_assert_eq(ctop_snapshot_json_dump(&y.s, &json[nrec], &len), 0);
		when[nrec] = y.s.time;
		ends[nrec] = file_size(p);
		nrec++;
	}
	ctop_recorder_close(w);
}

static struct ctop_recording *open_ok(const char *p)
{
	struct ctop_recording *r;
	char why[256];

	cr_assert_eq(ctop_recording_open(p, &r, why, sizeof(why)), 0, "%s", why);
	return r;
}

/* The record now current is record i. */
static void is_record(struct ctop_recording *r, size_t i)
{
	const struct ctop_record *c = ctop_recording_current(r);

	cr_assert_not_null(c);
	cr_assert_lt(i, nrec);
	cr_assert_eq(c->len, strlen(json[i]));
	cr_assert_str_eq(c->json, json[i], "record %zu", i);
	cr_assert_float_eq(c->time, when[i], 1e-6);
}

/* Which record c is, or -1 for none written. */
static long which(const struct ctop_record *c)
{
	size_t i;

	for (i = 0; i < nrec; i++)
		if (c->len == strlen(json[i]) && !memcmp(c->json, json[i], c->len))
			return (long)i;
	return -1;
}

Test(record, round_trip_forward_backward_and_by_time)
{
	struct ctop_recorder_opts o = { .frame_records = 7 };
	struct ctop_recording_info info;
	struct ctop_recording *r;
	size_t i;

	record_n(path, 50, &o);
	r = open_ok(path);
	cr_assert_null(ctop_recording_current(r));
	ctop_recording_info(r, &info);
	cr_assert_eq(info.version, CTOP_REC_VERSION);
	cr_assert_str_eq(info.host, "node-7");
	cr_assert_eq(info.size, ends[nrec - 1]);
	cr_assert_eq(info.end, info.size);
	cr_assert_not(info.cut);

	cr_assert_eq(ctop_recording_first(r), 0);
	is_record(r, 0);
	for (i = 1; i < nrec; i++) {
		cr_assert_eq(ctop_recording_next(r), 0, "record %zu", i);
		is_record(r, i);
	}
	cr_assert_eq(ctop_recording_next(r), -ENOENT);
	is_record(r, nrec - 1);
	for (i = nrec - 1; i-- > 0;) {
		cr_assert_eq(ctop_recording_prev(r), 0, "record %zu", i);
		is_record(r, i);
	}
	cr_assert_eq(ctop_recording_prev(r), -ENOENT);
	is_record(r, 0);
	cr_assert_eq(ctop_recording_last(r), 0);
	is_record(r, nrec - 1);

	for (i = 0; i < nrec; i++) {
		cr_assert_eq(ctop_recording_seek(r, when[i]), 0);
		is_record(r, i);
		cr_assert_eq(ctop_recording_seek(r, when[i] + 0.5), 0);
		is_record(r, i);
	}
	cr_assert_eq(ctop_recording_seek(r, when[0] - 3600), 0);
	is_record(r, 0);
	cr_assert_eq(ctop_recording_seek(r, when[nrec - 1] + 3600), 0);
	is_record(r, nrec - 1);
	/* Seek in any order, then step from there. */
	cr_assert_eq(ctop_recording_seek(r, when[20]), 0);
	cr_assert_eq(ctop_recording_prev(r), 0);
	is_record(r, 19);
	cr_assert_eq(ctop_recording_seek(r, when[13]), 0);
	cr_assert_eq(ctop_recording_next(r), 0);
	is_record(r, 14);
	ctop_recording_info(r, &info);
	cr_assert_eq(info.damaged_spots, 0);
	ctop_recording_close(r);
}

Test(record, a_replayed_snapshot_prints_what_live_printed)
{
	struct ctop_view_opts vo = { .sort = CTOP_SORT_CPU, .processes = true };
	struct ctop_snapshot *back;
	struct ctop_recording *r;
	struct ctop_recorder *w;
	const struct ctop_record *c;
	char *live[10], *again, why[256];
	size_t i;

	cr_assert_eq(ctop_recorder_open(path, NULL, "h", 0, &w, why, sizeof(why)), 0, "%s", why);
	for (i = 0; i < 10; i++) {
		synth_step(&y, 1.0);
		cr_assert_eq(ctop_output_json(&y.s, &vo, &live[i]), 0);
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
	}
	ctop_recorder_close(w);
	r = open_ok(path);
	for (i = 0; i < 10; i++) {
		cr_assert_eq(i ? ctop_recording_next(r) : ctop_recording_first(r), 0);
		c = ctop_recording_current(r);
		cr_assert_eq(ctop_snapshot_json_parse(c->json, c->len, &back), 0);
		cr_assert_eq(ctop_output_json(back, &vo, &again), 0);
		cr_assert_str_eq(again, live[i]);
		free(again);
		free(live[i]);
		ctop_snapshot_free(back);
	}
	ctop_recording_close(r);
}

static void read_all(const char *p, size_t want)
{
	struct ctop_recording_info info;
	struct ctop_recording *r = open_ok(p);
	size_t i;

	for (i = 0; i < want; i++) {
		cr_assert_eq(i ? ctop_recording_next(r) : ctop_recording_first(r), 0, "%zu", i);
		is_record(r, i);
	}
	cr_assert_eq(ctop_recording_next(r), want ? -ENOENT : -ENOENT);
	ctop_recording_info(r, &info);
	cr_assert_eq(info.damaged_spots, 0);
	cr_assert_not(info.cut);
	ctop_recording_close(r);
}

Test(record, appending_continues_the_recording)
{
	struct ctop_recorder_opts o = { .frame_records = 4 };

	record_n(path, 10, &o);
	record_n(path, 10, &o);
	record_n(path, 3, NULL);
	read_all(path, nrec);
}

static void copy_prefix(const char *from, const char *to, uint64_t n)
{
	FILE *f = fopen(from, "rb"), *g = fopen(to, "wb");
	char *buf = malloc(n + 1);

	cr_assert(f && g && buf);
	cr_assert_eq(fread(buf, 1, n, f), n);
	cr_assert_eq(fwrite(buf, 1, n, g), n);
	fclose(f);
	fclose(g);
	free(buf);
}

/* A cut at every byte: each whole record before it, and where it ends. */
Test(record, cut_at_every_byte)
{
	struct ctop_recorder_opts o = { .frame_records = 3 };
	struct ctop_recording_info info;
	struct ctop_recording *r;
	struct ctop_recorder *w;
	char cut[160], why[256];
	uint64_t size, len;
	size_t whole, i;
	int e;

	y.c[0].nprocs = y.c[1].nprocs = 1;
	record_n(path, 8, &o);
	size = file_size(path);
	snprintf(cut, sizeof(cut), "%s/cut", dir);
	for (len = 0; len < size; len++) {
		copy_prefix(path, cut, len);
		e = ctop_recording_open(cut, &r, why, sizeof(why));
		if (len < 128) {
			cr_assert_eq(e, -ENODATA, "cut at %llu: %d %s", (unsigned long long)len, e,
				     why);
			cr_assert_not_null(strstr(why, "cut short"), "%s", why);
			continue;
		}
		cr_assert_eq(e, 0, "cut at %llu: %s", (unsigned long long)len, why);
		for (whole = 0; whole < nrec && ends[whole] <= len; whole++)
			;
		ctop_recording_info(r, &info);
		cr_assert_eq(info.end, whole ? ends[whole - 1] : 128, "cut at %llu",
			     (unsigned long long)len);
		cr_assert_eq(info.cut, info.end < len);
		for (i = 0; i < whole; i++) {
			cr_assert_eq(i ? ctop_recording_next(r) : ctop_recording_first(r), 0,
				     "cut at %llu, record %zu", (unsigned long long)len, i);
			is_record(r, i);
		}
		cr_assert_eq(i ? ctop_recording_next(r) : ctop_recording_first(r), -ENOENT);
		if (whole) {
			cr_assert_eq(ctop_recording_last(r), 0);
			is_record(r, whole - 1);
			cr_assert_eq(ctop_recording_seek(r, when[whole - 1] + 99), 0);
			is_record(r, whole - 1);
		}
		ctop_recording_info(r, &info);
		cr_assert_eq(info.damaged_spots, 0, "cut at %llu", (unsigned long long)len);
		ctop_recording_close(r);

		/* Recording again after the crash continues cleanly. */
		cr_assert_eq(ctop_recorder_open(cut, &o, "x", 0, &w, why, sizeof(why)), 0, "%s",
			     why);
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
		ctop_recorder_close(w);
		r = open_ok(cut);
		for (i = 0; i <= whole; i++)
			cr_assert_eq(i ? ctop_recording_next(r) : ctop_recording_first(r), 0);
		cr_assert_str_eq(ctop_recording_current(r)->json, json[nrec - 1]);
		cr_assert_eq(ctop_recording_next(r), -ENOENT);
		ctop_recording_info(r, &info);
		cr_assert_eq(info.damaged_spots, 0);
		cr_assert_not(info.cut);
		ctop_recording_close(r);
	}
}

/* Damage anywhere: never a wrong record, never a crash, always noticed. */
Test(record, flipped_bytes)
{
	struct ctop_recorder_opts o = { .frame_records = 4 };
	struct ctop_recording_info info;
	struct ctop_recording *r;
	unsigned char *orig;
	char bad[160], why[256];
	uint64_t size, pos;
	long k, last;
	size_t seen;
	FILE *f;
	int e;

	y.c[0].nprocs = y.c[1].nprocs = 1;
	record_n(path, 12, &o);
	size = file_size(path);
	orig = malloc(size);
	f = fopen(path, "rb");
	cr_assert_eq(fread(orig, 1, size, f), size);
	fclose(f);
	snprintf(bad, sizeof(bad), "%s/bad", dir);
	for (pos = 0; pos < size; pos++) {
		orig[pos] ^= 0x10;
		f = fopen(bad, "wb");
		cr_assert_eq(fwrite(orig, 1, size, f), size);
		fclose(f);
		orig[pos] ^= 0x10;
		e = ctop_recording_open(bad, &r, why, sizeof(why));
		if (pos < 128) {
			cr_assert(e == -EBADMSG || e == -ENOEXEC || e == -EPROTONOSUPPORT ||
					  (e == 0 && pos >= 24 + 65 && pos < 124),
				  "flip at %llu: %d", (unsigned long long)pos, e);
			if (e)
				continue;
		}
		cr_assert_eq(e, 0, "flip at %llu: %s", (unsigned long long)pos, why);
		seen = 0;
		last = -1;
		for (e = ctop_recording_first(r); !e; e = ctop_recording_next(r)) {
			k = which(ctop_recording_current(r));
			cr_assert_geq(k, 0, "flip at %llu: a record never written",
				      (unsigned long long)pos);
			cr_assert_gt(k, last, "flip at %llu: out of order", (unsigned long long)pos);
			last = k;
			seen++;
		}
		cr_assert_eq(e, -ENOENT);
		ctop_recording_info(r, &info);
		if (pos >= 128) {
			cr_assert(seen < nrec, "flip at %llu went unnoticed", (unsigned long long)pos);
			cr_assert(info.damaged_spots > 0 || info.cut, "flip at %llu: no report",
				  (unsigned long long)pos);
			/* At most the frame holding the flip is lost. */
			cr_assert_geq(seen + 4, nrec, "flip at %llu: %zu read",
				      (unsigned long long)pos, seen);
		}
		/* Backward: the same records. */
		for (e = ctop_recording_last(r); !e; e = ctop_recording_prev(r)) {
			cr_assert_geq(which(ctop_recording_current(r)), 0);
			seen--;
		}
		cr_assert_eq(seen, 0, "flip at %llu: backward differs", (unsigned long long)pos);
		ctop_recording_close(r);
	}
	free(orig);
}

static int open_err(const char *p, const char *word)
{
	struct ctop_recording *r = (void *)&y;
	char why[256] = "";
	int e = ctop_recording_open(p, &r, why, sizeof(why));

	cr_assert_null(r);
	if (word)
		cr_assert_not_null(strstr(why, word), "%s", why);
	return e;
}

static void write_file(const char *p, const void *data, size_t n)
{
	FILE *f = fopen(p, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* Each bad input has its own error and message, and nothing hangs. */
Test(record, bad_inputs)
{
	char p[160], why[256], text[140];
	unsigned char hdr[128];
	struct ctop_recorder *w;
	FILE *f;

	snprintf(p, sizeof(p), "%s/none", dir);
	cr_assert_eq(open_err(p, "No such file"), -ENOENT);

	snprintf(p, sizeof(p), "%s/text", dir);
	memset(text, '.', sizeof(text));
	memcpy(text, "{\"time\": 1}\nnot a recording", 26);
	write_file(p, text, sizeof(text));
	cr_assert_eq(open_err(p, "not a ctop-bpf recording"), -ENOEXEC);
	cr_assert_eq(ctop_recorder_open(p, NULL, "h", 0, &w, why, sizeof(why)), -ENOEXEC);
	cr_assert_eq(file_size(p), 140, "a file that is no recording was written to");

	cr_assert_eq(open_err(dir, "directory"), -EISDIR);
	cr_assert_eq(ctop_recorder_open(dir, NULL, "h", 0, &w, why, sizeof(why)), -EISDIR);

	snprintf(p, sizeof(p), "%s/fifo", dir);
	cr_assert_eq(mkfifo(p, 0600), 0);
	cr_assert_eq(open_err(p, "not a regular file"), -ESPIPE);
	cr_assert_eq(ctop_recorder_open(p, NULL, "h", 0, &w, why, sizeof(why)), -ESPIPE);

	snprintf(p, sizeof(p), "%s/empty", dir);
	write_file(p, "", 0);
	cr_assert_eq(open_err(p, "cut short"), -ENODATA);

	record_n(path, 2, NULL);
	f = fopen(path, "rb");
	cr_assert_eq(fread(hdr, 1, sizeof(hdr), f), sizeof(hdr));
	fclose(f);
	snprintf(p, sizeof(p), "%s/short", dir);
	write_file(p, hdr, 60);
	cr_assert_eq(open_err(p, "cut short"), -ENODATA);
	write_file(p, hdr, 5);
	cr_assert_eq(open_err(p, "cut short"), -ENODATA);

	/* A newer version is named as such, whatever else its header holds. */
	snprintf(p, sizeof(p), "%s/newer", dir);
	hdr[8] = CTOP_REC_VERSION + 1;
	write_file(p, hdr, sizeof(hdr));
	cr_assert_eq(open_err(p, "newer ctop-bpf"), -EPROTONOSUPPORT);
	cr_assert_eq(open_err(p, "version 4"), -EPROTONOSUPPORT);
	cr_assert_eq(ctop_recorder_open(p, NULL, "h", 0, &w, why, sizeof(why)),
		     -EPROTONOSUPPORT);
	cr_assert_eq(file_size(p), sizeof(hdr));
	hdr[8] = CTOP_REC_VERSION;
	hdr[30] ^= 1;
	write_file(p, hdr, sizeof(hdr));
	cr_assert_eq(open_err(p, "damaged"), -EBADMSG);
}

Test(record, unreadable_file)
{
	char why[256];
	struct ctop_recording *r;

	record_n(path, 1, NULL);
	cr_assert_eq(chmod(path, 0), 0);
	/* root reads anything: be nobody (Criterion runs each test in its own process). */
	if (geteuid() == 0)
		cr_assert_eq(seteuid(65534), 0);
	cr_assert_eq(ctop_recording_open(path, &r, why, sizeof(why)), -EACCES);
	cr_assert_not_null(strstr(why, "Permission denied"), "%s", why);
	if (getuid() == 0)
		cr_assert_eq(seteuid(0), 0);
}

Test(record, one_recorder_at_a_time)
{
	struct ctop_recorder *a, *b;
	char why[256];

	cr_assert_eq(ctop_recorder_open(path, NULL, "h", 0, &a, why, sizeof(why)), 0);
	cr_assert_eq(ctop_recorder_open(path, NULL, "h", 0, &b, why, sizeof(why)), -EBUSY);
	cr_assert_not_null(strstr(why, "another ctop-bpf"), "%s", why);
	ctop_recorder_close(a);
	cr_assert_eq(ctop_recorder_open(path, NULL, "h", 0, &b, why, sizeof(why)), 0);
	ctop_recorder_close(b);
}

/* A reader at the end sees what a recorder appends later. */
Test(record, a_growing_recording)
{
	struct ctop_recorder_opts o = { .frame_records = 5 };
	struct ctop_recording *r;
	size_t i;

	record_n(path, 3, &o);
	r = open_ok(path);
	cr_assert_eq(ctop_recording_last(r), 0);
	is_record(r, 2);
	cr_assert_eq(ctop_recording_next(r), -ENOENT);
	record_n(path, 9, &o);
	for (i = 3; i < nrec; i++) {
		cr_assert_eq(ctop_recording_next(r), 0, "%zu", i);
		is_record(r, i);
	}
	cr_assert_eq(ctop_recording_next(r), -ENOENT);
	/* A seek, too, finds what was appended after the reader opened. */
	record_n(path, 6, &o);
	cr_assert_eq(ctop_recording_seek(r, when[nrec - 2]), 0);
	is_record(r, nrec - 2);
	ctop_recording_close(r);
}

/* FILE and FILE.1 together stay under the bound, and hold the newest records. */
Test(record, rotation_by_size)
{
	struct ctop_recorder_opts o = { .frame_records = 10, .max_bytes = 40000 };
	struct ctop_recording *r;
	struct ctop_recorder_stats st;
	struct ctop_recorder *w;
	char old[160], why[256];
	size_t i, n1 = 0, n0 = 0;
	size_t len;

	cr_assert_eq(ctop_recorder_open(path, &o, "h", y.s.time, &w, why, sizeof(why)), 0);
	for (i = 0; i < 200; i++) {
		synth_step(&y, 1.0);
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
		cr_assert_eq(ctop_snapshot_json_dump(&y.s, &json[nrec], &len), 0);
		when[nrec++] = y.s.time;
		snprintf(old, sizeof(old), "%s.1", path);
		cr_assert_leq(file_size(path) + (access(old, F_OK) ? 0 : file_size(old)),
			      o.max_bytes);
	}
	ctop_recorder_stats(w, &st);
	ctop_recorder_close(w);
	cr_assert_geq(st.rotations, 2);
	r = open_ok(old);
	for (int e = ctop_recording_first(r); !e; e = ctop_recording_next(r))
		n1++;
	ctop_recording_close(r);
	r = open_ok(path);
	for (int e = ctop_recording_first(r); !e; e = ctop_recording_next(r))
		n0++;
	is_record(r, nrec - 1);
	cr_assert_eq(ctop_recording_first(r), 0);
	is_record(r, nrec - n0);
	ctop_recording_close(r);
	r = open_ok(old);
	cr_assert_eq(ctop_recording_last(r), 0);
	is_record(r, nrec - n0 - 1);	/* FILE.1 ends where FILE begins */
	ctop_recording_close(r);
	cr_assert_gt(n1, 0);
}

Test(record, rotation_by_day)
{
	struct ctop_recorder_opts o = { .daily = true };
	struct ctop_recording_info info;
	struct ctop_recording *r;
	char old[160];

	setenv("TZ", "UTC", 1);
	tzset();
	y.s.time = 1767225600.0 - 5.5;	/* 5.5 s before 2026-01-01 UTC */
	record_n(path, 10, &o);
	snprintf(old, sizeof(old), "%s.1", path);
	r = open_ok(old);
	cr_assert_eq(ctop_recording_last(r), 0);
	is_record(r, 4);
	ctop_recording_close(r);
	r = open_ok(path);
	cr_assert_eq(ctop_recording_first(r), 0);
	is_record(r, 5);
	ctop_recording_info(r, &info);
	cr_assert_float_eq(info.start, when[5], 1e-6);
	ctop_recording_close(r);
	/* Reopened the next day, the recorder rotates at the first record. */
	y.s.time += 86400;
	record_n(path, 1, &o);
	r = open_ok(old);
	cr_assert_eq(ctop_recording_first(r), 0);
	is_record(r, 5);
	ctop_recording_close(r);
}

/* A write that fails (here: the file size limit) leaves no partial record. */
Test(record, a_failed_write_leaves_the_file_whole)
{
	struct ctop_recorder_opts o = { .frame_records = 100 };
	struct rlimit lim;
	struct ctop_recorder *w;
	char why[256];
	size_t len;
	int e;

	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(ctop_recorder_open(path, &o, "h", 0, &w, why, sizeof(why)), 0);
	for (int i = 0; i < 3; i++) {
		synth_step(&y, 1.0);
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
		cr_assert_eq(ctop_snapshot_json_dump(&y.s, &json[nrec], &len), 0);
		when[nrec++] = y.s.time;
	}
	getrlimit(RLIMIT_FSIZE, &lim);
	lim.rlim_cur = file_size(path) + 100;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	synth_step(&y, 1.0);
	e = ctop_recorder_write(w, &y.s);
	cr_assert(e == -EFBIG || e == -ENOSPC, "%d", e);
	lim.rlim_cur = lim.rlim_max;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	for (int i = 0; i < 3; i++) {
		synth_step(&y, 1.0);
		cr_assert_eq(ctop_recorder_write(w, &y.s), 0);
		cr_assert_eq(ctop_snapshot_json_dump(&y.s, &json[nrec], &len), 0);
		when[nrec++] = y.s.time;
	}
	ctop_recorder_close(w);
	read_all(path, nrec);
}

/*
 * Format stability: recordings written by earlier builds, one per format
 * version, and what their records held, committed. CTOP_WRITE_FIXTURE=1
 * writes the current version's again (only when the format version
 * changes: the older files then stay as they are).
 */
static const char *fixture(char *buf, size_t len, unsigned version, const char *ext)
{
	const char *base = getenv("CTOP_FIXTURES");

	snprintf(buf, len, "%s/recordings/v%u-small.%s", base && *base ? base : "tests/fixtures",
		 version, ext);
	return buf;
}

static void check_fixture(unsigned version)
{
	struct ctop_recorder_opts o = { .frame_records = 4 };
	struct ctop_recording_info info;
	struct ctop_recording *r;
	char line[1 << 16], rec[256], txt[256];
	size_t n = 0;
	FILE *f;
	int e;

	if (getenv("CTOP_WRITE_FIXTURE") && version == CTOP_REC_VERSION) {
		record_n(fixture(rec, sizeof(rec), version, "ctoprec"), 10, &o);
		f = fopen(fixture(txt, sizeof(txt), version, "jsonl"), "w");
		for (size_t i = 0; i < nrec; i++)
			fputs(json[i], f);
		fclose(f);
	}
	f = fopen(fixture(txt, sizeof(txt), version, "jsonl"), "r");
	cr_assert_not_null(f, "%s: run the tests from the top of the tree", txt);
	r = open_ok(fixture(rec, sizeof(rec), version, "ctoprec"));
	ctop_recording_info(r, &info);
	cr_assert_eq(info.version, version);
	cr_assert_str_eq(info.host, "node-7");
	for (e = ctop_recording_first(r); !e; e = ctop_recording_next(r)) {
		const struct ctop_record *c = ctop_recording_current(r);
		struct ctop_snapshot *s;
		char *again;
		size_t len;

		cr_assert_not_null(fgets(line, sizeof(line), f));
		cr_assert_str_eq(c->json, line, "record %zu", n);
		cr_assert_eq(ctop_snapshot_json_parse(c->json, c->len, &s), 0);
		cr_assert_eq(ctop_snapshot_json_dump(s, &again, &len), 0);
		cr_assert_str_eq(again, line);
		free(again);
		ctop_snapshot_free(s);
		n++;
	}
	cr_assert_null(fgets(line, sizeof(line), f));
	cr_assert_eq(n, 10);
	fclose(f);
	ctop_recording_info(r, &info);
	cr_assert_eq(info.damaged_spots, 0);
	cr_assert_not(info.cut);
	ctop_recording_close(r);
}

/* Version 1: each record's JSON as it is, zstd-compressed. */
Test(record, the_committed_version_1_fixture_stays_readable)
{
	check_fixture(1);
}

/* Version 2: records packed (record_pack.h) against the one before. */
Test(record, the_committed_version_2_fixture_stays_readable)
{
	check_fixture(2);
}

/* Version 3: processes keyed too, unchanged numbers and references without bytes. */
Test(record, the_committed_version_3_fixture_stays_readable)
{
	check_fixture(3);
}

/*
 * Appending to an older version's file goes on in that version: the
 * records before and after read back whole (a record packed as another
 * version would not unpack).
 */
Test(record, appending_to_an_older_version_keeps_it)
{
	struct ctop_recorder_opts o = { .frame_records = 4 };

	for (unsigned v = 1; v < CTOP_REC_VERSION; v++) {
		struct ctop_recording_info info;
		struct ctop_recording *r;
		char src[256], dst[256];
		size_t base = nrec, n = 0;
		int e;

		fixture(src, sizeof(src), v, "ctoprec");
		snprintf(dst, sizeof(dst), "%s/old-v%u", dir, v);
		copy_prefix(src, dst, file_size(src));
		record_n(dst, 9, &o);
		r = open_ok(dst);
		for (e = ctop_recording_first(r); !e; e = ctop_recording_next(r), n++) {
			const struct ctop_record *c = ctop_recording_current(r);

			if (n >= 10)
				cr_assert_str_eq(c->json, json[base + n - 10], "v%u, record %zu", v, n);
		}
		cr_assert_eq(n, 10 + 9, "v%u", v);
		ctop_recording_info(r, &info);
		cr_assert_eq(info.version, v);
		cr_assert_eq(info.damaged_spots, 0, "v%u", v);
		ctop_recording_close(r);
	}
}
