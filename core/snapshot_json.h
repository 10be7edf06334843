/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A whole snapshot as JSON and back, exactly: what a recording stores.
 * Unlike the batch JSON (output.h), nothing is rounded, filtered or left
 * out, so a snapshot read back renders every view, the batch JSON
 * included, byte for byte as the original did. The layout is in
 * man/ctop-bpf.8, RECORDING FORMAT.
 */
#ifndef CTOP_SNAPSHOT_JSON_H
#define CTOP_SNAPSHOT_JSON_H

#include <stdbool.h>
#include "snapshot.h"

/*
 * s as one line of JSON ending in '\n'; *out is malloc'd, NUL-terminated,
 * *len its length without the NUL. 0 or -ENOMEM.
 */
int ctop_snapshot_json_dump(const struct ctop_snapshot *s, char **out, size_t *len);

/*
 * The same, with state: each row's smooth (when it has one) and the
 * snapshot's alpha, which a recording keeps now and then (record.h).
 */
int ctop_snapshot_json_dump_state(const struct ctop_snapshot *s, bool state, char **out,
				  size_t *len);

/*
 * The reverse: *out is a new snapshot that owns its arrays; every row's
 * hist is NULL (a replay builds history from the records before), and its
 * smooth points into the snapshot if the record kept it, else NULL. Strings
 * too long for their field are cut. 0, -EBADMSG for text that is not such
 * a snapshot, or -ENOMEM.
 */
int ctop_snapshot_json_parse(const char *text, size_t len, struct ctop_snapshot **out);

/*
 * A real as a snapshot's JSON holds it, exact: "%.17g", with ".0" after a
 * whole number so that it reads back as a real ("inf" and "nan" as they
 * are: the snapshot writes null for them). Its length, as snprintf's.
 */
int ctop_json_real(char *buf, size_t size, double v);

/* Frees a snapshot from ctop_snapshot_json_parse(); NULL is a no-op. */
void ctop_snapshot_free(struct ctop_snapshot *s);

#endif /* CTOP_SNAPSHOT_JSON_H */
