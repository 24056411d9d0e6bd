"""PDF signatures (PAdES) with the department's certificate, and their verification.

A standard PDF signature (ISO 32000, PAdES B-B via pyHanko), not the SM2 electronic seal of
GB/T 38540: see docs/deployment.md, "Signed documents". pyHanko is imported inside the
functions that need it.
"""

from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from django.conf import settings


def signing_configured() -> bool:
    return bool(settings.DOCUMENT_SIGNING_P12)


@lru_cache(maxsize=4)
def _signer(path: str, password: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(
        path, passphrase=password.encode() if password else None
    )
    if signer is None:
        raise ValueError(f"the signing certificate {path} does not open with its password")
    return signer


def sign_pdf(pdf: bytes, *, reason: str = "") -> bytes:
    """``pdf`` signed with the configured certificate, or unchanged where none is configured."""
    if not signing_configured():
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(settings.DOCUMENT_SIGNING_P12, settings.DOCUMENT_SIGNING_PASSWORD)
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature",
        reason=reason or None,
        location=settings.DOCUMENT_ISSUER,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = signers.sign_pdf(writer, metadata, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class Verification:
    """What the verification page says about a file."""

    signed: bool
    # The signature is intact, covers the whole file and was made with the department's
    # certificate.
    valid: bool = False
    intact: bool = False
    whole_file: bool = False
    ours: bool = False
    signer: str = ""
    signed_at: object = None
    problem: str = ""


def _department_certificate():
    from asn1crypto import x509  # noqa: PLC0415 heavy

    signer = _signer(settings.DOCUMENT_SIGNING_P12, settings.DOCUMENT_SIGNING_PASSWORD)
    return x509.Certificate.load(signer.signing_cert.dump())


def verify_pdf(data: bytes) -> Verification:
    """Whether ``data`` carries an intact signature, over the whole file, by the configured
    certificate. Never raises on a bad file: the answer says what is wrong."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as error:
        return Verification(signed=False, problem=str(error) or type(error).__name__)
    if not embedded:
        return Verification(signed=False)
    if not signing_configured():
        return Verification(signed=True, problem="no signing certificate is configured")
    ours = _department_certificate()
    context = ValidationContext(trust_roots=[ours], allow_fetching=False)
    # The last signature must cover the file as it is: anything appended after it is a change.
    signature = embedded[-1]
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as error:
        return Verification(signed=True, problem=str(error) or type(error).__name__)
    signer_cert = status.signing_cert
    is_ours = signer_cert is not None and signer_cert.sha256 == ours.sha256
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return Verification(
        signed=True,
        valid=bool(status.intact and status.valid and whole and is_ours and status.trusted),
        intact=bool(status.intact and status.valid),
        whole_file=whole,
        ours=is_ours,
        signer=signer_cert.subject.human_friendly if signer_cert is not None else "",
        signed_at=status.signer_reported_dt,
    )
