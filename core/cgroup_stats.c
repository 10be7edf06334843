// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cgroup_stats.h"

/* The longest cgroup file read: memory.stat is about 1.5 kB. */
#define CG_FILE_MAX	16384

/* v1's "no limit": PAGE_COUNTER_MAX pages, whatever the page size. */
#define V1_UNLIMITED	(1ULL << 62)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* A decimal number in [p, end), past leading blanks; *next after it. */
static int parse_u64(const char *p, const char *end, uint64_t *out, const char **next)
{
	uint64_t v = 0;
	int digits = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (!digits)
		return -EINVAL;
	*out = v;
	if (next)
		*next = p;
	return 0;
}

/* Only blanks from p to end. */
static bool rest_blank(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p == end;
}

int ctop_cg_parse_key(const char *text, size_t n, const char *key, uint64_t *out)
{
	const char *p = text, *end = text + n, *eol, *after;
	size_t klen = strlen(key);

	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > klen && !memcmp(p, key, klen) &&
		    (p[klen] == ' ' || p[klen] == '\t'))
			return parse_u64(p + klen, eol, out, &after) == 0 && rest_blank(after, eol) ?
				       0 : -EINVAL;
	}
	return -ENOENT;
}

int ctop_cg_parse_max(const char *text, size_t n, uint64_t *out, bool *unlimited)
{
	const char *end = text + n, *after;

	if (n >= 3 && !memcmp(text, "max", 3) && rest_blank(text + 3, end)) {
		*unlimited = true;
		*out = 0;
		return 0;
	}
	if (parse_u64(text, end, out, &after) || !rest_blank(after, end))
		return -EINVAL;
	*unlimited = false;
	return 0;
}

int ctop_cg_parse_cpu_max(const char *text, size_t n, uint64_t *quota, uint64_t *period,
			  bool *unlimited)
{
	const char *p = text, *end = text + n;
	bool max = false;
	uint64_t q = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p >= 3 && !memcmp(p, "max", 3)) {
		max = true;
		p += 3;
	} else if (parse_u64(p, end, &q, &p)) {
		return -EINVAL;
	}
	if (p == end || (*p != ' ' && *p != '\t') || parse_u64(p, end, period, &p) ||
	    !rest_blank(p, end) || !*period)
		return -EINVAL;
	*quota = q;
	*unlimited = max;
	return 0;
}

int ctop_cg_parse_psi_some(const char *text, size_t n, double *avg10)
{
	static const char key[] = "some avg10=";
	const char *end = text + n;
	uint64_t whole, frac = 0;
	int fdigits = 0;
	const char *p;

	if (n < sizeof(key) - 1 || memcmp(text, key, sizeof(key) - 1))
		return -EINVAL;
	p = text + sizeof(key) - 1;
	if (parse_u64(p, end, &whole, &p) || whole > 100)
		return -EINVAL;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9' && fdigits < 6; p++, fdigits++)
			frac = frac * 10 + (uint64_t)(*p - '0');
	if (p < end && !is_blank(*p))
		return -EINVAL;
	*avg10 = (double)whole;
	if (fdigits) {
		double scale = 1;

		while (fdigits--)
			scale *= 10;
		*avg10 += (double)frac / scale;
	}
	return 0;
}

int ctop_cg_parse_cpulist(const char *text, size_t n, uint32_t *count)
{
	const char *p = text, *end = text + n;
	uint64_t lo, hi, total = 0;

	while (end > p && is_blank(end[-1]))
		end--;
	if (p == end) {
		*count = 0;
		return 0;
	}
	for (;;) {
		if (parse_u64(p, end, &lo, &p))
			return -EINVAL;
		hi = lo;
		if (p < end && *p == '-' && parse_u64(p + 1, end, &hi, &p))
			return -EINVAL;
		if (hi < lo || hi - lo >= 1 << 20)
			return -EINVAL;
		total += hi - lo + 1;
		if (total > UINT32_MAX)
			return -EINVAL;
		if (p == end)
			break;
		if (*p++ != ',')
			return -EINVAL;
	}
	*count = (uint32_t)total;
	return 0;
}

