#!/usr/bin/env bash
# Slow-client attacks against the tiny server with Debian's slowhttptest, in its three modes:
#   -H slow headers (slowloris), -B slow body (R-U-Dead-Yet), -X slow read.
# For each mode it checks, from the server's side (ss, /proc) and slowhttptest's statistics (CSV):
#   - every slow connection is cut: the server holds none of them when the attack ends (counted
#     with ss on the server's port; slowhttptest's own "connected" count is not used for this,
#     as in -X mode it keeps counting connections the server has long reset),
#   - the service stays available throughout (slowhttptest's probe never fails),
#   - the server's RSS stays under a bound.
# Bounded in time (DURATION seconds per mode, ~2 minutes in all by default). Not run in CI.
#
#   bash apps/tiny-server/scripts/slowhttptest.sh            # from the repository root
#   CONNECTIONS=500 DURATION=40 bash apps/tiny-server/scripts/slowhttptest.sh
#
# Needs slowhttptest (apt-get install slowhttptest) and a built tiny server
# (pnpm --filter tiny-server build). Exits 1 if any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS="${CONNECTIONS:-300}"
DURATION="${DURATION:-30}"
PORT="${PORT:-18080}"
RSS_LIMIT_MB="${RSS_LIMIT_MB:-200}"

command -v slowhttptest >/dev/null || { echo "slowhttptest is not installed (apt-get install slowhttptest)" >&2; exit 2; }
[ -f dist/main.js ] || { echo "build the tiny server first: pnpm --filter tiny-server build" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "statistics kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

node dist/main.js --port "$PORT" --host 127.0.0.1 --quiet >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 0.1
done

rss_mb() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server_pid/status"; }
# Connections the server holds on its port right now.
held() { ss -Htn state established "( sport = :$PORT )" | wc -l; }

failed=0
printf "tiny server pid %s, %s connections per mode, %s s each; RSS at start %s MB\n\n" \
  "$server_pid" "$CONNECTIONS" "$DURATION" "$(rss_mb)"
printf "| mode | most held by the server | all cut by (s) | attack ran (s) | service unavailable (s) | max RSS MB | verdict |\n"
printf "|---|--:|--:|--:|--:|--:|---|\n"

run_mode() {
  local name="$1"
  shift
  local max_rss=0
  # Sample the server's RSS and held connections every half second while the attack runs.
  local started=$SECONDS
  (
    while kill -0 "$server_pid" 2>/dev/null; do
      echo "$((SECONDS - started)) $(rss_mb) $(held)" >>"$work/samples-$name"
      sleep 0.5
    done
  ) &
  local sampler=$!
  # -p 3: the probe connection must be answered within 3 s, or the service counts as down.
  timeout $((DURATION + 30)) slowhttptest "$@" -c "$CONNECTIONS" -r 100 -l "$DURATION" -p 3 \
    -u "http://127.0.0.1:$PORT/" -g -o "$work/$name" >"$work/$name.log" 2>&1 || true
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  max_rss="$(awk '$2 > m { m = $2 } END { print m + 0 }' "$work/samples-$name")"
  local max_held cut_at
  max_held="$(awk '$3 > m { m = $3 } END { print m + 0 }' "$work/samples-$name")"
  # When the server, after holding the most, was down to its probe and at most one more.
  cut_at="$(awk -v peak="$max_held" '!p && $3 == peak { p = 1 } p && $3 <= 2 { print $1; exit }' "$work/samples-$name")"
  local csv="$work/$name.csv"
  if [ ! -s "$csv" ]; then
    echo "| $name | $max_held | - | - | - | $max_rss | ✘ no statistics (see below) |"
    cat "$work/$name.log"
    failed=1
    return
  fi
  # CSV, one row a second: Seconds,Closed,Pending,Connected,Service Available (0 = down).
  local down seconds
  read -r down seconds < <(awk -F, 'NR > 1 { if ($5 == 0) d++; s = $1 } END { printf "%d %d\n", d, s }' "$csv")
  # Cut: the server let go of them while the attack ran, or slowhttptest saw every one closed.
  if [ -z "$cut_at" ] && grep -q "No open connections left" "$work/$name.log"; then cut_at="$seconds"; fi
  local verdict="✔"
  if [ -z "$cut_at" ] || [ "$down" -ne 0 ] || [ "$max_rss" -gt "$RSS_LIMIT_MB" ]; then
    cut_at="${cut_at:-never}"
    verdict="✘"
    failed=1
  fi
  echo "| $name | $max_held | $cut_at | $seconds | $down | $max_rss | $verdict |"
}

# Slowloris: a new header line every 2 s, never finishing the head.
run_mode "slow-headers(-H)" -H -i 2 -x 24
# R-U-Dead-Yet: a POST declaring 8 KiB, sending a few bytes every 2 s.
run_mode "slow-body(-B)" -B -i 2 -x 10 -s 8192
# Slow read: a 1 KiB receive window, reading 32 bytes every 2 s, asking 10 times per connection.
run_mode "slow-read(-X)" -X -w 512 -y 1024 -n 2 -z 32 -k 10

printf "\nRSS after the attacks: %s MB. slowhttptest %s, Node %s.\n" \
  "$(rss_mb)" "$(slowhttptest -h 2>&1 | sed -n 's/.*version \([0-9.]*\).*/\1/p' | head -1)" "$(node --version)"
if [ "$failed" -ne 0 ]; then
  echo "some check failed" >&2
  exit 1
fi
