"""Tests for tools/catalog.py: loading, type aliases, validation, look-ups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from playbook.tools.loading.catalog import (
    DEFAULT_CATALOG_PATH,
    CatalogError,
    OfferCatalog,
    default_catalog,
    load_catalog,
    normalize_offer_type,
)
from playbook.tools.models.account import CatalogItem
from playbook.tools.vocab import OfferType

DATA = Path(__file__).parent / "data" / "loader"


def test_yaml_and_csv_give_the_same_catalog() -> None:
    from_yaml = load_catalog(DATA / "catalog_items.yaml")
    from_csv = load_catalog(DATA / "catalog_items.csv")
    assert from_yaml == from_csv
    assert from_yaml.ids() == ["seats", "up-business", "connector", "impl", "multi-2y"]
    assert [i.type for i in from_yaml.items] == [
        OfferType.CAPACITY,
        OfferType.TIER_UPGRADE,
        OfferType.CROSS_SELL,
        OfferType.PROFESSIONAL_SERVICES,
        OfferType.MULTI_YEAR,
    ]
    up = from_yaml.get("up-business")
    assert up is not None
    assert up.price == 360.0 and up.max_discount_pct == 5.0
    assert up.for_plans == ["Team"] and up.target_plan == "Business"
    assert up.features == ["SSO", "audit logs"]
    assert up.currency == "EUR"  # the catalog-level default
    connector = from_yaml.get("connector")
    assert connector is not None
    assert connector.currency == "USD" and connector.price == 12_000.0
    assert connector.answers == ["snowflake", "bigquery"]
    multi = from_yaml.get("multi-2y")
    assert multi is not None and multi.price is None and multi.max_discount_pct == 4.0


def test_bare_list_yaml() -> None:
    catalog = load_catalog(DATA / "catalog_bare.yaml")
    assert catalog.ids() == ["seats", "training"]
    assert catalog.items[1].type == OfferType.PROFESSIONAL_SERVICES
    assert catalog.items[0].currency == "USD"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("capacity", OfferType.CAPACITY),
        ("seats", OfferType.CAPACITY),
        ("Capacity Expansion", OfferType.CAPACITY),
        ("more seats", OfferType.CAPACITY),
        ("upgrade", OfferType.TIER_UPGRADE),
        ("Tier Upgrade", OfferType.TIER_UPGRADE),
        ("tier_upgrade", OfferType.TIER_UPGRADE),
        ("add-on", OfferType.CROSS_SELL),
        ("Cross-sell", OfferType.CROSS_SELL),
        ("adjacent product", OfferType.CROSS_SELL),
        ("services", OfferType.PROFESSIONAL_SERVICES),
        ("implementation", OfferType.PROFESSIONAL_SERVICES),
        ("Training", OfferType.PROFESSIONAL_SERVICES),
        ("professional_services", OfferType.PROFESSIONAL_SERVICES),
        ("multi-year", OfferType.MULTI_YEAR),
        ("multi year renewal", OfferType.MULTI_YEAR),
        (OfferType.MULTI_YEAR, OfferType.MULTI_YEAR),
    ],
)
def test_type_aliases(word: Any, expected: OfferType) -> None:
    assert normalize_offer_type(word) == expected


def test_unknown_type_names_the_choices() -> None:
    with pytest.raises(ValueError, match="capacity, tier_upgrade"):
        normalize_offer_type("rocket fuel")


def test_validation_errors_name_item_field_and_value() -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(DATA / "catalog_bad.yaml")
    problems = info.value.problems
    weird = "item 2 (id 'weird'), field type, value 'rocket fuel'"
    assert any(p.startswith(weird) for p in problems)
    assert any(
        p.startswith("item 3 (id 'neg'), field price, value -10") and "negative" in p
        for p in problems
    )
    assert any(
        p.startswith("item 4 (id 'ok'), field id, value 'ok'")
        and "duplicate" in p
        and "item 1" in p
        for p in problems
    )
    assert any(p.startswith("item 5, field id: missing") for p in problems)
    assert any(p.startswith("item 6: expected a mapping") for p in problems)
    assert any(
        p.startswith("item 7 (id 'disc'), field max_discount_pct, value 150") for p in problems
    )
    assert len(problems) == 6
    assert "catalog_bad.yaml" in str(info.value)


def test_csv_errors_name_the_row() -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(DATA / "catalog_dupe.csv")
    problems = info.value.problems
    assert len(problems) == 2
    assert problems[0].startswith("row 3 (id 'b'), field price, value 'abc': not a number")
    assert problems[1].startswith(
        "row 4 (id 'a'), field id, value 'a': duplicate id (first at row 2)"
    )


def test_file_level_catalog_errors(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="unsupported file type"):
        load_catalog(tmp_path / "catalog.json")
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("items: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_catalog(bad)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just text", encoding="utf-8")
    with pytest.raises(CatalogError, match="expected a list"):
        load_catalog(scalar)
    no_type = tmp_path / "no_type.csv"
    no_type.write_text("id,name\na,A\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="no 'type' column"):
        load_catalog(no_type)


def test_catalog_model_refuses_duplicate_ids() -> None:
    item = CatalogItem(id="x", name="X", type=OfferType.CAPACITY)
    with pytest.raises(ValidationError, match="duplicate catalog item id"):
        OfferCatalog(items=[item, item])


def test_lookups() -> None:
    catalog = load_catalog(DATA / "catalog_items.yaml")
    assert catalog.get("seats") is not None
    assert catalog.get("nope") is None
    assert [i.id for i in catalog.by_type(OfferType.CAPACITY)] == ["seats"]
    assert [i.id for i in catalog.by_type("add-on")] == ["connector"]
    assert [i.id for i in catalog.by_type("capacity", plan="business")] == []
    assert [i.id for i in catalog.by_type("capacity", plan="team")] == ["seats"]
    assert [i.id for i in catalog.for_plan("Starter")] == ["seats", "connector", "impl", "multi-2y"]
    assert len(catalog.for_plan(None)) == 5


def test_default_catalog_loads_the_bundled_file() -> None:
    assert DEFAULT_CATALOG_PATH.name == "offer_catalog.yaml"
    assert DEFAULT_CATALOG_PATH.is_file(), "examples/offer_catalog.yaml must ship with the package"
    catalog = default_catalog()
    assert catalog.items, "the default catalog has items"
    assert len(set(catalog.ids())) == len(catalog.items)
    for item in catalog.items:
        assert isinstance(item, CatalogItem)
        assert catalog.get(item.id) is item
        assert item in catalog.by_type(item.type)
