"""Header detection and column recognition."""

from imports.columns import detect_mapping, field_match, mapping_apply_profile


def test_header_found_below_title_rows_and_merged_title():
    # given
    head = [
        ["DATA PENDAMPING LANJUT USIA TAHUN 2020", "", "", ""],
        ["Direktorat Jenderal Rehabilitasi Sosial", "", "", ""],
        ["", "", "", ""],
        ["NO", "NAMA LENGKAP", "No. KTP", "KAB/KOTA"],
        [1.0, "Budi", "3204011708850001", "KAB. BANDUNG"],
    ]

    # when
    mapping = detect_mapping(head, [((0, 0), (0, 3))])

    # then
    assert mapping.header_row == 4
    assert mapping.columns == {"no": 0, "name": 1, "nik": 2, "regency": 3}
    assert mapping.first_data_row == 5


def test_two_line_header_under_merged_cells():
    # given: "LAHIR" spans two columns with "TEMPAT" and "TANGGAL" below it
    head = [
        ["NO", "NAMA", "NIK", "LAHIR", "", "KAB/KOTA"],
        ["", "", "", "TEMPAT", "TANGGAL", ""],
        [1, "Budi", "3204011708850001", "Bandung", "17-08-1985", "Kab. Bandung"],
    ]
    merged = [((0, 3), (0, 4)), ((0, 0), (1, 0)), ((0, 1), (1, 1))]

    # when
    mapping = detect_mapping(head, merged)

    # then
    assert mapping.header_rows == 2
    assert mapping.columns["birth_place"] == 3
    assert mapping.columns["birth_date"] == 4
    assert mapping.first_data_row == 3


def test_indonesian_header_words_and_typos():
    cases = {
        "Nomor Induk Kependudukan": "nik",
        "NO. KTP": "nik",
        "Nama Konselor": "name",
        "Tempat/Tgl Lahir": "birth_place_date",
        "TEMPAT, TGL LAHIR": "birth_place_date",
        "Tgl. Lahir": "birth_date",
        "JK": "sex",
        "Jenis Kelamin": "sex",
        "L/P": "sex",
        "Kabupaten/Kota": "regency",
        "Kode Wilayah": "regency",
        "Kecamatan": "district",
        "Desa/Kelurahan": "village",
        "Status Kepegawaian": "employment_status",
        "Insentif (Rp)": "incentive",
        "HONOR/BULAN": "incentive",
        "No HP/WA": "phone",
        "Pendidkan": "education",
        "JABTAN": "legacy_title",
        "TMT Penugasan": "start_date",
        "No. SK": "sk_number",
        "Tgl SK": "sk_date",
    }
    for header, key in cases.items():
        assert field_match(header)[0] == key, header
    for header in ("Nama Ibu Kandung", "Status Perkawinan", "Alamat", "Keterangan"):
        assert field_match(header)[0] is None, header


def test_profile_maps_by_header_text_even_when_columns_move():
    # given: a profile saved for a file whose NIK header was unusual
    profile = {"columns": {"nik": "Identitas", "name": "Pendamping", "regency": "Lokasi"}}
    head = [["Sisipan", "Lokasi", "Pendamping", "Identitas"], ["x", "Kab. Bandung", "Budi", "1"]]

    # when
    mapping = mapping_apply_profile(head, [], profile)

    # then
    assert mapping.columns == {"regency": 1, "name": 2, "nik": 3}
    assert mapping.source == "profil"
