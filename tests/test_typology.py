"""The archetype typology: one name per archetype across every country file, so the map and the essays compare like with like."""

from __future__ import annotations

from pathlib import Path

from conftest import copy_project, run_cli

from sovereign_site.data.dataset import load_dataset


def test_shipped_archetypes_have_one_name_each() -> None:
    ds = load_dataset(Path(__file__).resolve().parents[1] / "content")
    names: dict[str, set[tuple[str, str]]] = {}
    for c in ds.countries:
        if not isinstance(c.archetype, str):
            names.setdefault(c.archetype.id, set()).add((c.archetype.label.ko, c.archetype.label.en))
    assert len(names) >= 5
    assert all(len(found) == 1 for found in names.values()), names


def test_a_second_name_for_an_archetype_is_flagged_with_its_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p", essays=False)
    ca = project / "content" / "countries" / "ca.yaml"
    text = ca.read_text(encoding="utf-8")
    old = "  label: {ko: 인프라 주도형, en: Infrastructure-led}"
    assert old in text
    ca.write_text(text.replace(old, "  label: {ko: 인프라 추격형, en: Infrastructure chaser}", 1), encoding="utf-8")
    line = text.splitlines().index(old) + 1
    loose = run_cli("validate", "--project", str(project))
    assert loose.returncode == 0  # a warning…
    strict = run_cli("validate", "--project", str(project), "--strict")
    assert strict.returncode == 1  # …that a strict build refuses
    assert f"content/countries/ca.yaml:{line}:" in strict.stderr
    assert "archetype 'infrastructure-led' is named '인프라 추격형'" in strict.stderr and "use one name per archetype" in strict.stderr
    assert "Traceback" not in strict.stderr
