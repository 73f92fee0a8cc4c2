"""A report ready to render, and the error renderers raise."""

from __future__ import annotations

import attrs

from feedbackkit.errors import FeedbackkitError
from feedbackkit.reports.messages import check_lang

__all__ = ["RenderError", "Report"]


class RenderError(FeedbackkitError):
    """A report could not be rendered in a format (unknown format, missing library...)."""


@attrs.frozen
class Report:
    """What a renderer gets: the template family, the language, and what to show.

    ``content`` is the view model the templates lay out (texts already in ``lang``);
    ``data`` is the model the ``json`` format writes through :data:`feedbackkit.converter`.
    The built-in renderers look for ``templates/<template>.html.j2`` and ``.md.j2``.
    """

    template: str
    title: str
    content: object
    data: object
    lang: str = attrs.field(default="nl", validator=lambda _i, _a, value: check_lang(value))
