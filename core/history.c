// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The smoothed history the sparklines draw: one EWMA for live and replay. */
#include "snapshot.h"

void ctop_history_push(struct ctop_history *h, double smooth[CTOP_M__COUNT],
		       const double m[CTOP_M__COUNT], double alpha)
{
	int k;

	for (k = 0; k < CTOP_M__COUNT; k++) {
		smooth[k] = h->len ? alpha * m[k] + (1 - alpha) * smooth[k] : m[k];
		h->v[k][h->head] = (float)smooth[k];
	}
	h->head = (h->head + 1) % CTOP_HISTORY_LEN;
	if (h->len < CTOP_HISTORY_LEN)
		h->len++;
}

void ctop_history_seed(struct ctop_history *h, double smooth[CTOP_M__COUNT],
		       const double state[CTOP_M__COUNT])
{
	int k;

	for (k = 0; k < CTOP_M__COUNT; k++) {
		smooth[k] = state[k];
		h->v[k][h->head] = (float)smooth[k];
	}
	h->head = (h->head + 1) % CTOP_HISTORY_LEN;
	if (h->len < CTOP_HISTORY_LEN)
		h->len++;
}
