// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A snapshot as exact JSON. Two choices keep it small as well as exact:
 * - A rate the aggregation computed as count / interval is stored as the
 *   integer count (CPU in ns, bytes otherwise) when dividing it again by
 *   the recorded interval gives the same double bit for bit; anything
 *   else is stored as the double itself, with 17 digits. JSON integers and
 *   reals are kept apart: 5 is a count, 5.0 a rate.
 * - Processes, by far the most numerous, are arrays rather than objects.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "snapshot_json.h"

#define PROC_FIELDS	7	/* pid ppid threads flags comm cmdline start_ns, then m[] */
#define PF_ZOMBIE	1
#define PF_KTHREAD	2

/* A parsed snapshot and the one array that holds all its processes. */
struct owned {
	struct ctop_snapshot s;
	struct ctop_proc *procs;
	double (*smooth)[CTOP_M__COUNT];	/* the rows' that have one; the host row's last */
};

/* ---- writing ---- */

/*
 * Written directly rather than through a jansson tree: building the tree
 * cost ten times what compressing the text does (0.9 ms a refresh for
 * 500 processes, against a budget of 1 ms). jansson still reads it, and
 * checks any string that is not ASCII for UTF-8.
 */
struct out {
	char *p;
	size_t len, cap;
	bool fail;
};

static char *room(struct out *o, size_t n)
{
	size_t cap;
	char *p;

	if (o->fail)
		return NULL;
	if (o->len + n > o->cap) {
		cap = o->cap ? o->cap : 4096;
		while (cap < o->len + n)
			cap *= 2;
		p = realloc(o->p, cap);
		if (!p) {
			o->fail = true;
			return NULL;
		}
		o->p = p;
		o->cap = cap;
	}
	return o->p + o->len;
}

static void put(struct out *o, const char *s, size_t n)
{
	char *p = room(o, n);

	if (!p)
		return;
	memcpy(p, s, n);
	o->len += n;
}

/* One byte: most of a record's punctuation, too short for memcpy's call. */
static void put_char(struct out *o, char c)
{
	char *p = room(o, 1);

	if (!p)
		return;
	*p = c;
	o->len++;
}

#define PUT(o, lit) (sizeof(lit) == 2 ? put_char(o, (lit)[0]) : put(o, lit, sizeof(lit) - 1))

static void put_u64(struct out *o, uint64_t v, bool neg)
{
	char tmp[24], *e = tmp + sizeof(tmp), *s = e;

	do
		*--s = (char)('0' + v % 10);
	while (v /= 10);
	if (neg)
		*--s = '-';
	put(o, s, (size_t)(e - s));
}

