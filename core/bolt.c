// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bbolt's on-disk format (go.etcd.io/bbolt, page.go and db.go): pages of
 * a page size the two meta pages (0 and 1) give; the meta with the higher
 * transaction id and a good checksum is current. A page starts with
 * {id u64, flags u16, count u16, overflow u32}, then count elements:
 * branch {pos u32, ksize u32, pgid u64}, leaf {flags u32, pos u32,
 * ksize u32, vsize u32}, with pos counted from the element itself. A
 * bucket's value is {root pgid u64, sequence u64}, and an inline bucket
 * (root 0) carries its one leaf page right after. Little-endian hosts
 * only write what they read, as bbolt does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "bolt.h"

#define PAGE_HDR	16
#define ELEM_LEN	16
#define F_BRANCH	0x01
#define F_LEAF		0x02
#define F_META		0x04
#define LEAF_BUCKET	0x01
#define BOLT_MAGIC	0xED0CDAEDu
#define MAX_DEPTH	32	/* a B+tree of this many levels would hold more than memory */

/* A page (or an inline bucket's page) as a bounded span of the file. */
struct span {
	const uint8_t *p;
	size_t n;
};

struct db {
	const uint8_t *base;
	size_t len;
	uint32_t psize;
};

static uint16_t u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* FNV-1a, 64 bits: bbolt's meta checksum. */
static uint64_t fnv64a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* A meta page at off: its root bucket's page and its txid, if valid. */
static bool meta_at(const uint8_t *base, size_t len, size_t off, uint32_t *psize, uint64_t *root,
		    uint64_t *txid)
{
	const uint8_t *m;

	if (off > len || len - off < PAGE_HDR + 64)
		return false;
	if (!(u16(base + off + 8) & F_META))
		return false;
	m = base + off + PAGE_HDR;
	/* magic, version, pageSize, flags, root{pgid, seq}, freelist, pgid, txid, checksum */
	if (u32(m) != BOLT_MAGIC || u32(m + 4) != 2 || fnv64a(m, 56) != u64(m + 56))
		return false;
	*psize = u32(m + 8);
	*root = u64(m + 16);
	*txid = u64(m + 48);
	return *psize >= 512 && *psize <= (1u << 16) && !(*psize & (*psize - 1));
}

static int page_at(const struct db *d, uint64_t pgid, struct span *out)
{
	uint64_t off, n;

	if (pgid > d->len / d->psize)
		return -EINVAL;
	off = pgid * d->psize;
	if (off + PAGE_HDR > d->len)
		return -EINVAL;
	n = ((uint64_t)u32(d->base + off + 12) + 1) * d->psize;	/* with its overflow */
	if (n > d->len - off)
		n = d->len - off;	/* the last page may be short of a whole page size */
	out->p = d->base + off;
	out->n = (size_t)n;
	return 0;
}

static int keycmp(const uint8_t *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	return c ? c : (an > bn) - (an < bn);
}

/* Element i's key (and for a leaf, value) within page s, bounds-checked. */
static bool elem_kv(struct span s, size_t i, bool leaf, const uint8_t **k, size_t *kn,
		    const uint8_t **v, size_t *vn, uint32_t *flags, uint64_t *child)
{
	size_t e = PAGE_HDR + i * ELEM_LEN, pos, end;

	if (e + ELEM_LEN > s.n)
		return false;
	if (leaf) {
		*flags = u32(s.p + e);
		pos = u32(s.p + e + 4);
		*kn = u32(s.p + e + 8);
		*vn = u32(s.p + e + 12);
	} else {
		pos = u32(s.p + e);
		*kn = u32(s.p + e + 4);
		*child = u64(s.p + e + 8);
		*vn = 0;
	}
	end = e + pos;
	if (end > s.n || *kn > s.n - end || *vn > s.n - end - *kn)
		return false;
	*k = s.p + end;
	if (v)
		*v = *k + *kn;
	return true;
}

/* The leaf element of key in the tree rooted at s: its flags and value. */
static int find(const struct db *d, struct span s, const char *key, uint32_t *flags,
		const uint8_t **val, size_t *vlen)
{
	size_t kl = strlen(key), i, count, kn, vn;
	const uint8_t *k, *v;
	unsigned int depth;
	uint64_t child, next;
	uint32_t f;
	int err;

	for (depth = 0; depth < MAX_DEPTH; depth++) {
		if (s.n < PAGE_HDR)
			return -EINVAL;
		count = u16(s.p + 10);
		if (u16(s.p + 8) & F_LEAF) {
			for (i = 0; i < count; i++) {
				if (!elem_kv(s, i, true, &k, &kn, &v, &vn, &f, &child))
					return -EINVAL;
				if (!keycmp(k, kn, key, kl)) {
					*flags = f;
					*val = v;
					*vlen = vn;
					return 0;
				}
			}
			return -ENOENT;
		}
		if (!(u16(s.p + 8) & F_BRANCH) || count == 0)
			return -EINVAL;
		/* the last child whose first key is at most key */
		next = 0;
		for (i = 0; i < count; i++) {
			if (!elem_kv(s, i, false, &k, &kn, NULL, &vn, &f, &child))
				return -EINVAL;
			if (i > 0 && keycmp(k, kn, key, kl) > 0)
				break;
			next = child;
		}
		err = page_at(d, next, &s);
		if (err)
			return err;
	}
	return -EINVAL;
}

/* A bucket value's root: its own page, or the inline page after the header. */
static int bucket_root(const struct db *d, const uint8_t *v, size_t vn, struct span *out)
{
	uint64_t root;

	if (vn < 16)
		return -EINVAL;
	root = u64(v);
	if (root == 0) {
		out->p = v + 16;
		out->n = vn - 16;
		return 0;
	}
	return page_at(d, root, out);
}

int ctop_bolt_get(const void *db, size_t len, const char *const *path, size_t n,
		  const void **val, size_t *vlen)
{
	struct db d = { db, len, 0 };
	uint64_t root[2] = { 0 }, tx[2] = { 0 };
	uint32_t ps[2] = { 0 }, flags;
	bool ok[2];
	const uint8_t *v;
	struct span s;
	size_t i, vn;
	int err, m;

	if (!db || !path || !n || !val || !vlen)
		return -EINVAL;
	/* Meta 1 sits one page in, and the page size is in meta 0. */
	ok[0] = meta_at(d.base, len, 0, &ps[0], &root[0], &tx[0]);
	ok[1] = ok[0] && meta_at(d.base, len, ps[0], &ps[1], &root[1], &tx[1]);
	if (!ok[0])
		return -EINVAL;
	m = ok[1] && tx[1] > tx[0] ? 1 : 0;
	d.psize = ps[m];
	err = page_at(&d, root[m], &s);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = find(&d, s, path[i], &flags, &v, &vn);
		if (err)
			return err;
		if (i == n - 1) {
			if (flags & LEAF_BUCKET)
				return -ENOENT;	/* a bucket, not a value */
			*val = v;
			*vlen = vn;
			return 0;
		}
		if (!(flags & LEAF_BUCKET))
			return -ENOENT;
		err = bucket_root(&d, v, vn, &s);
		if (err)
			return err;
	}
	return -ENOENT;
}
