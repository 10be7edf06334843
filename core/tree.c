// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The drill-down's process tree: pure, iterative, reuses its buffers. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tree.h"

#define NONE SIZE_MAX

/* Scratch arrays, one allocation, all sized for cap processes. */
struct tree_work {
	size_t *bypid;		/* proc indexes sorted by pid */
	size_t *parent;		/* proc index of the parent, or NONE */
	size_t *first;		/* cap + 1: children of i are kids[first[i] .. first[i + 1]) */
	size_t *cursor;		/* next child of i to visit */
	size_t *rowof;		/* row of proc i, or NONE while unvisited */
	size_t *stack;
	const struct ctop_proc **kids;	/* roots, then each process's children */
	struct ptr_idx {
		uintptr_t p;
		size_t i;
	} *byptr;		/* pointer -> index, sorted by pointer */
};

void ctop_tree_init(struct ctop_tree *t)
{
	memset(t, 0, sizeof(*t));
}

void ctop_tree_fini(struct ctop_tree *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t->work);
	memset(t, 0, sizeof(*t));
}

static int tree_reserve(struct ctop_tree *t, size_t n)
{
	struct ctop_tree_row *rows;
	struct tree_work *w;
	size_t cap;
	char *p;

	if (n <= t->cap && t->work)
		return 0;
	cap = n < 64 ? 64 : n + n / 2;
	if (cap > SIZE_MAX / 16 / sizeof(size_t))
		return -ENOMEM;
	rows = malloc(cap * sizeof(*rows));
	p = malloc(sizeof(*w) + cap * (6 * sizeof(size_t) + sizeof(void *) +
				       sizeof(struct ptr_idx)) + sizeof(size_t));
	if (!rows || !p) {
		free(rows);
		free(p);
		return -ENOMEM;
	}
	w = (struct tree_work *)p;
	p += sizeof(*w);
	/* the struct ptr_idx array first: it has the strictest alignment */
	w->byptr = (struct ptr_idx *)p;
	p += cap * sizeof(struct ptr_idx);
	w->kids = (const struct ctop_proc **)p;
	p += cap * sizeof(void *);
	w->bypid = (size_t *)p;
	w->parent = w->bypid + cap;
	w->cursor = w->parent + cap;
	w->rowof = w->cursor + cap;
	w->stack = w->rowof + cap;
	w->first = w->stack + cap;	/* cap + 1 entries */
	free(t->rows);
	free(t->work);
	t->rows = rows;
	t->work = w;
	t->cap = cap;
	return 0;
}

static int cmp_pid(const void *a, const void *b, void *ctx)
{
	const struct ctop_proc *const *v = ctx;
	uint32_t x = v[*(const size_t *)a]->pid, y = v[*(const size_t *)b]->pid;

	if (x != y)
		return (x > y) - (x < y);
	return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = ((const struct ptr_idx *)a)->p, y = ((const struct ptr_idx *)b)->p;

	return (x > y) - (x < y);
}

/* The first process with this pid, or NONE. */
static size_t find_pid(const struct ctop_proc *const *v, const size_t *bypid, size_t n,
		       uint32_t pid)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[bypid[mid]]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[bypid[lo]]->pid == pid ? bypid[lo] : NONE;
}

static size_t index_of(const struct tree_work *w, size_t n, const struct ctop_proc *p)
{
	uintptr_t key = (uintptr_t)p;
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w->byptr[mid].p < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return w->byptr[lo].i;
}

/* The next child of i not yet shown, from position *pos on; NONE when done. */
static size_t next_child(const struct tree_work *w, size_t n, size_t i, size_t *pos)
{
	size_t c;

	while (*pos < w->first[i + 1]) {
		c = index_of(w, n, w->kids[(*pos)++]);
		if (w->rowof[c] == NONE)
			return c;
	}
	return NONE;
}

static void emit(struct ctop_tree *t, struct tree_work *w, const struct ctop_proc *const *v,
		 size_t i, size_t parent_row, uint32_t depth, bool last)
{
	struct ctop_tree_row *r = &t->rows[t->nrows];

	r->proc = v[i];
	r->parent = parent_row;
	r->depth = depth;
	r->last = last;
	w->rowof[i] = t->nrows++;
}

/* Depth-first from one root, with an explicit stack. */
static void walk(struct ctop_tree *t, struct tree_work *w, const struct ctop_proc *const *v,
		 size_t n, size_t root, bool last)
{
	size_t sp = 0, top, c, look, after;

	emit(t, w, v, root, NONE, 0, last);
	w->cursor[root] = w->first[root];
	w->stack[sp++] = root;
	while (sp) {
		top = w->stack[sp - 1];
		c = next_child(w, n, top, &w->cursor[top]);
		if (c == NONE) {
			sp--;
			continue;
		}
		look = w->cursor[top];
		after = next_child(w, n, top, &look);
		emit(t, w, v, c, w->rowof[top], t->rows[w->rowof[top]].depth + 1, after == NONE);
		w->cursor[c] = w->first[c];
		w->stack[sp++] = c;
	}
}

