#!/usr/bin/env bash
# Builds the example web app as a container image, without any registry: a static busybox
# (Debian's busybox-static) on FROM scratch, serving /www with busybox httpd on port 8080.
#
#   examples/app/build.sh IMAGE VERSION [ok|unhealthy|exit]
#
#   ok         GET / answers "hello from VERSION", GET /health answers "ok" (the default)
#   unhealthy  serves / but /health is missing (404 forever): never passes a health gate
#   exit       exits with code 3 at once
#
# DOCKER (default: docker) and DOCKER_HOST choose the client and engine.
set -euo pipefail
image=${1:?usage: build.sh IMAGE VERSION [ok|unhealthy|exit]}
version=${2:?usage: build.sh IMAGE VERSION [ok|unhealthy|exit]}
mode=${3:-ok}
docker=${DOCKER:-docker}
busybox=/bin/busybox
[ -x "$busybox" ] && "$busybox" --list | grep -qx httpd \
  || { echo "build.sh: a static busybox with httpd is needed (apt-get install busybox-static)" >&2; exit 2; }
case "$mode" in ok|unhealthy|exit) ;; *) echo "build.sh: unknown mode '$mode' (ok, unhealthy, exit)" >&2; exit 2 ;; esac

ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/www" "$ctx/rootfs/tmp"
cp "$busybox" "$ctx/rootfs/bin/busybox"
for tool in sh httpd wget cat echo sleep; do ln -s busybox "$ctx/rootfs/bin/$tool"; done
printf 'hello from %s\n' "$version" >"$ctx/rootfs/www/index.html"
[ "$mode" = unhealthy ] || printf 'ok\n' >"$ctx/rootfs/www/health"
case "$mode" in
  exit) cmd='["/bin/sh","-c","echo example app exiting at once; exit 3"]' ;;
  *) cmd='["/bin/httpd","-f","-v","-p","8080","-h","/www"]' ;;
esac
cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM scratch
COPY rootfs/ /
EXPOSE 8080
LABEL org.opencontainers.image.version="$version"
HEALTHCHECK --interval=5s --timeout=2s CMD ["/bin/wget","-q","-O-","http://127.0.0.1:8080/health"]
CMD $cmd
DOCKERFILE
DOCKER_BUILDKIT=0 "$docker" build -q -t "$image" "$ctx" >/dev/null
echo "$image"
