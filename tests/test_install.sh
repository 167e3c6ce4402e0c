#!/bin/sh
# Install into a temporary destdir, then build examples/c/erp_score.c with
# pkg-config against the installed headers and library only, and run it.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR CC
set -eu
build=$1
src=$2
cc=${3:-cc}
dest=$(mktemp -d "${TMPDIR:-/tmp}/scsms_install_XXXXXX")
trap 'rm -rf "$dest"' EXIT INT TERM

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$dest/install.log" 2>&1 || {
    cat "$dest/install.log"; echo "meson install failed"; exit 1; }

pc=$(find "$dest" -name scsms.pc | head -n 1)
[ -n "$pc" ] || { echo "scsms.pc was not installed"; exit 1; }
pcdir=$(dirname "$pc")
# The .pc names the real prefix; point it into the destdir.
prefix=$(sed -n 's/^prefix=//p' "$pc")
export PKG_CONFIG_PATH="$pcdir"
cflags=$(pkg-config --define-variable=prefix="$dest$prefix" --cflags scsms)
libs=$(pkg-config --define-variable=prefix="$dest$prefix" --libs scsms)
case "$cflags" in *"$dest"*) ;; *) echo "pkg-config --cflags does not point into the install: $cflags"; exit 1;; esac

for h in scsms.h kernel.h model.h errors.h common.h version.h; do
    [ -f "$dest$prefix/include/scsms/$h" ] || { echo "header scsms/$h not installed"; exit 1; }
done

# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror $cflags "$src/examples/c/erp_score.c" $libs -o "$dest/erp_score"
libdir=$(dirname "$(find "$dest" -name 'libscsms.so*' | head -n 1)")
model="$src/examples/data/exporter.json"
if [ ! -f "$model" ]; then
    model="$dest/model.json"
    cat >"$model" <<'JSON'
{"format":"scsms/1","organization":{"name":"Install check"},"settings":{"as_of":"2025-01-01"},
 "nodes":[{"id":"N-DC-VNL","type":"distribution_center","annual_shipments":1500},
          {"id":"N-BX-BSL","type":"border_crossing","annual_shipments":300},
          {"id":"N-CUST-ZRH","type":"warehouse","annual_shipments":300}],
 "legs":[{"id":"L-DC-BX","from":"N-DC-VNL","to":"N-BX-BSL","mode":"road","annual_shipments":300},
         {"id":"L-BX-ZRH","from":"N-BX-BSL","to":"N-CUST-ZRH","mode":"road","annual_shipments":300}],
 "scenarios":[{"id":"S01","name":"Theft","category":"cargo_theft","targets":[{"mode":"road"}],
               "frequency":{"rate":1.5},"consequence":{"economic":3},
               "magnitude":{"fixed":200000,"cargo_fraction":0.6}}]}
JSON
fi
LD_LIBRARY_PATH="$libdir" "$dest/erp_score" "$model" >"$dest/out.txt"
cat "$dest/out.txt"
grep -q "[1-9] of 5 orders rated" "$dest/out.txt" || { echo "erp_score rated no order"; exit 1; }
# the binary really uses the installed library
LD_LIBRARY_PATH="$libdir" ldd "$dest/erp_score" | grep -q "$libdir/libscsms.so" || {
    echo "erp_score is not linked against the installed libscsms"; exit 1; }
echo "install check: ok"