/* Signed, as jansson reads it: values from 2^63 come back as the same bits. */
static void put_int(struct out *o, int64_t v)
{
	put_u64(o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

int ctop_json_real(char *buf, size_t size, double v)
{
	char d[24], *e = d + sizeof(d), *s = e;
	uint64_t x;
	int n;

	/*
	 * A whole number below 2^53, most of them 0.0, without snprintf: "%.17g"
	 * prints its digits (it has at most 16), and -0.0 is left to it.
	 */
	if (fabs(v) < 9007199254740992.0 && v == (double)(int64_t)v && !(v == 0 && signbit(v))) {
		x = (uint64_t)(v < 0 ? -v : v);
		*--s = '0';
		*--s = '.';
		do
			*--s = (char)('0' + x % 10);
		while (x /= 10);
		if (v < 0)
			*--s = '-';
		n = (int)(e - s);
		if (size) {
			size_t k = (size_t)n < size ? (size_t)n : size - 1;

			memcpy(buf, s, k);
			buf[k] = '\0';
		}
		return n;
	}
	n = snprintf(buf, size, "%.17g", v);
	if (n > 0 && (size_t)n < size && !strpbrk(buf, ".en"))
		n += snprintf(buf + n, size - (size_t)n, ".0");
	return n;
}

/* A JSON real, exact: it always holds '.' or 'e', so it is read back as one. */
static void put_real(struct out *o, double v)
{
	char tmp[40];

	if (!isfinite(v)) {
		PUT(o, "null");
		return;
	}
	put(o, tmp, (size_t)ctop_json_real(tmp, sizeof(tmp), v));
}

/* Exact bytes: UTF-8 as a string, anything else as {"hex": "..."}. */
static void put_bytes(struct out *o, const char *s)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = strlen(s), i;
	bool ascii = true;
	json_t *j;
	char *p;

	for (i = 0; i < n; i++)
		ascii &= (unsigned char)s[i] < 0x80;
	j = ascii ? NULL : json_stringn(s, n);
	if (!ascii && !j) {
		PUT(o, "{\"hex\":\"");
		p = room(o, 2 * n);
		if (!p)
			return;
		for (i = 0; i < n; i++) {
			p[2 * i] = digits[(unsigned char)s[i] >> 4];
			p[2 * i + 1] = digits[(unsigned char)s[i] & 15];
		}
		o->len += 2 * n;
		PUT(o, "\"}");
		return;
	}
	json_decref(j);
	p = room(o, 6 * n + 2);
	if (!p)
		return;
	*p++ = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c < 0x20) {
			memcpy(p, "\\u00", 4);
			p[4] = digits[c >> 4];
			p[5] = digits[c & 15];
			p += 6;
		} else {
			*p++ = (char)c;
		}
	}
	*p++ = '"';
	o->len = (size_t)(p - o->p);
}

static void put_key(struct out *o, const char *key, size_t n)
{
	put(o, key, n);
}

#define KEY(o, lit) put_key(o, lit, sizeof(lit) - 1)

static bool same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

/* What m[i] is the count of, over dt seconds: the inverse of aggregate.c. */
static double from_count(enum ctop_metric i, double k, double dt)
{
	if (i == CTOP_M_CPU)
		return k / (dt * 1e9) * 100.0;
	if (i == CTOP_M_RSS)
		return k;
	return k / dt;
}

static void put_metric(struct out *o, enum ctop_metric i, double v, double dt)
{
	double k;

	if (!isfinite(v)) {
		PUT(o, "null");
		return;
	}
	if (i == CTOP_M_CPU)
		k = round(v / 100.0 * (dt * 1e9));
	else if (i == CTOP_M_RSS)
		k = v;
	else
		k = round(v * dt);
	/* Checked with the integer stored: -0.0 is no count. */
	if ((i == CTOP_M_RSS || (dt > 0 && isfinite(dt))) && fabs(k) < 9007199254740992.0 &&
	    same_bits(from_count(i, (double)(int64_t)k, dt), v))
		put_int(o, (int64_t)k);
	else
		put_real(o, v);
}

static void put_metrics(struct out *o, const double *m, double dt)
{
	int i;

	for (i = 0; i < CTOP_M__COUNT; i++) {
		if (i)
			PUT(o, ",");
		put_metric(o, i, m[i], dt);
	}
}

static void put_proc(struct out *o, const struct ctop_proc *p, double dt)
{
	PUT(o, "[");
	put_u64(o, p->pid, false);
	PUT(o, ",");
	put_u64(o, p->ppid, false);
	PUT(o, ",");
	put_u64(o, p->nthreads, false);
	PUT(o, ",");
	put_u64(o, (p->zombie ? PF_ZOMBIE : 0) | (p->kthread ? PF_KTHREAD : 0), false);
	PUT(o, ",");
	put_bytes(o, p->comm);
	PUT(o, ",");
	put_bytes(o, p->cmdline);
	PUT(o, ",");
	put_int(o, (int64_t)p->start_ns);
	PUT(o, ",");
	put_metrics(o, p->m, dt);
	PUT(o, "]");
}

/*
 * A container's cgroup fields in the order a record keeps them: the
 * integers, then the reals. Records made before the figures were read
 * have none: they stay 0, unknown.
 */
#define CG_INTS		11

