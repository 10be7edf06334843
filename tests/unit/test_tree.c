// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tree.h"

static struct ctop_proc procs[16];
static const struct ctop_proc *ptrs[16];
static struct ctop_tree tree;

static void add(size_t i, uint32_t pid, uint32_t ppid, const char *comm, double cpu)
{
	memset(&procs[i], 0, sizeof(procs[i]));
	procs[i].pid = pid;
	procs[i].ppid = ppid;
	snprintf(procs[i].comm, sizeof(procs[i].comm), "%s", comm);
	procs[i].m[CTOP_M_CPU] = cpu;
	ptrs[i] = &procs[i];
}

static void setup(void)
{
	ctop_tree_init(&tree);
}

static void teardown(void)
{
	ctop_tree_fini(&tree);
}

/* "comm:depth:last" for each row, joined with spaces. */
static const char *shape(void)
{
	static char s[1024];
	size_t i, o = 0;

	s[0] = '\0';
	for (i = 0; i < tree.nrows; i++)
		o += snprintf(s + o, sizeof(s) - o, "%s%s:%u%s", i ? " " : "", tree.rows[i].proc->comm,
			      tree.rows[i].depth, tree.rows[i].last ? "L" : "");
	return s;
}

TestSuite(tree, .init = setup, .fini = teardown);

Test(tree, empty)
{
	cr_assert_eq(ctop_tree_build(&tree, ptrs, 0, CTOP_SORT_CPU, false, false), 0);
	cr_assert_eq(tree.nrows, 0);
}

/*
 * init(1) -> sh(10) -> {a(20, cpu 5), b(21, cpu 9) -> c(30)}, plus an orphan
 * whose parent (999) is outside the container: it is a root.
 */
static size_t family(void)
{
	add(0, 20, 10, "a", 5);
	add(1, 30, 21, "c", 0);
	add(2, 1, 0, "init", 0);
	add(3, 21, 10, "b", 9);
	add(4, 10, 1, "sh", 1);
	add(5, 50, 999, "orphan", 50);
	return 6;
}

Test(tree, by_cpu)
{
	size_t n = family();

	cr_assert_eq(ctop_tree_build(&tree, ptrs, n, CTOP_SORT_CPU, false, false), 0);
	cr_assert_str_eq(shape(), "orphan:0 init:0L sh:1L b:2 c:3L a:2L");
	cr_assert_eq(tree.rows[0].parent, CTOP_TREE_NO_PARENT);
	cr_assert_eq(tree.rows[3].parent, 2);
	cr_assert_eq(tree.rows[4].parent, 3);
}

Test(tree, reverse_and_name)
{
	size_t n = family();

	cr_assert_eq(ctop_tree_build(&tree, ptrs, n, CTOP_SORT_CPU, true, false), 0);
	cr_assert_str_eq(shape(), "init:0 sh:1L a:2 b:2L c:3L orphan:0L");
	cr_assert_eq(ctop_tree_build(&tree, ptrs, n, CTOP_SORT_NAME, false, false), 0);
	cr_assert_str_eq(shape(), "init:0 sh:1L a:2 b:2L c:3L orphan:0L");
}

Test(tree, flat)
{
	size_t n = family();

	cr_assert_eq(ctop_tree_build(&tree, ptrs, n, CTOP_SORT_CPU, false, true), 0);
	cr_assert_str_eq(shape(), "orphan:0 b:0 a:0 sh:0 init:0 c:0L");
}

