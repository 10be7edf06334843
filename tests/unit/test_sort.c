// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snapshot.h"

static const char *const names[CTOP_SORT__COUNT] = {
	[CTOP_SORT_CPU] = "cpu",     [CTOP_SORT_RSS] = "rss", [CTOP_SORT_DREAD] = "dread",
	[CTOP_SORT_DWRITE] = "dwrite", [CTOP_SORT_DISK] = "disk", [CTOP_SORT_RX] = "rx",
	[CTOP_SORT_TX] = "tx",	     [CTOP_SORT_NET] = "net", [CTOP_SORT_PIDS] = "pids",
	[CTOP_SORT_NAME] = "name",   [CTOP_SORT_SREAD] = "bread", [CTOP_SORT_SWRITE] = "bwrite",
	[CTOP_SORT_MEM] = "mem",     [CTOP_SORT_MEM_LIMIT] = "memlimit",
	[CTOP_SORT_MEM_PCT] = "mempct", [CTOP_SORT_CPU_LIMIT] = "cpulimit",
	[CTOP_SORT_THROTTLED] = "throttle", [CTOP_SORT_THROTTLED_S] = "throttled",
	[CTOP_SORT_PSI_CPU] = "psicpu", [CTOP_SORT_PSI_MEM] = "psimem", [CTOP_SORT_PSI_IO] = "psiio",
	[CTOP_SORT_OOM] = "oom",     [CTOP_SORT_CFS_PERIODS] = "periods",
	[CTOP_SORT_CFS_THROTTLED] = "tperiods", [CTOP_SORT_CPU_QUOTA] = "quota",
	[CTOP_SORT_CPU_PERIOD] = "period", [CTOP_SORT_START] = "start",
};

Test(sort_key, parse_every_name)
{
	enum ctop_sort_key k;
	int i;

	for (i = 0; i < CTOP_SORT__COUNT; i++) {
		k = CTOP_SORT__COUNT;
		cr_assert_eq(ctop_sort_key_parse(names[i], &k), 0, "%s", names[i]);
		cr_assert_eq(k, (enum ctop_sort_key)i, "%s", names[i]);
		cr_assert_str_eq(ctop_sort_key_name((enum ctop_sort_key)i), names[i]);
	}
}

Test(sort_key, parse_rejects_unknown)
{
	static const char *const bad[] = { "", "CPU", "cpu ", " cpu", "memory", "c", "names" };
	enum ctop_sort_key k = CTOP_SORT_RSS;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(ctop_sort_key_parse(bad[i], &k), -EINVAL, "'%s'", bad[i]);
		cr_assert_eq(k, CTOP_SORT_RSS, "'%s' changed *out", bad[i]);
	}
	cr_assert_eq(ctop_sort_key_parse(NULL, &k), -EINVAL);
	cr_assert_eq(k, CTOP_SORT_RSS);
}

/* ---- containers ---- */

static struct ctop_container rows[8];
static const struct ctop_container *rv[8];

static void row(size_t i, const char *name, const char *id, double cpu, double rss, double dr,
		double dw, double rx, double tx, uint32_t pids)
{
	memset(&rows[i], 0, sizeof(rows[i]));
	snprintf(rows[i].name, sizeof(rows[i].name), "%s", name);
	snprintf(rows[i].id, sizeof(rows[i].id), "%s", id);
	rows[i].m[CTOP_M_CPU] = cpu;
	rows[i].m[CTOP_M_RSS] = rss;
	rows[i].m[CTOP_M_DISK_READ] = dr;
	rows[i].m[CTOP_M_DISK_WRITE] = dw;
	rows[i].m[CTOP_M_NET_RX] = rx;
	rows[i].m[CTOP_M_NET_TX] = tx;
	rows[i].pids = pids;
}

/* The row names in the order sorted, joined with spaces. */
static const char *corder(size_t n, enum ctop_sort_key k, bool reverse)
{
	static char s[256];
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		rv[i] = &rows[i];
	ctop_sort_containers(rv, n, k, reverse);
	s[0] = '\0';
	for (i = 0; i < n; i++)
		o += snprintf(s + o, sizeof(s) - o, "%s%s", i ? " " : "", rv[i]->name);
	return s;
}

/*
 * Values chosen so that every key gives a different order, and so that
 * the sums (DISK, NET) disagree with either of their parts.
 */
