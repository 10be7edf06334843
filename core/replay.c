// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Replay: the records of FILE.1 and FILE as one timeline, a cursor over
 * it, and each record's snapshot with its history rebuilt (replay.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay.h"
#include "snapshot_json.h"
#include "timeparse.h"
#include "u64map.h"

struct seg {
	struct ctop_recording *rec;
	bool empty;
	double first_t;		/* of its first record */
	double last_t;		/* of its last record when opened */
};

/* One container's history, kept while it is in consecutive records. */
struct hist_ent {
	char id[CTOP_ID_LEN];
	bool seen;
	double smooth[CTOP_M__COUNT];
	struct ctop_history h;
};

/*
 * What the history needs of one record: its rows' ids and values. Kept
 * for the records a rebuild has read, so that stepping back, which
 * rebuilds, parses no record but the one shown.
 */
struct vals {
	size_t n;
	char (*ids)[CTOP_ID_LEN];
	double (*m)[CTOP_M__COUNT];
	double host[CTOP_M__COUNT];
	/* A record with state, of the replay's alpha: each row's EWMA, if it has one. */
	bool state;
	double (*sm)[CTOP_M__COUNT];
	bool *has_sm;
	double host_sm[CTOP_M__COUNT];
	bool host_has_sm;
};

#define VALS_MAX	(2 * CTOP_HISTORY_LEN)	/* then the cache starts over */
#define STATE_RING	64	/* records with state a rebuild looks back over */

enum pending {
	PENDING_NONE,		/* snap is the record at the cursor */
	PENDING_NEXT,		/* the cursor is one record after snap's: push it */
	PENDING_JUMP,		/* anywhere else: rebuild the history */
};

struct ctop_replay {
	struct ctop_source src;
	struct ctop_replay_opts o;
	double until;		/* 0: none */
	size_t depth;		/* records a rebuild starts back, without state */
	size_t shown;		/* samples the caller draws */
	char name[4300];
	struct seg seg[2];	/* FILE.1, FILE; or FILE alone */
	int nseg, cur;
	struct ctop_snapshot *snap;
	enum pending pending;
	bool started;		/* each: the first record has been returned */
	bool exhausted;		/* each: nothing at or after since */
	/* each entry on its own allocation: rows point at their history */
	struct hist_ent **hist;
	size_t nhist, hist_cap;
	struct hist_ent host;
	struct vals vals[VALS_MAX];
	size_t nvals;
	struct ctop_u64map vals_index;	/* record key -> vals[] */
	bool playing, at_end;
	double speed, play_t, last_mono;
	uint64_t bad_records;
};

static const struct ctop_record *cur_rec(const struct ctop_replay *r)
{
	return ctop_recording_current(r->seg[r->cur].rec);
}

static double cur_time(const struct ctop_replay *r)
{
	const struct ctop_record *rec = cur_rec(r);

	return rec ? rec->time : 0;
}

/* ---- moving over the timeline ---- */

static int mv_first(struct ctop_replay *r, int from)
{
	int i, e;

	for (i = from; i < r->nseg; i++) {
		e = ctop_recording_first(r->seg[i].rec);
		if (!e) {
			r->cur = i;
			return 0;
		}
		if (e != -ENOENT)
			return e;
	}
	return -ENOENT;
}

static int mv_last(struct ctop_replay *r, int from)
{
	int i, e;

	for (i = from; i >= 0; i--) {
		e = ctop_recording_last(r->seg[i].rec);
		if (!e) {
			r->cur = i;
			return 0;
		}
		if (e != -ENOENT)
			return e;
	}
	return -ENOENT;
}

static int mv_next(struct ctop_replay *r)
{
	int e = ctop_recording_next(r->seg[r->cur].rec);

	if (e == -ENOENT && r->cur + 1 < r->nseg)
		e = mv_first(r, r->cur + 1);
	return e;
}

static int mv_prev(struct ctop_replay *r)
{
	int e = ctop_recording_prev(r->seg[r->cur].rec);

	if (e == -ENOENT && r->cur > 0)
		e = mv_last(r, r->cur - 1);
	return e;
}

