"""Keys kept beside the data when the environment gives none."""

from __future__ import annotations

import os
from pathlib import Path


def local_secret(path: Path) -> str:
    """A random key kept beside the data (mode 0600), made at the first start: a single
    machine needs no setting, and no key ever lives in the repository. Several web
    servers must share one key: set SECRET_KEY in their environment instead."""
    import secrets
    import tempfile

    if not path.exists():
        fd, draft = tempfile.mkstemp(dir=path.parent)  # created 0600
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, path)  # atomic: of two processes starting together, one wins
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()
