#!/usr/bin/env python3
"""Issues 7 and 9: no Docker engine or cluster runs here, so the deployment
files are checked instead: the Dockerfile's stages, user and build script,
every Kubernetes manifest and the compose file parsed, the fields the
probes, drain, rolling updates, autoscaling and config rely on, and every
environment variable they set accepted by the real binary as a setting.
The PostgreSQL modes are tried on a private PostgreSQL cluster
(scripts/pg-test-cluster.sh), and the whole shop of deploy/k8s/postgres-kafka
is served from its settings on `shopbox dev kafka`: ready, then stopped by
SIGTERM within the pod's grace period.

Usage: manifests_test.py SHOPBOX_BINARY"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []

# Settings that hold secrets: only ever from a Secret, never in a manifest.
SECRET_SETTINGS = {"SHOPBOX_DATABASE_URL", "SHOPBOX_MODULES_SERVICE_TOKEN",
                   "SHOPBOX_KAFKA_SASL_PASSWORD", "SHOPBOX_PAYMENT_HTTP_API_KEY",
                   "SHOPBOX_IDENTITY_BOOTSTRAP_STAFF_PASSWORD"}
# What stands in for a Secret's value when the settings are tried.
STAND_INS = {"SHOPBOX_MODULES_SERVICE_TOKEN": "a-service-token-of-32-characters",
             "SHOPBOX_IDENTITY_BOOTSTRAP_STAFF_EMAIL": "placeholder@example.com",
             "SHOPBOX_IDENTITY_BOOTSTRAP_STAFF_PASSWORD": "placeholder-password"}
ALL_MODULES = {"identity", "catalog", "stock", "payment", "order", "delivery", "dashboard"}
# PostgreSQL's default max_connections (100) less superuser_reserved_connections (3).
POSTGRES_CONNECTIONS = 97
# The module serving each public path prefix (README, Scaling out); a path
# the OpenAPI document lists and this table does not fails the test.
ROUTE_OWNERS = {"/api/v1/products": {"catalog"}, "/api/v1/stock": {"stock"},
                "/api/v1/users": {"identity"}, "/api/v1/sessions": {"identity"},
                "/api/v1/orders": {"order"}, "/api/v1/payments": {"payment", "order"},
                "/api/v1/deliveries": {"delivery"}, "/api/v1/dashboard": {"dashboard"},
                "/api/v1/webhooks": {"dashboard"}, "/openapi.json": set()}
# Served by every process for its own modules: reached through each Service.
PER_PROCESS_ROUTES = ("/api/v1/events/", "/health/", "/metrics")


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
    check(re.search(r"\blibpq5\b", text), "Dockerfile: the runtime has libpq (database.kind = postgres)")
    check(re.search(r"\blibrdkafka1\b", text), "Dockerfile: the runtime has librdkafka (events.bus = kafka)")
    return int(uid.group(1)) if uid else None


def load(path):
    with open(path) as file:
        return [document for document in yaml.safe_load_all(file) if document]


def folder_documents(name):
    """The documents of deploy/k8s/NAME by kind, as `kubectl apply -f` reads them."""
    folder = os.path.join(ROOT, "deploy", "k8s", name)
    by_kind = {}
    for entry in sorted(os.listdir(folder)):
        if entry.endswith((".yaml", ".yml")):
            for document in load(os.path.join(folder, entry)):
                by_kind.setdefault(document["kind"], []).append(document)
    return by_kind


def named(documents, name):
    found = [document for document in documents if document["metadata"]["name"] == name]
    return found[0] if found else None


def selects(selector, labels):
    return bool(selector) and selector.items() <= labels.items()


def the_pod(origin, deployment, by_kind, uid):
    """The checks every shopbox pod passes, in every mode; returns its
    container, its settings (the ConfigMap's and its env, a Secret's value
    as None) and its http port."""
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    check(selects(spec["selector"]["matchLabels"], labels), f"{origin}: selector matches the pod")

    security = pod.get("securityContext", {})
    check(security.get("runAsNonRoot") is True, f"{origin}: pod runAsNonRoot")
    check(security.get("runAsUser") == uid, f"{origin}: runAsUser is the Dockerfile's user")
    check(len(pod["containers"]) == 1, f"{origin}: one container")
    container = pod["containers"][0]
    check(container.get("securityContext", {}).get("allowPrivilegeEscalation") is False,
          f"{origin}: container without privilege escalation")
    check(container.get("args", ["serve"])[0] == "serve", f"{origin}: the container runs shopbox serve")

    config_names = [source["configMapRef"]["name"] for source in container.get("envFrom", [])
                    if "configMapRef" in source]
    check(config_names, f"{origin}: settings from a ConfigMap through envFrom")
    settings = {}
    for name in config_names:
        config = named(by_kind.get("ConfigMap", []), name)
        if check(config, f"{origin}: its ConfigMap {name} is in the folder"):
            settings.update(config["data"])
    for variable in container.get("env", []):
        if "value" in variable:
            settings[variable["name"]] = variable["value"]
        else:
            check("secretKeyRef" in variable.get("valueFrom", {}),
                  f"{origin}: {variable['name']} set from a Secret, or a value")
            settings[variable["name"]] = None
    # A value in the ConfigMap counts even where env overrides it: it is readable there.
    written = {name for name, value in settings.items() if value is not None}
    for config_name in config_names:
        config = named(by_kind.get("ConfigMap", []), config_name)
        written |= set(config["data"]) if config else set()
    for name in sorted(SECRET_SETTINGS & written):
        check(False, f"{origin}: {name} written in a manifest; it belongs in a Secret")

    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    check(str(ports.get("http")) == settings.get("SHOPBOX_HTTP_PORT", "8080"),
          f"{origin}: the http port is the one shopbox listens on")
    probes = (("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live"),
              ("startupProbe", "/health/live"))
    for probe, path in probes:
        if probe == "startupProbe" and probe not in container:
            continue
        action = container.get(probe, {}).get("httpGet", {})
        check(action.get("path") == path and action.get("port") in ("http", ports.get("http")),
              f"{origin}: {probe} on {path}")
    for bound in ("requests", "limits"):
        check({"cpu", "memory"} <= set(container.get("resources", {}).get(bound, {})),
              f"{origin}: cpu and memory {bound}")

    services = [service for service in by_kind.get("Service", [])
                if selects(service["spec"]["selector"], labels)]
    if check(len(services) == 1, f"{origin}: one Service selects the pod"):
        check(services[0]["spec"]["ports"][0]["targetPort"] in ("http", ports.get("http")),
              f"{origin}: the Service targets the http port")
    return container, settings, ports.get("http")


def stop_seconds(settings):
    """How long shopbox may take from SIGTERM to exit with these settings:
    the shutdown grace, the drain, and on Kafka the last outbox flush."""
    seconds = int(settings.get("SHOPBOX_HTTP_SHUTDOWN_GRACE_SECONDS", "0"))
    seconds += int(settings.get("SHOPBOX_HTTP_DRAIN_TIMEOUT_SECONDS", "10"))
    if settings.get("SHOPBOX_EVENTS_BUS") == "kafka":
        seconds += int(settings.get("SHOPBOX_KAFKA_DELIVERY_TIMEOUT_MS", "10000")) / 1000
    return seconds


def sqlite_mode(uid):
    by_kind = folder_documents("sqlite")
    deployment = by_kind["Deployment"][0]
    claim = by_kind["PersistentVolumeClaim"][0]
    container, settings, _ = the_pod("deploy/k8s/sqlite", deployment, by_kind, uid)

    spec = deployment["spec"]
    check(spec["replicas"] == 1, "sqlite: one replica owns the SQLite file")
    check(spec["strategy"]["type"] == "Recreate", "sqlite: Recreate, never two pods on the file")
    check(claim["spec"]["accessModes"] == ["ReadWriteOnce"], "sqlite: PVC ReadWriteOnce")
    pod = spec["template"]["spec"]
    check(pod["terminationGracePeriodSeconds"] > stop_seconds(settings) + 5,
          "sqlite: terminationGracePeriodSeconds outlasts the drain and the outbox flush")

    mounts = {mount["name"]: mount["mountPath"] for mount in container["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    data = [name for name, volume in volumes.items()
            if volume.get("persistentVolumeClaim", {}).get("claimName") == claim["metadata"]["name"]]
    check(data and os.path.dirname(settings["SHOPBOX_DATABASE_PATH"]) == mounts.get(data[0]),
          "sqlite: the database file lies on the claimed volume")
    return settings


def replicated_mode(folder, uid):
    """A PostgreSQL+Kafka folder: every Deployment in it rolls, scales and
    stops as several stateless replicas do. Returns, per Deployment, its
    name, settings, modules and Service."""
    by_kind = folder_documents(folder)
    check("PersistentVolumeClaim" not in by_kind,
          f"{folder}: no PersistentVolumeClaim (state is in PostgreSQL)")
    check("Secret" not in by_kind, f"{folder}: no Secret in the files (the operator creates them)")
    autoscalers = by_kind.get("HorizontalPodAutoscaler", [])
    budgets = by_kind.get("PodDisruptionBudget", [])
    check(by_kind.get("Deployment"), f"{folder}: a Deployment")
    processes = []
    connections = 0
    for deployment in by_kind.get("Deployment", []):
        name = deployment["metadata"]["name"]
        origin = f"{folder}: {name}"
        container, settings, port = the_pod(origin, deployment, by_kind, uid)
        spec = deployment["spec"]
        pod = spec["template"]["spec"]
        labels = spec["template"]["metadata"]["labels"]

        check(settings.get("SHOPBOX_DATABASE_KIND") == "postgres", f"{origin}: database.kind = postgres")
        check("SHOPBOX_DATABASE_URL" in settings and settings["SHOPBOX_DATABASE_URL"] is None,
              f"{origin}: database.url from a Secret")
        url = [variable for variable in container.get("env", [])
               if variable["name"] == "SHOPBOX_DATABASE_URL"]
        reference = url[0].get("valueFrom", {}).get("secretKeyRef", {}) if url else {}
        check(reference and not reference.get("optional", False),
              f"{origin}: the database.url Secret is required, not optional")
        check(settings.get("SHOPBOX_EVENTS_BUS") == "kafka", f"{origin}: events.bus = kafka")
        check(settings.get("SHOPBOX_KAFKA_BROKERS"), f"{origin}: kafka.brokers set")

        check(spec.get("replicas", 2) >= 2, f"{origin}: two replicas or more")
        check("replicas" not in spec, f"{origin}: no replicas field, which `kubectl apply` would "
                                      "set back over the autoscaler's count")
        strategy = spec.get("strategy", {})
        rolling = strategy.get("rollingUpdate", {})
        check(strategy.get("type") == "RollingUpdate", f"{origin}: RollingUpdate")
        check(rolling.get("maxUnavailable") == 0, f"{origin}: maxUnavailable 0")
        check(rolling.get("maxSurge") == 1, f"{origin}: maxSurge 1")

        grace = pod.get("terminationGracePeriodSeconds", 30)
        check(grace > stop_seconds(settings) + 5,
              f"{origin}: terminationGracePeriodSeconds ({grace}) outlasts the shutdown grace, the "
              f"drain and the last flush to the brokers ({stop_seconds(settings)} s)")
        readiness = container.get("readinessProbe", {})
        dropped = readiness.get("periodSeconds", 10) * readiness.get("failureThreshold", 3)
        check(int(settings.get("SHOPBOX_HTTP_SHUTDOWN_GRACE_SECONDS", "0")) >= dropped,
              f"{origin}: http.shutdown_grace_seconds keeps the listener open until the failing "
              f"readiness probe took the pod out ({dropped} s)")
        check("preStop" not in container.get("lifecycle", {}),
              f"{origin}: no preStop hook (the shutdown grace does its work)")
        check(container.get("securityContext", {}).get("readOnlyRootFilesystem") is True,
              f"{origin}: read-only root file system")
        check(not any("persistentVolumeClaim" in volume for volume in pod.get("volumes", [])),
              f"{origin}: no persistent volume")

        scaling = [hpa for hpa in autoscalers if hpa["spec"]["scaleTargetRef"]["name"] == name]
        if check(len(scaling) == 1, f"{origin}: one HorizontalPodAutoscaler"):
            hpa = scaling[0]
            check(hpa["apiVersion"] == "autoscaling/v2", f"{origin}: HPA autoscaling/v2")
            check(hpa["spec"]["scaleTargetRef"].get("kind") == "Deployment",
                  f"{origin}: the HPA scales the Deployment")
            low, high = hpa["spec"].get("minReplicas", 1), hpa["spec"]["maxReplicas"]
            check(low >= 2 and high >= low, f"{origin}: HPA from 2 replicas up ({low}..{high})")
            cpu = [metric["resource"]["target"] for metric in hpa["spec"].get("metrics", [])
                   if metric.get("type") == "Resource" and metric["resource"]["name"] == "cpu"]
            check(cpu and cpu[0].get("type") == "Utilization"
                  and 0 < cpu[0].get("averageUtilization", 0) <= 100,
                  f"{origin}: HPA on CPU utilization")
            # Old pods, the surge pod, each with its pool and the lease's connection.
            connections += (high + rolling.get("maxSurge", 1)) * (int(
                settings.get("SHOPBOX_DATABASE_POOL_SIZE", "8")) + 1)
            guarding = [pdb for pdb in budgets
                        if selects(pdb["spec"]["selector"]["matchLabels"], labels)]
            if check(len(guarding) == 1, f"{origin}: one PodDisruptionBudget"):
                pdb = guarding[0]
                check(pdb["apiVersion"] == "policy/v1", f"{origin}: PDB policy/v1")
                check(pdb["spec"].get("minAvailable") == 1 and low > 1,
                      f"{origin}: PDB minAvailable 1, below the HPA's minimum")

        args = container.get("args", ["serve"])
        modules = set(args[args.index("--modules") + 1].split(",")) if "--modules" in args \
            else set(ALL_MODULES if settings.get("SHOPBOX_MODULES_RUN", "all") == "all"
                     else settings["SHOPBOX_MODULES_RUN"].split(","))
        service = [service for service in by_kind.get("Service", [])
                   if selects(service["spec"]["selector"], labels)]
        processes.append({"name": name, "settings": settings, "args": args[1:], "modules": modules,
                          "port": port, "service": service[0] if service else None,
                          "grace": grace, "database": reference})
    check(connections <= POSTGRES_CONNECTIONS,
          f"{folder}: {connections} database connections at most, within PostgreSQL's "
          f"default max_connections ({POSTGRES_CONNECTIONS} for applications)")
    selectors = [process["service"]["spec"]["selector"]
                 for process in processes if process["service"]]
    for first in selectors:
        check(sum(selects(first, second) for second in selectors) == 1,
              f"{folder}: the Services select disjoint pods ({first})")
    return processes, by_kind


def postgres_kafka(uid):
    processes, _ = replicated_mode("postgres-kafka", uid)
    check(len(processes) == 1 and processes[0]["modules"] == ALL_MODULES,
          "postgres-kafka: one Deployment of the whole shop")
    return processes[0]


def split(uid):
    """deploy/k8s/postgres-kafka-split: README's three processes, each a
    Deployment on a database of its own, calling each other through their
    Services, behind one Ingress routing by path."""
    folder = "postgres-kafka-split"
    processes, by_kind = replicated_mode(folder, uid)
    run = [process["modules"] for process in processes]
    check(sorted(map(sorted, run)) == sorted(map(sorted, [{"catalog", "stock"},
                                                          {"identity", "order", "payment"},
                                                          {"delivery", "dashboard"}])),
          f"{folder}: catalog+stock, identity+order+payment, delivery+dashboard")
    check(set().union(*run) == ALL_MODULES and sum(map(len, run)) == len(ALL_MODULES),
          f"{folder}: every module runs in exactly one Deployment")
    databases = [(process["database"].get("name"), process["database"].get("key"))
                 for process in processes]
    check(len(set(databases)) == len(databases),
          f"{folder}: each process on a database of its own (one lease row per database)")

    owner_of = {}
    for process in processes:
        for module in process["modules"]:
            owner_of[module] = process
        check("SHOPBOX_MODULES_SERVICE_TOKEN" in process["settings"],
              f"{folder}: {process['name']} has modules.service_token from a Secret")
    for process in processes:
        for module in ALL_MODULES - process["modules"]:
            url = process["settings"].get(f"SHOPBOX_MODULES_{module.upper()}_URL")
            owner = owner_of.get(module)
            if url is None or owner is None:
                continue  # not called from here (the binary checks the ones it needs)
            service = owner["service"]
            port = service["spec"]["ports"][0]["port"] if service else None
            expected = (f"http://{service['metadata']['name']}" + ("" if port == 80 else f":{port}")
                        if service else None)
            check(url == expected, f"{folder}: {process['name']} calls {module} at {url}, "
                                   f"the Service of {owner['name']} is {expected}")

    ingresses = by_kind.get("Ingress", [])
    routes = {}
    if check(len(ingresses) == 1, f"{folder}: one Ingress routing by path"):
        for rule in ingresses[0]["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                routes[path["path"]] = path["backend"]["service"]["name"]
    serving = {process["service"]["metadata"]["name"]: process
               for process in processes if process["service"]}
    for path, service in routes.items():
        check(not path.startswith("/internal"), f"{folder}: the Ingress keeps /internal off")
        owners = ROUTE_OWNERS.get(path)
        if check(owners is not None, f"{folder}: the Ingress routes {path}, which no module owns"):
            check(service in serving and owners <= serving[service]["modules"],
                  f"{folder}: {path} goes to {service}, which runs {sorted(owners)}")
    return processes, routes


def compose():
    document = load(os.path.join(ROOT, "deploy", "docker-compose.yml"))[0]
    shopbox = document["services"]["shopbox"]
    check(shopbox["build"]["dockerfile"] == "Dockerfile", "compose: builds the Dockerfile")
    check(any(volume.endswith(":/data") for volume in shopbox["volumes"]), "compose: /data on a volume")
    return dict(shopbox["environment"])


def environment_of(variables, overrides):
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for name, value in variables.items():
        environment[name] = str(value) if value is not None else STAND_INS.get(name, "placeholder")
    environment.update(overrides)
    return environment


def accepted_by_the_binary(binary, variables, origin, args=(), overrides=None):
    """The binary refuses an unknown SHOPBOX_ variable or a bad value:
    `migrate` with these settings (and a database of the test's) must pass."""
    check(all(name.startswith("SHOPBOX_") for name in variables),
          f"{origin}: every variable is a SHOPBOX_ setting")
    with tempfile.TemporaryDirectory() as work:
        if overrides is None:
            overrides = {"SHOPBOX_DATABASE_PATH": os.path.join(work, "shop.db")}
        result = subprocess.run([binary, "migrate", *args],
                                env=environment_of(variables, overrides),
                                capture_output=True, text=True, cwd=work, timeout=120)
        check(result.returncode == 0, f"{origin}: shopbox refused its settings: {result.stderr.strip()}")
        return result, os.listdir(work)


class PostgresCluster:
    """A private PostgreSQL cluster (scripts/pg-test-cluster.sh) for the
    test's life."""

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="shopbox-manifests.")
        self.state = os.path.join(self.folder, "pg.conf")
        script = os.path.join(ROOT, "scripts", "pg-test-cluster.sh")
        started = subprocess.run([script, "start", self.state], capture_output=True, text=True)
        if started.returncode != 0:
            raise RuntimeError("no PostgreSQL test cluster: " + started.stderr.strip())
        with open(self.state) as file:
            self.conninfo = re.search(r"^conninfo=(.*)$", file.read(), re.M).group(1)
        return self

    def __exit__(self, *error):
        subprocess.run([os.path.join(ROOT, "scripts", "pg-test-cluster.sh"), "stop", self.state],
                       capture_output=True)
        os.rmdir(self.folder)


