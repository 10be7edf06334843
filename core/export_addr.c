// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --export's address, parsed without the HTTP library (options.c uses it). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include "export_server.h"

static int parse_port(const char *s, uint16_t *out)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < 1 || v > 65535)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

int ctop_export_addr_parse(const char *s, struct ctop_export_addr *out)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&out->ss;
	char host[64];
	const char *colon;
	uint16_t port;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!s)
		return -EINVAL;
	colon = strrchr(s, ':');
	if (!colon || parse_port(colon + 1, &port))
		return -EINVAL;
	n = (size_t)(colon - s);
	if (n >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	if (!n) {
		/* every interface: IPv6 with IPv4 mapped in, where the host has IPv6 */
		out->any = true;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_any;
		s6->sin6_port = htons(port);
		out->len = sizeof(*s6);
		return 0;
	}
	if (host[0] == '[') {
		if (n < 3 || host[n - 1] != ']')
			return -EINVAL;
		host[n - 1] = '\0';
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return -EINVAL;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		out->len = sizeof(*s6);
		return 0;
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		return -EINVAL;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	out->len = sizeof(*s4);
	return 0;
}
