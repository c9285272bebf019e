#!/usr/bin/env python3
"""Writes iso3166.js: ISO 3166-1 numeric code -> [alpha-2, English short name].

Run once when the table needs refreshing:

    python3 dashboard/vendor/make-iso3166.py [path/to/iso_3166-1.json] > dashboard/vendor/iso3166.js

The input is iso_3166-1.json from the iso-codes project
(https://salsa.debian.org/iso-codes-team/iso-codes), installed on Debian/Ubuntu by the
`iso-codes` package at /usr/share/iso-codes/json/iso_3166-1.json.
"""
import json
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/iso-codes/json/iso_3166-1.json"
with open(src, encoding="utf-8") as f:
    countries = json.load(f)["3166-1"]

rows = {}
for c in sorted(countries, key=lambda c: c["numeric"]):
    # common_name is the short everyday name ("Bolivia") where the ISO name is long.
    rows[c["numeric"]] = [c["alpha_2"], c.get("common_name", c["name"])]

out = sys.stdout
out.write("// ISO 3166-1 numeric -> [alpha-2, English name]. Written by make-iso3166.py from\n")
out.write("// iso-codes iso_3166-1.json; see README.md in this directory. Do not edit by hand.\n")
out.write("window.GLOW_ISO3166 = {\n")
items = list(rows.items())
for i, (num, (a2, name)) in enumerate(items):
    sep = "," if i < len(items) - 1 else ""
    out.write('  "%s": [%s, %s]%s\n' % (num, json.dumps(a2), json.dumps(name, ensure_ascii=False), sep))
out.write("};\n")
