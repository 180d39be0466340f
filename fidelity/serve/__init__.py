"""``fidelity serve``: the editor's desk as a local web app and JSON API.

``create_app`` (in ``fidelity.serve.app``) builds the FastAPI app; FastAPI and uvicorn are
imported only here, so that the command line stays instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fidelity.serve.app import ServeOptions, create_app

__all__ = ["ServeOptions", "create_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from fidelity.serve import app

        return getattr(app, name)
    raise AttributeError(f"module 'fidelity.serve' has no attribute {name!r}")
