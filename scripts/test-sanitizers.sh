#!/usr/bin/env bash
# Builds and runs the tests under sanitizers, each in its own build directory:
#   asan  every CTest entry (the e2e scripts' shopbox binary too) under
#         AddressSanitizer + UndefinedBehaviorSanitizer, in build-asan/
#   tsan  the tests labelled `concurrency` under ThreadSanitizer, in build-tsan/
# Usage: scripts/test-sanitizers.sh [asan] [tsan]   (both when none is named)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${JOBS:-2}

# Every process writes its reports into a folder of its own: a shopbox server
# that an e2e script kills or whose output it discards would otherwise take
# its finding with it. Any report there fails the run.
check_reports() {
  local dir=$1 name=$2
  if compgen -G "$dir/*" >/dev/null; then
    for report in "$dir"/*; do
      echo "=== $name report: $report" >&2
      cat "$report" >&2
    done
    echo "$name: findings above" >&2
    return 1
  fi
}

# part NAME SANITIZERS CTEST-ARGS...: configure, build and test one build dir.
part() {
  local name=$1 sanitize=$2; shift 2
  local dir=build-$name reports
  reports=$root/$dir/sanitizer-reports
  # Debug keeps assertions on; -O1 keeps sanitized runs quick with exact stacks.
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
      -DSHOPBOX_SANITIZE="$sanitize"
  fi
  local start=$SECONDS
  cmake --build "$dir" -j "$jobs"
  echo "$name: built in $((SECONDS - start)) s" >&2
  rm -rf "$reports"
  mkdir -p "$reports"
  start=$SECONDS
  local status=0
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" --timeout 900 "$@" || status=$?
  echo "$name: tests ran in $((SECONDS - start)) s" >&2
  check_reports "$reports" "$name" || status=1
  return $status
}

asan() {
  ASAN_OPTIONS="log_path=$root/build-asan/sanitizer-reports/asan:detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1" \
  UBSAN_OPTIONS="log_path=$root/build-asan/sanitizer-reports/ubsan:print_stacktrace=1:halt_on_error=1" \
    part asan address,undefined
}

tsan() {
  TSAN_OPTIONS="log_path=$root/build-tsan/sanitizer-reports/tsan:halt_on_error=1:second_deadlock_stack=1" \
    part tsan thread -L concurrency
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(asan tsan)
for name in "${parts[@]}"; do
  case $name in
    asan | tsan) "$name" ;;
    *) echo "usage: $0 [asan] [tsan]" >&2; exit 2 ;;
  esac
done
