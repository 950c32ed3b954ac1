"""Where uploaded files live: one folder per file content under the data dir, removed with their notice.

Officials' files share names (实施方案.pdf), so an upload is kept as ``uploads/<sha256[:16]>/<name>``:
two files of one name never overwrite each other, and the folder name ties the file to the notice it
became (``DocumentInfo.digest``). After every ingest and removal, ``prune`` deletes the folders of
files that no indexed notice came from (a failed upload, a removed or replaced notice).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from planqa.types import DocumentInfo

log = logging.getLogger(__name__)
DIGEST_CHARS = 16  # of the sha256 hex digest: enough to tell a library's files apart
_RE_FOLDER = re.compile(rf"[0-9a-f]{{{DIGEST_CHARS}}}")


def stage(source: Path, upload_dir: Path, temp_dir: Path | None = None) -> Path:
    """Copy an uploaded file into its content folder; the web server's own copy (under ``temp_dir``)
    is deleted, so no second copy of a notice lingers outside the data dir's uploads."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:DIGEST_CHARS]
    target = upload_dir / digest / Path(source.name).name  # only the base name: an upload cannot choose a path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    if temp_dir is not None and source.resolve().is_relative_to(temp_dir.resolve()):
        source.unlink(missing_ok=True)
        _remove_if_empty(source.parent)
    return target


def prune(upload_dir: Path, docs: Iterable[DocumentInfo]) -> list[Path]:
    """Delete the content folders that no indexed notice came from; returns the folders removed."""
    if not upload_dir.is_dir():
        return []
    kept = {d.digest[:DIGEST_CHARS] for d in docs if d.digest}
    removed = []
    for folder in upload_dir.iterdir():
        if folder.is_dir() and _RE_FOLDER.fullmatch(folder.name) and folder.name not in kept:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    if removed:
        log.info("removed %d uploaded file(s) no indexed notice comes from", len(removed))
    return removed


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty, or already gone
        folder.rmdir()
