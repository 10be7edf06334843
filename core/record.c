// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "record.h"
#include "record_pack.h"
#include "snapshot_json.h"
#include "u64map.h"

/* ---- the layout, little-endian ---- */

#define HDR_LEN		128
#define HDR_MAGIC	"CTOPREC\n"
#define H_VERSION	8	/* u32 */
#define H_LEN		12	/* u32: header length, for versions that add to it */
#define H_START		16	/* i64: microseconds since the epoch */
#define H_HOST		24	/* 65 bytes, NUL-padded */
#define H_CRC		124	/* u32: crc32 of the bytes before it */

#define PIECE_LEN	32
#define PIECE_MAGIC	"CTrc"
#define P_FLAGS		4	/* u32 */
#define P_LEN		8	/* u32: compressed bytes that follow */
#define P_CRC		12	/* u32: crc32 of those bytes */
#define P_TIME		16	/* i64: microseconds since the epoch */
#define P_RAW		24	/* u32: the record's JSON length, decompressed */
#define P_HCRC		28	/* u32: crc32 of the bytes before it */
#define PF_FRAME	1	/* begins a new zstd frame */
#define PF_PACKED	2	/* version 2 on: the record is packed (record_pack.h) */
#define PF_STATE	4	/* version 2 on: the record holds the rows' EWMA state */
#define PIECE_MAX	(64u << 20)	/* larger is damage, not a record */

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint32_t crc(const void *p, size_t n)
{
	return (uint32_t)crc32(0, p, (uInt)n);
}

static int64_t to_us(double t)
{
	return isfinite(t) && fabs(t) < 9e12 ? (int64_t)llround(t * 1e6) : 0;
}

struct piece {
	uint64_t off;
	uint32_t flags, len, crc, raw;
	int64_t time_us;
};

static uint64_t piece_end(const struct piece *p)
{
	return p->off + PIECE_LEN + p->len;
}

/* A piece header at b; false if it is none. */
static bool piece_parse(const unsigned char *b, uint64_t off, struct piece *p)
{
	if (memcmp(b, PIECE_MAGIC, 4) || get32(b + P_HCRC) != crc(b, P_HCRC))
		return false;
	p->off = off;
	p->flags = get32(b + P_FLAGS);
	p->len = get32(b + P_LEN);
	p->crc = get32(b + P_CRC);
	p->time_us = (int64_t)get64(b + P_TIME);
	p->raw = get32(b + P_RAW);
	return p->len <= PIECE_MAX && p->raw <= PIECE_MAX;
}

static int say(char *why, size_t whylen, int err, const char *fmt, const char *path)
{
	if (why && whylen)
		snprintf(why, whylen, fmt, path, strerror(-err));
	return err;
}

