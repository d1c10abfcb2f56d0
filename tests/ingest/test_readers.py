"""Reading sources into normalised documents, and refusing bad files with a one-line message."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fakes import make_pdf
from hypothesis import given
from hypothesis import strategies as st

from medquote.errors import SourceError
from medquote.ingest.document import Document
from medquote.ingest.registry import detect_format, read_documents
from medquote.settings import FORMATS
from medquote.text.normalize import normalize_text

# --- helpers -------------------------------------------------------------------------------------


def medquad_xml(doc_id: str, pairs: list[tuple[str, str]], focus: str = "Asthma") -> str:
    """A MedQuAD-shaped document; ``pairs`` are (question, answer), qids numbered from 1."""
    body = "".join(
        f'<QAPair pid="{n}"><Question qid="{doc_id}-{n}" qtype="information">{question}</Question>'
        f"<Answer>{answer}</Answer></QAPair>\n"
        for n, (question, answer) in enumerate(pairs, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document id="{doc_id}" source="Test" '
        f'url="https://example.org/{doc_id}">\n<Focus>{focus}</Focus>\n<QAPairs>\n{body}</QAPairs>\n</Document>\n'
    )


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def source_error(path: Path, fmt: str | None = None) -> str:
    """The message of the SourceError reading ``path`` raises; it must be one line naming the file."""
    with pytest.raises(SourceError) as caught:
        read_documents(path, fmt)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def only(path: Path, fmt: str | None = None) -> Document:
    result = read_documents(path, fmt)
    assert len(result.documents) == 1
    return result.documents[0]


# --- formats -------------------------------------------------------------------------------------


def test_detect_format_by_suffix_and_folder(tmp_path: Path) -> None:
    expected = {"a.txt": "txt", "a.md": "md", "a.markdown": "md", "a.HTML": "html", "a.htm": "html",
                "a.pdf": "pdf", "corpus.jsonl": "beir", "a.xml": "medquad"}  # fmt: skip
    assert {name: detect_format(tmp_path / name) for name in expected} == expected
    assert detect_format(tmp_path) == "medquad"
    assert set(expected.values()) == set(FORMATS)


def test_txt_is_normalised_and_bom_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbfFirst  line\r\nsecond\tline\r\n\r\n\r\n\r\nNext para.  \n")
    document = only(path)
    assert document == Document(key="", text="First line\nsecond line\n\nNext para.")


def test_markdown_is_kept_as_written_with_its_h1_as_title(tmp_path: Path) -> None:
    text = "# Metformin\n\nIntro text.\n\n## Side effects\n\n- nausea\n- diarrhoea\n\n```\n# not a title\n```"
    document = only(write(tmp_path / "a.md", text))
    assert document.text == text
    assert document.title == "Metformin"


HTML = """<!doctype html>
<html><head><title> Asthma   basics </title><style>p { color: red }</style>
<script>var secret = "script text";</script></head>
<body>
  <nav><a href="/">Home</a> <a href="/x">Navigation link</a></nav>
  <header>Site banner</header>
  <main>
    <h1>What is asthma?</h1>
    <p>Asthma is a <b>chronic</b>
       disease of the airways.</p>
    <p>It&nbsp;can be treated.<br>Most people do well.</p>
    <ul>
      <li>Wheezing</li>
      <li>Coughing</li>
    </ul>
    <h2>Treatment</h2>
    <div>Inhalers help.</div>
    <table><tr><th>Drug</th><th>Use</th></tr><tr><td>Salbutamol</td><td>relief</td></tr></table>
    <noscript>Enable JavaScript</noscript>
    <form><label>Search the site</label></form>
    <!-- a comment -->
    <pre>line one
line two</pre>
  </main>
  <aside>Related articles</aside>
  <footer>Copyright footer</footer>
