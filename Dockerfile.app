# tree-app: the web app, the FCFS scheduler and the Python sandbox (bubblewrap + seccomp).
# Builds its binary from the sources (or takes dist/'s, see below); compose.yml says how it runs:
# read-only root, no capabilities, no-new-privileges, the seccomp profile in docker/seccomp/.
# Multi-arch: the same file builds linux/amd64 (laptops) and linux/arm64 (the Pi).

# Stage 1 makes the binary for the image's architecture (docker/build-binaries.sh), so
# the final image holds one and no build tools. By default it builds from the sources,
# so `docker compose up --build` works on a fresh clone; TREE_BINARIES=dist takes the
# binaries `npm run build` left in dist/ instead (the container smoke test does).
FROM debian:bookworm-slim AS build
# Lets the smoke test prune this stage's leftovers.
LABEL org.tree.build-stage=build
ARG TREE_BINARIES=source
ARG TREE_BUILD_CA_CERTS=
COPY docker/pick-binary.sh docker/build-binaries.sh /usr/local/bin/
RUN build-binaries.sh toolchain
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
RUN build-binaries.sh dependencies
COPY protocol/ protocol/
COPY appliance/ appliance/
COPY frontend/ frontend/
COPY gpio-daemon/ gpio-daemon/
COPY scripts/ scripts/
# dist/'s binaries when it has any: the glob may match nothing (a fresh clone has no
# dist/), and the script is there so the instruction always has a source.
COPY docker/build-binaries.sh dist/*-linux-* /prebuilt/
RUN build-binaries.sh binaries tree-app

FROM debian:bookworm-slim
# (the label lets old builds of this image be pruned; see tests/containers/stack.ts)
LABEL org.tree.build-stage=final
# bubblewrap builds the sandbox; Debian's /usr/bin/python3 runs visitor programs (the
# sandbox is written for it); python3-seccomp compiles the sandbox's syscall filters.
# No recommends: nothing else runs here.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends bubblewrap python3 python3-seccomp \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
# One group (tree, 10000) shared with the daemon's image: the daemon gives its socket
# to this group, and the app user is in it. Fixed ids, so volumes agree across images.
# /run/tree is the mount point of the socket volume; /var/lib/tree of the data volume
# (uploads, submission records, the cookie secret). A fresh named volume copies the
# owner and mode of its mount point from the image.
RUN groupadd --gid 10000 tree \
 && useradd --uid 10001 --gid tree --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin tree-app \
 && install -d -o tree-app -g tree -m 0750 /var/lib/tree \
 && install -d -o 10002 -g tree -m 0750 /run/tree
COPY --from=build /out/bin/tree-app /usr/local/bin/tree-app
COPY docker/tree-probe /usr/local/bin/tree-probe
# Bun extracts embedded native files to TMPDIR: compose mounts /tmp as a tmpfs.
ENV TREE_APP_HOST=0.0.0.0 \
    TREE_APP_PORT=8080 \
    TREE_APP_DATA_DIR=/var/lib/tree \
    TREE_APP_GPIO_SOCKET=/run/tree/gpio.sock \
    TMPDIR=/tmp
USER tree-app:tree
EXPOSE 8080
# A sick server exits (see tree-probe), so the restart policy can act.
HEALTHCHECK --interval=15s --timeout=25s --start-period=60s --retries=3 \
  CMD ["/usr/local/bin/tree-probe", "--kill-on-failure", "60", "http", "8080", "/api/health"]
ENTRYPOINT ["/usr/local/bin/tree-app"]
CMD ["serve"]
