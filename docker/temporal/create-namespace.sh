#!/bin/sh
# One-shot job on the temporalio/admin-tools image: registers the namespace silvertrace uses,
# once (an existing namespace is left as it is). Retention is how long Temporal keeps the history
# of a request after its workflow closed: set it to your record-keeping rules (default 365 days).
set -eu
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-8760h}"
HOST="${TEMPORAL_ADDRESS%%:*}"
PORT="${TEMPORAL_ADDRESS##*:}"
# As Temporal's own compose files do: give the CLI the resolved address, not the service name.
IP="$(getent ahosts "$HOST" | awk '/STREAM/ { print $1; exit }')"
ADDRESS="${IP:-$HOST}:${PORT}"

tries=0
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || { echo "Temporal at ${TEMPORAL_ADDRESS} is not healthy"; exit 1; }
  sleep 2
done
if temporal operator namespace describe --namespace "$NAMESPACE" --address "$ADDRESS" >/dev/null 2>&1; then
  echo "namespace ${NAMESPACE} exists"
else
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$ADDRESS"
  echo "namespace ${NAMESPACE} created (retention ${RETENTION})"
fi