def postgres_settings_on_the_binary(binary, cluster, process, origin):
    settings = process["settings"]
    # The url comes only from the Secret: without it the start is refused.
    missing = {name: value for name, value in settings.items() if name != "SHOPBOX_DATABASE_URL"}
    with tempfile.TemporaryDirectory() as work:
        refused = subprocess.run([binary, "migrate", *process["args"]],
                                 env=environment_of(missing, {}), capture_output=True, text=True,
                                 cwd=work, timeout=60)
    check(refused.returncode != 0 and "database.url must be set" in refused.stderr,
          f"{origin}: without the Secret's database.url the binary refuses to start "
          f"({refused.stderr.strip()})")
    result, left = accepted_by_the_binary(binary, settings, origin, process["args"],
                                          {"SHOPBOX_DATABASE_URL": cluster.conninfo})
    # (The Kafka client's log lines, about brokers it cannot reach here, may
    # come between the words and the count.)
    check("migrations applied: " in result.stdout,
          f"{origin}: migrated the PostgreSQL database: {result.stdout.strip()}")
    check(left == [], f"{origin}: nothing written beside the process (no SQLite file): {left}")


def get(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return None, b""


def served_and_stopped(binary, cluster, process, origin):
    """The whole shop from the manifest's settings on PostgreSQL and `shopbox
    dev kafka`: ready on the readiness probe's path, then SIGTERM: readiness
    503 while the listener stays open for the shutdown grace, exit 0 within
    terminationGracePeriodSeconds. Returns the OpenAPI document's paths."""
    settings = process["settings"]
    paths = []
    with tempfile.TemporaryDirectory() as work:
        kafka = subprocess.Popen([binary, "dev", "kafka"], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True, cwd=work)
        server = None
        try:
            brokers = kafka.stdout.readline().strip().removeprefix("kafka.brokers=")
            log = open(os.path.join(work, "server.log"), "w+")
            overrides = {"SHOPBOX_DATABASE_URL": cluster.conninfo, "SHOPBOX_KAFKA_BROKERS": brokers,
                         "SHOPBOX_HTTP_PORT": "0", "SHOPBOX_HTTP_HOST": "127.0.0.1"}
            server = subprocess.Popen([binary, *process["args"]],
                                      env=environment_of(settings, overrides),
                                      stdout=log, stderr=subprocess.STDOUT, cwd=work)
            port = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and server.poll() is None:
                log.seek(0)
                found = re.findall(r'"message":"listening".*?"port":(\d+)', log.read())
                if found:
                    port = int(found[-1])
                    if get(f"http://127.0.0.1:{port}/health/ready")[0] == 200:
                        break
                time.sleep(0.1)
            base = f"http://127.0.0.1:{port}"
            if not check(port and get(base + "/health/ready")[0] == 200,
                         f"{origin}: ready on /health/ready with the manifest's settings"):
                log.seek(0)
                print(log.read()[-3000:])
                return paths
            check(get(base + "/health/live")[0] == 200, f"{origin}: live on /health/live")
            status, body = get(base + "/openapi.json")
            if check(status == 200, f"{origin}: serves /openapi.json"):
                paths = list(json.loads(body)["paths"])

            started = time.monotonic()
            server.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            check(get(base + "/health/ready")[0] == 503,
                  f"{origin}: readiness 503 at once after SIGTERM, the listener still open")
            try:
                code = server.wait(timeout=process["grace"] + 5)
            except subprocess.TimeoutExpired:
                code = None
            took = time.monotonic() - started
            check(code == 0, f"{origin}: exit 0 after SIGTERM (got {code})")
            grace = int(settings.get("SHOPBOX_HTTP_SHUTDOWN_GRACE_SECONDS", "0"))
            check(grace <= took < process["grace"],
                  f"{origin}: stopped in {took:.1f} s: after the shutdown grace ({grace} s), within "
                  f"terminationGracePeriodSeconds ({process['grace']} s)")
            print(f"{origin}: ready, then stopped by SIGTERM in {took:.1f} s")
        finally:
            for child in (server, kafka):
                if child and child.poll() is None:
                    child.kill()
                    child.wait()
    return paths


def ingress_covers_the_api(paths, routes):
    """Every public path of the OpenAPI document reaches the process that
    serves it through the split's Ingress."""
    for path in paths:
        if path.startswith(PER_PROCESS_ROUTES):
            continue
        prefixes = [prefix for prefix in routes if path == prefix or path.startswith(prefix + "/")]
        check(prefixes, f"postgres-kafka-split: the Ingress routes no prefix to {path}")


def main():
    binary = os.path.abspath(sys.argv[1])
    uid = dockerfile()
    accepted_by_the_binary(binary, sqlite_mode(uid), "deploy/k8s/sqlite")
    accepted_by_the_binary(binary, compose(), "deploy/docker-compose.yml")
    whole = postgres_kafka(uid)
    processes, routes = split(uid)
    try:
        with PostgresCluster() as cluster:
            postgres_settings_on_the_binary(binary, cluster, whole, "deploy/k8s/postgres-kafka")
            for process in processes:
                postgres_settings_on_the_binary(binary, cluster, process,
                                                f"deploy/k8s/postgres-kafka-split: {process['name']}")
            paths = served_and_stopped(binary, cluster, whole, "deploy/k8s/postgres-kafka")
            check(paths, "the OpenAPI document lists the paths")
            ingress_covers_the_api(paths, routes)
    except RuntimeError as error:
        check(False, str(error))
    for failure in failures:
        print("FAIL:", failure)
    print(f"manifests: {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