int ctop_tree_build(struct ctop_tree *t, const struct ctop_proc *const *procs, size_t n,
		    enum ctop_sort_key k, bool reverse, bool flat)
{
	struct tree_work *w;
	size_t i, p, nroots = 0, pos;
	int err;

	t->nrows = 0;
	if (!n)
		return 0;
	err = tree_reserve(t, n);
	if (err)
		return err;
	w = t->work;

	if (flat) {
		memcpy(w->kids, procs, n * sizeof(*procs));
		ctop_sort_procs(w->kids, n, k, reverse);
		for (i = 0; i < n; i++) {
			t->rows[i] = (struct ctop_tree_row){ .proc = w->kids[i],
							     .parent = NONE,
							     .depth = 0,
							     .last = i == n - 1 };
		}
		t->nrows = n;
		return 0;
	}

	for (i = 0; i < n; i++) {
		w->bypid[i] = i;
		w->byptr[i] = (struct ptr_idx){ (uintptr_t)procs[i], i };
		w->rowof[i] = NONE;
	}
	qsort_r(w->bypid, n, sizeof(size_t), cmp_pid, (void *)procs);
	qsort(w->byptr, n, sizeof(w->byptr[0]), cmp_ptr);

	/* Count children; roots go first in kids. */
	memset(w->first, 0, (n + 1) * sizeof(size_t));
	for (i = 0; i < n; i++) {
		p = procs[i]->ppid == procs[i]->pid ? NONE
						    : find_pid(procs, w->bypid, n, procs[i]->ppid);
		w->parent[i] = p == i ? NONE : p;
		if (w->parent[i] == NONE)
			nroots++;
		else
			w->first[w->parent[i]]++;
	}
	/* first[i] becomes the start of i's children, after the roots. */
	pos = nroots;
	for (i = 0; i < n; i++) {
		size_t cnt = w->first[i];

		w->first[i] = pos;
		w->cursor[i] = pos;
		pos += cnt;
	}
	w->first[n] = pos;
	nroots = 0;
	for (i = 0; i < n; i++) {
		p = w->parent[i];
		if (p == NONE)
			w->kids[nroots++] = procs[i];
		else
			w->kids[w->cursor[p]++] = procs[i];
	}
	ctop_sort_procs(w->kids, nroots, k, reverse);
	for (i = 0; i < n; i++)
		ctop_sort_procs(w->kids + w->first[i], w->first[i + 1] - w->first[i], k, reverse);

	for (i = 0; i < nroots; i++)
		walk(t, w, procs, n, index_of(w, n, w->kids[i]), i == nroots - 1);

	/* Whatever is left sits on a ppid cycle: break each at its first in sort order. */
	if (t->nrows < n) {
		const struct ctop_proc **rest = (const struct ctop_proc **)w->stack;
		size_t nrest = 0, *stack_save;

		/* the stack is free between walks: borrow it for the list, then a new one */
		for (i = 0; i < n; i++)
			if (w->rowof[i] == NONE)
				rest[nrest++] = procs[i];
		ctop_sort_procs(rest, nrest, k, reverse);
		stack_save = w->stack;
		w->stack = w->bypid;	/* bypid is no longer needed */
		for (i = 0; i < nrest; i++) {
			p = index_of(w, n, rest[i]);
			if (w->rowof[p] == NONE)
				walk(t, w, procs, n, p, t->nrows + 1 >= n);
		}
		w->stack = stack_save;
		/* the roots' last flags, now that every root is known */
		for (i = 0, p = NONE; i < t->nrows; i++) {
			if (!t->rows[i].depth) {
				t->rows[i].last = false;
				p = i;
			}
		}
		t->rows[p].last = true;
	}
	return 0;
}

size_t ctop_tree_prefix(const struct ctop_tree *t, size_t i, bool utf8, size_t max_cols,
			char *buf, size_t len)
{
	static const char *const g_utf8[4] = { "\u2502  ", "   ", "\u251c\u2500 ", "\u2514\u2500 " };
	static const char *const g_ascii[4] = { "|  ", "   ", "|- ", "`- " };
	const char *const *g = utf8 ? g_utf8 : g_ascii;
	bool later[128];	/* per level shown: does that ancestor have a later sibling? */
	size_t levels, l, row, used = 0, glen;
	const char *s;

	if (len)
		buf[0] = '\0';
	if (i >= t->nrows || !t->rows[i].depth || !len)
		return 0;
	levels = t->rows[i].depth;
	if (levels > max_cols / 3)
		levels = max_cols / 3;
	if (levels > sizeof(later))
		levels = sizeof(later);
	if (!levels)
		return 0;
	/* later[levels - 1] is the row itself; walk up for the ones before it */
	row = i;
	for (l = levels; l-- > 0;) {
		later[l] = !t->rows[row].last;
		row = t->rows[row].parent;
		if (row == NONE)
			break;
	}
	for (l = 0; l < levels; l++) {
		if (l == levels - 1)
			s = g[later[l] ? 2 : 3];
		else
			s = g[later[l] ? 0 : 1];
		glen = strlen(s);
		if (used + glen >= len)
			break;
		memcpy(buf + used, s, glen);
		used += glen;
	}
	buf[used] = '\0';
	return l * 3;
}
