#!/usr/bin/env bash
# The gateway container's entry point. Renders the `make up` gateway's configuration with its own script
# (deploy/gateway/render.sh: routes, rate limits, CORS, headers; the HG_GATEWAY_* settings of
# docs/security.md apply at start) for a container, then runs nginx in the foreground:
#   - every service of docker/services.list is reached by its name (compose service, Kubernetes Service);
#   - nginx listens on every address, port 8080, as the image's non-root user, its state in /tmp/nginx;
#   - logs go to stdout (access) and stderr (errors).
#   start.sh                 render and run nginx
#   start.sh --render DIR    render into DIR/nginx.conf and stop (tests/deploy checks it with nginx -t)
set -euo pipefail

gateway=/etc/homegrown/gateway
list=/etc/homegrown/services.list
dir=/tmp/nginx
render_only=0
if [[ "${1:-}" == --render ]]; then
    render_only=1
    dir="$2"
    gateway="${3:-$gateway}"
    list="${4:-$list}"
fi

# The image's copies of the browser pages and the specs (docker/gateway/Dockerfile); --render on a checkout
# uses the checkout's (render.sh's defaults).
if [[ -d /usr/share/homegrown/web/docs ]]; then
    export HG_GATEWAY_WEB_DIR="${HG_GATEWAY_WEB_DIR:-/usr/share/homegrown/web}"
    export HG_GATEWAY_SPEC_DIR="${HG_GATEWAY_SPEC_DIR:-/usr/share/homegrown/api-spec}"
fi

args=()
sed_args=(
    -e "s|^daemon on;|daemon off;|"
    -e "s|^error_log $dir/error.log|error_log /dev/stderr|"
    -e "s|access_log $dir/access.log|access_log /dev/stdout|"
    -e "s|listen 127\.0\.0\.1:8080;|listen 8080;|"
)
while read -r name port _; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    args+=("$name=$port")
    sed_args+=(-e "s|server 127\.0\.0\.1:$port;|server $name:$port;|")
done <"$list"

bash "$gateway/render.sh" "$dir" 8080 "${args[@]}"
sed -i "${sed_args[@]}" "$dir/nginx.conf"
# An upstream still on 127.0.0.1 is a service the gateway routes to but the list does not name.
if grep -nE '^[[:space:]]*upstream .*server 127\.0\.0\.1' "$dir/nginx.conf" >&2; then
    echo "start: the gateway routes to a service docker/services.list does not name" >&2
    exit 1
fi
((render_only)) && exit 0
exec nginx -p "$dir" -c "$dir/nginx.conf" -e /dev/stderr
