// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <errno.h>
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

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *type,
			     void *body, size_t len, enum MHD_ResponseMemoryMode mode,
			     const char *allow)
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
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	if (status == MHD_HTTP_OK && !strncmp(type, "text/html", 9))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text_reply(struct MHD_Connection *conn, unsigned status, const char *msg,
				  const char *allow)
{
	return reply(conn, status, "text/plain; charset=utf-8", (void *)msg, strlen(msg),
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

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	struct ctop_export_server *s = cls;
	const struct ctop_om_buf *b;
	const char *accept;
	bool om;
	char *copy;
	size_t len;

	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n",
				  "GET, HEAD");
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, "text/html; charset=utf-8", (void *)index_html,
			     sizeof(index_html) - 1, MHD_RESPMEM_PERSISTENT, NULL);
	if (strcmp(url, "/metrics"))
		return text_reply(conn, MHD_HTTP_NOT_FOUND, "not found: see /metrics\n", NULL);

	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	om = accept && wants_openmetrics(accept);
	pthread_mutex_lock(&s->lock);
	if (!s->ready) {
		pthread_mutex_unlock(&s->lock);
		return text_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "no refresh yet\n", NULL);
	}
	b = om ? &s->om : &s->text;
	len = b->len;
	copy = malloc(len ? len : 1);
	if (copy)
		memcpy(copy, b->data, len);
	pthread_mutex_unlock(&s->lock);
	if (!copy)
		return text_reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", NULL);
	return reply(conn, MHD_HTTP_OK,
		     ctop_om_content_type(om ? CTOP_OM_OPENMETRICS : CTOP_OM_TEXT), copy, len,
		     MHD_RESPMEM_MUST_FREE, NULL);
}

struct ctop_export_server *ctop_export_server_new(const struct ctop_export_addr *addr, char *err,
						  size_t errlen)
{
	struct ctop_export_server *s;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
	sigset_t block, old;
	bool v6 = false;
	int e;

	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	ctop_om_buf_init(&s->text);
	ctop_om_buf_init(&s->om);
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
		MHD_OPTION_END);
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->daemon) {
		snprintf(err, errlen, "libmicrohttpd could not start its threads");
		e = e ? e : ENOMEM;
		goto err_close;
	}
	return s;

err_close:
	close(s->fd);
err_free:
	pthread_mutex_destroy(&s->lock);
	free(s);
	errno = e;
	return NULL;
}

void ctop_export_server_free(struct ctop_export_server *s)
{
	if (!s)
		return;
	/* MHD closes the listening socket it was given (unless quiesced) */
	MHD_stop_daemon(s->daemon);
	pthread_mutex_destroy(&s->lock);
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
