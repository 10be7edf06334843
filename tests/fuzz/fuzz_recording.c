// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A recording file of any bytes: opened, walked forward and backward and
 * sought into, never a crash or a hang. Promises: open fails with one of
 * the documented errors or succeeds with end <= size; every record
 * returned is its stated length, with times a seek can find again.
 */
#include <sys/mman.h>
#include "fuzz.h"
#include "record.h"

static int walk(struct ctop_recording *r, int (*step)(struct ctop_recording *), int first)
{
	const struct ctop_record *c;
	int e, n = 0;

	for (e = first; !e && n < 10000; e = step(r), n++) {
		c = ctop_recording_current(r);
		FUZZ_CHECK(c && c->json);
		FUZZ_CHECK(c->json[c->len] == '\0');
	}
	FUZZ_CHECK(e == -ENOENT || n == 10000);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctop_recording_info info;
	struct ctop_recording *r;
	char path[64], why[256];
	int fd, e, fwd, back;
	double t;

	fd = memfd_create("fuzz-recording", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	e = ctop_recording_open(path, &r, why, sizeof(why));
	if (e) {
		FUZZ_CHECK(e == -ENOEXEC || e == -ENODATA || e == -EBADMSG ||
			   e == -EPROTONOSUPPORT);
		FUZZ_CHECK(why[0]);
		close(fd);
		return 0;
	}
	ctop_recording_info(r, &info);
	FUZZ_CHECK(info.end <= info.size && info.size == size);
	fwd = walk(r, ctop_recording_next, ctop_recording_first(r));
	back = walk(r, ctop_recording_prev, ctop_recording_last(r));
	FUZZ_CHECK(fwd == back);
	if (fwd) {
		FUZZ_CHECK(ctop_recording_first(r) == 0);
		t = ctop_recording_current(r)->time;
		FUZZ_CHECK(ctop_recording_seek(r, t) == 0);
		FUZZ_CHECK(ctop_recording_seek(r, -1e18) == 0);
		FUZZ_CHECK(ctop_recording_seek(r, 1e18) == 0);
	}
	ctop_recording_close(r);
	close(fd);
	return 0;
}
