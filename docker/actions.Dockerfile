# The action server (rasa-sdk, the search and the models); also runs the config step
# (`shopguide rasa-config --ingest`) and, in compose, the Chroma server (`chroma run`, the same
# chromadb version as the client).
# Build from the repository root: docker build -f docker/actions.Dockerfile -t shopguide-actions .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --uid 1001 --create-home shop && mkdir -p /srv/var /srv/chroma && chown shop /srv/var /srv/chroma

# torch from PyTorch's CPU index first: the default index's wheel pulls in CUDA (gigabytes).
# `pip install .` then keeps it (2.13.0+cpu satisfies the project's torch==2.13.0).
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

WORKDIR /app
# constraints.txt: the versions `make setup` installs and the tests ran with
COPY pyproject.toml README.md constraints.txt ./
COPY shopguide shopguide
COPY models models
COPY actions actions
COPY data data
COPY bench bench
RUN pip install -c constraints.txt .
# bot/ is read by the config step (the dialogue model's fingerprint), web/ is named in credentials.yml
COPY bot bot
COPY web web

# PYTHONPATH=/app: the code runs from /app (not site-packages) so that the project root, bot/
# and web/ are where the settings expect them; pip installed the dependencies and the CLI.
ENV PYTHONPATH=/app SHOPGUIDE_VAR_DIR=/srv/var

USER shop
EXPOSE 5055
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
