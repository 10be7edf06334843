// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Workloads whose numbers are known exactly, for the BPF and end-to-end
 * tests and the benchmarks. Static, so it runs inside a busybox image.
 *
 *   workload write PATH BYTES         write BYTES to PATH in 64 KiB writes
 *   workload tcp BYTES                send BYTES over loopback TCP to ourselves
 *   workload spawn N BYTES PATH       N processes, each writing BYTES to PATH.<i>
 *   workload burn SECONDS             spin on the CPU
 *   workload chain N                  a chain of N processes, each the child of the last
 *   workload rss MIB                  touch MIB MiB of memory
 *   workload name NAME                prctl(PR_SET_NAME): any bytes, as a tenant may
 *   workload hold                     (after any of the above) sleep until killed
 *   workload churn MS                 forever: write 4 KiB, spin MS ms, sleep 50 ms
 *   workload sleepers N               start N children that sleep until killed
 *   workload syscalls N write|getppid|send
 *                                     time N calls (1-byte pwrite to a file,
 *                                     getppid, 1-byte UDP send on loopback),
 *                                     print ns per call
 *   workload pingpong N               time N pipe round trips, print ns per switch
 *   workload read PATH                read PATH to its end in 64 KiB reads
 *   workload drop PATH                flush PATH and drop it from the page cache
 *   workload fileops PATH             7 MiB written and 7 MiB read, through write,
 *                                     pwrite, writev, read, pread, readv, sendfile
 *                                     and splice (PATH, PATH.copy, PATH.splice)
 *   workload netops PATH              over loopback, 5 MiB each way on TCP (write,
 *                                     send, sendmsg, writev, sendfile from PATH)
 *                                     and 64000 bytes on UDP (sendmmsg/recvmmsg);
 *                                     PATH gets 1 MiB written and read back
 *   workload pseudo CGPROCS           100 times: read /proc/self/status and write
 *                                     our pid to CGPROCS (our own cgroup.procs):
 *                                     file calls that are not disk IO
 *   workload ioreport FILE            write our read_bytes and write_bytes from
 *                                     /proc/self/io to FILE (put FILE on tmpfs)
 *
 * Several may follow each other: `workload rss 64 burn 5 hold`.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char buf[65536];

static void die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_all(int fd, long long bytes)
{
	while (bytes > 0) {
		size_t n = bytes < (long long)sizeof(buf) ? (size_t)bytes : sizeof(buf);
		ssize_t w = write(fd, buf, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		bytes -= w;
	}
}

static void do_write(const char *path, long long bytes)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die(path);
	write_all(fd, bytes);
	close(fd);
}

