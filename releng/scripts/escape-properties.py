#!/usr/bin/env python3
"""Writes a UTF-8 .properties file as the ISO-8859-1 + \\uXXXX form that Eclipse NLS reads.
Usage: escape-properties.py IN_UTF8 OUT"""
import sys

text = open(sys.argv[1], encoding="utf-8").read()
out = "".join(c if ord(c) < 128 else "\\u%04x" % ord(c) for c in text)
open(sys.argv[2], "w", encoding="ascii").write(out)
