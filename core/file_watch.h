/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which of many files may have changed, from inotify on their folders:
 * one read a refresh instead of a stat() of each file (the runtimes'
 * metadata, watched for renames). "May": a change of another file in the
 * folder counts too, and the caller then looks at the file itself. A file
 * whose folder cannot be watched (no inotify, its limit reached, a folder
 * removed) may always have changed, so nothing is missed.
 */
#ifndef CTOP_FILE_WATCH_H
#define CTOP_FILE_WATCH_H

#include <stdbool.h>
#include <stdint.h>
#include "u64map.h"

struct ctop_file_watch {
	int fd;			/* the inotify instance; -1: none */
	uint32_t polls;		/* ctop_file_watch_poll() calls */
	uint32_t overflow_at;	/* the last poll that found events lost */
	struct ctop_u64map last;	/* watch -> the last poll with an event on it */
};

/* Never fails: without inotify every file may always have changed. */
void ctop_file_watch_init(struct ctop_file_watch *w);
void ctop_file_watch_fini(struct ctop_file_watch *w);

/*
 * Watches the folder of path (a file's). The watch, kept by the caller
 * for ctop_file_watch_maybe(), or -1 when there is none.
 */
int ctop_file_watch_add(struct ctop_file_watch *w, const char *path);

/* Takes the events since the last poll; then the current poll's number. */
uint32_t ctop_file_watch_poll(struct ctop_file_watch *w);

/*
 * Whether a file of the folder watched by wd may have changed after poll
 * number since (events up to it seen). 0 as since: always.
 */
bool ctop_file_watch_maybe(const struct ctop_file_watch *w, int wd, uint32_t since);

#endif /* CTOP_FILE_WATCH_H */
