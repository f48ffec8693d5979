# threads-bridge: slim Python, a numeric non-root user, all state on the /data volume.
#   docker build -t threads-bridge .
#   docker run -d --name threads-bridge \
#     -v threads-bridge-data:/data -v "$PWD/config.toml:/data/config.toml:ro" \
#     -e THREADS_ACCESS_TOKEN -e TELEGRAM_BOT_TOKEN -e DISCORD_BOT_TOKEN \
#     threads-bridge
# The configuration sits in /data, and relative paths in it are read from the configuration's
# folder, so the database stays on the volume whatever relative [storage] path it names
# (the default, "threads-bridge.db", is /data/threads-bridge.db). The bridge runs as uid 10001:
# config.toml must be readable by it (chmod 0644, or chown 10001 and chmod 0600 if it holds the
# app secret).
# Signing in (the token is stored in the database; the running bridge picks it up):
#   docker exec -it threads-bridge threads-bridge auth url --config /data/config.toml
#   docker exec -it threads-bridge threads-bridge auth exchange --config /data/config.toml 'URL'
# Prometheus from outside the container: set [server] health_host = "0.0.0.0" (the default,
# 127.0.0.1, answers only inside it, which is enough for the HEALTHCHECK) and add -p 9108:9108.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed numeric uid/gid: Kubernetes' runAsNonRoot can check it, and files on /data have a
# stable owner across image rebuilds.
RUN groupadd --system --gid 10001 bridge \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /data bridge \
    && mkdir /data \
    && chown 10001:10001 /data \
    && chmod 0700 /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY jobs ./jobs
COPY storage ./storage
RUN pip install .

USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 9108

# /healthz answers 200 only while polling runs and every chat adapter is connected.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=4); sys.exit(0)"]

ENTRYPOINT ["threads-bridge"]
CMD ["run", "--config", "/data/config.toml", "--health-port", "9108"]
