/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exporter's HTTP side, on libmicrohttpd: GET/HEAD /metrics from the
 * latest pre-rendered buffers, GET / a page that links to it, 404 for
 * other paths and 405 for other methods. A scrape only copies a buffer
 * under a lock; all rendering is the caller's, once per refresh.
 *
 * Bounded as a network service: a small thread pool, a connection limit,
 * a per-connection idle timeout (slow clients), and a per-connection
 * memory limit that refuses huge request lines and headers.
 *
 * With a --web-config (web_config.h): HTTPS through libmicrohttpd's
 * GnuTLS, optionally requiring a client certificate that client_ca_file
 * signed (403 without one, since libmicrohttpd asks for it but leaves the
 * check to us), and basic auth (401 with WWW-Authenticate: Basic) on every
 * path and method when basic_auth_users is given.
 */
#ifndef CTOP_EXPORT_SERVER_H
#define CTOP_EXPORT_SERVER_H

#include <stddef.h>
#include <stdbool.h>
#include <sys/socket.h>
#include "openmetrics.h"
#include "web_config.h"

#define CTOP_EXPORT_THREADS		2
#define CTOP_EXPORT_MAX_CONNS		128
#define CTOP_EXPORT_TIMEOUT_S		5	/* idle seconds before a connection is closed */
#define CTOP_EXPORT_CONN_MEMORY	16384	/* bytes of request line and headers */

/* Where to listen, as --export gives it. */
struct ctop_export_addr {
	struct sockaddr_storage ss;
	socklen_t len;
	bool any;		/* ":PORT": every interface, IPv6 and IPv4 */
};

/*
 * Pure: "[HOST]:PORT" into *out. HOST is an IPv4 address, a bracketed
 * IPv6 address ("[::1]:9662") or nothing (every interface); PORT is 1 to
 * 65535. Names are not resolved. 0 or -EINVAL.
 */
int ctop_export_addr_parse(const char *s, struct ctop_export_addr *out);

struct ctop_export_server;

/*
 * Whether the TLS files of web load: cert_file with key_file, client_ca_file,
 * and min_version..max_version as GnuTLS priorities. 0 (also for NULL or
 * no TLS), or -EINVAL (a file that does not load: the caller exits 2) or
 * -ENOMEM, with err naming the key, the file and what is wrong.
 */
int ctop_export_server_check(const struct ctop_web_config *web, char *err, size_t errlen);

/*
 * Binds and starts serving (503 until the first publish). web (NULL: plain
 * HTTP, no auth) is the server's from then on, freed with it, also when
 * this fails. 0, or -EINVAL for TLS files that do not load (as
 * ctop_export_server_check), or -errno (-EADDRINUSE, -EACCES,
 * -EADDRNOTAVAIL, ...) with err saying what failed.
 */
int ctop_export_server_new(struct ctop_export_server **out, const struct ctop_export_addr *addr,
			   struct ctop_web_config *web, char *err, size_t errlen);
/* Stops serving, waits for the server's threads, and frees everything. */
void ctop_export_server_free(struct ctop_export_server *s);

/*
 * Makes text and om (the text format and OpenMetrics renderings of one
 * refresh) what the next scrapes serve. The buffers are swapped with the
 * server's previous ones, which the caller gets back reset, to render
 * into next time. 0, or -EINVAL for a buffer that holds an error.
 */
int ctop_export_server_publish(struct ctop_export_server *s, struct ctop_om_buf *text,
			       struct ctop_om_buf *om);

#endif /* CTOP_EXPORT_SERVER_H */
