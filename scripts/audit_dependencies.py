"""Known vulnerabilities in the locked dependencies (pip-audit), for `make audit` (SECURITY.md,
« Dependency and code audit »).

pip-audit asks a vulnerability service over the network. Where that service cannot be reached
(a sandbox that only reaches the package index), every dependency comes back "skipped": this
script then says so loudly and exits 0, unless REQUIRE_VULNERABILITY_SERVICE=1 (set it in a CI that
has the network). Any vulnerability found fails, always.
"""

import json
import os
import subprocess
import sys

LOCKS = ["requirements/base.txt", "requirements/dev.txt"]


def main() -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--disable-pip",
        "--no-deps",
        "--progress-spinner",
        "off",
        "-f",
        "json",
    ]
    for lock in LOCKS:
        command += ["-r", lock]
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
        print("pip-audit did not produce a report.", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = [d for d in dependencies if "skip_reason" not in d]
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"VULNERABLE {dep['name']} {dep['version']}: {ids}")
    if vulnerable:
        return 1
    if not audited:
        print(
            f"WARNING: the vulnerability service could not be reached; none of the {len(dependencies)} "
            "locked dependencies could be audited (their known vulnerabilities are not checked on this machine)."
        )
        return 1 if os.environ.get("REQUIRE_VULNERABILITY_SERVICE") == "1" else 0
    print(f"pip-audit: {len(audited)} dependencies audited, no known vulnerability.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
