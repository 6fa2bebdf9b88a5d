"""The trust boundary: code named by a file runs only when the user says so on the command line.

Model files (ONNX metadata, TorchScript extra files), sidecar YAMLs and audit specs are data. A
hook they name (`preprocess`, `postprocess`, a `module:factory` model) is imported only with
`--trust-code`; hooks the user types on the command line are the user's own choice. Some modules
are never hooks, trusted or not: they would turn a model's output or a file's text into code.
"""

from __future__ import annotations

from serfair.errors import SerfairError

TRUST_FLAG = "--trust-code"
TRUST_HELP = (
    "Run code that a file names: preprocess/postprocess hooks in a model's metadata, its sidecar "
    "YAML or an audit spec, a spec's `module:factory` model, and pickle/joblib model files "
    "(implies --trust-pickle). Only for files you made or whose source you trust.")
# Modules whose functions deserialise or evaluate data, or run commands: never a hook.
NEVER_HOOK_MODULES = frozenset({
    "pickle", "_pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "joblib", "builtins",
    "__builtin__", "os", "posix", "nt", "subprocess", "sys", "importlib", "runpy", "code", "codeop",
    "ctypes", "shutil", "pty", "socket", "pydoc", "webbrowser", "torch", "numpy.lib.format",
})


class TrustError(SerfairError):
    """A file names code that the user has not trusted with --trust-code."""


def require_trust(reference: str, key: str, where: str, trusted: bool) -> None:
    """Refuse a hook named by a file unless `trusted`; the message says which key, file and code.
    A module that is never a hook is refused first, whatever the trust."""
    check_hook_module(reference, f"{where}: the key '{key}' names the code")
    if trusted:
        return
    flag = {"path": "model"}.get(key.rsplit(".", 1)[-1], key.rsplit(".", 1)[-1])
    raise TrustError(
        f"{where}: the key '{key}' names the code '{reference}', which serfair would import and "
        f"run. Files being audited are data and run no code by default; if you trust this file, "
        f"pass {TRUST_FLAG} (or give it yourself on the command line: --{flag} {reference})")


def check_hook_module(reference: str, what: str) -> None:
    """Refuse hooks from modules that deserialise or evaluate data (pickle:loads, builtins:eval)."""
    module = reference.partition(":")[0].strip()
    top = module.split(".")[0]
    if module in NEVER_HOOK_MODULES or top in NEVER_HOOK_MODULES:
        raise TrustError(
            f"{what} '{reference}' is refused: functions of {module} deserialise or evaluate data "
            f"or run commands, so a hook from it would turn the model's output or a file's text "
            f"into code. Write a hook in your own module instead")
