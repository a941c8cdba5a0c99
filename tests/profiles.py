"""Sample applicants that several test files hand to `gjz assess`, the batch and the interview.

Written once so that a field added to one is not silently missing from its copies.
"""

from __future__ import annotations

# A master's graduate renting in Yizhuang on 20,000 a month, every question of bda-2026.txt
# answered: eligible on its date.
BDA_MASTER = {
    "district": "bda",
    "business": "new",
    "application_date": "2025-06-02",
    "nationality": "cn",
    "hukou": "non_beijing",
    "gender": "male",
    "age": 30,
    "employer_form": "enterprise",
    "months_employed": 6,
    "same_employer_for_tax": True,
    "category": "degree",
    "degree": "master",
    "work_years": 4,
    "monthly_income": 20000,
    "housing": "rented",
    "contract_months_left": 12,
    "children": 0,
    "marital": "single",
}

# The README's example applicant without its date (so it is assessed as of today): a master's
# graduate at a Chaoyang company on 20,000 a month, 14 months in, renting.
CHAOYANG_MASTER = {
    "district": "chaoyang",
    "business": "new",
    "employer_form": "enterprise",
    "category": "degree",
    "degree": "master",
    "work_years": 4,
    "monthly_income": 20000,
    "months_employed": 14,
    "housing": "rented",
    "hukou": "non_beijing",
    "nationality": "cn",
}
README_APPLICANT = {**CHAOYANG_MASTER, "application_date": "2026-03-02"}
