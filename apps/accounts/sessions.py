"""Signed-in sessions with Redis: read from the cache, kept in the database (`SESSION_ENGINE` with `REDIS_URL`).

Django's cached_db store, made to hold up when the cache cannot be reached:
- a page still opens: a session the cache cannot give is read from the database, and a failure to copy it
  back into the cache is logged, not shown to the person;
- signing out removes the cached copy first. If the cache cannot be reached, signing out fails and says so,
  and the session is left whole, instead of removing the database's copy and leaving the cache's, which would
  sign the person in again once the cache came back.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("the session cache could not be read; reading the session from the database")
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        except Exception:
            logger.warning("the session cache could not be written; the session is still in the database")
        return data

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._cache.delete(self.cache_key_prefix + session_key)  # first: a failure here leaves the session whole
        DBStore.delete(self, session_key)
