// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "options.h"

static struct ctop_options o;
static char err[256];

/* Parses "ctop-bpf" followed by the given arguments (NULL-terminated). */
static int parse_argv(char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(err, 0, sizeof(err));
	return ctop_options_parse(&o, argc, argv, err, sizeof(err));
}

#define PARSE(...) parse_argv((char *[]){ "ctop-bpf", __VA_ARGS__, NULL })

/* An error names what went wrong on one line. */
static void assert_error(int ret, const char *a, const char *b)
{
	cr_assert_eq(ret, -EINVAL, "expected -EINVAL, got %d", ret);
	cr_assert_neq(err[0], '\0', "no message");
	cr_assert_null(strchr(err, '\n'), "message has more than one line: %s", err);
	cr_assert(strstr(err, a) || (b && strstr(err, b)), "message '%s' names neither %s nor %s",
		  err, a, b ? b : "-");
}

Test(options, defaults)
{
	cr_assert_eq(parse_argv((char *[]){ "ctop-bpf", NULL }), 0, "%s", err);
	cr_assert_float_eq(o.delay, 1.0, 1e-12);
	cr_assert_eq(o.sort, CTOP_SORT_CPU);
	cr_assert_not(o.reverse);
	cr_assert_null(o.filter);
	cr_assert_str_eq(o.theme, "default");
	cr_assert_not(o.all);
	cr_assert_not(o.batch);
	cr_assert_not(o.json);
	cr_assert_not(o.processes);
	cr_assert_eq(o.iterations, 0);
	cr_assert_float_eq(o.smooth, 0.5, 1e-12);
	cr_assert_not(o.help);
	cr_assert_not(o.version);
}

Test(options, short_forms)
{
	cr_assert_eq(PARSE("-d", "2.5", "-s", "rss", "-r", "-f", "web", "-t", "mono", "-a", "-b",
			   "-j", "-p", "-n", "7", "-h", "-V"),
		     0, "%s", err);
	cr_assert_float_eq(o.delay, 2.5, 1e-12);
	cr_assert_eq(o.sort, CTOP_SORT_RSS);
	cr_assert(o.reverse);
	cr_assert_str_eq(o.filter, "web");
	cr_assert_str_eq(o.theme, "mono");
	cr_assert(o.all);
	cr_assert(o.batch);
	cr_assert(o.json);
	cr_assert(o.processes);
	cr_assert_eq(o.iterations, 7);
	cr_assert(o.help);
	cr_assert(o.version);
	cr_assert_float_eq(o.smooth, 0.5, 1e-12);
}

Test(options, long_forms)
{
	cr_assert_eq(PARSE("--delay", "0.25", "--sort", "net", "--reverse", "--filter", "db",
			   "--theme", "/tmp/x.theme", "--all", "--batch", "--json", "--processes",
			   "--iterations", "3", "--smooth", "0.2", "--help", "--version"),
		     0, "%s", err);
	cr_assert_float_eq(o.delay, 0.25, 1e-12);
	cr_assert_eq(o.sort, CTOP_SORT_NET);
	cr_assert(o.reverse);
	cr_assert_str_eq(o.filter, "db");
	cr_assert_str_eq(o.theme, "/tmp/x.theme");
	cr_assert(o.all);
	cr_assert(o.batch);
	cr_assert(o.json);
	cr_assert(o.processes);
	cr_assert_eq(o.iterations, 3);
	cr_assert_float_eq(o.smooth, 0.2, 1e-12);
	cr_assert(o.help);
	cr_assert(o.version);
}

Test(options, attached_values_and_clusters)
{
	cr_assert_eq(PARSE("-d3", "--sort=pids", "-rab", "-n12", "--smooth=1", "--filter=x y"), 0,
		     "%s", err);
	cr_assert_float_eq(o.delay, 3.0, 1e-12);
	cr_assert_eq(o.sort, CTOP_SORT_PIDS);
	cr_assert(o.reverse && o.all && o.batch);
	cr_assert_not(o.json);
	cr_assert_eq(o.iterations, 12);
	cr_assert_float_eq(o.smooth, 1.0, 1e-12);
	cr_assert_str_eq(o.filter, "x y");
	/* A cluster ending in an option that takes the next argument. */
	cr_assert_eq(PARSE("-bjn", "5"), 0, "%s", err);
	cr_assert(o.batch && o.json);
	cr_assert_eq(o.iterations, 5);
}

