"""Refuse a request body larger than any valid form could be, before Django spools it to disk."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

from ..attachments import MAX_ATTACHMENT_SIZE, MAX_ATTACHMENTS

# Every allowed file at its largest, plus room for the form's text fields.
MAX_REQUEST_SIZE = MAX_ATTACHMENTS * MAX_ATTACHMENT_SIZE + 1024 * 1024


def refuse_oversized_uploads(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.method == "POST" and length > MAX_REQUEST_SIZE:
            context = {
                "limit": filesizeformat(MAX_ATTACHMENT_SIZE),
                "count": MAX_ATTACHMENTS,
                "back": request.META.get("HTTP_REFERER", ""),
            }
            return render(request, "issues/too_large.html", context, status=413)
        return view(request, *args, **kwargs)

    return wrapper
