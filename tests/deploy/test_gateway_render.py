"""deploy/gateway/render.sh: every setting it accepts renders a configuration nginx accepts (`nginx -t` on the
rendered file), the values nginx would refuse are refused at render time naming the variable, and a
placeholder left unrendered in a directive stops the render (nothing written) instead of reaching nginx."""
import os
import re
import shutil
import subprocess

import pytest

from support import ROOT, services

RENDER = ROOT / "deploy/gateway/render.sh"


def ports():
    return [f"{s['name']}={s['port']}" for s in services()]


def render(dir_, env=None, args=None, script=RENDER):
    base = {k: v for k, v in os.environ.items() if not k.startswith("HG_GATEWAY_")}
    return subprocess.run(["bash", str(script), str(dir_), "18080", *(ports() if args is None else args)],
                          env={**base, **(env or {})}, capture_output=True, text=True, timeout=60)


def nginx_t(dir_):
    return subprocess.run(["nginx", "-t", "-p", str(dir_), "-c", str(dir_ / "nginx.conf"), "-e",
                           str(dir_ / "error.log")], capture_output=True, text=True, timeout=60)


def live_placeholders(text):
    live = "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("#"))
    return re.findall(r"@[A-Z_]+@", live)


@pytest.mark.parametrize("env", [
    {},  # the defaults
    # the largest value of each setting render.sh takes
    {"HG_GATEWAY_RATE": "100000", "HG_GATEWAY_BURST": "1000000", "HG_GATEWAY_SUB_RATE": "100000r/m",
     "HG_GATEWAY_SUB_BURST": "1000000", "HG_GATEWAY_AUTH_RATE": "100000", "HG_GATEWAY_AUTH_BURST": "1000000",
     "HG_GATEWAY_CONN": "65535"},
    # the smallest
    {"HG_GATEWAY_RATE": "1r/m", "HG_GATEWAY_BURST": "1", "HG_GATEWAY_AUTH_RATE": "1", "HG_GATEWAY_AUTH_BURST": "1",
     "HG_GATEWAY_CONN": "1"},
    # what the contract run renders (tests/contract/run.sh)
    {"HG_GATEWAY_RATE": "100000", "HG_GATEWAY_BURST": "100000", "HG_GATEWAY_AUTH_RATE": "100000",
     "HG_GATEWAY_AUTH_BURST": "100000", "HG_GATEWAY_CONN": "10000"},
], ids=["defaults", "largest", "smallest", "contract-run"])
def test_every_accepted_setting_gives_a_configuration_nginx_accepts(tmp_path, env):
    p = render(tmp_path, env)
    assert p.returncode == 0, p.stderr
    conf = (tmp_path / "nginx.conf").read_text()
    assert not live_placeholders(conf)
    if "HG_GATEWAY_CONN" in env:
        assert f"limit_conn hg_conn {env['HG_GATEWAY_CONN']};" in conf
    t = nginx_t(tmp_path)
    assert t.returncode == 0, t.stderr


@pytest.mark.parametrize("value", ["65536", "100000", "0", "-1", "many"])
def test_connection_limits_nginx_refuses_are_refused_at_render(tmp_path, value):
    p = render(tmp_path, {"HG_GATEWAY_CONN": value})
    assert p.returncode == 2, p.stderr
    assert "HG_GATEWAY_CONN" in p.stderr
    assert not (tmp_path / "nginx.conf").exists()


@pytest.mark.parametrize("var", ["HG_GATEWAY_BURST", "HG_GATEWAY_SUB_BURST", "HG_GATEWAY_AUTH_BURST"])
@pytest.mark.parametrize("value", ["0", "1000001"])
def test_bursts_nginx_refuses_are_refused_at_render(tmp_path, var, value):
    p = render(tmp_path, {var: value})
    assert p.returncode == 2, p.stderr
    assert var in p.stderr


def test_nginx_itself_refuses_65536_connections(tmp_path):
    """Why the bound is 65535: the rendered limit, raised by hand past it, is what nginx -t refuses."""
    assert render(tmp_path, {"HG_GATEWAY_CONN": "65535"}).returncode == 0
    conf = tmp_path / "nginx.conf"
    conf.write_text(conf.read_text().replace("limit_conn hg_conn 65535;", "limit_conn hg_conn 65536;"))
    t = nginx_t(tmp_path)
    assert t.returncode != 0 and "connection limit" in t.stderr, t.stderr


def test_a_service_port_not_given_stops_the_render(tmp_path):
    args = [a for a in ports() if not a.startswith("coaching=")]
    p = render(tmp_path, args=args)
    assert p.returncode == 2, p.stderr
    assert "@COACHING_PORT@" in p.stderr and "unrendered" in p.stderr
    assert not (tmp_path / "nginx.conf").exists() and not (tmp_path / "nginx.conf.new").exists()


