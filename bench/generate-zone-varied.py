#!/usr/bin/env python3
"""Writes a deterministic zone of N records for example.com shaped like a large hosting export with
many distinct owners: about 38% of records start a new owner name (380k names per 1M records), 17% are
CNAMEs (each on a name of its own), 1% are CAA sets, names nest up to three labels deep, TTLs vary.
Usage: generate-zone-varied.py N OUT"""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(20261202)
words = ["api", "mail", "shop", "cdn", "app", "dev", "static", "img", "m", "blog", "vpn", "git", "ci", "db", "auth"]
with open(out, "w") as f:
    f.write("$ORIGIN example.com.\n$TTL 3600\n")
    f.write("@ IN SOA ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300\n")
    f.write("@ IN NS ns1.example.com.\n@ IN NS ns2.example.net.\nns1 IN A 192.0.2.1\n")
    written, i = 4, 0
    while written < n:
        depth = rng.choice((1, 1, 2, 3))
        labels = [f"{rng.choice(words)}{i:x}"] + [rng.choice(words) for _ in range(depth - 1)]
        name = ".".join(labels)
        ttl = rng.choice(("", "300 ", "60 ", "86400 "))
        if rng.random() < 0.447:
            # A CNAME owner holds nothing else: 0.447 of owners, 17% of records.
            f.write(f"{name} {ttl}IN CNAME target{i % 977}.example.net.\n")
            written += 1
            i += 1
            continue
        count = rng.choice((2, 3, 4, 5, 6))
        for k in range(count):
            if written >= n:
                break
            kind = rng.random()
            if kind < 0.45:
                f.write(f"{name} {ttl}IN A 10.{(i >> 8) & 255}.{i & 255}.{k}\n")
            elif kind < 0.65:
                f.write(f"{name} {ttl}IN AAAA 2001:db8::{i & 0xffff:x}:{k}\n")
            elif kind < 0.85:
                f.write(f'{name} {ttl}IN TXT "site-verification={i:08x}{k}"\n')
            else:
                f.write(f"{name} {ttl}IN MX {10 * (k + 1)} mx{k}.example.net.\n")
            written += 1
        if rng.random() < 0.0476 and written < n:
            f.write(f'{name} IN CAA 0 issue "{rng.choice(("amazon.com", "letsencrypt.org", "pki.goog"))}"\n')
            written += 1
        i += 1
