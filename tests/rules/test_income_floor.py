"""An income short of every multiple is refused without asking the employer form, but only
where every form has a multiple: a form the guide leaves out could still send it to the office."""

from bot.knowledge.eligibility import IncomeMultiple
from bot.rules.applicant import _every_form_has_a_multiple

SOURCE = "dongcheng-2021.txt §二(二)"


def test_a_default_multiple_covers_every_form():
    listed = IncomeMultiple(multiple=1.2, employer_forms=["institution"], source=SOURCE)
    default = IncomeMultiple(multiple=1.5, source=SOURCE)
    assert _every_form_has_a_multiple([listed, default])


def test_forms_left_out_of_every_list_are_not_covered():
    listed = [
        IncomeMultiple(multiple=1.5, employer_forms=["enterprise", "firm"], source=SOURCE),
        IncomeMultiple(multiple=1.2, employer_forms=["institution", "private_non_enterprise"], source=SOURCE),
    ]
    assert not _every_form_has_a_multiple(listed)  # branch, rep_office, social_organization have none
