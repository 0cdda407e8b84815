#!/usr/bin/env bash
# The project's test command: installs the optional strict readers
# (libvips, ImageMagick) when it can, then runs every package's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-tools.sh
go test -count=1 ./...
