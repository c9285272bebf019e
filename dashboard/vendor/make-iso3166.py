#!/usr/bin/env python3
"""Writes iso3166.js: ISO 3166-1 numeric code -> [alpha-2, English short name].

The input is the npm package i18n-iso-countries (MIT licence), unpacked:

    npm pack i18n-iso-countries@7.14.0 && tar xzf i18n-iso-countries-7.14.0.tgz
    python3 dashboard/vendor/make-iso3166.py package > dashboard/vendor/iso3166.js

It reads package/codes.json ([alpha-2, alpha-3, numeric, ...] rows) and package/langs/en.json
(English names; where a country has several, the first is the usual short one).
"""
import json
import os
import sys

pkg = sys.argv[1] if len(sys.argv) > 1 else "package"
with open(os.path.join(pkg, "codes.json"), encoding="utf-8") as f:
    codes = json.load(f)
with open(os.path.join(pkg, "langs", "en.json"), encoding="utf-8") as f:
    names = json.load(f)["countries"]
with open(os.path.join(pkg, "package.json"), encoding="utf-8") as f:
    version = json.load(f)["version"]

rows = []
for alpha2, _alpha3, numeric, *_ in sorted(codes, key=lambda row: row[2]):
    name = names.get(alpha2, alpha2)
    if isinstance(name, list):
        name = name[0]
    rows.append((numeric, alpha2, name))

out = sys.stdout
out.write("// ISO 3166-1 numeric -> [alpha-2, English name], from i18n-iso-countries %s (MIT).\n" % version)
out.write("// Written by make-iso3166.py; see README.md in this directory. Do not edit by hand.\n")
out.write("window.GLOW_ISO3166 = {\n")
for i, (numeric, alpha2, name) in enumerate(rows):
    sep = "," if i < len(rows) - 1 else ""
    out.write('  "%s": [%s, %s]%s\n' % (numeric, json.dumps(alpha2), json.dumps(name, ensure_ascii=False), sep))
out.write("};\n")
