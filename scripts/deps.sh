#!/usr/bin/env bash
# Installs the Debian packages shopbox needs to build and test, and nothing
# when they are all present (not even `apt-get update`), so `make` stays fast.
# Packages named as arguments are needed too (make fuzz: clang; make
# overload: wrk).
set -euo pipefail

packages=(
  cmake ninja-build ccache g++ make pkg-config curl python3
  libboost1.81-dev libboost-json1.81-dev
  libsqlitecpp-dev libsqlite3-dev sqlite3
  libfmt-dev doctest-dev libsodium-dev libtomlplusplus-dev libssl-dev librdkafka-dev libpq-dev
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "scripts/deps.sh: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
