"""The shipped example framework covers the levels, the clusters and every legacy title."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from framework.resolve import Facts, RuleSet
from registry.models import Programme

SHARED = Path(settings.BASE_DIR).parent / "shared"
CLUSTERS = ["lanjut-usia", "disabilitas", "anak", "napza", "tuna-sosial-kpo"]
# Titles of the other programmes named in DOMAIN.md ("Other programmes and ministries").
OTHER_TITLES = [
    ("pkh", "Pendamping Sosial PKH"),
    ("tksk", "TKSK"),
    ("tksk", "Tenaga Kesejahteraan Sosial Kecamatan"),
    ("penyuluh-sosial", "Penyuluh Sosial"),
    ("tpp-desa", "Pendamping Desa"),
    ("tpp-desa", "Pendamping Lokal Desa"),
]


def domain_titles() -> set[tuple[str, str]]:
    """(cluster, title) from DOMAIN.md's cluster table (third column)."""
    found = set()
    for line in (SHARED / "DOMAIN.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*\|\s*`([a-z-]+)`\s*\|[^|]*\|([^|]+)\|", line)
        if m:
            found |= {(m.group(1), t.strip()) for t in m.group(2).split(",")}
    return found


def sample_titles() -> set[tuple[str, str]]:
    data = json.loads((SHARED / "samples" / "legacy" / "expected.json").read_text("utf-8"))
    return {
        (row["cluster"], row["legacy_title"])
        for f in data["files"]
        for row in f["rows"]
        if row.get("legacy_title")
    }


def test_titles_are_read_from_the_shared_files():
    assert len(domain_titles()) == 13
    assert ("tuna-sosial-kpo", "Pendamping Tuna Sosial & KPO") in sample_titles()


@pytest.mark.parametrize("education", ["", "SMA", "D3", "S1", "S2"])
def test_every_known_legacy_title_gets_a_level_iii_to_ix(starter, education):
    rules = RuleSet(starter)
    titles = domain_titles() | sample_titles() | set(OTHER_TITLES)
    for cluster, title in sorted(titles):
        outcome = rules.resolve(Facts(title, cluster, education=education), as_of=dt.date.today())
        assert outcome.level in range(3, 10), (cluster, title, outcome.harmonisation)
        assert outcome.unified_title
        assert outcome.harmonisation["legal_basis"]


def test_starter_is_labelled_and_complete(starter):
    assert starter.is_example and "CONTOH" in starter.notes
    titles = dict(starter.levels.values_list("number", "unified_title"))
    assert titles == {
        1: "",
        2: "",
        3: "Asisten Pendamping Pembangunan",
        4: "Pendamping Pembangunan Muda",
        5: "Pendamping Pembangunan Madya",
        6: "Pendamping Pembangunan Utama",
        7: "Pendamping Ahli Muda",
        8: "Pendamping Ahli Madya",
        9: "Pendamping Ahli Utama",
    }
    # a qualification package per level III-IX, and a specialisation for the napza cluster
    qualification = starter.packages.filter(kind="kualifikasi")
    assert sorted(qualification.values_list("level__number", flat=True)) == list(range(3, 10))
    napza = starter.packages.get(kind="klaster", programme="napza")
    assert "Q.880000.101.01" in napza.core_units.values_list("code", flat=True)
    # every cluster and programme has rules; every rule has a legal basis and effective date
    scopes = set(starter.rules.values_list("scope", flat=True))
    assert set(Programme.objects.values_list("slug", flat=True)) <= scopes
    assert set(CLUSTERS) <= scopes
    assert not starter.rules.filter(regulation="").exists()
    regulations = " ".join(r.legal_basis for r in starter.rules.all())
    for cited in (
        "8 Tahun 2012",
        "14 Tahun 2019",
        "12 Tahun 2017",
        "16 Tahun 2017",
        "7 Tahun 2021",
    ):
        assert cited in regulations
