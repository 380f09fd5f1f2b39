"""Reads one push's stamped output (stamp-lines.py) and prints tab-separated result rows:
APP  KEY  MS  for the push, live, the arrival of each build heading, and the stage durations
the platform reports in its `Build took …` and `Released v… in …` lines.
"""
import re
import sys

app, pushed, live = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [("push", pushed), ("live", live)]
# Headings whose text varies from push to push, by a stable name.
names = [
    (r"Building .* from commit", "build started"),
    (r"Restoring the build cache", "cache restored"),
    (r"(\S+) app detected", None),
    (r"Reusing the virtualenv", "venv reused"),
    (r"Creating a virtualenv", "venv created"),
    (r"Installing requirements", "pip started"),
    (r"Python environment ready", "python ready"),
    (r"Discovering process types", "process types"),
    (r"Compressing", "slug packed"),
    (r"Build took", "build done"),
    (r"Launching", "launch started"),
]
seen = set()
for line in sys.stdin:
    stamp, _, text = line.rstrip("\n").partition(" ")
    text = re.sub(r"^remote:\s*", "", text)
    heading = re.match(r"-----> (.*)", text)
    if heading:
        for pattern, name in names:
            match = re.match(pattern, heading.group(1))
            if match:
                name = name or "%s compile started" % match.group(1).lower()
                if name not in seen:
                    seen.add(name)
                    rows.append(("at: " + name, stamp))
                break
    if re.match(r"\s*Released v\d+", text) and "at: released" not in seen:
        seen.add("at: released")
        rows.append(("at: released", stamp))
    # "-----> Build took 2.13 s: export 0.05 s, cache restore 0.20 s, …" and
    # "       Released v5 in 1.20 s: start 0.40 s, …"
    reported = re.search(r"(Build took|Released v\d+ in) ([0-9.]+) s(?:: (.*))?", text)
    if reported:
        prefix = "build" if reported.group(1) == "Build took" else "deploy"
        rows.append(("%s: total" % prefix, str(int(float(reported.group(2)) * 1000))))
        for part in (reported.group(3) or "").split(", "):
            stage = re.match(r"(.+?) ([0-9.]+) s$", part.strip())
            if stage:
                rows.append(("%s: %s" % (prefix, stage.group(1)), str(int(float(stage.group(2)) * 1000))))
            elif part.strip():
                rows.append(("%s: %s" % (prefix, part.strip()), "0"))
for key, value in rows:
    print("%s\t%s\t%s" % (app, key, value))
