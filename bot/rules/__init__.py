"""The eligibility rules: pure functions from a profile and the knowledge to an Assessment."""

from .assess import FIELD_ORDER, assess
from .profile import Profile, ProfileError, parse_profile
from .result import Assessment, Check, Deadline, MaterialItem

__all__ = [
    "FIELD_ORDER",
    "Assessment",
    "Check",
    "Deadline",
    "MaterialItem",
    "Profile",
    "ProfileError",
    "assess",
    "parse_profile",
]