def test_any_placeholder_left_in_a_directive_stops_the_render(tmp_path):
    """A placeholder added to the template that render.sh does not know: in a directive it stops the render,
    in a comment it may stay."""
    src = tmp_path / "gateway"
    shutil.copytree(ROOT / "deploy/gateway", src)
    # the copy is outside the checkout: the pages and specs it serves are named
    env = {"HG_GATEWAY_WEB_DIR": str(ROOT / "web"), "HG_GATEWAY_SPEC_DIR": str(ROOT / "api-spec")}
    tpl = src / "nginx.conf.in"
    text = tpl.read_text()
    marker = "        include @SRC@/headers.conf;\n"
    assert marker in text
    tpl.write_text(text.replace(marker, marker + "        # a comment may say @STILL_A_PLACEHOLDER@\n", 1))
    out = tmp_path / "ok"
    p = render(out, env=env, script=src / "render.sh")
    assert p.returncode == 0, p.stderr
    assert "@STILL_A_PLACEHOLDER@" in (out / "nginx.conf").read_text()
    tpl.write_text(text.replace(marker, marker + "        set $hg_new @NEW_SETTING@;\n", 1))
    bad = tmp_path / "bad"
    p = render(bad, env=env, script=src / "render.sh")
    assert p.returncode == 2, p.stderr
    assert "@NEW_SETTING@" in p.stderr
    assert not (bad / "nginx.conf").exists()


def test_the_pages_and_specs_folders_are_checked(tmp_path):
    """HG_GATEWAY_WEB_DIR and HG_GATEWAY_SPEC_DIR: absolute, holding the pages (docs/index.html) and the specs
    (common.yaml); anything else stops the render naming the variable, and nothing is written."""
    for env, name in [({"HG_GATEWAY_WEB_DIR": str(tmp_path)}, "HG_GATEWAY_WEB_DIR"),
                      ({"HG_GATEWAY_WEB_DIR": "web"}, "HG_GATEWAY_WEB_DIR"),
                      ({"HG_GATEWAY_WEB_DIR": str(ROOT / "web") + ";x"}, "HG_GATEWAY_WEB_DIR"),
                      ({"HG_GATEWAY_SPEC_DIR": str(ROOT / "web")}, "HG_GATEWAY_SPEC_DIR")]:
        out = tmp_path / "out"
        p = render(out, env=env)
        assert p.returncode == 2, (env, p.stderr)
        assert name in p.stderr
        assert not (out / "nginx.conf").exists()
    p = render(tmp_path / "ok", env={"HG_GATEWAY_WEB_DIR": str(ROOT / "web") + "/"})
    assert p.returncode == 0, p.stderr
    conf = (tmp_path / "ok/nginx.conf").read_text()
    assert f"alias {ROOT}/web/docs/;" in conf and f"alias {ROOT}/api-spec/$1.yaml;" in conf


def test_the_apps_identity_provider_settings(tmp_path):
    """HG_GATEWAY_OIDC_*: the issuer and client id together, each checked, naming the variable; rendered into
    /app/config.json and the pages' connect-src; without them the app has no provider (config null)."""
    bad = [({"HG_GATEWAY_OIDC_ISSUER": "https://idp.example.org"}, "HG_GATEWAY_OIDC_CLIENT_ID"),
           ({"HG_GATEWAY_OIDC_CLIENT_ID": "app"}, "HG_GATEWAY_OIDC_ISSUER"),
           ({"HG_GATEWAY_OIDC_ISSUER": "idp.example.org", "HG_GATEWAY_OIDC_CLIENT_ID": "app"}, "HG_GATEWAY_OIDC_ISSUER"),
           ({"HG_GATEWAY_OIDC_ISSUER": "https://idp.example.org/x'y", "HG_GATEWAY_OIDC_CLIENT_ID": "app"},
            "HG_GATEWAY_OIDC_ISSUER"),
           ({"HG_GATEWAY_OIDC_ISSUER": "https://idp.example.org", "HG_GATEWAY_OIDC_CLIENT_ID": "a b"},
            "HG_GATEWAY_OIDC_CLIENT_ID"),
           ({"HG_GATEWAY_OIDC_ISSUER": "https://idp.example.org", "HG_GATEWAY_OIDC_CLIENT_ID": "app",
             "HG_GATEWAY_OIDC_SCOPE": "profile email"}, "HG_GATEWAY_OIDC_SCOPE"),
           ({"HG_GATEWAY_OIDC_ISSUER": "https://idp.example.org", "HG_GATEWAY_OIDC_CLIENT_ID": "app",
             "HG_GATEWAY_OIDC_SCOPE": 'openid "x'}, "HG_GATEWAY_OIDC_SCOPE")]
    for env, name in bad:
        out = tmp_path / "bad"
        p = render(out, env=env)
        assert p.returncode == 2, (env, p.stderr)
        assert name in p.stderr, (env, p.stderr)
        assert not (out / "nginx.conf").exists()
    p = render(tmp_path / "none")
    assert p.returncode == 0, p.stderr
    conf = (tmp_path / "none/nginx.conf").read_text()
    assert "return 200 '{\"oidc\":null}\\n';" in conf and "connect-src 'self'; " in conf
    p = render(tmp_path / "ok", env={"HG_GATEWAY_OIDC_ISSUER": "https://login.springfield.k12.us:8443/realms/staff/",
                                     "HG_GATEWAY_OIDC_CLIENT_ID": "homegrown-app"})
    assert p.returncode == 0, p.stderr
    conf = (tmp_path / "ok/nginx.conf").read_text()
    assert ('{"oidc":{"issuer":"https://login.springfield.k12.us:8443/realms/staff","client_id":"homegrown-app",'
            '"scope":"openid profile email"}}') in conf
    assert "connect-src 'self' https://login.springfield.k12.us:8443; " in conf
    assert nginx_t(tmp_path / "ok").returncode == 0
