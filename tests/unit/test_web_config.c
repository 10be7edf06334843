// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "web_config.h"

#define FIX "tests/fixtures/web_config/"

static struct ctop_web_config *c;
static char err[512];

static int parse(const char *yaml)
{
	ctop_web_config_free(c);
	c = NULL;
	return ctop_web_config_parse(&c, yaml, strlen(yaml), "/etc/ctop", err, sizeof(err));
}

static void fini(void)
{
	ctop_web_config_free(c);
	c = NULL;
}

TestSuite(web_config, .fini = fini);

/* Fails to parse, with each of the words in the message. */
#define BAD(yaml, ...)                                                                       \
	do {                                                                                 \
		const char *want_[] = { __VA_ARGS__ };                                        \
		cr_assert_eq(parse(yaml), -EINVAL, "parsed: %s", yaml);                     \
		cr_assert_null(c);                                                           \
		for (size_t i_ = 0; i_ < sizeof(want_) / sizeof(want_[0]); i_++)             \
			cr_assert(strstr(err, want_[i_]), "'%s' not in: %s", want_[i_], err); \
	} while (0)

Test(web_config, full_file_every_key)
{
	cr_assert_eq(ctop_web_config_load(&c, FIX "full.yml", err, sizeof(err)), 0, "%s", err);
	cr_assert(c->tls);
	/* relative to the file's folder, as exporter-toolkit's SetDirectory */
	cr_assert_str_eq(c->cert_file, FIX "server.crt");
	cr_assert_str_eq(c->key_file, "/etc/ctop-bpf/server.key");
	cr_assert_str_eq(c->client_ca_file, FIX "clients/ca.crt");
	cr_assert_eq(c->client_auth, CTOP_WEB_REQUIRE_VERIFY);
	cr_assert_eq(c->min_version, CTOP_TLS12);
	cr_assert_eq(c->max_version, CTOP_TLS13);
	cr_assert_eq(c->nheaders, 3);
	cr_assert_str_eq(c->headers[0].name, "Strict-Transport-Security");
	cr_assert_str_eq(c->headers[0].value, "max-age=31536000; includeSubDomains");
	cr_assert_str_eq(c->headers[2].value, "sameorigin");
	cr_assert_eq(c->nusers, 2);
	cr_assert_str_eq(c->users[0].name, "alice");
	cr_assert_str_eq(c->users[1].name, "bob");
	cr_assert_eq(strncmp(c->users[1].hash, "$2b$04$", 7), 0);
}

Test(web_config, empty_file_is_plain_http)
{
	cr_assert_eq(ctop_web_config_load(&c, FIX "empty.yml", err, sizeof(err)), 0, "%s", err);
	cr_assert_not(c->tls);
	cr_assert_eq(c->nusers, 0);
	cr_assert_eq(parse("# nothing\n"), 0, "%s", err);
	cr_assert_eq(parse("tls_server_config:\nbasic_auth_users: ~\n"), 0, "%s", err);
	cr_assert_not(c->tls);
	cr_assert_eq(c->nusers, 0);
}