static ssize_t pread_full(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/*
 * Opens path as a recording: a regular file with a header this build can
 * read. flags are open(2)'s. On success *fd is open and *hdr filled.
 */
static int open_checked(const char *path, int flags, mode_t mode, int *fd, unsigned char *hdr,
			uint64_t *size, char *why, size_t whylen)
{
	struct stat st;
	ssize_t n;
	int r;

	*fd = open(path, flags | O_NONBLOCK | O_CLOEXEC, mode);
	if (*fd < 0)
		return say(why, whylen, -errno, "%s: %s", path);
	if (fstat(*fd, &st)) {
		r = say(why, whylen, -errno, "%s: %s", path);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		r = say(why, whylen, -EISDIR, "%s: is a directory, not a recording", path);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		r = say(why, whylen, -ESPIPE,
			"%s: not a regular file (a FIFO, socket or device), not a recording", path);
		goto fail;
	}
	*size = (uint64_t)st.st_size;
	if (*size == 0 && (flags & O_CREAT))
		return 0;
	n = pread_full(*fd, hdr, HDR_LEN, 0);
	if (n < 0) {
		r = say(why, whylen, (int)n, "%s: %s", path);
		goto fail;
	}
	if (n < (ssize_t)sizeof(HDR_MAGIC) - 1 && !memcmp(hdr, HDR_MAGIC, (size_t)n)) {
		r = say(why, whylen, -ENODATA, "%s: the recording's header is cut short", path);
		goto fail;
	}
	if (memcmp(hdr, HDR_MAGIC, sizeof(HDR_MAGIC) - 1)) {
		r = say(why, whylen, -ENOEXEC, "%s: not a ctop-bpf recording", path);
		goto fail;
	}
	if (n >= H_VERSION + 4 && get32(hdr + H_VERSION) > CTOP_REC_VERSION) {
		if (why && whylen)
			snprintf(why, whylen,
				 "%s: recorded in format version %u by a newer ctop-bpf; this one "
				 "reads up to version %u",
				 path, get32(hdr + H_VERSION), CTOP_REC_VERSION);
		r = -EPROTONOSUPPORT;
		goto fail;
	}
	if (n < HDR_LEN) {
		r = say(why, whylen, -ENODATA, "%s: the recording's header is cut short", path);
		goto fail;
	}
	if (get32(hdr + H_CRC) != crc(hdr, H_CRC) || get32(hdr + H_LEN) < HDR_LEN ||
	    get32(hdr + H_LEN) > *size || get32(hdr + H_VERSION) == 0) {
		r = say(why, whylen, -EBADMSG, "%s: the recording's header is damaged", path);
		goto fail;
	}
	return 0;
fail:
	close(*fd);
	*fd = -1;
	return r;
}

/* ---- reading ---- */

#define SCAN_BLOCK	(256u << 10)

enum frame_stop {
	STOP_EOF,	/* the file ends right after the frame's last piece */
	STOP_NEXT,	/* the next frame starts right after it */
	STOP_CUT,	/* a piece is cut short by the end of the file */
	STOP_DAMAGE,	/* what follows is no piece */
};

struct ctop_recording {
	int fd;
	uint64_t data;		/* where the pieces begin */
	struct ctop_recording_info info;
	struct ctop_u64map damage;	/* offsets already counted */
	unsigned char *scan;	/* SCAN_BLOCK + PIECE_LEN */

	/* The loaded frame: its pieces, as far as they are whole and valid. */
	bool loaded;
	struct piece *pieces;
	size_t npieces, cap;
	uint64_t frame_end;
	enum frame_stop stop;

	ZSTD_DCtx *dctx;
	size_t decoded;		/* pieces of the frame fed to dctx */
	unsigned char *in;
	size_t incap;
	char *out;
	size_t outcap;
	char *json;		/* a packed record, unpacked */
	size_t jsoncap;
	struct ctop_recpack pk;	/* for the pieces fed to dctx */

	bool have;
	size_t cur;
	struct ctop_record rec;
};

static void damaged(struct ctop_recording *r, uint64_t off, uint64_t bytes)
{
	if (ctop_u64map_get(&r->damage, off) || ctop_u64map_put(&r->damage, off, 1))
		return;
	if (!r->info.damaged_spots++)
		r->info.first_damage = off;
	r->info.damaged_bytes += bytes;
}

static int refresh_size(struct ctop_recording *r)
{
	struct stat st;

	if (fstat(r->fd, &st))
		return -errno;
	r->info.size = (uint64_t)st.st_size;
	return 0;
}

/* The piece header at off: 1 valid, 0 none, -ENODATA cut by the end, or -errno. */
static int read_piece(struct ctop_recording *r, uint64_t off, struct piece *p)
{
	unsigned char b[PIECE_LEN];
	ssize_t n;

	if (off + PIECE_LEN > r->info.size)
		return -ENODATA;
	n = pread_full(r->fd, b, PIECE_LEN, off);
	if (n < 0)
		return (int)n;
	if (n < PIECE_LEN)
		return -ENODATA;
	if (!piece_parse(b, off, p))
		return 0;
	return piece_end(p) > r->info.size ? -ENODATA : 1;
}

/*
 * The first frame start in [from, limit): 0 and *p, -ENOENT for none, or
 * -errno. A match of the magic is one only with its header's CRC.
 */
static int scan_fwd(struct ctop_recording *r, uint64_t from, uint64_t limit, struct piece *p)
{
	uint64_t off = from;
	ssize_t n;
	size_t i;

	limit = limit < r->info.size ? limit : r->info.size;
	while (off < limit) {
		n = pread_full(r->fd, r->scan, SCAN_BLOCK + PIECE_LEN, off);
		if (n < 0)
			return (int)n;
		if (n < PIECE_LEN)
			break;
		for (i = 0; i + PIECE_LEN <= (size_t)n && off + i < limit; i++) {
			unsigned char *m = memchr(r->scan + i, 'C', (size_t)n - PIECE_LEN + 1 - i);

			if (!m)
				break;
			i = (size_t)(m - r->scan);
			if (off + i >= limit)
				break;
			if (piece_parse(m, off + i, p) && (p->flags & PF_FRAME) &&
			    piece_end(p) <= r->info.size)
				return 0;
		}
		off += SCAN_BLOCK;
	}
	return -ENOENT;
}

/* The last frame start before `before`, at or after r->data. */
static int scan_back(struct ctop_recording *r, uint64_t before, struct piece *p)
{
	uint64_t lo, hi = before;
	struct piece q;
	bool found;
	int e;

	while (hi > r->data) {
		lo = hi - r->data > SCAN_BLOCK ? hi - SCAN_BLOCK : r->data;
		found = false;
		for (uint64_t from = lo;; from = q.off + 1) {
			e = scan_fwd(r, from, hi, &q);
			if (e == -ENOENT)
				break;
			if (e)
				return e;
			*p = q;
			found = true;
		}
		if (found)
			return 0;
		hi = lo;
	}
	return -ENOENT;
}

/*
 * Reads the loaded frame's piece headers on from its last, as far as they
 * go: after the file grew, what was the end may be followed by more.
 */
static int extend_frame(struct ctop_recording *r)
{
	struct piece p = r->pieces[--r->npieces];
	uint64_t off;
	int e;

	for (;;) {
		if (r->npieces == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 64;
			struct piece *v = realloc(r->pieces, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			r->pieces = v;
			r->cap = cap;
		}
		r->pieces[r->npieces++] = p;
		off = piece_end(&p);
		e = read_piece(r, off, &p);
		if (e == -ENODATA) {
			r->stop = off >= r->info.size ? STOP_EOF : STOP_CUT;
			break;
		}
		if (e < 0)
			return e;
		if (e == 0) {
			r->stop = STOP_DAMAGE;
			break;
		}
		if (p.flags & PF_FRAME) {
			r->stop = STOP_NEXT;
			break;
		}
	}
	r->frame_end = off;
	if ((r->stop == STOP_EOF || r->stop == STOP_CUT) && off > r->info.end)
		r->info.end = off;
	r->info.cut = r->info.end < r->info.size;
	return 0;
}

/* Loads the frame whose start piece is f. */
static int load_frame(struct ctop_recording *r, const struct piece *f)
{
	int e;

	r->loaded = false;
	r->decoded = 0;
	ZSTD_DCtx_reset(r->dctx, ZSTD_reset_session_only);
	if (!r->cap) {
		r->pieces = malloc(64 * sizeof(*r->pieces));
		if (!r->pieces)
			return -ENOMEM;
		r->cap = 64;
	}
	r->pieces[0] = *f;
	r->npieces = 1;
	e = extend_frame(r);
	r->loaded = !e;
	return e;
}

/*
 * Decodes piece i of the loaded frame into r->rec. -EBADMSG if it, or one
 * before it in the frame, is damaged: the frame is then cut before it.
 */
static int decode(struct ctop_recording *r, size_t i)
{
	const struct piece *p;
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;
	ssize_t n;
	size_t z;

	if (i >= r->npieces)
		return -ENOENT;
	if (i < r->decoded) {
		ZSTD_DCtx_reset(r->dctx, ZSTD_reset_session_only);
		r->decoded = 0;
	}
	if (r->decoded == 0)
		ctop_recpack_reset(&r->pk);
	while (r->decoded <= i) {
		p = &r->pieces[r->decoded];
		if (p->len > r->incap || p->raw + 1 > r->outcap) {
			size_t ic = p->len > r->incap ? p->len : r->incap;
			size_t oc = p->raw + 1 > r->outcap ? p->raw + 1 : r->outcap;
			void *a = realloc(r->in, ic), *b;

			if (!a)
				return -ENOMEM;
			r->in = a;
			r->incap = ic;
			b = realloc(r->out, oc);
			if (!b)
				return -ENOMEM;
			r->out = b;
			r->outcap = oc;
		}
		n = pread_full(r->fd, r->in, p->len, p->off + PIECE_LEN);
		if (n < 0)
			return (int)n;
		if ((size_t)n < p->len || crc(r->in, p->len) != p->crc)
			goto bad;
		in = (ZSTD_inBuffer){ r->in, p->len, 0 };
		out = (ZSTD_outBuffer){ r->out, (size_t)p->raw + 1, 0 };
		while (in.pos < in.size) {
			z = ZSTD_decompressStream(r->dctx, &out, &in);
			if (ZSTD_isError(z) || out.pos == out.size)
				goto bad;
		}
		if (out.pos != p->raw)
			goto bad;
		r->out[out.pos] = '\0';
		r->rec.json = r->out;
		r->rec.len = p->raw;
		if (p->flags & PF_PACKED) {
			/* Text only for the record asked for; the ones before feed pk. */
			bool want = r->decoded == i;
			int e = ctop_recpack_decode(&r->pk, (const unsigned char *)r->out, p->raw,
						    PIECE_MAX, want ? &r->json : NULL,
						    &r->jsoncap, &r->rec.len);

			if (e == -ENOMEM)
				return e;
			if (e)
				goto bad;
			r->rec.json = r->json;
		} else {
			ctop_recpack_reset(&r->pk);
		}
		r->decoded++;
	}
	r->rec.time = (double)r->pieces[i].time_us / 1e6;
	r->rec.state = r->pieces[i].flags & PF_STATE;
	r->rec.offset = r->pieces[i].off;
	return 0;
bad:
	/* Nothing after a damaged piece decodes: its frame's history is gone. */
	damaged(r, p->off, r->frame_end - p->off);
	r->npieces = r->decoded;
	r->frame_end = p->off;
	r->stop = STOP_DAMAGE;
	ZSTD_DCtx_reset(r->dctx, ZSTD_reset_session_only);
	r->decoded = 0;
	return -EBADMSG;
}

/* Makes piece i of the frame starting with f current. */
static int go(struct ctop_recording *r, const struct piece *f, size_t i)
{
	int e;

	if (!r->loaded || r->npieces == 0 || r->pieces[0].off != f->off) {
		e = load_frame(r, f);
		if (e)
			return e;
	}
	e = decode(r, i);
	if (e)
		return e;
	r->have = true;
	r->cur = i;
	return 0;
}

/* Back to where we were, after looking elsewhere failed. */
static void restore(struct ctop_recording *r, const struct piece *f, size_t i, bool had)
{
	r->have = false;
	if (had)
		go(r, f, i);
}

/* The first decodable record in the first frame at or after from. */
static int first_from(struct ctop_recording *r, uint64_t from)
{
	struct piece f;
	int e;

	for (;;) {
		e = scan_fwd(r, from, UINT64_MAX, &f);
		if (e)
			return e;
		if (f.off > from)
			damaged(r, from, f.off - from);
		e = go(r, &f, 0);
		if (e != -EBADMSG)
			return e;
		from = f.off + 1;
	}
}

/* The last decodable record of the frame f; -EBADMSG if none is. */
static int last_of(struct ctop_recording *r, const struct piece *f)
{
	size_t i;
	int e;

	e = load_frame(r, f);
	if (e)
		return e;
	for (i = 0; i < r->npieces; i++) {
		e = decode(r, i);
		if (e == -EBADMSG)
			break;
		if (e)
			return e;
	}
	if (i == 0)
		return -EBADMSG;
	return go(r, f, i - 1);
}

static int last_before(struct ctop_recording *r, uint64_t before)
{
	struct piece f;
	int e;

	for (;;) {
		e = scan_back(r, before, &f);
		if (e)
			return e;
		e = last_of(r, &f);
		if (e != -EBADMSG)
			return e;
		before = f.off;
	}
}

/* Where the whole records end: after the last frame's last whole piece. */
static int find_end(struct ctop_recording *r)
{
	struct piece f;
	int e;

	r->info.end = r->data;
	e = scan_back(r, r->info.size, &f);
	if (e == -ENOENT)
		goto out;
	if (e)
		return e;
	e = load_frame(r, &f);
	if (e)
		return e;
	r->info.end = r->frame_end;
	r->loaded = false;
out:
	r->info.cut = r->info.end < r->info.size;
	return 0;
}

int ctop_recording_open(const char *path, struct ctop_recording **out, char *why,
			size_t whylen)
{
	unsigned char hdr[HDR_LEN];
	struct ctop_recording *r;
	int e;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return say(why, whylen, -ENOMEM, "%s: %s", path);
	r->fd = -1;
	e = open_checked(path, O_RDONLY, 0, &r->fd, hdr, &r->info.size, why, whylen);
	if (e)
		goto fail;
	r->info.version = get32(hdr + H_VERSION);
	r->pk.version = r->info.version;
	r->data = get32(hdr + H_LEN);
	memcpy(r->info.host, hdr + H_HOST, 64);
	r->info.host[64] = '\0';
	r->info.start = (double)(int64_t)get64(hdr + H_START) / 1e6;
	r->scan = malloc(SCAN_BLOCK + PIECE_LEN);
	r->dctx = ZSTD_createDCtx();
	if (!r->scan || !r->dctx) {
		e = say(why, whylen, -ENOMEM, "%s: %s", path);
		goto fail;
	}
	e = find_end(r);
	if (e) {
		say(why, whylen, e, "%s: %s", path);
		goto fail;
	}
	*out = r;
	return 0;
fail:
	ctop_recording_close(r);
	return e;
}

void ctop_recording_close(struct ctop_recording *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	ZSTD_freeDCtx(r->dctx);
	ctop_u64map_fini(&r->damage);
	free(r->scan);
	free(r->pieces);
	free(r->in);
	free(r->out);
	free(r->json);
	ctop_recpack_fini(&r->pk);
	free(r);
}

void ctop_recording_info(const struct ctop_recording *r, struct ctop_recording_info *info)
{
	*info = r->info;
}

const struct ctop_record *ctop_recording_current(const struct ctop_recording *r)
{
	return r->have ? &r->rec : NULL;
}

int ctop_recording_first(struct ctop_recording *r)
{
	struct piece f = r->have ? r->pieces[0] : (struct piece){ 0 };
	size_t cur = r->cur;
	bool had = r->have;
	int e = first_from(r, r->data);

	if (e)
		restore(r, &f, cur, had);
	return e;
}

int ctop_recording_last(struct ctop_recording *r)
{
	struct piece f = r->have ? r->pieces[0] : (struct piece){ 0 };
	size_t cur = r->cur;
	bool had = r->have;
	int e = refresh_size(r);

	if (!e)
		e = last_before(r, r->info.size);
	if (e)
		restore(r, &f, cur, had);
	return e;
}

int ctop_recording_next(struct ctop_recording *r)
{
	struct piece was;
	size_t cur = r->cur;
	int e;

	if (!r->have)
		return ctop_recording_first(r);
	was = r->pieces[0];
	if (r->cur + 1 >= r->npieces && (r->stop == STOP_EOF || r->stop == STOP_CUT)) {
		/* At the end as last seen: the file may have grown since. */
		e = refresh_size(r);
		if (!e)
			e = extend_frame(r);
		if (e)
			return e;
	}
	if (r->cur + 1 < r->npieces) {
		e = decode(r, r->cur + 1);
		if (!e)
			r->cur++;
		if (e != -EBADMSG)
			return e;
	}
	e = first_from(r, r->frame_end);
	if (e)
		restore(r, &was, cur, true);
	return e;
}

int ctop_recording_prev(struct ctop_recording *r)
{
	struct piece was;
	size_t cur = r->cur;
	int e;

	if (!r->have)
		return ctop_recording_last(r);
	was = r->pieces[0];
	if (r->cur > 0) {
		e = decode(r, r->cur - 1);
		if (!e)
			r->cur--;
		return e;
	}
	e = last_before(r, was.off);
	if (e)
		restore(r, &was, cur, true);
	return e;
}

int ctop_recording_seek(struct ctop_recording *r, double t)
{
	int64_t want = to_us(t);
	struct piece best, f, was = r->have ? r->pieces[0] : (struct piece){ 0 };
	uint64_t lo, hi, mid;
	bool had = r->have;
	size_t cur = r->cur, i;
	int e;

	/* The file may have grown since it was opened. */
	e = refresh_size(r);
	if (e)
		return e;
	hi = r->info.size;
	e = scan_fwd(r, r->data, hi, &best);
	if (e)
		return e;
	lo = best.off + 1;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = scan_fwd(r, mid, hi, &f);
		if (e == -ENOENT || (!e && f.time_us > want)) {
			hi = mid;
			continue;
		}
		if (e)
			goto fail;
		best = f;
		lo = f.off + 1;
	}
	e = load_frame(r, &best);
	if (e)
		goto fail;
	for (i = 0; i + 1 < r->npieces && r->pieces[i + 1].time_us <= want; i++)
		;
	e = go(r, &best, i);
	while (e == -EBADMSG && r->npieces > 0)	/* damage cut the frame short */
		e = go(r, &best, r->npieces - 1);
	/* Nothing of that frame decodes: the nearest record after it, or before. */
	if (e == -EBADMSG)
		e = first_from(r, best.off + 1);
	if (e == -ENOENT)
		e = last_before(r, best.off);
	if (!e)
		return 0;
fail:
	restore(r, &was, cur, had);
	return e;
}

/* ---- writing ---- */

struct ctop_recorder {
	char *path;
	struct ctop_recorder_opts o;
	int fd;
	uint64_t size;
	int64_t file_start_us;	/* from the header: for the daily rotation */
	char host[65];
	ZSTD_CCtx *cctx;
	bool new_frame;
	unsigned frame_n;
	double frame_t0;
	unsigned char *buf;
	size_t bufcap;
	bool pack;		/* the file is of version 2 or later */
	unsigned char *packed;
	size_t packcap;
	struct ctop_recpack pk;	/* for the records of the frame so far */
	unsigned since_state;	/* records written since the last with state */
	struct ctop_recorder_stats st;
};

static int write_full(int fd, const void *buf, size_t n, uint64_t off)
{
	size_t done = 0;
	ssize_t r;

	while (done < n) {
		r = pwrite(fd, (const char *)buf + done, n - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		done += (size_t)r;
	}
	return 0;
}

static int write_header(struct ctop_recorder *w, double now)
{
	unsigned char h[HDR_LEN] = { 0 };
	int e;

	memcpy(h, HDR_MAGIC, sizeof(HDR_MAGIC) - 1);
	put32(h + H_VERSION, CTOP_REC_VERSION);
	put32(h + H_LEN, HDR_LEN);
	put64(h + H_START, (uint64_t)to_us(now));
	memcpy(h + H_HOST, w->host, strnlen(w->host, 64));
	put32(h + H_CRC, crc(h, H_CRC));
	e = write_full(w->fd, h, HDR_LEN, 0);
	if (e)
		return e;
	w->size = HDR_LEN;
	w->file_start_us = to_us(now);
	w->new_frame = true;
	w->pack = true;
	w->pk.version = CTOP_REC_VERSION;
	return 0;
}

/*
 * Opens (creating) w->path and finds where to append: after the last whole
 * record of a recording, or after a new header.
 */
static int open_file(struct ctop_recorder *w, double now, char *why, size_t whylen)
{
	unsigned char hdr[HDR_LEN];
	struct ctop_recording *r;
	struct ctop_recording_info info;
	int e;

	e = open_checked(w->path, O_RDWR | O_CREAT, 0640, &w->fd, hdr, &w->size, why, whylen);
	if (e)
		return e;
	if (flock(w->fd, LOCK_EX | LOCK_NB)) {
		e = errno == EWOULDBLOCK ? -EBUSY : -errno;
		if (e == -EBUSY && why && whylen)
			snprintf(why, whylen, "%s: another ctop-bpf is recording to it", w->path);
		else
			say(why, whylen, e, "%s: %s", w->path);
		goto fail;
	}
	if (w->size == 0) {
		e = write_header(w, now);
		if (e) {
			say(why, whylen, e, "%s: %s", w->path);
			goto fail;
		}
		return 0;
	}
	e = ctop_recording_open(w->path, &r, why, whylen);
	if (e)
		goto fail;
	ctop_recording_info(r, &info);
	ctop_recording_close(r);
	if (info.cut && ftruncate(w->fd, (off_t)info.end)) {
		e = say(why, whylen, -errno, "%s: %s", w->path);
		goto fail;
	}
	w->st.recovered += info.size - info.end;
	w->size = info.end;
	w->file_start_us = (int64_t)get64(hdr + H_START);
	w->new_frame = true;
	/* Appending to an older version's file writes that version. */
	w->pack = get32(hdr + H_VERSION) >= 2;
	w->pk.version = get32(hdr + H_VERSION);
	return 0;
fail:
	close(w->fd);
	w->fd = -1;
	return e;
}

int ctop_recorder_open(const char *path, const struct ctop_recorder_opts *o, const char *host,
		       double now, struct ctop_recorder **out, char *why, size_t whylen)
{
	struct ctop_recorder *w;
	int e;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(path)) || !(w->cctx = ZSTD_createCCtx())) {
		ctop_recorder_close(w);
		return say(why, whylen, -ENOMEM, "%s: %s", path);
	}
	w->fd = -1;
	if (o)
		w->o = *o;
	if (!w->o.frame_records)
		w->o.frame_records = CTOP_REC_FRAME_RECORDS;
	if (!(w->o.frame_seconds > 0))
		w->o.frame_seconds = CTOP_REC_FRAME_SECONDS;
	snprintf(w->host, sizeof(w->host), "%s", host ? host : "");
	/*
	 * Measured with tests/bench/record_bench on packed records (20
	 * containers, 500 processes, 1 in 5 busy): level 6 is 8% smaller than
	 * level 4 for 0.2 ms more a record; 9 and 12 win 1% more for twice the
	 * time. The shortest match is set per frame (frame_min_match()).
	 */
	if (ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel,
						 w->o.level ? w->o.level : 6))) {
		ctop_recorder_close(w);
		return say(why, whylen, -EINVAL, "%s: %s", path);
	}
	e = open_file(w, now, why, whylen);
	if (e) {
		ctop_recorder_close(w);
		return e;
	}
	*out = w;
	return 0;
}

