"""No run of 30 characters is shared with the OOJOO article the Korean essay builds on.

The shared corpus (``../shared/testdata/originality/``) holds, one a line, the
first 16 hex digits of the SHA-1 of every 30-character window of the article,
after folding each run of whitespace into one space. Every essay, page and YAML
text we publish is folded the same way and each of its windows looked up, twice:
as written, and as a reader sees it (data references expanded to their figures,
Markdown markup dropped), so that a copied sentence cannot hide behind a
``[[fig:…]]`` or a footnote mark. A match is a run to reword, never to allow-list.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import REPO, SHARED, need

from sovereign_site.data.dataset import Dataset, load_dataset
from sovereign_site.data.errors import Report
from sovereign_site.prose.references import RefContext, expand_refs

CORPUS = SHARED / "testdata" / "originality" / "oojoo-article-shingles.txt"
WINDOW = 30
_WHITESPACE = re.compile(r"\s+")


def window_hash(window: str) -> str:
    """The corpus's hash of one window: the first 16 hex digits of SHA-1 over its UTF-8 bytes."""
    return hashlib.sha1(window.encode("utf-8")).hexdigest()[:16]


def fold(text: str) -> tuple[str, list[int]]:
    """``re.sub(r"\\s+", " ", text)`` (the corpus's rule), with the source line of every character kept."""
    chars: list[str] = []
    lines: list[int] = []
    line, pos = 1, 0
    for match in _WHITESPACE.finditer(text):
        for ch in text[pos : match.start()]:
            chars.append(ch)
            lines.append(line)
        chars.append(" ")
        lines.append(line)
        line += match.group(0).count("\n")
        pos = match.end()
    for ch in text[pos:]:
        chars.append(ch)
        lines.append(line)
    return "".join(chars), lines


def copied_runs(text: str, hashes: set[str]) -> list[tuple[int, str]]:
    """(line, window) for every 30-character window of ``text`` whose hash is in ``hashes``; overlapping hits of one run are reported once."""
    folded, lines = fold(text)
    hits: list[tuple[int, str]] = []
    last = -WINDOW
    for start in range(len(folded) - WINDOW + 1):
        window = folded[start : start + WINDOW]
        if window_hash(window) in hashes:
            if start - last >= WINDOW:  # a new run, not the next window of the same one
                hits.append((lines[start], window))
            last = start
    return hits