/*
 * One cgroup's files, kept open from one read to the next. On cgroupfs an
 * open and close cost about 7 us a file here, where a read at offset 0 of
 * an open file costs 1 us (seq_file starts over at offset 0), and a
 * container has some 15 of them. A file that is not there is tried again
 * every CG_RETRY reads: a controller can be enabled later.
 */
enum cg_file {
	F_V2_MEM_CUR, F_V2_MEM_STAT, F_V2_MEM_MAX, F_V2_MEM_EVENTS,
	F_V1_MEM_USAGE, F_V1_MEM_STAT, F_V1_MEM_LIMIT, F_V1_MEM_OOM,
	F_V2_CPU_MAX, F_V2_CPU_STAT, F_V1_CFS_QUOTA, F_V1_CFS_PERIOD, F_V1_CPU_STAT,
	F_V2_CPUSET, F_V1_CPUSET, F_V2_PSI_CPU, F_V2_PSI_MEM, F_V2_PSI_IO,
	F_V1_FREEZER, F_V2_EVENTS,
	F__COUNT
};
#define CG_RETRY 16

/*
 * Two groups of files are read less often than every refresh, which halves
 * what a refresh costs the kernel at 100 containers (the three pressure
 * files are among the dearest to format):
 * - PSI: the kernel computes a cgroup's averages every 2 s (PSI_FREQ), so
 *   a read sooner returns the same avg10. Read when 1.9 s have passed (a
 *   1 s refresh that wakes a little early still reads every other time),
 *   the figure shown is the kernel's, at most one refresh late.
 * - The limits (memory limit, CPU quota and period, cpuset): they change
 *   only when the container is updated (docker update), so every 10 s.
 * A new cgroup's files read both at once.
 * And cpu.stat's CFS counters only while the last limits read found a
 * quota: without one the kernel runs no period timer for the cgroup, so
 * they stand still (kept from that read, exact); one set later is seen
 * within the 10 s, its counters then read whole.
 */
#define CG_PSI_EVERY_NS		1900000000ULL
#define CG_LIMITS_EVERY_NS	10000000000ULL

enum cpu_from { CPU_NONE, CPU_V2, CPU_V1 };

struct ctop_cg_files {
	int fd[F__COUNT];		/* the descriptor + 1; 0: not open */
	uint32_t absent_until[F__COUNT];	/* in reads */
	uint32_t reads;
	bool psi_read, limits_read;	/* once at least */
	uint64_t psi_at, limits_at;	/* when last read, the caller's clock (ns) */
	/* the PSI and limit figures and their have bits from those reads */
	struct ctop_cg_stats kept;
	enum cpu_from cpu_from;		/* which cpu.stat the quota's hierarchy has */
};

#define CG_PSI_BITS	(CTOP_CGS_PSI_CPU | CTOP_CGS_PSI_MEM | CTOP_CGS_PSI_IO)
#define CG_LIMIT_BITS	(CTOP_CGS_MEM_LIMIT | CTOP_CGS_CPU_QUOTA | CTOP_CGS_CPUSET)

int ctop_cg_files_new(struct ctop_cg_files **out, char *err, size_t errlen)
{
	*out = calloc(1, sizeof(**out));
	if (*out)
		return 0;
	snprintf(err, errlen, "out of memory");
	return -ENOMEM;
}

void ctop_cg_files_free(struct ctop_cg_files *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < F__COUNT; i++)
		if (f->fd[i])
			close(f->fd[i] - 1);
	free(f);
}

size_t ctop_cg_files_max_open(void)
{
	return F__COUNT;
}

/*
 * The whole file from offset 0 into buf (NUL-terminated): its length, or
 * -errno. A short read is the end: kernfs shows a cgroup file as one
 * record (cgroup_seqfile_start), which one read at offset 0 returns whole
 * when it fits, so asking again only to be told 0 would double the system
 * calls, the costliest part of a refresh at 100 containers.
 */
