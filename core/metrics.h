/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The metric table: one entry per measured quantity, and every consumer
 * (the batch table, JSON, sorting, the screen's columns and sparklines,
 * the exporter) iterates it instead of naming metrics itself. A new
 * metric is an id in enum ctop_metric, its sort key in enum
 * ctop_sort_key (snapshot.h), its entry in metrics.c, and the code that
 * measures it.
 */
#ifndef CTOP_METRICS_H
#define CTOP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include "snapshot.h"
#include "theme.h"

enum ctop_unit {
	CTOP_UNIT_PERCENT,	/* of one CPU */
	CTOP_UNIT_BYTES,
	CTOP_UNIT_BYTES_PER_S,
	CTOP_UNIT_COUNT,
	CTOP_UNIT_SECONDS,
	CTOP_UNIT_UNIX_TIME,	/* a moment: seconds since the epoch */
};

enum ctop_metric_kind {
	CTOP_KIND_GAUGE,	/* a level now: memory, a count */
	CTOP_KIND_RATE,		/* a rate over the refresh, nothing cumulative kept */
	CTOP_KIND_COUNTER,	/* a rate over the refresh, and per container its total */
	CTOP_KIND_CUMULATIVE,	/* a total the kernel keeps (OOM kills): no rate */
};

/* The rows that have a metric. */
#define CTOP_ROW_CONTAINER	(1u << 0)
#define CTOP_ROW_PROC		(1u << 1)

/*
 * Where a metric stands apart from the table's order, right after what
 * names the row (as the JSON and the screens have always had it).
 */
#define CTOP_MF_JSON_EARLY	(1u << 0)
#define CTOP_MF_SCREEN_EARLY	(1u << 1)
/* 0 means not known (a start time), shown as null and "-" */
#define CTOP_MF_ZERO_UNKNOWN	(1u << 2)

/* The probe choice (struct ctop_probes) that decides whether it is measured. */
enum ctop_probed_by {
	CTOP_BY_ALWAYS,
	CTOP_BY_FILE,
	CTOP_BY_NET,
	CTOP_BY_STORAGE,
};

struct ctop_metric_desc {
	const char *name;		/* short and unique: "cpu", "disk_read" */
	const char *json_key;		/* this refresh's value: "cpu_pct" */
	const char *json_total;		/* COUNTER: its total in a container's JSON */
	enum ctop_unit unit;
	enum ctop_metric_kind kind;
	unsigned rows;			/* CTOP_ROW_* */
	unsigned flags;			/* CTOP_MF_* */
	enum ctop_probed_by probed_by;

	/* columns of the screen and of the batch table, which share the title */
	const char *title;
	int width;			/* on the screen; 0: JSON and exporter only */
	int drop;			/* screen: higher drops first when narrow; 0 never */
	int batch_width;		/* 0: not in the batch table */
	/* a short figure for a column or a sparkline (format.h) */
	char *(*fmt)(char *buf, size_t len, double v);

	/* sorting: largest first, ties by name */
	enum ctop_sort_key sort;	/* the key that sorts by this metric */
	const char *sort_name;		/* that key, as -s takes it */
	enum ctop_sort_key sum;		/* a key sorting by this plus others, or __COUNT */

	/* the sparkline it is drawn in, added to those with the same label */
	const char *graph;		/* NULL: none */
	enum ctop_color_role graph_role;

	/*
	 * OpenMetrics, for a container's series: cAdvisor's name where the
	 * meaning is the same, else under ctop_.
	 */
	const char *om_name;
	const char *om_type;		/* "counter" (of the total) or "gauge" */
	const char *om_unit;		/* a suffix of om_name, or "" for no UNIT line */
	const char *om_help;
	/*
	 * What the total (counter) or value (gauge) is divided by for om_unit:
	 * a divisor, not a factor, so that whole nanoseconds become the nearest
	 * double to their seconds, which prints shortest at once (1e-9 is not
	 * a double: a product needed 16 or 17 digits four times in ten).
	 */
	double om_div;
	/*
	 * A process's series (the exporter's -p), with the same type, unit and
	 * scale: ctop_process_*, NULL where rows has no CTOP_ROW_PROC.
	 */
	const char *om_proc_name;
	const char *om_proc_help;
};

/* The entry of m; NULL out of range. Entries come in the order of the ids. */
const struct ctop_metric_desc *ctop_metric_get(enum ctop_metric m);

/* Whether metric m is measured with these probes (CPU and RSS always are). */
bool ctop_metric_measured(const struct ctop_probes *p, enum ctop_metric m);

/*
 * Whether m has a value in this row (p if given, else c): measured with
 * these probes, for a cgroup figure given by the kernel (a limit is
 * unknown where there is none), and for one flagged ZERO_UNKNOWN not 0.
 * Unknown shows as null and "-", never 0.
 */
bool ctop_metric_known(const struct ctop_probes *pr, enum ctop_metric m,
		       const struct ctop_container *c, const struct ctop_proc *p);

/* m's value in a row; 0 where the row does not have it. */
double ctop_metric_container(enum ctop_metric m, const struct ctop_container *c);
double ctop_metric_proc(enum ctop_metric m, const struct ctop_proc *p);
/* m's value in process p if one is given, else in container c. */
double ctop_metric_value(enum ctop_metric m, const struct ctop_container *c,
			 const struct ctop_proc *p);
/* A COUNTER's total since start in a container row (ns for CPU, bytes); else 0. */
uint64_t ctop_metric_total(enum ctop_metric m, const struct ctop_container *c);
/* The same in a process row, since ctop-bpf first saw the process. */
uint64_t ctop_metric_proc_total(enum ctop_metric m, const struct ctop_proc *p);

/*
 * The sort keys in the order the help lists them: each metric's, a sum
 * after its last part, the name last. Returns the i-th, or
 * CTOP_SORT__COUNT past the end.
 */
enum ctop_sort_key ctop_sort_key_at(size_t i);

/*
 * The ids of the metrics a key sorts by, for the rows given (CTOP_ROW_*):
 * its own, or the parts of a sum. Fills out (room for CTOP_M__ALL) and
 * returns the count; 0 for the name.
 */
size_t ctop_sort_key_metrics(enum ctop_sort_key k, unsigned rows, enum ctop_metric *out);

#endif /* CTOP_METRICS_H */
