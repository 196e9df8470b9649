#!/usr/bin/env bash
# Builds hooks-jre:17, a Java 17 runtime image FROM scratch, from the JDK on this machine: a
# jlink'ed runtime with the modules hooks-server uses, plus the shared libraries it and RocksDB
# load (found with ldd). For hosts that reach no image registry; elsewhere use
# eclipse-temurin:17-jre as the Dockerfile does by default.
#
# Usage: samples/hooks-server/docker/build-base-image.sh [tag=hooks-jre:17]
# Needs: a JDK 17 with jmods (Debian's openjdk-17-jdk-headless), docker.
set -euo pipefail
TAG=${1:-hooks-jre:17}
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$JAVA_HOME/bin/jlink" --output "$WORK/root/opt/java" --strip-debug --no-header-files --no-man-pages \
  --add-modules java.se,jdk.unsupported,jdk.crypto.ec,jdk.management,jdk.zipfs,jdk.net

# The runtime's own libraries need the C library and friends; the JNI libraries unpacked at run
# time (RocksDB's, LZ4's) also need libpthread, libdl, librt, libm, libstdc++ and libgcc_s.
libs=$( { find "$WORK/root/opt/java" -name '*.so' -exec ldd {} \; 2>/dev/null; ldd "$WORK/root/opt/java/bin/java"; } \
  | awk '/=>/ { print $3 } /^[ \t]*\/lib/ { print $1 }' | sort -u)
libs="$libs $(ldconfig -p | awk '/x86-64/ && /(libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|libz\.so\.1) / { print $NF }' | sort -u)"
for lib in $libs; do
  [ -e "$lib" ] || continue
  mkdir -p "$WORK/root$(dirname "$lib")"
  cp -L "$lib" "$WORK/root$lib"
done
mkdir -p "$WORK/root/tmp" "$WORK/root/etc"
chmod 1777 "$WORK/root/tmp"
echo 'root:x:0:0:root:/:/sbin/nologin' >"$WORK/root/etc/passwd"
cat >"$WORK/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY root/ /
ENV JAVA_HOME=/opt/java PATH=/opt/java/bin LANG=C.UTF-8
DOCKERFILE
docker build -q -t "$TAG" "$WORK" >/dev/null
echo "$TAG: $(docker image inspect -f '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
