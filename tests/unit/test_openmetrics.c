// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exposition writers: both formats against golden files, and the
 * escaping of tenant text (label values, HELP) byte by byte.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "export_server.h"
#include "openmetrics.h"
#include "fixture.h"

/* A golden file of tests/fixtures/openmetrics. */
static char *slurp(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "openmetrics/%s", rel);
	return fixture_slurp(path, NULL);
}

/* What both golden files are renderings of. */
static void render(struct ctop_om_buf *b, enum ctop_om_format f)
{
	struct ctop_om_label web[] = { { "id", "/docker/abc" }, { "name", "web" },
				       { "image", "nginx:1.25" } };
	struct ctop_om_label k8s[] = { { "id", "/kubepods.slice/x" }, { "name", "app" },
				       { "image", "" }, { "namespace", "prod" },
				       { "pod", "app-7d9" }, { "container", "app" } };
	struct ctop_om_label odd[] = { { "name", "a\"b\\c\nd" } };

	cr_assert_eq(ctop_om_family(b, f, "container_cpu_usage_seconds_total", CTOP_OM_COUNTER,
				    "seconds", "CPU time used"), 0);
	cr_assert_eq(ctop_om_sample(b, "container_cpu_usage_seconds_total", web, 3, 12.5), 0);
	cr_assert_eq(ctop_om_sample(b, "container_cpu_usage_seconds_total", k8s, 6, 0.1), 0);
	/* a unit the name does not end with: no UNIT line in OpenMetrics */
	cr_assert_eq(ctop_om_family(b, f, "container_memory_rss", CTOP_OM_GAUGE, "bytes",
				    "Resident \"set\" size\\in bytes\nof the container"), 0);
	cr_assert_eq(ctop_om_sample(b, "container_memory_rss", odd, 1, 1048576), 0);
	cr_assert_eq(ctop_om_family(b, f, "ctop_self_rss_bytes", CTOP_OM_GAUGE, "bytes",
				    "Own memory"), 0);
	cr_assert_eq(ctop_om_sample(b, "ctop_self_rss_bytes", NULL, 0, 7577600), 0);
	cr_assert_eq(ctop_om_family(b, f, "ctop_odd_values", CTOP_OM_GAUGE, NULL, ""), 0);
	cr_assert_eq(ctop_om_sample(b, "ctop_odd_values", odd, 0, NAN), 0);
	cr_assert_eq(ctop_om_sample(b, "ctop_odd_values", odd, 0, INFINITY), 0);
	cr_assert_eq(ctop_om_sample(b, "ctop_odd_values", odd, 0, -INFINITY), 0);
	cr_assert_eq(ctop_om_sample(b, "ctop_odd_values", odd, 0, 1e300), 0);
	cr_assert_eq(ctop_om_sample(b, "ctop_odd_values", odd, 0, -0.3), 0);
	cr_assert_eq(ctop_om_end(b, f), 0);
}

static void golden(enum ctop_om_format f, const char *file)
{
	struct ctop_om_buf b;
	char *want = slurp(file);

	ctop_om_buf_init(&b);
	render(&b, f);
	cr_assert_eq(b.err, 0);
	cr_assert_str_eq(b.data, want, "got:\n%s", b.data);
	free(want);
	ctop_om_buf_fini(&b);
}

Test(openmetrics, golden_text)
{
	golden(CTOP_OM_TEXT, "basic.prom");
}

Test(openmetrics, golden_openmetrics)
{
	golden(CTOP_OM_OPENMETRICS, "basic.om");
}

/* The escaped form of one label value, as it appears between the quotes. */
static char *label(const char *value)
{
	struct ctop_om_label l = { "name", value };
	struct ctop_om_buf b;
	char *s, *end;

	ctop_om_buf_init(&b);
	cr_assert_eq(ctop_om_sample(&b, "m", &l, 1, 1), 0);
	cr_assert_eq(strncmp(b.data, "m{name=\"", 8), 0);
	end = strstr(b.data, "\"} 1\n");
	cr_assert(end, "%s", b.data);
	*end = '\0';
	s = strdup(b.data + 8);
	ctop_om_buf_fini(&b);
	return s;
}

