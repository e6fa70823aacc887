#!/bin/sh
# Registers in a Temporal server what the workflows need: the namespace (TEMPORAL_NAMESPACE, default `default`, 30-day
# retention; the server image creates none) and every search attribute they write, with its type. One file for both
# deployments, run on temporalio/admin-tools (its `temporal` CLI reads TEMPORAL_ADDRESS): mounted by
# temporal-compose.yml's `temporal-setup` service, and the ConfigMap kustomize generates from it for the
# afwd-temporal-setup Job (it lives in k8s/ because kustomize reads no file above its folder). Succeeds when everything
# already exists, so it runs on every deploy. The `register` lines must equal SEARCH_ATTRIBUTES of infra/temporal-cli.ts
# (the dev server's --search-attribute): infra/compose.test.ts and k8s/manifests.test.ts check it.
set -eu
: "${TEMPORAL_ADDRESS:?set TEMPORAL_ADDRESS to the Temporal frontend, host:port}"
namespace="${TEMPORAL_NAMESPACE:-default}"

temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$namespace" --retention 30d

# A new namespace reaches every frontend's cache within seconds; two minutes is a server that is not well.
tries=0
until temporal operator search-attribute list --namespace "$namespace" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "namespace $namespace did not become usable on $TEMPORAL_ADDRESS" >&2
    exit 1
  fi
  sleep 2
done

# Creates the attribute, or succeeds when it is there already with this type (a different type is an error to fix).
register() {
  temporal operator search-attribute create --namespace "$namespace" --name "$1" --type "$2" ||
    temporal operator search-attribute list --namespace "$namespace" | grep -Eq "^ *$1 +$2 *$"
}

register AfwdStage Keyword
register AfwdSeasonsDone Int
register AfwdRowsLoaded Int
register AfwdRowsQuarantined Int
echo "namespace $namespace and its search attributes are registered on $TEMPORAL_ADDRESS"
