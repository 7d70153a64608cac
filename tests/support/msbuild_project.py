"""What the suites of tests/msbuild share: the built tool and the win-x64 proxy its build tree keeps,
`dotnet` run quietly, the NuGet package packed once from the built tool, and site projects that
reference it from a local feed.

Environment: PTVSD_PUBLISH (the built tool; the proxy is expected in its build tree, as
installed). The suites put this folder on sys.path relative to their own file, as the black-box
suites do (blackbox.py).
"""

import os
import re
import shutil
import subprocess
import tempfile
import threading

from blackbox import read

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.environ.get("PTVSD_PUBLISH", "")
BIN_DIR = os.path.dirname(TOOL)
# The win-x64 proxy a site runs, where the build tree keeps it for the tool (PTVSD_SITE_PROXY).
PROXY = os.path.join(os.path.dirname(BIN_DIR), "share", "ptvsd-publish", "site", "win-x64", "ptvsd-proxy.exe")
SECRET_PATTERN = re.compile(r'key="WSGI_PTVSD_SECRET"\s+value="([A-Za-z0-9_-]+)"')


def dotnet(*args, cwd, check=True):
    env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1",
               MSBUILDDISABLENODEREUSE="1", DOTNET_CLI_UI_LANGUAGE="en")
    result = subprocess.run(["dotnet", *args, "-nodeReuse:false"], cwd=cwd, env=env,
                            capture_output=True, text=True, timeout=900)
    if check and result.returncode != 0:
        raise AssertionError(f"dotnet {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def secret_of(path):
    """The value of the one secret setting in the config at `path` (UTF-8, with or without a BOM)."""
    with open(path, encoding="utf-8-sig") as f:
        values = SECRET_PATTERN.findall(f.read())
    assert len(values) == 1, f"{path}: {len(values)} secret settings"
    return values[0]


def assert_proxy_packaged(out, name="ptvsd-proxy.exe", source=PROXY):
    """out/bin/<name> is a copy of `source` and matches its manifest, out/bin/<name>.sha256."""
    bin_dir = os.path.join(out, "bin")
    result = subprocess.run(["sha256sum", "-c", name + ".sha256"], cwd=bin_dir,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert read(os.path.join(bin_dir, name)) == read(source)


# The site projects (plain SDK, Web SDK) and their publish profiles; PROFILE's {configuration} and
# {out} are filled in per project.
PLAIN_CSPROJ = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <EnableDefaultItems>false</EnableDefaultItems>
    <GenerateDependencyFile>false</GenerateDependencyFile>
    <CopyBuildOutputToPublishDirectory>false</CopyBuildOutputToPublishDirectory>
    <CopyOutputSymbolsToPublishDirectory>false</CopyOutputSymbolsToPublishDirectory>
  </PropertyGroup>
  <ItemGroup>
    <Content Include="app.py;web.config" CopyToPublishDirectory="PreserveNewest" />
    <PackageReference Include="PtvsdPublish" Version="0.1.0" PrivateAssets="all" />
  </ItemGroup>
</Project>
"""
WEB_CSPROJ = """<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <OutputType>Library</OutputType>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PtvsdPublish" Version="0.1.0" PrivateAssets="all" />
  </ItemGroup>
</Project>
"""
PROFILE = """<Project>
  <PropertyGroup>
    <WebPublishMethod>FileSystem</WebPublishMethod>
    <PublishProvider>FileSystem</PublishProvider>
    <Configuration>{configuration}</Configuration>
    <PublishDir>{out}/</PublishDir>
  </PropertyGroup>
</Project>
"""


class Feed:
    """The package, packed once from the built tool, and a global packages folder all share."""
    folder = None
    lock = threading.Lock()

    @classmethod
    def get(cls):
        with cls.lock:
            return cls._get()

    @classmethod
    def _get(cls):
        if cls.folder is None:
            cls.folder = tempfile.mkdtemp(prefix="ptvsd-feed-")
            dotnet("pack", os.path.join(ROOT, "msbuild", "package", "PtvsdPublish.csproj"), "-o",
                   os.path.join(cls.folder, "feed"), f"-p:PtvsdPublishBinDir={BIN_DIR}",
                   "--artifacts-path", os.path.join(cls.folder, "artifacts"), cwd=cls.folder)
        return cls.folder

    @classmethod
    def remove(cls):
        """Removes what get() packed, unless PTVSD_KEEP_TEMP is set (a suite's tearDownModule)."""
        if cls.folder and not os.environ.get("PTVSD_KEEP_TEMP"):
            shutil.rmtree(cls.folder, True)


class Project:
    """A site project in a fresh folder that references the package from the local feed."""

    def __init__(self, temp, kind, feed=None):
        """feed: a folder whose feed/ holds the package (default: the one Feed packs)."""
        self.kind = kind
        self.dir = os.path.join(temp, kind)
        self.out = os.path.join(temp, kind + "-out")
        os.makedirs(self.dir)
        shutil.copy(os.path.join(ROOT, "examples", "webapp", "app.py"), self.dir)
        if kind != "webgen":  # webgen: the Web SDK generates web.config
            shutil.copy(os.path.join(ROOT, "examples", "webapp", "web.config"), self.dir)
        with open(os.path.join(self.dir, kind + ".csproj"), "w") as f:
            f.write(PLAIN_CSPROJ if kind == "plain" else WEB_CSPROJ)
        feed = feed or Feed.get()
        with open(os.path.join(self.dir, "nuget.config"), "w") as f:
            f.write("<configuration><packageSources><clear/>"
                    f'<add key="local" value="{feed}/feed"/></packageSources>'
                    f'<config><add key="globalPackagesFolder" value="{feed}/packages"/></config>'
                    "</configuration>")
        profiles = os.path.join(self.dir, "Properties", "PublishProfiles")
        os.makedirs(profiles)
        for configuration in ("Debug", "Release"):
            with open(os.path.join(profiles, configuration + ".pubxml"), "w") as f:
                f.write(PROFILE.format(configuration=configuration, out=self.out))

    def web_config(self):
        return os.path.join(self.dir, "web.config") if self.kind != "webgen" else None

    def publish(self, way, configuration, *extra, binlog=None, check=True):
        args = ["-c", configuration, "-o", self.out] if way == "cli" else [f"-p:PublishProfile={configuration}"]
        if binlog:
            args.append(f"-bl:{binlog}")
        return dotnet("publish", *args, f"-p:PtvsdPublishProxyPath={PROXY}", *extra, cwd=self.dir, check=check)
