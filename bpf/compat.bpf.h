/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel differences, each named by the change that made it. The oldest
 * kernel this file serves is 5.10 (Debian 11); the loader picks programs
 * by what the running kernel's BTF has, this file keeps each program
 * correct on every layout.
 *
 * Two objects are built from ctop.bpf.c. The legacy one (CTOP_LEGACY) is
 * for kernels that lack any of:
 *  - task storage for tracing programs, 5.11 (a5fe9e2c1f5d, "bpf: Implement
 *    task local storage");
 *  - atomic exchange and compare-and-exchange, 5.12 (5ffa25502b5a, "bpf: Add
 *    instructions for atomic_[cmp]xchg");
 *  - bpf_loop(), 5.17 (e6f2dd0f8067, "bpf: Add bpf_loop helper");
 *  - bpf_get_current_task_btf(), 5.11 (3ca1032ab7ab).
 * Without exchange there is no hand-over of a counter between the
 * iterator and the exit hooks, so the legacy object reports running
 * totals instead and userspace takes the differences (ctop.h says how).
 */
#ifndef CTOP_COMPAT_BPF_H
#define CTOP_COMPAT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define READ_ONCE(x)	(*(volatile typeof(x) *)&(x))

/*
 * Linux 6.2 (f1a7941243c1, "mm: convert mm's rss stats into percpu_counter")
 * turned mm->rss_stat from `struct mm_rss_stat { atomic_long_t count[4]; }`
 * into `struct percpu_counter rss_stat[4]`. Reading `.count` alone is what
 * /proc's VmRSS does too (percpu_counter_read_positive), so the two agree.
 *
 * The test is on the ___old flavour: a vmlinux.h from 6.2+ only
 * forward-declares struct mm_rss_stat, and bpf_core_type_exists() on a
 * forward declaration is 0 even where the kernel has the type. The old
 * branch reads through BPF_CORE_READ: 6.1's verifier refuses plain loads
 * of atomic_long_t members through a relocated flavour pointer.
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

/*
 * A percpu_counter's .count alone is short by what still sits in each
 * CPU's part, up to the batch per CPU: 8% for a container of 300 small
 * processes, tens of MiB on a big host. VmRSS sums the parts since 6.16
 * (get_mm_counter_sum() in task_mem()), and so do we: a part is at its
 * per-CPU pointer plus the CPU's offset, as per_cpu_ptr() computes.
 * __per_cpu_offset is not in kallsyms without CONFIG_KALLSYMS_ALL, so the
 * offsets are found from a per-CPU array of our own: its raw per-CPU
 * pointer (bpf_array.pptrs[0]) against what bpf_map_lookup_percpu_elem()
 * (6.0, 07343110b293) returns for each CPU. Since 6.5
 * (percpu_counter_init_many()) an mm's counters sit side by side and one
 * read per CPU takes them all; where they do not, .count alone is used.
 *
 * Each read is a plain load where the kernel has bpf_rdonly_cast() (6.2,
 * "bpf: Add a kfunc for generic type cast"): a number cast to a kernel
 * struct is read with a faulting load, at a third of what
 * bpf_probe_read_kernel() costs here. The struct is any kernel
 * one of two 8-byte scalars (timespec64). The loader sets rss_cast where
 * the kfunc exists; elsewhere the verifier drops the branch as dead code.
 */
const volatile __u32 nr_cpus = 1;	/* possible CPUs, set by the loader */
const volatile bool rss_central;	/* .count alone: for the bench's comparison */
const volatile bool rss_cast;		/* bpf_rdonly_cast() is there */
__u64 cpu_off[CTOP_MAX_CPUS];		/* each CPU's per-CPU offset, found once */
__u64 pcpu_addr;			/* scratch: a pointer becomes a number */
bool cpu_off_set;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} pcpu_probe SEC(".maps");

static __always_inline bool find_cpu_offsets(void)
{
	struct bpf_array *a;
	__u64 raw;
	__u32 i, zero = 0;

	if (cpu_off_set)
		return true;
	if (nr_cpus > CTOP_MAX_CPUS)
		return false;
	/* Stored and read back, a pointer is a plain number. */
	pcpu_addr = (__u64)(void *)&pcpu_probe;
	a = (struct bpf_array *)READ_ONCE(pcpu_addr);
	if (bpf_probe_read_kernel(&raw, sizeof(raw), &a->pptrs[0]) || !raw)
		return false;
	for (i = 0; i < nr_cpus && i < CTOP_MAX_CPUS; i++) {
		pcpu_addr = (__u64)bpf_map_lookup_percpu_elem(&pcpu_probe, &zero, i);
		if (!READ_ONCE(pcpu_addr))
			return false;
		cpu_off[i] = READ_ONCE(pcpu_addr) - raw;
	}
	cpu_off_set = true;
	return true;
}

#ifndef CTOP_LEGACY
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/* The four s32 parts at addr, through two 8-byte loads. */
static __always_inline void pcpu_parts_cast(__u64 addr, __s32 v[4])
{
	struct timespec64 *p = bpf_rdonly_cast((void *)addr,
					       bpf_core_type_id_kernel(struct timespec64));
	__u64 w[2] = { p->tv_sec, p->tv_nsec };

	__builtin_memcpy(v, w, sizeof(w));
}
#endif

/* The four s32 parts at addr; false if they cannot be read. */
static __always_inline bool pcpu_parts(__u64 addr, __s32 v[4])
{
#ifndef CTOP_LEGACY
	if (rss_cast) {
		pcpu_parts_cast(addr, v);
		return true;
	}
#endif
	return !bpf_probe_read_kernel(v, 4 * sizeof(*v), (void *)addr);
}

/* MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES: the members VmRSS adds up. */
static __always_inline long mm_rss_pages(struct mm_struct *mm)
{
	long file, anon, shmem;
	__u64 parts;
	__s32 v[4];
	__u32 i;

	if (bpf_core_type_exists(struct mm_rss_stat___old)) {
		struct mm_struct___old *o = (void *)mm;

		file = BPF_CORE_READ(o, rss_stat.count[0].counter);
		anon = BPF_CORE_READ(o, rss_stat.count[1].counter);
		shmem = BPF_CORE_READ(o, rss_stat.count[3].counter);
	} else {
		struct mm_struct___new *n = (void *)mm;

		file = n->rss_stat[0].count;
		anon = n->rss_stat[1].count;
		shmem = n->rss_stat[3].count;
		/* Through a global, not a probe read: the cheaper way to a number. */
		pcpu_addr = (__u64)(void *)n->rss_stat[0].counters;
		parts = READ_ONCE(pcpu_addr);
		pcpu_addr = (__u64)(void *)n->rss_stat[3].counters;
		if (!rss_central && parts && READ_ONCE(pcpu_addr) == parts + 3 * sizeof(__s32) &&
		    find_cpu_offsets()) {
			for (i = 0; i < nr_cpus && i < CTOP_MAX_CPUS; i++) {
				if (!pcpu_parts(parts + cpu_off[i], v))
					continue;
				file += v[0];
				anon += v[1];
				shmem += v[3];
			}
		}
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

/*
 * The tracepoint's second argument, group_dead, is new: 6.18 has it, 6.1
 * and 6.12 do not, and refuse a program that reads it ("func
 * 'sched_process_exit' doesn't have 2-th argument"). do_exit() decides group_dead by decrementing
 * signal->live before the tracepoint fires, so a live count of 0 there
 * says the same on every kernel. (Two last threads exiting at once may
 * both see 0: the callers only delete and announce, which is harmless
 * twice.)
 */
static __always_inline bool exit_group_dead(struct task_struct *p)
{
	return p->signal->live.counter == 0;
}

/*
 * The current task. Before 5.11 only as a plain address, whose fields
 * must be read with probes: KREAD() is a plain load through a BTF
 * pointer, and a CO-RE probe read in the legacy object.
 */
#ifdef CTOP_LEGACY
#define current_task()	((struct task_struct *)bpf_get_current_task())
#define KREAD(p, f)	BPF_CORE_READ(p, f)
#else
#define current_task()	bpf_get_current_task_btf()
#define KREAD(p, f)	((p)->f)
#endif

/*
 * The file behind fd, or NULL. fds[] is read with a probe: the index is
 * a user value. bpf_rdonly_cast() would make the rest plain loads, but
 * it is a kfunc of 6.2 ("bpf: Add a kfunc for generic type cast") and
 * absent on 6.1, so the rest
 * goes through BPF_CORE_READ too.
 */
static __always_inline struct file *fd_file(struct task_struct *t, unsigned long fd)
{
	struct files_struct *files = KREAD(t, files);
	struct fdtable *fdt = KREAD(files, fdt);
	struct file **fds;
	struct file *f;

	if (fd >= KREAD(fdt, max_fds))
		return NULL;
	fds = KREAD(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

/*
 * A 32-bit task's system calls have their own numbers (ia32: 19 is
 * lseek, 45 is brk), so the sys_exit hook must skip them rather than
 * read their results as bytes. x86 marks a compat call in
 * thread_info.status (TS_COMPAT); arm64 runs AArch32 tasks with
 * PSR_MODE32_BIT in pstate. The VFS and socket probes see no syscall
 * numbers and count 32-bit tasks like any other.
 */
#if defined(__TARGET_ARCH_x86)
#define TS_COMPAT		0x0002
static __always_inline bool compat_syscall(struct task_struct *t, struct pt_regs *regs)
{
	return KREAD(t, thread_info.status) & TS_COMPAT;
}
#define SYSCALL_NR(regs)	((regs)->orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define PSR_MODE32_BIT		0x00000010
static __always_inline bool compat_syscall(struct task_struct *t, struct pt_regs *regs)
{
	return regs->pstate & PSR_MODE32_BIT;
}
#define SYSCALL_NR(regs)	((regs)->syscallno)
#else
#error "ctop-bpf supports x86_64 and arm64"
#endif

#endif /* CTOP_COMPAT_BPF_H */
