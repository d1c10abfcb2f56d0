"""Read MedQuAD question-answer pairs (one XML file, or a folder tree of them) into documents.

MedQuAD (https://github.com/abachaa/MedQuAD) stores one ``<Document>`` per file with ``<QAPair>``
elements. Four NINDS files use a lower-case variant (``<doc docid corpus>``, ``<pair>``,
``<question>``, ``<answer>``, ``<doctitle-focus>``) and one CDC file a ``<DiseaseFile fid>`` root;
both are read, which is what makes the total match the 47,457 pairs the dataset announces.

Keys: a qid is unique within a file, but not across files: numbering restarts in each subset folder
(``0000004-1`` exists in seven of them), and some CancerGov files share a document id
(``0000013_2.xml`` ... ``0000013_2_6.xml`` all use qids ``0000013_2-N`` for different questions).
So a single file keys its documents by qid, and a folder by ``<file path relative to the folder,
without .xml>/<qid>``, e.g. ``1_CancerGov_QA/0000013_2_1/0000013_2-1``: unique, stable and traceable.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from pathlib import Path

from medquote.errors import SourceError
from medquote.ingest.document import Document, ReadResult
from medquote.text.normalize import error_text, normalize_text, one_line

__all__ = ["read_medquad"]

log = logging.getLogger(__name__)

_ROOT_TAGS = frozenset({"document", "doc", "diseasefile"})
_PAIR_TAGS = frozenset({"qapair", "pair"})
_FOCUS_TAGS = frozenset({"focus", "doctitle-focus"})
_DOC_ID_ATTRS = ("id", "docid", "fid")
_SOURCE_ATTRS = ("source", "corpus")


def read_medquad(path: Path, *, progress: bool = False) -> ReadResult:
    """Every answered pair of a MedQuAD XML file or folder tree; empty answers are counted in ``skipped``."""
    from tqdm import tqdm

    files = _xml_files(path) if path.is_dir() else [path]
    documents: list[Document] = []
    skipped = 0
    seen: set[str] = set()
    for file in tqdm(files, desc="MedQuAD", unit="file", disable=not progress):
        relative = file.relative_to(path).as_posix() if path.is_dir() else file.name
        prefix = relative.removesuffix(file.suffix) + "/" if path.is_dir() else ""
        file_documents, file_skipped = _read_file(file, prefix, relative)
        for document in file_documents:
            if document.key in seen:
                raise SourceError(f"{file}: question qid {document.key!r} appears twice; make qids unique")
            seen.add(document.key)
        documents.extend(file_documents)
        skipped += file_skipped
    if not documents and not skipped:
        raise SourceError(f"{path}: no question-answer pairs found; point to MedQuAD XML files")
    if not documents:
        raise SourceError(
            f"{path}: all {skipped} question-answer pairs have empty answers (MedQuAD removed the "
            "MedlinePlus A.D.A.M., Drugs and Herbs answers for copyright); use the other subsets"
        )
    log.info(
        "%s: %d answered pairs from %d files, %d empty answers skipped",
        path,
        len(documents),
        len(files),
        skipped,
    )
    return ReadResult(tuple(documents), skipped)


def _xml_files(folder: Path) -> list[Path]:
    # Hidden files are skipped: unzipping on macOS leaves "._0000001.xml" resource forks that are not XML.
    files = sorted(
        file
        for file in folder.rglob("*")
        if file.suffix.lower() == ".xml"
        and file.is_file()
        and not any(part.startswith(".") for part in file.relative_to(folder).parts)
    )
    if not files:
        raise SourceError(f"{folder}: no .xml files in this folder; point to a MedQuAD folder")
    return files


def _read_file(file: Path, prefix: str, relative: str) -> tuple[list[Document], int]:
    try:
        if file.stat().st_size == 0:
            raise SourceError(f"{file}: the file is empty (0 bytes); download it again or remove it")
        root = ET.parse(file).getroot()
    except ET.ParseError as exc:
        line = exc.position[0]
        reason = error_text(exc).split(": line ")[0]
        raise SourceError(f"{file}:{line}: malformed XML ({reason}); fix the file or download it again") from exc
    except OSError as exc:
        raise SourceError(f"{file}: cannot read the file ({exc.strerror}); check its permissions") from exc

    pairs = [element for element in root.iter() if element.tag.lower() in _PAIR_TAGS]
    # A known root with no pairs is valid MedQuAD (5_NIDDK_QA/0000056.xml has an empty <QAPairs/>).
    if not pairs and root.tag.lower() not in _ROOT_TAGS:
        raise SourceError(f"{file}: no <QAPair> elements (root is <{root.tag}>); is it a MedQuAD file?")
    focus = one_line(_text(_child(root, _FOCUS_TAGS)))
    category = one_line(_text(_child(_child(root, {"focusannotations"}), {"category"})))
    source, document_id = _attr(root, _SOURCE_ATTRS), _attr(root, _DOC_ID_ATTRS)
    url = _attr(root, ("url",))

    documents: list[Document] = []
    skipped = 0
    for pair in pairs:
        question = _child(pair, {"question"})
        qid = question.get("qid", "").strip() if question is not None else ""
        if question is None or not qid:
            raise SourceError(f"{file}: the pair pid={pair.get('pid', '?')} has no <Question qid=...>; fix the file")
        answer = normalize_text(_text(_child(pair, {"answer"})) or "")
        if not answer:
            skipped += 1
            continue
        meta = {
            "focus": focus,
            "qtype": question.get("qtype", "").strip(),
            "category": category,
            "medquad_source": source,
            "document_id": document_id,
            "medquad_file": relative,
        }
        documents.append(
            Document(
                key=prefix + qid,
                text=answer,
                title=focus,
                url=url,
                section=one_line(_text(question)),
                meta=tuple((name, value) for name, value in meta.items() if value),
            )
        )
    return documents, skipped


def _child(element: ET.Element | None, tags: frozenset[str] | set[str]) -> ET.Element | None:
    """The first direct child whose tag, lower-cased, is one of ``tags``."""
    if element is None:
        return None
    return next((child for child in element if child.tag.lower() in tags), None)


def _text(element: ET.Element | None) -> str | None:
    return None if element is None else "".join(element.itertext())


def _attr(element: ET.Element, names: tuple[str, ...]) -> str | None:
    return next((value.strip() for name in names if (value := element.get(name, "")).strip()), None)
