# Daily commands. `make site` and `make test` are the README's quick start.
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
# apt needs root; use sudo only where we are not root already.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := chromium fonts-noto-cjk default-jre-headless

.PHONY: site serve test test-deps lint golden bench clean

site:  ## install the package and build the site into output/
	$(PIP) install -e .
	sovereign-site build

serve:  ## build, serve on http://127.0.0.1:8000/ and rebuild on change
	sovereign-site serve

test-deps:  ## Chromium and a Korean font for the browser tests, Java for the HTML checker, Python test tools
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES)
	command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm
	# axe-core for the accessibility pass and the current Nu HTML Checker jar (run with Java);
	# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime.
	npm install --prefix tests/.node --no-audit --no-fund --ignore-scripts axe-core@4.14.1 vnu-jar@26.9.27
	$(PIP) install -e '.[test]'

test: test-deps  ## install everything the tests need, then run the whole suite
	$(PYTHON) -m pytest

lint:
	ruff check .
	ruff format --check .
	mypy sovereign_site

golden:  ## regenerate tests/golden/ after an intended change; review the diff
	REGENERATE_GOLDEN=1 $(PYTHON) -m pytest tests/test_golden.py -q

bench:  ## the benchmark harness (see bench/README.md)
	$(PYTHON) bench/run.py

clean:
	rm -rf output .pytest_cache .ruff_cache .mypy_cache test-artifacts
