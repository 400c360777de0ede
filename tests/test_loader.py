"""Tests for tools/loading: CRM headers, formats, values, row errors, file errors."""

from __future__ import annotations

import csv
import json
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from playbook.tools.loading import (
    LoadError,
    LoadResult,
    RowError,
    canonical_columns,
    iter_accounts,
    iter_records,
    load_accounts,
    map_header,
    parse_date,
    parse_number,
    parse_records,
    split_list,
)
from playbook.tools.loading.aliases import ALIASES, FIELD_KIND
from playbook.tools.models.account import Account
from playbook.tools.vocab import RelationshipStatus

DATA = Path(__file__).parent / "data" / "loader"


def by_id(result: LoadResult) -> dict[str, Account]:
    return {a.account_id: a for a in result.accounts}


def errors_at(result: LoadResult, row: int) -> list[RowError]:
    return [e for e in result.errors if e.row == row]


def write_xlsx(path: Path, rows: list[list[Any]], title: str = "Sheet1") -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


# ---------------------------------------------------------------- alias table


def test_alias_table_targets_real_account_fields() -> None:
    fields = set(Account.model_fields) - {"row", "extra"}
    assert set(canonical_columns()) == fields
    for field, aliases in ALIASES.items():
        assert field in fields
        for alias in aliases:
            hit = map_header(alias)
            assert hit is not None and hit[0] == field, alias
    for field in fields:
        assert map_header(field) == (field, 1.0)
        assert map_header(field.upper().replace("_", " ")) == (field, 1.0)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Account Name", "account_name"),
        ("Company name", "account_name"),
        ("Company", "account_name"),
        ("Account", "account_name"),
        ("Account ID", "account_id"),
        ("Record ID", "account_id"),
        ("Salesforce ID", "account_id"),
        ("Id", "account_id"),
        ("  account-id ", "account_id"),
        ("Annual Recurring Revenue", "arr"),
        ("ARR (USD)", "arr"),
        ("Contract Value", "arr"),
        ("ACV", "arr"),
        ("Licenses Purchased", "seats_purchased"),
        ("Licensed Seats", "seats_purchased"),
        ("Seats", "seats_purchased"),
        ("Assigned Licenses", "seats_used"),
        ("Seats Used", "seats_used"),
        ("Licenses Used", "seats_used"),
        ("Renewal Date", "renewal_date"),
        ("Contract End Date", "renewal_date"),
        ("Next Renewal", "renewal_date"),
        ("NPS Score", "nps"),
        ("Latest NPS", "nps"),
        ("NPS Response Date", "nps_date"),
        ("Health", "relationship_status"),
        ("Relationship", "relationship_status"),
        ("Account Health", "relationship_status"),
        ("CSM Notes", "notes"),
        ("Call Notes", "notes"),
        ("Primary Contact", "contact_name"),
        ("Champion", "contact_name"),
        ("Contact Title", "contact_role"),
        ("Title", "contact_role"),
        ("Monthly Logins", "logins_per_month"),
        ("Logins (30d)", "logins_per_month"),
        ("Open P1 Tickets", "open_tickets_high"),
        ("Open High Priority Tickets", "open_tickets_high"),
        ("Open Critical Tickets", "open_tickets_high"),
        ("Last Activity Date", "last_contact_date"),
        ("Last Touch", "last_contact_date"),
        ("Last Contact", "last_contact_date"),
        ("Products", "products_owned"),
        ("Products Owned", "products_owned"),
        ("Tier", "plan"),
        ("Plan", "plan"),
        ("Edition", "plan"),
        ("Subscription", "plan"),
        ("Employees", "company_employees_now"),
        ("Employee Count", "company_employees_now"),
        ("Seats_Used__c", "seats_used"),
        ("Account: Renewal Date", "renewal_date"),
        ("Revenue Growth %", "company_revenue_growth_pct"),
    ],
)
def test_header_aliases(header: str, expected: str) -> None:
    assert map_header(header) == (expected, 1.0)


@pytest.mark.parametrize("header", ["MRR", "Monthly Recurring Revenue", "mrr"])
def test_mrr_maps_to_arr_times_12(header: str) -> None:
    assert map_header(header) == ("arr", 12.0)


