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
 *   workload syscalls N write|getppid time N calls, print ns per call
 *   workload pingpong N               time N pipe round trips, print ns per switch
 *
 * Several may follow each other: `workload rss 64 burn 5 hold`.
 */
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
