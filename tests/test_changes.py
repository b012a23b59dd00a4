"""The change history of every item (#13), read from git: country pages, /changes/, changes.csv and the data feed.

A fixture project is made a git repository with four commits: the first
file, a value, a bound and a source change (with a line moved, which is no
change), an item added and one removed (under a subject that would be a
spreadsheet formula), and a source title edit (no item changes). Every
assertion reads the built output.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import run_cli
from test_broken_inputs import make_project, tree_digest

FORMULA = '=HYPERLINK("http://evil.example/x","click")'
ATOM = "{http://www.w3.org/2005/Atom}"


def git(project: Path, *args: str, when: str = "2026-01-02T03:04:05Z") -> str:
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(project), "GIT_CONFIG_NOSYSTEM": "1"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=project, check=True, capture_output=True, text=True, env={**os.environ, **env}).stdout


def edit(project: Path, *replacements: tuple[str, str]) -> None:
    path = project / "content" / "countries" / "kr.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def commit(project: Path, subject: str, when: str) -> None:
    git(project, "add", "-A", when=when)
    git(project, "commit", "-q", "-m", subject, when=when)


def make_history(root: Path) -> Path:
    project = make_project(root, essays=False)
    git(project, "init", "-q", "-b", "main")
    commit(project, "First data", "2026-01-02T03:04:05Z")
    edit(
        project,
        # A value change; the sector line moves above the amount, which is no change.
        ("    amount: 1.46T\n    bound: about\n    currency: KRW\n    period: \"2025\"\n    sector: public\n",
         "    sector: public\n    amount: 2.1T\n    bound: about\n    currency: KRW\n    period: \"2025\"\n"),
        # A bound change.
        ("    bound: more-than\n", "    bound: about\n"),
        # A source change.
        ("    released: 2025-07\n    sources: [src-model]", "    released: 2025-07\n    sources: [src-model, src-law]"),
    )  # fmt: skip
    commit(project, "Budget revised <b>upward</b>", "2026-02-03T10:00:00+09:00")
    edit(
        project,
        # An item added (its English label would be a formula in a spreadsheet) and one removed.
        ("timeline:\n", f"timeline:\n  - id: act-passed\n    date: 2024-12-26\n    label: {{ko: 국회 통과, en: '{FORMULA}'}}\n    sources: [src-law]\n"),
        ("  talent:\n    - id: ai-workforce\n      label: {ko: AI 인력, en: AI workforce}\n      value: 60000\n      unit: {ko: 명, en: people}\n"
         "      bound: about\n      date: 2024\n      sources: [src-model]\n", "  talent: []\n"),
    )  # fmt: skip
    commit(project, FORMULA, "2026-03-04T05:06:07Z")
    # A commit that changes no item's value, bound, status or sources.
    edit(project, ("    title: AI Basic Act\n", "    title: Basic Act on AI\n"))
    commit(project, "Source title as published", "2026-04-01T00:00:00Z")
    return project


def build(project: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = run_cli("build", "--output", str(out), "--no-search", *extra, cwd=project, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("changes")
    project = make_history(root / "project")
    result = run_cli("build", "--output", str(root / "site"), "--site-url", "https://example.org", cwd=project)  # with the search index
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def item(page: str, anchor: str) -> str:
    """The HTML of one item (a table row or a list item) by its id."""
    match = re.search(rf'<(tr|li) id="{anchor}"[^>]*>(.*?)</\1>\s*(?=<(?:tr|li|/tbody|/ol|/ul))', page, re.S)
    assert match, anchor
    return match.group(2)


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def entry(page: str, anchor: str) -> str:
    """One item's entry on a country's history page, by its id."""
    match = re.search(rf'<li id="{anchor}">(.*?)</details></li>', page, re.S)
    assert match, anchor
    return match.group(1)


def test_the_history_page_shows_every_items_changes(site: Path) -> None:
    ko = read(site, "countries/kr/history/index.html")
    budget = entry(ko, "item-kr-gpu-budget")
    # Added in the first commit, its amount changed in the second; the moved line is no change.
    assert "<summary>변경 이력 2건</summary>" in budget and 'href="/countries/kr/#item-kr-gpu-budget"' in budget
    assert '1조 4,600억 원</span> → <span class="new">2조 1,000억 원' in budget
    # The change's date (the commit's, in its own time zone) links to the commit, whose subject is written once.
    link = re.search(r'<a class="ch-commit" href="#commit-([0-9a-f]{12})"><time datetime="2026-02-03">2026년 2월 3일</time></a>', budget)
    assert link, budget
    commits = ko[ko.index('id="commits"') :]
    assert f'<li id="commit-{link.group(1)}"><time datetime="2026-02-03">' in commits
    assert "“Budget revised &lt;b&gt;upward&lt;/b&gt;”" in commits and "<b>upward" not in ko
    assert ko.count("Budget revised") == 1, "a commit's subject is written once, however many items it changed"
    assert '범위: <span class="old">하한(이상)</span> → <span class="new">근사치</span>' in entry(ko, "item-kr-gpu-state-target")
    assert '출처: <span class="new">+src-law</span>' in entry(ko, "item-kr-exaone")
    added = entry(ko, "item-kr-act-passed")
    assert "<summary>변경 이력 1건</summary>" in added and 'class="ch-added">추가' in added
    assert 'href="/countries/kr/timeline/#item-kr-act-passed"' in added  # a timeline event links to the timeline page
    # The removed item keeps its anchor and history, last, with its last value and no link to a page it left.
    removed = entry(ko, "item-kr-ai-workforce")
    assert "삭제" in removed and "6만 명" in removed and "href=" not in removed.split("<details", 1)[0]
    assert ko.index("삭제된 항목") > ko.index('id="item-kr-gpu-budget"')
    # An item whose only change is its first appearance says so, without repeating its values.
    assert "<summary>변경 이력 1건</summary>" in entry(ko, "item-kr-ai-basic-act")
    assert ko.count('class="item-history"') == 9  # eight items now, one removed
    en = read(site, "en/countries/kr/history/index.html")
    assert "<summary>2 changes</summary>" in entry(en, "item-kr-gpu-budget")
    assert '₩1.46 trillion</span> → <span class="new">₩2.1 trillion' in en
    assert 'Bound: <span class="old">more than</span> → <span class="new">approximately</span>' in en


def test_the_profile_links_an_item_to_its_history_once_it_has_changed(site: Path) -> None:
    ko = read(site, "countries/kr/index.html")
    assert 'class="item-history"' not in ko and "Budget revised" not in ko, "histories live on the history page"
    assert '<a class="history-link" href="history/#item-kr-gpu-budget">변경 이력 2건</a>' in item(ko, "item-kr-gpu-budget")
    assert 'href="history/#item-kr-exaone"' in item(ko, "item-kr-exaone")  # a source added is a change
    # Added and never changed since: nothing to see beyond the history page itself.
    assert "history-link" not in item(ko, "item-kr-ai-basic-act")
    assert '<a href="history/">변경 이력</a>' in ko  # the country's page tabs
    assert "history-link" not in item(read(site, "countries/kr/timeline/index.html"), "item-kr-act-passed")


def test_histories_are_not_searched(site: Path) -> None:
    """Old values and commit subjects would show up as stale search hits: Pagefind leaves them out."""
    fragments = list((site / "pagefind" / "fragment").glob("*.pf_fragment"))
    text = "".join(gzip.decompress(f.read_bytes()).decode("utf-8", errors="replace") for f in fragments)
    assert "GPU 확보 예산" in text, "the index holds the country page"
    assert "Budget revised" not in text and "1조 4,600억" not in text and "변경 이력" not in text


def test_the_changes_page_lists_the_latest_changes_newest_first(site: Path) -> None:
    for path, heading, budget in (
        ("changes/index.html", "<h1>변경 기록</h1>", "2조 1,000억 원"),
        ("en/changes/index.html", "<h1>Changes</h1>", "₩2.1 trillion"),
    ):
        page = read(site, path)
        assert heading in page and budget in page
        listed = page[page.index('<ol class="changes"') :]
        entries = re.findall(r'<time datetime="([\d-]+)">', listed[: listed.index("</ol>")])
        assert entries == sorted(entries, reverse=True) and len(entries) == 13  # 8 added, 3 changed, 1 added, 1 removed
        assert entries[0] == "2026-03-04"  # the title edit of April changed no item
        prefix = "/en" if path.startswith("en/") else ""
        assert f'href="{prefix}/countries/kr/history/#item-kr-gpu-budget"' in page
        assert "Source title as published" not in page
        assert 'href="/data/changes.csv"' in page
    assert 'href="/changes/">변경 기록</a>' in read(site, "index.html")  # the footer links it
    assert "data/changes.csv" in read(site, "downloads/index.html")


def test_changes_csv_has_one_row_per_changed_field_and_no_formula(site: Path) -> None:
    text = read(site, "data/changes.csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    amount = [r for r in rows if r["id"] == "gpu-budget" and r["change"] == "changed"]
    assert [(r["field"], r["old"], r["new"]) for r in amount] == [("amount", "1460000000000 KRW", "2100000000000 KRW")]
    assert amount[0]["date"] == "2026-02-03T10:00:00+09:00" and len(amount[0]["commit"]) == 40
    bound = next(r for r in rows if r["id"] == "gpu-state-target" and r["change"] == "changed")
    assert (bound["field"], bound["old"], bound["new"]) == ("bound", "more-than", "about")
    sources = next(r for r in rows if r["id"] == "exaone" and r["change"] == "changed")
    assert (sources["field"], sources["old"], sources["new"]) == ("sources", "src-model", "src-law src-model")
    removed = [r for r in rows if r["change"] == "removed"]
    assert {(r["id"], r["field"], r["old"]) for r in removed} >= {("ai-workforce", "value", "60000 people")}
    # The planted formula, as a subject and as a label, is text in every cell.
    planted = [r for r in rows if r["id"] == "act-passed"]
    assert planted and all(r["subject"] == "'" + FORMULA and r["label_en"] == "'" + FORMULA for r in planted)
    for row in csv.reader(io.StringIO(text)):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


def test_the_data_feed_has_one_entry_per_change_saying_what_changed(site: Path) -> None:
    feed = ET.fromstring(read(site, "feeds/data.atom.xml"))
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 13
    assert feed.findtext(f"{ATOM}updated") == "2026-03-04T05:06:07+00:00"
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 13 and all(re.fullmatch(r"urn:sovereign-site:change:[0-9a-f]{40}:kr:[a-z.-]+:[a-z0-9-]+", i or "") for i in ids)
    budget = next(
        e
        for e in entries
        if (e.findtext(f"{ATOM}id") or "").endswith(":kr:funding:gpu-budget") and "→" in (e.findtext(f"{ATOM}summary") or "")
    )
    summary = budget.findtext(f"{ATOM}summary") or ""
    assert "₩1.46 trillion → ₩2.1 trillion" in summary and "1조 4,600억 원 → 2조 1,000억 원" in summary
    # Summaries are typed html: the subject's markup arrives as text.
    assert "Budget revised &lt;b&gt;upward&lt;/b&gt;" in summary
    assert budget.findtext(f"{ATOM}updated") == "2026-02-03T01:00:00+00:00"
    link = budget.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "https://example.org/countries/kr/history/#item-kr-gpu-budget"


def test_two_builds_are_identical_and_the_second_reads_the_cache(tmp_path: Path) -> None:
    project = make_history(tmp_path / "project")
    build(project, tmp_path / "one")
    build(project, tmp_path / "two")  # warm: the history comes from the build cache
    assert list((project / ".sovereign-cache" / "history").rglob("*")), "the history was not cached"
    one, two = tree_digest(tmp_path / "one"), tree_digest(tmp_path / "two")
    assert one == two
    build(project, tmp_path / "three", "--no-cache")
    assert tree_digest(tmp_path / "three") == one


def test_a_warm_cache_reads_only_the_new_versions_of_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsed versions are cached by blob hash: after one more commit, git is asked for that commit's version only."""
    from sovereign_site import history
    from sovereign_site.build.cache import BuildCache

    project = make_history(tmp_path / "project")
    cache = BuildCache(project, "salt")
    asked: list[list[str]] = []
    real = history._cat_file
    monkeypatch.setattr(history, "_cat_file", lambda content, oids: (asked.append(list(oids)), real(content, oids))[1])
    first = history.read_history(project / "content", cache)
    assert first is not None and len(first.changes) == 13 and len(asked) == 1 and len(asked[0]) == 4
    asked.clear()
    assert history.read_history(project / "content", cache) == first and asked == []  # the same log: one cache entry
    edit(project, ("    gpus: 50000\n", "    gpus: 52000\n"))
    commit(project, "More GPUs", "2026-05-01T00:00:00Z")
    again = history.read_history(project / "content", cache)
    new_blob = git(project, "rev-parse", "HEAD:content/countries/kr.yaml").strip()
    assert asked == [[new_blob]]
    assert again is not None and again.changes[0].subject == "More GPUs" and again.changes[1:] == first.changes


