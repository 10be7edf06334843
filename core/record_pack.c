// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "record_pack.h"

#define M_U32	1	/* an unsigned integer, 4 bytes */
#define M_U64	2	/* 8 bytes */
#define M_NEG	3	/* a negative integer: its magnitude, 8 bytes */
#define M_REAL	4	/* a real: its IEEE 754 bits, 8 bytes */
#define M_D32	5	/* the same number in the record before, plus 4 bytes */
#define M_D64	6	/* plus 8 bytes */
#define IS_MARK(c) ((c) >= M_U32 && (c) <= M_D64)
#define HEAD	8
#define REAL_MAX 32	/* longer than "%.17g" prints: not a real we packed */
#define AMBIGUOUS UINT32_MAX
#define FNV_BASIS 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

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
 * number. Processes, in arrays of arrays, are not: a process started
 * before another would move its key, and zstd finds theirs anyway.
 */
struct key {
	uint64_t h;
	unsigned depth;		/* arrays open since the '{' */
	bool dead;		/* a '}' since it: the object is left */
};

static void key_byte(struct key *k, unsigned char c)
{
	if (c == '{') {
		*k = (struct key){ .h = FNV_BASIS };
		return;
	}
	if (c == '[')
		k->depth++;
	else if (c == ']' && k->depth)
		k->depth--;
	else if (c == '}')
		k->dead = true;
	else if (k->depth > 1)
		return;		/* no key is made in there: not worth hashing */
	k->h = (k->h ^ (IS_MARK(c) ? 'N' : c)) * FNV_PRIME;
}

/* A byte of the text: in a string it only counts to the key. */
static void key_text(struct key *k, unsigned char c, bool in_str)
{
	if (in_str && k->depth <= 1)
		k->h = (k->h ^ c) * FNV_PRIME;
	else if (in_str)
		return;
	else
		key_byte(k, c);
}

static bool key_usable(const struct key *k)
{
	return !k->dead && k->depth <= 1;
}

void ctop_recpack_reset(struct ctop_recpack *pk)
{
	ctop_u64map_clear(&pk->map[0]);
	ctop_u64map_clear(&pk->map[1]);
	pk->n[0] = pk->n[1] = 0;
	pk->cur = 0;
}

void ctop_recpack_fini(struct ctop_recpack *pk)
{
	for (int i = 0; i < 2; i++) {
		ctop_u64map_fini(&pk->map[i]);
		free(pk->val[i]);
	}
	memset(pk, 0, sizeof(*pk));
}

/* The number keyed k in the record before; false if none, or more than one. */
static bool prev_value(const struct ctop_recpack *pk, const struct key *k, uint64_t *v)
{
	const uint32_t *i = ctop_u64map_get(&pk->map[!pk->cur], k->h);

	if (!i || *i == AMBIGUOUS)
		return false;
	*v = pk->val[!pk->cur][*i];
	return true;
}

static int remember(struct ctop_recpack *pk, const struct key *k, uint64_t v)
{
	int c = pk->cur;
	uint32_t *i = ctop_u64map_get(&pk->map[c], k->h);

	if (i) {
		*i = AMBIGUOUS;
		return 0;
	}
	if (pk->n[c] >= AMBIGUOUS || ctop_grow((void **)&pk->val[c], &pk->cap[c], pk->n[c] + 1,
					       sizeof(uint64_t)))
		return -ENOMEM;
	pk->val[c][pk->n[c]] = v;
	if (ctop_u64map_put(&pk->map[c], k->h, (uint32_t)pk->n[c]))
		return -ENOMEM;
	pk->n[c]++;
	return 0;
}

/* This record's numbers become the ones before the next. */
static void next_record(struct ctop_recpack *pk)
{
	pk->cur = !pk->cur;
	ctop_u64map_clear(&pk->map[pk->cur]);
	pk->n[pk->cur] = 0;
}

/* ---- numbers as text ---- */

/* As snapshot_json.c prints a real: 17 digits, and never like an integer. */
static int print_real(char *tmp, size_t size, double v)
{
	int n = snprintf(tmp, size, "%.17g", v);

	if (n > 0 && (size_t)n < size && !strpbrk(tmp, ".en"))
		n += snprintf(tmp + n, size - (size_t)n, ".0");
	return n;
}

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
	double d;

	if (!memchr(s, '.', n) && !memchr(s, 'e', n) && !memchr(s, 'E', n)) {
		if (s[0] != '-')
			return canonical_u64(s, n, v) ? M_U64 : 0;
		return canonical_u64(s + 1, n - 1, v) && *v ? M_NEG : 0;
	}
	if (n > REAL_MAX)
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	d = strtod(tmp, NULL);
	if (print_real(back, sizeof(back), d) != (int)n || memcmp(back, s, n))
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

