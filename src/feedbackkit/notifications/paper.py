"""Letters on paper: the HTML letter laid out as an A4 PDF by WeasyPrint
(``pip install 'feedbackkit[pdf]'``)."""

from __future__ import annotations

from feedbackkit.errors import FeedbackkitError

__all__ = ["pdf"]


def pdf(html: str) -> bytes:
    """``html`` as the bytes of a PDF document."""
    try:
        import weasyprint  # optional: loaded only when a PDF letter is asked for
    except (ImportError, OSError) as exc:
        raise FeedbackkitError(
            f"PDF letters need WeasyPrint and its system libraries "
            f"(pip install 'feedbackkit[pdf]'): {exc}"
        ) from None
    document: bytes = weasyprint.HTML(string=html).write_pdf()
    return document
