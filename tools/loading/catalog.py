"""The customer's offer catalog: what an account can buy more of.

Loaded from YAML (`items:` list, or a bare list; an optional top-level
`currency` is the default for items that do not name one) or CSV (columns
id, name, type, price, price_unit, currency, for_plans, target_plan, unit,
features, answers, max_discount_pct, description; list cells `;`-separated).
Offer types accept the words people use ("more seats", "add-on",
"implementation", "multi year renewal"...). Every problem names the item
(row or index, and id when known), the field and the value.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError, model_validator

from playbook.examples import DEFAULT_CATALOG
from playbook.tools.loading.headers import normalize_header
from playbook.tools.loading.values import parse_number, split_list
from playbook.tools.models.account import CatalogItem
from playbook.tools.vocab import OfferType

__all__ = [
    "CatalogError",
    "OfferCatalog",
    "default_catalog",
    "load_catalog",
    "normalize_offer_type",
]

DEFAULT_CATALOG_PATH = DEFAULT_CATALOG

_TYPE_WORDS: dict[OfferType, tuple[str, ...]] = {
    OfferType.CAPACITY: (
        "capacity", "capacity expansion", "seats", "seat", "more seats", "additional seats",
        "extra seats", "licenses", "volume", "more volume", "usage", "capacity upgrade",
    ),
    OfferType.TIER_UPGRADE: (
        "tier_upgrade", "tier upgrade", "upgrade", "plan upgrade", "edition upgrade",
        "higher tier", "tier", "upsell",
    ),
    OfferType.CROSS_SELL: (
        "cross_sell", "cross-sell", "cross sell", "add-on", "addon", "add-on module",
        "module", "adjacent product", "new product", "new product line", "other product",
    ),
    OfferType.PROFESSIONAL_SERVICES: (
        "professional_services", "professional services", "services", "service",
        "implementation", "training", "consulting", "onboarding", "ps", "migration",
    ),
    OfferType.MULTI_YEAR: (
        "multi_year", "multi-year", "multi year", "multi year renewal", "multi-year renewal",
        "multiyear", "multi-year deal", "multi-year contract", "multi-year commitment",
    ),
}
_TYPE_INDEX: dict[str, OfferType] = {
    normalize_header(word): offer_type
    for offer_type, words in _TYPE_WORDS.items()
    for word in words
}

_LIST_FIELDS = ("for_plans", "features", "answers")
_TEXT_FIELDS = ("id", "name", "price_unit", "target_plan", "unit", "description")
_FIELDS = frozenset(CatalogItem.model_fields)


class CatalogError(ValueError):
    """The catalog cannot be used; `problems` lists each one (item, field, value, why)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def normalize_offer_type(value: Any) -> OfferType:
    """Map an offer-type word ("more seats", "add-on", "training"...) to an `OfferType`.

    Raises ValueError naming the accepted types.
    """
    if isinstance(value, OfferType):
        return value
    offer_type = _TYPE_INDEX.get(normalize_header(str(value)))
    if offer_type is None:
        raise ValueError(
            "unknown offer type; use one of " + ", ".join(t.value for t in OfferType)
        )
    return offer_type


