"""Run the benchmarks and write docs/benchmarks.md.

Each module ``bench/bench_*.py`` exposes ``run(quick: bool) -> str`` returning a Markdown section
that shows its measurement beside a baseline measured in the same run. ``--quick`` uses small
data for a smoke run; ``--only NAME`` runs one module and replaces only its own section of the
report, keeping the others (each section is marked ``<!-- bench:NAME -->``). Benchmarks need
PostgreSQL where they say so (``BENCH_DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/satupintu_bench).
"""

import argparse
import datetime as dt
import importlib
import os
import platform
import secrets
import sys
from pathlib import Path

# The benchmarks run with DEBUG off, as production does, so the settings want a SECRET_KEY:
# a throwaway one unless the caller gave one (the servers it starts inherit it).
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    import django

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"- Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- Machine: {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.platform()}\n"
        f"- Python {platform.python_version()}, Django {django.get_version()}\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small data, for a smoke run")
    parser.add_argument("--only", help="run one module, e.g. import")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    modules = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if m == f"bench_{args.only}"]
    # With --only, the other modules' sections of the existing report are kept as they are.
    kept = _sections(Path(args.output)) if args.only and args.output else {}
    sections: dict[str, str] = dict(kept)
    header = (
        "# Benchmarks\n\nMeasured by `make bench` (`python -m bench`); every figure stands "
        "beside a baseline measured in the same run on the same machine.\n\n"
        + machine()
        + (
            "\n_Quick run (small data): figures are a smoke test, not the goals._\n"
            if args.quick
            else ""
        )
        + "\n"
    )
    for name in modules:
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        sections[name] = f"<!-- bench:{name} -->\n" + module.run(quick=args.quick).strip()
        # Written after every module, so a long run that is stopped keeps what it measured.
        text = header + "\n\n".join(sections[key] for key in sorted(sections)) + "\n"
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            print(text)
    if args.output:
        print(f"Ditulis: {args.output}")
    return 0


def _sections(path: Path) -> dict[str, str]:
    """The marked sections of an existing report, by module name."""
    if not path.exists():
        return {}
    found: dict[str, str] = {}
    for chunk in path.read_text(encoding="utf-8").split("<!-- bench:")[1:]:
        name, _, body = chunk.partition(" -->\n")
        found[name] = f"<!-- bench:{name} -->\n" + body.strip()
    return found


if __name__ == "__main__":
    raise SystemExit(main())
