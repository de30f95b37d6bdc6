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
# The activity logs are what `run` reads; the grant exports (AWS authorization details,
# Azure role assignments and definitions, GCP IAM policies and roles) feed right-sizing.
npx ciem run "$estate/aws/cloudtrail" "$estate/azure/activity" "$estate/gcp/audit" \
  --grants "$estate"/aws/*/iam "$estate"/azure/role-*.json "$estate/gcp/iam-policies.ndjson" \
  "$estate/gcp/resources.ndjson" "$estate/gcp/roles.json" \
  --out "$out"