static void cg_ints(const struct ctop_cg_stats *cg, uint64_t *v)
{
	const uint64_t f[CG_INTS] = {
		cg->have,	  cg->mem_bytes,  cg->mem_limit_bytes, cg->cpu_quota_us,
		cg->cpu_period_us, cg->cpuset_cpus, cg->nr_periods,    cg->nr_throttled,
		cg->throttled_ns, cg->oom_kills,	(uint64_t)cg->state,
	};

	memcpy(v, f, sizeof(f));
}

static int cg_set_ints(struct ctop_cg_stats *cg, const uint64_t *v)
{
	if (v[0] > UINT32_MAX || v[5] > UINT32_MAX || v[10] > CTOP_STATE_EXITED)
		return -EBADMSG;
	cg->have = (uint32_t)v[0];
	cg->mem_bytes = v[1];
	cg->mem_limit_bytes = v[2];
	cg->cpu_quota_us = v[3];
	cg->cpu_period_us = v[4];
	cg->cpuset_cpus = (uint32_t)v[5];
	cg->nr_periods = v[6];
	cg->nr_throttled = v[7];
	cg->throttled_ns = v[8];
	cg->oom_kills = v[9];
	cg->state = (enum ctop_run_state)v[10];
	return 0;
}

static void put_container(struct out *o, const struct ctop_container *c, double dt, bool state)
{
	/* The runtime, then the bytes in the order of enum ctop_io_kind. */
	uint64_t totals[1 + CTOP_IO__COUNT] = { c->cpu_ns_total }, ints[CG_INTS];
	size_t i;

	memcpy(totals + 1, c->io_total, sizeof(c->io_total));

	KEY(o, "{\"id\":");
	put_bytes(o, c->id);
	KEY(o, ",\"name\":");
	put_bytes(o, c->name);
	KEY(o, ",\"runtime\":");
	put_bytes(o, c->runtime);
	KEY(o, ",\"image\":");
	put_bytes(o, c->image);
	KEY(o, ",\"cgroup\":");
	put_bytes(o, c->cgroup);
	KEY(o, ",\"pod\":");
	put_bytes(o, c->pod);
	KEY(o, ",\"namespace\":");
	put_bytes(o, c->ns);
	KEY(o, ",\"pids\":");
	put_u64(o, c->pids, false);
	/* left out where unknown, as in records made before there was one */
	if (c->start_time > 0) {
		KEY(o, ",\"start_time\":");
		put_real(o, c->start_time);
	}
	KEY(o, ",\"m\":[");
	put_metrics(o, c->m, dt);
	KEY(o, "],\"totals\":[");
	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		if (i)
			PUT(o, ",");
		put_int(o, (int64_t)totals[i]);
	}
	/*
	 * The cgroup's files as read, then the figures shown (cgroup_stats.h);
	 * left out where none is known, as in records made before there were.
	 */
	if (c->cg.have || c->cgm_known) {
		KEY(o, "],\"cg\":[");
		cg_ints(&c->cg, ints);
		for (i = 0; i < CG_INTS; i++) {
			put_int(o, (int64_t)ints[i]);
			PUT(o, ",");
		}
		put_real(o, c->cg.psi_cpu_some);
		PUT(o, ",");
		put_real(o, c->cg.psi_mem_some);
		PUT(o, ",");
		put_real(o, c->cg.psi_io_some);
		KEY(o, "],\"cgm\":[");
		put_u64(o, c->cgm_known, false);
		for (i = 0; i < CTOP_M__CGROUP; i++) {
			PUT(o, ",");
			put_real(o, c->cgm[i]);
		}
	}
	if (state && c->smooth) {
		KEY(o, "],\"smooth\":[");
		for (i = 0; i < CTOP_M__COUNT; i++) {
			if (i)
				PUT(o, ",");
			put_real(o, c->smooth[i]);
		}
	}
	KEY(o, "],\"procs\":[");
	for (i = 0; i < c->nprocs; i++) {
		if (i)
			PUT(o, ",");
		put_proc(o, &c->procs[i], dt);
	}
	PUT(o, "]}");
}

