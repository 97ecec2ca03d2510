"""What demo people are made of: education and degrees, old Papua NIK codes, phones, e-mail."""

from registry.models import Education

# Mostly SMA to S1, as in the offices' lists.
EDUCATION_WEIGHTS = {
    Education.SMP: 1,
    Education.SMA: 30,
    Education.D1: 1,
    Education.D2: 1,
    Education.D3: 14,
    Education.D4: 5,
    Education.S1: 40,
    Education.PROFESI: 1,
    Education.S2: 6,
    Education.S3: 1,
}
# (front titles, back titles, field of study) per education level; a level may have several.
DEGREES: dict[str, list[tuple[str, str, str]]] = {
    Education.SMP: [("", "", "")],
    Education.SMA: [("", "", "IPS"), ("", "", "IPA"), ("", "", "Pekerjaan Sosial (SMK)")],
    Education.D1: [("", "", "Administrasi Perkantoran")],
    Education.D2: [("", "", "Pendidikan Guru")],
    Education.D3: [
        ("", "A.Md.", "Kesejahteraan Sosial"),
        ("", "A.Md.Kep.", "Keperawatan"),
        ("", "A.Md.", "Administrasi Negara"),
    ],
    Education.D4: [("", "S.Tr.Sos.", "Pekerjaan Sosial")],
    Education.S1: [
        ("", "S.Sos.", "Kesejahteraan Sosial"),
        ("", "S.Sos.", "Ilmu Sosiologi"),
        ("", "S.Kesos.", "Kesejahteraan Sosial"),
        ("", "S.Psi.", "Psikologi"),
        ("", "S.Pd.", "Pendidikan Luar Sekolah"),
        ("", "S.E.", "Ekonomi Pembangunan"),
        ("", "S.H.", "Ilmu Hukum"),
        ("", "S.Ag.", "Bimbingan dan Konseling Islam"),
        ("", "S.K.M.", "Kesehatan Masyarakat"),
        ("", "S.Kep.", "Keperawatan"),
        ("", "S.IP.", "Ilmu Pemerintahan"),
        ("", "S.AP.", "Administrasi Publik"),
    ],
    Education.PROFESI: [("", "S.Psi., Psikolog", "Psikologi Profesi")],
    Education.S2: [
        ("", "S.Sos., M.Si.", "Kesejahteraan Sosial"),
        ("", "S.Kesos., M.Kesos.", "Pekerjaan Sosial"),
        ("", "S.Psi., M.Psi.", "Psikologi"),
        ("", "S.E., M.M.", "Manajemen"),
    ],
    Education.S3: [
        ("Dr.", "M.Si.", "Ilmu Kesejahteraan Sosial"),
        ("Dr.", "M.Kesos.", "Pekerjaan Sosial"),
    ],
}
# Graduates before the 1990s carried "Drs."/"Dra." in front instead of a title behind.
OLD_S1_BEFORE = 1967

# NIKs issued in Papua before the 2022 split keep the old regency code (Permendagri 137/2017
# numbering); today's code -> the code such NIKs carry. Those codes are gone from the table,
# so the NIK rules warn about them (DOMAIN.md, "Identity: NIK").
OLD_PAPUA_CODES = {
    "93.01": "91.01",
    "93.02": "91.16",
    "93.03": "91.17",
    "93.04": "91.18",
    "94.01": "91.04",
    "94.02": "91.07",
    "94.03": "91.08",
    "94.04": "91.09",
    "94.05": "91.25",
    "94.06": "91.26",
    "94.07": "91.27",
    "94.08": "91.28",
    "95.01": "91.02",
    "95.02": "91.12",
    "95.03": "91.13",
    "95.04": "91.14",
    "95.05": "91.21",
    "95.06": "91.22",
    "95.07": "91.23",
    "95.08": "91.24",
    "96.01": "92.01",
    "96.02": "92.04",
    "96.03": "92.05",
    "96.04": "92.09",
    "96.05": "92.10",
    "96.71": "92.71",
}
OLD_PAPUA_SHARE = 0.75

# Mobile prefixes of the Indonesian operators (after +62 8).
PHONE_PREFIXES = [
    "11",
    "12",
    "13",
    "21",
    "22",
    "23",
    "52",
    "53",
    "14",
    "15",
    "16",
    "55",
    "56",
    "57",
    "58",
    "17",
    "18",
    "19",
    "59",
    "77",
    "78",
    "95",
    "96",
    "97",
    "98",
    "99",
    "31",
    "32",
    "33",
    "38",
    "81",
    "82",
    "83",
    "87",
    "88",
    "89",
]
# RFC 2606 domains: a demo must never mail a real inbox.
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]
