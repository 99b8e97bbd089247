"""six, as gertty's dbsupport.py uses it on Python 3."""
text_type = str
