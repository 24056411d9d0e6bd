"""Reading the portal's documents back the way a reader does: the page, the fonts, the words
at their places, the picture, the signature."""

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

MM = 72 / 25.4  # PDF points per millimetre


def fonts_of(path: Path) -> list[str]:
    """pdffonts' lines for the fonts of ``path``; every one must be embedded."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[2:]


def assert_fonts_embedded(path: Path) -> None:
    lines = fonts_of(path)
    assert lines
    assert any("CJK" in line or "UKai" in line for line in lines)
    for line in lines:
        # name type [encoding] emb sub uni object ID: emb is the fourth column from the right
        assert line.split()[-5] == "yes", line


def text_of(path: Path, *, flat: bool = False) -> str:
    """pdftotext's text; ``flat`` joins the lines (a sentence may wrap anywhere)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.replace("\n", "") if flat else out.stdout


@dataclass(frozen=True)
class Place:
    """Where a text stands on a page, in millimetres from the top left corner."""

    page: int
    left: float
    right: float
    top: float
    bottom: float
    size: float  # font size in points

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


def place_of(path: Path, text: str, *, regex: bool = False) -> Place:
    """The first place ``text`` appears (pdfplumber), with its font size; letter spacing may
    put spaces between the characters of a text."""
    import re

    import pdfplumber

    if not regex:
        text = r"\s*".join(re.escape(character) for character in text)

    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            found = page.search(text, regex=True, return_chars=True)
            if found:
                hit = found[0]
                return Place(
                    page=number,
                    left=hit["x0"] / MM,
                    right=hit["x1"] / MM,
                    top=hit["top"] / MM,
                    bottom=hit["bottom"] / MM,
                    size=round(hit["chars"][0]["size"], 1),
                )
    raise AssertionError(f"{text!r} is not in {path}")


def page_count(path: Path) -> int:
    """How many pages ``path`` has (pdfinfo)."""
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(ln for ln in out.stdout.splitlines() if ln.startswith("Pages:")).split()[1])


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Each page's width and height in millimetres."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [(round(p.width / MM), round(p.height / MM)) for p in pdf.pages]


def text_box(path: Path, page: int = 1) -> tuple[float, float, float, float]:
    """Left, top, right, bottom (mm) of all the characters on a page: the printed area."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        chars = pdf.pages[page - 1].chars
        return (
            min(c["x0"] for c in chars) / MM,
            min(c["top"] for c in chars) / MM,
            max(c["x1"] for c in chars) / MM,
            max(c["bottom"] for c in chars) / MM,
        )


def png_of(path: Path, *, page: int = 1, dpi: int = 50) -> Path:
    """The page rendered to PNG by pdftoppm, as a reader's screen or printer would."""
    prefix = path.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page),
         str(path), str(prefix)],
        check=True,
    )  # fmt: skip
    return prefix.with_suffix(".png")


def red_share(png: Path, box: tuple[float, float, float, float]) -> float:
    """The share of clearly red pixels inside ``box`` (left, top, right, bottom as fractions)."""
    from PIL import Image

    with Image.open(png) as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        region = rgb.crop(
            (int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height))
        )
        data = region.tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    red = sum(1 for r, g, b in pixels if r > 180 and g < 90 and b < 90)
    return red / len(pixels)


def make_signing_p12(directory: Path, *, name: str = "黑龙江省司法厅", password: str = "s3cret"):
    """A self-signed certificate and its key as PKCS#12 (what a department would configure)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    path = directory / f"{abs(hash(name))}.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signing",
            key,
            certificate,
            None,
            serialization.BestAvailableEncryption(password.encode()),
        )
    )
    return path, password
