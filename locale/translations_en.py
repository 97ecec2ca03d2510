"""English for the interface (Bahasa Indonesia is the source language).

`python locale/translations_en.py` rewrites locale/en/LC_MESSAGES/django.po from
`makemessages` output plus this table; then `manage.py compilemessages` (or msgfmt) makes the .mo.
"""

EN = {
    "Audit": "Audit",
    "Catatan audit": "Audit log",
    "Tindakan": "Action",
    "Semua": "All",
    "Pelaku": "Actor",
    "Jenis objek": "Object type",
    "registry.person": "registry.person",
    "Terapkan": "Apply",
    "Waktu": "Time",
    "Objek": "Object",
    "Perubahan": "Changes",
    "Catatan": "Note",
    "Belum ada catatan.": "No entries yet.",
    "« Sebelumnya": "« Previous",
    "Halaman %(n)s dari %(total)s": "Page %(n)s of %(total)s",
    "Berikutnya »": "Next »",
    "Masuk": "Sign in",
    "Masuk ke Satu Pintu": "Sign in to Satu Pintu",
    "Nama pengguna atau kata sandi salah. Periksa huruf besar/kecil lalu coba lagi.": (
        "Wrong username or password. Check upper/lower case and try again."
    ),
    "Nama pengguna": "Username",
    "Kata sandi": "Password",
    "Menunggu pekerja…": "Waiting for a worker…",
    "Unduh hasil": "Download result",
    "Lanjutkan": "Continue",
    "Pekerjaan": "Jobs",
    "Pekerjaan latar belakang saya": "My background jobs",
    "Status": "Status",
    "Kemajuan": "Progress",
    "Dibuat": "Created",
    "Belum ada pekerjaan.": "No jobs yet.",
    "%(n)s orang cocok": "%(n)s people match",
    "Ekspor XLSX": "Export XLSX",
    "Ekspor CSV": "Export CSV",
    "Nama": "Name",
    "NIK": "NIK",
    "Penugasan": "Engagements",
    "Jenjang": "Level",
    "Verifikasi": "Verification",
    "Ada tanda yang perlu ditinjau": "Has flags to review",
    "tanda": "flags",
    "Tidak ada data yang cocok dengan filter ini.": "Nothing matches these filters.",
    "Kemungkinan ganda": "Possible duplicates",
    "Kemungkinan orang yang sama": "Possibly the same person",
    (
        "Nama (tanpa gelar) dan tanggal lahir sama, NIK berbeda. Periksa dokumen sebelum "
        "menggabungkan: penggabungan menyimpan kedua riwayat dan tercatat di audit."
    ): (
        "Same name (without titles) and birth date, different NIK. Check the documents before "
        "merging: a merge keeps both histories and is audited."
    ),
    "Tanggal lahir": "Birth date",
    "Pertahankan": "Keep",
    "Gabungkan": "Merge",
    "Alasan": "Reason",
    "mis. KTP lama, NIK salah ketik": "e.g. old ID card, mistyped NIK",
    "Tidak ada kemungkinan data ganda dalam cakupan Anda.": "No possible duplicates in your scope.",
    "Simpan": "Save",
    "Batal": "Cancel",
    "Perlu ditinjau": "To review",
    "Jenis tanda": "Flag type",
    "Orang": "Person",
    "Tanda": "Flag",
    "Sumber": "Source",
    "Sejak": "Since",
    "Tidak ada tanda terbuka dalam cakupan Anda.": "No open flags in your scope.",
    "Data ini telah digabung ke": "This record was merged into",
    "Jenis kelamin": "Sex",
    "Tempat, tanggal lahir": "Place and date of birth",
    "Pendidikan": "Education",
    "Telepon": "Phone",
    "disamarkan": "masked",
    "Surel": "Email",
    "Alamat": "Address",
    "Ubah data": "Edit",
    "+ Penugasan": "+ Engagement",
    "Klaster/program": "Cluster/programme",
    "Jabatan (sumber)": "Title (as in source)",
    "Wilayah tugas": "Place of service",
    "Status kepegawaian": "Employment status",
    "SK": "Decree (SK)",
    "Periode": "Period",
    "Insentif/bln": "Incentive/month",
    "Penjelasan": "Explanation",
    "belum diharmonisasi": "not yet harmonised",
    "Ubah": "Edit",
    "Belum ada penugasan dalam cakupan Anda.": "No engagements in your scope yet.",
    "Tanda untuk ditinjau": "Flags to review",
    "Catatan penyelesaian": "Resolution note",
    "Tutup tanda": "Close flag",
    "Tidak ada tanda terbuka.": "No open flags.",
    "Riwayat": "History",
    "Oleh": "By",
    "Belum ada riwayat.": "No history yet.",
    "Tambah pendamping": "Add facilitator",
    "Data orang": "Personal data",
    "Penugasan pertama": "First engagement",
    "Registri pendamping": "Facilitator registry",
    "orang": "people",
    "penugasan": "engagements",
    "aktif": "active",
    "menunggu verifikasi": "awaiting verification",
    "Cari nama atau NIK": "Search name or NIK",
    "mis. Siti Aminah / 3204…": "e.g. Siti Aminah / 3204…",
    "Provinsi": "Province",
    "Kabupaten/kota": "Regency/city",
    "Belum diharmonisasi": "Not yet harmonised",
    "Hapus filter": "Clear filters",
    "+ Tambah pendamping": "+ Add facilitator",
    "Akses ditolak": "Access denied",
    (
        "Anda tidak berwenang membuka halaman ini. Jika seharusnya bisa, minta administrator "
        "memeriksa peran dan cakupan wilayah/klaster akun Anda."
    ): (
        "You may not open this page. If you should, ask an administrator to check your account's "
        "role and region/cluster scope."
    ),
    "Kembali ke beranda": "Back to the home page",
    "Tidak ditemukan": "Not found",
    "Halaman atau data ini tidak ada, atau berada di luar cakupan Anda.": (
        "This page or record does not exist, or is outside your scope."
    ),
    "Tata kelola pendamping pembangunan": "Governance of development facilitators",
    "Registri": "Registry",
    "Impor": "Import",
    "Kerangka": "Framework",
    "Sebaran": "Distribution",
    "Insentif": "Incentives",
    "Keluar": "Sign out",
    "Kompetensi": "Competency",
    "Kotak masuk": "Inbox",
    "Ajukan permohonan": "Submit a request",
    "Jalur kompetensi": "Competency path",
    "Data wilayah": "Region data",
    "berlisensi": "licensed under",
    "Yang berubah:": "What changed:",
    "Pembacaan data pribadi:": "Reads of personal data:",
    "siapa membuka data siapa": "who opened whose record",
    "siapa mengunduh ekspor": "who downloaded exports",
    "Terlalu banyak percobaan": "Too many attempts",
    "Batas ini melindungi akun dari tebakan kata sandi. Bila Anda lupa kata sandi, minta "
    "administrator menyetelnya ulang.": (
        "This limit protects accounts from password guessing. If you forgot your password, "
        "ask an administrator to reset it."
    ),
}


def main() -> None:
    import re
    from pathlib import Path

    path = Path(__file__).parent / "en" / "LC_MESSAGES" / "django.po"
    text = path.read_text(encoding="utf-8")

    def fill(match: re.Match) -> str:
        msgid_block = match.group(1)
        msgid = "".join(re.findall(r'"(.*)"', msgid_block)).replace('\\"', '"')
        english = EN.get(msgid)
        if english is None:
            return match.group(0)
        return f'msgid {msgid_block}msgstr "{english}"\n'

    text = re.sub(r'msgid ((?:".*"\n)+)msgstr ""\n', fill, text)
    path.write_text(text.replace("#, fuzzy\n", "", 1), encoding="utf-8")
    missing = [m for m in re.findall(r'msgid "(.+)"\nmsgstr ""', text)]
    print(f"untranslated: {missing}" if missing else "all translated")


if __name__ == "__main__":
    main()
