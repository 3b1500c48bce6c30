#!/bin/sh
# tests/test_check.sh — `natkeep check` and `natkeep profiles` (TAP).
#
#   test_check.sh NATKEEP SRCDIR
#
# What the commands print and their exit status; the merge rules
# themselves are tested in C (tests/test_profiles.c).
set -u

natkeep=$1
srcdir=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/natkeep-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
unset NATKEEP_PROFILE_DIR
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

# run NAME EXPECTED_STATUS ARGS...: stdout in $tmp/out, stderr in $tmp/err
run () {
  want=$1
  shift
  "$natkeep" "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  [ "$got" -eq "$want" ] || echo "#   exit $got, expected $want: $(head -c 300 "$tmp/err")"
  [ "$got" -eq "$want" ]
}

# same_line FILE TEXT: FILE is exactly one line equal to TEXT
same_line () {
  [ "$(wc -l <"$1")" -eq 1 ] && [ "$(cat "$1")" = "$2" ] && return 0
  echo "#   got: $(cat "$1")"
  echo "#   expected: $2"
  return 1
}

echo "1..14"

cat >"$tmp/s.ini" <<'EOF'
[scenario]
duration = 2h
flows = 10

[client]
profile = os.linux
keepalive = on

[nat]
profile = nat.aws-nat-gateway

[sweep]
client.keepidle = 60s .. 600s step 60s
repeat = 3
EOF

run 0 check "$tmp/s.ini"
ok $? "check: a valid sweep exits 0"
{ [ "$(sed -n 1p "$tmp/out")" = "$tmp/s.ini: ok" ] \
  && [ "$(sed -n 2p "$tmp/out")" = "10 points x 3 repetitions" ] \
  && [ "$(sed -n 3p "$tmp/out")" = "point 0: client.keepidle=1m" ]; }
ok $? "check: prints ok, the sweep size and the first points"

run 2 check "$tmp/s.ini" --set nat.profile=nat.aws-natgateway
ok $? "check: unknown --set profile exits 2"
same_line "$tmp/err" "--set nat.profile: [nat] profile: unknown profile \"nat.aws-natgateway\" (expected a built-in id, see natkeep profiles; did you mean \"nat.aws-nat-gateway\"?)"
ok $? "check: unknown profile message"

run 2 check "$tmp/s.ini" --set nat.profile=os.linux
same_line "$tmp/err" "--set nat.profile: [nat] profile: os.linux applies to client, server (expected a nat profile)"
ok $? "check: profile for another group, exit 2 and message"

# A value bad at one sweep point only is still found.
sed 's/^client.keepidle = .*/client.keepidle = 60s, 40000s/' "$tmp/s.ini" >"$tmp/p.ini"
run 2 check "$tmp/p.ini"
same_line "$tmp/err" "$tmp/p.ini:13: [client] keepidle: 40000s is out of range (expected a duration from 1s to 9h6m7s)"
ok $? "check: a bad value at the second point names the [sweep] line"

run 2 check "$tmp/s.ini" --set client.keepidle=5s
ok $? "check: --set of a swept key exits 2, as in sweep"

run 0 check "$tmp/s.ini" --set nat.profile=lb.azure-lb --set sweep.repeat=1
[ "$(sed -n 2p "$tmp/out")" = "10 points x 1 repetition" ]
ok $? "check: --set profile and --set sweep.repeat are applied"

run 2 check --list-keys "$tmp/s.ini"
ok $? "check: --list-keys takes no scenario"

run 0 profiles
ids=$(grep -v '^ ' "$tmp/out" | grep -v '^$' | sed 's/ .*//')
# (an installed DATADIR may add ids of its own, so no exact count)
missing=0
for f in "$srcdir"/scenarios/profiles/*.ini; do
  id=$(basename "$f" .ini)
  [ "$(echo "$ids" | grep -cx "$id")" -eq 1 ] || { echo "#   $id listed not once"; missing=1; }
done
[ "$missing" -eq 0 ] && [ "$ids" = "$(echo "$ids" | LC_ALL=C sort -u)" ]
ok $? "profiles: every shipped profile once, sorted by id"

grep -q '^nat.aws-nat-gateway  \[nat\]$' "$tmp/out" \
  && grep -q '^app.openssh-client  \[client\]  secondary$' "$tmp/out" \
  && grep -q '^    source: redis.conf$' "$tmp/out"
ok $? "profiles: applies_to, secondary status and source"

run 0 profiles --long
grep -q '^    established_timeout = 350s    # fixed, not configurable$' "$tmp/out"
ok $? "profiles --long: values with their comments"

# A site directory comes first and may shadow a shipped id.
mkdir "$tmp/site"
cat >"$tmp/site/os.linux.ini" <<'EOF'
[profile]
id = os.linux
applies_to = client
status = secondary
source = site
summary = site Linux: keepidle 60 s

[values]
keepidle = 60s
EOF
NATKEEP_PROFILE_DIR=$tmp/site "$natkeep" profiles >"$tmp/out" 2>&1
grep -q '^os.linux  \[client\]  secondary$' "$tmp/out"
ok $? "profiles: NATKEEP_PROFILE_DIR shadows a shipped profile"

printf '[server]\nprofile = os.linux\n' >"$tmp/site.ini"
NATKEEP_PROFILE_DIR=$tmp/site "$natkeep" check "$tmp/site.ini" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && same_line "$tmp/err" "$tmp/site.ini:2: [server] profile: os.linux applies to client (expected a server profile)"
ok $? "check: the site profile is the one used"

[ "$fails" -eq 0 ]
