"""The real arrows stay visible (issue 15 item 8): no module imports another module's private
(underscore) names, and an import inside a function says in a comment why it is not at the top.

import-linter (``make test``) keeps the layers; this keeps what it cannot see.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = [
    "accounts", "api", "collaboration", "competency", "distribution", "framework", "imports",
    "incentives", "jobs", "logbook", "regions", "registry", "satupintu",
]  # fmt: skip


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


def test_no_module_imports_a_private_name_of_another():
    # when
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.module}.{alias.name}"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    # then
    assert not found, "Nama privat dipakai lintas modul; jadikan publik: " + "; ".join(found)


def test_an_import_inside_a_function_says_why():
    # when: an import in a function body whose line (or the one above) has no comment
    unexplained = []
    for path, tree in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    here = lines[node.lineno - 1]
                    # the comment may stand above a run of imports
                    above = node.lineno - 2
                    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
                        above -= 1
                    said = above >= 0 and lines[above].strip().startswith("#")
                    if "#" not in here and not said:
                        unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    # then
    assert not unexplained, (
        "Impor di dalam fungsi tanpa alasan (pindahkan ke atas modul atau tulis alasannya): "
        + ", ".join(unexplained)
    )
