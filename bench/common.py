"""What every benchmark needs: its own PostgreSQL database and Django set up against it."""

import os


def database_create(url: str) -> None:
    """Create the database named in ``url`` unless it exists (connecting to ``postgres``)."""
    import psycopg
    from dj_database_url import parse
    from psycopg import sql

    cfg = parse(url)
    params = {
        "host": cfg["HOST"] or "127.0.0.1",
        "port": cfg["PORT"] or 5432,
        "user": cfg["USER"] or "postgres",
        "password": cfg["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))


def django_setup(default_url: str) -> None:
    """Point Django at ``BENCH_DATABASE_URL`` (or ``default_url``), creating it, once per process.

    The first benchmark in a process configures Django; later ones in the same process share it.
    """
    import django
    from django.conf import settings

    if not settings.configured:
        os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", default_url)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
        # The benchmarks measure pages, not static files: plain names, no collectstatic.
        os.environ.setdefault("STATIC_MANIFEST", "0")
        database_create(os.environ["DATABASE_URL"])
        django.setup()
