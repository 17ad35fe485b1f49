# HallDesk: `make run` serves the demo hall, `make test` runs the whole suite (both databases).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMPS := .make-stamps
PG_PORT ?= 54329
PG_DIR ?= /tmp/halldesk-pg
TEST_PG_URL := postgresql+psycopg://postgres@127.0.0.1:$(PG_PORT)/halldesk_test

# Debian packages: pango for WeasyPrint, a CJK font for Chinese PDFs; tests add chromium,
# PostgreSQL and poppler (pdftotext/pdffonts check the PDFs).
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
TEST_DEBS := $(RUN_DEBS) chromium postgresql poppler-utils

.PHONY: run test setup setup-test serve db demo clean-stamps pg-start pg-stop bench

run: setup db demo serve

setup: $(STAMPS)/debs-run $(STAMPS)/venv $(STAMPS)/npm

setup-test: $(STAMPS)/debs-test $(STAMPS)/venv-test $(STAMPS)/npm

$(STAMPS)/debs-run:
	@mkdir -p $(STAMPS)
	scripts/apt-install.sh $(RUN_DEBS)
	@touch $@

$(STAMPS)/debs-test:
	@mkdir -p $(STAMPS)
	scripts/apt-install.sh $(TEST_DEBS)
	@touch $@

$(VENV)/bin/python:
	python3 -m venv $(VENV) || (scripts/apt-install.sh python3-venv && python3 -m venv $(VENV))
	$(VENV)/bin/pip install --quiet --upgrade pip

$(STAMPS)/venv: requirements.txt $(VENV)/bin/python
	@mkdir -p $(STAMPS)
	$(VENV)/bin/pip install --quiet -r requirements.txt
	@touch $@

$(STAMPS)/venv-test: requirements.txt requirements-test.txt $(VENV)/bin/python
	@mkdir -p $(STAMPS)
	$(VENV)/bin/pip install --quiet -r requirements-test.txt
	@touch $@ $(STAMPS)/venv

# htmx comes from the npm registry (pinned in package-lock.json) and is served by the app itself.
$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS) static/vendor
	npm ci --no-audit --no-fund --loglevel=error
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	@touch $@

db:
	$(FLASK) db upgrade

demo:
	@if $(FLASK) has-people >/dev/null 2>&1; then echo "database already holds people: demo not loaded"; \
	else $(FLASK) demo-data; fi

serve:
	@echo "HallDesk: http://127.0.0.1:5000  (demo accounts: admin, zhiban, zongzhiban, ducha, lingdao, chuangkou, shenji; password hall-demo-2026)"
	@# The background worker (long PDFs) runs beside gunicorn; Ctrl-C, or either one ending, stops both.
	@$(FLASK) worker & worker=$$!; \
	$(VENV)/bin/gunicorn --workers 2 --bind 127.0.0.1:5000 --access-logfile - wsgi:app & web=$$!; \
	trap 'kill -TERM $$web; kill -INT $$worker' INT TERM; \
	wait -n $$worker $$web; kill -TERM $$web 2>/dev/null; kill -INT $$worker 2>/dev/null; wait

test: setup-test pg-start
	$(VENV)/bin/ruff check .
	scripts/test-both.sh $(TEST_PG_URL)

# Not part of make test: loads the portal under gunicorn with wrk and writes bench/RESULTS.md.
bench: setup-test $(STAMPS)/debs-bench
	$(PY) -m bench.run $(BENCH_ARGS)

$(STAMPS)/debs-bench:
	@mkdir -p $(STAMPS)
	scripts/apt-install.sh wrk
	@touch $@

pg-start:
	scripts/pg-test.sh start $(PG_DIR) $(PG_PORT)

pg-stop:
	scripts/pg-test.sh stop $(PG_DIR) $(PG_PORT)