static void four_rows(void)
{
	/*        name  id   cpu  rss  dr  dw  rx  tx  pids */
	row(0, "alpha", "a1", 10, 400, 10, 0, 1, 9, 3);
	row(1, "bravo", "b1", 40, 100, 0, 8, 7, 0, 1);
	row(2, "charlie", "c1", 20, 300, 5, 6, 0, 8, 4);
	row(3, "delta", "d1", 30, 200, 1, 1, 6, 3, 2);
}

Test(sort_containers, each_numeric_key_largest_first)
{
	four_rows();
	cr_assert_str_eq(corder(4, CTOP_SORT_CPU, false), "bravo delta charlie alpha");
	cr_assert_str_eq(corder(4, CTOP_SORT_RSS, false), "alpha charlie delta bravo");
	cr_assert_str_eq(corder(4, CTOP_SORT_DREAD, false), "alpha charlie delta bravo");
	cr_assert_str_eq(corder(4, CTOP_SORT_DWRITE, false), "bravo charlie delta alpha");
	/* read + write: 10, 8, 11, 2 */
	cr_assert_str_eq(corder(4, CTOP_SORT_DISK, false), "charlie alpha bravo delta");
	cr_assert_str_eq(corder(4, CTOP_SORT_RX, false), "bravo delta alpha charlie");
	cr_assert_str_eq(corder(4, CTOP_SORT_TX, false), "alpha charlie delta bravo");
	/* rx + tx: 10, 7, 8, 9 */
	cr_assert_str_eq(corder(4, CTOP_SORT_NET, false), "alpha delta charlie bravo");
	cr_assert_str_eq(corder(4, CTOP_SORT_PIDS, false), "charlie alpha delta bravo");
}

Test(sort_containers, name_a_to_z)
{
	row(0, "mango", "1", 90, 0, 0, 0, 0, 0, 0);
	row(1, "apple", "2", 10, 0, 0, 0, 0, 0, 0);
	row(2, "zebra", "3", 50, 0, 0, 0, 0, 0, 0);
	row(3, "kiwi", "4", 0, 0, 0, 0, 0, 0, 0);
	cr_assert_str_eq(corder(4, CTOP_SORT_NAME, false), "apple kiwi mango zebra");
	cr_assert_str_eq(corder(4, CTOP_SORT_NAME, true), "zebra mango kiwi apple");
}

Test(sort_containers, reverse_flips_every_key)
{
	char fwd[256], *w[8];
	int k, n, i;

	four_rows();
	for (k = 0; k < CTOP_SORT__COUNT; k++) {
		snprintf(fwd, sizeof(fwd), "%s", corder(4, (enum ctop_sort_key)k, false));
		corder(4, (enum ctop_sort_key)k, true);
		/* Split the forward order and compare it backwards. */
		n = 0;
		for (char *t = strtok(fwd, " "); t; t = strtok(NULL, " "))
			w[n++] = t;
		cr_assert_eq(n, 4);
		for (i = 0; i < n; i++)
			cr_assert_str_eq(rv[i]->name, w[n - 1 - i], "key %s", names[k]);
	}
}

Test(sort_containers, ties_by_name_then_id)
{
	row(0, "web", "id-3", 5, 0, 0, 0, 0, 0, 0);
	row(1, "db", "id-9", 5, 0, 0, 0, 0, 0, 0);
	row(2, "web", "id-1", 5, 0, 0, 0, 0, 0, 0);
	row(3, "cache", "id-0", 7, 0, 0, 0, 0, 0, 0);
	row(4, "web", "id-2", 5, 0, 0, 0, 0, 0, 0);
	corder(5, CTOP_SORT_CPU, false);
	cr_assert_str_eq(rv[0]->id, "id-0");
	cr_assert_str_eq(rv[1]->id, "id-9");
	cr_assert_str_eq(rv[2]->id, "id-1");
	cr_assert_str_eq(rv[3]->id, "id-2");
	cr_assert_str_eq(rv[4]->id, "id-3");
	/* Sorting by name: equal names fall back to the id. */
	corder(5, CTOP_SORT_NAME, false);
	cr_assert_str_eq(rv[0]->id, "id-0");
	cr_assert_str_eq(rv[1]->id, "id-9");
	cr_assert_str_eq(rv[2]->id, "id-1");
	cr_assert_str_eq(rv[3]->id, "id-2");
	cr_assert_str_eq(rv[4]->id, "id-3");
}

