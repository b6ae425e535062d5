#!/bin/sh
# The build stage of Dockerfile.app and Dockerfile.gpio: makes the image's binaries.
# Usage: build-binaries.sh toolchain | dependencies | binaries NAME... (NAME: tree-app, tree-gpio)
#
# TREE_BINARIES (a build argument) chooses where the binaries come from:
#   source  (default) built here from the sources: Debian's nodejs and npm, `npm ci`,
#           then scripts/build.ts for this image's architecture. A fresh clone needs
#           nothing but Docker and compose.
#   dist    copied from dist/ (`npm run build` made them beforehand); every other step
#           is skipped, so the container smoke test stays fast.
# TREE_BUILD_CA_CERTS (a build argument, PEM text, empty by default): certificates to
# trust while fetching npm packages, for networks whose proxy re-signs TLS.
# Binaries land in /out/bin, the ws281x driver's library in /out/lib.
set -eu
mode=${TREE_BINARIES:-source}
case "$mode" in
  source | dist) ;;
  *) echo "build-binaries: TREE_BINARIES must be source or dist, got '$mode'" >&2; exit 1 ;;
esac
step=${1:-}
[ $# -gt 0 ] && shift

case "$(dpkg --print-architecture)" in
  amd64) arch=x64 ;;
  arm64) arch=arm64 ;;
  *) echo "build-binaries: unsupported architecture $(dpkg --print-architecture) (Bun needs amd64 or arm64)" >&2; exit 1 ;;
esac

case "$step" in
  toolchain)
    [ "$mode" = source ] || exit 0
    # gcc and libc6-dev compile the ws281x driver's library (scripts/build.ts).
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm ca-certificates gcc libc6-dev
    rm -rf /var/lib/apt/lists/*
    if [ -n "${TREE_BUILD_CA_CERTS:-}" ]; then
      printf '%s\n' "$TREE_BUILD_CA_CERTS" > /usr/local/share/ca-certificates/tree-build-extra.crt
      update-ca-certificates
    fi
    ;;
  dependencies)
    [ "$mode" = source ] || exit 0
    # The system trust store, so certificates added above count too. No install scripts
    # but Bun's own (it puts the real runtime in place): rpi-ws281x-native's would compile
    # a Node addon nothing uses; scripts/build.ts needs only its C sources.
    npm ci --no-audit --no-fund --ignore-scripts --cafile /etc/ssl/certs/ca-certificates.crt
    npm rebuild bun
    ;;
  binaries)
    mkdir -p /out/bin /out/lib
    for name in "$@"; do
      if [ "$mode" = dist ]; then
        pick-binary.sh "/prebuilt/$name-linux-@ARCH@" "/out/bin/$name"
        if [ "$name" = tree-gpio ]; then
          pick-binary.sh --optional "/prebuilt/libtreews281x-linux-@ARCH@.so" /out/lib/libtreews281x.so
        fi
      else
        # The frontend is inlined into tree-app by a macro at compile time; its
        # separate copy in dist/frontend is not needed in the image.
        node_modules/.bin/bun scripts/build.ts --target "$arch" --only "$name" --skip-frontend --outdir /tmp/build
        install -m 0755 "/tmp/build/$name-linux-$arch" "/out/bin/$name"
        if [ "$name" = tree-gpio ]; then
          install -m 0644 "/tmp/build/libtreews281x-linux-$arch.so" /out/lib/libtreews281x.so
        fi
      fi
    done
    rm -rf /tmp/build
    ;;
  *) echo "usage: build-binaries.sh toolchain | dependencies | binaries NAME..." >&2; exit 1 ;;
esac
