/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Kernel layout differences, each named by the change that made it. */
#ifndef CTOP_COMPAT_BPF_H
#define CTOP_COMPAT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>

/*
 * Linux 6.2 (f1a7941243c1, "mm: convert mm's rss stats into percpu_counter")
 * turned mm->rss_stat from `struct mm_rss_stat { atomic_long_t count[4]; }`
 * into `struct percpu_counter rss_stat[4]`. Reading `.count` alone is what
 * /proc's VmRSS does too (percpu_counter_read_positive), so the two agree.
 */
struct mm_rss_stat___old {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));

struct mm_struct___old {
	struct mm_rss_stat___old rss_stat;
} __attribute__((preserve_access_index));

struct mm_struct___new {
	struct percpu_counter rss_stat[4];
} __attribute__((preserve_access_index));

/* MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES: the members VmRSS adds up. */
static __always_inline long mm_rss_pages(struct mm_struct *mm)
{
	long file, anon, shmem;

	/* mm is a BTF pointer: direct loads, relocated by CO-RE. */
	if (bpf_core_type_exists(struct mm_rss_stat)) {
		struct mm_struct___old *o = (void *)mm;

		file = o->rss_stat.count[0].counter;
		anon = o->rss_stat.count[1].counter;
		shmem = o->rss_stat.count[3].counter;
	} else {
		struct mm_struct___new *n = (void *)mm;

		file = n->rss_stat[0].count;
		anon = n->rss_stat[1].count;
		shmem = n->rss_stat[3].count;
	}
	/* Per-CPU batching can leave a member briefly negative. */
	if (file < 0)
		file = 0;
	if (anon < 0)
		anon = 0;
	if (shmem < 0)
		shmem = 0;
	return file + anon + shmem;
}

#endif /* CTOP_COMPAT_BPF_H */
