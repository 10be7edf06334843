// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cgroup id -> path. The id the kernel reports for a v2 cgroup is the
 * inode number of its folder (kernfs hands out one number for both), so a
 * walk of the hierarchy with fstat() builds the whole map without privileges.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "container.h"
#include "u64map.h"

/* One fd stays open per level; real hierarchies are a dozen deep at most. */
#define MAX_DEPTH 64

struct ctop_cgroup_index {
	char *mount;
	struct ctop_u64map map;	/* cgroup id -> offset into paths */
	char *paths;		/* NUL-terminated paths, back to back */
};

struct walk {
	struct ctop_u64map map;
	char *paths;
	size_t len, cap;
	dev_t dev;		/* ids are only unique within one hierarchy */
	char path[PATH_MAX];
};

static int add(struct walk *w, uint64_t id, const char *path)
{
	size_t n = strlen(path) + 1;
	char *p;

	/* A bind mount can show one cgroup twice: the first path wins. */
	if (ctop_u64map_get(&w->map, id))
		return 0;
	if (w->len + n > UINT32_MAX)
		return -EOVERFLOW;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16384;

		while (cap < w->len + n)
			cap *= 2;
		p = realloc(w->paths, cap);
		if (!p)
			return -ENOMEM;
		w->paths = p;
		w->cap = cap;
	}
	memcpy(w->paths + w->len, path, n);
	if (ctop_u64map_put(&w->map, id, (uint32_t)w->len))
		return -ENOMEM;
	w->len += n;
	return 0;
}

/* Errors that must stop the walk; anything else skips one folder. */
static bool fatal(int err)
{
	return err == ENOMEM || err == EMFILE || err == ENFILE;
}

/*
 * Walks the folder open at fd (taking ownership), whose path is
 * w->path[0..plen). Folders vanish under us as containers stop: that, and
 * symlinks (never followed), only skip an entry.
 */
static int walk_dir(struct walk *w, int fd, size_t plen, unsigned int depth)
{
	struct dirent *de;
	struct stat st;
	int cfd, err = 0;
	size_t nlen;
	DIR *d;

	d = fdopendir(fd);
	if (!d) {
		err = errno;
		close(fd);
		return fatal(err) ? -err : 0;
	}
	while ((de = readdir(d))) {
		/* Most entries are control files: skip them without a syscall. */
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		nlen = strlen(de->d_name);
		if (plen + 1 + nlen >= sizeof(w->path))
			continue;
		cfd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0) {
			if (fatal(errno)) {
				err = -errno;
				break;
			}
			continue;
		}
		if (fstat(cfd, &st) || st.st_dev != w->dev) {
			close(cfd);
			continue;
		}
		w->path[plen] = '/';
		memcpy(w->path + plen + 1, de->d_name, nlen + 1);
		err = add(w, (uint64_t)st.st_ino, w->path);
		if (!err && depth < MAX_DEPTH)
			err = walk_dir(w, cfd, plen + 1 + nlen, depth + 1);
		else
			close(cfd);
		if (err)
			break;
	}
	closedir(d);
	return err;
}

int ctop_cgroup_index_rescan(struct ctop_cgroup_index *idx)
{
	struct walk *w;
	struct stat st;
	int fd, err;

	if (!idx)
		return -EINVAL;
	/* PATH_MAX of path buffer: keep it off the caller's stack. */
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	fd = open(idx->mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		goto out;
	}
	w->dev = st.st_dev;
	err = add(w, (uint64_t)st.st_ino, "/");
	if (err) {
		close(fd);
		goto out;
	}
	err = walk_dir(w, fd, 0, 0);
	if (err)
		goto out;

	/* Only a complete walk replaces the old map. */
	ctop_u64map_fini(&idx->map);
	free(idx->paths);
	idx->map = w->map;
	idx->paths = w->paths;
	w->map = (struct ctop_u64map){ 0 };
	w->paths = NULL;
out:
	ctop_u64map_fini(&w->map);
	free(w->paths);
	free(w);
	return err;
}

int ctop_cgroup_index_new(struct ctop_cgroup_index **out, const char *mount)
{
	struct ctop_cgroup_index *idx;
	int err;

	*out = NULL;
	if (!mount || !*mount)
		return -EINVAL;
	idx = calloc(1, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	idx->mount = strdup(mount);
	if (!idx->mount) {
		free(idx);
		return -ENOMEM;
	}
	err = ctop_cgroup_index_rescan(idx);
	if (err) {
		ctop_cgroup_index_free(idx);
		return err;
	}
	*out = idx;
	return 0;
}

void ctop_cgroup_index_free(struct ctop_cgroup_index *idx)
{
	if (!idx)
		return;
	ctop_u64map_fini(&idx->map);
	free(idx->paths);
	free(idx->mount);
	free(idx);
}

const char *ctop_cgroup_index_lookup(const struct ctop_cgroup_index *idx, uint64_t cgid)
{
	const uint32_t *off;

	if (!idx)
		return NULL;
	off = ctop_u64map_get(&idx->map, cgid);
	return off ? idx->paths + *off : NULL;
}

/* The n-th (from 0) space-separated field of a mountinfo line. */
static const char *field(const char *line, unsigned int n, size_t *len)
{
	const char *p = line;

	while (n--) {
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		p++;
	}
	*len = strcspn(p, " \n");
	return p;
}

/*
 * mountinfo escapes space, tab, newline and backslash as \ooo. A \000
 * would cut the path short where the caller cannot see it: -EINVAL.
 */
static int unescape_octal(const char *s, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			ch = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 3;
			if (!ch) {
				buf[0] = '\0';
				return -EINVAL;
			}
		}
		if (o + 1 >= len) {
			buf[0] = '\0';
			return -ENAMETOOLONG;
		}
		buf[o++] = ch;
	}
	buf[o] = '\0';
	return 0;
}

int ctop_cgroup2_mount(const char *mountinfo, char *buf, size_t len)
{
	const char *sep, *mp, *fstype;
	size_t cap = 0, mplen, flen;
	char *line = NULL;
	int err = -ENOENT;
	FILE *f;

	if (!mountinfo || !buf || !len)
		return -EINVAL;
	f = fopen(mountinfo, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		/* Optional fields come before " - ", so count from both ends. */
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		fstype = sep + 3;
		flen = strcspn(fstype, " \n");
		if (flen != strlen("cgroup2") || strncmp(fstype, "cgroup2", flen))
			continue;
		mp = field(line, 4, &mplen);
		if (!mp || mp >= sep || mplen == 0)
			continue;
		err = unescape_octal(mp, mplen, buf, len);
		break;
	}
	free(line);
	fclose(f);
	return err;
}
