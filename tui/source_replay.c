// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --replay FILE and -w FILE: the recording's sources, their errors told. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "mode.h"
#include "record.h"
#include "replay.h"
#include "source_record.h"
#include "ticker.h"

int tui_replay_open(const struct ctop_options *o, struct ctop_source **out)
{
	struct ctop_replay_opts ro = {
		.alpha = o->smooth,
		.history = !o->batch,
		.each = o->batch,
		.since = o->since,
		.until = o->until,
	};
	struct ctop_replay *r;
	char why[4400];

	*out = NULL;
	if (ctop_replay_open(o->replay, &ro, &r, why, sizeof(why))) {
		fprintf(stderr, "ctop-bpf: %s\n", why);
		return TUI_EXIT_USAGE;
	}
	*out = ctop_replay_source(r);
	return TUI_EXIT_OK;
}

void tui_replay_report(struct ctop_source *src)
{
	struct ctop_replay *r = ctop_replay_of(src);
	struct ctop_replay_state st;

	if (!r)
		return;
	ctop_replay_state(r, &st);
	if (st.damaged_spots)
		fprintf(stderr, "ctop-bpf: %s: %llu damaged spot(s) skipped (%llu bytes)\n",
			src->name + strlen("the recording "), (unsigned long long)st.damaged_spots,
			(unsigned long long)st.damaged_bytes);
	if (st.bad_records)
		fprintf(stderr, "ctop-bpf: %s: %llu record(s) that do not read as a snapshot "
			"skipped\n", src->name + strlen("the recording "),
			(unsigned long long)st.bad_records);
	if (st.cut)
		fprintf(stderr, "ctop-bpf: %s ends in a cut record at byte %llu (a crash or a full "
			"disk while recording); everything before it was replayed\n",
			src->name + strlen("the recording "), (unsigned long long)st.cut_at);
}

int tui_record_wrap(const struct ctop_options *o, struct ctop_source **src)
{
	struct ctop_recorder_opts ropts = { .max_bytes = o->record_max, .daily = o->record_daily };
	struct ctop_recorder *w;
	struct ctop_source *rs;
	struct utsname u;
	char why[4400];
	int e;

	if (!o->record)
		return TUI_EXIT_OK;
	if (uname(&u))
		snprintf(u.nodename, sizeof(u.nodename), "?");
	e = ctop_recorder_open(o->record, &ropts, u.nodename, ctop_ticker_now(CLOCK_REALTIME), &w,
			       why, sizeof(why));
	if (e) {
		fprintf(stderr, "ctop-bpf: cannot record: %s\n", why);
		return TUI_EXIT_USAGE;
	}
	if (ctop_record_source_new(*src, w, o->record, &rs)) {
		fprintf(stderr, "ctop-bpf: out of memory\n");
		ctop_recorder_close(w);
		return TUI_EXIT_FAIL;
	}
	*src = rs;
	return TUI_EXIT_OK;
}
