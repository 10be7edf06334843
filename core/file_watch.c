// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
#include "file_watch.h"

/* A folder's watch that the kernel dropped (the folder went): always "may". */
#define GONE UINT32_MAX

/*
 * What can change a file of the folder, or the folder itself: a runtime
 * replaces its file (write and rename), or writes its database in place.
 */
#define EVENTS (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | \
		IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

void ctop_file_watch_init(struct ctop_file_watch *w)
{
	memset(w, 0, sizeof(*w));
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

void ctop_file_watch_fini(struct ctop_file_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	ctop_u64map_fini(&w->last);
	w->fd = -1;
}

int ctop_file_watch_add(struct ctop_file_watch *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	uint32_t *at;
	int wd;

	if (w->fd < 0 || !slash || (size_t)(slash - path) >= sizeof(dir))
		return -1;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	wd = inotify_add_watch(w->fd, slash == path ? "/" : dir, EVENTS);
	if (wd < 0)
		return -1;
	/* A folder watched already keeps its events; a number reused after GONE does not. */
	at = ctop_u64map_get(&w->last, (uint64_t)wd);
	if ((!at || *at == GONE) && ctop_u64map_put(&w->last, (uint64_t)wd, w->polls))
		return -1;
	return wd;
}

/* One event: its watch's folder changed at this poll, or it is gone. */
static void take(struct ctop_file_watch *w, const struct inotify_event *ev)
{
	uint32_t at = ev->mask & IN_IGNORED ? GONE : w->polls;

	if (ev->mask & IN_Q_OVERFLOW) {
		w->overflow_at = w->polls;
		return;
	}
	if (ctop_u64map_put(&w->last, (uint64_t)ev->wd, at))
		w->overflow_at = w->polls;	/* not kept: as if lost */
}

uint32_t ctop_file_watch_poll(struct ctop_file_watch *w)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;

	w->polls++;
	if (w->fd < 0)
		return w->polls;
	for (;;) {
		n = read(w->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* EAGAIN: no more; any other error: lose nothing, see below */
		for (char *p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			take(w, ev);
		}
	}
	if (n < 0 && errno != EAGAIN)
		w->overflow_at = w->polls;
	return w->polls;
}

bool ctop_file_watch_maybe(const struct ctop_file_watch *w, int wd, uint32_t since)
{
	const uint32_t *at;

	if (!since || wd < 0 || w->overflow_at > since)
		return true;
	at = ctop_u64map_get(&w->last, (uint64_t)wd);
	return at && *at > since;
}
