// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "export_server.h"

struct ctop_export_server {
	struct MHD_Daemon *daemon;
	int fd;
	struct ctop_web_config *web;	/* owned; NULL: plain HTTP, no auth */
	char *cert, *key, *ca;		/* its PEM files, read once */
	pthread_mutex_t lock;	/* guards what follows */
	struct ctop_om_buf text, om;
	bool ready;
};

static const char index_html[] =
	"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ctop-bpf exporter</title>"
	"</head>\n<body><h1>ctop-bpf exporter</h1>\n"
	"<p>Container metrics measured by eBPF: <a href=\"/metrics\">/metrics</a></p>\n"
	"</body></html>\n";

static int listen_on(const struct ctop_export_addr *addr, bool *v6)
{
	struct ctop_export_addr a4;
	int fd, one = 1, zero = 0, err;

	fd = socket(addr->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 && addr->any && errno == EAFNOSUPPORT) {
		/* no IPv6 on this host: every IPv4 interface, then */
		memset(&a4, 0, sizeof(a4));
		((struct sockaddr_in *)&a4.ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&a4.ss)->sin_addr.s_addr = htonl(INADDR_ANY);
		((struct sockaddr_in *)&a4.ss)->sin_port =
			((const struct sockaddr_in6 *)&addr->ss)->sin6_port;
		a4.len = sizeof(struct sockaddr_in);
		return listen_on(&a4, v6);
	}
	if (fd < 0)
		return -errno;
	*v6 = addr->ss.ss_family == AF_INET6;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (*v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, addr->any ? &zero : &one, sizeof(int));
	if (bind(fd, (const struct sockaddr *)&addr->ss, addr->len) || listen(fd, 64)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* The headers of http_server_config, on every response. */
static void add_headers(const struct ctop_export_server *s, struct MHD_Response *r)
{
	size_t i;

	for (i = 0; s->web && i < s->web->nheaders; i++)
		MHD_add_response_header(r, s->web->headers[i].name, s->web->headers[i].value);
}

static enum MHD_Result reply(const struct ctop_export_server *s, struct MHD_Connection *conn,
			     unsigned status, const char *type, void *body, size_t len,
			     enum MHD_ResponseMemoryMode mode, const char *allow)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	add_headers(s, r);
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	if (status == MHD_HTTP_OK && !strncmp(type, "text/html", 9))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text_reply(const struct ctop_export_server *s,
				  struct MHD_Connection *conn, unsigned status, const char *msg,
				  const char *allow)
{
	return reply(s, conn, status, "text/plain; charset=utf-8", (void *)msg, strlen(msg),
		     MHD_RESPMEM_PERSISTENT, allow);
}

/*
 * The scraper asks for OpenMetrics when the Accept header names it with a
 * q other than 0. Prometheus sends it first, with q=0.5 for 0.0.4.
 */
static bool wants_openmetrics(const char *accept)
{
	const char *p = accept, *end, *q;
	size_t n;

	while (p && *p) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		if (n >= 28 && !strncasecmp(p, "application/openmetrics-text", 28) &&
		    (n == 28 || p[28] == ';' || p[28] == ' ')) {
			q = memmem(p, n, "q=0", 3);
			/* q=0, q=0.0, q=0.00: refused; q=0.5: wanted */
			if (!q || (q + 3 < p + n && q[3] == '.' &&
				   strspn(q + 4, "0") < (size_t)(p + n - q - 4)))
				return true;
		}
		p = end ? end + 1 : NULL;
	}
	return false;
}

/*
 * RequireAndVerifyClientCert: libmicrohttpd asks the client for a
 * certificate when it has a trust list (client_ca_file) but does not
 * check it, so each request does, before anything is served.
 */
static bool client_verified(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	unsigned status = 0;
	unsigned n = 0;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!ci || !ci->tls_session)
		return false;
	if (!gnutls_certificate_get_peers(ci->tls_session, &n) || !n)
		return false;
	return gnutls_certificate_verify_peers2(ci->tls_session, &status) == 0 && status == 0;
}