@pytest.mark.parametrize(
    "header",
    ["Annual Revenue", "Account Owner", "Company owner", "Industry", "Health Score", "Usage %",
     "Seats Used %", ""],
)
def test_not_mapped(header: str) -> None:
    assert map_header(header) is None


# ------------------------------------------------------------ CRM exports


def test_hubspot_export() -> None:
    result = load_accounts(DATA / "hubspot_companies.csv")
    assert result.errors == []
    assert result.column_map["Record ID"] == "account_id"
    assert result.column_map["Company name"] == "account_name"
    assert result.column_map["Annual Recurring Revenue"] == "arr"
    assert result.column_map["Number of Employees"] == "company_employees_now"
    assert result.unknown_columns == ["Company owner", "Annual Revenue"]
    acme = by_id(result)["9001"]
    assert acme.account_name == "Acme Robotics"
    assert acme.row == 2
    assert acme.arr == 120_000.0
    assert acme.currency == "USD"
    assert (acme.seats_purchased, acme.seats_used) == (30, 26)
    assert acme.renewal_date == date(2027, 2, 15)
    assert acme.nps == 9 and acme.nps_date == date(2026, 10, 30)
    assert acme.relationship_status == RelationshipStatus.HEALTHY
    assert acme.products_owned == ["Core", "Analytics"]
    assert acme.feature_requests == ["SSO", "Audit log"]
    assert acme.company_employees_now == 450
    assert acme.extra == {"Company owner": "Dana Owner", "Annual Revenue": "25000000"}
    birch = by_id(result)["9002"]
    assert birch.arr == 45_000.0
    assert birch.relationship_status == RelationshipStatus.NEUTRAL
    assert birch.notes is None and birch.feature_requests == []


def test_salesforce_export() -> None:
    result = load_accounts(DATA / "salesforce_accounts.csv")
    assert result.errors == []
    assert result.column_map["MRR"] == "arr (x12)"
    assert result.column_map["Feature_Requests__c"] == "feature_requests"
    assert result.column_map["Edition"] == "plan"
    assert result.column_map["Title"] == "contact_role"
    assert result.unknown_columns == ["Account Owner", "Industry"]
    cobalt = by_id(result)["001Ax00000ABCDE"]
    assert cobalt.arr == 120_000.0
    assert cobalt.contact_name == "Ana Costa" and cobalt.contact_role == "Director of IT"
    assert cobalt.plan == "Professional"
    assert cobalt.renewal_date == date(2027, 1, 31)
    assert cobalt.open_tickets_high == 1
    assert cobalt.products_owned == ["Core", "Forecasting"]
    assert cobalt.feature_requests == ["Sandbox", "SCIM"]
    assert cobalt.last_contact_date == date(2026, 11, 12)
    dune = by_id(result)["001Ax00000FGHIJ"]
    assert dune.arr == 30_000.0
    assert dune.relationship_status == RelationshipStatus.AT_RISK


def test_gainsight_export() -> None:
    result = load_accounts(DATA / "gainsight_companies.csv")
    assert result.errors == []
    assert result.column_map["GSID"] == "account_id"
    assert result.column_map["Company"] == "account_name"
    assert result.column_map["ARR (USD)"] == "arr"
    assert result.column_map["Logins (30d)"] == "logins_per_month"
    assert result.column_map["Assigned Licenses"] == "seats_used"
    assert result.unknown_columns == ["CSM"]
    ember = by_id(result)["1P02ABC"]
    assert ember.arr == 1_200_000.0
    assert ember.plan == "Business"
    assert ember.logins_per_month == 420.0
    assert ember.relationship_status == RelationshipStatus.HEALTHY
    fjord = by_id(result)["1P02DEF"]
    assert fjord.arr == 80_000.0 and fjord.currency == "USD"
    assert fjord.nps is None and fjord.nps_date is None
    assert fjord.open_tickets_high == 2
    assert fjord.relationship_status == RelationshipStatus.AT_RISK


# ---------------------------------------------------------- same accounts, 3 formats


