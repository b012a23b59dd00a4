# Daily commands. `make site` and `make test` are the README's quick start.
#
# Everything installs into a project virtual environment, .venv/, made with the
# system's python3; nothing is installed into, or changed in, that interpreter
# (Debian and Ubuntu refuse it anyway: PEP 668, "externally-managed-environment").
PYTHON ?= python3
VENV ?= .venv
VPY := $(VENV)/bin/python
# apt needs root; use sudo only where we are not root already.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get
# Chromium and a Korean font for the browser tests, Java for the HTML checker,
# faketime and git for the reproducibility tests, Node.js for axe-core and vnu-jar.
APT_PACKAGES := chromium fonts-noto-cjk default-jre-headless faketime git

.PHONY: site serve test test-deps lint golden bench clean venv

venv: $(VPY)

$(VPY):
	@# python3-venv is a separate Debian package; without it `python3 -m venv` fails half-way.
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  if command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then \
	    echo "installing python3-venv (apt) so that $(PYTHON) can make .venv/"; \
	    $(APT) update -qq && $(APT) install -y -qq --no-install-recommends python3-venv; \
	  else echo "error: $(PYTHON) cannot make a virtual environment; install it: sudo apt install python3-venv" >&2; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip

site: $(VPY)  ## install the package into .venv/ and build the site into output/
	$(VPY) -m pip install -q -e .
	$(VENV)/bin/sovereign-site build

serve: $(VPY)  ## build, serve on http://127.0.0.1:8000/ and rebuild on change
	$(VENV)/bin/sovereign-site serve

test-deps: $(VPY)  ## everything the tests need: apt packages, npm tools, Python test tools
	$(APT) update -qq
	$(APT) install -y -qq --no-install-recommends $(APT_PACKAGES)
	command -v npm >/dev/null || $(APT) install -y -qq --no-install-recommends nodejs npm
	# axe-core for the accessibility pass and the current Nu HTML Checker jar (run with Java);
	# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime.
	npm install --prefix tests/.node --no-audit --no-fund --ignore-scripts axe-core@4.14.1 vnu-jar@26.9.27
	$(VPY) -m pip install -q -e '.[test]'

test: test-deps  ## install everything the tests need, then run the whole suite
	$(VPY) -m pytest

lint: $(VPY)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy sovereign_site
	$(VENV)/bin/lint-imports

golden: $(VPY)  ## regenerate tests/golden/ after an intended change; the test fails on purpose: review the diff
	-REGENERATE_GOLDEN=1 $(VPY) -m pytest tests/test_golden.py -q -k matches_golden
	git diff --stat -- tests/golden

bench: $(VPY)  ## the benchmark harness (see bench/README.md)
	$(VPY) bench/run.py

clean:  ## generated files only; .venv/ stays (remove it by hand to start afresh)
	rm -rf output .pytest_cache .ruff_cache .mypy_cache test-artifacts
