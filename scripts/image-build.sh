#!/usr/bin/env bash
# Builds docker/Dockerfile where there is no Docker and no container registry (.ci/run):
# buildah against the stand-in base of scripts/make-base-image.sh.
#
#   scripts/image-build.sh [image name]      default: localhost/nest-chassis:ci
#
# - buildah bud --isolation chroot --network host (no user namespaces or bridge networks on the
#   CI machines), --format docker (the OCI format drops HEALTHCHECK), --layers (a rebuild reuses
#   every unchanged step);
# - the runtime settings of docker/containers.conf (CONTAINERS_CONF, unless already set);
# - when the host trusts an extra CA (NODE_EXTRA_CA_CERTS: a TLS-intercepting proxy in front of
#   the npm registry), npm inside the build trusts it too: the bundle and an npmrc naming it are
#   bind-mounted into the RUN steps only, so nothing of them reaches a layer.
# Prints the image name. VERSION and REVISION are passed as build arguments (labels).
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/docker/containers.conf}"
image="${1:-localhost/nest-chassis:ci}"
base="$(scripts/make-base-image.sh)"

mounts=()
ca="${NODE_EXTRA_CA_CERTS:-}"
if [ -n "$ca" ] && [ -f "$ca" ]; then
  build_ca="$(mktemp -d "${TMPDIR:-/tmp}/nest-chassis-build-ca.XXXXXX")"
  trap 'rm -rf "$build_ca"' EXIT
  cp "$ca" "$build_ca/ca.crt"
  printf 'cafile=/tmp/build-ca/ca.crt\n' >"$build_ca/npmrc"
  mounts=(-v "$build_ca:/tmp/build-ca:ro" -v "$build_ca/npmrc:/root/.npmrc:ro")
fi

version="$(node -p "require('./package.json').version")"
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
# The labels again as --label: buildah's layer cache matches the Dockerfile's LABEL step by its
# text before the build arguments are substituted, so a rebuild kept the previous commit's
# revision; a --label is applied to the image itself, after the cache.
echo "image: buildah bud docker/Dockerfile on $base" >&2
buildah bud --isolation chroot --network host --format docker --layers \
  "${mounts[@]}" \
  --build-arg NODE_IMAGE="$base" --build-arg VERSION="$version" --build-arg REVISION="$revision" \
  --label org.opencontainers.image.base.name="$base" \
  --label org.opencontainers.image.version="$version" \
  --label org.opencontainers.image.revision="$revision" \
  -f docker/Dockerfile -t "$image" . >&2
echo "$image"
