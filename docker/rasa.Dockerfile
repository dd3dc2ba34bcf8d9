# The Rasa server (NLU, dialogue, our input channels: the web channel is one of them).
# Build from the repository root: docker build -f docker/rasa.Dockerfile -t shopguide-rasa .
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --uid 1001 --create-home shop && mkdir -p /srv/var && chown shop /srv/var

WORKDIR /app
# rasa==3.6.21, jieba (Chinese tokens), segno (the kiosk's QR codes), with the versions `make setup` installs
COPY bot/requirements.txt bot/constraints.txt bot/
RUN pip install -c bot/constraints.txt -r bot/requirements.txt

# Our channels (bot/channels) import a few small modules of shopguide/ (uploads, rate limits,
# privacy: redis and Pillow only); web/ holds the pages the web channel serves.
COPY bot bot
COPY shopguide shopguide
COPY web web
COPY docker/rasa-entrypoint.sh /usr/local/bin/rasa-entrypoint

# PYTHONPATH: credentials.yml names the channel as bot.channels.web_chat.WebChatInput.
# SANIC_PROXIES_COUNT=1: behind one proxy (nginx), the client address is X-Forwarded-For's, so
# the per-address upload limit counts shoppers and not the proxy.
ENV PYTHONPATH=/app \
    SHOPGUIDE_VAR_DIR=/srv/var \
    RASA_TELEMETRY_ENABLED=false \
    RASA_CACHE_DIRECTORY=/srv/var/rasa/cache \
    TF_CPP_MIN_LOG_LEVEL=2 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    SANIC_PROXIES_COUNT=1

USER shop
EXPOSE 5005
ENTRYPOINT ["rasa-entrypoint"]
CMD ["run"]
