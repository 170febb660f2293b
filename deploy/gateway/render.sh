#!/usr/bin/env bash
# Renders the gateway's nginx configuration from deploy/gateway/nginx.conf.in:
#
#   deploy/gateway/render.sh <dir> <gateway port> [<service>=<port> ...]
#
# writes <dir>/nginx.conf (and <dir>/tmp/, <dir>/tls/ when TLS is on) and prints nothing on success; a bad
# setting stops it with a message naming the variable (exit 2), and so does a placeholder (@NAME@) left in a
# directive of the output, e.g. a service's port not given (nothing is written then). deploy/local/up.sh and the gateway tests call
# it. Settings, from the environment (docs/security.md#gateway-configuration):
#
#   HG_GATEWAY_RATE          requests per second per client address on /v1/ (default 50; "N" or "Nr/s" or "Nr/m")
#   HG_GATEWAY_BURST         requests above the rate a client address may send at once (default 100; 1..1000000)
#   HG_GATEWAY_SUB_RATE      per token subject (default: HG_GATEWAY_RATE)
#   HG_GATEWAY_SUB_BURST     (default: HG_GATEWAY_BURST)
#   HG_GATEWAY_AUTH_RATE     per client address, requests certain to fail authentication (default 2r/s)
#   HG_GATEWAY_AUTH_BURST    (default 20)
#   HG_GATEWAY_CONN          open connections per client address on /v1/ (default 100; 1..65535, the most
#                            nginx's limit_conn takes)
#   HG_GATEWAY_CORS_ORIGINS  origins web front ends may call the API from, separated by spaces or commas
#                            (exact "scheme://host[:port]"; default none: every cross-origin request refused)
#   HG_GATEWAY_TLS_PORT      also listen with TLS on this port (default: no TLS)
#   HG_GATEWAY_TLS_CERT, HG_GATEWAY_TLS_KEY
#                            PEM certificate and key for TLS (default: a self-signed certificate for localhost
#                            and 127.0.0.1, generated once in <dir>/tls/)
#   HG_GATEWAY_WEB_DIR       the browser pages served under /docs/ and /app/ (default: web/ of this checkout,
#                            its npm packages installed by make deps)
#   HG_GATEWAY_SPEC_DIR      the OpenAPI specs served under /docs/specs/ (default: api-spec/ of this checkout)
#   HG_GATEWAY_OIDC_ISSUER   the district's identity provider for the app's sign-in (OpenID Connect, authorization
#                            code with PKCE): its issuer URL, http(s)://host[:port][/path] (default: none, the
#                            app offers the development sign-in links only)
#   HG_GATEWAY_OIDC_CLIENT_ID  the app's client id at that provider (required with the issuer)
#   HG_GATEWAY_OIDC_SCOPE    scopes asked for (default "openid profile email")
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() {
    echo "render: $*" >&2
    exit 2
}

