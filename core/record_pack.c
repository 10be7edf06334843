// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "record_pack.h"
#include "snapshot_json.h"

#define M_U32	1	/* an unsigned integer, 4 bytes */
#define M_U64	2	/* 8 bytes */
#define M_NEG	3	/* a negative integer: its magnitude, 8 bytes */
#define M_REAL	4	/* a real: its IEEE 754 bits, 8 bytes */
#define M_D32	5	/* the same number in the record before, plus 4 bytes */
#define M_D64	6	/* plus 8 bytes */
/* Version 3 (9, 10 and 13 are white space in JSON, so not markers): */
#define M_SAME	7	/* the same number in the record before, no bytes */
#define M_VAR	8	/* an unsigned integer, LEB128 */
#define M_DVAR	11	/* the same number in the record before, plus LEB128 */
#define M_REF	12	/* the number the next skeleton byte counts back in the object */
#define M_DREF	14	/* the same number in the record before plus that one */
#define IS_MARK(c, v3)                                                                 \
	(((c) >= M_U32 && (c) <= M_D64) ||                                             \
	 ((v3) && ((c) == M_SAME || (c) == M_VAR || (c) == M_DVAR || (c) == M_REF || \
		   (c) == M_DREF)))
#define RING	16	/* numbers back M_REF can reach */
#define SAME_AFTER 16	/* records the same before a number that changed becomes M_SAME */
#define HEAD	8
#define REAL_MAX 32	/* longer than "%.17g" prints: not a real we packed */
#define FNV_BASIS 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

/* What a number is besides its 64 bits: M_SAME gives back both. */
enum kind { K_UINT, K_NEG, K_REAL };

/* A number of the record, for the next; the last four only the encoder keeps. */
struct ctop_recpack_val {
	uint64_t h;		/* its key */
	uint64_t v;
	uint8_t kind;
	uint8_t twice;		/* its key was found again: never referred to */
	uint8_t delta;		/* written as a difference */
	uint8_t changed;	/* it changed since its key was first seen */
	uint8_t streak;		/* records it has stayed the same, at most 255 */
	uint8_t ref;		/* the count back of its M_REF or M_DREF, or 0 */
};

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ---- the numbers a record shares with the one before ---- */

/*
 * A number is known by the skeleton from the '{' that opens its object
 * (every marker read as one) if it sits at most one array deep there:
 * a container's counters, keyed by its id, the host's, the sequence
 * number. In version 2 processes, in arrays of arrays, are not: a process
 * started before another would move its key.
 *
 * Version 3 keys an array two deep (an item: a process) by its first
 * number (the pid), if it begins with one: that number by the item's
 * array (below) and the first number of the item before it, the item's
 * other numbers by the item's array, the first number and their place
 * among the item's numbers. The item's array is known by the object's
 * skeleton up to its first '[' (the container's id and names, not the
 * record's optional keys such as "smooth") and by the array's own name.
 * A process keeps its keys while others start and exit around it, and a
 * pid found twice in a container is keyed by neither.
 */
struct key {
	uint64_t h;
	uint64_t first;		/* v3: h at the object's first '[' */
	uint64_t name;		/* v3: the bytes since the last ',' outside arrays */
	uint64_t arr;		/* v3: first and name at the array one deep: its items' base */
	uint64_t id;		/* v3: the first number of the item (two deep) */
	uint64_t prev_id;	/* v3: that of the item before it in the array */
	uint64_t ring[RING];	/* v3: the object's last numbers one deep at most */
	uint8_t ring_kind[RING];
	unsigned nring;		/* numbers put in ring, all told */
	unsigned depth;		/* arrays open since the '{' */
	unsigned pos;		/* v3: numbers so far in the item */
	bool v3;
	bool has_first;
	bool fresh;		/* v3: nothing but its '[' read of the item yet */
	bool item;		/* v3: the item began with a number: id keys the rest */
	bool dead;		/* a '}' since it: the object is left */
};

