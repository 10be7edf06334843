/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Helpers shared by the libFuzzer harnesses. A harness checks what the
 * parser promises, not only that it survives: a broken promise calls
 * FUZZ_CHECK(), which aborts so libFuzzer saves the input.
 */
#ifndef CTOP_FUZZ_H
#define CTOP_FUZZ_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include <sys/stat.h>
#include <unistd.h>

#define FUZZ_CHECK(cond)                                                                     \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__,   \
				#cond);                                                      \
			abort();                                                             \
		}                                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A string field is NUL-terminated inside its array. */
static inline bool fuzz_terminated(const char *s, size_t len)
{
	return memchr(s, '\0', len) != NULL;
}

/* No C0 control byte and no DEL: what reaches the screen unfiltered. */
static inline bool fuzz_no_controls(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/*
 * Names are kept exactly as the runtime wrote them (JSON must not lose
 * anything); the promise is at the edge where text leaves for a terminal:
 * what ctop_fmt_safe() makes of s carries no control (C0, DEL, C1), no
 * bidirectional override or isolate and no invisible character, and in a
 * non-UTF-8 locale no byte from 0x80.
 */
static inline bool fuzz_shown_safe(const char *s)
{
	static const char *const bad[] = {
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
		"\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9", "\xe2\x80\x8b",
		"\xe2\x80\x8c", "\xe2\x80\x8d", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xef\xbb\xbf",
	};
	char u[4096], a[4096];
	const char *p;
	size_t i;

	ctop_fmt_safe(u, sizeof(u), s, true);
	ctop_fmt_safe(a, sizeof(a), s, false);
	if (!fuzz_no_controls(u) || !fuzz_no_controls(a))
		return false;
	for (p = a; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return false;
	for (p = u; (p = strchr(p, '\xc2')); p++)
		if ((unsigned char)p[1] >= 0x80 && (unsigned char)p[1] < 0xa0)
			return false;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(u, bad[i]))
			return false;
	return true;
}

/* The input as a C string, which the caller frees. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* mkdir -p of the folder that will hold path (path is modified and restored). */
static inline void fuzz_mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			perror(path);
			abort();
		}
		*p = '/';
	}
}

/*
 * A fresh folder under $TMPDIR that stands for "/" in the readers that
 * take a root. It is removed at exit; a crash leaves it behind.
 */
static char fuzz_root[256];

static inline int fuzz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static inline void fuzz_rm_root(void)
{
	if (fuzz_root[0])
		nftw(fuzz_root, fuzz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline const char *fuzz_make_root(void)
{
	const char *tmp = getenv("TMPDIR");

	/* Memory, when there is no choice: the readers' I/O is most of the time. */
	if (!tmp || !*tmp)
		tmp = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	snprintf(fuzz_root, sizeof(fuzz_root), "%s/ctop-fuzz-XXXXXX", tmp);
	if (!mkdtemp(fuzz_root)) {
		perror("mkdtemp");
		abort();
	}
	atexit(fuzz_rm_root);
	return fuzz_root;
}

/* Writes data to root + rel (rel starts with "/"), making its folders. */
static inline void fuzz_write(const char *root, const char *rel, const uint8_t *data, size_t size)
{
	char path[1024];
	size_t off = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	fuzz_mkdirs(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror(path);
		abort();
	}
	while (off < size) {
		n = write(fd, data + off, size - off);
		if (n <= 0) {
			perror(path);
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
}

#endif /* CTOP_FUZZ_H */