static void read_all(int fd, long long want)
{
	long long got = 0;
	ssize_t r;

	while (want < 0 || got < want) {
		r = read(fd, buf, want < 0 || want - got > (long long)sizeof(buf) ?
				     sizeof(buf) : (size_t)(want - got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("read");
		if (r == 0)
			break;
		got += r;
	}
	if (want >= 0 && got != want) {
		fprintf(stderr, "workload: read %lld of %lld\n", got, want);
		exit(1);
	}
}

static void do_read(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die(path);
	read_all(fd, -1);
	close(fd);
}

static void do_drop(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fdatasync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die(path);
	close(fd);
}

#define MiB (1024 * 1024)

/* Moves len bytes from in to out with splice(2), through a pipe. */
static void splice_through_pipe(int in, int out, long long len)
{
	int p[2];
	ssize_t n, m;

	if (pipe(p))
		die("pipe");
	while (len > 0) {
		n = splice(in, NULL, p[1], NULL, len < 65536 ? (size_t)len : 65536, 0);
		if (n <= 0)
			die("splice in");
		len -= n;
		while (n > 0) {
			m = splice(p[0], NULL, out, NULL, (size_t)n, 0);
			if (m <= 0)
				die("splice out");
			n -= m;
		}
	}
	close(p[0]);
	close(p[1]);
}

static void do_pseudo(const char *procs)
{
	char line[32];
	int i, fd, n;

	for (i = 0; i < 100; i++) {
		fd = open("/proc/self/status", O_RDONLY);
		if (fd < 0)
			die("/proc/self/status");
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
		fd = open(procs, O_WRONLY);
		if (fd < 0)
			die(procs);
		n = snprintf(line, sizeof(line), "%d\n", (int)getpid());
		if (write(fd, line, (size_t)n) != n)
			die("write cgroup.procs");
		close(fd);
	}
}

static void do_fileops(const char *path)
{
	char copy[4096], spl[4096];
	struct iovec iov[2] = { { buf, 32768 }, { buf + 32768, 32768 } };
	int fd, out, i;
	off_t off = 0;

	snprintf(copy, sizeof(copy), "%s.copy", path);
	snprintf(spl, sizeof(spl), "%s.splice", path);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	write_all(fd, MiB);
	for (i = 0; i < 16; i++)
		if (pwrite(fd, buf, 65536, MiB + i * 65536) != 65536)
			die("pwrite");
	if (lseek(fd, 2 * MiB, SEEK_SET) != 2 * MiB)
		die("lseek");
	for (i = 0; i < 16; i++)
		if (writev(fd, iov, 2) != 65536)
			die("writev");
	if (lseek(fd, 0, SEEK_SET))
		die("lseek");
	read_all(fd, MiB);
	for (i = 0; i < 16; i++)
		if (pread(fd, buf, 65536, MiB + i * 65536) != 65536)
			die("pread");
	if (lseek(fd, 2 * MiB, SEEK_SET) != 2 * MiB)
		die("lseek");
	for (i = 0; i < 16; i++)
		if (readv(fd, iov, 2) != 65536)
			die("readv");
	/* 3 MiB each way so far; sendfile reads and writes 3 MiB more. */
	out = open(copy, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		die(copy);
	while (off < 3 * MiB)
		if (sendfile(out, fd, &off, (size_t)(3 * MiB - off)) <= 0)
			die("sendfile");
	close(out);
	/* And 1 MiB through splice: file to pipe, pipe to file. */
	out = open(spl, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || lseek(fd, 0, SEEK_SET))
		die(spl);
	splice_through_pipe(fd, out, MiB);
	close(out);
	close(fd);
}

static void do_tcp(long long bytes)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int ls, cs, ss, one = 1;
	long long got = 0;
	pid_t pid;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		die("socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &alen))
		die("bind");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(ls);
		cs = socket(AF_INET, SOCK_STREAM, 0);
		if (cs < 0 || connect(cs, (struct sockaddr *)&a, sizeof(a)))
			die("connect");
		write_all(cs, bytes);
		close(cs);
		_exit(0);
	}
	ss = accept(ls, NULL, NULL);
	if (ss < 0)
		die("accept");
	for (;;) {
		ssize_t r = read(ss, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("read");
		if (r == 0)
			break;
		got += r;
	}
	close(ss);
	close(ls);
	waitpid(pid, NULL, 0);
	if (got != bytes) {
		fprintf(stderr, "workload: tcp received %lld of %lld\n", got, bytes);
		exit(1);
	}
}

static int tcp_pair(int *client)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int ls, ss;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &alen))
		die("bind");
	*client = socket(AF_INET, SOCK_STREAM, 0);
	if (*client < 0 || connect(*client, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	ss = accept(ls, NULL, NULL);
	if (ss < 0)
		die("accept");
	close(ls);
	return ss;
}

static void send_all(int fd, long long bytes, int how)
{
	struct iovec iov[2] = { { buf, 32768 }, { buf + 32768, 32768 } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t w;

	while (bytes > 0) {
		size_t n = bytes < 65536 ? (size_t)bytes : 65536;

		iov[0].iov_len = n < 32768 ? n : 32768;
		iov[1].iov_len = n - iov[0].iov_len;
		switch (how) {
		case 0:
			w = write(fd, buf, n);
			break;
		case 1:
			w = send(fd, buf, n, 0);
			break;
		case 2:
			w = sendmsg(fd, &mh, 0);
			break;
		default:
			w = writev(fd, iov, 2);
			break;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("send");
		bytes -= w;
	}
}

/* 64 datagrams of 1000 bytes to ourselves, in one sendmmsg and recvmmsg. */
static void udp_mmsg(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct mmsghdr m[64];
	struct iovec iov[64];
	int s, i, n;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(s, (struct sockaddr *)&a, &alen) ||
	    connect(s, (struct sockaddr *)&a, sizeof(a)))
		die("udp");
	memset(m, 0, sizeof(m));
	for (i = 0; i < 64; i++) {
		iov[i].iov_base = buf + i * 1000;
		iov[i].iov_len = 1000;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	if (sendmmsg(s, m, 64, 0) != 64)
		die("sendmmsg");
	for (n = 0; n < 64; n += i) {
		i = recvmmsg(s, m + n, (unsigned)(64 - n), 0, NULL);
		if (i <= 0)
			die("recvmmsg");
	}
	close(s);
}

static void do_netops(const char *path)
{
	int c, s, fd, how;
	off_t off = 0;
	pid_t pid;

	do_write(path, MiB);
	s = tcp_pair(&c);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(s);
		for (how = 0; how < 4; how++)
			send_all(c, MiB, how);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die(path);
		while (off < MiB)
			if (sendfile(c, fd, &off, (size_t)(MiB - off)) <= 0)
				die("sendfile");
		close(fd);
		close(c);
		_exit(0);
	}
	close(c);
	read_all(s, 5 * MiB);
	close(s);
	if (waitpid(pid, &how, 0) != pid || !WIFEXITED(how) || WEXITSTATUS(how))
		exit(1);
	udp_mmsg();
}

static void do_ioreport(const char *file)
{
	char line[128], out[256];
	unsigned long long rb = 0, wb = 0, v;
	FILE *f = fopen("/proc/self/io", "r");
	int fd, n;

	if (!f)
		die("/proc/self/io");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "read_bytes: %llu", &v) == 1)
			rb = v;
		if (sscanf(line, "write_bytes: %llu", &v) == 1)
			wb = v;
	}
	fclose(f);
	n = snprintf(out, sizeof(out), "%llu %llu\n", rb, wb);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, out, (size_t)n) != n)
		die(file);
	close(fd);
}

