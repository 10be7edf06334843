# Shared by the kernel-matrix scripts: the table of kernels and a private
# apt that never reads or changes the host's sources, lists or dpkg state.
# shellcheck shell=bash

KROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KCACHE=${CTOP_KCACHE:-$KROOT/.cache/kernels}
MIRROR=${CTOP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# name  suite  debian-arch  metapackage. The metapackage's dependency names
# the current ABI, so no version number is written down here.
KTABLE='
5.10       bullseye            amd64  linux-image-cloud-amd64
6.1        bookworm            amd64  linux-image-cloud-amd64
6.12       bookworm-backports  amd64  linux-image-cloud-amd64
6.1-arm64  bookworm            arm64  linux-image-cloud-arm64
6.12-arm64 bookworm-backports  arm64  linux-image-cloud-arm64
'
KALL="5.10 6.1 6.12 6.1-arm64"

# Sets K_SUITE, K_ARCH, K_META for a kernel name; fails on an unknown name.
kernel_lookup() {
	local line
	line=$(awk -v n="$1" '$1 == n' <<<"$KTABLE")
	if [ -z "$line" ]; then
		echo "unknown kernel '$1' (known: $KALL)" >&2
		return 1
	fi
	read -r _ K_SUITE K_ARCH K_META <<<"$line"
}

# apt-get/apt-cache with their own sources, lists, cache and an empty dpkg
# status, so that the host's apt setup is neither used nor changed.
# Usage: papt SUITE ARCH apt-get|apt-cache ARGS...
papt() {
	local suite=$1 arch=$2 tool=$3 d
	shift 3
	d=$KCACHE/apt/$suite-$arch
	if [ ! -f "$d/sources.list" ]; then
		mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial" "$d/parts"
		: >"$d/status"
		echo "deb [signed-by=$KEYRING] $MIRROR $suite main" >"$d/sources.list"
	fi
	"$tool" -q \
		-o Dir::Etc::SourceList="$d/sources.list" \
		-o Dir::Etc::SourceParts="$d/parts" \
		-o Dir::Etc::Preferences=/dev/null \
		-o Dir::Etc::PreferencesParts="$d/parts" \
		-o Dir::State="$d/state" \
		-o Dir::State::status="$d/status" \
		-o Dir::Cache="$d/cache" \
		-o APT::Architecture="$arch" \
		-o APT::Architectures="$arch" \
		-o Acquire::Languages=none \
		-o APT::Sandbox::User=root \
		"$@"
}

# Refreshes a suite's private lists at most once a day.
papt_update() {
	local d=$KCACHE/apt/$1-$2
	if [ -z "$(find "$d/state/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
		papt "$1" "$2" apt-get update >/dev/null
	fi
}
