# Guarantee Atlas as a container image: the Streamlit app on port 8501.
#   docker build -t guarantee-atlas .
#   docker run -p 8501:8501 guarantee-atlas
# The app writes nothing to disk at run time (checked by bench/load_run.py), so
# any number of replicas can serve it behind a load balancer with sticky sessions.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first (their layer is reused while only the app changes).
# requirements.txt ends with `-e .`, which needs the package metadata and source.
COPY requirements.txt pyproject.toml ./
COPY src ./src
RUN pip install -r requirements.txt

# The app: entry script, pages, data, static geometry, Streamlit config.
COPY . .
RUN python -m compileall -q src \
    && useradd --create-home --uid 10001 atlas
USER atlas

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"]

# .streamlit/config.toml (copied above) keeps static serving, XSRF protection
# and no usage statistics; the flags below make the container's needs explicit.
# browser.serverAddress only names the URL printed at start-up: without it, a
# server bound to 0.0.0.0 asks checkip.amazonaws.com for its external IP.
CMD ["streamlit", "run", "app.py", \
     "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true", \
     "--server.fileWatcherType=none", "--browser.gatherUsageStats=false", \
     "--browser.serverAddress=localhost"]