Test(sort_containers, empty_and_single)
{
	row(0, "only", "x", 1, 0, 0, 0, 0, 0, 0);
	ctop_sort_containers(rv, 0, CTOP_SORT_CPU, false);
	cr_assert_str_eq(corder(1, CTOP_SORT_CPU, true), "only");
}

/* An independent order: every adjacent pair must respect it. */
static int ref_key(const struct ctop_container *c, enum ctop_sort_key k, double *v)
{
	switch (k) {
	case CTOP_SORT_CPU: *v = c->m[CTOP_M_CPU]; break;
	case CTOP_SORT_RSS: *v = c->m[CTOP_M_RSS]; break;
	case CTOP_SORT_DREAD: *v = c->m[CTOP_M_DISK_READ]; break;
	case CTOP_SORT_DWRITE: *v = c->m[CTOP_M_DISK_WRITE]; break;
	case CTOP_SORT_DISK: *v = c->m[CTOP_M_DISK_READ] + c->m[CTOP_M_DISK_WRITE]; break;
	case CTOP_SORT_RX: *v = c->m[CTOP_M_NET_RX]; break;
	case CTOP_SORT_TX: *v = c->m[CTOP_M_NET_TX]; break;
	case CTOP_SORT_NET: *v = c->m[CTOP_M_NET_RX] + c->m[CTOP_M_NET_TX]; break;
	case CTOP_SORT_SREAD: *v = c->m[CTOP_M_STORAGE_READ]; break;
	case CTOP_SORT_SWRITE: *v = c->m[CTOP_M_STORAGE_WRITE]; break;
	case CTOP_SORT_PIDS: *v = c->pids; break;
	default: return 0;
	}
	return 1;
}

static bool ref_before_or_eq(const struct ctop_container *a, const struct ctop_container *b,
			     enum ctop_sort_key k)
{
	double x, y;
	int r;

	if (ref_key(a, k, &x)) {
		ref_key(b, k, &y);
		if (x != y)
			return x > y;
	}
	r = strcmp(a->name, b->name);	/* lower-case names only in this test */
	if (r)
		return r < 0;
	return strcmp(a->id, b->id) <= 0;
}

Test(sort_containers, random_rows_total_order)
{
	enum { N = 300 };
	static struct ctop_container big[N];
	const struct ctop_container *v[N], *w[N];
	unsigned seed = 12345;
	int round, k, i, j;

	for (i = 0; i < N; i++) {
		memset(&big[i], 0, sizeof(big[i]));
		/* Few distinct values, so ties are common. */
		snprintf(big[i].name, sizeof(big[i].name), "n%d", rand_r(&seed) % 7);
		snprintf(big[i].id, sizeof(big[i].id), "%04d", i);
		for (j = 0; j < CTOP_M__COUNT; j++)
			big[i].m[j] = rand_r(&seed) % 4;
		big[i].pids = (uint32_t)(rand_r(&seed) % 3);
	}
	for (round = 0; round < 4; round++) {
		for (k = 0; k < CTOP_SORT__COUNT; k++) {
			for (i = 0; i < N; i++)
				v[i] = &big[i];
			/* A different starting order each round must give the same result. */
			for (i = N - 1; i > 0; i--) {
				const struct ctop_container *t;

				j = rand_r(&seed) % (i + 1);
				t = v[i], v[i] = v[j], v[j] = t;
			}
			ctop_sort_containers(v, N, (enum ctop_sort_key)k, false);
			for (i = 1; i < N; i++)
				cr_assert(ref_before_or_eq(v[i - 1], v[i], (enum ctop_sort_key)k),
					  "key %s: %s/%s before %s/%s", names[k], v[i - 1]->name,
					  v[i - 1]->id, v[i]->name, v[i]->id);
			memcpy(w, v, sizeof(w));
			ctop_sort_containers(v, N, (enum ctop_sort_key)k, true);
			for (i = 0; i < N; i++)
				cr_assert_eq(v[i], w[N - 1 - i], "key %s reversed at %d", names[k], i);
		}
	}
}

/* ---- processes ---- */

static struct ctop_proc procs[8];
static const struct ctop_proc *pv[8];

