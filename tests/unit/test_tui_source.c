// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The screen's state and batch output's refresh, driven by a made-up
 * snapshot source: neither knows nor cares that it is not the collector.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mode.h"
#include "unit/tui_fake_screen.h"

struct fake_source {
	struct ctop_source src;	/* first: the source is the fake */
	struct ctop_snapshot snaps[2];
	size_t nsnaps, calls;
	int fail;		/* next() returns this when set */
	double mono, wall;	/* what the last call was given */
	bool freed;
};

static int fake_next(struct ctop_source *src, double now_mono, double now_wall,
		     const struct ctop_snapshot **out)
{
	struct fake_source *f = (struct fake_source *)src;

	f->mono = now_mono;
	f->wall = now_wall;
	if (f->fail)
		return f->fail;
	*out = &f->snaps[f->calls < f->nsnaps ? f->calls : f->nsnaps - 1];
	f->calls++;
	return 0;
}

static void fake_free(struct ctop_source *src)
{
	((struct fake_source *)src)->freed = true;
}

static const struct ctop_source_ops fake_ops = { fake_next, fake_free };
static struct fake_source fake;
static struct ctop_options opts;
static struct tui *t;

/* Two refreshes: both containers, then web-1 has exited. */
static void setup(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.src.ops = &fake_ops;
	fake.src.name = "the fake recording";
	fake.snaps[0] = *fake_snapshot();
	fake.snaps[1] = fake.snaps[0];
	fake.snaps[1].seq = 2;
	fake.snaps[1].containers = &fake_cont[1];
	fake.snaps[1].ncontainers = 1;
	fake.nsnaps = 2;
	memset(&opts, 0, sizeof(opts));
	opts.delay = 1.0;
	opts.sort = CTOP_SORT_CPU;

	t = fake_screen_new(&opts, NULL);
	t->src = &fake.src;
	cr_redirect_stderr();
}

static void teardown(void)
{
	fake_screen_free(t);
}

TestSuite(screen, .init = setup, .fini = teardown);
TestSuite(batch, .init = setup, .fini = teardown);
TestSuite(source, .init = setup, .fini = teardown);

Test(screen, samples_the_source_it_holds)
{
	cr_assert_eq(tui_sample(t), 0);
	cr_assert_eq(fake.calls, 1);
	cr_assert_eq(t->snap, &fake.snaps[0]);
	cr_assert_eq(t->nrows, 2);
	cr_assert_str_eq(t->rows[0]->name, "db", "sorted by CPU: 120.5%% first");
	cr_assert_str_eq(t->rows[1]->name, "web-1");
	/* the source gets the two clocks: monotonic, and the wall's seconds since 1970 */
	cr_assert_gt(fake.mono, 0);
	cr_assert_gt(fake.wall, 1.6e9);
}

Test(screen, follows_the_source_from_refresh_to_refresh)
{
	cr_assert_eq(tui_sample(t), 0);
	/* into web-1's processes, then the next snapshot no longer has it */
	t->sel = 1;
	cr_assert_eq(tui_key(t, '\n') & TUI_REBUILD, TUI_REBUILD);
	tui_rebuild(t);
	cr_assert_eq(t->view, TUI_VIEW_PROCS);
	cr_assert_eq(t->ptree.nrows, 4);
	cr_assert_eq(tui_sample(t), 0);
	cr_assert_eq(t->snap, &fake.snaps[1]);
	cr_assert_eq(t->view, TUI_VIEW_TABLE);
	cr_assert(strstr(t->msg, "web-1 has exited"), "%s", t->msg);
	cr_assert_eq(t->nrows, 1);
}

Test(screen, a_failed_read_keeps_the_last_snapshot_and_says_which_source)
{
	cr_assert_eq(tui_sample(t), 0);
	fake.fail = -EIO;
	cr_assert_eq(tui_sample(t), -EIO);
	cr_assert_eq(t->snap, &fake.snaps[0], "the frame keeps showing the last snapshot");
	cr_assert_eq(t->nrows, 2);
	cr_assert_str_eq(t->msg, "reading the fake recording failed: Input/output error");
	cr_assert(t->msg_warn);
}

