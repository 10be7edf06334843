#!/usr/bin/env bash
# Installs, with apt, what is missing of one set of packages, on Debian or
# Ubuntu. Quick when all is there.
#
#   tests/deps.sh build   what building and running ctop-bpf need: `make`,
#                         `make run`, `make deps`
#   tests/deps.sh test    that, plus the test tools: `make test`, `make bench`
#                         (QEMU boots a Debian kernel too)
#   tests/deps.sh arm64   the arm64 cross build: the cross compiler, QEMU for
#                         arm64, and the -dev libraries through multiarch
#   tests/deps.sh --list SET   prints the set, installs nothing
#
# ctop-bpf runs on production hosts: the build set never holds anything a
# host's own services depend on. docker.io comes with the test set only,
# and never where a docker, dockerd or containerd binary already exists:
# on a Kubernetes node or a host with Docker's own packages, apt would
# replace or conflict with the runtime the host runs on. The tests then
# use the one that is there.
#
# To add packages to a set, add them to its array below. DEPS_RUNTIME_DIRS
# (for the tests) replaces the folders searched besides PATH.
set -euo pipefail

build_pkgs=(
	make gcc libc6-dev pkg-config clang llvm bpftool
	libbpf-dev libelf-dev zlib1g-dev libjansson-dev libncurses-dev libzstd-dev libmicrohttpd-dev
	libgnutls28-dev libyaml-dev libcrypt-dev
)
test_pkgs=(
	libcriterion-dev libclang-rt-dev busybox-static tmux jq groff man-db procps util-linux
	qemu-system-x86 cpio e2fsprogs xz-utils file debian-archive-keyring prometheus curl
	podman lxc systemd-container openssl apache2-utils faketime
)
# For `make ARCH=arm64` and the arm64 guests of `make test-kernels`.
arm64_pkgs=(
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
	libbpf-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64 libjansson-dev:arm64
	libncurses-dev:arm64 libzstd-dev:arm64 libmicrohttpd-dev:arm64
	libgnutls28-dev:arm64 libyaml-dev:arm64 libcrypt-dev:arm64
	# What the target's libcriterion3 (extracted under .cache, see
	# tests/tests.mk) links against; these are Multi-Arch: same.
	libffi8:arm64 libgit2-1.5:arm64
	# Debian's arm64 bpftool, which the guest runs to show a load failure.
	libcap2:arm64
)
# Installed with the test set only if no runtime binary is found. ctr
# comes with containerd, which docker.io depends on; containerd is named
# too so that the tests' own containerd instance (tests/e2e/runtimes.sh)
# never depends on what docker.io happens to pull in.
docker_pkgs=(docker.io containerd)
runtime_bins=(dockerd containerd)

usage() {
	echo "usage: tests/deps.sh [--list] build|test|arm64" >&2
	exit 2
}

# The first runtime binary on PATH or in the usual folders (root's PATH may
# lack sbin under sudo), or nothing.
#
# A docker client alone is no runtime (some images ship one with no engine),
# and the tests need an engine; but one that a package installed (Docker's
# docker-ce-cli) would conflict with docker.io, so it counts too.
runtime_present() {
	local b d p
	for b in "${runtime_bins[@]}" docker; do
		for p in $(command -v "$b" 2>/dev/null) \
			$(for d in ${DEPS_RUNTIME_DIRS-/usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin}; do
				[ -x "$d/$b" ] && echo "$d/$b"
			done); do
			if [ "$b" != docker ] || dpkg -S "$(readlink -f "$p")" >/dev/null 2>&1; then
				echo "$p"
				return 0
			fi
		done
	done
	return 1
}

list=false
[ "${1:-}" = --list ] && { list=true; shift; }
set_name=${1:-}
case $set_name in
build) pkgs=("${build_pkgs[@]}") ;;
test)
	pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}")
	if have=$(runtime_present); then
		$list || echo "deps: $have is there: not installing ${docker_pkgs[*]}, the tests use it" >&2
	else
		pkgs+=("${docker_pkgs[@]}")
	fi
	;;
arm64) pkgs=("${arm64_pkgs[@]}") ;;
*) usage ;;
esac
if $list; then
	printf '%s\n' "${pkgs[@]}"
	exit 0
fi

# The build set is a convenience: without apt or root, say what is missing
# and let the compiler have its say. The test set must be complete.
soft() {
	echo "deps: $*" >&2
	[ "$set_name" = build ] && exit 0
	exit 1
}

if ! command -v dpkg-query >/dev/null; then
	soft "no dpkg here; install by hand: ${pkgs[*]}"
fi
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	soft "missing packages: ${missing[*]}; run 'make deps' (or 'make test') as root to install them"
fi
if ! command -v apt-get >/dev/null; then
	soft "no apt-get here; install by hand: ${missing[*]}"
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The target's libraries come from the same archive, as a second dpkg arch.
if [ "$set_name" = arm64 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