def _canonical_xlsx(tmp_path: Path, *, title_rows: int = 0, sheet: str = "Sheet1") -> Path:
    """The canonical CSV rebuilt as a workbook with typed cells (numbers, date cells)."""
    with (DATA / "canonical.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    kinds = FIELD_KIND
    typed: list[list[Any]] = [header]
    for row in body:
        out: list[Any] = []
        for col, value in zip(header, row, strict=True):
            kind = kinds[col]
            if value == "":
                out.append(None)
            elif kind in ("int", "nps"):
                out.append(int(value))
            elif kind in ("num", "money", "pct"):
                out.append(float(value))
            elif kind == "date":
                out.append(datetime.fromisoformat(value))
            else:
                out.append(value)
        typed.append(out)
    lead: list[list[Any]] = [["Book export"], []][:title_rows]
    return write_xlsx(tmp_path / "book.xlsx", lead + typed, title=sheet)


def _comparable(result: LoadResult) -> list[dict[str, Any]]:
    return [a.model_dump(exclude={"row", "extra"}) for a in result.accounts]


def test_csv_xlsx_json_give_the_same_accounts(tmp_path: Path) -> None:
    from_csv = load_accounts(DATA / "canonical.csv")
    from_json = load_accounts(DATA / "canonical.json")
    from_xlsx = load_accounts(_canonical_xlsx(tmp_path))
    for result in (from_csv, from_json, from_xlsx):
        assert result.errors == [] and result.warnings == []
        assert result.unknown_columns == []
        assert [a.account_id for a in result.accounts] == ["A-01", "A-02", "A-03"]
    assert _comparable(from_csv) == _comparable(from_json) == _comparable(from_xlsx)
    assert [a.row for a in from_csv.accounts] == [2, 3, 4]
    assert [a.row for a in from_xlsx.accounts] == [2, 3, 4]
    assert [a.row for a in from_json.accounts] == [1, 2, 3]
    a3 = from_csv.accounts[2]
    assert a3.notes == "Quiet since May.\nSecond line of notes."
    assert a3.arr == 5400.5
    assert from_csv.accounts[1].company_revenue_growth_pct == -3.5
    assert from_csv.accounts[1].currency == "EUR"


def test_loaded_accounts_are_valid_models() -> None:
    for account in load_accounts(DATA / "canonical.csv").accounts:
        again = Account.model_validate(account.model_dump())
        assert again == account


def test_xlsx_header_below_title_rows_and_named_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = _canonical_xlsx(tmp_path, title_rows=2, sheet="Accounts")
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.create_sheet("Readme", 0)  # the accounts sheet is no longer first
    wb.save(path)
    result = load_accounts(path)
    assert [a.row for a in result.accounts] == [4, 5, 6]
    assert result.accounts[0].renewal_date == date(2027, 6, 11)

    other = Workbook()
    ws = other.active
    assert ws is not None
    ws.append(["Account ID", "Account Name", "Seats", "Renewal Date"])
    ws.append([1001, "Numeric Id Co", 30.0, date(2027, 1, 2)])
    ws.append([None, None, None, None])
    ws.append([1002.0, "Float Id Co", 12, "2027-03-04"])
    other.save(tmp_path / "first.xlsx")
    result = load_accounts(tmp_path / "first.xlsx")
    assert result.errors == []
    assert [(a.account_id, a.row) for a in result.accounts] == [("1001", 2), ("1002", 4)]
    assert result.accounts[0].seats_purchased == 30


def test_xlsx_percent_cell_is_scaled(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["account_id", "account_name", "company_revenue_growth_pct", "Usage %"])
    ws.append(["P-1", "Pct Cell", 0.87, 0.5])
    ws["C2"].number_format = "0%"
    ws["D2"].number_format = "0%"
    ws.append(["P-2", "Plain Cell", 12, None])
    wb.save(tmp_path / "pct.xlsx")
    result = load_accounts(tmp_path / "pct.xlsx")
    assert [a.company_revenue_growth_pct for a in result.accounts] == [87.0, 12.0]
    assert result.accounts[0].extra == {"Usage %": 0.5}


# ------------------------------------------------------------------ bad input


def test_bad_rows_are_reported_and_good_rows_load() -> None:
    result = load_accounts(DATA / "bad_rows.csv")
    accounts = by_id(result)
    assert list(accounts) == ["A-1", "A-2", "A-3", "A-4", "A-5", "A-6", "A-10", "A-11", "A-12"]

    def one(row: int) -> RowError:
        errs = errors_at(result, row)
        assert len(errs) == 1, errs
        return errs[0]

    e = one(3)
    assert (e.column, e.value, e.account_id) == ("arr", "12x4", "A-2")
    assert "not a number" in e.reason
    assert accounts["A-2"].arr is None and accounts["A-2"].nps == 8

    e = one(4)
    assert (e.column, e.value) == ("renewal_date", "2026-02-30")
    assert "not a valid calendar date" in e.reason
    assert accounts["A-3"].renewal_date is None and accounts["A-3"].arr == 1000.0

    e = one(5)
    assert (e.column, e.value) == ("renewal_date", "03/04/2026")
    assert "ambiguous" in e.reason and "2026-04-03" in e.reason and "2026-03-04" in e.reason
    assert accounts["A-4"].renewal_date is None

    e = one(6)
    assert (e.column, e.value) == ("nps", "11")
    assert str(e) == "row 6, column nps, value '11': NPS must be a whole number 0-10"
    assert accounts["A-5"].nps is None

    e = one(7)
    assert (e.column, e.value) == ("nps", "-1")
    assert "0-10" in e.reason

    e = one(8)
    assert (e.column, e.value) == ("account_id", "")
    assert "account_id is missing" in e.reason and "skipped" in e.reason

    e = one(9)
    assert (e.column, e.account_id) == ("account_id", "A-1")
    assert "duplicate" in e.reason and "row 2" in e.reason
    assert accounts["A-1"].account_name == "Good One"  # the first occurrence is kept

    e = one(10)
    assert (e.column, e.value, e.account_id) == ("account_name", "", "A-9")
    assert "account_name is missing" in e.reason

    e = one(11)
    assert (e.column, e.value) == ("seats_purchased", "-5")
    assert "negative" in e.reason
    assert accounts["A-10"].seats_purchased is None and accounts["A-10"].seats_used == 3

    e = one(12)
    assert (e.column, e.value) == ("seats_used", "30.5")
    assert "whole number" in e.reason
    assert accounts["A-11"].seats_used is None and accounts["A-11"].seats_purchased == 30

    assert errors_at(result, 13) == []
    assert accounts["A-12"].renewal_date == date(2026, 4, 13)
    assert {e.row for e in result.errors} == set(range(3, 13))
    for e in result.errors:
        text = str(e)
        assert text.startswith(f"row {e.row}, column ") and e.reason in text


@pytest.mark.parametrize(
    ("dayfirst", "expected"), [(True, date(2026, 4, 3)), (False, date(2026, 3, 4))]
)
def test_ambiguous_date_with_explicit_dayfirst(dayfirst: bool, expected: date) -> None:
    result = load_accounts(DATA / "bad_rows.csv", dayfirst=dayfirst)
    accounts = by_id(result)
    assert accounts["A-4"].renewal_date == expected
    assert errors_at(result, 5) == []
    assert accounts["A-12"].renewal_date == date(2026, 4, 13)  # unambiguous either way


def test_bad_rows_in_json_use_array_index(tmp_path: Path) -> None:
    records = [
        {"account_id": "J-1", "account_name": "Fine", "nps": 9},
        {"account_id": "J-2", "account_name": "Bad NPS", "nps": 11, "seats_purchased": 2.5},
        {"account_name": "No Id"},
        "not an object",
        {"account_id": "J-1", "account_name": "Dupe"},
        {"account_id": "J-5", "account_name": "Bool seats", "seats_purchased": True},
    ]
    path = tmp_path / "book.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    result = load_accounts(path)
    assert [a.account_id for a in result.accounts] == ["J-1", "J-2", "J-5"]
    assert [a.row for a in result.accounts] == [1, 2, 6]
    shown = [str(e) for e in result.errors]
    assert "row 2, column nps, value '11': NPS must be a whole number 0-10" in shown
    assert any(s.startswith("row 2, column seats_purchased, value '2.5'") for s in shown)
    assert any(s.startswith("row 3, column account_id") and "missing" in s for s in shown)
    assert any(s.startswith("row 4") and "expected an object" in s for s in shown)
    assert any(s.startswith("row 5, column account_id") and "duplicate" in s for s in shown)
    assert any(s.startswith("row 6, column seats_purchased, value 'True'") for s in shown)


def test_str_shows_source_header_and_field() -> None:
    result = parse_records([{"Account ID": "X", "Company": "Y", "NPS Score": "11"}])
    assert [str(e) for e in result.errors] == [
        "row 1, column NPS Score (nps), value '11': NPS must be a whole number 0-10"
    ]


# --------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1200000", 1_200_000.0),
        ("$1,200,000", 1_200_000.0),
        ("$ 1,200,000.50", 1_200_000.5),
        ("USD 1,200", 1200.0),
        ("1,200 EUR", 1200.0),
        ("€45,000", 45_000.0),
        ("120k", 120_000.0),
        ("120K", 120_000.0),
        ("1.2M", 1_200_000.0),
        ("$1.5m", 1_500_000.0),
        ("2bn", 2e9),
        ("30.0", 30.0),
        (" 42 ", 42.0),
        ("1 200 000", 1_200_000.0),
        ("(1,200)", -1200.0),
        ("-5", -5.0),
        ("87%", 87.0),
        (30, 30.0),
        (30.5, 30.5),
        ("", None),
        ("n/a", None),
        ("N/A", None),
        ("-", None),
        ("null", None),
        ("None", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_number(raw: Any, expected: float | None) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["€ 45.000,00", "1,5", "12x4", "1,20,000", "abc", "inf", True, [1], "1.2.3", "$1,2"]
)
def test_parse_number_refuses(raw: Any) -> None:
    with pytest.raises(ValueError):
        parse_number(raw)


def test_euro_format_reason_is_helpful() -> None:
    with pytest.raises(ValueError, match="decimal comma"):
        parse_number("€ 45.000,00")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-02", date(2026, 11, 2)),
        ("2026-11-02T10:30:00Z", date(2026, 11, 2)),
        ("2026-11-02 10:30:00", date(2026, 11, 2)),
        ("2026/11/02", date(2026, 11, 2)),
        ("20261102", date(2026, 11, 2)),
        ("Nov 2, 2026", date(2026, 11, 2)),
        ("2 November 2026", date(2026, 11, 2)),
        ("2-Nov-2026", date(2026, 11, 2)),
        ("Monday, November 2, 2026", date(2026, 11, 2)),
        ("13/04/2026", date(2026, 4, 13)),
        ("04/13/2026", date(2026, 4, 13)),
        ("05/05/2026", date(2026, 5, 5)),
        ("13/04/26", date(2026, 4, 13)),
        (datetime(2026, 11, 2, 9, 0), date(2026, 11, 2)),
        (date(2026, 11, 2), date(2026, 11, 2)),
        (46328, date(2026, 11, 2)),  # Excel serial
        ("", None),
        ("n/a", None),
        ("TBD", None),
        (None, None),
    ],
)
def test_parse_date(raw: Any, expected: date | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2026-02-30", "not a valid calendar date"),
        ("2026-13-01", "not a valid calendar date"),
        ("31/02/2026", "not a valid calendar date"),
        ("00/05/2026", "not a valid calendar date"),
        ("03/04/2026", "ambiguous"),
        ("Nov 2026", "incomplete"),
        ("next week", "unrecognised"),
        ("3 4 2026", "unrecognised"),
        (2026, "a number"),
        (True, "true/false"),
    ],
)
def test_parse_date_refuses(raw: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(raw)


def test_parse_date_dayfirst() -> None:
    assert parse_date("03/04/2026", dayfirst=True) == date(2026, 4, 3)
    assert parse_date("03/04/2026", dayfirst=False) == date(2026, 3, 4)
    assert parse_date("03.04.2026", dayfirst=True) == date(2026, 4, 3)
    assert parse_date("13/04/2026", dayfirst=False) == date(2026, 4, 13)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("healthy", RelationshipStatus.HEALTHY),
        ("Green", RelationshipStatus.HEALTHY),
        ("good", RelationshipStatus.HEALTHY),
        ("neutral", RelationshipStatus.NEUTRAL),
        ("Yellow", RelationshipStatus.NEUTRAL),
        ("AMBER", RelationshipStatus.NEUTRAL),
        ("at-risk", RelationshipStatus.AT_RISK),
        ("At Risk", RelationshipStatus.AT_RISK),
        ("at_risk", RelationshipStatus.AT_RISK),
        ("red", RelationshipStatus.AT_RISK),
    ],
)
def test_relationship_aliases(raw: str, expected: RelationshipStatus) -> None:
    result = parse_records([{"account_id": "R", "account_name": "R", "health": raw}])
    assert result.accounts[0].relationship_status == expected


