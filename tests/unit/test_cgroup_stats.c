// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A container's limits and accounting from its cgroup files: the parsers
 * on the kernel's formats, and the reader on fixture directories laid out
 * as cgroup v2 and as the v1 controllers of a hybrid host.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cgroup_stats.h"

#define S(text) text, strlen(text)

static char fix[4096];

static const char *fixture(const char *sub)
{
	const char *root = getenv("CTOP_FIXTURES");

	snprintf(fix, sizeof(fix), "%s/cgroups/%s", root ? root : "tests/fixtures", sub);
	return strdup(fix);
}

Test(parse, key_lines)
{
	uint64_t v = 0;

	cr_expect_eq(ctop_cg_parse_key(S("anon 5\ninactive_file 42\n"), "inactive_file", &v), 0);
	cr_expect_eq(v, 42);
	cr_expect_eq(ctop_cg_parse_key(S("total_inactive_file 7\n"), "inactive_file", &v), -ENOENT,
		     "a key is the whole first word");
	cr_expect_eq(ctop_cg_parse_key(S("oom_kill x\n"), "oom_kill", &v), -EINVAL);
	cr_expect_eq(ctop_cg_parse_key(S("oom_kill 99999999999999999999\n"), "oom_kill", &v),
		     -EINVAL, "too big");
	cr_expect_eq(ctop_cg_parse_key(S("nr_periods 3"), "nr_periods", &v), 0, "no newline");
	cr_expect_eq(v, 3);
}

Test(parse, max_and_cpu_max)
{
	uint64_t v = 1, q = 1, p = 1;
	bool unl = false;

	cr_expect_eq(ctop_cg_parse_max(S("max\n"), &v, &unl), 0);
	cr_expect(unl);
	cr_expect_eq(ctop_cg_parse_max(S("1048576\n"), &v, &unl), 0);
	cr_expect(!unl);
	cr_expect_eq(v, 1048576);
	cr_expect_eq(ctop_cg_parse_max(S("12k\n"), &v, &unl), -EINVAL);
	cr_expect_eq(ctop_cg_parse_cpu_max(S("max 100000\n"), &q, &p, &unl), 0);
	cr_expect(unl);
	cr_expect_eq(p, 100000);
	cr_expect_eq(ctop_cg_parse_cpu_max(S("50000 100000\n"), &q, &p, &unl), 0);
	cr_expect(!unl);
	cr_expect_eq(q, 50000);
	cr_expect_eq(ctop_cg_parse_cpu_max(S("50000\n"), &q, &p, &unl), -EINVAL);
	cr_expect_eq(ctop_cg_parse_cpu_max(S("50000 0\n"), &q, &p, &unl), -EINVAL);
}

Test(parse, psi_and_cpulist)
{
	double a = -1;
	uint32_t n = 0;

	cr_expect_eq(ctop_cg_parse_psi_some(S("some avg10=12.34 avg60=1.00 avg300=0 total=5\n"),
					    &a), 0);
	cr_expect(fabs(a - 12.34) < 1e-9);
	cr_expect_eq(ctop_cg_parse_psi_some(S("full avg10=1.00\n"), &a), -EINVAL);
	cr_expect_eq(ctop_cg_parse_psi_some(S("some avg10=101.00 x\n"), &a), -EINVAL);
	cr_expect_eq(ctop_cg_parse_cpulist(S("0-3,8,10-11\n"), &n), 0);
	cr_expect_eq(n, 7);
	cr_expect_eq(ctop_cg_parse_cpulist(S("5\n"), &n), 0);
	cr_expect_eq(n, 1);
	cr_expect_eq(ctop_cg_parse_cpulist(S("3-1\n"), &n), -EINVAL);
	cr_expect_eq(ctop_cg_parse_cpulist(S("0-,1\n"), &n), -EINVAL);
}