class OfferCatalog(BaseModel):
    """The catalog items, with the look-ups the offer chooser needs."""

    items: list[CatalogItem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> OfferCatalog:
        """Refuse two items with one id."""
        seen: set[str] = set()
        dupes: set[str] = set()
        for item in self.items:
            (dupes if item.id in seen else seen).add(item.id)
        if dupes:
            raise ValueError(f"duplicate catalog item id(s): {', '.join(sorted(set(dupes)))}")
        return self

    def get(self, item_id: str) -> CatalogItem | None:
        """Return the item with this id, or None."""
        return next((i for i in self.items if i.id == item_id), None)

    def by_type(self, offer_type: OfferType | str, plan: str | None = None) -> list[CatalogItem]:
        """Items of one offer type (aliases accepted), in catalog order.

        With `plan`, only items sellable to that plan (empty `for_plans` = any
        plan; plan names compared case-insensitively).
        """
        wanted = normalize_offer_type(offer_type)
        return [i for i in self.items if i.type == wanted and _sold_to(i, plan)]

    def for_plan(self, plan: str | None) -> list[CatalogItem]:
        """Items that can be sold to an account on `plan` (all items when plan is None)."""
        return [i for i in self.items if _sold_to(i, plan)]

    def ids(self) -> list[str]:
        """Item ids in catalog order."""
        return [i.id for i in self.items]


def _sold_to(item: CatalogItem, plan: str | None) -> bool:
    """Whether the item may be offered to an account on `plan`."""
    if plan is None or not item.for_plans:
        return True
    key = plan.strip().casefold()
    return any(p.strip().casefold() == key for p in item.for_plans)


def _shown(value: Any) -> str:
    """Show a value as given, for messages."""
    return repr(value) if isinstance(value, str) else str(value)


def _clean_item(raw: Mapping[str, Any], default_currency: str | None) -> tuple[dict[str, Any],
                                                                                list[str]]:
    """Normalize one raw item; return the data and (field, value, why) problems."""
    data: dict[str, Any] = {}
    problems: list[str] = []

    def bad(field: str, value: Any, why: str) -> None:
        problems.append(f"field {field}, value {_shown(value)}: {why}")

    for key, value in raw.items():
        field = str(key).strip().lower().replace(" ", "_")
        if field not in _FIELDS:
            continue  # unknown keys (comments, owner...) are ignored
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            if field in _LIST_FIELDS:
                data[field] = split_list(value)
            elif field == "type":
                data[field] = normalize_offer_type(value)
            elif field == "price":
                price = parse_number(value)
                if price is not None and price < 0:
                    raise ValueError("must not be negative")
                if price is not None:
                    data[field] = price
            elif field == "max_discount_pct":
                pct = parse_number(value)
                if pct is not None and not 0 <= pct <= 100:
                    raise ValueError("must be 0-100")
                if pct is not None:
                    data[field] = pct
            elif field == "currency":
                code = str(value).strip().upper()
                if len(code) != 3 or not code.isalpha():
                    raise ValueError("expected a 3-letter currency code like USD")
                data[field] = code
            elif field in _TEXT_FIELDS:
                if isinstance(value, list | dict):
                    raise ValueError("expected text")
                text = str(value).strip()
                if field == "id" and isinstance(value, float) and value.is_integer():
                    text = str(int(value))
                data[field] = text
        except ValueError as exc:
            bad(field, value, str(exc))
    if default_currency and "currency" not in data:
        data["currency"] = default_currency
    for required in ("id", "name", "type"):
        if required not in data and not any(p.startswith(f"field {required},") for p in problems):
            problems.append(f"field {required}: missing")
    return data, problems


def _build(
    raw_items: list[tuple[str, Any]], source: str, default_currency: str | None
) -> OfferCatalog:
    """Validate labelled raw items (label, mapping) into a catalog, or raise CatalogError."""
    items: list[CatalogItem] = []
    problems: list[str] = []
    first_seen: dict[str, str] = {}
    for label, raw in raw_items:
        if not isinstance(raw, Mapping):
            problems.append(f"{label}: expected a mapping of fields, got {_shown(raw)}")
            continue
        data, item_problems = _clean_item(raw, default_currency)
        where = f"{label} (id {data['id']!r})" if "id" in data else label
        problems.extend(f"{where}, {p}" for p in item_problems)
        if item_problems:
            continue
        try:
            item = CatalogItem.model_validate(data)
        except ValidationError as exc:
            for e in exc.errors():
                field = ".".join(str(p) for p in e["loc"])
                problems.append(f"{where}, field {field}, value {_shown(e.get('input'))}: "
                                f"{e['msg']}")
            continue
        if item.id in first_seen:
            problems.append(f"{where}, field id, value {item.id!r}: duplicate id "
                            f"(first at {first_seen[item.id]})")
            continue
        first_seen[item.id] = label
        items.append(item)
    if problems:
        raise CatalogError(source, problems)
    return OfferCatalog(items=items)


def _load_yaml(path: Path) -> OfferCatalog:
    """Catalog from YAML: `items:` list (optional top-level `currency`) or a bare list."""
    import yaml  # only when a YAML catalog is read

    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise CatalogError(str(path), [f"not valid YAML ({exc})"]) from exc
    default_currency: str | None = None
    if isinstance(doc, dict):
        items = doc.get("items")
        cur = doc.get("currency")
        if isinstance(cur, str) and cur.strip():
            default_currency = cur.strip().upper()
    else:
        items = doc
    if not isinstance(items, list):
        raise CatalogError(str(path), ["expected a list of items, or a mapping with `items:`"])
    labelled = [(f"item {n}", raw) for n, raw in enumerate(items, start=1)]
    return _build(labelled, str(path), default_currency)


def _load_csv(path: Path) -> OfferCatalog:
    """Catalog from CSV; the header is row 1, so items are numbered from row 2."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="cp1252")
    sample = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = max((",", ";", "\t"), key=sample.count)
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    if not rows:
        raise CatalogError(str(path), ["empty file (no header row)"])
    header = [h.strip().lower().replace(" ", "_") for h in rows[0]]
    for needed in ("id", "name", "type"):
        if needed not in header:
            raise CatalogError(str(path), [f"no {needed!r} column (found: {', '.join(header)})"])
    labelled = [
        (f"row {n}", dict(zip(header, values, strict=False)))
        for n, values in enumerate(rows[1:], start=2)
        if any(v.strip() for v in values)
    ]
    return _build(labelled, str(path), None)


def load_catalog(path: Path | str) -> OfferCatalog:
    """Load an offer catalog from a .yaml/.yml or .csv file.

    Raises CatalogError (a ValueError) listing every bad item with its row or
    index, field and value (also for a missing or unreadable file).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    loader = {".yaml": _load_yaml, ".yml": _load_yaml, ".csv": _load_csv}.get(suffix)
    if loader is None:
        raise CatalogError(str(path), [f"unsupported file type {suffix!r}; use .yaml or .csv"])
    try:
        return loader(path)
    except OSError as exc:
        raise CatalogError(str(path), [f"cannot read file ({exc.strerror or exc})"]) from exc


def default_catalog() -> OfferCatalog:
    """Load the bundled example catalog (examples/offer_catalog.yaml)."""
    return load_catalog(DEFAULT_CATALOG_PATH)
