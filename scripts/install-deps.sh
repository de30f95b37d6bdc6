#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than the lock file.
# Sourced by the quick-start scripts so both README commands work on a fresh clone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
marker="$root/node_modules/.package-lock.json"
if [[ ! -f "$marker" || "$root/package-lock.json" -nt "$marker" ]]; then
  echo "Installing npm dependencies (npm ci)..."
  (cd "$root" && npm ci --no-audit --no-fund)
fi
