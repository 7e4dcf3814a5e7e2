#!/usr/bin/env bash
# Slow-client attacks against the tiny server with Debian's slowhttptest, in its three modes:
#   -H slow headers (slowloris), -B slow body (R-U-Dead-Yet), -X slow read.
# For each mode it checks, from slowhttptest's own statistics (CSV) and from /proc:
#   - every slow connection is cut: none is still open at the end of the attack,
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

failed=0
printf "tiny server pid %s, %s connections per mode, %s s each; RSS at start %s MB\n\n" \
  "$server_pid" "$CONNECTIONS" "$DURATION" "$(rss_mb)"
printf "| mode | max open | open at end | closed | service unavailable (s) | max RSS MB | verdict |\n"
printf "|---|--:|--:|--:|--:|--:|---|\n"

run_mode() {
  local name="$1"
  shift
  local max_rss=0
  # Sample the server's RSS every half second while the attack runs.
  (
    while kill -0 "$server_pid" 2>/dev/null; do
      rss_mb >>"$work/rss-$name"
      echo >>"$work/rss-$name"
      sleep 0.5
    done
  ) &
  local sampler=$!
  # -p 3: the probe connection must be answered within 3 s, or the service counts as down.
  timeout $((DURATION + 30)) slowhttptest "$@" -c "$CONNECTIONS" -r 100 -l "$DURATION" -p 3 \
    -u "http://127.0.0.1:$PORT/" -g -o "$work/$name" >"$work/$name.log" 2>&1 || true
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  max_rss="$(sort -n "$work/rss-$name" | tail -1)"
  local csv="$work/$name.csv"
  if [ ! -s "$csv" ]; then
    echo "| $name | - | - | - | - | $max_rss | ✘ no statistics (see below) |"
    cat "$work/$name.log"
    failed=1
    return
  fi
  # CSV: Seconds,Closed,Pending,Connected,Service Available
  read -r max_open open_end closed down < <(awk -F, 'NR > 1 {
      open = $3 + $4; if (open > max) max = open; last = open; closed = $2
      if ($5 == 0) down++
    } END { printf "%d %d %d %d\n", max, last, closed, down }' "$csv")
  local verdict="✔"
  if [ "$open_end" -ne 0 ] || [ "$down" -ne 0 ] || [ "$max_rss" -gt "$RSS_LIMIT_MB" ]; then
    verdict="✘"
    failed=1
  fi
  echo "| $name | $max_open | $open_end | $closed | $down | $max_rss | $verdict |"
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