Test(options, every_sort_key)
{
	static const char *const keys[] = { "cpu", "rss", "dread", "dwrite", "disk",
					    "rx",  "tx",  "net",   "pids",   "name" };
	static const enum ctop_sort_key want[] = {
		CTOP_SORT_CPU, CTOP_SORT_RSS, CTOP_SORT_DREAD, CTOP_SORT_DWRITE, CTOP_SORT_DISK,
		CTOP_SORT_RX,  CTOP_SORT_TX,  CTOP_SORT_NET,   CTOP_SORT_PIDS,   CTOP_SORT_NAME,
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", keys[i]);
		cr_assert_eq(PARSE("-s", buf), 0, "%s: %s", keys[i], err);
		cr_assert_eq(o.sort, want[i], "-s %s", keys[i]);
		cr_assert_eq(PARSE("--sort", buf), 0, "%s: %s", keys[i], err);
		cr_assert_eq(o.sort, want[i], "--sort %s", keys[i]);
	}
}

Test(options, sort_key_errors)
{
	assert_error(PARSE("-s", "memory"), "-s", "--sort");
	cr_assert(strstr(err, "memory"), "%s", err);
	assert_error(PARSE("--sort", "CPU"), "-s", "--sort");
	assert_error(PARSE("--sort="), "-s", "--sort");
}

Test(options, delay_bounds)
{
	static const struct {
		const char *arg;
		double want;
	} ok[] = { { "0.1", 0.1 }, { "60", 60 }, { "60.0", 60 }, { "0.5", 0.5 }, { "1", 1 },
		   { "59.99", 59.99 } };
	static const char *const bad[] = { "0.09", "0", "-1", "60.01", "61", "abc",
					   "1s", "",  "nan", "inf", "1,5" };
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", ok[i].arg);
		cr_assert_eq(PARSE("-d", buf), 0, "-d %s: %s", ok[i].arg, err);
		cr_assert_float_eq(o.delay, ok[i].want, 1e-12, "-d %s", ok[i].arg);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad[i]);
		assert_error(PARSE("-d", buf), "-d", "--delay");
		assert_error(PARSE("--delay", buf), "-d", "--delay");
	}
}

Test(options, iterations_bounds)
{
	static const char *const bad[] = { "0", "-1", "2.5", "x", "", "3x", "99999999999999999999" };
	char buf[32];
	size_t i;

	cr_assert_eq(PARSE("-n", "1"), 0, "%s", err);
	cr_assert_eq(o.iterations, 1);
	cr_assert_eq(PARSE("--iterations", "100000"), 0, "%s", err);
	cr_assert_eq(o.iterations, 100000);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad[i]);
		assert_error(PARSE("-n", buf), "-n", "--iterations");
	}
}

Test(options, smooth_bounds)
{
	static const char *const bad[] = { "0", "0.009", "1.01", "2", "-0.5", "half", "" };
	char buf[32];
	size_t i;

	cr_assert_eq(PARSE("--smooth", "0.01"), 0, "%s", err);
	cr_assert_float_eq(o.smooth, 0.01, 1e-12);
	cr_assert_eq(PARSE("--smooth", "1"), 0, "%s", err);
	cr_assert_float_eq(o.smooth, 1.0, 1e-12);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad[i]);
		assert_error(PARSE("--smooth", buf), "--smooth", NULL);
	}
}

Test(options, theme_must_not_be_empty)
{
	assert_error(PARSE("-t", ""), "-t", "--theme");
	cr_assert_eq(PARSE("--theme", "solarized"), 0, "%s", err);
	cr_assert_str_eq(o.theme, "solarized");
}

Test(options, json_and_processes_need_batch)
{
	assert_error(PARSE("-j"), "-j", "--json");
	assert_error(PARSE("--json"), "-j", "--json");
	assert_error(PARSE("-p"), "-p", "--processes");
	assert_error(PARSE("--processes", "-a"), "-p", "--processes");
	cr_assert_eq(PARSE("-j", "-b"), 0, "%s", err);
	cr_assert(o.json && o.batch);
	cr_assert_eq(PARSE("-p", "--batch"), 0, "%s", err);
	cr_assert(o.processes && o.batch);
	/* the exporter's per-process series */
	cr_assert_eq(PARSE("-p", "--export", ":9662"), 0, "%s", err);
	cr_assert(o.processes && !o.batch && o.export_addr);
}

Test(options, stray_arguments)
{
	assert_error(PARSE("foo"), "foo", NULL);
	assert_error(PARSE("-b", "bar", "-j"), "bar", NULL);
	assert_error(PARSE("--", "baz"), "baz", NULL);
}

