// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The cgroup file parsers (memory.stat, memory.max, cpu.max, *.pressure,
 * cpuset lists) on any bytes, not NUL-terminated. The kernel writes these
 * files, but a parser must hold whatever it is given: no read past the
 * bytes, and results within what the formats allow.
 */
#include <errno.h>
#include "cgroup_stats.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	uint64_t v, q, p;
	uint32_t n;
	double a;
	bool unl;
	int r;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	r = ctop_cg_parse_key(buf, size, "inactive_file", &v);
	FUZZ_CHECK(r == 0 || r == -ENOENT || r == -EINVAL);
	if (!r)
		FUZZ_CHECK(memmem(buf, size, "inactive_file", 13) != NULL);
	r = ctop_cg_parse_max(buf, size, &v, &unl);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (!r && unl)
		FUZZ_CHECK(v == 0);
	r = ctop_cg_parse_cpu_max(buf, size, &q, &p, &unl);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (!r)
		FUZZ_CHECK(p > 0);
	r = ctop_cg_parse_psi_some(buf, size, &a);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	if (!r)
		FUZZ_CHECK(a >= 0 && a < 101);
	r = ctop_cg_parse_cpulist(buf, size, &n);
	FUZZ_CHECK(r == 0 || r == -EINVAL);
	free(buf);
	return 0;
}
