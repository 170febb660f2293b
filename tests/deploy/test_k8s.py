"""deploy/k8s: each overlay builds with kustomize, every document validates against the vendored Kubernetes
and CRD schemas (kubeconform -strict, no schema may be missing), and the policy the issue sets holds: no
container runs as root or can escalate, every container has limits and probes, every Deployment has a
Service, a PodDisruptionBudget and an autoscaler, each service writes only its own topic, the database and
the brokers are replicated as claimed, and only the gateway is exposed."""
import re
import subprocess

import pytest
import yaml

from support import ROOT, secret_settings, services

OVERLAYS = ["dev", "production"]
SCHEMAS = ROOT / "deploy/k8s/schemas"


def kustomize_build(tool, overlay):
    r = subprocess.run([tool("kustomize"), "build", str(ROOT / "deploy/k8s/overlays" / overlay)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def kubeconform(tool, text):
    return subprocess.run(
        [tool("kubeconform"), "-strict", "-summary", "-output", "text",
         "-schema-location", f"{SCHEMAS}/kubernetes/{{{{.ResourceKind}}}}{{{{.KindSuffix}}}}.json",
         "-schema-location", f"{SCHEMAS}/crds/{{{{.Group}}}}/{{{{.ResourceKind}}}}_{{{{.ResourceAPIVersion}}}}.json",
         "-"],
        input=text, capture_output=True, text=True)


@pytest.fixture(scope="module", params=OVERLAYS)
def built(request):
    from conftest import find_tool
    text = kustomize_build(find_tool, request.param)
    return request.param, text, [d for d in yaml.safe_load_all(text) if d]


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_every_document_matches_its_schema(built, tool):
    overlay, text, docs = built
    r = kubeconform(tool, text)
    assert r.returncode == 0, r.stdout + r.stderr
    m = re.search(r"Valid: (\d+), Invalid: (\d+), Errors: (\d+), Skipped: (\d+)", r.stdout)
    assert m and int(m.group(1)) == len(docs) and m.group(4) == "0", r.stdout


def test_kubeconform_rejects_a_bad_custom_resource(built, tool):
    """The CRD schemas are used: a KafkaTopic with a string for replicas, and an unknown Cluster field, fail."""
    _, _, docs = built
    topic = next(d for d in docs if d["kind"] == "KafkaTopic")
    bad_topic = dict(topic, spec=dict(topic["spec"], replicas="three"))
    cluster = next(d for d in docs if d["kind"] == "Cluster")
    bad_cluster = dict(cluster, spec=dict(cluster["spec"], instancez=3))
    for bad in (bad_topic, bad_cluster):
        r = kubeconform(tool, yaml.safe_dump(bad))
        assert r.returncode != 0, r.stdout


def containers(deployment):
    return deployment["spec"]["template"]["spec"]["containers"]


def test_no_container_runs_as_root_or_writes_its_image(built):
    _, _, docs = built
    deployments = by_kind(docs, "Deployment")
    assert set(deployments) == {"gateway", *(s["name"] for s in services())}
    for name, d in deployments.items():
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] >= 1000, name
        assert pod.get("automountServiceAccountToken") is False, name
        for c in containers(d):
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True, name
            assert sc["allowPrivilegeEscalation"] is False, name
            assert sc["capabilities"]["drop"] == ["ALL"], name
            assert not c["image"].endswith(":latest"), name


def test_every_container_has_limits_and_probes(built):
    _, _, docs = built
    for name, d in by_kind(docs, "Deployment").items():
        for c in containers(d):
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"].get(kind, {})), f"{name}: {kind}"
            assert c["readinessProbe"] and c["livenessProbe"], name
    # The services: readiness on /readyz, liveness on /healthz.
    for s in services():
        c = containers(by_kind(docs, "Deployment")[s["name"]])[0]
        assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert c["ports"][0]["containerPort"] == s["port"]


def test_every_deployment_has_a_service_a_pdb_and_an_autoscaler(built):
    _, _, docs = built
    svcs, pdbs, hpas = by_kind(docs, "Service"), by_kind(docs, "PodDisruptionBudget"), by_kind(docs, "HorizontalPodAutoscaler")
    for name, d in by_kind(docs, "Deployment").items():
        labels = d["spec"]["template"]["metadata"]["labels"]
        assert any(s["spec"]["selector"].items() <= labels.items() for s in svcs.values()), name
        assert any(p["spec"]["selector"]["matchLabels"].items() <= labels.items() for p in pdbs.values()), name
        assert any(h["apiVersion"] == "autoscaling/v2" and h["spec"]["scaleTargetRef"]["name"] == name
                   for h in hpas.values()), name
    # Nothing but the Ingress reaches in from outside the cluster.
    assert all(s["spec"].get("type", "ClusterIP") == "ClusterIP" for s in svcs.values())
    ingress = list(by_kind(docs, "Ingress").values())
    assert len(ingress) == 1
    assert ingress[0]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] == "gateway"


