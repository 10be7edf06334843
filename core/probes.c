// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Probe names, as --probes takes them and host.probes shows them. */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "snapshot.h"

static const char *const names[CTOP_PROBE__COUNT] = {
	[CTOP_PROBE_AUTO] = "auto",
	[CTOP_PROBE_OFF] = "off",
	[CTOP_PROBE_SYSCALL] = "syscall",
	[CTOP_PROBE_FEXIT] = "fexit",
	[CTOP_PROBE_TRACEPOINT] = "tracepoint",
	[CTOP_PROBE_IOAC] = "ioac",
	[CTOP_PROBE_WALK] = "walk",
	[CTOP_PROBE_ITER] = "iter",
};

const char *ctop_probe_name(enum ctop_probe p)
{
	return (unsigned)p < CTOP_PROBE__COUNT ? names[p] : "?";
}

/*
 * What each kind may be asked for: storage has one source only, and the
 * tasks are always visited, one way or the other.
 */
static bool allowed(const char *kind, enum ctop_probe p)
{
	if (!strcmp(kind, "tasks"))
		return p == CTOP_PROBE_AUTO || p == CTOP_PROBE_WALK || p == CTOP_PROBE_ITER;
	if (p == CTOP_PROBE_AUTO || p == CTOP_PROBE_OFF)
		return true;
	if (!strcmp(kind, "net"))
		return p == CTOP_PROBE_SYSCALL || p == CTOP_PROBE_FEXIT ||
		       p == CTOP_PROBE_TRACEPOINT;
	if (!strcmp(kind, "file"))
		return p == CTOP_PROBE_SYSCALL || p == CTOP_PROBE_FEXIT;
	return p == CTOP_PROBE_IOAC;
}

static int parse_one(const char *item, size_t len, struct ctop_probes *out)
{
	static const struct {
		const char *kind;
		size_t off;
	} kinds[] = {
		{ "net", offsetof(struct ctop_probes, net) },
		{ "file", offsetof(struct ctop_probes, file) },
		{ "storage", offsetof(struct ctop_probes, storage) },
		{ "tasks", offsetof(struct ctop_probes, tasks) },
	};
	const char *eq = memchr(item, '=', len);
	size_t k, klen;
	int p;

	if (!eq)
		return -EINVAL;
	klen = (size_t)(eq - item);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strlen(kinds[k].kind) != klen || strncmp(item, kinds[k].kind, klen))
			continue;
		for (p = 0; p < CTOP_PROBE__COUNT; p++) {
			if (strlen(names[p]) != len - klen - 1 ||
			    strncmp(eq + 1, names[p], len - klen - 1))
				continue;
			if (!allowed(kinds[k].kind, (enum ctop_probe)p))
				return -EINVAL;
			*(enum ctop_probe *)((char *)out + kinds[k].off) = (enum ctop_probe)p;
			return 0;
		}
	}
	return -EINVAL;
}

int ctop_probes_parse(const char *s, struct ctop_probes *out)
{
	struct ctop_probes p = *out;
	const char *end;

	if (!s || !*s)
		return -EINVAL;
	for (;;) {
		end = strchr(s, ',');
		if (parse_one(s, end ? (size_t)(end - s) : strlen(s), &p))
			return -EINVAL;
		if (!end)
			break;
		s = end + 1;
	}
	*out = p;
	return 0;
}
