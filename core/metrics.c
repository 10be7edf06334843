// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The metric table, and what can be read off it. */
#include <stdint.h>
#include "format.h"
#include "metrics.h"

#define BOTH (CTOP_ROW_CONTAINER | CTOP_ROW_PROC)

_Static_assert(CTOP_M_STORAGE_WRITE == CTOP_M_IO + CTOP_IO__COUNT - 1,
	       "enum ctop_metric names every IO kind, in order");

/* What the IO rates share: counters of bytes, kept per container since start. */
#define IO_BYTES                                                                              \
	.unit = CTOP_UNIT_BYTES_PER_S, .kind = CTOP_KIND_COUNTER, .rows = BOTH, .width = 8,        \
	.batch_width = 9, .fmt = ctop_fmt_bytes, .om_type = "counter", .om_unit = "bytes",        \
	.om_div = 1

/*
 * Indexed by id, iterated in that order: the order of the columns, the
 * JSON fields and the help's sort keys. .sum: CTOP_SORT__COUNT for none.
 */
static const struct ctop_metric_desc metrics[CTOP_M_MEM] = {
	[CTOP_M_CPU] = {
		.name = "cpu", .json_key = "cpu_pct", .json_total = "cpu_ns_total",
		.unit = CTOP_UNIT_PERCENT, .kind = CTOP_KIND_COUNTER, .rows = BOTH,
		.title = "CPU%", .width = 5, .drop = 0, .batch_width = 6, .fmt = ctop_fmt_pct,
		.sort = CTOP_SORT_CPU, .sort_name = "cpu", .sum = CTOP_SORT__COUNT,
		.graph = "CPU", .graph_role = CTOP_ROLE_GRAPH_CPU,
		.om_name = "container_cpu_usage_seconds_total", .om_type = "counter",
		.om_unit = "seconds", .om_help = "CPU time used by the container's tasks, "
						 "exited ones included, in seconds.",
		.om_div = 1e9, .om_proc_name = "ctop_process_cpu_seconds_total",
		.om_proc_help = "CPU time used by the process's threads, exited ones included, "
				"since ctop-bpf first saw it, in seconds.",
	},
	[CTOP_M_RSS] = {
		.name = "rss", .json_key = "rss_bytes",
		.unit = CTOP_UNIT_BYTES, .kind = CTOP_KIND_GAUGE, .rows = BOTH,
		.title = "RSS", .width = 5, .drop = 2, .batch_width = 6, .fmt = ctop_fmt_bytes,
		.sort = CTOP_SORT_RSS, .sort_name = "rss", .sum = CTOP_SORT__COUNT,
		.graph = "RSS", .graph_role = CTOP_ROLE_GRAPH_MEM,
		/* cAdvisor's name: no _bytes suffix, so no UNIT line */
		.om_name = "container_memory_rss", .om_type = "gauge", .om_unit = "",
		.om_help = "Resident memory of the container's processes (file, anon and shmem, "
			   "as VmRSS) in bytes.",
		.om_div = 1, .om_proc_name = "ctop_process_rss_bytes",
		.om_proc_help = "Resident memory of the process (VmRSS) in bytes.",
	},
	[CTOP_M_DISK_READ] = {
		IO_BYTES, .name = "disk_read", .json_key = "disk_read_Bps",
		.json_total = "disk_read_bytes_total", .probed_by = CTOP_BY_FILE,
		.title = "DISK R/s", .drop = 4,
		.sort = CTOP_SORT_DREAD, .sort_name = "dread", .sum = CTOP_SORT_DISK,
		.graph = "DISK", .graph_role = CTOP_ROLE_GRAPH_DISK,
		.om_name = "ctop_disk_read_bytes_total",
		.om_help = "Bytes read from files and block devices through system calls.",
		.om_proc_name = "ctop_process_disk_read_bytes_total",
		.om_proc_help = "Bytes the process read from files and block devices through system calls, since ctop-bpf first saw it.",
	},
	[CTOP_M_DISK_WRITE] = {
		IO_BYTES, .name = "disk_write", .json_key = "disk_write_Bps",
		.json_total = "disk_write_bytes_total", .probed_by = CTOP_BY_FILE,
		.title = "DISK W/s", .drop = 5,
		.sort = CTOP_SORT_DWRITE, .sort_name = "dwrite", .sum = CTOP_SORT_DISK,
		.graph = "DISK", .graph_role = CTOP_ROLE_GRAPH_DISK,
		.om_name = "ctop_disk_write_bytes_total",
		.om_help = "Bytes written to files and block devices through system calls.",
		.om_proc_name = "ctop_process_disk_write_bytes_total",
		.om_proc_help = "Bytes the process wrote to files and block devices through system calls, since ctop-bpf first saw it.",
	},
	[CTOP_M_NET_RX] = {
		IO_BYTES, .name = "net_rx", .json_key = "net_rx_Bps",
		.json_total = "net_rx_bytes_total", .probed_by = CTOP_BY_NET,
		.title = "NET RX/s", .drop = 6,
		.sort = CTOP_SORT_RX, .sort_name = "rx", .sum = CTOP_SORT_NET,
		.graph = "NET", .graph_role = CTOP_ROLE_GRAPH_NET,
		.om_name = "container_network_receive_bytes_total",
		.om_help = "Bytes received on inet sockets.",
		.om_proc_name = "ctop_process_network_receive_bytes_total",
		.om_proc_help = "Bytes the process received on inet sockets, since ctop-bpf first saw it.",
	},
	[CTOP_M_NET_TX] = {
		IO_BYTES, .name = "net_tx", .json_key = "net_tx_Bps",
		.json_total = "net_tx_bytes_total", .probed_by = CTOP_BY_NET,
		.title = "NET TX/s", .drop = 7,
		.sort = CTOP_SORT_TX, .sort_name = "tx", .sum = CTOP_SORT_NET,
		.graph = "NET", .graph_role = CTOP_ROLE_GRAPH_NET,
		.om_name = "container_network_transmit_bytes_total",
		.om_help = "Bytes sent on inet sockets.",
		.om_proc_name = "ctop_process_network_transmit_bytes_total",
		.om_proc_help = "Bytes the process sent on inet sockets, since ctop-bpf first saw it.",
	},
	[CTOP_M_STORAGE_READ] = {
		IO_BYTES, .name = "storage_read", .json_key = "storage_read_Bps",
		.json_total = "storage_read_bytes_total", .probed_by = CTOP_BY_STORAGE,
		.title = "BLK R/s", .drop = 11,
		.sort = CTOP_SORT_SREAD, .sort_name = "bread", .sum = CTOP_SORT__COUNT,
		.om_name = "container_fs_reads_bytes_total",
		.om_help = "Bytes read from storage, at the block level.",
		.om_proc_name = "ctop_process_fs_reads_bytes_total",
		.om_proc_help = "Bytes the process read from storage, at the block level, since ctop-bpf first saw it.",
	},
	[CTOP_M_STORAGE_WRITE] = {
		IO_BYTES, .name = "storage_write", .json_key = "storage_write_Bps",
		.json_total = "storage_write_bytes_total", .probed_by = CTOP_BY_STORAGE,
		.title = "BLK W/s", .drop = 10,
		.sort = CTOP_SORT_SWRITE, .sort_name = "bwrite", .sum = CTOP_SORT__COUNT,
		.om_name = "container_fs_writes_bytes_total",
		.om_help = "Bytes written to storage, at the block level.",
		.om_proc_name = "ctop_process_fs_writes_bytes_total",
		.om_proc_help = "Bytes the process wrote to storage, at the block level, since ctop-bpf first saw it.",
	},
	[CTOP_M_PIDS] = {
		.name = "pids", .json_key = "pids",
		.unit = CTOP_UNIT_COUNT, .kind = CTOP_KIND_GAUGE, .rows = CTOP_ROW_CONTAINER,
		.flags = CTOP_MF_JSON_EARLY,
		.title = "PIDS", .width = 5, .drop = 8, .batch_width = 5, .fmt = ctop_fmt_count,
		.sort = CTOP_SORT_PIDS, .sort_name = "pids", .sum = CTOP_SORT__COUNT,
		.om_name = "container_processes", .om_type = "gauge", .om_unit = "",
		.om_help = "Live processes (thread-group leaders) in the container.",
		.om_div = 1,
	},
	[CTOP_M_THREADS] = {
		.name = "threads", .json_key = "threads",
		.unit = CTOP_UNIT_COUNT, .kind = CTOP_KIND_GAUGE, .rows = CTOP_ROW_PROC,
		.flags = CTOP_MF_SCREEN_EARLY,
		/* in the batch table it stands under PIDS, the containers' count */
		.title = "THR", .width = 4, .drop = 9, .batch_width = 5, .fmt = ctop_fmt_count,
		/* for processes the pids key sorts by thread count */
		.sort = CTOP_SORT_PIDS, .sort_name = "pids", .sum = CTOP_SORT__COUNT,
		.om_name = "ctop_process_threads", .om_type = "gauge", .om_unit = "",
		.om_help = "Threads of the process.", .om_div = 1,
		.om_proc_name = "ctop_process_threads", .om_proc_help = "Threads of the process.",
	},
	[CTOP_M_START] = {
		/*
		 * A process's task->start_time on the wall clock; a container's is
		 * the earliest of its processes' (see container_start_time_seconds
		 * in the man page for why not the cgroup folder's time).
		 */
		.name = "start", .json_key = "start_time",
		.unit = CTOP_UNIT_UNIX_TIME, .kind = CTOP_KIND_GAUGE, .rows = BOTH,
		.flags = CTOP_MF_ZERO_UNKNOWN,
		.title = "START", .width = 0, .drop = 0, .batch_width = 0, .fmt = ctop_fmt_clock,
		.sort = CTOP_SORT_START, .sort_name = "start", .sum = CTOP_SORT__COUNT,
		.om_name = "container_start_time_seconds", .om_type = "gauge",
		.om_unit = "seconds",
		.om_help = "When the container started: the earliest start of a process seen in "
			   "it, in seconds since the epoch.", .om_div = 1,
		.om_proc_name = "ctop_process_start_time_seconds",
		.om_proc_help = "When the process started, in seconds since the epoch.",
	},
};

