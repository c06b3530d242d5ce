"""Friends: the same still through several methods and colour spaces side by side, and k-means converging."""

import streamlit as st

from studio import cache, views
from studio.friends import FRIENDS, PER_ROW, convergence, friend_card, friend_label
from studio.shell import page_shell
from studio.state import bind, settings
from studio.text import escape_markdown

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
    progress = st.progress(0.0, text="Redrawing the frame…")
    cards = ["original", *friends]
    for row_start in range(0, len(cards), PER_ROW):
        columns = st.columns(PER_ROW)
        for column, card in zip(columns, cards[row_start : row_start + PER_ROW]):
            with column.container(border=True):
                if card == "original":
                    st.markdown("**Original**")
                    views.frame(st, cache.original_preview(entry.digest, entry.data))
                    st.caption(escape_markdown(entry.name, limit=120))
                    continue
                progress.progress(cards.index(card) / len(cards), text=f"Redrawing with {friend_label(card)}…")
                friend_card(entry, working.through(*card))
    progress.empty()

convergence(entry, working)