/* Two words into one key: a multiply and a shift, not FNV's eight rounds. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static void key_byte(struct key *k, unsigned char c)
{
	if (c == '{') {
		*k = (struct key){ .h = FNV_BASIS, .name = FNV_BASIS, .v3 = k->v3 };
		return;
	}
	if (k->depth == 0)
		k->name = c == ',' ? FNV_BASIS : (k->name ^ (IS_MARK(c, k->v3) ? 'N' : c)) * FNV_PRIME;
	if (c == '[') {
		k->depth++;
		k->fresh = k->depth == 2;
		if (k->depth == 2) {
			k->item = false;
			k->pos = 0;
		}
	} else if (c == ']' && k->depth) {
		if (k->depth == 2)
			k->item = false;
		k->depth--;
		k->fresh = false;
	} else if (c == '}') {
		k->dead = true;
	} else if (k->depth > 1) {
		/*
		 * No key is made in there: not worth hashing. Only the bytes the
		 * fast paths stop at count (hot[]): a marker is the item's first
		 * number, which key_number() reads; a string is not.
		 */
		if (c == '"')
			k->fresh = false;
		return;
	}
	k->h = (k->h ^ (IS_MARK(c, k->v3) ? 'N' : c)) * FNV_PRIME;
	if (c == '[' && k->depth == 1) {
		if (!k->has_first)
			k->first = k->h;
		k->has_first = true;
		k->arr = mix(k->first, k->name);
		k->prev_id = UINT64_MAX;
	}
}

/* A byte of the text: in a string it only counts to the key. */
static void key_text(struct key *k, unsigned char c, bool in_str)
{
	if (in_str && k->depth == 0)
		k->name = (k->name ^ c) * FNV_PRIME;
	if (in_str && k->depth <= 1)
		k->h = (k->h ^ c) * FNV_PRIME;
	else if (in_str)
		return;
	else
		key_byte(k, c);
}

/* The key of the number at k (after its marker's key_byte()); false if it has none. */
static bool key_of(const struct key *k, uint64_t *h)
{
	if (k->dead)
		return false;
	if (k->depth <= 1) {
		*h = k->h;
		return true;
	}
	if (!k->v3 || k->depth != 2)
		return false;
	if (k->fresh) {
		/* The first number, by the one before it: no key shifts when one exits. */
		*h = mix(mix(k->arr, 'I'), k->prev_id);
		return true;
	}
	if (!k->item)
		return false;
	*h = mix(mix(k->arr, k->id), k->pos);
	return true;
}

/* The number at k was v: an item's first keys the rest. */
static void key_number(struct key *k, uint64_t v, enum kind kind)
{
	if (!k->v3)
		return;
	if (k->depth <= 1) {
		k->ring[k->nring % RING] = v;
		k->ring_kind[k->nring % RING] = (uint8_t)kind;
		k->nring++;
		return;
	}
	if (k->depth != 2)
		return;
	if (k->fresh) {
		k->item = true;
		k->id = k->prev_id = v;
	}
	k->fresh = false;
	k->pos++;
}

void ctop_recpack_reset(struct ctop_recpack *pk)
{
	ctop_u64map_clear(&pk->map[0]);
	ctop_u64map_clear(&pk->map[1]);
	pk->n[0] = pk->n[1] = 0;
	pk->cur = 0;
	pk->next = 0;
}

void ctop_recpack_fini(struct ctop_recpack *pk)
{
	for (int i = 0; i < 2; i++) {
		ctop_u64map_fini(&pk->map[i]);
		free(pk->val[i]);
	}
	memset(pk, 0, sizeof(*pk));
}

/*
 * The number keyed h in the record before; NULL if none, or more than one.
 * Numbers mostly come in the order of the record before: the one after
 * the last found is tried before the map.
 */
static const struct ctop_recpack_val *prev_value(struct ctop_recpack *pk, uint64_t h)
{
	const struct ctop_recpack_val *val = pk->val[!pk->cur];
	const uint32_t *i;
	size_t at;

	if (pk->next < pk->n[!pk->cur] && val[pk->next].h == h) {
		at = pk->next;
	} else {
		i = ctop_u64map_get(&pk->map[!pk->cur], h);
		if (!i)
			return NULL;
		at = *i;
	}
	pk->next = at + 1;
	return val[at].twice ? NULL : &val[at];
}