static int mv_seek(struct ctop_replay *r, double t)
{
	int i, pick = -1;

	for (i = 0; i < r->nseg; i++)
		if (!r->seg[i].empty && (pick < 0 || r->seg[i].first_t <= t))
			pick = i;
	if (pick < 0)
		return -ENOENT;
	r->cur = pick;
	return ctop_recording_seek(r->seg[pick].rec, t);
}

/* ---- history ---- */

static void hist_clear(struct ctop_replay *r)
{
	size_t i;

	for (i = 0; i < r->nhist; i++)
		free(r->hist[i]);
	r->nhist = 0;
	memset(&r->host, 0, sizeof(r->host));
}

static struct hist_ent *hist_find(struct ctop_replay *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nhist; i++)
		if (!strcmp(r->hist[i]->id, id))
			return r->hist[i];
	return NULL;
}

static uint64_t rec_key(const struct ctop_replay *r)
{
	return (uint64_t)r->cur << 62 | cur_rec(r)->offset;
}

static void vals_clear(struct ctop_replay *r)
{
	size_t i;

	for (i = 0; i < r->nvals; i++) {
		free(r->vals[i].ids);
		free(r->vals[i].m);
		free(r->vals[i].sm);
		free(r->vals[i].has_sm);
	}
	r->nvals = 0;
	ctop_u64map_clear(&r->vals_index);
}

/* s's values, cached under the cursor's record. NULL without memory. */
static const struct vals *vals_put(struct ctop_replay *r, const struct ctop_snapshot *s)
{
	struct vals *v;
	size_t i;

	if (r->nvals == VALS_MAX)
		vals_clear(r);
	v = &r->vals[r->nvals];
	v->n = s->ncontainers;
	v->ids = malloc((v->n ? v->n : 1) * sizeof(*v->ids));
	v->m = malloc((v->n ? v->n : 1) * sizeof(*v->m));
	v->sm = malloc((v->n ? v->n : 1) * sizeof(*v->sm));
	v->has_sm = malloc((v->n ? v->n : 1) * sizeof(*v->has_sm));
	if (!v->ids || !v->m || !v->sm || !v->has_sm ||
	    ctop_u64map_put(&r->vals_index, rec_key(r), (uint32_t)r->nvals)) {
		free(v->ids);
		free(v->m);
		free(v->sm);
		free(v->has_sm);
		return NULL;
	}
	/* A state of another alpha is no use: the EWMA is computed then. */
	v->state = cur_rec(r)->state && s->alpha == r->o.alpha;
	for (i = 0; i < v->n; i++) {
		memcpy(v->ids[i], s->containers[i].id, CTOP_ID_LEN);
		memcpy(v->m[i], s->containers[i].m, sizeof(v->m[i]));
		v->has_sm[i] = s->containers[i].smooth;
		if (v->has_sm[i])
			memcpy(v->sm[i], s->containers[i].smooth, sizeof(v->sm[i]));
	}
	memcpy(v->host, s->host_row.m, sizeof(v->host));
	v->host_has_sm = s->host_row.smooth;
	if (v->host_has_sm)
		memcpy(v->host_sm, s->host_row.smooth, sizeof(v->host_sm));
	return &r->vals[r->nvals++];
}

static const struct vals *vals_get(const struct ctop_replay *r)
{
	uint32_t *i = ctop_u64map_get(&r->vals_index, rec_key(r));

	return i ? &r->vals[*i] : NULL;
}

