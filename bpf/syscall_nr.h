/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The system calls the sys_exit hook counts, by architecture: x86_64 from
 * arch/x86/entry/syscalls/syscall_64.tbl, arm64 from the generic table
 * (include/uapi/asm-generic/unistd.h). Only 64-bit tasks' calls are read
 * (see compat_syscall() in compat.bpf.h).
 */
#ifndef CTOP_SYSCALL_NR_H
#define CTOP_SYSCALL_NR_H

#if defined(__TARGET_ARCH_x86)
#define NR_read			0
#define NR_write		1
#define NR_pread64		17
#define NR_pwrite64		18
#define NR_readv		19
#define NR_writev		20
#define NR_sendfile		40
#define NR_sendto		44
#define NR_recvfrom		45
#define NR_sendmsg		46
#define NR_recvmsg		47
#define NR_splice		275
#define NR_preadv		295
#define NR_pwritev		296
#define NR_recvmmsg		299
#define NR_sendmmsg		307
#define NR_copy_file_range	326
#define NR_preadv2		327
#define NR_pwritev2		328
#elif defined(__TARGET_ARCH_arm64)
#define NR_read			63
#define NR_write		64
#define NR_readv		65
#define NR_writev		66
#define NR_pread64		67
#define NR_pwrite64		68
#define NR_preadv		69
#define NR_pwritev		70
#define NR_sendfile		71
#define NR_splice		76
#define NR_sendto		206
#define NR_recvfrom		207
#define NR_sendmsg		211
#define NR_recvmsg		212
#define NR_recvmmsg		243
#define NR_sendmmsg		269
#define NR_copy_file_range	285
#define NR_preadv2		286
#define NR_pwritev2		287
#else
#error "ctop-bpf supports x86_64 and arm64"
#endif

#endif /* CTOP_SYSCALL_NR_H */
