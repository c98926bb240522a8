"""The links in subscription e-mails: signed, so they work without signing in and cannot be guessed.

A confirmation link expires; an unsubscribe link never does (it must work from any old e-mail).
Both name the subscription and its key, so a new key (or a deleted subscription) voids them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Subscription

CONFIRM_SALT = "documents.subscription.confirm"
UNSUBSCRIBE_SALT = "documents.subscription.unsubscribe"
CONFIRM_WITHIN = dt.timedelta(days=7)


class LinkNotValid(Exception):
    """The link was altered, or is not one of ours."""


class LinkExpired(Exception):
    """A confirmation link older than CONFIRM_WITHIN."""


def confirm_url(subscription: Subscription) -> str:
    token = signing.dumps([subscription.pk, subscription.key], salt=CONFIRM_SALT)
    return settings.HUB_BASE_URL + reverse("documents:confirm", kwargs={"token": token})


def unsubscribe_url(subscription: Subscription) -> str:
    token = signing.dumps([subscription.pk, subscription.key], salt=UNSUBSCRIBE_SALT)
    return settings.HUB_BASE_URL + reverse("documents:unsubscribe", kwargs={"token": token})


def read_confirm_token(token: str) -> tuple[int, str]:
    try:
        pk, key = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_WITHIN)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise LinkNotValid from error
    return int(pk), str(key)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    try:
        pk, key = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise LinkNotValid from error
    return int(pk), str(key)