/* Adds one record's values to the history and drops containers not in it. */
static int hist_push(struct ctop_replay *r, const struct vals *v)
{
	struct hist_ent *e;
	size_t i, n;

	for (i = 0; i < r->nhist; i++)
		r->hist[i]->seen = false;
	for (i = 0; i < v->n; i++) {
		e = hist_find(r, v->ids[i]);
		if (!e) {
			if (r->nhist == r->hist_cap) {
				size_t cap = r->hist_cap ? r->hist_cap * 2 : 16;
				void *p = realloc(r->hist, cap * sizeof(*r->hist));

				if (!p)
					return -ENOMEM;
				r->hist = p;
				r->hist_cap = cap;
			}
			e = calloc(1, sizeof(*e));
			if (!e)
				return -ENOMEM;
			memcpy(e->id, v->ids[i], CTOP_ID_LEN);
			e->id[CTOP_ID_LEN - 1] = '\0';
			r->hist[r->nhist++] = e;
		}
		if (e->seen)	/* the same id twice: one history */
			continue;
		/* Recorded state: the history from here on is the same whatever came before. */
		if (v->state && v->has_sm[i])
			ctop_history_seed(&e->h, e->smooth, v->sm[i]);
		else
			ctop_history_push(&e->h, e->smooth, v->m[i], r->o.alpha);
		e->seen = true;
	}
	for (i = 0, n = 0; i < r->nhist; i++) {
		if (r->hist[i]->seen)
			r->hist[n++] = r->hist[i];
		else
			free(r->hist[i]);
	}
	r->nhist = n;
	if (v->state && v->host_has_sm)
		ctop_history_seed(&r->host.h, r->host.smooth, v->host_sm);
	else
		ctop_history_push(&r->host.h, r->host.smooth, v->host, r->o.alpha);
	return 0;
}

/* Points s's rows at their history (s is the record last pushed). */
static void hist_attach(struct ctop_replay *r, struct ctop_snapshot *s)
{
	struct hist_ent *e;
	size_t i;

	s->host_row.hist = &r->host.h;
	for (i = 0; i < s->ncontainers; i++) {
		e = hist_find(r, s->containers[i].id);
		s->containers[i].hist = e ? &e->h : NULL;
	}
}

/* Pushes s, the record at the cursor, caching its values. */
static int hist_push_snap(struct ctop_replay *r, struct ctop_snapshot *s)
{
	const struct vals *v = vals_get(r);
	int e;

	if (!v && !(v = vals_put(r, s)))
		return -ENOMEM;
	e = hist_push(r, v);
	if (!e)
		hist_attach(r, s);
	return e;
}

/* ---- loading the record at the cursor ---- */

static int parse_cur(struct ctop_replay *r, struct ctop_snapshot **out)
{
	const struct ctop_record *rec = cur_rec(r);
	int e;

	*out = NULL;
	if (!rec)
		return -ENOENT;
	e = ctop_snapshot_json_parse(rec->json, rec->len, out);
	if (e == -EBADMSG)
		r->bad_records++;
	return e;
}

static void set_snap(struct ctop_replay *r, struct ctop_snapshot *s)
{
	ctop_snapshot_free(r->snap);
	r->snap = s;
}

static bool at(const struct ctop_replay *r, int seg, uint64_t off)
{
	const struct ctop_record *rec = cur_rec(r);

	return r->cur == seg && rec && rec->offset == off;
}

static double timeline_first(const struct ctop_replay *r)
{
	int i;

	for (i = 0; i < r->nseg; i++)
		if (!r->seg[i].empty)
			return r->seg[i].first_t;
	return 0;
}

/*
 * The record at the cursor into the history; *keep, if asked for, takes
 * its snapshot. Without keep, cached values spare the parse.
 */
static int push_cur(struct ctop_replay *r, struct ctop_snapshot **keep)
{
	struct ctop_snapshot *s;
	const struct vals *v;
	int e;

	if (!keep && (v = vals_get(r)))
		return hist_push(r, v);
	e = parse_cur(r, &s);
	if (e)
		return e;
	e = hist_push_snap(r, s);
	if (!e && keep)
		*keep = s;
	else
		ctop_snapshot_free(s);
	return e;
}

/*
 * The history ending at the cursor, from the last record with state (the
 * recorded EWMA) at least r->shown records back: from there on the
 * history is what stepping through every record from the start gives, bit
 * for bit. Without one near enough (a version 1 recording), from r->depth
 * records back, which draws the same to a thousandth. Walking back record
 * by record would decode each frame again for every step (zstd only goes
 * forward), so it seeks to a time far enough back and walks forward,
 * widening the span until it holds enough records or reaches the start.
 */
