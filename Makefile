# backlog-lab: the front door.
#   make experiments   build, run every scenarios/*.json, write results/, plots
#                      and results/index.html
#   make compare [A=DIR B=DIR | SETS="DIR1 DIR2 DIR3 ..."] [LABELS="x y z"] [OUT=DIR]
#                      result sets side by side, overlay plots, marked
#                      differences: results/compare/index.html (default: the
#                      reference set for this kernel against results/; with
#                      more than two, each against the first)
#   make test          build and run every test through ctest
#   make bench         the harness's own cost against its peers: one table, exit 1 on
#                      a missed target (bench/run.c; a few minutes; needs root and iperf3)
#   make package       the Debian package, build/backlog-lab_<version>_<arch>.deb (CPack;
#                      `cmake --install build --prefix P` installs the same tree in P)
#   make check-package that package installed with apt-get on a fresh Debian 12 root
#                      (debootstrap) and used there (tests/package/check-deb.sh; root,
#                      the Debian mirror, a minute or two)
#   make deps          install the Debian packages (both targets do it when needed)
#   make plan          the points of every scenario and how long they take (runs nothing)
#   make check-scenarios   validate every scenario (runs nothing)
#   make check-walkthrough [ONLY=s13]
#                      every figure of docs/walkthrough.md checked on this kernel: one line
#                      per claim, holds / differs / skipped (tools/check-walkthrough; root,
#                      about six minutes; ONLY="s2 s13": those sections' claims)
#   make new-scenario NAME=foo [FROM=scenarios/x.json]
#                      start scenarios/foo.json from scenarios/TEMPLATE.json (or x.json)
#   make clean         remove build/ (results/ is kept)
# Options: SCENARIOS="scenarios/a.json ..." BUILD=build CMAKE_FLAGS=...
#          SCENARIO_JOBS=N  scenarios run side by side by make experiments (default:
#          all; their points share the machine's slots, docs/performance.md)
#          BENCH_FLAGS="--repeat 5 --no-suite --only throughput,rate"

BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build programs experiments compare plan check-scenarios check-walkthrough test bench \
	package check-package deps check-deps new-scenario clean

all: build

deps:
	tools/install-deps

check-deps:
	@tools/install-deps --check 2>/dev/null || $(MAKE) --no-print-directory deps

build: check-deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

# what the experiments run: the programs alone, not the tests and benches
PROGRAMS := harness-run harness-server harness-client harness-plot harness-report harness-compare
programs: check-deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) --target $(PROGRAMS) -- --no-print-directory

experiments: programs
	@$(MAKE) --no-print-directory -f Makefile.experiments BUILD=$(BUILD) \
		$(if $(SCENARIOS),SCENARIOS="$(SCENARIOS)") $(if $(SCENARIO_JOBS),SCENARIO_JOBS=$(SCENARIO_JOBS))

compare: programs
	@$(MAKE) --no-print-directory -f Makefile.experiments BUILD=$(BUILD) $(if $(A),A="$(A)") $(if $(B),B="$(B)") $(if $(SETS),SETS="$(SETS)") $(if $(LABELS),LABELS="$(LABELS)") $(if $(OUT),OUT="$(OUT)") compare

plan check-scenarios: programs
	@$(MAKE) --no-print-directory -f Makefile.experiments BUILD=$(BUILD) $(if $(SCENARIOS),SCENARIOS="$(SCENARIOS)") $@

# tests side by side, 4 per CPU: most wait on the kernel's timers; the
# CPU-heavy and the timing-sensitive ones share tests/resources.json
TEST_JOBS ?= $(shell echo $$((4 * $(JOBS))))
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS) \
		--resource-spec-file $(CURDIR)/tests/resources.json

check-walkthrough: programs
	tools/check-walkthrough --build $(BUILD) $(foreach o,$(ONLY),--only $(o))

# iperf3 is the peer of the throughput; installed here, not by make deps
bench: build
	@tools/install-deps --check --bench 2>/dev/null || tools/install-deps --bench
	$(BUILD)/bench/bench-run $(BUILD) $(BENCH_FLAGS)

package: build
	@cmake --build $(BUILD) --target package -- --no-print-directory

# debootstrap is installed here, not by make deps
check-package: build
	@tools/install-deps --check --package 2>/dev/null || tools/install-deps --package
	tests/package/check-deb.sh $(BUILD)

new-scenario:
	@tools/new-scenario "$(NAME)" $(if $(FROM),"$(FROM)")

clean:
	rm -rf $(BUILD)
