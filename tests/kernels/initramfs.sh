#!/usr/bin/env bash
# Builds the initramfs (cpio newc, gzip) for one kernel of the matrix:
# busybox-static, the guest /init, the project's binaries from BUILD (the
# output folder) and CTOP (the ctop-bpf binary) in /opt with the shared
# libraries they need, bpftool to show why a load fails, and the kernel's
# virtio modules for the test disk.
#   tests/kernels/initramfs.sh KERNEL BUILD CTOP OUTFILE
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage="usage: initramfs.sh KERNEL BUILD CTOP OUTFILE"
name=${1:?$usage} build=${2:?$usage} ctop=${3:?$usage} out=${4:?$usage}
kernel_lookup "$name"
kdir=$KCACHE/$name
release=$(cat "$kdir/release")
case $K_ARCH in
amd64) triplet=x86_64-linux-gnu ;;
arm64) triplet=aarch64-linux-gnu ;;
esac
# Debian's own bpftool for the guest's arch: its libbpf prints the
# verifier's log when a program is refused.
bpftool=$("$(dirname "$0")/fetch.sh" debs "$K_ARCH" "bpftool-$K_ARCH" bpftool)/root/usr/sbin/bpftool
busybox=$("$(dirname "$0")/fetch.sh" debs "$K_ARCH" "busybox-$K_ARCH" busybox-static)/root/bin/busybox
bins=("$ctop" "$build/tests/test_bpf_collect" "$build/tests/workload" "$bpftool")
for b in "${bins[@]}" "$build/ctop.bpf.o"; do
	[ -e "$b" ] || { echo "initramfs: $b is missing (build it first)" >&2; exit 1; }
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,opt/tests,lib/modules,mnt/disk}
cp "$busybox" "$root/bin/busybox"
cp "$KROOT/tests/kernels/init.sh" "$root/init"
chmod 0755 "$root/init"
cp "$ctop" "$bpftool" "$build/ctop.bpf.o" "$root/opt/"
cp "$build/tests/test_bpf_collect" "$build/tests/workload" "$root/opt/tests/"
# make bench runs it in a guest too (run.sh --bench).
cp "$KROOT/tests/bench/probes.sh" "$root/opt/"
# ctop-bpf looks for its themes here; the batch mode does not need them,
# but a missing default theme must not be what a guest run tests.
mkdir -p "$root/usr/local/share/ctop-bpf"
cp -r "$KROOT/themes" "$root/usr/local/share/ctop-bpf/"

# The libraries each binary needs, with the loader: ldd for binaries of
# this machine's arch; for another arch, the NEEDED entries resolved by hand
# in that arch's multiarch and cross-toolchain folders, since its ldd would
# have to run the binary.
# The target's Criterion is extracted under .cache (tests/tests.mk).
libdirs=(/lib/$triplet /usr/lib/$triplet /usr/$triplet/lib "$KCACHE/criterion-$K_ARCH/root/usr/lib/$triplet")
find_lib() {
	local d
	for d in "${libdirs[@]}"; do
		[ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	echo "initramfs: $1 not found in ${libdirs[*]}" >&2
	return 1
}
foreign_libs() {
	local todo=("$@") seen=" " f lib interp
	interp=$(readelf -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[ -n "$interp" ] && echo "$interp $(find_lib "$(basename "$interp")")"
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		for lib in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $seen in *" $lib "*) continue ;; esac
			seen="$seen$lib "
			lib=$(find_lib "$lib")
			echo "/lib/$triplet/$(basename "$lib") $lib"
			todo+=("$lib")
		done
	done
}
native_libs() {
	ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3, $3 }
		$1 ~ /^\// && $1 !~ /:$/ { print $1, $1 }'
}
dynamic=()
for b in "${bins[@]}"; do
	readelf -l "$b" | grep -q 'program interpreter' && dynamic+=("$b")
done
if [ "$(uname -m)" = "$(readelf -h "${bins[0]}" | awk '/Machine:/ { print ($2 == "AArch64" ? "aarch64" : "x86_64") }')" ]; then
	libs=$(native_libs "${dynamic[@]}")
else
	libs=$(for b in "${dynamic[@]}"; do foreign_libs "$b"; done)
fi
sort -u <<<"$libs" | while read -r dest src; do
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$src" "$root$dest"
done

# Debian's cloud kernels build virtio as modules up to 6.1 and in more and
# more of it later; 5.10 has no virtio_pci_*_dev at all. Take each that is a
# module, decompressed since busybox insmod reads plain ELF only.
mods=()
mdir=$kdir/root/lib/modules/$release
for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
	f=$(find "$mdir" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" -o -name "$m.ko.gz" | head -1)
	case $f in
	"") grep -q "/$m.ko$" "$mdir/modules.builtin" 2>/dev/null || echo "initramfs: $release has no $m (neither a module nor built in)" >&2
	    continue ;;
	*.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$root/lib/modules/$m.ko" ;;
	*.gz) gzip -dc "$f" >"$root/lib/modules/$m.ko" ;;
	*) cp "$f" "$root/lib/modules/$m.ko" ;;
	esac
	mods+=("$m")
done
cat >"$root/etc/guest.env" <<ENV
GUEST_MODULES="${mods[*]}"
GUEST_BPF_TIMEOUT=${CTOP_GUEST_BPF_TIMEOUT:-600}
ENV

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
