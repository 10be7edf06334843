// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export_server.h"
#include "format.h"
#include "metrics.h"
#include "options.h"
#include "timeparse.h"

#define OPT_SMOOTH 1000
#define OPT_LIGHT 1001
#define OPT_PROBES 1002
#define OPT_EXPORT 1003
#define OPT_RECORD_MAX 1004
#define OPT_RECORD_DAILY 1005
#define OPT_REPLAY 1006
#define OPT_SINCE 1007
#define OPT_UNTIL 1008
#define OPT_WEB_CONFIG 1009

static const char usage_head[] =
	"Usage: ctop-bpf [-d SECS] [-s KEY] [-r] [-f TEXT] [-t THEME] [-a] [-b] [-j] [-p] [-n N] "
	"[--light] [--probes LIST] [--export [HOST]:PORT] [--web-config FILE] [-w FILE] "
	"[--replay FILE] [-v] [-h] [-V]\n"
	"top for containers, measured by eBPF: CPU, memory, disk and network per container.\n"
	"\n"
	"  -d, --delay SECS       refresh interval, 0.1 to 60 (default 1.0)\n"
	"  -s, --sort KEY         ";	/* the keys of the metric table, then usage_tail */

static const char usage_tail[] =
	"  -r, --reverse          reverse the sort order\n"
	"  -f, --filter TEXT      only containers whose name, id, image, pod or namespace\n"
	"                         contains TEXT\n"
	"                         (case-insensitive)\n"
	"  -t, --theme NAME|PATH  color theme (default \"default\")\n"
	"  -a, --all              also show everything outside containers as [host]\n"
	"  -b, --batch            no screen: print a table per refresh\n"
	"  -j, --json             with --batch: one JSON object per refresh (JSON Lines)\n"
	"  -p, --processes        with --batch: include each container's processes;\n"
	"                         with --export: serve each process's series too\n"
	"                         (ctop_process_*: many more series)\n"
	"  -n, --iterations N     stop after N refreshes\n"
	"      --smooth ALPHA     weight of the newest sample in the smoothed history,\n"
	"                         0.01 to 1 (default 0.5; 1 means no smoothing)\n"
	"      --light            attach nothing on the system-call path: file IO is not\n"
	"                         measured (null in JSON, - on screen); net is, where\n"
	"                         the kernel has socket tracepoints or fexit\n"
	"      --probes LIST      choose how bytes are measured instead of the cheapest:\n"
	"                         net=tracepoint|fexit|syscall|off, file=fexit|syscall|off,\n"
	"                         storage=ioac|off, tasks=walk|iter, comma-separated (see\n"
	"                         PROBES in the man page)\n"
	"      --export [HOST]:PORT\n"
	"                         no screen: serve the metrics for Prometheus at\n"
	"                         http://HOST:PORT/metrics; HOST is an IPv4 address or\n"
	"                         [IPv6]; with no HOST, on every interface (see Fleets\n"
	"                         in the README); -f and -a apply; ends with status 0\n"
	"                         on SIGTERM or SIGINT\n"
	"      --web-config FILE  with --export: HTTPS and basic auth, from a file in\n"
	"                         the Prometheus exporter-toolkit's web-config format\n"
	"                         (tls_server_config, basic_auth_users; see the man page)\n"
	"  -w, --record FILE      append every refresh's whole snapshot to FILE (a\n"
	"                         recording): in batch mode, with --export, or while\n"
	"                         the screen runs\n"
	"      --record-max SIZE  keep FILE and FILE.1 together under SIZE (e.g. 100M,\n"
	"                         2G): FILE becomes FILE.1 when it reaches half\n"
	"      --record-daily     FILE becomes FILE.1 at the first refresh of each day\n"
	"      --replay FILE      show a recording (FILE.1 first, if rotation made one)\n"
	"                         instead of the kernel's counters; with -b, print it\n"
	"      --since TIME       with --replay: start at TIME, HH:MM[:SS] (on the\n"
	"                         recording's first day) or 'YYYY-MM-DD HH:MM[:SS]'\n"
	"      --until TIME       with --replay -b: stop after TIME (same formats)\n"
	"  -v, --verbose          on a failed load, print the kernel verifier's whole log\n"
	"  -h, --help             show this help and exit\n"
	"  -V, --version          show the version and exit\n"
	"\n"
	"Exit status: 0 success, 1 missing privileges, kernel support or terminal,\n"
	"or an --export address that cannot be listened on,\n"
	"2 bad usage, theme, recording or --web-config file, 3 write error (output or\n"
	"recording),\n"
	"128+N ended by signal N.\n"
	"See ctop-bpf(8).\n";

