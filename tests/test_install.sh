#!/usr/bin/env bash
# tests/test_install.sh — the installed library is usable from outside the
# tree with nothing but pkg-config: `meson install --destdir` into a
# temporary directory, then compile tests/install/consumer.c with
# `pkg-config --cflags --libs natkeep` (the .pc's prefix relocated to the
# temporary copy), run it and check the outcome counted by hand in its
# comment.  Also: the public headers compile as C++, and the library,
# headers, natkeep.pc, the man page and the profiles land where a
# distribution expects them.  TAP output.
#
# Usage: test_install.sh BUILD_DIR SOURCE_DIR [B_SANITIZE]
# In a sanitizer build (B_SANITIZE = meson's b_sanitize, e.g.
# "address,undefined") libnatkeep needs the sanitizer runtime, so the
# consumers are compiled with the same -fsanitize= (a user linking a
# sanitized library would do the same).
set -u
build=$1
src=$2
san=${3:-none}
san_flags=()
[ "$san" != none ] && [ -n "$san" ] && san_flags=(-fsanitize="$san")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok () {   # ok DESCRIPTION COMMAND...
  n=$((n + 1))
  local d=$1; shift
  if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=$((fail + 1)); fi
}
skip () { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

dest=$tmp/dest
# --no-rebuild: meson test has built everything already, and a rebuild
# from inside a test would race with the other tests.
if ! meson install -C "$build" --destdir "$dest" --no-rebuild >"$tmp/install.log" 2>&1; then
  echo "1..1"
  echo "not ok 1 - meson install --destdir"
  sed 's/^/# /' "$tmp/install.log"
  exit 1
fi
ok "meson install --destdir" true

pc=$(find "$dest" -name natkeep.pc | head -1)
ok "natkeep.pc installed under <libdir>/pkgconfig" test -n "$pc"
[ -n "$pc" ] || { echo "1..$n"; exit 1; }
# The .pc says prefix=/usr/local (or whatever -Dprefix was) and is staged
# under $dest.  Relocate a copy by rewriting its prefix line, the usual
# step for a staged install (--define-variable=prefix would also move
# GLib's prefix, since pkg-config applies it to every package).  An
# installed natkeep needs none of this.
prefix=$(sed -n 's/^prefix=//p' "$pc")
mkdir -p "$tmp/pc"
sed "s|^prefix=.*|prefix=$dest$prefix|" "$pc" >"$tmp/pc/natkeep.pc"
export PKG_CONFIG_PATH=$tmp/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
libdir=$(pkg-config --variable=libdir natkeep)
incdir=$(pkg-config --variable=includedir natkeep)
ver=$(pkg-config --modversion natkeep)

ok "pkg-config version is MAJOR.MINOR.MICRO" bash -c "[[ '$ver' =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]"
# soname: MAJOR, or 0.MINOR before 1.0 (meson.build)
if [[ $ver == 0.* ]]; then sover=${ver%.*}; else sover=${ver%%.*}; fi
ok "shared library with soname $sover" test -e "$libdir/libnatkeep.so.$sover"
ok "soname recorded in the library" bash -c "objdump -p '$libdir/libnatkeep.so.$sover' | grep -q 'SONAME *libnatkeep.so.$sover\$'"
ok "libnatkeep.so development link" test -e "$libdir/libnatkeep.so"
ok "umbrella header natkeep/natkeep.h" test -f "$incdir/natkeep/natkeep.h"
ok "generated natkeep/version.h" grep -q "NATKEEP_VERSION_STRING \"$ver\"" "$incdir/natkeep/version.h"
ok "sim/ and models/ headers kept their paths" test -f "$incdir/natkeep/sim/sim.h" -a -f "$incdir/natkeep/models/world.h"
ok "no private header installed" bash -c "! find '$incdir/natkeep' -name '*private*' | grep -q ."
ok "man page in share/man/man1" test -f "$dest$prefix/share/man/man1/natkeep.1"
ok "natkeep command in bin" test -x "$dest$prefix/bin/natkeep"
ok "profiles in share/natkeep/profiles" bash -c "ls '$dest$prefix'/share/natkeep/profiles/*.ini >/dev/null"

cc=${CC:-cc}
flags=$(pkg-config --cflags --libs natkeep)
# Only the installed copy may be used: no -I into the source tree.
ok "pkg-config flags name nothing in the source or build tree" \
  bash -c "! grep -Fq -e '$src' -e '$(cd "$build" && pwd)' <<< '$flags'"
if $cc -std=c11 -Wall -Wextra -Werror "${san_flags[@]}" -o "$tmp/consumer" "$src/tests/install/consumer.c" \
     $flags 2>"$tmp/cc.err"; then
  ok "C program compiles and links with pkg-config --cflags --libs natkeep" true
  LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$tmp/consumer" >"$tmp/out" 2>"$tmp/err"
  ok "C program runs" test $? -eq 0
  sed 's/^/# /' "$tmp/out"
  ok "outcome counts match the hand-computed ones" \
    grep -qx "timeout=7 alive=0 probes=21 peak=7 version=$ver" "$tmp/out"
  ok "it ran against the installed library" \
    bash -c "LD_LIBRARY_PATH='$libdir' ldd '$tmp/consumer' | grep -F 'libnatkeep' | grep -Fq '$libdir'"
else
  ok "C program compiles and links with pkg-config --cflags --libs natkeep" false
  sed 's/^/# /' "$tmp/cc.err"
fi

cxx=${CXX:-c++}
if command -v "$cxx" >/dev/null; then
  # -Wpedantic is left out: models/packet.h uses a C compound literal, which
  # g++ accepts as an extension but -Wpedantic flags.
  if $cxx -std=c++17 -Wall -Wextra -Werror "${san_flags[@]}" -o "$tmp/consumer-cxx" \
       "$src/tests/install/consumer.cc" $flags 2>"$tmp/cxx.err"; then
    ok "public headers compile as C++" true
    ok "C++ program runs" bash -c "LD_LIBRARY_PATH='$libdir' '$tmp/consumer-cxx' | grep -qx 'alive wheel'"
  else
    ok "public headers compile as C++" false
    sed 's/^/# /' "$tmp/cxx.err"
  fi
else
  skip "public headers compile as C++" "no C++ compiler"
fi

echo "1..$n"
exit $((fail > 0))