def test_relationship_unknown_is_an_error() -> None:
    result = parse_records([{"account_id": "R", "account_name": "R", "health": "purple"}])
    assert result.accounts[0].relationship_status is None
    assert result.errors[0].column == "health" and result.errors[0].value == "purple"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("SSO; Audit log", ["SSO", "Audit log"]),
        ("SSO;;Audit log; ", ["SSO", "Audit log"]),
        ("SSO|Audit log", ["SSO", "Audit log"]),
        ("SSO\nAudit log", ["SSO", "Audit log"]),
        ("SSO, with SAML", ["SSO, with SAML"]),
        (["SSO", " Audit log ", ""], ["SSO", "Audit log"]),
        ("", []),
        ("n/a", []),
        (None, []),
    ],
)
def test_split_list(raw: Any, expected: list[str]) -> None:
    assert split_list(raw) == expected


def test_semicolon_delimited_csv() -> None:
    result = load_accounts(DATA / "semicolon.csv")
    assert result.errors == []
    s1, s2 = result.accounts
    assert s1.arr == 1200.5 and s2.arr == 3000.0
    assert s1.feature_requests == ["SSO", "Audit log"]
    assert s1.products_owned == ["Core", "Analytics"]
    assert s2.feature_requests == ["Sandbox", "SCIM"]
    assert s2.renewal_date == date(2027, 2, 5)


