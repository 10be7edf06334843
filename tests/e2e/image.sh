#!/usr/bin/env bash
# The deployment image: `make image` builds it from this tree, and it runs
# under Docker with exactly the privileges and mounts of
# man/deploy/daemonset.yaml (privileged, host PID and network, BTF, the
# cgroup tree and the runtimes' state read-only). From inside, it must see
# the other containers, with their names and their CPU. (The capabilities
# are read from the manifest: --privileged cannot work on a host whose
# bounding set lacks one, as this VM's lacks CAP_SYS_RESOURCE.)
set -u
source tests/e2e/lib.sh
need_root
for t in curl openssl htpasswd; do
	command -v $t >/dev/null || cannot_run "$t is not installed (make deps-test)"
done
start_docker
build_image || cannot_run "cannot build the test image"

P=ctopimg-$$
TAG=ctop-bpf:e2e-$$
PORT=$((30000 + $$ % 5000))
TLS_PORT=$((PORT + 5000))
TMP=$(mktemp -d /tmp/ctop-image.XXXXXX)
cleanup() {
	remove_containers "$P"
	docker rmi -f "$TAG" >/dev/null 2>&1
	rm -rf "$TMP"
	return 0
}
trap cleanup EXIT

check "make image builds an image" make --no-print-directory image IMAGE="$TAG"
docker run -d --network none --name "$P-busy" "$IMAGE" /workload burn 600 >/dev/null

# The DaemonSet's volumes and securityContext, as docker run flags.
mounts=()
for m in $(awk '/^ *#/ { next } /mountPath:/ { for (i = 1; i <= NF; i++) if ($i == "mountPath:") { p = $(i + 1); sub(/,$/, "", p); print p } }' \
	man/deploy/daemonset.yaml); do
	mkdir -p "$m" 2>/dev/null	# DirectoryOrCreate
	mounts+=(-v "$m:$m:ro")
done
check "the manifest mounts BTF, the cgroup tree and the runtimes' state" \
	test "${#mounts[@]}" -eq 12
caps=()
for c in $(sed -n 's/^ *add: \[\(.*\)\]/\1/p' man/deploy/daemonset.yaml | tr -d ','); do
	caps+=(--cap-add "$c")
done
check "the manifest adds SYS_ADMIN, SYS_PTRACE, DAC_READ_SEARCH" test "${caps[*]}" = \
	"--cap-add SYS_ADMIN --cap-add SYS_PTRACE --cap-add DAC_READ_SEARCH"
grep -q 'hostPID: true' man/deploy/daemonset.yaml && grep -q 'hostNetwork: true' man/deploy/daemonset.yaml
check "the manifest has hostPID and hostNetwork" test $? -eq 0
docker run -d --name "$P-exp" "${caps[@]}" --pid=host --network=host "${mounts[@]}" "$TAG" \
	--export 127.0.0.1:$PORT -d 0.5 >/dev/null
body=
for _ in $(seq 1 60); do
	body=$(curl -s --max-time 2 "http://127.0.0.1:$PORT/metrics") && [ -n "$body" ] &&
		grep -q "name=\"$P-busy\"" <<<"$body" && break
	sleep 0.5
done
sleep 2
body=$(curl -s --max-time 2 "http://127.0.0.1:$PORT/metrics")
check "the image serves /metrics" test -n "$body"
id=$(docker inspect -f '{{.Id}}' "$P-busy")
check "it sees the other container, with its name, image and cgroup" \
	grep -q "^container_cpu_usage_seconds_total{id=\"/docker/$id\",name=\"$P-busy\",image=\"$IMAGE\"}" <<<"$body"
cpu=$(awk -v n="name=\"$P-busy\"" 'index($0, "container_cpu_usage_seconds_total{") == 1 && index($0, n) { print $NF }' <<<"$body")
check "and its CPU is counted ($cpu s)" awk -v v="${cpu:-0}" 'BEGIN { exit !(v > 0.1) }'
docker logs "$P-exp" 2>&1 | sed 's/^/# exporter: /' | head -5
docker kill -s TERM "$P-exp" >/dev/null
rc=$(docker wait "$P-exp")
check "docker stop's SIGTERM ends it with status 0 ($rc)" test "$rc" = 0

# HTTPS and basic auth as the manifest's commented web-config lines have
# them: the Secret's files in their folder, read-only, and --web-config.
webdir=$(sed -n 's/^ *# - { name: web-config, mountPath: \([^,]*\),.*/\1/p' man/deploy/daemonset.yaml)
webcfg=$(grep -o '"--web-config", "[^"]*"' man/deploy/daemonset.yaml | cut -d'"' -f4)
check "the manifest's web-config is a file in the Secret's folder ($webcfg in $webdir)" \
	test -n "$webdir" -a "$(dirname "${webcfg:-x}")" = "$webdir"
W=$TMP/web
mkdir -p "$W"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-keyout "$W/server.key" -out "$W/server.crt" -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 2>"$TMP/openssl.log" ||
	cannot_run "openssl could not make a certificate: $(tail -n 3 "$TMP/openssl.log")"
chmod 0400 "$W/server.key"
PW=ctop-$$-pw
cat >"$W/$(basename "$webcfg")" <<YML
tls_server_config:
  cert_file: server.crt
  key_file: server.key
basic_auth_users:
  prometheus: '$(htpasswd -nbBC 10 prometheus "$PW" | cut -d: -f2-)'
YML
docker run -d --name "$P-tls" "${caps[@]}" --pid=host --network=host "${mounts[@]}" \
	-v "$W:$webdir:ro" "$TAG" --export 127.0.0.1:$TLS_PORT -d 0.5 --web-config "$webcfg" >/dev/null
S=https://127.0.0.1:$TLS_PORT
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 --cacert "$W/server.crt" "$@"; }
for _ in $(seq 1 60); do
	[ "$(code -u "prometheus:$PW" "$S/metrics")" = 200 ] && break
	sleep 0.5
done
body=$(curl -s --max-time 5 --cacert "$W/server.crt" -u "prometheus:$PW" "$S/metrics")
check "over HTTPS with the password it serves the other container's series" \
	grep -q "^container_cpu_usage_seconds_total{id=\"/docker/$id\",name=\"$P-busy\"" <<<"$body"
check "without the password: 401; plain HTTP: no answer" \
	test "$(code "$S/metrics")$(code "http://127.0.0.1:$TLS_PORT/metrics")" = 401000
docker logs "$P-tls" 2>&1 | sed 's/^/# exporter (TLS): /' | head -5
finish
