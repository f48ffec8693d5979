# threads-bridge: slim Python, a non-root user, all state on a volume.
#   docker build -t threads-bridge .
#   docker run -d --name threads-bridge \
#     -v threads-bridge-data:/data -v "$PWD/config.toml:/config/config.toml:ro" \
#     -e THREADS_ACCESS_TOKEN -e TELEGRAM_BOT_TOKEN -e DISCORD_BOT_TOKEN \
#     threads-bridge
# In config.toml set [storage] path = "/data/threads-bridge.db".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --create-home --uid 10001 bridge \
    && mkdir /data /config \
    && chown bridge:bridge /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY jobs ./jobs
COPY storage ./storage
RUN pip install .

USER bridge
VOLUME ["/data"]
EXPOSE 9108

# /healthz answers 200 only while polling runs and every chat adapter is connected.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=4); sys.exit(0)"]

ENTRYPOINT ["threads-bridge"]
CMD ["run", "--config", "/config/config.toml", "--health-port", "9108"]
