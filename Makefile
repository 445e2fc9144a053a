# EnvMon: the two set-up commands of the README, plus install and tooling.
SWIFT ?= swift
PREFIX ?= /usr/local
# The one package list (scripts/apt-packages), shared with .ci/run and named in the README.
APT_PACKAGES = $(shell sed 's/\#.*//' scripts/apt-packages)

.PHONY: deps build test import-check demo bench bench-postgres alert-latency faults fuzz format lint clean release install uninstall systemd-test transmit-bench web-bench

# Installs the system packages EnvMon builds and tests against (Debian 12), when missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build --build-tests

# Unit and integration tests (real mosquitto on a free loopback port, real SQLite files).
test: build import-check
	$(SWIFT) test --skip-build

# Module boundaries: every import of one of our targets is a declared dependency (SwiftPM's check,
# which prints its error but does not fail the build, hence the grep), and only the store sees
# GRDB, so no caller reaches past the Store interface into SQLite.
import-check:
	$(SWIFT) build --build-tests --explicit-target-dependency-import-check error 2>&1 | tee .build/import-check.log | grep -v "^\s*/.*CMakeLists.txt$$" | grep -e "error:" -e "Build complete" || true
	@! grep -q "without declaring it a dependency" .build/import-check.log
	@if grep -rlE "^(@testable )?(internal |package |public )?import GRDB" Sources Simulator/Sources | grep -v "^Sources/EnvMonStore/"; then \
		echo "import-check: only EnvMonStore may import GRDB (the files above)"; exit 1; fi

# A local broker, envmond on the default config, the simulator feeding the Cát Hải network,
# then what an operator looks at. Everything started is stopped on exit.
demo: deps
	$(SWIFT) build
	bash Simulator/demo.sh

bench: deps
	bash Simulator/bench.sh
	bash Simulator/postgres-bench.sh

# The PostgreSQL figures (~6 min): envmond on PostgreSQL 15 next to psql's COPY of the same rows and
# next to SQLite, two collectors on a shared subscription (kill -9 of one), the alert takeover time.
bench-postgres: deps
	bash Simulator/postgres-bench.sh

# Issue 15's figures: 100 stations' TT 10/2021 files to a real pure-ftpd (delay p50/p99, files per minute).
transmit-bench: deps
	bash Simulator/transmit-bench.sh

# Issue 16's figures: the web console's server time (p99 of 100 requests), 200 wrk connections on
# the overview and its page weight, over 50 sensors with a year of 1-minute data (cached in .build).
web-bench: deps
	bash Simulator/web-bench.sh

# Issue 3's figure: threshold crossing → journal line at 10,000 readings/s (p50/p99).
alert-latency: deps
	bash Simulator/alert-latency.sh

# Issue 7: the long fault suite (broker restart/freeze, kills, power cut, disk full, broken files,
# clock steps, cardinality); rewrites the table in RELIABILITY.md. Root for the disk-full case.
faults: deps
	bash Simulator/faults.sh
	bash Simulator/transmit-outage.sh

# Issue 14: the installed units under a real systemd (PID 1) in a Debian 12 container without the
# Swift toolchain: start, READY, reload, readings, an alert acknowledged by staff, stop, password.
systemd-test: deps
	bash Simulator/systemd-boot.sh

# libFuzzer + AddressSanitizer over every payload decoder and the config loader (FUZZ_SECONDS each).
fuzz:
	bash Fuzz/run.sh all

format:
	$(SWIFT) format -i -r Sources Tests Simulator Package.swift

lint:
	$(SWIFT) format lint -r Sources Tests Simulator
	@for script in Simulator/*.sh scripts/*.sh; do bash -n "$$script" || exit 1; done
	@if command -v shellcheck >/dev/null; then shellcheck Simulator/*.sh scripts/*.sh; \
	else echo "lint: shellcheck not installed, shell scripts only parsed (bash -n)"; fi

clean:
	rm -rf .build run

# --- Install (Debian 12): make release && sudo make install && sudo systemctl enable --now envmond
BINDIR = $(PREFIX)/bin
UNITDIR ?= /etc/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
TMPFILESDIR ?= /usr/lib/tmpfiles.d
CONFDIR ?= /etc/envmon
DOCDIR = $(PREFIX)/share/doc/envmon
BINARIES = envmond envmon envmon-sim
BUILDDIR ?= $(shell $(SWIFT) build -c release --static-swift-stdlib --show-bin-path 2>/dev/null)
# Release builds carry DWARF (~40 % of the file): installed binaries are stripped.
INSTALL_STRIP ?= -s
UNITS = envmond.service envmon-web.service envmon-report.service envmon-report.timer envmon-backup.service envmon-backup.timer

# The Swift runtime and Foundation are linked in (--static-swift-stdlib): a server has no toolchain,
# and the binaries then need only Debian 12's libc, libstdc++, libmosquitto1, libsqlite3-0 and libcurl4.
RELEASE_FLAGS = -c release --static-swift-stdlib
release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product envmond
	$(SWIFT) build $(RELEASE_FLAGS) --product envmon
	$(SWIFT) build $(RELEASE_FLAGS) --product envmon-sim

# Installs what `make release` built. Never overwrites an edited config: a differing shipped
# default is placed beside it as envmon.toml.dist. Units point at $(BINDIR).
install:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
		$(DESTDIR)$(CONFDIR) $(DESTDIR)$(DOCDIR)
	for b in $(BINARIES); do install -m 0755 $(INSTALL_STRIP) $(BUILDDIR)/$$b $(DESTDIR)$(BINDIR)/$$b; done
	for u in $(UNITS); do \
		[ -f systemd/$$u ] || continue; \
		sed 's#/usr/local/bin/#$(BINDIR)/#g' systemd/$$u > $(DESTDIR)$(UNITDIR)/$$u; \
		chmod 0644 $(DESTDIR)$(UNITDIR)/$$u; \
	done
	install -m 0644 systemd/envmon.sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/envmon.conf
	install -m 0644 systemd/envmon.tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/envmon.conf
	for c in envmon.toml indicators.toml mosquitto.conf; do \
		[ -f Config/$$c ] || continue; \
		if [ ! -e $(DESTDIR)$(CONFDIR)/$$c ]; then \
			install -m 0644 Config/$$c $(DESTDIR)$(CONFDIR)/$$c; \
		elif ! cmp -s Config/$$c $(DESTDIR)$(CONFDIR)/$$c; then \
			install -m 0644 Config/$$c $(DESTDIR)$(CONFDIR)/$$c.dist; \
			echo "kept your $(CONFDIR)/$$c; the shipped default is $(CONFDIR)/$$c.dist"; \
		fi; \
	done
	install -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	@if [ -z "$(DESTDIR)" ] && command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then \
		systemd-sysusers envmon.conf 2>/dev/null || systemd-sysusers; \
		systemd-tmpfiles --create $(TMPFILESDIR)/envmon.conf; \
		systemctl daemon-reload; \
	fi

# Removes what install placed, except the config (yours) and the data in /var/lib/envmon.
uninstall:
	for b in $(BINARIES); do rm -f $(DESTDIR)$(BINDIR)/$$b; done
	for u in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$u; done
	rm -f $(DESTDIR)$(SYSUSERSDIR)/envmon.conf $(DESTDIR)$(TMPFILESDIR)/envmon.conf
	rm -f $(DESTDIR)$(CONFDIR)/*.dist
	rm -rf $(DESTDIR)$(DOCDIR)
	@echo "kept $(CONFDIR) (your configuration) and /var/lib/envmon (your data)"
