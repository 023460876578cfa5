# Parley: the two commands that do everything on a fresh machine are
#   make demo   run the bundled demo conversation through the bundled plugins
#   make test   install what is missing, build, and run every test
SWIFT ?= swift
SYSTEM_PACKAGES := liblua5.4-dev lua5.4 pkg-config lua-check libsqlite3-dev

.PHONY: all deps build test test-asan test-tsan lint bench bench-check demo format clean

all: build

# Installs Lua 5.4, SQLite and luacheck when missing: apt-get when root,
# otherwise the exact command to run.
deps:
	@if pkg-config --exists lua5.4 sqlite3 2>/dev/null && command -v luacheck >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "parley: installing $(SYSTEM_PACKAGES)"; \
	  apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null \
	    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; }; \
	else \
	  echo "parley: Lua 5.4, SQLite or luacheck is missing. Install them with:"; \
	  echo "  sudo apt-get install -y $(SYSTEM_PACKAGES)"; \
	  exit 1; \
	fi

build: deps
	$(SWIFT) build

# The PostgreSQL store's tests run against a throwaway server on loopback
# (scripts/with-postgres starts it, and installs postgresql when missing).
test: deps lint
	$(SWIFT) build --build-tests
	PARLEY_REQUIRE_POSTGRES=1 scripts/with-postgres $(SWIFT) test
	$(SWIFT) run parley test plugins --coverage --min-coverage 100
	$(SWIFT) run parley check plugins
	$(SWIFT) run parley test examples/cookbook --coverage --min-coverage 100
	$(SWIFT) run parley check examples/cookbook
	$(SWIFT) run parley test Benchmarks/packs --coverage --min-coverage 100
	$(SWIFT) run parley check Benchmarks/packs
	$(MAKE) bench-check
	$(MAKE) test-asan
	$(MAKE) test-tsan

# The Lua boundary under AddressSanitizer: every longjmp, allocation failure
# and host push is exercised with memory errors made loud. So is the SQLite
# store, whose writer binds values through SQLite's C API.
test-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan-suppressions.txt \
	  $(SWIFT) test --sanitize=address --scratch-path .build-asan --filter "ParleyLuaTests|ParleySQLiteTests"

# The engine, the spec runner and the SQLite store (its cache and group
# commit are shared by the workers and the writer) under ThreadSanitizer.
test-tsan: deps
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan --filter "ParleyTests|ParleyTestingTests|ParleySQLiteTests"

# Rule authors' own linter, with the sandbox's globals (.luacheckrc).
lint: deps
	luacheck plugins examples/cookbook Benchmarks/packs

# The figures: the Lua boundary against the C API, then the engine against a
# bare C host on the same rules and corpus (docs/performance.md).
bench: deps
	$(SWIFT) run -c release LuaBoundaryBenchmark
	$(SWIFT) build -c release --product EngineBenchmark
	scripts/with-postgres sh -c 'PARLEY_BENCH_POSTGRES_URL=$$PARLEY_TEST_POSTGRES_URL $(SWIFT) run -c release EngineBenchmark'

# A short engine benchmark for CI: the C baseline and Parley must reach the
# same verdict counts (the benchmark exits 1 otherwise) and the JSON must
# parse. It asserts no timing.
bench-check: deps
	$(SWIFT) build --product EngineBenchmark
	scripts/with-postgres sh -c '$(SWIFT) run EngineBenchmark --events 20000 --latency-events 5000 \
	  --durable-events 2000 --memory-events 20000 --rounds 2 --postgres "$$PARLEY_TEST_POSTGRES_URL" \
	  --postgres-events 1000 --format json > .build/bench-check.json'
	python3 -c 'import json,sys; r=json.load(open(".build/bench-check.json")); \
	  assert all(p["verdicts_match"] for p in r["packs"]) and len(r["packs"]) == 2, "verdicts differ"; \
	  assert all(len(p["scaling_rounds"]) == 2 and len(p["c_scaling_rounds"]) == 2 for p in r["packs"]), "not every round reported"; \
	  assert r["durable"]["postgres"]["two_hosts_events_per_second"] > 0, "no PostgreSQL figure"; \
	  print("bench-check: verdict counts match, JSON parses, PostgreSQL measured")'

# Plays examples/conversation.jsonl through the plugins in plugins/, keeping
# the data in .parley/demo.db; a second run shows the review queue and a replay.
demo: deps
	$(SWIFT) run ParleyDemo

format:
	$(SWIFT) format -i -r Package.swift Sources Tests Benchmarks

clean:
	rm -rf .build .build-asan .build-tsan
