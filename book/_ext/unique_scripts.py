"""Write each inline <script> of a page once.

Sphinx 7 adds a script given by its body (no file name) twice when an extension registers it
after the HTML builder has started (sphinx-doc/sphinx#13402, fixed in Sphinx 8.2, which
Jupyter Book 1 does not allow). sphinx-thebe's `const THEBE_JS_URL = ...` is such a script,
and declaring a const twice stops the page's JavaScript with a SyntaxError.
"""


def _drop_repeated_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", None) or "", attributes.get("body"))  # None == ""
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", _drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

