/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Replaying a recording: a snapshot source (source.h) over the records of
 * FILE.1 then FILE (what rotation leaves) as one timeline, with a cursor
 * the screen moves. Each snapshot is parsed from its record, exactly as it
 * was live; its rows' history is rebuilt from the records before it with
 * the collector's EWMA (ctop_history_push), so the sparklines show the
 * recorded past up to the shown moment.
 *
 * History is kept by container id while the container is in consecutive
 * records, as the collector keeps it while the container has processes. A
 * record with state (record.h: the collector's EWMA, kept one record in
 * CTOP_REC_STATE_RECORDS) sets it, so a jump rebuilds from the last such
 * record at least `shown` records back and draws bit for bit what
 * stepping from the first record draws; a recording without state (format
 * version 1) is rebuilt from `depth` records back, the same to a
 * thousandth. Parsing a record is what costs: about 2 ms for 500
 * processes.
 */
#ifndef CTOP_REPLAY_H
#define CTOP_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include "record.h"
#include "source.h"

struct ctop_replay_opts {
	double alpha;		/* the EWMA weight (--smooth) */
	bool history;		/* build rows' history (the screen wants it) */
	/*
	 * true (batch): each next() moves to the next record, -ENOENT after
	 * the last one or past until. false (screen): next() returns the
	 * record at the cursor, moved on first if playing.
	 */
	bool each;
	/*
	 * As typed (ctop_time_parse(), HH:MM on the first record's day), or
	 * NULL: start at the first record at or after since; with each, stop
	 * after until's second (or minute, if it has no seconds).
	 */
	const char *since, *until;
};

struct ctop_replay;

/*
 * Opens path (and path.1 if it exists) and moves to the first record
 * (since, if set). Errors as ctop_recording_open(), with why; -ENOENT
 * and a why for a recording with no record in it.
 */
int ctop_replay_open(const char *path, const struct ctop_replay_opts *o,
		     struct ctop_replay **out, char *why, size_t whylen);

/*
 * How many samples of history the caller draws: a jump then rebuilds from
 * the last record with state that many records back or more; without
 * state, from that many back and as many more as the EWMA needs to forget
 * where it started (to a thousandth), at most CTOP_HISTORY_LEN in all,
 * which is also what it does until this is called.
 */
void ctop_replay_set_depth(struct ctop_replay *r, size_t shown);

/* The replay as a source; free() frees the replay. Part of r, not a copy. */
struct ctop_source *ctop_replay_source(struct ctop_replay *r);

/* The replay behind src, or NULL if src is not one. */
struct ctop_replay *ctop_replay_of(struct ctop_source *src);

struct ctop_replay_state {
	double time;		/* the current record's */
	double first, last;	/* the timeline's first and last records' times */
	bool playing;
	double speed;		/* recorded seconds per real second */
	bool at_end;		/* playing stopped at the last record */
	char host[65];		/* the host that began the recording */
	/* the files' cuts and damage, summed */
	bool cut;
	uint64_t cut_at;	/* offset in the last file where whole records end */
	uint64_t damaged_spots, damaged_bytes, bad_records;
};

void ctop_replay_state(const struct ctop_replay *r, struct ctop_replay_state *st);

/*
 * The cursor. Each returns 0, -ENOENT when there is nothing that way (the
 * cursor stays), or -errno; the snapshot at the new cursor comes with the
 * next next().
 */
int ctop_replay_step(struct ctop_replay *r, int dir);		/* one record, -1 or +1 */
int ctop_replay_jump(struct ctop_replay *r, double seconds);	/* from the current time */
int ctop_replay_seek(struct ctop_replay *r, double t);	/* the last record at or before t */
int ctop_replay_start(struct ctop_replay *r);
int ctop_replay_end(struct ctop_replay *r);

/*
 * Plays (speed recorded seconds per real second, from now_mono on) or
 * pauses. Playing moves the cursor in next(), stopping at the end.
 */
void ctop_replay_play(struct ctop_replay *r, bool playing, double speed, double now_mono);

#endif /* CTOP_REPLAY_H */
