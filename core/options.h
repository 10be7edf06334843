/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The command line, parsed without printing: the caller reports errors. */
#ifndef CTOP_OPTIONS_H
#define CTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "snapshot.h"

/*
 * The first refresh after start covers this long (or -d, if shorter), so
 * that the first record or frame comes quickly; later ones follow -d.
 */
#define CTOP_FIRST_INTERVAL	0.05

#define CTOP_SORT_DEFAULT	CTOP_SORT_CPU

struct ctop_options {
	double delay;			/* seconds, 0.1 to 60 */
	enum ctop_sort_key sort;
	bool reverse;
	const char *filter;		/* borrowed from argv; NULL for none */
	const char *theme;		/* name or path */
	bool all;			/* show the [host] row */
	bool batch;
	bool json;
	bool processes;
	long iterations;		/* 0: until stopped */
	double smooth;			/* EWMA weight of the newest sample */
	bool light;			/* nothing on the system-call path */
	struct ctop_probes probes;	/* AUTO: the cheapest this kernel has */
	const char *export_addr;	/* --export [HOST]:PORT, borrowed; NULL for none */
	const char *web_config;		/* --web-config FILE, borrowed; NULL for none */
	bool verbose;			/* the verifier's log on a failed load */
	const char *record;		/* -w FILE: append each refresh to it */
	uint64_t record_max;		/* --record-max: bytes, 0 for no bound */
	bool record_daily;		/* --record-daily: FILE -> FILE.1 each day */
	const char *replay;		/* --replay FILE: snapshots from a recording */
	const char *since, *until;	/* --since/--until, as typed (timeparse.h) */
	bool help;
	bool version;
};

/*
 * Fills *o from argv. Returns 0, or -EINVAL with a one-line message in
 * err that names the option (the caller exits 2).
 */
int ctop_options_parse(struct ctop_options *o, int argc, char **argv, char *err, size_t errlen);

/* The --help text. */
const char *ctop_options_usage(void);

#endif /* CTOP_OPTIONS_H */