static int rebuild(struct ctop_replay *r)
{
	const struct ctop_record *rec = cur_rec(r);
	struct ctop_snapshot *s = NULL;
	double t, span = 600, from;
	size_t n, skip, i, state_at = 0, ring[STATE_RING], nring;
	bool have_state = false, at_start;
	uint64_t off;
	int seg = r->cur, e;

	if (!rec)
		return -ENOENT;
	t = rec->time;
	off = rec->offset;
	for (;;) {
		e = mv_seek(r, t - span);
		if (e)
			return e;
		from = cur_time(r);
		/* the records with state, counted from the seek: the last STATE_RING */
		for (n = 0, nring = 0;; n++) {
			if (cur_rec(r)->state)
				ring[nring++ % STATE_RING] = n;
			if (at(r, seg, off))
				break;
			if (mv_next(r))
				goto lost;
		}
		/* the last with all the shown samples after it */
		have_state = false;
		for (i = nring > STATE_RING ? nring - STATE_RING : 0; i < nring; i++)
			if (ring[i % STATE_RING] + r->shown <= n + 1) {
				have_state = true;
				state_at = ring[i % STATE_RING];
			}
		at_start = from <= timeline_first(r);
		if (have_state || at_start || span > 1e9 ||
		    (n + 1 >= r->depth && n + 1 >= r->shown + 2 * CTOP_REC_STATE_RECORDS))
			break;
		span *= 8;
	}
	skip = n + 1 > r->depth ? n + 1 - r->depth : 0;
	if (have_state && state_at < skip)
		skip = state_at;
	else if (at_start && n + 1 <= 2 * r->depth)
		skip = 0;	/* as stepping from the first record does, for twice the work at most */
	e = mv_seek(r, t - span);
	for (i = 0; !e && i < skip; i++)
		e = mv_next(r);
	if (e)
		return e;
	hist_clear(r);
	for (;;) {
		bool last = at(r, seg, off);

		e = push_cur(r, last ? &s : NULL);
		if (e == -ENOMEM || (e && last))
			return e;
		if (e)
			hist_clear(r);	/* an unreadable record: the history restarts after it */
		if (last) {
			set_snap(r, s);
			return 0;
		}
		e = mv_next(r);
		if (e)
			return e;
	}
lost:
	/*
	 * Time went back in the file (a clock set back) between there and the
	 * cursor: show the cursor's record with no history before it.
	 */
	e = mv_seek(r, t);
	if (e)
		return e;
	hist_clear(r);
	e = push_cur(r, &s);
	if (!e)
		set_snap(r, s);
	return e;
}

static int load(struct ctop_replay *r)
{
	struct ctop_snapshot *s;
	int e;

	if (r->pending == PENDING_NONE)
		return 0;
	if (r->o.history && (r->pending == PENDING_JUMP || !r->snap)) {
		e = rebuild(r);
	} else {
		e = parse_cur(r, &s);
		if (!e && r->o.history && (e = hist_push_snap(r, s)))
			ctop_snapshot_free(s);
		if (!e)
			set_snap(r, s);
	}
	if (!e)
		r->pending = PENDING_NONE;
	return e;
}

static void moved(struct ctop_replay *r, bool one_forward)
{
	r->pending = one_forward && r->pending == PENDING_NONE ? PENDING_NEXT : PENDING_JUMP;
	r->play_t = cur_time(r);
	r->at_end = false;
}

/* ---- the cursor ---- */

int ctop_replay_step(struct ctop_replay *r, int dir)
{
	int e = dir > 0 ? mv_next(r) : mv_prev(r);

	if (!e)
		moved(r, dir > 0);
	return e;
}

int ctop_replay_seek(struct ctop_replay *r, double t)
{
	int e = mv_seek(r, t);

	if (!e)
		moved(r, false);
	return e;
}

int ctop_replay_jump(struct ctop_replay *r, double seconds)
{
	double from = cur_time(r);
	int e = ctop_replay_seek(r, from + seconds);

	/* forward past the last record: the last, not the one before the gap */
	if (!e && seconds > 0 && cur_time(r) <= from && !mv_next(r))
		moved(r, false);
	return e;
}