#define LABEL_EQ(in, out)                                                                    \
	do {                                                                                 \
		char *got = label(in);                                                       \
		cr_expect_str_eq(got, out, "label(%s)", #in);                                \
		free(got);                                                                   \
	} while (0)

Test(openmetrics, label_escaping)
{
	LABEL_EQ("plain", "plain");
	LABEL_EQ("", "");
	LABEL_EQ("a\"b", "a\\\"b");
	LABEL_EQ("a\\b", "a\\\\b");
	LABEL_EQ("a\nb", "a\\nb");
	LABEL_EQ("\\n", "\\\\n");	/* a backslash then n, not a newline */
	LABEL_EQ("\"\"", "\\\"\\\"");
	LABEL_EQ("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3");
}

/* A label set written once, then used by samples, as each sample alone writes it. */
Test(openmetrics, a_label_set_reused_is_the_sample_alone)
{
	struct ctop_om_label l[] = { { "id", "/docker/a\"b" }, { "name", "w\\e\nb\xff" } };
	struct ctop_om_label twice[] = { { "name", "a" }, { "name", "b" } };
	struct ctop_om_label bad[] = { { "0x", "a" } };
	struct ctop_om_buf set, a, b;

	ctop_om_buf_init(&set);
	ctop_om_buf_init(&a);
	ctop_om_buf_init(&b);
	cr_assert_eq(ctop_om_labels(&set, l, 2), 0);
	cr_assert_str_eq(set.data, "{id=\"/docker/a\\\"b\",name=\"w\\\\e\\nb\xef\xbf\xbd\"}");
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(ctop_om_sample(&a, "m_total", l, 2, 1.5 * i), 0);
		cr_assert_eq(ctop_om_sample_set(&b, "m_total", set.data, set.len, 1.5 * i), 0);
	}
	cr_assert_str_eq(b.data, a.data);
	/* refused as ctop_om_sample() refuses them, with nothing written */
	ctop_om_buf_reset(&set);
	cr_assert_eq(ctop_om_labels(&set, twice, 2), -EINVAL);
	cr_assert_eq(ctop_om_labels(&set, bad, 1), -EINVAL);
	cr_assert_eq(set.len, 0);
	cr_assert_eq(ctop_om_labels(&set, NULL, 0), 0);
	cr_assert_eq(set.len, 0);
	cr_assert_eq(ctop_om_sample_set(&b, "0bad", "", 0, 1), -EINVAL);
	ctop_om_buf_fini(&set);
	ctop_om_buf_fini(&a);
	ctop_om_buf_fini(&b);
}

