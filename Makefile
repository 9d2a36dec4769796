# The two commands a newcomer needs (see README):
#   make serve   install, build the portal and serve it at http://127.0.0.1:8000
#   make test    install, lint and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: serve test build publish lint lock clean system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# npm packages (Decap CMS for /admin/, decap-server), exactly as package-lock.json pins them;
# again whenever the lock changes. npm writes node_modules/.package-lock.json.
node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund
	touch $@

# Bytecode of the portal's own code, again whenever it changes: where Python does not
# write it (PYTHONDONTWRITEBYTECODE) every build would compile ~100 modules (~0.2 s).
PORTAL_SOURCES := $(shell find plugins counter portal_ops -name '*.py' 2>/dev/null)
$(VENV)/.bytecode: $(PORTAL_SOURCES) | $(BIN)/python
	$(BIN)/python -m compileall -q plugins counter portal_ops
	touch $@

serve: $(VENV)/.runtime-installed node_modules/.package-lock.json $(VENV)/.bytecode
	$(BIN)/invoke serve

build: $(VENV)/.runtime-installed node_modules/.package-lock.json $(VENV)/.bytecode
	$(BIN)/invoke build

publish: $(VENV)/.runtime-installed node_modules/.package-lock.json $(VENV)/.bytecode
	$(BIN)/invoke publish

# Debian packages the tests drive for real (Chromium, Redis, nginx), installed if missing.
system-packages:
	bash scripts/system-packages.sh

test: $(VENV)/.dev-installed system-packages node_modules/.package-lock.json
	$(BIN)/invoke test

lint: $(VENV)/.dev-installed
	$(BIN)/invoke lint

# Re-pin after editing requirements*.in (needs the package registry).
lock: | $(BIN)/python
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q -r requirements.in
	{ echo "# Runtime lock: every package the build imports, pinned. Edit requirements.in, then"; \
	  echo "# regenerate with: make lock"; .lock-venv/bin/pip freeze --exclude pip; } > requirements.txt
	.lock-venv/bin/pip install -q -r requirements-dev.in
	{ echo "# Test and lint lock, on top of the runtime lock. Edit requirements-dev.in, then: make lock"; \
	  echo "-r requirements.txt"; .lock-venv/bin/pip freeze --exclude pip | grep -vxFf requirements.txt; } > requirements-dev.txt
	rm -rf .lock-venv

clean:
	rm -rf output .output* cache .pytest_cache