/*
 * What the cgroup figures share: one per container, read from its files.
 * Those with no width are in the JSON (and the exporter) only.
 */
#define CGROUP_FIG .rows = CTOP_ROW_CONTAINER, .sum = CTOP_SORT__COUNT

static const struct ctop_metric_desc cgroup_metrics[] = {
	{
		CGROUP_FIG, .name = "mem", .json_key = "mem_bytes",
		.unit = CTOP_UNIT_BYTES, .kind = CTOP_KIND_GAUGE,
		.title = "MEM", .width = 5, .drop = 12, .batch_width = 6, .fmt = ctop_fmt_bytes,
		.sort = CTOP_SORT_MEM, .sort_name = "mem",
		.om_name = "container_memory_working_set_bytes", .om_type = "gauge",
		.om_unit = "bytes",
		.om_help = "The cgroup's memory usage less its inactive file pages, as docker "
			   "stats counts it, in bytes.", .om_div = 1,
	},
	{
		CGROUP_FIG, .name = "mem_limit", .json_key = "mem_limit_bytes",
		.unit = CTOP_UNIT_BYTES, .kind = CTOP_KIND_GAUGE,
		.title = "MEMLIM", .width = 0, .drop = 0, .batch_width = 0, .fmt = ctop_fmt_bytes,
		.sort = CTOP_SORT_MEM_LIMIT, .sort_name = "memlimit",
		.om_name = "container_spec_memory_limit_bytes", .om_type = "gauge",
		.om_unit = "bytes", .om_help = "The cgroup's memory limit in bytes.", .om_div = 1,
	},
	{
		CGROUP_FIG, .name = "mem_pct", .json_key = "mem_pct",
		.unit = CTOP_UNIT_PERCENT, .kind = CTOP_KIND_GAUGE,
		.title = "MEM%", .width = 5, .drop = 13, .batch_width = 6, .fmt = ctop_fmt_pct,
		.sort = CTOP_SORT_MEM_PCT, .sort_name = "mempct",
		.om_name = "ctop_memory_limit_used_ratio", .om_type = "gauge", .om_unit = "ratio",
		.om_help = "The cgroup's memory (as container_memory_working_set_bytes) over "
			   "its limit.", .om_div = 100,
	},
	{
		CGROUP_FIG, .name = "cpu_limit", .json_key = "cpu_limit_pct",
		.unit = CTOP_UNIT_PERCENT, .kind = CTOP_KIND_GAUGE,
		.title = "CPULIM", .width = 0, .drop = 0, .batch_width = 0, .fmt = ctop_fmt_pct,
		.sort = CTOP_SORT_CPU_LIMIT, .sort_name = "cpulimit",
		.om_name = "ctop_cpu_limit_cores", .om_type = "gauge", .om_unit = "",
		.om_help = "The CPU the cgroup may use, in CPUs: its CFS quota over its period, "
			   "or its cpuset's CPUs where that is less.", .om_div = 100,
	},
	{
		CGROUP_FIG, .name = "throttled", .json_key = "cpu_throttled_pct",
		.unit = CTOP_UNIT_PERCENT, .kind = CTOP_KIND_GAUGE,
		.title = "THROT%", .width = 6, .drop = 14, .batch_width = 6, .fmt = ctop_fmt_pct,
		.sort = CTOP_SORT_THROTTLED, .sort_name = "throttle",
		.om_name = "ctop_cpu_throttled_periods_ratio", .om_type = "gauge",
		.om_unit = "ratio",
		.om_help = "The share of the refresh's CFS periods in which the cgroup was "
			   "throttled.", .om_div = 100,
	},
	{
		CGROUP_FIG, .name = "throttled_s", .json_key = "cpu_throttled_s_total",
		.unit = CTOP_UNIT_SECONDS, .kind = CTOP_KIND_CUMULATIVE,
		.title = "THROT-S", .width = 0, .drop = 0, .batch_width = 0,
		.fmt = ctop_fmt_seconds,
		.sort = CTOP_SORT_THROTTLED_S, .sort_name = "throttled",
		.om_name = "container_cpu_cfs_throttled_seconds_total", .om_type = "counter",
		.om_unit = "seconds", .om_help = "Time the cgroup spent throttled, in seconds.", .om_div = 1,
	},
	{
		CGROUP_FIG, .name = "psi_cpu", .json_key = "psi_cpu_some",
		.unit = CTOP_UNIT_PERCENT, .kind = CTOP_KIND_GAUGE,
		.title = "PSI-CPU", .width = 7, .drop = 17, .batch_width = 7, .fmt = ctop_fmt_pct,
		.sort = CTOP_SORT_PSI_CPU, .sort_name = "psicpu",
		.om_name = "ctop_psi_cpu_some_ratio", .om_type = "gauge", .om_unit = "ratio",
		.om_help = "CPU pressure: the share of the last 10 s in which some of the "
			   "cgroup's tasks waited for a CPU.", .om_div = 100,
	},
	{
		CGROUP_FIG, .name = "psi_mem", .json_key = "psi_mem_some",
		.unit = CTOP_UNIT_PERCENT, .kind = CTOP_KIND_GAUGE,
		.title = "PSI-MEM", .width = 0, .drop = 0, .batch_width = 0, .fmt = ctop_fmt_pct,
		.sort = CTOP_SORT_PSI_MEM, .sort_name = "psimem",
		.om_name = "ctop_psi_memory_some_ratio", .om_type = "gauge", .om_unit = "ratio",
		.om_help = "Memory pressure: the share of the last 10 s in which some of the "
			   "cgroup's tasks stalled on memory.", .om_div = 100,
	},
	{
		CGROUP_FIG, .name = "psi_io", .json_key = "psi_io_some",
		.unit = CTOP_UNIT_PERCENT, .kind = CTOP_KIND_GAUGE,
		.title = "PSI-IO", .width = 0, .drop = 0, .batch_width = 0, .fmt = ctop_fmt_pct,
		.sort = CTOP_SORT_PSI_IO, .sort_name = "psiio",
		.om_name = "ctop_psi_io_some_ratio", .om_type = "gauge", .om_unit = "ratio",
		.om_help = "IO pressure: the share of the last 10 s in which some of the "
			   "cgroup's tasks waited for IO.", .om_div = 100,
	},
	{
		CGROUP_FIG, .name = "oom_kills", .json_key = "oom_kills",
		.unit = CTOP_UNIT_COUNT, .kind = CTOP_KIND_CUMULATIVE,
		.title = "OOM", .width = 4, .drop = 20, .batch_width = 4, .fmt = ctop_fmt_count,
		.sort = CTOP_SORT_OOM, .sort_name = "oom",
		.om_name = "container_oom_events_total", .om_type = "counter", .om_unit = "",
		.om_help = "Processes of the cgroup the kernel's OOM killer killed.", .om_div = 1,
	},
	/* cpu.stat and cpu.max as they are, for cAdvisor's CFS series (JSON and exporter only) */
	{
		CGROUP_FIG, .name = "cfs_periods", .json_key = "cpu_cfs_periods_total",
		.unit = CTOP_UNIT_COUNT, .kind = CTOP_KIND_CUMULATIVE, .fmt = ctop_fmt_count,
		.title = "PERIODS", .sort = CTOP_SORT_CFS_PERIODS, .sort_name = "periods",
		.om_name = "container_cpu_cfs_periods_total", .om_type = "counter", .om_unit = "",
		.om_help = "CFS periods that elapsed while the cgroup had runnable tasks.",
		.om_div = 1,
	},
	{
		CGROUP_FIG, .name = "cfs_throttled", .json_key = "cpu_cfs_throttled_periods_total",
		.unit = CTOP_UNIT_COUNT, .kind = CTOP_KIND_CUMULATIVE, .fmt = ctop_fmt_count,
		.title = "THROTTLED", .sort = CTOP_SORT_CFS_THROTTLED, .sort_name = "tperiods",
		.om_name = "container_cpu_cfs_throttled_periods_total", .om_type = "counter",
		.om_unit = "", .om_help = "CFS periods in which the cgroup was throttled.",
		.om_div = 1,
	},
	{
		CGROUP_FIG, .name = "cpu_quota", .json_key = "cpu_quota_us",
		.unit = CTOP_UNIT_COUNT, .kind = CTOP_KIND_GAUGE, .fmt = ctop_fmt_count,
		.title = "QUOTA", .sort = CTOP_SORT_CPU_QUOTA, .sort_name = "quota",
		.om_name = "container_spec_cpu_quota", .om_type = "gauge", .om_unit = "",
		.om_help = "The cgroup's CFS quota per period, in microseconds.", .om_div = 1,
	},
	{
		CGROUP_FIG, .name = "cpu_period", .json_key = "cpu_period_us",
		.unit = CTOP_UNIT_COUNT, .kind = CTOP_KIND_GAUGE, .fmt = ctop_fmt_count,
		.title = "PERIOD", .sort = CTOP_SORT_CPU_PERIOD, .sort_name = "period",
		.om_name = "container_spec_cpu_period", .om_type = "gauge", .om_unit = "",
		.om_help = "The cgroup's CFS period, in microseconds.", .om_div = 1,
	},
};

