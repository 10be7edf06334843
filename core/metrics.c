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
	.om_scale = 1.0

/*
 * Indexed by id, iterated in that order: the order of the columns, the
 * JSON fields and the help's sort keys. .sum: CTOP_SORT__COUNT for none.
 */
static const struct ctop_metric_desc metrics[CTOP_M__ALL] = {
	[CTOP_M_CPU] = {
		.name = "cpu", .json_key = "cpu_pct", .json_total = "cpu_ns_total",
		.unit = CTOP_UNIT_PERCENT, .kind = CTOP_KIND_COUNTER, .rows = BOTH,
		.title = "CPU%", .width = 5, .drop = 0, .batch_width = 6, .fmt = ctop_fmt_pct,
		.sort = CTOP_SORT_CPU, .sort_name = "cpu", .sum = CTOP_SORT__COUNT,
		.graph = "CPU", .graph_role = CTOP_ROLE_GRAPH_CPU,
		.om_name = "container_cpu_usage_seconds_total", .om_type = "counter",
		.om_unit = "seconds", .om_help = "CPU time used by the container's tasks, "
						 "exited ones included, in seconds.",
		.om_scale = 1e-9,
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
		.om_scale = 1.0,
	},
	[CTOP_M_DISK_READ] = {
		IO_BYTES, .name = "disk_read", .json_key = "disk_read_Bps",
		.json_total = "disk_read_bytes_total", .probed_by = CTOP_BY_FILE,
		.title = "DISK R/s", .drop = 4,
		.sort = CTOP_SORT_DREAD, .sort_name = "dread", .sum = CTOP_SORT_DISK,
		.graph = "DISK", .graph_role = CTOP_ROLE_GRAPH_DISK,
		.om_name = "ctop_disk_read_bytes_total",
		.om_help = "Bytes read from files and block devices through system calls.",
	},
	[CTOP_M_DISK_WRITE] = {
		IO_BYTES, .name = "disk_write", .json_key = "disk_write_Bps",
		.json_total = "disk_write_bytes_total", .probed_by = CTOP_BY_FILE,
		.title = "DISK W/s", .drop = 5,
		.sort = CTOP_SORT_DWRITE, .sort_name = "dwrite", .sum = CTOP_SORT_DISK,
		.graph = "DISK", .graph_role = CTOP_ROLE_GRAPH_DISK,
		.om_name = "ctop_disk_write_bytes_total",
		.om_help = "Bytes written to files and block devices through system calls.",
	},
	[CTOP_M_NET_RX] = {
		IO_BYTES, .name = "net_rx", .json_key = "net_rx_Bps",
		.json_total = "net_rx_bytes_total", .probed_by = CTOP_BY_NET,
		.title = "NET RX/s", .drop = 6,
		.sort = CTOP_SORT_RX, .sort_name = "rx", .sum = CTOP_SORT_NET,
		.graph = "NET", .graph_role = CTOP_ROLE_GRAPH_NET,
		.om_name = "container_network_receive_bytes_total",
		.om_help = "Bytes received on inet sockets.",
	},
	[CTOP_M_NET_TX] = {
		IO_BYTES, .name = "net_tx", .json_key = "net_tx_Bps",
		.json_total = "net_tx_bytes_total", .probed_by = CTOP_BY_NET,
		.title = "NET TX/s", .drop = 7,
		.sort = CTOP_SORT_TX, .sort_name = "tx", .sum = CTOP_SORT_NET,
		.graph = "NET", .graph_role = CTOP_ROLE_GRAPH_NET,
		.om_name = "container_network_transmit_bytes_total",
		.om_help = "Bytes sent on inet sockets.",
	},
	[CTOP_M_STORAGE_READ] = {
		IO_BYTES, .name = "storage_read", .json_key = "storage_read_Bps",
		.json_total = "storage_read_bytes_total", .probed_by = CTOP_BY_STORAGE,
		.title = "BLK R/s", .drop = 11,
		.sort = CTOP_SORT_SREAD, .sort_name = "bread", .sum = CTOP_SORT__COUNT,
		.om_name = "container_fs_reads_bytes_total",
		.om_help = "Bytes read from storage, at the block level.",
	},
	[CTOP_M_STORAGE_WRITE] = {
		IO_BYTES, .name = "storage_write", .json_key = "storage_write_Bps",
		.json_total = "storage_write_bytes_total", .probed_by = CTOP_BY_STORAGE,
		.title = "BLK W/s", .drop = 10,
		.sort = CTOP_SORT_SWRITE, .sort_name = "bwrite", .sum = CTOP_SORT__COUNT,
		.om_name = "container_fs_writes_bytes_total",
		.om_help = "Bytes written to storage, at the block level.",
	},
	[CTOP_M_PIDS] = {
		.name = "pids", .json_key = "pids",
		.unit = CTOP_UNIT_COUNT, .kind = CTOP_KIND_GAUGE, .rows = CTOP_ROW_CONTAINER,
		.flags = CTOP_MF_JSON_EARLY,
		.title = "PIDS", .width = 5, .drop = 8, .batch_width = 5, .fmt = ctop_fmt_count,
		.sort = CTOP_SORT_PIDS, .sort_name = "pids", .sum = CTOP_SORT__COUNT,
		.om_name = "container_processes", .om_type = "gauge", .om_unit = "",
		.om_help = "Live processes (thread-group leaders) in the container.",
		.om_scale = 1.0,
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
		.om_help = "Threads of the process.", .om_scale = 1.0,
	},
};

const struct ctop_metric_desc *ctop_metric_get(enum ctop_metric m)
{
	return (unsigned)m < CTOP_M__ALL ? &metrics[m] : NULL;
}

bool ctop_metric_measured(const struct ctop_probes *p, enum ctop_metric m)
{
	if ((unsigned)m >= CTOP_M__ALL)
		return false;
	switch (metrics[m].probed_by) {
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
	if ((unsigned)m >= CTOP_M__ALL || !(metrics[m].rows & CTOP_ROW_CONTAINER))
		return 0;
	if (m < CTOP_M__COUNT)
		return c->m[m];
	return m == CTOP_M_PIDS ? c->pids : 0;
}

double ctop_metric_proc(enum ctop_metric m, const struct ctop_proc *p)
{
	if ((unsigned)m >= CTOP_M__ALL || !(metrics[m].rows & CTOP_ROW_PROC))
		return 0;
	if (m < CTOP_M__COUNT)
		return p->m[m];
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

enum ctop_sort_key ctop_sort_key_at(size_t i)
{
	bool seen[CTOP_SORT__COUNT + 1] = { false };
	enum ctop_sort_key order[CTOP_SORT__COUNT];
	size_t n = 0;
	int m, k;

	seen[CTOP_SORT__COUNT] = true;	/* "no sum" */
	for (m = 0; m < CTOP_M__ALL; m++) {
		const struct ctop_metric_desc *d = &metrics[m];

		if (!seen[d->sort]) {
			seen[d->sort] = true;
			order[n++] = d->sort;
		}
		if (!seen[d->sum] && (m + 1 == CTOP_M__ALL || metrics[m + 1].sum != d->sum)) {
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
	size_t n = 0;
	int m;

	for (m = 0; m < CTOP_M__ALL; m++)
		if ((metrics[m].rows & rows) && (metrics[m].sort == k || metrics[m].sum == k))
			out[n++] = (enum ctop_metric)m;
	return n;
}
