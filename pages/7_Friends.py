"""Friends: the same still through several methods and colour spaces side by side, and k-means converging."""

import streamlit as st

from studio import cache, views
from studio.friends import FRIENDS, convergence, friend_card, friend_label
from studio.shell import page_shell
from studio.state import bind, settings

entry = page_shell("Friends", ":material/groups:")
if entry is None:
    st.stop()

st.multiselect(
    "Methods and colour spaces",
    list(FRIENDS),
    format_func=friend_label,
    max_selections=8,
    **bind("friends"),
)
friends = [friend for friend in FRIENDS if friend in st.session_state.friends]

still = cache.still(entry.digest, entry.data)
working = views.fit_k_to_still(settings(), still)
st.caption(
    f"Same still, k={working.k} and seed for every card; only the method and the colour space change. Each card "
    "starts from k-means++ (or random), with no seed colours or locks, so that every method can take it. "
    "ΔE2000 is measured on the frame as shown; the time is the palette's computation."
)
if not friends:
    st.info("Choose at least one method and colour space to compare.")
else:
    views.card_grid(entry, friends, lambda friend: friend_card(entry, working.through(*friend)), describe=friend_label)

convergence(entry, working)
