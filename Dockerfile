# The one image compose.yaml runs as web, relay, worker and beat.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 HELPDESK_VAR_DIR=/app/var
WORKDIR /app
COPY . .
# Editable, so that the templates beside the packages are found where settings.py looks.
RUN pip install -e . \
    && DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --home-dir /app helpdesk \
    && chown -R helpdesk /app/var
USER helpdesk
EXPOSE 8000