static void proc(size_t i, uint32_t pid, const char *comm, double cpu, double rss, double dr,
		 double dw, double rx, double tx, uint32_t nthreads)
{
	memset(&procs[i], 0, sizeof(procs[i]));
	procs[i].pid = pid;
	snprintf(procs[i].comm, sizeof(procs[i].comm), "%s", comm);
	procs[i].m[CTOP_M_CPU] = cpu;
	procs[i].m[CTOP_M_RSS] = rss;
	procs[i].m[CTOP_M_DISK_READ] = dr;
	procs[i].m[CTOP_M_DISK_WRITE] = dw;
	procs[i].m[CTOP_M_NET_RX] = rx;
	procs[i].m[CTOP_M_NET_TX] = tx;
	procs[i].nthreads = nthreads;
}

static const char *porder(size_t n, enum ctop_sort_key k, bool reverse)
{
	static char s[256];
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		pv[i] = &procs[i];
	ctop_sort_procs(pv, n, k, reverse);
	s[0] = '\0';
	for (i = 0; i < n; i++)
		o += snprintf(s + o, sizeof(s) - o, "%s%u", i ? " " : "", pv[i]->pid);
	return s;
}

static void four_procs(void)
{
	/*         pid  comm      cpu  rss  dr  dw  rx  tx  threads */
	proc(0, 10, "sh", 10, 400, 10, 0, 1, 9, 3);
	proc(1, 20, "nginx", 40, 100, 0, 8, 7, 0, 1);
	proc(2, 30, "bash", 20, 300, 5, 6, 0, 8, 4);
	proc(3, 40, "redis", 30, 200, 1, 1, 6, 3, 2);
}

Test(sort_procs, each_key)
{
	four_procs();
	cr_assert_str_eq(porder(4, CTOP_SORT_CPU, false), "20 40 30 10");
	cr_assert_str_eq(porder(4, CTOP_SORT_RSS, false), "10 30 40 20");
	cr_assert_str_eq(porder(4, CTOP_SORT_DREAD, false), "10 30 40 20");
	cr_assert_str_eq(porder(4, CTOP_SORT_DWRITE, false), "20 30 40 10");
	cr_assert_str_eq(porder(4, CTOP_SORT_DISK, false), "30 10 20 40");
	cr_assert_str_eq(porder(4, CTOP_SORT_RX, false), "20 40 10 30");
	cr_assert_str_eq(porder(4, CTOP_SORT_TX, false), "10 30 40 20");
	cr_assert_str_eq(porder(4, CTOP_SORT_NET, false), "10 40 30 20");
	/* PIDS means the thread count for a process. */
	cr_assert_str_eq(porder(4, CTOP_SORT_PIDS, false), "30 10 40 20");
	/* NAME means comm, A to Z. */
	cr_assert_str_eq(porder(4, CTOP_SORT_NAME, false), "30 20 40 10");
}

Test(sort_procs, reverse_and_pid_ties)
{
	proc(0, 300, "w", 5, 0, 0, 0, 0, 0, 1);
	proc(1, 7, "w", 5, 0, 0, 0, 0, 0, 1);
	proc(2, 4000, "w", 9, 0, 0, 0, 0, 0, 1);
	proc(3, 12, "w", 5, 0, 0, 0, 0, 0, 1);
	proc(4, 65536, "w", 5, 0, 0, 0, 0, 0, 1);
	/* Numeric pid order, not the order of the decimal strings. */
	cr_assert_str_eq(porder(5, CTOP_SORT_CPU, false), "4000 7 12 300 65536");
	cr_assert_str_eq(porder(5, CTOP_SORT_CPU, true), "65536 300 12 7 4000");
	cr_assert_str_eq(porder(5, CTOP_SORT_NAME, false), "7 12 300 4000 65536");
	cr_assert_str_eq(porder(5, CTOP_SORT_NAME, true), "65536 4000 300 12 7");
}

Test(sort_procs, large_values_do_not_overflow)
{
	/* Values far beyond int range: a comparator returning a difference would break. */
	proc(0, 1, "a", 0, 5e12, 0, 0, 0, 0, 0);
	proc(1, 2, "b", 0, 3e12 + 1, 0, 0, 0, 0, 0);
	proc(2, 3, "c", 0, 3e12, 0, 0, 0, 0, 0);
	proc(3, 4, "d", 0, 8e18, 0, 0, 0, 0, 0);
	cr_assert_str_eq(porder(4, CTOP_SORT_RSS, false), "4 1 2 3");
}

/* ---- filters ---- */