(($# >= 2)) || die "usage: render.sh <dir> <gateway port> [<service>=<port> ...]"
dir="$1"
port="$2"
shift 2
[[ $port =~ ^[0-9]{1,5}$ ]] || die "gateway port must be a number: $port"

# A rate: "N" (per second), "Nr/s" or "Nr/m", N 1..100000.
rate() {
    local name="$1" value="$2"
    [[ $value =~ ^([0-9]{1,6})(r/[sm])?$ ]] || die "$name must be N, Nr/s or Nr/m (N requests): $value"
    ((BASH_REMATCH[1] >= 1 && BASH_REMATCH[1] <= 100000)) || die "$name must be 1..100000 requests: $value"
    echo "${BASH_REMATCH[1]}${BASH_REMATCH[2]:-r/s}"
}
# An integer 1..max (nginx refuses a burst or a connection limit of 0).
count() {
    local name="$1" value="$2" max="$3"
    [[ $value =~ ^[0-9]{1,7}$ ]] && ((value >= 1 && value <= max)) || die "$name must be an integer 1..$max: $value"
    echo "$value"
}
# Seconds until one more request is allowed at a rate (Retry-After): ceil(1 / rate).
retry_after() {
    local n="${1%r/*}" unit="${1#*r/}"
    if [[ $unit == m ]]; then echo $(((60 + n - 1) / n)); else echo 1; fi
}

rate_="$(rate HG_GATEWAY_RATE "${HG_GATEWAY_RATE:-50}")"
burst="$(count HG_GATEWAY_BURST "${HG_GATEWAY_BURST:-100}" 1000000)"
sub_rate="$(rate HG_GATEWAY_SUB_RATE "${HG_GATEWAY_SUB_RATE:-$rate_}")"
sub_burst="$(count HG_GATEWAY_SUB_BURST "${HG_GATEWAY_SUB_BURST:-$burst}" 1000000)"
auth_rate="$(rate HG_GATEWAY_AUTH_RATE "${HG_GATEWAY_AUTH_RATE:-2}")"
auth_burst="$(count HG_GATEWAY_AUTH_BURST "${HG_GATEWAY_AUTH_BURST:-20}" 1000000)"
conn="$(count HG_GATEWAY_CONN "${HG_GATEWAY_CONN:-100}" 65535)" # nginx: "connection limit must be less 65536"
retry="$(retry_after "$rate_")"
r2="$(retry_after "$sub_rate")"
((r2 > retry)) && retry=$r2
auth_retry="$(retry_after "$auth_rate")"

cors=""
origins="${HG_GATEWAY_CORS_ORIGINS:-}"
read -r -a origins <<<"${origins//,/ }"
for origin in "${origins[@]}"; do
    [[ $origin =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$ ]] \
        || die "HG_GATEWAY_CORS_ORIGINS: not an origin (scheme://host[:port], no path): $origin"
    cors+="        \"$origin\" 1;"$'\n'
done

tls=""
if [[ -n ${HG_GATEWAY_TLS_PORT:-} ]]; then
    [[ $HG_GATEWAY_TLS_PORT =~ ^[0-9]{1,5}$ ]] || die "HG_GATEWAY_TLS_PORT must be a port: $HG_GATEWAY_TLS_PORT"
    cert="${HG_GATEWAY_TLS_CERT:-}"
    key="${HG_GATEWAY_TLS_KEY:-}"
    if [[ -z $cert && -z $key ]]; then
        cert="$dir/tls/gateway.crt"
        key="$dir/tls/gateway.key"
        if [[ ! -s $cert || ! -s $key ]]; then
            mkdir -p "$dir/tls"
            (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 \
                -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
                -keyout "$key" -out "$cert" >"$dir/tls/openssl.log" 2>&1) \
                || die "could not generate a certificate (see $dir/tls/openssl.log)"
        fi
    fi
    [[ -r $cert ]] || die "HG_GATEWAY_TLS_CERT: cannot read $cert"
    [[ -r $key ]] || die "HG_GATEWAY_TLS_KEY: cannot read $key"
    tls="        listen 127.0.0.1:$HG_GATEWAY_TLS_PORT ssl;
        ssl_certificate $cert;
        ssl_certificate_key $key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers off;"
fi

# Absolute, existing folders without characters that would end an nginx directive or the sed replacement.
folder() {
    local name="$1" value="$2" probe="$3"
    [[ $value =~ ^/[A-Za-z0-9._/+-]*$ ]] || die "$name must be an absolute path of [A-Za-z0-9._/+-]: $value"
    [[ -e $value/$probe ]] || die "$name: $value/$probe not found"
    echo "${value%/}"
}
web_dir="$(folder HG_GATEWAY_WEB_DIR "${HG_GATEWAY_WEB_DIR:-$(cd "$here/../.." && pwd)/web}" docs/index.html)"
spec_dir="$(folder HG_GATEWAY_SPEC_DIR "${HG_GATEWAY_SPEC_DIR:-$(cd "$here/../.." && pwd)/api-spec}" common.yaml)"
[[ -e $web_dir/node_modules/redoc/bundles/redoc.standalone.js ]] \
    || echo "render: warning: $web_dir/node_modules has no redoc (make deps installs it): /docs/ pages will not render" >&2

# The app's sign-in through the district's identity provider (docs/web.md#signing-in): /app/config.json, and the
# provider's origin in the pages' connect-src (the app fetches its discovery document and token endpoint).
oidc_issuer="${HG_GATEWAY_OIDC_ISSUER:-}"
oidc_client="${HG_GATEWAY_OIDC_CLIENT_ID:-}"
oidc_scope="${HG_GATEWAY_OIDC_SCOPE:-openid profile email}"
app_config='{"oidc":null}'
oidc_origin=""
if [[ -n $oidc_issuer || -n $oidc_client ]]; then
    [[ $oidc_issuer =~ ^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)(/[A-Za-z0-9._~/-]*)?$ ]] \
        || die "HG_GATEWAY_OIDC_ISSUER must be an http(s) URL (scheme://host[:port][/path]): $oidc_issuer"
    oidc_origin="${BASH_REMATCH[1]}"
    [[ $oidc_client =~ ^[A-Za-z0-9._:-]{1,200}$ ]] \
        || die "HG_GATEWAY_OIDC_CLIENT_ID must be 1-200 of [A-Za-z0-9._:-] (required with HG_GATEWAY_OIDC_ISSUER): $oidc_client"
    [[ $oidc_scope =~ ^[A-Za-z0-9_.:/-]+( [A-Za-z0-9_.:/-]+)*$ && $oidc_scope =~ (^| )openid( |$) ]] \
        || die "HG_GATEWAY_OIDC_SCOPE must be scopes separated by single spaces, openid among them: $oidc_scope"
    app_config="{\"oidc\":{\"issuer\":\"${oidc_issuer%/}\",\"client_id\":\"$oidc_client\",\"scope\":\"$oidc_scope\"}}"
fi

perl_module=/usr/lib/nginx/modules/ngx_http_perl_module.so
[[ -f $perl_module ]] || die "$perl_module missing (Debian package libnginx-mod-http-perl; make deps installs it)"

user_directive=""
[[ "$(id -u)" == 0 ]] && user_directive="user root;" # workers must reach the state dir even under a mode-700 clone

sed_args=(-e "s|@DIR@|$dir|g" -e "s|@SRC@|$here|g" -e "s|@GATEWAY_PORT@|$port|g"
    -e "s|@USER_DIRECTIVE@|$user_directive|g" -e "s|@PERL_MODULE@|$perl_module|g"
    -e "s|@RATE@|$rate_|g" -e "s|@BURST@|$burst|g" -e "s|@SUB_RATE@|$sub_rate|g" -e "s|@SUB_BURST@|$sub_burst|g"
    -e "s|@AUTH_RATE@|$auth_rate|g" -e "s|@AUTH_BURST@|$auth_burst|g" -e "s|@CONN@|$conn|g"
    -e "s|@RETRY_AFTER@|$retry|g" -e "s|@AUTH_RETRY_AFTER@|$auth_retry|g"
    -e "s|@WEB_DIR@|$web_dir|g" -e "s|@SPEC_DIR@|$spec_dir|g"
    -e "s|@APP_CONFIG@|$app_config|g" -e "s|@OIDC_ORIGIN@|${oidc_origin:+ $oidc_origin}|g")
for arg in "$@"; do
    [[ $arg =~ ^([a-z]+)=([0-9]{1,5})$ ]] || die "not <service>=<port>: $arg"
    sed_args+=(-e "s|@${BASH_REMATCH[1]^^}_PORT@|${BASH_REMATCH[2]}|g")
done

mkdir -p "$dir/tmp"
# The multi-line values go in with awk (sed cannot take newlines in a replacement).
sed "${sed_args[@]}" "$here/nginx.conf.in" \
    | CORS="$cors" TLS="$tls" awk '$0 == "@CORS_ORIGINS@" { printf "%s", ENVIRON["CORS"]; next }
                                   $0 == "@TLS_LISTEN@" { if (ENVIRON["TLS"] != "") print ENVIRON["TLS"]; next }
                                   { print }' >"$dir/nginx.conf.new"
# A placeholder nothing replaced (a service's port not given, a new one in nginx.conf.in) would reach nginx as
# text; comments may keep theirs (the template's documentation, upstreams still commented out).
left="$(grep -v '^[[:space:]]*#' "$dir/nginx.conf.new" | grep -oE '@[A-Z_]+@' | sort -u | tr '\n' ' ' || true)"
if [[ -n $left ]]; then
    rm -f "$dir/nginx.conf.new"
    die "placeholders left unrendered in nginx.conf: ${left% } (a <service>=<port> argument missing?)"
fi
mv "$dir/nginx.conf.new" "$dir/nginx.conf"
