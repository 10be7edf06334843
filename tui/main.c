// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ctop-bpf: parse the command line, pick the mode the options ask for,
 * open the snapshot source and run the mode on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include "mode.h"

/* The first mode the options want; the screen, last, takes the rest. */
static const struct tui_mode *const modes[] = {
	&tui_mode_export,
	&tui_mode_batch,
	&tui_mode_screen,
};

/*
 * A closed fd 0, 1 or 2 would be handed to the next open(): a BPF link or
 * map would become "stdout" and the table would be written into it. Each
 * gets /dev/null, read-only, so that writes to a closed stdout fail with
 * EBADF and are reported like any write error.
 */
static void hold_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDONLY) < 0)
			return;	/* no /dev/null: nothing better to do */
	}
}

static const struct tui_mode *pick_mode(const struct ctop_options *o)
{
	size_t i;

	for (i = 0; i + 1 < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i]->wanted(o))
			break;
	return modes[i];
}

int main(int argc, char **argv)
{
	const struct tui_mode *mode;
	struct ctop_source *src;
	struct ctop_options o;
	char err[512];
	int status;

	hold_std_fds();
	if (ctop_options_parse(&o, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "ctop-bpf: %s\nTry 'ctop-bpf --help' for more information.\n", err);
		return TUI_EXIT_USAGE;
	}
	if (o.help)
		return tui_write_out(stdout, ctop_options_usage());
	if (o.version)
		return tui_live_version(&o);
	mode = pick_mode(&o);
	if (mode->ready && (status = mode->ready(&o)))
		return status;
	tui_catch_signals();
	if (o.replay) {
		status = tui_replay_open(&o, &src);
	} else {
		/* -w: every snapshot whole, whatever the mode shows */
		struct tui_live_reads r = {
			.cmdlines = mode->cmdlines || o.record,
			.states = !mode->no_states || o.record,
			.proc_io = !mode->proc_io_with_p || o.processes || o.record,
		};

		status = tui_live_open(&o, &r, &src);
		if (!status && (status = tui_record_wrap(&o, &src)))
			ctop_source_free(src);
	}
	if (status)
		return status;
	status = mode->run(src, &o);
	tui_replay_report(src);
	ctop_source_free(src);
	return status;
}
