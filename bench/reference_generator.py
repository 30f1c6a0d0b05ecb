#!/usr/bin/python3
"""The reference for bench/datagen.sh: random users as a straightforward
scripting-language generator makes them (the classic stack's randomuser.me is
one, in Node.js): Python's standard library for the randomness, the uuid, the
three login hashes of password + salt, and json.dumps for each line.

Usage: reference_generator.py COUNT  (JSON lines on stdout)"""
import hashlib
import json
import random
import sys
import uuid

FIRST = ["Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Ethan"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Müller", "García", "Rossi", "Dubois"]
STREETS = ["Main St", "High Street", "Rue de la Paix", "Hauptstraße"]
CITIES = ["Springfield", "London", "Paris", "Berlin"]


def user(rng):
    gender = rng.choice(["male", "female"])
    first, last = rng.choice(FIRST), rng.choice(LAST)
    password = rng.choice(["sunshine", "qwerty", "dragon", "hunter2"])
    salt = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                   for _ in range(8))
    salted = (password + salt).encode()
    return {
        "gender": gender,
        "name": {"title": "Mr" if gender == "male" else "Ms", "first": first, "last": last},
        "location": {
            "street": {"number": rng.randint(1, 9999), "name": rng.choice(STREETS)},
            "city": rng.choice(CITIES), "state": "State", "country": "Country",
            "postcode": rng.randint(10000, 99999),
            "coordinates": {"latitude": "%.4f" % rng.uniform(-90, 90),
                            "longitude": "%.4f" % rng.uniform(-180, 180)},
            "timezone": {"offset": "+1:00", "description": "Brussels, Copenhagen, Madrid, Paris"},
        },
        "email": "%s.%s@example.com" % (first.lower(), last.lower()),
        "login": {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "username": "happytiger%d" % rng.randint(100, 999),
            "password": password, "salt": salt,
            "md5": hashlib.md5(salted).hexdigest(),
            "sha1": hashlib.sha1(salted).hexdigest(),
            "sha256": hashlib.sha256(salted).hexdigest(),
        },
        "dob": {"date": "1985-03-08T15:13:16.688Z", "age": 41},
        "registered": {"date": "2010-07-09T05:51:59.390Z", "age": 16},
        "phone": "(%03d) %03d-%04d" % (rng.randint(200, 999), rng.randint(200, 999), rng.randint(0, 9999)),
        "cell": "(%03d) %03d-%04d" % (rng.randint(200, 999), rng.randint(200, 999), rng.randint(0, 9999)),
        "id": {"name": "SSN", "value": "%03d-%02d-%04d" % (rng.randint(1, 899), rng.randint(1, 99), rng.randint(1, 9999))},
        "picture": {"large": "https://randomuser.me/api/portraits/men/1.jpg",
                    "medium": "https://randomuser.me/api/portraits/med/men/1.jpg",
                    "thumbnail": "https://randomuser.me/api/portraits/thumb/men/1.jpg"},
        "nat": "US",
    }


def main():
    count = int(sys.argv[1])
    rng = random.Random(42)
    out = sys.stdout
    for _ in range(count):
        out.write(json.dumps(user(rng), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


if __name__ == "__main__":
    main()
