"""A renewal's rule on a break in tax or social insurance (Business.tax_break) is checked by
`gjz check`: a refusal needs the guide to state continuity, and the rule goes with its period."""

from tests.knowledge.conftest import check_names


def test_a_refusal_where_the_guide_states_no_continuity_is_named(knowledge_copy, capsys):
    # Chaoyang's renewal asks 12 months of records, not continuity (chaoyang-2021.txt §七 办理材料3、4)
    check_names(
        knowledge_copy,
        capsys,
        "districts/chaoyang.yaml",
        "      on_break: refer",
        "      on_break: fail",
        "    tax_break:",
        r"businesses\.renewal\.tax_break: .*on_break: fail needs the guide to state continuity",
    )


def test_an_unknown_outcome_of_a_break_is_named(knowledge_copy, capsys):
    check_names(
        knowledge_copy,
        capsys,
        "districts/tongzhou.yaml",
        "      on_break: refer",
        "      on_break: explain",
        "      on_break: explain",
        r"businesses\.renewal\.tax_break\.on_break: ",
    )


def test_a_period_without_its_break_rule_is_named(knowledge_copy, capsys):
    path = knowledge_copy / "districts/bda.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    tax_break:\n")
    end = text.index("    income_multiple:", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    check_names(
        knowledge_copy,
        capsys,
        "districts/bda.yaml",
        "  renewal:\n",
        "  renewal:\n",
        None,
        r"businesses\.renewal: .*continuous_tax_months and tax_break go together",
    )
