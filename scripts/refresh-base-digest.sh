#!/usr/bin/env bash
# The Node base image of docker/Dockerfile is pinned by digest (NODE_IMAGE=<tag>@sha256:<digest>).
#
#   scripts/refresh-base-digest.sh            resolve the tag's current multi-arch index digest
#                                             (docker buildx imagetools inspect) and rewrite the pin
#   scripts/refresh-base-digest.sh 24.19.0    the same for another exact version (bookworm-slim)
#   scripts/refresh-base-digest.sh --check    exit 1 unless the pin is an exact version plus a digest (CI)
#
# Needs Docker with buildx for the refresh; --check needs nothing. Dependabot's
# docker ecosystem proposes the same update as a pull request.
set -euo pipefail
cd "$(dirname "$0")/.."
dockerfile=docker/Dockerfile
pin_re='^ARG NODE_IMAGE=node:[0-9]+\.[0-9]+\.[0-9]+-bookworm-slim@sha256:[a-f0-9]{64}$'

current="$(grep -E '^ARG NODE_IMAGE=' "$dockerfile" || true)"
if [ "${1:-}" = "--check" ]; then
  if [[ "$current" =~ $pin_re ]]; then
    echo "base image pinned: ${current#ARG NODE_IMAGE=}"
    exit 0
  fi
  echo "docker/Dockerfile: NODE_IMAGE must be node:<x.y.z>-bookworm-slim@sha256:<digest>, got: ${current:-nothing}" >&2
  exit 1
fi

version="${1:-$(sed -E 's/^ARG NODE_IMAGE=node:([0-9.]+)-bookworm-slim.*/\1/' <<<"$current")}"
tag="node:${version}-bookworm-slim"
digest="$(docker buildx imagetools inspect "docker.io/library/${tag}" --format '{{json .Manifest}}' \
  | node -e 'let s="";process.stdin.on("data",(c)=>(s+=c)).on("end",()=>process.stdout.write(JSON.parse(s).digest))')"
[[ "$digest" =~ ^sha256:[a-f0-9]{64}$ ]] || { echo "could not resolve a digest for $tag" >&2; exit 1; }
sed -i -E "s|^ARG NODE_IMAGE=.*$|ARG NODE_IMAGE=${tag}@${digest}|" "$dockerfile"
echo "pinned ${tag}@${digest}"