/* Basic auth against basic_auth_users; a 401 asking for it otherwise. */
static enum MHD_Result need_login(struct ctop_export_server *s, struct MHD_Connection *conn,
				  bool *ok)
{
	static const char msg[] = "unauthorized: a user and password of basic_auth_users "
				  "are required\n";
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *user, *pass = NULL;

	user = MHD_basic_auth_get_username_password(conn, &pass);
	*ok = user && pass &&
	      ctop_web_config_check_user(s->web, user, pass, strlen(pass));
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	MHD_free(user);
	if (*ok)
		return MHD_YES;
	r = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	add_headers(s, r);
	ret = MHD_queue_basic_auth_fail_response(conn, "ctop-bpf", r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	struct ctop_export_server *s = cls;
	const struct ctop_om_buf *b;
	const char *accept;
	enum MHD_Result ret;
	bool om, ok;
	char *copy;
	size_t len;

	/* every path and method alike: nothing is said to a stranger */
	if (s->web && s->web->client_auth == CTOP_WEB_REQUIRE_VERIFY && !client_verified(conn))
		return text_reply(s, conn, MHD_HTTP_FORBIDDEN, "forbidden: a client certificate "
				  "signed by client_ca_file is required\n", NULL);
	if (s->web && s->web->nusers && ((ret = need_login(s, conn, &ok)) == MHD_NO || !ok))
		return ret;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text_reply(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n",
				  "GET, HEAD");
	if (!strcmp(url, "/"))
		return reply(s, conn, MHD_HTTP_OK, "text/html; charset=utf-8", (void *)index_html,
			     sizeof(index_html) - 1, MHD_RESPMEM_PERSISTENT, NULL);
	if (strcmp(url, "/metrics"))
		return text_reply(s, conn, MHD_HTTP_NOT_FOUND, "not found: see /metrics\n", NULL);

	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	om = accept && wants_openmetrics(accept);
	pthread_mutex_lock(&s->lock);
	if (!s->ready) {
		pthread_mutex_unlock(&s->lock);
		return text_reply(s, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "no refresh yet\n", NULL);
	}
	b = om ? &s->om : &s->text;
	len = b->len;
	copy = malloc(len ? len : 1);
	if (copy)
		memcpy(copy, b->data, len);
	pthread_mutex_unlock(&s->lock);
	if (!copy)
		return text_reply(s, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", NULL);
	return reply(s, conn, MHD_HTTP_OK,
		     ctop_om_content_type(om ? CTOP_OM_OPENMETRICS : CTOP_OM_TEXT), copy, len,
		     MHD_RESPMEM_MUST_FREE, NULL);
}

#define PEM_MAX	(1 << 20)	/* bytes of a certificate, key or CA file */

/* A PEM file into a NUL-terminated buffer, as libmicrohttpd takes it. */
static int read_pem(const char *path, const char *key, char **out, char *err, size_t errlen)
{
	size_t len = 0;
	ssize_t n;
	char *buf;
	int fd, e;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "tls_server_config.%s %s: %s", key, path, strerror(e));
		return -EINVAL;
	}
	buf = malloc(PEM_MAX + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	while (len < PEM_MAX && (n = read(fd, buf + len, PEM_MAX - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			snprintf(err, errlen, "tls_server_config.%s %s: %s", key, path,
				 strerror(e));
			goto fail;
		}
		len += (size_t)n;
	}
	if (len == PEM_MAX || memchr(buf, '\0', len)) {
		snprintf(err, errlen, "tls_server_config.%s %s: not a PEM file (%s)", key, path,
			 len == PEM_MAX ? "over 1 MiB" : "binary");
		goto fail;
	}
	close(fd);
	buf[len] = '\0';
	*out = buf;
	return 0;
fail:
	close(fd);
	free(buf);
	return -EINVAL;
}

/*
 * Reads the TLS files of web into s and checks them with GnuTLS, as
 * libmicrohttpd will load them: its own failure says only that it failed.
 */
static int load_tls(struct ctop_export_server *s, const struct ctop_web_config *web,
		    char *err, size_t errlen)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_priority_t prio = NULL;
	gnutls_datum_t c, k;
	const char *pos = NULL;
	char prios[128];
	int ret;

	if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
		snprintf(err, errlen, "this libmicrohttpd has no TLS: remove tls_server_config");
		return -EINVAL;
	}
	if ((ret = read_pem(web->cert_file, "cert_file", &s->cert, err, errlen)) ||
	    (ret = read_pem(web->key_file, "key_file", &s->key, err, errlen)) ||
	    (web->client_ca_file &&
	     (ret = read_pem(web->client_ca_file, "client_ca_file", &s->ca, err, errlen))))
		return ret;
	if (gnutls_certificate_allocate_credentials(&cred) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c = (gnutls_datum_t){ (unsigned char *)s->cert, (unsigned)strlen(s->cert) };
	k = (gnutls_datum_t){ (unsigned char *)s->key, (unsigned)strlen(s->key) };
	ret = gnutls_certificate_set_x509_key_mem(cred, &c, &k, GNUTLS_X509_FMT_PEM);
	if (ret < 0) {
		snprintf(err, errlen, "tls_server_config: cert_file %s and key_file %s do not "
			 "load as a PEM certificate and its key: %s", web->cert_file,
			 web->key_file, gnutls_strerror(ret));
		ret = -EINVAL;
		goto out;
	}
	if (s->ca) {
		c = (gnutls_datum_t){ (unsigned char *)s->ca, (unsigned)strlen(s->ca) };
		ret = gnutls_certificate_set_x509_trust_mem(cred, &c, GNUTLS_X509_FMT_PEM);
		if (ret <= 0) {
			snprintf(err, errlen, "tls_server_config.client_ca_file %s: %s",
				 web->client_ca_file,
				 ret ? gnutls_strerror(ret) : "no PEM certificate in it");
			ret = -EINVAL;
			goto out;
		}
	}
	ret = gnutls_priority_init(&prio, ctop_web_config_priorities(web, prios, sizeof(prios)),
				   &pos);
	if (ret < 0) {
		snprintf(err, errlen, "tls_server_config: min_version and max_version: GnuTLS "
			 "refuses '%s': %s", prios, gnutls_strerror(ret));
		ret = -EINVAL;
		goto out;
	}
	gnutls_priority_deinit(prio);
	ret = 0;
out:
	gnutls_certificate_free_credentials(cred);
	return ret;
}

static void free_tls(struct ctop_export_server *s)
{
	if (s->key)
		explicit_bzero(s->key, strlen(s->key));
	free(s->cert);
	free(s->key);
	free(s->ca);
	s->cert = s->key = s->ca = NULL;
}

int ctop_export_server_check(const struct ctop_web_config *web, char *err, size_t errlen)
{
	struct ctop_export_server s = { .fd = -1 };
	int ret;

	if (!web || !web->tls)
		return 0;
	ret = load_tls(&s, web, err, errlen);
	free_tls(&s);
	return ret;
}

int ctop_export_server_new(struct ctop_export_server **out, const struct ctop_export_addr *addr,
			   struct ctop_web_config *web, char *err, size_t errlen)
{
	struct ctop_export_server *s;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
	struct MHD_OptionItem tls[5];
	char prios[128];
	sigset_t block, old;
	bool v6 = false;
	size_t n = 0;
	int e;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		ctop_web_config_free(web);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->web = web;
	pthread_mutex_init(&s->lock, NULL);
	ctop_om_buf_init(&s->text);
	ctop_om_buf_init(&s->om);
	if (web && web->tls) {
		if ((e = -load_tls(s, web, err, errlen)))
			goto err_free;
		flags |= MHD_USE_TLS;
		tls[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, s->cert };
		tls[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, s->key };
		if (s->ca)
			tls[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0, s->ca };
		tls[n++] = (struct MHD_OptionItem){
			MHD_OPTION_HTTPS_PRIORITIES, 0,
			(void *)ctop_web_config_priorities(web, prios, sizeof(prios)) };
	}
	tls[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	s->fd = listen_on(addr, &v6);
	if (s->fd < 0) {
		e = -s->fd;
		snprintf(err, errlen, "%s", strerror(e));
		goto err_free;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	/* The server's threads leave the signals to the thread that started them. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, s, MHD_OPTION_LISTEN_SOCKET, s->fd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)CTOP_EXPORT_THREADS,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)CTOP_EXPORT_MAX_CONNS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CTOP_EXPORT_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CTOP_EXPORT_CONN_MEMORY,
		MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->daemon) {
		snprintf(err, errlen, "libmicrohttpd could not start its threads%s",
			 web && web->tls ? " with TLS" : "");
		e = e ? e : ENOMEM;
		goto err_close;
	}
	*out = s;
	return 0;

err_close:
	close(s->fd);
err_free:
	pthread_mutex_destroy(&s->lock);
	free_tls(s);
	ctop_web_config_free(s->web);
	free(s);
	return -e;
}

void ctop_export_server_free(struct ctop_export_server *s)
{
	if (!s)
		return;
	/* MHD closes the listening socket it was given (unless quiesced) */
	MHD_stop_daemon(s->daemon);
	pthread_mutex_destroy(&s->lock);
	free_tls(s);
	ctop_web_config_free(s->web);
	ctop_om_buf_fini(&s->text);
	ctop_om_buf_fini(&s->om);
	free(s);
}

int ctop_export_server_publish(struct ctop_export_server *s, struct ctop_om_buf *text,
			       struct ctop_om_buf *om)
{
	struct ctop_om_buf t;

	if (text->err || om->err)
		return -EINVAL;
	pthread_mutex_lock(&s->lock);
	t = s->text;
	s->text = *text;
	*text = t;
	t = s->om;
	s->om = *om;
	*om = t;
	s->ready = true;
	pthread_mutex_unlock(&s->lock);
	ctop_om_buf_reset(text);
	ctop_om_buf_reset(om);
	return 0;
}