static int remember(struct ctop_recpack *pk, uint64_t h, const struct ctop_recpack_val *val)
{
	int c = pk->cur;
	uint32_t *had;

	if (pk->n[c] >= UINT32_MAX || ctop_grow((void **)&pk->val[c], &pk->cap[c], pk->n[c] + 1,
						sizeof(*pk->val[c])))
		return -ENOMEM;
	if (ctop_u64map_add(&pk->map[c], h, (uint32_t)pk->n[c], &had))
		return -ENOMEM;
	if (had) {
		pk->val[c][*had].twice = true;
		return 0;
	}
	pk->val[c][pk->n[c]] = *val;
	pk->val[c][pk->n[c]].h = h;
	pk->n[c]++;
	return 0;
}

/*
 * A record's numbers start empty. The map is cleared here, just before it
 * is filled, not when the record before ends: cleared a refresh earlier,
 * it is no longer in the cache, and the inserts took a quarter of a
 * recording ctop-bpf's CPU.
 */
static void begin_record(struct ctop_recpack *pk)
{
	ctop_u64map_clear(&pk->map[pk->cur]);
	pk->n[pk->cur] = 0;
	pk->next = 0;
}

/* This record's numbers become the ones before the next. */
static void next_record(struct ctop_recpack *pk)
{
	pk->cur = !pk->cur;
}

/* ---- numbers as text ---- */

/* Not snprintf: a record holds thousands of integers. */
static int print_int(char *tmp, uint64_t v, bool neg)
{
	char d[24], *e = d + sizeof(d), *s = e;
	int n;

	do
		*--s = (char)('0' + v % 10);
	while (v /= 10);
	if (neg)
		*--s = '-';
	n = (int)(e - s);
	memcpy(tmp, s, (size_t)n);
	return n;
}

/* s[n] as an integer without a sign or leading zero; false if it is none. */
static bool canonical_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 20 || (s[0] == '0' && n > 1))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

/* The marker for the number s[n] and its value in *v, or 0 to keep it as text. */
static int classify(const char *s, size_t n, uint64_t *v)
{
	char tmp[REAL_MAX + 8], back[REAL_MAX + 8];
	size_t neg;
	double d;

	if (!memchr(s, '.', n) && !memchr(s, 'e', n) && !memchr(s, 'E', n)) {
		if (s[0] != '-')
			return canonical_u64(s, n, v) ? M_U64 : 0;
		return canonical_u64(s + 1, n - 1, v) && *v ? M_NEG : 0;
	}
	if (n > REAL_MAX)
		return 0;
	/* A whole number as ctop_json_real() prints it (most are 0.0): no strtod. */
	neg = s[0] == '-';
	if (n >= 3 && s[n - 2] == '.' && s[n - 1] == '0' &&
	    canonical_u64(s + neg, n - 2 - neg, v) && *v < 1ULL << 53) {
		d = neg ? -(double)*v : (double)*v;
		memcpy(v, &d, sizeof(d));
		return M_REAL;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	d = strtod(tmp, NULL);
	if (ctop_json_real(back, sizeof(back), d) != (int)n || memcmp(back, s, n))
		return 0;
	memcpy(v, &d, sizeof(d));
	return M_REAL;
}

/* classify(), without its calls for a plain integer of up to 19 digits, most of them. */
static int classify_fast(const char *s, size_t n, uint64_t *v)
{
	size_t i = s[0] == '-', d = i;
	uint64_t x = 0;

	if (i >= n)
		return 0;	/* a lone '-': text */
	if (n - i > 19 || (s[i] == '0' && n - i > 1))
		return classify(s, n, v);
	for (; d < n; d++) {
		unsigned c = (unsigned)(s[d] - '0');

		if (c > 9)
			return classify(s, n, v);
		x = x * 10 + c;
	}
	if (d == i || (i && !x))
		return classify(s, n, v);
	*v = x;
	return i ? M_NEG : M_U64;
}

static size_t number_len(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && s[i] == '-')
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i;
}

/*
 * An integer as 4 bytes when it fits: a number keeps its width from one
 * refresh to the next, and so its place; the 4 zero bytes that 8 would
 * take for most numbers cost zstd's literals more than the rare moves.
 */
static int put_uint(unsigned char *nums, size_t *nn, uint64_t v, int m32)
{
	if (v >> 32) {
		put64(nums + *nn, v);
		*nn += 8;
		return m32 + 1;
	}
	put32(nums + *nn, (uint32_t)v);
	*nn += 4;
	return m32;
}

/* LEB128: 7 bits a byte, low first, the top bit set on all but the last. */
static size_t put_var(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >> 7) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

