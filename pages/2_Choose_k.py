"""Choose k: elbow, silhouette and gap statistic over a range of k."""

import streamlit as st

from studio.shell import page_shell

entry = page_shell("Choose k", ":material/insights:")
if entry is None:
    st.stop()
st.info("The sweep over k is being built.")
