// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The --web-config parser: YAML from a file the user names, through
 * libyaml into the exporter-toolkit keys. What it promises: 0 with a
 * config whose fields hold together, or an error with a message of
 * printable text (no control byte from the file) that is never empty.
 */
#include "web_config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctop_web_config *c = (void *)1;
	char err[512], buf[128];
	size_t i;
	int ret;

	memset(err, 0xa5, sizeof(err));
	ret = ctop_web_config_parse(&c, (const char *)data, size, "/etc/ctop-bpf", err,
				    sizeof(err));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ENOMEM || ret == -EFBIG);
	if (ret) {
		FUZZ_CHECK(c == NULL);
		FUZZ_CHECK(fuzz_terminated(err, sizeof(err)) && err[0]);
		/* what the file holds is shown as printable text only */
		FUZZ_CHECK(fuzz_no_controls(err));
		return 0;
	}
	FUZZ_CHECK(c != NULL);
	FUZZ_CHECK(c->tls == (c->cert_file != NULL));
	FUZZ_CHECK(c->tls == (c->key_file != NULL));
	FUZZ_CHECK(!c->client_ca_file || c->tls);
	FUZZ_CHECK((c->client_auth == CTOP_WEB_REQUIRE_VERIFY) == (c->client_ca_file != NULL));
	if (c->cert_file)
		FUZZ_CHECK(c->cert_file[0] == '/');
	FUZZ_CHECK(c->min_version >= CTOP_TLS10 && c->min_version <= c->max_version &&
		   c->max_version <= CTOP_TLS13);
	FUZZ_CHECK(!strncmp(ctop_web_config_priorities(c, buf, sizeof(buf)), "NORMAL:", 7));
	FUZZ_CHECK(c->nheaders <= CTOP_WEB_HEADERS_MAX);
	for (i = 0; i < c->nheaders; i++)
		FUZZ_CHECK(fuzz_no_controls(c->headers[i].value));
	FUZZ_CHECK(c->nusers <= CTOP_WEB_USERS_MAX);
	for (i = 0; i < c->nusers; i++) {
		FUZZ_CHECK(c->users[i].name[0] && !strchr(c->users[i].name, ':'));
		FUZZ_CHECK(strlen(c->users[i].hash) == 60 && c->users[i].hash[0] == '$');
	}
	/* one login, where the file's cost keeps it quick: bcrypt on the file's setting */
	if (c->nusers && !strncmp(c->users[0].hash + 3, "$0", 2) && c->users[0].hash[5] <= '6')
		FUZZ_CHECK(!ctop_web_config_check_user(c, c->users[0].name, "", 0));
	ctop_web_config_free(c);
	return 0;
}
