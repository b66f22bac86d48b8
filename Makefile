# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint e2e package publish bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# Debian's chromium and CJK fonts, for the browser tests and Lighthouse; ClamAV's scanner,
# for the materials' malware scan (the tests load the signatures in infra/clamav/).
.PHONY: .system-deps
.system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 || \
	    ! command -v clamscan >/dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk \
	    clamav; \
	fi
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }

# `make run` scans uploads too: without clamscan no material would ever open.
.PHONY: .clamav
.clamav:
	@command -v clamscan >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq clamav; }

run: $(VENV)/.installed .clamav
	PORT=$(PORT) $(PY) -m infra.local --port $(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# The emulator-backed tests on both cores (each worker has its own emulator; a file stays on
# one worker, in order), then the browser tests on their own: they time what a person sees.
UNIT_TESTS := tests/core tests/hall tests/identity tests/intake tests/licences tests/push \
              tests/pages tests/supervision tests/infra tests/faults tests/contract
test: $(VENV)/.installed .system-deps lint
	$(PY) -m pytest -q -n 2 --dist loadfile $(UNIT_TESTS)
	$(PY) -m pytest -q tests/e2e

e2e: $(VENV)/.installed .system-deps
	$(PY) -m pytest -q tests/e2e

package: $(VENV)/.installed
	bash infra/package.sh

# The PWA to a deployed stage's site bucket and CDN (infra/publish_pwa.py); STAGE is required.
publish: $(VENV)/.installed
	@[ -n "$(STAGE)" ] && [ "$(STAGE)" != local ] || \
	  { echo "usage: make publish STAGE=<deployed stage> [REGION=<region>]" >&2; exit 2; }
	$(PY) -m infra.publish_pwa --stage $(STAGE) $(if $(REGION),--region $(REGION))

# Every bench runs (a miss does not stop the others); bench/report.py writes their figures,
# the date and the machine into bench/README.md, then fails when one exited non-zero.
BENCH_RUN := $(PY) bench/report.py run
bench: $(VENV)/.installed .system-deps
	rm -rf bench/out
	-$(BENCH_RUN) coldstart -- $(PY) bench/coldstart.py
	-$(BENCH_RUN) search -- $(PY) bench/search.py
	-$(BENCH_RUN) recommend -- $(PY) bench/recommend.py
	-$(BENCH_RUN) page -- $(PY) bench/page.py
	-$(BENCH_RUN) fanout -- $(PY) bench/fanout.py
	-$(BENCH_RUN) reconcile -- $(PY) bench/reconcile.py
	-$(BENCH_RUN) load -- $(PY) bench/load.py --check
	-$(BENCH_RUN) soak -- $(PY) bench/soak.py --minutes $(or $(SOAK_MINUTES),10)
	-$(BENCH_RUN) lighthouse -- bash bench/lighthouse.sh
	-$(BENCH_RUN) weaknet -- $(PY) bench/weaknet.py --check
	$(PY) bench/report.py write

clean:
	rm -rf $(VENV) .venv-package dist .pytest_cache