Test(filter, container_name_id_image_case_insensitive)
{
	struct ctop_container c;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "Web-Frontend");
	snprintf(c.id, sizeof(c.id), "3f2a9c0d11");
	snprintf(c.image, sizeof(c.image), "nginx:1.25-Alpine");
	snprintf(c.runtime, sizeof(c.runtime), "docker");
	snprintf(c.cgroup, sizeof(c.cgroup), "/system.slice/mysvc");

	cr_assert(ctop_filter_container(&c, NULL));
	cr_assert(ctop_filter_container(&c, ""));
	cr_assert(ctop_filter_container(&c, "web"));
	cr_assert(ctop_filter_container(&c, "FRONTEND"));
	cr_assert(ctop_filter_container(&c, "b-f"));
	cr_assert(ctop_filter_container(&c, "3F2A"));
	cr_assert(ctop_filter_container(&c, "9c0d"));
	cr_assert(ctop_filter_container(&c, "alpine"));
	cr_assert(ctop_filter_container(&c, "NGINX:1.25"));
	cr_assert_not(ctop_filter_container(&c, "backend"));
	cr_assert_not(ctop_filter_container(&c, "web frontend"));
	/* Only name, id, image, pod and namespace count. */
	cr_assert_not(ctop_filter_container(&c, "docker"));
	cr_assert_not(ctop_filter_container(&c, "mysvc"));
	cr_assert_not(ctop_filter_container(&c, "shop"));
	snprintf(c.pod, sizeof(c.pod), "cart-7d9f");
	snprintf(c.ns, sizeof(c.ns), "Shop");
	cr_assert(ctop_filter_container(&c, "shop"), "the namespace");
	cr_assert(ctop_filter_container(&c, "CART-7"), "the pod");
}

/* Two pods' sandboxes, both named POD by Kubernetes, are told apart. */
Test(filter, a_row_is_labelled_with_its_pod)
{
	struct ctop_container a, b;
	char la[300], lb[300];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	snprintf(a.name, sizeof(a.name), "POD");
	snprintf(b.name, sizeof(b.name), "POD");
	snprintf(a.pod, sizeof(a.pod), "web-1");
	snprintf(b.pod, sizeof(b.pod), "db-0");
	cr_assert_str_eq(ctop_container_label(&a, la, sizeof(la)), "web-1/POD");
	cr_assert_str_eq(ctop_container_label(&b, lb, sizeof(lb)), "db-0/POD");
	b.pod[0] = '\0';
	cr_assert_str_eq(ctop_container_label(&b, lb, sizeof(lb)), "POD", "no pod: the name");
	b.name[0] = '\0';
	snprintf(b.id, sizeof(b.id), "abc");
	cr_assert_str_eq(ctop_container_label(&b, lb, sizeof(lb)), "abc", "no name: the id");
	b.is_host = true;
	cr_assert_str_eq(ctop_container_label(&b, lb, sizeof(lb)), "[host]");
}

Test(filter, proc_comm_cmdline_pid)
{
	struct ctop_proc p;

	memset(&p, 0, sizeof(p));
	p.pid = 31245;
	snprintf(p.comm, sizeof(p.comm), "Postgres");
	snprintf(p.cmdline, sizeof(p.cmdline), "/usr/lib/postgresql/bin/postgres -D /DATA");

	cr_assert(ctop_filter_proc(&p, NULL));
	cr_assert(ctop_filter_proc(&p, ""));
	cr_assert(ctop_filter_proc(&p, "postgres"));
	cr_assert(ctop_filter_proc(&p, "POSTGRES"));
	cr_assert(ctop_filter_proc(&p, "/data"));
	cr_assert(ctop_filter_proc(&p, "-d /d"));
	cr_assert(ctop_filter_proc(&p, "31245"));
	cr_assert(ctop_filter_proc(&p, "124"));
	cr_assert_not(ctop_filter_proc(&p, "31246"));
	cr_assert_not(ctop_filter_proc(&p, "mysql"));

	/* A kernel thread has no cmdline: only comm and pid match. */
	p.pid = 2;
	snprintf(p.comm, sizeof(p.comm), "kthreadd");
	p.cmdline[0] = '\0';
	cr_assert(ctop_filter_proc(&p, "KTHREAD"));
	cr_assert(ctop_filter_proc(&p, "2"));
	cr_assert_not(ctop_filter_proc(&p, "postgres"));
}
