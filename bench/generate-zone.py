#!/usr/bin/env python3
"""Writes a deterministic zone of N records for example.com, shaped like a provider export:
mostly A/AAAA/CNAME/TXT/MX, a CAA set every 1000 names. Usage: generate-zone.py N OUT"""
import sys

n, out = int(sys.argv[1]), sys.argv[2]
with open(out, "w") as f:
    f.write("$ORIGIN example.com.\n$TTL 3600\n")
    f.write("@ IN SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300\n")
    f.write("@ IN NS ns1.example.com.\n@ IN NS ns2.example.net.\nns1 IN A 192.0.2.1\n")
    written = 4
    i = 0
    while written < n:
        name = f"host{i:07d}"
        kind = i % 10
        if kind < 5:
            f.write(f"{name} IN A 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}\n")
        elif kind < 7:
            f.write(f"{name} 300 IN AAAA 2001:db8::{i & 0xffff:x}\n")
        elif kind == 7:
            f.write(f"{name} IN CNAME host{i - 1:07d}\n")
        elif kind == 8:
            f.write(f'{name} IN TXT "v=spf1 include:_spf.example.net ~all"\n')
        else:
            f.write(f"{name} IN MX 10 mail.example.net.\n")
        written += 1
        if i % 1000 == 0 and written < n:
            f.write(f'{name}-caa IN CAA 0 issue "amazon.com"\n')
            written += 1
        i += 1