int ctop_snapshot_json_dump(const struct ctop_snapshot *s, char **out, size_t *len)
{
	return ctop_snapshot_json_dump_state(s, false, out, len);
}

int ctop_snapshot_json_dump_state(const struct ctop_snapshot *s, bool state, char **out,
				  size_t *len)
{
	const struct ctop_host *h = &s->host;
	struct out o = { 0 };
	size_t i;

	*out = NULL;
	*len = 0;
	KEY(&o, "{\"seq\":");
	put_int(&o, (int64_t)s->seq);
	KEY(&o, ",\"time\":");
	put_real(&o, s->time);
	KEY(&o, ",\"interval_s\":");
	put_real(&o, s->interval_s);
	KEY(&o, ",\"host\":{\"hostname\":");
	put_bytes(&o, h->hostname);
	KEY(&o, ",\"kernel\":");
	put_bytes(&o, h->kernel);
	KEY(&o, ",\"cpus\":");
	put_int(&o, h->cpus);
	KEY(&o, ",\"cpu_pct\":");
	put_real(&o, h->cpu_pct);
	KEY(&o, ",\"mem_total_bytes\":");
	put_int(&o, (int64_t)h->mem_total_bytes);
	KEY(&o, ",\"mem_used_bytes\":");
	put_int(&o, (int64_t)h->mem_used_bytes);
	KEY(&o, ",\"lost_events\":");
	put_int(&o, (int64_t)h->lost_events);
	KEY(&o, ",\"procs\":");
	put_u64(&o, h->nprocs, false);
	/* the processes' start_time comes back from it and their start_ns */
	if (h->mono_epoch > 0) {
		KEY(&o, ",\"mono_epoch\":");
		put_real(&o, h->mono_epoch);
	}
	KEY(&o, ",\"probes\":{\"net\":");
	put_bytes(&o, ctop_probe_name(h->probes.net));
	KEY(&o, ",\"file\":");
	put_bytes(&o, ctop_probe_name(h->probes.file));
	KEY(&o, ",\"storage\":");
	put_bytes(&o, ctop_probe_name(h->probes.storage));
	/* Not in recordings before it: they read back as they were. */
	if (h->probes.tasks != CTOP_PROBE_AUTO) {
		KEY(&o, ",\"tasks\":");
		put_bytes(&o, ctop_probe_name(h->probes.tasks));
	}
	KEY(&o, "}},\"host_row\":");
	put_container(&o, &s->host_row, s->interval_s, state);
	KEY(&o, ",\"containers\":[");
	for (i = 0; i < s->ncontainers; i++) {
		if (i)
			PUT(&o, ",");
		put_container(&o, &s->containers[i], s->interval_s, state);
	}
	PUT(&o, "]");
	if (state) {
		KEY(&o, ",\"alpha\":");
		put_real(&o, s->alpha);
	}
	PUT(&o, "}\n");
	if (!room(&o, 1)) {
		free(o.p);
		return -ENOMEM;
	}
	o.p[o.len] = '\0';
	*out = o.p;
	*len = o.len;
	return 0;
}

/* ---- reading ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Into dst[size], cut to fit; NULL (absent) is "". An embedded NUL ends it. */
static int get_bytes(const json_t *j, char *dst, size_t size)
{
	const char *src;
	size_t n, i;
	int hi, lo;

	dst[0] = '\0';
	if (!j)
		return 0;
	if (json_is_string(j)) {
		src = json_string_value(j);
		n = strnlen(src, json_string_length(j));
		n = n < size - 1 ? n : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
		return 0;
	}
	j = json_object_get(j, "hex");
	if (!json_is_string(j) || json_string_length(j) % 2)
		return -EBADMSG;
	src = json_string_value(j);
	n = json_string_length(j) / 2;
	for (i = 0; i < n && i < size - 1; i++) {
		hi = hexval(src[2 * i]);
		lo = hexval(src[2 * i + 1]);
		if (hi < 0 || lo < 0 || (hi | lo) == 0)
			return -EBADMSG;
		dst[i] = (char)(hi << 4 | lo);
	}
	dst[i] = '\0';
	return 0;
}