_Static_assert(sizeof(cgroup_metrics) / sizeof(cgroup_metrics[0]) == CTOP_M__ALL - CTOP_M_MEM,
	       "one entry per cgroup figure");

const struct ctop_metric_desc *ctop_metric_get(enum ctop_metric m)
{
	if ((unsigned)m >= CTOP_M__ALL)
		return NULL;
	return m >= CTOP_M_MEM ? &cgroup_metrics[m - CTOP_M_MEM] : &metrics[m];
}

bool ctop_metric_known(const struct ctop_probes *pr, enum ctop_metric m,
		       const struct ctop_container *c, const struct ctop_proc *p)
{
	if (!ctop_metric_measured(pr, m))
		return false;
	if (ctop_metric_get(m)->flags & CTOP_MF_ZERO_UNKNOWN)
		return ctop_metric_value(m, c, p) > 0;
	return m < CTOP_M_MEM || (!p && c->cgm_known & 1u << (m - CTOP_M_MEM));
}

bool ctop_metric_measured(const struct ctop_probes *p, enum ctop_metric m)
{
	if ((unsigned)m >= CTOP_M__ALL)
		return false;
	switch (ctop_metric_get(m)->probed_by) {
	case CTOP_BY_FILE:
		return p->file != CTOP_PROBE_OFF;
	case CTOP_BY_NET:
		return p->net != CTOP_PROBE_OFF;
	case CTOP_BY_STORAGE:
		return p->storage != CTOP_PROBE_OFF;
	default:
		return true;
	}
}

