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
# The estate also holds grants and ground truth; the activity logs are what `run` reads.
npx ciem run "$estate/aws/cloudtrail" "$estate/azure/activity" "$estate/gcp/audit" --out "$out"