/* An integer field; absent is 0, anything but an integer is an error. */
static int get_int(const json_t *j, json_int_t *v)
{
	*v = 0;
	if (!j)
		return 0;
	if (!json_is_integer(j))
		return -EBADMSG;
	*v = json_integer_value(j);
	return 0;
}

static int get_u64(const json_t *j, uint64_t *v)
{
	json_int_t i;
	int r = get_int(j, &i);

	*v = (uint64_t)i;
	return r;
}

static int get_u32(const json_t *j, uint32_t *v)
{
	json_int_t i;
	int r = get_int(j, &i);

	*v = (uint32_t)i;
	return r;
}

/*
 * A real field; absent or null (what was not finite, which no refresh
 * makes) is 0. A value no refresh makes is refused: the views convert
 * times and sizes to integers, where NaN or 1e300 would be undefined.
 */
#define REAL_MAX	9e18	/* below 2^63 */
#define TIME_MAX	1e11	/* seconds: the year 5138 */

static int get_real(const json_t *j, double *v)
{
	*v = 0;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_number(j))
		return -EBADMSG;
	*v = json_number_value(j);
	return isfinite(*v) && fabs(*v) < REAL_MAX ? 0 : -EBADMSG;
}

static int get_metric(const json_t *j, enum ctop_metric i, double dt, double *v)
{
	if (json_is_integer(j)) {
		/* no writer stores a count without an interval; read it as the value */
		*v = i == CTOP_M_RSS || !(dt > 0) ? (double)json_integer_value(j)
						 : from_count(i, (double)json_integer_value(j), dt);
		return isfinite(*v) && fabs(*v) < REAL_MAX ? 0 : -EBADMSG;
	}
	return get_real(j, v);
}

static int get_probe(const json_t *j, enum ctop_probe *p)
{
	const char *name = json_string_value(j);
	int i;

	*p = CTOP_PROBE_AUTO;
	if (!j)
		return 0;
	if (!name)
		return -EBADMSG;
	for (i = 0; i < CTOP_PROBE__COUNT; i++)
		if (!strcmp(name, ctop_probe_name(i))) {
			*p = i;
			return 0;
		}
	return -EBADMSG;
}

static int get_proc(const json_t *a, double dt, double mono_epoch, struct ctop_proc *p)
{
	json_int_t flags;
	size_t i;
	int r = 0;

	memset(p, 0, sizeof(*p));
	if (!json_is_array(a) || json_array_size(a) < PROC_FIELDS + CTOP_M__COUNT)
		return -EBADMSG;
	r |= get_u32(json_array_get(a, 0), &p->pid);
	r |= get_u32(json_array_get(a, 1), &p->ppid);
	r |= get_u32(json_array_get(a, 2), &p->nthreads);
	r |= get_int(json_array_get(a, 3), &flags);
	p->zombie = flags & PF_ZOMBIE;
	p->kthread = flags & PF_KTHREAD;
	r |= get_bytes(json_array_get(a, 4), p->comm, sizeof(p->comm));
	r |= get_bytes(json_array_get(a, 5), p->cmdline, sizeof(p->cmdline));
	r |= get_u64(json_array_get(a, 6), &p->start_ns);
	/* as the aggregation computed it, bit for bit */
	p->start_time = mono_epoch > 0 ? mono_epoch + (double)p->start_ns / 1e9 : 0;
	for (i = 0; i < CTOP_M__COUNT; i++)
		r |= get_metric(json_array_get(a, PROC_FIELDS + i), i, dt, &p->m[i]);
	return r ? -EBADMSG : 0;
}