def test_each_service_writes_only_its_own_topic(built):
    overlay, _, docs = built
    topics, users = by_kind(docs, "KafkaTopic"), by_kind(docs, "KafkaUser")
    for s in services():
        own = f"homegrown.{s['name']}"
        t = topics[own]
        if overlay == "production":
            assert t["spec"]["replicas"] == 3 and t["spec"]["config"]["min.insync.replicas"] == 2
        acls = users[s["name"]]["spec"]["authorization"]["acls"]
        writes = {a["resource"]["name"] for a in acls if "Write" in a["operations"]}
        assert writes == {own} | ({s["dlq"]} if s["dlq"] else set())
        if s["dlq"]:  # its dead-letter topic: declared, replicated like the others, kept 90 days
            d = topics[s["dlq"]]
            assert d["spec"]["topicName"] == s["dlq"] and d["spec"]["config"]["retention.ms"] == 7776000000
            if overlay == "production":
                assert d["spec"]["replicas"] == 3 and d["spec"]["config"]["min.insync.replicas"] == 2
        reads = {a["resource"]["name"] for a in acls if a["resource"]["type"] == "topic" and "Read" in a["operations"]}
        assert reads == set(s["consumes"])
        env = {e["name"]: e for e in containers(by_kind(docs, "Deployment")[s["name"]])[0]["env"]}
        assert env["HG_KAFKA_SASL_USERNAME"]["value"] == s["name"]
        assert env["HG_KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == s["name"]


def test_database_and_brokers_are_replicated(built):
    overlay, _, docs = built
    cluster = by_kind(docs, "Cluster")["hg-pg"]
    pooler = by_kind(docs, "Pooler")["hg-pg-pooler"]
    assert pooler["spec"]["pgbouncer"]["poolMode"] == "session"
    kafka = by_kind(docs, "Kafka")["hg-kafka"]
    assert kafka["metadata"]["annotations"]["strimzi.io/kraft"] == "enabled"
    assert kafka["spec"]["kafka"]["config"]["auto.create.topics.enable"] is False
    pools = by_kind(docs, "KafkaNodePool")
    assert {r for p in pools.values() for r in p["spec"]["roles"]} == {"broker", "controller"}
    if overlay == "production":
        assert cluster["spec"]["instances"] == 3
        sync = cluster["spec"]["postgresql"]["synchronous"]
        assert sync["number"] >= 1 and sync["dataDurability"] == "required"
        assert by_kind(docs, "ScheduledBackup")
        assert all(p["spec"]["replicas"] >= 3 for p in pools.values())
        assert kafka["spec"]["kafka"]["config"]["min.insync.replicas"] == 2


def test_network_policies_isolate_our_pods(built):
    _, _, docs = built
    pols = by_kind(docs, "NetworkPolicy")
    deny = pols["default-deny"]
    assert set(deny["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny["spec"] and "egress" not in deny["spec"]
    # The services' egress: the pooler on 5432 and the brokers on 9093, nothing else (DNS has its own policy).
    egress = pols["services"]["spec"]["egress"]
    assert sorted(p["port"] for rule in egress for p in rule["ports"]) == [5432, 9093]
    assert all(rule.get("to") for rule in egress)
    # Only the roster reaches out (its SIS syncs), and only HTTPS outside the private ranges.
    outside = [p for p in pols.values() if any("ipBlock" in t for r in p["spec"].get("egress", []) for t in r["to"])]
    assert [p["metadata"]["name"] for p in outside] == ["roster-sis"]
    assert outside[0]["spec"]["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "roster"}
    assert [p["port"] for r in outside[0]["spec"]["egress"] for p in r["ports"]] == [443]


def test_configuration_names_are_ones_the_services_read(built):
    """A typo in a variable name would be ignored by the services: every HG_ name the manifests set must be
    declared in the code (common/config.c, a service's settings table)."""
    _, _, docs = built
    code = "".join(p.read_text() for p in [*ROOT.glob("common/*.c"), *ROOT.glob("services/**/*.c")])
    known = set(re.findall(r'"(HG_[A-Z0-9_]+)"', code))
    used = set()
    for cm in by_kind(docs, "ConfigMap").values():
        used |= {k for k in cm.get("data", {}) if k.startswith("HG_")}
    for d in by_kind(docs, "Deployment").values():
        for c in containers(d):
            used |= {e["name"] for e in c.get("env", []) if e["name"].startswith("HG_")}
    # HG_DB_PASSWORD only feeds HG_DATABASE_URL's $(HG_DB_PASSWORD) in the manifest.
    unknown = used - known - {"HG_DB_PASSWORD"}
    assert not unknown


def test_each_service_gets_its_secrets_from_a_secret(built):
    """Every secret row of a service's configuration table (HG_ROSTER_SECRET_KEY, ...) is listed for it in
    docker/services.list and set in its Deployment from the Secret hg-<name>-secrets; the dev overlay generates
    that Secret (production creates it before the first apply)."""
    overlay, _, docs = built
    deployments = by_kind(docs, "Deployment")
    secrets = by_kind(docs, "Secret")
    assert any(secret_settings(s["name"]) for s in services())  # the check checks something
    for s in services():
        assert secret_settings(s["name"]) == set(s["secrets"]), s["name"]
        env = {e["name"]: e for c in containers(deployments[s["name"]]) for e in c.get("env", [])}
        for var in s["secrets"]:
            ref = env[var]["valueFrom"]["secretKeyRef"]
            assert ref["key"] == var
            assert ref["name"].startswith(f"hg-{s['name']}-secrets")
            if overlay == "dev":
                assert var in secrets[ref["name"]]["data"], (var, ref["name"])