# What Markdown adds around prose, removed line by line so line numbers stay true.
_MARKUP = [
    (re.compile(r"\[\^[^\]\s]+\]:?"), ""),  # footnote marks and labels
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"\\(.)"), r"\1"),  # backslash escapes (data values come escaped)
    (re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)|`"), ""),  # emphasis and code marks
    (re.compile(r"(?m)^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)"), ""),  # headings, quotes, list marks
    (re.compile(r"\s*\|\s*"), " "),  # table cells
]


def reading_text(path: Path, text: str, dataset: Dataset) -> str:
    """The text a reader sees: data references expanded to their figures and Markdown markup removed (same lines)."""
    lang = "en" if path.name.endswith(".en.md") else "ko"
    ctx = RefContext(dataset, lang, lambda code: "")
    text = expand_refs(text, ctx, Report(path.parent), path, 0)
    for pattern, repl in _MARKUP:
        text = "\n".join(pattern.sub(repl, line) for line in text.split("\n"))
    return text


def check(paths: list[Path], hashes: set[str], root: Path, dataset: Dataset) -> list[str]:
    """One message per copied run, naming the file and line: ``content/essays/x.md:12: …``."""
    problems = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        views = [text]
        if path.suffix == ".md":
            views.append(reading_text(path, text, dataset))
        seen: set[tuple[int, str]] = set()
        for view in views:
            for line, window in copied_runs(view, hashes):
                if (line, window) not in seen:
                    seen.add((line, window))
                    problems.append(f"{path.relative_to(root)}:{line}: a 30-character run of the OOJOO article: {window!r}")
    return problems


def published_text(root: Path) -> list[Path]:
    """Every essay and page (both languages) and every YAML file of prose: content and the site's messages."""
    content = root / "content"
    paths = sorted(content.rglob("*.md")) + sorted(content.rglob("*.yaml"))
    return paths + sorted((root / "templates" / "messages").glob("*.yaml"))


def load_corpus(path: Path) -> set[str]:
    """The article's window hashes; a missing corpus skips on a developer's machine and fails under CI."""
    need(path.exists(), f"{path} not found: the originality corpus lives in ../shared/testdata/originality/")
    found = {line.strip() for line in path.read_text(encoding="ascii").split("\n") if line.strip()}
    # An empty or mangled corpus would let every text pass: refuse it rather than pass vacuously.
    assert found, f"{path} is empty"
    bad = [h for h in found if not re.fullmatch(r"[0-9a-f]{16}", h)]
    assert not bad, f"{path}: not 16 hex digits: {bad[:3]}"
    return found


@pytest.fixture(scope="module")
def hashes() -> set[str]:
    return load_corpus(CORPUS)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(REPO / "content")


def test_no_published_text_copies_the_article(hashes: set[str], dataset: Dataset) -> None:
    paths = published_text(REPO)
    essays = [p for p in paths if p.parent.name == "essays"]
    assert any(p.name.endswith(".en.md") for p in essays) and any(not p.name.endswith(".en.md") for p in essays)
    assert check(paths, hashes, REPO, dataset) == []


def test_fold_is_the_corpus_rule() -> None:
    text = "첫 줄\t 끝\n\n  둘째 줄\u3000셋째\r\n넷째 "
    folded, lines = fold(text)
    assert folded == re.sub(r"\s+", " ", text)
    assert len(lines) == len(folded)
    assert lines[folded.index("둘째")] == 3 and lines[folded.index("넷째")] == 4


# A sentence of our own standing in for the article: the corpus cannot be turned back into text,
# so the fixture's hashes are made here, from the planted sentence, exactly as the corpus was made.
PLANTED = "정부의 인공지능 예산은 한 해 만에 10조 1,000억 원으로 불어났고 그 대부분은 연산 자원에 쓰인다."
PLANTED_WITH_REF = PLANTED.replace("10조 1,000억 원", "[[fig:kr.ai-budget-2026]]")


def _corpus_of(sentence: str) -> set[str]:
    folded = re.sub(r"\s+", " ", sentence)
    return {window_hash(folded[i : i + WINDOW]) for i in range(len(folded) - WINDOW + 1)}


def _essay(tmp_path: Path, body: str) -> Path:
    essays = tmp_path / "content" / "essays"
    essays.mkdir(parents=True)
    path = essays / "planted.md"
    path.write_text(f"---\ntitle: 시험\nslug: planted\nlang: ko\ndate: 2026-11-30\n---\n\n{body}\n", encoding="utf-8")
    return path


def test_a_planted_copy_is_caught_with_its_line(tmp_path: Path, dataset: Dataset) -> None:
    # The copy is split over two lines and its spaces doubled: folding must still find it.
    head, tail = PLANTED.split(" 그 대부분은 ")
    path = _essay(tmp_path, f"우리 글의 첫 문단이다.\n\n앞말 {head}\n그  대부분은 {tail}")
    problems = check([path], _corpus_of(PLANTED), tmp_path, dataset)
    assert problems, "a planted copy went unnoticed"
    assert problems[0].startswith("content/essays/planted.md:10: a 30-character run of the OOJOO article:")
    assert len(problems) == 1  # one run, one message, not one per overlapping window


def test_a_copy_behind_a_data_reference_is_caught(tmp_path: Path, dataset: Dataset) -> None:
    # As written the run is broken by [[fig:…]]; as read, the figure fills it back in.
    path = _essay(tmp_path, f"{PLANTED_WITH_REF}[^n]\n\n[^n]: 각주.")
    corpus = {h for h in _corpus_of(PLANTED) if h not in _corpus_of(PLANTED_WITH_REF)}
    assert copied_runs(path.read_text(encoding="utf-8"), corpus) == []
    problems = check([path], corpus, tmp_path, dataset)
    assert problems and problems[0].startswith("content/essays/planted.md:8:")


def test_our_own_sentence_is_not_flagged(tmp_path: Path, dataset: Dataset) -> None:
    path = _essay(tmp_path, "이 문장은 심어 둔 문장과 낱말 몇 개를 나누지만 서른 글자가 이어지는 구간은 없다.")
    assert check([path], _corpus_of(PLANTED), tmp_path, dataset) == []


def test_a_missing_corpus_fails_under_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import conftest

    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="CI must have it"):
        load_corpus(tmp_path / "missing.txt")
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="originality corpus"):
        load_corpus(tmp_path / "missing.txt")
