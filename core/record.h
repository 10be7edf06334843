/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Recordings: one record per refresh, each the whole snapshot as exact
 * JSON (snapshot_json.h), compressed with zstd. The layout is in
 * man/ctop-bpf.8, RECORDING FORMAT. In short:
 *
 *   header (128 bytes: magic, version, start time, host name, CRC)
 *   piece, piece, ...   one per record: a 32-byte header (time, sizes,
 *                       CRCs) and the zstd output flushed after that record
 *
 * Pieces form zstd frames: a piece flagged as a frame start begins a new,
 * independent frame (every CTOP_REC_FRAME_RECORDS records or
 * CTOP_REC_FRAME_SECONDS seconds); the others continue the frame before,
 * so consecutive records, nearly identical, cost little. A frame never
 * needs an end: a cut anywhere leaves every whole piece readable.
 *
 * Seeking needs no index file: frame starts are found by their magic and
 * CRC, and a time by bisection over them, so a jump decodes at most one
 * frame. Time is taken to grow through the file; a clock set back only
 * makes a seek land near, not exactly on, the time asked for.
 *
 * Errors are -errno; the functions that open a file also write a message
 * for the user into why[whylen]:
 *   -ENOENT, -EACCES, ...  the file could not be opened (strerror's word)
 *   -EISDIR                a directory
 *   -ESPIPE                not a regular file (a FIFO, socket or device)
 *   -ENOEXEC               not a ctop-bpf recording
 *   -ENODATA               the header is cut short
 *   -EBADMSG               the header is damaged
 *   -EPROTONOSUPPORT       written by a newer ctop-bpf (a newer format version)
 *   -EBUSY                 (recorder) another ctop-bpf is recording to it
 * core never prints: the front end shows why and exits with status 2.
 */
#ifndef CTOP_RECORD_H
#define CTOP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "snapshot.h"

#define CTOP_REC_VERSION	3	/* the newest format version: written, and read with all before */
#define CTOP_REC_FRAME_RECORDS	300	/* records per zstd frame, at most */
#define CTOP_REC_FRAME_SECONDS	300.0	/* seconds per zstd frame, at most */
#define CTOP_REC_STATE_RECORDS	64	/* records with the history's state, one in */

/* ---- writing ---- */

struct ctop_recorder_opts {
	/*
	 * Bound on the disk used, 0 for none: when FILE would pass half of it,
	 * FILE becomes FILE.1 (replacing the older one) and a new FILE starts,
	 * so FILE and FILE.1 together stay under max_bytes.
	 */
	uint64_t max_bytes;
	/* At the first record of a new local day, FILE becomes FILE.1 likewise. */
	bool daily;
	unsigned frame_records;	/* 0: CTOP_REC_FRAME_RECORDS */
	double frame_seconds;	/* 0: CTOP_REC_FRAME_SECONDS */
	int level;		/* zstd level; 0: 6 */
};

struct ctop_recorder_stats {
	uint64_t records;	/* written since open */
	uint64_t json_bytes;	/* their JSON before compression */
	uint64_t file_bytes;	/* what they took on disk, headers included */
	uint64_t rotations;
	uint64_t recovered;	/* bytes of a cut record dropped when appending */
};

struct ctop_recorder;

/*
 * Opens path for appending, creating it (mode 0640) with a header naming
 * host and now (seconds since the epoch) if it is missing or empty. An
 * existing recording keeps its data: a record that a crash cut short at
 * the end is dropped and writing continues after the last whole one. A
 * file that is not a recording is never written to.
 */
int ctop_recorder_open(const char *path, const struct ctop_recorder_opts *o, const char *host,
		       double now, struct ctop_recorder **out, char *why, size_t whylen);

/*
 * Appends s as one record, at s->time. 0 or -errno (-ENOSPC, -EIO, ...):
 * after a failed write the file holds no partial record, and the next
 * write starts a new frame.
 */
int ctop_recorder_write(struct ctop_recorder *w, const struct ctop_snapshot *s);

void ctop_recorder_stats(const struct ctop_recorder *w, struct ctop_recorder_stats *st);

/* Closes the file; NULL is a no-op. */
void ctop_recorder_close(struct ctop_recorder *w);

/* ---- reading ---- */

struct ctop_recording_info {
	uint32_t version;
	char host[65];		/* from the header: the host that began the file */
	double start;		/* when the file was begun, seconds since the epoch */
	uint64_t size;		/* bytes in the file when last looked at */
	/*
	 * Where the whole records end: size, unless the file was cut (a crash,
	 * a full disk) or its tail is damaged; then the bytes from end on are
	 * not replayed.
	 */
	uint64_t end;
	bool cut;		/* end < size */
	/* Damage found so far in the middle of the file, and skipped. */
	uint64_t damaged_spots;
	uint64_t damaged_bytes;	/* not replayed because of it */
	uint64_t first_damage;	/* offset of the first spot found, if any */
};

/* The current record, borrowed until the next call on the recording. */
struct ctop_record {
	double time;		/* seconds since the epoch, from its header */
	const char *json;	/* the snapshot: ctop_snapshot_json_parse() */
	size_t len;
	uint64_t offset;	/* of its piece in the file */
	/*
	 * It holds its rows' EWMA state (smooth, snapshot.h), as a version 2 or 3
	 * recording's first record of each frame and one in
	 * CTOP_REC_STATE_RECORDS do: a replay's history can start there.
	 */
	bool state;
};

struct ctop_recording;

/*
 * Opens a recording for reading (O_NONBLOCK, so a FIFO cannot hang it)
 * and finds where its records end. The file may still be growing: moving
 * past the last record looks again.
 */
int ctop_recording_open(const char *path, struct ctop_recording **out, char *why,
			size_t whylen);

/* NULL is a no-op. */
void ctop_recording_close(struct ctop_recording *r);

void ctop_recording_info(const struct ctop_recording *r, struct ctop_recording_info *info);

/*
 * Moves to a record. 0, or -ENOENT when there is none there (an empty
 * recording, or past either end: the current record stays), or -errno
 * from reading. Damage on the way is skipped and counted in info.
 */
int ctop_recording_first(struct ctop_recording *r);
int ctop_recording_last(struct ctop_recording *r);
int ctop_recording_next(struct ctop_recording *r);
int ctop_recording_prev(struct ctop_recording *r);
/* The last record at or before t, or the first record if all are after t. */
int ctop_recording_seek(struct ctop_recording *r, double t);

/* NULL before the first move. */
const struct ctop_record *ctop_recording_current(const struct ctop_recording *r);

#endif /* CTOP_RECORD_H */