def test_tab_delimited_csv(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text("Account ID\tAccount Name\tARR\nT-1\tTab Co\t$1,000\n", encoding="utf-8")
    result = load_accounts(path)
    assert [(a.account_id, a.arr) for a in result.accounts] == [("T-1", 1000.0)]


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffAccount ID,Account Name\nB-1,Bom Co\n".encode())
    result = load_accounts(path)
    assert result.column_map == {"Account ID": "account_id", "Account Name": "account_name"}
    assert result.accounts[0].account_id == "B-1"
    assert result.warnings == []


def test_cp1252_falls_back_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    text = "account_id,account_name,notes\nC-1,Café Noël,“smart” quotes\n"
    path.write_bytes(text.encode("cp1252"))
    result = load_accounts(path)
    assert result.accounts[0].account_name == "Café Noël"
    assert result.accounts[0].notes == "“smart” quotes"
    assert len(result.warnings) == 1 and result.warnings[0].row is None
    assert "cp1252" in str(result.warnings[0])


def test_mrr_times_12_and_arr_preferred(tmp_path: Path) -> None:
    result = parse_records([{"Account ID": "M", "Account Name": "M", "MRR": "$1,000"}])
    assert result.accounts[0].arr == 12_000.0
    assert result.column_map == {
        "Account ID": "account_id", "Account Name": "account_name", "MRR": "arr (x12)"
    }
    path = tmp_path / "both.csv"
    path.write_text("Account ID,Account Name,MRR,ARR\nM,M,1000,15000\n", encoding="utf-8")
    both = load_accounts(path)
    assert both.accounts[0].arr == 15_000.0
    assert both.accounts[0].extra == {"MRR": "1000"}
    assert both.unknown_columns == ["MRR"]
    assert any(w.column == "MRR" and "ARR" in w.reason for w in both.warnings)


def test_unknown_columns_kept_in_extra_and_listed_once(tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text(
        "account_id,account_name,Industry,Region,Industry\n"
        "E-1,One,SaaS,EMEA,Tech\nE-2,Two,,APAC,\n",
        encoding="utf-8",
    )
    result = load_accounts(path)
    assert result.unknown_columns == ["Industry", "Region", "Industry (2)"]
    assert result.accounts[0].extra == {
        "Industry": "SaaS", "Region": "EMEA", "Industry (2)": "Tech"
    }
    assert result.accounts[1].extra == {"Region": "APAC"}


def test_ints_percent_currency_and_missing_tokens() -> None:
    result = parse_records(
        [
            {
                "account_id": "V-1", "account_name": "Values", "seats_purchased": "30.0",
                "seats_used": "n/a", "company_revenue_growth_pct": "87%", "arr": "€45,000",
                "nps": "9/10", "logins_per_month": "-", "open_tickets_high": "null",
                "currency": "", "plan": "none",
            }
        ]
    )
    assert result.errors == []
    a = result.accounts[0]
    assert a.seats_purchased == 30 and a.seats_used is None
    assert a.company_revenue_growth_pct == 87.0
    assert a.arr == 45_000.0 and a.currency == "EUR"  # taken from the amount's mark
    assert a.nps == 9
    assert a.logins_per_month is None and a.open_tickets_high is None and a.plan is None


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("arr", "-100", "negative"),
        ("usage_current", "-1", "negative"),
        ("active_users", "3.5", "whole number"),
        ("seats_purchased", "40%", "percentage"),
        ("currency", "dollars", "3-letter"),
        ("nps", "7.5", "0-10"),
        ("renewal_date", "soon", "unrecognised"),
        ("account_name", {"nested": 1}, "expected text"),
    ],
)
def test_single_field_errors_keep_the_row(column: str, value: Any, reason: str) -> None:
    result = parse_records([{"account_id": "F", "account_name": "Field", column: value}])
    if column != "account_name":
        assert [a.account_id for a in result.accounts] == ["F"]
    (err, *rest) = result.errors
    assert (err.row, err.column) == (1, column)
    assert reason in err.reason