def test_without_git_the_history_is_absent_with_a_note(tmp_path: Path) -> None:
    project = make_history(tmp_path / "repo")
    tarball = tmp_path / "tarball"
    shutil.copytree(project, tarball, symlinks=True, ignore=shutil.ignore_patterns(".git", ".sovereign-cache"))
    empty = tmp_path / "bin"
    empty.mkdir()
    # A copy that is not a repository, and the repository itself with no git program on the PATH.
    for where, out, env in ((tarball, tmp_path / "a", None), (project, tmp_path / "b", {"PATH": str(empty)})):
        result = build(where, out, env=env)
        assert "Traceback" not in result.stderr
        page = read(out, "changes/index.html")
        assert '<p class="note no-history">이 사이트는 git 기록 없이 빌드되어 변경 이력이 없습니다.</p>' in page
        assert "This site was built without its git history" in read(out, "en/changes/index.html")
        assert not (out / "data" / "changes.csv").exists()
        assert "changes.csv" not in read(out, "downloads/index.html")
        assert "history-link" not in read(out, "countries/kr/index.html")
        assert "git 기록 없이" in read(out, "countries/kr/history/index.html")
        # The feed falls back to one entry per country, dated by its as_of.
        feed = ET.fromstring(read(out, "feeds/data.atom.xml"))
        assert [e.findtext(f"{ATOM}updated") for e in feed.findall(f"{ATOM}entry")] == ["2026-01-15T00:00:00+00:00"]