Test(read, v2_with_limits)
{
	struct ctop_cg_dirs d = { .v2 = fixture("v2-limited") };
	struct ctop_cg_stats s;

	ctop_cg_stats_read(&d, NULL, 0, &s);
	cr_expect_eq(s.have & CTOP_CGS_MEM, CTOP_CGS_MEM);
	cr_expect_eq(s.mem_bytes, 268435456 - 50331648, "memory.current less inactive_file");
	cr_expect_eq(s.mem_limit_bytes, 536870912);
	cr_expect(s.have & CTOP_CGS_CPU_QUOTA);
	cr_expect_eq(s.cpu_quota_us, 50000);
	cr_expect_eq(s.cpu_period_us, 100000);
	cr_expect(s.have & CTOP_CGS_THROTTLE);
	cr_expect_eq(s.nr_periods, 200);
	cr_expect_eq(s.nr_throttled, 50);
	cr_expect_eq(s.throttled_ns, 2500000000ULL);
	cr_expect_eq(s.cpuset_cpus, 2);
	cr_expect(fabs(s.psi_cpu_some - 12.34) < 1e-9);
	cr_expect(s.have & CTOP_CGS_PSI_MEM);
	cr_expect(fabs(s.psi_io_some - 99.99) < 1e-9);
	cr_expect_eq(s.oom_kills, 2);
	cr_expect_eq(s.state, CTOP_STATE_PAUSED);
	free((void *)d.v2);
}

Test(read, v2_without_controllers_gives_no_figures_it_lacks)
{
	struct ctop_cg_dirs d = { .v2 = fixture("v2-bare") };
	struct ctop_cg_stats s;

	ctop_cg_stats_read(&d, NULL, 0, &s);
	cr_expect_eq(s.have & (CTOP_CGS_MEM | CTOP_CGS_MEM_LIMIT | CTOP_CGS_CPU_QUOTA |
			       CTOP_CGS_THROTTLE | CTOP_CGS_OOM | CTOP_CGS_PSI_IO), 0,
		     "have %#x", s.have);
	cr_expect(s.have & CTOP_CGS_PSI_CPU);
	cr_expect_eq(s.state, CTOP_STATE_RUNNING);
	cr_expect(s.have & CTOP_CGS_STATE);
	free((void *)d.v2);
}

/* A hybrid host's folders: v2 without the controllers, which v1 has. */
static struct ctop_cg_dirs hybrid_dirs(void)
{
	return (struct ctop_cg_dirs){
		.v2 = fixture("v2-bare"),
		.v1_memory = fixture("v1/memory"),
		.v1_cpu = fixture("v1/cpu"),
		.v1_cpuset = fixture("v1/cpuset"),
		.v1_freezer = fixture("v1/freezer"),
	};
}

static void hybrid_free(struct ctop_cg_dirs *d)
{
	free((void *)d->v2);
	free((void *)d->v1_memory);
	free((void *)d->v1_cpu);
	free((void *)d->v1_cpuset);
	free((void *)d->v1_freezer);
}

Test(read, v1_controllers_of_a_hybrid_host)
{
	struct ctop_cg_dirs d = hybrid_dirs();
	struct ctop_cg_stats s;

	ctop_cg_stats_read(&d, NULL, 0, &s);
	cr_expect_eq(s.mem_bytes, 104857600 - 4194304);
	cr_expect_eq(s.have & CTOP_CGS_MEM_LIMIT, 0, "v1's huge limit is none");
	cr_expect_eq(s.oom_kills, 1);
	cr_expect_eq(s.cpu_quota_us, 150000);
	cr_expect_eq(s.cpu_period_us, 100000);
	cr_expect_eq(s.nr_throttled, 4);
	cr_expect_eq(s.throttled_ns, 3000000);
	cr_expect_eq(s.cpuset_cpus, 7);
	cr_expect_eq(s.state, CTOP_STATE_PAUSED, "v1 freezer FROZEN");
	hybrid_free(&d);
}

/* The exporter's read: every figure but the run state, whose files stay unread. */
Test(read, no_state_leaves_only_the_state_out)
{
	struct ctop_cg_dirs d = hybrid_dirs();
	struct ctop_cg_stats all, s;

	ctop_cg_stats_read(&d, NULL, 0, &all);
	d.no_state = true;
	ctop_cg_stats_read(&d, NULL, 0, &s);
	cr_expect(all.have & CTOP_CGS_STATE);
	cr_expect_eq(s.have, all.have & ~(uint32_t)CTOP_CGS_STATE);
	cr_expect_eq(s.state, CTOP_STATE_RUNNING);
	cr_expect_eq(s.mem_bytes, all.mem_bytes);
	cr_expect_eq(s.oom_kills, all.oom_kills);
	cr_expect_eq(s.throttled_ns, all.throttled_ns);
	cr_expect_eq(s.cpuset_cpus, all.cpuset_cpus);
	hybrid_free(&d);
}

Test(read, missing_directories_give_nothing)
{
	struct ctop_cg_dirs d = { .v2 = "/nonexistent/cg" };
	struct ctop_cg_stats s;

	ctop_cg_stats_read(&d, NULL, 0, &s);
	cr_expect_eq(s.have, 0);
}

