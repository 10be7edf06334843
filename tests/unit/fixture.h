/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A fixture file read whole, for the Criterion tests that compare with one. */
#ifndef CTOP_TEST_FIXTURE_H
#define CTOP_TEST_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * $CTOP_FIXTURES/<rel> (tests/fixtures by default), NUL-terminated, its
 * length in *len unless len is NULL; the caller frees it.
 */
static inline char *fixture_slurp(const char *rel, size_t *len)
{
	const char *base = getenv("CTOP_FIXTURES");
	char path[512];
	long n;
	char *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base && *base ? base : "tests/fixtures", rel);
	f = fopen(path, "rb");
	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	cr_assert(s);
	cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return s;
}

#endif /* CTOP_TEST_FIXTURE_H */