Test(options, unknown_options_are_named)
{
	assert_error(PARSE("-x"), "-x", NULL);
	assert_error(PARSE("-rq"), "-q", NULL);
	assert_error(PARSE("--bogus"), "--bogus", NULL);
	assert_error(PARSE("--delays", "2"), "--delays", NULL);
	/* A flag given a value it does not take. */
	assert_error(PARSE("--all=yes"), "--all", "-a");
}

Test(options, missing_values_are_named)
{
	assert_error(PARSE("-d"), "-d", "--delay");
	assert_error(PARSE("--delay"), "-d", "--delay");
	assert_error(PARSE("-b", "-n"), "-n", "--iterations");
	assert_error(PARSE("--sort"), "-s", "--sort");
	assert_error(PARSE("-f"), "-f", "--filter");
	assert_error(PARSE("--theme"), "-t", "--theme");
}

/*
 * BUG (core/options.c:148, ctop_options_parse case ':'): a missing value for --smooth, the one option
 * without a short form, is reported as "option -%c" with optopt = 1000
 * (OPT_SMOOTH): the message shows a stray byte 0xe8 instead of --smooth.
 */
Test(options, missing_smooth_value_is_named)
{
	assert_error(PARSE("--smooth"), "--smooth", NULL);
}

Test(options, short_error_buffer_is_terminated)
{
	char small[12];
	int ret;

	memset(small, 'x', sizeof(small));
	ret = ctop_options_parse(&o, 3, (char *[]){ "ctop-bpf", "-d", "1000", NULL }, small,
				 sizeof(small));
	cr_assert_eq(ret, -EINVAL);
	cr_assert_lt(strnlen(small, sizeof(small)), sizeof(small), "not terminated");
}

Test(options, help_and_version_flags)
{
	cr_assert_eq(PARSE("--help"), 0, "%s", err);
	cr_assert(o.help);
	cr_assert_not(o.version);
	cr_assert_eq(PARSE("-V"), 0, "%s", err);
	cr_assert(o.version);
	cr_assert_not(o.help);
	cr_assert_eq(PARSE("--version"), 0, "%s", err);
	cr_assert(o.version);
	cr_assert_eq(PARSE("-h"), 0, "%s", err);
	cr_assert(o.help);
}

/* Each parse starts from the defaults, whatever came before. */
Test(options, parse_again_starts_from_defaults)
{
	cr_assert_eq(PARSE("-d", "5", "-r", "-a", "-b", "-j", "-n", "2", "-s", "name"), 0, "%s",
		     err);
	cr_assert_eq(PARSE("-b"), 0, "%s", err);
	cr_assert_float_eq(o.delay, 1.0, 1e-12);
	cr_assert_not(o.reverse);
	cr_assert_not(o.all);
	cr_assert_not(o.json);
	cr_assert_eq(o.iterations, 0);
	cr_assert_eq(o.sort, CTOP_SORT_CPU);
}

/*
 * BUG (core/options.c:82, ctop_options_parse): resetting getopt with optind = 1 does not reset
 * glibc's scan position, so after an error in the middle of a cluster
 * ("-xr") the next parse, of other arguments, carries on with the old
 * cluster's remaining letters. glibc needs optind = 0 to start afresh.
 */
Test(options, parse_again_after_error_in_cluster)
{
	char *first[] = { "ctop-bpf", "-xr", NULL };
	char *second[] = { "ctop-bpf", "-a", NULL };

	assert_error(parse_argv(first), "-x", NULL);
	cr_assert_eq(parse_argv(second), 0, "%s", err);
	cr_assert(o.all && !o.reverse, "all %d reverse %d: the earlier argv leaked into this parse",
		  o.all, o.reverse);
}

Test(options, usage_mentions_every_option)
{
	static const char *const want[] = {
		"-d",	  "--delay",	 "-s",	       "--sort",      "-r",	  "--reverse",
		"-f",	  "--filter",	 "-t",	       "--theme",     "-a",	  "--all",
		"-b",	  "--batch",	 "-j",	       "--json",      "-p",	  "--processes",
		"-n",	  "--iterations", "--smooth",  "-h",	      "--help",	  "-V",
		"--version", "cpu",	 "rss",	       "dread",	      "dwrite",	  "disk",
		"rx",	  "tx",		 "net",	       "pids",	      "name",
		"-w",	  "--record",	 "--record-max", "--record-daily", "--replay",
		"--since", "--until",
	};
	const char *u = ctop_options_usage();
	char pat[32];
	size_t i;

	cr_assert_not_null(u);
	cr_assert(strncmp(u, "Usage: ctop-bpf", 15) == 0, "%.40s", u);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		/* Whole words: "-d" must not be satisfied by "--delay" alone. */
		const char *p = u;
		bool found = false;
		size_t l = strlen(want[i]);

		snprintf(pat, sizeof(pat), "%s", want[i]);
		while ((p = strstr(p, pat))) {
			char before = p == u ? ' ' : p[-1];
			char after = p[l];

			if ((before == ' ' || before == '[' || before == ',') &&
			    !(after >= 'a' && after <= 'z') && after != '-') {
				found = true;
				break;
			}
			p += l;
		}
		cr_assert(found, "usage does not mention %s", want[i]);
	}
}

