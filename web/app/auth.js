// The caller's token. In development `make up` prints one link per role whose fragment carries a development
// token (#token=...): a fragment never reaches a server, so no access log holds it. The token is moved to this
// tab's sessionStorage and the fragment removed from the address bar and the history at once.
const KEY = "homegrown.token";

export function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (token) {
    sessionStorage.setItem(KEY, token);
    history.replaceState(null, "", location.pathname + location.search);
  }
}

export function token() {
  return sessionStorage.getItem(KEY);
}

export function signOut() {
  sessionStorage.removeItem(KEY);
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
