# recmock as a service container: one process (its state is in memory), port 8000,
# a health check, a non-root user, and a clean stop on SIGTERM.
#   docker build -t recmock . && docker run -p 8000:8000 recmock
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /opt/recmock
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && rm -rf /root/.cache

# nobody:nogroup; nothing in the image needs more.
USER 65534:65534
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/_recmock/health', timeout=2)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["recmock", "serve", "--host", "0.0.0.0", "--port", "8000"]
CMD []
