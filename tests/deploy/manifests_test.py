#!/usr/bin/env python3
"""Issue 7: no Docker engine or cluster runs here, so the deployment files
are checked instead: the Dockerfile's stages, user and build script, every
Kubernetes manifest and the compose file parsed, the fields the probes,
drain and config rely on, and every environment variable they set accepted
by the real binary as a setting.

Usage: manifests_test.py SHOPBOX_BINARY"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def dockerfile():
    text = open(os.path.join(ROOT, "Dockerfile")).read()
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    stages = [line for line in lines if line.startswith("FROM ")]
    check(len(stages) >= 2, "Dockerfile: a build stage and a runtime stage")
    check(all("bookworm" in stage for stage in stages), "Dockerfile: every stage on Debian bookworm")
    check(re.search(r"\./scripts/deps\.sh", text), "Dockerfile: installs with scripts/deps.sh")
    check(os.access(os.path.join(ROOT, "scripts", "deps.sh"), os.X_OK),
          "scripts/deps.sh exists and is executable")
    check(re.search(r"make build\b", text), "Dockerfile: builds with make build, as the README")
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    check(users and users[-1] not in ("root", "0"), "Dockerfile: runs as a non-root user")
    uid = re.search(r"useradd[^\n]*--uid (\d+)", text)
    check(uid, "Dockerfile: the user has a fixed uid (the pod's runAsUser)")
    check("VOLUME /data" in lines, "Dockerfile: /data is the volume")
    check("EXPOSE 8080" in lines, "Dockerfile: EXPOSE 8080")
    check(any(line.startswith("HEALTHCHECK") and '"shopbox", "healthcheck"' in line for line in lines),
          "Dockerfile: HEALTHCHECK through shopbox healthcheck")
    check("STOPSIGNAL SIGTERM" in lines, "Dockerfile: STOPSIGNAL SIGTERM")
    check(any(line.startswith("COPY --from=build") and "build/shopbox" in line for line in lines),
          "Dockerfile: the runtime stage copies the binary from the build stage")
    return int(uid.group(1)) if uid else None


def load(path):
    with open(path) as file:
        return [document for document in yaml.safe_load_all(file) if document]


def kubernetes(uid):
    folder = os.path.join(ROOT, "deploy", "k8s", "sqlite")
    documents = []
    for name in sorted(os.listdir(folder)):
        if name.endswith((".yaml", ".yml")):
            documents += load(os.path.join(folder, name))
    by_kind = {}
    for document in documents:
        by_kind.setdefault(document["kind"], []).append(document)
    config = by_kind["ConfigMap"][0]
    deployment = by_kind["Deployment"][0]
    service = by_kind["Service"][0]
    claim = by_kind["PersistentVolumeClaim"][0]
    settings = config["data"]

    spec = deployment["spec"]
    check(spec["replicas"] == 1, "Deployment: one replica owns the SQLite file")
    check(spec["strategy"]["type"] == "Recreate", "Deployment: Recreate, never two pods on the file")
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    check(spec["selector"]["matchLabels"].items() <= labels.items(), "Deployment: selector matches the pod")
    check(service["spec"]["selector"].items() <= labels.items(), "Service: selector matches the pod")
    check(claim["spec"]["accessModes"] == ["ReadWriteOnce"], "PVC: ReadWriteOnce")

    security = pod["securityContext"]
    check(security.get("runAsNonRoot") is True, "pod: runAsNonRoot")
    check(security.get("runAsUser") == uid, "pod: runAsUser is the Dockerfile's user")
    container = pod["containers"][0]
    check(container["securityContext"].get("allowPrivilegeEscalation") is False,
          "container: no privilege escalation")

    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    check(str(ports.get("http")) == settings.get("SHOPBOX_HTTP_PORT", "8080"),
          "container: the http port is the one shopbox listens on")
    for probe, path in (("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live")):
        get = container.get(probe, {}).get("httpGet", {})
        check(get.get("path") == path and get.get("port") in ("http", ports.get("http")),
              f"container: {probe} on {path}")
    for bound in ("requests", "limits"):
        check({"cpu", "memory"} <= set(container["resources"].get(bound, {})),
              f"container: cpu and memory {bound}")
    drain = int(settings.get("SHOPBOX_HTTP_DRAIN_TIMEOUT_SECONDS", "10"))
    check(pod["terminationGracePeriodSeconds"] > drain + 5,
          "pod: terminationGracePeriodSeconds outlasts the drain and the outbox flush")
    check(any(source.get("configMapRef", {}).get("name") == config["metadata"]["name"]
              for source in container["envFrom"]), "container: the ConfigMap through envFrom")
    check(service["spec"]["ports"][0]["targetPort"] in ("http", ports.get("http")),
          "Service: targets the http port")

    mounts = {mount["name"]: mount["mountPath"] for mount in container["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    data = [name for name, volume in volumes.items()
            if volume.get("persistentVolumeClaim", {}).get("claimName") == claim["metadata"]["name"]]
    check(data and os.path.dirname(settings["SHOPBOX_DATABASE_PATH"]) == mounts.get(data[0]),
          "the database file lies on the claimed volume")

    variables = dict(settings)
    for variable in container.get("env", []):
        variables[variable["name"]] = variable.get("value", "placeholder@example.com")
    return variables


def compose():
    document = load(os.path.join(ROOT, "deploy", "docker-compose.yml"))[0]
    shopbox = document["services"]["shopbox"]
    check(shopbox["build"]["dockerfile"] == "Dockerfile", "compose: builds the Dockerfile")
    check(any(volume.endswith(":/data") for volume in shopbox["volumes"]), "compose: /data on a volume")
    return dict(shopbox["environment"])


def accepted_by_the_binary(binary, variables, origin):
    """The binary refuses an unknown SHOPBOX_ variable or a bad value."""
    with tempfile.TemporaryDirectory() as work:
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        environment.update({name: str(value) for name, value in variables.items()})
        environment["SHOPBOX_DATABASE_PATH"] = os.path.join(work, "shop.db")
        result = subprocess.run([binary, "migrate"], env=environment, capture_output=True,
                                text=True, cwd=work, timeout=60)
        check(result.returncode == 0,
              f"{origin}: shopbox refused its settings: {result.stderr.strip()}")
    check(all(name.startswith("SHOPBOX_") for name in variables),
          f"{origin}: every variable is a SHOPBOX_ setting")


def main():
    binary = os.path.abspath(sys.argv[1])
    uid = dockerfile()
    accepted_by_the_binary(binary, kubernetes(uid), "deploy/k8s/sqlite")
    accepted_by_the_binary(binary, compose(), "deploy/docker-compose.yml")
    for failure in failures:
        print("FAIL:", failure)
    print(f"manifests: {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