</body></html>
"""


def test_html_keeps_main_text_and_paragraphs_and_drops_chrome(tmp_path: Path) -> None:
    document = only(write(tmp_path / "page.html", HTML))
    assert document.title == "What is asthma?"
    assert document.text == (
        "# What is asthma?\n\n"
        "Asthma is a chronic disease of the airways.\n\n"
        "It can be treated.\nMost people do well.\n\n"
        "Wheezing\nCoughing\n\n"
        "## Treatment\n\n"
        "Inhalers help.\n\n"
        "Drug Use\nSalbutamol relief\n\n"
        "line one\nline two"
    )
    for dropped in ("script text", "color", "Navigation", "banner", "JavaScript", "Search", "Related",
                    "Copyright", "comment"):  # fmt: skip
        assert dropped not in document.text


PARAGRAPH = "Gout is a form of arthritis that causes sudden attacks of pain and swelling in the joints. " * 3
PAGE_WITHOUT_MAIN = f"""<html><head><title>Gout | Example Health</title>
<meta name="date" content="2024-03-01"></head><body>
<div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p></div>
<div class="menu"><a href="/">Home</a> <a href="/about">About us</a> <a href="/contact">Contact</a></div>
<div class="content"><h1>Gout</h1><p>{PARAGRAPH}</p>
<h2>Treatment</h2><p>Medicines lower uric acid. {PARAGRAPH}</p></div>
<div class="sidebar"><h3>Related articles</h3><ul><li><a href="/flu">Flu season tips</a></li></ul></div>
<div class="footer"><p>Copyright 2024 Example Health. All rights reserved.</p></div>
</body></html>"""


def test_html_without_main_or_article_drops_cookie_banner_sidebar_and_footer(tmp_path: Path) -> None:
    document = only(write(tmp_path / "page.htm", PAGE_WITHOUT_MAIN))
    assert document.text.startswith("# Gout\n\nGout is a form of arthritis")
    assert "## Treatment\n\nMedicines lower uric acid." in document.text
    for chrome in ("cookies", "About us", "Related articles", "Flu season", "Copyright"):
        assert chrome not in document.text
    assert document.title == "Gout"
    assert document.published == "2024-03-01"


def test_html_too_short_for_main_text_detection_keeps_its_visible_text(tmp_path: Path) -> None:
    html = "<html><body><nav>Menu</nav><form id='aspnetForm'><p>Drink water.</p></form></body></html>"
    document = only(write(tmp_path / "page.html", html))
    assert "Drink water." in document.text


def test_pdf_text_layer_of_every_page(tmp_path: Path) -> None:
    path = write(tmp_path / "leaflet.pdf", make_pdf(["Take one tablet daily.", "Store below 25 C."]))
    assert only(path).text == "Take one tablet daily.\n\nStore below 25 C."


def test_beir_corpus_lines(tmp_path: Path) -> None:
    lines = [
        '{"_id": "d1", "title": "Flu", "text": "Flu is  a virus.", "metadata": {"url": "https://e.org/flu"}}',
        "",
        '{"_id": "d2", "text": "   "}',
        '{"_id": 3, "text": "Colds are common.", "url": "https://e.org/cold"}',
    ]
    result = read_documents(write(tmp_path / "corpus.jsonl", "\n".join(lines) + "\n"))
    assert result.skipped == 1
    assert result.documents == (
        Document(key="d1", text="Flu is a virus.", title="Flu", url="https://e.org/flu"),
        Document(key="3", text="Colds are common.", url="https://e.org/cold"),
    )


def test_medquad_file_and_folder(tmp_path: Path) -> None:
    folder = tmp_path / "medquad"
    (folder / "1_A").mkdir(parents=True)
    (folder / "2_B").mkdir()
    xml = medquad_xml("0000001", [("What is (are) Asthma ?", "Asthma is\n   common."), ("Who gets it ?", " ")])
    write(folder / "1_A" / "0000001.xml", xml)
    # The same qids in another subset: numbering restarts per subset in the real data.
    write(folder / "2_B" / "0000001.xml", medquad_xml("0000001", [("What is gout ?", "Gout hurts.")], "Gout"))
    write(folder / "2_B" / "._0000001.xml", b"\x00\x05\x16\x07 macOS resource fork")

    single = read_documents(folder / "1_A" / "0000001.xml")
    assert single.skipped == 1
    assert single.documents == (
        Document(
            key="0000001-1",
            text="Asthma is\ncommon.",
            title="Asthma",
            url="https://example.org/0000001",
            section="What is (are) Asthma ?",
            meta=(
                ("focus", "Asthma"),
                ("qtype", "information"),
                ("medquad_source", "Test"),
                ("document_id", "0000001"),
                ("medquad_file", "0000001.xml"),
            ),  # fmt: skip
        ),
    )
    tree = read_documents(folder)
    assert tree.skipped == 1
    assert [d.key for d in tree.documents] == ["1_A/0000001/0000001-1", "2_B/0000001/0000001-1"]


def test_medquad_lowercase_variant_is_read(tmp_path: Path) -> None:
    # Four NINDS files in the real data use this schema.
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<doc docid="0000007" corpus="NINDS" url="https://e.org/h">'
        '<doctitle-focus>Holmes-Adie</doctitle-focus><qaPairs><pair pid="1">'
        '<question qid="0000007-1" qtype="information">what is holmes-adie ?</question>'
        "<answer>A disorder of the pupil.</answer></pair></qaPairs></doc>"
    )
    document = only(write(tmp_path / "0000007.xml", xml))
    assert (document.key, document.title, document.text) == (
        "0000007-1",
        "Holmes-Adie",
        "A disorder of the pupil.",
    )
    assert ("medquad_source", "NINDS") in document.meta


def test_medquad_with_only_empty_answers_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "0000001.xml", medquad_xml("0000001", [("What is it ?", "")]))
    assert "empty answers" in source_error(path)


# --- bad input -----------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in source_error(tmp_path / "nope.txt")


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "a.pdf", "corpus.jsonl", "a.xml"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    assert "empty" in source_error(write(tmp_path / name, b""))


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "corpus.jsonl"])
def test_whitespace_only_file(tmp_path: Path, name: str) -> None:
    assert "empty" in source_error(write(tmp_path / name, " \n\u00a0\t\u200b\r\n"))


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.html", "corpus.jsonl"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    assert "binary" in source_error(write(tmp_path / name, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


def test_utf16_file(tmp_path: Path) -> None:
    assert "UTF-16" in source_error(write(tmp_path / "a.txt", "hello".encode("utf-16")))


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"line one\nline two\ncaf\xe9\n")
    message = source_error(path)
    assert message.startswith(f"{path}:3: ") and "UTF-8" in message


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "a.xml", '<?xml version="1.0"?>\n<Document>\n<Focus>x</Foc>\n</Document>\n')
    message = source_error(path)
    assert message.startswith(f"{path}:3: ") and "malformed XML" in message


def test_malformed_xml_inside_a_folder_names_that_file(tmp_path: Path) -> None:
    write(tmp_path / "0000001.xml", medquad_xml("0000001", [("Q ?", "An answer.")]))
    bad = write(tmp_path / "0000002.xml", "<Document><QAPairs>")
    with pytest.raises(SourceError, match=re.escape(f"{bad}:1: malformed XML")):
        read_documents(tmp_path)


def test_xml_that_is_not_medquad(tmp_path: Path) -> None:
    assert "MedQuAD" in source_error(write(tmp_path / "a.xml", "<rss><channel/></rss>"))


def test_folder_without_xml(tmp_path: Path) -> None:
    write(tmp_path / "notes.txt", "hello")
    assert "no .xml files" in source_error(tmp_path)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    message = source_error(write(tmp_path / "scan.pdf", make_pdf([None, None])))
    assert "has no text layer (scanned PDF?); OCR it first or add a text version" in message


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    full = make_pdf(["Some text here."])
    assert "truncated or damaged" in source_error(write(tmp_path / "cut.pdf", full[: int(len(full) * keep)]))


def test_not_a_pdf(tmp_path: Path) -> None:
    assert "not a PDF" in source_error(write(tmp_path / "a.pdf", "just text pretending"))


def test_password_protected_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Secret text."])))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "password" in source_error(write(tmp_path / "locked.pdf", buffer.getvalue()))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "not valid JSON"),
        ('["_id", "text"]', "JSON object"),
        ('{"text": "no id"}', '"_id"'),
        ('{"_id": "d9"}', '"text"'),
        ('{"_id": "d1", "text": "again"}', "duplicate _id 'd1' (first on line 1)"),
    ],
)
def test_bad_beir_line_names_file_and_line(tmp_path: Path, line: str, expected: str) -> None:
    path = write(tmp_path / "corpus.jsonl", '{"_id": "d1", "text": "ok"}\n\n' + line + "\n")
    message = source_error(path)
    assert message.startswith(f"{path}:3: ") and expected in message


def test_unknown_suffix_and_unknown_format(tmp_path: Path) -> None:
    path = write(tmp_path / "a.docx", b"PK\x03\x04")
    assert "unknown format" in source_error(path)
    assert "unknown format 'rtf'" in source_error(write(tmp_path / "a.txt", "x"), "rtf")


def test_folder_for_a_single_file_format(tmp_path: Path) -> None:
    assert "is a folder" in source_error(tmp_path, "txt")


# --- normalize_text ------------------------------------------------------------------------------


def test_normalize_text_examples() -> None:
    assert normalize_text("  a\u00a0\u2003b\u200b c \r\n\r\n\r\n\r\nd\te  ") == "a b c\n\nd e"
    assert normalize_text("cafe\u0301") == "caf\u00e9"
    assert normalize_text("e\u200b\u0301") == "\u00e9"  # the zero-width space no longer blocks NFC
    assert normalize_text("a\u2028b\u2029c") == "a\nb\n\nc"
    assert normalize_text(" \n \t\n") == ""


_AWKWARD = st.sampled_from(
    [
        " ",
        "  ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\u00a0",
        "\u2003",
        "\u3000",
        "\u200b",
        "\u200d",
        "\ufeff",
        "\u00ad",
        "\u2028",
        "\u2029",
        "\x0c",
        "\x85",
        "\x00",
        "e",
        "\u0301",
        "\u212b",
        "A",
        "é",
    ]  # fmt: skip
)


@given(st.lists(st.one_of(_AWKWARD, st.text(max_size=5)), max_size=30).map("".join))
def test_normalize_text_properties(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once
    assert "\n\n\n" not in once
    assert "  " not in once
    assert "\t" not in once
    assert once == once.strip()
    assert all(line == line.strip() for line in once.split("\n"))
    assert once.splitlines() == once.split("\n") or once == ""


# --- the real MedQuAD ----------------------------------------------------------------------------


@pytest.mark.slow
def test_real_medquad_tree(medquad_dir: Path) -> None:
    files = sorted(medquad_dir.rglob("*.xml"))
    # Counted independently of the parser; four NINDS files spell the element <pair>.
    pair_tag = re.compile(rb"<(?:QAPair|pair)[\s>]")
    pairs = sum(len(pair_tag.findall(file.read_bytes())) for file in files)
    assert pairs == 47_457  # the total the MedQuAD readme announces

    result = read_documents(medquad_dir)

    assert len(result.documents) + result.skipped == pairs
    assert result.skipped > 0  # three MedlinePlus subsets had their answers removed
    assert all(document.text and document.text == normalize_text(document.text) for document in result.documents)
    keys = [document.key for document in result.documents]
    assert len(set(keys)) == len(keys)
    assert all(document.section for document in result.documents)
    # A few CDC files have an empty <Focus>: those pairs have no title, the rest all do.
    assert sum(document.title is None for document in result.documents) < 50
