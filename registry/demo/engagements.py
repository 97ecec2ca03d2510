"""What demo engagements are made of: dates, programmes, titles, pay, status, second posts."""

import datetime as dt

from registry.models import EmploymentStatus

# Fixed calendar bounds, not today's date, so that a seed gives the same data on any day.
FIRST_START = dt.date(2015, 1, 1)
LAST_START = dt.date(2025, 10, 31)
LAST_END = dt.date(2025, 6, 30)

# Relative sizes of the workforces (PKH and village facilitators are the largest; the Rehsos
# clusters are small). Programmes added later as data get the default weight.
PROGRAMME_WEIGHTS = {
    "pkh": 30,
    "tpp-desa": 15,
    "tksk": 14,
    "anak": 8,
    "lanjut-usia": 8,
    "disabilitas": 8,
    "napza": 5,
    "tuna-sosial-kpo": 5,
    "penyuluh-sosial": 6,
}
DEFAULT_PROGRAMME_WEIGHT = 5

# Titles as they appear in the offices' spreadsheets (DOMAIN.md), which harmonisation maps.
LEGACY_TITLES = {
    "lanjut-usia": ["Pendamping Lanjut Usia", "Pendamping LU", "Pendamping Lansia"],
    "disabilitas": [
        "Pendamping Penyandang Disabilitas",
        "Pendamping Disabilitas",
        "Pendamping PD",
    ],
    "anak": ["Sakti Peksos", "Satuan Bakti Pekerja Sosial", "Peksos Anak"],
    "napza": ["Konselor Adiksi", "Konselor Adiksi Napza"],
    "tuna-sosial-kpo": ["Pendamping Tuna Sosial", "Pendamping Korban Perdagangan Orang"],
    "pkh": ["Pendamping Sosial PKH", "Pendamping PKH", "Pendamping Sosial"],
    "tksk": ["TKSK", "Tenaga Kesejahteraan Sosial Kecamatan"],
    "penyuluh-sosial": ["Penyuluh Sosial", "Penyuluh Sosial Masyarakat"],
    "tpp-desa": ["Pendamping Desa", "Pendamping Lokal Desa", "Tenaga Ahli Pendamping Masyarakat"],
}

# Monthly incentive ranges in Rupiah. TKSK receive a small "tali asih", not a wage; Sakti
# Peksos are trained social workers and are paid the most among the clusters.
INCENTIVE_RANGES = {
    "lanjut-usia": (1_800_000, 2_700_000),
    "disabilitas": (1_800_000, 2_700_000),
    "anak": (2_700_000, 4_500_000),
    "napza": (2_500_000, 3_800_000),
    "tuna-sosial-kpo": (1_800_000, 2_700_000),
    "pkh": (2_400_000, 3_600_000),
    "tksk": (500_000, 1_200_000),
    "penyuluh-sosial": (2_000_000, 3_000_000),
    "tpp-desa": (2_000_000, 4_500_000),
}
DEFAULT_INCENTIVE_RANGE = (1_800_000, 4_500_000)

STATUS_WEIGHTS = {
    EmploymentStatus.CONTRACT: 55,
    EmploymentStatus.HONORARY: 20,
    EmploymentStatus.PNS: 8,
    EmploymentStatus.PPPK: 7,
    EmploymentStatus.VOLUNTEER: 10,
}
# TKSK are community volunteers appointed by the regent; few are on contract.
STATUS_WEIGHTS_BY_PROGRAMME = {
    "tksk": {
        EmploymentStatus.HONORARY: 50,
        EmploymentStatus.VOLUNTEER: 35,
        EmploymentStatus.CONTRACT: 15,
    },
}

SECOND_ENGAGEMENT_SHARE = 0.08
# What a second engagement is (see _second_engagement): mostly a move or unpaid volunteering,
# a few concurrent paid posts for the "one door, one payment" review.
SECOND_SCENARIOS = {"berurutan": 50, "relawan": 35, "rangkap": 10, "asn": 5}