Test(tree, prefix_utf8_and_ascii)
{
	char buf[256];
	size_t n = family();

	cr_assert_eq(ctop_tree_build(&tree, ptrs, n, CTOP_SORT_CPU, false, false), 0);
	/* orphan, init, sh, b, c, a */
	cr_assert_eq(ctop_tree_prefix(&tree, 0, true, 80, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "");
	cr_assert_eq(ctop_tree_prefix(&tree, 2, true, 80, buf, sizeof(buf)), 3);
	cr_assert_str_eq(buf, "└─ ");
	ctop_tree_prefix(&tree, 3, true, 80, buf, sizeof(buf));
	cr_assert_str_eq(buf, "   ├─ ");
	cr_assert_eq(ctop_tree_prefix(&tree, 4, true, 80, buf, sizeof(buf)), 9);
	cr_assert_str_eq(buf, "   │  └─ ");
	ctop_tree_prefix(&tree, 5, true, 80, buf, sizeof(buf));
	cr_assert_str_eq(buf, "   └─ ");
	ctop_tree_prefix(&tree, 4, false, 80, buf, sizeof(buf));
	cr_assert_str_eq(buf, "   |  `- ");
	ctop_tree_prefix(&tree, 3, false, 80, buf, sizeof(buf));
	cr_assert_str_eq(buf, "   |- ");
	/* too narrow: the levels next to the name stay */
	cr_assert_eq(ctop_tree_prefix(&tree, 4, true, 7, buf, sizeof(buf)), 6);
	cr_assert_str_eq(buf, "│  └─ ");
	cr_assert_eq(ctop_tree_prefix(&tree, 4, true, 2, buf, sizeof(buf)), 0);
	cr_assert_eq(ctop_tree_prefix(&tree, 99, true, 80, buf, sizeof(buf)), 0);
}

Test(tree, self_parent_and_duplicates_are_roots)
{
	add(0, 7, 7, "self", 0);
	add(1, 8, 0, "zero", 0);
	cr_assert_eq(ctop_tree_build(&tree, ptrs, 2, CTOP_SORT_NAME, false, false), 0);
	cr_assert_str_eq(shape(), "self:0 zero:0L");
}

Test(tree, cycle_listed_once)
{
	add(0, 2, 3, "b", 1);
	add(1, 3, 2, "c", 2);
	add(2, 4, 3, "d", 0);
	add(3, 9, 1, "x", 0);
	cr_assert_eq(ctop_tree_build(&tree, ptrs, 4, CTOP_SORT_CPU, false, false), 0);
	/* x is a real root; the b<->c cycle breaks at c, the busier */
	cr_assert_str_eq(shape(), "x:0 c:0L b:1 d:1L");
	cr_assert_eq(tree.nrows, 4);
}

Test(tree, long_chain_no_recursion)
{
	size_t n = 10000, i;
	struct ctop_proc *v = calloc(n, sizeof(*v));
	const struct ctop_proc **p = calloc(n, sizeof(*p));
	char buf[512];

	cr_assert(v && p);
	/* shuffled order: pid i+1 is the child of pid i */
	for (i = 0; i < n; i++) {
		size_t j = (i * 7919) % n;

		v[j].pid = (uint32_t)i + 1;
		v[j].ppid = (uint32_t)i;
		p[j] = &v[j];
	}
	cr_assert_eq(ctop_tree_build(&tree, p, n, CTOP_SORT_CPU, false, false), 0);
	cr_assert_eq(tree.nrows, n);
	for (i = 0; i < n; i++) {
		cr_assert_eq(tree.rows[i].depth, i);
		cr_assert_eq(tree.rows[i].proc->pid, i + 1);
	}
	cr_assert_eq(ctop_tree_prefix(&tree, n - 1, true, 30, buf, sizeof(buf)), 30);
	/* a full cycle of 10,000: still every process once */
	v[(0 * 7919) % n].ppid = (uint32_t)n;
	cr_assert_eq(ctop_tree_build(&tree, p, n, CTOP_SORT_CPU, false, false), 0);
	cr_assert_eq(tree.nrows, n);
	free(v);
	free(p);
}

Test(tree, reuse_grows_and_shrinks)
{
	size_t n = family();

	for (int k = 0; k < 3; k++) {
		cr_assert_eq(ctop_tree_build(&tree, ptrs, n, CTOP_SORT_RSS, false, false), 0);
		cr_assert_eq(tree.nrows, n);
		cr_assert_eq(ctop_tree_build(&tree, ptrs, 2, CTOP_SORT_RSS, false, false), 0);
		cr_assert_eq(tree.nrows, 2);
	}
}
