"""Limits on the subscribe form, so that nobody can use it to flood someone's inbox with confirmation e-mails."""

from __future__ import annotations

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 60 * 60
PER_ADDRESS = 3  # confirmation e-mails to one address in an hour
PER_IP = 20  # subscribe requests from one IP address in an hour (a school may sign up its staff)


class TooManyRequests(Exception):
    """The form was used too often; the message is safe to show and reveals nothing about any subscription."""

    message = "You have asked for too many emails in a short time. Wait an hour and try again"


def _count(key: str) -> int:
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def take_subscribe_request(*, email: str, ip: str | None) -> None:
    """Count one request; raise TooManyRequests once the address or the IP address is over its limit."""
    # Keys hold a hash, so the cache never holds anyone's e-mail address.
    address_key = "documents:subscribe:address:" + hashlib.sha256(email.lower().encode()).hexdigest()
    over = _count(address_key) > PER_ADDRESS
    if ip:
        over = _count(f"documents:subscribe:ip:{ip}") > PER_IP or over
    if over:
        raise TooManyRequests
