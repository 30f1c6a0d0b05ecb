"""Node.js test clients (KafkaJS, cassandra-driver) installed from npm.

Each client's scripts live in a directory with a package.json and a committed
package-lock.json; `npm ci` installs exactly those versions into a cache
directory (named by an environment variable, else a temporary one keyed by
the lock file's hash), once per lock file.
"""

import hashlib
import os
import shutil
import subprocess
import tempfile

NPM_SECONDS = 300


def node_modules(scripts, package, cache_variable):
    """The node_modules directory holding `package` for the scripts in
    `scripts`, installing it if needed."""
    local = os.path.join(scripts, "node_modules")
    if os.path.isdir(os.path.join(local, package)):
        return local
    with open(os.path.join(scripts, "package-lock.json"), "rb") as f:
        lock_hash = hashlib.sha256(f.read()).hexdigest()[:16]
    cache = os.environ.get(cache_variable) or os.path.join(
        tempfile.gettempdir(), "runnel-%s-%s" % (package, lock_hash))
    modules = os.path.join(cache, "node_modules")
    if not os.path.isdir(os.path.join(modules, package)):
        os.makedirs(cache, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(os.path.join(scripts, name), cache)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=cache, check=True,
                       timeout=NPM_SECONDS, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return modules
