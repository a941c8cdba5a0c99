"""The closed vocabularies shared by the knowledge files, the rules and the profile.

One place names every value a district file, a material condition or an applicant's
profile may use, so a typo in YAML (``enterprize``) is an error and not a silent miss.
"""

from typing import Literal

DistrictId = Literal[
    "dongcheng",
    "xicheng",
    "chaoyang",
    "haidian",
    "fengtai",
    "shijingshan",
    "mentougou",
    "fangshan",
    "tongzhou",
    "shunyi",
    "changping",
    "daxing",
    "huairou",
    "pinggu",
    "miyun",
    "yanqing",
    "bda",
]

# The businesses a district office handles. unit_district_change is the employer moving
# its 主管部门 into the district (单位跨区信息变更 / 单位主管部门变更).
BusinessId = Literal[
    "new",
    "renewal",
    "employer_change",
    "info_change",
    "dependent_change",
    "unit_account",
    "unit_district_change",
]

# The city-wide categories (京组通〔2019〕9号 lists the first eight); Chaoyang adds the
# last two (朝人社发〔2019〕12号 as quoted in chaoyang-2021.txt §三).
CategoryId = Literal[
    "degree",
    "title",
    "award",
    "tech_income",
    "service_income",
    "ip",
    "founder",
    "freelancer",
    "recommended",
    "overseas_qualification",
]

EmployerForm = Literal[
    "enterprise",
    "firm",
    "institution",
    "private_non_enterprise",
    "social_organization",
    "branch",
    "rep_office",
]

EmployerSector = Literal["tech_innovation", "professional_service", "other"]

Hukou = Literal["non_beijing", "beijing", "beijing_collective", "school_temporary"]
# Hukous registered in Beijing: a family one, a unit's collective one, a school's temporary
# one. The permit is for people without one; a guide silent on them is referred, not passed.
BEIJING_HUKOU = ("beijing", "beijing_collective", "school_temporary")

Nationality = Literal["cn", "foreign"]

Housing = Literal[
    "owned",
    "owned_pending_certificate",
    "rented",
    "rented_rural",
    "unit_housing",
    "relatives",
    "residence_permit",
    "public_rental",
]

Marital = Literal["single", "married", "divorced"]

Degree = Literal["none", "associate", "bachelor", "master", "doctor"]

Title = Literal["none", "junior", "intermediate", "senior"]

# What an info_change (基础信息变更) changes; decides its materials.
InfoChange = Literal["address", "hukou", "name", "marital", "education", "title"]

Gender = Literal["male", "female"]

DEGREE_RANK = {"none": 0, "associate": 1, "bachelor": 2, "master": 3, "doctor": 4}
TITLE_RANK = {"none": 0, "junior": 1, "intermediate": 2, "senior": 3}