Test(options, light_and_probes)
{
	cr_assert_eq(PARSE("--light"), 0);
	cr_assert(o.light);
	cr_assert_eq(o.probes.net, CTOP_PROBE_AUTO);
	cr_assert_eq(PARSE("--probes", "net=syscall,file=off"), 0);
	cr_assert_eq(o.probes.net, CTOP_PROBE_SYSCALL);
	cr_assert_eq(o.probes.file, CTOP_PROBE_OFF);
	cr_assert_eq(o.probes.storage, CTOP_PROBE_AUTO);
	cr_assert_eq(PARSE("--probes=storage=off", "-v"), 0);
	cr_assert_eq(o.probes.storage, CTOP_PROBE_OFF);
	cr_assert(o.verbose);
	cr_assert_eq(o.probes.tasks, CTOP_PROBE_AUTO);
	cr_assert_eq(PARSE("--probes", "tasks=iter"), 0);
	cr_assert_eq(o.probes.tasks, CTOP_PROBE_ITER);
	cr_assert_eq(PARSE("--probes", "net=off,tasks=walk"), 0);
	cr_assert_eq(o.probes.tasks, CTOP_PROBE_WALK);
	/* Each kind takes only its own probes; the tasks are always visited. */
	assert_error(PARSE("--probes", "tasks=off"), "--probes", NULL);
	assert_error(PARSE("--probes", "tasks=ioac"), "--probes", NULL);
	assert_error(PARSE("--probes", "net=walk"), "--probes", NULL);
	assert_error(PARSE("--probes", "file=tracepoint"), "--probes", NULL);
	assert_error(PARSE("--probes", "storage=fexit"), "--probes", NULL);
	assert_error(PARSE("--probes", "net"), "--probes", NULL);
	assert_error(PARSE("--probes", "net=syscall,"), "--probes", NULL);
	assert_error(PARSE("--probes", "disk=off"), "--probes", NULL);
	assert_error(PARSE("--probes", "net=sys"), "--probes", NULL);
	assert_error(PARSE("--probes", ""), "--probes", NULL);
}

/*
 * Decimal only, as the man page says: strtod() and strtol() also took hex,
 * hex floats, leading blanks, signs, exponents, inf and nan.
 */
