"""rotate over many sites: folders, patterns the tool expands itself, thousands of configs in one
process, all-or-nothing by default and --keep-going on request.

Run from this folder:  PTVSD_PUBLISH=/path/to/ptvsd-publish python3 -m unittest -v test_rotate_many
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import ToolTest, read, require_tool, run, secret_values, user_config as config  # noqa: E402


def setUpModule():
    require_tool()


class RotateMany(ToolTest):
    temp_prefix = "ptvsd-rotate-many-"

    def setUp(self):
        super().setUp()
        self.root = self.tmp

    def write(self, relative, text):
        path = os.path.join(self.root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def secret(self, relative):
        return secret_values(read(os.path.join(self.root, relative)))

    def rotate(self, *args):
        return run("rotate", "--format", "json", *args, cwd=self.root, timeout=300)

    def written(self, result):
        return [os.path.relpath(p, self.root) if os.path.isabs(p) else p
                for p in json.loads(result.stdout)["written"]]

    def test_a_folder_means_its_web_configs_at_any_depth(self):
        for relative in ("sites/a/web.config", "sites/a/Web.Debug.config", "sites/b/deep/web.config",
                         "sites/b/web.Release.config"):
            self.write(relative, config("old"))
        self.write("sites/a/app.config", config("untouched"))
        self.write("sites/a/web.configuration", config("untouched"))
        result = self.rotate("sites")
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertEqual(self.written(result), ["sites/a/Web.Debug.config", "sites/a/web.config",
                                                "sites/b/deep/web.config", "sites/b/web.Release.config"])
        self.assertEqual(self.secret("sites/a/app.config"), ["untouched"])
        self.assertEqual(self.secret("sites/a/web.configuration"), ["untouched"])
        self.assertNotEqual(self.secret("sites/a/web.config"), ["old"])

    def test_patterns_are_expanded_by_the_tool(self):
        for relative in ("s1/web.config", "s2/web.config", "s2/x/web.config", "s10/web.debug.config"):
            self.write(relative, config("old"))
        self.assertEqual(self.written(self.rotate("s?/web.config")), ["s1/web.config", "s2/web.config"])
        self.assertEqual(self.written(self.rotate("s*/**/web*.config")),
                         ["s1/web.config", "s10/web.debug.config", "s2/web.config", "s2/x/web.config"])

    def test_a_relative_pattern_starting_with_double_star_searches_the_current_folder(self):
        # It used to look for the folder "" (which is none) and so matched only ./web.config.
        for relative in ("web.config", "s1/web.config", "s2/x/web.config"):
            self.write(relative, config("old"))
        self.assertEqual(self.written(self.rotate("**/web.config")),
                         ["s1/web.config", "s2/x/web.config", "web.config"])

    def test_a_pattern_matching_nothing_is_an_error(self):
        self.write("s1/web.config", config("old"))
        result = self.rotate("nothing*/web.config")
        self.assertEqual(result.returncode, 4)
        [error] = json.loads(result.stdout)["errors"]
        self.assertEqual((error["code"], error["file"]), ("PTVSD030", "nothing*/web.config"))
        self.assertEqual(self.secret("s1/web.config"), ["old"])

    def test_a_folder_without_configs_is_an_error(self):
        self.write("empty/app.config", config("untouched"))
        result = self.rotate("empty")
        self.assertEqual(result.returncode, 4)
        [error] = json.loads(result.stdout)["errors"]
        self.assertEqual((error["code"], error["file"]), ("PTVSD030", "empty"))
        self.assertIn("no web.config", error["message"])

    def test_a_file_reached_twice_is_rotated_once(self):
        self.write("s/web.config", config("old"))
        result = self.rotate("s", "s/web.config", "s/*.config")
        self.assertEqual(self.written(result), ["s/web.config"])

    def test_a_thousand_configs_in_one_call_each_with_its_own_secret(self):
        for i in range(1000):
            self.write(f"sites/{i:04}/web.config", config(f"old{i}"))
        result = self.rotate("sites")
        self.assertEqual(result.returncode, 0, result.stdout[-2000:])
        self.assertEqual(len(self.written(result)), 1000)
        values = {self.secret(f"sites/{i:04}/web.config")[0] for i in range(1000)}
        self.assertEqual(len(values), 1000)
        self.assertFalse(any(v.startswith("old") for v in values))

    def test_all_or_nothing_by_default(self):
        for i in range(200):
            self.write(f"sites/{i:03}/web.config", config(f"old{i}"))
        self.write("sites/150/web.config", "<configuration>\n  <appSettings>\n</configuration>\n")
        result = self.rotate("sites")
        self.assertEqual(result.returncode, 3)
        self.assertEqual(json.loads(result.stdout)["written"], [])
        self.assertEqual([self.secret(f"sites/{i:03}/web.config") for i in (0, 149, 151, 199)],
                         [["old0"], ["old149"], ["old151"], ["old199"]])

    def test_keep_going_rotates_the_rest_and_reports_each_failure(self):
        for i in range(20):
            self.write(f"sites/{i:02}/web.config", config(f"old{i}"))
        self.write("sites/05/web.config", "<configuration/>")
        malformed = "<configuration>\n  <appSettings>\n</configuration>\n"
        self.write("sites/12/web.config", malformed)
        result = self.rotate("--keep-going", "sites")
        self.assertEqual(result.returncode, 3)
        document = json.loads(result.stdout)
        self.assertEqual(len(document["written"]), 18)
        self.assertEqual([(e["code"], os.path.relpath(e["file"], self.root) if os.path.isabs(e["file"]) else e["file"])
                          for e in document["errors"]],
                         [("PTVSD013", "sites/05/web.config"), ("PTVSD010", "sites/12/web.config")])
        self.assertNotEqual(self.secret("sites/00/web.config"), ["old0"])
        self.assertEqual(read(os.path.join(self.root, "sites/12/web.config")), malformed.encode())


if __name__ == "__main__":
    unittest.main()
