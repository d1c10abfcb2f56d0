# Two entry points: `make run` (set up, build the index if missing or stale, launch the chat) and
# `make test` (set up, run the whole suite). Both work on a fresh machine with only Python 3.11.
VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test build serve browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@# torch first and pinned: anything else asking for torch then finds it and pulls no CUDA wheels.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,train,milvus,eval]'
	touch $@

build: $(STAMP)
	$(BIN)/medquote build

run: build
	$(BIN)/medquote serve --host 127.0.0.1 --port 7860

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium chromium-driver; fi; }

test: $(STAMP) browser
	$(BIN)/pytest

clean:
	rm -rf $(VENV) index/CURRENT index/builds index/cache .cache