Test(screen, host_row_on_top_and_filtered_like_the_rest)
{
	t->show_host = true;
	cr_assert_eq(tui_sample(t), 0);
	cr_assert_eq(t->nrows, 3);
	cr_assert(t->rows[0]->is_host);
	cr_assert_str_eq(t->rows[1]->name, "db");
	snprintf(t->filter, sizeof(t->filter), "web");
	tui_rebuild(t);
	cr_assert_eq(t->nrows, 1, "[host] does not match 'web'");
	cr_assert_str_eq(t->rows[0]->name, "web-1");
	snprintf(t->filter, sizeof(t->filter), "host");
	tui_rebuild(t);
	cr_assert_eq(t->nrows, 1);
	cr_assert(t->rows[0]->is_host);
}

/* What a refresh wrote to a temporary file. */
static char *refresh(struct tui_batch *b, int *ret)
{
	FILE *f = tmpfile();
	char *text;
	long len;

	cr_assert(f);
	*ret = tui_batch_refresh(b, 10.0, 1.7e9, f);
	len = ftell(f);
	cr_assert_geq(len, 0);
	text = calloc(1, (size_t)len + 1);
	rewind(f);
	cr_assert_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return text;
}

Test(batch, writes_each_snapshot_of_the_source_as_a_table)
{
	struct tui_batch b;
	char *got, *want;
	int ret;

	tui_batch_init(&b, &fake.src, &opts);
	for (size_t i = 0; i < 2; i++) {
		got = refresh(&b, &ret);
		cr_assert_eq(ret, TUI_BATCH_MORE);
		cr_assert_eq(ctop_output_table(&fake.snaps[i], &b.vo, &want), 0);
		cr_assert_str_eq(got, want, "refresh %zu", i);
		free(got);
		free(want);
	}
	cr_assert_float_eq(fake.mono, 10.0, 1e-9, "the refresh's own clocks reach the source");
	cr_assert_float_eq(fake.wall, 1.7e9, 1e-9);
}

Test(batch, json_filter_and_host_come_from_the_options)
{
	struct tui_batch b;
	char *got, *want;
	int ret;

	opts.json = true;
	opts.filter = "web";
	opts.all = true;
	tui_batch_init(&b, &fake.src, &opts);
	got = refresh(&b, &ret);
	cr_assert_eq(ret, TUI_BATCH_MORE);
	cr_assert_eq(ctop_output_json(&fake.snaps[0], &b.vo, &want), 0);
	cr_assert_str_eq(got, want);
	cr_assert(strstr(got, "\"web-1\""), "%s", got);
	cr_assert_null(strstr(got, "postgres"), "db is filtered out: %s", got);
	cr_assert(strstr(got, "[host]"), "-a adds the host row: %s", got);
	free(got);
	free(want);
}

Test(batch, a_failed_read_ends_with_status_1_and_names_the_source)
{
	struct tui_batch b;
	char *got;
	int ret;

	fake.fail = -EIO;
	tui_batch_init(&b, &fake.src, &opts);
	got = refresh(&b, &ret);
	cr_assert_eq(ret, TUI_EXIT_FAIL);
	cr_assert_str_eq(got, "");
	free(got);
	fflush(stderr);
	cr_assert_stderr_eq_str("ctop-bpf: reading the fake recording failed: Input/output error\n");
}

Test(batch, a_write_error_ends_with_status_3)
{
	struct tui_batch b;
	FILE *ro = fopen("/dev/null", "r");

	cr_assert(ro);
	tui_batch_init(&b, &fake.src, &opts);
	cr_assert_eq(tui_batch_refresh(&b, 1.0, 1.7e9, ro), TUI_EXIT_WRITE);
	fclose(ro);
	fflush(stderr);
	cr_assert_stderr_eq_str("ctop-bpf: write error: Bad file descriptor\n");
}

Test(source, is_freed_through_its_own_ops)
{
	ctop_source_free(&fake.src);
	cr_assert(fake.freed);
	ctop_source_free(NULL);
}
