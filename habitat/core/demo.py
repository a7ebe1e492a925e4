"""Demo data: each app may have a `demo` module with `build(context)` and
`remove()`. `setup_portal` runs the builders in INSTALLED_APPS order through
the same services as the site; `remove_demo_data` runs the removers in reverse.
"""

import importlib
import importlib.util
import random
from dataclasses import dataclass, field

from django.apps import apps

DEMO_PASSWORD = "demo-habitat-2026"  # noqa: S105 - published demo login
DEMO_DOMAIN = "demo.habitat-ensemble.example"


@dataclass
class DemoContext:
    """What builders share: a seeded random and what earlier builders made."""

    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    data: dict = field(default_factory=dict)
    log: list = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)


def demo_modules():
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("habitat."):
            continue
        name = f"{config.name}.demo"
        if config.name != "habitat.core" and importlib.util.find_spec(name):
            modules.append(importlib.import_module(name))
    return modules


def build_all() -> DemoContext:
    context = DemoContext()
    for module in demo_modules():
        module.build(context)
    return context


def remove_all() -> None:
    for module in reversed(demo_modules()):
        module.remove()
