// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The live source: the collector, set up from the options, its errors told. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector.h"
#include "mode.h"
#include "ticker.h"

static void collector_opts(const struct ctop_options *o, bool cmdlines,
			   struct ctop_collector_opts *copts)
{
	memset(copts, 0, sizeof(*copts));
	copts->ewma_alpha = o->smooth;
	copts->cmdlines = cmdlines;
	copts->root = "/";
	copts->probes = o->probes;
	copts->light = o->light;
}

int tui_live_version(const struct ctop_options *o)
{
	struct ctop_collector_opts copts;
	struct ctop_probes p;
	char err[512], text[768];

	collector_opts(o, false, &copts);
	if (ctop_collector_probes(&copts, &p, err, sizeof(err)))
		snprintf(text, sizeof(text), "ctop-bpf %s\nprobes: unknown here (%s)\n",
			 CTOP_VERSION, err);
	else
		snprintf(text, sizeof(text),
			 "ctop-bpf %s\nprobes: net=%s file=%s storage=%s tasks=%s%s\n",
			 CTOP_VERSION, ctop_probe_name(p.net), ctop_probe_name(p.file),
			 ctop_probe_name(p.storage), ctop_probe_name(p.tasks),
			 p.legacy ? " (legacy counters: Linux before 5.17)" : "");
	return tui_write_out(stdout, text);
}

int tui_live_open(const struct ctop_options *o, const struct tui_live_reads *r,
		  struct ctop_source **out)
{
	struct ctop_collector_opts copts;
	struct ctop_collector *col;
	char err[512];
	int ret;

	*out = NULL;
	collector_opts(o, r->cmdlines, &copts);
	copts.no_states = !r->states;
	copts.no_proc_io = !r->proc_io;
	if (o->verbose) {
		copts.loglen = 1 << 20;
		copts.log = malloc(copts.loglen);
	}
	if (ctop_collector_new(&col, &copts, err, sizeof(err))) {
		if (o->verbose && copts.log && copts.log[0])
			fprintf(stderr, "%s", copts.log);
		fprintf(stderr, "ctop-bpf: %s\n", err);
		free(copts.log);
		return TUI_EXIT_FAIL;
	}
	free(copts.log);
	ret = ctop_collector_start(col, ctop_ticker_now(CLOCK_MONOTONIC));
	if (ret) {
		fprintf(stderr, "ctop-bpf: cannot read the BPF maps: %s\n", strerror(-ret));
		ctop_collector_free(col);
		return TUI_EXIT_FAIL;
	}
	*out = ctop_collector_source(col);
	return TUI_EXIT_OK;
}
