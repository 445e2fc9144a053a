# EnvMon: the two set-up commands of the README, plus install and tooling.
SWIFT ?= swift
PREFIX ?= /usr/local
APT_PACKAGES = libmosquitto-dev libsqlite3-dev mosquitto mosquitto-clients sqlite3 pkg-config

.PHONY: deps build test demo bench format lint clean

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
test: build
	$(SWIFT) test --skip-build

# A local broker, envmond on the default config, the simulator feeding the Cát Hải network,
# then what an operator looks at. Everything started is stopped on exit.
demo: deps
	$(SWIFT) build
	bash Simulator/demo.sh

bench: deps
	bash Simulator/bench.sh

format:
	$(SWIFT) format -i -r Sources Tests Simulator Package.swift

lint:
	$(SWIFT) format lint -r Sources Tests Simulator

clean:
	rm -rf .build run
