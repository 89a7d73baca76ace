#!/usr/bin/env bash
# Runs the benchmark on another Node.js release than the one on PATH, typically
# the container image's (docker/Dockerfile pins node:24.18.0):
#
#   npm run bench:node -- 24.18.0                # = npm run bench on Node 24.18.0
#   npm run bench:node -- 24.18.0 --layers       # any bench argument after the version
#
# Why a copy of the project: native modules (better-sqlite3) are compiled for
# one Node ABI, so the other release needs its own node_modules. This script
#   1. fetches Node from the npm registry's official binary package
#      (node-<os>-<arch>@VERSION; no nodejs.org access needed) into the cache
#      directory (BENCH_RUNTIME_DIR, default ~/.cache/nest-chassis-bench),
#   2. copies the project (tracked and untracked files, not ignored ones) to
#      <cache>/project-VERSION and runs `npm ci` there with that Node
#      (again only when package-lock.json changed), headers from the same package,
#   3. runs `npm run bench` there and copies the result file back as
#      bench/results/latest[-layers]-node-VERSION.json.
# The cache is outside the repository so no tool (jest, eslint, tsc) sees the
# copy; delete it to start over.
set -euo pipefail

version="${1:?usage: bench/on-node.sh <node version, e.g. 24.18.0> [bench arguments...]}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
runtime="${BENCH_RUNTIME_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nest-chassis-bench}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64) platform=linux-arm64 ;;
  Darwin-arm64) platform=darwin-arm64 ;;
  Darwin-x86_64) platform=darwin-x64 ;;
  *) echo "bench/on-node.sh: no Node binary package for $(uname -s) $(uname -m)" >&2; exit 2 ;;
esac

node_home="$runtime/node-$version"
if [[ ! -x "$node_home/bin/node" ]]; then
  echo "Fetching node-$platform@$version from the npm registry"
  mkdir -p "$runtime/download"
  tarball="$(cd "$runtime/download" && npm pack --silent "node-$platform@$version")"
  rm -rf "$node_home" && mkdir -p "$node_home"
  tar -xzf "$runtime/download/$tarball" -C "$node_home" --strip-components=1
fi
export PATH="$node_home/bin:$PATH"
export npm_config_nodedir="$node_home" # node-gyp builds against this release's headers
echo "Using $(node --version) from $node_home"

project="$runtime/project-$version"
mkdir -p "$project"
# The working tree as it is now (uncommitted changes included), without ignored files.
(cd "$root" && git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf -) | tar -xf - -C "$project"
lock_sum="$(sha256sum "$project/package-lock.json" | cut -d' ' -f1)"
if [[ ! -d "$project/node_modules" || "$(cat "$project/.lock-sum" 2>/dev/null)" != "$lock_sum" ]]; then
  echo "Installing dependencies with Node $version (npm ci)"
  (cd "$project" && npm ci --no-audit --no-fund)
  echo "$lock_sum" >"$project/.lock-sum"
fi

(cd "$project" && BENCH_COMMAND="npm run bench:node -- $version $*" npm run bench -- "$@")

layers=""
for arg in "$@"; do [[ "$arg" == "--layers" ]] && layers="-layers"; done
mkdir -p "$root/bench/results"
cp "$project/bench/results/latest$layers.json" "$root/bench/results/latest$layers-node-$version.json"
echo "Copied to bench/results/latest$layers-node-$version.json"
