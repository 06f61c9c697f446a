#!/usr/bin/env python3
"""Makes online_retail_customers.csv: SYNTHETIC customer facts for the customers of the UCI Online Retail sample.

The public data set has no customer facts (consent, loyalty, complaints...), but the decision rules need them, so
this script invents plausible ones, deterministically (a hash of the customer id), so that the file is the same on
every run. Country and first purchase come from the transactions themselves. Nothing here is real customer data.

    python3 data/sample/make_customer_facts.py   # rewrites data/sample/online_retail_customers.csv
"""
import csv
import datetime
import gzip
import hashlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def u(customer, salt):
    """A uniform number in [0, 1) from the customer id and a salt."""
    h = hashlib.sha256(f"{customer}:{salt}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def main():
    first = {}
    countries = {}
    with gzip.open(os.path.join(HERE, "online_retail.csv.gz"), "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            c = row["CustomerID"].strip()
            if not c:
                continue
            ts = datetime.datetime.strptime(row["InvoiceDate"], "%Y-%m-%d %H:%M:%S")
            if c not in first or ts < first[c]:
                first[c] = ts
            countries.setdefault(c, {}).setdefault(row["Country"], 0)
            countries[c][row["Country"]] += 1
    out = os.path.join(HERE, "online_retail_customers.csv")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["customer_id", "segment", "country", "marketing_consent", "loyalty_member", "signup_date",
                    "open_complaints", "fraud_flag"])
        for c in sorted(first, key=int):
            s = u(c, "segment")
            segment = "retail" if s < 0.70 else "wholesale" if s < 0.95 else "corporate"
            country = max(countries[c].items(), key=lambda kv: (kv[1], kv[0]))[0]
            consent = "yes" if u(c, "consent") < 0.82 else "no"
            loyalty = "yes" if u(c, "loyalty") < 0.30 else "no"
            signup = (first[c] - datetime.timedelta(days=int(u(c, "signup") * 400))).date().isoformat()
            k = u(c, "complaints")
            complaints = 2 if k < 0.01 else 1 if k < 0.05 else 0
            fraud = "yes" if u(c, "fraud") < 0.005 else "no"
            w.writerow([c, segment, country, consent, loyalty, signup, complaints, fraud])
    print(f"wrote {len(first)} customers to {out}")


if __name__ == "__main__":
    main()
