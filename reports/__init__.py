"""Statistics and documents: loss rates and rankings (``reports.stats``), the quarterly bulletin
(``reports.bulletin``), the typical-case collection (``reports.collection``) and the official-document
layout they share (``reports.officialdoc``). Each service function takes a SQLAlchemy session.
"""
