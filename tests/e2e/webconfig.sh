#!/usr/bin/env bash
# End to end for --web-config: the real binary serves HTTPS with a
# certificate made here, asks for a bcrypt password (htpasswd), and, in a
# second run, for a client certificate; curl checks each answer, and a
# Prometheus of the test's own scrapes both with scheme https, tls_config
# (and its client certificate) and basic_auth, `up` read through its
# query API. Then bad files, each
# ending with status 2 and a message. No containers needed: the exporter
# serves its own series (ctop_build_info) all the same.
set -u
source tests/e2e/lib.sh
need_root
for t in curl openssl htpasswd jq prometheus; do
	command -v $t >/dev/null || cannot_run "$t is not installed (make deps-test)"
done

TMP=$(mktemp -d /tmp/ctop-webconfig.XXXXXX)
# Ports of our own, away from export.sh's (20000-29999).
EXP=$((30000 + $$ % 4000))
MTLS=$((EXP + 4000))
PROM=$((EXP + 8000))
CTOP= MPID= PROMPID=
cleanup() {
	[ -n "$CTOP" ] && kill "$CTOP" 2>/dev/null && wait "$CTOP" 2>/dev/null
	[ -n "$MPID" ] && kill "$MPID" 2>/dev/null && wait "$MPID" 2>/dev/null
	[ -n "$PROMPID" ] && kill "$PROMPID" 2>/dev/null && wait "$PROMPID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# A CA, the server's certificate from it (for 127.0.0.1), a client's from
# it, and a stranger's self-signed one. The config's folder holds the
# server's files: its paths are relative, as exporter-toolkit takes them.
C=$TMP/conf
mkdir -p "$C"
ossl() { openssl "$@" 2>>"$TMP/openssl.log"; }
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
ossl req -x509 "${ec[@]}" -keyout "$TMP/ca.key" -out "$C/ca.crt" -days 2 -subj /CN=ctop-test-ca &&
	ossl req "${ec[@]}" -keyout "$C/server.key" -out "$TMP/server.csr" -subj /CN=127.0.0.1 &&
	printf 'subjectAltName=IP:127.0.0.1\n' >"$TMP/san.ext" &&
	ossl x509 -req -in "$TMP/server.csr" -CA "$C/ca.crt" -CAkey "$TMP/ca.key" \
		-CAcreateserial -days 2 -extfile "$TMP/san.ext" -out "$C/server.crt" &&
	ossl req "${ec[@]}" -keyout "$TMP/client.key" -out "$TMP/client.csr" -subj /CN=prometheus &&
	ossl x509 -req -in "$TMP/client.csr" -CA "$C/ca.crt" -CAkey "$TMP/ca.key" \
		-CAcreateserial -days 2 -out "$TMP/client.crt" &&
	ossl req -x509 "${ec[@]}" -keyout "$TMP/stranger.key" -out "$TMP/stranger.crt" -days 2 \
		-subj /CN=stranger ||
	cannot_run "openssl could not make the test certificates: $(tail -n 3 "$TMP/openssl.log")"

PW=ctop-$$-pw
printf '%s' "$PW" >"$TMP/password"
printf 'wrong-%s' "$PW" >"$TMP/badpassword"
hash=$(htpasswd -nbBC 10 prometheus "$PW" | cut -d: -f2-)
cat >"$C/web.yml" <<YML
tls_server_config:
  cert_file: server.crt
  key_file: server.key
http_server_config:
  headers:
    X-Content-Type-Options: nosniff
basic_auth_users:
  prometheus: '$hash'
YML

"$CTOP_BIN" --export 127.0.0.1:$EXP --web-config "$C/web.yml" -d 0.25 2>"$TMP/err" &
CTOP=$!
S=https://127.0.0.1:$EXP
# code URL CURL-ARGS...: the HTTP status curl got, or 000 when it got none.
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
for _ in $(seq 1 100); do
	[ "$(code --cacert "$C/ca.crt" -u "prometheus:$PW" "$S/metrics")" = 200 ] && break
	sleep 0.1
done

check "https with the right password: 200 and the metrics" \
	bash -c "curl -sf --max-time 5 --cacert '$C/ca.crt' -u 'prometheus:$PW' '$S/metrics' |
		grep -q '^ctop_build_info{version=\"'"
check "the page at / needs the password too (401, then 200)" \
	test "$(code --cacert "$C/ca.crt" "$S/")$(code --cacert "$C/ca.crt" -u "prometheus:$PW" "$S/")" = 401200
check "no password: 401 with WWW-Authenticate: Basic" \
	bash -c "curl -s -D - -o /dev/null --max-time 5 --cacert '$C/ca.crt' '$S/metrics' |
		tr -d '\r' | grep -q '^HTTP/1.1 401' &&
		curl -s -D - -o /dev/null --max-time 5 --cacert '$C/ca.crt' '$S/metrics' |
		tr -d '\r' | grep -qi '^WWW-Authenticate: Basic realm='"
check "a wrong password: 401" \
	test "$(code --cacert "$C/ca.crt" -u "prometheus:x$PW" "$S/metrics")" = 401
check "a wrong user: 401" test "$(code --cacert "$C/ca.crt" -u "root:$PW" "$S/metrics")" = 401
check "other paths and methods are behind the password too (401, not 404 or 405)" \
	test "$(code --cacert "$C/ca.crt" "$S/nothing")$(code --cacert "$C/ca.crt" -X POST "$S/metrics")" = 401401
check "the configured header is on the responses" \
	bash -c "curl -s -D - -o /dev/null --max-time 5 --cacert '$C/ca.crt' '$S/metrics' |
		tr -d '\r' | grep -qx 'X-Content-Type-Options: nosniff'"
check "plain HTTP to the TLS port gets no HTTP answer" \
	test "$(code -u "prometheus:$PW" "http://127.0.0.1:$EXP/metrics")" = 000
check "the certificate is the one made here (no --cacert: curl refuses it)" \
	test "$(code -u "prometheus:$PW" "$S/metrics")" = 000
# ms CURL-ARGS...: how long one request takes, in milliseconds.
ms() {
	local t0 t1
	t0=$(date +%s%N)
	curl -s -o /dev/null --max-time 10 "$@"
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Without the cache a good login costs what a bad one does (a bcrypt at
# cost 10 plus the request); with it, the request only. Medians, since the
# machine is shared.
good=$(for _ in $(seq 9); do ms --cacert "$C/ca.crt" -u "prometheus:$PW" "$S/metrics"; done | median)
badt=$(for _ in $(seq 5); do ms --cacert "$C/ca.crt" -u "prometheus:x$PW" "$S/metrics"; done | median)
check "a good login is remembered: ${good} ms a scrape against ${badt} ms for a bcrypt" \
	test $((good * 10)) -lt $((badt * 6))

# A second exporter: client certificates, and TLS 1.3 only.
cat >"$C/mtls.yml" <<YML
tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  min_version: TLS13
YML
"$CTOP_BIN" --export 127.0.0.1:$MTLS --web-config "$C/mtls.yml" -d 0.25 2>"$TMP/merr" &
MPID=$!
M=https://127.0.0.1:$MTLS
mine=(--cacert "$C/ca.crt" --cert "$TMP/client.crt" --key "$TMP/client.key")

# A real Prometheus: https, the CA, basic auth from a password file; a
# job with a wrong password, which must be down; and the second exporter
# with the client certificate, and without it (down).
cat >"$TMP/prom.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: ctop-tls
    scheme: https
    tls_config:
      ca_file: $C/ca.crt
    basic_auth:
      username: prometheus
      password_file: $TMP/password
    static_configs:
      - targets: ['127.0.0.1:$EXP']
  - job_name: ctop-badpw
    scheme: https
    tls_config:
      ca_file: $C/ca.crt
    basic_auth:
      username: prometheus
      password_file: $TMP/badpassword
    static_configs:
      - targets: ['127.0.0.1:$EXP']
  - job_name: ctop-mtls
    scheme: https
    tls_config:
      ca_file: $C/ca.crt
      cert_file: $TMP/client.crt
      key_file: $TMP/client.key
    static_configs:
      - targets: ['127.0.0.1:$MTLS']
  - job_name: ctop-nocert
    scheme: https
    tls_config:
      ca_file: $C/ca.crt
    static_configs:
      - targets: ['127.0.0.1:$MTLS']
YML
start_prometheus
for _ in $(seq 1 120); do
	[ "$(q 'up{job="ctop-tls"}')" = 1 ] && [ "$(q 'up{job="ctop-mtls"}')" = 1 ] &&
		[ -n "$(q 'up{job="ctop-badpw"}')" ] && [ -n "$(q 'up{job="ctop-nocert"}')" ] && break
	sleep 0.5
done
check "Prometheus scrapes it over https with basic auth (up == 1)" \
	test "$(q 'up{job="ctop-tls"}')" = 1
check "Prometheus reads its series (ctop_build_info == 1)" \
	test "$(q 'ctop_build_info{job="ctop-tls"}')" = 1
check "Prometheus with a wrong password is refused (up == 0)" \
	test "$(q 'up{job="ctop-badpw"}')" = 0
check "Prometheus with the client certificate scrapes the second (up == 1)" \
	test "$(q 'up{job="ctop-mtls"}')" = 1
check "Prometheus without a client certificate is refused (up == 0)" \
	test "$(q 'up{job="ctop-nocert"}')" = 0
[ "$(q 'up{job="ctop-tls"}')" = 1 ] || tail -n 5 "$TMP/prom.log"

for _ in $(seq 1 100); do
	[ "$(code "${mine[@]}" "$M/metrics")" = 200 ] && break
	sleep 0.1
done
check "RequireAndVerifyClientCert: the CA's client gets 200" \
	test "$(code "${mine[@]}" "$M/metrics")" = 200
check "RequireAndVerifyClientCert: no client certificate gets 403" \
	test "$(code --cacert "$C/ca.crt" "$M/metrics")" = 403
check "RequireAndVerifyClientCert: a stranger's certificate gets 403" \
	test "$(code --cacert "$C/ca.crt" --cert "$TMP/stranger.crt" --key "$TMP/stranger.key" \
		"$M/metrics")" = 403
check "min_version TLS13: a TLS 1.2 client gets no answer" \
	test "$(code "${mine[@]}" --tls-max 1.2 "$M/metrics")" = 000
check "min_version TLS13: TLS 1.3 is what is spoken" \
	bash -c "curl -sv -o /dev/null --max-time 5 ${mine[*]} '$M/metrics' 2>&1 | grep -q 'TLSv1.3'"

kill -TERM "$CTOP"
wait "$CTOP"
rc=$?
CTOP=
check "SIGTERM: clean exit, status 0 ($rc)" test $rc -eq 0
check "stderr stays empty" test ! -s "$TMP/err"
kill -TERM "$MPID"
wait "$MPID"
rc=$?
MPID=
check "the client-certificate run: status 0 ($rc) on SIGTERM, stderr empty" \
	bash -c "[ $rc -eq 0 ] && [ ! -s '$TMP/merr' ]"

# bad CONTENT WANT...: a --web-config file with CONTENT ends with status 2
# and a message holding each WANT, quickly (before the BPF programs load).
bad() {
	local what=$1 content=$2 rc t0 t1
	shift 2
	printf '%s' "$content" >"$C/bad.yml"
	t0=$(date +%s%N)
	timeout 20 "$CTOP_BIN" --export 127.0.0.1:$EXP --web-config "$C/bad.yml" -n 1 \
		>/dev/null 2>"$TMP/bad.err"
	rc=$?
	t1=$(date +%s%N)
	local ok=true w
	[ $rc -eq 2 ] || ok=false
	for w in "$@"; do grep -qF -- "$w" "$TMP/bad.err" || ok=false; done
	$ok || echo "  status $rc, stderr: $(cat "$TMP/bad.err")"
	check "bad file, $what: status 2 and a message ($(( (t1 - t0) / 1000000 )) ms)" $ok
}
bad "not YAML" $'tls_server_config:\n  cert_file: [a\n' "ctop-bpf: --web-config $C/bad.yml:" "not YAML"
bad "unknown key" $'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  kye: x\n' \
	"line 4" "unknown key 'kye'"
bad "wrong type" $'basic_auth_users:\n  - prometheus\n' "basic_auth_users" "a mapping"
bad "a password that is not bcrypt" $'basic_auth_users:\n  prometheus: secret\n' "bcrypt"
bad "a missing key_file" $'tls_server_config:\n  cert_file: server.crt\n' "key_file is missing"
bad "a certificate that is not there" $'tls_server_config:\n  cert_file: nothere.crt\n  key_file: server.key\n' \
	"cert_file $C/nothere.crt" "No such file"
printf 'not a certificate\n' >"$C/garbage.crt"
bad "a certificate that does not load" $'tls_server_config:\n  cert_file: garbage.crt\n  key_file: server.key\n' \
	"do not load"
cp "$TMP/client.key" "$C/other.key"
bad "a key of another certificate" $'tls_server_config:\n  cert_file: server.crt\n  key_file: other.key\n' \
	"do not load"
bad "an unsupported client_auth_type" \
	$'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: RequireAnyClientCert\n' \
	"does not support RequireAnyClientCert"

rm -f "$C/bad.yml"
timeout 20 "$CTOP_BIN" --export 127.0.0.1:$EXP --web-config "$C/bad.yml" -n 1 >/dev/null 2>"$TMP/bad.err"
rc=$?
check "a missing file: status 2 ($rc) and a message" \
	bash -c "[ $rc -eq 2 ] && grep -q 'bad.yml: No such file' '$TMP/bad.err'"
timeout 20 "$CTOP_BIN" --export 127.0.0.1:$EXP --web-config "$C" -n 1 >/dev/null 2>"$TMP/bad.err"
rc=$?
check "a folder: status 2 ($rc) and a message" \
	bash -c "[ $rc -eq 2 ] && grep -q 'Is a directory' '$TMP/bad.err'"
timeout 20 "$CTOP_BIN" -b -n 1 --web-config "$C/web.yml" >/dev/null 2>"$TMP/bad.err"
rc=$?
check "--web-config without --export: status 2 ($rc), usage error" \
	bash -c "[ $rc -eq 2 ] && grep -q 'only works with --export' '$TMP/bad.err'"
finish
