"""Property tests for the value parsers, and for the vectorised twins that must agree with them."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports import parsing
from imports.reading import Kind
from imports.validation import phone_expr
from registry.bulk import name_key_expr, nik_check_frame
from registry.nik import nik_check
from registry.services import name_key

FAST = settings(max_examples=150, deadline=None)
dates = st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2030, 12, 31))
MONTH_NAMES = {
    1: ["Januari", "Jan"],
    2: ["Februari", "Feb", "Pebruari"],
    3: ["Maret", "Mar"],
    4: ["April", "Apr"],
    5: ["Mei"],
    6: ["Juni", "Jun"],
    7: ["Juli", "Jul"],
    8: ["Agustus", "Agt", "Agu", "Aug"],
    9: ["September", "Sep", "Sept"],
    10: ["Oktober", "Okt"],
    11: ["November", "Nov", "Nopember"],
    12: ["Desember", "Des"],
}


@FAST
@given(day=dates, sep=st.sampled_from(["-", "/", "."]))
def test_day_first_dates_read_back(day, sep):
    assert parsing.parse_date(f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}") == day
    assert parsing.parse_date(f"{day.day}{sep}{day.month}{sep}{day.year}") == day


@FAST
@given(day=dates, data=st.data())
def test_indonesian_month_names_read_back(day, data):
    word = data.draw(st.sampled_from(MONTH_NAMES[day.month]))
    word = data.draw(st.sampled_from([word, word.upper(), word.lower()]))
    assert parsing.parse_date(f"{day.day} {word} {day.year}") == day


@FAST
@given(day=dates)
def test_iso_excel_cells_and_serials_read_back(day):
    serial = (day - dt.date(1899, 12, 30)).days
    assert parsing.parse_date(day.isoformat()) == day
    assert parsing.parse_date(f"{day.isoformat()} 00:00:00") == day
    assert parsing.parse_date(day) == day
    assert parsing.parse_date(dt.datetime.combine(day, dt.time(8))) == day
    assert parsing.parse_date(float(serial)) == day
    assert parsing.parse_date(str(serial)) == day


@FAST
@given(st.text(max_size=30))
def test_date_parser_never_raises(value):
    result = parsing.parse_date(value)
    assert result is None or isinstance(result, dt.date)


def test_impossible_and_ambiguous_dates_are_not_guessed():
    # given / when / then
    assert parsing.parse_date("31-02-1990") is None
    assert parsing.parse_date("1985") is None  # a year alone, not serial 1985 (1905)
    assert parsing.parse_date("12/25/1985") == dt.date(1985, 12, 25)  # only one reading


@FAST
@given(place=st.sampled_from(["Bandung", "Muna Barat", "Kep. Selayar", ""]), day=dates)
def test_combined_place_and_date_split(place, day):
    written = f"{place}, {day:%d-%m-%Y}" if place else f"{day:%d-%m-%Y}"
    got_place, got_date, _ = parsing.split_place_date(written)
    assert (got_place, got_date) == (place, day)


@pytest.mark.parametrize(
    "word,sex",
    [
        ("L", "L"),
        ("lk", "L"),
        ("Laki-laki", "L"),
        ("LAKI - LAKI", "L"),
        ("Pria", "L"),
        ("P", "P"),
        ("PR", "P"),
        ("Perempuan", "P"),
        ("wanita", "P"),
        ("X", None),
        ("", None),
    ],
)
def test_sex_words(word, sex):
    assert parsing.parse_sex(word) == sex


@FAST
@given(amount=st.integers(min_value=0, max_value=999_999_999))
def test_money_in_every_office_style_reads_back(amount):
    dotted = f"{amount:,}".replace(",", ".")
    for written in (
        str(amount),
        f"Rp {dotted},-",
        f"Rp{dotted},-",
        f"Rp. {dotted},00",
        dotted,
        f"{amount:,}",
        float(amount),
        f"IDR {dotted}",
    ):
        assert parsing.parse_money(written) == amount, written


def test_money_words_and_garbage():
    assert parsing.parse_money("2,5 juta") == 2_500_000
    assert parsing.parse_money("750 ribu") == 750_000
    assert parsing.parse_money("dua juta") is None
    assert parsing.parse_money(-5.0) is None


national = st.from_regex(r"8[1-9][0-9]{7,10}", fullmatch=True)


@FAST
@given(number=national, style=st.integers(min_value=0, max_value=5))
def test_phones_normalise_to_plus62(number, style):
    written = [
        f"0{number}",
        f"62{number}",
        f"+62 {number[:3]} {number[3:]}",
        f"0{number[:3]}-{number[3:]}",
        number,
        f"(0{number[:3]}) {number[3:]}",
    ][style]
    assert parsing.parse_phone(written) == f"+62{number}"


@FAST
@given(
    st.one_of(
        st.text(alphabet="0123456789+-() /;,atauATAU.", max_size=30), st.text(max_size=20), national
    )
)
def test_vectorised_phone_agrees_with_parser(value):
    frame = pl.DataFrame(
        {"t": [parsing.text(value)], "k": [Kind.TEXT]}, schema={"t": pl.String, "k": pl.UInt8}
    )
    got = frame.select(phone_expr(pl.col("t"), pl.col("k"))).item()
    assert got == parsing.parse_phone(value)


name_words = st.lists(
    st.sampled_from(["Siti", "Aminah", "BUDI", "santoso", "Nur", "Rahmat", "Dewi", "Putri"]),
    min_size=1,
    max_size=4,
).map(" ".join)


@FAST
@given(
    name=name_words,
    front=st.lists(st.sampled_from(["Dr.", "Drs.", "Hj.", "H.", "Ir.", "Prof."]), max_size=2),
    back=st.lists(
        st.sampled_from(["S.Sos", "M.Si", "S.Kesos", "A.Md", "S.Tr.Sos", "Ph.D."]), max_size=2
    ),
)
def test_names_split_from_titles_keeping_case(name, front, back):
    written = " ".join([*front, name]) + (", " + ", ".join(back) if back else "")
    assert parsing.parse_name(written) == (name, " ".join(front), ", ".join(back))


def test_initials_are_not_titles():
    assert parsing.parse_name("M. Ridwan") == ("M. Ridwan", "", "")
    assert parsing.parse_name("SITI AMINAH, S.Sos") == ("SITI AMINAH", "", "S.Sos")
    assert parsing.parse_name("Dr. Budi, M.Si") == ("Budi", "Dr.", "M.Si")


@pytest.mark.parametrize(
    "word,status",
    [
        ("PNS", "PNS"),
        ("P3K", "PPPK"),
        ("Kontrak", "kontrak"),
        ("kontak", "kontrak"),
        ("Tenaga Honorer", "honorer"),
        ("Relawan", "relawan"),
        ("Non ASN", None),
        ("", None),
    ],
)
def test_employment_status_words(word, status):
    assert parsing.parse_status(word) == status


@pytest.mark.parametrize(
    "written,parsed",
    [
        ("S1 Psikologi", ("S1", "Psikologi")),
        ("SMK", ("SMA", "")),
        ("D-III Kebidanan", ("D3", "Kebidanan")),
        ("Magister Sosial", ("S2", "Sosial")),
        ("Pesantren", ("", "Pesantren")),
    ],
)
def test_education(written, parsed):
    assert parsing.parse_education(written) == parsed


def _nik_frame(niks, today):
    from regions.selectors import region_code_sets

    provinces, regencies = region_code_sets()
    frame = pl.DataFrame({"nik": niks}, schema={"nik": pl.String})
    checked = nik_check_frame(
        frame, "nik", province_codes=provinces, regency_codes=regencies, today=today
    )
    return checked, provinces, regencies


nik_like = st.one_of(
    st.from_regex(r"[0-9]{16}", fullmatch=True),
    st.builds(
        lambda area, day, month, yy, serial: f"{area}{day:02d}{month:02d}{yy:02d}{serial:04d}",
        st.sampled_from(["320401", "910101", "650101", "999901", "317101"]),
        st.integers(0, 99),
        st.integers(0, 13),
        st.integers(0, 99),
        st.integers(0, 9999),
    ),
    st.from_regex(r"[0-9]{0,18}", fullmatch=True),
)


@pytest.mark.django_db
@settings(max_examples=300, deadline=None)
@given(niks=st.lists(nik_like, min_size=1, max_size=20))
def test_vectorised_nik_rules_agree_with_registry_nik_check(niks):
    # given
    today = dt.date(2026, 6, 1)
    frame, provinces, regencies = _nik_frame(niks, today)

    # then: same verdict, sex, candidates and likely birth date as registry.nik.nik_check
    for row in frame.iter_rows(named=True):
        result = nik_check(row["nik"], province_codes=provinces, regency_codes=regencies)
        assert (row["nik_error"] is None) == result.is_valid, row
        if result.is_valid:
            assert row["nik_sex"] == result.sex
            candidates = [d for d in (row["nik_birth_1900"], row["nik_birth_2000"]) if d]
            assert candidates == result.birth_date_candidates
            assert row["nik_birth"] == result.likely_birth_date(today)
            assert row["nik_old_region"] == bool(result.warnings)


@FAST
@given(st.text(max_size=40))
def test_vectorised_name_key_agrees_with_registry(name):
    frame = pl.DataFrame({"n": [name]}, schema={"n": pl.String})
    assert frame.select(name_key_expr(pl.col("n"))).item() == name_key(name)


@FAST
@given(
    st.one_of(
        st.text(max_size=30),
        st.builds(
            lambda front, name, back: " ".join([*front, name]) + back,
            st.lists(st.sampled_from(["Dr.", "Hj.", "DRS", "H."]), max_size=2),
            name_words,
            st.sampled_from(["", ", S.Sos", ",S.KESOS", ", M.Si, Ph.D.", " , SE", ", Jakarta"]),
        ),
    )
)
def test_vectorised_names_agree_with_parser(value):
    from imports.validation import name_frame

    frame = name_frame(pl.DataFrame({"name": [value]}, schema={"name": pl.String}), "name")
    row = frame.row(0, named=True)
    assert (row["full_name"], row["titles_front"], row["titles_back"]) == parsing.parse_name(value)
