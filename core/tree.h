/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The process tree of one container, as ordered rows ready to draw: a
 * depth, the row of the parent, and whether the row is the last of its
 * siblings. Built without recursion, so a 10,000-long chain of forks or a
 * cycle in bad ppid data cannot overflow the stack or loop.
 */
#ifndef CTOP_TREE_H
#define CTOP_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "snapshot.h"

#define CTOP_TREE_NO_PARENT SIZE_MAX

struct ctop_tree_row {
	const struct ctop_proc *proc;	/* borrowed from the caller's array */
	size_t parent;			/* row index, or CTOP_TREE_NO_PARENT */
	uint32_t depth;			/* 0 for roots */
	bool last;			/* no later sibling (roots: no later root) */
};

/* Set up with ctop_tree_init(); the buffers are reused by every build. */
struct ctop_tree {
	struct ctop_tree_row *rows;	/* nrows rows in display order */
	size_t nrows;
	size_t cap;			/* processes the buffers hold */
	void *work;			/* scratch for ctop_tree_build() */
};

void ctop_tree_init(struct ctop_tree *t);
void ctop_tree_fini(struct ctop_tree *t);

/*
 * Orders procs[0..n) (borrowed; they must outlive the rows). A process
 * whose ppid is not among them, or is itself, is a root. Roots, and the
 * children of each process, are sorted with ctop_sort_procs(k, reverse).
 * Processes caught in a ppid cycle are still listed exactly once: the
 * first of them in sort order becomes a root. flat: no tree, one sorted
 * list of depth 0. Returns 0 or -ENOMEM (the rows are then empty).
 */
int ctop_tree_build(struct ctop_tree *t, const struct ctop_proc *const *procs, size_t n,
		    enum ctop_sort_key k, bool reverse, bool flat);

/*
 * The branches to draw before row i's name, e.g. "│  ├─ " (utf8) or
 * "|  `- " (ASCII): two columns wide plus a space per level, roots get "".
 * At most max_cols display columns are used: deeper levels are cut from
 * the left, leaving the branch next to the name. Returns the display
 * width written.
 */
size_t ctop_tree_prefix(const struct ctop_tree *t, size_t i, bool utf8, size_t max_cols,
			char *buf, size_t len);

#endif /* CTOP_TREE_H */
