// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --web-config for --export: the file read and its TLS files checked,
 * with the message and exit status a bad one ends with.
 */
#include <errno.h>
#include <stdio.h>
#include "export_server.h"
#include "mode.h"
#include "web_config.h"

int tui_export_web_config(const struct ctop_options *o, struct ctop_web_config **out)
{
	struct ctop_web_config *c = NULL;
	char err[1024], *p;
	int ret;

	if (out)
		*out = NULL;
	if (!o->web_config)
		return TUI_EXIT_OK;
	ret = ctop_web_config_load(&c, o->web_config, err, sizeof(err));
	if (!ret)
		ret = ctop_export_server_check(c, err, sizeof(err));
	if (ret) {
		/* file names from the file: no control sequence reaches the terminal */
		for (p = err; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		fprintf(stderr, "ctop-bpf: --web-config %s: %s\n", o->web_config, err);
		ctop_web_config_free(c);
		return ret == -ENOMEM ? TUI_EXIT_FAIL : TUI_EXIT_USAGE;
	}
	if (out)
		*out = c;
	else
		ctop_web_config_free(c);
	return TUI_EXIT_OK;
}