static long day_of(int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (tm.tm_year + 1900L) * 1000 + tm.tm_yday;
}

/* FILE becomes FILE.1 and a new FILE begins at now. */
static int rotate(struct ctop_recorder *w, double now)
{
	char *old;
	int e;

	if (asprintf(&old, "%s.1", w->path) < 0)
		return -ENOMEM;
	e = rename(w->path, old) ? -errno : 0;
	free(old);
	if (e)
		return e;
	close(w->fd);
	w->fd = open(w->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (w->fd < 0)
		return -errno;
	if (flock(w->fd, LOCK_EX | LOCK_NB))
		return -errno;
	e = write_header(w, now);
	if (!e)
		w->st.rotations++;
	return e;
}

/*
 * Measured as above: matches of 6 bytes or more are 1% smaller than of 4
 * or 5 in versions 1 and 2; in version 3, where a record's numbers are
 * mostly new bytes, 5 is 1.5% smaller than 6 (record_bench 20 500 1 5 and
 * 1 25).
 */
static int frame_min_match(const struct ctop_recorder *w)
{
	return w->pk.version >= 3 ? 5 : 6;
}

int ctop_recorder_write(struct ctop_recorder *w, const struct ctop_snapshot *s)
{
	unsigned char *p;
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;
	size_t need, z, plen;
	uint32_t flags;
	char *json = NULL;
	size_t len;
	bool state;
	int e;

	if (w->fd < 0)
		return -EBADF;
	if (w->o.daily && day_of(to_us(s->time)) != day_of(w->file_start_us) &&
	    w->size > HDR_LEN) {
		e = rotate(w, s->time);
		if (e)
			goto out;
	}
	if (w->new_frame || w->frame_n >= w->o.frame_records ||
	    fabs(s->time - w->frame_t0) >= w->o.frame_seconds) {
		ZSTD_CCtx_reset(w->cctx, ZSTD_reset_session_only);
		ctop_recpack_reset(&w->pk);
		w->new_frame = true;
		if (ZSTD_isError(ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_minMatch,
							 frame_min_match(w)))) {
			e = -EINVAL;
			goto out;
		}
	}
	/* The history's state at every frame start, and every so often between. */
	state = w->pack && s->alpha > 0 &&
		(w->new_frame || w->since_state + 1 >= CTOP_REC_STATE_RECORDS);
	e = ctop_snapshot_json_dump_state(s, state, &json, &len);
	if (e)
		return e;
	if (len > PIECE_MAX) {
		e = -EFBIG;
		goto out;
	}
	flags = (w->new_frame ? PF_FRAME : 0) | (state ? PF_STATE : 0);
	in = (ZSTD_inBuffer){ json, len, 0 };
	if (w->pack) {
		e = ctop_recpack_encode(&w->pk, json, len, &w->packed, &w->packcap, &plen);
		if (e == -ENOMEM)
			goto out;
		if (!e && plen <= PIECE_MAX) {
			in = (ZSTD_inBuffer){ w->packed, plen, 0 };
			flags |= PF_PACKED;
		} else {
			ctop_recpack_reset(&w->pk);	/* as the reader does at an unpacked one */
		}
	}
	need = PIECE_LEN + ZSTD_compressBound(in.size) + 64;
	if (need > w->bufcap) {
		p = realloc(w->buf, need);
		if (!p) {
			e = -ENOMEM;
			goto out;
		}
		w->buf = p;
		w->bufcap = need;
	}
	out = (ZSTD_outBuffer){ w->buf + PIECE_LEN, w->bufcap - PIECE_LEN, 0 };
	do {
		z = ZSTD_compressStream2(w->cctx, &out, &in, ZSTD_e_flush);
		if (ZSTD_isError(z)) {
			w->new_frame = true;
			e = -EIO;
			goto out;
		}
	} while (z);
	p = w->buf;
	memcpy(p, PIECE_MAGIC, 4);
	put32(p + P_FLAGS, flags);
	put32(p + P_LEN, (uint32_t)out.pos);
	put32(p + P_CRC, crc(w->buf + PIECE_LEN, out.pos));
	put64(p + P_TIME, (uint64_t)to_us(s->time));
	put32(p + P_RAW, (uint32_t)in.size);
	put32(p + P_HCRC, crc(p, P_HCRC));
	if (w->o.max_bytes && w->size > HDR_LEN &&
	    w->size + PIECE_LEN + out.pos > w->o.max_bytes / 2) {
		/* The frame must start again in the new file: compress again. */
		e = rotate(w, s->time);
		if (e)
			goto out;
		w->new_frame = true;
		free(json);
		return ctop_recorder_write(w, s);
	}
	e = write_full(w->fd, w->buf, PIECE_LEN + out.pos, w->size);
	if (e) {
		/* No partial record stays, and the decoder's history has a hole. */
		if (ftruncate(w->fd, (off_t)w->size)) {
			/* the next write starts at w->size all the same */
		}
		w->new_frame = true;
		goto out;
	}
	if (w->new_frame) {
		w->frame_n = 0;
		w->frame_t0 = s->time;
	}
	w->new_frame = false;
	w->frame_n++;
	w->since_state = state ? 0 : w->since_state + 1;
	w->size += PIECE_LEN + out.pos;
	w->st.records++;
	w->st.json_bytes += len;
	w->st.file_bytes += PIECE_LEN + out.pos;
out:
	free(json);
	return e;
}

void ctop_recorder_stats(const struct ctop_recorder *w, struct ctop_recorder_stats *st)
{
	*st = w->st;
}

void ctop_recorder_close(struct ctop_recorder *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	ZSTD_freeCCtx(w->cctx);
	free(w->buf);
	free(w->packed);
	ctop_recpack_fini(&w->pk);
	free(w->path);
	free(w);
}