int ctop_replay_start(struct ctop_replay *r)
{
	int e = mv_first(r, 0);

	if (!e)
		moved(r, false);
	return e;
}

int ctop_replay_end(struct ctop_replay *r)
{
	int e = mv_last(r, r->nseg - 1);

	if (!e)
		moved(r, false);
	return e;
}

void ctop_replay_set_depth(struct ctop_replay *r, size_t shown)
{
	r->shown = shown < 1 ? 1 : shown > CTOP_HISTORY_LEN ? CTOP_HISTORY_LEN : shown;
	double settle = r->o.alpha < 1 ? ceil(log(1e-3) / log(1 - r->o.alpha)) : 0;
	size_t d = shown + (size_t)settle;

	r->depth = d < 1 ? 1 : d > CTOP_HISTORY_LEN ? CTOP_HISTORY_LEN : d;
}

void ctop_replay_play(struct ctop_replay *r, bool playing, double speed, double now_mono)
{
	r->playing = playing;
	r->speed = speed > 0 ? speed : 1;
	r->last_mono = now_mono;
	r->play_t = cur_time(r);
	if (playing)
		r->at_end = false;
}

void ctop_replay_state(const struct ctop_replay *r, struct ctop_replay_state *st)
{
	struct ctop_recording_info info;
	int i;

	memset(st, 0, sizeof(*st));
	st->time = cur_time(r);
	st->playing = r->playing;
	st->speed = r->speed;
	st->at_end = r->at_end;
	st->bad_records = r->bad_records;
	st->first = -1;
	for (i = 0; i < r->nseg; i++) {
		ctop_recording_info(r->seg[i].rec, &info);
		if (i == 0)
			snprintf(st->host, sizeof(st->host), "%s", info.host);
		if (!r->seg[i].empty && st->first < 0)
			st->first = r->seg[i].first_t;
		st->damaged_spots += info.damaged_spots;
		st->damaged_bytes += info.damaged_bytes;
		if (i == r->nseg - 1) {
			st->cut = info.cut;
			st->cut_at = info.end;
		}
	}
	if (st->first < 0)
		st->first = 0;
	st->last = st->time;
	for (i = 0; i < r->nseg; i++)
		if (!r->seg[i].empty && r->seg[i].last_t > st->last)
			st->last = r->seg[i].last_t;
}

/* ---- the source ---- */

static int next_each(struct ctop_replay *r)
{
	int e;

	for (;;) {
		if (r->exhausted)
			return -ENOENT;
		if (r->started) {
			e = mv_next(r);
			if (e)
				return e;
			r->pending = PENDING_NEXT;
		}
		r->started = true;
		if (r->until > 0 && cur_time(r) >= r->until) {
			r->exhausted = true;
			return -ENOENT;
		}
		e = load(r);
		if (e != -EBADMSG)
			return e;
		r->pending = PENDING_JUMP;	/* skipped: the history has a gap */
	}
}

static int next_cursor(struct ctop_replay *r, double now_mono)
{
	int e;

	if (r->playing) {
		r->play_t += r->speed * (now_mono - r->last_mono);
		r->last_mono = now_mono;
		for (;;) {
			e = mv_next(r);
			if (e == -ENOENT) {
				r->playing = false;
				r->at_end = true;
				break;
			}
			if (e)
				return e;
			if (cur_time(r) > r->play_t) {
				e = mv_prev(r);
				if (e)
					return e;
				break;
			}
			r->pending = r->pending == PENDING_NONE ? PENDING_NEXT : PENDING_JUMP;
			if (r->pending == PENDING_NEXT && (e = load(r)) && e != -EBADMSG)
				return e;
		}
	}
	return load(r);
}

static int source_next(struct ctop_source *src, double now_mono, double now_wall,
		       const struct ctop_snapshot **out)
{
	struct ctop_replay *r = (struct ctop_replay *)src;
	int e;

	(void)now_wall;
	e = r->o.each ? next_each(r) : next_cursor(r, now_mono);
	if (!e)
		*out = r->snap;
	return e;
}