#define USAGE_KEYS_INDENT	25	/* where the help's descriptions start */
#define USAGE_KEYS_WIDTH	87	/* a line of sort keys ends before this column */

/* "cpu, rss, ..., name" into buf, cut to len. Returns buf. */
static char *sort_key_list(char *buf, size_t len)
{
	enum ctop_sort_key k;
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; (k = ctop_sort_key_at(i)) != CTOP_SORT__COUNT && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
				      ctop_sort_key_name(k));
	return buf;
}

/*
 * The help lists the sort keys the metric table has, so it is built on
 * the first call (main's thread only) and kept for the program's life.
 */
const char *ctop_options_usage(void)
{
	static char text[sizeof(usage_head) + sizeof(usage_tail) + 512];
	enum ctop_sort_key k;
	size_t i, o, col;
	char key[64];

	if (text[0])
		return text;
	o = (size_t)snprintf(text, sizeof(text), "%s", usage_head);
	col = USAGE_KEYS_INDENT;
	for (i = 0; (k = ctop_sort_key_at(i)) != CTOP_SORT__COUNT; i++) {
		snprintf(key, sizeof(key), "%s%s%s", ctop_sort_key_name(k),
			 k == CTOP_SORT_DEFAULT ? " (default)" : "",
			 ctop_sort_key_at(i + 1) != CTOP_SORT__COUNT ? "," : "");
		if (i && col + 1 + strlen(key) > USAGE_KEYS_WIDTH) {
			o += (size_t)snprintf(text + o, sizeof(text) - o, "\n%*s",
					      USAGE_KEYS_INDENT, "");
			col = USAGE_KEYS_INDENT;
		} else if (i) {
			o += (size_t)snprintf(text + o, sizeof(text) - o, " ");
			col++;
		}
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%s", key);
		col += strlen(key);
	}
	snprintf(text + o, sizeof(text) - o, "\n%s", usage_tail);
	return text;
}

/*
 * Digits with at most one point among or before them ("1", "0.5", ".5"),
 * and nothing else: strtod() and strtol() alone would also take "0x10",
 * "0x0.2p0", " 1", "+1", "1e1", "inf" and "nan".
 */
static bool plain_decimal(const char *s, bool point_ok)
{
	bool digit = false, point = false;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digit = true;
		else if (*s == '.' && point_ok && !point)
			point = true;
		else
			return false;
	}
	/* "1." is a typo more often than a number */
	return digit && s[-1] != '.';
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!plain_decimal(s, true))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/* An argument quoted in a message: one line, nothing a terminal acts on. */
static const char *shown(char *buf, size_t len, const char *arg)
{
	return ctop_fmt_safe(buf, len, arg, true);
}

/* "--all=yes": a known flag given a value, which getopt calls unknown. */
static bool takes_no_value(const struct option *opts, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (strncmp(arg, "--", 2) || !eq)
		return false;
	for (; opts->name; opts++)
		if (opts->has_arg == no_argument && strlen(opts->name) == (size_t)(eq - arg - 2) &&
		    !strncmp(opts->name, arg + 2, (size_t)(eq - arg - 2)))
			return true;
	return false;
}

