from .city import DeadlineException, ForwardingBatch, ForwardingScan, PartyMeeting, SignOff
from .province import (
    Assignment,
    Inspection,
    InspectionFinding,
    InspectionMember,
    InspectionPhoto,
    ItemScore,
    ProvincialDecision,
    ProvincialMeeting,
    ScoreSheet,
)

__all__ = [
    "Assignment",
    "DeadlineException",
    "ForwardingBatch",
    "ForwardingScan",
    "Inspection",
    "InspectionFinding",
    "InspectionMember",
    "InspectionPhoto",
    "ItemScore",
    "PartyMeeting",
    "ProvincialDecision",
    "ProvincialMeeting",
    "ScoreSheet",
    "SignOff",
]
