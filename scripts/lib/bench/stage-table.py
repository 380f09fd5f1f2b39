"""Prints the warm-push results of push-stages.py side by side: median and range per app."""
import sys
from collections import OrderedDict

apps = sys.argv[1:]
values = OrderedDict()
for line in sys.stdin:
    app, key, ms = line.rstrip("\n").split("\t")
    values.setdefault(key, {}).setdefault(app, []).append(int(ms))


def median(numbers):
    numbers = sorted(numbers)
    middle = len(numbers) // 2
    return numbers[middle] if len(numbers) % 2 else (numbers[middle - 1] + numbers[middle]) // 2


def cell(numbers):
    if not numbers:
        return "-"
    return "%d (%d-%d)" % (median(numbers), min(numbers), max(numbers))


print("\nwarm pushes, ms: median (range); 'at:' = since git push started, 'build:'/'deploy:' = as the platform reports")
print("%-36s %s" % ("measure", "".join("%-22s" % app for app in apps)))
for key, per_app in values.items():
    print("%-36s %s" % (key, "".join("%-22s" % cell(per_app.get(app, [])) for app in apps)))
