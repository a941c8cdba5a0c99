"""`gjz check` catches each kind of defect, naming file, line and field, without a traceback."""

import re
import subprocess
import sys

import pytest

from tests.knowledge.conftest import check_names, edit, line_of, run_check


def test_shipped_knowledge_passes(knowledge_copy, capsys):
    code, out, err = run_check(knowledge_copy, capsys)
    assert code == 0, err
    assert re.fullmatch(
        r"knowledge ok: 17 districts \(4 full\), \d+ materials, \d+ faq, \d+ synonym groups",
        out.strip().splitlines()[-1],
    )


def test_yaml_syntax_error_names_file_and_line(knowledge_copy, capsys):
    wages = knowledge_copy / "wages.yaml"
    edit(wages, "    value: 8847", "    value: [8847")
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    # the parser notices the unclosed [ on that line or the next one
    found = re.search(r"knowledge/wages\.yaml:(\d+): \(file\): YAML syntax error", err)
    assert found and line_of(wages, "[8847") <= int(found.group(1)) <= line_of(wages, "[8847") + 1, err
    assert "Traceback" not in err


# One defect planted per case: (file, text, replaced by, the text whose line the error must name
# or None for any line, what follows "file:line: " as a regex: the field path and the message).
PLANTED = {
    "negative_wage": (
        "wages.yaml",
        "    value: 11297",
        "    value: -11297",
        "-11297",
        r"values\[2022\]\.value: an average wage must be positive",
    ),
    # A figure copied wrong from a guide's table (14000 for 11937 × 1.2) is named, not used.
    "printed_threshold_that_is_not_the_product": (
        "wages.yaml",
        "1.2: {value: 14324,",
        "1.2: {value: 14000,",
        None,
        r"values\[2024\]\.printed: 1\.2: 14000 is not 1\.2 × 11937",
    ),
    # A district's lease minimum (issue 11) is a stated number: without its guide section it is refused.
    "lease_minimum_without_source": (
        "districts/chaoyang.yaml",
        "    source: chaoyang-2021.txt §三 办理材料2(2)(3)\n",
        "",
        "  lease_months_left:",
        r"applicant\.lease_months_left: .*needs its source",
    ),
    "lease_minimum_for_an_unknown_housing_kind": (
        "districts/tongzhou.yaml",
        "    housing: [rented, rented_rural]\n    source: tongzhou",
        "    housing: [rented, tent]\n    source: tongzhou",
        "[rented, tent]",
        r"applicant\.lease_months_left\.housing\[1\]: ",
    ),
    "zero_multiple": (
        "districts/bda.yaml",
        "multiple: 1.2",
        "multiple: 0",
        None,
        r"applicant\.income\.multiples\[0\]\.multiple: .*greater than 0",
    ),
    "dangling_material_reference": (
        "districts/bda.yaml",
        "- id: labour_contract",
        "- id: labour_contrat",
        "labour_contrat",
        r"businesses\.\w+\.materials\[\d+\]\.id: material 'labour_contrat' is not in the materials catalogue",
    ),
    "distinct_pair_naming_no_synonym_group": (
        "synonyms.yaml",
        "  - [租赁合同, 劳动合同]",
        "  - [租赁合同, 劳务合同]",
        "劳务合同",
        r"distinct\[0\]\[1\]: '劳务合同' is in no synonym group",
    ),
    "district_missing_a_business_its_guide_covers": (
        "districts/chaoyang.yaml",
        "  dependent_change:",
        "  dependent_change_removed:",
        None,
        r"businesses\.",
    ),
    # Only the State Council notice sets 调休 working weekends: a year holding the statutory days alone has none.
    "adjusted_working_day_in_a_statutory_only_year": (
        "holidays.yaml",
        "      - 2027-10-03  # （周日）\n",
        "      - 2027-10-03  # （周日）\n    workdays: [2027-10-09]\n",
        "workdays: [2027-10-09]",
        r"years\[2027\]\.workdays: .*only the State Council notice sets them",
    ),
    "unknown_field_value": ("districts/dongcheng.yaml", "enterprise", "enterprize", "enterprize", r".*'enterprize'"),
}


@pytest.mark.parametrize("file, old, new, at, says", PLANTED.values(), ids=PLANTED)
def test_a_planted_defect_is_named_by_file_line_and_field(knowledge_copy, capsys, file, old, new, at, says):
    check_names(knowledge_copy, capsys, file, old, new, at, says)


def test_duplicate_material_id(knowledge_copy, capsys):
    extra = knowledge_copy / "materials" / "zz_extra.yaml"
    extra.write_text(
        "materials:\n  - id: hukou_book\n    name: 重复\n    upload: x\n    source: bda-2026.txt §六(三)\n",
        encoding="utf-8",
    )
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    assert "knowledge/materials/zz_extra.yaml:2: materials[0].id: duplicate material id 'hukou_book'" in err


def test_duplicate_faq_id(knowledge_copy, capsys):
    extra = knowledge_copy / "faq" / "zz_extra.yaml"
    from bot.knowledge import load_knowledge

    first = load_knowledge(knowledge_copy).faq[0].id
    extra.write_text(
        f"entries:\n  - id: {first}\n    topic: general\n    questions: [a, b]\n"
        "    answer: x\n    source: bda-2026.txt §二\n",
        encoding="utf-8",
    )
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    assert f"knowledge/faq/zz_extra.yaml:2: entries[0].id: duplicate faq id '{first}'" in err


def test_rule_without_source(knowledge_copy, capsys):
    tz = knowledge_copy / "districts" / "tongzhou.yaml"
    text = tz.read_text(encoding="utf-8")
    start = text.index("  months_employed:")
    source_at = text.index("source:", start)
    line_end = text.index("\n", source_at)
    # Drop the months-with-employer rule's source line: a stated value without its citation.
    tz.write_text(text[: text.rindex("\n", 0, source_at) + 1] + text[line_end + 1 :], encoding="utf-8")
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    assert "knowledge/districts/tongzhou.yaml:" in err and "applicant.months_employed" in err
    assert "needs its source" in err


def test_citation_of_unknown_document(knowledge_copy, capsys):
    faq = next((knowledge_copy / "faq").glob("*.yaml"))
    text = faq.read_text(encoding="utf-8")
    first = re.search(r"source: (\S+)", text)
    faq.write_text(text.replace(first.group(0), "source: haidian-2030.txt", 1), encoding="utf-8")
    code, _, err = run_check(knowledge_copy, capsys)
    assert code == 1
    assert f"knowledge/faq/{faq.name}:" in err and "cites 'haidian-2030.txt', which sources.yaml does not list" in err


def test_missing_folder_is_a_clean_error(tmp_path, capsys):
    code, _, err = run_check(tmp_path / "nowhere", capsys)
    assert code == 1 and "knowledge folder not found" in err


def test_console_script_never_prints_a_traceback(knowledge_copy):
    edit(knowledge_copy / "city.yaml", "permit_validity_years:", "permit_validity_years: [")
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        capture_output=True,
        text=True,
        env={"GJZ_KNOWLEDGE_DIR": str(knowledge_copy), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 1
    assert "knowledge/city.yaml:" in proc.stderr and "Traceback" not in proc.stderr
