"""The build: a digest of the site's code, part of every key that holds what the code drew.

A stored page, a kept row or drawing and a derived value are each made by the code of one
deploy, and kept across restarts in the shared cache. A deploy that changes a template, a
template tag or a view must not serve what the code before it drew (nor link to static files
that the new static files no longer name), so the content state's keys and tokens, and the kept
fragments' keys, carry ``BUILD``: a new build starts from a state of its own, and every stored
copy and ETag of the old one is left unused, with no format name to change by hand.

The digest covers the site's own packages (those of INSTALLED_APPS under settings.BASE_DIR),
the template directories, the static files' sources (STATICFILES_DIRS: a page links to their
hashed names) and the pinned requirements (a library upgraded draws differently too). Only the
checkout's files count, never what a process was configured or generated (its STATIC_ROOT, its
environment), so every process of one deploy, a server's or a management command's, has the same
build and shares one content state; it is computed once per process.
"""

import hashlib
from pathlib import Path

from django.conf import settings

REQUIREMENTS = "requirements.txt"  # the libraries' pinned versions


def code_roots():
    """The directories whose files make the build: the site's packages, templates and static sources."""
    base = Path(settings.BASE_DIR)
    packages = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    roots = [base / name for name in sorted(packages) if (base / name / "__init__.py").is_file()]
    roots += [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", ())]
    roots += [Path(folder[1] if isinstance(folder, tuple) else folder) for folder in settings.STATICFILES_DIRS]
    return [root for root in roots if root.is_dir()]


def code_files():
    """Every file of the build, in a stable order; compiled bytecode left out."""
    files = set()
    for root in code_roots():
        files.update(path for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    requirements = Path(settings.BASE_DIR) / REQUIREMENTS
    if requirements.is_file():
        files.add(requirements)
    return sorted(files)


def build_digest():
    """A digest of every file of the build: its place and its bytes."""
    digest = hashlib.blake2b(digest_size=6)
    base = Path(settings.BASE_DIR)
    for path in code_files():
        name = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
    return digest.hexdigest()


BUILD = build_digest()
