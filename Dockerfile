# mud: telnet on 4000, SSH on 2222, the browser door on 4080; state (database, host keys)
# in the volume /var/lib/mud.
#   docker build -t mud .
#   docker run -d -p 4000:4000 -p 2222:2222 -p 4080:4080 -v mud-state:/var/lib/mud \
#       -e OPENAI_API_KEY mud
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MUD_STATE_DIR=/var/lib/mud

# A non-editable install: the bundled packs are package data, nothing else is needed.
COPY pyproject.toml README.md /src/
COPY mud /src/mud
COPY content /src/content
RUN pip install /src \
    && rm -rf /src \
    && useradd --system --user-group --home-dir /var/lib/mud --shell /usr/sbin/nologin mud \
    && install -d -o mud -g mud -m 0700 /var/lib/mud

USER mud
WORKDIR /var/lib/mud
VOLUME ["/var/lib/mud"]
EXPOSE 4000 2222 4080

# SIGTERM (docker stop) shuts down cleanly; SIGHUP (docker kill -s HUP) reloads.
STOPSIGNAL SIGTERM
ENTRYPOINT ["mud"]
CMD ["serve"]
