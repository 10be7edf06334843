#!/usr/bin/env bash
# Tests btf.sh: the host's own BTF, hidden in noise between headers that
# only look like BTF, must come out byte for byte, also from a gzip'd
# image; a file without BTF must be refused.
set -euo pipefail
cd "$(dirname "$0")"
passed=0 failed=0
check() {
	if "${@:2}"; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1"
		failed=$((failed + 1))
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
btf=/sys/kernel/btf/vmlinux
[ -r "$btf" ] || { echo "not ok - $btf is not readable: no BTF to test with"; echo "0 passed, 1 failed"; exit 1; }
cp "$btf" "$tmp/real.btf"

# hdr TYPE_OFF TYPE_LEN STR_OFF STR_LEN: a BTF header as raw bytes.
hdr() {
	printf '\x9f\xeb\x01\x00\x18\x00\x00\x00'
	for v in "$@"; do
		printf "\\x$(printf %02x $((v & 255)))\\x$(printf %02x $((v >> 8 & 255)))"
		printf "\\x$(printf %02x $((v >> 16 & 255)))\\x$(printf %02x $((v >> 24 & 255)))"
	done
}
{
	head -c 100000 /dev/urandom
	hdr 0 64 64 64 # fits in the file, but what follows is noise
	head -c 5000 /dev/urandom
	cat "$tmp/real.btf"
	head -c 3000 /dev/urandom
	hdr 0 4000000000 0 16 # longer than the file
	head -c 100 /dev/urandom
} >"$tmp/image"

check "the BTF between decoys comes out exactly" \
	sh -c "./btf.sh '$tmp/image' '$tmp/out.btf' 2>/dev/null && cmp -s '$tmp/real.btf' '$tmp/out.btf'"
gzip -c "$tmp/image" >"$tmp/image.gz"
check "the same from a gzip'd image" \
	sh -c "./btf.sh '$tmp/image.gz' '$tmp/outgz.btf' 2>/dev/null && cmp -s '$tmp/real.btf' '$tmp/outgz.btf'"
head -c 200000 /dev/urandom >"$tmp/noise"
hdr 0 64 64 64 >>"$tmp/noise"
check "a file without BTF is refused" \
	sh -c "! ./btf.sh '$tmp/noise' '$tmp/none.btf' 2>/dev/null && [ ! -e '$tmp/none.btf' ]"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
