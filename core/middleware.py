"""The Content-Security-Policy on the portal's pages (django-csp), and only on its pages.

A file the portal hands out (a PDF shown inline, a photo) carries no page policy: Chrome draws
a PDF with its own viewer inside the response's document, which a policy without inline
styles and with ``object-src 'none'`` leaves blank. Such responses are attachments or typed
and ``nosniff`` (``core.responses``), and X-Frame-Options still forbids framing them.
"""

from csp.middleware import CSPMiddleware


class PageCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
