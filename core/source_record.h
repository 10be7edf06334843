/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -w FILE: a source that passes on another's snapshots and appends each
 * to a recording first, so batch output and the screen record alike.
 */
#ifndef CTOP_SOURCE_RECORD_H
#define CTOP_SOURCE_RECORD_H

#include "record.h"
#include "source.h"

/*
 * *out takes inner and w over (freeing *out frees both); path is for
 * messages. A failed write makes next() fail with src->write_failed set.
 * 0 or -ENOMEM (inner and w are then still the caller's).
 */
int ctop_record_source_new(struct ctop_source *inner, struct ctop_recorder *w, const char *path,
			   struct ctop_source **out);

#endif /* CTOP_SOURCE_RECORD_H */