static void do_spawn(long n, long long bytes, const char *path)
{
	char name[4096];
	long i;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			snprintf(name, sizeof(name), "%s.%ld", path, i % 16);
			do_write(name, bytes);
			_exit(0);
		}
		if (waitpid(pid, NULL, 0) < 0)
			die("waitpid");
	}
}

static void do_burn(double secs)
{
	double end = now() + secs;
	volatile unsigned long x = 0;

	while (now() < end)
		for (int i = 0; i < 10000; i++)
			x += i;
}

/* Each link forks the next and waits for it; the last one sleeps. */
static void do_chain(long n)
{
	pid_t pid;

	while (n-- > 0) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			_exit(0);
		}
	}
	for (;;)
		pause();
}

static void do_rss(long mib)
{
	size_t len = (size_t)mib << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 1, len);
}

static void do_churn(long ms)
{
	struct timespec pause50 = { 0, 50 * 1000000L };
	int fd = open("/tmp/.workload-churn", O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die("open");
	for (;;) {
		if (pwrite(fd, buf, 4096, 0) != 4096)
			die("pwrite");
		do_burn(ms / 1000.0);
		nanosleep(&pause50, NULL);
	}
}

static void do_sleepers(long n)
{
	while (n-- > 0) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			for (;;)
				pause();
	}
}