double ctop_metric_container(enum ctop_metric m, const struct ctop_container *c)
{
	if ((unsigned)m >= CTOP_M__ALL || !(ctop_metric_get(m)->rows & CTOP_ROW_CONTAINER))
		return 0;
	if (m < CTOP_M__COUNT)
		return c->m[m];
	if (m >= CTOP_M_MEM)
		return c->cgm[m - CTOP_M_MEM];
	if (m == CTOP_M_START)
		return c->start_time;
	return m == CTOP_M_PIDS ? c->pids : 0;
}

double ctop_metric_proc(enum ctop_metric m, const struct ctop_proc *p)
{
	if ((unsigned)m >= CTOP_M__ALL || !(ctop_metric_get(m)->rows & CTOP_ROW_PROC))
		return 0;
	if (m < CTOP_M__COUNT)
		return p->m[m];
	if (m == CTOP_M_START)
		return p->start_time;
	return m == CTOP_M_THREADS ? p->nthreads : 0;
}

double ctop_metric_value(enum ctop_metric m, const struct ctop_container *c,
			 const struct ctop_proc *p)
{
	return p ? ctop_metric_proc(m, p) : ctop_metric_container(m, c);
}

uint64_t ctop_metric_total(enum ctop_metric m, const struct ctop_container *c)
{
	if (m == CTOP_M_CPU)
		return c->cpu_ns_total;
	if (m >= CTOP_M_IO && m < CTOP_M_IO + CTOP_IO__COUNT)
		return c->io_total[m - CTOP_M_IO];
	return 0;
}

