"""Crash loop: `publish` and `rotate` are killed with SIGKILL at random points of their run, over
PTVSD_CRASH_RUNS runs in all (default 1000, half each). After every kill each target file is its
old version or its new one (old bytes; or, for a config, well-formed XML differing from the old
bytes only in the secret's value; for the packaged proxy and manifest, the new bytes), and a run
that completed leaves no temp file, its own or one an earlier killed run left.

The kill time is uniform over [0, 1.2 x a typical run's duration], measured first on the same
files (about 300 KB of config, a 512 KB proxy), so every phase of a run gets killed: start-up, reading,
writing, flushing, renaming, sweeping.
"""

import hashlib
import os
import random
import re
import signal
import statistics
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET

from harness import (CONFIG, KEY, TOOL, HardeningTest, candidate_secrets, only_value_changed,
                     read, secret_shaped, temp_files, write)

RUNS = int(os.environ.get("PTVSD_CRASH_RUNS", "1000"))
SECRET = re.compile(rb'key="WSGI_PTVSD_SECRET" value="([^"]*)"')
NEW_SECRET = re.compile(rb"^[A-Za-z0-9_-]{43}$")


def big_config(value, newline):
    filler = "".join(f'    <add key="setting{i}" value="{"z" * 80}"/>{newline}' for i in range(3000))
    return (f'<?xml version="1.0" encoding="utf-8"?>{newline}<configuration>{newline}'
            f'  <appSettings>{newline}{filler}    <add key="{KEY}" value="{value}"/>{newline}'
            f'  </appSettings>{newline}</configuration>{newline}').encode()


class Tally:
    def __init__(self):
        self.runs = self.killed = self.completed = self.temps_after_kill = self.mixed = 0
        self.files = {}  # name -> {"old": n, "new": n}
        self.outcomes_of_kills = set()

    def count(self, name, outcome):
        self.files.setdefault(name, {"old": 0, "new": 0})[outcome] += 1

    def report(self, label):
        files = "; ".join(f"{name}: {c['old']} old / {c['new']} new" for name, c in self.files.items())
        return (f"{label}: {self.runs} runs, {self.killed} killed before exiting, {self.completed} "
                f"completed; {self.temps_after_kill} kills left a temp file (each removed by the "
                f"next completed run); {self.mixed} left some files old and some new; {files}")


class CrashLoopTest(HardeningTest):
    def env(self):
        env = dict(os.environ)
        env.pop("PTVSD_FAULT", None)
        return env

    def typical_duration(self, command, prepare):
        durations = []
        for _ in range(5):
            prepare()
            started = time.monotonic()
            done = subprocess.run([TOOL, *command], capture_output=True, env=self.env())
            durations.append(time.monotonic() - started)
            self.assertEqual(done.returncode, 0, done.stderr)
        return statistics.median(durations)

    def killed_run(self, command, delay):
        process = subprocess.Popen([TOOL, *command], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=self.env())
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        stdout, stderr = process.communicate()
        return process.returncode, stdout + stderr

    def classify_config(self, before, after):
        """'old' or 'new'; fails the test for anything else."""
        if after == before:
            return "old"
        old_value = SECRET.search(before).group(1)
        new_value = only_value_changed(before, after, old_value)
        self.assertIsNotNone(new_value, "a config is neither the old nor a new version")
        self.assertRegex(new_value, NEW_SECRET)
        ET.fromstring(after)
        return "new"

    def loop(self, tally, command, targets, prepare, classify, runs):
        """`prepare()` sets up a run and returns what classify(path, before, after) needs."""
        duration = self.typical_duration(command, prepare)
        for _ in range(runs):
            expected = prepare()
            before = {path: read(path) for path in targets}
            code, output = self.killed_run(command, random.uniform(0, 1.2 * duration))
            tally.runs += 1
            outcomes = set()
            for path in targets:
                outcome = classify(path, before[path], read(path), expected)
                tally.count(os.path.basename(path), outcome)
                outcomes.add(outcome)
            tally.mixed += len(outcomes) > 1
            for secret in candidate_secrets(self.tmp):
                self.assertNotIn(secret.encode(), output)
            self.assertEqual(secret_shaped(output, self.tmp), [])
            if code == 0:
                tally.completed += 1
                self.assertEqual(temp_files(self.tmp), [], "a completed run left a temp file")
            else:
                self.assertEqual(code, -signal.SIGKILL, output)
                tally.killed += 1
                tally.temps_after_kill += bool(temp_files(self.tmp))
                tally.outcomes_of_kills |= outcomes
        # Kills that all landed before the first rename, or after the last, would prove nothing.
        self.assertEqual(tally.outcomes_of_kills, {"old", "new"}, "the kills missed a phase of the run")
        self.assertEqual(subprocess.run([TOOL, *command], capture_output=True,
                                        env=self.env()).returncode, 0)
        self.assertEqual(temp_files(self.tmp), [])
        return duration

    def test_rotate_killed_at_random_points(self):
        folder = self.folder("site")
        targets = [os.path.join(folder, "web.config"), os.path.join(folder, CONFIG)]
        write(targets[0], big_config("old-secret-value-one", "\r\n"))
        write(targets[1], big_config("old-secret-value-two", "\n"))
        tally = Tally()
        duration = self.loop(tally, ["rotate", *targets], targets, lambda: None,
                             lambda path, before, after, _: self.classify_config(before, after),
                             RUNS // 2)
        print(f"\n{tally.report('rotate')} (typical run {duration * 1000:.0f} ms)")

    def test_publish_killed_at_random_points(self):
        project = self.folder("site")
        out = self.folder("out", "bin")
        proxy = os.path.join(self.tmp, "proxy-source")
        config = os.path.join(project, CONFIG)
        write(config, big_config("old-secret-value-one", "\n"))
        targets = [os.path.join(out, "ptvsd-proxy"), os.path.join(out, "ptvsd-proxy.sha256"), config]
        write(targets[0], b"first proxy", mode=0o755)
        write(targets[1], b"first manifest")

        def new_proxy():
            # Each run packages different bytes, so the old and new proxy and manifest differ.
            data = os.urandom(512 << 10)
            write(proxy, data, mode=0o755)
            return {targets[0]: data,
                    targets[1]: f"{hashlib.sha256(data).hexdigest()}  ptvsd-proxy\n".encode()}

        def classify(path, before, after, expected):
            if path == config:
                return self.classify_config(before, after)
            if after == before:
                return "old"
            self.assertTrue(after == expected[path], f"{path} is neither old nor new")
            return "new"

        tally = Tally()
        command = ["publish", "--project", project, "--publish-dir", os.path.dirname(out), "--proxy", proxy]
        duration = self.loop(tally, command, targets, new_proxy, classify, RUNS - RUNS // 2)
        print(f"\n{tally.report('publish')} (typical run {duration * 1000:.0f} ms)")


if __name__ == "__main__":
    unittest.main()
