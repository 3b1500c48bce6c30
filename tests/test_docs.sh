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
#    docs/natkeep.1, and every entry there is a subcommand; every long
#    option a subcommand's --help lists is in docs/natkeep.1.
# 3. Every column in the header of a points.tsv and a flows.tsv that natkeep
#    run writes (a plain scenario, and one with [app] pattern = http and a
#    [scenario] path, which add columns) is a row `NAME` in the table under
#    docs/results.md's heading for that file, and those rows are exactly the
#    columns natkeep writes, in its order.  A sweep's headers are run's with
#    the swept keys after rep (points.tsv) and unchanged (flows.tsv), as
#    docs/results.md says.
# 4. README.md names docs/results.md, and every docs/ file README.md and
#    results/README.md name exists.
set -u

natkeep=$1
srcdir=$2
doc=$srcdir/docs/scenario.md
man=$srcdir/docs/natkeep.1
results=$srcdir/docs/results.md
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

echo "1..16"

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

# Every long option of every subcommand (bench: of each benchmark) is in
# the man page, which writes "-" as "\-".
sed 's/\\-/-/g' "$man" >"$tmp/man.txt"
: >"$tmp/opt-missing"
for cmd in $(cat "$tmp/cmds"); do
  subs=$cmd
  [ "$cmd" = bench ] && subs=$(sed -n 's/^  natkeep bench \([a-z]*\).*/bench \1/p' "$tmp/help" | tr ' ' '+')
  for sub in $subs; do
    # shellcheck disable=SC2086
    "$natkeep" $(echo "$sub" | tr '+' ' ') --help 2>&1 \
      | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | grep -vx -- '--help' \
      | while read -r opt; do
          grep -q -- "$opt\([^a-z-]\|\$\)" "$tmp/man.txt" || echo "$(echo "$sub" | tr "+" " ") $opt" >>"$tmp/opt-missing"
        done
  done
done
[ ! -s "$tmp/opt-missing" ]
ok $? "every option in a subcommand's --help is in docs/natkeep.1"
sed 's/^/#   not in natkeep.1: /' "$tmp/opt-missing"

# docs/results.md against the files natkeep writes.
cat >"$tmp/plain.ini" <<'EOF'
[scenario]
duration = 10m
flows = 2
EOF
# Every optional column at once: the http ones and broken_by.
cat >"$tmp/extra.ini" <<'EOF'
[scenario]
duration = 10m
flows = 2
path = a, b
[app]
pattern = http
[nat.a]
[nat.b]
EOF
cat "$tmp/plain.ini" - >"$tmp/sweep.ini" <<'EOF'
[sweep]
client.keepidle = 30s, 60s
nat.established_timeout = 60s
EOF

# The header row of a results file (its first line that is not a "#" line),
# one column name per line.
header () {
  grep -v '^#' "$1" | head -n 1 | tr '\t' '\n'
}

# The names of the table rows `NAME` under the "## " heading $1, in order.
doc_rows () {
  [ -f "$results" ] || return 0
  awk -v sec="$1" '
    /^## / { in_sec = ($0 == sec); next }
    in_sec && /^\| `[^`]+` \|/ {
      name = $0
      sub (/^\| `/, "", name)
      sub (/`.*/, "", name)
      print name
    }
  ' "$results"
}

st=0
for s in plain extra; do
  "$natkeep" run "$tmp/$s.ini" -o "$tmp/$s" >"$tmp/$s.out" 2>"$tmp/$s.err" || st=1
  [ -s "$tmp/$s/points.tsv" ] && [ -s "$tmp/$s/flows.tsv" ] || st=1
done
"$natkeep" sweep "$tmp/sweep.ini" -o "$tmp/sweep" --flows --quiet -j 1 \
  >"$tmp/sweep.out" 2>"$tmp/sweep.err" || st=1
[ -s "$tmp/sweep/points.tsv" ] && [ -s "$tmp/sweep/flows.tsv" ] || st=1
ok $st "natkeep run and sweep write points.tsv and flows.tsv"
[ $st -eq 0 ] || sed 's/^/#   /' "$tmp/plain.err" "$tmp/extra.err" "$tmp/sweep.err"

for f in points flows; do
  { header "$tmp/plain/$f.tsv"; header "$tmp/extra/$f.tsv"; } \
    | LC_ALL=C sort -u >"$tmp/$f.cols"
  doc_rows "## \`$f.tsv\`" >"$tmp/$f.doc"
  LC_ALL=C sort -u "$tmp/$f.doc" >"$tmp/$f.doc.sorted"

  LC_ALL=C comm -23 "$tmp/$f.cols" "$tmp/$f.doc.sorted" >"$tmp/$f.undocumented"
  [ -s "$tmp/$f.cols" ] && [ ! -s "$tmp/$f.undocumented" ]
  ok $? "every column of $f.tsv is a row in docs/results.md"
  sed 's/^/#   written, not documented: /' "$tmp/$f.undocumented"

  # With every optional column present, the rows are the header, in order.
  header "$tmp/extra/$f.tsv" >"$tmp/$f.extra"
  cmp -s "$tmp/$f.extra" "$tmp/$f.doc"
  ok $? "docs/results.md lists exactly the columns of $f.tsv, in natkeep's order"
  diff "$tmp/$f.extra" "$tmp/$f.doc" \
    | sed -n 's/^< /#   written: /p; s/^> /#   documented: /p'
done

{ printf 'point\nrep\nclient.keepidle\nnat.established_timeout\n'
  header "$tmp/plain/points.tsv" | sed '1,2d'; } >"$tmp/points.swept"
header "$tmp/sweep/points.tsv" >"$tmp/points.sweep"
cmp -s "$tmp/points.swept" "$tmp/points.sweep"
ok $? "a sweep's points.tsv header is run's with the swept keys after rep"

header "$tmp/plain/flows.tsv" >"$tmp/flows.plain"
header "$tmp/sweep/flows.tsv" >"$tmp/flows.sweep"
cmp -s "$tmp/flows.plain" "$tmp/flows.sweep"
ok $? "a sweep's flows.tsv header is run's"

grep -q 'docs/results\.md' "$srcdir/README.md" && [ -f "$results" ]
ok $? "README.md names docs/results.md, and it exists"

grep -ho 'docs/[A-Za-z0-9_.-]*[A-Za-z0-9_-]' "$srcdir/README.md" \
  "$srcdir/results/README.md" | LC_ALL=C sort -u >"$tmp/readme-docs"
: >"$tmp/readme-missing"
while read -r p; do
  [ -e "$srcdir/$p" ] || echo "$p" >>"$tmp/readme-missing"
done <"$tmp/readme-docs"
[ -s "$tmp/readme-docs" ] && [ ! -s "$tmp/readme-missing" ]
ok $? "every docs/ file README.md and results/README.md name exists"
sed 's/^/#   named, missing: /' "$tmp/readme-missing"

[ "$fails" -eq 0 ]