Test(web_config, a_file_in_the_working_folder)
{
	char cwd[4096];

	cr_assert(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(FIX), 0);
	cr_assert_eq(ctop_web_config_load(&c, "full.yml", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(chdir(cwd), 0);
	cr_assert_str_eq(c->cert_file, "./server.crt");
	/* a file in / */
	const char *y = "tls_server_config: {cert_file: a.crt, key_file: /k/a.key}";
	ctop_web_config_free(c);
	cr_assert_eq(ctop_web_config_parse(&c, y, strlen(y), "/", err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(c->cert_file, "/a.crt");
	cr_assert_str_eq(c->key_file, "/k/a.key");
	ctop_web_config_free(c);
	cr_assert_eq(ctop_web_config_parse(&c, y, strlen(y), "/etc/", err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_str_eq(c->cert_file, "/etc/a.crt");
}

Test(web_config, defaults_and_versions)
{
	char buf[128];

	cr_assert_eq(parse("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n"), 0,
		     "%s", err);
	cr_assert(c->tls);
	cr_assert_str_eq(c->cert_file, "/etc/ctop/a.crt");
	cr_assert_eq(c->client_auth, CTOP_WEB_NO_CLIENT_CERT);
	cr_assert_null(c->client_ca_file);
	/* exporter-toolkit's default minimum is TLS 1.2 */
	cr_assert_str_eq(ctop_web_config_priorities(c, buf, sizeof(buf)),
			 "NORMAL:-VERS-ALL:+VERS-TLS1.2:+VERS-TLS1.3");
	cr_assert_eq(parse("tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n"
			   "  min_version: TLS10\n  max_version: TLS11\n"
			   "  client_auth_type: NoClientCert\n"), 0, "%s", err);
	cr_assert_str_eq(ctop_web_config_priorities(c, buf, sizeof(buf)),
			 "NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.1");
	cr_assert_eq(parse("tls_server_config: {cert_file: a, key_file: b, min_version: TLS13}"),
		     0, "%s", err);
	cr_assert_str_eq(ctop_web_config_priorities(c, buf, sizeof(buf)),
			 "NORMAL:-VERS-ALL:+VERS-TLS1.3");
}

Test(web_config, unknown_keys_are_named)
{
	cr_assert_eq(ctop_web_config_load(&c, FIX "unknown_key.yml", err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "line 4") && strstr(err, "'cert_fiel'") &&
		  strstr(err, "tls_server_config"), "%s", err);
	BAD("basic_auth_user:\n  a: b\n", "line 1", "unknown key 'basic_auth_user'");
	BAD("http_server_config:\n  http3: true\n", "unknown key 'http3'");
	/* a key's control characters do not reach the message */
	BAD("\"a\\x1b[2Jb\": 1\n", "unknown key 'a?[2Jb'");
}

Test(web_config, unsupported_keys_say_so)
{
	BAD("tls_server_config:\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n", "cipher_suites",
	    "does not support");
	BAD("tls_server_config:\n  cert: |\n    -----BEGIN CERTIFICATE-----\n", "cert ",
	    "does not support");
	BAD("tls_server_config:\n  client_allowed_sans: [a]\n", "client_allowed_sans");
	BAD("rate_limit:\n  interval: 1s\n", "rate_limit", "does not support");
	BAD("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: c\n",
	    "VerifyClientCertIfGiven", "NoClientCert and RequireAndVerifyClientCert");
}

Test(web_config, bad_values)
{
	BAD("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS14\n",
	    "line 4", "min_version", "TLS14");
	BAD("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS13\n"
	    "  max_version: TLS12\n", "min_version TLS13 is above max_version TLS12");
	BAD("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: Maybe\n",
	    "'Maybe' is not one of");
	BAD("tls_server_config:\n  cert_file: [a, b]\n", "cert_file", "a string was expected");
	BAD("tls_server_config:\n  cert_file:\n    x: y\n", "cert_file", "not a mapping");
	BAD("tls_server_config: [a]\n", "tls_server_config", "a mapping");
	BAD("tls_server_config:\n  cert_file: \"a\\0b\"\n  key_file: b\n", "NUL");
	BAD("http_server_config:\n  http2: maybe\n", "http2", "not true or false");
	/* what the file holds reaches the message as printable text */
	BAD("http_server_config:\n  http2: \"\\e[2J\"\n", "'?[2J' is not true or false");
	BAD("tls_server_config:\n  client_auth_type: \"\\e]0;x\\a\"\n", "'?]0;x?' is not one of");
	BAD("http_server_config:\n  headers:\n    Server: me\n", "'Server' cannot be configured");
	BAD("http_server_config:\n  headers:\n    X-Frame-Options: allow\n", "deny or sameorigin");
	BAD("http_server_config:\n  headers:\n    X-XSS-Protection: \"1\\r\\nSet-Cookie: a\"\n",
	    "control character");
	BAD("- a\n- b\n", "line 1", "must be a mapping");
	BAD("just text\n", "must be a mapping");
}

Test(web_config, incomplete_tls)
{
	BAD("tls_server_config:\n  cert_file: a\n", "key_file is missing");
	BAD("tls_server_config:\n  key_file: a\n", "cert_file is missing");
	BAD("tls_server_config:\n  client_ca_file: a\n", "cert_file is missing");
	BAD("tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: c\n",
	    "client_ca_file is given but client_auth_type");
	BAD("tls_server_config:\n  cert_file: a\n  key_file: b\n"
	    "  client_auth_type: RequireAndVerifyClientCert\n", "needs client_ca_file");
}

Test(web_config, users)
{
	BAD("basic_auth_users:\n  alice: secret\n", "basic_auth_users.alice", "bcrypt");
	BAD("basic_auth_users:\n  alice: $1$abc$0123456789012345678901\n", "bcrypt");
	BAD("basic_auth_users:\n  a:b: $2y$04$zR2AxS5nwMHVftQKYxNS6.Qv4PH284v1wOCvlUboF7AYy43/pJ9E.\n",
	    "cannot be a user name");
	BAD("basic_auth_users:\n  alice: [x]\n", "a string was expected");
	/* libcrypt's bcrypt takes costs 04 to 31 */
	BAD("basic_auth_users:\n  a: $2y$03$zR2AxS5nwMHVftQKYxNS6.Qv4PH284v1wOCvlUboF7AYy43/pJ9E.\n",
	    "bcrypt");
	BAD("basic_auth_users:\n  a: $2y$32$zR2AxS5nwMHVftQKYxNS6.Qv4PH284v1wOCvlUboF7AYy43/pJ9E.\n",
	    "bcrypt");
	BAD("basic_auth_users: alice\n", "basic_auth_users", "a mapping");
}

Test(web_config, not_yaml_and_structure)
{
	cr_assert_eq(ctop_web_config_load(&c, FIX "not_yaml.yml", err, sizeof(err)), -EINVAL);
	cr_assert(strstr(err, "not YAML"), "%s", err);
	BAD("a: b\n---\nc: d\n", "more than one YAML document");
	BAD("tls_server_config:\n  cert_file: a\n  cert_file: b\n", "line 3",
	    "'cert_file' is given twice");
	BAD("? [a]\n: b\n", "a key must be a string");
	BAD("\t- tab\n", "not YAML");
	BAD("a: *nothing\n", "not YAML");
}

Test(web_config, files_that_do_not_load)
{
	cr_assert_eq(ctop_web_config_load(&c, FIX "no-such.yml", err, sizeof(err)), -ENOENT);
	cr_assert(strstr(err, "No such file"), "%s", err);
	cr_assert_eq(ctop_web_config_load(&c, FIX, err, sizeof(err)), -EISDIR, "%s", err);
	cr_assert_eq(ctop_web_config_load(&c, "/dev/zero", err, sizeof(err)), -EFBIG, "%s", err);
}

Test(web_config, bcrypt_logins_from_the_file)
{
	cr_assert_eq(ctop_web_config_load(&c, FIX "full.yml", err, sizeof(err)), 0, "%s", err);
	cr_assert(ctop_web_config_check_user(c, "alice", "alice-pw", 8));	/* $2y$ */
	cr_assert(ctop_web_config_check_user(c, "bob", "bob-pw", 6));		/* $2b$ */
	cr_assert_not(ctop_web_config_check_user(c, "alice", "bob-pw", 6));
	cr_assert_not(ctop_web_config_check_user(c, "bob", "alice-pw", 8));
	cr_assert_not(ctop_web_config_check_user(c, "carol", "alice-pw", 8));
	cr_assert_not(ctop_web_config_check_user(c, "alice", "alice-p", 7));
	cr_assert_not(ctop_web_config_check_user(c, "alice", "", 0));
	cr_assert_not(ctop_web_config_check_user(c, "alice", "alice-pw\0x", 10));
	cr_assert_not(ctop_web_config_check_user(c, NULL, "alice-pw", 8));
	/* the good ones are remembered, as keyed hashes, the bad ones not */
	size_t used = 0;
	for (size_t i = 0; i < CTOP_WEB_AUTH_CACHE; i++)
		used += c->cache[i].used;
	cr_assert_eq(used, 2);
	cr_assert(ctop_web_config_check_user(c, "alice", "alice-pw", 8));
	cr_assert_not(ctop_web_config_check_user(c, "bob", "alice-pw", 8));
	for (size_t i = 0; i < CTOP_WEB_AUTH_CACHE; i++)
		cr_assert(!c->cache[i].used || memmem(c->cache[i].mac, 32, "alice-pw", 8) == NULL);
}

Test(web_config, no_users_no_logins)
{
	cr_assert_eq(parse("tls_server_config: {cert_file: a, key_file: b}\n"), 0, "%s", err);
	cr_assert_not(ctop_web_config_check_user(c, "alice", "x", 1));
}

/* More logins than the cache holds: it stays bounded and drops the oldest. */
Test(web_config, cache_is_bounded)
{
	char yaml[CTOP_WEB_AUTH_CACHE * 2 * 80 + 64], salt[64], pw[16];
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	size_t o, i, used;

	cr_assert(cd);
	o = (size_t)snprintf(yaml, sizeof(yaml), "basic_auth_users:\n");
	for (i = 0; i < CTOP_WEB_AUTH_CACHE + 8; i++) {
		cr_assert(crypt_gensalt_rn("$2y$", 4, NULL, 0, salt, sizeof(salt)));
		snprintf(pw, sizeof(pw), "pw%zu", i);
		o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "  u%zu: '%s'\n", i,
				      crypt_rn(pw, salt, cd, sizeof(*cd)));
	}
	free(cd);
	cr_assert_eq(parse(yaml), 0, "%s", err);
	cr_assert_eq(c->nusers, CTOP_WEB_AUTH_CACHE + 8);
	for (i = 0; i < CTOP_WEB_AUTH_CACHE + 8; i++) {
		char user[16];

		snprintf(user, sizeof(user), "u%zu", i);
		snprintf(pw, sizeof(pw), "pw%zu", i);
		cr_assert(ctop_web_config_check_user(c, user, pw, strlen(pw)), "%s", user);
	}
	used = 0;
	for (i = 0; i < CTOP_WEB_AUTH_CACHE; i++) {
		used += c->cache[i].used;
		cr_assert_geq(c->cache[i].user, 8, "u%zu was the oldest: dropped",
			      c->cache[i].user);
	}
	cr_assert_eq(used, CTOP_WEB_AUTH_CACHE);
	/* a dropped one still logs in, through bcrypt again */
	cr_assert(ctop_web_config_check_user(c, "u0", "pw0", 3));
}

Test(web_config, bounded_input)
{
	size_t n = CTOP_WEB_CONFIG_MAX + 1;
	char *big = malloc(n);

	cr_assert(big);
	memset(big, '#', n);
	cr_assert_eq(ctop_web_config_parse(&c, big, n, ".", err, sizeof(err)), -EFBIG);
	cr_assert_null(c);
	free(big);
}
