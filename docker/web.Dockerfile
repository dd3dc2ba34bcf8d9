# The public entry: nginx. The web channel itself is a Rasa input channel (bot/channels/web_chat.py)
# and runs inside the Rasa server, so there is no separate web application: this image serves the
# chat page's static files (web/) itself and balances everything else under /webhooks/ across the
# Rasa replicas; a second listener balances the Rasa servers' action calls across the action servers.
# Build from the repository root: docker build -f docker/web.Dockerfile -t shopguide-web .
FROM nginx:1.27-alpine

COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY web /srv/web
EXPOSE 80 5055
