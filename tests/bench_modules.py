"""The bench scripts the tests drive (the stand-in server, the book generator), loaded once."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load(name: str, filename: str) -> ModuleType:
    """Import ``bench/<filename>`` as ``playbook_bench_<name>`` (once per test session)."""
    module_name = f"playbook_bench_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, BENCH / filename)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


standin = load("standin", "standin_server.py")
generate = load("generate", "generate.py")
