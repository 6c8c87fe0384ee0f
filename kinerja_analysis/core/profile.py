"""The agency profile: which government the documents speak for, and its house settings.

One small YAML file per agency, read by ``kinerja batch --config``, by the report
notebooks (parameter ``profil``, through :func:`kinerja_analysis.reporting.notebook.setup`)
and by the CLI. The synthetic city's profile is bundled as the example
(``kinerja_analysis/core/profil_kotalama.yaml``)::

    instansi:
      nama: Kotalama                 # name of the kota / kabupaten / provinsi
      jenis: kota                    # kota | kabupaten | provinsi
      wilayah: Provinsi Contoh       # region, printed under the name (optional)
      nama_resmi:                    # optional: the official name as the agency writes it
        id: Pemerintah Kota Kotalama
        en: Government of Kotalama City
    logo: logo.png                   # optional PNG or JPEG, relative to this file, ≤ 1 MB
    penandatangan:                   # optional: who signs the document
      nama: Dr. Nama Penandatangan, M.Si.
      jabatan: Sekretaris Daerah
      tempat: Kotalama               # place printed before the date
    bahasa: id                       # default document language: id | en
    min_sel: 5                       # smallest group shown (privacy)
    periode: triwulan                # evaluation period: bulan | triwulan | semester | tahun

Every key but ``instansi.nama`` and ``instansi.jenis`` is optional. A wrong key or value
raises :class:`ProfileError` naming the file, the key and the value.

>>> p = AgencyProfile(name="Sukamaju", kind="kabupaten")
>>> p.government("id"), p.government("en")
('Pemerintah Kabupaten Sukamaju', 'Sukamaju Regency Government')
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kinerja_analysis.core.config import DEFAULTS
from kinerja_analysis.core.text import LANGUAGES, Catalog

__all__ = [
    "AgencyProfile",
    "ProfileError",
    "PROFILE_ERRORS",
    "Signatory",
    "BUNDLED_PROFILE",
    "PERIOD_KINDS",
    "default_profile",
    "read_profile",
    "load_profile",
]

#: The bundled example: the synthetic Kota Kotalama.
BUNDLED_PROFILE = Path(__file__).with_name("profil_kotalama.yaml")
#: ``periode`` values of a profile → period kind letter of :mod:`kinerja_analysis.core.periods`.
PERIOD_KINDS = {"bulan": "M", "triwulan": "Q", "semester": "S", "tahun": "Y"}
KINDS = ("kota", "kabupaten", "provinsi")
_LOGO_MAX = 1 << 20
_LOGO_MAGIC = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}

TEXT = Catalog(
    {
        "id": {
            "pemerintah_kota": "Pemerintah Kota {nama}",
            "pemerintah_kabupaten": "Pemerintah Kabupaten {nama}",
            "pemerintah_provinsi": "Pemerintah Provinsi {nama}",
        },
        "en": {
            "pemerintah_kota": "Government of {nama} City",
            "pemerintah_kabupaten": "{nama} Regency Government",
            "pemerintah_provinsi": "{nama} Provincial Government",
        },
    }
)


#: What is wrong with a profile, in each language (:class:`ProfileError`).
PROFILE_ERRORS = Catalog(
    {
        "id": {
            "tidak_ada": "File profil instansi tidak ditemukan: {path}",
            "yaml": "{where}: bukan YAML yang valid ({alasan})",
            "pemetaan": "{where}: harus berupa pemetaan (kunci: nilai), bukan {value}",
            "kunci_teks": "{where}: kunci harus teks, bukan {value}",
            "kunci": "{where}: kunci tidak dikenal {unknown}; yang boleh: {allowed}",
            "wajib": "{where}: harus diisi",
            "teks": "{where}: harus teks, bukan {value}",
            "logo_tidak_ada": "{where}: file logo tidak ditemukan: {file}",
            "logo_besar": "{where}: file logo {file} lebih dari 1 MB ({size} byte)",
            "logo_jenis": "{where}: logo {file} harus berkas PNG atau JPEG",
            "logo_rusak": "{where}: logo {file} tidak dapat dibaca sebagai gambar (berkas rusak "
            "atau terpotong); simpan ulang sebagai PNG atau JPEG",
            "nama": "{where}: instansi.nama harus diisi",
            "jenis": "{where}: instansi.jenis {value} tidak dikenal; pilih {choices}",
            "bahasa": "{where}: bahasa {value} tidak dikenal; pilih id atau en",
            "min_sel": "{where}: min_sel harus bilangan bulat ≥ 1, bukan {value}",
            "periode": "{where}: periode {value} tidak dikenal; pilih {choices}",
            "nama_resmi": "{where}: instansi.nama_resmi harus berisi id dan en",
            "data_pribadi_nip": "{where}: memuat NIP pegawai yang terdaftar; dokumen untuk "
            "pemangku kepentingan tidak memuat NIP atau nama pegawai (selain nama "
            "penandatangan), jadi hapus dari profil",
            "data_pribadi_nama": "{where}: memuat nama pegawai yang terdaftar; dokumen untuk "
            "pemangku kepentingan tidak memuat NIP atau nama pegawai (selain nama "
            "penandatangan), jadi hapus dari profil",
        },
        "en": {
            "tidak_ada": "Agency profile file not found: {path}",
            "yaml": "{where}: not valid YAML ({alasan})",
            "pemetaan": "{where}: must be a mapping (key: value), not {value}",
            "kunci_teks": "{where}: keys must be text, not {value}",
            "kunci": "{where}: unknown key(s) {unknown}; allowed: {allowed}",
            "wajib": "{where}: must be filled in",
            "teks": "{where}: must be text, not {value}",
            "logo_tidak_ada": "{where}: logo file not found: {file}",
            "logo_besar": "{where}: logo file {file} is larger than 1 MB ({size} bytes)",
            "logo_jenis": "{where}: logo {file} must be a PNG or JPEG file",
            "logo_rusak": "{where}: logo {file} cannot be read as an image (damaged or "
            "truncated file); save it again as PNG or JPEG",
            "nama": "{where}: instansi.nama must be filled in",
            "jenis": "{where}: instansi.jenis {value} is not known; choose {choices}",
            "bahasa": "{where}: bahasa {value} is not known; choose id or en",
            "min_sel": "{where}: min_sel must be a whole number ≥ 1, not {value}",
            "periode": "{where}: periode {value} is not known; choose {choices}",
            "nama_resmi": "{where}: instansi.nama_resmi must hold id and en",
            "data_pribadi_nip": "{where}: holds a registered employee's NIP; documents for "
            "stakeholders carry no NIP or employee name (other than the signatory's "
            "name), so remove it from the profile",
            "data_pribadi_nama": "{where}: holds a registered employee's name; documents for "
            "stakeholders carry no NIP or employee name (other than the signatory's "
            "name), so remove it from the profile",
        },
    }
)


class ProfileError(ValueError):
    """An agency profile file cannot be used (the message names file, key and value).

    ``str(error)`` is Indonesian; :meth:`text` gives it in either language
    (:data:`PROFILE_ERRORS`).

    >>> e = ProfileError("wajib", where="profil.yaml: instansi.nama")
    >>> str(e), e.text("en")
    ('profil.yaml: instansi.nama: harus diisi', 'profil.yaml: instansi.nama: must be filled in')
    """

    def __init__(self, key: str, **fields: object) -> None:
        self.key, self.fields = key, fields
        super().__init__(self.text("id"))

    def text(self, bahasa: str = "id") -> str:
        """The message in ``bahasa`` (``"id"`` or ``"en"``)."""
        return PROFILE_ERRORS(self.key, bahasa, **self.fields)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Signatory:
    """Who signs the document: ``name``, ``title`` (jabatan), optional ``place``."""

    name: str
    title: str
    place: str | None = None


@dataclass(frozen=True)
class AgencyProfile:
    """One agency's identity and house settings.

    Attributes
    ----------
    name
        Name of the kota / kabupaten / provinsi (``"Kotalama"``).
    kind
        ``"kota"``, ``"kabupaten"`` or ``"provinsi"``.
    region
        Optional region printed with the name (``"Provinsi Contoh"``).
    official_name
        Optional ``{"id": …, "en": …}`` overriding :meth:`government`.
    logo
        Optional PNG/JPEG file (absolute path once read).
    signatory
        Optional :class:`Signatory`.
    bahasa, min_sel
        Default document language and smallest group shown.
    period
        ``"bulan"``, ``"triwulan"``, ``"semester"`` or ``"tahun"``.
    source
        The file the profile was read from (``None`` when built in code).
    """

    name: str
    kind: Literal["kota", "kabupaten", "provinsi"]
    region: str | None = None
    official_name: dict[str, str] | None = None
    logo: Path | None = None
    signatory: Signatory | None = None
    bahasa: Literal["id", "en"] = "id"
    min_sel: int = DEFAULTS.min_sel
    period: Literal["bulan", "triwulan", "semester", "tahun"] = "triwulan"
    source: Path | None = None

    def __post_init__(self) -> None:
        where = str(self.source.name) if self.source else "profil"
        if not isinstance(self.name, str) or not self.name.strip():
            raise ProfileError("nama", where=where)
        if self.kind not in KINDS:
            raise ProfileError(
                "jenis", where=where, value=repr(self.kind), choices=", ".join(KINDS)
            )
        if self.bahasa not in LANGUAGES:
            raise ProfileError("bahasa", where=where, value=repr(self.bahasa))
        if not isinstance(self.min_sel, int) or isinstance(self.min_sel, bool) or self.min_sel < 1:
            raise ProfileError("min_sel", where=where, value=repr(self.min_sel))
        if self.period not in PERIOD_KINDS:
            raise ProfileError(
                "periode", where=where, value=repr(self.period), choices=", ".join(PERIOD_KINDS)
            )
        if self.official_name is not None and set(self.official_name) != set(LANGUAGES):
            raise ProfileError("nama_resmi", where=where)

    @property
    def period_kind(self) -> str:
        """The period kind letter (``"Q"`` for ``triwulan``)."""
        return PERIOD_KINDS[self.period]

    def printed_texts(self) -> list[tuple[str, str]]:
        """Every text of the profile a document prints, as ``(key, text)`` with the key
        as the profile file spells it (``penandatangan.jabatan``).

        >>> p = AgencyProfile("Kotalama", "kota", signatory=Signatory("Drs. A", "Sekda"))
        >>> p.printed_texts()
        [('instansi.nama', 'Kotalama'), ('penandatangan.nama', 'Drs. A'), ('penandatangan.jabatan', 'Sekda')]
        """
        out = [("instansi.nama", self.name)]
        if self.region:
            out.append(("instansi.wilayah", self.region))
        for k, v in (self.official_name or {}).items():
            out.append((f"instansi.nama_resmi.{k}", v))
        if self.signatory is not None:
            out += [
                ("penandatangan.nama", self.signatory.name),
                ("penandatangan.jabatan", self.signatory.title),
            ]
            if self.signatory.place:
                out.append(("penandatangan.tempat", self.signatory.place))
        return out

    def check_personal_data(self, register: Any) -> None:
        """Raise :class:`ProfileError` (``data_pribadi_nip`` or ``_nama``, naming the
        file and key) when
        a printed text (:meth:`printed_texts`) holds a NIP or a name of ``register``
        (a :class:`~kinerja_analysis.core.personal.Register`, which allows the
        signatory's own name): the batch checks this before any heavy work, where
        otherwise every document would fail its last check. The message never holds the
        data.

        >>> from kinerja_analysis.core.personal import Register
        >>> p = AgencyProfile("Kotalama", "kota",
        ...     signatory=Signatory("Drs. A", "Sekda, NIP 19681129 199304 2 001"))
        >>> p.check_personal_data(Register(["196811291993042001"], []))
        Traceback (most recent call last):
        ...
        kinerja_analysis.core.profile.ProfileError: profil: penandatangan.jabatan: memuat NIP pegawai yang terdaftar; dokumen untuk pemangku kepentingan tidak memuat NIP atau nama pegawai (selain nama penandatangan), jadi hapus dari profil
        """
        where = self.source.name if self.source else "profil"
        for key, text in self.printed_texts():
            hits = register.find(text, whole=key != "penandatangan.nama")
            if hits:
                kind = "nama" if all(h.kind == "nama" for h in hits) else "nip"
                raise ProfileError(f"data_pribadi_{kind}", where=f"{where}: {key}")

    def government(self, bahasa: str = "id") -> str:
        """The government's name as printed on a cover (``"Pemerintah Kota Kotalama"``)."""
        if self.official_name:
            return self.official_name[bahasa]
        return TEXT(f"pemerintah_{self.kind}", bahasa, nama=self.name)  # type: ignore[arg-type]

    def logo_data_uri(self) -> str | None:
        """The logo as a ``data:`` URI (checked PNG/JPEG, at most 1 MB), or ``None``."""
        if self.logo is None:
            return None
        data = _read_logo(self.logo, self.source)
        mime = next(m for magic, m in _LOGO_MAGIC.items() if data.startswith(magic))
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (paths as strings)."""
        d = dataclasses.asdict(self)
        d["logo"] = str(self.logo) if self.logo else None
        d["source"] = str(self.source) if self.source else None
        return d

    def to_yaml(self) -> str:
        """The profile as the YAML file :func:`read_profile` reads (logo as absolute path)."""
        import yaml  # lazy: only when a profile is written

        inst: dict[str, Any] = {"nama": self.name, "jenis": self.kind}
        if self.region:
            inst["wilayah"] = self.region
        if self.official_name:
            inst["nama_resmi"] = dict(self.official_name)
        raw: dict[str, Any] = {"instansi": inst, "logo": str(self.logo) if self.logo else None}
        if self.signatory:
            raw["penandatangan"] = {
                "nama": self.signatory.name,
                "jabatan": self.signatory.title,
                "tempat": self.signatory.place,
            }
        raw.update(bahasa=self.bahasa, min_sel=self.min_sel, periode=self.period)
        return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)

    def fingerprint(self) -> str:
        """Hash of everything that shows in a document (logo bytes, not its path)."""
        d = self.to_dict()
        d.pop("source")
        d["logo"] = (
            hashlib.sha256(_read_logo(self.logo, self.source)).hexdigest() if self.logo else None
        )
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def _read_logo(path: Path, source: Path | None) -> bytes:
    where = source.name if source else "profil"
    try:
        size = path.stat().st_size
    except OSError:
        raise ProfileError("logo_tidak_ada", where=where, file=path.name) from None
    if size > _LOGO_MAX:
        raise ProfileError("logo_besar", where=where, file=path.name, size=size)
    data = path.read_bytes()
    if not any(data.startswith(m) for m in _LOGO_MAGIC):
        raise ProfileError("logo_jenis", where=where, file=path.name)
    if not _decodes(data):
        raise ProfileError("logo_rusak", where=where, file=path.name)
    return data


def _decodes(data: bytes) -> bool:
    """Whether Pillow decodes the whole image (a browser and WeasyPrint would draw it):
    a right signature followed by damaged or cut-off data does not.

    WeasyPrint sets Pillow's process-wide ``ImageFile.LOAD_TRUNCATED_IMAGES`` when it is
    imported, after which Pillow silently pads a cut-off image; the check turns it off
    for its own decode and puts it back, so its answer does not depend on what else the
    process has imported."""
    from PIL import Image, ImageFile  # lazy: only when a profile has a logo

    was = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = was
    return True


_KEYS = {"instansi", "logo", "penandatangan", "bahasa", "min_sel", "periode"}
_INSTANSI_KEYS = {"nama", "jenis", "wilayah", "nama_resmi"}
_TTD_KEYS = {"nama", "jabatan", "tempat"}


def _mapping(where: str, v: Any) -> dict[str, Any]:
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise ProfileError("pemetaan", where=where, value=repr(v))
    unknown = [k for k in v if not isinstance(k, str)]
    if unknown:
        raise ProfileError("kunci_teks", where=where, value=repr(unknown))
    return v


def _check_keys(where: str, got: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(got) - allowed)
    if unknown:
        raise ProfileError("kunci", where=where, unknown=unknown, allowed=sorted(allowed))


def _text(where: str, v: Any, required: bool = False) -> str | None:
    if v is None:
        if required:
            raise ProfileError("wajib", where=where)
        return None
    if not isinstance(v, str | int | float) or isinstance(v, bool) or not str(v).strip():
        raise ProfileError("teks", where=where, value=repr(v))
    return str(v).strip()


def read_profile(path: str | os.PathLike) -> AgencyProfile:
    """Read and check an agency profile YAML file.

    Raises
    ------
    ProfileError
        The file is missing, not YAML, or has an unknown key or a wrong value (the
        message names the file and the key).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "profil.yaml"
    >>> _ = f.write_text(chr(10).join(["instansi:", "  nama: Kota Contoh", "  jenis: kota", "min_sel: 10"]))
    >>> read_profile(f).min_sel
    10
    """
    import yaml  # lazy: only when a profile is read

    p = Path(path).expanduser()
    if not p.is_file():
        raise ProfileError("tidak_ada", path=p)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProfileError("yaml", where=p.name, alasan=exc) from None
    raw = _mapping(p.name, raw)
    _check_keys(p.name, raw, _KEYS)
    inst = _mapping(f"{p.name}: instansi", raw.get("instansi"))
    _check_keys(f"{p.name}: instansi", inst, _INSTANSI_KEYS)
    resmi = inst.get("nama_resmi")
    if resmi is not None:
        resmi = {
            k: _text(f"{p.name}: instansi.nama_resmi.{k}", v, True)
            for k, v in _mapping(f"{p.name}: instansi.nama_resmi", resmi).items()
        }
    ttd_raw = raw.get("penandatangan")
    ttd = None
    if ttd_raw is not None:
        t = _mapping(f"{p.name}: penandatangan", ttd_raw)
        _check_keys(f"{p.name}: penandatangan", t, _TTD_KEYS)
        ttd = Signatory(
            name=_text(f"{p.name}: penandatangan.nama", t.get("nama"), True),  # type: ignore[arg-type]
            title=_text(f"{p.name}: penandatangan.jabatan", t.get("jabatan"), True),  # type: ignore[arg-type]
            place=_text(f"{p.name}: penandatangan.tempat", t.get("tempat")),
        )
    logo = _text(f"{p.name}: logo", raw.get("logo"))
    logo_path = (p.parent / logo).resolve() if logo else None
    profile = AgencyProfile(
        name=_text(f"{p.name}: instansi.nama", inst.get("nama"), True),  # type: ignore[arg-type]
        kind=str(inst.get("jenis", "")).strip().lower(),  # type: ignore[arg-type]
        region=_text(f"{p.name}: instansi.wilayah", inst.get("wilayah")),
        official_name=resmi,
        logo=logo_path,
        signatory=ttd,
        bahasa=str(raw.get("bahasa", "id")).strip().lower(),  # type: ignore[arg-type]
        min_sel=raw.get("min_sel", DEFAULTS.min_sel),
        period=str(raw.get("periode", "triwulan")).strip().lower(),  # type: ignore[arg-type]
        source=p.resolve(),
    )
    if logo_path is not None:
        _read_logo(logo_path, profile.source)  # fail now, not in the middle of a batch
    return profile


def default_profile() -> AgencyProfile:
    """The bundled example profile (the synthetic Kota Kotalama).

    >>> p = default_profile()
    >>> p.min_sel, p.bahasa
    (5, 'id')
    """
    return read_profile(BUNDLED_PROFILE)


def load_profile(profile: AgencyProfile | str | os.PathLike | None) -> AgencyProfile:
    """A profile from an object, a file path, or ``None`` (the bundled example).

    >>> load_profile(None) == default_profile()
    True
    """
    if isinstance(profile, AgencyProfile):
        return profile
    return default_profile() if profile is None else read_profile(profile)