static ssize_t read_whole(int fd, char *buf, size_t len)
{
	ssize_t n, got = 0;
	size_t want;

	while ((size_t)got < len - 1) {
		want = len - 1 - (size_t)got;
		n = pread(fd, buf + got, want, got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		got += n;
		if ((size_t)n < want)
			break;
	}
	buf[got] = '\0';
	return got;
}

/* dir/name into buf (NUL-terminated), through f's open file when f is there. */
static ssize_t read_at(struct ctop_cg_files *f, enum cg_file slot, const char *dir,
		       const char *name, char *buf, size_t len)
{
	char path[4096];
	ssize_t n;
	int fd;

	if (!dir)
		return -ENOENT;
	if (f && f->fd[slot]) {
		n = read_whole(f->fd[slot] - 1, buf, len);
		if (n >= 0)
			return n;
		/* its cgroup went (ENODEV): open it again, once */
		close(f->fd[slot] - 1);
		f->fd[slot] = 0;
	} else if (f && f->reads < f->absent_until[slot]) {
		return -ENOENT;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
	if (fd < 0) {
		n = -errno;
		if (f && n == -ENOENT)
			f->absent_until[slot] = f->reads + CG_RETRY;
		return n;
	}
	n = read_whole(fd, buf, len);
	if (f && n >= 0)
		f->fd[slot] = fd + 1;
	else
		close(fd);
	return n;
}

static bool read_key(struct ctop_cg_files *f, enum cg_file slot, const char *dir,
		     const char *file, const char *key, uint64_t *out)
{
	char buf[CG_FILE_MAX];
	ssize_t n = read_at(f, slot, dir, file, buf, sizeof(buf));

	return n > 0 && !ctop_cg_parse_key(buf, (size_t)n, key, out);
}

/* cpu.stat's CFS counters, the file read once: nr_periods, nr_throttled and time_key. */
static bool read_cfs(struct ctop_cg_files *f, enum cg_file slot, const char *dir,
		     const char *time_key, struct ctop_cg_stats *s, uint64_t *time)
{
	char buf[CG_FILE_MAX];
	ssize_t n = read_at(f, slot, dir, "cpu.stat", buf, sizeof(buf));

	return n > 0 && !ctop_cg_parse_key(buf, (size_t)n, "nr_periods", &s->nr_periods) &&
	       !ctop_cg_parse_key(buf, (size_t)n, "nr_throttled", &s->nr_throttled) &&
	       !ctop_cg_parse_key(buf, (size_t)n, time_key, time);
}

static bool read_max(struct ctop_cg_files *f, enum cg_file slot, const char *dir,
		     const char *file, uint64_t *out, bool *unlimited)
{
	char buf[64];
	ssize_t n = read_at(f, slot, dir, file, buf, sizeof(buf));

	return n > 0 && !ctop_cg_parse_max(buf, (size_t)n, out, unlimited);
}

/* A v1 number that may be negative for "none" (cfs_quota_us is -1). */
static bool read_v1_signed(struct ctop_cg_files *f, enum cg_file slot, const char *dir,
			   const char *file, uint64_t *out, bool *none)
{
	char buf[64];
	ssize_t n = read_at(f, slot, dir, file, buf, sizeof(buf));
	bool unlimited;

	if (n <= 0)
		return false;
	if (buf[0] == '-') {
		*none = true;
		return true;
	}
	*none = false;
	return !ctop_cg_parse_max(buf, (size_t)n, out, &unlimited) && !unlimited;
}

static void read_memory(const struct ctop_cg_dirs *d, struct ctop_cg_files *f,
			bool limits, struct ctop_cg_stats *s)
{
	uint64_t cur, inactive = 0, v;
	bool unlimited;

	if (read_max(f, F_V2_MEM_CUR, d->v2, "memory.current", &cur, &unlimited) && !unlimited) {
		read_key(f, F_V2_MEM_STAT, d->v2, "memory.stat", "inactive_file", &inactive);
		s->mem_bytes = cur > inactive ? cur - inactive : 0;
		s->have |= CTOP_CGS_MEM;
		if (limits && read_max(f, F_V2_MEM_MAX, d->v2, "memory.max", &v, &unlimited) &&
		    !unlimited) {
			s->mem_limit_bytes = v;
			s->have |= CTOP_CGS_MEM_LIMIT;
		}
		if (read_key(f, F_V2_MEM_EVENTS, d->v2, "memory.events", "oom_kill", &s->oom_kills))
			s->have |= CTOP_CGS_OOM;
		return;
	}
	if (read_max(f, F_V1_MEM_USAGE, d->v1_memory, "memory.usage_in_bytes", &cur, &unlimited) && !unlimited) {
		read_key(f, F_V1_MEM_STAT, d->v1_memory, "memory.stat", "total_inactive_file", &inactive);
		s->mem_bytes = cur > inactive ? cur - inactive : 0;
		s->have |= CTOP_CGS_MEM;
		if (limits &&
		    read_max(f, F_V1_MEM_LIMIT, d->v1_memory, "memory.limit_in_bytes", &v, &unlimited) &&
		    !unlimited && v < V1_UNLIMITED) {
			s->mem_limit_bytes = v;
			s->have |= CTOP_CGS_MEM_LIMIT;
		}
		if (read_key(f, F_V1_MEM_OOM, d->v1_memory, "memory.oom_control", "oom_kill", &s->oom_kills))
			s->have |= CTOP_CGS_OOM;
	}
}

/* The quota, its period and the cpuset; which hierarchy has the quota. */
static enum cpu_from read_cpu_limits(const struct ctop_cg_dirs *d, struct ctop_cg_files *f,
				     struct ctop_cg_stats *s)
{
	enum cpu_from from = CPU_NONE;
	char buf[128];
	ssize_t n;
	bool unlimited, none;

	n = read_at(f, F_V2_CPU_MAX, d->v2, "cpu.max", buf, sizeof(buf));
	if (n > 0 && !ctop_cg_parse_cpu_max(buf, (size_t)n, &s->cpu_quota_us, &s->cpu_period_us,
					     &unlimited)) {
		from = CPU_V2;
		if (!unlimited)
			s->have |= CTOP_CGS_CPU_QUOTA;
	} else if (read_v1_signed(f, F_V1_CFS_QUOTA, d->v1_cpu, "cpu.cfs_quota_us", &s->cpu_quota_us, &none)) {
		from = CPU_V1;
		if (!none && read_max(f, F_V1_CFS_PERIOD, d->v1_cpu, "cpu.cfs_period_us", &s->cpu_period_us,
				      &unlimited) && s->cpu_period_us)
			s->have |= CTOP_CGS_CPU_QUOTA;
	}
	n = read_at(f, F_V2_CPUSET, d->v2, "cpuset.cpus.effective", buf, sizeof(buf));
	if (n <= 0)
		n = read_at(f, F_V1_CPUSET, d->v1_cpuset, "cpuset.effective_cpus", buf, sizeof(buf));
	if (n > 0 && !ctop_cg_parse_cpulist(buf, (size_t)n, &s->cpuset_cpus) && s->cpuset_cpus)
		s->have |= CTOP_CGS_CPUSET;
	return from;
}

/* The throttling counters, of the hierarchy that has the quota. */
static void read_throttle(const struct ctop_cg_dirs *d, struct ctop_cg_files *f,
			  enum cpu_from from, struct ctop_cg_stats *s)
{
	uint64_t usec;

	if (from == CPU_V2 && read_cfs(f, F_V2_CPU_STAT, d->v2, "throttled_usec", s, &usec)) {
		s->throttled_ns = usec * 1000;
		s->have |= CTOP_CGS_THROTTLE;
	} else if (from == CPU_V1 && read_cfs(f, F_V1_CPU_STAT, d->v1_cpu, "throttled_time", s,
					       &s->throttled_ns)) {
		s->have |= CTOP_CGS_THROTTLE;
	}
}

static void read_psi(const struct ctop_cg_dirs *d, struct ctop_cg_files *f,
		     struct ctop_cg_stats *s)
{
	static const struct {
		const char *file;
		enum cg_file slot;
		uint32_t bit;
		size_t off;
	} psi[] = {
		{ "cpu.pressure", F_V2_PSI_CPU, CTOP_CGS_PSI_CPU, offsetof(struct ctop_cg_stats, psi_cpu_some) },
		{ "memory.pressure", F_V2_PSI_MEM, CTOP_CGS_PSI_MEM, offsetof(struct ctop_cg_stats, psi_mem_some) },
		{ "io.pressure", F_V2_PSI_IO, CTOP_CGS_PSI_IO, offsetof(struct ctop_cg_stats, psi_io_some) },
	};
	char buf[256];
	ssize_t n;
	size_t i;

	for (i = 0; i < sizeof(psi) / sizeof(psi[0]); i++) {
		n = read_at(f, psi[i].slot, d->v2, psi[i].file, buf, sizeof(buf));
		if (n > 0 && !ctop_cg_parse_psi_some(buf, (size_t)n,
						     (double *)((char *)s + psi[i].off)))
			s->have |= psi[i].bit;
	}
}

static void read_state(const struct ctop_cg_dirs *d, struct ctop_cg_files *f,
		       struct ctop_cg_stats *s)
{
	char buf[64];
	uint64_t frozen;
	ssize_t n;

	if (d->no_state)
		return;	/* two reads of the dozen a container costs */
	/* Docker on a v1 freezer (as on hybrid hosts) freezes there, not in v2. */
	n = read_at(f, F_V1_FREEZER, d->v1_freezer, "freezer.state", buf, sizeof(buf));
	if (n > 0) {
		s->state = !strncmp(buf, "FROZEN", 6) || !strncmp(buf, "FREEZING", 8) ?
				   CTOP_STATE_PAUSED : CTOP_STATE_RUNNING;
		s->have |= CTOP_CGS_STATE;
	}
	if (read_key(f, F_V2_EVENTS, d->v2, "cgroup.events", "frozen", &frozen)) {
		if (frozen)
			s->state = CTOP_STATE_PAUSED;
		else if (!(s->have & CTOP_CGS_STATE))
			s->state = CTOP_STATE_RUNNING;
		s->have |= CTOP_CGS_STATE;
	}
}

/* The limits' figures and have bits, from src: kept after a read, given back between. */
static void copy_limits(struct ctop_cg_stats *dst, const struct ctop_cg_stats *src)
{
	dst->have = (dst->have & ~CG_LIMIT_BITS) | (src->have & CG_LIMIT_BITS);
	dst->mem_limit_bytes = src->mem_limit_bytes;
	dst->cpu_quota_us = src->cpu_quota_us;
	dst->cpu_period_us = src->cpu_period_us;
	dst->cpuset_cpus = src->cpuset_cpus;
}

/* The same for the CFS counters. */
static void copy_throttle(struct ctop_cg_stats *dst, const struct ctop_cg_stats *src)
{
	dst->have = (dst->have & ~CTOP_CGS_THROTTLE) | (src->have & CTOP_CGS_THROTTLE);
	dst->nr_periods = src->nr_periods;
	dst->nr_throttled = src->nr_throttled;
	dst->throttled_ns = src->throttled_ns;
}

/* The same for PSI. */
static void copy_psi(struct ctop_cg_stats *dst, const struct ctop_cg_stats *src)
{
	dst->have = (dst->have & ~CG_PSI_BITS) | (src->have & CG_PSI_BITS);
	dst->psi_cpu_some = src->psi_cpu_some;
	dst->psi_mem_some = src->psi_mem_some;
	dst->psi_io_some = src->psi_io_some;
}

/* Whether a group last read at *at is due at now; if so, now is its time. */
static bool due(bool *read, uint64_t *at, uint64_t every, uint64_t now)
{
	if (*read && now - *at < every)
		return false;
	*read = true;
	*at = now;
	return true;
}

void ctop_cg_stats_read(const struct ctop_cg_dirs *dirs, struct ctop_cg_files *files,
			uint64_t now_ns, struct ctop_cg_stats *out)
{
	struct ctop_cg_stats *k = files ? &files->kept : NULL;
	enum cpu_from from;

	memset(out, 0, sizeof(*out));
	if (!files || due(&files->limits_read, &files->limits_at, CG_LIMITS_EVERY_NS, now_ns)) {
		read_memory(dirs, files, true, out);
		from = read_cpu_limits(dirs, files, out);
		read_throttle(dirs, files, from, out);
		if (k) {
			copy_limits(k, out);
			copy_throttle(k, out);
			files->cpu_from = from;
		}
	} else {
		read_memory(dirs, files, false, out);
		copy_limits(out, k);
		if (out->have & CTOP_CGS_CPU_QUOTA)
			read_throttle(dirs, files, files->cpu_from, out);
		else
			copy_throttle(out, k);
	}
	if (!files || due(&files->psi_read, &files->psi_at, CG_PSI_EVERY_NS, now_ns)) {
		read_psi(dirs, files, out);
		if (k)
			copy_psi(k, out);
	} else {
		copy_psi(out, k);
	}
	read_state(dirs, files, out);
	if (files)
		files->reads++;
}

const char *ctop_run_state_name(enum ctop_run_state s)
{
	switch (s) {
	case CTOP_STATE_PAUSED:
		return "paused";
	case CTOP_STATE_EXITED:
		return "exited";
	default:
		return "running";
	}
}

/* Whether the comma-separated list [p, end) holds word. */
static bool has_word(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	const char *comma;

	for (; p < end; p = comma + 1) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (!comma)
			comma = end;
		if ((size_t)(comma - p) == n && !memcmp(p, word, n))
			return true;
	}
	return false;
}

void ctop_cg_v1_mounts_line(const char *line, struct ctop_cg_v1_mounts *out)
{
	struct {
		const char *name;
		char *dst;
	} ctl[] = {
		{ "memory", out->memory },
		{ "cpu", out->cpu },
		{ "cpuset", out->cpuset },
		{ "freezer", out->freezer },
	};
	const char *sep = strstr(line, " - "), *mp = line, *mpend, *fs, *opts, *end;
	size_t i;
	int field;

	if (!sep)
		return;
	/* The mount point is the fifth field; one with escapes is left out. */
	for (field = 0; field < 4 && mp; field++) {
		mp = strchr(mp, ' ');
		if (mp)
			mp++;
	}
	if (!mp || mp >= sep)
		return;
	mpend = strchr(mp, ' ');
	fs = sep + 3;
	if (!mpend || mpend > sep || memchr(mp, '\\', (size_t)(mpend - mp)) ||
	    (size_t)(mpend - mp) >= sizeof(out->memory) || strncmp(fs, "cgroup ", 7))
		return;
	/* " - cgroup SOURCE SUPEROPTS": the controllers are in the options. */
	opts = strchr(fs + 7, ' ');
	if (!opts)
		return;
	opts++;
	end = opts + strcspn(opts, " \n");
	for (i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++)
		if (!ctl[i].dst[0] && has_word(opts, end, ctl[i].name))
			snprintf(ctl[i].dst, sizeof(out->memory), "%.*s", (int)(mpend - mp), mp);
}

int ctop_cg_v1_mounts_read(const char *mountinfo, struct ctop_cg_v1_mounts *out)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	memset(out, 0, sizeof(*out));
	f = fopen(mountinfo, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0)
		ctop_cg_v1_mounts_line(line, out);
	free(line);
	fclose(f);
	return 0;
}
