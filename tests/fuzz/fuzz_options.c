// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The option parser. The input is the command line after the program's
 * name, one argument per NUL-separated piece.
 */
#include "options.h"
#include "fuzz.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], *copy[MAX_ARGS + 2];
	char *buf = fuzz_strndup(data, size), *p = buf, *end = buf + size;
	struct ctop_options o;
	char err[256];
	int argc = 0, ret, i;
	bool in_argv;

	copy[argc] = argv[argc] = "ctop-bpf";
	argc++;
	while (p < end && argc <= MAX_ARGS) {
		copy[argc] = argv[argc] = p;
		argc++;
		p += strlen(p) + 1;
	}
	argv[argc] = copy[argc] = NULL;

	memset(err, 0xa5, sizeof(err));
	ret = ctop_options_parse(&o, argc, argv, err, sizeof(err));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL);
	/* getopt may reorder argv but never changes what it holds. */
	for (i = 0; i < argc; i++) {
		int j;

		for (j = 0; j < argc && argv[j] != copy[i]; j++)
			;
		FUZZ_CHECK(j < argc);
	}
	if (ret) {
		FUZZ_CHECK(fuzz_terminated(err, sizeof(err)) && err[0]);
		goto out;
	}
	FUZZ_CHECK(o.delay >= 0.1 && o.delay <= 60);
	FUZZ_CHECK(o.smooth >= 0.01 && o.smooth <= 1);
	FUZZ_CHECK(o.iterations >= 0);
	FUZZ_CHECK(o.sort >= 0 && o.sort < CTOP_SORT__COUNT);
	FUZZ_CHECK(!o.json || o.batch);
	FUZZ_CHECK(!o.processes || o.batch);
	FUZZ_CHECK(o.theme && o.theme[0]);
	/* Borrowed strings point into argv (or are the built-in default). */
	in_argv = !strcmp(o.theme, "default");
	for (i = 1; i < argc; i++)
		in_argv |= o.theme >= argv[i] && o.theme <= argv[i] + strlen(argv[i]);
	FUZZ_CHECK(in_argv);
	if (o.filter) {
		in_argv = false;
		for (i = 1; i < argc; i++)
			in_argv |= o.filter >= argv[i] && o.filter <= argv[i] + strlen(argv[i]);
		FUZZ_CHECK(in_argv);
	}
out:
	free(buf);
	return 0;
}
