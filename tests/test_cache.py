"""The build cache: warm builds equal cold ones, and every kind of change invalidates what it must."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, copy_project

import sovereign_site
from sovereign_site.build import build
from sovereign_site.build.cache import salt_for


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _build(project: Path, out: Path, cache: bool = True):
    return build(project, out, search=False, cache=cache, log=lambda message: None)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    # Templates are copied (not linked) so a test can change them.
    project = copy_project(tmp_path / "p", essays=True)
    (project / "templates").unlink()
    shutil.copytree(REPO / "templates", project / "templates")
    return project


def test_warm_build_equals_cold_build_after_an_edit(project: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "first")
    kr = project / "content" / "countries" / "kr.yaml"
    text = kr.read_text(encoding="utf-8").replace("  ko: 대한민국", "  ko: 대한민국(시험)", 1)
    # A funding change re-ranks the countries, and with them every country's chart colour.
    kr.write_text(text.replace("amount: 10.1T", "amount: 9000T", 1), encoding="utf-8")
    warm = _build(project, tmp_path / "warm")
    cold = _build(project, tmp_path / "cold", cache=False)
    assert _tree(tmp_path / "warm") == _tree(tmp_path / "cold")
    assert warm.pages == cold.pages
    # The edit reached the country's page and the pages that list it.
    assert "대한민국(시험)" in (tmp_path / "warm" / "countries/kr/index.html").read_text(encoding="utf-8")
    assert "대한민국(시험)" in (tmp_path / "warm" / "compare/index.html").read_text(encoding="utf-8")
    # The footer's dataset version changed on pages that came from the cache too.
    version = (tmp_path / "warm" / "countries/us/index.html").read_text(encoding="utf-8")
    assert (tmp_path / "first" / "countries/us/index.html").read_text(encoding="utf-8") != version


@pytest.mark.parametrize("grouped", [False, True], ids=["one-table", "grouped-by-region"])
@pytest.mark.parametrize("serving", [False, True], ids=["build", "serve"])
def test_every_edit_kind_reaches_every_page(project: Path, tmp_path: Path, grouped: bool, serving: bool) -> None:
    """Warm equals cold after edits to a country's name, funding, compute, models, timeline and archetype.

    Grouped: past SOVEREIGN_COMPARE_GROUP_THRESHOLD the matrix and dimension tables
    are split into cached per-region pages. Serving: ``serve`` also keeps pages,
    essays and downloads in memory between rebuilds, and its rendering child hands
    its pages back to the parent.
    """
    if grouped:
        settings = project / "pelicanconf.py"
        settings.write_text(settings.read_text(encoding="utf-8") + "\nSOVEREIGN_COMPARE_GROUP_THRESHOLD = 3\n", encoding="utf-8")

    def build_serving(out: Path) -> None:
        build(project, out, search=False, keep_in_memory=serving, log=lambda message: None)

    build_serving(tmp_path / "first")
    # One edit per part a cross-country chart draws (serve redraws only the charts whose inputs changed).
    edits = [
        ("fr", "  ko: 프랑스", "  ko: 프랑스(고침)"),
        ("kr", "amount: 10.1T", "amount: 9000T"),
        ("gb", "    gpus: 5448", "    gpus: 5449"),
        ("cn", "    params_total: 671B", "    params_total: 672B"),
        ("jp", "    date: 2023-11-07", "    date: 2023-11-08"),
        (
            "de",
            "  id: infrastructure-led\n  label: {ko: 인프라 주도형, en: Infrastructure-led}",
            "  id: full-stack\n  label: {ko: 풀스택 선도국, en: Full-stack leader}",
        ),
        ("sg", "  ko: 싱가포르", "  ko: 싱가포르(고침)"),
    ]
    for n, (code, old, new) in enumerate(edits):
        path = project / "content" / "countries" / f"{code}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, (code, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        build_serving(tmp_path / f"warm{n}")
        _build(project, tmp_path / f"cold{n}", cache=False)
        assert _tree(tmp_path / f"warm{n}") == _tree(tmp_path / f"cold{n}"), f"stale pages after editing {code}"
    if grouped:
        assert (tmp_path / "cold2" / "compare" / "regions").is_dir()
    assert "프랑스(고침)" in (tmp_path / "warm2" / "countries/fr/index.html").read_text(encoding="utf-8")


def test_unchanged_country_pages_come_from_the_cache(project: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "a")
    from sovereign_site.build import pipeline as build_module

    _build(project, tmp_path / "b")
    cache = next(iter(build_module._CACHES.values()))
    assert cache.hits >= 12  # six countries, two languages
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_a_template_change_invalidates(project: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "a")
    country = project / "templates" / "country.html"
    country.write_text(
        country.read_text(encoding="utf-8").replace('<article class="country"', '<article class="country changed"', 1), encoding="utf-8"
    )
    _build(project, tmp_path / "b")
    assert 'class="country changed"' in (tmp_path / "b" / "countries/kr/index.html").read_text(encoding="utf-8")


def test_a_message_change_invalidates(project: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "a")
    messages = project / "templates" / "messages" / "site.yaml"
    messages.write_text(
        messages.read_text(encoding="utf-8").replace("country.archetype: {ko: 전략 유형,", "country.archetype: {ko: 전략 유형(바뀜),", 1),
        encoding="utf-8",
    )
    _build(project, tmp_path / "b")
    assert "전략 유형(바뀜)" in (tmp_path / "b" / "countries/kr/index.html").read_text(encoding="utf-8")


def test_a_settings_change_invalidates(project: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "a")
    settings = project / "pelicanconf.py"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('SITEURL = ""', 'SITEURL = "https://changed.example"', 1), encoding="utf-8"
    )
    _build(project, tmp_path / "b")
    assert 'href="https://changed.example/countries/kr/"' in (tmp_path / "b" / "countries/kr/index.html").read_text(encoding="utf-8")


def test_a_package_version_change_changes_the_salt(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sovereign_site.build import load_settings

    settings = load_settings(project)
    before = salt_for(settings, project / "templates")
    monkeypatch.setattr(sovereign_site, "__version__", "999.0")
    assert salt_for(settings, project / "templates") != before


def test_a_data_file_shared_by_all_pages_invalidates(project: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "a")
    dims = project / "content" / "dimensions.yaml"
    dims.write_text(
        dims.read_text(encoding="utf-8").replace("label: {ko: 인재, en: Talent}", "label: {ko: 인재(바뀜), en: Talent}", 1),
        encoding="utf-8",
    )
    _build(project, tmp_path / "b")
    assert "인재(바뀜)" in (tmp_path / "b" / "countries/kr/index.html").read_text(encoding="utf-8")


def test_no_cache_leaves_no_cache_folder(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False, countries=["kr"])
    _build(project, tmp_path / "out", cache=False)
    assert not (project / ".sovereign-cache").exists()


def test_the_salt_covers_the_whole_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to any module (the schema, say) must start the cache afresh, not only a change to build/."""
    import sovereign_site
    from sovereign_site.build import cache as cache_module

    roots: list[Path] = []
    real = cache_module.tree_digest
    monkeypatch.setattr(cache_module, "tree_digest", lambda *paths: roots.extend(paths) or real(*paths))
    cache_module.salt_for({}, REPO / "templates")
    assert Path(sovereign_site.__file__).parent in roots
    assert (roots[0] / "data" / "schema.py").is_file()
