// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The theme parser. -t takes any file the user names, and themes are
 * shared as plain files. The input is the file's text, applied on top of
 * the default theme; every resulting color is then matched to terminals
 * of every size, as the screen does.
 */
#include "theme.h"
#include "fuzz.h"

static const int ncolors[] = { -1, 0, 7, 8, 16, 88, 256, 1 << 24 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctop_theme_error err;
	struct ctop_theme t;
	size_t r, i;
	int ret, c, lim;

	memset(&err, 0xa5, sizeof(err));
	ctop_theme_init_default(&t);
	ret = ctop_theme_parse(&t, (const char *)data, size, "fuzz.theme", &err);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOMEM);
	FUZZ_CHECK(fuzz_terminated(t.name, sizeof(t.name)));
	if (ret) {
		FUZZ_CHECK(fuzz_terminated(err.file, sizeof(err.file)));
		FUZZ_CHECK(fuzz_terminated(err.what, sizeof(err.what)));
		FUZZ_CHECK(err.line >= 0 && err.what[0]);
	}
	for (r = 0; r < CTOP_ROLE__COUNT; r++) {
		const struct ctop_style *s = &t.style[r];
		const struct ctop_color *col[] = { &s->fg, &s->bg };

		FUZZ_CHECK(!(s->attrs & ~0x1fu));
		for (c = 0; c < 2; c++) {
			FUZZ_CHECK(col[c]->kind == CTOP_COLOR_DEFAULT ||
				   (col[c]->kind == CTOP_COLOR_INDEX && col[c]->value < 256) ||
				   (col[c]->kind == CTOP_COLOR_RGB && col[c]->value <= 0xffffff));
			for (i = 0; i < sizeof(ncolors) / sizeof(ncolors[0]); i++) {
				int idx = ctop_theme_color_index(*col[c], ncolors[i]);

				lim = ncolors[i] > 256 ? 256 : ncolors[i];
				FUZZ_CHECK(idx == -1 || (ncolors[i] >= 8 && idx >= 0 && idx < lim));
				if (col[c]->kind == CTOP_COLOR_DEFAULT || ncolors[i] < 8)
					FUZZ_CHECK(idx == -1);
				else
					FUZZ_CHECK(idx >= 0);
			}
		}
	}
	return 0;
}
