"""The audit spec's `scope`: what the model is for, whom it affects, and the EU AI Act screen.

Every key is optional: a missing answer is shown in the report as unanswered, never guessed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

# Annex III areas (besides point 1(c), emotion recognition itself) a deployment may fall into.
ANNEX_III_AREAS: dict[str, str] = {
    "biometrics": "1. biometrics (beyond emotion recognition)",
    "critical_infrastructure": "2. critical infrastructure",
    "education": "3. education and vocational training",
    "employment": "4. employment, workers management, access to self-employment",
    "essential_services": "5. access to essential private and public services "
    "(benefits, credit, insurance, emergency calls)",
    "law_enforcement": "6. law enforcement",
    "migration": "7. migration, asylum and border control",
    "justice": "8. administration of justice and democratic processes",
}


class Answer(BaseModel):
    """One screen answer: yes/no (null = unanswered) and the reasoning behind it."""

    model_config = ConfigDict(extra="forbid")
    answer: bool | None = None
    note: str = ""

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """Allow `workplace: false` as well as `workplace: {answer: false, note: ...}`."""
        if value is None or isinstance(value, bool):
            return {"answer": value}
        return value


class AiActAnswers(BaseModel):
    """Answers to the EU AI Act screen (see serfair.report.ai_act for the questions)."""

    model_config = ConfigDict(extra="forbid")
    research_only: Answer = Field(default_factory=Answer)
    biometric: Answer = Field(default_factory=Answer)
    workplace: Answer = Field(default_factory=Answer)
    education: Answer = Field(default_factory=Answer)
    medical_or_safety: Answer = Field(default_factory=Answer)
    annex_iii_areas: list[str] | None = None
    people_informed: Answer = Field(default_factory=Answer)

    @field_validator(
        "research_only",
        "biometric",
        "workplace",
        "education",
        "medical_or_safety",
        "people_informed",
        mode="before",
    )
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        return Answer.coerce(value)

    @field_validator("annex_iii_areas", mode="before")
    @classmethod
    def _areas(cls, value: Any) -> Any:
        if value in ("none", "None", False):
            return []
        if isinstance(value, str):
            value = [value]
        for area in value or []:
            if area not in ANNEX_III_AREAS:
                raise ValueError(
                    f"unknown Annex III area '{area}'; use 'none' or any of: "
                    f"{', '.join(ANNEX_III_AREAS)}"
                )
        return value


class Reviewer(BaseModel):
    """A person expected to sign the report (pre-fills the sign-off block)."""

    model_config = ConfigDict(extra="forbid")
    name: str = ""
    role: str = ""


class Scope(BaseModel):
    """What the audited model is for. Shown in the report's scope and EU AI Act sections."""

    model_config = ConfigDict(extra="forbid")
    intended_use: str | None = None
    deployment_context: str | None = None
    affected_people: str | None = None
    decisions: str | None = None
    human_oversight: str | None = None
    out_of_scope: list[str] | None = None
    owner: str | None = None
    contact: str | None = None
    eu_ai_act: AiActAnswers = Field(default_factory=AiActAnswers)
    reviewers: list[Reviewer] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("out_of_scope", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


# Labels and explanations for the report's scope table, in display order.
SCOPE_FIELDS: dict[str, tuple[str, str]] = {
    "intended_use": ("Intended use", "what the model's outputs are used for"),
    "deployment_context": ("Deployment context", "where, on whose speech, with which audio"),
    "affected_people": (
        "Affected people",
        "whose speech is analysed and who bears the consequences",
    ),
    "decisions": ("Decisions", "which decisions the outputs inform"),
    "human_oversight": ("Human oversight", "who can review or override an output"),
    "out_of_scope": ("Out of scope", "uses this audit does not cover"),
    "owner": ("Owner", "who is accountable for the model in this use"),
    "contact": ("Contact", "whom to ask about this audit"),
    "notes": ("Notes", ""),
}


def validate_scope(value: Any) -> dict:
    """Validate a spec's `scope` mapping; returns what was given, normalised (answers as
    {answer, note}). Raises ValueError naming each bad key and the valid ones."""
    try:
        scope = Scope.model_validate(value or {})
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"])
            msg = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                parent = {"eu_ai_act": AiActAnswers, "reviewers": Reviewer}.get(
                    str(error["loc"][0]) if len(error["loc"]) > 1 else "", Scope
                )
                if parent is AiActAnswers and len(error["loc"]) > 2:
                    parent = Answer
                msg = f"unknown key; valid keys: {', '.join(parent.model_fields)}"
            problems.append(f"scope.{loc}: {msg}")
        raise ValueError("; ".join(problems)) from None
    return scope.model_dump(mode="json", exclude_defaults=True)
