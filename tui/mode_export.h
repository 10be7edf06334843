/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The exporter mode: headless, serving each refresh over HTTP. */
#ifndef CTOP_MODE_EXPORT_H
#define CTOP_MODE_EXPORT_H

#include "collector.h"
#include "options.h"

/*
 * Binds opts->export_addr, then refreshes every opts->delay seconds and
 * publishes each snapshot, until SIGTERM, SIGINT or SIGHUP (status 0) or
 * opts->iterations refreshes. 1 when the address cannot be bound (in use,
 * not local, not allowed) or sampling fails.
 */
int ctop_export_run(struct ctop_collector *col, const struct ctop_options *opts, double start);

#endif /* CTOP_MODE_EXPORT_H */
