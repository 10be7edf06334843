/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One snapshot as a Prometheus scrape: every container metric of the
 * table (metrics.h) under its om_name, with cAdvisor's labels; with
 * procs, every process metric under its om_proc_name; then ctop-bpf's own
 * series. Pure: what ctop-bpf knows of itself is passed in.
 */
#ifndef CTOP_EXPORT_RENDER_H
#define CTOP_EXPORT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include "openmetrics.h"
#include "snapshot.h"

struct ctop_export_self {
	const char *version;	/* ctop_build_info's version label */
	double cpu_s;		/* its CPU time, user and system */
	double rss_bytes;
};

/*
 * Appends the scrape of rows (borrowed, in the order given) of s to b in
 * format f, ending with # EOF in OpenMetrics. 0, -EINVAL (a name the
 * formats cannot carry: a bug) or -ENOMEM.
 */
int ctop_export_render(struct ctop_om_buf *b, enum ctop_om_format f,
		       const struct ctop_snapshot *s, const struct ctop_container *const *rows,
		       size_t nrows, bool procs, const struct ctop_export_self *self);

/*
 * The same scrape in both formats at once, text into text and OpenMetrics
 * into om, each byte for byte what ctop_export_render() writes: the
 * samples are formatted once and copied. 0, -EINVAL or -ENOMEM.
 */
int ctop_export_render_both(struct ctop_om_buf *text, struct ctop_om_buf *om,
			    const struct ctop_snapshot *s, const struct ctop_container *const *rows,
			    size_t nrows, bool procs, const struct ctop_export_self *self);

#endif /* CTOP_EXPORT_RENDER_H */
