#!/usr/bin/env bash
# Cuts the kernel's own BTF out of a kernel image, so that a vmlinux.h for
# another arch can be made without booting it:
#   tests/kernels/btf.sh IMAGE OUT.btf
# An arm64 Image (and vmlinux) carries the .BTF section as it is loaded, so
# the blob /sys/kernel/btf/vmlinux would show is in the file: a header with
# magic 0xeB9F, version 1, flags 0, hdr_len 24, then type_off, type_len,
# str_off, str_len (all little-endian here). Of the places that look like
# such a header, the longest one bpftool can read is taken. A gzip'd image
# is unpacked first. (x86's bzImage compresses the kernel, so this is for
# arm64 Images and for vmlinux files.)
set -euo pipefail
img=${1:?usage: btf.sh IMAGE OUT.btf} out=${2:?usage: btf.sh IMAGE OUT.btf}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$(od -An -tx1 -N2 "$img" | tr -d ' ')" = 1f8b ]; then
	gzip -dc "$img" >"$tmp/image"
	img=$tmp/image
fi
size=$(stat -c %s "$img")

best=0 best_off=
# 9f eb = magic 0xeB9F, 01 = version, 00 = flags, 18 00 00 00 = hdr_len 24.
for off in $(LC_ALL=C grep -obUaP '\x9f\xeb\x01\x00\x18\x00\x00\x00' "$img" | cut -d: -f1); do
	read -r type_off type_len str_off str_len < <(od -An -tu4 --endian=little -j $((off + 8)) -N 16 "$img")
	len=$((type_off + type_len > str_off + str_len ? type_off + type_len : str_off + str_len))
	len=$((24 + len))
	[ "$len" -gt "$best" ] && [ $((off + len)) -le "$size" ] || continue
	dd if="$img" of="$tmp/cand.btf" bs=1M iflag=skip_bytes,count_bytes skip="$off" count="$len" status=none
	# A header that only looks right is refused here.
	bpftool btf dump file "$tmp/cand.btf" >/dev/null 2>&1 || continue
	best=$len best_off=$off
	mv "$tmp/cand.btf" "$tmp/best.btf"
done
if [ -z "$best_off" ]; then
	echo "btf: no BTF in $1 (is it built with CONFIG_DEBUG_INFO_BTF=y?)" >&2
	exit 1
fi
mv "$tmp/best.btf" "$out"
echo "btf: $best bytes of BTF at offset $best_off of $1" >&2