/* A file of dir rewritten whole, as the kernel's would read anew. */
static void put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert(f, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/*
 * Kept open, a file is read afresh from its start every time, and one that
 * is not there is looked for again after a while. (A removed cgroup's open
 * files fail with ENODEV, which makes the reader open them again: cgroupfs
 * alone does that, so the e2e tests' removed containers check it.)
 */
#define SEC 1000000000ULL

/* The n files put() made in dir, and dir. */
static void rm_files(const char *dir, const char *const *names, size_t n)
{
	char path[4096];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

Test(read, open_files_read_anew)
{
	char tmpl[] = "/tmp/ctop-cgfiles-XXXXXX";
	struct ctop_cg_dirs d = { .v2 = mkdtemp(tmpl) };
	struct ctop_cg_files *f = NULL;
	struct ctop_cg_stats s;
	char err[64];
	int i;

	cr_assert(d.v2);
	cr_assert_eq(ctop_cg_files_new(&f, err, sizeof(err)), 0);
	put(d.v2, "memory.current", "1000\n");
	put(d.v2, "memory.stat", "anon 1\ninactive_file 100\n");
	ctop_cg_stats_read(&d, f, 0, &s);
	cr_expect_eq(s.mem_bytes, 900);
	cr_expect_eq(s.have & CTOP_CGS_MEM_LIMIT, 0, "no memory.max yet");
	/* longer, then shorter than before: nothing of the last read stays */
	put(d.v2, "memory.current", "123456789\n");
	put(d.v2, "memory.stat", "inactive_file 9\n");
	ctop_cg_stats_read(&d, f, 0, &s);
	cr_expect_eq(s.mem_bytes, 123456780);
	put(d.v2, "memory.current", "50\n");
	ctop_cg_stats_read(&d, f, 0, &s);
	cr_expect_eq(s.mem_bytes, 41);
	/* a file that appears is seen within the retry period (a limit: 1 s reads) */
	put(d.v2, "memory.max", "4096\n");
	for (i = 0; i < 40 && !(s.have & CTOP_CGS_MEM_LIMIT); i++)
		ctop_cg_stats_read(&d, f, (uint64_t)(i + 1) * SEC, &s);
	cr_expect(s.have & CTOP_CGS_MEM_LIMIT, "memory.max not found after %d reads", i);
	cr_expect_eq(s.mem_limit_bytes, 4096);
	cr_expect_gt(i, 1, "absent files are not looked for at every read");
	ctop_cg_files_free(f);
	ctop_cg_files_free(NULL);
	rm_files(d.v2, (const char *const[]){ "memory.current", "memory.stat", "memory.max" }, 3);
}

/*
 * PSI is read again only once the kernel may have a new avg10 (it computes
 * one every 2 s), the limits every 10 s; in between the last ones stay,
 * and a new cgroup's files read everything at once.
 */
Test(read, psi_and_limits_read_less_often)
{
	char tmpl[] = "/tmp/ctop-cgsched-XXXXXX";
	struct ctop_cg_dirs d = { .v2 = mkdtemp(tmpl) };
	static const char *const names[] = { "memory.current", "memory.max", "cpu.max",
					     "cpu.pressure" };
	struct ctop_cg_files *f = NULL, *g = NULL;
	struct ctop_cg_stats s;
	uint64_t t0 = SEC;	/* a clock near 0: a first read is due whatever the clock says */
	char err[64];

	cr_assert(d.v2);
	cr_assert_eq(ctop_cg_files_new(&f, err, sizeof(err)), 0);
	put(d.v2, "memory.current", "1000\n");
	put(d.v2, "memory.max", "4096\n");
	put(d.v2, "cpu.max", "50000 100000\n");
	put(d.v2, "cpu.pressure", "some avg10=1.50 avg60=0.00 avg300=0.00 total=1\n");
	ctop_cg_stats_read(&d, f, t0, &s);
	cr_expect_float_eq(s.psi_cpu_some, 1.5, 1e-9);
	cr_expect_eq(s.mem_limit_bytes, 4096);
	put(d.v2, "cpu.pressure", "some avg10=7.25 avg60=0.00 avg300=0.00 total=2\n");
	put(d.v2, "memory.max", "8192\n");
	put(d.v2, "cpu.max", "max 100000\n");
	put(d.v2, "memory.current", "2000\n");
	ctop_cg_stats_read(&d, f, t0 + SEC, &s);
	cr_expect_eq(s.mem_bytes, 2000, "usage is read every time");
	cr_expect(s.have & CTOP_CGS_PSI_CPU, "the kept PSI is shown");
	cr_expect_float_eq(s.psi_cpu_some, 1.5, 1e-9, "PSI read again within 2 s");
	cr_expect(s.have & CTOP_CGS_MEM_LIMIT);
	cr_expect_eq(s.mem_limit_bytes, 4096, "a limit read again within 10 s");
	cr_expect(s.have & CTOP_CGS_CPU_QUOTA);
	cr_expect_eq(s.cpu_quota_us, 50000);
	ctop_cg_stats_read(&d, f, t0 + 2 * SEC, &s);
	cr_expect_float_eq(s.psi_cpu_some, 7.25, 1e-9, "PSI not read again after 2 s");
	cr_expect_eq(s.mem_limit_bytes, 4096);
	/* a new cgroup's files (a new container) read all at once */
	cr_assert_eq(ctop_cg_files_new(&g, err, sizeof(err)), 0);
	ctop_cg_stats_read(&d, g, t0 + 2 * SEC, &s);
	cr_expect_eq(s.mem_limit_bytes, 8192, "a new container's limit not read at once");
	cr_expect_eq(s.have & CTOP_CGS_CPU_QUOTA, 0);
	cr_expect_float_eq(s.psi_cpu_some, 7.25, 1e-9);
	ctop_cg_stats_read(&d, f, t0 + 10 * SEC, &s);
	cr_expect_eq(s.mem_limit_bytes, 8192, "a limit not read again after 10 s");
	cr_expect_eq(s.have & CTOP_CGS_CPU_QUOTA, 0, "a quota removed is not seen after 10 s");
	ctop_cg_files_free(f);
	ctop_cg_files_free(g);
	rm_files(d.v2, names, sizeof(names) / sizeof(names[0]));
}

/*
 * cpu.stat's CFS counters stand still without a quota: read at the limits'
 * reads only, exact since the kernel runs no period timer then; with a
 * quota, every read.
 */
Test(read, cfs_counters_read_while_a_quota_is_set)
{
	char tmpl[] = "/tmp/ctop-cgcfs-XXXXXX";
	struct ctop_cg_dirs d = { .v2 = mkdtemp(tmpl) };
	static const char *const names[] = { "cpu.max", "cpu.stat" };
	struct ctop_cg_files *f = NULL;
	struct ctop_cg_stats s;
	uint64_t t0 = SEC;
	char err[64];

	cr_assert(d.v2);
	cr_assert_eq(ctop_cg_files_new(&f, err, sizeof(err)), 0);
	put(d.v2, "cpu.max", "max 100000\n");
	put(d.v2, "cpu.stat", "usage_usec 9\nnr_periods 7\nnr_throttled 3\nthrottled_usec 5\n");
	ctop_cg_stats_read(&d, f, t0, &s);
	cr_assert(s.have & CTOP_CGS_THROTTLE, "the first read has the counters");
	cr_expect_eq(s.nr_periods, 7);
	cr_expect_eq(s.throttled_ns, 5000);
	put(d.v2, "cpu.stat", "usage_usec 9\nnr_periods 8\nnr_throttled 4\nthrottled_usec 6\n");
	ctop_cg_stats_read(&d, f, t0 + SEC, &s);
	cr_expect(s.have & CTOP_CGS_THROTTLE, "the kept counters are shown");
	cr_expect_eq(s.nr_periods, 7, "cpu.stat read again without a quota");
	cr_expect_eq(s.nr_throttled, 3);
	cr_expect_eq(s.throttled_ns, 5000);
	/* a quota set: seen at the next limits read, then cpu.stat every read */
	put(d.v2, "cpu.max", "50000 100000\n");
	ctop_cg_stats_read(&d, f, t0 + 10 * SEC, &s);
	cr_expect_eq(s.nr_periods, 8, "cpu.stat not read with the limits");
	put(d.v2, "cpu.stat", "usage_usec 9\nnr_periods 9\nnr_throttled 5\nthrottled_usec 7\n");
	ctop_cg_stats_read(&d, f, t0 + 11 * SEC, &s);
	cr_expect_eq(s.nr_periods, 9, "cpu.stat not read every time under a quota");
	cr_expect_eq(s.nr_throttled, 5);
	cr_expect_eq(s.throttled_ns, 7000);
	ctop_cg_files_free(f);
	rm_files(d.v2, names, sizeof(names) / sizeof(names[0]));
}