/* 0, or -1 if p[0..end) holds no whole one or it passes 64 bits. */
static int get_var(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;

	for (unsigned s = 0; *p < end; s += 7) {
		unsigned char b = *(*p)++;

		if (s == 63 && b > 1)
			return -1;
		x |= (uint64_t)(b & 0x7f) << s;
		if (!(b & 0x80)) {
			*v = x;
			return 0;
		}
		if (s == 63)
			return -1;
	}
	return -1;
}

/* The bytes key_byte() and key_text() do more with than hash at depth 2 (any version's). */
static const bool hot[256] = {
	[M_U32] = true, [M_U64] = true, [M_NEG] = true, [M_REAL] = true, [M_D32] = true,
	[M_D64] = true, [M_SAME] = true, [M_VAR] = true, [M_DVAR] = true, [M_REF] = true,
	[M_DREF] = true, ['['] = true, [']'] = true, ['{'] = true, ['}'] = true, ['"'] = true,
	['\\'] = true,
};

static const bool num_start[256] = {
	['-'] = true, ['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true,
	['5'] = true, ['6'] = true, ['7'] = true, ['8'] = true, ['9'] = true,
};

/* How far back in k's object an unsigned x is, preferring back; 0 if not within RING. */
static unsigned find_ref(const struct key *k, uint64_t x, unsigned back)
{
	unsigned n = k->nring < RING ? k->nring : RING;

	if (back && back <= n && k->ring[(k->nring - back) % RING] == x &&
	    k->ring_kind[(k->nring - back) % RING] == K_UINT)
		return back;
	if (x <= 255)
		return 0;	/* a byte or two in the numbers: not worth a new reference */
	for (unsigned d = 1; d <= n; d++)
		if (k->ring[(k->nring - d) % RING] == x && k->ring_kind[(k->nring - d) % RING] == K_UINT)
			return d;
	return 0;
}

/*
 * Version 3: the marker for the number v of kind, of text[textlen], keyed
 * at k with pv its value in the record before (NULL if none); its bytes
 * go to nums[*nn], and what the next record needs of it to *val.
 *
 * Measured with tests/bench/record_bench: a change of marker is a change
 * in the skeleton, which costs zstd a new match, as a number does among
 * unchanged ones, so each number keeps its marker while it can. M_SAME
 * only for an item's first number (a pid, which changes only as processes
 * start and exit around it), one that never changed since its key
 * appeared (a process's start, threads) or one that stayed the same for
 * SAME_AFTER records; the others stay in the numbers, where the changes
 * lie together and zstd codes them as one run of literals, and in LEB128,
 * which leaves it no short matches of zero bytes to break that run. A
 * counter's difference, once taken, stays one, and a number or difference
 * that equals one earlier in the object (a row's totals grew by its
 * counts) refers to it, at the same count back as before where it can.
 */
static int choose(const struct key *k, const struct ctop_recpack_val *pv, uint64_t v,
		  enum kind kind, size_t textlen, unsigned char *nums, size_t *nn,
		  struct ctop_recpack_val *val)
{
	bool same = pv && pv->kind == kind && pv->v == v;
	/* An item's first number (a pid) changes with the items around it only. */
	bool id = k->fresh;
	/* Two skeleton bytes: the skeleton stays within the text's length. */
	bool may_ref = k->depth <= 1 && textlen >= 2;
	unsigned back = pv ? pv->ref : 0;

	*val = (struct ctop_recpack_val){
		.v = v,
		.kind = (uint8_t)kind,
		.changed = pv && (pv->changed || !same),
		.streak = same ? (uint8_t)(pv->streak + (pv->streak < UINT8_MAX)) : 0,
	};
	if (same && (id || !val->changed || val->streak >= SAME_AFTER))
		return M_SAME;
	if (kind != K_UINT) {
		put64(nums + *nn, v);
		*nn += 8;
		return kind == K_NEG ? M_NEG : M_REAL;
	}
	if (pv && pv->kind == K_UINT && v >= pv->v && v - pv->v <= v >> 6 &&
	    (pv->delta || v > pv->v)) {
		val->delta = true;
		if (may_ref && (val->ref = (uint8_t)find_ref(k, v - pv->v, back)))
			return M_DREF;
		*nn += put_var(nums + *nn, v - pv->v);
		return M_DVAR;
	}
	if (may_ref && (val->ref = (uint8_t)find_ref(k, v, back)))
		return M_REF;
	*nn += put_var(nums + *nn, v);
	return M_VAR;
}

int ctop_recpack_encode(struct ctop_recpack *pk, const char *json, size_t len,
			unsigned char **buf, size_t *cap, size_t *outlen)
{
	unsigned char *skel, *nums;
	size_t i = 0, ns = 0, nn = 0, k;
	bool v3 = pk->version >= 3;
	struct key key = { .h = FNV_BASIS, .dead = true, .v3 = v3 };
	const struct ctop_recpack_val *pv;
	bool in_str = false, keyed;
	uint64_t v, h;
	struct ctop_recpack_val val;
	enum kind kind;
	int m, e;

	if (len > UINT32_MAX / 9)
		return -EINVAL;
	/*
	 * Each number of one byte or more becomes 1 byte here (2 for a
	 * reference, only of two or more) and at most 8 there (LEB128 no more
	 * than the number has digits).
	 */
	if (ctop_grow((void **)buf, cap, HEAD + 9 * len + 8, 1))
		return -ENOMEM;
	skel = *buf + HEAD;
	nums = *buf + HEAD + len;	/* moved down after the skeleton at the end */
	begin_record(pk);
	while (i < len) {
		unsigned char c;

		if (key.depth > 1) {
			/*
			 * In a process list: on to what can be a number or move a
			 * key, copied byte by byte (most runs are a lone ',').
			 */
			while (i < len && !hot[(unsigned char)json[i]] &&
			       !num_start[(unsigned char)json[i]])
				skel[ns++] = (unsigned char)json[i++];
			if (i == len)
				break;
		}
		c = (unsigned char)json[i];
		if (IS_MARK(c, v3))
			goto refuse;
		if (in_str || c == '"' || !(c == '-' || (c >= '0' && c <= '9')) ||
		    !(k = number_len(json + i, len - i))) {
			key_text(&key, c, in_str);
			skel[ns++] = c;
			if (in_str && c == '\\' && i + 1 < len) {
				c = (unsigned char)json[++i];
				if (IS_MARK(c, v3))
					goto refuse;
				key_text(&key, c, true);
				skel[ns++] = c;
			} else if (c == '"') {
				in_str = !in_str;
			}
			i++;
			continue;
		}
		m = classify_fast(json + i, k, &v);
		if (!m) {
			for (size_t j = 0; j < k; j++)
				key_byte(&key, (unsigned char)json[i + j]);
			memcpy(skel + ns, json + i, k);
			ns += k;
			i += k;
			continue;
		}
		key_byte(&key, (unsigned char)m);	/* every marker reads as one */
		keyed = key_of(&key, &h);
		pv = keyed ? prev_value(pk, h) : NULL;
		kind = m == M_NEG ? K_NEG : m == M_REAL ? K_REAL : K_UINT;
		val = (struct ctop_recpack_val){ .v = v, .kind = (uint8_t)kind };
		if (v3) {
			m = choose(&key, pv, v, kind, k, nums, &nn, &val);
		} else if (m == M_U64 && pv && v >= pv->v && v - pv->v <= v >> 6) {
			m = put_uint(nums, &nn, v - pv->v, M_D32);
		} else if (m == M_U64) {
			m = put_uint(nums, &nn, v, M_U32);
		} else {
			put64(nums + nn, v);
			nn += 8;
		}
		skel[ns++] = (unsigned char)m;
		if (m == M_REF || m == M_DREF)
			skel[ns++] = val.ref;
		/* Version 2 remembers only the unsigned ones. */
		if (keyed && (v3 || kind == K_UINT) && (e = remember(pk, h, &val)))
			return e;
		key_number(&key, v, kind);
		i += k;
	}
	memmove(skel + ns, nums, nn);
	put32(*buf, (uint32_t)len);
	put32(*buf + 4, (uint32_t)ns);
	*outlen = HEAD + ns + nn;
	next_record(pk);
	return 0;
refuse:
	/* Not packed, so the next record has no record before it to refer to. */
	ctop_recpack_reset(pk);
	return -EINVAL;
}


int ctop_recpack_decode(struct ctop_recpack *pk, const unsigned char *in, size_t n, size_t max,
			char **buf, size_t *cap, size_t *outlen)
{
	const unsigned char *skel, *nums, *nend;
	bool v3 = pk->version >= 3;
	struct key key = { .h = FNV_BASIS, .dead = true, .v3 = v3 };
	const struct ctop_recpack_val *pv;
	size_t len, ns, o = 0;
	char tmp[REAL_MAX + 8], *p = NULL;
	bool in_str = false, keyed;
	enum kind kind;
	uint64_t v, h;
	unsigned w;
	double d;
	int k, e;

	if (n < HEAD)
		return -EBADMSG;
	len = get32(in);
	ns = get32(in + 4);
	if (len > max || ns > n - HEAD)
		return -EBADMSG;
	if (buf) {
		if (ctop_grow((void **)buf, cap, len + 1, 1))
			return -ENOMEM;
		p = *buf;
	}
	skel = in + HEAD;
	nums = skel + ns;
	nend = in + n;
	begin_record(pk);
	for (size_t i = 0; i < ns; i++) {
		unsigned char c;

		if (!p && key.depth > 1) {
			/* Only read, in a process list: on to what moves a key or a number. */
			while (i < ns && !hot[skel[i]])
				i++;
			if (i == ns)
				break;
		}
		c = skel[i];
		if (!IS_MARK(c, v3)) {
			if (p && o >= len)
				return -EBADMSG;
			if (p)
				p[o] = (char)c;
			o++;
			key_text(&key, c, in_str);
			/* As the encoder reads it: a backslash's next byte is text. */
			if (in_str && c == '\\' && i + 1 < ns) {
				if (p && o >= len)
					return -EBADMSG;
				c = skel[++i];
				if (IS_MARK(c, v3))
					return -EBADMSG;
				if (p)
					p[o] = (char)c;
				o++;
				key_text(&key, c, true);
			} else if (c == '"') {
				in_str = !in_str;
			}
			continue;
		}
		key_byte(&key, c);
		keyed = key_of(&key, &h);
		pv = keyed ? prev_value(pk, h) : NULL;
		if (c == M_SAME) {
			if (!pv)
				return -EBADMSG;
			v = pv->v;
			kind = (enum kind)pv->kind;
		} else if (c == M_VAR || c == M_DVAR) {
			if (get_var(&nums, nend, &v))
				return -EBADMSG;
			kind = K_UINT;
		} else if (c == M_REF || c == M_DREF) {
			unsigned back = i + 1 < ns ? skel[++i] : 0;
			unsigned n = key.nring < RING ? key.nring : RING;

			if (!back || back > n || key.ring_kind[(key.nring - back) % RING] != K_UINT)
				return -EBADMSG;
			v = key.ring[(key.nring - back) % RING];
			kind = K_UINT;
		} else {
			w = c == M_U32 || c == M_D32 ? 4 : 8;
			if ((size_t)(nend - nums) < w)
				return -EBADMSG;
			v = w == 4 ? get32(nums) : get64(nums);
			nums += w;
			kind = c == M_NEG ? K_NEG : c == M_REAL ? K_REAL : K_UINT;
		}
		if (c == M_D32 || c == M_D64 || c == M_DVAR || c == M_DREF) {
			if (!pv || pv->kind != K_UINT || v > UINT64_MAX - pv->v)
				return -EBADMSG;
			v += pv->v;
		}
		if (keyed && (v3 || kind == K_UINT) &&
		    (e = remember(pk, h, &(struct ctop_recpack_val){ .v = v, .kind = kind })))
			return e;
		key_number(&key, v, kind);
		if (!p)
			continue;	/* only read: the text's length is not checked */
		if (kind == K_REAL) {
			memcpy(&d, &v, sizeof(d));
			k = ctop_json_real(tmp, sizeof(tmp), d);
		} else {
			k = print_int(tmp, v, kind == K_NEG);
		}
		if (k <= 0 || (size_t)k >= sizeof(tmp) || (size_t)k > len - o)
			return -EBADMSG;
		if (p)
			memcpy(p + o, tmp, (size_t)k);
		o += (size_t)k;
	}
	if ((p && o != len) || nums != nend)
		return -EBADMSG;
	if (p)
		p[o] = '\0';
	*outlen = o;
	next_record(pk);
	return 0;
}