def test_seats_used_over_purchased_warns_only_when_absurd() -> None:
    result = parse_records(
        [
            {"account_id": "S-1", "account_name": "Over", "seats_purchased": 10, "seats_used": 14},
            {"account_id": "S-2", "account_name": "Absurd", "seats_purchased": 10,
             "seats_used": 500},
        ]
    )
    assert [a.seats_used for a in result.accounts] == [14, 500]
    assert result.errors == []
    assert [(w.row, w.column) for w in result.warnings] == [(2, "seats_used")]
    assert "10x" in result.warnings[0].reason


def test_currency_conflict_warns_and_keeps_column() -> None:
    result = parse_records(
        [{"account_id": "C", "account_name": "C", "arr": "€1,000", "currency": "USD"}]
    )
    assert result.accounts[0].currency == "USD"
    assert len(result.warnings) == 1 and "EUR" in result.warnings[0].reason


def test_dollar_sign_suggests_but_never_contradicts_a_currency() -> None:
    result = parse_records(
        [
            {"account_id": "D-1", "account_name": "Cad", "arr": "$1,000", "currency": "CAD"},
            {"account_id": "D-2", "account_name": "Usd", "arr": "$1,000"},
            {"account_id": "D-3", "account_name": "Gbp", "arr": "£1,000"},
        ]
    )
    assert [a.currency for a in result.accounts] == ["CAD", "USD", "GBP"]
    assert result.warnings == [] and result.errors == []


