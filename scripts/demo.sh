#!/usr/bin/env bash
# Quick start: install, generate a small simulated multi-cloud estate, and run the whole
# pipeline over it in one process. Outputs land in .var/demo/ (ignored by git).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh

estate=".var/demo/estate"
out=".var/demo/out"
rm -rf "$estate" "$out"
npx ciem simulate --out "$estate" --seed 42 --principals 60 --days 14
npx ciem run "$estate" --out "$out"
