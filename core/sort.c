// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "metrics.h"

/* The keys that are no one metric's: sums of the metrics whose .sum names them, and the name. */
static const struct {
	enum ctop_sort_key key;
	const char *name;
} other_keys[] = {
	{ CTOP_SORT_DISK, "disk" },
	{ CTOP_SORT_NET, "net" },
	{ CTOP_SORT_NAME, "name" },
};

int ctop_sort_key_parse(const char *s, enum ctop_sort_key *out)
{
	enum ctop_sort_key k;
	size_t i;

	for (i = 0; s && (k = ctop_sort_key_at(i)) != CTOP_SORT__COUNT; i++) {
		if (strcmp(s, ctop_sort_key_name(k)) == 0) {
			*out = k;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ctop_sort_key_name(enum ctop_sort_key k)
{
	const struct ctop_metric_desc *d;
	size_t i;
	int m;

	for (m = 0; (d = ctop_metric_get((enum ctop_metric)m)); m++)
		if (d->sort == k)
			return d->sort_name;
	for (i = 0; i < sizeof(other_keys) / sizeof(other_keys[0]); i++)
		if (other_keys[i].key == k)
			return other_keys[i].name;
	return "?";
}

/* Three-way, never a difference cast to int. */
static int cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

struct sort_ctx {
	enum ctop_sort_key key;
	int dir;	/* 1 for the natural order, -1 reversed */
	enum ctop_metric m[CTOP_M__ALL];	/* what the key adds up; none for the name */
	size_t nm;
};

/* What a container c, or a process p when given, sorts on. */
static double key_value(const struct sort_ctx *ctx, const struct ctop_container *c,
			const struct ctop_proc *p)
{
	double v = 0;
	size_t i;

	for (i = 0; i < ctx->nm; i++)
		v += ctop_metric_value(ctx->m[i], c, p);
	return v;
}

static int cmp_container(const struct ctop_container *a, const struct ctop_container *b,
			 const struct sort_ctx *ctx)
{
	int r = 0;

	if (ctx->key != CTOP_SORT_NAME)
		r = -cmp_double(key_value(ctx, a, NULL), key_value(ctx, b, NULL));
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
		r = -cmp_double(key_value(ctx, NULL, a), key_value(ctx, NULL, b));
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
	struct sort_ctx ctx = { .key = k, .dir = reverse ? -1 : 1 };

	ctx.nm = ctop_sort_key_metrics(k, CTOP_ROW_CONTAINER, ctx.m);
	qsort_r(v, n, sizeof(*v), qs_container, &ctx);
}

void ctop_sort_procs(const struct ctop_proc **v, size_t n, enum ctop_sort_key k, bool reverse)
{
	struct sort_ctx ctx = { .key = k, .dir = reverse ? -1 : 1 };

	ctx.nm = ctop_sort_key_metrics(k, CTOP_ROW_PROC, ctx.m);
	qsort_r(v, n, sizeof(*v), qs_proc, &ctx);
}

bool ctop_filter_container(const struct ctop_container *c, const char *text)
{
	if (!text || !*text)
		return true;
	return strcasestr(c->name, text) || strcasestr(c->id, text) || strcasestr(c->image, text) ||
	       strcasestr(c->pod, text) || strcasestr(c->ns, text);
}

char *ctop_container_label(const struct ctop_container *c, char *buf, size_t len)
{
	const char *name = c->name[0] ? c->name : c->is_host ? "[host]" : c->id;

	if (c->pod[0])
		snprintf(buf, len, "%s/%s", c->pod, name);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

bool ctop_filter_proc(const struct ctop_proc *p, const char *text)
{
	char pid[16];

	if (!text || !*text)
		return true;
	snprintf(pid, sizeof(pid), "%u", p->pid);
	return strcasestr(p->comm, text) || strcasestr(p->cmdline, text) || strstr(pid, text);
}