def test_numpy_and_nan_values_from_dataframes() -> None:
    np = pytest.importorskip("numpy")
    result = parse_records(
        [
            {
                "account_id": np.int64(7), "account_name": "Np", "seats_purchased": np.int64(30),
                "arr": np.float64(1200.0), "nps": np.float64("nan"), "Region": float("nan"),
            }
        ]
    )
    assert result.errors == []
    a = result.accounts[0]
    assert (a.account_id, a.seats_purchased, a.arr, a.nps) == ("7", 30, 1200.0, None)
    assert a.extra == {}


def test_blank_rows_are_skipped_silently(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("account_id,account_name\nB-1,One\n,\n   ,  \n\nB-2,Two\n", encoding="utf-8")
    result = load_accounts(path)
    assert [(a.account_id, a.row) for a in result.accounts] == [("B-1", 2), ("B-2", 6)]
    assert result.errors == []


def test_extra_values_beyond_header_warn(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("account_id,account_name\nL-1,One,stray\n", encoding="utf-8")
    result = load_accounts(path)
    assert result.accounts[0].account_id == "L-1"
    assert result.warnings[0].row == 2 and "beyond" in result.warnings[0].reason


# ----------------------------------------------------------- records / streaming


def test_parse_records_start_row_and_new_keys() -> None:
    rows = iter(
        [
            {"Account ID": "R-1", "Account Name": "One"},
            {"Account ID": "R-2", "Account Name": "Two", "Region": "EMEA", "NPS": 8},
        ]
    )
    result = parse_records(rows, start_row=2)  # a generator: keys resolved as they appear
    assert [(a.account_id, a.row) for a in result.accounts] == [("R-1", 2), ("R-2", 3)]
    assert result.accounts[1].nps == 8 and result.accounts[1].extra == {"Region": "EMEA"}
    assert result.unknown_columns == ["Region"]
    assert result.column_map["NPS"] == "nps"


def test_parse_records_refuses_records_without_id_column() -> None:
    with pytest.raises(LoadError, match="no account id column"):
        parse_records([{"Name": "X"}])


def test_iter_accounts_streams_and_exposes_mapping() -> None:
    stream = iter_accounts(DATA / "bad_rows.csv")
    assert stream.column_map["nps"] == "nps"
    first = next(stream)
    assert isinstance(first, Account) and first.account_id == "A-1"
    second = next(stream)
    assert isinstance(second, RowError) and second.row == 3
    stream.close()
    stream.close()  # idempotent


def test_iter_records_stream() -> None:
    items = list(iter_records([{"account_id": "I", "account_name": "I", "nps": 12}]))
    assert [type(i).__name__ for i in items] == ["RowError", "Account"]


# --------------------------------------------------------------- file errors


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="unsupported file type"):
        load_accounts(tmp_path / "book.parquet")
    with pytest.raises(LoadError, match=r"save it as \.xlsx"):
        load_accounts(tmp_path / "book.xls")
    with pytest.raises(LoadError, match="no such file"):
        load_accounts(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(LoadError, match="no header"):
        load_accounts(empty)
    no_id = tmp_path / "no_id.csv"
    no_id.write_text("Account Name,ARR\nX,1\n", encoding="utf-8")
    with pytest.raises(LoadError, match="no account id column.*'Account Name', 'ARR'"):
        load_accounts(no_id)
    no_name = tmp_path / "no_name.csv"
    no_name.write_text("Account ID,ARR\nX,1\n", encoding="utf-8")
    with pytest.raises(LoadError, match="no account name column"):
        load_accounts(no_name)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("[{", encoding="utf-8")
    with pytest.raises(LoadError, match="not valid JSON"):
        load_accounts(bad_json)
    wrong_shape = tmp_path / "shape.json"
    wrong_shape.write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(LoadError, match="expected an array"):
        load_accounts(wrong_shape)
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"not a zip")
    with pytest.raises(LoadError, match="not a readable .xlsx"):
        load_accounts(corrupt)
    empty_xlsx = write_xlsx(tmp_path / "empty.xlsx", [])
    with pytest.raises(LoadError, match="no header"):
        load_accounts(empty_xlsx)


def test_empty_json_array_and_header_only_csv(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text("[]", encoding="utf-8")
    assert load_accounts(path).accounts == []
    header_only = tmp_path / "header.csv"
    header_only.write_text("account_id,account_name\n", encoding="utf-8")
    assert load_accounts(header_only).accounts == []


# ---------------------------------------------------------------- speed


def test_ten_thousand_rows_load_quickly(tmp_path: Path) -> None:
    with (DATA / "canonical.csv").open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    header = [*header, "Industry", "Owner", "Segment"]
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for n in range(10_000):
            row = list(rows[n % 3])
            row[0] = f"B-{n}"
            writer.writerow([*row, "SaaS", "Dana", "Mid"])
    start = time.perf_counter()
    result = load_accounts(path)
    elapsed = time.perf_counter() - start
    assert len(result.accounts) == 10_000 and result.errors == []
    assert elapsed < 3.0, f"10,000 rows took {elapsed:.2f}s"
