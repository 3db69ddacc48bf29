# The two commands a new user needs: `make run` and `make test`.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2

.PHONY: deps test-deps configure build run test clean

deps:
	./scripts/deps.sh

# What only the tests need: promtool checks a live /metrics scrape, siege
# loads the server through ten hand-overs, kcat reads the Kafka topics,
# postgresql runs private clusters, psycopg2 lets the chaos checks read them.
test-deps:
	./scripts/deps.sh prometheus python3-yaml siege kcat postgresql python3-psycopg2

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE); fi

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	mkdir -p data
	./$(BUILD_DIR)/shopbox serve

test: build test-deps
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

# The chaos harness (docs/reliability.md): SIGKILLs under concurrent
# traffic, then every acknowledged request is checked against the final
# state. CHAOS_SEED replays a run; unset, a random seed is printed.
# CHAOS_FLAGS=--postgres: two replicas on a private PostgreSQL cluster.
CHAOS_DURATION ?= 300
CHAOS_KILLS ?= 50
CHAOS_CONCURRENCY ?= 12
CHAOS_SEED ?=
CHAOS_FLAGS ?=
.PHONY: chaos
chaos: build $(if $(findstring --postgres,$(CHAOS_FLAGS)),test-deps)
	python3 tests/chaos/chaos.py $(BUILD_DIR)/shopbox --duration $(CHAOS_DURATION) \
	  --kills $(CHAOS_KILLS) --concurrency $(CHAOS_CONCURRENCY) $(if $(CHAOS_SEED),--seed $(CHAOS_SEED)) \
	  $(CHAOS_FLAGS)

# Sanitizers (docs/reliability.md): every test under ASan + UBSan in
# build-asan/, then the `concurrency`-labelled ones under TSan in build-tsan/.
.PHONY: test-asan
test-asan: deps test-deps
	JOBS=$(JOBS) ./scripts/test-sanitizers.sh asan tsan

# Only the ASan + UBSan part: what CI runs after `make test`.
.PHONY: test-asan-ubsan
test-asan-ubsan: deps test-deps
	JOBS=$(JOBS) ./scripts/test-sanitizers.sh asan

# wrk far past the server's capacity, with its default limits
# (docs/reliability.md).
.PHONY: overload
overload: build
	./scripts/deps.sh wrk
	bench/overload.sh $(BUILD_DIR)/shopbox

# The benchmark suite (docs/performance.md): a Release build in
# build-release, the server on core 0 and the load on core 1; results in
# bench/results/.
.PHONY: bench
bench: deps
	./scripts/deps.sh wrk nginx-light postgresql
	python3 bench/bench.py

# libFuzzer (docs/reliability.md): the four targets of tests/fuzz built with
# clang-14 in build-fuzz, each run FUZZ_SECONDS on a scratch copy of its corpus.
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz: deps
	./scripts/deps.sh clang-14 libclang-rt-14-dev
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/fuzz.sh

clean:
	rm -rf $(BUILD_DIR)
