"""The views of the browser app, one module each. A view builds its own DOM and holds its own
handlers (named in app/web/actions.py); it reaches the rest only through app/web/context.py,
never by importing another view."""