/* The bytes key_byte() and key_text() do more with than hash at depth 2. */
static const bool hot[256] = {
	[M_U32] = true, [M_U64] = true, [M_NEG] = true, [M_REAL] = true, [M_D32] = true,
	[M_D64] = true, ['['] = true, [']'] = true, ['{'] = true, ['}'] = true, ['"'] = true,
	['\\'] = true,
};

static const bool num_start[256] = {
	['-'] = true, ['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true,
	['5'] = true, ['6'] = true, ['7'] = true, ['8'] = true, ['9'] = true,
};

int ctop_recpack_encode(struct ctop_recpack *pk, const char *json, size_t len,
			unsigned char **buf, size_t *cap, size_t *outlen)
{
	unsigned char *skel, *nums;
	size_t i = 0, ns = 0, nn = 0, k;
	struct key key = { .h = FNV_BASIS, .dead = true };
	bool in_str = false;
	uint64_t v, pv;
	int m, e;

	if (len > UINT32_MAX / 9)
		return -EINVAL;
	/* Each number of one byte or more becomes 1 byte here and at most 8 there. */
	if (ctop_grow((void **)buf, cap, HEAD + 9 * len + 8, 1))
		return -ENOMEM;
	skel = *buf + HEAD;
	nums = *buf + HEAD + len;	/* moved down after the skeleton at the end */
	while (i < len) {
		unsigned char c;

		if (key.depth > 1) {
			/* In a process list: on to what can be a number or move a key. */
			size_t j = i;

			while (j < len && !hot[(unsigned char)json[j]] &&
			       !num_start[(unsigned char)json[j]])
				j++;
			memcpy(skel + ns, json + i, j - i);
			ns += j - i;
			i = j;
			if (i == len)
				break;
		}
		c = (unsigned char)json[i];
		if (IS_MARK(c))
			goto refuse;
		if (in_str || c == '"' || !(c == '-' || (c >= '0' && c <= '9')) ||
		    !(k = number_len(json + i, len - i))) {
			key_text(&key, c, in_str);
			skel[ns++] = c;
			if (in_str && c == '\\' && i + 1 < len) {
				c = (unsigned char)json[++i];
				if (IS_MARK(c))
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
		if (m == M_U64 && key_usable(&key) && prev_value(pk, &key, &pv) && v >= pv &&
		    v - pv <= v >> 6)
			m = put_uint(nums, &nn, v - pv, M_D32);
		else if (m == M_U64)
			m = put_uint(nums, &nn, v, M_U32);
		else {
			put64(nums + nn, v);
			nn += 8;
		}
		skel[ns++] = (unsigned char)m;
		if (m != M_NEG && m != M_REAL && key_usable(&key) && (e = remember(pk, &key, v)))
			return e;
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
	struct key key = { .h = FNV_BASIS, .dead = true };
	size_t len, ns, o = 0;
	char tmp[REAL_MAX + 8], *p = NULL;
	bool in_str = false;
	uint64_t v, pv;
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
		if (!IS_MARK(c)) {
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
				if (IS_MARK(c))
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
		w = c == M_U32 || c == M_D32 ? 4 : 8;
		if ((size_t)(nend - nums) < w)
			return -EBADMSG;
		v = w == 4 ? get32(nums) : get64(nums);
		nums += w;
		key_byte(&key, c);
		if (c == M_D32 || c == M_D64) {
			if (!key_usable(&key) || !prev_value(pk, &key, &pv) || v > UINT64_MAX - pv)
				return -EBADMSG;
			v += pv;
		}
		if (key_usable(&key) && c != M_NEG && c != M_REAL && (e = remember(pk, &key, v)))
			return e;
		if (!p)
			continue;	/* only read: the text's length is not checked */
		if (c == M_REAL) {
			memcpy(&d, &v, sizeof(d));
			k = print_real(tmp, sizeof(tmp), d);
		} else {
			k = print_int(tmp, v, c == M_NEG);
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
