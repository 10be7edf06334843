#!/usr/bin/env bash
# Fetches one Debian kernel into .cache/kernels and prints the folder it is
# extracted in. The package is resolved from the suite's metapackage at
# fetch time, so a new ABI in the archive is picked up without editing
# anything here. With "debs", fetches bookworm packages of any arch into
# one folder instead (busybox-static for a guest, or arm64 libraries that
# cannot be installed next to the host's own).
#   tests/kernels/fetch.sh 6.1        -> .cache/kernels/6.1 (root/, release)
#   tests/kernels/fetch.sh debs arm64 NAME PKG... -> .cache/kernels/NAME
#   tests/kernels/fetch.sh qemu   -> .cache/kernels/qemu-VERSION (root/)
# "qemu" is bookworm-backports' QEMU for x86_64, extracted, never installed:
# QEMU 7.2's TCG double-faults Debian's 6.12 kernel early (a cmpxchg16b
# fault in kmem_cache_alloc) in some boots even without cx16; 10.x does not.
# Its libraries are those of bookworm's own QEMU (the test set installs
# it), so it runs from the folder with only -L for its firmware.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Downloads PKG (via the suite's private apt) unless the .deb is cached, and
# extracts it into DIR/root once. Prints nothing.
get_deb() {
	local suite=$1 arch=$2 pkg=$3 dir=$4 deb
	local stamp=$dir/deb.$pkg
	mkdir -p "$KCACHE/debs"
	# Firmware and data packages are of arch "all".
	deb=$(find "$KCACHE/debs" -maxdepth 1 \( -name "${pkg}_*_${arch}.deb" -o -name "${pkg}_*_all.deb" \) | sort | tail -1)
	if [ -z "$deb" ]; then
		(cd "$KCACHE/debs" && papt "$suite" "$arch" apt-get download "$pkg" >&2)
		deb=$(find "$KCACHE/debs" -maxdepth 1 \( -name "${pkg}_*_${arch}.deb" -o -name "${pkg}_*_all.deb" \) | sort | tail -1)
		[ -n "$deb" ] || { echo "fetch: apt-get download $pkg left no .deb" >&2; return 1; }
	fi
	if [ "$(cat "$stamp" 2>/dev/null)" != "$(basename "$deb")" ]; then
		mkdir -p "$dir/root"
		dpkg-deb -x "$deb" "$dir/root"
		basename "$deb" >"$stamp"
	fi
}

if [ "${1:-}" = debs ]; then
	[ $# -ge 4 ] || { echo "usage: fetch.sh debs ARCH NAME PKG..." >&2; exit 2; }
	arch=$2 dir=$KCACHE/$3
	shift 3
	for pkg in "$@"; do
		[ -f "$dir/deb.$pkg" ] && continue
		papt_update bookworm "$arch"
		get_deb bookworm "$arch" "$pkg" "$dir"
	done
	echo "$dir"
	exit 0
fi

if [ "${1:-}" = qemu ]; then
	papt_update bookworm-backports amd64
	ver=$(papt bookworm-backports amd64 apt-cache policy qemu-system-x86 |
		sed -n 's/^ *Candidate: \([0-9]*:\)\{0,1\}\([^+~ ]*\).*/\2/p')
	case $ver in
	"" | "(none)") echo "fetch: bookworm-backports has no qemu-system-x86" >&2; exit 1 ;;
	esac
	dir=$KCACHE/qemu-$ver
	for pkg in qemu-system-x86 qemu-system-data seabios; do
		get_deb bookworm-backports amd64 "$pkg" "$dir"
	done
	q=$dir/root/usr/bin/qemu-system-x86_64
	if ldd "$q" | grep -q 'not found'; then
		echo "fetch: $q lacks libraries here: $(ldd "$q" | awk '/not found/ { print $1 }' | tr '\n' ' ')" >&2
		exit 1
	fi
	"$q" --version >/dev/null || exit 1
	echo "$dir"
	exit 0
fi

name=${1:?usage: fetch.sh KERNEL (one of: $KALL)}
kernel_lookup "$name"
dir=$KCACHE/$name
mkdir -p "$dir"

# Offline with a kernel already cached: use it rather than fail.
if ! papt_update "$K_SUITE" "$K_ARCH" 2>"$dir/update.err"; then
	if [ -f "$dir/release" ]; then
		echo "fetch: archive not reachable, using the cached $(cat "$dir/release")" >&2
		echo "$dir"
		exit 0
	fi
	cat "$dir/update.err" >&2
	echo "fetch: cannot reach $MIRROR for $K_SUITE/$K_ARCH" >&2
	exit 1
fi

# linux-image-cloud-amd64 depends on linux-image-<abi>-cloud-amd64 (signed);
# the -unsigned package holds the same kernel and needs no shim.
image=$(papt "$K_SUITE" "$K_ARCH" apt-cache depends "$K_META" |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -1)
[ -n "$image" ] || { echo "fetch: $K_META in $K_SUITE names no kernel image" >&2; exit 1; }
release=${image#linux-image-}
# A new ABI replaces the old tree rather than mixing with it.
if [ "$(cat "$dir/release" 2>/dev/null)" != "$release" ]; then
	rm -rf "$dir/root" "$dir"/deb.*
fi
get_deb "$K_SUITE" "$K_ARCH" "$image-unsigned" "$dir"
[ -f "$dir/root/boot/vmlinuz-$release" ] ||
	{ echo "fetch: $image-unsigned has no /boot/vmlinuz-$release" >&2; exit 1; }
echo "$release" >"$dir/release"
echo "$dir"
