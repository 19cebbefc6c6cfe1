# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium
HAPROXY ?= /usr/sbin/haproxy
# make cluster: N replicas on REPLICA_PORT, REPLICA_PORT+1, … behind HAProxy on CLUSTER_PORT
N ?= 3
CLUSTER_PORT ?= 8500
REPLICA_PORT ?= 8511

.PHONY: run test install install-dev a11y-checker chromium haproxy cluster cluster-stop bench data kiel-snapshot locale plotly-bundle clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev a11y-checker

## The accessibility checker the browser tests inject into every page (axe-core, pinned in tests/a11y/package-lock.json)
AXE_JS := tests/a11y/node_modules/axe-core/axe.min.js
$(AXE_JS): tests/a11y/package.json tests/a11y/package-lock.json
	npm ci --prefix tests/a11y --ignore-scripts --no-audit --no-fund
	touch $@

a11y-checker: $(AXE_JS)

## The translation catalogue: extract every message from the code into locale/messages.pot and merge it into
## each language's .po (new messages arrive untranslated; translate them in Poedit, Weblate or a text editor)
LOCALES := uk
locale: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k n_:1,2 -k N_ --project "Guarantee Atlas" --no-wrap --no-location --sort-output --omit-header -o locale/messages.pot .
	@for lang in $(LOCALES); do \
		if [ -f locale/$$lang/LC_MESSAGES/messages.po ]; then \
			$(VENV)/bin/pybabel update -i locale/messages.pot -d locale -l $$lang --no-wrap --ignore-obsolete --no-fuzzy-matching; \
		else \
			$(VENV)/bin/pybabel init -i locale/messages.pot -d locale -l $$lang --no-wrap; \
		fi; \
	done

## plotly.js with only the traces the atlas draws (scatter, bar, choropleth, scattergeo) and the Ukrainian
## locale, built from the npm registry's plotly.js at the version pinned in tools/plotly-bundle/package-lock.json
## (the same plotly.js as the pinned plotly Python package); the app serves the committed file, never fetches it
PLOTLY_BUNDLE := static/plotly-atlas.min.js
plotly-bundle:
	npm ci --prefix tools/plotly-bundle --ignore-scripts --no-audit --no-fund
	cd tools/plotly-bundle && node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --global-name=Plotly \
		--target=es2018 --legal-comments=eof --loader:.css=empty --define:global=window --outfile=../../$(PLOTLY_BUNDLE) \
		"--banner:js=/*! plotly.js v$$(node -p 'require("plotly.js/package.json").version') for Guarantee Atlas (scatter, bar, choropleth, scattergeo; locale uk). Copyright 2012-2026, Plotly, Inc. MIT licence */"
	sha256sum $(PLOTLY_BUNDLE) > $(PLOTLY_BUNDLE).sha256
	@cat $(PLOTLY_BUNDLE).sha256

## Start the app on http://localhost:$(PORT)
run: install
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true

## Debian's chromium for the browser tests (test tools' own browser downloads fail offline)
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "chromium: $$($(CHROMIUM) --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium with apt-get…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's chromium at $(CHROMIUM)." >&2; \
		echo "Install it with: sudo apt-get install chromium   (or set CHROMIUM=/path/to/chromium)" >&2; \
		exit 1; \
	fi

## Debian's haproxy for `make cluster` and the cluster tests
haproxy:
	@if [ -x "$(HAPROXY)" ]; then \
		echo "haproxy: $$($(HAPROXY) -v 2>/dev/null | head -1)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's haproxy with apt-get…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	else \
		echo "make cluster needs Debian's haproxy at $(HAPROXY)." >&2; \
		echo "Install it with: sudo apt-get install haproxy   (or set HAPROXY=/path/to/haproxy)" >&2; \
		exit 1; \
	fi

## N replicas (default 3) behind HAProxy on loopback; the last line printed is the balancer's address
cluster: install haproxy
	@HAPROXY=$(HAPROXY) $(PY) deploy/cluster.py start --replicas $(N) --port $(CLUSTER_PORT) --replica-port $(REPLICA_PORT)

## Stop what `make cluster` started
cluster-stop:
	@$(PY) deploy/cluster.py stop

## The whole suite: unit, AppTest and real-browser tests
test: install-dev chromium haproxy
	CHROMIUM=$(CHROMIUM) HAPROXY=$(HAPROXY) $(PY) -m pytest

## Rebuild data/aid.csv and data/aid_yearly.csv from the pinned Kiel snapshot; print what changed
## (see data/README.md, "How to update to the next Kiel release"; CHANGELOG=… also writes the diff there).
## The snapshot's raw files are not committed: the build takes them from $KIEL_SNAPSHOT_DIR, else
## data/snapshots/kiel/<release>/ (make kiel-snapshot), else ../shared/snapshots/kiel/<release>/,
## checks their sha256 and, if they are missing or changed, stops saying where it looked and how to get them.
data: install
	$(PY) -m guarantee_atlas.kiel_build $(if $(CHANGELOG),--changelog "$(CHANGELOG)")

## Extract the pinned Kiel snapshot's files (gitignored) from a fetched copy of the tracker's repository:
## make kiel-snapshot KIEL_GIT_DIR=<its git dir> KIEL_COMMIT=<the commit in data/snapshots/kiel/<release>.provenance.json>
kiel-snapshot: install
	@test -n "$(KIEL_GIT_DIR)" -a -n "$(KIEL_COMMIT)" || { echo "usage: make kiel-snapshot KIEL_GIT_DIR=<git dir of the fetched tracker repository> KIEL_COMMIT=<sha>" >&2; exit 2; }
	$(PY) -m guarantee_atlas.kiel_build snapshot --git-dir "$(KIEL_GIT_DIR)" --commit "$(KIEL_COMMIT)"

## Benchmarks: print figures (see bench/README.md)
bench: install-dev chromium haproxy
	CHROMIUM=$(CHROMIUM) HAPROXY=$(HAPROXY) $(PY) bench/run_all.py

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .cluster tests/a11y/node_modules