static void source_free(struct ctop_source *src)
{
	struct ctop_replay *r = (struct ctop_replay *)src;
	int i;

	for (i = 0; i < r->nseg; i++)
		ctop_recording_close(r->seg[i].rec);
	hist_clear(r);
	free(r->hist);
	vals_clear(r);
	ctop_u64map_fini(&r->vals_index);
	ctop_snapshot_free(r->snap);
	free(r);
}

static const struct ctop_source_ops source_ops = { source_next, source_free };

struct ctop_source *ctop_replay_source(struct ctop_replay *r)
{
	return &r->src;
}

struct ctop_replay *ctop_replay_of(struct ctop_source *src)
{
	return src && src->ops == &source_ops ? (struct ctop_replay *)src : NULL;
}

static int open_seg(struct ctop_replay *r, const char *path, char *why, size_t whylen)
{
	struct seg *s = &r->seg[r->nseg];
	int e;

	e = ctop_recording_open(path, &s->rec, why, whylen);
	if (e)
		return e;
	r->nseg++;
	e = ctop_recording_first(s->rec);
	if (e == -ENOENT) {
		s->empty = true;
		return 0;
	}
	if (e) {
		snprintf(why, whylen, "%s: %s", path, strerror(-e));
		return e;
	}
	s->first_t = ctop_recording_current(s->rec)->time;
	e = ctop_recording_last(s->rec);
	if (e) {
		snprintf(why, whylen, "%s: %s", path, strerror(-e));
		return e;
	}
	s->last_t = ctop_recording_current(s->rec)->time;
	return 0;
}

int ctop_replay_open(const char *path, const struct ctop_replay_opts *o,
		     struct ctop_replay **out, char *why, size_t whylen)
{
	struct ctop_replay *r;
	char older[4200];
	double since = 0;
	int e;

	*out = NULL;
	if (strlen(path) + 3 > sizeof(older)) {
		snprintf(why, whylen, "%.100s...: the file name is too long", path);
		return -ENAMETOOLONG;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(why, whylen, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	r->o = *o;
	if (!(r->o.alpha > 0 && r->o.alpha <= 1))
		r->o.alpha = 0.5;
	r->speed = 1;
	r->depth = CTOP_HISTORY_LEN;
	r->shown = CTOP_HISTORY_LEN;
	r->src.ops = &source_ops;
	snprintf(r->name, sizeof(r->name), "the recording %s", path);
	r->src.name = r->name;
	/* FILE first, so that its own errors are the ones told */
	e = open_seg(r, path, why, whylen);
	if (e)
		goto fail;
	/* then what rotation left before it, if anything, in front */
	snprintf(older, sizeof(older), "%s.1", path);
	e = open_seg(r, older, why, whylen);
	if (e == -ENOENT) {
		e = 0;
	} else if (e) {
		goto fail;
	} else {
		struct seg t = r->seg[0];

		r->seg[0] = r->seg[1];
		r->seg[1] = t;
	}
	e = mv_first(r, 0);
	if (!e && (o->since || o->until)) {
		double ref = cur_time(r);

		if ((o->since && ctop_time_parse(o->since, ref, &since)) ||
		    (o->until && ctop_time_parse(o->until, ref, &r->until))) {
			snprintf(why, whylen, "'%s' is not a time like 03:12, 03:12:30 or "
				 "'2026-12-01 03:12'", o->since ? o->since : o->until);
			e = -EINVAL;
			goto fail;
		}
		/* until names a whole second, or a whole minute without seconds */
		if (o->until)
			r->until += strchr(strchr(o->until, ':') + 1, ':') ? 1 : 60;
		if (o->since)
			e = mv_seek(r, since);
	}
	if (e == -ENOENT) {
		snprintf(why, whylen, "%s: the recording has no records yet", path);
		goto fail;
	}
	if (e) {
		snprintf(why, whylen, "%s: %s", path, strerror(-e));
		goto fail;
	}
	if (o->since && cur_time(r) < since && mv_next(r))
		r->exhausted = true;
	r->pending = PENDING_JUMP;
	r->play_t = cur_time(r);
	*out = r;
	return 0;
fail:
	source_free(&r->src);
	return e;
}
