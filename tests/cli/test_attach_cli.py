"""`attach` as a command, with no site: its command line, where the secret comes from and what it
refuses, the output once listening, and Ctrl-C. The tunnel end to end is tests/attach."""

import json
import os
import signal
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "support"))

from blackbox import CONFIG, TOOL, ToolTest, require_tool, run, user_config, write  # noqa: E402

# Nothing listens here during the tests that need an address but never connect.
NOWHERE = "ws://127.0.0.1:9/ptvsd"
SECRET_43 = "Zk3_q9Xw2LrT8vNp4HsYb6JmC1dE7fGa5uKoQiWtVyB"


def setUpModule():
    require_tool()


class AttachCommandLine(ToolTest):
    temp_prefix = "ptvsd-attach-cli-"

    def assertError(self, result, exit_code, code, origin="ptvsd-publish"):
        self.assertEqual(result.returncode, exit_code, f"stderr: {result.stderr!r}")
        self.assertRegex(result.stderr, rf"(?m)^{origin}: error {code}: \S")

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if k not in ("WSGI_PTVSD_SECRET", "HTTPS_PROXY", "https_proxy")}
        env.update(extra)
        return env

    def test_site_or_url_exactly_once(self):
        write(os.path.join(self.tmp, CONFIG), user_config(SECRET_43))
        for args in ([], ["--site", "a", "--url", NOWHERE], ["--site", "a.b"], ["--url", "https://h/ptvsd"],
                     ["--url", NOWHERE, "--listen", "127.0.0.1"], ["--url", NOWHERE, "--listen", "host.example:1"]):
            with self.subTest(args=args):
                self.assertError(run("attach", *args, cwd=self.tmp, env=self.env()), 2, "PTVSD001")

    def test_url_with_a_secret_is_refused_and_not_repeated(self):
        result = run("attach", "--url", f"wss://{SECRET_43}@h.example/ptvsd", cwd=self.tmp, env=self.env())
        self.assertError(result, 2, "PTVSD001")
        self.assertIn("user info is refused", result.stderr)
        self.assertNotIn(SECRET_43, result.stderr + result.stdout)

    def test_secret_with_a_control_character_or_colon_is_refused(self):
        for value in ("abc\x01def", "abc:def", "\n"):
            with self.subTest(value=value):
                path = os.path.join(self.tmp, "secret")
                write(path, value)
                result = run("attach", "--url", NOWHERE, "--secret-file", path, env=self.env())
                self.assertError(result, 3, "PTVSD079")

    def test_missing_config_is_reported(self):
        result = run("attach", "--url", NOWHERE, cwd=self.tmp, env=self.env())
        self.assertError(result, 4, "PTVSD030", CONFIG)

    def test_unreadable_ca_file_is_a_usage_error(self):
        result = run("attach", "--url", "wss://h.example/ptvsd", "--ca-file", os.path.join(self.tmp, "none.pem"),
                     env=self.env(WSGI_PTVSD_SECRET=SECRET_43))
        self.assertError(result, 2, "PTVSD001")

    def test_port_in_use(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = run("attach", "--url", NOWHERE, "--listen", f"127.0.0.1:{port}",
                         env=self.env(WSGI_PTVSD_SECRET=SECRET_43))
        self.assertError(result, 4, "PTVSD078")

    def start(self, *args, env):
        process = subprocess.Popen([TOOL, "attach", "--url", NOWHERE, "--listen", "127.0.0.1:0", *args], cwd=self.tmp,
                                   env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        self.addCleanup(process.stderr.close)
        self.addCleanup(process.stdout.close)
        self.addCleanup(lambda: process.poll() is None and (process.kill(), process.wait()))
        return process

    def finish(self, process):
        """Waits for the end, then reads the rest (communicate() would skip what readline() buffered)."""
        process.wait(timeout=20)
        return process.stdout.read(), process.stderr.read()

    def test_json_when_listening_then_ctrl_c_ends_it(self):
        process = self.start("--format", "json", "--local-root", "src", "--remote-root", "/home/site/wwwroot",
                             env=self.env(WSGI_PTVSD_SECRET=SECRET_43))
        ready = json.loads(process.stdout.readline())
        host, port = ready["listening"].rsplit(":", 1)
        self.assertEqual(host, "127.0.0.1")
        self.assertEqual(ready["url"], NOWHERE)
        self.assertEqual(ready["visual_studio"], f"tcp://127.0.0.1:{port}")
        self.assertEqual(ready["vscode"]["type"], "debugpy")
        self.assertEqual(ready["vscode"]["request"], "attach")
        self.assertEqual(ready["vscode"]["connect"], {"host": "127.0.0.1", "port": int(port)})
        self.assertEqual(ready["vscode"]["pathMappings"], [{"localRoot": "src", "remoteRoot": "/home/site/wwwroot"}])
        process.send_signal(signal.SIGINT)
        stdout, stderr = self.finish(process)
        self.assertEqual(process.returncode, 0, stderr)
        self.assertEqual(json.loads(stdout)["exit_code"], 0)
        self.assertNotIn(SECRET_43, stdout + stderr)

    def test_text_says_how_to_attach_with_the_default_mappings(self):
        process = self.start(env=self.env(WSGI_PTVSD_SECRET=SECRET_43))
        first = process.stdout.readline()
        self.assertRegex(first, r"^Tunnel to ws://127\.0\.0\.1:9/ptvsd listening on 127\.0\.0\.1:\d+ \(Ctrl-C ends it\)\.$")
        process.send_signal(signal.SIGTERM)
        stdout, stderr = self.finish(process)
        stdout = first + stdout
        self.assertEqual(process.returncode, 0, stderr)
        self.assertIn('"localRoot": "${workspaceFolder}", "remoteRoot": "D:\\\\home\\\\site\\\\wwwroot"', stdout)
        self.assertIn('"type": "debugpy"', stdout)

    def test_a_failed_connection_closes_the_debuggers_socket_and_keeps_listening(self):
        process = self.start(env=self.env(WSGI_PTVSD_SECRET=SECRET_43))
        port = int(process.stdout.readline().split("listening on 127.0.0.1:")[1].split()[0])
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", port), timeout=20) as debugger:
                debugger.sendall(b"Content-Length: 2\r\n\r\n{}")
                # The failure is reported, and the debugger's connection ends instead of hanging.
                while "error PTVSD071" not in process.stderr.readline():
                    pass
                self.assertEqual(debugger.recv(1), b"")
        process.send_signal(signal.SIGINT)
        _, stderr = self.finish(process)
        self.assertEqual(process.returncode, 0, stderr)


if __name__ == "__main__":
    unittest.main()