static int get_container(const json_t *o, double dt, double mono_epoch,
			 struct ctop_container *c, struct ctop_proc *procs, double *smooth)
{
	const json_t *m = json_object_get(o, "m"), *t = json_object_get(o, "totals");
	const json_t *sm = json_object_get(o, "smooth");
	const json_t *cg = json_object_get(o, "cg"), *cgm = json_object_get(o, "cgm");
	uint64_t ints[CG_INTS] = { 0 };
	uint64_t *totals[1 + CTOP_IO__COUNT] = { &c->cpu_ns_total };
	const json_t *pa = json_object_get(o, "procs");
	size_t i;
	int r = 0;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CTOP_IO__COUNT; i++)
		totals[1 + i] = &c->io_total[i];
	if (!json_is_object(o) || (m && !json_is_array(m)) || (t && !json_is_array(t)) ||
	    (pa && !json_is_array(pa)))
		return -EBADMSG;
	r |= get_bytes(json_object_get(o, "id"), c->id, sizeof(c->id));
	r |= get_bytes(json_object_get(o, "name"), c->name, sizeof(c->name));
	r |= get_bytes(json_object_get(o, "runtime"), c->runtime, sizeof(c->runtime));
	r |= get_bytes(json_object_get(o, "image"), c->image, sizeof(c->image));
	r |= get_bytes(json_object_get(o, "cgroup"), c->cgroup, sizeof(c->cgroup));
	r |= get_bytes(json_object_get(o, "pod"), c->pod, sizeof(c->pod));
	r |= get_bytes(json_object_get(o, "namespace"), c->ns, sizeof(c->ns));
	r |= get_u32(json_object_get(o, "pids"), &c->pids);
	if (json_object_get(o, "start_time"))
		r |= get_real(json_object_get(o, "start_time"), &c->start_time);
	if (c->start_time < 0)
		r = -EBADMSG;
	for (i = 0; i < CTOP_M__COUNT; i++)
		r |= get_metric(json_array_get(m, i), i, dt, &c->m[i]);
	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++)
		r |= get_u64(json_array_get(t, i), totals[i]);
	if (cg && json_is_array(cg)) {
		for (i = 0; i < CG_INTS; i++)
			r |= get_u64(json_array_get(cg, i), &ints[i]);
		r |= cg_set_ints(&c->cg, ints);
		r |= get_real(json_array_get(cg, CG_INTS), &c->cg.psi_cpu_some);
		r |= get_real(json_array_get(cg, CG_INTS + 1), &c->cg.psi_mem_some);
		r |= get_real(json_array_get(cg, CG_INTS + 2), &c->cg.psi_io_some);
	}
	if (cgm && json_is_array(cgm)) {
		r |= get_u32(json_array_get(cgm, 0), &c->cgm_known);
		for (i = 0; i < CTOP_M__CGROUP; i++)
			r |= get_real(json_array_get(cgm, 1 + i), &c->cgm[i]);
		if (c->cgm_known >> CTOP_M__CGROUP)
			r = -EBADMSG;
	}
	if (sm) {
		if (!json_is_array(sm) || json_array_size(sm) < CTOP_M__COUNT)
			r = -EBADMSG;
		for (i = 0; !r && i < CTOP_M__COUNT; i++)
			r |= get_real(json_array_get(sm, i), &smooth[i]);
		c->smooth = smooth;
	}
	c->procs = procs;
	c->nprocs = json_array_size(pa);
	for (i = 0; !r && i < c->nprocs; i++)
		r |= get_proc(json_array_get(pa, i), dt, mono_epoch, &procs[i]);
	return r ? -EBADMSG : 0;
}

static size_t nprocs_of(const json_t *c)
{
	return json_array_size(json_object_get(c, "procs"));
}

