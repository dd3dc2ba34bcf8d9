#!/bin/sh
# The Rasa container's entrypoint.
#   train: train the dialogue model named by the config step, unless it is already cached
#   run:   serve it (web channel and REST) with the generated endpoints and credentials
# The config step (`shopguide rasa-config --ingest`, in the action image) writes endpoints.yml,
# credentials.yml, model-name and the catalogue vocabulary into $SHOPGUIDE_VAR_DIR/rasa.
set -eu
VAR="${SHOPGUIDE_VAR_DIR:-/srv/var}"
RASA_DIR="$VAR/rasa"
MODELS="${SHOPGUIDE_RASA_MODELS_DIR:-$RASA_DIR/models}"

for file in endpoints.yml credentials.yml model-name; do
  if [ ! -f "$RASA_DIR/$file" ]; then
    echo "missing $RASA_DIR/$file: run the config step first (shopguide rasa-config --ingest)" >&2
    exit 1
  fi
done
NAME="$(cat "$RASA_DIR/model-name")"
MODEL="$MODELS/$NAME.tar.gz"

case "${1:-run}" in
  train)
    if [ -f "$MODEL" ]; then
      echo "dialogue model $MODEL is up to date"
      exit 0
    fi
    DATA="bot/data"
    if [ -d "$RASA_DIR/generated" ]; then DATA="$DATA $RASA_DIR/generated"; fi
    # shellcheck disable=SC2086  # DATA is a list of folders
    exec rasa train --config bot/config.yml --domain bot/domain.yml --data $DATA \
      --out "$MODELS" --fixed-model-name "$NAME"
    ;;
  run)
    if [ ! -f "$MODEL" ]; then
      echo "no trained model $MODEL: run the train step first (rasa-entrypoint train)" >&2
      exit 1
    fi
    # pages on other origins that may embed the widget: SHOPGUIDE_CORS_ORIGINS='["https://shop.example"]'
    CORS=$(python -c 'import json, os; print(" ".join(json.loads(os.environ.get("SHOPGUIDE_CORS_ORIGINS") or "[]")))')
    exec rasa run --model "$MODEL" --endpoints "$RASA_DIR/endpoints.yml" \
      --credentials "$RASA_DIR/credentials.yml" --interface 0.0.0.0 --port "${SHOPGUIDE_RASA_PORT:-5005}" \
      --logging-config-file bot/logging.yml ${CORS:+--cors $CORS}
    ;;
  *)
    exec "$@"
    ;;
esac
