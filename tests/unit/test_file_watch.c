// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The folder watch behind rename tracking (file_watch.h), on real files:
 * nothing may have changed until something in the folder did, by a write
 * in place or a file renamed over; a file first looked at always may; a
 * folder gone, or one that cannot be watched, always may.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "file_watch.h"

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

Test(file_watch, a_change_in_the_folder_and_only_then)
{
	char tmpl[] = "/tmp/ctop-watch-XXXXXX", path[256], tmp[256];
	const char *dir = mkdtemp(tmpl);
	struct ctop_file_watch w;
	uint32_t since;
	int wd;

	cr_assert(dir);
	put(dir, "config.json", "{\"name\":\"a\"}");
	snprintf(path, sizeof(path), "%s/config.json", dir);
	ctop_file_watch_init(&w);
	cr_assert_geq(w.fd, 0, "no inotify here");
	wd = ctop_file_watch_add(&w, path);
	cr_assert_geq(wd, 0);
	cr_expect(ctop_file_watch_maybe(&w, wd, 0), "a file not looked at yet may have changed");
	since = ctop_file_watch_poll(&w);
	cr_expect_not(ctop_file_watch_maybe(&w, wd, since), "nothing happened");
	since = ctop_file_watch_poll(&w);
	cr_expect_not(ctop_file_watch_maybe(&w, wd, since), "nothing happened, again");

	/* the runtime's way: write another file, rename it over */
	put(dir, "config.json.tmp", "{\"name\":\"b\"}");
	snprintf(tmp, sizeof(tmp), "%s/config.json.tmp", dir);
	since = ctop_file_watch_poll(&w);	/* the rename alone from here */
	cr_assert_eq(rename(tmp, path), 0);
	cr_expect_not(ctop_file_watch_maybe(&w, wd, since), "seen before the poll");
	ctop_file_watch_poll(&w);
	cr_expect(ctop_file_watch_maybe(&w, wd, since), "a file renamed over not seen");
	since = ctop_file_watch_poll(&w);
	cr_expect_not(ctop_file_watch_maybe(&w, wd, since), "looked at since");

	/* a database written in place */
	put(dir, "config.json", "{\"name\":\"c\"}");
	ctop_file_watch_poll(&w);
	cr_expect(ctop_file_watch_maybe(&w, wd, since), "a write in place not seen");
	since = ctop_file_watch_poll(&w);

	/* the folder removed: its watch is gone, every later look may find a change */
	cr_assert_eq(unlink(path), 0);
	cr_assert_eq(rmdir(dir), 0);
	ctop_file_watch_poll(&w);
	since = ctop_file_watch_poll(&w);
	cr_expect(ctop_file_watch_maybe(&w, wd, since), "a folder gone reads as unchanged");
	ctop_file_watch_fini(&w);
}

Test(file_watch, no_watch_always_may)
{
	struct ctop_file_watch w;
	uint32_t since;

	ctop_file_watch_init(&w);
	cr_expect_eq(ctop_file_watch_add(&w, "/nonexistent-ctop/dir/file"), -1);
	cr_expect_eq(ctop_file_watch_add(&w, "no-folder"), -1);
	since = ctop_file_watch_poll(&w);
	cr_expect(ctop_file_watch_maybe(&w, -1, since));
	ctop_file_watch_fini(&w);
	/* without inotify at all */
	memset(&w, 0, sizeof(w));
	w.fd = -1;
	cr_expect_eq(ctop_file_watch_add(&w, "/tmp/x"), -1);
	since = ctop_file_watch_poll(&w);
	cr_expect(ctop_file_watch_maybe(&w, -1, since));
	ctop_file_watch_fini(&w);
}