def test_a_shallow_clone_starts_its_history_at_its_oldest_commit(tmp_path: Path) -> None:
    project = make_history(tmp_path / "project")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{project}", str(clone)], check=True, capture_output=True)
    build(clone, tmp_path / "site")
    page = read(tmp_path / "site", "changes/index.html")
    assert "얕은 복제" in page
    # Depth 3: the oldest commit there (the value changes) is where history starts; the next one added and removed an item.
    assert len(re.findall(r'<time datetime="2026-03-04">', page)) == 2 and "ch-added" in page
    assert "2026-02-03" not in page and "2026-01-02" not in page


def test_a_version_that_is_not_yaml_is_compared_past(tmp_path: Path) -> None:
    """A commit that broke the file shows nothing; the commit that mended it shows the change from the last good version.

    Its subject holds the log's field separator and a bidirectional control: it parses, and shows without them.
    """
    from sovereign_site.history import read_history

    project = make_history(tmp_path / "project")
    path = project / "content" / "countries" / "kr.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good + "funding: [unclosed\n", encoding="utf-8")
    commit(project, "Broken", "2026-05-01T00:00:00Z")
    path.write_text(good.replace("amount: 2.1T", "amount: 3T"), encoding="utf-8")
    commit(project, "Mended\x1f \x1e\u202eit", "2026-05-02T00:00:00Z")  # separators and a bidi control in a subject
    history = read_history(project / "content")
    assert history is not None and "Broken" not in {c.subject for c in history.changes}
    newest = history.changes[0]
    assert (newest.subject, newest.diff.id, newest.diff.kind) == ("Mended    it", "gpu-budget", "changed")
    assert [(f.field, f.old[0], f.new[0]) for f in newest.diff.fields] == [("amount", 2.1e12, 3e12)]


def test_only_a_real_change_is_a_change() -> None:
    """Scale suffixes, written-out defaults, key order and labels are no change; a value, bound or source is."""
    from sovereign_site.data.changes import diff, items_of

    before = {"funding": [{"id": "a", "label": {"ko": "가", "en": "A"}, "amount": "1.46T", "currency": "KRW", "sources": ["x", "y"]}]}
    same = {"funding": [{"sources": ["y", "x"], "currency": "KRW", "amount": 1460000000000, "bound": "exact", "status": "unknown",
                         "id": "a", "label": {"ko": "다른 이름", "en": "Renamed"}, "note": {"ko": "메모", "en": "Note"}}]}  # fmt: skip
    assert diff(items_of(before), items_of(same)) == ()
    after = {"funding": [{**before["funding"][0], "bound": "up-to", "sources": ["x"]}]}
    (change,) = diff(items_of(before), items_of(after))
    assert [(f.field, f.old, f.new) for f in change.fields] == [("bound", "exact", "up-to"), ("sources", ("x", "y"), ("x",))]
    # The same id in another section is another item; a shape the schema does not know is skipped, never an error.
    moved = {"compute": [{"id": "a", "label": {"ko": "가", "en": "A"}, "gpus": 10, "sources": ["x"]}], "funding": "unknown"}
    assert {(d.section, d.kind) for d in diff(items_of(before), items_of(moved))} == {("funding", "removed"), ("compute", "added")}
    assert items_of({"funding": [1, None, {"no": "id"}], "facts": ["odd"], "regulation": "unknown"}) == {}
