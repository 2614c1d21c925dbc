# The two commands of the README, and a few helpers. dev/harness.py does the work. When python3
# cannot import Odoo 19.0 (and ODOO_PYTHON is not set), `make test` and `make demo` set it up once
# in .venv/ from ODOO_SOURCE (dev/bootstrap.py) and run there.
PYTHON ?= python3
PORT ?= 8069

.PHONY: test demo push push-imap test-odoo bench lint pot help

help:
	@echo "make test               run every test and linter (fresh database, real Odoo)"
	@echo "make demo [PORT=8069]   Odoo with the addon and demo data on a throwaway database"
	@echo "make push EML=file.eml  deliver a raw email to the running demo's mail gateway"
	@echo "make push-imap EML=file.eml [TO=ines|marco] [FOLDER=INBOX|Sent]"
	@echo "                        put a raw email in a demo mailbox and sync it onto its lead"
	@echo "make test-odoo T=...    run chosen Odoo tests, e.g. T=mail_lead_capture/tests/test_install.py"
	@echo "make bench              run the benchmarks (ratios against stock Odoo, same run)"
	@echo "                        (B=mailbox BENCH_ARGS='--skip-stock' for one, with its options)"
	@echo "make pot                rewrite the translation template after changing a string"

test:
	$(PYTHON) dev/harness.py test

demo:
	$(PYTHON) dev/harness.py demo --port $(PORT)

push:
	@test -n "$(EML)" || { echo "error: give the email to deliver: make push EML=path/to/message.eml"; exit 1; }
	$(PYTHON) dev/harness.py push "$(EML)" $(if $(TO),--to "$(TO)")

push-imap:
	@test -n "$(EML)" || { echo "error: give the email to put in a demo mailbox: make push-imap EML=path/to/message.eml [TO=ines|marco]"; exit 1; }
	$(PYTHON) dev/harness.py push-imap "$(EML)" $(if $(TO),--to "$(TO)") $(if $(FOLDER),--folder "$(FOLDER)")

test-odoo:
	$(PYTHON) dev/harness.py pytest $(T)

lint:
	$(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check . && $(PYTHON) -m pylint --rcfile=.pylintrc mail_lead_capture mail_lead_capture_gmail mail_lead_capture_outlook

bench:
	$(PYTHON) dev/harness.py bench $(B)

pot:
	$(PYTHON) dev/harness.py pot
