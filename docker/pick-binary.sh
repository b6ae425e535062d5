#!/bin/sh
# Copies the build's file for this image's architecture out of dist/.
# Usage: pick-binary.sh [--optional] TEMPLATE DESTINATION
# TEMPLATE names the file with @ARCH@ for Bun's architecture name, e.g.
# pick-binary.sh /dist/tree-app-linux-@ARCH@ /tree-app takes tree-app-linux-x64 on amd64.
# It runs inside the image being built, so the answer follows --platform, including
# builds under emulation (the legacy builder sets no TARGETARCH). With --optional a
# missing file is skipped (the ws281x library matters only to the PWM driver).
set -eu
optional=no
if [ "${1:-}" = "--optional" ]; then
  optional=yes
  shift
fi
template=$1
destination=$2
case "$(dpkg --print-architecture)" in
  amd64) arch=x64 ;;
  arm64) arch=arm64 ;;
  *) echo "pick-binary: unsupported architecture $(dpkg --print-architecture) (Bun needs amd64 or arm64)" >&2; exit 1 ;;
esac
source_file=$(printf '%s' "$template" | sed "s/@ARCH@/${arch}/")
if [ ! -f "$source_file" ]; then
  if [ "$optional" = yes ]; then
    echo "pick-binary: $source_file is missing; skipped" >&2
    exit 0
  fi
  echo "pick-binary: $source_file is missing: run 'npm run build' first" >&2
  exit 1
fi
mkdir -p "$(dirname "$destination")"
cp "$source_file" "$destination"
chmod 0755 "$destination"
