// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <yaml.h>
#include "web_config.h"

/* What the parser needs while it walks one document. */
struct walk {
	yaml_document_t *doc;
	const char *dir;
	struct ctop_web_config *c;
	char *err;
	size_t errlen;
	bool cert_given, key_given, auth_given;
};

/* A key, as a message may show it: printable ASCII, cut short. */
static const char *shown(char *buf, size_t len, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 4 < len; i++)
		buf[o++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (i < n && o + 3 < len)
		buf[o++] = '.', buf[o++] = '.', buf[o++] = '.';
	buf[o] = '\0';
	return buf;
}

__attribute__((format(printf, 3, 4)))
static int fail(struct walk *w, const yaml_node_t *n, const char *fmt, ...)
{
	size_t o = 0;
	va_list ap;

	if (n)
		o = (size_t)snprintf(w->err, w->errlen, "line %zu: ", n->start_mark.line + 1);
	if (o >= w->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(w->err + o, w->errlen - o, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool is_null(const yaml_node_t *n)
{
	const char *v = (const char *)n->data.scalar.value;

	if (n->type != YAML_SCALAR_NODE)
		return false;
	if (n->tag && !strcmp((const char *)n->tag, YAML_NULL_TAG))
		return true;
	return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
		!strcmp(v, "NULL"));
}

/* A scalar as a C string: no NUL inside. NULL (and err) otherwise. */
static const char *scalar(struct walk *w, const yaml_node_t *n, const char *key, int *ret)
{
	if (n->type != YAML_SCALAR_NODE) {
		*ret = fail(w, n, "%s: a string was expected, not a %s", key,
			    n->type == YAML_MAPPING_NODE ? "mapping" : "list");
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		*ret = fail(w, n, "%s: the value holds a NUL byte", key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static int boolean(struct walk *w, const yaml_node_t *n, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on",
					   "On", "ON" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off",
					  "Off", "OFF" };
	const char *v;
	char buf[80];
	size_t i;
	int ret = 0;

	if (is_null(n)) {
		*out = false;
		return 0;
	}
	if (!(v = scalar(w, n, key, &ret)))
		return ret;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcmp(v, yes[i]))
			return *out = true, 0;
		if (!strcmp(v, no[i]))
			return *out = false, 0;
	}
	return fail(w, n, "%s: '%s' is not true or false", key, shown(buf, sizeof(buf), v, strlen(v)));
}

/* A file name, resolved against the config file's folder; NULL for none. */
static int path(struct walk *w, const yaml_node_t *n, const char *key, char **out)
{
	const char *v;
	int ret = 0;

	free(*out);
	*out = NULL;
	if (is_null(n))
		return 0;
	if (!(v = scalar(w, n, key, &ret)))
		return ret;
	if (!*v)
		return 0;
	if (v[0] == '/' || !w->dir || !*w->dir)
		*out = strdup(v);
	else if (asprintf(out, "%s%s%s", w->dir, w->dir[strlen(w->dir) - 1] == '/' ? "" : "/",
			  v) < 0)
		*out = NULL;
	return *out ? 0 : -ENOMEM;
}

static int tls_version(struct walk *w, const yaml_node_t *n, const char *key,
		       enum ctop_web_tls_version *out)
{
	static const char *const names[] = { "TLS10", "TLS11", "TLS12", "TLS13" };
	char buf[80];
	const char *v;
	size_t i;
	int ret = 0;

	if (is_null(n))
		return 0;
	if (!(v = scalar(w, n, key, &ret)))
		return ret;
	for (i = 0; i < 4; i++)
		if (!strcmp(v, names[i])) {
			*out = (enum ctop_web_tls_version)(CTOP_TLS10 + (int)i);
			return 0;
		}
	return fail(w, n, "%s: unknown TLS version '%s' (TLS10, TLS11, TLS12 or TLS13)", key,
		    shown(buf, sizeof(buf), v, strlen(v)));
}

typedef int (*pair_fn)(struct walk *w, const char *key, const yaml_node_t *k,
		       const yaml_node_t *v);

/*
 * Calls fn on each key: value of mapping node m (NULL and null: none).
 * Keys are scalars, each at most once, as exporter-toolkit's strict
 * unmarshalling wants.
 */
static int each_pair(struct walk *w, const yaml_node_t *m, const char *what, pair_fn fn)
{
	yaml_node_pair_t *p, *q;
	const yaml_node_t *k, *v, *k2;
	char buf[80];
	int ret;

	if (!m || is_null(m))
		return 0;
	if (m->type != YAML_MAPPING_NODE)
		return fail(w, m, "%s: a mapping of keys to values was expected", what);
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(w->doc, p->key);
		v = yaml_document_get_node(w->doc, p->value);
		if (!k || !v)
			return fail(w, m, "%s: a key without a value", what);
		if (k->type != YAML_SCALAR_NODE)
			return fail(w, k, "%s: a key must be a string", what);
		for (q = m->data.mapping.pairs.start; q < p; q++) {
			k2 = yaml_document_get_node(w->doc, q->key);
			if (k2 && k2->type == YAML_SCALAR_NODE &&
			    k2->data.scalar.length == k->data.scalar.length &&
			    !memcmp(k2->data.scalar.value, k->data.scalar.value,
				    k->data.scalar.length))
				return fail(w, k, "%s: key '%s' is given twice", what,
					    shown(buf, sizeof(buf),
						  (const char *)k->data.scalar.value,
						  k->data.scalar.length));
		}
		if (strlen((const char *)k->data.scalar.value) != k->data.scalar.length)
			return fail(w, k, "%s: a key holds a NUL byte", what);
		if ((ret = fn(w, (const char *)k->data.scalar.value, k, v)))
			return ret;
	}
	return 0;
}

static int unknown(struct walk *w, const char *section, const char *key, const yaml_node_t *k,
		   const char *known)
{
	char buf[80];

	return fail(w, k, "%s: unknown key '%s' (known: %s)", section,
		    shown(buf, sizeof(buf), key, strlen(key)), known);
}

static int unsupported(struct walk *w, const char *section, const char *key,
		       const yaml_node_t *k)
{
	return fail(w, k, "%s: %s is part of exporter-toolkit's format but ctop-bpf does not "
		    "support it; remove it", section, key);
}

static int tls_pair(struct walk *w, const char *key, const yaml_node_t *k, const yaml_node_t *v)
{
	static const char *const not_here[] = { "cert", "key", "client_ca", "cipher_suites",
						"curve_preferences", "client_allowed_sans" };
	struct ctop_web_config *c = w->c;
	const char *s;
	char buf[80];
	size_t i;
	bool b;
	int ret = 0;

	if (!strcmp(key, "cert_file")) {
		ret = path(w, v, "tls_server_config.cert_file", &c->cert_file);
		w->cert_given = c->cert_file != NULL;
		return ret;
	}
	if (!strcmp(key, "key_file")) {
		ret = path(w, v, "tls_server_config.key_file", &c->key_file);
		w->key_given = c->key_file != NULL;
		return ret;
	}
	if (!strcmp(key, "client_ca_file"))
		return path(w, v, "tls_server_config.client_ca_file", &c->client_ca_file);
	if (!strcmp(key, "min_version"))
		return tls_version(w, v, "tls_server_config.min_version", &c->min_version);
	if (!strcmp(key, "max_version"))
		return tls_version(w, v, "tls_server_config.max_version", &c->max_version);
	if (!strcmp(key, "prefer_server_cipher_suites"))
		return boolean(w, v, "tls_server_config.prefer_server_cipher_suites", &b);
	if (!strcmp(key, "client_auth_type")) {
		if (is_null(v))
			return 0;
		if (!(s = scalar(w, v, "tls_server_config.client_auth_type", &ret)))
			return ret;
		w->auth_given = *s != '\0';
		if (!*s || !strcmp(s, "NoClientCert")) {
			c->client_auth = CTOP_WEB_NO_CLIENT_CERT;
			return 0;
		}
		if (!strcmp(s, "RequireAndVerifyClientCert")) {
			c->client_auth = CTOP_WEB_REQUIRE_VERIFY;
			return 0;
		}
		if (!strcmp(s, "RequestClientCert") || !strcmp(s, "RequireAnyClientCert") ||
		    !strcmp(s, "VerifyClientCertIfGiven"))
			return fail(w, v, "tls_server_config.client_auth_type: ctop-bpf does not "
				    "support %s, only NoClientCert and "
				    "RequireAndVerifyClientCert", s);
		return fail(w, v, "tls_server_config.client_auth_type: '%s' is not one of "
			    "NoClientCert, RequestClientCert, RequireAnyClientCert, "
			    "VerifyClientCertIfGiven, RequireAndVerifyClientCert",
			    shown(buf, sizeof(buf), s, strlen(s)));
	}
	for (i = 0; i < sizeof(not_here) / sizeof(not_here[0]); i++)
		if (!strcmp(key, not_here[i]))
			return unsupported(w, "tls_server_config", key, k);
	return unknown(w, "tls_server_config", key, k,
		       "cert_file, key_file, client_auth_type, client_ca_file, min_version, "
		       "max_version, prefer_server_cipher_suites");
}

/* exporter-toolkit's headers, and the values it allows where it limits them. */
static const struct {
	const char *name;
	const char *values[3];
} extra_headers[] = {
	{ "Strict-Transport-Security", { NULL } },
	{ "X-Content-Type-Options", { "nosniff", NULL } },
	{ "X-Frame-Options", { "deny", "sameorigin", NULL } },
	{ "X-XSS-Protection", { NULL } },
	{ "Content-Security-Policy", { NULL } },
};

static int header_pair(struct walk *w, const char *key, const yaml_node_t *k,
		       const yaml_node_t *v)
{
	struct ctop_web_config *c = w->c;
	struct ctop_web_header *h;
	const char *s, *p;
	char buf[80];
	size_t i, j;
	int ret = 0;

	for (i = 0; i < sizeof(extra_headers) / sizeof(extra_headers[0]); i++)
		if (!strcmp(key, extra_headers[i].name))
			break;
	if (i == sizeof(extra_headers) / sizeof(extra_headers[0]))
		return fail(w, k, "http_server_config.headers: header '%s' cannot be configured "
			    "(only Strict-Transport-Security, X-Content-Type-Options, "
			    "X-Frame-Options, X-XSS-Protection, Content-Security-Policy)",
			    shown(buf, sizeof(buf), key, strlen(key)));
	if (!(s = scalar(w, v, key, &ret)))
		return ret;
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return fail(w, v, "http_server_config.headers.%s: the value holds a "
				    "control character", key);
	if (extra_headers[i].values[0]) {
		for (j = 0; extra_headers[i].values[j]; j++)
			if (!strcmp(s, extra_headers[i].values[j]))
				break;
		if (!extra_headers[i].values[j])
			return fail(w, v, "http_server_config.headers.%s: '%s' is not %s%s%s",
				    key, shown(buf, sizeof(buf), s, strlen(s)),
				    extra_headers[i].values[0],
				    extra_headers[i].values[1] ? " or " : "",
				    extra_headers[i].values[1] ? extra_headers[i].values[1] : "");
	}
	if (c->nheaders == CTOP_WEB_HEADERS_MAX)
		return fail(w, k, "http_server_config.headers: too many headers");
	h = &c->headers[c->nheaders];
	h->name = strdup(key);
	h->value = strdup(s);
	c->nheaders++;
	return h->name && h->value ? 0 : -ENOMEM;
}

static int http_pair(struct walk *w, const char *key, const yaml_node_t *k,
		     const yaml_node_t *v)
{
	bool b;

	if (!strcmp(key, "http2"))
		return boolean(w, v, "http_server_config.http2", &b);
	if (!strcmp(key, "headers"))
		return each_pair(w, v, "http_server_config.headers", header_pair);
	return unknown(w, "http_server_config", key, k, "http2, headers");
}

static bool is_bcrypt(const char *h)
{
	static const char b64[] =
		"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	int cost;

	if (strlen(h) != 60 || h[0] != '$' || h[1] != '2' || !h[2] || !strchr("aby", h[2]) ||
	    h[3] != '$' || h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9' || h[6] != '$' ||
	    strspn(h + 7, b64) != 53)
		return false;
	/* the costs libcrypt takes, 2^4 to 2^31 rounds */
	cost = (h[4] - '0') * 10 + (h[5] - '0');
	return cost >= 4 && cost <= 31;
}

static int user_pair(struct walk *w, const char *key, const yaml_node_t *k,
		     const yaml_node_t *v)
{
	struct ctop_web_config *c = w->c;
	struct ctop_web_user *u;
	const char *s;
	char buf[80];
	int ret = 0;

	if (!*key || strchr(key, ':'))
		return fail(w, k, "basic_auth_users: '%s' cannot be a user name (empty, or with "
			    "a ':')", shown(buf, sizeof(buf), key, strlen(key)));
	if (!(s = scalar(w, v, "basic_auth_users", &ret)))
		return ret;
	if (!is_bcrypt(s))
		return fail(w, v, "basic_auth_users.%s: not a bcrypt hash (60 characters "
			    "beginning $2y$, $2b$ or $2a$, as htpasswd -nBC 10 USER prints it)",
			    shown(buf, sizeof(buf), key, strlen(key)));
	if (c->nusers == CTOP_WEB_USERS_MAX)
		return fail(w, k, "basic_auth_users: more than %d users", CTOP_WEB_USERS_MAX);
	if (!c->users && !(c->users = calloc(CTOP_WEB_USERS_MAX, sizeof(*c->users))))
		return -ENOMEM;
	u = &c->users[c->nusers++];
	u->name = strdup(key);
	u->hash = strdup(s);
	return u->name && u->hash ? 0 : -ENOMEM;
}

static int top_pair(struct walk *w, const char *key, const yaml_node_t *k,
		    const yaml_node_t *v)
{
	if (!strcmp(key, "tls_server_config"))
		return each_pair(w, v, "tls_server_config", tls_pair);
	if (!strcmp(key, "http_server_config"))
		return each_pair(w, v, "http_server_config", http_pair);
	if (!strcmp(key, "basic_auth_users"))
		return each_pair(w, v, "basic_auth_users", user_pair);
	if (!strcmp(key, "rate_limit"))
		return unsupported(w, "the file", key, k);
	return unknown(w, "the file", key, k,
		       "tls_server_config, http_server_config, basic_auth_users");
}

/* What exporter-toolkit refuses once the whole file is read. */
static int check(struct walk *w)
{
	struct ctop_web_config *c = w->c;

	if (w->cert_given || w->key_given || w->auth_given || c->client_ca_file) {
		if (!w->cert_given)
			return fail(w, NULL, "tls_server_config: cert_file is missing");
		if (!w->key_given)
			return fail(w, NULL, "tls_server_config: key_file is missing");
		c->tls = true;
	}
	if (c->client_ca_file && c->client_auth == CTOP_WEB_NO_CLIENT_CERT)
		return fail(w, NULL, "tls_server_config: client_ca_file is given but "
			    "client_auth_type is not RequireAndVerifyClientCert");
	if (c->client_auth == CTOP_WEB_REQUIRE_VERIFY && !c->client_ca_file)
		return fail(w, NULL, "tls_server_config: client_auth_type "
			    "RequireAndVerifyClientCert needs client_ca_file");
	if (c->min_version > c->max_version)
		return fail(w, NULL, "tls_server_config: min_version TLS1%d is above "
			    "max_version TLS1%d", c->min_version - CTOP_TLS10,
			    c->max_version - CTOP_TLS10);
	return 0;
}

static struct ctop_web_config *config_new(void)
{
	struct ctop_web_config *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->min_version = CTOP_TLS12;	/* exporter-toolkit's default */
	c->max_version = CTOP_TLS13;
	pthread_mutex_init(&c->lock, NULL);
	if (getrandom(c->cache_key, sizeof(c->cache_key), 0) != sizeof(c->cache_key)) {
		/* no randomness: no cache, every login costs its bcrypt */
		memset(c->cache_key, 0, sizeof(c->cache_key));
		c->clock = UINT64_MAX;
	}
	return c;
}

int ctop_web_config_parse(struct ctop_web_config **out, const char *buf, size_t len,
			  const char *dir, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc, more;
	struct walk w = { .dir = dir, .err = err, .errlen = errlen };
	yaml_node_t *root;
	int ret;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (len > CTOP_WEB_CONFIG_MAX) {
		snprintf(err, errlen, "bigger than %d KiB", CTOP_WEB_CONFIG_MAX / 1024);
		return -EFBIG;
	}
	if (!(w.c = config_new())) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (!yaml_parser_initialize(&parser)) {
		ctop_web_config_free(w.c);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "line %zu: not YAML: %s%s%s", parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "a syntax error",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		ret = parser.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
		goto err_parser;
	}
	w.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root) {
		if (!yaml_parser_load(&parser, &more)) {
			ret = fail(&w, NULL, "line %zu: not YAML: %s", parser.problem_mark.line + 1,
				   parser.problem ? parser.problem : "a syntax error");
			goto err_doc;
		}
		if (yaml_document_get_root_node(&more)) {
			yaml_document_delete(&more);
			ret = fail(&w, NULL, "more than one YAML document (---)");
			goto err_doc;
		}
		yaml_document_delete(&more);
		if (root->type != YAML_MAPPING_NODE && !is_null(root)) {
			ret = fail(&w, root, "the file must be a mapping (tls_server_config:, "
				   "basic_auth_users: ...)");
			goto err_doc;
		}
	}
	ret = each_pair(&w, root, "the file", top_pair);
	if (!ret)
		ret = check(&w);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (ret)
		goto err_doc;
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	*out = w.c;
	return 0;

err_doc:
	yaml_document_delete(&doc);
err_parser:
	yaml_parser_delete(&parser);
	ctop_web_config_free(w.c);
	return ret;
}

