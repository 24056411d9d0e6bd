# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk fonts-arphic-ukai libharfbuzz-subset0 \
       libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements-bootstrap.txt pyproject.toml uv.lock ./
# The runtime set exactly as uv.lock pins it, every file checked against its hash.
RUN pip install --require-hashes --no-deps -r requirements-bootstrap.txt \
    && uv export --frozen --no-emit-project --no-header --format requirements-txt > /tmp/requirements.txt \
    && pip install --require-hashes --no-deps -r /tmp/requirements.txt
COPY . .
RUN pip install --no-deps -e . \
    && DJANGO_DEBUG=1 python manage.py compilemessages --ignore=.venv \
    && DJANGO_DEBUG=1 STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 portal && mkdir -p /data/private && chown portal /data/private
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--worker-class", "gthread", "--threads", "4", "--timeout", "120"]
