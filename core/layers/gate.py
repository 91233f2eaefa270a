"""`fromscratch waste --ci`: dive's three CI rules, with dive's defaults, read from flags or
from a dive `.dive-ci` file unchanged (`rules:` with `lowestEfficiency`,
`highestWastedBytes`, `highestUserWastedPercent`, or their kebab-case forms; "disabled"
turns a rule off; byte sizes as dive reads them: `20MB` is 20,000,000, `20MiB` 20,971,520)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from fromscratch.core.files import read_bounded
from fromscratch.core.formats.parse import InputError
from fromscratch.core.layers.waste import Waste

CONFIG_AT_MOST = 1024 * 1024
DISABLED = "disabled"


class Rule(StrEnum):
    LOWEST_EFFICIENCY = "lowestEfficiency"
    HIGHEST_WASTED_BYTES = "highestWastedBytes"
    HIGHEST_USER_WASTED_PERCENT = "highestUserWastedPercent"

    @property
    def kebab(self) -> str:
        return re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), self.value)


DEFAULTS = {
    Rule.LOWEST_EFFICIENCY: "0.9",
    Rule.HIGHEST_WASTED_BYTES: DISABLED,
    Rule.HIGHEST_USER_WASTED_PERCENT: "0.1",
}
"""dive's own defaults (`DefaultCIRules`)."""

UNITS = {
    "": 1, "b": 1,
    "k": 10**3, "kb": 10**3, "ki": 2**10, "kib": 2**10,
    "m": 10**6, "mb": 10**6, "mi": 2**20, "mib": 2**20,
    "g": 10**9, "gb": 10**9, "gi": 2**30, "gib": 2**30,
    "t": 10**12, "tb": 10**12, "ti": 2**40, "tib": 2**40,
}  # fmt: skip


class Verdict(NamedTuple):
    rule: Rule
    setting: str
    passed: bool | None
    """None: the rule is disabled."""
    detail: str

    def line(self) -> str:
        status = "SKIP" if self.passed is None else "PASS" if self.passed else "FAIL"
        return f"{status}: {self.rule.value} ({self.setting})" + (
            f": {self.detail}" if self.detail else ""
        )


def parse_bytes(text: str, rule: Rule) -> int:
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]*)?)\s*([A-Za-z]*)\s*", text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in UNITS:
        raise InputError(f"{rule.value}: {text!r} is not a byte size (as 20MB, 512KiB)")
    return int(float(match.group(1)) * UNITS[unit])


def _ratio(text: str, rule: Rule) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{rule.value}: {text!r} is not a ratio between 0 and 1") from None
    if not 0 <= value <= 1:
        raise InputError(f"{rule.value}: {text} is outside 0-1 (0.95 is 95 %)")
    return value


def read_config(path: Path) -> dict[Rule, str]:
    """The rules a dive `.dive-ci` (or dive config with `ci: rules:`) sets."""
    import yaml

    data = read_bounded(path, CONFIG_AT_MOST, hint="a .dive-ci YAML file")
    try:
        loaded: Any = yaml.safe_load(data)
    except RecursionError:
        raise InputError(f"{path}: YAML nested hundreds of levels deep: not a .dive-ci") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        raise InputError(f"{path}: not valid YAML{line}; a .dive-ci holds `rules:`") from None
    if isinstance(loaded, Mapping) and isinstance(loaded.get("ci"), Mapping):
        loaded = loaded["ci"]
    rules = loaded.get("rules") if isinstance(loaded, Mapping) else None
    if not isinstance(rules, Mapping):
        raise InputError(f"{path}: no `rules:` mapping (a .dive-ci holds `rules:` and its limits)")
    out: dict[Rule, str] = {}
    for rule in Rule:
        for key in (rule.value, rule.kebab):
            value = rules.get(key)
            if value is None:
                continue
            if not isinstance(value, (str, int, float)):  # an alias to a huge list, say
                raise InputError(f"{path}: rules.{key} is not a number or a size")
            out[rule] = str(value).strip()
    return out


def evaluate(result: Waste, settings: Mapping[Rule, str]) -> list[Verdict]:
    """Each rule's verdict; `settings` over dive's defaults."""
    out = []
    for rule in Rule:
        setting = settings.get(rule, DEFAULTS[rule])
        if setting.lower() == DISABLED:
            out.append(Verdict(rule, DISABLED, None, ""))
            continue
        if rule == Rule.LOWEST_EFFICIENCY:
            limit = _ratio(setting, rule)
            ok = result.efficiency >= limit
            detail = f"efficiency {result.efficiency:.4f}" + ("" if ok else f" < {limit}")
        elif rule == Rule.HIGHEST_WASTED_BYTES:
            cap = parse_bytes(setting, rule)
            ok = result.wasted_bytes <= cap
            detail = f"wasted {result.wasted_bytes:,} bytes" + ("" if ok else f" > {cap:,}")
        else:
            limit = _ratio(setting, rule)
            ok = not result.wasted_user_percent > limit
            detail = f"wasted {result.wasted_user_percent:.4f} of the user bytes" + (
                "" if ok else f" > {limit}"
            )
        out.append(Verdict(rule, setting, ok, detail))
    return out
