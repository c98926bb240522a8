"""Every partner form the hub takes, by form type and by the slug in its address."""

from __future__ import annotations

from ..models import FormType
from .base import FormDefinition
from .intelligence import COMMUNITY_INTELLIGENCE
from .mental_health import MHA_ASSESSMENT
from .missing_person import MISSING_PERSON, MISSING_PERSON_UPDATE, PERSON_RETURNED
from .targeted_intervention import TARGETED_INTERVENTION
from .welfare_check import WELFARE_CHECK

DEFINITIONS: dict[str, FormDefinition] = {
    definition.form_type: definition
    for definition in (
        MISSING_PERSON,
        PERSON_RETURNED,
        MISSING_PERSON_UPDATE,
        MHA_ASSESSMENT,
        WELFARE_CHECK,
        COMMUNITY_INTELLIGENCE,
        TARGETED_INTERVENTION,
    )
}
BY_SLUG: dict[str, FormDefinition] = {definition.slug: definition for definition in DEFINITIONS.values()}
PREFIXES: dict[str, FormDefinition] = {definition.prefix: definition for definition in DEFINITIONS.values()}


def definition_of(form_type: str) -> FormDefinition:
    return DEFINITIONS[FormType(form_type)]
