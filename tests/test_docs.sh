#!/bin/sh
# tests/test_docs.sh — the documentation and the code agree (TAP).
#
#   test_docs.sh NATKEEP SRCDIR
#
# 1. Every "group key" the loader accepts (natkeep check --list-keys) is a
#    row `key` in a table under a docs/scenario.md heading naming [group],
#    and every such row names an accepted key.  [sweep] is skipped: its
#    lines are swept keys, not keys of their own.
# 2. Every subcommand in natkeep --help has a .TP/.B entry under COMMANDS in
#    docs/natkeep.1, and every entry there is a subcommand.
set -u

natkeep=$1
srcdir=$2
doc=$srcdir/docs/scenario.md
man=$srcdir/docs/natkeep.1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/natkeep-docs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok () {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $n - $2"
  else
    echo "not ok $n - $2"
    fails=$((fails + 1))
  fi
}

echo "1..6"

"$natkeep" check --list-keys >"$tmp/code" 2>"$tmp/err"
ok $? "natkeep check --list-keys exits 0"

# "group key" for each table row, under the groups of the last "## " heading.
awk '
  /^## / {
    ngroups = 0
    line = $0
    while (match (line, /\[[A-Za-z0-9._-]+\]/)) {
      g = substr (line, RSTART + 1, RLENGTH - 2)
      if (g != "sweep") groups[++ngroups] = g
      line = substr (line, RSTART + RLENGTH)
    }
    next
  }
  /^\| `[A-Za-z0-9_.-]+` \|/ {
    key = $0
    sub (/^\| `/, "", key)
    sub (/`.*/, "", key)
    for (i = 1; i <= ngroups; i++) print groups[i] " " key
  }
' "$doc" | LC_ALL=C sort -u >"$tmp/doc"
LC_ALL=C sort -u "$tmp/code" >"$tmp/code.sorted"

LC_ALL=C comm -23 "$tmp/code.sorted" "$tmp/doc" >"$tmp/undocumented"
[ ! -s "$tmp/undocumented" ]
ok $? "every accepted key is in docs/scenario.md"
sed 's/^/#   accepted, not documented: /' "$tmp/undocumented"

LC_ALL=C comm -13 "$tmp/code.sorted" "$tmp/doc" >"$tmp/unknown"
[ ! -s "$tmp/unknown" ]
ok $? "every key in docs/scenario.md is accepted"
sed 's/^/#   documented, not accepted: /' "$tmp/unknown"

"$natkeep" --help >"$tmp/help" 2>&1
ok $? "natkeep --help exits 0"

sed -n 's/^  natkeep \([a-z][a-z-]*\).*/\1/p' "$tmp/help" | LC_ALL=C sort -u >"$tmp/cmds"
# Entries of the COMMANDS section: the .B line after each .TP.
awk '
  /^\.SH / { in_cmds = ($2 == "COMMANDS"); next }
  in_cmds && /^\.TP/ { want = 1; next }
  in_cmds && want && /^\.B / { print $2; want = 0; next }
  { want = 0 }
' "$man" | LC_ALL=C sort -u >"$tmp/mancmds"

LC_ALL=C comm -23 "$tmp/cmds" "$tmp/mancmds" >"$tmp/cmd-missing"
[ -s "$tmp/cmds" ] && [ ! -s "$tmp/cmd-missing" ]
ok $? "every subcommand in natkeep --help is in docs/natkeep.1"
sed 's/^/#   not in natkeep.1: /' "$tmp/cmd-missing"

LC_ALL=C comm -13 "$tmp/cmds" "$tmp/mancmds" >"$tmp/cmd-extra"
[ ! -s "$tmp/cmd-extra" ]
ok $? "every command in docs/natkeep.1 is in natkeep --help"
sed 's/^/#   not a subcommand: /' "$tmp/cmd-extra"

[ "$fails" -eq 0 ]