Test(options, numbers_are_plain_decimal)
{
	static const char *const bad_real[] = {
		"0x10", "0x0.2p0", "0X1", " 1", "1 ", "\t1", "+1", "1e1", "1E0", "inf", "nan",
		"infinity", "1.", ".", "-0.5", "0.5\n", "1..2",
	};
	static const char *const bad_int[] = { "0x10", " 1", "1 ", "+1", "010x", "1e3", "\n1" };
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(bad_real) / sizeof(bad_real[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad_real[i]);
		assert_error(PARSE("-d", buf), "-d", "--delay");
		snprintf(buf, sizeof(buf), "%s", bad_real[i]);
		assert_error(PARSE("--smooth", buf), "--smooth", NULL);
	}
	for (i = 0; i < sizeof(bad_int) / sizeof(bad_int[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", bad_int[i]);
		assert_error(PARSE("-n", buf), "-n", "--iterations");
	}
	/* what stays: digits, one point, digits; leading zeros are harmless */
	cr_assert_eq(PARSE("-d", "05"), 0, "%s", err);
	cr_assert_float_eq(o.delay, 5, 1e-12);
	cr_assert_eq(PARSE("-d", ".5"), 0, "%s", err);
	cr_assert_float_eq(o.delay, 0.5, 1e-12);
	cr_assert_eq(PARSE("--smooth", "0.25"), 0, "%s", err);
	cr_assert_float_eq(o.smooth, 0.25, 1e-12);
	cr_assert_eq(PARSE("-n", "010"), 0, "%s", err);
	cr_assert_eq(o.iterations, 10);
}

Test(options, export)
{
	cr_assert_eq(parse_argv((char *[]){ "ctop-bpf", NULL }), 0, "%s", err);
	cr_assert_null(o.export_addr);
	cr_assert_eq(PARSE("--export", ":9662", "-a", "-f", "web"), 0, "%s", err);
	cr_assert_str_eq(o.export_addr, ":9662");
	cr_assert(o.all);
	cr_assert_eq(PARSE("--export=127.0.0.1:9662"), 0, "%s", err);
	cr_assert_str_eq(o.export_addr, "127.0.0.1:9662");
	cr_assert_eq(PARSE("--export", "[::1]:9662"), 0, "%s", err);
	assert_error(PARSE("--export", "localhost:9662"), "--export", NULL);
	assert_error(PARSE("--export", "9662"), "--export", NULL);
	assert_error(PARSE("--export", ":0"), "--export", NULL);
	assert_error(PARSE("--export", "\x1b[2J:1"), "--export", NULL);
	cr_assert_null(strchr(err, '\x1b'), "the argument is shown safely: %s", err);
	assert_error(PARSE("--export", ":9662", "-b"), "--export", "--batch");
	assert_error(PARSE("--export"), "--export", "value");
}

Test(options, web_config)
{
	cr_assert_eq(PARSE("--export", ":9662"), 0, "%s", err);
	cr_assert_null(o.web_config);
	cr_assert_eq(PARSE("--export", ":9662", "--web-config", "/etc/ctop-bpf/web.yml"), 0, "%s",
		     err);
	cr_assert_str_eq(o.web_config, "/etc/ctop-bpf/web.yml");
	cr_assert_eq(PARSE("--web-config=web.yml", "--export", ":9662"), 0, "%s", err);
	cr_assert_str_eq(o.web_config, "web.yml");
	assert_error(PARSE("--web-config", "web.yml"), "--web-config", "--export");
	assert_error(PARSE("--web-config", "web.yml", "-b"), "--web-config", "--export");
	assert_error(PARSE("--export", ":9662", "--web-config", ""), "--web-config", "empty");
	assert_error(PARSE("--export", ":9662", "--web-config"), "--web-config", "value");
}

Test(options, record_and_replay)
{
	cr_assert_eq(PARSE("-b", "-w", "/tmp/r", "--record-max", "100M", "--record-daily"), 0,
		     "%s", err);
	cr_assert_str_eq(o.record, "/tmp/r");
	cr_assert_eq(o.record_max, 100ULL << 20);
	cr_assert(o.record_daily);
	cr_assert_eq(PARSE("--record=/tmp/r"), 0, "%s", err);
	cr_assert_str_eq(o.record, "/tmp/r");
	cr_assert_eq(o.record_max, 0);
	cr_assert_eq(PARSE("--replay", "/tmp/r", "-b", "-j", "-p", "--since", "03:12",
			   "--until", "2026-12-01 03:15:30"), 0, "%s", err);
	cr_assert_str_eq(o.replay, "/tmp/r");
	cr_assert_str_eq(o.since, "03:12");
	cr_assert_str_eq(o.until, "2026-12-01 03:15:30");
	cr_assert_eq(PARSE("--replay", "/tmp/r", "--since", "03:12:30"), 0, "%s", err);

	assert_error(PARSE("-w", ""), "-w", "--record");
	assert_error(PARSE("--replay", ""), "--replay", NULL);
	assert_error(PARSE("-w", "f", "--record-max", "10X"), "--record-max", NULL);
	assert_error(PARSE("-w", "f", "--record-max", "1000K"), "--record-max", NULL);
	assert_error(PARSE("--record-max", "100M"), "--record-max", NULL);
	assert_error(PARSE("--record-daily"), "--record-daily", NULL);
	assert_error(PARSE("-w", "f", "--replay", "g"), "--replay", NULL);
	assert_error(PARSE("--export", ":9662", "--replay", "g"), "--replay", NULL);
	cr_assert_eq(PARSE("--export", ":9662", "-w", "f"), 0, "%s", err);
	assert_error(PARSE("--since", "03:12"), "--since", NULL);
	assert_error(PARSE("--replay", "g", "--since", "3:12"), "--since", NULL);
	assert_error(PARSE("--replay", "g", "-b", "--until", "03:12:61"), "--until", NULL);
	assert_error(PARSE("--replay", "g", "--until", "03:12"), "--until", NULL);
}
