"""The Textual app for running a live workshop; the only package that imports Textual."""