Test(openmetrics, invalid_utf8_replaced)
{
	LABEL_EQ("a\xff" "b", "a\xef\xbf\xbd" "b");
	LABEL_EQ("\xc3", "\xef\xbf\xbd");			/* cut short at the end */
	LABEL_EQ("\xc3(", "\xef\xbf\xbd(");		/* bad continuation */
	LABEL_EQ("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");	/* overlong '/' */
	LABEL_EQ("\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	LABEL_EQ("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");	/* surrogate */
	LABEL_EQ("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* a quote after a bad lead byte is still escaped */
	LABEL_EQ("\xe2\"", "\xef\xbf\xbd\\\"");
}

Test(openmetrics, control_bytes_replaced)
{
	LABEL_EQ("a\rb", "a\xef\xbf\xbd" "b");
	LABEL_EQ("\x1b[31mred", "\xef\xbf\xbd[31mred");
	LABEL_EQ("tab\there", "tab\xef\xbf\xbdhere");
	LABEL_EQ("del\x7f", "del\xef\xbf\xbd");
	LABEL_EQ("c1\xc2\x9b" "2J", "c1\xef\xbf\xbd" "2J");	/* CSI as C1 */
}

Test(openmetrics, help_escaping)
{
	struct ctop_om_buf b;

	ctop_om_buf_init(&b);
	cr_assert_eq(ctop_om_family(&b, CTOP_OM_TEXT, "g", CTOP_OM_GAUGE, NULL,
				    "q\"b\\n\nx\x1b"), 0);
	/* the text format escapes backslash and newline only */
	cr_assert_str_eq(b.data, "# HELP g q\"b\\\\n\\nx\xef\xbf\xbd\n# TYPE g gauge\n");
	ctop_om_buf_reset(&b);
	cr_assert_eq(ctop_om_family(&b, CTOP_OM_OPENMETRICS, "g", CTOP_OM_GAUGE, NULL,
				    "q\"b\\n\nx\x1b"), 0);
	/* OpenMetrics escapes the double quote too */
	cr_assert_str_eq(b.data, "# HELP g q\\\"b\\\\n\\nx\xef\xbf\xbd\n# TYPE g gauge\n");
	ctop_om_buf_fini(&b);
}

Test(openmetrics, counter_suffix)
{
	struct ctop_om_buf b;

	ctop_om_buf_init(&b);
	cr_assert_eq(ctop_om_family(&b, CTOP_OM_TEXT, "c", CTOP_OM_COUNTER, NULL, "h"), -EINVAL);
	cr_assert_eq(ctop_om_family(&b, CTOP_OM_TEXT, "_total", CTOP_OM_COUNTER, NULL, "h"),
		     -EINVAL);
	cr_assert_eq(b.len, 0);
	cr_assert_eq(ctop_om_family(&b, CTOP_OM_TEXT, "x_bytes_total", CTOP_OM_COUNTER, "bytes",
				    "h"), 0);
	cr_assert_str_eq(b.data, "# HELP x_bytes_total h\n# TYPE x_bytes_total counter\n");
	ctop_om_buf_reset(&b);
	cr_assert_eq(ctop_om_family(&b, CTOP_OM_OPENMETRICS, "x_bytes_total", CTOP_OM_COUNTER,
				    "bytes", "h"), 0);
	cr_assert_str_eq(b.data, "# HELP x_bytes h\n# TYPE x_bytes counter\n# UNIT x_bytes bytes\n");
	ctop_om_buf_fini(&b);
}

Test(openmetrics, bad_names_refused)
{
	struct ctop_om_label dup[] = { { "a", "1" }, { "a", "2" } };
	struct ctop_om_label bad[] = { { "a-b", "1" } };
	struct ctop_om_label reserved[] = { { "__name__", "x" } };
	struct ctop_om_buf b;

	ctop_om_buf_init(&b);
	cr_assert_eq(ctop_om_sample(&b, "9lives", NULL, 0, 1), -EINVAL);
	cr_assert_eq(ctop_om_sample(&b, "", NULL, 0, 1), -EINVAL);
	cr_assert_eq(ctop_om_sample(&b, "a b", NULL, 0, 1), -EINVAL);
	cr_assert_eq(ctop_om_sample(&b, "m", dup, 2, 1), -EINVAL);
	cr_assert_eq(ctop_om_sample(&b, "m", bad, 1, 1), -EINVAL);
	cr_assert_eq(ctop_om_sample(&b, "m", reserved, 1, 1), -EINVAL);
	cr_assert_eq(ctop_om_family(&b, CTOP_OM_TEXT, "g\n# EOF", CTOP_OM_GAUGE, NULL, ""),
		     -EINVAL);
	cr_assert_eq(ctop_om_family(&b, CTOP_OM_OPENMETRICS, "g_x", CTOP_OM_GAUGE, "x y", ""),
		     -EINVAL);
	cr_assert_eq(b.len, 0, "a refused line leaves nothing behind");
	cr_assert(ctop_om_valid_metric_name("ns:sub_metric1"));
	cr_assert(!ctop_om_valid_label_name("ns:x"));
	ctop_om_buf_fini(&b);
}

Test(openmetrics, grows_and_resets)
{
	struct ctop_om_buf b;
	int i;

	ctop_om_buf_init(&b);
	for (i = 0; i < 10000; i++)
		cr_assert_eq(ctop_om_sample(&b, "some_metric_name", NULL, 0, i), 0);
	cr_assert_gt(b.cap, 4096);
	cr_assert_eq(b.data[b.len], '\0');
	cr_assert_eq(strncmp(b.data + b.len - 22, "some_metric_name 9999\n", 22), 0);
	ctop_om_buf_reset(&b);
	cr_assert_eq(b.len, 0);
	cr_assert_str_eq(b.data, "");
	ctop_om_buf_fini(&b);
	cr_assert_null(b.data);
	ctop_om_buf_fini(&b);	/* twice is harmless */
}

Test(openmetrics, content_types)
{
	cr_assert_str_eq(ctop_om_content_type(CTOP_OM_TEXT),
			 "text/plain; version=0.0.4; charset=utf-8");
	cr_assert_eq(strncmp(ctop_om_content_type(CTOP_OM_OPENMETRICS),
			     "application/openmetrics-text; version=1.0.0", 43), 0);
}

Test(export_addr, forms)
{
	struct ctop_export_addr a;

	cr_assert_eq(ctop_export_addr_parse(":9662", &a), 0);
	cr_assert(a.any);
	cr_assert_eq(a.ss.ss_family, AF_INET6);
	cr_assert_eq(ctop_export_addr_parse("127.0.0.1:9662", &a), 0);
	cr_assert(!a.any);
	cr_assert_eq(a.ss.ss_family, AF_INET);
	cr_assert_eq(ntohs(((struct sockaddr_in *)&a.ss)->sin_port), 9662);
	cr_assert_eq(ctop_export_addr_parse("[::1]:1", &a), 0);
	cr_assert_eq(a.ss.ss_family, AF_INET6);
	cr_assert_eq(ctop_export_addr_parse("0.0.0.0:65535", &a), 0);
}

Test(export_addr, refused)
{
	static const char *const bad[] = {
		"", ":", "9662", ":0", ":65536", ":99999999", ":-1", ":+80", ": 80", ":80 ",
		"localhost:9662", "::1:9662", "[::1:9662", "[]:9662", "[::1]9662", "1.2.3:80",
		"256.0.0.1:80", "[127.0.0.1]:80", "127.0.0.1:0x50",
	};
	struct ctop_export_addr a;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(ctop_export_addr_parse(bad[i], &a), -EINVAL, "'%s' taken", bad[i]);
	cr_expect_eq(ctop_export_addr_parse(NULL, &a), -EINVAL);
}

/* The text of one sample's value. */
static void value_is(double v, const char *want)
{
	struct ctop_om_buf b;
	char line[64];

	ctop_om_buf_init(&b);
	cr_assert_eq(ctop_om_sample(&b, "m", NULL, 0, v), 0);
	snprintf(line, sizeof(line), "m %s\n", want);
	cr_expect_str_eq(b.data, line, "%.17g", v);
	ctop_om_buf_fini(&b);
}

Test(openmetrics, values)
{
	value_is(0, "0");
	value_is(-0.0, "-0");
	value_is(7, "7");
	value_is(-12, "-12");
	value_is(1767225600, "1767225600");
	value_is(9007199254740991.0, "9007199254740991");	/* 2^53 - 1 */
	value_is(9007199254740992.0, "9007199254740992");
	value_is(1e20, "1e+20");
	value_is(0.125, "0.125");
	value_is(1767225000.25, "1767225000.25");
	value_is(0.1, "0.1");
}
