// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "snapshot.h"

static const char *const key_names[CTOP_SORT__COUNT] = {
	[CTOP_SORT_CPU] = "cpu",     [CTOP_SORT_RSS] = "rss", [CTOP_SORT_DREAD] = "dread",
	[CTOP_SORT_DWRITE] = "dwrite", [CTOP_SORT_DISK] = "disk", [CTOP_SORT_RX] = "rx",
	[CTOP_SORT_TX] = "tx",	     [CTOP_SORT_NET] = "net", [CTOP_SORT_PIDS] = "pids",
	[CTOP_SORT_NAME] = "name",   [CTOP_SORT_SREAD] = "bread", [CTOP_SORT_SWRITE] = "bwrite",
};

int ctop_sort_key_parse(const char *s, enum ctop_sort_key *out)
{
	int k;

	for (k = 0; k < CTOP_SORT__COUNT; k++) {
		if (s && strcmp(s, key_names[k]) == 0) {
			*out = (enum ctop_sort_key)k;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ctop_sort_key_name(enum ctop_sort_key k)
{
	return (unsigned)k < CTOP_SORT__COUNT ? key_names[k] : "?";
}

/* The value a numeric key sorts on, from a row's metric array. */
static double key_value(const double *m, double count, enum ctop_sort_key k)
{
	switch (k) {
	case CTOP_SORT_CPU:
		return m[CTOP_M_CPU];
	case CTOP_SORT_RSS:
		return m[CTOP_M_RSS];
	case CTOP_SORT_DREAD:
		return m[CTOP_M_DISK_READ];
	case CTOP_SORT_DWRITE:
		return m[CTOP_M_DISK_WRITE];
	case CTOP_SORT_DISK:
		return m[CTOP_M_DISK_READ] + m[CTOP_M_DISK_WRITE];
	case CTOP_SORT_RX:
		return m[CTOP_M_NET_RX];
	case CTOP_SORT_TX:
		return m[CTOP_M_NET_TX];
	case CTOP_SORT_NET:
		return m[CTOP_M_NET_RX] + m[CTOP_M_NET_TX];
	case CTOP_SORT_SREAD:
		return m[CTOP_M_STORAGE_READ];
	case CTOP_SORT_SWRITE:
		return m[CTOP_M_STORAGE_WRITE];
	case CTOP_SORT_PIDS:
		return count;
	default:
		return 0;
	}
}

/* Three-way, never a difference cast to int. */
static int cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

struct sort_ctx {
	enum ctop_sort_key key;
	int dir;	/* 1 for the natural order, -1 reversed */
};

static int cmp_container(const struct ctop_container *a, const struct ctop_container *b,
			 const struct sort_ctx *ctx)
{
	int r = 0;

	if (ctx->key != CTOP_SORT_NAME)
		r = -cmp_double(key_value(a->m, a->pids, ctx->key),
				key_value(b->m, b->pids, ctx->key));
	if (!r)
		r = strcasecmp(a->name, b->name);
	if (!r)
		r = strcmp(a->id, b->id);
	return r * ctx->dir;
}

static int cmp_proc(const struct ctop_proc *a, const struct ctop_proc *b,
		    const struct sort_ctx *ctx)
{
	int r = 0;

	if (ctx->key == CTOP_SORT_NAME)
		r = strcmp(a->comm, b->comm);
	else
		r = -cmp_double(key_value(a->m, a->nthreads, ctx->key),
				key_value(b->m, b->nthreads, ctx->key));
	if (!r)
		r = (a->pid > b->pid) - (a->pid < b->pid);
	return r * ctx->dir;
}

static int qs_container(const void *a, const void *b, void *ctx)
{
	return cmp_container(*(const struct ctop_container *const *)a,
			     *(const struct ctop_container *const *)b, ctx);
}

static int qs_proc(const void *a, const void *b, void *ctx)
{
	return cmp_proc(*(const struct ctop_proc *const *)a, *(const struct ctop_proc *const *)b,
			ctx);
}

void ctop_sort_containers(const struct ctop_container **v, size_t n, enum ctop_sort_key k,
			  bool reverse)
{
	struct sort_ctx ctx = { k, reverse ? -1 : 1 };

	qsort_r(v, n, sizeof(*v), qs_container, &ctx);
}

void ctop_sort_procs(const struct ctop_proc **v, size_t n, enum ctop_sort_key k, bool reverse)
{
	struct sort_ctx ctx = { k, reverse ? -1 : 1 };

	qsort_r(v, n, sizeof(*v), qs_proc, &ctx);
}

bool ctop_filter_container(const struct ctop_container *c, const char *text)
{
	if (!text || !*text)
		return true;
	return strcasestr(c->name, text) || strcasestr(c->id, text) || strcasestr(c->image, text);
}

bool ctop_filter_proc(const struct ctop_proc *p, const char *text)
{
	char pid[16];

	if (!text || !*text)
		return true;
	snprintf(pid, sizeof(pid), "%u", p->pid);
	return strcasestr(p->comm, text) || strcasestr(p->cmdline, text) || strstr(pid, text);
}
