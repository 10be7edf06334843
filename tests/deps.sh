#!/usr/bin/env bash
# Installs what ctop-bpf needs to build, run and be tested, on Debian or
# Ubuntu with apt. Installs only what is missing, so it is quick when all
# is there. Run as root.
set -euo pipefail

pkgs=(
	make gcc libc6-dev pkg-config clang llvm bpftool
	libbpf-dev libelf-dev zlib1g-dev libjansson-dev libncurses-dev
	libcriterion-dev libclang-rt-dev
	docker.io busybox-static tmux jq groff man-db procps util-linux
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run 'make deps' as root to install them" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null; then
	echo "deps: no apt-get here; install by hand: ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
