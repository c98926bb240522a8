"""Every local offer URL x every role. The list and each listed service are public; managing is the business
unit's alone. A withdrawn service is gone for everyone but the business unit."""

from __future__ import annotations

from apps.core.tests.table import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row

SIGNED_OUT = {"anonymous": LOGIN, "pending": LOGIN, "suspended": LOGIN}
EVERYONE = {"*": OK}
BUSINESS_UNIT = {**SIGNED_OUT, "business_unit": OK, "*": FORBIDDEN}
BUSINESS_UNIT_POST = {**SIGNED_OUT, "business_unit": REDIRECT, "*": FORBIDDEN}


def service(users):
    from .factories import add_service

    return {"pk": add_service().pk}


def withdrawn(users):
    from .factories import withdrawn_service

    return {"pk": withdrawn_service().pk}


def some_services(users):
    from .factories import add_service, withdrawn_service

    add_service()
    withdrawn_service(name="Closed service")
    return {}


def new_service(users):
    from .factories import service_data

    return {**service_data(name="Posted service", min_age="", max_age=""), "issues": ["housing"]}


ROWS = [
    Row("localoffer:index", expect=EVERYONE),
    Row("localoffer:index", path="/local-offer/?q=housing&issue=housing&age=9", expect=EVERYONE, setup=service),
    Row("localoffer:service", expect=EVERYONE, setup=service),
    Row(
        "localoffer:service",
        expect={"business_unit": OK, "*": NOT_FOUND},
        setup=withdrawn,
        browse=False,
    ),
    Row("localoffer:manage", expect=BUSINESS_UNIT, setup=some_services),
    Row("localoffer:add", expect=BUSINESS_UNIT),
    Row("localoffer:add", method="post", expect=BUSINESS_UNIT_POST, data=new_service),
    Row("localoffer:change", expect=BUSINESS_UNIT, setup=service),
    Row("localoffer:change", method="post", expect=BUSINESS_UNIT_POST, setup=service, data=new_service),
    Row("localoffer:withdraw", expect=BUSINESS_UNIT, setup=service),
    Row(
        "localoffer:withdraw",
        method="post",
        expect=BUSINESS_UNIT_POST,
        setup=service,
        data={"reason": "The service has closed"},
    ),
    Row("localoffer:relist", expect=BUSINESS_UNIT, setup=withdrawn),
    Row("localoffer:relist", method="post", expect=BUSINESS_UNIT_POST, setup=withdrawn),
]
