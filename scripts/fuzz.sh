#!/usr/bin/env bash
# make fuzz: builds the libFuzzer targets of tests/fuzz with clang in
# build-fuzz, then runs each for FUZZ_SECONDS on a scratch copy of its
# committed corpus (so the corpus in git never grows by itself), prints what
# each run did, and fails when any run found a crash.
#
#   FUZZ_SECONDS=60          per target
#   FUZZ_TARGETS="http_request json_decoders config event_envelope"
#   FUZZ_PARALLEL=1          targets run at once (each takes one core)
#   FUZZ_NICE=0              niceness of the fuzzers
#   FUZZ_WORK=<new tmp dir>  scratch corpora, logs and crash inputs
#   FUZZ_BUILD_DIR=build-fuzz
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"http_request json_decoders config event_envelope"}
parallel=${FUZZ_PARALLEL:-1}
niceness=${FUZZ_NICE:-0}
build=${FUZZ_BUILD_DIR:-build-fuzz}
work=${FUZZ_WORK:-$(mktemp -d /tmp/shopbox-fuzz.XXXXXX)}
lock=/tmp/shopbox-build.lock  # builds share two cores with everyone else
mkdir -p "$work"

if ! command -v clang++-14 >/dev/null; then
  echo "make fuzz needs clang: apt-get install clang-14 libclang-rt-14-dev" >&2
  exit 2
fi

if [ ! -f "$build/build.ninja" ]; then
  flock "$lock" cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 -DSHOPBOX_FUZZ=ON
fi
binaries=()
for target in $targets; do binaries+=("fuzz_$target"); done
flock "$lock" cmake --build "$build" -j2 --target "${binaries[@]}"

run() {
  local target=$1 dir="$work/$1"
  rm -rf "$dir" && mkdir -p "$dir/corpus"
  cp -r tests/fuzz/corpus/"fuzz_$target"/. "$dir/corpus"
  # A finding stops the run and leaves its input as $dir/crash-<sha1>.
  local status=0
  (cd "$dir" && exec nice -n "$niceness" "$OLDPWD/$build/tests/fuzz/fuzz_$target" corpus \
     -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
     -artifact_prefix="$dir/" >"$dir/log" 2>&1) || status=$?
  echo "$status" >"$dir/exit"
}

summary() {
  local target=$1 dir="$work/$1"
  local execs status line cov ft files bytes findings
  execs=$(grep -o 'number_of_executed_units: [0-9]*' "$dir/log" | grep -o '[0-9]*$' || echo '?')
  line=$(grep -E '^#[0-9]+.*cov: ' "$dir/log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$line" | grep -o '[0-9]*' || echo '?')
  ft=$(grep -o 'ft: [0-9]*' <<<"$line" | grep -o '[0-9]*' || echo '?')
  files=$(find "$dir/corpus" -type f | wc -l)
  bytes=$(du -sb "$dir/corpus" | cut -f1)
  findings=$(find "$dir" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'leak-*' \
               -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
  status=ok
  [ "$(cat "$dir/exit")" -eq 0 ] || status=FAILED
  [ "$findings" -eq 0 ] || status=FOUND
  printf '%-15s %-6s execs=%-10s cov=%-6s ft=%-7s corpus=%s files/%s bytes  findings=%s\n' \
    "$target" "$status" "$execs" "$cov" "$ft" "$files" "$bytes" "$findings"
  [ "$status" = ok ]
}

echo "fuzzing for ${seconds}s per target, $parallel at a time; scratch: $work"
running=0
for target in $targets; do
  run "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then wait -n; running=$((running - 1)); fi
done
wait

failed=0
for target in $targets; do summary "$target" || failed=1; done
if [ "$failed" -ne 0 ]; then
  echo "findings: see $work/<target>/log and reproduce with $build/tests/fuzz/fuzz_<target> <crash file>"
fi
exit "$failed"