int ctop_snapshot_json_parse(const char *text, size_t len, struct ctop_snapshot **out)
{
	const json_t *host, *conts, *host_row;
	struct ctop_snapshot *s;
	struct owned *own = NULL;
	json_t *root;
	size_t i, total, used;
	uint32_t u;
	json_int_t cpus;
	int r = 0;

	*out = NULL;
	root = json_loadb(text, len, JSON_ALLOW_NUL, NULL);
	host = json_object_get(root, "host");
	conts = json_object_get(root, "containers");
	host_row = json_object_get(root, "host_row");
	if (!json_is_object(root) || !json_is_object(host) || !json_is_array(conts) ||
	    !json_is_object(host_row)) {
		r = -EBADMSG;
		goto out;
	}
	total = nprocs_of(host_row);
	for (i = 0; i < json_array_size(conts); i++)
		total += nprocs_of(json_array_get(conts, i));
	own = calloc(1, sizeof(*own));
	if (!own) {
		r = -ENOMEM;
		goto out;
	}
	s = &own->s;
	s->ncontainers = json_array_size(conts);
	own->procs = calloc(total ? total : 1, sizeof(*own->procs));
	s->containers = calloc(s->ncontainers ? s->ncontainers : 1, sizeof(*s->containers));
	own->smooth = calloc(s->ncontainers + 1, sizeof(*own->smooth));
	if (!own->procs || !s->containers || !own->smooth) {
		r = -ENOMEM;
		goto out;
	}
	r |= get_u64(json_object_get(root, "seq"), &s->seq);
	r |= get_real(json_object_get(root, "time"), &s->time);
	r |= get_real(json_object_get(root, "interval_s"), &s->interval_s);
	r |= get_real(json_object_get(root, "alpha"), &s->alpha);
	r |= fabs(s->time) < TIME_MAX && fabs(s->interval_s) < TIME_MAX ? 0 : -EBADMSG;
	r |= get_bytes(json_object_get(host, "hostname"), s->host.hostname,
		       sizeof(s->host.hostname));
	r |= get_bytes(json_object_get(host, "kernel"), s->host.kernel, sizeof(s->host.kernel));
	r |= get_int(json_object_get(host, "cpus"), &cpus);
	s->host.cpus = (int)cpus;
	r |= get_real(json_object_get(host, "cpu_pct"), &s->host.cpu_pct);
	r |= get_u64(json_object_get(host, "mem_total_bytes"), &s->host.mem_total_bytes);
	r |= get_u64(json_object_get(host, "mem_used_bytes"), &s->host.mem_used_bytes);
	r |= get_u64(json_object_get(host, "lost_events"), &s->host.lost_events);
	r |= get_u32(json_object_get(host, "procs"), &u);
	s->host.nprocs = u;
	if (json_object_get(host, "mono_epoch"))
		r |= get_real(json_object_get(host, "mono_epoch"), &s->host.mono_epoch);
	if (s->host.mono_epoch < 0)
		r = -EBADMSG;
	host = json_object_get(host, "probes");
	r |= get_probe(json_object_get(host, "net"), &s->host.probes.net);
	r |= get_probe(json_object_get(host, "file"), &s->host.probes.file);
	r |= get_probe(json_object_get(host, "storage"), &s->host.probes.storage);
	r |= get_probe(json_object_get(host, "tasks"), &s->host.probes.tasks);
	if (r) {
		r = -EBADMSG;
		goto out;
	}
	r = get_container(host_row, s->interval_s, s->host.mono_epoch, &s->host_row, own->procs,
			  own->smooth[s->ncontainers]);
	s->host_row.is_host = true;
	used = s->host_row.nprocs;
	for (i = 0; !r && i < s->ncontainers; i++) {
		r = get_container(json_array_get(conts, i), s->interval_s, s->host.mono_epoch,
				  &s->containers[i], own->procs + used, own->smooth[i]);
		used += s->containers[i].nprocs;
	}
	if (r)
		goto out;
	*out = s;
	own = NULL;
out:
	if (own)
		ctop_snapshot_free(&own->s);
	json_decref(root);
	return r;
}

void ctop_snapshot_free(struct ctop_snapshot *s)
{
	struct owned *own = (struct owned *)s;	/* s is its first member */

	if (!s)
		return;
	free(own->procs);
	free(own->smooth);
	free(s->containers);
	free(own);
}
