#!/usr/bin/env python3
"""Regenerates the quickstart sample data (deterministic: same seed, same files).

orders.csv: 3,000 orders plus 120 re-exported updates of the same order (duplicates by
order_id with a later updated_at) and 9 rows with bad values (an amount that is not a number,
a date that is not a date). customers.csv: 400 customers, 3 of them with a bad signup date.
"""
import csv, random, datetime as dt, pathlib

random.seed(42)
here = pathlib.Path(__file__).parent
countries = ["DE", "FR", "NL", "ES", "IT", "PL", "SE", "US", "GB", "BR"]
first = ["Ana", "Ben", "Chloe", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivo", "Jules", "Kai", "Lea"]
last = ["Meyer", "Dubois", "de Vries", "Garcia", "Rossi", "Nowak", "Berg", "Smith", "Silva", "Khan"]

with open(here / "customers.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["customer_id", "name", "email", "country", "signup_date"])
    for cid in range(1, 401):
        name = f"{random.choice(first)} {random.choice(last)}"
        email = name.lower().replace(" ", ".") + f"{cid}@example.com"
        signup = dt.date(2024, 1, 1) + dt.timedelta(days=random.randint(0, 600))
        signup_s = signup.isoformat() if cid not in (57, 211, 389) else "not-a-date"
        w.writerow([cid, name, email, random.choice(countries), signup_s])

statuses = ["placed", "shipped", "delivered", "cancelled"]
rows = []
base = dt.datetime(2026, 1, 1, 8, 0, 0)
for oid in range(1, 3001):
    ordered = base + dt.timedelta(minutes=random.randint(0, 60 * 24 * 300))
    amount = f"{random.randint(500, 50000) / 100:.2f}"
    rows.append([oid, random.randint(1, 400), ordered.isoformat(sep=" "), amount,
                 random.choice(statuses[:2]), ordered.isoformat(sep=" ")])
# duplicates: the export re-sends 120 orders with a newer status
for oid in random.sample(range(1, 3001), 120):
    r = list(rows[oid - 1])
    r[4] = random.choice(statuses[2:])
    r[5] = (dt.datetime.fromisoformat(r[5]) + dt.timedelta(days=3)).isoformat(sep=" ")
    rows.append(r)
# bad values the schema rejects
for i, oid in enumerate(random.sample(range(1, 3001), 9)):
    r = list(rows[oid - 1])
    if i % 2 == 0:
        r[3] = "12,50 EUR"
    else:
        r[2] = "yesterday"
    r[5] = (dt.datetime.fromisoformat(r[5]) + dt.timedelta(days=9)).isoformat(sep=" ")
    rows.append(r)
random.shuffle(rows)
with open(here / "orders.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["order_id", "customer_id", "ordered_at", "amount", "status", "updated_at"])
    w.writerows(rows)
