/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --web-config FILE: TLS and basic auth for --export, in the YAML format
 * of the Prometheus exporter-toolkit (its web-configuration.md), parsed
 * with libyaml. What ctop-bpf takes of it:
 *
 *     tls_server_config:
 *       cert_file: server.crt          # relative to FILE's folder
 *       key_file: server.key
 *       client_auth_type: RequireAndVerifyClientCert   # or NoClientCert
 *       client_ca_file: clients.crt
 *       min_version: TLS12             # TLS10 .. TLS13; default TLS12
 *       max_version: TLS13
 *       prefer_server_cipher_suites: true   # accepted, no effect (as in Go)
 *     http_server_config:
 *       http2: true                    # accepted, no effect (HTTP/1.1 only)
 *       headers:                       # added to every response
 *         Strict-Transport-Security: max-age=31536000
 *     basic_auth_users:
 *       alice: $2y$10$...              # bcrypt
 *
 * As exporter-toolkit: an unknown key, a repeated key or a value of the
 * wrong type is an error that names the key; keys ctop-bpf knows but does
 * not implement (cipher_suites, curve_preferences, client_allowed_sans,
 * inline cert/key/client_ca, rate_limit) are errors that say so, never
 * silently ignored. An empty file, or one without tls_server_config's
 * cert_file and key_file, serves plain HTTP.
 */
#ifndef CTOP_WEB_CONFIG_H
#define CTOP_WEB_CONFIG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTOP_WEB_CONFIG_MAX	(256 * 1024)	/* bytes of the YAML file */
#define CTOP_WEB_USERS_MAX	1024
#define CTOP_WEB_HEADERS_MAX	8
#define CTOP_WEB_AUTH_CACHE	64		/* remembered good logins */

enum ctop_web_client_auth {
	CTOP_WEB_NO_CLIENT_CERT,
	CTOP_WEB_REQUIRE_VERIFY,	/* RequireAndVerifyClientCert */
};

/* TLS protocol versions, as exporter-toolkit names them (TLS10 .. TLS13). */
enum ctop_web_tls_version {
	CTOP_TLS10 = 10,
	CTOP_TLS11,
	CTOP_TLS12,
	CTOP_TLS13,
};

struct ctop_web_user {
	char *name;
	char *hash;		/* bcrypt: $2a$, $2b$ or $2y$, 60 characters */
};

struct ctop_web_header {
	char *name, *value;
};

struct ctop_web_auth_entry {
	bool used;
	size_t user;			/* index into users */
	unsigned char mac[32];		/* HMAC-SHA-256 of the password, keyed per process */
	uint64_t last;			/* for replacing the least recently used */
};

/* A parsed file. Owns every string in it. */
struct ctop_web_config {
	bool tls;			/* cert_file and key_file given */
	char *cert_file, *key_file;	/* resolved against the file's folder; NULL without TLS */
	enum ctop_web_client_auth client_auth;
	char *client_ca_file;		/* resolved; NULL for none */
	enum ctop_web_tls_version min_version, max_version;
	struct ctop_web_user *users;
	size_t nusers;			/* 0: no basic auth */
	struct ctop_web_header headers[CTOP_WEB_HEADERS_MAX];
	size_t nheaders;

	/* Successful logins, so that a scrape costs one bcrypt only once. */
	pthread_mutex_t lock;
	unsigned char cache_key[32];
	struct ctop_web_auth_entry cache[CTOP_WEB_AUTH_CACHE];
	uint64_t clock;
};

/*
 * Pure: the YAML text buf[0..len) into *out. dir is the folder relative
 * paths in it are taken from (the file's own, as exporter-toolkit does;
 * NULL or "": they stay relative, to the working folder).
 * 0, or -EINVAL (err names the key and what is wrong, with the line) or
 * -ENOMEM; *out is NULL then.
 */
int ctop_web_config_parse(struct ctop_web_config **out, const char *buf, size_t len,
			  const char *dir, char *err, size_t errlen);

/*
 * Reads path (at most CTOP_WEB_CONFIG_MAX bytes) and parses it. 0, or
 * -errno from opening or reading it, -EFBIG, -EINVAL or -ENOMEM, with err
 * saying what is wrong (it does not name the file: the caller does).
 */
int ctop_web_config_load(struct ctop_web_config **out, const char *path, char *err,
			 size_t errlen);

void ctop_web_config_free(struct ctop_web_config *c);

/*
 * The GnuTLS priority string of min_version .. max_version, into buf.
 * Returns buf.
 */
const char *ctop_web_config_priorities(const struct ctop_web_config *c, char *buf,
				       size_t len);

/*
 * Whether user and password (len bytes, any bytes) are one of
 * basic_auth_users, checked with bcrypt (libcrypt's crypt_rn) and compared
 * in constant time; a success is remembered (a keyed hash of the
 * password, never the password) in a bounded cache. An unknown user costs
 * one bcrypt too. Thread-safe. False when there are no users.
 */
bool ctop_web_config_check_user(struct ctop_web_config *c, const char *user,
				const char *password, size_t len);

#endif /* CTOP_WEB_CONFIG_H */
