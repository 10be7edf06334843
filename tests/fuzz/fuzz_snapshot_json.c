// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A recording's records, read back: any text is refused or read, never a
 * crash; what is read is written again as a fixed point (dump, parse,
 * dump gives the same text), and every batch view of it renders.
 */
#include "fuzz.h"
#include "output.h"
#include "snapshot_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctop_view_opts vo = { .all = true, .processes = true };
	struct ctop_snapshot *s, *again;
	char *a, *b, *view;
	size_t na, nb;
	int r;

	r = ctop_snapshot_json_parse((const char *)data, size, &s);
	FUZZ_CHECK(r == 0 || r == -EBADMSG || r == -ENOMEM);
	if (r)
		return 0;
	FUZZ_CHECK(ctop_snapshot_json_dump(s, &a, &na) == 0);
	FUZZ_CHECK(ctop_snapshot_json_parse(a, na, &again) == 0);
	FUZZ_CHECK(ctop_snapshot_json_dump(again, &b, &nb) == 0);
	FUZZ_CHECK(na == nb && !memcmp(a, b, na));
	if (ctop_output_json(s, &vo, &view) == 0)
		free(view);
	FUZZ_CHECK(ctop_output_table(s, &vo, &view) == 0);
	free(view);
	free(a);
	free(b);
	ctop_snapshot_free(again);
	ctop_snapshot_free(s);
	return 0;
}
