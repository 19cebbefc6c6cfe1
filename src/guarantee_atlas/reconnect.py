"""After the websocket comes back, rerun the page: the view and its downloads then belong to
the session the server holds now.

Behind a load balancer a reader's session lives in one replica's memory. When
that replica dies, Streamlit's frontend reconnects (the balancer sends it to a
living replica, which starts a new, empty session) but, when no run was under
way, does not ask for a run: it assumes the server still holds the session.
The page then shows the old view, and every download button on it names a
file of the lost session ("Invalid session ID"): downloads fail until the
reader changes something. This element listens for the frontend's own
connection messages (``WEBSOCKET_DISCONNECTED`` / ``WEBSOCKET_CONNECTED``,
which it posts to the window) and, after a drop, sends one rerun with the
page's widget states and link, as a widget change would: the new session
draws the same view (everything is in the link) with working downloads. On a
reconnect to the same replica the rerun costs one run and changes nothing.
"""

from __future__ import annotations

from functools import cache

import streamlit as st

COMPONENT_NAME = "guarantee_atlas_reconnect"
KEY = "atlas_reconnect"
JS = """
export default function ({ setTriggerValue }) {
  const watch = (window.__atlasReconnect ??= { dropped: false, trigger: null, listening: false });
  watch.trigger = setTriggerValue;  // the latest run's element
  if (watch.listening) return;
  watch.listening = true;
  addEventListener("message", (event) => {
    const message = event.data;
    if (event.source !== window || !message || message.stCommVersion !== 1) return;
    if (message.type === "WEBSOCKET_DISCONNECTED") watch.dropped = true;
    else if (message.type === "WEBSOCKET_CONNECTED" && watch.dropped) {
      watch.dropped = false;
      watch.reruns = (watch.reruns || 0) + 1;
      watch.trigger("reconnected", true);
    }
  });
}
"""


@cache
def _component():
    return st.components.v2.component(COMPONENT_NAME, js=JS)


def watch() -> None:
    """Mount the watcher (once per page run; it draws nothing)."""
    _component()(key=KEY, on_reconnected_change=lambda: None, height=0)
