"""serfair: fairness and robustness audits for speech emotion recognition models."""

from serfair.errors import SerfairError

__version__ = "0.1.0"
__all__ = ["SerfairError", "__version__", "audit", "load_spec"]


def __getattr__(name: str):
    if name == "audit":
        from serfair.audit import audit
        return audit
    if name == "load_spec":
        from serfair.spec import load_spec
        return load_spec
    raise AttributeError(name)