uint64_t ctop_metric_proc_total(enum ctop_metric m, const struct ctop_proc *p)
{
	if (m == CTOP_M_CPU)
		return p->cpu_ns_total;
	if (m >= CTOP_M_IO && m < CTOP_M_IO + CTOP_IO__COUNT)
		return p->io_total[m - CTOP_M_IO];
	return 0;
}

enum ctop_sort_key ctop_sort_key_at(size_t i)
{
	bool seen[CTOP_SORT__COUNT + 1] = { false };
	enum ctop_sort_key order[CTOP_SORT__COUNT];
	size_t n = 0;
	int m, k;

	seen[CTOP_SORT__COUNT] = true;	/* "no sum" */
	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = ctop_metric_get((enum ctop_metric)m);

		if (!seen[d->sort]) {
			seen[d->sort] = true;
			order[n++] = d->sort;
		}
		if (!seen[d->sum] && (m + 1 == CTOP_M__ALL ||
				      ctop_metric_get((enum ctop_metric)(m + 1))->sum != d->sum)) {
			seen[d->sum] = true;
			order[n++] = d->sum;
		}
	}
	/* the keys no metric has (the name) */
	for (k = 0; k < CTOP_SORT__COUNT; k++)
		if (!seen[k])
			order[n++] = (enum ctop_sort_key)k;
	return i < n ? order[i] : CTOP_SORT__COUNT;
}

size_t ctop_sort_key_metrics(enum ctop_sort_key k, unsigned rows, enum ctop_metric *out)
{
	const struct ctop_metric_desc *d;
	size_t n = 0;
	int m;

	for (m = 0; (d = ctop_metric_get((enum ctop_metric)m)); m++)
		if ((d->rows & rows) && (d->sort == k || d->sum == k))
			out[n++] = (enum ctop_metric)m;
	return n;
}
