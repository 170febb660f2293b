// The caller's token, kept in this tab's sessionStorage only.
//
// Development: `make up` prints one link per role whose fragment carries a development token (#token=...): a
// fragment never reaches a server, so no access log holds it. The token is moved to sessionStorage and the
// fragment removed from the address bar and the history at once.
//
// Production: the district's identity provider (config.json, from the gateway's HG_GATEWAY_OIDC_* settings):
// OpenID Connect authorization code flow with PKCE (S256) through oidc-client-ts (vendor/oidc-client-ts.min.js);
// the provider answers in the fragment (response_mode=fragment), and the tokens come from its token endpoint in
// a POST body, never in a URL. The access token is what the API gets.
const KEY = "homegrown.token";
let manager = null;

export async function loadConfig() {
  try {
    const r = await fetch("config.json", { cache: "no-store" });
    const c = r.ok ? await r.json() : null;
    if (c?.oidc && globalThis.oidc) {
      manager = new globalThis.oidc.UserManager({
        authority: c.oidc.issuer,
        client_id: c.oidc.client_id,
        scope: c.oidc.scope,
        redirect_uri: `${location.origin}/app/`,
        post_logout_redirect_uri: `${location.origin}/app/`,
        response_type: "code",
        response_mode: "fragment",
        loadUserInfo: false,
        automaticSilentRenew: false,
        userStore: new globalThis.oidc.WebStorageStateStore({ store: sessionStorage }),
        stateStore: new globalThis.oidc.WebStorageStateStore({ store: sessionStorage }),
      });
    }
  } catch {
    manager = null;
  }
  return manager !== null;
}

export function canSignInWithDistrict() {
  return manager !== null;
}

export function signInWithDistrict() {
  return manager.signinRedirect();
}

function clearFragment() {
  history.replaceState(null, "", location.pathname + location.search);
}

// A development link's token, or the identity provider's answer (code and state) after signing in.
export async function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (token) {
    sessionStorage.setItem(KEY, token);
    clearFragment();
    return null;
  }
  if (manager && params.has("state") && (params.has("code") || params.has("error"))) {
    try {
      const user = await manager.signinRedirectCallback(location.href);
      sessionStorage.setItem(KEY, user.access_token);
      return null;
    } catch (e) {
      return `Signing in failed: ${e.message ?? e}`;
    } finally {
      clearFragment();
    }
  }
  return null;
}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  if (manager) manager.removeUser().catch(() => {});
}

// What the page shows and which views it offers; the services decide what the token may do.
export function claims() {
  const t = token();
  if (!t) return null;
  try {
    const part = t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const c = JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
    if (typeof c.exp === "number" && c.exp * 1000 <= Date.now()) {
      signOut();
      return null;
    }
    return { sub: String(c.sub ?? ""), district: String(c.district_id ?? ""),
             roles: Array.isArray(c.roles) ? c.roles.map(String) : [], exp: c.exp };
  } catch {
    signOut();
    return null;
  }
}
