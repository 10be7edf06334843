/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What every metadata reader promises about what it returns. */
#ifndef CTOP_FUZZ_META_CHECK_H
#define CTOP_FUZZ_META_CHECK_H

#include "container.h"
#include "fuzz.h"

static inline void fuzz_check_meta(int ret, const struct ctop_container_meta *m)
{
	FUZZ_CHECK(ret <= 0);
	FUZZ_CHECK(fuzz_terminated(m->name, sizeof(m->name)));
	FUZZ_CHECK(fuzz_terminated(m->image, sizeof(m->image)));
	FUZZ_CHECK(fuzz_terminated(m->pod, sizeof(m->pod)));
	FUZZ_CHECK(fuzz_terminated(m->ns, sizeof(m->ns)));
	/* A label, once shown, must not move the cursor or change colours. */
	FUZZ_CHECK(fuzz_shown_safe(m->name));
	FUZZ_CHECK(fuzz_shown_safe(m->image));
	FUZZ_CHECK(fuzz_shown_safe(m->pod));
	FUZZ_CHECK(fuzz_shown_safe(m->ns));
}

/* A cgroup info for a 64-hex id, as ctop_cgroup_parse() would give it. */
static inline void fuzz_hex_info(struct ctop_cgroup_info *ci, enum ctop_runtime rt,
				 const char *id)
{
	memset(ci, 0, sizeof(*ci));
	ci->runtime = rt;
	snprintf(ci->id, sizeof(ci->id), "%s", id);
}

#endif /* CTOP_FUZZ_META_CHECK_H */