int ctop_options_parse(struct ctop_options *o, int argc, char **argv, char *err, size_t errlen)
{
	static const struct option longopts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "filter", required_argument, NULL, 'f' },
		{ "theme", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "processes", no_argument, NULL, 'p' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "smooth", required_argument, NULL, OPT_SMOOTH },
		{ "light", no_argument, NULL, OPT_LIGHT },
		{ "probes", required_argument, NULL, OPT_PROBES },
		{ "export", required_argument, NULL, OPT_EXPORT },
		{ "web-config", required_argument, NULL, OPT_WEB_CONFIG },
		{ "record", required_argument, NULL, 'w' },
		{ "record-max", required_argument, NULL, OPT_RECORD_MAX },
		{ "record-daily", no_argument, NULL, OPT_RECORD_DAILY },
		{ "replay", required_argument, NULL, OPT_REPLAY },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end, *arg, q[256], keys[256];
	double t;
	int c;

	memset(o, 0, sizeof(*o));
	o->delay = 1.0;
	o->sort = CTOP_SORT_DEFAULT;
	o->theme = "default";
	o->smooth = 0.5;

	opterr = 0;
	optind = 0;	/* 0, not 1: glibc then also forgets a half-read "-xr" */
	while ((c = getopt_long(argc, argv, ":d:s:rf:t:abjpn:w:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_double(optarg, 0.1, 60, &o->delay)) {
				snprintf(err, errlen, "option -d/--delay: '%s' is not a number of "
					 "seconds from 0.1 to 60", shown(q, sizeof(q), optarg));
				return -EINVAL;
			}
			break;
		case 's':
			if (ctop_sort_key_parse(optarg, &o->sort)) {
				snprintf(err, errlen, "option -s/--sort: unknown key '%s' (%s)",
					 shown(q, sizeof(q), optarg),
					 sort_key_list(keys, sizeof(keys)));
				return -EINVAL;
			}
			break;
		case 'r':
			o->reverse = true;
			break;
		case 'f':
			o->filter = optarg;
			break;
		case 't':
			if (!*optarg) {
				snprintf(err, errlen, "option -t/--theme: empty theme name");
				return -EINVAL;
			}
			o->theme = optarg;
			break;
		case 'a':
			o->all = true;
			break;
		case 'b':
			o->batch = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'p':
			o->processes = true;
			break;
		case 'n':
			errno = 0;
			o->iterations = plain_decimal(optarg, false) ? strtol(optarg, &end, 10) : 0;
			if (errno || o->iterations < 1) {
				snprintf(err, errlen, "option -n/--iterations: '%s' is not a whole "
					 "number of at least 1", shown(q, sizeof(q), optarg));
				return -EINVAL;
			}
			break;
		case OPT_SMOOTH:
			if (parse_double(optarg, 0.01, 1, &o->smooth)) {
				snprintf(err, errlen, "option --smooth: '%s' is not a number from "
					 "0.01 to 1", shown(q, sizeof(q), optarg));
				return -EINVAL;
			}
			break;
		case OPT_LIGHT:
			o->light = true;
			break;
		case OPT_PROBES:
			if (ctop_probes_parse(optarg, &o->probes)) {
				snprintf(err, errlen, "option --probes: '%s' is not a list like "
					 "net=tracepoint,file=syscall (net: tracepoint, fexit, "
					 "syscall, off; file: fexit, syscall, off; storage: ioac, "
					 "off; tasks: walk, iter)", optarg);
				return -EINVAL;
			}
			break;
		case OPT_EXPORT: {
			struct ctop_export_addr a;

			if (ctop_export_addr_parse(optarg, &a)) {
				snprintf(err, errlen, "option --export: '%s' is not [HOST]:PORT "
					 "(e.g. :9662, 127.0.0.1:9662 or [::1]:9662; HOST is an "
					 "address, not a name)", shown(q, sizeof(q), optarg));
				return -EINVAL;
			}
			o->export_addr = optarg;
			break;
		}
		case OPT_WEB_CONFIG:
			if (!*optarg) {
				snprintf(err, errlen, "option --web-config: empty file name");
				return -EINVAL;
			}
			o->web_config = optarg;
			break;
		case 'w':
			if (!*optarg) {
				snprintf(err, errlen, "option -w/--record: empty file name");
				return -EINVAL;
			}
			o->record = optarg;
			break;
		case OPT_RECORD_MAX:
			if (ctop_size_parse(optarg, &o->record_max) || o->record_max < (1 << 20)) {
				snprintf(err, errlen, "option --record-max: '%s' is not a size of at "
					 "least 1M (bytes, or with K, M, G or T)",
					 shown(q, sizeof(q), optarg));
				return -EINVAL;
			}
			break;
		case OPT_RECORD_DAILY:
			o->record_daily = true;
			break;
		case OPT_REPLAY:
			if (!*optarg) {
				snprintf(err, errlen, "option --replay: empty file name");
				return -EINVAL;
			}
			o->replay = optarg;
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
			if (ctop_time_parse(optarg, 0, &t)) {
				snprintf(err, errlen, "option --%s: '%s' is not a time like 03:12, "
					 "03:12:30 or '2026-12-01 03:12'",
					 c == OPT_SINCE ? "since" : "until", shown(q, sizeof(q), optarg));
				return -EINVAL;
			}
			*(c == OPT_SINCE ? &o->since : &o->until) = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			o->help = true;
			break;
		case 'V':
			o->version = true;
			break;
		case ':':
			if (optopt > 0 && optopt < 128)
				snprintf(err, errlen, "option -%c needs a value", optopt);
			else
				snprintf(err, errlen, "option %s needs a value", argv[optind - 1]);
			return -EINVAL;
		default:
			arg = argv[optind - 1];
			if (takes_no_value(longopts, arg))
				snprintf(err, errlen, "option %.*s takes no value",
					 (int)(strchr(arg, '=') - arg), shown(q, sizeof(q), arg));
			else if (optopt > 0 && optopt < 128)
				snprintf(err, errlen, "unknown option -%c", optopt);
			else
				snprintf(err, errlen, "unknown option %s", shown(q, sizeof(q), arg));
			return -EINVAL;
		}
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", shown(q, sizeof(q), argv[optind]));
		return -EINVAL;
	}
	if (o->json && !o->batch) {
		snprintf(err, errlen, "option -j/--json only works with -b/--batch");
		return -EINVAL;
	}
	if (o->export_addr && o->batch) {
		snprintf(err, errlen, "option --export does not combine with -b/--batch");
		return -EINVAL;
	}
	if (o->web_config && !o->export_addr) {
		snprintf(err, errlen, "option --web-config only works with --export");
		return -EINVAL;
	}
	if (o->processes && !o->batch && !o->export_addr) {
		snprintf(err, errlen, "option -p/--processes only works with -b/--batch or --export");
		return -EINVAL;
	}
	if ((o->record_max || o->record_daily) && !o->record) {
		snprintf(err, errlen, "options --record-max and --record-daily only work with "
			 "-w/--record");
		return -EINVAL;
	}
	if (o->export_addr && o->replay) {
		snprintf(err, errlen, "option --export does not combine with --replay");
		return -EINVAL;
	}
	if (o->record && o->replay) {
		snprintf(err, errlen, "options -w/--record and --replay do not go together");
		return -EINVAL;
	}
	if ((o->since || o->until) && !o->replay) {
		snprintf(err, errlen, "options --since and --until only work with --replay");
		return -EINVAL;
	}
	if (o->until && !o->batch) {
		snprintf(err, errlen, "option --until only works with --replay -b (the screen "
			 "can go anywhere in the recording)");
		return -EINVAL;
	}
	return 0;
}