int ctop_web_config_load(struct ctop_web_config **out, const char *file, char *err,
			 size_t errlen)
{
	char *buf = NULL, *dir = NULL, *slash;
	size_t len = 0;
	ssize_t n;
	int fd, ret;

	*out = NULL;
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s", strerror(-ret));
		return ret;
	}
	buf = malloc(CTOP_WEB_CONFIG_MAX + 1);
	if (!buf) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* one byte past the bound tells a file that is too big */
	while (len <= CTOP_WEB_CONFIG_MAX &&
	       (n = read(fd, buf + len, CTOP_WEB_CONFIG_MAX + 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, errlen, "%s", strerror(-ret));
			goto out;
		}
		len += (size_t)n;
	}
	if (len > CTOP_WEB_CONFIG_MAX) {
		ret = -EFBIG;
		snprintf(err, errlen, "bigger than %d KiB", CTOP_WEB_CONFIG_MAX / 1024);
		goto out;
	}
	dir = strdup(file);
	if (!dir) {
		ret = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	ret = ctop_web_config_parse(out, buf, len, dir, err, errlen);
out:
	free(dir);
	free(buf);
	close(fd);
	return ret;
}

void ctop_web_config_free(struct ctop_web_config *c)
{
	size_t i;

	if (!c)
		return;
	free(c->cert_file);
	free(c->key_file);
	free(c->client_ca_file);
	for (i = 0; i < c->nusers; i++) {
		free(c->users[i].name);
		free(c->users[i].hash);
	}
	free(c->users);
	for (i = 0; i < c->nheaders; i++) {
		free(c->headers[i].name);
		free(c->headers[i].value);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
}

const char *ctop_web_config_priorities(const struct ctop_web_config *c, char *buf, size_t len)
{
	size_t o;
	int v;

	o = (size_t)snprintf(buf, len, "NORMAL:-VERS-ALL");
	for (v = (int)c->min_version; v <= (int)c->max_version && o < len; v++)
		o += (size_t)snprintf(buf + o, len - o, ":+VERS-TLS1.%d", v - CTOP_TLS10);
	return buf;
}

/* Equal in time that depends on len only. */
static bool same(const void *a, const void *b, size_t len)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

bool ctop_web_config_check_user(struct ctop_web_config *c, const char *user,
				const char *password, size_t len)
{
	struct ctop_web_auth_entry *e, *victim;
	unsigned char mac[32];
	struct crypt_data *cd;
	const char *setting, *h;
	bool found = false, ok = false, cache;
	size_t i, u = 0;

	if (!c->nusers || !user || !password || memchr(password, '\0', len))
		return false;
	for (i = 0; i < c->nusers; i++)
		if (!strcmp(c->users[i].name, user)) {
			u = i;
			found = true;
			break;
		}
	cache = c->clock != UINT64_MAX &&
		!gnutls_hmac_fast(GNUTLS_MAC_SHA256, c->cache_key, sizeof(c->cache_key),
				  password, len, mac);
	if (found && cache) {
		pthread_mutex_lock(&c->lock);
		for (i = 0; i < CTOP_WEB_AUTH_CACHE; i++) {
			e = &c->cache[i];
			if (e->used && e->user == u && same(e->mac, mac, sizeof(mac))) {
				e->last = ++c->clock;
				ok = true;
			}
		}
		pthread_mutex_unlock(&c->lock);
		if (ok)
			return true;
	}
	/* an unknown user costs a bcrypt of the first user's cost too, and fails */
	setting = c->users[u].hash;
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return false;
	h = crypt_rn(password, setting, cd, sizeof(*cd));
	ok = found && h && strlen(h) == strlen(setting) && same(h, setting, strlen(setting));
	free(cd);
	if (!ok || !cache)
		return ok;
	pthread_mutex_lock(&c->lock);
	victim = &c->cache[0];
	for (i = 0; i < CTOP_WEB_AUTH_CACHE; i++) {
		e = &c->cache[i];
		if (!e->used) {
			victim = e;
			break;
		}
		if (e->last < victim->last)
			victim = e;
	}
	victim->used = true;
	victim->user = u;
	memcpy(victim->mac, mac, sizeof(mac));
	victim->last = ++c->clock;
	pthread_mutex_unlock(&c->lock);
	return true;
}