static void do_syscalls(long n, const char *kind)
{
	int fd = open("/tmp/.workload-syscalls", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	double t0;
	long i;

	if (fd < 0)
		die("open");
	t0 = now();
	if (strcmp(kind, "write") == 0) {
		for (i = 0; i < n; i++)
			if (pwrite(fd, buf, 1, 0) != 1)
				die("pwrite");
	} else if (strcmp(kind, "send") == 0) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		socklen_t alen = sizeof(a);
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		/* Nobody reads: once the buffer is full the kernel drops the
		 * datagrams, and each send still goes through the socket layer. */
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) ||
		    getsockname(s, (struct sockaddr *)&a, &alen) ||
		    connect(s, (struct sockaddr *)&a, sizeof(a)))
			die("udp");
		t0 = now();
		for (i = 0; i < n; i++)
			if (send(s, buf, 1, 0) != 1 && errno != ENOBUFS && errno != EAGAIN)
				die("send");
		close(s);
	} else {
		for (i = 0; i < n; i++)
			getppid();
	}
	printf("%.1f\n", (now() - t0) / n * 1e9);
	close(fd);
	unlink("/tmp/.workload-syscalls");
}

static void do_pingpong(long n)
{
	int a[2], b[2];
	char c = 0;
	double t0;
	long i;
	pid_t pid;

	if (pipe(a) || pipe(b))
		die("pipe");
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < n; i++)
			if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	t0 = now();
	for (i = 0; i < n; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			die("pingpong");
	/* Two switches per round trip. */
	printf("%.1f\n", (now() - t0) / n / 2 * 1e9);
	waitpid(pid, NULL, 0);
}

static long long num(char **argv, int i, int argc)
{
	char *end;
	long long v;

	if (i >= argc) {
		fprintf(stderr, "workload: %s needs a number\n", argv[i - 1]);
		exit(2);
	}
	v = strtoll(argv[i], &end, 10);
	if (*end || v < 0) {
		fprintf(stderr, "workload: bad number '%s'\n", argv[i]);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	int i = 1;

	memset(buf, 'x', sizeof(buf));
	signal(SIGPIPE, SIG_IGN);
	while (i < argc) {
		const char *cmd = argv[i++];

		if (!strcmp(cmd, "write") && i + 1 < argc) {
			do_write(argv[i], num(argv, i + 1, argc));
			i += 2;
		} else if (!strcmp(cmd, "read") && i < argc) {
			do_read(argv[i++]);
		} else if (!strcmp(cmd, "drop") && i < argc) {
			do_drop(argv[i++]);
		} else if (!strcmp(cmd, "pseudo") && i < argc) {
			do_pseudo(argv[i++]);
		} else if (!strcmp(cmd, "fileops") && i < argc) {
			do_fileops(argv[i++]);
		} else if (!strcmp(cmd, "netops") && i < argc) {
			do_netops(argv[i++]);
		} else if (!strcmp(cmd, "ioreport") && i < argc) {
			do_ioreport(argv[i++]);
		} else if (!strcmp(cmd, "tcp")) {
			do_tcp(num(argv, i, argc));
			i++;
		} else if (!strcmp(cmd, "spawn") && i + 2 < argc) {
			do_spawn(num(argv, i, argc), num(argv, i + 1, argc), argv[i + 2]);
			i += 3;
		} else if (!strcmp(cmd, "burn")) {
			do_burn((double)num(argv, i, argc));
			i++;
		} else if (!strcmp(cmd, "chain")) {
			do_chain(num(argv, i, argc));
		} else if (!strcmp(cmd, "rss")) {
			do_rss(num(argv, i, argc));
			i++;
		} else if (!strcmp(cmd, "churn")) {
			do_churn(num(argv, i, argc));
		} else if (!strcmp(cmd, "sleepers")) {
			do_sleepers(num(argv, i, argc));
			i++;
		} else if (!strcmp(cmd, "name") && i < argc) {
			if (prctl(PR_SET_NAME, argv[i++], 0, 0, 0)) {
				perror("workload: prctl(PR_SET_NAME)");
				return 1;
			}
		} else if (!strcmp(cmd, "hold")) {
			for (;;)
				pause();
		} else if (!strcmp(cmd, "syscalls") && i + 1 < argc) {
			do_syscalls(num(argv, i, argc), argv[i + 1]);
			i += 2;
		} else if (!strcmp(cmd, "pingpong")) {
			do_pingpong(num(argv, i, argc));
			i++;
		} else {
			fprintf(stderr, "workload: unknown command '%s'\n", cmd);
			return 2;
		}
	}
	return 0;
}
