"""Job handlers for the tests, registered by dotted path like the real ones."""

from django.core.files.base import ContentFile


def counts_to_three(job, progress) -> dict:
    for done in range(1, 4):
        progress(done, 3, f"Langkah {done}")
    job.result_file.save("hasil.txt", ContentFile(b"selesai\n"), save=False)
    return {"rows": 3}


def breaks(job, progress) -> dict:
    progress(1, 2, "Membaca")
    raise ValueError("Kolom NIK tidak ditemukan")


class Halted(BaseException):
    """Like ``pyo3_runtime.PanicException``: not an ``Exception``."""


def panics(job, progress) -> dict:
    progress(1, 2, "Memeriksa")
    raise Halted("assertion failed: i < self.len()")


def interrupted(job, progress) -> dict:
    raise KeyboardInterrupt


def speaks(job, progress) -> dict:
    """Reports lazily (the job's own words) and stores what it read in the worker's language."""
    from django.utils.translation import get_language, gettext_lazy

    progress(0, 1, gettext_lazy("Memeriksa batas tanggapan rujukan…"))
    return {"language": get_language()}


def says_its_outcome(job, progress) -> dict:
    """Ends with a message of its own that repeats its last progress text (the harmonisation's
    headline does): that one is kept."""
    progress(1, 1, "2 penugasan berubah jenjang")
    job.message = "2 penugasan berubah jenjang"
    return {}
